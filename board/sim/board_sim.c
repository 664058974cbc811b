/* Simulator board: an SDL window (mouse = touch, scaled to fit the desktop) when a display
 * is there, headless otherwise. Device models join here as their issues land. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "board/board.h"
#include "board/board_sim.h"
#include "board/sim/escpos_model.h"
#include "drivers/escpos/escpos_profile.h"
#include "board/sim/idcard_model.h"
#include "board/sim/pcl_model.h"
#include "firmware/core/log.h"
#include "firmware/gfx/render_sdl.h"

static int sim_card_place(const char *fixture);
static int sim_card_remove(void);

static SDL_Window *sim_window;
static SDL_Renderer *sim_renderer;
static SDL_Texture *sim_texture;
static Uint32 sim_wake_event;
static struct layout sim_layout;
static bool sim_finger_down;
static char sim_root[PATH_MAX];
static struct escpos_model *sim_receipt_printer; /* when [devices] receipt_printer = sim */
static struct pcl_model *sim_cert_printer;       /* when [devices] cert_printer = sim */
static struct idcard_model *sim_reader; /* the reader model, when [devices] idcard_reader = sim */
static bool sim_card_on_reader;

const char *board_name(void)
{
    return "sim";
}

/* The checkout root: build/sim/kiosk -> ../.. */
static const char *sim_root_dir(void)
{
    if (sim_root[0])
        return sim_root;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        snprintf(sim_root, sizeof sim_root, ".");
        return sim_root;
    }
    exe[n] = '\0';
    for (int up = 0; up < 3; up++) {
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
    }
    snprintf(sim_root, sizeof sim_root, "%s", exe);
    return sim_root;
}

const char *board_default_config_path(void)
{
    static char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/board/sim/kiosk.ini", sim_root_dir());
    return path;
}

void board_resolve_path(const char *path, char *out, size_t size)
{
    if (path[0] == '/')
        snprintf(out, size, "%s", path);
    else
        snprintf(out, size, "%s/%s", sim_root_dir(), path);
}

const char *board_locale_dir(void)
{
    static char path[PATH_MAX];
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return "locale";
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    snprintf(path, sizeof path, "%.*s/locale", (int)(sizeof path - 8), exe);
    return path;
}

static void sim_ring_doorbell(void *ctx)
{
    (void)ctx;
    SDL_Event wake = { .type = sim_wake_event };
    SDL_PushEvent(&wake); /* thread-safe; wakes SDL_WaitEventTimeout */
}

int board_display_open(const struct config *config, bool want_window, const struct layout *layout,
                       struct msgqueue *queue, char *err, size_t errlen)
{
    sim_layout = *layout;
    bool display_server = getenv("DISPLAY") || getenv("WAYLAND_DISPLAY");
    if (!want_window || config->headless || !display_server) {
        log_info("board", "headless: %dx%d canvas, no window", layout->width_px, layout->height_px);
        return 0;
    }
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        snprintf(err, errlen, "cannot open the display: %s (set [display] headless = true to run without one)",
                 SDL_GetError());
        return -1;
    }
    /* Fit the portrait canvas on a desktop monitor unless the config fixes a scale. */
    double scale = config->window_scale;
    if (scale <= 0) {
        SDL_Rect usable;
        scale = 1.0;
        if (SDL_GetDisplayUsableBounds(0, &usable) == 0) {
            double sx = (double)usable.w / layout->width_px, sy = (double)(usable.h - 40) / layout->height_px;
            scale = sx < sy ? sx : sy;
            if (scale > 1.0)
                scale = 1.0;
        }
    }
    int w = (int)(layout->width_px * scale), h = (int)(layout->height_px * scale);
    sim_window = SDL_CreateWindow("爱山东·沂好办 — kiosk simulator", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w,
                                  h, 0);
    if (!sim_window)
        goto fail;
    sim_renderer = SDL_CreateRenderer(sim_window, -1, 0);
    if (!sim_renderer)
        goto fail;
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
    sim_texture = SDL_CreateTexture(sim_renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING,
                                    layout->width_px, layout->height_px);
    if (!sim_texture)
        goto fail;
    sim_wake_event = SDL_RegisterEvents(1);
    msgqueue_set_doorbell(queue, sim_ring_doorbell, NULL);
    log_info("board", "window %dx%d showing a %dx%d canvas", w, h, layout->width_px, layout->height_px);
    return 0;
fail:
    snprintf(err, errlen, "cannot create the simulator window: %s", SDL_GetError());
    board_display_close();
    return -1;
}

bool board_display_has_window(void)
{
    return sim_window != NULL;
}

void board_display_present(const struct render *render)
{
    const SDL_Surface *canvas = render_sdl_surface(render);
    if (!sim_window)
        return;
    SDL_UpdateTexture(sim_texture, NULL, canvas->pixels, canvas->pitch);
    SDL_RenderClear(sim_renderer);
    SDL_RenderCopy(sim_renderer, sim_texture, NULL, NULL);
    SDL_RenderPresent(sim_renderer);
}

/* Window pixels -> design units of the canvas. */
static void sim_to_design_units(int wx, int wy, int *x, int *y)
{
    int w, h;
    SDL_GetWindowSize(sim_window, &w, &h);
    double px = (double)wx * sim_layout.width_px / (w ? w : 1);
    double py = (double)wy * sim_layout.height_px / (h ? h : 1);
    *x = layout_px_to_du(&sim_layout, (int)px);
    *y = layout_px_to_du(&sim_layout, (int)py);
}

static enum ui_key sim_key(SDL_Keycode key)
{
    switch (key) {
    case SDLK_ESCAPE: return UI_KEY_BACK;
    case SDLK_RETURN: return UI_KEY_ENTER;
    case SDLK_BACKSPACE: return UI_KEY_BACKSPACE;
    case SDLK_UP: return UI_KEY_UP;
    case SDLK_DOWN: return UI_KEY_DOWN;
    default:
        if (key >= SDLK_F1 && key <= SDLK_F12)
            return (enum ui_key)(UI_KEY_F1 + (key - SDLK_F1));
        return UI_KEY_NONE;
    }
}

int board_display_wait(int timeout_ms, struct ui_event *out)
{
    SDL_Event ev;
    if (!SDL_WaitEventTimeout(&ev, timeout_ms < 0 ? -1 : timeout_ms))
        return 0;
    switch (ev.type) {
    case SDL_QUIT:
        return -1;
    case SDL_MOUSEBUTTONDOWN:
        if (ev.button.button != SDL_BUTTON_LEFT)
            return 0;
        sim_finger_down = true;
        out->kind = UI_EVENT_PRESS;
        sim_to_design_units(ev.button.x, ev.button.y, &out->x, &out->y);
        return 1;
    case SDL_MOUSEMOTION:
        if (!sim_finger_down)
            return 0;
        out->kind = UI_EVENT_DRAG;
        sim_to_design_units(ev.motion.x, ev.motion.y, &out->x, &out->y);
        return 1;
    case SDL_MOUSEBUTTONUP:
        if (ev.button.button != SDL_BUTTON_LEFT || !sim_finger_down)
            return 0;
        sim_finger_down = false;
        out->kind = UI_EVENT_RELEASE;
        sim_to_design_units(ev.button.x, ev.button.y, &out->x, &out->y);
        return 1;
    case SDL_KEYDOWN:
        if (ev.key.keysym.sym == SDLK_F2 && sim_reader) {
            /* F2 lays the test card on the reader, or lifts it: the sim's hand */
            if (sim_card_on_reader)
                sim_card_remove();
            else
                sim_card_place("resident");
            return 0;
        }
        out->kind = UI_EVENT_KEY;
        out->key = sim_key(ev.key.keysym.sym);
        return out->key != UI_KEY_NONE;
    case SDL_WINDOWEVENT:
        if (ev.window.event == SDL_WINDOWEVENT_EXPOSED) {
            /* The back buffer is undefined after an expose; the texture still holds the
             * last frame, so show it again without asking the screens to redraw. */
            SDL_RenderClear(sim_renderer);
            SDL_RenderCopy(sim_renderer, sim_texture, NULL, NULL);
            SDL_RenderPresent(sim_renderer);
        }
        return 0;
    default:
        return 0; /* the doorbell, or nothing we use */
    }
}

void board_display_close(void)
{
    if (sim_texture)
        SDL_DestroyTexture(sim_texture);
    if (sim_renderer)
        SDL_DestroyRenderer(sim_renderer);
    if (sim_window)
        SDL_DestroyWindow(sim_window);
    sim_texture = NULL;
    sim_renderer = NULL;
    sim_window = NULL;
    if (SDL_WasInit(SDL_INIT_VIDEO))
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
}

int board_idcard_port(const struct config *config, char *port, size_t size, char *err, size_t errlen)
{
    const char *address = config->device_address[DEVICE_IDCARD_READER];
    if (strcmp(address, "sim")) {
        snprintf(port, size, "%s", address);
        return 0;
    }
    if (!sim_reader) {
        struct idcard_model_options options = { .baud = (unsigned)config->idcard_baud, .delay_ms = 20 };
        int rc = idcard_model_start(&sim_reader, &options);
        if (rc < 0) {
            snprintf(err, errlen, "cannot start the reader model: %s", strerror(-rc));
            return -1;
        }
    }
    snprintf(port, size, "%s", idcard_model_slave_path(sim_reader));
    return 0;
}

static int sim_card_place(const char *fixture)
{
    if (!sim_reader)
        return -ENOTSUP;
    int rc = idcard_model_place_card(sim_reader, fixture);
    if (rc == 0)
        sim_card_on_reader = true;
    return rc;
}

static int sim_card_remove(void)
{
    if (!sim_reader)
        return -ENOTSUP;
    idcard_model_remove_card(sim_reader);
    sim_card_on_reader = false;
    return 0;
}

static int sim_reader_fault(const char *fault)
{
    return sim_reader ? idcard_model_set_fault(sim_reader, fault) : -ENOTSUP;
}

static int sim_reader_wait_commands(unsigned long commands, int timeout_ms)
{
    if (!sim_reader)
        return -ENOTSUP;
    struct idcard_model_stats start, now;
    idcard_model_get_stats(sim_reader, &start);
    for (int waited = 0; waited < timeout_ms; waited += 10) {
        idcard_model_get_stats(sim_reader, &now);
        if (now.commands >= start.commands + commands)
            return 0;
        SDL_Delay(10);
    }
    return -ETIMEDOUT;
}

int board_receipt_port(const struct config *config, const char *out_dir, char *port, size_t size, char *err,
                       size_t errlen)
{
    const char *address = config->device_address[DEVICE_RECEIPT_PRINTER];
    if (strcmp(address, "sim")) {
        snprintf(port, size, "%s", address);
        return 0;
    }
    if (!sim_receipt_printer) {
        const struct escpos_profile *profile = escpos_profile_find(config->receipt_profile);
        struct escpos_model_options options = { .out_dir = out_dir,
                                                .width_dots = profile ? (unsigned)profile->width_dots : 576 };
        int rc = escpos_model_start(&sim_receipt_printer, &options);
        if (rc < 0) {
            snprintf(err, errlen, "cannot start the receipt printer model: %s", strerror(-rc));
            return -1;
        }
    }
    snprintf(port, size, "%s", escpos_model_slave_path(sim_receipt_printer));
    return 0;
}

static int sim_receipt_fault(const char *fault, unsigned rows)
{
    if (!sim_receipt_printer)
        return -ENOTSUP;
    return escpos_model_set_fault(sim_receipt_printer, fault, rows);
}

int board_cert_printer_port(const struct config *config, const char *out_dir, char *port, size_t size,
                            pcl_port_status_fn *port_status, pcl_soft_reset_fn *soft_reset, void **context, char *err,
                            size_t errlen)
{
    const char *address = config->device_address[DEVICE_CERT_PRINTER];
    *port_status = NULL;
    *soft_reset = NULL;
    *context = NULL;
    if (strcmp(address, "sim")) {
        snprintf(port, size, "%s", address);
        return 0;
    }
    if (!sim_cert_printer) {
        struct pcl_model_options options = { .out_dir = out_dir };
        int rc = pcl_model_start(&sim_cert_printer, &options);
        if (rc < 0) {
            snprintf(err, errlen, "cannot start the certificate printer model: %s", strerror(-rc));
            return -1;
        }
    }
    snprintf(port, size, "%s", pcl_model_slave_path(sim_cert_printer));
    /* What a pty cannot carry, the USB class requests, the model answers as functions. */
    *port_status = pcl_model_port_status;
    *soft_reset = pcl_model_soft_reset;
    *context = sim_cert_printer;
    return 0;
}

static int sim_cert_printer_fault(const char *fault, unsigned rows)
{
    if (!sim_cert_printer)
        return -ENOTSUP;
    if (!strcmp(fault, "none")) {
        pcl_model_restore(sim_cert_printer);
        return 0;
    }
    return pcl_model_set_fault(sim_cert_printer, fault, rows);
}

void board_devices_stop(void)
{
    pcl_model_stop(sim_cert_printer);
    sim_cert_printer = NULL;
    escpos_model_stop(sim_receipt_printer);
    sim_receipt_printer = NULL;
    idcard_model_stop(sim_reader);
    sim_reader = NULL;
    sim_card_on_reader = false;
}

const struct board_sim_devices *board_sim_devices(void)
{
    static const struct board_sim_devices devices = {
        .card_place = sim_card_place,
        .card_remove = sim_card_remove,
        .reader_fault = sim_reader_fault,
        .reader_wait_commands = sim_reader_wait_commands,
        .receipt_fault = sim_receipt_fault,
        .cert_printer_fault = sim_cert_printer_fault,
    };
    return &devices;
}
