/* ESC/POS status replies on arbitrary bytes: whatever a printer, a noisy line or a late
 * reply sends. Each byte is tried as the answer to DLE EOT 1..4 (cycling) and to GS r 1;
 * a byte accepted must have the documented shape, a byte rejected must leave the status as
 * it was, and the condition and its messages must always exist. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "drivers/escpos/escpos_status.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct escpos_status status, before;
    memset(&status, 0, sizeof status);
    for (size_t i = 0; i < size; i++) {
        int n = (int)(i % 4) + 1;
        before = status;
        int r = escpos_status_decode_realtime(&status, n, data[i]);
        FUZZ_CHECK(r == 0 || r == -EBADMSG);
        FUZZ_CHECK((r == 0) == ((data[i] & 0x93) == 0x12));
        if (r < 0)
            FUZZ_CHECK(!memcmp(&before, &status, sizeof status));
        else
            FUZZ_CHECK(status.answered & (1u << n));
        before = status;
        r = escpos_status_decode_paper_sensor(&status, data[i]);
        FUZZ_CHECK((r == 0) == ((data[i] & 0x90) == 0));
        if (r < 0)
            FUZZ_CHECK(!memcmp(&before, &status, sizeof status));
        enum escpos_condition c = escpos_status_condition(&status);
        FUZZ_CHECK(c >= ESCPOS_CONDITION_READY && c <= ESCPOS_CONDITION_NOT_ANSWERING);
        FUZZ_CHECK(escpos_condition_technician_text(c) != NULL);
        FUZZ_CHECK((escpos_condition_resident_msgid(c) != NULL) == escpos_condition_blocks_printing(c));
    }
    return 0;
}
