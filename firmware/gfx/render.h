/* Drawing on a software canvas (ARGB8888 at the display's or the printer's pixels).
 * Callers pass design units; this module turns them into pixels. A canvas belongs to one
 * thread at a time: the UI thread draws the screen's, a printer worker its page's. The canvas
 * is opaque here; the board and the engine itself reach its SDL surface through
 * gfx/render_sdl.h, so nothing above the engine needs SDL's headers. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "firmware/gfx/layout.h"
#include "firmware/gfx/ui.h"

struct render_surface; /* the engine's canvas (render_sdl.h) */

struct render {
    struct render_surface *surface;
    struct layout layout;
    struct ui_rect clip_du; /* current clip in du; the whole canvas when none is set */
};

/* Starts and stops the library under the engine (SDL): once per process, before any canvas
 * and after the last. 0, or -1 with the reason in err. */
int render_library_start(char *err, size_t errlen);
void render_library_stop(void);

/* Creates the canvas; returns 0 or -1 (SDL's reason in err). */
int render_init(struct render *render, int width_px, int height_px, char *err, size_t errlen);
/* A canvas whose design unit is one pixel (print canvases: one du is one printer dot). */
int render_init_dots(struct render *render, int width_px, int height_px, char *err, size_t errlen);
void render_free(struct render *render);

void render_clear(struct render *render, struct ui_color color);
void render_fill_rect(struct render *render, struct ui_rect rect, struct ui_color color);
void render_fill_round_rect(struct render *render, struct ui_rect rect, int radius_du,
                            struct ui_color color);
/* A border of the given width inside rect, with rounded corners. */
void render_stroke_round_rect(struct render *render, struct ui_rect rect, int radius_du,
                              int width_du, struct ui_color color);
void render_fill_circle(struct render *render, int cx_du, int cy_du, int radius_du,
                        struct ui_color color);
/* A ring between two radii; the part from 12 o'clock clockwise to fraction (0..1) in
 * color_on, the rest in color_off (a countdown's dial). */
void render_fill_ring(struct render *render, int cx_du, int cy_du, int outer_du, int inner_du, double fraction,
                      struct ui_color color_on, struct ui_color color_off);
/* Restricts drawing to rect (intersected with the canvas); returns the previous clip. */
struct ui_rect render_set_clip(struct render *render, struct ui_rect rect);
void render_restore_clip(struct render *render, struct ui_rect previous);
/* Writes the canvas as a PNG; 0 or -1 (reason in err). */
int render_save_png(struct render *render, const char *path, char *err, size_t errlen);
/* The canvas as a PNG in memory (malloc'd, *png_len bytes; the caller frees it). 0 or -1. */
int render_encode_png(struct render *render, void **png, size_t *png_len, char *err, size_t errlen);
/* Decodes png (PNG bytes from outside: a seal, a photo) and blends it, scaled to fit and
 * centred, into the box (pixels). 0, or -1 with one reason in err (not a PNG, corrupt). */
int render_draw_png(struct render *render, const void *png, size_t png_len, struct ui_rect box_px, char *err,
                    size_t errlen);
/* A polygon of count corners (design units), filled by the even-odd rule, each pixel
 * sampled at its centre, inside the clip. */
void render_fill_polygon(struct render *render, const double *x_du, const double *y_du, int count,
                         struct ui_color color);

/* The canvas's pixels, read-only: ARGB8888 rows pitch_px apart (the print raster's input). */
struct render_pixels {
    const uint32_t *argb;
    int width, height;
    size_t pitch_px;
};
struct render_pixels render_get_pixels(const struct render *render);
/* view: the columns x_px .. x_px + width_px of full, drawn on as a canvas of its own (same
 * pixels, its own clip): what is drawn on the view cannot spill outside those columns. Free
 * the view (render_free) before full. 0 or -1 (reason in err). */
int render_init_view(struct render *view, struct render *full, int x_px, int width_px, char *err, size_t errlen);

/* Relative luminance contrast ratio (WCAG), used by the theme's tests. */
double render_contrast_ratio(struct ui_color a, struct ui_color b);
