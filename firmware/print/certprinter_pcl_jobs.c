/* certprinter_pcl_jobs: PCL certificate jobs in the job table (see certprinter_pcl_jobs.h). */
#include "firmware/print/certprinter_pcl_jobs.h"

#include <stdlib.h>
#include <string.h>

#include "firmware/print/print_jobs_sealed.h"

int certprinter_pcl_jobs_add(struct db *db, const struct trust_sealer *sealer, const char *kind, const uint8_t *pcl,
                             size_t size, int64_t now, int64_t *id)
{
    return print_jobs_add_sealed(db, sealer, PRINT_PRINTER_CERTIFICATE, kind, pcl, size, now, id);
}

int certprinter_pcl_jobs_send_claimed(struct db *db, const struct trust_sealer *sealer, struct pcl_printer *printer,
                                      int64_t id, int64_t now, struct certprinter_pcl_jobs_run *run)
{
    memset(run, 0, sizeof *run);
    uint8_t *pcl = NULL;
    size_t size = 0;
    int rc = print_jobs_open_payload(db, sealer, id, &pcl, &size);
    if (rc == 1 || rc == -1)
        return -1; /* claimed, so it is there: the database failed */
    if (rc == -2) {
        run->result.outcome = PCL_JOB_FAILED_FINAL;
        run->result.reason = PCL_JOB_REASON_INVALID_JOB;
        rc = print_jobs_finish_failed(db, id, false, CERTPRINTER_PCL_JOBS_KEY_REFUSED, now);
    } else {
        pcl_printer_send_job(printer, pcl, size, &run->result);
        explicit_bzero(pcl, size); /* the licence's page leaves memory with the job */
        if (run->result.outcome == PCL_JOB_PRINTED)
            rc = print_jobs_finish_printed(db, id, now);
        else
            rc = print_jobs_finish_failed(db, id, run->result.outcome == PCL_JOB_FAILED_RETRYABLE,
                                          pcl_job_reason_text(run->result.reason), now);
    }
    free(pcl);
    if (rc < 0)
        return -1;
    return print_jobs_get(db, id, &run->job) < 0 ? -1 : 0;
}

int certprinter_pcl_jobs_run(struct db *db, const struct trust_sealer *sealer, struct pcl_printer *printer, int64_t id,
                             int64_t now, struct certprinter_pcl_jobs_run *run)
{
    memset(run, 0, sizeof *run);
    /* Claimed before the first byte: a crash from here on leaves it `sending`, never resent. */
    int claim = print_jobs_claim(db, id, now);
    if (claim != 0)
        return claim;
    return certprinter_pcl_jobs_send_claimed(db, sealer, printer, id, now, run);
}

int certprinter_pcl_jobs_recover(struct db *db, int64_t now, int *count)
{
    return print_jobs_mark_interrupted(db, PRINT_PRINTER_CERTIFICATE,
                                       "interrupted by a restart while sending: a PCL printer cannot say whether "
                                       "the page came out; retry by hand",
                                       now, count);
}
