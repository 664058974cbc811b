/* PCL 5 raster for A4 lasers without IPP (../shared/reference/printers.md B1): an encoder
 * that turns 1-bit pages into a job, and a job runner over any transport that times out
 * stalled writes and, where the link has one (USB printer class GET_PORT_STATUS, the
 * LPGETSTATUS ioctl of /dev/usb/lpN, the sim's printer model), polls the port status
 * between chunks: paper empty or an error stops the job as retryable instead of leaving it
 * hanging until someone reloads the tray (B4).
 *
 * A job: ESC E, then per page: ESC &l26A (A4) or &l25A (A5), &l0O portrait, &l0E top margin
 * 0, ESC *t300R, *r#S width, *r#T height, *p0X *p0Y (paper corner), *r1A start raster,
 * *b2M (TIFF PackBits), each row ESC *b#W + data (trailing white bytes dropped), runs of
 * blank rows as ESC *b#Y, ESC *rB end raster, FF; then ESC E. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "drivers/transport/transport.h"

/* ---- PackBits (TIFF compression, PCL mode 2) ---- */
/* Most bytes encoding len bytes can take (a literal header per 128). */
static inline size_t pcl_packbits_bound(size_t len)
{
    return len + (len + 127) / 128;
}
/* Encodes len bytes into out (room for pcl_packbits_bound(len)); returns the bytes written.
 * Runs of 3 or more equal bytes become repeats (-(n-1)), the rest literals (n-1); the no-op
 * byte 128 is never written. */
size_t pcl_packbits_encode(const uint8_t *in, size_t len, uint8_t *out);
/* Decodes into out (room for out_len); *written gets how many bytes came out. 0, or
 * -EMSGSIZE when the data would overflow out, -EBADMSG when a run is cut short. */
int pcl_packbits_decode(const uint8_t *in, size_t len, uint8_t *out, size_t out_len, size_t *written);

/* ---- Encoder ---- */
/* A 1-bit page: rows top to bottom, MSB = leftmost dot, 1 = black (struct print_bitmap's
 * layout; drivers do not include the page engine). */
struct pcl_bitmap {
    const uint8_t *bits;
    int width, height;
    size_t stride;
};
enum pcl_paper { PCL_PAPER_A4 = 26, PCL_PAPER_A5 = 25 };   /* their ESC &l#A numbers */

struct pcl_buffer {
    uint8_t *bytes;
    size_t len, capacity;
};
void pcl_buffer_init(struct pcl_buffer *buffer);
void pcl_buffer_free(struct pcl_buffer *buffer);

/* ESC E: the job's start and end. 0 or -ENOMEM. */
int pcl_append_reset(struct pcl_buffer *buffer);
/* One page, as listed above. -EINVAL for a dpi PCL does not have (75, 100, 150, 200, 300,
 * 600) or an empty page; -ENOMEM. */
int pcl_append_page(struct pcl_buffer *buffer, const struct pcl_bitmap *page, enum pcl_paper paper, int dpi);
/* ESC E, the page, ESC E. */
int pcl_encode_job(struct pcl_buffer *buffer, const struct pcl_bitmap *page, enum pcl_paper paper, int dpi);

/* ---- Port status (IEEE 1284 / USB printer class GET_PORT_STATUS, one byte) ---- */
#define PCL_PORT_PAPER_EMPTY 0x20
#define PCL_PORT_SELECTED 0x10
#define PCL_PORT_NOT_ERROR 0x08

/* Reads the port status byte. 0, or a negative errno (-ENOTTY: the link has none). */
typedef int (*pcl_port_status_fn)(void *context, uint8_t *status);
/* Empties the printer's input buffer and drops a half-received page (USB printer class
 * SOFT_RESET), so a job abandoned mid-way cannot finish on its own once the printer recovers
 * and then come out a second time when the job is retried. 0 or a negative errno. */
typedef int (*pcl_soft_reset_fn)(void *context);

/* ---- Job runner ---- */
struct pcl_printer {
    struct transport *transport;
    pcl_port_status_fn port_status;   /* NULL: the link cannot tell */
    pcl_soft_reset_fn soft_reset;     /* NULL: the link has none */
    void *link_context;               /* passed to both */
    int write_timeout_ms;             /* per chunk: a printer that takes nothing this long is stuck */
    size_t chunk_bytes;               /* status is polled between chunks */
    int settle_ms;                    /* after the last byte, status watched this long */
};

enum pcl_job_outcome {
    PCL_JOB_PRINTED,          /* every byte taken and the port reported no fault, or no status */
    PCL_JOB_FAILED_RETRYABLE, /* worth sending again once the reason is cleared */
    PCL_JOB_FAILED_FINAL,     /* sending it again will not help */
};

enum pcl_job_reason {
    PCL_JOB_REASON_NONE,
    PCL_JOB_REASON_PAPER_EMPTY,
    PCL_JOB_REASON_PRINTER_ERROR,   /* the port's nError line: jam, door, toner ... */
    PCL_JOB_REASON_OFFLINE,         /* not selected */
    PCL_JOB_REASON_WRITE_TIMEOUT,   /* stopped taking bytes and the port did not say why */
    PCL_JOB_REASON_DEVICE_GONE,
    PCL_JOB_REASON_IO_ERROR,
    PCL_JOB_REASON_INVALID_JOB,
};

struct pcl_job_result {
    enum pcl_job_outcome outcome;
    enum pcl_job_reason reason;
    bool status_known;              /* port_status answered at least once */
    uint8_t port_status;            /* the last answer */
    size_t bytes_sent;
};

/* Defaults: 5 s per write, 16 KB chunks, 300 ms settle, no port status, no soft reset
 * (set them after). The transport stays the caller's. */
void pcl_printer_init(struct pcl_printer *printer, struct transport *transport);
/* The reason the port status gives, or NONE for a healthy 0x18. */
enum pcl_job_reason pcl_port_status_reason(uint8_t status);
/* Checks the port first (nothing is sent to a printer that cannot print), sends the job in
 * chunks with the status between them, then watches the status for settle_ms. A job given
 * up after its first byte is followed by a soft reset when the link has one. */
void pcl_printer_send_job(struct pcl_printer *printer, const uint8_t *job, size_t len, struct pcl_job_result *result);

/* A technician's line for a reason, and the resident's message (an English msgid, for _()). */
const char *pcl_job_reason_text(enum pcl_job_reason reason);
const char *pcl_job_reason_msgid(enum pcl_job_reason reason);
const char *pcl_job_outcome_name(enum pcl_job_outcome outcome);
