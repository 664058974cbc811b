/* Board and unit configuration: defaults, a full file, and the exact "name:LINE: reason"
 * a technician sees for each mistake. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "firmware/storage/config.h"
#include "firmware/core/msg.h"

static void test_defaults(void **state)
{
    (void)state;
    struct config config;
    memset(&config, 0x5A, sizeof config);
    config_set_defaults(&config);
    assert_string_equal(config.unit_id, "LY-SIM-0001");
    assert_string_equal(config.unit_location, "临沂市政务服务中心 24小时自助服务区");
    assert_string_equal(config.service_phone, "0539-12345");
    assert_int_equal(config.utc_offset_minutes, 480);
    assert_int_equal(config.display_width, 1080);
    assert_int_equal(config.display_height, 1920);
    assert_true(config.window_scale == 0);
    assert_false(config.headless);
    assert_int_equal(config.inactivity_seconds, 60);
    assert_int_equal(config.countdown_seconds, 20);
    assert_string_equal(config.language, "zh_CN");
    assert_false(config.elder_mode);
    assert_string_equal(config.font_regular, "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    assert_string_equal(config.font_bold, "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc");
    assert_int_equal(config.font_face_index, 2);
    assert_string_equal(config.data_dir, "/var/lib/kiosk");
    assert_string_equal(config.catalogue_seed, "assets/catalogue/seed.json");
    assert_int_equal(config.idcard_poll_ms, 500);
    assert_int_equal(config.idcard_baud, 115200);
    for (int i = 0; i < DEVICE_COUNT; i++) {
        assert_false(config.required[i]);
        assert_string_equal(config.device_address[i], "sim");
    }
    assert_string_equal(config.technician_pin, "2468");
}

static void test_full_valid_file(void **state)
{
    (void)state;
    const char *text = "; unit LY-0042\n"
                       "[unit]\n"
                       "id = LY-0042\n"
                       "location = 兰山区政务服务中心 一楼大厅\n"
                       "service_phone = 0539-8888888\n"
                       "utc_offset_minutes = -300\n"
                       "\n"
                       "[display]\n"
                       "width = 1280\n"
                       "height = 800\n"
                       "window_scale = 0.5\n"
                       "headless = yes\n"
                       "[session]\n"
                       "inactivity_seconds = 90\n"
                       "countdown_seconds = 15\n"
                       "[ui]\n"
                       "language = en\n"
                       "elder_mode = true\n"
                       "font_regular = /opt/fonts/a.ttc\n"
                       "font_bold = /opt/fonts/b.ttc\n"
                       "font_face_index = 0\n"
                       "[storage]\n"
                       "data_dir = /var/lib/kiosk\n"
                       "[devices]\n"
                       "idcard_reader = /dev/ttyUSB0\n"
                       "receipt_printer = usb:0416:5011\n"
                       "cert_printer = ipp://192.168.1.20/ipp/print\n"
                       "required = idcard_reader,  cert_printer\n"
                       "[technician]\n"
                       "pin = 135790\n";
    struct config config;
    config_set_defaults(&config);
    char err[256] = "";
    assert_int_equal(config_load_string(&config, "unit.ini", text, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_string_equal(config.unit_id, "LY-0042");
    assert_string_equal(config.unit_location, "兰山区政务服务中心 一楼大厅");
    assert_string_equal(config.service_phone, "0539-8888888");
    assert_int_equal(config.utc_offset_minutes, -300);
    assert_int_equal(config.display_width, 1280);
    assert_int_equal(config.display_height, 800);
    assert_true(config.window_scale == 0.5);
    assert_true(config.headless);
    assert_int_equal(config.inactivity_seconds, 90);
    assert_int_equal(config.countdown_seconds, 15);
    assert_string_equal(config.language, "en");
    assert_true(config.elder_mode);
    assert_string_equal(config.font_regular, "/opt/fonts/a.ttc");
    assert_string_equal(config.font_bold, "/opt/fonts/b.ttc");
    assert_int_equal(config.font_face_index, 0);
    assert_string_equal(config.data_dir, "/var/lib/kiosk");
    assert_true(config.required[DEVICE_IDCARD_READER]);
    assert_false(config.required[DEVICE_RECEIPT_PRINTER]);
    assert_true(config.required[DEVICE_CERT_PRINTER]);
    assert_string_equal(config.device_address[DEVICE_IDCARD_READER], "/dev/ttyUSB0");
    assert_string_equal(config.device_address[DEVICE_RECEIPT_PRINTER], "usb:0416:5011");
    assert_string_equal(config.device_address[DEVICE_CERT_PRINTER], "ipp://192.168.1.20/ipp/print");
    assert_string_equal(config.technician_pin, "135790");
}

static void test_partial_file_keeps_other_values(void **state)
{
    (void)state;
    struct config config;
    config_set_defaults(&config);
    char err[256] = "";
    assert_int_equal(config_load_string(&config, "p.ini", "[ui]\nelder_mode = 1\n", err, sizeof err), 0);
    assert_true(config.elder_mode);
    assert_string_equal(config.unit_id, "LY-SIM-0001");
    assert_int_equal(config.display_height, 1920);
    /* A second file loads over the first: the board's file, then the unit's. */
    assert_int_equal(config_load_string(&config, "q.ini", "[ui]\nelder_mode = no\n", err, sizeof err), 0);
    assert_false(config.elder_mode);
}

/* Indentation is layout only: an indented key is its own entry, never a continuation of
 * the previous value (which is what inih would make of it). */
static void test_indented_lines_are_entries(void **state)
{
    (void)state;
    struct config config;
    config_set_defaults(&config);
    char err[256] = "";
    const char *text = "[unit]\n"
                       "location = 兰山区政务服务中心\n"
                       "    service_phone = 0539-8888888\n"
                       "\t[display]\n"
                       "  width = 1280\n"
                       "\t height = 800\n"
                       "  ; an indented comment\n";
    assert_int_equal(config_load_string(&config, "indent.ini", text, err, sizeof err), 0);
    assert_string_equal(config.unit_location, "兰山区政务服务中心");
    assert_string_equal(config.service_phone, "0539-8888888");
    assert_int_equal(config.display_width, 1280);
    assert_int_equal(config.display_height, 800);
    /* And an indented mistake is reported on its own line. */
    assert_int_equal(config_load_string(&config, "indent.ini", "[display]\nwidth = 1280\n  height = tall\n", err,
                                        sizeof err), -1);
    assert_string_equal(err, "indent.ini:3: height must be a whole number from 320 to 7680");
}

/* The bad entry sits on line 6, after a comment, a good entry, a blank line and its section. */
static void assert_config_error(const char *section, const char *bad_line, const char *expected_reason)
{
    char text[1024];
    snprintf(text, sizeof text, "# unit\n[unit]\nid = LY-1\n\n[%s]\n%s\n[unit]\nid = LY-2\n", section, bad_line);
    struct config config;
    config_set_defaults(&config);
    char err[512] = "", expected[512];
    snprintf(expected, sizeof expected, "t.ini:6: %s", expected_reason);
    assert_int_equal(config_load_string(&config, "t.ini", text, err, sizeof err), -1);
    assert_string_equal(err, expected);
}

static void test_unknown_key(void **state)
{
    (void)state;
    assert_config_error("unit", "colour = red", "unknown key 'colour' in section [unit]");
    assert_config_error("display", "id = x", "unknown key 'id' in section [display]");
    assert_config_error("screen", "width = 1080", "unknown key 'width' in section [screen]");
}

static void test_bad_and_out_of_range_numbers(void **state)
{
    (void)state;
    assert_config_error("display", "width = wide", "width must be a whole number from 320 to 7680");
    assert_config_error("display", "width = 1080px", "width must be a whole number from 320 to 7680");
    assert_config_error("display", "height = 1e3", "height must be a whole number from 320 to 7680");
    assert_config_error("display", "width = 319", "width must be a whole number from 320 to 7680");
    assert_config_error("display", "height = 99999999999999999999",
                        "height must be a whole number from 320 to 7680");
    assert_config_error("session", "inactivity_seconds = 4", "inactivity_seconds must be a whole number from 5 to 3600");
    assert_config_error("devices", "idcard_poll_ms = 50", "idcard_poll_ms must be a whole number from 100 to 5000");
    assert_config_error("devices", "idcard_baud = 12345", "idcard_baud must be 115200, 57600, 38400, 19200 or 9600");
    assert_config_error("session", "countdown_seconds = 301", "countdown_seconds must be a whole number from 3 to 300");
    assert_config_error("unit", "utc_offset_minutes = 900", "utc_offset_minutes must be a whole number from -720 to 840");
    assert_config_error("ui", "font_face_index = -1", "font_face_index must be a whole number from 0 to 15");
    assert_config_error("display", "window_scale = 5",
                        "window_scale must be 0 (fit the desktop) or a factor up to 4");
    assert_config_error("display", "window_scale = big",
                        "window_scale must be 0 (fit the desktop) or a factor up to 4");
}

static void test_bad_bool(void **state)
{
    (void)state;
    assert_config_error("display", "headless = maybe", "headless must be true or false");
    assert_config_error("ui", "elder_mode = on", "elder_mode must be true or false");
    assert_config_error("ui", "elder_mode = ", "elder_mode must be true or false");
}

static void test_bad_language(void **state)
{
    (void)state;
    assert_config_error("ui", "language = fr", "language must be zh_CN or en");
    assert_config_error("ui", "language = zh_cn", "language must be zh_CN or en");
}

static void test_bad_required_device(void **state)
{
    (void)state;
    assert_config_error("devices", "required = idcard_reader, scanner",
                        "unknown device 'scanner' (idcard_reader, receipt_printer, cert_printer)");
    assert_config_error("devices", "scanner = /dev/ttyS1", "unknown key 'scanner' in section [devices]");
    assert_config_error("devices", "receipt_printer =",
                        "receipt_printer needs an address (a tty path, usb:VID:PID, a URI, or sim)");
}

static void test_bad_pin(void **state)
{
    (void)state;
    assert_config_error("technician", "pin = 123", "pin must be 4 to 12 digits");
    assert_config_error("technician", "pin = 12a4", "pin must be 4 to 12 digits");
    assert_config_error("technician", "pin = 1234567890123", "pin must be 4 to 12 digits");
}

static void test_text_too_long(void **state)
{
    (void)state;
    assert_config_error("unit", "service_phone = 0539-123456789012345678901234567",
                        "value of service_phone is too long (max 31 bytes)");
}

static void test_line_that_is_not_ini(void **state)
{
    (void)state;
    assert_config_error("unit", "just some words",
                        "not a valid INI line (expected key = value or [section])");
}

/* The message must describe the line it names, whatever comes after it. */
static void test_first_error_wins_with_its_own_reason(void **state)
{
    (void)state;
    struct config config;
    config_set_defaults(&config);
    char err[512] = "";
    const char *syntax_then_value = "[display]\nwidth = 1080\nnonsense\nheight = tall\n";
    assert_int_equal(config_load_string(&config, "a.ini", syntax_then_value, err, sizeof err), -1);
    assert_string_equal(err, "a.ini:3: not a valid INI line (expected key = value or [section])");
    const char *value_then_syntax = "[display]\nwidth = 10\nnonsense\n";
    assert_int_equal(config_load_string(&config, "b.ini", value_then_syntax, err, sizeof err), -1);
    assert_string_equal(err, "b.ini:2: width must be a whole number from 320 to 7680");
}

/* inih parses lines in a 200-byte buffer. A line that fits loads whole; a longer one is
 * an error on its own line (never a cut value taken, never garbage reported on the next
 * line); a long comment is only a comment. */
static void test_long_lines(void **state)
{
    (void)state;
    struct config config;
    config_set_defaults(&config);
    char err[512] = "", text[1024], value[200];
    memset(value, 'x', 180);
    value[180] = '\0';
    snprintf(text, sizeof text, "[ui]\nfont_regular = %s\nlanguage = en\n", value);
    assert_int_equal(config_load_string(&config, "fits.ini", text, err, sizeof err), 0);
    assert_string_equal(config.font_regular, value);
    assert_string_equal(config.language, "en");

    char huge[900];
    memset(huge, 'y', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    config_set_defaults(&config);
    snprintf(text, sizeof text, "[unit]\nlocation = %.240s\n[ui]\nlanguage = en\n", huge);
    assert_int_equal(config_load_string(&config, "long.ini", text, err, sizeof err), -1);
    assert_string_equal(err, "long.ini:2: line longer than 199 bytes");
    assert_string_equal(config.unit_location, "临沂市政务服务中心 24小时自助服务区");

    snprintf(text, sizeof text, "[ui]\nfont_bold = %s\n", huge);
    assert_int_equal(config_load_string(&config, "huge.ini", text, err, sizeof err), -1);
    assert_string_equal(err, "huge.ini:2: line longer than 199 bytes");

    snprintf(text, sizeof text, "[%.300s]\nlanguage = en\n", huge);
    assert_int_equal(config_load_string(&config, "section.ini", text, err, sizeof err), -1);
    assert_string_equal(err, "section.ini:1: line longer than 199 bytes");

    snprintf(text, sizeof text, "; %.250s\n[ui]\nlanguage = en\n", huge);
    assert_int_equal(config_load_string(&config, "comment.ini", text, err, sizeof err), 0);
    snprintf(text, sizeof text, "; %.250s\n[ui]\nlanguage = fr\n", huge);
    assert_int_equal(config_load_string(&config, "comment.ini", text, err, sizeof err), -1);
    assert_string_equal(err, "comment.ini:3: language must be zh_CN or en");
}

static void test_display_too_small(void **state)
{
    (void)state;
    struct config config;
    config_set_defaults(&config);
    char err[512] = "";
    assert_int_equal(config_load_string(&config, "s.ini", "[display]\nwidth = 640\nheight = 400\n", err,
                                        sizeof err), -1);
    assert_string_equal(err, "s.ini: display is too small: the short side must be at least 480 pixels");
}

static void test_load_file_and_missing_file(void **state)
{
    (void)state;
    char path[] = "/tmp/test_config_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char text[] = "[unit]\nid = LY-FILE\n[ui]\nlanguage = de\n";
    assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    struct config config;
    config_set_defaults(&config);
    char err[512] = "", expected[512];
    assert_int_equal(config_load(&config, path, err, sizeof err), -1);
    snprintf(expected, sizeof expected, "%s:4: language must be zh_CN or en", path);
    assert_string_equal(err, expected);
    assert_string_equal(config.unit_id, "LY-FILE");
    unlink(path);

    assert_int_equal(config_load(&config, "/nonexistent/kiosk.ini", err, sizeof err), -1);
    assert_string_equal(err, "/nonexistent/kiosk.ini: cannot open: No such file or directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_full_valid_file),
        cmocka_unit_test(test_partial_file_keeps_other_values),
        cmocka_unit_test(test_indented_lines_are_entries),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_bad_and_out_of_range_numbers),
        cmocka_unit_test(test_bad_bool),
        cmocka_unit_test(test_bad_language),
        cmocka_unit_test(test_bad_required_device),
        cmocka_unit_test(test_bad_pin),
        cmocka_unit_test(test_text_too_long),
        cmocka_unit_test(test_line_that_is_not_ini),
        cmocka_unit_test(test_first_error_wins_with_its_own_reason),
        cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_display_too_small),
        cmocka_unit_test(test_load_file_and_missing_file),
    };
    return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
