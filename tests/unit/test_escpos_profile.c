/* Receipt printer profiles and IEEE 1284 device IDs: lookup by name, parsing (junk, missing
 * fields, long values, the GET_DEVICE_ID length prefix in either byte order), matching. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "drivers/escpos/escpos.h"
#include "drivers/escpos/escpos_profile.h"

static int parse(const char *text, struct escpos_device_id *id)
{
    return escpos_device_id_parse((const uint8_t *)text, strlen(text), id);
}

static void test_profiles_by_name(void **state)
{
    (void)state;
    const struct escpos_profile *p = escpos_profile_find("generic-80mm");
    assert_non_null(p);
    assert_int_equal(p->width_dots, 576);
    assert_int_equal(p->dpi, 203);
    assert_int_equal(escpos_profile_cut(p), ESCPOS_CUT_FEED_PARTIAL);
    p = escpos_profile_find("GENERIC-58MM");
    assert_non_null(p);
    assert_int_equal(p->width_dots, 384);
    assert_null(escpos_profile_find("nonesuch"));
    struct escpos_profile full_only = {.cut_kinds = ESCPOS_CUT_FULL};
    assert_int_equal(escpos_profile_cut(&full_only), ESCPOS_CUT_FULL);
    struct escpos_profile no_cutter = {.cut_kinds = 0};
    assert_int_equal(escpos_profile_cut(&no_cutter), 0);
    size_t n = 0;
    for (const struct escpos_profile *q; (q = escpos_profile_at(n)); n++) {
        assert_ptr_equal(escpos_profile_find(q->name), q); /* names unique */
        assert_true(q->width_dots % 8 == 0 && q->width_dots <= 4096);
        assert_true(q->dpi > 0);
    }
    assert_true(n >= 2);
}

static void test_parse_usual(void **state)
{
    (void)state;
    struct escpos_device_id id;
    assert_int_equal(parse("MFG:EPSON;CMD:ESC/POS;MDL:TM-T70II;CLS:PRINTER;DES:TM-T70II;", &id), 0);
    assert_string_equal(id.mfg, "EPSON");
    assert_string_equal(id.mdl, "TM-T70II");
    assert_string_equal(id.cmd, "ESC/POS");
    assert_string_equal(id.cls, "PRINTER");
    assert_string_equal(escpos_profile_match(&id)->name, "epson-tm-t70ii");
    assert_int_equal(parse("MANUFACTURER:Hewlett-Packard; MODEL : DeskJet 970C ;COMMAND SET:MLC,PCL,PML;CLASS:PRINTER",
                           &id),
                     0);
    assert_string_equal(id.mfg, "Hewlett-Packard");
    assert_string_equal(id.mdl, "DeskJet 970C");
    assert_string_equal(id.cmd, "MLC,PCL,PML");
    assert_null(escpos_profile_match(&id));
    assert_int_equal(parse("mfg:epson;mdl:tm-t88v", &id), 0);
    assert_string_equal(escpos_profile_match(&id)->name, "epson-tm-t88v");
    assert_int_equal(escpos_profile_match(&id)->width_dots, 512);
    /* An unknown clone that says it speaks ESC/POS. */
    assert_int_equal(parse("MFG:Xprinter;MDL:XP-80C;CMD:ESCPOS;", &id), 0);
    assert_string_equal(escpos_profile_match(&id)->name, "generic-80mm");
}

static void test_parse_junk(void **state)
{
    (void)state;
    struct escpos_device_id id;
    assert_int_equal(parse("", &id), -EBADMSG);
    assert_int_equal(parse(";;;:::;", &id), -EBADMSG);
    assert_int_equal(parse("CMD:ESC/POS;CLS:PRINTER;", &id), -EBADMSG); /* neither MFG nor MDL */
    assert_int_equal(parse("garbage;MDL:X1;more garbage", &id), 0);
    assert_string_equal(id.mdl, "X1");
    assert_string_equal(id.mfg, "");
    assert_int_equal(parse("MFG:A;MFG:B;", &id), 0);
    assert_string_equal(id.mfg, "A");
    assert_int_equal(parse("MFG:\x01\xff" "C;", &id), 0);
    assert_string_equal(id.mfg, "??C");
    const uint8_t with_nul[] = "MFG:A\0;MDL:hidden;";
    assert_int_equal(escpos_device_id_parse(with_nul, sizeof with_nul - 1, &id), 0);
    assert_string_equal(id.mfg, "A");
    assert_string_equal(id.mdl, "");
    char longer[200] = "MDL:";
    memset(longer + 4, 'x', 150);
    assert_int_equal(parse(longer, &id), 0);
    assert_int_equal(strlen(id.mdl), ESCPOS_DEVICE_ID_FIELD_MAX - 1);
    /* A cut that ends on a space is trimmed too (found by fuzz_escpos_device_id). */
    memset(longer + 4, 'x', ESCPOS_DEVICE_ID_FIELD_MAX - 2);
    strcpy(longer + 4 + ESCPOS_DEVICE_ID_FIELD_MAX - 2, " yz;");
    assert_int_equal(parse(longer, &id), 0);
    assert_int_equal(strlen(id.mdl), ESCPOS_DEVICE_ID_FIELD_MAX - 2);
    assert_int_equal(parse("MFG:EPSON;MDL:TM-U220;", &id), 0);
    assert_null(escpos_profile_match(&id)); /* Epson, but not a model with a profile */
}

static void test_parse_reply_prefix(void **state)
{
    (void)state;
    struct escpos_device_id id;
    const char *text = "MFG:EPSON;MDL:TM-T20II;";
    uint8_t reply[64];
    size_t len = strlen(text) + 2;
    memcpy(reply + 2, text, strlen(text));
    reply[0] = 0;
    reply[1] = (uint8_t)len;
    assert_int_equal(escpos_device_id_parse_reply(reply, len, &id), 0);
    assert_string_equal(escpos_profile_match(&id)->name, "epson-tm-t20");
    /* Little-endian, as some printers send it. */
    reply[0] = (uint8_t)len;
    reply[1] = 0;
    assert_int_equal(escpos_device_id_parse_reply(reply, len, &id), 0);
    assert_string_equal(id.mdl, "TM-T20II");
    /* The length cuts the string: bytes after it are not part of the ID. */
    reply[0] = 0;
    reply[1] = 12; /* "MFG:EPSON;" */
    assert_int_equal(escpos_device_id_parse_reply(reply, len, &id), 0);
    assert_string_equal(id.mdl, "");
    reply[0] = 0x7F;
    reply[1] = 0x7E;
    assert_int_equal(escpos_device_id_parse_reply(reply, len, &id), -EBADMSG);
    reply[0] = 0;
    reply[1] = 1;
    assert_int_equal(escpos_device_id_parse_reply(reply, len, &id), -EBADMSG);
    assert_int_equal(escpos_device_id_parse_reply(reply, 1, &id), -EBADMSG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profiles_by_name),
        cmocka_unit_test(test_parse_usual),
        cmocka_unit_test(test_parse_junk),
        cmocka_unit_test(test_parse_reply_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
