#include "screens/widgets/widget_list.h"

#include "screens/screen.h"
#include "screens/semantic.h"
#include "firmware/gfx/text.h"
#include "screens/theme.h"

/* U+203A: reads as "go on" beside an action, in CJK and Latin text alike. */
#define WIDGET_LIST_CHEVRON "\xE2\x80\xBA"

struct widget_list_styles {
    struct text_style text, detail, heading, chevron;
};

static struct widget_list_styles widget_list_styles(const struct widget_list_row *row)
{
    const struct theme *t = theme_get();
    struct ui_color tone = row->tone == LIST_TONE_GOOD ? t->success : row->tone == LIST_TONE_BAD ? t->danger : t->text_muted;
    return (struct widget_list_styles){
        .text = { t->text_button, TEXT_BOLD, row->kind == LIST_ROW_ACTION ? t->primary : t->text, TEXT_ALIGN_LEFT },
        .detail = { t->text_body, TEXT_REGULAR, tone, TEXT_ALIGN_LEFT },
        .heading = { t->text_body, TEXT_BOLD, t->text_muted, TEXT_ALIGN_LEFT },
        .chevron = { t->text_title, TEXT_BOLD, t->primary, TEXT_ALIGN_CENTER },
    };
}

static int widget_list_row_count(const struct widget_list *list)
{
    return list->row_count < WIDGET_LIST_ROWS_MAX ? list->row_count : WIDGET_LIST_ROWS_MAX;
}

/* Width of the text column of a row whose card is card_w wide. */
static int widget_list_text_width(const struct render *render, const struct widget_list_row *row, int card_w)
{
    const struct theme *t = theme_get();
    int width = card_w - 2 * t->space_m;
    if (row->kind == LIST_ROW_ACTION) {
        struct widget_list_styles s = widget_list_styles(row);
        width -= text_measure_du(render, &s.chevron, WIDGET_LIST_CHEVRON) + t->space_m;
    }
    return width;
}

static int widget_list_row_measure(const struct render *render, const struct widget_list_row *row, int card_w)
{
    const struct theme *t = theme_get();
    struct widget_list_styles s = widget_list_styles(row);
    if (row->kind == LIST_ROW_HEADING)
        return text_height_du(render, &s.heading, card_w, row->text) + t->space_s;
    int width = widget_list_text_width(render, row, card_w);
    int height = 2 * t->space_s + text_height_du(render, &s.text, width, row->text);
    if (row->detail)
        height += text_height_du(render, &s.detail, width, row->detail);
    return height > t->touch_min ? height : t->touch_min;
}

static int widget_list_card_width(const struct widget_list *list)
{
    return list->rect.w - widget_scroll_indicator_width() - theme_get()->space_s;
}

static void widget_list_layout(const struct render *render, struct widget_list *list)
{
    const struct theme *t = theme_get();
    int card_w = widget_list_card_width(list);
    int y = 0;
    for (int i = 0; i < widget_list_row_count(list); i++) {
        const struct widget_list_row *row = &list->rows[i];
        /* A heading sits closer to the rows it names than to the group above it. */
        if (row->kind == LIST_ROW_HEADING && i > 0)
            y += t->space_m;
        list->row_top[i] = y;
        list->row_height[i] = widget_list_row_measure(render, row, card_w);
        y += list->row_height[i] + t->space_s;
    }
    widget_scroll_set_extent(&list->scroll, y > 0 ? y - t->space_s : 0, list->rect.h);
}

static struct ui_rect widget_list_row_rect(const struct widget_list *list, int i)
{
    return (struct ui_rect){ list->rect.x, list->rect.y - list->scroll.offset + list->row_top[i],
                             widget_list_card_width(list), list->row_height[i] };
}

/* The part of row i the reader can see (and touch). */
static struct ui_rect widget_list_visible_row_rect(const struct widget_list *list, int i)
{
    struct ui_rect r = widget_list_row_rect(list, i);
    int top = r.y > list->rect.y ? r.y : list->rect.y;
    int bottom = r.y + r.h < list->rect.y + list->rect.h ? r.y + r.h : list->rect.y + list->rect.h;
    return (struct ui_rect){ r.x, top, r.w, bottom > top ? bottom - top : 0 };
}

static void widget_list_draw_row(struct render *render, const struct widget_list *list, int i)
{
    const struct theme *t = theme_get();
    const struct widget_list_row *row = &list->rows[i];
    struct widget_list_styles s = widget_list_styles(row);
    struct ui_rect card = widget_list_row_rect(list, i);
    if (row->kind == LIST_ROW_HEADING) {
        struct ui_rect box = { card.x, card.y, card.w, card.h - t->space_s };
        text_draw(render, &s.heading, box, row->text);
        semantic_add(SEMANTIC_LABEL, box, row->text, true);
        return;
    }
    bool pressed = list->pressed_row == i && list->press.pressed;
    render_fill_round_rect(render, card, t->radius, pressed ? t->surface_pressed : t->surface);
    if (row->kind == LIST_ROW_ACTION)
        render_stroke_round_rect(render, card, t->radius, t->stroke, pressed ? t->primary : t->border);

    int width = widget_list_text_width(render, row, card.w);
    int text_h = text_height_du(render, &s.text, width, row->text);
    int detail_h = row->detail ? text_height_du(render, &s.detail, width, row->detail) : 0;
    int x = card.x + t->space_m;
    int y = card.y + (card.h - text_h - detail_h) / 2;
    struct ui_rect text_box = { x, y, width, text_h };
    /* Marks (a search's match) get a pale fill with an underline. */
    text_draw_marked(render, &s.text, text_box, row->text, row->marks, row->mark_count, (struct ui_color){ 0xFF, 0xE5, 0x8A, 255 });
    if (row->kind == LIST_ROW_ACTION) {
        int chevron_w = text_measure_du(render, &s.chevron, WIDGET_LIST_CHEVRON);
        int chevron_h = text_line_height_du(render, &s.chevron);
        text_draw(render, &s.chevron,
                  (struct ui_rect){ card.x + card.w - t->space_m - chevron_w, card.y + (card.h - chevron_h) / 2,
                                    chevron_w, chevron_h },
                  WIDGET_LIST_CHEVRON);
        semantic_add(SEMANTIC_LIST_ITEM, card, row->text, true);
    } else {
        semantic_add(SEMANTIC_LABEL, text_box, row->text, true);
    }
    if (row->detail) {
        struct ui_rect detail_box = { x, y + text_h, width, detail_h };
        text_draw(render, &s.detail, detail_box, row->detail);
        semantic_add(SEMANTIC_LABEL, detail_box, row->detail, true);
    }
}

void widget_list_init(struct widget_list *list)
{
    *list = (struct widget_list){ .chosen = -1, .pressed_row = -1 };
}

void widget_list_draw(struct render *render, struct widget_list *list)
{
    widget_list_layout(render, list);
    struct ui_rect clip = render_set_clip(render, list->rect);
    struct ui_rect semantic_clip = semantic_set_clip(list->rect);
    for (int i = 0; i < widget_list_row_count(list); i++) {
        struct ui_rect r = widget_list_row_rect(list, i);
        if (r.y + r.h > list->rect.y && r.y < list->rect.y + list->rect.h)
            widget_list_draw_row(render, list, i);
    }
    semantic_set_clip(semantic_clip);
    render_restore_clip(render, clip);
    widget_scroll_draw_indicator(render, &list->scroll, list->rect);
}

/* The action row under a point inside the list, -1 when none. */
static int widget_list_action_at(const struct widget_list *list, int x, int y)
{
    if (!ui_rect_contains(list->rect, x, y))
        return -1;
    for (int i = 0; i < widget_list_row_count(list); i++)
        if (list->rows[i].kind == LIST_ROW_ACTION && ui_rect_contains(widget_list_visible_row_rect(list, i), x, y))
            return i;
    return -1;
}

enum widget_result widget_list_event(struct widget_list *list, const struct ui_event *event)
{
    enum widget_result scrolled = widget_scroll_event(&list->scroll, list->rect, event);
    if (event->kind == UI_EVENT_KEY || scrolled == WIDGET_IGNORED)
        return scrolled;
    if (event->kind == UI_EVENT_PRESS) {
        list->pressed_row = widget_list_action_at(list, event->x, event->y);
        if (list->pressed_row < 0)
            return WIDGET_CONSUMED;
    }
    if (list->pressed_row < 0)
        return WIDGET_CONSUMED;
    /* Once the finger scrolls, the row it started on is no longer being chosen. */
    if (list->scroll.dragging) {
        if (list->press.pressed)
            screen_request_redraw();
        list->press = (struct widget_press){ 0 };
        list->pressed_row = -1;
        return WIDGET_CONSUMED;
    }
    int row = list->pressed_row;
    enum widget_result r = widget_press_event(&list->press, widget_list_visible_row_rect(list, row), event);
    if (event->kind == UI_EVENT_RELEASE)
        list->pressed_row = -1;
    if (r == WIDGET_ACTIVATED) {
        list->chosen = row;
        return WIDGET_ACTIVATED;
    }
    return WIDGET_CONSUMED;
}
