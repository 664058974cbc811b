/* Receipt printer profiles as data (not #ifdef): what one model accepts. Chosen by name
 * from the config, or by matching the IEEE 1284 device ID the printer reports over USB
 * (GET_DEVICE_ID, /dev/usb/lpN's ioctl or sysfs ieee1284_id).
 * Facts: ../shared/reference/printers.md A2, A4, A5, A6, A7 (escpos-printer-db). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct escpos_profile {
    const char *name;      /* as written in the config */
    const char *match_mfg; /* device ID MFG, compared without case; NULL: matches no ID */
    const char *match_mdl; /* a prefix of MDL, without case; NULL: any model of that MFG */
    int width_dots;        /* printable width: 576 for 80 mm at 203 dpi, 384 for 58 mm */
    int dpi;
    unsigned cut_kinds;    /* enum escpos_cut bits the printer accepts */
    /* Some clones answer DLE EOT and GS r on serial only: over USB they stay silent, and a
     * job can then only be sent, never confirmed. */
    bool status_over_usb;
};

/* The profile named name (case-insensitive), or NULL. */
const struct escpos_profile *escpos_profile_find(const char *name);
/* The n-th profile (0..), or NULL past the end: for kioskctl and tests. */
const struct escpos_profile *escpos_profile_at(size_t n);
/* The profile's preferred cut: feed-and-partial, partial, feed-and-full, full, in that order
 * (a partial cut keeps the receipt hanging for the resident to take). */
int escpos_profile_cut(const struct escpos_profile *profile);

#define ESCPOS_DEVICE_ID_FIELD_MAX 64

/* The fields of an IEEE 1284 device ID that matter here ("MFG:…;MDL:…;CMD:…;CLS:…;").
 * Long forms (MANUFACTURER, MODEL, COMMAND SET, CLASS) count too. Missing fields are "". */
struct escpos_device_id {
    char mfg[ESCPOS_DEVICE_ID_FIELD_MAX];
    char mdl[ESCPOS_DEVICE_ID_FIELD_MAX];
    char cmd[ESCPOS_DEVICE_ID_FIELD_MAX];
    char cls[ESCPOS_DEVICE_ID_FIELD_MAX];
};

/* Parses the ID string (no length prefix). Outside bytes: a NUL ends the string, bytes
 * outside printable ASCII in a value become '?', values longer than the field are cut,
 * unknown keys and pieces without ':' are skipped. 0, or -EBADMSG when neither MFG nor
 * MDL is present. */
int escpos_device_id_parse(const uint8_t *bytes, size_t len, struct escpos_device_id *id);
/* Parses a GET_DEVICE_ID reply: a 2-byte big-endian length that counts itself, then the
 * string. Like CUPS, a length that does not fit is tried little-endian before giving up.
 * 0, or -EBADMSG. */
int escpos_device_id_parse_reply(const uint8_t *bytes, size_t len, struct escpos_device_id *id);
/* The profile for this printer, or NULL when no profile names its MFG/MDL; a device that
 * lists ESC/POS in CMD but is unknown gets "generic-80mm". */
const struct escpos_profile *escpos_profile_match(const struct escpos_device_id *id);
