/* Drag-to-scroll tracking shared by the list and the scroll view, as widget_press is for
 * taps: a press that moves more than WIDGET_SCROLL_SLOP_DU becomes a scroll, anything less
 * stays a tap, so a resident's slightly moving finger still activates what it touched. */
#pragma once
#include <stdbool.h>

#include "firmware/gfx/render.h"
#include "screens/widgets/widget.h"

#define WIDGET_SCROLL_SLOP_DU 20

struct widget_scroll {
    int offset;    /* du scrolled from the top, 0..content_h - view_h */
    int content_h; /* from the last draw */
    int view_h;
    bool tracking; /* the current press began inside */
    bool dragging; /* it moved past the slop: a scroll, no longer a tap */
    int press_y, press_offset;
};

/* Records the extent after layout and keeps the offset inside it (content can shrink). */
void widget_scroll_set_extent(struct widget_scroll *scroll, int content_h, int view_h);
bool widget_scroll_can_scroll(const struct widget_scroll *scroll);
/* Press, drag and release inside rect; up/down keys scroll by most of a view. CONSUMED
 * while it tracks a press, IGNORED otherwise; never ACTIVATED (taps are the caller's). */
enum widget_result widget_scroll_event(struct widget_scroll *scroll, struct ui_rect rect, const struct ui_event *event);
/* A thin bar along rect's right edge showing where the view is; nothing when it all fits. */
void widget_scroll_draw_indicator(struct render *render, const struct widget_scroll *scroll, struct ui_rect rect);
/* Width to keep free on the right of rect for the indicator. */
int widget_scroll_indicator_width(void);
