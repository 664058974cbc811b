/* bench_pwg [N]: the certificate printer's IPP back end on the sample licence page (A4,
 * 300 dpi, from the page engine): PWG raster encode (libcups' writer, black_1 and sgray_8)
 * and our PWG reader, median of N runs (default 21). Not a test: prints figures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drivers/certprinter/certprinter_ipp.h"
#include "firmware/storage/config.h"
#include "firmware/print/print_testpage.h"
#include "firmware/gfx/text.h"

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, compare);
    return v[n / 2];
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 21;
    if (runs < 1 || runs > 1000)
        runs = 21;
    struct config config;
    char err[256];
    config_set_defaults(&config);
    struct print_testpage page;
    if (text_init(config.font_regular, config.font_bold, config.font_face_index, err, sizeof err) < 0 ||
        print_testpage_render(PRINT_TESTPAGE_LICENCE, config.unit_id, "2026-11-28 09:30", 0, 0, &page, err,
                              sizeof err) < 0) {
        fprintf(stderr, "bench_pwg: %s\n", err);
        return 1;
    }
    const struct certprinter_bitmap bitmap = { page.bitmap.bits, page.bitmap.width, page.bitmap.height,
                                               page.bitmap.stride };
    double *times = calloc((size_t)runs, sizeof *times);
    for (int gray = 0; gray <= 1; gray++) {
        struct certprinter_ipp_format format = { .dpi = 300, .gray8 = gray };
        strcpy(format.media, PRINT_TESTPAGE_MEDIA);
        size_t size = 0;
        uint8_t *document = NULL;
        for (int i = 0; i < runs; i++) {
            free(document);
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            if (certprinter_ipp_encode_pwg(&bitmap, 1, 300, &format, &document, &size) < 0)
                return 1;
            clock_gettime(CLOCK_MONOTONIC, &t1);
            times[i] = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
        }
        printf("pwg encode %s A4 300 dpi: median %.2f ms, %zu bytes\n", gray ? "sgray_8" : "black_1",
               median(times, runs), size);
        for (int i = 0; i < runs; i++) {
            struct certprinter_pwg_page out[1];
            int count;
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            if (certprinter_pwg_decode(document, size, out, 1, &count) < 0)
                return 1;
            clock_gettime(CLOCK_MONOTONIC, &t1);
            certprinter_pwg_free_pages(out, count);
            times[i] = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
        }
        printf("pwg decode %s (ours): median %.2f ms\n", gray ? "sgray_8" : "black_1", median(times, runs));
        free(document);
    }
    free(times);
    print_testpage_free(&page);
    text_shutdown();
    return 0;
}
