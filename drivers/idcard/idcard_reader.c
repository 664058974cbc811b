#include "drivers/idcard/idcard_reader.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Per-command timeouts. idcard-ga467.md section 6 gives the figures found in vendor code
 * (SAM ID 300 ms, find/select 100-200 ms, read 2000 ms, read with fingerprints 3000 ms,
 * newest address 1500 ms; hev probes SAM status with 2 s and uses 5 s per command); those
 * are typical answers, not limits, and a slow reader (the model's "slow" fault: 1 s per
 * command) must still work, so each gets about a second more. The wire time of the longest
 * reply at the current rate is added on top. */
#define IDCARD_TIMEOUT_RESET_MS      3000
#define IDCARD_TIMEOUT_SAM_STATUS_MS 2000
#define IDCARD_TIMEOUT_SAM_ID_MS     1500
#define IDCARD_TIMEOUT_FIND_MS       1500
#define IDCARD_TIMEOUT_SELECT_MS     1500
#define IDCARD_TIMEOUT_READ_MS       3000
#define IDCARD_TIMEOUT_READ_FP_MS    4000
#define IDCARD_TIMEOUT_NEWEST_MS     2000
#define IDCARD_TIMEOUT_SET_BAUD_MS   1500
#define IDCARD_WRITE_TIMEOUT_MS      500
#define IDCARD_DRAIN_READS_MAX       64

void idcard_reader_init(struct idcard_reader *reader, struct transport *transport, int baud)
{
    memset(reader, 0, sizeof *reader);
    reader->transport = transport;
    reader->baud = baud > 0 ? baud : 115200;
    reader->retries = IDCARD_READER_RETRIES;
    idcard_frame_decoder_reset(&reader->decoder);
}

static long long idcard_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* A late reply to an earlier command (one that timed out) must not be taken for the reply
 * to the next one: throw away whatever is waiting before sending. */
static int idcard_reader_drain(struct idcard_reader *reader)
{
    uint8_t scratch[256];
    for (int i = 0; i < IDCARD_DRAIN_READS_MAX; i++) {
        ssize_t n = transport_read(reader->transport, scratch, sizeof scratch, 0);
        if (n == -ETIMEDOUT)
            break;
        if (n < 0)
            return (int)n;
    }
    idcard_frame_decoder_reset(&reader->decoder);
    return 0;
}

/* Waits for one reply. timeout_ms is the longest silence allowed (before the first byte
 * and between chunks: a slow bridge may pause mid-frame); the whole wait is capped at four
 * times that, so a device that drips junk forever still ends. */
/* A reply that cannot be the answer to this command is a late answer to an earlier one
 * that timed out (the drain before sending cannot catch one still on its way): SW3 9F is
 * only ever find's, and no reply is longer than its command's longest. */
static bool idcard_reader_reply_stale(const struct idcard_reader *reader, uint8_t cmd, uint8_t para,
                                      size_t reply_max)
{
    bool find = cmd == 0x20 && para == 0x01;
    return (reader->reply.sw3 == IDCARD_SW3_FOUND && !find) ||
           reader->reply.data_len + IDCARD_FRAME_HEADER_LEN + IDCARD_REPLY_MIN_LEN > reply_max;
}

static int idcard_reader_receive(struct idcard_reader *reader, uint8_t cmd, uint8_t para, int timeout_ms,
                                 size_t reply_max)
{
    long long start = idcard_now_ms();
    long long cap = start + 4LL * timeout_ms;
    long long deadline = start + timeout_ms;
    uint8_t chunk[512];
    for (;;) {
        int got = idcard_frame_decoder_next(&reader->decoder, &reader->reply);
        if (got == 1 && idcard_reader_reply_stale(reader, cmd, para, reply_max))
            continue;
        if (got == 1) {
            reader->sw3 = reader->reply.sw3;
            return 0;
        }
        if (got < 0)
            return got;
        long long now = idcard_now_ms();
        long long until = deadline < cap ? deadline : cap;
        if (now >= until)
            return -ETIMEDOUT;
        ssize_t n = transport_read(reader->transport, chunk, sizeof chunk, (int)(until - now));
        if (n < 0)
            return (int)n;
        deadline = idcard_now_ms() + timeout_ms;
        size_t used = 0;
        while (used < (size_t)n) {
            size_t took = idcard_frame_decoder_feed(&reader->decoder, chunk + used, (size_t)n - used);
            used += took;
            if (used < (size_t)n) {
                /* The buffer is full: decode to make room (a full buffer always yields). */
                got = idcard_frame_decoder_next(&reader->decoder, &reader->reply);
                if (got == 1 && !idcard_reader_reply_stale(reader, cmd, para, reply_max)) {
                    reader->sw3 = reader->reply.sw3;
                    return 0;
                }
                if (got < 0)
                    return got;
            }
        }
    }
}

static const char *idcard_reader_err_name(int err)
{
    switch (err) {
    case -ETIMEDOUT: return "no reply in time";
    case -EBADMSG: return "reply checksum error";
    case -EMSGSIZE: return "reply length out of range";
    case -ENODEV: return "device gone";
    default: return strerror(-err);
    }
}

int idcard_reader_command(struct idcard_reader *reader, uint8_t cmd, uint8_t para, const uint8_t *data,
                          size_t data_len, int timeout_ms, size_t reply_max)
{
    uint8_t frame[IDCARD_FRAME_HEADER_LEN + 3 + IDCARD_REQUEST_DATA_MAX];
    int len = idcard_frame_encode_command(cmd, para, data, data_len, frame, sizeof frame);
    if (len < 0)
        return len;
    /* Wire time of the longest reply, 10 bits a byte, rounded up, plus our request. */
    int wire_ms = (int)(((long long)(reply_max + (size_t)len) * 10 * 1000 + reader->baud - 1) / reader->baud);
    int err = 0;
    reader->error[0] = '\0';
    for (int attempt = 0; attempt <= reader->retries; attempt++) {
        err = idcard_reader_drain(reader);
        if (err < 0)
            break;
        ssize_t sent = transport_write(reader->transport, frame, (size_t)len, IDCARD_WRITE_TIMEOUT_MS + wire_ms);
        if (sent < 0) {
            err = (int)sent;
            if (err == -ETIMEDOUT)
                continue;
            break;
        }
        err = idcard_reader_receive(reader, cmd, para, timeout_ms + wire_ms, reply_max);
        /* Our frame garbled on the way in (SW3 10/11): line noise, worth another try. */
        if (err == 0 && (reader->reply.sw3 == 0x10 || reader->reply.sw3 == 0x11) && attempt < reader->retries)
            continue;
        if (err == 0 || (err != -ETIMEDOUT && err != -EBADMSG && err != -EMSGSIZE))
            break;
    }
    if (err < 0)
        snprintf(reader->error, sizeof reader->error, "command %02X %02X: %s (%d attempts)", cmd, para,
                 idcard_reader_err_name(err), err == -ENODEV ? 1 : reader->retries + 1);
    return err;
}

/* A reply whose SW3 is not the one expected: name it for technicians. */
static int idcard_reader_status_error(struct idcard_reader *reader, uint8_t cmd, uint8_t para)
{
    const struct idcard_status *status = idcard_status_lookup(reader->reply.sw3);
    snprintf(reader->error, sizeof reader->error, "command %02X %02X: SW3 %02X (%s): %s", cmd, para,
             reader->reply.sw3, status->name, status->technician);
    return -EPROTO;
}

static int idcard_reader_simple(struct idcard_reader *reader, uint8_t cmd, uint8_t para, int timeout_ms,
                                uint8_t expect)
{
    int err = idcard_reader_command(reader, cmd, para, NULL, 0, timeout_ms, 64);
    if (err < 0)
        return err;
    return reader->reply.sw3 == expect ? 0 : idcard_reader_status_error(reader, cmd, para);
}

int idcard_reader_reset(struct idcard_reader *reader)
{
    return idcard_reader_simple(reader, IDCARD_CMD_RESET, IDCARD_TIMEOUT_RESET_MS, IDCARD_SW3_OK);
}

int idcard_reader_sam_status(struct idcard_reader *reader)
{
    return idcard_reader_simple(reader, IDCARD_CMD_SAM_STATUS, IDCARD_TIMEOUT_SAM_STATUS_MS, IDCARD_SW3_OK);
}

static unsigned long idcard_le32(const uint8_t *b)
{
    return (unsigned long)b[0] | (unsigned long)b[1] << 8 | (unsigned long)b[2] << 16 | (unsigned long)b[3] << 24;
}

int idcard_reader_sam_id(struct idcard_reader *reader, char *out, size_t out_size)
{
    int err = idcard_reader_simple(reader, IDCARD_CMD_SAM_ID, IDCARD_TIMEOUT_SAM_ID_MS, IDCARD_SW3_OK);
    if (err < 0)
        return err;
    const uint8_t *d = reader->reply.data;
    if (reader->reply.data_len < 16) {
        snprintf(reader->error, sizeof reader->error, "command 12 FF: SAM ID reply has %zu bytes, not 16",
                 reader->reply.data_len);
        return -EILSEQ;
    }
    snprintf(out, out_size, "%02u.%02u-%08lu-%010lu-%010lu", (unsigned)(d[0] | d[1] << 8),
             (unsigned)(d[2] | d[3] << 8), idcard_le32(d + 4), idcard_le32(d + 8), idcard_le32(d + 12));
    return 0;
}

int idcard_reader_find(struct idcard_reader *reader)
{
    int err = idcard_reader_command(reader, IDCARD_CMD_FIND, NULL, 0, IDCARD_TIMEOUT_FIND_MS, 64);
    if (err < 0)
        return err;
    if (reader->reply.sw3 == IDCARD_SW3_FOUND)
        return 0;
    if (reader->reply.sw3 == IDCARD_SW3_NO_CARD)
        return -ENOENT;
    return idcard_reader_status_error(reader, IDCARD_CMD_FIND);
}

int idcard_reader_select(struct idcard_reader *reader)
{
    return idcard_reader_simple(reader, IDCARD_CMD_SELECT, IDCARD_TIMEOUT_SELECT_MS, IDCARD_SW3_OK);
}

int idcard_reader_read(struct idcard_reader *reader, bool with_fingerprint, struct idcard_record *record)
{
    uint8_t para = with_fingerprint ? 0x10 : 0x01;
    int err = idcard_reader_command(reader, 0x30, para, NULL, 0,
                                    with_fingerprint ? IDCARD_TIMEOUT_READ_FP_MS : IDCARD_TIMEOUT_READ_MS,
                                    IDCARD_FRAME_MAX);
    if (err < 0)
        return err;
    if (reader->reply.sw3 != IDCARD_SW3_OK)
        return idcard_reader_status_error(reader, 0x30, para);
    return idcard_record_decode(reader->reply.data, reader->reply.data_len, with_fingerprint, record,
                                reader->error, sizeof reader->error);
}

int idcard_reader_read_newest_address(struct idcard_reader *reader, struct idcard_record *record)
{
    int err = idcard_reader_command(reader, IDCARD_CMD_READ_NEWEST, NULL, 0, IDCARD_TIMEOUT_NEWEST_MS, 128);
    if (err < 0)
        return err;
    if (reader->reply.sw3 == IDCARD_SW3_NO_ITEM)
        return -ENOENT;
    if (reader->reply.sw3 != IDCARD_SW3_OK)
        return idcard_reader_status_error(reader, IDCARD_CMD_READ_NEWEST);
    return idcard_record_decode_newest_address(reader->reply.data, reader->reply.data_len, record,
                                               reader->error, sizeof reader->error);
}

int idcard_reader_set_baud(struct idcard_reader *reader, int baud)
{
    static const int rates[] = { 115200, 57600, 38400, 19200, 9600 };
    for (uint8_t i = 0; i < sizeof rates / sizeof rates[0]; i++)
        if (rates[i] == baud)
            return idcard_reader_simple(reader, IDCARD_CMD_SET_BAUD, i, IDCARD_TIMEOUT_SET_BAUD_MS, IDCARD_SW3_OK);
    snprintf(reader->error, sizeof reader->error, "%d baud: the reader supports 115200, 57600, 38400, 19200, 9600",
             baud);
    return -EINVAL;
}

int idcard_reader_poll(struct idcard_reader *reader, bool with_fingerprint, struct idcard_record *record)
{
    int err = idcard_reader_find(reader);
    if (err == -ENOENT && reader->card_done) {
        /* A card that has been read is not found again until it is lifted off and put
         * back [C12], so "no card" here does not say it left. Whether it is still in the
         * field shows in a read of the newest address: answered (90, or 91 for none)
         * while it is there, refused (41) once it has gone. One attempt, no retries. */
        int saved_retries = reader->retries;
        reader->retries = 0;
        int probe = idcard_reader_command(reader, IDCARD_CMD_READ_NEWEST, NULL, 0, IDCARD_TIMEOUT_NEWEST_MS, 128);
        reader->retries = saved_retries;
        if (probe < 0)
            return probe;
        if (reader->reply.sw3 == IDCARD_SW3_OK || reader->reply.sw3 == IDCARD_SW3_NO_ITEM)
            return IDCARD_POLL_SAME_CARD;
    }
    if (err == -ENOENT) {
        /* Lift-off: the next card (or the same one put back) is a new read. */
        bool was_present = reader->card_present;
        reader->card_present = false;
        reader->card_done = false;
        return was_present ? IDCARD_POLL_REMOVED : IDCARD_POLL_NO_CARD;
    }
    if (err < 0)
        return err;
    reader->card_present = true;
    if (reader->card_done)
        return IDCARD_POLL_SAME_CARD;
    err = idcard_reader_select(reader);
    if (err < 0)
        return err;
    err = idcard_reader_read(reader, with_fingerprint, record);
    if (err < 0)
        return err;
    /* The appended address is optional (many cards have none, some readers lack the
     * command): one attempt, and only a vanished device is an error. */
    int saved_retries = reader->retries;
    reader->retries = 0;
    err = idcard_reader_read_newest_address(reader, record);
    reader->retries = saved_retries;
    if (err == -ENODEV)
        return err;
    reader->error[0] = '\0';
    reader->card_done = true;
    return IDCARD_POLL_READ;
}

void idcard_today(char out[9])
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(out, 9, "%Y%m%d", &tm);
}

const char *idcard_reader_strerror(const struct idcard_reader *reader, int err)
{
    if (reader && reader->error[0])
        return reader->error;
    switch (err) {
    case -ENOENT: return "no card on the reader";
    default: return idcard_reader_err_name(err);
    }
}
