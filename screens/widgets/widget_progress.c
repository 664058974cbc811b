#include "screens/widgets/widget_progress.h"

#include "screens/semantic.h"
#include "firmware/gfx/text.h"
#include "screens/theme.h"

int widget_progress_draw(struct render *render, const struct widget_progress *progress)
{
    const struct theme *t = theme_get();
    struct ui_rect r = progress->rect;
    double fraction = progress->fraction < 0 ? 0 : progress->fraction > 1 ? 1 : progress->fraction;
    struct text_style style = { t->text_body, TEXT_BOLD, t->text, TEXT_ALIGN_LEFT };
    int line_h = text_line_height_du(render, &style);
    int text_w = text_measure_du(render, &style, progress->text) + t->space_s;
    int bar_h = t->space_m;
    struct ui_rect bar, label;
    /* Beside the bar when the words leave it at least half the width; otherwise above it. */
    if (text_w <= r.w / 2) {
        int row_h = line_h > bar_h ? line_h : bar_h;
        label = (struct ui_rect){ r.x + r.w - text_w, r.y + (row_h - line_h) / 2, text_w, line_h };
        bar = (struct ui_rect){ r.x, r.y + (row_h - bar_h) / 2, r.w - text_w - t->space_m, bar_h };
    } else {
        label = (struct ui_rect){ r.x, r.y, r.w, text_height_du(render, &style, r.w, progress->text) };
        bar = (struct ui_rect){ r.x, label.y + label.h + t->space_s, r.w, bar_h };
    }
    render_fill_round_rect(render, bar, bar_h / 2, t->surface_pressed);
    int filled = (int)(bar.w * fraction + 0.5);
    if (filled > 0) {
        if (filled < bar_h)
            filled = bar_h; /* a sliver still reads as a rounded start, not a speck */
        render_fill_round_rect(render, (struct ui_rect){ bar.x, bar.y, filled, bar_h }, bar_h / 2,
                               fraction >= 1 ? t->success : t->primary);
    }
    render_stroke_round_rect(render, bar, bar_h / 2, t->stroke, t->border);
    text_draw(render, &style, label, progress->text);
    int bottom = bar.y + bar.h > label.y + label.h ? bar.y + bar.h : label.y + label.h;
    semantic_add(SEMANTIC_PROGRESS, (struct ui_rect){ r.x, r.y, r.w, bottom - r.y }, progress->text, true);
    return bottom - r.y;
}
