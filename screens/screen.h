/* A screen: enter/exit/event/draw, kept on the screen manager's stack (back = pop).
 * Screens keep their state file-static; only the UI thread touches it. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "firmware/core/msg.h"
#include "firmware/gfx/render.h"
#include "firmware/gfx/ui.h"

struct screen {
    const char *name;                              /* scripts: wait-screen NAME */
    void (*enter)(const void *arg);                /* pushed; arg as given to push */
    void (*exit)(void);                            /* popped, or the stack was reset */
    bool (*event)(const struct ui_event *event);   /* true when consumed */
    void (*draw)(struct render *render);
    void (*resume)(void);                          /* optional: the screen above was popped */
    void (*message)(const struct msg *message);    /* optional: a worker's message (card read …) */
};

#define SCREEN_STACK_MAX 16

/* The table comes from screen_list.h in the firmware and from fakes in tests. */
void screen_manager_init(const struct screen *const *table, size_t count);
/* Exits every screen on the stack and enters root. */
void screen_manager_reset(int root, const void *arg);
/* 0, or -1 when the stack is full or the id unknown (logged; nothing changes). */
int screen_manager_push(int id, const void *arg);
/* Pops the top screen unless it is the root. */
void screen_manager_pop(void);
void screen_manager_pop_to_root(void);
int screen_manager_top(void);
/* The bottom of the stack (home, or out-of-service), -1 when empty. */
int screen_manager_root(void);
const char *screen_manager_top_name(void);
size_t screen_manager_depth(void);
/* Sends an event to the top screen; a back key it does not consume pops it. */
bool screen_manager_dispatch(const struct ui_event *event);
void screen_manager_draw(struct render *render);
/* Hands a worker's message to the top screen, if it takes messages. */
void screen_manager_deliver(const struct msg *message);
/* Ask for a redraw on the next loop turn; only drawn when something asked. */
void screen_request_redraw(void);
bool screen_take_redraw_request(void);
