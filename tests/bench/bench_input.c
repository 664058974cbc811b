/* bench_input: Chinese text entry on this machine. Not a test: it prints figures.
 *
 *   bench_input RIME_SHARED_DIR DATA_DIR HANZI_WRITER_DATA_DIR
 *
 * DATA_DIR is the unit's data directory: empty, rime deploys into it (a unit's first start);
 * run again on the same directory, it only loads (every later start: the memory figure).
 *
 * Pinyin: 30 phrases (Linyi addresses, names, common words) typed key by key on the keyboard
 * in 拼音 mode; each sample is one key: the letter into rime and the whole keyboard drawn
 * with its candidate bar on a 1080x1920 canvas (what the resident sees next). The first key
 * after start is reported alone. Memory: VmRSS of this process before rime starts and after
 * it is deployed, a session open and the phrases typed.
 * Handwriting: 100 common characters written stroke by stroke from hanzi-writer-data's stroke
 * medians (Make Me a Hanzi; an independent source, fetched with npm by tools/bench.sh), each
 * point moved by up to ±2 % at random (seed 1) as a finger wobbles; each sample is one
 * stroke: recognise → MSG_HANDWRITING with ten candidates on the UI side. Accuracy: whether
 * the character is first (top-1) or among the ten (top-10) after its last stroke.
 *
 * Output lines "key value ..." for tools/bench.sh. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "firmware/core/msgqueue.h"
#include "firmware/core/textfile.h"
#include "firmware/gfx/render.h"
#include "firmware/gfx/text.h"
#include "firmware/input/handwriting.h"
#include "firmware/input/ime_pinyin.h"
#include "screens/semantic.h"
#include "screens/widgets/widget_keyboard.h"

static const char *const bench_phrases[30] = {
    "linyishi", "lanshanqu", "jinqueshanlu", "luozhuangqu", "hedongqu", "yishuixian", "yinanxian",
    "tanchengxian", "feixian", "mengyinxian", "junanxian", "linshuxian", "pingyixian", "lanlingxian",
    "beijinglu", "tongdalu", "yimenglu", "wangxiaoming", "zhangjianguo", "liuguiying", "zhaoli",
    "chenjing", "juminshenfenzheng", "shehuibaozhangka", "yingyezhizhao", "hukoubu", "jiehunzheng",
    "yanglaobaoxian", "gaolingjintie", "wufanzuijiluzhengming",
};

/* The 100 most used characters (modern Chinese character frequency lists agree on these). */
static const char bench_characters[] =
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后"
    "小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长";

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile(double *samples, int count, double pct)
{
    qsort(samples, (size_t)count, sizeof *samples, compare_double);
    int rank = (int)(pct / 100.0 * count + 0.999999);
    rank = rank < 1 ? 1 : rank > count ? count : rank;
    return samples[rank - 1];
}

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib;
}

static struct msg wait_kind(struct msgqueue *queue, enum msg_kind kind, int timeout_ms)
{
    struct msg m = { 0 };
    for (double start = now_ms(); now_ms() - start < timeout_ms;)
        if (msgqueue_wait(queue, &m, 20) && m.kind == kind)
            return m;
    m.kind = MSG_QUIT;
    return m;
}

static int bench_pinyin(struct msgqueue *queue, const char *shared_dir, const char *data_dir, struct render *render)
{
    struct stat st;
    char deployed[1024];
    snprintf(deployed, sizeof deployed, "%s/rime/build/kiosk_pinyin.table.bin", data_dir);
    const bool warm = stat(deployed, &st) == 0;
    const long before = rss_kib();
    const struct ime_pinyin_options options = { shared_dir, "assets/rime", data_dir };
    double deploy_start = now_ms();
    if (ime_pinyin_start(queue, &options) < 0)
        return -1;
    struct msg m = wait_kind(queue, MSG_INPUT_READY, 120000);
    if (m.kind != MSG_INPUT_READY || !m.u.input_ready.ready) {
        fprintf(stderr, "bench_input: pinyin did not start: %s\n", m.kind == MSG_INPUT_READY ? m.u.input_ready.problem : "timeout");
        return -1;
    }
    const double deploy_ms = now_ms() - deploy_start;
    ime_pinyin_note_ready(true, "");
    char field[512] = "";
    struct widget_keyboard keyboard = { .rect = { 0, 1920 - 900, 1080, 900 }, .text = field,
                                        .text_size = sizeof field, .typed_key = -1,
                                        .modes = KEYBOARD_MODES_CHINESE, .mode = KEYBOARD_MODE_PINYIN };
    keyboard.rect.h = widget_keyboard_height_of(&keyboard, 1080);
    keyboard.rect.y = 1920 - keyboard.rect.h;
    /* Memory first, rime alone: a session and the phrases typed, nothing drawn. */
    char scratch[512] = "";
    for (int p = 0; p < 30; p++) {
        for (const char *c = bench_phrases[p]; *c; c++)
            ime_pinyin_type(*c);
        ime_pinyin_pick(0, scratch, sizeof scratch);
        ime_pinyin_clear();
        scratch[0] = '\0';
    }
    const long after = rss_kib();
    static double samples[1000];
    int count = 0;
    double first_key_ms = -1;
    for (int p = 0; p < 30; p++) {
        for (const char *c = bench_phrases[p]; *c; c++) {
            double t0 = now_ms();
            ime_pinyin_type(*c);
            semantic_frame_begin();
            widget_keyboard_draw(render, &keyboard);
            double dt = now_ms() - t0;
            if (first_key_ms < 0)
                first_key_ms = dt;
            else
                samples[count++] = dt;
        }
        field[0] = '\0';
        ime_pinyin_pick(0, field, sizeof field);
        ime_pinyin_clear();
    }
    const double p50 = percentile(samples, count, 50), p99 = percentile(samples, count, 99);
    printf("pinyin %s keys %d p50-ms %.3f p99-ms %.3f max-ms %.3f first-key-ms %.3f start-ms %.1f\n",
           warm ? "warm" : "cold", count, p50, p99, samples[count - 1], first_key_ms, deploy_ms);
    printf("pinyin %s rss-before-kib %ld rss-after-kib %ld added-mib %.1f\n", warm ? "warm" : "cold", before, after,
           (after - before) / 1024.0);
    ime_pinyin_stop();
    return 0;
}

/* One character's strokes from hanzi-writer-data (x 0..1024, y up from -124 to 900) into
 * the pad's space (0..1000, y down), with the wobble. */
static int load_character(const char *dir, const char *character, struct handwriting_strokes *out, int *stroke_ends,
                          unsigned *seed)
{
    char path[1024], err[256], *text = NULL;
    size_t len = 0;
    snprintf(path, sizeof path, "%s/%s.json", dir, character);
    if (textfile_read(path, 1 << 20, &text, &len, err, sizeof err) < 0)
        return -1;
    cJSON *json = cJSON_Parse(text);
    free(text);
    const cJSON *medians = json ? cJSON_GetObjectItemCaseSensitive(json, "medians") : NULL;
    handwriting_strokes_clear(out);
    int strokes = 0;
    const cJSON *stroke;
    cJSON_ArrayForEach(stroke, medians)
    {
        int points = 0;
        const cJSON *point;
        cJSON_ArrayForEach(point, stroke)
        {
            const cJSON *x = cJSON_GetArrayItem(point, 0), *y = cJSON_GetArrayItem(point, 1);
            if (!cJSON_IsNumber(x) || !cJSON_IsNumber(y))
                continue;
            int jx = (int)(rand_r(seed) % 41) - 20, jy = (int)(rand_r(seed) % 41) - 20;
            int px = (int)(x->valuedouble * 1000 / 1024) + jx, py = (int)((900 - y->valuedouble) * 1000 / 1024) + jy;
            if (handwriting_strokes_add(out, px, py, points == 0))
                points++;
        }
        if (points)
            stroke_ends[strokes++] = out->point_count;
    }
    cJSON_Delete(json);
    return strokes > 0 ? strokes : -1;
}

static int bench_handwriting(struct msgqueue *queue, const char *data_dir)
{
    if (handwriting_start(queue, "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model") < 0)
        return -1;
    struct msg m = wait_kind(queue, MSG_INPUT_READY, 10000);
    if (m.kind != MSG_INPUT_READY || !m.u.input_ready.ready) {
        fprintf(stderr, "bench_input: handwriting did not start\n");
        return -1;
    }
    static double samples[4000];
    int count = 0, characters = 0, top1 = 0, top10 = 0;
    unsigned seed = 1;
    static struct handwriting_strokes full, partial;
    for (const char *c = bench_characters; *c;) {
        char character[8];
        int n = 1;
        while ((c[n] & 0xC0) == 0x80)
            n++;
        snprintf(character, sizeof character, "%.*s", n, c);
        c += n;
        int ends[HANDWRITING_STROKES_MAX];
        int strokes = load_character(data_dir, character, &full, ends, &seed);
        if (strokes < 0) {
            fprintf(stderr, "bench_input: no strokes for %s in %s\n", character, data_dir);
            return -1;
        }
        characters++;
        for (int s = 1; s <= strokes; s++) {
            partial = full;
            partial.stroke_count = s;
            partial.point_count = ends[s - 1];
            double t0 = now_ms();
            unsigned request = handwriting_recognise(&partial);
            do
                m = wait_kind(queue, MSG_HANDWRITING, 5000);
            while (m.kind == MSG_HANDWRITING && m.u.handwriting.request != request);
            samples[count++] = now_ms() - t0;
            if (m.kind != MSG_HANDWRITING)
                return -1;
        }
        if (m.u.handwriting.count > 0 && !strcmp(m.u.handwriting.candidates[0], character))
            top1++;
        for (int i = 0; i < m.u.handwriting.count; i++)
            if (!strcmp(m.u.handwriting.candidates[i], character))
                top10++;
    }
    const double p50 = percentile(samples, count, 50), p99 = percentile(samples, count, 99);
    printf("handwriting strokes %d p50-ms %.3f p99-ms %.3f max-ms %.3f\n", count, p50, p99, samples[count - 1]);
    printf("handwriting characters %d top1 %d top10 %d\n", characters, top1, top10);
    handwriting_stop();
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bench_input RIME_SHARED_DIR DATA_DIR HANZI_WRITER_DATA_DIR\n");
        return 2;
    }
    char err[256];
    if (text_init("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                  "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2, err, sizeof err) < 0 ||
        render_library_start(err, sizeof err) < 0) {
        fprintf(stderr, "bench_input: %s\n", err);
        return 1;
    }
    struct render render;
    if (render_init(&render, 1080, 1920, err, sizeof err) < 0) {
        fprintf(stderr, "bench_input: %s\n", err);
        return 1;
    }
    struct msgqueue *queue = msgqueue_create(256);
    int rc = bench_pinyin(queue, argv[1], argv[2], &render) < 0 || bench_handwriting(queue, argv[3]) < 0;
    msgqueue_destroy(queue);
    render_free(&render);
    text_shutdown();
    render_library_stop();
    return rc;
}
