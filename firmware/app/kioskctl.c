/* kioskctl: the technician's command-line tool on the unit. Later issues add device tests
 * (print-test, card read) and platform enrolment here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "firmware/catalogue/catalogue.h"
#include "firmware/storage/config.h"
#include "drivers/idcard/idcard_reader.h"
#include "firmware/app/kioskctl.h"
#include "firmware/core/msg.h"
#include "drivers/transport/transport_serial.h"
#include "drivers/transport/transport_usb_idcard.h"

struct kioskctl_command {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the command's name */
    const char *usage;                 /* after "kioskctl " */
};

int kioskctl_parse_seconds(const char *text, double min, double max, const char *what, double *out)
{
    char *end;
    double seconds = strtod(text, &end);
    if (end == text || *end || !(seconds >= min && seconds <= max)) {
        fprintf(stderr, "kioskctl: --timeout %s: %s, %g to %g\n", text, what, min, max);
        return -1;
    }
    *out = seconds;
    return 0;
}

static int kioskctl_check_config(int argc, char **argv);
static int kioskctl_show_config(int argc, char **argv);
static int kioskctl_check_catalogue_command(int argc, char **argv);
static int kioskctl_read_card_command(int argc, char **argv);

/* One line per command; the larger commands live in firmware/app/ctl_*.c (kioskctl.h). */
static const struct kioskctl_command kioskctl_commands[] = {
    {"check-config", kioskctl_check_config,
     "check-config FILE      check a board/unit config; prints FILE:LINE: reason on error"},
    {"show-config", kioskctl_show_config, "show-config FILE       print the effective settings"},
    {"check-catalogue", kioskctl_check_catalogue_command,
     "check-catalogue FILE   check a catalogue (docs/catalogue-format.md); prints the\n"
     "                       first problem, naming the item and the field"},
    {"read-card", kioskctl_read_card_command,
     "read-card --port PATH [--baud N] | --usb VID:PID[,VID:PID] [--timeout S]\n"
     "                       read one ID card; print it as one JSON object; exit 0 read,\n"
     "                       2 no reader, 3 no card within S seconds (default 10),\n"
     "                       4 protocol or card error"},
    {"print-test", kioskctl_print_test_command,
     "print-test receipt (--port PATH | --usb VID:PID) [--profile NAME]\n"
     "                       print a test receipt (Chinese, QR, Code 128) and report the\n"
     "                       printer's status as JSON; exit 0 printed, 2 no printer,\n"
     "                       3 printer not ready (paper, cover ...), 4 error\n"
     "print-test licence|calibration --ipp URI [--timeout S] [--save-pwg FILE]\n"
     "                       the sample licence or the calibration page on the certificate\n"
     "                       printer over IPP, followed to the job's end state (JSON)\n"
     "print-test licence|calibration (--port PATH | --usb VID:PID) [--config FILE]\n"
     "                       the same on a PCL laser (tty, pty, /dev/usb/lpN or USB); exit\n"
     "                       0 printed, 2 not answering, 3 not printed (retryable), 4 final"},
    {"cert-jobs", kioskctl_cert_jobs_command,
     "cert-jobs --db FILE --ipp URI (--reconcile | --retry ID) [--timeout S]\n"
     "                       settle certificate jobs with the printer by their IPP job id"},
    {"outbox", kioskctl_outbox_command,
     "outbox [--config FILE] [--data-dir DIR]\n"
     "                       what the unit still owes the platform: records per kind and\n"
     "                       state, the oldest pending, its next attempt, the last error"},
    {"enroll", kioskctl_enroll_command,
     "enroll [--url URL] --token T [--config FILE] [--data-dir DIR]\n"
     "                       make the unit key and CSR, enroll with the platform, store the\n"
     "                       certificate (the platform CA file must be installed first)"},
    {"sync", kioskctl_sync_command,
     "sync [--catalogue | --outbox] [--url URL] [--config FILE] [--data-dir DIR]\n"
     "                       check the catalogue and deliver the outbox now; exit 0 done,\n"
     "                       3 platform not reached, 4 catalogue rejected, 1 other error"},
};

static int kioskctl_usage(FILE *to)
{
    const size_t count = sizeof kioskctl_commands / sizeof kioskctl_commands[0];
    for (size_t i = 0; i < count; i++) {
        fprintf(to, "%s kioskctl ", i == 0 ? "usage:" : "      ");
        /* continuation lines of a usage text line up under the command */
        for (const char *c = kioskctl_commands[i].usage; *c; c++) {
            fputc(*c, to);
            if (*c == '\n')
                fputs("               ", to);
        }
        fputc('\n', to);
    }
    return to == stdout ? 0 : 2;
}

static void kioskctl_show(const struct config *c)
{
    printf("unit.id = %s\nunit.location = %s\nunit.service_phone = %s\n", c->unit_id, c->unit_location,
           c->service_phone);
    printf("display = %dx%d%s\n", c->display_width, c->display_height, c->headless ? " headless" : "");
    printf("session.inactivity_seconds = %d\nsession.countdown_seconds = %d\n", c->inactivity_seconds,
           c->countdown_seconds);
    printf("ui.language = %s\nui.elder_mode = %s\nui.font_regular = %s\n", c->language,
           c->elder_mode ? "true" : "false", c->font_regular);
    printf("storage.data_dir = %s\n", c->data_dir);
    for (int i = 0; i < DEVICE_COUNT; i++)
        printf("devices.%s = %s\n", msg_device_name((enum device_id)i), c->device_address[i]);
    printf("devices.receipt_profile = %s\ndevices.receipt_poll_ms = %d\n", c->receipt_profile, c->receipt_poll_ms);
    printf("devices.cert_poll_ms = %d\n", c->cert_poll_ms);
    printf("print.paper = %s\nprint.offset_x = %d\nprint.offset_y = %d\n", c->print_paper, c->print_offset_x_decimm,
           c->print_offset_y_decimm);
    printf("devices.required =");
    for (int i = 0; i < DEVICE_COUNT; i++)
        if (c->required[i])
            printf(" %s", msg_device_name((enum device_id)i));
    printf("\n");
}

/* The same check the kiosk makes before it takes a catalogue from the platform. */
static int kioskctl_check_catalogue(const char *path)
{
    struct catalogue *catalogue;
    char err[512];
    if (catalogue_load_file(path, &catalogue, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    printf("%s: ok, version %s, %zu items, %zu themes, %zu halls\n", path, catalogue->version,
           catalogue->item_count, catalogue->theme_count, catalogue->hall_count);
    catalogue_free(catalogue);
    return 0;
}

/* read-card exit codes: what a technician's script tests. */
enum { READ_CARD_OK = 0, READ_CARD_USAGE = 1, READ_CARD_NO_READER = 2, READ_CARD_NO_CARD = 3, READ_CARD_ERROR = 4 };

static long long kioskctl_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Polls until a card is read or the time is up; the exit code. */
static int kioskctl_read_card_on(struct idcard_reader *reader, const char *port, double timeout_s)
{
    int err = idcard_reader_sam_status(reader);
    if (err == -ETIMEDOUT || err == -ENODEV) {
        fprintf(stderr, "kioskctl: no reader on %s: no answer to SAM status (%s)\n", port,
                idcard_reader_strerror(reader, err));
        return READ_CARD_NO_READER;
    }
    if (err < 0) {
        fprintf(stderr, "kioskctl: reader on %s: %s\n", port, idcard_reader_strerror(reader, err));
        return READ_CARD_ERROR;
    }
    long long deadline = kioskctl_now_ms() + (long long)(timeout_s * 1000);
    struct idcard_record *record = calloc(1, sizeof *record);
    if (!record) {
        fprintf(stderr, "kioskctl: out of memory\n");
        return READ_CARD_ERROR;
    }
    int status;
    for (;;) {
        int result = idcard_reader_poll(reader, false, record);
        if (result == IDCARD_POLL_READ) {
            char today[9];
            idcard_today(today);
            idcard_record_write_json(record, stdout);
            if (idcard_record_is_expired(record, today))
                fprintf(stderr, "kioskctl: note: the card expired on %s\n", record->valid_to);
            status = READ_CARD_OK;
            break;
        }
        if (result == -ENODEV) {
            fprintf(stderr, "kioskctl: reader on %s went away: %s\n", port, idcard_reader_strerror(reader, result));
            status = READ_CARD_NO_READER;
            break;
        }
        if (result < 0) {
            fprintf(stderr, "kioskctl: %s\n", idcard_reader_strerror(reader, result));
            status = READ_CARD_ERROR;
            break;
        }
        if (kioskctl_now_ms() >= deadline) {
            /* Readers do not find a card again once it has been read until it is lifted
             * off and put back: the likeliest reason when the technician sees a card there. */
            fprintf(stderr, "kioskctl: no card on the reader within %g s (a card already read is found again "
                            "only after it is lifted off and put back)\n", timeout_s);
            status = READ_CARD_NO_CARD;
            break;
        }
        nanosleep(&(struct timespec){ .tv_nsec = 200 * 1000000 }, NULL);
    }
    idcard_record_wipe(record);
    free(record);
    return status;
}

static int kioskctl_read_card_command(int argc, char **argv)
{
    const char *port = NULL, *usb = NULL;
    struct usb_link_match match;
    int baud = 115200;
    double timeout_s = 10;
    for (int i = 1; i < argc; i++) {
        char *end;
        if (!strcmp(argv[i], "--port") && i + 1 < argc) {
            port = argv[++i];
        } else if (!strcmp(argv[i], "--baud") && i + 1 < argc) {
            baud = (int)strtol(argv[++i], &end, 10);
            if (*end || !transport_serial_baud_supported(baud)) {
                fprintf(stderr, "kioskctl: --baud %s: the reader supports 115200, 57600, 38400, 19200, 9600\n", argv[i]);
                return READ_CARD_USAGE;
            }
        } else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
            if (kioskctl_parse_seconds(argv[++i], 0, 3600, "seconds", &timeout_s) < 0)
                return READ_CARD_USAGE;
        } else if (!strcmp(argv[i], "--usb") && i + 1 < argc) {
            usb = argv[++i];
            if (usb_link_match_parse(usb, &match) < 0 || match.printer_class) {
                fprintf(stderr, "kioskctl: --usb %s: give VID:PID in hex, e.g. 0400:c35a (several: 0400:c35a,0483:5652)\n",
                        usb);
                return READ_CARD_USAGE;
            }
        } else {
            kioskctl_usage(stderr);
            return READ_CARD_USAGE;
        }
    }
    if (!port == !usb) {
        kioskctl_usage(stderr);
        return READ_CARD_USAGE;
    }
    struct transport *transport;
    char where[300];
    if (usb) {
        snprintf(where, sizeof where, "usb:%s", usb);
        int err = transport_usb_idcard_open(NULL, &match, &transport);
        if (err < 0) {
            fprintf(stderr, "kioskctl: no reader at USB %s: %s\n", usb, usb_link_strerror(err));
            return READ_CARD_NO_READER;
        }
        port = where;
    } else {
        int err = transport_serial_open(port, baud, &transport);
        if (err < 0) {
            fprintf(stderr, "kioskctl: cannot open %s: %s\n", port, strerror(-err));
            return READ_CARD_NO_READER;
        }
    }
    struct idcard_reader *reader = malloc(sizeof *reader);
    if (!reader) {
        transport_close(transport);
        fprintf(stderr, "kioskctl: out of memory\n");
        return READ_CARD_ERROR;
    }
    idcard_reader_init(reader, transport, baud);
    int status = kioskctl_read_card_on(reader, port, timeout_s);
    explicit_bzero(reader, sizeof *reader); /* its last reply holds the card's text */
    free(reader);
    transport_close(transport);
    return status;
}

static int kioskctl_load_config(const char *path, struct config *config)
{
    char err[512];
    config_set_defaults(config);
    if (config_load(config, path, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int kioskctl_check_config(int argc, char **argv)
{
    struct config config;
    if (argc != 2)
        return kioskctl_usage(stderr);
    if (kioskctl_load_config(argv[1], &config) < 0)
        return 1;
    printf("%s: ok\n", argv[1]);
    return 0;
}

static int kioskctl_show_config(int argc, char **argv)
{
    struct config config;
    if (argc != 2)
        return kioskctl_usage(stderr);
    if (kioskctl_load_config(argv[1], &config) < 0)
        return 1;
    kioskctl_show(&config);
    return 0;
}

static int kioskctl_check_catalogue_command(int argc, char **argv)
{
    if (argc != 2)
        return kioskctl_usage(stderr);
    return kioskctl_check_catalogue(argv[1]);
}

int main(int argc, char **argv)
{
    const size_t count = sizeof kioskctl_commands / sizeof kioskctl_commands[0];
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
        return kioskctl_usage(stdout);
    for (size_t i = 0; argc >= 2 && i < count; i++)
        if (!strcmp(argv[1], kioskctl_commands[i].name))
            return kioskctl_commands[i].run(argc - 1, argv + 1);
    return kioskctl_usage(stderr);
}
