/* A vertical scroll view over a long block of wrapped text (a service guide, the unit's
 * information). Paragraphs are separated by "\n"; an empty line leaves a gap. Drag to
 * scroll; drawing and the semantic frame are clipped to the rect. Text is translated. */
#pragma once
#include "firmware/gfx/render.h"
#include "firmware/gfx/text.h"
#include "screens/widgets/widget.h"
#include "screens/widgets/widget_scroll.h"

#define WIDGET_SCROLLVIEW_HEADINGS_MAX 16

/* A paragraph that starts with "# " is a heading: drawn bold and larger in the primary
 * colour, and a place scroll_to_heading can jump to (a guide's 多少钱 section). */
struct widget_scrollview {
    struct ui_rect rect;
    const char *text;
    struct text_style style;
    struct widget_scroll scroll; /* offset 0 at the top; zero it to scroll back */
    /* Kept by the widget: where each heading starts in the content, from the last draw. */
    int heading_y[WIDGET_SCROLLVIEW_HEADINGS_MAX];
    int heading_count;
};

void widget_scrollview_draw(struct render *render, struct widget_scrollview *view);
/* Scrolls so heading number index (0 = the first "# " paragraph) is at the top, as far as
 * the content allows. Takes effect at the next draw. */
void widget_scrollview_scroll_to_heading(struct widget_scrollview *view, int index);
/* CONSUMED while it tracks a press or scrolls by key; never ACTIVATED. */
enum widget_result widget_scrollview_event(struct widget_scrollview *view, const struct ui_event *event);
