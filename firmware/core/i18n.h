/* Translations through gettext. msgids are English; zh_CN is the default language.
 * Debian has no zh_CN.UTF-8 locale out of the box, so we run in C.UTF-8 and pick the
 * catalogue with LANGUAGE, which gettext honours whenever the locale is not plain "C". */
#pragma once
#include <libintl.h>

#define _(msgid) gettext(msgid)
#define N_(msgid) (msgid) /* marks a msgid for xgettext; translated later with _() */

/* Binds the "kiosk" domain to locale_dir (holding zh_CN/LC_MESSAGES/kiosk.mo). 0 or -1. */
int i18n_init(const char *locale_dir, const char *language);
/* "zh_CN" or "en"; takes effect on the next gettext call. */
void i18n_set_language(const char *language);
const char *i18n_language(void);
