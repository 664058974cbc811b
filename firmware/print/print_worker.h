/* The one shape of a printer worker: a thread that owns one printer and its jobs, whatever
 * the printer speaks. The skeleton here does what every printer needs, the same way:
 *   - an inbox of commands from other threads (job_inbox.h): a job's bytes, a job's content
 *     made into bytes on this thread (a licence laid out, rastered and encoded here, never on
 *     the UI thread), a retry, a cancel;
 *   - store before send: a new job is a row (sealed with the device key when given) before
 *     any byte leaves; the in-memory copy is wiped once stored;
 *   - claim, send, end: the row is claimed (attempts + 1), MSG_PRINT_JOB "sending" is posted,
 *     the back end sends it, and the row ends printed or failed with a reason (posted with
 *     the resident's words);
 *   - an idle status poll posting MSG_DEVICE_STATUS when the printer becomes usable or
 *     unusable (not on every poll);
 *   - restart rules: at start the back end settles what the last run left sending (never
 *     resent on its own), then queued jobs are sent.
 * A back end gives its device operations (struct print_device_ops: open, send a claimed job's
 * bytes, read status, close) and its own state; nothing else differs between printers. */
#pragma once
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "firmware/core/msgqueue.h"
#include "firmware/platform/trust.h"
#include "firmware/print/job_inbox.h"
#include "firmware/print/print_jobs.h"
#include "firmware/storage/db.h"

#define PRINT_WORKER_MSGID_MAX 160

struct print_worker;

/* How a claimed job ended, as the back end's send tells it. */
struct print_send_result {
    bool printed;
    bool retryable;                       /* when failed */
    bool row_ended;                       /* the back end's job store ended the row itself */
    const char *msgid;                    /* when failed: the resident's words (English msgid) */
    char reason[PRINT_JOB_REASON_MAX];    /* when failed: the row's reason, for the technician */
    char detail[PRINT_JOB_REASON_MAX];    /* the log line: "1234 bytes", "printer job 7", ... */
};

struct print_device_ops {
    const char *module;                   /* log module: "receipt", "certprinter" */
    enum print_printer printer;
    /* The resident's words (English msgid) for a job that cannot be made, stored or sent
     * because of the kiosk itself (the database, the page). */
    const char *(*error_msgid)(void);
    /* The worker cannot work (no database): tell the UI the printer is unusable. */
    void (*broken)(struct print_worker *worker, const char *why);
    /* At start, before anything new: jobs the last run left sending are settled. */
    void (*recover)(struct print_worker *worker, struct db *db);
    /* The link, when not open; false (reported unusable by open itself) when it cannot be. */
    bool (*open)(struct print_worker *worker);
    /* Reads the printer's status (link open) and reports it (print_worker_set_status). */
    void (*poll)(struct print_worker *worker);
    /* Sends a claimed job (link open). 0 with *result; -1 database error (db_error). */
    int (*send)(struct print_worker *worker, struct db *db, const struct print_job *job,
                struct print_send_result *result);
    /* A claimed job when the link cannot be opened: how it fails (retryable). */
    void (*unreachable)(struct print_worker *worker, struct print_send_result *result);
    /* How long to wait idle before the next poll (the link closed: sooner, to reopen it). */
    int (*idle_wait_ms)(struct print_worker *worker, int poll_interval_ms);
    void (*close)(struct print_worker *worker);
};

/* A back end's worker: file-static in the back end, PRINT_WORKER_INITIALIZER(&ops, &state). */
struct print_worker {
    const struct print_device_ops *ops;
    void *device; /* the back end's own state */
    pthread_t thread;
    bool running;
    struct job_inbox inbox;
    struct msgqueue *queue;
    char db_path[512];
    int poll_interval_ms;
    struct trust_sealer sealer;
    bool sealing;
    /* the worker thread's own */
    struct db *db;
    int usable; /* -1 unknown, 0 unusable, 1 usable: what the UI was told last */
    int shown;  /* the back end's condition told last */
    /* what status() answers other threads */
    pthread_mutex_t status_lock;
    int status_usable;
    char status_msgid[PRINT_WORKER_MSGID_MAX];
};

#define PRINT_WORKER_INITIALIZER(ops_, device_)                                                                       \
    { .ops = (ops_), .device = (device_), .inbox = JOB_INBOX_INITIALIZER, .status_lock = PTHREAD_MUTEX_INITIALIZER,   \
      .status_usable = -1 }

/* What other threads may ask. */
struct print_worker_status {
    bool running;
    int usable;                            /* -1 not known yet, 0 no, 1 yes */
    char msgid[PRINT_WORKER_MSGID_MAX];    /* why not, for the resident; "" when usable */
};

/* Starts the thread. device_key_path seals every stored job (NULL: stored plain). 0, or a
 * negative errno (nothing is posted then): -EALREADY, -EIO the key cannot be read. */
int print_worker_start(struct print_worker *worker, struct msgqueue *queue, const char *db_path,
                       const char *device_key_path, int poll_interval_ms);
/* Joins the thread; jobs not yet taken (never stored) are wiped and dropped. */
void print_worker_stop(struct print_worker *worker);
bool print_worker_running(const struct print_worker *worker);
/* From any thread. 0, -ENOMEM, or -ESRCH when the worker is not running. The job's id arrives
 * with its first MSG_PRINT_JOB. */
int print_worker_submit(struct print_worker *worker, const char *kind, const uint8_t *bytes, size_t len);
/* content is owned by the worker from here (wiped and freed by content_free, also when
 * refused); prepare makes it the job's bytes on the worker thread. */
int print_worker_submit_content(struct print_worker *worker, const char *kind, job_prepare_fn prepare,
                                void *prepare_context, void *content, void (*content_free)(void *content));
int print_worker_retry(struct print_worker *worker, int64_t job_id);
/* A job that waits (queued, or failed and retryable) cancelled on the worker: failed for
 * good, payload emptied, MSG_PRINT_JOB failed (not retryable) posted. A job sending, printed
 * or already final is left as it is. 0, -ENOMEM, -ESRCH. */
int print_worker_cancel(struct print_worker *worker, int64_t job_id);
void print_worker_status(struct print_worker *worker, struct print_worker_status *status);

/* For back ends, on the worker thread. */
const struct trust_sealer *print_worker_sealer(struct print_worker *worker); /* NULL: stored plain */
/* Tells the UI when the printer becomes usable or unusable, or its condition changes;
 * log_text is logged then. */
void print_worker_set_status(struct print_worker *worker, bool usable, int condition, const char *msgid,
                             const char *telemetry_state, const char *log_text);
bool print_worker_told_unusable(const struct print_worker *worker);
void print_worker_post_job(struct print_worker *worker, int64_t id, enum print_job_state state, bool retryable,
                           const char *msgid, const char *reason);
