#include "drivers/transport/usb_match.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int usb_link_hex4(const char *text, uint16_t *value)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = text[i];
        if (!isxdigit((unsigned char)c))
            return -EINVAL;
        v = v * 16 + (unsigned)(isdigit((unsigned char)c) ? c - '0' : tolower((unsigned char)c) - 'a' + 10);
    }
    *value = (uint16_t)v;
    return 0;
}

int usb_link_id_parse(const char *text, struct usb_link_id *id)
{
    if (!text || strlen(text) != 9 || text[4] != ':')
        return -EINVAL;
    if (usb_link_hex4(text, &id->vid) < 0 || usb_link_hex4(text + 5, &id->pid) < 0)
        return -EINVAL;
    return 0;
}

int usb_link_match_parse(const char *text, struct usb_link_match *match)
{
    memset(match, 0, sizeof *match);
    if (!text)
        return -EINVAL;
    if (!strcmp(text, "class7")) {
        match->printer_class = true;
        return 0;
    }
    const char *p = text;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char one[10];
        if (n != 9 || match->count == USB_LINK_IDS_MAX)
            return -EINVAL;
        memcpy(one, p, 9);
        one[9] = '\0';
        if (usb_link_id_parse(one, &match->ids[match->count]) < 0)
            return -EINVAL;
        match->count++;
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

void usb_link_match_format(const struct usb_link_match *match, char *out, size_t size)
{
    if (!size)
        return;
    out[0] = '\0';
    if (match->printer_class) {
        snprintf(out, size, "class7");
        return;
    }
    size_t used = 0;
    for (size_t i = 0; i < match->count && used < size; i++) {
        int n = snprintf(out + used, size - used, "%s%04x:%04x", i ? "," : "", match->ids[i].vid, match->ids[i].pid);
        if (n < 0)
            return;
        used += (size_t)n;
    }
}

int usb_link_pick_bulk(const struct usb_link_endpoint *eps, size_t count, size_t outs, uint8_t *out_eps,
                       size_t ins, uint8_t *in_eps)
{
    size_t got_out = 0, got_in = 0;
    for (size_t i = 0; i < count; i++) {
        if (eps[i].type != USB_LINK_BULK)
            continue;
        if (eps[i].address & 0x80) {
            if (got_in < ins)
                in_eps[got_in++] = eps[i].address;
        } else if (got_out < outs) {
            out_eps[got_out++] = eps[i].address;
        }
    }
    return got_out == outs && got_in == ins ? 0 : -EPROTO;
}
