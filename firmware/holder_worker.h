/* The card holder's side of the platform link (docs/platform-api.md sections 4 and 5): one
 * thread that opens a session for the person whose card was read, fetches their licences,
 * verifies each against the platform key before anything of it is shown, and ends the
 * session. The UI thread asks; answers come back as MSG_HOLDER. Everything here is personal
 * data: it lives in memory for the session and is wiped when freed. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "msgqueue.h"
#include "platform_json.h"
#include "sync.h"

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
/* The fetch whose answer is still wanted. An answer to an older one (a resident who has
 * left) is wiped, never shown: ending a session moves this on too. */
unsigned holder_worker_current_request(void);
/* Ends the platform session of the last fetch (DELETE), if any; no message. */
void holder_worker_end_session(void);
/* Wipes and frees a list from MSG_HOLDER. NULL is fine. */
void holder_licences_free(struct holder_licences *licences);
