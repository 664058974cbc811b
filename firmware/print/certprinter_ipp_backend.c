/* certprinter_ipp_backend: the certificate printer as an IPP Everywhere printer (ipp://,
 * ipps://, or http:// as ipp-usb offers a USB laser at localhost:60000), on the worker
 * skeleton (print_worker.h). A page is encoded as a PWG raster document on the worker (made
 * without asking the printer; fitted to what the printer takes when sent), stored sealed
 * before anything is sent, and ended printed only when the printer says the job completed,
 * or failed with the condition in the resident's words (certprinter_jobs.h).
 *
 * At start, before any new job, jobs the kiosk left sending are settled with the printer by
 * their IPP job-id (never resent on their own). While idle it asks the printer's state every
 * poll interval (not answering, out of paper, jammed, door open, wrong paper, ...); what the
 * printer says it takes (resolutions, media) is kept for certprinter_capabilities. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/certprinter/certprinter_ipp.h"
#include "firmware/core/log.h"
#include "firmware/platform/telemetry.h"
#include "firmware/print/certprinter_backend.h"
#include "firmware/print/certprinter_jobs.h"

#define IPP_MODULE "certprinter"

static struct {
    char uri[1024], unit_id[64], media[64];
    int request_timeout_ms, job_timeout_ms;
    struct certprinter_ipp *ipp; /* opened at start; used by the worker thread only */
    /* what the printer last said it takes, for capabilities (any thread) */
    pthread_mutex_t taken_lock;
    bool answered;
    int resolution_count;
    int resolutions[CERTPRINTER_DPI_MAX];
    bool a4, a5;
} ipp = { .taken_lock = PTHREAD_MUTEX_INITIALIZER };

static void ipp_set_condition(struct print_worker *w, enum certprinter_condition condition, bool usable,
                              const char *technician)
{
    char line[600];
    if (usable && condition != CERTPRINTER_READY)
        snprintf(line, sizeof line, "printer usable (%s)", certprinter_condition_name(condition));
    else if (usable)
        snprintf(line, sizeof line, "printer usable");
    else
        snprintf(line, sizeof line, "printer unusable: %s: %s", certprinter_condition_name(condition), technician);
    print_worker_set_status(w, usable, (int)condition, certprinter_condition_resident_msgid(condition),
                            telemetry_state_ipp(condition), line);
}

static void ipp_broken(struct print_worker *w, const char *why)
{
    ipp_set_condition(w, CERTPRINTER_OTHER_ERROR, false, why);
}

static void ipp_reconciled(const struct certprinter_jobs_run *run, void *context)
{
    (void)context;
    log_info(IPP_MODULE, "job %lld, left sending by the last run: %s (%s)", (long long)run->job.id,
             print_job_state_name(run->job.state), certprinter_condition_name(run->result.condition));
}

static void ipp_recover(struct print_worker *w, struct db *db)
{
    (void)w;
    int settled = 0;
    /* A job still printing is followed to its end (a laser warming up takes a while): the
     * job's own time, not one request's. */
    if (certprinter_jobs_reconcile(db, ipp.ipp, ipp.unit_id, ipp.job_timeout_ms, ipp_reconciled, NULL, &settled) < 0)
        log_error(IPP_MODULE, "%s", db_error(db));
}

static bool ipp_open(struct print_worker *w)
{
    (void)w;
    return true; /* the handle connects per request */
}

static void ipp_close(struct print_worker *w)
{
    (void)w;
}

static void ipp_keep_taken(const struct certprinter_ipp_printer *printer)
{
    pthread_mutex_lock(&ipp.taken_lock);
    ipp.answered = true;
    ipp.resolution_count = 0;
    for (int i = 0; i < printer->resolution_count && ipp.resolution_count < CERTPRINTER_DPI_MAX; i++)
        ipp.resolutions[ipp.resolution_count++] = printer->resolutions[i];
    ipp.a4 = ipp.a5 = printer->media_supported_count == 0; /* says nothing: both */
    for (int i = 0; i < printer->media_supported_count; i++) {
        ipp.a4 |= !strcmp(printer->media_supported[i], certprinter_pwg_media(PRINT_PAPER_A4));
        ipp.a5 |= !strcmp(printer->media_supported[i], certprinter_pwg_media(PRINT_PAPER_A5));
    }
    pthread_mutex_unlock(&ipp.taken_lock);
}

/* Asks the printer how it is (Get-Printer-Attributes) and tells the UI about a change: not
 * answering, a reason that stops printing, or the unit's paper not in the tray. */
static void ipp_poll(struct print_worker *w)
{
    struct certprinter_ipp_printer printer;
    int err = certprinter_ipp_get_printer(ipp.ipp, &printer);
    if (err < 0) {
        ipp_set_condition(w, err == -EPROTO ? CERTPRINTER_OTHER_ERROR : CERTPRINTER_NOT_ANSWERING, false,
                          certprinter_ipp_last_error(ipp.ipp));
        return;
    }
    ipp_keep_taken(&printer);
    bool blocking;
    enum certprinter_condition condition = certprinter_ipp_printer_condition(&printer, &blocking);
    if (!blocking && !printer.takes_pwg_raster) {
        condition = CERTPRINTER_CANNOT_PRINT;
        blocking = true;
    } else if (!blocking && !certprinter_ipp_media_ready(&printer, ipp.media)) {
        condition = CERTPRINTER_WRONG_MEDIA;
        blocking = true;
    }
    ipp_set_condition(w, condition, !blocking, certprinter_condition_technician_text(condition));
}

static int ipp_send(struct print_worker *w, struct db *db, const struct print_job *job,
                    struct print_send_result *result)
{
    struct certprinter_jobs_run run;
    if (certprinter_jobs_send_claimed(db, print_worker_sealer(w), ipp.ipp, job, ipp.unit_id, ipp.job_timeout_ms,
                                      &run) < 0)
        return -1;
    result->row_ended = true; /* ended by the printer's job-state, job-id kept (certprinter_jobs.h) */
    if (run.job.state == PRINT_JOB_PRINTED) {
        result->printed = true;
        snprintf(result->detail, sizeof result->detail, "printer job %s", run.job.printer_job_id);
        return 0;
    }
    result->retryable = run.job.retryable;
    result->msgid = certprinter_condition_resident_msgid(run.result.condition);
    if (!result->msgid) /* ended badly while the printer looked fine: the job stopped */
        result->msgid = certprinter_condition_resident_msgid(CERTPRINTER_JOB_STOPPED);
    snprintf(result->reason, sizeof result->reason, "%s", run.job.reason);
    snprintf(result->detail, sizeof result->detail, "%.20s: %.170s", certprinter_condition_name(run.result.condition),
             run.result.technician);
    return 0;
}

static void ipp_unreachable(struct print_worker *w, struct print_send_result *result)
{
    (void)w;
    result->retryable = true;
    result->msgid = certprinter_condition_resident_msgid(CERTPRINTER_NOT_ANSWERING);
    snprintf(result->reason, sizeof result->reason, "%s", certprinter_condition_name(CERTPRINTER_NOT_ANSWERING));
}

static int ipp_idle_wait_ms(struct print_worker *w, int poll_interval_ms)
{
    (void)w;
    return poll_interval_ms;
}

static const char *ipp_error_msgid(void)
{
    return certprinter_condition_resident_msgid(CERTPRINTER_OTHER_ERROR);
}

static const struct print_device_ops ipp_ops = {
    .module = IPP_MODULE,
    .printer = PRINT_PRINTER_CERTIFICATE,
    .error_msgid = ipp_error_msgid,
    .broken = ipp_broken,
    .recover = ipp_recover,
    .open = ipp_open,
    .poll = ipp_poll,
    .send = ipp_send,
    .unreachable = ipp_unreachable,
    .idle_wait_ms = ipp_idle_wait_ms,
    .close = ipp_close,
};

static struct print_worker ipp_worker = PRINT_WORKER_INITIALIZER(&ipp_ops, &ipp);

static bool ipp_handles(const char *address)
{
    static const char *const schemes[] = { "ipp://", "ipps://", "http://", "https://" };
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
        if (!strncmp(address, schemes[i], strlen(schemes[i])))
            return true;
    return false;
}

static int ipp_start(struct msgqueue *queue, const struct certprinter_options *options)
{
    if (print_worker_running(&ipp_worker))
        return -EALREADY;
    if (!options->address || !options->db_path)
        return -EINVAL;
    enum print_paper paper;
    if (print_paper_parse(options->config->print_paper, &paper) < 0)
        paper = PRINT_PAPER_A4;
    snprintf(ipp.uri, sizeof ipp.uri, "%s", options->address);
    snprintf(ipp.unit_id, sizeof ipp.unit_id, "%s", options->config->unit_id);
    snprintf(ipp.media, sizeof ipp.media, "%s", certprinter_pwg_media(paper));
    ipp.request_timeout_ms = options->request_timeout_ms > 0 ? options->request_timeout_ms : 5000;
    ipp.job_timeout_ms = options->job_timeout_ms > 0 ? options->job_timeout_ms : 120000;
    pthread_mutex_lock(&ipp.taken_lock);
    ipp.answered = false;
    pthread_mutex_unlock(&ipp.taken_lock);
    char err[300];
    if (certprinter_ipp_open(ipp.uri, ipp.request_timeout_ms, &ipp.ipp, err, sizeof err) < 0) {
        log_error(IPP_MODULE, "%s", err);
        return -EINVAL;
    }
    int rc = print_worker_start(&ipp_worker, queue, options->db_path, options->device_key_path,
                                options->poll_interval_ms);
    if (rc < 0) {
        certprinter_ipp_close(ipp.ipp);
        ipp.ipp = NULL;
    }
    return rc;
}

static void ipp_stop(void)
{
    if (!print_worker_running(&ipp_worker))
        return;
    print_worker_stop(&ipp_worker);
    certprinter_ipp_close(ipp.ipp);
    ipp.ipp = NULL;
}

static int ipp_submit(const char *kind, job_prepare_fn prepare, void *content, void (*content_free)(void *content))
{
    return print_worker_submit_content(&ipp_worker, kind, prepare, NULL, content, content_free);
}

static int ipp_retry(int64_t job_id)
{
    return print_worker_retry(&ipp_worker, job_id);
}

static int ipp_cancel(int64_t job_id)
{
    return print_worker_cancel(&ipp_worker, job_id);
}

static void ipp_status(struct print_worker_status *status)
{
    print_worker_status(&ipp_worker, status);
}

/* What the encoder makes (PWG raster, 1-bit or 8-bit grey, A4 or A5), narrowed to what the
 * printer said it takes once it has answered. */
static void ipp_capabilities(struct certprinter_capabilities *c)
{
    c->backend = "ipp";
    c->document_format = "image/pwg-raster";
    c->colour = false; /* black_1 or sgray_8: a licence copy is printed in black */
    c->duplex = false;
    pthread_mutex_lock(&ipp.taken_lock);
    c->from_printer = ipp.answered;
    const bool a4 = !ipp.answered || ipp.a4, a5 = !ipp.answered || ipp.a5;
    if (a4)
        c->papers[c->paper_count++] = PRINT_PAPER_A4;
    if (a5)
        c->papers[c->paper_count++] = PRINT_PAPER_A5;
    if (ipp.answered && ipp.resolution_count) {
        memcpy(c->dpi, ipp.resolutions, (size_t)ipp.resolution_count * sizeof c->dpi[0]);
        c->dpi_count = ipp.resolution_count;
    } else {
        c->dpi[0] = 300; /* the page engine's; fitted to the printer when sent */
        c->dpi_count = 1;
    }
    pthread_mutex_unlock(&ipp.taken_lock);
}

/* Black_1 at the page's own dpi: what the page engine drew, dot for dot. The job runner fits
 * it to the printer (sgray_8, another resolution) when it sends it, so the job can be stored
 * even while the printer does not answer. */
static int ipp_encode(const struct print_bitmap *page, int dpi, enum print_paper paper, uint8_t **document,
                      size_t *size, char *err, size_t errlen)
{
    struct certprinter_ipp_format format = { .dpi = dpi, .gray8 = false };
    snprintf(format.media, sizeof format.media, "%s", certprinter_pwg_media(paper));
    const struct certprinter_bitmap bitmap = { page->bits, page->width, page->height, page->stride };
    int rc = certprinter_ipp_encode_pwg(&bitmap, 1, dpi, &format, document, size);
    if (rc < 0) {
        snprintf(err, errlen, "cannot encode the page: %s", strerror(-rc));
        return -1;
    }
    return 0;
}

const struct certprinter_backend certprinter_backend_ipp = {
    .name = "ipp",
    .handles = ipp_handles,
    .start = ipp_start,
    .stop = ipp_stop,
    .submit = ipp_submit,
    .retry = ipp_retry,
    .cancel = ipp_cancel,
    .status = ipp_status,
    .capabilities = ipp_capabilities,
    .encode = ipp_encode,
};
