#include "firmware/app/script.h"

#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/gfx/linebreak.h"
#include "firmware/core/textfile.h"
#include "firmware/core/msg.h"
#include "firmware/gfx/ui.h"

static const struct {
    const char *name;
    enum script_args args;
} script_ops[SCRIPT_OP_COUNT] = {
#define SCRIPT_OP_SPEC(op, name, args) { name, args },
    SCRIPT_OP_LIST(SCRIPT_OP_SPEC)
#undef SCRIPT_OP_SPEC
};

const char *script_op_name(enum script_op op)
{
    return (unsigned)op < SCRIPT_OP_COUNT ? script_ops[op].name : "?";
}

static const char *script_skip_blanks(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Copies one blank-delimited token; returns the position after it, NULL when too long. */
static const char *script_token(const char *p, char *out, size_t size)
{
    size_t n = 0;
    while (*p && *p != ' ' && *p != '\t') {
        if (n + 1 >= size)
            return NULL;
        out[n++] = *p++;
    }
    out[n] = '\0';
    return p;
}

static bool script_valid_utf8(const char *s)
{
    size_t len = strlen(s);
    for (size_t off = 0; off < len;) {
        uint32_t cp;
        size_t used = linebreak_utf8_next(s + off, len - off, &cp);
        if (cp == LINEBREAK_REPLACEMENT && used == 1 && (unsigned char)s[off] >= 0x80)
            return false;
        off += used;
    }
    return true;
}

/* The rest of a line as text: trailing blanks trimmed, or kept inside "double quotes". */
static int script_text(const char *p, char *out, size_t size, char *reason, size_t rsize)
{
    p = script_skip_blanks(p);
    size_t n = strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
        p++;
        n -= 2;
    }
    if (n == 0) {
        snprintf(reason, rsize, "text expected");
        return -1;
    }
    if (n >= size) {
        snprintf(reason, rsize, "text longer than %zu bytes", size - 1);
        return -1;
    }
    memcpy(out, p, n);
    out[n] = '\0';
    if (!script_valid_utf8(out)) {
        snprintf(reason, rsize, "text is not valid UTF-8");
        return -1;
    }
    return 0;
}

static int script_int(const char *token, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(token, &end, 10);
    if (errno || end == token || *end || v < -100000 || v > 100000)
        return -1;
    *out = (int)v;
    return 0;
}

static int script_parse_args(struct script_step *step, enum script_args args, const char *p, char *reason,
                             size_t rsize)
{
    char a[SCRIPT_WORD_MAX], b[SCRIPT_WORD_MAX];
    switch (args) {
    case SCRIPT_ARGS_NONE:
        break;
    case SCRIPT_ARGS_POINT:
        p = script_token(script_skip_blanks(p), a, sizeof a);
        if (p)
            p = script_token(script_skip_blanks(p), b, sizeof b);
        if (!p || script_int(a, &step->x) < 0 || script_int(b, &step->y) < 0) {
            snprintf(reason, rsize, "expected two whole numbers X Y (design units)");
            return -1;
        }
        break;
    case SCRIPT_ARGS_TEXT:
        return script_text(p, step->text, sizeof step->text, reason, rsize);
    case SCRIPT_ARGS_WORD:
    case SCRIPT_ARGS_NAME:
        p = script_token(script_skip_blanks(p), step->word, sizeof step->word);
        if (!p || !step->word[0]) {
            snprintf(reason, rsize, "expected one word");
            return -1;
        }
        if (args == SCRIPT_ARGS_NAME)
            for (const char *c = step->word; *c; c++)
                if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_') {
                    snprintf(reason, rsize, "a shot name may use letters, digits, - and _ only");
                    return -1;
                }
        break;
    case SCRIPT_ARGS_SECONDS: {
        p = script_token(script_skip_blanks(p), a, sizeof a);
        char *end;
        step->seconds = p ? strtod(a, &end) : 0;
        if (!p || end == a || *end || !(step->seconds > 0 && step->seconds <= 86400)) {
            snprintf(reason, rsize, "expected seconds: a number above 0 and at most 86400");
            return -1;
        }
        break;
    }
    case SCRIPT_ARGS_NUMBER:
        p = script_token(script_skip_blanks(p), a, sizeof a);
        if (!p || script_int(a, &step->x) < 0 || step->x < 1 || step->x > 99) {
            snprintf(reason, rsize, "expected a whole number from 1 to 99");
            return -1;
        }
        break;
    case SCRIPT_ARGS_WORDS:
        p = script_token(script_skip_blanks(p), step->word, sizeof step->word);
        if (p)
            p = script_token(script_skip_blanks(p), step->word2, sizeof step->word2);
        if (!p || !step->word[0]) {
            snprintf(reason, rsize, "expected a word");
            return -1;
        }
        break;
    case SCRIPT_ARGS_WORD_WORD_TEXT:
        p = script_token(script_skip_blanks(p), step->word, sizeof step->word);
        if (p)
            p = script_token(script_skip_blanks(p), step->word2, sizeof step->word2);
        if (!p || !step->word[0] || !step->word2[0]) {
            snprintf(reason, rsize, "expected two words");
            return -1;
        }
        if (step->op == SCRIPT_PRINTER) { /* printer receipt FAULT [ROWS]: checked below */
            if (*script_skip_blanks(p))
                return script_text(p, step->text, sizeof step->text, reason, rsize);
            return 0;
        }
        if (msg_device_from_name(step->word) < 0) {
            snprintf(reason, rsize, "unknown device '%.40s' (" MSG_DEVICE_NAMES_HINT ")",
                     step->word);
            return -1;
        }
        if (strcmp(step->word2, "present") && strcmp(step->word2, "missing")) {
            snprintf(reason, rsize, "state must be present or missing, not '%.40s'", step->word2);
            return -1;
        }
        if (*script_skip_blanks(p) && step->op == SCRIPT_WAIT_DEVICE) {
            snprintf(reason, rsize, "unexpected text after the state");
            return -1;
        }
        if (*script_skip_blanks(p))
            return script_text(p, step->text, sizeof step->text, reason, rsize);
        return 0;
    }
    if (args != SCRIPT_ARGS_TEXT && *script_skip_blanks(p)) {
        snprintf(reason, rsize, "unexpected text after the arguments");
        return -1;
    }
    return 0;
}

/* card place FIXTURE | card remove; reader fault NAME (names are the board's to check). */
static int script_check_simulated_device(const struct script_step *step, char *reason, size_t rsize)
{
    if (step->op == SCRIPT_CARD && !((!strcmp(step->word, "place") && step->word2[0]) ||
                                     (!strcmp(step->word, "remove") && !step->word2[0]))) {
        snprintf(reason, rsize, "expected 'place FIXTURE' or 'remove'");
        return -1;
    }
    if (step->op == SCRIPT_READER && (strcmp(step->word, "fault") || !step->word2[0])) {
        snprintf(reason, rsize, "expected 'fault NAME'");
        return -1;
    }
    if (step->op == SCRIPT_PRINTER) {
        char *end = NULL;
        long rows = step->text[0] ? strtol(step->text, &end, 10) : 0;
        if ((strcmp(step->word, "receipt") && strcmp(step->word, "cert")) ||
            (step->text[0] && (*end || rows < 1 || rows > 1000000))) {
            snprintf(reason, rsize, "expected 'receipt FAULT [ROWS]' or 'cert FAULT [ROWS]'");
            return -1;
        }
    }
    return 0;
}

/* Words with a fixed vocabulary are checked now, so a typo fails before the script runs. */
static int script_check_words(const struct script_step *step, char *reason, size_t rsize)
{
    if (step->op == SCRIPT_KEY && ui_key_from_name(step->word) == UI_KEY_NONE) {
        snprintf(reason, rsize, "unknown key '%.40s' (back, enter, backspace, up, down, f1..f12)", step->word);
        return -1;
    }
    return script_check_simulated_device(step, reason, rsize);
}

int script_parse(const char *name, const char *text, struct script *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", name);
    size_t capacity = 0;
    int line_no = 0;
    for (const char *line = text; *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        line_no++;
        char buf[SCRIPT_TEXT_MAX + 64];
        char reason[160] = "";
        if (len >= sizeof buf) {
            snprintf(reason, sizeof reason, "line longer than %zu bytes", sizeof buf - 1);
            goto bad;
        }
        memcpy(buf, line, len);
        buf[len] = '\0';
        if (len && buf[len - 1] == '\r')
            buf[len - 1] = '\0';
        line = eol ? eol + 1 : line + len;
        const char *p = script_skip_blanks(buf);
        if (!*p || *p == '#')
            continue;
        char command[SCRIPT_WORD_MAX];
        p = script_token(p, command, sizeof command);
        int op = -1;
        for (int i = 0; p && i < SCRIPT_OP_COUNT; i++)
            if (!strcmp(script_ops[i].name, command))
                op = i;
        if (op < 0) {
            snprintf(reason, sizeof reason, "unknown command '%.40s'", p ? command : buf);
            goto bad;
        }
        if (out->count == capacity) {
            capacity = capacity ? capacity * 2 : 32;
            struct script_step *grown = realloc(out->steps, capacity * sizeof *grown);
            if (!grown) {
                snprintf(reason, sizeof reason, "out of memory");
                goto bad;
            }
            out->steps = grown;
        }
        struct script_step *step = &out->steps[out->count];
        memset(step, 0, sizeof *step);
        step->op = (enum script_op)op;
        step->line = line_no;
        if (script_parse_args(step, script_ops[op].args, p, reason, sizeof reason) < 0 ||
            script_check_words(step, reason, sizeof reason) < 0) {
            snprintf(err, errlen, "%s:%d: %s: %s", name, line_no, script_ops[op].name, reason);
            script_free(out);
            return -1;
        }
        out->count++;
        continue;
bad:
        snprintf(err, errlen, "%s:%d: %s", name, line_no, reason);
        script_free(out);
        return -1;
    }
    return 0;
}

int script_load(const char *path, struct script *out, char *err, size_t errlen)
{
    char *text;
    size_t used;
    /* A script is a page of commands: a megabyte is far past any real one. */
    if (textfile_read(path, 1 << 20, &text, &used, err, errlen) < 0)
        return -1;
    if (strlen(text) != used) {
        free(text);
        snprintf(err, errlen, "%s: contains a NUL byte; a script is text", path);
        return -1;
    }
    int rc = script_parse(path, text, out, err, errlen);
    free(text);
    return rc;
}

void script_free(struct script *script)
{
    free(script->steps);
    script->steps = NULL;
    script->count = 0;
}
