/* Numeric pad: 1-9 in three rows, then Delete, 0 and OK, as on a phone. Digits go to the
 * caller's buffer; showing them (or dots for a PIN) is the caller's job. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "firmware/gfx/render.h"
#include "screens/widgets/widget.h"
#include "screens/widgets/widget_press.h"

/* Keys by index: 0-9 the digits, then these. */
enum widget_numpad_special { NUMPAD_KEY_DELETE = 10, NUMPAD_KEY_OK, NUMPAD_KEY_COUNT };

struct widget_numpad {
    struct ui_rect rect; /* keys fill it, each at least touch_min high */
    char *text;          /* caller's buffer */
    size_t text_size;    /* its size including the NUL */
    bool disabled;       /* drawn muted, takes no touches (e.g. locked after wrong PINs) */
    bool ok_disabled;    /* OK alone drawn muted and not taken (e.g. until a code is complete) */
    /* Kept by the widget: */
    struct ui_rect key_rect[NUMPAD_KEY_COUNT];
    struct widget_press press[NUMPAD_KEY_COUNT];
};

/* Height the pad wants: four rows of keys a little taller than the touch minimum. */
int widget_numpad_height(void);
void widget_numpad_draw(struct render *render, struct widget_numpad *numpad);
/* Edits the buffer; WIDGET_ACTIVATED on OK (or the enter key). */
enum widget_result widget_numpad_event(struct widget_numpad *numpad, const struct ui_event *event);
