/* The guide receipt (打印办事指南): what a resident takes home after reading a guide at
 * night — the item, its time limit and cost, where to go, what to bring, and a QR code to
 * the guide online. */
#pragma once
#include "firmware/catalogue/catalogue.h"
#include "firmware/print/receipt.h"

/* Adds the guide of item to receipt (in the current language), with the footer. 0 or -ENOMEM. */
int receipt_guide_build(struct receipt *receipt, const struct catalogue *catalogue, const struct catalogue_item *item,
                        const char *unit_id, const char *time_text);
/* The guide of item printed on the receipt printer: its blocks made here (text only, in the
 * current language), drawn and encoded on the receipt printer's worker (receipt_worker.h).
 * 0, -ENOMEM, or -ESRCH when no worker runs. */
int receipt_submit_guide(const struct catalogue *catalogue, const struct catalogue_item *item, const char *unit_id,
                         const char *time_text);
