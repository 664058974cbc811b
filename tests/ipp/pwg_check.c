/* pwg_check FILE.pwg --page licence|calibration --unit ID --print-time T [--pgm OUT.pgm]:
 * what a printer got.
 * Decodes a PWG raster document with libcups' reader (through certprinter_pwg_decode) and
 * prints key=value lines for tests/ipp/test-ipp.sh: the first page's size, resolution, type and
 * media; how many dots differ from the test page as the layout renders it (same unit and
 * print time: the watermark carries both); the ink in each box of the layout; what its QR
 * code should say. --pgm writes page 1 as a PGM for zbarimg. --page none: only the first
 * page's facts and the PGM (a resident's licence, which has no test layout). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/certprinter/certprinter_ipp.h"
#include "firmware/storage/config.h"
#include "firmware/print/print_testpage.h"
#include "firmware/gfx/text.h"

static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 20, n = 0;
    uint8_t *data = malloc(cap);
    size_t got;
    while (data && (got = fread(data + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *grown = realloc(data, cap *= 2);
            if (!grown) {
                free(data);
                data = NULL;
            }
            data = grown;
        }
    }
    fclose(f);
    *size = n;
    return data;
}

static int dot(const struct print_bitmap *b, int x, int y)
{
    return x < b->width && y < b->height ? print_bitmap_dot(b, x, y) : 0;
}

static int write_pgm(const struct print_bitmap *b, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fprintf(f, "P5\n%d %d\n255\n", b->width, b->height);
    for (int y = 0; y < b->height; y++)
        for (int x = 0; x < b->width; x++)
            fputc(dot(b, x, y) ? 0 : 255, f);
    return fclose(f);
}

int main(int argc, char **argv)
{
    const char *path = NULL, *page_name = NULL, *pgm = NULL, *unit = "LY-SIM-0001", *print_time = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--page") && i + 1 < argc)
            page_name = argv[++i];
        else if (!strcmp(argv[i], "--unit") && i + 1 < argc)
            unit = argv[++i];
        else if (!strcmp(argv[i], "--print-time") && i + 1 < argc)
            print_time = argv[++i];
        else if (!strcmp(argv[i], "--pgm") && i + 1 < argc)
            pgm = argv[++i];
        else
            path = argv[i];
    }
    const bool layout_page = page_name && strcmp(page_name, "none") != 0;
    if (!path || !page_name || (layout_page && (!print_time || print_testpage_kind_from_name(page_name) < 0))) {
        fprintf(stderr, "usage: pwg_check FILE.pwg (--page licence|calibration --unit ID --print-time T | --page none)"
                        " [--pgm OUT.pgm]\n");
        return 2;
    }
    size_t size;
    uint8_t *data = read_file(path, &size);
    if (!data) {
        fprintf(stderr, "pwg_check: cannot read %s\n", path);
        return 2;
    }
    struct certprinter_pwg_page pages[4];
    int count;
    int err = certprinter_pwg_decode(data, size, pages, 4, &count);
    free(data);
    if (err < 0) {
        printf("decode=failed\n");
        return 1;
    }
    const struct certprinter_pwg_page *p = &pages[0];
    const struct print_bitmap printed = { p->width, p->height, p->stride, p->bits };
    printf("decode=ok\npages=%d\nwidth=%d\nheight=%d\nxdpi=%d\nydpi=%d\nbits=%d\nmedia=%s\npage_pt=%dx%d\n"
           "total_pages=%d\n",
           count, p->width, p->height, p->xdpi, p->ydpi, p->bits_per_pixel, p->media, p->page_width_pt,
           p->page_height_pt, p->total_pages);
    if (pgm && write_pgm(&printed, pgm) != 0)
        fprintf(stderr, "pwg_check: cannot write %s\n", pgm);
    if (!layout_page) { /* a page the kiosk made from a resident's licence: no layout to compare */
        certprinter_pwg_free_pages(pages, count);
        return 0;
    }

    struct config config;
    char why[256];
    config_set_defaults(&config);
    struct print_testpage layout;
    if (text_init(config.font_regular, config.font_bold, config.font_face_index, why, sizeof why) < 0 ||
        print_testpage_render((enum print_testpage_kind)print_testpage_kind_from_name(page_name), unit, print_time, 0, 0,
                              &layout, why, sizeof why) < 0) {
        fprintf(stderr, "pwg_check: %s\n", why);
        certprinter_pwg_free_pages(pages, count);
        return 2;
    }
    /* The page as printed against the page as laid out, dot for dot (both at 300 dpi). */
    long diff = 0;
    const struct print_bitmap *want = &layout.bitmap;
    int w = p->width > want->width ? p->width : want->width, h = p->height > want->height ? p->height : want->height;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            diff += dot(&printed, x, y) != dot(want, x, y);
    printf("diff_dots=%ld\n", diff);
    /* Ink in each box the layout reported, against the ink outside every box (frames and
     * the watermark's dot screen): text, table, codes and marks came out where laid out. */
    long outside_ink = 0, outside_dots = 0;
    for (int y = 0; y < p->height; y++)
        for (int x = 0; x < p->width; x++) {
            int in = 0;
            for (int b = 0; b < layout.box_count && !in; b++) {
                const struct print_testpage_box *box = &layout.boxes[b];
                in = x >= box->x && y >= box->y && x < box->x + box->w && y < box->y + box->h;
            }
            if (!in) {
                outside_dots++;
                outside_ink += dot(&printed, x, y);
            }
        }
    printf("outside_ink_permille=%ld\n", outside_dots ? outside_ink * 1000 / outside_dots : 0);
    for (int b = 0; b < layout.box_count; b++) {
        const struct print_testpage_box *box = &layout.boxes[b];
        long ink = 0;
        for (int y = box->y; y < box->y + box->h; y++)
            for (int x = box->x; x < box->x + box->w; x++)
                ink += dot(&printed, x, y);
        long area = (long)box->w * box->h;
        printf("box=%s %d %d %d %d ink_permille=%ld\n", box->name, box->x, box->y, box->w, box->h,
               area ? ink * 1000 / area : 0);
    }
    printf("qr_text=%s\n", layout.qr_text);
    print_testpage_free(&layout);
    text_shutdown();
    certprinter_pwg_free_pages(pages, count);
    return 0;
}
