/* A printer worker's inbox: commands from other threads (a new job's bytes, a retry of a
 * stored job) in arrival order under one lock, with the stop flag and a timed wait. The
 * receipt and certificate printer workers share it. */
#pragma once
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "firmware/print/print_jobs.h"

struct job_command {
    struct job_command *next;
    int64_t retry_id; /* 0: a new job, bytes below */
    char kind[PRINT_JOB_KIND_MAX];
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
