/* The kiosk application: composition root and main loop on the UI thread. main, kioskctl's
 * scripts and the benches drive it with these; the screens reach the unit's state through
 * screens/screen_host.h, which the app implements; workers only post to the queue. */
#pragma once
#include <stdbool.h>

#include "firmware/storage/config.h"

#include "firmware/core/msg.h"
#include "firmware/core/msgqueue.h"
#include "firmware/gfx/render.h"
#include "firmware/gfx/ui.h"
#include "screens/screen_host.h"

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
struct msgqueue *app_queue(void);

