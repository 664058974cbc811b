#include "drivers/transport/transport_serial.h"

#include <errno.h>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include "drivers/transport/transport_fd.h"

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
    /* The I/O is the fd transport's: poll with the timeout, hang-ups as -ENODEV. */
    return transport_fd_adopt_tty(fd, out);
}

int transport_serial_set_baud(struct transport *transport, int baud)
{
    int fd = transport_fd_tty_descriptor(transport);
    if (fd < 0)
        return -EINVAL;
    /* No tcdrain: it has no timeout. The caller changes the rate after the reply came. */
    return transport_serial_configure(fd, baud);
}
