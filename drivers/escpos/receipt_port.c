#include "drivers/escpos/receipt_port.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "drivers/transport/device_address.h"
#include "drivers/transport/transport_fd.h"
#include "drivers/transport/transport_serial.h"
#include "drivers/transport/transport_usb_printer.h"

/* Serial printers run at 115200 8N1 here; usblp and USB ignore the rate. */
#define RECEIPT_PORT_BAUD 115200

static bool receipt_port_is_tty(const char *path)
{
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool tty = isatty(fd);
    close(fd);
    return tty;
}

int receipt_port_open(const char *address, struct receipt_port *port, char *err, size_t errlen)
{
    memset(port, 0, sizeof *port);
    struct device_address parsed;
    char reason[200];
    if (device_address_parse(DEVICE_RECEIPT_PRINTER, address, &parsed, reason, sizeof reason) < 0) {
        snprintf(err, errlen, "receipt printer %s: %s", address, reason);
        return -EINVAL;
    }
    int rc;
    switch (parsed.kind) {
    case DEVICE_ADDRESS_USB:
        rc = transport_usb_printer_open(NULL, &parsed.usb, &port->transport);
        port->usb = rc == 0;
        break;
    case DEVICE_ADDRESS_PATH:
        rc = receipt_port_is_tty(parsed.path) ? transport_serial_open(parsed.path, RECEIPT_PORT_BAUD, &port->transport)
                                              : transport_fd_open(parsed.path, &port->transport);
        break;
    default:
        snprintf(err, errlen, "receipt printer %s: not a device this board can open", address);
        return -EINVAL;
    }
    if (rc < 0) {
        port->transport = NULL;
        snprintf(err, errlen, "receipt printer %s: %s", address,
                 rc == -ENOENT || rc == -ENODEV ? "no such device attached" : strerror(-rc));
    }
    return rc;
}

void receipt_port_close(struct receipt_port *port)
{
    if (port->transport)
        transport_close(port->transport);
    memset(port, 0, sizeof *port);
}

const struct escpos_profile *receipt_port_profile(struct receipt_port *port, const char *named)
{
    const struct escpos_profile *profile = strcmp(named, "auto") ? escpos_profile_find(named) : NULL;
    if (!profile && port->usb) {
        struct escpos_device_id id;
        if (transport_usb_printer_device_id(port->transport, &id) == 0)
            profile = escpos_profile_match(&id);
    }
    return profile ? profile : escpos_profile_find("generic-80mm");
}
