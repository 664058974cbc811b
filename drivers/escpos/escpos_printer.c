/* ESC/POS printer protocol. Exchange facts: ../shared/reference/printers.md A5 (receiptio's
 * probe-send-confirm sequence is the model). */
#include "drivers/escpos/escpos_printer.h"

#include <errno.h>
#include <string.h>
#include <time.h>

void escpos_printer_init(struct escpos_printer *printer, struct transport *transport,
                         const struct escpos_profile *profile)
{
    printer->transport = transport;
    printer->profile = profile;
    printer->write_timeout_ms = 2000;
    printer->status_timeout_ms = 500;
    printer->confirm_timeout_ms = 30000;
    printer->chunk_bytes = 4096;
}

/* A late reply from an earlier timed-out exchange would otherwise be read as the answer to
 * the next question. */
static int escpos_printer_drain(struct escpos_printer *printer)
{
    uint8_t junk[64];
    for (int rounds = 0; rounds < 64; rounds++) {
        ssize_t n = transport_read(printer->transport, junk, sizeof junk, 0);
        if (n == -ETIMEDOUT)
            return 0;
        if (n < 0)
            return (int)n;
    }
    return 0; /* a line that never stops talking: go on, validation will catch it */
}

static int escpos_printer_read_byte(struct escpos_printer *printer, uint8_t *b, int timeout_ms)
{
    ssize_t n = transport_read(printer->transport, b, 1, timeout_ms);
    return n < 0 ? (int)n : 0;
}

int escpos_printer_query_status(struct escpos_printer *printer, struct escpos_status *status)
{
    memset(status, 0, sizeof *status);
    int r = escpos_printer_drain(printer);
    if (r < 0)
        return r;
    for (int n = 1; n <= 4; n++) {
        const uint8_t query[] = {0x10, 0x04, (uint8_t)n};
        ssize_t w = transport_write(printer->transport, query, sizeof query, printer->write_timeout_ms);
        if (w < 0)
            return (int)w;
        uint8_t b;
        r = escpos_printer_read_byte(printer, &b, printer->status_timeout_ms);
        if (r < 0)
            return r;
        r = escpos_status_decode_realtime(status, n, b);
        if (r < 0)
            return r;
    }
    return 0;
}

static enum escpos_job_reason escpos_printer_reason_of(int err)
{
    switch (err) {
    case -ETIMEDOUT: return ESCPOS_JOB_REASON_WRITE_TIMEOUT;
    case -ENODEV: return ESCPOS_JOB_REASON_DEVICE_GONE;
    default: return ESCPOS_JOB_REASON_IO_ERROR;
    }
}

static void escpos_printer_fail(struct escpos_job_result *result, enum escpos_job_outcome outcome,
                                enum escpos_job_reason reason)
{
    result->outcome = outcome;
    result->reason = reason;
}

/* After a failure, asks the printer why: a paper end or open cover explains a write timeout
 * or a missing GS r reply better than the timeout itself. True when it named a fault. */
static bool escpos_printer_explain(struct escpos_printer *printer, struct escpos_job_result *result)
{
    if (!printer->profile->status_over_usb)
        return false;
    struct escpos_status status;
    if (escpos_printer_query_status(printer, &status) < 0) {
        result->condition = ESCPOS_CONDITION_NOT_ANSWERING;
        return false;
    }
    result->status = status;
    result->condition = escpos_status_condition(&status);
    if (!escpos_condition_blocks_printing(result->condition))
        return false;
    escpos_printer_fail(result,
                        result->condition == ESCPOS_CONDITION_UNRECOVERABLE_ERROR ? ESCPOS_JOB_FAILED_FINAL
                                                                                   : ESCPOS_JOB_FAILED_RETRYABLE,
                        ESCPOS_JOB_REASON_PRINTER_CONDITION);
    return true;
}

static int64_t escpos_printer_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Waits up to confirm_timeout_ms for GS r 1's reply byte. A printer stopped by paper end,
 * an open cover or an error never answers GS r, and a resident should not wait half a
 * minute to learn it: every ESCPOS_PRINTER_PROBE_MS of silence DLE EOT 2 is asked (real-time,
 * answered even while stopped). Its replies have bit 4 set, GS r's never, so the two cannot
 * be confused. 0 with the reply, -EAGAIN when the printer reports itself stopped (the caller
 * asks the whole status), or a negative errno (-ETIMEDOUT, -ENODEV ...). */
#define ESCPOS_PRINTER_PROBE_MS 1000
static int escpos_printer_await_processed(struct escpos_printer *printer, uint8_t *reply)
{
    const int64_t deadline = escpos_printer_now_ms() + printer->confirm_timeout_ms;
    int pending = 0;
    for (;;) {
        int64_t left = deadline - escpos_printer_now_ms();
        if (left <= 0)
            return -ETIMEDOUT;
        uint8_t b;
        int r = escpos_printer_read_byte(printer, &b, left < ESCPOS_PRINTER_PROBE_MS ? (int)left : ESCPOS_PRINTER_PROBE_MS);
        if (r == 0 && !escpos_status_is_realtime_reply(b)) {
            *reply = b;
            return 0;
        }
        if (r == 0) {
            struct escpos_status status = { 0 };
            if (pending > 0) {
                pending--;
                escpos_status_decode_realtime(&status, 2, b);
                if (status.cover_open || status.stopped_paper_end || status.error)
                    return -EAGAIN;
            }
            continue; /* an automatic status byte nobody asked for */
        }
        if (r != -ETIMEDOUT)
            return r;
        static const uint8_t probe[] = { 0x10, 0x04, 0x02 };
        ssize_t w = transport_write(printer->transport, probe, sizeof probe, printer->write_timeout_ms);
        if (w < 0)
            return (int)w;
        pending++;
    }
}

void escpos_printer_send_job(struct escpos_printer *printer, const uint8_t *job, size_t len,
                             struct escpos_job_result *result)
{
    memset(result, 0, sizeof *result);
    result->condition = ESCPOS_CONDITION_READY;
    if (len == 0) {
        escpos_printer_fail(result, ESCPOS_JOB_FAILED_FINAL, ESCPOS_JOB_REASON_INVALID_JOB);
        return;
    }
    bool answers = printer->profile->status_over_usb;
    if (answers) {
        /* Nothing is sent to a printer that cannot print it: the job stays whole for later. */
        int r = escpos_printer_query_status(printer, &result->status);
        if (r < 0) {
            result->condition = ESCPOS_CONDITION_NOT_ANSWERING;
            escpos_printer_fail(result, ESCPOS_JOB_FAILED_RETRYABLE,
                                r == -ENODEV ? ESCPOS_JOB_REASON_DEVICE_GONE : ESCPOS_JOB_REASON_PRINTER_CONDITION);
            return;
        }
        result->condition = escpos_status_condition(&result->status);
        if (escpos_condition_blocks_printing(result->condition)) {
            escpos_printer_fail(result,
                                result->condition == ESCPOS_CONDITION_UNRECOVERABLE_ERROR ? ESCPOS_JOB_FAILED_FINAL
                                                                                           : ESCPOS_JOB_FAILED_RETRYABLE,
                                ESCPOS_JOB_REASON_PRINTER_CONDITION);
            return;
        }
    }
    size_t chunk = printer->chunk_bytes ? printer->chunk_bytes : 4096;
    while (result->bytes_sent < len) {
        size_t n = len - result->bytes_sent < chunk ? len - result->bytes_sent : chunk;
        ssize_t w = transport_write(printer->transport, job + result->bytes_sent, n, printer->write_timeout_ms);
        if (w < 0) {
            if (w != -ENODEV && escpos_printer_explain(printer, result))
                return;
            escpos_printer_fail(result, ESCPOS_JOB_FAILED_RETRYABLE, escpos_printer_reason_of((int)w));
            return;
        }
        result->bytes_sent += (size_t)w;
    }
    if (!answers) {
        result->outcome = ESCPOS_JOB_SENT_UNCONFIRMED;
        return;
    }
    static const uint8_t processed_query[] = {0x1D, 0x72, 0x01};
    int r = escpos_printer_drain(printer);
    ssize_t w = r < 0 ? r
                      : transport_write(printer->transport, processed_query, sizeof processed_query,
                                        printer->write_timeout_ms);
    if (w < 0) {
        if (w != -ENODEV && escpos_printer_explain(printer, result))
            return;
        escpos_printer_fail(result, ESCPOS_JOB_FAILED_RETRYABLE, escpos_printer_reason_of((int)w));
        return;
    }
    uint8_t b = 0;
    r = escpos_printer_await_processed(printer, &b);
    if (r == 0 && escpos_status_decode_paper_sensor(&result->status, b) == 0) {
        result->condition = escpos_status_condition(&result->status);
        /* GS r is answered in queue order: the job was processed. A paper end reported in
         * the same byte came after the last row, so the receipt is complete. */
        result->outcome = ESCPOS_JOB_CONFIRMED;
        return;
    }
    if (r == -ENODEV) {
        escpos_printer_fail(result, ESCPOS_JOB_FAILED_RETRYABLE, ESCPOS_JOB_REASON_DEVICE_GONE);
        return;
    }
    /* Silent (a printer stopped by paper end never answers GS r) or a byte of the wrong
     * shape: ask for the cause. With none, the receipt may or may not have come out; the
     * job layer decides whether to retry (it is retryable: a lost receipt is worse). */
    if (escpos_printer_explain(printer, result))
        return;
    escpos_printer_fail(result, ESCPOS_JOB_FAILED_RETRYABLE, ESCPOS_JOB_REASON_NOT_CONFIRMED);
}

const char *escpos_job_reason_text(enum escpos_job_reason reason)
{
    switch (reason) {
    case ESCPOS_JOB_REASON_NONE: return "no error";
    case ESCPOS_JOB_REASON_PRINTER_CONDITION: return "the printer reported a fault (see its condition)";
    case ESCPOS_JOB_REASON_WRITE_TIMEOUT: return "the printer stopped taking data mid-job";
    case ESCPOS_JOB_REASON_NOT_CONFIRMED: return "the printer did not confirm the job (no GS r reply)";
    case ESCPOS_JOB_REASON_DEVICE_GONE: return "the printer went away (unplugged or powered off)";
    case ESCPOS_JOB_REASON_IO_ERROR: return "input/output error talking to the printer";
    case ESCPOS_JOB_REASON_INVALID_JOB: return "empty job (a bug in the job layer)";
    }
    return "unknown reason";
}
