/* The pinyin table generated from Unihan at build time: polyphones carry every reading,
 * tones are stripped, ü is v, and characters without a Mandarin reading have none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "firmware/gfx/linebreak.h"
#include "firmware/catalogue/pinyin.h"

static uint32_t codepoint_of(const char *utf8)
{
    uint32_t cp;
    linebreak_utf8_next(utf8, strlen(utf8), &cp);
    return cp;
}

/* Whether the character's readings include every syllable of the space-separated list. */
static void assert_readings_include(const char *character, const char *expected)
{
    char readings[128];
    pinyin_readings_text(codepoint_of(character), readings, sizeof readings);
    char copy[128];
    snprintf(copy, sizeof copy, "%s", expected);
    char *save = NULL;
    for (char *want = strtok_r(copy, " ", &save); want; want = strtok_r(NULL, " ", &save)) {
        char padded_readings[140], padded_want[40];
        snprintf(padded_readings, sizeof padded_readings, " %s ", readings);
        snprintf(padded_want, sizeof padded_want, " %s ", want);
        if (!strstr(padded_readings, padded_want))
            fail_msg("%s: readings \"%s\" lack \"%s\"", character, readings, want);
    }
}

static void test_polyphones_have_every_reading(void **state)
{
    (void)state;
    assert_readings_include("行", "xing hang");
    assert_readings_include("长", "chang zhang");
    assert_readings_include("重", "zhong chong");
    assert_readings_include("乐", "le yue");
    assert_readings_include("单", "dan shan");
    assert_readings_include("区", "qu ou");
    assert_readings_include("藏", "cang zang");
    assert_readings_include("觉", "jue jiao");
    assert_readings_include("发", "fa");
    assert_readings_include("沂", "yi");
    assert_readings_include("证", "zheng");
}

static void test_most_common_reading_comes_first(void **state)
{
    (void)state;
    char readings[64];
    pinyin_readings_text(codepoint_of("行"), readings, sizeof readings);
    assert_string_equal(strtok(readings, " "), "xing");
    pinyin_readings_text(codepoint_of("沂"), readings, sizeof readings);
    assert_string_equal(strtok(readings, " "), "yi");
}

static void test_umlaut_is_v_and_tones_are_gone(void **state)
{
    (void)state;
    assert_readings_include("绿", "lv");
    assert_readings_include("女", "nv");
    assert_readings_include("律", "lv");
    /* Every syllable is plain a-z, 1 to 6 letters, and the ids are in strcmp order. */
    size_t count = pinyin_syllable_count();
    assert_true(count > 400 && count < 500);
    for (size_t id = 0; id < count; id++) {
        const char *text = pinyin_syllable_text(id);
        size_t len = strlen(text);
        assert_true(len >= 1 && len <= 6);
        assert_int_equal(strspn(text, "abcdefghijklmnopqrstuvwxyz"), len);
        if (id > 0)
            assert_true(strcmp(pinyin_syllable_text(id - 1), text) < 0);
    }
    assert_null(pinyin_syllable_text(count));
}

static void test_no_reading_for_latin_and_punctuation(void **state)
{
    (void)state;
    const uint16_t *ids = (const uint16_t *)1;
    assert_int_equal(pinyin_readings('a', &ids), 0);
    assert_null(ids);
    assert_int_equal(pinyin_readings(codepoint_of("，"), &ids), 0);
    assert_int_equal(pinyin_readings(0x10FFFF, &ids), 0);
    char readings[8] = "x";
    assert_int_equal(pinyin_readings_text('a', readings, sizeof readings), 0);
    assert_string_equal(readings, "");
}

static void test_readings_text_truncates_like_snprintf(void **state)
{
    (void)state;
    char full[64], small[5];
    size_t needed = pinyin_readings_text(codepoint_of("行"), full, sizeof full);
    assert_int_equal(needed, strlen(full));
    assert_int_equal(pinyin_readings_text(codepoint_of("行"), small, sizeof small), needed);
    assert_string_equal(small, "xing");
    assert_true(strlen(pinyin_unicode_version()) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_polyphones_have_every_reading),
        cmocka_unit_test(test_most_common_reading_comes_first),
        cmocka_unit_test(test_umlaut_is_v_and_tones_are_gone),
        cmocka_unit_test(test_no_reading_for_latin_and_punctuation),
        cmocka_unit_test(test_readings_text_truncates_like_snprintf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
