#include "drivers/idcard/idcard_record.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "firmware/core/json_out.h"

const char *idcard_card_kind_name(enum idcard_card_kind kind)
{
    switch (kind) {
    case IDCARD_KIND_RESIDENT: return "resident";
    case IDCARD_KIND_PERMIT_J: return "permit-j";
    case IDCARD_KIND_FOREIGN_2017: return "foreign-2017";
    case IDCARD_KIND_FOREIGN_2023: return "foreign-2023";
    }
    return "?";
}

static size_t idcard_utf8_put(uint32_t c, char *out, size_t out_size, size_t at)
{
    char tmp[3];
    size_t n;
    if (c < 0x80) {
        tmp[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        tmp[0] = (char)(0xC0 | c >> 6);
        tmp[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else {
        tmp[0] = (char)(0xE0 | c >> 12);
        tmp[1] = (char)(0x80 | (c >> 6 & 0x3F));
        tmp[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    }
    if (at + n >= out_size)
        return 0; /* whole characters only, and room for the NUL */
    memcpy(out + at, tmp, n);
    return n;
}

size_t idcard_ucs2le_to_utf8(const uint8_t *ucs2, size_t len, char *out, size_t out_size)
{
    if (!out_size)
        return 0;
    size_t chars = len / 2;
    /* Trailing padding only: English names keep their inner spaces (libzhouyb's cut at the
     * first space breaks "ZHANG SAN"). */
    while (chars > 0) {
        uint16_t c = (uint16_t)(ucs2[2 * chars - 2] | ucs2[2 * chars - 1] << 8);
        if (c != 0x0020 && c != 0x0000)
            break;
        chars--;
    }
    size_t at = 0;
    for (size_t i = 0; i < chars; i++) {
        uint32_t c = (uint32_t)(ucs2[2 * i] | ucs2[2 * i + 1] << 8);
        /* Control characters and lone surrogates would break logs, JSON and the text
         * renderer; a visible replacement says the card held something odd. */
        if (c < 0x20 || (c >= 0xD800 && c <= 0xDFFF))
            c = 0xFFFD;
        size_t n = idcard_utf8_put(c, out, out_size, at);
        if (!n)
            break;
        at += n;
    }
    out[at] = '\0';
    return at;
}

static const char *const idcard_nations[][2] = {
    { "01", "汉" }, { "02", "蒙古" }, { "03", "回" }, { "04", "藏" }, { "05", "维吾尔" }, { "06", "苗" },
    { "07", "彝" }, { "08", "壮" }, { "09", "布依" }, { "10", "朝鲜" }, { "11", "满" }, { "12", "侗" },
    { "13", "瑶" }, { "14", "白" }, { "15", "土家" }, { "16", "哈尼" }, { "17", "哈萨克" }, { "18", "傣" },
    { "19", "黎" }, { "20", "傈僳" }, { "21", "佤" }, { "22", "畲" }, { "23", "高山" }, { "24", "拉祜" },
    { "25", "水" }, { "26", "东乡" }, { "27", "纳西" }, { "28", "景颇" }, { "29", "柯尔克孜" }, { "30", "土" },
    { "31", "达斡尔" }, { "32", "仫佬" }, { "33", "羌" }, { "34", "布朗" }, { "35", "撒拉" }, { "36", "毛南" },
    { "37", "仡佬" }, { "38", "锡伯" }, { "39", "阿昌" }, { "40", "普米" }, { "41", "塔吉克" }, { "42", "怒" },
    { "43", "乌孜别克" }, { "44", "俄罗斯" }, { "45", "鄂温克" }, { "46", "德昂" }, { "47", "保安" },
    { "48", "裕固" }, { "49", "京" }, { "50", "塔塔尔" }, { "51", "独龙" }, { "52", "鄂伦春" }, { "53", "赫哲" },
    { "54", "门巴" }, { "55", "珞巴" }, { "56", "基诺" }, { "97", "其他" }, { "98", "外国血统中国籍人士" },
};

const char *idcard_nation_name(const char *code)
{
    for (size_t i = 0; i < sizeof idcard_nations / sizeof idcard_nations[0]; i++)
        if (!strcmp(idcard_nations[i][0], code))
            return idcard_nations[i][1];
    return NULL;
}

const char *idcard_sex_name(const char *code)
{
    static const char *const names[][2] = { { "0", "未知" }, { "1", "男" }, { "2", "女" }, { "9", "未说明" } };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(names[i][0], code))
            return names[i][1];
    return NULL;
}

char idcard_id_check_char(const char *first17)
{
    static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
    static const char check[11] = { '1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2' };
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (first17[i] < '0' || first17[i] > '9')
            return 0;
        sum += (first17[i] - '0') * weights[i];
    }
    return check[sum % 11];
}

bool idcard_id_number_valid(const char *id)
{
    if (strlen(id) != 18)
        return false;
    char want = idcard_id_check_char(id);
    return want && id[17] == want;
}

static bool idcard_date_valid(const char *s)
{
    if (strlen(s) != 8 || strspn(s, "0123456789") != 8)
        return false;
    int month = (s[4] - '0') * 10 + (s[5] - '0');
    int day = (s[6] - '0') * 10 + (s[7] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* One field of the text block: byte offset and length from the reference's layout table. */
static void idcard_field(const uint8_t *text, size_t offset, size_t len, char *out, size_t out_size)
{
    idcard_ucs2le_to_utf8(text + offset, len, out, out_size);
}

static int idcard_fail(char *err, size_t errlen, const char *reason)
{
    snprintf(err, errlen, "%s", reason);
    return -EILSEQ;
}

static void idcard_record_set_sex(struct idcard_record *record)
{
    const char *name = idcard_sex_name(record->sex_code);
    snprintf(record->sex, sizeof record->sex, "%s", name ? name : record->sex_code);
}

/* Checks shared by every kind. Error texts name the field, never its value. */
static int idcard_record_check(struct idcard_record *record, bool id_has_check_digit, char *err, size_t errlen)
{
    if (!record->name[0] && !record->name_en[0])
        return idcard_fail(err, errlen, "card error: the name field is empty");
    if (record->birth[0] && !idcard_date_valid(record->birth))
        return idcard_fail(err, errlen, "card error: the birth date is not YYYYMMDD");
    if (!idcard_date_valid(record->valid_from))
        return idcard_fail(err, errlen, "card error: the valid-from date is not YYYYMMDD");
    if (strcmp(record->valid_to, "长期") && !idcard_date_valid(record->valid_to))
        return idcard_fail(err, errlen, "card error: the valid-to date is neither YYYYMMDD nor 长期");
    if (id_has_check_digit) {
        if (strlen(record->id_number) != 18)
            return idcard_fail(err, errlen, "card error: the ID number is not 18 characters");
        if (!idcard_id_number_valid(record->id_number))
            return idcard_fail(err, errlen, "card error: the ID number fails the GB 11643 check digit");
    } else if (!record->id_number[0]) {
        return idcard_fail(err, errlen, "card error: the permit number is empty");
    }
    return 0;
}

int idcard_record_decode_text(const uint8_t *text, size_t text_len, struct idcard_record *record, char *err,
                              size_t errlen)
{
    if (text_len < IDCARD_TEXT_LEN)
        return idcard_fail(err, errlen, "card error: the text block is shorter than 256 bytes");
    /* Keep photo and fingerprint (decoded before or after); clear every text field. */
    size_t text_part = offsetof(struct idcard_record, photo);
    memset(record, 0, text_part);
    uint16_t kind_char = (uint16_t)(text[248] | text[249] << 8);
    switch (kind_char) {
    case ' ':
    case 0: /* blank on a resident card; a NUL seen as blank too */
    case 'J':
        record->card_kind = kind_char == 'J' ? IDCARD_KIND_PERMIT_J : IDCARD_KIND_RESIDENT;
        idcard_field(text, 0, 30, record->name, sizeof record->name);
        idcard_field(text, 30, 2, record->sex_code, sizeof record->sex_code);
        idcard_field(text, 36, 16, record->birth, sizeof record->birth);
        idcard_field(text, 52, 70, record->address, sizeof record->address);
        idcard_field(text, 122, 36, record->id_number, sizeof record->id_number);
        idcard_field(text, 158, 30, record->authority, sizeof record->authority);
        idcard_field(text, 188, 16, record->valid_from, sizeof record->valid_from);
        idcard_field(text, 204, 16, record->valid_to, sizeof record->valid_to);
        if (kind_char == 'J') {
            idcard_field(text, 220, 18, record->pass_number, sizeof record->pass_number);
        } else {
            idcard_field(text, 32, 4, record->nation_code, sizeof record->nation_code);
            const char *nation = idcard_nation_name(record->nation_code);
            /* Unknown codes (57 in some tables) stay as they are rather than guessed. */
            snprintf(record->nation, sizeof record->nation, "%s", nation ? nation : record->nation_code);
        }
        break;
    case 'I':
        record->card_kind = IDCARD_KIND_FOREIGN_2017;
        idcard_field(text, 0, 120, record->name_en, sizeof record->name_en);
        idcard_field(text, 120, 2, record->sex_code, sizeof record->sex_code);
        idcard_field(text, 122, 30, record->id_number, sizeof record->id_number);
        idcard_field(text, 152, 6, record->nationality, sizeof record->nationality);
        idcard_field(text, 158, 30, record->name, sizeof record->name);
        idcard_field(text, 188, 16, record->valid_from, sizeof record->valid_from);
        idcard_field(text, 204, 16, record->valid_to, sizeof record->valid_to);
        idcard_field(text, 220, 16, record->birth, sizeof record->birth);
        idcard_field(text, 240, 8, record->authority, sizeof record->authority);
        break;
    case 'Y': {
        record->card_kind = IDCARD_KIND_FOREIGN_2023;
        idcard_field(text, 0, 30, record->name, sizeof record->name);
        idcard_field(text, 30, 2, record->sex_code, sizeof record->sex_code);
        idcard_field(text, 36, 16, record->birth, sizeof record->birth);
        /* The English name is split in two parts (52..121, 220..241): join the raw
         * characters first, so a space at the split is kept and only the end is trimmed. */
        uint8_t name_en[92];
        memcpy(name_en, text + 52, 70);
        memcpy(name_en + 70, text + 220, 22);
        idcard_ucs2le_to_utf8(name_en, sizeof name_en, record->name_en, sizeof record->name_en);
        idcard_field(text, 122, 36, record->id_number, sizeof record->id_number);
        idcard_field(text, 188, 16, record->valid_from, sizeof record->valid_from);
        idcard_field(text, 204, 16, record->valid_to, sizeof record->valid_to);
        idcard_field(text, 242, 6, record->nationality, sizeof record->nationality);
        break;
    }
    default:
        return idcard_fail(err, errlen, "card error: unknown card kind (type character at offset 248)");
    }
    idcard_record_set_sex(record);
    return idcard_record_check(record, record->card_kind != IDCARD_KIND_FOREIGN_2017, err, errlen);
}

int idcard_record_decode(const uint8_t *data, size_t data_len, bool with_fingerprint,
                         struct idcard_record *record, char *err, size_t errlen)
{
    size_t header = with_fingerprint ? 6 : 4;
    if (data_len < header)
        return idcard_fail(err, errlen, "protocol error: the read reply is shorter than its length header");
    size_t text_len = (size_t)data[0] << 8 | data[1];
    size_t photo_len = (size_t)data[2] << 8 | data[3];
    size_t fingerprint_len = with_fingerprint ? ((size_t)data[4] << 8 | data[5]) : 0;
    if (header + text_len + photo_len + fingerprint_len > data_len)
        return idcard_fail(err, errlen, "protocol error: the read reply is shorter than the lengths in its header");
    if (photo_len > IDCARD_PHOTO_MAX)
        return idcard_fail(err, errlen, "protocol error: the photo length in the read reply is over 1024 bytes");
    if (fingerprint_len > IDCARD_FINGERPRINT_MAX)
        return idcard_fail(err, errlen, "protocol error: the fingerprint length in the read reply is over 1024 bytes");
    int status = idcard_record_decode_text(data + header, text_len, record, err, errlen);
    if (status < 0)
        return status;
    memcpy(record->photo, data + header + text_len, photo_len);
    record->photo_len = photo_len;
    memcpy(record->fingerprint, data + header + text_len + photo_len, fingerprint_len);
    record->fingerprint_len = fingerprint_len;
    return 0;
}

int idcard_record_decode_newest_address(const uint8_t *data, size_t data_len, struct idcard_record *record,
                                        char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    idcard_ucs2le_to_utf8(data, data_len, record->newest_address, sizeof record->newest_address);
    return 0;
}

void idcard_record_wipe(struct idcard_record *record)
{
    if (record)
        explicit_bzero(record, sizeof *record);
}

bool idcard_record_is_expired(const struct idcard_record *record, const char *today)
{
    if (!strcmp(record->valid_to, "长期"))
        return false;
    /* YYYYMMDD strings compare in date order. */
    return strcmp(record->valid_to, today) < 0;
}

void idcard_mask_name(const char *name, char *out, size_t out_size)
{
    if (!out_size)
        return;
    /* Character boundaries, so a CJK name is masked by whole characters. */
    size_t starts[128], chars = 0, len = strlen(name);
    for (size_t i = 0; i < len && chars < 128; i++)
        if (((unsigned char)name[i] & 0xC0) != 0x80)
            starts[chars++] = i;
    size_t at = 0;
    out[0] = '\0';
    for (size_t c = 0; c < chars; c++) {
        size_t end = c + 1 < chars ? starts[c + 1] : len;
        bool keep = (c == 0 && chars > 1) || (c == chars - 1 && chars > 2);
        const char *piece = keep ? name + starts[c] : "*";
        size_t n = keep ? end - starts[c] : 1;
        if (at + n >= out_size)
            break;
        memcpy(out + at, piece, n);
        at += n;
        out[at] = '\0';
    }
}

void idcard_mask_id(const char *id, char *out, size_t out_size)
{
    if (!out_size)
        return;
    size_t len = strlen(id), at = 0;
    for (size_t i = 0; i < len && at + 1 < out_size; i++)
        out[at++] = len > 8 && (i < 4 || i >= len - 4) ? id[i] : '*';
    out[at] = '\0';
}

void idcard_record_write_json(const struct idcard_record *record, FILE *out)
{
    const struct {
        const char *key, *value;
    } members[] = {
        { "card_kind", idcard_card_kind_name(record->card_kind) },
        { "name", record->name },
        { "name_en", record->name_en },
        { "sex", record->sex },
        { "nation", record->nation },
        { "birth", record->birth },
        { "address", record->address },
        { "id_number", record->id_number },
        { "authority", record->authority },
        { "valid_from", record->valid_from },
        { "valid_to", record->valid_to },
        { "nationality", record->nationality },
        { "newest_address", record->newest_address },
    };
    int first = 1;
    fputc('{', out);
    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++)
        if (members[i].value[0])
            json_out_member(out, &first, members[i].key, members[i].value);
    fputs("}\n", out);
}
