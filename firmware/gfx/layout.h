/* Design units to pixels. The canvas's short side is 1080 du whatever the display:
 * 1080x1920 -> scale 1, 1920x1080 -> scale 1 (landscape canvas 1920x1080 du),
 * 1280x800 -> scale 0.7407 (canvas 1728x1080 du). Body text stays the same size relative
 * to the short side, which is what a person standing at the kiosk reads against. */
#pragma once
#include "firmware/gfx/ui.h"

#define LAYOUT_SHORT_SIDE_DU 1080

struct layout {
    int width_px, height_px; /* the display's canvas */
    int width_du, height_du;
    double scale;            /* px per du */
};

void layout_init(struct layout *layout, int width_px, int height_px);
/* A canvas with its own scale (px per du): print canvases use 1, so one du is one dot. */
void layout_init_scaled(struct layout *layout, int width_px, int height_px, double scale);
int layout_du_to_px(const struct layout *layout, int du);
int layout_px_to_du(const struct layout *layout, int px);
/* Edges rounded separately, so rects that touch in du still touch in px. */
struct ui_rect layout_rect_to_px(const struct layout *layout, struct ui_rect du);
bool layout_is_portrait(const struct layout *layout);
