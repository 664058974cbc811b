/* A USB printer-class device (interface class 7, e.g. an 80 mm ESC/POS receipt printer) as
 * a struct transport through libusb: found by VID:PID or by class, usblp detached, bulk OUT
 * for the job and bulk IN (protocol 2, bidirectional) for DLE EOT / GS r replies, endpoints
 * from the descriptors, every transfer with a timeout. Plus the class requests
 * (printers.md A6): GET_DEVICE_ID (parsed by escpos_profile's IEEE 1284 parser),
 * GET_PORT_STATUS, SOFT_RESET. escpos_printer runs on it unchanged. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "drivers/escpos/escpos_profile.h"
#include "drivers/transport/transport.h"
#include "drivers/transport/usb_link.h"

/* GET_PORT_STATUS's one byte (the old Centronics lines). */
#define USB_PRINTER_PORT_PAPER_EMPTY 0x20
#define USB_PRINTER_PORT_SELECTED    0x10
#define USB_PRINTER_PORT_NO_ERROR    0x08

struct usb_printer_port_status {
    uint8_t raw;
    bool paper_empty;
    bool selected;
    bool no_error;
    bool ready; /* selected, no error, paper in: 0x18 */
};
void usb_printer_port_status_decode(uint8_t byte, struct usb_printer_port_status *status);

/* link: kept by the caller, or NULL to have the transport open and own one. 0 with *out,
 * or a negative errno (usb_link.h); -EPROTO when the interface has no bulk OUT. */
int transport_usb_printer_open(struct usb_link *link, const struct usb_link_match *match, struct transport **out);
/* True when the interface has a bulk IN (protocol 2): status replies can come back. */
bool transport_usb_printer_bidirectional(const struct transport *transport);
/* The class requests; each 0 or a negative errno (-EINVAL: not a USB printer transport;
 * -EBADMSG: a device ID without MFG or MDL). */
int transport_usb_printer_device_id(struct transport *transport, struct escpos_device_id *id);
int transport_usb_printer_port_status(struct transport *transport, struct usb_printer_port_status *status);
int transport_usb_printer_soft_reset(struct transport *transport);
