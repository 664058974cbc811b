#include "drivers/transport/transport_fd.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct transport_fd {
    struct transport base; /* first: the generic code holds a struct transport * */
    int fd;
    bool regular; /* a file: poll always says ready, and read's 0 is only "nothing yet" */
    bool tty;     /* raw tty (transport_serial): read's 0 after a wake-up is not the end, and
                   * EIO is the far side gone (a pty master closed, a bridge unplugged) */
};

static long long transport_fd_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* 1 ready, -ETIMEDOUT, or -ENODEV when the far side hung up (pty master closed, usblp gone). */
static int transport_fd_wait(int fd, short events, long long deadline_ms)
{
    for (;;) {
        long long left = deadline_ms - transport_fd_now_ms();
        struct pollfd p = { .fd = fd, .events = events };
        int n = poll(&p, 1, left > 0 ? (int)left : 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (n == 0)
            return -ETIMEDOUT;
        if (p.revents & events)
            return 1;
        if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
            return -ENODEV;
    }
}

static int transport_fd_errno(const struct transport_fd *t, int err)
{
    int fd = t->fd;
    if (err == EIO && t->tty)
        return -ENODEV;
    /* A pty whose master closed answers EIO; so does usblp for a printer that went away. */
    if (err == EIO) {
        struct pollfd p = { .fd = fd, .events = POLLOUT };
        if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)))
            return -ENODEV;
        return -EIO;
    }
    return -err;
}

static ssize_t transport_fd_write(struct transport *transport, const uint8_t *bytes, size_t len, int timeout_ms)
{
    struct transport_fd *t = (struct transport_fd *)transport;
    long long deadline = transport_fd_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    size_t done = 0;
    while (done < len) {
        int ready = transport_fd_wait(t->fd, POLLOUT, deadline);
        if (ready < 0)
            return ready;
        ssize_t n = write(t->fd, bytes + done, len - done);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            return transport_fd_errno(t, errno);
        }
        done += (size_t)n;
    }
    return (ssize_t)len;
}

static void transport_fd_sleep_until(long long deadline)
{
    long long left = deadline - transport_fd_now_ms();
    if (left > 0)
        nanosleep(&(struct timespec){ .tv_sec = left / 1000, .tv_nsec = (long)(left % 1000) * 1000000 }, NULL);
}

static ssize_t transport_fd_read(struct transport *transport, uint8_t *buf, size_t len, int timeout_ms)
{
    struct transport_fd *t = (struct transport_fd *)transport;
    long long deadline = transport_fd_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    for (;;) {
        int ready = transport_fd_wait(t->fd, POLLIN, deadline);
        if (ready < 0)
            return ready;
        ssize_t n = read(t->fd, buf, len);
        if (n > 0)
            return n;
        if (n == 0) {
            /* End of a file, or a device with nothing to say: no reply within the time. A
             * tty in raw mode with VMIN=0 may return 0 after a wake-up without a hang-up:
             * only a hang-up poll reports means the far side is gone; else wait again. */
            struct pollfd p = { .fd = t->fd, .events = POLLIN };
            if (!t->regular && poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)))
                return -ENODEV;
            if (t->tty)
                continue;
            transport_fd_sleep_until(deadline);
            return -ETIMEDOUT;
        }
        if (errno == EAGAIN || errno == EINTR) {
            if (transport_fd_now_ms() >= deadline)
                return -ETIMEDOUT;
            continue;
        }
        /* A write-only fd (a one-way printer): nothing can come back; behave as silence. */
        if (errno == EBADF) {
            transport_fd_sleep_until(deadline);
            return -ETIMEDOUT;
        }
        return transport_fd_errno(t, errno);
    }
}

static void transport_fd_close(struct transport *transport)
{
    struct transport_fd *t = (struct transport_fd *)transport;
    close(t->fd);
    free(t);
}

static const struct transport_ops transport_fd_ops = {
    .name = "fd",
    .write = transport_fd_write,
    .read = transport_fd_read,
    .close = transport_fd_close,
};

/* The same I/O under the serial transport's name, for technicians' messages. */
static const struct transport_ops transport_fd_tty_ops = {
    .name = "serial",
    .write = transport_fd_write,
    .read = transport_fd_read,
    .close = transport_fd_close,
};

int transport_fd_adopt_tty(int fd, struct transport **out)
{
    *out = NULL;
    struct transport_fd *t = calloc(1, sizeof *t);
    if (!t) {
        close(fd);
        return -ENOMEM;
    }
    t->base.ops = &transport_fd_tty_ops;
    t->fd = fd;
    t->tty = true;
    *out = &t->base;
    return 0;
}

int transport_fd_open(const char *path, struct transport **out)
{
    *out = NULL;
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 && (errno == EACCES || errno == EROFS || errno == EINVAL))
        fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct stat st;
    int err = fstat(fd, &st) < 0 ? -errno : S_ISDIR(st.st_mode) ? -EISDIR : 0;
    if (err < 0) {
        close(fd);
        return err;
    }
    struct transport_fd *t = calloc(1, sizeof *t);
    if (!t) {
        close(fd);
        return -ENOMEM;
    }
    t->base.ops = &transport_fd_ops;
    t->fd = fd;
    t->regular = S_ISREG(st.st_mode);
    *out = &t->base;
    return 0;
}

int transport_fd_descriptor(struct transport *transport)
{
    if (!transport || transport->ops != &transport_fd_ops)
        return -1;
    return ((struct transport_fd *)transport)->fd;
}

int transport_fd_tty_descriptor(struct transport *transport)
{
    if (!transport || transport->ops != &transport_fd_tty_ops)
        return -1;
    return ((struct transport_fd *)transport)->fd;
}
