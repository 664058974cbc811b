/* GA 467 SAM reader model behind a pty (see idcard_model.h). Frame layout, commands, SW3
 * codes and text layouts follow ../shared/reference/idcard-ga467.md sections 1-4. */
#include "board/sim/idcard_model.h"
#include "board/sim/sim_device.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* Frame constants (reference section 1). */
static const unsigned char model_preamble[5] = {0xAA, 0xAA, 0xAA, 0x96, 0x69};
enum {
    MODEL_HEADER_BYTES = 7,          /* preamble + Len */
    /* The longest host frame is 61 FF + one byte (Len 4); anything far beyond is a host
     * that lost its framing, answered with SW3 11 rather than waited for. */
    MODEL_HOST_LEN_MAX = 64,
    /* A host frame that stops arriving mid-way is a length error, not a hang. */
    MODEL_FRAME_GAP_MS = 300,
    MODEL_REPLY_MAX = 2400,          /* read + fingerprint is 2321 bytes */
    MODEL_TEXT_BYTES = 256,
    MODEL_PHOTO_BYTES = 1024,
    MODEL_FINGERPRINT_BYTES = 1024,
    MODEL_ADDRESS_BYTES = 70,
};

/* SW3 codes (reference section 3). */
enum {
    SW3_SUCCESS = 0x90,
    SW3_FIND_SUCCESS = 0x9F,
    SW3_NO_SUCH_ITEM = 0x91,
    SW3_HOST_CHECKSUM = 0x10,
    SW3_HOST_LENGTH = 0x11,
    SW3_BAD_COMMAND = 0x21,
    SW3_READ_FAILED = 0x41,
    SW3_SAM_SELF_TEST = 0x60,
    SW3_SAM_UNAUTHORISED = 0x66,
    SW3_FIND_FAILED = 0x80,
    SW3_SELECT_FAILED = 0x81,
};

/* ---- fixtures ------------------------------------------------------------------------ */

/* One field of a text block: UTF-8 text written as UCS-2LE at a byte offset, padded
 * with spaces to its length. check_digit: the text is the first 17 digits of a GB 11643
 * number and the model appends the check digit, so fixtures cannot carry a wrong one. */
struct fixture_field {
    unsigned offset, length;
    const char *text;
    int check_digit;
};

struct fixture {
    const char *name;
    struct fixture_field fields[14];
    const char *newest_address;     /* NULL: the card has none (30 03 answers 91) */
    unsigned fingerprint_length;    /* 0 or 1024 */
};

/* Invented people, invented numbers (371302 = 临沂市兰山区; 81 = Hong Kong; 9 = the 2023
 * foreigner's card). Offsets and lengths are those of the reference's layout table. */
static const struct fixture model_fixtures[] = {
    {"resident",
     {{0, 30, "张三丰", 0}, {30, 2, "1", 0}, {32, 4, "01", 0}, {36, 16, "19800315", 0},
      {52, 70, "山东省临沂市兰山区金雀山路18号", 0}, {122, 36, "37130219800315203", 1},
      {158, 30, "临沂市公安局兰山分局", 0}, {188, 16, "20150601", 0}, {204, 16, "20350601", 0}},
     NULL, 1024},
    {"resident-expired",
     {{0, 30, "李秀英", 0}, {30, 2, "2", 0}, {32, 4, "01", 0}, {36, 16, "19650720", 0},
      {52, 70, "山东省临沂市罗庄区沂河路66号", 0}, {122, 36, "37131119650720402", 1},
      {158, 30, "临沂市公安局罗庄分局", 0}, {188, 16, "20050101", 0}, {204, 16, "20250101", 0}},
     NULL, 0},
    {"resident-longterm",
     {{0, 30, "王建国", 0}, {30, 2, "1", 0}, {32, 4, "03", 0}, {36, 16, "19500808", 0},
      {52, 70, "山东省临沂市河东区滨河东路9号", 0}, {122, 36, "37131219500808001", 1},
      {158, 30, "临沂市公安局河东分局", 0}, {188, 16, "20100808", 0}, {204, 16, "长期", 0}},
     NULL, 0},
    {"resident-moved",
     {{0, 30, "赵明", 0}, {30, 2, "1", 0}, {32, 4, "01", 0}, {36, 16, "19921103", 0},
      {52, 70, "山东省临沂市兰山区解放路100号", 0}, {122, 36, "37130219921103551", 1},
      {158, 30, "临沂市公安局兰山分局", 0}, {188, 16, "20200105", 0}, {204, 16, "20400105", 0}},
     "山东省临沂市北城新区北京路7号", 0},
    {"permit-j",
     {{0, 30, "陈美玲", 0}, {30, 2, "2", 0}, {36, 16, "19900212", 0},
      {52, 70, "香港特别行政区九龙旺角道8号", 0}, {122, 36, "81000019900212302", 1},
      {158, 30, "公安部出入境管理局", 0}, {188, 16, "20210301", 0}, {204, 16, "20260301", 0},
      {220, 18, "H12345678", 0}, {238, 4, "01", 0}, {248, 2, "J", 0}},
     NULL, 0},
    {"foreign-2017",
     {{0, 120, "MUELLER ANNA MARIA", 0}, {120, 2, "2", 0}, {122, 30, "DEU370085021401", 0},
      {152, 6, "DEU", 0}, {158, 30, "安娜", 0}, {188, 16, "20170301", 0},
      {204, 16, "20270301", 0}, {220, 16, "19850214", 0}, {236, 4, "17", 0},
      {240, 8, "1500", 0}, {248, 2, "I", 0}},
     NULL, 0},
    {"foreign-2023",
     {{0, 30, "玛丽亚", 0}, {30, 2, "2", 0}, {32, 4, "00", 0}, {36, 16, "19880505", 0},
      /* 37 characters: the first 35 fill part 1 exactly, "ES" spills into part 2. */
      {52, 70, "RODRIGUEZ GARCIA MARIA DE LOS ANGEL", 0}, {122, 36, "93370019880505123", 1},
      {188, 16, "20230601", 0}, {204, 16, "20330601", 0}, {220, 22, "ES", 0},
      {242, 6, "ESP", 0}, {248, 2, "Y", 0}},
     NULL, 0},
};
enum { MODEL_FIXTURE_COUNT = sizeof model_fixtures / sizeof model_fixtures[0] };

static const char *const model_fixture_name_list[] = {
    "resident", "resident-expired", "resident-longterm", "resident-moved",
    "permit-j", "foreign-2017", "foreign-2023", NULL,
};

/* Fault modes (issue 4, point 5). */
enum model_fault {
    FAULT_NONE,
    FAULT_BAD_CHECKSUM,     /* every reply's CHK inverted */
    FAULT_SPLIT,            /* replies in small chunks with pauses */
    FAULT_SLOW,             /* a long processing delay before each reply */
    FAULT_JUNK,             /* garbage (with half a preamble) before each reply */
    FAULT_NO_CARD,          /* find answers 80 whatever lies on the reader */
    FAULT_REMOVED_MID_READ, /* the card is lifted right after select: read answers 41 */
    FAULT_SAM_FAILURE,      /* SW3 60 to everything */
    FAULT_SILENCE,          /* frames are swallowed, nothing is answered */
    FAULT_UNAUTHORISED,     /* SW3 66 to everything */
    FAULT_COUNT
};
static const char *const model_fault_name_list[] = {
    "none", "bad-checksum", "split", "slow", "junk", "no-card", "removed-mid-read",
    "sam-failure", "silence", "unauthorised", NULL,
};

const char *const *idcard_model_fixture_names(void)
{
    return model_fixture_name_list;
}

const char *const *idcard_model_fault_names(void)
{
    return model_fault_name_list;
}

/* GB 11643-1999 (ISO 7064 MOD 11-2) check digit of 17 digits. */
static char model_check_digit(const char *digits17)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char map[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (digits17[i] - '0') * weights[i];
    return map[sum % 11];
}

/* Writes UTF-8 text as UCS-2LE into out[0..length), space padded. Characters beyond
 * the BMP do not occur in the fixtures; they would come out as U+FFFD. */
static void model_put_ucs2(unsigned char *out, unsigned length, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    unsigned at = 0;
    while (*s && at + 2 <= length) {
        uint32_t code;
        if (s[0] < 0x80) {
            code = s[0];
            s += 1;
        } else if ((s[0] & 0xE0) == 0xC0 && s[1]) {
            code = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
            s += 2;
        } else if ((s[0] & 0xF0) == 0xE0 && s[1] && s[2]) {
            code = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
            s += 3;
        } else {
            code = 0xFFFD;
            s += 1;
            while ((*s & 0xC0) == 0x80)
                s++;
        }
        out[at] = (unsigned char)(code & 0xFF);
        out[at + 1] = (unsigned char)(code >> 8);
        at += 2;
    }
    for (; at + 2 <= length; at += 2) {
        out[at] = ' ';
        out[at + 1] = 0;
    }
}

static void model_build_text(const struct fixture *fixture, unsigned char text[MODEL_TEXT_BYTES])
{
    model_put_ucs2(text, MODEL_TEXT_BYTES, "");
    for (size_t i = 0; i < sizeof fixture->fields / sizeof fixture->fields[0]; i++) {
        const struct fixture_field *field = &fixture->fields[i];
        if (!field->text)
            break;
        if (field->check_digit) {
            char number[19];
            snprintf(number, sizeof number, "%.17s%c", field->text, model_check_digit(field->text));
            model_put_ucs2(text + field->offset, field->length, number);
        } else {
            model_put_ucs2(text + field->offset, field->length, field->text);
        }
    }
}

/* No WLT encoder exists in the open: the photo is deterministic filler that differs per
 * card, so a test can tell one card's photo bytes from another's. */
static void model_build_filler(const char *name, unsigned salt, unsigned char *out, size_t length)
{
    uint32_t state = 2166136261u ^ salt;
    for (const char *c = name; *c; c++)
        state = (state ^ (unsigned char)*c) * 16777619u;
    for (size_t i = 0; i < length; i++) {
        state = state * 1103515245u + 12345u;
        out[i] = (unsigned char)(state >> 16);
    }
}

static const struct fixture *model_find_fixture(const char *name)
{
    for (size_t i = 0; i < MODEL_FIXTURE_COUNT; i++)
        if (strcmp(model_fixtures[i].name, name) == 0)
            return &model_fixtures[i];
    return NULL;
}

/* ---- the model ----------------------------------------------------------------------- */

/* Where the card is in the read sequence. A card that has been read stays "read" until it
 * is lifted and put back: real readers refuse to find it again [C12]. */
enum card_state { CARD_ABSENT, CARD_PRESENT, CARD_FOUND, CARD_SELECTED, CARD_READ };

struct idcard_model {
    struct sim_device device; /* the pty and the thread behind it */
    /* device.lock guards everything below: API calls come from other threads */
    const struct fixture *card;
    enum card_state card_state;
    int fault;
    unsigned baud;
    unsigned delay_ms;
    unsigned slow_ms;
    struct idcard_model_stats stats;
};

static uint64_t model_now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

/* Sleeps until the monotonic deadline, or until stop() is called (returns -1 then). */
static int model_sleep_until(struct idcard_model *model, uint64_t deadline_ns)
{
    for (;;) {
        uint64_t now = model_now_ns();
        if (now >= deadline_ns)
            return 0;
        uint64_t left = deadline_ns - now;
        struct pollfd wake = {.fd = model->device.stop_fd, .events = POLLIN};
        if (left >= 2000000u) {
            /* Poll's millisecond grain would overshoot; stop 1 ms early and finish below. */
            if (poll(&wake, 1, (int)((left - 1000000u) / 1000000u)) > 0)
                return -1;
            continue;
        }
        if (poll(&wake, 1, 0) > 0)
            return -1;
        struct timespec until = {.tv_sec = (time_t)(deadline_ns / 1000000000u),
                                 .tv_nsec = (long)(deadline_ns % 1000000000u)};
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
    }
}

/* Writes all of bytes, waiting for room; -1 on stop or a dead pty. */
static int model_write_all(struct idcard_model *model, const unsigned char *bytes, size_t length)
{
    while (length > 0) {
        ssize_t n = write(model->device.master_fd, bytes, length);
        if (n > 0) {
            bytes += n;
            length -= (size_t)n;
            pthread_mutex_lock(&model->device.lock);
            model->stats.reply_bytes += (unsigned long)n;
            pthread_mutex_unlock(&model->device.lock);
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            return -1;
        /* The host is not reading and the pty buffer is full: wait, but stay stoppable. */
        struct pollfd fds[2] = {{.fd = model->device.master_fd, .events = POLLOUT},
                                {.fd = model->device.stop_fd, .events = POLLIN}};
        if (poll(fds, 2, 1000) > 0 && (fds[1].revents & POLLIN))
            return -1;
    }
    return 0;
}

/* Sends bytes at the wire's pace: byte k is due at start + k x 10 / baud (8N1: ten bit
 * times a byte), so the host sees what a 115200 or 9600 baud reader gives it. split: the
 * split fault, which cuts the frame inside the preamble, inside Len and then every 200
 * bytes, with a 10 ms pause at each cut (a USB-serial bridge flushing late). */
static int model_send_paced(struct idcard_model *model, const unsigned char *bytes, size_t length,
                            unsigned baud, int split)
{
    static const size_t split_chunks[4] = {3, 4, 2, 200};
    const uint64_t split_pause_ns = 10u * 1000000u;
    uint64_t start = model_now_ns();
    uint64_t pauses = 0;
    size_t sent = 0;
    for (unsigned piece = 0; sent < length; piece++) {
        size_t chunk = split ? split_chunks[piece % 4] : 32;
        size_t n = length - sent < chunk ? length - sent : chunk;
        uint64_t due = start + pauses + (uint64_t)(sent + n) * 10u * 1000000000u / baud;
        if (model_sleep_until(model, due) < 0)
            return -1;
        if (model_write_all(model, bytes + sent, n) < 0)
            return -1;
        sent += n;
        if (split)
            pauses += split_pause_ns;
    }
    return 0;
}

/* Builds a reply frame: preamble, Len (big-endian, counts SW1..CHK), SW1 SW2 SW3, data,
 * CHK = XOR of Len1..last data byte. Returns the frame length. */
static size_t model_encode_reply(unsigned char *out, unsigned char sw1, unsigned char sw2,
                                 unsigned char sw3, const unsigned char *data, size_t data_length)
{
    size_t len = 3 + data_length + 1;
    memcpy(out, model_preamble, 5);
    out[5] = (unsigned char)(len >> 8);
    out[6] = (unsigned char)(len & 0xFF);
    out[7] = sw1;
    out[8] = sw2;
    out[9] = sw3;
    if (data_length)
        memcpy(out + 10, data, data_length);
    unsigned char chk = 0;
    for (size_t i = 5; i < 10 + data_length; i++)
        chk ^= out[i];
    out[10 + data_length] = chk;
    return MODEL_HEADER_BYTES + len;
}

/* Sends one reply with the fault shaping in force, at the baud rate in force. */
static int model_send_reply(struct idcard_model *model, unsigned char *frame, size_t length)
{
    pthread_mutex_lock(&model->device.lock);
    int fault = model->fault;
    unsigned baud = model->baud;
    pthread_mutex_unlock(&model->device.lock);

    if (fault == FAULT_BAD_CHECKSUM)
        frame[length - 1] ^= 0xFF;
    if (fault == FAULT_JUNK) {
        /* Noise a driver must skip: zeros, a stray AA run that is not a preamble, and a
         * preamble cut short before the real one. */
        static const unsigned char junk[] = {0x00, 0xFF, 0x13, 0xAA, 0xAA, 0x55, 0xAA,
                                             0xAA, 0xAA, 0x96, 0x00, 0x7E};
        if (model_send_paced(model, junk, sizeof junk, baud, 0) < 0)
            return -1;
    }
    return model_send_paced(model, frame, length, baud, fault == FAULT_SPLIT);
}

/* Answers one well-formed host frame (checksum and length already checked). */
static int model_answer(struct idcard_model *model, unsigned char cmd, unsigned char para,
                        const unsigned char *data, size_t data_length)
{
    unsigned char reply[MODEL_REPLY_MAX];
    unsigned char body[MODEL_REPLY_MAX];
    size_t body_length = 0;
    unsigned char sw1 = 0, sw2 = 0, sw3 = SW3_SUCCESS;
    unsigned new_baud = 0;

    pthread_mutex_lock(&model->device.lock);
    int fault = model->fault;
    unsigned delay_ms = model->delay_ms + (fault == FAULT_SLOW ? model->slow_ms : 0);
    pthread_mutex_unlock(&model->device.lock);

    /* The SAM thinks about every command, including the ones it refuses. */
    if (model_sleep_until(model, model_now_ns() + (uint64_t)delay_ms * 1000000u) < 0)
        return -1;

    pthread_mutex_lock(&model->device.lock);
    const struct fixture *card = model->card;
    unsigned expected_data = (cmd == 0x61) ? 1 : 0;
    int known = (cmd == 0x10 && para == 0xFF) || (cmd == 0x11 && para == 0xFF) ||
                (cmd == 0x12 && para == 0xFF) || (cmd == 0x20 && (para == 0x01 || para == 0x02)) ||
                (cmd == 0x30 && (para == 0x01 || para == 0x03 || para == 0x10)) ||
                (cmd == 0x60 && para <= 0x04) || (cmd == 0x61 && para == 0xFF);
    if (fault == FAULT_SAM_FAILURE) {
        sw3 = SW3_SAM_SELF_TEST;
    } else if (fault == FAULT_UNAUTHORISED) {
        sw3 = SW3_SAM_UNAUTHORISED;
    } else if (!known) {
        sw3 = SW3_BAD_COMMAND;
    } else if (data_length != expected_data) {
        sw3 = SW3_HOST_LENGTH;
    } else if (cmd == 0x10 || cmd == 0x11) {
        /* reset, status: nothing to say but 90 */
    } else if (cmd == 0x12) {
        /* SAM ID: u16 LE 5, u16 LE 1, u32 LE 20230415, u32 LE 1234567, u32 LE 89012345 */
        static const uint32_t parts[5] = {5, 1, 20230415u, 1234567u, 89012345u};
        static const int widths[5] = {2, 2, 4, 4, 4};
        for (int i = 0; i < 5; i++)
            for (int b = 0; b < widths[i]; b++)
                body[body_length++] = (unsigned char)(parts[i] >> (8 * b));
    } else if (cmd == 0x20 && para == 0x01) {
        if (card && model->card_state == CARD_PRESENT && fault != FAULT_NO_CARD) {
            sw3 = SW3_FIND_SUCCESS;
            model->card_state = CARD_FOUND;
        } else if (card && (model->card_state == CARD_FOUND || model->card_state == CARD_SELECTED) &&
                   fault != FAULT_NO_CARD) {
            /* Finding again before the read is allowed: the card is still fresh. */
            sw3 = SW3_FIND_SUCCESS;
        } else {
            sw3 = SW3_FIND_FAILED;
        }
        if (sw3 == SW3_FIND_SUCCESS) {
            memset(body, 0, 4);
            body_length = 4;
        }
    } else if (cmd == 0x20 && para == 0x02) {
        if (card && (model->card_state == CARD_FOUND || model->card_state == CARD_SELECTED)) {
            model->card_state = CARD_SELECTED;
            memset(body, 0, 8);
            body_length = 8;
            if (fault == FAULT_REMOVED_MID_READ) {
                model->card = NULL;
                model->card_state = CARD_ABSENT;
            }
        } else {
            sw3 = SW3_SELECT_FAILED;
        }
    } else if (cmd == 0x30 && (para == 0x01 || para == 0x10)) {
        if (card && (model->card_state == CARD_SELECTED || model->card_state == CARD_READ)) {
            unsigned fingerprint = para == 0x10 ? card->fingerprint_length : 0;
            body[body_length++] = MODEL_TEXT_BYTES >> 8;
            body[body_length++] = MODEL_TEXT_BYTES & 0xFF;
            body[body_length++] = MODEL_PHOTO_BYTES >> 8;
            body[body_length++] = MODEL_PHOTO_BYTES & 0xFF;
            if (para == 0x10) {
                body[body_length++] = (unsigned char)(fingerprint >> 8);
                body[body_length++] = (unsigned char)(fingerprint & 0xFF);
            }
            model_build_text(card, body + body_length);
            body_length += MODEL_TEXT_BYTES;
            model_build_filler(card->name, 1, body + body_length, MODEL_PHOTO_BYTES);
            body_length += MODEL_PHOTO_BYTES;
            if (fingerprint) {
                model_build_filler(card->name, 2, body + body_length, fingerprint);
                /* Finger position codes (byte 5 of each 512-byte template): right thumb,
                 * right index (GB/T codes 11, 12). */
                body[body_length + 5] = 11;
                body[body_length + 512 + 5] = 12;
                body_length += fingerprint;
            }
            model->card_state = CARD_READ;
        } else {
            /* The card left the field (or was never selected): the read fails. */
            sw3 = SW3_READ_FAILED;
        }
    } else if (cmd == 0x30 && para == 0x03) {
        if (!card || (model->card_state != CARD_SELECTED && model->card_state != CARD_READ)) {
            sw3 = SW3_READ_FAILED;
        } else if (!card->newest_address) {
            sw3 = SW3_NO_SUCH_ITEM;
        } else {
            model_put_ucs2(body, MODEL_ADDRESS_BYTES, card->newest_address);
            body_length = MODEL_ADDRESS_BYTES;
        }
    } else if (cmd == 0x60) {
        static const unsigned rates[5] = {115200, 57600, 38400, 19200, 9600};
        new_baud = rates[para];
    } else if (cmd == 0x61) {
        if (data[0] < 24)
            sw3 = SW3_BAD_COMMAND;
    }
    model->stats.commands++;
    pthread_mutex_unlock(&model->device.lock);

    size_t length = model_encode_reply(reply, sw1, sw2, sw3, body, body_length);
    int rc = model_send_reply(model, reply, length);
    /* The reply to 60 still goes out at the old rate; the new one applies from here. */
    if (new_baud) {
        pthread_mutex_lock(&model->device.lock);
        model->baud = new_baud;
        pthread_mutex_unlock(&model->device.lock);
    }
    return rc;
}

/* Answers a framing error (bad length or checksum) the way the SAM does: an SW3 code in
 * a frame without data, unless a fault overrides it. */
static int model_answer_error(struct idcard_model *model, unsigned char sw3)
{
    unsigned char reply[16];
    pthread_mutex_lock(&model->device.lock);
    int fault = model->fault;
    model->stats.commands++;
    pthread_mutex_unlock(&model->device.lock);
    if (fault == FAULT_SAM_FAILURE)
        sw3 = SW3_SAM_SELF_TEST;
    else if (fault == FAULT_UNAUTHORISED)
        sw3 = SW3_SAM_UNAUTHORISED;
    return model_send_reply(model, reply, model_encode_reply(reply, 0, 0, sw3, NULL, 0));
}

static int model_is_silent(struct idcard_model *model)
{
    pthread_mutex_lock(&model->device.lock);
    int silent = model->fault == FAULT_SILENCE;
    if (silent)
        model->stats.commands++;
    pthread_mutex_unlock(&model->device.lock);
    return silent;
}

/* Consumes what it can from the front of buf: skips bytes that cannot start a preamble,
 * answers complete frames. Returns the bytes consumed (0: wait for more), or -1 to stop.
 * *stale: the caller's gap timer expired, so an incomplete frame counts as a length error. */
static long model_parse(struct idcard_model *model, const unsigned char *buf, size_t length, int stale)
{
    size_t skip = 0;
    /* Resynchronise: find the first position where a preamble starts or may start. */
    while (skip < length) {
        size_t n = length - skip < 5 ? length - skip : 5;
        if (memcmp(buf + skip, model_preamble, n) == 0)
            break;
        skip++;
    }
    if (skip)
        return (long)skip;
    if (length < MODEL_HEADER_BYTES) {
        return stale ? (long)length : 0;   /* a lone partial preamble: dropped when stale */
    }
    size_t len = ((size_t)buf[5] << 8) | buf[6];
    if (len < 3 || len > MODEL_HOST_LEN_MAX) {
        if (!model_is_silent(model) && model_answer_error(model, SW3_HOST_LENGTH) < 0)
            return -1;
        return 5;   /* drop the preamble and look for the next */
    }
    if (length < MODEL_HEADER_BYTES + len) {
        if (!stale)
            return 0;
        /* The host promised more than it sent. */
        if (!model_is_silent(model) && model_answer_error(model, SW3_HOST_LENGTH) < 0)
            return -1;
        return (long)length;
    }
    size_t total = MODEL_HEADER_BYTES + len;
    unsigned char chk = 0;
    for (size_t i = 5; i < total - 1; i++)
        chk ^= buf[i];
    if (model_is_silent(model))
        return (long)total;
    int rc = chk != buf[total - 1] ? model_answer_error(model, SW3_HOST_CHECKSUM)
                                   : model_answer(model, buf[7], buf[8], buf + 9, len - 3);
    return rc < 0 ? -1 : (long)total;
}

static void *model_thread_main(void *arg)
{
    struct idcard_model *model = arg;
    unsigned char buf[4096];
    size_t have = 0;
    uint64_t last_byte_ns = 0;
    for (;;) {
        struct pollfd fds[2] = {{.fd = model->device.master_fd, .events = POLLIN},
                                {.fd = model->device.stop_fd, .events = POLLIN}};
        int timeout = have ? MODEL_FRAME_GAP_MS : -1;
        int ready = poll(fds, 2, timeout);
        if (ready < 0 && errno != EINTR)
            break;
        if (fds[1].revents & POLLIN)
            break;
        int stale = 0;
        if (fds[0].revents & POLLIN) {
            if (have == sizeof buf)
                have = 0;   /* a flood without frames: forget it */
            ssize_t n = read(model->device.master_fd, buf + have, sizeof buf - have);
            if (n > 0) {
                have += (size_t)n;
                last_byte_ns = model_now_ns();
            }
        } else if (ready == 0 && have) {
            stale = model_now_ns() - last_byte_ns >= (uint64_t)MODEL_FRAME_GAP_MS * 1000000u;
        }
        for (;;) {
            long used = model_parse(model, buf, have, stale);
            if (used < 0)
                return NULL;
            if (used == 0)
                break;
            memmove(buf, buf + used, have - (size_t)used);
            have -= (size_t)used;
        }
    }
    return NULL;
}

int idcard_model_start(struct idcard_model **model_out, const struct idcard_model_options *options)
{
    const struct fixture *card = NULL;
    if (options->card && !(card = model_find_fixture(options->card)))
        return -EINVAL;
    int fault = sim_device_find_fault(model_fault_name_list, options->fault);
    if (fault < 0)
        return -EINVAL;

    struct idcard_model *model = calloc(1, sizeof *model);
    if (!model)
        return -ENOMEM;
    model->card = card;
    model->card_state = card ? CARD_PRESENT : CARD_ABSENT;
    model->fault = fault;
    model->baud = options->baud ? options->baud : 115200;
    model->delay_ms = options->delay_ms;
    model->slow_ms = options->slow_ms ? options->slow_ms : 1000;
    int rc = sim_device_start(&model->device, model_thread_main, model);
    if (rc < 0)
        free(model);
    else
        *model_out = model;
    return rc;
}

const char *idcard_model_slave_path(const struct idcard_model *model)
{
    return model->device.slave_path;
}

int idcard_model_place_card(struct idcard_model *model, const char *fixture)
{
    const struct fixture *card = model_find_fixture(fixture);
    if (!card)
        return -EINVAL;
    pthread_mutex_lock(&model->device.lock);
    model->card = card;
    model->card_state = CARD_PRESENT;
    pthread_mutex_unlock(&model->device.lock);
    return 0;
}

void idcard_model_remove_card(struct idcard_model *model)
{
    pthread_mutex_lock(&model->device.lock);
    model->card = NULL;
    model->card_state = CARD_ABSENT;
    pthread_mutex_unlock(&model->device.lock);
}

int idcard_model_set_fault(struct idcard_model *model, const char *fault)
{
    int index = sim_device_find_fault(model_fault_name_list, fault);
    if (index < 0)
        return -EINVAL;
    pthread_mutex_lock(&model->device.lock);
    model->fault = index;
    pthread_mutex_unlock(&model->device.lock);
    return 0;
}

void idcard_model_get_stats(struct idcard_model *model, struct idcard_model_stats *stats)
{
    sim_device_copy_locked(&model->device, stats, &model->stats, sizeof *stats);
}

void idcard_model_stop(struct idcard_model *model)
{
    if (!model)
        return;
    sim_device_stop(&model->device, "idcard_model_stop");
    free(model);
}
