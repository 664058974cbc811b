/* The certificate printer's back ends behind one table of operations, as curl's TLS back
 * ends are (lib/vtls): certprinter.c picks one entry ONCE at start from the printer's address
 * and calls through it; no function there asks which back end it is.
 *
 * The entries, in the order an address is offered to them (the last takes any address):
 *   ipp  certprinter_ipp_backend.c  ipp://, ipps://, http://, https:// (IPP Everywhere, ipp-usb)
 *   pcl  certprinter_pcl_backend.c  anything else: a path, usb:VID:PID, the sim board's link
 * A third back end is one new file that defines
 *     const struct certprinter_backend certprinter_backend_NAME = { ... };
 * (its worker on print_worker.h) and its NAME in CERTPRINTER_BACKENDS below, before pcl. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "firmware/core/msgqueue.h"
#include "firmware/print/certprinter.h"
#include "firmware/print/job_inbox.h"
#include "firmware/print/print_worker.h"

#define CERTPRINTER_BACKENDS(X) X(ipp) X(pcl)

struct certprinter_backend {
    const char *name;
    /* Is this address this back end's printer? Asked once, at start. */
    bool (*handles)(const char *address);
    /* 0 or a negative errno (nothing posted then). options->config is set (certprinter.c). */
    int (*start)(struct msgqueue *queue, const struct certprinter_options *options);
    void (*stop)(void);
    /* From any thread: a new job as content made into this back end's document on its worker
     * by prepare (which calls encode). Owns content from here, also on failure. */
    int (*submit)(const char *kind, job_prepare_fn prepare, void *content, void (*content_free)(void *content));
    /* From any thread: a failed, retryable job sent again; a waiting job cancelled. */
    int (*retry)(int64_t job_id);
    int (*cancel)(int64_t job_id);
    /* From any thread: running, and usable as the printer last said. */
    void (*status)(struct print_worker_status *status);
    /* From any thread: what this back end can print (and, once asked, what its printer takes). */
    void (*capabilities)(struct certprinter_capabilities *capabilities);
    /* On the worker thread: a 1-bit page as this back end's document (malloc'd). 0, or -1
     * with one line in err. */
    int (*encode)(const struct print_bitmap *page, int dpi, enum print_paper paper, uint8_t **document, size_t *size,
                  char *err, size_t errlen);
};

#define CERTPRINTER_BACKEND_DECLARE(name) extern const struct certprinter_backend certprinter_backend_##name;
CERTPRINTER_BACKENDS(CERTPRINTER_BACKEND_DECLARE)
#undef CERTPRINTER_BACKEND_DECLARE
