/* A plain file descriptor as a struct transport: /dev/usb/lpN on boards that keep usblp, a
 * pty with a device model on its far side, or a regular file (a job captured to disk). No
 * termios (use transport_serial for a tty that needs a line rate); every write and read
 * waits in poll() with the timeout, the fd is non-blocking, so usblp's write (which blocks
 * per 8 KiB URB and never times out by itself) cannot hang the caller. */
#pragma once
#include "drivers/transport/transport.h"

/* Opens path read-write (write-only when the device refuses reads). 0 with *out, or a
 * negative errno: -ENOENT, -EACCES, -EBUSY (usblp has one opener) ... */
int transport_fd_open(const char *path, struct transport **out);
/* The descriptor, for a device's own ioctls (usblp's LPGETSTATUS and soft reset: pcl_usb.h),
 * or -1 when transport is not an fd transport. */
int transport_fd_descriptor(struct transport *transport);
/* For transport_serial: takes over fd, a tty already in raw mode, with the same poll-based
 * I/O under the name "serial". The fd is closed on failure too. 0 or -ENOMEM. */
int transport_fd_adopt_tty(int fd, struct transport **out);
/* The tty of a transport from transport_fd_adopt_tty (for termios), or -1. */
int transport_fd_tty_descriptor(struct transport *transport);
