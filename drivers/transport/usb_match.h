/* The pure parts of USB device selection (no libusb here, so the config checker and its
 * fuzzer need no USB library): VID:PID and match lists as written in [devices], and which
 * endpoints of an interface descriptor are which pipe. usb_link does the USB itself. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define USB_LINK_IDS_MAX 8
#define USB_LINK_CLASS_PRINTER 7

struct usb_link_id {
    uint16_t vid, pid;
};

/* Which device: any of ids[], or (printer_class) the first interface of class 7. */
struct usb_link_match {
    size_t count;
    struct usb_link_id ids[USB_LINK_IDS_MAX];
    bool printer_class;
};

/* "0400:c35a" (four hex digits each side, any case). 0 or -EINVAL. */
int usb_link_id_parse(const char *text, struct usb_link_id *id);
/* "0400:c35a,0483:5652" (1..USB_LINK_IDS_MAX ids) or "class7". 0 or -EINVAL. */
int usb_link_match_parse(const char *text, struct usb_link_match *match);
/* The match written back as text ("0400:c35a,0483:5652" / "class7") for messages. */
void usb_link_match_format(const struct usb_link_match *match, char *out, size_t size);

/* An endpoint as the interface descriptor lists it (what selection needs, no libusb types). */
enum usb_link_transfer_type { USB_LINK_CONTROL, USB_LINK_ISOCHRONOUS, USB_LINK_BULK, USB_LINK_INTERRUPT };
struct usb_link_endpoint {
    uint8_t address;              /* bit 7 set: IN */
    enum usb_link_transfer_type type;
    uint16_t max_packet;
};

/* Picks, in descriptor order, the first `outs` bulk OUT and `ins` bulk IN endpoints into
 * out_eps[] / in_eps[] (addresses). 0, or -EPROTO when the interface has fewer. Descriptor
 * order, not addresses, says which pipe is which: a gadget or another firmware may number
 * them differently. */
int usb_link_pick_bulk(const struct usb_link_endpoint *eps, size_t count, size_t outs, uint8_t *out_eps,
                       size_t ins, uint8_t *in_eps);
