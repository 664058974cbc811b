#include "board/sim/sim_device.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

int sim_pty_open(int *master_fd, int *slave_fd, char *slave_path, size_t size)
{
    *master_fd = *slave_fd = -1;
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 || ptsname_r(master, slave_path, size) != 0)
        goto fail;
    int slave = open(slave_path, O_RDWR | O_NOCTTY);
    if (slave < 0)
        goto fail;
    struct termios tio;
    if (tcgetattr(slave, &tio) == 0) {
        cfmakeraw(&tio);
        tcsetattr(slave, TCSANOW, &tio);
    }
    *master_fd = master;
    *slave_fd = slave;
    return 0;
fail:;
    int rc = -errno;
    if (master >= 0)
        close(master);
    return rc;
}

/* Closes the fds sim_device_start opened and drops the lock. */
static void sim_device_close(struct sim_device *device)
{
    pthread_mutex_destroy(&device->lock);
    close(device->stop_fd);
    close(device->slave_fd);
    close(device->master_fd);
}

int sim_device_start(struct sim_device *device, void *(*serve)(void *model), void *model)
{
    int rc = sim_pty_open(&device->master_fd, &device->slave_fd, device->slave_path, sizeof device->slave_path);
    if (rc < 0)
        return rc;
    fcntl(device->master_fd, F_SETFL, fcntl(device->master_fd, F_GETFL) | O_NONBLOCK);
    device->stop_fd = eventfd(0, EFD_CLOEXEC);
    if (device->stop_fd < 0) {
        rc = errno ? -errno : -EIO;
        close(device->slave_fd);
        close(device->master_fd);
        return rc;
    }
    pthread_mutex_init(&device->lock, NULL);
    rc = -pthread_create(&device->thread, NULL, serve, model);
    if (rc < 0)
        sim_device_close(device);
    return rc;
}

void sim_device_stop(struct sim_device *device, const char *who)
{
    uint64_t one = 1;
    if (write(device->stop_fd, &one, sizeof one) != sizeof one)
        perror(who);
    pthread_join(device->thread, NULL);
    sim_device_close(device);
}

void sim_device_copy_locked(struct sim_device *device, void *out, const void *from, size_t size)
{
    pthread_mutex_lock(&device->lock);
    memcpy(out, from, size);
    pthread_mutex_unlock(&device->lock);
}

int sim_device_find_fault(const char *const *fault_names, const char *name)
{
    if (!name)
        return 0;
    for (int i = 0; fault_names[i]; i++)
        if (strcmp(fault_names[i], name) == 0)
            return i;
    return -1;
}

int sim_tool_begin(struct sim_tool *tool)
{
    /* Signals come through a signalfd: blocked before the model's thread inherits the mask. */
    sigemptyset(&tool->signals);
    sigaddset(&tool->signals, SIGTERM);
    sigaddset(&tool->signals, SIGINT);
    sigaddset(&tool->signals, SIGHUP);
    sigprocmask(SIG_BLOCK, &tool->signals, NULL);
    tool->ready_fd = -1;
    if (!tool->background)
        return 0;
    /* The child owns the pty (a pty dies with its owner) and hands the path up a pipe;
     * the parent prints it and leaves, so $(tool --background …) returns. */
    int ready_pipe[2];
    if (pipe(ready_pipe) < 0) {
        fprintf(stderr, "%s: pipe: %s\n", tool->name, strerror(errno));
        return 1;
    }
    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "%s: fork: %s\n", tool->name, strerror(errno));
        return 1;
    }
    if (child > 0) {
        close(ready_pipe[1]);
        char path[128];
        ssize_t n = read(ready_pipe[0], path, sizeof path - 1);
        if (n <= 0)
            exit(1);
        path[n] = 0;
        fputs(path, stdout);
        fflush(stdout);
        exit(0);
    }
    close(ready_pipe[0]);
    tool->ready_fd = ready_pipe[1];
    setsid();
    int null_fd = open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
        dup2(null_fd, STDIN_FILENO);
        dup2(null_fd, STDOUT_FILENO);
        close(null_fd);
    }
    return 0;
}

void sim_tool_announce(struct sim_tool *tool, const char *slave_path)
{
    if (tool->ready_fd >= 0) {
        char line[128];
        int n = snprintf(line, sizeof line, "%s\n", slave_path);
        if (write(tool->ready_fd, line, (size_t)n) != n)
            fprintf(stderr, "%s: write: %s\n", tool->name, strerror(errno));
        close(tool->ready_fd);
        tool->ready_fd = -1;
    } else {
        printf("%s\n", slave_path);
        fflush(stdout);
    }
}

void sim_tool_serve(struct sim_tool *tool, void (*command)(void *ctx, char *line), void *ctx)
{
    int signal_fd = signalfd(-1, &tool->signals, SFD_CLOEXEC);
    char line[256];
    size_t line_length = 0;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        struct pollfd fds[2] = { { .fd = signal_fd, .events = POLLIN },
                                 { .fd = tool->background ? -1 : STDIN_FILENO, .events = POLLIN } };
        int timeout = -1;
        if (tool->background) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            long left_ms = (long)tool->seconds * 1000 -
                           ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000);
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
            /* Commands, one a line; end of file (or an error) ends the run. */
            ssize_t n = read(STDIN_FILENO, line + line_length, sizeof line - 1 - line_length);
            if (n <= 0)
                break;
            line_length += (size_t)n;
            line[line_length] = 0;
            char *end;
            while ((end = strchr(line, '\n'))) {
                *end = 0;
                /* Trailing CR and spaces go (a terminal's CRLF); blank lines are no command. */
                for (char *tail = end; tail > line && (tail[-1] == '\r' || tail[-1] == ' ');)
                    *--tail = 0;
                if (line[0])
                    command(ctx, line);
                line_length -= (size_t)(end + 1 - line);
                memmove(line, end + 1, line_length + 1);
            }
            if (line_length == sizeof line - 1)
                line_length = 0; /* a line too long to be a command */
        }
    }
    if (signal_fd >= 0)
        close(signal_fd);
}

int sim_parse_unsigned(const char *text, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long value = strtoul(text, &end, 10);
    if (errno || end == text || *end || value > 10000000ul)
        return -1;
    *out = (unsigned)value;
    return 0;
}

void sim_tool_reply(const char *tool, const char *line, const char *reply)
{
    fprintf(stderr, "%s: %s: %s\n", tool, line, reply);
    printf("%s\n", reply);
    fflush(stdout);
}

const char *sim_tool_set_fault(char *args, int (*set)(void *model, const char *name, unsigned rows), void *model)
{
    char *count = strchr(args, ' ');
    unsigned rows = 0;
    const char *reply = "ok";
    if (count)
        *count++ = 0;
    if (count && sim_parse_unsigned(count, &rows) < 0)
        reply = "error: N must be a number of rows";
    else if (set(model, args, rows) < 0)
        reply = "error: unknown fault (see --list)";
    if (count)
        count[-1] = ' '; /* the line is echoed whole in the log */
    return reply;
}
