/* kioskctl print-test KIND ...: a technician prints a test page and reads the printer's state.
 * The receipt kind lives here; the certificate printer's kinds (licence, calibration) join
 * this dispatcher in their own files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "firmware/storage/config.h"
#include "drivers/escpos/escpos.h"
#include "drivers/escpos/escpos_printer.h"
#include "firmware/core/i18n.h"
#include "firmware/core/json_out.h"
#include "firmware/app/kioskctl.h"
#include "firmware/print/receipt.h"
#include "drivers/escpos/receipt_port.h"
#include "firmware/gfx/text.h"

/* Exit codes, as read-card's: 0 printed, 2 no printer, 3 the printer cannot print now (paper,
 * cover ...: retryable), 4 protocol error or a job that failed for good. */
enum { PRINT_TEST_OK = 0, PRINT_TEST_NO_PRINTER = 2, PRINT_TEST_NOT_READY = 3, PRINT_TEST_ERROR = 4 };

static int print_test_usage(void)
{
    fprintf(stderr, "usage: kioskctl print-test receipt (--port PATH | --usb VID:PID | --usb class7) [--profile NAME]\n"
                    "       kioskctl print-test licence|calibration --ipp URI [--timeout S] [--save-pwg FILE]\n"
                    "       kioskctl print-test licence|calibration (--port PATH | --usb VID:PID) [--config FILE] "
                    "[--timeout S] [--save-pcl FILE]\n");
    return 1;
}

/* Chinese (rare name characters too: 䶮 堃 喆 ... print from the font, not the printer's ROM),
 * a QR code and a Code 128 drawn by us, then a Code 128 from the printer's own engine. */
static int print_test_build(const struct escpos_profile *profile, const char *address, struct escpos_buffer *job,
                            char *err, size_t errlen)
{
    char when[32];
    time_t now = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime(&now));
    struct receipt *receipt = receipt_create(profile);
    if (!receipt) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    receipt_add_title(receipt, "打印测试 Print test");
    receipt_add_text(receipt, "临沂市政务服务中心 24小时自助服务区。生僻字：䶮 堃 喆 玥 赟 昇 犇 淼 垚 鑫。");
    receipt_add_row(receipt, "型号 Profile", profile->name);
    receipt_add_row(receipt, "接口 Port", address);
    receipt_add_row(receipt, "宽度 Width", profile->width_dots == 576 ? "576 dots / 80 mm" : "384 dots / 58 mm");
    receipt_add_separator(receipt);
    receipt_add_qr(receipt, "https://zwfw.linyi.example/print-test", "二维码 QR code");
    receipt_add_barcode(receipt, "KIOSK-RASTER-128");
    receipt_add_footer(receipt, "print-test", when);
    struct print_bitmap image;
    int rc = receipt_finish(receipt, &image, NULL, err, errlen);
    receipt_free(receipt);
    if (rc < 0)
        return rc;
    const struct escpos_bitmap bitmap = { image.bits, image.width, image.height, image.stride };
    int cut = escpos_profile_cut(profile);
    rc = escpos_append_init(job);
    if (!rc)
        rc = escpos_append_raster(job, &bitmap);
    if (!rc)
        rc = escpos_append_align(job, ESCPOS_ALIGN_CENTER);
    if (!rc) /* the printer's own barcode engine: a technician sees both side by side */
        rc = escpos_append_code128(job, "KIOSK-PRINTER-128", 80, 2, ESCPOS_HRI_BELOW);
    if (!rc) /* white under the bars and their digits, before the cut */
        rc = escpos_append_feed(job, 4);
    if (!rc)
        rc = escpos_append_cut(job, (enum escpos_cut)cut, 0);
    print_bitmap_free(&image);
    if (rc < 0)
        snprintf(err, errlen, "cannot encode the test receipt");
    return rc;
}

static const char *print_test_outcome_name(enum escpos_job_outcome outcome)
{
    switch (outcome) {
    case ESCPOS_JOB_CONFIRMED: return "printed";
    case ESCPOS_JOB_SENT_UNCONFIRMED: return "sent-unconfirmed";
    case ESCPOS_JOB_FAILED_RETRYABLE: return "failed-retryable";
    case ESCPOS_JOB_FAILED_FINAL: return "failed";
    }
    return "?";
}

static void print_test_report(const struct escpos_profile *profile, const struct escpos_job_result *result,
                              const struct escpos_status *status, bool status_known)
{
    int first = 1;
    char number[32];
    printf("{");
    json_out_member(stdout, &first, "printer", "receipt");
    json_out_member(stdout, &first, "profile", profile->name);
    json_out_member(stdout, &first, "result", print_test_outcome_name(result->outcome));
    if (result->outcome != ESCPOS_JOB_CONFIRMED && result->outcome != ESCPOS_JOB_SENT_UNCONFIRMED)
        json_out_member(stdout, &first, "reason", result->reason == ESCPOS_JOB_REASON_PRINTER_CONDITION
                                                      ? escpos_condition_technician_text(result->condition)
                                                      : escpos_job_reason_text(result->reason));
    snprintf(number, sizeof number, "%zu", result->bytes_sent);
    printf(",\"bytes_sent\":%s", number);
    if (status_known) {
        printf(",\"status\":{\"condition\":");
        json_out_string(stdout, escpos_condition_technician_text(escpos_status_condition(status)));
        printf(",\"offline\":%s,\"cover_open\":%s,\"paper_near_end\":%s,\"paper_end\":%s,\"cutter_error\":%s,"
               "\"unrecoverable_error\":%s,\"recoverable_error\":%s}",
               status->offline ? "true" : "false", status->cover_open ? "true" : "false",
               status->paper_near_end ? "true" : "false", status->paper_end ? "true" : "false",
               status->cutter_error ? "true" : "false", status->unrecoverable_error ? "true" : "false",
               status->recoverable_error ? "true" : "false");
    } else {
        printf(",\"status\":null");
    }
    printf("}\n");
}

static int print_test_receipt(int argc, char **argv)
{
    const char *address = NULL, *profile_name = "auto";
    char usb_address[80];
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--port") && i + 1 < argc) {
            address = argv[++i];
        } else if (!strcmp(argv[i], "--usb") && i + 1 < argc) {
            snprintf(usb_address, sizeof usb_address, "usb:%s", argv[++i]);
            address = usb_address;
        } else if (!strcmp(argv[i], "--profile") && i + 1 < argc) {
            profile_name = argv[++i];
        } else {
            return print_test_usage();
        }
    }
    if (!address)
        return print_test_usage();
    if (strcmp(profile_name, "auto") && !escpos_profile_find(profile_name)) {
        fprintf(stderr, "kioskctl: unknown profile %s\n", profile_name);
        return 1;
    }
    char err[512];
    if (text_init("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                  "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2, err, sizeof err) < 0) {
        fprintf(stderr, "kioskctl: %s\n", err);
        return 1;
    }
    struct receipt_port port;
    if (receipt_port_open(address, &port, err, sizeof err) < 0) {
        fprintf(stderr, "kioskctl: %s\n", err);
        text_shutdown();
        return PRINT_TEST_NO_PRINTER;
    }
    const struct escpos_profile *profile = receipt_port_profile(&port, profile_name);
    struct escpos_buffer job;
    escpos_buffer_init(&job);
    int status_code = PRINT_TEST_ERROR;
    if (print_test_build(profile, address, &job, err, sizeof err) < 0) {
        fprintf(stderr, "kioskctl: %s\n", err);
    } else {
        struct escpos_printer printer;
        escpos_printer_init(&printer, port.transport, profile);
        printer.confirm_timeout_ms = 15000;
        struct escpos_job_result result;
        escpos_printer_send_job(&printer, job.bytes, job.len, &result);
        struct escpos_status status;
        bool known = profile->status_over_usb && escpos_printer_query_status(&printer, &status) == 0;
        print_test_report(profile, &result, &status, known);
        switch (result.outcome) {
        case ESCPOS_JOB_CONFIRMED:
        case ESCPOS_JOB_SENT_UNCONFIRMED: status_code = PRINT_TEST_OK; break;
        case ESCPOS_JOB_FAILED_RETRYABLE:
            status_code = result.reason == ESCPOS_JOB_REASON_DEVICE_GONE ? PRINT_TEST_NO_PRINTER : PRINT_TEST_NOT_READY;
            break;
        case ESCPOS_JOB_FAILED_FINAL: status_code = PRINT_TEST_ERROR; break;
        }
        if (status_code != PRINT_TEST_OK)
            fprintf(stderr, "kioskctl: the test receipt was not printed: %s\n",
                    result.reason == ESCPOS_JOB_REASON_PRINTER_CONDITION ? escpos_condition_technician_text(result.condition)
                                                                         : escpos_job_reason_text(result.reason));
    }
    escpos_buffer_free(&job);
    receipt_port_close(&port);
    text_shutdown();
    return status_code;
}

/* The certificate printer's pages: the option that names the printer picks the back end
 * (--ipp: IPP Everywhere; --port / --usb: a PCL laser). */
static int print_test_certificate(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--port") || !strcmp(argv[i], "--usb"))
            return kioskctl_print_test_pcl(argc, argv);
    return kioskctl_print_test_ipp(argc, argv);
}

int kioskctl_print_test_command(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "receipt"))
        return print_test_receipt(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "licence") || !strcmp(argv[1], "calibration")))
        return print_test_certificate(argc - 1, argv + 1);
    return print_test_usage();
}
