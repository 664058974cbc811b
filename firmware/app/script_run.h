/* Plays a parsed script against the running app, headless, on the fake clock. */
#pragma once
#include "firmware/app/script.h"

/* Runs every step; screenshots go to out_dir. Returns 0, or -1 after printing
 * "FILE:LINE: reason" to stderr. */
int script_run(const struct script *script, const char *out_dir);
