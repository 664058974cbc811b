/* What a widget's event function tells its screen. Widgets ask for a redraw themselves
 * when their look changes (pressed, scrolled, typed). */
#pragma once

enum widget_result {
    WIDGET_IGNORED,   /* not for this widget */
    WIDGET_CONSUMED,  /* handled, nothing for the screen to do */
    WIDGET_ACTIVATED, /* clicked / chosen / confirmed: the screen acts */
};
