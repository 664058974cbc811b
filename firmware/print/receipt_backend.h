/* The receipt printer's back ends behind one table, as the certificate printer's are
 * (certprinter_backend.h): today one entry, ESC/POS (receipt_escpos.c). The front
 * (receipt_worker.h) starts the entry and calls through it; nothing else names it. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "drivers/escpos/escpos_profile.h"
#include "firmware/core/msgqueue.h"
#include "firmware/print/print_worker.h"
#include "firmware/print/receipt_worker.h"

struct receipt_backend {
    const char *name;
    int (*start)(struct msgqueue *queue, const struct receipt_worker_options *options);
    void (*stop)(void);
    /* The worker that holds its jobs: submit, content, retry, cancel and status go to it. */
    struct print_worker *(*worker)(void);
    /* The profile a receipt is laid out for (any thread). */
    const struct escpos_profile *(*profile)(void);
    /* On the worker thread: a laid-out receipt (receipt.h) as this printer's job bytes. */
    job_prepare_fn encode;
};

extern const struct receipt_backend receipt_backend_escpos;
