/* The ESC/POS encoder: exact bytes of every command, and raster banding of a tall image
 * decoded back into pixels. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/escpos/escpos.h"

static struct escpos_buffer buffer;

static int setup(void **state)
{
    (void)state;
    escpos_buffer_init(&buffer);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    escpos_buffer_free(&buffer);
    return 0;
}

#define assert_bytes(...)                                                        \
    do {                                                                         \
        const uint8_t expected[] = {__VA_ARGS__};                                \
        assert_int_equal(buffer.len, sizeof expected);                           \
        assert_memory_equal(buffer.bytes, expected, sizeof expected);            \
    } while (0)

static void test_init_align_feed(void **state)
{
    (void)state;
    assert_int_equal(escpos_append_init(&buffer), 0);
    assert_int_equal(escpos_append_align(&buffer, ESCPOS_ALIGN_CENTER), 0);
    assert_int_equal(escpos_append_feed(&buffer, 3), 0);
    assert_int_equal(escpos_append_align(&buffer, ESCPOS_ALIGN_RIGHT), 0);
    assert_bytes(0x1B, 0x40, 0x1B, 0x61, 0x01, 0x1B, 0x64, 0x03, 0x1B, 0x61, 0x02);
    assert_int_equal(escpos_append_align(&buffer, (enum escpos_align)3), -EINVAL);
    assert_int_equal(escpos_append_feed(&buffer, 256), -EINVAL);
    assert_int_equal(escpos_append_feed(&buffer, -1), -EINVAL);
    assert_int_equal(buffer.len, 11); /* failed appends leave the buffer as it was */
}

static void test_cuts_and_processed_query(void **state)
{
    (void)state;
    assert_int_equal(escpos_append_cut(&buffer, ESCPOS_CUT_FULL, 0), 0);
    assert_int_equal(escpos_append_cut(&buffer, ESCPOS_CUT_PARTIAL, 0), 0);
    assert_int_equal(escpos_append_cut(&buffer, ESCPOS_CUT_FEED_FULL, 16), 0);
    assert_int_equal(escpos_append_cut(&buffer, ESCPOS_CUT_FEED_PARTIAL, 0), 0);
    assert_int_equal(escpos_append_processed_query(&buffer), 0);
    assert_bytes(0x1D, 0x56, 0x00, 0x1D, 0x56, 0x01, 0x1D, 0x56, 0x41, 0x10, 0x1D, 0x56, 0x42, 0x00, 0x1D, 0x72,
                 0x01);
    assert_int_equal(escpos_append_cut(&buffer, (enum escpos_cut)3, 0), -EINVAL);
    assert_int_equal(escpos_append_cut(&buffer, ESCPOS_CUT_FEED_FULL, 300), -EINVAL);
}

static void test_code128(void **state)
{
    (void)state;
    assert_int_equal(escpos_append_code128(&buffer, "A-12", 80, 3, ESCPOS_HRI_BELOW), 0);
    assert_bytes(0x1D, 0x68, 80, 0x1D, 0x77, 3, 0x1D, 0x48, 2, 0x1D, 0x6B, 73, 6, '{', 'B', 'A', '-', '1', '2');
    assert_int_equal(escpos_append_code128(&buffer, "", 80, 3, ESCPOS_HRI_NONE), -EINVAL);
    assert_int_equal(escpos_append_code128(&buffer, "a{b", 80, 3, ESCPOS_HRI_NONE), -EINVAL);
    assert_int_equal(escpos_append_code128(&buffer, "\xe5\xbc\xa0", 80, 3, ESCPOS_HRI_NONE), -EINVAL);
    assert_int_equal(escpos_append_code128(&buffer, "X", 0, 3, ESCPOS_HRI_NONE), -EINVAL);
    assert_int_equal(escpos_append_code128(&buffer, "X", 80, 1, ESCPOS_HRI_NONE), -EINVAL);
    assert_int_equal(escpos_append_code128(&buffer, "X", 80, 7, ESCPOS_HRI_NONE), -EINVAL);
    char longest[254];
    memset(longest, 'Z', 253);
    longest[253] = '\0';
    escpos_buffer_free(&buffer);
    assert_int_equal(escpos_append_code128(&buffer, longest, 1, 2, ESCPOS_HRI_NONE), 0);
    assert_int_equal(buffer.bytes[12], 255);
    assert_int_equal(buffer.len, 15 + 253);
    char too_long[255];
    memset(too_long, 'Z', 254);
    too_long[254] = '\0';
    assert_int_equal(escpos_append_code128(&buffer, too_long, 1, 2, ESCPOS_HRI_NONE), -EINVAL);
}

static void test_small_raster_exact(void **state)
{
    (void)state;
    /* 10 dots wide: 2 bytes a row; the 6 padding bits of each row are sent white. */
    const uint8_t bits[] = {0xFF, 0xFF, 0x80, 0x40, 0x01, 0x3F};
    struct escpos_bitmap bitmap = {bits, 10, 3, 2};
    assert_int_equal(escpos_append_raster(&buffer, &bitmap), 0);
    assert_bytes(0x1D, 0x76, 0x30, 0x00, 2, 0, 3, 0, 0xFF, 0xC0, 0x80, 0x40, 0x01, 0x00);
}

static void test_raster_rejects(void **state)
{
    (void)state;
    uint8_t bits[600] = {0};
    struct escpos_bitmap empty = {bits, 0, 1, 1};
    assert_int_equal(escpos_append_raster(&buffer, &empty), -EINVAL);
    struct escpos_bitmap short_stride = {bits, 17, 1, 2};
    assert_int_equal(escpos_append_raster(&buffer, &short_stride), -EINVAL);
    struct escpos_bitmap too_wide = {bits, 4097, 1, 513};
    assert_int_equal(escpos_append_raster(&buffer, &too_wide), -EINVAL);
    struct escpos_bitmap widest = {bits, 4096, 1, 512};
    assert_int_equal(escpos_append_raster(&buffer, &widest), 0);
    assert_int_equal(escpos_band_rows(72), 56);
    assert_int_equal(escpos_band_rows(48), 80);
    assert_int_equal(escpos_band_rows(512), 8);
    assert_int_equal(escpos_band_rows(513), 0);
}

/* Decodes GS v 0 bands back into an image the way a printer would, checking each band. */
static void check_bands(const uint8_t *bytes, size_t len, int width, int height, const uint8_t *expect,
                        size_t stride, int *bands_out)
{
    size_t row_bytes = ((size_t)width + 7) / 8;
    int rows_seen = 0, bands = 0;
    size_t at = 0;
    while (at < len) {
        assert_true(len - at >= 8);
        assert_memory_equal(bytes + at, ((const uint8_t[]){0x1D, 0x76, 0x30, 0x00}), 4);
        size_t x = bytes[at + 4] | (size_t)bytes[at + 5] << 8;
        int y = bytes[at + 6] | bytes[at + 7] << 8;
        assert_int_equal(x, row_bytes);
        assert_true(x * (size_t)y <= ESCPOS_BAND_BYTES_MAX);
        at += 8;
        assert_true(len - at >= x * (size_t)y);
        if (at + x * (size_t)y < len)
            assert_int_equal(y % 8, 0); /* every band but the last */
        for (int r = 0; r < y; r++)
            assert_memory_equal(bytes + at + (size_t)r * x, expect + (size_t)(rows_seen + r) * stride, x);
        at += x * (size_t)y;
        rows_seen += y;
        bands++;
    }
    assert_int_equal(rows_seen, height);
    *bands_out = bands;
}

static void test_tall_raster_banding(void **state)
{
    (void)state;
    const int width = 576, height = 1000;
    const size_t stride = 72;
    uint8_t *bits = malloc(stride * height);
    assert_non_null(bits);
    for (size_t i = 0; i < stride * height; i++)
        bits[i] = (uint8_t)(i * 2654435761u >> 13); /* a pattern that differs row to row */
    struct escpos_bitmap bitmap = {bits, width, height, stride};
    assert_int_equal(escpos_append_raster(&buffer, &bitmap), 0);
    int bands;
    check_bands(buffer.bytes, buffer.len, width, height, bits, stride, &bands);
    assert_int_equal(bands, 18); /* 17 bands of 56 rows, then 48 */
    assert_int_equal(buffer.len, 18 * 8 + stride * height);
    free(bits);
}

static void test_raster_58mm_with_wide_stride(void **state)
{
    (void)state;
    /* A 384-dot image cut from a wider canvas: only the first 48 bytes of each row go out. */
    const int width = 384, height = 161;
    const size_t stride = 100;
    uint8_t *bits = malloc(stride * height);
    assert_non_null(bits);
    for (size_t i = 0; i < stride * height; i++)
        bits[i] = (uint8_t)(i * 7 + 3);
    struct escpos_bitmap bitmap = {bits, width, height, stride};
    assert_int_equal(escpos_append_raster(&buffer, &bitmap), 0);
    int bands;
    check_bands(buffer.bytes, buffer.len, width, height, bits, stride, &bands);
    assert_int_equal(bands, 3); /* 80 + 80 + 1 rows */
    free(bits);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_init_align_feed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cuts_and_processed_query, setup, teardown),
        cmocka_unit_test_setup_teardown(test_code128, setup, teardown),
        cmocka_unit_test_setup_teardown(test_small_raster_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raster_rejects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tall_raster_banding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raster_58mm_with_wide_stride, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
