/* certprinter_pcl_jobs: PCL certificate jobs in the job table (see certprinter_pcl_jobs.h). */
#include "certprinter_pcl_jobs.h"

#include <stdlib.h>
#include <string.h>

int certprinter_pcl_jobs_add(struct db *db, const char *kind, const uint8_t *pcl, size_t size, int64_t now,
                             int64_t *id)
{
    return print_jobs_add(db, PRINT_PRINTER_CERTIFICATE, kind, pcl, size, now, id);
}

int certprinter_pcl_jobs_run(struct db *db, struct pcl_printer *printer, int64_t id, int64_t now,
                             struct certprinter_pcl_jobs_run *run)
{
    memset(run, 0, sizeof *run);
    void *payload = NULL;
    size_t size = 0;
    int rc = print_jobs_load_payload(db, id, &payload, &size);
    if (rc != 0)
        return rc;
    /* Claimed before the first byte: a crash from here on leaves it `sending`, never resent. */
    rc = print_jobs_claim(db, id, now);
    if (rc != 0) {
        free(payload);
        return rc;
    }
    pcl_printer_send_job(printer, payload, size, &run->result);
    free(payload);
    if (run->result.outcome == PCL_JOB_PRINTED)
        rc = print_jobs_finish_printed(db, id, now);
    else
        rc = print_jobs_finish_failed(db, id, run->result.outcome == PCL_JOB_FAILED_RETRYABLE,
                                      pcl_job_reason_text(run->result.reason), now);
    if (rc < 0)
        return -1;
    return print_jobs_get(db, id, &run->job) < 0 ? -1 : 0;
}

int certprinter_pcl_jobs_recover(struct db *db, int64_t now, int *count)
{
    return print_jobs_mark_interrupted(db, PRINT_PRINTER_CERTIFICATE,
                                       "interrupted by a restart while sending: a PCL printer cannot say whether "
                                       "the page came out; retry by hand",
                                       now, count);
}
