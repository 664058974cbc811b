/* search_query on arbitrary bytes: the query is what a resident types on the on-screen
 * keyboard (and, later, what an IME or a voice front end hands over). Over a small fixed
 * index, every answer must be well formed: at most max results, each item once, classes in
 * order and, within a class, popularity never rising; every highlight inside its field. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "firmware/catalogue/search.h"

#define FUZZ_RESULTS_MAX 8

static const char *const fuzz_names[] = {
    "居民身份证申领", "身份证（补领）", "社保", "社保卡申领", "税额保全措施", "参加社保登记", "银行卡挂失",
    "重庆市户口迁入", "ETC办理", "护照", "乐器培训机构备案", "单位参保登记", "长期护理保险", "行政复议",
    "Ｗｉ-Ｆｉ 开通", "〇号文件查询", "ǚ", "",
};
#define FUZZ_ITEM_COUNT (sizeof fuzz_names / sizeof fuzz_names[0])
static const char *const fuzz_keywords[] = {"丢了", "社保", "补办", "xx"};
static struct catalogue_material fuzz_materials[] = {{.name = "户口簿"}, {.name = "居民身份证"}, {.name = "（照片）"}};

/* Built once on the fuzzer's one thread and never changed afterwards. */
static struct catalogue_item fuzz_items[FUZZ_ITEM_COUNT];
static struct catalogue fuzz_catalogue;
static struct search_index *fuzz_index;

static void fuzz_index_build(void)
{
    static const char *const codes[] = {"11371300MB28517320A3000101001000", "113713000042015300300010100100",
                                        "12371300MB1234567X3000101001000", NULL};
    for (size_t i = 0; i < FUZZ_ITEM_COUNT; i++) {
        fuzz_items[i].name = fuzz_names[i];
        fuzz_items[i].popularity = (int64_t)((i * 7) % 5);
        fuzz_items[i].implementation_code = codes[i % 4];
        fuzz_items[i].keywords = (const char **)fuzz_keywords + i % 3;
        fuzz_items[i].keyword_count = i % 3;
        fuzz_items[i].materials = fuzz_materials + i % 2;
        fuzz_items[i].material_count = 1 + i % 2;
    }
    fuzz_catalogue.items = fuzz_items;
    fuzz_catalogue.item_count = FUZZ_ITEM_COUNT;
    char err[128];
    fuzz_index = search_index_build(&fuzz_catalogue, err, sizeof err);
    FUZZ_CHECK(fuzz_index != NULL);
}

static const char *fuzz_field(const struct search_result *r)
{
    const struct catalogue_item *item = &fuzz_items[r->item];
    switch (r->field) {
    case SEARCH_FIELD_KEYWORD:
        FUZZ_CHECK(r->field_index < item->keyword_count);
        return item->keywords[r->field_index];
    case SEARCH_FIELD_MATERIAL:
        FUZZ_CHECK(r->field_index < item->material_count);
        return item->materials[r->field_index].name;
    case SEARCH_FIELD_CODE:
        FUZZ_CHECK(item->implementation_code != NULL);
        return item->implementation_code;
    case SEARCH_FIELD_NAME:
        return item->name;
    }
    FUZZ_CHECK(!"unknown field");
    return "";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fuzz_index)
        fuzz_index_build();
    char *query = malloc(size + 1);
    if (!query)
        return 0;
    memcpy(query, data, size);
    query[size] = '\0';
    struct search_result results[FUZZ_RESULTS_MAX];
    size_t max = size % FUZZ_RESULTS_MAX + 1;
    size_t count = search_query(fuzz_index, query, results, max);
    FUZZ_CHECK(count <= max);
    for (size_t i = 0; i < count; i++) {
        const struct search_result *r = &results[i];
        FUZZ_CHECK(r->item < FUZZ_ITEM_COUNT);
        FUZZ_CHECK(r->rank_class >= SEARCH_CLASS_EXACT && r->rank_class <= SEARCH_CLASS_CODE);
        enum search_field expected = r->rank_class <= SEARCH_CLASS_SUBSTRING ? SEARCH_FIELD_NAME
                                     : r->rank_class == SEARCH_CLASS_KEYWORD  ? SEARCH_FIELD_KEYWORD
                                     : r->rank_class == SEARCH_CLASS_MATERIAL ? SEARCH_FIELD_MATERIAL
                                                                              : SEARCH_FIELD_CODE;
        FUZZ_CHECK(r->field == expected);
        const char *field = fuzz_field(r);
        FUZZ_CHECK(r->highlight_start < r->highlight_end && r->highlight_end <= strlen(field));
        /* Highlights start and end on character boundaries (never inside a UTF-8 sequence). */
        FUZZ_CHECK(((unsigned char)field[r->highlight_start] & 0xC0) != 0x80);
        FUZZ_CHECK(((unsigned char)field[r->highlight_end] & 0xC0) != 0x80);
        for (size_t j = 0; j < i; j++)
            FUZZ_CHECK(results[j].item != r->item);
        if (i > 0) {
            const struct search_result *p = &results[i - 1];
            FUZZ_CHECK(p->rank_class <= r->rank_class);
            if (p->rank_class == r->rank_class)
                FUZZ_CHECK(fuzz_items[p->item].popularity >= fuzz_items[r->item].popularity);
        }
    }
    /* The same query gives the same answer: no state is kept between calls. */
    struct search_result again[FUZZ_RESULTS_MAX];
    FUZZ_CHECK(search_query(fuzz_index, query, again, max) == count);
    FUZZ_CHECK(count == 0 || memcmp(again, results, count * sizeof *results) == 0);
    free(query);
    return 0;
}
