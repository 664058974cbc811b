/* script_parse on arbitrary bytes: UI-test scripts come from files anyone can edit. Beyond
 * "no crash", a parse either yields well-formed steps or one "NAME:LINE: reason" and
 * nothing to free. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "firmware/gfx/linebreak.h"
#include "firmware/app/script.h"

static int fuzz_count_lines(const char *text)
{
    int lines = *text ? 1 : 0;
    for (const char *p = text; *p; p++)
        if (*p == '\n' && p[1])
            lines++;
    return lines;
}

static int fuzz_valid_utf8(const char *s)
{
    size_t len = strlen(s);
    for (size_t off = 0; off < len;) {
        uint32_t cp;
        size_t used = linebreak_utf8_next(s + off, len - off, &cp);
        if (cp == LINEBREAK_REPLACEMENT && used == 1 && (unsigned char)s[off] >= 0x80)
            return 0;
        off += used;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The parser takes a C string, as script_load gives it (which refuses NUL bytes). */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct script script;
    char err[256] = "";
    int lines = fuzz_count_lines(text);
    if (script_parse("fuzz.txt", text, &script, err, sizeof err) == 0) {
        int previous_line = 0;
        for (size_t i = 0; i < script.count; i++) {
            const struct script_step *step = &script.steps[i];
            FUZZ_CHECK((unsigned)step->op < SCRIPT_OP_COUNT);
            FUZZ_CHECK(step->line > previous_line && step->line <= lines);
            previous_line = step->line;
            FUZZ_CHECK(memchr(step->text, '\0', sizeof step->text));
            FUZZ_CHECK(memchr(step->word, '\0', sizeof step->word));
            FUZZ_CHECK(memchr(step->word2, '\0', sizeof step->word2));
            FUZZ_CHECK(fuzz_valid_utf8(step->text));
            if (step->op == SCRIPT_ADVANCE)
                FUZZ_CHECK(step->seconds > 0 && step->seconds <= 86400);
            if (step->op == SCRIPT_TAP_TEXT || step->op == SCRIPT_TYPE || step->op == SCRIPT_EXPECT_TEXT ||
                step->op == SCRIPT_EXPECT_NO_TEXT)
                FUZZ_CHECK(step->text[0] != '\0');
        }
        script_free(&script);
    } else {
        FUZZ_CHECK(!strncmp(err, "fuzz.txt:", 9));
        FUZZ_CHECK(atoi(err + 9) >= 1 && atoi(err + 9) <= lines);
        FUZZ_CHECK(script.steps == NULL && script.count == 0);
    }
    free(text);
    return 0;
}
