/* print_worker: the one printer worker skeleton (see print_worker.h). */
#include "firmware/print/print_worker.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/core/clock.h"
#include "firmware/core/log.h"
#include "firmware/print/print_jobs_sealed.h"
#include "firmware/print/printer_report.h"

#define PRINT_WORKER_CANCELLED "cancelled before it was printed"

const struct trust_sealer *print_worker_sealer(struct print_worker *w)
{
    return w->sealing ? &w->sealer : NULL;
}

bool print_worker_told_unusable(const struct print_worker *w)
{
    return w->usable == 0;
}

static enum device_id print_worker_device(const struct print_worker *w)
{
    return w->ops->printer == PRINT_PRINTER_RECEIPT ? DEVICE_RECEIPT_PRINTER : DEVICE_CERT_PRINTER;
}

void print_worker_set_status(struct print_worker *w, bool usable, int condition, const char *msgid,
                             const char *telemetry_state, const char *log_text)
{
    if (w->usable == (int)usable && w->shown == condition)
        return;
    w->usable = usable;
    w->shown = condition;
    if (log_text)
        log_info(w->ops->module, "%s", log_text);
    pthread_mutex_lock(&w->status_lock);
    w->status_usable = usable;
    snprintf(w->status_msgid, sizeof w->status_msgid, "%s", usable || !msgid ? "" : msgid);
    pthread_mutex_unlock(&w->status_lock);
    printer_report_status(w->queue, print_worker_device(w), usable, msgid, telemetry_state);
}

void print_worker_post_job(struct print_worker *w, int64_t id, enum print_job_state state, bool retryable,
                           const char *msgid, const char *reason)
{
    printer_report_job(w->queue, w->ops->printer, id, state, retryable, msgid, reason);
}

static void print_worker_poll(struct print_worker *w)
{
    if (w->ops->open(w))
        w->ops->poll(w);
}

/* Claims one job, has the back end send it, ends the row and tells the UI. */
static void print_worker_send(struct print_worker *w, int64_t id)
{
    const struct print_device_ops *ops = w->ops;
    int claimed = print_jobs_claim(w->db, id, (int64_t)clock_wall_seconds());
    struct print_job job;
    if (claimed == 0 && print_jobs_get(w->db, id, &job) != 0)
        claimed = -1;
    if (claimed == 1)
        return; /* printed, sending, or failed for good: nothing to do */
    if (claimed < 0) {
        log_error(ops->module, "job %lld: %s", (long long)id, db_error(w->db));
        print_worker_post_job(w, id, PRINT_JOB_FAILED, true, ops->error_msgid(), db_error(w->db));
        return;
    }
    print_worker_post_job(w, id, PRINT_JOB_SENDING, false, NULL, NULL);
    struct print_send_result result = { 0 };
    int rc = 0;
    if (ops->open(w))
        rc = ops->send(w, w->db, &job, &result);
    else
        ops->unreachable(w, &result); /* no printer: the job waits, failed and retryable */
    if (rc < 0) {
        log_error(ops->module, "job %lld: %s", (long long)id, db_error(w->db));
        print_worker_post_job(w, id, PRINT_JOB_FAILED, true, ops->error_msgid(), db_error(w->db));
        return;
    }
    const int64_t now = (int64_t)clock_wall_seconds();
    if (result.printed) {
        if (!result.row_ended && print_jobs_finish_printed(w->db, id, now) < 0)
            log_error(ops->module, "job %lld: %s", (long long)id, db_error(w->db));
        log_info(ops->module, "job %lld printed (%s)", (long long)id, result.detail);
        print_worker_post_job(w, id, PRINT_JOB_PRINTED, false, NULL, NULL);
    } else {
        if (!result.row_ended && print_jobs_finish_failed(w->db, id, result.retryable, result.reason, now) < 0)
            log_error(ops->module, "job %lld: %s", (long long)id, db_error(w->db));
        log_warn(ops->module, "job %lld failed (%s): %s", (long long)id, result.retryable ? "retryable" : "final",
                 result.detail[0] ? result.detail : result.reason);
        print_worker_post_job(w, id, PRINT_JOB_FAILED, result.retryable, result.msgid, result.reason);
    }
    print_worker_poll(w); /* the UI learns at once that the printer is out of paper, or back */
}

static void print_worker_send_queued(struct print_worker *w)
{
    int64_t id;
    while (!job_inbox_stopping(&w->inbox) && print_jobs_next_queued(w->db, w->ops->printer, &id) == 0)
        print_worker_send(w, id);
}

/* A new job: stored (sealed) before anything is sent, the in-memory copy wiped. */
static void print_worker_store(struct print_worker *w, const char *kind, uint8_t *bytes, size_t len)
{
    int64_t id;
    int added = print_jobs_add_sealed(w->db, print_worker_sealer(w), w->ops->printer, kind, bytes, len,
                                      (int64_t)clock_wall_seconds(), &id);
    explicit_bzero(bytes, len); /* stored (sealed): no copy stays */
    if (added < 0) {
        log_error(w->ops->module, "cannot store a job: %s", db_error(w->db));
        print_worker_post_job(w, 0, PRINT_JOB_FAILED, false, w->ops->error_msgid(), db_error(w->db));
        return;
    }
    print_worker_send_queued(w);
}

static void print_worker_cancel_job(struct print_worker *w, int64_t id)
{
    int rc = print_jobs_cancel(w->db, id, PRINT_WORKER_CANCELLED, (int64_t)clock_wall_seconds());
    if (rc < 0) {
        log_error(w->ops->module, "job %lld: cannot cancel it: %s", (long long)id, db_error(w->db));
        return;
    }
    if (rc == 1) {
        log_info(w->ops->module, "job %lld: not cancelled (sending, printed or already final)", (long long)id);
        return;
    }
    log_info(w->ops->module, "job %lld cancelled", (long long)id);
    print_worker_post_job(w, id, PRINT_JOB_FAILED, false, NULL, PRINT_WORKER_CANCELLED);
}

static void print_worker_take(struct print_worker *w, struct job_command *command)
{
    switch (command->what) {
    case JOB_COMMAND_RETRY:
        print_worker_send(w, command->job_id);
        return;
    case JOB_COMMAND_CANCEL:
        print_worker_cancel_job(w, command->job_id);
        return;
    case JOB_COMMAND_BYTES:
        print_worker_store(w, command->kind, command->bytes, command->len);
        return;
    case JOB_COMMAND_CONTENT: {
        uint8_t *bytes = NULL;
        size_t len = 0;
        char err[300] = "";
        int rc = command->prepare(command->prepare_context, command->content, &bytes, &len, err, sizeof err);
        job_command_drop_content(command); /* the content (a licence) is wiped once made */
        if (rc < 0) {
            log_error(w->ops->module, "cannot make a %s job: %s", command->kind, err);
            print_worker_post_job(w, 0, PRINT_JOB_FAILED, false, w->ops->error_msgid(), err);
            return;
        }
        print_worker_store(w, command->kind, bytes, len);
        free(bytes);
        return;
    }
    }
}

static void *print_worker_main(void *context)
{
    struct print_worker *w = context;
    char err[512];
    if (db_open(w->db_path, &w->db, err, sizeof err) < 0) {
        log_error(w->ops->module, "%s", err);
        w->ops->broken(w, err);
        job_inbox_stop(&w->inbox); /* no job can be stored: submitting says so at once */
        return NULL;
    }
    /* Before anything new: what the last run left sending is settled, never resent blindly. */
    w->ops->recover(w, w->db);
    print_worker_poll(w);
    print_worker_send_queued(w); /* jobs queued before a restart */
    int64_t last_poll = clock_monotonic_ms();
    while (!job_inbox_stopping(&w->inbox)) {
        int wait = w->ops->idle_wait_ms(w, w->poll_interval_ms);
        struct job_command *command = job_inbox_take(&w->inbox, wait);
        if (command) {
            print_worker_take(w, command);
            job_command_free(command);
            last_poll = clock_monotonic_ms();
        } else if (clock_monotonic_ms() - last_poll >= wait) {
            print_worker_poll(w);
            last_poll = clock_monotonic_ms();
        }
    }
    w->ops->close(w);
    db_close(w->db);
    w->db = NULL;
    return NULL;
}

int print_worker_start(struct print_worker *w, struct msgqueue *queue, const char *db_path,
                       const char *device_key_path, int poll_interval_ms)
{
    if (w->running)
        return -EALREADY;
    if (!db_path)
        return -EINVAL;
    w->queue = queue;
    snprintf(w->db_path, sizeof w->db_path, "%s", db_path);
    w->poll_interval_ms = poll_interval_ms > 0 ? poll_interval_ms : 5000;
    w->sealing = false;
    if (device_key_path) {
        char err[300];
        if (trust_sealer_open(&w->sealer, device_key_path, err, sizeof err) < 0) {
            log_error(w->ops->module, "pages could not be sealed: %s", err);
            return -EIO;
        }
        w->sealing = true;
    }
    job_inbox_open(&w->inbox);
    w->usable = -1;
    w->shown = 0;
    pthread_mutex_lock(&w->status_lock);
    w->status_usable = -1;
    w->status_msgid[0] = '\0';
    pthread_mutex_unlock(&w->status_lock);
    int rc = pthread_create(&w->thread, NULL, print_worker_main, w);
    if (rc != 0) {
        job_inbox_stop(&w->inbox);
        if (w->sealing)
            trust_sealer_close(&w->sealer);
        w->sealing = false;
        return -rc;
    }
    w->running = true;
    return 0;
}

void print_worker_stop(struct print_worker *w)
{
    if (!w->running)
        return;
    job_inbox_stop(&w->inbox);
    pthread_join(w->thread, NULL);
    w->running = false;
    if (w->sealing)
        trust_sealer_close(&w->sealer);
    w->sealing = false;
    /* Jobs not yet taken are in memory only: never stored, so none is half-done. */
    job_inbox_drain(&w->inbox);
}

bool print_worker_running(const struct print_worker *w)
{
    return w->running;
}

int print_worker_submit(struct print_worker *w, const char *kind, const uint8_t *bytes, size_t len)
{
    return job_inbox_submit(&w->inbox, kind, bytes, len);
}

int print_worker_submit_content(struct print_worker *w, const char *kind, job_prepare_fn prepare, void *prepare_context,
                                void *content, void (*content_free)(void *content))
{
    return job_inbox_submit_content(&w->inbox, kind, prepare, prepare_context, content, content_free);
}

int print_worker_retry(struct print_worker *w, int64_t job_id)
{
    return job_inbox_retry(&w->inbox, job_id);
}

int print_worker_cancel(struct print_worker *w, int64_t job_id)
{
    return job_inbox_cancel(&w->inbox, job_id);
}

void print_worker_status(struct print_worker *w, struct print_worker_status *status)
{
    pthread_mutex_lock(&w->status_lock);
    status->running = w->running;
    status->usable = w->status_usable;
    snprintf(status->msgid, sizeof status->msgid, "%s", w->status_msgid);
    pthread_mutex_unlock(&w->status_lock);
}
