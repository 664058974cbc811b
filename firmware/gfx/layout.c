#include "firmware/gfx/layout.h"

#include <math.h>

void layout_init(struct layout *layout, int width_px, int height_px)
{
    int short_px = width_px < height_px ? width_px : height_px;
    layout->width_px = width_px;
    layout->height_px = height_px;
    layout->scale = (double)short_px / LAYOUT_SHORT_SIDE_DU;
    layout->width_du = (int)lround(width_px / layout->scale);
    layout->height_du = (int)lround(height_px / layout->scale);
}

void layout_init_scaled(struct layout *layout, int width_px, int height_px, double scale)
{
    layout->width_px = width_px;
    layout->height_px = height_px;
    layout->scale = scale;
    layout->width_du = (int)lround(width_px / scale);
    layout->height_du = (int)lround(height_px / scale);
}

int layout_du_to_px(const struct layout *layout, int du)
{
    return (int)lround(du * layout->scale);
}

int layout_px_to_du(const struct layout *layout, int px)
{
    return (int)lround(px / layout->scale);
}

struct ui_rect layout_rect_to_px(const struct layout *layout, struct ui_rect du)
{
    int x0 = layout_du_to_px(layout, du.x), y0 = layout_du_to_px(layout, du.y);
    int x1 = layout_du_to_px(layout, du.x + du.w), y1 = layout_du_to_px(layout, du.y + du.h);
    struct ui_rect px = { x0, y0, x1 - x0, y1 - y0 };
    return px;
}

bool layout_is_portrait(const struct layout *layout)
{
    return layout->height_px >= layout->width_px;
}
