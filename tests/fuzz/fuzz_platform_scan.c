/* The platform emulator's own parsers of outside bytes (tests/platform/emu_scan.c): the
 * structure scan of a catalogue document it is asked to publish, member lookup in an
 * item, and the Range header of a download request. Every span must lie inside the
 * input, items in order and not overlapping, and a range inside the body. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emu_scan.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct emu_doc_scan scan;
    char err[160];
    if (emu_scan_document(text, size, &scan, err, sizeof err) == 0) {
        const struct emu_span *tops[] = {&scan.version, &scan.published, &scan.region, &scan.halls, &scan.themes};
        for (size_t i = 0; i < sizeof tops / sizeof tops[0]; i++)
            FUZZ_CHECK(tops[i]->len > 0 && tops[i]->start + tops[i]->len <= size);
        size_t previous_end = 0;
        for (size_t i = 0; i < scan.item_count; i++) {
            struct emu_span item = scan.items[i], value;
            FUZZ_CHECK(item.start >= previous_end && item.start + item.len <= size && text[item.start] == '{');
            previous_end = item.start + item.len;
            if (emu_scan_member(text, item, "implementation_code", &value) == 0) {
                FUZZ_CHECK(value.start > item.start && value.start + value.len <= item.start + item.len);
                char code[40];
                if (emu_scan_plain_string(text, value, code, sizeof code) == 0)
                    FUZZ_CHECK(strlen(code) == value.len - 2);
            }
        }
    }
    emu_scan_free(&scan);

    /* A Range header: the first 8 bytes are the body size, the rest the header text. */
    if (size >= 8) {
        uint64_t body = 0, first = 0, last = 0;
        memcpy(&body, data, 8);
        body %= (uint64_t)1 << 40;
        char *header = malloc(size - 8 + 1);
        FUZZ_CHECK(header != NULL);
        memcpy(header, data + 8, size - 8);
        header[size - 8] = '\0';
        if (emu_range_parse(header, body, &first, &last) == EMU_RANGE_PARTIAL)
            FUZZ_CHECK(first <= last && last < body);
        free(header);
    }
    return 0;
}
