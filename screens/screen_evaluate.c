/* 好差评: a resident rates the service — five levels, what went wrong for the lowest two
 * (the national 好差评 reasons), a comment if they wish (拼音 or 手写), and for a low rating
 * whether the service centre may call them back (整改回访). Sent through the outbox
 * (docs/platform-api.md §7) with the item, the channel (自助端) and the unit. One tap skips
 * it; nothing here keeps a resident from leaving. From the home tile it also leads to
 * 办不成事反映. What was typed is wiped when the screen is left or the session ends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/core/clock.h"
#include "firmware/core/i18n.h"
#include "firmware/platform/outbox.h"
#include "firmware/platform/platform_json.h"
#include "screens/screen_evaluate.h"
#include "screens/screen_frame.h"
#include "screens/screen_host.h"
#include "screens/screen_list.h"
#include "screens/submission_status.h"
#include "screens/theme.h"
#include "screens/widgets/widget_button.h"
#include "screens/widgets/widget_field.h"
#include "screens/widgets/widget_keyboard.h"
#include "screens/widgets/widget_label.h"
#include "screens/widgets/widget_numpad.h"

#define EVALUATE_LEVELS 5
#define EVALUATE_REASONS 7
#define EVALUATE_COMMENT_MAX 500 /* the platform's limit, in characters */

/* Best first, as a resident reads down the list; level is the platform's 1..5. */
static const struct {
    int level;
    const char *label;
} evaluate_levels[EVALUATE_LEVELS] = {
    { 5, N_("Very satisfied") }, { 4, N_("Satisfied") },       { 3, N_("Fairly satisfied") },
    { 2, N_("Dissatisfied") },   { 1, N_("Very dissatisfied") },
};

/* What went wrong, for 不满意 and 非常不满意 (the national 好差评 list, as the platform takes it). */
static const char *const evaluate_reasons[EVALUATE_REASONS] = {
    "办事流程不清晰", "等待时间长", "设备故障", "办事指南不准确", "操作太复杂", "未能一次办成", "其他",
};

enum evaluate_editing { EVALUATE_EDIT_NONE, EVALUATE_EDIT_COMMENT, EVALUATE_EDIT_PHONE };

static struct {
    struct screen_frame frame;
    struct submission_status sent;
    char item_code[64];  /* the service rated; "" from the home tile */
    char item_name[256];
    bool from_service;   /* pushed by a finished service: leaving goes back to it */
    int level_index;     /* -1 until chosen: the first page */
    bool reason_ticked[EVALUATE_REASONS];
    bool callback;       /* the resident agrees to be called back */
    enum evaluate_editing editing;
    char comment[EVALUATE_COMMENT_MAX * 4 + 1];
    char phone[16];
    struct widget_button level_button[EVALUATE_LEVELS], reason_button[EVALUATE_REASONS];
    struct widget_button callback_button, submit, skip, change, report, home;
    struct widget_field comment_field, phone_field;
    struct widget_keyboard keyboard;
    struct widget_numpad numpad;
} evaluate;

static void evaluate_wipe(void)
{
    widget_keyboard_reset(&evaluate.keyboard);
    explicit_bzero(evaluate.comment, sizeof evaluate.comment);
    explicit_bzero(evaluate.phone, sizeof evaluate.phone);
}

static void evaluate_enter(const void *arg)
{
    const struct evaluate_subject *subject = arg;
    memset(&evaluate, 0, sizeof evaluate);
    evaluate.level_index = -1;
    if (subject) {
        evaluate.from_service = true;
        snprintf(evaluate.item_code, sizeof evaluate.item_code, "%s", subject->item_code);
        /* A catalogue item's own name, or a service's English msgid (证照打印). */
        snprintf(evaluate.item_name, sizeof evaluate.item_name, "%s", _(subject->item_name));
    }
    evaluate.keyboard.typed_key = -1;
    evaluate.keyboard.modes = KEYBOARD_MODES_CHINESE;
    evaluate.keyboard.mode = KEYBOARD_MODE_PINYIN;
}

static void evaluate_exit(void)
{
    evaluate_wipe();
}

static bool evaluate_low(void)
{
    return evaluate.level_index >= 0 && evaluate_levels[evaluate.level_index].level <= 2;
}

static bool evaluate_phone_ok(void)
{
    size_t n = strlen(evaluate.phone);
    return !evaluate_low() || !evaluate.callback ||
           (n == 11 && (evaluate.phone[0] == '1' || evaluate.phone[0] == '0'));
}

static void evaluate_submit(void)
{
    const char *options[EVALUATE_REASONS];
    size_t option_count = 0;
    for (int i = 0; evaluate_low() && i < EVALUATE_REASONS; i++)
        if (evaluate.reason_ticked[i])
            options[option_count++] = evaluate_reasons[i];
    char when[64];
    struct tm local;
    const int offset = app_config()->utc_offset_minutes;
    clock_local_time(clock_wall_seconds(), offset, &local);
    snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", local.tm_year + 1900, local.tm_mon + 1,
             local.tm_mday, local.tm_hour, local.tm_min, local.tm_sec, offset < 0 ? '-' : '+', abs(offset) / 60,
             abs(offset) % 60);
    size_t len = 0;
    const bool call_back = evaluate_low() && evaluate.callback && evaluate.phone[0];
    char *body = platform_evaluation_request(evaluate_levels[evaluate.level_index].level, evaluate.item_code, options,
                                             option_count, evaluate.comment, call_back ? evaluate.phone : NULL, when,
                                             &len);
    submission_status_submit(&evaluate.sent, OUTBOX_EVALUATION, body, len);
    screen_request_redraw();
}

static void evaluate_message(const struct msg *m)
{
    if (!submission_status_note(&evaluate.sent, m))
        return;
    if (evaluate.sent.stored)
        evaluate_wipe();
    screen_request_redraw();
}

static int evaluate_button_row(struct render *render, struct widget_button *b, struct ui_rect r, const char *text,
                               enum widget_button_style style)
{
    b->rect = r;
    b->text = text;
    b->style = style;
    widget_button_draw(render, b);
    return r.h + theme_get()->space_s;
}

/* The first page: how was it? */
static void evaluate_draw_levels(struct render *render, struct ui_rect content)
{
    const struct theme *t = theme_get();
    char question[400];
    if (evaluate.item_name[0])
        snprintf(question, sizeof question, _("How satisfied are you with 「%s」?"), evaluate.item_name);
    else
        snprintf(question, sizeof question, "%s", _("How satisfied are you with the service today?"));
    struct widget_label ask = { { content.x, content.y, content.w, 300 }, question,
                                { t->text_title, TEXT_BOLD, t->text, TEXT_ALIGN_LEFT } };
    int y = content.y + widget_label_draw(render, &ask) + t->space_m;
    for (int i = 0; i < EVALUATE_LEVELS; i++)
        y += evaluate_button_row(render, &evaluate.level_button[i], (struct ui_rect){ content.x, y, content.w, t->touch_min },
                                 _(evaluate_levels[i].label), BUTTON_SECONDARY);
    y += t->space_m;
    y += evaluate_button_row(render, &evaluate.skip, (struct ui_rect){ content.x, y, content.w, t->touch_min },
                             _("Skip"), BUTTON_SECONDARY);
    evaluate.report.rect = (struct ui_rect){ 0, 0, 0, 0 };
    if (!evaluate.from_service)
        evaluate_button_row(render, &evaluate.report, (struct ui_rect){ content.x, y, content.w, t->touch_min },
                            _("Something could not be done? Report it"), BUTTON_SECONDARY);
}

static void evaluate_draw_details(struct render *render, struct ui_rect content)
{
    const struct theme *t = theme_get();
    int y = content.y;
    const bool editing = evaluate.editing != EVALUATE_EDIT_NONE;
    for (int i = 0; i < EVALUATE_REASONS; i++)
        evaluate.reason_button[i].rect = (struct ui_rect){ 0, 0, 0, 0 };
    evaluate.callback_button.rect = evaluate.change.rect = evaluate.submit.rect = (struct ui_rect){ 0, 0, 0, 0 };
    evaluate.comment_field.box = evaluate.phone_field.box = (struct ui_rect){ 0, 0, 0, 0 };
    if (!editing) {
        char chosen[200];
        snprintf(chosen, sizeof chosen, _("Your rating: %s"), _(evaluate_levels[evaluate.level_index].label));
        const int change_w = theme_elder_mode() ? 300 : 240;
        struct widget_label label = { { content.x, y, content.w - change_w - t->space_s, t->touch_min }, chosen,
                                      { t->text_title, TEXT_BOLD, t->text, TEXT_ALIGN_LEFT } };
        widget_label_draw(render, &label);
        evaluate_button_row(render, &evaluate.change,
                            (struct ui_rect){ content.x + content.w - change_w, y, change_w, t->touch_min }, _("Change"),
                            BUTTON_SECONDARY);
        y += t->touch_min + t->space_m;
        if (evaluate_low()) {
            struct widget_label ask = { { content.x, y, content.w, 200 }, _("What went wrong? (tick any)"),
                                        { t->text_body, TEXT_BOLD, t->text, TEXT_ALIGN_LEFT } };
            y += widget_label_draw(render, &ask) + t->space_s;
            const int columns = 2; /* short words: two columns even in 长辈模式, so all fit */
            const int w = (content.w - (columns - 1) * t->space_s) / columns;
            for (int i = 0; i < EVALUATE_REASONS; i++)
                evaluate_button_row(render, &evaluate.reason_button[i],
                                    (struct ui_rect){ content.x + (i % columns) * (w + t->space_s),
                                                      y + (i / columns) * (t->touch_min + t->space_s), w, t->touch_min },
                                    evaluate_reasons[i], evaluate.reason_ticked[i] ? BUTTON_PRIMARY : BUTTON_SECONDARY);
            y += ((EVALUATE_REASONS + columns - 1) / columns) * (t->touch_min + t->space_s) + t->space_s;
            y += evaluate_button_row(render, &evaluate.callback_button,
                                     (struct ui_rect){ content.x, y, content.w, t->touch_min },
                                     evaluate.callback ? _("✓ The service centre may call me back")
                                                       : _("The service centre may call me back"),
                                     evaluate.callback ? BUTTON_PRIMARY : BUTTON_SECONDARY);
        }
    }
    if (evaluate.editing != EVALUATE_EDIT_PHONE) {
        evaluate.comment_field = (struct widget_field){ .rect = { content.x, y, content.w, 0 },
                                                        .caption = _("Anything else to say? (you may leave it empty)"),
                                                        .value = evaluate.comment,
                                                        .hint = _("Tap here and type in pinyin, or write with your finger"),
                                                        .lines = 2,
                                                        .editing = evaluate.editing == EVALUATE_EDIT_COMMENT,
                                                        .press = evaluate.comment_field.press };
        y += widget_field_draw(render, &evaluate.comment_field) + t->space_m;
    }
    if (evaluate.editing == EVALUATE_EDIT_COMMENT) {
        int h = widget_keyboard_height_of(&evaluate.keyboard, render->layout.width_du);
        evaluate.keyboard.rect = (struct ui_rect){ 0, render->layout.height_du - h, render->layout.width_du, h };
        evaluate.keyboard.echo = evaluate.comment_field.box.y + evaluate.comment_field.box.h > evaluate.keyboard.rect.y;
        evaluate.keyboard.text = evaluate.comment;
        evaluate.keyboard.text_size = sizeof evaluate.comment;
        widget_keyboard_draw(render, &evaluate.keyboard);
        return;
    }
    if (evaluate_low() && evaluate.callback) {
        evaluate.phone_field = (struct widget_field){ .rect = { content.x, y, content.w, 0 },
                                                      .caption = _("Your phone number for the call back"),
                                                      .value = evaluate.phone,
                                                      .hint = _("Tap here to enter a phone number"),
                                                      .lines = 1,
                                                      .editing = evaluate.editing == EVALUATE_EDIT_PHONE,
                                                      .press = evaluate.phone_field.press };
        y += widget_field_draw(render, &evaluate.phone_field) + t->space_m;
    }
    if (evaluate.editing == EVALUATE_EDIT_PHONE) {
        int h = widget_numpad_height();
        evaluate.numpad.rect = (struct ui_rect){ content.x, render->layout.height_du - h - t->space_m, content.w, h };
        evaluate.numpad.text = evaluate.phone;
        evaluate.numpad.text_size = 12; /* 11 digits */
        widget_numpad_draw(render, &evaluate.numpad);
        return;
    }
    const int half = (content.w - t->space_s) / 2;
    evaluate_button_row(render, &evaluate.skip, (struct ui_rect){ content.x, y, half, t->touch_min }, _("Skip"),
                        BUTTON_SECONDARY);
    evaluate.submit.disabled = !evaluate_phone_ok();
    evaluate_button_row(render, &evaluate.submit, (struct ui_rect){ content.x + half + t->space_s, y, half, t->touch_min },
                        _("Send the rating"), BUTTON_PRIMARY);
}

static void evaluate_draw_result(struct render *render, struct ui_rect content)
{
    const struct theme *t = theme_get();
    char body[400] = "";
    const char *title;
    switch (evaluate.sent.step) {
    case SUBMISSION_STEP_SENDING:
        title = _("Sending your rating…");
        break;
    case SUBMISSION_STEP_DELIVERED:
        title = _("Thank you for your rating");
        snprintf(body, sizeof body, _("Rating number: %s."), evaluate.sent.answer_id);
        break;
    case SUBMISSION_STEP_WAITING:
        title = _("Thank you for your rating");
        snprintf(body, sizeof body,
                 _("The platform cannot be reached just now: this kiosk sends your rating by itself as soon as it can."));
        break;
    default:
        title = _("Your rating could not be sent");
        snprintf(body, sizeof body, "%s", _(evaluate.sent.problem));
        break;
    }
    struct widget_label heading = { { content.x, content.y, content.w, 300 }, title,
                                    { t->text_title, TEXT_BOLD, t->text, TEXT_ALIGN_LEFT } };
    int y = content.y + widget_label_draw(render, &heading) + t->space_m;
    if (body[0]) {
        struct widget_label text = { { content.x, y, content.w, 400 }, body,
                                     { t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_LEFT } };
        y += widget_label_draw(render, &text) + t->space_l;
    }
    evaluate.home.rect = (struct ui_rect){ 0, 0, 0, 0 };
    if (evaluate.sent.step != SUBMISSION_STEP_SENDING)
        evaluate_button_row(render, &evaluate.home, (struct ui_rect){ content.x, y, content.w, t->touch_min },
                            _("Back to home"), BUTTON_PRIMARY);
}

static void evaluate_draw(struct render *render)
{
    struct ui_rect content = screen_frame_draw(render, &evaluate.frame, _("Rate the service"));
    if (evaluate.sent.step != SUBMISSION_STEP_NONE)
        evaluate_draw_result(render, content);
    else if (evaluate.level_index < 0)
        evaluate_draw_levels(render, content);
    else
        evaluate_draw_details(render, content);
}

/* Skipping or finishing: back where the resident was going (home, or the service's screen). */
static void evaluate_leave(void)
{
    if (evaluate.from_service)
        screen_manager_pop();
    else
        screen_manager_pop_to_root();
}

static bool evaluate_button(struct widget_button *b, const struct ui_event *event, bool *activated)
{
    enum widget_result r = widget_button_event(b, event);
    *activated = r == WIDGET_ACTIVATED;
    return r != WIDGET_IGNORED;
}

static bool evaluate_editing_event(const struct ui_event *event)
{
    enum widget_result r = evaluate.editing == EVALUATE_EDIT_COMMENT ? widget_keyboard_event(&evaluate.keyboard, event)
                                                                     : widget_numpad_event(&evaluate.numpad, event);
    if (r == WIDGET_ACTIVATED)
        evaluate.editing = EVALUATE_EDIT_NONE;
    if (r != WIDGET_IGNORED)
        screen_request_redraw();
    return r != WIDGET_IGNORED;
}

static bool evaluate_details_event(const struct ui_event *event)
{
    bool hit;
    if (evaluate.editing != EVALUATE_EDIT_NONE && evaluate_editing_event(event))
        return true;
    if (evaluate.editing == EVALUATE_EDIT_NONE) {
        for (int i = 0; i < EVALUATE_REASONS; i++)
            if (evaluate_button(&evaluate.reason_button[i], event, &hit)) {
                if (hit)
                    evaluate.reason_ticked[i] = !evaluate.reason_ticked[i];
                screen_request_redraw();
                return true;
            }
        if (evaluate_button(&evaluate.callback_button, event, &hit)) {
            if (hit)
                evaluate.callback = !evaluate.callback;
            screen_request_redraw();
            return true;
        }
        if (evaluate_button(&evaluate.change, event, &hit)) {
            if (hit)
                evaluate.level_index = -1;
            screen_request_redraw();
            return true;
        }
        if (evaluate_button(&evaluate.submit, event, &hit)) {
            if (hit)
                evaluate_submit();
            return true;
        }
        if (evaluate_button(&evaluate.skip, event, &hit)) {
            if (hit)
                evaluate_leave();
            return true;
        }
    }
    enum widget_result r = widget_field_event(&evaluate.comment_field, event);
    if (r == WIDGET_ACTIVATED)
        evaluate.editing = EVALUATE_EDIT_COMMENT;
    if (r == WIDGET_IGNORED && evaluate.editing != EVALUATE_EDIT_COMMENT) {
        r = widget_field_event(&evaluate.phone_field, event);
        if (r == WIDGET_ACTIVATED)
            evaluate.editing = EVALUATE_EDIT_PHONE;
    }
    if (r != WIDGET_IGNORED)
        screen_request_redraw();
    return r != WIDGET_IGNORED;
}

static bool evaluate_event(const struct ui_event *event)
{
    bool hit;
    if (screen_frame_event(&evaluate.frame, event))
        return true;
    if (evaluate.sent.step != SUBMISSION_STEP_NONE) {
        if (!evaluate_button(&evaluate.home, event, &hit))
            return false;
        if (hit)
            evaluate_leave();
        return true;
    }
    if (evaluate.level_index >= 0)
        return evaluate_details_event(event);
    for (int i = 0; i < EVALUATE_LEVELS; i++)
        if (evaluate_button(&evaluate.level_button[i], event, &hit)) {
            if (hit) {
                evaluate.level_index = i;
                screen_request_redraw();
            }
            return true;
        }
    if (evaluate_button(&evaluate.skip, event, &hit)) {
        if (hit)
            evaluate_leave();
        return true;
    }
    if (evaluate_button(&evaluate.report, event, &hit)) {
        if (hit)
            screen_manager_push(SCREEN_report, NULL);
        return true;
    }
    return false;
}

const struct screen screen_evaluate = {
    .name = "evaluate",
    .enter = evaluate_enter,
    .exit = evaluate_exit,
    .event = evaluate_event,
    .draw = evaluate_draw,
    .message = evaluate_message,
};
