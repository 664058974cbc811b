/* A touch button: shows a pressed state while the finger is on it, activates on release
 * inside. Text is already translated. */
#pragma once
#include <stdbool.h>

#include "firmware/gfx/render.h"
#include "screens/widgets/widget.h"
#include "screens/widgets/widget_press.h"

enum widget_button_style { BUTTON_PRIMARY, BUTTON_SECONDARY, BUTTON_DANGER };

struct widget_button {
    struct ui_rect rect;
    const char *text;
    enum widget_button_style style;
    bool disabled;
    struct widget_press press;
};

void widget_button_draw(struct render *render, const struct widget_button *button);
enum widget_result widget_button_event(struct widget_button *button, const struct ui_event *event);
