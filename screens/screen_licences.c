/* 证照打印 after the resident has identified: their licences from the platform, each
 * verified against the platform key before it is shown; a licence is printed on the
 * certificate printer with the purpose the resident states (用途, in the watermark), the time
 * and the unit. Each step has a plain dialog; a paper-out leaves the job retryable. Without
 * a platform link the screen says plainly what the resident can do instead. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "certprinter.h"
#include "clock.h"
#include "holder_worker.h"
#include "i18n.h"
#include "idcard_record.h"
#include "identity.h"
#include "licence_print.h"
#include "log.h"
#include "print_jobs.h"
#include "screen_frame.h"
#include "screen_list.h"
#include "theme.h"
#include "widget_button.h"
#include "widget_dialog.h"
#include "widget_label.h"

#define LICENCES_SHOWN_MAX 6

enum licences_state {
    LICENCES_NO_PLATFORM, /* this unit has no platform link */
    LICENCES_LOOKING,
    LICENCES_LIST,
    LICENCES_PURPOSE,     /* one chosen: what is it for */
    LICENCES_MESSAGE,     /* the platform said no, or could not be reached */
};

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
    int64_t job;
    bool retryable;
    char print_msgid[160];
    char scratch[512];
    char item_text[LICENCES_SHOWN_MAX][256];
    struct widget_dialog dialog;
} licences;

static void licences_enter(const void *arg)
{
    (void)arg;
    memset(&licences, 0, sizeof licences);
    licences.frame.show_home = true;
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

static void licences_message(const struct msg *m)
{
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

/* Lays the chosen licence out with its purpose and hands it to the certificate printer. */
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
    char when[32], err[300];
    struct tm local;
    clock_local_time(clock_wall_seconds(), config->utc_offset_minutes, &local);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", &local);
    struct print_bitmap page;
    enum print_paper paper;
    int rc = licence_print_render(&list->items[licences.chosen].content, purpose, when, config, &page, &paper, err,
                                  sizeof err);
    if (rc == 0) {
        rc = certprinter_submit_page("licence", &page, LICENCE_PRINT_DPI, paper);
        if (rc < 0 && rc != -ESRCH)
            snprintf(err, sizeof err, "cannot encode the page: %s", strerror(-rc));
        explicit_bzero(page.bits, page.stride * (size_t)page.height); /* the page shows the holder's data */
        print_bitmap_free(&page);
    }
    if (rc < 0) {
        log_error("licences", "cannot print a licence: %s", rc == -ESRCH ? "no certificate printer worker" : err);
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
    struct widget_label checked = { { content.x, y, content.w, 200 }, who,
                                    { t->text_body, TEXT_REGULAR, t->success, TEXT_ALIGN_LEFT } };
    y += widget_label_draw(render, &checked) + t->space_m;
    return y - content.y;
}

static void licences_draw(struct render *render)
{
    const struct theme *t = theme_get();
    struct ui_rect content = screen_frame_draw(render, &licences.frame, _("Print licences"));
    int y = content.y + licences_draw_header(render, content);
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
    }
    struct widget_label label = { { content.x, y, content.w, 400 }, text, body };
    y += widget_label_draw(render, &label) + t->space_m;
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
    int bottom = content.y + content.h - t->touch_min;
    licences.finish.rect = (struct ui_rect){ content.x, bottom, content.w, t->touch_min };
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
        if (licences.print == PRINT_DONE)
            licences.state = LICENCES_LIST;
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
    .event = licences_event,
    .draw = licences_draw,
    .message = licences_message,
};
