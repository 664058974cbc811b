/* The worker -> UI queue: order, bounds, timeouts, and a real producer thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#include <cmocka.h>

#include "firmware/core/msgqueue.h"

/* Each message carries its sequence number in a field a worker really fills. */
static struct msg msg_numbered(int n)
{
    struct msg m = { .kind = MSG_DEVICE_STATUS };
    m.u.device_status.device = DEVICE_RECEIPT_PRINTER;
    m.u.device_status.present = n;
    return m;
}

static int64_t monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static void test_messages_come_out_in_order(void **state)
{
    (void)state;
    struct msgqueue *queue = msgqueue_create(4);
    assert_non_null(queue);
    struct msg out;
    assert_false(msgqueue_take(queue, &out));
    /* Several rounds, so head and tail wrap around the ring. */
    int next_in = 0, next_out = 0;
    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 3; i++) {
            struct msg m = msg_numbered(next_in++);
            assert_int_equal(msgqueue_post(queue, &m), 0);
        }
        assert_int_equal(msgqueue_length(queue), 3);
        for (int i = 0; i < 3; i++) {
            assert_true(msgqueue_take(queue, &out));
            assert_int_equal(out.kind, MSG_DEVICE_STATUS);
            assert_int_equal(out.u.device_status.device, DEVICE_RECEIPT_PRINTER);
            assert_int_equal(out.u.device_status.present, next_out++);
        }
        assert_int_equal(msgqueue_length(queue), 0);
    }
    assert_false(msgqueue_take(queue, &out));
    msgqueue_destroy(queue);
}

static void test_posting_copies_the_message(void **state)
{
    (void)state;
    struct msgqueue *queue = msgqueue_create(2);
    struct msg m = msg_numbered(1);
    snprintf(m.u.device_status.reason, sizeof m.u.device_status.reason, "Paper out");
    assert_int_equal(msgqueue_post(queue, &m), 0);
    /* The worker reuses its buffer right away; the queued copy must not change. */
    snprintf(m.u.device_status.reason, sizeof m.u.device_status.reason, "overwritten");
    struct msg out;
    assert_true(msgqueue_take(queue, &out));
    assert_string_equal(out.u.device_status.reason, "Paper out");
    msgqueue_destroy(queue);
}

static void test_full_queue_refuses_with_enospc(void **state)
{
    (void)state;
    assert_null(msgqueue_create(0));
    struct msgqueue *queue = msgqueue_create(3);
    for (int i = 0; i < 3; i++) {
        struct msg m = msg_numbered(i);
        assert_int_equal(msgqueue_post(queue, &m), 0);
    }
    struct msg extra = msg_numbered(99);
    assert_int_equal(msgqueue_post(queue, &extra), -ENOSPC);
    assert_int_equal(msgqueue_length(queue), 3);
    /* The refused message is nowhere; the queued ones are intact. */
    struct msg out;
    for (int i = 0; i < 3; i++) {
        assert_true(msgqueue_take(queue, &out));
        assert_int_equal(out.u.device_status.present, i);
    }
    assert_false(msgqueue_take(queue, &out));
    /* Room again after taking. */
    assert_int_equal(msgqueue_post(queue, &extra), 0);
    msgqueue_destroy(queue);
}

static void test_wait_times_out_after_about_the_timeout(void **state)
{
    (void)state;
    struct msgqueue *queue = msgqueue_create(2);
    struct msg out;
    int64_t start = monotonic_ms();
    assert_false(msgqueue_wait(queue, &out, 150));
    int64_t elapsed = monotonic_ms() - start;
    assert_true(elapsed >= 145);
    /* Generous: sanitizer builds and a loaded CI machine are slow, but not seconds slow. */
    assert_true(elapsed < 1500);
    /* Zero means do not block at all. */
    start = monotonic_ms();
    assert_false(msgqueue_wait(queue, &out, 0));
    assert_true(monotonic_ms() - start < 50);
    /* A queued message comes back at once, whatever the timeout. */
    struct msg m = msg_numbered(5);
    msgqueue_post(queue, &m);
    start = monotonic_ms();
    assert_true(msgqueue_wait(queue, &out, 10000));
    assert_true(monotonic_ms() - start < 50);
    assert_int_equal(out.u.device_status.present, 5);
    msgqueue_destroy(queue);
}

#define PRODUCER_MESSAGES 20000

struct producer {
    struct msgqueue *queue;
    atomic_int doorbells;
    atomic_int refused;
};

static void count_doorbell(void *ctx)
{
    struct producer *producer = ctx;
    atomic_fetch_add(&producer->doorbells, 1);
}

static void *producer_run(void *arg)
{
    struct producer *producer = arg;
    for (int i = 0; i < PRODUCER_MESSAGES; i++) {
        struct msg m = msg_numbered(i);
        /* A full queue is the worker's problem: it retries, as a real one would. */
        while (msgqueue_post(producer->queue, &m) == -ENOSPC) {
            atomic_fetch_add(&producer->refused, 1);
            sched_yield();
        }
    }
    return NULL;
}

static void test_producer_thread_delivers_everything_in_order(void **state)
{
    (void)state;
    /* Small capacity so the producer keeps hitting a full queue while the consumer waits. */
    struct producer producer = { .queue = msgqueue_create(16) };
    atomic_init(&producer.doorbells, 0);
    atomic_init(&producer.refused, 0);
    msgqueue_set_doorbell(producer.queue, count_doorbell, &producer);
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, producer_run, &producer), 0);
    for (int i = 0; i < PRODUCER_MESSAGES; i++) {
        struct msg out;
        assert_true(msgqueue_wait(producer.queue, &out, 5000));
        assert_int_equal(out.u.device_status.present, i);
    }
    pthread_join(thread, NULL);
    struct msg out;
    assert_false(msgqueue_take(producer.queue, &out));
    /* One ring per successful post, none for the refused ones. */
    assert_int_equal(atomic_load(&producer.doorbells), PRODUCER_MESSAGES);
    msgqueue_destroy(producer.queue);
}

static void *post_one_later(void *arg)
{
    struct timespec delay = { 0, 50 * 1000000L };
    nanosleep(&delay, NULL);
    struct msg m = msg_numbered(42);
    msgqueue_post(arg, &m);
    return NULL;
}

static void test_wait_forever_wakes_on_post(void **state)
{
    (void)state;
    struct msgqueue *queue = msgqueue_create(1);
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, post_one_later, queue), 0);
    struct msg out;
    assert_true(msgqueue_wait(queue, &out, -1));
    assert_int_equal(out.u.device_status.present, 42);
    pthread_join(thread, NULL);
    msgqueue_destroy(queue);
}

static void test_doorbell_rings_once_per_post(void **state)
{
    (void)state;
    struct producer counter = { .queue = msgqueue_create(2) };
    atomic_init(&counter.doorbells, 0);
    msgqueue_set_doorbell(counter.queue, count_doorbell, &counter);
    struct msg m = msg_numbered(0);
    assert_int_equal(msgqueue_post(counter.queue, &m), 0);
    assert_int_equal(atomic_load(&counter.doorbells), 1);
    assert_int_equal(msgqueue_post(counter.queue, &m), 0);
    assert_int_equal(atomic_load(&counter.doorbells), 2);
    assert_int_equal(msgqueue_post(counter.queue, &m), -ENOSPC);
    assert_int_equal(atomic_load(&counter.doorbells), 2);
    /* Taking does not ring. */
    struct msg out;
    msgqueue_take(counter.queue, &out);
    assert_int_equal(atomic_load(&counter.doorbells), 2);
    /* Removing the doorbell stops the rings. */
    msgqueue_set_doorbell(counter.queue, NULL, NULL);
    assert_int_equal(msgqueue_post(counter.queue, &m), 0);
    assert_int_equal(atomic_load(&counter.doorbells), 2);
    msgqueue_destroy(counter.queue);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_messages_come_out_in_order),
        cmocka_unit_test(test_posting_copies_the_message),
        cmocka_unit_test(test_full_queue_refuses_with_enospc),
        cmocka_unit_test(test_wait_times_out_after_about_the_timeout),
        cmocka_unit_test(test_producer_thread_delivers_everything_in_order),
        cmocka_unit_test(test_wait_forever_wakes_on_post),
        cmocka_unit_test(test_doorbell_rings_once_per_post),
    };
    return cmocka_run_group_tests_name("msgqueue", tests, NULL, NULL);
}
