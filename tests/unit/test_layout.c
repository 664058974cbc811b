/* Design units to pixels on the three displays the kiosk ships with: the short side is
 * always 1080 du, and a row of touching rects stays touching after rounding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "firmware/gfx/layout.h"

static void test_portrait_1080x1920_is_one_to_one(void **state)
{
    (void)state;
    struct layout layout;
    layout_init(&layout, 1080, 1920);
    assert_int_equal(layout.width_du, 1080);
    assert_int_equal(layout.height_du, 1920);
    assert_true(layout.scale == 1.0);
    assert_true(layout_is_portrait(&layout));
    assert_int_equal(layout_du_to_px(&layout, 36), 36);
    assert_int_equal(layout_du_to_px(&layout, 1920), 1920);
    assert_int_equal(layout_px_to_du(&layout, 537), 537);
}

static void test_landscape_1920x1080_keeps_scale_one(void **state)
{
    (void)state;
    struct layout layout;
    layout_init(&layout, 1920, 1080);
    assert_int_equal(layout.width_du, 1920);
    assert_int_equal(layout.height_du, 1080);
    assert_true(layout.scale == 1.0);
    assert_false(layout_is_portrait(&layout));
    assert_int_equal(layout_du_to_px(&layout, 120), 120);
}

static void test_landscape_1280x800_scales_short_side_to_1080_du(void **state)
{
    (void)state;
    struct layout layout;
    layout_init(&layout, 1280, 800);
    assert_int_equal(layout.width_du, 1728);
    assert_int_equal(layout.height_du, 1080);
    assert_float_equal(layout.scale, 800.0 / 1080.0, 1e-9);
    assert_false(layout_is_portrait(&layout));
    /* The canvas edges land exactly on the display edges. */
    assert_int_equal(layout_du_to_px(&layout, 1080), 800);
    assert_int_equal(layout_du_to_px(&layout, 1728), 1280);
    /* 120 du touch target -> 88.9 px, 36 du body text -> 26.7 px: rounded to nearest. */
    assert_int_equal(layout_du_to_px(&layout, 120), 89);
    assert_int_equal(layout_du_to_px(&layout, 36), 27);
    assert_int_equal(layout_px_to_du(&layout, 800), 1080);
    assert_int_equal(layout_px_to_du(&layout, 89), 120);
    assert_int_equal(layout_px_to_du(&layout, 0), 0);
}

/* A row of rects with awkward widths, each starting where the previous one ends in du,
 * must cover [x, end) in px with no gap and no overlap, on every display. */
static void test_touching_rects_stay_touching(void **state)
{
    (void)state;
    static const int displays[][2] = { { 1080, 1920 }, { 1920, 1080 }, { 1280, 800 }, { 800, 1280 },
                                       { 1366, 768 } };
    static const int widths[] = { 1, 7, 33, 100, 161, 2, 5, 250, 13, 1 };
    for (size_t d = 0; d < sizeof displays / sizeof displays[0]; d++) {
        struct layout layout;
        layout_init(&layout, displays[d][0], displays[d][1]);
        for (int start = 0; start < 40; start += 3) {
            int x = start, y = start * 7;
            struct ui_rect previous_px = { 0, 0, 0, 0 };
            int total_px = 0;
            for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
                struct ui_rect du = { x, y, widths[i], 57 };
                struct ui_rect px = layout_rect_to_px(&layout, du);
                assert_true(px.w >= 0);
                if (i > 0) {
                    assert_int_equal(px.x, previous_px.x + previous_px.w);
                    assert_int_equal(px.y, previous_px.y);
                    assert_int_equal(px.h, previous_px.h);
                }
                total_px += px.w;
                previous_px = px;
                x += widths[i];
            }
            /* The row as a whole is exactly as wide as one rect spanning it. */
            struct ui_rect whole = layout_rect_to_px(&layout, (struct ui_rect){ start, y, x - start, 57 });
            assert_int_equal(total_px, whole.w);
        }
        /* A column of rows: the same in the other direction. */
        int y = 0;
        struct ui_rect above = layout_rect_to_px(&layout, (struct ui_rect){ 0, y, 10, 0 });
        for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
            struct ui_rect px = layout_rect_to_px(&layout, (struct ui_rect){ 0, y, 10, widths[i] });
            assert_int_equal(px.y, above.y + above.h);
            above = px;
            y += widths[i];
        }
    }
}

static void test_full_canvas_rect_covers_the_display(void **state)
{
    (void)state;
    static const int displays[][2] = { { 1080, 1920 }, { 1920, 1080 }, { 1280, 800 } };
    for (size_t d = 0; d < sizeof displays / sizeof displays[0]; d++) {
        struct layout layout;
        layout_init(&layout, displays[d][0], displays[d][1]);
        struct ui_rect px = layout_rect_to_px(&layout, (struct ui_rect){ 0, 0, layout.width_du, layout.height_du });
        assert_int_equal(px.x, 0);
        assert_int_equal(px.y, 0);
        assert_int_equal(px.w, displays[d][0]);
        assert_int_equal(px.h, displays[d][1]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_portrait_1080x1920_is_one_to_one),
        cmocka_unit_test(test_landscape_1920x1080_keeps_scale_one),
        cmocka_unit_test(test_landscape_1280x800_scales_short_side_to_1080_du),
        cmocka_unit_test(test_touching_rects_stay_touching),
        cmocka_unit_test(test_full_canvas_rect_covers_the_display),
    };
    return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
