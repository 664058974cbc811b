/* The receipt printer as the rest of the kiosk sees it: one worker thread that owns the
 * printer and its jobs, behind the receipt back end table (receipt_backend.h; the ESC/POS
 * entry, receipt_escpos.c, on the worker skeleton print_worker.h).
 *
 * A screen hands a receipt's content (the blocks of receipt.h, or receipt_guide.h's
 * receipt_submit_guide); the worker draws and encodes it, stores the job (print_jobs.h) before anything reaches the printer, claims it, sends it
 * (escpos_printer.h: status first, GS r 1 at the end as proof), and ends it printed or
 * failed with a reason. Each change is posted to the UI as MSG_PRINT_JOB. While idle it asks
 * the printer's status every poll interval and posts MSG_DEVICE_STATUS when the printer
 * becomes unusable (paper end, cover open, ...) or usable again, so the unit can go out of
 * service at night rather than take jobs it cannot print.
 *
 * After a restart: queued jobs are sent; a job that was being sent is never resent on its
 * own (it may be on paper): it stays failed and retryable for a retry by hand. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "drivers/escpos/escpos_profile.h"
#include "firmware/core/msgqueue.h"

struct receipt;
struct print_worker_status;

struct receipt_worker_options {
    const char *address;                   /* receipt_port.h: a tty, /dev/usb/lpN, usb:VID:PID, the model's pty */
    const char *profile;                   /* an escpos_profile name, or "auto" (from the USB device ID) */
    const char *db_path;                   /* the unit's database (print_jobs) */
    int poll_interval_ms;                  /* status while idle; 5000 when 0 */
    int confirm_timeout_ms;                /* GS r 1 wait; escpos_printer's default when 0 */
};

/* 0, or a negative errno (nothing is posted then). */
int receipt_worker_start(struct msgqueue *queue, const struct receipt_worker_options *options);
void receipt_worker_stop(void);
/* The profile of the printer in use (what a receipt is laid out for); generic-80mm until the
 * worker has opened an "auto" printer. Any thread. */
const struct escpos_profile *receipt_worker_profile(void);
/* From any thread: a new job (the bytes are copied). 0, -ENOMEM, or -ESRCH when the worker
 * is not running. The job's id arrives with its first MSG_PRINT_JOB. */
int receipt_worker_submit(const char *kind, const uint8_t *job, size_t len);
/* From any thread: a laid-out receipt (receipt.h), owned by the worker from here (also on
 * failure): drawn, encoded, stored and sent on the worker thread. 0, -ENOMEM, -ESRCH. */
int receipt_worker_submit_receipt(const char *kind, struct receipt *receipt);
/* A failed, retryable job printed again. 0 or -ESRCH / -ENOMEM. */
int receipt_worker_retry(int64_t job_id);
/* A job that waits (queued, or failed and retryable) cancelled: failed for good, its payload
 * emptied, MSG_PRINT_JOB failed posted. 0, -ESRCH, -ENOMEM. */
int receipt_worker_cancel(int64_t job_id);
/* Whether the worker runs and the printer was last seen usable (print_worker.h). */
void receipt_worker_status(struct print_worker_status *status);
