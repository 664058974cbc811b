/* The certificate printer's worker for an IPP Everywhere printer (ipp://, ipps://, or http://
 * as ipp-usb offers a USB laser at localhost:60000): one thread that owns the printer's
 * connection and its jobs (certprinter_jobs.h). A caller hands it a page as a PWG raster
 * document (made without asking the printer; fitted to what the printer takes when sent);
 * the worker stores it sealed with the unit's device key before anything is sent, prints
 * it, and ends it printed only when the printer says the job completed, or failed with the
 * condition in the resident's words, posting each change as MSG_PRINT_JOB (printer =
 * certificate).
 *
 * At start, before any new job, jobs the kiosk left sending are settled with the printer by
 * their IPP job-id (never resent on their own). While idle it asks the printer's state every
 * poll interval and posts MSG_DEVICE_STATUS for the certificate printer when it becomes
 * unusable (not answering, out of paper, jammed, door open, wrong paper, ...) or usable. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "firmware/core/msgqueue.h"

struct certprinter_ipp_worker_options {
    const char *uri;                /* the printer */
    const char *db_path;            /* the unit's database (print_jobs) */
    const char *device_key_path;    /* seals every stored page; NULL stores them plain (tests) */
    const char *unit_id;            /* names jobs to the printer */
    const char *media;              /* PWG name of the paper the unit prints on; A4 when NULL */
    int poll_interval_ms;           /* printer state while idle; 5000 when 0 */
    int request_timeout_ms;         /* connect and each IPP request; 5000 when 0 */
    int job_timeout_ms;             /* a job from Print-Job to its end; 120000 when 0 */
};

/* 0, or a negative errno (nothing is posted then): -EINVAL a URI that is not a printer's,
 * -EIO the device key cannot be read, so no page would be sealed. */
int certprinter_ipp_worker_start(struct msgqueue *queue, const struct certprinter_ipp_worker_options *options);
void certprinter_ipp_worker_stop(void);
bool certprinter_ipp_worker_running(void);
/* From any thread: a new job, a PWG raster document (copied). 0, -ENOMEM, or -ESRCH when the
 * worker is not running. The job's id arrives with its first MSG_PRINT_JOB. */
int certprinter_ipp_worker_submit(const char *kind, const uint8_t *document, size_t size);
/* A failed, retryable job sent again (the printer is asked about its last job-id first).
 * 0 or -ESRCH / -ENOMEM. */
int certprinter_ipp_worker_retry(int64_t job_id);
