/* kioskctl print-test licence|calibration --port PATH | --usb VID:PID: a test page on a PCL
 * laser, as a technician checks one on site: the page drawn with the unit's paper and
 * registration offset ([print] in the config), encoded as PCL raster, sent with the job
 * runner's timeouts and port-status checks, the end state as one JSON object on stdout.
 * Exit codes (the same as --ipp): 0 printed, 1 usage, 2 printer not answering, 3 not printed
 * (a retry may print it), 4 this printer cannot print it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board/board.h"
#include "firmware/storage/config.h"
#include "firmware/core/i18n.h"
#include "firmware/core/json_out.h"
#include "firmware/app/kioskctl.h"
#include "drivers/certprinter/pcl.h"
#include "drivers/certprinter/pcl_usb.h"
#include "firmware/print/print_layout.h"
#include "firmware/gfx/text.h"
#include "drivers/transport/transport_fd.h"
#include "drivers/transport/transport_usb_printer.h"
#include "drivers/transport/usb_link.h"

enum { PCL_TEST_PRINTED = 0, PCL_TEST_USAGE = 1, PCL_TEST_NOT_ANSWERING = 2, PCL_TEST_RETRYABLE = 3,
       PCL_TEST_FINAL = 4 };

static void pcl_test_write_json(const char *kind, const char *where, const struct config *config, const char *paper,
                                const char *print_time, const struct pcl_job_result *result, size_t job_bytes)
{
    int first = 1;
    const char *msgid = pcl_job_reason_msgid(result->reason);
    printf("{");
    json_out_member(stdout, &first, "printer", "certificate");
    json_out_member(stdout, &first, "kind", kind);
    json_out_member(stdout, &first, "port", where);
    json_out_member(stdout, &first, "language", "pcl");
    json_out_member(stdout, &first, "unit", config->unit_id);
    json_out_member(stdout, &first, "print_time", print_time);
    json_out_member(stdout, &first, "state", result->outcome == PCL_JOB_PRINTED ? "printed" : "failed");
    printf(",\"retryable\":%s", result->outcome == PCL_JOB_FAILED_RETRYABLE ? "true" : "false");
    printf(",\"pages\":%d", result->outcome == PCL_JOB_PRINTED ? 1 : 0);
    printf(",\"dpi\":300");
    json_out_member(stdout, &first, "media", paper);
    printf(",\"offset_x_decimm\":%d,\"offset_y_decimm\":%d", config->print_offset_x_decimm,
           config->print_offset_y_decimm);
    printf(",\"bytes\":%zu,\"bytes_sent\":%zu", job_bytes, result->bytes_sent);
    if (result->status_known)
        printf(",\"port_status\":%u", result->port_status);
    else
        printf(",\"port_status\":null");
    json_out_member(stdout, &first, "reason", result->reason == PCL_JOB_REASON_NONE ? "" : pcl_job_reason_text(result->reason));
    json_out_member(stdout, &first, "message", msgid ? _(msgid) : "");
    printf("}\n");
}

static int pcl_test_exit_code(const struct pcl_job_result *result)
{
    if (result->outcome == PCL_JOB_PRINTED)
        return PCL_TEST_PRINTED;
    if (result->outcome == PCL_JOB_FAILED_FINAL)
        return PCL_TEST_FINAL;
    return result->reason == PCL_JOB_REASON_DEVICE_GONE ? PCL_TEST_NOT_ANSWERING : PCL_TEST_RETRYABLE;
}

/* The page as PCL: drawn at 300 dpi with the unit's paper and offset. 0, or -1 (printed). */
static int pcl_test_encode(const char *kind, const struct config *config, const char *print_time,
                           struct pcl_buffer *job)
{
    char err[512];
    struct print_page_setup setup = { .dpi = 300, .offset_x_decimm = config->print_offset_x_decimm,
                                      .offset_y_decimm = config->print_offset_y_decimm };
    if (print_paper_parse(config->print_paper, &setup.paper) < 0)
        setup.paper = PRINT_PAPER_A4;
    if (text_init(config->font_regular, config->font_bold, config->font_face_index, err, sizeof err) < 0) {
        fprintf(stderr, "kioskctl: %s\n", err);
        return -1;
    }
    struct print_page *page;
    struct print_bitmap bitmap = { 0 };
    int rc = print_layout_draw(kind, &setup, config->unit_id, print_time, &page, err, sizeof err);
    if (rc == 0) {
        rc = print_page_to_bitmap(page, &bitmap) < 0 ? -1 : 0;
        print_page_close(page);
    } else {
        fprintf(stderr, "kioskctl: the %s page: %s\n", kind, err);
    }
    text_shutdown();
    if (rc < 0)
        return -1;
    struct pcl_bitmap pcl_page = { bitmap.bits, bitmap.width, bitmap.height, bitmap.stride };
    rc = pcl_encode_job(job, &pcl_page, setup.paper == PRINT_PAPER_A5 ? PCL_PAPER_A5 : PCL_PAPER_A4, 300);
    print_bitmap_free(&bitmap);
    if (rc < 0)
        fprintf(stderr, "kioskctl: cannot encode the page: %s\n", strerror(-rc));
    return rc < 0 ? -1 : 0;
}

int kioskctl_print_test_pcl(int argc, char **argv)
{
    const char *kind = argv[0], *port = NULL, *usb = NULL, *config_path = NULL, *save = NULL;
    double timeout_s = 5;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--port") && i + 1 < argc)
            port = argv[++i];
        else if (!strcmp(argv[i], "--usb") && i + 1 < argc)
            usb = argv[++i];
        else if (!strcmp(argv[i], "--config") && i + 1 < argc)
            config_path = argv[++i];
        else if (!strcmp(argv[i], "--save-pcl") && i + 1 < argc)
            save = argv[++i];
        else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
            if (kioskctl_parse_seconds(argv[++i], 0.1, 600, "seconds per write", &timeout_s) < 0)
                return PCL_TEST_USAGE;
        } else {
            fprintf(stderr, "kioskctl print-test %s: unknown option %s (kioskctl print-test for usage)\n", kind,
                    argv[i]);
            return PCL_TEST_USAGE;
        }
    }
    if (strcmp(kind, "licence") != 0 && strcmp(kind, "calibration") != 0) {
        fprintf(stderr, "kioskctl print-test: unknown page %s (licence or calibration)\n", kind);
        return PCL_TEST_USAGE;
    }
    if (!port == !usb) {
        fprintf(stderr, "kioskctl print-test %s: give one of --port PATH (a tty, pty or /dev/usb/lpN) and "
                        "--usb VID:PID\n", kind);
        return PCL_TEST_USAGE;
    }
    struct config config;
    char err[512];
    config_set_defaults(&config);
    if (config_path && config_load(&config, config_path, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return PCL_TEST_USAGE;
    }
    i18n_init(board_locale_dir(), "zh_CN"); /* the resident's message as the kiosk shows it */

    struct usb_link_match match;
    if (usb && usb_link_match_parse(usb, &match) < 0) {
        fprintf(stderr, "kioskctl: --usb %s: VID:PID in hex (0400:c35a) or class7\n", usb);
        return PCL_TEST_USAGE;
    }
    /* The watermark's print time, in the unit's local time as on every licence it prints. */
    char print_time[32];
    time_t now = time(NULL) + (time_t)config.utc_offset_minutes * 60;
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(print_time, sizeof print_time, "%Y-%m-%d %H:%M", &tm);
    struct pcl_buffer job;
    pcl_buffer_init(&job);
    if (pcl_test_encode(kind, &config, print_time, &job) < 0) {
        pcl_buffer_free(&job);
        return PCL_TEST_FINAL;
    }
    if (save) {
        FILE *f = fopen(save, "wb");
        if (!f || fwrite(job.bytes, 1, job.len, f) != job.len || fclose(f) != 0) {
            fprintf(stderr, "kioskctl: cannot write %s\n", save);
            pcl_buffer_free(&job);
            return PCL_TEST_USAGE;
        }
    }

    struct transport *transport = NULL;
    int rc = usb ? transport_usb_printer_open(NULL, &match, &transport) : transport_fd_open(port, &transport);
    if (rc < 0) {
        fprintf(stderr, "kioskctl: cannot open the printer at %s: %s\n", usb ? usb : port,
                usb ? usb_link_strerror(rc) : strerror(-rc));
        pcl_buffer_free(&job);
        return PCL_TEST_NOT_ANSWERING;
    }
    struct pcl_printer printer;
    pcl_printer_init(&printer, transport);
    printer.write_timeout_ms = (int)(timeout_s * 1000);
    /* USB carries the port status and the soft reset, and so does usblp through its ioctls;
     * a tty or pty answers ENOTTY and the runner goes by write timeouts alone. */
    printer.port_status = usb ? pcl_usb_port_status : pcl_lp_port_status;
    printer.soft_reset = usb ? pcl_usb_soft_reset : pcl_lp_soft_reset;
    printer.link_context = transport;
    struct pcl_job_result result;
    pcl_printer_send_job(&printer, job.bytes, job.len, &result);
    transport_close(transport);
    pcl_test_write_json(kind, usb ? usb : port, &config, config.print_paper, print_time, &result, job.len);
    if (result.outcome != PCL_JOB_PRINTED)
        fprintf(stderr, "kioskctl: not printed: %s\n", pcl_job_reason_text(result.reason));
    pcl_buffer_free(&job);
    return pcl_test_exit_code(&result);
}
