/* 办不成事反映: a resident says what could not be done here — what kind of problem, what
 * happened in their own words (拼音 or 手写 on the keyboard), a phone if they want to be
 * called back — and it goes to the platform through the outbox (docs/platform-api.md §8),
 * delivered once even when the platform is down just now. What they typed is theirs: wiped
 * when they leave the screen or the session ends. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/core/clock.h"
#include "firmware/core/i18n.h"
#include "firmware/platform/outbox.h"
#include "firmware/platform/platform_json.h"
#include "screens/screen_frame.h"
#include "screens/screen_host.h"
#include "screens/screen_list.h"
#include "screens/semantic.h"
#include "screens/theme.h"
#include "firmware/gfx/text.h"
#include "screens/submission_status.h"
#include "screens/widgets/widget_button.h"
#include "screens/widgets/widget_field.h"
#include "screens/widgets/widget_keyboard.h"
#include "screens/widgets/widget_label.h"
#include "screens/widgets/widget_numpad.h"

#define REPORT_DESCRIPTION_MAX 1000 /* the platform's limit, in characters */
#define REPORT_CATEGORY_COUNT 4

static const struct {
    const char *code; /* docs/platform-api.md §8 */
    const char *label;
} report_categories[REPORT_CATEGORY_COUNT] = {
    { "cannot_find_item", N_("Cannot find the service") },
    { "cannot_finish_here", N_("Cannot finish it at this kiosk") },
    { "device_fault", N_("The kiosk does not work") },
    { "other", N_("Something else") },
};

enum report_editing { REPORT_EDIT_NONE, REPORT_EDIT_DESCRIPTION, REPORT_EDIT_PHONE };

static struct {
    struct screen_frame frame;
    struct submission_status sent; /* step NONE while the form is shown */
    enum report_editing editing;
    int category; /* -1 until chosen */
    char description[REPORT_DESCRIPTION_MAX * 4 + 1];
    char phone[16];
    struct widget_button category_button[REPORT_CATEGORY_COUNT];
    struct widget_field description_box, phone_box;
    struct widget_button submit, home, again;
    struct widget_keyboard keyboard;
    struct widget_numpad numpad;
} report;

static void report_wipe(void)
{
    widget_keyboard_reset(&report.keyboard);
    explicit_bzero(report.description, sizeof report.description);
    explicit_bzero(report.phone, sizeof report.phone);
}

static void report_enter(const void *arg)
{
    (void)arg;
    memset(&report, 0, sizeof report);
    report.category = -1;
    report.keyboard.typed_key = -1;
    /* Residents describe in Chinese: 拼音 first, 手写 for those who cannot type pinyin. */
    report.keyboard.modes = KEYBOARD_MODES_CHINESE;
    report.keyboard.mode = KEYBOARD_MODE_PINYIN;
}

static void report_exit(void)
{
    report_wipe();
}

/* A mobile number is 11 digits starting with 1; a Linyi landline with its area code
 * (0539 and 7 digits) is 11 digits too. */
static bool report_phone_valid(const char *phone)
{
    size_t n = strlen(phone);
    return n == 0 || (n == 11 && (phone[0] == '1' || phone[0] == '0'));
}

static int report_characters(const char *text)
{
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

static void report_submit(void)
{
    char when[64];
    struct tm local;
    time_t now = clock_wall_seconds();
    clock_local_time(now, app_config()->utc_offset_minutes, &local);
    int offset = app_config()->utc_offset_minutes;
    snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", local.tm_year + 1900, local.tm_mon + 1,
             local.tm_mday, local.tm_hour, local.tm_min, local.tm_sec, offset < 0 ? '-' : '+', abs(offset) / 60,
             abs(offset) % 60);
    size_t len = 0;
    char *body = platform_report_request(report_categories[report.category].code, NULL, report.description,
                                         report.phone[0] ? report.phone : NULL, when, &len);
    /* Until it is stored, what the resident typed stays here: a failure keeps it for 再试一次. */
    submission_status_submit(&report.sent, OUTBOX_REPORT, body, len);
    screen_request_redraw();
}

static void report_message(const struct msg *m)
{
    if (!submission_status_note(&report.sent, m))
        return;
    if (report.sent.stored)
        report_wipe(); /* sealed in the outbox now: not needed here */
    screen_request_redraw();
}

/* The field's box, drawn where the form's flow puts it. */
static int report_draw_field(struct render *render, struct widget_field *field, int x, int y, int w,
                             const char *caption, const char *value, const char *hint, bool editing, int lines)
{
    field->rect = (struct ui_rect){ x, y, w, 0 };
    field->caption = caption;
    field->value = value;
    field->hint = hint;
    field->editing = editing;
    field->lines = lines;
    return widget_field_draw(render, field);
}

static void report_draw_form(struct render *render, struct ui_rect content)
{
    const struct theme *t = theme_get();
    int y = content.y;
    /* While a field is edited it comes first, right under the title, so the keys below never
     * hide what is being typed (a short landscape panel in 长辈模式 has room for little else). */
    if (report.editing == REPORT_EDIT_NONE) {
        struct widget_label ask = { { content.x, y, content.w, 200 }, _("What went wrong?"),
                                    { t->text_body, TEXT_BOLD, t->text, TEXT_ALIGN_LEFT } };
        y += widget_label_draw(render, &ask) + t->space_s;
        const int columns = theme_elder_mode() ? 1 : 2;
        const int w = (content.w - (columns - 1) * t->space_s) / columns;
        for (int i = 0; i < REPORT_CATEGORY_COUNT; i++) {
            struct widget_button *b = &report.category_button[i];
            b->rect = (struct ui_rect){ content.x + (i % columns) * (w + t->space_s),
                                        y + (i / columns) * (t->touch_min + t->space_s), w, t->touch_min };
            b->text = _(report_categories[i].label);
            b->style = report.category == i ? BUTTON_PRIMARY : BUTTON_SECONDARY;
            widget_button_draw(render, b);
        }
        y += ((REPORT_CATEGORY_COUNT + columns - 1) / columns) * (t->touch_min + t->space_s) + t->space_s;
    } else {
        for (int i = 0; i < REPORT_CATEGORY_COUNT; i++)
            report.category_button[i].rect = (struct ui_rect){ 0, 0, 0, 0 };
    }
    report.description_box.box = report.phone_box.box = report.submit.rect = (struct ui_rect){ 0, 0, 0, 0 };
    if (report.editing != REPORT_EDIT_PHONE)
        y += report_draw_field(render, &report.description_box, content.x, y, content.w,
                               _("What happened? (in your own words)"), report.description,
                               _("Tap here and type in pinyin, or write with your finger"),
                               report.editing == REPORT_EDIT_DESCRIPTION, report.editing ? 2 : 3) +
             t->space_m;
    if (report.editing == REPORT_EDIT_DESCRIPTION) {
        int h = widget_keyboard_height_of(&report.keyboard, render->layout.width_du);
        report.keyboard.rect = (struct ui_rect){ 0, render->layout.height_du - h, render->layout.width_du, h };
        report.keyboard.echo = report.description_box.box.y + report.description_box.box.h > report.keyboard.rect.y;
        report.keyboard.text = report.description;
        report.keyboard.text_size = sizeof report.description;
        widget_keyboard_draw(render, &report.keyboard);
        return;
    }
    char phone_shown[32];
    snprintf(phone_shown, sizeof phone_shown, "%s", report.phone);
    y += report_draw_field(render, &report.phone_box, content.x, y, content.w,
                           _("Phone for a call back (you may leave it empty)"), phone_shown,
                           _("Tap here to enter a phone number"), report.editing == REPORT_EDIT_PHONE, 1) +
         t->space_s;
    explicit_bzero(phone_shown, sizeof phone_shown);
    if (!report_phone_valid(report.phone)) {
        struct widget_label warn = { { content.x, y, content.w, 200 },
                                     _("A mobile number has 11 digits starting with 1; a landline starts with its "
                                       "area code (0539…)."),
                                     { t->text_body, TEXT_REGULAR, t->danger, TEXT_ALIGN_LEFT } };
        y += widget_label_draw(render, &warn) + t->space_s;
    }
    if (report.editing == REPORT_EDIT_PHONE) {
        int h = widget_numpad_height();
        int bottom = render->layout.height_du - t->space_m;
        int top = y + t->space_s;
        if (bottom - top < h)
            top = bottom - h;
        report.numpad.rect = (struct ui_rect){ content.x, top, content.w, bottom - top < h ? h : bottom - top };
        report.numpad.text = report.phone;
        report.numpad.text_size = 13; /* 12 digits at most */
        widget_numpad_draw(render, &report.numpad);
        return;
    }
    report.submit.rect = (struct ui_rect){ content.x, y + t->space_m, content.w, t->touch_min };
    report.submit.text = _("Send the report");
    report.submit.style = BUTTON_PRIMARY;
    report.submit.disabled = report.category < 0 || !report.description[0] || !report_phone_valid(report.phone);
    widget_button_draw(render, &report.submit);
}

static void report_draw_result(struct render *render, struct ui_rect content)
{
    const struct theme *t = theme_get();
    char body[600] = "";
    const char *title;
    switch (report.sent.step) {
    case SUBMISSION_STEP_SENDING:
        title = _("Sending your report…");
        break;
    case SUBMISSION_STEP_DELIVERED:
        title = _("Thank you: your report has been received");
        snprintf(body, sizeof body, _("Report number: %s. The service centre follows up every report; if you left "
                                      "a phone number, they will call you."),
                 report.sent.answer_id);
        break;
    case SUBMISSION_STEP_WAITING:
        title = _("Your report is saved");
        snprintf(body, sizeof body, _("The platform cannot be reached just now. This kiosk sends your report by "
                                      "itself as soon as it can, once only. Kiosk reference: %s."),
                 report.sent.reference);
        break;
    default:
        title = _("Your report could not be sent");
        snprintf(body, sizeof body, _("%s Please tell the staff, or call the service phone %s."),
                 _(report.sent.problem), app_config()->service_phone);
        break;
    }
    struct widget_label heading = { { content.x, content.y, content.w, 300 }, title,
                                    { t->text_title, TEXT_BOLD, t->text, TEXT_ALIGN_LEFT } };
    int y = content.y + widget_label_draw(render, &heading) + t->space_m;
    if (body[0]) {
        struct widget_label text = { { content.x, y, content.w, 600 }, body,
                                     { t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_LEFT } };
        y += widget_label_draw(render, &text) + t->space_l;
    }
    report.again.rect = report.home.rect = (struct ui_rect){ 0, 0, 0, 0 };
    if (report.sent.step == SUBMISSION_STEP_FAILED && report.description[0]) {
        report.again.rect = (struct ui_rect){ content.x, y, content.w, t->touch_min };
        report.again.text = _("Try again");
        report.again.style = BUTTON_SECONDARY;
        widget_button_draw(render, &report.again);
        y += t->touch_min + t->space_m;
    }
    if (report.sent.step != SUBMISSION_STEP_SENDING) {
        report.home.rect = (struct ui_rect){ content.x, y, content.w, t->touch_min };
        report.home.text = _("Back to home");
        report.home.style = BUTTON_PRIMARY;
        widget_button_draw(render, &report.home);
    }
}

static void report_draw(struct render *render)
{
    struct ui_rect content = screen_frame_draw(render, &report.frame, _("Report what could not be done"));
    if (report.sent.step == SUBMISSION_STEP_NONE)
        report_draw_form(render, content);
    else
        report_draw_result(render, content);
}

static bool report_form_event(const struct ui_event *event)
{
    if (report.editing == REPORT_EDIT_DESCRIPTION) {
        enum widget_result r = widget_keyboard_event(&report.keyboard, event);
        if (r == WIDGET_ACTIVATED) {
            report.editing = REPORT_EDIT_NONE;
            /* The platform takes 1000 characters: more are cut at a whole character. */
            while (report_characters(report.description) > REPORT_DESCRIPTION_MAX) {
                size_t n = strlen(report.description);
                while (n > 0 && ((unsigned char)report.description[n - 1] & 0xC0) == 0x80)
                    n--;
                report.description[n ? n - 1 : 0] = '\0';
            }
        }
        if (r != WIDGET_IGNORED) {
            screen_request_redraw();
            return true;
        }
    }
    if (report.editing == REPORT_EDIT_PHONE) {
        enum widget_result r = widget_numpad_event(&report.numpad, event);
        if (r == WIDGET_ACTIVATED)
            report.editing = REPORT_EDIT_NONE;
        if (r != WIDGET_IGNORED) {
            screen_request_redraw();
            return true;
        }
    }
    for (int i = 0; i < REPORT_CATEGORY_COUNT; i++) {
        enum widget_result r = widget_button_event(&report.category_button[i], event);
        if (r == WIDGET_ACTIVATED) {
            report.category = i;
            screen_request_redraw();
        }
        if (r != WIDGET_IGNORED)
            return true;
    }
    enum widget_result r = widget_field_event(&report.description_box, event);
    if (r == WIDGET_ACTIVATED) {
        report.editing = REPORT_EDIT_DESCRIPTION;
        screen_request_redraw();
    }
    if (r != WIDGET_IGNORED)
        return true;
    if (report.editing != REPORT_EDIT_DESCRIPTION) {
        r = widget_field_event(&report.phone_box, event);
        if (r == WIDGET_ACTIVATED) {
            report.editing = REPORT_EDIT_PHONE;
            screen_request_redraw();
        }
        if (r != WIDGET_IGNORED)
            return true;
    }
    if (report.editing == REPORT_EDIT_NONE) {
        r = widget_button_event(&report.submit, event);
        if (r == WIDGET_ACTIVATED)
            report_submit();
        return r != WIDGET_IGNORED;
    }
    return false;
}

static bool report_event(const struct ui_event *event)
{
    if (screen_frame_event(&report.frame, event))
        return true;
    if (report.sent.step == SUBMISSION_STEP_NONE)
        return report_form_event(event);
    enum widget_result r = widget_button_event(&report.again, event);
    if (r == WIDGET_ACTIVATED) {
        report.sent.step = SUBMISSION_STEP_NONE;
        screen_request_redraw();
    }
    if (r != WIDGET_IGNORED)
        return true;
    r = widget_button_event(&report.home, event);
    if (r == WIDGET_ACTIVATED)
        app_end_session(SESSION_END_DONE);
    return r != WIDGET_IGNORED;
}

const struct screen screen_report = {
    .name = "report",
    .enter = report_enter,
    .exit = report_exit,
    .event = report_event,
    .draw = report_draw,
    .message = report_message,
};
