/* Words of a service guide shared by the guide screen and the printed guide receipt, so the
 * screen and the paper say the same thing in the same words. Returned strings are
 * translated (gettext) for the current language. */
#pragma once
#include <stddef.h>

#include "firmware/catalogue/catalogue.h"

enum guide_section { GUIDE_BRING, GUIDE_HOW, GUIDE_TIME, GUIDE_COST, GUIDE_WHERE, GUIDE_FAQ, GUIDE_SECTION_COUNT };

const char *guide_text_section_title(enum guide_section section);
/* 原件 / 复印件 / 原件和复印件 */
const char *guide_text_form(enum catalogue_form form);
/* "20个工作日", "15天", "即办" */
void guide_text_limit(const struct catalogue_limit *limit, char *out, size_t size);
