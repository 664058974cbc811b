#include "firmware/print/receipt_worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "firmware/core/clock.h"
#include "firmware/storage/db.h"
#include "drivers/escpos/escpos_printer.h"
#include "firmware/core/i18n.h"
#include "firmware/print/job_inbox.h"
#include "firmware/core/log.h"
#include "firmware/print/print_jobs.h"
#include "firmware/print/printer_report.h"
#include "drivers/escpos/receipt_port.h"
#include "firmware/platform/telemetry.h"

#define RECEIPT_WORKER_REOPEN_MS 3000

static struct {
    pthread_t thread;
    bool running;
    struct job_inbox inbox; /* commands from other threads */
    struct msgqueue *queue;
    char address[256];
    char db_path[512];
    char profile_name[32];
    _Atomic(const struct escpos_profile *) profile;
    int poll_interval_ms, confirm_timeout_ms;
    /* the worker thread's own */
    struct db *db;
    struct receipt_port port;
    struct escpos_printer printer;
    int usable; /* -1 unknown, 0 unusable, 1 usable: what the UI was told last */
    enum escpos_condition condition;
} receipt_worker = { .inbox = JOB_INBOX_INITIALIZER };

/* Tells the UI when the printer becomes usable or unusable (not on every poll). */
static void receipt_worker_set_usable(bool usable, enum escpos_condition condition, const char *msgid)
{
    if (receipt_worker.usable == (int)usable && receipt_worker.condition == condition)
        return;
    receipt_worker.usable = usable;
    receipt_worker.condition = condition;
    log_info("receipt", "printer %s: %s", usable ? "usable" : "unusable", escpos_condition_technician_text(condition));
    printer_report_status(receipt_worker.queue, DEVICE_RECEIPT_PRINTER, usable, msgid,
                          telemetry_state_receipt(condition));
}

static void receipt_worker_post_job(int64_t id, enum print_job_state state, bool retryable, const char *msgid,
                                    const char *reason)
{
    printer_report_job(receipt_worker.queue, PRINT_PRINTER_RECEIPT, id, state, retryable, msgid, reason);
}

static void receipt_worker_close(void)
{
    receipt_port_close(&receipt_worker.port);
}

static bool receipt_worker_open(void)
{
    if (receipt_worker.port.transport)
        return true;
    char err[300];
    int rc = receipt_port_open(receipt_worker.address, &receipt_worker.port, err, sizeof err);
    if (rc < 0) {
        if (receipt_worker.usable != 0)
            log_warn("receipt", "%s", err);
        receipt_worker_set_usable(false, ESCPOS_CONDITION_NOT_ANSWERING,
                                  escpos_condition_resident_msgid(ESCPOS_CONDITION_NOT_ANSWERING));
        return false;
    }
    const struct escpos_profile *profile = receipt_port_profile(&receipt_worker.port, receipt_worker.profile_name);
    atomic_store(&receipt_worker.profile, profile);
    escpos_printer_init(&receipt_worker.printer, receipt_worker.port.transport, profile);
    if (receipt_worker.confirm_timeout_ms)
        receipt_worker.printer.confirm_timeout_ms = receipt_worker.confirm_timeout_ms;
    return true;
}

/* Asks the printer how it is and tells the UI about a change. */
static void receipt_worker_poll(void)
{
    if (!receipt_worker_open())
        return;
    if (!atomic_load(&receipt_worker.profile)->status_over_usb) {
        /* A printer that cannot answer is assumed ready; its jobs end "sent". */
        receipt_worker_set_usable(true, ESCPOS_CONDITION_READY, "");
        return;
    }
    struct escpos_status status;
    int rc = escpos_printer_query_status(&receipt_worker.printer, &status);
    if (rc == -ENODEV || rc == -EIO)
        receipt_worker_close();
    enum escpos_condition condition = rc < 0 ? ESCPOS_CONDITION_NOT_ANSWERING : escpos_status_condition(&status);
    receipt_worker_set_usable(!escpos_condition_blocks_printing(condition), condition,
                              escpos_condition_resident_msgid(condition));
}

/* Sends one claimed job and ends it. */
static void receipt_worker_send(int64_t id)
{
    void *bytes = NULL;
    size_t len = 0;
    if (print_jobs_load_payload(receipt_worker.db, id, &bytes, &len) != 0) {
        log_error("receipt", "job %lld: cannot load it: %s", (long long)id, db_error(receipt_worker.db));
        free(bytes);
        return;
    }
    int64_t now = (int64_t)clock_wall_seconds();
    if (print_jobs_claim(receipt_worker.db, id, now) != 0) {
        free(bytes); /* printed, sending, or failed for good: nothing to do */
        return;
    }
    receipt_worker_post_job(id, PRINT_JOB_SENDING, false, NULL, NULL);
    struct escpos_job_result result = { .outcome = ESCPOS_JOB_FAILED_RETRYABLE, .reason = ESCPOS_JOB_REASON_DEVICE_GONE,
                                        .condition = ESCPOS_CONDITION_NOT_ANSWERING };
    if (receipt_worker_open())
        escpos_printer_send_job(&receipt_worker.printer, bytes, len, &result);
    free(bytes);
    now = (int64_t)clock_wall_seconds();
    if (result.outcome == ESCPOS_JOB_CONFIRMED || result.outcome == ESCPOS_JOB_SENT_UNCONFIRMED) {
        print_jobs_finish_printed(receipt_worker.db, id, now);
        log_info("receipt", "job %lld printed (%zu bytes%s)", (long long)id, result.bytes_sent,
                 result.outcome == ESCPOS_JOB_SENT_UNCONFIRMED ? ", unconfirmed: this printer cannot answer" : "");
        receipt_worker_post_job(id, PRINT_JOB_PRINTED, false, NULL, NULL);
        receipt_worker_poll(); /* a retry after new paper: the UI learns the printer is back */
        return;
    }
    char reason[PRINT_JOB_REASON_MAX];
    const char *msgid;
    if (result.reason == ESCPOS_JOB_REASON_PRINTER_CONDITION) {
        snprintf(reason, sizeof reason, "%s", escpos_condition_technician_text(result.condition));
        msgid = escpos_condition_resident_msgid(result.condition);
    } else {
        snprintf(reason, sizeof reason, "%s", escpos_job_reason_text(result.reason));
        msgid = escpos_condition_resident_msgid(ESCPOS_CONDITION_NOT_ANSWERING);
    }
    bool retryable = result.outcome == ESCPOS_JOB_FAILED_RETRYABLE;
    if (print_jobs_finish_failed(receipt_worker.db, id, retryable, reason, now) < 0)
        log_error("receipt", "job %lld: %s", (long long)id, db_error(receipt_worker.db));
    log_warn("receipt", "job %lld failed (%s): %s", (long long)id, retryable ? "retryable" : "final", reason);
    if (result.reason == ESCPOS_JOB_REASON_DEVICE_GONE || result.reason == ESCPOS_JOB_REASON_IO_ERROR)
        receipt_worker_close();
    receipt_worker_post_job(id, PRINT_JOB_FAILED, retryable, msgid, reason);
    receipt_worker_poll(); /* the UI learns at once that the printer is out of paper */
}

static void receipt_worker_send_queued(void)
{
    int64_t id;
    while (!job_inbox_stopping(&receipt_worker.inbox) && print_jobs_next_queued(receipt_worker.db, PRINT_PRINTER_RECEIPT, &id) == 0)
        receipt_worker_send(id);
}

static void *receipt_worker_main(void *unused)
{
    (void)unused;
    char err[512];
    if (db_open(receipt_worker.db_path, &receipt_worker.db, err, sizeof err) < 0) {
        log_error("receipt", "%s", err);
        receipt_worker_set_usable(false, ESCPOS_CONDITION_NOT_ANSWERING,
                                  escpos_condition_resident_msgid(ESCPOS_CONDITION_NOT_ANSWERING));
        job_inbox_stop(&receipt_worker.inbox); /* no job can be stored: submitting says so at once */
        return NULL;
    }
    int interrupted = 0;
    if (print_jobs_mark_interrupted(receipt_worker.db, PRINT_PRINTER_RECEIPT,
                                    "interrupted by a restart while sending: may be partly printed; retry by hand",
                                    (int64_t)clock_wall_seconds(), &interrupted) < 0)
        log_error("receipt", "%s", db_error(receipt_worker.db));
    else if (interrupted)
        log_warn("receipt", "%d job(s) were being sent when the kiosk stopped: kept as failed, retryable", interrupted);
    receipt_worker_poll();
    receipt_worker_send_queued(); /* jobs queued before a restart */
    int64_t last_poll = clock_monotonic_ms();
    while (!job_inbox_stopping(&receipt_worker.inbox)) {
        int wait = receipt_worker.port.transport ? receipt_worker.poll_interval_ms : RECEIPT_WORKER_REOPEN_MS;
        struct job_command *command = job_inbox_take(&receipt_worker.inbox, wait);
        if (command) {
            if (command->retry_id) {
                receipt_worker_send(command->retry_id);
            } else {
                int64_t id;
                if (print_jobs_add(receipt_worker.db, PRINT_PRINTER_RECEIPT, command->kind, command->bytes, command->len,
                                   (int64_t)clock_wall_seconds(), &id) < 0) {
                    log_error("receipt", "cannot store a job: %s", db_error(receipt_worker.db));
                    receipt_worker_post_job(0, PRINT_JOB_FAILED, false,
                                            N_("The receipt could not be printed. Please ask staff for help."),
                                            db_error(receipt_worker.db));
                } else {
                    receipt_worker_send_queued();
                }
            }
            job_command_free(command);
            last_poll = clock_monotonic_ms();
        } else if (clock_monotonic_ms() - last_poll >= wait) {
            receipt_worker_poll();
            last_poll = clock_monotonic_ms();
        }
    }
    receipt_worker_close();
    db_close(receipt_worker.db);
    receipt_worker.db = NULL;
    return NULL;
}

int receipt_worker_start(struct msgqueue *queue, const struct receipt_worker_options *options)
{
    if (receipt_worker.running)
        return -EALREADY;
    receipt_worker.queue = queue;
    snprintf(receipt_worker.address, sizeof receipt_worker.address, "%s", options->address);
    snprintf(receipt_worker.db_path, sizeof receipt_worker.db_path, "%s", options->db_path);
    snprintf(receipt_worker.profile_name, sizeof receipt_worker.profile_name, "%s",
             options->profile ? options->profile : "auto");
    const struct escpos_profile *named = escpos_profile_find(receipt_worker.profile_name);
    atomic_store(&receipt_worker.profile, named ? named : escpos_profile_find("generic-80mm"));
    receipt_worker.poll_interval_ms = options->poll_interval_ms > 0 ? options->poll_interval_ms : 5000;
    receipt_worker.confirm_timeout_ms = options->confirm_timeout_ms;
    job_inbox_open(&receipt_worker.inbox);
    receipt_worker.usable = -1;
    receipt_worker.condition = ESCPOS_CONDITION_READY;
    int rc = pthread_create(&receipt_worker.thread, NULL, receipt_worker_main, NULL);
    if (rc != 0) {
        job_inbox_stop(&receipt_worker.inbox);
        return -rc;
    }
    receipt_worker.running = true;
    return 0;
}

void receipt_worker_stop(void)
{
    if (!receipt_worker.running)
        return;
    job_inbox_stop(&receipt_worker.inbox);
    pthread_join(receipt_worker.thread, NULL);
    receipt_worker.running = false;
    /* Jobs not yet taken are in memory only: they were never stored, so none is half-done. */
    job_inbox_drain(&receipt_worker.inbox);
}

const struct escpos_profile *receipt_worker_profile(void)
{
    const struct escpos_profile *profile = atomic_load(&receipt_worker.profile);
    return profile ? profile : escpos_profile_find("generic-80mm");
}

int receipt_worker_submit(const char *kind, const uint8_t *job, size_t len)
{
    return job_inbox_submit(&receipt_worker.inbox, kind, job, len);
}

int receipt_worker_retry(int64_t job_id)
{
    return job_inbox_retry(&receipt_worker.inbox, job_id);
}
