/* What the simulators' mains (tools/idcard_sim.c, escpos_sim.c, pcl_sim.c) share: the
 * options every one takes (--list, --help, --background, --seconds N), the bad-argument
 * answer, and the run: detach, start the model behind its pty, announce the path, serve
 * stdin commands until stopped, stop. Each main describes its device in a
 * struct sim_main_device and keeps only what is that device's own. */
#pragma once
#include <stdio.h>

struct sim_main_device {
    const char *name;    /* "escpos_sim", for messages */
    const char *kind;    /* "printer": "cannot start the printer model" */
    const char *invalid; /* what the model's start means by -EINVAL, e.g. "unknown fault (see --list)" */
    void (*print_usage)(FILE *out);
    void (*print_names)(void); /* --list */
    /* One of the device's own options with its value (next: the word after the value, or
     * NULL). How many words it took after arg (1, or 2 with next), or -1: unknown option or
     * bad value. */
    int (*parse_option)(void *options, const char *arg, const char *value, const char *next);
    /* What the options still lack, as "--out DIR is required", or NULL; may be NULL itself. */
    const char *(*check_options)(const void *options);
    /* The model's start: 0 with *model and *slave_path, or a negative errno. */
    int (*start)(void **model, const void *options, const char **slave_path);
    /* The stderr line once the path is announced. */
    void (*log_start)(const char *slave_path, const void *options);
    void (*run_command)(void *model, char *line); /* one stdin line (sim_tool_serve) */
    void (*stop)(void *model);                    /* logs the stats and stops the model */
};

/* The whole main for device, with options zeroed by the caller: the exit status (0; 2 for
 * a bad argument; 1 when the model cannot start). */
int sim_main_run(const struct sim_main_device *device, void *options, int argc, char **argv);
/* The printer models' shared options: --out DIR into *out_dir, and --fault NAME [N] (NAME
 * into *fault and, when next is a count, N into *rows). How many words it took after arg
 * (1 or 2), as parse_option returns, or 0 when arg is neither. */
int sim_main_take_printer_option(const char *arg, const char *value, const char *next, const char **out_dir,
                                 const char **fault, unsigned *rows);
/* "label: name name ...\n" on stdout, a line of --list. */
void sim_main_print_names(const char *label, const char *const *names);
