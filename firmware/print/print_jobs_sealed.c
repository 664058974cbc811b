/* print_jobs_sealed: sealed print job payloads (see print_jobs_sealed.h). */
#include "firmware/print/print_jobs_sealed.h"

#include <stdlib.h>
#include <string.h>

int print_jobs_add_sealed(struct db *db, const struct trust_sealer *sealer, enum print_printer printer,
                          const char *kind, const uint8_t *payload, size_t size, int64_t now, int64_t *id)
{
    if (!sealer)
        return print_jobs_add(db, printer, kind, payload, size, now, id);
    uint8_t *sealed = malloc(size + TRUST_SEAL_OVERHEAD);
    if (!sealed || trust_seal(sealer, payload, size, kind, strlen(kind), sealed) < 0) {
        free(sealed);
        return -1;
    }
    int rc = print_jobs_add(db, printer, kind, sealed, size + TRUST_SEAL_OVERHEAD, now, id);
    free(sealed);
    return rc;
}

int print_jobs_open_payload(struct db *db, const struct trust_sealer *sealer, int64_t id, uint8_t **payload,
                            size_t *size)
{
    void *stored = NULL;
    size_t stored_size = 0;
    *payload = NULL;
    *size = 0;
    int rc = print_jobs_load_payload(db, id, &stored, &stored_size);
    if (rc != 0 || !sealer) {
        *payload = stored;
        *size = stored_size;
        return rc;
    }
    struct print_job job;
    rc = print_jobs_get(db, id, &job);
    uint8_t *plain = stored_size >= TRUST_SEAL_OVERHEAD ? malloc(stored_size - TRUST_SEAL_OVERHEAD + 1) : NULL;
    if (rc != 0 || !plain || trust_open(sealer, stored, stored_size, job.kind, strlen(job.kind), plain) < 0) {
        free(plain);
        free(stored);
        return rc != 0 ? rc : -2;
    }
    free(stored);
    *payload = plain;
    *size = stored_size - TRUST_SEAL_OVERHEAD;
    return 0;
}
