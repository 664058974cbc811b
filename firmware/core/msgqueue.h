/* The one queue from workers to the UI thread: bounded, thread-safe, copies messages.
 * The UI thread blocks in msgqueue_wait (headless) or in SDL_WaitEvent (window);
 * for the latter a doorbell callback pushes an SDL user event so the wait wakes. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "firmware/core/msg.h"

struct msgqueue;

struct msgqueue *msgqueue_create(size_t capacity);
void msgqueue_destroy(struct msgqueue *queue);
/* Called (from the posting thread) after each successful post. */
void msgqueue_set_doorbell(struct msgqueue *queue, void (*ring)(void *ctx), void *ctx);
/* Returns 0, or -ENOSPC when the queue is full (the message is not queued). */
int msgqueue_post(struct msgqueue *queue, const struct msg *message);
/* Takes the oldest message without blocking; false when empty. */
bool msgqueue_take(struct msgqueue *queue, struct msg *out);
/* Blocks up to timeout_ms (negative: forever) for a message; false on timeout. */
bool msgqueue_wait(struct msgqueue *queue, struct msg *out, int timeout_ms);
size_t msgqueue_length(struct msgqueue *queue);
