#include "firmware/session/idcard_worker.h"

#include "firmware/core/i18n.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drivers/idcard/idcard_frame.h"
#include "drivers/idcard/idcard_reader.h"
#include "firmware/core/log.h"
#include "drivers/transport/transport_serial.h"
#include "drivers/transport/transport_usb_idcard.h"
#include "drivers/transport/usb_link.h"

#define IDCARD_WORKER_REOPEN_MS 3000
#define IDCARD_WORKER_SLICE_MS  200

/* The stop flag is the one thing shared with the thread that calls stop: under the lock. */
static struct {
    pthread_t thread;
    bool running;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
    struct msgqueue *queue;
    char port[256];
    int baud;
    int poll_interval_ms;
    bool with_fingerprint;
    bool usb;                    /* port is usb:VID:PID[,...]: native USB through libusb */
    struct usb_link_match match;
    struct usb_link *link;       /* the worker thread's libusb context, kept across replugs */
} idcard_worker = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

void idcard_worker_free_record(struct idcard_record *record)
{
    if (!record)
        return;
    idcard_record_wipe(record);
    free(record);
}

/* Sleeps up to ms, waking early on stop; true when asked to stop. */
static bool idcard_worker_sleep(int ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&idcard_worker.lock);
    while (!idcard_worker.stop && pthread_cond_timedwait(&idcard_worker.wake, &idcard_worker.lock, &until) == 0)
        ;
    bool stop = idcard_worker.stop;
    pthread_mutex_unlock(&idcard_worker.lock);
    return stop;
}

static void idcard_worker_post(const struct msg *m)
{
    if (msgqueue_post(idcard_worker.queue, m) < 0)
        log_warn("idcard", "message queue full; %s dropped", msg_kind_name(m->kind));
}

/* Posts the reader's state when it changes (not on every poll). */
static void idcard_worker_set_state(enum reader_state *current, enum reader_state state, const char *reason)
{
    if (*current == state)
        return;
    *current = state;
    struct msg m = { .kind = MSG_READER_STATUS };
    m.u.reader_status.state = state;
    snprintf(m.u.reader_status.reason, sizeof m.u.reader_status.reason, "%s", reason);
    if (state == READER_OK)
        log_info("idcard", "reader ready on %s", idcard_worker.port);
    else
        log_warn("idcard", "reader %s: %s", state == READER_MISSING ? "missing" : "error", reason);
    idcard_worker_post(&m);
}

static void idcard_worker_post_read(struct idcard_record *record)
{
    char today[9], name[128], id[64];
    idcard_today(today);
    idcard_mask_name(record->name[0] ? record->name : record->name_en, name, sizeof name);
    idcard_mask_id(record->id_number, id, sizeof id);
    struct msg m = { .kind = MSG_CARD_READ };
    m.u.card_read.record = record;
    m.u.card_read.expired = idcard_record_is_expired(record, today);
    log_info("idcard", "card read: %s %s %s%s", idcard_card_kind_name(record->card_kind), name, id,
             m.u.card_read.expired ? " (expired)" : "");
    if (msgqueue_post(idcard_worker.queue, &m) < 0) {
        log_warn("idcard", "message queue full; card record wiped");
        idcard_worker_free_record(record);
    }
}

static void idcard_worker_post_failed(const char *msgid, const char *reason)
{
    struct msg m = { .kind = MSG_CARD_FAILED };
    snprintf(m.u.card_failed.msgid, sizeof m.u.card_failed.msgid, "%s", msgid);
    snprintf(m.u.card_failed.reason, sizeof m.u.card_failed.reason, "%s", reason);
    log_warn("idcard", "card not read: %s", reason);
    idcard_worker_post(&m);
}

/* Polls one open reader until it is lost or stop is asked. */
static void idcard_worker_serve(struct idcard_reader *reader, enum reader_state *state)
{
    for (;;) {
        struct idcard_record *record = calloc(1, sizeof *record);
        if (!record) {
            idcard_worker_set_state(state, READER_ERROR, "out of memory");
            return;
        }
        int result = idcard_reader_poll(reader, idcard_worker.with_fingerprint, record);
        if (result == IDCARD_POLL_READ) {
            idcard_worker_post_read(record);
            record = NULL;
        }
        idcard_worker_free_record(record);
        if (result == IDCARD_POLL_REMOVED) {
            struct msg m = { .kind = MSG_CARD_REMOVED };
            idcard_worker_post(&m);
        }
        if (result == -ENODEV || result == -ETIMEDOUT) {
            idcard_worker_set_state(state, READER_MISSING, idcard_reader_strerror(reader, result));
            return;
        }
        if (result == -EPROTO || result == -EILSEQ || result == -EBADMSG || result == -EMSGSIZE) {
            const struct idcard_status *status = idcard_status_lookup(reader->sw3);
            const char *msgid = result == -EPROTO ? status->msgid
                                : result == -EILSEQ ? N_("This card cannot be read here. Please ask staff for help.")
                                                    : N_("Could not read the card. Please place your ID card on the reader again.");
            idcard_worker_post_failed(msgid, idcard_reader_strerror(reader, result));
            /* SAM faults stop every read: say so on the reader's state too. */
            if (result == -EPROTO && (reader->sw3 == 0x60 || reader->sw3 == 0x66))
                idcard_worker_set_state(state, READER_ERROR, idcard_reader_strerror(reader, result));
        } else if (result >= 0) {
            idcard_worker_set_state(state, READER_OK, "");
        } else {
            /* Anything else (-EIO from the tty ...): start again from opening the port. */
            idcard_worker_set_state(state, READER_ERROR, idcard_reader_strerror(reader, result));
            return;
        }
        if (idcard_worker_sleep(idcard_worker.poll_interval_ms))
            return;
    }
}

static bool idcard_worker_stopping(void)
{
    pthread_mutex_lock(&idcard_worker.lock);
    bool stop = idcard_worker.stop;
    pthread_mutex_unlock(&idcard_worker.lock);
    return stop;
}

/* The transport for the configured address: a tty, or native USB. */
static int idcard_worker_open(struct transport **transport)
{
    *transport = NULL;
    if (!idcard_worker.usb)
        return transport_serial_open(idcard_worker.port, idcard_worker.baud, transport);
    if (!idcard_worker.link) {
        int err = usb_link_open(&idcard_worker.link);
        if (err < 0)
            return err;
    }
    return transport_usb_idcard_open(idcard_worker.link, &idcard_worker.match, transport);
}

/* Between attempts to open a lost reader. A tty is tried again every few seconds. A USB
 * reader is looked for again at the poll interval (a rescan), sooner when libusb's hotplug
 * reports one plugged in; the wait is cut in slices so a stop is seen quickly. Then the
 * libusb context is dropped: on Linux its device list changes only through hotplug events,
 * and where none come (no udevd: an initramfs, a minimal board) only a new context, which
 * enumerates afresh, sees the reader plugged back in. True when asked to stop. */
static bool idcard_worker_wait_reopen(void)
{
    if (!idcard_worker.usb || !idcard_worker.link)
        return idcard_worker_sleep(idcard_worker.usb ? idcard_worker.poll_interval_ms : IDCARD_WORKER_REOPEN_MS);
    for (int waited = 0; waited < idcard_worker.poll_interval_ms; waited += IDCARD_WORKER_SLICE_MS) {
        if (idcard_worker_stopping())
            break;
        int slice = idcard_worker.poll_interval_ms - waited;
        if (slice > IDCARD_WORKER_SLICE_MS)
            slice = IDCARD_WORKER_SLICE_MS;
        if (usb_link_wait_arrival(idcard_worker.link, &idcard_worker.match, slice) == 1)
            break;
    }
    usb_link_close(idcard_worker.link);
    idcard_worker.link = NULL;
    return idcard_worker_stopping();
}

static void *idcard_worker_main(void *arg)
{
    (void)arg;
    /* Starts as "unknown" so the first state is always posted. */
    enum reader_state state = (enum reader_state)-1;
    struct idcard_reader *reader = malloc(sizeof *reader);
    if (!reader) {
        idcard_worker_set_state(&state, READER_ERROR, "out of memory");
        return NULL;
    }
    do {
        struct transport *transport;
        int err = idcard_worker_open(&transport);
        if (err < 0) {
            char reason[200];
            snprintf(reason, sizeof reason, "cannot open %.120s: %s", idcard_worker.port,
                     idcard_worker.usb ? usb_link_strerror(err) : strerror(-err));
            idcard_worker_set_state(&state, READER_MISSING, reason);
            continue;
        }
        idcard_reader_init(reader, transport, idcard_worker.baud);
        err = idcard_reader_sam_status(reader);
        if (err < 0)
            idcard_worker_set_state(&state, err == -EPROTO ? READER_ERROR : READER_MISSING,
                                    idcard_reader_strerror(reader, err));
        else {
            idcard_worker_set_state(&state, READER_OK, "");
            idcard_worker_serve(reader, &state);
        }
        transport_close(transport);
    } while (!idcard_worker_wait_reopen());
    usb_link_close(idcard_worker.link);
    idcard_worker.link = NULL;
    /* The last reply may hold a card's text. */
    explicit_bzero(reader, sizeof *reader);
    free(reader);
    return NULL;
}

int idcard_worker_start(struct msgqueue *queue, const struct idcard_worker_options *options)
{
    if (idcard_worker.running)
        return -EBUSY;
    int baud = options->baud ? options->baud : 115200;
    if (!transport_serial_baud_supported(baud) || !options->port || !options->port[0])
        return -EINVAL;
    idcard_worker.usb = !strncmp(options->port, "usb:", 4);
    if (idcard_worker.usb && usb_link_match_parse(options->port + 4, &idcard_worker.match) < 0)
        return -EINVAL;
    idcard_worker.queue = queue;
    snprintf(idcard_worker.port, sizeof idcard_worker.port, "%s", options->port);
    idcard_worker.baud = baud;
    idcard_worker.poll_interval_ms = options->poll_interval_ms > 0 ? options->poll_interval_ms : 500;
    idcard_worker.with_fingerprint = options->with_fingerprint;
    idcard_worker.stop = false;
    int err = pthread_create(&idcard_worker.thread, NULL, idcard_worker_main, NULL);
    if (err)
        return -err;
    idcard_worker.running = true;
    return 0;
}

void idcard_worker_stop(void)
{
    if (!idcard_worker.running)
        return;
    pthread_mutex_lock(&idcard_worker.lock);
    idcard_worker.stop = true;
    pthread_cond_broadcast(&idcard_worker.wake);
    pthread_mutex_unlock(&idcard_worker.lock);
    pthread_join(idcard_worker.thread, NULL);
    idcard_worker.running = false;
}
