/* Every screen of the kiosk, once. Adding a screen: a line here and screens/screen_NAME.c
 * defining `const struct screen screen_NAME`. */
#pragma once
#include "screens/screen.h"

#define SCREEN_LIST(SCREEN)  \
    SCREEN(home)             \
    SCREEN(unavailable)      \
    SCREEN(out_of_service)   \
    SCREEN(staff_login)      \
    SCREEN(technician)       \
    SCREEN(touch_test)       \
    SCREEN(guide_search)     \
    SCREEN(guide_browse)     \
    SCREEN(guide)            \
    SCREEN(id_card)          \
    SCREEN(licences)         \
    SCREEN(report)           \
    SCREEN(evaluate)

enum screen_id {
#define SCREEN_ENUM(name) SCREEN_##name,
    SCREEN_LIST(SCREEN_ENUM)
#undef SCREEN_ENUM
    SCREEN_ID_COUNT
};

#define SCREEN_EXTERN(name) extern const struct screen screen_##name;
SCREEN_LIST(SCREEN_EXTERN)
#undef SCREEN_EXTERN

/* The table for screen_manager_init, indexed by enum screen_id. */
extern const struct screen *const screen_table_all[SCREEN_ID_COUNT];
