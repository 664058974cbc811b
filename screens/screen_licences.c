/* 证照打印 after the resident has identified: their licences from the platform, each
 * verified against the platform key before it is shown; a licence is printed on the
 * certificate printer with the purpose the resident states (用途, in the watermark), the time
 * and the unit. Each step has a plain dialog; a paper-out leaves the job retryable. Without
 * a platform link the screen says plainly what the resident can do instead. When the
 * platform sends a one-time code to the holder's phone (验证码), the resident types it on a
 * large keypad with the time left shown; a wrong, expired or locked code is told in plain
 * words with what to do next. The typed code is wiped once sent and when the screen is left. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "screens/screen_host.h"
#include "firmware/print/certprinter.h"
#include "firmware/core/clock.h"
#include "firmware/platform/holder_worker.h"
#include "firmware/core/i18n.h"
#include "drivers/idcard/idcard_record.h"
#include "firmware/session/identity.h"
#include "firmware/gfx/layout.h"
#include "firmware/core/log.h"
#include "firmware/print/print_jobs.h"
#include "screens/screen_evaluate.h"
#include "screens/screen_frame.h"
#include "screens/screen_list.h"
#include "screens/semantic.h"
#include "firmware/gfx/text.h"
#include "screens/theme.h"
#include "firmware/core/timer.h"
#include "screens/widgets/widget_button.h"
#include "screens/widgets/widget_dialog.h"
#include "screens/widgets/widget_label.h"
#include "screens/widgets/widget_numpad.h"

#define LICENCES_SHOWN_MAX 6

enum licences_state {
    LICENCES_NO_PLATFORM, /* this unit has no platform link */
    LICENCES_LOOKING,
    LICENCES_LIST,
    LICENCES_PURPOSE,     /* one chosen: what is it for */
    LICENCES_MESSAGE,     /* the platform said no, or could not be reached */
    LICENCES_OTP,         /* the platform sent a code to the holder's phone: type it */
    LICENCES_OTP_EXPIRED, /* the code ran out: a new one may be asked for */
    LICENCES_OTP_LOCKED,  /* too many wrong codes: staff, or later */
};

enum licences_otp_notice { OTP_NOTICE_NONE, OTP_NOTICE_WRONG, OTP_NOTICE_MESSAGE };

enum licences_print { PRINT_NONE, PRINT_UNAVAILABLE, PRINT_SENDING, PRINT_DONE, PRINT_FAILED };

/* What a printed copy is for: printed in its watermark (the grading rules ask for it). */
static const char *const licences_purposes[] = {
    N_("Government services"), N_("Banking"), N_("School enrolment"), N_("Other"),
};
#define LICENCES_PURPOSE_COUNT (sizeof licences_purposes / sizeof licences_purposes[0])

static struct {
    struct screen_frame frame;
    enum licences_state state;
    char msgid[200];
    size_t chosen;
    struct widget_button items[LICENCES_SHOWN_MAX];
    struct widget_button purposes[LICENCES_PURPOSE_COUNT];
    struct widget_button back, finish;
    enum licences_print print;
    bool printed;                 /* a licence came out: 好差评 is offered above 办完了 */
    struct widget_button rate;
    int64_t job;
    bool retryable;
    char print_msgid[160];
    char scratch[512];
    char item_text[LICENCES_SHOWN_MAX][256];
    struct widget_dialog dialog;
    struct {
        struct widget_numpad numpad;
        char code[HOLDER_OTP_DIGITS + 1]; /* what the resident typed: wiped once sent or left */
        char phone[32];                   /* as the platform masked it */
        int64_t deadline_ms;              /* on the app's clock; 0: the platform gave no time */
        bool checking;                    /* sent; the platform's answer is awaited */
        enum licences_otp_notice notice;
        int attempts_left;                /* OTP_NOTICE_WRONG; -1 unknown */
        struct widget_button renew;
    } otp;
} licences;

static void licences_otp_wipe(void)
{
    explicit_bzero(licences.otp.code, sizeof licences.otp.code);
}

static int licences_otp_seconds_left(void)
{
    int64_t left = licences.otp.deadline_ms - clock_now_ms();
    return left > 0 ? (int)((left + 999) / 1000) : 0;
}

static void licences_otp_tick(void *ctx);

/* Once a second while a code waits, so the time left counts down; at zero the code is
 * over here too (the platform would answer 410) and a new one can be asked for. */
static void licences_otp_schedule_tick(void)
{
    if (licences.state != LICENCES_OTP || !licences.otp.deadline_ms) {
        timer_cancel(TIMER_SCREEN);
        return;
    }
    int64_t now = clock_now_ms(), left = licences.otp.deadline_ms - now;
    if (left <= 0 && !licences.otp.checking) {
        licences_otp_wipe();
        licences.state = LICENCES_OTP_EXPIRED;
        timer_cancel(TIMER_SCREEN);
        return;
    }
    timer_set(TIMER_SCREEN, now + (left > 0 && left % 1000 ? left % 1000 : 1000), licences_otp_tick, NULL);
}

static void licences_otp_tick(void *ctx)
{
    (void)ctx;
    licences_otp_schedule_tick();
    screen_request_redraw();
}

/* Asks the platform for a new session with the card already read: a new code is sent. */
static void licences_otp_renew(void)
{
    const struct idcard_record *record = identity_current();
    licences_otp_wipe();
    licences.otp.notice = OTP_NOTICE_NONE;
    if (record && holder_worker_fetch_licences(record) == 0) {
        licences.state = LICENCES_LOOKING;
    } else {
        licences.state = LICENCES_MESSAGE;
        snprintf(licences.msgid, sizeof licences.msgid, "%s",
                 N_("Your licences cannot be looked up just now. Please ask at a service window."));
    }
    screen_request_redraw();
}

static void licences_otp_submit(void)
{
    if (licences.otp.checking || strlen(licences.otp.code) != HOLDER_OTP_DIGITS)
        return;
    int rc = holder_worker_submit_otp(holder_worker_current_request(), licences.otp.code);
    if (rc == 0) {
        licences.otp.checking = true;
        licences.otp.notice = OTP_NOTICE_NONE;
    } else {
        log_warn("licences", "the one-time code was not sent: %s", strerror(-rc));
        licences.otp.notice = OTP_NOTICE_MESSAGE;
        snprintf(licences.msgid, sizeof licences.msgid, "%s",
                 N_("Your licences cannot be looked up just now. Please ask at a service window."));
    }
    screen_request_redraw();
}

/* The answer to a code, or the news that one is wanted. */
static void licences_otp_answer(const struct msg_holder *h)
{
    licences.otp.checking = false;
    switch (h->result) {
    case HOLDER_OTP_REQUIRED:
        licences.state = LICENCES_OTP;
        licences_otp_wipe();
        snprintf(licences.otp.phone, sizeof licences.otp.phone, "%s", h->phone_masked);
        licences.otp.deadline_ms = h->otp_expires_in_s > 0 ? clock_now_ms() + h->otp_expires_in_s * 1000LL : 0;
        licences.otp.notice = OTP_NOTICE_NONE;
        break;
    case HOLDER_OTP_INVALID:
        licences_otp_wipe();
        licences.otp.notice = OTP_NOTICE_WRONG;
        licences.otp.attempts_left = h->attempts_left;
        break;
    case HOLDER_OFFLINE: /* the session still waits: the same code may be sent again */
        licences.otp.notice = OTP_NOTICE_MESSAGE;
        snprintf(licences.msgid, sizeof licences.msgid, "%s", h->msgid);
        break;
    case HOLDER_OTP_EXPIRED:
        licences_otp_wipe();
        licences.state = LICENCES_OTP_EXPIRED;
        break;
    case HOLDER_OTP_LOCKED:
        licences_otp_wipe();
        licences.state = LICENCES_OTP_LOCKED;
        break;
    case HOLDER_OK:
        licences_otp_wipe();
        licences.state = LICENCES_LIST;
        break;
    case HOLDER_REFUSED:
        licences_otp_wipe();
        licences.state = LICENCES_MESSAGE;
        snprintf(licences.msgid, sizeof licences.msgid, "%s", h->msgid);
        break;
    }
    licences_otp_schedule_tick();
}

static void licences_enter(const void *arg)
{
    (void)arg;
    memset(&licences, 0, sizeof licences);
    licences.frame.show_home = true;
    licences.otp.numpad.text = licences.otp.code;
    licences.otp.numpad.text_size = sizeof licences.otp.code;
    const struct idcard_record *record = identity_current();
    if (!holder_worker_running() || !record) {
        licences.state = LICENCES_NO_PLATFORM;
        return;
    }
    licences.state = holder_worker_fetch_licences(record) == 0 ? LICENCES_LOOKING : LICENCES_MESSAGE;
    if (licences.state == LICENCES_MESSAGE)
        snprintf(licences.msgid, sizeof licences.msgid, "%s",
                 N_("Your licences cannot be looked up just now. Please ask at a service window."));
}

static void licences_exit(void)
{
    licences_otp_wipe();
    timer_cancel(TIMER_SCREEN);
}

static void licences_message(const struct msg *m)
{
    if (m->kind == MSG_HOLDER &&
        ((licences.state == LICENCES_LOOKING && m->u.holder.result == HOLDER_OTP_REQUIRED) ||
         (licences.state == LICENCES_OTP && licences.otp.checking))) {
        licences_otp_answer(&m->u.holder);
        screen_request_redraw();
        return;
    }
    if (m->kind == MSG_HOLDER && licences.state == LICENCES_LOOKING) {
        if (m->u.holder.result == HOLDER_OK) {
            licences.state = LICENCES_LIST;
        } else {
            licences.state = LICENCES_MESSAGE;
            snprintf(licences.msgid, sizeof licences.msgid, "%s", m->u.holder.msgid);
        }
        screen_request_redraw();
        return;
    }
    if (m->kind != MSG_PRINT_JOB || m->u.print_job.printer != PRINT_PRINTER_CERTIFICATE ||
        (licences.print != PRINT_SENDING && licences.print != PRINT_FAILED))
        return;
    const struct msg_print_job *job = &m->u.print_job;
    if (licences.job && job->job_id != licences.job)
        return;
    licences.job = job->job_id;
    if (job->state == PRINT_JOB_SENDING) {
        licences.print = PRINT_SENDING;
    } else if (job->state == PRINT_JOB_PRINTED) {
        licences.print = PRINT_DONE;
    } else {
        licences.print = PRINT_FAILED;
        licences.retryable = job->retryable && job->job_id;
        snprintf(licences.print_msgid, sizeof licences.print_msgid, "%s", job->msgid);
    }
    screen_request_redraw();
}

/* Hands the chosen licence (a copy), its purpose and the print time to the certificate
 * printer; its worker lays the page out, rasters, encodes and stores it, off this thread. */
static void licences_print_chosen(const char *purpose)
{
    const struct holder_licences *list = app_holder_licences();
    licences.print_msgid[0] = '\0';
    if (!list || licences.chosen >= list->count)
        return;
    if (!app_device_present(DEVICE_CERT_PRINTER)) {
        const char *reason = app_device_reason(DEVICE_CERT_PRINTER);
        snprintf(licences.print_msgid, sizeof licences.print_msgid, "%s", reason ? reason : "");
        licences.print = PRINT_UNAVAILABLE;
        return;
    }
    const struct config *config = app_config();
    char when[32];
    struct tm local;
    clock_local_time(clock_wall_seconds(), config->utc_offset_minutes, &local);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", &local);
    int rc = certprinter_submit_licence(&list->items[licences.chosen].content, purpose, when);
    if (rc < 0) {
        log_error("licences", "cannot print a licence: %s",
                  rc == -ESRCH ? "no certificate printer worker" : strerror(-rc));
        licences.print = PRINT_UNAVAILABLE;
        return;
    }
    licences.print = PRINT_SENDING;
    licences.job = 0;
}

static void licences_draw_dialog(struct render *render)
{
    struct widget_dialog *d = &licences.dialog;
    d->primary.style = BUTTON_PRIMARY;
    d->secondary.style = BUTTON_SECONDARY;
    d->primary.text = d->secondary.text = NULL;
    switch (licences.print) {
    case PRINT_NONE:
        return;
    case PRINT_UNAVAILABLE:
        d->title = _("The certificate printer is not available");
        d->message = licences.print_msgid[0] ? _(licences.print_msgid)
                                             : _("This kiosk cannot print licences right now. Please ask at a service "
                                                 "window, or show the licence in the iShandong app.");
        d->primary.text = _("OK");
        break;
    case PRINT_SENDING:
        d->title = _("Printing…");
        d->message = _("Your licence is being printed. Please wait.");
        break;
    case PRINT_DONE:
        d->title = _("Printed");
        d->message = _("Please take your licence from the tray below the screen.");
        d->primary.text = _("OK");
        break;
    case PRINT_FAILED:
        d->title = _("The licence was not printed");
        snprintf(licences.scratch, sizeof licences.scratch, "%s\n%s",
                 licences.print_msgid[0] ? _(licences.print_msgid) : "",
                 licences.retryable ? _("When the printer is ready again, tap Retry.") : "");
        d->message = licences.scratch;
        d->primary.text = licences.retryable ? _("Retry") : _("Close");
        d->secondary.text = licences.retryable ? _("Close") : NULL;
        break;
    }
    widget_dialog_draw(render, d);
}

static bool licences_in_otp(void)
{
    return licences.state == LICENCES_OTP || licences.state == LICENCES_OTP_EXPIRED ||
           licences.state == LICENCES_OTP_LOCKED;
}

static int licences_draw_header(struct render *render, struct ui_rect content)
{
    const struct theme *t = theme_get();
    const struct idcard_record *record = identity_current();
    char name[128] = "", id[64] = "", greeting[256], who[256];
    if (record) { /* masked even on screen: the person behind the resident may be reading too */
        idcard_mask_name(record->name[0] ? record->name : record->name_en, name, sizeof name);
        idcard_mask_id(record->id_number, id, sizeof id);
    }
    snprintf(greeting, sizeof greeting, _("Hello, %s."), name);
    snprintf(who, sizeof who, _("Your identity has been checked (ID number %s)."), id);
    int y = content.y;
    struct widget_label hello = { { content.x, y, content.w, 200 }, greeting,
                                  { t->text_title, TEXT_BOLD, t->text, TEXT_ALIGN_LEFT } };
    y += widget_label_draw(render, &hello) + t->space_s;
    if (licences_in_otp()) /* the platform has not let the holder in yet */
        return y - content.y;
    struct widget_label checked = { { content.x, y, content.w, 200 }, who,
                                    { t->text_body, TEXT_REGULAR, t->success, TEXT_ALIGN_LEFT } };
    y += widget_label_draw(render, &checked) + t->space_m;
    return y - content.y;
}

/* The typed digits, one box each, so the resident sees what went in and how many are left. */
static int licences_otp_draw_field(struct render *render, struct ui_rect area, struct ui_rect *field)
{
    const struct theme *t = theme_get();
    int gap = t->space_s, box_w = (area.w - (HOLDER_OTP_DIGITS - 1) * gap) / HOLDER_OTP_DIGITS;
    int box_h = t->touch_min;
    if (box_w > box_h)
        box_w = box_h;
    int x = area.x + (area.w - (HOLDER_OTP_DIGITS * box_w + (HOLDER_OTP_DIGITS - 1) * gap)) / 2;
    size_t typed = strlen(licences.otp.code);
    struct text_style style = { t->text_display, TEXT_BOLD, t->text, TEXT_ALIGN_CENTER };
    int h = text_line_height_du(render, &style);
    for (size_t i = 0; i < HOLDER_OTP_DIGITS; i++) {
        struct ui_rect box = { x + (int)i * (box_w + gap), area.y, box_w, box_h };
        render_fill_round_rect(render, box, t->radius, t->surface);
        bool next = i == typed && !licences.otp.checking;
        render_stroke_round_rect(render, box, t->radius, next ? t->stroke * 2 : t->stroke,
                                 next ? t->primary : t->border);
        char digit[2] = { i < typed ? licences.otp.code[i] : '\0', '\0' };
        text_draw(render, &style, (struct ui_rect){ box.x, box.y + (box.h - h) / 2, box.w, h }, digit);
    }
    *field = (struct ui_rect){ x, area.y, HOLDER_OTP_DIGITS * box_w + (HOLDER_OTP_DIGITS - 1) * gap, box_h };
    return box_h;
}

/* The code step: where it went, the digits, the time left, what went wrong, the keypad. */
/* Portrait: one column, the pad under the words; landscape: words (and the finish button)
 * left, the pad right from top to bottom, so 长辈模式's keys fit a 1080-high canvas. */
static int licences_otp_pad_width(const struct render *render, struct ui_rect content)
{
    int w = layout_is_portrait(&render->layout) ? content.w * 3 / 4 : content.w / 2 - theme_get()->space_l;
    return w > 720 ? 720 : w;
}

static void licences_otp_draw(struct render *render, struct ui_rect content, int y, int bottom)
{
    const struct theme *t = theme_get();
    bool portrait = layout_is_portrait(&render->layout);
    int pad_w = licences_otp_pad_width(render, content);
    struct ui_rect words = portrait ? content : (struct ui_rect){ content.x, content.y, content.w - pad_w - t->space_l, content.h };
    char text[400];
    struct text_style body = { t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_LEFT };
    if (licences.otp.phone[0])
        snprintf(text, sizeof text, _("A code has been sent to %s. Please enter the %d-digit code."),
                 licences.otp.phone, HOLDER_OTP_DIGITS);
    else
        snprintf(text, sizeof text, _("A code has been sent to your registered phone. Please enter the %d-digit code."),
                 HOLDER_OTP_DIGITS);
    struct widget_label intro = { { words.x, y, words.w, 400 }, text, body };
    y += widget_label_draw(render, &intro) + t->space_m;
    struct ui_rect field;
    y += licences_otp_draw_field(render, (struct ui_rect){ words.x, y, words.w, 0 }, &field) + t->space_s;

    const char *line = NULL;
    if (licences.otp.checking) {
        line = _("Checking the code…");
    } else if (licences.otp.deadline_ms) {
        int left = licences_otp_seconds_left();
        snprintf(text, sizeof text, _("The code expires in %d min %02d s."), left / 60, left % 60);
        line = text;
    }
    if (line) {
        struct widget_label status = { { words.x, y, words.w, 200 }, line,
                                       { t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_CENTER } };
        y += widget_label_draw(render, &status) + t->space_s;
    }
    char notice_buf[300];
    const char *notice = NULL;
    if (licences.otp.notice == OTP_NOTICE_WRONG && licences.otp.attempts_left >= 0) {
        snprintf(notice_buf, sizeof notice_buf, _("The code is not correct. You can try %d more times."),
                 licences.otp.attempts_left);
        notice = notice_buf;
    } else if (licences.otp.notice == OTP_NOTICE_WRONG) {
        notice = _("The code is not correct. Please check the text message and try again.");
    } else if (licences.otp.notice == OTP_NOTICE_MESSAGE) {
        notice = _(licences.msgid);
    }
    if (notice) {
        struct widget_label label = { { words.x, y, words.w, 300 }, notice,
                                      { t->text_body, TEXT_BOLD, t->danger, TEXT_ALIGN_LEFT } };
        y += widget_label_draw(render, &label);
    }
    y += t->space_m;
    /* The pad takes what is left above the finish button: large keys for unsteady fingers,
     * but not more than half as tall again as the pad's own height. */
    int pad_y = portrait ? y : content.y;
    int pad_h = portrait ? bottom - t->space_l - pad_y : content.y + content.h - pad_y;
    if (pad_h > widget_numpad_height() * 3 / 2)
        pad_h = widget_numpad_height() * 3 / 2;
    struct widget_numpad *pad = &licences.otp.numpad;
    pad->rect = portrait ? (struct ui_rect){ content.x + (content.w - pad_w) / 2, pad_y, pad_w, pad_h }
                         : (struct ui_rect){ content.x + content.w - pad_w, pad_y, pad_w, pad_h };
    pad->disabled = licences.otp.checking;
    pad->ok_disabled = strlen(licences.otp.code) != HOLDER_OTP_DIGITS;
    widget_numpad_draw(render, pad);
    /* Listed after the keys: a script's `type 1` finds the key 1, not a field reading "1". */
    semantic_add(SEMANTIC_INPUT, field, licences.otp.code, !licences.otp.checking);
}

static void licences_draw(struct render *render)
{
    const struct theme *t = theme_get();
    struct ui_rect content = screen_frame_draw(render, &licences.frame, _("Print licences"));
    /* The code step needs its height for the keypad (长辈模式 too): no greeting there. */
    int y = licences.state == LICENCES_OTP ? content.y : content.y + licences_draw_header(render, content);
    struct text_style body = { t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_LEFT };
    const struct holder_licences *list = app_holder_licences();
    const char *text = NULL;
    switch (licences.state) {
    case LICENCES_NO_PLATFORM:
        text = _("This kiosk cannot print electronic licences yet. You can show them in the iShandong app, or print "
                 "them at a service window during office hours.");
        break;
    case LICENCES_LOOKING:
        text = _("Looking up your electronic licences…");
        break;
    case LICENCES_MESSAGE:
        text = _(licences.msgid);
        break;
    case LICENCES_LIST:
        text = list && list->count ? _("Choose the licence to print:") : _("No licences were found for this card.");
        break;
    case LICENCES_PURPOSE:
        text = _("What will you use the printed copy for? It is printed on the page.");
        break;
    case LICENCES_OTP:
        break;
    case LICENCES_OTP_EXPIRED:
        text = _("The code has expired. Tap \"Get a new code\" and a new code will be sent to your phone.");
        break;
    case LICENCES_OTP_LOCKED:
        text = _("The code was entered wrongly too many times. For your safety, licences for this card cannot be "
                 "printed here just now. Please ask the staff for help, or come back later.");
        break;
    }
    int bottom = content.y + content.h - t->touch_min;
    if (licences.state == LICENCES_OTP) {
        licences_otp_draw(render, content, y, bottom);
    } else {
        struct widget_label label = { { content.x, y, content.w, 400 }, text, body };
        y += widget_label_draw(render, &label) + t->space_m;
    }
    if (licences.state == LICENCES_OTP_EXPIRED) {
        licences.otp.renew.rect = (struct ui_rect){ content.x, y, content.w, t->touch_min };
        licences.otp.renew.text = _("Get a new code");
        licences.otp.renew.style = BUTTON_PRIMARY;
        widget_button_draw(render, &licences.otp.renew);
    }
    if (licences.state == LICENCES_LIST && list) {
        for (size_t i = 0; i < list->count && i < LICENCES_SHOWN_MAX; i++) {
            struct widget_button *b = &licences.items[i];
            snprintf(licences.item_text[i], sizeof licences.item_text[i], "%s%s", list->items[i].content.name,
                     list->items[i].printable ? "" : _(" (not valid: cannot be printed)"));
            b->rect = (struct ui_rect){ content.x, y, content.w, t->touch_min };
            b->text = licences.item_text[i];
            b->style = BUTTON_SECONDARY;
            widget_button_draw(render, b);
            y += t->touch_min + t->space_s;
        }
        if (list->rejected) {
            struct widget_label rejected = { { content.x, y, content.w, 300 },
                                             _("Some licences could not be verified and are not shown. Please ask at a "
                                               "service window."),
                                             { t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_LEFT } };
            y += widget_label_draw(render, &rejected) + t->space_s;
        }
    }
    if (licences.state == LICENCES_PURPOSE) {
        for (size_t i = 0; i < LICENCES_PURPOSE_COUNT; i++) {
            struct widget_button *b = &licences.purposes[i];
            b->rect = (struct ui_rect){ content.x, y, content.w, t->touch_min };
            b->text = _(licences_purposes[i]);
            b->style = BUTTON_SECONDARY;
            widget_button_draw(render, b);
            y += t->touch_min + t->space_s;
        }
        licences.back.rect = (struct ui_rect){ content.x, y + t->space_s, content.w, t->touch_min };
        licences.back.text = _("Choose another licence");
        licences.back.style = BUTTON_SECONDARY;
        widget_button_draw(render, &licences.back);
    }
    int finish_w = content.w;
    if (licences.state == LICENCES_OTP && !layout_is_portrait(&render->layout))
        finish_w = content.w - licences_otp_pad_width(render, content) - t->space_l;
    licences.rate.rect = (struct ui_rect){ 0, 0, 0, 0 };
    if (licences.printed && licences.state == LICENCES_LIST) {
        licences.rate.rect = (struct ui_rect){ content.x, bottom - t->touch_min - t->space_s, finish_w, t->touch_min };
        licences.rate.text = _("Rate this service");
        licences.rate.style = BUTTON_SECONDARY;
        widget_button_draw(render, &licences.rate);
    }
    licences.finish.rect = (struct ui_rect){ content.x, bottom, finish_w, t->touch_min };
    licences.finish.text = _("Finish and clear my information");
    licences.finish.style = BUTTON_PRIMARY;
    widget_button_draw(render, &licences.finish);
    licences_draw_dialog(render);
}

static bool licences_dialog_event(const struct ui_event *event)
{
    enum widget_dialog_choice choice = widget_dialog_event(&licences.dialog, event);
    if (choice == DIALOG_PRIMARY && licences.print == PRINT_FAILED && licences.retryable) {
        licences.print = certprinter_retry_job(licences.job) == 0 ? PRINT_SENDING : PRINT_UNAVAILABLE;
        screen_request_redraw();
    } else if (choice != DIALOG_NONE && licences.print != PRINT_SENDING) {
        if (licences.print == PRINT_DONE) {
            licences.state = LICENCES_LIST;
            licences.printed = true;
        }
        licences.print = PRINT_NONE;
        screen_request_redraw();
    }
    return true;
}

static bool licences_event(const struct ui_event *event)
{
    if (licences.print != PRINT_NONE)
        return licences_dialog_event(event);
    if (screen_frame_event(&licences.frame, event))
        return true;
    enum widget_result r = widget_button_event(&licences.finish, event);
    if (r == WIDGET_ACTIVATED)
        app_end_session(SESSION_END_DONE);
    if (r != WIDGET_IGNORED)
        return true;
    r = widget_button_event(&licences.rate, event);
    if (r == WIDGET_ACTIVATED) {
        static const struct evaluate_subject subject = { "", N_("Print licences") };
        screen_manager_push(SCREEN_evaluate, &subject);
    }
    if (r != WIDGET_IGNORED)
        return true;
    if (licences.state == LICENCES_OTP) {
        enum licences_otp_notice before = licences.otp.notice;
        r = widget_numpad_event(&licences.otp.numpad, event);
        if (r == WIDGET_ACTIVATED)
            licences_otp_submit();
        /* The old notice goes once the next code is being typed. */
        if (r == WIDGET_CONSUMED && licences.otp.code[0] && before != OTP_NOTICE_NONE) {
            licences.otp.notice = OTP_NOTICE_NONE;
            screen_request_redraw();
        }
        if (r != WIDGET_IGNORED)
            return true;
    }
    if (licences.state == LICENCES_OTP_EXPIRED) {
        r = widget_button_event(&licences.otp.renew, event);
        if (r == WIDGET_ACTIVATED)
            licences_otp_renew();
        if (r != WIDGET_IGNORED)
            return true;
    }
    const struct holder_licences *list = app_holder_licences();
    if (licences.state == LICENCES_LIST && list) {
        for (size_t i = 0; i < list->count && i < LICENCES_SHOWN_MAX; i++) {
            r = widget_button_event(&licences.items[i], event);
            if (r == WIDGET_ACTIVATED && list->items[i].printable) {
                licences.chosen = i;
                licences.state = LICENCES_PURPOSE;
                screen_request_redraw();
            }
            if (r != WIDGET_IGNORED)
                return true;
        }
    }
    if (licences.state == LICENCES_PURPOSE) {
        for (size_t i = 0; i < LICENCES_PURPOSE_COUNT; i++) {
            r = widget_button_event(&licences.purposes[i], event);
            if (r == WIDGET_ACTIVATED) {
                licences.dialog = (struct widget_dialog){ 0 };
                licences_print_chosen(_(licences_purposes[i]));
                screen_request_redraw();
            }
            if (r != WIDGET_IGNORED)
                return true;
        }
        r = widget_button_event(&licences.back, event);
        if (r == WIDGET_ACTIVATED) {
            licences.state = LICENCES_LIST;
            screen_request_redraw();
        }
        if (r != WIDGET_IGNORED)
            return true;
    }
    return false;
}

const struct screen screen_licences = {
    .name = "licences",
    .enter = licences_enter,
    .exit = licences_exit,
    .event = licences_event,
    .draw = licences_draw,
    .message = licences_message,
};
