/* GA 467 (SAM_V) frames between host and ID card reader, and what every SW3 status means.
 * Facts and sources: ../shared/reference/idcard-ga467.md sections 1 and 3.
 *
 *   AA AA AA 96 69 | Len (2, big-endian) | CMD PARA DATA... (host)      | CHK
 *                                        | SW1 SW2 SW3 DATA... (reader) |
 * Len counts every byte after itself, CHK included; CHK is the XOR of Len..last body byte. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define IDCARD_FRAME_PREAMBLE_LEN 5
#define IDCARD_FRAME_HEADER_LEN   7    /* preamble + Len */
#define IDCARD_FRAME_MAX          2321 /* the longest reply: read with two fingerprints */
#define IDCARD_REPLY_MIN_LEN      4    /* Len of a reply without data: SW1 SW2 SW3 CHK */
#define IDCARD_REPLY_DATA_MAX     (IDCARD_FRAME_MAX - IDCARD_FRAME_HEADER_LEN - IDCARD_REPLY_MIN_LEN)
#define IDCARD_REQUEST_DATA_MAX   64   /* host commands carry at most one data byte today */

extern const uint8_t idcard_frame_preamble[IDCARD_FRAME_PREAMBLE_LEN];

/* A decoded reply. SW1/SW2 pass the card's APDU status through; SW3 is the SAM's. */
struct idcard_reply {
    uint8_t sw1, sw2, sw3;
    size_t data_len;
    uint8_t data[IDCARD_REPLY_DATA_MAX];
};

/* Encodes a host command. Returns the frame length, or -EMSGSIZE when data_len is over
 * IDCARD_REQUEST_DATA_MAX, -ENOSPC when out is too small. */
int idcard_frame_encode_command(uint8_t cmd, uint8_t para, const uint8_t *data, size_t data_len, uint8_t *out,
                                size_t out_size);
/* Encodes a reply (tests and fuzzing; the reader model has its own encoder). Same returns;
 * data_len may be up to IDCARD_REPLY_DATA_MAX. */
int idcard_frame_encode_reply(uint8_t sw1, uint8_t sw2, uint8_t sw3, const uint8_t *data, size_t data_len,
                              uint8_t *out, size_t out_size);

/* The receive state machine. Bytes arrive in any chunks (a USB-serial bridge splits frames
 * where it likes; a noisy line adds junk). Usage:
 *     idcard_frame_decoder_reset(&d);
 *     used = idcard_frame_decoder_feed(&d, chunk, n);   (takes what fits; feed the rest later)
 *     while ((r = idcard_frame_decoder_next(&d, &reply)) != 0) { 1: a reply; <0: an error }
 * Errors, after which decoding goes on with the bytes after the bad frame's preamble:
 *     -EMSGSIZE  Len outside 4..IDCARD_FRAME_MAX-7 (a reply can be neither)
 *     -EBADMSG   checksum does not match */
struct idcard_frame_decoder {
    size_t have;          /* bytes in buf */
    size_t junk_bytes;    /* skipped before a preamble since the reset (for technicians) */
    uint8_t buf[IDCARD_FRAME_MAX];
};

void idcard_frame_decoder_reset(struct idcard_frame_decoder *decoder);
/* Appends up to len bytes; returns how many it took (less than len only when its buffer is
 * full: call next until it returns 0, then feed the rest). */
size_t idcard_frame_decoder_feed(struct idcard_frame_decoder *decoder, const uint8_t *bytes, size_t len);
/* 1 with *reply filled, 0 when more bytes are needed, or -EMSGSIZE / -EBADMSG. */
int idcard_frame_decoder_next(struct idcard_frame_decoder *decoder, struct idcard_reply *reply);

/* Decodes exactly one whole frame (no junk, nothing after it). 0, -EMSGSIZE, -EBADMSG, or
 * -EPROTO when the bytes are not one complete frame. */
int idcard_frame_decode(const uint8_t *frame, size_t len, struct idcard_reply *reply);

/* What an SW3 status means. */
struct idcard_status {
    uint8_t sw3;
    const char *name;       /* short, stable: "no_card", "checksum" ... (logs, tests) */
    const char *msgid;      /* English msgid for the resident; the UI translates it */
    const char *technician; /* what happened and what to check, in English */
};

/* Always returns an entry: unknown codes get a generic one (its sw3 field is 0: print the
 * code you looked up). */
const struct idcard_status *idcard_status_lookup(uint8_t sw3);
/* The table itself, for tests and documentation. */
const struct idcard_status *idcard_status_table(size_t *count);
