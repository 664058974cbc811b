/* Drawing on the software canvas (an SDL_Surface in ARGB8888 at the display's pixels).
 * Callers pass design units; this module turns them into pixels. UI thread only. */
#pragma once
#include <SDL.h>

#include "firmware/gfx/layout.h"
#include "firmware/gfx/ui.h"

struct render {
    SDL_Surface *canvas;
    struct layout layout;
    struct ui_rect clip_du; /* current clip in du; the whole canvas when none is set */
};

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

/* Relative luminance contrast ratio (WCAG), used by the theme's tests. */
double render_contrast_ratio(struct ui_color a, struct ui_color b);
