#include "screens/theme.h"

/* Colours checked for contrast >= 4.5:1 of text on its background (tests/unit/test_theme.c). */
static const struct theme theme_standard = {
    .background = { 0xF3, 0xF5, 0xF9, 255 },
    .surface = { 0xFF, 0xFF, 0xFF, 255 },
    .surface_pressed = { 0xDC, 0xE6, 0xF5, 255 },
    .text = { 0x17, 0x1C, 0x26, 255 },
    .text_muted = { 0x47, 0x52, 0x63, 255 },
    .primary = { 0x0A, 0x55, 0xB4, 255 },
    .primary_pressed = { 0x06, 0x3C, 0x82, 255 },
    .on_primary = { 0xFF, 0xFF, 0xFF, 255 },
    .border = { 0x73, 0x7F, 0x91, 255 }, /* >= 3:1 on background and surface: outlines are how tiles read */
    .danger = { 0xB4, 0x23, 0x18, 255 },
    .on_danger = { 0xFF, 0xFF, 0xFF, 255 },
    .scrim = { 0x10, 0x14, 0x1C, 150 },
    .success = { 0x1B, 0x6E, 0x3A, 255 },
    .warning = { 0x8A, 0x4B, 0x00, 255 },
    .text_caption = 32,
    .text_body = 36,
    .text_button = 40,
    .text_title = 52,
    .text_display = 68,
    .touch_min = 120,
    .space_s = 16,
    .space_m = 32,
    .space_l = 48,
    .margin = 56,
    .radius = 24,
    .stroke = 3,
};

static struct theme theme_elder;
static bool theme_elder_on;

static void theme_build_elder(void)
{
    theme_elder = theme_standard;
    theme_elder.text_caption = 44;
    theme_elder.text_body = 54;
    theme_elder.text_button = 60;
    theme_elder.text_title = 72;
    theme_elder.text_display = 88;
    theme_elder.touch_min = 160;
    theme_elder.space_m = 40;
    theme_elder.space_l = 56;
    theme_elder.stroke = 4;
}

const struct theme *theme_get(void)
{
    return theme_elder_on ? &theme_elder : &theme_standard;
}

void theme_set_elder_mode(bool on)
{
    if (on && theme_elder.text_body == 0)
        theme_build_elder();
    theme_elder_on = on;
}

bool theme_elder_mode(void)
{
    return theme_elder_on;
}
