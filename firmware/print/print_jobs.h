/* Print jobs of both printers, kept in the unit's database (db.h), so that a job survives a
 * restart and is printed once: queued → sending → printed, or failed with a reason and
 * whether a retry may print it.
 *
 * The one rule that keeps a job from printing twice: only print_jobs_claim moves a job to
 * `sending`, in one UPDATE guarded by its state, and a job found in `sending` after a restart
 * is never resent on its own — a receipt printer cannot tell whether it printed (it becomes
 * failed, retryable by hand, "interrupted"), and a certificate job with a printer job id is
 * asked about first (print_jobs_for_each with PRINT_JOB_SENDING).
 *
 * The payload is what the printer driver sends (an ESC/POS job, a page document); a caller
 * whose payload holds personal data seals it before it reaches here. A job that ends printed,
 * or failed for good, has its payload emptied (the database overwrites freed pages:
 * secure_delete), so what a page showed is not kept at rest after it is on paper.
 * Errors: -1 with the reason in db_error(db). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "firmware/storage/db.h"

enum print_printer { PRINT_PRINTER_RECEIPT, PRINT_PRINTER_CERTIFICATE };
enum print_job_state { PRINT_JOB_QUEUED, PRINT_JOB_SENDING, PRINT_JOB_PRINTED, PRINT_JOB_FAILED };

#define PRINT_JOB_KIND_MAX 32
#define PRINT_JOB_REASON_MAX 200
#define PRINT_JOB_PRINTER_ID_MAX 64

struct print_job {
    int64_t id;
    enum print_printer printer;
    char kind[PRINT_JOB_KIND_MAX]; /* "guide", "test", "licence", "calibration", ... */
    enum print_job_state state;
    bool retryable;                       /* failed jobs: may a retry print it */
    char reason[PRINT_JOB_REASON_MAX];    /* failed jobs: what happened, for the technician */
    int attempts;                         /* times it was claimed for sending */
    char printer_job_id[PRINT_JOB_PRINTER_ID_MAX]; /* the printer's own id (IPP job-id), "" if none */
    int64_t created_at, updated_at;       /* unix seconds, from the caller's clock */
};

const char *print_job_state_name(enum print_job_state state);  /* "queued", ... */
const char *print_printer_name(enum print_printer printer);     /* "receipt", "certificate" */

/* Stores a new queued job; *id gets its id. */
int print_jobs_add(struct db *db, enum print_printer printer, const char *kind, const void *payload, size_t size,
                   int64_t now, int64_t *id);
/* 0 with *job filled, 1 when there is no such job, -1 on error. */
int print_jobs_get(struct db *db, int64_t id, struct print_job *job);
/* The payload in a malloc'd buffer the caller frees. 0, 1 no such job, -1. */
int print_jobs_load_payload(struct db *db, int64_t id, void **payload, size_t *size);
/* The oldest queued job of a printer: 0 with *id, 1 when none is queued, -1. */
int print_jobs_next_queued(struct db *db, enum print_printer printer, int64_t *id);
/* Takes a queued, or failed-and-retryable, job for sending (attempts + 1). 0 claimed; 1 when the
 * job is in any other state (already sending, printed, failed for good) or absent; -1. */
int print_jobs_claim(struct db *db, int64_t id, int64_t now);
int print_jobs_set_printer_job_id(struct db *db, int64_t id, const char *printer_job_id, int64_t now);
/* Ends a sending job. 0; 1 when the job was not sending (nothing changed); -1. */
int print_jobs_finish_printed(struct db *db, int64_t id, int64_t now);
int print_jobs_finish_failed(struct db *db, int64_t id, bool retryable, const char *reason, int64_t now);
/* Cancels a job that waits (queued, or failed and retryable): it becomes failed for good
 * with reason, and its payload (a page may show a licence) is emptied. 0 cancelled; 1 when
 * the job is in any other state (sending, printed, failed for good) or absent; -1. */
int print_jobs_cancel(struct db *db, int64_t id, const char *reason, int64_t now);
/* At start, for a printer that cannot be asked about past jobs (ESC/POS): every job left
 * sending becomes failed, retryable, with reason; *count gets how many. */
int print_jobs_mark_interrupted(struct db *db, enum print_printer printer, const char *reason, int64_t now,
                                int *count);
/* Calls visit for each job of a printer in a state, oldest first; visit returning non-zero
 * stops the walk. The job is a copy; visit may call other print_jobs functions. */
int print_jobs_for_each(struct db *db, enum print_printer printer, enum print_job_state state,
                        int (*visit)(const struct print_job *job, void *context), void *context);
