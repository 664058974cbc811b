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
#include "board/sim/sim_main.h"

#include <stdio.h>
#include <string.h>

static void sim_print_usage(FILE *out)
{
    fprintf(out, "usage: idcard_sim [--card FIXTURE] [--fault NAME] [--baud N] [--delay-ms N]\n"
                 "                  [--slow-ms N] [--background [--seconds N]] [--list]\n");
}

static void sim_print_names(void)
{
    sim_main_print_names("fixtures", idcard_model_fixture_names());
    sim_main_print_names("faults", idcard_model_fault_names());
}

/* One stdin command: "place FIXTURE", "remove" or "fault NAME" (NAME "none" clears it),
 * so a test or a technician can lift and lay cards while a driver polls. Answers "ok" or
 * "error: why" on stdout, one line, flushed. */
static void sim_run_command(void *model, char *line)
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

static int sim_parse_option(void *context, const char *arg, const char *value, const char *next)
{
    (void)next; /* --fault takes a name alone here */
    struct idcard_model_options *options = context;
    if (strcmp(arg, "--card") == 0)
        options->card = value;
    else if (strcmp(arg, "--fault") == 0)
        options->fault = value;
    else if (strcmp(arg, "--baud") == 0)
        return sim_parse_unsigned(value, &options->baud) < 0 || options->baud < 300 ? -1 : 1;
    else if (strcmp(arg, "--delay-ms") == 0)
        return sim_parse_unsigned(value, &options->delay_ms) < 0 ? -1 : 1;
    else if (strcmp(arg, "--slow-ms") == 0)
        return sim_parse_unsigned(value, &options->slow_ms) < 0 ? -1 : 1;
    else
        return -1;
    return 1;
}

static int sim_start(void **model_out, const void *options, const char **slave_path)
{
    struct idcard_model *model;
    int rc = idcard_model_start(&model, options);
    if (rc < 0)
        return rc;
    *model_out = model;
    *slave_path = idcard_model_slave_path(model);
    return 0;
}

static void sim_log_start(const char *slave_path, const void *context)
{
    const struct idcard_model_options *options = context;
    fprintf(stderr, "idcard_sim: serving on %s (card %s, fault %s, %u baud, %u ms delay)\n", slave_path,
            options->card ? options->card : "none", options->fault ? options->fault : "none",
            options->baud ? options->baud : 115200, options->delay_ms);
}

static void sim_stop(void *model)
{
    struct idcard_model_stats stats;
    idcard_model_get_stats(model, &stats);
    fprintf(stderr, "idcard_sim: stopped after %lu commands, %lu bytes sent\n", stats.commands,
            stats.reply_bytes);
    idcard_model_stop(model);
}

static const struct sim_main_device sim_idcard = {
    .name = "idcard_sim", .kind = "reader", .invalid = "unknown fixture or fault (see --list)",
    .print_usage = sim_print_usage, .print_names = sim_print_names, .parse_option = sim_parse_option,
    .start = sim_start, .log_start = sim_log_start, .run_command = sim_run_command, .stop = sim_stop,
};

int main(int argc, char **argv)
{
    struct idcard_model_options options = {0};
    return sim_main_run(&sim_idcard, &options, argc, argv);
}
