/* 证照打印 after the resident has identified: greets them by their masked name and says
 * plainly what this kiosk can do for them today. The licence list and printing arrive with
 * the certificate printer and platform issues; until then nothing is pretended. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "idcard_record.h"
#include "i18n.h"
#include "identity.h"
#include "screen_frame.h"
#include "screen_list.h"
#include "theme.h"
#include "widget_button.h"
#include "widget_label.h"

static struct {
    struct screen_frame frame;
    struct widget_button finish;
} licences;

static void licences_enter(const void *arg)
{
    (void)arg;
    memset(&licences, 0, sizeof licences);
    licences.frame.show_home = true;
}

static void licences_draw(struct render *render)
{
    const struct theme *t = theme_get();
    struct ui_rect content = screen_frame_draw(render, &licences.frame, _("Print licences"));
    const struct idcard_record *record = identity_current();
    char name[128] = "", id[64] = "", greeting[256], who[256];
    if (record) {
        /* Masked even on screen: the person behind the resident may be reading too. */
        idcard_mask_name(record->name[0] ? record->name : record->name_en, name, sizeof name);
        idcard_mask_id(record->id_number, id, sizeof id);
    }
    snprintf(greeting, sizeof greeting, _("Hello, %s."), name);
    snprintf(who, sizeof who, _("Your identity has been checked (ID number %s)."), id);
    int y = content.y;
    struct widget_label hello = { { content.x, y, content.w, 200 }, greeting,
                                  { t->text_title, TEXT_BOLD, t->text, TEXT_ALIGN_LEFT } };
    y += widget_label_draw(render, &hello) + t->space_s;
    struct widget_label checked = { { content.x, y, content.w, 200 }, who,
                                    { t->text_body, TEXT_REGULAR, t->success, TEXT_ALIGN_LEFT } };
    y += widget_label_draw(render, &checked) + t->space_l;
    struct widget_label body = { { content.x, y, content.w, 600 },
                                 _("This kiosk cannot print electronic licences yet. You can show them in the "
                                   "iShandong app, or print them at a service window during office hours."),
                                 { t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_LEFT } };
    y += widget_label_draw(render, &body) + t->space_l;
    licences.finish.rect = (struct ui_rect){ content.x, y, content.w, t->touch_min };
    licences.finish.text = _("Finish and clear my information");
    licences.finish.style = BUTTON_PRIMARY;
    widget_button_draw(render, &licences.finish);
}

static bool licences_event(const struct ui_event *event)
{
    if (screen_frame_event(&licences.frame, event))
        return true;
    enum widget_result r = widget_button_event(&licences.finish, event);
    if (r == WIDGET_ACTIVATED)
        app_end_session(SESSION_END_DONE);
    return r != WIDGET_IGNORED;
}

const struct screen screen_licences = {
    .name = "licences",
    .enter = licences_enter,
    .event = licences_event,
    .draw = licences_draw,
};
