#include "firmware/gfx/render.h"
#include "firmware/gfx/render_sdl.h"

#include <SDL_image.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int render_library_start(char *err, size_t errlen)
{
    if (SDL_Init(0) != 0) {
        snprintf(err, errlen, "SDL failed to start: %s (package libsdl2-2.0-0)", SDL_GetError());
        return -1;
    }
    return 0;
}

void render_library_stop(void)
{
    SDL_Quit();
}

int render_init(struct render *render, int width_px, int height_px, char *err, size_t errlen)
{
    layout_init(&render->layout, width_px, height_px);
    render->surface = (struct render_surface *)SDL_CreateRGBSurfaceWithFormat(0, width_px, height_px, 32,
                                                                             SDL_PIXELFORMAT_ARGB8888);
    if (!render->surface) {
        snprintf(err, errlen, "cannot create a %dx%d canvas: %s", width_px, height_px, SDL_GetError());
        return -1;
    }
    render->clip_du = (struct ui_rect){ 0, 0, render->layout.width_du, render->layout.height_du };
    SDL_SetClipRect(render_sdl_surface(render), NULL);
    return 0;
}

int render_init_dots(struct render *render, int width_px, int height_px, char *err, size_t errlen)
{
    if (render_init(render, width_px, height_px, err, errlen) < 0)
        return -1;
    layout_init_scaled(&render->layout, width_px, height_px, 1.0);
    render->clip_du = (struct ui_rect){ 0, 0, width_px, height_px };
    return 0;
}

void render_free(struct render *render)
{
    SDL_FreeSurface(render_sdl_surface(render));
    render->surface = NULL;
}

static Uint32 render_map(struct render *render, struct ui_color c)
{
    return SDL_MapRGBA(render_sdl_surface(render)->format, c.r, c.g, c.b, c.a);
}

void render_clear(struct render *render, struct ui_color color)
{
    SDL_FillRect(render_sdl_surface(render), NULL, render_map(render, color));
}

/* Fills a pixel rect, blending when the colour is translucent (dialog scrims). */
static void render_fill_px(struct render *render, SDL_Rect px, struct ui_color color)
{
    if (px.w <= 0 || px.h <= 0)
        return;
    if (color.a == 255) {
        SDL_FillRect(render_sdl_surface(render), &px, render_map(render, color));
        return;
    }
    SDL_Rect clip;
    SDL_GetClipRect(render_sdl_surface(render), &clip);
    SDL_Rect area;
    if (!SDL_IntersectRect(&px, &clip, &area))
        return;
    Uint32 *pixels = render_sdl_surface(render)->pixels;
    int pitch = render_sdl_surface(render)->pitch / 4;
    unsigned a = color.a, ia = 255 - color.a;
    for (int y = area.y; y < area.y + area.h; y++) {
        Uint32 *row = pixels + (size_t)y * pitch;
        for (int x = area.x; x < area.x + area.w; x++) {
            Uint32 p = row[x];
            unsigned r = ((p >> 16 & 255) * ia + color.r * a) / 255;
            unsigned g = ((p >> 8 & 255) * ia + color.g * a) / 255;
            unsigned b = ((p & 255) * ia + color.b * a) / 255;
            row[x] = 0xFF000000u | r << 16 | g << 8 | b;
        }
    }
}

void render_fill_rect(struct render *render, struct ui_rect rect, struct ui_color color)
{
    struct ui_rect px = layout_rect_to_px(&render->layout, rect);
    render_fill_px(render, (SDL_Rect){ px.x, px.y, px.w, px.h }, color);
}

/* Horizontal inset of a rounded corner's edge on pixel row dy (0 = outermost) of radius r. */
static int render_corner_inset(int r, int dy)
{
    double d = r - dy - 0.5;
    return (int)lround(r - sqrt((double)r * r - d * d));
}

static void render_round_rows(struct render *render, struct ui_rect px, int r, struct ui_color color)
{
    if (r * 2 > px.w)
        r = px.w / 2;
    if (r * 2 > px.h)
        r = px.h / 2;
    for (int dy = 0; dy < r; dy++) {
        int inset = render_corner_inset(r, dy);
        render_fill_px(render, (SDL_Rect){ px.x + inset, px.y + dy, px.w - 2 * inset, 1 }, color);
        render_fill_px(render, (SDL_Rect){ px.x + inset, px.y + px.h - 1 - dy, px.w - 2 * inset, 1 }, color);
    }
    render_fill_px(render, (SDL_Rect){ px.x, px.y + r, px.w, px.h - 2 * r }, color);
}

void render_fill_round_rect(struct render *render, struct ui_rect rect, int radius_du, struct ui_color color)
{
    struct ui_rect px = layout_rect_to_px(&render->layout, rect);
    render_round_rows(render, px, layout_du_to_px(&render->layout, radius_du), color);
}

void render_stroke_round_rect(struct render *render, struct ui_rect rect, int radius_du, int width_du,
                              struct ui_color color)
{
    struct ui_rect px = layout_rect_to_px(&render->layout, rect);
    int r = layout_du_to_px(&render->layout, radius_du);
    int w = layout_du_to_px(&render->layout, width_du);
    if (w < 1)
        w = 1;
    if (r * 2 > px.w)
        r = px.w / 2;
    if (r * 2 > px.h)
        r = px.h / 2;
    int ri = r > w ? r - w : 0;
    for (int y = 0; y < px.h; y++) {
        /* outer edge of this row */
        int dy = y < r ? y : (y >= px.h - r ? px.h - 1 - y : -1);
        int outer = dy >= 0 ? render_corner_inset(r, dy) : 0;
        int left = px.x + outer, right = px.x + px.w - outer;
        if (y < w || y >= px.h - w) {
            render_fill_px(render, (SDL_Rect){ left, px.y + y, right - left, 1 }, color);
            continue;
        }
        /* inner edge: the same shape shrunk by w */
        int iy = y - w, ih = px.h - 2 * w;
        int idy = iy < ri ? iy : (iy >= ih - ri ? ih - 1 - iy : -1);
        int inner = idy >= 0 ? render_corner_inset(ri, idy) : 0;
        int ileft = px.x + w + inner, iright = px.x + px.w - w - inner;
        render_fill_px(render, (SDL_Rect){ left, px.y + y, ileft - left, 1 }, color);
        render_fill_px(render, (SDL_Rect){ iright, px.y + y, right - iright, 1 }, color);
    }
}

void render_fill_circle(struct render *render, int cx_du, int cy_du, int radius_du, struct ui_color color)
{
    struct ui_rect box = { cx_du - radius_du, cy_du - radius_du, 2 * radius_du, 2 * radius_du };
    render_fill_round_rect(render, box, radius_du, color);
}

void render_fill_ring(struct render *render, int cx_du, int cy_du, int outer_du, int inner_du, double fraction,
                      struct ui_color color_on, struct ui_color color_off)
{
    double s = render->layout.scale;
    double cx = cx_du * s, cy = cy_du * s, ro = outer_du * s, ri = inner_du * s;
    SDL_Rect clip;
    SDL_GetClipRect(render_sdl_surface(render), &clip);
    Uint32 on = render_map(render, color_on), off = render_map(render, color_off);
    Uint32 *pixels = render_sdl_surface(render)->pixels;
    int pitch = render_sdl_surface(render)->pitch / 4;
    for (int y = (int)(cy - ro); y <= (int)(cy + ro); y++) {
        if (y < clip.y || y >= clip.y + clip.h)
            continue;
        for (int x = (int)(cx - ro); x <= (int)(cx + ro); x++) {
            if (x < clip.x || x >= clip.x + clip.w)
                continue;
            double dx = x + 0.5 - cx, dy = y + 0.5 - cy, d2 = dx * dx + dy * dy;
            if (d2 > ro * ro || d2 < ri * ri)
                continue;
            /* angle from 12 o'clock, clockwise, 0..1 */
            double turn = atan2(dx, -dy) / (2 * M_PI);
            if (turn < 0)
                turn += 1;
            pixels[(size_t)y * pitch + x] = turn < fraction ? on : off;
        }
    }
}

struct ui_rect render_set_clip(struct render *render, struct ui_rect rect)
{
    struct ui_rect previous = render->clip_du;
    SDL_Rect a = { rect.x, rect.y, rect.w, rect.h };
    SDL_Rect b = { previous.x, previous.y, previous.w, previous.h };
    SDL_Rect both;
    if (!SDL_IntersectRect(&a, &b, &both))
        both = (SDL_Rect){ 0, 0, 0, 0 };
    render->clip_du = (struct ui_rect){ both.x, both.y, both.w, both.h };
    struct ui_rect px = layout_rect_to_px(&render->layout, render->clip_du);
    SDL_SetClipRect(render_sdl_surface(render), &(SDL_Rect){ px.x, px.y, px.w, px.h });
    return previous;
}

void render_restore_clip(struct render *render, struct ui_rect previous)
{
    render->clip_du = previous;
    struct ui_rect px = layout_rect_to_px(&render->layout, previous);
    SDL_SetClipRect(render_sdl_surface(render), &(SDL_Rect){ px.x, px.y, px.w, px.h });
}

int render_save_png(struct render *render, const char *path, char *err, size_t errlen)
{
    if (IMG_SavePNG(render_sdl_surface(render), path) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, IMG_GetError());
        return -1;
    }
    return 0;
}

static double render_channel_linear(uint8_t c)
{
    double v = c / 255.0;
    return v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static double render_luminance(struct ui_color c)
{
    return 0.2126 * render_channel_linear(c.r) + 0.7152 * render_channel_linear(c.g) +
           0.0722 * render_channel_linear(c.b);
}

double render_contrast_ratio(struct ui_color a, struct ui_color b)
{
    double la = render_luminance(a), lb = render_luminance(b);
    if (la < lb) {
        double t = la;
        la = lb;
        lb = t;
    }
    return (la + 0.05) / (lb + 0.05);
}

int render_encode_png(struct render *render, void **png, size_t *png_len, char *err, size_t errlen)
{
    SDL_Surface *surface = render_sdl_surface(render);
    /* Never larger than the raw pixels plus the format's overhead: one buffer, no regrowth. */
    const size_t capacity = (size_t)surface->w * (size_t)surface->h * 4 + 65536;
    void *buffer = capacity <= (size_t)INT32_MAX ? malloc(capacity) : NULL;
    SDL_RWops *rw = buffer ? SDL_RWFromMem(buffer, (int)capacity) : NULL;
    if (!rw || IMG_SavePNG_RW(surface, rw, 0) != 0) {
        snprintf(err, errlen, "cannot encode the PNG: %s", buffer ? IMG_GetError() : "out of memory");
        if (rw)
            SDL_RWclose(rw);
        free(buffer);
        return -1;
    }
    *png_len = (size_t)SDL_RWtell(rw);
    SDL_RWclose(rw);
    *png = buffer;
    return 0;
}

int render_draw_png(struct render *render, const void *png, size_t png_len, struct ui_rect box_px, char *err,
                    size_t errlen)
{
    SDL_RWops *rw = png_len <= (size_t)INT32_MAX ? SDL_RWFromConstMem(png, (int)png_len) : NULL;
    if (!rw) {
        snprintf(err, errlen, "cannot read the image: %s", png_len > (size_t)INT32_MAX ? "too large" : SDL_GetError());
        return -1;
    }
    if (!IMG_isPNG(rw)) {
        SDL_RWclose(rw);
        snprintf(err, errlen, "the image is not a PNG");
        return -1;
    }
    SDL_Surface *loaded = IMG_LoadPNG_RW(rw);
    SDL_RWclose(rw);
    if (!loaded) {
        snprintf(err, errlen, "cannot decode the PNG: %s", IMG_GetError());
        return -1;
    }
    SDL_Surface *image = SDL_ConvertSurfaceFormat(loaded, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(loaded);
    if (!image) {
        snprintf(err, errlen, "cannot convert the PNG: %s", SDL_GetError());
        return -1;
    }
    const double scale = fmin((double)box_px.w / image->w, (double)box_px.h / image->h);
    SDL_Rect dst = { 0, 0, (int)lround(image->w * scale), (int)lround(image->h * scale) };
    dst.x = box_px.x + (box_px.w - dst.w) / 2;
    dst.y = box_px.y + (box_px.h - dst.h) / 2;
    SDL_SetSurfaceBlendMode(image, SDL_BLENDMODE_BLEND);
    int rc = SDL_BlitScaled(image, NULL, render_sdl_surface(render), &dst);
    SDL_FreeSurface(image);
    if (rc != 0) {
        snprintf(err, errlen, "cannot place the image: %s", SDL_GetError());
        return -1;
    }
    return 0;
}

void render_fill_polygon(struct render *render, const double *x_du, const double *y_du, int count,
                         struct ui_color color)
{
    if (count < 3)
        return;
    double px[count], py[count];
    double min_x = INFINITY, max_x = -INFINITY, min_y = INFINITY, max_y = -INFINITY;
    const double scale = render->layout.scale;
    for (int i = 0; i < count; i++) {
        px[i] = x_du[i] * scale;
        py[i] = y_du[i] * scale;
        min_x = fmin(min_x, px[i]);
        max_x = fmax(max_x, px[i]);
        min_y = fmin(min_y, py[i]);
        max_y = fmax(max_y, py[i]);
    }
    SDL_Surface *surface = render_sdl_surface(render);
    SDL_Rect clip;
    SDL_GetClipRect(surface, &clip);
    const Uint32 colour = render_map(render, color);
    Uint32 *pixels = surface->pixels;
    const int pitch = surface->pitch / 4;
    for (int y = (int)min_y; y <= (int)max_y; y++)
        for (int x = (int)min_x; x <= (int)max_x; x++) {
            if (x < clip.x || y < clip.y || x >= clip.x + clip.w || y >= clip.y + clip.h)
                continue;
            int inside = 0;
            for (int i = 0, j = count - 1; i < count; j = i++)
                if ((py[i] > y + 0.5) != (py[j] > y + 0.5) &&
                    x + 0.5 < (px[j] - px[i]) * (y + 0.5 - py[i]) / (py[j] - py[i]) + px[i])
                    inside = !inside;
            if (inside)
                pixels[(size_t)y * (size_t)pitch + (size_t)x] = colour;
        }
}

struct render_pixels render_get_pixels(const struct render *render)
{
    const SDL_Surface *surface = render_sdl_surface(render);
    return (struct render_pixels){ surface->pixels, surface->w, surface->h, (size_t)surface->pitch / 4 };
}

int render_init_view(struct render *view, struct render *full, int x_px, int width_px, char *err, size_t errlen)
{
    SDL_Surface *surface = render_sdl_surface(full);
    SDL_Surface *columns = SDL_CreateRGBSurfaceWithFormatFrom((uint8_t *)surface->pixels + (size_t)x_px * 4, width_px,
                                                              surface->h, 32, surface->pitch, SDL_PIXELFORMAT_ARGB8888);
    if (!columns) {
        snprintf(err, errlen, "cannot make a view of the canvas: %s", SDL_GetError());
        return -1;
    }
    *view = *full;
    view->surface = (struct render_surface *)columns;
    /* Same scale as the canvas it looks into; only the clip is narrower. */
    view->clip_du = (struct ui_rect){ 0, 0, (int)lround(width_px / full->layout.scale),
                                      (int)lround(surface->h / full->layout.scale) };
    return 0;
}
