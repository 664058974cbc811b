/* db_open from several threads at once on a new file, as the workers do at start-up (receipt
 * and certificate printers, sync, catalogue): every one of them gets the database. Before the
 * journal-mode switch waited, one in about twenty rounds failed with "database is locked"
 * and its printer was reported unusable. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/storage/db.h"

enum { ROUNDS = 60, OPENERS = 3 };

static char path[128];
static pthread_barrier_t start;
static int failures;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *open_one(void *unused)
{
    (void)unused;
    struct db *db;
    char err[256];
    pthread_barrier_wait(&start);
    if (db_open(path, &db, err, sizeof err) < 0) {
        pthread_mutex_lock(&lock);
        failures++;
        fprintf(stderr, "%s\n", err);
        pthread_mutex_unlock(&lock);
        return NULL;
    }
    db_close(db);
    return NULL;
}

static void test_concurrent_open_of_a_new_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_db_open.XXXXXX";
    assert_non_null(mkdtemp(dir));
    for (int round = 0; round < ROUNDS; round++) {
        snprintf(path, sizeof path, "%s/kiosk-%d.db", dir, round);
        pthread_barrier_init(&start, NULL, OPENERS);
        pthread_t threads[OPENERS];
        for (int i = 0; i < OPENERS; i++)
            assert_int_equal(pthread_create(&threads[i], NULL, open_one, NULL), 0);
        for (int i = 0; i < OPENERS; i++)
            pthread_join(threads[i], NULL);
        pthread_barrier_destroy(&start);
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_open_of_a_new_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
