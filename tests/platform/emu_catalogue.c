#include "emu_catalogue.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "emu_crypto.h"
#include "emu_db.h"
#include "emu_scan.h"

enum { CAT_DELTAS_LISTED = 8 };

struct cat_item {
    char code[40];
    char version[24];
    char sha[EMU_SHA256_HEX]; /* of the item's bytes: tells a changed item */
    size_t start, len;
};

struct cat_state {
    char *doc;
    size_t doc_len;
    struct emu_doc_scan scan;
    struct cat_item *items; /* sorted by code */
    size_t item_count;
    char version[40];
    char *manifest;
    size_t manifest_len;
};

/* Everything below is read and written with the database lock held. */
static struct {
    char blob_dir[4096];
    size_t shard_size;
    struct cat_state current;
} cat;

/* ---- a growable text buffer ---------------------------------------------------------- */
struct cat_buf {
    char *p;
    size_t len, cap;
    int failed;
};

static void buf_add(struct cat_buf *b, const char *data, size_t len)
{
    if (b->failed)
        return;
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + len + 1)
            cap *= 2;
        char *grown = realloc(b->p, cap);
        if (!grown) {
            b->failed = 1;
            return;
        }
        b->p = grown;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, len);
    b->len += len;
    b->p[b->len] = '\0';
}

static void buf_str(struct cat_buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static void buf_span(struct cat_buf *b, const char *text, struct emu_span s)
{
    buf_add(b, text + s.start, s.len);
}

/* ---- indexing ------------------------------------------------------------------------- */
static int cat_item_compare(const void *a, const void *b)
{
    return strcmp(((const struct cat_item *)a)->code, ((const struct cat_item *)b)->code);
}

static void cat_state_free(struct cat_state *s)
{
    free(s->doc);
    emu_scan_free(&s->scan);
    free(s->items);
    free(s->manifest);
    memset(s, 0, sizeof *s);
}

/* Takes ownership of doc. Finds the items, their codes and versions, sorted by code. */
static int cat_index(char *doc, size_t len, struct cat_state *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->doc = doc;
    s->doc_len = len;
    if (emu_scan_document(doc, len, &s->scan, err, errlen) < 0)
        return -1;
    if (emu_scan_plain_string(doc, s->scan.version, s->version, sizeof s->version) < 0) {
        snprintf(err, errlen, "version: not a plain string of at most 32 characters");
        return -1;
    }
    if (!(s->items = calloc(s->scan.item_count ? s->scan.item_count : 1, sizeof *s->items))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < s->scan.item_count; i++) {
        struct cat_item *it = &s->items[i];
        struct emu_span code, version;
        if (emu_scan_member(doc, s->scan.items[i], "implementation_code", &code) < 0 ||
            emu_scan_plain_string(doc, code, it->code, sizeof it->code) < 0 ||
            emu_scan_member(doc, s->scan.items[i], "version", &version) < 0 ||
            emu_scan_plain_string(doc, version, it->version, sizeof it->version) < 0) {
            snprintf(err, errlen, "items[%zu]: implementation_code or version missing or not plain strings", i);
            return -1;
        }
        it->start = s->scan.items[i].start;
        it->len = s->scan.items[i].len;
        emu_sha256_hex(doc + it->start, it->len, it->sha);
    }
    s->item_count = s->scan.item_count;
    qsort(s->items, s->item_count, sizeof *s->items, cat_item_compare);
    for (size_t i = 1; i < s->item_count; i++)
        if (strcmp(s->items[i - 1].code, s->items[i].code) == 0) {
            snprintf(err, errlen, "items: implementation_code %s given twice", s->items[i].code);
            return -1;
        }
    return 0;
}

/* SHA-256 over "code TAB version LF" of every item in code order (the contract's items_digest). */
static void cat_items_digest(const struct cat_state *s, char out[EMU_SHA256_HEX])
{
    struct cat_buf b = {0};
    for (size_t i = 0; i < s->item_count; i++) {
        buf_str(&b, s->items[i].code);
        buf_str(&b, "\t");
        buf_str(&b, s->items[i].version);
        buf_str(&b, "\n");
    }
    emu_sha256_hex(b.p ? b.p : "", b.len, out);
    free(b.p);
}

/* ---- blobs ---------------------------------------------------------------------------- */
static int cat_write_file(const char *sha, const void *data, size_t len)
{
    char path[4200], tmp[4300];
    snprintf(path, sizeof path, "%s/%s", cat.blob_dir, sha);
    if (access(path, R_OK) == 0)
        return 0;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(fd);
            unlink(tmp);
            return -1;
        }
        p += n;
        left -= (size_t)n;
    }
    if (close(fd) < 0 || rename(tmp, path) < 0)
        return -1;
    return 0;
}

static int cat_blob_row(sqlite3 *db, const char *sha, const char *kind, const char *file_sha, uint64_t offset,
                        uint64_t size)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO catalogue_blobs(sha256, kind, file_sha256, offset, size)"
                               " VALUES(?1, ?2, ?3, ?4, ?5)", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, file_sha, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)offset);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)size);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return rc;
}

static int cat_blob_store_locked(sqlite3 *db, const char *kind, const void *data, size_t len, char sha[65])
{
    emu_sha256_hex(data, len, sha);
    if (cat_write_file(sha, data, len) < 0)
        return -1;
    return cat_blob_row(db, sha, kind, sha, 0, len);
}

int emu_catalogue_blob_store(const char *kind, const void *data, size_t len, char sha256[65])
{
    sqlite3 *db = emu_db_lock();
    int rc = cat_blob_store_locked(db, kind, data, len, sha256);
    emu_db_unlock();
    return rc;
}

static int cat_blob_find(const char *kind, const char *sha, char file_sha[65], uint64_t *offset, uint64_t *size)
{
    sqlite3 *db = emu_db_lock();
    sqlite3_stmt *st;
    int rc = -1;
    if (sqlite3_prepare_v2(db, "SELECT file_sha256, offset, size FROM catalogue_blobs WHERE sha256 = ?1 AND kind = ?2",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            snprintf(file_sha, 65, "%s", (const char *)sqlite3_column_text(st, 0));
            *offset = (uint64_t)sqlite3_column_int64(st, 1);
            *size = (uint64_t)sqlite3_column_int64(st, 2);
            rc = 0;
        }
        sqlite3_finalize(st);
    }
    emu_db_unlock();
    return rc;
}

int emu_catalogue_blob_size(const char *kind, const char *sha256, uint64_t *size)
{
    char file_sha[65];
    uint64_t offset;
    return cat_blob_find(kind, sha256, file_sha, &offset, size);
}

int emu_catalogue_blob_read(const char *kind, const char *sha256, uint64_t first, size_t count, char **data)
{
    char file_sha[65], path[4200];
    uint64_t offset, size;
    *data = NULL;
    if (cat_blob_find(kind, sha256, file_sha, &offset, &size) < 0 || first > size || count > size - first)
        return -1;
    snprintf(path, sizeof path, "%s/%s", cat.blob_dir, file_sha);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char *buf = malloc(count ? count : 1);
    size_t got = 0;
    while (buf && got < count) {
        ssize_t n = pread(fd, buf + got, count - got, (off_t)(offset + first + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (!buf || got != count) {
        free(buf);
        return -1;
    }
    *data = buf;
    return 0;
}

/* ---- publishing ------------------------------------------------------------------------ */
static char *cat_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct cat_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    int bad = ferror(f) || b.failed;
    fclose(f);
    if (bad) {
        free(b.p);
        return NULL;
    }
    *len = b.len;
    return b.p ? b.p : calloc(1, 1);
}

/* The delta from old to new (both indexed): JSON text in a buffer. */
static int cat_build_delta(const struct cat_state *old, const struct cat_state *new, struct cat_buf *out)
{
    struct cat_buf added = {0}, changed = {0}, removed = {0};
    size_t i = 0, j = 0;
    while (i < old->item_count || j < new->item_count) {
        int cmp = i == old->item_count ? 1 : j == new->item_count ? -1 : strcmp(old->items[i].code, new->items[j].code);
        if (cmp < 0) {
            buf_str(&removed, removed.len ? ",\"" : "\"");
            buf_str(&removed, old->items[i].code);
            buf_str(&removed, "\"");
            i++;
        } else if (cmp > 0) {
            if (added.len)
                buf_str(&added, ",");
            buf_add(&added, new->doc + new->items[j].start, new->items[j].len);
            j++;
        } else {
            if (strcmp(old->items[i].sha, new->items[j].sha) != 0) {
                if (changed.len)
                    buf_str(&changed, ",");
                buf_add(&changed, new->doc + new->items[j].start, new->items[j].len);
            }
            i++, j++;
        }
    }
    buf_str(out, "{\"format\":\"kiosk-catalogue-delta/1\",\"from_version\":\"");
    buf_str(out, old->version);
    buf_str(out, "\",\"to_version\":\"");
    buf_str(out, new->version);
    buf_str(out, "\",\"published\":");
    buf_span(out, new->doc, new->scan.published);
    buf_str(out, ",\"region\":");
    buf_span(out, new->doc, new->scan.region);
    buf_str(out, ",\"halls\":");
    buf_span(out, new->doc, new->scan.halls);
    buf_str(out, ",\"themes\":");
    buf_span(out, new->doc, new->scan.themes);
    buf_str(out, ",\"added\":[");
    buf_add(out, added.p ? added.p : "", added.len);
    buf_str(out, "],\"changed\":[");
    buf_add(out, changed.p ? changed.p : "", changed.len);
    buf_str(out, "],\"removed\":[");
    buf_add(out, removed.p ? removed.p : "", removed.len);
    buf_str(out, "]}");
    int failed = added.failed || changed.failed || removed.failed || out->failed;
    free(added.p);
    free(changed.p);
    free(removed.p);
    return failed ? -1 : 0;
}

/* The manifest of the state s whose document blob is doc_sha, with shards and the delta chain. */
static int cat_build_manifest(sqlite3 *db, struct cat_state *s, const char *previous, const char *doc_sha,
                              cJSON *shards)
{
    cJSON *m = cJSON_CreateObject();
    char digest[EMU_SHA256_HEX], published[64] = "";
    cat_items_digest(s, digest);
    emu_scan_plain_string(s->doc, s->scan.published, published, sizeof published);
    cJSON_AddStringToObject(m, "format", "kiosk-catalogue-manifest/1");
    cJSON_AddStringToObject(m, "version", s->version);
    if (previous)
        cJSON_AddStringToObject(m, "previous_version", previous);
    else
        cJSON_AddNullToObject(m, "previous_version");
    cJSON_AddStringToObject(m, "published", published);
    cJSON *document = cJSON_AddObjectToObject(m, "document");
    cJSON_AddNumberToObject(document, "size", (double)s->doc_len);
    cJSON_AddStringToObject(document, "sha256", doc_sha);
    cJSON_AddNumberToObject(document, "item_count", (double)s->item_count);
    cJSON_AddStringToObject(m, "items_digest", digest);
    cJSON_AddItemToObject(m, "shards", shards);
    /* The chain: walk back from this version while each delta joins the next. */
    cJSON *deltas = cJSON_AddArrayToObject(m, "deltas");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT from_version, to_version, sha256, size FROM catalogue_deltas"
                               " ORDER BY seq DESC LIMIT ?1", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int(st, 1, CAT_DELTAS_LISTED);
        char want[40];
        snprintf(want, sizeof want, "%s", s->version);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *from = (const char *)sqlite3_column_text(st, 0), *to = (const char *)sqlite3_column_text(st, 1);
            if (strcmp(to, want) != 0)
                break;
            cJSON *d = cJSON_CreateObject();
            char path[128];
            snprintf(path, sizeof path, "/v1/catalogue/deltas/%s", (const char *)sqlite3_column_text(st, 2));
            cJSON_AddStringToObject(d, "from_version", from);
            cJSON_AddStringToObject(d, "to_version", to);
            cJSON_AddStringToObject(d, "path", path);
            cJSON_AddStringToObject(d, "sha256", (const char *)sqlite3_column_text(st, 2));
            cJSON_AddNumberToObject(d, "size", (double)sqlite3_column_int64(st, 3));
            cJSON_InsertItemInArray(deltas, 0, d); /* oldest first */
            snprintf(want, sizeof want, "%s", from);
        }
        sqlite3_finalize(st);
    }
    s->manifest = cJSON_PrintUnformatted(m);
    cJSON_Delete(m);
    if (!s->manifest)
        return -1;
    s->manifest_len = strlen(s->manifest);
    return 0;
}

/* With the lock held. Takes ownership of doc; on success it becomes the current catalogue. */
static int cat_publish_locked(sqlite3 *db, char *doc, size_t len, int with_delta, char *err, size_t errlen)
{
    struct cat_state next;
    if (cat_index(doc, len, &next, err, errlen) < 0) {
        cat_state_free(&next);
        return -1;
    }
    const char *previous = cat.current.doc ? cat.current.version : NULL;
    if (previous && strcmp(next.version, previous) <= 0) {
        snprintf(err, errlen, "version %s is not newer than the published %s", next.version, previous);
        cat_state_free(&next);
        return -1;
    }
    char doc_sha[EMU_SHA256_HEX];
    emu_db_exec("BEGIN");
    if (cat_blob_store_locked(db, "document", next.doc, next.doc_len, doc_sha) < 0)
        goto io_error;
    cJSON *shards = cJSON_CreateArray();
    for (size_t offset = 0; offset < next.doc_len || offset == 0; offset += cat.shard_size) {
        size_t size = next.doc_len - offset < cat.shard_size ? next.doc_len - offset : cat.shard_size;
        char sha[EMU_SHA256_HEX], path[128];
        emu_sha256_hex(next.doc + offset, size, sha);
        if (cat_blob_row(db, sha, "shard", doc_sha, offset, size) < 0) {
            cJSON_Delete(shards);
            goto io_error;
        }
        cJSON *shard = cJSON_CreateObject();
        snprintf(path, sizeof path, "/v1/catalogue/shards/%s", sha);
        cJSON_AddStringToObject(shard, "path", path);
        cJSON_AddStringToObject(shard, "sha256", sha);
        cJSON_AddNumberToObject(shard, "size", (double)size);
        cJSON_AddItemToArray(shards, shard);
        if (next.doc_len == 0)
            break;
    }
    if (previous && with_delta) {
        struct cat_buf delta = {0};
        char sha[EMU_SHA256_HEX];
        sqlite3_stmt *st;
        if (cat_build_delta(&cat.current, &next, &delta) < 0 ||
            cat_blob_store_locked(db, "delta", delta.p, delta.len, sha) < 0 ||
            sqlite3_prepare_v2(db, "INSERT INTO catalogue_deltas(from_version, to_version, sha256, size)"
                                   " VALUES(?1, ?2, ?3, ?4)", -1, &st, NULL) != SQLITE_OK) {
            free(delta.p);
            cJSON_Delete(shards);
            goto io_error;
        }
        sqlite3_bind_text(st, 1, previous, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, next.version, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, sha, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)delta.len);
        int ok = sqlite3_step(st) == SQLITE_DONE;
        sqlite3_finalize(st);
        free(delta.p);
        if (!ok) {
            cJSON_Delete(shards);
            goto io_error;
        }
    }
    sqlite3_stmt *st;
    if (cat_build_manifest(db, &next, previous, doc_sha, shards) < 0 ||
        sqlite3_prepare_v2(db, "INSERT INTO catalogue_versions(version, previous, manifest) VALUES(?1, ?2, ?3)", -1,
                           &st, NULL) != SQLITE_OK)
        goto io_error;
    sqlite3_bind_text(st, 1, next.version, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, previous, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, next.manifest, (int)next.manifest_len, SQLITE_STATIC);
    int ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    if (!ok)
        goto io_error;
    emu_db_exec("COMMIT");
    cat_state_free(&cat.current);
    cat.current = next;
    return 0;
io_error:
    emu_db_exec("ROLLBACK");
    snprintf(err, errlen, "cannot store version %s: %s", next.version, sqlite3_errmsg(db));
    cat_state_free(&next);
    return -1;
}

/* Loads the latest published version from the database and its document blob. */
static int cat_load_latest(sqlite3 *db, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    char *manifest = NULL;
    size_t manifest_len = 0;
    if (sqlite3_prepare_v2(db, "SELECT manifest FROM catalogue_versions ORDER BY seq DESC LIMIT 1", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        manifest_len = (size_t)sqlite3_column_bytes(st, 0);
        if ((manifest = malloc(manifest_len + 1))) {
            memcpy(manifest, sqlite3_column_blob(st, 0), manifest_len);
            manifest[manifest_len] = '\0';
        }
    }
    sqlite3_finalize(st);
    if (!manifest)
        return 0; /* nothing published yet */
    cJSON *m = cJSON_Parse(manifest);
    const cJSON *sha = cJSON_GetObjectItem(cJSON_GetObjectItem(m, "document"), "sha256");
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", cat.blob_dir, cJSON_IsString(sha) ? sha->valuestring : "?");
    cJSON_Delete(m);
    size_t len;
    char *doc = cat_read_file(path, &len);
    if (!doc) {
        snprintf(err, errlen, "%s: the published document is missing", path);
        free(manifest);
        return -1;
    }
    if (cat_index(doc, len, &cat.current, err, errlen) < 0) {
        cat_state_free(&cat.current);
        free(manifest);
        return -1;
    }
    cat.current.manifest = manifest;
    cat.current.manifest_len = manifest_len;
    return 0;
}

int emu_catalogue_open(const char *data_dir, const char *initial_path, size_t shard_size, char *err, size_t errlen)
{
    snprintf(cat.blob_dir, sizeof cat.blob_dir, "%s/blobs", data_dir);
    mkdir(cat.blob_dir, 0755);
    cat.shard_size = shard_size;
    sqlite3 *db = emu_db_lock();
    int rc = cat_load_latest(db, err, errlen);
    if (rc == 0 && initial_path) {
        size_t len;
        char *doc = cat_read_file(initial_path, &len);
        struct emu_doc_scan scan;
        char version[40] = "";
        if (!doc) {
            snprintf(err, errlen, "%s: cannot read", initial_path);
            rc = -1;
        } else if (emu_scan_document(doc, len, &scan, err, errlen) < 0 ||
                   emu_scan_plain_string(doc, scan.version, version, sizeof version) < 0) {
            rc = -1;
            free(doc);
            emu_scan_free(&scan);
        } else {
            emu_scan_free(&scan);
            if (!cat.current.doc || strcmp(version, cat.current.version) > 0)
                rc = cat_publish_locked(db, doc, len, 1, err, errlen);
            else
                free(doc);
        }
    }
    if (rc == 0 && !cat.current.doc) {
        snprintf(err, errlen, "no catalogue published and none given (--catalogue FILE)");
        rc = -1;
    }
    emu_db_unlock();
    return rc;
}

void emu_catalogue_close(void)
{
    emu_db_lock();
    cat_state_free(&cat.current);
    emu_db_unlock();
}

int emu_catalogue_publish_file(const char *path, int with_delta, char *version, size_t version_size, char *err,
                               size_t errlen)
{
    size_t len;
    char *doc = cat_read_file(path, &len);
    if (!doc) {
        snprintf(err, errlen, "%s: cannot read", path);
        return -1;
    }
    sqlite3 *db = emu_db_lock();
    int rc = cat_publish_locked(db, doc, len, with_delta, err, errlen);
    if (rc == 0)
        snprintf(version, version_size, "%s", cat.current.version);
    emu_db_unlock();
    return rc;
}

/* True for an item that may be removed or copied without touching themes or parents:
 * a handling item in no theme. */
static int cat_item_free_standing(const char *doc, struct emu_span item)
{
    struct emu_span level, themes;
    return emu_scan_member(doc, item, "level", &level) == 0 && level.len == 10 &&
           memcmp(doc + level.start, "\"handling\"", 10) == 0 && emu_scan_member(doc, item, "themes", &themes) == 0 &&
           themes.len == 2 && memcmp(doc + themes.start, "[]", 2) == 0;
}

/* item with member key's value replaced by text. */
static void cat_splice(struct cat_buf *out, const char *doc, struct emu_span item, struct emu_span value,
                       const char *text)
{
    buf_add(out, doc + item.start, value.start - item.start);
    buf_str(out, text);
    buf_add(out, doc + value.start + value.len, item.start + item.len - (value.start + value.len));
}

static int cat_code_taken(const struct cat_state *s, const char *code)
{
    struct cat_item key;
    snprintf(key.code, sizeof key.code, "%s", code);
    return bsearch(&key, s->items, s->item_count, sizeof key, cat_item_compare) != NULL;
}

int emu_catalogue_mutate(unsigned changed, unsigned added, unsigned removed, int with_delta, char *version,
                         size_t version_size, char *err, size_t errlen)
{
    sqlite3 *db = emu_db_lock();
    struct cat_state *cur = &cat.current;
    const char *doc = cur->doc;
    size_t n = cur->scan.item_count;
    int64_t seq = emu_db_int("SELECT count(*) FROM catalogue_versions", NULL) + 1;
    /* The new version: the date in UTC+8 with a serial, unless that does not sort after the
     * current one (a generated "gen-…" catalogue): then the current one with "+serial". */
    time_t now = time(NULL);
    time_t local = now + 8 * 3600;
    struct tm tm;
    gmtime_r(&local, &tm);
    char new_version[64], published[40], base[40], item_version[24];
    unsigned serial4 = (unsigned)(seq % 10000);
    snprintf(new_version, sizeof new_version, "%04d.%02d.%02d-%04u", (tm.tm_year + 1900) % 10000,
             (tm.tm_mon + 1) % 100, tm.tm_mday % 100, serial4);
    if (strcmp(new_version, cur->version) <= 0) {
        snprintf(base, sizeof base, "%s", cur->version);
        char *plus = strrchr(base, '+');
        if (plus && strlen(plus) == 5)
            *plus = '\0';
        snprintf(new_version, sizeof new_version, "%.26s+%04u", base, serial4);
    }
    strftime(published, sizeof published, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
    snprintf(item_version, sizeof item_version, "r%lld", (long long)seq);

    /* Which items: removals from the end, changes spread evenly over the rest. */
    char *action = calloc(n ? n : 1, 1); /* 0 keep, 'c' change, 'r' remove */
    if (!action) {
        emu_db_unlock();
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    unsigned to_remove = removed;
    for (size_t i = n; i-- > 0 && to_remove;)
        if (cat_item_free_standing(doc, cur->scan.items[i])) {
            action[i] = 'r';
            to_remove--;
        }
    unsigned to_change = changed;
    size_t stride = changed ? (n / changed ? n / changed : 1) : 1;
    for (size_t i = 0; i < n && to_change; i += stride)
        if (!action[i]) {
            action[i] = 'c';
            to_change--;
        }
    for (size_t i = 0; i < n && to_change; i++)
        if (!action[i]) {
            action[i] = 'c';
            to_change--;
        }

    struct cat_buf out = {0};
    buf_str(&out, "{\"format\":\"kiosk-catalogue/1\",\"version\":\"");
    buf_str(&out, new_version);
    buf_str(&out, "\",\"published\":\"");
    buf_str(&out, published);
    buf_str(&out, "\",\"region\":");
    buf_span(&out, doc, cur->scan.region);
    buf_str(&out, ",\"halls\":");
    buf_span(&out, doc, cur->scan.halls);
    buf_str(&out, ",\"themes\":");
    buf_span(&out, doc, cur->scan.themes);
    buf_str(&out, ",\"items\":[");
    int first = 1;
    char quoted_version[32], quoted_updated[48];
    snprintf(quoted_version, sizeof quoted_version, "\"%s\"", item_version);
    snprintf(quoted_updated, sizeof quoted_updated, "\"%s\"", published);
    for (size_t i = 0; i < n; i++) {
        struct emu_span item = cur->scan.items[i], value;
        if (action[i] == 'r')
            continue;
        if (!first)
            buf_str(&out, ",");
        first = 0;
        if (action[i] != 'c') {
            buf_span(&out, doc, item);
            continue;
        }
        /* A changed item: new version, updated time and popularity + 1, spliced in order. */
        struct cat_buf a = {0}, b = {0};
        char popularity[32];
        if (emu_scan_member(doc, item, "version", &value) < 0) {
            buf_span(&out, doc, item);
            continue;
        }
        cat_splice(&a, doc, item, value, quoted_version);
        struct emu_span whole_a = {0, a.len};
        if (emu_scan_member(a.p, whole_a, "popularity", &value) == 0) {
            snprintf(popularity, sizeof popularity, "%lld", strtoll(a.p + value.start, NULL, 10) + 1);
            cat_splice(&b, a.p, whole_a, value, popularity);
        } else {
            buf_add(&b, a.p, a.len);
        }
        struct emu_span whole_b = {0, b.len};
        if (emu_scan_member(b.p, whole_b, "updated", &value) == 0) {
            struct cat_buf c = {0};
            cat_splice(&c, b.p, whole_b, value, quoted_updated);
            buf_add(&out, c.p, c.len);
            free(c.p);
        } else {
            buf_add(&out, b.p, b.len);
        }
        free(a.p);
        free(b.p);
    }
    /* Added items: copies of free-standing items under new codes (agency part kept). */
    unsigned serial = 0;
    for (size_t i = 0; i < n && added; i++) {
        struct emu_span item = cur->scan.items[i], value;
        if (!cat_item_free_standing(doc, item) || emu_scan_member(doc, item, "implementation_code", &value) < 0 ||
            value.len < 20)
            continue;
        char code[40];
        do {
            snprintf(code, sizeof code, "%.18s9%07lld%03u", doc + value.start + 1, (long long)(seq % 10000000),
                     serial++);
        } while (cat_code_taken(cur, code));
        char quoted[44];
        snprintf(quoted, sizeof quoted, "\"%s\"", code);
        struct cat_buf a = {0};
        cat_splice(&a, doc, item, value, quoted);
        struct emu_span whole = {0, a.len}, v;
        struct cat_buf b = {0};
        if (emu_scan_member(a.p, whole, "version", &v) == 0)
            cat_splice(&b, a.p, whole, v, quoted_version);
        else
            buf_add(&b, a.p, a.len);
        if (!first)
            buf_str(&out, ",");
        first = 0;
        buf_add(&out, b.p, b.len);
        free(a.p);
        free(b.p);
        added--;
    }
    buf_str(&out, "]}");
    free(action);
    int rc = -1;
    if (out.failed) {
        snprintf(err, errlen, "out of memory");
        free(out.p);
    } else if ((rc = cat_publish_locked(db, out.p, out.len, with_delta, err, errlen)) == 0) {
        snprintf(version, version_size, "%s", cat.current.version);
    }
    emu_db_unlock();
    return rc;
}

int emu_catalogue_manifest(char **body, size_t *len, char *version, size_t version_size)
{
    emu_db_lock();
    int rc = -1;
    if (cat.current.manifest && (*body = malloc(cat.current.manifest_len + 1))) {
        memcpy(*body, cat.current.manifest, cat.current.manifest_len + 1);
        *len = cat.current.manifest_len;
        snprintf(version, version_size, "%s", cat.current.version);
        rc = 0;
    }
    emu_db_unlock();
    return rc;
}

char *emu_catalogue_item(const char *implementation_code)
{
    emu_db_lock();
    char *copy = NULL;
    struct cat_item key;
    snprintf(key.code, sizeof key.code, "%s", implementation_code);
    const struct cat_item *it =
        bsearch(&key, cat.current.items, cat.current.item_count, sizeof key, cat_item_compare);
    if (it && (copy = malloc(it->len + 1))) {
        memcpy(copy, cat.current.doc + it->start, it->len);
        copy[it->len] = '\0';
    }
    emu_db_unlock();
    return copy;
}

size_t emu_catalogue_item_count(void)
{
    emu_db_lock();
    size_t n = cat.current.item_count;
    emu_db_unlock();
    return n;
}
