/* The receipt worker against the printer model on a pty and a database on disk: after a
 * restart the queued job prints and the one that was being sent does not (it may be on
 * paper) until a retry by hand; a retry prints once, a second retry nothing; paper out in a
 * job leaves it failed and retryable, tells the UI the printer is unusable, and the retry
 * after new paper prints it once. Counted as receipts the model cut. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "firmware/storage/db.h"
#include "drivers/escpos/escpos.h"
#include "board/sim/escpos_model.h"
#include "firmware/core/msgqueue.h"
#include "firmware/print/print_jobs.h"
#include "firmware/print/receipt_worker.h"

static char dir[128], db_path[160];

/* A small real receipt: init, 64 rows of a pattern, a partial cut. */
static void small_job(struct escpos_buffer *job)
{
    static uint8_t bits[72 * 64];
    for (size_t i = 0; i < sizeof bits; i++)
        bits[i] = (uint8_t)(i % 3 ? 0xAA : 0x0F);
    const struct escpos_bitmap bitmap = { bits, 576, 64, 72 };
    escpos_buffer_init(job);
    assert_int_equal(escpos_append_init(job), 0);
    assert_int_equal(escpos_append_raster(job, &bitmap), 0);
    assert_int_equal(escpos_append_cut(job, ESCPOS_CUT_FEED_PARTIAL, 0), 0);
}

/* The next MSG_PRINT_JOB in a final state (printed or failed); other messages are noted. */
static struct msg_print_job wait_job_end(struct msgqueue *queue, int *unusable_seen)
{
    struct msg m;
    for (int waited = 0; waited < 20; waited++) {
        while (msgqueue_wait(queue, &m, 1000)) {
            if (m.kind == MSG_DEVICE_STATUS && m.u.device_status.device == DEVICE_RECEIPT_PRINTER && unusable_seen &&
                !m.u.device_status.present)
                *unusable_seen = 1;
            if (m.kind == MSG_PRINT_JOB && m.u.print_job.state != PRINT_JOB_SENDING)
                return m.u.print_job;
        }
    }
    fail_msg("no job result within 20 s");
    return (struct msg_print_job){ 0 };
}

static unsigned long receipts(struct escpos_model *model)
{
    struct escpos_model_stats stats;
    escpos_model_get_stats(model, &stats);
    return stats.receipts;
}

static struct print_job job_row(int64_t id)
{
    struct db *db;
    char err[256];
    assert_int_equal(db_open(db_path, &db, err, sizeof err), 0);
    struct print_job job;
    assert_int_equal(print_jobs_get(db, id, &job), 0);
    db_close(db);
    return job;
}

static void test_restart_then_retry_then_paper_out(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_receipt_worker_%d", (int)getpid());
    mkdir(dir, 0700);
    snprintf(db_path, sizeof db_path, "%s/kiosk.db", dir);
    struct escpos_buffer job;
    small_job(&job);

    /* The state a power cut left: job 1 was being sent, job 2 waited. */
    struct db *db;
    char err[256];
    assert_int_equal(db_open(db_path, &db, err, sizeof err), 0);
    int64_t interrupted, waiting;
    assert_int_equal(print_jobs_add(db, PRINT_PRINTER_RECEIPT, "guide", job.bytes, job.len, 100, &interrupted), 0);
    assert_int_equal(print_jobs_claim(db, interrupted, 101), 0);
    assert_int_equal(print_jobs_add(db, PRINT_PRINTER_RECEIPT, "guide", job.bytes, job.len, 102, &waiting), 0);
    db_close(db);

    struct escpos_model *model;
    struct escpos_model_options model_options = { .out_dir = dir, .width_dots = 576 };
    assert_int_equal(escpos_model_start(&model, &model_options), 0);
    struct msgqueue *queue = msgqueue_create(64);
    struct receipt_worker_options options = { .address = escpos_model_slave_path(model),
                                              .profile = "epson-tm-t70ii",
                                              .db_path = db_path,
                                              .poll_interval_ms = 500,
                                              .confirm_timeout_ms = 3000 };
    assert_int_equal(receipt_worker_start(queue, &options), 0);

    struct msg_print_job end = wait_job_end(queue, NULL);
    assert_int_equal(end.job_id, waiting);
    assert_int_equal(end.state, PRINT_JOB_PRINTED);
    assert_int_equal(receipts(model), 1);
    struct print_job row = job_row(interrupted);
    assert_int_equal(row.state, PRINT_JOB_FAILED);
    assert_true(row.retryable);
    assert_non_null(strstr(row.reason, "restart"));

    /* the technician retries it: once */
    assert_int_equal(receipt_worker_retry(interrupted), 0);
    end = wait_job_end(queue, NULL);
    assert_int_equal(end.job_id, interrupted);
    assert_int_equal(end.state, PRINT_JOB_PRINTED);
    assert_int_equal(receipts(model), 2);
    assert_int_equal(receipt_worker_retry(interrupted), 0); /* printed: nothing happens */
    usleep(500 * 1000);
    assert_int_equal(receipts(model), 2);
    assert_int_equal(job_row(interrupted).attempts, 2);

    /* paper out 20 rows into a new job */
    assert_int_equal(escpos_model_set_fault(model, "paper-out-after", 20), 0);
    assert_int_equal(receipt_worker_submit("guide", job.bytes, job.len), 0);
    int unusable = 0;
    end = wait_job_end(queue, &unusable);
    assert_int_equal(end.state, PRINT_JOB_FAILED);
    assert_true(end.retryable);
    assert_string_equal(end.msgid,
                        "The receipt printer is out of paper. Please ask staff for help, or come back tomorrow.");
    struct msg m;
    for (int i = 0; i < 20 && !unusable && msgqueue_wait(queue, &m, 200); i++)
        unusable = m.kind == MSG_DEVICE_STATUS && !m.u.device_status.present;
    assert_true(unusable);
    assert_int_equal(receipts(model), 2);
    int64_t failed = end.job_id;
    assert_int_equal(job_row(failed).state, PRINT_JOB_FAILED);

    escpos_model_restore_paper(model);
    assert_int_equal(receipt_worker_retry(failed), 0);
    end = wait_job_end(queue, NULL);
    assert_int_equal(end.job_id, failed);
    assert_int_equal(end.state, PRINT_JOB_PRINTED);
    assert_int_equal(receipts(model), 3);

    receipt_worker_stop();
    escpos_model_stop(model);
    msgqueue_destroy(queue);
    escpos_buffer_free(&job);
    char command[200];
    snprintf(command, sizeof command, "rm -rf %s", dir);
    assert_int_equal(system(command), 0);
}

/* Every other fault of the model, one job each through the worker: what the job table says
 * afterwards and whether a receipt came out. */
static void test_each_fault_leaves_the_right_job_state(void **state)
{
    (void)state;
    static const struct {
        const char *fault;
        enum print_job_state state;
        const char *reason; /* in the job row when failed */
        unsigned long receipts;
    } cases[] = {
        { "near-end", PRINT_JOB_PRINTED, "", 1 },
        { "small-buffer", PRINT_JOB_PRINTED, "", 1 }, /* bands of at most 4 KB fit the clone's buffer */
        { "cover-open", PRINT_JOB_FAILED, "cover open", 0 },
        { "offline", PRINT_JOB_FAILED, "offline", 0 },
        { "cutter-jam", PRINT_JOB_FAILED, "cutter", 0 },
    };
    snprintf(dir, sizeof dir, "/tmp/test_receipt_worker_faults_%d", (int)getpid());
    mkdir(dir, 0700);
    snprintf(db_path, sizeof db_path, "%s/kiosk.db", dir);
    struct escpos_buffer job;
    small_job(&job);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct escpos_model *model;
        struct escpos_model_options model_options = { .out_dir = dir, .width_dots = 576, .fault = cases[i].fault };
        assert_int_equal(escpos_model_start(&model, &model_options), 0);
        struct msgqueue *queue = msgqueue_create(64);
        struct receipt_worker_options options = { .address = escpos_model_slave_path(model),
                                                  .profile = "epson-tm-t70ii",
                                                  .db_path = db_path,
                                                  .poll_interval_ms = 500,
                                                  .confirm_timeout_ms = 3000 };
        assert_int_equal(receipt_worker_start(queue, &options), 0);
        assert_int_equal(receipt_worker_submit("guide", job.bytes, job.len), 0);
        struct msg_print_job end = wait_job_end(queue, NULL);
        struct print_job row = job_row(end.job_id);
        print_message("%s: job %lld %s retryable=%d reason '%s'\n", cases[i].fault, (long long)end.job_id,
                      print_job_state_name(row.state), row.retryable, row.reason);
        assert_int_equal(row.state, cases[i].state);
        if (cases[i].state == PRINT_JOB_FAILED) {
            assert_true(row.retryable);
            assert_non_null(strstr(row.reason, cases[i].reason));
            assert_true(end.msgid[0] != '\0');
        }
        assert_int_equal(receipts(model), cases[i].receipts);
        struct escpos_model_stats stats;
        escpos_model_get_stats(model, &stats);
        assert_int_equal(stats.overflows, 0);
        assert_int_equal(stats.errors, 0);
        receipt_worker_stop();
        escpos_model_stop(model);
        msgqueue_destroy(queue);
        char png[200];
        snprintf(png, sizeof png, "%s/receipt-0001.png", dir);
        unlink(png);
    }
    escpos_buffer_free(&job);
    char command[200];
    snprintf(command, sizeof command, "rm -rf %s", dir);
    assert_int_equal(system(command), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restart_then_retry_then_paper_out),
        cmocka_unit_test(test_each_fault_leaves_the_right_job_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
