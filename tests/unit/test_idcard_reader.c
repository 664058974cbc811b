/* idcard_reader over the serial transport, against a small scripted reader on the far side
 * of a pty (the full reader model with every fault mode is board/sim/idcard_model, used by
 * tests/protocol): command bytes on the wire, the find/select/read sequence, lift-off,
 * retries on checksum errors, SW3 errors named, junk and split replies, late replies. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/idcard/idcard_reader.h"
#include "drivers/transport/transport_serial.h"

/* The scripted reader: state set by the test, read by its thread. */
static struct fake {
    int master;
    pthread_t thread;
    atomic_bool stop;
    atomic_bool card_on;
    atomic_bool card_hidden_after_read; /* find answers 80 while the card stays on */
    atomic_int corrupt_replies; /* this many next replies get a bad checksum */
    atomic_int select_sw3;
    atomic_bool bad_check_digit;
    atomic_bool has_newest_address;
    atomic_bool junk_and_split;
    atomic_bool stale_find_before_select;
    atomic_int last_cmd, last_para;
    atomic_int commands;
} fake;

static void put_field(uint8_t *block, size_t offset, size_t len, const char *ascii_or_utf16)
{
    /* ASCII only here, plus the name given as UCS-2 code points below. */
    size_t at = offset;
    for (const char *p = ascii_or_utf16; *p; p++) {
        block[at++] = (uint8_t)*p;
        block[at++] = 0;
    }
    for (; at < offset + len; at += 2) {
        block[at] = ' ';
        block[at + 1] = 0;
    }
}

static size_t fake_read_data(uint8_t *data)
{
    data[0] = 0x01; /* text 256 */
    data[1] = 0x00;
    data[2] = 0x04; /* photo 1024 */
    data[3] = 0x00;
    uint8_t *t = data + 4;
    put_field(t, 0, 256, "");
    t[0] = 0x20; /* 张 U+5F20 */
    t[1] = 0x5F;
    t[2] = 0x09; /* 三 U+4E09 */
    t[3] = 0x4E;
    put_field(t, 30, 2, "1");
    put_field(t, 32, 4, "01");
    put_field(t, 36, 16, "19491231");
    put_field(t, 52, 70, "ADDRESS 1");
    put_field(t, 122, 36, fake.bad_check_digit ? "110105194912310021" : "11010519491231002X");
    put_field(t, 158, 30, "AUTHORITY");
    put_field(t, 188, 16, "20100101");
    put_field(t, 204, 16, "20300101");
    for (int i = 0; i < 1024; i++)
        data[260 + i] = (uint8_t)i;
    return 1284;
}

static void fake_send(uint8_t sw3, const uint8_t *data, size_t len)
{
    static uint8_t frame[IDCARD_FRAME_MAX];
    int n = idcard_frame_encode_reply(0, 0, sw3, data, len, frame, sizeof frame);
    assert_true(n > 0);
    if (fake.corrupt_replies > 0) {
        fake.corrupt_replies--;
        frame[n - 1] ^= 0x5A;
    }
    if (fake.junk_and_split) {
        const uint8_t junk[] = { 0x00, 0xAA, 0xAA, 0x13, 0xAA, 0xAA, 0xAA, 0x96 };
        assert_int_equal(write(fake.master, junk, sizeof junk), sizeof junk);
        assert_int_equal(write(fake.master, frame, 6), 6);
        usleep(20000);
        assert_int_equal(write(fake.master, frame + 6, (size_t)n - 6), n - 6);
    } else {
        assert_int_equal(write(fake.master, frame, (size_t)n), n);
    }
}

static void fake_answer(uint8_t cmd, uint8_t para)
{
    static uint8_t data[IDCARD_REPLY_DATA_MAX];
    fake.last_cmd = cmd;
    fake.last_para = para;
    fake.commands++;
    memset(data, 0, 16);
    switch (cmd << 8 | para) {
    case 0x11FF:
    case 0x10FF:
        fake_send(0x90, NULL, 0);
        break;
    case 0x12FF: {
        const uint8_t id[16] = { 5, 0, 2, 0, 27, 61, 52, 1, 1, 0, 0, 0, 0x15, 0xCD, 0x5B, 0x07 };
        fake_send(0x90, id, sizeof id);
        break;
    }
    case 0x2001:
        if (fake.card_on && !fake.card_hidden_after_read)
            fake_send(0x9F, data, 4);
        else
            fake_send(0x80, NULL, 0);
        break;
    case 0x2002:
        if (fake.stale_find_before_select)
            fake_send(0x9F, data, 4);
        fake_send((uint8_t)fake.select_sw3, data, 8);
        break;
    case 0x3001:
        fake_send(0x90, data, fake_read_data(data));
        break;
    case 0x3003:
        if (!fake.card_on) {
            fake_send(0x41, NULL, 0); /* the card left the field */
        } else if (fake.has_newest_address) {
            put_field(data, 0, 70, "NEW ADDRESS 7");
            fake_send(0x90, data, 70);
        } else {
            fake_send(0x91, NULL, 0);
        }
        break;
    default:
        if (cmd == 0x60)
            fake_send(0x90, NULL, 0);
        else
            fake_send(0x21, NULL, 0);
    }
}

static void *fake_main(void *arg)
{
    (void)arg;
    uint8_t buf[512];
    size_t have = 0;
    while (!fake.stop) {
        struct pollfd p = { .fd = fake.master, .events = POLLIN };
        if (poll(&p, 1, 20) <= 0 || !(p.revents & POLLIN))
            continue;
        ssize_t n = read(fake.master, buf + have, sizeof buf - have);
        if (n <= 0)
            continue;
        have += (size_t)n;
        /* Host frames: preamble, Len, CMD PARA [data] CHK. */
        while (have >= 7) {
            size_t len = (size_t)buf[5] << 8 | buf[6];
            if (have < 7 + len)
                break;
            fake_answer(buf[7], buf[8]);
            memmove(buf, buf + 7 + len, have - 7 - len);
            have -= 7 + len;
        }
    }
    return NULL;
}

static struct transport *transport;
static struct idcard_reader reader;
static struct idcard_record record;

static int setup(void **state)
{
    (void)state;
    memset(&fake, 0, sizeof fake);
    fake.select_sw3 = 0x90;
    fake.master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(fake.master >= 0);
    assert_int_equal(grantpt(fake.master), 0);
    assert_int_equal(unlockpt(fake.master), 0);
    assert_int_equal(transport_serial_open(ptsname(fake.master), 115200, &transport), 0);
    assert_int_equal(pthread_create(&fake.thread, NULL, fake_main, NULL), 0);
    idcard_reader_init(&reader, transport, 115200);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fake.stop = true;
    pthread_join(fake.thread, NULL);
    transport_close(transport);
    close(fake.master);
    idcard_record_wipe(&record);
    return 0;
}

static void test_sam_status_and_id(void **state)
{
    (void)state;
    assert_int_equal(idcard_reader_sam_status(&reader), 0);
    assert_int_equal(fake.last_cmd, 0x11);
    char id[64];
    assert_int_equal(idcard_reader_sam_id(&reader, id, sizeof id), 0);
    assert_string_equal(id, "05.02-20200731-0000000001-0123456789");
    assert_int_equal(idcard_reader_reset(&reader), 0);
    assert_int_equal(fake.last_cmd, 0x10);
}

static void test_a_card_is_read_once_until_lifted_off(void **state)
{
    (void)state;
    assert_int_equal(idcard_reader_poll(&reader, false, &record), IDCARD_POLL_NO_CARD);
    fake.card_on = true;
    assert_int_equal(idcard_reader_poll(&reader, false, &record), IDCARD_POLL_READ);
    assert_string_equal(record.name, "张三");
    assert_string_equal(record.id_number, "11010519491231002X");
    assert_int_equal(record.photo_len, 1024);
    assert_string_equal(record.newest_address, ""); /* SW3 91: the card has none */
    int before = fake.commands;
    assert_int_equal(idcard_reader_poll(&reader, false, &record), IDCARD_POLL_SAME_CARD);
    assert_int_equal(fake.commands, before + 1); /* only find: no second read */
    /* Readers that no longer find a card once it has been read [C12]: still there as long
     * as the newest-address probe is answered. */
    fake.card_hidden_after_read = true;
    assert_int_equal(idcard_reader_poll(&reader, false, &record), IDCARD_POLL_SAME_CARD);
    assert_int_equal(fake.last_cmd, 0x30);
    assert_int_equal(fake.last_para, 0x03);
    fake.card_on = false;
    fake.card_hidden_after_read = false;
    assert_int_equal(idcard_reader_poll(&reader, false, &record), IDCARD_POLL_REMOVED);
    assert_int_equal(idcard_reader_poll(&reader, false, &record), IDCARD_POLL_NO_CARD);
    fake.card_on = true;
    fake.has_newest_address = true;
    assert_int_equal(idcard_reader_poll(&reader, false, &record), IDCARD_POLL_READ);
    assert_string_equal(record.newest_address, "NEW ADDRESS 7");
}

static void test_checksum_errors_are_retried_a_bounded_number_of_times(void **state)
{
    (void)state;
    fake.card_on = true;
    fake.corrupt_replies = IDCARD_READER_RETRIES;
    assert_int_equal(idcard_reader_find(&reader), 0);
    fake.corrupt_replies = IDCARD_READER_RETRIES + 1;
    int before = fake.commands;
    assert_int_equal(idcard_reader_find(&reader), -EBADMSG);
    assert_int_equal(fake.commands, before + IDCARD_READER_RETRIES + 1);
    assert_string_equal(idcard_reader_strerror(&reader, -EBADMSG), "command 20 01: reply checksum error (3 attempts)");
}

static void test_sw3_errors_are_named(void **state)
{
    (void)state;
    fake.card_on = true;
    fake.select_sw3 = 0x81;
    assert_int_equal(idcard_reader_poll(&reader, false, &record), -EPROTO);
    assert_int_equal(reader.sw3, 0x81);
    assert_non_null(strstr(idcard_reader_strerror(&reader, -EPROTO), "command 20 02: SW3 81 (select_failed)"));
    /* not read: the next poll tries again */
    fake.select_sw3 = 0x90;
    assert_int_equal(idcard_reader_poll(&reader, false, &record), IDCARD_POLL_READ);
}

static void test_a_bad_id_number_is_a_card_error(void **state)
{
    (void)state;
    fake.card_on = true;
    fake.bad_check_digit = true;
    assert_int_equal(idcard_reader_poll(&reader, false, &record), -EILSEQ);
    assert_string_equal(idcard_reader_strerror(&reader, -EILSEQ),
                        "card error: the ID number fails the GB 11643 check digit");
}

static void test_junk_split_replies_and_late_replies(void **state)
{
    (void)state;
    fake.card_on = true;
    fake.junk_and_split = true;
    fake.stale_find_before_select = true; /* a 9F arriving before select's own reply */
    assert_int_equal(idcard_reader_poll(&reader, false, &record), IDCARD_POLL_READ);
    assert_string_equal(record.name, "张三");
    assert_true(reader.decoder.junk_bytes > 0);
}

static void test_set_baud_sends_the_rate_code(void **state)
{
    (void)state;
    assert_int_equal(idcard_reader_set_baud(&reader, 9600), 0);
    assert_int_equal(fake.last_cmd, 0x60);
    assert_int_equal(fake.last_para, 0x04);
    assert_int_equal(idcard_reader_set_baud(&reader, 57600), 0);
    assert_int_equal(fake.last_para, 0x01);
    assert_int_equal(idcard_reader_set_baud(&reader, 4800), -EINVAL);
    assert_int_equal(transport_serial_set_baud(transport, 57600), 0);
}

static void test_serial_open_errors(void **state)
{
    (void)state;
    struct transport *t;
    assert_int_equal(transport_serial_open("/nonexistent/ttyUSB9", 115200, &t), -ENOENT);
    assert_int_equal(transport_serial_open("/dev/null", 115200, &t), -ENOTTY);
    assert_int_equal(transport_serial_open(ptsname(fake.master), 4800, &t), -EINVAL);
    assert_null(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sam_status_and_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_card_is_read_once_until_lifted_off, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checksum_errors_are_retried_a_bounded_number_of_times, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sw3_errors_are_named, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_bad_id_number_is_a_card_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_junk_split_replies_and_late_replies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_baud_sends_the_rate_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_serial_open_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
