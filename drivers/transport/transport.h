/* A transport moves bytes to and from a device with timeouts (design section 5). The
 * protocol code (idcard_reader) is written once against this table of function pointers,
 * in the style of curl's vtls back ends, and runs unchanged over a real tty, a pty with a
 * device model on the far side, or USB.
 *
 * Transports: serial (transport_serial.h: any tty path, termios raw mode), fd (transport_fd.h:
 * /dev/usb/lpN, a pty, a file; poll timeouts, no termios), native USB through libusb
 * (usb_link.h): transport_usb_idcard.h (GA 467's four bulk pipes) and
 * transport_usb_printer.h (USB printer class). */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct transport;

struct transport_ops {
    const char *name; /* "serial" ...: for technicians' messages */
    /* Writes all len bytes within timeout_ms. Returns len, or a negative errno:
     * -ETIMEDOUT (the device did not take them in time), -ENODEV (it went away), -EIO. */
    ssize_t (*write)(struct transport *transport, const uint8_t *bytes, size_t len, int timeout_ms);
    /* Waits up to timeout_ms (0: do not wait) for bytes; returns how many were read (1..len),
     * or -ETIMEDOUT when none came, -ENODEV when the device went away, -EIO. Never 0. */
    ssize_t (*read)(struct transport *transport, uint8_t *buf, size_t len, int timeout_ms);
    /* Releases the device and frees the transport. */
    void (*close)(struct transport *transport);
};

/* Each back end embeds this as its first member. */
struct transport {
    const struct transport_ops *ops;
};

static inline ssize_t transport_write(struct transport *transport, const uint8_t *bytes, size_t len,
                                      int timeout_ms)
{
    return transport->ops->write(transport, bytes, len, timeout_ms);
}

static inline ssize_t transport_read(struct transport *transport, uint8_t *buf, size_t len, int timeout_ms)
{
    return transport->ops->read(transport, buf, len, timeout_ms);
}

static inline void transport_close(struct transport *transport)
{
    if (transport)
        transport->ops->close(transport);
}
