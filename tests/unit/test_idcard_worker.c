/* idcard_worker against the reader model (board/sim/idcard_model) behind a pty: the
 * messages the UI thread gets, one read per card left on the reader, lift-off, a card
 * lifted mid-read, a vanished reader, and the log lines (masked name and number only). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board/sim/idcard_model.h"
#include "firmware/session/idcard_worker.h"
#include "firmware/core/msgqueue.h"

/* Waits for the next message of kind, skipping others; false on timeout. */
static bool wait_for(struct msgqueue *queue, enum msg_kind kind, struct msg *out, int timeout_ms)
{
    for (int waited = 0; waited < timeout_ms; waited += 100) {
        if (msgqueue_wait(queue, out, 100)) {
            if (out->kind == kind)
                return true;
            if (out->kind == MSG_CARD_READ)
                idcard_worker_free_record(out->u.card_read.record);
        }
    }
    return false;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

static void test_worker_reads_once_reports_lift_off_and_a_lost_reader(void **state)
{
    (void)state;
    /* The worker's log lines go to stderr: keep them to check what they say. */
    char log_path[] = "/tmp/idcard-worker-log-XXXXXX";
    int log_fd = mkstemp(log_path);
    assert_true(log_fd >= 0);
    fflush(stderr);
    int saved_stderr = dup(2);
    dup2(log_fd, 2);

    struct idcard_model *model;
    assert_int_equal(idcard_model_start(&model, &(struct idcard_model_options){ 0 }), 0);
    struct msgqueue *queue = msgqueue_create(64);
    struct idcard_worker_options options = {
        .port = idcard_model_slave_path(model), .baud = 115200, .poll_interval_ms = 50
    };
    assert_int_equal(idcard_worker_start(queue, &options), 0);
    struct msg m;
    assert_true(wait_for(queue, MSG_READER_STATUS, &m, 5000));
    assert_int_equal(m.u.reader_status.state, READER_OK);

    assert_int_equal(idcard_model_place_card(model, "resident"), 0);
    assert_true(wait_for(queue, MSG_CARD_READ, &m, 5000));
    struct idcard_record *record = m.u.card_read.record;
    assert_non_null(record);
    assert_int_equal(record->card_kind, IDCARD_KIND_RESIDENT);
    assert_true(idcard_id_number_valid(record->id_number));
    assert_int_equal(record->photo_len, 1024);
    assert_false(m.u.card_read.expired);
    char id[64], masked_id[64];
    snprintf(id, sizeof id, "%s", record->id_number);
    idcard_mask_id(id, masked_id, sizeof masked_id);
    idcard_worker_free_record(record);

    /* Left on the reader for many polls: no second read. */
    assert_false(wait_for(queue, MSG_CARD_READ, &m, 600));
    idcard_model_remove_card(model);
    assert_true(wait_for(queue, MSG_CARD_REMOVED, &m, 5000));

    /* An expired card is read and flagged. */
    assert_int_equal(idcard_model_place_card(model, "resident-expired"), 0);
    assert_true(wait_for(queue, MSG_CARD_READ, &m, 5000));
    assert_true(m.u.card_read.expired);
    idcard_worker_free_record(m.u.card_read.record);

    idcard_model_remove_card(model);
    assert_true(wait_for(queue, MSG_CARD_REMOVED, &m, 5000));

    /* A card lifted between select and read: one failure message saying what to do. */
    assert_int_equal(idcard_model_set_fault(model, "removed-mid-read"), 0);
    assert_int_equal(idcard_model_place_card(model, "resident"), 0);
    assert_true(wait_for(queue, MSG_CARD_FAILED, &m, 5000));
    assert_string_equal(m.u.card_failed.msgid,
                        "Could not read the card. Please place your ID card on the reader again.");
    assert_non_null(strstr(m.u.card_failed.reason, "SW3 41"));
    assert_int_equal(idcard_model_set_fault(model, "none"), 0);

    /* The reader goes away (the pty's far side closes). */
    idcard_model_stop(model);
    assert_true(wait_for(queue, MSG_READER_STATUS, &m, 10000));
    assert_int_equal(m.u.reader_status.state, READER_MISSING);
    assert_true(strlen(m.u.reader_status.reason) > 0);

    idcard_worker_stop();
    while (msgqueue_take(queue, &m))
        if (m.kind == MSG_CARD_READ)
            idcard_worker_free_record(m.u.card_read.record);
    msgqueue_destroy(queue);

    fflush(stderr);
    dup2(saved_stderr, 2);
    close(saved_stderr);
    close(log_fd);
    const char *log = read_file(log_path);
    unlink(log_path);
    assert_non_null(strstr(log, "card read: resident"));
    assert_non_null(strstr(log, masked_id));
    assert_null(strstr(log, id));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worker_reads_once_reports_lift_off_and_a_lost_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
