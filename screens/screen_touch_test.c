/* Placeholder until the technician screens land (being written now). */
#include "screen_frame.h"
#include "screen_list.h"

static struct screen_frame touch_test_frame;

static void touch_test_draw(struct render *render)
{
    screen_frame_draw(render, &touch_test_frame, "touch_test");
}

static bool touch_test_event(const struct ui_event *event)
{
    return screen_frame_event(&touch_test_frame, event);
}

const struct screen screen_touch_test = { .name = "touch_test", .event = touch_test_event, .draw = touch_test_draw };
