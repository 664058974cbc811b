/* escpos_sim: the simulated ESC/POS receipt printer (board/sim/escpos_model) as a program, so
 * a technician or a test can point a driver at it like at /dev/usb/lp0:
 *
 *   escpos_sim --out DIR [--width 576] [--fault NAME [N]] [--background [--seconds N]] [--list]
 *
 * Prints the slave pty path on stdout (one line, flushed) and serves until stdin closes or
 * SIGTERM/SIGINT; meanwhile stdin takes the lines "fault NAME [N]" and "paper-in" (each
 * answered "ok" or "error: why" on stdout). With --background it forks, the parent prints
 * the path and exits, and the child serves for --seconds (default 60) or until SIGTERM.
 * Each cut receipt lands in DIR as receipt-0001.png, ...; on stderr, one line per event. */
#include "board/sim/escpos_model.h"
#include "board/sim/sim_device.h"
#include "board/sim/sim_main.h"

#include <SDL_image.h>
#include <stdio.h>
#include <string.h>

static void sim_print_usage(FILE *out)
{
    fprintf(out, "usage: escpos_sim --out DIR [--width DOTS] [--fault NAME [N]]\n"
                 "                  [--background [--seconds N]] [--list]\n");
}

static int sim_set_fault(void *model, const char *name, unsigned rows)
{
    return escpos_model_set_fault(model, name, rows);
}

/* One stdin command: "fault NAME [N]" or "paper-in", so a test can run the roll out or
 * open the cover while a driver prints. Answers "ok" or "error: why", flushed. */
static void sim_run_command(void *model, char *line)
{
    const char *reply = "ok";
    if (strncmp(line, "fault ", 6) == 0) {
        reply = sim_tool_set_fault(line + 6, sim_set_fault, model);
    } else if (strcmp(line, "paper-in") == 0) {
        escpos_model_restore_paper(model);
    } else {
        reply = "error: commands are fault NAME [N], paper-in";
    }
    sim_tool_reply("escpos_sim", line, reply);
}

static void sim_print_names(void)
{
    sim_main_print_names("faults", escpos_model_fault_names());
}

static int sim_parse_option(void *context, const char *arg, const char *value, const char *next)
{
    struct escpos_model_options *options = context;
    int taken = sim_main_take_printer_option(arg, value, next, &options->out_dir, &options->fault,
                                             &options->fault_rows);
    if (taken == 0 && strcmp(arg, "--width") == 0)
        taken = sim_parse_unsigned(value, &options->width_dots) < 0 ? -1 : 1;
    return taken ? taken : -1;
}

static const char *sim_check_options(const void *context)
{
    const struct escpos_model_options *options = context;
    return options->out_dir ? NULL : "--out DIR is required";
}

static int sim_start(void **model_out, const void *options, const char **slave_path)
{
    IMG_Init(IMG_INIT_PNG);
    struct escpos_model *model;
    int rc = escpos_model_start(&model, options);
    if (rc < 0)
        return rc;
    *model_out = model;
    *slave_path = escpos_model_slave_path(model);
    return 0;
}

static void sim_log_start(const char *slave_path, const void *context)
{
    const struct escpos_model_options *options = context;
    fprintf(stderr, "escpos_sim: serving on %s (out %s, width %u, fault %s %u)\n", slave_path, options->out_dir,
            options->width_dots ? options->width_dots : 576, options->fault ? options->fault : "none",
            options->fault_rows);
}

static void sim_stop(void *model)
{
    struct escpos_model_stats stats;
    escpos_model_get_stats(model, &stats);
    fprintf(stderr, "escpos_sim: stopped after %lu receipts, %lu rows, %lu errors, %lu overflows\n",
            stats.receipts, stats.rows, stats.errors, stats.overflows);
    escpos_model_stop(model);
    IMG_Quit();
}

static const struct sim_main_device sim_escpos = {
    .name = "escpos_sim", .kind = "printer", .invalid = "unknown fault or bad width (see --list)",
    .print_usage = sim_print_usage, .print_names = sim_print_names, .parse_option = sim_parse_option,
    .check_options = sim_check_options, .start = sim_start, .log_start = sim_log_start,
    .run_command = sim_run_command, .stop = sim_stop,
};

int main(int argc, char **argv)
{
    struct escpos_model_options options = {0};
    return sim_main_run(&sim_escpos, &options, argc, argv);
}
