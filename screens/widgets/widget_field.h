/* A form field as residents see it: its caption above, a box with the value (or a hint in
 * grey while empty), a thick border while it is being edited. Tapping the box is the screen's
 * cue to open its keyboard or numeric pad. Registered as SEMANTIC_INPUT with the text shown. */
#pragma once
#include <stdbool.h>

#include "firmware/gfx/render.h"
#include "screens/widgets/widget.h"
#include "screens/widgets/widget_press.h"

struct widget_field {
    struct ui_rect rect;  /* x, y and w; the height follows from the caption and lines */
    const char *caption;
    const char *value;
    const char *hint;     /* shown while value is empty */
    int lines;            /* how many lines of text the box shows (at least one) */
    bool editing;
    /* Kept by the widget: */
    struct ui_rect box;
    struct widget_press press;
};

/* Draws it; returns the height used (caption and box). */
int widget_field_draw(struct render *render, struct widget_field *field);
/* WIDGET_ACTIVATED when the box was tapped. */
enum widget_result widget_field_event(struct widget_field *field, const struct ui_event *event);
