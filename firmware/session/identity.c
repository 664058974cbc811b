#include "firmware/session/identity.h"

#include <stddef.h>

#include "firmware/session/idcard_worker.h"
#include "firmware/session/session.h"

static struct idcard_record *identity_record;

static void identity_wipe(void *ctx)
{
    (void)ctx;
    identity_forget();
}

void identity_init(void)
{
    session_register_wipe(identity_wipe, NULL);
}

void identity_take(struct idcard_record *record)
{
    identity_forget();
    identity_record = record;
}

const struct idcard_record *identity_current(void)
{
    return identity_record;
}

void identity_forget(void)
{
    idcard_worker_free_record(identity_record); /* wipes, then frees */
    identity_record = NULL;
}
