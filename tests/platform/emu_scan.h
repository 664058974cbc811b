/* Parsers of outside bytes in the platform emulator (fuzzed: tests/fuzz/fuzz_platform_scan.c):
 * - the structure of a kiosk-catalogue/1 document: where each top-level value and each
 *   item lies in the text, so the emulator can cut items out, compare them between versions
 *   and build deltas from the original bytes without a tree of a 100,000-item document;
 * - an HTTP Range header. */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct emu_span {
    size_t start, len; /* len 0: absent */
};

struct emu_doc_scan {
    struct emu_span version, published, region, halls, themes; /* raw JSON values */
    struct emu_span *items; /* each item object's bytes, in document order */
    size_t item_count;
};

/* Finds the top-level values and the items of a JSON object document. Checks structure
 * only (balanced brackets, closed strings, ':' and ','); each item's content is judged by
 * whoever parses it. 0, or -1 with a reason naming the byte offset. */
int emu_scan_document(const char *text, size_t len, struct emu_doc_scan *scan, char *err, size_t errlen);
void emu_scan_free(struct emu_doc_scan *scan);

/* Skips one JSON value starting at text[pos] (after white space); returns the offset just
 * past it, or -1 when the text ends or is not a value there (or nests deeper than 512). */
long emu_scan_value(const char *text, size_t len, size_t pos);

enum emu_range {
    EMU_RANGE_NONE,          /* no header, or one to ignore (several ranges, bad syntax): send all */
    EMU_RANGE_PARTIAL,       /* send first..last (inclusive) as 206 */
    EMU_RANGE_UNSATISFIABLE, /* 416 */
};
/* "bytes=N-", "bytes=N-M" or "bytes=-S" against a body of size bytes (RFC 9110 §14). */
enum emu_range emu_range_parse(const char *header, uint64_t size, uint64_t *first, uint64_t *last);

/* The value of a member of the object at obj (its first level only); 0, or -1 when the
 * object has no such key or is not an object. */
int emu_scan_member(const char *text, struct emu_span obj, const char *key, struct emu_span *value);
/* A JSON string value without escapes or control characters, copied out without its
 * quotes; 0, or -1 when the span is not such a string or does not fit. */
int emu_scan_plain_string(const char *text, struct emu_span value, char *out, size_t size);
