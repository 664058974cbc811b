#include "firmware/gfx/ui.h"

#include <string.h>
#include <strings.h>

enum ui_key ui_key_from_name(const char *name)
{
    static const struct {
        const char *name;
        enum ui_key key;
    } keys[] = {
        { "back", UI_KEY_BACK },   { "escape", UI_KEY_BACK },  { "enter", UI_KEY_ENTER },
        { "backspace", UI_KEY_BACKSPACE }, { "up", UI_KEY_UP }, { "down", UI_KEY_DOWN },
        { "f1", UI_KEY_F1 },   { "f2", UI_KEY_F2 },   { "f3", UI_KEY_F3 },   { "f4", UI_KEY_F4 },
        { "f5", UI_KEY_F5 },   { "f6", UI_KEY_F6 },   { "f7", UI_KEY_F7 },   { "f8", UI_KEY_F8 },
        { "f9", UI_KEY_F9 },   { "f10", UI_KEY_F10 }, { "f11", UI_KEY_F11 }, { "f12", UI_KEY_F12 },
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strcasecmp(keys[i].name, name))
            return keys[i].key;
    return UI_KEY_NONE;
}
