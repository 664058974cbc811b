/* ime_pinyin: librime behind the keyboard's 拼音 mode (see ime_pinyin.h). */
#include "firmware/input/ime_pinyin.h"

#include <errno.h>
#include <pthread.h>
#include <rime_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "firmware/core/log.h"
#include "firmware/core/textfile.h"
#include "firmware/input/input_engine.h"

#define IME_PINYIN_SCHEMA "pinyin_simp"
#define IME_KEY_BACKSPACE 0xff08 /* X11 keysyms, as rime takes them */
#define IME_KEY_ESCAPE 0xff1b
#define IME_KEY_PAGE_UP 0xff55
#define IME_KEY_PAGE_DOWN 0xff56

/* The kiosk's files for rime, copied into its user data directory before deployment. */
static const char *const ime_pinyin_config_files[] = { "default.custom.yaml", "pinyin_simp.custom.yaml",
                                                       "kiosk_pinyin.dict.yaml" };

static struct {
    pthread_t thread;
    bool thread_started;
    struct msgqueue *queue;
    char shared_dir[1024], config_dir[1024], user_dir[1100];
    bool initialized; /* set by the deploy thread; read after joining it */
    /* UI thread only from here. */
    bool ready;
    bool wipe_registered;
    char problem[200];
    RimeSessionId session;
} ime;

/* Copies src to dst only when dst differs: rime rebuilds what changed, by time, so an
 * unchanged file must keep its time. 0 or -1 with the reason in err. */
static int ime_pinyin_install_file(const char *src, const char *dst, char *err, size_t errlen)
{
    char *want = NULL, *have = NULL;
    size_t want_len = 0, have_len = 0;
    char reason[256];
    if (textfile_read(src, 1 << 20, &want, &want_len, reason, sizeof reason) < 0) {
        snprintf(err, errlen, "%s", reason);
        return -1;
    }
    bool same = textfile_read(dst, 1 << 20, &have, &have_len, reason, sizeof reason) == 0 && have_len == want_len &&
                !memcmp(have, want, want_len);
    free(have);
    int rc = 0;
    if (!same) {
        char tmp[1300];
        snprintf(tmp, sizeof tmp, "%s.new", dst);
        FILE *f = fopen(tmp, "w");
        if (!f || fwrite(want, 1, want_len, f) != want_len || fclose(f) != 0 || rename(tmp, dst) != 0) {
            snprintf(err, errlen, "cannot write %.120s: %s", dst, strerror(errno));
            rc = -1;
        }
    }
    free(want);
    return rc;
}

static void ime_pinyin_post(bool ready, const char *problem)
{
    struct msg m = { .kind = MSG_INPUT_READY };
    m.u.input_ready.engine = INPUT_ENGINE_PINYIN;
    m.u.input_ready.ready = ready;
    snprintf(m.u.input_ready.problem, sizeof m.u.input_ready.problem, "%s", problem ? problem : "");
    if (msgqueue_post(ime.queue, &m) < 0)
        log_warn("input", "queue full: the pinyin input's state was not delivered");
}

static void *ime_pinyin_deploy(void *arg)
{
    (void)arg;
    char err[300] = "";
    char schema[1100];
    snprintf(schema, sizeof schema, "%s/%s.dict.yaml", ime.shared_dir, IME_PINYIN_SCHEMA);
    if (access(schema, R_OK) != 0) {
        /* Not strerror: its words follow the system's locale, and technicians search for these. */
        snprintf(err, sizeof err, "no pinyin dictionary at %.100s; install the package rime-data-pinyin-simp", schema);
        ime_pinyin_post(false, err);
        return NULL;
    }
    if (mkdir(ime.user_dir, 0700) < 0 && errno != EEXIST) {
        snprintf(err, sizeof err, "cannot create %.120s: %s", ime.user_dir, strerror(errno));
        ime_pinyin_post(false, err);
        return NULL;
    }
    for (size_t i = 0; i < sizeof ime_pinyin_config_files / sizeof *ime_pinyin_config_files; i++) {
        char src[1200], dst[1200];
        snprintf(src, sizeof src, "%s/%s", ime.config_dir, ime_pinyin_config_files[i]);
        snprintf(dst, sizeof dst, "%s/%s", ime.user_dir, ime_pinyin_config_files[i]);
        if (ime_pinyin_install_file(src, dst, err, sizeof err) < 0) {
            ime_pinyin_post(false, err);
            return NULL;
        }
    }
    RIME_STRUCT(RimeTraits, traits);
    traits.shared_data_dir = ime.shared_dir;
    traits.user_data_dir = ime.user_dir;
    traits.distribution_name = "kiosk";
    traits.distribution_code_name = "kiosk";
    traits.distribution_version = "1";
    traits.app_name = "rime.kiosk";
    /* Only fatal messages, and to stderr: rime's log would otherwise be files in /tmp, and
     * at INFO it names what was typed. */
    traits.min_log_level = 3;
    traits.log_dir = "";
    /* rime's own modules only: no plugins from /usr/lib/.../rime-plugins (a package such as
     * librime-plugin-lua would otherwise change what residents get). */
    static const char *modules[] = { "default", NULL };
    traits.modules = modules;
    RimeSetup(&traits);
    RimeInitialize(&traits);
    ime.initialized = true;
    if (RimeStartMaintenance(False))
        RimeJoinMaintenanceThread();
    /* A session proves the schema deployed (a broken dictionary fails here, not at a key). */
    RimeSessionId probe = RimeCreateSession();
    bool ok = probe && RimeSelectSchema(probe, IME_PINYIN_SCHEMA);
    if (probe)
        RimeDestroySession(probe);
    if (!ok) {
        ime_pinyin_post(false, "the pinyin schema did not deploy (see the rime data in the data directory)");
        return NULL;
    }
    ime_pinyin_post(true, NULL);
    return NULL;
}

int ime_pinyin_start(struct msgqueue *queue, const struct ime_pinyin_options *options)
{
    if (ime.thread_started)
        return -EALREADY;
    ime.queue = queue;
    snprintf(ime.shared_dir, sizeof ime.shared_dir, "%s", options->shared_dir);
    snprintf(ime.config_dir, sizeof ime.config_dir, "%s", options->config_dir);
    snprintf(ime.user_dir, sizeof ime.user_dir, "%s/rime", options->data_dir);
    int rc = pthread_create(&ime.thread, NULL, ime_pinyin_deploy, NULL);
    if (rc != 0)
        return -rc;
    ime.thread_started = true;
    return 0;
}

static void ime_pinyin_end_session(void *ctx)
{
    (void)ctx;
    ime_pinyin_clear();
    if (ime.session)
        RimeDestroySession(ime.session);
    ime.session = 0;
}

void ime_pinyin_stop(void)
{
    if (!ime.thread_started)
        return;
    pthread_join(ime.thread, NULL);
    ime.thread_started = false;
    ime_pinyin_end_session(NULL);
    if (ime.initialized)
        RimeFinalize(); /* also when the kiosk stops before the UI heard that it was ready */
    ime.initialized = false;
    ime.ready = false;
}

void ime_pinyin_note_ready(bool ready, const char *problem)
{
    ime.ready = ready;
    input_engine_note_ready("pinyin", ready, problem, ime.problem, sizeof ime.problem, &ime.wipe_registered,
                            ime_pinyin_end_session);
}

bool ime_pinyin_ready(void)
{
    return ime.ready;
}

const char *ime_pinyin_problem(void)
{
    return ime.problem;
}

static bool ime_pinyin_session(void)
{
    if (!ime.ready)
        return false;
    if (ime.session && RimeFindSession(ime.session))
        return true;
    ime.session = RimeCreateSession();
    if (!ime.session || !RimeSelectSchema(ime.session, IME_PINYIN_SCHEMA)) {
        log_warn("input", "cannot open a pinyin session");
        ime.session = 0;
        return false;
    }
    return true;
}

static size_t ime_pinyin_input_length(void)
{
    const char *input = ime.session ? rime_get_api()->get_input(ime.session) : NULL;
    return input ? strlen(input) : 0;
}

int ime_pinyin_type(char letter)
{
    if (!ime_pinyin_session())
        return -EAGAIN;
    if (ime_pinyin_input_length() >= IME_PINYIN_INPUT_MAX)
        return -ENOSPC;
    RimeProcessKey(ime.session, (unsigned char)letter, 0);
    return 0;
}

bool ime_pinyin_composing(void)
{
    return ime.ready && ime.session && ime_pinyin_input_length() > 0;
}

bool ime_pinyin_delete(void)
{
    if (!ime_pinyin_composing())
        return false;
    RimeProcessKey(ime.session, IME_KEY_BACKSPACE, 0);
    return true;
}

/* Appends what rime committed, if anything, to out (whole characters only). */
static void ime_pinyin_take_commit(char *out, size_t out_size)
{
    RIME_STRUCT(RimeCommit, commit);
    if (!RimeGetCommit(ime.session, &commit))
        return;
    size_t have = strlen(out), add = strlen(commit.text);
    if (have + add < out_size) {
        memcpy(out + have, commit.text, add + 1);
    } else {
        log_warn("input", "the field is full: a pick of %zu bytes was not added", add);
    }
    explicit_bzero(commit.text, add);
    RimeFreeCommit(&commit);
}

int ime_pinyin_pick(int index, char *out, size_t out_size)
{
    if (!ime_pinyin_composing() || index < 0 || index >= IME_PINYIN_PAGE_SIZE)
        return -EINVAL;
    if (!rime_get_api()->select_candidate_on_current_page(ime.session, (size_t)index))
        return -EINVAL;
    ime_pinyin_take_commit(out, out_size);
    return 0;
}

void ime_pinyin_page(int delta)
{
    if (ime_pinyin_composing())
        RimeProcessKey(ime.session, delta < 0 ? IME_KEY_PAGE_UP : IME_KEY_PAGE_DOWN, 0);
}

void ime_pinyin_view(struct ime_pinyin_view *view)
{
    memset(view, 0, sizeof *view);
    if (!ime_pinyin_composing())
        return;
    RIME_STRUCT(RimeContext, context);
    if (!RimeGetContext(ime.session, &context))
        return;
    if (context.composition.preedit)
        snprintf(view->preedit, sizeof view->preedit, "%s", context.composition.preedit);
    view->page = context.menu.page_no;
    view->last_page = context.menu.is_last_page;
    for (int i = 0; i < context.menu.num_candidates && i < IME_PINYIN_PAGE_SIZE; i++)
        snprintf(view->candidates[view->count++], IME_CANDIDATE_TEXT_MAX, "%s", context.menu.candidates[i].text);
    RimeFreeContext(&context);
}

void ime_pinyin_clear(void)
{
    if (ime.ready && ime.session)
        RimeClearComposition(ime.session);
}
