/* The certificate printer's worker for a PCL laser: one thread that owns the printer and its
 * jobs (certprinter_pcl_jobs.h). A caller lays a page out (print_layout.h), encodes it
 * (pcl.h) and hands the bytes here; the worker stores the job before anything reaches the
 * printer, sends it with the job runner's port-status checks, and ends it printed or failed
 * with a reason, posting each change as MSG_PRINT_JOB (printer = certificate). While idle it
 * reads the port status every poll interval and posts MSG_DEVICE_STATUS for the certificate
 * printer when it becomes unusable (paper empty, error, offline, gone) or usable again.
 *
 * The printer is an address: a path (/dev/usb/lpN through usblp, a tty, a pty) or usb:VID:PID
 * (libusb printer class); or, on the sim board, a link the board made (the PCL model's pty
 * with its port status and soft reset). An ipp:// address is the IPP back end's, not this. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "firmware/core/msgqueue.h"
#include "drivers/certprinter/pcl.h"

struct certprinter_pcl_worker_options {
    const char *address;            /* path or usb:VID:PID */
    /* Set to use these instead of what the address offers (the sim board's model). */
    pcl_port_status_fn port_status;
    pcl_soft_reset_fn soft_reset;
    void *link_context;
    const char *db_path;            /* the unit's database (print_jobs) */
    const char *device_key_path;    /* seals every stored page (a licence is personal data);
                                       NULL stores them plain (test pages only) */
    int poll_interval_ms;           /* port status while idle; 5000 when 0 */
    int write_timeout_ms;           /* per chunk; the runner's default when 0 */
};

/* 0, or a negative errno (nothing is posted then; -EIO: the device key cannot be read or
 * made, so no page would be sealed). */
int certprinter_pcl_worker_start(struct msgqueue *queue, const struct certprinter_pcl_worker_options *options);
void certprinter_pcl_worker_stop(void);
/* From any thread: a new job (the bytes are copied). 0, -ENOMEM, or -ESRCH when the worker is
 * not running. The job's id arrives with its first MSG_PRINT_JOB. */
int certprinter_pcl_worker_submit(const char *kind, const uint8_t *pcl, size_t len);
/* A failed, retryable job sent again. 0 or -ESRCH / -ENOMEM. */
int certprinter_pcl_worker_retry(int64_t job_id);
