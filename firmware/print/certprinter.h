/* The certificate printer as the rest of the kiosk sees it. One back end (certprinter_backend.h:
 * IPP when the printer's address is ipp://, ipps://, http:// or https://, else PCL) is chosen
 * once at start; everything here calls through its table. Both post MSG_PRINT_JOB (printer =
 * certificate) and MSG_DEVICE_STATUS the same way (print_worker.h).
 *
 * A screen hands content only (which licence, for what, printed when); layout, raster, seal,
 * encoding and the job row all happen on the printer's worker thread, never the UI's. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/certprinter/pcl.h"
#include "firmware/core/msgqueue.h"
#include "firmware/platform/platform_json.h"
#include "firmware/print/print_page.h"
#include "firmware/print/print_raster.h"
#include "firmware/storage/config.h"

struct print_worker_status;

struct certprinter_options {
    const char *address;            /* the printer (config device_address, as the board resolved it) */
    const struct config *config;    /* copied: unit id, paper, registration offset; defaults when NULL */
    const char *db_path;            /* the unit's database (print_jobs) */
    const char *device_key_path;    /* seals every stored page; NULL stores them plain (tests) */
    int poll_interval_ms;           /* printer state while idle; 5000 when 0 */
    /* IPP */
    int request_timeout_ms;         /* connect and each IPP request; 5000 when 0 */
    int job_timeout_ms;             /* a job from Print-Job to its end; 120000 when 0 */
    /* PCL: set to use these instead of what the address offers (the sim board's model) */
    pcl_port_status_fn port_status;
    pcl_soft_reset_fn soft_reset;
    void *link_context;
    int write_timeout_ms;           /* per chunk; the runner's default when 0 */
};

#define CERTPRINTER_PAPERS_MAX 4
#define CERTPRINTER_DPI_MAX 8

/* What the chosen back end can print. */
struct certprinter_capabilities {
    const char *backend;                            /* "ipp", "pcl" */
    const char *document_format;                    /* what goes to the printer (MIME type) */
    int paper_count;
    enum print_paper papers[CERTPRINTER_PAPERS_MAX];
    int dpi_count;
    int dpi[CERTPRINTER_DPI_MAX];                   /* ascending */
    bool colour;                                    /* false: 1-bit black (or 8-bit grey) only */
    bool duplex;
    bool from_printer;                              /* narrowed by the printer's own answer */
};

/* The back end for an address ("ipp", "pcl"). */
const char *certprinter_backend_for(const char *address);
/* Chooses the back end from options->address and starts its worker. 0, or a negative errno
 * (nothing posted then): -EINVAL an address no back end takes, -EIO the device key. */
int certprinter_start(struct msgqueue *queue, const struct certprinter_options *options);
void certprinter_stop(void);
/* The chosen back end's name; NULL before start. */
const char *certprinter_backend_name(void);

/* A verified licence printed: a copy of it (wiped on the worker once rendered, and on every
 * failure path), the purpose the resident stated and the print time ("2026-11-28 09:30"),
 * both in the watermark. 0; -ESRCH when no worker runs; -ENOMEM. The job's id arrives with
 * its first MSG_PRINT_JOB; a page that cannot be made ends as MSG_PRINT_JOB failed, id 0. */
int certprinter_submit_licence(const struct platform_licence *licence, const char *purpose, const char *print_time);
/* A 1-bit page at dpi on paper (copied; wiped with the job), encoded on the worker. */
int certprinter_submit_page(const char *kind, const struct print_bitmap *page, int dpi, enum print_paper paper);
/* A failed, retryable job sent again by the back end. 0, -ESRCH, -ENOMEM. */
int certprinter_retry_job(int64_t job_id);
/* A job that waits (queued, or failed and retryable) cancelled in the job table: failed for
 * good, its page emptied, MSG_PRINT_JOB failed posted. 0, -ESRCH, -ENOMEM. */
int certprinter_cancel_job(int64_t job_id);
void certprinter_status(struct print_worker_status *status);
/* What the chosen back end prints; -ESRCH before start. */
int certprinter_capabilities(struct certprinter_capabilities *capabilities);
/* PWG media name of the page engine's paper ("iso_a4_210x297mm"). */
const char *certprinter_pwg_media(enum print_paper paper);

/* The same page made on the calling thread (layout, raster, encode for the chosen back end):
 * what the worker does with a licence; for benches and tests, never for a screen. 0 with a
 * malloc'd document, or -1 with err. */
int certprinter_make_licence_document(const struct platform_licence *licence, const char *purpose,
                                      const char *print_time, uint8_t **document, size_t *size, char *err,
                                      size_t errlen);
