/* A vertical scroll view over a long block of wrapped text (a service guide, the unit's
 * information). Paragraphs are separated by "\n"; an empty line leaves a gap. Drag to
 * scroll; drawing and the semantic frame are clipped to the rect. Text is translated. */
#pragma once
#include "render.h"
#include "text.h"
#include "widget.h"
#include "widget_scroll.h"

struct widget_scrollview {
    struct ui_rect rect;
    const char *text;
    struct text_style style;
    struct widget_scroll scroll; /* offset 0 at the top; zero it to scroll back */
};

void widget_scrollview_draw(struct render *render, struct widget_scrollview *view);
/* CONSUMED while it tracks a press or scrolls by key; never ACTIVATED. */
enum widget_result widget_scrollview_event(struct widget_scrollview *view, const struct ui_event *event);
