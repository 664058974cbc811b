/* Browsing the catalogue without typing: by department (公安, 人社 …) or by life event
 * (一件事: 新生儿出生, 退休 …). First the groups, then the services of one group, most used
 * first; a service opens its guide. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/screen_host.h"
#include "firmware/catalogue/catalogue.h"
#include "screens/guide_browse.h"
#include "firmware/core/i18n.h"
#include "screens/screen_frame.h"
#include "screens/screen_list.h"
#include "screens/theme.h"
#include "screens/widgets/widget_label.h"
#include "screens/widgets/widget_list.h"

#define BROWSE_ROWS WIDGET_LIST_ROWS_MAX

static struct {
    struct screen_frame frame;
    enum guide_browse_mode mode;
    int group; /* -1: choosing a group; else the group chosen */
    const char *group_names[BROWSE_ROWS];
    const char *group_details[BROWSE_ROWS]; /* a theme's description, or a count below */
    char group_counts[BROWSE_ROWS][48];
    int group_count;
    long items[BROWSE_ROWS]; /* the group's services shown, or -1 for the hint row */
    struct widget_list_row rows[BROWSE_ROWS];
    struct widget_list list;
} browse;

/* Residents browse to what they can actually apply for: handling items, and main or sub
 * items that have no handling items under them. */
static bool browse_is_leaf(const struct catalogue *catalogue, size_t index)
{
    return !catalogue->items[index].child_count;
}

static void browse_build_groups(const struct catalogue *catalogue)
{
    browse.group_count = 0;
    if (browse.mode == GUIDE_BROWSE_THEMES) {
        for (size_t i = 0; i < catalogue->theme_count && browse.group_count < BROWSE_ROWS; i++) {
            browse.group_names[browse.group_count] = catalogue->themes[i].name;
            browse.group_details[browse.group_count] = catalogue->themes[i].description;
            browse.group_count++;
        }
        return;
    }
    int counts[BROWSE_ROWS] = { 0 };
    for (size_t i = 0; i < catalogue->item_count; i++) {
        if (!browse_is_leaf(catalogue, i))
            continue;
        const char *category = catalogue->items[i].department_category;
        int g = 0;
        while (g < browse.group_count && strcmp(browse.group_names[g], category))
            g++;
        if (g == browse.group_count) {
            if (g == BROWSE_ROWS)
                continue;
            browse.group_names[browse.group_count++] = category;
        }
        counts[g]++;
    }
    for (int g = 0; g < browse.group_count; g++) {
        snprintf(browse.group_counts[g], sizeof browse.group_counts[g], _("%d services"), counts[g]);
        browse.group_details[g] = browse.group_counts[g];
    }
}

static const struct catalogue *browse_catalogue;

static int browse_by_popularity(const void *a, const void *b)
{
    const struct catalogue_item *x = &browse_catalogue->items[*(const long *)a];
    const struct catalogue_item *y = &browse_catalogue->items[*(const long *)b];
    if (x->popularity != y->popularity)
        return x->popularity < y->popularity ? 1 : -1;
    return strcmp(x->name, y->name);
}

static int browse_build_items(const struct catalogue *catalogue)
{
    long *found = malloc((catalogue->item_count ? catalogue->item_count : 1) * sizeof *found);
    size_t n = 0;
    if (!found)
        return 0;
    if (browse.mode == GUIDE_BROWSE_THEMES) {
        const struct catalogue_theme *theme = &catalogue->themes[browse.group];
        for (size_t i = 0; i < theme->item_count; i++)
            found[n++] = (long)theme->items[i];
    } else {
        for (size_t i = 0; i < catalogue->item_count; i++)
            if (browse_is_leaf(catalogue, i) &&
                !strcmp(catalogue->items[i].department_category, browse.group_names[browse.group]))
                found[n++] = (long)i;
    }
    browse_catalogue = catalogue;
    qsort(found, n, sizeof *found, browse_by_popularity);
    int shown = 0;
    for (size_t i = 0; i < n && shown < BROWSE_ROWS - 1; i++) {
        const struct catalogue_item *item = &catalogue->items[found[i]];
        browse.items[shown] = found[i];
        browse.rows[shown] = (struct widget_list_row){
            .kind = LIST_ROW_ACTION,
            .text = item->name,
            .detail = item->kiosk_filable ? _("You can apply at this kiosk") : item->department,
            .tone = item->kiosk_filable ? LIST_TONE_GOOD : LIST_TONE_NORMAL,
        };
        shown++;
    }
    if (n > (size_t)shown) {
        browse.items[shown] = -1;
        browse.rows[shown] = (struct widget_list_row){ .kind = LIST_ROW_INFO,
                                                       .text = _("More services: please search for them by name.") };
        shown++;
    }
    free(found);
    return shown;
}

static void browse_show_groups(void)
{
    const struct catalogue *catalogue = app_catalogue();
    browse.group = -1;
    widget_list_init(&browse.list);
    if (!catalogue)
        return;
    browse_build_groups(catalogue);
    for (int g = 0; g < browse.group_count; g++)
        browse.rows[g] = (struct widget_list_row){ .kind = LIST_ROW_ACTION,
                                                   .text = browse.group_names[g],
                                                   .detail = browse.group_details[g] };
    browse.list.rows = browse.rows;
    browse.list.row_count = browse.group_count;
}

static void browse_enter(const void *arg)
{
    memset(&browse, 0, sizeof browse);
    browse.mode = arg ? *(const enum guide_browse_mode *)arg : GUIDE_BROWSE_DEPARTMENTS;
    browse.frame.show_home = true;
    browse_show_groups();
}

static void browse_draw(struct render *render)
{
    const struct theme *t = theme_get();
    const char *title = browse.mode == GUIDE_BROWSE_THEMES ? _("Life events") : _("By department");
    if (browse.group >= 0)
        title = browse.group_names[browse.group];
    struct ui_rect content = screen_frame_draw(render, &browse.frame, title);
    if (!app_catalogue()) {
        const char *problem = app_catalogue_problem();
        struct widget_label wait = { content, problem ? problem : _("Loading the list of services…"),
                                     { t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_LEFT } };
        widget_label_draw(render, &wait);
        return;
    }
    if (browse.group < 0 && !browse.list.row_count)
        browse_show_groups(); /* the catalogue arrived after this screen opened */
    browse.list.rect = content;
    widget_list_draw(render, &browse.list);
}

static bool browse_event(const struct ui_event *event)
{
    if (browse.group >= 0) {
        /* Back from a group's services goes to the groups, not out of the screen. */
        bool back = event->kind == UI_EVENT_KEY && event->key == UI_KEY_BACK;
        enum widget_result r = back ? WIDGET_ACTIVATED : widget_button_event(&browse.frame.back, event);
        if (r == WIDGET_ACTIVATED) {
            browse_show_groups();
            screen_request_redraw();
        }
        if (r != WIDGET_IGNORED)
            return true;
    }
    if (screen_frame_event(&browse.frame, event))
        return true;
    const struct catalogue *catalogue = app_catalogue();
    enum widget_result r = widget_list_event(&browse.list, event);
    if (r == WIDGET_ACTIVATED && catalogue) {
        if (browse.group < 0) {
            browse.group = browse.list.chosen;
            widget_list_init(&browse.list);
            browse.list.rows = browse.rows;
            browse.list.row_count = browse_build_items(catalogue);
            screen_request_redraw();
        } else if (browse.items[browse.list.chosen] >= 0) {
            screen_manager_push(SCREEN_guide, &browse.items[browse.list.chosen]);
        }
    }
    return r != WIDGET_IGNORED;
}

const struct screen screen_guide_browse = {
    .name = "guide_browse",
    .enter = browse_enter,
    .event = browse_event,
    .draw = browse_draw,
};
