#include "screens/widgets/widget_label.h"

#include "screens/semantic.h"

int widget_label_draw(struct render *render, const struct widget_label *label)
{
    int used = text_draw(render, &label->style, label->rect, label->text);
    struct ui_rect bounds = label->rect;
    if (used < bounds.h)
        bounds.h = used;
    semantic_add(SEMANTIC_LABEL, bounds, label->text, true);
    return used;
}
