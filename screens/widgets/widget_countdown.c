#include "screens/widgets/widget_countdown.h"

#include <stdio.h>

#include "screens/semantic.h"
#include "firmware/gfx/text.h"
#include "screens/theme.h"

void widget_countdown_draw(struct render *render, const struct widget_countdown *countdown)
{
    const struct theme *t = theme_get();
    struct ui_rect r = countdown->rect;
    int diameter = r.h;
    int cx = r.x + diameter / 2, cy = r.y + diameter / 2;
    double remaining = countdown->total_seconds > 0 ? (double)countdown->seconds_left / countdown->total_seconds : 0;
    int radius = diameter / 2;
    render_fill_ring(render, cx, cy, radius, radius - radius / 6, remaining, t->primary, t->surface_pressed);

    char number[16];
    snprintf(number, sizeof number, "%d", countdown->seconds_left);
    struct text_style big = { t->text_title, TEXT_BOLD, t->text, TEXT_ALIGN_CENTER };
    int line = text_line_height_du(render, &big);
    text_draw(render, &big, (struct ui_rect){ r.x, cy - line / 2, diameter, line }, number);

    struct text_style caption = { t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_LEFT };
    int cap_x = r.x + diameter + t->space_m, cap_w = r.w - diameter - t->space_m;
    int cap_h = text_height_du(render, &caption, cap_w, countdown->caption);
    text_draw(render, &caption, (struct ui_rect){ cap_x, cy - cap_h / 2, cap_w, cap_h }, countdown->caption);

    char spoken[160];
    snprintf(spoken, sizeof spoken, "%d %s", countdown->seconds_left, countdown->caption);
    semantic_add(SEMANTIC_COUNTDOWN, r, spoken, true);
}
