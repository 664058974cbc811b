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
#include "board/sim/sim_main.h"

#include <SDL_image.h>
#include <stdio.h>
#include <string.h>

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
static void sim_run_command(void *model, char *line)
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

static void sim_print_names(void)
{
    sim_main_print_names("faults", pcl_model_fault_names());
}

static int sim_parse_option(void *context, const char *arg, const char *value, const char *next)
{
    struct pcl_model_options *options = context;
    int taken = sim_main_take_printer_option(arg, value, next, &options->out_dir, &options->fault,
                                             &options->fault_rows);
    return taken ? taken : -1;
}

static const char *sim_check_options(const void *context)
{
    const struct pcl_model_options *options = context;
    return options->out_dir ? NULL : "--out DIR is required";
}

static int sim_start(void **model_out, const void *options, const char **slave_path)
{
    IMG_Init(IMG_INIT_PNG);
    struct pcl_model *model;
    int rc = pcl_model_start(&model, options);
    if (rc < 0)
        return rc;
    *model_out = model;
    *slave_path = pcl_model_slave_path(model);
    return 0;
}

static void sim_log_start(const char *slave_path, const void *context)
{
    const struct pcl_model_options *options = context;
    fprintf(stderr, "pcl_sim: serving on %s (out %s, fault %s %u)\n", slave_path, options->out_dir,
            options->fault ? options->fault : "none", options->fault_rows);
}

static void sim_stop(void *model)
{
    struct pcl_model_stats stats;
    pcl_model_get_stats(model, &stats);
    fprintf(stderr, "pcl_sim: stopped after %lu pages, %lu rows, %lu errors, %lu bytes\n", stats.pages,
            stats.rows, stats.errors, stats.bytes);
    pcl_model_stop(model);
    IMG_Quit();
}

static const struct sim_main_device sim_pcl = {
    .name = "pcl_sim", .kind = "printer", .invalid = "unknown fault (see --list)",
    .print_usage = sim_print_usage, .print_names = sim_print_names, .parse_option = sim_parse_option,
    .check_options = sim_check_options, .start = sim_start, .log_start = sim_log_start,
    .run_command = sim_run_command, .stop = sim_stop,
};

int main(int argc, char **argv)
{
    struct pcl_model_options options = {0};
    return sim_main_run(&sim_pcl, &options, argc, argv);
}
