#include "firmware/gfx/linebreak.h"

#include <stdlib.h>
#include <string.h>

size_t linebreak_utf8_next(const char *text, size_t len, uint32_t *codepoint)
{
    const unsigned char *s = (const unsigned char *)text;
    if (len == 0)
        return 0;
    unsigned char c = s[0];
    size_t need;
    uint32_t cp, min;
    if (c < 0x80) {
        *codepoint = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        need = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        need = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        need = 4, cp = c & 0x07, min = 0x10000;
    } else {
        goto invalid;
    }
    if (len < need)
        goto invalid;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            goto invalid;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    /* Overlong forms, surrogates and values past U+10FFFF are not text. */
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        goto invalid;
    *codepoint = cp;
    return need;
invalid:
    *codepoint = LINEBREAK_REPLACEMENT;
    return 1;
}

void linebreak_utf8_trim_partial(char *s)
{
    size_t len = strlen(s);
    size_t start = len;
    /* back to the lead byte of the last character (at most 3 continuation bytes) */
    while (start > 0 && len - start < 4 && ((unsigned char)s[start - 1] & 0xC0) == 0x80)
        start--;
    if (start == 0 || ((unsigned char)s[start - 1] & 0x80) == 0)
        return;
    start--;
    uint32_t cp;
    size_t used = linebreak_utf8_next(s + start, len - start, &cp);
    if (cp == LINEBREAK_REPLACEMENT && used == 1)
        s[start] = '\0';
}

int linebreak_is_closing(uint32_t cp)
{
    static const uint32_t closing[] = {
        0xFF0C /* ， */, 0x3002 /* 。 */, 0x3001 /* 、 */, 0xFF1B /* ； */, 0xFF1A /* ： */,
        0xFF1F /* ？ */, 0xFF01 /* ！ */, 0xFF09 /* ） */, 0x300B /* 》 */, 0x300D /* 」 */,
        0x300F /* 』 */, 0x3011 /* 】 */, 0x3009 /* 〉 */, 0x201D /* ” */, 0x2019 /* ’ */,
        0xFF0E /* ． */, 0x2026 /* … */, 0x00B7 /* · */, ',', '.', ';', ':', '?', '!', ')', ']', '}',
    };
    for (size_t i = 0; i < sizeof closing / sizeof closing[0]; i++)
        if (closing[i] == cp)
            return 1;
    return 0;
}

int linebreak_is_opening(uint32_t cp)
{
    static const uint32_t opening[] = {
        0xFF08 /* （ */, 0x300A /* 《 */, 0x300C /* 「 */, 0x300E /* 『 */, 0x3010 /* 【 */,
        0x3008 /* 〈 */, 0x201C /* “ */, 0x2018 /* ‘ */, '(', '[', '{',
    };
    for (size_t i = 0; i < sizeof opening / sizeof opening[0]; i++)
        if (opening[i] == cp)
            return 1;
    return 0;
}

int linebreak_is_cjk(uint32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

static int linebreak_is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000;
}

/* May a line break between a and b? (newline handled by the caller) */
static int linebreak_allowed_between(uint32_t a, uint32_t b)
{
    if (linebreak_is_closing(b) || linebreak_is_opening(a))
        return 0;
    if (linebreak_is_space(a))
        return 1;
    if (linebreak_is_space(b))
        return 0; /* spaces hang at the end of the line they follow */
    /* ASCII punctuation between Latin characters is part of a number or word ("09:30",
     * "1,234.50", "f(x)"): only the wide and typographic marks open a break by themselves. */
    return linebreak_is_cjk(a) || linebreak_is_cjk(b) || (linebreak_is_opening(b) && b >= 0x80) ||
           (linebreak_is_closing(a) && a >= 0x80);
}

struct linebreak_char {
    size_t offset, size;
    uint32_t cp;
    int advance;
};

static void linebreak_emit(struct linebreak_line *lines, size_t max_lines, size_t count,
                           const struct linebreak_char *chars, size_t from, size_t to)
{
    /* Drop spaces at the end; they are not drawn and do not count. */
    while (to > from && linebreak_is_space(chars[to - 1].cp))
        to--;
    if (count >= max_lines)
        return;
    int width = 0;
    for (size_t i = from; i < to; i++)
        width += chars[i].advance;
    lines[count].start = chars[from].offset;
    lines[count].end = from < to ? chars[to - 1].offset + chars[to - 1].size : chars[from].offset;
    lines[count].width = width;
}

/* A paragraph whose last line would hold one lone CJK character (打印您的电子证照和证|明)
 * reads badly: when the character before the break may start a line itself, move the
 * break back one, so two characters go down together. */
static size_t linebreak_avoid_orphan(const struct linebreak_char *chars, size_t n, size_t start, size_t end)
{
    size_t rest = end, visible = 0;
    for (; rest < n && chars[rest].cp != '\n'; rest++)
        if (!linebreak_is_space(chars[rest].cp))
            visible++;
    if (visible != 1 || !linebreak_is_cjk(chars[end].cp) || end < start + 3)
        return end;
    if (!linebreak_allowed_between(chars[end - 2].cp, chars[end - 1].cp) ||
        !linebreak_allowed_between(chars[end - 1].cp, chars[end].cp))
        return end;
    return end - 1;
}

size_t linebreak_layout(const char *text, int max_width, linebreak_measure_fn measure, void *ctx,
                        struct linebreak_line *lines, size_t max_lines)
{
    size_t len = strlen(text);
    struct linebreak_char *chars = malloc((len + 1) * sizeof *chars);
    if (!chars)
        return 0;
    size_t n = 0;
    for (size_t off = 0; off < len;) {
        uint32_t cp;
        size_t used = linebreak_utf8_next(text + off, len - off, &cp);
        chars[n].offset = off;
        chars[n].size = used;
        chars[n].cp = cp;
        chars[n].advance = cp == '\n' ? 0 : measure(cp, ctx);
        n++;
        off += used;
    }

    /* A sentinel after the last character, so an empty line at the end has an offset. */
    chars[n] = (struct linebreak_char){ len, 0, '\n', 0 };
    /* Leading spaces go like spaces at a break: kept, they could leave the first line empty. */
    size_t count = 0, start = 0;
    while (start < n && linebreak_is_space(chars[start].cp))
        start++;
    do {
        size_t last_break = start, end = n, next = n;
        int width = 0;
        for (size_t i = start; i < n; i++) {
            if (chars[i].cp == '\n') {
                end = i;
                next = i + 1;
                break;
            }
            if (i > start && linebreak_allowed_between(chars[i - 1].cp, chars[i].cp))
                last_break = i;
            width += chars[i].advance;
            if (width > max_width && i > start && !linebreak_is_space(chars[i].cp)) {
                /* Break at the last opportunity; a word wider than the line is split. */
                end = next = last_break > start ? last_break : i;
                end = next = linebreak_avoid_orphan(chars, n, start, end);
                break;
            }
        }
        linebreak_emit(lines, max_lines, count++, chars, start, end);
        /* The next line starts after any spaces at the break. */
        while (next < n && linebreak_is_space(chars[next].cp))
            next++;
        start = next;
    } while (start < n);
    free(chars);
    return count;
}
