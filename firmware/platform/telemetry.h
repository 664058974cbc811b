/* Telemetry: what the devices are doing, for the platform's console (docs/platform-api.md §9).
 *
 * The UI thread notes every device state it is told (MSG_DEVICE_STATUS, MSG_READER_STATUS);
 * a change becomes one event { at, kind "DEVICE.STATE", data { usable, was } } with a stable
 * kind such as receipt.paper_end or idcard.missing. Events wait here, in memory, until a
 * batch is due (telemetry_batch_max events, or the oldest is telemetry_flush_s old); the
 * platform link's worker then takes the batch and writes it to the outbox as one record
 * (OUTBOX_TELEMETRY), so a flapping device makes few records and the UI thread never waits
 * for the outbox's fsync. The current states also go up with every heartbeat.
 *
 * Keywords only: no reason texts, no names, nothing a resident typed or carried.
 *
 * One module state shared by two threads (the UI thread notes, the sync worker takes and
 * reads), guarded by one mutex held only for copies: that is why it is not UI-thread-only. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "drivers/certprinter/certprinter_ipp.h"
#include "drivers/escpos/escpos_status.h"
#include "firmware/core/msg.h"
#include "drivers/certprinter/pcl.h"

#define TELEMETRY_STATE_MAX 32
#define TELEMETRY_PENDING_MAX 256 /* events held in memory; more are counted as dropped */

/* The device's name in kinds and the heartbeat: "idcard", "receipt", "a4". */
const char *telemetry_device_key(enum device_id device);
/* Each driver's condition as a state keyword (the list is in docs/platform-api.md §9). */
const char *telemetry_state_receipt(enum escpos_condition condition);
const char *telemetry_state_pcl(enum pcl_job_reason reason);
const char *telemetry_state_ipp(enum certprinter_condition condition);
const char *telemetry_state_reader(enum reader_state state);

struct telemetry_options {
    int batch_max;       /* events per batch, 1..100 */
    int flush_ms;        /* the oldest pending event waits at most this long */
    void (*wake)(void);  /* called (outside the lock) when a batch may need writing soon */
};

/* Starts recording (the app does when the unit has a platform link); states start "unknown".
 * Before telemetry_start, notes change the states the heartbeat reads but record no event. */
void telemetry_start(const struct telemetry_options *options);
/* Forgets everything (pending events, states); for tests and the app's end. */
void telemetry_reset(void);

/* A device reported its state (UI thread). state NULL or "" means "ready" or "missing" by
 * usable; a keyword outside [a-z0-9_] is recorded as "unknown". at: wall clock of the report;
 * now_ms: clock_monotonic_ms() (a script's fake clock stands still; batches must not). True when it changed the state (and an event was recorded). */
bool telemetry_note_device(enum device_id device, bool usable, const char *state, time_t at, int64_t now_ms);

/* The current states as the heartbeat's "devices" object: {"idcard":"ready",...}. Returns
 * the length written (the object is cut to "{}" if size is too small). Any thread. */
size_t telemetry_devices_json(char *out, size_t size);

/* Milliseconds until a batch is due: 0 now, -1 when nothing is pending. */
int64_t telemetry_due_in_ms(int64_t now_ms);
/* The next batch's request body ({"events":[...]}, malloc'd, NUL-terminated), or NULL when
 * no batch is due (force: any pending events are due, as at shutdown). *length and *count
 * (events) are set when a body is returned. The events leave memory: the caller owns them. */
char *telemetry_take_batch(int64_t now_ms, bool force, size_t *length, int *count);

