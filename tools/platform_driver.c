/* platform_driver: the platform link's test driver (tests/platform/test-platform-client.sh), built on
 * the kiosk's own modules. It is what gets killed with SIGKILL in the crash tests, besides
 * kioskctl sync:
 *   platform_driver submit --data-dir D --count N --code CODE --holder ID [--config FILE]
 *       writes N applications into the outbox (each its own transaction), as the kiosk's
 *       apply screen will; prints one idempotency key a line as each commits
 *   platform_driver check --data-dir D [--config FILE]
 *       the stored catalogue, read back as the kiosk does at start: "VERSION ITEMS" when it
 *       parses and its rows agree (catalogue_items count = item_count); exit 1 otherwise
 *   platform_driver filable --file CATALOGUE
 *       the implementation code of the first kiosk-filable item of a catalogue file */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "firmware/catalogue/catalogue.h"
#include "firmware/storage/db.h"
#include "firmware/app/kioskctl.h"
#include "firmware/platform/outbox.h"

static int64_t driver_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static int driver_submit(const struct platform_paths *paths, int count, const char *code, const char *holder)
{
    char err[600];
    struct outbox *outbox;
    if (outbox_open(paths->db, paths->device_key, &outbox, err, sizeof err) < 0) {
        fprintf(stderr, "platform_driver: %s\n", err);
        return 1;
    }
    static const char *const reasons[] = { "首次申请", "变更", "补办" };
    for (int i = 0; i < count; i++) {
        char body[1024], key[37];
        snprintf(body, sizeof body,
                 "{\"implementation_code\":\"%s\",\"form_version\":\"1\",\"fields\":{\"phone\":\"13905391234\","
                 "\"reason\":\"%s\",\"note\":\"test %d\"},\"holder\":{\"card_kind\":\"resident\",\"id_number\":\"%s\","
                 "\"name\":\"张三丰\",\"name_en\":\"\"},\"session_id\":null,\"filed_at\":\"2026-11-28T09:40:00+08:00\"}",
                 code, reasons[i % 3], i, holder);
        if (outbox_add(outbox, OUTBOX_APPLICATION, body, strlen(body), driver_now_ms(), key) < 0) {
            fprintf(stderr, "platform_driver: %s\n", outbox_error(outbox));
            outbox_close(outbox);
            return 1;
        }
        printf("%s\n", key);
        fflush(stdout);
    }
    outbox_close(outbox);
    return 0;
}

static int driver_check(const struct platform_paths *paths)
{
    char err[600];
    struct catalogue *catalogue;
    if (catalogue_load_stored(paths->db, &catalogue, err, sizeof err) < 0) {
        fprintf(stderr, "platform_driver: %s\n", err);
        return 1;
    }
    struct db *db;
    struct db_statement *select;
    int64_t rows = -1, item_count = -1;
    if (db_open(paths->db, &db, err, sizeof err) == 0) {
        if (db_prepare(db, "SELECT (SELECT COUNT(*) FROM catalogue_items), (SELECT item_count FROM catalogue)",
                       &select) == 0) {
            if (db_step(select) == DB_ROW) {
                rows = db_column_int64(select, 0);
                item_count = db_column_int64(select, 1);
            }
            db_finalize(select);
        }
        db_close(db);
    }
    int status = 0;
    if (rows != (int64_t)catalogue->item_count || item_count != (int64_t)catalogue->item_count) {
        fprintf(stderr, "platform_driver: catalogue %s: %zu items in the document, %lld in the row, %lld rows\n",
                catalogue->version, catalogue->item_count, (long long)item_count, (long long)rows);
        status = 1;
    } else {
        printf("%s %zu\n", catalogue->version, catalogue->item_count);
    }
    catalogue_free(catalogue);
    return status;
}

static int driver_filable(const char *path)
{
    struct catalogue *catalogue;
    char err[600];
    if (catalogue_load_file(path, &catalogue, err, sizeof err) < 0) {
        fprintf(stderr, "platform_driver: %s\n", err);
        return 1;
    }
    int status = 1;
    for (size_t i = 0; i < catalogue->item_count && status; i++)
        if (catalogue->items[i].kiosk_filable) {
            printf("%s\n", catalogue->items[i].implementation_code);
            status = 0;
        }
    catalogue_free(catalogue);
    return status;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "filable") && !strcmp(argv[2], "--file"))
        return driver_filable(argv[3]);
    const char *config_path = NULL, *data_dir = NULL, *code = NULL, *holder = NULL;
    int count = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            config_path = argv[++i];
        else if (!strcmp(argv[i], "--data-dir") && i + 1 < argc)
            data_dir = argv[++i];
        else if (!strcmp(argv[i], "--count") && i + 1 < argc)
            count = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--code") && i + 1 < argc)
            code = argv[++i];
        else if (!strcmp(argv[i], "--holder") && i + 1 < argc)
            holder = argv[++i];
        else {
            fprintf(stderr, "platform_driver: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    struct config config;
    struct platform_paths paths;
    if (argc < 2 || !data_dir || kioskctl_platform_load(config_path, data_dir, &config, &paths) < 0) {
        fprintf(stderr, "usage: platform_driver submit|check --data-dir D [--config FILE] [--count N --code C --holder ID]\n");
        return 2;
    }
    if (!strcmp(argv[1], "submit") && count > 0 && code && holder)
        return driver_submit(&paths, count, code, holder);
    if (!strcmp(argv[1], "check"))
        return driver_check(&paths);
    fprintf(stderr, "usage: platform_driver submit|check --data-dir D [--config FILE] [--count N --code C --holder ID]\n");
    return 2;
}
