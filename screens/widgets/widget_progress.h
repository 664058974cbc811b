/* A progress bar with its words beside it ("已测试 12/39 个按键"), so the amount is read,
 * not only seen as a length of colour. Text is already translated. */
#pragma once
#include "firmware/gfx/render.h"

struct widget_progress {
    struct ui_rect rect;
    double fraction;  /* 0..1; outside is clamped */
    const char *text; /* shown beside the bar (above it when the rect is too narrow) */
};

/* Draws and registers SEMANTIC_PROGRESS with the text; returns the height used. */
int widget_progress_draw(struct render *render, const struct widget_progress *progress);
