#include "screens/widgets/widget_keyboard.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "firmware/core/i18n.h"
#include "firmware/core/log.h"
#include "firmware/input/handwriting.h"
#include "firmware/input/ime_pinyin.h"
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
    const struct widget_keyboard_place *moved; /* with modes: these keys sit elsewhere */
    int moved_count;
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

/* With modes the same rows, with room for the three mode keys at the foot: portrait moves
 * Space and Done right (the mode keys take three half-key columns each); landscape adds a
 * foot row (four half-key columns each) for them, Space and Done, and Delete takes Done's
 * place. */
static const struct widget_keyboard_place widget_keyboard_qwerty_modes[] = {
    { KEYBOARD_KEY_SPACE, 4, 9, 6 }, { KEYBOARD_KEY_DONE, 4, 15, 5 },
};
static const struct widget_keyboard_place widget_keyboard_wide_modes[] = {
    { KEYBOARD_KEY_DELETE, 0, 20, 8 }, { KEYBOARD_KEY_SPACE, 3, 12, 10 }, { KEYBOARD_KEY_DONE, 3, 22, 6 },
};

static int widget_keyboard_gap(void)
{
    return theme_get()->space_s * 3 / 4;
}

/* The wide layout only when its keys would still be two thirds of a touch target wide
 * (they are a full touch target high either way). */
static struct widget_keyboard_layout widget_keyboard_pick(int width_du, unsigned modes)
{
    int gap = widget_keyboard_gap();
    int wide_key = (width_du - 13 * gap) / 14;
    if (wide_key * 3 >= theme_get()->touch_min * 2)
        return modes ? (struct widget_keyboard_layout){ 14, 4, widget_keyboard_wide, widget_keyboard_wide_modes, 3 }
                     : (struct widget_keyboard_layout){ 14, 3, widget_keyboard_wide, NULL, 0 };
    return modes ? (struct widget_keyboard_layout){ 10, 5, widget_keyboard_qwerty, widget_keyboard_qwerty_modes, 2 }
                 : (struct widget_keyboard_layout){ 10, 5, widget_keyboard_qwerty, NULL, 0 };
}

/* Where the mode keys sit in the foot row, in half-key columns: (start, span) per mode. */
static void widget_keyboard_mode_columns(const struct widget_keyboard_layout *layout, int mode, int *column, int *span)
{
    *span = layout->columns == 14 ? 4 : 3;
    *column = mode * *span;
}

/* The keys sit on a tray with one gap of padding all round. */
static struct ui_rect widget_keyboard_keys_area(struct ui_rect rect)
{
    return ui_rect_inset(rect, widget_keyboard_gap());
}

static enum widget_keyboard_mode widget_keyboard_effective_mode(const struct widget_keyboard *keyboard);

/* The candidate bar only where there is something to pick: 拼音 and 手写. ABC keeps the
 * classic height, so a list above the keys loses nothing until Chinese is asked for. */
static bool widget_keyboard_has_bar(const struct widget_keyboard *keyboard)
{
    return keyboard->modes && widget_keyboard_effective_mode(keyboard) != KEYBOARD_MODE_ABC;
}

static int widget_keyboard_rows_height(int rows)
{
    return rows * theme_get()->touch_min + (rows + 1) * widget_keyboard_gap();
}

int widget_keyboard_height_of(const struct widget_keyboard *keyboard, int width_du)
{
    struct widget_keyboard_layout layout = widget_keyboard_pick(width_du - 2 * widget_keyboard_gap(), keyboard->modes);
    return widget_keyboard_rows_height(layout.rows + (widget_keyboard_has_bar(keyboard) ? 1 : 0));
}

int widget_keyboard_height(int width_du)
{
    struct widget_keyboard_layout layout = widget_keyboard_pick(width_du - 2 * widget_keyboard_gap(), 0);
    return widget_keyboard_rows_height(layout.rows);
}

static struct widget_keyboard_layout widget_keyboard_layout_keys(struct widget_keyboard *keyboard)
{
    struct ui_rect r = widget_keyboard_keys_area(keyboard->rect);
    struct widget_keyboard_layout layout = widget_keyboard_pick(r.w, keyboard->modes);
    int gap = widget_keyboard_gap(), key_h = theme_get()->touch_min;
    if (widget_keyboard_has_bar(keyboard)) { /* the candidate bar takes the top row */
        r.y += key_h + gap;
        r.h -= key_h + gap;
    }
    /* Edges from the half-key grid, rounded per edge so neighbours keep an even gap. */
    int pitch2 = r.w + gap; /* one whole key plus its gap, times the column count */
    for (int i = 0; i < KEYBOARD_KEY_COUNT + layout.moved_count; i++) {
        const struct widget_keyboard_place *p =
            i < KEYBOARD_KEY_COUNT ? &layout.places[i] : &layout.moved[i - KEYBOARD_KEY_COUNT];
        int x0 = r.x + p->column * pitch2 / (2 * layout.columns);
        int x1 = r.x + (p->column + p->span) * pitch2 / (2 * layout.columns) - gap;
        keyboard->key_rect[p->key] = (struct ui_rect){ x0, r.y + p->row * (key_h + gap), x1 - x0, key_h };
    }
    if (keyboard->modes) {
        for (int m = 0; m < KEYBOARD_MODE_COUNT; m++) {
            int column, span;
            widget_keyboard_mode_columns(&layout, m, &column, &span);
            int x0 = r.x + column * pitch2 / (2 * layout.columns);
            int x1 = r.x + (column + span) * pitch2 / (2 * layout.columns) - gap;
            keyboard->mode_rect[m] = (struct ui_rect){ x0, r.y + (layout.rows - 1) * (key_h + gap), x1 - x0, key_h };
        }
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

static bool widget_keyboard_mode_available(int mode)
{
    switch (mode) {
    case KEYBOARD_MODE_PINYIN: return ime_pinyin_ready();
    case KEYBOARD_MODE_HANDWRITING: return handwriting_ready();
    default: return true;
    }
}

/* The mode in use, if its engine is there; ABC otherwise (a missing package never leaves a
 * resident without a keyboard). */
static enum widget_keyboard_mode widget_keyboard_effective_mode(const struct widget_keyboard *keyboard)
{
    if (!keyboard->modes)
        return KEYBOARD_MODE_ABC;
    if ((keyboard->modes & (1u << keyboard->mode)) && widget_keyboard_mode_available(keyboard->mode))
        return keyboard->mode;
    return KEYBOARD_MODE_ABC;
}

static const char *widget_keyboard_mode_label(int mode)
{
    switch (mode) {
    case KEYBOARD_MODE_PINYIN: return _("Pinyin");
    case KEYBOARD_MODE_HANDWRITING: return _("Handwriting");
    default: return "ABC";
    }
}

static const char *widget_keyboard_tool_label(int tool)
{
    switch (tool) {
    case KEYBOARD_TOOL_UNDO: return _("Undo stroke");
    case KEYBOARD_TOOL_CLEAR: return _("Clear box");
    case KEYBOARD_TOOL_PREV: return "‹";
    default: return "›";
    }
}

/* A key of the Chinese keyboard's own (mode, tool, candidate): the same look as the others. */
static void widget_keyboard_draw_plain_key(struct render *render, struct ui_rect r, const char *label, bool pressed,
                                           bool selected, bool enabled, int text_size, enum semantic_role role)
{
    const struct theme *t = theme_get();
    struct ui_color fill = selected ? t->primary : t->surface, ink = selected ? t->on_primary : t->text;
    if (pressed) {
        fill = t->primary_pressed;
        ink = t->on_primary;
    }
    if (!enabled)
        ink = t->text_muted;
    render_fill_round_rect(render, r, t->radius / 2, fill);
    if (!selected && !pressed)
        render_stroke_round_rect(render, r, t->radius / 2, t->stroke, t->border);
    struct text_style style = { text_size, selected ? TEXT_BOLD : TEXT_REGULAR, ink, TEXT_ALIGN_CENTER };
    int h = text_line_height_du(render, &style);
    text_draw(render, &style, (struct ui_rect){ r.x, r.y + (r.h - h) / 2, r.w, h }, label);
    semantic_add(role, r, label, enabled);
}

/* Fills candidate_text from the engine of the mode in use; sets the paging keys' states. */
static void widget_keyboard_collect(struct widget_keyboard *keyboard, enum widget_keyboard_mode mode, char *preedit,
                                    size_t preedit_size, bool *has_prev, bool *has_next, int fit)
{
    keyboard->candidate_count = 0;
    preedit[0] = '\0';
    *has_prev = *has_next = false;
    if (mode == KEYBOARD_MODE_PINYIN) {
        struct ime_pinyin_view view;
        ime_pinyin_view(&view);
        snprintf(preedit, preedit_size, "%s", view.preedit);
        for (int i = 0; i < view.count && i < KEYBOARD_CANDIDATES_MAX; i++)
            snprintf(keyboard->candidate_text[keyboard->candidate_count++], sizeof keyboard->candidate_text[0], "%s",
                     view.candidates[i]);
        *has_prev = view.page > 0;
        *has_next = view.count > 0 && !view.last_page;
        explicit_bzero(&view, sizeof view);
    } else if (mode == KEYBOARD_MODE_HANDWRITING) {
        const struct msg_handwriting *result = widget_writing_pad_candidates(&keyboard->pad);
        int total = result ? result->count : 0;
        if (keyboard->handwriting_first >= total)
            keyboard->handwriting_first = 0;
        for (int i = keyboard->handwriting_first; i < total && keyboard->candidate_count < fit; i++)
            snprintf(keyboard->candidate_text[keyboard->candidate_count++], sizeof keyboard->candidate_text[0], "%s",
                     result->candidates[i]);
        *has_prev = keyboard->handwriting_first > 0;
        *has_next = keyboard->handwriting_first + keyboard->candidate_count < total;
    }
}

/* The bar over the keys: the syllables typed, then the characters to pick, paged with ‹ ›;
 * a hint when there is nothing to pick. */
static void widget_keyboard_draw_bar(struct render *render, struct widget_keyboard *keyboard,
                                     enum widget_keyboard_mode mode)
{
    const struct theme *t = theme_get();
    int gap = widget_keyboard_gap(), key_h = t->touch_min;
    struct ui_rect area = widget_keyboard_keys_area(keyboard->rect);
    struct ui_rect bar = { area.x, area.y, area.w, key_h };
    int page_w = key_h * 3 / 4;
    int fit = (bar.w - 2 * (page_w + gap)) / (key_h + gap);
    if (fit > KEYBOARD_CANDIDATES_MAX)
        fit = KEYBOARD_CANDIDATES_MAX;
    char preedit[160];
    bool has_prev, has_next;
    widget_keyboard_collect(keyboard, mode, preedit, sizeof preedit, &has_prev, &has_next, fit);
    for (int i = 0; i < KEYBOARD_TOOL_COUNT; i++)
        if (i == KEYBOARD_TOOL_PREV || i == KEYBOARD_TOOL_NEXT)
            keyboard->tool_rect[i] = (struct ui_rect){ 0, 0, 0, 0 };
    for (int i = 0; i < KEYBOARD_CANDIDATES_MAX; i++)
        keyboard->candidate_rect[i] = (struct ui_rect){ 0, 0, 0, 0 };
    int x = bar.x;
    if (preedit[0]) {
        /* The syllables typed, at most a quarter of the bar: their end when long, since the
         * end is what the finger just typed. */
        struct text_style style = { t->text_body, TEXT_REGULAR, t->primary, TEXT_ALIGN_LEFT };
        const int max_w = bar.w / 4;
        const char *shown = preedit;
        char tail[200];
        while (*shown && text_measure_du(render, &style, shown) > max_w) {
            shown++;
            while ((*shown & 0xC0) == 0x80)
                shown++;
            snprintf(tail, sizeof tail, "…%s", shown);
            if (text_measure_du(render, &style, tail) <= max_w) {
                shown = tail;
                break;
            }
        }
        int w = text_measure_du(render, &style, shown);
        int h = text_line_height_du(render, &style);
        struct ui_rect box = { x, bar.y + (bar.h - h) / 2, w, h };
        text_draw(render, &style, box, shown);
        semantic_add(SEMANTIC_LABEL, box, preedit, true);
        explicit_bzero(tail, sizeof tail);
        x += w + gap;
    }
    if (keyboard->candidate_count == 0 && !preedit[0] && keyboard->text[0] && keyboard->echo) {
        /* Nothing to pick and the field is hidden behind the keys (a short panel): its end
         * here, so the resident still sees what is typed. */
        struct text_style style = { t->text_title, TEXT_REGULAR, t->text, TEXT_ALIGN_LEFT };
        const int max_w = bar.w;
        const char *shown = keyboard->text;
        while (*shown && text_measure_du(render, &style, shown) > max_w) {
            shown++;
            while ((*shown & 0xC0) == 0x80)
                shown++;
        }
        int h = text_line_height_du(render, &style);
        struct ui_rect box = { x, bar.y + (bar.h - h) / 2, bar.w, h };
        text_draw(render, &style, box, shown);
        semantic_add(SEMANTIC_LABEL, box, shown, true);
        explicit_bzero(preedit, sizeof preedit);
        return;
    }
    if (keyboard->candidate_count == 0) {
        const char *hint = NULL;
        if (mode == KEYBOARD_MODE_PINYIN && !preedit[0])
            hint = _("Type pinyin, then tap the characters");
        else if (mode == KEYBOARD_MODE_HANDWRITING)
            hint = keyboard->pad.strokes.stroke_count ? _("Recognising…") : _("Write a character in the box below");
        if (hint) {
            struct text_style style = { t->text_body, TEXT_REGULAR, t->text_muted, TEXT_ALIGN_LEFT };
            int h = text_line_height_du(render, &style);
            struct ui_rect box = { x, bar.y + (bar.h - h) / 2, bar.x + bar.w - x, h };
            text_draw(render, &style, box, hint);
            semantic_add(SEMANTIC_LABEL, box, hint, true);
        }
        explicit_bzero(preedit, sizeof preedit);
        return;
    }
    int right = bar.x + bar.w - 2 * (page_w + gap);
    struct text_style measure = { t->text_title, TEXT_REGULAR, t->text, TEXT_ALIGN_CENTER };
    for (int i = 0; i < keyboard->candidate_count; i++) {
        int w = text_measure_du(render, &measure, keyboard->candidate_text[i]) + 2 * t->space_s;
        if (w < key_h)
            w = key_h;
        if (x + w > right)
            break; /* the rest on the next page: a candidate is never cut */
        keyboard->candidate_rect[i] = (struct ui_rect){ x, bar.y, w, key_h };
        widget_keyboard_draw_plain_key(render, keyboard->candidate_rect[i], keyboard->candidate_text[i],
                                       keyboard->candidate_press[i].pressed, i == 0, true, t->text_title,
                                       SEMANTIC_CANDIDATE);
        x += w + gap;
    }
    keyboard->tool_rect[KEYBOARD_TOOL_PREV] = (struct ui_rect){ bar.x + bar.w - 2 * page_w - gap, bar.y, page_w, key_h };
    keyboard->tool_rect[KEYBOARD_TOOL_NEXT] = (struct ui_rect){ bar.x + bar.w - page_w, bar.y, page_w, key_h };
    widget_keyboard_draw_plain_key(render, keyboard->tool_rect[KEYBOARD_TOOL_PREV], "‹",
                                   keyboard->tool_press[KEYBOARD_TOOL_PREV].pressed, false, has_prev, t->text_title,
                                   SEMANTIC_KEY);
    widget_keyboard_draw_plain_key(render, keyboard->tool_rect[KEYBOARD_TOOL_NEXT], "›",
                                   keyboard->tool_press[KEYBOARD_TOOL_NEXT].pressed, false, has_next, t->text_title,
                                   SEMANTIC_KEY);
    if (!has_prev)
        keyboard->tool_rect[KEYBOARD_TOOL_PREV] = (struct ui_rect){ 0, 0, 0, 0 };
    if (!has_next)
        keyboard->tool_rect[KEYBOARD_TOOL_NEXT] = (struct ui_rect){ 0, 0, 0, 0 };
    explicit_bzero(preedit, sizeof preedit);
}

/* 手写: the pad where the letter rows were, with 撤销, 清除 and Delete down its right side. */
static void widget_keyboard_draw_pad(struct render *render, struct widget_keyboard *keyboard,
                                     const struct widget_keyboard_layout *layout)
{
    const struct theme *t = theme_get();
    int gap = widget_keyboard_gap(), key_h = t->touch_min;
    struct ui_rect area = widget_keyboard_keys_area(keyboard->rect);
    area.y += key_h + gap;
    area.h = (layout->rows - 1) * (key_h + gap) - gap;
    int tools_w = area.w / 4 > key_h * 2 ? area.w / 4 : key_h * 2;
    keyboard->pad.rect = (struct ui_rect){ area.x, area.y, area.w - tools_w - gap, area.h };
    widget_writing_pad_draw(render, &keyboard->pad);
    int tool_h = (area.h - 2 * gap) / 3;
    struct ui_rect column = { area.x + area.w - tools_w, area.y, tools_w, tool_h };
    keyboard->tool_rect[KEYBOARD_TOOL_UNDO] = column;
    column.y += tool_h + gap;
    keyboard->tool_rect[KEYBOARD_TOOL_CLEAR] = column;
    column.y += tool_h + gap;
    for (int i = 0; i < KEYBOARD_KEY_COUNT; i++)
        if (i != KEYBOARD_KEY_SPACE && i != KEYBOARD_KEY_DONE && i != KEYBOARD_KEY_DELETE)
            keyboard->key_rect[i] = (struct ui_rect){ 0, 0, 0, 0 };
    keyboard->key_rect[KEYBOARD_KEY_DELETE] = column;
    bool has_strokes = keyboard->pad.strokes.stroke_count > 0;
    for (int tool = KEYBOARD_TOOL_UNDO; tool <= KEYBOARD_TOOL_CLEAR; tool++)
        widget_keyboard_draw_plain_key(render, keyboard->tool_rect[tool], widget_keyboard_tool_label(tool),
                                       keyboard->tool_press[tool].pressed, false, has_strokes, t->text_button,
                                       SEMANTIC_KEY);
    widget_keyboard_draw_key(render, keyboard, KEYBOARD_KEY_DELETE);
}

void widget_keyboard_draw(struct render *render, struct widget_keyboard *keyboard)
{
    struct widget_keyboard_layout layout = widget_keyboard_layout_keys(keyboard);
    const enum widget_keyboard_mode mode = widget_keyboard_effective_mode(keyboard);
    render_fill_rect(render, keyboard->rect, theme_get()->surface_pressed);
    if (widget_keyboard_has_bar(keyboard))
        widget_keyboard_draw_bar(render, keyboard, mode);
    if (mode == KEYBOARD_MODE_HANDWRITING) {
        widget_keyboard_draw_pad(render, keyboard, &layout);
        widget_keyboard_draw_key(render, keyboard, KEYBOARD_KEY_SPACE);
        widget_keyboard_draw_key(render, keyboard, KEYBOARD_KEY_DONE);
    } else {
        for (int tool = KEYBOARD_TOOL_UNDO; tool <= KEYBOARD_TOOL_CLEAR; tool++)
            keyboard->tool_rect[tool] = (struct ui_rect){ 0, 0, 0, 0 };
        /* In reading order, so the semantic frame (and a voice reading it) goes row by row. */
        for (int i = 0; i < KEYBOARD_KEY_COUNT; i++)
            widget_keyboard_draw_key(render, keyboard, layout.places[i].key);
    }
    if (keyboard->modes) {
        const struct theme *t = theme_get();
        for (int m = 0; m < KEYBOARD_MODE_COUNT; m++) {
            if (!(keyboard->modes & (1u << m))) {
                keyboard->mode_rect[m] = (struct ui_rect){ 0, 0, 0, 0 };
                continue;
            }
            widget_keyboard_draw_plain_key(render, keyboard->mode_rect[m], widget_keyboard_mode_label(m),
                                           keyboard->mode_press[m].pressed, m == (int)mode,
                                           widget_keyboard_mode_available(m), t->text_button, SEMANTIC_KEY);
        }
    }
}

/* The characters typed so far in the field's own buffer (what a pick appends to). */
static void widget_keyboard_append_text(struct widget_keyboard *keyboard, const char *text)
{
    size_t have = strlen(keyboard->text), add = strlen(text);
    if (have + add < keyboard->text_size)
        memcpy(keyboard->text + have, text, add + 1);
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

/* 拼音: the highlighted (first) candidate goes into the field; what stays is still to pick. */
static void widget_keyboard_pick_pinyin(struct widget_keyboard *keyboard, int index)
{
    char picked[256] = "";
    if (ime_pinyin_pick(index, picked, sizeof picked) == 0)
        widget_keyboard_append_text(keyboard, picked);
    explicit_bzero(picked, sizeof picked);
}

/* Applies a key; true for Done. */
static bool widget_keyboard_apply(struct widget_keyboard *keyboard, int key)
{
    const enum widget_keyboard_mode mode = widget_keyboard_effective_mode(keyboard);
    const bool composing = mode == KEYBOARD_MODE_PINYIN && ime_pinyin_composing();
    switch (key) {
    case KEYBOARD_KEY_DONE:
        /* What is on the bar is what the resident sees as typed: it goes in, then Done. */
        while (composing && ime_pinyin_composing()) {
            size_t before = strlen(keyboard->text);
            widget_keyboard_pick_pinyin(keyboard, 0);
            if (strlen(keyboard->text) == before)
                break;
        }
        ime_pinyin_clear();
        screen_request_redraw();
        return true;
    case KEYBOARD_KEY_DELETE:
        if (!(mode == KEYBOARD_MODE_PINYIN && ime_pinyin_delete()))
            widget_keyboard_delete(keyboard);
        break;
    case KEYBOARD_KEY_SPACE:
        if (composing)
            widget_keyboard_pick_pinyin(keyboard, 0); /* space takes the highlighted candidate */
        else
            widget_keyboard_append(keyboard, ' ');
        break;
    default:
        if (key >= 10 && mode == KEYBOARD_MODE_PINYIN) {
            int rc = ime_pinyin_type((char)('a' + key - 10));
            if (rc == -ENOSPC)
                log_info("input", "pinyin composition full: key refused");
            break;
        }
        if (composing) /* a digit after syllables: the syllables' first candidate, then the digit */
            widget_keyboard_pick_pinyin(keyboard, 0);
        widget_keyboard_append(keyboard, key < 10 ? (char)('0' + key) : (char)('a' + key - 10));
        break;
    }
    screen_request_redraw();
    return false;
}

static void widget_keyboard_set_mode(struct widget_keyboard *keyboard, int mode)
{
    if (!widget_keyboard_mode_available(mode) || mode == (int)keyboard->mode)
        return;
    ime_pinyin_clear();
    widget_writing_pad_clear(&keyboard->pad);
    keyboard->handwriting_first = 0;
    keyboard->mode = (enum widget_keyboard_mode)mode;
    screen_request_redraw();
}

static void widget_keyboard_pick_candidate(struct widget_keyboard *keyboard, int index)
{
    const enum widget_keyboard_mode mode = widget_keyboard_effective_mode(keyboard);
    if (mode == KEYBOARD_MODE_PINYIN) {
        widget_keyboard_pick_pinyin(keyboard, index);
    } else if (mode == KEYBOARD_MODE_HANDWRITING && index < keyboard->candidate_count) {
        widget_keyboard_append_text(keyboard, keyboard->candidate_text[index]);
        widget_writing_pad_clear(&keyboard->pad); /* the next character starts on a clean pad */
        keyboard->handwriting_first = 0;
    }
    screen_request_redraw();
}

static void widget_keyboard_use_tool(struct widget_keyboard *keyboard, int tool)
{
    switch (tool) {
    case KEYBOARD_TOOL_UNDO:
        widget_writing_pad_undo(&keyboard->pad);
        keyboard->handwriting_first = 0;
        break;
    case KEYBOARD_TOOL_CLEAR:
        widget_writing_pad_clear(&keyboard->pad);
        keyboard->handwriting_first = 0;
        break;
    case KEYBOARD_TOOL_PREV:
    case KEYBOARD_TOOL_NEXT: {
        int delta = tool == KEYBOARD_TOOL_PREV ? -1 : 1;
        if (widget_keyboard_effective_mode(keyboard) == KEYBOARD_MODE_PINYIN) {
            ime_pinyin_page(delta);
        } else {
            int shown = 0;
            for (int i = 0; i < KEYBOARD_CANDIDATES_MAX; i++)
                shown += keyboard->candidate_rect[i].w > 0;
            keyboard->handwriting_first += delta * (shown > 0 ? shown : 1);
            if (keyboard->handwriting_first < 0)
                keyboard->handwriting_first = 0;
        }
        break;
    }
    default:
        break;
    }
    screen_request_redraw();
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
            return widget_keyboard_apply(keyboard, KEYBOARD_KEY_DONE) ? WIDGET_ACTIVATED : WIDGET_CONSUMED;
        return WIDGET_IGNORED;
    }
    enum widget_result result = WIDGET_IGNORED;
    if (widget_keyboard_effective_mode(keyboard) == KEYBOARD_MODE_HANDWRITING &&
        widget_writing_pad_event(&keyboard->pad, event) != WIDGET_IGNORED) {
        keyboard->handwriting_first = 0;
        return WIDGET_CONSUMED;
    }
    for (int i = 0; i < KEYBOARD_CANDIDATES_MAX; i++) {
        enum widget_result r = widget_press_event(&keyboard->candidate_press[i], keyboard->candidate_rect[i], event);
        if (r == WIDGET_ACTIVATED) {
            widget_keyboard_pick_candidate(keyboard, i);
            return WIDGET_CONSUMED;
        }
        if (r == WIDGET_CONSUMED)
            result = WIDGET_CONSUMED;
    }
    for (int tool = 0; tool < KEYBOARD_TOOL_COUNT; tool++) {
        enum widget_result r = widget_press_event(&keyboard->tool_press[tool], keyboard->tool_rect[tool], event);
        if (r == WIDGET_ACTIVATED) {
            widget_keyboard_use_tool(keyboard, tool);
            return WIDGET_CONSUMED;
        }
        if (r == WIDGET_CONSUMED)
            result = WIDGET_CONSUMED;
    }
    for (int m = 0; keyboard->modes && m < KEYBOARD_MODE_COUNT; m++) {
        enum widget_result r = widget_press_event(&keyboard->mode_press[m], keyboard->mode_rect[m], event);
        if (r == WIDGET_ACTIVATED) {
            widget_keyboard_set_mode(keyboard, m);
            return WIDGET_CONSUMED;
        }
        if (r == WIDGET_CONSUMED)
            result = WIDGET_CONSUMED;
    }
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

const char *widget_keyboard_pending(const struct widget_keyboard *keyboard, char *buf, size_t size)
{
    buf[0] = '\0';
    if (widget_keyboard_effective_mode(keyboard) != KEYBOARD_MODE_PINYIN || !ime_pinyin_composing())
        return buf;
    struct ime_pinyin_view view;
    ime_pinyin_view(&view);
    size_t n = 0;
    for (const char *p = view.preedit; *p && n + 1 < size; p++)
        if (*p >= 'a' && *p <= 'z')
            buf[n++] = *p;
    buf[n] = '\0';
    explicit_bzero(&view, sizeof view);
    return buf;
}

void widget_keyboard_reset(struct widget_keyboard *keyboard)
{
    ime_pinyin_clear();
    widget_writing_pad_clear(&keyboard->pad);
    explicit_bzero(keyboard->candidate_text, sizeof keyboard->candidate_text);
    keyboard->candidate_count = 0;
    keyboard->handwriting_first = 0;
}
