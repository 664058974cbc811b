/* Where telemetry is written (firmware/platform/telemetry.h): what the UI thread pays to note a device
 * state change in memory, against what one outbox insert of a batch costs (a synchronous=FULL
 * transaction in WAL, with its fsync) — the cost the UI thread is spared by handing batches
 * to the sync worker. Prints two lines:
 *   telemetry-note runs N median-us M p99-us P max-us X
 *   telemetry-outbox-add runs N events E bytes B median-ms M p99-ms P max-ms X
 * Usage: bench_telemetry DIR [RUNS] (DIR: a scratch directory on the disk to measure). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "firmware/platform/outbox.h"
#include "firmware/platform/telemetry.h"

static double bench_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static int bench_compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void bench_print(const char *what, double *v, int n, double scale, const char *unit, const char *extra)
{
    qsort(v, (size_t)n, sizeof *v, bench_compare);
    printf("%s runs %d %smedian-%s %.3f p99-%s %.3f max-%s %.3f\n", what, n, extra, unit, v[n / 2] * scale, unit,
           v[(n * 99) / 100] * scale, unit, v[n - 1] * scale);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_telemetry DIR [RUNS]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 200;
    if (runs < 10)
        runs = 10;
    /* 1. Noting a change, as the UI thread does for every device report. */
    const int notes = 20000;
    double *note = malloc(sizeof *note * notes), *add = malloc(sizeof *add * (size_t)runs);
    struct telemetry_options options = { .batch_max = 20, .flush_ms = 10000 };
    telemetry_start(&options);
    const char *states[] = {"ready", "paper_end"};
    for (int i = 0; i < notes; i++) {
        double t0 = bench_now_ms();
        telemetry_note_device(DEVICE_RECEIPT_PRINTER, i % 2 == 0, states[i % 2], time(NULL), 0);
        note[i] = bench_now_ms() - t0;
        if (i % 20 == 19) { /* the sync worker takes full batches meanwhile */
            size_t length;
            int count;
            free(telemetry_take_batch(0, false, &length, &count));
        }
    }
    bench_print("telemetry-note", note, notes, 1000.0, "us", "");
    /* 2. One batch of 20 events into the outbox, as the sync worker writes it. */
    for (int i = 0; i < 20; i++)
        telemetry_note_device(DEVICE_CERT_PRINTER, i % 2 == 0, states[i % 2], time(NULL), 0);
    size_t length;
    int count;
    char *body = telemetry_take_batch(0, true, &length, &count);
    char db[1024], key[1024], err[512], extra[96];
    snprintf(db, sizeof db, "%s/bench-telemetry.db", argv[1]);
    snprintf(key, sizeof key, "%s/bench-telemetry.key", argv[1]);
    remove(db);
    struct outbox *outbox;
    if (!body || outbox_open(db, key, &outbox, err, sizeof err) < 0) {
        fprintf(stderr, "bench_telemetry: %s\n", body ? err : "no batch");
        return 1;
    }
    for (int r = 0; r < runs; r++) {
        double t0 = bench_now_ms();
        if (outbox_add(outbox, OUTBOX_TELEMETRY, body, length, (int64_t)time(NULL) * 1000, NULL) < 0) {
            fprintf(stderr, "bench_telemetry: %s\n", outbox_error(outbox));
            return 1;
        }
        add[r] = bench_now_ms() - t0;
    }
    snprintf(extra, sizeof extra, "events %d bytes %zu ", count, length);
    bench_print("telemetry-outbox-add", add, runs, 1.0, "ms", extra);
    outbox_close(outbox);
    free(body);
    free(note);
    free(add);
    remove(db);
    return 0;
}
