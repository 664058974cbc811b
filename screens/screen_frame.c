#include "screens/screen_frame.h"

#include "firmware/core/i18n.h"
#include "screens/screen.h"
#include "firmware/gfx/text.h"
#include "screens/theme.h"
#include "screens/widgets/widget_label.h"

struct ui_rect screen_frame_draw(struct render *render, struct screen_frame *frame, const char *title)
{
    const struct theme *t = theme_get();
    const struct layout *l = &render->layout;
    render_clear(render, t->background);
    int bar_h = t->touch_min + 2 * t->space_m;
    render_fill_rect(render, (struct ui_rect){ 0, 0, l->width_du, bar_h }, t->primary);

    int button_w = theme_elder_mode() ? 240 : 200;
    frame->back.rect = (struct ui_rect){ t->space_m, t->space_m, button_w, t->touch_min };
    frame->back.text = _("Back");
    frame->back.style = BUTTON_SECONDARY;
    widget_button_draw(render, &frame->back);
    int title_x = t->space_m * 2 + button_w;
    int title_w = l->width_du - 2 * title_x;
    if (frame->show_home) {
        frame->home.rect = (struct ui_rect){ l->width_du - t->space_m - button_w, t->space_m, button_w, t->touch_min };
        frame->home.text = _("Home");
        frame->home.style = BUTTON_SECONDARY;
        widget_button_draw(render, &frame->home);
    }
    struct text_style style = { t->text_title, TEXT_BOLD, t->on_primary, TEXT_ALIGN_CENTER };
    style.size_du = text_fit_size_du(render, &style, title_w, title, t->text_body);
    int title_h = text_height_du(render, &style, title_w, title);
    struct widget_label label = { { title_x, (bar_h - title_h) / 2, title_w, title_h }, title, style };
    widget_label_draw(render, &label);
    return (struct ui_rect){ t->margin, bar_h + t->space_l, l->width_du - 2 * t->margin,
                             l->height_du - bar_h - t->space_l - t->margin };
}

bool screen_frame_event(struct screen_frame *frame, const struct ui_event *event)
{
    enum widget_result r = widget_button_event(&frame->back, event);
    if (r == WIDGET_ACTIVATED)
        screen_manager_pop();
    if (r != WIDGET_IGNORED)
        return true;
    if (!frame->show_home)
        return false;
    r = widget_button_event(&frame->home, event);
    if (r == WIDGET_ACTIVATED)
        screen_manager_pop_to_root();
    return r != WIDGET_IGNORED;
}
