#include "firmware/print/job_inbox.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void job_inbox_open(struct job_inbox *inbox)
{
    pthread_mutex_lock(&inbox->lock);
    inbox->open = true;
    inbox->stop = false;
    pthread_mutex_unlock(&inbox->lock);
}

void job_inbox_stop(struct job_inbox *inbox)
{
    pthread_mutex_lock(&inbox->lock);
    inbox->stop = true;
    inbox->open = false;
    pthread_cond_signal(&inbox->wake);
    pthread_mutex_unlock(&inbox->lock);
}

bool job_inbox_stopping(struct job_inbox *inbox)
{
    pthread_mutex_lock(&inbox->lock);
    bool stop = inbox->stop;
    pthread_mutex_unlock(&inbox->lock);
    return stop;
}

void job_command_drop_content(struct job_command *command)
{
    if (command->content && command->content_free)
        command->content_free(command->content);
    command->content = NULL;
}

void job_command_free(struct job_command *command)
{
    if (!command)
        return;
    job_command_drop_content(command);
    explicit_bzero(command->bytes, command->len); /* a page may show a licence */
    free(command);
}

void job_inbox_drain(struct job_inbox *inbox)
{
    pthread_mutex_lock(&inbox->lock);
    while (inbox->head) {
        struct job_command *next = inbox->head->next;
        job_command_free(inbox->head);
        inbox->head = next;
    }
    inbox->tail = NULL;
    pthread_mutex_unlock(&inbox->lock);
}

struct job_command *job_inbox_take(struct job_inbox *inbox, int wait_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += wait_ms / 1000;
    until.tv_nsec += (long)(wait_ms % 1000) * 1000000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&inbox->lock);
    while (!inbox->stop && !inbox->head && pthread_cond_timedwait(&inbox->wake, &inbox->lock, &until) == 0)
        ;
    struct job_command *command = inbox->stop ? NULL : inbox->head;
    if (command) {
        inbox->head = command->next;
        if (!inbox->head)
            inbox->tail = NULL;
    }
    pthread_mutex_unlock(&inbox->lock);
    return command;
}

static int job_inbox_push(struct job_inbox *inbox, struct job_command *command)
{
    pthread_mutex_lock(&inbox->lock);
    if (!inbox->open || inbox->stop) {
        pthread_mutex_unlock(&inbox->lock);
        job_command_free(command);
        return -ESRCH;
    }
    if (inbox->tail)
        inbox->tail->next = command;
    else
        inbox->head = command;
    inbox->tail = command;
    pthread_cond_signal(&inbox->wake);
    pthread_mutex_unlock(&inbox->lock);
    return 0;
}

int job_inbox_submit(struct job_inbox *inbox, const char *kind, const uint8_t *bytes, size_t len)
{
    struct job_command *command = calloc(1, sizeof *command + len);
    if (!command)
        return -ENOMEM;
    command->what = JOB_COMMAND_BYTES;
    snprintf(command->kind, sizeof command->kind, "%s", kind);
    command->len = len;
    memcpy(command->bytes, bytes, len);
    return job_inbox_push(inbox, command);
}

static int job_inbox_about(struct job_inbox *inbox, enum job_command_what what, int64_t job_id)
{
    struct job_command *command = calloc(1, sizeof *command);
    if (!command)
        return -ENOMEM;
    command->what = what;
    command->job_id = job_id;
    return job_inbox_push(inbox, command);
}

int job_inbox_retry(struct job_inbox *inbox, int64_t job_id)
{
    return job_inbox_about(inbox, JOB_COMMAND_RETRY, job_id);
}

int job_inbox_cancel(struct job_inbox *inbox, int64_t job_id)
{
    return job_inbox_about(inbox, JOB_COMMAND_CANCEL, job_id);
}

int job_inbox_submit_content(struct job_inbox *inbox, const char *kind, job_prepare_fn prepare, void *prepare_context,
                             void *content, void (*content_free)(void *content))
{
    struct job_command *command = calloc(1, sizeof *command);
    if (!command) {
        if (content_free)
            content_free(content);
        return -ENOMEM;
    }
    command->what = JOB_COMMAND_CONTENT;
    snprintf(command->kind, sizeof command->kind, "%s", kind);
    command->prepare = prepare;
    command->prepare_context = prepare_context;
    command->content = content;
    command->content_free = content_free;
    return job_inbox_push(inbox, command); /* frees the command, content too, when refused */
}
