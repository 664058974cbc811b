#include "drivers/transport/transport_usb_printer.h"

#include "drivers/transport/transport_usb.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#define USB_PRINTER_CONTROL_TIMEOUT_MS 5000 /* CUPS' figure for the class requests */
#define USB_PRINTER_DEVICE_ID_MAX 1024
/* bmRequestType: class request, interface recipient, device to host / host to device;
 * SOFT_RESET's documented 0x23 (recipient "other") first, 0x21 as CUPS falls back. */
#define USB_PRINTER_CLASS_IN_INTERFACE  0xA1
#define USB_PRINTER_CLASS_OUT_OTHER     0x23
#define USB_PRINTER_CLASS_OUT_INTERFACE 0x21
#define USB_PRINTER_GET_DEVICE_ID  0
#define USB_PRINTER_GET_PORT_STATUS 1
#define USB_PRINTER_SOFT_RESET     2

struct transport_usb_printer {
    struct transport_usb head; /* first: base, device, rx_start/rx_end */
    uint8_t out_ep, in_ep; /* in_ep 0: unidirectional */
    uint16_t in_packet;
    int interface, alt, config;
    uint8_t rx[512];
};

static const struct transport_ops transport_usb_printer_ops;

void usb_printer_port_status_decode(uint8_t byte, struct usb_printer_port_status *status)
{
    status->raw = byte;
    status->paper_empty = byte & USB_PRINTER_PORT_PAPER_EMPTY;
    status->selected = byte & USB_PRINTER_PORT_SELECTED;
    status->no_error = byte & USB_PRINTER_PORT_NO_ERROR;
    status->ready = status->selected && status->no_error && !status->paper_empty;
}

static ssize_t transport_usb_printer_write(struct transport *transport, const uint8_t *bytes, size_t len,
                                           int timeout_ms)
{
    struct transport_usb_printer *usb = (struct transport_usb_printer *)transport;
    /* libusb's buffer is not const; the bytes are only read on an OUT transfer. */
    ssize_t n = usb_link_bulk(usb->head.device, usb->out_ep, (uint8_t *)(uintptr_t)bytes, len, timeout_ms, NULL);
    if (n < 0)
        return n;
    return (size_t)n == len ? (ssize_t)len : -EIO;
}

static ssize_t transport_usb_printer_read(struct transport *transport, uint8_t *buf, size_t len, int timeout_ms)
{
    struct transport_usb_printer *usb = (struct transport_usb_printer *)transport;
    long long deadline = transport_usb_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    if (!usb->in_ep) {
        /* Nothing can come back on a one-way printer: behave as a silent one. */
        nanosleep(&(struct timespec){ .tv_sec = timeout_ms / 1000, .tv_nsec = (long)(timeout_ms % 1000) * 1000000 },
                  NULL);
        return -ETIMEDOUT;
    }
    while (usb->head.rx_start == usb->head.rx_end) {
        usb->head.rx_start = usb->head.rx_end = 0;
        size_t ask = sizeof usb->rx / usb->in_packet * usb->in_packet;
        size_t partial = 0;
        ssize_t n = usb_link_bulk(usb->head.device, usb->in_ep, usb->rx, ask,
                                  (int)(deadline - transport_usb_now_ms()), &partial);
        if (n == -ETIMEDOUT && partial)
            n = (ssize_t)partial;
        if (n < 0)
            return n;
        usb->head.rx_end = (size_t)n;
        /* Printers answer an idle IN with a zero-length packet: keep asking until the deadline. */
        if (n == 0 && transport_usb_now_ms() >= deadline)
            return -ETIMEDOUT;
    }
    return (ssize_t)transport_usb_take_received(&usb->head, usb->rx, buf, len);
}

static void transport_usb_printer_close(struct transport *transport)
{
    struct transport_usb_printer *usb = (struct transport_usb_printer *)transport;
    transport_usb_close_device(&usb->head, sizeof *usb);
}

static const struct transport_ops transport_usb_printer_ops = {
    .name = "usb-printer",
    .write = transport_usb_printer_write,
    .read = transport_usb_printer_read,
    .close = transport_usb_printer_close,
};

int transport_usb_printer_open(struct usb_link *link, const struct usb_link_match *match, struct transport **out)
{
    *out = NULL;
    struct transport_usb *head;
    int err = transport_usb_open_device(sizeof(struct transport_usb_printer), &transport_usb_printer_ops, link,
                                        match, &head);
    if (err < 0)
        return err;
    struct transport_usb_printer *usb = (struct transport_usb_printer *)head;
    struct usb_link_endpoint eps[16];
    size_t count = usb_link_device_endpoints(head->device, eps, 16);
    int protocol;
    usb_link_device_interface(head->device, &usb->interface, &usb->alt, &usb->config, &protocol);
    err = usb_link_pick_bulk(eps, count, 1, &usb->out_ep, 0, NULL);
    if (err < 0) {
        transport_usb_close_device(head, sizeof *usb);
        return err;
    }
    /* An IN pipe where there is one (protocol 2); none on a one-way printer. */
    if (usb_link_pick_bulk(eps, count, 0, NULL, 1, &usb->in_ep) < 0)
        usb->in_ep = 0;
    usb->in_packet = 64;
    for (size_t i = 0; i < count; i++)
        if (eps[i].address == usb->in_ep && eps[i].max_packet)
            usb->in_packet = eps[i].max_packet;
    if (usb->in_packet > sizeof usb->rx)
        usb->in_packet = sizeof usb->rx;
    *out = &head->base;
    return 0;
}

bool transport_usb_printer_bidirectional(const struct transport *transport)
{
    return transport && transport->ops == &transport_usb_printer_ops &&
           ((const struct transport_usb_printer *)transport)->in_ep != 0;
}

static struct transport_usb_printer *transport_usb_printer_of(struct transport *transport)
{
    return transport && transport->ops == &transport_usb_printer_ops ? (struct transport_usb_printer *)transport
                                                                       : NULL;
}

int transport_usb_printer_device_id(struct transport *transport, struct escpos_device_id *id)
{
    struct transport_usb_printer *usb = transport_usb_printer_of(transport);
    if (!usb)
        return -EINVAL;
    uint8_t reply[USB_PRINTER_DEVICE_ID_MAX];
    /* wValue is the configuration index (value - 1), wIndex interface << 8 | alternate. */
    uint16_t config_index = (uint16_t)(usb->config > 0 ? usb->config - 1 : 0);
    ssize_t n = usb_link_control(usb->head.device, USB_PRINTER_CLASS_IN_INTERFACE, USB_PRINTER_GET_DEVICE_ID,
                                 config_index, (uint16_t)(usb->interface << 8 | usb->alt), reply, sizeof reply,
                                 USB_PRINTER_CONTROL_TIMEOUT_MS);
    if (n < 0)
        return (int)n;
    return escpos_device_id_parse_reply(reply, (size_t)n, id);
}

int transport_usb_printer_port_status(struct transport *transport, struct usb_printer_port_status *status)
{
    struct transport_usb_printer *usb = transport_usb_printer_of(transport);
    if (!usb)
        return -EINVAL;
    uint8_t byte = 0;
    ssize_t n = usb_link_control(usb->head.device, USB_PRINTER_CLASS_IN_INTERFACE, USB_PRINTER_GET_PORT_STATUS, 0,
                                 (uint16_t)usb->interface, &byte, 1, USB_PRINTER_CONTROL_TIMEOUT_MS);
    if (n < 0)
        return (int)n;
    if (n != 1)
        return -EBADMSG;
    usb_printer_port_status_decode(byte, status);
    return 0;
}

int transport_usb_printer_soft_reset(struct transport *transport)
{
    struct transport_usb_printer *usb = transport_usb_printer_of(transport);
    if (!usb)
        return -EINVAL;
    ssize_t n = usb_link_control(usb->head.device, USB_PRINTER_CLASS_OUT_OTHER, USB_PRINTER_SOFT_RESET, 0,
                                 (uint16_t)usb->interface, NULL, 0, USB_PRINTER_CONTROL_TIMEOUT_MS);
    if (n == -EPIPE || n == -EIO)
        n = usb_link_control(usb->head.device, USB_PRINTER_CLASS_OUT_INTERFACE, USB_PRINTER_SOFT_RESET, 0,
                             (uint16_t)usb->interface, NULL, 0, USB_PRINTER_CONTROL_TIMEOUT_MS);
    if (n < 0)
        return (int)n;
    /* A reset drops whatever the printer had half-said. */
    usb->head.rx_start = usb->head.rx_end = 0;
    return 0;
}
