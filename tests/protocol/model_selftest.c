/* model_selftest: a raw GA 467 client for the reader model (board/sim/idcard_model).
 *
 * It opens the model's pty slave as a driver would and checks the replies byte by byte
 * against the reference (../shared/reference/idcard-ga467.md): literal frames where the
 * reference gives them, and otherwise frames and text fields built here by this file's own
 * small encoder, so the model is judged by a second reading of the reference, not by its
 * own code. Prints "ok protocol:model:NAME [- detail]" or "not ok protocol:model:NAME - why".
 *
 *   model_selftest                  every command, fixture, fault and the timing test
 *   model_selftest --port PATH      a status exchange and one full read of the `resident`
 *                                   card against an idcard_sim already serving PATH */
#include "board/sim/idcard_model.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static int test_failures;

static void test_report(const char *name, const char *why, const char *detail)
{
    if (why) {
        printf("not ok protocol:model:%s - %s\n", name, why);
        test_failures++;
    } else {
        printf("ok protocol:model:%s%s%s\n", name, detail ? " - " : "", detail ? detail : "");
    }
    fflush(stdout);
}

/* The first failure of a test, formatted; later ones are dropped (the first says most). */
struct test_case {
    const char *name;
    char why[256];
    char detail[256];
};

static void test_fail(struct test_case *test, const char *format, ...)
{
    if (test->why[0])
        return;
    va_list args;
    va_start(args, format);
    vsnprintf(test->why, sizeof test->why, format, args);
    va_end(args);
}

static void test_end(struct test_case *test)
{
    test_report(test->name, test->why[0] ? test->why : NULL, test->detail[0] ? test->detail : NULL);
}

static double test_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1000.0 + (double)now.tv_nsec / 1e6;
}

/* ---- the client side of the wire ------------------------------------------------------ */

struct client {
    int fd;
    unsigned char pending[8192];
    size_t have;
    size_t skipped;         /* bytes before the last frame's preamble */
    unsigned reads;         /* read() calls that returned bytes for the last frame */
};

static int client_open(struct client *client, const char *path)
{
    memset(client, 0, sizeof *client);
    client->fd = open(path, O_RDWR | O_NOCTTY);
    if (client->fd < 0)
        return -1;
    struct termios tio;
    if (tcgetattr(client->fd, &tio) == 0) {
        cfmakeraw(&tio);
        tcsetattr(client->fd, TCSANOW, &tio);
    }
    return 0;
}

static void client_close(struct client *client)
{
    if (client->fd >= 0)
        close(client->fd);
    client->fd = -1;
}

static int client_send(struct client *client, const unsigned char *bytes, size_t length)
{
    return write(client->fd, bytes, length) == (ssize_t)length ? 0 : -1;
}

/* A host frame: preamble, Len = 2 + data + 1 (CMD PARA DATA CHK), CHK = XOR of Len..DATA. */
static size_t client_frame(unsigned char *out, unsigned char cmd, unsigned char para,
                           const unsigned char *data, size_t data_length)
{
    static const unsigned char preamble[5] = {0xAA, 0xAA, 0xAA, 0x96, 0x69};
    size_t len = data_length + 3;
    memcpy(out, preamble, 5);
    out[5] = (unsigned char)(len >> 8);
    out[6] = (unsigned char)len;
    out[7] = cmd;
    out[8] = para;
    if (data_length)
        memcpy(out + 9, data, data_length);
    unsigned char chk = 0;
    for (size_t i = 5; i < 9 + data_length; i++)
        chk ^= out[i];
    out[9 + data_length] = chk;
    return 10 + data_length;
}

/* Receives one reply frame (preamble to CHK) into out within timeout_ms. Skips bytes
 * before a preamble (counted in skipped). Returns the frame length, 0 on timeout. */
static size_t client_receive(struct client *client, unsigned char *out, size_t room, int timeout_ms)
{
    static const unsigned char preamble[5] = {0xAA, 0xAA, 0xAA, 0x96, 0x69};
    double deadline = test_now_ms() + timeout_ms;
    client->skipped = 0;
    client->reads = 0;
    for (;;) {
        /* Drop what cannot start a preamble. */
        size_t drop = 0;
        while (drop < client->have) {
            size_t n = client->have - drop < 5 ? client->have - drop : 5;
            if (memcmp(client->pending + drop, preamble, n) == 0)
                break;
            drop++;
        }
        if (drop) {
            memmove(client->pending, client->pending + drop, client->have - drop);
            client->have -= drop;
            client->skipped += drop;
        }
        if (client->have >= 7) {
            size_t total = 7 + (((size_t)client->pending[5] << 8) | client->pending[6]);
            if (client->have >= total && total <= room) {
                memcpy(out, client->pending, total);
                memmove(client->pending, client->pending + total, client->have - total);
                client->have -= total;
                return total;
            }
        }
        int left = (int)(deadline - test_now_ms());
        if (left <= 0)
            return 0;
        struct pollfd fd = {.fd = client->fd, .events = POLLIN};
        if (poll(&fd, 1, left) <= 0)
            continue;
        if (client->have == sizeof client->pending)
            client->have = 0;
        ssize_t n = read(client->fd, client->pending + client->have, sizeof client->pending - client->have);
        if (n > 0) {
            client->have += (size_t)n;
            client->reads++;
        }
    }
}

/* Nothing at all arrives within ms (for silence and for "no second reply"). */
static int client_quiet_for(struct client *client, int ms)
{
    if (client->have)
        return 0;
    struct pollfd fd = {.fd = client->fd, .events = POLLIN};
    return poll(&fd, 1, ms) == 0;
}

static void format_hex(char *out, size_t room, const unsigned char *bytes, size_t length)
{
    size_t at = 0;
    out[0] = 0;
    for (size_t i = 0; i < length && at + 4 < room; i++)
        at += (size_t)snprintf(out + at, room - at, "%s%02X", i ? " " : "", bytes[i]);
    if (length * 3 >= room && room > 4)
        strcpy(out + room - 5, "...");
}

/* Sends request, expects exactly the reply bytes. */
static void expect_exchange(struct test_case *test, struct client *client, const unsigned char *request,
                            size_t request_length, const unsigned char *reply, size_t reply_length,
                            const char *what)
{
    unsigned char got[3000];
    if (client_send(client, request, request_length) < 0) {
        test_fail(test, "%s: write failed: %s", what, strerror(errno));
        return;
    }
    size_t n = client_receive(client, got, sizeof got, 3000);
    if (n != reply_length || memcmp(got, reply, n) != 0) {
        char want_hex[120], got_hex[120];
        format_hex(want_hex, sizeof want_hex, reply, reply_length);
        format_hex(got_hex, sizeof got_hex, got, n);
        test_fail(test, "%s: want [%s], got [%s]", what, want_hex, n ? got_hex : "nothing");
    }
}

/* The reply frame of an SW3 with no data: AA AA AA 96 69 00 04 00 00 SW3 (04^SW3). */
static size_t status_reply(unsigned char *out, unsigned char sw3)
{
    const unsigned char frame[11] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, sw3,
                                     (unsigned char)(0x04 ^ sw3)};
    memcpy(out, frame, sizeof frame);
    return sizeof frame;
}

static void expect_sw3(struct test_case *test, struct client *client, unsigned char cmd,
                       unsigned char para, unsigned char sw3, const char *what)
{
    unsigned char request[16], reply[16];
    size_t request_length = client_frame(request, cmd, para, NULL, 0);
    expect_exchange(test, client, request, request_length, reply, status_reply(reply, sw3), what);
}

/* Literal frames from the reference (section 1 and 2). */
static const unsigned char frame_find[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22};
static const unsigned char frame_status_reply[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04,
                                                   0x00, 0x00, 0x90, 0x94};
/* Find success: 4 data bytes of zeros, SW3 9F; CHK = 00^08^00^00^9F = 97. */
static const unsigned char frame_find_reply[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x08, 0x00, 0x00,
                                                 0x9F, 0x00, 0x00, 0x00, 0x00, 0x97};
/* Select success: 8 data bytes of zeros, SW3 90; CHK = 0C^90 = 9C. */
static const unsigned char frame_select_reply[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x0C, 0x00,
                                                   0x00, 0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0x9C};
/* Read header (section 4): Len 0x0508, SW 00 00 90, text 0x0100, photo 0x0400. */
static const unsigned char frame_read_header[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x05, 0x08,
                                                  0x00, 0x00, 0x90, 0x01, 0x00, 0x04, 0x00};

/* ---- what each card must hold ----------------------------------------------------------- */

struct expected_field {
    unsigned offset, length;
    const char *text;
};

struct expected_card {
    const char *fixture;
    struct expected_field fields[14];
    unsigned id_offset;          /* where an 18-character GB 11643 number sits, 0: none */
    const char *newest_address;
    unsigned fingerprint_length;
};

/* Offsets from the reference's text-block table, written out again here on purpose. */
static const struct expected_card expected_cards[] = {
    {"resident",
     {{0, 30, "张三丰"}, {30, 2, "1"}, {32, 4, "01"}, {36, 16, "19800315"},
      {52, 70, "山东省临沂市兰山区金雀山路18号"}, {122, 36, "371302198003152035"},
      {158, 30, "临沂市公安局兰山分局"}, {188, 16, "20150601"}, {204, 16, "20350601"},
      {220, 28, ""}, {248, 2, " "}},
     122, NULL, 1024},
    {"resident-expired",
     {{0, 30, "李秀英"}, {30, 2, "2"}, {32, 4, "01"}, {36, 16, "19650720"},
      {52, 70, "山东省临沂市罗庄区沂河路66号"}, {122, 36, "371311196507204027"},
      {188, 16, "20050101"}, {204, 16, "20250101"}, {248, 2, " "}},
     122, NULL, 0},
    {"resident-longterm",
     {{0, 30, "王建国"}, {32, 4, "03"}, {122, 36, "371312195008080017"},
      {188, 16, "20100808"}, {204, 16, "长期"}, {248, 2, " "}},
     122, NULL, 0},
    {"resident-moved",
     {{0, 30, "赵明"}, {52, 70, "山东省临沂市兰山区解放路100号"}, {122, 36, "371302199211035516"},
      {248, 2, " "}},
     122, "山东省临沂市北城新区北京路7号", 0},
    {"permit-j",
     {{0, 30, "陈美玲"}, {30, 2, "2"}, {32, 4, ""}, {36, 16, "19900212"},
      {122, 36, "810000199002123023"}, {158, 30, "公安部出入境管理局"},
      {220, 18, "H12345678"}, {238, 4, "01"}, {248, 2, "J"}},
     122, NULL, 0},
    {"foreign-2017",
     {{0, 120, "MUELLER ANNA MARIA"}, {120, 2, "2"}, {122, 30, "DEU370085021401"},
      {152, 6, "DEU"}, {158, 30, "安娜"}, {188, 16, "20170301"}, {204, 16, "20270301"},
      {220, 16, "19850214"}, {248, 2, "I"}},
     0, NULL, 0},
    {"foreign-2023",
     {{0, 30, "玛丽亚"}, {30, 2, "2"}, {36, 16, "19880505"},
      {52, 70, "RODRIGUEZ GARCIA MARIA DE LOS ANGEL"}, {122, 36, "933700198805051231"},
      {220, 22, "ES"}, {242, 6, "ESP"}, {248, 2, "Y"}},
     122, NULL, 0},
};
enum { EXPECTED_CARD_COUNT = sizeof expected_cards / sizeof expected_cards[0] };

/* UTF-8 (BMP only) to UCS-2LE, space padded to length bytes. */
static void encode_ucs2_field(unsigned char *out, unsigned length, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    unsigned at = 0;
    while (*s && at + 1 < length) {
        unsigned code;
        if (*s < 0x80) {
            code = *s++;
        } else if ((*s & 0xE0) == 0xC0) {
            code = ((unsigned)(s[0] & 0x1F) << 6) | (s[1] & 0x3Fu);
            s += 2;
        } else {
            code = ((unsigned)(s[0] & 0x0F) << 12) | ((unsigned)(s[1] & 0x3F) << 6) | (s[2] & 0x3Fu);
            s += 3;
        }
        out[at++] = (unsigned char)code;
        out[at++] = (unsigned char)(code >> 8);
    }
    while (at + 1 < length) {
        out[at++] = 0x20;
        out[at++] = 0x00;
    }
}

/* GB 11643: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 -> 1 0 X 9 8 7 6 5 4 3 2. */
static int gb11643_valid(const unsigned char *ucs2)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (ucs2[2 * i] < '0' || ucs2[2 * i] > '9' || ucs2[2 * i + 1])
            return 0;
        sum += (ucs2[2 * i] - '0') * weights[i];
    }
    return ucs2[34] == (unsigned char)"10X98765432"[sum % 11] && ucs2[35] == 0;
}

static int xor_ok(const unsigned char *frame, size_t length)
{
    unsigned char chk = 0;
    for (size_t i = 5; i + 1 < length; i++)
        chk ^= frame[i];
    return length > 7 && chk == frame[length - 1];
}

/* ---- the tests ------------------------------------------------------------------------- */

static struct idcard_model *start_model(struct test_case *test, struct client *client,
                                        const char *card, const char *fault, unsigned delay_ms)
{
    struct idcard_model_options options = {.card = card, .fault = fault, .delay_ms = delay_ms,
                                           .slow_ms = 400};
    struct idcard_model *model = NULL;
    int rc = idcard_model_start(&model, &options);
    if (rc < 0) {
        test_fail(test, "idcard_model_start: %s", strerror(-rc));
        return NULL;
    }
    if (client_open(client, idcard_model_slave_path(model)) < 0) {
        test_fail(test, "open %s: %s", idcard_model_slave_path(model), strerror(errno));
        idcard_model_stop(model);
        return NULL;
    }
    return model;
}

static void stop_model(struct idcard_model *model, struct client *client)
{
    client_close(client);
    idcard_model_stop(model);
}

/* find 9F, select 90, with the literal frames. */
static void find_and_select(struct test_case *test, struct client *client)
{
    unsigned char request[16];
    expect_exchange(test, client, frame_find, sizeof frame_find, frame_find_reply,
                    sizeof frame_find_reply, "find");
    expect_exchange(test, client, request, client_frame(request, 0x20, 0x02, NULL, 0),
                    frame_select_reply, sizeof frame_select_reply, "select");
}

/* Reads with 30 01 or 30 10 and checks the reply against the expected card. photo_out
 * (1024 bytes) receives the photo, to compare between cards. */
static void check_read(struct test_case *test, struct client *client, const struct expected_card *card,
                       int with_fingerprint, unsigned char *photo_out)
{
    unsigned char request[16], got[3000];
    client_send(client, request, client_frame(request, 0x30, with_fingerprint ? 0x10 : 0x01, NULL, 0));
    size_t n = client_receive(client, got, sizeof got, 4000);
    unsigned fingerprint = with_fingerprint ? card->fingerprint_length : 0;
    size_t want_total = with_fingerprint ? 1297 + fingerprint : 1295;
    if (n != want_total) {
        test_fail(test, "read %s: %zu bytes, want %zu", with_fingerprint ? "30 10" : "30 01", n, want_total);
        return;
    }
    if (!xor_ok(got, n))
        test_fail(test, "read: bad CHK %02X", got[n - 1]);
    size_t text_at;
    if (with_fingerprint) {
        size_t len = n - 7;
        unsigned char header[16] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, (unsigned char)(len >> 8),
                                    (unsigned char)len, 0x00, 0x00, 0x90, 0x01, 0x00, 0x04, 0x00,
                                    (unsigned char)(fingerprint >> 8), (unsigned char)fingerprint};
        if (memcmp(got, header, 16) != 0)
            test_fail(test, "read 30 10: header differs from the reference layout");
        text_at = 16;
        if (fingerprint == 1024 && (got[text_at + 256 + 1024 + 5] != 11 ||
                                    got[text_at + 256 + 1024 + 512 + 5] != 12))
            test_fail(test, "read 30 10: finger position codes missing at byte 5 of each template");
    } else {
        if (memcmp(got, frame_read_header, sizeof frame_read_header) != 0)
            test_fail(test, "read 30 01: header differs from the reference example");
        text_at = 14;
    }
    const unsigned char *text = got + text_at;
    for (size_t i = 0; i < sizeof card->fields / sizeof card->fields[0] && card->fields[i].text; i++) {
        const struct expected_field *field = &card->fields[i];
        unsigned char want[256];
        encode_ucs2_field(want, field->length, field->text);
        if (memcmp(text + field->offset, want, field->length) != 0)
            test_fail(test, "text at %u (%u bytes) is not \"%s\" in UCS-2LE, space padded",
                      field->offset, field->length, field->text);
    }
    if (card->id_offset && !gb11643_valid(text + card->id_offset))
        test_fail(test, "the ID number fails the GB 11643 check digit");
    if (photo_out)
        memcpy(photo_out, text + 256, 1024);
}

static void test_commands(void)
{
    struct test_case test = {.name = "commands"};
    struct client client;
    struct idcard_model *model = start_model(&test, &client, NULL, NULL, 0);
    if (!model) {
        test_end(&test);
        return;
    }
    unsigned char request[16], got[64];
    /* SAM status 11 FF and its literal reply. */
    expect_exchange(&test, &client, request, client_frame(request, 0x11, 0xFF, NULL, 0),
                    frame_status_reply, sizeof frame_status_reply, "status 11 FF");
    expect_sw3(&test, &client, 0x10, 0xFF, 0x90, "reset 10 FF");
    /* SAM ID: 16 bytes, u16 u16 u32(date) u32 u32, little-endian. */
    client_send(&client, request, client_frame(request, 0x12, 0xFF, NULL, 0));
    size_t n = client_receive(&client, got, sizeof got, 2000);
    if (n != 7 + 4 + 16 || got[5] != 0x00 || got[6] != 0x14 || got[9] != 0x90 || !xor_ok(got, n)) {
        test_fail(&test, "SAM ID 12 FF: want 27 bytes, Len 0014, SW3 90, good CHK; got %zu bytes", n);
    } else {
        unsigned long date = got[14] | (unsigned long)got[15] << 8 | (unsigned long)got[16] << 16 |
                             (unsigned long)got[17] << 24;
        if (date < 20000101ul || date > 20991231ul)
            test_fail(&test, "SAM ID: date field %lu is not a YYYYMMDD", date);
    }
    /* No card on the reader: find 80, select 81, read 41. */
    client_send(&client, frame_find, sizeof frame_find);
    n = client_receive(&client, got, sizeof got, 2000);
    if (n != 11 || got[9] != 0x80 || got[10] != (0x04 ^ 0x80))
        test_fail(&test, "find without a card: want SW3 80");
    expect_sw3(&test, &client, 0x20, 0x02, 0x81, "select without a card");
    expect_sw3(&test, &client, 0x30, 0x01, 0x41, "read without a card");
    /* Unknown commands and parameters: 21. */
    expect_sw3(&test, &client, 0x7F, 0xFF, 0x21, "unknown command 7F FF");
    expect_sw3(&test, &client, 0x20, 0x05, 0x21, "unknown parameter 20 05");
    expect_sw3(&test, &client, 0x60, 0x09, 0x21, "baud code 09");
    /* Set max RF frame bytes: hev's literal AA AA AA 96 69 00 04 61 FF 50 CA. */
    const unsigned char rf[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04, 0x61, 0xFF, 0x50, 0xCA};
    unsigned char reply[16];
    expect_exchange(&test, &client, rf, sizeof rf, reply, status_reply(reply, 0x90), "61 FF 50");
    /* A bad host checksum: 10. */
    const unsigned char bad_chk[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x23};
    expect_exchange(&test, &client, bad_chk, sizeof bad_chk, reply, status_reply(reply, 0x10),
                    "find with CHK 23");
    /* Bad lengths: Len 1 (shorter than CMD PARA CHK), Len 0x0FFF, and a frame that stops
     * short of its Len (answered after the model's gap timer). */
    const unsigned char len_short[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x01, 0x01};
    expect_exchange(&test, &client, len_short, sizeof len_short, reply, status_reply(reply, 0x11), "Len 1");
    const unsigned char len_huge[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x0F, 0xFF, 0x20, 0x01};
    expect_exchange(&test, &client, len_huge, sizeof len_huge, reply, status_reply(reply, 0x11), "Len 0FFF");
    const unsigned char truncated[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20};
    expect_exchange(&test, &client, truncated, sizeof truncated, reply, status_reply(reply, 0x11),
                    "frame cut short");
    /* A known command with a wrong Len: status with one data byte. */
    unsigned char extra = 0x00;
    expect_exchange(&test, &client, request, client_frame(request, 0x11, 0xFF, &extra, 1), reply,
                    status_reply(reply, 0x11), "11 FF with a data byte");
    /* Line noise before a frame is skipped. */
    const unsigned char noisy[] = {0x00, 0xAA, 0x13, 0xAA, 0xAA, 0x96, 0xAA, 0xAA, 0xAA, 0x96, 0x69,
                                   0x00, 0x03, 0x11, 0xFF, 0xED};
    expect_exchange(&test, &client, noisy, sizeof noisy, frame_status_reply, sizeof frame_status_reply,
                    "status after noise");
    /* Two frames in one write: two replies, in order. */
    unsigned char two[32];
    size_t two_length = client_frame(two, 0x11, 0xFF, NULL, 0);
    two_length += client_frame(two + two_length, 0x7F, 0x00, NULL, 0);
    client_send(&client, two, two_length);
    n = client_receive(&client, got, sizeof got, 2000);
    size_t n2 = client_receive(&client, got + 16, sizeof got - 16, 2000);
    if (n != 11 || got[9] != 0x90 || n2 != 11 || got[16 + 9] != 0x21)
        test_fail(&test, "two frames in one write: want 90 then 21");
    stop_model(model, &client);
    test_end(&test);
}

/* One card through the whole sequence, both read commands, the lift-and-replace rule. */
static void test_card(const struct expected_card *card, unsigned char photo[1024])
{
    char name[64];
    snprintf(name, sizeof name, "card:%s", card->fixture);
    struct test_case test = {.name = name};
    struct client client;
    struct idcard_model *model = start_model(&test, &client, card->fixture, NULL, 0);
    if (!model) {
        test_end(&test);
        return;
    }
    find_and_select(&test, &client);
    check_read(&test, &client, card, 0, photo);
    /* Newest address: 70 bytes UCS-2LE, or 91. */
    unsigned char request[16], got[128];
    client_send(&client, request, client_frame(request, 0x30, 0x03, NULL, 0));
    size_t n = client_receive(&client, got, sizeof got, 2000);
    if (card->newest_address) {
        unsigned char want[70];
        encode_ucs2_field(want, 70, card->newest_address);
        if (n != 7 + 4 + 70 || got[9] != 0x90 || !xor_ok(got, n) || memcmp(got + 10, want, 70) != 0)
            test_fail(&test, "30 03: want 70 bytes of \"%s\"", card->newest_address);
    } else {
        unsigned char reply[16];
        if (n != 11 || memcmp(got, reply, status_reply(reply, 0x91)) != 0)
            test_fail(&test, "30 03 on a card without a newest address: want SW3 91");
    }
    /* Read once, the card is not found again until lifted and put back. */
    client_send(&client, frame_find, sizeof frame_find);
    n = client_receive(&client, got, sizeof got, 2000);
    if (n != 11 || got[9] != 0x80)
        test_fail(&test, "find after a read, card not lifted: want SW3 80");
    idcard_model_remove_card(model);
    client_send(&client, frame_find, sizeof frame_find);
    n = client_receive(&client, got, sizeof got, 2000);
    if (n != 11 || got[9] != 0x80)
        test_fail(&test, "find after the card was lifted: want SW3 80");
    idcard_model_place_card(model, card->fixture);
    find_and_select(&test, &client);
    check_read(&test, &client, card, 1, NULL);
    stop_model(model, &client);
    snprintf(test.detail, sizeof test.detail, "find, select, 30 01, 30 03, lift and replace, 30 10");
    test_end(&test);
}

static void test_photos_differ(unsigned char photos[][1024], size_t count)
{
    struct test_case test = {.name = "photos"};
    for (size_t i = 0; i < count; i++) {
        size_t same = 0;
        for (size_t b = 1; b < 1024; b++)
            same += photos[i][b] == photos[i][0];
        if (same == 1023)
            test_fail(&test, "%s: the photo is one repeated byte", expected_cards[i].fixture);
        for (size_t j = 0; j < i; j++)
            if (memcmp(photos[i], photos[j], 1024) == 0)
                test_fail(&test, "%s and %s carry the same photo bytes", expected_cards[i].fixture,
                          expected_cards[j].fixture);
    }
    test_end(&test);
}

/* Set baud 60 04 (9600): the reply comes at the old rate, the next one at 9600. */
static void test_baud(void)
{
    struct test_case test = {.name = "set-baud"};
    struct client client;
    struct idcard_model *model = start_model(&test, &client, NULL, NULL, 0);
    if (!model) {
        test_end(&test);
        return;
    }
    unsigned char request[16], reply[16];
    double start = test_now_ms();
    expect_sw3(&test, &client, 0x60, 0x04, 0x90, "60 04");
    double first_ms = test_now_ms() - start;
    start = test_now_ms();
    expect_exchange(&test, &client, request, client_frame(request, 0x11, 0xFF, NULL, 0), reply,
                    status_reply(reply, 0x90), "status at 9600");
    double second_ms = test_now_ms() - start;
    /* 11 bytes: 0.95 ms at 115200, 11.5 ms at 9600. */
    if (first_ms >= 11.0)
        test_fail(&test, "the reply to 60 04 took %.1f ms: it should still be at 115200", first_ms);
    if (second_ms < 11.0)
        test_fail(&test, "a reply at 9600 baud took %.1f ms, under the 11.5 ms wire time", second_ms);
    expect_sw3(&test, &client, 0x60, 0x00, 0x90, "60 00");
    snprintf(test.detail, sizeof test.detail, "11-byte reply %.1f ms at 115200, %.1f ms at 9600",
             first_ms, second_ms);
    stop_model(model, &client);
    test_end(&test);
}

static void test_fault(const char *fault)
{
    char name[64];
    snprintf(name, sizeof name, "fault:%s", fault);
    struct test_case test = {.name = name};
    struct client client;
    struct idcard_model *model = start_model(&test, &client, "resident", fault, 0);
    if (!model) {
        test_end(&test);
        return;
    }
    const struct expected_card *card = &expected_cards[0];
    unsigned char request[16], reply[16], got[3000];
    size_t n;
    double start;
    if (strcmp(fault, "bad-checksum") == 0) {
        client_send(&client, request, client_frame(request, 0x11, 0xFF, NULL, 0));
        n = client_receive(&client, got, sizeof got, 2000);
        if (n != 11 || memcmp(got, frame_status_reply, 10) != 0 || got[10] == frame_status_reply[10])
            test_fail(&test, "status: want the 90 reply with a wrong CHK");
        client_send(&client, frame_find, sizeof frame_find);
        n = client_receive(&client, got, sizeof got, 2000);
        if (n != sizeof frame_find_reply || xor_ok(got, n))
            test_fail(&test, "find: want a 15-byte reply with a wrong CHK");
    } else if (strcmp(fault, "split") == 0) {
        find_and_select(&test, &client);
        check_read(&test, &client, card, 0, NULL);
        if (client.reads < 4)
            test_fail(&test, "the read reply came in %u pieces, want it split", client.reads);
        snprintf(test.detail, sizeof test.detail, "read reply arrived in %u pieces", client.reads);
    } else if (strcmp(fault, "slow") == 0) {
        start = test_now_ms();
        expect_exchange(&test, &client, request, client_frame(request, 0x11, 0xFF, NULL, 0),
                        frame_status_reply, sizeof frame_status_reply, "status");
        double took = test_now_ms() - start;
        if (took < 400.0)
            test_fail(&test, "status answered in %.0f ms, want the 400 ms slow delay", took);
        snprintf(test.detail, sizeof test.detail, "status in %.0f ms (slow delay 400 ms)", took);
    } else if (strcmp(fault, "junk") == 0) {
        find_and_select(&test, &client);
        if (client.skipped == 0)
            test_fail(&test, "no junk before the select reply");
        check_read(&test, &client, card, 0, NULL);
        snprintf(test.detail, sizeof test.detail, "%zu junk bytes skipped before a reply", client.skipped);
    } else if (strcmp(fault, "no-card") == 0) {
        client_send(&client, frame_find, sizeof frame_find);
        n = client_receive(&client, got, sizeof got, 2000);
        if (n != 11 || memcmp(got, reply, status_reply(reply, 0x80)) != 0)
            test_fail(&test, "find with a card but no-card fault: want SW3 80");
    } else if (strcmp(fault, "removed-mid-read") == 0) {
        find_and_select(&test, &client);
        expect_sw3(&test, &client, 0x30, 0x01, 0x41, "read after the card left");
        client_send(&client, frame_find, sizeof frame_find);
        n = client_receive(&client, got, sizeof got, 2000);
        if (n != 11 || got[9] != 0x80)
            test_fail(&test, "find after the card left: want SW3 80");
    } else if (strcmp(fault, "sam-failure") == 0 || strcmp(fault, "unauthorised") == 0) {
        unsigned char sw3 = fault[0] == 's' ? 0x60 : 0x66;
        expect_sw3(&test, &client, 0x11, 0xFF, sw3, "status");
        client_send(&client, frame_find, sizeof frame_find);
        n = client_receive(&client, got, sizeof got, 2000);
        if (n != 11 || memcmp(got, reply, status_reply(reply, sw3)) != 0)
            test_fail(&test, "find: want SW3 %02X", sw3);
        expect_sw3(&test, &client, 0x30, 0x01, sw3, "read");
    } else if (strcmp(fault, "silence") == 0) {
        client_send(&client, request, client_frame(request, 0x11, 0xFF, NULL, 0));
        client_send(&client, frame_find, sizeof frame_find);
        if (!client_quiet_for(&client, 600))
            test_fail(&test, "the model answered while silent");
        /* Clearing the fault brings the reader back. */
        idcard_model_set_fault(model, "none");
        expect_exchange(&test, &client, request, client_frame(request, 0x11, 0xFF, NULL, 0),
                        frame_status_reply, sizeof frame_status_reply, "status after the fault cleared");
    }
    stop_model(model, &client);
    test_end(&test);
}

/* One full read (find, select, 30 01) at the given baud and processing delay: the time from
 * the first request to the last reply byte against the wire time of the reply bytes
 * (x 10 / baud; requests cross the pty at once) plus three processing delays. */
static void test_timing(unsigned baud, unsigned delay_ms)
{
    char name[64];
    snprintf(name, sizeof name, "timing-%u", baud);
    struct test_case test = {.name = name};
    struct client client;
    struct idcard_model_options options = {.card = "resident", .baud = baud, .delay_ms = delay_ms};
    struct idcard_model *model = NULL;
    if (idcard_model_start(&model, &options) < 0 || client_open(&client, idcard_model_slave_path(model)) < 0) {
        test_fail(&test, "cannot start the model");
        idcard_model_stop(model);
        test_end(&test);
        return;
    }
    if (baud != 115200) {
        /* The model starts at the rate asked for; nothing to switch. */
    }
    double start = test_now_ms();
    find_and_select(&test, &client);
    check_read(&test, &client, &expected_cards[0], 0, NULL);
    double took = test_now_ms() - start;
    const double reply_bytes = 15 + 19 + 1295;
    double expected = reply_bytes * 10.0 * 1000.0 / baud + 3.0 * delay_ms;
    double error = (took - expected) / expected * 100.0;
    if (took < expected * 0.9 || took > expected * 1.1)
        test_fail(&test, "%.1f ms, expected %.1f ms +-10%% (%+.1f %%)", took, expected, error);
    snprintf(test.detail, sizeof test.detail,
             "%.1f ms for %.0f reply bytes + 3 x %u ms delay, expected %.1f ms (%+.1f %%)", took,
             reply_bytes, delay_ms, expected, error);
    stop_model(model, &client);
    test_end(&test);
}

/* Against an idcard_sim serving PATH with --card resident. */
static int test_external(const char *path)
{
    struct test_case test = {.name = "idcard_sim"};
    struct client client;
    if (client_open(&client, path) < 0) {
        test_fail(&test, "open %s: %s", path, strerror(errno));
        test_end(&test);
        return 1;
    }
    unsigned char request[16];
    expect_exchange(&test, &client, request, client_frame(request, 0x11, 0xFF, NULL, 0),
                    frame_status_reply, sizeof frame_status_reply, "status");
    find_and_select(&test, &client);
    check_read(&test, &client, &expected_cards[0], 0, NULL);
    client_close(&client);
    snprintf(test.detail, sizeof test.detail, "status and a full read of `resident` through %s", path);
    test_end(&test);
    return test_failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--port") == 0)
        return test_external(argv[2]);
    if (argc != 1) {
        fprintf(stderr, "usage: model_selftest [--port PATH]\n");
        return 2;
    }
    test_commands();
    unsigned char photos[EXPECTED_CARD_COUNT][1024];
    for (size_t i = 0; i < EXPECTED_CARD_COUNT; i++)
        test_card(&expected_cards[i], photos[i]);
    test_photos_differ(photos, EXPECTED_CARD_COUNT);
    test_baud();
    for (const char *const *fault = idcard_model_fault_names(); *fault; fault++)
        if (strcmp(*fault, "none") != 0)
            test_fault(*fault);
    test_timing(115200, 20);
    test_timing(38400, 0);
    return test_failures ? 1 : 0;
}
