/* Session end wipes personal data through every registered callback, in order, always;
 * timers fire in deadline order and may re-arm themselves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "firmware/core/log.h"
#include "firmware/session/session.h"
#include "firmware/core/timer.h"

static char journal[512];

static void journal_add(const char *entry)
{
    size_t used = strlen(journal);
    snprintf(journal + used, sizeof journal - used, "%s%s", used ? " " : "", entry);
}

static void wipe_named(void *ctx)
{
    journal_add(ctx);
}

/* A module's personal data, as a wipe callback sees it. */
static void wipe_buffer(void *ctx)
{
    memset(ctx, 0, 32);
    journal_add("buffer");
}

static int setup_clean(void **state)
{
    (void)state;
    session_unregister_all();
    session_end(SESSION_END_DONE);
    timer_cancel_all();
    journal[0] = '\0';
    return 0;
}

static void test_session_end_runs_every_wipe_in_order(void **state)
{
    (void)state;
    char id_number[32] = "370000199001011234";
    assert_int_equal(session_register_wipe(wipe_named, "idcard"), 0);
    assert_int_equal(session_register_wipe(wipe_buffer, id_number), 0);
    assert_int_equal(session_register_wipe(wipe_named, "form"), 0);
    unsigned ended = session_count_ended();
    assert_true(session_begin());
    assert_true(session_active());
    session_end(SESSION_END_TIMEOUT);
    assert_false(session_active());
    assert_string_equal(journal, "idcard buffer form");
    char zeros[32] = { 0 };
    assert_memory_equal(id_number, zeros, sizeof zeros);
    assert_int_equal(session_count_ended(), ended + 1);
}

static void test_session_end_wipes_even_without_a_session(void **state)
{
    (void)state;
    session_register_wipe(wipe_named, "a");
    session_register_wipe(wipe_named, "b");
    unsigned ended = session_count_ended();
    assert_false(session_active());
    session_end(SESSION_END_SERVICE);
    assert_string_equal(journal, "a b");
    /* Nothing was active, so no session is counted as ended. */
    assert_int_equal(session_count_ended(), ended);
    session_end(SESSION_END_EXIT);
    assert_string_equal(journal, "a b a b");
}

static void test_session_begin_twice(void **state)
{
    (void)state;
    unsigned ended = session_count_ended();
    assert_true(session_begin());
    assert_false(session_begin());
    assert_true(session_active());
    session_end(SESSION_END_DONE);
    assert_int_equal(session_count_ended(), ended + 1);
    /* A new session can start after the end. */
    assert_true(session_begin());
    session_end(SESSION_END_DONE);
    assert_int_equal(session_count_ended(), ended + 2);
}

static void test_wipe_table_full_is_refused(void **state)
{
    (void)state;
    int registered = 0;
    while (session_register_wipe(wipe_named, "w") == 0)
        registered++;
    assert_true(registered >= 8);
    assert_int_equal(session_register_wipe(wipe_named, "late"), -1);
    session_end(SESSION_END_DONE);
    /* Every registered wipe ran once; the refused one never. */
    size_t count = 0;
    for (const char *p = journal; (p = strchr(p, 'w')); p++)
        count++;
    assert_int_equal(count, (size_t)registered);
    assert_null(strstr(journal, "late"));
    session_unregister_all();
    journal[0] = '\0';
    session_end(SESSION_END_DONE);
    assert_string_equal(journal, "");
}

static void test_end_reason_names(void **state)
{
    (void)state;
    assert_string_equal(session_end_reason_name(SESSION_END_DONE), "done");
    assert_string_equal(session_end_reason_name(SESSION_END_TIMEOUT), "timeout");
    assert_string_equal(session_end_reason_name(SESSION_END_EXIT), "exit");
    assert_string_equal(session_end_reason_name(SESSION_END_SERVICE), "out-of-service");
}

static void timer_named(void *ctx)
{
    journal_add(ctx);
}

static void test_timers_fire_in_deadline_order(void **state)
{
    (void)state;
    assert_true(timer_next_deadline() == INT64_MAX);
    /* Set in an order unlike both their ids and their deadlines. */
    timer_set(TIMER_SCREEN, 300, timer_named, "screen@300");
    timer_set(TIMER_CLOCK_TICK, 1000, timer_named, "tick@1000");
    timer_set(TIMER_COUNTDOWN, 100, timer_named, "countdown@100");
    timer_set(TIMER_INACTIVITY, 200, timer_named, "inactivity@200");
    assert_true(timer_next_deadline() == 100);
    assert_int_equal(timer_fire_due(99), 0);
    assert_string_equal(journal, "");
    assert_int_equal(timer_fire_due(300), 3);
    assert_string_equal(journal, "countdown@100 inactivity@200 screen@300");
    assert_false(timer_is_set(TIMER_COUNTDOWN));
    assert_true(timer_is_set(TIMER_CLOCK_TICK));
    assert_true(timer_next_deadline() == 1000);
    assert_int_equal(timer_fire_due(5000), 1);
    assert_true(timer_next_deadline() == INT64_MAX);
    assert_int_equal(timer_fire_due(10000), 0);
}

static int64_t tick_now;
static int tick_count;

/* A clock tick re-arms itself each second, as the real one does. */
static void tick_rearm(void *ctx)
{
    (void)ctx;
    tick_count++;
    char entry[32];
    snprintf(entry, sizeof entry, "tick%d", tick_count);
    journal_add(entry);
    tick_now += 1000;
    if (tick_count < 3)
        timer_set(TIMER_CLOCK_TICK, tick_now, tick_rearm, NULL);
}

static void test_rearming_inside_a_callback(void **state)
{
    (void)state;
    tick_now = 1000;
    tick_count = 0;
    timer_set(TIMER_CLOCK_TICK, tick_now, tick_rearm, NULL);
    timer_set(TIMER_SCREEN, 2500, timer_named, "screen@2500");
    /* Everything due up to 10 s fires in one call, re-armed deadlines included, in order. */
    assert_int_equal(timer_fire_due(10000), 4);
    assert_string_equal(journal, "tick1 tick2 screen@2500 tick3");
    assert_true(timer_next_deadline() == INT64_MAX);
}

static void test_rearm_in_the_future_waits(void **state)
{
    (void)state;
    tick_now = 1000;
    tick_count = 0;
    timer_set(TIMER_CLOCK_TICK, tick_now, tick_rearm, NULL);
    assert_int_equal(timer_fire_due(1000), 1);
    assert_true(timer_is_set(TIMER_CLOCK_TICK));
    assert_true(timer_next_deadline() == 2000);
    assert_string_equal(journal, "tick1");
}

static void test_cancel(void **state)
{
    (void)state;
    timer_set(TIMER_INACTIVITY, 100, timer_named, "inactivity");
    timer_set(TIMER_COUNTDOWN, 200, timer_named, "countdown");
    timer_cancel(TIMER_INACTIVITY);
    assert_false(timer_is_set(TIMER_INACTIVITY));
    assert_true(timer_next_deadline() == 200);
    assert_int_equal(timer_fire_due(1000), 1);
    assert_string_equal(journal, "countdown");
    /* Setting again replaces the deadline and callback. */
    timer_set(TIMER_COUNTDOWN, 300, timer_named, "first");
    timer_set(TIMER_COUNTDOWN, 50, timer_named, "second");
    assert_true(timer_next_deadline() == 50);
    timer_cancel_all();
    assert_true(timer_next_deadline() == INT64_MAX);
    assert_int_equal(timer_fire_due(INT64_MAX - 1), 0);
    assert_string_equal(journal, "countdown");
}

int main(void)
{
    /* Session start/end log lines would only clutter the test output. */
    log_set_level(LOG_WARN);
#define CLEAN_TEST(fn) cmocka_unit_test_setup(fn, setup_clean)
    const struct CMUnitTest tests[] = {
        CLEAN_TEST(test_session_end_runs_every_wipe_in_order),
        CLEAN_TEST(test_session_end_wipes_even_without_a_session),
        CLEAN_TEST(test_session_begin_twice),
        CLEAN_TEST(test_wipe_table_full_is_refused),
        CLEAN_TEST(test_end_reason_names),
        CLEAN_TEST(test_timers_fire_in_deadline_order),
        CLEAN_TEST(test_rearming_inside_a_callback),
        CLEAN_TEST(test_rearm_in_the_future_waits),
        CLEAN_TEST(test_cancel),
    };
    return cmocka_run_group_tests_name("session_timer", tests, NULL, NULL);
}
