/* USB through libusb-1.0: the ONLY module that includes libusb.h (design section 3). It finds
 * a device by a VID:PID list or by interface class 7 (printer), opens it, detaches the
 * kernel driver (usblp) and claims the interface, reads the endpoints from the descriptors,
 * and runs bulk and control transfers, every one with a timeout. Errors are negative errno:
 *   -ENODEV    no such device (or it went away)       -ENOSYS   no USB bus on this machine
 *   -EACCES    no permission to open /dev/bus/usb/…   -EBUSY    another program holds it
 *   -ETIMEDOUT the transfer did not finish in time     -EPIPE    the endpoint stalled
 *   -EPROTO    the device lacks the endpoints asked for, -EIO   anything else
 * usb_link_strerror() turns them into one technician's line.
 *
 * Transports (transport_usb_idcard, transport_usb_printer) sit on top; protocol code never
 * sees USB. Hotplug: usb_link_wait_arrival() uses libusb's hotplug events where the platform
 * has them (LIBUSB_CAP_HAS_HOTPLUG), and otherwise just waits, so the caller rescans at its
 * own pace. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

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

struct usb_link;         /* a libusb context, plus hotplug state */
struct usb_link_device;  /* one opened device with one claimed interface */

/* libusb_init. 0, -ENOSYS when libusb cannot work here at all, -ENOMEM. */
int usb_link_open(struct usb_link **out);
void usb_link_close(struct usb_link *link);
/* Whether libusb delivers hotplug events here. */
bool usb_link_has_hotplug(const struct usb_link *link);

/* Finds the first device that matches, opens it, picks the interface (class 7 for a printer
 * match, else the first interface with bulk endpoints), detaches its kernel driver (usblp),
 * claims it. 0 with *out, or a negative errno (-ENODEV: none attached; -ENOSYS: no USB host
 * controller at all, not even a root hub). */
int usb_link_device_open(struct usb_link *link, const struct usb_link_match *match, struct usb_link_device **out);
/* Releases the interface, re-attaches the kernel driver if one was detached, closes. */
void usb_link_device_close(struct usb_link_device *device);

/* The claimed interface's endpoints in descriptor order; returns how many (<= max). */
size_t usb_link_device_endpoints(const struct usb_link_device *device, struct usb_link_endpoint *eps, size_t max);
/* Interface number, alternate setting, configuration value, protocol (printer: 1 uni, 2 bi). */
void usb_link_device_interface(const struct usb_link_device *device, int *number, int *alt, int *config,
                               int *protocol);
void usb_link_device_ids(const struct usb_link_device *device, struct usb_link_id *id);

/* One bulk transfer on endpoint (its direction from bit 7). timeout_ms < 1 is taken as 1
 * (libusb's 0 would wait forever). Returns bytes moved (an IN may return 0 for a zero-length
 * packet), or a negative errno; on -ETIMEDOUT *partial (when not NULL) gets what moved. */
ssize_t usb_link_bulk(struct usb_link_device *device, uint8_t endpoint, uint8_t *bytes, size_t len,
                      int timeout_ms, size_t *partial);
/* A control transfer; bytes moved or a negative errno. */
ssize_t usb_link_control(struct usb_link_device *device, uint8_t request_type, uint8_t request, uint16_t value,
                         uint16_t index, uint8_t *bytes, uint16_t len, int timeout_ms);
/* Clears a halt (stall) on endpoint. 0 or a negative errno. */
int usb_link_clear_halt(struct usb_link_device *device, uint8_t endpoint);

/* Waits up to timeout_ms for a device that matches to be plugged in: 1 when hotplug said
 * one arrived, 0 after the timeout (always 0 without hotplug: the caller rescans). */
int usb_link_wait_arrival(struct usb_link *link, const struct usb_link_match *match, int timeout_ms);

/* One line for a technician for the errors above. */
const char *usb_link_strerror(int err);
