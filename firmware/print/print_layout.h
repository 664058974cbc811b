/* Certificate page layouts on the page engine (print_page.h): the printed copy of an
 * electronic licence (title, code, key-value table, seal, QR, usage watermark) and the
 * technician's calibration page (crosshairs and millimetre rulers), plus a sample licence of
 * invented data for print tests, the sim board and the bench.
 *
 * Licence content is data (it comes from the licence, in Chinese whatever the screen's
 * language); the watermark's labels (用途, 打印时间, 终端) are part of that content too, as
 * the grading rules for printed licences ask (../shared/reference/domain.md section 2). */
#pragma once
#include <stddef.h>

#include "firmware/print/print_page.h"

struct print_licence {
    const char *title;            /* 营业执照 */
    const char *subtitle;         /* （副本）; may be NULL */
    const char *code_label;       /* 统一社会信用代码 */
    const char *code;
    const struct print_table_row *fields;
    size_t field_count;
    const char *issuer;           /* 登记机关 */
    const char *issue_date;       /* 2024年03月12日 */
    const char *qr_text;          /* the licence identifier or its verification link */
    const void *seal_png;         /* the issuer's seal as delivered (PNG bytes); may be NULL */
    size_t seal_png_len;
    /* Watermark: the holder's stated purpose, when and where it was printed. */
    const char *purpose;
    const char *print_time;       /* 2026-11-28 09:30 */
    const char *unit_id;
};

/* Where the layout put things, in page millimetres (before the registration offset). */
struct print_area {
    const char *name;             /* "title", "code", "table", "qr", "seal", "issuer", "footer" */
    double x_mm, y_mm, width_mm, height_mm;
};
#define PRINT_LAYOUT_AREAS_MAX 8

/* Lays the licence out on a blank A4 or A5 page. areas (may be NULL) gets up to
 * PRINT_LAYOUT_AREAS_MAX entries, *area_count how many. 0, or -1 with the reason in err. */
int print_layout_licence(struct print_page *page, const struct print_licence *licence, struct print_area *areas,
                         size_t *area_count, char *err, size_t errlen);

/* Crosshairs every CALIBRATION mark below, rulers along the top and left edges, the unit id
 * and the offset in use. The marks are at these page millimetres (from the paper's edge). */
struct print_calibration_mark {
    double x_mm, y_mm;
};
/* Writes up to max marks for the paper; returns how many there are. */
size_t print_layout_calibration_marks(enum print_paper paper, struct print_calibration_mark *marks, size_t max);
int print_layout_calibration(struct print_page *page, enum print_paper paper, const char *unit_id,
                             int offset_x_decimm, int offset_y_decimm, char *err, size_t errlen);

/* The sample licence: invented data (the reader model's `resident` card holder, 张三丰, as
 * the operator of a 个体工商户) with a seal PNG drawn and encoded at run time. Free with
 * print_layout_sample_free. 0, or -1 with the reason in err. */
int print_layout_sample_licence(struct print_licence *out, const char *unit_id, const char *print_time, char *err,
                                size_t errlen);
void print_layout_sample_free(struct print_licence *licence);

/* A round red seal (ring, star, two lines of the issuer's name) as PNG bytes, diameter in
 * pixels; *png is malloc'd. 0, or -1 with the reason in err. */
int print_layout_make_seal_png(const char *line1, const char *line2, int diameter, void **png, size_t *png_len,
                               char *err, size_t errlen);

/* The page (sample licence or calibration) drawn for this setup, still open for more
 * drawing; print_time NULL = the sample's fixed time (stable test output). Close it with
 * print_page_close. 0, or -1 with the reason in err. */
int print_layout_draw(const char *kind, const struct print_page_setup *setup, const char *unit_id,
                      const char *print_time, struct print_page **out, char *err, size_t errlen);

/* One call for back ends and print tests: the page (sample licence or calibration) for this
 * setup, as 1-bit dots. kind: "licence" or "calibration". 0, or -1 with the reason in err. */
int print_layout_render_bitmap(const char *kind, const struct print_page_setup *setup, const char *unit_id,
                               struct print_bitmap *out, char *err, size_t errlen);
/* The same as 8-bit gray (PWG sgray_8). */
int print_layout_render_gray(const char *kind, const struct print_page_setup *setup, const char *unit_id,
                             struct print_gray *out, char *err, size_t errlen);
