/* The UI-test script parser: what each line becomes, and the exact "NAME:LINE: reason"
 * a script author sees for each mistake, before anything runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "firmware/app/script.h"

static void test_parses_every_command_with_its_arguments(void **state)
{
    (void)state;
    const char *text = "tap 540 -20\n"
                       "tap-text 证照打印\n"
                       "type 0539\n"
                       "key back\n"
                       "wait-screen home\n"
                       "expect-text 临沂市政务服务中心\n"
                       "expect-no-text 暂停服务\n"
                       "advance 1.5\n"
                       "shot home_elder-2\n"
                       "device receipt_printer missing 打印机缺纸\n"
                       "device cert_printer present\n"
                       "key f12\n"
                       "wait-text 居民身份证换领\n"
                       "quit\n";
    struct script script;
    char err[256] = "";
    assert_int_equal(script_parse("all.txt", text, &script, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_string_equal(script.name, "all.txt");
    assert_int_equal(script.count, 14);
    const struct script_step *s = script.steps;
    for (size_t i = 0; i < script.count; i++)
        assert_int_equal(s[i].line, (int)i + 1);
    assert_int_equal(s[0].op, SCRIPT_TAP);
    assert_int_equal(s[0].x, 540);
    assert_int_equal(s[0].y, -20);
    assert_int_equal(s[1].op, SCRIPT_TAP_TEXT);
    assert_string_equal(s[1].text, "证照打印");
    assert_int_equal(s[2].op, SCRIPT_TYPE);
    assert_string_equal(s[2].text, "0539");
    assert_int_equal(s[3].op, SCRIPT_KEY);
    assert_string_equal(s[3].word, "back");
    assert_int_equal(s[4].op, SCRIPT_WAIT_SCREEN);
    assert_string_equal(s[4].word, "home");
    assert_int_equal(s[5].op, SCRIPT_EXPECT_TEXT);
    assert_string_equal(s[5].text, "临沂市政务服务中心");
    assert_int_equal(s[6].op, SCRIPT_EXPECT_NO_TEXT);
    assert_string_equal(s[6].text, "暂停服务");
    assert_int_equal(s[7].op, SCRIPT_ADVANCE);
    assert_true(s[7].seconds == 1.5);
    assert_int_equal(s[8].op, SCRIPT_SHOT);
    assert_string_equal(s[8].word, "home_elder-2");
    assert_int_equal(s[9].op, SCRIPT_DEVICE);
    assert_string_equal(s[9].word, "receipt_printer");
    assert_string_equal(s[9].word2, "missing");
    assert_string_equal(s[9].text, "打印机缺纸");
    assert_int_equal(s[10].op, SCRIPT_DEVICE);
    assert_string_equal(s[10].word, "cert_printer");
    assert_string_equal(s[10].word2, "present");
    assert_string_equal(s[10].text, "");
    assert_int_equal(s[11].op, SCRIPT_KEY);
    assert_string_equal(s[11].word, "f12");
    assert_int_equal(s[12].op, SCRIPT_WAIT_TEXT);
    assert_string_equal(s[12].text, "居民身份证换领");
    assert_int_equal(s[13].op, SCRIPT_QUIT);
    script_free(&script);
    assert_null(script.steps);
    assert_int_equal(script.count, 0);
}

static void test_op_names_round_trip(void **state)
{
    (void)state;
    static const char *const names[SCRIPT_OP_COUNT] = { "tap", "tap-text", "type", "type-from", "write",
                                                        "pick-candidate", "expect-input", "key", "wait-screen",
                                                        "expect-text", "expect-no-text", "wait-text", "advance", "shot",
                                                        "device", "wait-device", "card", "reader", "printer",
                                                        "quit" };
    for (int op = 0; op < SCRIPT_OP_COUNT; op++)
        assert_string_equal(script_op_name((enum script_op)op), names[op]);
    assert_string_equal(script_op_name(SCRIPT_OP_COUNT), "?");
}

static void test_text_is_trimmed_unless_quoted(void **state)
{
    (void)state;
    const char *text = "expect-text   两个  空格   \n"
                       "expect-text \"  带空格  \"\n"
                       "tap-text say \"hi\"\n"
                       "type \"\"\"\n"
                       "expect-text \"\n";
    struct script script;
    char err[256] = "";
    assert_int_equal(script_parse("q.txt", text, &script, err, sizeof err), 0);
    assert_int_equal(script.count, 5);
    assert_string_equal(script.steps[0].text, "两个  空格");
    assert_string_equal(script.steps[1].text, "  带空格  ");
    assert_string_equal(script.steps[2].text, "say \"hi\"");
    assert_string_equal(script.steps[3].text, "\"");
    assert_string_equal(script.steps[4].text, "\"");
    script_free(&script);
}

static void test_comments_blank_lines_and_crlf(void **state)
{
    (void)state;
    const char *text = "# a UI test\r\n"
                       "\r\n"
                       "   \t \n"
                       "  # indented comment\n"
                       "\twait-screen home\r\n"
                       "\n"
                       "expect-text 首页\r\n"
                       "quit"; /* no newline at the end */
    struct script script;
    char err[256] = "";
    assert_int_equal(script_parse("c.txt", text, &script, err, sizeof err), 0);
    assert_int_equal(script.count, 3);
    assert_int_equal(script.steps[0].op, SCRIPT_WAIT_SCREEN);
    assert_int_equal(script.steps[0].line, 5);
    assert_string_equal(script.steps[0].word, "home");
    assert_int_equal(script.steps[1].line, 7);
    assert_string_equal(script.steps[1].text, "首页");
    assert_int_equal(script.steps[2].op, SCRIPT_QUIT);
    assert_int_equal(script.steps[2].line, 8);
    script_free(&script);

    assert_int_equal(script_parse("empty.txt", "", &script, err, sizeof err), 0);
    assert_int_equal(script.count, 0);
    script_free(&script);
}

/* The bad line comes after a few good ones, so the line number is checked, not assumed. */
static void assert_script_error(const char *bad_line, const char *expected)
{
    char text[2048];
    snprintf(text, sizeof text, "# header\nwait-screen home\n\n%s\nquit\n", bad_line);
    struct script script;
    char err[256] = "";
    assert_int_equal(script_parse("s.txt", text, &script, err, sizeof err), -1);
    assert_string_equal(err, expected);
    /* A failed parse leaves nothing to free or to run. */
    assert_null(script.steps);
    assert_int_equal(script.count, 0);
}

static void test_unknown_command(void **state)
{
    (void)state;
    assert_script_error("tapp 1 2", "s.txt:4: unknown command 'tapp'");
    assert_script_error("TAP 1 2", "s.txt:4: unknown command 'TAP'");
    assert_script_error("  expect_text 首页", "s.txt:4: unknown command 'expect_text'");
}

static void test_missing_arguments(void **state)
{
    (void)state;
    assert_script_error("tap", "s.txt:4: tap: expected two whole numbers X Y (design units)");
    assert_script_error("tap 10", "s.txt:4: tap: expected two whole numbers X Y (design units)");
    assert_script_error("tap-text", "s.txt:4: tap-text: text expected");
    assert_script_error("type   ", "s.txt:4: type: text expected");
    assert_script_error("type-from", "s.txt:4: type-from: text expected");
    assert_script_error("type-from \"\"", "s.txt:4: type-from: text expected");
    assert_script_error("expect-text \"\"", "s.txt:4: expect-text: text expected");
    assert_script_error("key", "s.txt:4: key: expected one word");
    assert_script_error("wait-screen", "s.txt:4: wait-screen: expected one word");
    assert_script_error("shot", "s.txt:4: shot: expected one word");
    assert_script_error("advance", "s.txt:4: advance: expected seconds: a number above 0 and at most 86400");
    assert_script_error("device", "s.txt:4: device: expected two words");
    assert_script_error("device idcard_reader", "s.txt:4: device: expected two words");
}

static void test_bad_numbers(void **state)
{
    (void)state;
    static const char *const bad_points[] = { "tap 10 abc", "tap 1.5 2", "tap 0x10 2", "tap 200000 0",
                                              "tap 5 -100001", "tap 10px 20" };
    for (size_t i = 0; i < sizeof bad_points / sizeof bad_points[0]; i++)
        assert_script_error(bad_points[i], "s.txt:4: tap: expected two whole numbers X Y (design units)");
    static const char *const bad_seconds[] = { "advance 0", "advance -1", "advance 86401", "advance abc",
                                               "advance nan", "advance inf", "advance 2s" };
    for (size_t i = 0; i < sizeof bad_seconds / sizeof bad_seconds[0]; i++)
        assert_script_error(bad_seconds[i],
                            "s.txt:4: advance: expected seconds: a number above 0 and at most 86400");
    static const char *const bad_candidates[] = { "pick-candidate 0", "pick-candidate 100", "pick-candidate x",
                                                  "pick-candidate -1", "pick-candidate" };
    for (size_t i = 0; i < sizeof bad_candidates / sizeof bad_candidates[0]; i++)
        assert_script_error(bad_candidates[i], "s.txt:4: pick-candidate: expected a whole number from 1 to 99");
}

static void test_extra_arguments(void **state)
{
    (void)state;
    const char *reason = "unexpected text after the arguments";
    static const char *const lines[][2] = {
        { "quit now", "quit" },       { "tap 1 2 3", "tap" },        { "key back twice", "key" },
        { "shot a b", "shot" },       { "wait-screen home x", "wait-screen" }, { "advance 1 2", "advance" },
        { "pick-candidate 1 2", "pick-candidate" },
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        char expected[128];
        snprintf(expected, sizeof expected, "s.txt:4: %s: %s", lines[i][1], reason);
        assert_script_error(lines[i][0], expected);
    }
}

static void test_bad_shot_names(void **state)
{
    (void)state;
    const char *expected = "s.txt:4: shot: a shot name may use letters, digits, - and _ only";
    assert_script_error("shot ../etc/passwd", expected);
    assert_script_error("shot home.png", expected);
    assert_script_error("shot 首页", expected);
    assert_script_error("shot a/b", expected);
}

/* Key names and device states are checked while parsing: a typo on line 40 must not
 * surface only after 39 steps have run. */
static void test_bad_key_and_device_words(void **state)
{
    (void)state;
    assert_script_error("key bakc", "s.txt:4: key: unknown key 'bakc' (back, enter, backspace, up, down, f1..f12)");
    assert_script_error("key f13", "s.txt:4: key: unknown key 'f13' (back, enter, backspace, up, down, f1..f12)");
    assert_script_error("device printer missing",
                        "s.txt:4: device: unknown device 'printer' (idcard_reader, receipt_printer, cert_printer)");
    assert_script_error("device idcard_reader broken", "s.txt:4: device: state must be present or missing, not 'broken'");
    assert_script_error("wait-device printer present",
                        "s.txt:4: wait-device: unknown device 'printer' (idcard_reader, receipt_printer, cert_printer)");
    assert_script_error("wait-device cert_printer back", "s.txt:4: wait-device: state must be present or missing, not 'back'");
    assert_script_error("wait-device cert_printer present soon", "s.txt:4: wait-device: unexpected text after the state");
    assert_script_error("printer scanner none", "s.txt:4: printer: expected 'receipt FAULT [ROWS]' or 'cert FAULT [ROWS]'");
    assert_script_error("printer receipt paper-out-after lots", "s.txt:4: printer: expected 'receipt FAULT [ROWS]' or 'cert FAULT [ROWS]'");
    assert_script_error("printer receipt paper-out-after 0", "s.txt:4: printer: expected 'receipt FAULT [ROWS]' or 'cert FAULT [ROWS]'");
}

static void test_printer_faults_parse(void **state)
{
    (void)state;
    struct script script;
    char err[256];
    assert_int_equal(script_parse("s.txt", "printer receipt paper-out-after 400\nprinter receipt none\n", &script, err,
                                  sizeof err),
                     0);
    assert_int_equal(script.count, 2);
    assert_int_equal(script.steps[0].op, SCRIPT_PRINTER);
    assert_string_equal(script.steps[0].word, "receipt");
    assert_string_equal(script.steps[0].word2, "paper-out-after");
    assert_string_equal(script.steps[0].text, "400");
    assert_string_equal(script.steps[1].word2, "none");
    assert_string_equal(script.steps[1].text, "");
    script_free(&script);
}

static void test_text_must_be_utf8(void **state)
{
    (void)state;
    assert_script_error("expect-text 首\xFF页", "s.txt:4: expect-text: text is not valid UTF-8");
    assert_script_error("tap-text \xC0\xAF", "s.txt:4: tap-text: text is not valid UTF-8");
    assert_script_error("type \xED\xA0\x80", "s.txt:4: type: text is not valid UTF-8");
    /* Truncated at the end of the line: the newline is no continuation byte. */
    assert_script_error("expect-no-text 打\xE5\x8D", "s.txt:4: expect-no-text: text is not valid UTF-8");
    assert_script_error("device idcard_reader missing \x80", "s.txt:4: device: text is not valid UTF-8");
}

static void test_overlong_line_and_text(void **state)
{
    (void)state;
    char line[1024];
    /* 600 bytes: past the parser's line buffer. */
    snprintf(line, sizeof line, "type %0595d", 7);
    assert_int_equal(strlen(line), 600);
    assert_script_error(line, "s.txt:4: line longer than 575 bytes");
    /* Fits the line but not the step's text field. */
    snprintf(line, sizeof line, "type %0520d", 7);
    assert_script_error(line, "s.txt:4: type: text longer than 511 bytes");
    /* The longest text that fits is accepted whole. */
    char text[1024];
    snprintf(text, sizeof text, "type %0*d\n", SCRIPT_TEXT_MAX - 1, 7);
    struct script script;
    char err[256] = "";
    assert_int_equal(script_parse("long.txt", text, &script, err, sizeof err), 0);
    assert_int_equal(strlen(script.steps[0].text), SCRIPT_TEXT_MAX - 1);
    script_free(&script);
}

static void test_error_line_counts_crlf_and_comments(void **state)
{
    (void)state;
    struct script script;
    char err[256] = "";
    const char *text = "# 1\r\n\r\n# 3\r\nquit\r\n\r\nshot\r\n";
    assert_int_equal(script_parse("crlf.txt", text, &script, err, sizeof err), -1);
    assert_string_equal(err, "crlf.txt:6: shot: expected one word");
}

static char *write_temp(const char *content, size_t len)
{
    char *path = strdup("/tmp/test_script_XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, len), (ssize_t)len);
    close(fd);
    return path;
}

static void test_load_from_a_file(void **state)
{
    (void)state;
    /* 1000 steps: more than one read and more than one growth of the step array. */
    size_t size = 1000 * 16 + 64, used = 0;
    char *content = malloc(size);
    assert_non_null(content);
    used += (size_t)snprintf(content, size, "# generated\n");
    for (int i = 0; i < 1000; i++)
        used += (size_t)snprintf(content + used, size - used, "advance %d\n", i + 1);
    char *path = write_temp(content, used);
    struct script script;
    char err[256] = "";
    assert_int_equal(script_load(path, &script, err, sizeof err), 0);
    assert_string_equal(script.name, path);
    assert_int_equal(script.count, 1000);
    assert_int_equal(script.steps[999].line, 1001);
    assert_true(script.steps[999].seconds == 1000);
    script_free(&script);
    unlink(path);

    /* Errors name the file. */
    const char bad[] = "quit\nfrobnicate\n";
    char *bad_path = write_temp(bad, sizeof bad - 1);
    char expected[300];
    snprintf(expected, sizeof expected, "%s:2: unknown command 'frobnicate'", bad_path);
    assert_int_equal(script_load(bad_path, &script, err, sizeof err), -1);
    assert_string_equal(err, expected);
    unlink(bad_path);

    /* A NUL byte would silently cut the script short; it is refused instead. */
    const char nul[] = "quit\n\0wait-screen home\n";
    char *nul_path = write_temp(nul, sizeof nul - 1);
    snprintf(expected, sizeof expected, "%s: contains a NUL byte; a script is text", nul_path);
    assert_int_equal(script_load(nul_path, &script, err, sizeof err), -1);
    assert_string_equal(err, expected);
    unlink(nul_path);

    free(content);
    free(path);
    free(bad_path);
    free(nul_path);
}

static void test_load_missing_file(void **state)
{
    (void)state;
    struct script script;
    char err[256] = "";
    assert_int_equal(script_load("/nonexistent/ui/home.txt", &script, err, sizeof err), -1);
    assert_string_equal(err, "/nonexistent/ui/home.txt: cannot open: No such file or directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parses_every_command_with_its_arguments),
        cmocka_unit_test(test_op_names_round_trip),
        cmocka_unit_test(test_text_is_trimmed_unless_quoted),
        cmocka_unit_test(test_comments_blank_lines_and_crlf),
        cmocka_unit_test(test_unknown_command),
        cmocka_unit_test(test_missing_arguments),
        cmocka_unit_test(test_bad_numbers),
        cmocka_unit_test(test_extra_arguments),
        cmocka_unit_test(test_bad_shot_names),
        cmocka_unit_test(test_bad_key_and_device_words),
        cmocka_unit_test(test_printer_faults_parse),
        cmocka_unit_test(test_text_must_be_utf8),
        cmocka_unit_test(test_overlong_line_and_text),
        cmocka_unit_test(test_error_line_counts_crlf_and_comments),
        cmocka_unit_test(test_load_from_a_file),
        cmocka_unit_test(test_load_missing_file),
    };
    return cmocka_run_group_tests_name("script", tests, NULL, NULL);
}
