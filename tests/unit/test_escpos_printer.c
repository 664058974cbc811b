/* escpos_printer over the serial transport, against a tiny scripted printer on the far side
 * of a pty (the full printer model that renders PNGs is board/sim/escpos_model, used by
 * tests/protocol): the bytes on the wire, status queries and bad replies, a confirmed job,
 * paper end before and during a job, a missing GS r reply, a printer that stops reading,
 * and a profile that cannot answer. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/escpos/escpos.h"
#include "drivers/escpos/escpos_printer.h"
#include "drivers/transport/transport_serial.h"

#define WIRE_MAX (1 << 20)

/* The scripted printer: faults set by the test before the exchange, read by its thread. */
static struct fake {
    int master;
    pthread_t thread;
    bool running;
    atomic_bool stop;
    atomic_int status[5];          /* the reply to DLE EOT n */
    atomic_bool status_silent;     /* DLE EOT unanswered */
    atomic_bool status_junk;       /* DLE EOT answered with a byte of the wrong shape */
    atomic_bool processed_silent;  /* GS r unanswered although nothing is wrong */
    atomic_bool not_reading;       /* a stuck printer: takes no bytes at all */
    atomic_int paper_out_after_rows;
    atomic_int rows, unknown_bytes, status_queries, processed_queries;
    uint8_t wire[WIRE_MAX]; /* everything the host sent */
    size_t have, parsed;
} fake;

static void fake_reply(uint8_t b)
{
    assert_int_equal(write(fake.master, &b, 1), 1);
}

static bool fake_paper_end(void)
{
    return fake.status[4] & 0x60;
}

/* Length of the command at wire[at], 0 when incomplete; answers queries on the way. */
static size_t fake_command(size_t at)
{
    const uint8_t *c = fake.wire + at;
    size_t left = fake.have - at;
    if (left < 2)
        return 0;
    if (c[0] == 0x10 && c[1] == 0x04) {
        if (left < 3)
            return 0;
        fake.status_queries++;
        if (fake.status_junk)
            fake_reply(0x00);
        else if (!fake.status_silent && c[2] >= 1 && c[2] <= 4)
            fake_reply((uint8_t)fake.status[c[2]]);
        return 3;
    }
    if (c[0] == 0x1B && c[1] == 0x40)
        return 2;
    if (c[0] == 0x1B && (c[1] == 0x61 || c[1] == 0x64))
        return left >= 3 ? 3 : 0;
    if (c[0] != 0x1D) {
        fake.unknown_bytes++;
        return 1;
    }
    switch (c[1]) {
    case 0x76: {
        if (left < 8)
            return 0;
        size_t x = c[4] | (size_t)c[5] << 8, y = c[6] | (size_t)c[7] << 8;
        if (left < 8 + x * y)
            return 0;
        fake.rows += (int)y;
        if (fake.paper_out_after_rows && fake.rows >= fake.paper_out_after_rows) {
            fake.status[2] = 0x32; /* stopped by paper end */
            fake.status[4] = 0x72;
        }
        return 8 + x * y;
    }
    case 0x56:
        if (left < 3)
            return 0;
        return c[2] >= 0x41 ? (left >= 4 ? 4 : 0) : 3;
    case 0x68:
    case 0x77:
    case 0x48: return left >= 3 ? 3 : 0;
    case 0x6B: return left >= 4 && left >= 4u + c[3] ? 4u + c[3] : 0;
    case 0x72:
        if (left < 3)
            return 0;
        fake.processed_queries++;
        /* A printer stopped by paper end stays silent (Bixolon SRP-330II manual). */
        if (!fake.processed_silent && !fake_paper_end())
            fake_reply(fake.status[4] & 0x0C ? 0x03 : 0x00);
        return 3;
    }
    fake.unknown_bytes++;
    return 1;
}

static void *fake_main(void *arg)
{
    (void)arg;
    while (!fake.stop) {
        if (fake.not_reading) {
            usleep(5000);
            continue;
        }
        struct pollfd p = {.fd = fake.master, .events = POLLIN};
        if (poll(&p, 1, 10) <= 0 || !(p.revents & POLLIN))
            continue;
        ssize_t n = read(fake.master, fake.wire + fake.have, WIRE_MAX - fake.have);
        if (n <= 0)
            continue;
        fake.have += (size_t)n;
        size_t len;
        while (fake.parsed < fake.have && (len = fake_command(fake.parsed)) > 0)
            fake.parsed += len;
    }
    return NULL;
}

static struct transport *transport;
static struct escpos_printer printer;
static struct escpos_buffer job;

static int setup(void **state)
{
    (void)state;
    memset(&fake, 0, sizeof fake);
    for (int n = 1; n <= 4; n++)
        fake.status[n] = 0x12;
    fake.master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(fake.master >= 0);
    assert_int_equal(grantpt(fake.master), 0);
    assert_int_equal(unlockpt(fake.master), 0);
    assert_int_equal(transport_serial_open(ptsname(fake.master), 115200, &transport), 0);
    assert_int_equal(pthread_create(&fake.thread, NULL, fake_main, NULL), 0);
    fake.running = true;
    escpos_printer_init(&printer, transport, escpos_profile_find("epson-tm-t70ii"));
    printer.write_timeout_ms = 300;
    printer.status_timeout_ms = 200;
    printer.confirm_timeout_ms = 2000; /* generous: the suite also runs under ASan on 2 busy cores */
    escpos_buffer_init(&job);
    return 0;
}

/* Stops the scripted printer so the test can read what it received. */
static void fake_finish(void)
{
    if (!fake.running)
        return;
    fake.stop = true;
    pthread_join(fake.thread, NULL);
    fake.running = false;
}

static int teardown(void **state)
{
    (void)state;
    fake_finish();
    transport_close(transport);
    close(fake.master);
    escpos_buffer_free(&job);
    return 0;
}

static const uint8_t status_queries[] = {0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x03, 0x10, 0x04, 0x04};

/* A receipt-like job: init, centred raster of rows rows, Code 128, feed, cut. */
static void build_job(int rows)
{
    size_t size = 72 * (size_t)rows;
    uint8_t *bits = malloc(size);
    assert_non_null(bits);
    for (size_t i = 0; i < size; i++)
        bits[i] = (uint8_t)(i * 31 + 7);
    struct escpos_bitmap bitmap = {bits, 576, rows, 72};
    assert_int_equal(escpos_append_init(&job), 0);
    assert_int_equal(escpos_append_align(&job, ESCPOS_ALIGN_CENTER), 0);
    assert_int_equal(escpos_append_raster(&job, &bitmap), 0);
    assert_int_equal(escpos_append_code128(&job, "SQ-2026-0001", 80, 2, ESCPOS_HRI_BELOW), 0);
    assert_int_equal(escpos_append_feed(&job, 4), 0);
    assert_int_equal(escpos_append_cut(&job, ESCPOS_CUT_FEED_PARTIAL, 0), 0);
    free(bits);
}

static void test_query_status_ready(void **state)
{
    (void)state;
    struct escpos_status status;
    assert_int_equal(escpos_printer_query_status(&printer, &status), 0);
    assert_int_equal(escpos_status_condition(&status), ESCPOS_CONDITION_READY);
    assert_int_equal(status.answered, 0x1E);
    fake_finish();
    assert_int_equal(fake.have, sizeof status_queries);
    assert_memory_equal(fake.wire, status_queries, sizeof status_queries);
}

static void test_query_status_faults(void **state)
{
    (void)state;
    struct escpos_status status;
    fake.status[2] = 0x16; /* cover open */
    fake.status[4] = 0x1E; /* near end */
    assert_int_equal(escpos_printer_query_status(&printer, &status), 0);
    assert_true(status.cover_open);
    assert_true(status.paper_near_end);
    assert_int_equal(escpos_status_condition(&status), ESCPOS_CONDITION_COVER_OPEN);
    fake.status_junk = true;
    assert_int_equal(escpos_printer_query_status(&printer, &status), -EBADMSG);
    fake.status_junk = false;
    fake.status_silent = true;
    assert_int_equal(escpos_printer_query_status(&printer, &status), -ETIMEDOUT);
    fake.status_silent = false;
    /* A late byte from the silent round must not be taken as the next answer. */
    fake_reply(0x1A);
    usleep(20000);
    assert_int_equal(escpos_printer_query_status(&printer, &status), 0);
    assert_false(status.offline);
}

static void test_job_confirmed(void **state)
{
    (void)state;
    build_job(1000);
    struct escpos_job_result result;
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_CONFIRMED);
    assert_int_equal(result.reason, ESCPOS_JOB_REASON_NONE);
    assert_int_equal(result.condition, ESCPOS_CONDITION_READY);
    assert_int_equal(result.bytes_sent, job.len);
    fake_finish();
    /* On the wire: the status probe, the job byte for byte, then GS r 1. */
    assert_int_equal(fake.have, sizeof status_queries + job.len + 3);
    assert_memory_equal(fake.wire, status_queries, sizeof status_queries);
    assert_memory_equal(fake.wire + sizeof status_queries, job.bytes, job.len);
    assert_memory_equal(fake.wire + fake.have - 3, ((const uint8_t[]){0x1D, 0x72, 0x01}), 3);
    assert_int_equal(fake.rows, 1000);
    assert_int_equal(fake.unknown_bytes, 0);
    assert_int_equal(fake.processed_queries, 1);
}

static void test_job_confirmed_near_end(void **state)
{
    (void)state;
    fake.status[4] = 0x1E;
    build_job(16);
    struct escpos_job_result result;
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_CONFIRMED);
    assert_int_equal(result.condition, ESCPOS_CONDITION_PAPER_NEAR_END);
}

static void test_paper_end_before_job(void **state)
{
    (void)state;
    fake.status[2] = 0x32;
    fake.status[4] = 0x72;
    build_job(64);
    struct escpos_job_result result;
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_FAILED_RETRYABLE);
    assert_int_equal(result.reason, ESCPOS_JOB_REASON_PRINTER_CONDITION);
    assert_int_equal(result.condition, ESCPOS_CONDITION_PAPER_END);
    assert_int_equal(result.bytes_sent, 0);
    fake_finish();
    assert_int_equal(fake.have, sizeof status_queries); /* nothing of the job went out */
}

static void test_paper_out_mid_job(void **state)
{
    (void)state;
    fake.paper_out_after_rows = 300;
    build_job(1000);
    struct escpos_job_result result;
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_FAILED_RETRYABLE);
    assert_int_equal(result.reason, ESCPOS_JOB_REASON_PRINTER_CONDITION);
    assert_int_equal(result.condition, ESCPOS_CONDITION_PAPER_END);
    assert_true(result.status.paper_end);
    assert_string_equal(escpos_condition_resident_msgid(result.condition),
                        "The receipt printer is out of paper. Please ask staff for help, or come back tomorrow.");
}

static void test_not_confirmed(void **state)
{
    (void)state;
    fake.processed_silent = true;
    build_job(8);
    struct escpos_job_result result;
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_FAILED_RETRYABLE);
    assert_int_equal(result.reason, ESCPOS_JOB_REASON_NOT_CONFIRMED);
    assert_int_equal(result.condition, ESCPOS_CONDITION_READY);
    assert_int_equal(result.bytes_sent, job.len);
}

static void test_unrecoverable_is_final(void **state)
{
    (void)state;
    fake.status[3] = 0x32;
    build_job(8);
    struct escpos_job_result result;
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_FAILED_FINAL);
    assert_int_equal(result.condition, ESCPOS_CONDITION_UNRECOVERABLE_ERROR);
    escpos_printer_send_job(&printer, job.bytes, 0, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_FAILED_FINAL);
    assert_int_equal(result.reason, ESCPOS_JOB_REASON_INVALID_JOB);
}

static void test_printer_stops_reading(void **state)
{
    (void)state;
    build_job(4000); /* about 290 KB: far more than the pty buffers */
    struct escpos_status status;
    assert_int_equal(escpos_printer_query_status(&printer, &status), 0);
    fake.not_reading = true;
    printer.profile = escpos_profile_find("generic-80mm"); /* no status probe first */
    struct escpos_job_result result;
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_FAILED_RETRYABLE);
    assert_int_equal(result.reason, ESCPOS_JOB_REASON_WRITE_TIMEOUT);
    assert_true(result.bytes_sent < job.len);
}

static void test_profile_without_replies(void **state)
{
    (void)state;
    printer.profile = escpos_profile_find("generic-80mm");
    fake.status_silent = true;
    fake.processed_silent = true;
    build_job(100);
    struct escpos_job_result result;
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_SENT_UNCONFIRMED);
    assert_int_equal(result.bytes_sent, job.len);
    usleep(100000);
    fake_finish();
    assert_int_equal(fake.have, job.len); /* no DLE EOT, no GS r: only the job */
    assert_memory_equal(fake.wire, job.bytes, job.len);
    for (int r = ESCPOS_JOB_REASON_NONE; r <= ESCPOS_JOB_REASON_INVALID_JOB; r++)
        assert_non_null(escpos_job_reason_text((enum escpos_job_reason)r));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_query_status_ready, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_status_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_job_confirmed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_job_confirmed_near_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paper_end_before_job, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paper_out_mid_job, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_confirmed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unrecoverable_is_final, setup, teardown),
        cmocka_unit_test_setup_teardown(test_printer_stops_reading, setup, teardown),
        cmocka_unit_test_setup_teardown(test_profile_without_replies, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
