/* The host side of the USB printer end-to-end test (tests/usb/usb-e2e.sh, in the qemu guest):
 *   usb_printer_check ADDRESS TEXT [PROFILE]
 * opens the printer as the receipt worker does (receipt_port_open): for usb:class7 or
 * usb:VVVV:PPPP through transport_usb_printer (libusb; usblp detached), asking GET_DEVICE_ID,
 * GET_PORT_STATUS and SOFT_RESET and picking the profile from the device ID; for a path
 * (/dev/usb/lp0, usblp kept) through transport_fd with PROFILE. Then it
 * sends a receipt (a QR code of TEXT at 6 dots per module with its quiet zone, a Code 128,
 * a cut) with escpos_printer and prints one JSON object of what came back. Exit 0 when the
 * job was confirmed, 1 otherwise, 2 when the printer could not be opened. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/print/barcode.h"
#include "drivers/escpos/escpos.h"
#include "drivers/escpos/escpos_printer.h"
#include "firmware/core/json_out.h"
#include "drivers/escpos/receipt_port.h"
#include "drivers/transport/transport_usb_printer.h"

#define USB_PRINTER_CHECK_DOTS 6 /* per QR module */

static int usb_printer_check_job(const char *text, struct escpos_buffer *job, const struct escpos_profile *profile)
{
    struct barcode_matrix qr;
    char err[256];
    if (barcode_make_qr(text, BARCODE_QR_ECC_M, &qr, err, sizeof err) < 0) {
        fprintf(stderr, "usb_printer_check: QR: %s\n", err);
        return -1;
    }
    int side = (qr.width + 2 * BARCODE_QR_QUIET_MODULES) * USB_PRINTER_CHECK_DOTS;
    int rows = (side + 7) / 8 * 8;
    int stride = 72;
    uint8_t *bits = calloc((size_t)stride * (size_t)rows, 1);
    if (!bits) {
        barcode_free(&qr);
        return -1;
    }
    int left = (576 - side) / 2;
    for (int y = 0; y < qr.height * USB_PRINTER_CHECK_DOTS; y++)
        for (int x = 0; x < qr.width * USB_PRINTER_CHECK_DOTS; x++)
            if (barcode_module_dark(&qr, x / USB_PRINTER_CHECK_DOTS, y / USB_PRINTER_CHECK_DOTS)) {
                int px = left + BARCODE_QR_QUIET_MODULES * USB_PRINTER_CHECK_DOTS + x;
                int py = BARCODE_QR_QUIET_MODULES * USB_PRINTER_CHECK_DOTS + y;
                bits[(size_t)py * (size_t)stride + (size_t)(px / 8)] |= (uint8_t)(0x80 >> (px % 8));
            }
    barcode_free(&qr);
    struct escpos_bitmap bitmap = { bits, 576, rows, stride };
    int rc = escpos_append_init(job) | escpos_append_align(job, ESCPOS_ALIGN_LEFT) | escpos_append_raster(job, &bitmap) |
             escpos_append_code128(job, "SQ-2026-0001", 80, 2, ESCPOS_HRI_NONE) | escpos_append_feed(job, 3) |
             escpos_append_cut(job, escpos_profile_cut(profile), 0);
    free(bits);
    return rc < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: usb_printer_check usb:VVVV:PPPP|usb:class7|PATH TEXT [PROFILE]\n");
        return 2;
    }
    struct receipt_port port_link;
    char why[300];
    int err = receipt_port_open(argv[1], &port_link, why, sizeof why);
    if (err < 0) {
        fprintf(stderr, "usb_printer_check: %s\n", why);
        return 2;
    }
    struct transport *transport = port_link.transport;
    int first = 1;
    char num[32];
    const struct escpos_profile *profile = argc == 4 ? escpos_profile_find(argv[3]) : NULL;
    printf("{");
    json_out_member(stdout, &first, "transport", transport->ops->name);
    if (!strncmp(argv[1], "usb:", 4)) {
        json_out_member(stdout, &first, "bidirectional", transport_usb_printer_bidirectional(transport) ? "yes" : "no");
        struct escpos_device_id id;
        err = transport_usb_printer_device_id(transport, &id);
        if (err == 0) {
            json_out_member(stdout, &first, "mfg", id.mfg);
            json_out_member(stdout, &first, "mdl", id.mdl);
            json_out_member(stdout, &first, "cmd", id.cmd);
            profile = escpos_profile_match(&id);
        } else {
            json_out_member(stdout, &first, "device_id_error", usb_link_strerror(err));
        }
    }
    if (!profile)
        profile = escpos_profile_find("generic-80mm");
    json_out_member(stdout, &first, "profile", profile->name);
    if (!strncmp(argv[1], "usb:", 4)) {
        struct usb_printer_port_status port;
        err = transport_usb_printer_port_status(transport, &port);
        snprintf(num, sizeof num, "0x%02x", err == 0 ? port.raw : 0);
        json_out_member(stdout, &first, "port_status", err == 0 ? num : usb_link_strerror(err));
        json_out_member(stdout, &first, "port_ready", err == 0 && port.ready ? "yes" : "no");
        err = transport_usb_printer_soft_reset(transport);
        json_out_member(stdout, &first, "soft_reset", err == 0 ? "ok" : usb_link_strerror(err));
    }
    struct escpos_buffer job;
    escpos_buffer_init(&job);
    int status = 1;
    if (usb_printer_check_job(argv[2], &job, profile) == 0) {
        struct escpos_printer printer;
        escpos_printer_init(&printer, transport, profile);
        printer.confirm_timeout_ms = 10000;
        struct escpos_job_result result;
        escpos_printer_send_job(&printer, job.bytes, job.len, &result);
        static const char *const outcomes[] = { "confirmed", "sent-unconfirmed", "failed-retryable", "failed-final" };
        json_out_member(stdout, &first, "outcome", outcomes[result.outcome]);
        json_out_member(stdout, &first, "reason", escpos_job_reason_text(result.reason));
        snprintf(num, sizeof num, "%zu", result.bytes_sent);
        json_out_member(stdout, &first, "bytes_sent", num);
        snprintf(num, sizeof num, "%zu", job.len);
        json_out_member(stdout, &first, "job_bytes", num);
        status = result.outcome == ESCPOS_JOB_CONFIRMED ? 0 : 1;
    }
    printf("}\n");
    escpos_buffer_free(&job);
    receipt_port_close(&port_link);
    return status;
}
