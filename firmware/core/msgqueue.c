#include "firmware/core/msgqueue.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct msgqueue {
    pthread_mutex_t lock;
    pthread_cond_t nonempty;
    struct msg *ring;
    size_t capacity, head, count;
    void (*doorbell)(void *ctx);
    void *doorbell_ctx;
};

struct msgqueue *msgqueue_create(size_t capacity)
{
    struct msgqueue *queue = calloc(1, sizeof *queue);
    if (!queue || capacity == 0)
        goto fail;
    queue->ring = calloc(capacity, sizeof *queue->ring);
    if (!queue->ring)
        goto fail;
    queue->capacity = capacity;
    pthread_mutex_init(&queue->lock, NULL);
    /* Monotonic, so a wall-clock step (NTP at boot) does not stretch a wait. */
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&queue->nonempty, &attr);
    pthread_condattr_destroy(&attr);
    return queue;
fail:
    free(queue);
    return NULL;
}

void msgqueue_destroy(struct msgqueue *queue)
{
    if (!queue)
        return;
    pthread_cond_destroy(&queue->nonempty);
    pthread_mutex_destroy(&queue->lock);
    free(queue->ring);
    free(queue);
}

void msgqueue_set_doorbell(struct msgqueue *queue, void (*ring)(void *ctx), void *ctx)
{
    pthread_mutex_lock(&queue->lock);
    queue->doorbell = ring;
    queue->doorbell_ctx = ctx;
    pthread_mutex_unlock(&queue->lock);
}

int msgqueue_post(struct msgqueue *queue, const struct msg *message)
{
    pthread_mutex_lock(&queue->lock);
    if (queue->count == queue->capacity) {
        pthread_mutex_unlock(&queue->lock);
        return -ENOSPC;
    }
    queue->ring[(queue->head + queue->count) % queue->capacity] = *message;
    queue->count++;
    void (*ring)(void *) = queue->doorbell;
    void *ctx = queue->doorbell_ctx;
    pthread_cond_signal(&queue->nonempty);
    pthread_mutex_unlock(&queue->lock);
    if (ring)
        ring(ctx);
    return 0;
}

static void msgqueue_pop_locked(struct msgqueue *queue, struct msg *out)
{
    *out = queue->ring[queue->head];
    queue->head = (queue->head + 1) % queue->capacity;
    queue->count--;
}

bool msgqueue_take(struct msgqueue *queue, struct msg *out)
{
    return msgqueue_wait(queue, out, 0);
}

bool msgqueue_wait(struct msgqueue *queue, struct msg *out, int timeout_ms)
{
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    if (timeout_ms > 0) {
        deadline.tv_sec += timeout_ms / 1000;
        deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000L;
        }
    }
    pthread_mutex_lock(&queue->lock);
    while (queue->count == 0 && timeout_ms != 0) {
        int rc = timeout_ms < 0 ? pthread_cond_wait(&queue->nonempty, &queue->lock)
                                : pthread_cond_timedwait(&queue->nonempty, &queue->lock, &deadline);
        if (rc == ETIMEDOUT)
            break;
    }
    bool got = queue->count > 0;
    if (got)
        msgqueue_pop_locked(queue, out);
    pthread_mutex_unlock(&queue->lock);
    return got;
}

size_t msgqueue_length(struct msgqueue *queue)
{
    pthread_mutex_lock(&queue->lock);
    size_t n = queue->count;
    pthread_mutex_unlock(&queue->lock);
    return n;
}
