/* Home: the brand, where this unit is, the time, the five services, and the two switches
 * a resident may need first: 长辈模式 (large type) and the language. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "screens/screen_host.h"
#include "firmware/core/clock.h"
#include "firmware/core/i18n.h"
#include "screens/screen_list.h"
#include "screens/semantic.h"
#include "firmware/session/session.h"
#include "firmware/gfx/text.h"
#include "screens/theme.h"
#include "screens/widgets/widget_button.h"
#include "screens/widgets/widget_label.h"
#include "screens/widgets/widget_tile.h"

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

/* Paging tiles: shown when a page cannot hold every service at a comfortable size. */
enum { HOME_PAGE_NEXT = HOME_TILE_COUNT, HOME_PAGE_PREVIOUS = HOME_TILE_COUNT + 1 };

static const int home_after_id_card_licences = SCREEN_licences;

static struct {
    struct widget_tile tiles[HOME_TILE_COUNT + 1]; /* the services on this page, maybe a paging tile */
    int tile_action[HOME_TILE_COUNT + 1];          /* enum home_tile, or a paging action */
    int tile_count;
    int page;                                      /* 长辈模式 on a short panel: fewer per page */
    unsigned page_session;                         /* session_count_ended() when page was chosen */
    struct widget_button elder, language, staff;
} home;

static void home_enter(const void *arg)
{
    (void)arg;
    memset(&home, 0, sizeof home);
}

/* Lays out and draws the service tiles between top and bottom. Two columns in portrait
 * (one in 长辈模式), three in landscape (two in 长辈模式); when tiles do not fill the grid,
 * the first rows get fewer, wider tiles, so the services residents use most are the
 * biggest targets. A tile must stay a comfortable target with a readable title; when a
 * page cannot hold every service that way (长辈模式 on a short landscape panel), the
 * services are paged with 更多服务 / 上一页 tiles — fewer items per screen, no scrolling. */
static void home_layout_tiles(struct render *render, int top, int bottom)
{
    const struct theme *t = theme_get();
    const struct layout *l = &render->layout;
    bool elder = theme_elder_mode();
    int gap = t->space_m;
    int columns = layout_is_portrait(l) ? (elder ? 1 : 2) : (elder ? 2 : 3);
    int grid_w = l->width_du - 2 * t->margin;
    struct text_style title_style = { t->text_title, TEXT_BOLD, t->text, TEXT_ALIGN_LEFT };
    int tile_min = text_line_height_du(render, &title_style) + 2 * t->space_s;
    if (tile_min < t->touch_min)
        tile_min = t->touch_min;
    int rows_fit = (bottom - top + gap) / (tile_min + gap);
    if (rows_fit < 1)
        rows_fit = 1;
    int capacity = rows_fit * columns;

    /* Which tiles this page shows; a new resident starts on the first page. */
    if (home.page_session != session_count_ended())
        home.page = 0;
    home.tile_count = 0;
    if (capacity >= HOME_TILE_COUNT) {
        home.page = 0;
        for (int i = 0; i < HOME_TILE_COUNT; i++)
            home.tile_action[home.tile_count++] = i;
    } else {
        int per_page = capacity - 1 > 1 ? capacity - 1 : 1; /* one place for the paging tile */
        int pages = (HOME_TILE_COUNT + per_page - 1) / per_page;
        if (home.page >= pages)
            home.page = pages - 1;
        for (int i = home.page * per_page; i < HOME_TILE_COUNT && i < (home.page + 1) * per_page; i++)
            home.tile_action[home.tile_count++] = i;
        home.tile_action[home.tile_count++] = home.page + 1 < pages ? HOME_PAGE_NEXT : HOME_PAGE_PREVIOUS;
    }

    int count = home.tile_count;
    int rows = (count + columns - 1) / columns;
    int tile_h = (bottom - top - (rows - 1) * gap) / rows;
    int tile_max = elder ? 260 : 420;
    if (tile_h > tile_max)
        tile_h = tile_max;
    int index = 0;
    for (int row = 0; row < rows; row++) {
        int in_row = count / rows + (row >= rows - count % rows ? 1 : 0);
        int tile_w = (grid_w - (in_row - 1) * gap) / in_row;
        for (int col = 0; col < in_row; col++, index++) {
            struct widget_tile *tile = &home.tiles[index];
            int action = home.tile_action[index];
            tile->rect = (struct ui_rect){ t->margin + col * (tile_w + gap), top + row * (tile_h + gap), tile_w, tile_h };
            if (action < HOME_TILE_COUNT) {
                tile->title = _(home_tiles[action].title);
                tile->description = elder ? NULL : _(home_tiles[action].description);
                tile->accent = home_tiles[action].accent;
            } else {
                tile->title = action == HOME_PAGE_NEXT ? _("More services") : _("Previous page");
                tile->description = NULL;
                tile->accent = t->border;
            }
            widget_tile_draw(render, tile);
        }
    }
}

/* Header: brand, location, clock. Returns the y where the content starts. */
static int home_draw_header(struct render *render)
{
    const struct theme *t = theme_get();
    const struct layout *l = &render->layout;
    const struct config *config = app_config();
    struct text_style clock_style = { t->text_title, TEXT_BOLD, t->on_primary, TEXT_ALIGN_RIGHT };
    struct text_style brand_style = { t->text_display, TEXT_BOLD, t->on_primary, TEXT_ALIGN_LEFT };
    struct text_style where_style = { t->text_body, TEXT_REGULAR, t->on_primary, TEXT_ALIGN_LEFT };
    int clock_w = text_measure_du(render, &clock_style, "00:00") + t->space_s;
    int brand_w = l->width_du - 2 * t->margin - clock_w - t->space_m;
    int where_w = l->width_du - 2 * t->margin;
    const char *brand_text = _("iShandong · Yihaoban");
    /* On a wide panel the location sits beside the brand when both fit on one line, which
     * leaves the height to the tiles; otherwise it goes under the brand. The bar grows with
     * its text (a long location, 长辈模式), never cuts it. */
    int brand_natural = text_measure_du(render, &brand_style, brand_text);
    int where_natural = text_measure_du(render, &where_style, config->unit_location);
    bool one_row = !layout_is_portrait(l) && brand_natural + t->space_l + where_natural <= brand_w;
    if (!layout_is_portrait(l) && !one_row) {
        /* a smaller brand is worth a row of tiles on a short panel */
        brand_style.size_du = t->text_title;
        brand_natural = text_measure_du(render, &brand_style, brand_text);
        one_row = brand_natural + t->space_l + where_natural <= brand_w;
        if (!one_row)
            brand_style.size_du = t->text_display;
    }
    int brand_h = text_height_du(render, &brand_style, brand_w, brand_text);
    int where_h = one_row ? 0 : text_height_du(render, &where_style, where_w, config->unit_location);
    int header_h = t->space_l + brand_h + where_h + t->space_m;
    render_fill_rect(render, (struct ui_rect){ 0, 0, l->width_du, header_h }, t->primary);

    char clock_text[16];
    struct tm tm;
    clock_local_time(clock_wall_seconds(), config->utc_offset_minutes, &tm);
    snprintf(clock_text, sizeof clock_text, "%02d:%02d", tm.tm_hour, tm.tm_min);
    struct widget_label clock_label = { { l->width_du - t->margin - clock_w, t->space_l, clock_w, brand_h }, clock_text,
                                        clock_style };
    widget_label_draw(render, &clock_label);
    struct widget_label brand = { { t->margin, t->space_l, brand_w, brand_h }, brand_text, brand_style };
    widget_label_draw(render, &brand);
    struct widget_label where = { { t->margin, t->space_l + brand_h, where_w, where_h }, config->unit_location,
                                  where_style };
    if (one_row) {
        /* beside the brand, on the brand's baseline */
        int line_h = text_line_height_du(render, &where_style);
        where.rect = (struct ui_rect){ t->margin + brand_natural + t->space_l, t->space_l + brand_h - line_h - t->space_s / 2,
                                       where_natural + t->space_s, line_h };
    }
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
    int grid_w = l->width_du - 2 * t->margin;

    home_layout_tiles(render, y, bar_y - t->space_l);

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
    for (int i = 0; i < home.tile_count; i++) {
        enum widget_result r = widget_tile_event(&home.tiles[i], event);
        if (r == WIDGET_ACTIVATED) {
            int action = home.tile_action[i];
            if (action == HOME_PAGE_NEXT || action == HOME_PAGE_PREVIOUS) {
                home.page += action == HOME_PAGE_NEXT ? 1 : -1;
                home.page_session = session_count_ended();
                screen_request_redraw();
            } else {
                if (action == HOME_GUIDE)
                    screen_manager_push(SCREEN_guide_search, NULL);
                else if (action == HOME_LICENCE)
                    screen_manager_push(SCREEN_id_card, &home_after_id_card_licences);
                else if (action == HOME_RATE)
                    screen_manager_push(SCREEN_evaluate, NULL);
                else
                    screen_manager_push(SCREEN_unavailable, home_tiles[action].title);
            }
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

/* Back from a service: the resident stays on the page they were on. */
static void home_resume(void)
{
    for (int i = 0; i < HOME_TILE_COUNT + 1; i++)
        home.tiles[i].press = (struct widget_press){ 0 };
}

const struct screen screen_home = {
    .name = "home",
    .enter = home_enter,
    .event = home_event,
    .draw = home_draw,
    .resume = home_resume,
};
