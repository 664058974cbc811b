/* Out of service: shown as the root screen when the unit cannot serve residents (a required
 * device missing, or a technician's maintenance). Says why, what to do, and whom to call. */
#include <stdio.h>

#include "screens/screen_host.h"
#include "firmware/core/i18n.h"
#include "screens/screen_list.h"
#include "screens/theme.h"
#include "screens/widgets/widget_button.h"
#include "screens/widgets/widget_label.h"

static struct widget_button out_of_service_staff;

static void out_of_service_enter(const void *arg)
{
    (void)arg;
    out_of_service_staff = (struct widget_button){ 0 };
}

static void out_of_service_draw(struct render *render)
{
    const struct theme *t = theme_get();
    const struct layout *l = &render->layout;
    render_clear(render, t->background);
    int width = l->width_du - 2 * t->margin;
    int y = l->height_du / 5;
    struct widget_label title = { { t->margin, y, width, 300 }, _("This kiosk is temporarily out of service"),
                                  { t->text_display, TEXT_BOLD, t->danger, TEXT_ALIGN_CENTER } };
    y += widget_label_draw(render, &title) + t->space_l;
    const char *reason = app_out_of_service_reason();
    struct widget_label why = { { t->margin, y, width, 300 }, reason ? reason : "",
                                { t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_CENTER } };
    y += widget_label_draw(render, &why) + t->space_l;
    char advice[512];
    snprintf(advice, sizeof advice,
             _("Please use another kiosk, the iShandong app, or a service window during office hours. "
               "Service phone: %s"),
             app_config()->service_phone);
    struct widget_label what = { { t->margin, y, width, 400 }, advice,
                                 { t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_CENTER } };
    widget_label_draw(render, &what);
    char unit[128];
    snprintf(unit, sizeof unit, _("Unit %s"), app_config()->unit_id);
    struct widget_label unit_label = { { t->margin, l->height_du - t->margin - t->touch_min - 100, width, 80 }, unit,
                                       { t->text_caption, TEXT_REGULAR, t->text_muted, TEXT_ALIGN_CENTER } };
    widget_label_draw(render, &unit_label);
    int w = theme_elder_mode() ? 320 : 260;
    out_of_service_staff.rect = (struct ui_rect){ (l->width_du - w) / 2, l->height_du - t->margin - t->touch_min, w,
                                                  t->touch_min };
    out_of_service_staff.text = _("Staff");
    out_of_service_staff.style = BUTTON_SECONDARY;
    widget_button_draw(render, &out_of_service_staff);
}

static bool out_of_service_event(const struct ui_event *event)
{
    enum widget_result r = widget_button_event(&out_of_service_staff, event);
    if (r == WIDGET_ACTIVATED)
        screen_manager_push(SCREEN_staff_login, NULL);
    return r != WIDGET_IGNORED;
}

const struct screen screen_out_of_service = {
    .name = "out_of_service",
    .enter = out_of_service_enter,
    .event = out_of_service_event,
    .draw = out_of_service_draw,
    .resume = NULL,
};
