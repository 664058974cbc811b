/* bench_sync: the platform link's figures (tools/bench-sync.sh runs it against the emulator).
 *   bench_sync once --config C --data-dir D
 *       one catalogue sync on this thread: "result=… wall_ms=… received=… sent=… items=…"
 *   bench_sync stall --config C --data-dir D
 *       the kiosk's arrangement: the stored catalogue and its search index in use on a "UI"
 *       thread that waits on the message queue with a 10 ms timeout (as the UI thread sleeps
 *       until its next deadline), the sync worker on its own thread; the UI thread takes
 *       MSG_CATALOGUE_READY as app.c does (keeps the new one, the old one and its index go
 *       to catalogue_worker_free_later).
 *       Prints the longest time the UI thread was not back in its wait beyond its timeout,
 *       and how long the hand-over took on the UI thread. Not a test: figures only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "firmware/catalogue/catalogue.h"
#include "firmware/catalogue/catalogue_worker.h"
#include "firmware/app/kioskctl.h"
#include "firmware/core/log.h"
#include "firmware/core/msgqueue.h"
#include "firmware/catalogue/search.h"
#include "firmware/platform/sync.h"

static double bench_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1000.0 + (double)now.tv_nsec / 1e6;
}

static int bench_once(const struct sync_options *options)
{
    struct sync_client *client;
    char err[700];
    if (sync_client_open(options, &client, err, sizeof err) < 0) {
        fprintf(stderr, "bench_sync: %s\n", err);
        return 1;
    }
    struct catalogue *catalogue = NULL;
    double start = bench_now_ms();
    enum sync_result rc = sync_catalogue_run(client, &catalogue, err, sizeof err);
    double wall = bench_now_ms() - start;
    uint64_t received, sent;
    sync_client_traffic(client, &received, &sent);
    printf("result=%d wall_ms=%.0f received=%llu sent=%llu items=%zu (%s)\n", (int)rc, wall,
           (unsigned long long)received, (unsigned long long)sent, catalogue ? catalogue->item_count : (size_t)0, err);
    catalogue_free(catalogue);
    sync_client_close(client);
    return rc < 0;
}

static int bench_stall(const struct sync_options *options)
{
    char err[600];
    struct catalogue *in_use = NULL;
    if (catalogue_load_stored(options->paths.db, &in_use, err, sizeof err) < 0) {
        fprintf(stderr, "bench_sync: %s\n", err);
        return 1;
    }
    struct search_index *index = search_index_build(in_use, err, sizeof err);
    struct msgqueue *queue = msgqueue_create(64);
    /* Baseline: the same loop for 2 s with no sync running (the machine's own jitter). */
    const int timeout_ms = 10;
    double baseline = 0;
    for (double t = bench_now_ms(); queue && bench_now_ms() - t < 2000;) {
        struct msg m;
        double asked = bench_now_ms();
        if (!msgqueue_wait(queue, &m, timeout_ms) && bench_now_ms() - asked - timeout_ms > baseline)
            baseline = bench_now_ms() - asked - timeout_ms;
    }
    if (!index || !queue || sync_worker_start(queue, options) < 0) {
        fprintf(stderr, "bench_sync: cannot start\n");
        return 1;
    }
    double start = bench_now_ms(), longest = 0, handover = 0, last = start;
    bool replaced = false;
    while (bench_now_ms() - start < 600000) {
        struct msg m;
        double asked = bench_now_ms();
        bool got = msgqueue_wait(queue, &m, timeout_ms);
        double back = bench_now_ms();
        /* Late beyond the deadline (or, with a message, the wait itself was not the delay). */
        double late = got ? 0 : back - asked - timeout_ms;
        if (late > longest)
            longest = late;
        if (got && m.kind == MSG_CATALOGUE_READY) {
            double t0 = bench_now_ms();
            catalogue_worker_free_later(in_use, index); /* as app.c hands over */
            in_use = m.u.catalogue.catalogue;
            index = m.u.catalogue.index;
            handover = bench_now_ms() - t0;
            if (handover > longest)
                longest = handover;
            replaced = true;
            last = bench_now_ms();
            break;
        }
    }
    sync_worker_stop();
    printf("replaced=%d sync_ms=%.0f longest_ui_stall_ms=%.1f handover_ms=%.1f idle_late_ms=%.1f items=%zu\n", replaced,
           last - start, longest, handover, baseline, in_use ? in_use->item_count : (size_t)0);
    struct msg m;
    while (msgqueue_take(queue, &m))
        if (m.kind == MSG_CATALOGUE_READY) {
            search_index_free(m.u.catalogue.index);
            catalogue_free(m.u.catalogue.catalogue);
        }
    msgqueue_destroy(queue);
    search_index_free(index);
    catalogue_free(in_use);
    return replaced ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *config_path = NULL, *data_dir = NULL;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--config"))
            config_path = argv[i + 1];
        else if (!strcmp(argv[i], "--data-dir"))
            data_dir = argv[i + 1];
    }
    struct config config;
    struct sync_options options;
    if (argc < 2 || !data_dir || kioskctl_platform_load(config_path, data_dir, &config, &options.paths) < 0) {
        fprintf(stderr, "usage: bench_sync once|stall --config C --data-dir D\n");
        return 2;
    }
    sync_options_from_config(&config, data_dir, &options);
    log_set_level(LOG_WARN);
    if (!strcmp(argv[1], "once"))
        return bench_once(&options);
    if (!strcmp(argv[1], "stall"))
        return bench_stall(&options);
    return 2;
}
