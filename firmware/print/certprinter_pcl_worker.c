/* certprinter_pcl_worker: the PCL certificate printer's thread (see certprinter_pcl_worker.h). */
#include "firmware/print/certprinter_pcl_worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "firmware/print/certprinter_pcl_jobs.h"
#include "firmware/core/clock.h"
#include "firmware/storage/db.h"
#include "firmware/core/i18n.h"
#include "firmware/print/job_inbox.h"
#include "firmware/core/log.h"
#include "drivers/certprinter/pcl_usb.h"
#include "firmware/print/print_jobs.h"
#include "firmware/print/printer_report.h"
#include "firmware/platform/telemetry.h"
#include "drivers/transport/transport_fd.h"
#include "firmware/platform/trust.h"
#include "drivers/transport/transport_usb_printer.h"
#include "drivers/transport/usb_link.h"

#define CERT_WORKER_REOPEN_MS 3000

static struct {
    pthread_t thread;
    bool running;
    struct job_inbox inbox; /* commands from other threads */
    struct msgqueue *queue;
    struct certprinter_pcl_worker_options options;
    char address[256];
    char db_path[512];
    struct trust_sealer sealer;
    bool sealing;
    /* the worker thread's own */
    struct db *db;
    struct transport *transport;
    struct pcl_printer printer;
    int usable; /* -1 unknown, 0 unusable, 1 usable: what the UI was told last */
    enum pcl_job_reason shown;
} cert_worker = { .inbox = JOB_INBOX_INITIALIZER };

/* Tells the UI when the printer becomes usable or unusable (not on every poll). */
static void cert_worker_set_usable(enum pcl_job_reason reason)
{
    const bool usable = reason == PCL_JOB_REASON_NONE;
    if (cert_worker.usable == (int)usable && cert_worker.shown == reason)
        return;
    cert_worker.usable = usable;
    cert_worker.shown = reason;
    log_info("certprinter", "printer %s%s%s", usable ? "usable" : "unusable", usable ? "" : ": ",
             usable ? "" : pcl_job_reason_text(reason));
    printer_report_status(cert_worker.queue, DEVICE_CERT_PRINTER, usable, pcl_job_reason_msgid(reason),
                          telemetry_state_pcl(reason));
}

static void cert_worker_post_job(int64_t id, enum print_job_state state, bool retryable, const char *msgid,
                                 const char *reason)
{
    printer_report_job(cert_worker.queue, PRINT_PRINTER_CERTIFICATE, id, state, retryable, msgid, reason);
}

static void cert_worker_close(void)
{
    transport_close(cert_worker.transport);
    cert_worker.transport = NULL;
}

static bool cert_worker_open(void)
{
    if (cert_worker.transport)
        return true;
    const char *address = cert_worker.address;
    int rc;
    struct usb_link_match match;
    const bool usb = !strncmp(address, "usb:", 4);
    if (usb)
        rc = usb_link_match_parse(address + 4, &match) < 0 ? -EINVAL
                                                           : transport_usb_printer_open(NULL, &match, &cert_worker.transport);
    else
        rc = transport_fd_open(address, &cert_worker.transport);
    if (rc < 0) {
        if (cert_worker.usable != 0)
            log_warn("certprinter", "cannot open %s: %s", address, usb ? usb_link_strerror(rc) : strerror(-rc));
        cert_worker.transport = NULL;
        cert_worker_set_usable(PCL_JOB_REASON_DEVICE_GONE);
        return false;
    }
    pcl_printer_init(&cert_worker.printer, cert_worker.transport);
    if (cert_worker.options.write_timeout_ms > 0)
        cert_worker.printer.write_timeout_ms = cert_worker.options.write_timeout_ms;
    if (cert_worker.options.port_status) {
        cert_worker.printer.port_status = cert_worker.options.port_status;
        cert_worker.printer.soft_reset = cert_worker.options.soft_reset;
        cert_worker.printer.link_context = cert_worker.options.link_context;
    } else {
        cert_worker.printer.port_status = usb ? pcl_usb_port_status : pcl_lp_port_status;
        cert_worker.printer.soft_reset = usb ? pcl_usb_soft_reset : pcl_lp_soft_reset;
        cert_worker.printer.link_context = cert_worker.transport;
    }
    return true;
}

/* Reads the port and tells the UI about a change. A link without port status is assumed
 * ready; its jobs still fail on a stalled write. */
static void cert_worker_poll(void)
{
    if (!cert_worker_open())
        return;
    uint8_t status;
    int rc = cert_worker.printer.port_status(cert_worker.printer.link_context, &status);
    if (rc == -ENODEV) {
        cert_worker_close();
        cert_worker_set_usable(PCL_JOB_REASON_DEVICE_GONE);
        return;
    }
    cert_worker_set_usable(rc < 0 ? PCL_JOB_REASON_NONE : pcl_port_status_reason(status));
}

static void cert_worker_send(int64_t id)
{
    cert_worker_post_job(id, PRINT_JOB_SENDING, false, NULL, NULL);
    struct certprinter_pcl_jobs_run run;
    int rc;
    if (cert_worker_open()) {
        rc = certprinter_pcl_jobs_run(cert_worker.db, cert_worker.sealing ? &cert_worker.sealer : NULL,
                                      &cert_worker.printer, id, (int64_t)clock_wall_seconds(), &run);
    } else {
        /* No printer: the job waits, failed and retryable, instead of being lost. */
        rc = print_jobs_claim(cert_worker.db, id, (int64_t)clock_wall_seconds());
        if (rc == 0)
            rc = print_jobs_finish_failed(cert_worker.db, id, true, pcl_job_reason_text(PCL_JOB_REASON_DEVICE_GONE),
                                          (int64_t)clock_wall_seconds());
        memset(&run, 0, sizeof run);
        run.result.outcome = PCL_JOB_FAILED_RETRYABLE;
        run.result.reason = PCL_JOB_REASON_DEVICE_GONE;
        if (rc == 0)
            rc = print_jobs_get(cert_worker.db, id, &run.job) < 0 ? -1 : 0;
    }
    if (rc < 0) {
        log_error("certprinter", "job %lld: %s", (long long)id, db_error(cert_worker.db));
        return;
    }
    if (rc == 1)
        return; /* printed, sending, or failed for good: nothing to do */
    if (run.result.outcome == PCL_JOB_PRINTED) {
        log_info("certprinter", "job %lld printed (%zu bytes)", (long long)id, run.result.bytes_sent);
        cert_worker_post_job(id, PRINT_JOB_PRINTED, false, NULL, NULL);
    } else {
        const bool retryable = run.result.outcome == PCL_JOB_FAILED_RETRYABLE;
        log_warn("certprinter", "job %lld failed (%s): %s", (long long)id, retryable ? "retryable" : "final",
                 pcl_job_reason_text(run.result.reason));
        if (run.result.reason == PCL_JOB_REASON_DEVICE_GONE || run.result.reason == PCL_JOB_REASON_IO_ERROR)
            cert_worker_close();
        cert_worker_post_job(id, PRINT_JOB_FAILED, retryable, pcl_job_reason_msgid(run.result.reason),
                             pcl_job_reason_text(run.result.reason));
    }
    cert_worker_poll(); /* the UI learns at once that the printer is out of paper, or back */
}

static void cert_worker_send_queued(void)
{
    int64_t id;
    while (!job_inbox_stopping(&cert_worker.inbox) && print_jobs_next_queued(cert_worker.db, PRINT_PRINTER_CERTIFICATE, &id) == 0)
        cert_worker_send(id);
}

static void *cert_worker_main(void *unused)
{
    (void)unused;
    char err[512];
    if (db_open(cert_worker.db_path, &cert_worker.db, err, sizeof err) < 0) {
        log_error("certprinter", "%s", err);
        cert_worker_set_usable(PCL_JOB_REASON_IO_ERROR);
        job_inbox_stop(&cert_worker.inbox); /* no job can be stored: submitting says so at once */
        return NULL;
    }
    int interrupted = 0;
    if (certprinter_pcl_jobs_recover(cert_worker.db, (int64_t)clock_wall_seconds(), &interrupted) < 0)
        log_error("certprinter", "%s", db_error(cert_worker.db));
    else if (interrupted)
        log_warn("certprinter", "%d job(s) were being sent when the kiosk stopped: kept as failed, retryable",
                 interrupted);
    cert_worker_poll();
    cert_worker_send_queued(); /* jobs queued before a restart */
    int64_t last_poll = clock_monotonic_ms();
    while (!job_inbox_stopping(&cert_worker.inbox)) {
        int wait = cert_worker.transport ? cert_worker.options.poll_interval_ms : CERT_WORKER_REOPEN_MS;
        struct job_command *command = job_inbox_take(&cert_worker.inbox, wait);
        if (command) {
            if (command->retry_id) {
                cert_worker_send(command->retry_id);
            } else {
                int64_t id;
                int added = certprinter_pcl_jobs_add(cert_worker.db, cert_worker.sealing ? &cert_worker.sealer : NULL,
                                                     command->kind, command->bytes, command->len,
                                                     (int64_t)clock_wall_seconds(), &id);
                explicit_bzero(command->bytes, command->len); /* stored (sealed): no copy stays */
                if (added < 0) {
                    log_error("certprinter", "cannot store a job: %s", db_error(cert_worker.db));
                    cert_worker_post_job(0, PRINT_JOB_FAILED, false,
                                         pcl_job_reason_msgid(PCL_JOB_REASON_IO_ERROR), db_error(cert_worker.db));
                } else {
                    cert_worker_send_queued();
                }
            }
            job_command_free(command);
            last_poll = clock_monotonic_ms();
        } else if (clock_monotonic_ms() - last_poll >= wait) {
            cert_worker_poll();
            last_poll = clock_monotonic_ms();
        }
    }
    cert_worker_close();
    db_close(cert_worker.db);
    cert_worker.db = NULL;
    return NULL;
}

int certprinter_pcl_worker_start(struct msgqueue *queue, const struct certprinter_pcl_worker_options *options)
{
    if (cert_worker.running)
        return -EALREADY;
    if (!options->address || !options->db_path)
        return -EINVAL;
    cert_worker.queue = queue;
    cert_worker.options = *options;
    snprintf(cert_worker.address, sizeof cert_worker.address, "%s", options->address);
    snprintf(cert_worker.db_path, sizeof cert_worker.db_path, "%s", options->db_path);
    cert_worker.options.address = cert_worker.address;
    cert_worker.options.db_path = cert_worker.db_path;
    if (cert_worker.options.poll_interval_ms <= 0)
        cert_worker.options.poll_interval_ms = 5000;
    cert_worker.sealing = false;
    if (options->device_key_path) {
        char err[300];
        if (trust_sealer_open(&cert_worker.sealer, options->device_key_path, err, sizeof err) < 0) {
            log_error("certprinter", "pages could not be sealed: %s", err);
            return -EIO;
        }
        cert_worker.sealing = true;
    }
    job_inbox_open(&cert_worker.inbox);
    cert_worker.usable = -1;
    cert_worker.shown = PCL_JOB_REASON_NONE;
    int rc = pthread_create(&cert_worker.thread, NULL, cert_worker_main, NULL);
    if (rc != 0) {
        job_inbox_stop(&cert_worker.inbox);
        if (cert_worker.sealing)
            trust_sealer_close(&cert_worker.sealer);
        cert_worker.sealing = false;
        return -rc;
    }
    cert_worker.running = true;
    return 0;
}

void certprinter_pcl_worker_stop(void)
{
    if (!cert_worker.running)
        return;
    job_inbox_stop(&cert_worker.inbox);
    pthread_join(cert_worker.thread, NULL);
    cert_worker.running = false;
    if (cert_worker.sealing)
        trust_sealer_close(&cert_worker.sealer);
    cert_worker.sealing = false;
    /* Jobs not yet taken are in memory only: never stored, so none is half-done. */
    job_inbox_drain(&cert_worker.inbox);
}

int certprinter_pcl_worker_submit(const char *kind, const uint8_t *pcl, size_t len)
{
    return job_inbox_submit(&cert_worker.inbox, kind, pcl, len);
}

int certprinter_pcl_worker_retry(int64_t job_id)
{
    return job_inbox_retry(&cert_worker.inbox, job_id);
}
