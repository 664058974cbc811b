#include "firmware/session/session.h"

#include <stddef.h>

#include "firmware/core/log.h"

#define SESSION_WIPES_MAX 32

static struct {
    session_wipe_fn wipe;
    void *ctx;
} session_wipes[SESSION_WIPES_MAX];
static size_t session_wipe_count;
static bool session_is_active;
static unsigned session_ended;

int session_register_wipe(session_wipe_fn wipe, void *ctx)
{
    if (session_wipe_count == SESSION_WIPES_MAX) {
        log_error("session", "wipe table full; raise SESSION_WIPES_MAX");
        return -1;
    }
    session_wipes[session_wipe_count].wipe = wipe;
    session_wipes[session_wipe_count].ctx = ctx;
    session_wipe_count++;
    return 0;
}

void session_unregister_all(void)
{
    session_wipe_count = 0;
}

bool session_begin(void)
{
    if (session_is_active)
        return false;
    session_is_active = true;
    log_info("session", "started");
    return true;
}

bool session_active(void)
{
    return session_is_active;
}

const char *session_end_reason_name(enum session_end_reason reason)
{
    switch (reason) {
    case SESSION_END_DONE: return "done";
    case SESSION_END_TIMEOUT: return "timeout";
    case SESSION_END_EXIT: return "exit";
    case SESSION_END_SERVICE: return "out-of-service";
    }
    return "?";
}

void session_end(enum session_end_reason reason)
{
    bool was_active = session_is_active;
    session_is_active = false;
    /* Wipe even when no session was marked active: a wipe is cheap, leftover data is not. */
    for (size_t i = 0; i < session_wipe_count; i++)
        session_wipes[i].wipe(session_wipes[i].ctx);
    if (was_active) {
        session_ended++;
        log_info("session", "ended (%s)", session_end_reason_name(reason));
    }
}

unsigned session_count_ended(void)
{
    return session_ended;
}
