/* pcl_usb: USB printer-class requests for the PCL job runner (see pcl_usb.h). */
#include "pcl_usb.h"

#include "transport_usb_printer.h"

int pcl_usb_port_status(void *usb_printer_transport, uint8_t *status)
{
    struct usb_printer_port_status port;
    int rc = transport_usb_printer_port_status(usb_printer_transport, &port);
    if (rc < 0)
        return rc;
    *status = port.raw;
    return 0;
}

int pcl_usb_soft_reset(void *usb_printer_transport)
{
    return transport_usb_printer_soft_reset(usb_printer_transport);
}
