/* receipt_worker: the receipt printer's front, calling through the back end table
 * (receipt_backend.h). One entry today; a second would be one file and one line below. */
#include "firmware/print/receipt_worker.h"

#include <errno.h>
#include <stdio.h>

#include "firmware/print/receipt.h"
#include "firmware/print/receipt_backend.h"

static const struct receipt_backend *const receipt_backends[] = {
    &receipt_backend_escpos,
};

/* Chosen at start; the only one today. */
static const struct receipt_backend *receipt_backend = receipt_backends[0];

int receipt_worker_start(struct msgqueue *queue, const struct receipt_worker_options *options)
{
    receipt_backend = receipt_backends[0];
    return receipt_backend->start(queue, options);
}

void receipt_worker_stop(void)
{
    receipt_backend->stop();
}

const struct escpos_profile *receipt_worker_profile(void)
{
    return receipt_backend->profile();
}

int receipt_worker_submit(const char *kind, const uint8_t *job, size_t len)
{
    return print_worker_submit(receipt_backend->worker(), kind, job, len);
}

static void receipt_worker_free_receipt(void *content)
{
    receipt_free(content);
}

int receipt_worker_submit_receipt(const char *kind, struct receipt *receipt)
{
    if (!receipt)
        return -ENOMEM;
    return print_worker_submit_content(receipt_backend->worker(), kind, receipt_backend->encode, NULL, receipt,
                                       receipt_worker_free_receipt);
}

int receipt_worker_retry(int64_t job_id)
{
    return print_worker_retry(receipt_backend->worker(), job_id);
}

int receipt_worker_cancel(int64_t job_id)
{
    return print_worker_cancel(receipt_backend->worker(), job_id);
}

void receipt_worker_status(struct print_worker_status *status)
{
    print_worker_status(receipt_backend->worker(), status);
}
