/* Certificate print jobs through the PCL back end (drivers/certprinter/pcl.h), kept in the job table
 * (print_jobs.h) so a licence is printed once and never lost:
 *   - the payload is the PCL job itself, so a retry sends the same bytes;
 *   - a job is `printed` when the printer took every byte and its port reported no fault
 *     (PCL has no "page done" answer; where the link has no port status, when every byte was
 *     taken);
 *   - paper empty, printer error, offline, a stalled write or a printer gone: failed,
 *     retryable, the runner's reason kept for the technician;
 *   - after a restart a job found `sending` is never resent on its own: a PCL printer cannot
 *     be asked whether that page came out, so it becomes failed, retryable by hand.
 * A licence page is personal data: with a sealer (the unit's device key, trust.h) the payload
 * is stored AES-GCM sealed, bound to the job's kind, and opened only in memory to be sent
 * (then wiped). Without one (test pages) it is stored as it is. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "firmware/storage/db.h"
#include "drivers/certprinter/pcl.h"
#include "firmware/print/print_jobs.h"
#include "firmware/platform/trust.h"

/* Stores a new certificate job (queued) with its PCL bytes, sealed when sealer is not NULL.
 * 0 with *id, or -1 (db_error; -1 with db_error unchanged when sealing failed: out of
 * memory). */
int certprinter_pcl_jobs_add(struct db *db, const struct trust_sealer *sealer, const char *kind, const uint8_t *pcl,
                             size_t size, int64_t now, int64_t *id);

struct certprinter_pcl_jobs_run {
    struct pcl_job_result result;   /* the printer's side */
    struct print_job job;           /* the row afterwards */
};

/* Claims a queued job, or a failed and retryable one, sends its payload (opened with sealer
 * when not NULL) and ends it printed or failed; a payload that does not open (another key,
 * tampered) fails the job for good, nothing sent. 0 with *run filled; 1 when the job cannot be claimed (printed, failed for good,
 * already sending, absent); -1 database error (db_error). */
int certprinter_pcl_jobs_run(struct db *db, const struct trust_sealer *sealer, struct pcl_printer *printer, int64_t id,
                             int64_t now, struct certprinter_pcl_jobs_run *run);

/* The same for a job already claimed (the worker skeleton claims, print_worker.h): sends and
 * ends it. 0 with *run filled, -1 database error. */
int certprinter_pcl_jobs_send_claimed(struct db *db, const struct trust_sealer *sealer, struct pcl_printer *printer,
                                      int64_t id, int64_t now, struct certprinter_pcl_jobs_run *run);
#define CERTPRINTER_PCL_JOBS_KEY_REFUSED "the stored page does not open with this unit's device key"

/* At start, before any new job: certificate jobs left sending become failed, retryable.
 * 0 with *count, or -1. */
int certprinter_pcl_jobs_recover(struct db *db, int64_t now, int *count);
