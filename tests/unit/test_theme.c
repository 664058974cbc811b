/* Readability rules of the design (section 6) checked on the theme itself: contrast of
 * every text colour on the backgrounds it is drawn on, type and touch sizes per mode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "firmware/gfx/render.h"
#include "screens/theme.h"

#define CONTRAST_MIN 4.5

/* The ratio function is the judge below, so it is checked against known WCAG values first. */
static void test_contrast_ratio_matches_wcag(void **state)
{
    (void)state;
    struct ui_color black = { 0, 0, 0, 255 }, white = { 255, 255, 255, 255 };
    struct ui_color grey77 = { 0x77, 0x77, 0x77, 255 }, grey76 = { 0x76, 0x76, 0x76, 255 };
    assert_float_equal(render_contrast_ratio(black, white), 21.0, 1e-9);
    assert_float_equal(render_contrast_ratio(white, black), 21.0, 1e-9);
    assert_float_equal(render_contrast_ratio(white, white), 1.0, 1e-9);
    /* #777 on white is the classic just-too-light grey; #767676 is the lightest that passes. */
    assert_true(render_contrast_ratio(grey77, white) < CONTRAST_MIN);
    assert_true(render_contrast_ratio(grey76, white) >= CONTRAST_MIN);
    assert_float_equal(render_contrast_ratio(grey77, white), 4.478, 0.001);
}

struct contrast_pair {
    const char *text, *background;
    size_t text_offset, background_offset;
};

#define PAIR(fg, bg) { #fg, #bg, offsetof(struct theme, fg), offsetof(struct theme, bg) }

/* Every pairing a screen draws: text on the page and on cards, pressed cards, filled
 * buttons (also pressed, and a pressed danger button, which turns primary_pressed), and
 * the status colours used as text (out of service, wrong PIN, device OK). */
static const struct contrast_pair contrast_pairs[] = {
    PAIR(text, background),           PAIR(text, surface),
    PAIR(text, surface_pressed),      PAIR(text_muted, background),
    PAIR(text_muted, surface),        PAIR(text_muted, surface_pressed),
    PAIR(on_primary, primary),        PAIR(on_primary, primary_pressed),
    PAIR(on_danger, danger),          PAIR(on_danger, primary_pressed),
    PAIR(primary, surface),           PAIR(primary, background),
    PAIR(danger, background),         PAIR(danger, surface),
    PAIR(success, background),        PAIR(success, surface),
    PAIR(warning, background),        PAIR(warning, surface),
};

static void assert_theme_contrast(const struct theme *theme, const char *mode)
{
    int failures = 0;
    for (size_t i = 0; i < sizeof contrast_pairs / sizeof contrast_pairs[0]; i++) {
        const struct contrast_pair *p = &contrast_pairs[i];
        struct ui_color fg = *(const struct ui_color *)((const char *)theme + p->text_offset);
        struct ui_color bg = *(const struct ui_color *)((const char *)theme + p->background_offset);
        assert_int_equal(fg.a, 255);
        assert_int_equal(bg.a, 255);
        double ratio = render_contrast_ratio(fg, bg);
        if (ratio < CONTRAST_MIN) {
            /* Name every failing pair, not just the first. */
            print_error("%s: %s on %s is %.2f:1, needs %.1f:1\n", mode, p->text, p->background, ratio,
                        CONTRAST_MIN);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

static void test_standard_text_contrast(void **state)
{
    (void)state;
    theme_set_elder_mode(false);
    assert_theme_contrast(theme_get(), "standard");
}

static void test_elder_text_contrast(void **state)
{
    (void)state;
    theme_set_elder_mode(true);
    assert_theme_contrast(theme_get(), "elder");
    theme_set_elder_mode(false);
}

/* Outlines are how a tile or a secondary button is seen at all (WCAG 1.4.11: 3:1 for
 * the boundaries of controls). */
static void test_outline_contrast(void **state)
{
    (void)state;
    const struct theme *t = theme_get();
    assert_true(render_contrast_ratio(t->border, t->background) >= 3.0);
    assert_true(render_contrast_ratio(t->border, t->surface) >= 3.0);
    assert_true(render_contrast_ratio(t->primary, t->surface) >= 3.0);
}

static void test_standard_sizes(void **state)
{
    (void)state;
    theme_set_elder_mode(false);
    assert_false(theme_elder_mode());
    const struct theme *t = theme_get();
    assert_true(t->text_body >= 36);
    assert_true(t->touch_min >= 120);
    /* The type scale climbs: a title is never smaller than the body it heads. */
    assert_true(t->text_caption <= t->text_body);
    assert_true(t->text_body <= t->text_button);
    assert_true(t->text_button <= t->text_title);
    assert_true(t->text_title <= t->text_display);
}

static void test_elder_mode_sizes_and_switching_back(void **state)
{
    (void)state;
    theme_set_elder_mode(false);
    const struct theme standard = *theme_get();
    theme_set_elder_mode(true);
    assert_true(theme_elder_mode());
    const struct theme *t = theme_get();
    assert_true(t->text_body >= 54);
    assert_true(t->touch_min >= 160);
    assert_true(t->text_caption >= standard.text_caption);
    assert_true(t->text_button >= standard.text_button);
    assert_true(t->text_title >= standard.text_title);
    assert_true(t->text_body <= t->text_button);
    /* Same colours: elder mode is bigger, not different. */
    assert_memory_equal(&t->text, &standard.text, sizeof t->text);
    assert_memory_equal(&t->background, &standard.background, sizeof t->background);
    theme_set_elder_mode(false);
    assert_false(theme_elder_mode());
    assert_int_equal(theme_get()->text_body, standard.text_body);
    assert_int_equal(theme_get()->touch_min, standard.touch_min);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contrast_ratio_matches_wcag),
        cmocka_unit_test(test_outline_contrast),
        cmocka_unit_test(test_standard_text_contrast),
        cmocka_unit_test(test_elder_text_contrast),
        cmocka_unit_test(test_standard_sizes),
        cmocka_unit_test(test_elder_mode_sizes_and_switching_back),
    };
    return cmocka_run_group_tests_name("theme", tests, NULL, NULL);
}
