/* kioskctl enroll: a new unit joins the platform (docs/platform-api.md §1). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "firmware/app/kioskctl.h"
#include "firmware/platform/sync.h"

int kioskctl_enroll_command(int argc, char **argv)
{
    const char *config_path = NULL, *data_dir = NULL, *url = NULL, *token = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            config_path = argv[++i];
        else if (!strcmp(argv[i], "--data-dir") && i + 1 < argc)
            data_dir = argv[++i];
        else if (!strcmp(argv[i], "--url") && i + 1 < argc)
            url = argv[++i];
        else if (!strcmp(argv[i], "--token") && i + 1 < argc)
            token = argv[++i];
        else
            token = NULL, i = argc;
    }
    if (!token) {
        fprintf(stderr, "usage: kioskctl enroll [--url URL] --token T [--config FILE] [--data-dir DIR]\n");
        return 2;
    }
    struct config config;
    struct sync_options options;
    if (kioskctl_platform_load(config_path, data_dir, &config, &options.paths) < 0)
        return 1;
    sync_options_from_config(&config, data_dir, &options);
    if (url)
        snprintf(options.url, sizeof options.url, "%s", url);
    if (access(options.paths.ca_file, R_OK) != 0) {
        fprintf(stderr, "kioskctl: the platform CA file %s is missing: install it first ([platform] ca_file)\n",
                options.paths.ca_file);
        return 1;
    }
    struct sync_client *client;
    char err[700], unit_id[64];
    if (sync_client_open(&options, &client, err, sizeof err) < 0) {
        fprintf(stderr, "kioskctl: %s\n", err);
        return 1;
    }
    enum sync_result rc = sync_enroll(client, token, unit_id, sizeof unit_id, err, sizeof err);
    sync_client_close(client);
    if (rc != SYNC_DONE) {
        fprintf(stderr, "kioskctl: enrollment failed: %s\n", err);
        return rc == SYNC_RETRY ? 3 : 1;
    }
    printf("enrolled as %s\ncertificate: %s\nkey: %s\n", unit_id, options.paths.cert_file, options.paths.key_file);
    if (strcmp(unit_id, config.unit_id))
        printf("note: the platform calls this unit %s; set [unit] id = %s in the unit config\n", unit_id, unit_id);
    return 0;
}
