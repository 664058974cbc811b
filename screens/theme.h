/* The one place for colours, type scale, spacing and radii. 长辈模式 (elder mode) enlarges
 * type by 1.5x and touch targets to 160 du; screens also show fewer items in it. */
#pragma once
#include <stdbool.h>

#include "firmware/gfx/ui.h"

struct theme {
    struct ui_color background, surface, surface_pressed, text, text_muted, primary,
        primary_pressed, on_primary, border, danger, on_danger, scrim, success, warning;
    int text_caption, text_body, text_button, text_title, text_display; /* du */
    int touch_min;                                                      /* smallest target, du */
    int space_s, space_m, space_l, margin;                              /* du */
    int radius;                                                         /* du */
    int stroke;                                                         /* borders, du */
};

const struct theme *theme_get(void);
void theme_set_elder_mode(bool on);
bool theme_elder_mode(void);
