/* Press tracking shared by everything tappable: pressed while the finger is on it,
 * activated when a press that began on it is released on it. */
#pragma once
#include <stdbool.h>

#include "firmware/gfx/ui.h"
#include "screens/widgets/widget.h"

struct widget_press {
    bool pressed;  /* finger down on it now: draw the pressed look */
    bool tracking; /* the current press began on it */
};

enum widget_result widget_press_event(struct widget_press *press, struct ui_rect rect,
                                      const struct ui_event *event);
