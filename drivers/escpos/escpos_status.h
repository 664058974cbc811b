/* ESC/POS status replies: DLE EOT n (n = 1..4) and GS r 1, decoded and validated, and a
 * combined status turned into one message for residents and one for technicians.
 * Bits and reply patterns: ../shared/reference/printers.md A5. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

struct escpos_status {
    bool offline;             /* DLE EOT 1 bit 3 */
    bool cover_open;          /* DLE EOT 2 bit 2 */
    bool feed_button;         /* DLE EOT 2 bit 3: paper being fed by hand */
    bool stopped_paper_end;   /* DLE EOT 2 bit 5 */
    bool error;               /* DLE EOT 2 bit 6 */
    bool mechanical_error;    /* DLE EOT 3 bit 2 (also black-mark errors) */
    bool cutter_error;        /* DLE EOT 3 bit 3 */
    bool unrecoverable_error; /* DLE EOT 3 bit 5 */
    bool recoverable_error;   /* DLE EOT 3 bit 6: e.g. head too hot; clears by itself */
    bool paper_near_end;      /* DLE EOT 4 bits 2-3, GS r 1 bits 0-1 */
    bool paper_end;           /* DLE EOT 4 bits 5-6, GS r 1 bits 2-3 */
    unsigned answered;        /* bit n set once DLE EOT n was decoded; bit 0 for GS r 1 */
};

/* The one condition that matters most, worst first in the order of checking. */
enum escpos_condition {
    ESCPOS_CONDITION_READY,
    ESCPOS_CONDITION_PAPER_NEAR_END, /* still prints */
    ESCPOS_CONDITION_RECOVERABLE_ERROR,
    ESCPOS_CONDITION_OFFLINE,
    ESCPOS_CONDITION_PAPER_END,
    ESCPOS_CONDITION_COVER_OPEN,
    ESCPOS_CONDITION_CUTTER_ERROR,
    ESCPOS_CONDITION_UNRECOVERABLE_ERROR,
    ESCPOS_CONDITION_NOT_ANSWERING, /* no valid reply at all: for the protocol layer */
};

/* True when b has the shape of a DLE EOT reply: bits 1 and 4 set, bits 0 and 7 clear. */
bool escpos_status_is_realtime_reply(uint8_t b);
/* Folds the reply to DLE EOT n into status. 0; -EINVAL for n outside 1..4; -EBADMSG when b
 * is not a status byte (status is then unchanged). */
int escpos_status_decode_realtime(struct escpos_status *status, int n, uint8_t b);
/* Folds a GS r 1 reply (paper sensor) into status. 0 or -EBADMSG (bits 4 or 7 set). */
int escpos_status_decode_paper_sensor(struct escpos_status *status, uint8_t b);

enum escpos_condition escpos_status_condition(const struct escpos_status *status);
/* True when the printer cannot print a receipt in this condition. */
bool escpos_condition_blocks_printing(enum escpos_condition condition);
/* An English msgid for residents (translate with _()), or NULL when there is nothing to
 * tell them (ready, paper near end). */
const char *escpos_condition_resident_msgid(enum escpos_condition condition);
/* What a technician reads in the log and kioskctl: what is wrong and what to do. */
const char *escpos_condition_technician_text(enum escpos_condition condition);
