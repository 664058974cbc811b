#include "screens/widgets/widget_tile.h"

#include "screens/semantic.h"
#include "firmware/gfx/text.h"
#include "screens/theme.h"

void widget_tile_draw(struct render *render, const struct widget_tile *tile)
{
    const struct theme *t = theme_get();
    render_fill_round_rect(render, tile->rect, t->radius, tile->press.pressed ? t->surface_pressed : t->surface);
    render_stroke_round_rect(render, tile->rect, t->radius, t->stroke, tile->press.pressed ? t->primary : t->border);
    int bar = t->space_s;
    struct ui_rect accent = { tile->rect.x + t->space_m, tile->rect.y + t->space_m, bar, tile->rect.h - 2 * t->space_m };
    render_fill_round_rect(render, accent, bar / 2, tile->accent);

    int x = accent.x + bar + t->space_m * 3 / 4;
    int width = tile->rect.x + tile->rect.w - t->space_s - x;
    struct text_style title = { t->text_title, TEXT_BOLD, t->text, TEXT_ALIGN_LEFT };
    title.size_du = text_fit_size_du(render, &title, width, tile->title, t->text_button);
    struct text_style desc = { t->text_body, TEXT_REGULAR, t->text_muted, TEXT_ALIGN_LEFT };
    int title_h = text_height_du(render, &title, width, tile->title);
    int desc_h = tile->description ? text_height_du(render, &desc, width, tile->description) : 0;
    /* A short tile keeps its title and drops the description rather than cut it. */
    bool show_desc = tile->description && title_h + t->space_s + desc_h <= tile->rect.h - 2 * t->space_s;
    if (!show_desc)
        desc_h = 0;
    int gap = show_desc ? t->space_s : 0;
    int y = tile->rect.y + (tile->rect.h - title_h - gap - desc_h) / 2;
    text_draw(render, &title, (struct ui_rect){ x, y, width, title_h }, tile->title);
    if (show_desc)
        text_draw(render, &desc, (struct ui_rect){ x, y + title_h + gap, width, desc_h }, tile->description);
    semantic_add(SEMANTIC_TILE, tile->rect, tile->title, true);
}

enum widget_result widget_tile_event(struct widget_tile *tile, const struct ui_event *event)
{
    if (event->kind == UI_EVENT_KEY)
        return WIDGET_IGNORED;
    return widget_press_event(&tile->press, tile->rect, event);
}
