/* bench_redraw: how long one full redraw of the home screen takes with the software renderer.
 * Starts the app headless on the fake clock (23:00, as in the UI goldens), draws a few frames
 * to fill the glyph cache, then times N calls of app_draw_frame() (each clears the canvas and
 * draws everything) in standard mode and again in 长辈模式. Not a test: it prints figures and
 * fails only when it cannot measure (no fonts, no translations, a frame without the brand).
 *
 *   bench_redraw [--frames N] [--warmup N] [--config FILE] [--locale DIR] [--png DIR]
 *
 * Output, one line per figure, "key value..." so tools/bench.sh can pick them out:
 *   redraw home 1080x1920 frames 500 median-ms 2.10 p99-ms 2.60 max-ms 3.10 mean-ms 2.15
 *   glyph-cache home glyphs 120 hits 40000 misses 0 hit-rate 100.00
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "firmware/app/app.h"
#include "firmware/core/i18n.h"
#include "screens/semantic.h"
#include "firmware/gfx/text.h"

struct bench_args {
    int frames;
    int warmup;
    const char *config_path;
    const char *locale_dir;
    const char *png_dir;
};

static double bench_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int bench_compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted samples. */
static double bench_percentile(const double *sorted, int count, double pct)
{
    int rank = (int)(pct / 100.0 * count + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > count)
        rank = count;
    return sorted[rank - 1];
}

/* Cuts the last path component off path, in place. */
static void bench_dirname(char *path)
{
    char *slash = strrchr(path, '/');
    if (slash)
        *slash = '\0';
}

/* Defaults from our own path: build/BOARD[-VARIANT]/bench/bench_redraw finds the catalogue
 * in build/BOARD[-VARIANT]/locale and the config in board/BOARD/kiosk.ini of the checkout. */
static void bench_default_paths(char *config, size_t config_len, char *locale, size_t locale_len)
{
    char dir[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n <= 0) {
        snprintf(config, config_len, "board/sim/kiosk.ini");
        snprintf(locale, locale_len, "build/sim/locale");
        return;
    }
    dir[n] = '\0';
    bench_dirname(dir); /* build/BOARD/bench */
    bench_dirname(dir); /* build/BOARD */
    snprintf(locale, locale_len, "%.*s/locale", (int)(locale_len - 8), dir);
    const char *last = strrchr(dir, '/');
    size_t board_len = strcspn(last ? last + 1 : dir, "-");
    char board[64] = "sim";
    if (board_len > 0 && board_len < sizeof board) {
        memcpy(board, last ? last + 1 : dir, board_len);
        board[board_len] = '\0';
    }
    bench_dirname(dir); /* build */
    bench_dirname(dir); /* the checkout */
    snprintf(config, config_len, "%.*s/board/%.*s/kiosk.ini", (int)(config_len - 96), dir, 63, board);
}

static int bench_parse(int argc, char **argv, struct bench_args *args)
{
    for (int i = 1; i < argc; i++) {
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--frames") && value) {
            args->frames = atoi(value);
        } else if (!strcmp(argv[i], "--warmup") && value) {
            args->warmup = atoi(value);
        } else if (!strcmp(argv[i], "--config") && value) {
            args->config_path = value;
        } else if (!strcmp(argv[i], "--locale") && value) {
            args->locale_dir = value;
        } else if (!strcmp(argv[i], "--png") && value) {
            args->png_dir = value;
        } else {
            fprintf(stderr,
                    "usage: bench_redraw [--frames N] [--warmup N] [--config FILE] [--locale DIR] [--png DIR]\n");
            return -1;
        }
        i++;
    }
    if (args->frames < 1 || args->warmup < 1) {
        fprintf(stderr, "bench_redraw: --frames and --warmup need a number >= 1\n");
        return -1;
    }
    return 0;
}

/* Warms up, then times args->frames redraws of whatever the app shows; prints two lines. */
static int bench_mode(const char *name, const struct bench_args *args, double *samples)
{
    for (int i = 0; i < args->warmup; i++)
        app_draw_frame();
    /* A frame that lost its text would be fast and wrong: check what was drawn. */
    if (!semantic_contains_text("爱山东") || !semantic_contains_text("办事指南")) {
        fprintf(stderr, "bench_redraw: the %s frame does not show the Chinese home screen "
                        "(translations missing? run make all first)\n", name);
        return -1;
    }
    unsigned glyphs0, hits0, misses0, glyphs, hits, misses;
    text_cache_stats(&glyphs0, &hits0, &misses0);
    for (int i = 0; i < args->frames; i++) {
        double start = bench_now_ms();
        app_draw_frame();
        samples[i] = bench_now_ms() - start;
    }
    text_cache_stats(&glyphs, &hits, &misses);
    double sum = 0;
    for (int i = 0; i < args->frames; i++)
        sum += samples[i];
    qsort(samples, (size_t)args->frames, sizeof *samples, bench_compare_double);
    const struct render *render = app_render();
    printf("redraw %s %dx%d frames %d median-ms %.3f p99-ms %.3f max-ms %.3f mean-ms %.3f\n", name,
           render->layout.width_px, render->layout.height_px, args->frames, bench_percentile(samples, args->frames, 50),
           bench_percentile(samples, args->frames, 99), samples[args->frames - 1], sum / args->frames);
    unsigned run_hits = hits - hits0, run_misses = misses - misses0;
    double rate = run_hits + run_misses ? 100.0 * run_hits / (run_hits + run_misses) : 0;
    printf("glyph-cache %s glyphs %u hits %u misses %u hit-rate %.2f lookups-per-frame %.0f\n", name, glyphs,
           run_hits, run_misses, rate, (double)(run_hits + run_misses) / args->frames);
    if (args->png_dir) {
        char path[PATH_MAX], err[512];
        snprintf(path, sizeof path, "%s/%s.png", args->png_dir, name);
        if (render_save_png(app_render(), path, err, sizeof err) < 0) {
            fprintf(stderr, "bench_redraw: %s\n", err);
            return -1;
        }
    }
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    struct bench_args args = { .frames = 500, .warmup = 20 };
    if (bench_parse(argc, argv, &args) < 0)
        return 2;
    char config[PATH_MAX], locale[PATH_MAX];
    bench_default_paths(config, sizeof config, locale, sizeof locale);
    if (!args.config_path)
        args.config_path = config;
    if (!args.locale_dir)
        args.locale_dir = locale;

    struct app_options options = { .config_path = args.config_path, .headless = true, .fake_clock = true };
    if (app_start(&options) < 0)
        return 1;
    /* The app binds translations beside its own executable; ours live one level up. */
    if (i18n_init(args.locale_dir, app_config()->language) < 0) {
        app_stop();
        return 1;
    }
    double *samples = malloc((size_t)args.frames * sizeof *samples);
    if (!samples) {
        fprintf(stderr, "bench_redraw: out of memory\n");
        app_stop();
        return 1;
    }
    int status = 0;
    app_set_elder_mode(false);
    if (bench_mode("home", &args, samples) < 0)
        status = 1;
    app_set_elder_mode(true);
    if (status == 0 && bench_mode("home-elder", &args, samples) < 0)
        status = 1;
    free(samples);
    app_stop();
    return status;
}
