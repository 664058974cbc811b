/* The decoded contents of a second-generation ID card (and the three permit kinds that
 * share its chip and layout rules): text block to UTF-8 fields, code tables, GB 11643 check
 * digit, and masking for logs. Layouts and tables: ../shared/reference/idcard-ga467.md
 * sections 4 and 5.
 *
 * Privacy (issue 4 item 7): a record holds personal data. It lives in memory only, is wiped
 * with idcard_record_wipe() when the session ends, and reaches a log only through
 * idcard_mask_name() / idcard_mask_id(). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define IDCARD_TEXT_LEN        256  /* the text block's layout covers 256 bytes */
#define IDCARD_PHOTO_MAX       1024 /* WLT photo */
#define IDCARD_FINGERPRINT_MAX 1024 /* two 512-byte templates */
#define IDCARD_PHOTO_WIDTH     102  /* a decoded WLT photo: 102x126, 24-bit BGR */
#define IDCARD_PHOTO_HEIGHT    126

enum idcard_card_kind {
    IDCARD_KIND_RESIDENT,     /* 居民身份证, type char ' ' */
    IDCARD_KIND_PERMIT_J,     /* 港澳台居民居住证, 'J' */
    IDCARD_KIND_FOREIGN_2017, /* 外国人永久居留身份证 (2017), 'I' */
    IDCARD_KIND_FOREIGN_2023, /* 外国人永久居留身份证 (2023), 'Y' */
};

/* Fields as UTF-8, trailing spaces trimmed; "" when the card kind has no such field (the
 * JSON then has no key). Sizes: the longest field (60 UCS-2 chars) is 180 UTF-8 bytes. */
struct idcard_record {
    enum idcard_card_kind card_kind;
    char name[96];           /* Chinese name ('I': may be empty) */
    char name_en[256];       /* 'I', 'Y' */
    char sex[16];            /* 男, 女, 未知, 未说明; or the raw code when not in GB/T 2261.1 */
    char sex_code[8];
    char nation[32];         /* resident card: 汉 ...; an unknown code is kept raw */
    char nation_code[8];
    char birth[16];          /* YYYYMMDD */
    char address[224];
    char id_number[64];      /* 18 chars, check digit verified; 'I': 15-char permit number */
    char authority[96];      /* issuing authority; 'I': authority code */
    char valid_from[16];     /* YYYYMMDD */
    char valid_to[16];       /* YYYYMMDD or 长期 */
    char nationality[16];    /* 'I', 'Y': ISO 3166 three-letter code */
    char newest_address[224]; /* from "read newest address" (30 03), when the card has one */
    char pass_number[32];    /* 'J': 通行证号码 */
    uint8_t photo[IDCARD_PHOTO_MAX]; /* raw WLT bytes: decoding needs a licensed vendor library */
    size_t photo_len;
    uint8_t fingerprint[IDCARD_FINGERPRINT_MAX];
    size_t fingerprint_len;
};

/* The WLT photo decoder hook: a vendor library behind this signature (none is configured
 * today, so the UI shows no photo). Writes IDCARD_PHOTO_WIDTH x IDCARD_PHOTO_HEIGHT BGR
 * pixels; 0, or a negative errno. */
typedef int (*idcard_photo_decoder)(const uint8_t *wlt, size_t wlt_len, uint8_t *bgr, size_t bgr_size,
                                    void *ctx);

/* The name scripts, docs and JSON use: "resident", "permit-j", "foreign-2017", "foreign-2023". */
const char *idcard_card_kind_name(enum idcard_card_kind kind);

/* Decodes a read reply's data (30 01, or 30 10 when with_fingerprint): the header's
 * lengths, then text, photo and fingerprint. Returns 0, or -EILSEQ with a reason in err
 * (English; no personal data in it): lengths that do not fit the reply, an unknown card
 * kind, a field that is not what the layout says, an ID number whose check digit fails. */
int idcard_record_decode(const uint8_t *data, size_t data_len, bool with_fingerprint,
                         struct idcard_record *record, char *err, size_t errlen);
/* Decodes the text block alone (256 bytes; the layout's fields). Same returns. */
int idcard_record_decode_text(const uint8_t *text, size_t text_len, struct idcard_record *record, char *err,
                              size_t errlen);
/* The 70-byte UCS-2 reply of "read newest address" into record->newest_address. */
int idcard_record_decode_newest_address(const uint8_t *data, size_t data_len, struct idcard_record *record,
                                        char *err, size_t errlen);

/* Overwrites the whole record (explicit_bzero: the compiler may not skip it). */
void idcard_record_wipe(struct idcard_record *record);

/* True when the card expired before today (today: YYYYMMDD). 长期 never expires; a card is
 * valid on its last day. */
bool idcard_record_is_expired(const struct idcard_record *record, const char *today);

/* GB 11643-1999 (ISO 7064 MOD 11-2): the check character for 17 digits, or 0 when the input
 * is not 17 digits. */
char idcard_id_check_char(const char *first17);
/* True when id is 17 digits and the right check character (X upper case). */
bool idcard_id_number_valid(const char *id);

/* UCS-2LE to UTF-8, trailing spaces (and NULs) trimmed; inner spaces kept. Characters
 * below U+0020 and lone surrogates become U+FFFD. Returns the UTF-8 length, truncated to
 * whole characters when out is short. */
size_t idcard_ucs2le_to_utf8(const uint8_t *ucs2, size_t len, char *out, size_t out_size);

/* GB/T 3304 nation name ("汉") for a two-digit code, NULL when unknown. */
const char *idcard_nation_name(const char *code);
/* GB/T 2261.1 sex name for a one-digit code, NULL when unknown. */
const char *idcard_sex_name(const char *code);

/* For logs: 张三 -> 张*, 张小三 -> 张*三, 欧阳小明 -> 欧**明; 3713**********123X (the first and
 * last four characters of an ID number kept). out always gets a NUL-terminated string. */
void idcard_mask_name(const char *name, char *out, size_t out_size);
void idcard_mask_id(const char *id, char *out, size_t out_size);

/* The record as one JSON object on one line (kioskctl read-card): card_kind, name, name_en,
 * sex, nation, birth, address, id_number, authority, valid_from, valid_to, nationality,
 * newest_address, each only when the card has it. Unmasked: for the technician's terminal,
 * never for a log. */
void idcard_record_write_json(const struct idcard_record *record, FILE *out);
