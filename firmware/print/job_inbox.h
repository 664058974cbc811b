/* A printer worker's inbox: commands from other threads (a new job's bytes, a retry of a
 * stored job) in arrival order under one lock, with the stop flag and a timed wait. The
 * receipt and certificate printer workers share it. */
#pragma once
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "firmware/print/print_jobs.h"

enum job_command_what {
    JOB_COMMAND_BYTES,   /* a new job, ready to store: bytes below */
    JOB_COMMAND_CONTENT, /* a new job as content, made into bytes on the worker by prepare */
    JOB_COMMAND_RETRY,   /* job_id sent again */
    JOB_COMMAND_CANCEL,  /* job_id cancelled while it waits */
};

/* On the worker thread: the content as the job's bytes (malloc'd; the worker wipes and frees
 * them once stored). 0, or -1 with one line in err. context is the submitter's. */
typedef int (*job_prepare_fn)(void *context, const void *content, uint8_t **bytes, size_t *len, char *err,
                              size_t errlen);

struct job_command {
    struct job_command *next;
    enum job_command_what what;
    int64_t job_id; /* a retry's or a cancel's job */
    char kind[PRINT_JOB_KIND_MAX];
    job_prepare_fn prepare;                 /* JOB_COMMAND_CONTENT */
    void *prepare_context;
    void *content;                          /* owned by the command */
    void (*content_free)(void *content);    /* wipes (personal data) and frees */
    size_t len;
    uint8_t bytes[];
};

struct job_inbox {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool open, stop;
    struct job_command *head, *tail; /* under lock */
};

#define JOB_INBOX_INITIALIZER { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, false, NULL, NULL }

/* Takes commands from now on (the worker's start). */
void job_inbox_open(struct job_inbox *inbox);
/* Refuses new commands and wakes the worker, which then ends. */
void job_inbox_stop(struct job_inbox *inbox);
bool job_inbox_stopping(struct job_inbox *inbox);
/* After the worker has ended: what it never took is wiped and freed (it was never stored,
 * so no job is half-done). */
void job_inbox_drain(struct job_inbox *inbox);
/* The next command, waiting up to wait_ms; NULL on timeout or stop. The caller frees it
 * (job_command_free). */
struct job_command *job_inbox_take(struct job_inbox *inbox, int wait_ms);
void job_command_free(struct job_command *command);
/* From any thread. 0, -ENOMEM, or -ESRCH when the inbox is not open. */
int job_inbox_submit(struct job_inbox *inbox, const char *kind, const uint8_t *bytes, size_t len);
int job_inbox_retry(struct job_inbox *inbox, int64_t job_id);
int job_inbox_cancel(struct job_inbox *inbox, int64_t job_id);
/* Content the worker makes into a job (prepare, on its thread). The inbox owns content from
 * here, also on failure: content_free wipes and frees it once prepared or dropped. */
int job_inbox_submit_content(struct job_inbox *inbox, const char *kind, job_prepare_fn prepare, void *prepare_context,
                             void *content, void (*content_free)(void *content));
/* The command's content wiped and freed now (after prepare); job_command_free does it too. */
void job_command_drop_content(struct job_command *command);
