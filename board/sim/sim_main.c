#include "board/sim/sim_main.h"

#include "board/sim/sim_device.h"

#include <errno.h>
#include <string.h>

/* The options every simulator takes, then the device's own: -1 to go on, or the exit
 * status to return from main. */
static int sim_main_parse_args(const struct sim_main_device *device, struct sim_tool *tool, void *options, int argc,
                               char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        int taken;
        if (strcmp(arg, "--list") == 0) {
            device->print_names();
            return 0;
        } else if (strcmp(arg, "--help") == 0) {
            device->print_usage(stdout);
            return 0;
        } else if (strcmp(arg, "--background") == 0) {
            tool->background = true;
            continue;
        } else if (!value) {
            taken = -1;
        } else if (strcmp(arg, "--seconds") == 0) {
            taken = sim_parse_unsigned(value, &tool->seconds) < 0 ? -1 : 1;
        } else {
            taken = device->parse_option(options, arg, value, i + 2 < argc ? argv[i + 2] : NULL);
        }
        if (taken < 0) {
            fprintf(stderr, "%s: bad argument %s%s%s\n", device->name, arg, value ? " " : "", value ? value : "");
            device->print_usage(stderr);
            return 2;
        }
        i += taken;
    }
    const char *missing = device->check_options ? device->check_options(options) : NULL;
    if (missing) {
        fprintf(stderr, "%s: %s\n", device->name, missing);
        device->print_usage(stderr);
        return 2;
    }
    return -1;
}

int sim_main_run(const struct sim_main_device *device, void *options, int argc, char **argv)
{
    struct sim_tool tool = { .name = device->name, .seconds = 60 };
    int status = sim_main_parse_args(device, &tool, options, argc, argv);
    if (status >= 0)
        return status;
    /* Before the model starts: its thread must inherit the blocked stop signals. */
    status = sim_tool_begin(&tool);
    if (status)
        return status;
    void *model;
    const char *slave_path;
    int rc = device->start(&model, options, &slave_path);
    if (rc < 0) {
        fprintf(stderr, "%s: cannot start the %s model: %s\n", device->name, device->kind,
                rc == -EINVAL ? device->invalid : strerror(-rc));
        return 1;
    }
    sim_tool_announce(&tool, slave_path);
    device->log_start(slave_path, options);
    sim_tool_serve(&tool, device->run_command, model);
    device->stop(model);
    return 0;
}

int sim_main_take_printer_option(const char *arg, const char *value, const char *next, const char **out_dir,
                                 const char **fault, unsigned *rows)
{
    if (strcmp(arg, "--out") == 0) {
        *out_dir = value;
        return 1;
    }
    if (strcmp(arg, "--fault") != 0)
        return 0;
    *fault = value;
    /* An optional row count follows (paper-out-after N, paper-empty-after N). */
    return next && sim_parse_unsigned(next, rows) == 0 ? 2 : 1;
}

void sim_main_print_names(const char *label, const char *const *names)
{
    printf("%s:", label);
    for (const char *const *name = names; *name; name++)
        printf(" %s", *name);
    printf("\n");
}
