#include "screens/inactivity.h"

#include "firmware/core/clock.h"
#include "firmware/core/i18n.h"
#include "screens/screen.h"
#include "firmware/session/session.h"
#include "screens/theme.h"
#include "firmware/core/timer.h"
#include "screens/widgets/widget_countdown.h"
#include "screens/widgets/widget_dialog.h"

static int inactivity_after_s = 60, inactivity_countdown_s = 20;
static inactivity_expired_fn inactivity_expired;
static bool inactivity_visible;
static int inactivity_left;
static struct widget_dialog inactivity_dialog;

static void inactivity_tick(void *ctx);

void inactivity_configure(int inactivity_seconds, int countdown_seconds, inactivity_expired_fn expired)
{
    inactivity_after_s = inactivity_seconds;
    inactivity_countdown_s = countdown_seconds;
    inactivity_expired = expired;
}

static void inactivity_show(void *ctx)
{
    (void)ctx;
    inactivity_visible = true;
    inactivity_left = inactivity_countdown_s;
    inactivity_dialog = (struct widget_dialog){ 0 };
    timer_set(TIMER_COUNTDOWN, clock_now_ms() + 1000, inactivity_tick, NULL);
    screen_request_redraw();
}

static void inactivity_tick(void *ctx)
{
    (void)ctx;
    inactivity_left--;
    screen_request_redraw();
    if (inactivity_left > 0) {
        timer_set(TIMER_COUNTDOWN, clock_now_ms() + 1000, inactivity_tick, NULL);
        return;
    }
    inactivity_stop();
    if (inactivity_expired)
        inactivity_expired();
}

void inactivity_note_activity(void)
{
    if (!session_active() || inactivity_visible)
        return;
    timer_set(TIMER_INACTIVITY, clock_now_ms() + (int64_t)inactivity_after_s * 1000, inactivity_show, NULL);
}

void inactivity_stop(void)
{
    timer_cancel(TIMER_INACTIVITY);
    timer_cancel(TIMER_COUNTDOWN);
    if (inactivity_visible)
        screen_request_redraw();
    inactivity_visible = false;
}

bool inactivity_dialog_visible(void)
{
    return inactivity_visible;
}

int inactivity_seconds_left(void)
{
    return inactivity_visible ? inactivity_left : -1;
}

bool inactivity_event(const struct ui_event *event)
{
    if (!inactivity_visible)
        return false;
    switch (widget_dialog_event(&inactivity_dialog, event)) {
    case DIALOG_PRIMARY: /* more time */
        inactivity_stop();
        inactivity_note_activity();
        break;
    case DIALOG_SECONDARY: /* finish now */
        inactivity_stop();
        if (inactivity_expired)
            inactivity_expired();
        break;
    case DIALOG_NONE:
        break;
    }
    return true;
}

void inactivity_draw(struct render *render)
{
    if (!inactivity_visible)
        return;
    const struct theme *t = theme_get();
    inactivity_dialog.title = _("Do you need more time?");
    inactivity_dialog.message = _("No one has touched the screen for a while. To protect your personal "
                                  "information, this session will end and the kiosk will return to the home screen.");
    inactivity_dialog.primary.text = _("I need more time");
    inactivity_dialog.primary.style = BUTTON_PRIMARY;
    inactivity_dialog.secondary.text = _("Finish now");
    inactivity_dialog.secondary.style = BUTTON_SECONDARY;
    inactivity_dialog.extra_height = t->text_title * 3;
    widget_dialog_draw(render, &inactivity_dialog);
    struct widget_countdown countdown = {
        .rect = inactivity_dialog.extra,
        .total_seconds = inactivity_countdown_s,
        .seconds_left = inactivity_left,
        .caption = _("seconds until the session ends"),
    };
    widget_countdown_draw(render, &countdown);
}
