/* certprinter: the certificate printer's front, calling through the back end chosen at start
 * (see certprinter.h, certprinter_backend.h). */
#include "firmware/print/certprinter.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/core/log.h"
#include "firmware/print/certprinter_backend.h"
#include "firmware/print/licence_print.h"

#define CERTPRINTER_BACKEND_ENTRY(name) &certprinter_backend_##name,
static const struct certprinter_backend *const certprinter_backends[] = {
    CERTPRINTER_BACKENDS(CERTPRINTER_BACKEND_ENTRY)
};
#undef CERTPRINTER_BACKEND_ENTRY
#define CERTPRINTER_BACKEND_COUNT (sizeof certprinter_backends / sizeof certprinter_backends[0])

/* Set at start, before the worker runs; read-only while it runs (the worker reads config). */
static struct {
    const struct certprinter_backend *backend;
    struct config config;
} certprinter;

/* A licence as the screen handed it: personal data, wiped when dropped. */
struct certprinter_licence_job {
    struct platform_licence licence;
    char purpose[128];
    char print_time[32];
};

struct certprinter_page_job {
    struct print_bitmap page;
    int dpi;
    enum print_paper paper;
};

const char *certprinter_pwg_media(enum print_paper paper)
{
    return paper == PRINT_PAPER_A5 ? "iso_a5_148x210mm" : "iso_a4_210x297mm";
}

static const struct certprinter_backend *certprinter_choose(const char *address)
{
    for (size_t i = 0; i < CERTPRINTER_BACKEND_COUNT; i++)
        if (certprinter_backends[i]->handles(address))
            return certprinter_backends[i];
    return NULL;
}

const char *certprinter_backend_for(const char *address)
{
    const struct certprinter_backend *backend = address ? certprinter_choose(address) : NULL;
    return backend ? backend->name : NULL;
}

int certprinter_start(struct msgqueue *queue, const struct certprinter_options *options)
{
    if (certprinter.backend)
        return -EALREADY;
    const struct certprinter_backend *backend = options->address ? certprinter_choose(options->address) : NULL;
    if (!backend)
        return -EINVAL;
    if (options->config)
        certprinter.config = *options->config;
    else
        config_set_defaults(&certprinter.config);
    struct certprinter_options own = *options;
    own.config = &certprinter.config;
    int rc = backend->start(queue, &own);
    if (rc < 0)
        return rc;
    log_info("certprinter", "back end %s for %s", backend->name, options->address);
    certprinter.backend = backend;
    return 0;
}

void certprinter_stop(void)
{
    if (!certprinter.backend)
        return;
    certprinter.backend->stop();
    certprinter.backend = NULL;
}

const char *certprinter_backend_name(void)
{
    return certprinter.backend ? certprinter.backend->name : NULL;
}

static int certprinter_encode(const struct print_bitmap *page, int dpi, enum print_paper paper, uint8_t **document,
                              size_t *size, char *err, size_t errlen)
{
    if (!certprinter.backend) {
        snprintf(err, errlen, "no certificate printer back end");
        return -1;
    }
    return certprinter.backend->encode(page, dpi, paper, document, size, err, errlen);
}

static void certprinter_wipe_page(struct print_bitmap *page)
{
    if (page->bits)
        explicit_bzero(page->bits, page->stride * (size_t)page->height); /* the page shows the holder's data */
    print_bitmap_free(page);
}

int certprinter_make_licence_document(const struct platform_licence *licence, const char *purpose,
                                      const char *print_time, uint8_t **document, size_t *size, char *err,
                                      size_t errlen)
{
    struct print_bitmap page;
    enum print_paper paper;
    if (licence_print_render(licence, purpose, print_time, &certprinter.config, &page, &paper, err, errlen) < 0)
        return -1;
    int rc = certprinter_encode(&page, LICENCE_PRINT_DPI, paper, document, size, err, errlen);
    certprinter_wipe_page(&page);
    return rc;
}

/* On the worker thread. */
static int certprinter_prepare_licence(void *context, const void *content, uint8_t **document, size_t *size,
                                       char *err, size_t errlen)
{
    (void)context;
    const struct certprinter_licence_job *job = content;
    return certprinter_make_licence_document(&job->licence, job->purpose, job->print_time, document, size, err,
                                             errlen);
}

static void certprinter_free_licence(void *content)
{
    struct certprinter_licence_job *job = content;
    if (job->licence.text) {
        explicit_bzero(job->licence.text, job->licence.text_size);
        free(job->licence.text);
    }
    explicit_bzero(job, sizeof *job);
    free(job);
}

/* A string of the original's text buffer, the same string in the copy's. */
static const char *certprinter_rebase(const char *p, const struct platform_licence *from, char *to)
{
    if (p && from->text && p >= from->text && p < from->text + from->text_size)
        return to + (p - from->text);
    return p; /* a constant ("" for a member the platform left out) */
}

/* The licence with its own text buffer: the screen's may be wiped (session end) while the
 * worker still lays the page out. 0 or -ENOMEM. */
static int certprinter_copy_licence(const struct platform_licence *from, struct platform_licence *to)
{
    *to = *from;
    to->text = NULL;
    if (!from->text)
        return 0;
    char *text = malloc(from->text_size);
    if (!text)
        return -ENOMEM;
    memcpy(text, from->text, from->text_size);
    const char **const strings[] = { &to->licence_id, &to->name, &to->type_name, &to->number, &to->issuer,
                                     &to->issued_on, &to->valid_to, &to->status, &to->holder, &to->holder_code,
                                     &to->title, &to->issuer_line, &to->seal_text, &to->watermark, &to->qr,
                                     &to->footer };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        *strings[i] = certprinter_rebase(*strings[i], from, text);
    for (size_t i = 0; i < PLATFORM_LICENCE_FIELDS_MAX; i++) {
        to->field_labels[i] = certprinter_rebase(to->field_labels[i], from, text);
        to->field_values[i] = certprinter_rebase(to->field_values[i], from, text);
    }
    to->text = text;
    return 0;
}

int certprinter_submit_licence(const struct platform_licence *licence, const char *purpose, const char *print_time)
{
    if (!certprinter.backend)
        return -ESRCH;
    struct certprinter_licence_job *job = calloc(1, sizeof *job);
    if (!job)
        return -ENOMEM;
    if (certprinter_copy_licence(licence, &job->licence) < 0) {
        free(job);
        return -ENOMEM;
    }
    snprintf(job->purpose, sizeof job->purpose, "%s", purpose ? purpose : "");
    snprintf(job->print_time, sizeof job->print_time, "%s", print_time ? print_time : "");
    return certprinter.backend->submit("licence", certprinter_prepare_licence, job, certprinter_free_licence);
}

static int certprinter_prepare_page(void *context, const void *content, uint8_t **document, size_t *size, char *err,
                                    size_t errlen)
{
    (void)context;
    const struct certprinter_page_job *job = content;
    return certprinter_encode(&job->page, job->dpi, job->paper, document, size, err, errlen);
}

static void certprinter_free_page(void *content)
{
    struct certprinter_page_job *job = content;
    certprinter_wipe_page(&job->page);
    free(job);
}

int certprinter_submit_page(const char *kind, const struct print_bitmap *page, int dpi, enum print_paper paper)
{
    if (!certprinter.backend)
        return -ESRCH;
    if (!page->bits || page->width <= 0 || page->height <= 0)
        return -EINVAL;
    struct certprinter_page_job *job = calloc(1, sizeof *job);
    const size_t bytes = page->stride * (size_t)page->height;
    uint8_t *bits = job ? malloc(bytes) : NULL;
    if (!bits) {
        free(job);
        return -ENOMEM;
    }
    memcpy(bits, page->bits, bytes);
    job->page = (struct print_bitmap){ page->width, page->height, page->stride, bits };
    job->dpi = dpi;
    job->paper = paper;
    return certprinter.backend->submit(kind, certprinter_prepare_page, job, certprinter_free_page);
}

int certprinter_retry_job(int64_t job_id)
{
    return certprinter.backend ? certprinter.backend->retry(job_id) : -ESRCH;
}

int certprinter_cancel_job(int64_t job_id)
{
    return certprinter.backend ? certprinter.backend->cancel(job_id) : -ESRCH;
}

void certprinter_status(struct print_worker_status *status)
{
    if (certprinter.backend) {
        certprinter.backend->status(status);
        return;
    }
    memset(status, 0, sizeof *status);
    status->usable = -1;
}

int certprinter_capabilities(struct certprinter_capabilities *capabilities)
{
    memset(capabilities, 0, sizeof *capabilities);
    if (!certprinter.backend)
        return -ESRCH;
    certprinter.backend->capabilities(capabilities);
    return 0;
}
