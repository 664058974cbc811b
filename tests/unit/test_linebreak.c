/* Line breaking as a reader of Chinese sees it: the exact text of every line.
 * Widths come from a fixed-width measure (CJK and other non-ASCII = 2 units, ASCII = 1),
 * so each expected layout can be worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "firmware/gfx/linebreak.h"

#define LINES_MAX 32

static int measure_fixed(uint32_t codepoint, void *ctx)
{
    (void)ctx;
    return codepoint < 0x80 ? 1 : 2;
}

/* Lays text out and joins the lines' text with "|", e.g. "政务服|务事项". Also checks
 * what every caller relies on: offsets ordered and inside the text, width = the sum of
 * the advances, no line wider than the limit unless it is a single character. */
static void layout_joined(const char *text, int max_width, char *out, size_t size)
{
    struct linebreak_line lines[LINES_MAX];
    size_t count = linebreak_layout(text, max_width, measure_fixed, NULL, lines, LINES_MAX);
    assert_true(count >= 1 && count <= LINES_MAX);
    size_t len = strlen(text), used = 0, previous_end = 0;
    out[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        assert_true(lines[i].start <= lines[i].end);
        assert_true(lines[i].end <= len);
        assert_true(lines[i].start >= previous_end);
        previous_end = lines[i].end;
        int width = 0, characters = 0;
        for (size_t off = lines[i].start; off < lines[i].end; characters++) {
            uint32_t cp;
            off += linebreak_utf8_next(text + off, lines[i].end - off, &cp);
            width += measure_fixed(cp, NULL);
        }
        assert_int_equal(lines[i].width, width);
        if (characters > 1)
            assert_true(lines[i].width <= max_width);
        int n = snprintf(out + used, size - used, "%s%.*s", i ? "|" : "",
                         (int)(lines[i].end - lines[i].start), text + lines[i].start);
        assert_true(n >= 0 && (size_t)n < size - used);
        used += (size_t)n;
    }
}

#define assert_layout(text, width, expected)                 \
    do {                                                     \
        char joined_[1024];                                  \
        layout_joined((text), (width), joined_, sizeof joined_); \
        assert_string_equal(joined_, (expected));            \
    } while (0)

static void test_breaks_between_cjk_characters(void **state)
{
    (void)state;
    assert_layout("政务服务事项查询", 6, "政务服|务事项|查询");
    assert_layout("政务服务事项查询", 16, "政务服务事项查询");
    /* One character alone on the last line is pulled down with its neighbour. */
    assert_layout("政务服务事项查询", 15, "政务服务事项|查询");
}

static void test_avoids_a_lone_character_on_the_last_line(void **state)
{
    (void)state;
    assert_layout("打印您的电子证照和证明", 20, "打印您的电子证照和|证明");
    /* not when the last line is longer anyway */
    assert_layout("打印您的电子证照和证明", 16, "打印您的电子证照|和证明");
    /* not when the character before it must stay (a closing mark cannot start a line) */
    assert_layout("请带好证件。谢", 12, "请带好证件。|谢");
    /* only the paragraph's last line: a forced break ends a paragraph too */
    assert_layout("事项查询\n办理", 6, "事项|查询|办理");
}

static void test_keeps_latin_words_and_numbers_whole(void **state)
{
    (void)state;
    /* The phone number moves down whole instead of splitting after "05". */
    assert_layout("电话0539-12345咨询", 10, "电话|0539-12345|咨询");
    assert_layout("请输入ID123号码", 8, "请输入|ID123|号码");
    assert_layout("Print your licence", 12, "Print your|licence");
    /* Times, amounts and versions: ASCII punctuation inside a number is part of it. */
    assert_layout("办理时间09:30起", 11, "办理时间|09:30起");
    assert_layout("费用1,234.50元", 10, "费用|1,234.50元");
    assert_layout("版本v2.1.3", 7, "版本|v2.1.3");
    /* After a space or next to CJK, ASCII punctuation still lets the line break. */
    assert_layout("Hello, world", 6, "Hello,|world");
    assert_layout("ok,好的", 4, "ok,|好的");
}

static void test_no_line_starts_with_closing_punctuation(void **state)
{
    (void)state;
    static const char *const closing[] = { "，", "。", "、", "；", "：", "？", "！", "）", "》", "」", "』" };
    for (size_t i = 0; i < sizeof closing / sizeof closing[0]; i++) {
        /* A naive break would give "甲乙丙|X丁"; the character before X moves down with it. */
        char text[64], expected[64];
        snprintf(text, sizeof text, "甲乙丙%s丁", closing[i]);
        snprintf(expected, sizeof expected, "甲乙|丙%s丁", closing[i]);
        assert_layout(text, 6, expected);
    }
    /* A number and the full stop after it move down together. */
    assert_layout("请拨打0539-12345。", 16, "请拨打|0539-12345。");
    assert_layout("Hello world.", 11, "Hello|world.");
}

static void test_no_line_ends_with_opening_punctuation(void **state)
{
    (void)state;
    static const char *const opening[] = { "（", "《", "「", "『" };
    for (size_t i = 0; i < sizeof opening / sizeof opening[0]; i++) {
        /* A naive break would give "甲乙X|丙丁"; X moves down to the text it opens. */
        char text[64], expected[64];
        snprintf(text, sizeof text, "甲乙%s丙丁", opening[i]);
        snprintf(expected, sizeof expected, "甲乙|%s丙丁", opening[i]);
        assert_layout(text, 6, expected);
    }
    assert_layout("请带好《居民身份证》", 8, "请带好|《居民身|份证》");
}

static void test_newline_forces_a_break(void **state)
{
    (void)state;
    assert_layout("甲\n乙", 100, "甲|乙");
    assert_layout("甲\n\n乙", 100, "甲||乙");
    assert_layout("ABC\nDEFGH", 4, "ABC|DEFG|H");
}

static void test_spaces_at_a_break_are_dropped(void **state)
{
    (void)state;
    assert_layout("AB   CD", 4, "AB|CD");
    struct linebreak_line lines[4];
    size_t count = linebreak_layout("AB   CD", 4, measure_fixed, NULL, lines, 4);
    assert_int_equal(count, 2);
    assert_int_equal(lines[0].start, 0);
    assert_int_equal(lines[0].end, 2);
    assert_int_equal(lines[0].width, 2);
    assert_int_equal(lines[1].start, 5);
    assert_int_equal(lines[1].end, 7);
    /* Trailing spaces at the end of the text are not drawn either. */
    count = linebreak_layout("AB  ", 40, measure_fixed, NULL, lines, 4);
    assert_int_equal(count, 1);
    assert_int_equal(lines[0].end, 2);
    assert_int_equal(lines[0].width, 2);
}

/* Leading spaces are dropped like the spaces after a break or a "\n": kept, they would
 * push the first word down and leave an empty first line. */
static void test_leading_spaces_never_make_an_empty_line(void **state)
{
    (void)state;
    assert_layout("  0539-12345", 10, "0539-12345");
    assert_layout("  甲乙", 2, "甲|乙");
    assert_layout("   ", 10, "");
    assert_layout("  AB\n  CD", 10, "AB|CD");
}

static void test_word_wider_than_the_line_is_split(void **state)
{
    (void)state;
    assert_layout("ABCDEFGHIJ", 4, "ABCD|EFGH|IJ");
    assert_layout("编号ABCDEFGHIJ", 4, "编号|ABCD|EFGH|IJ");
    /* One character wider than the line still gets a line of its own; no endless loop. */
    assert_layout("甲乙", 1, "甲|乙");
}

static void test_empty_text_gives_one_empty_line(void **state)
{
    (void)state;
    struct linebreak_line lines[2] = { { 99, 99, 99 }, { 99, 99, 99 } };
    assert_int_equal(linebreak_layout("", 100, measure_fixed, NULL, lines, 2), 1);
    assert_int_equal(lines[0].start, 0);
    assert_int_equal(lines[0].end, 0);
    assert_int_equal(lines[0].width, 0);
    assert_int_equal(lines[1].start, 99);
}

static void test_fills_at_most_max_lines_and_counts_all(void **state)
{
    (void)state;
    struct linebreak_line lines[3];
    memset(lines, 0xAB, sizeof lines);
    assert_int_equal(linebreak_layout("ABCDEFGHIJ", 2, measure_fixed, NULL, lines, 2), 5);
    assert_int_equal(lines[1].start, 2);
    assert_int_equal(lines[1].end, 4);
    /* The entry past max_lines is untouched. */
    unsigned char untouched[sizeof lines[2]];
    memset(untouched, 0xAB, sizeof untouched);
    assert_memory_equal(&lines[2], untouched, sizeof untouched);
    assert_int_equal(linebreak_layout("ABCDEFGHIJ", 2, measure_fixed, NULL, NULL, 0), 5);
}

/* Decodes the first sequence of bytes copied into a buffer of exactly that size, so a
 * read past the end is an out-of-bounds read under ASan. */
static size_t decode_exact(const char *bytes, size_t len, uint32_t *cp)
{
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, bytes, len);
    size_t used = linebreak_utf8_next(copy, len, cp);
    free(copy);
    return used;
}

static void test_utf8_valid_sequences(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        uint32_t cp;
    } cases[] = {
        { "A", 'A' },          { "\xC3\xA9", 0xE9 },           { "中", 0x4E2D },
        { "\xED\x9F\xBF", 0xD7FF }, { "\xEE\x80\x80", 0xE000 }, { "\xEF\xBF\xBF", 0xFFFF },
        { "\xF0\x9F\x98\x80", 0x1F600 }, { "\xF4\x8F\xBF\xBF", 0x10FFFF },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t cp = 0;
        size_t len = strlen(cases[i].bytes);
        assert_int_equal(decode_exact(cases[i].bytes, len, &cp), len);
        assert_int_equal(cp, cases[i].cp);
    }
    uint32_t cp = 0x1234;
    assert_int_equal(linebreak_utf8_next("", 0, &cp), 0);
}

static void test_utf8_invalid_gives_replacement_one_byte_at_a_time(void **state)
{
    (void)state;
    static const char *const invalid[] = {
        "\x80",             /* continuation without a lead */
        "\xBF",
        "\xFF", "\xFE", "\xF8\x88\x80\x80\x80", /* not lead bytes in UTF-8 */
        "\xE4\xB8",         /* truncated: the text ends inside the sequence */
        "\xF0\x9F\x98",
        "\xC3",
        "\xE4\x41\x42",     /* a lead followed by ASCII */
        "\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xE0\x9F\xBF", "\xF0\x80\x80\xAF",
        "\xF0\x8F\xBF\xBF", /* overlong forms */
        "\xED\xA0\x80", "\xED\xBF\xBF", /* UTF-16 surrogates */
        "\xF4\x90\x80\x80", "\xF7\xBF\xBF\xBF", /* past U+10FFFF */
    };
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        uint32_t cp = 0;
        assert_int_equal(decode_exact(invalid[i], strlen(invalid[i]), &cp), 1);
        assert_int_equal(cp, LINEBREAK_REPLACEMENT);
    }
    /* A valid sequence cut short by len (not by a NUL) is truncated too. */
    uint32_t cp = 0;
    assert_int_equal(decode_exact("中", 2, &cp), 1);
    assert_int_equal(cp, LINEBREAK_REPLACEMENT);
}

static int measure_recording(uint32_t codepoint, void *ctx)
{
    uint32_t **next = ctx;
    *(*next)++ = codepoint;
    return 1;
}

static void test_layout_of_invalid_utf8_measures_replacements(void **state)
{
    (void)state;
    uint32_t seen[16], *next = seen;
    struct linebreak_line lines[2];
    const char *text = "A\xFF\xE4\xB8Z";
    assert_int_equal(linebreak_layout(text, 100, measure_recording, &next, lines, 2), 1);
    /* \xE4 starts a 3-byte sequence but Z is no continuation byte: \xE4 and \xB8 are
     * replaced one by one and Z is kept. */
    assert_int_equal(next - seen, 5);
    assert_int_equal(seen[0], 'A');
    assert_int_equal(seen[1], LINEBREAK_REPLACEMENT);
    assert_int_equal(seen[2], LINEBREAK_REPLACEMENT);
    assert_int_equal(seen[3], LINEBREAK_REPLACEMENT);
    assert_int_equal(seen[4], 'Z');
    assert_int_equal(lines[0].end, strlen(text));
    next = seen;
    assert_int_equal(linebreak_layout("\xE4\xB8", 100, measure_recording, &next, lines, 2), 1);
    assert_int_equal(next - seen, 2);
    assert_int_equal(lines[0].start, 0);
    assert_int_equal(lines[0].end, 2);
}

static void test_trims_a_character_cut_by_truncation(void **state)
{
    (void)state;
    char cut[16];
    snprintf(cut, sizeof cut, "%s", "联合审批"); /* 12 bytes: fits */
    linebreak_utf8_trim_partial(cut);
    assert_string_equal(cut, "联合审批");
    char small[9];
    memcpy(small, "联合\xE5\xAE", 8); /* 审 cut after two of its three bytes */
    small[8] = '\0';
    assert_int_equal(strlen(small), 8);
    linebreak_utf8_trim_partial(small);
    assert_string_equal(small, "联合");
    char ascii[] = "abc";
    linebreak_utf8_trim_partial(ascii);
    assert_string_equal(ascii, "abc");
    char lone[] = "\xE8";
    linebreak_utf8_trim_partial(lone);
    assert_string_equal(lone, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_breaks_between_cjk_characters),
        cmocka_unit_test(test_avoids_a_lone_character_on_the_last_line),
        cmocka_unit_test(test_trims_a_character_cut_by_truncation),
        cmocka_unit_test(test_keeps_latin_words_and_numbers_whole),
        cmocka_unit_test(test_no_line_starts_with_closing_punctuation),
        cmocka_unit_test(test_no_line_ends_with_opening_punctuation),
        cmocka_unit_test(test_newline_forces_a_break),
        cmocka_unit_test(test_spaces_at_a_break_are_dropped),
        cmocka_unit_test(test_leading_spaces_never_make_an_empty_line),
        cmocka_unit_test(test_word_wider_than_the_line_is_split),
        cmocka_unit_test(test_empty_text_gives_one_empty_line),
        cmocka_unit_test(test_fills_at_most_max_lines_and_counts_all),
        cmocka_unit_test(test_utf8_valid_sequences),
        cmocka_unit_test(test_utf8_invalid_gives_replacement_one_byte_at_a_time),
        cmocka_unit_test(test_layout_of_invalid_utf8_measures_replacements),
    };
    return cmocka_run_group_tests_name("linebreak", tests, NULL, NULL);
}
