#include "msg.h"

const char *msg_kind_name(enum msg_kind kind)
{
    static const char *const names[] = {
#define MSG_NAME(name) #name,
        MSG_KIND_LIST(MSG_NAME)
#undef MSG_NAME
    };
    return (unsigned)kind < MSG_KIND_COUNT ? names[kind] : "?";
}
