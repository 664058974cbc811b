#include "screens/screen.h"

#include "firmware/core/log.h"

static const struct screen *const *screen_table;
static size_t screen_table_count;
static int screen_stack[SCREEN_STACK_MAX];
static size_t screen_stack_depth;
static bool screen_redraw_requested;

void screen_manager_init(const struct screen *const *table, size_t count)
{
    screen_table = table;
    screen_table_count = count;
    screen_stack_depth = 0;
    screen_redraw_requested = true;
}

static const struct screen *screen_at(size_t level)
{
    return screen_table[screen_stack[level]];
}

static void screen_exit_top(void)
{
    const struct screen *top = screen_at(screen_stack_depth - 1);
    if (top->exit)
        top->exit();
    screen_stack_depth--;
}

void screen_manager_reset(int root, const void *arg)
{
    while (screen_stack_depth > 0)
        screen_exit_top();
    screen_manager_push(root, arg);
}

int screen_manager_push(int id, const void *arg)
{
    if (id < 0 || (size_t)id >= screen_table_count) {
        log_error("screen", "no screen with id %d", id);
        return -1;
    }
    if (screen_stack_depth == SCREEN_STACK_MAX) {
        log_error("screen", "stack full; not opening %s", screen_table[id]->name);
        return -1;
    }
    screen_stack[screen_stack_depth++] = id;
    log_debug("screen", "enter %s (depth %zu)", screen_table[id]->name, screen_stack_depth);
    if (screen_table[id]->enter)
        screen_table[id]->enter(arg);
    screen_redraw_requested = true;
    return 0;
}

void screen_manager_pop(void)
{
    if (screen_stack_depth <= 1)
        return;
    screen_exit_top();
    const struct screen *top = screen_at(screen_stack_depth - 1);
    if (top->resume)
        top->resume();
    screen_redraw_requested = true;
}

void screen_manager_pop_to_root(void)
{
    if (screen_stack_depth <= 1)
        return;
    while (screen_stack_depth > 1)
        screen_exit_top();
    const struct screen *root = screen_at(0);
    if (root->resume)
        root->resume();
    screen_redraw_requested = true;
}

int screen_manager_top(void)
{
    return screen_stack_depth ? screen_stack[screen_stack_depth - 1] : -1;
}

int screen_manager_root(void)
{
    return screen_stack_depth ? screen_stack[0] : -1;
}

const char *screen_manager_top_name(void)
{
    return screen_stack_depth ? screen_at(screen_stack_depth - 1)->name : "";
}

size_t screen_manager_depth(void)
{
    return screen_stack_depth;
}

bool screen_manager_dispatch(const struct ui_event *event)
{
    if (!screen_stack_depth)
        return false;
    const struct screen *top = screen_at(screen_stack_depth - 1);
    if (top->event && top->event(event))
        return true;
    if (event->kind == UI_EVENT_KEY && event->key == UI_KEY_BACK && screen_stack_depth > 1) {
        screen_manager_pop();
        return true;
    }
    return false;
}

void screen_manager_draw(struct render *render)
{
    if (screen_stack_depth)
        screen_at(screen_stack_depth - 1)->draw(render);
}

void screen_manager_deliver(const struct msg *message)
{
    if (!screen_stack_depth)
        return;
    const struct screen *top = screen_at(screen_stack_depth - 1);
    if (top->message)
        top->message(message);
}

void screen_request_redraw(void)
{
    screen_redraw_requested = true;
}

bool screen_take_redraw_request(void)
{
    bool requested = screen_redraw_requested;
    screen_redraw_requested = false;
    return requested;
}
