/* The receipt printer's link, opened from its [devices] address (device_address.h): a tty
 * (serial transport, raw), any other path (plain fd: /dev/usb/lpN through usblp, a pty, a
 * file), or usb:VID:PID / usb:class7 (libusb printer class, usblp detached). The ESC/POS
 * protocol (escpos_printer.h) runs unchanged on each. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "drivers/escpos/escpos_profile.h"
#include "drivers/transport/transport.h"

struct receipt_port {
    struct transport *transport;
    bool usb; /* the printer-class requests (device ID, port status) are available */
};

/* 0, or a negative errno with one line in err naming the address and the reason. */
int receipt_port_open(const char *address, struct receipt_port *port, char *err, size_t errlen);
void receipt_port_close(struct receipt_port *port);
/* The profile for this printer: named is the config's choice ("auto": from the printer's
 * IEEE 1284 ID where the link can ask, else generic-80mm). Never NULL. */
const struct escpos_profile *receipt_port_profile(struct receipt_port *port, const char *named);
