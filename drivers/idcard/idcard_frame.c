#include "drivers/idcard/idcard_frame.h"

#include "firmware/core/i18n.h"

#include <errno.h>
#include <string.h>

const uint8_t idcard_frame_preamble[IDCARD_FRAME_PREAMBLE_LEN] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69 };

static uint8_t idcard_frame_xor(const uint8_t *bytes, size_t len)
{
    uint8_t x = 0;
    for (size_t i = 0; i < len; i++)
        x ^= bytes[i];
    return x;
}

/* head: CMD PARA or SW1 SW2 SW3. */
static int idcard_frame_encode(const uint8_t *head, size_t head_len, const uint8_t *data, size_t data_len,
                               uint8_t *out, size_t out_size)
{
    size_t body_len = head_len + data_len + 1; /* what Len counts: body and CHK */
    size_t total = IDCARD_FRAME_HEADER_LEN + body_len;
    if (total > IDCARD_FRAME_MAX)
        return -EMSGSIZE;
    if (total > out_size)
        return -ENOSPC;
    memcpy(out, idcard_frame_preamble, IDCARD_FRAME_PREAMBLE_LEN);
    out[5] = (uint8_t)(body_len >> 8);
    out[6] = (uint8_t)body_len;
    memcpy(out + IDCARD_FRAME_HEADER_LEN, head, head_len);
    if (data_len)
        memcpy(out + IDCARD_FRAME_HEADER_LEN + head_len, data, data_len);
    out[total - 1] = idcard_frame_xor(out + IDCARD_FRAME_PREAMBLE_LEN, total - 1 - IDCARD_FRAME_PREAMBLE_LEN);
    return (int)total;
}

int idcard_frame_encode_command(uint8_t cmd, uint8_t para, const uint8_t *data, size_t data_len, uint8_t *out,
                                size_t out_size)
{
    if (data_len > IDCARD_REQUEST_DATA_MAX)
        return -EMSGSIZE;
    const uint8_t head[2] = { cmd, para };
    return idcard_frame_encode(head, sizeof head, data, data_len, out, out_size);
}

int idcard_frame_encode_reply(uint8_t sw1, uint8_t sw2, uint8_t sw3, const uint8_t *data, size_t data_len,
                              uint8_t *out, size_t out_size)
{
    if (data_len > IDCARD_REPLY_DATA_MAX)
        return -EMSGSIZE;
    const uint8_t head[3] = { sw1, sw2, sw3 };
    return idcard_frame_encode(head, sizeof head, data, data_len, out, out_size);
}

void idcard_frame_decoder_reset(struct idcard_frame_decoder *decoder)
{
    decoder->have = 0;
    decoder->junk_bytes = 0;
}

size_t idcard_frame_decoder_feed(struct idcard_frame_decoder *decoder, const uint8_t *bytes, size_t len)
{
    size_t room = sizeof decoder->buf - decoder->have;
    size_t take = len < room ? len : room;
    memcpy(decoder->buf + decoder->have, bytes, take);
    decoder->have += take;
    return take;
}

static void idcard_frame_decoder_drop(struct idcard_frame_decoder *decoder, size_t count)
{
    memmove(decoder->buf, decoder->buf + count, decoder->have - count);
    decoder->have -= count;
}

/* Drops everything before the first (possibly partial) preamble. A partial one at the end
 * is kept: the rest of it may come in the next chunk. */
static void idcard_frame_decoder_skip_junk(struct idcard_frame_decoder *decoder)
{
    size_t i = 0;
    for (; i < decoder->have; i++) {
        size_t n = decoder->have - i;
        if (n > IDCARD_FRAME_PREAMBLE_LEN)
            n = IDCARD_FRAME_PREAMBLE_LEN;
        if (!memcmp(decoder->buf + i, idcard_frame_preamble, n))
            break;
    }
    decoder->junk_bytes += i;
    idcard_frame_decoder_drop(decoder, i);
}

int idcard_frame_decoder_next(struct idcard_frame_decoder *decoder, struct idcard_reply *reply)
{
    idcard_frame_decoder_skip_junk(decoder);
    if (decoder->have < IDCARD_FRAME_HEADER_LEN)
        return 0;
    size_t len = (size_t)decoder->buf[5] << 8 | decoder->buf[6];
    if (len < IDCARD_REPLY_MIN_LEN || len > IDCARD_FRAME_MAX - IDCARD_FRAME_HEADER_LEN) {
        /* Not a frame after all, or a corrupted one: look for the next preamble after
         * this one's first byte (a real frame may follow inside these bytes). */
        idcard_frame_decoder_drop(decoder, 1);
        return -EMSGSIZE;
    }
    size_t total = IDCARD_FRAME_HEADER_LEN + len;
    if (decoder->have < total)
        return 0;
    const uint8_t *frame = decoder->buf;
    if (idcard_frame_xor(frame + IDCARD_FRAME_PREAMBLE_LEN, total - 1 - IDCARD_FRAME_PREAMBLE_LEN) !=
        frame[total - 1]) {
        idcard_frame_decoder_drop(decoder, 1);
        return -EBADMSG;
    }
    reply->sw1 = frame[7];
    reply->sw2 = frame[8];
    reply->sw3 = frame[9];
    reply->data_len = len - IDCARD_REPLY_MIN_LEN;
    memcpy(reply->data, frame + 10, reply->data_len);
    idcard_frame_decoder_drop(decoder, total);
    return 1;
}

int idcard_frame_decode(const uint8_t *frame, size_t len, struct idcard_reply *reply)
{
    if (len < IDCARD_FRAME_HEADER_LEN || memcmp(frame, idcard_frame_preamble, IDCARD_FRAME_PREAMBLE_LEN))
        return -EPROTO;
    size_t body = (size_t)frame[5] << 8 | frame[6];
    if (body < IDCARD_REPLY_MIN_LEN || body > IDCARD_FRAME_MAX - IDCARD_FRAME_HEADER_LEN)
        return -EMSGSIZE;
    if (IDCARD_FRAME_HEADER_LEN + body != len)
        return -EPROTO;
    if (idcard_frame_xor(frame + IDCARD_FRAME_PREAMBLE_LEN, len - 1 - IDCARD_FRAME_PREAMBLE_LEN) != frame[len - 1])
        return -EBADMSG;
    reply->sw1 = frame[7];
    reply->sw2 = frame[8];
    reply->sw3 = frame[9];
    reply->data_len = body - IDCARD_REPLY_MIN_LEN;
    memcpy(reply->data, frame + 10, reply->data_len);
    return 0;
}

/* Reference section 3. The msgids are what a resident may read (plain words, what to do
 * now); the technician texts go to logs and kioskctl. 01/02/03/05 are sdtapi.dll codes,
 * never on the wire, hence not here. */
#define MSG_PLACE_AGAIN N_("Could not read the card. Please place your ID card on the reader again.")
#define MSG_READER_FAULT N_("The card reader is out of order. Please ask staff for help.")
#define MSG_CARD_UNUSABLE N_("This card cannot be read here. Please ask staff for help.")
static const struct idcard_status idcard_statuses[] = {
    { 0x90, "ok", N_("Card read."), "success" },
    { 0x9F, "found", N_("Card found."), "find card: a card is on the reader" },
    { 0x91, "no_item", N_("Card read."), "the card has no such item (e.g. no appended address)" },
    { 0x10, "host_checksum", MSG_READER_FAULT, "the reader saw a checksum error in our frame: check the cable, baud rate and noise" },
    { 0x11, "host_length", MSG_READER_FAULT, "the reader saw a length error in our frame: check the cable and baud rate" },
    { 0x21, "bad_command", MSG_READER_FAULT, "the reader rejected the command/parameter: firmware mismatch?" },
    { 0x23, "privilege", MSG_READER_FAULT, "privilege violation reported by the SAM" },
    { 0x24, "unknown_error", MSG_READER_FAULT, "the SAM reported an unknown error: reset the reader" },
    { 0x31, "card_auth", MSG_PLACE_AGAIN, "card-to-SAM authentication failed: card moved, or not a genuine card" },
    { 0x32, "sam_auth", MSG_PLACE_AGAIN, "SAM-to-card authentication failed: card moved, or not a genuine card" },
    { 0x33, "verify", MSG_PLACE_AGAIN, "information verification error: card moved, or the card is damaged" },
    { 0x40, "card_type", MSG_CARD_UNUSABLE, "unrecognised card type: not a second-generation ID card" },
    { 0x41, "read_failed", MSG_PLACE_AGAIN, "reading the card failed, usually because the card moved" },
    { 0x47, "random_failed", MSG_PLACE_AGAIN, "get-random failed: card moved during authentication" },
    { 0x60, "sam_selftest", MSG_READER_FAULT, "SAM self-test failed; it accepts no commands: replace or service the reader" },
    { 0x66, "sam_unauthorised", MSG_READER_FAULT, "SAM not authorised: the reader's SAM module must be authorised by the vendor" },
    { 0x80, "no_card", N_("Please place your ID card on the reader."), "find card: no card on the reader (normal)" },
    { 0x81, "select_failed", MSG_PLACE_AGAIN, "select card failed: card moved or removed" },
};
static const struct idcard_status idcard_status_unknown = { 0, "unknown_status", MSG_READER_FAULT,
                                                            "status code not in GA 467 as far as we know" };

const struct idcard_status *idcard_status_lookup(uint8_t sw3)
{
    for (size_t i = 0; i < sizeof idcard_statuses / sizeof idcard_statuses[0]; i++)
        if (idcard_statuses[i].sw3 == sw3)
            return &idcard_statuses[i];
    return &idcard_status_unknown;
}

const struct idcard_status *idcard_status_table(size_t *count)
{
    *count = sizeof idcard_statuses / sizeof idcard_statuses[0];
    return idcard_statuses;
}
