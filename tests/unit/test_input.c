/* Chinese text entry's engines against the real packages: librime with pinyin_simp and the
 * kiosk's dictionary, zinnia with Tegaki's Simplified Chinese model. What a resident would see:
 * the candidates, what a pick puts in the field, and what is (not) left on disk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "firmware/core/msgqueue.h"
#include "firmware/core/textfile.h"
#include "firmware/input/handwriting.h"
#include "firmware/input/ime_pinyin.h"

#define HANDWRITING_MODEL "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model"

static char data_dir[256];

static struct msg wait_kind(struct msgqueue *queue, enum msg_kind kind, int timeout_ms)
{
    struct msg m = { 0 };
    for (int waited = 0; waited < timeout_ms; waited += 50)
        if (msgqueue_wait(queue, &m, 50) && m.kind == kind)
            return m;
    fail_msg("no %s within %d ms", msg_kind_name(kind), timeout_ms);
    return m;
}

static void type_letters(const char *letters)
{
    for (const char *p = letters; *p; p++)
        assert_int_equal(ime_pinyin_type(*p), 0);
}

/* Whether any file under dir holds needle (the whole tree, as a search of the disk would). */
static bool tree_contains(const char *dir, const char *needle)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) < 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            found = tree_contains(path, needle);
        } else if (S_ISREG(st.st_mode)) {
            FILE *f = fopen(path, "rb");
            if (!f)
                continue;
            char *buf = malloc((size_t)st.st_size + 1);
            size_t n = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
            fclose(f);
            found = buf && memmem(buf, n, needle, strlen(needle)) != NULL;
            free(buf);
        }
    }
    closedir(d);
    return found;
}

static bool tree_has_name_ending(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d))) {
        size_t n = strlen(e->d_name), m = strlen(suffix);
        found = n >= m && !strcmp(e->d_name + n - m, suffix);
    }
    closedir(d);
    return found;
}

static void test_pinyin_missing_data_says_which_package(void **state)
{
    (void)state;
    struct msgqueue *queue = msgqueue_create(16);
    const struct ime_pinyin_options options = { "/nonexistent/rime-data", "assets/rime", data_dir };
    assert_int_equal(ime_pinyin_start(queue, &options), 0);
    struct msg m = wait_kind(queue, MSG_INPUT_READY, 5000);
    assert_int_equal(m.u.input_ready.engine, INPUT_ENGINE_PINYIN);
    assert_false(m.u.input_ready.ready);
    assert_non_null(strstr(m.u.input_ready.problem, "rime-data-pinyin-simp"));
    ime_pinyin_note_ready(false, m.u.input_ready.problem);
    assert_false(ime_pinyin_ready());
    assert_int_equal(ime_pinyin_type('a'), -EAGAIN); /* the keyboard falls back to ABC */
    ime_pinyin_stop();
    msgqueue_destroy(queue);
}

static void test_pinyin_types_an_address_and_keeps_nothing(void **state)
{
    (void)state;
    struct msgqueue *queue = msgqueue_create(16);
    const struct ime_pinyin_options options = { "/usr/share/rime-data", "assets/rime", data_dir };
    assert_int_equal(ime_pinyin_start(queue, &options), 0);
    struct msg m = wait_kind(queue, MSG_INPUT_READY, 60000);
    assert_true(m.u.input_ready.ready);
    ime_pinyin_note_ready(true, "");

    char field[256] = "";
    struct ime_pinyin_view view;
    type_letters("linyishi");
    ime_pinyin_view(&view);
    assert_string_equal(view.preedit, "lin yi shi");
    assert_string_equal(view.candidates[0], "临沂市");
    assert_int_equal(ime_pinyin_pick(0, field, sizeof field), 0);
    /* The kiosk's dictionary puts Linyi's district before the homophone 蓝山区. */
    type_letters("lanshanqu");
    ime_pinyin_view(&view);
    assert_string_equal(view.candidates[0], "兰山区");
    assert_int_equal(ime_pinyin_pick(0, field, sizeof field), 0);
    type_letters("jinqueshanlu");
    ime_pinyin_view(&view);
    assert_string_equal(view.candidates[0], "金雀山路");
    assert_int_equal(ime_pinyin_pick(0, field, sizeof field), 0);
    assert_string_equal(field, "临沂市兰山区金雀山路");
    assert_false(ime_pinyin_composing());

    /* Delete takes letters off the composition first; paging moves the page. */
    type_letters("wang");
    assert_true(ime_pinyin_delete());
    ime_pinyin_view(&view);
    assert_string_equal(view.preedit, "wan");
    ime_pinyin_page(+1);
    ime_pinyin_view(&view);
    assert_int_equal(view.page, 1);
    ime_pinyin_clear();
    assert_false(ime_pinyin_composing());

    /* A composition longer than the limit: the extra letters are refused, nothing stalls. */
    int refused = 0;
    for (int i = 0; i < 200; i++)
        refused += ime_pinyin_type("abcdefghijklmnopqrstuvwxyz"[i % 26]) == -ENOSPC;
    assert_int_equal(refused, 200 - IME_PINYIN_INPUT_MAX);
    ime_pinyin_clear();

    /* The user dictionary is off: no words learnt, nothing typed on disk. */
    ime_pinyin_stop();
    char rime_dir[300];
    snprintf(rime_dir, sizeof rime_dir, "%s/rime", data_dir);
    assert_false(tree_has_name_ending(rime_dir, ".userdb"));
    assert_false(tree_contains(data_dir, "临沂市兰山区金雀山路"));
    explicit_bzero(field, sizeof field);
    msgqueue_destroy(queue);
}

/* 王 as a finger writes it: three horizontals and a vertical, a little wobble. */
static void strokes_wang(struct handwriting_strokes *s)
{
    static const int strokes[4][4] = { { 250, 210, 760, 210 }, { 300, 500, 710, 500 }, { 500, 205, 500, 795 },
                                       { 200, 800, 800, 800 } };
    handwriting_strokes_clear(s);
    for (int k = 0; k < 4; k++)
        for (int i = 0; i <= 8; i++)
            assert_true(handwriting_strokes_add(s, strokes[k][0] + (strokes[k][2] - strokes[k][0]) * i / 8 + (i % 2) * 3,
                                                strokes[k][1] + (strokes[k][3] - strokes[k][1]) * i / 8, i == 0));
}

static void test_handwriting_recognises_and_refuses_a_storm(void **state)
{
    (void)state;
    struct msgqueue *queue = msgqueue_create(64);
    assert_int_equal(handwriting_start(queue, HANDWRITING_MODEL), 0);
    struct msg m = wait_kind(queue, MSG_INPUT_READY, 10000);
    assert_int_equal(m.u.input_ready.engine, INPUT_ENGINE_HANDWRITING);
    assert_true(m.u.input_ready.ready);
    handwriting_note_ready(true, "");

    static struct handwriting_strokes strokes;
    strokes_wang(&strokes);
    unsigned request = handwriting_recognise(&strokes);
    assert_true(request > 0);
    m = wait_kind(queue, MSG_HANDWRITING, 5000);
    assert_int_equal(m.u.handwriting.request, request);
    assert_int_equal(m.u.handwriting.count, 10);
    assert_string_equal(m.u.handwriting.candidates[0], "王");
    handwriting_note_result(&m.u.handwriting);
    assert_non_null(handwriting_result(request));
    assert_null(handwriting_result(request + 1));

    /* Undo takes the last stroke off whole. */
    handwriting_strokes_undo(&strokes);
    assert_int_equal(strokes.stroke_count, 3);
    assert_int_equal(strokes.point_count, 27);

    /* 500 strokes on the pad: the pad holds its maximum and refuses the rest; a storm of
     * requests is coalesced (the worker answers the latest), so the queue never floods. */
    handwriting_strokes_clear(&strokes);
    int accepted = 0;
    for (int i = 0; i < 500; i++)
        accepted += handwriting_strokes_add(&strokes, i % 1000, (i * 7) % 1000, true);
    assert_int_equal(accepted, HANDWRITING_STROKES_MAX);
    unsigned last = 0;
    for (int i = 0; i < 200; i++)
        last = handwriting_recognise(&strokes);
    unsigned answered = 0;
    int answers = 0;
    for (int waited = 0; waited < 10000 && answered != last; waited += 50) {
        if (msgqueue_wait(queue, &m, 50) && m.kind == MSG_HANDWRITING) {
            answered = m.u.handwriting.request;
            answers++;
        }
    }
    assert_int_equal(answered, last);
    assert_true(answers < 200);
    handwriting_stop();
    msgqueue_destroy(queue);
}

static void test_handwriting_missing_model_says_which_package(void **state)
{
    (void)state;
    struct msgqueue *queue = msgqueue_create(16);
    assert_int_equal(handwriting_start(queue, "/nonexistent/handwriting-zh_CN.model"), 0);
    struct msg m = wait_kind(queue, MSG_INPUT_READY, 5000);
    assert_false(m.u.input_ready.ready);
    assert_non_null(strstr(m.u.input_ready.problem, "tegaki-zinnia-simplified-chinese"));
    handwriting_stop();
    msgqueue_destroy(queue);
}

int main(void)
{
    snprintf(data_dir, sizeof data_dir, "/tmp/test_input.XXXXXX");
    if (!mkdtemp(data_dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pinyin_missing_data_says_which_package),
        cmocka_unit_test(test_pinyin_types_an_address_and_keeps_nothing),
        cmocka_unit_test(test_handwriting_recognises_and_refuses_a_storm),
        cmocka_unit_test(test_handwriting_missing_model_says_which_package),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", data_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", data_dir);
    return failed;
}
