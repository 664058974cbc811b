/* On-screen keyboard: digits 0-9, letters a-z, Space, Delete and Done. Keys are touch_min
 * high (so taller in 长辈模式, with larger labels); a narrow keyboard uses the familiar
 * QWERTY rows, a wide one (landscape) three alphabetical rows of fourteen keys.
 * Each key is registered as SEMANTIC_KEY with its visible label ("a", "1", 空格 ...). */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "firmware/gfx/render.h"
#include "screens/widgets/widget.h"
#include "screens/widgets/widget_press.h"

/* Keys by a fixed index, the same in every layout: 0-9 the digits, 10-35 a-z, then these. */
enum widget_keyboard_special { KEYBOARD_KEY_SPACE = 36, KEYBOARD_KEY_DELETE, KEYBOARD_KEY_DONE, KEYBOARD_KEY_COUNT };

struct widget_keyboard {
    struct ui_rect rect; /* the tray the keys sit on; its height from widget_keyboard_height(rect.w) */
    char *text;          /* caller's buffer: typed characters are appended */
    size_t text_size;    /* its size including the NUL */
    const bool *marked;  /* optional, KEYBOARD_KEY_COUNT entries: keys drawn as already done */
    int typed_key;       /* key index the last event activated by touch, -1 when none */
    /* Kept by the widget: */
    struct ui_rect key_rect[KEYBOARD_KEY_COUNT];
    struct widget_press press[KEYBOARD_KEY_COUNT];
};

/* Height the keyboard's tray needs at width_du with the current theme. */
int widget_keyboard_height(int width_du);
void widget_keyboard_draw(struct render *render, struct widget_keyboard *keyboard);
/* Edits the buffer; WIDGET_ACTIVATED on Done (or the enter key). */
enum widget_result widget_keyboard_event(struct widget_keyboard *keyboard, const struct ui_event *event);
