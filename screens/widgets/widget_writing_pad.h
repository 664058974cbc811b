/* The handwriting pad: a square writing box where a finger writes one character. It records
 * the strokes (in the box's own 0..1000 space, handwriting.h), draws them as ink, and after
 * every stroke asks the handwriting worker for candidates. The strokes are the resident's:
 * widget_writing_pad_clear wipes them (a pick, 清除, the session's end). */
#pragma once
#include <stdbool.h>

#include "firmware/gfx/render.h"
#include "firmware/input/handwriting.h"
#include "screens/widgets/widget.h"

struct widget_writing_pad {
    struct ui_rect rect;      /* where the pad is; the writing box is the square centred in it */
    /* Kept by the widget: */
    struct ui_rect box;
    struct handwriting_strokes strokes;
    bool writing;             /* a finger is down in the box */
    bool full;                /* a stroke was refused: the pad holds all it can */
    unsigned request;         /* the latest recognition asked for */
};

void widget_writing_pad_draw(struct render *render, struct widget_writing_pad *pad);
/* WIDGET_CONSUMED for touches in the box (each finished stroke asks for candidates). */
enum widget_result widget_writing_pad_event(struct widget_writing_pad *pad, const struct ui_event *event);
/* A whole stroke from a script or a test (points in 0..1000): as if written by a finger. */
void widget_writing_pad_add_stroke(struct widget_writing_pad *pad, const struct handwriting_point *points, int count);
void widget_writing_pad_undo(struct widget_writing_pad *pad);
void widget_writing_pad_clear(struct widget_writing_pad *pad);
/* The candidates for the strokes on the pad, once recognised; NULL before (or when empty). */
const struct msg_handwriting *widget_writing_pad_candidates(const struct widget_writing_pad *pad);
