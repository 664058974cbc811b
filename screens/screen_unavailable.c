/* A service this unit does not offer yet: say so plainly and say where it can be done. */
#include <stdio.h>
#include <string.h>

#include "screens/screen_host.h"
#include "firmware/core/i18n.h"
#include "screens/screen_frame.h"
#include "screens/screen_list.h"
#include "screens/theme.h"
#include "screens/widgets/widget_label.h"

static struct {
    struct screen_frame frame;
    const char *service; /* English msgid of the service's name */
    struct widget_button done;
} unavailable;

static void unavailable_enter(const void *arg)
{
    memset(&unavailable, 0, sizeof unavailable);
    unavailable.service = arg ? arg : N_("This service");
}

static void unavailable_draw(struct render *render)
{
    const struct theme *t = theme_get();
    struct ui_rect content = screen_frame_draw(render, &unavailable.frame, _(unavailable.service));
    char message[512];
    snprintf(message, sizeof message,
             _("This kiosk does not offer this service yet. You can use it in the iShandong app, or at a "
               "service window of the government service centre during office hours. Service phone: %s."),
             app_config()->service_phone);
    struct widget_label title = { { content.x, content.y, content.w, 200 }, _("Not available at this kiosk yet"),
                                  { t->text_title, TEXT_BOLD, t->text, TEXT_ALIGN_LEFT } };
    int y = content.y + widget_label_draw(render, &title) + t->space_m;
    struct widget_label body = { { content.x, y, content.w, 600 }, message,
                                 { t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_LEFT } };
    y += widget_label_draw(render, &body) + t->space_l;
    unavailable.done.rect = (struct ui_rect){ content.x, y, content.w, t->touch_min };
    unavailable.done.text = _("Back to home");
    unavailable.done.style = BUTTON_PRIMARY;
    widget_button_draw(render, &unavailable.done);
}

static bool unavailable_event(const struct ui_event *event)
{
    if (screen_frame_event(&unavailable.frame, event))
        return true;
    enum widget_result r = widget_button_event(&unavailable.done, event);
    if (r == WIDGET_ACTIVATED)
        screen_manager_pop_to_root();
    return r != WIDGET_IGNORED;
}

const struct screen screen_unavailable = {
    .name = "unavailable",
    .enter = unavailable_enter,
    .event = unavailable_event,
    .draw = unavailable_draw,
};
