/* pcl_usb: USB printer-class requests for the PCL job runner (see pcl_usb.h). */
#include "drivers/certprinter/pcl_usb.h"

#include <errno.h>
#include <linux/lp.h>
#include <sys/ioctl.h>

#include "drivers/transport/transport_fd.h"
#include "drivers/transport/transport_usb_printer.h"

/* usblp's new-style ioctl numbers ('P', nr, no data): 7 is IOCNR_SOFT_RESET. */
#define PCL_USBLP_SOFT_RESET _IOC(_IOC_NONE, 'P', 7, 0)

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

int pcl_lp_port_status(void *fd_transport, uint8_t *status)
{
    int fd = transport_fd_descriptor(fd_transport);
    if (fd < 0)
        return -EINVAL;
    int value = 0;
    if (ioctl(fd, LPGETSTATUS, &value) < 0)
        return errno == ENODEV ? -ENODEV : -ENOTTY;
    *status = (uint8_t)value;
    return 0;
}

int pcl_lp_soft_reset(void *fd_transport)
{
    int fd = transport_fd_descriptor(fd_transport);
    if (fd < 0)
        return -EINVAL;
    return ioctl(fd, PCL_USBLP_SOFT_RESET) < 0 ? -errno : 0;
}
