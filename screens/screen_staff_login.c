/* Placeholder until the technician screens land (being written now). */
#include "screen_frame.h"
#include "screen_list.h"

static struct screen_frame staff_login_frame;

static void staff_login_draw(struct render *render)
{
    screen_frame_draw(render, &staff_login_frame, "staff_login");
}

static bool staff_login_event(const struct ui_event *event)
{
    return screen_frame_event(&staff_login_frame, event);
}

const struct screen screen_staff_login = { .name = "staff_login", .event = staff_login_event, .draw = staff_login_draw };
