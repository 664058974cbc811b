/* A large home-screen tile: an accent bar, a bold title and a one-line description.
 * Behaves like a button (pressed state, activates on release inside). */
#pragma once
#include <stdbool.h>

#include "firmware/gfx/render.h"
#include "screens/widgets/widget.h"
#include "screens/widgets/widget_press.h"

struct widget_tile {
    struct ui_rect rect;
    const char *title;
    const char *description; /* may be NULL (elder mode hides it to keep type large) */
    struct ui_color accent;
    struct widget_press press;
};

void widget_tile_draw(struct render *render, const struct widget_tile *tile);
enum widget_result widget_tile_event(struct widget_tile *tile, const struct ui_event *event);
