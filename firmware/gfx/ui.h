/* Basic UI types. Everything a screen lays out is in design units (du): the canvas is
 * 1080 du on its short side (1080x1920 portrait, 1920x1080 landscape), scaled to pixels. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

struct ui_rect {
    int x, y, w, h;
};

struct ui_color {
    uint8_t r, g, b, a;
};

enum ui_event_kind {
    UI_EVENT_PRESS,   /* finger down at x,y */
    UI_EVENT_DRAG,    /* finger moved while down */
    UI_EVENT_RELEASE, /* finger up at x,y */
    UI_EVENT_KEY,     /* a hardware or sim key */
};

enum ui_key {
    UI_KEY_NONE,
    UI_KEY_BACK,
    UI_KEY_ENTER,
    UI_KEY_BACKSPACE,
    UI_KEY_UP,
    UI_KEY_DOWN,
    UI_KEY_F1, UI_KEY_F2, UI_KEY_F3, UI_KEY_F4, UI_KEY_F5, UI_KEY_F6,
    UI_KEY_F7, UI_KEY_F8, UI_KEY_F9, UI_KEY_F10, UI_KEY_F11, UI_KEY_F12,
};

struct ui_event {
    enum ui_event_kind kind;
    int x, y; /* du, for pointer events */
    enum ui_key key;
};

static inline bool ui_rect_contains(struct ui_rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

static inline struct ui_rect ui_rect_inset(struct ui_rect r, int d)
{
    struct ui_rect out = { r.x + d, r.y + d, r.w - 2 * d, r.h - 2 * d };
    return out;
}

/* Key names used by scripts and docs ("back", "enter", "f2" ...); UI_KEY_NONE if unknown. */
enum ui_key ui_key_from_name(const char *name);
