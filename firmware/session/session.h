/* A resident session: starts at the first touch, ends on completion, timeout or exit.
 * Every module holding personal data registers a wipe callback; session_end runs them all.
 * UI thread only. */
#pragma once
#include <stdbool.h>

enum session_end_reason { SESSION_END_DONE, SESSION_END_TIMEOUT, SESSION_END_EXIT, SESSION_END_SERVICE };

typedef void (*session_wipe_fn)(void *ctx);

/* Returns 0, or -1 when the table is full (a programming error, logged). */
int session_register_wipe(session_wipe_fn wipe, void *ctx);
void session_unregister_all(void);
/* Starts a session if none is active; returns true if this call started it. */
bool session_begin(void);
bool session_active(void);
/* Ends the session (if any) and runs every wipe callback in registration order. */
void session_end(enum session_end_reason reason);
unsigned session_count_ended(void);
const char *session_end_reason_name(enum session_end_reason reason);
