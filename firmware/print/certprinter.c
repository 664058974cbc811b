/* certprinter: a page to whichever certificate printer worker runs (see certprinter.h). */
#include "firmware/print/certprinter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/certprinter/certprinter_ipp.h"
#include "firmware/print/certprinter_ipp_worker.h"
#include "firmware/print/certprinter_pcl_worker.h"
#include "drivers/certprinter/pcl.h"

const char *certprinter_pwg_media(enum print_paper paper)
{
    return paper == PRINT_PAPER_A5 ? "iso_a5_148x210mm" : "iso_a4_210x297mm";
}

/* Black_1 at the page's own dpi: what the page engine drew, dot for dot. The worker fits it
 * to the printer (sgray_8, another resolution) when it sends it, so the job can be stored
 * even while the printer does not answer. */
static int certprinter_submit_ipp(const char *kind, const struct print_bitmap *page, int dpi, enum print_paper paper)
{
    struct certprinter_ipp_format format = { .dpi = dpi, .gray8 = false };
    strcpy(format.media, certprinter_pwg_media(paper));
    const struct certprinter_bitmap bitmap = { page->bits, page->width, page->height, page->stride };
    uint8_t *document;
    size_t size;
    int rc = certprinter_ipp_encode_pwg(&bitmap, 1, dpi, &format, &document, &size);
    if (rc < 0)
        return rc;
    rc = certprinter_ipp_worker_submit(kind, document, size);
    explicit_bzero(document, size);
    free(document);
    return rc;
}

static int certprinter_submit_pcl(const char *kind, const struct print_bitmap *page, int dpi, enum print_paper paper)
{
    struct pcl_buffer job;
    pcl_buffer_init(&job);
    const struct pcl_bitmap pcl_page = { page->bits, page->width, page->height, page->stride };
    int rc = pcl_encode_job(&job, &pcl_page, paper == PRINT_PAPER_A5 ? PCL_PAPER_A5 : PCL_PAPER_A4, dpi);
    if (rc == 0)
        rc = certprinter_pcl_worker_submit(kind, job.bytes, job.len);
    if (job.bytes)
        explicit_bzero(job.bytes, job.len);
    pcl_buffer_free(&job);
    return rc;
}

int certprinter_submit_page(const char *kind, const struct print_bitmap *page, int dpi, enum print_paper paper)
{
    if (certprinter_ipp_worker_running())
        return certprinter_submit_ipp(kind, page, dpi, paper);
    return certprinter_submit_pcl(kind, page, dpi, paper);
}

int certprinter_retry_job(int64_t job_id)
{
    if (certprinter_ipp_worker_running())
        return certprinter_ipp_worker_retry(job_id);
    return certprinter_pcl_worker_retry(job_id);
}
