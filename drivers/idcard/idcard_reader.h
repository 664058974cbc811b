/* The GA 467 reader protocol over any transport: one function per command, each with its
 * timeout from the reference's timings (idcard-ga467.md section 6), bounded retries on
 * checksum errors and timeouts, and the card-on-reader bookkeeping that keeps a card left
 * on the reader from being read twice.
 *
 * Errors are negative errno values; reader->error then says why in one English line for
 * technicians (never personal data):
 *   -ETIMEDOUT  no (complete) reply in time, after the retries
 *   -ENODEV     the device went away (unplugged; the pty's far side closed)
 *   -EBADMSG    replies kept failing their checksum; -EMSGSIZE: impossible lengths
 *   -EPROTO     the reader answered with an unexpected SW3 (reader->sw3; idcard_status_lookup)
 *   -ENOENT     find: no card; newest address: the card has none (SW3 91)
 *   -EILSEQ     the card's data is not what the layout says (e.g. ID number check digit) */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "drivers/idcard/idcard_frame.h"
#include "drivers/idcard/idcard_record.h"
#include "drivers/transport/transport.h"

/* Commands (CMD, PARA). */
#define IDCARD_CMD_RESET          0x10, 0xFF
#define IDCARD_CMD_SAM_STATUS     0x11, 0xFF
#define IDCARD_CMD_SAM_ID         0x12, 0xFF
#define IDCARD_CMD_FIND           0x20, 0x01
#define IDCARD_CMD_SELECT         0x20, 0x02
#define IDCARD_CMD_READ           0x30, 0x01
#define IDCARD_CMD_READ_NEWEST    0x30, 0x03
#define IDCARD_CMD_READ_WITH_FP   0x30, 0x10
#define IDCARD_CMD_SET_BAUD       0x60 /* PARA 00..04: 115200/57600/38400/19200/9600 */

#define IDCARD_SW3_OK       0x90
#define IDCARD_SW3_FOUND    0x9F
#define IDCARD_SW3_NO_ITEM  0x91
#define IDCARD_SW3_NO_CARD  0x80

#define IDCARD_READER_RETRIES 2 /* extra attempts after a checksum error or a timeout */

struct idcard_reader {
    struct transport *transport; /* not owned */
    int baud;                    /* for wire-time allowances in the timeouts */
    int retries;
    bool card_present;           /* find succeeded last time */
    bool card_done;              /* the card present has been read: do not read it again */
    uint8_t sw3;                 /* of the last reply */
    char error[200];
    struct idcard_frame_decoder decoder;
    struct idcard_reply reply;   /* the last reply */
};

void idcard_reader_init(struct idcard_reader *reader, struct transport *transport, int baud);

/* One command: drain stale input, send, wait for one reply (retrying as above). reply_max
 * is the longest frame this command can get: it sizes the wire-time allowance, and a
 * longer reply (or a 9F to anything but find) is a late answer to an earlier command and
 * is skipped. 0 with reader->reply filled (whatever its SW3), or a negative errno. */
int idcard_reader_command(struct idcard_reader *reader, uint8_t cmd, uint8_t para, const uint8_t *data,
                          size_t data_len, int timeout_ms, size_t reply_max);

int idcard_reader_reset(struct idcard_reader *reader);
int idcard_reader_sam_status(struct idcard_reader *reader);
/* "AA.BB-YYYYMMDD-NNNNNNNNNN-NNNNNNNNNN" (the padding of the last two is unconfirmed). */
int idcard_reader_sam_id(struct idcard_reader *reader, char *out, size_t out_size);
int idcard_reader_find(struct idcard_reader *reader);
int idcard_reader_select(struct idcard_reader *reader);
/* Read 30 01 (or 30 10 with fingerprints) and decode into record. */
int idcard_reader_read(struct idcard_reader *reader, bool with_fingerprint, struct idcard_record *record);
/* Read 30 03 into record->newest_address; -ENOENT when the card has none. */
int idcard_reader_read_newest_address(struct idcard_reader *reader, struct idcard_record *record);
/* Asks the reader to switch rate; on 0 the caller switches the transport too. */
int idcard_reader_set_baud(struct idcard_reader *reader, int baud);

/* One poll of the worker: find, and for a card not read yet select, read and the newest
 * address. Readers do not find a card again once it has been read until it is lifted off
 * and put back [C12]; so after a read, "no card" is checked with a newest-address probe
 * (answered while the card is in the field, refused once it has left) before the card
 * counts as removed. That probe's behaviour on real readers is UNCONFIRMED (the reader
 * model answers it so). */
enum idcard_poll {
    IDCARD_POLL_NO_CARD,   /* nothing on the reader */
    IDCARD_POLL_REMOVED,   /* the card seen before has been lifted off */
    IDCARD_POLL_SAME_CARD, /* the card already read is still there: not read again */
    IDCARD_POLL_READ,      /* a new card, decoded into record */
};
/* An enum idcard_poll (>= 0), or a negative errno (the card stays "not read": the next
 * poll tries again). */
int idcard_reader_poll(struct idcard_reader *reader, bool with_fingerprint, struct idcard_record *record);

/* Today as YYYYMMDD in local time (for idcard_record_is_expired). */
void idcard_today(char out[9]);
/* One English line for an error of this module (uses reader->error when set). */
const char *idcard_reader_strerror(const struct idcard_reader *reader, int err);
