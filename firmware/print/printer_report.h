/* What a printer worker tells the UI thread: a job's state (MSG_PRINT_JOB) and whether its
 * printer can be used (MSG_DEVICE_STATUS). Posted to the queue; a full queue is logged, never
 * waited for (a worker must not stall on the UI). The receipt worker and both certificate
 * printer workers report through here. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "firmware/core/msg.h"
#include "firmware/core/msgqueue.h"
#include "firmware/print/print_jobs.h"

/* msgid: English msgid for the resident when failed (NULL: none); reason: for technicians. */
void printer_report_job(struct msgqueue *queue, enum print_printer printer, int64_t id, enum print_job_state state,
                        bool retryable, const char *msgid, const char *reason);
/* msgid: why it cannot be used, for the resident (ignored when usable; NULL: none); state:
 * the telemetry keyword (telemetry.h). */
void printer_report_status(struct msgqueue *queue, enum device_id device, bool usable, const char *msgid,
                           const char *state);
