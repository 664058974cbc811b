/* bench_print_ui: how late a UI-like loop's frames are while a licence prints. The loop ticks
 * at 60 Hz (16.7 ms frames, each drawing one line of text, as a progress dialog does) and, at
 * a press, does what the licence screen does when the resident taps print:
 *   before  the old path: the page laid out, rastered (A4, 300 dpi, seal) and encoded on the
 *           loop's own thread (certprinter_make_licence_document), then handed over;
 *   after   the content handed over (certprinter_submit_licence); the certificate printer's
 *           worker lays out, encodes, stores and sends it (to the PCL laser model on a pty)
 *           while the loop goes on, reading MSG_PRINT_JOB as the UI does.
 * Lateness of a frame: when it ran minus when it was due (a stall makes every frame due
 * meanwhile late). Reported over the frames from each press to 1.5 s after the job ended:
 * p50 / p99 / max in ms. Not a test: it prints figures (docs/benchmarks.md).
 *   bench_print_ui [PRESSES]      (default 5; the first press of each path is cold) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board/sim/pcl_model.h"
#include "firmware/core/msgqueue.h"
#include "firmware/gfx/render.h"
#include "firmware/gfx/text.h"
#include "firmware/print/certprinter.h"
#include "firmware/print/print_jobs.h"
#include "firmware/storage/config.h"

#define FRAME_NS 16666667LL
#define AFTER_END_FRAMES 90
#define FRAMES_MAX 20000

static const struct platform_licence sample = {
    .licence_id = "LIC-0001",
    .name = "居民户口簿（个人页）",
    .number = "371302199001011234",
    .issuer = "临沂市公安局兰山分局",
    .issued_on = "2024-05-01",
    .title = "居民户口簿（个人页）",
    .issuer_line = "临沂市公安局兰山分局",
    .seal_text = "临沂市公安局兰山分局户籍专用章",
    .qr = "https://example.invalid/verify/LIC-0001",
    .field_labels = { "姓名", "性别", "民族", "出生日期", "住址" },
    .field_values = { "张三", "男", "汉", "1990-01-01", "山东省临沂市兰山区金雀山路 1 号" },
    .field_count = 5,
};

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void sleep_until(long long when)
{
    struct timespec t = { (time_t)(when / 1000000000LL), (long)(when % 1000000000LL) };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
        ;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double percentile(const double *sorted, int n, double p)
{
    if (n == 0)
        return 0;
    int i = (int)(p / 100.0 * (n - 1) + 0.5);
    return sorted[i < n ? i : n - 1];
}

static double late_ms[FRAMES_MAX];
static int late_count;

/* One press through one path; the frames' lateness appended to late_ms. 0 or -1. */
static int press(struct msgqueue *queue, struct render *render, int after, int number)
{
    const struct text_style style = { 36, TEXT_REGULAR, { 0, 0, 0, 255 }, TEXT_ALIGN_LEFT };
    long long due = now_ns() + FRAME_NS;
    int frames_after_end = -1, pressed = 0;
    char line[64];
    for (int frame = 0; late_count < FRAMES_MAX; frame++, due += FRAME_NS) {
        if (now_ns() < due)
            sleep_until(due);
        late_ms[late_count++] = (now_ns() - due) / 1e6;
        if (!pressed) {
            pressed = 1;
            char when[32];
            snprintf(when, sizeof when, "2026-11-28 09:%02d", number % 60);
            if (after) {
                if (certprinter_submit_licence(&sample, "Banking", when) < 0)
                    return -1;
            } else {
                uint8_t *document;
                size_t size;
                char err[300];
                if (certprinter_make_licence_document(&sample, "Banking", when, &document, &size, err, sizeof err) < 0) {
                    fprintf(stderr, "bench_print_ui: %s\n", err);
                    return -1;
                }
                explicit_bzero(document, size);
                free(document);
                frames_after_end = 0; /* the loop's own work was the job */
            }
        }
        struct msg m;
        while (msgqueue_take(queue, &m))
            if (m.kind == MSG_PRINT_JOB && m.u.print_job.state != PRINT_JOB_SENDING && frames_after_end < 0)
                frames_after_end = 0;
        /* the frame: a progress line drawn, as the dialog's */
        snprintf(line, sizeof line, "正在打印，请稍候 %d", frame);
        text_draw(render, &style, (struct ui_rect){ 0, 0, 1080, 60 }, line);
        if (frames_after_end >= 0 && ++frames_after_end > AFTER_END_FRAMES)
            return 0;
        if (frame > 60 * 60)
            return -1; /* a minute without the job's end */
    }
    return 0;
}

static int run(const char *name, int after, int presses, struct msgqueue *queue, struct render *render)
{
    late_count = 0;
    for (int i = 0; i < presses; i++)
        if (press(queue, render, after, i) < 0) {
            fprintf(stderr, "bench_print_ui: %s press %d failed\n", name, i);
            return -1;
        }
    qsort(late_ms, (size_t)late_count, sizeof late_ms[0], compare_double);
    printf("print-ui %-6s frames %5d  late p50 %6.2f ms  p99 %7.2f ms  max %7.2f ms\n", name, late_count,
           percentile(late_ms, late_count, 50), percentile(late_ms, late_count, 99), late_ms[late_count - 1]);
    return 0;
}

int main(int argc, char **argv)
{
    int presses = argc > 1 ? atoi(argv[1]) : 5;
    if (presses < 1)
        presses = 1;
    struct config config;
    config_set_defaults(&config);
    char err[300], dir[] = "/tmp/bench_print_ui.XXXXXX", db_path[128];
    if (!mkdtemp(dir))
        return 1;
    snprintf(db_path, sizeof db_path, "%s/kiosk.db", dir);
    if (text_init(config.font_regular, config.font_bold, config.font_face_index, err, sizeof err) < 0) {
        fprintf(stderr, "bench_print_ui: %s\n", err);
        return 1;
    }
    struct render render;
    if (render_init(&render, 1080, 200, err, sizeof err) < 0) {
        fprintf(stderr, "bench_print_ui: %s\n", err);
        return 1;
    }
    struct pcl_model *model;
    struct pcl_model_options model_options = { .out_dir = dir };
    struct msgqueue *queue = msgqueue_create(256);
    if (!queue || pcl_model_start(&model, &model_options) < 0)
        return 1;
    struct certprinter_options options = { .address = pcl_model_slave_path(model),
                                           .config = &config,
                                           .port_status = pcl_model_port_status,
                                           .soft_reset = pcl_model_soft_reset,
                                           .link_context = model,
                                           .db_path = db_path,
                                           .poll_interval_ms = 5000 };
    if (certprinter_start(queue, &options) < 0)
        return 1;
    int rc = run("before", 0, presses, queue, &render) < 0 || run("after", 1, presses, queue, &render) < 0;
    certprinter_stop();
    pcl_model_stop(model);
    msgqueue_destroy(queue);
    render_free(&render);
    text_shutdown();
    char command[128];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    if (system(command) != 0)
        rc = 1;
    return rc;
}
