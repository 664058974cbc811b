/* A resident's submission as a screen follows it (办不成事, 好差评, later 申报): handed to the
 * platform link (app_submit), then MSG_SUBMISSION says sending → waiting (saved, the kiosk
 * sends it by itself) → delivered (the platform's number), or failed. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "firmware/core/msg.h"

enum submission_step {
    SUBMISSION_STEP_NONE,
    SUBMISSION_STEP_SENDING,
    SUBMISSION_STEP_WAITING,
    SUBMISSION_STEP_DELIVERED,
    SUBMISSION_STEP_FAILED,
};

struct submission_status {
    enum submission_step step;
    unsigned request;
    char reference[16];  /* the kiosk reference, once stored */
    char answer_id[80];  /* the platform's number, once delivered */
    const char *problem; /* FAILED: English msgid of why */
    bool stored;         /* in the outbox: what the resident typed is not needed any more */
};

/* Hands body (platform_json, malloc'd; wiped and freed here, whatever happens) to the platform
 * link as outbox kind; the step becomes SENDING, or FAILED with the reason. */
void submission_status_submit(struct submission_status *status, int kind, char *body, size_t len);
/* A message for the top screen: true when it was this submission's (the step moved on). */
bool submission_status_note(struct submission_status *status, const struct msg *message);
