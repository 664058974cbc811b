/* escpos_selftest: a raw ESC/POS client of the receipt printer model (board/sim/escpos_model).
 * Every command is written here byte by byte from ../shared/reference/printers.md part A,
 * sent through the pty, and judged by what comes back: status bytes on the wire and the
 * pixels of the PNGs the model cuts (read back with SDL2_image).
 *
 *   escpos_selftest OUT_DIR        prints "ok NAME" / "not ok NAME - why"; exit 1 on failure */
#include "board/sim/escpos_model.h"

#include <SDL.h>
#include <SDL_image.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

static int failures;
static char out_root[512];

static void test_report(int ok, const char *name, const char *format, ...)
{
    if (ok) {
        printf("ok %s\n", name);
    } else {
        va_list args;
        va_start(args, format);
        printf("not ok %s - ", name);
        vprintf(format, args);
        printf("\n");
        va_end(args);
        failures++;
    }
    fflush(stdout);
}

struct client {
    struct escpos_model *model;
    int fd;
    char dir[600];
};

static int client_open(struct client *client, const char *name, unsigned width)
{
    snprintf(client->dir, sizeof client->dir, "%s/%s", out_root, name);
    mkdir(client->dir, 0755);
    struct escpos_model_options options = {.out_dir = client->dir, .width_dots = width};
    if (escpos_model_start(&client->model, &options) < 0)
        return -1;
    client->fd = open(escpos_model_slave_path(client->model), O_RDWR | O_NOCTTY);
    if (client->fd < 0) {
        escpos_model_stop(client->model);
        return -1;
    }
    struct termios tio;
    if (tcgetattr(client->fd, &tio) == 0) {
        cfmakeraw(&tio);
        tcsetattr(client->fd, TCSANOW, &tio);
    }
    return 0;
}

static void client_close(struct client *client)
{
    close(client->fd);
    escpos_model_stop(client->model);
}

static void client_send(struct client *client, const void *bytes, size_t length)
{
    const unsigned char *p = bytes;
    while (length) {
        ssize_t n = write(client->fd, p, length);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        p += n;
        length -= (size_t)n;
    }
}

/* One reply byte within timeout_ms, or -1. */
static int client_read_byte(struct client *client, int timeout_ms)
{
    struct pollfd fd = {.fd = client->fd, .events = POLLIN};
    unsigned char byte;
    if (poll(&fd, 1, timeout_ms) <= 0 || read(client->fd, &byte, 1) != 1)
        return -1;
    return byte;
}

static int client_status(struct client *client, unsigned n)
{
    unsigned char request[3] = {0x10, 0x04, (unsigned char)n};
    client_send(client, request, sizeof request);
    return client_read_byte(client, 2000);
}

/* GS r 1: the reply proves everything sent before it was processed. */
static int client_sync(struct client *client, int timeout_ms)
{
    static const unsigned char request[] = {0x1D, 0x72, 0x01};
    client_send(client, request, sizeof request);
    return client_read_byte(client, timeout_ms);
}

static void client_send_band(struct client *client, unsigned x, unsigned y, unsigned seed)
{
    size_t k = (size_t)x * y;
    unsigned char *band = malloc(8 + k);
    memcpy(band, (unsigned char[]){0x1D, 0x76, 0x30, 0x00, (unsigned char)(x & 0xFF),
                                   (unsigned char)(x >> 8), (unsigned char)(y & 0xFF),
                                   (unsigned char)(y >> 8)}, 8);
    for (size_t i = 0; i < k; i++)
        band[8 + i] = (unsigned char)((i * 37 + seed * 11 + i / x * 5) & 0xFF);
    client_send(client, band, 8 + k);
    free(band);
}

static unsigned char band_byte(unsigned x, size_t i, unsigned seed)
{
    return (unsigned char)((i * 37 + seed * 11 + i / x * 5) & 0xFF);
}

static void client_cut(struct client *client)
{
    static const unsigned char cut[] = {0x1D, 0x56, 0x42, 0x00};
    client_send(client, cut, sizeof cut);
}

/* The PNG as black (1) / white (0) dots; NULL when missing. */
static unsigned char *receipt_load(const struct client *client, unsigned number, int *width, int *height,
                                   int *grey)
{
    char path[700];
    snprintf(path, sizeof path, "%s/receipt-%04u.png", client->dir, number);
    /* The file itself: IHDR's bit depth (byte 24) 1 and colour type (byte 25) 0, grey:
     * a file that could not hold a grey at all. */
    unsigned char header[26] = {0};
    FILE *file = fopen(path, "rb");
    size_t got = file ? fread(header, 1, sizeof header, file) : 0;
    if (file)
        fclose(file);
    int one_bit = got == sizeof header && header[24] == 1 && header[25] == 0;
    SDL_Surface *loaded = IMG_Load(path);
    if (!loaded)
        return NULL;
    SDL_Surface *rgba = SDL_ConvertSurfaceFormat(loaded, SDL_PIXELFORMAT_RGBA32, 0);
    SDL_FreeSurface(loaded);
    if (!rgba)
        return NULL;
    *width = rgba->w;
    *height = rgba->h;
    unsigned char *dots = malloc((size_t)rgba->w * (size_t)rgba->h);
    *grey = 0;   /* pixels neither pure black nor pure white: a thermal head has none */
    for (int y = 0; y < rgba->h; y++)
        for (int x = 0; x < rgba->w; x++) {
            const unsigned char *p = (unsigned char *)rgba->pixels + (size_t)y * (size_t)rgba->pitch + (size_t)x * 4;
            int black = !p[0] && !p[1] && !p[2], white = p[0] == 255 && p[1] == 255 && p[2] == 255;
            *grey += !black && !white;
            dots[(size_t)y * (size_t)rgba->w + (size_t)x] = black;
        }
    SDL_FreeSurface(rgba);
    if (!one_bit)
        *grey += 1000000;   /* not a 1-bit file: flagged through the same count */
    return dots;
}

static int receipt_exists(const struct client *client, unsigned number)
{
    char path[700];
    snprintf(path, sizeof path, "%s/receipt-%04u.png", client->dir, number);
    return access(path, F_OK) == 0;
}

/* Counts the band's bits that differ from the dots at (left, top). */
static long band_compare(const unsigned char *dots, int width, int left, int top, unsigned x, unsigned y,
                         unsigned seed, size_t have)
{
    long wrong = 0;
    for (unsigned r = 0; r < y; r++)
        for (unsigned b = 0; b < x * 8; b++) {
            size_t i = (size_t)r * x + b / 8;
            int want = i < have && (band_byte(x, i, seed) & (0x80u >> (b % 8)));
            int got = dots[(size_t)(top + (int)r) * (size_t)width + (size_t)left + b];
            wrong += want != got;
        }
    return wrong;
}

static void test_raster(void)
{
    struct client c;
    if (client_open(&c, "raster", 0) < 0) {
        test_report(0, "escpos:raster", "cannot start the model");
        return;
    }
    static const unsigned char init[] = {0x1B, 0x40, 0x1B, 0x61, 0x00};
    client_send(&c, init, sizeof init);
    client_send_band(&c, 72, 16, 1);
    client_cut(&c);
    int reply = client_sync(&c, 2000);
    /* The reply came after the cut was processed: the PNG must already be there. */
    test_report(reply == 0x00 && receipt_exists(&c, 1), "escpos:gs-r-after-earlier-data",
                "reply %d, receipt-0001.png %s at reply time", reply, receipt_exists(&c, 1) ? "present" : "missing");
    int width = 0, height = 0, bits = 0;
    unsigned char *dots = receipt_load(&c, 1, &width, &height, &bits);
    if (!dots) {
        test_report(0, "escpos:raster", "receipt-0001.png missing or unreadable");
    } else {
        test_report(width == 576 && bits == 0, "escpos:png-576-black-white", "%dx%d, %d grey pixels", width, height, bits);
        long wrong = height >= 16 ? band_compare(dots, width, 0, 0, 72, 16, 1, 72 * 16) : -1;
        test_report(height == 16 && wrong == 0, "escpos:raster", "height %d, %ld dots differ", height, wrong);
        free(dots);
    }
    /* Centred: ESC a 1 moves GS v 0 (A1); 10 bytes = 80 dots → left edge (576 - 80) / 2. */
    static const unsigned char centre[] = {0x1B, 0x61, 0x01};
    client_send(&c, centre, sizeof centre);
    client_send_band(&c, 10, 8, 2);
    client_cut(&c);
    client_sync(&c, 2000);
    dots = receipt_load(&c, 2, &width, &height, &bits);
    long wrong = dots && height == 8 ? band_compare(dots, width, 248, 0, 10, 8, 2, 80) : -1;
    long stray = 0;
    for (int y = 0; dots && y < height; y++)
        for (int x = 0; x < width; x++)
            if ((x < 248 || x >= 328) && dots[y * width + x])
                stray++;
    test_report(wrong == 0 && stray == 0, "escpos:raster-centred", "%ld dots differ, %ld stray", wrong, stray);
    free(dots);
    client_close(&c);
}

/* The reference's Code 128 table, the test's own copy (ISO/IEC 15417 symbol widths). */
static const char *const test_code128[107] = {
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212",
    "221213", "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221",
    "223211", "221132", "221231", "213212", "223112", "312131", "311222", "321122", "321221",
    "312212", "322112", "322211", "212123", "212321", "232121", "111323", "131123", "131321",
    "112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331", "132131",
    "113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311", "213131",
    "311123", "311321", "331121", "312113", "312311", "332111", "314111", "221411", "431111",
    "111224", "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
    "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111", "111242",
    "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311",
    "113141", "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
};

static void test_code128_bars(void)
{
    struct client c;
    if (client_open(&c, "code128", 0) < 0) {
        test_report(0, "escpos:code128", "cannot start the model");
        return;
    }
    const char *text = "Kiosk-42";
    unsigned char job[64] = {0x1B, 0x40, 0x1D, 0x68, 40, 0x1D, 0x77, 2, 0x1D, 0x48, 0x00,
                             0x1D, 0x6B, 73, 0, '{', 'B'};
    size_t length = 17;
    memcpy(job + length, text, strlen(text));
    length += strlen(text);
    job[14] = (unsigned char)(2 + strlen(text));
    client_send(&c, job, length);
    client_cut(&c);
    client_sync(&c, 2000);
    /* Expected runs: start B, data, check (mod 103), stop, each element x module 2. */
    char expected[200] = "";
    unsigned sum = 104;
    strcat(expected, test_code128[104]);
    for (size_t i = 0; text[i]; i++) {
        strcat(expected, test_code128[text[i] - 32]);
        sum += (unsigned)(text[i] - 32) * (unsigned)(i + 1);
    }
    strcat(expected, test_code128[sum % 103]);
    strcat(expected, test_code128[106]);
    int width = 0, height = 0, bits = 0;
    unsigned char *dots = receipt_load(&c, 1, &width, &height, &bits);
    char got[200] = "";
    int bad_rows = 0, quiet = -1;
    if (dots) {
        /* Runs of the first row from the first black dot; every row must be the same. */
        int x = 0;
        while (x < width && !dots[x])
            x++;
        quiet = x;
        size_t n = 0;
        while (x < width && n < sizeof got - 1) {
            int colour = dots[x], run = 0;
            while (x < width && dots[x] == colour)
                x++, run++;
            if (x == width && !colour)
                break;   /* the quiet zone to the edge */
            got[n++] = (char)('0' + run / 2);
        }
        got[n] = 0;
        for (int y = 1; y < height; y++)
            if (memcmp(dots, dots + (size_t)y * (size_t)width, (size_t)width) != 0)
                bad_rows++;
    }
    test_report(dots && height == 40 && strcmp(got, expected) == 0 && bad_rows == 0, "escpos:code128-bars",
                "height %d, %d rows differ from the first; widths %s, want %s", height, bad_rows, got, expected);
    /* Left aligned after ESC @: the symbol starts after a quiet zone of 10 modules. */
    test_report(quiet == 10 * 2, "escpos:code128-quiet-zone", "first bar at dot %d, want 20", quiet);
    free(dots);
    client_close(&c);
}

static int status_valid(int b)
{
    return b >= 0 && (b & 0x93) == 0x12;
}

/* DLE EOT 1..4 against the expected bytes, each also matching the reply pattern. */
static void check_status(struct client *c, const char *name, const int want[4])
{
    int got[4];
    int ok = 1;
    for (unsigned n = 1; n <= 4; n++) {
        got[n - 1] = client_status(c, n);
        ok = ok && got[n - 1] == want[n - 1] && status_valid(got[n - 1]);
    }
    test_report(ok, name, "DLE EOT 1-4 gave %02X %02X %02X %02X, want %02X %02X %02X %02X", got[0] & 0xFF,
                got[1] & 0xFF, got[2] & 0xFF, got[3] & 0xFF, want[0], want[1], want[2], want[3]);
}

static void test_faults(void)
{
    struct client c;
    if (client_open(&c, "faults", 0) < 0) {
        test_report(0, "escpos:faults", "cannot start the model");
        return;
    }
    check_status(&c, "escpos:status:none", (const int[]){0x12, 0x12, 0x12, 0x12});
    escpos_model_set_fault(c.model, "near-end", 0);
    check_status(&c, "escpos:status:near-end", (const int[]){0x12, 0x12, 0x12, 0x1E});
    int reply = client_sync(&c, 2000);
    test_report(reply == 0x03, "escpos:gs-r:near-end", "GS r 1 gave %d, want 3", reply);
    escpos_model_set_fault(c.model, "cover-open", 0);
    check_status(&c, "escpos:status:cover-open", (const int[]){0x1A, 0x16, 0x12, 0x12});
    escpos_model_set_fault(c.model, "offline", 0);
    check_status(&c, "escpos:status:offline", (const int[]){0x1A, 0x12, 0x12, 0x12});

    /* Cutter jam: the cut fails, no PNG, the printer stops until DLE ENQ 1. */
    escpos_model_set_fault(c.model, "cutter-jam", 0);
    client_send_band(&c, 72, 8, 3);
    client_cut(&c);
    check_status(&c, "escpos:status:cutter-jam", (const int[]){0x1A, 0x52, 0x1A, 0x12});
    static const unsigned char recover[] = {0x10, 0x05, 0x01};
    client_send(&c, recover, sizeof recover);
    check_status(&c, "escpos:cutter-jam:dle-enq-recovers", (const int[]){0x12, 0x12, 0x12, 0x12});
    test_report(!receipt_exists(&c, 1), "escpos:cutter-jam:no-receipt", "a jammed cut wrote a PNG");

    /* Paper out after 20 rows in a 40-row receipt. */
    escpos_model_set_fault(c.model, "paper-out-after", 20);
    client_send_band(&c, 72, 40, 4);
    client_cut(&c);
    reply = client_sync(&c, 500);
    test_report(reply < 0, "escpos:paper-out:gs-r-silent", "GS r 1 answered %d while stopped", reply);
    check_status(&c, "escpos:status:paper-out", (const int[]){0x1A, 0x32, 0x12, 0x72});
    test_report(!receipt_exists(&c, 1), "escpos:paper-out:no-receipt", "the unfinished receipt was cut to PNG");
    escpos_model_restore_paper(c.model);
    check_status(&c, "escpos:status:paper-in", (const int[]){0x12, 0x12, 0x12, 0x12});
    client_send_band(&c, 72, 40, 4);
    client_cut(&c);
    reply = client_sync(&c, 2000);
    int width = 0, height = 0, bits = 0;
    unsigned char *dots = receipt_load(&c, 1, &width, &height, &bits);
    long wrong = dots && height == 40 ? band_compare(dots, width, 0, 0, 72, 40, 4, 72 * 40) : -1;
    test_report(reply == 0 && wrong == 0 && !receipt_exists(&c, 2), "escpos:paper-in:resumes",
                "GS r %d, height %d, %ld dots differ", reply, height, wrong);
    free(dots);

    /* Small buffer: a 72 x 64 band is 4608 bytes; the 512 past 4096 are lost. */
    escpos_model_set_fault(c.model, "small-buffer", 0);
    client_send_band(&c, 72, 64, 5);
    client_cut(&c);
    client_sync(&c, 2000);
    struct escpos_model_stats stats;
    escpos_model_get_stats(c.model, &stats);
    dots = receipt_load(&c, 2, &width, &height, &bits);
    wrong = dots && height == 64 ? band_compare(dots, width, 0, 0, 72, 64, 5, 4096) : -1;
    test_report(stats.overflows == 1 && stats.overflow_bytes == 512 && wrong == 0, "escpos:small-buffer",
                "%lu overflows, %lu bytes lost, %ld dots differ from the truncated band", stats.overflows,
                stats.overflow_bytes, wrong);
    free(dots);

    /* An unknown command is counted and the stream goes on. */
    escpos_model_set_fault(c.model, "none", 0);
    unsigned long errors = stats.errors;
    /* ESC 07 and GS 99 are no commands; a Code 128 ending in "{A" selects a code set with
     * no data after it: three errors, and the receipt after them prints. */
    static const unsigned char unknown[] = {0x1B, 0x07, 0x1D, 0x99, 0x1D, 0x6B, 73, 4, '{', 'B', '{', 'A'};
    client_send(&c, unknown, sizeof unknown);
    client_send_band(&c, 72, 8, 6);
    client_cut(&c);
    reply = client_sync(&c, 2000);
    escpos_model_get_stats(c.model, &stats);
    test_report(stats.errors == errors + 3 && reply == 0 && receipt_exists(&c, 3), "escpos:unknown-command",
                "errors %lu -> %lu, GS r %d, receipt-0003 %s", errors, stats.errors, reply,
                receipt_exists(&c, 3) ? "present" : "missing");
    client_close(&c);
}

/* Every GS V form of A4 ends a receipt; the feeding forms add their n dots first. */
static void test_cut_forms(void)
{
    struct client c;
    if (client_open(&c, "cuts", 0) < 0) {
        test_report(0, "escpos:cut-forms", "cannot start the model");
        return;
    }
    static const unsigned char forms[][4] = {
        {0x00}, {0x01}, {0x30}, {0x31}, {0x41, 5}, {0x42, 5}, {0x61, 5}, {0x62, 5}, {0x67, 5}, {0x68, 5},
    };
    char why[200] = "";
    for (unsigned i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        client_send_band(&c, 72, 8, 10 + i);
        int feeds = forms[i][0] == 0x41 || forms[i][0] == 0x42 || forms[i][0] == 0x67 || forms[i][0] == 0x68;
        unsigned char cut[4] = {0x1D, 0x56, forms[i][0], forms[i][1]};
        client_send(&c, cut, forms[i][0] >= 0x41 ? 4 : 3);
        client_sync(&c, 2000);
        int width = 0, height = 0, grey = 0;
        unsigned char *dots = receipt_load(&c, i + 1, &width, &height, &grey);
        int want_height = 8 + (feeds ? 5 : 0);
        long wrong = dots && height == want_height ? band_compare(dots, width, 0, 0, 72, 8, 10 + i, 72 * 8) : -1;
        if (!*why && (wrong != 0 || grey))
            snprintf(why, sizeof why, "GS V %02X: receipt %u height %d (want %d), %ld dots differ", forms[i][0],
                     i + 1, height, want_height, wrong);
        free(dots);
    }
    struct escpos_model_stats stats;
    escpos_model_get_stats(c.model, &stats);
    test_report(!*why && stats.receipts == 10 && stats.errors == 0, "escpos:cut-forms", "%s; %lu receipts, %lu errors",
                why, stats.receipts, stats.errors);
    client_close(&c);
}

static void test_58mm(void)
{
    struct client c;
    if (client_open(&c, "58mm", 384) < 0) {
        test_report(0, "escpos:58mm", "cannot start the model");
        return;
    }
    client_send_band(&c, 48, 8, 7);
    static const unsigned char feed_cut[] = {0x1B, 0x64, 0x02, 0x1D, 0x56, 0x01};
    client_send(&c, feed_cut, sizeof feed_cut);
    client_sync(&c, 2000);
    int width = 0, height = 0, bits = 0;
    unsigned char *dots = receipt_load(&c, 1, &width, &height, &bits);
    long wrong = dots && height >= 8 ? band_compare(dots, width, 0, 0, 48, 8, 7, 48 * 8) : -1;
    test_report(width == 384 && height == 8 + 2 * 34 && wrong == 0, "escpos:58mm-feed",
                "%dx%d, %ld dots differ", width, height, wrong);
    free(dots);
    client_close(&c);
}

int main(int argc, char **argv)
{
    snprintf(out_root, sizeof out_root, "%s", argc > 1 ? argv[1] : "/tmp/escpos_selftest");
    mkdir(out_root, 0755);
    if (IMG_Init(IMG_INIT_PNG) == 0)
        fprintf(stderr, "escpos_selftest: IMG_Init: %s\n", SDL_GetError());
    unsigned bad_tables = 0;
    for (int i = 0; i < 107; i++) {
        unsigned sum = 0;
        for (const char *p = test_code128[i]; *p; p++)
            sum += (unsigned)(*p - '0');
        bad_tables += sum != (i == 106 ? 13u : 11u);
    }
    test_report(bad_tables == 0, "escpos:code128-table", "%u patterns do not add up to 11 modules", bad_tables);
    test_raster();
    test_code128_bars();
    test_faults();
    test_cut_forms();
    test_58mm();
    IMG_Quit();
    return failures ? 1 : 0;
}
