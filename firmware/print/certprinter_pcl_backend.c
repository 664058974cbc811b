/* certprinter_pcl_backend: the certificate printer as a PCL laser (certprinter_backend.h),
 * on the worker skeleton (print_worker.h). A page is encoded as a PCL job (pcl.h) on the
 * worker, stored sealed before anything reaches the printer, and sent with the job runner's
 * port-status checks (certprinter_pcl_jobs.h). While idle the port status is read every poll
 * interval. A job found sending after a restart is never resent on its own: a PCL printer
 * cannot say whether the page came out, so it becomes failed, retryable by hand.
 *
 * The printer is an address: a path (/dev/usb/lpN through usblp, a tty, a pty) or usb:VID:PID
 * (libusb printer class); or, on the sim board, a link the board made (the PCL model's pty
 * with its port status and soft reset). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/certprinter/pcl.h"
#include "drivers/certprinter/pcl_usb.h"
#include "drivers/transport/transport_fd.h"
#include "drivers/transport/transport_usb_printer.h"
#include "drivers/transport/usb_link.h"
#include "firmware/core/clock.h"
#include "firmware/core/log.h"
#include "firmware/platform/telemetry.h"
#include "firmware/print/certprinter_backend.h"
#include "firmware/print/certprinter_pcl_jobs.h"

#define PCL_BACKEND_REOPEN_MS 3000

static struct {
    char address[256];
    pcl_port_status_fn port_status;
    pcl_soft_reset_fn soft_reset;
    void *link_context;
    int write_timeout_ms;
    /* the worker thread's own */
    struct transport *transport;
    struct pcl_printer printer;
} pcl;

static void pcl_set_usable(struct print_worker *w, enum pcl_job_reason reason)
{
    const bool usable = reason == PCL_JOB_REASON_NONE;
    char line[300];
    snprintf(line, sizeof line, "printer %s%s%s", usable ? "usable" : "unusable", usable ? "" : ": ",
             usable ? "" : pcl_job_reason_text(reason));
    print_worker_set_status(w, usable, (int)reason, pcl_job_reason_msgid(reason), telemetry_state_pcl(reason), line);
}

static void pcl_broken(struct print_worker *w, const char *why)
{
    (void)why;
    pcl_set_usable(w, PCL_JOB_REASON_IO_ERROR);
}

static void pcl_recover(struct print_worker *w, struct db *db)
{
    (void)w;
    int interrupted = 0;
    if (certprinter_pcl_jobs_recover(db, (int64_t)clock_wall_seconds(), &interrupted) < 0)
        log_error("certprinter", "%s", db_error(db));
    else if (interrupted)
        log_warn("certprinter", "%d job(s) were being sent when the kiosk stopped: kept as failed, retryable",
                 interrupted);
}

static void pcl_close(struct print_worker *w)
{
    (void)w;
    transport_close(pcl.transport);
    pcl.transport = NULL;
}

static bool pcl_open(struct print_worker *w)
{
    if (pcl.transport)
        return true;
    const char *address = pcl.address;
    int rc;
    struct usb_link_match match;
    const bool usb = !strncmp(address, "usb:", 4);
    if (usb)
        rc = usb_link_match_parse(address + 4, &match) < 0 ? -EINVAL
                                                           : transport_usb_printer_open(NULL, &match, &pcl.transport);
    else
        rc = transport_fd_open(address, &pcl.transport);
    if (rc < 0) {
        if (!print_worker_told_unusable(w))
            log_warn("certprinter", "cannot open %s: %s", address, usb ? usb_link_strerror(rc) : strerror(-rc));
        pcl.transport = NULL;
        pcl_set_usable(w, PCL_JOB_REASON_DEVICE_GONE);
        return false;
    }
    pcl_printer_init(&pcl.printer, pcl.transport);
    if (pcl.write_timeout_ms > 0)
        pcl.printer.write_timeout_ms = pcl.write_timeout_ms;
    if (pcl.port_status) {
        pcl.printer.port_status = pcl.port_status;
        pcl.printer.soft_reset = pcl.soft_reset;
        pcl.printer.link_context = pcl.link_context;
    } else {
        pcl.printer.port_status = usb ? pcl_usb_port_status : pcl_lp_port_status;
        pcl.printer.soft_reset = usb ? pcl_usb_soft_reset : pcl_lp_soft_reset;
        pcl.printer.link_context = pcl.transport;
    }
    return true;
}

/* A link without port status is assumed ready; its jobs still fail on a stalled write. */
static void pcl_poll(struct print_worker *w)
{
    uint8_t status;
    int rc = pcl.printer.port_status(pcl.printer.link_context, &status);
    if (rc == -ENODEV) {
        pcl_close(w);
        pcl_set_usable(w, PCL_JOB_REASON_DEVICE_GONE);
        return;
    }
    pcl_set_usable(w, rc < 0 ? PCL_JOB_REASON_NONE : pcl_port_status_reason(status));
}

static void pcl_failed(enum pcl_job_reason reason, bool retryable, struct print_send_result *result)
{
    result->retryable = retryable;
    result->msgid = pcl_job_reason_msgid(reason);
    snprintf(result->reason, sizeof result->reason, "%s", pcl_job_reason_text(reason));
}

static int pcl_send(struct print_worker *w, struct db *db, const struct print_job *job,
                    struct print_send_result *result)
{
    struct certprinter_pcl_jobs_run run;
    if (certprinter_pcl_jobs_send_claimed(db, print_worker_sealer(w), &pcl.printer, job->id,
                                          (int64_t)clock_wall_seconds(), &run) < 0)
        return -1;
    result->row_ended = true; /* the runner ended it with its own reason */
    if (run.result.outcome == PCL_JOB_PRINTED) {
        result->printed = true;
        snprintf(result->detail, sizeof result->detail, "%zu bytes", run.result.bytes_sent);
        return 0;
    }
    pcl_failed(run.result.reason, run.result.outcome == PCL_JOB_FAILED_RETRYABLE, result);
    if (run.result.reason == PCL_JOB_REASON_DEVICE_GONE || run.result.reason == PCL_JOB_REASON_IO_ERROR)
        pcl_close(w);
    return 0;
}

static void pcl_unreachable(struct print_worker *w, struct print_send_result *result)
{
    (void)w;
    pcl_failed(PCL_JOB_REASON_DEVICE_GONE, true, result);
}

static int pcl_idle_wait_ms(struct print_worker *w, int poll_interval_ms)
{
    (void)w;
    return pcl.transport ? poll_interval_ms : PCL_BACKEND_REOPEN_MS;
}

static const char *pcl_error_msgid(void)
{
    return pcl_job_reason_msgid(PCL_JOB_REASON_IO_ERROR);
}

static const struct print_device_ops pcl_ops = {
    .module = "certprinter",
    .printer = PRINT_PRINTER_CERTIFICATE,
    .error_msgid = pcl_error_msgid,
    .broken = pcl_broken,
    .recover = pcl_recover,
    .open = pcl_open,
    .poll = pcl_poll,
    .send = pcl_send,
    .unreachable = pcl_unreachable,
    .idle_wait_ms = pcl_idle_wait_ms,
    .close = pcl_close,
};

static struct print_worker pcl_worker = PRINT_WORKER_INITIALIZER(&pcl_ops, &pcl);

static bool pcl_handles(const char *address)
{
    (void)address;
    return true; /* the last entry: whatever no other back end takes */
}

static int pcl_start(struct msgqueue *queue, const struct certprinter_options *options)
{
    if (print_worker_running(&pcl_worker))
        return -EALREADY;
    if (!options->address || !options->db_path)
        return -EINVAL;
    snprintf(pcl.address, sizeof pcl.address, "%s", options->address);
    pcl.port_status = options->port_status;
    pcl.soft_reset = options->soft_reset;
    pcl.link_context = options->link_context;
    pcl.write_timeout_ms = options->write_timeout_ms;
    return print_worker_start(&pcl_worker, queue, options->db_path, options->device_key_path,
                              options->poll_interval_ms);
}

static void pcl_stop(void)
{
    print_worker_stop(&pcl_worker);
}

static int pcl_submit(const char *kind, job_prepare_fn prepare, void *content, void (*content_free)(void *content))
{
    return print_worker_submit_content(&pcl_worker, kind, prepare, NULL, content, content_free);
}

static int pcl_retry(int64_t job_id)
{
    return print_worker_retry(&pcl_worker, job_id);
}

static int pcl_cancel(int64_t job_id)
{
    return print_worker_cancel(&pcl_worker, job_id);
}

static void pcl_status(struct print_worker_status *status)
{
    print_worker_status(&pcl_worker, status);
}

/* What pcl_encode_job writes: 1-bit raster at the dots PCL 5 has, on A4 or A5. */
static void pcl_capabilities(struct certprinter_capabilities *c)
{
    static const int dpi[] = { 75, 100, 150, 200, 300, 600 };
    c->backend = "pcl";
    c->document_format = "application/vnd.hp-PCL";
    c->paper_count = 2;
    c->papers[0] = PRINT_PAPER_A4;
    c->papers[1] = PRINT_PAPER_A5;
    c->dpi_count = (int)(sizeof dpi / sizeof dpi[0]);
    memcpy(c->dpi, dpi, sizeof dpi);
    c->colour = false;
    c->duplex = false;
    c->from_printer = false; /* a PCL printer is not asked what it takes */
}

static int pcl_encode(const struct print_bitmap *page, int dpi, enum print_paper paper, uint8_t **document,
                      size_t *size, char *err, size_t errlen)
{
    struct pcl_buffer job;
    pcl_buffer_init(&job);
    const struct pcl_bitmap pcl_page = { page->bits, page->width, page->height, page->stride };
    int rc = pcl_encode_job(&job, &pcl_page, paper == PRINT_PAPER_A5 ? PCL_PAPER_A5 : PCL_PAPER_A4, dpi);
    if (rc < 0) {
        if (job.bytes)
            explicit_bzero(job.bytes, job.len);
        pcl_buffer_free(&job);
        snprintf(err, errlen, "cannot encode the page: %s", strerror(-rc));
        return -1;
    }
    *document = job.bytes; /* the caller's (wiped once stored) */
    *size = job.len;
    return 0;
}

const struct certprinter_backend certprinter_backend_pcl = {
    .name = "pcl",
    .handles = pcl_handles,
    .start = pcl_start,
    .stop = pcl_stop,
    .submit = pcl_submit,
    .retry = pcl_retry,
    .cancel = pcl_cancel,
    .status = pcl_status,
    .capabilities = pcl_capabilities,
    .encode = pcl_encode,
};
