#include "firmware/core/i18n.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "firmware/core/log.h"

/* glibc's catalogue generation counter: bumping it drops gettext's lookup cache,
 * the documented way to make a LANGUAGE change take effect at run time. */
extern int _nl_msg_cat_cntr;

static char i18n_current[16] = "zh_CN";

int i18n_init(const char *locale_dir, const char *language)
{
    if (!setlocale(LC_ALL, "C.UTF-8")) {
        log_error("i18n", "the C.UTF-8 locale is missing (package libc-bin)");
        return -1;
    }
    if (!bindtextdomain("kiosk", locale_dir) || !bind_textdomain_codeset("kiosk", "UTF-8") ||
        !textdomain("kiosk")) {
        log_error("i18n", "cannot bind translations in %s", locale_dir);
        return -1;
    }
    /* gettext falls back to the English msgids without a word when the catalogue is
     * missing; say so once, where a technician will look. */
    char mo[1024];
    snprintf(mo, sizeof mo, "%s/zh_CN/LC_MESSAGES/kiosk.mo", locale_dir);
    if (access(mo, R_OK) != 0)
        log_error("i18n", "Chinese translations missing: %s (build them with make)", mo);
    i18n_set_language(language);
    return 0;
}

void i18n_set_language(const char *language)
{
    snprintf(i18n_current, sizeof i18n_current, "%s", language);
    setenv("LANGUAGE", i18n_current, 1);
    ++_nl_msg_cat_cntr;
}

const char *i18n_language(void)
{
    return i18n_current;
}
