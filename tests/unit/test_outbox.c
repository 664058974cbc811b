/* The outbox (firmware/platform/outbox.c) on a SQLite file on disk: records come back oldest first per
 * kind, a record waiting for its retry holds back the later ones of its kind (not other
 * kinds), delivered and failed ones leave the queue, everything survives closing and
 * reopening, the body on disk is sealed (the resident's name is not in the file, read with
 * SQLite itself), a body changed on disk is an error naming the record, and the counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "firmware/platform/outbox.h"

static char tmp_dir[256], db_path[300], key_path[300];

static int setup(void **state)
{
    (void)state;
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/test_outbox.XXXXXX");
    if (!mkdtemp(tmp_dir))
        return -1;
    snprintf(db_path, sizeof db_path, "%s/kiosk.db", tmp_dir);
    snprintf(key_path, sizeof key_path, "%s/device.key", tmp_dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char command[512];
    snprintf(command, sizeof command, "rm -rf '%s'", tmp_dir);
    return system(command) == 0 ? 0 : -1;
}

static struct outbox *open_outbox(void)
{
    struct outbox *outbox;
    char err[600];
    if (outbox_open(db_path, key_path, &outbox, err, sizeof err) < 0)
        fail_msg("%s", err);
    return outbox;
}

static const char *application(int n)
{
    static char body[256];
    snprintf(body, sizeof body,
             "{\"implementation_code\":\"11371300004439557B1000100\",\"fields\":{\"n\":%d},"
             "\"holder\":{\"id_number\":\"37130219800315203%d\",\"name\":\"张三丰\"}}",
             n, n);
    return body;
}

static void expect_next(struct outbox *outbox, enum outbox_kind kind, int64_t now, const char *body,
                        struct outbox_entry *entry)
{
    assert_int_equal(outbox_next(outbox, kind, now, entry), 1);
    assert_string_equal(entry->body, body);
    assert_int_equal(entry->body_length, strlen(body));
    assert_int_equal(entry->kind, kind);
}

static void test_order_retry_and_restart(void **state)
{
    (void)state;
    struct outbox *outbox = open_outbox();
    char keys[3][37];
    char bodies[3][256];
    for (int i = 0; i < 3; i++) {
        snprintf(bodies[i], sizeof bodies[i], "%s", application(i));
        assert_int_equal(outbox_add(outbox, OUTBOX_APPLICATION, bodies[i], strlen(bodies[i]), 1000 + i, keys[i]), 0);
    }
    const char *rating = "{\"level\":5,\"channel\":\"self_service\"}";
    assert_int_equal(outbox_add(outbox, OUTBOX_EVALUATION, rating, strlen(rating), 1100, NULL), 0);
    assert_string_not_equal(keys[0], keys[1]);
    assert_int_equal(strlen(keys[0]), 36);

    struct outbox_entry entry;
    expect_next(outbox, OUTBOX_APPLICATION, 2000, bodies[0], &entry);
    assert_string_equal(entry.idempotency_key, keys[0]);
    assert_int_equal(entry.attempts, 0);
    /* The first fails for now: until its retry time nothing of its kind goes, ratings do. */
    assert_int_equal(outbox_mark_retry(outbox, entry.id, 5000, "HTTP 503 unavailable"), 0);
    outbox_entry_wipe(&entry);
    assert_int_equal(outbox_next(outbox, OUTBOX_APPLICATION, 4999, &entry), 0);
    expect_next(outbox, OUTBOX_EVALUATION, 4999, rating, &entry);
    assert_int_equal(outbox_mark_delivered(outbox, entry.id, 4999, "E0001"), 0);
    outbox_entry_wipe(&entry);
    assert_int_equal(outbox_next(outbox, OUTBOX_EVALUATION, 4999, &entry), 0);
    assert_int_equal(outbox_next(outbox, OUTBOX_REPORT, 4999, &entry), 0);

    /* A restart (power cut after the commit) changes nothing. */
    outbox_close(outbox);
    outbox = open_outbox();
    expect_next(outbox, OUTBOX_APPLICATION, 5000, bodies[0], &entry);
    assert_string_equal(entry.idempotency_key, keys[0]); /* the same key on every attempt */
    assert_int_equal(entry.attempts, 1);
    assert_int_equal(outbox_mark_delivered(outbox, entry.id, 5000, "LY20261128000017"), 0);
    outbox_entry_wipe(&entry);
    assert_null(entry.body);

    /* The second is refused for good: kept as failed, the third goes next. */
    expect_next(outbox, OUTBOX_APPLICATION, 5000, bodies[1], &entry);
    assert_int_equal(outbox_mark_failed(outbox, entry.id, "HTTP 422 form_invalid"), 0);
    outbox_entry_wipe(&entry);
    expect_next(outbox, OUTBOX_APPLICATION, 5000, bodies[2], &entry);
    assert_string_equal(entry.idempotency_key, keys[2]);
    outbox_entry_wipe(&entry);

    struct outbox_kind_stats stats[OUTBOX_KIND_COUNT];
    assert_int_equal(outbox_stats(outbox, stats), 0);
    assert_int_equal(stats[OUTBOX_APPLICATION].pending, 1);
    assert_int_equal(stats[OUTBOX_APPLICATION].delivered, 1);
    assert_int_equal(stats[OUTBOX_APPLICATION].failed, 1);
    assert_int_equal(stats[OUTBOX_APPLICATION].oldest_pending_at, 1002);
    assert_string_equal(stats[OUTBOX_APPLICATION].last_error, "HTTP 422 form_invalid");
    assert_int_equal(stats[OUTBOX_EVALUATION].delivered, 1);
    assert_int_equal(stats[OUTBOX_EVALUATION].pending, 0);
    assert_int_equal(outbox_pending_count(outbox), 1);
    outbox_close(outbox);

    /* What is on disk, read with SQLite itself: sealed bodies, the keys, the states. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    sqlite3_stmt *select;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT body, idempotency_key, state, result FROM outbox ORDER BY id", -1,
                                        &select, NULL),
                     SQLITE_OK);
    int rows = 0;
    while (sqlite3_step(select) == SQLITE_ROW) {
        const void *body = sqlite3_column_blob(select, 0);
        int len = sqlite3_column_bytes(select, 0);
        assert_null(memmem(body, (size_t)len, "张三丰", strlen("张三丰")));
        assert_null(memmem(body, (size_t)len, "371302", 6));
        rows++;
    }
    sqlite3_finalize(select);
    assert_int_equal(rows, 4);
    /* Someone changes a sealed body on disk: the record is an error, named, not sent. One bit
     * flipped, so the change is never a no-op (setting a byte to 0 was one run in 256). */
    sqlite3_stmt *read_body, *write_body;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT id, body FROM outbox WHERE state = 'pending'", -1, &read_body, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(read_body), SQLITE_ROW);
    const int64_t tampered_id = sqlite3_column_int64(read_body, 0);
    int tampered_len = sqlite3_column_bytes(read_body, 1);
    assert_true(tampered_len > 21);
    uint8_t *tampered = malloc((size_t)tampered_len);
    assert_non_null(tampered);
    memcpy(tampered, sqlite3_column_blob(read_body, 1), (size_t)tampered_len);
    sqlite3_finalize(read_body);
    tampered[21] ^= 0x01;
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE outbox SET body = ?1 WHERE id = ?2", -1, &write_body, NULL), SQLITE_OK);
    sqlite3_bind_blob(write_body, 1, tampered, tampered_len, SQLITE_TRANSIENT);
    sqlite3_bind_int64(write_body, 2, tampered_id);
    assert_int_equal(sqlite3_step(write_body), SQLITE_DONE);
    sqlite3_finalize(write_body);
    free(tampered);
    sqlite3_close(db);
    outbox = open_outbox();
    assert_int_equal(outbox_next(outbox, OUTBOX_APPLICATION, 6000, &entry), -1);
    assert_non_null(strstr(outbox_error(outbox), "does not open"));
    assert_non_null(strstr(outbox_error(outbox), keys[2]));
    assert_null(entry.body);
    outbox_close(outbox);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(outbox_kind_name(OUTBOX_REPORT), "report");
    assert_string_equal(outbox_kind_path(OUTBOX_REPORT), "/v1/problem-reports");
    assert_string_equal(outbox_kind_path(OUTBOX_APPLICATION), "/v1/applications");
    assert_int_equal(outbox_kind_from_name("telemetry"), OUTBOX_TELEMETRY);
    assert_int_equal(outbox_kind_from_name("letter"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_retry_and_restart),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
