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

#include <SDL_image.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
static void sim_run_command(struct escpos_model *model, char *line)
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

/* sim_tool_serve's callback: a stdin line for the model. */
static void sim_run_line(void *model, char *line)
{
    sim_run_command(model, line);
}

int main(int argc, char **argv)
{
    struct escpos_model_options options = {0};
    int background = 0;
    unsigned seconds = 60;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (strcmp(arg, "--list") == 0) {
            printf("faults:");
            for (const char *const *name = escpos_model_fault_names(); *name; name++)
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
        } else if (strcmp(arg, "--width") == 0) {
            bad = sim_parse_unsigned(value, &options.width_dots) < 0;
        } else if (strcmp(arg, "--fault") == 0) {
            options.fault = value;
            /* An optional row count follows paper-out-after. */
            if (i + 2 < argc && sim_parse_unsigned(argv[i + 2], &options.fault_rows) == 0)
                i++;
        } else if (strcmp(arg, "--seconds") == 0) {
            bad = sim_parse_unsigned(value, &seconds) < 0;
        } else {
            bad = 1;
        }
        if (bad) {
            fprintf(stderr, "escpos_sim: bad argument %s%s%s\n", arg, value ? " " : "", value ? value : "");
            sim_print_usage(stderr);
            return 2;
        }
        i++;
    }
    if (!options.out_dir) {
        fprintf(stderr, "escpos_sim: --out DIR is required\n");
        sim_print_usage(stderr);
        return 2;
    }

    struct sim_tool tool = { .name = "escpos_sim", .background = background, .seconds = seconds };
    int status = sim_tool_begin(&tool);
    if (status)
        return status;

    IMG_Init(IMG_INIT_PNG);
    struct escpos_model *model;
    int rc = escpos_model_start(&model, &options);
    if (rc < 0) {
        fprintf(stderr, "escpos_sim: cannot start the printer model: %s\n",
                rc == -EINVAL ? "unknown fault or bad width (see --list)" : strerror(-rc));
        return 1;
    }
    sim_tool_announce(&tool, escpos_model_slave_path(model));
    fprintf(stderr, "escpos_sim: serving on %s (out %s, width %u, fault %s %u)\n",
            escpos_model_slave_path(model), options.out_dir, options.width_dots ? options.width_dots : 576,
            options.fault ? options.fault : "none", options.fault_rows);

    sim_tool_serve(&tool, sim_run_line, model);
    struct escpos_model_stats stats;
    escpos_model_get_stats(model, &stats);
    fprintf(stderr, "escpos_sim: stopped after %lu receipts, %lu rows, %lu errors, %lu overflows\n",
            stats.receipts, stats.rows, stats.errors, stats.overflows);
    escpos_model_stop(model);
    IMG_Quit();
    return 0;
}
