/* Certificate print jobs through the IPP back end, kept in the job table (print_jobs.h), so
 * that a licence is printed once and never lost:
 *   - a job is `printed` only when the printer reports job-state completed;
 *   - aborted, canceled, paper out, printer gone: failed, retryable, with the condition's
 *     name and the technician's text as the reason;
 *   - the printer's job-id is stored as soon as Print-Job returns it, and a job that was
 *     sending (the kiosk restarted) or that failed with a job-id (the printer went away) is
 *     asked about by that id before anything is sent again: completed → printed, still
 *     queued or printing → waited for, aborted or unknown to the printer → sent again.
 *     Without a stored id (lost between Print-Job and the database) the printer's jobs are
 *     searched by job-name, which carries the job's key.
 * The payload is a PWG raster document (certprinter_ipp_prepare_document, or made without
 * asking the printer: certprinter_ipp_print_document fits it to the printer when sent), so
 * a retry sends the same page. With a sealer (the unit's device key) it is stored sealed, as
 * a licence page must be (print_jobs_sealed.h); test pages are stored plain. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "drivers/certprinter/certprinter_ipp.h"
#include "firmware/storage/db.h"
#include "firmware/print/print_jobs.h"
#include "firmware/platform/trust.h"

/* Stores a new certificate job (queued) with its PWG document, sealed when sealer is not
 * NULL. 0 with *id, or -1 (db_error). */
int certprinter_jobs_add(struct db *db, const struct trust_sealer *sealer, const char *kind, const uint8_t *document,
                         size_t size, int64_t now, int64_t *id);

/* What one run did. */
struct certprinter_jobs_run {
    struct certprinter_result result; /* the printer's side */
    struct print_job job;             /* the row afterwards */
    int resent;                       /* 1 when Print-Job was sent in this run */
};

/* Prints a queued job or retries a failed, retryable one (asking the printer about its last
 * job-id first). The payload is opened with sealer when not NULL; one that does not open
 * (another key, tampered) fails the job for good, nothing sent. unit_id names the job to the
 * printer. 0 with *run filled; 1 when the job cannot be claimed (printed, failed for good,
 * already sending, absent); -1 database error (db_error). */
int certprinter_jobs_run(struct db *db, const struct trust_sealer *sealer, struct certprinter_ipp *ipp, int64_t id,
                         const char *unit_id, int timeout_ms, struct certprinter_jobs_run *run);

/* The same for a job already claimed (the worker skeleton claims, print_worker.h; job is
 * the row after the claim). 0 with *run, -1 database error. */
int certprinter_jobs_send_claimed(struct db *db, const struct trust_sealer *sealer, struct certprinter_ipp *ipp,
                                  const struct print_job *job, const char *unit_id, int timeout_ms,
                                  struct certprinter_jobs_run *run);

/* At start, before any new job: every certificate job left sending is settled with the
 * printer as above (never resent blindly). A job the printer cannot be asked about now (not
 * answering) becomes failed, retryable, its job-id kept for the retry to ask again.
 * visit (may be NULL) sees each settled job. 0 with *count settled, or -1. */
int certprinter_jobs_reconcile(struct db *db, struct certprinter_ipp *ipp, const char *unit_id, int timeout_ms,
                               void (*visit)(const struct certprinter_jobs_run *run, void *context), void *context,
                               int *count);
