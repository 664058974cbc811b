/* Telemetry: device state changes become events with stable kinds, batched for the outbox;
 * the heartbeat's device states. Bodies are read back with cJSON, as the platform would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "firmware/platform/telemetry.h"

static int wakes;
static void count_wake(void) { wakes++; }

static const time_t AT = 1795791600; /* 2026-11-27T15:00:00Z */

static void start(int batch_max, int flush_ms)
{
    wakes = 0;
    struct telemetry_options options = { .batch_max = batch_max, .flush_ms = flush_ms, .wake = count_wake };
    telemetry_start(&options);
}

static int teardown(void **state)
{
    (void)state;
    telemetry_reset();
    return 0;
}

/* The body's events (caller deletes the returned document). */
static cJSON *take(int64_t now_ms, bool force, int *count)
{
    size_t length = 0;
    char *body = telemetry_take_batch(now_ms, force, &length, count);
    if (!body)
        return NULL;
    assert_int_equal(strlen(body), length);
    cJSON *doc = cJSON_Parse(body);
    assert_non_null(doc);
    free(body);
    return doc;
}

static const char *event_string(const cJSON *doc, int i, const char *key)
{
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "events"), i);
    const cJSON *v = cJSON_GetObjectItem(e, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *event_data(const cJSON *doc, int i, const char *key)
{
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "events"), i);
    return cJSON_GetObjectItem(cJSON_GetObjectItem(e, "data"), key);
}

static bool all_keyword_chars(const char *s)
{
    return s && *s && strspn(s, "abcdefghijklmnopqrstuvwxyz_") == strlen(s);
}

static void test_every_driver_condition_has_a_keyword(void **state)
{
    (void)state;
    for (int c = ESCPOS_CONDITION_READY; c <= ESCPOS_CONDITION_NOT_ANSWERING; c++)
        assert_true(all_keyword_chars(telemetry_state_receipt((enum escpos_condition)c)));
    for (int r = PCL_JOB_REASON_NONE; r <= PCL_JOB_REASON_INVALID_JOB; r++)
        assert_true(all_keyword_chars(telemetry_state_pcl((enum pcl_job_reason)r)));
    for (int c = CERTPRINTER_READY; c <= CERTPRINTER_JOB_STOPPED; c++)
        assert_true(all_keyword_chars(telemetry_state_ipp((enum certprinter_condition)c)));
    for (int s = READER_OK; s <= READER_ERROR; s++)
        assert_true(all_keyword_chars(telemetry_state_reader((enum reader_state)s)));
    /* The same fault reads the same on every printer. */
    assert_string_equal(telemetry_state_receipt(ESCPOS_CONDITION_PAPER_END), "paper_end");
    assert_string_equal(telemetry_state_pcl(PCL_JOB_REASON_PAPER_EMPTY), "paper_end");
    assert_string_equal(telemetry_state_ipp(CERTPRINTER_MEDIA_EMPTY), "paper_end");
    assert_string_equal(telemetry_state_receipt(ESCPOS_CONDITION_PAPER_NEAR_END), "paper_near_end");
    assert_string_equal(telemetry_state_ipp(CERTPRINTER_MEDIA_LOW), "paper_near_end");
    assert_string_equal(telemetry_state_reader(READER_MISSING), "missing");
    assert_string_equal(telemetry_device_key(DEVICE_IDCARD_READER), "idcard");
    assert_string_equal(telemetry_device_key(DEVICE_RECEIPT_PRINTER), "receipt");
    assert_string_equal(telemetry_device_key(DEVICE_CERT_PRINTER), "a4");
}

static void test_a_change_is_one_event_with_kind_time_and_previous_state(void **state)
{
    (void)state;
    start(20, 5000);
    assert_true(telemetry_note_device(DEVICE_RECEIPT_PRINTER, true, "ready", AT, 1000));
    assert_false(telemetry_note_device(DEVICE_RECEIPT_PRINTER, true, "ready", AT + 1, 1100)); /* no change */
    assert_true(telemetry_note_device(DEVICE_RECEIPT_PRINTER, false, "paper_end", AT + 2, 1200));
    assert_true(telemetry_note_device(DEVICE_IDCARD_READER, false, NULL, AT + 3, 1300)); /* "" → missing */
    int count = 0;
    cJSON *doc = take(1000 + 5000, false, &count);
    assert_non_null(doc);
    assert_int_equal(count, 3);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "events")), 3);
    assert_string_equal(event_string(doc, 0, "kind"), "receipt.ready");
    assert_string_equal(event_string(doc, 0, "at"), "2026-11-27T15:00:00Z");
    assert_string_equal(cJSON_GetStringValue(event_data(doc, 0, "was")), "unknown");
    assert_true(cJSON_IsTrue(event_data(doc, 0, "usable")));
    assert_string_equal(event_string(doc, 1, "kind"), "receipt.paper_end");
    assert_string_equal(event_string(doc, 1, "at"), "2026-11-27T15:00:02Z");
    assert_string_equal(cJSON_GetStringValue(event_data(doc, 1, "was")), "ready");
    assert_true(cJSON_IsFalse(event_data(doc, 1, "usable")));
    assert_string_equal(event_string(doc, 2, "kind"), "idcard.missing");
    cJSON_Delete(doc);
    assert_null(take(999999, true, &count)); /* taken means gone */
}

static void test_events_wait_for_a_full_batch_or_the_flush_time(void **state)
{
    (void)state;
    start(3, 5000);
    const char *flap[] = {"ready", "paper_end"};
    telemetry_note_device(DEVICE_RECEIPT_PRINTER, true, flap[0], AT, 10000);
    assert_int_equal(wakes, 1); /* the first pending event sets a deadline */
    assert_int_equal(telemetry_due_in_ms(10000), 5000);
    assert_int_equal(telemetry_due_in_ms(14000), 1000);
    int count = 0;
    assert_null(take(14000, false, &count)); /* not yet: neither full nor old */
    for (int i = 1; i < 7; i++)
        telemetry_note_device(DEVICE_RECEIPT_PRINTER, i % 2 == 0, flap[i % 2], AT + i, 10000 + i);
    assert_int_equal(wakes, 2);                  /* and when the batch is full, not per event */
    assert_int_equal(telemetry_due_in_ms(10010), 0);
    cJSON *doc = take(10010, false, &count);
    assert_int_equal(count, 3);
    assert_string_equal(event_string(doc, 0, "kind"), "receipt.ready");
    assert_string_equal(event_string(doc, 1, "kind"), "receipt.paper_end");
    assert_string_equal(event_string(doc, 2, "kind"), "receipt.ready");
    cJSON_Delete(doc);
    doc = take(10010, false, &count);   /* the next three are a full batch too */
    assert_int_equal(count, 3);
    assert_string_equal(event_string(doc, 0, "kind"), "receipt.paper_end");
    cJSON_Delete(doc);
    assert_null(take(10010, false, &count)); /* one left, young */
    assert_int_equal(telemetry_due_in_ms(10010), 5000 - 4);
    doc = take(10006 + 5000, false, &count); /* its time has come */
    assert_int_equal(count, 1);
    assert_string_equal(event_string(doc, 0, "kind"), "receipt.ready");
    assert_string_equal(event_string(doc, 0, "at"), "2026-11-27T15:00:06Z");
    cJSON_Delete(doc);
    assert_int_equal(telemetry_due_in_ms(20000), -1);
}

static void test_force_takes_what_is_pending_at_shutdown(void **state)
{
    (void)state;
    start(20, 60000);
    telemetry_note_device(DEVICE_CERT_PRINTER, false, "paper_end", AT, 0);
    int count = 0;
    assert_null(take(1, false, &count));
    cJSON *doc = take(1, true, &count);
    assert_int_equal(count, 1);
    assert_string_equal(event_string(doc, 0, "kind"), "a4.paper_end");
    cJSON_Delete(doc);
}

static void test_a_full_memory_counts_what_it_drops(void **state)
{
    (void)state;
    start(100, 60000);
    const int noted = TELEMETRY_PENDING_MAX + 44;
    for (int i = 0; i < noted; i++)
        telemetry_note_device(DEVICE_RECEIPT_PRINTER, i % 2, i % 2 ? "ready" : "cover_open", AT, i);
    int total = 0, count = 0, batches = 0;
    long dropped = -1;
    cJSON *doc;
    while ((doc = take(noted, false, &count))) {
        int n = cJSON_GetArraySize(cJSON_GetObjectItem(doc, "events"));
        assert_true(n >= 1 && n <= 100);       /* the contract's limit per request */
        for (int i = 0; i < n; i++)
            if (!strcmp(event_string(doc, i, "kind"), "telemetry.dropped"))
                dropped = (long)cJSON_GetNumberValue(event_data(doc, i, "count"));
            else
                total++;
        batches++;
        cJSON_Delete(doc);
    }
    assert_int_equal(total, TELEMETRY_PENDING_MAX);
    assert_int_equal(dropped, 44);
    assert_int_equal(batches, 3);
}

static void test_heartbeat_devices_are_the_latest_states(void **state)
{
    (void)state;
    char json[128];
    telemetry_reset();
    telemetry_note_device(DEVICE_RECEIPT_PRINTER, true, "paper_near_end", AT, 0); /* not started: state only */
    assert_int_equal(telemetry_due_in_ms(0), -1);
    start(20, 1000);
    telemetry_devices_json(json, sizeof json);
    assert_string_equal(json, "{\"idcard\":\"unknown\",\"receipt\":\"unknown\",\"a4\":\"unknown\"}");
    telemetry_note_device(DEVICE_IDCARD_READER, true, "ready", AT, 0);
    telemetry_note_device(DEVICE_RECEIPT_PRINTER, true, "paper_near_end", AT, 0);
    telemetry_note_device(DEVICE_CERT_PRINTER, false, "Not A Keyword\"", AT, 0);
    size_t n = telemetry_devices_json(json, sizeof json);
    assert_string_equal(json, "{\"idcard\":\"ready\",\"receipt\":\"paper_near_end\",\"a4\":\"unknown\"}");
    assert_int_equal(n, strlen(json));
    char small[16];
    telemetry_devices_json(small, sizeof small);
    assert_string_equal(small, "{}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_every_driver_condition_has_a_keyword, teardown),
        cmocka_unit_test_teardown(test_a_change_is_one_event_with_kind_time_and_previous_state, teardown),
        cmocka_unit_test_teardown(test_events_wait_for_a_full_batch_or_the_flush_time, teardown),
        cmocka_unit_test_teardown(test_force_takes_what_is_pending_at_shutdown, teardown),
        cmocka_unit_test_teardown(test_a_full_memory_counts_what_it_drops, teardown),
        cmocka_unit_test_teardown(test_heartbeat_devices_are_the_latest_states, teardown),
    };
    return cmocka_run_group_tests_name("telemetry", tests, NULL, NULL);
}
