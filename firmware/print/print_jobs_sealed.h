/* Print job payloads that hold personal data (a licence page), sealed at rest with the
 * unit's device key (trust.h: AES-GCM, bound to the job's kind) and opened only in memory
 * to be sent. Both certificate back ends (PCL, IPP) store their pages this way; with a NULL
 * sealer (test pages) the payload is stored and read as it is. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "firmware/storage/db.h"
#include "firmware/print/print_jobs.h"
#include "firmware/platform/trust.h"

/* print_jobs_add with the payload sealed when sealer is not NULL. 0 with *id, or -1
 * (db_error; -1 with db_error unchanged when sealing failed: out of memory). */
int print_jobs_add_sealed(struct db *db, const struct trust_sealer *sealer, enum print_printer printer,
                          const char *kind, const uint8_t *payload, size_t size, int64_t now, int64_t *id);

/* The job's payload in memory, opened when sealer is not NULL (malloc'd; the caller wipes
 * and frees it). 0, 1 no such job, -1 database error, -2 a sealed payload that does not
 * open (another unit's key, tampered). */
int print_jobs_open_payload(struct db *db, const struct trust_sealer *sealer, int64_t id, uint8_t **payload,
                            size_t *size);
