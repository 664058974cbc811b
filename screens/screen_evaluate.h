/* 好差评's argument when a finished service asks for a rating: which service (its
 * implementation code and name, copied on entry). NULL from the home tile. */
#pragma once

struct evaluate_subject {
    const char *item_code;
    const char *item_name;
};
