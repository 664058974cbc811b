/* Receipt layout: the one small API every slip the kiosk prints is made with (a guide
 * summary, an application receipt, a test page). Blocks are added top to bottom; finishing
 * measures them, draws them with the screen's font engine on a canvas at the printer's dots
 * (one du = one dot), turns it into a 1-bit image and encodes the ESC/POS job (init, raster
 * bands, feed, the profile's cut). Chinese, rare name characters included, prints the same on
 * any printer whatever its fonts. Usable from any thread (the font engine is locked). */
#pragma once
#include <stddef.h>

#include "drivers/escpos/escpos.h"
#include "drivers/escpos/escpos_profile.h"
#include "firmware/print/print_raster.h"

struct receipt;

/* Sizes in dots at 203 dpi (8 dots per mm). */
#define RECEIPT_TITLE_DOTS 40
#define RECEIPT_BODY_DOTS 28
#define RECEIPT_SMALL_DOTS 22
#define RECEIPT_MARGIN_DOTS 8
#define RECEIPT_QR_TARGET_DOTS 240 /* 30 mm: a phone reads it from a hand's length */

/* A new, empty receipt for the printer's profile. NULL when out of memory. */
struct receipt *receipt_create(const struct escpos_profile *profile);
void receipt_free(struct receipt *receipt);

/* Each add copies its strings; 0 or -ENOMEM. The receipt remembers the first error and
 * receipt_finish returns it, so a layout need not check every add. */
int receipt_add_title(struct receipt *receipt, const char *text);          /* bold, centred, wrapped */
int receipt_add_heading(struct receipt *receipt, const char *text);        /* bold body size, left */
int receipt_add_text(struct receipt *receipt, const char *text);           /* body, wrapped; '\n' breaks */
int receipt_add_row(struct receipt *receipt, const char *key, const char *value); /* key left, value wrapped */
int receipt_add_separator(struct receipt *receipt);                        /* a dashed rule */
int receipt_add_qr(struct receipt *receipt, const char *text, const char *caption); /* centred */
int receipt_add_barcode(struct receipt *receipt, const char *text);        /* Code 128, text under it */
/* "终端 LY-SIM-0001  2026-11-27 23:05" in small type, centred: which unit printed it, when. */
int receipt_add_footer(struct receipt *receipt, const char *unit_id, const char *time_text);

/* Draws the receipt. image (optional) gets the 1-bit image; job (optional) gets the ESC/POS
 * bytes (without the final GS r 1, which escpos_printer_send_job adds). 0, or a negative
 * errno with one line in err: -EINVAL for a code that does not fit the paper, -ENOMEM. */
int receipt_finish(struct receipt *receipt, struct print_bitmap *image, struct escpos_buffer *job, char *err,
                   size_t errlen);
