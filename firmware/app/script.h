/* Scripted sessions: a text file of commands, one per line, parsed whole before it runs
 * so a typo is reported (FILE:LINE: reason) before anything happens.
 *
 *   tap X Y              touch at design units X,Y (press + release)
 *   tap-text TEXT        touch the button/tile/key/list item whose text is TEXT
 *   type TEXT            tap each character's key on the on-screen keyboard
 *   type-from FILE       the same with the first line of FILE, waiting (real time) until FILE
 *                        exists: text the script cannot know when it is written, such as a
 *                        one-time code a test fetched from the platform emulator's "SMS"
 *                        while the kiosk runs. The text is never printed, not even on failure.
 *   write FIXTURE        write strokes on the keyboard's handwriting pad as a finger would:
 *                        FIXTURE (a path) holds one stroke a line, points "x,y" 0..1000
 *                        across the writing box, # comments
 *   pick-candidate N     tap the Nth character (1 = first) on the keyboard's candidate bar,
 *                        waiting (real time) for the handwriting worker's candidates
 *   expect-input TEXT    an input field on screen holds exactly TEXT
 *   key NAME             a hardware key: back, enter, backspace, up, down, f1..f12
 *   wait-screen NAME     until the top screen is NAME (workers may need a moment)
 *   expect-text TEXT     some text on screen contains TEXT
 *   expect-no-text TEXT  no text on screen contains TEXT
 *   wait-text TEXT       until some text on screen contains TEXT (a worker's result)
 *   advance SECONDS      move the fake clock (timers fire in order)
 *   shot NAME            write OUT/NAME.png and OUT/NAME.txt (the semantic frame)
 *   device NAME present|missing [REASON]   a device worker reports its state
 *   wait-device NAME present|missing       until the device's own worker has reported that
 *                        state (a real printer recovered, say)
 *   card place FIXTURE   lay a test card on the simulated reader (resident, permit-j …)
 *   card remove          lift it
 *   reader fault NAME    a fault of the simulated reader (none, bad-checksum, silence …)
 *   printer receipt FAULT [N]   a fault of the simulated receipt printer (none clears all and
 *                        loads paper; paper-out-after N rows, near-end, cover-open, offline,
 *                        cutter-jam, small-buffer)
 *   printer cert FAULT [N]      a fault of the simulated PCL certificate printer (none loads
 *                        paper and clears it; paper-empty, paper-empty-after N rows, error)
 *   quit                 stop here, successfully
 * TEXT is the rest of the line; "double quotes" keep leading or trailing spaces.
 * Blank lines and lines starting with # are ignored. */
#pragma once
#include <stddef.h>

#define SCRIPT_OP_LIST(OP)                         \
    OP(TAP, "tap", SCRIPT_ARGS_POINT)              \
    OP(TAP_TEXT, "tap-text", SCRIPT_ARGS_TEXT)     \
    OP(TYPE, "type", SCRIPT_ARGS_TEXT)             \
    OP(TYPE_FROM, "type-from", SCRIPT_ARGS_TEXT)   \
    OP(WRITE, "write", SCRIPT_ARGS_TEXT)           \
    OP(PICK_CANDIDATE, "pick-candidate", SCRIPT_ARGS_NUMBER) \
    OP(EXPECT_INPUT, "expect-input", SCRIPT_ARGS_TEXT) \
    OP(KEY, "key", SCRIPT_ARGS_WORD)               \
    OP(WAIT_SCREEN, "wait-screen", SCRIPT_ARGS_WORD) \
    OP(EXPECT_TEXT, "expect-text", SCRIPT_ARGS_TEXT) \
    OP(EXPECT_NO_TEXT, "expect-no-text", SCRIPT_ARGS_TEXT) \
    OP(WAIT_TEXT, "wait-text", SCRIPT_ARGS_TEXT)   \
    OP(ADVANCE, "advance", SCRIPT_ARGS_SECONDS)    \
    OP(SHOT, "shot", SCRIPT_ARGS_NAME)             \
    OP(DEVICE, "device", SCRIPT_ARGS_WORD_WORD_TEXT) \
    OP(WAIT_DEVICE, "wait-device", SCRIPT_ARGS_WORD_WORD_TEXT) \
    OP(CARD, "card", SCRIPT_ARGS_WORDS)            \
    OP(READER, "reader", SCRIPT_ARGS_WORDS)        \
    OP(PRINTER, "printer", SCRIPT_ARGS_WORD_WORD_TEXT) \
    OP(QUIT, "quit", SCRIPT_ARGS_NONE)

enum script_args {
    SCRIPT_ARGS_NONE,
    SCRIPT_ARGS_POINT,          /* two integers */
    SCRIPT_ARGS_TEXT,           /* the rest of the line, not empty */
    SCRIPT_ARGS_WORD,           /* one token */
    SCRIPT_ARGS_NAME,           /* one token safe as a file name: [A-Za-z0-9_-] */
    SCRIPT_ARGS_SECONDS,        /* a number > 0, at most one day */
    SCRIPT_ARGS_WORD_WORD_TEXT, /* two tokens, then optional text */
    SCRIPT_ARGS_WORDS,          /* one token, then an optional second */
    SCRIPT_ARGS_NUMBER,         /* a whole number 1..99, in x */
};

enum script_op {
#define SCRIPT_OP_ENUM(op, name, args) SCRIPT_##op,
    SCRIPT_OP_LIST(SCRIPT_OP_ENUM)
#undef SCRIPT_OP_ENUM
    SCRIPT_OP_COUNT
};

#define SCRIPT_TEXT_MAX 512
#define SCRIPT_WORD_MAX 64

struct script_step {
    enum script_op op;
    int line;
    int x, y;
    double seconds;
    char word[SCRIPT_WORD_MAX];
    char word2[SCRIPT_WORD_MAX];
    char text[SCRIPT_TEXT_MAX];
};

struct script {
    char name[256];
    struct script_step *steps;
    size_t count;
};

/* Parses text (named name in messages). 0, or -1 with "name:line: reason" in err. */
int script_parse(const char *name, const char *text, struct script *out, char *err, size_t errlen);
int script_load(const char *path, struct script *out, char *err, size_t errlen);
void script_free(struct script *script);
const char *script_op_name(enum script_op op);
