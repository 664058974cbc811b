/* kioskctl print-test licence|calibration --ipp URI: a test page on the certificate printer
 * over IPP, the job followed to its end, the end state as one JSON object on stdout.
 * Exit codes: 0 printed, 1 usage, 2 printer not answering, 3 not printed (a retry may
 * print it), 4 this printer cannot print it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board/board.h"
#include "drivers/certprinter/certprinter_ipp.h"
#include "firmware/print/certprinter_jobs.h"
#include "firmware/storage/db.h"
#include "firmware/storage/config.h"
#include "firmware/core/i18n.h"
#include "firmware/core/json_out.h"
#include "firmware/app/kioskctl.h"
#include "firmware/print/print_testpage.h"
#include "firmware/platform/trust.h"
#include "firmware/gfx/text.h"

enum { PRINT_TEST_PRINTED = 0, PRINT_TEST_USAGE = 1, PRINT_TEST_NOT_ANSWERING = 2, PRINT_TEST_RETRYABLE = 3,
       PRINT_TEST_FINAL = 4 };

static const char *job_state_name(int state)
{
    static const char *const names[] = {"pending", "pending-held", "processing", "processing-stopped",
                                        "canceled", "aborted", "completed"};
    return state >= 3 && state <= 9 ? names[state - 3] : "none";
}

static const char *outcome_name(enum certprinter_outcome outcome)
{
    return outcome == CERTPRINTER_PRINTED ? "printed" : "failed";
}

/* The job row after a run, when the job went through the job table. */
static void print_test_write_row(const struct certprinter_jobs_run *run)
{
    int first = 0;
    printf(",\"job\":%lld,\"attempts\":%d,\"resent\":%d", (long long)run->job.id, run->job.attempts, run->resent);
    json_out_member(stdout, &first, "row_state", print_job_state_name(run->job.state));
    printf(",\"row_retryable\":%s", run->job.retryable ? "true" : "false");
    json_out_member(stdout, &first, "printer_job_id", run->job.printer_job_id);
    json_out_member(stdout, &first, "row_reason", run->job.reason);
}

static void print_test_write_json(const char *kind, const char *uri, const char *unit_id, const char *print_time,
                                  const struct certprinter_result *result, const struct certprinter_ipp_format *format,
                                  const struct certprinter_jobs_run *run)
{
    int first = 1;
    const char *msgid = certprinter_condition_resident_msgid(result->condition);
    printf("{");
    json_out_member(stdout, &first, "printer", "certificate");
    json_out_member(stdout, &first, "kind", kind);
    json_out_member(stdout, &first, "uri", uri);
    json_out_member(stdout, &first, "unit", unit_id);
    if (print_time)
        json_out_member(stdout, &first, "print_time", print_time);
    if (run)
        print_test_write_row(run);
    json_out_member(stdout, &first, "state", outcome_name(result->outcome));
    printf(",\"retryable\":%s", result->outcome == CERTPRINTER_FAILED_RETRYABLE ? "true" : "false");
    printf(",\"job_id\":%d", result->job_id);
    json_out_member(stdout, &first, "job_state", job_state_name(result->job_state));
    printf(",\"pages\":%d", result->pages);
    if (format && format->dpi > 0) {
        printf(",\"dpi\":%d", format->dpi);
        json_out_member(stdout, &first, "raster", format->gray8 ? "sgray_8" : "black_1");
        json_out_member(stdout, &first, "media", format->media);
    }
    json_out_member(stdout, &first, "condition", certprinter_condition_name(result->condition));
    json_out_member(stdout, &first, "reasons", result->reasons);
    json_out_member(stdout, &first, "message", msgid && result->outcome != CERTPRINTER_PRINTED ? _(msgid) : "");
    json_out_member(stdout, &first, "technician", result->technician);
    printf("}\n");
}

static int print_test_exit_code(const struct certprinter_result *result)
{
    if (result->outcome == CERTPRINTER_PRINTED)
        return PRINT_TEST_PRINTED;
    if (result->outcome == CERTPRINTER_FAILED_FINAL)
        return PRINT_TEST_FINAL;
    return result->condition == CERTPRINTER_NOT_ANSWERING ? PRINT_TEST_NOT_ANSWERING : PRINT_TEST_RETRYABLE;
}

static int print_test_save(const char *path, const uint8_t *document, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(document, 1, size, f) != size) {
        if (f)
            fclose(f);
        fprintf(stderr, "kioskctl: cannot write %s\n", path);
        return -1;
    }
    return fclose(f) == 0 ? 0 : -1;
}

static int print_test_stored(const char *db_path, const char *kind, const char *uri, const char *unit_id,
                             const char *print_time, struct certprinter_ipp *ipp, const uint8_t *document, size_t size,
                             int timeout_ms, const struct certprinter_ipp_format *format)
{
    struct db *db;
    char err[512];
    if (db_open(db_path, &db, err, sizeof err) < 0) {
        fprintf(stderr, "kioskctl: %s\n", err);
        return PRINT_TEST_USAGE;
    }
    int64_t id;
    struct certprinter_jobs_run run;
    int rc = certprinter_jobs_add(db, NULL, kind, document, size, (int64_t)time(NULL), &id);
    if (rc == 0)
        rc = certprinter_jobs_run(db, NULL, ipp, id, unit_id, timeout_ms, &run);
    if (rc != 0) {
        fprintf(stderr, "kioskctl: %s: the job table: %s\n", db_path, db_error(db));
        db_close(db);
        return PRINT_TEST_USAGE;
    }
    db_close(db);
    print_test_write_json(kind, uri, unit_id, print_time, &run.result, format, &run);
    return print_test_exit_code(&run.result);
}

static void cert_jobs_visit(const struct certprinter_jobs_run *run, void *context)
{
    const char *uri = context;
    print_test_write_json(run->job.kind, uri, "", NULL, &run->result, NULL, run);
}

int kioskctl_cert_jobs_command(int argc, char **argv)
{
    const char *uri = NULL, *db_path = NULL, *config_path = NULL, *key_path = NULL;
    long long retry = 0;
    int reconcile = 0;
    double timeout_s = 60;
    for (int i = 1; i < argc; i++) {
        char *end;
        if (!strcmp(argv[i], "--ipp") && i + 1 < argc)
            uri = argv[++i];
        else if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db_path = argv[++i];
        else if (!strcmp(argv[i], "--config") && i + 1 < argc)
            config_path = argv[++i];
        else if (!strcmp(argv[i], "--key") && i + 1 < argc)
            key_path = argv[++i];
        else if (!strcmp(argv[i], "--reconcile"))
            reconcile = 1;
        else if (!strcmp(argv[i], "--retry") && i + 1 < argc) {
            retry = strtoll(argv[++i], &end, 10);
            if (*end || retry <= 0) {
                fprintf(stderr, "kioskctl: --retry %s: a job number\n", argv[i]);
                return PRINT_TEST_USAGE;
            }
        } else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
            if (kioskctl_parse_seconds(argv[++i], 1, 3600, "seconds", &timeout_s) < 0)
                return PRINT_TEST_USAGE;
        } else {
            fprintf(stderr, "usage: kioskctl cert-jobs --db FILE --ipp URI (--reconcile | --retry ID [--key DEVICE-KEY]) [--timeout S]\n");
            return PRINT_TEST_USAGE;
        }
    }
    if (!uri || !db_path || reconcile == (retry > 0)) {
        fprintf(stderr, "usage: kioskctl cert-jobs --db FILE --ipp URI (--reconcile | --retry ID [--key DEVICE-KEY]) [--timeout S]\n");
        return PRINT_TEST_USAGE;
    }
    struct config config;
    char err[512];
    config_set_defaults(&config);
    if (config_path && config_load(&config, config_path, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return PRINT_TEST_USAGE;
    }
    i18n_init(board_locale_dir(), "zh_CN");
    struct certprinter_ipp *ipp;
    if (certprinter_ipp_open(uri, 10000, &ipp, err, sizeof err) < 0) {
        fprintf(stderr, "kioskctl: %s\n", err);
        return PRINT_TEST_USAGE;
    }
    /* The kiosk's licence pages are sealed with the unit's device key (DATA_DIR/platform/). */
    struct trust_sealer sealer;
    if (key_path && trust_sealer_open(&sealer, key_path, err, sizeof err) < 0) {
        fprintf(stderr, "kioskctl: %s\n", err);
        certprinter_ipp_close(ipp);
        return PRINT_TEST_USAGE;
    }
    struct db *db;
    if (db_open(db_path, &db, err, sizeof err) < 0) {
        fprintf(stderr, "kioskctl: %s\n", err);
        certprinter_ipp_close(ipp);
        if (key_path)
            trust_sealer_close(&sealer);
        return PRINT_TEST_USAGE;
    }
    int status = PRINT_TEST_PRINTED;
    if (reconcile) {
        int count;
        if (certprinter_jobs_reconcile(db, ipp, config.unit_id, (int)(timeout_s * 1000), cert_jobs_visit, (void *)uri,
                                       &count) < 0) {
            fprintf(stderr, "kioskctl: %s\n", db_error(db));
            status = PRINT_TEST_USAGE;
        } else {
            fprintf(stderr, "kioskctl: %d job%s settled with the printer\n", count, count == 1 ? "" : "s");
        }
    } else {
        struct certprinter_jobs_run run;
        int rc = certprinter_jobs_run(db, key_path ? &sealer : NULL, ipp, retry, config.unit_id,
                                      (int)(timeout_s * 1000), &run);
        if (rc < 0) {
            fprintf(stderr, "kioskctl: %s\n", db_error(db));
            status = PRINT_TEST_USAGE;
        } else if (rc == 1) {
            fprintf(stderr, "kioskctl: job %lld cannot be retried (printed, failed for good, sending or absent)\n",
                    retry);
            status = PRINT_TEST_FINAL;
        } else {
            print_test_write_json(run.job.kind, uri, config.unit_id, NULL, &run.result, NULL, &run);
            status = print_test_exit_code(&run.result);
        }
    }
    db_close(db);
    certprinter_ipp_close(ipp);
    if (key_path)
        trust_sealer_close(&sealer);
    return status;
}

int kioskctl_print_test_ipp(int argc, char **argv)
{
    const char *kind_name = argv[0], *uri = NULL, *save = NULL, *config_path = NULL, *db_path = NULL;
    double timeout_s = 60;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--ipp") && i + 1 < argc)
            uri = argv[++i];
        else if (!strcmp(argv[i], "--save-pwg") && i + 1 < argc)
            save = argv[++i];
        else if (!strcmp(argv[i], "--config") && i + 1 < argc)
            config_path = argv[++i];
        else if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db_path = argv[++i];
        else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
            if (kioskctl_parse_seconds(argv[++i], 1, 3600, "seconds", &timeout_s) < 0)
                return PRINT_TEST_USAGE;
        } else {
            fprintf(stderr, "kioskctl print-test %s: unknown option %s (kioskctl print-test for usage)\n", kind_name,
                    argv[i]);
            return PRINT_TEST_USAGE;
        }
    }
    struct config config;
    char err[512];
    config_set_defaults(&config);
    if (config_path && config_load(&config, config_path, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return PRINT_TEST_USAGE;
    }
    /* Without --ipp, the unit's own printer ([devices] cert_printer) when it is a URI. */
    if (!uri && strstr(config.device_address[DEVICE_CERT_PRINTER], "://"))
        uri = config.device_address[DEVICE_CERT_PRINTER];
    if (!uri) {
        fprintf(stderr,
                "kioskctl print-test %s: --ipp URI is needed, or [devices] cert_printer = URI in --config FILE "
                "(ipp://localhost:60000/ipp/print behind ipp-usb)\n",
                kind_name);
        return PRINT_TEST_USAGE;
    }
    i18n_init(board_locale_dir(), "zh_CN"); /* the resident's message as the kiosk shows it */
    struct certprinter_ipp *ipp;
    if (certprinter_ipp_open(uri, 10000, &ipp, err, sizeof err) < 0) {
        fprintf(stderr, "kioskctl: %s\n", err);
        return PRINT_TEST_USAGE;
    }
    if (text_init(config.font_regular, config.font_bold, config.font_face_index, err, sizeof err) < 0) {
        fprintf(stderr, "kioskctl: %s\n", err);
        certprinter_ipp_close(ipp);
        return PRINT_TEST_RETRYABLE;
    }
    /* The watermark's print time, in the unit's local time as on every licence it prints. */
    char print_time[32];
    time_t now = time(NULL) + (time_t)config.utc_offset_minutes * 60;
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(print_time, sizeof print_time, "%Y-%m-%d %H:%M", &tm);
    struct print_testpage page;
    if (print_testpage_render((enum print_testpage_kind)print_testpage_kind_from_name(kind_name), config.unit_id,
                              print_time, config.print_offset_x_decimm, config.print_offset_y_decimm, &page, err,
                              sizeof err) < 0) {
        fprintf(stderr, "kioskctl: the %s page: %s\n", kind_name, err);
        text_shutdown();
        certprinter_ipp_close(ipp);
        return PRINT_TEST_RETRYABLE;
    }
    text_shutdown();
    struct certprinter_result result;
    struct certprinter_ipp_format format = { 0 };
    uint8_t *document = NULL;
    size_t size = 0;
    const int timeout_ms = (int)(timeout_s * 1000);
    const struct certprinter_bitmap bitmap = { page.bitmap.bits, page.bitmap.width, page.bitmap.height,
                                               page.bitmap.stride };
    if (certprinter_ipp_prepare_document(ipp, &bitmap, 1, PRINT_TESTPAGE_DPI, PRINT_TESTPAGE_MEDIA, &document,
                                         &size, &format, &result) == 0) {
        if (save && print_test_save(save, document, size) < 0) {
            free(document);
            print_testpage_free(&page);
            certprinter_ipp_close(ipp);
            return PRINT_TEST_USAGE;
        }
        if (db_path) {
            /* Through the job table, as the kiosk prints a licence: stored, then run. */
            int status = print_test_stored(db_path, kind_name, uri, config.unit_id, print_time, ipp, document, size,
                                           timeout_ms, &format);
            free(document);
            print_testpage_free(&page);
            certprinter_ipp_close(ipp);
            return status;
        }
        struct certprinter_ipp_job_request request = {
            .job_name = kind_name, .user_name = config.unit_id, .media = PRINT_TESTPAGE_MEDIA,
        };
        certprinter_ipp_print_document(ipp, &request, document, size, timeout_ms, NULL, NULL, &result);
    }
    free(document);
    print_testpage_free(&page);
    certprinter_ipp_close(ipp);
    print_test_write_json(kind_name, uri, config.unit_id, print_time, &result, &format, NULL);
    return print_test_exit_code(&result);
}
