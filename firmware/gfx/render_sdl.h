/* The canvas's SDL surface, for the drawing engine itself and the board that shows it (and
 * tests that compare pixels). Nothing else includes this: the rest of the firmware draws
 * through render.h without SDL types. */
#pragma once
#include <SDL.h>

#include "firmware/gfx/render.h"

static inline SDL_Surface *render_sdl_surface(const struct render *render)
{
    return (SDL_Surface *)render->surface;
}
