#include "firmware/core/clock.h"

static bool clock_fake;
static int64_t clock_fake_ms;
static time_t clock_fake_wall_start;

int64_t clock_monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_now_ms(void)
{
    return clock_fake ? clock_fake_ms : clock_monotonic_ms();
}

time_t clock_wall_seconds(void)
{
    if (clock_fake)
        return clock_fake_wall_start + (time_t)(clock_fake_ms / 1000);
    return time(NULL);
}

void clock_use_fake(time_t start_wall)
{
    clock_fake = true;
    clock_fake_ms = 0;
    clock_fake_wall_start = start_wall;
}

bool clock_is_fake(void)
{
    return clock_fake;
}

void clock_advance_fake(int64_t ms)
{
    if (clock_fake && ms > 0)
        clock_fake_ms += ms;
}

void clock_local_time(time_t wall, int utc_offset_minutes, struct tm *out)
{
    time_t shifted = wall + (time_t)utc_offset_minutes * 60;
    gmtime_r(&shifted, out);
}
