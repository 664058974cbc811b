#include "screens/widgets/widget_scrollview.h"

#include <string.h>

#include "screens/screen.h"
#include "screens/semantic.h"
#include "screens/theme.h"

/* Longest paragraph drawn whole; the text engine lays out at most 64 lines per call, so
 * drawing paragraph by paragraph is what lets the whole text be longer than that. */
#define WIDGET_SCROLLVIEW_PARAGRAPH_MAX 4096

/* Copies the paragraph starting at text into out; returns where the next one starts, or
 * NULL after the last. */
static const char *widget_scrollview_next_paragraph(const char *text, char *out, size_t size)
{
    const char *end = strchr(text, '\n');
    size_t len = end ? (size_t)(end - text) : strlen(text);
    if (len >= size)
        len = size - 1;
    memcpy(out, text, len);
    out[len] = '\0';
    return end ? end + 1 : NULL;
}

/* Lays out (and when draw is set, draws) every paragraph; returns the content height. */
static int widget_scrollview_paragraphs(struct render *render, struct widget_scrollview *view, int width, bool draw)
{
    const struct theme *t = theme_get();
    struct text_style heading_style = { t->text_button, TEXT_BOLD, t->primary, TEXT_ALIGN_LEFT };
    int line_h = text_line_height_du(render, &view->style);
    int top = view->rect.y - view->scroll.offset;
    int y = 0;
    char paragraph[WIDGET_SCROLLVIEW_PARAGRAPH_MAX];
    view->heading_count = 0;
    for (const char *p = view->text; p;) {
        p = widget_scrollview_next_paragraph(p, paragraph, sizeof paragraph);
        if (!paragraph[0]) {
            y += line_h / 2;
            continue;
        }
        bool heading = !strncmp(paragraph, "# ", 2);
        const char *text = heading ? paragraph + 2 : paragraph;
        const struct text_style *style = heading ? &heading_style : &view->style;
        if (heading) {
            if (y > 0)
                y += t->space_m; /* a section starts with air above it */
            if (view->heading_count < WIDGET_SCROLLVIEW_HEADINGS_MAX)
                view->heading_y[view->heading_count++] = y;
        }
        int h = text_height_du(render, style, width, text);
        struct ui_rect box = { view->rect.x, top + y, width, h };
        if (draw && box.y + box.h > view->rect.y && box.y < view->rect.y + view->rect.h) {
            text_draw(render, style, box, text);
            semantic_add(SEMANTIC_LABEL, box, text, true);
        }
        y += h;
    }
    return y;
}

void widget_scrollview_draw(struct render *render, struct widget_scrollview *view)
{
    const struct theme *t = theme_get();
    int width = view->rect.w - widget_scroll_indicator_width() - t->space_s;
    widget_scroll_set_extent(&view->scroll, widget_scrollview_paragraphs(render, view, width, false), view->rect.h);
    struct ui_rect clip = render_set_clip(render, view->rect);
    struct ui_rect semantic_clip = semantic_set_clip(view->rect);
    widget_scrollview_paragraphs(render, view, width, true);
    semantic_set_clip(semantic_clip);
    render_restore_clip(render, clip);
    widget_scroll_draw_indicator(render, &view->scroll, view->rect);
}

void widget_scrollview_scroll_to_heading(struct widget_scrollview *view, int index)
{
    if (index < 0 || index >= view->heading_count)
        return;
    int offset = view->heading_y[index];
    int last = view->scroll.content_h - view->scroll.view_h;
    view->scroll.offset = offset < last ? offset : (last > 0 ? last : 0);
    screen_request_redraw();
}

enum widget_result widget_scrollview_event(struct widget_scrollview *view, const struct ui_event *event)
{
    return widget_scroll_event(&view->scroll, view->rect, event);
}
