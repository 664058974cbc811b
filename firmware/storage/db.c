#include "firmware/storage/db.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct db {
    sqlite3 *handle;
    char path[256];
    char error[512];
};

struct db_statement {
    struct db *db;
    sqlite3_stmt *handle;
};

/* The schema of the unit's file, one migration per schema version: migration i takes
 * user_version i to i + 1. Append only; a shipped migration never changes, because units in
 * the field already ran it. */
static const char *const db_migrations[] = {
    /* 1: the catalogue in use (catalogue.c). One row: the validated document as delivered,
     * which is what the kiosk parses at start; the items as rows beside it so a technician
     * (or a test) can query them with the sqlite3 shell. */
    "CREATE TABLE catalogue ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  version TEXT NOT NULL,"
    "  published TEXT NOT NULL,"
    "  region TEXT NOT NULL,"
    "  document TEXT NOT NULL,"
    "  item_count INTEGER NOT NULL,"
    "  stored_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));"
    "CREATE TABLE catalogue_items ("
    "  implementation_code TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  basic_code TEXT NOT NULL,"
    "  level TEXT NOT NULL CHECK (level IN ('main', 'sub', 'handling')),"
    "  parent_code TEXT,"
    "  department_category TEXT NOT NULL,"
    "  kiosk_filable INTEGER NOT NULL CHECK (kiosk_filable IN (0, 1)),"
    "  popularity INTEGER NOT NULL CHECK (popularity >= 0)"
    ") WITHOUT ROWID;",
    /* 2: print jobs of both printers (print_jobs.c). */
    "CREATE TABLE print_jobs ("
    "  id INTEGER PRIMARY KEY,"
    "  printer TEXT NOT NULL CHECK (printer IN ('receipt', 'certificate')),"
    "  kind TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'printed', 'failed')),"
    "  retryable INTEGER NOT NULL DEFAULT 0 CHECK (retryable IN (0, 1)),"
    "  reason TEXT NOT NULL DEFAULT '',"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  printer_job_id TEXT NOT NULL DEFAULT '',"
    "  payload BLOB NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE INDEX print_jobs_by_state ON print_jobs (printer, state, id);",
    /* 3: the outbox (outbox.c): what the kiosk owes the platform, delivered in order per
     * kind, at least once, applied once thanks to the idempotency key. body is the request
     * JSON sealed with AES-256-GCM (trust.c; aad = the key). Times in Unix milliseconds. */
    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  kind TEXT NOT NULL CHECK (kind IN ('application', 'evaluation', 'report', 'telemetry')),"
    "  idempotency_key TEXT NOT NULL UNIQUE,"
    "  body BLOB NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  delivered_at INTEGER,"
    "  last_error TEXT NOT NULL DEFAULT '',"
    "  result TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX outbox_by_state ON outbox (kind, state, id);",
};
#define DB_SCHEMA_VERSION ((int)(sizeof db_migrations / sizeof db_migrations[0]))

static int db_fail(struct db *db, const char *what)
{
    snprintf(db->error, sizeof db->error, "%s: %s: %s", db->path, what, sqlite3_errmsg(db->handle));
    return -1;
}

const char *db_error(const struct db *db)
{
    return db->error;
}

int db_schema_version_current(void)
{
    return DB_SCHEMA_VERSION;
}

int db_exec(struct db *db, const char *sql)
{
    if (sqlite3_exec(db->handle, sql, NULL, NULL, NULL) != SQLITE_OK) {
        /* Name the statement by its start: enough to find it, short enough for one line. */
        char what[64];
        snprintf(what, sizeof what, "%.40s%s", sql, strlen(sql) > 40 ? "…" : "");
        return db_fail(db, what);
    }
    return 0;
}

int db_changes(struct db *db, int *count)
{
    *count = sqlite3_changes(db->handle);
    return 0;
}

int db_begin(struct db *db)
{
    return db_exec(db, "BEGIN IMMEDIATE");
}

int db_commit(struct db *db)
{
    return db_exec(db, "COMMIT");
}

void db_rollback(struct db *db)
{
    if (!sqlite3_get_autocommit(db->handle))
        sqlite3_exec(db->handle, "ROLLBACK", NULL, NULL, NULL);
}

int db_prepare(struct db *db, const char *sql, struct db_statement **out)
{
    *out = NULL;
    struct db_statement *statement = calloc(1, sizeof *statement);
    if (!statement) {
        snprintf(db->error, sizeof db->error, "%s: out of memory", db->path);
        return -1;
    }
    statement->db = db;
    if (sqlite3_prepare_v2(db->handle, sql, -1, &statement->handle, NULL) != SQLITE_OK) {
        free(statement);
        char what[80];
        snprintf(what, sizeof what, "preparing %.50s%s", sql, strlen(sql) > 50 ? "…" : "");
        return db_fail(db, what);
    }
    *out = statement;
    return 0;
}

static int db_statement_fail(struct db_statement *statement, const char *what)
{
    char where[96];
    const char *sql = sqlite3_sql(statement->handle);
    snprintf(where, sizeof where, "%s %.50s%s", what, sql, strlen(sql) > 50 ? "…" : "");
    return db_fail(statement->db, where);
}

int db_bind_text(struct db_statement *statement, int index, const char *text)
{
    int rc = text ? sqlite3_bind_text(statement->handle, index, text, -1, SQLITE_STATIC)
                  : sqlite3_bind_null(statement->handle, index);
    return rc == SQLITE_OK ? 0 : db_statement_fail(statement, "binding");
}

int db_bind_text_length(struct db_statement *statement, int index, const char *text, size_t length)
{
    /* sqlite3_bind_text64 takes the length as is; UTF-8 is what we store. */
    int rc = sqlite3_bind_text64(statement->handle, index, text, length, SQLITE_STATIC, SQLITE_UTF8);
    return rc == SQLITE_OK ? 0 : db_statement_fail(statement, "binding");
}

int db_bind_blob(struct db_statement *statement, int index, const void *bytes, size_t size)
{
    /* A zero-length blob must still be a blob, not NULL: sqlite3_bind_zeroblob for it. */
    int rc = size ? sqlite3_bind_blob64(statement->handle, index, bytes, size, SQLITE_STATIC)
                  : sqlite3_bind_zeroblob(statement->handle, index, 0);
    return rc == SQLITE_OK ? 0 : db_statement_fail(statement, "binding");
}

int db_bind_int64(struct db_statement *statement, int index, int64_t value)
{
    int rc = sqlite3_bind_int64(statement->handle, index, (sqlite3_int64)value);
    return rc == SQLITE_OK ? 0 : db_statement_fail(statement, "binding");
}

int db_step(struct db_statement *statement)
{
    int rc = sqlite3_step(statement->handle);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    return db_statement_fail(statement, "running");
}

const char *db_column_text(struct db_statement *statement, int column)
{
    return (const char *)sqlite3_column_text(statement->handle, column);
}

size_t db_column_bytes(struct db_statement *statement, int column)
{
    return (size_t)sqlite3_column_bytes(statement->handle, column);
}

const void *db_column_blob(struct db_statement *statement, int column)
{
    return sqlite3_column_blob(statement->handle, column);
}

int64_t db_column_int64(struct db_statement *statement, int column)
{
    return (int64_t)sqlite3_column_int64(statement->handle, column);
}

int db_reset(struct db_statement *statement)
{
    /* sqlite3_reset repeats the last step's error; the step already reported it. */
    sqlite3_reset(statement->handle);
    return sqlite3_clear_bindings(statement->handle) == SQLITE_OK ? 0
                                                                  : db_statement_fail(statement, "resetting");
}

void db_finalize(struct db_statement *statement)
{
    if (!statement)
        return;
    sqlite3_finalize(statement->handle);
    free(statement);
}

/* One integer from a query such as a PRAGMA; -1 on error. */
static int db_query_int(struct db *db, const char *sql, int64_t *out)
{
    struct db_statement *statement;
    if (db_prepare(db, sql, &statement) < 0)
        return -1;
    int rc = db_step(statement);
    if (rc == DB_ROW)
        *out = db_column_int64(statement, 0);
    db_finalize(statement);
    if (rc == DB_DONE)
        snprintf(db->error, sizeof db->error, "%s: %s returned no row", db->path, sql);
    return rc == DB_ROW ? 0 : -1;
}

int db_schema_version(struct db *db)
{
    int64_t version;
    return db_query_int(db, "PRAGMA user_version", &version) < 0 ? -1 : (int)version;
}

static int db_set_journal_wal(struct db *db)
{
    /* Workers open the unit's file at start-up at the same moment; on a new file they all ask
     * for WAL, and the losers get SQLITE_BUSY at once: SQLite does not call the busy handler
     * where waiting could deadlock. So wait here, as long as the busy timeout. */
    int rc;
    bool wal;
    for (int waited = 0;; waited += 20) {
        struct db_statement *statement;
        if (db_prepare(db, "PRAGMA journal_mode=WAL", &statement) < 0)
            return -1;
        rc = db_step(statement);
        const int code = sqlite3_errcode(db->handle);
        wal = rc == DB_ROW && db_column_text(statement, 0) && !strcmp(db_column_text(statement, 0), "wal");
        db_finalize(statement);
        if (rc >= 0 || (code & 0xff) != SQLITE_BUSY || waited >= DB_BUSY_TIMEOUT_MS)
            break;
        struct timespec pause = { 0, 20000000 };
        nanosleep(&pause, NULL);
    }
    if (rc < 0)
        return -1;
    if (!wal) {
        /* e.g. a file system without shared memory: refuse rather than run without the
         * crash safety the outbox relies on. */
        snprintf(db->error, sizeof db->error, "%s: cannot use write-ahead logging (WAL) here", db->path);
        return -1;
    }
    return 0;
}

/* Applies the missing migrations, each in its own transaction with its user_version, so a
 * power cut leaves the file at a whole version. The version is read again under the write
 * lock: another connection may have migrated in between. */
static int db_migrate(struct db *db)
{
    for (;;) {
        int version = db_schema_version(db);
        if (version < 0)
            return -1;
        if (version > DB_SCHEMA_VERSION) {
            snprintf(db->error, sizeof db->error,
                     "%s: schema version %d is newer than this firmware's (%d)", db->path, version,
                     DB_SCHEMA_VERSION);
            return -1;
        }
        if (version == DB_SCHEMA_VERSION)
            return 0;
        if (db_begin(db) < 0)
            return -1;
        int locked_version = db_schema_version(db);
        if (locked_version != version) {
            db_rollback(db);
            if (locked_version < 0)
                return -1;
            continue;
        }
        char pragma[48];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", version + 1);
        if (db_exec(db, db_migrations[version]) < 0 || db_exec(db, pragma) < 0 || db_commit(db) < 0) {
            db_rollback(db);
            return -1;
        }
    }
}

int db_open(const char *path, struct db **out, char *err, size_t errlen)
{
    *out = NULL;
    struct db *db = calloc(1, sizeof *db);
    if (!db) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    snprintf(db->path, sizeof db->path, "%s", path);
    int rc = sqlite3_open_v2(path, &db->handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        if (db->handle)
            db_fail(db, "opening");
        else
            snprintf(db->error, sizeof db->error, "%s: opening: %s", path, sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_extended_result_codes(db->handle, 1);
    sqlite3_busy_timeout(db->handle, DB_BUSY_TIMEOUT_MS);
    if (db_set_journal_wal(db) < 0 || db_exec(db, "PRAGMA synchronous=FULL") < 0 ||
        db_exec(db, "PRAGMA secure_delete=ON") < 0 ||
        db_exec(db, "PRAGMA foreign_keys=ON") < 0 || db_migrate(db) < 0)
        goto fail;
    *out = db;
    return 0;
fail:
    snprintf(err, errlen, "%s", db->error);
    db_close(db);
    return -1;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    /* sqlite3_close_v2 defers the close until forgotten statements are finalized, instead of
     * failing with SQLITE_BUSY and leaking the handle. */
    sqlite3_close_v2(db->handle);
    free(db);
}
