/* bench_search: catalogue search on a city-sized catalogue, keystroke by keystroke, against
 * SQLite FTS5 (trigram tokenizer) on the same names in the same run.
 *
 * Builds N synthetic items in-process (names from a vocabulary of real service-item words,
 * so characters, polyphones and name lengths are realistic, and names repeat across agencies
 * as in a real city catalogue), or loads a catalogue file (--catalogue, e.g. the output of
 * build/BOARD/catalogue_gen), builds the index (timed), then types each of the queries
 * below one keystroke at a time (a Latin letter or one hanzi) and times search_query for
 * every keystroke. The hanzi queries are then answered by FTS5 on an in-memory table of the
 * same names: MATCH for 3 characters or more (trigram needs 3); below that a LIKE '%q%' scan
 * of the table ("+name": SQLite 3.40's trigram index answers a LIKE of fewer than 3
 * characters with no rows at all, so the scan is the only way FTS5 can answer). Both return
 * the 20 most popular matches.
 * Not a test: it prints figures and fails only when it cannot measure.
 *
 *   bench_search [--items N | --catalogue FILE] [--repeat R] [--max M] [--profile QUERY]
 *   (--profile: build, then run only that query 1000 times and print its mean, for perf record)
 *
 * Output, one line per figure, "key value ..." for tools/bench.sh:
 *   search-build items 100000 distinct-names 52311 ms 210.3 (median of 3: ...) index-mib 9.5
 *   search-keystrokes all count 1890 median-ms 0.05 p99-ms 1.20 max-ms 2.00
 *   search-keystrokes pinyin|initials|mixed|hanzi|code count ... median-ms ... p99-ms ... max-ms ...
 *   search-vs-fts5 hanzi-all keystrokes 130 ours-median-ms .. ours-p99-ms .. fts5-median-ms .. fts5-p99-ms .. p99-ratio ..
 *   search-vs-fts5 hanzi-3plus ...   (only keystrokes where FTS5 uses its trigram index)
 *   fts5-build ms 420.0
 *   search-latin queries 27 ours-answered 27 fts5-answered 0
 *   query KIND "TEXT" results N first "NAME" class CLASS   (each whole query, for a look)
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "firmware/catalogue/catalogue.h"
#include "firmware/gfx/linebreak.h"
#include "firmware/catalogue/search.h"

#define BENCH_ITEMS_DEFAULT 100000
#define BENCH_RESULTS_MAX 100

static const char *const bench_regions[] = {
    "", "", "", "", "", "", "临沂市", "兰山区", "罗庄区", "河东区", "沂南县", "郯城县", "沂水县", "兰陵县",
    "费县", "平邑县", "莒南县", "蒙阴县", "临沭县", "市级", "个人", "企业", "外国人", "港澳台居民",
};
static const char *const bench_objects[] = {
    "居民身份证", "临时居民身份证", "普通护照", "往来港澳通行证", "往来台湾通行证", "机动车驾驶证",
    "机动车登记", "营业执照", "食品经营许可证", "食品生产许可证", "药品经营许可证", "医疗器械经营备案",
    "社会保障卡", "住房公积金", "城乡居民基本养老保险", "职工基本养老保险", "失业保险金", "工伤保险待遇",
    "生育保险待遇", "基本医疗保险", "医疗救助", "最低生活保障", "特困人员救助供养", "临时救助",
    "残疾人证", "残疾人两项补贴", "结婚登记", "离婚登记", "收养登记", "出生医学证明", "户口迁移",
    "户口登记", "居住证", "不动产登记", "不动产权证书", "房屋租赁备案", "建筑工程施工许可证",
    "建设工程规划许可证", "商品房预售许可", "燃气经营许可证", "道路运输经营许可证", "出租汽车驾驶员证",
    "教师资格认定", "普通话水平测试", "学生资助", "义务教育入学", "民办学校办学许可证", "职业技能等级证书",
    "就业登记", "失业登记", "创业担保贷款", "人力资源服务许可证", "劳务派遣经营许可证", "法律援助",
    "公证", "律师执业证", "社会组织登记", "慈善组织认定", "退役军人优待证", "烈士褒扬金", "税务登记",
    "发票领用", "个人所得税汇算", "车船税", "契税", "排污许可证", "取水许可", "林木采伐许可证",
    "动物防疫条件合格证", "兽药经营许可证", "种子生产经营许可证", "农药经营许可证", "渔业捕捞许可证",
    "烟草专卖零售许可证", "酒类流通备案", "娱乐场所经营许可", "网吧经营许可", "出版物经营许可证",
    "卫生许可证", "医师执业注册", "护士执业注册", "母婴保健技术服务执业许可", "预防接种证",
    "献血证", "老年人优待证", "高龄津贴", "公共租赁住房", "住房保障", "物业服务", "重大行政决策听证",
    "长期护理保险", "银行账户", "重庆异地就医备案", "乐器培训机构备案", "单位参保登记", "行政复议",
};
static const char *const bench_actions[] = {
    "申领", "换领", "补领", "首次申请", "变更登记", "注销登记", "延续", "查询", "打印", "证明开具",
    "备案", "核准", "审批", "认定", "年度报告", "提取", "转移接续", "缴费", "待遇申领", "资格认证",
    "挂失", "解挂", "迁入", "迁出", "信息变更", "遗失补办", "预约", "办理进度查询", "撤销", "复核",
    "异地办理", "网上申请", "加急办理", "到期换证", "损坏换领",
};
static const char *const bench_keywords[] = {
    "补办", "丢了", "过期", "换证", "社保卡", "医保", "公积金", "退休", "生孩子", "结婚", "买房", "开店",
    "开车", "上学", "找工作", "养老", "看病", "户口", "出国", "证明", "租房", "残疾", "低保", "当兵",
};
static const char *const bench_materials[] = {
    "居民身份证", "户口簿", "近期免冠照片", "申请表", "结婚证", "出生医学证明", "营业执照", "法定代表人身份证明",
    "授权委托书", "受托人身份证", "不动产权证书", "购房合同", "劳动合同", "社会保障卡", "银行卡",
    "医疗费用票据", "诊断证明", "学历证书", "体检报告", "场所使用证明", "章程", "验资报告", "租赁合同",
    "完税证明", "退伍证", "残疾人证", "死亡证明", "火化证明", "离婚协议", "公司登记申请书",
};

struct bench_query {
    const char *kind; /* pinyin, initials, mixed, hanzi, code */
    const char *text;
};

/* Typed keystroke by keystroke; words found in both the in-process items and catalogue_gen's
 * (polyphones are the unit tests' business). The first code is one item's, filled in. */
static struct bench_query bench_queries[] = {
    {"pinyin", "shenfenzheng"}, {"pinyin", "huzhao"}, {"pinyin", "yingyezhizhao"}, {"pinyin", "jiashizheng"},
    {"pinyin", "shehuibaozhangka"}, {"pinyin", "gongjijintiqu"}, {"pinyin", "budongchandengji"},
    {"pinyin", "jiehundengji"}, {"pinyin", "chushengyixuezhengming"}, {"pinyin", "yiliaobaoxian"},
    {"pinyin", "hukou"}, {"pinyin", "zhufanggongjijin"}, {"pinyin", "jiaoshizige"}, {"pinyin", "canjiren"},
    {"initials", "sfz"}, {"initials", "yyzz"}, {"initials", "jsz"}, {"initials", "sbk"}, {"initials", "gjjtq"},
    {"initials", "bdcdj"}, {"initials", "jhdj"}, {"initials", "csyxzm"}, {"initials", "ylbx"},
    {"mixed", "shenfz"}, {"mixed", "sfzhl"}, {"mixed", "shen fen zheng"}, {"mixed", "gongjjtq"},
    {"mixed", "yingyzz"}, {"mixed", "budcdj"},
    {"hanzi", "身份证"}, {"hanzi", "护照"}, {"hanzi", "营业执照"}, {"hanzi", "公积金提取"}, {"hanzi", "不动产登记"},
    {"hanzi", "社会保障卡"}, {"hanzi", "出生医学证明"}, {"hanzi", "补领"}, {"hanzi", "证"}, {"hanzi", "登记"},
    {"hanzi", "户口"}, {"hanzi", "住房公积金"}, {"hanzi", "食品经营许可证"}, {"hanzi", "异地就医"},
    {"code", NULL}, {"code", "11371300"}, {"code", "1137"},
};
#define BENCH_QUERY_COUNT (sizeof bench_queries / sizeof bench_queries[0])

static double bench_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static uint64_t bench_random_state = 0x2545F4914F6CDD1Dull;

static uint32_t bench_random(uint32_t bound)
{
    bench_random_state ^= bench_random_state << 13;
    bench_random_state ^= bench_random_state >> 7;
    bench_random_state ^= bench_random_state << 17;
    return (uint32_t)((bench_random_state >> 11) % bound);
}

#define BENCH_PICK(array) array[bench_random(sizeof array / sizeof array[0])]

struct bench_catalogue {
    struct catalogue catalogue;
    char *names;          /* all names, 128 bytes each */
    char *codes;          /* all codes, 40 bytes each */
    const char **keyword_pool;
    struct catalogue_material *material_pool;
};

/* A GB 32100-shaped credit code per agency (checksum not computed: search does not check it),
 * then the item's number: 18 + 13 characters, like real implementation codes. */
static void bench_catalogue_generate(struct bench_catalogue *bench, size_t n)
{
    struct catalogue_item *items = calloc(n, sizeof *items);
    bench->names = malloc(n * 128);
    bench->codes = malloc(n * 40);
    bench->keyword_pool = malloc(n * 3 * sizeof *bench->keyword_pool);
    bench->material_pool = calloc(n * 6, sizeof *bench->material_pool);
    if (!items || !bench->names || !bench->codes || !bench->keyword_pool || !bench->material_pool) {
        fprintf(stderr, "bench_search: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < n; i++) {
        struct catalogue_item *item = &items[i];
        char *name = bench->names + i * 128, *code = bench->codes + i * 40;
        snprintf(name, 128, "%s%s%s", BENCH_PICK(bench_regions), BENCH_PICK(bench_objects), BENCH_PICK(bench_actions));
        uint32_t agency = bench_random(400);
        snprintf(code, 40, "%s371300%s%04u%c%013u", agency % 3 ? "11" : "12", agency % 2 ? "MB" : "00", agency,
                 "0123456789ABCDEFGHJKLMNPQRTUWXY"[agency % 31], (unsigned)(3000000000u + i));
        item->name = name;
        item->implementation_code = code;
        item->parent = -1;
        /* Popularity: a long tail, as handling counts are. */
        uint32_t roll = bench_random(1000);
        item->popularity = roll < 10 ? 10000 + bench_random(90000) : roll < 200 ? 100 + bench_random(9900) : bench_random(100);
        item->keywords = bench->keyword_pool + i * 3;
        item->keyword_count = bench_random(4);
        for (size_t k = 0; k < item->keyword_count; k++)
            item->keywords[k] = BENCH_PICK(bench_keywords);
        item->materials = bench->material_pool + i * 6;
        item->material_count = 1 + bench_random(6);
        for (size_t m = 0; m < item->material_count; m++)
            item->materials[m].name = BENCH_PICK(bench_materials);
    }
    bench->catalogue.items = items;
    bench->catalogue.item_count = n;
}

static int bench_compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted samples. */
static double bench_percentile(const double *sorted, size_t count, double pct)
{
    if (count == 0)
        return 0;
    size_t rank = (size_t)(pct / 100.0 * (double)count + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > count)
        rank = count;
    return sorted[rank - 1];
}

struct bench_samples {
    double *values;
    size_t count, capacity;
};

static void bench_samples_add(struct bench_samples *samples, double value)
{
    if (samples->count == samples->capacity) {
        samples->capacity = samples->capacity ? samples->capacity * 2 : 1024;
        samples->values = realloc(samples->values, samples->capacity * sizeof *samples->values);
        if (!samples->values) {
            fprintf(stderr, "bench_search: out of memory\n");
            exit(1);
        }
    }
    samples->values[samples->count++] = value;
}

static void bench_samples_sort(struct bench_samples *samples)
{
    qsort(samples->values, samples->count, sizeof *samples->values, bench_compare_double);
}

/* The keystroke boundaries of text: byte lengths of its prefixes, one per typed character. */
static size_t bench_keystrokes(const char *text, size_t *ends, size_t max)
{
    size_t len = strlen(text), count = 0;
    for (size_t off = 0; off < len && count < max;) {
        uint32_t cp;
        off += linebreak_utf8_next(text + off, len - off, &cp);
        if (cp != ' ') /* the space is typed with the next letter's keystroke figure */
            ends[count++] = off;
    }
    return count;
}

struct bench_fts {
    sqlite3 *db;
    sqlite3_stmt *match, *like;
};

static void bench_fts_die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "bench_search: sqlite: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
    exit(1);
}

/* FTS5 with the trigram tokenizer over the same names, popularity kept beside (unindexed)
 * so both sides return the most popular matches. */
static double bench_fts_build(struct bench_fts *fts, const struct catalogue *catalogue)
{
    double t0 = bench_now_ms();
    if (sqlite3_open(":memory:", &fts->db) != SQLITE_OK)
        bench_fts_die(fts->db, "open");
    if (sqlite3_exec(fts->db,
                     "CREATE VIRTUAL TABLE names USING fts5(name, popularity UNINDEXED, tokenize='trigram');"
                     "BEGIN;",
                     NULL, NULL, NULL) != SQLITE_OK)
        bench_fts_die(fts->db, "create (is FTS5 with trigram there? SQLite >= 3.34)");
    sqlite3_stmt *insert;
    if (sqlite3_prepare_v2(fts->db, "INSERT INTO names(rowid, name, popularity) VALUES(?1, ?2, ?3)", -1, &insert,
                           NULL) != SQLITE_OK)
        bench_fts_die(fts->db, "prepare insert");
    for (size_t i = 0; i < catalogue->item_count; i++) {
        sqlite3_bind_int64(insert, 1, (sqlite3_int64)i + 1);
        sqlite3_bind_text(insert, 2, catalogue->items[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(insert, 3, catalogue->items[i].popularity);
        if (sqlite3_step(insert) != SQLITE_DONE)
            bench_fts_die(fts->db, "insert");
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    if (sqlite3_exec(fts->db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
        bench_fts_die(fts->db, "commit");
    double ms = bench_now_ms() - t0;
    if (sqlite3_prepare_v2(fts->db,
                           "SELECT rowid FROM names WHERE names MATCH ?1 ORDER BY popularity DESC, name LIMIT ?2",
                           -1, &fts->match, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(fts->db,
                           "SELECT rowid FROM names WHERE +name LIKE ?1 ORDER BY popularity DESC, name LIMIT ?2", -1,
                           &fts->like, NULL) != SQLITE_OK)
        bench_fts_die(fts->db, "prepare queries");
    return ms;
}

/* Rows FTS5 returns for text (up to max): MATCH on the phrase from 3 characters, else LIKE. */
static int bench_fts_query(struct bench_fts *fts, const char *text, int max, int *used_index)
{
    size_t ends[64];
    size_t characters = bench_keystrokes(text, ends, 64);
    char pattern[256];
    sqlite3_stmt *statement;
    if (characters >= 3) {
        snprintf(pattern, sizeof pattern, "\"%s\"", text); /* a phrase: no FTS5 query syntax */
        statement = fts->match;
        *used_index = 1;
    } else {
        snprintf(pattern, sizeof pattern, "%%%s%%", text);
        statement = fts->like;
        *used_index = 0;
    }
    sqlite3_bind_text(statement, 1, pattern, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(statement, 2, max);
    int rows = 0, status;
    while ((status = sqlite3_step(statement)) == SQLITE_ROW)
        rows++;
    if (status != SQLITE_DONE)
        bench_fts_die(fts->db, "query");
    sqlite3_reset(statement);
    return rows;
}

static int bench_compare_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static size_t bench_distinct_names(const struct catalogue *catalogue)
{
    size_t n = catalogue->item_count, distinct = 0;
    const char **names = malloc(n * sizeof *names);
    if (!names)
        return 0;
    for (size_t i = 0; i < n; i++)
        names[i] = catalogue->items[i].name;
    qsort(names, n, sizeof *names, bench_compare_name);
    for (size_t i = 0; i < n; i++)
        distinct += i == 0 || strcmp(names[i - 1], names[i]);
    free(names);
    return distinct;
}

static void bench_print_samples(const char *key, const char *label, struct bench_samples *samples)
{
    bench_samples_sort(samples);
    printf("%s %s count %zu median-ms %.3f p99-ms %.3f max-ms %.3f\n", key, label, samples->count,
           bench_percentile(samples->values, samples->count, 50), bench_percentile(samples->values, samples->count, 99),
           samples->count ? samples->values[samples->count - 1] : 0.0);
}

int main(int argc, char **argv)
{
    size_t n = BENCH_ITEMS_DEFAULT;
    int repeat = 5, max = 20;
    const char *catalogue_path = NULL; /* --catalogue FILE: a kiosk-catalogue/1 document instead */
    const char *profile_query = NULL; /* --profile QUERY: only run it, for perf record */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--items") && i + 1 < argc)
            n = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--max") && i + 1 < argc)
            max = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--catalogue") && i + 1 < argc)
            catalogue_path = argv[++i];
        else if (!strcmp(argv[i], "--profile") && i + 1 < argc)
            profile_query = argv[++i];
        else {
            fprintf(stderr, "usage: bench_search [--items N | --catalogue FILE] [--repeat R] [--max M] [--profile QUERY]\n");
            return 2;
        }
    }
    if (n == 0 || repeat < 1 || max < 1 || max > BENCH_RESULTS_MAX) {
        fprintf(stderr, "bench_search: --items >= 1, --repeat >= 1, --max 1..%d\n", BENCH_RESULTS_MAX);
        return 2;
    }

    struct bench_catalogue bench = {0};
    struct catalogue *loaded = NULL;
    char err[256];
    if (catalogue_path) {
        double t0 = bench_now_ms();
        if (catalogue_load_file(catalogue_path, &loaded, err, sizeof err) != 0) {
            fprintf(stderr, "bench_search: %s\n", err);
            return 1;
        }
        printf("catalogue-load file %s items %zu ms %.1f (parse and check, catalogue_load_file)\n", catalogue_path,
               loaded->item_count, bench_now_ms() - t0);
        n = loaded->item_count;
    } else {
        bench_catalogue_generate(&bench, n);
    }
    const struct catalogue *catalogue = loaded ? loaded : &bench.catalogue;
    bench_queries[BENCH_QUERY_COUNT - 3].text = catalogue->items[n / 2].implementation_code;

    /* Index build: the median of 3, after one untimed run (page faults of the first malloc). */
    struct search_index *index = search_index_build(catalogue, err, sizeof err);
    if (!index) {
        fprintf(stderr, "bench_search: %s\n", err);
        return 1;
    }
    double build_ms[3];
    for (int i = 0; i < 3; i++) {
        search_index_free(index);
        double t0 = bench_now_ms();
        index = search_index_build(catalogue, err, sizeof err);
        build_ms[i] = bench_now_ms() - t0;
        if (!index) {
            fprintf(stderr, "bench_search: %s\n", err);
            return 1;
        }
    }
    qsort(build_ms, 3, sizeof build_ms[0], bench_compare_double);
    size_t distinct = bench_distinct_names(catalogue);
    printf("search-build items %zu distinct-names %zu ms %.1f (median of 3: %.1f %.1f %.1f) index-mib %.1f\n", n,
           distinct, build_ms[1], build_ms[0], build_ms[1], build_ms[2],
           (double)search_index_bytes(index) / (1024.0 * 1024.0));

    if (profile_query) {
        struct search_result profile_results[BENCH_RESULTS_MAX];
        double t0 = bench_now_ms();
        size_t count = 0;
        for (int i = 0; i < 1000; i++)
            count = search_query(index, profile_query, profile_results, (size_t)max);
        printf("profile \"%s\" results %zu mean-ms %.3f\n", profile_query, count, (bench_now_ms() - t0) / 1000);
        search_index_free(index);
        return 0;
    }

    /* Keystroke latencies, per kind and overall. */
    static const char *const kinds[] = {"pinyin", "initials", "mixed", "hanzi", "code"};
    struct bench_samples all = {0}, per_kind[5] = {{0}}, hanzi_ours = {0}, hanzi_ours_3plus = {0};
    struct search_result results[BENCH_RESULTS_MAX];
    double worst_ms = 0;
    const char *worst_query = "";
    size_t worst_len = 0;
    for (int r = 0; r < repeat; r++) {
        for (size_t q = 0; q < BENCH_QUERY_COUNT; q++) {
            size_t ends[64];
            size_t keystrokes = bench_keystrokes(bench_queries[q].text, ends, 64);
            size_t kind = 0;
            while (strcmp(kinds[kind], bench_queries[q].kind))
                kind++;
            for (size_t k = 0; k < keystrokes; k++) {
                char typed[256];
                snprintf(typed, sizeof typed, "%.*s", (int)ends[k], bench_queries[q].text);
                double t0 = bench_now_ms();
                size_t count = search_query(index, typed, results, (size_t)max);
                double ms = bench_now_ms() - t0;
                (void)count;
                bench_samples_add(&all, ms);
                bench_samples_add(&per_kind[kind], ms);
                if (kind == 3) {
                    bench_samples_add(&hanzi_ours, ms);
                    if (k >= 2)
                        bench_samples_add(&hanzi_ours_3plus, ms);
                }
                if (ms > worst_ms) {
                    worst_ms = ms;
                    worst_query = bench_queries[q].text;
                    worst_len = ends[k];
                }
            }
        }
    }
    bench_print_samples("search-keystrokes", "all", &all);
    for (size_t kind = 0; kind < 5; kind++)
        bench_print_samples("search-keystrokes", kinds[kind], &per_kind[kind]);
    printf("search-slowest keystroke \"%.*s\" ms %.3f\n", (int)worst_len, worst_query, worst_ms);

    /* Each whole query once: what comes back first, to see the ranking is sane. */
    for (size_t q = 0; q < BENCH_QUERY_COUNT; q++) {
        size_t count = search_query(index, bench_queries[q].text, results, (size_t)max);
        printf("query %s \"%s\" results %zu", bench_queries[q].kind, bench_queries[q].text, count);
        if (count)
            printf(" first \"%s\" class %s", catalogue->items[results[0].item].name,
                   search_class_name(results[0].rank_class));
        printf("\n");
    }

    /* The peer: FTS5 on the same names, the same hanzi keystrokes. */
    struct bench_fts fts = {0};
    double fts_build_ms = bench_fts_build(&fts, catalogue);
    printf("fts5-build items %zu ms %.1f (SQLite %s, in memory)\n", n, fts_build_ms, sqlite3_libversion());
    struct bench_samples fts_all = {0}, fts_3plus = {0};
    for (int r = 0; r < repeat; r++) {
        for (size_t q = 0; q < BENCH_QUERY_COUNT; q++) {
            if (strcmp(bench_queries[q].kind, "hanzi"))
                continue;
            size_t ends[64];
            size_t keystrokes = bench_keystrokes(bench_queries[q].text, ends, 64);
            for (size_t k = 0; k < keystrokes; k++) {
                char typed[256];
                snprintf(typed, sizeof typed, "%.*s", (int)ends[k], bench_queries[q].text);
                int used_index;
                double t0 = bench_now_ms();
                bench_fts_query(&fts, typed, max, &used_index);
                double ms = bench_now_ms() - t0;
                bench_samples_add(&fts_all, ms);
                if (used_index)
                    bench_samples_add(&fts_3plus, ms);
            }
        }
    }
    bench_samples_sort(&hanzi_ours);
    bench_samples_sort(&hanzi_ours_3plus);
    bench_samples_sort(&fts_all);
    bench_samples_sort(&fts_3plus);
    struct {
        const char *label;
        struct bench_samples *ours, *peer;
    } comparisons[] = {
        {"hanzi-all", &hanzi_ours, &fts_all},
        {"hanzi-3plus", &hanzi_ours_3plus, &fts_3plus},
    };
    for (size_t c = 0; c < 2; c++) {
        double ours_median = bench_percentile(comparisons[c].ours->values, comparisons[c].ours->count, 50);
        double ours_p99 = bench_percentile(comparisons[c].ours->values, comparisons[c].ours->count, 99);
        double peer_median = bench_percentile(comparisons[c].peer->values, comparisons[c].peer->count, 50);
        double peer_p99 = bench_percentile(comparisons[c].peer->values, comparisons[c].peer->count, 99);
        printf("search-vs-fts5 %s keystrokes %zu ours-median-ms %.3f ours-p99-ms %.3f fts5-median-ms %.3f "
               "fts5-p99-ms %.3f median-ratio %.1f p99-ratio %.1f\n",
               comparisons[c].label, comparisons[c].ours->count, ours_median, ours_p99, peer_median, peer_p99,
               ours_median > 0 ? peer_median / ours_median : 0.0, ours_p99 > 0 ? peer_p99 / ours_p99 : 0.0);
    }

    /* Latin queries: FTS5 over hanzi names has no pinyin, so it finds nothing. */
    size_t latin = 0, ours_answered = 0, fts_answered = 0;
    for (size_t q = 0; q < BENCH_QUERY_COUNT; q++) {
        const char *kind = bench_queries[q].kind;
        if (strcmp(kind, "pinyin") && strcmp(kind, "initials") && strcmp(kind, "mixed"))
            continue;
        latin++;
        ours_answered += search_query(index, bench_queries[q].text, results, (size_t)max) > 0;
        int used_index;
        fts_answered += bench_fts_query(&fts, bench_queries[q].text, max, &used_index) > 0;
    }
    printf("search-latin queries %zu ours-answered %zu fts5-answered %zu\n", latin, ours_answered, fts_answered);

    sqlite3_finalize(fts.match);
    sqlite3_finalize(fts.like);
    sqlite3_close(fts.db);
    search_index_free(index);
    free(all.values);
    for (size_t kind = 0; kind < 5; kind++)
        free(per_kind[kind].values);
    free(hanzi_ours.values);
    free(hanzi_ours_3plus.values);
    free(fts_all.values);
    free(fts_3plus.values);
    catalogue_free(loaded);
    free(bench.catalogue.items);
    free(bench.names);
    free(bench.codes);
    free(bench.keyword_pool);
    free(bench.material_pool);
    return 0;
}
