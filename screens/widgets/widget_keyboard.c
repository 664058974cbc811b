#include "screens/widgets/widget_keyboard.h"

#include <string.h>

#include "firmware/core/i18n.h"
#include "screens/screen.h"
#include "screens/semantic.h"
#include "firmware/gfx/text.h"
#include "screens/theme.h"

/* A key's place on a grid of half-key columns, so a row can be offset by half a key. */
struct widget_keyboard_place {
    unsigned char key, row, column, span; /* column and span in half keys */
};

struct widget_keyboard_layout {
    int columns, rows; /* columns in whole keys */
    const struct widget_keyboard_place *places;
};

#define KEY_DIGIT(c) ((c) == '0' ? 0 : (c) - '0')
#define KEY_LETTER(c) (10 + (c) - 'a')

/* Portrait: digits over QWERTY, Delete at the end of the z row, a wide Space and Done below. */
static const struct widget_keyboard_place widget_keyboard_qwerty[KEYBOARD_KEY_COUNT] = {
    { KEY_DIGIT('1'), 0, 0, 2 },   { KEY_DIGIT('2'), 0, 2, 2 },   { KEY_DIGIT('3'), 0, 4, 2 },
    { KEY_DIGIT('4'), 0, 6, 2 },   { KEY_DIGIT('5'), 0, 8, 2 },   { KEY_DIGIT('6'), 0, 10, 2 },
    { KEY_DIGIT('7'), 0, 12, 2 },  { KEY_DIGIT('8'), 0, 14, 2 },  { KEY_DIGIT('9'), 0, 16, 2 },
    { KEY_DIGIT('0'), 0, 18, 2 },
    { KEY_LETTER('q'), 1, 0, 2 },  { KEY_LETTER('w'), 1, 2, 2 },  { KEY_LETTER('e'), 1, 4, 2 },
    { KEY_LETTER('r'), 1, 6, 2 },  { KEY_LETTER('t'), 1, 8, 2 },  { KEY_LETTER('y'), 1, 10, 2 },
    { KEY_LETTER('u'), 1, 12, 2 }, { KEY_LETTER('i'), 1, 14, 2 }, { KEY_LETTER('o'), 1, 16, 2 },
    { KEY_LETTER('p'), 1, 18, 2 },
    { KEY_LETTER('a'), 2, 1, 2 },  { KEY_LETTER('s'), 2, 3, 2 },  { KEY_LETTER('d'), 2, 5, 2 },
    { KEY_LETTER('f'), 2, 7, 2 },  { KEY_LETTER('g'), 2, 9, 2 },  { KEY_LETTER('h'), 2, 11, 2 },
    { KEY_LETTER('j'), 2, 13, 2 }, { KEY_LETTER('k'), 2, 15, 2 }, { KEY_LETTER('l'), 2, 17, 2 },
    { KEY_LETTER('z'), 3, 1, 2 },  { KEY_LETTER('x'), 3, 3, 2 },  { KEY_LETTER('c'), 3, 5, 2 },
    { KEY_LETTER('v'), 3, 7, 2 },  { KEY_LETTER('b'), 3, 9, 2 },  { KEY_LETTER('n'), 3, 11, 2 },
    { KEY_LETTER('m'), 3, 13, 2 }, { KEYBOARD_KEY_DELETE, 3, 15, 5 },
    { KEYBOARD_KEY_SPACE, 4, 0, 14 }, { KEYBOARD_KEY_DONE, 4, 14, 6 },
};

/* Landscape: fourteen keys a row in alphabetical order, three rows instead of five, so the
 * keyboard leaves room above it on a short screen (even with 长辈模式's taller keys). */
static const struct widget_keyboard_place widget_keyboard_wide[KEYBOARD_KEY_COUNT] = {
    { KEY_DIGIT('1'), 0, 0, 2 },   { KEY_DIGIT('2'), 0, 2, 2 },   { KEY_DIGIT('3'), 0, 4, 2 },
    { KEY_DIGIT('4'), 0, 6, 2 },   { KEY_DIGIT('5'), 0, 8, 2 },   { KEY_DIGIT('6'), 0, 10, 2 },
    { KEY_DIGIT('7'), 0, 12, 2 },  { KEY_DIGIT('8'), 0, 14, 2 },  { KEY_DIGIT('9'), 0, 16, 2 },
    { KEY_DIGIT('0'), 0, 18, 2 },  { KEYBOARD_KEY_DELETE, 0, 20, 4 }, { KEYBOARD_KEY_DONE, 0, 24, 4 },
    { KEY_LETTER('a'), 1, 0, 2 },  { KEY_LETTER('b'), 1, 2, 2 },  { KEY_LETTER('c'), 1, 4, 2 },
    { KEY_LETTER('d'), 1, 6, 2 },  { KEY_LETTER('e'), 1, 8, 2 },  { KEY_LETTER('f'), 1, 10, 2 },
    { KEY_LETTER('g'), 1, 12, 2 }, { KEY_LETTER('h'), 1, 14, 2 }, { KEY_LETTER('i'), 1, 16, 2 },
    { KEY_LETTER('j'), 1, 18, 2 }, { KEY_LETTER('k'), 1, 20, 2 }, { KEY_LETTER('l'), 1, 22, 2 },
    { KEY_LETTER('m'), 1, 24, 2 }, { KEY_LETTER('n'), 1, 26, 2 },
    { KEY_LETTER('o'), 2, 0, 2 },  { KEY_LETTER('p'), 2, 2, 2 },  { KEY_LETTER('q'), 2, 4, 2 },
    { KEY_LETTER('r'), 2, 6, 2 },  { KEY_LETTER('s'), 2, 8, 2 },  { KEY_LETTER('t'), 2, 10, 2 },
    { KEY_LETTER('u'), 2, 12, 2 }, { KEY_LETTER('v'), 2, 14, 2 }, { KEY_LETTER('w'), 2, 16, 2 },
    { KEY_LETTER('x'), 2, 18, 2 }, { KEY_LETTER('y'), 2, 20, 2 }, { KEY_LETTER('z'), 2, 22, 2 },
    { KEYBOARD_KEY_SPACE, 2, 24, 4 },
};

static int widget_keyboard_gap(void)
{
    return theme_get()->space_s * 3 / 4;
}

/* The wide layout only when its keys would still be two thirds of a touch target wide
 * (they are a full touch target high either way). */
static struct widget_keyboard_layout widget_keyboard_pick(int width_du)
{
    int gap = widget_keyboard_gap();
    int wide_key = (width_du - 13 * gap) / 14;
    if (wide_key * 3 >= theme_get()->touch_min * 2)
        return (struct widget_keyboard_layout){ 14, 3, widget_keyboard_wide };
    return (struct widget_keyboard_layout){ 10, 5, widget_keyboard_qwerty };
}

/* The keys sit on a tray with one gap of padding all round. */
static struct ui_rect widget_keyboard_keys_area(struct ui_rect rect)
{
    return ui_rect_inset(rect, widget_keyboard_gap());
}

int widget_keyboard_height(int width_du)
{
    int gap = widget_keyboard_gap();
    struct widget_keyboard_layout layout = widget_keyboard_pick(width_du - 2 * gap);
    return layout.rows * theme_get()->touch_min + (layout.rows + 1) * gap;
}

static struct widget_keyboard_layout widget_keyboard_layout_keys(struct widget_keyboard *keyboard)
{
    struct ui_rect r = widget_keyboard_keys_area(keyboard->rect);
    struct widget_keyboard_layout layout = widget_keyboard_pick(r.w);
    int gap = widget_keyboard_gap(), key_h = theme_get()->touch_min;
    /* Edges from the half-key grid, rounded per edge so neighbours keep an even gap. */
    int pitch2 = r.w + gap; /* one whole key plus its gap, times the column count */
    for (int i = 0; i < KEYBOARD_KEY_COUNT; i++) {
        const struct widget_keyboard_place *p = &layout.places[i];
        int x0 = r.x + p->column * pitch2 / (2 * layout.columns);
        int x1 = r.x + (p->column + p->span) * pitch2 / (2 * layout.columns) - gap;
        keyboard->key_rect[p->key] = (struct ui_rect){ x0, r.y + p->row * (key_h + gap), x1 - x0, key_h };
    }
    return layout;
}

static const char *widget_keyboard_label(int key, char *buf)
{
    switch (key) {
    case KEYBOARD_KEY_SPACE: return _("Space");
    case KEYBOARD_KEY_DELETE: return _("Delete");
    case KEYBOARD_KEY_DONE: return _("Done");
    default:
        buf[0] = key < 10 ? (char)('0' + key) : (char)('a' + key - 10);
        buf[1] = '\0';
        return buf;
    }
}

static void widget_keyboard_draw_key(struct render *render, const struct widget_keyboard *keyboard, int key)
{
    const struct theme *t = theme_get();
    struct ui_rect r = keyboard->key_rect[key];
    bool pressed = keyboard->press[key].pressed;
    bool marked = keyboard->marked && keyboard->marked[key];
    bool done = key == KEYBOARD_KEY_DONE;
    struct ui_color fill = done ? t->primary : t->surface, ink = done ? t->on_primary : t->text;
    if (pressed) {
        fill = done ? t->primary_pressed : t->primary;
        ink = t->on_primary;
    }
    render_fill_round_rect(render, r, t->radius / 2, fill);
    if (!done && !pressed)
        render_stroke_round_rect(render, r, t->radius / 2, t->stroke, t->border);
    if (marked && !pressed) {
        /* A bar along the foot of the key: its shape tells "done" without relying on colour. */
        int bar = t->space_s / 2;
        render_fill_round_rect(render, (struct ui_rect){ r.x + t->space_s / 2, r.y + r.h - bar - t->space_s / 2,
                                                         r.w - t->space_s, bar }, bar / 2, done ? t->on_primary : t->success);
    }
    char buf[2];
    const char *label = widget_keyboard_label(key, buf);
    bool single = key < KEYBOARD_KEY_SPACE;
    struct text_style style = { single ? t->text_title : t->text_button, single ? TEXT_REGULAR : TEXT_BOLD, ink,
                                TEXT_ALIGN_CENTER };
    int h = text_line_height_du(render, &style);
    text_draw(render, &style, (struct ui_rect){ r.x, r.y + (r.h - h) / 2, r.w, h }, label);
    semantic_add(SEMANTIC_KEY, r, label, true);
}

void widget_keyboard_draw(struct render *render, struct widget_keyboard *keyboard)
{
    struct widget_keyboard_layout layout = widget_keyboard_layout_keys(keyboard);
    render_fill_rect(render, keyboard->rect, theme_get()->surface_pressed);
    /* In reading order, so the semantic frame (and a voice reading it) goes row by row. */
    for (int i = 0; i < KEYBOARD_KEY_COUNT; i++)
        widget_keyboard_draw_key(render, keyboard, layout.places[i].key);
}

static void widget_keyboard_append(struct widget_keyboard *keyboard, char c)
{
    size_t len = strlen(keyboard->text);
    if (len + 1 < keyboard->text_size) {
        keyboard->text[len] = c;
        keyboard->text[len + 1] = '\0';
    }
}

/* Removes the last character, whole even if the caller's text holds UTF-8. */
static void widget_keyboard_delete(struct widget_keyboard *keyboard)
{
    size_t len = strlen(keyboard->text);
    while (len > 0 && ((unsigned char)keyboard->text[len - 1] & 0xC0) == 0x80)
        len--;
    if (len > 0)
        len--;
    keyboard->text[len] = '\0';
}

/* Applies a key; true for Done. */
static bool widget_keyboard_apply(struct widget_keyboard *keyboard, int key)
{
    switch (key) {
    case KEYBOARD_KEY_DONE:
        return true;
    case KEYBOARD_KEY_DELETE:
        widget_keyboard_delete(keyboard);
        break;
    case KEYBOARD_KEY_SPACE:
        widget_keyboard_append(keyboard, ' ');
        break;
    default:
        widget_keyboard_append(keyboard, key < 10 ? (char)('0' + key) : (char)('a' + key - 10));
        break;
    }
    screen_request_redraw();
    return false;
}

enum widget_result widget_keyboard_event(struct widget_keyboard *keyboard, const struct ui_event *event)
{
    keyboard->typed_key = -1;
    if (event->kind == UI_EVENT_KEY) {
        if (event->key == UI_KEY_BACKSPACE) {
            widget_keyboard_apply(keyboard, KEYBOARD_KEY_DELETE);
            return WIDGET_CONSUMED;
        }
        if (event->key == UI_KEY_ENTER)
            return WIDGET_ACTIVATED;
        return WIDGET_IGNORED;
    }
    enum widget_result result = WIDGET_IGNORED;
    for (int key = 0; key < KEYBOARD_KEY_COUNT; key++) {
        enum widget_result r = widget_press_event(&keyboard->press[key], keyboard->key_rect[key], event);
        if (r == WIDGET_ACTIVATED) {
            keyboard->typed_key = key;
            return widget_keyboard_apply(keyboard, key) ? WIDGET_ACTIVATED : WIDGET_CONSUMED;
        }
        if (r == WIDGET_CONSUMED)
            result = WIDGET_CONSUMED;
    }
    return result;
}
