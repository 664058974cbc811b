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
#include "escpos_model.h"

#include <SDL_image.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

static void sim_print_usage(FILE *out)
{
    fprintf(out, "usage: escpos_sim --out DIR [--width DOTS] [--fault NAME [N]]\n"
                 "                  [--background [--seconds N]] [--list]\n");
}

static int sim_parse_unsigned(const char *text, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long value = strtoul(text, &end, 10);
    if (errno || end == text || *end || value > 10000000ul)
        return -1;
    *out = (unsigned)value;
    return 0;
}

/* One stdin command: "fault NAME [N]" or "paper-in", so a test can run the roll out or
 * open the cover while a driver prints. Answers "ok" or "error: why", flushed. */
static void sim_run_command(struct escpos_model *model, char *line)
{
    size_t length = strlen(line);
    while (length && (line[length - 1] == '\r' || line[length - 1] == ' '))
        line[--length] = 0;
    if (length == 0)
        return;
    const char *reply = "ok";
    if (strncmp(line, "fault ", 6) == 0) {
        char *name = line + 6, *count = strchr(name, ' ');
        unsigned rows = 0;
        if (count)
            *count++ = 0;
        if (count && sim_parse_unsigned(count, &rows) < 0)
            reply = "error: N must be a number of rows";
        else if (escpos_model_set_fault(model, name, rows) < 0)
            reply = "error: unknown fault (see --list)";
        if (count)
            count[-1] = ' ';
    } else if (strcmp(line, "paper-in") == 0) {
        escpos_model_restore_paper(model);
    } else {
        reply = "error: commands are fault NAME [N], paper-in";
    }
    fprintf(stderr, "escpos_sim: %s: %s\n", line, reply);
    printf("%s\n", reply);
    fflush(stdout);
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

    /* Signals come through a signalfd: blocked before the model's thread inherits the mask. */
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    sigprocmask(SIG_BLOCK, &signals, NULL);

    int ready_pipe[2] = {-1, -1};
    if (background) {
        /* The child owns the pty (it dies with its owner) and hands the path up a pipe. */
        if (pipe(ready_pipe) < 0) {
            perror("escpos_sim: pipe");
            return 1;
        }
        pid_t child = fork();
        if (child < 0) {
            perror("escpos_sim: fork");
            return 1;
        }
        if (child > 0) {
            close(ready_pipe[1]);
            char path[128];
            ssize_t n = read(ready_pipe[0], path, sizeof path - 1);
            if (n <= 0)
                return 1;
            path[n] = 0;
            fputs(path, stdout);
            fflush(stdout);
            return 0;
        }
        close(ready_pipe[0]);
        setsid();
        int null_fd = open("/dev/null", O_RDWR);
        if (null_fd >= 0) {
            dup2(null_fd, STDIN_FILENO);
            dup2(null_fd, STDOUT_FILENO);
            close(null_fd);
        }
    }

    IMG_Init(IMG_INIT_PNG);
    struct escpos_model *model;
    int rc = escpos_model_start(&model, &options);
    if (rc < 0) {
        fprintf(stderr, "escpos_sim: cannot start the printer model: %s\n",
                rc == -EINVAL ? "unknown fault or bad width (see --list)" : strerror(-rc));
        return 1;
    }
    if (background) {
        char line[128];
        int n = snprintf(line, sizeof line, "%s\n", escpos_model_slave_path(model));
        if (write(ready_pipe[1], line, (size_t)n) != n)
            perror("escpos_sim: write");
        close(ready_pipe[1]);
    } else {
        printf("%s\n", escpos_model_slave_path(model));
        fflush(stdout);
    }
    fprintf(stderr, "escpos_sim: serving on %s (out %s, width %u, fault %s %u)\n",
            escpos_model_slave_path(model), options.out_dir, options.width_dots ? options.width_dots : 576,
            options.fault ? options.fault : "none", options.fault_rows);

    int signal_fd = signalfd(-1, &signals, SFD_CLOEXEC);
    char line[256];
    size_t line_length = 0;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        struct pollfd fds[2] = {{.fd = signal_fd, .events = POLLIN},
                                {.fd = background ? -1 : STDIN_FILENO, .events = POLLIN}};
        int timeout = -1;
        if (background) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            long left_ms = (long)seconds * 1000 - ((now.tv_sec - start.tv_sec) * 1000 +
                                                   (now.tv_nsec - start.tv_nsec) / 1000000);
            if (left_ms <= 0)
                break;
            timeout = (int)left_ms;
        }
        int ready = poll(fds, 2, timeout);
        if (ready < 0 && errno != EINTR)
            break;
        if (fds[0].revents & POLLIN)
            break;
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(STDIN_FILENO, line + line_length, sizeof line - 1 - line_length);
            if (n <= 0)
                break;
            line_length += (size_t)n;
            line[line_length] = 0;
            char *end;
            while ((end = strchr(line, '\n'))) {
                *end = 0;
                sim_run_command(model, line);
                line_length -= (size_t)(end + 1 - line);
                memmove(line, end + 1, line_length + 1);
            }
            if (line_length == sizeof line - 1)
                line_length = 0;   /* a line too long to be a command */
        }
    }
    struct escpos_model_stats stats;
    escpos_model_get_stats(model, &stats);
    fprintf(stderr, "escpos_sim: stopped after %lu receipts, %lu rows, %lu errors, %lu overflows\n",
            stats.receipts, stats.rows, stats.errors, stats.overflows);
    escpos_model_stop(model);
    IMG_Quit();
    if (signal_fd >= 0)
        close(signal_fd);
    return 0;
}
