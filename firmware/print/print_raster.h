/* 1-bit print images, shared by the receipt and the certificate printers.
 *
 * Layouts draw with the screen's engine (firmware/gfx/render.h, firmware/gfx/text.h) on a canvas at the
 * printer's own dots (render_init_dots: one du is one dot), then every dot becomes black or
 * white: a thermal head or a laser prints dots, and grey would come out as a dither of the
 * printer's choosing. Codes are drawn at a whole number of dots per module with their quiet
 * zone, never resampled. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "firmware/print/barcode.h"
#include "firmware/gfx/render.h"

struct print_bitmap {
    int width, height; /* dots */
    size_t stride;     /* bytes per row */
    uint8_t *bits;     /* rows top to bottom, MSB = leftmost dot, 1 = black */
};

/* Rows 0..rows-1 of the canvas as 1 bit per dot: luminance below half is black. 0 or -ENOMEM. */
int print_bitmap_from_render(const struct render *render, int rows, struct print_bitmap *out);
void print_bitmap_free(struct print_bitmap *bitmap);
static inline int print_bitmap_dot(const struct print_bitmap *b, int x, int y)
{
    return (b->bits[(size_t)y * b->stride + (size_t)(x >> 3)] >> (7 - (x & 7))) & 1;
}

/* Draws the code's quiet zone white and each dark module as a dots_per_module square (or
 * dots_per_module wide, module_height tall for a one-row code such as Code 128; 0 = square).
 * *width and *height get the size drawn, quiet zone included. */
void print_draw_code(struct render *render, const struct barcode_matrix *code, int x, int y, int dots_per_module,
                     int module_height, int quiet_modules, int *width, int *height);

/* A true 1-bit grayscale PNG (0 = black) with the dpi in its pHYs chunk. 0 or -1 with the
 * reason in err. */
int print_bitmap_write_png(const struct print_bitmap *bitmap, int dpi, const char *path, char *err, size_t errlen);
