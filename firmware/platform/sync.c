#include "firmware/platform/sync.h"

#include <curl/curl.h>
#include <dirent.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "firmware/catalogue/catalogue.h"
#include "firmware/core/clock.h"
#include "firmware/storage/config.h"
#include "firmware/storage/db.h"
#include "firmware/core/log.h"
#include "firmware/platform/outbox.h"
#include "firmware/platform/platform_json.h"
#include "firmware/catalogue/search.h"
#include "firmware/platform/telemetry.h"
#include "firmware/platform/trust.h"
#include "firmware/core/version.h"

#define SYNC_MANIFEST_MAX ((size_t)4 << 20)
#define SYNC_ANSWER_MAX ((size_t)1 << 20)
#define SYNC_DOWNLOAD_ATTEMPTS 6

struct sync_client {
    CURL *curl;
    struct sync_options options;
    volatile bool *stop;
    uint64_t received, sent;
    char curl_error[CURL_ERROR_SIZE];
    const char *session_id; /* holder-scoped calls (sync_call): Authorization: Session <id> */
    /* Told of each outbox record delivered (answer_id) or refused for good (NULL). */
    void (*settled)(enum outbox_kind kind, const char *key, const char *answer_id, const char *reason);
};

/* ---- small helpers ------------------------------------------------------------------- */
static int64_t sync_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

int64_t sync_backoff_ms(int attempt, int base_ms, int max_ms, uint32_t random)
{
    if (attempt < 1)
        attempt = 1;
    int64_t delay = base_ms;
    for (int i = 1; i < attempt && delay < max_ms; i++)
        delay *= 2;
    if (delay > max_ms)
        delay = max_ms;
    /* Equal jitter: never less than half the delay (a flood of units does not come back at
     * once), never more than the delay. */
    int64_t half = delay / 2;
    return half + (int64_t)(random % (uint64_t)(delay - half + 1));
}

static uint32_t sync_random32(void)
{
    uint32_t value = 0;
    if (trust_random(&value, sizeof value) < 0)
        value = (uint32_t)sync_now_ms();
    return value;
}

/* Sleeps ms unless the client is told to stop; false when stopped. */
static bool sync_sleep(struct sync_client *client, int64_t ms)
{
    while (ms > 0) {
        if (client->stop && *client->stop)
            return false;
        int64_t step = ms > 100 ? 100 : ms;
        nanosleep(&(struct timespec){ .tv_sec = step / 1000, .tv_nsec = (step % 1000) * 1000000 }, NULL);
        ms -= step;
    }
    return !(client->stop && *client->stop);
}

void sync_options_from_config(const struct config *config, const char *data_dir_override, struct sync_options *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->url, sizeof out->url, "%s", config->platform_url);
    size_t n = strlen(out->url);
    while (n && out->url[n - 1] == '/')
        out->url[--n] = '\0';
    platform_paths_resolve(config, data_dir_override, &out->paths);
    snprintf(out->unit_id, sizeof out->unit_id, "%s", config->unit_id);
    out->connect_timeout_ms = config->platform_connect_timeout_ms;
    out->low_speed_s = config->platform_low_speed_s;
    out->catalogue_check_s = config->platform_catalogue_check_s;
    out->outbox_poll_s = config->platform_outbox_poll_s;
    out->heartbeat_s = config->platform_heartbeat_s;
    out->retry_base_ms = config->platform_retry_base_ms;
    out->retry_max_s = config->platform_retry_max_s;
}

/* ---- the client ---------------------------------------------------------------------- */
static pthread_once_t sync_curl_once = PTHREAD_ONCE_INIT;

static void sync_curl_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

int sync_client_open(const struct sync_options *options, struct sync_client **out, char *err, size_t errlen)
{
    *out = NULL;
    if (strncmp(options->url, "https://", 8)) {
        snprintf(err, errlen, "[platform] url '%.100s' must start with https://", options->url);
        return -1;
    }
    pthread_once(&sync_curl_once, sync_curl_init);
    struct sync_client *client = calloc(1, sizeof *client);
    if (!client || !(client->curl = curl_easy_init())) {
        free(client);
        snprintf(err, errlen, "cannot start libcurl");
        return -1;
    }
    client->options = *options;
    *out = client;
    return 0;
}

void sync_client_close(struct sync_client *client)
{
    if (!client)
        return;
    curl_easy_cleanup(client->curl);
    free(client);
}

void sync_client_set_stop(struct sync_client *client, volatile bool *stop)
{
    client->stop = stop;
}

void sync_client_traffic(const struct sync_client *client, uint64_t *received, uint64_t *sent)
{
    *received = client->received;
    *sent = client->sent;
}

/* ---- one HTTP exchange --------------------------------------------------------------- */
struct sync_response {
    long status;
    char *body;           /* memory answers (NUL-terminated) */
    size_t length, max;
    bool too_large;
    char signature[512];  /* Kiosk-Signature */
    long long range_start; /* Content-Range: bytes N-..., -1 when absent */
    /* downloads: the body goes to this file instead, from offset (206) or from 0 (200) */
    int fd;
    uint64_t offset, written, limit;
    bool file_started;
};

static void sync_response_free(struct sync_response *response)
{
    free(response->body);
    response->body = NULL;
}

static size_t sync_on_header(char *data, size_t size, size_t count, void *user)
{
    struct sync_response *response = user;
    size_t len = size * count;
    char line[600];
    snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line - 1 ? len : sizeof line - 1), data);
    line[strcspn(line, "\r\n")] = '\0';
    if (!strncasecmp(line, "Kiosk-Signature:", 16)) {
        const char *value = line + 16;
        value += strspn(value, " \t");
        snprintf(response->signature, sizeof response->signature, "%s", value);
    } else if (!strncasecmp(line, "Content-Range:", 14)) {
        long long start;
        if (sscanf(line + 14, " bytes %lld-", &start) == 1)
            response->range_start = start;
    } else if (!strncmp(line, "HTTP/", 5)) {
        /* A new response (after a redirect or 100-continue): forget the earlier headers. */
        response->signature[0] = '\0';
        response->range_start = -1;
    }
    return len;
}

static size_t sync_on_body(char *data, size_t size, size_t count, void *user)
{
    struct sync_client *client = ((void **)user)[0];
    struct sync_response *response = ((void **)user)[1];
    size_t len = size * count;
    long status = 0;
    curl_easy_getinfo(client->curl, CURLINFO_RESPONSE_CODE, &status);
    if (response->fd >= 0 && (status == 200 || status == 206)) {
        if (!response->file_started) {
            response->file_started = true;
            /* 200: the whole file from byte 0; 206: from where we asked, and only that. */
            if (status == 200 || response->range_start != (long long)response->offset)
                response->offset = 0;
            if (ftruncate(response->fd, (off_t)response->offset) < 0 ||
                lseek(response->fd, (off_t)response->offset, SEEK_SET) < 0)
                return 0;
        }
        if (response->offset + response->written + len > response->limit) {
            response->too_large = true;
            return 0; /* more than the manifest says: cut, the hash check rejects it anyway */
        }
        for (size_t done = 0; done < len;) {
            ssize_t n = write(response->fd, data + done, len - done);
            if (n <= 0)
                return 0;
            done += (size_t)n;
        }
        response->written += len;
        return len;
    }
    if (response->length + len > response->max) {
        response->too_large = true;
        return 0;
    }
    char *grown = realloc(response->body, response->length + len + 1);
    if (!grown)
        return 0;
    response->body = grown;
    memcpy(response->body + response->length, data, len);
    response->length += len;
    response->body[response->length] = '\0';
    return len;
}

static int sync_on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    struct sync_client *client = user;
    return client->stop && *client->stop ? 1 : 0;
}

static bool sync_file_exists(const char *path)
{
    return access(path, R_OK) == 0;
}

/* One request. 0 when an HTTP answer came (any status, in response), -1 when none did
 * (connect, TLS, reset, timeout: err says which). */
static int sync_exchange(struct sync_client *client, const char *method, const char *path, const char *body,
                         size_t body_length, const char *idempotency_key, long long range_from,
                         struct sync_response *response, char *err, size_t errlen)
{
    CURL *curl = client->curl;
    const struct sync_options *o = &client->options;
    char url[512], header[160];
    snprintf(url, sizeof url, "%s%s", o->url, path);
    curl_easy_reset(curl); /* keeps the connection cache */
    client->curl_error[0] = '\0';
    response->status = 0;
    response->range_start = -1;
    response->signature[0] = '\0';
    void *body_user[2] = { client, response };
    struct curl_slist *headers = NULL;
    headers = curl_slist_append(headers, "Accept: application/json");
    if (body) {
        headers = curl_slist_append(headers, "Content-Type: application/json; charset=utf-8");
        /* Idempotent POSTs only: no "Expect: 100-continue" round trip. */
        headers = curl_slist_append(headers, "Expect:");
    }
    if (idempotency_key) {
        snprintf(header, sizeof header, "Idempotency-Key: %s", idempotency_key);
        headers = curl_slist_append(headers, header);
    }
    if (client->session_id) {
        snprintf(header, sizeof header, "Authorization: Session %s", client->session_id);
        headers = curl_slist_append(headers, header);
    }
    char range[64];
    if (range_from > 0) {
        snprintf(range, sizeof range, "%lld-", range_from);
        curl_easy_setopt(curl, CURLOPT_RANGE, range);
    }
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    /* The platform CA file is the only trust anchor: no system store, no CA directory. */
    curl_easy_setopt(curl, CURLOPT_CAINFO, o->paths.ca_file);
    curl_easy_setopt(curl, CURLOPT_CAPATH, NULL);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    /* Mutual TLS once enrolled; enrollment itself goes without. */
    if (strcmp(path, "/v1/enroll") && sync_file_exists(o->paths.cert_file) && sync_file_exists(o->paths.key_file)) {
        curl_easy_setopt(curl, CURLOPT_SSLCERT, o->paths.cert_file);
        curl_easy_setopt(curl, CURLOPT_SSLKEY, o->paths.key_file);
    }
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long)o->connect_timeout_ms);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, (long)o->low_speed_s);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, client->curl_error);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, sync_on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, response);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, sync_on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, body_user);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, sync_on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, client);
    char user_agent[64];
    snprintf(user_agent, sizeof user_agent, "kiosk/%s", KIOSK_VERSION);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent);
    if (!strcmp(method, "DELETE"))
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "DELETE");
    if (!strcmp(method, "POST")) {
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_length);
    }
    CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    curl_off_t down = 0, up = 0, header_bytes = 0, request_bytes = 0;
    curl_easy_getinfo(curl, CURLINFO_SIZE_DOWNLOAD_T, &down);
    curl_easy_getinfo(curl, CURLINFO_SIZE_UPLOAD_T, &up);
    curl_easy_getinfo(curl, CURLINFO_HEADER_SIZE, &header_bytes);
    curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &request_bytes);
    client->received += (uint64_t)down + (uint64_t)header_bytes;
    client->sent += (uint64_t)up + (uint64_t)request_bytes;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response->status);
    if (rc == CURLE_OK)
        return 0;
    if (response->too_large) {
        snprintf(err, errlen, "%s %s: answer larger than allowed", method, path);
        return response->status ? 0 : -1;
    }
    snprintf(err, errlen, "%s %s: %s", method, path, client->curl_error[0] ? client->curl_error : curl_easy_strerror(rc));
    return -1;
}

/* "HTTP 503 unavailable: message" from an answer, for logs and last_error. */
static void sync_describe_status(const struct sync_response *response, const char *what, char *err, size_t errlen)
{
    char code[64], message[200];
    platform_error_parse(response->body, response->length, code, sizeof code, message, sizeof message);
    snprintf(err, errlen, "%s: HTTP %ld%s%s%s%s", what, response->status, code[0] ? " " : "", code,
             message[0] ? ": " : "", message);
}

/* How to go on after a status the step did not want. */
static enum sync_result sync_status_result(long status, const char *code)
{
    if (status >= 500 || status == 429 || status == 408 || (status == 409 && !strcmp(code, "idempotency_in_progress")))
        return SYNC_RETRY;
    /* 401/403: the unit must be enrolled again; nothing is lost meanwhile. */
    if (status == 401 || status == 403)
        return SYNC_RETRY;
    return SYNC_FAILED;
}

/* ---- downloads ----------------------------------------------------------------------- */
static int sync_verify_file(const char *path, const struct platform_download *download, char *err, size_t errlen)
{
    uint8_t digest[TRUST_SHA256_SIZE];
    uint64_t size;
    if (trust_sha256_file(path, digest, &size, err, errlen) < 0)
        return -1;
    char hex[2 * TRUST_SHA256_SIZE + 1];
    trust_hex(digest, sizeof digest, hex);
    if (size != download->size) {
        snprintf(err, errlen, "%s: %llu bytes, the manifest says %llu", download->path, (unsigned long long)size,
                 (unsigned long long)download->size);
        return -1;
    }
    if (strcmp(hex, download->sha256)) {
        snprintf(err, errlen, "%s: SHA-256 %.16s… differs from the manifest's %.16s…", download->path, hex,
                 download->sha256);
        return -1;
    }
    return 0;
}

/* Fetches download into the download dir as <sha256> (verified), resuming <sha256>.part
 * from where an earlier attempt (or run, or boot) stopped. */
static enum sync_result sync_download(struct sync_client *client, const struct platform_download *download,
                                      char *path_out, size_t path_size, char *err, size_t errlen)
{
    char final_path[PLATFORM_PATH_MAX + 80], part_path[PLATFORM_PATH_MAX + 90];
    snprintf(final_path, sizeof final_path, "%s/%s", client->options.paths.download_dir, download->sha256);
    snprintf(part_path, sizeof part_path, "%s.part", final_path);
    snprintf(path_out, path_size, "%s", final_path);
    char reason[300] = "";
    if (sync_file_exists(final_path)) {
        if (sync_verify_file(final_path, download, reason, sizeof reason) == 0)
            return SYNC_DONE;
        unlink(final_path);
    }
    for (int attempt = 1; attempt <= SYNC_DOWNLOAD_ATTEMPTS; attempt++) {
        int fd = open(part_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) {
            snprintf(err, errlen, "%s: cannot open: %s", part_path, strerror(errno));
            return SYNC_FAILED;
        }
        struct stat st;
        uint64_t have = fstat(fd, &st) == 0 ? (uint64_t)st.st_size : 0;
        if (have > download->size) {
            have = 0;
            if (ftruncate(fd, 0) < 0) {
                close(fd);
                snprintf(err, errlen, "%s: cannot truncate", part_path);
                return SYNC_FAILED;
            }
        }
        if (have < download->size) {
            struct sync_response response = { .fd = fd, .offset = have, .limit = download->size, .max = 65536 };
            int rc = sync_exchange(client, "GET", download->path, NULL, 0, NULL, (long long)have, &response, reason,
                                   sizeof reason);
            bool ok = rc == 0 && (response.status == 200 || response.status == 206) && !response.too_large;
            if (rc == 0 && response.status == 416) {
                (void)!ftruncate(fd, 0); /* our offset is past its end: from the start again */
                snprintf(reason, sizeof reason, "%s: 416 at byte %llu; from the start", download->path,
                         (unsigned long long)have);
            } else if (rc == 0 && ok && response.written == 0 && have < download->size) {
                snprintf(reason, sizeof reason, "%s: an empty answer", download->path);
            }
            if (rc == 0 && !ok && response.status != 416 && !response.too_large) {
                char code[64], message[64];
                platform_error_parse(response.body, response.length, code, sizeof code, message, sizeof message);
                sync_describe_status(&response, download->path, reason, sizeof reason);
                if (sync_status_result(response.status, code) == SYNC_FAILED) {
                    sync_response_free(&response);
                    close(fd);
                    snprintf(err, errlen, "%s", reason);
                    return SYNC_FAILED;
                }
            }
            if (response.too_large)
                snprintf(reason, sizeof reason, "%s: more bytes than the manifest's %llu", download->path,
                         (unsigned long long)download->size);
            fsync(fd);
            close(fd);
            sync_response_free(&response);
            if (response.too_large) {
                unlink(part_path);
                snprintf(err, errlen, "%s", reason);
                return SYNC_REJECTED;
            }
            if (!ok) {
                log_info("sync", "download %s: attempt %d: %s; %s", download->sha256, attempt, reason,
                         attempt < SYNC_DOWNLOAD_ATTEMPTS ? "resuming" : "giving up for now");
                if (attempt == SYNC_DOWNLOAD_ATTEMPTS || !sync_sleep(client, sync_backoff_ms(attempt, client->options.retry_base_ms,
                                                                                  client->options.retry_max_s * 1000,
                                                                                  sync_random32()))) {
                    snprintf(err, errlen, "%s", reason);
                    return SYNC_RETRY;
                }
                continue;
            }
            fd = open(part_path, O_RDONLY | O_CLOEXEC);
            if (fd < 0 || fstat(fd, &st) < 0) {
                if (fd >= 0)
                    close(fd);
                snprintf(err, errlen, "%s: vanished", part_path);
                return SYNC_FAILED;
            }
            have = (uint64_t)st.st_size;
        }
        close(fd);
        if (have < download->size)
            continue; /* the answer ended early: resume */
        if (sync_verify_file(part_path, download, reason, sizeof reason) < 0) {
            unlink(part_path);
            snprintf(err, errlen, "%s", reason);
            return SYNC_REJECTED;
        }
        if (rename(part_path, final_path) < 0) {
            snprintf(err, errlen, "%s: cannot rename: %s", part_path, strerror(errno));
            return SYNC_FAILED;
        }
        return SYNC_DONE;
    }
    snprintf(err, errlen, "%s: incomplete after %d attempts", download->path, SYNC_DOWNLOAD_ATTEMPTS);
    return SYNC_RETRY;
}

/* Removes the download dir's files (after an apply: the shards are in the database now). */
static void sync_download_dir_clear(struct sync_client *client)
{
    DIR *dir = opendir(client->options.paths.download_dir);
    if (!dir)
        return;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        if (entry->d_name[0] == '.')
            continue;
        char path[PLATFORM_PATH_MAX + 300];
        snprintf(path, sizeof path, "%s/%s", client->options.paths.download_dir, entry->d_name);
        unlink(path);
    }
    closedir(dir);
}

/* ---- the catalogue ------------------------------------------------------------------- */
/* The version of the stored catalogue, "" when none. 0 or -1. */
static int sync_stored_version(const char *db_path, char *version, size_t size, char *err, size_t errlen)
{
    version[0] = '\0';
    struct db *db;
    if (db_open(db_path, &db, err, errlen) < 0)
        return -1;
    struct db_statement *select;
    int rc = db_prepare(db, "SELECT version FROM catalogue WHERE id = 1", &select);
    if (rc == 0) {
        rc = db_step(select);
        if (rc == DB_ROW)
            snprintf(version, size, "%s", db_column_text(select, 0));
        db_finalize(select);
    }
    if (rc < 0)
        snprintf(err, errlen, "%s", db_error(db));
    db_close(db);
    return rc < 0 ? -1 : 0;
}

static int sync_compare_codes(const void *a, const void *b)
{
    const struct catalogue_item *x = *(const struct catalogue_item *const *)a;
    const struct catalogue_item *y = *(const struct catalogue_item *const *)b;
    return strcmp(x->implementation_code, y->implementation_code);
}

/* items_digest of docs/platform-api.md §3: SHA-256 over "code TAB version LF" per item,
 * items sorted bytewise by code. 0 or -1 (no memory). */
static int sync_items_digest(const struct catalogue *catalogue, char hex[65])
{
    const struct catalogue_item **sorted = malloc(sizeof *sorted * (catalogue->item_count + 1));
    size_t text_size = 1;
    for (size_t i = 0; i < catalogue->item_count; i++)
        text_size += strlen(catalogue->items[i].implementation_code) + strlen(catalogue->items[i].version) + 2;
    char *text = malloc(text_size);
    if (!sorted || !text) {
        free(sorted);
        free(text);
        return -1;
    }
    for (size_t i = 0; i < catalogue->item_count; i++)
        sorted[i] = &catalogue->items[i];
    qsort(sorted, catalogue->item_count, sizeof *sorted, sync_compare_codes);
    size_t used = 0;
    for (size_t i = 0; i < catalogue->item_count; i++)
        used += (size_t)snprintf(text + used, text_size - used, "%s\t%s\n", sorted[i]->implementation_code,
                                 sorted[i]->version);
    uint8_t digest[TRUST_SHA256_SIZE];
    trust_sha256(text, used, digest);
    trust_hex(digest, sizeof digest, hex);
    free(sorted);
    free(text);
    return 0;
}

/* The manifest, its signature checked against the platform key over the bytes received. */
static enum sync_result sync_fetch_manifest(struct sync_client *client, struct platform_manifest *manifest, char *err,
                                            size_t errlen)
{
    struct sync_response response = { .fd = -1, .max = SYNC_MANIFEST_MAX };
    char reason[400];
    if (sync_exchange(client, "GET", "/v1/catalogue/manifest", NULL, 0, NULL, 0, &response, reason, sizeof reason) < 0) {
        sync_response_free(&response);
        snprintf(err, errlen, "%s", reason);
        return SYNC_RETRY;
    }
    if (response.status != 200) {
        char code[64], message[8];
        platform_error_parse(response.body, response.length, code, sizeof code, message, sizeof message);
        sync_describe_status(&response, "manifest", err, errlen);
        sync_response_free(&response);
        return sync_status_result(response.status, code);
    }
    enum sync_result result = SYNC_REJECTED;
    uint8_t signature[256];
    size_t signature_length = 0;
    if (!response.signature[0])
        snprintf(err, errlen, "manifest rejected: no Kiosk-Signature header");
    else if (trust_base64_decode(response.signature, strlen(response.signature), signature, sizeof signature,
                                 &signature_length) < 0)
        snprintf(err, errlen, "manifest rejected: Kiosk-Signature is not base64");
    else if (trust_verify_file_key(client->options.paths.signing_key, response.body ? response.body : "",
                                   response.length, signature, signature_length, reason, sizeof reason) < 0)
        snprintf(err, errlen, "manifest rejected: %s", reason);
    else if (platform_manifest_parse(response.body, response.length, manifest, reason, sizeof reason) < 0)
        snprintf(err, errlen, "manifest rejected: %s", reason);
    else
        result = SYNC_DONE;
    sync_response_free(&response);
    return result;
}

/* Reads a downloaded file's bytes into buffer at *used (size known from the manifest). */
static int sync_append_file(const char *path, char *buffer, size_t *used, uint64_t size, char *err, size_t errlen)
{
    FILE *file = fopen(path, "rb");
    if (!file || fread(buffer + *used, 1, size, file) != size) {
        snprintf(err, errlen, "%s: cannot read back", path);
        if (file)
            fclose(file);
        return -1;
    }
    fclose(file);
    *used += size;
    return 0;
}

/* The whole document from the shards: downloaded (resumed), each checked, then the whole. */
static enum sync_result sync_full_document(struct sync_client *client, const struct platform_manifest *manifest,
                                           char **document, char *err, size_t errlen)
{
    *document = NULL;
    char path[PLATFORM_PATH_MAX + 80];
    for (size_t i = 0; i < manifest->shard_count; i++) {
        enum sync_result rc = sync_download(client, &manifest->shards[i], path, sizeof path, err, errlen);
        if (rc != SYNC_DONE)
            return rc;
    }
    char *text = malloc(manifest->document_size + 1);
    if (!text) {
        snprintf(err, errlen, "catalogue of %llu bytes: out of memory", (unsigned long long)manifest->document_size);
        return SYNC_FAILED;
    }
    size_t used = 0;
    for (size_t i = 0; i < manifest->shard_count; i++) {
        snprintf(path, sizeof path, "%s/%s", client->options.paths.download_dir, manifest->shards[i].sha256);
        if (sync_append_file(path, text, &used, manifest->shards[i].size, err, errlen) < 0) {
            free(text);
            return SYNC_FAILED;
        }
    }
    text[used] = '\0';
    uint8_t digest[TRUST_SHA256_SIZE];
    char hex[2 * TRUST_SHA256_SIZE + 1];
    trust_sha256(text, used, digest);
    trust_hex(digest, sizeof digest, hex);
    if (strcmp(hex, manifest->document_sha256)) {
        free(text);
        sync_download_dir_clear(client);
        snprintf(err, errlen, "catalogue %s rejected: the document's SHA-256 differs from the manifest's",
                 manifest->version);
        return SYNC_REJECTED;
    }
    *document = text;
    return SYNC_DONE;
}

/* Reads a whole downloaded file into a malloc'd buffer. */
static char *sync_read_download(const char *path, uint64_t size, char *err, size_t errlen)
{
    char *text = malloc(size + 1);
    size_t used = 0;
    if (!text || sync_append_file(path, text, &used, size, err, errlen) < 0) {
        free(text);
        return NULL;
    }
    text[used] = '\0';
    return text;
}

/* The chain of deltas from version current to the manifest's: the index of its first entry
 * and its length, or -1 when there is none (the platform does not know current any more). */
static long sync_delta_chain(const struct platform_manifest *manifest, const char *current, size_t *length)
{
    for (size_t i = 0; i < manifest->delta_count; i++) {
        if (strcmp(manifest->deltas[i].from_version, current))
            continue;
        size_t j = i;
        while (j + 1 < manifest->delta_count && strcmp(manifest->deltas[j].to_version, manifest->version) &&
               !strcmp(manifest->deltas[j].to_version, manifest->deltas[j + 1].from_version))
            j++;
        if (strcmp(manifest->deltas[j].to_version, manifest->version))
            return -1; /* a link does not join */
        *length = j - i + 1;
        return (long)i;
    }
    return -1;
}

/* The new catalogue from the one in use and the deltas, in order. SYNC_RETRY when the
 * platform could not be reached; any other failure means "full resync". */
static enum sync_result sync_delta_catalogue(struct sync_client *client, const struct platform_manifest *manifest,
                                             size_t first, size_t count, struct catalogue **out, char *err,
                                             size_t errlen)
{
    *out = NULL;
    struct catalogue *base = NULL;
    char reason[600];
    if (catalogue_load_stored(client->options.paths.db, &base, reason, sizeof reason) < 0) {
        snprintf(err, errlen, "%s", reason);
        return SYNC_FAILED;
    }
    for (size_t i = first; i < first + count; i++) {
        const struct platform_delta *delta = &manifest->deltas[i];
        char path[PLATFORM_PATH_MAX + 80];
        enum sync_result rc = sync_download(client, &delta->file, path, sizeof path, err, errlen);
        if (rc != SYNC_DONE) {
            catalogue_free(base);
            return rc;
        }
        char *text = sync_read_download(path, delta->file.size, err, errlen);
        char *document = NULL;
        size_t length = 0;
        int applied = text ? catalogue_apply_delta(base, text, delta->file.size, &document, &length, reason,
                                                   sizeof reason)
                           : -1;
        free(text);
        unlink(path);
        catalogue_free(base);
        base = NULL;
        if (applied < 0) {
            if (text)
                snprintf(err, errlen, "delta %s -> %s: %.400s", delta->from_version, delta->to_version, reason);
            return SYNC_REJECTED;
        }
        if (catalogue_parse(document, length, &base, reason, sizeof reason) < 0) {
            free(document);
            snprintf(err, errlen, "delta %s -> %s: result rejected: %.400s", delta->from_version, delta->to_version,
                     reason);
            return SYNC_REJECTED;
        }
        free(document);
    }
    *out = base;
    return SYNC_DONE;
}

/* Checks a candidate catalogue against the manifest; 0 or -1 with the reason. */
static int sync_check_against_manifest(const struct catalogue *catalogue, const struct platform_manifest *manifest,
                                       char *err, size_t errlen)
{
    char digest[65];
    if (strcmp(catalogue->version, manifest->version)) {
        snprintf(err, errlen, "the document says version %s, the manifest %s", catalogue->version, manifest->version);
        return -1;
    }
    if ((int64_t)catalogue->item_count != manifest->item_count) {
        snprintf(err, errlen, "%zu items, the manifest says %lld", catalogue->item_count,
                 (long long)manifest->item_count);
        return -1;
    }
    if (sync_items_digest(catalogue, digest) < 0 || strcmp(digest, manifest->items_digest)) {
        snprintf(err, errlen, "items_digest differs from the manifest's");
        return -1;
    }
    return 0;
}

enum sync_result sync_catalogue_run(struct sync_client *client, struct catalogue **applied, char *err, size_t errlen)
{
    if (applied)
        *applied = NULL;
    char current[PLATFORM_VERSION_MAX + 32], reason[600];
    if (sync_stored_version(client->options.paths.db, current, sizeof current, err, errlen) < 0)
        return SYNC_FAILED;
    struct platform_manifest manifest;
    memset(&manifest, 0, sizeof manifest);
    enum sync_result rc = sync_fetch_manifest(client, &manifest, err, errlen);
    if (rc != SYNC_DONE)
        return rc;
    if (!strcmp(manifest.version, current)) {
        snprintf(err, errlen, "catalogue %s is current", current);
        platform_manifest_free(&manifest);
        return SYNC_UNCHANGED;
    }
    if (current[0] && strcmp(manifest.version, current) < 0) {
        snprintf(err, errlen, "manifest rejected: version %s is older than %s in use (rollback)", manifest.version,
                 current);
        platform_manifest_free(&manifest);
        return SYNC_REJECTED;
    }
    struct catalogue *catalogue = NULL;
    const char *how = "full";
    size_t chain_length = 0;
    long chain = current[0] ? sync_delta_chain(&manifest, current, &chain_length) : -1;
    if (chain >= 0) {
        rc = sync_delta_catalogue(client, &manifest, (size_t)chain, chain_length, &catalogue, reason, sizeof reason);
        if (rc == SYNC_RETRY) {
            snprintf(err, errlen, "%s", reason);
            platform_manifest_free(&manifest);
            return rc;
        }
        if (rc == SYNC_DONE && sync_check_against_manifest(catalogue, &manifest, reason, sizeof reason) < 0) {
            catalogue_free(catalogue);
            catalogue = NULL;
        }
        if (catalogue)
            how = "delta";
        else
            log_warn("sync", "catalogue %s: deltas from %s not usable (%s); full resync", manifest.version, current,
                     reason);
    } else if (current[0]) {
        log_info("sync", "catalogue %s: no delta chain from %s; full download", manifest.version, current);
    }
    if (!catalogue) {
        char *document = NULL;
        rc = sync_full_document(client, &manifest, &document, err, errlen);
        if (rc != SYNC_DONE) {
            platform_manifest_free(&manifest);
            return rc;
        }
        /* catalogue_parse copies the text; the whole document is checked before anything is kept. */
        int parsed = catalogue_parse(document, manifest.document_size, &catalogue, reason, sizeof reason);
        free(document);
        if (parsed < 0 || sync_check_against_manifest(catalogue, &manifest, reason, sizeof reason) < 0) {
            snprintf(err, errlen, "catalogue %s rejected: %s", manifest.version, reason);
            catalogue_free(catalogue);
            sync_download_dir_clear(client); /* fetch afresh next time */
            platform_manifest_free(&manifest);
            return SYNC_REJECTED;
        }
    }
    /* One transaction: readers see the old catalogue or the new one, never half. */
    if (catalogue_store(catalogue, client->options.paths.db, reason, sizeof reason) < 0) {
        snprintf(err, errlen, "catalogue %s not stored: %s", manifest.version, reason);
        catalogue_free(catalogue);
        platform_manifest_free(&manifest);
        return SYNC_FAILED;
    }
    sync_download_dir_clear(client);
    snprintf(err, errlen, "catalogue %s applied (%s, %zu items; was %s)", manifest.version, how,
             catalogue->item_count, current[0] ? current : "none");
    platform_manifest_free(&manifest);
    if (applied)
        *applied = catalogue;
    else
        catalogue_free(catalogue);
    return SYNC_DONE;
}

/* ---- the outbox ---------------------------------------------------------------------- */
/* The id an answer gives the record, kept for technicians (no personal data). */
static void sync_answer_id(const struct sync_response *response, char *out, size_t size)
{
    static const char *const names[] = { "tracking_number", "evaluation_id", "report_number" };
    out[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !out[0]; i++)
        platform_json_string(response->body, response->length, names[i], out, size);
}

enum sync_result sync_outbox_run(struct sync_client *client, struct outbox *outbox, int *delivered, char *err,
                                 size_t errlen)
{
    *delivered = 0;
    err[0] = '\0';
    enum sync_result overall = SYNC_DONE;
    for (int kind = 0; kind < OUTBOX_KIND_COUNT; kind++) {
        for (;;) {
            if (client->stop && *client->stop)
                return SYNC_RETRY;
            struct outbox_entry entry;
            int found = outbox_next(outbox, (enum outbox_kind)kind, sync_now_ms(), &entry);
            if (found < 0) {
                snprintf(err, errlen, "%s", outbox_error(outbox));
                return SYNC_FAILED;
            }
            if (found == 0)
                break;
            struct sync_response response = { .fd = -1, .max = SYNC_ANSWER_MAX };
            char reason[400];
            const char *path = outbox_kind_path(entry.kind);
            int rc = sync_exchange(client, "POST", path, entry.body, entry.body_length, entry.idempotency_key, 0,
                                   &response, reason, sizeof reason);
            /* The body holds personal data: wiped as soon as it is sent. */
            const int64_t id = entry.id;
            const int attempts = entry.attempts;
            const enum outbox_kind entry_kind = entry.kind;
            char key[sizeof entry.idempotency_key];
            memcpy(key, entry.idempotency_key, sizeof key);
            outbox_entry_wipe(&entry);
            enum sync_result result;
            if (rc < 0) {
                result = SYNC_RETRY;
            } else if (response.status >= 200 && response.status < 300) {
                char answer_id[80];
                sync_answer_id(&response, answer_id, sizeof answer_id);
                result = outbox_mark_delivered(outbox, id, sync_now_ms(), answer_id) < 0 ? SYNC_FAILED : SYNC_DONE;
                if (result == SYNC_DONE)
                    (*delivered)++;
                if (result == SYNC_DONE && client->settled)
                    client->settled(entry_kind, key, answer_id, NULL);
                else
                    snprintf(reason, sizeof reason, "%s", outbox_error(outbox));
            } else {
                char code[64], message[8];
                platform_error_parse(response.body, response.length, code, sizeof code, message, sizeof message);
                sync_describe_status(&response, path, reason, sizeof reason);
                result = sync_status_result(response.status, code);
            }
            sync_response_free(&response);
            if (result == SYNC_RETRY) {
                int64_t delay = sync_backoff_ms(attempts + 1, client->options.retry_base_ms,
                                                client->options.retry_max_s * 1000, sync_random32());
                outbox_mark_retry(outbox, id, sync_now_ms() + delay, reason);
                log_warn("sync", "outbox %s %s: %s; retry in %lld ms", outbox_kind_name(entry_kind),
                         key, reason, (long long)delay);
                snprintf(err, errlen, "%s", reason);
                /* The platform is unreachable or busy: the other kinds would only fail too. */
                return SYNC_RETRY;
            }
            if (result == SYNC_FAILED && rc == 0 && !(response.status >= 200 && response.status < 300)) {
                outbox_mark_failed(outbox, id, reason);
                log_error("sync", "outbox %s %s refused: %s", outbox_kind_name(entry_kind), key,
                          reason);
                if (client->settled)
                    client->settled(entry_kind, key, NULL, reason);
                continue;
            }
            if (result == SYNC_FAILED) {
                snprintf(err, errlen, "%s", reason);
                return SYNC_FAILED;
            }
        }
    }
    return overall;
}

/* ---- heartbeat ----------------------------------------------------------------------- */
enum sync_result sync_heartbeat(struct sync_client *client, int64_t outbox_pending, int64_t uptime_s,
                                char *platform_catalogue_version, size_t size, char *err, size_t errlen)
{
    platform_catalogue_version[0] = '\0';
    char current[PLATFORM_VERSION_MAX + 32];
    if (sync_stored_version(client->options.paths.db, current, sizeof current, err, errlen) < 0)
        return SYNC_FAILED;
    /* Versions are the platform's own strings (no quotes or backslashes: checked on the way
     * in), so the body is written directly; no personal data in it. The devices' states are
     * what the UI thread last noted (telemetry keeps them under its lock: this is another
     * thread); "unknown" before a device's first report. */
    char devices[256], body[768];
    telemetry_devices_json(devices, sizeof devices);
    int length = snprintf(body, sizeof body,
                          "{\"firmware_version\":\"%s\",\"catalogue_version\":\"%s\",\"config_version\":\"\","
                          "\"uptime_s\":%lld,\"outbox_pending\":%lld,\"devices\":%s}",
                          KIOSK_VERSION, strpbrk(current, "\"\\") ? "" : current, (long long)uptime_s,
                          (long long)outbox_pending, devices);
    struct sync_response response = { .fd = -1, .max = SYNC_ANSWER_MAX };
    char reason[400];
    int rc = sync_exchange(client, "POST", "/v1/heartbeat", body, (size_t)length, NULL, 0, &response, reason,
                           sizeof reason);
    enum sync_result result = SYNC_DONE;
    if (rc < 0) {
        snprintf(err, errlen, "%s", reason);
        result = SYNC_RETRY;
    } else if (response.status != 200) {
        char code[64], message[8];
        platform_error_parse(response.body, response.length, code, sizeof code, message, sizeof message);
        sync_describe_status(&response, "heartbeat", err, errlen);
        result = sync_status_result(response.status, code);
    } else {
        platform_json_string(response.body, response.length, "catalogue_version", platform_catalogue_version, size);
    }
    sync_response_free(&response);
    return result;
}

/* ---- enrollment ---------------------------------------------------------------------- */
static int sync_write_text(const char *path, const char *text, char *err, size_t errlen)
{
    char tmp[PLATFORM_PATH_MAX + 8];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *file = fopen(tmp, "w");
    if (!file || fputs(text, file) < 0 || fflush(file) != 0 || fsync(fileno(file)) != 0) {
        snprintf(err, errlen, "%s: cannot write: %s", tmp, strerror(errno));
        if (file)
            fclose(file);
        return -1;
    }
    fclose(file);
    if (rename(tmp, path) < 0) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

enum sync_result sync_enroll(struct sync_client *client, const char *token, char *unit_id, size_t unit_id_size,
                             char *err, size_t errlen)
{
    const struct platform_paths *paths = &client->options.paths;
    char reason[600];
    if (platform_paths_create(paths, err, errlen) < 0)
        return SYNC_FAILED;
    /* A new key for every enrollment: a token proves who may enroll, the key is this unit's. */
    char new_key[PLATFORM_PATH_MAX + 8];
    snprintf(new_key, sizeof new_key, "%s.new", paths->key_file);
    char *csr = malloc(4096);
    if (!csr) {
        snprintf(err, errlen, "out of memory");
        return SYNC_FAILED;
    }
    if (trust_key_generate(new_key, err, errlen) < 0 ||
        trust_csr_make(new_key, client->options.unit_id, csr, 4096, err, errlen) < 0) {
        free(csr);
        unlink(new_key);
        return SYNC_FAILED;
    }
    char *body = platform_enroll_request(token, csr, KIOSK_VERSION, "sim");
    free(csr);
    if (!body) {
        unlink(new_key);
        snprintf(err, errlen, "out of memory");
        return SYNC_FAILED;
    }
    struct sync_response response = { .fd = -1, .max = SYNC_ANSWER_MAX };
    int rc = sync_exchange(client, "POST", "/v1/enroll", body, strlen(body), NULL, 0, &response, reason, sizeof reason);
    explicit_bzero(body, strlen(body)); /* holds the one-time token */
    free(body);
    if (rc < 0) {
        unlink(new_key);
        sync_response_free(&response);
        snprintf(err, errlen, "%s", reason);
        return SYNC_RETRY;
    }
    if (response.status != 201 && response.status != 200) {
        sync_describe_status(&response, "enroll", err, errlen);
        unlink(new_key);
        sync_response_free(&response);
        return SYNC_FAILED;
    }
    char *certificate = NULL, *ca = NULL;
    enum sync_result result = SYNC_FAILED;
    if (platform_enroll_parse(response.body, response.length, unit_id, unit_id_size, &certificate, &ca, err, errlen) == 0 &&
        sync_write_text(paths->cert_file, certificate, err, errlen) == 0) {
        if (rename(new_key, paths->key_file) < 0)
            snprintf(err, errlen, "%s: cannot write: %s", paths->key_file, strerror(errno));
        else
            result = SYNC_DONE;
    }
    if (result != SYNC_DONE)
        unlink(new_key);
    free(certificate);
    free(ca);
    sync_response_free(&response);
    return result;
}

/* ---- the worker ---------------------------------------------------------------------- */
#define SYNC_SUBMISSIONS_WAITING 8  /* a resident submits one thing at a time */
#define SYNC_SUBMISSIONS_FOLLOWED 32
static struct {
    pthread_t thread;
    bool running;
    volatile bool stop;
    bool poked;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct msgqueue *queue;
    struct sync_options options;
    /* Residents' submissions: waiting to be stored (under lock), then the keys of those
     * stored by this run, to tell the UI when they are delivered (worker thread only). */
    struct sync_submission {
        unsigned request;
        enum outbox_kind kind;
        char *body;
        size_t len;
    } waiting[SYNC_SUBMISSIONS_WAITING];
    int waiting_count;
    unsigned next_request;
    struct {
        unsigned request; /* 0 once settled */
        char key[37];
        bool told_waiting;
    } stored[SYNC_SUBMISSIONS_FOLLOWED];
    int stored_next;
} sync_worker = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

static void sync_worker_post_status(bool online, const char *reason)
{
    struct msg m = { .kind = MSG_PLATFORM_STATUS };
    m.u.platform_status.online = online;
    snprintf(m.u.platform_status.reason, sizeof m.u.platform_status.reason, "%s", reason);
    if (msgqueue_post(sync_worker.queue, &m) < 0)
        log_warn("sync", "message queue full; platform status not posted");
}

/* The new catalogue and its index, to the UI thread (as the catalogue worker does at start). */
static void sync_worker_post_catalogue(struct catalogue *catalogue)
{
    struct msg m = { .kind = MSG_CATALOGUE_READY };
    m.u.catalogue.catalogue = catalogue;
    m.u.catalogue.index = search_index_build(catalogue, m.u.catalogue.error, sizeof m.u.catalogue.error);
    if (!m.u.catalogue.index) {
        log_error("sync", "search index for the new catalogue: %s (it is used from the next start)",
                  m.u.catalogue.error);
        catalogue_free(catalogue);
        return;
    }
    if (msgqueue_post(sync_worker.queue, &m) < 0) {
        log_error("sync", "message queue full; the new catalogue is used from the next start");
        search_index_free(m.u.catalogue.index);
        catalogue_free(catalogue);
    }
}

/* Device events wait in telemetry's memory until a batch is due and are written to the outbox
 * here, on the platform link's thread: the UI thread that noted them never waits for the
 * outbox's fsync. Written whether or not the platform is reachable (the outbox keeps them);
 * force at shutdown, so a clean stop loses none. */
static void sync_worker_write_telemetry(struct outbox *outbox, bool force)
{
    size_t length;
    int count;
    char *body;
    while ((body = telemetry_take_batch(clock_monotonic_ms(), force, &length, &count))) {
        if (outbox_add(outbox, OUTBOX_TELEMETRY, body, length, sync_now_ms(), NULL) < 0)
            log_error("sync", "telemetry: %d events lost: %s", count, outbox_error(outbox));
        else
            log_debug("sync", "telemetry: %d events in the outbox", count);
        free(body);
    }
}

static void sync_worker_post_submission(unsigned request, enum submission_state state, const char *key,
                                        const char *answer_id, const char *reason)
{
    struct msg m = { .kind = MSG_SUBMISSION };
    m.u.submission.request = request;
    m.u.submission.state = state;
    /* The local reference: the first eight of the record's random idempotency key, in
     * capitals (what a resident reads out on the phone). */
    for (int i = 0, n = 0; key && key[i] && n < 8; i++)
        if (key[i] != '-')
            m.u.submission.reference[n++] = (char)toupper((unsigned char)key[i]);
    snprintf(m.u.submission.answer_id, sizeof m.u.submission.answer_id, "%s", answer_id ? answer_id : "");
    snprintf(m.u.submission.reason, sizeof m.u.submission.reason, "%s", reason ? reason : "");
    if (msgqueue_post(sync_worker.queue, &m) < 0)
        log_warn("sync", "message queue full; a submission's state was not posted");
}

/* The outbox settled a record: if a resident of this run is waiting for it, say so. */
static void sync_worker_settled(enum outbox_kind kind, const char *key, const char *answer_id, const char *reason)
{
    (void)kind;
    for (int i = 0; i < SYNC_SUBMISSIONS_FOLLOWED; i++)
        if (sync_worker.stored[i].request && !strcmp(sync_worker.stored[i].key, key)) {
            sync_worker_post_submission(sync_worker.stored[i].request,
                                        answer_id ? SUBMISSION_DELIVERED : SUBMISSION_REFUSED, key, answer_id, reason);
            sync_worker.stored[i].request = 0;
            return;
        }
}

/* The platform could not be reached this round: residents still waiting are told, once,
 * that their submission waits in the outbox. */
static void sync_worker_tell_waiting(const char *reason)
{
    for (int i = 0; i < SYNC_SUBMISSIONS_FOLLOWED; i++)
        if (sync_worker.stored[i].request && !sync_worker.stored[i].told_waiting) {
            sync_worker.stored[i].told_waiting = true;
            sync_worker_post_submission(sync_worker.stored[i].request, SUBMISSION_WAITING, sync_worker.stored[i].key,
                                        NULL, reason);
        }
}

/* Writes what residents submitted to the outbox (one transaction each), wiping the copies. */
static void sync_worker_store_submissions(struct outbox *outbox)
{
    struct sync_submission taken[SYNC_SUBMISSIONS_WAITING];
    pthread_mutex_lock(&sync_worker.lock);
    int count = sync_worker.waiting_count;
    memcpy(taken, sync_worker.waiting, sizeof taken);
    sync_worker.waiting_count = 0;
    pthread_mutex_unlock(&sync_worker.lock);
    for (int i = 0; i < count; i++) {
        char key[37] = "";
        if (outbox_add(outbox, taken[i].kind, taken[i].body, taken[i].len, sync_now_ms(), key) < 0) {
            log_error("sync", "a resident's %s was not stored: %s", outbox_kind_name(taken[i].kind),
                      outbox_error(outbox));
            sync_worker_post_submission(taken[i].request, SUBMISSION_NOT_STORED, NULL, NULL, outbox_error(outbox));
        } else {
            log_info("sync", "a resident's %s is in the outbox (%s)", outbox_kind_name(taken[i].kind), key);
            sync_worker.stored[sync_worker.stored_next].request = taken[i].request;
            sync_worker.stored[sync_worker.stored_next].told_waiting = false;
            snprintf(sync_worker.stored[sync_worker.stored_next].key, sizeof sync_worker.stored[0].key, "%s", key);
            sync_worker.stored_next = (sync_worker.stored_next + 1) % SYNC_SUBMISSIONS_FOLLOWED;
            sync_worker_post_submission(taken[i].request, SUBMISSION_STORED, key, NULL, NULL);
        }
        explicit_bzero(taken[i].body, taken[i].len);
        free(taken[i].body);
    }
}

int sync_worker_submit(enum outbox_kind kind, const char *body, size_t len, unsigned *request)
{
    if (!sync_worker.running)
        return -ESRCH;
    char *copy = malloc(len + 1);
    if (!copy)
        return -ENOMEM;
    memcpy(copy, body, len);
    copy[len] = '\0';
    pthread_mutex_lock(&sync_worker.lock);
    if (sync_worker.waiting_count >= SYNC_SUBMISSIONS_WAITING) {
        pthread_mutex_unlock(&sync_worker.lock);
        explicit_bzero(copy, len);
        free(copy);
        return -EBUSY;
    }
    if (++sync_worker.next_request == 0)
        sync_worker.next_request = 1;
    *request = sync_worker.next_request;
    sync_worker.waiting[sync_worker.waiting_count++] =
        (struct sync_submission){ .request = *request, .kind = kind, .body = copy, .len = len };
    sync_worker.poked = true;
    pthread_cond_signal(&sync_worker.wake);
    pthread_mutex_unlock(&sync_worker.lock);
    return 0;
}

/* Waits until deadline_ms (Unix ms), a poke or stop. */
static void sync_worker_wait(int64_t deadline_ms)
{
    pthread_mutex_lock(&sync_worker.lock);
    while (!sync_worker.stop && !sync_worker.poked) {
        int64_t now = sync_now_ms();
        if (now >= deadline_ms)
            break;
        struct timespec until = { .tv_sec = deadline_ms / 1000, .tv_nsec = (deadline_ms % 1000) * 1000000 };
        pthread_cond_timedwait(&sync_worker.wake, &sync_worker.lock, &until);
    }
    sync_worker.poked = false;
    pthread_mutex_unlock(&sync_worker.lock);
}

static void *sync_worker_main(void *arg)
{
    (void)arg;
    const struct sync_options *o = &sync_worker.options;
    char err[600];
    struct sync_client *client = NULL;
    struct outbox *outbox = NULL;
    if (platform_paths_create(&o->paths, err, sizeof err) < 0 || sync_client_open(o, &client, err, sizeof err) < 0 ||
        outbox_open(o->paths.db, o->paths.device_key, &outbox, err, sizeof err) < 0) {
        log_error("sync", "platform link not started: %s", err);
        sync_worker_post_status(false, err);
        sync_client_close(client);
        return NULL;
    }
    sync_client_set_stop(client, &sync_worker.stop);
    client->settled = sync_worker_settled;
    int online = -1; /* unknown until the first exchange */
    int catalogue_failures = 0;
    int64_t next_catalogue = 0, started = sync_now_ms();
    int64_t next_heartbeat = started + (int64_t)o->heartbeat_s * 1000;
    while (!sync_worker.stop) {
        bool reached = true;
        char why[600] = "";
        sync_worker_store_submissions(outbox);
        if (sync_now_ms() >= next_catalogue) {
            struct catalogue *catalogue = NULL;
            enum sync_result rc = sync_catalogue_run(client, &catalogue, err, sizeof err);
            if (rc == SYNC_DONE) {
                log_info("sync", "%s", err);
                sync_worker_post_catalogue(catalogue);
            } else if (rc == SYNC_UNCHANGED) {
                log_debug("sync", "%s", err);
            } else if (rc == SYNC_REJECTED) {
                log_error("sync", "%s; the catalogue in use stays", err); /* one clear line */
            } else {
                log_warn("sync", "catalogue check: %s", err);
            }
            if (rc == SYNC_RETRY) {
                reached = false;
                snprintf(why, sizeof why, "%s", err);
                catalogue_failures++;
                next_catalogue = sync_now_ms() + sync_backoff_ms(catalogue_failures, o->retry_base_ms,
                                                                 o->retry_max_s * 1000, sync_random32());
            } else {
                catalogue_failures = 0;
                next_catalogue = sync_now_ms() + (int64_t)o->catalogue_check_s * 1000;
            }
        }
        if (reached && !sync_worker.stop && sync_now_ms() >= next_heartbeat) {
            char platform_version[PLATFORM_VERSION_MAX];
            enum sync_result rc = sync_heartbeat(client, outbox_pending_count(outbox), (sync_now_ms() - started) / 1000,
                                                 platform_version, sizeof platform_version, err, sizeof err);
            next_heartbeat = sync_now_ms() + (int64_t)o->heartbeat_s * 1000;
            char current[PLATFORM_VERSION_MAX + 32], ignored[200];
            if (rc == SYNC_RETRY) {
                reached = false;
                snprintf(why, sizeof why, "%s", err);
            } else if (rc == SYNC_DONE && platform_version[0] &&
                       sync_stored_version(o->paths.db, current, sizeof current, ignored, sizeof ignored) == 0 &&
                       strcmp(platform_version, current)) {
                /* The platform has another catalogue: check now, not at the next interval. */
                log_info("sync", "heartbeat: the platform has catalogue %s (in use: %s)", platform_version,
                         current[0] ? current : "none");
                next_catalogue = sync_now_ms();
            }
        }
        sync_worker_write_telemetry(outbox, false);
        if (reached && !sync_worker.stop) {
            int delivered = 0;
            enum sync_result rc = sync_outbox_run(client, outbox, &delivered, err, sizeof err);
            if (delivered)
                log_info("sync", "outbox: %d delivered", delivered);
            if (rc == SYNC_RETRY) {
                reached = false;
                snprintf(why, sizeof why, "%s", err);
            } else if (rc == SYNC_FAILED) {
                log_error("sync", "outbox: %s", err);
            }
        }
        if (!reached)
            sync_worker_tell_waiting(why);
        if (!sync_worker.stop && reached != (online == 1)) {
            online = reached;
            log_info("sync", "platform %s%s%s", reached ? "online" : "offline", reached ? "" : ": ", why);
            sync_worker_post_status(reached, why);
        }
        /* Sleep until the next catalogue check, the outbox's next retry, or the poll. */
        int64_t wake = next_catalogue, poll = sync_now_ms() + (int64_t)o->outbox_poll_s * 1000;
        if (poll < wake)
            wake = poll;
        if (next_heartbeat < wake)
            wake = next_heartbeat;
        int64_t telemetry_due = telemetry_due_in_ms(clock_monotonic_ms());
        if (telemetry_due >= 0 && sync_now_ms() + telemetry_due < wake)
            wake = sync_now_ms() + telemetry_due;
        struct outbox_kind_stats stats[OUTBOX_KIND_COUNT];
        if (outbox_stats(outbox, stats) == 0)
            for (int k = 0; k < OUTBOX_KIND_COUNT; k++)
                if (stats[k].pending && stats[k].next_attempt_at < wake)
                    wake = stats[k].next_attempt_at;
        sync_worker_wait(wake);
    }
    sync_worker_write_telemetry(outbox, true);
    sync_worker_store_submissions(outbox); /* a resident's last submission is not lost at a stop */
    outbox_close(outbox);
    sync_client_close(client);
    return NULL;
}

int sync_worker_start(struct msgqueue *queue, const struct sync_options *options)
{
    sync_worker.queue = queue;
    sync_worker.options = *options;
    sync_worker.stop = false;
    sync_worker.poked = false;
    if (pthread_create(&sync_worker.thread, NULL, sync_worker_main, NULL) != 0) {
        log_error("sync", "cannot start the platform link's worker");
        return -1;
    }
    sync_worker.running = true;
    return 0;
}

void sync_worker_poke(void)
{
    pthread_mutex_lock(&sync_worker.lock);
    sync_worker.poked = true;
    pthread_cond_signal(&sync_worker.wake);
    pthread_mutex_unlock(&sync_worker.lock);
}

void sync_worker_stop(void)
{
    if (!sync_worker.running)
        return;
    pthread_mutex_lock(&sync_worker.lock);
    sync_worker.stop = true;
    pthread_cond_signal(&sync_worker.wake);
    pthread_mutex_unlock(&sync_worker.lock);
    pthread_join(sync_worker.thread, NULL);
    sync_worker.running = false;
}

/* ---- holder-scoped calls (sessions, licences) ----------------------------------------- */
int sync_call(struct sync_client *client, const char *method, const char *path, const char *body,
              const char *session_id, long *status, char **answer, size_t *answer_length, char *err, size_t errlen)
{
    struct sync_response response = { .fd = -1, .max = SYNC_ANSWER_MAX };
    client->session_id = session_id;
    int rc = sync_exchange(client, method, path, body, body ? strlen(body) : 0, NULL, 0, &response, err, errlen);
    client->session_id = NULL;
    *status = response.status;
    *answer = NULL;
    *answer_length = 0;
    if (rc < 0) {
        sync_response_free(&response);
        return -1;
    }
    /* The answer holds personal data (names, licences): handed over, not copied. */
    *answer = response.body;
    *answer_length = response.length;
    response.body = NULL;
    sync_response_free(&response);
    return 0;
}
