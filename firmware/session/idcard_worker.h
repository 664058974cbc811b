/* The ID card reader worker: one thread that owns the reader. It opens the port, checks
 * the SAM, then polls "find card" at the configured interval; a new card is selected,
 * read and posted as ONE MSG_CARD_READ carrying the decoded record. It also posts
 * MSG_CARD_REMOVED (lift-off), MSG_CARD_FAILED (a card that could not be read) and
 * MSG_READER_STATUS on every change of the reader's state (ok, missing, error + reason).
 * A lost reader is reopened every few seconds (a USB one at the poll interval, or as soon as
 * libusb's hotplug reports it plugged back in). Logs carry masked names and numbers only. */
#pragma once
#include <stdbool.h>

#include "drivers/idcard/idcard_record.h"
#include "firmware/core/msgqueue.h"

struct idcard_worker_options {
    const char *port;        /* a tty path (/dev/ttyUSB0, the reader model's pty), or native
                              * USB: "usb:0400:c35a[,0483:5652...]" */
    int baud;                /* 115200 (default when 0), 57600, 38400, 19200, 9600 */
    int poll_interval_ms;    /* find-card period; 500 when 0 */
    bool with_fingerprint;   /* read 30 10 instead of 30 01 */
};

/* Starts the worker; 0, or a negative errno (nothing is posted then). */
int idcard_worker_start(struct msgqueue *queue, const struct idcard_worker_options *options);
/* Asks the worker to stop, waits for it and closes the port. */
void idcard_worker_stop(void);
/* Ends a record from MSG_CARD_READ: wipes it (explicit_bzero), then frees it. NULL is fine. */
void idcard_worker_free_record(struct idcard_record *record);
