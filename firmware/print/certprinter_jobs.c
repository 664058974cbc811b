/* Certificate print jobs through IPP (see certprinter_jobs.h). */
#include "firmware/print/certprinter_jobs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "firmware/core/log.h"
#include "firmware/print/print_jobs_sealed.h"

#define JOBS_MODULE "certprinter"

int certprinter_jobs_add(struct db *db, const struct trust_sealer *sealer, const char *kind, const uint8_t *document,
                         size_t size, int64_t now, int64_t *id)
{
    return print_jobs_add_sealed(db, sealer, PRINT_PRINTER_CERTIFICATE, kind, document, size, now, id);
}

/* The job's name at the printer: unit, row and creation time, so that neither a new
 * database nor another kiosk sharing the printer can be mistaken for it. */
static void jobs_name(const struct print_job *job, const char *unit_id, char *name, size_t size)
{
    snprintf(name, size, "kiosk-%.40s-%lld-%lld", unit_id, (long long)job->id, (long long)job->created_at);
}

struct jobs_id_context {
    struct db *db;
    int64_t id;
};

/* Stored before any waiting: a restart from here on can ask the printer by id. */
static void jobs_store_printer_id(void *context, int job_id)
{
    struct jobs_id_context *c = context;
    char text[32];
    snprintf(text, sizeof text, "%d", job_id);
    if (print_jobs_set_printer_job_id(c->db, c->id, text, (int64_t)time(NULL)) < 0)
        log_error(JOBS_MODULE, "job %lld: cannot store printer job %d: %s", (long long)c->id, job_id, db_error(c->db));
}

/* Ends the sending job as the result says. 0 or -1. */
static int jobs_finish(struct db *db, int64_t id, const struct certprinter_result *result)
{
    int64_t now = (int64_t)time(NULL);
    if (result->outcome == CERTPRINTER_PRINTED)
        return print_jobs_finish_printed(db, id, now) < 0 ? -1 : 0;
    char reason[PRINT_JOB_REASON_MAX];
    /* The condition's name first: what the UI turns into the resident's words. */
    snprintf(reason, sizeof reason, "%.20s: %.170s", certprinter_condition_name(result->condition),
             result->technician);
    return print_jobs_finish_failed(db, id, result->outcome == CERTPRINTER_FAILED_RETRYABLE, reason, now) < 0 ? -1 : 0;
}

enum jobs_known { JOBS_DONE, JOBS_SEND_AGAIN, JOBS_UNREACHABLE };

/* Asks the printer about the job's earlier Print-Job (by id, else by name). JOBS_DONE with
 * result set when that job settles it (completed, or waited for until it ended);
 * JOBS_SEND_AGAIN when it never printed (aborted, canceled, unknown to the printer);
 * JOBS_UNREACHABLE when the printer does not answer. */
static enum jobs_known jobs_ask_printer(struct certprinter_ipp *ipp, const struct print_job *job, const char *name,
                                        int timeout_ms, struct certprinter_result *result)
{
    struct certprinter_ipp_job printer_job;
    int printer_id = atoi(job->printer_job_id);
    int err;
    if (printer_id > 0) {
        err = certprinter_ipp_get_job(ipp, printer_id, &printer_job);
        /* After a printer restart the id may be another job's: the name tells. */
        if (err == 0 && strcmp(printer_job.name, name) != 0)
            err = -ENOENT;
    } else {
        err = certprinter_ipp_find_job(ipp, name, &printer_job);
    }
    if (err == -ENOENT)
        return JOBS_SEND_AGAIN;
    if (err < 0)
        return JOBS_UNREACHABLE;
    memset(result, 0, sizeof *result);
    result->pages = -1;
    switch (printer_job.state) {
    case CERTPRINTER_IPP_JOB_COMPLETED:
    case CERTPRINTER_IPP_JOB_PENDING:
    case CERTPRINTER_IPP_JOB_PENDING_HELD:
    case CERTPRINTER_IPP_JOB_PROCESSING:
    case CERTPRINTER_IPP_JOB_PROCESSING_STOPPED:
        /* Done, or still on its way: never send it twice; follow it to its end. */
        certprinter_ipp_wait_job(ipp, printer_job.id, certprinter_now_ms() + timeout_ms, result);
        if (result->outcome == CERTPRINTER_PRINTED || result->condition == CERTPRINTER_NOT_ANSWERING ||
            result->job_state != CERTPRINTER_IPP_JOB_ABORTED)
            return JOBS_DONE;
        return JOBS_SEND_AGAIN;
    default:
        return JOBS_SEND_AGAIN; /* aborted or canceled: nothing came out */
    }
}

static void jobs_reload(struct db *db, int64_t id, struct certprinter_jobs_run *run)
{
    if (print_jobs_get(db, id, &run->job) != 0)
        memset(&run->job, 0, sizeof run->job);
}

/* Ends the job failed without sending it: outcome, condition and the technician's text. */
static int jobs_end_unsent(struct db *db, int64_t id, enum certprinter_outcome outcome,
                           enum certprinter_condition condition, struct certprinter_jobs_run *run)
{
    run->result.outcome = outcome;
    run->result.condition = condition;
    if (jobs_finish(db, id, &run->result) < 0)
        return -1;
    jobs_reload(db, id, run);
    return 0;
}

/* The job is sending (claimed or found so after a restart): settle it. */
static int jobs_settle(struct db *db, const struct trust_sealer *sealer, struct certprinter_ipp *ipp,
                       const struct print_job *job, const char *unit_id, int timeout_ms, bool may_send,
                       struct certprinter_jobs_run *run)
{
    char name[CERTPRINTER_IPP_TEXT_MAX];
    jobs_name(job, unit_id, name, sizeof name);
    memset(run, 0, sizeof *run);
    bool asked = job->printer_job_id[0] || job->attempts > 1 || !may_send;
    if (asked) {
        enum jobs_known known = jobs_ask_printer(ipp, job, name, timeout_ms, &run->result);
        if (known == JOBS_DONE) {
            log_info(JOBS_MODULE, "job %lld: printer job %s settled it (%s)", (long long)job->id,
                     job->printer_job_id[0] ? job->printer_job_id : name,
                     run->result.outcome == CERTPRINTER_PRINTED ? "printed" : "not printed");
            if (jobs_finish(db, job->id, &run->result) < 0)
                return -1;
            jobs_reload(db, job->id, run);
            return 0;
        }
        if (known == JOBS_UNREACHABLE || !may_send) {
            if (known == JOBS_UNREACHABLE)
                snprintf(run->result.technician, sizeof run->result.technician,
                         "cannot ask the printer about printer job %.20s: %.150s",
                         job->printer_job_id[0] ? job->printer_job_id : "(by name)", certprinter_ipp_last_error(ipp));
            else
                snprintf(run->result.technician, sizeof run->result.technician,
                         "printer job %.20s did not print (aborted, canceled or unknown to the printer)",
                         job->printer_job_id[0] ? job->printer_job_id : "(by name)");
            return jobs_end_unsent(db, job->id, CERTPRINTER_FAILED_RETRYABLE,
                                   known == JOBS_UNREACHABLE ? CERTPRINTER_NOT_ANSWERING : CERTPRINTER_JOB_STOPPED, run);
        }
    }
    uint8_t *payload;
    size_t size;
    int opened = print_jobs_open_payload(db, sealer, job->id, &payload, &size);
    if (opened == -2) {
        snprintf(run->result.technician, sizeof run->result.technician,
                 "the stored page does not open with this unit's device key");
        return jobs_end_unsent(db, job->id, CERTPRINTER_FAILED_FINAL, CERTPRINTER_CANNOT_PRINT, run);
    }
    if (opened != 0)
        return -1;
    struct certprinter_pwg_first first;
    if (!sealer && certprinter_pwg_peek(payload, size, &first) < 0) {
        /* Most likely a sealed licence page and a caller without the key: kept, retryable. */
        free(payload);
        snprintf(run->result.technician, sizeof run->result.technician,
                 "not sent: the stored page is not PWG raster as it is (sealed? give the unit's device key)");
        return jobs_end_unsent(db, job->id, CERTPRINTER_FAILED_RETRYABLE, CERTPRINTER_CANNOT_PRINT, run);
    }
    /* The page's own size (PWG PageSizeName) is what the tray must hold; A4 when unnamed. */
    struct certprinter_ipp_job_request request = { .job_name = name, .user_name = unit_id,
                                                   .media = "iso_a4_210x297mm" };
    if (certprinter_pwg_peek(payload, size, &first) == 0 && first.media[0])
        request.media = first.media;
    struct jobs_id_context context = { db, job->id };
    certprinter_ipp_print_document(ipp, &request, payload, size, timeout_ms, jobs_store_printer_id, &context,
                                   &run->result);
    explicit_bzero(payload, size); /* a licence page leaves memory with the job */
    free(payload);
    run->resent = 1;
    if (jobs_finish(db, job->id, &run->result) < 0)
        return -1;
    jobs_reload(db, job->id, run);
    return 0;
}

int certprinter_jobs_run(struct db *db, const struct trust_sealer *sealer, struct certprinter_ipp *ipp, int64_t id,
                         const char *unit_id, int timeout_ms, struct certprinter_jobs_run *run)
{
    memset(run, 0, sizeof *run);
    int claimed = print_jobs_claim(db, id, (int64_t)time(NULL));
    if (claimed != 0)
        return claimed;
    struct print_job job;
    if (print_jobs_get(db, id, &job) != 0)
        return -1;
    return jobs_settle(db, sealer, ipp, &job, unit_id, timeout_ms, true, run);
}

int certprinter_jobs_send_claimed(struct db *db, const struct trust_sealer *sealer, struct certprinter_ipp *ipp,
                                  const struct print_job *job, const char *unit_id, int timeout_ms,
                                  struct certprinter_jobs_run *run)
{
    return jobs_settle(db, sealer, ipp, job, unit_id, timeout_ms, true, run);
}

struct jobs_reconcile {
    struct db *db;
    struct certprinter_ipp *ipp;
    const char *unit_id;
    int timeout_ms;
    void (*visit)(const struct certprinter_jobs_run *run, void *context);
    void *context;
    int count, failed;
};

static int jobs_reconcile_one(const struct print_job *job, void *context)
{
    struct jobs_reconcile *r = context;
    struct certprinter_jobs_run run;
    /* may_send false: after a restart nothing goes out again on its own; a retry does. */
    if (jobs_settle(r->db, NULL, r->ipp, job, r->unit_id, r->timeout_ms, false, &run) < 0) {
        r->failed = 1;
        return 1;
    }
    r->count++;
    if (r->visit)
        r->visit(&run, r->context);
    return 0;
}

int certprinter_jobs_reconcile(struct db *db, struct certprinter_ipp *ipp, const char *unit_id, int timeout_ms,
                               void (*visit)(const struct certprinter_jobs_run *run, void *context), void *context,
                               int *count)
{
    struct jobs_reconcile r = { db, ipp, unit_id, timeout_ms, visit, context, 0, 0 };
    *count = 0;
    if (print_jobs_for_each(db, PRINT_PRINTER_CERTIFICATE, PRINT_JOB_SENDING, jobs_reconcile_one, &r) < 0 || r.failed)
        return -1;
    *count = r.count;
    return 0;
}
