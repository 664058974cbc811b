#include "transport_serial.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

struct transport_serial {
    struct transport base; /* first: the generic code holds a struct transport * */
    int fd;
};

static const struct {
    int baud;
    speed_t speed;
} transport_serial_rates[] = {
    { 115200, B115200 }, { 57600, B57600 }, { 38400, B38400 }, { 19200, B19200 }, { 9600, B9600 },
};

static int transport_serial_speed(int baud, speed_t *speed)
{
    for (size_t i = 0; i < sizeof transport_serial_rates / sizeof transport_serial_rates[0]; i++)
        if (transport_serial_rates[i].baud == baud) {
            *speed = transport_serial_rates[i].speed;
            return 0;
        }
    return -EINVAL;
}

int transport_serial_baud_supported(int baud)
{
    speed_t speed;
    return transport_serial_speed(baud, &speed) == 0;
}

static long long transport_serial_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Waits for events on fd until the deadline; 1 ready, -ETIMEDOUT, -ENODEV on hang-up. */
static int transport_serial_wait(int fd, short events, long long deadline_ms)
{
    for (;;) {
        long long left = deadline_ms - transport_serial_now_ms();
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
        /* A pty whose master closed, or a USB-serial bridge unplugged. */
        if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
            return -ENODEV;
    }
}

static ssize_t transport_serial_write(struct transport *transport, const uint8_t *bytes, size_t len,
                                      int timeout_ms)
{
    struct transport_serial *serial = (struct transport_serial *)transport;
    long long deadline = transport_serial_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    size_t done = 0;
    while (done < len) {
        int ready = transport_serial_wait(serial->fd, POLLOUT, deadline);
        if (ready < 0)
            return ready;
        ssize_t n = write(serial->fd, bytes + done, len - done);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            return errno == EIO ? -ENODEV : -errno;
        }
        done += (size_t)n;
    }
    return (ssize_t)len;
}

static ssize_t transport_serial_read(struct transport *transport, uint8_t *buf, size_t len, int timeout_ms)
{
    struct transport_serial *serial = (struct transport_serial *)transport;
    long long deadline = transport_serial_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    for (;;) {
        int ready = transport_serial_wait(serial->fd, POLLIN, deadline);
        if (ready < 0)
            return ready;
        ssize_t n = read(serial->fd, buf, len);
        if (n > 0)
            return n;
        if (n == 0) {
            /* A tty in raw mode with VMIN=0 may return 0 bytes after a wake-up without
             * having been hung up; only a hang-up that poll reports means the far side is
             * gone. Otherwise wait again (the deadline still bounds it). */
            struct pollfd p = { .fd = serial->fd, .events = POLLIN };
            if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)))
                return -ENODEV;
            continue;
        }
        if (errno == EAGAIN || errno == EINTR)
            continue;
        return errno == EIO ? -ENODEV : -errno;
    }
}

static void transport_serial_close(struct transport *transport)
{
    struct transport_serial *serial = (struct transport_serial *)transport;
    close(serial->fd);
    free(serial);
}

static const struct transport_ops transport_serial_ops = {
    .name = "serial",
    .write = transport_serial_write,
    .read = transport_serial_read,
    .close = transport_serial_close,
};

static int transport_serial_configure(int fd, int baud)
{
    speed_t speed;
    if (transport_serial_speed(baud, &speed) < 0)
        return -EINVAL;
    struct termios tio;
    if (tcgetattr(fd, &tio) < 0)
        return -errno;
    /* Raw: no echo, no line discipline, no CR/LF translation; frames are binary. */
    cfmakeraw(&tio);
    tio.c_cflag &= ~(CSTOPB | PARENB | CRTSCTS | CSIZE);
    tio.c_cflag |= CS8 | CLOCAL | CREAD;
    tio.c_cc[VMIN] = 0;
    tio.c_cc[VTIME] = 0; /* timeouts come from poll(), not the tty */
    if (cfsetispeed(&tio, speed) < 0 || cfsetospeed(&tio, speed) < 0)
        return -errno;
    if (tcsetattr(fd, TCSANOW, &tio) < 0)
        return -errno;
    return 0;
}

int transport_serial_open(const char *path, int baud, struct transport **out)
{
    *out = NULL;
    if (!transport_serial_baud_supported(baud))
        return -EINVAL;
    /* Non-blocking: a write must never hang on a stuck device (poll gives the timeout). */
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    if (!isatty(fd)) {
        close(fd);
        return -ENOTTY;
    }
    int err = transport_serial_configure(fd, baud);
    if (err < 0) {
        close(fd);
        return err;
    }
    /* Bytes left from before we opened are not replies to anything we will send. */
    tcflush(fd, TCIOFLUSH);
    struct transport_serial *serial = calloc(1, sizeof *serial);
    if (!serial) {
        close(fd);
        return -ENOMEM;
    }
    serial->base.ops = &transport_serial_ops;
    serial->fd = fd;
    *out = &serial->base;
    return 0;
}

int transport_serial_set_baud(struct transport *transport, int baud)
{
    if (!transport || transport->ops != &transport_serial_ops)
        return -EINVAL;
    struct transport_serial *serial = (struct transport_serial *)transport;
    /* No tcdrain: it has no timeout. The caller changes the rate after the reply came. */
    return transport_serial_configure(serial->fd, baud);
}
