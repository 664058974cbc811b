/* Where the unit keeps what the platform link needs, from [storage] and [platform] of the
 * config: one place, so the kiosk, kioskctl and tests agree on every path. */
#pragma once
#include <stddef.h>

#include "firmware/storage/config.h"

#define PLATFORM_PATH_MAX 1200

struct platform_paths {
    char data_dir[PLATFORM_PATH_MAX];
    char db[PLATFORM_PATH_MAX];          /* data_dir/kiosk.db */
    char platform_dir[PLATFORM_PATH_MAX]; /* data_dir/platform: enrollment's files */
    char download_dir[PLATFORM_PATH_MAX]; /* data_dir/platform/download: shards being fetched */
    char ca_file[PLATFORM_PATH_MAX];
    char signing_key[PLATFORM_PATH_MAX];
    char cert_file[PLATFORM_PATH_MAX];
    char key_file[PLATFORM_PATH_MAX];
    char device_key[PLATFORM_PATH_MAX];
};

/* Resolves every path (relative ones from the board's root); data_dir_override replaces
 * [storage] data_dir when not NULL (tests keep their own unit). */
void platform_paths_resolve(const struct config *config, const char *data_dir_override, struct platform_paths *out);
/* Creates data_dir, platform_dir and download_dir (0700) when missing. 0, or -errno with
 * the reason in err. */
int platform_paths_create(const struct platform_paths *paths, char *err, size_t errlen);
