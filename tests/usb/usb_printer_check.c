/* The host side of the USB printer end-to-end test (tools/test-usb.sh, in the qemu guest):
 *   usb_printer_check MATCH TEXT     (MATCH: VVVV:PPPP or class7)
 * opens the printer through transport_usb_printer (libusb; usblp detached), asks
 * GET_DEVICE_ID, GET_PORT_STATUS and SOFT_RESET, picks the profile from the device ID, then
 * sends a receipt (a QR code of TEXT at 6 dots per module with its quiet zone, a Code 128,
 * a cut) with escpos_printer and prints one JSON object of what came back. Exit 0 when the
 * job was confirmed, 1 otherwise, 2 when the printer could not be opened. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barcode.h"
#include "escpos.h"
#include "escpos_printer.h"
#include "json_out.h"
#include "transport_usb_printer.h"

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
    struct usb_link_match match;
    if (argc != 3 || usb_link_match_parse(argv[1], &match) < 0) {
        fprintf(stderr, "usage: usb_printer_check VVVV:PPPP|class7 TEXT\n");
        return 2;
    }
    struct transport *transport;
    int err = transport_usb_printer_open(NULL, &match, &transport);
    if (err < 0) {
        fprintf(stderr, "usb_printer_check: no printer at USB %s: %s\n", argv[1], usb_link_strerror(err));
        return 2;
    }
    int first = 1;
    char num[32];
    printf("{");
    json_out_member(stdout, &first, "bidirectional", transport_usb_printer_bidirectional(transport) ? "yes" : "no");
    struct escpos_device_id id;
    const struct escpos_profile *profile = NULL;
    err = transport_usb_printer_device_id(transport, &id);
    if (err == 0) {
        json_out_member(stdout, &first, "mfg", id.mfg);
        json_out_member(stdout, &first, "mdl", id.mdl);
        json_out_member(stdout, &first, "cmd", id.cmd);
        profile = escpos_profile_match(&id);
    } else {
        json_out_member(stdout, &first, "device_id_error", usb_link_strerror(err));
    }
    if (!profile)
        profile = escpos_profile_find("generic-80mm");
    json_out_member(stdout, &first, "profile", profile->name);
    struct usb_printer_port_status port;
    err = transport_usb_printer_port_status(transport, &port);
    snprintf(num, sizeof num, "0x%02x", err == 0 ? port.raw : 0);
    json_out_member(stdout, &first, "port_status", err == 0 ? num : usb_link_strerror(err));
    json_out_member(stdout, &first, "port_ready", err == 0 && port.ready ? "yes" : "no");
    err = transport_usb_printer_soft_reset(transport);
    json_out_member(stdout, &first, "soft_reset", err == 0 ? "ok" : usb_link_strerror(err));
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
    transport_close(transport);
    return status;
}
