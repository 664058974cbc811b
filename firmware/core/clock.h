/* Time for the UI thread: real, or a fake clock that only scripts advance (deterministic runs). */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* Milliseconds on a monotonic scale; all UI deadlines use it. */
int64_t clock_now_ms(void);
/* Milliseconds on the real monotonic clock, whatever a script does to the fake one: for
 * workers' polls and deadlines, which must run while a script's fake clock stands still. */
int64_t clock_monotonic_ms(void);
/* Wall-clock seconds since the epoch (UTC). */
time_t clock_wall_seconds(void);
/* Switch to the fake clock: wall time starts at start_wall, monotonic time at 0. */
void clock_use_fake(time_t start_wall);
bool clock_is_fake(void);
/* Move the fake clock forward; no effect on the real clock. */
void clock_advance_fake(int64_t ms);
/* Local broken-down time at a fixed UTC offset (China has no daylight saving). */
void clock_local_time(time_t wall, int utc_offset_minutes, struct tm *out);
