/* A scrolling list of rows. A row is an action (tap to choose it; drawn with a chevron),
 * information (text and a status line, not touchable), or a heading for a group of rows.
 * A press that moves becomes a scroll instead of a tap (widget_scroll). The list draws and
 * registers only what is inside its rect. Text is already translated. */
#pragma once
#include <stdbool.h>

#include "firmware/gfx/render.h"
#include "firmware/gfx/text.h"
#include "screens/widgets/widget.h"
#include "screens/widgets/widget_press.h"
#include "screens/widgets/widget_scroll.h"

/* Rows past this many are not shown; a longer list belongs in pages or a search. */
#define WIDGET_LIST_ROWS_MAX 64

enum widget_list_row_kind { LIST_ROW_ACTION, LIST_ROW_INFO, LIST_ROW_HEADING };

/* Colour of a row's detail line. The words must say the same: colour is never the only cue. */
enum widget_list_tone { LIST_TONE_NORMAL, LIST_TONE_GOOD, LIST_TONE_BAD };

struct widget_list_row {
    enum widget_list_row_kind kind;
    const char *text;
    const char *detail; /* a second line under text, may be NULL */
    const struct text_mark *marks; /* parts of text to mark (search matches), may be NULL */
    size_t mark_count;
    enum widget_list_tone tone;
};

struct widget_list {
    struct ui_rect rect;
    const struct widget_list_row *rows; /* owned by the caller; must outlive the next event */
    int row_count;
    int chosen; /* the row last activated (WIDGET_ACTIVATED), -1 before */
    /* Kept by the widget: */
    struct widget_scroll scroll;
    int pressed_row; /* the action row under the current press, -1 none */
    struct widget_press press;
    int row_top[WIDGET_LIST_ROWS_MAX]; /* content coordinates of the last draw */
    int row_height[WIDGET_LIST_ROWS_MAX];
};

/* Call once before the first draw (or memset to 0 and set chosen/pressed_row to -1). */
void widget_list_init(struct widget_list *list);
/* Lays the rows out to the rect's width and draws the visible ones. */
void widget_list_draw(struct render *render, struct widget_list *list);
/* WIDGET_ACTIVATED when an action row was tapped; list->chosen says which. */
enum widget_result widget_list_event(struct widget_list *list, const struct ui_event *event);
