/* idcard_frame: the GA 467 frame codec, the receive state machine fed junk, split and
 * slow chunks, bad lengths and checksums, and the SW3 table. Expected bytes are the
 * reference's examples (../shared/reference/idcard-ga467.md section 1), written out. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/idcard/idcard_frame.h"

static struct idcard_reply reply; /* 2.3 KB: not on the test's stack */

static void test_find_command_is_the_reference_example(void **state)
{
    (void)state;
    const uint8_t want[] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22 };
    uint8_t out[32];
    assert_int_equal(idcard_frame_encode_command(0x20, 0x01, NULL, 0, out, sizeof out), sizeof want);
    assert_memory_equal(out, want, sizeof want);
}

static void test_set_max_rf_bytes_command_matches_hev(void **state)
{
    (void)state;
    /* hev sends ... 00 04 61 FF 50 CA (reference section 2) */
    const uint8_t want[] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04, 0x61, 0xFF, 0x50, 0xCA };
    uint8_t out[32], data = 0x50;
    assert_int_equal(idcard_frame_encode_command(0x61, 0xFF, &data, 1, out, sizeof out), sizeof want);
    assert_memory_equal(out, want, sizeof want);
}

static void test_sam_status_reply_is_the_reference_example(void **state)
{
    (void)state;
    const uint8_t want[] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, 0x90, 0x94 };
    uint8_t out[32];
    assert_int_equal(idcard_frame_encode_reply(0x00, 0x00, 0x90, NULL, 0, out, sizeof out), sizeof want);
    assert_memory_equal(out, want, sizeof want);
    assert_int_equal(idcard_frame_decode(want, sizeof want, &reply), 0);
    assert_int_equal(reply.sw1, 0);
    assert_int_equal(reply.sw2, 0);
    assert_int_equal(reply.sw3, 0x90);
    assert_int_equal(reply.data_len, 0);
}

static void test_reply_round_trips_at_every_size_class(void **state)
{
    (void)state;
    static uint8_t data[IDCARD_REPLY_DATA_MAX], frame[IDCARD_FRAME_MAX];
    const size_t sizes[] = { 0, 1, 4, 8, 70, 1291, IDCARD_REPLY_DATA_MAX };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        for (size_t j = 0; j < sizes[i]; j++)
            data[j] = (uint8_t)(j * 7 + i);
        int len = idcard_frame_encode_reply(0x12, 0x34, 0x90, data, sizes[i], frame, sizeof frame);
        assert_int_equal(len, 11 + (int)sizes[i]);
        /* Len counts everything after itself, CHK included */
        assert_int_equal(frame[5] << 8 | frame[6], len - 7);
        assert_int_equal(idcard_frame_decode(frame, (size_t)len, &reply), 0);
        assert_int_equal(reply.sw1, 0x12);
        assert_int_equal(reply.sw2, 0x34);
        assert_int_equal(reply.data_len, sizes[i]);
        assert_memory_equal(reply.data, data, sizes[i]);
    }
    /* The longest reply is the reference's 2321 bytes (read with two fingerprints). */
    assert_int_equal(IDCARD_FRAME_MAX, 2321);
}

static void test_encoder_refuses_what_does_not_fit(void **state)
{
    (void)state;
    static uint8_t data[IDCARD_REPLY_DATA_MAX + 1], frame[IDCARD_FRAME_MAX + 16];
    assert_int_equal(idcard_frame_encode_reply(0, 0, 0x90, data, sizeof data, frame, sizeof frame), -EMSGSIZE);
    assert_int_equal(idcard_frame_encode_command(0x30, 0x01, data, IDCARD_REQUEST_DATA_MAX + 1, frame, sizeof frame),
                     -EMSGSIZE);
    assert_int_equal(idcard_frame_encode_command(0x20, 0x01, NULL, 0, frame, 9), -ENOSPC);
}

static size_t make_reply(uint8_t sw3, size_t data_len, uint8_t *frame)
{
    static uint8_t data[IDCARD_REPLY_DATA_MAX];
    for (size_t i = 0; i < data_len; i++)
        data[i] = (uint8_t)(0xA0 + i % 50); /* AA and 96 bytes inside the data, too */
    int len = idcard_frame_encode_reply(0, 0, sw3, data, data_len, frame, IDCARD_FRAME_MAX);
    assert_true(len > 0);
    return (size_t)len;
}

static void test_decoder_skips_junk_before_a_preamble(void **state)
{
    (void)state;
    struct idcard_frame_decoder *d = malloc(sizeof *d);
    uint8_t frame[IDCARD_FRAME_MAX];
    size_t len = make_reply(0x9F, 4, frame);
    /* zeros, a stray AA run, half a preamble: none of it starts a frame */
    const uint8_t junk[] = { 0x00, 0x13, 0xAA, 0xAA, 0x00, 0xAA, 0xAA, 0xAA, 0x96, 0x00, 0xAA, 0xAA, 0xAA };
    idcard_frame_decoder_reset(d);
    assert_int_equal(idcard_frame_decoder_feed(d, junk, sizeof junk), sizeof junk);
    assert_int_equal(idcard_frame_decoder_next(d, &reply), 0);
    assert_int_equal(idcard_frame_decoder_feed(d, frame, len), len);
    assert_int_equal(idcard_frame_decoder_next(d, &reply), 1);
    assert_int_equal(reply.sw3, 0x9F);
    assert_int_equal(reply.data_len, 4);
    assert_int_equal(d->junk_bytes, sizeof junk);
    assert_int_equal(idcard_frame_decoder_next(d, &reply), 0);
    free(d);
}

static void test_decoder_reassembles_a_frame_fed_byte_by_byte(void **state)
{
    (void)state;
    struct idcard_frame_decoder *d = malloc(sizeof *d);
    static uint8_t frame[IDCARD_FRAME_MAX];
    size_t len = make_reply(0x90, 1284, frame); /* a 30 01 read reply: 1295 bytes, Len 0x0508 */
    assert_int_equal(len, 1295);
    assert_int_equal(frame[5] << 8 | frame[6], 0x0508);
    idcard_frame_decoder_reset(d);
    for (size_t i = 0; i < len; i++) {
        assert_int_equal(idcard_frame_decoder_feed(d, frame + i, 1), 1);
        assert_int_equal(idcard_frame_decoder_next(d, &reply), i + 1 == len ? 1 : 0);
    }
    assert_int_equal(reply.data_len, 1284);
    assert_memory_equal(reply.data, frame + 10, 1284);
    free(d);
}

static void test_decoder_handles_uneven_chunks_and_two_frames_in_one(void **state)
{
    (void)state;
    struct idcard_frame_decoder *d = malloc(sizeof *d);
    static uint8_t stream[3 * IDCARD_FRAME_MAX];
    size_t a = make_reply(0x90, 300, stream);
    size_t b = make_reply(0x80, 0, stream + a);
    size_t c = make_reply(0x90, 2310, stream + a + b);
    size_t total = a + b + c, at = 0, chunk = 1;
    uint8_t sw3s[3];
    int got = 0;
    idcard_frame_decoder_reset(d);
    while (at < total) {
        size_t n = chunk < total - at ? chunk : total - at;
        at += idcard_frame_decoder_feed(d, stream + at, n);
        int r;
        while ((r = idcard_frame_decoder_next(d, &reply)) == 1)
            sw3s[got++] = reply.sw3;
        assert_int_equal(r, 0);
        chunk = chunk * 3 + 1; /* 1, 4, 13, 40 ... bytes */
    }
    assert_int_equal(got, 3);
    assert_int_equal(sw3s[0], 0x90);
    assert_int_equal(sw3s[1], 0x80);
    assert_int_equal(sw3s[2], 0x90);
    assert_int_equal(reply.data_len, 2310);
    free(d);
}

static void test_decoder_rejects_bad_lengths_and_finds_the_next_frame(void **state)
{
    (void)state;
    struct idcard_frame_decoder *d = malloc(sizeof *d);
    uint8_t frame[IDCARD_FRAME_MAX];
    size_t len = make_reply(0x90, 0, frame);
    const uint8_t too_short[] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03 };
    const uint8_t too_long[] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x09, 0x0B }; /* 7 + 2315 > 2321 */
    idcard_frame_decoder_reset(d);
    idcard_frame_decoder_feed(d, too_short, sizeof too_short);
    idcard_frame_decoder_feed(d, too_long, sizeof too_long);
    idcard_frame_decoder_feed(d, frame, len);
    assert_int_equal(idcard_frame_decoder_next(d, &reply), -EMSGSIZE);
    assert_int_equal(idcard_frame_decoder_next(d, &reply), -EMSGSIZE);
    assert_int_equal(idcard_frame_decoder_next(d, &reply), 1);
    assert_int_equal(reply.sw3, 0x90);
    /* the longest legal Len is accepted (and waits for its bytes) */
    const uint8_t longest[] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x09, 0x0A };
    idcard_frame_decoder_feed(d, longest, sizeof longest);
    assert_int_equal(idcard_frame_decoder_next(d, &reply), 0);
    /* the whole-frame decoder says the same */
    assert_int_equal(idcard_frame_decode(too_short, sizeof too_short, &reply), -EMSGSIZE);
    free(d);
}

static void test_decoder_rejects_a_bad_checksum_then_recovers(void **state)
{
    (void)state;
    struct idcard_frame_decoder *d = malloc(sizeof *d);
    uint8_t bad[IDCARD_FRAME_MAX], good[IDCARD_FRAME_MAX];
    size_t bad_len = make_reply(0x90, 16, bad);
    bad[bad_len - 1] ^= 0xFF;
    size_t good_len = make_reply(0x9F, 4, good);
    assert_int_equal(idcard_frame_decode(bad, bad_len, &reply), -EBADMSG);
    idcard_frame_decoder_reset(d);
    idcard_frame_decoder_feed(d, bad, bad_len);
    idcard_frame_decoder_feed(d, good, good_len);
    assert_int_equal(idcard_frame_decoder_next(d, &reply), -EBADMSG);
    assert_int_equal(idcard_frame_decoder_next(d, &reply), 1);
    assert_int_equal(reply.sw3, 0x9F);
    /* a flipped data byte is caught too */
    good[12] ^= 0x01;
    assert_int_equal(idcard_frame_decode(good, good_len, &reply), -EBADMSG);
    free(d);
}

static void test_decoder_never_jams_on_endless_junk(void **state)
{
    (void)state;
    struct idcard_frame_decoder *d = malloc(sizeof *d);
    static uint8_t junk[10000];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = i % 3 ? 0xAA : 0x00;
    idcard_frame_decoder_reset(d);
    size_t at = 0;
    while (at < sizeof junk) {
        at += idcard_frame_decoder_feed(d, junk + at, sizeof junk - at);
        assert_int_equal(idcard_frame_decoder_next(d, &reply), 0);
    }
    uint8_t frame[IDCARD_FRAME_MAX];
    size_t len = make_reply(0x90, 0, frame);
    assert_int_equal(idcard_frame_decoder_feed(d, frame, len), len);
    assert_int_equal(idcard_frame_decoder_next(d, &reply), 1);
    free(d);
}

static void test_every_sw3_of_the_reference_has_a_meaning(void **state)
{
    (void)state;
    const uint8_t codes[] = { 0x90, 0x9F, 0x91, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31,
                              0x32, 0x33, 0x40, 0x41, 0x47, 0x60, 0x66, 0x80, 0x81 };
    size_t count;
    idcard_status_table(&count);
    assert_int_equal(count, sizeof codes);
    for (size_t i = 0; i < sizeof codes; i++) {
        const struct idcard_status *s = idcard_status_lookup(codes[i]);
        assert_int_equal(s->sw3, codes[i]);
        assert_true(strlen(s->name) > 1);
        assert_true(strlen(s->msgid) > 5);
        assert_true(strlen(s->technician) > 5);
        assert_string_not_equal(s->name, "unknown_status");
    }
    assert_string_equal(idcard_status_lookup(0x80)->name, "no_card");
    assert_string_equal(idcard_status_lookup(0x41)->name, "read_failed");
    assert_string_equal(idcard_status_lookup(0x55)->name, "unknown_status");
    /* a resident never reads a bare code */
    assert_null(strstr(idcard_status_lookup(0x60)->msgid, "60"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_command_is_the_reference_example),
        cmocka_unit_test(test_set_max_rf_bytes_command_matches_hev),
        cmocka_unit_test(test_sam_status_reply_is_the_reference_example),
        cmocka_unit_test(test_reply_round_trips_at_every_size_class),
        cmocka_unit_test(test_encoder_refuses_what_does_not_fit),
        cmocka_unit_test(test_decoder_skips_junk_before_a_preamble),
        cmocka_unit_test(test_decoder_reassembles_a_frame_fed_byte_by_byte),
        cmocka_unit_test(test_decoder_handles_uneven_chunks_and_two_frames_in_one),
        cmocka_unit_test(test_decoder_rejects_bad_lengths_and_finds_the_next_frame),
        cmocka_unit_test(test_decoder_rejects_a_bad_checksum_then_recovers),
        cmocka_unit_test(test_decoder_never_jams_on_endless_junk),
        cmocka_unit_test(test_every_sw3_of_the_reference_has_a_meaning),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
