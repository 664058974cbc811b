#include "emu_db.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static struct {
    sqlite3 *db;
    pthread_mutex_t lock;
    char today[9];
} emu_db = {.lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP};

static const char emu_db_schema[] =
    "CREATE TABLE IF NOT EXISTS units(unit_id TEXT PRIMARY KEY, serial INTEGER, not_after INTEGER, enrolled_at TEXT);"
    "CREATE TABLE IF NOT EXISTS tokens(token TEXT PRIMARY KEY, reusable INTEGER NOT NULL, used_by TEXT);"
    "CREATE TABLE IF NOT EXISTS idempotency(unit_id TEXT, path TEXT, key TEXT, body_sha256 TEXT, status INTEGER,"
    " response BLOB, created_at TEXT, PRIMARY KEY(unit_id, path, key));"
    "CREATE TABLE IF NOT EXISTS applications(tracking_number TEXT PRIMARY KEY, unit_id TEXT, idempotency_key TEXT,"
    " implementation_code TEXT, item_name TEXT, body TEXT, status TEXT, updated_at TEXT);"
    "CREATE TABLE IF NOT EXISTS application_history(tracking_number TEXT, status TEXT, at TEXT);"
    "CREATE TABLE IF NOT EXISTS submissions(id TEXT PRIMARY KEY, kind TEXT, unit_id TEXT, body TEXT, at TEXT);"
    "CREATE TABLE IF NOT EXISTS heartbeats(unit_id TEXT PRIMARY KEY, body TEXT, at TEXT);"
    "CREATE TABLE IF NOT EXISTS heartbeat_log(unit_id TEXT, body TEXT, at TEXT);"
    "CREATE TABLE IF NOT EXISTS sessions(session_id TEXT PRIMARY KEY, holder_id TEXT, otp TEXT, otp_expires INTEGER,"
    " otp_attempts INTEGER, state TEXT, expires INTEGER);"
    "CREATE TABLE IF NOT EXISTS holders(id_number TEXT PRIMARY KEY, card_kind TEXT, name TEXT, name_en TEXT,"
    " birth TEXT, valid_to TEXT, phone TEXT, otp_required INTEGER);"
    "CREATE TABLE IF NOT EXISTS licences(licence_id TEXT PRIMARY KEY, holder_id TEXT, payload BLOB);"
    "CREATE TABLE IF NOT EXISTS catalogue_versions(seq INTEGER PRIMARY KEY, version TEXT UNIQUE, previous TEXT,"
    " manifest BLOB);"
    "CREATE TABLE IF NOT EXISTS catalogue_blobs(sha256 TEXT PRIMARY KEY, kind TEXT, file_sha256 TEXT,"
    " offset INTEGER, size INTEGER);"
    "CREATE TABLE IF NOT EXISTS catalogue_deltas(seq INTEGER PRIMARY KEY, from_version TEXT, to_version TEXT,"
    " sha256 TEXT, size INTEGER);"
    "CREATE TABLE IF NOT EXISTS counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL);";

int emu_db_open(const char *path, const char *today, char *err, size_t errlen)
{
    if (sqlite3_open(path, &emu_db.db) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(emu_db.db));
        return -1;
    }
    sqlite3_busy_timeout(emu_db.db, 5000);
    char *msg = NULL;
    if (sqlite3_exec(emu_db.db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(emu_db.db, emu_db_schema, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, msg ? msg : "schema");
        sqlite3_free(msg);
        return -1;
    }
    snprintf(emu_db.today, sizeof emu_db.today, "%s", today);
    return 0;
}

void emu_db_close(void)
{
    sqlite3_close(emu_db.db);
    emu_db.db = NULL;
}

sqlite3 *emu_db_lock(void)
{
    pthread_mutex_lock(&emu_db.lock);
    return emu_db.db;
}

void emu_db_unlock(void)
{
    pthread_mutex_unlock(&emu_db.lock);
}

int emu_db_exec(const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(emu_db.db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "platform_emu: sql: %s\n", msg ? msg : "?");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int64_t emu_db_int(const char *sql, const char *text_arg)
{
    sqlite3_stmt *st;
    int64_t value = -1;
    if (sqlite3_prepare_v2(emu_db.db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (text_arg)
        sqlite3_bind_text(st, 1, text_arg, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
        value = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return value;
}

void emu_db_count(const char *counter, int64_t delta)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(emu_db.db,
                           "INSERT INTO counters(name, value) VALUES(?1, ?2)"
                           " ON CONFLICT(name) DO UPDATE SET value = value + ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_text(st, 1, counter, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, delta);
    sqlite3_step(st);
    sqlite3_finalize(st);
}

int64_t emu_db_counter(const char *counter)
{
    int64_t v = emu_db_int("SELECT value FROM counters WHERE name = ?1", counter);
    return v < 0 ? 0 : v;
}

int emu_db_reset(void)
{
    return emu_db_exec("BEGIN; DELETE FROM idempotency; DELETE FROM applications WHERE unit_id <> '';"
                       " DELETE FROM application_history WHERE tracking_number NOT IN"
                       " (SELECT tracking_number FROM applications);"
                       " DELETE FROM submissions; DELETE FROM heartbeats; DELETE FROM heartbeat_log;"
                       " DELETE FROM sessions;"
                       " DELETE FROM counters; COMMIT;");
}

const char *emu_db_today(void)
{
    return emu_db.today;
}
