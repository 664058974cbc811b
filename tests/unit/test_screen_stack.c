/* The screen manager's stack with fake screens that write every call into one journal,
 * so each test asserts the exact order in which screens were entered, exited and resumed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "screens/screen.h"

static char journal[4096];
static bool detail_consumes_everything;

static void journal_add(const char *what, const char *screen)
{
    size_t used = strlen(journal);
    snprintf(journal + used, sizeof journal - used, "%s%s:%s", used ? " " : "", what, screen);
}

/* One set of callbacks per fake screen; the manager gives callbacks no context. */
#define FAKE_SCREEN(id)                                                          \
    static void id##_enter(const void *arg)                                      \
    {                                                                            \
        journal_add("enter", arg ? (const char *)arg : #id);                     \
    }                                                                            \
    static void id##_exit(void) { journal_add("exit", #id); }                    \
    static void id##_draw(struct render *render)                                 \
    {                                                                            \
        (void)render;                                                            \
        journal_add("draw", #id);                                                \
    }

FAKE_SCREEN(home)
FAKE_SCREEN(menu)
FAKE_SCREEN(detail)

static void home_resume(void)
{
    journal_add("resume", "home");
}

static void menu_resume(void)
{
    journal_add("resume", "menu");
}

static bool home_event(const struct ui_event *event)
{
    (void)event;
    journal_add("event", "home");
    return false;
}

static bool menu_event(const struct ui_event *event)
{
    (void)event;
    journal_add("event", "menu");
    return false;
}

static bool detail_event(const struct ui_event *event)
{
    (void)event;
    journal_add("event", "detail");
    return detail_consumes_everything;
}

static void menu_message(const struct msg *message)
{
    journal_add(msg_kind_name(message->kind), "menu");
}

enum { SCREEN_HOME, SCREEN_MENU, SCREEN_DETAIL, SCREEN_FAKE_COUNT };

static const struct screen screen_home = { "home", home_enter, home_exit, home_event, home_draw, home_resume, NULL };
static const struct screen screen_menu = { "menu", menu_enter, menu_exit, menu_event, menu_draw, menu_resume,
                                           menu_message };
/* No resume, no messages: the manager must cope with optional callbacks being NULL. */
static const struct screen screen_detail = { "detail", detail_enter, detail_exit, detail_event, detail_draw,
                                             NULL, NULL };
static const struct screen *const fake_table[SCREEN_FAKE_COUNT] = { &screen_home, &screen_menu, &screen_detail };

static int setup_stack(void **state)
{
    (void)state;
    screen_manager_init(fake_table, SCREEN_FAKE_COUNT);
    detail_consumes_everything = false;
    journal[0] = '\0';
    return 0;
}

static void test_empty_stack(void **state)
{
    (void)state;
    assert_int_equal(screen_manager_depth(), 0);
    assert_int_equal(screen_manager_top(), -1);
    assert_int_equal(screen_manager_root(), -1);
    assert_string_equal(screen_manager_top_name(), "");
    struct ui_event back = { .kind = UI_EVENT_KEY, .key = UI_KEY_BACK };
    assert_false(screen_manager_dispatch(&back));
    screen_manager_pop();
    screen_manager_pop_to_root();
    screen_manager_draw(NULL);
    assert_string_equal(journal, "");
}

static void test_push_and_pop_order(void **state)
{
    (void)state;
    assert_int_equal(screen_manager_push(SCREEN_HOME, NULL), 0);
    assert_int_equal(screen_manager_push(SCREEN_MENU, NULL), 0);
    assert_int_equal(screen_manager_push(SCREEN_DETAIL, "detail(item 7)"), 0);
    assert_int_equal(screen_manager_depth(), 3);
    assert_int_equal(screen_manager_top(), SCREEN_DETAIL);
    assert_string_equal(screen_manager_top_name(), "detail");
    assert_int_equal(screen_manager_root(), SCREEN_HOME);
    screen_manager_pop();
    assert_string_equal(screen_manager_top_name(), "menu");
    screen_manager_pop();
    assert_string_equal(screen_manager_top_name(), "home");
    assert_string_equal(journal, "enter:home enter:menu enter:detail(item 7) "
                                 "exit:detail resume:menu exit:menu resume:home");
}

static void test_pop_at_root_does_nothing(void **state)
{
    (void)state;
    screen_manager_push(SCREEN_HOME, NULL);
    journal[0] = '\0';
    screen_manager_pop();
    screen_manager_pop_to_root();
    assert_int_equal(screen_manager_depth(), 1);
    assert_string_equal(screen_manager_top_name(), "home");
    assert_string_equal(journal, "");
}

static void test_pop_to_root_exits_top_first_then_resumes_root(void **state)
{
    (void)state;
    screen_manager_push(SCREEN_HOME, NULL);
    screen_manager_push(SCREEN_MENU, NULL);
    screen_manager_push(SCREEN_DETAIL, NULL);
    screen_manager_push(SCREEN_MENU, NULL);
    journal[0] = '\0';
    screen_manager_pop_to_root();
    assert_string_equal(journal, "exit:menu exit:detail exit:menu resume:home");
    assert_int_equal(screen_manager_depth(), 1);
    assert_int_equal(screen_manager_top(), SCREEN_HOME);
}

static void test_reset_exits_everything_and_enters_the_new_root(void **state)
{
    (void)state;
    screen_manager_push(SCREEN_HOME, NULL);
    screen_manager_push(SCREEN_MENU, NULL);
    journal[0] = '\0';
    screen_manager_reset(SCREEN_DETAIL, "detail(out of service)");
    assert_string_equal(journal, "exit:menu exit:home enter:detail(out of service)");
    assert_int_equal(screen_manager_depth(), 1);
    assert_int_equal(screen_manager_root(), SCREEN_DETAIL);
    /* The new root is a root: pop leaves it. */
    screen_manager_pop();
    assert_int_equal(screen_manager_depth(), 1);
}

static void test_full_stack_refuses_and_changes_nothing(void **state)
{
    (void)state;
    assert_int_equal(screen_manager_push(SCREEN_HOME, NULL), 0);
    for (int i = 1; i < SCREEN_STACK_MAX; i++)
        assert_int_equal(screen_manager_push(SCREEN_MENU, NULL), 0);
    assert_int_equal(screen_manager_depth(), SCREEN_STACK_MAX);
    journal[0] = '\0';
    assert_int_equal(screen_manager_push(SCREEN_DETAIL, NULL), -1);
    assert_int_equal(screen_manager_depth(), SCREEN_STACK_MAX);
    assert_int_equal(screen_manager_top(), SCREEN_MENU);
    assert_string_equal(journal, "");
    /* Still a working stack afterwards. */
    screen_manager_pop();
    assert_int_equal(screen_manager_push(SCREEN_DETAIL, NULL), 0);
    assert_int_equal(screen_manager_top(), SCREEN_DETAIL);
}

static void test_unknown_id_refuses_and_changes_nothing(void **state)
{
    (void)state;
    screen_manager_push(SCREEN_HOME, NULL);
    journal[0] = '\0';
    assert_int_equal(screen_manager_push(SCREEN_FAKE_COUNT, NULL), -1);
    assert_int_equal(screen_manager_push(-1, NULL), -1);
    assert_int_equal(screen_manager_depth(), 1);
    assert_int_equal(screen_manager_top(), SCREEN_HOME);
    assert_string_equal(journal, "");
}

static void test_back_key_not_consumed_pops_the_top(void **state)
{
    (void)state;
    screen_manager_push(SCREEN_HOME, NULL);
    screen_manager_push(SCREEN_MENU, NULL);
    screen_manager_push(SCREEN_DETAIL, NULL);
    journal[0] = '\0';
    struct ui_event back = { .kind = UI_EVENT_KEY, .key = UI_KEY_BACK };
    assert_true(screen_manager_dispatch(&back));
    assert_string_equal(journal, "event:detail exit:detail resume:menu");
    journal[0] = '\0';
    assert_true(screen_manager_dispatch(&back));
    assert_string_equal(journal, "event:menu exit:menu resume:home");
    /* At the root the back key goes nowhere. */
    journal[0] = '\0';
    assert_false(screen_manager_dispatch(&back));
    assert_string_equal(journal, "event:home");
    assert_int_equal(screen_manager_depth(), 1);
}

static void test_back_key_consumed_by_the_top_stays(void **state)
{
    (void)state;
    screen_manager_push(SCREEN_HOME, NULL);
    screen_manager_push(SCREEN_DETAIL, NULL);
    detail_consumes_everything = true;
    journal[0] = '\0';
    struct ui_event back = { .kind = UI_EVENT_KEY, .key = UI_KEY_BACK };
    assert_true(screen_manager_dispatch(&back));
    assert_string_equal(journal, "event:detail");
    assert_int_equal(screen_manager_top(), SCREEN_DETAIL);
}

static void test_other_events_not_consumed_do_not_pop(void **state)
{
    (void)state;
    screen_manager_push(SCREEN_HOME, NULL);
    screen_manager_push(SCREEN_DETAIL, NULL);
    journal[0] = '\0';
    struct ui_event press = { .kind = UI_EVENT_PRESS, .x = 10, .y = 10 };
    struct ui_event enter = { .kind = UI_EVENT_KEY, .key = UI_KEY_ENTER };
    assert_false(screen_manager_dispatch(&press));
    assert_false(screen_manager_dispatch(&enter));
    assert_string_equal(journal, "event:detail event:detail");
    assert_int_equal(screen_manager_depth(), 2);
}

static void test_draw_goes_to_the_top_and_redraw_requests_are_taken_once(void **state)
{
    (void)state;
    screen_manager_push(SCREEN_HOME, NULL);
    screen_manager_push(SCREEN_MENU, NULL);
    journal[0] = '\0';
    screen_manager_draw(NULL);
    assert_string_equal(journal, "draw:menu");
    assert_true(screen_take_redraw_request());
    assert_false(screen_take_redraw_request());
    screen_manager_pop();
    assert_true(screen_take_redraw_request());
    assert_false(screen_take_redraw_request());
    screen_request_redraw();
    assert_true(screen_take_redraw_request());
}

/* Workers' messages go to the top screen only, and only if it takes them. */
static void test_messages_reach_only_the_top_screen(void **state)
{
    (void)state;
    struct msg card = { .kind = MSG_CARD_FAILED };
    screen_manager_push(SCREEN_MENU, NULL);
    journal[0] = '\0';
    screen_manager_deliver(&card);
    assert_string_equal(journal, "CARD_FAILED:menu");
    screen_manager_push(SCREEN_DETAIL, NULL);
    journal[0] = '\0';
    screen_manager_deliver(&card);
    assert_string_equal(journal, "");
}

int main(void)
{
#define STACK_TEST(fn) cmocka_unit_test_setup(fn, setup_stack)
    const struct CMUnitTest tests[] = {
        STACK_TEST(test_empty_stack),
        STACK_TEST(test_push_and_pop_order),
        STACK_TEST(test_pop_at_root_does_nothing),
        STACK_TEST(test_pop_to_root_exits_top_first_then_resumes_root),
        STACK_TEST(test_reset_exits_everything_and_enters_the_new_root),
        STACK_TEST(test_full_stack_refuses_and_changes_nothing),
        STACK_TEST(test_unknown_id_refuses_and_changes_nothing),
        STACK_TEST(test_back_key_not_consumed_pops_the_top),
        STACK_TEST(test_back_key_consumed_by_the_top_stays),
        STACK_TEST(test_other_events_not_consumed_do_not_pop),
        STACK_TEST(test_draw_goes_to_the_top_and_redraw_requests_are_taken_once),
        STACK_TEST(test_messages_reach_only_the_top_screen),
    };
    return cmocka_run_group_tests_name("screen_stack", tests, NULL, NULL);
}
