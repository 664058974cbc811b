/* handwriting: zinnia on a worker thread behind the keyboard's 手写 mode (handwriting.h). */
#include "firmware/input/handwriting.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zinnia.h>

#include "firmware/core/log.h"
#include "firmware/input/input_engine.h"

static struct {
    pthread_t thread;
    bool running;
    bool stopping;
    struct msgqueue *queue;
    char model_path[1024];
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool pending;                      /* under lock: a request waits */
    unsigned next_request;             /* under lock */
    unsigned pending_request;          /* under lock */
    struct handwriting_strokes strokes; /* under lock: the waiting request's strokes */
    /* UI thread only. */
    bool ready;
    bool wipe_registered;
    char problem[200];
    struct msg_handwriting last;
} hw = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

static void handwriting_post_ready(bool ready, const char *problem)
{
    struct msg m = { .kind = MSG_INPUT_READY };
    m.u.input_ready.engine = INPUT_ENGINE_HANDWRITING;
    m.u.input_ready.ready = ready;
    snprintf(m.u.input_ready.problem, sizeof m.u.input_ready.problem, "%s", problem ? problem : "");
    if (msgqueue_post(hw.queue, &m) < 0)
        log_warn("input", "queue full: the handwriting input's state was not delivered");
}

/* One classification; the strokes are wiped by the caller. */
static void handwriting_classify(zinnia_recognizer_t *recognizer, zinnia_character_t *character,
                                 const struct handwriting_strokes *strokes, unsigned request)
{
    struct msg m = { .kind = MSG_HANDWRITING };
    m.u.handwriting.request = request;
    zinnia_character_clear(character);
    zinnia_character_set_width(character, HANDWRITING_SPACE);
    zinnia_character_set_height(character, HANDWRITING_SPACE);
    int start = 0;
    for (int s = 0; s < strokes->stroke_count; s++) {
        for (int p = start; p < strokes->stroke_end[s]; p++)
            zinnia_character_add(character, (size_t)s, strokes->points[p].x, strokes->points[p].y);
        start = strokes->stroke_end[s];
    }
    zinnia_result_t *result =
        strokes->stroke_count ? zinnia_recognizer_classify(recognizer, character, MSG_HANDWRITING_CANDIDATES) : NULL;
    for (size_t i = 0; result && i < zinnia_result_size(result) && m.u.handwriting.count < MSG_HANDWRITING_CANDIDATES;
         i++) {
        const char *value = zinnia_result_value(result, i);
        if (value && strlen(value) < sizeof m.u.handwriting.candidates[0])
            snprintf(m.u.handwriting.candidates[m.u.handwriting.count++], sizeof m.u.handwriting.candidates[0], "%s",
                     value);
    }
    if (result)
        zinnia_result_destroy(result);
    zinnia_character_clear(character);
    if (msgqueue_post(hw.queue, &m) < 0)
        log_warn("input", "queue full: handwriting candidates were not delivered");
}

static void *handwriting_main(void *arg)
{
    (void)arg;
    char problem[200];
    if (access(hw.model_path, R_OK) != 0) {
        snprintf(problem, sizeof problem,
                 "no handwriting model at %.60s; install the package tegaki-zinnia-simplified-chinese", hw.model_path);
        handwriting_post_ready(false, problem);
        return NULL;
    }
    zinnia_recognizer_t *recognizer = zinnia_recognizer_new();
    zinnia_character_t *character = zinnia_character_new();
    if (!recognizer || !character || !zinnia_recognizer_open(recognizer, hw.model_path)) {
        snprintf(problem, sizeof problem, "the handwriting model %.60s does not open: %.60s", hw.model_path,
                 recognizer ? zinnia_recognizer_strerror(recognizer) : "out of memory");
        handwriting_post_ready(false, problem);
        if (character)
            zinnia_character_destroy(character);
        if (recognizer)
            zinnia_recognizer_destroy(recognizer);
        return NULL;
    }
    handwriting_post_ready(true, NULL);
    static struct handwriting_strokes work; /* this thread's copy, wiped after each use */
    for (;;) {
        pthread_mutex_lock(&hw.lock);
        while (!hw.pending && !hw.stopping)
            pthread_cond_wait(&hw.wake, &hw.lock);
        if (hw.stopping) {
            pthread_mutex_unlock(&hw.lock);
            break;
        }
        work = hw.strokes;
        explicit_bzero(&hw.strokes, sizeof hw.strokes);
        unsigned request = hw.pending_request;
        hw.pending = false;
        pthread_mutex_unlock(&hw.lock);
        handwriting_classify(recognizer, character, &work, request);
        explicit_bzero(&work, sizeof work);
    }
    zinnia_character_destroy(character);
    zinnia_recognizer_destroy(recognizer);
    return NULL;
}

int handwriting_start(struct msgqueue *queue, const char *model_path)
{
    if (hw.running)
        return -EALREADY;
    hw.queue = queue;
    hw.stopping = false;
    snprintf(hw.model_path, sizeof hw.model_path, "%s", model_path);
    int rc = pthread_create(&hw.thread, NULL, handwriting_main, NULL);
    if (rc != 0)
        return -rc;
    hw.running = true;
    return 0;
}

void handwriting_stop(void)
{
    if (!hw.running)
        return;
    pthread_mutex_lock(&hw.lock);
    hw.stopping = true;
    pthread_cond_signal(&hw.wake);
    pthread_mutex_unlock(&hw.lock);
    pthread_join(hw.thread, NULL);
    hw.running = false;
    explicit_bzero(&hw.strokes, sizeof hw.strokes);
    handwriting_forget();
    hw.ready = false;
}

static void handwriting_end_session(void *ctx)
{
    (void)ctx;
    handwriting_forget();
}

void handwriting_note_ready(bool ready, const char *problem)
{
    hw.ready = ready;
    input_engine_note_ready("handwriting", ready, problem, hw.problem, sizeof hw.problem, &hw.wipe_registered,
                            handwriting_end_session);
}

void handwriting_note_result(const struct msg_handwriting *result)
{
    hw.last = *result;
}

bool handwriting_ready(void)
{
    return hw.ready;
}

const char *handwriting_problem(void)
{
    return hw.problem;
}

unsigned handwriting_recognise(const struct handwriting_strokes *strokes)
{
    if (!hw.running)
        return 0;
    pthread_mutex_lock(&hw.lock);
    hw.strokes = *strokes;
    if (++hw.next_request == 0)
        hw.next_request = 1;
    hw.pending_request = hw.next_request;
    hw.pending = true;
    unsigned request = hw.pending_request;
    pthread_cond_signal(&hw.wake);
    pthread_mutex_unlock(&hw.lock);
    return request;
}

const struct msg_handwriting *handwriting_result(unsigned request)
{
    return request && hw.last.request == request ? &hw.last : NULL;
}

void handwriting_forget(void)
{
    explicit_bzero(&hw.last, sizeof hw.last);
}

bool handwriting_strokes_add(struct handwriting_strokes *strokes, int x, int y, bool begin)
{
    if (x < 0)
        x = 0;
    if (y < 0)
        y = 0;
    if (x > HANDWRITING_SPACE)
        x = HANDWRITING_SPACE;
    if (y > HANDWRITING_SPACE)
        y = HANDWRITING_SPACE;
    if (begin) {
        if (strokes->stroke_count >= HANDWRITING_STROKES_MAX || strokes->point_count >= HANDWRITING_POINTS_MAX)
            return false;
        strokes->stroke_count++;
    } else if (strokes->stroke_count == 0) {
        return false;
    }
    if (strokes->point_count >= HANDWRITING_POINTS_MAX)
        return false;
    strokes->points[strokes->point_count++] = (struct handwriting_point){ (int16_t)x, (int16_t)y };
    strokes->stroke_end[strokes->stroke_count - 1] = (uint16_t)strokes->point_count;
    return true;
}

void handwriting_strokes_undo(struct handwriting_strokes *strokes)
{
    if (strokes->stroke_count == 0)
        return;
    strokes->stroke_count--;
    int keep = strokes->stroke_count ? strokes->stroke_end[strokes->stroke_count - 1] : 0;
    explicit_bzero(&strokes->points[keep], (size_t)(strokes->point_count - keep) * sizeof *strokes->points);
    strokes->point_count = keep;
}

void handwriting_strokes_clear(struct handwriting_strokes *strokes)
{
    explicit_bzero(strokes, sizeof *strokes);
}
