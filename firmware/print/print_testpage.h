/* The certificate printer's test pages for kioskctl print-test and the IPP tests: the page
 * engine's sample licence and calibration page (print_layout.h), A4 at 300 dpi as 1-bit
 * dots, with the boxes where the layout put ink (in dots), so a test can check a printed
 * page against its layout. */
#pragma once
#include <stddef.h>

#include "firmware/print/print_raster.h"

#define PRINT_TESTPAGE_DPI 300
#define PRINT_TESTPAGE_MEDIA "iso_a4_210x297mm" /* PWG media name of A4 */
#define PRINT_TESTPAGE_BOXES_MAX 16
#define PRINT_TESTPAGE_TEXT_MAX 160

enum print_testpage_kind { PRINT_TESTPAGE_LICENCE, PRINT_TESTPAGE_CALIBRATION };

struct print_testpage_box {
    char name[24];    /* "title", "table", "qr", "mark", ... */
    int x, y, w, h;   /* dots from the page's top left */
};

struct print_testpage {
    struct print_bitmap bitmap;
    int box_count;
    struct print_testpage_box boxes[PRINT_TESTPAGE_BOXES_MAX];
    char qr_text[PRINT_TESTPAGE_TEXT_MAX]; /* what the page's QR code says; "" when none */
};

/* "licence" / "calibration" → kind; -1 for anything else. */
int print_testpage_kind_from_name(const char *name);
/* Renders the page for a unit at a print time ("2026-11-28 09:30", in the watermark), with
 * the registration offset in 0.1 mm. The font engine must be initialised (text_init).
 * 0, or -1 with the reason in err. */
int print_testpage_render(enum print_testpage_kind kind, const char *unit_id, const char *print_time, int offset_x_decimm,
                          int offset_y_decimm, struct print_testpage *page, char *err, size_t errlen);
void print_testpage_free(struct print_testpage *page);
