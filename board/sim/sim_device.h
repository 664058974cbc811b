/* What the sim board's device models and their command-line tools share: the pty a model
 * sits behind, and the way a tool detaches, announces the pty and serves stdin commands. */
#pragma once
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <signal.h>

/* Opens a pty pair in raw mode (bytes such as 0x03, 0x0A or 0x11 are data, not line
 * discipline) and keeps the slave open too, so the pty survives hosts that open and close
 * it. 0, or a negative errno (nothing left open). */
int sim_pty_open(int *master_fd, int *slave_fd, char *slave_path, size_t size);

/* A model's end of the wire, the same for every model: the pty, the eventfd that stops the
 * model's thread, that thread, and the lock between it and the API's callers. */
struct sim_device {
    int master_fd;        /* the model's side, non-blocking: the thread polls it */
    /* Held open so the master never sees a hang-up between driver sessions (a closed
     * slave makes reads on the master fail with EIO). */
    int slave_fd;
    int stop_fd;          /* eventfd: stop wakes the thread out of poll and sleeps */
    char slave_path[64];  /* what a driver opens, e.g. /dev/pts/5 */
    pthread_t thread;
    pthread_mutex_t lock; /* guards the model's state: API calls come from other threads */
};
/* Opens the pty (sim_pty_open, master non-blocking) and the stop eventfd, makes the lock
 * and runs serve(model) on the device's thread: call it once the model's own state is set.
 * 0, or a negative errno with nothing left open, so a model's start has only its own
 * state to undo. */
int sim_device_start(struct sim_device *device, void *(*serve)(void *model), void *model);
/* Tells the thread to stop through stop_fd (a failed write is reported as who, e.g.
 * "pcl_model_stop"), waits for it, closes the fds and drops the lock. */
void sim_device_stop(struct sim_device *device, const char *who);
/* Copies size bytes from the model's state at from to out under the lock (a stats read). */
void sim_device_copy_locked(struct sim_device *device, void *out, const void *from, size_t size);
/* Where name stands in a model's NULL-terminated fault names, which all start with "none"
 * (so name NULL, no fault asked for, is 0). -1 for a name not in the list. */
int sim_device_find_fault(const char *const *fault_names, const char *name);

/* A tool's run: call sim_tool_begin before starting the model (it blocks the stop signals
 * so the model's thread inherits the mask, and with background forks: the parent waits for
 * the pty path, prints it and exits in here; the child detaches and returns). */
struct sim_tool {
    const char *name;     /* "idcard_sim", for messages */
    bool background;      /* serve detached for a fixed time instead of until stdin closes */
    unsigned seconds;     /* how long in the background */
    sigset_t signals;
    int ready_fd;         /* the child's end of the pipe to the parent, or -1 */
};
/* 0 to go on (in the serving process), or an exit status to return from main. */
int sim_tool_begin(struct sim_tool *tool);
/* Prints the pty path on stdout (or hands it to the waiting parent). */
void sim_tool_announce(struct sim_tool *tool, const char *slave_path);
/* Serves until SIGTERM/SIGINT/SIGHUP, stdin's end, or (background) the time is up; each
 * non-blank stdin line is passed to command without its newline and trailing CR/spaces. */
void sim_tool_serve(struct sim_tool *tool, void (*command)(void *ctx, char *line), void *ctx);
/* A decimal count for a tool's option or command (0..10,000,000). 0 or -1. */
int sim_parse_unsigned(const char *text, unsigned *out);
/* A command's answer: logged on stderr with the line, and "ok" / "error: why" on stdout,
 * flushed (a test reads it). */
void sim_tool_reply(const char *tool, const char *line, const char *reply);
/* "NAME [N]" of a "fault NAME [N]" command handed to the model's setter; the reply to give. */
const char *sim_tool_set_fault(char *args, int (*set)(void *model, const char *name, unsigned rows), void *model);
