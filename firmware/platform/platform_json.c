#include "firmware/platform/platform_json.h"
#include "firmware/platform/trust.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static bool platform_json_hex64(const char *s)
{
    if (strlen(s) != 64)
        return false;
    for (const char *c = s; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
            return false;
    return true;
}

/* A path on the gateway: "/v1/" then [A-Za-z0-9/_.-], no "..": it is appended to the
 * configured URL, so it must not reach anywhere else. */
static bool platform_json_path_ok(const char *s)
{
    if (strncmp(s, "/v1/", 4) || strstr(s, "..") || strlen(s) >= PLATFORM_PATH_TEXT_MAX)
        return false;
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              strchr("/_.-", *c)))
            return false;
    return true;
}

static const char *platform_json_text(const cJSON *object, const char *name)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* A whole number in [0, max]; false otherwise. */
static bool platform_json_size(const cJSON *object, const char *name, uint64_t max, uint64_t *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
    if (!cJSON_IsNumber(item) || !(item->valuedouble >= 0) || item->valuedouble > (double)max ||
        item->valuedouble != floor(item->valuedouble))
        return false;
    *out = (uint64_t)item->valuedouble;
    return true;
}

static bool platform_json_version(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return n >= 1 && n < PLATFORM_VERSION_MAX;
}

static int platform_json_download(const cJSON *object, uint64_t max_size, struct platform_download *out,
                                  const char *where, char *err, size_t errlen)
{
    const char *path = platform_json_text(object, "path"), *sha = platform_json_text(object, "sha256");
    if (!cJSON_IsObject(object)) {
        snprintf(err, errlen, "%s: must be an object", where);
        return -1;
    }
    if (!path || !platform_json_path_ok(path)) {
        snprintf(err, errlen, "%s.path: must be a /v1/ path of letters, digits, / _ . -", where);
        return -1;
    }
    if (!sha || !platform_json_hex64(sha)) {
        snprintf(err, errlen, "%s.sha256: must be 64 lowercase hex digits", where);
        return -1;
    }
    if (!platform_json_size(object, "size", max_size, &out->size)) {
        snprintf(err, errlen, "%s.size: must be a whole number from 0 to %llu", where, (unsigned long long)max_size);
        return -1;
    }
    snprintf(out->path, sizeof out->path, "%s", path);
    snprintf(out->sha256, sizeof out->sha256, "%s", sha);
    return 0;
}

static int platform_manifest_fill(const cJSON *root, struct platform_manifest *out, char *err, size_t errlen)
{
    if (!cJSON_IsObject(root)) {
        snprintf(err, errlen, "manifest: not a JSON object");
        return -1;
    }
    const char *format = platform_json_text(root, "format");
    if (!format || strcmp(format, "kiosk-catalogue-manifest/1")) {
        snprintf(err, errlen, "format: must be kiosk-catalogue-manifest/1");
        return -1;
    }
    const char *version = platform_json_text(root, "version");
    if (!platform_json_version(version)) {
        snprintf(err, errlen, "version: must be 1-32 characters");
        return -1;
    }
    snprintf(out->version, sizeof out->version, "%s", version);
    const cJSON *previous = cJSON_GetObjectItemCaseSensitive(root, "previous_version");
    if (cJSON_IsString(previous) && platform_json_version(previous->valuestring))
        snprintf(out->previous_version, sizeof out->previous_version, "%s", previous->valuestring);
    else if (previous && !cJSON_IsNull(previous)) {
        snprintf(err, errlen, "previous_version: must be 1-32 characters or null");
        return -1;
    }
    const char *published = platform_json_text(root, "published");
    if (!published || strlen(published) >= sizeof out->published) {
        snprintf(err, errlen, "published: must be an RFC 3339 date-time");
        return -1;
    }
    snprintf(out->published, sizeof out->published, "%s", published);
    const cJSON *document = cJSON_GetObjectItemCaseSensitive(root, "document");
    const char *document_sha = platform_json_text(document, "sha256");
    uint64_t item_count;
    if (!cJSON_IsObject(document) || !platform_json_size(document, "size", PLATFORM_DOCUMENT_SIZE_MAX, &out->document_size) ||
        !document_sha || !platform_json_hex64(document_sha) ||
        !platform_json_size(document, "item_count", 10000000, &item_count)) {
        snprintf(err, errlen, "document: must have size, sha256 (64 hex) and item_count");
        return -1;
    }
    out->item_count = (int64_t)item_count;
    snprintf(out->document_sha256, sizeof out->document_sha256, "%s", document_sha);
    const char *digest = platform_json_text(root, "items_digest");
    if (!digest || !platform_json_hex64(digest)) {
        snprintf(err, errlen, "items_digest: must be 64 lowercase hex digits");
        return -1;
    }
    snprintf(out->items_digest, sizeof out->items_digest, "%s", digest);

    const cJSON *shards = cJSON_GetObjectItemCaseSensitive(root, "shards");
    int shard_count = cJSON_GetArraySize(shards);
    if (!cJSON_IsArray(shards) || shard_count < 1 || shard_count > PLATFORM_SHARDS_MAX) {
        snprintf(err, errlen, "shards: must be an array of 1 to %d shards", PLATFORM_SHARDS_MAX);
        return -1;
    }
    out->shards = calloc((size_t)shard_count, sizeof *out->shards);
    if (!out->shards) {
        snprintf(err, errlen, "shards: out of memory");
        return -1;
    }
    uint64_t total = 0;
    const cJSON *shard;
    cJSON_ArrayForEach(shard, shards)
    {
        char where[32];
        snprintf(where, sizeof where, "shards[%zu]", out->shard_count);
        if (platform_json_download(shard, PLATFORM_SHARD_SIZE_MAX, &out->shards[out->shard_count], where, err, errlen) < 0)
            return -1;
        total += out->shards[out->shard_count++].size;
    }
    if (total != out->document_size) {
        snprintf(err, errlen, "shards: sizes add up to %llu, document.size is %llu", (unsigned long long)total,
                 (unsigned long long)out->document_size);
        return -1;
    }
    const cJSON *deltas = cJSON_GetObjectItemCaseSensitive(root, "deltas");
    if (!deltas || cJSON_IsNull(deltas))
        return 0;
    int delta_count = cJSON_GetArraySize(deltas);
    if (!cJSON_IsArray(deltas) || delta_count > PLATFORM_DELTAS_MAX) {
        snprintf(err, errlen, "deltas: must be an array of at most %d deltas", PLATFORM_DELTAS_MAX);
        return -1;
    }
    out->deltas = calloc((size_t)delta_count + 1, sizeof *out->deltas);
    if (!out->deltas) {
        snprintf(err, errlen, "deltas: out of memory");
        return -1;
    }
    const cJSON *delta;
    cJSON_ArrayForEach(delta, deltas)
    {
        char where[32];
        snprintf(where, sizeof where, "deltas[%zu]", out->delta_count);
        struct platform_delta *d = &out->deltas[out->delta_count];
        const char *from = platform_json_text(delta, "from_version"), *to = platform_json_text(delta, "to_version");
        if (!platform_json_version(from) || !platform_json_version(to)) {
            snprintf(err, errlen, "%s: from_version and to_version must be 1-32 characters", where);
            return -1;
        }
        if (platform_json_download(delta, PLATFORM_DOCUMENT_SIZE_MAX, &d->file, where, err, errlen) < 0)
            return -1;
        snprintf(d->from_version, sizeof d->from_version, "%s", from);
        snprintf(d->to_version, sizeof d->to_version, "%s", to);
        out->delta_count++;
    }
    return 0;
}

int platform_manifest_parse(const char *json, size_t len, struct platform_manifest *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    cJSON *root = cJSON_ParseWithLength(json, len);
    if (!root) {
        snprintf(err, errlen, "manifest: not valid JSON");
        return -1;
    }
    int rc = platform_manifest_fill(root, out, err, errlen);
    cJSON_Delete(root);
    if (rc < 0)
        platform_manifest_free(out);
    return rc;
}

void platform_manifest_free(struct platform_manifest *manifest)
{
    free(manifest->shards);
    free(manifest->deltas);
    memset(manifest, 0, sizeof *manifest);
}

int platform_error_parse(const char *body, size_t len, char *code, size_t code_size, char *message,
                         size_t message_size)
{
    code[0] = message[0] = '\0';
    cJSON *root = body && len ? cJSON_ParseWithLength(body, len) : NULL;
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(root, "error");
    const char *c = platform_json_text(error, "code"), *m = platform_json_text(error, "message");
    int rc = c ? 0 : -1;
    if (c)
        snprintf(code, code_size, "%s", c);
    if (c && m)
        snprintf(message, message_size, "%s", m);
    cJSON_Delete(root);
    return rc;
}

int platform_json_string(const char *body, size_t len, const char *name, char *out, size_t size)
{
    out[0] = '\0';
    cJSON *root = body && len ? cJSON_ParseWithLength(body, len) : NULL;
    const char *value = platform_json_text(root, name);
    int rc = value && strlen(value) < size ? 0 : -1;
    if (rc == 0)
        snprintf(out, size, "%s", value);
    cJSON_Delete(root);
    return rc;
}

int platform_json_count(const char *body, size_t len, const char *name, uint64_t max, uint64_t *out)
{
    *out = 0;
    cJSON *root = body && len ? cJSON_ParseWithLength(body, len) : NULL;
    int rc = cJSON_IsObject(root) && platform_json_size(root, name, max, out) ? 0 : -1;
    cJSON_Delete(root);
    return rc;
}

int platform_error_detail_count(const char *body, size_t len, const char *field, uint64_t max, uint64_t *out)
{
    *out = 0;
    int rc = -1;
    cJSON *root = body && len ? cJSON_ParseWithLength(body, len) : NULL;
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(root, "error");
    const cJSON *details = cJSON_GetObjectItemCaseSensitive(error, "details"), *entry;
    if (!cJSON_IsArray(details))
        details = NULL;
    cJSON_ArrayForEach(entry, details)
    {
        const char *f = platform_json_text(entry, "field"), *reason = platform_json_text(entry, "reason");
        if (!f || !reason || strcmp(f, field))
            continue;
        /* Digits only (strtoull would take a sign or spaces), few enough not to overflow. */
        size_t digits = strspn(reason, "0123456789");
        if (digits == 0 || digits > 9 || reason[digits])
            break;
        uint64_t value = strtoull(reason, NULL, 10);
        if (value <= max) {
            *out = value;
            rc = 0;
        }
        break;
    }
    cJSON_Delete(root);
    return rc;
}

/* cJSON's buffers hold what residents typed (a description, a phone) and what the platform
 * said of them: wiped before they go back to the heap. */
static void platform_json_wiping_free(void *p)
{
    if (p)
        explicit_bzero(p, malloc_usable_size(p));
    free(p);
}

static void platform_json_install_hooks(void)
{
    cJSON_Hooks hooks = { .malloc_fn = malloc, .free_fn = platform_json_wiping_free };
    cJSON_InitHooks(&hooks);
}

void platform_json_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, platform_json_install_hooks);
}

void platform_json_free(char *text)
{
    platform_json_wiping_free(text);
}

char *platform_report_request(const char *category, const char *item_code, const char *description,
                              const char *phone, const char *reported_at, size_t *len)
{
    platform_json_init();
    cJSON *root = cJSON_CreateObject();
    bool ok = root && cJSON_AddStringToObject(root, "category", category) &&
              (item_code && item_code[0] ? cJSON_AddStringToObject(root, "implementation_code", item_code) != NULL
                                         : cJSON_AddNullToObject(root, "implementation_code") != NULL) &&
              cJSON_AddStringToObject(root, "description", description) &&
              (phone && phone[0] ? cJSON_AddStringToObject(root, "contact_phone", phone) != NULL
                                 : cJSON_AddNullToObject(root, "contact_phone") != NULL) &&
              cJSON_AddStringToObject(root, "reported_at", reported_at);
    char *text = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (text)
        *len = strlen(text);
    return text;
}

char *platform_evaluation_request(int level, const char *item_code, const char *const *options, size_t option_count,
                                  const char *comment, const char *callback_phone, const char *rated_at, size_t *len)
{
    platform_json_init();
    cJSON *root = cJSON_CreateObject(), *subject = cJSON_CreateObject(), *list = cJSON_CreateArray();
    bool ok = root && subject && list;
    ok = ok && (item_code && item_code[0] ? cJSON_AddStringToObject(subject, "implementation_code", item_code) != NULL
                                          : cJSON_AddNullToObject(subject, "implementation_code") != NULL);
    ok = ok && cJSON_AddNullToObject(subject, "tracking_number");
    for (size_t i = 0; ok && i < option_count; i++) {
        cJSON *option = cJSON_CreateString(options[i]);
        ok = option && cJSON_AddItemToArray(list, option);
    }
    ok = ok && cJSON_AddNumberToObject(root, "level", level) && cJSON_AddStringToObject(root, "channel", "self_service");
    if (ok) {
        cJSON_AddItemToObject(root, "subject", subject);
        cJSON_AddItemToObject(root, "options", list);
        subject = list = NULL;
    }
    ok = ok && cJSON_AddStringToObject(root, "comment", comment ? comment : "") &&
         (callback_phone && callback_phone[0] ? cJSON_AddStringToObject(root, "callback_phone", callback_phone) != NULL
                                              : cJSON_AddNullToObject(root, "callback_phone") != NULL) &&
         cJSON_AddStringToObject(root, "rated_at", rated_at);
    char *text = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(subject);
    cJSON_Delete(list);
    cJSON_Delete(root);
    if (text)
        *len = strlen(text);
    return text;
}

char *platform_enroll_request(const char *token, const char *csr, const char *firmware_version, const char *board)
{
    platform_json_init();
    cJSON *root = cJSON_CreateObject();
    if (!root || !cJSON_AddStringToObject(root, "token", token) || !cJSON_AddStringToObject(root, "csr", csr) ||
        !cJSON_AddStringToObject(root, "firmware_version", firmware_version) ||
        !cJSON_AddStringToObject(root, "board", board)) {
        cJSON_Delete(root);
        return NULL;
    }
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return text;
}

int platform_enroll_parse(const char *body, size_t len, char *unit_id, size_t unit_id_size, char **certificate,
                          char **ca, char *err, size_t errlen)
{
    *certificate = *ca = NULL;
    cJSON *root = cJSON_ParseWithLength(body, len);
    const char *id = platform_json_text(root, "unit_id"), *cert = platform_json_text(root, "certificate"),
               *issuer = platform_json_text(root, "ca");
    int rc = -1;
    if (!id || !id[0] || strlen(id) >= unit_id_size)
        snprintf(err, errlen, "enrollment answer: unit_id missing or too long");
    else if (!cert || !strstr(cert, "-----BEGIN CERTIFICATE-----"))
        snprintf(err, errlen, "enrollment answer: certificate is not PEM");
    else if (!issuer || !strstr(issuer, "-----BEGIN CERTIFICATE-----"))
        snprintf(err, errlen, "enrollment answer: ca is not PEM");
    else if (!(*certificate = strdup(cert)) || !(*ca = strdup(issuer))) {
        snprintf(err, errlen, "enrollment answer: out of memory");
        free(*certificate);
        *certificate = NULL;
    } else {
        snprintf(unit_id, unit_id_size, "%s", id);
        rc = 0;
    }
    cJSON_Delete(root);
    return rc;
}

/* ---- licences ---- */
void platform_licence_entries_free(struct platform_licence_entry *entries, size_t count)
{
    if (!entries)
        return;
    for (size_t i = 0; i < count; i++) {
        if (entries[i].payload) {
            explicit_bzero(entries[i].payload, entries[i].payload_length);
            free(entries[i].payload);
        }
    }
    explicit_bzero(entries, count * sizeof *entries);
    free(entries);
}

int platform_licences_parse(const char *json, size_t len, struct platform_licence_entry **entries, size_t *count,
                            char *err, size_t errlen)
{
    *entries = NULL;
    *count = 0;
    cJSON *root = cJSON_ParseWithLength(json, len);
    const cJSON *list = root ? cJSON_GetObjectItemCaseSensitive(root, "licences") : NULL;
    if (!cJSON_IsArray(list)) {
        snprintf(err, errlen, "licences: not a licence list");
        cJSON_Delete(root);
        return -1;
    }
    size_t n = (size_t)cJSON_GetArraySize(list);
    struct platform_licence_entry *out = calloc(n ? n : 1, sizeof *out);
    if (!out) {
        snprintf(err, errlen, "licences: out of memory");
        cJSON_Delete(root);
        return -1;
    }
    size_t i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, list)
    {
        const char *id = platform_json_text(item, "licence_id");
        const char *payload = platform_json_text(item, "payload");
        const char *signature = platform_json_text(item, "signature");
        if (!id || !payload || !signature || strlen(id) >= sizeof out[i].licence_id) {
            snprintf(err, errlen, "licences[%zu]: licence_id, payload and signature are required", i);
            goto fail;
        }
        snprintf(out[i].licence_id, sizeof out[i].licence_id, "%s", id);
        size_t payload_b64 = strlen(payload);
        out[i].payload = malloc(payload_b64 / 4 * 3 + 4);
        if (!out[i].payload ||
            trust_base64_decode(payload, payload_b64, out[i].payload, payload_b64 / 4 * 3 + 4, &out[i].payload_length) < 0 ||
            trust_base64_decode(signature, strlen(signature), out[i].signature, sizeof out[i].signature,
                                &out[i].signature_length) < 0) {
            snprintf(err, errlen, "licences[%zu]: payload or signature is not base64", i);
            i++;
            goto fail;
        }
        i++;
    }
    cJSON_Delete(root);
    *entries = out;
    *count = n;
    return 0;
fail:
    platform_licence_entries_free(out, i);
    cJSON_Delete(root);
    return -1;
}

/* Copies s into the arena; returns where it landed ("" for NULL). */
static const char *platform_licence_keep(struct platform_licence *l, size_t *used, const char *s)
{
    if (!s)
        return "";
    size_t n = strlen(s) + 1;
    if (*used + n > l->text_size)
        return "";
    char *at = l->text + *used;
    memcpy(at, s, n);
    *used += n;
    return at;
}

int platform_licence_parse(const uint8_t *payload, size_t len, struct platform_licence *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    cJSON *root = cJSON_ParseWithLength((const char *)payload, len);
    const cJSON *metadata = root ? cJSON_GetObjectItemCaseSensitive(root, "metadata") : NULL;
    const cJSON *page = root ? cJSON_GetObjectItemCaseSensitive(root, "page") : NULL;
    const char *format = root ? platform_json_text(root, "format") : NULL;
    if (!format || strcmp(format, "kiosk-licence/1") || !cJSON_IsObject(metadata) || !cJSON_IsObject(page)) {
        snprintf(err, errlen, "licence: not a kiosk-licence/1 payload");
        cJSON_Delete(root);
        return -1;
    }
    static const char *const required[] = { "name", "number", "issuer", "holder_code", "status" };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!platform_json_text(metadata, required[i])) {
            snprintf(err, errlen, "licence: metadata.%s is required", required[i]);
            cJSON_Delete(root);
            return -1;
        }
    out->text_size = len + 64; /* the strings are a subset of the payload's bytes */
    out->text = calloc(1, out->text_size);
    if (!out->text) {
        snprintf(err, errlen, "licence: out of memory");
        cJSON_Delete(root);
        return -1;
    }
    size_t used = 0;
    out->licence_id = platform_licence_keep(out, &used, platform_json_text(root, "licence_id"));
    out->name = platform_licence_keep(out, &used, platform_json_text(metadata, "name"));
    out->type_name = platform_licence_keep(out, &used, platform_json_text(metadata, "type_name"));
    out->number = platform_licence_keep(out, &used, platform_json_text(metadata, "number"));
    out->issuer = platform_licence_keep(out, &used, platform_json_text(metadata, "issuer"));
    out->issued_on = platform_licence_keep(out, &used, platform_json_text(metadata, "issued_on"));
    out->valid_to = platform_licence_keep(out, &used, platform_json_text(metadata, "valid_to"));
    out->status = platform_licence_keep(out, &used, platform_json_text(metadata, "status"));
    out->holder = platform_licence_keep(out, &used, platform_json_text(metadata, "holder"));
    out->holder_code = platform_licence_keep(out, &used, platform_json_text(metadata, "holder_code"));
    out->title = platform_licence_keep(out, &used, platform_json_text(page, "title"));
    out->issuer_line = platform_licence_keep(out, &used, platform_json_text(page, "issuer_line"));
    out->seal_text = platform_licence_keep(out, &used, platform_json_text(page, "seal_text"));
    out->watermark = platform_licence_keep(out, &used, platform_json_text(page, "watermark"));
    out->qr = platform_licence_keep(out, &used, platform_json_text(page, "qr"));
    out->footer = platform_licence_keep(out, &used, platform_json_text(page, "footer"));
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(page, "fields");
    const cJSON *field;
    cJSON_ArrayForEach(field, fields)
    {
        if (out->field_count == PLATFORM_LICENCE_FIELDS_MAX)
            break;
        const char *label = platform_json_text(field, "label"), *value = platform_json_text(field, "value");
        if (!label || !value)
            continue;
        out->field_labels[out->field_count] = platform_licence_keep(out, &used, label);
        out->field_values[out->field_count] = platform_licence_keep(out, &used, value);
        out->field_count++;
    }
    cJSON_Delete(root);
    return 0;
}

void platform_licence_free(struct platform_licence *licence)
{
    if (licence->text) {
        explicit_bzero(licence->text, licence->text_size);
        free(licence->text);
    }
    memset(licence, 0, sizeof *licence);
}
