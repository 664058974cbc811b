#include "emu_scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SCAN_MAX_DEPTH = 512 };

static size_t scan_space(const char *text, size_t len, size_t pos)
{
    while (pos < len && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r'))
        pos++;
    return pos;
}

/* A string starting at text[pos] == '"': offset past its closing quote, or -1. */
static long scan_string(const char *text, size_t len, size_t pos)
{
    for (pos++; pos < len; pos++) {
        if (text[pos] == '\\') {
            pos++;
            continue;
        }
        if (text[pos] == '"')
            return (long)pos + 1;
    }
    return -1;
}

long emu_scan_value(const char *text, size_t len, size_t pos)
{
    /* Iterative over a bracket stack, so a deep document cannot overflow the C stack. */
    char stack[SCAN_MAX_DEPTH];
    int depth = 0;
    pos = scan_space(text, len, pos);
    if (pos >= len)
        return -1;
    for (;;) {
        pos = scan_space(text, len, pos);
        if (pos >= len)
            return -1;
        char c = text[pos];
        if (c == '{' || c == '[') {
            if (depth == SCAN_MAX_DEPTH)
                return -1;
            stack[depth++] = c == '{' ? '}' : ']';
            pos = scan_space(text, len, pos + 1);
            if (pos < len && text[pos] == stack[depth - 1]) { /* empty */
                depth--;
                pos++;
                goto after_value;
            }
            if (c == '{') {
                if (pos >= len || text[pos] != '"')
                    return -1;
                long end = scan_string(text, len, pos);
                if (end < 0)
                    return -1;
                pos = scan_space(text, len, (size_t)end);
                if (pos >= len || text[pos] != ':')
                    return -1;
                pos++;
            }
            continue;
        }
        if (c == '"') {
            long end = scan_string(text, len, pos);
            if (end < 0)
                return -1;
            pos = (size_t)end;
        } else if (c == '}' || c == ']' || c == ',' || c == ':') {
            return -1;
        } else { /* a number, true, false, null: a run up to a delimiter */
            size_t start = pos;
            while (pos < len && !strchr(",:]} \t\r\n\"{[", text[pos]))
                pos++;
            if (pos == start)
                return -1;
        }
    after_value:
        if (depth == 0)
            return (long)pos;
        pos = scan_space(text, len, pos);
        if (pos >= len)
            return -1;
        if (text[pos] == ',') {
            pos = scan_space(text, len, pos + 1);
            if (stack[depth - 1] == '}') {
                if (pos >= len || text[pos] != '"')
                    return -1;
                long end = scan_string(text, len, pos);
                if (end < 0)
                    return -1;
                pos = scan_space(text, len, (size_t)end);
                if (pos >= len || text[pos] != ':')
                    return -1;
                pos++;
            }
            continue;
        }
        if (text[pos] != stack[depth - 1])
            return -1;
        depth--;
        pos++;
        goto after_value;
    }
}

static int scan_fail(char *err, size_t errlen, const char *what, size_t pos)
{
    snprintf(err, errlen, "%s at byte %zu", what, pos);
    return -1;
}

static int scan_key_is(const char *text, size_t start, size_t end, const char *key)
{
    size_t n = strlen(key);
    return end - start == n + 2 && memcmp(text + start + 1, key, n) == 0;
}

int emu_scan_document(const char *text, size_t len, struct emu_doc_scan *scan, char *err, size_t errlen)
{
    memset(scan, 0, sizeof *scan);
    size_t pos = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    pos = scan_space(text, len, pos);
    if (pos >= len || text[pos] != '{')
        return scan_fail(err, errlen, "document: expected an object", pos);
    pos = scan_space(text, len, pos + 1);
    int have_items = 0;
    while (pos < len && text[pos] != '}') {
        if (text[pos] != '"')
            return scan_fail(err, errlen, "document: expected a key", pos);
        long key_end = scan_string(text, len, pos);
        if (key_end < 0)
            return scan_fail(err, errlen, "document: unterminated key", pos);
        size_t key_start = pos;
        pos = scan_space(text, len, (size_t)key_end);
        if (pos >= len || text[pos] != ':')
            return scan_fail(err, errlen, "document: expected ':'", pos);
        pos = scan_space(text, len, pos + 1);
        struct emu_span *target = NULL;
        if (scan_key_is(text, key_start, (size_t)key_end, "version"))
            target = &scan->version;
        else if (scan_key_is(text, key_start, (size_t)key_end, "published"))
            target = &scan->published;
        else if (scan_key_is(text, key_start, (size_t)key_end, "region"))
            target = &scan->region;
        else if (scan_key_is(text, key_start, (size_t)key_end, "halls"))
            target = &scan->halls;
        else if (scan_key_is(text, key_start, (size_t)key_end, "themes"))
            target = &scan->themes;
        if (scan_key_is(text, key_start, (size_t)key_end, "items")) {
            if (have_items++)
                return scan_fail(err, errlen, "document: items given twice", key_start);
            if (pos >= len || text[pos] != '[')
                return scan_fail(err, errlen, "items: expected an array", pos);
            size_t cap = 0;
            pos = scan_space(text, len, pos + 1);
            while (pos < len && text[pos] != ']') {
                long end = emu_scan_value(text, len, pos);
                if (end < 0 || text[pos] != '{')
                    return scan_fail(err, errlen, "items: expected an object", pos);
                if (scan->item_count == cap) {
                    cap = cap ? cap * 2 : 256;
                    struct emu_span *grown = realloc(scan->items, cap * sizeof *grown);
                    if (!grown)
                        return scan_fail(err, errlen, "items: out of memory", pos);
                    scan->items = grown;
                }
                scan->items[scan->item_count++] = (struct emu_span){pos, (size_t)end - pos};
                pos = scan_space(text, len, (size_t)end);
                if (pos < len && text[pos] == ',') {
                    pos = scan_space(text, len, pos + 1);
                    if (pos < len && text[pos] == ']')
                        return scan_fail(err, errlen, "items: trailing ','", pos);
                } else if (pos >= len || text[pos] != ']') {
                    return scan_fail(err, errlen, "items: expected ',' or ']'", pos);
                }
            }
            if (pos >= len)
                return scan_fail(err, errlen, "items: unterminated", pos);
            pos++;
        } else {
            long end = emu_scan_value(text, len, pos);
            if (end < 0)
                return scan_fail(err, errlen, "document: bad value", pos);
            if (target) {
                if (target->len)
                    return scan_fail(err, errlen, "document: key given twice", key_start);
                *target = (struct emu_span){pos, (size_t)end - pos};
            }
            pos = (size_t)end;
        }
        pos = scan_space(text, len, pos);
        if (pos < len && text[pos] == ',') {
            pos = scan_space(text, len, pos + 1);
            if (pos < len && text[pos] == '}')
                return scan_fail(err, errlen, "document: trailing ','", pos);
        } else if (pos >= len || text[pos] != '}') {
            return scan_fail(err, errlen, "document: expected ',' or '}'", pos);
        }
    }
    if (pos >= len)
        return scan_fail(err, errlen, "document: unterminated", pos);
    if (scan_space(text, len, pos + 1) != len)
        return scan_fail(err, errlen, "document: text after the object", pos + 1);
    if (!have_items || !scan->version.len || !scan->published.len || !scan->region.len || !scan->halls.len ||
        !scan->themes.len)
        return scan_fail(err, errlen, "document: version, published, region, halls, themes and items are required", 0);
    return 0;
}

void emu_scan_free(struct emu_doc_scan *scan)
{
    free(scan->items);
    memset(scan, 0, sizeof *scan);
}

/* Digits only, no sign, no overflow; offset past them or NULL. */
static const char *range_number(const char *s, uint64_t *value)
{
    if (*s < '0' || *s > '9')
        return NULL;
    uint64_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > (UINT64_MAX - 9) / 10)
            return NULL;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *value = v;
    return s;
}

enum emu_range emu_range_parse(const char *header, uint64_t size, uint64_t *first, uint64_t *last)
{
    if (!header || strncmp(header, "bytes=", 6) != 0)
        return EMU_RANGE_NONE;
    const char *s = header + 6;
    while (*s == ' ')
        s++;
    if (strchr(s, ','))
        return EMU_RANGE_NONE; /* several ranges: allowed to answer with the whole body */
    uint64_t a = 0, b = 0;
    if (*s == '-') { /* suffix: the last b bytes */
        const char *end = range_number(s + 1, &b);
        if (!end || *end)
            return EMU_RANGE_NONE;
        if (b == 0 || size == 0)
            return EMU_RANGE_UNSATISFIABLE;
        *first = b >= size ? 0 : size - b;
        *last = size - 1;
        return EMU_RANGE_PARTIAL;
    }
    const char *end = range_number(s, &a);
    if (!end || *end != '-')
        return EMU_RANGE_NONE;
    end++;
    if (*end) {
        end = range_number(end, &b);
        if (!end || *end || b < a)
            return EMU_RANGE_NONE;
    } else {
        b = UINT64_MAX;
    }
    if (a >= size)
        return EMU_RANGE_UNSATISFIABLE;
    *first = a;
    *last = b >= size ? size - 1 : b;
    return EMU_RANGE_PARTIAL;
}

int emu_scan_member(const char *text, struct emu_span obj, const char *key, struct emu_span *value)
{
    size_t len = obj.start + obj.len, pos = obj.start;
    if (obj.len < 2 || text[pos] != '{')
        return -1;
    pos = scan_space(text, len, pos + 1);
    while (pos < len && text[pos] == '"') {
        long key_end = scan_string(text, len, pos);
        if (key_end < 0)
            return -1;
        size_t key_start = pos;
        pos = scan_space(text, len, (size_t)key_end);
        if (pos >= len || text[pos] != ':')
            return -1;
        pos = scan_space(text, len, pos + 1);
        long end = emu_scan_value(text, len, pos);
        if (end < 0)
            return -1;
        if (scan_key_is(text, key_start, (size_t)key_end, key)) {
            *value = (struct emu_span){pos, (size_t)end - pos};
            return 0;
        }
        pos = scan_space(text, len, (size_t)end);
        if (pos >= len || text[pos] != ',')
            return -1;
        pos = scan_space(text, len, pos + 1);
    }
    return -1;
}

int emu_scan_plain_string(const char *text, struct emu_span value, char *out, size_t size)
{
    if (value.len < 2 || text[value.start] != '"' || text[value.start + value.len - 1] != '"' ||
        value.len - 2 >= size || memchr(text + value.start + 1, '\\', value.len - 2))
        return -1;
    /* JSON forbids raw control characters in strings; a NUL would also cut the copy short. */
    for (size_t i = 1; i + 1 < value.len; i++)
        if ((unsigned char)text[value.start + i] < 0x20)
            return -1;
    memcpy(out, text + value.start + 1, value.len - 2);
    out[value.len - 2] = '\0';
    return 0;
}
