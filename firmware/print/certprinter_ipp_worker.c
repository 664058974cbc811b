/* certprinter_ipp_worker: the IPP certificate printer's thread (see certprinter_ipp_worker.h). */
#include "firmware/print/certprinter_ipp_worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drivers/certprinter/certprinter_ipp.h"
#include "firmware/print/certprinter_jobs.h"
#include "firmware/core/clock.h"
#include "firmware/storage/db.h"
#include "firmware/print/job_inbox.h"
#include "firmware/core/log.h"
#include "firmware/print/print_jobs.h"
#include "firmware/print/printer_report.h"
#include "firmware/platform/telemetry.h"
#include "firmware/platform/trust.h"

#define IPP_WORKER_MODULE "certprinter"

static struct {
    pthread_t thread;
    bool running;
    struct job_inbox inbox; /* commands from other threads */
    struct msgqueue *queue;
    struct certprinter_ipp_worker_options options;
    char uri[1024], db_path[512], unit_id[64], media[64];
    struct trust_sealer sealer;
    bool sealing;
    /* the worker thread's own */
    struct certprinter_ipp *ipp;
    struct db *db;
    int usable; /* -1 unknown, 0 unusable, 1 usable: what the UI was told last */
    enum certprinter_condition shown;
} ipp_worker = { .inbox = JOB_INBOX_INITIALIZER };

/* Tells the UI when the printer becomes usable or unusable, or why it is unusable changes. */
static void ipp_worker_set_condition(enum certprinter_condition condition, bool usable, const char *technician)
{
    if (ipp_worker.usable == (int)usable && ipp_worker.shown == condition)
        return;
    ipp_worker.usable = usable;
    ipp_worker.shown = condition;
    if (usable && condition != CERTPRINTER_READY)
        log_info(IPP_WORKER_MODULE, "printer usable (%s)", certprinter_condition_name(condition));
    else if (usable)
        log_info(IPP_WORKER_MODULE, "printer usable");
    else
        log_info(IPP_WORKER_MODULE, "printer unusable: %s: %s", certprinter_condition_name(condition), technician);
    printer_report_status(ipp_worker.queue, DEVICE_CERT_PRINTER, usable, certprinter_condition_resident_msgid(condition),
                          telemetry_state_ipp(condition));
}

static void ipp_worker_post_job(int64_t id, enum print_job_state state, bool retryable, const char *msgid,
                                const char *reason)
{
    printer_report_job(ipp_worker.queue, PRINT_PRINTER_CERTIFICATE, id, state, retryable, msgid, reason);
}

/* Asks the printer how it is (Get-Printer-Attributes) and tells the UI about a change: not
 * answering, a reason that stops printing, or the unit's paper not in the tray. */
static void ipp_worker_poll(void)
{
    struct certprinter_ipp_printer printer;
    int err = certprinter_ipp_get_printer(ipp_worker.ipp, &printer);
    if (err < 0) {
        ipp_worker_set_condition(err == -EPROTO ? CERTPRINTER_OTHER_ERROR : CERTPRINTER_NOT_ANSWERING, false,
                                 certprinter_ipp_last_error(ipp_worker.ipp));
        return;
    }
    bool blocking;
    enum certprinter_condition condition = certprinter_ipp_printer_condition(&printer, &blocking);
    if (!blocking && !printer.takes_pwg_raster) {
        condition = CERTPRINTER_CANNOT_PRINT;
        blocking = true;
    } else if (!blocking && !certprinter_ipp_media_ready(&printer, ipp_worker.media)) {
        condition = CERTPRINTER_WRONG_MEDIA;
        blocking = true;
    }
    ipp_worker_set_condition(condition, !blocking, certprinter_condition_technician_text(condition));
}

static void ipp_worker_report(int64_t id, const struct certprinter_jobs_run *run)
{
    const struct certprinter_result *result = &run->result;
    if (run->job.state == PRINT_JOB_PRINTED) {
        log_info(IPP_WORKER_MODULE, "job %lld printed (printer job %s)", (long long)id, run->job.printer_job_id);
        ipp_worker_post_job(id, PRINT_JOB_PRINTED, false, NULL, NULL);
        return;
    }
    const bool retryable = run->job.retryable;
    log_warn(IPP_WORKER_MODULE, "job %lld failed (%s): %s: %s", (long long)id, retryable ? "retryable" : "final",
             certprinter_condition_name(result->condition), result->technician);
    const char *msgid = certprinter_condition_resident_msgid(result->condition);
    if (!msgid) /* ended badly while the printer looked fine: the job stopped */
        msgid = certprinter_condition_resident_msgid(CERTPRINTER_JOB_STOPPED);
    ipp_worker_post_job(id, PRINT_JOB_FAILED, retryable, msgid, run->job.reason);
}

static void ipp_worker_send(int64_t id)
{
    ipp_worker_post_job(id, PRINT_JOB_SENDING, false, NULL, NULL);
    struct certprinter_jobs_run run;
    int rc = certprinter_jobs_run(ipp_worker.db, ipp_worker.sealing ? &ipp_worker.sealer : NULL, ipp_worker.ipp, id,
                                  ipp_worker.unit_id, ipp_worker.options.job_timeout_ms, &run);
    if (rc < 0) {
        log_error(IPP_WORKER_MODULE, "job %lld: %s", (long long)id, db_error(ipp_worker.db));
        ipp_worker_post_job(id, PRINT_JOB_FAILED, true,
                            certprinter_condition_resident_msgid(CERTPRINTER_OTHER_ERROR), db_error(ipp_worker.db));
        return;
    }
    if (rc == 1)
        return; /* printed, sending, or failed for good: nothing to do */
    ipp_worker_report(id, &run);
    ipp_worker_poll(); /* the UI learns at once that the printer is out of paper, or back */
}

static void ipp_worker_send_queued(void)
{
    int64_t id;
    while (!job_inbox_stopping(&ipp_worker.inbox) &&
           print_jobs_next_queued(ipp_worker.db, PRINT_PRINTER_CERTIFICATE, &id) == 0)
        ipp_worker_send(id);
}

static void ipp_worker_reconciled(const struct certprinter_jobs_run *run, void *context)
{
    (void)context;
    log_info(IPP_WORKER_MODULE, "job %lld, left sending by the last run: %s (%s)", (long long)run->job.id,
             print_job_state_name(run->job.state), certprinter_condition_name(run->result.condition));
}

static void ipp_worker_take(struct job_command *command)
{
    if (command->retry_id) {
        ipp_worker_send(command->retry_id);
        return;
    }
    int64_t id;
    int added = certprinter_jobs_add(ipp_worker.db, ipp_worker.sealing ? &ipp_worker.sealer : NULL, command->kind,
                                     command->bytes, command->len, (int64_t)clock_wall_seconds(), &id);
    explicit_bzero(command->bytes, command->len); /* stored (sealed): no copy stays */
    if (added < 0) {
        log_error(IPP_WORKER_MODULE, "cannot store a job: %s", db_error(ipp_worker.db));
        ipp_worker_post_job(0, PRINT_JOB_FAILED, false,
                            certprinter_condition_resident_msgid(CERTPRINTER_OTHER_ERROR), db_error(ipp_worker.db));
        return;
    }
    ipp_worker_send_queued();
}

static void *ipp_worker_main(void *unused)
{
    (void)unused;
    char err[512];
    if (db_open(ipp_worker.db_path, &ipp_worker.db, err, sizeof err) < 0) {
        log_error(IPP_WORKER_MODULE, "%s", err);
        ipp_worker_set_condition(CERTPRINTER_OTHER_ERROR, false, err);
        job_inbox_stop(&ipp_worker.inbox); /* no job can be stored: submitting says so at once */
        return NULL;
    }
    /* Before anything new: what the last run left sending is asked about, never resent. */
    int settled = 0;
    /* A job still printing is followed to its end (a laser warming up takes a while): the
     * job's own time, not one request's. */
    if (certprinter_jobs_reconcile(ipp_worker.db, ipp_worker.ipp, ipp_worker.unit_id, ipp_worker.options.job_timeout_ms,
                                   ipp_worker_reconciled, NULL, &settled) < 0)
        log_error(IPP_WORKER_MODULE, "%s", db_error(ipp_worker.db));
    ipp_worker_poll();
    ipp_worker_send_queued(); /* jobs queued before a restart */
    int64_t last_poll = clock_monotonic_ms();
    while (!job_inbox_stopping(&ipp_worker.inbox)) {
        struct job_command *command = job_inbox_take(&ipp_worker.inbox, ipp_worker.options.poll_interval_ms);
        if (command) {
            ipp_worker_take(command);
            job_command_free(command);
            last_poll = clock_monotonic_ms();
        } else if (clock_monotonic_ms() - last_poll >= ipp_worker.options.poll_interval_ms) {
            ipp_worker_poll();
            last_poll = clock_monotonic_ms();
        }
    }
    db_close(ipp_worker.db);
    ipp_worker.db = NULL;
    return NULL;
}

int certprinter_ipp_worker_start(struct msgqueue *queue, const struct certprinter_ipp_worker_options *options)
{
    if (ipp_worker.running)
        return -EALREADY;
    if (!options->uri || !options->db_path)
        return -EINVAL;
    ipp_worker.queue = queue;
    ipp_worker.options = *options;
    snprintf(ipp_worker.uri, sizeof ipp_worker.uri, "%s", options->uri);
    snprintf(ipp_worker.db_path, sizeof ipp_worker.db_path, "%s", options->db_path);
    snprintf(ipp_worker.unit_id, sizeof ipp_worker.unit_id, "%s", options->unit_id ? options->unit_id : "");
    snprintf(ipp_worker.media, sizeof ipp_worker.media, "%s", options->media ? options->media : "iso_a4_210x297mm");
    if (ipp_worker.options.poll_interval_ms <= 0)
        ipp_worker.options.poll_interval_ms = 5000;
    if (ipp_worker.options.request_timeout_ms <= 0)
        ipp_worker.options.request_timeout_ms = 5000;
    if (ipp_worker.options.job_timeout_ms <= 0)
        ipp_worker.options.job_timeout_ms = 120000;
    char err[300];
    if (certprinter_ipp_open(ipp_worker.uri, ipp_worker.options.request_timeout_ms, &ipp_worker.ipp, err,
                             sizeof err) < 0) {
        log_error(IPP_WORKER_MODULE, "%s", err);
        return -EINVAL;
    }
    ipp_worker.sealing = false;
    if (options->device_key_path) {
        if (trust_sealer_open(&ipp_worker.sealer, options->device_key_path, err, sizeof err) < 0) {
            log_error(IPP_WORKER_MODULE, "pages could not be sealed: %s", err);
            certprinter_ipp_close(ipp_worker.ipp);
            ipp_worker.ipp = NULL;
            return -EIO;
        }
        ipp_worker.sealing = true;
    }
    job_inbox_open(&ipp_worker.inbox);
    ipp_worker.usable = -1;
    ipp_worker.shown = CERTPRINTER_READY;
    int rc = pthread_create(&ipp_worker.thread, NULL, ipp_worker_main, NULL);
    if (rc != 0) {
        job_inbox_stop(&ipp_worker.inbox);
        if (ipp_worker.sealing)
            trust_sealer_close(&ipp_worker.sealer);
        ipp_worker.sealing = false;
        certprinter_ipp_close(ipp_worker.ipp);
        ipp_worker.ipp = NULL;
        return -rc;
    }
    ipp_worker.running = true;
    return 0;
}

void certprinter_ipp_worker_stop(void)
{
    if (!ipp_worker.running)
        return;
    job_inbox_stop(&ipp_worker.inbox);
    pthread_join(ipp_worker.thread, NULL);
    ipp_worker.running = false;
    if (ipp_worker.sealing)
        trust_sealer_close(&ipp_worker.sealer);
    ipp_worker.sealing = false;
    certprinter_ipp_close(ipp_worker.ipp);
    ipp_worker.ipp = NULL;
    /* Jobs not yet taken are in memory only: never stored, so none is half-done. */
    job_inbox_drain(&ipp_worker.inbox);
}

bool certprinter_ipp_worker_running(void)
{
    return ipp_worker.running;
}

int certprinter_ipp_worker_submit(const char *kind, const uint8_t *document, size_t size)
{
    return job_inbox_submit(&ipp_worker.inbox, kind, document, size);
}

int certprinter_ipp_worker_retry(int64_t job_id)
{
    return job_inbox_retry(&ipp_worker.inbox, job_id);
}
