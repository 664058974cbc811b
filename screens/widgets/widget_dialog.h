/* A modal dialog: a scrim over the screen, a panel with a title, a message, an optional
 * extra line drawn by the caller (a countdown), and one or two buttons. */
#pragma once
#include "firmware/gfx/render.h"
#include "screens/widgets/widget_button.h"

struct widget_dialog {
    const char *title;
    const char *message;
    struct widget_button primary;   /* text NULL: absent */
    struct widget_button secondary; /* text NULL: absent */
    int extra_height;               /* du reserved under the message for the caller */
    struct ui_rect panel;           /* computed by widget_dialog_draw */
    struct ui_rect extra;           /* where the caller draws its extra content */
};

enum widget_dialog_choice { DIALOG_NONE, DIALOG_PRIMARY, DIALOG_SECONDARY };

/* Lays out (centred on the canvas) and draws; registers a modal semantic layer. */
void widget_dialog_draw(struct render *render, struct widget_dialog *dialog);
/* Takes every pointer event (modal); tells which button was activated. */
enum widget_dialog_choice widget_dialog_event(struct widget_dialog *dialog, const struct ui_event *event);
