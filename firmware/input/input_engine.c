#include "firmware/input/input_engine.h"

#include <stdio.h>

#include "firmware/core/log.h"

void input_engine_note_ready(const char *engine, bool ready, const char *problem, char *problem_out,
                             size_t problem_size, bool *wipe_registered, session_wipe_fn wipe)
{
    snprintf(problem_out, problem_size, "%s", ready ? "" : problem);
    if (ready && !*wipe_registered)
        *wipe_registered = session_register_wipe(wipe, NULL) == 0;
    if (ready)
        log_info("input", "%s ready", engine);
    else
        log_warn("input", "%s unavailable: %s", engine, problem);
}
