/* escpos_printer against the sim board's printer model (board/sim/escpos_model, written
 * independently from the same reference): the two parsers agree on a whole job, and paper
 * out mid-receipt leaves a retryable job that, once the roll is replaced and the job sent
 * again, comes out as exactly one complete receipt. */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escpos.h"
#include "escpos_model.h"
#include "escpos_printer.h"
#include "transport_serial.h"

static char out_dir[] = "/tmp/test_escpos_printer_model.XXXXXX";
static struct escpos_model *model;
static struct transport *transport;
static struct escpos_printer printer;
static struct escpos_buffer job;

static void build_job(int rows)
{
    size_t size = 72 * (size_t)rows;
    uint8_t *bits = calloc(size, 1);
    assert_non_null(bits);
    for (int y = 0; y < rows; y++)
        bits[(size_t)y * 72 + (size_t)(y % 72)] = 0xF0; /* a diagonal */
    struct escpos_bitmap bitmap = {bits, 576, rows, 72};
    assert_int_equal(escpos_append_init(&job), 0);
    assert_int_equal(escpos_append_align(&job, ESCPOS_ALIGN_LEFT), 0);
    assert_int_equal(escpos_append_raster(&job, &bitmap), 0);
    assert_int_equal(escpos_append_code128(&job, "SQ-2026-0001", 80, 2, ESCPOS_HRI_NONE), 0);
    assert_int_equal(escpos_append_feed(&job, 3), 0);
    assert_int_equal(escpos_append_cut(&job, escpos_profile_cut(printer.profile), 0), 0);
    free(bits);
}

static int setup(void **state)
{
    (void)state;
    strcpy(out_dir, "/tmp/test_escpos_printer_model.XXXXXX");
    assert_non_null(mkdtemp(out_dir));
    struct escpos_model_options options = {.out_dir = out_dir, .width_dots = 576};
    assert_int_equal(escpos_model_start(&model, &options), 0);
    assert_int_equal(transport_serial_open(escpos_model_slave_path(model), 115200, &transport), 0);
    /* Over a serial-like link the model answers, as an Epson does over USB. */
    escpos_printer_init(&printer, transport, escpos_profile_find("epson-tm-t70ii"));
    printer.confirm_timeout_ms = 10000; /* the model renders the job before it answers */
    escpos_buffer_init(&job);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    transport_close(transport);
    escpos_model_stop(model);
    escpos_buffer_free(&job);
    /* The model writes only receipt PNGs there. */
    DIR *dir = opendir(out_dir);
    assert_non_null(dir);
    for (struct dirent *entry; (entry = readdir(dir));) {
        if (entry->d_name[0] == '.')
            continue;
        char path[sizeof out_dir + 256];
        snprintf(path, sizeof path, "%s/%s", out_dir, entry->d_name);
        assert_int_equal(unlink(path), 0);
    }
    closedir(dir);
    assert_int_equal(rmdir(out_dir), 0);
    return 0;
}

static void test_job_through_model(void **state)
{
    (void)state;
    build_job(600);
    struct escpos_job_result result;
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_CONFIRMED);
    assert_int_equal(result.condition, ESCPOS_CONDITION_READY);
    struct escpos_model_stats stats;
    escpos_model_get_stats(model, &stats);
    assert_int_equal(stats.errors, 0);
    assert_int_equal(stats.receipts, 1);
    assert_true(stats.rows >= 600);
}

static void test_paper_out_then_retry(void **state)
{
    (void)state;
    assert_int_equal(escpos_model_set_fault(model, "paper-out-after", 200), 0);
    build_job(600);
    struct escpos_job_result result;
    printer.confirm_timeout_ms = 1500;
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_FAILED_RETRYABLE);
    assert_int_equal(result.condition, ESCPOS_CONDITION_PAPER_END);
    struct escpos_model_stats stats;
    escpos_model_get_stats(model, &stats);
    assert_int_equal(stats.receipts, 0);
    /* Still out of paper: a retry sends nothing. */
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_FAILED_RETRYABLE);
    assert_int_equal(result.bytes_sent, 0);
    escpos_model_restore_paper(model);
    assert_int_equal(escpos_model_set_fault(model, "none", 0), 0);
    printer.confirm_timeout_ms = 10000;
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_CONFIRMED);
    escpos_model_get_stats(model, &stats);
    assert_int_equal(stats.receipts, 1);
    assert_int_equal(stats.errors, 0);
}

static void test_cover_open_refused(void **state)
{
    (void)state;
    assert_int_equal(escpos_model_set_fault(model, "cover-open", 0), 0);
    build_job(16);
    struct escpos_job_result result;
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_FAILED_RETRYABLE);
    assert_int_equal(result.condition, ESCPOS_CONDITION_COVER_OPEN);
    assert_int_equal(result.bytes_sent, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_job_through_model, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paper_out_then_retry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cover_open_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
