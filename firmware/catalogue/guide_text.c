#include "firmware/catalogue/guide_text.h"

#include <stdio.h>

#include "firmware/core/i18n.h"

static const char *const guide_section_titles[GUIDE_SECTION_COUNT] = {
    N_("What to bring"), N_("How it works"), N_("How long"), N_("What it costs"), N_("Where to go"), N_("Questions"),
};

const char *guide_text_section_title(enum guide_section section)
{
    return (unsigned)section < GUIDE_SECTION_COUNT ? _(guide_section_titles[section]) : "";
}

const char *guide_text_form(enum catalogue_form form)
{
    switch (form) {
    case CATALOGUE_FORM_ORIGINAL: return _("original");
    case CATALOGUE_FORM_COPY: return _("copy");
    default: return _("original and copy");
    }
}

void guide_text_limit(const struct catalogue_limit *limit, char *out, size_t size)
{
    if (limit->unit == CATALOGUE_UNIT_IMMEDIATE)
        snprintf(out, size, "%s", _("done on the spot"));
    else if (limit->unit == CATALOGUE_UNIT_WORKING_DAYS)
        snprintf(out, size, _("%d working days"), limit->value);
    else
        snprintf(out, size, _("%d days"), limit->value);
}
