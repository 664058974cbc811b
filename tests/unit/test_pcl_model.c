/* The PCL back end against the sim board's laser model (board/sim/pcl_model, its decoder
 * written separately from the same reference) on a pty:
 *  - the sample licence page sent as PCL comes out as a 2480 x 3508, 300 dpi 1-bit PNG equal
 *    to the raster sent, dot for dot; an A5 calibration page as 1748 x 2480, dot for dot;
 *  - paper running out mid-page gives a failed, retryable job in the print-job table
 *    (firmware/certprinter_pcl_jobs over print_jobs) and no page; paper loaded and the job
 *    retried: printed, and exactly one complete page in the output folder; printed once, a
 *    job cannot be run again;
 *  - a job left sending by a restart becomes failed-retryable, not resent;
 *  - a sealed job is not the page on disk and prints the same page; one sealed under another
 *    key fails for good with nothing sent;
 *  - a printer in error gets no byte; an unknown command is counted as an error and the page
 *    after it still prints. */
#include <dirent.h>
#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "firmware/print/certprinter_pcl_jobs.h"
#include "firmware/storage/config.h"
#include "firmware/storage/db.h"
#include "drivers/certprinter/pcl.h"
#include "board/sim/pcl_model.h"
#include "firmware/print/print_jobs.h"
#include "firmware/print/print_layout.h"
#include "firmware/gfx/text.h"
#include "drivers/transport/transport_serial.h"
#include "firmware/platform/trust.h"

static char out_dir[64];
static struct pcl_model *model;
static struct transport *transport;
static struct pcl_printer printer;
static struct print_bitmap page;
static struct pcl_buffer job;

static int group_setup(void **state)
{
    (void)state;
    struct config config;
    config_set_defaults(&config);
    char err[256];
    if (text_init(config.font_regular, config.font_bold, config.font_face_index, err, sizeof err) < 0)
        return -1;
    struct print_page_setup setup = { .paper = PRINT_PAPER_A4, .dpi = 300 };
    if (print_layout_render_bitmap("licence", &setup, "LY-SIM-0001", &page, err, sizeof err) < 0)
        return -1;
    pcl_buffer_init(&job);
    struct pcl_bitmap bitmap = { page.bits, page.width, page.height, page.stride };
    return pcl_encode_job(&job, &bitmap, PCL_PAPER_A4, 300) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    pcl_buffer_free(&job);
    print_bitmap_free(&page);
    text_shutdown();
    return 0;
}

static int setup(void **state)
{
    (void)state;
    strcpy(out_dir, "/tmp/test_pcl_model.XXXXXX");
    assert_non_null(mkdtemp(out_dir));
    struct pcl_model_options options = { .out_dir = out_dir };
    assert_int_equal(pcl_model_start(&model, &options), 0);
    assert_int_equal(transport_serial_open(pcl_model_slave_path(model), 115200, &transport), 0);
    pcl_printer_init(&printer, transport);
    printer.port_status = pcl_model_port_status;
    printer.soft_reset = pcl_model_soft_reset;
    printer.link_context = model;
    printer.write_timeout_ms = 2000;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    transport_close(transport);
    pcl_model_stop(model);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", out_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static unsigned long wait_pages(unsigned long want)
{
    struct pcl_model_stats stats;
    for (int i = 0; i < 1000; i++) {
        pcl_model_get_stats(model, &stats);
        if (stats.pages >= want)
            break;
        struct timespec pause = { 0, 20000000 };
        nanosleep(&pause, NULL);
    }
    return stats.pages;
}

static int count_pngs(void)
{
    DIR *dir = opendir(out_dir);
    assert_non_null(dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(dir));)
        n += strstr(e->d_name, ".png") != NULL;
    closedir(dir);
    return n;
}

/* Reads OUT/page-NNNN.png (1-bit gray, 0 = black) and compares it with the page sent. */
static void expect_png_equals(int number, const struct print_bitmap *page)
{
    char path[128];
    snprintf(path, sizeof path, "%s/page-%04d.png", out_dir, number);
    FILE *file = fopen(path, "rb");
    assert_non_null(file);
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    assert_non_null(info);
    if (setjmp(png_jmpbuf(png)))
        fail_msg("%s: not a readable PNG", path);
    png_init_io(png, file);
    png_read_info(png, info);
    assert_int_equal(png_get_image_width(png, info), (unsigned)page->width);
    assert_int_equal(png_get_image_height(png, info), (unsigned)page->height);
    assert_int_equal(png_get_bit_depth(png, info), 1);
    assert_int_equal(png_get_color_type(png, info), PNG_COLOR_TYPE_GRAY);
    assert_int_equal(png_get_x_pixels_per_meter(png, info), 11811); /* 300 dpi */
    uint8_t *row = malloc(png_get_rowbytes(png, info));
    assert_non_null(row);
    long differing = 0;
    for (int y = 0; y < page->height; y++) {
        png_read_row(png, row, NULL);
        const uint8_t *sent = page->bits + (size_t)y * page->stride;
        for (size_t i = 0; i < page->stride; i++) {
            uint8_t diff = (uint8_t)(~row[i] ^ sent[i]);
            if (i == page->stride - 1 && page->width % 8)
                diff &= (uint8_t)(0xFF << (8 - page->width % 8));
            differing += __builtin_popcount(diff);
        }
    }
    free(row);
    png_destroy_read_struct(&png, &info, NULL);
    fclose(file);
    if (differing)
        fail_msg("%s: %ld dots differ from the raster sent", path, differing);
}

static void test_page_dot_for_dot(void **state)
{
    (void)state;
    struct pcl_job_result result;
    pcl_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, PCL_JOB_PRINTED);
    assert_int_equal(result.bytes_sent, job.len);
    assert_int_equal(result.port_status, 0x18);
    assert_int_equal(wait_pages(1), 1);
    expect_png_equals(1, &page);
    struct pcl_model_stats stats;
    pcl_model_get_stats(model, &stats);
    assert_int_equal(stats.errors, 0);
    assert_int_equal(stats.bytes, job.len);
}

static void test_a5_calibration_dot_for_dot(void **state)
{
    (void)state;
    char err[256];
    struct print_page_setup setup = { .paper = PRINT_PAPER_A5, .dpi = 300 };
    struct print_bitmap a5;
    assert_int_equal(print_layout_render_bitmap("calibration", &setup, "LY-SIM-0001", &a5, err, sizeof err), 0);
    assert_int_equal(a5.width, 1748);
    struct pcl_buffer a5_job;
    pcl_buffer_init(&a5_job);
    struct pcl_bitmap bitmap = { a5.bits, a5.width, a5.height, a5.stride };
    assert_int_equal(pcl_encode_job(&a5_job, &bitmap, PCL_PAPER_A5, 300), 0);
    struct pcl_job_result result;
    pcl_printer_send_job(&printer, a5_job.bytes, a5_job.len, &result);
    assert_int_equal(result.outcome, PCL_JOB_PRINTED);
    assert_int_equal(wait_pages(1), 1);
    expect_png_equals(1, &a5); /* 1748 x 2480: the model took &l25A as A5 */
    pcl_buffer_free(&a5_job);
    print_bitmap_free(&a5);
}

static void test_paper_empty_mid_page_then_one_page(void **state)
{
    (void)state;
    char db_path[128], err[256];
    snprintf(db_path, sizeof db_path, "%s/kiosk.db", out_dir);
    struct db *db;
    assert_int_equal(db_open(db_path, &db, err, sizeof err), 0);
    int64_t id;
    assert_int_equal(certprinter_pcl_jobs_add(db, NULL, "licence", job.bytes, job.len, 1000, &id), 0);

    /* Paper runs out on row 1500 of 3508. */
    assert_int_equal(pcl_model_set_fault(model, "paper-empty-after", 1500), 0);
    struct certprinter_pcl_jobs_run run;
    assert_int_equal(certprinter_pcl_jobs_run(db, NULL, &printer, id, 1001, &run), 0);
    assert_int_equal(run.result.outcome, PCL_JOB_FAILED_RETRYABLE);
    assert_int_equal(run.result.reason, PCL_JOB_REASON_PAPER_EMPTY);
    assert_true(run.result.bytes_sent < job.len); /* stopped mid-job, not after it */
    assert_int_equal(run.job.state, PRINT_JOB_FAILED);
    assert_true(run.job.retryable);
    assert_non_null(strstr(run.job.reason, "paper empty"));
    struct pcl_model_stats stats;
    pcl_model_get_stats(model, &stats);
    assert_int_equal(stats.pages, 0);
    assert_int_equal(stats.resets, 1); /* the runner reset the printer: the half job is gone */

    /* Paper loaded; the job retried from the table's payload. */
    pcl_model_restore(model);
    assert_int_equal(certprinter_pcl_jobs_run(db, NULL, &printer, id, 1003, &run), 0);
    assert_int_equal(run.result.outcome, PCL_JOB_PRINTED);
    assert_int_equal(run.job.state, PRINT_JOB_PRINTED);
    assert_int_equal(run.job.attempts, 2);
    /* A printed job is not printed again. */
    assert_int_equal(certprinter_pcl_jobs_run(db, NULL, &printer, id, 1004, &run), 1);
    assert_int_equal(wait_pages(1), 1);
    /* Give a stray second page the time to appear: there must be none. */
    struct timespec pause = { 0, 500000000 };
    nanosleep(&pause, NULL);
    assert_int_equal(count_pngs(), 1);
    expect_png_equals(1, &page);
    db_close(db);
}

static void test_sealed_page_at_rest(void **state)
{
    (void)state;
    char db_path[128], key_path[128], other_key[128], err[256];
    snprintf(db_path, sizeof db_path, "%s/kiosk.db", out_dir);
    snprintf(key_path, sizeof key_path, "%s/device.key", out_dir);
    snprintf(other_key, sizeof other_key, "%s/other.key", out_dir);
    struct db *db;
    assert_int_equal(db_open(db_path, &db, err, sizeof err), 0);
    struct trust_sealer sealer, other;
    assert_int_equal(trust_sealer_open(&sealer, key_path, err, sizeof err), 0);
    assert_int_equal(trust_sealer_open(&other, other_key, err, sizeof err), 0);
    int64_t id, stray;
    assert_int_equal(certprinter_pcl_jobs_add(db, &sealer, "licence", job.bytes, job.len, 1000, &id), 0);
    /* On disk: not the page. No PCL command is readable, and it is the size of a sealed one. */
    void *stored;
    size_t size;
    assert_int_equal(print_jobs_load_payload(db, id, &stored, &size), 0);
    assert_int_equal(size, job.len + TRUST_SEAL_OVERHEAD);
    assert_null(memmem(stored, size, "\033*t300R", 7));
    assert_null(memmem(stored, size, "\033*r1A", 6));
    free(stored);
    struct certprinter_pcl_jobs_run run;
    assert_int_equal(certprinter_pcl_jobs_run(db, &sealer, &printer, id, 1001, &run), 0);
    assert_int_equal(run.job.state, PRINT_JOB_PRINTED);
    assert_int_equal(wait_pages(1), 1);
    expect_png_equals(1, &page);
    /* Sealed under another unit's key: it does not open, nothing is sent, failed for good. */
    struct pcl_model_stats before, after;
    pcl_model_get_stats(model, &before);
    assert_int_equal(certprinter_pcl_jobs_add(db, &other, "licence", job.bytes, job.len, 1002, &stray), 0);
    assert_int_equal(certprinter_pcl_jobs_run(db, &sealer, &printer, stray, 1003, &run), 0);
    assert_int_equal(run.job.state, PRINT_JOB_FAILED);
    assert_false(run.job.retryable);
    pcl_model_get_stats(model, &after);
    assert_int_equal(after.bytes, before.bytes);
    trust_sealer_close(&sealer);
    trust_sealer_close(&other);
    db_close(db);
}

static void test_restart_while_sending_is_not_resent(void **state)
{
    (void)state;
    char db_path[128], err[256];
    snprintf(db_path, sizeof db_path, "%s/kiosk.db", out_dir);
    struct db *db;
    assert_int_equal(db_open(db_path, &db, err, sizeof err), 0);
    int64_t id, queued;
    assert_int_equal(certprinter_pcl_jobs_add(db, NULL, "licence", job.bytes, job.len, 1000, &id), 0);
    assert_int_equal(certprinter_pcl_jobs_add(db, NULL, "licence", job.bytes, job.len, 1000, &queued), 0);
    /* Power lost after the claim: the row says sending, the page may be on paper. */
    assert_int_equal(print_jobs_claim(db, id, 1001), 0);
    db_close(db);
    assert_int_equal(db_open(db_path, &db, err, sizeof err), 0);
    int count = 0;
    assert_int_equal(certprinter_pcl_jobs_recover(db, 2000, &count), 0);
    assert_int_equal(count, 1);
    struct print_job row;
    assert_int_equal(print_jobs_get(db, id, &row), 0);
    assert_int_equal(row.state, PRINT_JOB_FAILED);
    assert_true(row.retryable);
    assert_non_null(strstr(row.reason, "interrupted"));
    assert_int_equal(print_jobs_get(db, queued, &row), 0);
    assert_int_equal(row.state, PRINT_JOB_QUEUED);
    /* Nothing went to the printer in all this. */
    struct pcl_model_stats stats;
    pcl_model_get_stats(model, &stats);
    assert_int_equal(stats.bytes, 0);
    db_close(db);
}

static void test_error_gets_nothing(void **state)
{
    (void)state;
    assert_int_equal(pcl_model_set_fault(model, "error", 0), 0);
    struct pcl_job_result result;
    pcl_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, PCL_JOB_FAILED_RETRYABLE);
    assert_int_equal(result.reason, PCL_JOB_REASON_PRINTER_ERROR);
    assert_int_equal(result.bytes_sent, 0);
    assert_int_equal(result.port_status, 0x10);
    assert_int_equal(pcl_model_set_fault(model, "paper-empty", 0), 0);
    pcl_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.reason, PCL_JOB_REASON_PAPER_EMPTY);
    assert_int_equal(result.port_status, 0x28);
    struct pcl_model_stats stats;
    pcl_model_get_stats(model, &stats);
    assert_int_equal(stats.bytes, 0);
}

static void test_unknown_command_is_reported(void **state)
{
    (void)state;
    /* ESC *z5Q is no PCL command the model knows; ESC 9 neither. */
    const uint8_t junk[] = "\033*z5Q\0339";
    assert_int_equal(transport_write(transport, junk, sizeof junk - 1, 1000), (ssize_t)(sizeof junk - 1));
    struct pcl_job_result result;
    pcl_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, PCL_JOB_PRINTED);
    assert_int_equal(wait_pages(1), 1);
    struct pcl_model_stats stats;
    pcl_model_get_stats(model, &stats);
    assert_int_equal(stats.errors, 2);
    expect_png_equals(1, &page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_page_dot_for_dot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a5_calibration_dot_for_dot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paper_empty_mid_page_then_one_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sealed_page_at_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restart_while_sending_is_not_resent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_gets_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_command_is_reported, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
