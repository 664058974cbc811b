/* ESC/POS receipt printer model behind a pty (see escpos_model.h). Bytes and status bits
 * follow ../shared/reference/printers.md part A (A1-A5). */
#include "board/sim/escpos_model.h"
#include "board/sim/escpos_hri_font.h"
#include "firmware/print/print_raster.h"
#include "board/sim/sim_device.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

enum {
    MODEL_SMALL_BUFFER = 4096,          /* clone receive buffer (A2: escpos-php#206) */
    MODEL_BAND_MAX = 16 << 20,          /* a header promising more is a lost host */
    MODEL_LINE_DOTS = 34,               /* 1/6" default line spacing at 203 dpi */
    MODEL_QUIET_MODULES = 10,           /* Code 128 quiet zone each side */
    MODEL_CODE128_VALUES_MAX = 260,     /* start + 255 data bytes + check + stop */
    /* White rows between the bars and an HRI line. The references give the HRI cells (font A
     * 12x24, font B 9x17) but not this gap [U]: half a millimetre is the model's choice. With
     * font A's own blank rows, digits stand 5 dots (0.6 mm) below the bars or 10 above. */
    MODEL_HRI_GAP_DOTS = 4,
};

enum model_fault {
    FAULT_NONE,
    FAULT_PAPER_OUT_AFTER,
    FAULT_NEAR_END,
    FAULT_COVER_OPEN,
    FAULT_OFFLINE,
    FAULT_CUTTER_JAM,
    FAULT_SMALL_BUFFER,
};

static const char *const model_fault_names[] = {
    "none", "paper-out-after", "near-end", "cover-open", "offline", "cutter-jam", "small-buffer", NULL,
};

struct escpos_model {
    struct sim_device device;           /* the pty and the thread behind it */
    char out_dir[512];
    unsigned width;                     /* dots */
    /* device.lock guards everything below */
    enum model_fault fault;
    unsigned fault_rows;
    unsigned long rows_since_fault;
    int paper_end, cutter_error;
    /* The page being printed: rows of width/8 bytes, 1 = black, MSB leftmost. */
    unsigned char *page;
    size_t page_rows, page_capacity;
    unsigned align;                     /* 0 left, 1 centre, 2 right */
    unsigned barcode_height, barcode_module;
    unsigned barcode_hri;               /* GS H: bit 0 above the bars, bit 1 below */
    unsigned hri_font;                  /* GS f: 0 font A, 1 font B */
    struct escpos_model_stats stats;
};

/* Code 128 bar/space widths, values 0-106 (106 = stop, 7 elements), from the standard
 * symbol table (ISO/IEC 15417). */
static const char *const code128_patterns[107] = {
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
enum {
    CODE128_FNC3 = 96, CODE128_FNC2 = 97, CODE128_SHIFT = 98, CODE128_CODE_C = 99,
    CODE128_CODE_B = 100, /* FNC4 in set B */
    CODE128_CODE_A = 101, /* FNC4 in set A */
    CODE128_FNC1 = 102, CODE128_START_A = 103, CODE128_STOP = 106,
};

static int model_is_stopped(const struct escpos_model *model)
{
    return model->paper_end || model->cutter_error || model->fault == FAULT_COVER_OPEN ||
           model->fault == FAULT_OFFLINE;
}

static void model_log(const char *what)
{
    fprintf(stderr, "escpos_model: %s\n", what);
}

static void model_error(struct escpos_model *model, const char *why, unsigned char byte)
{
    model->stats.errors++;
    fprintf(stderr, "escpos_model: error: %s (byte 0x%02X); resynchronising\n", why, byte);
}

static void model_reply(struct escpos_model *model, unsigned char byte)
{
    if (write(model->device.master_fd, &byte, 1) == 1)
        model->stats.replies++;
}

static void model_discard_page(struct escpos_model *model)
{
    model->page_rows = 0;
}

/* Adds one blank row; returns it, or NULL once the paper ran out (the page is then lost,
 * as a receipt that never reaches the cutter is). */
static unsigned char *model_add_row(struct escpos_model *model)
{
    if (model_is_stopped(model))
        return NULL;
    if (model->fault == FAULT_PAPER_OUT_AFTER && model->rows_since_fault >= model->fault_rows) {
        model->paper_end = 1;
        model_discard_page(model);
        model_log("paper end: printing stopped, unfinished receipt lost");
        return NULL;
    }
    size_t row_bytes = model->width / 8;
    if (model->page_rows == model->page_capacity) {
        size_t capacity = model->page_capacity ? model->page_capacity * 2 : 1024;
        unsigned char *page = realloc(model->page, capacity * row_bytes);
        if (!page)
            return NULL;
        model->page = page;
        model->page_capacity = capacity;
    }
    unsigned char *row = model->page + model->page_rows++ * row_bytes;
    memset(row, 0, row_bytes);
    model->rows_since_fault++;
    model->stats.rows++;
    return row;
}

static void model_set_dot(const struct escpos_model *model, unsigned char *row, long x)
{
    if (x >= 0 && x < (long)model->width)
        row[x / 8] |= (unsigned char)(0x80u >> (x % 8));
}

static long model_left_edge(const struct escpos_model *model, long width)
{
    if (model->align == 1)
        return ((long)model->width - width) / 2;
    if (model->align == 2)
        return (long)model->width - width;
    return 0;
}

static void model_feed(struct escpos_model *model, unsigned rows)
{
    for (unsigned i = 0; i < rows; i++)
        if (!model_add_row(model))
            return;
}

/* GS v 0: x bytes by y dots, doubled per m. Data past `have` bytes (small-buffer loss)
 * prints as white, which is how a clone's overrun looks on paper: the band's bottom gone. */
static void model_print_raster(struct escpos_model *model, unsigned m, unsigned x, unsigned y,
                               const unsigned char *data, size_t have)
{
    unsigned scale_x = (m & 1) ? 2 : 1, scale_y = (m & 2) ? 2 : 1;
    long left = model_left_edge(model, (long)x * 8 * scale_x);
    for (unsigned r = 0; r < y; r++) {
        for (unsigned sy = 0; sy < scale_y; sy++) {
            unsigned char *row = model_add_row(model);
            if (!row)
                return;
            for (unsigned bx = 0; bx < x * 8; bx++) {
                size_t index = (size_t)r * x + bx / 8;
                if (index >= have || !(data[index] & (0x80u >> (bx % 8))))
                    continue;
                for (unsigned sx = 0; sx < scale_x; sx++)
                    model_set_dot(model, row, left + (long)(bx * scale_x + sx));
            }
        }
    }
}

/* A GS k 73 symbol: its symbol values (start to stop) and its HRI text. */
struct code128_symbol {
    unsigned values[MODEL_CODE128_VALUES_MAX];
    unsigned count;
    char hri[2 * 255 + 1];   /* {C pairs print as two digits each */
    size_t hri_length;
};

/* Encodes one data byte in code set `set` (0 A, 1 B, 2 C). -1 when the set has no such
 * character (the printer then abandons the command). */
static int code128_value(unsigned set, unsigned char c)
{
    if (set == 0)
        return c < 0x20 ? c + 64 : c < 0x60 ? c - 32 : -1;
    if (set == 1)
        return c >= 0x20 && c < 0x80 ? c - 32 : -1;
    return c < 100 ? c : -1;
}

/* GS k 73 data as a printer reads it (Epson GS k notes; printers.md A3): the first two bytes
 * select code set A, B or C; "{A" "{B" "{C" switch sets, "{S" shifts the next character
 * between A and B, "{1".."{4" are FNC1-4, "{{" is a literal '{'. In set C each byte is a
 * value 0-99. HRI: set selections and shifts print nothing, function characters and control
 * characters (00-1F, 7F) a space, a C value its two digits. 0, or -1 with *why and *byte set. */
static int code128_encode(const unsigned char *data, size_t length, struct code128_symbol *symbol,
                          const char **why, unsigned char *byte)
{
    symbol->count = 0;
    symbol->hri_length = 0;
    *byte = length ? data[0] : 0;
    if (length < 2 || data[0] != '{' || data[1] < 'A' || data[1] > 'C') {
        *why = "Code 128 data does not start with {A, {B or {C";
        return -1;
    }
    unsigned set = data[1] - 'A', shifted = 0;
    unsigned sum = CODE128_START_A + set;
    symbol->values[symbol->count++] = CODE128_START_A + set;
    for (size_t i = 2; i < length; i++) {
        unsigned char c = data[i];
        int value;
        char hri = 0;
        *byte = c;
        if (c == '{' && (i + 1 >= length || data[i + 1] != '{')) {
            unsigned char special = i + 1 < length ? data[i + 1] : '{';
            *byte = special;
            i++;
            if (shifted) {
                *why = "Code 128 shift not followed by a character";
                return -1;
            }
            if (special >= 'A' && special <= 'C') {
                unsigned target = special - 'A';
                if (target == set) {
                    *why = "Code 128 code set selected again";
                    return -1;
                }
                /* A selection with nothing after it draws a symbol no reader can tell
                 * from one without it: a host that lost its data. */
                if (i + 1 >= length) {
                    *why = "Code 128 code set selection at the end of the data";
                    return -1;
                }
                value = target == 0 ? CODE128_CODE_A : target == 1 ? CODE128_CODE_B : CODE128_CODE_C;
                set = target;
            } else if (special == 'S' && set != 2) {
                if (i + 1 >= length) {
                    *why = "Code 128 shift at the end of the data";
                    return -1;
                }
                value = CODE128_SHIFT;
                shifted = 1;
            } else if (special == '1') {
                value = CODE128_FNC1;
                hri = ' ';
            } else if (special >= '2' && special <= '4' && set != 2) {
                value = special == '2' ? CODE128_FNC2 : special == '3' ? CODE128_FNC3
                        : set == 0 ? CODE128_CODE_A : CODE128_CODE_B;
                hri = ' ';
            } else {
                *why = "Code 128 special character not in this code set";
                return -1;
            }
        } else {
            if (c == '{')
                i++;   /* "{{" */
            unsigned in = shifted ? 1 - set : set;
            shifted = 0;
            value = code128_value(in, c);
            if (value < 0) {
                *why = "Code 128 character not in its code set";
                return -1;
            }
            if (in == 2) {
                symbol->hri[symbol->hri_length++] = (char)('0' + c / 10);
                hri = (char)('0' + c % 10);
            } else {
                hri = c < 0x20 || c == 0x7F ? ' ' : (char)c;
            }
        }
        if (symbol->count >= MODEL_CODE128_VALUES_MAX - 2) {
            *why = "Code 128 data too long";
            return -1;
        }
        sum += (unsigned)value * symbol->count;
        symbol->values[symbol->count++] = (unsigned)value;
        if (hri)
            symbol->hri[symbol->hri_length++] = hri;
    }
    symbol->values[symbol->count++] = sum % 103;
    symbol->values[symbol->count++] = CODE128_STOP;
    symbol->hri[symbol->hri_length] = '\0';
    return 0;
}

/* Why a built-in table and not the firmware's font engine (firmware/gfx/text.h): a printer draws
 * HRI from its own ROM font, fixed-pitch 1-bit cells whatever the host has. The model stands
 * for that printer on the far side of the wire, so it keeps its own glyphs (generated once
 * from Noto Sans Mono CJK by tools/hri_font_gen.c) instead of borrowing the firmware's
 * proportional, anti-aliased engine: its output then cannot follow a change in the code
 * under test, and every host of the model (escpos_sim, the tests, a fuzz target) runs it
 * without text_init, fonts on disk or SDL.
 *
 * One HRI line: the text's cells side by side, centred on `centre`; dots off the paper are
 * lost, as on a printer whose bar code is wider than its head. */
static void model_print_hri(struct escpos_model *model, const char *text, size_t length, long centre)
{
    const struct escpos_hri_font *font = model->hri_font ? &escpos_hri_font_b : &escpos_hri_font_a;
    long left = centre - (long)(length * font->width) / 2;
    for (unsigned r = 0; r < font->height; r++) {
        unsigned char *row = model_add_row(model);
        if (!row)
            return;
        for (size_t k = 0; k < length; k++) {
            unsigned char c = (unsigned char)text[k];
            const char *glyph = font->glyphs[c >= 0x20 && c <= 0x7E ? c - 0x20 : 0];
            char hex[4] = {glyph[r * 3], glyph[r * 3 + 1], glyph[r * 3 + 2], 0};
            unsigned bits = (unsigned)strtoul(hex, NULL, 16);
            for (unsigned x = 0; x < font->width; x++)
                if (bits & (1u << (font->width - 1 - x)))
                    model_set_dot(model, row, left + (long)(k * font->width + x));
        }
    }
}

static void model_print_code128(struct escpos_model *model, const unsigned char *data, size_t length)
{
    struct code128_symbol symbol;
    const char *why = NULL;
    unsigned char byte = 0;
    if (code128_encode(data, length, &symbol, &why, &byte) < 0) {
        model_error(model, why, byte);
        return;
    }
    /* Modules: 11 per symbol, 13 for stop, plus quiet zones. */
    long bar_modules = (long)(symbol.count - 1) * 11 + 13;
    long module = model->barcode_module;
    long left = model_left_edge(model, (bar_modules + 2 * MODEL_QUIET_MODULES) * module) +
                MODEL_QUIET_MODULES * module;
    long centre = left + bar_modules * module / 2;
    if (model->barcode_hri & 1) {
        model_print_hri(model, symbol.hri, symbol.hri_length, centre);
        model_feed(model, MODEL_HRI_GAP_DOTS);
    }
    for (unsigned r = 0; r < model->barcode_height; r++) {
        unsigned char *row = model_add_row(model);
        if (!row)
            return;
        long x = left;
        for (unsigned s = 0; s < symbol.count; s++) {
            const char *pattern = code128_patterns[symbol.values[s]];
            for (unsigned e = 0; pattern[e]; e++) {
                long width = (pattern[e] - '0') * module;
                if (e % 2 == 0)
                    for (long d = 0; d < width; d++)
                        model_set_dot(model, row, x + d);
                x += width;
            }
        }
    }
    if (model->barcode_hri & 2) {
        model_feed(model, MODEL_HRI_GAP_DOTS);
        model_print_hri(model, symbol.hri, symbol.hri_length, centre);
    }
}

/* Writes the page as OUT/receipt-NNNN.png: a true 1-bit PNG (print_raster's writer) at the
 * head's 203 dpi, so the file itself cannot hold a grey and its size on screen is its size
 * on paper. */
static void model_write_receipt(struct escpos_model *model)
{
    uint8_t *blank_row = model->page_rows ? NULL : calloc(1, model->width / 8 + 1); /* a cut with nothing printed */
    const struct print_bitmap page = {
        .width = (int)model->width,
        .height = model->page_rows ? (int)model->page_rows : 1,
        .stride = model->width / 8,
        .bits = model->page_rows ? model->page : blank_row,
    };
    if (!page.bits) {
        fprintf(stderr, "escpos_model: out of memory\n");
        model_discard_page(model);
        return;
    }
    char path[600], err[700];
    snprintf(path, sizeof path, "%s/receipt-%04lu.png", model->out_dir, model->stats.receipts + 1);
    if (print_bitmap_write_png(&page, 203, path, err, sizeof err) == 0) {
        model->stats.receipts++;
        fprintf(stderr, "escpos_model: cut: %s (%zu rows)\n", path, model->page_rows);
    } else {
        fprintf(stderr, "escpos_model: cannot write %s\n", err);
    }
    free(blank_row);
    model_discard_page(model);
}

static void model_cut(struct escpos_model *model)
{
    if (model->fault == FAULT_CUTTER_JAM) {
        /* The blade jams: the receipt stays uncut and the printer stops in error. */
        model->cutter_error = 1;
        model_discard_page(model);
        model_log("cutter jam: printing stopped until DLE ENQ 1/2");
        return;
    }
    model_write_receipt(model);
}

/* DLE EOT n (A5): bits 1 and 4 always 1, 0 and 7 always 0. */
static unsigned char model_status_byte(const struct escpos_model *model, unsigned n)
{
    unsigned char b = 0x12;
    switch (n) {
    case 1:
        if (model_is_stopped(model))
            b |= 0x08;
        break;
    case 2:
        if (model->fault == FAULT_COVER_OPEN)
            b |= 0x04;
        if (model->paper_end)
            b |= 0x20;
        if (model->cutter_error)
            b |= 0x40;
        break;
    case 3:
        if (model->cutter_error)
            b |= 0x08;
        break;
    case 4:
        if (model->fault == FAULT_NEAR_END)
            b |= 0x0C;
        if (model->paper_end)
            b |= 0x60;
        break;
    }
    return b;
}

/* Parses one command at buf. Returns the bytes it used, 0 when more are needed. */
static size_t model_parse_one(struct escpos_model *model, const unsigned char *buf, size_t have)
{
    unsigned char c = buf[0];
    int stopped = model_is_stopped(model);
    if (c == 0x10) {   /* DLE: real-time, answered even while stopped */
        if (have < 3)
            return 0;
        if (buf[1] == 0x04 && buf[2] >= 1 && buf[2] <= 4) {
            model_reply(model, model_status_byte(model, buf[2]));
            return 3;
        }
        if (buf[1] == 0x05 && (buf[2] == 1 || buf[2] == 2)) {
            if (model->cutter_error) {
                model->cutter_error = 0;
                model->fault = FAULT_NONE;
                model_log(buf[2] == 1 ? "DLE ENQ 1: recovered" : "DLE ENQ 2: recovered, buffers cleared");
            }
            if (buf[2] == 2)
                model_discard_page(model);
            return 3;
        }
        model_error(model, "unknown DLE command", buf[1]);
        return 2;
    }
    if (c == 0x0A || c == 0x0D || c == 0x00) {
        /* LF feeds a line; CR and NUL (the flush receiptio sends) do nothing. */
        if (c == 0x0A && !stopped)
            model_feed(model, MODEL_LINE_DOTS);
        return 1;
    }
    if (c >= 0x20) {
        /* Text is not rendered (the firmware rasters all text); it is not an error. */
        return 1;
    }
    if (c != 0x1B && c != 0x1D && c != 0x1C) {
        model_error(model, "unknown control byte", c);
        return 1;
    }
    if (have < 2)
        return 0;
    unsigned char f = buf[1];
    size_t need = 0;
    if (c == 0x1B) {
        switch (f) {
        case 0x40: case 0x32: need = 2; break;                       /* ESC @, ESC 2 */
        case 0x61: case 0x64: case 0x33: case 0x45: case 0x21: case 0x74: need = 3; break;
        default: model_error(model, "unknown ESC command", f); return 2;
        }
    } else if (c == 0x1C) {
        switch (f) {
        case 0x26: case 0x2E: need = 2; break;                       /* FS & / FS . */
        case 0x21: case 0x57: need = 3; break;
        default: model_error(model, "unknown FS command", f); return 2;
        }
    } else {
        switch (f) {
        case 0x68: case 0x77: case 0x48: case 0x66: case 0x21: need = 3; break;  /* GS h w H f ! */
        case 0x72: need = 3; break;                                  /* GS r n */
        case 0x56:                                                   /* GS V m [n] */
            if (have < 3)
                return 0;
            need = (buf[2] == 0 || buf[2] == 1 || buf[2] == 0x30 || buf[2] == 0x31) ? 3 : 4;
            break;
        case 0x76:                                                   /* GS v 0 m xL xH yL yH */
            if (have < 8)
                return 0;
            need = 8 + (size_t)(buf[4] | buf[5] << 8) * (size_t)(buf[6] | buf[7] << 8);
            if (buf[2] != 0x30 || need - 8 > MODEL_BAND_MAX) {
                model_error(model, "bad GS v header", buf[2]);
                return 3;
            }
            break;
        case 0x6B:                                                   /* GS k m ... */
            if (have < 3)
                return 0;
            if (buf[2] <= 6) {
                const unsigned char *end = memchr(buf + 3, 0, have - 3);
                if (!end)
                    return have > 4096 ? (model_error(model, "GS k without NUL", buf[2]), 3) : 0;
                need = (size_t)(end - buf) + 1;
            } else if (buf[2] >= 65 && buf[2] <= 78) {
                if (have < 4)
                    return 0;
                need = 4 + buf[3];
            } else {
                model_error(model, "unknown GS k symbology", buf[2]);
                return 3;
            }
            break;
        default: model_error(model, "unknown GS command", f); return 2;
        }
    }
    if (have < need)
        return 0;

    if (stopped) {
        /* Nothing prints and GS r stays silent (A5: silent once stopped by paper end). */
        model->stats.dropped++;
        return need;
    }
    if (c == 0x1B) {
        if (f == 0x40) {
            model->align = 0;
            model->barcode_height = 162;
            model->barcode_module = 3;
            model->barcode_hri = 0;
            model->hri_font = 0;
        } else if (f == 0x61) {
            unsigned n = buf[2] >= 0x30 ? buf[2] - 0x30u : buf[2];
            if (n > 2)
                model_error(model, "ESC a out of range", buf[2]);
            else
                model->align = n;
        } else if (f == 0x64) {
            model_feed(model, buf[2] * (unsigned)MODEL_LINE_DOTS);
        }
        return need;
    }
    if (c == 0x1C)
        return need;
    switch (f) {
    case 0x68:
        model->barcode_height = buf[2] ? buf[2] : 1;
        break;
    case 0x77:
        if (buf[2] < 1 || buf[2] > 6)
            model_error(model, "GS w out of range", buf[2]);
        else
            model->barcode_module = buf[2];
        break;
    case 0x48:   /* GS H n: 0-3 or 48-51 */
        if (buf[2] <= 3 || (buf[2] >= 0x30 && buf[2] <= 0x33))
            model->barcode_hri = buf[2] & 3u;
        else
            model_error(model, "GS H out of range", buf[2]);
        break;
    case 0x66:   /* GS f n: 0/48 font A, 1/49 font B */
        if (buf[2] == 0 || buf[2] == 1 || buf[2] == 0x30 || buf[2] == 0x31)
            model->hri_font = buf[2] & 1u;
        else
            model_error(model, "GS f out of range", buf[2]);
        break;
    case 0x72:
        if (buf[2] == 1 || buf[2] == 0x31)
            model_reply(model, model->fault == FAULT_NEAR_END ? 0x03 : 0x00);
        else if (buf[2] == 2 || buf[2] == 0x32)
            model_reply(model, 0x00);   /* drawer: closed */
        else
            model_error(model, "unknown GS r", buf[2]);
        break;
    case 0x56:
        if (need == 4 && (buf[2] == 0x41 || buf[2] == 0x42 || buf[2] == 0x67 || buf[2] == 0x68))
            model_feed(model, buf[3]);   /* feed to the cutter plus n units */
        else if (need == 4 && buf[2] != 0x61 && buf[2] != 0x62) {
            model_error(model, "unknown GS V form", buf[2]);
            break;
        }
        if (!model_is_stopped(model))
            model_cut(model);
        break;
    case 0x76: {
        unsigned x = buf[4] | buf[5] << 8, y = buf[6] | buf[7] << 8;
        size_t k = need - 8, have_band = k;
        if (model->fault == FAULT_SMALL_BUFFER && k > MODEL_SMALL_BUFFER) {
            model->stats.overflows++;
            model->stats.overflow_bytes += k - MODEL_SMALL_BUFFER;
            have_band = MODEL_SMALL_BUFFER;
            fprintf(stderr, "escpos_model: small buffer: band of %zu bytes, %zu lost\n", k,
                    k - MODEL_SMALL_BUFFER);
        }
        model_print_raster(model, buf[3] >= 0x30 ? buf[3] - 0x30u : buf[3], x, y, buf + 8, have_band);
        break;
    }
    case 0x6B:
        if (buf[2] == 73)
            model_print_code128(model, buf + 4, buf[3]);
        else
            fprintf(stderr, "escpos_model: GS k symbology %u parsed, not rendered\n", buf[2]);
        break;
    }
    return need;
}

static void *model_thread_main(void *arg)
{
    struct escpos_model *model = arg;
    size_t capacity = 65536, have = 0;
    unsigned char *buf = malloc(capacity);
    if (!buf)
        return NULL;
    for (;;) {
        struct pollfd fds[2] = {{.fd = model->device.master_fd, .events = POLLIN},
                                {.fd = model->device.stop_fd, .events = POLLIN}};
        if (poll(fds, 2, -1) < 0 && errno != EINTR)
            break;
        if (fds[1].revents & POLLIN)
            break;
        if (!(fds[0].revents & POLLIN)) {
            if (fds[0].revents & (POLLHUP | POLLERR)) {
                struct timespec pause = {0, 20000000};   /* no host on the slave: wait */
                nanosleep(&pause, NULL);
            }
            continue;
        }
        if (have == capacity) {
            unsigned char *bigger = capacity < MODEL_BAND_MAX * 2u ? realloc(buf, capacity * 2) : NULL;
            if (!bigger) {
                have = 0;   /* a flood no command explains: forget it */
                continue;
            }
            buf = bigger;
            capacity *= 2;
        }
        ssize_t n = read(model->device.master_fd, buf + have, capacity - have);
        if (n <= 0)
            continue;
        have += (size_t)n;
        pthread_mutex_lock(&model->device.lock);
        size_t used = 0;
        for (;;) {
            size_t step = model_parse_one(model, buf + used, have - used);
            if (step == 0)
                break;
            used += step;
            if (used == have)
                break;
        }
        pthread_mutex_unlock(&model->device.lock);
        memmove(buf, buf + used, have - used);
        have -= used;
    }
    free(buf);
    return NULL;
}

int escpos_model_start(struct escpos_model **model_out, const struct escpos_model_options *options)
{
    int fault = sim_device_find_fault(model_fault_names, options->fault);
    unsigned width = options->width_dots ? options->width_dots : 576;
    if (fault < 0 || width % 8 || width > 4096 || !options->out_dir)
        return -EINVAL;
    struct escpos_model *model = calloc(1, sizeof *model);
    if (!model)
        return -ENOMEM;
    snprintf(model->out_dir, sizeof model->out_dir, "%s", options->out_dir);
    model->width = width;
    model->fault = (enum model_fault)fault;
    model->fault_rows = options->fault_rows;
    model->barcode_height = 162;
    model->barcode_module = 3;
    int rc = sim_device_start(&model->device, model_thread_main, model);
    if (rc < 0)
        free(model);
    else
        *model_out = model;
    return rc;
}

const char *escpos_model_slave_path(const struct escpos_model *model)
{
    return model->device.slave_path;
}

int escpos_model_set_fault(struct escpos_model *model, const char *fault, unsigned rows)
{
    int index = sim_device_find_fault(model_fault_names, fault);
    if (index < 0)
        return -EINVAL;
    pthread_mutex_lock(&model->device.lock);
    model->fault = (enum model_fault)index;
    model->fault_rows = rows;
    model->rows_since_fault = 0;
    model->paper_end = 0;
    model->cutter_error = 0;
    pthread_mutex_unlock(&model->device.lock);
    return 0;
}

void escpos_model_restore_paper(struct escpos_model *model)
{
    pthread_mutex_lock(&model->device.lock);
    model->paper_end = 0;
    if (model->fault == FAULT_PAPER_OUT_AFTER || model->fault == FAULT_NEAR_END)
        model->fault = FAULT_NONE;
    pthread_mutex_unlock(&model->device.lock);
}

void escpos_model_get_stats(struct escpos_model *model, struct escpos_model_stats *stats)
{
    sim_device_copy_locked(&model->device, stats, &model->stats, sizeof *stats);
}

void escpos_model_stop(struct escpos_model *model)
{
    if (!model)
        return;
    sim_device_stop(&model->device, "escpos_model_stop");
    free(model->page);
    free(model);
}

const char *const *escpos_model_fault_names(void)
{
    return model_fault_names;
}
