/* print_jobs on a real database file: the states a job goes through, the claim that keeps a
 * job from being sent twice, a restart in the middle of sending, and the rows as a
 * technician would read them with the sqlite3 shell. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "firmware/storage/db.h"
#include "firmware/print/print_jobs.h"

static char db_path[64];

static int setup(void **state)
{
    snprintf(db_path, sizeof db_path, "/tmp/test_print_jobs_%d.db", (int)getpid());
    unlink(db_path);
    struct db *db;
    char err[256];
    if (db_open(db_path, &db, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    char path[80];
    unlink(db_path);
    snprintf(path, sizeof path, "%s-wal", db_path);
    unlink(path);
    snprintf(path, sizeof path, "%s-shm", db_path);
    unlink(path);
    return 0;
}

static struct db *reopen(struct db *db)
{
    db_close(db);
    char err[256];
    struct db *again;
    assert_int_equal(db_open(db_path, &again, err, sizeof err), 0);
    return again;
}

static void test_job_is_queued_claimed_printed(void **state)
{
    struct db *db = *state;
    const uint8_t payload[] = { 0x1B, 0x40, 0x00, 0xFF, 0x1D, 0x72, 0x01 };
    int64_t id;
    assert_int_equal(print_jobs_add(db, PRINT_PRINTER_RECEIPT, "guide", payload, sizeof payload, 1000, &id), 0);
    int64_t next;
    assert_int_equal(print_jobs_next_queued(db, PRINT_PRINTER_RECEIPT, &next), 0);
    assert_int_equal(next, id);
    assert_int_equal(print_jobs_next_queued(db, PRINT_PRINTER_CERTIFICATE, &next), 1);

    void *bytes;
    size_t size;
    assert_int_equal(print_jobs_load_payload(db, id, &bytes, &size), 0);
    assert_int_equal(size, sizeof payload);
    assert_memory_equal(bytes, payload, sizeof payload); /* a NUL in the middle survives */
    free(bytes);

    assert_int_equal(print_jobs_claim(db, id, 1001), 0);
    assert_int_equal(print_jobs_claim(db, id, 1002), 1); /* a second sender gets nothing */
    assert_int_equal(print_jobs_next_queued(db, PRINT_PRINTER_RECEIPT, &next), 1);
    assert_int_equal(print_jobs_finish_printed(db, id, 1003), 0);
    assert_int_equal(print_jobs_finish_printed(db, id, 1004), 1);

    struct print_job job;
    assert_int_equal(print_jobs_get(db, id, &job), 0);
    assert_int_equal(job.state, PRINT_JOB_PRINTED);
    assert_int_equal(job.attempts, 1);
    assert_string_equal(job.kind, "guide");
    assert_int_equal(job.created_at, 1000);
    assert_int_equal(job.updated_at, 1003);
    assert_int_equal(print_jobs_claim(db, id, 1005), 1); /* printed is final */
    /* what was printed is not kept at rest */
    assert_int_equal(print_jobs_load_payload(db, id, &bytes, &size), 0);
    assert_int_equal(size, 0);
    free(bytes);
    assert_int_equal(print_jobs_get(db, id + 100, &job), 1);
}

static void test_paper_out_is_retryable_once(void **state)
{
    struct db *db = *state;
    int64_t id;
    assert_int_equal(print_jobs_add(db, PRINT_PRINTER_RECEIPT, "guide", "x", 1, 10, &id), 0);
    assert_int_equal(print_jobs_claim(db, id, 11), 0);
    assert_int_equal(print_jobs_finish_failed(db, id, true, "paper end during the job", 12), 0);
    struct print_job job;
    assert_int_equal(print_jobs_get(db, id, &job), 0);
    assert_int_equal(job.state, PRINT_JOB_FAILED);
    assert_true(job.retryable);
    assert_string_equal(job.reason, "paper end during the job");
    /* the retry: claimed once, printed once */
    assert_int_equal(print_jobs_claim(db, id, 20), 0);
    assert_int_equal(print_jobs_claim(db, id, 20), 1);
    assert_int_equal(print_jobs_finish_printed(db, id, 21), 0);
    assert_int_equal(print_jobs_get(db, id, &job), 0);
    assert_int_equal(job.attempts, 2);
    assert_false(job.retryable);

    /* a final failure is never claimed again */
    assert_int_equal(print_jobs_add(db, PRINT_PRINTER_RECEIPT, "guide", "y", 1, 30, &id), 0);
    assert_int_equal(print_jobs_claim(db, id, 31), 0);
    assert_int_equal(print_jobs_finish_failed(db, id, false, "job too large for the printer", 32), 0);
    assert_int_equal(print_jobs_claim(db, id, 33), 1);
    void *bytes;
    size_t size;
    assert_int_equal(print_jobs_load_payload(db, id, &bytes, &size), 0);
    assert_int_equal(size, 0);
    free(bytes);
}

static int collect(const struct print_job *job, void *context)
{
    int64_t *ids = context;
    ids[++ids[0]] = job->id;
    return 0;
}

static void test_restart_while_sending_never_resends(void **state)
{
    struct db *db = *state;
    int64_t sending, queued, cert;
    assert_int_equal(print_jobs_add(db, PRINT_PRINTER_RECEIPT, "guide", "a", 1, 50, &sending), 0);
    assert_int_equal(print_jobs_add(db, PRINT_PRINTER_RECEIPT, "guide", "b", 1, 51, &queued), 0);
    assert_int_equal(print_jobs_add(db, PRINT_PRINTER_CERTIFICATE, "licence", "c", 1, 52, &cert), 0);
    assert_int_equal(print_jobs_claim(db, sending, 53), 0);
    assert_int_equal(print_jobs_claim(db, cert, 53), 0);
    assert_int_equal(print_jobs_set_printer_job_id(db, cert, "17", 54), 0);

    db = reopen(db); /* the power went */
    *state = db;
    int count;
    assert_int_equal(print_jobs_mark_interrupted(db, PRINT_PRINTER_RECEIPT, "interrupted by a restart", 60, &count),
                     0);
    assert_int_equal(count, 1);
    struct print_job job;
    assert_int_equal(print_jobs_get(db, sending, &job), 0);
    assert_int_equal(job.state, PRINT_JOB_FAILED);
    assert_true(job.retryable);
    /* the queued one goes on as before; the interrupted one waits for a retry by hand */
    int64_t next;
    assert_int_equal(print_jobs_next_queued(db, PRINT_PRINTER_RECEIPT, &next), 0);
    assert_int_equal(next, queued);
    /* the certificate job is left sending, with its printer id, for the driver to ask about */
    int64_t ids[8] = { 0 };
    assert_int_equal(print_jobs_for_each(db, PRINT_PRINTER_CERTIFICATE, PRINT_JOB_SENDING, collect, ids), 0);
    assert_int_equal(ids[0], 1);
    assert_int_equal(ids[1], cert);
    assert_int_equal(print_jobs_get(db, cert, &job), 0);
    assert_string_equal(job.printer_job_id, "17");
}

static void test_rows_as_the_technician_sees_them(void **state)
{
    struct db *db = *state;
    int64_t id;
    assert_int_equal(print_jobs_add(db, PRINT_PRINTER_RECEIPT, "test", "z", 1, 70, &id), 0);
    assert_int_equal(print_jobs_claim(db, id, 71), 0);
    assert_int_equal(print_jobs_finish_failed(db, id, true, "cover open", 72), 0);
    char command[200];
    snprintf(command, sizeof command,
             "sqlite3 -readonly %s \"SELECT printer, kind, state, retryable, reason FROM print_jobs WHERE id = %lld\"",
             db_path, (long long)id);
    FILE *shell = popen(command, "r");
    assert_non_null(shell);
    char line[200] = "";
    char *got = fgets(line, sizeof line, shell);
    assert_int_equal(pclose(shell), 0); /* the sqlite3 shell is in debian-packages.txt */
    assert_non_null(got);
    assert_string_equal(line, "receipt|test|failed|1|cover open\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_job_is_queued_claimed_printed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paper_out_is_retryable_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restart_while_sending_never_resends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows_as_the_technician_sees_them, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
