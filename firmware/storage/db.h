/* The unit's SQLite database: the one module that talks to SQLite (design section 4).
 *
 * One connection per thread (SQLite connections are not shared between our threads). A
 * connection opens the file in WAL mode with synchronous=FULL, so a committed transaction
 * survives a power cut, and waits up to DB_BUSY_TIMEOUT_MS when another connection holds the
 * write lock. The schema of the whole file lives in db.c as a list of migrations; opening
 * applies the missing ones and records the count in PRAGMA user_version.
 *
 * Errors: every function that can fail returns -1 and keeps one line in the connection,
 * "PATH: what we did: SQLite's reason", read with db_error(). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define DB_BUSY_TIMEOUT_MS 5000

struct db;
struct db_statement;

enum db_step_result { DB_DONE = 0, DB_ROW = 1 };

/* Opens (creating it if missing) and brings the schema up to date. 0 with *out set, or -1
 * with the reason in err (*out is NULL then). */
int db_open(const char *path, struct db **out, char *err, size_t errlen);
void db_close(struct db *db);
/* The last error of this connection, "" when none. */
const char *db_error(const struct db *db);
/* The schema version of the open file (PRAGMA user_version), and the one this firmware writes. */
int db_schema_version(struct db *db);
int db_schema_version_current(void);

/* Runs SQL that returns no rows (may hold several statements). 0 or -1. */
int db_exec(struct db *db, const char *sql);
/* BEGIN IMMEDIATE: takes the write lock now, so a transaction never fails half way on a
 * busy database. */
/* Rows changed by the last INSERT, UPDATE or DELETE of this connection. 0. */
int db_changes(struct db *db, int *count);
int db_begin(struct db *db);
int db_commit(struct db *db);
/* Undoes the open transaction; a no-op when none is open. Keeps the earlier error. */
void db_rollback(struct db *db);

/* Prepared statements: bind (parameters count from 1), step until DB_DONE, reset to reuse.
 * Bound text is not copied: it must stay valid until the statement is stepped to the end
 * or reset. */
int db_prepare(struct db *db, const char *sql, struct db_statement **out);
int db_bind_text(struct db_statement *statement, int index, const char *text); /* NULL binds NULL */
int db_bind_text_length(struct db_statement *statement, int index, const char *text, size_t length);
int db_bind_int64(struct db_statement *statement, int index, int64_t value);
/* Bytes, not copied (same lifetime rule as text). */
int db_bind_blob(struct db_statement *statement, int index, const void *bytes, size_t size);
/* DB_ROW, DB_DONE or -1. */
int db_step(struct db_statement *statement);
/* Columns of the current row, counted from 0. Text is NULL for SQL NULL and valid until the
 * next step, reset or finalize. */
const char *db_column_text(struct db_statement *statement, int column);
size_t db_column_bytes(struct db_statement *statement, int column);
/* A BLOB column's bytes (db_column_bytes long), valid like column text; NULL when empty. */
const void *db_column_blob(struct db_statement *statement, int column);
int64_t db_column_int64(struct db_statement *statement, int column);
int db_reset(struct db_statement *statement);
void db_finalize(struct db_statement *statement);
