/* The frame every inner screen shares: a title bar with 返回 (back) and 首页 (home), and the
 * content area below. Keeps navigation in the same place on every screen. */
#pragma once
#include "firmware/gfx/render.h"
#include "screens/widgets/widget_button.h"

struct screen_frame {
    struct widget_button back, home;
    bool show_home;
};

/* Clears the canvas, draws the bar with title; returns the content rect (du). */
struct ui_rect screen_frame_draw(struct render *render, struct screen_frame *frame, const char *title);
/* Handles the bar's buttons (back pops, home ends at the root screen). True if consumed. */
bool screen_frame_event(struct screen_frame *frame, const struct ui_event *event);
