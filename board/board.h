/* What a board provides to the firmware: the display (window or headless) and its input.
 * Implemented once per board in board/BOARD/ and chosen at link time. A board that simulates
 * its devices also offers board_sim.h; nothing else of the firmware knows about that. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "firmware/storage/config.h"
#include "drivers/certprinter/pcl.h"
#include "firmware/gfx/layout.h"
#include "firmware/gfx/render.h"
#include "firmware/core/msgqueue.h"
#include "firmware/gfx/ui.h"

const char *board_name(void);
/* The board's default config file, found from the executable's location (the checkout for
 * the sim board). */
const char *board_default_config_path(void);
/* A config path made absolute: relative paths start at the board's root (the checkout for
 * the sim board, / on real boards). */
void board_resolve_path(const char *path, char *out, size_t size);
/* Where compiled translations live (build/BOARD/locale for the sim board). */
const char *board_locale_dir(void);
/* Opens the display. With want_window and a display server: a window; otherwise headless
 * (drawing goes to the canvas only). 0, or -1 with one clear reason in err. */
int board_display_open(const struct config *config, bool want_window, const struct layout *layout,
                       struct msgqueue *queue, char *err, size_t errlen);
bool board_display_has_window(void);
/* Shows the canvas (scaled to the window); nothing when headless. */
void board_display_present(const struct render *canvas);
/* Window boards: waits up to timeout_ms (negative: forever) for input or a queue doorbell.
 * Returns 1 with an input event in out, 0 on timeout or doorbell, -1 when the window was
 * closed. */
int board_display_wait(int timeout_ms, struct ui_event *out);
void board_display_close(void);

/* The ID card reader's address for idcard_worker: the configured tty path or usb:VID:PID
 * list as is, or for "sim" the slave side of the board's reader model (started here). 0, or
 * -1 with the reason in err. */
int board_idcard_port(const struct config *config, char *port, size_t size, char *err, size_t errlen);
/* The receipt printer's port: the configured path, or for "sim" the slave side of the board's
 * printer model (started here; it writes each cut receipt as a PNG into out_dir). 0, or -1
 * with the reason in err. */
int board_receipt_port(const struct config *config, const char *out_dir, char *port, size_t size, char *err,
                       size_t errlen);
/* The certificate printer when it is a PCL laser: the configured path or usb:VID:PID as it
 * is (the worker opens it and uses its port status), or for "sim" the slave side of the
 * board's PCL laser model (started here; each page a PNG in out_dir) with the model's port
 * status and soft reset in *port_status, *soft_reset and *context (NULL otherwise). 0, or -1
 * with the reason in err. */
int board_cert_printer_port(const struct config *config, const char *out_dir, char *port, size_t size,
                            pcl_port_status_fn *port_status, pcl_soft_reset_fn *soft_reset, void **context, char *err,
                            size_t errlen);
/* Stops the board's device models. */
void board_devices_stop(void);
