#include "firmware/app/script_run.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "firmware/app/app.h"
#include "board/board.h"
#include "board/board_sim.h"
#include "firmware/core/textfile.h"
#include "firmware/core/clock.h"
#include "firmware/core/i18n.h"
#include "firmware/gfx/linebreak.h"
#include "screens/screen.h"
#include "screens/semantic.h"
#include "firmware/core/timer.h"

/* How long wait-screen and wait-text wait in real time for workers before giving up
 * (generous: sanitizer builds on a busy CI machine are slow). */
#define SCRIPT_WAIT_MS 10000

static int script_fail(const struct script *script, const struct script_step *step, const char *fmt, ...)
{
    char reason[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s:%d: %s: %s\n", script->name, step->line, script_op_name(step->op), reason);
    return -1;
}

/* What a tester needs when a lookup fails: the touchable texts on screen now. */
static void script_list_touchables(char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < semantic_count() && used + 4 < size; i++) {
        const struct semantic_node *n = semantic_node(i);
        if (n->role == SEMANTIC_LABEL || n->role == SEMANTIC_DIALOG)
            continue;
        int w = snprintf(out + used, size - used, "%s'%s'", used ? ", " : "", n->text);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
}

static void script_tap(int x, int y)
{
    struct ui_event press = { .kind = UI_EVENT_PRESS, .x = x, .y = y };
    struct ui_event release = { .kind = UI_EVENT_RELEASE, .x = x, .y = y };
    app_inject_input(&press);
    app_step();
    app_inject_input(&release);
    app_step();
}

static int script_tap_text(const struct script *script, const struct script_step *step, const char *text)
{
    app_step();
    const struct semantic_node *node = semantic_find_touchable(text);
    /* A key that waits for its worker (拼音 while rime deploys) is tapped once it is enabled,
     * as a resident would tap it again. */
    for (int waited = 0; node && !node->enabled && waited < SCRIPT_WAIT_MS; waited += 20) {
        app_wait_message(20);
        app_step();
        node = semantic_find_touchable(text);
    }
    if (!node) {
        char seen[700];
        script_list_touchables(seen, sizeof seen);
        return script_fail(script, step, "nothing touchable reads '%s' on screen %s (touchable: %s)", text,
                           screen_manager_top_name(), seen);
    }
    if (!node->enabled)
        return script_fail(script, step, "'%s' is disabled", text);
    script_tap(node->bounds.x + node->bounds.w / 2, node->bounds.y + node->bounds.h / 2);
    return 0;
}

static int script_type(const struct script *script, const struct script_step *step)
{
    const char *text = step->text;
    size_t len = strlen(text);
    for (size_t off = 0; off < len;) {
        uint32_t cp;
        size_t used = linebreak_utf8_next(text + off, len - off, &cp);
        char key[8];
        const char *label = key;
        if (cp == ' ')
            label = _("Space");
        else
            snprintf(key, sizeof key, "%.*s", (int)used, text + off);
        if (script_tap_text(script, step, label) < 0)
            return -1;
        off += used;
    }
    return 0;
}

/* type-from FILE: the first line of a file another process writes while the script runs (a
 * test that asked the platform emulator for the code it "sent"). The text is personal-ish
 * (a one-time code): never printed, wiped after typing. */
static int script_type_from(const struct script *script, const struct script_step *step)
{
    char text[SCRIPT_TEXT_MAX] = "";
    FILE *f = NULL;
    for (int waited = 0; !(f = fopen(step->text, "r")); waited += 50) {
        if (waited >= SCRIPT_WAIT_MS)
            return script_fail(script, step, "%s did not appear within %d ms", step->text, SCRIPT_WAIT_MS);
        app_wait_message(50);
        app_step();
    }
    struct stat st;
    if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return script_fail(script, step, "%s is not a file", step->text);
    }
    bool read = fgets(text, sizeof text, f) != NULL;
    fclose(f);
    text[strcspn(text, "\r\n")] = '\0';
    if (!read || !text[0])
        return script_fail(script, step, "%s has no text on its first line", step->text);
    int rc = 0;
    size_t len = strlen(text), n = 0;
    for (size_t off = 0; off < len; n++) {
        uint32_t cp;
        size_t used = linebreak_utf8_next(text + off, len - off, &cp);
        char key[8];
        if (cp == ' ')
            snprintf(key, sizeof key, "%s", _("Space"));
        else
            snprintf(key, sizeof key, "%.*s", (int)used, text + off);
        app_step();
        const struct semantic_node *node = semantic_find_touchable(key);
        explicit_bzero(key, sizeof key);
        if (!node || !node->enabled) {
            rc = script_fail(script, step, "character %zu of %s has %s on screen %s", n + 1, step->text,
                             node ? "a disabled key" : "no key", screen_manager_top_name());
            break;
        }
        script_tap(node->bounds.x + node->bounds.w / 2, node->bounds.y + node->bounds.h / 2);
        off += used;
    }
    explicit_bzero(text, sizeof text);
    return rc;
}

static int script_advance(double seconds)
{
    int64_t target = clock_now_ms() + (int64_t)(seconds * 1000 + 0.5);
    /* Step through each deadline so timers fire at their own time, in order. */
    for (;;) {
        app_step();
        int64_t next = timer_next_deadline();
        if (next > target)
            break;
        clock_advance_fake(next - clock_now_ms());
    }
    clock_advance_fake(target - clock_now_ms());
    app_step();
    return 0;
}

/* Waits (real time; the fake clock stands still) for workers' messages until the screen
 * shows what the step asks for. */
static int script_wait_screen(const struct script *script, const struct script_step *step)
{
    for (int waited = 0;; waited += 50) {
        app_step();
        if (!strcmp(screen_manager_top_name(), step->word))
            return 0;
        if (waited >= SCRIPT_WAIT_MS)
            return script_fail(script, step, "screen is '%s', not '%s', after %d ms", screen_manager_top_name(),
                               step->word, SCRIPT_WAIT_MS);
        app_wait_message(50);
    }
}

static int script_wait_text(const struct script *script, const struct script_step *step)
{
    for (int waited = 0;; waited += 50) {
        app_step();
        if (semantic_contains_text(step->text))
            return 0;
        if (waited >= SCRIPT_WAIT_MS)
            return script_fail(script, step, "no text containing '%s' on screen %s after %d ms", step->text,
                               screen_manager_top_name(), SCRIPT_WAIT_MS);
        app_wait_message(50);
    }
}

static int script_shot(const struct script *script, const struct script_step *step, const char *out_dir)
{
    app_step();
    char path[1024], err[1200];
    snprintf(path, sizeof path, "%s/%s.png", out_dir, step->word);
    if (render_save_png(app_render(), path, err, sizeof err) < 0)
        return script_fail(script, step, "%s", err);
    snprintf(path, sizeof path, "%s/%s.txt", out_dir, step->word);
    FILE *f = fopen(path, "w");
    if (!f)
        return script_fail(script, step, "cannot write %s: %s", path, strerror(errno));
    fprintf(f, "screen %s\n", screen_manager_top_name());
    for (size_t i = 0; i < semantic_count(); i++) {
        const struct semantic_node *n = semantic_node(i);
        fprintf(f, "%s%s %d %d %d %d %s\n", n->modal ? "modal " : "", semantic_role_name(n->role), n->bounds.x,
                n->bounds.y, n->bounds.w, n->bounds.h, n->text);
    }
    fclose(f);
    return 0;
}

static int script_device(const struct script *script, const struct script_step *step)
{
    /* Names and states were checked when the script was parsed. */
    int device = msg_device_from_name(step->word);
    bool present = !strcmp(step->word2, "present");
    /* Posted through the queue exactly as a device worker thread reports. */
    struct msg m = { .kind = MSG_DEVICE_STATUS };
    m.u.device_status.device = (enum device_id)device;
    m.u.device_status.present = present;
    if (strlen(step->text) >= sizeof m.u.device_status.reason)
        return script_fail(script, step, "reason longer than %zu bytes", sizeof m.u.device_status.reason - 1);
    memcpy(m.u.device_status.reason, step->text, strlen(step->text) + 1);
    /* A worker's first report comes when it has looked at its device; pretending a state
     * before that would be undone by it. */
    for (int waited = 0; app_device_awaiting_first_report((enum device_id)device) && waited < SCRIPT_WAIT_MS; waited += 20)
        app_wait_message(20);
    if (app_device_awaiting_first_report((enum device_id)device))
        return script_fail(script, step, "the %s worker gave no state within %d ms", step->word, SCRIPT_WAIT_MS);
    if (msgqueue_post(app_queue(), &m) < 0)
        return script_fail(script, step, "message queue full");
    app_step();
    return 0;
}

/* Waits for the device's own worker, never pretends: the state the app was last told. */
static int script_wait_device(const struct script *script, const struct script_step *step)
{
    const enum device_id device = (enum device_id)msg_device_from_name(step->word);
    const bool present = !strcmp(step->word2, "present");
    for (int waited = 0;; waited += 50) {
        app_step();
        if (!app_device_awaiting_first_report(device) && app_device_present(device) == present)
            return 0;
        if (waited >= SCRIPT_WAIT_MS) {
            const char *reason = app_device_reason(device);
            return script_fail(script, step, "the %s worker did not report %s within %d ms (%s%s%s)", step->word,
                               step->word2, SCRIPT_WAIT_MS, app_device_present(device) ? "present" : "missing",
                               reason && reason[0] ? ": " : "", reason ? reason : "");
        }
        app_wait_message(50);
    }
}

/* printer receipt|cert FAULT [ROWS]: the simulated receipt printer runs out of paper, opens
 * ...; the simulated PCL certificate printer's tray runs empty or it stops in error. */
static int script_simulated_printer(const struct script *script, const struct script_step *step)
{
    const unsigned rows = step->text[0] ? (unsigned)strtoul(step->text, NULL, 10) : 0;
    const bool cert = !strcmp(step->word, "cert");
    if (!cert && strcmp(step->word, "receipt"))
        return script_fail(script, step, "printer must be receipt or cert, not '%s'", step->word);
    const struct board_sim_devices *sim = board_sim_devices ? board_sim_devices() : NULL;
    int rc = !sim ? -ENOTSUP : cert ? sim->cert_printer_fault(step->word2, rows) : sim->receipt_fault(step->word2, rows);
    if (rc == -ENOTSUP && cert)
        return script_fail(script, step, "this board has no simulated certificate printer ([devices] cert_printer = sim)");
    if (rc == -ENOTSUP)
        return script_fail(script, step, "this board has no simulated receipt printer ([devices] receipt_printer = sim)");
    if (rc < 0)
        return script_fail(script, step, "unknown fault '%s'", step->word2);
    app_step();
    return 0;
}

/* The simulated reader: what a resident's hand (or a faulty reader) does, on the board's
 * device model; the driver then reads it over the wire like a real one. */
static int script_simulated_device(const struct script *script, const struct script_step *step)
{
    const struct board_sim_devices *sim = board_sim_devices ? board_sim_devices() : NULL;
    int rc;
    if (!sim)
        rc = -ENOTSUP;
    else if (step->op == SCRIPT_READER)
        rc = sim->reader_fault(step->word2);
    else if (!strcmp(step->word, "place"))
        rc = sim->card_place(step->word2);
    else if ((rc = sim->card_remove()) == 0)
        rc = sim->reader_wait_commands(1, SCRIPT_WAIT_MS); /* the driver looked: it saw the lift-off */
    if (rc == -ETIMEDOUT)
        return script_fail(script, step, "the ID card reader driver sent no command within %d ms", SCRIPT_WAIT_MS);
    if (rc == -ENOTSUP)
        return script_fail(script, step, "this board has no simulated ID card reader ([devices] idcard_reader = sim)");
    if (rc < 0)
        return script_fail(script, step, "unknown name '%s'", step->word2);
    app_step();
    return 0;
}

/* The node of a role, the index-th of it on screen (0-based); NULL if there are fewer. */
static const struct semantic_node *script_find_role(enum semantic_role role, int index)
{
    for (size_t i = 0; i < semantic_count(); i++) {
        const struct semantic_node *n = semantic_node(i);
        if (n->role == role && index-- == 0)
            return n;
    }
    return NULL;
}

/* write FIXTURE: each line a stroke of "x,y" points across the writing box (0..1000),
 * replayed as press, drags and release where the box is on screen now. The strokes are
 * test data, but a resident's would not be logged either: only counts are said. */
static int script_write(const struct script *script, const struct script_step *step)
{
    char *text = NULL, reason[300];
    size_t len = 0;
    if (textfile_read(step->text, 1 << 20, &text, &len, reason, sizeof reason) < 0)
        return script_fail(script, step, "%s", reason);
    app_step();
    const struct semantic_node *pad = script_find_role(SEMANTIC_WRITING_PAD, 0);
    if (!pad) {
        free(text);
        return script_fail(script, step, "no handwriting pad on screen %s (is the keyboard in 手写 mode?)",
                           screen_manager_top_name());
    }
    const struct ui_rect box = pad->bounds;
    int strokes = 0, line_no = 0, rc = 0;
    for (char *line = strtok(text, "\n"); line && rc == 0; line = strtok(NULL, "\n")) {
        line_no++;
        while (*line == ' ' || *line == '\t')
            line++;
        if (!*line || *line == '#' || *line == '\r')
            continue;
        int points = 0;
        char *p = line;
        for (;;) {
            char *end;
            long x = strtol(p, &end, 10);
            if (end == p || *end != ',') {
                if (*p && *p != '\r')
                    rc = script_fail(script, step, "%s:%d: expected points as x,y", step->text, line_no);
                break;
            }
            p = end + 1;
            long y = strtol(p, &end, 10);
            if (end == p || x < 0 || x > 1000 || y < 0 || y > 1000) {
                rc = script_fail(script, step, "%s:%d: a point is x,y from 0 to 1000", step->text, line_no);
                break;
            }
            p = end;
            struct ui_event e = { .kind = points ? UI_EVENT_DRAG : UI_EVENT_PRESS,
                                  .x = box.x + (int)(x * box.w / 1000), .y = box.y + (int)(y * box.h / 1000) };
            app_inject_input(&e);
            points++;
            while (*p == ' ' || *p == '\t')
                p++;
            if (!*p || *p == '\r') {
                e.kind = UI_EVENT_RELEASE;
                app_inject_input(&e);
                app_step();
                strokes++;
                break;
            }
        }
    }
    explicit_bzero(text, len);
    free(text);
    if (rc == 0 && strokes == 0)
        return script_fail(script, step, "%s holds no strokes", step->text);
    return rc;
}

/* pick-candidate N: the Nth character on the candidate bar; handwriting's arrive from a
 * worker, so they are waited for. */
static int script_pick_candidate(const struct script *script, const struct script_step *step)
{
    for (int waited = 0;; waited += 20) {
        app_step();
        const struct semantic_node *n = script_find_role(SEMANTIC_CANDIDATE, step->x - 1);
        if (n) {
            script_tap(n->bounds.x + n->bounds.w / 2, n->bounds.y + n->bounds.h / 2);
            return 0;
        }
        if (waited >= SCRIPT_WAIT_MS) {
            char seen[700];
            script_list_touchables(seen, sizeof seen);
            return script_fail(script, step, "no candidate %d on screen %s within %d ms (touchable: %s)", step->x,
                               screen_manager_top_name(), SCRIPT_WAIT_MS, seen);
        }
        app_wait_message(20);
    }
}

static int script_expect_input(const struct script *script, const struct script_step *step)
{
    app_step();
    char seen[700] = "";
    size_t used = 0;
    for (size_t i = 0; i < semantic_count(); i++) {
        const struct semantic_node *n = semantic_node(i);
        if (n->role != SEMANTIC_INPUT)
            continue;
        if (!strcmp(n->text, step->text))
            return 0;
        int w = snprintf(seen + used, sizeof seen - used, "%s'%s'", used ? ", " : "", n->text);
        if (w > 0 && (size_t)w < sizeof seen - used)
            used += (size_t)w;
    }
    return script_fail(script, step, "no input field holds exactly '%s' on screen %s (fields: %s)", step->text,
                       screen_manager_top_name(), used ? seen : "none");
}

int script_run(const struct script *script, const char *out_dir)
{
    if (mkdir(out_dir, 0755) < 0 && errno != EEXIST) {
        fprintf(stderr, "%s: cannot create output folder %s: %s\n", script->name, out_dir, strerror(errno));
        return -1;
    }
    app_step();
    for (size_t i = 0; i < script->count; i++) {
        const struct script_step *step = &script->steps[i];
        int rc = 0;
        switch (step->op) {
        case SCRIPT_TAP:
            script_tap(step->x, step->y);
            break;
        case SCRIPT_TAP_TEXT:
            rc = script_tap_text(script, step, step->text);
            break;
        case SCRIPT_TYPE:
            rc = script_type(script, step);
            break;
        case SCRIPT_TYPE_FROM:
            rc = script_type_from(script, step);
            break;
        case SCRIPT_WRITE:
            rc = script_write(script, step);
            break;
        case SCRIPT_PICK_CANDIDATE:
            rc = script_pick_candidate(script, step);
            break;
        case SCRIPT_EXPECT_INPUT:
            rc = script_expect_input(script, step);
            break;
        case SCRIPT_KEY: {
            enum ui_key key = ui_key_from_name(step->word);
            if (key == UI_KEY_NONE) {
                rc = script_fail(script, step, "unknown key '%s' (back, enter, backspace, up, down, f1..f12)",
                                 step->word);
                break;
            }
            struct ui_event event = { .kind = UI_EVENT_KEY, .key = key };
            app_inject_input(&event);
            app_step();
            break;
        }
        case SCRIPT_WAIT_SCREEN:
            rc = script_wait_screen(script, step);
            break;
        case SCRIPT_WAIT_TEXT:
            rc = script_wait_text(script, step);
            break;
        case SCRIPT_EXPECT_TEXT:
            app_step();
            if (!semantic_contains_text(step->text))
                rc = script_fail(script, step, "no text containing '%s' on screen %s", step->text,
                                 screen_manager_top_name());
            break;
        case SCRIPT_EXPECT_NO_TEXT:
            app_step();
            if (semantic_contains_text(step->text))
                rc = script_fail(script, step, "text containing '%s' is on screen %s", step->text,
                                 screen_manager_top_name());
            break;
        case SCRIPT_ADVANCE:
            rc = script_advance(step->seconds);
            break;
        case SCRIPT_SHOT:
            rc = script_shot(script, step, out_dir);
            break;
        case SCRIPT_DEVICE:
            rc = script_device(script, step);
            break;
        case SCRIPT_WAIT_DEVICE:
            rc = script_wait_device(script, step);
            break;
        case SCRIPT_CARD:
        case SCRIPT_READER:
            rc = script_simulated_device(script, step);
            break;
        case SCRIPT_PRINTER:
            rc = script_simulated_printer(script, step);
            break;
        case SCRIPT_QUIT:
            return 0;
        case SCRIPT_OP_COUNT:
            break;
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}
