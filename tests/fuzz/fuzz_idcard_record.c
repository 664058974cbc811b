/* idcard_record_decode on arbitrary read replies: the card's bytes are outside input.
 * A decode either fails with a "card error" / "protocol error" line or gives a record
 * whose fields are terminated strings within their arrays and keep the layout's rules. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "drivers/idcard/idcard_record.h"

static struct idcard_record record;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    bool with_fingerprint = data[0] & 1;
    char err[256] = "";
    int r = idcard_record_decode(data + 1, size - 1, with_fingerprint, &record, err, sizeof err);
    if (r < 0) {
        FUZZ_CHECK(!strncmp(err, "card error: ", 12) || !strncmp(err, "protocol error: ", 16));
        return 0;
    }
    FUZZ_CHECK(memchr(record.name, 0, sizeof record.name) && memchr(record.name_en, 0, sizeof record.name_en));
    FUZZ_CHECK(memchr(record.address, 0, sizeof record.address));
    FUZZ_CHECK(memchr(record.authority, 0, sizeof record.authority));
    FUZZ_CHECK(record.photo_len <= IDCARD_PHOTO_MAX && record.fingerprint_len <= IDCARD_FINGERPRINT_MAX);
    FUZZ_CHECK(record.name[0] || record.name_en[0]);
    FUZZ_CHECK(!strcmp(record.valid_to, "长期") || strlen(record.valid_to) == 8);
    if (record.card_kind != IDCARD_KIND_FOREIGN_2017)
        FUZZ_CHECK(idcard_id_number_valid(record.id_number));
    char masked[256];
    idcard_mask_name(record.name, masked, sizeof masked);
    FUZZ_CHECK(strlen(masked) <= strlen(record.name));
    idcard_mask_id(record.id_number, masked, sizeof masked);
    FUZZ_CHECK(strlen(masked) == strlen(record.id_number));
    char *json;
    size_t json_size;
    FILE *out = open_memstream(&json, &json_size);
    FUZZ_CHECK(out);
    idcard_record_write_json(&record, out);
    fclose(out);
    FUZZ_CHECK(json_size >= 3 && json[0] == '{' && json[json_size - 2] == '}');
    FUZZ_CHECK(!strchr(json, '\n') || strchr(json, '\n') == json + json_size - 1);
    free(json);
    idcard_record_wipe(&record);
    return 0;
}
