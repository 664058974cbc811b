/* Placeholder until the technician screens land (being written now). */
#include "screen_frame.h"
#include "screen_list.h"

static struct screen_frame technician_frame;

static void technician_draw(struct render *render)
{
    screen_frame_draw(render, &technician_frame, "technician");
}

static bool technician_event(const struct ui_event *event)
{
    return screen_frame_event(&technician_frame, event);
}

const struct screen screen_technician = { .name = "technician", .event = technician_event, .draw = technician_draw };
