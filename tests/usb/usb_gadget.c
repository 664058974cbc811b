/* The device side of the USB end-to-end test (tests/usb/test-usb.sh, inside a qemu guest with
 * dummy_hcd): the sim's device models behind real USB gadgets, so the kiosk's drivers talk
 * to them through the kernel's USB stack and libusb exactly as to hardware.
 *
 *   usb_gadget idcard FFS_DIR [FIXTURE [FIFO]]  a GA 467 reader on FunctionFS (at FFS_DIR):
 *       one vendor interface with four bulk endpoints, listed IN header, OUT header, IN
 *       body, OUT body; the reader model (board/sim/idcard_model) answers behind a pty. A
 *       request arrives as preamble+Len on the OUT header pipe and CMD..CHK on the OUT body
 *       pipe and goes to the model's pty as one frame; each reply frame from the pty goes
 *       out split the same way on the two IN pipes (idcard-ga467.md "Native USB"). Lines
 *       "place FIXTURE" / "remove" written to FIFO move the card, as a hand would.
 *   usb_gadget printer DEV OUT_DIR        a USB printer-class gadget (usb_f_printer, DEV =
 *       /dev/g_printer0) bridged to the receipt printer model (board/sim/escpos_model),
 *       which writes each cut receipt as OUT_DIR/receipt-NNNN.png. Port status is set to
 *       0x18 (selected, no error) as a healthy printer reports it.
 * Prints "ready" on stdout once the host may be connected (the descriptors are written),
 * then serves until killed. */
#include <errno.h>
#include <fcntl.h>
#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>
#include <linux/usb/g_printer.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "board/sim/escpos_model.h"
#include "board/sim/idcard_model.h"

/* FunctionFS wants little-endian fields; htole32 is not a constant expression, and the test
 * runs on x86 only. */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "usb_gadget writes little-endian descriptors as they are in memory"
#endif
#define LE32(x) ((__le32)(x))
#define LE16(x) ((__le16)(x))

static void usb_gadget_die(const char *what)
{
    fprintf(stderr, "usb_gadget: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void usb_gadget_write_all(int fd, const uint8_t *bytes, size_t len, const char *what)
{
    while (len) {
        ssize_t n = write(fd, bytes, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            /* The host went away (the gadget was unbound: unplugged): the frame is lost, as
             * it would be on a cable pulled mid-reply. */
            if (errno == ESHUTDOWN || errno == ENODEV || errno == ECONNRESET)
                return;
            usb_gadget_die(what);
        }
        bytes += n;
        len -= (size_t)n;
    }
}

/* ---- GA 467 reader on FunctionFS ---- */

struct usb_gadget_interface {
    struct usb_interface_descriptor intf;
    struct usb_endpoint_descriptor_no_audio in_header, out_header, in_body, out_body;
} __attribute__((packed));

static const struct {
    struct usb_functionfs_descs_head_v2 header;
    __le32 fs_count, hs_count;
    struct usb_gadget_interface fs, hs;
} __attribute__((packed)) usb_gadget_idcard_descriptors = {
    .header = { .magic = LE32(FUNCTIONFS_DESCRIPTORS_MAGIC_V2),
                .flags = LE32(FUNCTIONFS_HAS_FS_DESC | FUNCTIONFS_HAS_HS_DESC),
                .length = LE32(sizeof usb_gadget_idcard_descriptors) },
    .fs_count = LE32(5),
    .hs_count = LE32(5),
#define USB_GADGET_EP(addr, size) \
    { .bLength = USB_DT_ENDPOINT_SIZE, .bDescriptorType = USB_DT_ENDPOINT, .bEndpointAddress = (addr), \
      .bmAttributes = USB_ENDPOINT_XFER_BULK, .wMaxPacketSize = LE16(size) }
#define USB_GADGET_INTERFACE(size)                                                                    \
    { .intf = { .bLength = sizeof(struct usb_interface_descriptor), .bDescriptorType = USB_DT_INTERFACE, \
                .bNumEndpoints = 4, .bInterfaceClass = USB_CLASS_VENDOR_SPEC, .iInterface = 1 },          \
      .in_header = USB_GADGET_EP(1 | USB_DIR_IN, size), .out_header = USB_GADGET_EP(2 | USB_DIR_OUT, size), \
      .in_body = USB_GADGET_EP(5 | USB_DIR_IN, size), .out_body = USB_GADGET_EP(6 | USB_DIR_OUT, size) }
    .fs = USB_GADGET_INTERFACE(64),
    .hs = USB_GADGET_INTERFACE(512),
};

static const struct {
    struct usb_functionfs_strings_head header;
    struct {
        __le16 code;
        const char text[sizeof "GA467 SAM reader"];
    } __attribute__((packed)) lang0;
} __attribute__((packed)) usb_gadget_idcard_strings = {
    .header = { .magic = LE32(FUNCTIONFS_STRINGS_MAGIC), .length = LE32(sizeof usb_gadget_idcard_strings),
                .str_count = LE32(1), .lang_count = LE32(1) },
    .lang0 = { LE16(0x0409), "GA467 SAM reader" },
};

/* The ep files, in descriptor order: ep1 IN header, ep2 OUT header, ep3 IN body, ep4 OUT body. */
static int usb_gadget_ep[5];
static int usb_gadget_pty;

/* Host to reader: a header transfer, then a body transfer, to the model as one frame. */
static void *usb_gadget_idcard_requests(void *arg)
{
    (void)arg;
    uint8_t frame[1024];
    for (;;) {
        ssize_t h = read(usb_gadget_ep[2], frame, 512);
        if (h < 0) {
            if (errno == EINTR)
                continue;
            if (errno == ESHUTDOWN || errno == ENODEV || errno == ECONNRESET) {
                usleep(20 * 1000); /* unplugged: wait for the host to come back */
                continue;
            }
            usb_gadget_die("read OUT header");
        }
        ssize_t b = 0;
        if (h >= 7) {
            size_t want = (size_t)frame[5] << 8 | frame[6];
            while ((size_t)b < want) {
                ssize_t n = read(usb_gadget_ep[4], frame + h + b, 512);
                if (n < 0 && errno == EINTR)
                    continue;
                if (n < 0 && (errno == ESHUTDOWN || errno == ENODEV || errno == ECONNRESET))
                    break; /* unplugged mid-frame: the half frame goes nowhere */
                if (n < 0)
                    usb_gadget_die("read OUT body");
                b += n;
            }
        }
        if (h >= 7 && (size_t)b < ((size_t)frame[5] << 8 | frame[6]))
            continue;
        usb_gadget_write_all(usb_gadget_pty, frame, (size_t)(h + b), "write to the reader model");
    }
    return NULL;
}

/* Reader to host: each reply frame from the model, split over the two IN pipes. */
static void usb_gadget_idcard_replies(void)
{
    static uint8_t buf[8192];
    size_t have = 0;
    for (;;) {
        ssize_t n = read(usb_gadget_pty, buf + have, sizeof buf - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            usb_gadget_die("read from the reader model");
        have += (size_t)n;
        for (;;) {
            /* to the preamble */
            size_t start = 0;
            while (start + 5 <= have && memcmp(buf + start, "\xAA\xAA\xAA\x96\x69", 5))
                start++;
            if (start) {
                memmove(buf, buf + start, have - start);
                have -= start;
            }
            if (have < 7)
                break;
            size_t frame = 7 + ((size_t)buf[5] << 8 | buf[6]);
            if (have < frame)
                break;
            usb_gadget_write_all(usb_gadget_ep[1], buf, 7, "write IN header");
            usb_gadget_write_all(usb_gadget_ep[3], buf + 7, frame - 7, "write IN body");
            memmove(buf, buf + frame, have - frame);
            have -= frame;
        }
    }
}

/* ep0 events (bind, enable, setup ...) must be read so the queue never fills. */
static void *usb_gadget_ep0_events(void *arg)
{
    int ep0 = *(int *)arg;
    struct usb_functionfs_event events[4];
    for (;;) {
        ssize_t n = read(ep0, events, sizeof events);
        if (n < 0 && errno != EINTR)
            return NULL;
    }
}

/* Lines from the control FIFO move the card: "place FIXTURE" or "remove". */
static struct idcard_model *usb_gadget_reader;
static const char *usb_gadget_control_path;

static void *usb_gadget_idcard_control(void *arg)
{
    (void)arg;
    for (;;) {
        FILE *f = fopen(usb_gadget_control_path, "r"); /* blocks until a writer opens it */
        if (!f)
            return NULL;
        char line[128];
        while (fgets(line, sizeof line, f)) {
            line[strcspn(line, "\n")] = '\0';
            if (!strncmp(line, "place ", 6))
                idcard_model_place_card(usb_gadget_reader, line + 6);
            else if (!strcmp(line, "remove"))
                idcard_model_remove_card(usb_gadget_reader);
        }
        fclose(f);
    }
}

static int usb_gadget_idcard(const char *ffs, const char *fixture, const char *control)
{
    char path[512];
    snprintf(path, sizeof path, "%s/ep0", ffs);
    static int ep0;
    ep0 = open(path, O_RDWR);
    if (ep0 < 0)
        usb_gadget_die(path);
    usb_gadget_write_all(ep0, (const uint8_t *)&usb_gadget_idcard_descriptors, sizeof usb_gadget_idcard_descriptors,
                         "write descriptors");
    usb_gadget_write_all(ep0, (const uint8_t *)&usb_gadget_idcard_strings, sizeof usb_gadget_idcard_strings,
                         "write strings");
    for (int i = 1; i <= 4; i++) {
        snprintf(path, sizeof path, "%s/ep%d", ffs, i);
        usb_gadget_ep[i] = open(path, O_RDWR);
        if (usb_gadget_ep[i] < 0)
            usb_gadget_die(path);
    }
    struct idcard_model *model;
    struct idcard_model_options options = { .baud = 115200, .delay_ms = 20, .card = fixture };
    int err = idcard_model_start(&model, &options);
    if (err < 0) {
        fprintf(stderr, "usb_gadget: reader model: %s\n", strerror(-err));
        return 1;
    }
    usb_gadget_pty = open(idcard_model_slave_path(model), O_RDWR | O_NOCTTY);
    if (usb_gadget_pty < 0)
        usb_gadget_die("open the reader model's pty");
    pthread_t requests, events, controls;
    usb_gadget_reader = model;
    usb_gadget_control_path = control;
    if (control)
        pthread_create(&controls, NULL, usb_gadget_idcard_control, NULL);
    pthread_create(&events, NULL, usb_gadget_ep0_events, &ep0);
    pthread_create(&requests, NULL, usb_gadget_idcard_requests, NULL);
    printf("ready\n");
    fflush(stdout);
    usb_gadget_idcard_replies();
    return 0;
}

/* ---- receipt printer on usb_f_printer ---- */

static int usb_gadget_printer(const char *dev, const char *out_dir)
{
    /* The node exists from the function's creation; it opens (no ENODEV) once the host has
     * configured the gadget. */
    int g = -1;
    for (int tries = 0; g < 0 && tries < 100; tries++) {
        g = open(dev, O_RDWR);
        if (g < 0 && errno != ENODEV)
            break;
        if (g < 0)
            usleep(50 * 1000);
    }
    if (g < 0)
        usb_gadget_die(dev);
    /* What GET_PORT_STATUS reports: a healthy printer, 0x18. */
    if (ioctl(g, GADGET_SET_PRINTER_STATUS, (unsigned long)(PRINTER_SELECTED | PRINTER_NOT_ERROR)) < 0)
        usb_gadget_die("GADGET_SET_PRINTER_STATUS");
    struct escpos_model *model;
    struct escpos_model_options options = { .out_dir = out_dir, .width_dots = 576 };
    int err = escpos_model_start(&model, &options);
    if (err < 0) {
        fprintf(stderr, "usb_gadget: printer model: %s\n", strerror(-err));
        return 1;
    }
    int pty = open(escpos_model_slave_path(model), O_RDWR | O_NOCTTY);
    if (pty < 0)
        usb_gadget_die("open the printer model's pty");
    printf("ready\n");
    fflush(stdout);
    uint8_t buf[4096];
    for (;;) {
        struct pollfd p[2] = { { .fd = g, .events = POLLIN }, { .fd = pty, .events = POLLIN } };
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            usb_gadget_die("poll");
        }
        if (p[0].revents & POLLIN) {
            ssize_t n = read(g, buf, sizeof buf);
            if (n < 0 && errno != EINTR && errno != EAGAIN)
                usb_gadget_die("read g_printer");
            if (n > 0)
                usb_gadget_write_all(pty, buf, (size_t)n, "write to the printer model");
        }
        if (p[1].revents & POLLIN) {
            ssize_t n = read(pty, buf, sizeof buf);
            if (n <= 0)
                usb_gadget_die("read from the printer model");
            usb_gadget_write_all(g, buf, (size_t)n, "write g_printer");
        }
    }
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "idcard"))
        return usb_gadget_idcard(argv[2], argc >= 4 ? argv[3] : NULL, argc >= 5 ? argv[4] : NULL);
    if (argc == 4 && !strcmp(argv[1], "printer"))
        return usb_gadget_printer(argv[2], argv[3]);
    fprintf(stderr, "usage: usb_gadget idcard FFS_DIR [FIXTURE [CONTROL_FIFO]] | printer /dev/g_printer0 OUT_DIR\n");
    return 2;
}
