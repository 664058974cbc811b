#include "widget_countdown.h"

#include <math.h>
#include <stdio.h>

#include "semantic.h"
#include "text.h"
#include "theme.h"

/* The ring: 60 segments, the elapsed ones drawn light, the remaining ones in primary. */
static void widget_countdown_ring(struct render *render, int cx, int cy, int radius, double remaining)
{
    const struct theme *t = theme_get();
    const int segments = 60;
    int dot = radius / 7 > 4 ? radius / 7 : 4;
    for (int i = 0; i < segments; i++) {
        double angle = -M_PI / 2 + 2 * M_PI * i / segments;
        int x = cx + (int)lround(cos(angle) * (radius - dot));
        int y = cy + (int)lround(sin(angle) * (radius - dot));
        bool left = (double)i / segments < remaining;
        render_fill_circle(render, x, y, dot / 2, left ? t->primary : t->surface_pressed);
    }
}

void widget_countdown_draw(struct render *render, const struct widget_countdown *countdown)
{
    const struct theme *t = theme_get();
    struct ui_rect r = countdown->rect;
    int diameter = r.h;
    int cx = r.x + diameter / 2, cy = r.y + diameter / 2;
    double remaining = countdown->total_seconds > 0 ? (double)countdown->seconds_left / countdown->total_seconds : 0;
    widget_countdown_ring(render, cx, cy, diameter / 2, remaining);

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
