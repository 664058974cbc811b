/* linebreak_utf8_next and linebreak_layout on arbitrary bytes: every label, tile and
 * printed line goes through them, including text from the platform and from ID cards.
 * Input: byte 0 = line width (signed), byte 1 = which measure, the rest = text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "firmware/gfx/linebreak.h"

static int fuzz_measure(uint32_t cp, void *ctx)
{
    switch (*(const int *)ctx) {
    case 0:
        return cp < 0x80 ? 1 : 2; /* the fixed-width measure of the unit tests */
    case 1:
        return 1;
    default:
        return (int)(cp % 4);     /* zero-width characters too */
    }
}

static int fuzz_is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000;
}

/* Each sequence either decodes to the code point whose UTF-8 is exactly those bytes, or is
 * one byte that becomes U+FFFD; never more bytes than there are. */
static void fuzz_check_decoder(const uint8_t *data, size_t size)
{
    for (size_t off = 0; off < size;) {
        uint32_t cp = 0;
        size_t used = linebreak_utf8_next((const char *)data + off, size - off, &cp);
        FUZZ_CHECK(used >= 1 && used <= 4 && used <= size - off);
        FUZZ_CHECK(cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF));
        if (used == 1) {
            FUZZ_CHECK(data[off] < 0x80 ? cp == data[off] : cp == LINEBREAK_REPLACEMENT);
        } else {
            uint8_t encoded[4];
            size_t n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            FUZZ_CHECK(n == used);
            for (size_t i = n - 1; i > 0; i--, cp >>= 6)
                encoded[i] = (uint8_t)(0x80 | (cp & 0x3F));
            encoded[0] = (uint8_t)((n == 2 ? 0xC0 : n == 3 ? 0xE0 : 0xF0) | cp);
            FUZZ_CHECK(!memcmp(encoded, data + off, n));
        }
        off += used;
    }
    uint32_t cp;
    FUZZ_CHECK(linebreak_utf8_next("", 0, &cp) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_check_decoder(data, size);
    if (size < 2)
        return 0;
    int max_width = (int8_t)data[0];
    int mode = data[1] % 3;
    char *text = malloc(size - 1);
    if (!text)
        return 0;
    memcpy(text, data + 2, size - 2);
    text[size - 2] = '\0';
    size_t len = strlen(text);

    size_t count = linebreak_layout(text, max_width, fuzz_measure, &mode, NULL, 0);
    FUZZ_CHECK(count >= 1 && count <= len + 1);
    struct linebreak_line *lines = malloc(count * sizeof *lines);
    FUZZ_CHECK(lines);
    FUZZ_CHECK(linebreak_layout(text, max_width, fuzz_measure, &mode, lines, count) == count);
    /* Character boundaries, so offsets can be checked to fall on them. */
    unsigned char *boundary = calloc(len + 1, 1);
    FUZZ_CHECK(boundary);
    for (size_t off = 0; off < len;) {
        uint32_t cp;
        boundary[off] = 1;
        off += linebreak_utf8_next(text + off, len - off, &cp);
    }
    boundary[len] = 1;

    size_t covered_to = 0;
    for (size_t i = 0; i < count; i++) {
        const struct linebreak_line *line = &lines[i];
        FUZZ_CHECK(line->start <= line->end && line->end <= len);
        FUZZ_CHECK(line->start >= covered_to);
        FUZZ_CHECK(boundary[line->start] && boundary[line->end]);
        /* Between lines only spaces and newlines may be left out: no text is lost. */
        for (size_t off = covered_to; off < line->start;) {
            uint32_t cp;
            off += linebreak_utf8_next(text + off, len - off, &cp);
            FUZZ_CHECK(fuzz_is_space(cp) || cp == '\n');
        }
        int width = 0, characters = 0;
        uint32_t cp = 0;
        for (size_t off = line->start; off < line->end; characters++) {
            off += linebreak_utf8_next(text + off, line->end - off, &cp);
            FUZZ_CHECK(cp != '\n');
            width += fuzz_measure(cp, &mode);
        }
        FUZZ_CHECK(line->width == width);
        /* Spaces at a break are dropped, never counted. */
        FUZZ_CHECK(characters == 0 || !fuzz_is_space(cp));
        /* An empty line only where the text has one: before a "\n", or a blank text. */
        if (characters == 0) {
            size_t off = line->start;
            while (off < len && (text[off] == ' ' || text[off] == '\t' || !strncmp(text + off, "\u3000", 3)))
                off += text[off] == ' ' || text[off] == '\t' ? 1 : 3;
            FUZZ_CHECK(off == len || text[off] == '\n');
        }
        /* Only a line of one character may be wider than the limit. */
        FUZZ_CHECK(width <= max_width || characters <= 1);
        covered_to = line->end;
    }
    for (size_t off = covered_to; off < len;) {
        uint32_t cp;
        off += linebreak_utf8_next(text + off, len - off, &cp);
        FUZZ_CHECK(fuzz_is_space(cp) || cp == '\n');
    }
    free(boundary);
    free(lines);
    free(text);
    return 0;
}
