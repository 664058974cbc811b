/* ESC/POS encoder: appends the bytes of a receipt job to a growable buffer (issue 5).
 * Facts and sources: ../shared/reference/printers.md part A.
 *
 * Only the commands a receipt needs: every text is rasterised by the firmware's font engine,
 * so Chinese (rare name characters included) prints on any printer whatever its fonts and
 * code pages; the printer sees init, alignment, GS v 0 raster bands, Code 128, feed, cut,
 * and GS r 1 at the end as the proof that everything before it was processed. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Clone printers buffer about 4 KB and print garbage when a band overflows it. */
#define ESCPOS_BAND_BYTES_MAX 4096

struct escpos_buffer {
    uint8_t *bytes;
    size_t len, capacity;
};

enum escpos_align { ESCPOS_ALIGN_LEFT = 0, ESCPOS_ALIGN_CENTER = 1, ESCPOS_ALIGN_RIGHT = 2 };

/* Where Code 128's human-readable digits go (GS H n). */
enum escpos_hri { ESCPOS_HRI_NONE = 0, ESCPOS_HRI_ABOVE = 1, ESCPOS_HRI_BELOW = 2, ESCPOS_HRI_BOTH = 3 };

/* GS V variants; a profile says which ones its printer accepts (bit mask of these). */
enum escpos_cut {
    ESCPOS_CUT_FULL = 1 << 0,         /* 1D 56 00 */
    ESCPOS_CUT_PARTIAL = 1 << 1,      /* 1D 56 01 */
    ESCPOS_CUT_FEED_FULL = 1 << 2,    /* 1D 56 41 n: feed to the cutter + n units, then cut */
    ESCPOS_CUT_FEED_PARTIAL = 1 << 3, /* 1D 56 42 n */
};

/* A 1-bit image: rows top to bottom, stride bytes each, MSB = leftmost dot, 1 = black. */
struct escpos_bitmap {
    const uint8_t *bits;
    int width, height; /* in dots */
    size_t stride;     /* >= (width + 7) / 8 */
};

void escpos_buffer_init(struct escpos_buffer *buffer);
void escpos_buffer_free(struct escpos_buffer *buffer);

/* Every append returns 0, -ENOMEM, or -EINVAL for an argument the printer cannot take;
 * on error the buffer is left as it was before the call. */
int escpos_append_init(struct escpos_buffer *buffer);                          /* 1B 40 */
int escpos_append_align(struct escpos_buffer *buffer, enum escpos_align align); /* 1B 61 n */
/* GS v 0 bands of at most ESCPOS_BAND_BYTES_MAX data bytes, each band's height a multiple
 * of 8 except perhaps the last. Dots past width in a row's last byte are sent white.
 * -EINVAL: empty image, or a row so wide that 8 rows exceed a band (over 4096 dots). */
int escpos_append_raster(struct escpos_buffer *buffer, const struct escpos_bitmap *bitmap);
/* Code 128 code set B: GS h height, GS w module_width, GS H hri, GS k 73 n '{' 'B' text.
 * text: printable ASCII (0x20..0x7E), 1..253 characters; height 1..255; module 2..6. */
int escpos_append_code128(struct escpos_buffer *buffer, const char *text, int height_dots, int module_width,
                          enum escpos_hri hri);
int escpos_append_feed(struct escpos_buffer *buffer, int lines); /* 1B 64 n, 0..255 */
/* feed_units only for the feed-and-cut kinds (0..255). */
int escpos_append_cut(struct escpos_buffer *buffer, enum escpos_cut cut, int feed_units);
int escpos_append_processed_query(struct escpos_buffer *buffer); /* GS r 1: 1D 72 01 */

/* The rows per band for a row of row_bytes bytes: a multiple of 8, at most 4096 bytes. 0
 * when even 8 rows do not fit. */
int escpos_band_rows(size_t row_bytes);
