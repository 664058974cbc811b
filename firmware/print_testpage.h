/* The certificate printer's test pages for kioskctl print-test and the IPP tests: a sample
 * licence (title, fields, a QR code, a footer) and a calibration sheet (crosshairs and mm
 * rulers), A4 at 300 dpi, 1 bit. Each page also lists the boxes where its layout put ink,
 * so a test can check the printed page against the layout.
 * TODO(issue 6): replaced by the page engine's sample licence and calibration pages
 * (firmware/print_page.h) once they land; the boxes then come from that layout. */
#pragma once
#include <stddef.h>

#include "print_raster.h"

#define PRINT_TESTPAGE_DPI 300
#define PRINT_TESTPAGE_MEDIA "iso_a4_210x297mm"
#define PRINT_TESTPAGE_BOXES_MAX 16
/* What the QR code on the sample licence says (a test reads it back with zbarimg). */
#define PRINT_TESTPAGE_QR_TEXT "https://ls.example.invalid/verify/LY-SIM-0001/TEST-0001"

enum print_testpage_kind { PRINT_TESTPAGE_LICENCE, PRINT_TESTPAGE_CALIBRATION };

struct print_testpage_box {
    const char *name; /* "title", "qr", ... */
    int x, y, w, h;   /* dots from the page's top left */
};

struct print_testpage {
    struct print_bitmap bitmap;
    int box_count;
    struct print_testpage_box boxes[PRINT_TESTPAGE_BOXES_MAX];
};

/* "licence" / "calibration" → kind; -1 for anything else. */
int print_testpage_kind_from_name(const char *name);
/* Renders the page (the text engine must be initialised: text_init). 0, or -1 with the
 * reason in err. */
int print_testpage_render(enum print_testpage_kind kind, struct print_testpage *page, char *err, size_t errlen);
void print_testpage_free(struct print_testpage *page);
