/* The platform link's pure parts: retry delays (doubling, capped, jitter within half to all),
 * the signed manifest's reader (a valid one; each broken field named), and catalogue deltas
 * applied to the seed catalogue (an item changed, one removed, one added: the result parses
 * and has exactly those changes; a delta that does not fit is a "broken chain"). The parts
 * that talk to a server are tested against the platform emulator in
 * tests/platform/test-platform-client.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "firmware/catalogue/catalogue.h"
#include "firmware/platform/platform_json.h"
#include "firmware/platform/sync.h"

static void test_backoff(void **state)
{
    (void)state;
    /* random 0 gives the lower bound (half), UINT32_MAX-ish values stay within the delay. */
    assert_int_equal(sync_backoff_ms(1, 1000, 300000, 0), 500);
    assert_int_equal(sync_backoff_ms(2, 1000, 300000, 0), 1000);
    assert_int_equal(sync_backoff_ms(5, 1000, 300000, 0), 8000);
    assert_int_equal(sync_backoff_ms(5, 1000, 300000, 8000), 16000); /* 8000 + 8000 % 8001 */
    assert_int_equal(sync_backoff_ms(40, 1000, 300000, 0), 150000);  /* capped, no overflow */
    for (uint32_t r = 0; r < 100000; r += 7919) {
        int64_t d = sync_backoff_ms(3, 1000, 300000, r * 2654435761u);
        assert_true(d >= 2000 && d <= 4000);
    }
    /* Jitter: different random values spread the delays. */
    assert_true(sync_backoff_ms(6, 1000, 300000, 12345) != sync_backoff_ms(6, 1000, 300000, 54321));
}

static const char manifest_text[] =
    "{\"format\":\"kiosk-catalogue-manifest/1\",\"version\":\"2026.11.28-2\",\"previous_version\":\"2026.11.28-1\","
    "\"published\":\"2026-11-28T08:00:00+08:00\","
    "\"document\":{\"size\":300,\"sha256\":\"9f2c000000000000000000000000000000000000000000000000000000000001\","
    "\"item_count\":113},"
    "\"items_digest\":\"41ab000000000000000000000000000000000000000000000000000000000002\","
    "\"shards\":[{\"path\":\"/v1/catalogue/shards/5d1e\",\"sha256\":"
    "\"5d1e000000000000000000000000000000000000000000000000000000000003\",\"size\":200},"
    "{\"path\":\"/v1/catalogue/shards/6e2f\",\"sha256\":"
    "\"6e2f000000000000000000000000000000000000000000000000000000000004\",\"size\":100}],"
    "\"deltas\":[{\"from_version\":\"2026.11.28-1\",\"to_version\":\"2026.11.28-2\",\"path\":\"/v1/catalogue/deltas/3b9e\","
    "\"sha256\":\"3b9e000000000000000000000000000000000000000000000000000000000005\",\"size\":1730}]}";

/* The manifest with one substring replaced; the reader's message must name the field. */
static void expect_manifest_error(const char *from, const char *to, const char *expected)
{
    char text[4096];
    const char *at = strstr(manifest_text, from);
    assert_non_null(at);
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - manifest_text), manifest_text, to, at + strlen(from));
    struct platform_manifest manifest;
    char err[300];
    assert_int_equal(platform_manifest_parse(text, strlen(text), &manifest, err, sizeof err), -1);
    if (!strstr(err, expected))
        fail_msg("replacing %s by %s: expected \"%s\" in \"%s\"", from, to, expected, err);
    assert_null(manifest.shards);
}

static void test_manifest(void **state)
{
    (void)state;
    struct platform_manifest manifest;
    char err[300];
    assert_int_equal(platform_manifest_parse(manifest_text, strlen(manifest_text), &manifest, err, sizeof err), 0);
    assert_string_equal(manifest.version, "2026.11.28-2");
    assert_string_equal(manifest.previous_version, "2026.11.28-1");
    assert_int_equal(manifest.document_size, 300);
    assert_int_equal(manifest.item_count, 113);
    assert_int_equal(manifest.shard_count, 2);
    assert_string_equal(manifest.shards[1].path, "/v1/catalogue/shards/6e2f");
    assert_int_equal(manifest.shards[1].size, 100);
    assert_int_equal(manifest.delta_count, 1);
    assert_string_equal(manifest.deltas[0].to_version, "2026.11.28-2");
    assert_int_equal(manifest.deltas[0].file.size, 1730);
    platform_manifest_free(&manifest);

    expect_manifest_error("kiosk-catalogue-manifest/1", "kiosk-catalogue-manifest/2", "format");
    expect_manifest_error("\"size\":300", "\"size\":301", "add up to 300");
    expect_manifest_error("/v1/catalogue/shards/5d1e", "/v1/../../etc/passwd", "shards[0].path");
}

static void test_manifest_errors(void **state)
{
    (void)state;
    expect_manifest_error("/v1/catalogue/shards/6e2f", "https://elsewhere.example/x", "shards[1].path");
    expect_manifest_error("5d1e000000000000000000000000000000000000000000000000000000000003", "5D1E", "shards[0].sha256");
    expect_manifest_error("\"size\":200", "\"size\":-1", "shards[0].size");
    expect_manifest_error("\"item_count\":113", "\"item_count\":\"113\"", "document");
    expect_manifest_error("\"version\":\"2026.11.28-2\"", "\"version\":\"\"", "version");
    expect_manifest_error("\"from_version\":\"2026.11.28-1\",", "", "deltas[0]");
    expect_manifest_error("\"shards\":[", "\"shards\":[],\"x\":[", "shards");
    struct platform_manifest manifest;
    char err[300];
    assert_int_equal(platform_manifest_parse("{", 1, &manifest, err, sizeof err), -1);
    assert_string_equal(err, "manifest: not valid JSON");

    /* The error body, and a proxy's page that is not one. */
    char code[64], message[200];
    const char *body = "{\"error\":{\"code\":\"unavailable\",\"message\":\"maintenance until 03:00\"}}";
    assert_int_equal(platform_error_parse(body, strlen(body), code, sizeof code, message, sizeof message), 0);
    assert_string_equal(code, "unavailable");
    assert_string_equal(message, "maintenance until 03:00");
    assert_int_equal(platform_error_parse("<html>502</html>", 16, code, sizeof code, message, sizeof message), -1);
    assert_string_equal(code, "");
}

/* The one-time code's answers (docs/platform-api.md §4): the time the code lasts, and how
 * many tries a wrong code leaves, read from the details the platform sends. */
static void test_otp_answers(void **state)
{
    (void)state;
    uint64_t n = 7;
    const char *challenge = "{\"session_id\":\"s_P0W8\",\"otp_required\":true,\"phone_masked\":\"139****5678\","
                            "\"otp_expires_in_s\":300}";
    assert_int_equal(platform_json_count(challenge, strlen(challenge), "otp_expires_in_s", 3600, &n), 0);
    assert_int_equal(n, 300);
    const char *odd[] = { "{\"otp_expires_in_s\":-1}", "{\"otp_expires_in_s\":2.5}", "{\"otp_expires_in_s\":\"300\"}",
                          "{\"otp_expires_in_s\":86400}", "[300]", "" };
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        assert_int_equal(platform_json_count(odd[i], strlen(odd[i]), "otp_expires_in_s", 3600, &n), -1);
        assert_int_equal(n, 0);
    }
    const char *wrong = "{\"error\":{\"code\":\"otp_invalid\",\"message\":\"wrong code\","
                        "\"details\":[{\"field\":\"other\",\"reason\":\"9\"},{\"field\":\"attempts_left\",\"reason\":\"2\"}]}}";
    assert_int_equal(platform_error_detail_count(wrong, strlen(wrong), "attempts_left", 99, &n), 0);
    assert_int_equal(n, 2);
    const char *bad[] = {
        "{\"error\":{\"code\":\"otp_invalid\"}}",
        "{\"error\":{\"code\":\"otp_invalid\",\"details\":[{\"field\":\"attempts_left\",\"reason\":\"-2\"}]}}",
        "{\"error\":{\"code\":\"otp_invalid\",\"details\":[{\"field\":\"attempts_left\",\"reason\":\" 2\"}]}}",
        "{\"error\":{\"code\":\"otp_invalid\",\"details\":[{\"field\":\"attempts_left\",\"reason\":\"100\"}]}}",
        "{\"error\":{\"code\":\"otp_invalid\",\"details\":[{\"field\":\"attempts_left\",\"reason\":\"99999999999999999999\"}]}}",
        "{\"error\":{\"code\":\"otp_invalid\",\"details\":{\"field\":\"attempts_left\",\"reason\":\"2\"}}}",
        "<html>401</html>",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(platform_error_detail_count(bad[i], strlen(bad[i]), "attempts_left", 99, &n), -1);
}

/* ---- deltas on the seed catalogue ---- */
static struct catalogue *load_seed(void)
{
    struct catalogue *seed;
    char err[512];
    if (catalogue_load_file("assets/catalogue/seed.json", &seed, err, sizeof err) < 0)
        fail_msg("%s", err);
    return seed;
}

/* An item no other item names as parent and no theme lists: safe to remove. */
static long find_leaf(const struct catalogue *c, long skip)
{
    for (size_t i = 0; i < c->item_count; i++) {
        if ((long)i == skip || c->items[i].theme_count)
            continue;
        bool parent = false;
        for (size_t j = 0; j < c->item_count && !parent; j++)
            parent = c->items[j].parent == (long)i;
        if (!parent)
            return (long)i;
    }
    return -1;
}

static cJSON *item_json(const struct catalogue *seed, long index)
{
    cJSON *document = cJSON_ParseWithLength(seed->document, seed->document_length);
    assert_non_null(document);
    cJSON *items = cJSON_GetObjectItem(document, "items");
    cJSON *item = cJSON_DetachItemFromArray(items, (int)index);
    cJSON_Delete(document);
    return item;
}

/* A delta from seed's version: changed[0] = item `change` renamed, removed = item `drop`,
 * added = a copy of item `copy` under a new code. */
static char *make_delta(const struct catalogue *seed, const char *from, long change, long drop, long copy,
                        char *new_code, char *changed_code)
{
    cJSON *document = cJSON_ParseWithLength(seed->document, seed->document_length);
    cJSON *delta = cJSON_CreateObject();
    cJSON_AddStringToObject(delta, "format", "kiosk-catalogue-delta/1");
    cJSON_AddStringToObject(delta, "from_version", from);
    cJSON_AddStringToObject(delta, "to_version", "9999.01.01-1");
    cJSON_AddStringToObject(delta, "published", "2026-11-28T08:00:00+08:00");
    cJSON_AddItemToObject(delta, "region", cJSON_Duplicate(cJSON_GetObjectItem(document, "region"), 1));
    cJSON_AddItemToObject(delta, "halls", cJSON_Duplicate(cJSON_GetObjectItem(document, "halls"), 1));
    cJSON_AddItemToObject(delta, "themes", cJSON_Duplicate(cJSON_GetObjectItem(document, "themes"), 1));
    cJSON_Delete(document);
    cJSON *changed = cJSON_AddArrayToObject(delta, "changed");
    cJSON *item = item_json(seed, change);
    cJSON_ReplaceItemInObject(item, "name", cJSON_CreateString("改过名字的事项"));
    cJSON_ReplaceItemInObject(item, "version", cJSON_CreateString("99"));
    strcpy(changed_code, cJSON_GetObjectItem(item, "implementation_code")->valuestring);
    cJSON_AddItemToArray(changed, item);
    cJSON *removed = cJSON_AddArrayToObject(delta, "removed");
    cJSON_AddItemToArray(removed, cJSON_CreateString(seed->items[drop].implementation_code));
    cJSON *added = cJSON_AddArrayToObject(delta, "added");
    item = item_json(seed, copy);
    /* Same agency (first 18 characters), a suffix no seed item has. */
    snprintf(new_code, 64, "%.18s%s", seed->items[copy].implementation_code, "9990001");
    cJSON_ReplaceItemInObject(item, "implementation_code", cJSON_CreateString(new_code));
    cJSON_ReplaceItemInObject(item, "level", cJSON_CreateString("main"));
    cJSON_ReplaceItemInObject(item, "parent", cJSON_CreateNull());
    cJSON_ReplaceItemInObject(item, "themes", cJSON_CreateArray());
    cJSON_AddItemToArray(added, item);
    char *text = cJSON_PrintUnformatted(delta);
    cJSON_Delete(delta);
    return text;
}

static void test_delta(void **state)
{
    (void)state;
    struct catalogue *seed = load_seed();
    long drop = find_leaf(seed, -1), change = find_leaf(seed, drop), copy = change;
    assert_true(drop >= 0 && change >= 0);
    char new_code[64], changed_code[64], dropped_code[64];
    snprintf(dropped_code, sizeof dropped_code, "%s", seed->items[drop].implementation_code);
    char *delta = make_delta(seed, seed->version, change, drop, copy, new_code, changed_code);
    char *document, err[512];
    size_t length;
    if (catalogue_apply_delta(seed, delta, strlen(delta), &document, &length, err, sizeof err) < 0)
        fail_msg("%s", err);
    struct catalogue *next;
    if (catalogue_parse(document, length, &next, err, sizeof err) < 0)
        fail_msg("delta result rejected: %s", err);
    free(document);
    assert_string_equal(next->version, "9999.01.01-1");
    assert_int_equal(next->item_count, seed->item_count); /* one out, one in */
    assert_int_equal(catalogue_find_code(next, dropped_code), -1);
    long at = catalogue_find_code(next, changed_code);
    assert_true(at >= 0);
    assert_string_equal(next->items[at].name, "改过名字的事项");
    assert_string_equal(next->items[at].version, "99");
    at = catalogue_find_code(next, new_code);
    assert_int_equal(at, (long)next->item_count - 1); /* added at the end */
    /* Every other item is the seed's, unchanged and in order. */
    size_t j = 0;
    for (size_t i = 0; i < seed->item_count; i++) {
        if ((long)i == drop)
            continue;
        assert_string_equal(next->items[j].implementation_code, seed->items[i].implementation_code);
        if ((long)i != change)
            assert_string_equal(next->items[j].name, seed->items[i].name);
        j++;
    }

    /* Broken chains: another from_version; the same delta again on its own result (the
     * removed item is gone, the added one is there). */
    char *wrong = make_delta(seed, "2000.01.01-1", change, drop, copy, new_code, changed_code);
    assert_int_equal(catalogue_apply_delta(seed, wrong, strlen(wrong), &document, &length, err, sizeof err), -1);
    assert_non_null(strstr(err, "broken chain"));
    assert_null(document);
    cJSON *again = cJSON_Parse(delta);
    cJSON_ReplaceItemInObject(again, "from_version", cJSON_CreateString(next->version));
    char *again_text = cJSON_PrintUnformatted(again);
    assert_int_equal(catalogue_apply_delta(next, again_text, strlen(again_text), &document, &length, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "broken chain"));
    assert_int_equal(catalogue_apply_delta(seed, "{\"format\":\"x\"}", 14, &document, &length, err, sizeof err), -1);
    assert_non_null(strstr(err, "kiosk-catalogue-delta/1"));
    cJSON_Delete(again);
    free(again_text);
    free(wrong);
    free(delta);
    catalogue_free(next);
    catalogue_free(seed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_manifest),
        cmocka_unit_test(test_manifest_errors),
        cmocka_unit_test(test_otp_answers),
        cmocka_unit_test(test_delta),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
