#include "firmware/app/app.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "board/board.h"
#include "firmware/catalogue/catalogue.h"
#include "firmware/catalogue/catalogue_worker.h"
#include "firmware/core/clock.h"
#include "firmware/platform/holder_worker.h"
#include "firmware/core/i18n.h"
#include "firmware/session/idcard_worker.h"
#include "firmware/session/identity.h"
#include "screens/inactivity.h"
#include "firmware/core/log.h"
#include "firmware/print/receipt_worker.h"
#include "firmware/input/handwriting.h"
#include "firmware/platform/platform_json.h"
#include "firmware/input/ime_pinyin.h"
#include "firmware/platform/platform_paths.h"
#include "firmware/print/certprinter.h"
#include "screens/screen_list.h"
#include "firmware/catalogue/search.h"
#include "screens/semantic.h"
#include "firmware/platform/sync.h"
#include "firmware/platform/telemetry.h"
#include "firmware/gfx/text.h"
#include "screens/theme.h"
#include "firmware/core/timer.h"

#define APP_QUEUE_CAPACITY 256

static struct {
    struct config config;
    struct render render;
    struct msgqueue *queue;
    bool quit;
    int exit_status;
    bool maintenance;
    bool platform_configured;
    struct msg_platform_status platform; /* the sync worker's last MSG_PLATFORM_STATUS */
    struct msg_catalogue pending_catalogue; /* arrived mid-service: used back at home */
    bool catalogue_pending;
    struct msg_device_status devices[DEVICE_COUNT];
    const char *bench_report;
    pthread_t signal_thread;
    bool signal_thread_running;
    struct catalogue *catalogue;  /* NULL until the catalogue worker delivers */
    struct search_index *search;
    char catalogue_error[256];    /* why there is no catalogue, for technicians' logs */
    char data_dir[1024];          /* resolved; "" when it could not be created */
    struct holder_licences *holder_licences; /* the identified resident's verified licences */
    bool device_worker[DEVICE_COUNT];   /* a worker thread reports this device's state */
    bool device_reported[DEVICE_COUNT]; /* and has reported it at least once */
    char db_path[1100];           /* the unit's database in data_dir */
} app;

struct render *app_render(void) { return &app.render; }
const char *app_board_name(void) { return board_name(); }

int app_submit(int kind, const char *body, size_t len, unsigned *request)
{
    return sync_worker_submit((enum outbox_kind)kind, body, len, request);
}
struct msgqueue *app_queue(void) { return app.queue; }
const struct config *app_config(void) { return &app.config; }

/* SIGINT/SIGTERM are blocked in every thread; this one waits for them and asks the UI
 * thread to quit through the queue, which wakes it wherever it sleeps. */
static void *app_signal_main(void *arg)
{
    sigset_t *set = arg;
    int sig;
    if (sigwait(set, &sig) == 0) {
        struct msg quit = { .kind = MSG_QUIT };
        msgqueue_post(app.queue, &quit);
    }
    return NULL;
}

static void app_start_signal_thread(void)
{
    static sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    app.signal_thread_running = pthread_create(&app.signal_thread, NULL, app_signal_main, &set) == 0;
}

static void app_schedule_clock_tick(void *ctx);

/* The home clock shows minutes, so wake once at each minute boundary, never more often. */
static void app_clock_tick(void *ctx)
{
    screen_request_redraw();
    app_schedule_clock_tick(ctx);
}

static void app_schedule_clock_tick(void *ctx)
{
    time_t wall = clock_wall_seconds();
    int64_t ms_to_minute = (60 - wall % 60) * 1000;
    timer_set(TIMER_CLOCK_TICK, clock_now_ms() + ms_to_minute, app_clock_tick, ctx);
}

/* Session wipe: the resident's display choices go back to the unit's defaults. */
static void app_wipe_display_choices(void *ctx)
{
    (void)ctx;
    i18n_set_language(app.config.language);
    theme_set_elder_mode(app.config.elder_mode);
    screen_request_redraw();
}

/* The holder's licences and platform session end with the resident's session. */
static void app_wipe_holder(void *ctx)
{
    (void)ctx;
    holder_licences_free(app.holder_licences);
    app.holder_licences = NULL;
    holder_worker_end_session();
}

static void app_inactivity_expired(void)
{
    app_end_session(SESSION_END_TIMEOUT);
}

/* Out of service (maintenance, or a required device missing): end any session and show the
 * out-of-service screen as the root; back in service: home again. */
static void app_update_service_state(void)
{
    /* Act on transitions only: a device report while the unit is already out of service
     * must not throw a technician out of the technician screen. */
    int root = screen_manager_root();
    if (app_out_of_service_reason()) {
        if (root == SCREEN_out_of_service)
            return;
        if (session_active())
            app_end_session(SESSION_END_SERVICE);
        inactivity_stop();
        screen_manager_reset(SCREEN_out_of_service, NULL);
    } else if (root != SCREEN_home) {
        screen_manager_reset(SCREEN_home, NULL);
    }
    screen_request_redraw();
}

/* Chinese text entry: rime deploys into the data directory and zinnia opens its model, each
 * on its own thread; until they are ready (or when a package is missing) the keyboard
 * offers ABC and 123 only. */
static void app_start_text_entry(void)
{
    char config_dir[1024];
    board_resolve_path(app.config.pinyin_config_dir, config_dir, sizeof config_dir);
    const struct ime_pinyin_options pinyin = { .shared_dir = app.config.pinyin_shared_dir,
                                               .config_dir = config_dir,
                                               .data_dir = app.data_dir };
    if (!app.data_dir[0])
        ime_pinyin_note_ready(false, "no data directory for the pinyin input's data");
    else if (ime_pinyin_start(app.queue, &pinyin) < 0)
        ime_pinyin_note_ready(false, "cannot start the pinyin input's thread");
    char model[1024];
    board_resolve_path(app.config.handwriting_model, model, sizeof model);
    if (handwriting_start(app.queue, model) < 0)
        handwriting_note_ready(false, "cannot start the handwriting thread");
}

/* The unit's database lives in data_dir (created if missing); the catalogue worker loads
 * from it, or from the seed, off the UI thread. */
static void app_start_catalogue(const char *data_dir_override)
{
    char data_dir[1024], db_path[1100], seed_path[1024];
    board_resolve_path(data_dir_override ? data_dir_override : app.config.data_dir, data_dir, sizeof data_dir);
    board_resolve_path(app.config.catalogue_seed, seed_path, sizeof seed_path);
    char partial[1024];
    for (size_t i = 1; data_dir[i - 1]; i++) {
        if (data_dir[i] == '/' || data_dir[i] == '\0') {
            snprintf(partial, sizeof partial, "%.*s", (int)i, data_dir);
            if (mkdir(partial, 0700) < 0 && errno != EEXIST) {
                snprintf(app.catalogue_error, sizeof app.catalogue_error, "cannot create %.160s: %s", partial,
                         strerror(errno));
                log_error("app", "%s", app.catalogue_error);
                return;
            }
        }
    }
    snprintf(db_path, sizeof db_path, "%s/kiosk.db", data_dir);
    snprintf(app.data_dir, sizeof app.data_dir, "%s", data_dir);
    snprintf(app.db_path, sizeof app.db_path, "%s", db_path);
    /* An empty [storage] catalogue_seed means no seed (a unit that waits for the platform). */
    struct catalogue_worker_options worker = { .db_path = db_path,
                                               .seed_path = app.config.catalogue_seed[0] ? seed_path : NULL };
    if (catalogue_worker_start(app.queue, &worker) < 0)
        snprintf(app.catalogue_error, sizeof app.catalogue_error, "cannot start the catalogue worker");
}

/* The platform link's worker (firmware/platform/sync.h), when [platform] url is set. */
static void app_start_platform_link(const char *data_dir_override)
{
    if (!app.config.platform_url[0]) {
        log_info("app", "no platform link ([platform] url is empty)");
        return;
    }
    struct sync_options options;
    sync_options_from_config(&app.config, data_dir_override, &options);
    app.platform_configured = true;
    app.platform = (struct msg_platform_status){ .online = -1 };
    /* Device state changes become telemetry only with a platform to send them to. The UI
     * thread only notes them in memory; the sync worker writes the batches to the outbox
     * (an outbox insert is a synchronous=FULL transaction: an fsync the UI must not wait for). */
    struct telemetry_options telemetry = { .batch_max = app.config.platform_telemetry_batch_max,
                                           .flush_ms = app.config.platform_telemetry_flush_s * 1000,
                                           .wake = sync_worker_poke };
    telemetry_start(&telemetry);
    if (sync_worker_start(app.queue, &options) < 0)
        log_error("app", "platform link: cannot start its worker");
    if (holder_worker_start(app.queue, &options) < 0)
        log_error("app", "platform link: cannot start the card holder's worker");
}

/* The ID card reader's worker, on the board's port (the reader model's pty on the sim). */
static void app_start_idcard_reader(void)
{
    char port[512], err[256];
    if (board_idcard_port(&app.config, port, sizeof port, err, sizeof err) < 0) {
        log_error("app", "ID card reader: %s", err);
        return;
    }
    struct idcard_worker_options reader = { .port = port, .baud = app.config.idcard_baud, .poll_interval_ms = app.config.idcard_poll_ms };
    if (idcard_worker_start(app.queue, &reader) < 0)
        log_error("app", "ID card reader: cannot start its worker");
    else
        app.device_worker[DEVICE_IDCARD_READER] = true;
}

/* The receipt printer's worker, on the board's port (the printer model's pty on the sim,
 * which writes each cut receipt into DATA_DIR/prints). */
static void app_start_receipt_printer(void)
{
    char port[512], err[256], prints[1100];
    if (!app.db_path[0]) {
        log_error("app", "receipt printer: no data directory for its jobs");
        return;
    }
    snprintf(prints, sizeof prints, "%s/prints", app.data_dir);
    if (mkdir(prints, 0700) < 0 && errno != EEXIST)
        log_warn("app", "cannot create %s: %s", prints, strerror(errno));
    if (board_receipt_port(&app.config, prints, port, sizeof port, err, sizeof err) < 0) {
        log_error("app", "receipt printer: %s", err);
        return;
    }
    struct receipt_worker_options printer = { .address = port,
                                              .profile = app.config.receipt_profile,
                                              .db_path = app.db_path,
                                              .poll_interval_ms = app.config.receipt_poll_ms };
    if (receipt_worker_start(app.queue, &printer) < 0)
        log_error("app", "receipt printer: cannot start its worker");
    else
        app.device_worker[DEVICE_RECEIPT_PRINTER] = true;
}

/* The certificate printer's worker: its back end is chosen once from the address
 * (certprinter_backend.h: IPP for ipp://, ipps://, http://, as ipp-usb offers a USB laser;
 * else PCL: a path, usb:, or the sim board's PCL model, which writes each page into
 * DATA_DIR/prints). The board resolves the address (it starts its model for "sim"). */
static void app_start_cert_printer(void)
{
    char port[512], err[256], prints[1100];
    if (!app.db_path[0]) {
        log_error("app", "certificate printer: no data directory for its jobs");
        return;
    }
    /* Licence pages wait in the database sealed with the unit's device key. */
    struct platform_paths paths;
    platform_paths_resolve(&app.config, app.data_dir, &paths);
    snprintf(prints, sizeof prints, "%s/prints", app.data_dir);
    if (mkdir(prints, 0700) < 0 && errno != EEXIST)
        log_warn("app", "cannot create %s: %s", prints, strerror(errno));
    struct certprinter_options printer = { .address = port, .config = &app.config, .db_path = app.db_path,
                                           .device_key_path = paths.device_key,
                                           .poll_interval_ms = app.config.cert_poll_ms };
    if (board_cert_printer_port(&app.config, prints, port, sizeof port, &printer.port_status, &printer.soft_reset,
                                &printer.link_context, err, sizeof err) < 0) {
        log_error("app", "certificate printer: %s", err);
        return;
    }
    if (certprinter_start(app.queue, &printer) < 0)
        log_error("app", "certificate printer %s: cannot start its worker", port);
    else
        app.device_worker[DEVICE_CERT_PRINTER] = true;
}

int app_start(const struct app_options *options)
{
    char err[512];
    memset(&app, 0, sizeof app);
    app.bench_report = options->bench_report;
    config_set_defaults(&app.config);
    const char *config_path = options->config_path ? options->config_path : board_default_config_path();
    if (config_load(&app.config, config_path, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk: %s\n", err);
        return -1;
    }
    if (options->platform_url)
        snprintf(app.config.platform_url, sizeof app.config.platform_url, "%s", options->platform_url);
    if (options->fake_clock)
        clock_use_fake((time_t)1795791600); /* 2026-11-27 23:00 in Linyi (UTC+8) */
    platform_json_init(); /* before any thread parses or builds JSON */
    app.queue = msgqueue_create(APP_QUEUE_CAPACITY);
    if (!app.queue) {
        fprintf(stderr, "kiosk: out of memory\n");
        return -1;
    }
    app_start_signal_thread();
    if (render_library_start(err, sizeof err) < 0) {
        fprintf(stderr, "kiosk: %s\n", err);
        return -1;
    }
    if (i18n_init(board_locale_dir(), app.config.language) < 0)
        log_warn("app", "translations unavailable; showing English");
    if (text_init(app.config.font_regular, app.config.font_bold, app.config.font_face_index, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk: %s\n", err);
        return -1;
    }
    if (render_init(&app.render, app.config.display_width, app.config.display_height, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk: %s\n", err);
        return -1;
    }
    if (board_display_open(&app.config, !options->headless, &app.render.layout, app.queue, err, sizeof err) < 0) {
        fprintf(stderr, "kiosk: %s\n", err);
        return -1;
    }
    for (int d = 0; d < DEVICE_COUNT; d++)
        app.devices[d] = (struct msg_device_status){ (enum device_id)d, 1, "", "" };
    app_start_catalogue(options->data_dir);
    app_start_platform_link(options->data_dir);
    app_start_text_entry();
    identity_init();
    app_start_idcard_reader();
    app_start_receipt_printer();
    app_start_cert_printer();
    theme_set_elder_mode(app.config.elder_mode);
    session_register_wipe(app_wipe_display_choices, NULL);
    session_register_wipe(app_wipe_holder, NULL);
    inactivity_configure(app.config.inactivity_seconds, app.config.countdown_seconds, app_inactivity_expired);
    screen_manager_init(screen_table_all, SCREEN_ID_COUNT);
    app_update_service_state();
    app_schedule_clock_tick(NULL);
    log_info("app", "unit %s on board %s, %dx%d, language %s", app.config.unit_id, board_name(),
             app.config.display_width, app.config.display_height, app.config.language);
    return 0;
}

void app_stop(void)
{
    session_end(SESSION_END_EXIT);
    screen_manager_reset(SCREEN_home, NULL);
    /* The printer workers lay pages out with the font engine: stopped before it goes. */
    receipt_worker_stop();
    certprinter_stop();
    board_display_close();
    text_shutdown();
    render_free(&app.render);
    if (app.signal_thread_running) {
        pthread_cancel(app.signal_thread);
        pthread_join(app.signal_thread, NULL);
    }
    /* What is still in the queue belongs to nobody yet: free it with the queue (a card
     * record is wiped before it is freed). */
    idcard_worker_stop();
    holder_worker_stop();
    ime_pinyin_stop();
    handwriting_stop();
    sync_worker_stop(); /* writes the telemetry still in memory to the outbox */
    telemetry_reset();
    board_devices_stop();
    catalogue_worker_join();
    struct msg m;
    while (msgqueue_take(app.queue, &m)) {
        if (m.kind == MSG_CATALOGUE_READY)
            catalogue_worker_free_result(&m.u.catalogue);
        if (m.kind == MSG_CARD_READ)
            idcard_worker_free_record(m.u.card_read.record);
    }
    if (app.catalogue_pending)
        catalogue_worker_free_result(&app.pending_catalogue);
    app.catalogue_pending = false;
    search_index_free(app.search);
    catalogue_free(app.catalogue);
    app.search = NULL;
    app.catalogue = NULL;
    msgqueue_destroy(app.queue);
    session_unregister_all();
    timer_cancel_all();
    render_library_stop();
}

/* Makes result the catalogue in use (the UI thread owns it from here). */
static void app_use_catalogue(struct msg_catalogue *result)
{
    catalogue_worker_free_later(app.catalogue, app.search);
    app.catalogue = result->catalogue;
    app.search = result->index;
    app.catalogue_error[0] = '\0';
    screen_request_redraw();
}

static void app_handle_message(const struct msg *m)
{
    switch (m->kind) {
    case MSG_QUIT:
        app.quit = true;
        break;
    case MSG_WAKE:
        break;
    case MSG_DEVICE_STATUS:
        if ((unsigned)m->u.device_status.device < DEVICE_COUNT) {
            app.devices[m->u.device_status.device] = m->u.device_status;
            app.device_reported[m->u.device_status.device] = true;
            telemetry_note_device(m->u.device_status.device, m->u.device_status.present, m->u.device_status.state,
                                  clock_wall_seconds(), clock_monotonic_ms());
            log_info("app", "device %s %s", app_device_name(m->u.device_status.device),
                     m->u.device_status.present ? "present" : "missing");
            app_update_service_state();
            screen_request_redraw(); /* the technician screen shows each device's state */
        }
        break;
    case MSG_CATALOGUE_READY: {
        struct msg_catalogue result = m->u.catalogue;
        if (!result.catalogue) {
            snprintf(app.catalogue_error, sizeof app.catalogue_error, "%s", result.error);
            screen_request_redraw();
            break;
        }
        /* The start-up worker and the platform link both deliver catalogues; one that
         * arrives after a newer one (a slow start-up load) is dropped. */
        const struct catalogue *newest = app.catalogue_pending ? app.pending_catalogue.catalogue : app.catalogue;
        if (newest && strcmp(result.catalogue->version, newest->version) < 0) {
            log_info("app", "catalogue %s dropped: %s is newer", result.catalogue->version, newest->version);
            catalogue_worker_free_result(&result);
            break;
        }
        /* Screens hold item indexes into the catalogue in use: replace it only at the
         * root. A catalogue from the platform link that arrives while someone is in a
         * service waits until the stack is back at home (app_step) instead of throwing the
         * resident out. */
        if (app.catalogue && screen_manager_depth() > 1) {
            if (app.catalogue_pending)
                catalogue_worker_free_result(&app.pending_catalogue);
            app.pending_catalogue = result;
            app.catalogue_pending = true;
            log_info("app", "catalogue %s is used once the screen is back at home", result.catalogue->version);
            break;
        }
        app_use_catalogue(&result);
        break;
    }
    /* The ID card reader's messages: kept for the ID screen only (below). */
    case MSG_CARD_READ: {
        /* A record is kept only when a screen asked for a card and the card is valid;
         * otherwise it is wiped at once: personal data nobody needs is not held. */
        struct msg delivered = *m;
        bool wanted = screen_manager_top() == SCREEN_id_card && !m->u.card_read.expired;
        if (wanted)
            identity_take(m->u.card_read.record);
        else
            idcard_worker_free_record(m->u.card_read.record);
        delivered.u.card_read.record = NULL;
        screen_manager_deliver(&delivered);
        break;
    }
    case MSG_CARD_REMOVED:
    case MSG_CARD_FAILED:
        screen_manager_deliver(m);
        break;
    case MSG_READER_STATUS: {
        struct msg_device_status *reader = &app.devices[DEVICE_IDCARD_READER];
        app.device_reported[DEVICE_IDCARD_READER] = true;
        reader->present = m->u.reader_status.state == READER_OK;
        snprintf(reader->reason, sizeof reader->reason, "%s",
                 reader->present ? "" : N_("The card reader is out of order. Please ask staff for help."));
        snprintf(reader->state, sizeof reader->state, "%s", telemetry_state_reader(m->u.reader_status.state));
        telemetry_note_device(DEVICE_IDCARD_READER, reader->present, reader->state, clock_wall_seconds(),
                              clock_monotonic_ms());
        log_info("app", "ID card reader %s%s%s", reader->present ? "ready" : "not working",
                 reader->present ? "" : ": ", m->u.reader_status.reason);
        app_update_service_state();
        screen_manager_deliver(m);
        screen_request_redraw();
        break;
    }
    case MSG_PLATFORM_STATUS:
        /* The sync worker logs the reason; the technician's unit information shows it. */
        app.platform = m->u.platform_status;
        screen_request_redraw();
        break;
    case MSG_PRINT_JOB:
        screen_manager_deliver(m);
        break;
    case MSG_INPUT_READY: {
        const struct msg_input_ready *r = &m->u.input_ready;
        if (r->engine == INPUT_ENGINE_PINYIN)
            ime_pinyin_note_ready(r->ready, r->problem);
        else
            handwriting_note_ready(r->ready, r->problem);
        screen_request_redraw();
        break;
    }
    case MSG_HANDWRITING:
        handwriting_note_result(&m->u.handwriting);
        screen_request_redraw();
        break;
    case MSG_SUBMISSION: /* for the screen that waits for it */
        screen_manager_deliver(m);
        screen_request_redraw();
        break;
    case MSG_HOLDER: {
        /* Only the answer to the current request, and only while the licence screen that
         * asked is showing: one for a resident who has left is wiped, never shown. */
        if (m->u.holder.request != holder_worker_current_request()) {
            holder_licences_free(m->u.holder.licences);
            break;
        }
        holder_licences_free(app.holder_licences);
        app.holder_licences = NULL;
        if (screen_manager_top() == SCREEN_licences)
            app.holder_licences = m->u.holder.licences;
        else
            holder_licences_free(m->u.holder.licences);
        struct msg delivered = *m;
        delivered.u.holder.licences = NULL;
        screen_manager_deliver(&delivered);
        break;
    }
    case MSG_KIND_COUNT:
        break;
    }
}

const struct holder_licences *app_holder_licences(void)
{
    return app.holder_licences;
}

void app_inject_input(const struct ui_event *event)
{
    /* Whoever touches the glass starts a session, a technician at an out-of-service unit
     * too: the inactivity timeout then closes a staff screen left open. */
    if (event->kind == UI_EVENT_PRESS)
        session_begin();
    if (inactivity_dialog_visible()) {
        inactivity_event(event);
        return;
    }
    inactivity_note_activity();
    screen_manager_dispatch(event);
}

/* Milliseconds since this process started (kernel start time), for the first-frame bench. */
static double app_ms_since_process_start(void)
{
    FILE *f = fopen("/proc/self/stat", "r");
    if (!f)
        return -1;
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    unsigned long long start_ticks = 0;
    /* fields after the command: state(3) ... starttime(22) */
    for (int field = 2; p && field < 22; field++)
        p = strchr(p + 1, ' ');
    if (!p || sscanf(p + 1, "%llu", &start_ticks) != 1)
        return -1;
    struct timespec boot;
    clock_gettime(CLOCK_BOOTTIME, &boot);
    double now_ms = boot.tv_sec * 1000.0 + boot.tv_nsec / 1e6;
    return now_ms - start_ticks * 1000.0 / sysconf(_SC_CLK_TCK);
}

void app_draw_frame(void)
{
    semantic_frame_begin();
    screen_manager_draw(&app.render);
    inactivity_draw(&app.render);
    board_display_present(&app.render);
    if (app.bench_report) {
        printf("first-frame-ms %.1f\n", app_ms_since_process_start());
        fflush(stdout);
        app.bench_report = NULL;
        app.quit = true;
    }
}

void app_step(void)
{
    struct msg m;
    while (msgqueue_take(app.queue, &m))
        app_handle_message(&m);
    timer_fire_due(clock_now_ms());
    if (app.catalogue_pending && screen_manager_depth() <= 1) {
        app.catalogue_pending = false;
        app_use_catalogue(&app.pending_catalogue);
    }
    if (screen_take_redraw_request())
        app_draw_frame();
}

void app_wait_message(int timeout_ms)
{
    struct msg m;
    if (msgqueue_wait(app.queue, &m, timeout_ms))
        app_handle_message(&m);
}

int app_run(void)
{
    while (!app.quit) {
        app_step();
        if (app.quit)
            break;
        int64_t next = timer_next_deadline();
        int timeout = -1;
        if (next != INT64_MAX) {
            int64_t wait = next - clock_now_ms();
            timeout = wait < 0 ? 0 : (wait > INT32_MAX ? INT32_MAX : (int)wait);
        }
        if (board_display_has_window()) {
            struct ui_event event;
            int got = board_display_wait(timeout, &event);
            if (got < 0)
                app.quit = true;
            else if (got > 0)
                app_inject_input(&event);
        } else {
            app_wait_message(timeout);
        }
    }
    return app.exit_status;
}

void app_set_language(const char *language)
{
    i18n_set_language(language);
    screen_request_redraw();
}

void app_set_elder_mode(bool on)
{
    theme_set_elder_mode(on);
    screen_request_redraw();
}

void app_end_session(enum session_end_reason reason)
{
    inactivity_stop();
    screen_manager_pop_to_root();
    session_end(reason);
    screen_request_redraw();
}

void app_set_maintenance(bool on)
{
    app.maintenance = on;
    log_info("app", "maintenance %s", on ? "on" : "off");
    app_update_service_state();
}

const struct msg_platform_status *app_platform_status(void)
{
    return app.platform_configured ? &app.platform : NULL;
}

const struct catalogue *app_catalogue(void)
{
    return app.catalogue;
}

const struct search_index *app_search_index(void)
{
    return app.search;
}

const char *app_catalogue_problem(void)
{
    if (app.catalogue || !app.catalogue_error[0])
        return NULL;
    return _("The list of services is not available on this kiosk right now. Please ask at a service window "
             "or use the iShandong app.");
}

bool app_in_maintenance(void)
{
    return app.maintenance;
}

bool app_device_awaiting_first_report(enum device_id device)
{
    return (unsigned)device < DEVICE_COUNT && app.device_worker[device] && !app.device_reported[device];
}

bool app_device_present(enum device_id device)
{
    return app.devices[device].present;
}

const char *app_device_reason(enum device_id device)
{
    return app.devices[device].reason[0] ? _(app.devices[device].reason) : "";
}

const char *app_device_name(enum device_id device)
{
    switch (device) {
    case DEVICE_IDCARD_READER: return _("ID card reader");
    case DEVICE_RECEIPT_PRINTER: return _("Receipt printer");
    case DEVICE_CERT_PRINTER: return _("Certificate printer");
    default: return "?";
    }
}

const char *app_out_of_service_reason(void)
{
    if (app.maintenance)
        return _("The unit is being serviced by a technician.");
    for (int d = 0; d < DEVICE_COUNT; d++)
        if (app.config.required[d] && !app.devices[d].present)
            return app.devices[d].reason[0] ? _(app.devices[d].reason) : _("A device the unit needs is not working.");
    return NULL;
}
