#include "screens/semantic.h"

#include <string.h>

#define SEMANTIC_NODES_MAX 512
#define SEMANTIC_POOL_BYTES 65536

static struct semantic_node semantic_nodes[SEMANTIC_NODES_MAX];
static size_t semantic_node_count;
static char semantic_pool[SEMANTIC_POOL_BYTES];
static size_t semantic_pool_used;
static bool semantic_modal;
static struct ui_rect semantic_clip = { -100000, -100000, 200000, 200000 };

void semantic_frame_begin(void)
{
    semantic_node_count = 0;
    semantic_pool_used = 0;
    semantic_modal = false;
    semantic_clip = (struct ui_rect){ -100000, -100000, 200000, 200000 };
}

struct ui_rect semantic_set_clip(struct ui_rect clip)
{
    struct ui_rect old = semantic_clip;
    semantic_clip = clip;
    return old;
}

static struct ui_rect semantic_intersect(struct ui_rect a, struct ui_rect b)
{
    int x0 = a.x > b.x ? a.x : b.x, y0 = a.y > b.y ? a.y : b.y;
    int x1 = a.x + a.w < b.x + b.w ? a.x + a.w : b.x + b.w;
    int y1 = a.y + a.h < b.y + b.h ? a.y + a.h : b.y + b.h;
    struct ui_rect r = { x0, y0, x1 - x0, y1 - y0 };
    if (r.w < 0)
        r.w = 0;
    if (r.h < 0)
        r.h = 0;
    return r;
}

void semantic_add(enum semantic_role role, struct ui_rect bounds, const char *text, bool enabled)
{
    struct ui_rect visible = semantic_intersect(bounds, semantic_clip);
    if (visible.w == 0 || visible.h == 0 || semantic_node_count == SEMANTIC_NODES_MAX)
        return;
    size_t len = strlen(text ? text : "");
    if (semantic_pool_used + len + 1 > SEMANTIC_POOL_BYTES)
        return;
    char *copy = semantic_pool + semantic_pool_used;
    memcpy(copy, text ? text : "", len + 1);
    semantic_pool_used += len + 1;
    semantic_nodes[semantic_node_count++] =
        (struct semantic_node){ role, visible, copy, enabled, semantic_modal };
}

void semantic_begin_modal(void)
{
    semantic_modal = true;
}

size_t semantic_count(void)
{
    return semantic_node_count;
}

const struct semantic_node *semantic_node(size_t index)
{
    return index < semantic_node_count ? &semantic_nodes[index] : NULL;
}

static bool semantic_is_touchable(enum semantic_role role)
{
    return role == SEMANTIC_BUTTON || role == SEMANTIC_TILE || role == SEMANTIC_LIST_ITEM ||
           role == SEMANTIC_KEY || role == SEMANTIC_INPUT || role == SEMANTIC_CANDIDATE;
}

const struct semantic_node *semantic_find_touchable(const char *text)
{
    bool any_modal = false;
    for (size_t i = 0; i < semantic_node_count; i++)
        any_modal |= semantic_nodes[i].modal;
    for (size_t i = 0; i < semantic_node_count; i++) {
        const struct semantic_node *n = &semantic_nodes[i];
        if (semantic_is_touchable(n->role) && n->modal == any_modal && !strcmp(n->text, text))
            return n;
    }
    return NULL;
}

bool semantic_contains_text(const char *text)
{
    for (size_t i = 0; i < semantic_node_count; i++)
        if (strstr(semantic_nodes[i].text, text))
            return true;
    return false;
}

const char *semantic_role_name(enum semantic_role role)
{
    static const char *const names[SEMANTIC_ROLE_COUNT] = {
        "label", "button", "tile", "list-item", "key", "dialog", "progress", "countdown", "input", "candidate", "writing-pad",
    };
    return (unsigned)role < SEMANTIC_ROLE_COUNT ? names[role] : "?";
}
