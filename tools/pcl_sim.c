/* pcl_sim: the simulated PCL laser (board/sim/pcl_model) as a program, so a technician or a
 * test can point a driver at it like at /dev/usb/lp0:
 *
 *   pcl_sim --out DIR [--fault NAME [N]] [--background [--seconds N]] [--list]
 *
 * Prints the slave pty path on stdout (one line, flushed) and serves until stdin closes or
 * SIGTERM/SIGINT; meanwhile stdin takes the lines "fault NAME [N]", "paper-in" and
 * "soft-reset" (each answered "ok" or "error: why" on stdout). With --background it forks,
 * the parent prints the path and exits, and the child serves for --seconds (default 60) or
 * until SIGTERM. Each page lands in DIR as page-0001.png, ... (1-bit, with its dpi); on
 * stderr, one line per event. A driver in another process has no port status or soft reset
 * here (a pty carries bytes only): a stopped printer shows as writes that time out. */
#include "board/sim/pcl_model.h"
#include "board/sim/sim_device.h"

#include <SDL_image.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void sim_print_usage(FILE *out)
{
    fprintf(out, "usage: pcl_sim --out DIR [--fault NAME [N]] [--background [--seconds N]] [--list]\n");
}

static int sim_set_fault(void *model, const char *name, unsigned rows)
{
    return pcl_model_set_fault(model, name, rows);
}

/* One stdin command: "fault NAME [N]", "paper-in" or "soft-reset", so a test can empty the
 * tray while a driver prints. Answers "ok" or "error: why", flushed. */
static void sim_run_command(struct pcl_model *model, char *line)
{
    const char *reply = "ok";
    if (strncmp(line, "fault ", 6) == 0) {
        reply = sim_tool_set_fault(line + 6, sim_set_fault, model);
    } else if (strcmp(line, "paper-in") == 0) {
        pcl_model_restore(model);
    } else if (strcmp(line, "soft-reset") == 0) {
        pcl_model_soft_reset(model);
    } else {
        reply = "error: commands are fault NAME [N], paper-in, soft-reset";
    }
    sim_tool_reply("pcl_sim", line, reply);
}

/* sim_tool_serve's callback: a stdin line for the model. */
static void sim_run_line(void *model, char *line)
{
    sim_run_command(model, line);
}

int main(int argc, char **argv)
{
    struct pcl_model_options options = {0};
    int background = 0;
    unsigned seconds = 60;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (strcmp(arg, "--list") == 0) {
            printf("faults:");
            for (const char *const *name = pcl_model_fault_names(); *name; name++)
                printf(" %s", *name);
            printf("\n");
            return 0;
        } else if (strcmp(arg, "--help") == 0) {
            sim_print_usage(stdout);
            return 0;
        } else if (strcmp(arg, "--background") == 0) {
            background = 1;
            continue;
        } else if (!value) {
            bad = 1;
        } else if (strcmp(arg, "--out") == 0) {
            options.out_dir = value;
        } else if (strcmp(arg, "--fault") == 0) {
            options.fault = value;
            /* An optional row count follows paper-empty-after. */
            if (i + 2 < argc && sim_parse_unsigned(argv[i + 2], &options.fault_rows) == 0)
                i++;
        } else if (strcmp(arg, "--seconds") == 0) {
            bad = sim_parse_unsigned(value, &seconds) < 0;
        } else {
            bad = 1;
        }
        if (bad) {
            fprintf(stderr, "pcl_sim: bad argument %s%s%s\n", arg, value ? " " : "", value ? value : "");
            sim_print_usage(stderr);
            return 2;
        }
        i++;
    }
    if (!options.out_dir) {
        fprintf(stderr, "pcl_sim: --out DIR is required\n");
        sim_print_usage(stderr);
        return 2;
    }

    struct sim_tool tool = { .name = "pcl_sim", .background = background, .seconds = seconds };
    int status = sim_tool_begin(&tool);
    if (status)
        return status;

    IMG_Init(IMG_INIT_PNG);
    struct pcl_model *model;
    int rc = pcl_model_start(&model, &options);
    if (rc < 0) {
        fprintf(stderr, "pcl_sim: cannot start the printer model: %s\n",
                rc == -EINVAL ? "unknown fault (see --list)" : strerror(-rc));
        return 1;
    }
    sim_tool_announce(&tool, pcl_model_slave_path(model));
    fprintf(stderr, "pcl_sim: serving on %s (out %s, fault %s %u)\n", pcl_model_slave_path(model),
            options.out_dir, options.fault ? options.fault : "none", options.fault_rows);

    sim_tool_serve(&tool, sim_run_line, model);
    struct pcl_model_stats stats;
    pcl_model_get_stats(model, &stats);
    fprintf(stderr, "pcl_sim: stopped after %lu pages, %lu rows, %lu errors, %lu bytes\n", stats.pages,
            stats.rows, stats.errors, stats.bytes);
    pcl_model_stop(model);
    IMG_Quit();
    return 0;
}
