#include "firmware/gfx/text.h"

#include <SDL_ttf.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "firmware/gfx/linebreak.h"
#include "firmware/gfx/render_sdl.h"

#define TEXT_FONTS_MAX 48
#define TEXT_CACHE_SLOTS 8192 /* power of two; flushed whole when 3/4 full */
#define TEXT_LINES_MAX 64

struct text_font {
    int px;
    enum text_weight weight;
    TTF_Font *font;
};

struct text_glyph {
    uint32_t cp;
    uint16_t px;
    uint8_t weight;
    uint8_t used;
    int advance;
    /* Rendered on first draw, then kept as an 8-bit coverage mask trimmed to the inked
     * box: blending a mask in one tight loop is several times faster than SDL's generic
     * colour-modulated blit of a full ARGB glyph box, most of it transparent. */
    bool rendered;
    int16_t ink_x, ink_y; /* mask's offset from the pen position (top of the line box) */
    uint16_t ink_w, ink_h;
    uint8_t *coverage;
};

static pthread_mutex_t text_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static char text_paths[2][512];
static int text_face_index;
static struct text_font text_fonts[TEXT_FONTS_MAX];
static int text_font_count;
static struct text_glyph *text_cache;
static unsigned text_cache_count, text_hits, text_misses;

static int text_check_file(const char *path, char *err, size_t errlen)
{
    if (access(path, R_OK) == 0)
        return 0;
    snprintf(err, errlen,
             "font not found: %s (install the Debian package fonts-noto-cjk, or set font_regular "
             "and font_bold in [ui] of the board config)",
             path);
    return -1;
}

int text_init(const char *regular_path, const char *bold_path, int face_index, char *err, size_t errlen)
{
    if (text_check_file(regular_path, err, errlen) < 0 || text_check_file(bold_path, err, errlen) < 0)
        return -1;
    if (!TTF_WasInit() && TTF_Init() != 0) {
        snprintf(err, errlen, "SDL2_ttf failed to start: %s", TTF_GetError());
        return -1;
    }
    snprintf(text_paths[TEXT_REGULAR], sizeof text_paths[0], "%s", regular_path);
    snprintf(text_paths[TEXT_BOLD], sizeof text_paths[1], "%s", bold_path);
    text_face_index = face_index;
    text_cache = calloc(TEXT_CACHE_SLOTS, sizeof *text_cache);
    if (!text_cache) {
        snprintf(err, errlen, "out of memory for the glyph cache");
        return -1;
    }
    /* Open one size now so a broken font file is reported at start, not on first draw. */
    TTF_Font *probe = TTF_OpenFontIndex(regular_path, 36, face_index);
    if (!probe) {
        snprintf(err, errlen, "cannot open font %s face %d: %s", regular_path, face_index, TTF_GetError());
        return -1;
    }
    text_fonts[text_font_count++] = (struct text_font){ 36, TEXT_REGULAR, probe };
    return 0;
}

static void text_cache_flush(void)
{
    for (unsigned i = 0; i < TEXT_CACHE_SLOTS; i++)
        if (text_cache[i].used)
            free(text_cache[i].coverage);
    memset(text_cache, 0, TEXT_CACHE_SLOTS * sizeof *text_cache);
    text_cache_count = 0;
}

void text_shutdown(void)
{
    pthread_mutex_lock(&text_lock);
    if (text_cache) {
        text_cache_flush();
        free(text_cache);
        text_cache = NULL;
    }
    for (int i = 0; i < text_font_count; i++)
        TTF_CloseFont(text_fonts[i].font);
    text_font_count = 0;
    if (TTF_WasInit())
        TTF_Quit();
    pthread_mutex_unlock(&text_lock);
}

static TTF_Font *text_font(int px, enum text_weight weight)
{
    for (int i = 0; i < text_font_count; i++)
        if (text_fonts[i].px == px && text_fonts[i].weight == weight)
            return text_fonts[i].font;
    if (text_font_count == TEXT_FONTS_MAX) {
        /* Sizes come from the theme, so this only happens with a runaway caller. */
        TTF_CloseFont(text_fonts[0].font);
        memmove(text_fonts, text_fonts + 1, (TEXT_FONTS_MAX - 1) * sizeof text_fonts[0]);
        text_font_count--;
    }
    TTF_Font *font = TTF_OpenFontIndex(text_paths[weight], px, text_face_index);
    if (!font)
        return NULL;
    text_fonts[text_font_count++] = (struct text_font){ px, weight, font };
    return font;
}

static struct text_glyph *text_glyph(uint32_t cp, int px, enum text_weight weight)
{
    uint32_t h = (cp * 2654435761u) ^ ((uint32_t)px * 40503u) ^ ((uint32_t)weight << 29);
    for (unsigned probe = 0;; probe++) {
        struct text_glyph *g = &text_cache[(h + probe) & (TEXT_CACHE_SLOTS - 1)];
        if (g->used && g->cp == cp && g->px == px && g->weight == weight) {
            text_hits++;
            return g;
        }
        if (!g->used)
            break;
    }
    text_misses++;
    if (text_cache_count >= TEXT_CACHE_SLOTS * 3 / 4)
        text_cache_flush();
    TTF_Font *font = text_font(px, weight);
    int advance = px / 2;
    if (font) {
        int minx, maxx, miny, maxy;
        if (TTF_GlyphMetrics32(font, cp, &minx, &maxx, &miny, &maxy, &advance) != 0)
            advance = px / 2;
    }
    for (unsigned probe = 0;; probe++) {
        struct text_glyph *g = &text_cache[(h + probe) & (TEXT_CACHE_SLOTS - 1)];
        if (!g->used) {
            *g = (struct text_glyph){ .cp = cp, .px = (uint16_t)px, .weight = (uint8_t)weight, .used = 1,
                                      .advance = advance };
            text_cache_count++;
            return g;
        }
    }
}

struct text_measure_ctx {
    int px;
    enum text_weight weight;
};

static int text_measure_cp(uint32_t cp, void *ctx)
{
    struct text_measure_ctx *m = ctx;
    return text_glyph(cp, m->px, m->weight)->advance;
}

static int text_px(const struct render *render, const struct text_style *style)
{
    int px = layout_du_to_px(&render->layout, style->size_du);
    return px < 6 ? 6 : px;
}

static int text_line_height_px(int px, enum text_weight weight)
{
    TTF_Font *font = text_font(px, weight);
    return font ? TTF_FontHeight(font) : px * 145 / 100;
}

static int text_line_height_du_unlocked(const struct render *render, const struct text_style *style)
{
    int px = text_px(render, style);
    return layout_px_to_du(&render->layout, text_line_height_px(px, style->weight));
}

static int text_measure_du_unlocked(const struct render *render, const struct text_style *style, const char *text)
{
    struct text_measure_ctx m = { text_px(render, style), style->weight };
    int width = 0;
    size_t len = strlen(text);
    for (size_t off = 0; off < len;) {
        uint32_t cp;
        off += linebreak_utf8_next(text + off, len - off, &cp);
        width += text_measure_cp(cp, &m);
    }
    return layout_px_to_du(&render->layout, width);
}

static int text_height_du_unlocked(const struct render *render, const struct text_style *style, int width_du, const char *text)
{
    struct text_measure_ctx m = { text_px(render, style), style->weight };
    struct linebreak_line lines[1];
    size_t count = linebreak_layout(text, layout_du_to_px(&render->layout, width_du), text_measure_cp, &m,
                                    lines, 0);
    int line_px = text_line_height_px(m.px, style->weight);
    return layout_px_to_du(&render->layout, (int)count * line_px);
}

/* Renders the glyph once and keeps its alpha, trimmed to the inked box. */
static void text_render_glyph(struct text_glyph *g, enum text_weight weight)
{
    g->rendered = true;
    TTF_Font *font = text_font(g->px, weight);
    if (!font)
        return;
    uint32_t cp = g->cp;
    if (!TTF_GlyphIsProvided32(font, cp))
        cp = 0x25A1; /* □: the font lacks it; show a box rather than nothing */
    SDL_Surface *rendered = TTF_RenderGlyph32_Blended(font, cp, (SDL_Color){ 255, 255, 255, 255 });
    if (!rendered)
        return;
    SDL_Surface *argb = SDL_ConvertSurfaceFormat(rendered, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(rendered);
    if (!argb)
        return;
    const Uint32 *pixels = argb->pixels;
    int pitch = argb->pitch / 4;
    int x0 = argb->w, y0 = argb->h, x1 = -1, y1 = -1;
    for (int y = 0; y < argb->h; y++)
        for (int x = 0; x < argb->w; x++)
            if (pixels[y * pitch + x] >> 24) {
                x0 = x < x0 ? x : x0;
                x1 = x > x1 ? x : x1;
                y0 = y < y0 ? y : y0;
                y1 = y > y1 ? y : y1;
            }
    if (x1 >= 0) { /* a space has no ink and no mask */
        g->ink_x = (int16_t)x0;
        g->ink_y = (int16_t)y0;
        g->ink_w = (uint16_t)(x1 - x0 + 1);
        g->ink_h = (uint16_t)(y1 - y0 + 1);
        g->coverage = malloc((size_t)g->ink_w * g->ink_h);
        if (g->coverage)
            for (int y = 0; y < g->ink_h; y++)
                for (int x = 0; x < g->ink_w; x++)
                    g->coverage[y * g->ink_w + x] = (uint8_t)(pixels[(y0 + y) * pitch + x0 + x] >> 24);
    }
    SDL_FreeSurface(argb);
}

/* Blends the glyph's coverage in color onto the canvas at pen x, line top y (pixels),
 * inside the canvas's clip rect. */
static void text_blit_glyph(struct render *render, struct text_glyph *g, enum text_weight weight, int x, int y,
                            struct ui_color color)
{
    if (!g->rendered)
        text_render_glyph(g, weight);
    if (!g->coverage)
        return;
    SDL_Rect clip;
    SDL_GetClipRect(render_sdl_surface(render), &clip);
    int gx0 = x + g->ink_x, gy0 = y + g->ink_y;
    int cx0 = gx0 > clip.x ? gx0 : clip.x, cy0 = gy0 > clip.y ? gy0 : clip.y;
    int cx1 = gx0 + g->ink_w < clip.x + clip.w ? gx0 + g->ink_w : clip.x + clip.w;
    int cy1 = gy0 + g->ink_h < clip.y + clip.h ? gy0 + g->ink_h : clip.y + clip.h;
    Uint32 *canvas = render_sdl_surface(render)->pixels;
    int pitch = render_sdl_surface(render)->pitch / 4;
    Uint32 solid = 0xFF000000u | (Uint32)color.r << 16 | (Uint32)color.g << 8 | color.b;
    for (int py = cy0; py < cy1; py++) {
        const uint8_t *mask = g->coverage + (size_t)(py - gy0) * g->ink_w;
        Uint32 *row = canvas + (size_t)py * pitch;
        for (int px = cx0; px < cx1; px++) {
            unsigned a = mask[px - gx0];
            if (!a)
                continue;
            if (color.a != 255)
                a = a * color.a / 255;
            if (a == 255) {
                row[px] = solid;
                continue;
            }
            Uint32 d = row[px];
            unsigned ia = 255 - a;
            unsigned r = (((d >> 16) & 255) * ia + color.r * a + 127) / 255;
            unsigned gg = (((d >> 8) & 255) * ia + color.g * a + 127) / 255;
            unsigned b = ((d & 255) * ia + color.b * a + 127) / 255;
            row[px] = 0xFF000000u | r << 16 | gg << 8 | b;
        }
    }
}

static bool text_is_marked(const struct text_mark *marks, size_t mark_count, size_t offset)
{
    for (size_t i = 0; i < mark_count; i++)
        if (offset >= marks[i].start && offset < marks[i].end)
            return true;
    return false;
}

static int text_draw_marked_unlocked(struct render *render, const struct text_style *style, struct ui_rect box,
                                     const char *text, const struct text_mark *marks, size_t mark_count,
                                     struct ui_color mark_fill)
{
    struct text_measure_ctx m = { text_px(render, style), style->weight };
    struct ui_rect px = layout_rect_to_px(&render->layout, box);
    struct linebreak_line lines[TEXT_LINES_MAX];
    size_t count = linebreak_layout(text, px.w, text_measure_cp, &m, lines, TEXT_LINES_MAX);
    if (count > TEXT_LINES_MAX)
        count = TEXT_LINES_MAX;
    int line_px = text_line_height_px(m.px, style->weight);
    int underline = m.px / 12 > 2 ? m.px / 12 : 2;
    Uint32 fill = SDL_MapRGB(render_sdl_surface(render)->format, mark_fill.r, mark_fill.g, mark_fill.b);
    Uint32 ink = SDL_MapRGB(render_sdl_surface(render)->format, style->color.r, style->color.g, style->color.b);
    int y = px.y;
    for (size_t i = 0; i < count; i++, y += line_px) {
        if (y + line_px > px.y + px.h + line_px / 4)
            break; /* the box is full; a later screen scrolls instead of overflowing */
        int x = px.x;
        if (style->align == TEXT_ALIGN_CENTER)
            x += (px.w - lines[i].width) / 2;
        else if (style->align == TEXT_ALIGN_RIGHT)
            x += px.w - lines[i].width;
        for (size_t off = lines[i].start; off < lines[i].end;) {
            uint32_t cp;
            size_t at = off;
            off += linebreak_utf8_next(text + off, lines[i].end - off, &cp);
            struct text_glyph *g = text_glyph(cp, m.px, style->weight);
            if (mark_count && text_is_marked(marks, mark_count, at)) {
                /* A marked character gets a fill behind it and a bar under it: the bar
                 * keeps the mark visible to a reader who cannot tell the fill's colour. */
                SDL_FillRect(render_sdl_surface(render), &(SDL_Rect){ x, y + line_px / 10, g->advance, line_px * 8 / 10 }, fill);
                SDL_FillRect(render_sdl_surface(render), &(SDL_Rect){ x, y + line_px * 9 / 10 - underline, g->advance, underline },
                             ink);
            }
            text_blit_glyph(render, g, style->weight, x, y, style->color);
            x += g->advance;
        }
    }
    return layout_px_to_du(&render->layout, y - px.y);
}

int text_draw(struct render *render, const struct text_style *style, struct ui_rect box, const char *text)
{
    return text_draw_marked(render, style, box, text, NULL, 0, style->color);
}

int text_fit_size_du(const struct render *render, const struct text_style *style, int width_du, const char *text,
                     int min_size_du)
{
    struct text_style trial = *style;
    for (; trial.size_du > min_size_du; trial.size_du -= 2)
        if (text_measure_du(render, &trial, text) <= width_du)
            return trial.size_du;
    return min_size_du;
}

void text_cache_stats(unsigned *glyphs, unsigned *hits, unsigned *misses)
{
    pthread_mutex_lock(&text_lock);
    *glyphs = text_cache_count;
    *hits = text_hits;
    *misses = text_misses;
    pthread_mutex_unlock(&text_lock);
}

/* The public entry points take the lock: print layouts are drawn on worker threads while the
 * UI thread draws the screen, and both share the glyph cache and the open fonts. */
int text_line_height_du(const struct render *render, const struct text_style *style)
{
    pthread_mutex_lock(&text_lock);
    int h = text_line_height_du_unlocked(render, style);
    pthread_mutex_unlock(&text_lock);
    return h;
}

int text_measure_du(const struct render *render, const struct text_style *style, const char *text)
{
    pthread_mutex_lock(&text_lock);
    int w = text_measure_du_unlocked(render, style, text);
    pthread_mutex_unlock(&text_lock);
    return w;
}

int text_height_du(const struct render *render, const struct text_style *style, int width_du, const char *text)
{
    pthread_mutex_lock(&text_lock);
    int h = text_height_du_unlocked(render, style, width_du, text);
    pthread_mutex_unlock(&text_lock);
    return h;
}

int text_draw_marked(struct render *render, const struct text_style *style, struct ui_rect box, const char *text,
                     const struct text_mark *marks, size_t mark_count, struct ui_color mark_fill)
{
    pthread_mutex_lock(&text_lock);
    int h = text_draw_marked_unlocked(render, style, box, text, marks, mark_count, mark_fill);
    pthread_mutex_unlock(&text_lock);
    return h;
}
