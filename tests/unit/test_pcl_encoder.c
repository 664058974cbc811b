/* PCL encoder and job runner: PackBits against the hand-checked example of Apple's TN1023
 * and its edge cases (runs of 128/129/130, literals of 128/129, two equal bytes, the no-op
 * 128, cut-short data) plus a random round trip within the bound; a small page's job byte
 * for byte as printers.md B1 lists the commands; the runner's decisions on a transport that
 * records what it was sent: a printer reporting paper empty gets nothing, a write that
 * stalls is explained by the port, a job given up mid-way is followed by a soft reset. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/certprinter/pcl.h"

static void round_trip(const uint8_t *in, size_t len)
{
    uint8_t *packed = malloc(pcl_packbits_bound(len) + 1);
    uint8_t *back = malloc(len + 1);
    assert_non_null(packed);
    assert_non_null(back);
    size_t n = pcl_packbits_encode(in, len, packed);
    assert_true(n <= pcl_packbits_bound(len));
    size_t got = 0;
    assert_int_equal(pcl_packbits_decode(packed, n, back, len, &got), 0);
    assert_int_equal(got, len);
    assert_memory_equal(back, in, len);
    free(packed);
    free(back);
}

static void expect_encoding(const uint8_t *in, size_t len, const uint8_t *want, size_t want_len)
{
    uint8_t out[600];
    size_t n = pcl_packbits_encode(in, len, out);
    assert_int_equal(n, want_len);
    assert_memory_equal(out, want, want_len);
    round_trip(in, len);
}

static void test_packbits_apple_example(void **state)
{
    (void)state;
    /* Apple TN1023's example, encoded by hand: runs of 3+ repeat, the rest literal. */
    const uint8_t in[] = { 0xAA, 0xAA, 0xAA, 0x80, 0x00, 0x2A, 0xAA, 0xAA, 0xAA, 0xAA, 0x80, 0x00,
                           0x2A, 0x22, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA };
    const uint8_t want[] = { 0xFE, 0xAA, 0x02, 0x80, 0x00, 0x2A, 0xFD, 0xAA, 0x03,
                             0x80, 0x00, 0x2A, 0x22, 0xF7, 0xAA };
    expect_encoding(in, sizeof in, want, sizeof want);
}

static void test_packbits_edges(void **state)
{
    (void)state;
    uint8_t in[300] = { 0 }, want[300] = { 0 };
    expect_encoding(in, 0, want, 0);
    in[0] = 0x42;
    expect_encoding(in, 1, (const uint8_t[]){ 0x00, 0x42 }, 2);
    /* Two equal bytes stay in a literal (a repeat would cost as much and split it). */
    const uint8_t two[] = { 1, 1, 2 };
    expect_encoding(two, 3, (const uint8_t[]){ 0x02, 1, 1, 2 }, 4);
    /* 128 equal: one repeat (0x81); 129: repeat + a 1-byte literal; 130: repeat + literal of 2. */
    memset(in, 0xFF, 130);
    expect_encoding(in, 128, (const uint8_t[]){ 0x81, 0xFF }, 2);
    expect_encoding(in, 129, (const uint8_t[]){ 0x81, 0xFF, 0x00, 0xFF }, 4);
    expect_encoding(in, 130, (const uint8_t[]){ 0x81, 0xFF, 0x01, 0xFF, 0xFF }, 5);
    /* 128 distinct: one literal (0x7F); 129: a second literal of one. */
    for (int i = 0; i < 129; i++)
        in[i] = (uint8_t)i;
    want[0] = 0x7F;
    memcpy(want + 1, in, 128);
    expect_encoding(in, 128, want, 129);
    want[129] = 0x00;
    want[130] = 128;
    expect_encoding(in, 129, want, 131);
    /* A literal that ends where a run of three begins. */
    const uint8_t mixed[] = { 5, 6, 7, 7, 7, 7 };
    expect_encoding(mixed, 6, (const uint8_t[]){ 0x01, 5, 6, 0xFD, 7 }, 5);
}

static void test_packbits_decode_errors(void **state)
{
    (void)state;
    uint8_t out[16];
    size_t got = 99;
    /* 128 is a no-op between runs. */
    assert_int_equal(pcl_packbits_decode((const uint8_t[]){ 0x80, 0xFE, 0x11, 0x80 }, 4, out, 16, &got), 0);
    assert_int_equal(got, 3);
    assert_memory_equal(out, ((const uint8_t[]){ 0x11, 0x11, 0x11 }), 3);
    /* A literal promising 3 bytes with 2 left; a repeat with no byte. */
    assert_int_equal(pcl_packbits_decode((const uint8_t[]){ 0x02, 1, 2 }, 3, out, 16, &got), -EBADMSG);
    assert_int_equal(pcl_packbits_decode((const uint8_t[]){ 0xFE }, 1, out, 16, &got), -EBADMSG);
    /* More out than room. */
    assert_int_equal(pcl_packbits_decode((const uint8_t[]){ 0x81, 0 }, 2, out, 16, &got), -EMSGSIZE);
}

static void test_packbits_random_round_trip(void **state)
{
    (void)state;
    srand(6);
    uint8_t buf[1000];
    for (int trial = 0; trial < 500; trial++) {
        size_t len = (size_t)(rand() % 1000);
        /* Mostly runs with some noise, like a raster row. */
        for (size_t i = 0; i < len; i++)
            buf[i] = (rand() % 4 == 0) ? (uint8_t)rand() : (i ? buf[i - 1] : 0);
        round_trip(buf, len);
    }
}

static void test_page_bytes(void **state)
{
    (void)state;
    /* 16 x 4 dots: row 0 = FF 00, rows 1-2 blank, row 3 = 0F F0. */
    const uint8_t bits[] = { 0xFF, 0x00, 0, 0, 0, 0, 0x0F, 0xF0 };
    struct pcl_bitmap page = { bits, 16, 4, 2 };
    struct pcl_buffer job;
    pcl_buffer_init(&job);
    assert_int_equal(pcl_encode_job(&job, &page, PCL_PAPER_A4, 300), 0);
    static const char want[] = "\033E"
                               "\033&l26A\033&l0O\033&l0E\033*t300R\033*r16S\033*r4T\033*p0X\033*p0Y\033*r1A\033*b2M"
                               "\033*b2W\x00\xFF"        /* trailing white byte dropped; literal of 1 */
                               "\033*b2Y"               /* two blank rows */
                               "\033*b3W\x01\x0F\xF0"
                               "\033*rB\f"
                               "\033E";
    assert_int_equal(job.len, sizeof want - 1);
    assert_memory_equal(job.bytes, want, sizeof want - 1);
    pcl_buffer_free(&job);

    pcl_buffer_init(&job);
    assert_int_equal(pcl_append_page(&job, &page, PCL_PAPER_A5, 300), 0);
    assert_memory_equal(job.bytes, "\033&l25A", 6);
    assert_int_equal(pcl_append_page(&job, &page, PCL_PAPER_A4, 250), -EINVAL);
    pcl_buffer_free(&job);
}

/* A transport that records what it takes and can stall after a number of bytes. */
struct record_transport {
    struct transport base;
    uint8_t bytes[200000];
    size_t len;
    size_t stall_after;   /* writes past this many bytes time out */
};

static ssize_t record_write(struct transport *t, const uint8_t *bytes, size_t len, int timeout_ms)
{
    (void)timeout_ms;
    struct record_transport *r = (struct record_transport *)t;
    if (r->len + len > r->stall_after || r->len + len > sizeof r->bytes)
        return -ETIMEDOUT;
    memcpy(r->bytes + r->len, bytes, len);
    r->len += len;
    return (ssize_t)len;
}

static ssize_t record_read(struct transport *t, uint8_t *buf, size_t len, int timeout_ms)
{
    (void)t;
    (void)buf;
    (void)len;
    (void)timeout_ms;
    return -ETIMEDOUT;
}

static void record_close(struct transport *t)
{
    (void)t;
}

static const struct transport_ops record_ops = { "record", record_write, record_read, record_close };

struct port {
    uint8_t status;
    size_t paper_out_after;     /* the status turns 0x28 once this many bytes were taken */
    struct record_transport *transport;
    int resets;
};

static int port_status(void *context, uint8_t *status)
{
    struct port *port = context;
    *status = port->transport->len >= port->paper_out_after ? 0x28 : port->status;
    return 0;
}

static int port_reset(void *context)
{
    ((struct port *)context)->resets++;
    return 0;
}

static void test_runner(void **state)
{
    (void)state;
    static struct record_transport t;
    static uint8_t job[100000];
    memset(job, 0x55, sizeof job);
    struct port port = { 0x18, SIZE_MAX, &t, 0 };
    struct pcl_printer printer;
    struct pcl_job_result result;

    /* Healthy: every byte goes, printed. */
    t = (struct record_transport){ .base = { &record_ops }, .stall_after = SIZE_MAX };
    pcl_printer_init(&printer, &t.base);
    printer.port_status = port_status;
    printer.soft_reset = port_reset;
    printer.link_context = &port;
    printer.settle_ms = 0;
    pcl_printer_send_job(&printer, job, sizeof job, &result);
    assert_int_equal(result.outcome, PCL_JOB_PRINTED);
    assert_int_equal(result.bytes_sent, sizeof job);
    assert_int_equal(t.len, sizeof job);
    assert_true(result.status_known);
    assert_int_equal(port.resets, 0);

    /* Paper empty before the job: nothing is sent. */
    t.len = 0;
    port.status = 0x28;
    pcl_printer_send_job(&printer, job, sizeof job, &result);
    assert_int_equal(result.outcome, PCL_JOB_FAILED_RETRYABLE);
    assert_int_equal(result.reason, PCL_JOB_REASON_PAPER_EMPTY);
    assert_int_equal(t.len, 0);
    assert_int_equal(port.resets, 0);

    /* An error (nError low, 0x10) before the job. */
    port.status = 0x10;
    pcl_printer_send_job(&printer, job, sizeof job, &result);
    assert_int_equal(result.reason, PCL_JOB_REASON_PRINTER_ERROR);

    /* Paper runs out after 40000 bytes: stopped at the next chunk boundary, soft reset. */
    port.status = 0x18;
    port.paper_out_after = 40000;
    pcl_printer_send_job(&printer, job, sizeof job, &result);
    assert_int_equal(result.outcome, PCL_JOB_FAILED_RETRYABLE);
    assert_int_equal(result.reason, PCL_JOB_REASON_PAPER_EMPTY);
    assert_int_equal(result.bytes_sent, 49152);   /* three 16 KB chunks */
    assert_int_equal(port.resets, 1);

    /* A write that stalls with a healthy port: a timeout, retryable. */
    t.len = 0;
    port.paper_out_after = SIZE_MAX;
    t.stall_after = 20000;
    pcl_printer_send_job(&printer, job, sizeof job, &result);
    assert_int_equal(result.outcome, PCL_JOB_FAILED_RETRYABLE);
    assert_int_equal(result.reason, PCL_JOB_REASON_WRITE_TIMEOUT);
    assert_int_equal(result.bytes_sent, 16384);
    assert_int_equal(port.resets, 2);

    /* Without a port status the same stall is still a timeout; an empty job is final. */
    printer.port_status = NULL;
    t.len = 0;
    pcl_printer_send_job(&printer, job, sizeof job, &result);
    assert_int_equal(result.reason, PCL_JOB_REASON_WRITE_TIMEOUT);
    assert_false(result.status_known);
    pcl_printer_send_job(&printer, job, 0, &result);
    assert_int_equal(result.outcome, PCL_JOB_FAILED_FINAL);
    assert_int_equal(pcl_port_status_reason(0x18), PCL_JOB_REASON_NONE);
    assert_int_equal(pcl_port_status_reason(0x08), PCL_JOB_REASON_OFFLINE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packbits_apple_example),
        cmocka_unit_test(test_packbits_edges),
        cmocka_unit_test(test_packbits_decode_errors),
        cmocka_unit_test(test_packbits_random_round_trip),
        cmocka_unit_test(test_page_bytes),
        cmocka_unit_test(test_runner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
