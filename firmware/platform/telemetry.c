#include "firmware/platform/telemetry.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/core/log.h"

struct telemetry_event {
    time_t at;
    int64_t queued_ms;               /* monotonic: when it was noted (for the flush deadline) */
    enum device_id device;
    bool usable;
    char state[TELEMETRY_STATE_MAX];
    char was[TELEMETRY_STATE_MAX];
};

static struct {
    pthread_mutex_t lock;
    bool recording;
    struct telemetry_options options;
    char states[DEVICE_COUNT][TELEMETRY_STATE_MAX];
    struct telemetry_event pending[TELEMETRY_PENDING_MAX]; /* a ring, oldest at head */
    int head, count;
    long dropped;                    /* events that found the ring full since the last batch */
    time_t dropped_at;
} telemetry = { .lock = PTHREAD_MUTEX_INITIALIZER };

const char *telemetry_device_key(enum device_id device)
{
    switch (device) {
    case DEVICE_IDCARD_READER: return "idcard";
    case DEVICE_RECEIPT_PRINTER: return "receipt";
    case DEVICE_CERT_PRINTER: return "a4";
    default: return "unknown";
    }
}

/* The keywords are the technician's words for a state, shared across printers where the
 * meaning is the same (paper_end is paper_end on ESC/POS, PCL and IPP). */
const char *telemetry_state_receipt(enum escpos_condition condition)
{
    switch (condition) {
    case ESCPOS_CONDITION_READY: return "ready";
    case ESCPOS_CONDITION_PAPER_NEAR_END: return "paper_near_end";
    case ESCPOS_CONDITION_RECOVERABLE_ERROR: return "error";
    case ESCPOS_CONDITION_OFFLINE: return "offline";
    case ESCPOS_CONDITION_PAPER_END: return "paper_end";
    case ESCPOS_CONDITION_COVER_OPEN: return "cover_open";
    case ESCPOS_CONDITION_CUTTER_ERROR: return "cutter_error";
    case ESCPOS_CONDITION_UNRECOVERABLE_ERROR: return "fault";
    case ESCPOS_CONDITION_NOT_ANSWERING: return "not_answering";
    }
    return "unknown";
}

const char *telemetry_state_pcl(enum pcl_job_reason reason)
{
    switch (reason) {
    case PCL_JOB_REASON_NONE: return "ready";
    case PCL_JOB_REASON_PAPER_EMPTY: return "paper_end";
    case PCL_JOB_REASON_PRINTER_ERROR: return "error";
    case PCL_JOB_REASON_OFFLINE: return "offline";
    case PCL_JOB_REASON_WRITE_TIMEOUT: return "not_answering";
    case PCL_JOB_REASON_DEVICE_GONE: return "missing";
    case PCL_JOB_REASON_IO_ERROR: return "not_answering";
    case PCL_JOB_REASON_INVALID_JOB: return "error";
    }
    return "unknown";
}

const char *telemetry_state_ipp(enum certprinter_condition condition)
{
    switch (condition) {
    case CERTPRINTER_READY: return "ready";
    case CERTPRINTER_TONER_LOW: return "toner_low";
    case CERTPRINTER_MEDIA_LOW: return "paper_near_end";
    case CERTPRINTER_OTHER_ERROR: return "error";
    case CERTPRINTER_PAUSED: return "paused";
    case CERTPRINTER_OFFLINE: return "offline";
    case CERTPRINTER_OUTPUT_FULL: return "output_full";
    case CERTPRINTER_TRAY_MISSING: return "tray_missing";
    case CERTPRINTER_WRONG_MEDIA: return "wrong_paper";
    case CERTPRINTER_TONER_EMPTY: return "toner_empty";
    case CERTPRINTER_MEDIA_EMPTY: return "paper_end";
    case CERTPRINTER_DOOR_OPEN: return "cover_open";
    case CERTPRINTER_MEDIA_JAM: return "paper_jam";
    case CERTPRINTER_CANNOT_PRINT: return "cannot_print";
    case CERTPRINTER_NOT_ANSWERING: return "not_answering";
    case CERTPRINTER_JOB_STOPPED: return "error";
    }
    return "unknown";
}

const char *telemetry_state_reader(enum reader_state state)
{
    switch (state) {
    case READER_OK: return "ready";
    case READER_MISSING: return "missing";
    case READER_ERROR: return "error";
    }
    return "unknown";
}

/* Keywords go into JSON and kinds unescaped: anything but [a-z0-9_] is not a keyword. */
static bool telemetry_is_keyword(const char *s)
{
    if (!s[0] || strlen(s) >= TELEMETRY_STATE_MAX)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

static void telemetry_clear_locked(void)
{
    for (int d = 0; d < DEVICE_COUNT; d++)
        snprintf(telemetry.states[d], sizeof telemetry.states[d], "unknown");
    telemetry.head = telemetry.count = 0;
    telemetry.dropped = 0;
}

void telemetry_start(const struct telemetry_options *options)
{
    pthread_mutex_lock(&telemetry.lock);
    telemetry_clear_locked();
    telemetry.options = *options;
    if (telemetry.options.batch_max < 1)
        telemetry.options.batch_max = 1;
    if (telemetry.options.batch_max > 100) /* the contract's most per request */
        telemetry.options.batch_max = 100;
    telemetry.recording = true;
    pthread_mutex_unlock(&telemetry.lock);
}

void telemetry_reset(void)
{
    pthread_mutex_lock(&telemetry.lock);
    telemetry_clear_locked();
    telemetry.recording = false;
    memset(&telemetry.options, 0, sizeof telemetry.options);
    pthread_mutex_unlock(&telemetry.lock);
}

bool telemetry_note_device(enum device_id device, bool usable, const char *state, time_t at, int64_t now_ms)
{
    if ((unsigned)device >= DEVICE_COUNT)
        return false;
    const char *keyword = state && state[0] ? state : usable ? "ready" : "missing";
    if (!telemetry_is_keyword(keyword))
        keyword = "unknown";
    void (*wake)(void) = NULL;
    pthread_mutex_lock(&telemetry.lock);
    char *current = telemetry.states[device];
    if (!current[0])
        snprintf(current, TELEMETRY_STATE_MAX, "unknown");
    bool changed = strcmp(current, keyword) != 0;
    if (changed && telemetry.recording) {
        if (telemetry.count == TELEMETRY_PENDING_MAX) {
            /* Nobody has taken batches for a long while (the platform link's thread is
             * stuck): keep the oldest, count the rest, say so in the next batch. */
            if (!telemetry.dropped++)
                telemetry.dropped_at = at;
        } else {
            struct telemetry_event *e = &telemetry.pending[(telemetry.head + telemetry.count) % TELEMETRY_PENDING_MAX];
            *e = (struct telemetry_event){ .at = at, .queued_ms = now_ms, .device = device, .usable = usable };
            memcpy(e->state, keyword, strlen(keyword) + 1); /* a keyword: shorter than the field */
            memcpy(e->was, current, strlen(current) + 1);
            telemetry.count++;
            /* Wake the writer when its deadline appears (the first pending event) and when a
             * batch is full; not on every event, so a flapping device costs no wake-ups. */
            if (telemetry.count == 1 || telemetry.count == telemetry.options.batch_max)
                wake = telemetry.options.wake;
        }
    }
    if (changed)
        snprintf(current, TELEMETRY_STATE_MAX, "%s", keyword);
    pthread_mutex_unlock(&telemetry.lock);
    if (wake)
        wake();
    return changed;
}

size_t telemetry_devices_json(char *out, size_t size)
{
    if (!size)
        return 0;
    pthread_mutex_lock(&telemetry.lock);
    const char *state[DEVICE_COUNT];
    for (int d = 0; d < DEVICE_COUNT; d++)
        state[d] = telemetry.states[d][0] ? telemetry.states[d] : "unknown";
    int n = snprintf(out, size, "{\"idcard\":\"%s\",\"receipt\":\"%s\",\"a4\":\"%s\"}", state[DEVICE_IDCARD_READER],
                     state[DEVICE_RECEIPT_PRINTER], state[DEVICE_CERT_PRINTER]);
    pthread_mutex_unlock(&telemetry.lock);
    if (n < 0 || (size_t)n >= size)
        n = snprintf(out, size, "%s", size >= 3 ? "{}" : "");
    return (size_t)n;
}

static bool telemetry_due_locked(int64_t now_ms, bool force)
{
    if (!telemetry.count && !telemetry.dropped)
        return false;
    if (force || telemetry.count >= telemetry.options.batch_max || telemetry.dropped)
        return true;
    return now_ms - telemetry.pending[telemetry.head].queued_ms >= telemetry.options.flush_ms;
}

int64_t telemetry_due_in_ms(int64_t now_ms)
{
    pthread_mutex_lock(&telemetry.lock);
    int64_t due = -1;
    if (telemetry_due_locked(now_ms, false))
        due = 0;
    else if (telemetry.count)
        due = telemetry.pending[telemetry.head].queued_ms + telemetry.options.flush_ms - now_ms;
    pthread_mutex_unlock(&telemetry.lock);
    return due;
}

static void telemetry_format_at(time_t at, char out[32])
{
    struct tm tm;
    gmtime_r(&at, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* One event: every value is a keyword or a time we wrote, so no escaping is needed. */
static int telemetry_append_event(char *out, size_t size, time_t at, const char *kind_device, const char *kind_state,
                                  const char *data)
{
    char when[32];
    telemetry_format_at(at, when);
    return snprintf(out, size, "{\"at\":\"%s\",\"kind\":\"%s.%s\",\"data\":%s}", when, kind_device, kind_state, data);
}

char *telemetry_take_batch(int64_t now_ms, bool force, size_t *length, int *count)
{
    /* An event is at most ~170 bytes: room for a full batch plus the dropped note. */
    enum { EVENT_MAX = 256 };
    pthread_mutex_lock(&telemetry.lock);
    if (!telemetry_due_locked(now_ms, force)) {
        pthread_mutex_unlock(&telemetry.lock);
        return NULL;
    }
    int take = telemetry.count < telemetry.options.batch_max ? telemetry.count : telemetry.options.batch_max;
    bool note_dropped = telemetry.dropped && take < 100;
    size_t size = 32 + (size_t)(take + 1) * EVENT_MAX;
    char *body = malloc(size);
    if (!body) {
        pthread_mutex_unlock(&telemetry.lock);
        log_error("telemetry", "out of memory for a batch of %d events", take);
        return NULL;
    }
    size_t used = (size_t)snprintf(body, size, "{\"events\":[");
    for (int i = 0; i < take; i++) {
        const struct telemetry_event *e = &telemetry.pending[(telemetry.head + i) % TELEMETRY_PENDING_MAX];
        char data[96];
        snprintf(data, sizeof data, "{\"usable\":%s,\"was\":\"%s\"}", e->usable ? "true" : "false", e->was);
        used += (size_t)telemetry_append_event(body + used, size - used, e->at, telemetry_device_key(e->device),
                                               e->state, data);
        body[used++] = ',';
    }
    if (note_dropped) {
        char data[48];
        snprintf(data, sizeof data, "{\"count\":%ld}", telemetry.dropped);
        used += (size_t)telemetry_append_event(body + used, size - used, telemetry.dropped_at, "telemetry", "dropped",
                                               data);
        body[used++] = ',';
        telemetry.dropped = 0;
    }
    used--; /* the last comma */
    used += (size_t)snprintf(body + used, size - used, "]}");
    telemetry.head = (telemetry.head + take) % TELEMETRY_PENDING_MAX;
    telemetry.count -= take;
    pthread_mutex_unlock(&telemetry.lock);
    *length = used;
    *count = take + (note_dropped ? 1 : 0);
    return body;
}
