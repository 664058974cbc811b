/* The ESC/POS printer protocol over a transport (design section 5): status queries with
 * DLE EOT, a job sent in chunks with write timeouts, then GS r 1 whose reply proves that
 * everything before it was processed. Runs unchanged over a tty, a pty with the printer
 * model on the far side, /dev/usb/lpN, or libusb bulk endpoints (transport_usb_printer). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "drivers/escpos/escpos_profile.h"
#include "drivers/escpos/escpos_status.h"
#include "drivers/transport/transport.h"

struct escpos_printer {
    struct transport *transport;
    const struct escpos_profile *profile;
    int write_timeout_ms;   /* per chunk: a printer that takes nothing for this long is stuck */
    int status_timeout_ms;  /* DLE EOT is real-time: answered within milliseconds */
    int confirm_timeout_ms; /* GS r waits for the whole job to be printed */
    size_t chunk_bytes;
};

/* What a print-job layer persists. */
enum escpos_job_outcome {
    ESCPOS_JOB_CONFIRMED,         /* sent, and GS r 1 answered: everything was processed */
    ESCPOS_JOB_SENT_UNCONFIRMED,  /* sent to a profile that cannot answer over this link */
    ESCPOS_JOB_FAILED_RETRYABLE,  /* worth sending again once the reason is cleared */
    ESCPOS_JOB_FAILED_FINAL,      /* sending it again will not help */
};

enum escpos_job_reason {
    ESCPOS_JOB_REASON_NONE,
    ESCPOS_JOB_REASON_PRINTER_CONDITION, /* see result.condition: paper end, cover open ... */
    ESCPOS_JOB_REASON_WRITE_TIMEOUT,     /* the printer stopped taking bytes mid-job */
    ESCPOS_JOB_REASON_NOT_CONFIRMED,     /* no GS r reply in time, and no fault to explain it */
    ESCPOS_JOB_REASON_DEVICE_GONE,       /* unplugged or powered off */
    ESCPOS_JOB_REASON_IO_ERROR,
    ESCPOS_JOB_REASON_INVALID_JOB,       /* empty: a bug upstream, final */
};

struct escpos_job_result {
    enum escpos_job_outcome outcome;
    enum escpos_job_reason reason;
    enum escpos_condition condition; /* the printer's state at the end, when it answered */
    struct escpos_status status;
    size_t bytes_sent;
};

/* Sets the defaults: 2 s per chunk write, 500 ms per status byte, 30 s to confirm, 4 KB
 * chunks (the clones' buffer size). The transport stays owned by the caller. */
void escpos_printer_init(struct escpos_printer *printer, struct transport *transport,
                         const struct escpos_profile *profile);
/* Sends DLE EOT 1..4 and decodes the four replies into status. Bytes left over from an
 * earlier exchange are drained first. 0, or a negative errno: -ETIMEDOUT (no reply),
 * -EBADMSG (a reply that is not a status byte), -ENODEV, -EIO. */
int escpos_printer_query_status(struct escpos_printer *printer, struct escpos_status *status);
/* Checks status (when the profile answers), sends job (which must not itself end in GS r 1),
 * then GS r 1 and waits for the reply. Never blocks longer than the timeouts above. */
void escpos_printer_send_job(struct escpos_printer *printer, const uint8_t *job, size_t len,
                             struct escpos_job_result *result);
/* A technician's one-line description of a result's reason. */
const char *escpos_job_reason_text(enum escpos_job_reason reason);
