/* ESC/POS status replies: every bit of DLE EOT 1..4 and GS r 1, the reply-pattern check
 * against every byte, and the condition and messages a combined status turns into. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "drivers/escpos/escpos_status.h"

static void test_pattern_over_all_bytes(void **state)
{
    (void)state;
    int valid = 0;
    for (int b = 0; b < 256; b++) {
        struct escpos_status status = {0}, untouched = {0};
        bool shape = (b & 0x01) == 0 && (b & 0x02) && (b & 0x10) && (b & 0x80) == 0;
        assert_int_equal(escpos_status_is_realtime_reply((uint8_t)b), shape);
        for (int n = 1; n <= 4; n++) {
            int r = escpos_status_decode_realtime(&status, n, (uint8_t)b);
            assert_int_equal(r, shape ? 0 : -EBADMSG);
            if (!shape)
                assert_memory_equal(&status, &untouched, sizeof status);
        }
        valid += shape;
    }
    assert_int_equal(valid, 16); /* bits 2, 3, 5, 6 free */
    struct escpos_status status = {0};
    assert_int_equal(escpos_status_decode_realtime(&status, 0, 0x12), -EINVAL);
    assert_int_equal(escpos_status_decode_realtime(&status, 5, 0x12), -EINVAL);
}

static void test_dle_eot_bits(void **state)
{
    (void)state;
    struct escpos_status s = {0};
    assert_int_equal(escpos_status_decode_realtime(&s, 1, 0x12), 0);
    assert_false(s.offline);
    assert_int_equal(escpos_status_decode_realtime(&s, 1, 0x16), 0); /* drawer pin: ignored */
    assert_false(s.offline);
    assert_int_equal(escpos_status_decode_realtime(&s, 1, 0x1A), 0);
    assert_true(s.offline);

    assert_int_equal(escpos_status_decode_realtime(&s, 2, 0x16), 0);
    assert_true(s.cover_open);
    assert_false(s.feed_button || s.stopped_paper_end || s.error);
    assert_int_equal(escpos_status_decode_realtime(&s, 2, 0x1A), 0);
    assert_true(s.feed_button);
    assert_false(s.cover_open);
    assert_int_equal(escpos_status_decode_realtime(&s, 2, 0x32), 0);
    assert_true(s.stopped_paper_end);
    assert_int_equal(escpos_status_decode_realtime(&s, 2, 0x52), 0);
    assert_true(s.error);
    assert_false(s.stopped_paper_end);

    assert_int_equal(escpos_status_decode_realtime(&s, 3, 0x16), 0);
    assert_true(s.mechanical_error);
    assert_int_equal(escpos_status_decode_realtime(&s, 3, 0x1A), 0);
    assert_true(s.cutter_error);
    assert_false(s.mechanical_error);
    assert_int_equal(escpos_status_decode_realtime(&s, 3, 0x32), 0);
    assert_true(s.unrecoverable_error);
    assert_int_equal(escpos_status_decode_realtime(&s, 3, 0x52), 0);
    assert_true(s.recoverable_error);
    assert_false(s.unrecoverable_error || s.cutter_error);

    assert_int_equal(escpos_status_decode_realtime(&s, 4, 0x1E), 0);
    assert_true(s.paper_near_end);
    assert_false(s.paper_end);
    assert_int_equal(escpos_status_decode_realtime(&s, 4, 0x72), 0);
    assert_true(s.paper_end);
    assert_false(s.paper_near_end);
    assert_int_equal(escpos_status_decode_realtime(&s, 4, 0x12), 0);
    assert_false(s.paper_end || s.paper_near_end);
    assert_int_equal(s.answered, 0x1E);
}

static void test_paper_sensor(void **state)
{
    (void)state;
    struct escpos_status s = {0};
    assert_int_equal(escpos_status_decode_paper_sensor(&s, 0x00), 0);
    assert_false(s.paper_near_end || s.paper_end);
    assert_int_equal(escpos_status_decode_paper_sensor(&s, 0x03), 0);
    assert_true(s.paper_near_end);
    assert_false(s.paper_end);
    assert_int_equal(escpos_status_decode_paper_sensor(&s, 0x0C), 0);
    assert_true(s.paper_end);
    assert_false(s.paper_near_end);
    assert_int_equal(s.answered, 1);
    int valid = 0;
    for (int b = 0; b < 256; b++)
        valid += escpos_status_decode_paper_sensor(&s, (uint8_t)b) == 0;
    assert_int_equal(valid, 64);
    /* A DLE EOT reply arriving where GS r's was expected is not taken for one. */
    assert_int_equal(escpos_status_decode_paper_sensor(&s, 0x12), -EBADMSG);
    assert_int_equal(escpos_status_decode_paper_sensor(&s, 0x80), -EBADMSG);
}

static void test_conditions_and_messages(void **state)
{
    (void)state;
    struct escpos_status s = {0};
    assert_int_equal(escpos_status_condition(&s), ESCPOS_CONDITION_READY);
    assert_null(escpos_condition_resident_msgid(ESCPOS_CONDITION_READY));
    s.paper_near_end = true;
    assert_int_equal(escpos_status_condition(&s), ESCPOS_CONDITION_PAPER_NEAR_END);
    assert_false(escpos_condition_blocks_printing(ESCPOS_CONDITION_PAPER_NEAR_END));
    assert_null(escpos_condition_resident_msgid(ESCPOS_CONDITION_PAPER_NEAR_END));
    s.offline = true;
    assert_int_equal(escpos_status_condition(&s), ESCPOS_CONDITION_OFFLINE);
    s.recoverable_error = true;
    assert_int_equal(escpos_status_condition(&s), ESCPOS_CONDITION_RECOVERABLE_ERROR);
    s.paper_end = true;
    assert_int_equal(escpos_status_condition(&s), ESCPOS_CONDITION_PAPER_END);
    assert_string_equal(escpos_condition_resident_msgid(ESCPOS_CONDITION_PAPER_END),
                        "The receipt printer is out of paper. Please ask staff for help, or come back tomorrow.");
    s.cover_open = true; /* an open cover also reads as paper end on many printers */
    assert_int_equal(escpos_status_condition(&s), ESCPOS_CONDITION_COVER_OPEN);
    s.cutter_error = true;
    assert_int_equal(escpos_status_condition(&s), ESCPOS_CONDITION_CUTTER_ERROR);
    s.unrecoverable_error = true;
    assert_int_equal(escpos_status_condition(&s), ESCPOS_CONDITION_UNRECOVERABLE_ERROR);
    struct escpos_status stopped = {.stopped_paper_end = true};
    assert_int_equal(escpos_status_condition(&stopped), ESCPOS_CONDITION_PAPER_END);
    for (int c = ESCPOS_CONDITION_READY; c <= ESCPOS_CONDITION_NOT_ANSWERING; c++) {
        const char *tech = escpos_condition_technician_text((enum escpos_condition)c);
        assert_non_null(tech);
        assert_non_null(strstr(tech, "receipt printer"));
        bool blocks = escpos_condition_blocks_printing((enum escpos_condition)c);
        const char *msgid = escpos_condition_resident_msgid((enum escpos_condition)c);
        assert_int_equal(msgid != NULL, blocks);
        if (msgid)
            assert_non_null(strstr(msgid, "Please")); /* says what to do, not only what happened */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pattern_over_all_bytes),
        cmocka_unit_test(test_dle_eot_bits),
        cmocka_unit_test(test_paper_sensor),
        cmocka_unit_test(test_conditions_and_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
