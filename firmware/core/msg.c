#include "firmware/core/msg.h"

#include <string.h>

const char *msg_kind_name(enum msg_kind kind)
{
    static const char *const names[] = {
#define MSG_NAME(name) #name,
        MSG_KIND_LIST(MSG_NAME)
#undef MSG_NAME
    };
    return (unsigned)kind < MSG_KIND_COUNT ? names[kind] : "?";
}

static const char *const msg_device_names[DEVICE_COUNT] = { "idcard_reader", "receipt_printer", "cert_printer" };

int msg_device_from_name(const char *name)
{
    for (int i = 0; i < DEVICE_COUNT; i++)
        if (!strcmp(msg_device_names[i], name))
            return i;
    return -1;
}

const char *msg_device_name(enum device_id device)
{
    return (unsigned)device < DEVICE_COUNT ? msg_device_names[device] : "?";
}
