/* What a printer (or anything on its port) answers, read the way the certificate printer's
 * IPP back end reads it: the bytes as a Get-Printer-Attributes response, as a job's
 * attributes, and as a PWG raster document (the decoder the tests and the sim use, and the
 * first-header reader a stored job goes through). libcups
 * parses the wire format; what we take out of it must stay within its bounds, strings
 * terminated, every reason mapped, and a PWG page never larger than its header allows. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "drivers/certprinter/certprinter_ipp.h"
#include "fuzz_check.h"

static void check_text(const char *s, size_t size)
{
    FUZZ_CHECK(memchr(s, '\0', size) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct certprinter_ipp_printer printer;
    int r = certprinter_ipp_parse_printer(data, size, &printer);
    FUZZ_CHECK(r == 0 || r == -EBADMSG);
    FUZZ_CHECK(printer.reason_count >= 0 && printer.reason_count <= CERTPRINTER_IPP_REASONS_MAX);
    FUZZ_CHECK(printer.resolution_count >= 0 && printer.resolution_count <= CERTPRINTER_IPP_LIST_MAX);
    FUZZ_CHECK(printer.media_ready_count >= 0 && printer.media_ready_count <= CERTPRINTER_IPP_LIST_MAX);
    check_text(printer.state_message, sizeof printer.state_message);
    check_text(printer.make_and_model, sizeof printer.make_and_model);
    for (int i = 0; i < printer.reason_count; i++) {
        check_text(printer.reasons[i], sizeof printer.reasons[i]);
        enum certprinter_condition c = certprinter_ipp_reason_condition(printer.reasons[i], NULL);
        FUZZ_CHECK(strcmp(certprinter_condition_name(c), "unknown") != 0);
    }
    for (int i = 0; i < printer.resolution_count; i++)
        FUZZ_CHECK(printer.resolutions[i] > 0 && printer.resolutions[i] <= 4800);
    for (int i = 0; i < printer.media_ready_count; i++)
        check_text(printer.media_ready[i], sizeof printer.media_ready[i]);
    bool blocking;
    enum certprinter_condition worst = certprinter_ipp_printer_condition(&printer, &blocking);
    FUZZ_CHECK(certprinter_condition_technician_text(worst) != NULL);
    struct certprinter_ipp_format format;
    char err[256];
    if (certprinter_ipp_choose_format(&printer, "iso_a4_210x297mm", &format, err, sizeof err) == 0)
        FUZZ_CHECK(format.dpi > 0 && format.dpi <= 4800);
    (void)certprinter_ipp_media_ready(&printer, "iso_a4_210x297mm");

    struct certprinter_ipp_job job;
    r = certprinter_ipp_parse_job(data, size, &job);
    FUZZ_CHECK(r == 0 || r == -EBADMSG);
    FUZZ_CHECK(job.reason_count >= 0 && job.reason_count <= CERTPRINTER_IPP_REASONS_MAX);
    check_text(job.name, sizeof job.name);
    check_text(job.state_message, sizeof job.state_message);

    struct certprinter_pwg_page pages[2];
    int count;
    r = certprinter_pwg_decode(data, size, pages, 2, &count);
    FUZZ_CHECK(r == 0 || r == -EBADMSG || r == -ENOMEM);
    FUZZ_CHECK(r == 0 ? count >= 1 && count <= 2 : count == 0);
    for (int i = 0; i < count; i++) {
        FUZZ_CHECK(pages[i].bits && pages[i].width > 0 && pages[i].height > 0);
        FUZZ_CHECK(pages[i].width <= 20000 && pages[i].height <= 20000);
        /* the last dot is there to read */
        volatile uint8_t last = pages[i].bits[(size_t)(pages[i].height - 1) * pages[i].stride + pages[i].stride - 1];
        (void)last;
    }
    certprinter_pwg_free_pages(pages, count);

    /* The first header, as a stored job's media and format are read before it is sent. */
    struct certprinter_pwg_first first;
    r = certprinter_pwg_peek(data, size, &first);
    FUZZ_CHECK(r == 0 || r == -EBADMSG);
    if (r == 0) {
        FUZZ_CHECK(first.xdpi > 0 && first.xdpi <= 4800 && first.ydpi > 0 && first.ydpi <= 4800);
        FUZZ_CHECK(first.bits_per_pixel == 1 || first.bits_per_pixel == 8);
        check_text(first.media, sizeof first.media);
    }
    return 0;
}
