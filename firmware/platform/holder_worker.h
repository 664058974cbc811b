/* The card holder's side of the platform link (docs/platform-api.md sections 4 and 5): one
 * thread that opens a session for the person whose card was read, fetches their licences,
 * verifies each against the platform key before anything of it is shown, and ends the
 * session. The UI thread asks; answers come back as MSG_HOLDER. Everything here is personal
 * data: it lives in memory for the session and is wiped when freed. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "firmware/core/msgqueue.h"
#include "firmware/platform/platform_json.h"
#include "firmware/platform/sync.h"

struct idcard_record;

struct holder_licence {
    struct platform_licence content; /* verified: signature, id, holder */
    bool printable;                  /* status "valid" */
};

struct holder_licences {
    size_t count;
    struct holder_licence *items;
    size_t rejected; /* entries that failed verification: not shown, logged without content */
};

/* 0, or a negative errno. Does nothing (returns -ENOTCONN) without a platform URL. */
int holder_worker_start(struct msgqueue *queue, const struct sync_options *options);
void holder_worker_stop(void);
bool holder_worker_running(void);
/* Opens a session for the card (the fields the contract names are copied) and fetches the
 * holder's licences: one MSG_HOLDER comes back. 0, or -EBUSY / -ESRCH. */
int holder_worker_fetch_licences(const struct idcard_record *card);
/* The one-time code the platform sent to the holder's phone (HOLDER_OTP_REQUIRED), for the
 * session of fetch `request`: POST /v1/sessions/{id}/otp. One MSG_HOLDER comes back for the
 * same request: HOLDER_OK with the licences (as a fetch), HOLDER_OTP_INVALID (attempts_left),
 * HOLDER_OTP_EXPIRED or HOLDER_OTP_LOCKED (the session is over; a new fetch sends a new
 * code), HOLDER_OFFLINE (the session still waits). The code is copied, never logged, and
 * wiped once sent; the caller wipes its own copy. 0, or -EINVAL (not HOLDER_OTP_DIGITS
 * digits), -ESTALE (request is not the current one), -EBUSY, -ESRCH. */
#define HOLDER_OTP_DIGITS 6
int holder_worker_submit_otp(unsigned request, const char *code);
/* The fetch whose answer is still wanted. An answer to an older one (a resident who has
 * left) is wiped, never shown: ending a session moves this on too. */
unsigned holder_worker_current_request(void);
/* Ends the platform session of the last fetch (DELETE), if any; no message. */
void holder_worker_end_session(void);
/* Wipes and frees a list from MSG_HOLDER. NULL is fine. */
void holder_licences_free(struct holder_licences *licences);
