/* The certificate printer over IPP Everywhere, through libcups (IPP, HTTP, PWG raster).
 * Sources: RFC 8011 (operations, printer-state-reasons and their severity suffixes), PWG
 * 5100.14 (IPP Everywhere), PWG 5102.4 (PWG raster); ../shared/reference/printers.md B. */
#include "drivers/certprinter/certprinter_ipp.h"

#include <cups/cups.h>
#include <cups/ipp.h>
#include <cups/raster.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "firmware/core/i18n.h"
#include "firmware/core/log.h"

#define IPP_MODULE "certprinter"
#define POLL_MS 300
/* The printer may drop one connection while busy; this long without an answer is "gone". */
#define GONE_AFTER_MS 2500

long long certprinter_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static void certprinter_sleep_ms(int ms)
{
    nanosleep(&(struct timespec){ .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 }, NULL);
}

static void copy_text(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

/* ---- printer-state-reasons ---- */

struct reason_entry {
    const char *keyword; /* without severity suffix */
    enum certprinter_condition condition;
};

/* RFC 8011 5.4.12 and the PWG 5100.9 additions a laser reports; anything else is READY
 * unless it says -error (an unknown reason from a vendor is not a reason to refuse). */
static const struct reason_entry reason_table[] = {
    {"none", CERTPRINTER_READY},
    {"media-empty", CERTPRINTER_MEDIA_EMPTY},
    {"media-needed", CERTPRINTER_MEDIA_EMPTY},
    {"media-jam", CERTPRINTER_MEDIA_JAM},
    {"door-open", CERTPRINTER_DOOR_OPEN},
    {"cover-open", CERTPRINTER_DOOR_OPEN},
    {"interlock-open", CERTPRINTER_DOOR_OPEN},
    {"toner-empty", CERTPRINTER_TONER_EMPTY},
    {"marker-supply-empty", CERTPRINTER_TONER_EMPTY},
    {"toner-low", CERTPRINTER_TONER_LOW},
    {"marker-supply-low", CERTPRINTER_TONER_LOW},
    {"media-low", CERTPRINTER_MEDIA_LOW},
    {"offline", CERTPRINTER_OFFLINE},
    {"shutdown", CERTPRINTER_OFFLINE},
    {"connecting-to-device", CERTPRINTER_OFFLINE},
    {"timed-out", CERTPRINTER_OFFLINE},
    {"paused", CERTPRINTER_PAUSED},
    {"moving-to-paused", CERTPRINTER_PAUSED},
    {"stopping", CERTPRINTER_PAUSED},
    {"input-tray-missing", CERTPRINTER_TRAY_MISSING},
    {"output-tray-missing", CERTPRINTER_TRAY_MISSING},
    {"output-area-full", CERTPRINTER_OUTPUT_FULL},
    {"output-area-almost-full", CERTPRINTER_READY},
    {"marker-waste-full", CERTPRINTER_OTHER_ERROR},
    {"marker-waste-almost-full", CERTPRINTER_READY},
    {"fuser-over-temp", CERTPRINTER_OTHER_ERROR},
    {"fuser-under-temp", CERTPRINTER_OTHER_ERROR},
    {"spool-area-full", CERTPRINTER_OTHER_ERROR},
    {"other", CERTPRINTER_OTHER_ERROR},
};

/* Splits a keyword into its length without the suffix and its severity (0 report/warning,
 * 1 error). RFC 8011: a reason without a suffix is an error. */
static size_t reason_base(const char *keyword, bool *error)
{
    static const char *const suffixes[] = {"-report", "-warning", "-error"};
    size_t n = strlen(keyword);
    for (int i = 0; i < 3; i++) {
        size_t s = strlen(suffixes[i]);
        if (n > s && !strcmp(keyword + n - s, suffixes[i])) {
            *error = i == 2;
            return n - s;
        }
    }
    *error = true;
    return n;
}

enum certprinter_condition certprinter_ipp_reason_condition(const char *keyword, bool *blocking)
{
    bool error;
    size_t n = reason_base(keyword, &error);
    enum certprinter_condition condition = CERTPRINTER_READY;
    bool known = false;
    for (size_t i = 0; i < sizeof reason_table / sizeof reason_table[0]; i++)
        if (strlen(reason_table[i].keyword) == n && !strncmp(keyword, reason_table[i].keyword, n)) {
            condition = reason_table[i].condition;
            known = true;
            break;
        }
    if (!known && error && n < strlen(keyword)) /* an explicit -error we have no words for */
        condition = CERTPRINTER_OTHER_ERROR;
    if (blocking)
        *blocking = error && condition >= CERTPRINTER_OTHER_ERROR;
    return condition;
}

enum certprinter_condition certprinter_ipp_printer_condition(const struct certprinter_ipp_printer *printer,
                                                              bool *blocking)
{
    enum certprinter_condition worst = CERTPRINTER_READY;
    bool any_blocking = false;
    for (int i = 0; i < printer->reason_count; i++) {
        bool b;
        enum certprinter_condition c = certprinter_ipp_reason_condition(printer->reasons[i], &b);
        if (c > worst)
            worst = c;
        any_blocking = any_blocking || b;
    }
    if (printer->state == CERTPRINTER_IPP_PRINTER_STOPPED) {
        any_blocking = true; /* a stopped printer prints nothing, whatever its reasons say */
        if (worst < CERTPRINTER_PAUSED)
            worst = CERTPRINTER_PAUSED;
    }
    if (blocking)
        *blocking = any_blocking;
    return worst;
}

const char *certprinter_condition_resident_msgid(enum certprinter_condition condition)
{
    switch (condition) {
    case CERTPRINTER_READY:
    case CERTPRINTER_TONER_LOW:
    case CERTPRINTER_MEDIA_LOW: return NULL;
    case CERTPRINTER_MEDIA_EMPTY:
        return N_("The certificate printer is out of paper. Please ask staff for help, or come back tomorrow.");
    case CERTPRINTER_MEDIA_JAM:
        return N_("The certificate printer has a paper jam. Please ask staff for help, or come back tomorrow.");
    case CERTPRINTER_DOOR_OPEN:
        return N_("A door of the certificate printer is open. Please ask staff for help, or come back tomorrow.");
    case CERTPRINTER_TONER_EMPTY:
        return N_("The certificate printer is out of toner. Please ask staff for help, or come back tomorrow.");
    case CERTPRINTER_OFFLINE:
        return N_("The certificate printer is offline. Please ask staff for help, or come back tomorrow.");
    case CERTPRINTER_PAUSED:
        return N_("The certificate printer is paused. Please ask staff for help, or come back tomorrow.");
    case CERTPRINTER_TRAY_MISSING:
        return N_("The paper tray of the certificate printer is not in place. Please ask staff for help, or come back tomorrow.");
    case CERTPRINTER_OUTPUT_FULL:
        return N_("The output tray of the certificate printer is full. Please ask staff for help.");
    case CERTPRINTER_WRONG_MEDIA:
        return N_("The certificate printer has the wrong paper loaded. Please ask staff for help, or come back tomorrow.");
    case CERTPRINTER_CANNOT_PRINT:
        return N_("The certificate printer cannot print this document. Please ask staff for help, or come back tomorrow.");
    case CERTPRINTER_NOT_ANSWERING:
        return N_("The certificate printer is not answering. Please ask staff for help, or come back tomorrow.");
    case CERTPRINTER_JOB_STOPPED:
        return N_("The certificate printer stopped before your document was printed. Please try again, or ask staff for help.");
    case CERTPRINTER_OTHER_ERROR: break;
    }
    return N_("The certificate printer is not working. Please ask staff for help, or come back tomorrow.");
}

const char *certprinter_condition_technician_text(enum certprinter_condition condition)
{
    switch (condition) {
    case CERTPRINTER_READY: return "ready";
    case CERTPRINTER_TONER_LOW: return "toner low: order a cartridge (still prints)";
    case CERTPRINTER_MEDIA_LOW: return "paper low: refill the A4 tray soon (still prints)";
    case CERTPRINTER_OTHER_ERROR: return "printer error: see the exact reasons and the printer's panel";
    case CERTPRINTER_PAUSED: return "printer paused or stopped: resume it on its panel or web page";
    case CERTPRINTER_OFFLINE: return "printer offline: check its power, cable and panel";
    case CERTPRINTER_OUTPUT_FULL: return "output tray full: take the pages out";
    case CERTPRINTER_TRAY_MISSING: return "paper tray missing: push the tray in";
    case CERTPRINTER_WRONG_MEDIA: return "no A4 in media-ready: load A4 or set the tray's paper size on the printer";
    case CERTPRINTER_TONER_EMPTY: return "toner empty: replace the cartridge";
    case CERTPRINTER_MEDIA_EMPTY: return "out of paper: load A4 paper";
    case CERTPRINTER_DOOR_OPEN: return "door or cover open: close it";
    case CERTPRINTER_MEDIA_JAM: return "paper jam: open the printer and clear the paper path";
    case CERTPRINTER_CANNOT_PRINT: return "printer refuses the document (format, size or attributes): check the model";
    case CERTPRINTER_NOT_ANSWERING: return "no answer from the printer: check power, network/USB and ipp-usb";
    case CERTPRINTER_JOB_STOPPED: return "the printer aborted or canceled the job";
    }
    return "unknown";
}

const char *certprinter_condition_name(enum certprinter_condition condition)
{
    static const char *const names[] = {
        [CERTPRINTER_READY] = "ready",           [CERTPRINTER_TONER_LOW] = "toner-low",
        [CERTPRINTER_MEDIA_LOW] = "media-low",   [CERTPRINTER_OTHER_ERROR] = "error",
        [CERTPRINTER_PAUSED] = "paused",         [CERTPRINTER_OFFLINE] = "offline",
        [CERTPRINTER_OUTPUT_FULL] = "output-full", [CERTPRINTER_TRAY_MISSING] = "tray-missing",
        [CERTPRINTER_WRONG_MEDIA] = "wrong-media", [CERTPRINTER_TONER_EMPTY] = "toner-empty",
        [CERTPRINTER_MEDIA_EMPTY] = "media-empty", [CERTPRINTER_DOOR_OPEN] = "door-open",
        [CERTPRINTER_MEDIA_JAM] = "media-jam",   [CERTPRINTER_CANNOT_PRINT] = "cannot-print",
        [CERTPRINTER_NOT_ANSWERING] = "not-answering", [CERTPRINTER_JOB_STOPPED] = "job-stopped",
    };
    if ((unsigned)condition < sizeof names / sizeof names[0] && names[condition])
        return names[condition];
    return "unknown";
}

/* ---- responses ---- */

/* Every string value of attr (keywords, names, MIME types...), at most max. */
static int collect_strings(ipp_attribute_t *attr, char (*out)[CERTPRINTER_IPP_KEYWORD_MAX], int max, bool skip_none)
{
    int n = 0;
    for (int i = 0; attr && i < ippGetCount(attr) && n < max; i++) {
        const char *s = ippGetString(attr, i, NULL);
        if (!s || (skip_none && !strcmp(s, "none")))
            continue;
        copy_text(out[n++], CERTPRINTER_IPP_KEYWORD_MAX, s);
    }
    return n;
}

static ipp_attribute_t *find_attr(ipp_t *ipp, const char *name)
{
    return ippFindAttribute(ipp, name, IPP_TAG_ZERO);
}

static int attr_integer(ipp_attribute_t *attr, int fallback)
{
    if (!attr || ippGetCount(attr) < 1)
        return fallback;
    ipp_tag_t tag = ippGetValueTag(attr);
    if (tag != IPP_TAG_INTEGER && tag != IPP_TAG_ENUM)
        return fallback;
    return ippGetInteger(attr, 0);
}

static const char *attr_string(ipp_attribute_t *attr)
{
    const char *s = attr && ippGetCount(attr) > 0 ? ippGetString(attr, 0, NULL) : NULL;
    return s ? s : "";
}

static void parse_printer_ipp(ipp_t *ipp, struct certprinter_ipp_printer *out)
{
    memset(out, 0, sizeof *out);
    out->state = attr_integer(find_attr(ipp, "printer-state"), 0);
    copy_text(out->state_message, sizeof out->state_message, attr_string(find_attr(ipp, "printer-state-message")));
    out->reason_count =
        collect_strings(find_attr(ipp, "printer-state-reasons"), out->reasons, CERTPRINTER_IPP_REASONS_MAX, true);
    ipp_attribute_t *formats = find_attr(ipp, "document-format-supported");
    for (int i = 0; formats && i < ippGetCount(formats); i++) {
        const char *s = ippGetString(formats, i, NULL);
        if (s && !strcasecmp(s, "image/pwg-raster"))
            out->takes_pwg_raster = true;
    }
    /* IPP Everywhere printers list PWG raster resolutions; an older one only printer-resolution. */
    ipp_attribute_t *res = find_attr(ipp, "pwg-raster-document-resolution-supported");
    if (!res || ippGetValueTag(res) != IPP_TAG_RESOLUTION)
        res = find_attr(ipp, "printer-resolution-supported");
    for (int i = 0; res && ippGetValueTag(res) == IPP_TAG_RESOLUTION && i < ippGetCount(res) &&
                    out->resolution_count < CERTPRINTER_IPP_LIST_MAX;
         i++) {
        int y;
        ipp_res_t units;
        int x = ippGetResolution(res, i, &y, &units);
        if (units == IPP_RES_PER_CM) {
            if (x <= 0 || y <= 0 || x > 4800 || y > 4800)
                continue; /* no printer has that; x 2.54 would overflow an int (fuzz_certprinter_ipp) */
            x = (int)(x * 2.54 + 0.5);
            y = (int)(y * 2.54 + 0.5);
        }
        if (x == y && x > 0 && x <= 4800)
            out->resolutions[out->resolution_count++] = x;
    }
    ipp_attribute_t *types = find_attr(ipp, "pwg-raster-document-type-supported");
    for (int i = 0; types && i < ippGetCount(types); i++) {
        const char *s = ippGetString(types, i, NULL);
        if (s && !strcmp(s, "black_1"))
            out->black_1 = true;
        else if (s && !strcmp(s, "sgray_8"))
            out->sgray_8 = true;
    }
    out->media_ready_count = collect_strings(find_attr(ipp, "media-ready"), out->media_ready, CERTPRINTER_IPP_LIST_MAX, false);
    out->media_supported_count =
        collect_strings(find_attr(ipp, "media-supported"), out->media_supported, CERTPRINTER_IPP_LIST_MAX, false);
    copy_text(out->make_and_model, sizeof out->make_and_model, attr_string(find_attr(ipp, "printer-make-and-model")));
}

/* The job attributes from first up to the next group separator (Get-Jobs lists several). */
static void parse_job_attrs(ipp_attribute_t *first, ipp_t *ipp, struct certprinter_ipp_job *out)
{
    memset(out, 0, sizeof *out);
    out->impressions_completed = -1;
    for (ipp_attribute_t *a = first; a; a = ippNextAttribute(ipp)) {
        const char *name = ippGetName(a);
        if (!name)
            break; /* separator: the next job's group */
        if (!strcmp(name, "job-id"))
            out->id = attr_integer(a, 0);
        else if (!strcmp(name, "job-state"))
            out->state = attr_integer(a, 0);
        else if (!strcmp(name, "job-state-reasons"))
            out->reason_count = collect_strings(a, out->reasons, CERTPRINTER_IPP_REASONS_MAX, true);
        else if (!strcmp(name, "job-name"))
            copy_text(out->name, sizeof out->name, attr_string(a));
        else if (!strcmp(name, "job-state-message"))
            copy_text(out->state_message, sizeof out->state_message, attr_string(a));
        else if (!strcmp(name, "job-impressions-completed"))
            out->impressions_completed = attr_integer(a, -1);
    }
}

static void parse_job_ipp(ipp_t *ipp, struct certprinter_ipp_job *out)
{
    ipp_attribute_t *a = ippFirstAttribute(ipp);
    while (a && ippGetGroupTag(a) != IPP_TAG_JOB)
        a = ippNextAttribute(ipp);
    parse_job_attrs(a, ipp, out);
}

struct read_buffer {
    const uint8_t *data;
    size_t size, offset;
};

static ssize_t read_buffer_cb(void *context, ipp_uchar_t *buffer, size_t bytes)
{
    struct read_buffer *b = context;
    size_t n = b->size - b->offset < bytes ? b->size - b->offset : bytes;
    memcpy(buffer, b->data + b->offset, n);
    b->offset += n;
    return (ssize_t)n;
}

static ipp_t *ipp_from_bytes(const uint8_t *data, size_t size)
{
    struct read_buffer b = { data, size, 0 };
    ipp_t *ipp = ippNew();
    if (!ipp)
        return NULL;
    if (ippReadIO(&b, read_buffer_cb, 1, NULL, ipp) != IPP_STATE_DATA) {
        ippDelete(ipp);
        return NULL;
    }
    return ipp;
}

int certprinter_ipp_parse_printer(const uint8_t *data, size_t size, struct certprinter_ipp_printer *out)
{
    ipp_t *ipp = ipp_from_bytes(data, size);
    if (!ipp) {
        memset(out, 0, sizeof *out);
        return -EBADMSG;
    }
    parse_printer_ipp(ipp, out);
    ippDelete(ipp);
    return 0;
}

int certprinter_ipp_parse_job(const uint8_t *data, size_t size, struct certprinter_ipp_job *out)
{
    ipp_t *ipp = ipp_from_bytes(data, size);
    if (!ipp) {
        memset(out, 0, sizeof *out);
        out->impressions_completed = -1;
        return -EBADMSG;
    }
    parse_job_ipp(ipp, out);
    ippDelete(ipp);
    return 0;
}

/* ---- format ---- */

bool certprinter_ipp_media_ready(const struct certprinter_ipp_printer *printer, const char *media)
{
    if (printer->media_ready_count == 0)
        return true; /* the printer does not say: it is the technician's to load A4 */
    pwg_media_t *want = pwgMediaForPWG(media);
    for (int i = 0; i < printer->media_ready_count; i++) {
        if (!strcmp(printer->media_ready[i], media))
            return true;
        /* Same size under another name (a custom_ or vendor name of A4): within 1 mm. */
        pwg_media_t *ready = pwgMediaForPWG(printer->media_ready[i]);
        if (want && ready && abs(ready->width - want->width) <= 100 && abs(ready->length - want->length) <= 100)
            return true;
    }
    return false;
}

int certprinter_ipp_choose_format(const struct certprinter_ipp_printer *printer, const char *media,
                                  struct certprinter_ipp_format *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (!printer->takes_pwg_raster) {
        snprintf(err, errlen, "the printer does not list image/pwg-raster in document-format-supported");
        return -ENOTSUP;
    }
    if (!pwgMediaForPWG(media)) {
        snprintf(err, errlen, "unknown media %s", media);
        return -ENOTSUP;
    }
    copy_text(out->media, sizeof out->media, media);
    /* 300 dpi, else the nearest; between two equally near, the finer (no detail lost). */
    int best = 0;
    for (int i = 0; i < printer->resolution_count; i++) {
        int r = printer->resolutions[i];
        if (!best || abs(r - 300) < abs(best - 300) || (abs(r - 300) == abs(best - 300) && r > best))
            best = r;
    }
    if (!best) {
        /* IPP Everywhere requires the attribute; without it 300 is the safe guess. */
        best = 300;
    }
    out->dpi = best;
    if (printer->black_1)
        out->gray8 = false;
    else if (printer->sgray_8)
        out->gray8 = true;
    else {
        snprintf(err, errlen, "the printer takes neither black_1 nor sgray_8 PWG raster");
        return -ENOTSUP;
    }
    return 0;
}

struct write_buffer {
    uint8_t *data;
    size_t size, capacity;
    bool failed;
};

static ssize_t write_buffer_cb(void *context, unsigned char *bytes, size_t length)
{
    struct write_buffer *b = context;
    if (b->size + length > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 65536;
        while (capacity < b->size + length)
            capacity *= 2;
        uint8_t *grown = realloc(b->data, capacity);
        if (!grown) {
            b->failed = true;
            return -1;
        }
        b->data = grown;
        b->capacity = capacity;
    }
    memcpy(b->data + b->size, bytes, length);
    b->size += length;
    return (ssize_t)length;
}

/* One output row at out_dpi from a 1-bit page at page_dpi: nearest source dot. */
static void encode_row(const struct certprinter_bitmap *page, int page_dpi, int out_dpi, unsigned y, bool gray8,
                       unsigned width, uint8_t *row, size_t row_bytes)
{
    long long sy = (long long)y * page_dpi / out_dpi;
    memset(row, gray8 ? 255 : 0, row_bytes);
    if (sy >= page->height)
        return;
    const uint8_t *src = page->bits + (size_t)sy * page->stride;
    if (!gray8 && page_dpi == out_dpi) {
        size_t n = page->stride < row_bytes ? page->stride : row_bytes;
        memcpy(row, src, n);
        if (width < (unsigned)page->width && (width & 7)) /* cropped: clear dots past the edge */
            row[width >> 3] &= (uint8_t)(0xff00u >> (width & 7));
        return;
    }
    for (unsigned x = 0; x < width; x++) {
        long long sx = (long long)x * page_dpi / out_dpi;
        if (sx >= page->width)
            break;
        int black = (src[sx >> 3] >> (7 - (sx & 7))) & 1;
        if (gray8)
            row[x] = black ? 0 : 255;
        else if (black)
            row[x >> 3] |= (uint8_t)(0x80u >> (x & 7));
    }
}

int certprinter_ipp_encode_pwg(const struct certprinter_bitmap *pages, int page_count, int page_dpi,
                               const struct certprinter_ipp_format *format, uint8_t **document, size_t *size)
{
    *document = NULL;
    *size = 0;
    pwg_media_t *media = pwgMediaForPWG(format->media);
    if (!media || page_count < 1 || page_dpi <= 0 || format->dpi <= 0)
        return -EINVAL;
    struct write_buffer out = { 0 };
    cups_raster_t *raster = cupsRasterOpenIO(write_buffer_cb, &out, CUPS_RASTER_WRITE_PWG);
    if (!raster)
        return -ENOMEM;
    int err = 0;
    uint8_t *row = NULL;
    for (int p = 0; p < page_count && !err; p++) {
        cups_page_header2_t header;
        if (!cupsRasterInitPWGHeader(&header, media, format->gray8 ? "sgray_8" : "black_1", format->dpi, format->dpi,
                                     "one-sided", NULL)) {
            err = -EINVAL;
            break;
        }
        header.cupsInteger[0] = (unsigned)page_count; /* PWG TotalPageCount */
        if (!cupsRasterWriteHeader2(raster, &header)) {
            err = out.failed ? -ENOMEM : -EIO;
            break;
        }
        free(row);
        row = malloc(header.cupsBytesPerLine);
        if (!row) {
            err = -ENOMEM;
            break;
        }
        for (unsigned y = 0; y < header.cupsHeight; y++) {
            encode_row(&pages[p], page_dpi, format->dpi, y, format->gray8, header.cupsWidth, row,
                       header.cupsBytesPerLine);
            if (cupsRasterWritePixels(raster, row, header.cupsBytesPerLine) != header.cupsBytesPerLine) {
                err = out.failed ? -ENOMEM : -EIO;
                break;
            }
        }
    }
    free(row);
    cupsRasterClose(raster);
    if (!err && out.failed)
        err = -ENOMEM;
    if (err) {
        free(out.data);
        return err;
    }
    *document = out.data;
    *size = out.size;
    return 0;
}

/* ---- the client ---- */

struct certprinter_ipp {
    char uri[1024];
    char host[256];
    char resource[512];
    int port;
    http_encryption_t encryption;
    int timeout_ms;
    ipp_status_t last_status;
    char last_error[CERTPRINTER_IPP_TEXT_MAX];
};

int certprinter_ipp_open(const char *uri, int timeout_ms, struct certprinter_ipp **out, char *err, size_t errlen)
{
    *out = NULL;
    struct certprinter_ipp *ipp = calloc(1, sizeof *ipp);
    if (!ipp) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    char scheme[32], user[64];
    if (strlen(uri) >= sizeof ipp->uri ||
        httpSeparateURI(HTTP_URI_CODING_ALL, uri, scheme, sizeof scheme, user, sizeof user, ipp->host,
                        sizeof ipp->host, &ipp->port, ipp->resource, sizeof ipp->resource) < HTTP_URI_STATUS_OK) {
        snprintf(err, errlen, "%.200s: not a printer URI (ipp://HOST[:PORT]/PATH)", uri);
        free(ipp);
        return -EINVAL;
    }
    if (!strcmp(scheme, "ipps") || !strcmp(scheme, "https"))
        ipp->encryption = HTTP_ENCRYPTION_ALWAYS;
    else if (!strcmp(scheme, "ipp") || !strcmp(scheme, "http"))
        ipp->encryption = HTTP_ENCRYPTION_IF_REQUESTED;
    else {
        snprintf(err, errlen, "%.200s: scheme %s is not ipp, ipps, http or https", uri, scheme);
        free(ipp);
        return -EINVAL;
    }
    copy_text(ipp->uri, sizeof ipp->uri, uri);
    ipp->timeout_ms = timeout_ms > 0 ? timeout_ms : 10000;
    *out = ipp;
    return 0;
}

void certprinter_ipp_close(struct certprinter_ipp *ipp)
{
    free(ipp);
}

const char *certprinter_ipp_last_error(const struct certprinter_ipp *ipp)
{
    return ipp->last_error;
}

/* A fresh connection per exchange: a printer that restarted, or ipp-usb that re-enumerated,
 * needs no reconnect logic, and each step has its own deadline. */
static http_t *client_connect(struct certprinter_ipp *ipp, int *err)
{
    errno = 0;
    http_t *http = httpConnect2(ipp->host, ipp->port, NULL, AF_UNSPEC, ipp->encryption, 1, ipp->timeout_ms, NULL);
    if (!http) {
        int e = errno ? errno : ECONNREFUSED;
        if (e != ETIMEDOUT && e != ECONNREFUSED && e != EHOSTUNREACH && e != ENETUNREACH)
            e = ECONNREFUSED;
        /* In English whatever the locale: technicians' logs and support read the same words. */
        const char *why = e == ETIMEDOUT      ? "timed out"
                          : e == EHOSTUNREACH ? "host unreachable"
                          : e == ENETUNREACH  ? "network unreachable"
                                              : "connection refused";
        snprintf(ipp->last_error, sizeof ipp->last_error, "cannot connect to %.120s:%d: %s", ipp->host, ipp->port, why);
        ipp->last_status = IPP_STATUS_ERROR_SERVICE_UNAVAILABLE;
        *err = -e;
        return NULL;
    }
    /* No callback: a wait longer than this is an error, never a hang. */
    httpSetTimeout(http, ipp->timeout_ms / 1000.0, NULL, NULL);
    *err = 0;
    return http;
}

static ipp_t *client_request(struct certprinter_ipp *ipp, ipp_op_t op, const char *user)
{
    ipp_t *request = ippNewRequest(op);
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, ipp->uri);
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, user && *user ? user : "kiosk");
    return request;
}

/* The response, or NULL with an errno-style *err: -ETIMEDOUT/-ECONNREFUSED/-EIO when the
 * exchange failed, -ENOENT for client-error-not-found, -EPROTO for other IPP errors. */
static ipp_t *client_finish(struct certprinter_ipp *ipp, ipp_t *response, const char *what, int *err)
{
    ipp_status_t status = cupsLastError();
    ipp->last_status = status;
    if (response && status <= IPP_STATUS_OK_EVENTS_COMPLETE) {
        *err = 0;
        return response;
    }
    if (!response || status == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE || status == IPP_STATUS_ERROR_INTERNAL) {
        /* No IPP answer at all: libcups reports the HTTP/socket failure as one of these. */
        snprintf(ipp->last_error, sizeof ipp->last_error, "%.40s: no answer from %.100s: %.80s", what, ipp->uri,
                 cupsLastErrorString() ? cupsLastErrorString() : "unknown");
        *err = strstr(ipp->last_error, "imed out") ? -ETIMEDOUT : -EIO;
        ippDelete(response);
        return NULL;
    }
    snprintf(ipp->last_error, sizeof ipp->last_error, "%s: %s (%s)", what, ippErrorString(status),
             cupsLastErrorString() ? cupsLastErrorString() : "");
    *err = status == IPP_STATUS_ERROR_NOT_FOUND ? -ENOENT : -EPROTO;
    ippDelete(response);
    return NULL;
}

static ipp_t *client_exchange(struct certprinter_ipp *ipp, ipp_t *request, const char *what, int *err)
{
    http_t *http = client_connect(ipp, err);
    if (!http) {
        ippDelete(request);
        return NULL;
    }
    ipp_t *response = cupsDoRequest(http, request, ipp->resource); /* frees request */
    response = client_finish(ipp, response, what, err);
    httpClose(http);
    return response;
}

int certprinter_ipp_get_printer(struct certprinter_ipp *ipp, struct certprinter_ipp_printer *out)
{
    static const char *const wanted[] = {
        "printer-state", "printer-state-reasons", "printer-state-message", "document-format-supported",
        "pwg-raster-document-resolution-supported", "printer-resolution-supported",
        "pwg-raster-document-type-supported", "media-ready", "media-supported", "printer-make-and-model",
    };
    memset(out, 0, sizeof *out);
    ipp_t *request = client_request(ipp, IPP_OP_GET_PRINTER_ATTRIBUTES, NULL);
    ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                  (int)(sizeof wanted / sizeof wanted[0]), NULL, wanted);
    int err;
    ipp_t *response = client_exchange(ipp, request, "Get-Printer-Attributes", &err);
    if (!response)
        return err;
    parse_printer_ipp(response, out);
    ippDelete(response);
    return 0;
}

static void add_job_attributes(ipp_t *request, const struct certprinter_ipp_job_request *job)
{
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", NULL, job->job_name);
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", NULL, "image/pwg-raster");
    if (job->media && *job->media)
        ippAddString(request, IPP_TAG_JOB, IPP_TAG_KEYWORD, "media", NULL, job->media);
    ippAddInteger(request, IPP_TAG_JOB, IPP_TAG_INTEGER, "copies", 1);
}

int certprinter_ipp_validate_job(struct certprinter_ipp *ipp, const struct certprinter_ipp_job_request *job)
{
    ipp_t *request = client_request(ipp, IPP_OP_VALIDATE_JOB, job->user_name);
    add_job_attributes(request, job);
    int err;
    ipp_t *response = client_exchange(ipp, request, "Validate-Job", &err);
    ippDelete(response);
    return err;
}

int certprinter_ipp_print_job(struct certprinter_ipp *ipp, const struct certprinter_ipp_job_request *job,
                              const uint8_t *document, size_t size, int *job_id)
{
    *job_id = 0;
    int err;
    http_t *http = client_connect(ipp, &err);
    if (!http)
        return err;
    ipp_t *request = client_request(ipp, IPP_OP_PRINT_JOB, job->user_name);
    add_job_attributes(request, job);
    http_status_t status = cupsSendRequest(http, request, ipp->resource, CUPS_LENGTH_VARIABLE);
    for (size_t off = 0; status == HTTP_STATUS_CONTINUE && off < size; off += 65536) {
        size_t n = size - off < 65536 ? size - off : 65536;
        status = cupsWriteRequestData(http, (const char *)document + off, n);
    }
    ipp_t *response = NULL;
    if (status == HTTP_STATUS_CONTINUE)
        response = cupsGetResponse(http, ipp->resource);
    ippDelete(request);
    response = client_finish(ipp, response, "Print-Job", &err);
    httpClose(http);
    if (!response)
        return err;
    *job_id = attr_integer(ippFindAttribute(response, "job-id", IPP_TAG_INTEGER), 0);
    ippDelete(response);
    if (*job_id <= 0) {
        snprintf(ipp->last_error, sizeof ipp->last_error, "Print-Job: the printer sent no job-id");
        return -EPROTO;
    }
    return 0;
}

int certprinter_ipp_get_job(struct certprinter_ipp *ipp, int job_id, struct certprinter_ipp_job *out)
{
    memset(out, 0, sizeof *out);
    out->impressions_completed = -1;
    ipp_t *request = client_request(ipp, IPP_OP_GET_JOB_ATTRIBUTES, NULL);
    ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
    int err;
    ipp_t *response = client_exchange(ipp, request, "Get-Job-Attributes", &err);
    if (!response)
        return err;
    parse_job_ipp(response, out);
    ippDelete(response);
    if (out->id == 0)
        out->id = job_id;
    return 0;
}

int certprinter_ipp_find_job(struct certprinter_ipp *ipp, const char *name, struct certprinter_ipp_job *out)
{
    static const char *const wanted[] = {"job-id", "job-name", "job-state", "job-state-reasons",
                                         "job-impressions-completed"};
    memset(out, 0, sizeof *out);
    out->impressions_completed = -1;
    ipp_t *request = client_request(ipp, IPP_OP_GET_JOBS, NULL);
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs", NULL, "all");
    ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                  (int)(sizeof wanted / sizeof wanted[0]), NULL, wanted);
    int err;
    ipp_t *response = client_exchange(ipp, request, "Get-Jobs", &err);
    if (!response)
        return err;
    int found = -ENOENT;
    for (ipp_attribute_t *a = ippFirstAttribute(response); a; a = ippNextAttribute(response)) {
        if (ippGetGroupTag(a) != IPP_TAG_JOB || !ippGetName(a))
            continue;
        struct certprinter_ipp_job job;
        parse_job_attrs(a, response, &job); /* walks to the end of this job's group */
        if (!strcmp(job.name, name) && job.id > out->id) {
            *out = job;
            found = 0;
        }
    }
    ippDelete(response);
    return found;
}

int certprinter_ipp_cancel_job(struct certprinter_ipp *ipp, int job_id)
{
    ipp_t *request = client_request(ipp, IPP_OP_CANCEL_JOB, NULL);
    ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
    int err;
    ipp_t *response = client_exchange(ipp, request, "Cancel-Job", &err);
    ippDelete(response);
    return err;
}

/* ---- one job ---- */

static void join_reasons(char *dst, size_t size, const char *label, char (*reasons)[CERTPRINTER_IPP_KEYWORD_MAX],
                         int count)
{
    size_t used = strlen(dst);
    if (count == 0 || used + 1 >= size)
        return;
    used += (size_t)snprintf(dst + used, size - used, "%s%s:", used ? "; " : "", label);
    for (int i = 0; i < count && used < size; i++)
        used += (size_t)snprintf(dst + used, size - used, "%s%s", i ? "," : " ", reasons[i]);
}

static void result_init(struct certprinter_result *result)
{
    memset(result, 0, sizeof *result);
    result->outcome = CERTPRINTER_FAILED_RETRYABLE;
    result->pages = -1;
}

static void result_fail(struct certprinter_result *result, enum certprinter_outcome outcome,
                        enum certprinter_condition condition, const char *technician)
{
    result->outcome = outcome;
    result->condition = condition;
    copy_text(result->technician, sizeof result->technician, technician);
}

/* Why a job ended badly: the printer's worst reason now, else the job's own reasons. */
static enum certprinter_condition explain_failure(struct certprinter_ipp *ipp, const struct certprinter_ipp_job *job,
                                                  struct certprinter_result *result)
{
    enum certprinter_condition condition = CERTPRINTER_READY;
    for (int i = 0; i < job->reason_count; i++) {
        enum certprinter_condition c = certprinter_ipp_reason_condition(job->reasons[i], NULL);
        if (c > condition)
            condition = c;
    }
    struct certprinter_ipp_printer printer;
    if (certprinter_ipp_get_printer(ipp, &printer) == 0) {
        join_reasons(result->reasons, sizeof result->reasons, "printer", printer.reasons, printer.reason_count);
        enum certprinter_condition c = certprinter_ipp_printer_condition(&printer, NULL);
        if (c > condition)
            condition = c;
    }
    /* Low toner or paper is never why a job stopped. */
    return condition > CERTPRINTER_MEDIA_LOW ? condition : CERTPRINTER_JOB_STOPPED;
}

void certprinter_ipp_wait_job(struct certprinter_ipp *ipp, int job_id, long long deadline_ms,
                              struct certprinter_result *result)
{
    result->job_id = job_id;
    long long unanswered_since = 0;
    struct certprinter_ipp_job job;
    for (;;) {
        int err = certprinter_ipp_get_job(ipp, job_id, &job);
        long long now = certprinter_now_ms();
        if (err == 0) {
            unanswered_since = 0;
            result->job_state = job.state;
            result->pages = job.impressions_completed;
            if (job.state == CERTPRINTER_IPP_JOB_COMPLETED) {
                result->outcome = CERTPRINTER_PRINTED;
                result->condition = CERTPRINTER_READY;
                result->reasons[0] = '\0';
                join_reasons(result->reasons, sizeof result->reasons, "job", job.reasons, job.reason_count);
                snprintf(result->technician, sizeof result->technician, "job %d completed", job_id);
                return;
            }
            if (job.state == CERTPRINTER_IPP_JOB_ABORTED || job.state == CERTPRINTER_IPP_JOB_CANCELED) {
                result->reasons[0] = '\0';
                join_reasons(result->reasons, sizeof result->reasons, "job", job.reasons, job.reason_count);
                enum certprinter_condition c = explain_failure(ipp, &job, result);
                char text[CERTPRINTER_IPP_TEXT_MAX];
                snprintf(text, sizeof text, "job %d %s by the printer: %s", job_id,
                         job.state == CERTPRINTER_IPP_JOB_ABORTED ? "aborted" : "canceled",
                         certprinter_condition_technician_text(c));
                result_fail(result, CERTPRINTER_FAILED_RETRYABLE, c, text);
                return;
            }
        } else if (err == -ENOENT) {
            /* The printer no longer knows the job: it restarted and lost its queue. */
            char text[CERTPRINTER_IPP_TEXT_MAX];
            snprintf(text, sizeof text, "the printer no longer knows job %d (restarted?)", job_id);
            result_fail(result, CERTPRINTER_FAILED_RETRYABLE, CERTPRINTER_JOB_STOPPED, text);
            return;
        } else {
            if (!unanswered_since)
                unanswered_since = now;
            if (now - unanswered_since >= GONE_AFTER_MS) {
                char text[CERTPRINTER_IPP_TEXT_MAX];
                snprintf(text, sizeof text, "printer gone during job %d: %.200s", job_id, certprinter_ipp_last_error(ipp));
                result_fail(result, CERTPRINTER_FAILED_RETRYABLE, CERTPRINTER_NOT_ANSWERING, text);
                return;
            }
        }
        if (now >= deadline_ms)
            break;
        certprinter_sleep_ms(POLL_MS);
    }
    /* Out of time with the job still pending or stopped (paper out, a jam nobody clears):
     * cancel it, so it does not come out hours later when no one is there to take it. */
    int cancel = certprinter_ipp_cancel_job(ipp, job_id);
    if (certprinter_ipp_get_job(ipp, job_id, &job) == 0 && job.state == CERTPRINTER_IPP_JOB_COMPLETED) {
        result->outcome = CERTPRINTER_PRINTED;
        result->job_state = job.state;
        result->pages = job.impressions_completed;
        snprintf(result->technician, sizeof result->technician, "job %d completed", job_id);
        return;
    }
    result->reasons[0] = '\0';
    join_reasons(result->reasons, sizeof result->reasons, "job", job.reasons, job.reason_count);
    enum certprinter_condition c = explain_failure(ipp, &job, result);
    char text[CERTPRINTER_IPP_TEXT_MAX];
    snprintf(text, sizeof text, "job %d not done in time; %s; %s", job_id,
             cancel == 0 ? "canceled" : "cancel failed", certprinter_condition_technician_text(c));
    result_fail(result, CERTPRINTER_FAILED_RETRYABLE, c, text);
    if (job.state)
        result->job_state = job.state;
}

/* Everything before Print-Job: nothing is sent to a printer that cannot print it now. */
static bool check_printer(struct certprinter_ipp *ipp, const char *media, struct certprinter_ipp_printer *printer,
                          struct certprinter_result *result)
{
    int err = certprinter_ipp_get_printer(ipp, printer);
    if (err < 0) {
        result_fail(result, CERTPRINTER_FAILED_RETRYABLE,
                    err == -EPROTO ? CERTPRINTER_OTHER_ERROR : CERTPRINTER_NOT_ANSWERING,
                    certprinter_ipp_last_error(ipp));
        return false;
    }
    join_reasons(result->reasons, sizeof result->reasons, "printer", printer->reasons, printer->reason_count);
    bool blocking;
    enum certprinter_condition c = certprinter_ipp_printer_condition(printer, &blocking);
    if (blocking) {
        char text[CERTPRINTER_IPP_TEXT_MAX];
        snprintf(text, sizeof text, "not sent: %s", certprinter_condition_technician_text(c));
        result_fail(result, CERTPRINTER_FAILED_RETRYABLE, c, text);
        return false;
    }
    if (!printer->takes_pwg_raster) {
        result_fail(result, CERTPRINTER_FAILED_FINAL, CERTPRINTER_CANNOT_PRINT,
                    "not sent: the printer takes no PWG raster (not IPP Everywhere); use the PCL back end");
        return false;
    }
    if (media && !certprinter_ipp_media_ready(printer, media)) {
        char text[CERTPRINTER_IPP_TEXT_MAX];
        snprintf(text, sizeof text, "not sent: %s is not in media-ready (%s%s)", media, printer->media_ready[0],
                 printer->media_ready_count > 1 ? ", ..." : "");
        result_fail(result, CERTPRINTER_FAILED_RETRYABLE, CERTPRINTER_WRONG_MEDIA, text);
        return false;
    }
    result->condition = c; /* toner low and the like: printed anyway, told to technicians */
    return true;
}

static void send_document(struct certprinter_ipp *ipp, const struct certprinter_ipp_job_request *request,
                          const uint8_t *document, size_t size, long long deadline_ms, certprinter_job_id_cb on_job_id,
                          void *context, struct certprinter_result *result)
{
    int err = certprinter_ipp_validate_job(ipp, request);
    if (err == -EPROTO || err == -ENOENT) {
        /* A client-error is this document on this printer: retrying cannot help. */
        bool final = ipp->last_status >= IPP_STATUS_ERROR_BAD_REQUEST && ipp->last_status < IPP_STATUS_ERROR_INTERNAL;
        result_fail(result, final ? CERTPRINTER_FAILED_FINAL : CERTPRINTER_FAILED_RETRYABLE,
                    final ? CERTPRINTER_CANNOT_PRINT : CERTPRINTER_OTHER_ERROR, certprinter_ipp_last_error(ipp));
        return;
    }
    if (err < 0) {
        result_fail(result, CERTPRINTER_FAILED_RETRYABLE, CERTPRINTER_NOT_ANSWERING, certprinter_ipp_last_error(ipp));
        return;
    }
    int job_id;
    err = certprinter_ipp_print_job(ipp, request, document, size, &job_id);
    /* One job at a time is common (ippeveprinter, small lasers): busy is "wait", not "fail". */
    while (err == -EPROTO && ipp->last_status == IPP_STATUS_ERROR_BUSY && certprinter_now_ms() + 1000 < deadline_ms) {
        certprinter_sleep_ms(1000);
        err = certprinter_ipp_print_job(ipp, request, document, size, &job_id);
    }
    if (err == -EPROTO && (ipp->last_status == IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS || ipp->last_status == IPP_STATUS_ERROR_BUSY)) {
        result_fail(result, CERTPRINTER_FAILED_RETRYABLE,
                    ipp->last_status == IPP_STATUS_ERROR_BUSY ? CERTPRINTER_NOT_ANSWERING : CERTPRINTER_PAUSED,
                    certprinter_ipp_last_error(ipp));
        return;
    }
    if (err < 0) {
        /* Lost mid-request, the printer may still have taken the job: the caller finds it
         * again by job-name (certprinter_ipp_find_job) before sending it again. */
        bool final = err == -EPROTO && ipp->last_status >= IPP_STATUS_ERROR_BAD_REQUEST &&
                     ipp->last_status < IPP_STATUS_ERROR_INTERNAL;
        result_fail(result, final ? CERTPRINTER_FAILED_FINAL : CERTPRINTER_FAILED_RETRYABLE,
                    final ? CERTPRINTER_CANNOT_PRINT : err == -EPROTO ? CERTPRINTER_OTHER_ERROR : CERTPRINTER_NOT_ANSWERING,
                    certprinter_ipp_last_error(ipp));
        return;
    }
    log_info(IPP_MODULE, "%s: job %d accepted (%zu bytes of PWG raster)", request->job_name, job_id, size);
    if (on_job_id)
        on_job_id(context, job_id);
    result->reasons[0] = '\0';
    certprinter_ipp_wait_job(ipp, job_id, deadline_ms, result);
}

#define FIT_PAGES_MAX 16

/* The document as this printer takes it: as it is when its pages are already in the format
 * the printer is given (certprinter_ipp_choose_format), else decoded and encoded again in
 * that format (a stored job made without asking the printer, or a printer replaced since:
 * IPP Everywhere requires sgray_8, black_1 is optional). 0 with *fitted (NULL: send document
 * itself), or -1 with result filled. */
static int fit_document(const struct certprinter_ipp_printer *printer, const char *media, const uint8_t *document,
                        size_t size, uint8_t **fitted, size_t *fitted_size, struct certprinter_result *result)
{
    *fitted = NULL;
    *fitted_size = 0;
    struct certprinter_pwg_first first;
    if (certprinter_pwg_peek(document, size, &first) < 0) {
        result_fail(result, CERTPRINTER_FAILED_FINAL, CERTPRINTER_CANNOT_PRINT, "not sent: the job is not PWG raster");
        return -1;
    }
    struct certprinter_ipp_format format;
    char text[CERTPRINTER_IPP_TEXT_MAX];
    if (certprinter_ipp_choose_format(printer, media ? media : first.media, &format, text, sizeof text) < 0) {
        result_fail(result, CERTPRINTER_FAILED_FINAL, CERTPRINTER_CANNOT_PRINT, text);
        return -1;
    }
    if (first.xdpi == format.dpi && first.ydpi == format.dpi && first.bits_per_pixel == (format.gray8 ? 8 : 1))
        return 0;
    struct certprinter_pwg_page pages[FIT_PAGES_MAX];
    struct certprinter_bitmap bitmaps[FIT_PAGES_MAX];
    int count = 0;
    int err = certprinter_pwg_decode(document, size, pages, FIT_PAGES_MAX, &count);
    /* Pages keep their own resolution; one resolution per document (ours are). */
    for (int i = 0; !err && i < count; i++) {
        bitmaps[i] = (struct certprinter_bitmap){ pages[i].bits, pages[i].width, pages[i].height, pages[i].stride };
        if (pages[i].xdpi != first.xdpi || pages[i].ydpi != first.xdpi)
            err = -EBADMSG;
    }
    if (!err)
        err = certprinter_ipp_encode_pwg(bitmaps, count, first.xdpi, &format, fitted, fitted_size);
    certprinter_pwg_free_pages(pages, count);
    if (err < 0) {
        snprintf(text, sizeof text, "not sent: the job's %d dpi %s pages cannot be made %d dpi %s (error %d)",
                 first.xdpi, first.bits_per_pixel == 8 ? "sgray_8" : "black_1", format.dpi,
                 format.gray8 ? "sgray_8" : "black_1", -err);
        result_fail(result, err == -ENOMEM ? CERTPRINTER_FAILED_RETRYABLE : CERTPRINTER_FAILED_FINAL,
                    err == -ENOMEM ? CERTPRINTER_OTHER_ERROR : CERTPRINTER_CANNOT_PRINT, text);
        return -1;
    }
    log_info(IPP_MODULE, "%s: the job's %d dpi %s pages sent as %d dpi %s, as the printer takes them", media,
             first.xdpi, first.bits_per_pixel == 8 ? "sgray_8" : "black_1", format.dpi,
             format.gray8 ? "sgray_8" : "black_1");
    return 0;
}

void certprinter_ipp_print_document(struct certprinter_ipp *ipp, const struct certprinter_ipp_job_request *request,
                                    const uint8_t *document, size_t size, int timeout_ms, certprinter_job_id_cb on_job_id,
                                    void *context, struct certprinter_result *result)
{
    long long deadline = certprinter_now_ms() + timeout_ms;
    result_init(result);
    struct certprinter_ipp_printer printer;
    if (!check_printer(ipp, request->media, &printer, result))
        return;
    uint8_t *fitted;
    size_t fitted_size;
    if (fit_document(&printer, request->media, document, size, &fitted, &fitted_size, result) < 0)
        return;
    if (fitted) {
        send_document(ipp, request, fitted, fitted_size, deadline, on_job_id, context, result);
        explicit_bzero(fitted, fitted_size);
        free(fitted);
    } else {
        send_document(ipp, request, document, size, deadline, on_job_id, context, result);
    }
}

int certprinter_ipp_prepare_document(struct certprinter_ipp *ipp, const struct certprinter_bitmap *pages, int page_count,
                                     int page_dpi, const char *media, uint8_t **document, size_t *size,
                                     struct certprinter_ipp_format *format, struct certprinter_result *result)
{
    *document = NULL;
    *size = 0;
    result_init(result);
    struct certprinter_ipp_printer printer;
    int err = certprinter_ipp_get_printer(ipp, &printer);
    if (err < 0) {
        result_fail(result, CERTPRINTER_FAILED_RETRYABLE,
                    err == -EPROTO ? CERTPRINTER_OTHER_ERROR : CERTPRINTER_NOT_ANSWERING,
                    certprinter_ipp_last_error(ipp));
        return -1;
    }
    char text[CERTPRINTER_IPP_TEXT_MAX];
    if (certprinter_ipp_choose_format(&printer, media, format, text, sizeof text) < 0) {
        result_fail(result, CERTPRINTER_FAILED_FINAL, CERTPRINTER_CANNOT_PRINT, text);
        return -1;
    }
    err = certprinter_ipp_encode_pwg(pages, page_count, page_dpi, format, document, size);
    if (err < 0) {
        snprintf(text, sizeof text, "PWG raster encoding failed (error %d)", -err);
        result_fail(result, CERTPRINTER_FAILED_RETRYABLE, CERTPRINTER_OTHER_ERROR, text);
        return -1;
    }
    return 0;
}

/* ---- reading PWG raster back ----
 * Our own reader (PWG 5102.4): libcups' reader allocates whatever a header asks for, and a
 * printer's spool or a fuzzer can ask for gigabytes. This one checks the header first. */

/* Byte offsets in the 1796-byte page header (cups_page_header2_t, big-endian). */
enum {
    PWG_HEADER_SIZE = 1796,
    PWG_HW_RESOLUTION = 276,
    PWG_PAGE_SIZE = 352,
    PWG_WIDTH = 372,
    PWG_HEIGHT = 376,
    PWG_BITS_PER_COLOR = 384,
    PWG_BITS_PER_PIXEL = 388,
    PWG_BYTES_PER_LINE = 392,
    PWG_TOTAL_PAGE_COUNT = 452,
    PWG_PAGE_SIZE_NAME = 1732,
};

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void certprinter_pwg_free_pages(struct certprinter_pwg_page *pages, int count)
{
    for (int i = 0; i < count; i++) {
        if (pages[i].bits) /* a licence page shows its holder's data */
            explicit_bzero(pages[i].bits, pages[i].stride * (size_t)pages[i].height);
        free(pages[i].bits);
        pages[i].bits = NULL;
    }
}

/* One line of PackBits-like pixel runs (a byte per pixel unit at 1 and 8 bits): 0-127 repeat
 * the next unit n+1 times, 128-255 copy 257-n units. 0, or -EBADMSG (cut short, too long). */
static int pwg_decode_line(const uint8_t *data, size_t size, size_t *off, uint8_t *row, size_t bytes_per_line)
{
    size_t x = 0;
    while (x < bytes_per_line) {
        if (*off >= size)
            return -EBADMSG;
        unsigned c = data[(*off)++];
        size_t n = c < 128 ? c + 1 : 257 - c;
        if (n > bytes_per_line - x)
            return -EBADMSG;
        if (c < 128) {
            if (*off >= size)
                return -EBADMSG;
            memset(row + x, data[(*off)++], n);
        } else {
            if (size - *off < n)
                return -EBADMSG;
            memcpy(row + x, data + *off, n);
            *off += n;
        }
        x += n;
    }
    return 0;
}

static int pwg_decode_page(const uint8_t *data, size_t size, size_t *off, struct certprinter_pwg_page *p)
{
    memset(p, 0, sizeof *p);
    if (size - *off < PWG_HEADER_SIZE)
        return -EBADMSG;
    const uint8_t *h = data + *off;
    *off += PWG_HEADER_SIZE;
    uint32_t width = be32(h + PWG_WIDTH), height = be32(h + PWG_HEIGHT);
    uint32_t bpc = be32(h + PWG_BITS_PER_COLOR), bpp = be32(h + PWG_BITS_PER_PIXEL);
    uint32_t bpl = be32(h + PWG_BYTES_PER_LINE);
    bool gray8 = bpp == 8 && bpc == 8, black1 = bpp == 1 && bpc == 1;
    /* Only what a monochrome printer takes, at most A3 at 1200 dpi (14032 x 19842). */
    if ((!gray8 && !black1) || width == 0 || height == 0 || width > 20000 || height > 20000 ||
        bpl != (gray8 ? width : (width + 7) / 8))
        return -EBADMSG;
    p->width = (int)width;
    p->height = (int)height;
    p->xdpi = (int)be32(h + PWG_HW_RESOLUTION);
    p->ydpi = (int)be32(h + PWG_HW_RESOLUTION + 4);
    p->bits_per_pixel = (int)bpp;
    p->page_width_pt = (int)be32(h + PWG_PAGE_SIZE);
    p->page_height_pt = (int)be32(h + PWG_PAGE_SIZE + 4);
    p->total_pages = (int)be32(h + PWG_TOTAL_PAGE_COUNT);
    snprintf(p->media, sizeof p->media, "%.*s", (int)strnlen((const char *)h + PWG_PAGE_SIZE_NAME, 63),
             (const char *)h + PWG_PAGE_SIZE_NAME);
    p->stride = ((size_t)width + 7) / 8;
    p->bits = calloc(p->stride, height);
    uint8_t *row = malloc(bpl);
    int err = p->bits && row ? 0 : -ENOMEM;
    for (uint32_t y = 0; !err && y < height;) {
        if (*off >= size) {
            err = -EBADMSG; /* cut short */
            break;
        }
        uint32_t repeat = (uint32_t)data[(*off)++] + 1;
        if (repeat > height - y || (err = pwg_decode_line(data, size, off, row, bpl)) < 0) {
            err = -EBADMSG;
            break;
        }
        for (; repeat > 0; repeat--, y++) {
            uint8_t *dst = p->bits + (size_t)y * p->stride;
            if (black1)
                memcpy(dst, row, p->stride);
            else
                for (uint32_t x = 0; x < width; x++)
                    if (row[x] < 128)
                        dst[x >> 3] |= (uint8_t)(0x80u >> (x & 7));
        }
    }
    free(row);
    if (err) {
        free(p->bits);
        p->bits = NULL;
    }
    return err;
}

int certprinter_pwg_peek(const uint8_t *data, size_t size, struct certprinter_pwg_first *out)
{
    memset(out, 0, sizeof *out);
    if (size < 4 + PWG_HEADER_SIZE || memcmp(data, "RaS2", 4) != 0)
        return -EBADMSG;
    const uint8_t *h = data + 4;
    uint32_t xdpi = be32(h + PWG_HW_RESOLUTION), ydpi = be32(h + PWG_HW_RESOLUTION + 4);
    uint32_t bpp = be32(h + PWG_BITS_PER_PIXEL);
    if (xdpi == 0 || xdpi > 4800 || ydpi == 0 || ydpi > 4800 || (bpp != 1 && bpp != 8))
        return -EBADMSG;
    out->xdpi = (int)xdpi;
    out->ydpi = (int)ydpi;
    out->bits_per_pixel = (int)bpp;
    snprintf(out->media, sizeof out->media, "%.*s", (int)strnlen((const char *)h + PWG_PAGE_SIZE_NAME, 63),
             (const char *)h + PWG_PAGE_SIZE_NAME);
    return 0;
}

int certprinter_pwg_decode(const uint8_t *data, size_t size, struct certprinter_pwg_page *pages, int max_pages,
                           int *page_count)
{
    *page_count = 0;
    if (size < 4 || memcmp(data, "RaS2", 4) != 0)
        return -EBADMSG;
    size_t off = 4;
    int err = 0;
    while (off < size && *page_count < max_pages) {
        err = pwg_decode_page(data, size, &off, &pages[*page_count]);
        if (err)
            break;
        (*page_count)++;
    }
    if (!err && *page_count == 0)
        err = -EBADMSG;
    if (err) {
        certprinter_pwg_free_pages(pages, *page_count);
        *page_count = 0;
    }
    return err;
}
