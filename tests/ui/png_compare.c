/* png_compare: compares a UI screenshot with its golden image.
 * Goldens are stored at half resolution (2x2 box filter) to keep the repository lean; a
 * wrong character or a moved widget still changes hundreds of pixels at that size.
 *
 *   png_compare SHOT.png GOLDEN.png [--diff DIFF.png]   exit 0 same, 1 different, 2 error
 *   png_compare --bless SHOT.png GOLDEN.png             write the half-size golden
 *
 * A pixel differs when any channel differs by more than PNG_COMPARE_CHANNEL_TOLERANCE (font
 * rasteriser rounding); the images match when at most PNG_COMPARE_BAD_PER_MILLION of the
 * pixels differ. On a mismatch the first differing pixel is reported and a diff image
 * (differences in red over a faded golden) is written. */
#include <SDL.h>
#include <SDL_image.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define PNG_COMPARE_CHANNEL_TOLERANCE 24
#define PNG_COMPARE_BAD_PER_MILLION 500

static SDL_Surface *png_compare_load(const char *path)
{
    SDL_Surface *loaded = IMG_Load(path);
    if (!loaded)
        return NULL;
    SDL_Surface *argb = SDL_ConvertSurfaceFormat(loaded, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(loaded);
    return argb;
}

static SDL_Surface *png_compare_half(SDL_Surface *full)
{
    int w = full->w / 2, h = full->h / 2;
    SDL_Surface *half = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!half)
        return NULL;
    const Uint32 *src = full->pixels;
    Uint32 *dst = half->pixels;
    int sp = full->pitch / 4, dp = half->pitch / 4;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            Uint32 p[4] = { src[2 * y * sp + 2 * x], src[2 * y * sp + 2 * x + 1], src[(2 * y + 1) * sp + 2 * x],
                            src[(2 * y + 1) * sp + 2 * x + 1] };
            Uint32 out = 0xFF000000u;
            for (int shift = 0; shift <= 16; shift += 8) {
                unsigned sum = 0;
                for (int i = 0; i < 4; i++)
                    sum += (p[i] >> shift) & 255;
                out |= ((sum + 2) / 4) << shift;
            }
            dst[y * dp + x] = out;
        }
    return half;
}

static int png_compare_channel_diff(Uint32 a, Uint32 b)
{
    int worst = 0;
    for (int shift = 0; shift <= 16; shift += 8) {
        int d = (int)((a >> shift) & 255) - (int)((b >> shift) & 255);
        if (d < 0)
            d = -d;
        if (d > worst)
            worst = d;
    }
    return worst;
}

int main(int argc, char **argv)
{
    bool bless = argc == 4 && !strcmp(argv[1], "--bless");
    const char *shot_path, *golden_path, *diff_path = NULL;
    if (bless) {
        shot_path = argv[2];
        golden_path = argv[3];
    } else if (argc == 3 || (argc == 5 && !strcmp(argv[3], "--diff"))) {
        shot_path = argv[1];
        golden_path = argv[2];
        diff_path = argc == 5 ? argv[4] : NULL;
    } else {
        fprintf(stderr, "usage: png_compare SHOT.png GOLDEN.png [--diff DIFF.png] | --bless SHOT.png GOLDEN.png\n");
        return 2;
    }
    SDL_Surface *full = png_compare_load(shot_path);
    if (!full) {
        fprintf(stderr, "%s: cannot read: %s\n", shot_path, IMG_GetError());
        return 2;
    }
    SDL_Surface *shot = png_compare_half(full);
    SDL_FreeSurface(full);
    if (!shot) {
        fprintf(stderr, "out of memory\n");
        return 2;
    }
    if (bless) {
        if (IMG_SavePNG(shot, golden_path) != 0) {
            fprintf(stderr, "%s: cannot write: %s\n", golden_path, IMG_GetError());
            return 2;
        }
        return 0;
    }
    SDL_Surface *golden = png_compare_load(golden_path);
    if (!golden) {
        fprintf(stderr, "no golden %s (run make goldens after checking the screenshot)\n", golden_path);
        return 1;
    }
    if (golden->w != shot->w || golden->h != shot->h) {
        fprintf(stderr, "size %dx%d differs from the golden's %dx%d\n", shot->w, shot->h, golden->w, golden->h);
        return 1;
    }
    const Uint32 *a = shot->pixels, *b = golden->pixels;
    Uint32 *d = diff_path ? golden->pixels : NULL;
    int pitch = shot->pitch / 4;
    long bad = 0;
    int first_x = -1, first_y = -1;
    for (int y = 0; y < shot->h; y++)
        for (int x = 0; x < shot->w; x++) {
            bool differs = png_compare_channel_diff(a[y * pitch + x], b[y * pitch + x]) > PNG_COMPARE_CHANNEL_TOLERANCE;
            if (differs && bad++ == 0) {
                first_x = x;
                first_y = y;
            }
            if (d) {
                /* faded golden, differences in red */
                Uint32 g = d[y * pitch + x];
                unsigned lum = (((g >> 16) & 255) + ((g >> 8) & 255) + (g & 255)) / 3;
                unsigned fade = 160 + lum * 95 / 255;
                d[y * pitch + x] = differs ? 0xFFFF0000u : (0xFF000000u | fade << 16 | fade << 8 | fade);
            }
        }
    long total = (long)shot->w * shot->h;
    long allowed = total * PNG_COMPARE_BAD_PER_MILLION / 1000000;
    if (bad > allowed) {
        fprintf(stderr, "%ld of %ld pixels differ (allowed %ld); first at golden pixel %d,%d (screen %d,%d)\n", bad,
                total, allowed, first_x, first_y, first_x * 2, first_y * 2);
        if (d && IMG_SavePNG(golden, diff_path) == 0)
            fprintf(stderr, "diff image: %s\n", diff_path);
        return 1;
    }
    return 0;
}
