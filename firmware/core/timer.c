#include "firmware/core/timer.h"

#include <stdbool.h>

static struct {
    bool armed;
    int64_t deadline;
    timer_fn fire;
    void *ctx;
} timers[TIMER_COUNT];

void timer_set(enum timer_id id, int64_t deadline_ms, timer_fn fire, void *ctx)
{
    timers[id].armed = true;
    timers[id].deadline = deadline_ms;
    timers[id].fire = fire;
    timers[id].ctx = ctx;
}

void timer_cancel(enum timer_id id)
{
    timers[id].armed = false;
}

int timer_is_set(enum timer_id id)
{
    return timers[id].armed;
}

int64_t timer_next_deadline(void)
{
    int64_t next = INT64_MAX;
    for (int i = 0; i < TIMER_COUNT; i++)
        if (timers[i].armed && timers[i].deadline < next)
            next = timers[i].deadline;
    return next;
}

int timer_fire_due(int64_t now_ms)
{
    int fired = 0;
    for (;;) {
        int due = -1;
        for (int i = 0; i < TIMER_COUNT; i++)
            if (timers[i].armed && timers[i].deadline <= now_ms &&
                (due < 0 || timers[i].deadline < timers[due].deadline))
                due = i;
        if (due < 0)
            return fired;
        timers[due].armed = false;
        timers[due].fire(timers[due].ctx);
        fired++;
    }
}

void timer_cancel_all(void)
{
    for (int i = 0; i < TIMER_COUNT; i++)
        timers[i].armed = false;
}
