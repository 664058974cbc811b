/* The USB printer class's requests in the PCL job runner's callback shapes (pcl.h): the port
 * status between chunks, a soft reset after a job given up.
 *  - pcl_usb_*: a laser on transport_usb_printer (libusb: GET_PORT_STATUS, SOFT_RESET); the
 *    context is that struct transport.
 *  - pcl_lp_*: a laser through the kernel's usblp (/dev/usb/lpN on transport_fd): the same two
 *    requests through its ioctls (LPGETSTATUS; 'P' number 7, IOCNR_SOFT_RESET, in
 *    drivers/usb/class/usblp.c). On a tty or pty they answer -ENOTTY, which the runner takes as
 *    "this link cannot tell". The context is the fd transport. */
#pragma once
#include <stdint.h>

int pcl_usb_port_status(void *usb_printer_transport, uint8_t *status);
int pcl_usb_soft_reset(void *usb_printer_transport);
int pcl_lp_port_status(void *fd_transport, uint8_t *status);
int pcl_lp_soft_reset(void *fd_transport);
