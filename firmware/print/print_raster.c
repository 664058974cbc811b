/* print_raster: canvas → 1-bit, codes at whole dots, 1-bit PNG (the only libpng user). */
#include "firmware/print/print_raster.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int print_bitmap_from_render(const struct render *render, int rows, struct print_bitmap *out)
{
    const struct render_pixels canvas = render_get_pixels(render);
    if (rows > canvas.height)
        rows = canvas.height;
    out->width = canvas.width;
    out->height = rows;
    out->stride = ((size_t)canvas.width + 7) / 8;
    out->bits = calloc(out->stride, rows > 0 ? (size_t)rows : 1);
    if (!out->bits)
        return -ENOMEM;
    for (int y = 0; y < rows; y++) {
        const uint32_t *row = canvas.argb + (size_t)y * canvas.pitch_px;
        uint8_t *dst = out->bits + (size_t)y * out->stride;
        for (int x = 0; x < canvas.width; x++) {
            /* Most of a page is paper: eight white dots at once are one white byte. */
            if ((x & 7) == 0 && x + 8 <= canvas.width && (row[x] & row[x + 1] & row[x + 2] & row[x + 3] & row[x + 4] &
                                                       row[x + 5] & row[x + 6] & row[x + 7] & 0xFFFFFFu) == 0xFFFFFFu) {
                x += 7;
                continue;
            }
            uint32_t p = row[x];
            /* Rec. 601 luma in integers; below half is ink. */
            unsigned luma = (((p >> 16) & 255) * 299 + ((p >> 8) & 255) * 587 + (p & 255) * 114) / 1000;
            if (luma < 128)
                dst[x >> 3] |= (uint8_t)(0x80u >> (x & 7));
        }
    }
    return 0;
}

void print_bitmap_free(struct print_bitmap *bitmap)
{
    free(bitmap->bits);
    memset(bitmap, 0, sizeof *bitmap);
}

void print_draw_code(struct render *render, const struct barcode_matrix *code, int x, int y, int dots_per_module,
                     int module_height, int quiet_modules, int *width, int *height)
{
    const int unit_h = module_height > 0 ? module_height : dots_per_module;
    const int quiet = quiet_modules * dots_per_module;
    /* A one-row code gets its quiet zone left and right only; a matrix code on all sides. */
    const int quiet_v = code->height > 1 ? quiet : 0;
    const int w = code->width * dots_per_module + 2 * quiet;
    const int h = code->height * unit_h + 2 * quiet_v;
    render_fill_rect(render, (struct ui_rect){ x, y, w, h }, (struct ui_color){ 255, 255, 255, 255 });
    for (int my = 0; my < code->height; my++)
        for (int mx = 0; mx < code->width;) {
            if (!barcode_module_dark(code, mx, my)) {
                mx++;
                continue;
            }
            int run = 1; /* one rect per run of dark modules */
            while (mx + run < code->width && barcode_module_dark(code, mx + run, my))
                run++;
            render_fill_rect(render,
                             (struct ui_rect){ x + quiet + mx * dots_per_module, y + quiet_v + my * unit_h,
                                               run * dots_per_module, unit_h },
                             (struct ui_color){ 0, 0, 0, 255 });
            mx += run;
        }
    *width = w;
    *height = h;
}

int print_bitmap_write_png(const struct print_bitmap *bitmap, int dpi, const char *path, char *err, size_t errlen)
{
    FILE *file = fopen(path, "wb");
    if (!file) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    uint8_t *row = malloc(bitmap->stride ? bitmap->stride : 1);
    if (!png || !info || !row) {
        png_destroy_write_struct(&png, &info);
        free(row);
        fclose(file);
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        fclose(file);
        snprintf(err, errlen, "%s: cannot write the PNG", path);
        return -1;
    }
    png_init_io(png, file);
    png_set_IHDR(png, info, (png_uint_32)bitmap->width, (png_uint_32)bitmap->height, 1, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    const png_uint_32 per_metre = (png_uint_32)(dpi / 0.0254 + 0.5);
    png_set_pHYs(png, info, per_metre, per_metre, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    for (int y = 0; y < bitmap->height; y++) {
        /* PNG gray 1-bit: 0 is black, so the ink bits are inverted. */
        const uint8_t *src = bitmap->bits + (size_t)y * bitmap->stride;
        for (size_t i = 0; i < bitmap->stride; i++)
            row[i] = (uint8_t)~src[i];
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    if (fclose(file) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}
