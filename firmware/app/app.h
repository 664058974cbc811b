/* The kiosk application: composition root and main loop on the UI thread.
 * Screens call these to reach the unit's state; workers only post to the queue. */
#pragma once
#include <stdbool.h>

#include "firmware/storage/config.h"

struct catalogue;
struct search_index;
#include "firmware/core/msg.h"
#include "firmware/core/msgqueue.h"
#include "firmware/gfx/render.h"
#include "firmware/session/session.h"
#include "firmware/gfx/ui.h"

struct app_options {
    const char *config_path;  /* NULL: the board's default */
    bool headless;            /* never open a window */
    bool fake_clock;          /* scripts: time moves only when told */
    const char *bench_report; /* --bench-first-frame: append timing here and exit */
    const char *data_dir;     /* overrides [storage] data_dir (tests keep their own database) */
    const char *platform_url; /* overrides [platform] url (make run: the emulator's port) */
};

/* Loads config, fonts, translations, display. 0, or -1 after printing one clear message. */
int app_start(const struct app_options *options);
/* Runs until quit (window closed, SIGTERM/SIGINT, MSG_QUIT). Returns the exit status. */
int app_run(void);
void app_stop(void);

/* One turn of the loop without sleeping: messages, due timers, redraw if asked.
 * Scripts and benches drive the app with it. */
void app_step(void);
/* Sleeps up to timeout_ms for one worker message and handles it. */
void app_wait_message(int timeout_ms);
/* Feeds an input event as if from the touchscreen. */
void app_inject_input(const struct ui_event *event);
/* Draws the current state now (scripts' shot, bench). */
void app_draw_frame(void);
struct render *app_render(void);
struct msgqueue *app_queue(void);
const struct config *app_config(void);

/* The catalogue and its search index; NULL while the worker is still loading or when no
 * catalogue could be loaded (then app_catalogue_problem says so in plain words). */
const struct catalogue *app_catalogue(void);
/* The platform link as the UI knows it: NULL when none is configured, else the last
 * MSG_PLATFORM_STATUS (online is -1 until the first one). */
const struct msg_platform_status *app_platform_status(void);
const struct search_index *app_search_index(void);
const char *app_catalogue_problem(void);
/* The identified resident's verified licences (holder_worker.h); NULL until they arrive, and
 * after the session ends. */
struct holder_licences;
const struct holder_licences *app_holder_licences(void);

void app_set_language(const char *language);
void app_set_elder_mode(bool on);
/* Ends the resident session: pops to home and runs every wipe callback. */
void app_end_session(enum session_end_reason reason);
/* Technician: take the unit out of service (or back); reason is an English msgid. */
void app_set_maintenance(bool on);
bool app_in_maintenance(void);
bool app_device_present(enum device_id device);
/* True while a device's worker has started but not yet said how the device is (scripts wait
 * for that before they pretend a device state, or the worker's first report would undo it). */
bool app_device_awaiting_first_report(enum device_id device);
const char *app_device_reason(enum device_id device);
const char *app_device_name(enum device_id device); /* translated */
/* The first reason the unit cannot serve residents, translated; NULL when it can. */
const char *app_out_of_service_reason(void);
