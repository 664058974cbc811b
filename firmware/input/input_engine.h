/* What the two text entry engines (ime_pinyin, handwriting) share on the UI thread: taking
 * note of their state when MSG_INPUT_READY arrives. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "firmware/session/session.h"

/* Keeps the reason (cleared when ready), registers the engine's session wipe once, and says
 * so in one log line. */
void input_engine_note_ready(const char *engine, bool ready, const char *problem, char *problem_out,
                             size_t problem_size, bool *wipe_registered, session_wipe_fn wipe);
