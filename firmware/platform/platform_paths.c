#include "firmware/platform/platform_paths.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "board/board.h"

/* A configured path, or name under base when the config leaves it empty. */
static void platform_paths_pick(const char *configured, const char *base, const char *name, char *out)
{
    if (configured[0])
        board_resolve_path(configured, out, PLATFORM_PATH_MAX);
    else
        snprintf(out, PLATFORM_PATH_MAX, "%.1000s/%s", base, name);
}

void platform_paths_resolve(const struct config *config, const char *data_dir_override, struct platform_paths *out)
{
    memset(out, 0, sizeof *out);
    board_resolve_path(data_dir_override ? data_dir_override : config->data_dir, out->data_dir, sizeof out->data_dir);
    snprintf(out->db, sizeof out->db, "%.1000s/kiosk.db", out->data_dir);
    snprintf(out->platform_dir, sizeof out->platform_dir, "%.1000s/platform", out->data_dir);
    snprintf(out->download_dir, sizeof out->download_dir, "%.1000s/platform/download", out->data_dir);
    platform_paths_pick(config->platform_ca_file, out->platform_dir, "ca.pem", out->ca_file);
    platform_paths_pick(config->platform_signing_key, out->platform_dir, "signing.pub", out->signing_key);
    platform_paths_pick(config->platform_cert_file, out->platform_dir, "unit.crt", out->cert_file);
    platform_paths_pick(config->platform_key_file, out->platform_dir, "unit.key", out->key_file);
    platform_paths_pick(config->platform_device_key, out->data_dir, "device.key", out->device_key);
}

static int platform_paths_mkdir_p(const char *dir, char *err, size_t errlen)
{
    char partial[PLATFORM_PATH_MAX];
    for (size_t i = 1; dir[i - 1]; i++) {
        if (dir[i] != '/' && dir[i] != '\0')
            continue;
        snprintf(partial, sizeof partial, "%.*s", (int)i, dir);
        if (mkdir(partial, 0700) < 0 && errno != EEXIST) {
            int e = errno;
            snprintf(err, errlen, "cannot create %s: %s", partial, strerror(e));
            return -e;
        }
    }
    return 0;
}

int platform_paths_create(const struct platform_paths *paths, char *err, size_t errlen)
{
    int rc = platform_paths_mkdir_p(paths->data_dir, err, errlen);
    if (rc == 0)
        rc = platform_paths_mkdir_p(paths->download_dir, err, errlen);
    return rc;
}
