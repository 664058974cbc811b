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

#include "drivers/transport/usb_match.h"

struct usb_link;         /* a libusb context, plus hotplug state */
struct usb_link_device;  /* one opened device with one claimed interface */

/* libusb_init. 0, -ENOSYS when libusb cannot work here at all, -ENOMEM. */
int usb_link_open(struct usb_link **out);
void usb_link_close(struct usb_link *link);
/* Whether libusb delivers hotplug events here. */
bool usb_link_has_hotplug(const struct usb_link *link);

/* Finds the first device that matches, opens it, picks the interface (class 7 for a printer
 * match, else the first interface with bulk endpoints), detaches its kernel driver (usblp),
 * claims it. link NULL: the device gets a link of its own (usb_link_open's errors), closed
 * with it, so a one-off user (kioskctl, a transport) needs no link of its own to track.
 * 0 with *out, or a negative errno (-ENODEV: none attached; -ENOSYS: no USB host
 * controller at all, not even a root hub). */
int usb_link_device_open(struct usb_link *link, const struct usb_link_match *match, struct usb_link_device **out);
/* Releases the interface, re-attaches the kernel driver if one was detached, closes (and
 * closes the device's own link, if it has one). NULL is nothing to do. */
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
