/* receipt_escpos: the ESC/POS receipt printer as a print_worker back end (receipt_backend.h):
 * the port (receipt_port.h), the printer's status (DLE EOT / GS r over the wire), and a job
 * sent with status first and GS r 1 at the end as proof (escpos_printer.h). After a restart a
 * job that was being sent is never resent on its own (it may be on paper): it stays failed
 * and retryable for a retry by hand. */
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/escpos/escpos_printer.h"
#include "drivers/escpos/receipt_port.h"
#include "firmware/core/clock.h"
#include "firmware/core/i18n.h"
#include "firmware/core/log.h"
#include "firmware/platform/telemetry.h"
#include "firmware/print/receipt.h"
#include "firmware/print/receipt_backend.h"

#define RECEIPT_ESCPOS_REOPEN_MS 3000

static struct {
    char address[256];
    char profile_name[32];
    _Atomic(const struct escpos_profile *) profile;
    int confirm_timeout_ms;
    /* the worker thread's own */
    struct receipt_port port;
    struct escpos_printer printer;
} escpos;

static void escpos_set_usable(struct print_worker *w, bool usable, enum escpos_condition condition, const char *msgid)
{
    char line[300];
    snprintf(line, sizeof line, "printer %s: %s", usable ? "usable" : "unusable",
             escpos_condition_technician_text(condition));
    print_worker_set_status(w, usable, (int)condition, msgid, telemetry_state_receipt(condition), line);
}

static void escpos_broken(struct print_worker *w, const char *why)
{
    (void)why;
    escpos_set_usable(w, false, ESCPOS_CONDITION_NOT_ANSWERING,
                      escpos_condition_resident_msgid(ESCPOS_CONDITION_NOT_ANSWERING));
}

static void escpos_recover(struct print_worker *w, struct db *db)
{
    (void)w;
    int interrupted = 0;
    if (print_jobs_mark_interrupted(db, PRINT_PRINTER_RECEIPT,
                                    "interrupted by a restart while sending: may be partly printed; retry by hand",
                                    (int64_t)clock_wall_seconds(), &interrupted) < 0)
        log_error("receipt", "%s", db_error(db));
    else if (interrupted)
        log_warn("receipt", "%d job(s) were being sent when the kiosk stopped: kept as failed, retryable", interrupted);
}

static void escpos_close(struct print_worker *w)
{
    (void)w;
    receipt_port_close(&escpos.port);
}

static bool escpos_open(struct print_worker *w)
{
    if (escpos.port.transport)
        return true;
    char err[300];
    if (receipt_port_open(escpos.address, &escpos.port, err, sizeof err) < 0) {
        if (!print_worker_told_unusable(w))
            log_warn("receipt", "%s", err);
        escpos_set_usable(w, false, ESCPOS_CONDITION_NOT_ANSWERING,
                          escpos_condition_resident_msgid(ESCPOS_CONDITION_NOT_ANSWERING));
        return false;
    }
    const struct escpos_profile *profile = receipt_port_profile(&escpos.port, escpos.profile_name);
    atomic_store(&escpos.profile, profile);
    escpos_printer_init(&escpos.printer, escpos.port.transport, profile);
    if (escpos.confirm_timeout_ms)
        escpos.printer.confirm_timeout_ms = escpos.confirm_timeout_ms;
    return true;
}

static void escpos_poll(struct print_worker *w)
{
    if (!atomic_load(&escpos.profile)->status_over_usb) {
        /* A printer that cannot answer is assumed ready; its jobs end "sent". */
        escpos_set_usable(w, true, ESCPOS_CONDITION_READY, "");
        return;
    }
    struct escpos_status status;
    int rc = escpos_printer_query_status(&escpos.printer, &status);
    if (rc == -ENODEV || rc == -EIO)
        escpos_close(w);
    enum escpos_condition condition = rc < 0 ? ESCPOS_CONDITION_NOT_ANSWERING : escpos_status_condition(&status);
    escpos_set_usable(w, !escpos_condition_blocks_printing(condition), condition,
                      escpos_condition_resident_msgid(condition));
}

static void escpos_result(const struct escpos_job_result *job, struct print_send_result *result)
{
    if (job->outcome == ESCPOS_JOB_CONFIRMED || job->outcome == ESCPOS_JOB_SENT_UNCONFIRMED) {
        result->printed = true;
        snprintf(result->detail, sizeof result->detail, "%zu bytes%s", job->bytes_sent,
                 job->outcome == ESCPOS_JOB_SENT_UNCONFIRMED ? ", unconfirmed: this printer cannot answer" : "");
        return;
    }
    if (job->reason == ESCPOS_JOB_REASON_PRINTER_CONDITION) {
        snprintf(result->reason, sizeof result->reason, "%s", escpos_condition_technician_text(job->condition));
        result->msgid = escpos_condition_resident_msgid(job->condition);
    } else {
        snprintf(result->reason, sizeof result->reason, "%s", escpos_job_reason_text(job->reason));
        result->msgid = escpos_condition_resident_msgid(ESCPOS_CONDITION_NOT_ANSWERING);
    }
    result->retryable = job->outcome == ESCPOS_JOB_FAILED_RETRYABLE;
}

static void escpos_unreachable(struct print_worker *w, struct print_send_result *result)
{
    (void)w;
    const struct escpos_job_result gone = { .outcome = ESCPOS_JOB_FAILED_RETRYABLE,
                                            .reason = ESCPOS_JOB_REASON_DEVICE_GONE,
                                            .condition = ESCPOS_CONDITION_NOT_ANSWERING };
    escpos_result(&gone, result);
}

static int escpos_send(struct print_worker *w, struct db *db, const struct print_job *job,
                       struct print_send_result *result)
{
    void *bytes = NULL;
    size_t len = 0;
    if (print_jobs_load_payload(db, job->id, &bytes, &len) != 0) {
        free(bytes);
        return -1;
    }
    struct escpos_job_result sent = { .outcome = ESCPOS_JOB_FAILED_RETRYABLE, .reason = ESCPOS_JOB_REASON_DEVICE_GONE,
                                      .condition = ESCPOS_CONDITION_NOT_ANSWERING };
    escpos_printer_send_job(&escpos.printer, bytes, len, &sent);
    free(bytes);
    escpos_result(&sent, result);
    if (!result->printed && (sent.reason == ESCPOS_JOB_REASON_DEVICE_GONE || sent.reason == ESCPOS_JOB_REASON_IO_ERROR))
        escpos_close(w);
    return 0;
}

static int escpos_idle_wait_ms(struct print_worker *w, int poll_interval_ms)
{
    (void)w;
    return escpos.port.transport ? poll_interval_ms : RECEIPT_ESCPOS_REOPEN_MS;
}

static const char *escpos_error_msgid(void)
{
    return N_("The receipt could not be printed. Please ask staff for help.");
}

static const struct print_device_ops escpos_ops = {
    .module = "receipt",
    .printer = PRINT_PRINTER_RECEIPT,
    .error_msgid = escpos_error_msgid,
    .broken = escpos_broken,
    .recover = escpos_recover,
    .open = escpos_open,
    .poll = escpos_poll,
    .send = escpos_send,
    .unreachable = escpos_unreachable,
    .idle_wait_ms = escpos_idle_wait_ms,
    .close = escpos_close,
};

static struct print_worker escpos_worker = PRINT_WORKER_INITIALIZER(&escpos_ops, &escpos);

static int escpos_start(struct msgqueue *queue, const struct receipt_worker_options *options)
{
    if (print_worker_running(&escpos_worker))
        return -EALREADY;
    snprintf(escpos.address, sizeof escpos.address, "%s", options->address);
    snprintf(escpos.profile_name, sizeof escpos.profile_name, "%s", options->profile ? options->profile : "auto");
    const struct escpos_profile *named = escpos_profile_find(escpos.profile_name);
    atomic_store(&escpos.profile, named ? named : escpos_profile_find("generic-80mm"));
    escpos.confirm_timeout_ms = options->confirm_timeout_ms;
    return print_worker_start(&escpos_worker, queue, options->db_path, NULL, options->poll_interval_ms);
}

static void escpos_stop(void)
{
    print_worker_stop(&escpos_worker);
}

static struct print_worker *escpos_the_worker(void)
{
    return &escpos_worker;
}

static const struct escpos_profile *escpos_profile(void)
{
    const struct escpos_profile *profile = atomic_load(&escpos.profile);
    return profile ? profile : escpos_profile_find("generic-80mm");
}

/* A laid-out receipt drawn and encoded for this printer, on the worker thread. */
static int escpos_encode(void *context, const void *content, uint8_t **bytes, size_t *len, char *err, size_t errlen)
{
    (void)context;
    struct receipt *receipt = (struct receipt *)content;
    struct escpos_buffer job;
    escpos_buffer_init(&job);
    int rc = receipt_finish(receipt, NULL, &job, err, errlen);
    if (rc < 0) {
        escpos_buffer_free(&job);
        return -1;
    }
    *bytes = job.bytes; /* the buffer's bytes are the caller's from here */
    *len = job.len;
    return 0;
}

const struct receipt_backend receipt_backend_escpos = {
    .name = "escpos",
    .start = escpos_start,
    .stop = escpos_stop,
    .worker = escpos_the_worker,
    .profile = escpos_profile,
    .encode = escpos_encode,
};
