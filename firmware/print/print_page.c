/* print_page: A4/A5 pages in millimetres at printer dots (see print_page.h). */
#include "firmware/print/print_page.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/print/barcode.h"
#include "firmware/gfx/render.h"

enum {
    /* 1-bit watermark screen: one dot in every PAGE_SCREEN x PAGE_SCREEN square (11 % ink):
     * light next to solid text, yet each stroke of a 30 pt glyph still gets several dots. */
    PAGE_SCREEN = 3,
    PAGE_WATERMARK_GRAY = 190,   /* 8-bit pages: a light gray */
    PAGE_WATERMARK_MARGIN_MM = 10, /* none nearer the edge: lasers leave ~4 mm unprinted */
};

static const struct ui_color page_black = { 0, 0, 0, 255 };
static const struct ui_color page_white = { 255, 255, 255, 255 };

struct page_watermark {
    int width, height;           /* the block of lines, in dots */
    uint8_t *mask;               /* width * height, 1 = ink */
    double cos_a, sin_a;
    double period_u, period_v;   /* tile pitch along and across the text */
};

struct print_page {
    struct render render;
    int dpi;
    int width, height;           /* dots */
    double offset_x_mm, offset_y_mm;
    struct page_watermark watermark;
    const struct print_page_recorder *recorder;
};

#define PAGE_RECORD(page, member, ...)                                      \
    do {                                                                    \
        if ((page)->recorder && (page)->recorder->member)                   \
            (page)->recorder->member((page)->recorder->context, __VA_ARGS__); \
    } while (0)

void print_page_set_recorder(struct print_page *page, const struct print_page_recorder *recorder)
{
    page->recorder = recorder;
}

void print_paper_size_mm(enum print_paper paper, double *width_mm, double *height_mm)
{
    if (paper == PRINT_PAPER_A5) {
        *width_mm = 148;
        *height_mm = 210;
    } else {
        *width_mm = 210;
        *height_mm = 297;
    }
}

const char *print_paper_name(enum print_paper paper)
{
    return paper == PRINT_PAPER_A5 ? "A5" : "A4";
}

int print_paper_parse(const char *name, enum print_paper *out)
{
    if (name && (strcmp(name, "A4") == 0 || strcmp(name, "a4") == 0)) {
        *out = PRINT_PAPER_A4;
        return 0;
    }
    if (name && (strcmp(name, "A5") == 0 || strcmp(name, "a5") == 0)) {
        *out = PRINT_PAPER_A5;
        return 0;
    }
    return -EINVAL;
}

/* Paper in whole dots, rounded: A4 at 300 dpi is 2480.3 x 3507.9, and CUPS and PWG call it
 * 2480 x 3508. */
static int page_dots_round(double mm, int dpi)
{
    return (int)lround(mm * dpi / 25.4);
}

int print_page_open(const struct print_page_setup *setup, struct print_page **out, char *err, size_t errlen)
{
    const int dpi = setup->dpi > 0 ? setup->dpi : 300;
    if (dpi < 75 || dpi > 1200) {
        snprintf(err, errlen, "resolution %d dpi is outside 75-1200", dpi);
        return -1;
    }
    if (abs(setup->offset_x_decimm) > 200 || abs(setup->offset_y_decimm) > 200) {
        snprintf(err, errlen, "registration offset %d,%d (0.1 mm) is beyond +-20 mm", setup->offset_x_decimm,
                 setup->offset_y_decimm);
        return -1;
    }
    struct print_page *page = calloc(1, sizeof *page);
    if (!page) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    double w_mm, h_mm;
    print_paper_size_mm(setup->paper, &w_mm, &h_mm);
    page->dpi = dpi;
    page->width = page_dots_round(w_mm, dpi);
    page->height = page_dots_round(h_mm, dpi);
    page->offset_x_mm = setup->offset_x_decimm / 10.0;
    page->offset_y_mm = setup->offset_y_decimm / 10.0;
    if (render_init_dots(&page->render, page->width, page->height, err, errlen) < 0) {
        free(page);
        return -1;
    }
    render_clear(&page->render, page_white);
    *out = page;
    return 0;
}

static void page_watermark_free(struct page_watermark *watermark)
{
    free(watermark->mask);
    memset(watermark, 0, sizeof *watermark);
}

void print_page_close(struct print_page *page)
{
    if (!page)
        return;
    render_free(&page->render);
    page_watermark_free(&page->watermark);
    free(page);
}

int print_page_width_dots(const struct print_page *page)
{
    return page->width;
}

int print_page_height_dots(const struct print_page *page)
{
    return page->height;
}

int print_page_dpi(const struct print_page *page)
{
    return page->dpi;
}

int print_page_length_dots(const struct print_page *page, double mm)
{
    return (int)lround(mm * page->dpi / 25.4);
}

int print_page_x_dots(const struct print_page *page, double x_mm)
{
    return print_page_length_dots(page, x_mm + page->offset_x_mm);
}

int print_page_y_dots(const struct print_page *page, double y_mm)
{
    return print_page_length_dots(page, y_mm + page->offset_y_mm);
}

static double page_mm(const struct print_page *page, int dots)
{
    return dots * 25.4 / page->dpi;
}

static struct text_style page_text_style(const struct print_page *page, const struct print_text_style *style)
{
    const double size_pt = style->size_pt > 0 ? style->size_pt : style->size_mm * 72.0 / 25.4;
    struct text_style out = {
        .size_du = (int)lround(size_pt * page->dpi / 72.0),
        .weight = style->bold ? TEXT_BOLD : TEXT_REGULAR,
        .color = page_black,
        .align = style->align,
    };
    if (out.size_du < 4)
        out.size_du = 4;
    return out;
}

double print_page_text(struct print_page *page, const struct print_text_style *style, double x_mm, double y_mm,
                       double width_mm, const char *text)
{
    struct text_style ts = page_text_style(page, style);
    int x = print_page_x_dots(page, x_mm), y = print_page_y_dots(page, y_mm);
    struct ui_rect box = { x, y, print_page_length_dots(page, width_mm), page->height - y };
    if (box.w <= 0 || box.h <= 0)
        return 0;
    PAGE_RECORD(page, text, style, x_mm, y_mm, width_mm, text);
    return page_mm(page, text_draw(&page->render, &ts, box, text));
}

double print_page_text_height(struct print_page *page, const struct print_text_style *style, double width_mm,
                              const char *text)
{
    struct text_style ts = page_text_style(page, style);
    return page_mm(page, text_height_du(&page->render, &ts, print_page_length_dots(page, width_mm), text));
}

void print_page_fill(struct print_page *page, double x_mm, double y_mm, double width_mm, double height_mm)
{
    PAGE_RECORD(page, fill, x_mm, y_mm, width_mm, height_mm);
    /* Both edges rounded, so adjoining rules meet without a gap or an overlap. */
    int x0 = print_page_x_dots(page, x_mm), x1 = print_page_x_dots(page, x_mm + width_mm);
    int y0 = print_page_y_dots(page, y_mm), y1 = print_page_y_dots(page, y_mm + height_mm);
    if (x1 <= x0)
        x1 = x0 + 1;
    if (y1 <= y0)
        y1 = y0 + 1;
    render_fill_rect(&page->render, (struct ui_rect){ x0, y0, x1 - x0, y1 - y0 }, page_black);
}

void print_page_frame(struct print_page *page, double x_mm, double y_mm, double width_mm, double height_mm,
                      double line_mm)
{
    print_page_fill(page, x_mm, y_mm, width_mm, line_mm);
    print_page_fill(page, x_mm, y_mm + height_mm - line_mm, width_mm, line_mm);
    print_page_fill(page, x_mm, y_mm, line_mm, height_mm);
    print_page_fill(page, x_mm + width_mm - line_mm, y_mm, line_mm, height_mm);
}

void print_page_ring(struct print_page *page, double cx_mm, double cy_mm, double radius_mm, double line_mm)
{
    PAGE_RECORD(page, ring, cx_mm, cy_mm, radius_mm, line_mm);
    render_fill_ring(&page->render, print_page_x_dots(page, cx_mm), print_page_y_dots(page, cy_mm),
                     print_page_length_dots(page, radius_mm + line_mm / 2),
                     print_page_length_dots(page, radius_mm - line_mm / 2), 1.0, page_black, page_black);
}

double print_page_table(struct print_page *page, const struct print_text_style *style, double x_mm, double y_mm,
                        double width_mm, double key_width_mm, const struct print_table_row *rows, size_t count)
{
    const double rule = 0.25, pad = 1.8;
    const double value_x = x_mm + key_width_mm, value_w = width_mm - key_width_mm;
    struct print_text_style key_style = *style;
    key_style.bold = true;
    double y = y_mm;
    print_page_fill(page, x_mm, y, width_mm, rule);
    for (size_t i = 0; i < count; i++) {
        double key_h = print_page_text_height(page, &key_style, key_width_mm - 2 * pad, rows[i].key);
        double value_h = print_page_text_height(page, style, value_w - 2 * pad, rows[i].value);
        double row_h = (key_h > value_h ? key_h : value_h) + 2 * pad;
        print_page_text(page, &key_style, x_mm + pad, y + pad, key_width_mm - 2 * pad, rows[i].key);
        print_page_text(page, style, value_x + pad, y + pad, value_w - 2 * pad, rows[i].value);
        print_page_fill(page, value_x, y, rule, row_h);
        y += row_h;
        print_page_fill(page, x_mm, y, width_mm, rule);
    }
    print_page_fill(page, x_mm, y_mm, rule, y - y_mm + rule);
    print_page_fill(page, x_mm + width_mm - rule, y_mm, rule, y - y_mm + rule);
    return y - y_mm + rule;
}

int print_page_image_png(struct print_page *page, const void *png, size_t png_len, double x_mm, double y_mm,
                         double width_mm, double height_mm, char *err, size_t errlen)
{
    const struct ui_rect box = { print_page_x_dots(page, x_mm), print_page_y_dots(page, y_mm),
                                 print_page_length_dots(page, width_mm), print_page_length_dots(page, height_mm) };
    if (render_draw_png(&page->render, png, png_len, box, err, errlen) < 0)
        return -1;
    PAGE_RECORD(page, image_png, png, png_len, x_mm, y_mm, width_mm, height_mm);
    return 0;
}

int print_page_qr(struct print_page *page, const char *text, double x_mm, double y_mm, double module_mm,
                  double *size_mm, char *err, size_t errlen)
{
    struct barcode_matrix code;
    if (barcode_make_qr(text, BARCODE_QR_ECC_M, &code, err, errlen) < 0)
        return -1;
    int dots = print_page_length_dots(page, module_mm);
    if (dots < 1)
        dots = 1;
    PAGE_RECORD(page, qr, code.modules, code.width, code.height, x_mm, y_mm, page_mm(page, dots),
                BARCODE_QR_QUIET_MODULES);
    int w, h;
    print_draw_code(&page->render, &code, print_page_x_dots(page, x_mm), print_page_y_dots(page, y_mm), dots, 0,
                    BARCODE_QR_QUIET_MODULES, &w, &h);
    barcode_free(&code);
    if (size_mm)
        *size_mm = page_mm(page, w);
    return 0;
}

int print_page_watermark(struct print_page *page, const char *const *lines, size_t count, double size_pt,
                         double angle_deg, char *err, size_t errlen)
{
    page_watermark_free(&page->watermark);
    if (count == 0)
        return 0;
    PAGE_RECORD(page, watermark, lines, count, size_pt, angle_deg);
    struct print_text_style style = { .size_pt = size_pt, .bold = true, .align = TEXT_ALIGN_CENTER };
    struct text_style ts = page_text_style(page, &style);
    int width = 1;
    for (size_t i = 0; i < count; i++) {
        int w = text_measure_du(&page->render, &ts, lines[i]);
        if (w > width)
            width = w;
    }
    width += 8;
    const int line_h = text_line_height_du(&page->render, &ts);
    const int height = line_h * (int)count;
    struct render block;
    if (render_init_dots(&block, width, height, err, errlen) < 0)
        return -1;
    render_clear(&block, page_white);
    for (size_t i = 0; i < count; i++)
        text_draw(&block, &ts, (struct ui_rect){ 0, line_h * (int)i, width, line_h }, lines[i]);
    struct page_watermark *wm = &page->watermark;
    wm->mask = calloc((size_t)width * (size_t)height, 1);
    if (!wm->mask) {
        render_free(&block);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    const struct render_pixels canvas = render_get_pixels(&block);
    for (int y = 0; y < height; y++) {
        const uint32_t *row = canvas.argb + (size_t)y * canvas.pitch_px;
        for (int x = 0; x < width; x++)
            wm->mask[(size_t)y * (size_t)width + (size_t)x] = ((row[x] >> 8) & 255) < 128;
    }
    render_free(&block);
    wm->width = width;
    wm->height = height;
    const double angle = angle_deg * M_PI / 180.0;
    wm->cos_a = cos(angle);
    wm->sin_a = sin(angle);
    /* Blocks a third of their width apart along the line, a block's height between lines. */
    wm->period_u = width * 4.0 / 3.0;
    wm->period_v = height * 2.5;
    return 0;
}

/* The watermark's mask sampled along one row: the dot's place in the rotated, repeated block
 * (rotation about the page centre; every other row of blocks shifted half a period), in
 * 16.16 fixed point and stepped along the row, since the 1-bit screen asks about a million
 * dots per page. */
struct page_watermark_row {
    int64_t u, v, du, dv;           /* position in the rotated frame, its step per dot */
    int64_t period_u, period_v, offset_u, offset_v;
    int margin_x0, margin_x1;       /* dots outside the 10 mm margin are never inked */
    int inside_y;
};

static void page_watermark_row_start(const struct print_page *page, int y, struct page_watermark_row *row)
{
    const struct page_watermark *wm = &page->watermark;
    const int margin = print_page_length_dots(page, PAGE_WATERMARK_MARGIN_MM);
    const double px = -page->width / 2.0, py = y - page->height / 2.0;
    row->u = (int64_t)llround((px * wm->cos_a - py * wm->sin_a) * 65536.0);
    row->v = (int64_t)llround((px * wm->sin_a + py * wm->cos_a) * 65536.0);
    row->du = (int64_t)llround(wm->cos_a * 65536.0);
    row->dv = (int64_t)llround(wm->sin_a * 65536.0);
    row->period_u = (int64_t)llround(wm->period_u * 65536.0);
    row->period_v = (int64_t)llround(wm->period_v * 65536.0);
    /* Whole periods added so every value is positive and / and % need no floor. */
    const int64_t reach = (int64_t)(page->width + page->height) * 65536 * 2;
    row->offset_v = (reach / row->period_v + 1) * row->period_v;
    row->offset_u = (reach / row->period_u + 1) * row->period_u * 2;
    row->margin_x0 = margin;
    row->margin_x1 = page->width - margin;
    row->inside_y = y >= margin && y < page->height - margin;
}

static int page_watermark_row_at(const struct print_page *page, const struct page_watermark_row *row, int x)
{
    if (!row->inside_y || x < row->margin_x0 || x >= row->margin_x1)
        return 0;
    const struct page_watermark *wm = &page->watermark;
    const int64_t v = row->v + row->dv * x + row->offset_v;
    const int64_t block_row = v / row->period_v;
    const int64_t v_in = v - block_row * row->period_v;
    const int64_t u = row->u + row->du * x + row->offset_u + block_row * (row->period_u / 2);
    const int64_t u_in = u % row->period_u;
    const int iu = (int)(u_in >> 16), iv = (int)(v_in >> 16);
    if (iu >= wm->width || iv >= wm->height)
        return 0;
    return wm->mask[(size_t)iv * (size_t)wm->width + (size_t)iu];
}

int print_page_to_bitmap(struct print_page *page, struct print_bitmap *out)
{
    int rc = print_bitmap_from_render(&page->render, page->height, out);
    if (rc < 0 || !page->watermark.mask)
        return rc;
    /* The screen's dots only, and only on paper left white: text and codes keep their edges
     * (a QR's light modules stay light: its quiet zone and modules are drawn white). */
    for (int y = 0; y < out->height; y += PAGE_SCREEN) {
        uint8_t *row = out->bits + (size_t)y * out->stride;
        struct page_watermark_row at;
        page_watermark_row_start(page, y, &at);
        for (int x = (y / PAGE_SCREEN) % 2 ? PAGE_SCREEN / 2 : 0; x < out->width; x += PAGE_SCREEN) {
            if (!page_watermark_row_at(page, &at, x))
                continue;
            /* Skip dots next to ink, so the screen never touches a character's edge. */
            int clear = 1;
            for (int dy = -2; dy <= 2 && clear; dy++)
                for (int dx = -2; dx <= 2; dx++) {
                    int nx = x + dx, ny = y + dy;
                    if (nx >= 0 && ny >= 0 && nx < out->width && ny < out->height && print_bitmap_dot(out, nx, ny)) {
                        clear = 0;
                        break;
                    }
                }
            if (clear)
                row[x >> 3] |= (uint8_t)(0x80u >> (x & 7));
        }
    }
    return 0;
}

int print_page_to_gray(struct print_page *page, struct print_gray *out)
{
    const struct render_pixels canvas = render_get_pixels(&page->render);
    out->width = page->width;
    out->height = page->height;
    out->stride = (size_t)page->width;
    out->pixels = malloc(out->stride * (size_t)page->height);
    if (!out->pixels)
        return -ENOMEM;
    for (int y = 0; y < page->height; y++) {
        const uint32_t *row = canvas.argb + (size_t)y * canvas.pitch_px;
        uint8_t *dst = out->pixels + (size_t)y * out->stride;
        struct page_watermark_row at;
        if (page->watermark.mask)
            page_watermark_row_start(page, y, &at);
        for (int x = 0; x < page->width; x++) {
            uint32_t p = row[x];
            unsigned luma = (((p >> 16) & 255) * 299 + ((p >> 8) & 255) * 587 + (p & 255) * 114) / 1000;
            if (luma == 255 && page->watermark.mask && page_watermark_row_at(page, &at, x))
                luma = PAGE_WATERMARK_GRAY;
            dst[x] = (uint8_t)luma;
        }
    }
    return 0;
}

void print_gray_free(struct print_gray *gray)
{
    free(gray->pixels);
    memset(gray, 0, sizeof *gray);
}
