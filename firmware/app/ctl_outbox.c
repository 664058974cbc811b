/* kioskctl outbox: what the unit still owes the platform, for a technician. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "board/board.h"
#include "firmware/app/kioskctl.h"
#include "firmware/platform/outbox.h"

int kioskctl_platform_load(const char *config_path, const char *data_dir, struct config *config,
                           struct platform_paths *paths)
{
    char err[512];
    config_set_defaults(config);
    const char *path = config_path ? config_path : board_default_config_path();
    if (config_load(config, path, err, sizeof err) < 0) {
        fprintf(stderr, "kioskctl: %s\n", err);
        return -1;
    }
    platform_paths_resolve(config, data_dir, paths);
    return 0;
}

/* Unix ms as local "YYYY-MM-DD HH:MM:SS", or "-" for 0. */
static void ctl_outbox_time(int64_t ms, char *out, size_t size)
{
    if (!ms) {
        snprintf(out, size, "-");
        return;
    }
    time_t seconds = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&seconds, &tm);
    strftime(out, size, "%Y-%m-%d %H:%M:%S", &tm);
}

int kioskctl_outbox_command(int argc, char **argv)
{
    const char *config_path = NULL, *data_dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            config_path = argv[++i];
        else if (!strcmp(argv[i], "--data-dir") && i + 1 < argc)
            data_dir = argv[++i];
        else {
            fprintf(stderr, "usage: kioskctl outbox [--config FILE] [--data-dir DIR]\n");
            return 2;
        }
    }
    struct config config;
    struct platform_paths paths;
    if (kioskctl_platform_load(config_path, data_dir, &config, &paths) < 0)
        return 1;
    struct outbox *outbox;
    char err[600];
    if (outbox_open(paths.db, paths.device_key, &outbox, err, sizeof err) < 0) {
        fprintf(stderr, "kioskctl: %s\n", err);
        return 1;
    }
    struct outbox_kind_stats stats[OUTBOX_KIND_COUNT];
    if (outbox_stats(outbox, stats) < 0) {
        fprintf(stderr, "kioskctl: %s\n", outbox_error(outbox));
        outbox_close(outbox);
        return 1;
    }
    outbox_close(outbox);
    printf("%-12s %8s %10s %7s  %-19s  %-19s  %s\n", "kind", "pending", "delivered", "failed", "oldest pending",
           "next attempt", "last error");
    int64_t pending = 0;
    for (int k = 0; k < OUTBOX_KIND_COUNT; k++) {
        char oldest[32], next[32];
        ctl_outbox_time(stats[k].oldest_pending_at, oldest, sizeof oldest);
        ctl_outbox_time(stats[k].pending ? stats[k].next_attempt_at : 0, next, sizeof next);
        if (stats[k].pending && !stats[k].next_attempt_at)
            snprintf(next, sizeof next, "now");
        printf("%-12s %8lld %10lld %7lld  %-19s  %-19s  %s\n", outbox_kind_name((enum outbox_kind)k),
               (long long)stats[k].pending, (long long)stats[k].delivered, (long long)stats[k].failed, oldest, next,
               stats[k].last_error[0] ? stats[k].last_error : "-");
        pending += stats[k].pending;
    }
    printf("total pending: %lld\n", (long long)pending);
    return 0;
}
