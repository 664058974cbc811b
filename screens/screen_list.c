#include "screens/screen_list.h"

const struct screen *const screen_table_all[SCREEN_ID_COUNT] = {
#define SCREEN_ENTRY(name) &screen_##name,
    SCREEN_LIST(SCREEN_ENTRY)
#undef SCREEN_ENTRY
};
