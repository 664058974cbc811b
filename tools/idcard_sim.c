/* idcard_sim: the simulated GA 467 ID card reader (board/sim/idcard_model) as a program, so
 * a technician or a test can point a driver at it like at /dev/ttyUSB0:
 *
 *   idcard_sim [--card FIXTURE] [--fault NAME] [--baud N] [--delay-ms N] [--slow-ms N]
 *              [--background [--seconds N]] [--list]
 *
 * Prints the slave pty path on stdout (one line, flushed) and serves until stdin closes or
 * SIGTERM/SIGINT; meanwhile stdin takes the lines "place FIXTURE", "remove" and
 * "fault NAME" (each answered "ok" or "error: why" on stdout). With --background it forks, the parent prints the path and exits, and
 * the child serves for --seconds (default 60) or until SIGTERM, so that
 *   kioskctl read-card --port $(idcard_sim --background --card resident)
 * works from a shell (command substitution waits for its command to end).
 * On stderr, one line per change of state; nothing about the card's content. */
#include "board/sim/idcard_model.h"
#include "board/sim/sim_device.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void sim_print_usage(FILE *out)
{
    fprintf(out, "usage: idcard_sim [--card FIXTURE] [--fault NAME] [--baud N] [--delay-ms N]\n"
                 "                  [--slow-ms N] [--background [--seconds N]] [--list]\n");
}

static void sim_print_names(void)
{
    printf("fixtures:");
    for (const char *const *name = idcard_model_fixture_names(); *name; name++)
        printf(" %s", *name);
    printf("\nfaults:");
    for (const char *const *name = idcard_model_fault_names(); *name; name++)
        printf(" %s", *name);
    printf("\n");
}

/* One stdin command: "place FIXTURE", "remove" or "fault NAME" (NAME "none" clears it),
 * so a test or a technician can lift and lay cards while a driver polls. Answers "ok" or
 * "error: why" on stdout, one line, flushed. */
static void sim_run_command(struct idcard_model *model, char *line)
{
    const char *reply = "ok";
    if (strncmp(line, "place ", 6) == 0) {
        if (idcard_model_place_card(model, line + 6) < 0)
            reply = "error: unknown fixture (see --list)";
    } else if (strcmp(line, "remove") == 0) {
        idcard_model_remove_card(model);
    } else if (strncmp(line, "fault ", 6) == 0) {
        if (idcard_model_set_fault(model, line + 6) < 0)
            reply = "error: unknown fault (see --list)";
    } else {
        reply = "error: commands are place FIXTURE, remove, fault NAME";
    }
    sim_tool_reply("idcard_sim", line, reply);
}

/* sim_tool_serve's callback: a stdin line for the model. */
static void sim_run_line(void *model, char *line)
{
    sim_run_command(model, line);
}

int main(int argc, char **argv)
{
    struct idcard_model_options options = {0};
    int background = 0;
    unsigned seconds = 60;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (strcmp(arg, "--list") == 0) {
            sim_print_names();
            return 0;
        } else if (strcmp(arg, "--help") == 0) {
            sim_print_usage(stdout);
            return 0;
        } else if (strcmp(arg, "--background") == 0) {
            background = 1;
            continue;
        } else if (!value) {
            bad = 1;
        } else if (strcmp(arg, "--card") == 0) {
            options.card = value;
        } else if (strcmp(arg, "--fault") == 0) {
            options.fault = value;
        } else if (strcmp(arg, "--baud") == 0) {
            bad = sim_parse_unsigned(value, &options.baud) < 0 || options.baud < 300;
        } else if (strcmp(arg, "--delay-ms") == 0) {
            bad = sim_parse_unsigned(value, &options.delay_ms) < 0;
        } else if (strcmp(arg, "--slow-ms") == 0) {
            bad = sim_parse_unsigned(value, &options.slow_ms) < 0;
        } else if (strcmp(arg, "--seconds") == 0) {
            bad = sim_parse_unsigned(value, &seconds) < 0;
        } else {
            bad = 1;
        }
        if (bad) {
            fprintf(stderr, "idcard_sim: bad argument %s%s%s\n", arg, value ? " " : "", value ? value : "");
            sim_print_usage(stderr);
            return 2;
        }
        i++;
    }

    struct sim_tool tool = { .name = "idcard_sim", .background = background, .seconds = seconds };
    int status = sim_tool_begin(&tool);
    if (status)
        return status;

    struct idcard_model *model;
    int rc = idcard_model_start(&model, &options);
    if (rc < 0) {
        fprintf(stderr, "idcard_sim: cannot start the reader model: %s\n",
                rc == -EINVAL ? "unknown fixture or fault (see --list)" : strerror(-rc));
        return 1;
    }
    sim_tool_announce(&tool, idcard_model_slave_path(model));
    fprintf(stderr, "idcard_sim: serving on %s (card %s, fault %s, %u baud, %u ms delay)\n",
            idcard_model_slave_path(model), options.card ? options.card : "none",
            options.fault ? options.fault : "none", options.baud ? options.baud : 115200,
            options.delay_ms);

    sim_tool_serve(&tool, sim_run_line, model);
    struct idcard_model_stats stats;
    idcard_model_get_stats(model, &stats);
    fprintf(stderr, "idcard_sim: stopped after %lu commands, %lu bytes sent\n", stats.commands,
            stats.reply_bytes);
    idcard_model_stop(model);
    return 0;
}
