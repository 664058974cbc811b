/* Touch screen test for technicians: touch every key of the on-screen keyboard once. Each
 * key touched is marked on the keyboard and counted; what is typed is echoed, so a key that
 * registers as its neighbour shows up too. */
#include <stdio.h>
#include <string.h>

#include "firmware/core/i18n.h"
#include "screens/screen_frame.h"
#include "screens/screen_list.h"
#include "screens/semantic.h"
#include "firmware/gfx/text.h"
#include "screens/theme.h"
#include "screens/widgets/widget_keyboard.h"
#include "screens/widgets/widget_label.h"
#include "screens/widgets/widget_progress.h"

static struct {
    struct screen_frame frame;
    struct widget_keyboard keyboard;
    char typed[64];
    bool tested[KEYBOARD_KEY_COUNT];
    int tested_count;
} touch_test;

static void touch_test_enter(const void *arg)
{
    (void)arg;
    memset(&touch_test, 0, sizeof touch_test);
    touch_test.keyboard.text = touch_test.typed;
    touch_test.keyboard.text_size = sizeof touch_test.typed;
    touch_test.keyboard.marked = touch_test.tested;
    touch_test.keyboard.typed_key = -1;
}

/* The echo box: the end of what was typed, which is what the tester just touched. */
static void touch_test_draw_echo(struct render *render, struct ui_rect box)
{
    const struct theme *t = theme_get();
    render_fill_round_rect(render, box, t->radius, t->surface);
    render_stroke_round_rect(render, box, t->radius, t->stroke, t->primary);
    struct ui_rect inner = { box.x + t->space_m, box.y, box.w - 2 * t->space_m, box.h };
    struct text_style style = { t->text_title, TEXT_REGULAR, t->text, TEXT_ALIGN_LEFT };
    const char *shown = touch_test.typed;
    while (*shown && text_measure_du(render, &style, shown) > inner.w)
        shown++; /* the keyboard types ASCII only, so one byte is one character */
    bool empty = !*shown;
    if (empty) {
        style = (struct text_style){ t->text_body, TEXT_REGULAR, t->text_muted, TEXT_ALIGN_LEFT };
        shown = _("What you type appears here");
    }
    int h = text_line_height_du(render, &style);
    struct ui_rect line = { inner.x, inner.y + (inner.h - h) / 2, inner.w, h };
    text_draw(render, &style, line, shown);
    semantic_add(SEMANTIC_INPUT, box, touch_test.typed, true);
    if (empty)
        semantic_add(SEMANTIC_LABEL, line, shown, true);
}

static int touch_test_draw_progress(struct render *render, struct ui_rect box)
{
    char text[128];
    snprintf(text, sizeof text, _("%d of %d keys tested"), touch_test.tested_count, KEYBOARD_KEY_COUNT);
    struct widget_progress progress = { box, (double)touch_test.tested_count / KEYBOARD_KEY_COUNT, text };
    return widget_progress_draw(render, &progress);
}

static void touch_test_draw(struct render *render)
{
    const struct theme *t = theme_get();
    const struct layout *l = &render->layout;
    struct ui_rect content = screen_frame_draw(render, &touch_test.frame, _("Touch screen test"));
    bool done = touch_test.tested_count == KEYBOARD_KEY_COUNT;

    /* The keyboard's tray spans the whole width: wider keys, and on a landscape screen the
     * width buys a layout with fewer rows. */
    struct ui_rect keys = { 0, 0, l->width_du, 0 };
    keys.h = widget_keyboard_height(keys.w);

    /* Once every key answered, the instruction gives way to the result. */
    struct widget_label message = { { content.x, content.y, content.w, 400 },
                                    _("Touch every key on the keyboard below once. A key you have touched gets a green "
                                      "bar at its foot, and what you type appears in the box."),
                                    { t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_LEFT } };
    struct widget_label result = { message.rect, _("All keys respond. The touch screen works."),
                                   { t->text_title, TEXT_BOLD, t->success, TEXT_ALIGN_LEFT } };
    /* Room for the longer of the two, so the keys do not move under the last touch. */
    int message_h = text_height_du(render, &message.style, content.w, message.text);
    int result_h = text_height_du(render, &result.style, content.w, result.text);
    if (message_h < result_h)
        message_h = result_h;
    if (done)
        message = result;
    int echo_h = t->touch_min;
    bool portrait = layout_is_portrait(l);
    int progress_h = text_line_height_du(render, &(struct text_style){ t->text_body, TEXT_BOLD, t->text, TEXT_ALIGN_LEFT });
    int info_h = portrait ? echo_h + t->space_m + progress_h : echo_h;
    /* A short (landscape) screen keeps the keyboard, the echo and the count; the message
     * goes first when there is no room for it. */
    int room = l->height_du - content.y - keys.h - info_h - t->space_l; /* the tray may reach the edge */
    bool show_message = room >= message_h + t->space_m;

    int y = content.y;
    if (show_message) {
        message.rect.h = message_h;
        widget_label_draw(render, &message);
        y += message_h + t->space_m;
    }
    if (portrait) {
        touch_test_draw_echo(render, (struct ui_rect){ content.x, y, content.w, echo_h });
        y += echo_h + t->space_m;
        y += touch_test_draw_progress(render, (struct ui_rect){ content.x, y, content.w, progress_h });
    } else {
        int half = (content.w - t->space_l) / 2;
        touch_test_draw_echo(render, (struct ui_rect){ content.x, y, half, echo_h });
        touch_test_draw_progress(render, (struct ui_rect){ content.x + half + t->space_l, y + (echo_h - progress_h) / 2,
                                                           half, progress_h });
        y += echo_h;
    }
    keys.y = y + t->space_l;
    touch_test.keyboard.rect = keys;
    widget_keyboard_draw(render, &touch_test.keyboard);
}

static bool touch_test_event(const struct ui_event *event)
{
    if (screen_frame_event(&touch_test.frame, event))
        return true;
    enum widget_result r = widget_keyboard_event(&touch_test.keyboard, event);
    int key = touch_test.keyboard.typed_key;
    if (key >= 0 && !touch_test.tested[key]) {
        touch_test.tested[key] = true;
        touch_test.tested_count++;
        screen_request_redraw();
    }
    return r != WIDGET_IGNORED;
}

const struct screen screen_touch_test = {
    .name = "touch_test",
    .enter = touch_test_enter,
    .event = touch_test_event,
    .draw = touch_test_draw,
};
