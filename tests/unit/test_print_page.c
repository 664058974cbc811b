/* The certificate page engine: A4 at 300 dpi is 2480 x 3508 dots; the sample licence's QR
 * decodes with zbarimg (an independent judge) to the licence identifier; its text areas are
 * inked where the layout says and the margins outside the border are blank; the registration
 * offset moves every dot by exactly the offset; the watermark screen never touches ink and
 * stays light; the calibration crosshairs cross at their millimetres. Pages are written as
 * PNGs to TEST_OUT (build/sim/tests/print_page/) for a person to look at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "firmware/storage/config.h"
#include "firmware/print/print_layout.h"
#include "firmware/print/print_page.h"
#include "firmware/gfx/text.h"

static char out_dir[512];

static int setup(void **state)
{
    (void)state;
    struct config config;
    config_set_defaults(&config);
    char err[256];
    if (text_init(config.font_regular, config.font_bold, config.font_face_index, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    const char *dir = getenv("TEST_OUT");
    snprintf(out_dir, sizeof out_dir, "%s", dir ? dir : "build/sim/tests/print_page");
    char cmd[600];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", out_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    text_shutdown();
    return 0;
}

static long ink_in(const struct print_bitmap *b, int x0, int y0, int x1, int y1)
{
    long n = 0;
    for (int y = y0 < 0 ? 0 : y0; y < y1 && y < b->height; y++)
        for (int x = x0 < 0 ? 0 : x0; x < x1 && x < b->width; x++)
            n += print_bitmap_dot(b, x, y);
    return n;
}

static struct print_page *licence_page(int dx, int dy, bool watermark, struct print_area *areas, size_t *count)
{
    struct print_page_setup setup = { .paper = PRINT_PAPER_A4, .dpi = 300, .offset_x_decimm = dx,
                                      .offset_y_decimm = dy };
    struct print_page *page;
    char err[256] = "";
    assert_int_equal(print_page_open(&setup, &page, err, sizeof err), 0);
    struct print_licence licence;
    assert_int_equal(print_layout_sample_licence(&licence, "LY-SIM-0001", "2026-11-28 09:30", err, sizeof err), 0);
    if (!watermark)
        licence.purpose = NULL;
    int rc = print_layout_licence(page, &licence, areas, count, err, sizeof err);
    if (rc)
        fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    print_layout_sample_free(&licence);
    return page;
}

static void test_a4_size_and_a5(void **state)
{
    (void)state;
    char err[256];
    struct print_page *page;
    struct print_page_setup a4 = { .paper = PRINT_PAPER_A4 };
    assert_int_equal(print_page_open(&a4, &page, err, sizeof err), 0);
    assert_int_equal(print_page_width_dots(page), 2480);
    assert_int_equal(print_page_height_dots(page), 3508);
    assert_int_equal(print_page_dpi(page), 300);
    print_page_close(page);
    struct print_page_setup a5 = { .paper = PRINT_PAPER_A5, .dpi = 300 };
    assert_int_equal(print_page_open(&a5, &page, err, sizeof err), 0);
    assert_int_equal(print_page_width_dots(page), 1748);
    assert_int_equal(print_page_height_dots(page), 2480);
    print_page_close(page);
    /* A size in millimetres is the same type as its size in points. */
    assert_int_equal(print_page_open(&a4, &page, err, sizeof err), 0);
    struct print_text_style in_mm = { .size_mm = 5 }, in_pt = { .size_pt = 5 * 72.0 / 25.4 };
    double h_mm = print_page_text_height(page, &in_mm, 100, "营业执照"), h_pt = print_page_text_height(page, &in_pt, 100, "营业执照");
    assert_true(h_mm > 6 && h_mm < 9); /* one line, 1.45 em */
    assert_true(h_mm == h_pt);
    print_page_close(page);
    struct print_page_setup far = { .paper = PRINT_PAPER_A4, .offset_x_decimm = 500 };
    assert_int_equal(print_page_open(&far, &page, err, sizeof err), -1);
    assert_non_null(strstr(err, "offset"));
}

static void test_licence_qr_decodes_and_areas_inked(void **state)
{
    (void)state;
    struct print_area areas[PRINT_LAYOUT_AREAS_MAX];
    size_t count = 0;
    struct print_page *page = licence_page(0, 0, true, areas, &count);
    struct print_bitmap bitmap;
    assert_int_equal(print_page_to_bitmap(page, &bitmap), 0);
    assert_int_equal(bitmap.width, 2480);
    assert_int_equal(bitmap.height, 3508);
    char path[700], err[256], cmd[1600];
    snprintf(path, sizeof path, "%s/licence.png", out_dir);
    assert_int_equal(print_bitmap_write_png(&bitmap, 300, path, err, sizeof err), 0);

    const char *need[] = { "title", "code", "table", "qr", "seal", "issuer", "footer" };
    for (size_t n = 0; n < sizeof need / sizeof need[0]; n++) {
        const struct print_area *a = NULL;
        for (size_t i = 0; i < count; i++)
            if (strcmp(areas[i].name, need[n]) == 0)
                a = &areas[i];
        assert_non_null(a);
        int x0 = print_page_x_dots(page, a->x_mm), y0 = print_page_y_dots(page, a->y_mm);
        int x1 = print_page_x_dots(page, a->x_mm + a->width_mm), y1 = print_page_y_dots(page, a->y_mm + a->height_mm);
        long area = (long)(x1 - x0) * (y1 - y0);
        long ink = ink_in(&bitmap, x0, y0, x1, y1);
        /* Text is 2-40 % ink; a QR or a seal more; empty paper (the screen) far less. */
        if (ink * 100 < area * 2)
            fail_msg("area %s: %ld of %ld dots inked", a->name, ink, area);
    }
    /* Outside the border (10 mm from each edge) the paper is blank: nothing spilled. */
    int edge = print_page_length_dots(page, 9.5);
    assert_int_equal(ink_in(&bitmap, 0, 0, bitmap.width, edge), 0);
    assert_int_equal(ink_in(&bitmap, 0, bitmap.height - edge, bitmap.width, bitmap.height), 0);
    assert_int_equal(ink_in(&bitmap, 0, 0, edge, bitmap.height), 0);

    snprintf(cmd, sizeof cmd, "zbarimg -q --nodbus --raw '%s' 2>&1", path);
    FILE *zbar = popen(cmd, "r");
    assert_non_null(zbar);
    char decoded[512] = "";
    size_t got = fread(decoded, 1, sizeof decoded - 1, zbar);
    decoded[got] = 0;
    pclose(zbar);
    assert_string_equal(decoded, "1.2.156.3005.2.11100000000013338W011.92371302MA3C8K5L7Y.2430599.001.K\n");
    print_bitmap_free(&bitmap);

    struct print_gray gray;
    assert_int_equal(print_page_to_gray(page, &gray), 0);
    assert_int_equal(gray.width, 2480);
    long light = 0;
    for (size_t i = 0; i < gray.stride * (size_t)gray.height; i++)
        light += gray.pixels[i] > 150 && gray.pixels[i] < 230;
    /* the gray watermark is there (light gray dots) */
    assert_true(light > 10000);
    print_gray_free(&gray);
    print_page_close(page);
}

static void test_offset_shifts_every_dot(void **state)
{
    (void)state;
    struct print_page *plain = licence_page(0, 0, false, NULL, NULL);
    /* +2.0 mm right, -1.0 mm up: 23.6 and 11.8 dots at 300 dpi, rounded per edge. */
    struct print_page *moved = licence_page(20, -10, false, NULL, NULL);
    struct print_bitmap a, b;
    assert_int_equal(print_page_to_bitmap(plain, &a), 0);
    assert_int_equal(print_page_to_bitmap(moved, &b), 0);
    const int dx = print_page_x_dots(moved, 0) - print_page_x_dots(plain, 0);
    const int dy = print_page_y_dots(moved, 0) - print_page_y_dots(plain, 0);
    assert_int_equal(dx, 24);
    assert_int_equal(dy, -12);
    /* The border's heavy rule: the first inked column and row move by the offset. */
    int first_a = -1, first_b = -1;
    for (int x = 0; x < a.width && first_a < 0; x++)
        if (print_bitmap_dot(&a, x, 1500))
            first_a = x;
    for (int x = 0; x < b.width && first_b < 0; x++)
        if (print_bitmap_dot(&b, x, 1500))
            first_b = x;
    assert_int_equal(first_b - first_a, dx);
    /* The table region agrees dot for dot within a rounding of one dot (each item's edges
     * are rounded on their own). Without the watermark, which is paper-wide. */
    long same = 0, total = 0;
    for (int y = 1400; y < 1800; y++)
        for (int x = 300; x < 2100; x++) {
            int pa = print_bitmap_dot(&a, x, y);
            if (!pa)
                continue;
            total++;
            int found = 0;
            for (int ey = -1; ey <= 1 && !found; ey++)
                for (int ex = -1; ex <= 1 && !found; ex++)
                    found = print_bitmap_dot(&b, x + dx + ex, y + dy + ey);
            same += found;
        }
    assert_true(total > 10000);
    if (same * 100 < total * 99)
        fail_msg("%ld of %ld inked dots moved by the offset", same, total);
    print_bitmap_free(&a);
    print_bitmap_free(&b);
    print_page_close(plain);
    print_page_close(moved);
}

static void test_watermark_light_and_clear_of_text(void **state)
{
    (void)state;
    char err[256];
    struct print_page_setup setup = { .paper = PRINT_PAPER_A4 };
    struct print_page *page;
    assert_int_equal(print_page_open(&setup, &page, err, sizeof err), 0);
    const char *lines[] = { "用途：银行开户", "打印时间：2026-11-28 09:30", "终端：LY-SIM-0001" };
    assert_int_equal(print_page_watermark(page, lines, 3, 22, 30, err, sizeof err), 0);
    struct print_bitmap only;
    assert_int_equal(print_page_to_bitmap(page, &only), 0);
    long ink = ink_in(&only, 0, 0, only.width, only.height);
    long all = (long)only.width * only.height;
    /* Present over the whole page, but light: between 0.3 % and 5 % of the paper. */
    assert_true(ink * 1000 > all * 3);
    assert_true(ink * 100 < all * 5);
    assert_true(ink_in(&only, 0, 0, only.width / 2, only.height / 2) > 0);
    assert_true(ink_in(&only, only.width / 2, only.height / 2, only.width, only.height) > 0);
    /* A solid black block drawn on the page: no screen dot within 2 dots of it. */
    print_page_fill(page, 50, 100, 100, 30);
    struct print_bitmap with;
    assert_int_equal(print_page_to_bitmap(page, &with), 0);
    int x0 = print_page_x_dots(page, 50), y0 = print_page_y_dots(page, 100);
    int x1 = print_page_x_dots(page, 150), y1 = print_page_y_dots(page, 130);
    assert_int_equal(ink_in(&with, x0 - 2, y0 - 2, x0, y1 + 2), 0);
    assert_int_equal(ink_in(&with, x1, y0 - 2, x1 + 2, y1 + 2), 0);
    assert_int_equal(ink_in(&with, x0, y0, x1, y1), (long)(x1 - x0) * (y1 - y0));
    print_bitmap_free(&only);
    print_bitmap_free(&with);
    print_page_close(page);
}

static void test_calibration_crosses_at_marks(void **state)
{
    (void)state;
    char err[256];
    struct print_page_setup setup = { .paper = PRINT_PAPER_A4, .offset_x_decimm = 15, .offset_y_decimm = -7 };
    struct print_page *page;
    assert_int_equal(print_page_open(&setup, &page, err, sizeof err), 0);
    assert_int_equal(print_layout_calibration(page, PRINT_PAPER_A4, "LY-SIM-0001", 15, -7, err, sizeof err), 0);
    struct print_bitmap b;
    assert_int_equal(print_page_to_bitmap(page, &b), 0);
    struct print_calibration_mark marks[8];
    size_t n = print_layout_calibration_marks(PRINT_PAPER_A4, marks, 8);
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        int cx = print_page_x_dots(page, marks[i].x_mm), cy = print_page_y_dots(page, marks[i].y_mm);
        /* The arms: inked 8 mm out along the row and the column through the centre... */
        assert_int_equal(print_bitmap_dot(&b, cx + 94, cy), 1);
        assert_int_equal(print_bitmap_dot(&b, cx - 94, cy), 1);
        assert_int_equal(print_bitmap_dot(&b, cx, cy + 94), 1);
        assert_int_equal(print_bitmap_dot(&b, cx, cy - 94), 1);
        /* ...and the arms are thin (0.2 mm = 2-3 dots): 4 dots off the line is paper. */
        assert_int_equal(print_bitmap_dot(&b, cx + 60, cy + 4), 0);
        assert_int_equal(print_bitmap_dot(&b, cx + 4, cy + 60), 0);
    }
    char path[700];
    snprintf(path, sizeof path, "%s/calibration.png", out_dir);
    assert_int_equal(print_bitmap_write_png(&b, 300, path, err, sizeof err), 0);
    print_bitmap_free(&b);
    print_page_close(page);
}

static void test_bad_image_is_an_error(void **state)
{
    (void)state;
    char err[256] = "";
    struct print_page_setup setup = { .paper = PRINT_PAPER_A5 };
    struct print_page *page;
    assert_int_equal(print_page_open(&setup, &page, err, sizeof err), 0);
    const char junk[] = "\x89PNG\r\n\x1a\nnot really";
    assert_int_equal(print_page_image_png(page, junk, sizeof junk, 10, 10, 20, 20, err, sizeof err), -1);
    assert_true(strlen(err) > 0);
    assert_int_equal(print_page_image_png(page, "GIF89a", 6, 10, 10, 20, 20, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a PNG"));
    print_page_close(page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a4_size_and_a5),
        cmocka_unit_test(test_licence_qr_decodes_and_areas_inked),
        cmocka_unit_test(test_offset_shifts_every_dot),
        cmocka_unit_test(test_watermark_light_and_clear_of_text),
        cmocka_unit_test(test_calibration_crosses_at_marks),
        cmocka_unit_test(test_bad_image_is_an_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
