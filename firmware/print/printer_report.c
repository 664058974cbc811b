/* printer_report: printer workers' messages to the UI thread (see printer_report.h). */
#include "firmware/print/printer_report.h"

#include <stdio.h>

#include "firmware/core/log.h"

static void printer_report_post(struct msgqueue *queue, const struct msg *m)
{
    if (msgqueue_post(queue, m) < 0)
        log_warn("printer", "message queue full; %s dropped", msg_kind_name(m->kind));
}

void printer_report_job(struct msgqueue *queue, enum print_printer printer, int64_t id, enum print_job_state state,
                        bool retryable, const char *msgid, const char *reason)
{
    struct msg m = { .kind = MSG_PRINT_JOB };
    m.u.print_job.job_id = id;
    m.u.print_job.printer = (int)printer;
    m.u.print_job.state = (int)state;
    m.u.print_job.retryable = retryable;
    snprintf(m.u.print_job.msgid, sizeof m.u.print_job.msgid, "%s", msgid ? msgid : "");
    snprintf(m.u.print_job.reason, sizeof m.u.print_job.reason, "%s", reason ? reason : "");
    printer_report_post(queue, &m);
}

void printer_report_status(struct msgqueue *queue, enum device_id device, bool usable, const char *msgid,
                           const char *state)
{
    struct msg m = { .kind = MSG_DEVICE_STATUS };
    m.u.device_status.device = device;
    m.u.device_status.present = usable;
    snprintf(m.u.device_status.reason, sizeof m.u.device_status.reason, "%s", usable || !msgid ? "" : msgid);
    snprintf(m.u.device_status.state, sizeof m.u.device_status.state, "%s", state ? state : "");
    printer_report_post(queue, &m);
}
