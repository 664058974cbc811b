#include "screens/widgets/widget_field.h"

#include "firmware/gfx/text.h"
#include "screens/semantic.h"
#include "screens/theme.h"
#include "screens/widgets/widget_label.h"

int widget_field_draw(struct render *render, struct widget_field *field)
{
    const struct theme *t = theme_get();
    const struct ui_rect rect = field->rect;
    struct widget_label caption = { { rect.x, rect.y, rect.w, 200 }, field->caption,
                                    { t->text_body, TEXT_BOLD, t->text, TEXT_ALIGN_LEFT } };
    int y = rect.y + widget_label_draw(render, &caption) + t->space_s;
    const bool empty = !field->value || !field->value[0];
    struct text_style style = { t->text_body, TEXT_REGULAR, empty ? t->text_muted : t->text, TEXT_ALIGN_LEFT };
    int line_h = text_line_height_du(render, &style);
    int lines = field->lines > 0 ? field->lines : 1;
    struct ui_rect box = { rect.x, y, rect.w, lines * line_h + 2 * t->space_m };
    if (box.h < t->touch_min)
        box.h = t->touch_min;
    field->box = box;
    render_fill_round_rect(render, box, t->radius / 2, t->surface);
    render_stroke_round_rect(render, box, t->radius / 2, field->editing ? 3 * t->stroke : t->stroke,
                             field->editing ? t->primary : t->border);
    const char *shown = empty ? field->hint : field->value;
    text_draw(render, &style, ui_rect_inset(box, t->space_m), shown);
    semantic_add(SEMANTIC_INPUT, box, shown, true); /* as the resident sees it */
    return box.y + box.h - rect.y;
}

enum widget_result widget_field_event(struct widget_field *field, const struct ui_event *event)
{
    return widget_press_event(&field->press, field->box, event);
}
