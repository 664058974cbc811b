/* 请将身份证放在感应区: the step before any service that needs the resident's identity.
 * A slow two-step animation shows where the card goes; a read moves on to the service;
 * every failure says in plain words what happened and what to do now. */
#include <stdio.h>
#include <string.h>

#include "screens/screen_host.h"
#include "firmware/core/clock.h"
#include "firmware/core/i18n.h"
#include "firmware/session/identity.h"
#include "screens/screen_frame.h"
#include "screens/screen_list.h"
#include "screens/semantic.h"
#include "firmware/gfx/text.h"
#include "screens/theme.h"
#include "firmware/core/timer.h"
#include "screens/widgets/widget_button.h"
#include "screens/widgets/widget_label.h"

/* Long enough for someone to find the card in a bag; then say why nothing happens. */
#define ID_CARD_WAIT_SECONDS 60

enum id_card_state { ID_CARD_WAITING, ID_CARD_FAILED, ID_CARD_EXPIRED, ID_CARD_TIMED_OUT };

static struct {
    struct screen_frame frame;
    int next_screen;          /* where a read leads */
    enum id_card_state state;
    char failure_msgid[96];   /* English msgid from the reader worker */
    int animation_step;       /* 0 card above the reader, 1 card on it */
    int seconds_waited;
    struct widget_button retry;
} id_card;

static void id_card_tick(void *ctx);

static void id_card_arm_tick(void)
{
    timer_set(TIMER_SCREEN, clock_now_ms() + 1000, id_card_tick, NULL);
}

/* Once a second: the next animation step, and the waiting time. Slow on purpose: a
 * gentle movement shows where the card goes; nothing blinks. */
static void id_card_tick(void *ctx)
{
    (void)ctx;
    if (id_card.state != ID_CARD_WAITING)
        return;
    id_card.animation_step ^= 1;
    if (++id_card.seconds_waited >= ID_CARD_WAIT_SECONDS) {
        id_card.state = ID_CARD_TIMED_OUT;
    } else {
        id_card_arm_tick();
    }
    screen_request_redraw();
}

static void id_card_wait_again(void)
{
    id_card.state = ID_CARD_WAITING;
    id_card.seconds_waited = 0;
    id_card.animation_step = 0;
    id_card_arm_tick();
    screen_request_redraw();
}

static void id_card_enter(const void *arg)
{
    memset(&id_card, 0, sizeof id_card);
    id_card.next_screen = arg ? *(const int *)arg : SCREEN_licences;
    id_card.frame.show_home = true;
    id_card_wait_again();
}

static void id_card_exit(void)
{
    timer_cancel(TIMER_SCREEN);
}

/* The reader and a card, drawn: the card hovers above the reader, then lies on it. */
static void id_card_draw_picture(struct render *render, struct ui_rect area)
{
    const struct theme *t = theme_get();
    int reader_w = area.w * 3 / 5, reader_h = area.h * 2 / 5;
    struct ui_rect reader = { area.x + (area.w - reader_w) / 2, area.y + area.h - reader_h, reader_w, reader_h };
    render_fill_round_rect(render, reader, t->radius, t->text_muted);
    struct ui_rect pad = ui_rect_inset(reader, t->space_m);
    render_fill_round_rect(render, pad, t->radius / 2, t->surface_pressed);
    struct text_style pad_style = { t->text_body, TEXT_BOLD, t->text, TEXT_ALIGN_CENTER };
    int pad_line = text_line_height_du(render, &pad_style);
    text_draw(render, &pad_style, (struct ui_rect){ pad.x, pad.y + pad.h - pad_line - t->space_s, pad.w, pad_line },
              _("Reader"));

    int card_w = pad.w * 4 / 5, card_h = card_w * 54 / 86; /* an ID card is 85.6 x 54 mm */
    int lying_y = pad.y + (pad.h - pad_line - card_h) / 2;
    int card_y = id_card.animation_step ? lying_y : area.y;
    struct ui_rect card = { pad.x + (pad.w - card_w) / 2, card_y, card_w, card_h };
    render_fill_round_rect(render, card, t->radius / 2, t->primary);
    struct text_style card_style = { t->text_button, TEXT_BOLD, t->on_primary, TEXT_ALIGN_CENTER };
    int card_line = text_line_height_du(render, &card_style);
    text_draw(render, &card_style, (struct ui_rect){ card.x, card.y + (card.h - card_line) / 2, card.w, card_line },
              _("ID card"));
}

static const char *id_card_message(void)
{
    if (!app_device_present(DEVICE_IDCARD_READER))
        return _("The card reader is out of order. Please ask staff for help.");
    switch (id_card.state) {
    case ID_CARD_FAILED:
        return _(id_card.failure_msgid);
    case ID_CARD_EXPIRED:
        return _("This ID card has expired. Please renew it at a police service window; this kiosk cannot use it.");
    case ID_CARD_TIMED_OUT:
        return _("No ID card was found. Lay your card flat on the reader and try again.");
    default:
        return NULL;
    }
}

static void id_card_draw(struct render *render)
{
    const struct theme *t = theme_get();
    struct ui_rect content = screen_frame_draw(render, &id_card.frame, _("Identify with your ID card"));
    struct widget_label title = { { content.x, content.y, content.w, 300 }, _("Please place your ID card on the reader."),
                                  { t->text_title, TEXT_BOLD, t->text, TEXT_ALIGN_CENTER } };
    int y = content.y + widget_label_draw(render, &title) + t->space_s;
    struct widget_label hint = { { content.x, y, content.w, 300 },
                                 _("Lay it flat, photo side up, and keep it still until the next screen opens."),
                                 { t->text_body, TEXT_REGULAR, t->text_muted, TEXT_ALIGN_CENTER } };
    y += widget_label_draw(render, &hint) + t->space_l;

    const char *problem = id_card_message();
    int bottom = content.y + content.h;
    if (problem) {
        /* what happened, what to do now, and a way to try again */
        bottom -= t->touch_min;
        id_card.retry.rect = (struct ui_rect){ content.x, bottom, content.w, t->touch_min };
        id_card.retry.text = _("Try again");
        id_card.retry.style = BUTTON_PRIMARY;
        id_card.retry.disabled = !app_device_present(DEVICE_IDCARD_READER);
        widget_button_draw(render, &id_card.retry);
        struct text_style style = { t->text_body, TEXT_BOLD, t->danger, TEXT_ALIGN_CENTER };
        int h = text_height_du(render, &style, content.w - 2 * t->space_m, problem) + 2 * t->space_m;
        bottom -= t->space_m + h;
        struct ui_rect box = { content.x, bottom, content.w, h };
        render_fill_round_rect(render, box, t->radius, t->surface);
        render_stroke_round_rect(render, box, t->radius, t->stroke, t->danger);
        struct widget_label label = { ui_rect_inset(box, t->space_m), problem, style };
        widget_label_draw(render, &label);
        bottom -= t->space_l;
    }
    int picture_h = bottom - y;
    if (picture_h > 900)
        picture_h = 900;
    if (picture_h > 200)
        id_card_draw_picture(render, (struct ui_rect){ content.x, y, content.w, picture_h });
}

static bool id_card_event(const struct ui_event *event)
{
    if (screen_frame_event(&id_card.frame, event))
        return true;
    if (id_card.state == ID_CARD_WAITING && app_device_present(DEVICE_IDCARD_READER))
        return false;
    enum widget_result r = widget_button_event(&id_card.retry, event);
    if (r == WIDGET_ACTIVATED)
        id_card_wait_again();
    return r != WIDGET_IGNORED;
}

static void id_card_message_from_worker(const struct msg *message)
{
    switch (message->kind) {
    case MSG_CARD_READ:
        if (message->u.card_read.expired) {
            id_card.state = ID_CARD_EXPIRED;
        } else if (identity_current()) {
            int next = id_card.next_screen;
            screen_manager_pop();
            screen_manager_push(next, NULL);
            return;
        }
        break;
    case MSG_CARD_FAILED:
        id_card.state = ID_CARD_FAILED;
        snprintf(id_card.failure_msgid, sizeof id_card.failure_msgid, "%s", message->u.card_failed.msgid);
        break;
    default:
        return;
    }
    timer_cancel(TIMER_SCREEN);
    screen_request_redraw();
}

const struct screen screen_id_card = {
    .name = "id_card",
    .enter = id_card_enter,
    .exit = id_card_exit,
    .event = id_card_event,
    .draw = id_card_draw,
    .message = id_card_message_from_worker,
};
