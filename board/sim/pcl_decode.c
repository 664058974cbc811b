/* PCL 5 raster decoder of the printer model (see pcl_decode.h). */
#include "board/sim/pcl_decode.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    DECODE_ROW_MAX = 32767,       /* *b#W data: PCL's limit */
    DECODE_VALUE_MAX = 24,        /* characters in one value field */
    DECODE_PARAMS_MAX = 16,       /* parameters in one combined command */
    DECODE_PENDING_MAX = 1 << 20, /* bytes kept while halted; more is a host not listening */
};

struct decode_param {
    char parameter;               /* upper case */
    int value;
    const uint8_t *data;          /* *b#W only */
    size_t data_len;
};

struct pcl_decoder {
    struct pcl_decoder_hooks hooks;
    uint8_t *pending;
    size_t have, capacity;
    int halted;
    /* Settings (ESC E restores them). */
    int paper, dpi, compression;
    int raster_width, raster_height;    /* 0: to the page's edge */
    int cursor_x, cursor_y;             /* 1/300 inch */
    int raster_active, raster_x0, raster_y, raster_rows;
    /* The sheet being printed. */
    uint8_t *page;
    int page_width, page_height, page_dpi, page_paper, page_marked;
    size_t page_stride;
    uint8_t row[65536 / 8];             /* a decoded row: *r#S is at most 65535 dots */
    struct pcl_decoder_stats stats;
};

static void decode_error(struct pcl_decoder *d, const char *format, ...) __attribute__((format(printf, 2, 3)));

static void decode_error(struct pcl_decoder *d, const char *format, ...)
{
    char why[160];
    va_list args;
    va_start(args, format);
    vsnprintf(why, sizeof why, format, args);
    va_end(args);
    d->stats.errors++;
    if (d->hooks.error)
        d->hooks.error(d->hooks.context, why);
}

static void decode_defaults(struct pcl_decoder *d)
{
    d->paper = 26;        /* A4: the default of printers sold in China */
    d->dpi = 75;          /* PCL's power-on raster resolution */
    d->compression = 0;
    d->raster_width = d->raster_height = 0;
    d->cursor_x = d->cursor_y = 0;
    d->raster_active = 0;
}

static void decode_drop_page(struct pcl_decoder *d)
{
    free(d->page);
    d->page = NULL;
    d->page_marked = 0;
    d->raster_active = 0;
}

int pcl_decoder_new(const struct pcl_decoder_hooks *hooks, struct pcl_decoder **out)
{
    struct pcl_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return -ENOMEM;
    if (hooks)
        d->hooks = *hooks;
    decode_defaults(d);
    *out = d;
    return 0;
}

void pcl_decoder_free(struct pcl_decoder *decoder)
{
    if (!decoder)
        return;
    free(decoder->page);
    free(decoder->pending);
    free(decoder);
}

static void decode_paper_dots(int paper, int dpi, int *width, int *height)
{
    /* mm x dpi / 25.4, rounded: A4 at 300 dpi = 2480 x 3508. */
    const int w_mm = paper == 25 ? 148 : 210, h_mm = paper == 25 ? 210 : 297;
    *width = (w_mm * dpi * 10 + 127) / 254;
    *height = (h_mm * dpi * 10 + 127) / 254;
}

static int decode_open_page(struct pcl_decoder *d)
{
    if (d->page)
        return 0;
    int w, h;
    decode_paper_dots(d->paper, d->dpi, &w, &h);
    d->page_stride = ((size_t)w + 7) / 8;
    d->page = calloc(d->page_stride * (size_t)h, 1);
    if (!d->page) {
        decode_error(d, "out of memory for a %dx%d page", w, h);
        return -1;
    }
    d->page_width = w;
    d->page_height = h;
    d->page_dpi = d->dpi;
    d->page_paper = d->paper;
    d->page_marked = 0;
    return 0;
}

static void decode_eject(struct pcl_decoder *d)
{
    if (!d->page)
        return;
    struct pcl_decoder_page page = { d->page, d->page_width, d->page_height, d->page_dpi, d->page_stride,
                                     d->page_paper };
    d->stats.pages++;
    if (d->hooks.page)
        d->hooks.page(d->hooks.context, &page);
    decode_drop_page(d);
    d->cursor_y = 0;
}

/* Asks the row hook; on a halt the page in progress is lost. 0 go on, -1 halted. */
static int decode_take_row(struct pcl_decoder *d)
{
    if (d->hooks.row && d->hooks.row(d->hooks.context) < 0) {
        d->halted = 1;
        decode_drop_page(d);
        return -1;
    }
    d->stats.rows++;
    return 0;
}

static void decode_start_raster(struct pcl_decoder *d, int at_cursor)
{
    if (decode_open_page(d) < 0)
        return;
    if (d->page_dpi != d->dpi)
        decode_error(d, "resolution changed to %d dpi on a %d dpi page; the page's is kept", d->dpi, d->page_dpi);
    d->raster_active = 1;
    d->raster_x0 = at_cursor ? d->cursor_x * d->page_dpi / 300 : 0;
    d->raster_y = d->cursor_y * d->page_dpi / 300;
    d->raster_rows = 0;
}

/* PackBits into out, clipped at out_len (PCL drops data past the raster width). -1 when a
 * run is cut short. */
static int decode_packbits(const uint8_t *in, size_t len, uint8_t *out, size_t out_len)
{
    size_t i = 0, o = 0;
    while (i < len) {
        uint8_t n = in[i++];
        if (n == 128)
            continue;
        if (n < 128) {
            size_t count = (size_t)n + 1;
            if (i + count > len)
                return -1;
            for (size_t k = 0; k < count; k++, o++)
                if (o < out_len)
                    out[o] = in[i + k];
            i += count;
        } else {
            if (i >= len)
                return -1;
            size_t count = 257 - (size_t)n;
            for (size_t k = 0; k < count; k++, o++)
                if (o < out_len)
                    out[o] = in[i];
            i++;
        }
    }
    return 0;
}

static void decode_row(struct pcl_decoder *d, const uint8_t *data, size_t len)
{
    if (!d->raster_active) {
        /* PCL starts raster graphics by itself at the left edge. */
        decode_start_raster(d, 0);
        if (!d->raster_active)
            return;
    }
    int width = d->raster_width > 0 ? d->raster_width : d->page_width - d->raster_x0;
    if (width > d->page_width - d->raster_x0)
        width = d->page_width - d->raster_x0;
    size_t row_bytes = width > 0 ? ((size_t)width + 7) / 8 : 0;
    if (row_bytes > sizeof d->row)
        row_bytes = sizeof d->row;
    memset(d->row, 0, row_bytes);
    if (d->compression == 2) {
        if (decode_packbits(data, len, d->row, row_bytes) < 0) {
            decode_error(d, "PackBits row of %zu bytes ends inside a run", len);
            return;
        }
    } else {
        memcpy(d->row, data, len < row_bytes ? len : row_bytes);
    }
    if (decode_take_row(d) < 0)
        return;
    const int y = d->raster_y + d->raster_rows++;
    if ((d->raster_height > 0 && d->raster_rows > d->raster_height) || y < 0 || y >= d->page_height)
        return;
    uint8_t *dst = d->page + (size_t)y * d->page_stride;
    for (int x = 0; x < width; x++) {
        if (!d->row[x >> 3])
            continue;
        if ((d->row[x >> 3] >> (7 - (x & 7))) & 1) {
            int px = d->raster_x0 + x;
            dst[px >> 3] |= (uint8_t)(0x80u >> (px & 7));
            d->page_marked = 1;
        }
    }
}

static void decode_skip_rows(struct pcl_decoder *d, int rows)
{
    if (!d->raster_active) {
        decode_start_raster(d, 0);
        if (!d->raster_active)
            return;
    }
    for (int i = 0; i < rows; i++) {
        if (decode_take_row(d) < 0)
            return;
        d->raster_rows++;
    }
}

static void decode_apply(struct pcl_decoder *d, char c, char g, const struct decode_param *p)
{
    const int v = p->value;
    if (c == '&' && g == 'l') {
        switch (p->parameter) {
        case 'A':
            if (v != 26 && v != 25) {
                decode_error(d, "ESC &l%dA: page size not modelled (26 A4, 25 A5)", v);
                return;
            }
            if (d->page_marked && v != d->paper)
                decode_eject(d);   /* a new page size ends the page */
            d->paper = v;
            return;
        case 'O':
            if (v != 0)
                decode_error(d, "ESC &l%dO: only portrait is modelled", v);
            return;
        case 'E':
            return;   /* top margin: text only; raster is placed by the cursor */
        }
    } else if (c == '*' && g == 't' && p->parameter == 'R') {
        if (v == 75 || v == 100 || v == 150 || v == 200 || v == 300 || v == 600)
            d->dpi = v;
        else
            decode_error(d, "ESC *t%dR: not a PCL raster resolution", v);
        return;
    } else if (c == '*' && g == 'r') {
        switch (p->parameter) {
        case 'S':
        case 'T':
            if (v < 0 || v > 65535) {
                decode_error(d, "ESC *r%d%c out of range", v, p->parameter);
                return;
            }
            if (p->parameter == 'S')
                d->raster_width = v;
            else
                d->raster_height = v;
            return;
        case 'A':
            decode_start_raster(d, v == 1);
            return;
        case 'B':
        case 'C':
            d->raster_active = 0;
            if (p->parameter == 'C')
                d->compression = 0;
            d->cursor_y += d->raster_rows * 300 / (d->page_dpi ? d->page_dpi : 300);
            return;
        }
    } else if (c == '*' && g == 'p' && (p->parameter == 'X' || p->parameter == 'Y')) {
        if (v < 0 || v > 30000) {
            decode_error(d, "ESC *p%d%c: cursor off the page", v, p->parameter);
            return;
        }
        if (p->parameter == 'X')
            d->cursor_x = v;
        else
            d->cursor_y = v;
        return;
    } else if (c == '*' && g == 'b') {
        switch (p->parameter) {
        case 'M':
            if (v == 0 || v == 2)
                d->compression = v;
            else
                decode_error(d, "ESC *b%dM: compression mode not modelled (0, 2)", v);
            return;
        case 'W':
            decode_row(d, p->data, p->data_len);
            return;
        case 'Y':
            if (v < 0 || v > 65535)
                decode_error(d, "ESC *b%dY out of range", v);
            else
                decode_skip_rows(d, v);
            return;
        }
    }
    decode_error(d, "unknown command ESC %c%c%d%c", c, g ? g : ' ', v, p->parameter);
}

/* One command at buf: the bytes it used, 0 when more are needed. */
static size_t decode_one(struct pcl_decoder *d, const uint8_t *buf, size_t have)
{
    const uint8_t b = buf[0];
    if (b == 0x0C) {
        decode_eject(d);
        return 1;
    }
    if (b == '\r' || b == '\n')
        return 1;
    if (b != 0x1B) {
        decode_error(d, "byte 0x%02X: text is not modelled", b);
        return 1;
    }
    if (have < 2)
        return 0;
    const uint8_t c = buf[1];
    if (c == 'E') {
        if (d->page_marked)
            decode_eject(d);
        else
            decode_drop_page(d);
        decode_defaults(d);
        return 2;
    }
    if (c < 0x21 || c > 0x2F) {
        decode_error(d, "unknown two-character command ESC %c", c >= 0x20 && c < 0x7F ? c : '?');
        return 2;
    }
    if (have < 3)
        return 0;
    size_t i = 2;
    uint8_t g = 0;
    if (buf[2] >= 0x60 && buf[2] <= 0x7E) {
        g = buf[2];
        i = 3;
    } else if (c != '%') {
        decode_error(d, "ESC %c without a group character", c);
        return 2;
    }
    struct decode_param params[DECODE_PARAMS_MAX];
    size_t count = 0;
    for (;;) {
        /* value: [+|-] digits [. digits], at most DECODE_VALUE_MAX characters: a longer
         * one is an error at the same byte however the bytes arrived. */
        const size_t start = i;
        int sign = 1, value = 0, seen_dot = 0;
        while (i < have && i - start <= DECODE_VALUE_MAX) {
            const uint8_t v = buf[i];
            if ((v == '+' || v == '-') && i == start) {
                sign = v == '-' ? -1 : 1;
            } else if (v == '.' && !seen_dot) {
                seen_dot = 1;
            } else if (v >= '0' && v <= '9') {
                if (!seen_dot && value < 1000000)
                    value = value * 10 + (v - '0');
            } else {
                break;
            }
            i++;
        }
        if (i - start > DECODE_VALUE_MAX) {
            decode_error(d, "ESC %c%c: value field too long", c, g ? g : ' ');
            return i;
        }
        if (i >= have)
            return 0;
        const uint8_t p = buf[i++];
        int last;
        char parameter;
        if (p >= 0x60 && p <= 0x7E) {
            last = 0;
            parameter = (char)(p - 0x20);
        } else if (p >= 0x40 && p <= 0x5E) {
            last = 1;
            parameter = (char)p;
        } else {
            decode_error(d, "ESC %c%c: byte 0x%02X where a parameter character belongs", c, g ? g : ' ', p);
            return i - 1 > 2 ? i - 1 : 2;
        }
        struct decode_param *param = &params[count++];
        *param = (struct decode_param){ parameter, sign * value, NULL, 0 };
        if (c == '*' && g == 'b' && parameter == 'W') {
            if (param->value < 0 || param->value > DECODE_ROW_MAX) {
                decode_error(d, "ESC *b%dW: row data length out of range", param->value);
                return i;
            }
            if (have - i < (size_t)param->value)
                return 0;
            param->data = buf + i;
            param->data_len = (size_t)param->value;
            i += param->data_len;
        }
        if (last)
            break;
        if (count == DECODE_PARAMS_MAX) {
            decode_error(d, "ESC %c%c: more than %d combined parameters", c, g ? g : ' ', DECODE_PARAMS_MAX);
            return i;
        }
    }
    for (size_t k = 0; k < count && !d->halted; k++)
        decode_apply(d, (char)c, (char)g, &params[k]);
    return i;
}

static void decode_pending(struct pcl_decoder *d)
{
    size_t used = 0;
    while (used < d->have && !d->halted) {
        size_t step = decode_one(d, d->pending + used, d->have - used);
        if (step == 0)
            break;
        used += step;
    }
    if (used) {
        memmove(d->pending, d->pending + used, d->have - used);
        d->have -= used;
    }
}

int pcl_decoder_feed(struct pcl_decoder *d, const uint8_t *bytes, size_t len)
{
    if (len == 0)
        return 0;
    if (d->have + len > d->capacity) {
        size_t capacity = d->capacity ? d->capacity : 65536;
        while (capacity < d->have + len)
            capacity *= 2;
        uint8_t *pending = realloc(d->pending, capacity);
        if (!pending)
            return -ENOMEM;
        d->pending = pending;
        d->capacity = capacity;
    }
    memcpy(d->pending + d->have, bytes, len);
    d->have += len;
    d->stats.bytes += len;
    if (!d->halted)
        decode_pending(d);
    if (d->have > DECODE_PENDING_MAX && !d->halted) {
        /* Nothing a command explains is this long: forget it. */
        decode_error(d, "%zu bytes form no command", d->have);
        d->have = 0;
    }
    return 0;
}

int pcl_decoder_halted(const struct pcl_decoder *decoder)
{
    return decoder->halted;
}

void pcl_decoder_resume(struct pcl_decoder *decoder)
{
    decoder->halted = 0;
    decode_pending(decoder);
}

void pcl_decoder_reset(struct pcl_decoder *decoder)
{
    decoder->have = 0;
    decoder->halted = 0;
    decode_drop_page(decoder);
    decode_defaults(decoder);
}

void pcl_decoder_get_stats(const struct pcl_decoder *decoder, struct pcl_decoder_stats *stats)
{
    *stats = decoder->stats;
}
