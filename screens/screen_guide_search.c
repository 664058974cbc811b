/* 办事指南: find a service by typing on the on-screen keyboard (pinyin, initials such as
 * sfz, hanzi, or a code), with results on every keystroke and the matched part marked; or
 * browse by department or life event. With nothing typed, the most used services show. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/screen_host.h"
#include "firmware/catalogue/catalogue.h"
#include "screens/guide_browse.h"
#include "firmware/core/i18n.h"
#include "firmware/gfx/linebreak.h"
#include "screens/screen_frame.h"
#include "screens/screen_list.h"
#include "firmware/catalogue/search.h"
#include "screens/semantic.h"
#include "screens/theme.h"
#include "screens/widgets/widget_button.h"
#include "screens/widgets/widget_keyboard.h"
#include "screens/widgets/widget_label.h"
#include "screens/widgets/widget_list.h"

#define GUIDE_SEARCH_RESULTS 30
#define GUIDE_SEARCH_POPULAR 12

static const enum guide_browse_mode guide_search_by_department = GUIDE_BROWSE_DEPARTMENTS;
static const enum guide_browse_mode guide_search_by_theme = GUIDE_BROWSE_THEMES;

static struct {
    struct screen_frame frame;
    char query[64];
    bool keyboard_hidden;
    struct widget_keyboard keyboard;
    struct widget_button field, clear, by_department, by_theme;
    struct widget_list list;
    struct widget_list_row rows[GUIDE_SEARCH_RESULTS + 2];
    long items[GUIDE_SEARCH_RESULTS + 2]; /* item of each row, -1 for headings and hints */
    char details[GUIDE_SEARCH_RESULTS + 2][192];
    struct text_mark marks[GUIDE_SEARCH_RESULTS + 2];
    const struct catalogue *built_for; /* the catalogue the rows point into */
    char built_query[128];
} search_screen;

static void guide_search_detail(char *out, size_t size, const struct catalogue_item *item,
                                const struct search_result *result)
{
    const char *where = item->kiosk_filable ? _("You can apply at this kiosk") : item->department;
    if (result && result->field == SEARCH_FIELD_KEYWORD)
        snprintf(out, size, _("%s · about “%s”"), where, item->keywords[result->field_index]);
    else if (result && result->field == SEARCH_FIELD_MATERIAL)
        snprintf(out, size, _("%s · needs “%s”"), where, item->materials[result->field_index].name);
    else if (result && result->field == SEARCH_FIELD_CODE)
        snprintf(out, size, _("%s · code %s"), where, item->implementation_code);
    else
        snprintf(out, size, "%s", where);
    linebreak_utf8_trim_partial(out);
}

static int guide_search_add_item(int n, const struct catalogue *catalogue, size_t index,
                                 const struct search_result *result)
{
    const struct catalogue_item *item = &catalogue->items[index];
    guide_search_detail(search_screen.details[n], sizeof search_screen.details[n], item, result);
    search_screen.items[n] = (long)index;
    search_screen.rows[n] = (struct widget_list_row){
        .kind = LIST_ROW_ACTION,
        .text = item->name,
        .detail = search_screen.details[n],
        .tone = item->kiosk_filable ? LIST_TONE_GOOD : LIST_TONE_NORMAL,
    };
    if (result && result->field == SEARCH_FIELD_NAME) {
        search_screen.marks[n] = (struct text_mark){ result->highlight_start, result->highlight_end };
        search_screen.rows[n].marks = &search_screen.marks[n];
        search_screen.rows[n].mark_count = 1;
    }
    return n + 1;
}

static int guide_search_add_note(int n, enum widget_list_row_kind kind, const char *text)
{
    search_screen.items[n] = -1;
    search_screen.rows[n] = (struct widget_list_row){ .kind = kind, .text = text };
    return n + 1;
}

static const struct catalogue *guide_search_sort_catalogue;

static int guide_search_by_popularity(const void *a, const void *b)
{
    const struct catalogue_item *x = &guide_search_sort_catalogue->items[*(const size_t *)a];
    const struct catalogue_item *y = &guide_search_sort_catalogue->items[*(const size_t *)b];
    if (x->popularity != y->popularity)
        return x->popularity < y->popularity ? 1 : -1;
    return strcmp(x->name, y->name);
}

/* The most used services, for an empty query: a short list, no scanning needed. */
static int guide_search_popular(const struct catalogue *catalogue, int n)
{
    size_t best[GUIDE_SEARCH_POPULAR];
    size_t count = 0;
    guide_search_sort_catalogue = catalogue;
    for (size_t i = 0; i < catalogue->item_count; i++) {
        if (catalogue->items[i].child_count)
            continue; /* a heading for its services, not something to apply for */
        if (count < GUIDE_SEARCH_POPULAR) {
            best[count++] = i;
        } else if (guide_search_by_popularity(&i, &best[count - 1]) < 0) {
            best[count - 1] = i;
        } else {
            continue;
        }
        qsort(best, count, sizeof best[0], guide_search_by_popularity);
    }
    n = guide_search_add_note(n, LIST_ROW_HEADING, _("Most used services"));
    for (size_t i = 0; i < count; i++)
        n = guide_search_add_item(n, catalogue, best[i], NULL);
    return n;
}

/* Rebuilds the rows when the query or the catalogue changed. */
static void guide_search_refresh(void)
{
    const struct catalogue *catalogue = app_catalogue();
    const struct search_index *index = app_search_index();
    /* In 拼音 the letters not yet picked count too: results follow every key, as in ABC. */
    char pending[64], query[128];
    snprintf(query, sizeof query, "%s%s", search_screen.query,
             widget_keyboard_pending(&search_screen.keyboard, pending, sizeof pending));
    explicit_bzero(pending, sizeof pending);
    if (catalogue == search_screen.built_for && !strcmp(query, search_screen.built_query)) {
        explicit_bzero(query, sizeof query);
        return;
    }
    search_screen.built_for = catalogue;
    snprintf(search_screen.built_query, sizeof search_screen.built_query, "%s", query);
    widget_list_init(&search_screen.list);
    int n = 0;
    if (catalogue && index) {
        /* A main or sub item with services under it is a heading, not something to apply
         * for; its services match the same query, so show those. Ask for more to fill the
         * list after leaving the headings out. */
        struct search_result results[2 * GUIDE_SEARCH_RESULTS];
        size_t matched = search_query(index, query, results, 2 * GUIDE_SEARCH_RESULTS);
        size_t found = 0;
        for (size_t i = 0; i < matched && found < GUIDE_SEARCH_RESULTS; i++)
            if (!catalogue->items[results[i].item].child_count)
                results[found++] = results[i];
        bool typed = strspn(query, " ") != strlen(query);
        if (!typed)
            n = guide_search_popular(catalogue, n);
        else if (!found)
            n = guide_search_add_note(n, LIST_ROW_INFO,
                                      _("No service found. Try the first letters of the pinyin (sfz for 身份证), "
                                        "or browse by department."));
        for (size_t i = 0; i < found; i++)
            n = guide_search_add_item(n, catalogue, results[i].item, &results[i]);
    }
    search_screen.list.rows = search_screen.rows;
    search_screen.list.row_count = n;
    explicit_bzero(query, sizeof query);
}

static void guide_search_enter(const void *arg)
{
    (void)arg;
    memset(&search_screen, 0, sizeof search_screen);
    search_screen.keyboard.typed_key = -1;
    /* Letters first (pinyin initials find most services), 拼音 and 手写 one tap away. */
    search_screen.keyboard.modes = KEYBOARD_MODES_CHINESE;
    search_screen.keyboard.mode = KEYBOARD_MODE_ABC;
    widget_list_init(&search_screen.list);
    search_screen.built_query[0] = '\x01'; /* never equal: the first draw builds the rows */
}

static void guide_search_exit(void)
{
    /* What a resident typed is theirs: gone when they leave. */
    widget_keyboard_reset(&search_screen.keyboard);
    memset(search_screen.query, 0, sizeof search_screen.query);
    memset(search_screen.built_query, 0, sizeof search_screen.built_query);
}

static void guide_search_draw_field(struct render *render, struct ui_rect rect)
{
    const struct theme *t = theme_get();
    /* 清除 empties the query in one touch instead of a Delete per letter. */
    if (search_screen.query[0]) {
        int clear_w = theme_elder_mode() ? 220 : 180;
        search_screen.clear.rect = (struct ui_rect){ rect.x + rect.w - clear_w, rect.y, clear_w, rect.h };
        search_screen.clear.text = _("Clear");
        search_screen.clear.style = BUTTON_SECONDARY;
        widget_button_draw(render, &search_screen.clear);
        rect.w -= clear_w + t->space_s;
    } else {
        search_screen.clear.rect = (struct ui_rect){ 0, 0, 0, 0 };
    }
    search_screen.field.rect = rect;
    render_fill_round_rect(render, rect, t->radius / 2, t->surface);
    render_stroke_round_rect(render, rect, t->radius / 2, t->stroke, t->primary);
    bool empty = !search_screen.query[0];
    const char *shown = empty ? _("Type pinyin or its first letters, e.g. sfz") : search_screen.query;
    struct text_style style = { empty ? t->text_body : t->text_title, TEXT_REGULAR, empty ? t->text_muted : t->text,
                                TEXT_ALIGN_LEFT };
    int h = text_line_height_du(render, &style);
    struct ui_rect box = { rect.x + t->space_m, rect.y + (rect.h - h) / 2, rect.w - 2 * t->space_m, h };
    text_draw(render, &style, box, shown);
    semantic_add(SEMANTIC_INPUT, rect, shown, true);
}

static void guide_search_draw(struct render *render)
{
    const struct theme *t = theme_get();
    struct ui_rect content = screen_frame_draw(render, &search_screen.frame, _("Service guides"));
    int y = content.y;
    guide_search_draw_field(render, (struct ui_rect){ content.x, y, content.w, t->touch_min });
    y += t->touch_min + t->space_m;

    int half = (content.w - t->space_m) / 2;
    search_screen.by_department = (struct widget_button){
        .rect = { content.x, y, half, t->touch_min }, .text = _("By department"), .style = BUTTON_SECONDARY,
        .press = search_screen.by_department.press };
    search_screen.by_theme = (struct widget_button){
        .rect = { content.x + half + t->space_m, y, half, t->touch_min }, .text = _("Life events"),
        .style = BUTTON_SECONDARY, .press = search_screen.by_theme.press };
    widget_button_draw(render, &search_screen.by_department);
    widget_button_draw(render, &search_screen.by_theme);
    y += t->touch_min + t->space_m;

    /* The keyboard sits at the bottom edge, full width, where a thumb reaches it. */
    int keyboard_h = search_screen.keyboard_hidden ? 0 : widget_keyboard_height_of(&search_screen.keyboard, render->layout.width_du);
    int list_bottom = render->layout.height_du - keyboard_h - t->space_m;
    if (!app_catalogue()) {
        const char *problem = app_catalogue_problem();
        struct widget_label wait = { { content.x, y, content.w, list_bottom - y },
                                     problem ? problem : _("Loading the list of services…"),
                                     { t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_LEFT } };
        widget_label_draw(render, &wait);
    } else {
        guide_search_refresh();
        search_screen.list.rect = (struct ui_rect){ content.x, y, content.w, list_bottom - y };
        widget_list_draw(render, &search_screen.list);
    }
    if (!search_screen.keyboard_hidden) {
        search_screen.keyboard.rect = (struct ui_rect){ 0, render->layout.height_du - keyboard_h,
                                                        render->layout.width_du, keyboard_h };
        search_screen.keyboard.text = search_screen.query;
        search_screen.keyboard.text_size = sizeof search_screen.query;
        widget_keyboard_draw(render, &search_screen.keyboard);
    }
}

static bool guide_search_event(const struct ui_event *event)
{
    if (screen_frame_event(&search_screen.frame, event))
        return true;
    if (!search_screen.keyboard_hidden) {
        enum widget_result r = widget_keyboard_event(&search_screen.keyboard, event);
        if (r == WIDGET_ACTIVATED) { /* 完成: put the keyboard away to see more results */
            search_screen.keyboard_hidden = true;
            screen_request_redraw();
        }
        if (r != WIDGET_IGNORED) {
            screen_request_redraw(); /* the query may have changed: results follow each key */
            return true;
        }
    }
    enum widget_result r = widget_button_event(&search_screen.clear, event);
    if (r == WIDGET_ACTIVATED) {
        search_screen.query[0] = '\0';
        screen_request_redraw();
    }
    if (r != WIDGET_IGNORED)
        return true;
    r = widget_button_event(&search_screen.field, event);
    if (r == WIDGET_ACTIVATED && search_screen.keyboard_hidden) {
        search_screen.keyboard_hidden = false;
        screen_request_redraw();
    }
    if (r != WIDGET_IGNORED)
        return true;
    r = widget_button_event(&search_screen.by_department, event);
    if (r == WIDGET_ACTIVATED)
        screen_manager_push(SCREEN_guide_browse, &guide_search_by_department);
    if (r != WIDGET_IGNORED)
        return true;
    r = widget_button_event(&search_screen.by_theme, event);
    if (r == WIDGET_ACTIVATED)
        screen_manager_push(SCREEN_guide_browse, &guide_search_by_theme);
    if (r != WIDGET_IGNORED)
        return true;
    r = widget_list_event(&search_screen.list, event);
    if (r == WIDGET_ACTIVATED && search_screen.items[search_screen.list.chosen] >= 0)
        screen_manager_push(SCREEN_guide, &search_screen.items[search_screen.list.chosen]);
    return r != WIDGET_IGNORED;
}

const struct screen screen_guide_search = {
    .name = "guide_search",
    .enter = guide_search_enter,
    .exit = guide_search_exit,
    .event = guide_search_event,
    .draw = guide_search_draw,
};
