/* The outbox: what the kiosk owes the platform (applications, evaluations, problem reports,
 * telemetry), kept in the unit's SQLite file until the platform has it.
 *
 * - Each record gets a random UUID as its Idempotency-Key when it is written; every attempt
 *   sends the same key and body, so the platform applies it once however often it arrives
 *   (docs/platform-api.md §0). Delivery is at least once: a record is marked delivered only
 *   after the platform's 2xx, in its own transaction.
 * - Per kind, records go in the order they were written: the next one of a kind is always
 *   the oldest pending one, and while it waits for its retry the later ones wait too.
 * - The body (the request JSON, which holds personal data) is sealed with AES-256-GCM under
 *   the device key (trust.h), the idempotency key as aad; it is never logged.
 * - Every state change is one transaction (WAL, synchronous=FULL): a power cut loses none.
 *
 * One struct outbox per thread (it owns a database connection). Errors: -1 with one line in
 * err (or outbox_error()). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum outbox_kind { OUTBOX_APPLICATION, OUTBOX_EVALUATION, OUTBOX_REPORT, OUTBOX_TELEMETRY, OUTBOX_KIND_COUNT };

struct outbox;

struct outbox_entry {
    int64_t id;
    enum outbox_kind kind;
    char idempotency_key[37];
    char *body;          /* opened (plain) request JSON, NUL-terminated; wiped by outbox_entry_wipe */
    size_t body_length;
    int attempts;        /* attempts made before this one */
};

struct outbox_kind_stats {
    int64_t pending, delivered, failed;
    int64_t oldest_pending_at; /* Unix ms, 0 when none pending */
    int64_t next_attempt_at;   /* of the oldest pending, Unix ms */
    char last_error[200];      /* of the most recent failed attempt of this kind, "" if none */
};

/* "application", "evaluation", "report", "telemetry"; -1 for an unknown name. */
const char *outbox_kind_name(enum outbox_kind kind);
int outbox_kind_from_name(const char *name);
/* The platform path the kind is POSTed to ("/v1/applications" ...). */
const char *outbox_kind_path(enum outbox_kind kind);

/* Opens the outbox in the database at db_path with the device key at key_path (created if
 * missing). 0 or -1 with the reason in err. */
int outbox_open(const char *db_path, const char *key_path, struct outbox **out, char *err, size_t errlen);
void outbox_close(struct outbox *outbox);
const char *outbox_error(const struct outbox *outbox);

/* Writes a record (body: request JSON, len bytes) in one transaction; its idempotency key
 * into key_out when not NULL. now_ms: Unix ms. 0 or -1. */
int outbox_add(struct outbox *outbox, enum outbox_kind kind, const char *body, size_t len, int64_t now_ms,
               char key_out[37]);
/* The oldest pending record of kind: 1 with *entry filled (body opened) when it is due at
 * now_ms, 0 when none is pending or the oldest waits for its retry time, -1 on error (a
 * body that does not open is an error naming the record, never skipped silently). */
int outbox_next(struct outbox *outbox, enum outbox_kind kind, int64_t now_ms, struct outbox_entry *entry);
void outbox_entry_wipe(struct outbox_entry *entry);
/* The platform took it (2xx); result is the answer's id (tracking number ...), no personal data. */
int outbox_mark_delivered(struct outbox *outbox, int64_t id, int64_t now_ms, const char *result);
/* It failed for now (network, 5xx, 429): retry at next_attempt_at_ms; error for technicians. */
int outbox_mark_retry(struct outbox *outbox, int64_t id, int64_t next_attempt_at_ms, const char *error);
/* The platform refused it for good (4xx other than 409-in-progress/429): kept as failed for
 * technicians; the kind's later records go on. */
int outbox_mark_failed(struct outbox *outbox, int64_t id, const char *error);
/* Counts per kind. 0 or -1. */
int outbox_stats(struct outbox *outbox, struct outbox_kind_stats stats[OUTBOX_KIND_COUNT]);
/* Pending records of every kind, for the heartbeat; -1 on error. */
int64_t outbox_pending_count(struct outbox *outbox);
