/* The platform link (docs/platform-api.md): the only module that includes curl.h.
 *
 * HTTPS only; the platform CA file is the only trust anchor (no system store); the unit's
 * client certificate and key (mutual TLS); connect timeout and a low-speed cut instead of a
 * fixed transfer timeout; downloads resume with Range from what is on disk; retries back off
 * exponentially with jitter. The worker thread does the blocking I/O and talks to the UI
 * thread only through messages (MSG_PLATFORM_STATUS on every online/offline change,
 * MSG_CATALOGUE_READY with the new catalogue and its search index).
 *
 * The steps (catalogue sync, outbox delivery, enrollment) are also callable on their own, one
 * client per thread: kioskctl and the tests use them. */
#pragma once
#include "firmware/platform/outbox.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "firmware/core/msgqueue.h"
#include "firmware/platform/platform_paths.h"

struct catalogue;
struct outbox;

struct sync_options {
    char url[256];           /* https://host:port, no trailing slash */
    struct platform_paths paths;
    char unit_id[64];
    int connect_timeout_ms;
    int low_speed_s;         /* a transfer under 1 KB/s this long is cut */
    int catalogue_check_s;
    int outbox_poll_s;
    int heartbeat_s;
    int retry_base_ms;
    int retry_max_s;
};

/* Results of a step. Negative values are failures. */
enum sync_result {
    SYNC_DONE = 0,        /* applied / delivered */
    SYNC_UNCHANGED = 1,   /* nothing new */
    SYNC_RETRY = -1,      /* network, 5xx, 429: try again later */
    SYNC_REJECTED = -2,   /* what came failed a check (signature, hash, size, rules): nothing changed */
    SYNC_FAILED = -3,     /* refused for good (4xx), or a local error (disk, config) */
};

/* The delay before retry number attempt (1 = first retry): base * 2^(attempt-1), at most
 * max_ms, then "equal jitter": a uniform value between half of it and all of it (random is
 * any 32-bit random value). */
int64_t sync_backoff_ms(int attempt, int base_ms, int max_ms, uint32_t random);

/* Fills options from the config ([platform], [unit], paths resolved). */
struct config;
void sync_options_from_config(const struct config *config, const char *data_dir_override, struct sync_options *out);

struct sync_client;
/* One client per thread (a curl handle, its connection cache). 0 or -1 with err. */
int sync_client_open(const struct sync_options *options, struct sync_client **out, char *err, size_t errlen);
void sync_client_close(struct sync_client *client);
/* When *stop becomes true, transfers and backoff waits of this client end early (the
 * worker's shutdown). */
void sync_client_set_stop(struct sync_client *client, volatile bool *stop);
/* Bytes received and sent (bodies and headers) since open: the bench's "bytes on the wire". */
void sync_client_traffic(const struct sync_client *client, uint64_t *received, uint64_t *sent);

/* One catalogue check: the signed manifest; nothing when the version in use is current;
 * otherwise the deltas from the version in use, or a full download of the shards (resuming
 * partial ones), every hash and size checked, the result validated as a whole and stored in
 * one transaction. On SYNC_DONE *applied (when not NULL) is the new catalogue (caller frees).
 * err says what happened in one line (also for SYNC_UNCHANGED: the version). */
enum sync_result sync_catalogue_run(struct sync_client *client, struct catalogue **applied, char *err, size_t errlen);
/* Delivers every due outbox record, in order per kind. *delivered counts successes.
 * SYNC_DONE when all due ones went (or none was due), SYNC_RETRY when the platform could not
 * be reached (the rest wait), SYNC_FAILED on a local error. */
enum sync_result sync_outbox_run(struct sync_client *client, struct outbox *outbox, int *delivered, char *err,
                                 size_t errlen);
/* The heartbeat (docs/platform-api.md §9): the catalogue version in use and the outbox's
 * pending count go up; the platform's catalogue version comes back into
 * platform_catalogue_version (size bytes). SYNC_DONE, SYNC_RETRY or SYNC_FAILED. */
enum sync_result sync_heartbeat(struct sync_client *client, int64_t outbox_pending, int64_t uptime_s,
                                char *platform_catalogue_version, size_t size, char *err, size_t errlen);
/* Enrollment: makes the unit key (key_file, 0600) and a CSR, POSTs them with the token to
 * url/v1/enroll (no client certificate; the server is checked against ca_file), and writes
 * the certificate (cert_file). unit_id gets the platform's id for the unit. */
enum sync_result sync_enroll(struct sync_client *client, const char *token, char *unit_id, size_t unit_id_size,
                             char *err, size_t errlen);

/* One holder-scoped JSON call (docs/platform-api.md sections 4 and 5): method GET, POST or
 * DELETE; body NULL or JSON; session_id NULL or the holder's session (Authorization:
 * Session). On 0, *status is the HTTP status and *answer the body (malloc'd, NUL-terminated,
 * may be NULL when empty): it holds personal data, the caller wipes it (explicit_bzero of
 * *answer_length bytes) and frees it. -1 when the platform was not reached (err says why). */
int sync_call(struct sync_client *client, const char *method, const char *path, const char *body,
              const char *session_id, long *status, char **answer, size_t *answer_length, char *err, size_t errlen);

/* The worker thread: checks the catalogue at start and every catalogue_check_s, delivers the
 * outbox whenever something is due (sync_worker_poke wakes it after a new record). */
int sync_worker_start(struct msgqueue *queue, const struct sync_options *options);
/* A resident's request body (docs/platform-api.md: a problem report, an evaluation, an
 * application) for the platform, from the UI thread: the worker writes it to the outbox
 * (sealed, with its idempotency key) and delivers it like the rest, once. The copy here is
 * wiped when stored. Answers come as MSG_SUBMISSION for *request: STORED (with the local
 * reference), then DELIVERED (the platform's number) or REFUSED. 0; -ESRCH when no platform
 * link runs; -EBUSY when too many wait to be stored; -ENOMEM. */
int sync_worker_submit(enum outbox_kind kind, const char *body, size_t len, unsigned *request);
void sync_worker_poke(void);
void sync_worker_stop(void);
