/* The inactivity flow: after the configured time without a touch during a session, a
 * dialog with a visible countdown asks whether more time is needed; when it runs out the
 * session ends. UI thread only. */
#pragma once
#include <stdbool.h>

#include "firmware/gfx/render.h"
#include "firmware/gfx/ui.h"

typedef void (*inactivity_expired_fn)(void);

void inactivity_configure(int inactivity_seconds, int countdown_seconds, inactivity_expired_fn expired);
/* A touch in an active session: (re)arms the inactivity deadline. */
void inactivity_note_activity(void);
/* Session over or unit out of service: cancel timers, hide the dialog. */
void inactivity_stop(void);
bool inactivity_dialog_visible(void);
/* While the dialog is visible it takes every touch. */
bool inactivity_event(const struct ui_event *event);
void inactivity_draw(struct render *render);
int inactivity_seconds_left(void);
