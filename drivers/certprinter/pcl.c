/* PCL raster encoder and job runner (see pcl.h). */
#include "drivers/certprinter/pcl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "firmware/core/i18n.h"

size_t pcl_packbits_encode(const uint8_t *in, size_t len, uint8_t *out)
{
    size_t i = 0, o = 0;
    while (i < len) {
        size_t run = 1;
        while (i + run < len && run < 128 && in[i + run] == in[i])
            run++;
        if (run >= 3) {
            /* A repeat: header 257 - run (i.e. -(run - 1) as a signed byte), then the byte. */
            out[o++] = (uint8_t)(257 - run);
            out[o++] = in[i];
            i += run;
            continue;
        }
        /* A literal up to 128 bytes, ended where a run of three begins: two equal bytes are
         * cheaper inside a literal than as a repeat of their own. */
        size_t start = i, count = 0;
        while (i < len && count < 128) {
            if (i + 2 < len && in[i] == in[i + 1] && in[i] == in[i + 2])
                break;
            i++;
            count++;
        }
        out[o++] = (uint8_t)(count - 1);
        memcpy(out + o, in + start, count);
        o += count;
    }
    return o;
}

int pcl_packbits_decode(const uint8_t *in, size_t len, uint8_t *out, size_t out_len, size_t *written)
{
    size_t i = 0, o = 0;
    while (i < len) {
        uint8_t n = in[i++];
        if (n == 128)
            continue;
        if (n < 128) {
            size_t count = (size_t)n + 1;
            if (i + count > len)
                return -EBADMSG;
            if (o + count > out_len)
                return -EMSGSIZE;
            memcpy(out + o, in + i, count);
            i += count;
            o += count;
        } else {
            size_t count = 257 - (size_t)n;
            if (i >= len)
                return -EBADMSG;
            if (o + count > out_len)
                return -EMSGSIZE;
            memset(out + o, in[i++], count);
            o += count;
        }
    }
    *written = o;
    return 0;
}

void pcl_buffer_init(struct pcl_buffer *buffer)
{
    memset(buffer, 0, sizeof *buffer);
}

void pcl_buffer_free(struct pcl_buffer *buffer)
{
    free(buffer->bytes);
    pcl_buffer_init(buffer);
}

static int pcl_reserve(struct pcl_buffer *buffer, size_t more)
{
    if (buffer->len + more <= buffer->capacity)
        return 0;
    size_t capacity = buffer->capacity ? buffer->capacity : 65536;
    while (capacity < buffer->len + more)
        capacity *= 2;
    uint8_t *bytes = realloc(buffer->bytes, capacity);
    if (!bytes)
        return -ENOMEM;
    buffer->bytes = bytes;
    buffer->capacity = capacity;
    return 0;
}

static int pcl_append(struct pcl_buffer *buffer, const void *bytes, size_t len)
{
    if (pcl_reserve(buffer, len) < 0)
        return -ENOMEM;
    memcpy(buffer->bytes + buffer->len, bytes, len);
    buffer->len += len;
    return 0;
}

/* An escape sequence from printf-style text; "\033" is written as the first byte. */
static int pcl_append_command(struct pcl_buffer *buffer, const char *format, int value)
{
    char text[32];
    int n = snprintf(text, sizeof text, format, value);
    return pcl_append(buffer, text, (size_t)n);
}

static int pcl_append_text(struct pcl_buffer *buffer, const char *text)
{
    return pcl_append(buffer, text, strlen(text));
}

int pcl_append_reset(struct pcl_buffer *buffer)
{
    return pcl_append(buffer, "\033E", 2);
}

static int pcl_append_blank_rows(struct pcl_buffer *buffer, int *blank)
{
    int rc = *blank ? pcl_append_command(buffer, "\033*b%dY", *blank) : 0;
    *blank = 0;
    return rc;
}

int pcl_append_page(struct pcl_buffer *buffer, const struct pcl_bitmap *page, enum pcl_paper paper, int dpi)
{
    if (dpi != 75 && dpi != 100 && dpi != 150 && dpi != 200 && dpi != 300 && dpi != 600)
        return -EINVAL;
    if (page->width <= 0 || page->height <= 0 || page->stride < ((size_t)page->width + 7) / 8 ||
        (paper != PCL_PAPER_A4 && paper != PCL_PAPER_A5))
        return -EINVAL;
    int rc = 0;
    rc |= pcl_append_command(buffer, "\033&l%dA", (int)paper);
    rc |= pcl_append_text(buffer, "\033&l0O\033&l0E");
    rc |= pcl_append_command(buffer, "\033*t%dR", dpi);
    rc |= pcl_append_command(buffer, "\033*r%dS", page->width);
    rc |= pcl_append_command(buffer, "\033*r%dT", page->height);
    rc |= pcl_append_text(buffer, "\033*p0X\033*p0Y\033*r1A\033*b2M");
    if (rc)
        return -ENOMEM;
    const size_t row_bytes = ((size_t)page->width + 7) / 8;
    uint8_t *packed = malloc(pcl_packbits_bound(row_bytes));
    if (!packed)
        return -ENOMEM;
    int blank = 0;
    for (int y = 0; y < page->height && rc == 0; y++) {
        const uint8_t *row = page->bits + (size_t)y * page->stride;
        /* Dots past the last black byte are white anyway: the row is shorter on the wire. */
        size_t used = row_bytes;
        while (used > 0 && row[used - 1] == 0)
            used--;
        if (used == 0) {
            blank++;
            continue;
        }
        size_t n = pcl_packbits_encode(row, used, packed);
        rc |= pcl_append_blank_rows(buffer, &blank);
        rc |= pcl_append_command(buffer, "\033*b%dW", (int)n);
        rc |= pcl_append(buffer, packed, n);
    }
    free(packed);
    /* Blank rows at the bottom need nothing: *r#T said how tall the page is. */
    rc |= pcl_append_text(buffer, "\033*rB\f");
    return rc ? -ENOMEM : 0;
}

int pcl_encode_job(struct pcl_buffer *buffer, const struct pcl_bitmap *page, enum pcl_paper paper, int dpi)
{
    int rc = pcl_append_reset(buffer);
    if (rc == 0)
        rc = pcl_append_page(buffer, page, paper, dpi);
    if (rc == 0)
        rc = pcl_append_reset(buffer);
    return rc;
}

void pcl_printer_init(struct pcl_printer *printer, struct transport *transport)
{
    *printer = (struct pcl_printer){
        .transport = transport,
        .write_timeout_ms = 5000,
        .chunk_bytes = 16384,
        .settle_ms = 300,
    };
}

enum pcl_job_reason pcl_port_status_reason(uint8_t status)
{
    if (status & PCL_PORT_PAPER_EMPTY)
        return PCL_JOB_REASON_PAPER_EMPTY;
    if (!(status & PCL_PORT_NOT_ERROR))
        return PCL_JOB_REASON_PRINTER_ERROR;
    if (!(status & PCL_PORT_SELECTED))
        return PCL_JOB_REASON_OFFLINE;
    return PCL_JOB_REASON_NONE;
}

/* Asks the port; returns the fault it shows, NONE when healthy or when the link cannot say. */
static enum pcl_job_reason pcl_check_port(struct pcl_printer *printer, struct pcl_job_result *result)
{
    if (!printer->port_status)
        return PCL_JOB_REASON_NONE;
    uint8_t status;
    int rc = printer->port_status(printer->link_context, &status);
    if (rc == -ENODEV)
        return PCL_JOB_REASON_DEVICE_GONE;
    if (rc < 0)
        return PCL_JOB_REASON_NONE;
    result->status_known = true;
    result->port_status = status;
    return pcl_port_status_reason(status);
}

static void pcl_fail(struct pcl_printer *printer, struct pcl_job_result *result, enum pcl_job_reason reason)
{
    if (result->bytes_sent > 0 && printer->soft_reset)
        printer->soft_reset(printer->link_context);
    result->reason = reason;
    result->outcome = reason == PCL_JOB_REASON_INVALID_JOB ? PCL_JOB_FAILED_FINAL : PCL_JOB_FAILED_RETRYABLE;
}

static void pcl_sleep_ms(int ms)
{
    struct timespec pause = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&pause, NULL);
}

void pcl_printer_send_job(struct pcl_printer *printer, const uint8_t *job, size_t len, struct pcl_job_result *result)
{
    memset(result, 0, sizeof *result);
    if (!job || len == 0) {
        pcl_fail(printer, result, PCL_JOB_REASON_INVALID_JOB);
        return;
    }
    enum pcl_job_reason reason = pcl_check_port(printer, result);
    if (reason != PCL_JOB_REASON_NONE) {
        pcl_fail(printer, result, reason);
        return;
    }
    const size_t chunk = printer->chunk_bytes ? printer->chunk_bytes : 16384;
    while (result->bytes_sent < len) {
        size_t n = len - result->bytes_sent < chunk ? len - result->bytes_sent : chunk;
        ssize_t w = transport_write(printer->transport, job + result->bytes_sent, n, printer->write_timeout_ms);
        if (w < 0) {
            /* A stalled write is explained by the port when it can: a laser out of paper
             * stops taking data; without a port status it is a plain timeout. */
            reason = pcl_check_port(printer, result);
            if (reason == PCL_JOB_REASON_NONE)
                reason = w == -ETIMEDOUT ? PCL_JOB_REASON_WRITE_TIMEOUT
                         : w == -ENODEV  ? PCL_JOB_REASON_DEVICE_GONE
                                         : PCL_JOB_REASON_IO_ERROR;
            pcl_fail(printer, result, reason);
            return;
        }
        result->bytes_sent += (size_t)w;
        reason = pcl_check_port(printer, result);
        if (reason != PCL_JOB_REASON_NONE) {
            pcl_fail(printer, result, reason);
            return;
        }
    }
    /* PCL has no "page done" answer: the last chunk may still be in the printer's buffer.
     * Watch the port a little longer, so paper running out on the last rows is not missed. */
    for (int waited = 0; waited < printer->settle_ms && printer->port_status; waited += 50) {
        pcl_sleep_ms(50);
        reason = pcl_check_port(printer, result);
        if (reason != PCL_JOB_REASON_NONE) {
            pcl_fail(printer, result, reason);
            return;
        }
    }
    result->outcome = PCL_JOB_PRINTED;
}

const char *pcl_job_reason_text(enum pcl_job_reason reason)
{
    switch (reason) {
    case PCL_JOB_REASON_NONE: return "none";
    case PCL_JOB_REASON_PAPER_EMPTY: return "paper empty (port status 0x20): load paper, then retry the job";
    case PCL_JOB_REASON_PRINTER_ERROR: return "printer error (port status nError): check for a jam, an open door or toner";
    case PCL_JOB_REASON_OFFLINE: return "printer offline (port status not selected): press its online button";
    case PCL_JOB_REASON_WRITE_TIMEOUT: return "the printer stopped taking data and its port did not say why";
    case PCL_JOB_REASON_DEVICE_GONE: return "the printer went away (unplugged or powered off)";
    case PCL_JOB_REASON_IO_ERROR: return "input/output error on the printer's link";
    case PCL_JOB_REASON_INVALID_JOB: return "empty job (a bug upstream)";
    }
    return "unknown";
}

/* The same messages as the IPP back end's, so a resident reads one wording per condition. */
const char *pcl_job_reason_msgid(enum pcl_job_reason reason)
{
    switch (reason) {
    case PCL_JOB_REASON_NONE: return NULL;
    case PCL_JOB_REASON_PAPER_EMPTY:
        return N_("The certificate printer is out of paper. Please ask staff for help, or come back tomorrow.");
    case PCL_JOB_REASON_PRINTER_ERROR:
        return N_("The certificate printer is not working. Please ask staff for help, or come back tomorrow.");
    case PCL_JOB_REASON_OFFLINE:
        return N_("The certificate printer is offline. Please ask staff for help, or come back tomorrow.");
    default:
        return N_("The certificate printer is not answering. Please ask staff for help, or come back tomorrow.");
    }
}

const char *pcl_job_outcome_name(enum pcl_job_outcome outcome)
{
    switch (outcome) {
    case PCL_JOB_PRINTED: return "printed";
    case PCL_JOB_FAILED_RETRYABLE: return "failed-retryable";
    case PCL_JOB_FAILED_FINAL: return "failed-final";
    }
    return "unknown";
}
