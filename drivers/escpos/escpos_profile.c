/* Receipt printer profiles and IEEE 1284 device IDs. */
#include "drivers/escpos/escpos_profile.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "drivers/escpos/escpos.h"

#define ESCPOS_CUT_ALL (ESCPOS_CUT_FULL | ESCPOS_CUT_PARTIAL | ESCPOS_CUT_FEED_FULL | ESCPOS_CUT_FEED_PARTIAL)

/* Widths and dpi from escpos-printer-db; status_over_usb true only where it was seen to
 * work (Epson's own firmware). Unknown clones are assumed silent over USB. */
static const struct escpos_profile escpos_profiles[] = {
    {"generic-80mm", NULL, NULL, 576, 203, ESCPOS_CUT_ALL, false},
    /* ZJ-58 style clones cut partially only, and most 58 mm units have no cutter at all:
     * their partial cut is then ignored, which is harmless. */
    {"generic-58mm", NULL, NULL, 384, 203, ESCPOS_CUT_PARTIAL | ESCPOS_CUT_FEED_PARTIAL, false},
    {"epson-tm-t70ii", "EPSON", "TM-T70II", 576, 203, ESCPOS_CUT_ALL, true},
    {"epson-tm-t88v", "EPSON", "TM-T88V", 512, 180, ESCPOS_CUT_ALL, true},
    {"epson-tm-t20", "EPSON", "TM-T20", 576, 203, ESCPOS_CUT_ALL, true},
};

#define ESCPOS_PROFILE_COUNT (sizeof escpos_profiles / sizeof escpos_profiles[0])

const struct escpos_profile *escpos_profile_find(const char *name)
{
    for (size_t i = 0; i < ESCPOS_PROFILE_COUNT; i++)
        if (!strcasecmp(escpos_profiles[i].name, name))
            return &escpos_profiles[i];
    return NULL;
}

const struct escpos_profile *escpos_profile_at(size_t n)
{
    return n < ESCPOS_PROFILE_COUNT ? &escpos_profiles[n] : NULL;
}

int escpos_profile_cut(const struct escpos_profile *profile)
{
    static const int preference[] = {ESCPOS_CUT_FEED_PARTIAL, ESCPOS_CUT_PARTIAL, ESCPOS_CUT_FEED_FULL,
                                     ESCPOS_CUT_FULL};
    for (size_t i = 0; i < sizeof preference / sizeof preference[0]; i++)
        if (profile->cut_kinds & (unsigned)preference[i])
            return preference[i];
    return 0;
}

/* Copies a value cut to the field, trimmed of spaces at both ends, non-printables '?'. */
static void escpos_device_id_copy(char *field, const uint8_t *value, size_t len)
{
    while (len > 0 && value[0] == ' ') {
        value++;
        len--;
    }
    /* Cut first, then trim: a cut can end on a space. */
    if (len > ESCPOS_DEVICE_ID_FIELD_MAX - 1)
        len = ESCPOS_DEVICE_ID_FIELD_MAX - 1;
    while (len > 0 && value[len - 1] == ' ')
        len--;
    for (size_t i = 0; i < len; i++)
        field[i] = value[i] >= 0x20 && value[i] < 0x7F ? (char)value[i] : '?';
    field[len] = '\0';
}

static bool escpos_device_id_key_is(const uint8_t *key, size_t len, const char *name)
{
    while (len > 0 && key[0] == ' ') {
        key++;
        len--;
    }
    while (len > 0 && key[len - 1] == ' ')
        len--;
    return strlen(name) == len && !strncasecmp((const char *)key, name, len);
}

int escpos_device_id_parse(const uint8_t *bytes, size_t len, struct escpos_device_id *id)
{
    memset(id, 0, sizeof *id);
    const uint8_t *nul = memchr(bytes, 0, len);
    if (nul)
        len = (size_t)(nul - bytes);
    size_t at = 0;
    while (at < len) {
        const uint8_t *piece = bytes + at;
        const uint8_t *semicolon = memchr(piece, ';', len - at);
        size_t piece_len = semicolon ? (size_t)(semicolon - piece) : len - at;
        at += piece_len + 1;
        const uint8_t *colon = memchr(piece, ':', piece_len);
        if (!colon)
            continue;
        size_t key_len = (size_t)(colon - piece);
        const uint8_t *value = colon + 1;
        size_t value_len = piece_len - key_len - 1;
        char *field = NULL;
        if (escpos_device_id_key_is(piece, key_len, "MFG") || escpos_device_id_key_is(piece, key_len, "MANUFACTURER"))
            field = id->mfg;
        else if (escpos_device_id_key_is(piece, key_len, "MDL") || escpos_device_id_key_is(piece, key_len, "MODEL"))
            field = id->mdl;
        else if (escpos_device_id_key_is(piece, key_len, "CMD") ||
                 escpos_device_id_key_is(piece, key_len, "COMMAND SET"))
            field = id->cmd;
        else if (escpos_device_id_key_is(piece, key_len, "CLS") || escpos_device_id_key_is(piece, key_len, "CLASS"))
            field = id->cls;
        /* The first occurrence wins: a repeated key is more likely junk than a correction. */
        if (field && field[0] == '\0')
            escpos_device_id_copy(field, value, value_len);
    }
    return id->mfg[0] || id->mdl[0] ? 0 : -EBADMSG;
}

int escpos_device_id_parse_reply(const uint8_t *bytes, size_t len, struct escpos_device_id *id)
{
    memset(id, 0, sizeof *id);
    if (len < 2)
        return -EBADMSG;
    size_t big = (size_t)bytes[0] << 8 | bytes[1];
    size_t little = (size_t)bytes[1] << 8 | bytes[0];
    size_t declared;
    /* Some printers send the length little-endian (CUPS swaps when it is implausible). */
    if (big >= 2 && big <= len)
        declared = big;
    else if (little >= 2 && little <= len)
        declared = little;
    else
        return -EBADMSG;
    return escpos_device_id_parse(bytes + 2, declared - 2, id);
}

/* strcasestr is a GNU extension; this is the one place that needs it, spelled out. */
static bool escpos_contains_nocase(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);
    for (; *haystack; haystack++)
        if (!strncasecmp(haystack, needle, n))
            return true;
    return false;
}

const struct escpos_profile *escpos_profile_match(const struct escpos_device_id *id)
{
    for (size_t i = 0; i < ESCPOS_PROFILE_COUNT; i++) {
        const struct escpos_profile *p = &escpos_profiles[i];
        if (!p->match_mfg || strcasecmp(p->match_mfg, id->mfg))
            continue;
        if (!p->match_mdl || !strncasecmp(id->mdl, p->match_mdl, strlen(p->match_mdl)))
            return p;
    }
    if (escpos_contains_nocase(id->cmd, "ESC/POS") || escpos_contains_nocase(id->cmd, "ESCPOS"))
        return escpos_profile_find("generic-80mm");
    return NULL;
}
