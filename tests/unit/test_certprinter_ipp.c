/* The certificate printer's IPP back end without a printer: every printer-state-reason we
 * know mapped to its condition, severity and the resident's words (in Chinese, from the
 * built catalogue); IPP responses written byte by byte here (not by libcups) and parsed;
 * format choice; PWG raster written and read back dot for dot at 300 and 600 dpi, black_1
 * and sgray_8. ippeveprinter plays the printer in tests/ipp/test-ipp.sh; it can raise only some
 * reasons (media-empty, media-jam, toner-low ... through its print command), so the mapping
 * of every reason, door-open and offline included, is tested here. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/certprinter/certprinter_ipp.h"
#include "firmware/core/i18n.h"

/* ---- an IPP message writer of our own (RFC 8010 encoding) ---- */

struct ipp_bytes {
    uint8_t data[8192];
    size_t size;
};

static void put8(struct ipp_bytes *b, unsigned v)
{
    assert_true(b->size < sizeof b->data);
    b->data[b->size++] = (uint8_t)v;
}

static void put16(struct ipp_bytes *b, unsigned v)
{
    put8(b, v >> 8);
    put8(b, v & 255);
}

static void put32(struct ipp_bytes *b, uint32_t v)
{
    put16(b, v >> 16);
    put16(b, v & 0xffff);
}

static void put_value(struct ipp_bytes *b, unsigned tag, const char *name, const void *value, size_t length)
{
    put8(b, tag);
    size_t n = name ? strlen(name) : 0; /* no name: another value of the attribute before */
    put16(b, (unsigned)n);
    for (size_t i = 0; i < n; i++)
        put8(b, (uint8_t)name[i]);
    put16(b, (unsigned)length);
    for (size_t i = 0; i < length; i++)
        put8(b, ((const uint8_t *)value)[i]);
}

enum { TAG_OPERATION = 0x01, TAG_JOB = 0x02, TAG_END = 0x03, TAG_PRINTER = 0x04, TAG_INTEGER = 0x21,
       TAG_ENUM = 0x23, TAG_RESOLUTION = 0x32, TAG_TEXT = 0x41, TAG_NAME = 0x42, TAG_KEYWORD = 0x44,
       TAG_CHARSET = 0x47, TAG_LANGUAGE = 0x48, TAG_MIME = 0x49 };

static void ipp_begin(struct ipp_bytes *b)
{
    b->size = 0;
    put16(b, 0x0200); /* IPP 2.0 */
    put16(b, 0x0000); /* successful-ok */
    put32(b, 1);
    put8(b, TAG_OPERATION);
    put_value(b, TAG_CHARSET, "attributes-charset", "utf-8", 5);
    put_value(b, TAG_LANGUAGE, "attributes-natural-language", "en", 2);
}

static void ipp_strings(struct ipp_bytes *b, unsigned tag, const char *name, const char *const *values, int count)
{
    for (int i = 0; i < count; i++)
        put_value(b, tag, i ? NULL : name, values[i], strlen(values[i]));
}

static void ipp_integer(struct ipp_bytes *b, unsigned tag, const char *name, int32_t v)
{
    uint8_t raw[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    put_value(b, tag, name, raw, 4);
}

static void ipp_resolution(struct ipp_bytes *b, const char *name, int32_t x, int32_t y, uint8_t units)
{
    uint8_t raw[9] = { (uint8_t)(x >> 24), (uint8_t)(x >> 16), (uint8_t)(x >> 8), (uint8_t)x,
                       (uint8_t)(y >> 24), (uint8_t)(y >> 16), (uint8_t)(y >> 8), (uint8_t)y, units };
    put_value(b, TAG_RESOLUTION, name, raw, 9);
}

/* A printer as an IPP Everywhere laser answers Get-Printer-Attributes. */
static void printer_response(struct ipp_bytes *b, int state, const char *const *reasons, int reason_count)
{
    static const char *const formats[] = {"application/pdf", "image/pwg-raster", "image/urf"};
    static const char *const types[] = {"black_1", "sgray_8", "srgb_8"};
    static const char *const ready[] = {"iso_a4_210x297mm", "na_letter_8.5x11in"};
    static const char *const supported[] = {"iso_a4_210x297mm", "iso_a5_148x210mm", "na_letter_8.5x11in"};
    ipp_begin(b);
    put8(b, TAG_PRINTER);
    ipp_integer(b, TAG_ENUM, "printer-state", state);
    ipp_strings(b, TAG_KEYWORD, "printer-state-reasons", reasons, reason_count);
    put_value(b, TAG_TEXT, "printer-state-message", "Ready to print.", 15);
    ipp_strings(b, TAG_MIME, "document-format-supported", formats, 3);
    ipp_resolution(b, "pwg-raster-document-resolution-supported", 300, 300, 3);
    ipp_resolution(b, NULL, 118, 118, 4);  /* 118 dots per cm = 300 dpi */
    ipp_resolution(b, NULL, 600, 1200, 3); /* not square: no use to us */
    ipp_resolution(b, NULL, 600, 600, 3);
    ipp_strings(b, TAG_KEYWORD, "pwg-raster-document-type-supported", types, 3);
    ipp_strings(b, TAG_KEYWORD, "media-ready", ready, 2);
    ipp_strings(b, TAG_KEYWORD, "media-supported", supported, 3);
    put_value(b, TAG_TEXT, "printer-make-and-model", "HP LaserJet M211", 16);
    put8(b, TAG_END);
}

/* ---- reasons, conditions, words ---- */

struct reason_case {
    const char *keyword;
    enum certprinter_condition condition;
    bool blocking;
};

static void test_every_reason(void **state)
{
    (void)state;
    static const struct reason_case cases[] = {
        {"none", CERTPRINTER_READY, false},
        {"media-empty", CERTPRINTER_MEDIA_EMPTY, true}, /* no suffix: an error (RFC 8011) */
        {"media-empty-error", CERTPRINTER_MEDIA_EMPTY, true},
        {"media-empty-warning", CERTPRINTER_MEDIA_EMPTY, false},
        {"media-empty-report", CERTPRINTER_MEDIA_EMPTY, false}, /* an empty second tray */
        {"media-needed-error", CERTPRINTER_MEDIA_EMPTY, true},
        {"media-jam-error", CERTPRINTER_MEDIA_JAM, true},
        {"media-jam", CERTPRINTER_MEDIA_JAM, true},
        {"door-open-error", CERTPRINTER_DOOR_OPEN, true},
        {"door-open", CERTPRINTER_DOOR_OPEN, true},
        {"cover-open-error", CERTPRINTER_DOOR_OPEN, true},
        {"interlock-open-error", CERTPRINTER_DOOR_OPEN, true},
        {"toner-empty-error", CERTPRINTER_TONER_EMPTY, true},
        {"marker-supply-empty-error", CERTPRINTER_TONER_EMPTY, true},
        {"toner-low-warning", CERTPRINTER_TONER_LOW, false},
        {"toner-low", CERTPRINTER_TONER_LOW, false}, /* low never stops a job */
        {"marker-supply-low-report", CERTPRINTER_TONER_LOW, false},
        {"media-low-report", CERTPRINTER_MEDIA_LOW, false},
        {"offline", CERTPRINTER_OFFLINE, true},
        {"offline-report", CERTPRINTER_OFFLINE, false},
        {"shutdown-error", CERTPRINTER_OFFLINE, true},
        {"connecting-to-device", CERTPRINTER_OFFLINE, true},
        {"timed-out-error", CERTPRINTER_OFFLINE, true},
        {"paused", CERTPRINTER_PAUSED, true},
        {"moving-to-paused-report", CERTPRINTER_PAUSED, false},
        {"stopping", CERTPRINTER_PAUSED, true},
        {"input-tray-missing-error", CERTPRINTER_TRAY_MISSING, true},
        {"output-tray-missing-error", CERTPRINTER_TRAY_MISSING, true},
        {"output-area-full-error", CERTPRINTER_OUTPUT_FULL, true},
        {"output-area-almost-full-report", CERTPRINTER_READY, false},
        {"marker-waste-full-error", CERTPRINTER_OTHER_ERROR, true},
        {"marker-waste-almost-full-warning", CERTPRINTER_READY, false},
        {"fuser-over-temp-error", CERTPRINTER_OTHER_ERROR, true},
        {"fuser-under-temp-warning", CERTPRINTER_OTHER_ERROR, false},
        {"spool-area-full", CERTPRINTER_OTHER_ERROR, true},
        {"other-error", CERTPRINTER_OTHER_ERROR, true},
        /* A vendor's reason: only an explicit -error stops us. */
        {"com.example-drum-fault-error", CERTPRINTER_OTHER_ERROR, true},
        {"com.example-drum-fault", CERTPRINTER_READY, false},
        {"com.example-drum-report", CERTPRINTER_READY, false},
        {"media-emptyish", CERTPRINTER_READY, false}, /* whole keywords only */
        {"-error", CERTPRINTER_READY, true},
        {"", CERTPRINTER_READY, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool blocking = !cases[i].blocking;
        enum certprinter_condition c = certprinter_ipp_reason_condition(cases[i].keyword, &blocking);
        if (c != cases[i].condition || blocking != (cases[i].blocking && c >= CERTPRINTER_OTHER_ERROR))
            fail_msg("%s: condition %s blocking %d", cases[i].keyword, certprinter_condition_name(c), blocking);
        assert_int_equal(certprinter_ipp_reason_condition(cases[i].keyword, NULL), c);
    }
}

/* The .mo beside the test binary's build (BUILD/tests/test_x → BUILD/locale). */
static void bind_chinese(void)
{
    static char dir[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 16);
    assert_true(n > 0);
    dir[n] = '\0';
    char *build = dirname(dirname(dir));
    memmove(dir, build, strlen(build) + 1);
    strcat(dir, "/locale");
    assert_int_equal(i18n_init(dir, "zh_CN"), 0);
}

static void test_resident_words(void **state)
{
    (void)state;
    bind_chinese();
    static const struct {
        const char *reason;
        const char *words; /* what a resident reads (the brief's words) */
    } words[] = {
        {"media-empty-error", "缺纸"},      {"media-needed", "缺纸"},        {"media-jam-error", "卡纸"},
        {"door-open-error", "盖门打开"},    {"cover-open", "盖门打开"},      {"toner-empty-error", "墨粉"},
        {"offline", "打印机离线"},          {"shutdown-error", "打印机离线"}, {"paused", "暂停"},
        {"input-tray-missing-error", "纸盒"}, {"output-area-full-error", "出纸盒"},
        {"fuser-over-temp-error", "故障"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        const char *msgid = certprinter_condition_resident_msgid(certprinter_ipp_reason_condition(words[i].reason, NULL));
        assert_non_null(msgid);
        const char *shown = _(msgid);
        if (!strstr(shown, words[i].words) || !strstr(shown, "证照打印机"))
            fail_msg("%s shows '%s', not '%s'", words[i].reason, shown, words[i].words);
    }
    /* Every condition: a name of its own, words for technicians; residents get words (that
     * say what to do) exactly when printing stops. */
    for (int c = CERTPRINTER_READY; c <= CERTPRINTER_JOB_STOPPED; c++) {
        const char *msgid = certprinter_condition_resident_msgid((enum certprinter_condition)c);
        assert_int_equal(msgid != NULL, c > CERTPRINTER_MEDIA_LOW);
        if (msgid) {
            assert_non_null(strstr(msgid, "Please"));
            assert_string_not_equal(_(msgid), msgid); /* translated */
        }
        assert_string_not_equal(certprinter_condition_technician_text((enum certprinter_condition)c), "unknown");
        for (int d = 0; d < c; d++)
            assert_string_not_equal(certprinter_condition_name((enum certprinter_condition)c),
                                    certprinter_condition_name((enum certprinter_condition)d));
    }
    assert_non_null(strstr(_(certprinter_condition_resident_msgid(CERTPRINTER_NOT_ANSWERING)), "没有响应"));
    assert_non_null(strstr(_(certprinter_condition_resident_msgid(CERTPRINTER_WRONG_MEDIA)), "纸张不对"));
}

static void test_printer_condition(void **state)
{
    (void)state;
    struct certprinter_ipp_printer p = { .state = CERTPRINTER_IPP_PRINTER_IDLE };
    bool blocking = true;
    assert_int_equal(certprinter_ipp_printer_condition(&p, &blocking), CERTPRINTER_READY);
    assert_false(blocking);
    /* The worst reason wins; one error among warnings blocks. */
    p.reason_count = 3;
    strcpy(p.reasons[0], "toner-low-warning");
    strcpy(p.reasons[1], "media-jam-error");
    strcpy(p.reasons[2], "media-empty-report");
    assert_int_equal(certprinter_ipp_printer_condition(&p, &blocking), CERTPRINTER_MEDIA_JAM);
    assert_true(blocking);
    p.reason_count = 1;
    strcpy(p.reasons[0], "media-empty-report");
    assert_int_equal(certprinter_ipp_printer_condition(&p, &blocking), CERTPRINTER_MEDIA_EMPTY);
    assert_false(blocking);
    /* Stopped with nothing said: paused, and nothing is sent. */
    p.state = CERTPRINTER_IPP_PRINTER_STOPPED;
    p.reason_count = 0;
    assert_int_equal(certprinter_ipp_printer_condition(&p, &blocking), CERTPRINTER_PAUSED);
    assert_true(blocking);
    p.reason_count = 1;
    strcpy(p.reasons[0], "door-open-report");
    assert_int_equal(certprinter_ipp_printer_condition(&p, &blocking), CERTPRINTER_DOOR_OPEN);
    assert_true(blocking);
}

/* ---- responses ---- */

static void test_parse_printer(void **state)
{
    (void)state;
    struct ipp_bytes b;
    static const char *const reasons[] = {"toner-low-warning", "media-empty-report"};
    printer_response(&b, CERTPRINTER_IPP_PRINTER_IDLE, reasons, 2);
    struct certprinter_ipp_printer p;
    assert_int_equal(certprinter_ipp_parse_printer(b.data, b.size, &p), 0);
    assert_int_equal(p.state, CERTPRINTER_IPP_PRINTER_IDLE);
    assert_string_equal(p.state_message, "Ready to print.");
    assert_int_equal(p.reason_count, 2);
    assert_string_equal(p.reasons[0], "toner-low-warning");
    assert_string_equal(p.reasons[1], "media-empty-report");
    assert_true(p.takes_pwg_raster);
    assert_int_equal(p.resolution_count, 3);
    assert_int_equal(p.resolutions[0], 300);
    assert_int_equal(p.resolutions[1], 300); /* from dots per cm */
    assert_int_equal(p.resolutions[2], 600);
    assert_true(p.black_1);
    assert_true(p.sgray_8);
    assert_int_equal(p.media_ready_count, 2);
    assert_string_equal(p.media_ready[0], "iso_a4_210x297mm");
    assert_int_equal(p.media_supported_count, 3);
    assert_string_equal(p.make_and_model, "HP LaserJet M211");

    /* "none" is no reason; a state sent as the wrong type is no state. */
    static const char *const none[] = {"none"};
    ipp_begin(&b);
    put8(&b, TAG_PRINTER);
    put_value(&b, TAG_KEYWORD, "printer-state", "idle", 4);
    ipp_strings(&b, TAG_KEYWORD, "printer-state-reasons", none, 1);
    ipp_resolution(&b, "printer-resolution-supported", 600, 600, 3); /* no PWG list: this one */
    put8(&b, TAG_END);
    assert_int_equal(certprinter_ipp_parse_printer(b.data, b.size, &p), 0);
    assert_int_equal(p.state, 0);
    assert_int_equal(p.reason_count, 0);
    assert_false(p.takes_pwg_raster);
    assert_int_equal(p.resolution_count, 1);
    assert_int_equal(p.resolutions[0], 600);

    /* Not IPP, or cut short: an error, never a half-read printer. */
    printer_response(&b, CERTPRINTER_IPP_PRINTER_IDLE, reasons, 2);
    for (size_t cut = 0; cut < b.size; cut += 7)
        assert_int_equal(certprinter_ipp_parse_printer(b.data, cut, &p), -EBADMSG);
    assert_int_equal(certprinter_ipp_parse_printer((const uint8_t *)"HTTP/1.1 404", 12, &p), -EBADMSG);
}

static void test_parse_job(void **state)
{
    (void)state;
    struct ipp_bytes b;
    static const char *const reasons[] = {"job-printing", "printer-stopped"};
    ipp_begin(&b);
    put8(&b, TAG_JOB);
    ipp_integer(&b, TAG_INTEGER, "job-id", 42);
    ipp_integer(&b, TAG_ENUM, "job-state", CERTPRINTER_IPP_JOB_PROCESSING_STOPPED);
    ipp_strings(&b, TAG_KEYWORD, "job-state-reasons", reasons, 2);
    put_value(&b, TAG_NAME, "job-name", "kiosk-LY-SIM-0001-7-1795828602", 30);
    ipp_integer(&b, TAG_INTEGER, "job-impressions-completed", 1);
    put8(&b, TAG_END);
    struct certprinter_ipp_job job;
    assert_int_equal(certprinter_ipp_parse_job(b.data, b.size, &job), 0);
    assert_int_equal(job.id, 42);
    assert_int_equal(job.state, CERTPRINTER_IPP_JOB_PROCESSING_STOPPED);
    assert_int_equal(job.reason_count, 2);
    assert_string_equal(job.reasons[1], "printer-stopped");
    assert_string_equal(job.name, "kiosk-LY-SIM-0001-7-1795828602");
    assert_int_equal(job.impressions_completed, 1);
    assert_int_equal(certprinter_ipp_parse_job(b.data, b.size - 1, &job), -EBADMSG);
    assert_int_equal(job.impressions_completed, -1);
}

/* ---- format ---- */

static void test_choose_format(void **state)
{
    (void)state;
    struct certprinter_ipp_printer p = { .takes_pwg_raster = true, .black_1 = true, .sgray_8 = true,
                                         .resolution_count = 2, .resolutions = {600, 300} };
    struct certprinter_ipp_format f;
    char err[200];
    assert_int_equal(certprinter_ipp_choose_format(&p, "iso_a4_210x297mm", &f, err, sizeof err), 0);
    assert_int_equal(f.dpi, 300);
    assert_false(f.gray8);
    assert_string_equal(f.media, "iso_a4_210x297mm");
    /* Nearest to 300; between two as near, the finer. */
    p.resolutions[0] = 600, p.resolutions[1] = 1200;
    assert_int_equal(certprinter_ipp_choose_format(&p, "iso_a4_210x297mm", &f, err, sizeof err), 0);
    assert_int_equal(f.dpi, 600);
    p.resolutions[0] = 200, p.resolutions[1] = 400;
    assert_int_equal(certprinter_ipp_choose_format(&p, "iso_a4_210x297mm", &f, err, sizeof err), 0);
    assert_int_equal(f.dpi, 400);
    /* Gray when the printer takes no 1-bit; neither is no format. */
    p.black_1 = false;
    assert_int_equal(certprinter_ipp_choose_format(&p, "iso_a4_210x297mm", &f, err, sizeof err), 0);
    assert_true(f.gray8);
    p.sgray_8 = false;
    assert_int_equal(certprinter_ipp_choose_format(&p, "iso_a4_210x297mm", &f, err, sizeof err), -ENOTSUP);
    p.black_1 = true;
    p.takes_pwg_raster = false;
    assert_int_equal(certprinter_ipp_choose_format(&p, "iso_a4_210x297mm", &f, err, sizeof err), -ENOTSUP);
    assert_non_null(strstr(err, "pwg-raster"));
    p.takes_pwg_raster = true;
    assert_int_equal(certprinter_ipp_choose_format(&p, "no_such_paper", &f, err, sizeof err), -ENOTSUP);

    /* media-ready: by name, by size under another name; silent printers are trusted. */
    struct certprinter_ipp_printer m = { .media_ready_count = 1 };
    strcpy(m.media_ready[0], "na_letter_8.5x11in");
    assert_false(certprinter_ipp_media_ready(&m, "iso_a4_210x297mm"));
    strcpy(m.media_ready[0], "iso_a4_210x297mm");
    assert_true(certprinter_ipp_media_ready(&m, "iso_a4_210x297mm"));
    strcpy(m.media_ready[0], "custom_a4-plain_210x297mm");
    assert_true(certprinter_ipp_media_ready(&m, "iso_a4_210x297mm"));
    assert_false(certprinter_ipp_media_ready(&m, "iso_a5_148x210mm"));
    m.media_ready_count = 0;
    assert_true(certprinter_ipp_media_ready(&m, "iso_a5_148x210mm"));
}

/* ---- PWG raster ---- */

/* An A4 page at 300 dpi with ink at known dots: a pseudo-random block, a frame, a last row. */
struct test_page {
    uint8_t *bits;
    struct certprinter_bitmap bitmap;
};

static void page_make(struct test_page *page, int width, int height)
{
    size_t stride = ((size_t)width + 7) / 8;
    page->bits = calloc(stride, (size_t)height);
    assert_non_null(page->bits);
    uint32_t seed = 12345;
    for (int y = 100; y < 400 && y < height; y++)
        for (int x = 100; x < 900 && x < width; x++) {
            seed = seed * 1103515245u + 12345u;
            if (seed & 0x10000)
                page->bits[(size_t)y * stride + (size_t)(x >> 3)] |= (uint8_t)(0x80u >> (x & 7));
        }
    for (int x = 0; x < width; x++) {
        page->bits[(size_t)(x >> 3)] |= (uint8_t)(0x80u >> (x & 7));                               /* top row */
        page->bits[(size_t)(height - 1) * stride + (size_t)(x >> 3)] |= (uint8_t)(0x80u >> (x & 7)); /* last */
    }
    page->bitmap = (struct certprinter_bitmap){ page->bits, width, height, stride };
}

static int dot_of(const uint8_t *bits, size_t stride, int x, int y)
{
    return (bits[(size_t)y * stride + (size_t)(x >> 3)] >> (7 - (x & 7))) & 1;
}

static void check_round_trip(const struct certprinter_bitmap *page, int dpi, bool gray8, int scale)
{
    struct certprinter_ipp_format f = { .dpi = dpi, .gray8 = gray8 };
    strcpy(f.media, "iso_a4_210x297mm");
    uint8_t *doc;
    size_t size;
    assert_int_equal(certprinter_ipp_encode_pwg(page, 1, 300, &f, &doc, &size), 0);
    assert_memory_equal(doc, "RaS2", 4);
    struct certprinter_pwg_page out[2];
    int count;
    assert_int_equal(certprinter_pwg_decode(doc, size, out, 2, &count), 0);
    assert_int_equal(count, 1);
    assert_int_equal(out[0].xdpi, dpi);
    assert_int_equal(out[0].ydpi, dpi);
    assert_int_equal(out[0].bits_per_pixel, gray8 ? 8 : 1);
    assert_string_equal(out[0].media, "iso_a4_210x297mm");
    assert_int_equal(out[0].page_width_pt, 595);
    assert_int_equal(out[0].page_height_pt, 841);
    assert_int_equal(out[0].total_pages, 1);
    /* 210 x 297 mm at the dpi, whole dots (libcups rounds down). */
    assert_int_equal(out[0].width, 21000 * dpi / 2540);
    assert_int_equal(out[0].height, 29700 * dpi / 2540);
    long diff = 0;
    for (int y = 0; y < out[0].height; y++)
        for (int x = 0; x < out[0].width; x++) {
            int sx = x / scale, sy = y / scale;
            int want = sx < page->width && sy < page->height ? dot_of(page->bits, page->stride, sx, sy) : 0;
            diff += dot_of(out[0].bits, out[0].stride, x, y) != want;
        }
    assert_int_equal(diff, 0);
    certprinter_pwg_free_pages(out, count);
    /* Cut anywhere, the document is refused, not half read. */
    assert_int_equal(certprinter_pwg_decode(doc, size / 2, out, 2, &count), -EBADMSG);
    assert_int_equal(count, 0);
    free(doc);
}

static void test_pwg_round_trip(void **state)
{
    (void)state;
    struct test_page page;
    page_make(&page, 2480, 3508); /* the page engine's A4: one row more than the PWG page */
    check_round_trip(&page.bitmap, 300, false, 1);
    check_round_trip(&page.bitmap, 300, true, 1);
    check_round_trip(&page.bitmap, 600, false, 2); /* every dot as 2 x 2, never resampled */
    free(page.bits);
    /* A page wider than A4 is cropped at the paper's edge, not wrapped. */
    page_make(&page, 2500, 100);
    check_round_trip(&page.bitmap, 300, false, 1);
    free(page.bits);
}

static void test_pwg_pages(void **state)
{
    (void)state;
    struct test_page a, b;
    page_make(&a, 2480, 3508);
    page_make(&b, 1000, 50);
    struct certprinter_bitmap pages[2] = { a.bitmap, b.bitmap };
    struct certprinter_ipp_format f = { .dpi = 300 };
    strcpy(f.media, "iso_a4_210x297mm");
    uint8_t *doc;
    size_t size;
    assert_int_equal(certprinter_ipp_encode_pwg(pages, 2, 300, &f, &doc, &size), 0);
    struct certprinter_pwg_page out[2];
    int count;
    assert_int_equal(certprinter_pwg_decode(doc, size, out, 2, &count), 0);
    assert_int_equal(count, 2);
    assert_int_equal(out[0].total_pages, 2);
    assert_int_equal(out[1].total_pages, 2);
    assert_int_equal(dot_of(out[1].bits, out[1].stride, 999, 49), 1);
    assert_int_equal(dot_of(out[1].bits, out[1].stride, 1000, 49), 0);
    assert_int_equal(dot_of(out[1].bits, out[1].stride, 500, 50), 0);
    certprinter_pwg_free_pages(out, count);
    free(doc);
    free(a.bits);
    free(b.bits);
    assert_int_equal(certprinter_pwg_decode((const uint8_t *)"RaS2 not really", 15, out, 2, &count), -EBADMSG);
    assert_int_equal(certprinter_pwg_decode((const uint8_t *)"%PDF-1.7", 8, out, 2, &count), -EBADMSG);
}

static void test_open_uri(void **state)
{
    (void)state;
    struct certprinter_ipp *ipp;
    char err[200];
    assert_int_equal(certprinter_ipp_open("ipp://localhost:60000/ipp/print", 1000, &ipp, err, sizeof err), 0);
    certprinter_ipp_close(ipp);
    assert_int_equal(certprinter_ipp_open("ipps://printer.local/ipp/print", 1000, &ipp, err, sizeof err), 0);
    certprinter_ipp_close(ipp);
    assert_int_equal(certprinter_ipp_open("socket://10.0.0.9:9100", 1000, &ipp, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "socket"));
    assert_int_equal(certprinter_ipp_open("not a uri", 1000, &ipp, err, sizeof err), -EINVAL);
    /* Nothing listens on port 1: a quick "not answering", never a hang. */
    assert_int_equal(certprinter_ipp_open("ipp://127.0.0.1:1/ipp/print", 2000, &ipp, err, sizeof err), 0);
    struct certprinter_ipp_printer p;
    long long start = certprinter_now_ms();
    int rc = certprinter_ipp_get_printer(ipp, &p);
    assert_true(rc == -ECONNREFUSED || rc == -EIO);
    assert_true(certprinter_now_ms() - start < 3000);
    assert_non_null(strstr(certprinter_ipp_last_error(ipp), "connection refused"));
    certprinter_ipp_close(ipp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_reason),      cmocka_unit_test(test_resident_words),
        cmocka_unit_test(test_printer_condition), cmocka_unit_test(test_parse_printer),
        cmocka_unit_test(test_parse_job),         cmocka_unit_test(test_choose_format),
        cmocka_unit_test(test_pwg_round_trip),    cmocka_unit_test(test_pwg_pages),
        cmocka_unit_test(test_open_uri),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
