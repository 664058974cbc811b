/* Technician: after staff sign-in. The state of each device in words, and the maintenance
 * actions: the touch screen test, taking the unit out of service and back, and the unit's
 * information (a second view of this screen, so Back first returns to the list). Back from
 * the list signs out. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "screens/screen_host.h"
#include "firmware/catalogue/catalogue.h"
#include "firmware/core/i18n.h"
#include "firmware/input/handwriting.h"
#include "firmware/input/ime_pinyin.h"
#include "screens/screen_frame.h"
#include "screens/screen_list.h"
#include "firmware/gfx/text.h"
#include "screens/theme.h"
#include "firmware/core/version.h"
#include "screens/widgets/widget_label.h"
#include "screens/widgets/widget_list.h"
#include "screens/widgets/widget_scrollview.h"

enum technician_action { TECH_ACTION_NONE, TECH_ACTION_TOUCH_TEST, TECH_ACTION_SERVICE, TECH_ACTION_UNIT_INFO };

enum technician_view { TECH_VIEW_LIST, TECH_VIEW_UNIT_INFO };

#define TECH_ROWS_MAX (DEVICE_COUNT + 6)

static struct {
    struct screen_frame frame;
    enum technician_view view;
    /* Portrait: one list of every row. Landscape: devices left, maintenance right. */
    struct widget_list lists[2];
    int list_first_row[2]; /* index in rows of each list's first row */
    struct widget_list_row rows[TECH_ROWS_MAX];
    enum technician_action actions[TECH_ROWS_MAX];
    int maintenance_row;   /* where the maintenance group starts */
    char device_status[DEVICE_COUNT][256];
    char service_detail[256];
    struct widget_scrollview info;
    char info_text[2048];
} technician;

static void technician_enter(const void *arg)
{
    (void)arg;
    memset(&technician, 0, sizeof technician);
    widget_list_init(&technician.lists[0]);
    widget_list_init(&technician.lists[1]);
}

static void technician_resume(void)
{
    /* Back from the touch test: the list as it was, nothing half-pressed. */
    for (int i = 0; i < 2; i++) {
        technician.lists[i].press = (struct widget_press){ 0 };
        technician.lists[i].pressed_row = -1;
    }
}

static int technician_add_row(int n, enum widget_list_row_kind kind, const char *text, const char *detail,
                              enum widget_list_tone tone, enum technician_action action)
{
    technician.rows[n] = (struct widget_list_row){ .kind = kind, .text = text, .detail = detail, .tone = tone };
    technician.actions[n] = action;
    return n + 1;
}

/* Rebuilt on every draw, so a device that fails or recovers shows at once. */
static int technician_build_rows(void)
{
    int n = 0;
    n = technician_add_row(n, LIST_ROW_HEADING, _("Device status"), NULL, LIST_TONE_NORMAL, TECH_ACTION_NONE);
    for (int d = 0; d < DEVICE_COUNT; d++) {
        char *status = technician.device_status[d];
        bool working = app_device_present((enum device_id)d);
        const char *reason = app_device_reason((enum device_id)d);
        if (working)
            snprintf(status, sizeof technician.device_status[d], "%s", _("Working"));
        else if (reason[0])
            snprintf(status, sizeof technician.device_status[d], _("Not working: %s"), reason);
        else
            snprintf(status, sizeof technician.device_status[d], "%s", _("Not working"));
        n = technician_add_row(n, LIST_ROW_INFO, app_device_name((enum device_id)d), status,
                               working ? LIST_TONE_GOOD : LIST_TONE_BAD, TECH_ACTION_NONE);
    }
    technician.maintenance_row = n;
    n = technician_add_row(n, LIST_ROW_HEADING, _("Maintenance"), NULL, LIST_TONE_NORMAL, TECH_ACTION_NONE);
    n = technician_add_row(n, LIST_ROW_ACTION, _("Touch screen test"),
                           _("Check that every key of the on-screen keyboard responds."), LIST_TONE_NORMAL,
                           TECH_ACTION_TOUCH_TEST);
    /* Maintenance is the technician's switch; a missing required device keeps the unit out
     * of service whatever the switch says, and the detail line says so. */
    const char *out_reason = app_out_of_service_reason();
    if (out_reason) {
        snprintf(technician.service_detail, sizeof technician.service_detail, _("Now out of service: %s"), out_reason);
        n = technician_add_row(n, LIST_ROW_ACTION, app_in_maintenance() ? _("Return to service") : _("Take out of service"),
                               technician.service_detail, LIST_TONE_BAD, TECH_ACTION_SERVICE);
    } else {
        n = technician_add_row(n, LIST_ROW_ACTION, _("Take out of service"),
                               _("Residents will see that this kiosk is out of service until you return it to service."),
                               LIST_TONE_NORMAL, TECH_ACTION_SERVICE);
    }
    n = technician_add_row(n, LIST_ROW_ACTION, _("Unit information"),
                           _("Unit ID, location, software version, display and more"), LIST_TONE_NORMAL,
                           TECH_ACTION_UNIT_INFO);
    return n;
}

/* Appends one line of the unit information. */
static void technician_info_line(size_t *used, const char *fmt, ...)
{
    size_t size = sizeof technician.info_text;
    if (*used >= size - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(technician.info_text + *used, size - *used, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    *used += (size_t)n < size - *used ? (size_t)n : size - *used - 1;
    if (*used < size - 1) {
        technician.info_text[(*used)++] = '\n';
        technician.info_text[*used] = '\0';
    }
}

static void technician_build_info(const struct render *render)
{
    const struct config *config = app_config();
    size_t used = 0;
    technician.info_text[0] = '\0';
    technician_info_line(&used, _("Unit ID: %s"), config->unit_id);
    technician_info_line(&used, _("Location: %s"), config->unit_location);
    technician_info_line(&used, _("Service phone: %s"), config->service_phone);
    technician_info_line(&used, _("Software version: %s"), KIOSK_VERSION);
    technician_info_line(&used, _("Board: %s"), app_board_name());
    const struct msg_platform_status *platform = app_platform_status();
    if (!platform)
        technician_info_line(&used, "%s", _("Platform link: not set up"));
    else if (platform->online < 0)
        technician_info_line(&used, "%s", _("Platform link: connecting"));
    else if (platform->online)
        technician_info_line(&used, "%s", _("Platform link: online"));
    else
        technician_info_line(&used, _("Platform link: offline (%s)"), platform->reason);
    const struct catalogue *catalogue = app_catalogue();
    if (catalogue)
        technician_info_line(&used, _("Catalogue version: %s"), catalogue->version);
    else
        technician_info_line(&used, "%s", _("Catalogue: none yet"));
    /* Which text entry works, and if not, which package or file is missing (English, as the
     * technician searches the log and the package list with it). */
    if (ime_pinyin_ready())
        technician_info_line(&used, "%s", _("Pinyin input: ready"));
    else if (ime_pinyin_problem()[0])
        technician_info_line(&used, _("Pinyin input: unavailable (%s)"), ime_pinyin_problem());
    else
        technician_info_line(&used, "%s", _("Pinyin input: starting"));
    if (handwriting_ready())
        technician_info_line(&used, "%s", _("Handwriting input: ready"));
    else if (handwriting_problem()[0])
        technician_info_line(&used, _("Handwriting input: unavailable (%s)"), handwriting_problem());
    else
        technician_info_line(&used, "%s", _("Handwriting input: starting"));
    technician_info_line(&used, "%s", "");
    technician_info_line(&used, _("Display: %d × %d pixels"), render->layout.width_px, render->layout.height_px);
    technician_info_line(&used, _("Language: %s"), i18n_language());
    technician_info_line(&used, "%s", theme_elder_mode() ? _("Elder mode: on") : _("Elder mode: off"));
    unsigned glyphs, hits, misses;
    text_cache_stats(&glyphs, &hits, &misses);
    technician_info_line(&used, _("Glyph cache: %u glyphs, %u hits, %u misses"), glyphs, hits, misses);
}

static void technician_draw(struct render *render)
{
    const struct theme *t = theme_get();
    if (technician.view == TECH_VIEW_UNIT_INFO) {
        struct ui_rect content = screen_frame_draw(render, &technician.frame, _("Unit information"));
        technician_build_info(render);
        technician.info.rect = content;
        technician.info.text = technician.info_text;
        technician.info.style = (struct text_style){ t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_LEFT };
        widget_scrollview_draw(render, &technician.info);
        return;
    }
    struct ui_rect content = screen_frame_draw(render, &technician.frame, _("Technician"));
    struct widget_label intro = { { content.x, content.y, content.w, 300 },
                                  _("Signed in for maintenance. Press Back to sign out when you are done."),
                                  { t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_LEFT } };
    int intro_h = widget_label_draw(render, &intro) + t->space_m;
    int count = technician_build_rows();
    struct ui_rect area = { content.x, content.y + intro_h, content.w, content.h - intro_h };
    int split = count;
    if (!layout_is_portrait(&render->layout)) {
        split = technician.maintenance_row;
        area.w = (content.w - t->space_l) / 2;
    }
    int first[2] = { 0, split }, last[2] = { split, count };
    for (int i = 0; i < 2; i++) {
        struct widget_list *list = &technician.lists[i];
        technician.list_first_row[i] = first[i];
        list->rows = technician.rows + first[i];
        list->row_count = last[i] - first[i];
        list->rect = area;
        area.x += area.w + t->space_l;
        if (list->row_count > 0)
            widget_list_draw(render, list);
    }
}

static void technician_act(enum technician_action action)
{
    switch (action) {
    case TECH_ACTION_TOUCH_TEST:
        screen_manager_push(SCREEN_touch_test, NULL);
        break;
    case TECH_ACTION_SERVICE:
        /* Either way the service state changes the root screen, and this screen goes. */
        app_set_maintenance(!app_in_maintenance());
        break;
    case TECH_ACTION_UNIT_INFO:
        technician.view = TECH_VIEW_UNIT_INFO;
        technician.info.scroll = (struct widget_scroll){ 0 };
        screen_request_redraw();
        break;
    case TECH_ACTION_NONE:
        break;
    }
}

static bool technician_info_event(const struct ui_event *event)
{
    bool back_key = event->kind == UI_EVENT_KEY && event->key == UI_KEY_BACK;
    enum widget_result r = widget_button_event(&technician.frame.back, event);
    if (back_key || r == WIDGET_ACTIVATED) {
        technician.view = TECH_VIEW_LIST;
        screen_request_redraw();
        return true;
    }
    if (r != WIDGET_IGNORED)
        return true;
    return widget_scrollview_event(&technician.info, event) != WIDGET_IGNORED;
}

static bool technician_event(const struct ui_event *event)
{
    if (technician.view == TECH_VIEW_UNIT_INFO)
        return technician_info_event(event);
    if (screen_frame_event(&technician.frame, event))
        return true;
    for (int i = 0; i < 2; i++) {
        struct widget_list *list = &technician.lists[i];
        if (list->row_count == 0)
            continue;
        enum widget_result r = widget_list_event(list, event);
        if (r == WIDGET_ACTIVATED)
            technician_act(technician.actions[technician.list_first_row[i] + list->chosen]);
        if (r != WIDGET_IGNORED)
            return true;
    }
    return false;
}

const struct screen screen_technician = {
    .name = "technician",
    .enter = technician_enter,
    .event = technician_event,
    .draw = technician_draw,
    .resume = technician_resume,
};
