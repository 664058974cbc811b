/* Text through SDL2_ttf with Noto Sans CJK SC, a glyph cache, and Chinese line breaking.
 * Sizes are in design units; glyphs are rendered once per pixel size and reused. */
#pragma once
#include <stddef.h>

#include "firmware/gfx/render.h"
#include "firmware/gfx/ui.h"

enum text_weight { TEXT_REGULAR, TEXT_BOLD };
enum text_align { TEXT_ALIGN_LEFT, TEXT_ALIGN_CENTER, TEXT_ALIGN_RIGHT };

struct text_style {
    int size_du;
    enum text_weight weight;
    struct ui_color color;
    enum text_align align;
};

/* Opens the fonts (face_index 2 of Noto's .ttc is Simplified Chinese). 0, or -1 with a
 * message naming the missing file and the Debian package that provides it. */
int text_init(const char *regular_path, const char *bold_path, int face_index, char *err, size_t errlen);
void text_shutdown(void);

/* Height of one line box (1.45x the size, the font's own ascent+descent). */
int text_line_height_du(const struct render *render, const struct text_style *style);
/* Width of text on one line, without wrapping. */
int text_measure_du(const struct render *render, const struct text_style *style, const char *text);
/* A byte range of a text to mark (the part of a name a search matched). */
struct text_mark {
    size_t start, end;
};

/* Like text_draw, with the characters in marks drawn on mark_fill and underlined. */
int text_draw_marked(struct render *render, const struct text_style *style, struct ui_rect box, const char *text,
                     const struct text_mark *marks, size_t mark_count, struct ui_color mark_fill);
/* Height text needs when wrapped to width_du. */
int text_height_du(const struct render *render, const struct text_style *style, int width_du,
                   const char *text);
/* Draws text wrapped to box.w, starting at box.y, each line aligned per style; lines below
 * the box bottom are not drawn. Returns the height drawn, in du. */
int text_draw(struct render *render, const struct text_style *style, struct ui_rect box, const char *text);
/* The largest size from style->size_du down to min_size_du (steps of 2 du) at which text
 * fits width_du on one line; min_size_du when none does (the text then wraps). Titles and
 * button labels read better on one line than split. */
int text_fit_size_du(const struct render *render, const struct text_style *style, int width_du, const char *text,
                     int min_size_du);
/* Cache statistics, for the bench and the tests of the cache. */
void text_cache_stats(unsigned *glyphs, unsigned *hits, unsigned *misses);
