#include "drivers/transport/device_address.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int device_address_parse(enum device_id device, const char *text, struct device_address *address, char *reason,
                         size_t reason_size)
{
    memset(address, 0, sizeof *address);
    if (reason_size)
        reason[0] = '\0';
    if (!text || !text[0]) {
        snprintf(reason, reason_size, "%s needs an address (a tty path, usb:VID:PID, a URI, or sim)",
                 msg_device_name(device));
        return -EINVAL;
    }
    if (!strcmp(text, "sim")) {
        address->kind = DEVICE_ADDRESS_SIM;
        return 0;
    }
    if (device == DEVICE_CERT_PRINTER) {
        address->kind = DEVICE_ADDRESS_OTHER;
        address->path = text;
        return 0;
    }
    if (text[0] == '/') {
        address->kind = DEVICE_ADDRESS_PATH;
        address->path = text;
        return 0;
    }
    if (!strncmp(text, "usb:", 4) && usb_link_match_parse(text + 4, &address->usb) == 0) {
        /* The reader may be one of several models; a printer is one device, or any of class 7. */
        bool ok = device == DEVICE_IDCARD_READER ? !address->usb.printer_class : address->usb.count <= 1;
        if (ok) {
            address->kind = DEVICE_ADDRESS_USB;
            return 0;
        }
    }
    if (device == DEVICE_IDCARD_READER)
        snprintf(reason, reason_size,
                 "idcard_reader must be sim, a tty path (/dev/ttyUSB0) or usb:VVVV:PPPP[,VVVV:PPPP...] (hex)");
    else
        snprintf(reason, reason_size,
                 "receipt_printer must be sim, usb:VVVV:PPPP (hex), usb:class7 or a device path (/dev/usb/lp0)");
    return -EINVAL;
}
