/* IEEE 1284 device IDs on arbitrary bytes: what a printer (or something pretending to be
 * one) answers to GET_DEVICE_ID, with and without its length prefix. Fields must come out
 * NUL-terminated, printable and within their size; matching must never crash. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "drivers/escpos/escpos_profile.h"
#include "fuzz_check.h"

static void check_field(const char *field)
{
    size_t len = strnlen(field, ESCPOS_DEVICE_ID_FIELD_MAX);
    FUZZ_CHECK(len < ESCPOS_DEVICE_ID_FIELD_MAX);
    for (size_t i = 0; i < len; i++)
        FUZZ_CHECK(field[i] >= 0x20 && field[i] < 0x7F);
    FUZZ_CHECK(len == 0 || (field[0] != ' ' && field[len - 1] != ' '));
}

static void check_id(int r, const struct escpos_device_id *id)
{
    FUZZ_CHECK(r == 0 || r == -EBADMSG);
    check_field(id->mfg);
    check_field(id->mdl);
    check_field(id->cmd);
    check_field(id->cls);
    if (r == 0)
        FUZZ_CHECK(id->mfg[0] || id->mdl[0]);
    const struct escpos_profile *p = escpos_profile_match(id);
    if (p)
        FUZZ_CHECK(escpos_profile_find(p->name) == p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct escpos_device_id id;
    check_id(escpos_device_id_parse(data, size, &id), &id);
    check_id(escpos_device_id_parse_reply(data, size, &id), &id);
    return 0;
}
