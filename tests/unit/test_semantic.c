/* The semantic frame that UI scripts (and later a screen reader) see: what can be found,
 * where it is, and what a modal dialog hides. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "screens/semantic.h"

static int setup_frame(void **state)
{
    (void)state;
    semantic_frame_begin();
    return 0;
}

static void assert_rect(struct ui_rect r, int x, int y, int w, int h)
{
    assert_int_equal(r.x, x);
    assert_int_equal(r.y, y);
    assert_int_equal(r.w, w);
    assert_int_equal(r.h, h);
}

static void test_find_touchable_prefers_the_modal_layer(void **state)
{
    (void)state;
    semantic_add(SEMANTIC_BUTTON, (struct ui_rect){ 40, 1700, 480, 160 }, "确定", true);
    semantic_add(SEMANTIC_BUTTON, (struct ui_rect){ 560, 1700, 480, 160 }, "返回", true);
    const struct semantic_node *found = semantic_find_touchable("确定");
    assert_non_null(found);
    assert_rect(found->bounds, 40, 1700, 480, 160);
    assert_false(found->modal);

    semantic_begin_modal();
    semantic_add(SEMANTIC_DIALOG, (struct ui_rect){ 100, 700, 880, 520 }, "打印机缺纸，请联系工作人员", true);
    semantic_add(SEMANTIC_BUTTON, (struct ui_rect){ 140, 1020, 800, 160 }, "确定", true);
    found = semantic_find_touchable("确定");
    assert_non_null(found);
    assert_true(found->modal);
    assert_rect(found->bounds, 140, 1020, 800, 160);
    /* Behind an open dialog nothing else can be touched. */
    assert_null(semantic_find_touchable("返回"));
    /* ...but it is still on screen. */
    assert_true(semantic_contains_text("返回"));
}

static void test_find_touchable_matches_whole_text_of_touchable_roles(void **state)
{
    (void)state;
    semantic_add(SEMANTIC_LABEL, (struct ui_rect){ 0, 0, 1080, 80 }, "证照打印", true);
    assert_null(semantic_find_touchable("证照打印"));
    semantic_add(SEMANTIC_TILE, (struct ui_rect){ 0, 100, 500, 300 }, "证照打印", true);
    semantic_add(SEMANTIC_KEY, (struct ui_rect){ 0, 500, 100, 100 }, "7", true);
    semantic_add(SEMANTIC_LIST_ITEM, (struct ui_rect){ 0, 600, 1080, 160 }, "居民身份证", true);
    semantic_add(SEMANTIC_INPUT, (struct ui_rect){ 0, 800, 1080, 120 }, "••••", true);
    const struct semantic_node *tile = semantic_find_touchable("证照打印");
    assert_non_null(tile);
    assert_int_equal(tile->role, SEMANTIC_TILE);
    assert_int_equal(semantic_find_touchable("7")->role, SEMANTIC_KEY);
    assert_int_equal(semantic_find_touchable("居民身份证")->role, SEMANTIC_LIST_ITEM);
    assert_int_equal(semantic_find_touchable("••••")->role, SEMANTIC_INPUT);
    /* Exact text only: a tap must not land on a near miss. */
    assert_null(semantic_find_touchable("打印"));
    assert_null(semantic_find_touchable("证照打印 "));
}

static void test_clip_trims_bounds_and_drops_hidden_nodes(void **state)
{
    (void)state;
    struct ui_rect list = { 0, 400, 1080, 1000 };
    struct ui_rect old = semantic_set_clip(list);
    /* Half scrolled out at the top. */
    semantic_add(SEMANTIC_LIST_ITEM, (struct ui_rect){ 40, 320, 1000, 160 }, "top", true);
    /* Fully inside. */
    semantic_add(SEMANTIC_LIST_ITEM, (struct ui_rect){ 40, 800, 1000, 160 }, "middle", true);
    /* Past the right and bottom edges. */
    semantic_add(SEMANTIC_LIST_ITEM, (struct ui_rect){ 1000, 1300, 200, 160 }, "corner", true);
    /* Scrolled out entirely, and touching the edge without overlapping: not visible. */
    semantic_add(SEMANTIC_LIST_ITEM, (struct ui_rect){ 40, 1500, 1000, 160 }, "below", true);
    semantic_add(SEMANTIC_LIST_ITEM, (struct ui_rect){ 40, 240, 1000, 160 }, "edge", true);
    assert_int_equal(semantic_count(), 3);
    assert_rect(semantic_node(0)->bounds, 40, 400, 1000, 80);
    assert_rect(semantic_node(1)->bounds, 40, 800, 1000, 160);
    assert_rect(semantic_node(2)->bounds, 1000, 1300, 80, 100);
    assert_null(semantic_find_touchable("below"));
    assert_false(semantic_contains_text("edge"));
    /* Restoring the old clip lets the whole canvas through again. */
    struct ui_rect returned = semantic_set_clip(old);
    assert_rect(returned, list.x, list.y, list.w, list.h);
    semantic_add(SEMANTIC_BUTTON, (struct ui_rect){ 40, 1700, 1000, 160 }, "footer", true);
    assert_rect(semantic_find_touchable("footer")->bounds, 40, 1700, 1000, 160);
}

static void test_contains_text_is_a_substring_search(void **state)
{
    (void)state;
    semantic_add(SEMANTIC_TILE, (struct ui_rect){ 0, 0, 500, 300 }, "证照打印", true);
    semantic_add(SEMANTIC_LABEL, (struct ui_rect){ 0, 300, 500, 80 }, "服务热线 0539-12345", true);
    assert_true(semantic_contains_text("打印"));
    assert_true(semantic_contains_text("证照打印"));
    assert_true(semantic_contains_text("0539-12345"));
    assert_false(semantic_contains_text("打印机"));
    assert_false(semantic_contains_text("12346"));
}

static void test_text_is_copied_and_frame_begin_clears(void **state)
{
    (void)state;
    char buffer[32] = "倒计时 20 秒";
    semantic_add(SEMANTIC_COUNTDOWN, (struct ui_rect){ 0, 0, 200, 200 }, buffer, true);
    semantic_add(SEMANTIC_BUTTON, (struct ui_rect){ 0, 200, 200, 120 }, NULL, false);
    strcpy(buffer, "changed");
    assert_string_equal(semantic_node(0)->text, "倒计时 20 秒");
    assert_string_equal(semantic_node(1)->text, "");
    assert_false(semantic_node(1)->enabled);
    assert_null(semantic_node(2));
    semantic_begin_modal();
    semantic_set_clip((struct ui_rect){ 0, 0, 1, 1 });
    /* A new frame starts empty, not modal and unclipped. */
    semantic_frame_begin();
    assert_int_equal(semantic_count(), 0);
    assert_false(semantic_contains_text("倒计时"));
    semantic_add(SEMANTIC_BUTTON, (struct ui_rect){ 500, 500, 100, 100 }, "ok", true);
    assert_false(semantic_node(0)->modal);
    assert_rect(semantic_node(0)->bounds, 500, 500, 100, 100);
}

static void test_role_names(void **state)
{
    (void)state;
    static const char *const names[SEMANTIC_ROLE_COUNT] = { "label", "button", "tile", "list-item", "key",
                                                            "dialog", "progress", "countdown", "input",
                                                            "candidate", "writing-pad" };
    for (int role = 0; role < SEMANTIC_ROLE_COUNT; role++)
        assert_string_equal(semantic_role_name((enum semantic_role)role), names[role]);
    assert_string_equal(semantic_role_name(SEMANTIC_ROLE_COUNT), "?");
}

int main(void)
{
#define FRAME_TEST(fn) cmocka_unit_test_setup(fn, setup_frame)
    const struct CMUnitTest tests[] = {
        FRAME_TEST(test_find_touchable_prefers_the_modal_layer),
        FRAME_TEST(test_find_touchable_matches_whole_text_of_touchable_roles),
        FRAME_TEST(test_clip_trims_bounds_and_drops_hidden_nodes),
        FRAME_TEST(test_contains_text_is_a_substring_search),
        FRAME_TEST(test_text_is_copied_and_frame_begin_clears),
        FRAME_TEST(test_role_names),
    };
    return cmocka_run_group_tests_name("semantic", tests, NULL, NULL);
}
