#include "screens/widgets/widget_scroll.h"

#include <stdlib.h>

#include "screens/screen.h"
#include "screens/theme.h"

static int widget_scroll_max(const struct widget_scroll *scroll)
{
    int max = scroll->content_h - scroll->view_h;
    return max > 0 ? max : 0;
}

static void widget_scroll_move_to(struct widget_scroll *scroll, int offset)
{
    int max = widget_scroll_max(scroll);
    if (offset > max)
        offset = max;
    if (offset < 0)
        offset = 0;
    if (offset != scroll->offset) {
        scroll->offset = offset;
        screen_request_redraw();
    }
}

void widget_scroll_set_extent(struct widget_scroll *scroll, int content_h, int view_h)
{
    scroll->content_h = content_h;
    scroll->view_h = view_h;
    widget_scroll_move_to(scroll, scroll->offset);
}

bool widget_scroll_can_scroll(const struct widget_scroll *scroll)
{
    return widget_scroll_max(scroll) > 0;
}

enum widget_result widget_scroll_event(struct widget_scroll *scroll, struct ui_rect rect, const struct ui_event *event)
{
    switch (event->kind) {
    case UI_EVENT_PRESS:
        if (!ui_rect_contains(rect, event->x, event->y))
            return WIDGET_IGNORED;
        scroll->tracking = true;
        scroll->dragging = false;
        scroll->press_y = event->y;
        scroll->press_offset = scroll->offset;
        return WIDGET_CONSUMED;
    case UI_EVENT_DRAG:
        if (!scroll->tracking)
            return WIDGET_IGNORED;
        if (!scroll->dragging && abs(event->y - scroll->press_y) > WIDGET_SCROLL_SLOP_DU && widget_scroll_can_scroll(scroll))
            scroll->dragging = true;
        if (scroll->dragging)
            widget_scroll_move_to(scroll, scroll->press_offset - (event->y - scroll->press_y));
        return WIDGET_CONSUMED;
    case UI_EVENT_RELEASE:
        if (!scroll->tracking)
            return WIDGET_IGNORED;
        scroll->tracking = false;
        return WIDGET_CONSUMED;
    case UI_EVENT_KEY:
        if (!widget_scroll_can_scroll(scroll) || (event->key != UI_KEY_UP && event->key != UI_KEY_DOWN))
            return WIDGET_IGNORED;
        /* Keep a quarter of the view in sight so the reader does not lose the place. */
        int step = scroll->view_h * 3 / 4;
        widget_scroll_move_to(scroll, scroll->offset + (event->key == UI_KEY_DOWN ? step : -step));
        return WIDGET_CONSUMED;
    }
    return WIDGET_IGNORED;
}

int widget_scroll_indicator_width(void)
{
    return theme_get()->space_s;
}

void widget_scroll_draw_indicator(struct render *render, const struct widget_scroll *scroll, struct ui_rect rect)
{
    int max = widget_scroll_max(scroll);
    if (max == 0 || rect.h <= 0)
        return;
    const struct theme *t = theme_get();
    int width = widget_scroll_indicator_width() / 2;
    int x = rect.x + rect.w - width;
    render_fill_round_rect(render, (struct ui_rect){ x, rect.y, width, rect.h }, width / 2, t->surface_pressed);
    int thumb = (int)((long long)rect.h * scroll->view_h / scroll->content_h);
    if (thumb < t->touch_min / 2)
        thumb = t->touch_min / 2;
    int y = rect.y + (int)((long long)(rect.h - thumb) * scroll->offset / max);
    render_fill_round_rect(render, (struct ui_rect){ x, y, width, thumb }, width / 2, t->text_muted);
}
