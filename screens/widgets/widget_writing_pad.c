#include "screens/widgets/widget_writing_pad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/core/i18n.h"
#include "firmware/gfx/text.h"
#include "screens/screen.h"
#include "screens/semantic.h"
#include "screens/theme.h"

/* Points closer than this to the last one (in 0..1000) add nothing the recogniser uses, and
 * would fill the stroke buffer on a slow finger. */
#define PAD_MIN_STEP 12

static void pad_to_space(const struct widget_writing_pad *pad, int x_du, int y_du, int *x, int *y)
{
    *x = pad->box.w > 0 ? (x_du - pad->box.x) * HANDWRITING_SPACE / pad->box.w : 0;
    *y = pad->box.h > 0 ? (y_du - pad->box.y) * HANDWRITING_SPACE / pad->box.h : 0;
}

static void pad_ask(struct widget_writing_pad *pad)
{
    pad->request = pad->strokes.stroke_count ? handwriting_recognise(&pad->strokes) : 0;
    if (!pad->strokes.stroke_count)
        handwriting_forget();
}

/* Ink: discs along each segment, as a brush would leave it. */
static void pad_draw_ink(struct render *render, const struct widget_writing_pad *pad, struct ui_color ink, int radius)
{
    int start = 0;
    for (int s = 0; s < pad->strokes.stroke_count; s++) {
        int end = pad->strokes.stroke_end[s];
        for (int p = start; p < end; p++) {
            const struct handwriting_point a = pad->strokes.points[p > start ? p - 1 : p], b = pad->strokes.points[p];
            int ax = pad->box.x + a.x * pad->box.w / HANDWRITING_SPACE, ay = pad->box.y + a.y * pad->box.h / HANDWRITING_SPACE;
            int bx = pad->box.x + b.x * pad->box.w / HANDWRITING_SPACE, by = pad->box.y + b.y * pad->box.h / HANDWRITING_SPACE;
            int dx = bx - ax, dy = by - ay;
            int steps = (abs(dx) > abs(dy) ? abs(dx) : abs(dy)) / (radius > 1 ? radius / 2 : 1) + 1;
            for (int i = 0; i <= steps; i++)
                render_fill_circle(render, ax + dx * i / steps, ay + dy * i / steps, radius, ink);
        }
        start = end;
    }
}

void widget_writing_pad_draw(struct render *render, struct widget_writing_pad *pad)
{
    const struct theme *t = theme_get();
    int side = pad->rect.w < pad->rect.h ? pad->rect.w : pad->rect.h;
    pad->box = (struct ui_rect){ pad->rect.x + (pad->rect.w - side) / 2, pad->rect.y + (pad->rect.h - side) / 2, side,
                                 side };
    render_fill_round_rect(render, pad->box, t->radius / 2, t->surface);
    render_stroke_round_rect(render, pad->box, t->radius / 2, t->stroke, t->border);
    /* The 米字格's centre lines: where a character's middle goes. */
    struct ui_color guide = t->surface_pressed;
    render_fill_rect(render, (struct ui_rect){ pad->box.x + t->space_s, pad->box.y + side / 2, side - 2 * t->space_s, 2 },
                     guide);
    render_fill_rect(render, (struct ui_rect){ pad->box.x + side / 2, pad->box.y + t->space_s, 2, side - 2 * t->space_s },
                     guide);
    if (!pad->strokes.stroke_count) {
        struct text_style hint = { t->text_body, TEXT_REGULAR, t->text_muted, TEXT_ALIGN_CENTER };
        int h = text_line_height_du(render, &hint);
        text_draw(render, &hint, (struct ui_rect){ pad->box.x, pad->box.y + side / 4 - h / 2, side, h },
                  _("Write one character here"));
    }
    pad_draw_ink(render, pad, t->text, side / 60 > 3 ? side / 60 : 3);
    if (pad->full) {
        struct text_style warn = { t->text_body, TEXT_BOLD, t->danger, TEXT_ALIGN_CENTER };
        int h = text_line_height_du(render, &warn);
        text_draw(render, &warn, (struct ui_rect){ pad->box.x, pad->box.y + side - h - t->space_s, side, h },
                  _("The box is full: pick a character or clear it"));
    }
    /* Its text says how many strokes: what a test (or a voice) can tell about the ink. */
    char label[64];
    snprintf(label, sizeof label, _("Writing box, %d strokes"), pad->strokes.stroke_count);
    semantic_add(SEMANTIC_WRITING_PAD, pad->box, label, true);
}

enum widget_result widget_writing_pad_event(struct widget_writing_pad *pad, const struct ui_event *event)
{
    if (event->kind == UI_EVENT_PRESS && ui_rect_contains(pad->box, event->x, event->y)) {
        int x, y;
        pad_to_space(pad, event->x, event->y, &x, &y);
        pad->writing = handwriting_strokes_add(&pad->strokes, x, y, true);
        pad->full = !pad->writing;
        screen_request_redraw();
        return WIDGET_CONSUMED;
    }
    if (!pad->writing)
        return WIDGET_IGNORED;
    if (event->kind == UI_EVENT_DRAG || event->kind == UI_EVENT_RELEASE) {
        int x, y;
        pad_to_space(pad, event->x, event->y, &x, &y);
        const struct handwriting_point last = pad->strokes.points[pad->strokes.point_count - 1];
        if (event->kind == UI_EVENT_RELEASE || abs(x - last.x) + abs(y - last.y) >= PAD_MIN_STEP)
            if (!handwriting_strokes_add(&pad->strokes, x, y, false))
                pad->full = true;
        if (event->kind == UI_EVENT_RELEASE) {
            pad->writing = false;
            pad_ask(pad);
        }
        screen_request_redraw();
        return WIDGET_CONSUMED;
    }
    return WIDGET_IGNORED;
}

void widget_writing_pad_add_stroke(struct widget_writing_pad *pad, const struct handwriting_point *points, int count)
{
    bool ok = true;
    for (int i = 0; i < count && ok; i++)
        ok = handwriting_strokes_add(&pad->strokes, points[i].x, points[i].y, i == 0);
    pad->full = !ok;
    pad_ask(pad);
    screen_request_redraw();
}

void widget_writing_pad_undo(struct widget_writing_pad *pad)
{
    handwriting_strokes_undo(&pad->strokes);
    pad->full = false;
    pad_ask(pad);
    screen_request_redraw();
}

void widget_writing_pad_clear(struct widget_writing_pad *pad)
{
    handwriting_strokes_clear(&pad->strokes);
    pad->writing = false;
    pad->full = false;
    pad->request = 0;
    handwriting_forget();
    screen_request_redraw();
}

const struct msg_handwriting *widget_writing_pad_candidates(const struct widget_writing_pad *pad)
{
    return pad->strokes.stroke_count ? handwriting_result(pad->request) : NULL;
}
