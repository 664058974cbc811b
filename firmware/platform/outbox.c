#include "firmware/platform/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/storage/db.h"
#include "firmware/platform/trust.h"

struct outbox {
    struct db *db;
    struct trust_sealer sealer;
    char error[600];
};

static const char *const outbox_kind_names[OUTBOX_KIND_COUNT] = { "application", "evaluation", "report",
                                                                  "telemetry" };
static const char *const outbox_kind_paths[OUTBOX_KIND_COUNT] = { "/v1/applications", "/v1/evaluations",
                                                                  "/v1/problem-reports", "/v1/telemetry" };

const char *outbox_kind_name(enum outbox_kind kind)
{
    return (unsigned)kind < OUTBOX_KIND_COUNT ? outbox_kind_names[kind] : "?";
}

int outbox_kind_from_name(const char *name)
{
    for (int i = 0; i < OUTBOX_KIND_COUNT; i++)
        if (!strcmp(name, outbox_kind_names[i]))
            return i;
    return -1;
}

const char *outbox_kind_path(enum outbox_kind kind)
{
    return (unsigned)kind < OUTBOX_KIND_COUNT ? outbox_kind_paths[kind] : "";
}

const char *outbox_error(const struct outbox *outbox)
{
    return outbox->error;
}

static int outbox_fail_db(struct outbox *outbox)
{
    snprintf(outbox->error, sizeof outbox->error, "%s", db_error(outbox->db));
    return -1;
}

int outbox_open(const char *db_path, const char *key_path, struct outbox **out, char *err, size_t errlen)
{
    *out = NULL;
    struct outbox *outbox = calloc(1, sizeof *outbox);
    if (!outbox) {
        snprintf(err, errlen, "outbox: out of memory");
        return -1;
    }
    if (trust_sealer_open(&outbox->sealer, key_path, err, errlen) < 0) {
        free(outbox);
        return -1;
    }
    if (db_open(db_path, &outbox->db, err, errlen) < 0) {
        trust_sealer_close(&outbox->sealer);
        free(outbox);
        return -1;
    }
    *out = outbox;
    return 0;
}

void outbox_close(struct outbox *outbox)
{
    if (!outbox)
        return;
    db_close(outbox->db);
    trust_sealer_close(&outbox->sealer);
    free(outbox);
}

int outbox_add(struct outbox *outbox, enum outbox_kind kind, const char *body, size_t len, int64_t now_ms,
               char key_out[37])
{
    if ((unsigned)kind >= OUTBOX_KIND_COUNT) {
        snprintf(outbox->error, sizeof outbox->error, "outbox: unknown kind %d", (int)kind);
        return -1;
    }
    char key[37];
    uint8_t *sealed = malloc(len + TRUST_SEAL_OVERHEAD);
    if (!sealed) {
        snprintf(outbox->error, sizeof outbox->error, "outbox: out of memory");
        return -1;
    }
    if (trust_uuid(key) < 0 || trust_seal(&outbox->sealer, body, len, key, strlen(key), sealed) < 0) {
        free(sealed);
        snprintf(outbox->error, sizeof outbox->error, "outbox: cannot seal the record (no entropy)");
        return -1;
    }
    struct db_statement *insert;
    int rc = db_prepare(outbox->db,
                        "INSERT INTO outbox (kind, idempotency_key, body, created_at) VALUES (?, ?, ?, ?)", &insert);
    if (rc == 0) {
        rc = db_bind_text(insert, 1, outbox_kind_names[kind]) < 0 || db_bind_text(insert, 2, key) < 0 ||
                     db_bind_blob(insert, 3, sealed, len + TRUST_SEAL_OVERHEAD) < 0 ||
                     db_bind_int64(insert, 4, now_ms) < 0 || db_step(insert) < 0
                 ? -1
                 : 0;
        db_finalize(insert);
    }
    free(sealed);
    if (rc < 0)
        return outbox_fail_db(outbox);
    if (key_out)
        memcpy(key_out, key, sizeof key);
    return 0;
}

void outbox_entry_wipe(struct outbox_entry *entry)
{
    if (entry->body) {
        explicit_bzero(entry->body, entry->body_length);
        free(entry->body);
    }
    memset(entry, 0, sizeof *entry);
}

int outbox_next(struct outbox *outbox, enum outbox_kind kind, int64_t now_ms, struct outbox_entry *entry)
{
    memset(entry, 0, sizeof *entry);
    struct db_statement *select;
    if (db_prepare(outbox->db,
                   "SELECT id, idempotency_key, body, attempts, next_attempt_at FROM outbox "
                   "WHERE kind = ? AND state = 'pending' ORDER BY id LIMIT 1",
                   &select) < 0)
        return outbox_fail_db(outbox);
    int rc = db_bind_text(select, 1, outbox_kind_name(kind)) < 0 ? -1 : db_step(select);
    if (rc < 0) {
        db_finalize(select);
        return outbox_fail_db(outbox);
    }
    if (rc == DB_DONE || db_column_int64(select, 4) > now_ms) {
        db_finalize(select);
        return 0;
    }
    entry->id = db_column_int64(select, 0);
    entry->kind = kind;
    snprintf(entry->idempotency_key, sizeof entry->idempotency_key, "%s", db_column_text(select, 1));
    entry->attempts = (int)db_column_int64(select, 3);
    size_t sealed_len = db_column_bytes(select, 2);
    const uint8_t *sealed = db_column_blob(select, 2);
    int opened = -1;
    if (sealed && sealed_len >= TRUST_SEAL_OVERHEAD) {
        entry->body_length = sealed_len - TRUST_SEAL_OVERHEAD;
        entry->body = malloc(entry->body_length + 1);
        if (entry->body) {
            opened = trust_open(&outbox->sealer, sealed, sealed_len, entry->idempotency_key,
                                strlen(entry->idempotency_key), (uint8_t *)entry->body);
            entry->body[entry->body_length] = '\0';
        }
    }
    db_finalize(select);
    if (opened < 0) {
        snprintf(outbox->error, sizeof outbox->error,
                 "outbox: %s record %lld (key %s) does not open with this unit's device key",
                 outbox_kind_name(kind), (long long)entry->id, entry->idempotency_key);
        outbox_entry_wipe(entry);
        return -1;
    }
    return 1;
}

/* One UPDATE of one row by id; it is its own transaction. */
static int outbox_update(struct outbox *outbox, const char *sql, int64_t id, const char *text, int64_t number)
{
    struct db_statement *update;
    if (db_prepare(outbox->db, sql, &update) < 0)
        return outbox_fail_db(outbox);
    int rc = db_bind_text(update, 1, text ? text : "") < 0 || db_bind_int64(update, 2, number) < 0 ||
                     db_bind_int64(update, 3, id) < 0 || db_step(update) < 0
                 ? -1
                 : 0;
    db_finalize(update);
    return rc < 0 ? outbox_fail_db(outbox) : 0;
}

int outbox_mark_delivered(struct outbox *outbox, int64_t id, int64_t now_ms, const char *result)
{
    return outbox_update(outbox,
                         "UPDATE outbox SET state = 'delivered', result = ?, delivered_at = ?, attempts = attempts + 1 "
                         "WHERE id = ?",
                         id, result, now_ms);
}

int outbox_mark_retry(struct outbox *outbox, int64_t id, int64_t next_attempt_at_ms, const char *error)
{
    return outbox_update(outbox,
                         "UPDATE outbox SET last_error = ?, next_attempt_at = ?, attempts = attempts + 1 WHERE id = ?",
                         id, error, next_attempt_at_ms);
}

int outbox_mark_failed(struct outbox *outbox, int64_t id, const char *error)
{
    return outbox_update(outbox,
                         /* ?2 is not used: no time to record */
                         "UPDATE outbox SET state = 'failed', last_error = ?1, attempts = attempts + 1 WHERE id = ?3",
                         id, error, 0);
}

int outbox_stats(struct outbox *outbox, struct outbox_kind_stats stats[OUTBOX_KIND_COUNT])
{
    memset(stats, 0, sizeof *stats * OUTBOX_KIND_COUNT);
    struct db_statement *select;
    if (db_prepare(outbox->db,
                   "SELECT kind, state, COUNT(*), MIN(created_at), MIN(id) FROM outbox GROUP BY kind, state", &select) < 0)
        return outbox_fail_db(outbox);
    int rc;
    while ((rc = db_step(select)) == DB_ROW) {
        int kind = outbox_kind_from_name(db_column_text(select, 0));
        const char *state = db_column_text(select, 1);
        if (kind < 0 || !state)
            continue;
        int64_t count = db_column_int64(select, 2);
        if (!strcmp(state, "pending")) {
            stats[kind].pending = count;
            stats[kind].oldest_pending_at = db_column_int64(select, 3);
        } else if (!strcmp(state, "delivered")) {
            stats[kind].delivered = count;
        } else {
            stats[kind].failed = count;
        }
    }
    db_finalize(select);
    if (rc < 0)
        return outbox_fail_db(outbox);
    /* Per kind: when the oldest pending record is next tried, and the latest error. */
    if (db_prepare(outbox->db,
                   "SELECT kind, "
                   "  (SELECT next_attempt_at FROM outbox p WHERE p.kind = o.kind AND p.state = 'pending' "
                   "   ORDER BY id LIMIT 1), "
                   "  (SELECT last_error FROM outbox e WHERE e.kind = o.kind AND e.last_error != '' "
                   "   ORDER BY id DESC LIMIT 1) "
                   "FROM outbox o GROUP BY kind",
                   &select) < 0)
        return outbox_fail_db(outbox);
    while ((rc = db_step(select)) == DB_ROW) {
        int kind = outbox_kind_from_name(db_column_text(select, 0));
        if (kind < 0)
            continue;
        stats[kind].next_attempt_at = db_column_int64(select, 1);
        const char *error = db_column_text(select, 2);
        snprintf(stats[kind].last_error, sizeof stats[kind].last_error, "%s", error ? error : "");
    }
    db_finalize(select);
    return rc < 0 ? outbox_fail_db(outbox) : 0;
}

int64_t outbox_pending_count(struct outbox *outbox)
{
    struct outbox_kind_stats stats[OUTBOX_KIND_COUNT];
    if (outbox_stats(outbox, stats) < 0)
        return -1;
    int64_t total = 0;
    for (int i = 0; i < OUTBOX_KIND_COUNT; i++)
        total += stats[i].pending;
    return total;
}
