/* receipt: blocks measured, then drawn on a canvas exactly as tall as they need. */
#include "firmware/print/receipt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/print/barcode.h"
#include "firmware/core/i18n.h"
#include "firmware/gfx/render.h"
#include "firmware/gfx/text.h"

enum receipt_block_kind { BLOCK_TITLE, BLOCK_HEADING, BLOCK_TEXT, BLOCK_ROW, BLOCK_SEPARATOR, BLOCK_QR, BLOCK_BARCODE, BLOCK_FOOTER };

struct receipt_block {
    enum receipt_block_kind kind;
    char *a, *b; /* text; a row's key and value; a code's data and caption */
};

struct receipt {
    const struct escpos_profile *profile;
    struct receipt_block *blocks;
    size_t count, capacity;
    int error;
};

#define RECEIPT_GAP_DOTS 10       /* between blocks */
#define RECEIPT_ROW_KEY_SHARE 34  /* percent of the width for a row's key */
#define RECEIPT_BARCODE_HEIGHT 72 /* 9 mm bars */
#define RECEIPT_FEED_LINES 4      /* past the tear bar before the cut */

static const struct ui_color receipt_ink = { 0, 0, 0, 255 };
static const struct ui_color receipt_paper = { 255, 255, 255, 255 };

struct receipt *receipt_create(const struct escpos_profile *profile)
{
    struct receipt *receipt = calloc(1, sizeof *receipt);
    if (receipt)
        receipt->profile = profile;
    return receipt;
}

void receipt_free(struct receipt *receipt)
{
    if (!receipt)
        return;
    for (size_t i = 0; i < receipt->count; i++) {
        free(receipt->blocks[i].a);
        free(receipt->blocks[i].b);
    }
    free(receipt->blocks);
    free(receipt);
}

static int receipt_add(struct receipt *receipt, enum receipt_block_kind kind, const char *a, const char *b)
{
    if (receipt->error)
        return receipt->error;
    if (receipt->count == receipt->capacity) {
        size_t capacity = receipt->capacity ? receipt->capacity * 2 : 16;
        struct receipt_block *grown = realloc(receipt->blocks, capacity * sizeof *grown);
        if (!grown)
            return receipt->error = -ENOMEM;
        receipt->blocks = grown;
        receipt->capacity = capacity;
    }
    struct receipt_block block = { kind, a ? strdup(a) : NULL, b ? strdup(b) : NULL };
    if ((a && !block.a) || (b && !block.b)) {
        free(block.a);
        free(block.b);
        return receipt->error = -ENOMEM;
    }
    receipt->blocks[receipt->count++] = block;
    return 0;
}

int receipt_add_title(struct receipt *receipt, const char *text)
{
    return receipt_add(receipt, BLOCK_TITLE, text, NULL);
}

int receipt_add_heading(struct receipt *receipt, const char *text)
{
    return receipt_add(receipt, BLOCK_HEADING, text, NULL);
}

int receipt_add_text(struct receipt *receipt, const char *text)
{
    return receipt_add(receipt, BLOCK_TEXT, text, NULL);
}

int receipt_add_row(struct receipt *receipt, const char *key, const char *value)
{
    return receipt_add(receipt, BLOCK_ROW, key, value);
}

int receipt_add_separator(struct receipt *receipt)
{
    return receipt_add(receipt, BLOCK_SEPARATOR, NULL, NULL);
}

int receipt_add_qr(struct receipt *receipt, const char *text, const char *caption)
{
    return receipt_add(receipt, BLOCK_QR, text, caption);
}

int receipt_add_barcode(struct receipt *receipt, const char *text)
{
    return receipt_add(receipt, BLOCK_BARCODE, text, NULL);
}

int receipt_add_footer(struct receipt *receipt, const char *unit_id, const char *time_text)
{
    char line[160];
    snprintf(line, sizeof line, _("Unit %s  %s"), unit_id, time_text);
    return receipt_add(receipt, BLOCK_FOOTER, line, NULL);
}

/* What drawing needs beside the canvas; `draw` false only measures. */
struct receipt_pen {
    struct render *render;
    int width, y;
    bool draw;
};

static struct text_style receipt_style(int size, enum text_weight weight, enum text_align align)
{
    return (struct text_style){ .size_du = size, .weight = weight, .color = receipt_ink, .align = align };
}

static void receipt_text(struct receipt_pen *pen, const struct text_style *style, int x, int width, const char *text)
{
    int height = text_height_du(pen->render, style, width, text);
    if (pen->draw)
        text_draw(pen->render, style, (struct ui_rect){ x, pen->y, width, height }, text);
    pen->y += height;
}

/* The largest whole number of dots per module that keeps the code (quiet zone included)
 * within target dots, at least min; 0 when even min does not fit the paper. */
static int receipt_module_dots(int modules, int target, int min, int paper)
{
    int dots = target / modules;
    if (dots < min)
        dots = min;
    return modules * dots <= paper ? dots : 0;
}

static int receipt_code(struct receipt_pen *pen, const struct receipt_block *block, char *err, size_t errlen)
{
    struct barcode_matrix code;
    bool qr = block->kind == BLOCK_QR;
    if ((qr ? barcode_make_qr(block->a, BARCODE_QR_ECC_M, &code, err, errlen)
            : barcode_make_code128(block->a, &code, err, errlen)) < 0)
        return -EINVAL;
    const int quiet = qr ? BARCODE_QR_QUIET_MODULES : BARCODE_CODE128_QUIET_MODULES;
    const int modules = code.width + 2 * quiet;
    /* QR: about 30 mm and at least 3 dots a module; Code 128: 2 dots a module (0.25 mm), 1
     * when long. A thermal head cannot print less than a dot, so nothing is resampled. */
    int dots = qr ? receipt_module_dots(modules, RECEIPT_QR_TARGET_DOTS, 3, pen->width)
                  : receipt_module_dots(modules, 2 * modules, 2, pen->width);
    if (!dots && !qr)
        dots = receipt_module_dots(modules, modules, 1, pen->width);
    if (!dots) {
        snprintf(err, errlen, "receipt: %s of %d modules does not fit %d dots", qr ? "QR code" : "Code 128", modules,
                 pen->width);
        barcode_free(&code);
        return -EINVAL;
    }
    const int height = qr ? modules * dots : RECEIPT_BARCODE_HEIGHT;
    if (pen->draw) {
        int w, h;
        print_draw_code(pen->render, &code, (pen->width - modules * dots) / 2, pen->y, dots, qr ? 0 : height, quiet,
                        &w, &h);
    }
    pen->y += height;
    barcode_free(&code);
    /* Under a barcode its text (a tracking number a person can type); under a QR its caption. */
    const char *under = qr ? block->b : block->a;
    if (under && under[0]) {
        struct text_style style = receipt_style(RECEIPT_SMALL_DOTS, TEXT_REGULAR, TEXT_ALIGN_CENTER);
        receipt_text(pen, &style, 0, pen->width, under);
    }
    return 0;
}

static void receipt_separator(struct receipt_pen *pen)
{
    /* 2 dots thick, 12 on 8 off: a rule that reads as a divider, not a cut line. */
    if (pen->draw)
        for (int x = 0; x < pen->width; x += 20)
            render_fill_rect(pen->render, (struct ui_rect){ x, pen->y + 6, x + 12 <= pen->width ? 12 : pen->width - x, 2 },
                             receipt_ink);
    pen->y += 14;
}

static void receipt_row(struct receipt_pen *pen, const struct receipt_block *block)
{
    struct text_style key = receipt_style(RECEIPT_BODY_DOTS, TEXT_BOLD, TEXT_ALIGN_LEFT);
    struct text_style value = receipt_style(RECEIPT_BODY_DOTS, TEXT_REGULAR, TEXT_ALIGN_LEFT);
    const int key_width = pen->width * RECEIPT_ROW_KEY_SHARE / 100;
    const int top = pen->y;
    receipt_text(pen, &key, 0, key_width - 8, block->a);
    const int key_bottom = pen->y;
    pen->y = top;
    receipt_text(pen, &value, key_width, pen->width - key_width, block->b);
    if (key_bottom > pen->y)
        pen->y = key_bottom;
}

/* One pass over the blocks; measuring and drawing share it so they cannot disagree. */
static int receipt_layout(struct receipt *receipt, struct receipt_pen *pen, char *err, size_t errlen)
{
    pen->y = RECEIPT_MARGIN_DOTS;
    for (size_t i = 0; i < receipt->count; i++) {
        const struct receipt_block *block = &receipt->blocks[i];
        struct text_style style;
        if (i)
            pen->y += RECEIPT_GAP_DOTS;
        switch (block->kind) {
        case BLOCK_TITLE:
            style = receipt_style(RECEIPT_TITLE_DOTS, TEXT_BOLD, TEXT_ALIGN_CENTER);
            receipt_text(pen, &style, 0, pen->width, block->a);
            break;
        case BLOCK_HEADING:
            style = receipt_style(RECEIPT_BODY_DOTS, TEXT_BOLD, TEXT_ALIGN_LEFT);
            receipt_text(pen, &style, 0, pen->width, block->a);
            break;
        case BLOCK_TEXT:
            style = receipt_style(RECEIPT_BODY_DOTS, TEXT_REGULAR, TEXT_ALIGN_LEFT);
            receipt_text(pen, &style, 0, pen->width, block->a);
            break;
        case BLOCK_ROW:
            receipt_row(pen, block);
            break;
        case BLOCK_SEPARATOR:
            receipt_separator(pen);
            break;
        case BLOCK_QR:
        case BLOCK_BARCODE: {
            int rc = receipt_code(pen, block, err, errlen);
            if (rc < 0)
                return rc;
            break;
        }
        case BLOCK_FOOTER:
            style = receipt_style(RECEIPT_SMALL_DOTS, TEXT_REGULAR, TEXT_ALIGN_CENTER);
            receipt_text(pen, &style, 0, pen->width, block->a);
            break;
        }
    }
    pen->y += RECEIPT_MARGIN_DOTS;
    return 0;
}

static int receipt_encode(const struct receipt *receipt, const struct print_bitmap *image, struct escpos_buffer *job)
{
    const struct escpos_bitmap bitmap = { image->bits, image->width, image->height, image->stride };
    int cut = escpos_profile_cut(receipt->profile);
    int rc = escpos_append_init(job);
    if (!rc)
        rc = escpos_append_align(job, ESCPOS_ALIGN_LEFT);
    if (!rc)
        rc = escpos_append_raster(job, &bitmap);
    /* The feed-and-cut kinds feed to the cutter themselves; the plain cuts need the feed. */
    if (!rc && !(cut & (ESCPOS_CUT_FEED_FULL | ESCPOS_CUT_FEED_PARTIAL)))
        rc = escpos_append_feed(job, RECEIPT_FEED_LINES);
    if (!rc)
        rc = escpos_append_cut(job, (enum escpos_cut)cut, 0);
    return rc;
}

int receipt_finish(struct receipt *receipt, struct print_bitmap *image, struct escpos_buffer *job, char *err,
                   size_t errlen)
{
    if (receipt->error) {
        snprintf(err, errlen, "receipt: out of memory");
        return receipt->error;
    }
    const int width = receipt->profile->width_dots;
    const int inner = width - 2 * RECEIPT_MARGIN_DOTS;
    struct render measure;
    /* Measuring needs only the canvas's scale: a 1-row canvas. */
    if (render_init_dots(&measure, width, 1, err, errlen) < 0)
        return -ENOMEM;
    struct receipt_pen pen = { &measure, inner, 0, false };
    int rc = receipt_layout(receipt, &pen, err, errlen);
    render_free(&measure);
    if (rc < 0)
        return rc;

    struct render canvas;
    if (render_init_dots(&canvas, width, pen.y, err, errlen) < 0)
        return -ENOMEM;
    render_clear(&canvas, receipt_paper);
    /* Drawing on a view of the canvas inside the margins: every block's x is from the inner
     * left edge, and nothing can spill into the margin. */
    struct render inner_view;
    if (render_init_view(&inner_view, &canvas, RECEIPT_MARGIN_DOTS, inner, err, errlen) < 0) {
        render_free(&canvas);
        return -ENOMEM;
    }
    struct receipt_pen draw = { &inner_view, inner, 0, true };
    rc = receipt_layout(receipt, &draw, err, errlen);
    render_free(&inner_view);
    struct print_bitmap bitmap = { 0 };
    if (rc == 0 && print_bitmap_from_render(&canvas, pen.y, &bitmap) < 0) {
        snprintf(err, errlen, "receipt: out of memory");
        rc = -ENOMEM;
    }
    render_free(&canvas);
    if (rc == 0 && job && receipt_encode(receipt, &bitmap, job) < 0) {
        snprintf(err, errlen, "receipt: cannot encode the job");
        rc = -ENOMEM;
    }
    if (rc == 0 && image)
        *image = bitmap;
    else
        print_bitmap_free(&bitmap);
    return rc;
}
