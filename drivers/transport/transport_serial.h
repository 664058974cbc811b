/* The serial transport: a tty (a reader's USB-serial bridge, /dev/ttyUSB0, /dev/ttyACM0) or
 * a pty whose far side is a device model, opened exactly the same way. Raw mode (cfmakeraw),
 * 8N1, no flow control; every read and write waits in poll() with a timeout. */
#pragma once
#include "drivers/transport/transport.h"

/* True for the rates the GA 467 reader supports: 115200, 57600, 38400, 19200, 9600. */
int transport_serial_baud_supported(int baud);
/* Opens path at baud. Returns 0 with *out set, or a negative errno: -EINVAL (a rate the
 * reader does not support), -ENOENT, -EACCES, -ENOTTY (not a terminal) ... */
int transport_serial_open(const char *path, int baud, struct transport **out);
/* Changes the line rate (after the reader accepted "set baud"). 0 or a negative errno. */
int transport_serial_set_baud(struct transport *transport, int baud);
