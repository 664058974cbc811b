/* kioskctl: the technician's command-line tool on the unit. Later issues add device tests
 * (print-test, card read) and platform enrolment here. */
#include <stdio.h>
#include <string.h>

#include "catalogue.h"
#include "config.h"
#include "msg.h"

static int kioskctl_usage(FILE *to)
{
    fprintf(to, "usage: kioskctl check-config FILE      check a board/unit config; prints FILE:LINE: reason on error\n"
                "       kioskctl show-config FILE       print the effective settings\n"
                "       kioskctl check-catalogue FILE   check a catalogue (docs/catalogue-format.md); prints the\n"
                "                                       first problem, naming the item and the field\n");
    return to == stdout ? 0 : 2;
}

static void kioskctl_show(const struct config *c)
{
    printf("unit.id = %s\nunit.location = %s\nunit.service_phone = %s\n", c->unit_id, c->unit_location,
           c->service_phone);
    printf("display = %dx%d%s\n", c->display_width, c->display_height, c->headless ? " headless" : "");
    printf("session.inactivity_seconds = %d\nsession.countdown_seconds = %d\n", c->inactivity_seconds,
           c->countdown_seconds);
    printf("ui.language = %s\nui.elder_mode = %s\nui.font_regular = %s\n", c->language,
           c->elder_mode ? "true" : "false", c->font_regular);
    printf("storage.data_dir = %s\n", c->data_dir);
    for (int i = 0; i < DEVICE_COUNT; i++)
        printf("devices.%s = %s\n", msg_device_name((enum device_id)i), c->device_address[i]);
    printf("devices.required =");
    for (int i = 0; i < DEVICE_COUNT; i++)
        if (c->required[i])
            printf(" %s", msg_device_name((enum device_id)i));
    printf("\n");
}

/* The same check the kiosk makes before it takes a catalogue from the platform. */
static int kioskctl_check_catalogue(const char *path)
{
    struct catalogue *catalogue;
    char err[512];
    if (catalogue_load_file(path, &catalogue, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    printf("%s: ok, version %s, %zu items, %zu themes, %zu halls\n", path, catalogue->version,
           catalogue->item_count, catalogue->theme_count, catalogue->hall_count);
    catalogue_free(catalogue);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
        return kioskctl_usage(stdout);
    if (argc == 3 && !strcmp(argv[1], "check-catalogue"))
        return kioskctl_check_catalogue(argv[2]);
    if (argc != 3 || (strcmp(argv[1], "check-config") && strcmp(argv[1], "show-config")))
        return kioskctl_usage(stderr);
    struct config config;
    char err[512];
    config_set_defaults(&config);
    if (config_load(&config, argv[2], err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    if (!strcmp(argv[1], "show-config"))
        kioskctl_show(&config);
    else
        printf("%s: ok\n", argv[2]);
    return 0;
}
