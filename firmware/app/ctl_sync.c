/* kioskctl sync: one catalogue check and one outbox delivery now, as the kiosk's platform
 * link does on its own; for technicians checking the link (and for the crash tests). */
#include <stdio.h>
#include <string.h>

#include "firmware/catalogue/catalogue.h"
#include "firmware/app/kioskctl.h"
#include "firmware/platform/outbox.h"
#include "firmware/platform/sync.h"

int kioskctl_sync_command(int argc, char **argv)
{
    const char *config_path = NULL, *data_dir = NULL, *url = NULL;
    bool catalogue_only = false, outbox_only = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            config_path = argv[++i];
        else if (!strcmp(argv[i], "--data-dir") && i + 1 < argc)
            data_dir = argv[++i];
        else if (!strcmp(argv[i], "--url") && i + 1 < argc)
            url = argv[++i];
        else if (!strcmp(argv[i], "--catalogue"))
            catalogue_only = true;
        else if (!strcmp(argv[i], "--outbox"))
            outbox_only = true;
        else {
            fprintf(stderr, "usage: kioskctl sync [--catalogue | --outbox] [--url URL] [--config FILE] [--data-dir DIR]\n");
            return 2;
        }
    }
    struct config config;
    struct sync_options options;
    if (kioskctl_platform_load(config_path, data_dir, &config, &options.paths) < 0)
        return 1;
    sync_options_from_config(&config, data_dir, &options);
    if (url)
        snprintf(options.url, sizeof options.url, "%s", url);
    char err[700];
    struct sync_client *client;
    if (platform_paths_create(&options.paths, err, sizeof err) < 0 ||
        sync_client_open(&options, &client, err, sizeof err) < 0) {
        fprintf(stderr, "kioskctl: %s\n", err);
        return 1;
    }
    int status = 0;
    if (!outbox_only) {
        enum sync_result rc = sync_catalogue_run(client, NULL, err, sizeof err);
        printf("catalogue: %s\n", err);
        if (rc < 0)
            status = rc == SYNC_RETRY ? 3 : rc == SYNC_REJECTED ? 4 : 1;
    }
    if (!catalogue_only && status == 0) {
        struct outbox *outbox;
        if (outbox_open(options.paths.db, options.paths.device_key, &outbox, err, sizeof err) < 0) {
            fprintf(stderr, "kioskctl: %s\n", err);
            sync_client_close(client);
            return 1;
        }
        int delivered = 0;
        enum sync_result rc = sync_outbox_run(client, outbox, &delivered, err, sizeof err);
        int64_t pending = outbox_pending_count(outbox);
        printf("outbox: %d delivered, %lld pending%s%s\n", delivered, (long long)pending, err[0] ? "; " : "", err);
        outbox_close(outbox);
        if (rc < 0)
            status = rc == SYNC_RETRY ? 3 : 1;
    }
    sync_client_close(client);
    return status;
}
