/* Handwriting recognition through zinnia: the only file that includes zinnia.h.
 *
 * A worker thread opens the model (tegaki-zinnia-simplified-chinese) at start and posts
 * MSG_INPUT_READY. The writing pad hands it the strokes so far after every stroke; the
 * worker classifies the latest request only (strokes that came while it was busy replace the
 * older ones, so a fast writer never queues work) and posts MSG_HANDWRITING with ten
 * candidates. A classification takes about 8 ms for a simple character: on the UI thread
 * that would cost frames. The strokes are a resident's own: copied for the worker, wiped
 * after use, never logged. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "firmware/core/msg.h"
#include "firmware/core/msgqueue.h"

#define HANDWRITING_STROKES_MAX 40 /* more than any character in everyday use */
#define HANDWRITING_POINTS_MAX 2048
#define HANDWRITING_SPACE 1000     /* point coordinates are 0..1000 across the pad */

struct handwriting_point {
    int16_t x, y;
};
struct handwriting_strokes {
    int stroke_count;
    int point_count;
    uint16_t stroke_end[HANDWRITING_STROKES_MAX]; /* index after each stroke's last point */
    struct handwriting_point points[HANDWRITING_POINTS_MAX];
};

/* Starts the worker. 0, or a negative errno (nothing posted then). */
int handwriting_start(struct msgqueue *queue, const char *model_path);
void handwriting_stop(void);
/* UI thread: the note of MSG_INPUT_READY for handwriting, and of each MSG_HANDWRITING. */
void handwriting_note_ready(bool ready, const char *problem);
void handwriting_note_result(const struct msg_handwriting *result);
bool handwriting_ready(void);
const char *handwriting_problem(void);

/* Any thread: recognise these strokes (copied). Returns the request's number (> 0), or 0
 * when the worker does not run. */
unsigned handwriting_recognise(const struct handwriting_strokes *strokes);
/* UI thread: the candidates for request, once they arrived; NULL before. */
const struct msg_handwriting *handwriting_result(unsigned request);
/* UI thread: forgets the last result (the pad was cleared, the session ended). */
void handwriting_forget(void);

/* Stroke building for the pad and for scripts: a point in pad coordinates (0..1000),
 * added to the open stroke (begin=true opens a new one). false when the strokes are full. */
bool handwriting_strokes_add(struct handwriting_strokes *strokes, int x, int y, bool begin);
void handwriting_strokes_undo(struct handwriting_strokes *strokes);
void handwriting_strokes_clear(struct handwriting_strokes *strokes);
