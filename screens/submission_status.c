#include "screens/submission_status.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "firmware/core/i18n.h"
#include "firmware/core/log.h"
#include "firmware/platform/outbox.h"
#include "firmware/platform/platform_json.h"
#include "screens/screen_host.h"

void submission_status_submit(struct submission_status *status, int kind, char *body, size_t len)
{
    memset(status, 0, sizeof *status);
    int rc = body ? app_submit(kind, body, len, &status->request) : -ENOMEM;
    platform_json_free(body);
    if (rc == 0) {
        status->step = SUBMISSION_STEP_SENDING;
        log_info("submission", "a resident's %s handed to the platform link", outbox_kind_name((enum outbox_kind)kind));
        return;
    }
    status->step = SUBMISSION_STEP_FAILED;
    status->problem = rc == -ESRCH ? N_("This kiosk is not connected to the government service platform.")
                                   : N_("This kiosk could not save it.");
    log_warn("submission", "a resident's %s was not taken: %s", outbox_kind_name((enum outbox_kind)kind),
             rc == -ESRCH ? "no platform link" : strerror(-rc));
}

bool submission_status_note(struct submission_status *status, const struct msg *m)
{
    if (m->kind != MSG_SUBMISSION || !status->request || m->u.submission.request != status->request)
        return false;
    const struct msg_submission *s = &m->u.submission;
    if (s->reference[0])
        snprintf(status->reference, sizeof status->reference, "%s", s->reference);
    status->stored = s->state != SUBMISSION_NOT_STORED;
    switch (s->state) {
    case SUBMISSION_STORED:
        break; /* the first delivery attempt follows at once: still "sending" */
    case SUBMISSION_WAITING:
        if (status->step == SUBMISSION_STEP_SENDING)
            status->step = SUBMISSION_STEP_WAITING;
        break;
    case SUBMISSION_DELIVERED:
        status->step = SUBMISSION_STEP_DELIVERED;
        snprintf(status->answer_id, sizeof status->answer_id, "%s", s->answer_id);
        break;
    case SUBMISSION_REFUSED:
        status->step = SUBMISSION_STEP_FAILED;
        status->problem = N_("The government service platform did not accept it.");
        break;
    default:
        status->step = SUBMISSION_STEP_FAILED;
        status->problem = N_("This kiosk could not save it.");
        break;
    }
    return true;
}
