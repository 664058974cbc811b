#include "screens/widgets/widget_button.h"

#include "screens/semantic.h"
#include "firmware/gfx/text.h"
#include "screens/theme.h"

void widget_button_draw(struct render *render, const struct widget_button *button)
{
    const struct theme *t = theme_get();
    struct ui_color fill, ink;
    switch (button->style) {
    case BUTTON_PRIMARY:
        fill = button->press.pressed ? t->primary_pressed : t->primary;
        ink = t->on_primary;
        break;
    case BUTTON_DANGER:
        fill = button->press.pressed ? t->primary_pressed : t->danger;
        ink = t->on_danger;
        break;
    default:
        fill = button->press.pressed ? t->surface_pressed : t->surface;
        ink = t->primary;
        break;
    }
    if (button->disabled) {
        fill = t->background;
        ink = t->text_muted;
    }
    render_fill_round_rect(render, button->rect, t->radius, fill);
    if (button->style == BUTTON_SECONDARY || button->disabled)
        render_stroke_round_rect(render, button->rect, t->radius, t->stroke,
                                 button->disabled ? t->border : t->primary);
    struct text_style style = { t->text_button, TEXT_BOLD, ink, TEXT_ALIGN_CENTER };
    int pad = t->space_s;
    int width = button->rect.w - 2 * pad;
    /* A label that would wrap at button size steps down to body size (still large enough
     * to read) before it wraps: a word split over two lines in a button is hard to read. */
    style.size_du = text_fit_size_du(render, &style, width, button->text, t->text_body);
    int height = text_height_du(render, &style, width, button->text);
    struct ui_rect box = { button->rect.x + pad, button->rect.y + (button->rect.h - height) / 2, width, height };
    text_draw(render, &style, box, button->text);
    semantic_add(SEMANTIC_BUTTON, button->rect, button->text, !button->disabled);
}

enum widget_result widget_button_event(struct widget_button *button, const struct ui_event *event)
{
    if (button->disabled || event->kind == UI_EVENT_KEY)
        return WIDGET_IGNORED;
    return widget_press_event(&button->press, button->rect, event);
}
