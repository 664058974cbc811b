/* Home: the brand, where this unit is, the time, the five services, and the two switches
 * a resident may need first: 长辈模式 (large type) and the language. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "clock.h"
#include "i18n.h"
#include "screen_list.h"
#include "semantic.h"
#include "text.h"
#include "theme.h"
#include "widget_button.h"
#include "widget_label.h"
#include "widget_tile.h"

enum home_tile { HOME_GUIDE, HOME_LICENCE, HOME_APPLY, HOME_STATUS, HOME_RATE, HOME_TILE_COUNT };

static const struct {
    const char *title;
    const char *description;
    struct ui_color accent;
} home_tiles[HOME_TILE_COUNT] = {
    { N_("Service guides"), N_("Find a service and what it takes"), { 0x0A, 0x55, 0xB4, 255 } },
    { N_("Print licences"), N_("Print your electronic licences and certificates"), { 0x1B, 0x6E, 0x3A, 255 } },
    { N_("Apply"), N_("File a simple application here"), { 0x8A, 0x4B, 0x00, 255 } },
    { N_("Check progress"), N_("See where your application stands"), { 0x5B, 0x3F, 0x9E, 255 } },
    { N_("Rate us / Report a problem"), N_("Rate the service, or tell us what could not be done"), { 0xB4, 0x23, 0x18, 255 } },
};

static struct {
    struct widget_tile tiles[HOME_TILE_COUNT];
    struct widget_button elder, language, staff;
} home;

static void home_enter(const void *arg)
{
    (void)arg;
    memset(&home, 0, sizeof home);
}

/* Header: brand, location, clock. Returns the y where the content starts. */
static int home_draw_header(struct render *render)
{
    const struct theme *t = theme_get();
    const struct layout *l = &render->layout;
    const struct config *config = app_config();
    int header_h = (theme_elder_mode() ? 300 : 260) - (layout_is_portrait(&render->layout) ? 0 : 40);
    render_fill_rect(render, (struct ui_rect){ 0, 0, l->width_du, header_h }, t->primary);

    char clock_text[16];
    struct tm tm;
    clock_local_time(clock_wall_seconds(), config->utc_offset_minutes, &tm);
    snprintf(clock_text, sizeof clock_text, "%02d:%02d", tm.tm_hour, tm.tm_min);
    struct text_style clock_style = { t->text_title, TEXT_BOLD, t->on_primary, TEXT_ALIGN_RIGHT };
    int clock_w = text_measure_du(render, &clock_style, "00:00") + t->space_s;
    struct widget_label clock_label = { { l->width_du - t->margin - clock_w, t->space_l, clock_w, 100 }, clock_text,
                                        clock_style };
    widget_label_draw(render, &clock_label);

    int text_w = l->width_du - 2 * t->margin - clock_w - t->space_m;
    struct widget_label brand = { { t->margin, t->space_l, text_w, 120 },
                                  _("iShandong · Yihaoban"),
                                  { t->text_display, TEXT_BOLD, t->on_primary, TEXT_ALIGN_LEFT } };
    int brand_h = widget_label_draw(render, &brand);
    struct widget_label where = { { t->margin, t->space_l + brand_h, l->width_du - 2 * t->margin, header_h - brand_h - t->space_l },
                                  config->unit_location,
                                  { t->text_body, TEXT_REGULAR, t->on_primary, TEXT_ALIGN_LEFT } };
    widget_label_draw(render, &where);
    return header_h;
}

static void home_draw(struct render *render)
{
    const struct theme *t = theme_get();
    const struct layout *l = &render->layout;
    render_clear(render, t->background);
    int y = home_draw_header(render) + t->space_l;
    bool elder = theme_elder_mode();

    struct widget_label greet = { { t->margin, y, l->width_du - 2 * t->margin, 200 },
                                  _("Please choose a service. Touch the screen to begin."),
                                  { t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_LEFT } };
    y += widget_label_draw(render, &greet) + t->space_m;

    /* Bottom bar: the two switches, and the staff entry for technicians. */
    int bar_h = t->touch_min;
    int bar_y = l->height_du - t->margin - bar_h;
    int gap = t->space_m;

    /* Tiles: two columns in portrait (one in 长辈模式), three in landscape (two in 长辈模式).
     * When the tiles do not fill the grid, the first rows get fewer, wider tiles, so the
     * services residents use most (guides, licences) are the biggest targets. */
    int columns = layout_is_portrait(l) ? (elder ? 1 : 2) : (elder ? 2 : 3);
    int rows = (HOME_TILE_COUNT + columns - 1) / columns;
    int grid_w = l->width_du - 2 * t->margin;
    int tile_h = (bar_y - t->space_l - y - (rows - 1) * gap) / rows;
    int tile_max = elder ? 260 : 420;
    if (tile_h > tile_max)
        tile_h = tile_max;
    int index = 0;
    for (int row = 0; row < rows; row++) {
        int in_row = HOME_TILE_COUNT / rows + (row >= rows - HOME_TILE_COUNT % rows ? 1 : 0);
        int tile_w = (grid_w - (in_row - 1) * gap) / in_row;
        for (int col = 0; col < in_row; col++, index++) {
            struct widget_tile *tile = &home.tiles[index];
            tile->rect = (struct ui_rect){ t->margin + col * (tile_w + gap), y + row * (tile_h + gap), tile_w, tile_h };
            tile->title = _(home_tiles[index].title);
            tile->description = elder ? NULL : _(home_tiles[index].description);
            tile->accent = home_tiles[index].accent;
            widget_tile_draw(render, tile);
        }
    }

    home.elder.text = elder ? _("Elder mode: on") : _("Elder mode: off");
    home.elder.style = elder ? BUTTON_PRIMARY : BUTTON_SECONDARY;
    /* Each language is offered in its own words, so a reader of either can find it. */
    home.language.text = !strcmp(i18n_language(), "en") ? "中文" : "English";
    home.language.style = BUTTON_SECONDARY;
    home.staff.text = _("Staff");
    home.staff.style = BUTTON_SECONDARY;
    /* The bar's buttons share the width in proportion to their labels, so the longest
     * label (长辈模式：开) keeps one line even in 长辈模式. */
    struct widget_button *bar[] = { &home.elder, &home.language, &home.staff };
    struct text_style label = { t->text_button, TEXT_BOLD, t->text, TEXT_ALIGN_CENTER };
    int natural[3], total = 0;
    for (int i = 0; i < 3; i++)
        total += natural[i] = text_measure_du(render, &label, bar[i]->text) + 2 * t->space_s;
    int spare = grid_w - 2 * gap - total;
    int x = t->margin;
    for (int i = 0; i < 3; i++) {
        int w = spare >= 0 ? natural[i] + spare / 3 : (grid_w - 2 * gap) * natural[i] / total;
        bar[i]->rect = (struct ui_rect){ x, bar_y, i == 2 ? t->margin + grid_w - x : w, bar_h };
        x += w + gap;
    }
    widget_button_draw(render, &home.elder);
    widget_button_draw(render, &home.language);
    widget_button_draw(render, &home.staff);
}

static bool home_event(const struct ui_event *event)
{
    for (int i = 0; i < HOME_TILE_COUNT; i++) {
        enum widget_result r = widget_tile_event(&home.tiles[i], event);
        if (r == WIDGET_ACTIVATED) {
            screen_manager_push(SCREEN_unavailable, home_tiles[i].title);
            return true;
        }
        if (r == WIDGET_CONSUMED)
            return true;
    }
    enum widget_result r = widget_button_event(&home.elder, event);
    if (r == WIDGET_ACTIVATED)
        app_set_elder_mode(!theme_elder_mode());
    if (r != WIDGET_IGNORED)
        return true;
    r = widget_button_event(&home.language, event);
    if (r == WIDGET_ACTIVATED)
        app_set_language(!strcmp(i18n_language(), "en") ? "zh_CN" : "en");
    if (r != WIDGET_IGNORED)
        return true;
    r = widget_button_event(&home.staff, event);
    if (r == WIDGET_ACTIVATED)
        screen_manager_push(SCREEN_staff_login, NULL);
    return r != WIDGET_IGNORED;
}

static void home_resume(void)
{
    home_enter(NULL);
}

const struct screen screen_home = {
    .name = "home",
    .enter = home_enter,
    .event = home_event,
    .draw = home_draw,
    .resume = home_resume,
};
