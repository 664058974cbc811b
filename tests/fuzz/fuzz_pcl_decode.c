/* The PCL printer model's decoder on arbitrary bytes (what any host may send a printer):
 * no crash, leak or hang; fed whole or cut in two anywhere, it makes the same pages and
 * reports the same number of errors (commands split across reads are joined); every page
 * is the size of its paper at its dpi. The same bytes also go through the driver's
 * PackBits encoder and decoder, which must give them back unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "drivers/certprinter/pcl.h"
#include "board/sim/pcl_decode.h"

struct tally {
    unsigned long pages, errors, rows;
    uint64_t hash;
    int halt_at;          /* halt on this row (-1: never) */
};

static void on_page(void *context, const struct pcl_decoder_page *page)
{
    struct tally *t = context;
    FUZZ_CHECK(page->paper == 26 || page->paper == 25);
    const int w_mm = page->paper == 25 ? 148 : 210, h_mm = page->paper == 25 ? 210 : 297;
    FUZZ_CHECK(page->width == (w_mm * page->dpi * 10 + 127) / 254);
    FUZZ_CHECK(page->height == (h_mm * page->dpi * 10 + 127) / 254);
    FUZZ_CHECK(page->stride == ((size_t)page->width + 7) / 8);
    uint64_t h = t->hash ^ (uint64_t)page->width << 32 ^ (uint64_t)page->height;
    for (size_t i = 0; i < page->stride * (size_t)page->height; i++)
        h = (h ^ page->bits[i]) * 1099511628211ull;
    t->hash = h;
    t->pages++;
}

static void on_error(void *context, const char *why)
{
    FUZZ_CHECK(why && *why);
    ((struct tally *)context)->errors++;
}

static int on_row(void *context)
{
    struct tally *t = context;
    if (t->halt_at >= 0 && (long)t->rows == t->halt_at)
        return -1;
    t->rows++;
    return 0;
}

static void decode(const uint8_t *data, size_t size, size_t cut, int halt_at, struct tally *t)
{
    memset(t, 0, sizeof *t);
    t->halt_at = halt_at;
    struct pcl_decoder_hooks hooks = { on_page, on_error, on_row, t };
    struct pcl_decoder *d;
    FUZZ_CHECK(pcl_decoder_new(&hooks, &d) == 0);
    FUZZ_CHECK(pcl_decoder_feed(d, data, cut) == 0);
    FUZZ_CHECK(pcl_decoder_feed(d, data + cut, size - cut) == 0);
    if (pcl_decoder_halted(d)) {
        t->halt_at = -1;
        pcl_decoder_resume(d);
        pcl_decoder_reset(d);
    }
    struct pcl_decoder_stats stats;
    pcl_decoder_get_stats(d, &stats);
    FUZZ_CHECK(stats.pages == t->pages && stats.errors == t->errors && stats.bytes == size);
    pcl_decoder_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 1 << 16)
        return 0;
    struct tally whole, split;
    decode(data, size, size, -1, &whole);
    const size_t cut = size ? (size_t)data[0] * 7919 % (size + 1) : 0;
    decode(data, size, cut, -1, &split);
    FUZZ_CHECK(whole.pages == split.pages && whole.errors == split.errors && whole.hash == split.hash);
    struct tally halted;
    decode(data, size, cut, size ? data[size - 1] % 64 : 0, &halted);

    uint8_t *packed = malloc(pcl_packbits_bound(size) + 1), *back = malloc(size + 1);
    FUZZ_CHECK(packed && back);
    size_t n = pcl_packbits_encode(data, size, packed), got = 0;
    FUZZ_CHECK(n <= pcl_packbits_bound(size));
    FUZZ_CHECK(pcl_packbits_decode(packed, n, back, size, &got) == 0 && got == size);
    FUZZ_CHECK(memcmp(back, data, size) == 0);
    free(packed);
    free(back);
    return 0;
}
