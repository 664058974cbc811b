/* Catalogue search as a resident typing on the on-screen keyboard sees it: which items come
 * back, in which order, in which class, and which bytes of which field are highlighted.
 * The catalogue is built by hand in memory, with only the fields search reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "firmware/gfx/linebreak.h"
#include "firmware/catalogue/pinyin.h"
#include "firmware/catalogue/search.h"

#define RESULTS_MAX 32

static const char *const keywords_pension[] = {"社保", "退休"};
static const char *const keywords_card[] = {"丢了"};
static struct catalogue_material materials_unemployment[] = {{.name = "居民身份证"}, {.name = "社保缴费证明"}};
static struct catalogue_material materials_passport[] = {{.name = "户口簿"}};

/* name, popularity, code; keywords and materials set below. */
static const struct {
    const char *name;
    int64_t popularity;
    const char *code;
} fixture_items[] = {
    {"社保", 5, "11371300MB28517320A3000101001000"},           /* 0 */
    {"社保卡申领", 10, "11371300MB28517320A3000101002000"},    /* 1 */
    {"社保转移", 20, "11371300MB28517320A3000101003000"},      /* 2 */
    {"税额保全措施", 1000, "11371300004201528L3000101001000"}, /* 3 */
    {"参加社保登记", 1000, "11371300004201528L3000101002000"}, /* 4 */
    {"养老保险待遇申领", 900, "11371300004201528L3000101003000"}, /* 5 */
    {"失业登记", 800, "11371300004201528L3000101004000"},      /* 6 */
    {"身份证（补领）", 50, "113713000042015300300010100100"},  /* 7 */
    {"居民身份证申领", 70, "113713000042015300300010100200"},  /* 8 */
    {"银行卡挂失", 30, "113713000042015300300010100300"},      /* 9 */
    {"重庆市户口迁入", 30, "113713000042015300300010100400"},  /* 10 */
    {"ETC办理", 40, "12371300MB1234567X3000101001000"},        /* 11 */
    {"护照", 60, "12371300MB1234567X3000101002000"},           /* 12 */
    {"社保查询", 20, "12371300MB1234567X3000101003000"},       /* 13: ties 2 on popularity */
};
#define FIXTURE_COUNT (sizeof fixture_items / sizeof fixture_items[0])

struct fixture {
    struct catalogue_item items[FIXTURE_COUNT];
    struct catalogue catalogue;
    struct search_index *index;
    struct search_result results[RESULTS_MAX];
};

static struct fixture fixture;

static int setup(void **state)
{
    memset(&fixture, 0, sizeof fixture);
    for (size_t i = 0; i < FIXTURE_COUNT; i++) {
        fixture.items[i].name = fixture_items[i].name;
        fixture.items[i].popularity = fixture_items[i].popularity;
        fixture.items[i].implementation_code = fixture_items[i].code;
        fixture.items[i].parent = -1;
    }
    fixture.items[5].keywords = (const char **)keywords_pension;
    fixture.items[5].keyword_count = 2;
    fixture.items[9].keywords = (const char **)keywords_card;
    fixture.items[9].keyword_count = 1;
    fixture.items[6].materials = materials_unemployment;
    fixture.items[6].material_count = 2;
    fixture.items[12].materials = materials_passport;
    fixture.items[12].material_count = 1;
    fixture.catalogue.items = fixture.items;
    fixture.catalogue.item_count = FIXTURE_COUNT;
    char err[128] = "";
    fixture.index = search_index_build(&fixture.catalogue, err, sizeof err);
    assert_non_null(fixture.index);
    assert_string_equal(err, "");
    *state = &fixture;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    search_index_free(fixture.index);
    return 0;
}

static size_t run(const char *query)
{
    memset(fixture.results, 0xAB, sizeof fixture.results);
    return search_query(fixture.index, query, fixture.results, RESULTS_MAX);
}

/* The highlighted text of result i, from the field it names. */
static void highlighted(size_t i, char *out, size_t size)
{
    const struct search_result *r = &fixture.results[i];
    const struct catalogue_item *item = &fixture.items[r->item];
    const char *field = item->name;
    if (r->field == SEARCH_FIELD_KEYWORD)
        field = item->keywords[r->field_index];
    else if (r->field == SEARCH_FIELD_MATERIAL)
        field = item->materials[r->field_index].name;
    else if (r->field == SEARCH_FIELD_CODE)
        field = item->implementation_code;
    assert_true(r->highlight_start < r->highlight_end);
    assert_true(r->highlight_end <= strlen(field));
    snprintf(out, size, "%.*s", (int)(r->highlight_end - r->highlight_start), field + r->highlight_start);
}

/* "name:class:highlight|..." for every result, so a test states the whole answer. */
static void describe(size_t count, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        char mark[128];
        highlighted(i, mark, sizeof mark);
        int n = snprintf(out + used, size - used, "%s%s:%s:%s", i ? "|" : "",
                         fixture.items[fixture.results[i].item].name,
                         search_class_name(fixture.results[i].rank_class), mark);
        assert_true(n > 0 && (size_t)n < size - used);
        used += (size_t)n;
    }
}

#define assert_search(query, expected)                     \
    do {                                                   \
        char described_[2048];                             \
        describe(run(query), described_, sizeof described_); \
        assert_string_equal(described_, (expected));       \
    } while (0)

static void test_full_pinyin(void **state)
{
    (void)state;
    assert_search("shenfenzheng", "身份证（补领）:prefix:身份证|居民身份证申领:substring:身份证|失业登记:material:身份证");
    assert_search("shenfenzhengbuling", "身份证（补领）:exact:身份证（补领");
    assert_search("huzhao", "护照:exact:护照");
}

static void test_partial_syllables_with_and_without_spaces(void **state)
{
    (void)state;
    assert_search("shenfz", "身份证（补领）:initials:身份证|居民身份证申领:substring:身份证|失业登记:material:身份证");
    /* A space ends a syllable: "shen fen" is 身份, and full syllables make it a prefix. */
    assert_search("shen fen", "身份证（补领）:prefix:身份|居民身份证申领:substring:身份|失业登记:material:身份");
    assert_search("shen'fen'z", "身份证（补领）:prefix:身份证|居民身份证申领:substring:身份证|失业登记:material:身份证");
    /* The syllable being typed is a prefix still: "shenfenzhen" is on its way to zheng. */
    assert_search("shenfenzhen", "身份证（补领）:prefix:身份证|居民身份证申领:substring:身份证|失业登记:material:身份证");
}

static void test_initials_and_mixed(void **state)
{
    (void)state;
    assert_search("sfz", "身份证（补领）:initials:身份证|居民身份证申领:substring:身份证|失业登记:material:身份证");
    assert_search("sfzbl", "身份证（补领）:initials:身份证（补领");
    assert_search("jmsfzsl", "居民身份证申领:initials:居民身份证申领");
    assert_search("hz", "护照:initials:护照");
    /* Upper case and full-width letters type the same. */
    assert_search("SFZBL", "身份证（补领）:initials:身份证（补领");
    assert_search("ｓｆｚｂｌ", "身份证（补领）:initials:身份证（补领");
}

static void test_hanzi_and_mixed_hanzi_latin(void **state)
{
    (void)state;
    assert_search("身份证", "身份证（补领）:prefix:身份证|居民身份证申领:substring:身份证|失业登记:material:身份证");
    assert_search("护照", "护照:exact:护照");
    assert_search("身份z", "身份证（补领）:prefix:身份证|居民身份证申领:substring:身份证|失业登记:material:身份证");
    assert_search("户口", "重庆市户口迁入:substring:户口|护照:material:户口");
}

static void test_polyphones_match_any_reading(void **state)
{
    (void)state;
    assert_search("yinhang", "银行卡挂失:prefix:银行");
    assert_search("yinxing", "银行卡挂失:prefix:银行"); /* 行 is xing as well */
    assert_search("yh", "银行卡挂失:initials:银行");
    assert_search("chongqing", "重庆市户口迁入:prefix:重庆");
    assert_search("zhongqing", "重庆市户口迁入:prefix:重庆");
    assert_search("cqshk", "重庆市户口迁入:initials:重庆市户口");
}

static void test_ranking_by_class_then_popularity(void **state)
{
    (void)state;
    /* exact > prefix (社保转移 and 社保查询 tie on popularity: name order, 查 E69FA5 < 转 E8BDAC)
     * > initials (税 shui typed "sh") > substring > keyword > material, whatever the popularity. */
    assert_search("shebao", "社保:exact:社保|社保查询:prefix:社保|社保转移:prefix:社保|社保卡申领:prefix:社保|"
                            "税额保全措施:initials:税额保|参加社保登记:substring:社保|"
                            "养老保险待遇申领:keyword:社保|失业登记:material:社保");
    assert_search("社保", "社保:exact:社保|社保查询:prefix:社保|社保转移:prefix:社保|社保卡申领:prefix:社保|"
                          "参加社保登记:substring:社保|养老保险待遇申领:keyword:社保|失业登记:material:社保");
    /* max cuts the list after the best. */
    assert_int_equal(search_query(fixture.index, "shebao", fixture.results, 2), 2);
    assert_int_equal(fixture.results[0].item, 0);
    assert_int_equal(fixture.results[1].item, 13);
}

static void test_keywords_and_materials_say_which(void **state)
{
    (void)state;
    assert_int_equal(run("tuixiu"), 1);
    assert_int_equal(fixture.results[0].item, 5);
    assert_int_equal(fixture.results[0].rank_class, SEARCH_CLASS_KEYWORD);
    assert_int_equal(fixture.results[0].field, SEARCH_FIELD_KEYWORD);
    assert_int_equal(fixture.results[0].field_index, 1);
    assert_int_equal(fixture.results[0].highlight_start, 0);
    assert_int_equal(fixture.results[0].highlight_end, 6);
    /* 居民身份证 is a material of 失业登记 only; the names with 身份证 rank above it. */
    assert_search("jumin", "居民身份证申领:prefix:居民|失业登记:material:居民");
    assert_int_equal(fixture.results[1].field, SEARCH_FIELD_MATERIAL);
    assert_int_equal(fixture.results[1].field_index, 0);
    assert_search("diule", "银行卡挂失:keyword:丢了");
}

static void test_highlight_bytes(void **state)
{
    (void)state;
    /* 参加社保登记: 社保登记 is characters 2-5, bytes 6-18. */
    assert_int_equal(run("shebaodj"), 1);
    assert_int_equal(fixture.results[0].rank_class, SEARCH_CLASS_SUBSTRING);
    assert_int_equal(fixture.results[0].highlight_start, 6);
    assert_int_equal(fixture.results[0].highlight_end, 18);
    /* Latin letters in a name match themselves; bytes 0-3 of "ETC办理". */
    assert_int_equal(run("etc"), 1);
    assert_int_equal(fixture.results[0].rank_class, SEARCH_CLASS_PREFIX);
    assert_int_equal(fixture.results[0].highlight_start, 0);
    assert_int_equal(fixture.results[0].highlight_end, 3);
    assert_search("etcbanli", "ETC办理:exact:ETC办理");
    /* Exact covers every character but not the closing bracket: 身份证（补领 is 18 bytes. */
    assert_int_equal(run("shenfenzhengbuling"), 1);
    assert_int_equal(fixture.results[0].highlight_start, 0);
    assert_int_equal(fixture.results[0].highlight_end, 18);
}

static void test_implementation_code_prefix(void **state)
{
    (void)state;
    assert_search("12371300MB", "护照:code:12371300MB|ETC办理:code:12371300MB|社保查询:code:12371300MB");
    assert_search("12371300mb1234567x3000101001", "ETC办理:code:12371300MB1234567X3000101001");
    assert_int_equal(run("12371300MB9"), 0);
}

static void test_empty_long_and_no_match(void **state)
{
    (void)state;
    assert_int_equal(run(""), 0);
    assert_int_equal(run("   "), 0);
    assert_int_equal(run("，。！"), 0);
    assert_int_equal(run("shenfenzhengbulingshenfenzhengbulingshenfenzhengbuling"), 0);
    assert_int_equal(run("vvv"), 0);
    assert_int_equal(run("qqqqq"), 0);
    assert_int_equal(run("犇"), 0); /* a hanzi no text has */
    assert_int_equal(search_query(fixture.index, "sfz", fixture.results, 0), 0);
    assert_int_equal(search_query(fixture.index, NULL, fixture.results, RESULTS_MAX), 0);
    /* A query longer than the matcher's limit is searched on its first units. */
    char long_query[200];
    snprintf(long_query, sizeof long_query, "%s", "hz");
    memset(long_query + 2, 'z', 100);
    long_query[102] = '\0';
    assert_int_equal(run(long_query), 0);
    /* Broken UTF-8 reads as separators, not as a crash. */
    assert_int_equal(run("\xE8\xBA"), 0);
    size_t plain = run("s");
    assert_true(plain > 0);
    assert_int_equal(run("s\xFF"), plain);
}

/* ---- a slow matcher, written from the rules in search.h, to check the index against ---- */

#define REF_UNITS 64
#define REF_TEXT_MAX 64

enum { REF_ANY = 1, REF_FULL = 2, REF_EXACT = 4 };

struct ref_text {
    uint32_t cp[REF_TEXT_MAX];
    size_t n;
};

struct ref_query {
    uint32_t unit[REF_UNITS]; /* a letter (a-z, 0-9) or a hanzi */
    bool letter[REF_UNITS];
    bool boundary[REF_UNITS + 1]; /* a piece starts here */
    size_t m;
};

static uint32_t ref_fold(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        cp -= 0xFEE0;
    if (cp >= 'A' && cp <= 'Z')
        cp += 'a' - 'A';
    return cp;
}

static bool ref_alnum(uint32_t cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9');
}

/* The fixture's only punctuation is ASCII or full-width ASCII (folded to ASCII). */
static bool ref_transparent(uint32_t cp)
{
    return cp < 0x80 && !ref_alnum(cp);
}

static void ref_text_of(const char *s, struct ref_text *t)
{
    size_t len = strlen(s);
    t->n = 0;
    for (size_t off = 0; off < len && t->n < REF_TEXT_MAX;) {
        uint32_t cp;
        off += linebreak_utf8_next(s + off, len - off, &cp);
        t->cp[t->n++] = ref_fold(cp);
    }
}

/* Readings as text: a letter or digit reads as itself. */
static size_t ref_readings(uint32_t cp, const char *out[16])
{
    static char singles[36][2];
    if (ref_alnum(cp)) {
        size_t i = cp <= '9' ? 26 + (cp - '0') : cp - 'a';
        singles[i][0] = (char)cp;
        out[0] = singles[i];
        return 1;
    }
    const uint16_t *ids;
    size_t count = pinyin_readings(cp, &ids);
    if (count > 16)
        count = 16;
    for (size_t i = 0; i < count; i++)
        out[i] = pinyin_syllable_text(ids[i]);
    return count;
}

static void ref_query_of(const char *s, struct ref_query *q)
{
    size_t len = strlen(s);
    bool pending = true;
    q->m = 0;
    memset(q->boundary, 0, sizeof q->boundary);
    for (size_t off = 0; off < len && q->m < REF_UNITS - 1;) {
        uint32_t cp;
        off += linebreak_utf8_next(s + off, len - off, &cp);
        cp = ref_fold(cp);
        if (cp == ' ' || cp == '\'') {
            pending = true;
            continue;
        }
        q->letter[q->m] = ref_alnum(cp);
        q->unit[q->m] = cp;
        q->boundary[q->m] = pending || !q->letter[q->m];
        pending = !q->letter[q->m];
        q->m++;
    }
}

static bool ref_content_after(const struct ref_text *t, size_t j)
{
    for (; j < t->n; j++)
        if (!ref_transparent(t->cp[j]))
            return true;
    return false;
}

/* Flags of the ways the query from unit k matches the text from character j on, given
 * whether every piece so far was a whole syllable. */
static int ref_walk(const struct ref_text *t, size_t j, const struct ref_query *q, size_t k, bool full_before)
{
    while (j < t->n && ref_transparent(t->cp[j]))
        j++;
    if (j >= t->n)
        return 0;
    uint32_t c = t->cp[j];
    int flags = 0;
    if (!q->letter[k]) {
        if (c != q->unit[k])
            return 0;
        if (k + 1 == q->m)
            return REF_ANY | (full_before ? REF_FULL : 0) | (full_before && !ref_content_after(t, j + 1) ? REF_EXACT : 0);
        return ref_walk(t, j + 1, q, k + 1, full_before);
    }
    const char *readings[16];
    size_t count = ref_readings(c, readings);
    for (size_t r = 0; r < count; r++) {
        size_t len = strlen(readings[r]);
        for (size_t l = 1; l <= len && k + l <= q->m; l++) {
            size_t x = k + l - 1;
            if (!q->letter[x] || q->unit[x] != (uint32_t)(unsigned char)readings[r][l - 1] || (l > 1 && q->boundary[x]))
                break;
            bool piece_full = l == len;
            if (k + l == q->m) {
                flags |= REF_ANY;
                if (full_before)
                    flags |= REF_FULL;
                if (full_before && piece_full && !ref_content_after(t, j + 1))
                    flags |= REF_EXACT;
            } else {
                flags |= ref_walk(t, j + 1, q, k + l, full_before && piece_full);
            }
        }
    }
    return flags;
}

/* The class of a name, or SEARCH_NO_MATCH_REF. */
#define REF_NO_MATCH 99
static int ref_name_class(const char *name, const struct ref_query *q)
{
    struct ref_text t;
    ref_text_of(name ? name : "", &t);
    size_t first = 0;
    while (first < t.n && ref_transparent(t.cp[first]))
        first++;
    if (first >= t.n || q->m == 0)
        return REF_NO_MATCH;
    int flags = ref_walk(&t, first, q, 0, true);
    if (flags & REF_EXACT)
        return SEARCH_CLASS_EXACT;
    if (flags & REF_FULL)
        return SEARCH_CLASS_PREFIX;
    if (flags & REF_ANY)
        return SEARCH_CLASS_INITIALS;
    for (size_t j = first + 1; j < t.n; j++)
        if (!ref_transparent(t.cp[j]) && (ref_walk(&t, j, q, 0, true) & REF_ANY))
            return SEARCH_CLASS_SUBSTRING;
    return REF_NO_MATCH;
}

static int ref_item_class(const struct catalogue_item *item, const struct ref_query *q, const char *query)
{
    int name = ref_name_class(item->name, q);
    if (name != REF_NO_MATCH)
        return name;
    for (size_t i = 0; i < item->keyword_count; i++)
        if (ref_name_class(item->keywords[i], q) != REF_NO_MATCH)
            return SEARCH_CLASS_KEYWORD;
    for (size_t i = 0; i < item->material_count; i++)
        if (ref_name_class(item->materials[i].name, q) != REF_NO_MATCH)
            return SEARCH_CLASS_MATERIAL;
    /* Code: the query's letters and digits, upper-cased, begin the code (no hanzi in it). */
    char code[REF_UNITS + 1];
    size_t n = 0;
    for (size_t k = 0; k < q->m; k++) {
        if (!q->letter[k])
            return REF_NO_MATCH;
        code[n++] = (char)(q->unit[k] >= 'a' ? q->unit[k] - ('a' - 'A') : q->unit[k]);
    }
    code[n] = '\0';
    (void)query;
    if (n && item->implementation_code && !strncmp(item->implementation_code, code, n))
        return SEARCH_CLASS_CODE;
    return REF_NO_MATCH;
}

struct ref_expected {
    size_t item;
    int rank_class;
};

static const struct catalogue_item *ref_items; /* for ref_compare, which qsort calls */

static int ref_compare(const void *a, const void *b)
{
    const struct ref_expected *x = a, *y = b;
    if (x->rank_class != y->rank_class)
        return x->rank_class - y->rank_class;
    int64_t px = ref_items[x->item].popularity, py = ref_items[y->item].popularity;
    if (px != py)
        return px > py ? -1 : 1;
    int names = strcmp(ref_items[x->item].name, ref_items[y->item].name);
    return names ? names : (x->item > y->item) - (x->item < y->item);
}

/* The index's first `max` results for query must be the reference's first `max`. */
static void ref_check_catalogue(const struct catalogue *catalogue, const struct search_index *index,
                                const char *query, size_t max)
{
    struct ref_query q;
    ref_query_of(query, &q);
    struct ref_expected *expected = malloc((catalogue->item_count + 1) * sizeof *expected);
    struct search_result *results = malloc((max + 1) * sizeof *results);
    assert_non_null(expected);
    assert_non_null(results);
    size_t count = 0;
    for (size_t i = 0; i < catalogue->item_count; i++) {
        int rank_class = ref_item_class(&catalogue->items[i], &q, query);
        if (rank_class != REF_NO_MATCH)
            expected[count++] = (struct ref_expected){i, rank_class};
    }
    ref_items = catalogue->items;
    qsort(expected, count, sizeof *expected, ref_compare);
    if (count > max)
        count = max;
    size_t got = search_query(index, query, results, max);
    bool same = got == count;
    for (size_t i = 0; same && i < count; i++)
        same = results[i].item == expected[i].item && (int)results[i].rank_class == expected[i].rank_class;
    if (!same) {
        char want[2048] = "", have[2048] = "";
        for (size_t i = 0; i < count; i++)
            snprintf(want + strlen(want), sizeof want - strlen(want), "%s:%d ",
                     catalogue->items[expected[i].item].name, expected[i].rank_class);
        for (size_t i = 0; i < got; i++)
            snprintf(have + strlen(have), sizeof have - strlen(have), "%s:%d ",
                     catalogue->items[results[i].item].name, (int)results[i].rank_class);
        fail_msg("query \"%s\" (max %zu): expected %s, got %s", query, max, want, have);
    }
    free(expected);
    free(results);
}

static void ref_check(const char *query)
{
    ref_check_catalogue(&fixture.catalogue, fixture.index, query, RESULTS_MAX);
    /* A smaller max gives the first results of the full list (the passes stop early). */
    size_t got = search_query(fixture.index, query, fixture.results, RESULTS_MAX);
    for (size_t max = 1; max < got; max++) {
        struct search_result fewer[RESULTS_MAX];
        assert_int_equal(search_query(fixture.index, query, fewer, max), max);
        for (size_t i = 0; i < max; i++)
            if (fewer[i].item != fixture.results[i].item || fewer[i].rank_class != fixture.results[i].rank_class)
                fail_msg("query \"%s\" with max %zu: result %zu differs", query, max, i);
    }
}

static uint32_t ref_random_state = 12345;

static uint32_t ref_random(uint32_t bound)
{
    ref_random_state = ref_random_state * 1103515245u + 12345u;
    return (ref_random_state >> 8) % bound;
}

/* Every keystroke of a query typed in full. */
static void ref_check_typing(const char *query)
{
    size_t len = strlen(query);
    for (size_t end = 1; end <= len; end++) {
        if (end < len && ((unsigned char)query[end] & 0xC0) == 0x80)
            continue; /* inside a hanzi */
        char typed[256];
        snprintf(typed, sizeof typed, "%.*s", (int)end, query);
        ref_check(typed);
    }
}

/* Pinyin of text from character `from`: each character by a random reading, typed in full,
 * as its initial, as its first two letters, or spelled as the hanzi itself. */
static void ref_spell(const char *text, size_t from, char *out, size_t size)
{
    struct ref_text t;
    ref_text_of(text, &t);
    size_t used = 0;
    out[0] = '\0';
    for (size_t j = from; j < t.n && used + 16 < size; j++) {
        const char *readings[16];
        size_t count = ref_readings(t.cp[j], readings);
        uint32_t how = ref_random(8);
        if (count == 0 || how == 7) {
            if (ref_transparent(t.cp[j]))
                continue;
            /* the character itself, as UTF-8 */
            uint32_t cp = t.cp[j];
            if (cp < 0x80)
                out[used++] = (char)cp;
            else if (cp < 0x800) {
                out[used++] = (char)(0xC0 | cp >> 6);
                out[used++] = (char)(0x80 | (cp & 0x3F));
            } else {
                out[used++] = (char)(0xE0 | cp >> 12);
                out[used++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                out[used++] = (char)(0x80 | (cp & 0x3F));
            }
            out[used] = '\0';
            continue;
        }
        const char *reading = readings[ref_random((uint32_t)count)];
        size_t take = how < 4 ? strlen(reading) : how < 6 ? 1 : 2;
        if (take > strlen(reading))
            take = strlen(reading);
        used += (size_t)snprintf(out + used, size - used, "%.*s%s", (int)take, reading, ref_random(6) == 0 ? " " : "");
    }
}

static void test_matches_agree_with_a_reference(void **state)
{
    (void)state;
    /* Spellings of every name, keyword and material, from each of its first characters. */
    const char *texts[64];
    size_t text_count = 0;
    for (size_t i = 0; i < FIXTURE_COUNT; i++) {
        texts[text_count++] = fixture.items[i].name;
        for (size_t k = 0; k < fixture.items[i].keyword_count; k++)
            texts[text_count++] = fixture.items[i].keywords[k];
        for (size_t m = 0; m < fixture.items[i].material_count; m++)
            texts[text_count++] = fixture.items[i].materials[m].name;
    }
    for (int round = 0; round < 12; round++)
        for (size_t t = 0; t < text_count; t++)
            for (size_t from = 0; from < 3; from++) {
                char spelled[256];
                ref_spell(texts[t], from, spelled, sizeof spelled);
                ref_check_typing(spelled);
            }
    /* Random letters: mostly no match, sometimes a surprising one (polyphones, initials). */
    static const char alphabet[] = "shenfzgbaoxiuycqdlj '1";
    for (int i = 0; i < 3000; i++) {
        char query[12];
        size_t len = 1 + ref_random(8);
        for (size_t k = 0; k < len; k++)
            query[k] = alphabet[ref_random(sizeof alphabet - 1)];
        query[len] = '\0';
        ref_check(query);
    }
    ref_check_typing("12371300MB1234567X30001010");
}

/* A bigger catalogue (names repeating across agencies, shared keywords and materials, ties
 * in popularity), where the passes' early stops matter: the top 10 must be the reference's. */
static void test_large_catalogue_agrees_with_reference(void **state)
{
    (void)state;
    static const char *const regions[] = {"", "", "临沂市", "兰山区", "沂南县", "重庆", "个人"};
    static const char *const objects[] = {"居民身份证", "营业执照", "银行账户", "长期护理保险", "乐器培训",
                                          "单位参保", "行政复议", "社保卡", "公积金", "不动产登记", "护照"};
    static const char *const actions[] = {"申领", "换领", "补领", "变更", "注销", "查询", "提取", "备案"};
    static const char *const keywords[] = {"社保", "丢了", "补办", "长辈", "银行", "ETC"};
    static struct catalogue_material materials[] = {{.name = "居民身份证"}, {.name = "户口簿"}, {.name = "单位证明"},
                                                    {.name = "营业执照副本"}};
    enum { ITEMS = 400 };
    static struct catalogue_item items[ITEMS];
    static char names[ITEMS][96], codes[ITEMS][40];
    memset(items, 0, sizeof items);
    for (size_t i = 0; i < ITEMS; i++) {
        snprintf(names[i], sizeof names[i], "%s%s%s", regions[ref_random(7)], objects[ref_random(11)],
                 actions[ref_random(8)]);
        snprintf(codes[i], sizeof codes[i], "1%u371300MB%05u", ref_random(3), (unsigned)ref_random(100000));
        items[i].name = names[i];
        items[i].implementation_code = codes[i];
        items[i].popularity = ref_random(12);
        size_t k = ref_random(6);
        items[i].keywords = (const char **)keywords + k;
        items[i].keyword_count = ref_random((uint32_t)(6 - k) + 1) % 3;
        size_t m = ref_random(4);
        items[i].materials = materials + m;
        items[i].material_count = ref_random((uint32_t)(4 - m) + 1) % 3;
    }
    struct catalogue catalogue = {.items = items, .item_count = ITEMS};
    char err[64];
    struct search_index *index = search_index_build(&catalogue, err, sizeof err);
    assert_non_null(index);
    for (int i = 0; i < 120; i++) {
        char spelled[256], typed[256];
        ref_spell(names[ref_random(ITEMS)], ref_random(4), spelled, sizeof spelled);
        size_t len = strlen(spelled), cut = 1 + ref_random((uint32_t)(len ? len : 1));
        while (cut < len && ((unsigned char)spelled[cut] & 0xC0) == 0x80)
            cut++;
        snprintf(typed, sizeof typed, "%.*s", (int)cut, spelled);
        ref_check_catalogue(&catalogue, index, typed, 1 + ref_random(12));
    }
    static const char *const fixed[] = {"证", "登记", "领", "sfz", "s", "z", "yh", "cq", "zhang", "1", "11371300", "ETC", "zzz"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        for (size_t max = 1; max <= 12; max += 5)
            ref_check_catalogue(&catalogue, index, fixed[i], max);
    search_index_free(index);
}

static void test_empty_catalogue_and_names(void **state)
{
    (void)state;
    struct catalogue empty = {0};
    char err[64];
    struct search_index *index = search_index_build(&empty, err, sizeof err);
    assert_non_null(index);
    struct search_result results[4];
    assert_int_equal(search_query(index, "sfz", results, 4), 0);
    search_index_free(index);

    struct catalogue_item items[2] = {{.name = NULL, .popularity = 1}, {.name = "（）", .popularity = 2}};
    struct catalogue nameless = {.items = items, .item_count = 2};
    index = search_index_build(&nameless, err, sizeof err);
    assert_non_null(index);
    assert_int_equal(search_query(index, "a", results, 4), 0);
    assert_int_equal(search_query(index, "（", results, 4), 0);
    assert_true(search_index_bytes(index) > 0);
    search_index_free(index);
    assert_int_equal(search_index_bytes(NULL), 0);
    assert_null(search_index_build(NULL, err, sizeof err));
    assert_true(strlen(err) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_pinyin),
        cmocka_unit_test(test_partial_syllables_with_and_without_spaces),
        cmocka_unit_test(test_initials_and_mixed),
        cmocka_unit_test(test_hanzi_and_mixed_hanzi_latin),
        cmocka_unit_test(test_polyphones_match_any_reading),
        cmocka_unit_test(test_ranking_by_class_then_popularity),
        cmocka_unit_test(test_keywords_and_materials_say_which),
        cmocka_unit_test(test_highlight_bytes),
        cmocka_unit_test(test_implementation_code_prefix),
        cmocka_unit_test(test_empty_long_and_no_match),
        cmocka_unit_test(test_matches_agree_with_a_reference),
        cmocka_unit_test(test_large_catalogue_agrees_with_reference),
        cmocka_unit_test(test_empty_catalogue_and_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
