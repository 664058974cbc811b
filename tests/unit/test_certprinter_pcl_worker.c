/* The PCL certificate printer's worker against the laser model on a pty, as the sim board
 * runs it: the printer is reported usable; a licence job is stored, sent and reported
 * printed (MSG_PRINT_JOB naming the certificate printer) with one page out; paper running
 * out mid-page fails the job as retryable with the resident's "out of paper" message and
 * takes the printer to unusable; paper in, the job retried by id: printed, usable again, and
 * exactly one more page (not a half page and a whole one). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "firmware/print/certprinter.h"
#include "firmware/print/certprinter_backend.h"
#include "firmware/print/print_worker.h"
#include "firmware/storage/config.h"
#include "firmware/core/msgqueue.h"
#include "drivers/certprinter/pcl.h"
#include "board/sim/pcl_model.h"
#include "firmware/print/print_jobs.h"
#include "firmware/print/print_layout.h"
#include "firmware/gfx/text.h"

static char out_dir[64];
static struct pcl_model *model;
static struct msgqueue *queue;
static struct pcl_buffer job;
static struct print_bitmap page; /* the licence sample, encoded by the back end on its worker */

static int count_pages(void)
{
    DIR *dir = opendir(out_dir);
    if (!dir)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(dir));)
        n += !strncmp(e->d_name, "page-", 5);
    closedir(dir);
    return n;
}

static int wait_pages(int want)
{
    int n = 0;
    for (int i = 0; i < 500 && (n = count_pages()) < want; i++) {
        struct timespec pause = { 0, 20000000 };
        nanosleep(&pause, NULL);
    }
    return n;
}

/* The next message of a kind (others skipped), within 20 s. */
static struct msg next_message(enum msg_kind kind)
{
    struct msg m;
    for (int i = 0; i < 200; i++)
        if (msgqueue_wait(queue, &m, 100) && m.kind == kind)
            return m;
    fail_msg("no %s within 20 s", msg_kind_name(kind));
    return m;
}

/* The next MSG_PRINT_JOB that is not "sending". */
static struct msg_print_job job_end(void)
{
    for (;;) {
        struct msg m = next_message(MSG_PRINT_JOB);
        assert_int_equal(m.u.print_job.printer, PRINT_PRINTER_CERTIFICATE);
        if (m.u.print_job.state != PRINT_JOB_SENDING)
            return m.u.print_job;
    }
}

static int setup(void **state)
{
    (void)state;
    struct config config;
    config_set_defaults(&config);
    char err[256];
    if (text_init(config.font_regular, config.font_bold, config.font_face_index, err, sizeof err) < 0)
        return -1;
    struct print_page_setup page_setup = { .paper = PRINT_PAPER_A4, .dpi = 300 };
    if (print_layout_render_bitmap("licence", &page_setup, "LY-SIM-0001", &page, err, sizeof err) < 0)
        return -1;
    pcl_buffer_init(&job);
    struct pcl_bitmap bitmap = { page.bits, page.width, page.height, page.stride };
    int rc = pcl_encode_job(&job, &bitmap, PCL_PAPER_A4, 300);
    strcpy(out_dir, "/tmp/test_certprinter.XXXXXX");
    if (rc < 0 || !mkdtemp(out_dir))
        return -1;
    struct pcl_model_options options = { .out_dir = out_dir };
    queue = msgqueue_create(64);
    return queue && pcl_model_start(&model, &options) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    certprinter_stop();
    pcl_model_stop(model);
    pcl_buffer_free(&job);
    print_bitmap_free(&page);
    text_shutdown();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", out_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_print_fail_retry(void **state)
{
    (void)state;
    char db_path[128], key_path[128];
    snprintf(db_path, sizeof db_path, "%s/kiosk.db", out_dir);
    snprintf(key_path, sizeof key_path, "%s/device.key", out_dir);
    struct certprinter_options options = {
        .address = pcl_model_slave_path(model),
        .port_status = pcl_model_port_status,
        .soft_reset = pcl_model_soft_reset,
        .link_context = model,
        .db_path = db_path,
        .device_key_path = key_path,
        .poll_interval_ms = 200,
        .write_timeout_ms = 2000,
    };
    assert_int_equal(certprinter_start(queue, &options), 0);
    assert_string_equal(certprinter_backend_name(), "pcl");
    struct msg m = next_message(MSG_DEVICE_STATUS);
    assert_int_equal(m.u.device_status.device, DEVICE_CERT_PRINTER);
    assert_true(m.u.device_status.present);

    assert_int_equal(certprinter_submit_page("licence", &page, 300, PRINT_PAPER_A4), 0);
    struct msg_print_job end = job_end();
    assert_int_equal(end.state, PRINT_JOB_PRINTED);
    assert_int_equal(wait_pages(1), 1);

    assert_int_equal(pcl_model_set_fault(model, "paper-empty-after", 1500), 0);
    assert_int_equal(certprinter_submit_page("licence", &page, 300, PRINT_PAPER_A4), 0);
    end = job_end();
    assert_int_equal(end.state, PRINT_JOB_FAILED);
    assert_true(end.retryable);
    assert_string_equal(end.msgid, pcl_job_reason_msgid(PCL_JOB_REASON_PAPER_EMPTY));
    assert_non_null(strstr(end.reason, "paper empty"));
    m = next_message(MSG_DEVICE_STATUS);
    assert_false(m.u.device_status.present);
    assert_string_equal(m.u.device_status.reason, pcl_job_reason_msgid(PCL_JOB_REASON_PAPER_EMPTY));
    const int64_t failed = end.job_id;

    pcl_model_restore(model);
    m = next_message(MSG_DEVICE_STATUS); /* the idle poll sees paper again */
    assert_true(m.u.device_status.present);
    assert_int_equal(certprinter_retry_job(failed), 0);
    end = job_end();
    assert_int_equal(end.job_id, failed);
    assert_int_equal(end.state, PRINT_JOB_PRINTED);
    assert_int_equal(wait_pages(2), 2);
    struct timespec pause = { 0, 500000000 };
    nanosleep(&pause, NULL);
    assert_int_equal(count_pages(), 2);
    struct pcl_model_stats stats;
    pcl_model_get_stats(model, &stats);
    assert_int_equal(stats.errors, 0);
    assert_int_equal(stats.resets, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_print_fail_retry),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
