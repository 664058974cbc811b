/* The GA 467 receive state machine on arbitrary bytes: whatever a reader, a noisy line or
 * a broken bridge sends. The first byte picks the chunk size, so split frames are fuzzed
 * too. Each reply must re-encode to a frame that decodes to the same reply. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "drivers/idcard/idcard_frame.h"

static struct idcard_frame_decoder decoder;
static struct idcard_reply reply, again;
static uint8_t frame[IDCARD_FRAME_MAX];

static void check_reply(void)
{
    FUZZ_CHECK(reply.data_len <= IDCARD_REPLY_DATA_MAX);
    int len = idcard_frame_encode_reply(reply.sw1, reply.sw2, reply.sw3, reply.data, reply.data_len, frame,
                                        sizeof frame);
    FUZZ_CHECK(len == (int)reply.data_len + 11);
    FUZZ_CHECK(idcard_frame_decode(frame, (size_t)len, &again) == 0);
    FUZZ_CHECK(again.sw3 == reply.sw3 && again.data_len == reply.data_len);
    FUZZ_CHECK(!memcmp(again.data, reply.data, reply.data_len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t chunk = (size_t)data[0] % 64 + 1;
    data++;
    size--;
    idcard_frame_decoder_reset(&decoder);
    size_t at = 0;
    int events = 0;
    while (at < size) {
        size_t n = chunk < size - at ? chunk : size - at;
        at += idcard_frame_decoder_feed(&decoder, data + at, n);
        int r;
        while ((r = idcard_frame_decoder_next(&decoder, &reply)) != 0) {
            FUZZ_CHECK(r == 1 || r == -EMSGSIZE || r == -EBADMSG);
            if (r == 1)
                check_reply();
            FUZZ_CHECK(++events <= (int)size + 1); /* progress: each event eats bytes */
        }
        FUZZ_CHECK(decoder.have <= sizeof decoder.buf);
    }
    /* The whole input as one frame: a success must re-encode to the same bytes. */
    if (idcard_frame_decode(data, size, &reply) == 0) {
        check_reply();
        FUZZ_CHECK(!memcmp(frame, data, size));
    }
    return 0;
}
