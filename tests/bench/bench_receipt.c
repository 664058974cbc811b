/* Render + encode time of a typical guide receipt (issue 5): the guide of a seed item with
 * a QR code and about 40 lines of Chinese, laid out, drawn by the font engine at 576 dots,
 * turned to 1 bit and encoded as ESC/POS — what happens between a tap on 打印办事指南 and
 * the first byte to the printer. Prints one line:
 *   receipt-guide runs N median-ms M p99-ms P max-ms X bytes B rows R item NAME */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "firmware/catalogue/catalogue.h"
#include "drivers/escpos/escpos.h"
#include "drivers/escpos/escpos_profile.h"
#include "firmware/core/i18n.h"
#include "firmware/print/receipt.h"
#include "firmware/print/receipt_guide.h"
#include "firmware/gfx/text.h"

static double bench_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static int bench_compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 300;
    char err[512];
    struct catalogue *catalogue;
    if (text_init("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                  "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2, err, sizeof err) < 0 ||
        catalogue_load_file("assets/catalogue/seed.json", &catalogue, err, sizeof err) < 0) {
        fprintf(stderr, "bench_receipt: %s\n", err);
        return 1;
    }
    i18n_init("build/sim/locale", "zh_CN");
    const struct catalogue_item *item = NULL;
    for (size_t i = 0; i < catalogue->item_count && !item; i++)
        if (catalogue->items[i].online_url && catalogue->items[i].material_count >= 3)
            item = &catalogue->items[i];
    if (!item) {
        fprintf(stderr, "bench_receipt: no seed item with a QR address and materials\n");
        return 1;
    }
    double *ms = malloc(sizeof *ms * (size_t)runs);
    size_t bytes = 0;
    int rows = 0;
    for (int r = -20; r < runs; r++) { /* 20 warm-up runs fill the glyph cache, as a running kiosk has */
        double t0 = bench_now_ms();
        struct receipt *receipt = receipt_create(escpos_profile_find("epson-tm-t70ii"));
        struct escpos_buffer job;
        struct print_bitmap image;
        escpos_buffer_init(&job);
        if (!receipt || receipt_guide_build(receipt, catalogue, item, "LY-SIM-0001", "2026-11-27 23:05") < 0 ||
            receipt_finish(receipt, &image, &job, err, sizeof err) < 0) {
            fprintf(stderr, "bench_receipt: %s\n", err);
            return 1;
        }
        double t1 = bench_now_ms();
        if (r >= 0)
            ms[r] = t1 - t0;
        bytes = job.len;
        rows = image.height;
        print_bitmap_free(&image);
        escpos_buffer_free(&job);
        receipt_free(receipt);
    }
    qsort(ms, (size_t)runs, sizeof *ms, bench_compare);
    printf("receipt-guide runs %d median-ms %.2f p99-ms %.2f max-ms %.2f bytes %zu rows %d item %s\n", runs,
           ms[runs / 2], ms[(runs * 99) / 100], ms[runs - 1], bytes, rows, item->name);
    free(ms);
    catalogue_free(catalogue);
    text_shutdown();
    return 0;
}
