#include "screens/widgets/widget_press.h"

#include "screens/screen.h"

static void widget_press_set(struct widget_press *press, bool pressed)
{
    if (press->pressed != pressed) {
        press->pressed = pressed;
        screen_request_redraw();
    }
}

enum widget_result widget_press_event(struct widget_press *press, struct ui_rect rect,
                                      const struct ui_event *event)
{
    bool inside = ui_rect_contains(rect, event->x, event->y);
    switch (event->kind) {
    case UI_EVENT_PRESS:
        if (!inside)
            return WIDGET_IGNORED;
        press->tracking = true;
        widget_press_set(press, true);
        return WIDGET_CONSUMED;
    case UI_EVENT_DRAG:
        if (!press->tracking)
            return WIDGET_IGNORED;
        widget_press_set(press, inside);
        return WIDGET_CONSUMED;
    case UI_EVENT_RELEASE:
        if (!press->tracking)
            return WIDGET_IGNORED;
        press->tracking = false;
        widget_press_set(press, false);
        return inside ? WIDGET_ACTIVATED : WIDGET_CONSUMED;
    default:
        return WIDGET_IGNORED;
    }
}
