/* A transport moves bytes to and from a device with timeouts (design section 5). The
 * protocol code (idcard_reader) is written once against this table of function pointers,
 * in the style of curl's vtls back ends, and runs unchanged over a real tty, a pty with a
 * device model on the far side, or (later) USB.
 *
 * Transports today: serial (transport_serial.h: any tty path, termios raw mode).
 * TODO(issue 4, next step): a libusb transport for native GA 467 readers: VID:PID list from
 * the config (0400:c35a Routon iDR200; 0483:5652 unconfirmed), OUT 0x02 preamble+Len then
 * OUT 0x06 CMD..CHK, IN 0x81 preamble+Len then IN 0x85 SW..CHK, hotplug or periodic rescan.
 * It is not written yet; nothing pretends to be it. */
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
