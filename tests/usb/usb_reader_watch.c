/* The reader worker on a native USB reader, for the USB end-to-end test (qemu guest):
 *   usb_reader_watch ADDRESS SECONDS
 * starts idcard_worker on ADDRESS (usb:VVVV:PPPP[,...]) with a 300 ms poll and prints one
 * line per message it posts, flushed at once, for SECONDS: "reader ok", "reader missing:
 * REASON", "reader error: REASON", "card read: KIND", "card removed", "card failed: REASON".
 * No personal data: a read card is named by its kind only. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "firmware/session/idcard_worker.h"
#include "firmware/core/msgqueue.h"

static long long usb_reader_watch_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: usb_reader_watch usb:VVVV:PPPP SECONDS\n");
        return 2;
    }
    struct msgqueue *queue = msgqueue_create(64);
    struct idcard_worker_options options = { .port = argv[1], .poll_interval_ms = 300 };
    if (!queue || idcard_worker_start(queue, &options) < 0) {
        fprintf(stderr, "usb_reader_watch: cannot start the worker on %s\n", argv[1]);
        return 2;
    }
    long long end = usb_reader_watch_now_ms() + atoi(argv[2]) * 1000LL;
    for (long long left; (left = end - usb_reader_watch_now_ms()) > 0;) {
        struct msg m;
        if (!msgqueue_wait(queue, &m, (int)left))
            continue;
        switch (m.kind) {
        case MSG_READER_STATUS:
            printf("reader %s%s%s\n",
                   m.u.reader_status.state == READER_OK ? "ok" : m.u.reader_status.state == READER_MISSING ? "missing" : "error",
                   m.u.reader_status.reason[0] ? ": " : "", m.u.reader_status.reason);
            break;
        case MSG_CARD_READ:
            printf("card read: %s\n", idcard_card_kind_name(m.u.card_read.record->card_kind));
            idcard_worker_free_record(m.u.card_read.record);
            break;
        case MSG_CARD_REMOVED:
            printf("card removed\n");
            break;
        case MSG_CARD_FAILED:
            printf("card failed: %s\n", m.u.card_failed.reason);
            break;
        default:
            break;
        }
        fflush(stdout);
    }
    idcard_worker_stop();
    struct msg m;
    while (msgqueue_take(queue, &m))
        if (m.kind == MSG_CARD_READ)
            idcard_worker_free_record(m.u.card_read.record);
    msgqueue_destroy(queue);
    return 0;
}
