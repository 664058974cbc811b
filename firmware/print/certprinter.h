/* The certificate printer as the screens see it: a page handed to whichever back end the unit
 * has, encoded for it here (PWG raster for the IPP worker when the printer is ipp://, ipps://
 * or http://; PCL raster for the PCL worker otherwise), and a retry of a failed job. Both
 * workers post MSG_PRINT_JOB (printer = certificate) and MSG_DEVICE_STATUS the same way. */
#pragma once
#include <stdint.h>

#include "firmware/print/print_page.h"
#include "firmware/print/print_raster.h"

/* A 1-bit page at dpi on paper. 0; -ESRCH when no certificate printer worker runs; -ENOMEM,
 * -EINVAL. The job's id arrives with its first MSG_PRINT_JOB. The encoded copy is wiped
 * here; the caller wipes its page. */
int certprinter_submit_page(const char *kind, const struct print_bitmap *page, int dpi, enum print_paper paper);
/* A failed, retryable job sent again by the back end that holds it. 0, -ESRCH, -ENOMEM. */
int certprinter_retry_job(int64_t job_id);
/* PWG media name of the page engine's paper ("iso_a4_210x297mm"). */
const char *certprinter_pwg_media(enum print_paper paper);
