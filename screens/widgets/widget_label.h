/* A block of wrapped text. */
#pragma once
#include "firmware/gfx/text.h"

struct widget_label {
    struct ui_rect rect;
    const char *text;
    struct text_style style;
};

/* Draws the text wrapped into rect and registers it in the semantic frame; returns height used. */
int widget_label_draw(struct render *render, const struct widget_label *label);
