/* Staff sign-in: a PIN on a numeric pad, shown only as dots. Five wrong PINs in a row lock
 * the pad for a minute; the count and the lock outlive the screen, so leaving and coming
 * back does not reset them. The typed PIN is wiped whenever the screen is left. */
#include <stdio.h>
#include <string.h>

#include "screens/screen_host.h"
#include "firmware/core/clock.h"
#include "firmware/core/i18n.h"
#include "screens/screen_frame.h"
#include "screens/screen_list.h"
#include "screens/semantic.h"
#include "firmware/gfx/text.h"
#include "screens/theme.h"
#include "firmware/core/timer.h"
#include "screens/widgets/widget_label.h"
#include "screens/widgets/widget_numpad.h"

#define STAFF_LOGIN_TRIES_MAX 5
#define STAFF_LOGIN_LOCK_MS 60000

/* U+25CF BLACK CIRCLE, one per digit typed. */
#define STAFF_LOGIN_DOT "\xE2\x97\x8F"

enum staff_login_notice { LOGIN_NOTICE_NONE, LOGIN_NOTICE_EMPTY, LOGIN_NOTICE_WRONG };

static struct {
    struct screen_frame frame;
    struct widget_numpad numpad;
    char pin[sizeof app_config()->technician_pin];
    enum staff_login_notice notice;
} staff_login;

/* Survives the screen: wrong tries in a row, and when a lock ends (0: not locked). */
static int staff_login_wrong_tries;
static int64_t staff_login_locked_until_ms;

static void staff_login_wipe(void)
{
    memset(staff_login.pin, 0, sizeof staff_login.pin);
}

static int staff_login_seconds_locked(void)
{
    int64_t left = staff_login_locked_until_ms - clock_now_ms();
    return left > 0 ? (int)((left + 999) / 1000) : 0;
}

static void staff_login_tick(void *ctx);

/* While locked, wake once a second so the seconds shown count down. A lock that has run
 * out gives a fresh set of tries. */
static void staff_login_schedule_tick(void)
{
    int64_t now = clock_now_ms();
    if (staff_login_locked_until_ms <= now) {
        if (staff_login_locked_until_ms) {
            staff_login_locked_until_ms = 0;
            staff_login_wrong_tries = 0;
            staff_login.notice = LOGIN_NOTICE_NONE;
        }
        staff_login.numpad.disabled = false;
        return;
    }
    int64_t left = staff_login_locked_until_ms - now;
    int64_t next = left % 1000 ? left % 1000 : 1000;
    staff_login.numpad.disabled = true;
    timer_set(TIMER_SCREEN, now + next, staff_login_tick, NULL);
}

static void staff_login_tick(void *ctx)
{
    (void)ctx;
    staff_login_schedule_tick();
    screen_request_redraw();
}

static void staff_login_enter(const void *arg)
{
    (void)arg;
    memset(&staff_login, 0, sizeof staff_login);
    staff_login.numpad.text = staff_login.pin;
    staff_login.numpad.text_size = sizeof staff_login.pin;
    staff_login_schedule_tick();
}

static void staff_login_exit(void)
{
    staff_login_wipe();
    timer_cancel(TIMER_SCREEN);
}

/* Compares every byte whatever the first difference, so timing does not tell how much of
 * a guess was right. */
static bool staff_login_pin_matches(const char *typed, const char *pin)
{
    size_t typed_len = strlen(typed), pin_len = strlen(pin);
    unsigned diff = typed_len != pin_len;
    for (size_t i = 0; i < pin_len; i++)
        diff |= (unsigned)(unsigned char)pin[i] ^ (unsigned char)(i < typed_len ? typed[i] : 0);
    return diff == 0 && pin_len > 0;
}

static void staff_login_submit(void)
{
    if (!staff_login.pin[0]) {
        staff_login.notice = LOGIN_NOTICE_EMPTY;
        screen_request_redraw();
        return;
    }
    bool right = staff_login_pin_matches(staff_login.pin, app_config()->technician_pin);
    staff_login_wipe();
    screen_request_redraw();
    if (right) {
        staff_login_wrong_tries = 0;
        screen_manager_pop();
        screen_manager_push(SCREEN_technician, NULL);
        return;
    }
    staff_login.notice = LOGIN_NOTICE_WRONG;
    if (++staff_login_wrong_tries >= STAFF_LOGIN_TRIES_MAX) {
        staff_login_locked_until_ms = clock_now_ms() + STAFF_LOGIN_LOCK_MS;
        staff_login_schedule_tick();
    }
}

/* The line under the field: what went wrong and what to do now. */
static const char *staff_login_notice_text(char *buf, size_t size)
{
    int locked = staff_login_seconds_locked();
    if (locked > 0) {
        snprintf(buf, size, _("Too many wrong PINs. The keypad is locked. Please try again in %d seconds."), locked);
        return buf;
    }
    switch (staff_login.notice) {
    case LOGIN_NOTICE_EMPTY:
        return _("Please enter the PIN first.");
    case LOGIN_NOTICE_WRONG:
        snprintf(buf, size, _("Wrong PIN. Please try again. Tries left before the keypad locks for one minute: %d."),
                 STAFF_LOGIN_TRIES_MAX - staff_login_wrong_tries);
        return buf;
    default:
        return NULL;
    }
}

/* The PIN field: one dot per digit, never the digits themselves. */
static int staff_login_draw_field(struct render *render, struct ui_rect area)
{
    const struct theme *t = theme_get();
    struct widget_label caption = { { area.x, area.y, area.w, 200 }, _("Maintenance PIN"),
                                    { t->text_body, TEXT_BOLD, t->text, TEXT_ALIGN_LEFT } };
    int y = area.y + widget_label_draw(render, &caption) + t->space_s;
    struct ui_rect field = { area.x, y, area.w, t->touch_min };
    render_fill_round_rect(render, field, t->radius, t->surface);
    render_stroke_round_rect(render, field, t->radius, t->stroke, t->primary);
    char dots[sizeof staff_login.pin * (sizeof STAFF_LOGIN_DOT - 1) + 1] = "";
    for (size_t i = 0; i < strlen(staff_login.pin); i++)
        strcat(dots, STAFF_LOGIN_DOT);
    struct text_style style = { t->text_title, TEXT_REGULAR, t->text, TEXT_ALIGN_CENTER };
    int h = text_line_height_du(render, &style);
    text_draw(render, &style, (struct ui_rect){ field.x, field.y + (field.h - h) / 2, field.w, h }, dots);
    semantic_add(SEMANTIC_INPUT, field, dots, !staff_login.numpad.disabled);
    return y + field.h - area.y;
}

static void staff_login_draw(struct render *render)
{
    const struct theme *t = theme_get();
    struct ui_rect content = screen_frame_draw(render, &staff_login.frame, _("Staff sign-in"));
    bool portrait = layout_is_portrait(&render->layout);
    /* Portrait: everything in one column; landscape: words and field left, pad right. */
    int pad_w = portrait ? content.w * 3 / 4 : content.w / 2 - t->space_l;
    if (pad_w > 720)
        pad_w = 720;
    struct ui_rect column = portrait ? (struct ui_rect){ (render->layout.width_du - pad_w) / 2, content.y, pad_w, content.h }
                                     : (struct ui_rect){ content.x, content.y, content.w - pad_w - t->space_l, content.h };

    struct widget_label intro = { { column.x, column.y, column.w, 400 },
                                  _("Only for maintenance staff. Please enter the maintenance PIN, then press OK."),
                                  { t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_LEFT } };
    int y = column.y + widget_label_draw(render, &intro) + t->space_l;
    y += staff_login_draw_field(render, (struct ui_rect){ column.x, y, column.w, 0 }) + t->space_m;

    char notice_buf[256];
    const char *notice = staff_login_notice_text(notice_buf, sizeof notice_buf);
    struct text_style notice_style = { t->text_body, TEXT_BOLD, t->danger, TEXT_ALIGN_LEFT };
    int notice_h = 2 * text_line_height_du(render, &notice_style);
    if (notice) {
        struct widget_label label = { { column.x, y, column.w, notice_h + t->space_s }, notice, notice_style };
        widget_label_draw(render, &label);
    }
    /* Room for two lines is kept either way, so the pad does not jump when a notice appears. */
    y += notice_h + t->space_m;

    int pad_h = widget_numpad_height();
    staff_login.numpad.rect = portrait ? (struct ui_rect){ column.x, y, pad_w, pad_h }
                                       : (struct ui_rect){ content.x + content.w - pad_w, content.y, pad_w, content.h };
    widget_numpad_draw(render, &staff_login.numpad);
}

static bool staff_login_event(const struct ui_event *event)
{
    if (screen_frame_event(&staff_login.frame, event))
        return true;
    enum staff_login_notice before = staff_login.notice;
    enum widget_result r = widget_numpad_event(&staff_login.numpad, event);
    if (r == WIDGET_ACTIVATED) {
        staff_login_submit();
        return true;
    }
    /* The old notice goes once the next PIN is being typed. */
    if (r == WIDGET_CONSUMED && staff_login.pin[0] && before != LOGIN_NOTICE_NONE) {
        staff_login.notice = LOGIN_NOTICE_NONE;
        screen_request_redraw();
    }
    return r != WIDGET_IGNORED;
}

const struct screen screen_staff_login = {
    .name = "staff_login",
    .enter = staff_login_enter,
    .exit = staff_login_exit,
    .event = staff_login_event,
    .draw = staff_login_draw,
};
