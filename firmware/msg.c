#include "msg.h"

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

int msg_device_from_name(const char *name)
{
    static const char *const names[DEVICE_COUNT] = { "idcard_reader", "receipt_printer", "cert_printer" };
    for (int i = 0; i < DEVICE_COUNT; i++)
        if (!strcmp(names[i], name))
            return i;
    return -1;
}
