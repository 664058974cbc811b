/* The semantic frame: each drawn widget that carries text or can be touched registers its
 * role, text and bounds (du) while the frame is drawn. Scripts find things by it
 * (tap-text, expect-text); a later voice-prompt feature reads it aloud. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "firmware/gfx/ui.h"

enum semantic_role {
    SEMANTIC_LABEL, SEMANTIC_BUTTON, SEMANTIC_TILE, SEMANTIC_LIST_ITEM, SEMANTIC_KEY,
    SEMANTIC_DIALOG, SEMANTIC_PROGRESS, SEMANTIC_COUNTDOWN, SEMANTIC_INPUT, SEMANTIC_CANDIDATE,
    SEMANTIC_WRITING_PAD, SEMANTIC_ROLE_COUNT
};

struct semantic_node {
    enum semantic_role role;
    struct ui_rect bounds; /* visible part, du */
    const char *text;      /* points into the frame's own text pool */
    bool enabled;
    bool modal;            /* inside a dialog that takes all touches */
};

void semantic_frame_begin(void);
/* Records a node; text is copied. Nodes with an empty visible area are skipped. */
void semantic_add(enum semantic_role role, struct ui_rect bounds, const char *text, bool enabled);
/* Everything added from now on belongs to a modal dialog. */
void semantic_begin_modal(void);
size_t semantic_count(void);
const struct semantic_node *semantic_node(size_t index);
/* The touchable node (button, tile, list item, key) whose text equals text, preferring the
 * modal layer; NULL if none. */
const struct semantic_node *semantic_find_touchable(const char *text);
/* Whether any node's text contains text (a substring, so "打印" matches "证照打印"). */
bool semantic_contains_text(const char *text);
const char *semantic_role_name(enum semantic_role role);
/* Restricts later nodes' bounds to this rect (scroll views, lists); returns the old one. */
struct ui_rect semantic_set_clip(struct ui_rect clip);
