#include "screens/widgets/widget_numpad.h"

#include <string.h>

#include "firmware/core/i18n.h"
#include "screens/screen.h"
#include "screens/semantic.h"
#include "firmware/gfx/text.h"
#include "screens/theme.h"

/* Row-major positions: 1 2 3 / 4 5 6 / 7 8 9 / Delete 0 OK. */
static const int widget_numpad_order[NUMPAD_KEY_COUNT] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, NUMPAD_KEY_DELETE, 0, NUMPAD_KEY_OK };

static int widget_numpad_gap(void)
{
    return theme_get()->space_s;
}

static int widget_numpad_key_height(void)
{
    return theme_get()->touch_min * 5 / 4;
}

int widget_numpad_height(void)
{
    return 4 * widget_numpad_key_height() + 3 * widget_numpad_gap();
}

static void widget_numpad_layout(struct widget_numpad *numpad)
{
    struct ui_rect r = numpad->rect;
    int gap = widget_numpad_gap();
    int key_h = (r.h - 3 * gap) / 4;
    if (key_h < theme_get()->touch_min)
        key_h = theme_get()->touch_min;
    for (int i = 0; i < NUMPAD_KEY_COUNT; i++) {
        int column = i % 3, row = i / 3;
        int x0 = r.x + column * (r.w + gap) / 3, x1 = r.x + (column + 1) * (r.w + gap) / 3 - gap;
        numpad->key_rect[widget_numpad_order[i]] = (struct ui_rect){ x0, r.y + row * (key_h + gap), x1 - x0, key_h };
    }
}

static void widget_numpad_draw_key(struct render *render, const struct widget_numpad *numpad, int key)
{
    const struct theme *t = theme_get();
    struct ui_rect r = numpad->key_rect[key];
    bool pressed = numpad->press[key].pressed, ok = key == NUMPAD_KEY_OK;
    struct ui_color fill = ok ? t->primary : t->surface, ink = ok ? t->on_primary : t->text;
    if (pressed) {
        fill = ok ? t->primary_pressed : t->primary;
        ink = t->on_primary;
    }
    bool muted = numpad->disabled || (ok && numpad->ok_disabled);
    if (muted) {
        fill = t->background;
        ink = t->text_muted;
    }
    render_fill_round_rect(render, r, t->radius, fill);
    if ((!ok && !pressed) || muted)
        render_stroke_round_rect(render, r, t->radius, t->stroke, t->border);
    char digit[2] = { (char)('0' + key), '\0' };
    const char *label = key == NUMPAD_KEY_DELETE ? _("Delete") : ok ? _("OK") : digit;
    struct text_style style = { key < 10 ? t->text_display : t->text_button, TEXT_BOLD, ink, TEXT_ALIGN_CENTER };
    int h = text_line_height_du(render, &style);
    text_draw(render, &style, (struct ui_rect){ r.x, r.y + (r.h - h) / 2, r.w, h }, label);
    semantic_add(SEMANTIC_KEY, r, label, !muted);
}

void widget_numpad_draw(struct render *render, struct widget_numpad *numpad)
{
    widget_numpad_layout(numpad);
    for (int key = 0; key < NUMPAD_KEY_COUNT; key++)
        widget_numpad_draw_key(render, numpad, key);
}

/* Applies a key; true for OK. */
static bool widget_numpad_apply(struct widget_numpad *numpad, int key)
{
    size_t len = strlen(numpad->text);
    if (key == NUMPAD_KEY_OK)
        return true;
    if (key == NUMPAD_KEY_DELETE) {
        if (len > 0)
            numpad->text[len - 1] = '\0';
    } else if (len + 1 < numpad->text_size) {
        numpad->text[len] = (char)('0' + key);
        numpad->text[len + 1] = '\0';
    }
    screen_request_redraw();
    return false;
}

enum widget_result widget_numpad_event(struct widget_numpad *numpad, const struct ui_event *event)
{
    if (numpad->disabled)
        return WIDGET_IGNORED;
    if (event->kind == UI_EVENT_KEY) {
        if (event->key == UI_KEY_BACKSPACE) {
            widget_numpad_apply(numpad, NUMPAD_KEY_DELETE);
            return WIDGET_CONSUMED;
        }
        if (event->key != UI_KEY_ENTER)
            return WIDGET_IGNORED;
        return numpad->ok_disabled ? WIDGET_CONSUMED : WIDGET_ACTIVATED;
    }
    enum widget_result result = WIDGET_IGNORED;
    for (int key = 0; key < NUMPAD_KEY_COUNT; key++) {
        enum widget_result r = widget_press_event(&numpad->press[key], numpad->key_rect[key], event);
        if (r == WIDGET_ACTIVATED && key == NUMPAD_KEY_OK && numpad->ok_disabled)
            return WIDGET_CONSUMED;
        if (r == WIDGET_ACTIVATED)
            return widget_numpad_apply(numpad, key) ? WIDGET_ACTIVATED : WIDGET_CONSUMED;
        if (r == WIDGET_CONSUMED)
            result = WIDGET_CONSUMED;
    }
    return result;
}
