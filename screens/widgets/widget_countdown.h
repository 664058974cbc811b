/* A countdown: a ring that empties as time runs out, the seconds left in its centre and a
 * caption beside it, so the number is read, not only the shrinking ring. */
#pragma once
#include "firmware/gfx/render.h"

struct widget_countdown {
    struct ui_rect rect;
    int total_seconds;
    int seconds_left;
    const char *caption; /* translated text shown beside the ring, e.g. "秒后返回首页" */
};

void widget_countdown_draw(struct render *render, const struct widget_countdown *countdown);
