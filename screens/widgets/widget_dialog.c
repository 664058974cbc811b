#include "screens/widgets/widget_dialog.h"

#include "screens/semantic.h"
#include "firmware/gfx/text.h"
#include "screens/theme.h"

void widget_dialog_draw(struct render *render, struct widget_dialog *dialog)
{
    const struct theme *t = theme_get();
    const struct layout *l = &render->layout;
    render_fill_rect(render, (struct ui_rect){ 0, 0, l->width_du, l->height_du }, t->scrim);
    semantic_begin_modal();

    int width = (l->width_du < 1200 ? l->width_du : 1200) - 2 * t->margin;
    int inner = width - 2 * t->space_l;
    struct text_style title = { t->text_title, TEXT_BOLD, t->text, TEXT_ALIGN_CENTER };
    struct text_style body = { t->text_body, TEXT_REGULAR, t->text, TEXT_ALIGN_CENTER };
    int title_h = text_height_du(render, &title, inner, dialog->title);
    int body_h = dialog->message ? text_height_du(render, &body, inner, dialog->message) : 0;
    int buttons = (dialog->primary.text != NULL) + (dialog->secondary.text != NULL);
    int button_h = t->touch_min;
    int height = t->space_l + title_h + t->space_m + body_h + (dialog->extra_height ? t->space_m + dialog->extra_height : 0) +
                 (buttons ? t->space_l + button_h : 0) + t->space_l;
    dialog->panel = (struct ui_rect){ (l->width_du - width) / 2, (l->height_du - height) / 2, width, height };
    render_fill_round_rect(render, dialog->panel, t->radius, t->surface);
    semantic_add(SEMANTIC_DIALOG, dialog->panel, dialog->title, true);

    int x = dialog->panel.x + t->space_l, y = dialog->panel.y + t->space_l;
    text_draw(render, &title, (struct ui_rect){ x, y, inner, title_h }, dialog->title);
    semantic_add(SEMANTIC_LABEL, (struct ui_rect){ x, y, inner, title_h }, dialog->title, true);
    y += title_h + t->space_m;
    if (dialog->message) {
        text_draw(render, &body, (struct ui_rect){ x, y, inner, body_h }, dialog->message);
        semantic_add(SEMANTIC_LABEL, (struct ui_rect){ x, y, inner, body_h }, dialog->message, true);
        y += body_h;
    }
    dialog->extra = (struct ui_rect){ x, y + t->space_m, inner, dialog->extra_height };
    if (dialog->extra_height)
        y += t->space_m + dialog->extra_height;
    y += t->space_l;
    if (buttons == 2) {
        int half = (inner - t->space_m) / 2;
        dialog->secondary.rect = (struct ui_rect){ x, y, half, button_h };
        dialog->primary.rect = (struct ui_rect){ x + half + t->space_m, y, half, button_h };
        widget_button_draw(render, &dialog->secondary);
        widget_button_draw(render, &dialog->primary);
    } else if (dialog->primary.text) {
        dialog->primary.rect = (struct ui_rect){ x, y, inner, button_h };
        widget_button_draw(render, &dialog->primary);
    }
}

enum widget_dialog_choice widget_dialog_event(struct widget_dialog *dialog, const struct ui_event *event)
{
    if (dialog->primary.text && widget_button_event(&dialog->primary, event) == WIDGET_ACTIVATED)
        return DIALOG_PRIMARY;
    if (dialog->secondary.text && widget_button_event(&dialog->secondary, event) == WIDGET_ACTIVATED)
        return DIALOG_SECONDARY;
    return DIALOG_NONE;
}
