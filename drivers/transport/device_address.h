/* Where a device is, as written in [devices] (board/BOARD/kiosk.ini):
 *   sim                           the sim board's device model
 *   /dev/ttyUSB0, /dev/usb/lp0 …  a path: the reader's serial tty, or a printer's fd (usblp)
 *   usb:0400:c35a[,0483:5652]     native USB by VID:PID (the reader: a list, first found wins)
 *   usb:class7                    the receipt printer: the first USB printer-class interface
 * The certificate printer's addresses (ipp:// URIs …) belong to its driver and pass as is. */
#pragma once
#include <stddef.h>

#include "firmware/core/msg.h"
#include "drivers/transport/usb_match.h"

enum device_address_kind { DEVICE_ADDRESS_SIM, DEVICE_ADDRESS_PATH, DEVICE_ADDRESS_USB, DEVICE_ADDRESS_OTHER };

struct device_address {
    enum device_address_kind kind;
    const char *path;            /* DEVICE_ADDRESS_PATH / _OTHER: points into the parsed text */
    struct usb_link_match usb;   /* DEVICE_ADDRESS_USB */
};

/* Parses text for device. 0, or -EINVAL with one line in reason saying what is allowed. */
int device_address_parse(enum device_id device, const char *text, struct device_address *address, char *reason,
                         size_t reason_size);
