/* The platform's JSON answers and requests (docs/platform-api.md), read with cJSON: the
 * catalogue manifest, the error body, enrollment, and single fields of an answer. Every
 * reader checks types and limits and returns one line naming the field on failure; all are
 * fuzzed (tests/fuzz/fuzz_platform_json.c). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define PLATFORM_VERSION_MAX 33
#define PLATFORM_PATH_TEXT_MAX 200
#define PLATFORM_SHARDS_MAX 1024
#define PLATFORM_DELTAS_MAX 256
#define PLATFORM_SHARD_SIZE_MAX ((uint64_t)4 << 20)
#define PLATFORM_DOCUMENT_SIZE_MAX ((uint64_t)1 << 30)

struct platform_download {
    char path[PLATFORM_PATH_TEXT_MAX]; /* "/v1/..." */
    char sha256[65];                   /* lowercase hex */
    uint64_t size;
};

struct platform_delta {
    char from_version[PLATFORM_VERSION_MAX];
    char to_version[PLATFORM_VERSION_MAX];
    struct platform_download file;
};

struct platform_manifest {
    char version[PLATFORM_VERSION_MAX];
    char previous_version[PLATFORM_VERSION_MAX]; /* "" for null */
    char published[40];
    uint64_t document_size;
    char document_sha256[65];
    int64_t item_count;
    char items_digest[65];
    struct platform_download *shards; /* in order: their concatenation is the document */
    size_t shard_count;
    struct platform_delta *deltas;    /* oldest first */
    size_t delta_count;
};

/* Reads a kiosk-catalogue-manifest/1 (after its signature was checked). 0, or -1 with the
 * field and rule in err; shard sizes must add up to document.size. */
int platform_manifest_parse(const char *json, size_t len, struct platform_manifest *out, char *err, size_t errlen);
void platform_manifest_free(struct platform_manifest *manifest);

/* The error body { "error": { "code", "message" } }: 0 with both copied, -1 when the body
 * is not one (a proxy's page): code and message are then "". */
int platform_error_parse(const char *body, size_t len, char *code, size_t code_size, char *message,
                         size_t message_size);
/* A top-level string member of an object; 0, or -1 when absent or not a string. */
int platform_json_string(const char *body, size_t len, const char *name, char *out, size_t size);
/* A top-level whole-number member in [0, max] (otp_expires_in_s); 0, or -1 when absent,
 * not a whole number or out of range. */
int platform_json_count(const char *body, size_t len, const char *name, uint64_t max, uint64_t *out);
/* An error body's details entry for field (401 otp_invalid: "attempts_left"): its reason
 * read as a whole number in [0, max]. 0, or -1 when absent or not such a number. */
int platform_error_detail_count(const char *body, size_t len, const char *field, uint64_t max, uint64_t *out);

/* A 办不成事 report's body (docs/platform-api.md §8): category (cannot_find_item,
 * cannot_finish_here, device_fault, other), the item's implementation code or NULL, the
 * resident's description, a phone or NULL, reported_at (ISO 8601). malloc'd JSON, *len
 * bytes; the caller wipes and frees it. NULL on no memory. */
char *platform_report_request(const char *category, const char *item_code, const char *description,
                              const char *phone, const char *reported_at, size_t *len);
/* Makes cJSON wipe every buffer it frees (every cJSON user in the process: catalogue, platform
 * answers, request bodies). Once, before the threads start; later calls do nothing. */
void platform_json_init(void);
/* A 好差评 rating's body (docs/platform-api.md §7): level 1..5, the service's implementation
 * code or "" (from the home tile), the reasons ticked, the comment ("" for none), a call-back
 * phone or NULL, rated_at (ISO 8601); channel self_service. malloc'd JSON, *len bytes. */
char *platform_evaluation_request(int level, const char *item_code, const char *const *options, size_t option_count,
                                  const char *comment, const char *callback_phone, const char *rated_at, size_t *len);
/* Frees what cJSON allocated for one of these, wiped first (explicit_bzero), as cJSON's own
 * buffers are wiped when freed (platform_json.c installs that for every cJSON user). */
void platform_json_free(char *text);

/* The enrollment request body (malloc'd JSON) for token and csr (PEM); NULL on no memory. */
char *platform_enroll_request(const char *token, const char *csr, const char *firmware_version, const char *board);
/* The 201 answer: unit_id, certificate (PEM) and ca (PEM) into malloc'd strings. 0 or -1. */
int platform_enroll_parse(const char *body, size_t len, char *unit_id, size_t unit_id_size, char **certificate,
                          char **ca, char *err, size_t errlen);

/* ---- licences (docs/platform-api.md section 5) ---- */
/* One entry of GET /v1/licences, its payload and signature base64-decoded (not yet verified). */
struct platform_licence_entry {
    char licence_id[160];
    uint8_t *payload;      /* the signed bytes: the payload JSON */
    size_t payload_length;
    uint8_t signature[160];
    size_t signature_length;
};
/* The list answer. *entries is malloc'd (free with platform_licence_entries_free, which wipes:
 * payloads hold personal data). 0, or -1 with the reason in err. */
int platform_licences_parse(const char *json, size_t len, struct platform_licence_entry **entries, size_t *count,
                            char *err, size_t errlen);
void platform_licence_entries_free(struct platform_licence_entry *entries, size_t count);

/* A verified payload's content: every string points into one arena (text), wiped on free. */
#define PLATFORM_LICENCE_FIELDS_MAX 24
struct platform_licence {
    const char *licence_id, *name, *type_name, *number, *issuer, *issued_on, *valid_to, *status;
    const char *holder, *holder_code;
    const char *title, *issuer_line, *seal_text, *watermark, *qr, *footer;
    const char *field_labels[PLATFORM_LICENCE_FIELDS_MAX], *field_values[PLATFORM_LICENCE_FIELDS_MAX];
    size_t field_count;
    char *text;
    size_t text_size;
};
/* Parses a payload (kiosk-licence/1). Missing required members are an error naming them.
 * 0, or -1 with the reason in err. */
int platform_licence_parse(const uint8_t *payload, size_t len, struct platform_licence *out, char *err, size_t errlen);
void platform_licence_free(struct platform_licence *licence);
