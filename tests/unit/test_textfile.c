/* textfile: whole files for the parsers, with their size limit and error wording. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "firmware/core/textfile.h"

static void write_file(const char *path, const char *bytes, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    fclose(f);
}

static void test_reads_the_whole_file_with_a_nul_after_it(void **state)
{
    (void)state;
    char path[] = "/tmp/textfile-XXXXXX";
    close(mkstemp(path));
    /* bigger than the first 64 KiB buffer, so the growth path runs */
    size_t len = 200000;
    char *bytes = malloc(len);
    for (size_t i = 0; i < len; i++)
        bytes[i] = (char)('a' + i % 26);
    write_file(path, bytes, len);
    char *text, err[256] = "";
    size_t got;
    assert_int_equal(textfile_read(path, len, &text, &got, err, sizeof err), 0);
    assert_int_equal(got, len);
    assert_memory_equal(text, bytes, len);
    assert_int_equal(text[len], '\0');
    free(text);
    free(bytes);
    unlink(path);
}

static void test_empty_file_is_empty_text(void **state)
{
    (void)state;
    char path[] = "/tmp/textfile-XXXXXX";
    close(mkstemp(path));
    char *text, err[256] = "";
    size_t got = 99;
    assert_int_equal(textfile_read(path, 10, &text, &got, err, sizeof err), 0);
    assert_int_equal(got, 0);
    assert_string_equal(text, "");
    free(text);
    unlink(path);
}

static void test_refuses_a_file_over_the_limit(void **state)
{
    (void)state;
    char path[] = "/tmp/textfile-XXXXXX";
    close(mkstemp(path));
    write_file(path, "0123456789X", 11);
    char *text = (char *)1, err[256] = "", expected[300];
    size_t got;
    assert_int_equal(textfile_read(path, 10, &text, &got, err, sizeof err), -1);
    assert_null(text);
    snprintf(expected, sizeof expected, "%s: file too large (more than 10 bytes)", path);
    assert_string_equal(err, expected);
    assert_int_equal(textfile_read(path, 11, &text, &got, err, sizeof err), 0);
    assert_int_equal(got, 11);
    free(text);
    unlink(path);
}

static void test_missing_file_names_it(void **state)
{
    (void)state;
    char *text, err[256] = "";
    size_t got;
    assert_int_equal(textfile_read("/nonexistent/x.json", 10, &text, &got, err, sizeof err), -1);
    assert_string_equal(err, "/nonexistent/x.json: cannot open: No such file or directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_the_whole_file_with_a_nul_after_it),
        cmocka_unit_test(test_empty_file_is_empty_text),
        cmocka_unit_test(test_refuses_a_file_over_the_limit),
        cmocka_unit_test(test_missing_file_names_it),
    };
    return cmocka_run_group_tests_name("textfile", tests, NULL, NULL);
}
