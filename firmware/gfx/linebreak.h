/* Line breaking for mixed Chinese and Latin text, as a reader of Chinese expects:
 * - a line may break between any two CJK characters;
 * - Latin words and numbers stay whole (a phone number or an item code is never split),
 *   unless one alone is wider than the line;
 * - no line starts with closing punctuation (，。、；：？！）》」』 and their ASCII twins)
 *   and none ends with opening punctuation (（《「『);
 * - "\n" forces a break; spaces at a break and at the start of the text are dropped.
 * Widths come from a callback, so tests can use a fixed-width measure. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define LINEBREAK_REPLACEMENT 0xFFFDu

/* Decodes one UTF-8 sequence at s (len bytes left). Invalid or truncated sequences yield
 * U+FFFD and consume one byte. Returns the bytes consumed (0 only when len == 0). */
size_t linebreak_utf8_next(const char *s, size_t len, uint32_t *codepoint);

/* Cuts an incomplete UTF-8 sequence off the end of s (what snprintf leaves when it
 * truncates in the middle of a character), so no half character reaches the screen. */
void linebreak_utf8_trim_partial(char *s);

typedef int (*linebreak_measure_fn)(uint32_t codepoint, void *ctx);

struct linebreak_line {
    size_t start, end; /* byte offsets in the text; end excludes dropped spaces and "\n" */
    int width;         /* sum of the advances of the line's characters */
};

/* Lays text out in lines no wider than max_width. Fills at most max_lines entries and
 * returns the total number of lines the text needs (which may be more). */
size_t linebreak_layout(const char *text, int max_width, linebreak_measure_fn measure, void *ctx,
                        struct linebreak_line *lines, size_t max_lines);

int linebreak_is_cjk(uint32_t codepoint);
int linebreak_is_closing(uint32_t codepoint);
int linebreak_is_opening(uint32_t codepoint);
