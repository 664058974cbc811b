/* A service item's guide (办事指南) in plain language: can it be done here, what to bring,
 * how it goes, how long, what it costs, where else to go, and common questions. Section
 * buttons jump to each part of the scrolling text; the guide can be printed as a receipt
 * (receipt_guide.h) through the receipt printer's worker, with a dialog for each step. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "screens/screen_host.h"
#include "firmware/catalogue/catalogue.h"
#include "firmware/core/clock.h"
#include "firmware/catalogue/guide_text.h"
#include "firmware/core/i18n.h"
#include "firmware/gfx/linebreak.h"
#include "firmware/core/log.h"
#include "firmware/print/print_jobs.h"
#include "firmware/print/receipt_guide.h"
#include "firmware/print/receipt_worker.h"
#include "screens/screen_evaluate.h"
#include "screens/screen_frame.h"
#include "screens/screen_list.h"
#include "screens/semantic.h"
#include "screens/theme.h"
#include "screens/widgets/widget_button.h"
#include "screens/widgets/widget_dialog.h"
#include "screens/widgets/widget_label.h"
#include "screens/widgets/widget_scrollview.h"

#define GUIDE_TEXT_MAX 32768


/* Printing the guide: the dialog the resident sees at each step. */
enum guide_print_state {
    GUIDE_PRINT_NONE,
    GUIDE_PRINT_UNAVAILABLE, /* the printer was known to be unusable before we tried */
    GUIDE_PRINT_SENDING,
    GUIDE_PRINT_DONE,
    GUIDE_PRINT_FAILED,
};

static struct {
    struct screen_frame frame;
    long item;
    char text[GUIDE_TEXT_MAX];
    char text_scratch[512];           /* the print dialog's message */
    size_t used;
    char language[16]; /* the text was built in this language */
    struct widget_scrollview view;
    struct widget_button sections[GUIDE_SECTION_COUNT];
    struct widget_button print, rate;
    bool printed;                     /* the guide came out: 好差评 is offered beside 打印 */
    enum guide_print_state print_state;
    int64_t print_job;                /* the job of this screen, once the worker named it */
    bool print_retryable;
    char print_msgid[160];            /* why it failed, an English msgid */
    struct widget_dialog dialog;
} guide;

static void guide_append(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void guide_append(const char *fmt, ...)
{
    if (guide.used >= sizeof guide.text - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(guide.text + guide.used, sizeof guide.text - guide.used, fmt, ap);
    va_end(ap);
    if (n > 0 && (size_t)n >= sizeof guide.text - guide.used) {
        linebreak_utf8_trim_partial(guide.text); /* full: end on a whole character */
        guide.used = sizeof guide.text - 1;
    } else if (n > 0) {
        guide.used += (size_t)n;
    }
}

static void guide_build_bring(const struct catalogue_item *item)
{
    guide_append("# %s\n", guide_text_section_title(GUIDE_BRING));
    if (!item->material_count)
        guide_append("%s\n", _("Nothing to bring."));
    for (size_t i = 0; i < item->material_count; i++) {
        const struct catalogue_material *m = &item->materials[i];
        guide_append(_("• %s (%s, %d)"), m->name, guide_text_form(m->form), m->copies);
        if (!m->required)
            guide_append(" %s", _("— only if you have it"));
        if (m->condition[0])
            guide_append(_(" — when: %s"), m->condition);
        guide_append("\n");
        if (m->e_licence)
            guide_append(_("   No need to bring it: the electronic licence “%s” is used instead.\n"), m->e_licence);
        if (m->blank_form || m->sample)
            guide_append("   %s\n", m->blank_form && m->sample ? _("A blank form and a filled-in sample are available.")
                                   : m->blank_form           ? _("A blank form is available.")
                                                             : _("A filled-in sample is available."));
        if (m->notes[0])
            guide_append("   %s\n", m->notes);
    }
}

static void guide_build_how(const struct catalogue_item *item)
{
    guide_append("# %s\n", guide_text_section_title(GUIDE_HOW));
    guide_append(_("Who can apply: %s\n"), item->conditions);
    for (size_t i = 0; i < item->step_count; i++)
        guide_append(_("%d. %s: %s\n"), (int)i + 1, item->steps[i].title, item->steps[i].description);
    for (size_t i = 0; i < item->special_procedure_count; i++)
        guide_append(_("This service also needs: %s (not counted in the time limit).\n"), item->special_procedures[i]);
}

static void guide_build_time(const struct catalogue_item *item)
{
    char promised[64], legal[64];
    guide_append("# %s\n", guide_text_section_title(GUIDE_TIME));
    guide_text_limit(&item->promised_limit, promised, sizeof promised);
    guide_append(_("Promised: %s.\n"), promised);
    if (item->legal_limit.present) {
        guide_text_limit(&item->legal_limit, legal, sizeof legal);
        guide_append(_("Legal limit: %s.\n"), legal);
    }
    if (item->limit_note[0])
        guide_append("%s\n", item->limit_note);
}

static void guide_build_cost(const struct catalogue_item *item)
{
    guide_append("# %s\n", guide_text_section_title(GUIDE_COST));
    if (!item->fee_count)
        guide_append("%s\n", _("Free of charge."));
    for (size_t i = 0; i < item->fee_count; i++)
        guide_append(_("• %s: %s (basis: %s)\n"), item->fees[i].name, item->fees[i].standard, item->fees[i].basis);
}

static void guide_build_where(const struct catalogue *catalogue, const struct catalogue_item *item)
{
    guide_append("# %s\n", guide_text_section_title(GUIDE_WHERE));
    if (item->kiosk_filable)
        guide_append("%s\n", _("You can apply at this kiosk."));
    if (item->mobile)
        guide_append("%s\n", _("You can apply in the iShandong app."));
    if (item->online_url)
        guide_append(_("You can apply online: %s\n"), item->online_url);
    if (item->window_hall_count) {
        guide_append(_("At a service window (at most %d visit(s)):\n"), item->window_visits);
        for (size_t i = 0; i < item->window_hall_count; i++) {
            const struct catalogue_hall *hall = &catalogue->halls[item->window_halls[i]];
            guide_append(_("• %s, %s\n%s"), hall->name, hall->address, hall->hours);
            if (hall->phone[0])
                guide_append(_(", phone %s"), hall->phone);
            guide_append("\n");
        }
    }
}

static void guide_build_faq(const struct catalogue_item *item)
{
    guide_append("# %s\n", guide_text_section_title(GUIDE_FAQ));
    if (!item->faq_count)
        guide_append("%s\n", _("No common questions yet. The service phone can help."));
    for (size_t i = 0; i < item->faq_count; i++)
        guide_append(_("Q: %s\nA: %s\n\n"), item->faq[i].question, item->faq[i].answer);
    guide_append("\n%s\n", _("About this service"));
    guide_append(_("Code: %s\nType: %s\nHandled by: %s\nLegal basis: %s\n"), item->implementation_code, item->type,
                 item->agency_name, item->legal_basis_count ? item->legal_basis[0] : "");
}

static void guide_build(void)
{
    const struct catalogue *catalogue = app_catalogue();
    guide.used = 0;
    guide.text[0] = '\0';
    snprintf(guide.language, sizeof guide.language, "%s", i18n_language());
    if (!catalogue || guide.item < 0 || (size_t)guide.item >= catalogue->item_count)
        return;
    const struct catalogue_item *item = &catalogue->items[guide.item];
    guide_build_bring(item);
    guide_build_how(item);
    guide_build_time(item);
    guide_build_cost(item);
    guide_build_where(catalogue, item);
    guide_build_faq(item);
}

static void guide_enter(const void *arg)
{
    memset(&guide, 0, sizeof guide);
    guide.item = arg ? *(const long *)arg : -1;
    guide_build();
}

/* The banner: can this be done here, said in words and with a mark, not colour alone. */
static int guide_draw_banner(struct render *render, struct ui_rect area, const struct catalogue_item *item)
{
    const struct theme *t = theme_get();
    const char *text = item->kiosk_filable ? _("✓ You can apply for this at this kiosk.")
                                           : _("This kiosk cannot take this application. See “Where to go”.");
    struct text_style style = { t->text_body, TEXT_BOLD, item->kiosk_filable ? t->success : t->text, TEXT_ALIGN_LEFT };
    int h = text_height_du(render, &style, area.w - 2 * t->space_m, text) + 2 * t->space_s;
    struct ui_rect box = { area.x, area.y, area.w, h };
    render_fill_round_rect(render, box, t->radius / 2, t->surface);
    render_stroke_round_rect(render, box, t->radius / 2, t->stroke, item->kiosk_filable ? t->success : t->border);
    struct widget_label label = { { box.x + t->space_m, box.y + t->space_s, box.w - 2 * t->space_m, h }, text, style };
    widget_label_draw(render, &label);
    return h;
}

static void guide_draw_print_dialog(struct render *render)
{
    struct widget_dialog *d = &guide.dialog;
    /* Only the texts change here: the buttons keep their pressed state between frames. */
    d->primary.style = BUTTON_PRIMARY;
    d->secondary.style = BUTTON_SECONDARY;
    d->primary.text = d->secondary.text = NULL;
    switch (guide.print_state) {
    case GUIDE_PRINT_NONE:
        return;
    case GUIDE_PRINT_UNAVAILABLE:
        d->title = _("The receipt printer is not available");
        d->message = guide.print_msgid[0] ? _(guide.print_msgid)
                                          : _("This kiosk cannot print the guide right now. You can find the same guide "
                                              "in the iShandong app, or ask at a service window.");
        d->primary.text = _("OK");
        break;
    case GUIDE_PRINT_SENDING:
        d->title = _("Printing…");
        d->message = _("Your receipt is being printed. Please wait.");
        break;
    case GUIDE_PRINT_DONE:
        d->title = _("Printed");
        d->message = _("Please take your receipt from the slot below the screen.");
        d->primary.text = _("OK");
        break;
    case GUIDE_PRINT_FAILED:
        d->title = _("The receipt was not printed");
        snprintf(guide.text_scratch, sizeof guide.text_scratch, "%s\n%s", _(guide.print_msgid),
                 guide.print_retryable ? _("Your receipt is kept. When the printer is ready again, tap Retry.") : "");
        d->message = guide.text_scratch;
        if (guide.print_retryable) {
            d->primary.text = _("Retry");
            d->secondary.text = _("Close");
        } else {
            d->primary.text = _("Close");
        }
        break;
    }
    widget_dialog_draw(render, d);
}

/* Hands the guide's content (the receipt's blocks: text, no pixels) to the printer's worker,
 * which draws, encodes and stores it off this thread. */
static void guide_print(const struct catalogue *catalogue, const struct catalogue_item *item)
{
    const struct config *config = app_config();
    guide.print_msgid[0] = '\0';
    if (!app_device_present(DEVICE_RECEIPT_PRINTER)) {
        const char *reason = app_device_reason(DEVICE_RECEIPT_PRINTER);
        snprintf(guide.print_msgid, sizeof guide.print_msgid, "%s", reason ? reason : "");
        guide.print_state = GUIDE_PRINT_UNAVAILABLE;
        return;
    }
    char when[32];
    struct tm local;
    clock_local_time(clock_wall_seconds(), config->utc_offset_minutes, &local);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", &local);
    int rc = receipt_submit_guide(catalogue, item, config->unit_id, when);
    if (rc < 0) {
        log_error("guide", "cannot print the guide of %s: %s", item->implementation_code,
                  rc == -ESRCH ? "no receipt printer worker" : strerror(-rc));
        guide.print_state = GUIDE_PRINT_UNAVAILABLE;
    } else {
        guide.print_state = GUIDE_PRINT_SENDING;
        guide.print_job = 0;
    }
}

static void guide_message(const struct msg *m)
{
    if (m->kind != MSG_PRINT_JOB || (guide.print_state != GUIDE_PRINT_SENDING && guide.print_state != GUIDE_PRINT_FAILED))
        return;
    const struct msg_print_job *job = &m->u.print_job;
    if (job->printer != PRINT_PRINTER_RECEIPT)
        return; /* the certificate printer's jobs are not the guide's receipt */
    /* Jobs go one at a time; the first one named while we wait is ours. */
    if (guide.print_job && job->job_id != guide.print_job)
        return;
    guide.print_job = job->job_id;
    if (job->state == PRINT_JOB_SENDING) {
        guide.print_state = GUIDE_PRINT_SENDING;
    } else if (job->state == PRINT_JOB_PRINTED) {
        guide.print_state = GUIDE_PRINT_DONE;
    } else {
        guide.print_state = GUIDE_PRINT_FAILED;
        guide.print_retryable = job->retryable && job->job_id;
        snprintf(guide.print_msgid, sizeof guide.print_msgid, "%s", job->msgid);
    }
    screen_request_redraw();
}

static void guide_draw(struct render *render)
{
    const struct theme *t = theme_get();
    const struct catalogue *catalogue = app_catalogue();
    if (!catalogue || guide.item < 0 || (size_t)guide.item >= catalogue->item_count) {
        struct ui_rect content = screen_frame_draw(render, &guide.frame, _("Service guides"));
        struct widget_label missing = { content, _("This service is no longer in the catalogue."),
                                        { t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_LEFT } };
        widget_label_draw(render, &missing);
        return;
    }
    const struct catalogue_item *item = &catalogue->items[guide.item];
    if (strcmp(guide.language, i18n_language()))
        guide_build();
    struct ui_rect content = screen_frame_draw(render, &guide.frame, item->name);
    int y = content.y;
    y += guide_draw_banner(render, (struct ui_rect){ content.x, y, content.w, 0 }, item) + t->space_m;

    /* Section buttons, three a row, so a resident can go straight to 多少钱. */
    int gap = t->space_s, per_row = 3;
    int w = (content.w - (per_row - 1) * gap) / per_row;
    for (int i = 0; i < GUIDE_SECTION_COUNT; i++) {
        struct widget_button *b = &guide.sections[i];
        b->rect = (struct ui_rect){ content.x + (i % per_row) * (w + gap), y + (i / per_row) * (t->touch_min + gap), w,
                                    t->touch_min };
        b->text = guide_text_section_title(i);
        b->style = BUTTON_SECONDARY;
        widget_button_draw(render, b);
    }
    y += 2 * t->touch_min + gap + t->space_m;

    int bottom = content.y + content.h - t->touch_min;
    /* Once the guide is printed, rating the service is one tap away (never in the way). */
    const int print_w = guide.printed ? (content.w - gap) / 2 : content.w;
    guide.print.rect = (struct ui_rect){ content.x, bottom, print_w, t->touch_min };
    guide.print.text = _("Print this guide");
    guide.print.style = guide.printed ? BUTTON_SECONDARY : BUTTON_PRIMARY;
    widget_button_draw(render, &guide.print);
    guide.rate.rect = (struct ui_rect){ 0, 0, 0, 0 };
    if (guide.printed) {
        guide.rate.rect = (struct ui_rect){ content.x + print_w + gap, bottom, content.w - print_w - gap, t->touch_min };
        guide.rate.text = _("Rate this service");
        guide.rate.style = BUTTON_PRIMARY;
        widget_button_draw(render, &guide.rate);
    }

    guide.view.rect = (struct ui_rect){ content.x, y, content.w, bottom - t->space_m - y };
    guide.view.text = guide.text;
    guide.view.style = (struct text_style){ t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_LEFT };
    widget_scrollview_draw(render, &guide.view);

    guide_draw_print_dialog(render);
}

static bool guide_event(const struct ui_event *event)
{
    if (guide.print_state != GUIDE_PRINT_NONE) {
        enum widget_dialog_choice choice = widget_dialog_event(&guide.dialog, event);
        if (choice == DIALOG_PRIMARY && guide.print_state == GUIDE_PRINT_FAILED && guide.print_retryable) {
            guide.print_state = receipt_worker_retry(guide.print_job) == 0 ? GUIDE_PRINT_SENDING : GUIDE_PRINT_UNAVAILABLE;
            screen_request_redraw();
        } else if (choice != DIALOG_NONE && guide.print_state != GUIDE_PRINT_SENDING) {
            guide.printed |= guide.print_state == GUIDE_PRINT_DONE;
            guide.print_state = GUIDE_PRINT_NONE;
            screen_request_redraw();
        }
        return true;
    }
    if (screen_frame_event(&guide.frame, event))
        return true;
    for (int i = 0; i < GUIDE_SECTION_COUNT; i++) {
        enum widget_result r = widget_button_event(&guide.sections[i], event);
        if (r == WIDGET_ACTIVATED)
            widget_scrollview_scroll_to_heading(&guide.view, i);
        if (r != WIDGET_IGNORED)
            return true;
    }
    enum widget_result r = widget_button_event(&guide.rate, event);
    const struct catalogue *rated = app_catalogue();
    if (r == WIDGET_ACTIVATED && rated && guide.item >= 0 && (size_t)guide.item < rated->item_count) {
        const struct evaluate_subject subject = { rated->items[guide.item].implementation_code,
                                                  rated->items[guide.item].name };
        screen_manager_push(SCREEN_evaluate, &subject); /* copied on entry */
    }
    if (r != WIDGET_IGNORED)
        return true;
    r = widget_button_event(&guide.print, event);
    if (r == WIDGET_ACTIVATED) {
        const struct catalogue *catalogue = app_catalogue();
        guide.dialog = (struct widget_dialog){ 0 };
        if (catalogue && guide.item >= 0 && (size_t)guide.item < catalogue->item_count)
            guide_print(catalogue, &catalogue->items[guide.item]);
        screen_request_redraw();
    }
    if (r != WIDGET_IGNORED)
        return true;
    return widget_scrollview_event(&guide.view, event) != WIDGET_IGNORED;
}

const struct screen screen_guide = {
    .name = "guide",
    .enter = guide_enter,
    .event = guide_event,
    .draw = guide_draw,
    .message = guide_message,
};
