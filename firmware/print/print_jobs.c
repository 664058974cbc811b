/* print_jobs: the job table (schema in db.c, migration 2). */
#include "firmware/print/print_jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const print_job_state_names[] = { "queued", "sending", "printed", "failed" };
static const char *const print_printer_names[] = { "receipt", "certificate" };

const char *print_job_state_name(enum print_job_state state)
{
    return (unsigned)state < 4 ? print_job_state_names[state] : "?";
}

const char *print_printer_name(enum print_printer printer)
{
    return (unsigned)printer < 2 ? print_printer_names[printer] : "?";
}

static enum print_job_state print_job_state_parse(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (name && !strcmp(name, print_job_state_names[i]))
            return (enum print_job_state)i;
    return PRINT_JOB_FAILED; /* the table's CHECK allows nothing else */
}

int print_jobs_add(struct db *db, enum print_printer printer, const char *kind, const void *payload, size_t size,
                   int64_t now, int64_t *id)
{
    struct db_statement *st;
    if (db_prepare(db,
                   "INSERT INTO print_jobs (printer, kind, state, payload, created_at, updated_at)"
                   " VALUES (?1, ?2, 'queued', ?3, ?4, ?4) RETURNING id",
                   &st) < 0)
        return -1;
    int rc = -1;
    if (db_bind_text(st, 1, print_printer_name(printer)) == 0 && db_bind_text(st, 2, kind) == 0 &&
        db_bind_blob(st, 3, payload, size) == 0 && db_bind_int64(st, 4, now) == 0 && db_step(st) == DB_ROW) {
        *id = db_column_int64(st, 0);
        rc = db_step(st) == DB_DONE ? 0 : -1;
    }
    db_finalize(st);
    return rc;
}

static void print_jobs_copy(char *to, size_t size, const char *from)
{
    snprintf(to, size, "%s", from ? from : "");
}

int print_jobs_get(struct db *db, int64_t id, struct print_job *job)
{
    struct db_statement *st;
    if (db_prepare(db,
                   "SELECT printer, kind, state, retryable, reason, attempts, printer_job_id, created_at,"
                   " updated_at FROM print_jobs WHERE id = ?1",
                   &st) < 0)
        return -1;
    int rc = db_bind_int64(st, 1, id) == 0 ? db_step(st) : -1;
    if (rc == DB_ROW) {
        memset(job, 0, sizeof *job);
        job->id = id;
        const char *printer = db_column_text(st, 0);
        job->printer = printer && !strcmp(printer, "certificate") ? PRINT_PRINTER_CERTIFICATE : PRINT_PRINTER_RECEIPT;
        print_jobs_copy(job->kind, sizeof job->kind, db_column_text(st, 1));
        job->state = print_job_state_parse(db_column_text(st, 2));
        job->retryable = db_column_int64(st, 3) != 0;
        print_jobs_copy(job->reason, sizeof job->reason, db_column_text(st, 4));
        job->attempts = (int)db_column_int64(st, 5);
        print_jobs_copy(job->printer_job_id, sizeof job->printer_job_id, db_column_text(st, 6));
        job->created_at = db_column_int64(st, 7);
        job->updated_at = db_column_int64(st, 8);
        rc = 0;
    } else if (rc == DB_DONE) {
        rc = 1;
    }
    db_finalize(st);
    return rc;
}

int print_jobs_load_payload(struct db *db, int64_t id, void **payload, size_t *size)
{
    struct db_statement *st;
    if (db_prepare(db, "SELECT payload FROM print_jobs WHERE id = ?1", &st) < 0)
        return -1;
    int rc = db_bind_int64(st, 1, id) == 0 ? db_step(st) : -1;
    if (rc == DB_ROW) {
        *size = db_column_bytes(st, 0);
        *payload = malloc(*size ? *size : 1);
        if (*payload) {
            if (*size)
                memcpy(*payload, db_column_blob(st, 0), *size);
            rc = 0;
        } else {
            rc = -1;
        }
    } else if (rc == DB_DONE) {
        rc = 1;
    }
    db_finalize(st);
    return rc;
}

int print_jobs_next_queued(struct db *db, enum print_printer printer, int64_t *id)
{
    struct db_statement *st;
    if (db_prepare(db, "SELECT id FROM print_jobs WHERE printer = ?1 AND state = 'queued' ORDER BY id LIMIT 1",
                   &st) < 0)
        return -1;
    int rc = db_bind_text(st, 1, print_printer_name(printer)) == 0 ? db_step(st) : -1;
    if (rc == DB_ROW) {
        *id = db_column_int64(st, 0);
        rc = 0;
    } else if (rc == DB_DONE) {
        rc = 1;
    }
    db_finalize(st);
    return rc;
}

/* Runs one UPDATE of a job; 0 when it changed the row, 1 when its WHERE matched nothing. */
static int print_jobs_update(struct db *db, const char *sql, int64_t id, int64_t now, const char *text,
                             int64_t flag)
{
    struct db_statement *st;
    if (db_prepare(db, sql, &st) < 0)
        return -1;
    int rc = -1;
    if (db_bind_int64(st, 1, id) == 0 && db_bind_int64(st, 2, now) == 0 && db_bind_text(st, 3, text ? text : "") == 0 &&
        db_bind_int64(st, 4, flag) == 0) {
        int step = db_step(st);
        if (step == DB_ROW)
            rc = db_step(st) == DB_DONE ? 0 : -1;
        else if (step == DB_DONE)
            rc = 1;
    }
    db_finalize(st);
    return rc;
}

int print_jobs_claim(struct db *db, int64_t id, int64_t now)
{
    return print_jobs_update(db,
                             "UPDATE print_jobs SET state = 'sending', attempts = attempts + 1, updated_at = ?2"
                             " WHERE id = ?1 AND (state = 'queued' OR (state = 'failed' AND retryable = 1))"
                             " AND ?3 = '' AND ?4 = 0 RETURNING id",
                             id, now, "", 0);
}

int print_jobs_set_printer_job_id(struct db *db, int64_t id, const char *printer_job_id, int64_t now)
{
    return print_jobs_update(db,
                             "UPDATE print_jobs SET printer_job_id = ?3, updated_at = ?2"
                             " WHERE id = ?1 AND ?4 = 0 RETURNING id",
                             id, now, printer_job_id, 0);
}

int print_jobs_finish_printed(struct db *db, int64_t id, int64_t now)
{
    return print_jobs_update(db,
                             /* The page is on paper: what it showed (a licence, a name) is not
                              * kept at rest any longer than that. */
                             "UPDATE print_jobs SET state = 'printed', retryable = 0, reason = ?3, updated_at = ?2,"
                             " payload = zeroblob(0) WHERE id = ?1 AND state = 'sending' AND ?4 = 0 RETURNING id",
                             id, now, "", 0);
}

int print_jobs_finish_failed(struct db *db, int64_t id, bool retryable, const char *reason, int64_t now)
{
    return print_jobs_update(db,
                             /* A job that will never be sent again keeps no payload either. */
                             "UPDATE print_jobs SET state = 'failed', retryable = ?4, reason = ?3, updated_at = ?2,"
                             " payload = CASE WHEN ?4 THEN payload ELSE zeroblob(0) END"
                             " WHERE id = ?1 AND state = 'sending' RETURNING id",
                             id, now, reason, retryable ? 1 : 0);
}

int print_jobs_cancel(struct db *db, int64_t id, const char *reason, int64_t now)
{
    struct db_statement *st;
    if (db_prepare(db,
                   "UPDATE print_jobs SET state = 'failed', retryable = 0, reason = ?2, payload = x'',"
                   " updated_at = ?3 WHERE id = ?1 AND (state = 'queued' OR (state = 'failed' AND retryable = 1))",
                   &st) < 0)
        return -1;
    int rc = -1;
    if (db_bind_int64(st, 1, id) == 0 && db_bind_text(st, 2, reason) == 0 && db_bind_int64(st, 3, now) == 0 &&
        db_step(st) == DB_DONE)
        rc = 0;
    db_finalize(st);
    int changed = 0;
    if (rc == 0 && db_changes(db, &changed) < 0)
        rc = -1;
    return rc < 0 ? -1 : changed ? 0 : 1;
}

int print_jobs_mark_interrupted(struct db *db, enum print_printer printer, const char *reason, int64_t now,
                                int *count)
{
    struct db_statement *st;
    *count = 0;
    if (db_prepare(db,
                   "UPDATE print_jobs SET state = 'failed', retryable = 1, reason = ?3, updated_at = ?2"
                   " WHERE printer = ?1 AND state = 'sending'",
                   &st) < 0)
        return -1;
    int rc = -1;
    if (db_bind_text(st, 1, print_printer_name(printer)) == 0 && db_bind_int64(st, 2, now) == 0 &&
        db_bind_text(st, 3, reason) == 0 && db_step(st) == DB_DONE)
        rc = 0;
    db_finalize(st);
    if (rc == 0)
        rc = db_changes(db, count);
    return rc;
}

int print_jobs_for_each(struct db *db, enum print_printer printer, enum print_job_state state,
                        int (*visit)(const struct print_job *job, void *context), void *context)
{
    /* The ids first, then each job: visit may update the table while we walk it. */
    struct db_statement *st;
    if (db_prepare(db, "SELECT id FROM print_jobs WHERE printer = ?1 AND state = ?2 ORDER BY id", &st) < 0)
        return -1;
    int64_t *ids = NULL;
    size_t count = 0, capacity = 0;
    int rc = db_bind_text(st, 1, print_printer_name(printer)) == 0 && db_bind_text(st, 2, print_job_state_name(state)) == 0
                 ? 0
                 : -1;
    while (rc == 0) {
        int step = db_step(st);
        if (step == DB_DONE)
            break;
        if (step < 0) {
            rc = -1;
            break;
        }
        if (count == capacity) {
            capacity = capacity ? capacity * 2 : 16;
            int64_t *grown = realloc(ids, capacity * sizeof *ids);
            if (!grown) {
                rc = -1;
                break;
            }
            ids = grown;
        }
        ids[count++] = db_column_int64(st, 0);
    }
    db_finalize(st);
    for (size_t i = 0; rc == 0 && i < count; i++) {
        struct print_job job;
        int got = print_jobs_get(db, ids[i], &job);
        if (got < 0)
            rc = -1;
        else if (got == 0 && visit(&job, context) != 0)
            break;
    }
    free(ids);
    return rc;
}
