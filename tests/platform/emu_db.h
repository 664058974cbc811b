/* The platform emulator's SQLite database on disk (DATA/platform.db): enrolled units and
 * tokens, idempotency keys with their first responses, applications and their statuses,
 * ratings, reports, telemetry, sessions, the demo holders and their licences, catalogue
 * versions, counters. One connection behind one mutex: handlers run on a thread per
 * connection, and a test server needs correctness more than parallel writes. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

int emu_db_open(const char *path, const char *today, char *err, size_t errlen);
void emu_db_close(void);

/* The connection, locked for the caller until emu_db_unlock(). The lock is recursive: a
 * handler holding it may call functions that take it again (the idempotency check holds it
 * across the whole create, so two copies of one request cannot both create). */
sqlite3 *emu_db_lock(void);
void emu_db_unlock(void);

/* With the lock held. */
int emu_db_exec(const char *sql);
int64_t emu_db_int(const char *sql, const char *text_arg); /* first column of the first row, or -1 */
void emu_db_count(const char *counter, int64_t delta);
int64_t emu_db_counter(const char *counter);
/* Empties everything a test produced (applications, keys, sessions, counters, telemetry);
 * keeps units, holders, licences and the catalogue. */
int emu_db_reset(void);

/* The date the emulator treats as today, YYYYMMDD (--today, or the date in UTC+8). */
const char *emu_db_today(void);
