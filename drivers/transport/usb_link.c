#include "drivers/transport/usb_link.h"

#include <errno.h>
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define USB_LINK_ENDPOINTS_MAX 16

struct usb_link {
    libusb_context *context;
    bool hotplug;
    libusb_hotplug_callback_handle hotplug_handle;
    const struct usb_link_match *waiting; /* set only inside usb_link_wait_arrival */
    bool arrived;
};

struct usb_link_device {
    libusb_device_handle *handle;
    struct usb_link_id id;
    int interface, alt, config, protocol;
    bool reattach; /* a kernel driver (usblp) was detached from the interface */
    struct usb_link *own_link; /* opened for this device alone (usb_link_device_open with no link) */
    size_t endpoint_count;
    struct usb_link_endpoint endpoints[USB_LINK_ENDPOINTS_MAX];
};

static int usb_link_errno(int libusb_error)
{
    switch (libusb_error) {
    case LIBUSB_ERROR_INVALID_PARAM: return -EINVAL;
    case LIBUSB_ERROR_ACCESS: return -EACCES;
    case LIBUSB_ERROR_NO_DEVICE: return -ENODEV;
    case LIBUSB_ERROR_NOT_FOUND: return -ENODEV;
    case LIBUSB_ERROR_BUSY: return -EBUSY;
    case LIBUSB_ERROR_TIMEOUT: return -ETIMEDOUT;
    case LIBUSB_ERROR_OVERFLOW: return -EOVERFLOW;
    case LIBUSB_ERROR_PIPE: return -EPIPE;
    case LIBUSB_ERROR_INTERRUPTED: return -EINTR;
    case LIBUSB_ERROR_NO_MEM: return -ENOMEM;
    case LIBUSB_ERROR_NOT_SUPPORTED: return -ENOTSUP;
    default: return -EIO;
    }
}

const char *usb_link_strerror(int err)
{
    switch (err) {
    case -ENOSYS: return "no USB bus on this machine (libusb finds no USB host controller)";
    case -ENODEV: return "no such USB device attached (or it was unplugged)";
    case -EACCES: return "no permission to open the USB device (udev rule or run as root)";
    case -EBUSY: return "the USB interface is held by another program";
    case -ETIMEDOUT: return "the USB transfer timed out";
    case -EPIPE: return "the USB endpoint stalled";
    case -EPROTO: return "the USB device lacks the endpoints this driver needs";
    case -EOVERFLOW: return "the USB device sent more than was asked for";
    case -ENOTSUP: return "not supported by this USB device or platform";
    default: return strerror(-err);
    }
}

static bool usb_link_config_has_printer(libusb_device *dev)
{
    struct libusb_config_descriptor *config;
    if (libusb_get_active_config_descriptor(dev, &config) < 0 && libusb_get_config_descriptor(dev, 0, &config) < 0)
        return false;
    bool found = false;
    for (int i = 0; i < config->bNumInterfaces && !found; i++)
        for (int a = 0; a < config->interface[i].num_altsetting && !found; a++)
            found = config->interface[i].altsetting[a].bInterfaceClass == LIBUSB_CLASS_PRINTER;
    libusb_free_config_descriptor(config);
    return found;
}

static bool usb_link_device_matches(libusb_device *dev, const struct usb_link_match *match)
{
    struct libusb_device_descriptor desc;
    if (libusb_get_device_descriptor(dev, &desc) < 0)
        return false;
    for (size_t i = 0; i < match->count; i++)
        if (desc.idVendor == match->ids[i].vid && desc.idProduct == match->ids[i].pid)
            return true;
    return match->printer_class && usb_link_config_has_printer(dev);
}

static int LIBUSB_CALL usb_link_hotplug_arrived(libusb_context *context, libusb_device *dev,
                                                libusb_hotplug_event event, void *user)
{
    (void)context;
    struct usb_link *link = user;
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED && link->waiting && usb_link_device_matches(dev, link->waiting))
        link->arrived = true;
    return 0; /* stay registered */
}

int usb_link_open(struct usb_link **out)
{
    *out = NULL;
    struct usb_link *link = calloc(1, sizeof *link);
    if (!link)
        return -ENOMEM;
    int rc = libusb_init(&link->context);
    if (rc < 0) {
        free(link);
        /* Linux libusb fails with OTHER/IO when it finds no usbfs: a machine without a USB
         * host controller (a VM, a container). That is "no reader", not a driver fault. */
        return rc == LIBUSB_ERROR_NO_MEM ? -ENOMEM : -ENOSYS;
    }
    if (libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) &&
        libusb_hotplug_register_callback(link->context, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED, 0,
                                         LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
                                         LIBUSB_HOTPLUG_MATCH_ANY, usb_link_hotplug_arrived, link,
                                         &link->hotplug_handle) == LIBUSB_SUCCESS)
        link->hotplug = true;
    *out = link;
    return 0;
}

void usb_link_close(struct usb_link *link)
{
    if (!link)
        return;
    if (link->hotplug)
        libusb_hotplug_deregister_callback(link->context, link->hotplug_handle);
    libusb_exit(link->context);
    free(link);
}

bool usb_link_has_hotplug(const struct usb_link *link)
{
    return link && link->hotplug;
}

static enum usb_link_transfer_type usb_link_type(uint8_t attributes)
{
    switch (attributes & LIBUSB_TRANSFER_TYPE_MASK) {
    case LIBUSB_TRANSFER_TYPE_ISOCHRONOUS: return USB_LINK_ISOCHRONOUS;
    case LIBUSB_TRANSFER_TYPE_BULK: return USB_LINK_BULK;
    case LIBUSB_TRANSFER_TYPE_INTERRUPT: return USB_LINK_INTERRUPT;
    default: return USB_LINK_CONTROL;
    }
}

/* The interface to claim: class 7 when looking for a printer (by class or by ids: a
 * printer found by VID:PID still talks on its printer interface), else the first one with
 * a bulk endpoint. Copies its endpoints into device. 0 or -EPROTO. */
static int usb_link_pick_interface(const struct libusb_config_descriptor *config, bool printer,
                                   struct usb_link_device *device)
{
    for (int pass = printer ? 0 : 1; pass < 2; pass++)
        for (int i = 0; i < config->bNumInterfaces; i++)
            for (int a = 0; a < config->interface[i].num_altsetting; a++) {
                const struct libusb_interface_descriptor *alt = &config->interface[i].altsetting[a];
                if (pass == 0 && alt->bInterfaceClass != LIBUSB_CLASS_PRINTER)
                    continue;
                bool bulk = false;
                for (int e = 0; e < alt->bNumEndpoints; e++)
                    bulk |= (alt->endpoint[e].bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) == LIBUSB_TRANSFER_TYPE_BULK;
                if (!bulk)
                    continue;
                device->interface = alt->bInterfaceNumber;
                device->alt = alt->bAlternateSetting;
                device->config = config->bConfigurationValue;
                device->protocol = alt->bInterfaceProtocol;
                device->endpoint_count = 0;
                for (int e = 0; e < alt->bNumEndpoints && e < USB_LINK_ENDPOINTS_MAX; e++) {
                    device->endpoints[e].address = alt->endpoint[e].bEndpointAddress;
                    device->endpoints[e].type = usb_link_type(alt->endpoint[e].bmAttributes);
                    device->endpoints[e].max_packet = alt->endpoint[e].wMaxPacketSize;
                    device->endpoint_count++;
                }
                return 0;
            }
    return -EPROTO;
}

static int usb_link_claim(libusb_device *dev, const struct usb_link_match *match, struct usb_link_device *device)
{
    struct libusb_device_descriptor desc;
    int rc = libusb_get_device_descriptor(dev, &desc);
    if (rc < 0)
        return usb_link_errno(rc);
    device->id = (struct usb_link_id){ desc.idVendor, desc.idProduct };
    rc = libusb_open(dev, &device->handle);
    if (rc < 0)
        return usb_link_errno(rc);
    struct libusb_config_descriptor *config;
    bool unconfigured = false;
    if (libusb_get_active_config_descriptor(dev, &config) < 0) {
        rc = libusb_get_config_descriptor(dev, 0, &config);
        if (rc < 0)
            return usb_link_errno(rc);
        unconfigured = true;
    }
    bool printer = match->printer_class || usb_link_config_has_printer(dev);
    int err = usb_link_pick_interface(config, printer, device);
    int value = config->bConfigurationValue;
    libusb_free_config_descriptor(config);
    if (err < 0)
        return err;
    if (unconfigured && (rc = libusb_set_configuration(device->handle, value)) < 0)
        return usb_link_errno(rc);
    /* usblp (or another driver) holds a printer interface: take it, give it back on close. */
    if (libusb_kernel_driver_active(device->handle, device->interface) == 1) {
        rc = libusb_detach_kernel_driver(device->handle, device->interface);
        if (rc < 0)
            return usb_link_errno(rc);
        device->reattach = true;
    }
    rc = libusb_claim_interface(device->handle, device->interface);
    if (rc < 0)
        return usb_link_errno(rc);
    if (device->alt && (rc = libusb_set_interface_alt_setting(device->handle, device->interface, device->alt)) < 0) {
        libusb_release_interface(device->handle, device->interface);
        return usb_link_errno(rc);
    }
    return 0;
}

/* usb_link_device_open on a link at hand: the first matching device that can be claimed. */
static int usb_link_claim_first_match(struct usb_link *link, const struct usb_link_match *match,
                               struct usb_link_device **out)
{
    libusb_device **list;
    ssize_t count = libusb_get_device_list(link->context, &list);
    if (count < 0)
        return usb_link_errno((int)count);
    /* Every host controller shows up as a root hub: none at all means no USB bus here (a VM
     * or container without one), which a technician must be told apart from "not plugged in". */
    int err = count == 0 ? -ENOSYS : -ENODEV;
    for (ssize_t i = 0; i < count && err == -ENODEV; i++) {
        if (!usb_link_device_matches(list[i], match))
            continue;
        struct usb_link_device *device = calloc(1, sizeof *device);
        if (!device) {
            err = -ENOMEM;
            break;
        }
        err = usb_link_claim(list[i], match, device);
        if (err == 0) {
            *out = device;
            break;
        }
        if (device->handle) {
            if (device->reattach)
                libusb_attach_kernel_driver(device->handle, device->interface);
            libusb_close(device->handle);
        }
        free(device);
        /* One that vanished between listing and opening: try the next. Any other error is
         * the answer (permission, busy), more useful than "not found". */
    }
    libusb_free_device_list(list, 1);
    return err;
}

int usb_link_device_open(struct usb_link *link, const struct usb_link_match *match, struct usb_link_device **out)
{
    *out = NULL;
    struct usb_link *own_link = NULL;
    if (!link) {
        int err = usb_link_open(&own_link);
        if (err < 0)
            return err;
        link = own_link;
    }
    int err = usb_link_claim_first_match(link, match, out);
    if (err < 0)
        usb_link_close(own_link);
    else
        (*out)->own_link = own_link;
    return err;
}

void usb_link_device_close(struct usb_link_device *device)
{
    if (!device)
        return;
    libusb_release_interface(device->handle, device->interface);
    if (device->reattach)
        libusb_attach_kernel_driver(device->handle, device->interface);
    libusb_close(device->handle);
    usb_link_close(device->own_link);
    free(device);
}

size_t usb_link_device_endpoints(const struct usb_link_device *device, struct usb_link_endpoint *eps, size_t max)
{
    size_t n = device->endpoint_count < max ? device->endpoint_count : max;
    memcpy(eps, device->endpoints, n * sizeof *eps);
    return n;
}

void usb_link_device_interface(const struct usb_link_device *device, int *number, int *alt, int *config,
                               int *protocol)
{
    *number = device->interface;
    *alt = device->alt;
    *config = device->config;
    *protocol = device->protocol;
}

void usb_link_device_ids(const struct usb_link_device *device, struct usb_link_id *id)
{
    *id = device->id;
}

/* A transfer in flight when the cable is pulled ends as a plain I/O error, not "no device":
 * ask the device for its status (a standard request every device answers) to tell an
 * unplugged reader from a transfer that failed on a device still there. */
static bool usb_link_device_answers(struct usb_link_device *device)
{
    uint8_t status[2];
    return libusb_control_transfer(device->handle, LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_STANDARD |
                                                       LIBUSB_RECIPIENT_DEVICE,
                                   LIBUSB_REQUEST_GET_STATUS, 0, 0, status, sizeof status, 200) == 2;
}

ssize_t usb_link_bulk(struct usb_link_device *device, uint8_t endpoint, uint8_t *bytes, size_t len,
                      int timeout_ms, size_t *partial)
{
    if (partial)
        *partial = 0;
    if (len > (size_t)INT32_MAX)
        return -EINVAL;
    int moved = 0;
    int rc = libusb_bulk_transfer(device->handle, endpoint, bytes, (int)len, &moved,
                                  timeout_ms < 1 ? 1u : (unsigned)timeout_ms);
    if (rc == LIBUSB_ERROR_TIMEOUT && partial)
        *partial = (size_t)moved;
    if (rc == LIBUSB_ERROR_IO && !usb_link_device_answers(device))
        return -ENODEV;
    if (rc < 0)
        return usb_link_errno(rc);
    return moved;
}

ssize_t usb_link_control(struct usb_link_device *device, uint8_t request_type, uint8_t request, uint16_t value,
                         uint16_t index, uint8_t *bytes, uint16_t len, int timeout_ms)
{
    int rc = libusb_control_transfer(device->handle, request_type, request, value, index, bytes, len,
                                     timeout_ms < 1 ? 1u : (unsigned)timeout_ms);
    return rc < 0 ? usb_link_errno(rc) : rc;
}

int usb_link_clear_halt(struct usb_link_device *device, uint8_t endpoint)
{
    int rc = libusb_clear_halt(device->handle, endpoint);
    return rc < 0 ? usb_link_errno(rc) : 0;
}

static long long usb_link_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

int usb_link_wait_arrival(struct usb_link *link, const struct usb_link_match *match, int timeout_ms)
{
    if (timeout_ms < 0)
        timeout_ms = 0;
    if (!link->hotplug) {
        nanosleep(&(struct timespec){ .tv_sec = timeout_ms / 1000, .tv_nsec = (long)(timeout_ms % 1000) * 1000000 },
                  NULL);
        return 0;
    }
    link->waiting = match;
    link->arrived = false;
    long long deadline = usb_link_now_ms() + timeout_ms;
    for (;;) {
        long long left = deadline - usb_link_now_ms();
        if (link->arrived || left <= 0)
            break;
        struct timeval tv = { .tv_sec = left / 1000, .tv_usec = (left % 1000) * 1000 };
        if (libusb_handle_events_timeout_completed(link->context, &tv, NULL) < 0) {
            /* Never spin: wait out the rest as a rescan would. */
            nanosleep(&(struct timespec){ .tv_sec = left / 1000, .tv_nsec = (long)(left % 1000) * 1000000 }, NULL);
            break;
        }
    }
    link->waiting = NULL;
    return link->arrived ? 1 : 0;
}
