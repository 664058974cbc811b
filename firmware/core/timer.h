/* One-shot deadlines on the UI thread, measured on clock_now_ms(). The main loop sleeps
 * until the earliest deadline; scripts advance the fake clock through them in order. */
#pragma once
#include <stdint.h>

enum timer_id { TIMER_CLOCK_TICK, TIMER_INACTIVITY, TIMER_COUNTDOWN, TIMER_SCREEN, TIMER_COUNT };

typedef void (*timer_fn)(void *ctx);

void timer_set(enum timer_id id, int64_t deadline_ms, timer_fn fire, void *ctx);
void timer_cancel(enum timer_id id);
int timer_is_set(enum timer_id id);
/* Earliest deadline, or INT64_MAX when none is set. */
int64_t timer_next_deadline(void);
/* Fires every timer due at now_ms (each cleared before its callback, which may re-arm it). */
int timer_fire_due(int64_t now_ms);
void timer_cancel_all(void);
