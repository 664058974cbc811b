/* The certificate printer's page engine: an A4 or A5 page laid out in millimetres from the
 * physical paper edge, drawn at the printer's dots (300 dpi: A4 = 2480 x 3508) with the
 * screen's font engine, and handed to a back end as 1-bit dots (PCL, PWG black_1) or 8-bit
 * gray (PWG sgray_8).
 *
 * Everything drawn is shifted by the unit's registration offset (dx, dy in 0.1 mm, config
 * [print]), so fields land on the boxes of pre-printed stock however the printer feeds it
 * (../shared/reference/printers.md B3). Codes are drawn at whole dots per module; images are
 * scaled once into their box. The usage watermark is kept apart and laid under the content
 * when the page is turned into dots: only where the paper is still white, so it never covers
 * a character, and on a 1-bit page as a sparse dot screen (light, still readable).
 *
 * A page is used by one thread; the font engine it shares with the UI is thread-safe. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "firmware/print/print_raster.h"
#include "firmware/gfx/text.h"

enum print_paper { PRINT_PAPER_A4, PRINT_PAPER_A5 };
enum print_depth { PRINT_DEPTH_1BIT = 1, PRINT_DEPTH_GRAY8 = 8 };

struct print_page_setup {
    enum print_paper paper;
    int dpi;                 /* 0 = 300 */
    int offset_x_decimm;     /* registration: + moves everything right, in 0.1 mm */
    int offset_y_decimm;     /* + moves everything down */
};

/* 8-bit gray dots: 0 black, 255 white (PWG sgray_8's sense). */
struct print_gray {
    int width, height;
    size_t stride;
    uint8_t *pixels;
};

struct print_page;

/* Paper size in millimetres (portrait). */
void print_paper_size_mm(enum print_paper paper, double *width_mm, double *height_mm);
/* "A4" / "A5" for messages; NULL-safe parse back (0 or -EINVAL). */
const char *print_paper_name(enum print_paper paper);
int print_paper_parse(const char *name, enum print_paper *out);

/* A blank (white) page. 0, or -1 with the reason in err. */
int print_page_open(const struct print_page_setup *setup, struct print_page **out, char *err, size_t errlen);
void print_page_close(struct print_page *page);
int print_page_width_dots(const struct print_page *page);
int print_page_height_dots(const struct print_page *page);
int print_page_dpi(const struct print_page *page);

/* Page millimetres (from the paper's top-left edge) to the dot they land on, offset
 * included. Tests use these to find what the layout drew. */
int print_page_x_dots(const struct print_page *page, double x_mm);
int print_page_y_dots(const struct print_page *page, double y_mm);
/* A length in millimetres as dots (no offset). */
int print_page_length_dots(const struct print_page *page, double mm);

struct print_text_style {
    double size_pt;          /* 1 pt = 1/72 inch */
    double size_mm;          /* used instead when size_pt is 0: the em in millimetres */
    bool bold;
    enum text_align align;
};

/* Text wrapped to width_mm (Chinese line breaking), its first line box at y_mm. Returns the
 * height drawn in millimetres. */
double print_page_text(struct print_page *page, const struct print_text_style *style, double x_mm, double y_mm,
                       double width_mm, const char *text);
/* The height text would take, without drawing. */
double print_page_text_height(struct print_page *page, const struct print_text_style *style, double width_mm,
                              const char *text);

/* A filled black rectangle (rules, crosshair arms). */
void print_page_fill(struct print_page *page, double x_mm, double y_mm, double width_mm, double height_mm);
/* A rectangle's outline, line_mm thick, drawn inside it. */
void print_page_frame(struct print_page *page, double x_mm, double y_mm, double width_mm, double height_mm,
                      double line_mm);

/* A circle's outline of radius_mm (to the line's middle), line_mm thick. */
void print_page_ring(struct print_page *page, double cx_mm, double cy_mm, double radius_mm, double line_mm);

/* A ruled key-value table: keys in the first key_width_mm, values wrapped in the rest;
 * each row as tall as its taller cell plus padding. Returns the table's height in mm. */
struct print_table_row {
    const char *key, *value;
};
double print_page_table(struct print_page *page, const struct print_text_style *style, double x_mm, double y_mm,
                        double width_mm, double key_width_mm, const struct print_table_row *rows, size_t count);

/* A PNG (bytes as they came with the licence) scaled to fit the box, aspect kept, centred;
 * transparent parts leave the paper as it was. 0, or -1 with the reason in err. */
int print_page_image_png(struct print_page *page, const void *png, size_t png_len, double x_mm, double y_mm,
                         double width_mm, double height_mm, char *err, size_t errlen);

/* A QR code whose top-left (quiet zone included) is at x, y, with modules of module_mm
 * rounded to whole dots (at least 1). *size_mm (may be NULL) gets the side drawn, quiet zone
 * included. 0, or -1 with zint's reason in err. */
int print_page_qr(struct print_page *page, const char *text, double x_mm, double y_mm, double module_mm,
                  double *size_mm, char *err, size_t errlen);

/* The usage watermark: the lines (purpose, print time, unit id) as one block, rotated by
 * angle_deg (counter-clockwise), repeated over the whole page. Replaces any previous one.
 * 0, or -1 with the reason in err. */
int print_page_watermark(struct print_page *page, const char *const *lines, size_t count, double size_pt,
                         double angle_deg, char *err, size_t errlen);

/* Every drawing call as it is made (page millimetres, before the offset), so another
 * renderer can make the same page: the bench writes an equivalent PDF for Ghostscript from
 * it. Members may be NULL; the page draws as usual either way. */
struct print_page_recorder {
    void (*text)(void *context, const struct print_text_style *style, double x_mm, double y_mm, double width_mm,
                 const char *text);
    void (*fill)(void *context, double x_mm, double y_mm, double width_mm, double height_mm);
    void (*ring)(void *context, double cx_mm, double cy_mm, double radius_mm, double line_mm);
    void (*image_png)(void *context, const void *png, size_t png_len, double x_mm, double y_mm, double width_mm,
                      double height_mm);
    /* modules: width x height, 1 = dark; module_mm is the size drawn (whole dots). */
    void (*qr)(void *context, const uint8_t *modules, int width, int height, double x_mm, double y_mm,
               double module_mm, int quiet_modules);
    void (*watermark)(void *context, const char *const *lines, size_t count, double size_pt, double angle_deg);
    void *context;
};
/* NULL stops recording. The recorder must outlive the page's drawing. */
void print_page_set_recorder(struct print_page *page, const struct print_page_recorder *recorder);

/* The page as dots: 1-bit (ink below half luminance; watermark as a sparse screen) or 8-bit
 * gray (watermark light gray). The page may still be drawn on after. 0 or -ENOMEM. */
int print_page_to_bitmap(struct print_page *page, struct print_bitmap *out);
int print_page_to_gray(struct print_page *page, struct print_gray *out);
void print_gray_free(struct print_gray *gray);
