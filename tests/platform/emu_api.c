/* The kiosk gateway's calls (docs/platform-api.md) with the emulator's demo data, and the
 * test admin endpoint's calls. Handlers run on libmicrohttpd's connection threads; every
 * database access holds emu_db_lock(). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>
#include <gnutls/crypto.h>

#include "emu_catalogue.h"
#include "emu_crypto.h"
#include "emu_db.h"
#include "emu_http.h"
#include "emu_scan.h"

enum { API_SESSION_SECONDS = 900, API_OTP_SECONDS = 300, API_OTP_ATTEMPTS = 5 };

#define API_JSON "application/json; charset=utf-8"

/* ---- demo data ------------------------------------------------------------------------ */
/* The holders are the ID card reader model's fixtures (board/sim/idcard_model.c): the same
 * invented people and numbers, with a registered phone and whether a one-time code is asked. */
struct api_holder {
    const char *fixture, *card_kind, *id_number, *name, *name_en, *sex, *birth, *valid_to, *address, *phone;
    int otp_required;
};

static const struct api_holder api_holders[] = {
    {"resident", "resident", "371302198003152035", "张三丰", "", "男", "19800315", "20350601",
     "山东省临沂市兰山区金雀山路18号", "13905391234", 0},
    {"resident-expired", "resident", "371311196507204027", "李秀英", "", "女", "19650720", "20250101",
     "山东省临沂市罗庄区沂河路66号", "13805392345", 0},
    {"resident-longterm", "resident", "371312195008080017", "王建国", "", "男", "19500808", "长期",
     "山东省临沂市河东区滨河东路9号", "13705393456", 0},
    {"resident-moved", "resident", "371302199211035516", "赵明", "", "男", "19921103", "20400105",
     "山东省临沂市北城新区北京路7号", "13605394567", 1},
    {"permit-j", "permit-j", "810000199002123023", "陈美玲", "", "女", "19900212", "20260301",
     "香港特别行政区九龙旺角道8号", "13505395678", 0},
    {"foreign-2017", "foreign-2017", "DEU370085021401", "安娜", "MUELLER ANNA MARIA", "女", "19850214", "20270301",
     "", "13405396789", 0},
    {"foreign-2023", "foreign-2023", "933700198805051231", "玛丽亚", "RODRIGUEZ GARCIA MARIA DE LOS ANGELES", "女",
     "19880505", "20330601", "", "13305397890", 1},
};
enum { API_HOLDER_COUNT = sizeof api_holders / sizeof api_holders[0] };

/* Licence kinds the demo issues; which holder has which (by fixture name). */
struct api_licence_kind {
    const char *key, *name, *type_name, *type_code, *issuer, *issuer_code, *definer, *definer_code, *seal,
        *related_item, *issued_on, *valid_to, *jurisdiction;
};

static const struct api_licence_kind api_licence_kinds[] = {
    {"hukou", "居民户口簿（个人页）电子证照", "居民户口簿", "11100000000013338W032", "临沂市公安局兰山分局",
     "11371302MB28517321", "公安部", "11100000000013338W", "临沂市公安局兰山分局户籍专用章",
     "1137130200452176XR200100500000", "2020-05-11", NULL, "371302"},
    {"driving", "机动车驾驶证电子证照", "机动车驾驶证", "11100000000013338W011", "临沂市公安局交通警察支队",
     "11371300MB28502361", "公安部", "11100000000013338W", "临沂市公安局交通警察支队驾驶证专用章", "",
     "2019-07-20", "2029-07-20", "371300"},
    {"social", "社会保障卡电子证照", "社会保障卡", "11100000717800876P001", "临沂市人力资源和社会保障局",
     "11371300004306349M", "人力资源社会保障部", "11100000717800876P", "临沂市人力资源和社会保障局",
     "11371300004306349M200200100001", "2018-03-02", "2028-03-02", "371300"},
    {"work-permit", "外国人工作许可证电子证照", "外国人工作许可证", "11100000MB0143028A005", "临沂市科学技术局",
     "11371300004305936P", "科学技术部", "11100000MB0143028A", "临沂市科学技术局外国人工作许可专用章", "",
     "2023-06-15", "2026-06-14", "371300"},
    {"residence", "港澳台居民居住证电子证照", "港澳台居民居住证", "11100000000013338W045", "临沂市公安局兰山分局",
     "11371302MB28517321", "公安部", "11100000000013338W", "临沂市公安局兰山分局", "", "2021-03-01",
     "2026-03-01", "371302"},
};

static const struct {
    const char *fixture, *kind;
} api_holder_licences[] = {
    {"resident", "hukou"},          {"resident", "driving"},       {"resident", "social"},
    {"resident-expired", "social"}, {"resident-longterm", "hukou"}, {"resident-moved", "hukou"},
    {"permit-j", "residence"},      {"foreign-2017", "work-permit"}, {"foreign-2023", "work-permit"},
};

static char api_demo_token[64];
static const char api_firmware_version[] = "0.4.1";
static char api_firmware_sha[EMU_SHA256_HEX];
static uint64_t api_firmware_size;

/* ---- small helpers ---------------------------------------------------------------------- */
static void api_now_rfc3339(char out[40])
{
    time_t local = time(NULL) + 8 * 3600;
    struct tm tm;
    gmtime_r(&local, &tm);
    strftime(out, 40, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
}

static void api_random_hex(char *out, size_t bytes)
{
    uint8_t raw[32];
    if (bytes > sizeof raw)
        bytes = sizeof raw;
    gnutls_rnd(GNUTLS_RND_NONCE, raw, bytes);
    emu_hex(raw, bytes, out);
}

static size_t api_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static const char *api_string(const cJSON *object, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(object, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* path "/v1/prefix/REST": REST (no further '/') or NULL. */
static const char *api_tail(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(path, prefix, n) != 0 || !path[n] || strchr(path + n, '/'))
        return NULL;
    return path + n;
}

static const struct api_holder *api_holder_by_id(const char *id_number)
{
    for (size_t i = 0; i < API_HOLDER_COUNT; i++)
        if (id_number && strcmp(api_holders[i].id_number, id_number) == 0)
            return &api_holders[i];
    return NULL;
}

static void api_mask_name(const char *name, char *out, size_t size)
{
    /* 张三丰 → 张*丰, 赵明 → 赵*: first and last character kept. */
    size_t chars = api_utf8_chars(name);
    const char *second = name + 1;
    while (*second && ((unsigned char)*second & 0xC0) == 0x80)
        second++;
    const char *last = name + strlen(name);
    while (last > name && ((unsigned char)last[-1] & 0xC0) == 0x80)
        last--;
    if (last > name)
        last--;
    while (last > name && ((unsigned char)*last & 0xC0) == 0x80)
        last--;
    snprintf(out, size, "%.*s*%s", (int)(second - name), name, chars > 2 ? last : "");
}

/* ---- idempotent creation ---------------------------------------------------------------- */
/* Runs create (with the database lock held) once per unit + path + Idempotency-Key; a
 * repeat gets the first answer (2xx and 4xx other than 429 are kept; a 5xx applied nothing). */
typedef void (*api_create_fn)(const struct emu_request *req, cJSON *body, struct emu_response *resp);

static void api_idempotent(const struct emu_request *req, struct emu_response *resp, const char *kind,
                           api_create_fn create)
{
    const char *key = req->header(req, "Idempotency-Key");
    size_t key_len = key ? strlen(key) : 0;
    if (!key || key_len < 16 || key_len > 64 ||
        strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") != key_len) {
        emu_response_error(resp, 400, "bad_request", "Idempotency-Key header: 16 to 64 of A-Z a-z 0-9 _ -");
        return;
    }
    char body_sha[EMU_SHA256_HEX], counter[64];
    emu_sha256_hex(req->body, req->body_len, body_sha);
    sqlite3 *db = emu_db_lock();
    snprintf(counter, sizeof counter, "%s_received", kind);
    emu_db_count(counter, 1);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "SELECT body_sha256, status, response FROM idempotency WHERE unit_id = ?1 AND path = ?2"
                           " AND key = ?3", -1, &st, NULL);
    sqlite3_bind_text(st, 1, req->unit_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, req->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        if (strcmp((const char *)sqlite3_column_text(st, 0), body_sha) != 0) {
            snprintf(counter, sizeof counter, "%s_conflicts", kind);
            emu_db_count(counter, 1);
            emu_response_error(resp, 409, "idempotency_conflict",
                               "Idempotency-Key %s was first used with a different body", key);
        } else {
            size_t len = (size_t)sqlite3_column_bytes(st, 2);
            char *first = malloc(len + 1);
            if (first) {
                memcpy(first, sqlite3_column_blob(st, 2), len);
                first[len] = '\0';
            }
            emu_response_body(resp, sqlite3_column_int(st, 1), first, first ? len : 0, API_JSON);
            emu_response_header(resp, "Idempotent-Replayed", "true");
            snprintf(counter, sizeof counter, "%s_duplicates_suppressed", kind);
            emu_db_count(counter, 1);
        }
        sqlite3_finalize(st);
        emu_db_unlock();
        return;
    }
    sqlite3_finalize(st);
    cJSON *body = cJSON_ParseWithLength(req->body, req->body_len);
    if (!cJSON_IsObject(body))
        emu_response_error(resp, 400, "bad_request", "body: not a JSON object");
    else
        create(req, body, resp);
    cJSON_Delete(body);
    if (resp->status < 500 && resp->status != 429) {
        char now[40];
        api_now_rfc3339(now);
        sqlite3_prepare_v2(db, "INSERT INTO idempotency(unit_id, path, key, body_sha256, status, response, created_at)"
                               " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &st, NULL);
        sqlite3_bind_text(st, 1, req->unit_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, req->path, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, body_sha, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, resp->status);
        sqlite3_bind_blob(st, 6, resp->body ? resp->body : "", (int)resp->len, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
        sqlite3_step(st);
        sqlite3_finalize(st);
    }
    emu_db_unlock();
}

static int64_t api_next_serial(const char *counter)
{
    emu_db_count(counter, 1);
    return emu_db_counter(counter);
}

/* A number for the day: PREFIX, today's date, six digits of the counter ("LY20261128000017"). */
static void api_daily_number(char *out, size_t size, const char *prefix, const char *counter)
{
    snprintf(out, size, "%s%s%06lld", prefix, emu_db_today(), (long long)(api_next_serial(counter) % 1000000));
}

/* ---- enrollment --------------------------------------------------------------------------- */
static void api_enroll(const struct emu_request *req, struct emu_response *resp)
{
    cJSON *in = cJSON_ParseWithLength(req->body, req->body_len);
    const char *token = api_string(in, "token"), *csr = api_string(in, "csr");
    if (!token || !csr) {
        cJSON_Delete(in);
        emu_response_error(resp, 400, "bad_request", "token and csr (PEM) are required strings");
        return;
    }
    sqlite3 *db = emu_db_lock();
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "SELECT reusable, used_by FROM tokens WHERE token = ?1", -1, &st, NULL);
    sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
    int found = sqlite3_step(st) == SQLITE_ROW;
    int reusable = found && sqlite3_column_int(st, 0), used = found && sqlite3_column_type(st, 1) != SQLITE_NULL;
    sqlite3_finalize(st);
    if (!found) {
        emu_response_error(resp, 403, "token_invalid", "unknown enrollment token");
    } else if (used && !reusable) {
        emu_response_error(resp, 409, "token_used", "this enrollment token has enrolled a unit already");
    } else {
        char unit_id[32], err[160];
        snprintf(unit_id, sizeof unit_id, "LY-KIOSK-%04lld", (long long)api_next_serial("unit_serial"));
        time_t now = time(NULL);
        int64_t not_before = now - 60, not_after = now + 365LL * 86400;
        if (emu_fault_take(EMU_FAULT_EXPIRED_CLIENT_CERT, req->path, NULL)) {
            not_before = now - 2 * 86400;
            not_after = now - 86400;
        }
        uint64_t serial;
        gnutls_rnd(GNUTLS_RND_NONCE, &serial, sizeof serial);
        serial &= 0x7fffffffffffffffULL;
        char *cert = NULL;
        if (emu_issue_client_cert(csr, unit_id, not_before, not_after, serial, &cert, err, sizeof err) < 0) {
            emu_response_error(resp, 400, "csr_invalid", "%s", err);
        } else {
            char before[40], after[40], now_text[40];
            time_t b = (time_t)not_before, a = (time_t)not_after;
            struct tm tm;
            strftime(before, sizeof before, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&b, &tm));
            strftime(after, sizeof after, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&a, &tm));
            api_now_rfc3339(now_text);
            sqlite3_prepare_v2(db, "INSERT INTO units(unit_id, serial, not_after, enrolled_at) VALUES(?1, ?2, ?3, ?4)",
                               -1, &st, NULL);
            sqlite3_bind_text(st, 1, unit_id, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)serial);
            sqlite3_bind_int64(st, 3, not_after);
            sqlite3_bind_text(st, 4, now_text, -1, SQLITE_STATIC);
            sqlite3_step(st);
            sqlite3_finalize(st);
            sqlite3_prepare_v2(db, "UPDATE tokens SET used_by = ?2 WHERE token = ?1", -1, &st, NULL);
            sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, unit_id, -1, SQLITE_STATIC);
            sqlite3_step(st);
            sqlite3_finalize(st);
            cJSON *out = cJSON_CreateObject();
            cJSON_AddStringToObject(out, "unit_id", unit_id);
            cJSON_AddStringToObject(out, "certificate", cert);
            cJSON_AddStringToObject(out, "ca", emu_crypto_pem("ca.pem"));
            cJSON_AddStringToObject(out, "not_before", before);
            cJSON_AddStringToObject(out, "not_after", after);
            emu_response_json(resp, 201, out);
            free(cert);
        }
    }
    emu_db_unlock();
    cJSON_Delete(in);
}

/* ---- unit config, heartbeat -------------------------------------------------------------- */
static void api_config(const struct emu_request *req, struct emu_response *resp)
{
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "config_version", "2026-11-28.1");
    cJSON_AddStringToObject(c, "unit_id", req->unit_id);
    cJSON_AddStringToObject(c, "name", "临沂市政务服务中心 24小时自助服务区 1号机");
    cJSON *hall = cJSON_AddObjectToObject(c, "hall");
    cJSON_AddStringToObject(hall, "id", "ly-zwzx");
    cJSON_AddStringToObject(hall, "name", "临沂市政务服务中心");
    cJSON_AddStringToObject(hall, "address", "临沂市兰山区北京路与上海路交汇处");
    cJSON_AddStringToObject(hall, "phone", "0539-12345");
    cJSON *services = cJSON_AddObjectToObject(c, "services");
    const char *names[] = {"guide", "licence_print", "apply", "evaluate", "report"};
    for (size_t i = 0; i < 5; i++)
        cJSON_AddTrueToObject(services, names[i]);
    cJSON *hours = cJSON_AddArrayToObject(c, "hours"), *row = cJSON_CreateObject();
    const int days[] = {1, 2, 3, 4, 5, 6, 7};
    cJSON_AddItemToObject(row, "days", cJSON_CreateIntArray(days, 7));
    cJSON_AddStringToObject(row, "open", "00:00");
    cJSON_AddStringToObject(row, "close", "24:00");
    cJSON_AddItemToArray(hours, row);
    cJSON *timeouts = cJSON_AddObjectToObject(c, "timeouts");
    cJSON_AddNumberToObject(timeouts, "inactivity_s", 60);
    cJSON_AddNumberToObject(timeouts, "countdown_s", 20);
    cJSON_AddNumberToObject(timeouts, "otp_s", API_OTP_SECONDS);
    cJSON_AddNumberToObject(timeouts, "session_max_s", API_SESSION_SECONDS);
    cJSON *sync = cJSON_AddObjectToObject(c, "sync");
    cJSON_AddNumberToObject(sync, "heartbeat_s", 300);
    cJSON_AddNumberToObject(sync, "catalogue_check_s", 3600);
    cJSON_AddNumberToObject(sync, "telemetry_batch_max", 100);
    emu_response_json(resp, 200, c);
}

static void api_heartbeat(const struct emu_request *req, struct emu_response *resp)
{
    cJSON *in = cJSON_ParseWithLength(req->body, req->body_len);
    if (!cJSON_IsObject(in)) {
        cJSON_Delete(in);
        emu_response_error(resp, 400, "bad_request", "body: not a JSON object");
        return;
    }
    cJSON_Delete(in);
    char now[40], *manifest = NULL, version[40] = "";
    size_t len;
    api_now_rfc3339(now);
    sqlite3 *db = emu_db_lock();
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO heartbeats(unit_id, body, at) VALUES(?1, ?2, ?3)", -1, &st, NULL);
    sqlite3_bind_text(st, 1, req->unit_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, req->body, (int)req->body_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
    sqlite3_step(st);
    sqlite3_finalize(st);
    /* Every heartbeat too, not only the latest: tests read what the unit said over time. */
    sqlite3_prepare_v2(db, "INSERT INTO heartbeat_log(unit_id, body, at) VALUES(?1, ?2, ?3)", -1, &st, NULL);
    sqlite3_bind_text(st, 1, req->unit_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, req->body, (int)req->body_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
    sqlite3_step(st);
    sqlite3_finalize(st);
    emu_db_count("heartbeats_received", 1);
    emu_db_unlock();
    if (emu_catalogue_manifest(&manifest, &len, version, sizeof version) == 0)
        free(manifest);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "server_time", now);
    cJSON_AddStringToObject(out, "catalogue_version", version);
    cJSON_AddStringToObject(out, "config_version", "2026-11-28.1");
    cJSON_AddStringToObject(out, "firmware_version", api_firmware_version);
    emu_response_json(resp, 200, out);
}

/* ---- signed resources and downloads ------------------------------------------------------ */
/* Signs body (or, under the bad-signature fault, other bytes) into the contract's headers. */
static void api_sign_headers(const struct emu_request *req, struct emu_response *resp)
{
    char *sig;
    if (emu_fault_take(EMU_FAULT_BAD_SIGNATURE, req->path, NULL)) {
        char *other = malloc(resp->len + 1);
        if (!other)
            return;
        memcpy(other, resp->body, resp->len);
        other[resp->len] = '\n';
        sig = emu_sign_base64(other, resp->len + 1);
        free(other);
    } else {
        sig = emu_sign_base64(resp->body, resp->len);
    }
    if (sig)
        emu_response_header(resp, "Kiosk-Signature", sig);
    free(sig);
    emu_response_header(resp, "Kiosk-Signature-Alg", "ecdsa-p256-sha256");
    emu_response_header(resp, "Kiosk-Key-Id", emu_signing_key_id());
}

static void api_manifest(const struct emu_request *req, struct emu_response *resp)
{
    char *body, version[40];
    size_t len;
    if (emu_catalogue_manifest(&body, &len, version, sizeof version) < 0) {
        emu_response_error(resp, 503, "unavailable", "no catalogue published");
        return;
    }
    emu_response_body(resp, 200, body, len, API_JSON);
    api_sign_headers(req, resp);
}

static void api_download(const struct emu_request *req, struct emu_response *resp, const char *kind,
                         const char *sha, const char *content_type)
{
    uint64_t size, first = 0, last = 0;
    if (!sha || strlen(sha) != 64 || emu_catalogue_blob_size(kind, sha, &size) < 0) {
        emu_response_error(resp, 404, "not_found", "no %s %s", kind, sha ? sha : "");
        return;
    }
    char etag[80], range_text[96];
    snprintf(etag, sizeof etag, "\"%s\"", sha);
    const char *range = req->header(req, "Range"), *if_range = req->header(req, "If-Range");
    if (if_range && strcmp(if_range, etag) != 0)
        range = NULL; /* a different thing than the client holds: send it whole */
    enum emu_range r = emu_range_parse(range, size, &first, &last);
    if (r == EMU_RANGE_UNSATISFIABLE) {
        emu_response_error(resp, 416, "range_not_satisfiable", "%s is %llu bytes", kind, (unsigned long long)size);
        snprintf(range_text, sizeof range_text, "bytes */%llu", (unsigned long long)size);
        emu_response_header(resp, "Content-Range", range_text);
        return;
    }
    if (r == EMU_RANGE_NONE) {
        first = 0;
        last = size ? size - 1 : 0;
    }
    size_t count = size ? (size_t)(last - first + 1) : 0;
    char *data;
    if (emu_catalogue_blob_read(kind, sha, first, count, &data) < 0) {
        emu_response_error(resp, 500, "internal", "cannot read %s %s", kind, sha);
        return;
    }
    emu_response_body(resp, r == EMU_RANGE_PARTIAL ? 206 : 200, data, count, content_type);
    emu_response_header(resp, "ETag", etag);
    emu_response_header(resp, "Accept-Ranges", "bytes");
    if (r == EMU_RANGE_PARTIAL) {
        snprintf(range_text, sizeof range_text, "bytes %llu-%llu/%llu", (unsigned long long)first,
                 (unsigned long long)last, (unsigned long long)size);
        emu_response_header(resp, "Content-Range", range_text);
    }
}

static void api_firmware_manifest(const struct emu_request *req, struct emu_response *resp)
{
    const char *board = req->query(req, "board");
    if (!board || strcmp(board, "sim") != 0) {
        emu_response_error(resp, 404, "not_found", "no firmware published for board %s", board ? board : "(none)");
        return;
    }
    cJSON *m = cJSON_CreateObject();
    char path[128];
    snprintf(path, sizeof path, "/v1/firmware/images/%s", api_firmware_sha);
    cJSON_AddStringToObject(m, "format", "kiosk-firmware-manifest/1");
    cJSON_AddStringToObject(m, "board", "sim");
    cJSON_AddStringToObject(m, "version", api_firmware_version);
    cJSON_AddStringToObject(m, "min_version", "0.3.0");
    cJSON *image = cJSON_AddObjectToObject(m, "image");
    cJSON_AddStringToObject(image, "path", path);
    cJSON_AddStringToObject(image, "sha256", api_firmware_sha);
    cJSON_AddNumberToObject(image, "size", (double)api_firmware_size);
    cJSON_AddStringToObject(m, "published", "2026-11-28T08:00:00+08:00");
    cJSON_AddStringToObject(m, "notes", "emulator demo image (not a firmware)");
    emu_response_json(resp, 200, m);
    api_sign_headers(req, resp);
}

/* ---- sessions ------------------------------------------------------------------------------ */
static void api_session_answer(struct emu_response *resp, int status, const char *session_id,
                               const struct api_holder *h, time_t expires)
{
    char masked[64], at[40];
    time_t local = expires + 8 * 3600;
    struct tm tm;
    gmtime_r(&local, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
    api_mask_name(h->name[0] ? h->name : h->name_en, masked, sizeof masked);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "session_id", session_id);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(out, "holder"), "name_masked", masked);
    cJSON_AddFalseToObject(out, "otp_required");
    cJSON_AddStringToObject(out, "expires_at", at);
    emu_response_json(resp, status, out);
}

static void api_session_create(const struct emu_request *req, struct emu_response *resp)
{
    cJSON *in = cJSON_ParseWithLength(req->body, req->body_len);
    const cJSON *card = cJSON_GetObjectItemCaseSensitive(in, "card");
    const char *kind = api_string(card, "card_kind"), *id = api_string(card, "id_number"),
               *name = api_string(card, "name"), *name_en = api_string(card, "name_en"),
               *birth = api_string(card, "birth"), *valid_to = api_string(card, "valid_to"),
               *valid_from = api_string(card, "valid_from"), *purpose = api_string(in, "purpose");
    if (!kind || !id || !name || !name_en || !birth || !valid_to || !valid_from) {
        emu_response_error(resp, 400, "bad_request",
                           "card needs card_kind, id_number, name, name_en, birth, valid_from, valid_to (strings)");
    } else if (!purpose || (strcmp(purpose, "licence_print") && strcmp(purpose, "apply") && strcmp(purpose, "status"))) {
        emu_response_error(resp, 400, "bad_request", "purpose: one of licence_print, apply, status");
    } else {
        const struct api_holder *h = api_holder_by_id(id);
        if (!h) {
            emu_response_error(resp, 404, "holder_unknown", "no holder with that card");
        } else if (strcmp(h->card_kind, kind) != 0 || strcmp(h->name, name) != 0 || strcmp(h->name_en, name_en) != 0 ||
                   strcmp(h->birth, birth) != 0 || strcmp(h->valid_to, valid_to) != 0) {
            emu_response_error(resp, 422, "card_mismatch", "the card's fields differ from the holder's record");
        } else if (strcmp(valid_to, "长期") != 0 && strcmp(valid_to, emu_db_today()) < 0) {
            emu_response_error(resp, 422, "card_expired", "the card expired on %.4s-%.2s-%.2s", valid_to,
                               valid_to + 4, valid_to + 6);
        } else {
            char session_id[64] = "s_", otp[8] = "";
            api_random_hex(session_id + 2, 12);
            time_t now = time(NULL), expires = now + API_SESSION_SECONDS;
            if (h->otp_required) {
                uint32_t r;
                gnutls_rnd(GNUTLS_RND_NONCE, &r, sizeof r);
                snprintf(otp, sizeof otp, "%06u", (unsigned)(r % 1000000));
            }
            sqlite3 *db = emu_db_lock();
            sqlite3_stmt *st;
            sqlite3_prepare_v2(db, "INSERT INTO sessions(session_id, holder_id, otp, otp_expires, otp_attempts, state,"
                                   " expires) VALUES(?1, ?2, ?3, ?4, 0, ?5, ?6)", -1, &st, NULL);
            sqlite3_bind_text(st, 1, session_id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, h->id_number, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, otp, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 4, now + API_OTP_SECONDS);
            sqlite3_bind_text(st, 5, h->otp_required ? "otp" : "active", -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 6, expires);
            sqlite3_step(st);
            sqlite3_finalize(st);
            emu_db_count("sessions_created", 1);
            emu_db_unlock();
            if (!h->otp_required) {
                api_session_answer(resp, 201, session_id, h, expires);
            } else {
                char masked[64], phone[16];
                snprintf(phone, sizeof phone, "%s", h->phone);
                snprintf(masked, sizeof masked, "%.3s****%s", phone, phone + 7);
                cJSON *out = cJSON_CreateObject();
                char name_masked[64];
                api_mask_name(h->name[0] ? h->name : h->name_en, name_masked, sizeof name_masked);
                cJSON_AddStringToObject(out, "session_id", session_id);
                cJSON_AddStringToObject(cJSON_AddObjectToObject(out, "holder"), "name_masked", name_masked);
                cJSON_AddTrueToObject(out, "otp_required");
                cJSON_AddStringToObject(out, "phone_masked", masked);
                cJSON_AddNumberToObject(out, "otp_expires_in_s", API_OTP_SECONDS);
                emu_response_json(resp, 202, out);
            }
        }
    }
    cJSON_Delete(in);
}

/* Reads a session row; 0 and its fields, or -1. With the lock held. */
static int api_session_row(const char *session_id, char *holder, size_t holder_size, char *otp, char *state,
                           int64_t *otp_expires, int *attempts, int64_t *expires)
{
    sqlite3 *db = emu_db_lock();
    sqlite3_stmt *st;
    int rc = -1;
    sqlite3_prepare_v2(db, "SELECT holder_id, otp, otp_expires, otp_attempts, state, expires FROM sessions"
                           " WHERE session_id = ?1", -1, &st, NULL);
    sqlite3_bind_text(st, 1, session_id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(holder, holder_size, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(otp, 8, "%s", (const char *)sqlite3_column_text(st, 1));
        *otp_expires = sqlite3_column_int64(st, 2);
        *attempts = sqlite3_column_int(st, 3);
        snprintf(state, 16, "%s", (const char *)sqlite3_column_text(st, 4));
        *expires = sqlite3_column_int64(st, 5);
        rc = 0;
    }
    sqlite3_finalize(st);
    emu_db_unlock();
    return rc;
}

static void api_session_set(const char *session_id, const char *state, int attempts)
{
    sqlite3 *db = emu_db_lock();
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "UPDATE sessions SET state = ?2, otp_attempts = ?3 WHERE session_id = ?1", -1, &st, NULL);
    sqlite3_bind_text(st, 1, session_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, attempts);
    sqlite3_step(st);
    sqlite3_finalize(st);
    emu_db_unlock();
}

static void api_session_otp(const struct emu_request *req, struct emu_response *resp, const char *session_id)
{
    char holder[64], otp[8], state[16];
    int64_t otp_expires, expires;
    int attempts;
    cJSON *in = cJSON_ParseWithLength(req->body, req->body_len);
    const char *code = api_string(in, "code");
    if (!code) {
        emu_response_error(resp, 400, "bad_request", "code: a string of 6 digits");
    } else if (api_session_row(session_id, holder, sizeof holder, otp, state, &otp_expires, &attempts, &expires) < 0 ||
               strcmp(state, "ended") == 0) {
        emu_response_error(resp, 404, "not_found", "no such session");
    } else if (strcmp(state, "locked") == 0) {
        emu_response_error(resp, 429, "otp_locked", "too many wrong codes; start a new session");
    } else if (strcmp(state, "otp") != 0) {
        emu_response_error(resp, 400, "bad_request", "this session does not wait for a code");
    } else if (time(NULL) > otp_expires) {
        emu_response_error(resp, 410, "otp_expired", "the code expired; start a new session");
    } else if (strcmp(code, otp) != 0) {
        attempts++;
        api_session_set(session_id, attempts >= API_OTP_ATTEMPTS ? "locked" : "otp", attempts);
        if (attempts >= API_OTP_ATTEMPTS) {
            emu_response_error(resp, 429, "otp_locked", "too many wrong codes; start a new session");
        } else {
            emu_response_error(resp, 401, "otp_invalid", "wrong code");
            cJSON *body = cJSON_Parse(resp->body), *details = cJSON_CreateArray(), *d = cJSON_CreateObject();
            char left[16];
            snprintf(left, sizeof left, "%d", API_OTP_ATTEMPTS - attempts);
            cJSON_AddStringToObject(d, "field", "attempts_left");
            cJSON_AddStringToObject(d, "reason", left);
            cJSON_AddItemToArray(details, d);
            cJSON_AddItemToObject(cJSON_GetObjectItem(body, "error"), "details", details);
            emu_response_json(resp, 401, body);
        }
    } else {
        api_session_set(session_id, "active", attempts);
        api_session_answer(resp, 200, session_id, api_holder_by_id(holder), (time_t)expires);
    }
    cJSON_Delete(in);
}

/* The holder of "Authorization: Session ID", or NULL with the error set. */
static const struct api_holder *api_session_holder(const struct emu_request *req, struct emu_response *resp)
{
    const char *auth = req->header(req, "Authorization");
    char holder[64], otp[8], state[16];
    int64_t otp_expires, expires;
    int attempts;
    if (!auth || strncmp(auth, "Session ", 8) != 0 ||
        api_session_row(auth + 8, holder, sizeof holder, otp, state, &otp_expires, &attempts, &expires) < 0 ||
        strcmp(state, "active") != 0 || time(NULL) > expires) {
        emu_response_error(resp, 401, "session_invalid", "Authorization: Session <session_id> of an active session");
        return NULL;
    }
    return api_holder_by_id(holder);
}

/* ---- licences -------------------------------------------------------------------------------- */
static void api_licence_id(const struct api_licence_kind *k, size_t index, char *out, size_t size)
{
    char body[160];
    snprintf(body, sizeof body, "1.2.156.3005.2.%s.%s.%05zu.001", k->type_code, k->issuer_code, index + 1);
    unsigned sum = 0;
    for (const char *c = body; *c; c++)
        if (*c >= '0' && *c <= '9')
            sum += (unsigned)(*c - '0');
    snprintf(out, size, "%s.%u", body, sum % 10);
}

/* One licence entry: payload bytes, their signature, as the contract says. */
static cJSON *api_licence_entry(const struct emu_request *req, const struct api_holder *h,
                                const struct api_licence_kind *k, size_t index)
{
    char id[200], made_at[40], until[16], footer[64], qr[300], number[40];
    api_licence_id(k, index, id, sizeof id);
    api_now_rfc3339(made_at);
    time_t later = time(NULL) + 8 * 3600 + 30 * 86400;
    struct tm tm;
    gmtime_r(&later, &tm);
    strftime(until, sizeof until, "%Y-%m-%d", &tm);
    snprintf(footer, sizeof footer, "打印时间 %.10s %.5s", made_at, made_at + 11);
    snprintf(qr, sizeof qr, "https://zwfw.linyi.example/verify/%s", id);
    /* 证照编号: the holder's number for these kinds; a permit number for a work permit. */
    if (strcmp(k->key, "work-permit") == 0)
        snprintf(number, sizeof number, "1370%.8s%04zu", h->birth, index + 1);
    else
        snprintf(number, sizeof number, "%s", h->id_number);
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "format", "kiosk-licence/1");
    cJSON_AddStringToObject(p, "licence_id", id);
    cJSON *m = cJSON_AddObjectToObject(p, "metadata");
    cJSON_AddStringToObject(m, "name", k->name);
    cJSON_AddStringToObject(m, "type_name", k->type_name);
    cJSON_AddStringToObject(m, "type_code", k->type_code);
    cJSON_AddStringToObject(m, "number", number);
    cJSON_AddStringToObject(m, "version", "001");
    cJSON_AddStringToObject(m, "issuer", k->issuer);
    cJSON_AddStringToObject(m, "issuer_code", k->issuer_code);
    cJSON_AddStringToObject(m, "issued_on", k->issued_on);
    cJSON_AddStringToObject(m, "definer", k->definer);
    cJSON_AddStringToObject(m, "definer_code", k->definer_code);
    cJSON_AddStringToObject(m, "valid_from", k->issued_on);
    if (k->valid_to)
        cJSON_AddStringToObject(m, "valid_to", k->valid_to);
    else
        cJSON_AddNullToObject(m, "valid_to");
    cJSON_AddStringToObject(m, "jurisdiction", k->jurisdiction);
    cJSON_AddStringToObject(m, "holder", h->name[0] ? h->name : h->name_en);
    cJSON_AddStringToObject(m, "holder_code", h->id_number);
    cJSON_AddStringToObject(m, "holder_code_type", strcmp(h->card_kind, "resident") == 0 ? "111" : "990");
    cJSON *related = cJSON_AddArrayToObject(m, "related_items");
    if (k->related_item[0])
        cJSON_AddItemToArray(related, cJSON_CreateString(k->related_item));
    int expired = k->valid_to && strcmp(k->valid_to, "2026-11-28") < 0;
    cJSON_AddStringToObject(m, "status", expired ? "expired" : "valid");
    cJSON_AddStringToObject(m, "grade", "A");
    cJSON *a = cJSON_AddObjectToObject(m, "annotation");
    cJSON_AddStringToObject(a, "made_at", made_at);
    cJSON_AddStringToObject(a, "maker", "临沂市政务服务管理局");
    cJSON_AddStringToObject(a, "purpose", "自助终端打印");
    cJSON_AddStringToObject(a, "valid_until", until);
    cJSON *page = cJSON_AddObjectToObject(p, "page");
    cJSON_AddStringToObject(page, "paper", "A4");
    cJSON_AddStringToObject(page, "title", k->type_name);
    cJSON *fields = cJSON_AddArrayToObject(page, "fields");
    char birth[32];
    snprintf(birth, sizeof birth, "%.4s年%.2s月%.2s日", h->birth, h->birth + 4, h->birth + 6);
    const char *rows[][2] = {
        {"姓名", h->name[0] ? h->name : h->name_en}, {"性别", h->sex}, {"出生日期", birth},
        {"证件号码", h->id_number}, {"住址", h->address}, {"证照编号", number},
        {"有效期至", k->valid_to ? k->valid_to : "长期"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (!rows[i][1][0])
            continue;
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "label", rows[i][0]);
        cJSON_AddStringToObject(f, "value", rows[i][1]);
        cJSON_AddItemToArray(fields, f);
    }
    char watermark[200];
    snprintf(watermark, sizeof watermark, "临沂市政务服务管理局提供·仅供办理政务服务使用·%s前有效", until);
    cJSON_AddStringToObject(page, "issuer_line", k->issuer);
    cJSON_AddStringToObject(page, "seal_text", k->seal);
    cJSON_AddStringToObject(page, "watermark", watermark);
    cJSON_AddStringToObject(page, "qr", qr);
    cJSON_AddStringToObject(page, "footer", footer);
    char *payload = cJSON_PrintUnformatted(p);
    cJSON_Delete(p);
    if (!payload)
        return NULL;
    size_t len = strlen(payload);
    char *b64 = emu_base64(payload, len), *sig;
    if (emu_fault_take(EMU_FAULT_BAD_SIGNATURE, req->path, NULL)) {
        payload[len / 2] ^= 1; /* a signature over other bytes */
        sig = emu_sign_base64(payload, len);
    } else {
        sig = emu_sign_base64(payload, len);
    }
    cJSON *entry = cJSON_CreateObject();
    cJSON_AddStringToObject(entry, "licence_id", id);
    cJSON_AddStringToObject(entry, "payload", b64 ? b64 : "");
    cJSON_AddStringToObject(entry, "signature", sig ? sig : "");
    cJSON_AddStringToObject(entry, "key_id", emu_signing_key_id());
    free(payload);
    free(b64);
    free(sig);
    return entry;
}

static void api_licences(const struct emu_request *req, struct emu_response *resp, const char *only)
{
    const struct api_holder *h = api_session_holder(req, resp);
    if (!h)
        return;
    cJSON *out = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(out, "licences"), *found = NULL;
    for (size_t i = 0; i < sizeof api_holder_licences / sizeof api_holder_licences[0]; i++) {
        if (strcmp(api_holder_licences[i].fixture, h->fixture) != 0)
            continue;
        for (size_t k = 0; k < sizeof api_licence_kinds / sizeof api_licence_kinds[0]; k++) {
            if (strcmp(api_licence_kinds[k].key, api_holder_licences[i].kind) != 0)
                continue;
            char id[200];
            api_licence_id(&api_licence_kinds[k], i, id, sizeof id);
            if (only && strcmp(only, id) != 0)
                continue;
            cJSON *entry = api_licence_entry(req, h, &api_licence_kinds[k], i);
            if (entry && only)
                found = entry;
            else if (entry)
                cJSON_AddItemToArray(list, entry);
        }
    }
    if (only) {
        cJSON_Delete(out);
        if (!found)
            emu_response_error(resp, 404, "not_found", "no licence %s for this holder", only);
        else
            emu_response_json(resp, 200, found);
        return;
    }
    emu_db_lock();
    emu_db_count("licence_lists_served", 1);
    emu_db_unlock();
    emu_response_json(resp, 200, out);
}

/* ---- forms and applications ------------------------------------------------------------------- */
static const char *const api_reason_choices[] = {"首次申请", "变更", "补办"};

/* The form of a kiosk-filable item of the current catalogue, or NULL. */
static cJSON *api_form(const char *code)
{
    char *item_text = emu_catalogue_item(code);
    cJSON *item = item_text ? cJSON_Parse(item_text) : NULL;
    free(item_text);
    if (!cJSON_IsTrue(cJSON_GetObjectItem(item, "kiosk_filable"))) {
        cJSON_Delete(item);
        return NULL;
    }
    cJSON *form = cJSON_CreateObject();
    cJSON_AddStringToObject(form, "implementation_code", code);
    cJSON_AddStringToObject(form, "form_version", "1");
    cJSON_AddStringToObject(form, "title", api_string(item, "name") ? api_string(item, "name") : code);
    cJSON *fields = cJSON_AddArrayToObject(form, "fields"), *f;
    f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "id", "phone");
    cJSON_AddStringToObject(f, "label", "联系电话");
    cJSON_AddStringToObject(f, "type", "phone");
    cJSON_AddTrueToObject(f, "required");
    cJSON_AddItemToArray(fields, f);
    f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "id", "reason");
    cJSON_AddStringToObject(f, "label", "申请类型");
    cJSON_AddStringToObject(f, "type", "choice");
    cJSON_AddTrueToObject(f, "required");
    cJSON_AddItemToObject(f, "choices", cJSON_CreateStringArray(api_reason_choices, 3));
    cJSON_AddItemToArray(fields, f);
    f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "id", "note");
    cJSON_AddStringToObject(f, "label", "备注");
    cJSON_AddStringToObject(f, "type", "text");
    cJSON_AddFalseToObject(f, "required");
    cJSON_AddNumberToObject(f, "max_length", 200);
    cJSON_AddItemToArray(fields, f);
    cJSON_Delete(item);
    return form;
}

/* Checks the submitted fields against the form; adds one detail per problem. */
static int api_form_check(const cJSON *form, const cJSON *values, cJSON *details)
{
    const cJSON *field;
    int problems = 0;
    cJSON_ArrayForEach(field, cJSON_GetObjectItem(form, "fields"))
    {
        const char *id = api_string(field, "id"), *type = api_string(field, "type");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(values, id);
        const char *why = NULL;
        if (!v) {
            if (cJSON_IsTrue(cJSON_GetObjectItem(field, "required")))
                why = "required";
        } else if (!cJSON_IsString(v)) {
            why = "must be a string";
        } else if (strcmp(type, "phone") == 0) {
            if (strlen(v->valuestring) != 11 || strspn(v->valuestring, "0123456789") != 11 || v->valuestring[0] != '1')
                why = "must be 11 digits starting with 1";
        } else if (strcmp(type, "choice") == 0) {
            int ok = 0;
            const cJSON *c;
            cJSON_ArrayForEach(c, cJSON_GetObjectItem(field, "choices")) ok |= strcmp(c->valuestring, v->valuestring) == 0;
            if (!ok)
                why = "not one of the choices";
        } else if (strcmp(type, "text") == 0) {
            if (api_utf8_chars(v->valuestring) > (size_t)cJSON_GetObjectItem(field, "max_length")->valueint)
                why = "too long";
        }
        if (why) {
            char path[80];
            snprintf(path, sizeof path, "fields.%s", id);
            cJSON *d = cJSON_CreateObject();
            cJSON_AddStringToObject(d, "field", path);
            cJSON_AddStringToObject(d, "reason", why);
            cJSON_AddItemToArray(details, d);
            problems++;
        }
    }
    const cJSON *v;
    cJSON_ArrayForEach(v, values)
    {
        const cJSON *f;
        int known = 0;
        cJSON_ArrayForEach(f, cJSON_GetObjectItem(form, "fields")) known |= strcmp(api_string(f, "id"), v->string) == 0;
        if (!known) {
            char path[200];
            snprintf(path, sizeof path, "fields.%.150s", v->string);
            cJSON *d = cJSON_CreateObject();
            cJSON_AddStringToObject(d, "field", path);
            cJSON_AddStringToObject(d, "reason", "not in the form");
            cJSON_AddItemToArray(details, d);
            problems++;
        }
    }
    return problems;
}

static void api_error_details(struct emu_response *resp, int status, const char *code, const char *message,
                              cJSON *details)
{
    cJSON *root = cJSON_CreateObject(), *error = cJSON_AddObjectToObject(root, "error");
    cJSON_AddStringToObject(error, "code", code);
    cJSON_AddStringToObject(error, "message", message);
    cJSON_AddItemToObject(error, "details", details);
    emu_response_json(resp, status, root);
}

/* With the lock held (api_idempotent). */
static void api_application_create(const struct emu_request *req, cJSON *in, struct emu_response *resp)
{
    const char *code = api_string(in, "implementation_code"), *form_version = api_string(in, "form_version"),
               *filed_at = api_string(in, "filed_at");
    const cJSON *values = cJSON_GetObjectItemCaseSensitive(in, "fields"),
                *holder = cJSON_GetObjectItemCaseSensitive(in, "holder");
    if (!code || !form_version || !filed_at || !cJSON_IsObject(values) || !cJSON_IsObject(holder) ||
        !api_string(holder, "id_number")) {
        emu_response_error(resp, 400, "bad_request",
                           "implementation_code, form_version, filed_at (strings), fields and holder (objects) required");
        return;
    }
    cJSON *form = api_form(code);
    if (!form) {
        emu_response_error(resp, 422, "item_not_filable", "%s is not filable at a kiosk", code);
        return;
    }
    const struct api_holder *h = api_holder_by_id(api_string(holder, "id_number"));
    cJSON *details = cJSON_CreateArray();
    if (!h) {
        cJSON_Delete(details);
        emu_response_error(resp, 404, "holder_unknown", "no holder with that id_number");
    } else if (strcmp(form_version, "1") != 0) {
        cJSON_Delete(details);
        emu_response_error(resp, 422, "form_invalid", "form_version %s is not the current 1", form_version);
    } else if (api_form_check(form, values, details) > 0) {
        api_error_details(resp, 422, "form_invalid", "the fields do not fit the form", details);
    } else {
        cJSON_Delete(details);
        char tracking[32], now[40];
        api_daily_number(tracking, sizeof tracking, "LY", "tracking_serial");
        api_now_rfc3339(now);
        sqlite3_stmt *st;
        sqlite3 *conn = emu_db_lock();
        sqlite3_prepare_v2(conn, "INSERT INTO applications(tracking_number, unit_id, idempotency_key,"
                                 " implementation_code, item_name, body, status, updated_at)"
                                 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, 'received', ?7)", -1, &st, NULL);
        sqlite3_bind_text(st, 1, tracking, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, req->unit_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, req->header(req, "Idempotency-Key"), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, code, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, api_string(form, "title"), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, req->body, (int)req->body_len, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
        sqlite3_step(st);
        sqlite3_finalize(st);
        sqlite3_prepare_v2(conn, "INSERT INTO application_history(tracking_number, status, at) VALUES(?1, 'received', ?2)",
                           -1, &st, NULL);
        sqlite3_bind_text(st, 1, tracking, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
        sqlite3_step(st);
        sqlite3_finalize(st);
        emu_db_unlock();
        cJSON *out = cJSON_CreateObject();
        cJSON_AddStringToObject(out, "tracking_number", tracking);
        cJSON_AddStringToObject(out, "status", "received");
        cJSON_AddStringToObject(out, "received_at", now);
        emu_response_json(resp, 201, out);
    }
    cJSON_Delete(form);
}

static const char *const api_status_names[][2] = {
    {"received", "已接收"}, {"accepted", "已受理"}, {"in_review", "审核中"}, {"supplement_required", "需补正材料"},
    {"approved", "已批准"}, {"rejected", "不予受理"}, {"completed", "已办结"},
};

static const char *api_status_text(const char *status)
{
    for (size_t i = 0; i < sizeof api_status_names / sizeof api_status_names[0]; i++)
        if (strcmp(api_status_names[i][0], status) == 0)
            return api_status_names[i][1];
    return NULL;
}

static void api_application_status(struct emu_response *resp, const char *tracking)
{
    sqlite3 *db = emu_db_lock();
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "SELECT implementation_code, item_name, status, updated_at FROM applications"
                           " WHERE tracking_number = ?1", -1, &st, NULL);
    sqlite3_bind_text(st, 1, tracking, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        emu_db_unlock();
        emu_response_error(resp, 404, "not_found", "no application %s", tracking);
        return;
    }
    cJSON *out = cJSON_CreateObject();
    const char *status = (const char *)sqlite3_column_text(st, 2);
    cJSON_AddStringToObject(out, "tracking_number", tracking);
    cJSON_AddStringToObject(out, "implementation_code", (const char *)sqlite3_column_text(st, 0));
    cJSON_AddStringToObject(out, "item_name", (const char *)sqlite3_column_text(st, 1));
    cJSON_AddStringToObject(out, "status", status);
    cJSON_AddStringToObject(out, "status_text", api_status_text(status) ? api_status_text(status) : status);
    cJSON_AddStringToObject(out, "updated_at", (const char *)sqlite3_column_text(st, 3));
    sqlite3_finalize(st);
    cJSON *history = cJSON_AddArrayToObject(out, "history");
    sqlite3_prepare_v2(db, "SELECT status, at FROM application_history WHERE tracking_number = ?1 ORDER BY rowid", -1,
                       &st, NULL);
    sqlite3_bind_text(st, 1, tracking, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *h = cJSON_CreateObject();
        cJSON_AddStringToObject(h, "status", (const char *)sqlite3_column_text(st, 0));
        cJSON_AddStringToObject(h, "at", (const char *)sqlite3_column_text(st, 1));
        cJSON_AddItemToArray(history, h);
    }
    sqlite3_finalize(st);
    emu_db_unlock();
    emu_response_json(resp, 200, out);
}

/* Sets a status and adds it to the history. 0 or -1 (no such application). */
static int api_application_set_status(const char *tracking, const char *status, const char *at)
{
    sqlite3 *db = emu_db_lock();
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "UPDATE applications SET status = ?2, updated_at = ?3 WHERE tracking_number = ?1", -1, &st,
                       NULL);
    sqlite3_bind_text(st, 1, tracking, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, at, -1, SQLITE_STATIC);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (sqlite3_changes(db) != 1) {
        emu_db_unlock();
        return -1;
    }
    sqlite3_prepare_v2(db, "INSERT INTO application_history(tracking_number, status, at) VALUES(?1, ?2, ?3)", -1, &st,
                       NULL);
    sqlite3_bind_text(st, 1, tracking, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, at, -1, SQLITE_STATIC);
    sqlite3_step(st);
    sqlite3_finalize(st);
    emu_db_unlock();
    return 0;
}

/* ---- ratings, reports, telemetry ---------------------------------------------------------- */
static void api_submission_store(const char *id, const char *kind, const struct emu_request *req)
{
    char now[40];
    api_now_rfc3339(now);
    sqlite3 *db = emu_db_lock();
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "INSERT INTO submissions(id, kind, unit_id, body, at) VALUES(?1, ?2, ?3, ?4, ?5)", -1, &st,
                       NULL);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, req->unit_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, req->body, (int)req->body_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
    sqlite3_step(st);
    sqlite3_finalize(st);
    emu_db_unlock();
}

/* An evaluation or report accepted: numbered, stored, and 201 with its number under key. */
static void api_submission_accept(const struct emu_request *req, struct emu_response *resp, const char *prefix,
                                  const char *counter, const char *kind, const char *key)
{
    char id[32];
    api_daily_number(id, sizeof id, prefix, counter);
    api_submission_store(id, kind, req);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, key, id);
    emu_response_json(resp, 201, out);
}

static int api_optional_phone(const cJSON *object, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(object, key);
    return cJSON_IsNull(v) || (cJSON_IsString(v) && strlen(v->valuestring) == 11 &&
                               strspn(v->valuestring, "0123456789") == 11);
}

static void api_evaluation_create(const struct emu_request *req, cJSON *in, struct emu_response *resp)
{
    const cJSON *level = cJSON_GetObjectItemCaseSensitive(in, "level"), *options = cJSON_GetObjectItem(in, "options"),
                *subject = cJSON_GetObjectItemCaseSensitive(in, "subject");
    const char *comment = api_string(in, "comment"), *channel = api_string(in, "channel");
    int options_ok = cJSON_IsArray(options);
    const cJSON *o;
    cJSON_ArrayForEach(o, options) options_ok &= cJSON_IsString(o);
    if (!cJSON_IsNumber(level) || level->valuedouble != (double)level->valueint || level->valueint < 1 ||
        level->valueint > 5 || !channel || !options_ok || !comment || api_utf8_chars(comment) > 500 ||
        !cJSON_IsObject(subject) || !api_string(in, "rated_at") || !api_optional_phone(in, "callback_phone")) {
        emu_response_error(resp, 422, "evaluation_invalid",
                           "level 1-5, channel, subject (object), options (strings), comment (at most 500 characters),"
                           " rated_at, callback_phone (11 digits or null)");
        return;
    }
    api_submission_accept(req, resp, "E", "evaluation_serial", "evaluation", "evaluation_id");
}

static void api_report_create(const struct emu_request *req, cJSON *in, struct emu_response *resp)
{
    const char *category = api_string(in, "category"), *description = api_string(in, "description");
    const char *categories[] = {"cannot_find_item", "cannot_finish_here", "device_fault", "other"};
    int known = 0;
    for (size_t i = 0; category && i < 4; i++)
        known |= strcmp(category, categories[i]) == 0;
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(in, "implementation_code");
    if (!known || !description || api_utf8_chars(description) < 1 || api_utf8_chars(description) > 1000 ||
        !(cJSON_IsNull(code) || cJSON_IsString(code)) || !api_optional_phone(in, "contact_phone") ||
        !api_string(in, "reported_at")) {
        emu_response_error(resp, 422, "report_invalid",
                           "category (cannot_find_item, cannot_finish_here, device_fault, other), description"
                           " (1-1000 characters), implementation_code or null, contact_phone or null, reported_at");
        return;
    }
    api_submission_accept(req, resp, "B", "report_serial", "problem_report", "report_number");
}

/* A kind is dotted keywords: "receipt.paper_end" (lower case, digits, underscores). */
static int api_telemetry_kind_ok(const char *kind)
{
    if (!kind || !*kind || strlen(kind) > 64 || !strchr(kind, '.') || kind[0] == '.' || kind[strlen(kind) - 1] == '.' ||
        strstr(kind, ".."))
        return 0;
    return strspn(kind, "abcdefghijklmnopqrstuvwxyz0123456789_.") == strlen(kind);
}

/* RFC 3339 in UTC or with an offset: YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm). */
static int api_rfc3339_ok(const char *at)
{
    if (!at || strlen(at) < 20)
        return 0;
    const char *shape = "dddd-dd-ddTdd:dd:dd";
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? !(at[i] >= '0' && at[i] <= '9') : at[i] != shape[i])
            return 0;
    const char *rest = at + 19;
    if (*rest == '.') {
        rest++;
        size_t digits = strspn(rest, "0123456789");
        if (!digits)
            return 0;
        rest += digits;
    }
    if (!strcmp(rest, "Z"))
        return 1;
    return (rest[0] == '+' || rest[0] == '-') && strlen(rest) == 6 && rest[3] == ':' &&
           strspn(rest + 1, "0123456789") == 2 && strspn(rest + 4, "0123456789") == 2;
}

static void api_telemetry_create(const struct emu_request *req, cJSON *in, struct emu_response *resp)
{
    const cJSON *events = cJSON_GetObjectItemCaseSensitive(in, "events"), *e;
    int n = cJSON_GetArraySize(events), ok = cJSON_IsArray(events) && n >= 1 && n <= 100;
    cJSON_ArrayForEach(e, events) {
        const cJSON *data = cJSON_GetObjectItemCaseSensitive(e, "data");
        ok &= api_rfc3339_ok(api_string(e, "at")) && api_telemetry_kind_ok(api_string(e, "kind")) &&
              (!data || cJSON_IsObject(data));
    }
    if (!ok) {
        emu_response_error(resp, 422, "telemetry_invalid",
                           "events: 1 to 100 objects with at (RFC 3339), kind (dotted keywords: receipt.paper_end)"
                           " and data (an object) or none");
        return;
    }
    char id[32];
    snprintf(id, sizeof id, "T%lld", (long long)api_next_serial("telemetry_serial"));
    api_submission_store(id, "telemetry", req);
    emu_db_count("telemetry_events", n);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "accepted", n);
    emu_response_json(resp, 201, out);
}

/* ---- routing ------------------------------------------------------------------------------------ */
static int api_is(const struct emu_request *req, const char *method, const char *path)
{
    return strcmp(req->method, method) == 0 && strcmp(req->path, path) == 0;
}

void emu_api_handle(const struct emu_request *req, struct emu_response *resp)
{
    const char *tail;
    if (api_is(req, "POST", "/v1/enroll")) {
        api_enroll(req, resp);
        return;
    }
    /* A certificate from the CA whose unit the platform does not know (never enrolled
     * here, or enrolled in an emulator database since wiped) is refused like a stranger's. */
    emu_db_lock();
    int64_t known = emu_db_int("SELECT count(*) FROM units WHERE unit_id = ?1", req->unit_id);
    emu_db_unlock();
    if (known != 1) {
        emu_response_error(resp, 403, "client_certificate_invalid", "unit %s is not enrolled", req->unit_id);
        return;
    }
    if (api_is(req, "GET", "/v1/config"))
        api_config(req, resp);
    else if (api_is(req, "POST", "/v1/heartbeat"))
        api_heartbeat(req, resp);
    else if (api_is(req, "GET", "/v1/catalogue/manifest"))
        api_manifest(req, resp);
    else if (strcmp(req->method, "GET") == 0 && (tail = api_tail(req->path, "/v1/catalogue/shards/")))
        api_download(req, resp, "shard", tail, "application/octet-stream");
    else if (strcmp(req->method, "GET") == 0 && (tail = api_tail(req->path, "/v1/catalogue/deltas/")))
        api_download(req, resp, "delta", tail, API_JSON);
    else if (api_is(req, "POST", "/v1/sessions"))
        api_session_create(req, resp);
    else if (strcmp(req->method, "POST") == 0 && strncmp(req->path, "/v1/sessions/", 13) == 0 &&
             strlen(req->path) > 17 && strcmp(req->path + strlen(req->path) - 4, "/otp") == 0) {
        char id[64];
        snprintf(id, sizeof id, "%.*s", (int)(strlen(req->path) - 17), req->path + 13);
        api_session_otp(req, resp, id);
    } else if (strcmp(req->method, "DELETE") == 0 && (tail = api_tail(req->path, "/v1/sessions/"))) {
        char holder[64], otp[8], state[16];
        int64_t otp_expires, expires;
        int attempts;
        if (api_session_row(tail, holder, sizeof holder, otp, state, &otp_expires, &attempts, &expires) < 0) {
            emu_response_error(resp, 404, "not_found", "no such session");
        } else {
            api_session_set(tail, "ended", attempts);
            emu_response_json(resp, 200, cJSON_CreateObject());
        }
    } else if (api_is(req, "GET", "/v1/licences"))
        api_licences(req, resp, NULL);
    else if (strcmp(req->method, "GET") == 0 && (tail = api_tail(req->path, "/v1/licences/")))
        api_licences(req, resp, tail);
    else if (strcmp(req->method, "GET") == 0 && (tail = api_tail(req->path, "/v1/forms/"))) {
        cJSON *form = api_form(tail);
        if (form)
            emu_response_json(resp, 200, form);
        else
            emu_response_error(resp, 404, "not_found", "no kiosk form for item %s", tail);
    } else if (api_is(req, "POST", "/v1/applications"))
        api_idempotent(req, resp, "applications", api_application_create);
    else if (strcmp(req->method, "GET") == 0 && (tail = api_tail(req->path, "/v1/applications/")))
        api_application_status(resp, tail);
    else if (api_is(req, "POST", "/v1/evaluations"))
        api_idempotent(req, resp, "evaluations", api_evaluation_create);
    else if (api_is(req, "POST", "/v1/problem-reports"))
        api_idempotent(req, resp, "problem_reports", api_report_create);
    else if (api_is(req, "POST", "/v1/telemetry"))
        api_idempotent(req, resp, "telemetry", api_telemetry_create);
    else if (api_is(req, "GET", "/v1/firmware/manifest"))
        api_firmware_manifest(req, resp);
    else if (strcmp(req->method, "GET") == 0 && (tail = api_tail(req->path, "/v1/firmware/images/")))
        api_download(req, resp, "firmware", tail, "application/octet-stream");
    else
        emu_response_error(resp, 404, "not_found", "no %s %s in /v1", req->method, req->path);
}

/* ---- the test admin endpoint ---------------------------------------------------------------------- */
static cJSON *api_kind_stats(const char *kind, const char *path, const char *stored_sql)
{
    char name[64];
    cJSON *o = cJSON_CreateObject();
    snprintf(name, sizeof name, "%s_received", kind);
    cJSON_AddNumberToObject(o, "received", (double)emu_db_counter(name));
    cJSON_AddNumberToObject(o, "stored", (double)emu_db_int(stored_sql, NULL));
    cJSON_AddNumberToObject(o, "idempotency_keys",
                            (double)emu_db_int("SELECT count(*) FROM idempotency WHERE path = ?1", path));
    snprintf(name, sizeof name, "%s_duplicates_suppressed", kind);
    cJSON_AddNumberToObject(o, "duplicates_suppressed", (double)emu_db_counter(name));
    snprintf(name, sizeof name, "%s_conflicts", kind);
    cJSON_AddNumberToObject(o, "conflicts", (double)emu_db_counter(name));
    return o;
}

static void api_admin_stats(struct emu_response *resp)
{
    char *manifest = NULL, version[40] = "";
    size_t len;
    if (emu_catalogue_manifest(&manifest, &len, version, sizeof version) == 0)
        free(manifest);
    emu_db_lock();
    cJSON *out = cJSON_CreateObject();
    cJSON *apps = api_kind_stats("applications", "/v1/applications",
                                 "SELECT count(*) FROM applications WHERE unit_id <> ''");
    cJSON_AddNumberToObject(out, "applications_received",
                            cJSON_GetObjectItem(apps, "received")->valuedouble);
    cJSON_AddNumberToObject(out, "idempotency_keys", cJSON_GetObjectItem(apps, "idempotency_keys")->valuedouble);
    cJSON_AddNumberToObject(out, "duplicates_suppressed",
                            cJSON_GetObjectItem(apps, "duplicates_suppressed")->valuedouble);
    cJSON_AddItemToObject(out, "applications", apps);
    cJSON_AddItemToObject(out, "evaluations",
                          api_kind_stats("evaluations", "/v1/evaluations",
                                         "SELECT count(*) FROM submissions WHERE kind = 'evaluation'"));
    cJSON_AddItemToObject(out, "problem_reports",
                          api_kind_stats("problem_reports", "/v1/problem-reports",
                                         "SELECT count(*) FROM submissions WHERE kind = 'problem_report'"));
    cJSON_AddItemToObject(out, "telemetry",
                          api_kind_stats("telemetry", "/v1/telemetry",
                                         "SELECT count(*) FROM submissions WHERE kind = 'telemetry'"));
    cJSON_AddNumberToObject(out, "telemetry_events", (double)emu_db_counter("telemetry_events"));
    cJSON_AddNumberToObject(out, "heartbeats", (double)emu_db_counter("heartbeats_received"));
    cJSON_AddNumberToObject(out, "sessions", (double)emu_db_counter("sessions_created"));
    cJSON_AddNumberToObject(out, "enrolled_units", (double)emu_db_int("SELECT count(*) FROM units", NULL));
    cJSON_AddStringToObject(out, "catalogue_version", version);
    emu_db_unlock();
    emu_response_json(resp, 200, out);
}

void emu_api_admin(const struct emu_request *req, struct emu_response *resp)
{
    cJSON *in = cJSON_ParseWithLength(req->body, req->body_len);
    char err[512], version[64];
    if (api_is(req, "GET", "/admin/stats")) {
        api_admin_stats(resp);
    } else if (api_is(req, "GET", "/admin/applications")) {
        /* Every application filed by a unit, in arrival order: tests match them to the
         * keys their outbox holds (each once, none missing). */
        sqlite3 *db = emu_db_lock();
        sqlite3_stmt *st;
        cJSON *out = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(out, "applications");
        sqlite3_prepare_v2(db, "SELECT tracking_number, unit_id, idempotency_key, implementation_code, status"
                               " FROM applications WHERE unit_id <> '' ORDER BY rowid", -1, &st, NULL);
        while (sqlite3_step(st) == SQLITE_ROW) {
            cJSON *a = cJSON_CreateObject();
            const char *names[] = {"tracking_number", "unit_id", "idempotency_key", "implementation_code", "status"};
            for (int i = 0; i < 5; i++)
                cJSON_AddStringToObject(a, names[i], (const char *)sqlite3_column_text(st, i));
            cJSON_AddItemToArray(list, a);
        }
        sqlite3_finalize(st);
        emu_db_unlock();
        emu_response_json(resp, 200, out);
    } else if (api_is(req, "GET", "/admin/telemetry")) {
        /* Every telemetry event received, in arrival order, each with its request's id and
         * unit (a replayed request is stored once): what the platform console would list. */
        sqlite3 *db = emu_db_lock();
        sqlite3_stmt *st;
        cJSON *out = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(out, "events");
        sqlite3_prepare_v2(db, "SELECT id, unit_id, body FROM submissions WHERE kind = 'telemetry' ORDER BY rowid", -1,
                           &st, NULL);
        while (sqlite3_step(st) == SQLITE_ROW) {
            cJSON *body = cJSON_Parse((const char *)sqlite3_column_text(st, 2)), *e;
            cJSON_ArrayForEach(e, cJSON_GetObjectItem(body, "events")) {
                cJSON *event = cJSON_Duplicate(e, 1);
                cJSON_AddStringToObject(event, "request", (const char *)sqlite3_column_text(st, 0));
                cJSON_AddStringToObject(event, "unit_id", (const char *)sqlite3_column_text(st, 1));
                cJSON_AddItemToArray(list, event);
            }
            cJSON_Delete(body);
        }
        sqlite3_finalize(st);
        emu_db_unlock();
        emu_response_json(resp, 200, out);
    } else if (api_is(req, "GET", "/admin/heartbeats")) {
        /* Every heartbeat received, in arrival order (body as the unit sent it). */
        sqlite3 *db = emu_db_lock();
        sqlite3_stmt *st;
        cJSON *out = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(out, "heartbeats");
        sqlite3_prepare_v2(db, "SELECT unit_id, at, body FROM heartbeat_log ORDER BY rowid", -1, &st, NULL);
        while (sqlite3_step(st) == SQLITE_ROW) {
            cJSON *h = cJSON_CreateObject();
            cJSON_AddStringToObject(h, "unit_id", (const char *)sqlite3_column_text(st, 0));
            cJSON_AddStringToObject(h, "at", (const char *)sqlite3_column_text(st, 1));
            cJSON *body = cJSON_Parse((const char *)sqlite3_column_text(st, 2));
            cJSON_AddItemToObject(h, "body", body ? body : cJSON_CreateNull());
            cJSON_AddItemToArray(list, h);
        }
        sqlite3_finalize(st);
        emu_db_unlock();
        emu_response_json(resp, 200, out);
    } else if (api_is(req, "POST", "/admin/reset")) {
        emu_db_lock();
        int rc = emu_db_reset();
        emu_db_unlock();
        if (rc < 0)
            emu_response_error(resp, 500, "internal", "reset failed");
        else
            emu_response_json(resp, 200, cJSON_CreateObject());
    } else if (api_is(req, "GET", "/admin/otp")) {
        const char *session_id = req->query(req, "session_id");
        char holder[64], otp[8] = "", state[16];
        int64_t otp_expires, expires;
        int attempts;
        if (!session_id ||
            api_session_row(session_id, holder, sizeof holder, otp, state, &otp_expires, &attempts, &expires) < 0 ||
            !otp[0]) {
            emu_response_error(resp, 404, "not_found", "no code was sent for that session");
        } else {
            cJSON *out = cJSON_CreateObject();
            cJSON_AddStringToObject(out, "code", otp);
            emu_response_json(resp, 200, out);
        }
    } else if (api_is(req, "POST", "/admin/enrollment-tokens")) {
        char token[40] = "LY-ENROLL-";
        api_random_hex(token + 10, 6);
        for (char *c = token + 10; *c; c++)
            if (*c >= 'a' && *c <= 'f')
                *c = (char)(*c - 'a' + 'A');
        sqlite3 *db = emu_db_lock();
        sqlite3_stmt *st;
        sqlite3_prepare_v2(db, "INSERT INTO tokens(token, reusable) VALUES(?1, 0)", -1, &st, NULL);
        sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
        sqlite3_step(st);
        sqlite3_finalize(st);
        emu_db_unlock();
        cJSON *out = cJSON_CreateObject();
        cJSON_AddStringToObject(out, "token", token);
        emu_response_json(resp, 201, out);
    } else if (api_is(req, "POST", "/admin/catalogue/publish") || api_is(req, "POST", "/admin/catalogue/mutate")) {
        int rc, with_delta = !cJSON_IsFalse(cJSON_GetObjectItem(in, "delta"));
        if (strstr(req->path, "publish")) {
            const char *file = api_string(in, "file");
            rc = file ? emu_catalogue_publish_file(file, with_delta, version, sizeof version, err, sizeof err) : -1;
            if (!file)
                snprintf(err, sizeof err, "file: the path of a kiosk-catalogue/1 document");
        } else {
            const cJSON *c = cJSON_GetObjectItem(in, "changed"), *a = cJSON_GetObjectItem(in, "added"),
                        *r = cJSON_GetObjectItem(in, "removed");
            rc = emu_catalogue_mutate(cJSON_IsNumber(c) ? (unsigned)c->valuedouble : 0,
                                      cJSON_IsNumber(a) ? (unsigned)a->valuedouble : 0,
                                      cJSON_IsNumber(r) ? (unsigned)r->valuedouble : 0, with_delta, version,
                                      sizeof version, err, sizeof err);
        }
        if (rc < 0) {
            emu_response_error(resp, 400, "bad_request", "%s", err);
        } else {
            cJSON *out = cJSON_CreateObject();
            cJSON_AddStringToObject(out, "version", version);
            emu_response_json(resp, 200, out);
        }
    } else if (api_is(req, "POST", "/admin/applications/status")) {
        const char *tracking = api_string(in, "tracking_number"), *status = api_string(in, "status");
        char now[40];
        api_now_rfc3339(now);
        if (!tracking || !status || !api_status_text(status))
            emu_response_error(resp, 400, "bad_request", "tracking_number and a contract status are required");
        else if (api_application_set_status(tracking, status, now) < 0)
            emu_response_error(resp, 404, "not_found", "no application %s", tracking);
        else
            emu_response_json(resp, 200, cJSON_CreateObject());
    } else {
        emu_response_error(resp, 404, "not_found", "admin: GET /admin/stats, /admin/applications, /admin/telemetry,"
                                                    " /admin/heartbeats, POST /admin/reset,"
                                                    " /admin/faults,"
                                                    " GET /admin/otp?session_id=, POST /admin/enrollment-tokens,"
                                                    " /admin/catalogue/publish, /admin/catalogue/mutate,"
                                                    " /admin/applications/status");
    }
    cJSON_Delete(in);
}

/* ---- start ------------------------------------------------------------------------------------------ */
int emu_api_init(const char *demo_token, char *err, size_t errlen)
{
    snprintf(api_demo_token, sizeof api_demo_token, "%s", demo_token);
    /* The demo firmware image: 256 KiB of a fixed pseudo-random sequence (its bytes only
     * matter as something to download, resume and hash). */
    size_t size = 256 * 1024;
    unsigned char *image = malloc(size);
    if (!image) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    uint32_t x = 0x4b494f53u;
    for (size_t i = 0; i < size; i++) {
        x = x * 1664525u + 1013904223u;
        image[i] = (unsigned char)(x >> 24);
    }
    int rc = emu_catalogue_blob_store("firmware", image, size, api_firmware_sha);
    free(image);
    api_firmware_size = size;
    if (rc < 0) {
        snprintf(err, errlen, "cannot store the demo firmware image");
        return -1;
    }
    sqlite3 *db = emu_db_lock();
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO tokens(token, reusable) VALUES(?1, 1)", -1, &st, NULL);
    sqlite3_bind_text(st, 1, api_demo_token, -1, SQLITE_STATIC);
    sqlite3_step(st);
    sqlite3_finalize(st);
    /* Demo applications filed earlier at a window (unit ''), for status lookups. */
    static const char *const demo[][5] = {
        {"LY20261120000001", "11371300004306349M200200100002", "社会保障卡补换", "completed", "2026-11-20T10:02:00+08:00"},
        {"LY20261125000002", "12371300MB2851044A200200200001", "城乡居民基本养老保险参保登记", "in_review",
         "2026-11-25T15:40:00+08:00"},
        {"LY20261126000003", "12371300493502833D200600100001", "住房公积金提取（租房）", "supplement_required",
         "2026-11-26T09:15:00+08:00"},
    };
    for (size_t i = 0; i < sizeof demo / sizeof demo[0]; i++) {
        sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO applications(tracking_number, unit_id, idempotency_key,"
                               " implementation_code, item_name, body, status, updated_at)"
                               " VALUES(?1, '', '', ?2, ?3, '{}', ?4, ?5)", -1, &st, NULL);
        for (int k = 0; k < 5; k++)
            sqlite3_bind_text(st, k + 1, demo[i][k], -1, SQLITE_STATIC);
        sqlite3_step(st);
        int inserted = sqlite3_changes(db) == 1;
        sqlite3_finalize(st);
        if (inserted) {
            sqlite3_prepare_v2(db, "INSERT INTO application_history(tracking_number, status, at) VALUES(?1, ?2, ?3)",
                               -1, &st, NULL);
            sqlite3_bind_text(st, 1, demo[i][0], -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, "received", -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, demo[i][4], -1, SQLITE_STATIC);
            sqlite3_step(st);
            sqlite3_finalize(st);
            if (strcmp(demo[i][3], "received") != 0) {
                sqlite3_prepare_v2(db, "INSERT INTO application_history(tracking_number, status, at)"
                                       " VALUES(?1, ?2, ?3)", -1, &st, NULL);
                sqlite3_bind_text(st, 1, demo[i][0], -1, SQLITE_STATIC);
                sqlite3_bind_text(st, 2, demo[i][3], -1, SQLITE_STATIC);
                sqlite3_bind_text(st, 3, demo[i][4], -1, SQLITE_STATIC);
                sqlite3_step(st);
                sqlite3_finalize(st);
            }
        }
    }
    emu_db_unlock();
    return 0;
}
