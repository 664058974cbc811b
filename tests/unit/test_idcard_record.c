/* idcard_record: the text blocks of the four card kinds, built here byte by byte from the
 * reference's layout table (idcard-ga467.md section 4), the code tables, the GB 11643 check
 * digit, 长期, trimming, expiry, masking, wiping and the JSON kioskctl prints. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/idcard/idcard_record.h"
#include "firmware/core/json_out.h"

/* UTF-8 (BMP only) into UCS-2LE at offset, padded with spaces to len bytes. */
static void put_field(uint8_t *block, size_t offset, size_t len, const char *utf8)
{
    size_t at = offset;
    const unsigned char *p = (const unsigned char *)utf8;
    while (*p) {
        unsigned c;
        if (*p < 0x80)
            c = *p++;
        else if (*p < 0xE0) {
            c = (unsigned)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
            p += 2;
        } else {
            c = (unsigned)(p[0] & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
            p += 3;
        }
        assert_true(at + 2 <= offset + len);
        block[at++] = (uint8_t)c;
        block[at++] = (uint8_t)(c >> 8);
    }
    for (; at < offset + len; at += 2) {
        block[at] = ' ';
        block[at + 1] = 0;
    }
}

static void blank_block(uint8_t *block)
{
    put_field(block, 0, 256, "");
}

static void resident_block(uint8_t *b)
{
    blank_block(b);
    put_field(b, 0, 30, "张小三");
    put_field(b, 30, 2, "1");
    put_field(b, 32, 4, "01");
    put_field(b, 36, 16, "19491231");
    put_field(b, 52, 70, "北京市朝阳区 建国路 1号");
    put_field(b, 122, 36, "11010519491231002X");
    put_field(b, 158, 30, "北京市公安局朝阳分局");
    put_field(b, 188, 16, "20100101");
    put_field(b, 204, 16, "长期");
    /* 248: the card-type character is blank on a resident card */
}

static struct idcard_record record;
static char err[256];

static void test_resident_card(void **state)
{
    (void)state;
    uint8_t b[256];
    resident_block(b);
    assert_int_equal(idcard_record_decode_text(b, sizeof b, &record, err, sizeof err), 0);
    assert_int_equal(record.card_kind, IDCARD_KIND_RESIDENT);
    assert_string_equal(idcard_card_kind_name(record.card_kind), "resident");
    assert_string_equal(record.name, "张小三");
    assert_string_equal(record.sex, "男");
    assert_string_equal(record.nation, "汉");
    assert_string_equal(record.nation_code, "01");
    assert_string_equal(record.birth, "19491231");
    assert_string_equal(record.address, "北京市朝阳区 建国路 1号"); /* inner spaces kept */
    assert_string_equal(record.id_number, "11010519491231002X");
    assert_string_equal(record.authority, "北京市公安局朝阳分局");
    assert_string_equal(record.valid_from, "20100101");
    assert_string_equal(record.valid_to, "长期");
    assert_string_equal(record.name_en, "");
    assert_string_equal(record.nationality, "");
    assert_false(idcard_record_is_expired(&record, "29991231")); /* 长期 never expires */
}

static void test_nation_table_and_unknown_codes_kept_raw(void **state)
{
    (void)state;
    uint8_t b[256];
    resident_block(b);
    put_field(b, 32, 4, "57");
    put_field(b, 30, 2, "2");
    assert_int_equal(idcard_record_decode_text(b, sizeof b, &record, err, sizeof err), 0);
    assert_string_equal(record.nation, "57");
    assert_string_equal(record.sex, "女");
    assert_string_equal(idcard_nation_name("05"), "维吾尔");
    assert_string_equal(idcard_nation_name("56"), "基诺");
    assert_string_equal(idcard_nation_name("98"), "外国血统中国籍人士");
    assert_null(idcard_nation_name("00"));
    assert_string_equal(idcard_sex_name("0"), "未知");
    assert_string_equal(idcard_sex_name("9"), "未说明");
    assert_null(idcard_sex_name("3"));
}

static void test_permit_j(void **state)
{
    (void)state;
    uint8_t b[256];
    blank_block(b);
    put_field(b, 0, 30, "陈美玲");
    put_field(b, 30, 2, "2");
    put_field(b, 36, 16, "19900212");
    put_field(b, 52, 70, "香港特别行政区九龙旺角道8号");
    put_field(b, 122, 36, "810000199002123023");
    put_field(b, 158, 30, "公安部出入境管理局");
    put_field(b, 188, 16, "20210301");
    put_field(b, 204, 16, "20260301");
    put_field(b, 220, 18, "H12345678");
    put_field(b, 238, 4, "01");
    put_field(b, 248, 2, "J");
    assert_int_equal(idcard_record_decode_text(b, sizeof b, &record, err, sizeof err), 0);
    assert_int_equal(record.card_kind, IDCARD_KIND_PERMIT_J);
    assert_string_equal(idcard_card_kind_name(record.card_kind), "permit-j");
    assert_string_equal(record.name, "陈美玲");
    assert_string_equal(record.nation, ""); /* reserved on a permit */
    assert_string_equal(record.id_number, "810000199002123023");
    assert_string_equal(record.pass_number, "H12345678");
    assert_true(idcard_record_is_expired(&record, "20260302"));
    assert_false(idcard_record_is_expired(&record, "20260301")); /* valid on its last day */
}

static void test_foreign_2017_keeps_inner_spaces_of_the_english_name(void **state)
{
    (void)state;
    uint8_t b[256];
    blank_block(b);
    put_field(b, 0, 120, "MUELLER ANNA MARIA");
    put_field(b, 120, 2, "2");
    put_field(b, 122, 30, "DEU370085021401");
    put_field(b, 152, 6, "DEU");
    put_field(b, 158, 30, "安娜");
    put_field(b, 188, 16, "20170301");
    put_field(b, 204, 16, "20270301");
    put_field(b, 220, 16, "19850214");
    put_field(b, 236, 4, "01");
    put_field(b, 240, 8, "1500");
    put_field(b, 248, 2, "I");
    assert_int_equal(idcard_record_decode_text(b, sizeof b, &record, err, sizeof err), 0);
    assert_int_equal(record.card_kind, IDCARD_KIND_FOREIGN_2017);
    assert_string_equal(idcard_card_kind_name(record.card_kind), "foreign-2017");
    assert_string_equal(record.name_en, "MUELLER ANNA MARIA");
    assert_string_equal(record.name, "安娜");
    assert_string_equal(record.sex, "女");
    assert_string_equal(record.id_number, "DEU370085021401"); /* 15 chars, no check digit */
    assert_string_equal(record.nationality, "DEU");
    assert_string_equal(record.birth, "19850214");
    assert_string_equal(record.authority, "1500");
    assert_string_equal(record.address, "");
}

static void test_foreign_2023_joins_the_two_parts_of_the_english_name(void **state)
{
    (void)state;
    uint8_t b[256];
    blank_block(b);
    put_field(b, 0, 30, "玛丽亚");
    put_field(b, 30, 2, "2");
    put_field(b, 32, 4, "00");
    put_field(b, 36, 16, "19880505");
    /* part 1 is exactly 35 characters and ends in a space: the space must survive the join */
    put_field(b, 52, 70, "RODRIGUEZ GARCIA MARIA DE LOS ANGE ");
    put_field(b, 122, 36, "933700198805051231");
    put_field(b, 188, 16, "20230601");
    put_field(b, 204, 16, "20330601");
    put_field(b, 220, 22, "LES X");
    put_field(b, 242, 6, "ESP");
    put_field(b, 248, 2, "Y");
    assert_int_equal(idcard_record_decode_text(b, sizeof b, &record, err, sizeof err), 0);
    assert_int_equal(record.card_kind, IDCARD_KIND_FOREIGN_2023);
    assert_string_equal(idcard_card_kind_name(record.card_kind), "foreign-2023");
    assert_string_equal(record.name, "玛丽亚");
    assert_string_equal(record.name_en, "RODRIGUEZ GARCIA MARIA DE LOS ANGE LES X");
    assert_string_equal(record.id_number, "933700198805051231");
    assert_string_equal(record.nationality, "ESP");
    assert_string_equal(record.valid_to, "20330601");
}

static void test_check_digit(void **state)
{
    (void)state;
    assert_int_equal(idcard_id_check_char("11010519491231002"), 'X');
    assert_true(idcard_id_number_valid("11010519491231002X"));
    assert_false(idcard_id_number_valid("11010519491231002x"));
    assert_false(idcard_id_number_valid("110105194912310021"));
    assert_true(idcard_id_number_valid("371302198003152035"));
    assert_false(idcard_id_number_valid("371302198003152036"));
    assert_false(idcard_id_number_valid("37130219800315203"));
    assert_false(idcard_id_number_valid("3713021980031520355"));
    assert_int_equal(idcard_id_check_char("1101051949123100A"), 0);
    /* every check character maps: sum mod 11 = 0..10 -> 1 0 X 9 8 7 6 5 4 3 2 */
    assert_int_equal(idcard_id_check_char("00000000000000000"), '1');
    assert_int_equal(idcard_id_check_char("00000001000000000"), '0');  /* weight 1 */
    assert_int_equal(idcard_id_check_char("00000010000000000"), 'X');  /* weight 2 */
}

static void test_a_number_that_fails_the_check_digit_is_a_card_error(void **state)
{
    (void)state;
    uint8_t b[256];
    resident_block(b);
    put_field(b, 122, 36, "110105194912310021");
    assert_int_equal(idcard_record_decode_text(b, sizeof b, &record, err, sizeof err), -EILSEQ);
    assert_string_equal(err, "card error: the ID number fails the GB 11643 check digit");
    assert_null(strstr(err, "1101")); /* the number itself never goes into a message */
}

static void test_other_card_errors(void **state)
{
    (void)state;
    uint8_t b[256];
    resident_block(b);
    put_field(b, 248, 2, "Q");
    assert_int_equal(idcard_record_decode_text(b, sizeof b, &record, err, sizeof err), -EILSEQ);
    assert_non_null(strstr(err, "unknown card kind"));
    resident_block(b);
    put_field(b, 204, 16, "2030-1-1");
    assert_int_equal(idcard_record_decode_text(b, sizeof b, &record, err, sizeof err), -EILSEQ);
    assert_non_null(strstr(err, "valid-to"));
    resident_block(b);
    put_field(b, 36, 16, "19491331");
    assert_int_equal(idcard_record_decode_text(b, sizeof b, &record, err, sizeof err), -EILSEQ);
    assert_non_null(strstr(err, "birth"));
    resident_block(b);
    assert_int_equal(idcard_record_decode_text(b, 255, &record, err, sizeof err), -EILSEQ);
}

/* A 30 01 / 30 10 reply's data: the lengths, then text, photo, fingerprints. */
static size_t read_reply(uint8_t *data, bool with_fingerprint, size_t text_len, size_t photo_len,
                         size_t fingerprint_len)
{
    size_t at = 0;
    data[at++] = (uint8_t)(text_len >> 8);
    data[at++] = (uint8_t)text_len;
    data[at++] = (uint8_t)(photo_len >> 8);
    data[at++] = (uint8_t)photo_len;
    if (with_fingerprint) {
        data[at++] = (uint8_t)(fingerprint_len >> 8);
        data[at++] = (uint8_t)fingerprint_len;
    }
    resident_block(data + at);
    at += text_len;
    for (size_t i = 0; i < photo_len; i++)
        data[at++] = (uint8_t)(i * 13);
    for (size_t i = 0; i < fingerprint_len; i++)
        data[at++] = (uint8_t)(i * 5 + 1);
    return at;
}

static void test_lengths_come_from_the_reply_header(void **state)
{
    (void)state;
    static uint8_t data[4000];
    size_t len = read_reply(data, false, 256, 1024, 0);
    assert_int_equal(len, 1284);
    assert_int_equal(idcard_record_decode(data, len, false, &record, err, sizeof err), 0);
    assert_int_equal(record.photo_len, 1024);
    assert_int_equal(record.photo[1], 13);
    assert_int_equal(record.fingerprint_len, 0);
    assert_string_equal(record.name, "张小三");

    len = read_reply(data, true, 256, 1024, 512);
    assert_int_equal(len, 1798); /* a 1809-byte frame */
    assert_int_equal(idcard_record_decode(data, len, true, &record, err, sizeof err), 0);
    assert_int_equal(record.fingerprint_len, 512);
    assert_int_equal(record.fingerprint[1], 6);

    /* a photo shorter than usual is taken as the header says */
    len = read_reply(data, false, 256, 100, 0);
    assert_int_equal(idcard_record_decode(data, len, false, &record, err, sizeof err), 0);
    assert_int_equal(record.photo_len, 100);

    /* a header promising more than the reply holds */
    len = read_reply(data, false, 256, 1024, 0);
    assert_int_equal(idcard_record_decode(data, len - 1, false, &record, err, sizeof err), -EILSEQ);
    assert_non_null(strstr(err, "shorter"));
    assert_int_equal(idcard_record_decode(data, 3, false, &record, err, sizeof err), -EILSEQ);
}

static void test_trims_only_trailing_spaces(void **state)
{
    (void)state;
    const uint8_t ucs2[] = { 'A', 0, ' ', 0, 'B', 0, ' ', 0, ' ', 0, 0, 0 };
    char out[32];
    assert_int_equal(idcard_ucs2le_to_utf8(ucs2, sizeof ucs2, out, sizeof out), 3);
    assert_string_equal(out, "A B");
    const uint8_t odd[] = { 0x01, 0x00, 0x00, 0xD8, 'x', 0 }; /* control char, lone surrogate */
    idcard_ucs2le_to_utf8(odd, sizeof odd, out, sizeof out);
    assert_string_equal(out, "\xEF\xBF\xBD\xEF\xBF\xBDx");
    /* truncation keeps whole characters */
    const uint8_t han[] = { 0x20, 0x5F, 0x20, 0x5F };
    char small[5];
    assert_int_equal(idcard_ucs2le_to_utf8(han, sizeof han, small, sizeof small), 3);
}

static void test_masks_for_logs(void **state)
{
    (void)state;
    char out[64];
    idcard_mask_name("张三", out, sizeof out);
    assert_string_equal(out, "张*");
    idcard_mask_name("张小三", out, sizeof out);
    assert_string_equal(out, "张*三");
    idcard_mask_name("欧阳小明", out, sizeof out);
    assert_string_equal(out, "欧**明");
    idcard_mask_name("张", out, sizeof out);
    assert_string_equal(out, "*");
    idcard_mask_name("", out, sizeof out);
    assert_string_equal(out, "");
    idcard_mask_id("37130219800315123X", out, sizeof out);
    assert_string_equal(out, "3713**********123X");
    idcard_mask_id("DEU370085021401", out, sizeof out);
    assert_string_equal(out, "DEU3*******1401");
    idcard_mask_id("1234", out, sizeof out);
    assert_string_equal(out, "****");
    char tiny[4];
    idcard_mask_id("37130219800315123X", tiny, sizeof tiny);
    assert_string_equal(tiny, "371");
}

static void test_wipe_leaves_nothing(void **state)
{
    (void)state;
    static uint8_t data[2000];
    size_t len = read_reply(data, false, 256, 1024, 0);
    assert_int_equal(idcard_record_decode(data, len, false, &record, err, sizeof err), 0);
    idcard_record_wipe(&record);
    const uint8_t *bytes = (const uint8_t *)&record;
    for (size_t i = 0; i < sizeof record; i++)
        assert_int_equal(bytes[i], 0);
    idcard_record_wipe(NULL);
}

static void test_json_has_the_issue_keys_and_escapes(void **state)
{
    (void)state;
    uint8_t b[256];
    resident_block(b);
    put_field(b, 52, 70, "A\"B\\C");
    assert_int_equal(idcard_record_decode_text(b, sizeof b, &record, err, sizeof err), 0);
    strcpy(record.newest_address, "新地址");
    char *text;
    size_t size;
    FILE *out = open_memstream(&text, &size);
    idcard_record_write_json(&record, out);
    fclose(out);
    assert_string_equal(text, "{\"card_kind\":\"resident\",\"name\":\"张小三\",\"sex\":\"男\",\"nation\":\"汉\","
                              "\"birth\":\"19491231\",\"address\":\"A\\\"B\\\\C\",\"id_number\":\"11010519491231002X\","
                              "\"authority\":\"北京市公安局朝阳分局\",\"valid_from\":\"20100101\",\"valid_to\":\"长期\","
                              "\"newest_address\":\"新地址\"}\n");
    free(text);
    out = open_memstream(&text, &size);
    json_out_string(out, "a\nb\x01\t");
    fclose(out);
    assert_string_equal(text, "\"a\\nb\\u0001\\t\"");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resident_card),
        cmocka_unit_test(test_nation_table_and_unknown_codes_kept_raw),
        cmocka_unit_test(test_permit_j),
        cmocka_unit_test(test_foreign_2017_keeps_inner_spaces_of_the_english_name),
        cmocka_unit_test(test_foreign_2023_joins_the_two_parts_of_the_english_name),
        cmocka_unit_test(test_check_digit),
        cmocka_unit_test(test_a_number_that_fails_the_check_digit_is_a_card_error),
        cmocka_unit_test(test_other_card_errors),
        cmocka_unit_test(test_lengths_come_from_the_reply_header),
        cmocka_unit_test(test_trims_only_trailing_spaces),
        cmocka_unit_test(test_masks_for_logs),
        cmocka_unit_test(test_wipe_leaves_nothing),
        cmocka_unit_test(test_json_has_the_issue_keys_and_escapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
