/* On-screen keyboard: digits 0-9, letters a-z, Space, Delete and Done. Keys are touch_min
 * high (so taller in 长辈模式, with larger labels); a narrow keyboard uses the familiar
 * QWERTY rows, a wide one (landscape) three alphabetical rows of fourteen keys.
 * Each key is registered as SEMANTIC_KEY with its visible label ("a", "1", 空格 ...).
 *
 * A field that takes Chinese sets modes: then a row of big labelled mode keys (拼音, 手写,
 * ABC) sits at the foot and a candidate bar on top. In 拼音 the letters go to the pinyin
 * input (ime_pinyin.h), the bar shows the syllables and a page of characters to tap (‹ ›
 * page); in 手写 the letter rows give way to a writing pad (widget_writing_pad.h) with 撤销
 * and 清除, and the bar shows what the strokes look like. Candidates are SEMANTIC_CANDIDATE.
 * A mode whose engine is missing (a package not installed) is shown disabled, and ABC is
 * always there. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "firmware/gfx/render.h"
#include "screens/widgets/widget.h"
#include "screens/widgets/widget_press.h"
#include "screens/widgets/widget_writing_pad.h"

/* Keys by a fixed index, the same in every layout: 0-9 the digits, 10-35 a-z, then these. */
enum widget_keyboard_special { KEYBOARD_KEY_SPACE = 36, KEYBOARD_KEY_DELETE, KEYBOARD_KEY_DONE, KEYBOARD_KEY_COUNT };

/* How a field takes text: bits of the modes it accepts (0 = ABC only, the classic keyboard). */
enum widget_keyboard_mode { KEYBOARD_MODE_PINYIN, KEYBOARD_MODE_HANDWRITING, KEYBOARD_MODE_ABC, KEYBOARD_MODE_COUNT };
#define KEYBOARD_MODES_CHINESE ((1u << KEYBOARD_MODE_PINYIN) | (1u << KEYBOARD_MODE_HANDWRITING) | (1u << KEYBOARD_MODE_ABC))

/* The Chinese keyboard's extra keys: the mode keys, the pad's tools and candidate paging. */
enum widget_keyboard_tool { KEYBOARD_TOOL_UNDO, KEYBOARD_TOOL_CLEAR, KEYBOARD_TOOL_PREV, KEYBOARD_TOOL_NEXT, KEYBOARD_TOOL_COUNT };
#define KEYBOARD_CANDIDATES_MAX 10

struct widget_keyboard {
    struct ui_rect rect; /* the tray the keys sit on; its height from widget_keyboard_height_for */
    char *text;          /* caller's buffer: typed characters are appended */
    size_t text_size;    /* its size including the NUL */
    const bool *marked;  /* optional, KEYBOARD_KEY_COUNT entries: keys drawn as already done */
    int typed_key;       /* key index the last event activated by touch, -1 when none */
    unsigned modes;      /* bits of enum widget_keyboard_mode the field accepts; 0 = ABC only */
    enum widget_keyboard_mode mode; /* the mode in use (the field's first choice on entry) */
    bool echo;           /* the field is hidden behind the keys: the bar shows its end when idle */
    /* Kept by the widget: */
    struct ui_rect key_rect[KEYBOARD_KEY_COUNT];
    struct widget_press press[KEYBOARD_KEY_COUNT];
    struct ui_rect mode_rect[KEYBOARD_MODE_COUNT];
    struct widget_press mode_press[KEYBOARD_MODE_COUNT];
    struct ui_rect tool_rect[KEYBOARD_TOOL_COUNT];
    struct widget_press tool_press[KEYBOARD_TOOL_COUNT];
    struct ui_rect candidate_rect[KEYBOARD_CANDIDATES_MAX];
    struct widget_press candidate_press[KEYBOARD_CANDIDATES_MAX];
    char candidate_text[KEYBOARD_CANDIDATES_MAX][64];
    int candidate_count;
    int handwriting_first; /* the first handwriting candidate shown (its own paging) */
    struct widget_writing_pad pad;
};

/* Height the keyboard's tray needs at width_du with the current theme: the classic keyboard,
 * and this keyboard in its current mode (拼音 and 手写 add the candidate bar). */
int widget_keyboard_height(int width_du);
int widget_keyboard_height_of(const struct widget_keyboard *keyboard, int width_du);
void widget_keyboard_draw(struct render *render, struct widget_keyboard *keyboard);
/* Edits the buffer; WIDGET_ACTIVATED on Done (or the enter key). */
enum widget_result widget_keyboard_event(struct widget_keyboard *keyboard, const struct ui_event *event);
/* The letters typed in 拼音 and not yet turned into characters ("" when none): a search can
 * follow them before the resident picks. */
const char *widget_keyboard_pending(const struct widget_keyboard *keyboard, char *buf, size_t size);
/* Leaving the field: the composition and the pad's strokes are dropped and wiped. */
void widget_keyboard_reset(struct widget_keyboard *keyboard);
