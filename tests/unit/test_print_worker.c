/* The printer worker skeleton through the certificate printer's table: the back end is chosen
 * from the address (ipp://, ipps://, http://, https:// → IPP; anything else → PCL); each back
 * end says what it prints (capabilities); a licence handed as content (a copy of the struct)
 * is laid out, encoded, stored and printed on the worker (one page out of the PCL model); a
 * failed job cancelled becomes failed for good with its page emptied, MSG_PRINT_JOB failed
 * and not retryable, and a retry of it prints nothing; a printed job cannot be cancelled. */
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
#include <time.h>

#include "board/sim/pcl_model.h"
#include "firmware/core/msgqueue.h"
#include "firmware/gfx/text.h"
#include "firmware/print/certprinter.h"
#include "firmware/print/print_jobs.h"
#include "firmware/print/print_worker.h"
#include "firmware/storage/config.h"
#include "firmware/storage/db.h"

static char out_dir[64], db_path[128];
static struct msgqueue *queue;

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

static struct msg_print_job job_end(void)
{
    struct msg m;
    for (int i = 0; i < 300; i++)
        if (msgqueue_wait(queue, &m, 100) && m.kind == MSG_PRINT_JOB && m.u.print_job.state != PRINT_JOB_SENDING) {
            assert_int_equal(m.u.print_job.printer, PRINT_PRINTER_CERTIFICATE);
            return m.u.print_job;
        }
    fail_msg("no job end within 30 s");
    return m.u.print_job;
}

static struct print_job job_row(int64_t id, size_t *payload_size)
{
    struct db *db;
    char err[256];
    assert_int_equal(db_open(db_path, &db, err, sizeof err), 0);
    struct print_job job;
    assert_int_equal(print_jobs_get(db, id, &job), 0);
    void *payload = NULL;
    assert_int_equal(print_jobs_load_payload(db, id, &payload, payload_size), 0);
    free(payload);
    db_close(db);
    return job;
}

static int setup(void **state)
{
    (void)state;
    struct config config;
    config_set_defaults(&config);
    char err[256];
    if (text_init(config.font_regular, config.font_bold, config.font_face_index, err, sizeof err) < 0)
        return -1;
    strcpy(out_dir, "/tmp/test_print_worker.XXXXXX");
    if (!mkdtemp(out_dir))
        return -1;
    snprintf(db_path, sizeof db_path, "%s/kiosk.db", out_dir);
    queue = msgqueue_create(64);
    return queue ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    certprinter_stop();
    msgqueue_destroy(queue);
    text_shutdown();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", out_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_backend_from_address(void **state)
{
    (void)state;
    assert_string_equal(certprinter_backend_for("ipp://printer.local/ipp/print"), "ipp");
    assert_string_equal(certprinter_backend_for("ipps://printer.local/ipp/print"), "ipp");
    assert_string_equal(certprinter_backend_for("http://localhost:60000/ipp/print"), "ipp");
    assert_string_equal(certprinter_backend_for("https://localhost:60000/ipp/print"), "ipp");
    assert_string_equal(certprinter_backend_for("/dev/usb/lp0"), "pcl");
    assert_string_equal(certprinter_backend_for("usb:04f9:0042"), "pcl");
    assert_string_equal(certprinter_backend_for("/tmp/ipp-named-pipe"), "pcl");
    struct certprinter_capabilities caps;
    assert_int_equal(certprinter_capabilities(&caps), -ESRCH); /* nothing chosen before start */
    assert_null(certprinter_backend_name());
}

/* The IPP back end before its printer answered (nothing listens on port 9): what its
 * encoder makes. */
static void test_ipp_capabilities(void **state)
{
    (void)state;
    struct certprinter_options options = { .address = "ipp://127.0.0.1:9/ipp/print", .db_path = db_path,
                                           .poll_interval_ms = 60000, .request_timeout_ms = 500 };
    assert_int_equal(certprinter_start(queue, &options), 0);
    assert_string_equal(certprinter_backend_name(), "ipp");
    struct certprinter_capabilities caps;
    assert_int_equal(certprinter_capabilities(&caps), 0);
    assert_string_equal(caps.backend, "ipp");
    assert_string_equal(caps.document_format, "image/pwg-raster");
    assert_int_equal(caps.paper_count, 2);
    assert_int_equal(caps.papers[0], PRINT_PAPER_A4);
    assert_int_equal(caps.papers[1], PRINT_PAPER_A5);
    assert_int_equal(caps.dpi_count, 1);
    assert_int_equal(caps.dpi[0], 300);
    assert_false(caps.colour);
    assert_false(caps.from_printer);
    /* the printer does not answer: the status says so, from any thread */
    struct msg m;
    bool told = false;
    for (int i = 0; i < 50 && !told; i++)
        told = msgqueue_wait(queue, &m, 100) && m.kind == MSG_DEVICE_STATUS;
    assert_true(told);
    assert_false(m.u.device_status.present);
    struct print_worker_status status;
    certprinter_status(&status);
    assert_true(status.running);
    assert_int_equal(status.usable, 0);
    assert_string_equal(status.msgid, m.u.device_status.reason);
    certprinter_stop();
    assert_null(certprinter_backend_name());
}

static const struct platform_licence sample = {
    .licence_id = "LIC-0001",
    .name = "居民户口簿",
    .number = "371302199001011234",
    .issuer = "临沂市公安局兰山分局",
    .issued_on = "2024-05-01",
    .title = "居民户口簿",
    .issuer_line = "临沂市公安局兰山分局",
    .seal_text = "临沂市公安局兰山分局户籍专用章",
    .qr = "https://example.invalid/verify/LIC-0001",
    .field_labels = { "姓名", "性别" },
    .field_values = { "张三", "男" },
    .field_count = 2,
};

static void test_licence_content_capabilities_cancel(void **state)
{
    (void)state;
    struct pcl_model *model;
    struct pcl_model_options model_options = { .out_dir = out_dir };
    assert_int_equal(pcl_model_start(&model, &model_options), 0);
    struct certprinter_options options = { .address = pcl_model_slave_path(model),
                                           .port_status = pcl_model_port_status,
                                           .soft_reset = pcl_model_soft_reset,
                                           .link_context = model,
                                           .db_path = db_path,
                                           .poll_interval_ms = 200,
                                           .write_timeout_ms = 2000 };
    assert_int_equal(certprinter_start(queue, &options), 0);
    assert_string_equal(certprinter_backend_name(), "pcl");
    struct certprinter_capabilities caps;
    assert_int_equal(certprinter_capabilities(&caps), 0);
    assert_string_equal(caps.backend, "pcl");
    assert_string_equal(caps.document_format, "application/vnd.hp-PCL");
    assert_int_equal(caps.paper_count, 2);
    assert_int_equal(caps.dpi_count, 6);
    assert_int_equal(caps.dpi[4], 300);
    assert_int_equal(caps.dpi[5], 600);
    assert_false(caps.colour);

    /* content: the worker lays the licence out and prints it */
    struct platform_licence licence = sample;
    assert_int_equal(certprinter_submit_licence(&licence, "Banking", "2026-11-28 09:30"), 0);
    struct msg_print_job end = job_end();
    assert_int_equal(end.state, PRINT_JOB_PRINTED);
    assert_int_equal(wait_pages(1), 1);
    const int64_t printed = end.job_id;
    assert_int_equal(certprinter_cancel_job(printed), 0); /* printed: left as it is */

    /* paper out: failed, retryable; cancelled: failed for good, page emptied */
    assert_int_equal(pcl_model_set_fault(model, "paper-empty-after", 1500), 0);
    assert_int_equal(certprinter_submit_licence(&licence, "Banking", "2026-11-28 09:31"), 0);
    end = job_end();
    assert_int_equal(end.state, PRINT_JOB_FAILED);
    assert_true(end.retryable);
    const int64_t failed = end.job_id;
    size_t size = 0;
    assert_true(job_row(failed, &size).retryable);
    assert_true(size > 0);
    assert_int_equal(certprinter_cancel_job(failed), 0);
    end = job_end();
    assert_int_equal(end.job_id, failed);
    assert_int_equal(end.state, PRINT_JOB_FAILED);
    assert_false(end.retryable);
    assert_non_null(strstr(end.reason, "cancelled"));
    struct print_job row = job_row(failed, &size);
    assert_int_equal(row.state, PRINT_JOB_FAILED);
    assert_false(row.retryable);
    assert_int_equal(size, 0);
    const int attempts = row.attempts;

    pcl_model_restore(model);
    assert_int_equal(certprinter_retry_job(failed), 0); /* cancelled: nothing is sent */
    struct timespec pause = { 0, 700000000 };
    nanosleep(&pause, NULL);
    assert_int_equal(count_pages(), 1);
    assert_int_equal(job_row(failed, &size).attempts, attempts);
    assert_int_equal(job_row(printed, &size).state, PRINT_JOB_PRINTED);
    certprinter_stop();
    pcl_model_stop(model);
}

/* print_jobs_cancel on its own: only a waiting job is cancelled. */
static void test_cancel_in_the_table(void **state)
{
    (void)state;
    struct db *db;
    char err[256];
    assert_int_equal(db_open(db_path, &db, err, sizeof err), 0);
    int64_t queued, sending, retryable, final;
    assert_int_equal(print_jobs_add(db, PRINT_PRINTER_RECEIPT, "guide", "abc", 3, 10, &queued), 0);
    assert_int_equal(print_jobs_add(db, PRINT_PRINTER_RECEIPT, "guide", "abc", 3, 10, &sending), 0);
    assert_int_equal(print_jobs_claim(db, sending, 11), 0);
    assert_int_equal(print_jobs_add(db, PRINT_PRINTER_RECEIPT, "guide", "abc", 3, 10, &retryable), 0);
    assert_int_equal(print_jobs_claim(db, retryable, 11), 0);
    assert_int_equal(print_jobs_finish_failed(db, retryable, true, "paper out", 12), 0);
    assert_int_equal(print_jobs_add(db, PRINT_PRINTER_RECEIPT, "guide", "abc", 3, 10, &final), 0);
    assert_int_equal(print_jobs_claim(db, final, 11), 0);
    assert_int_equal(print_jobs_finish_failed(db, final, false, "bad job", 12), 0);

    assert_int_equal(print_jobs_cancel(db, queued, "cancelled", 20), 0);
    assert_int_equal(print_jobs_cancel(db, retryable, "cancelled", 20), 0);
    assert_int_equal(print_jobs_cancel(db, sending, "cancelled", 20), 1);
    assert_int_equal(print_jobs_cancel(db, final, "cancelled", 20), 1);
    assert_int_equal(print_jobs_cancel(db, 99999, "cancelled", 20), 1);
    struct print_job job;
    assert_int_equal(print_jobs_get(db, queued, &job), 0);
    assert_int_equal(job.state, PRINT_JOB_FAILED);
    assert_false(job.retryable);
    assert_string_equal(job.reason, "cancelled");
    assert_int_equal(print_jobs_claim(db, queued, 21), 1); /* never sent after */
    assert_int_equal(print_jobs_get(db, sending, &job), 0);
    assert_int_equal(job.state, PRINT_JOB_SENDING);
    assert_int_equal(print_jobs_get(db, final, &job), 0);
    assert_string_equal(job.reason, "bad job");
    int64_t next;
    assert_int_equal(print_jobs_next_queued(db, PRINT_PRINTER_RECEIPT, &next), 1);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backend_from_address),
        cmocka_unit_test(test_ipp_capabilities),
        cmocka_unit_test(test_licence_content_capabilities_cancel),
        cmocka_unit_test(test_cancel_in_the_table),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
