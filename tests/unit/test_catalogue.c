/* The service item catalogue: the loader against every rule of docs/catalogue-format.md (one
 * valid document and a table of broken ones, each with the exact line a technician sees), the
 * GB 32100 check, the SQLite store as rows on disk, the rule that a rejected update leaves the
 * stored catalogue as it was, and the synthetic generator's output. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
/* The test reads the database with SQLite itself, not through db.c: an independent look at
 * what is on disk. */
#include <sqlite3.h>

#include "firmware/catalogue/catalogue.h"
#include "firmware/storage/db.h"

#define COUNT(array) (sizeof(array) / sizeof(array)[0])

#define CODE_ID_MAIN "11371300004439557B1000100"
#define CODE_ID_RENEW "11371300004439557B1000101"
#define CODE_ID_RENEW_EXPIRED "11371300004439557B1000102"
#define CODE_INSURANCE "11371300MB2851732X2000100"

/* Four items: a main item, its sub item, that one's handling item, and a second agency's
 * main item; one hall; one theme listing two of them. */
static const char small_document[] =
    "{\n"
    "  \"format\": \"kiosk-catalogue/1\",\n"
    "  \"version\": \"2026.11.27-1\",\n"
    "  \"published\": \"2026-11-27T08:00:00+08:00\",\n"
    "  \"region\": { \"code\": \"371300\", \"name\": \"临沂市\" },\n"
    "  \"halls\": [\n"
    "    { \"id\": \"ly-zwzx\", \"name\": \"临沂市政务服务中心\", \"address\": \"临沂市兰山区北京路与上海路交汇处\",\n"
    "      \"hours\": \"周一至周五 9:00—12:00，13:30—17:00（法定节假日除外）\", \"phone\": \"0539-12345\" }\n"
    "  ],\n"
    "  \"themes\": [\n"
    "    { \"id\": \"newborn\", \"name\": \"新生儿出生一件事\", \"description\": \"出生医学证明、户口登记、医保参保、社保卡申领一次办\",\n"
    "      \"items\": [\"11371300MB2851732X2000100\", \"11371300004439557B1000101\"] }\n"
    "  ],\n"
    "  \"items\": [\n"
    "    {\n"
    "      \"name\": \"居民身份证办理\",\n"
    "      \"basic_code\": \"000105001000\",\n"
    "      \"implementation_code\": \"11371300004439557B1000100\",\n"
    "      \"level\": \"main\",\n"
    "      \"parent\": null,\n"
    "      \"type\": \"行政确认\",\n"
    "      \"department\": \"临沂市公安局\",\n"
    "      \"department_category\": \"公安\",\n"
    "      \"agency\": { \"name\": \"临沂市公安局\", \"credit_code\": \"11371300004439557B\" },\n"
    "      \"legal_basis\": [\"《中华人民共和国居民身份证法》\"],\n"
    "      \"conditions\": \"具有本市常住户口的中国公民\",\n"
    "      \"service_object\": [\"natural_person\"],\n"
    "      \"steps\": [ { \"title\": \"提交申请\", \"description\": \"到窗口提交申请\" } ],\n"
    "      \"materials\": [],\n"
    "      \"intermediary\": [],\n"
    "      \"time_limit\": { \"legal\": null, \"promised\": { \"value\": 60, \"unit\": \"natural_days\" }, \"note\": \"\" },\n"
    "      \"fees\": [],\n"
    "      \"result\": { \"name\": \"居民身份证\", \"type\": \"certificate\" },\n"
    "      \"quantity_limit\": \"\",\n"
    "      \"special_procedures\": [],\n"
    "      \"channels\": { \"window\": { \"halls\": [\"ly-zwzx\"], \"visits\": 1 }, \"online\": null, \"mobile\": false, \"self_service\": false },\n"
    "      \"kiosk_filable\": false,\n"
    "      \"themes\": [],\n"
    "      \"keywords\": [\"身份证\"],\n"
    "      \"faq\": [],\n"
    "      \"popularity\": 0,\n"
    "      \"version\": \"1.0\",\n"
    "      \"updated\": \"2026-10-01T09:00:00+08:00\"\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"居民身份证换领\",\n"
    "      \"basic_code\": \"000105001001\",\n"
    "      \"implementation_code\": \"11371300004439557B1000101\",\n"
    "      \"level\": \"sub\",\n"
    "      \"parent\": \"11371300004439557B1000100\",\n"
    "      \"type\": \"行政确认\",\n"
    "      \"department\": \"临沂市公安局\",\n"
    "      \"department_category\": \"公安\",\n"
    "      \"agency\": { \"name\": \"临沂市公安局\", \"credit_code\": \"11371300004439557B\" },\n"
    "      \"legal_basis\": [\"《中华人民共和国居民身份证法》第十一条\", \"《山东省居民身份证管理办法》\"],\n"
    "      \"conditions\": \"居民身份证有效期满或者登记内容变更的\",\n"
    "      \"service_object\": [\"natural_person\"],\n"
    "      \"steps\": [\n"
    "        { \"title\": \"提交申请\", \"description\": \"刷身份证并现场采集相片\" },\n"
    "        { \"title\": \"受理审核\", \"description\": \"核验身份和户籍信息\" },\n"
    "        { \"title\": \"领取证件\", \"description\": \"邮寄或到窗口领取\" }\n"
    "      ],\n"
    "      \"materials\": [\n"
    "        { \"name\": \"居民户口簿\", \"required\": true, \"condition\": \"\", \"form\": \"original\", \"copies\": 1,\n"
    "          \"media\": \"paper_or_electronic\", \"source\": \"government\", \"blank_form\": false, \"sample\": false,\n"
    "          \"e_licence\": \"居民户口簿\", \"notes\": \"核验后退还\" },\n"
    "        { \"name\": \"授权委托书\", \"required\": false, \"condition\": \"委托他人办理的\", \"form\": \"original_and_copy\", \"copies\": 2,\n"
    "          \"media\": \"paper\", \"source\": \"applicant\", \"blank_form\": true, \"sample\": true,\n"
    "          \"e_licence\": null, \"notes\": \"\" }\n"
    "      ],\n"
    "      \"intermediary\": [],\n"
    "      \"time_limit\": { \"legal\": { \"value\": 60, \"unit\": \"working_days\" }, \"promised\": { \"value\": 20, \"unit\": \"working_days\" }, \"note\": \"异地换领为30个工作日\" },\n"
    "      \"fees\": [ { \"name\": \"工本费\", \"standard\": \"20元/证\", \"basis\": \"国家发展改革委、财政部有关收费标准\" } ],\n"
    "      \"result\": { \"name\": \"中华人民共和国居民身份证\", \"type\": \"certificate\" },\n"
    "      \"quantity_limit\": \"每人一证\",\n"
    "      \"special_procedures\": [\"现场采集指纹\"],\n"
    "      \"channels\": { \"window\": { \"halls\": [\"ly-zwzx\"], \"visits\": 2 },\n"
    "                    \"online\": { \"url\": \"https://zwfw.linyi.gov.cn/item/1000101\", \"depth\": 3 },\n"
    "                    \"mobile\": true, \"self_service\": true },\n"
    "      \"kiosk_filable\": true,\n"
    "      \"themes\": [\"newborn\"],\n"
    "      \"keywords\": [\"身份证\", \"过期\", \"到期换证\"],\n"
    "      \"faq\": [ { \"q\": \"身份证过期了还能坐火车吗？\", \"a\": \"可以办理临时乘车证明。\" } ],\n"
    "      \"popularity\": 120000,\n"
    "      \"version\": \"2.3\",\n"
    "      \"updated\": \"2026-11-20T15:30:00+08:00\"\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"居民身份证换领（到期换领）\",\n"
    "      \"basic_code\": \"000105001002\",\n"
    "      \"implementation_code\": \"11371300004439557B1000102\",\n"
    "      \"level\": \"handling\",\n"
    "      \"parent\": \"11371300004439557B1000101\",\n"
    "      \"type\": \"行政确认\",\n"
    "      \"department\": \"临沂市公安局\",\n"
    "      \"department_category\": \"公安\",\n"
    "      \"agency\": { \"name\": \"临沂市公安局\", \"credit_code\": \"11371300004439557B\" },\n"
    "      \"legal_basis\": [\"《居民身份证法》\"],\n"
    "      \"conditions\": \"证件有效期满前三个月内\",\n"
    "      \"service_object\": [\"natural_person\"],\n"
    "      \"steps\": [ { \"title\": \"现场办理\", \"description\": \"窗口一次办结\" } ],\n"
    "      \"materials\": [],\n"
    "      \"intermediary\": [\"照相馆\"],\n"
    "      \"time_limit\": { \"legal\": { \"value\": 10, \"unit\": \"working_days\" }, \"promised\": { \"value\": 0, \"unit\": \"immediate\" }, \"note\": \"当场受理\" },\n"
    "      \"fees\": [],\n"
    "      \"result\": { \"name\": \"受理回执\", \"type\": \"record\" },\n"
    "      \"quantity_limit\": \"\",\n"
    "      \"special_procedures\": [],\n"
    "      \"channels\": { \"window\": null, \"online\": null, \"mobile\": false, \"self_service\": true },\n"
    "      \"kiosk_filable\": false,\n"
    "      \"themes\": [],\n"
    "      \"keywords\": [],\n"
    "      \"faq\": [],\n"
    "      \"popularity\": 5,\n"
    "      \"version\": \"1\",\n"
    "      \"updated\": \"2026-11-21T08:00:00Z\"\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"基本医疗保险参保登记\",\n"
    "      \"basic_code\": \"000110002000\",\n"
    "      \"implementation_code\": \"11371300MB2851732X2000100\",\n"
    "      \"level\": \"main\",\n"
    "      \"parent\": null,\n"
    "      \"type\": \"公共服务\",\n"
    "      \"department\": \"临沂市医疗保障局\",\n"
    "      \"department_category\": \"医保\",\n"
    "      \"agency\": { \"name\": \"临沂市医疗保障局\", \"credit_code\": \"11371300MB2851732X\" },\n"
    "      \"legal_basis\": [\"《中华人民共和国社会保险法》\"],\n"
    "      \"conditions\": \"本市户籍居民\",\n"
    "      \"service_object\": [\"natural_person\", \"legal_person\"],\n"
    "      \"steps\": [ { \"title\": \"自助申报\", \"description\": \"在自助终端刷身份证申报\" } ],\n"
    "      \"materials\": [],\n"
    "      \"intermediary\": [],\n"
    "      \"time_limit\": { \"legal\": null, \"promised\": { \"value\": 0, \"unit\": \"immediate\" }, \"note\": \"\" },\n"
    "      \"fees\": [],\n"
    "      \"result\": { \"name\": \"参保登记回执\", \"type\": \"record\" },\n"
    "      \"quantity_limit\": \"\",\n"
    "      \"special_procedures\": [],\n"
    "      \"channels\": { \"window\": { \"halls\": [\"ly-zwzx\"], \"visits\": 0 }, \"online\": null, \"mobile\": true, \"self_service\": true },\n"
    "      \"kiosk_filable\": true,\n"
    "      \"themes\": [\"newborn\"],\n"
    "      \"keywords\": [\"医保\", \"参保\"],\n"
    "      \"faq\": [],\n"
    "      \"popularity\": 3000,\n"
    "      \"version\": \"1.2\",\n"
    "      \"updated\": \"2026-09-09T10:00:00+08:00\"\n"
    "    }\n"
    "  ]\n"
    "}\n";

static char temp_dir[64];
static char stored_db[PATH_MAX]; /* holds the good catalogue for the broken-update cases */
static char stored_rows[4096];   /* what its rows said after the store */

static void db_remove(const char *path)
{
    char name[PATH_MAX + 8];
    unlink(path);
    snprintf(name, sizeof name, "%s-wal", path);
    unlink(name);
    snprintf(name, sizeof name, "%s-shm", path);
    unlink(name);
}

static void db_path_for(const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s.db", temp_dir, name);
    db_remove(out);
}

/* text with find, which must occur exactly once, replaced. */
static char *text_replace(const char *text, const char *find, const char *replace)
{
    const char *at = strstr(text, find);
    if (!at || strstr(at + 1, find))
        fail_msg("\"%s\" must occur exactly once in the document", find);
    size_t head = (size_t)(at - text), find_len = strlen(find), replace_len = strlen(replace);
    char *out = malloc(strlen(text) - find_len + replace_len + 1);
    assert_non_null(out);
    memcpy(out, text, head);
    memcpy(out + head, replace, replace_len);
    strcpy(out + head + replace_len, at + find_len);
    return out;
}

static struct catalogue *parse_ok(const char *text)
{
    struct catalogue *catalogue = NULL;
    char err[512] = "";
    if (catalogue_parse(text, strlen(text), &catalogue, err, sizeof err) != 0)
        fail_msg("expected a valid document, got: %s", err);
    assert_non_null(catalogue);
    return catalogue;
}

/* ---- reading the database with SQLite itself ---- */
static sqlite3 *sql_open(const char *path)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    return db;
}

/* The first column of the first row as text ("" for NULL or no row). */
static void sql_text(sqlite3 *db, const char *sql, char *out, size_t size)
{
    sqlite3_stmt *statement;
    if (sqlite3_prepare_v2(db, sql, -1, &statement, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    out[0] = '\0';
    if (sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_text(statement, 0))
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(statement, 0));
    sqlite3_finalize(statement);
}

static long long sql_int(sqlite3 *db, const char *sql)
{
    char text[64];
    sql_text(db, sql, text, sizeof text);
    return atoll(text);
}

/* Everything the stored rows say, as one string to compare. */
static void rows_describe(const char *path, char *out, size_t size)
{
    sqlite3 *db = sql_open(path);
    sql_text(db,
             "SELECT (SELECT version || '|' || published || '|' || region || '|' || item_count || '|' || "
             "length(document) FROM catalogue) || '|' || group_concat(row, ',') FROM ("
             "SELECT implementation_code || ':' || name || ':' || basic_code || ':' || level || ':' || "
             "ifnull(parent_code, '-') || ':' || department_category || ':' || kiosk_filable || ':' || "
             "popularity AS row FROM catalogue_items ORDER BY implementation_code)",
             out, size);
    sqlite3_close(db);
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(temp_dir, sizeof temp_dir, "/tmp/kiosk-test-catalogue-XXXXXX");
    if (!mkdtemp(temp_dir))
        return -1;
    /* The catalogue in use before each broken update arrives. */
    db_path_for("stored", stored_db, sizeof stored_db);
    struct catalogue *catalogue;
    char err[512];
    if (catalogue_parse(small_document, strlen(small_document), &catalogue, err, sizeof err) != 0 ||
        catalogue_store(catalogue, stored_db, err, sizeof err) != 0) {
        fprintf(stderr, "setup: %s\n", err);
        return -1;
    }
    catalogue_free(catalogue);
    rows_describe(stored_db, stored_rows, sizeof stored_rows);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    char command[PATH_MAX + 16];
    snprintf(command, sizeof command, "rm -rf '%s'", temp_dir);
    return system(command) == 0 ? 0 : -1;
}

/* ---- the valid document ---- */
static void test_parse_small_document(void **state)
{
    (void)state;
    struct catalogue *c = parse_ok(small_document);
    assert_string_equal(c->version, "2026.11.27-1");
    assert_string_equal(c->published, "2026-11-27T08:00:00+08:00");
    assert_string_equal(c->region_code, "371300");
    assert_string_equal(c->region_name, "临沂市");
    assert_int_equal(c->document_length, strlen(small_document));
    assert_memory_equal(c->document, small_document, c->document_length);

    assert_int_equal(c->hall_count, 1);
    assert_string_equal(c->halls[0].id, "ly-zwzx");
    assert_string_equal(c->halls[0].name, "临沂市政务服务中心");
    assert_string_equal(c->halls[0].hours, "周一至周五 9:00—12:00，13:30—17:00（法定节假日除外）");
    assert_string_equal(c->halls[0].phone, "0539-12345");

    assert_int_equal(c->theme_count, 1);
    assert_string_equal(c->themes[0].id, "newborn");
    assert_string_equal(c->themes[0].name, "新生儿出生一件事");
    assert_int_equal(c->themes[0].item_count, 2);
    assert_int_equal(c->themes[0].items[0], 3);
    assert_int_equal(c->themes[0].items[1], 1);

    assert_int_equal(c->item_count, 4);
    const struct catalogue_item *main_item = &c->items[0], *renew = &c->items[1], *expired = &c->items[2],
                                *insurance = &c->items[3];
    assert_string_equal(main_item->name, "居民身份证办理");
    assert_int_equal(main_item->level, CATALOGUE_LEVEL_MAIN);
    assert_int_equal(main_item->parent, -1);
    assert_false(main_item->legal_limit.present);
    assert_true(main_item->promised_limit.present);
    assert_int_equal(main_item->promised_limit.value, 60);
    assert_int_equal(main_item->promised_limit.unit, CATALOGUE_UNIT_NATURAL_DAYS);
    assert_int_equal(main_item->window_hall_count, 1);
    assert_int_equal(main_item->window_halls[0], 0);
    assert_int_equal(main_item->window_visits, 1);
    assert_null(main_item->online_url);
    assert_int_equal(main_item->material_count, 0);
    assert_int_equal(main_item->popularity, 0);

    assert_string_equal(renew->name, "居民身份证换领");
    assert_string_equal(renew->basic_code, "000105001001");
    assert_string_equal(renew->implementation_code, CODE_ID_RENEW);
    assert_int_equal(renew->level, CATALOGUE_LEVEL_SUB);
    assert_int_equal(renew->parent, 0);
    assert_string_equal(renew->type, "行政确认");
    assert_string_equal(renew->department, "临沂市公安局");
    assert_string_equal(renew->department_category, "公安");
    assert_string_equal(renew->agency_name, "临沂市公安局");
    assert_string_equal(renew->agency_credit_code, "11371300004439557B");
    assert_int_equal(renew->legal_basis_count, 2);
    assert_string_equal(renew->legal_basis[1], "《山东省居民身份证管理办法》");
    assert_string_equal(renew->conditions, "居民身份证有效期满或者登记内容变更的");
    assert_true(renew->for_natural_person);
    assert_false(renew->for_legal_person);
    assert_int_equal(renew->step_count, 3);
    assert_string_equal(renew->steps[2].title, "领取证件");
    assert_string_equal(renew->steps[2].description, "邮寄或到窗口领取");
    assert_int_equal(renew->material_count, 2);
    const struct catalogue_material *book = &renew->materials[0], *proxy = &renew->materials[1];
    assert_string_equal(book->name, "居民户口簿");
    assert_true(book->required);
    assert_string_equal(book->condition, "");
    assert_int_equal(book->form, CATALOGUE_FORM_ORIGINAL);
    assert_int_equal(book->copies, 1);
    assert_int_equal(book->media, CATALOGUE_MEDIA_PAPER_OR_ELECTRONIC);
    assert_int_equal(book->source, CATALOGUE_SOURCE_GOVERNMENT);
    assert_string_equal(book->e_licence, "居民户口簿");
    assert_string_equal(book->notes, "核验后退还");
    assert_false(proxy->required);
    assert_string_equal(proxy->condition, "委托他人办理的");
    assert_int_equal(proxy->form, CATALOGUE_FORM_ORIGINAL_AND_COPY);
    assert_int_equal(proxy->copies, 2);
    assert_int_equal(proxy->media, CATALOGUE_MEDIA_PAPER);
    assert_int_equal(proxy->source, CATALOGUE_SOURCE_APPLICANT);
    assert_true(proxy->blank_form);
    assert_true(proxy->sample);
    assert_null(proxy->e_licence);
    assert_int_equal(renew->intermediary_count, 0);
    assert_true(renew->legal_limit.present);
    assert_int_equal(renew->legal_limit.value, 60);
    assert_int_equal(renew->legal_limit.unit, CATALOGUE_UNIT_WORKING_DAYS);
    assert_int_equal(renew->promised_limit.value, 20);
    assert_string_equal(renew->limit_note, "异地换领为30个工作日");
    assert_int_equal(renew->fee_count, 1);
    assert_string_equal(renew->fees[0].name, "工本费");
    assert_string_equal(renew->fees[0].standard, "20元/证");
    assert_string_equal(renew->result_name, "中华人民共和国居民身份证");
    assert_int_equal(renew->result_type, CATALOGUE_RESULT_CERTIFICATE);
    assert_string_equal(renew->quantity_limit, "每人一证");
    assert_int_equal(renew->special_procedure_count, 1);
    assert_string_equal(renew->special_procedures[0], "现场采集指纹");
    assert_int_equal(renew->window_visits, 2);
    assert_string_equal(renew->online_url, "https://zwfw.linyi.gov.cn/item/1000101");
    assert_int_equal(renew->online_depth, 3);
    assert_true(renew->mobile);
    assert_true(renew->self_service);
    assert_true(renew->kiosk_filable);
    assert_int_equal(renew->theme_count, 1);
    assert_int_equal(renew->themes[0], 0);
    assert_int_equal(renew->keyword_count, 3);
    assert_string_equal(renew->keywords[2], "到期换证");
    assert_int_equal(renew->faq_count, 1);
    assert_string_equal(renew->faq[0].question, "身份证过期了还能坐火车吗？");
    assert_string_equal(renew->faq[0].answer, "可以办理临时乘车证明。");
    assert_int_equal(renew->popularity, 120000);
    assert_string_equal(renew->version, "2.3");
    assert_string_equal(renew->updated, "2026-11-20T15:30:00+08:00");

    assert_int_equal(expired->level, CATALOGUE_LEVEL_HANDLING);
    assert_int_equal(expired->parent, 1);
    assert_int_equal(expired->promised_limit.unit, CATALOGUE_UNIT_IMMEDIATE);
    assert_int_equal(expired->promised_limit.value, 0);
    assert_int_equal(expired->window_hall_count, 0);
    assert_int_equal(expired->intermediary_count, 1);
    assert_int_equal(expired->result_type, CATALOGUE_RESULT_RECORD);
    assert_string_equal(expired->updated, "2026-11-21T08:00:00Z");

    assert_true(insurance->for_natural_person);
    assert_true(insurance->for_legal_person);
    assert_string_equal(insurance->department_category, "医保");
    assert_string_equal(insurance->type, "公共服务");
    assert_int_equal(insurance->window_visits, 0);

    assert_int_equal(catalogue_find_code(c, CODE_ID_MAIN), 0);
    assert_int_equal(catalogue_find_code(c, CODE_ID_RENEW_EXPIRED), 2);
    assert_int_equal(catalogue_find_code(c, CODE_INSURANCE), 3);
    assert_int_equal(catalogue_find_code(c, "11371300004439557B1000199"), -1);
    assert_int_equal(catalogue_find_code(c, ""), -1);
    catalogue_free(c);
}

/* The items before the halls and themes they refer to, an unknown field, a byte order mark:
 * the same catalogue. */
static void test_parse_other_order(void **state)
{
    (void)state;
    const char *items = strstr(small_document, "\n  \"items\": [");
    assert_non_null(items);
    size_t len = strlen(small_document);
    int head = (int)(items - small_document) - 3;      /* after "{\n", without the comma */
    int tail = (int)(len - 3 - (size_t)(items + 1 - small_document)); /* without "\n}\n" */
    char *text = malloc(len + 100);
    assert_non_null(text);
    sprintf(text, "\xEF\xBB\xBF{\n%.*s,\n  \"comment\": { \"by\": [\"a newer platform\"] },\n%.*s\n}\n", tail,
            items + 1, head, small_document + 2);
    struct catalogue *c = parse_ok(text);
    assert_int_equal(c->item_count, 4);
    assert_int_equal(c->items[2].parent, 1);
    assert_int_equal(c->items[1].themes[0], 0);
    assert_int_equal(c->themes[0].items[0], 3);
    assert_string_equal(c->version, "2026.11.27-1");
    assert_int_equal(c->document_length, strlen(text));
    catalogue_free(c);
    free(text);
}

static void expect_error(const char *text, size_t len, const char *error)
{
    struct catalogue *catalogue = (struct catalogue *)&catalogue;
    char err[512] = "";
    assert_int_equal(catalogue_parse(text, len, &catalogue, err, sizeof err), -1);
    assert_null(catalogue);
    assert_string_equal(err, error);
}

static void test_document_errors(void **state)
{
    (void)state;
    expect_error("", 0, "document: not valid JSON at line 1, column 1");
    expect_error("[1, 2]", 6, "document: must be a JSON object");
    expect_error("{\"format\": \"kiosk-catalogue/1\"} x", 33, "document: not valid JSON at line 1, column 33");
    expect_error("{\"format\": \"kiosk-catalogue/1\",}", 32, "document: not valid JSON at line 1, column 32");
    expect_error("{}", 2, "format: missing");
    char *no_items = text_replace(small_document, "\n  \"items\": [", "\n  \"items\": [] , \"old_items\": [");
    expect_error(no_items, strlen(no_items), "items: must have at least 1 entry");
    free(no_items);
    char *items_object = text_replace(small_document, "\n  \"items\": [", "\n  \"items\": {}, \"old_items\": [");
    expect_error(items_object, strlen(items_object), "items: must be an array");
    free(items_object);
    char *items_missing = text_replace(small_document, "\n  \"items\": [", "\n  \"old_items\": [");
    expect_error(items_missing, strlen(items_missing), "items: missing");
    free(items_missing);
    /* (an items array after the themes is read where it stands, so its problems come first) */
    char *items_twice = text_replace(small_document, "{\n  \"format\"", "{\n  \"items\": [1],\n  \"format\"");
    expect_error(items_twice, strlen(items_twice), "items: appears twice");
    free(items_twice);
    /* a length that stops short of the text is respected */
    expect_error(small_document, 100, "document: not valid JSON at line 4, column 17"); /* in "published" */
}

static void test_load_file(void **state)
{
    (void)state;
    char path[PATH_MAX], err[512];
    struct catalogue *catalogue;
    snprintf(path, sizeof path, "%s/catalogue.json", temp_dir);
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs(small_document, file);
    fclose(file);
    assert_int_equal(catalogue_load_file(path, &catalogue, err, sizeof err), 0);
    assert_int_equal(catalogue->item_count, 4);
    assert_int_equal(catalogue->document_length, strlen(small_document));
    catalogue_free(catalogue);

    char *broken = text_replace(small_document, "\"copies\": 2", "\"copies\": 21");
    file = fopen(path, "w");
    assert_non_null(file);
    fputs(broken, file);
    fclose(file);
    free(broken);
    char expected[PATH_MAX + 200];
    snprintf(expected, sizeof expected,
             "%s: items[1] (" CODE_ID_RENEW ") materials[1].copies: must be an integer from 1 to 20", path);
    assert_int_equal(catalogue_load_file(path, &catalogue, err, sizeof err), -1);
    assert_string_equal(err, expected);

    snprintf(path, sizeof path, "%s/missing.json", temp_dir);
    snprintf(expected, sizeof expected, "%s: cannot open: No such file or directory", path);
    assert_int_equal(catalogue_load_file(path, &catalogue, err, sizeof err), -1);
    assert_string_equal(err, expected);
}

/* A long error is cut to the buffer, still a C string. */
static void test_error_truncated(void **state)
{
    (void)state;
    char *broken = text_replace(small_document, "\"department_category\": \"医保\"",
                                "\"department_category\": \"医疗\"");
    struct catalogue *catalogue;
    char err[24];
    memset(err, 'x', sizeof err);
    assert_int_equal(catalogue_parse(broken, strlen(broken), &catalogue, err, sizeof err), -1);
    assert_int_equal(strlen(err), sizeof err - 1);
    assert_memory_equal(err, "items[3] (11371300MB285", sizeof err - 1);
    free(broken);
}

/* ---- GB 32100 ---- */
static void test_credit_code(void **state)
{
    (void)state;
    /* Published codes of well-known companies: an independent check of the weights. */
    assert_true(catalogue_credit_code_valid("914403001922038216"));
    assert_true(catalogue_credit_code_valid("9144030071526726XG"));
    assert_true(catalogue_credit_code_valid("91330100799655058B"));
    assert_true(catalogue_credit_code_valid("11371300004439557B"));
    /* sum divisible by 31: the check is 31, written '0' */
    assert_true(catalogue_credit_code_valid("113713000044395050"));
    assert_int_equal(catalogue_credit_code_check_character("11371300004439505"), '0');
    assert_int_equal(catalogue_credit_code_check_character("9144030071526726X"), 'G');
    assert_int_equal(catalogue_credit_code_check_character("9144030071526726"), '\0');  /* short */
    assert_int_equal(catalogue_credit_code_check_character("9144030071526726I"), '\0'); /* I */

    assert_false(catalogue_credit_code_valid("9144030071526726XH"));  /* wrong check character */
    assert_false(catalogue_credit_code_valid("9144030071526726xg"));  /* lower case */
    assert_false(catalogue_credit_code_valid("9144030071526726X"));   /* 17 characters */
    assert_false(catalogue_credit_code_valid("9144030071526726XG0")); /* 19 characters */
    assert_false(catalogue_credit_code_valid(""));
    assert_false(catalogue_credit_code_valid(NULL));
    /* I, O, S, V and Z are not in the alphabet, wherever they stand, check place included */
    const char *letters = "IOSVZ";
    for (const char *l = letters; *l; l++) {
        char code[19] = "9144030071526726XG";
        code[3] = *l;
        assert_false(catalogue_credit_code_valid(code));
        snprintf(code, sizeof code, "1137130000443950%c", *l);
        code[17] = *l;
        assert_false(catalogue_credit_code_valid(code));
    }
}

/* ---- the store ---- */
static void test_store_round_trip(void **state)
{
    (void)state;
    char path[PATH_MAX], err[512], text[4096];
    db_path_for("round-trip", path, sizeof path);
    struct catalogue *c = parse_ok(small_document);
    assert_int_equal(catalogue_store(c, path, err, sizeof err), 0);
    catalogue_free(c);

    sqlite3 *db = sql_open(path);
    assert_int_equal(sql_int(db, "PRAGMA user_version"), db_schema_version_current());
    sql_text(db, "PRAGMA journal_mode", text, sizeof text);
    assert_string_equal(text, "wal");
    assert_int_equal(sql_int(db, "SELECT count(*) FROM catalogue"), 1);
    sql_text(db, "SELECT version || ' ' || published || ' ' || region || ' ' || item_count FROM catalogue", text,
             sizeof text);
    assert_string_equal(text, "2026.11.27-1 2026-11-27T08:00:00+08:00 371300 4");
    sqlite3_stmt *statement;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT document FROM catalogue", -1, &statement, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    assert_int_equal(sqlite3_column_bytes(statement, 0), strlen(small_document));
    assert_memory_equal(sqlite3_column_text(statement, 0), small_document, strlen(small_document));
    sqlite3_finalize(statement);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM catalogue_items"), 4);
    sql_text(db,
             "SELECT name || '|' || basic_code || '|' || level || '|' || parent_code || '|' || "
             "department_category || '|' || kiosk_filable || '|' || popularity FROM catalogue_items "
             "WHERE implementation_code = '" CODE_ID_RENEW "'",
             text, sizeof text);
    assert_string_equal(text, "居民身份证换领|000105001001|sub|" CODE_ID_MAIN "|公安|1|120000");
    sql_text(db,
             "SELECT level || '|' || ifnull(parent_code, 'null') || '|' || kiosk_filable FROM catalogue_items "
             "WHERE implementation_code = '" CODE_ID_MAIN "'",
             text, sizeof text);
    assert_string_equal(text, "main|null|0");
    sql_text(db, "SELECT parent_code FROM catalogue_items WHERE implementation_code = '" CODE_ID_RENEW_EXPIRED "'",
             text, sizeof text);
    assert_string_equal(text, CODE_ID_RENEW);
    sql_text(db, "SELECT group_concat(popularity) FROM catalogue_items WHERE department_category = '医保'", text,
             sizeof text);
    assert_string_equal(text, "3000");
    sqlite3_close(db);

    struct catalogue *loaded;
    assert_int_equal(catalogue_load_stored(path, &loaded, err, sizeof err), 0);
    assert_int_equal(loaded->item_count, 4);
    assert_string_equal(loaded->version, "2026.11.27-1");
    assert_string_equal(loaded->items[1].faq[0].answer, "可以办理临时乘车证明。");
    assert_int_equal(loaded->items[2].parent, 1);
    assert_int_equal(loaded->document_length, strlen(small_document));
    catalogue_free(loaded);
}

/* A newer valid catalogue replaces the stored one whole, rows included. */
static void test_store_replaces(void **state)
{
    (void)state;
    char path[PATH_MAX], err[512], before[4096], after[4096];
    db_path_for("replace", path, sizeof path);
    struct catalogue *c = parse_ok(small_document);
    assert_int_equal(catalogue_store(c, path, err, sizeof err), 0);
    catalogue_free(c);
    rows_describe(path, before, sizeof before);

    /* the next version drops the handling item and renames the insurance item */
    char *newer = text_replace(small_document, "\"version\": \"2026.11.27-1\"", "\"version\": \"2026.12.01-1\"");
    char *renamed = text_replace(newer, "\"name\": \"基本医疗保险参保登记\"", "\"name\": \"城乡居民医保参保登记\"");
    const char *start = strstr(renamed, "    {\n      \"name\": \"居民身份证换领（到期换领）\"");
    const char *end = strstr(renamed, "    {\n      \"name\": \"城乡居民医保参保登记\"");
    assert_non_null(start);
    assert_non_null(end);
    memmove((char *)start, end, strlen(end) + 1);
    c = parse_ok(renamed);
    assert_int_equal(c->item_count, 3);
    assert_int_equal(catalogue_store(c, path, err, sizeof err), 0);
    catalogue_free(c);
    rows_describe(path, after, sizeof after);
    assert_string_not_equal(before, after);

    sqlite3 *db = sql_open(path);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM catalogue"), 1);
    assert_int_equal(sql_int(db, "SELECT item_count FROM catalogue"), 3);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM catalogue_items"), 3);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM catalogue_items WHERE implementation_code = '"
                                 CODE_ID_RENEW_EXPIRED "'"), 0);
    sql_text(db, "SELECT version FROM catalogue", before, sizeof before);
    assert_string_equal(before, "2026.12.01-1");
    sql_text(db, "SELECT name FROM catalogue_items WHERE implementation_code = '" CODE_INSURANCE "'", before,
             sizeof before);
    assert_string_equal(before, "城乡居民医保参保登记");
    sqlite3_close(db);
    free(newer);
    free(renamed);
}

/* A store that fails half way (here: the second row breaks the primary key) leaves the
 * stored catalogue exactly as it was: the transaction is rolled back. */
static void test_store_failure_keeps_rows(void **state)
{
    (void)state;
    char path[PATH_MAX], err[512], before[4096], after[4096];
    db_path_for("failed-store", path, sizeof path);
    struct catalogue *c = parse_ok(small_document);
    assert_int_equal(catalogue_store(c, path, err, sizeof err), 0);
    rows_describe(path, before, sizeof before);

    struct catalogue broken = *c;
    struct catalogue_item items[4];
    memcpy(items, c->items, sizeof items);
    items[3].implementation_code = items[2].implementation_code;
    broken.items = items;
    broken.version[0] = '9';
    assert_int_equal(catalogue_store(&broken, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "UNIQUE constraint failed: catalogue_items.implementation_code"));
    assert_int_equal(strncmp(err, path, strlen(path)), 0);
    rows_describe(path, after, sizeof after);
    assert_string_equal(before, after);
    catalogue_free(c);
}

static void test_store_errors(void **state)
{
    (void)state;
    char path[PATH_MAX], err[512], expected[PATH_MAX + 64];
    struct catalogue *c = parse_ok(small_document), *loaded = (struct catalogue *)&loaded;
    snprintf(path, sizeof path, "%s/no-such-dir/unit.db", temp_dir);
    assert_int_equal(catalogue_store(c, path, err, sizeof err), -1);
    assert_int_equal(strncmp(err, path, strlen(path)), 0);
    catalogue_free(c);

    db_path_for("empty", path, sizeof path);
    snprintf(expected, sizeof expected, "%s: no catalogue stored yet", path);
    assert_int_equal(catalogue_load_stored(path, &loaded, err, sizeof err), -1);
    assert_null(loaded);
    assert_string_equal(err, expected);
}

/* ---- the generator ---- */
/* The build puts catalogue_gen beside tests/: ../catalogue_gen from this binary. */
static char *generator_run(const char *arguments, size_t *len)
{
    char self[PATH_MAX], command[PATH_MAX * 2];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    assert_true(n > 0);
    self[n] = '\0';
    *strrchr(self, '/') = '\0';
    *strrchr(self, '/') = '\0';
    snprintf(command, sizeof command, "'%s/catalogue_gen' %s", self, arguments);
    FILE *pipe = popen(command, "r");
    assert_non_null(pipe);
    size_t capacity = 1 << 20, used = 0, got;
    char *text = malloc(capacity);
    assert_non_null(text);
    while ((got = fread(text + used, 1, capacity - used, pipe)) > 0) {
        used += got;
        if (used == capacity) {
            capacity *= 2;
            text = realloc(text, capacity);
            assert_non_null(text);
        }
    }
    int status = pclose(pipe);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    *len = used;
    return text;
}

static void test_generator(void **state)
{
    (void)state;
    size_t len, again_len, other_len;
    char *text = generator_run("500 --seed 7", &len);
    struct catalogue *c;
    char err[512] = "";
    if (catalogue_parse(text, len, &c, err, sizeof err) != 0)
        fail_msg("generated document rejected: %s", err);
    assert_int_equal(c->item_count, 500);
    size_t levels[3] = {0}, with_keywords = 0, filable = 0, subjects = 0;
    int64_t most = 0, total = 0;
    for (size_t i = 0; i < c->item_count; i++) {
        const struct catalogue_item *item = &c->items[i];
        levels[item->level]++;
        with_keywords += item->keyword_count > 0;
        filable += item->kiosk_filable;
        subjects += strstr(item->name, "居民身份证") || strstr(item->name, "社会保障卡") ||
                    strstr(item->name, "住房公积金") || strstr(item->name, "不动产");
        assert_true(catalogue_credit_code_valid(item->agency_credit_code));
        if (item->popularity > most)
            most = item->popularity;
        total += item->popularity;
    }
    assert_true(levels[CATALOGUE_LEVEL_MAIN] > 20 && levels[CATALOGUE_LEVEL_SUB] > 100 &&
                levels[CATALOGUE_LEVEL_HANDLING] > 50);
    assert_true(with_keywords > 400);
    assert_true(filable > 20 && filable < 300);
    assert_true(subjects > 10);
    assert_true(c->theme_count > 0);
    assert_true(c->hall_count > 13);
    /* heavy tail: the most visited item has far more than its share */
    assert_true(most > 20 * (total / (int64_t)c->item_count));
    catalogue_free(c);

    char *again = generator_run("500 --seed 7", &again_len);
    assert_int_equal(again_len, len);
    assert_memory_equal(again, text, len);
    char *other = generator_run("500 --seed 8", &other_len);
    assert_false(other_len == len && !memcmp(other, text, len));
    free(text);
    free(again);
    free(other);
}

/* ---- broken documents: rejected whole, the stored catalogue stays ---- */
struct broken_case {
    const char *name;
    const char *find, *replace; /* find occurs once in small_document */
    const char *error;          /* the exact line */
};

#define ITEM(n, code) "items[" #n "] (" code ") "
static const struct broken_case broken_cases[] = {
    /* the document */
    {"format", "\"format\": \"kiosk-catalogue/1\"", "\"format\": \"kiosk-catalogue/2\"",
     "format: must be kiosk-catalogue/1"},
    {"format_twice", "\"version\": \"2026.11.27-1\",", "\"version\": \"2026.11.27-1\", \"format\": \"x\",",
     "format: appears twice"},
    {"version_with_space", "\"version\": \"2026.11.27-1\"", "\"version\": \"2026 11 27\"",
     "version: must be 1 to 32 printable ASCII characters without spaces"},
    {"published_without_offset", "\"published\": \"2026-11-27T08:00:00+08:00\"",
     "\"published\": \"2026-11-27T08:00:00\"",
     "published: must be an RFC 3339 date-time with offset, e.g. 2026-11-27T08:00:00+08:00"},
    {"region_code", "\"code\": \"371300\"", "\"code\": \"37130\"",
     "region.code: must be 6 digits (an administrative division code)"},
    {"hall_id", "\"id\": \"ly-zwzx\"", "\"id\": \"LY-zwzx\"", "halls[0].id: must be 1 to 32 of a-z, 0-9 and -"},
    {"hall_hours_blank", "\"hours\": \"周一至周五 9:00—12:00，13:30—17:00（法定节假日除外）\"", "\"hours\": \" \"",
     "halls[0].hours: must not be empty"},
    {"theme_unknown_item", "\"items\": [\"" CODE_INSURANCE "\",", "\"items\": [\"11371300MB2851732X2000199\",",
     "themes[0].items[0]: no item has this implementation code"},
    {"theme_lists_twice", "\"items\": [\"" CODE_INSURANCE "\",",
     "\"items\": [\"" CODE_INSURANCE "\", \"" CODE_INSURANCE "\",", "themes[0].items[1]: listed twice"},
    {"theme_item_not_back", "\"" CODE_ID_RENEW "\"] }", "\"" CODE_ID_RENEW "\", \"" CODE_ID_MAIN "\"] }",
     "themes[0].items[2]: items[0] does not list theme newborn"},
    {"syntax", "\"popularity\": 0,", "\"popularity\": 0", "document: not valid JSON at line 42, column 7"},
    {"not_utf8", "\"name\": \"居民身份证办理\"", "\"name\": \"居民身份证\xff办理\"",
     "document: not UTF-8 text, or a NUL character, at line 16, column 21"},
    {"nul_escape", "\"conditions\": \"本市户籍居民\"", "\"conditions\": \"本市户籍\\u0000居民\"",
     "document: not UTF-8 text, or a NUL character, at line 129, column 26"},
    /* one item */
    {"name_short", "\"name\": \"居民身份证办理\"", "\"name\": \"证\"",
     ITEM(0, CODE_ID_MAIN) "name: must be 2 to 100 characters"},
    {"basic_code", "\"basic_code\": \"000105001001\"", "\"basic_code\": \"00010500100a\"",
     ITEM(1, CODE_ID_RENEW) "basic_code: must be 12 of 0-9 and A-Z"},
    {"implementation_code_short", "\"implementation_code\": \"" CODE_ID_RENEW_EXPIRED "\"",
     "\"implementation_code\": \"11371300004439557B\"",
     ITEM(2, "11371300004439557B") "implementation_code: must be 19 to 36 of 0-9 and A-Z"},
    {"implementation_code_lower", "\"implementation_code\": \"" CODE_ID_RENEW_EXPIRED "\"",
     "\"implementation_code\": \"11371300004439557b1000102\"",
     "items[2] implementation_code: must be 19 to 36 of 0-9 and A-Z"},
    {"implementation_code_twice", "\"implementation_code\": \"" CODE_ID_RENEW_EXPIRED "\"",
     "\"implementation_code\": \"" CODE_ID_RENEW "\"", ITEM(2, CODE_ID_RENEW) "implementation_code: same as items[1]"},
    {"implementation_code_agency", "\"implementation_code\": \"" CODE_INSURANCE "\"",
     "\"implementation_code\": \"11371300004439557B2000100\"",
     ITEM(3, "11371300004439557B2000100") "implementation_code: must start with agency.credit_code 11371300MB2851732X"},
    {"credit_code_check", "\"credit_code\": \"11371300MB2851732X\"", "\"credit_code\": \"11371300MB2851732Y\"",
     ITEM(3, CODE_INSURANCE) "agency.credit_code: check character must be X, not Y"},
    {"credit_code_letter_i", "\"credit_code\": \"11371300MB2851732X\"", "\"credit_code\": \"11371300MI2851732X\"",
     ITEM(3, CODE_INSURANCE) "agency.credit_code: character 10 must be one of 0123456789ABCDEFGHJKLMNPQRTUWXY"},
    {"credit_code_length", "\"credit_code\": \"11371300MB2851732X\"", "\"credit_code\": \"11371300MB2851732\"",
     ITEM(3, CODE_INSURANCE) "agency.credit_code: must be 18 characters (a unified social credit code)"},
    {"level", "\"" CODE_INSURANCE "\",\n      \"level\": \"main\"", "\"" CODE_INSURANCE "\",\n      \"level\": \"top\"",
     ITEM(3, CODE_INSURANCE) "level: must be main, sub or handling"},
    {"main_with_parent", "\"" CODE_INSURANCE "\",\n      \"level\": \"main\",\n      \"parent\": null",
     "\"" CODE_INSURANCE "\",\n      \"level\": \"main\",\n      \"parent\": \"" CODE_ID_MAIN "\"",
     ITEM(3, CODE_INSURANCE) "parent: must be null for a main item"},
    {"sub_without_parent", "\"parent\": \"" CODE_ID_MAIN "\"", "\"parent\": null",
     ITEM(1, CODE_ID_RENEW) "parent: must be the implementation code of the parent item"},
    {"parent_unknown", "\"parent\": \"" CODE_ID_MAIN "\"", "\"parent\": \"11371300004439557B1000199\"",
     ITEM(1, CODE_ID_RENEW) "parent: no item has this implementation code"},
    {"sub_under_sub", "\"level\": \"handling\"", "\"level\": \"sub\"",
     ITEM(2, CODE_ID_RENEW_EXPIRED) "parent: must be a main item (items[1] is sub)"},
    {"handling_under_handling", "\"level\": \"sub\"", "\"level\": \"handling\"",
     ITEM(2, CODE_ID_RENEW_EXPIRED) "parent: must be a main or sub item (items[1] is handling)"},
    {"type", "\"type\": \"公共服务\"", "\"type\": \"便民服务\"",
     ITEM(3, CODE_INSURANCE) "type: must be one of 行政许可, 行政确认, 行政给付, 行政裁决, 行政奖励, 行政备案, "
                             "行政征收, 其他行政权力, 公共服务"},
    {"department_category", "\"department_category\": \"医保\"", "\"department_category\": \"医疗保障\"",
     ITEM(3, CODE_INSURANCE) "department_category: must be one of 公安, 人社, 医保, 市场监管, 不动产, 公积金, 民政, "
                             "税务, 卫健, 教育, 残联, 交通, 住建, 司法, 退役军人, 自然资源, 其他"},
    {"legal_basis_empty", "\"legal_basis\": [\"《中华人民共和国社会保险法》\"]", "\"legal_basis\": []",
     ITEM(3, CODE_INSURANCE) "legal_basis: must have at least 1 entry"},
    {"conditions_blank", "\"conditions\": \"本市户籍居民\"", "\"conditions\": \"\u3000 \"",
     ITEM(3, CODE_INSURANCE) "conditions: must not be empty"},
    {"service_object", "\"service_object\": [\"natural_person\", \"legal_person\"]",
     "\"service_object\": [\"natural_person\", \"company\"]",
     ITEM(3, CODE_INSURANCE) "service_object[1]: must be natural_person or legal_person"},
    {"service_object_twice", "\"service_object\": [\"natural_person\", \"legal_person\"]",
     "\"service_object\": [\"natural_person\", \"natural_person\"]",
     ITEM(3, CODE_INSURANCE) "service_object[1]: listed twice"},
    {"step_title_missing", "{ \"title\": \"受理审核\", \"description\": \"核验身份和户籍信息\" }",
     "{ \"description\": \"核验身份和户籍信息\" }", ITEM(1, CODE_ID_RENEW) "steps[1].title: missing"},
    {"steps_empty", "\"steps\": [ { \"title\": \"现场办理\", \"description\": \"窗口一次办结\" } ]", "\"steps\": []",
     ITEM(2, CODE_ID_RENEW_EXPIRED) "steps: must have at least 1 entry"},
    {"material_form", "\"form\": \"original_and_copy\"", "\"form\": \"photocopy\"",
     ITEM(1, CODE_ID_RENEW) "materials[1].form: must be original, copy or original_and_copy"},
    {"material_copies", "\"copies\": 2", "\"copies\": 0",
     ITEM(1, CODE_ID_RENEW) "materials[1].copies: must be an integer from 1 to 20"},
    {"material_copies_fraction", "\"copies\": 2", "\"copies\": 1.5",
     ITEM(1, CODE_ID_RENEW) "materials[1].copies: must be an integer from 1 to 20"},
    {"material_required", "\"required\": false", "\"required\": \"no\"",
     ITEM(1, CODE_ID_RENEW) "materials[1].required: must be true or false"},
    {"material_e_licence_empty", "\"e_licence\": \"居民户口簿\"", "\"e_licence\": \"\"",
     ITEM(1, CODE_ID_RENEW) "materials[0].e_licence: must not be empty"},
    {"material_e_licence_number", "\"e_licence\": \"居民户口簿\"", "\"e_licence\": 5",
     ITEM(1, CODE_ID_RENEW) "materials[0].e_licence: must be a string or null"},
    {"material_media", "\"media\": \"paper\",", "\"media\": \"fax\",",
     ITEM(1, CODE_ID_RENEW) "materials[1].media: must be paper, electronic or paper_or_electronic"},
    {"material_source", "\"source\": \"applicant\"", "\"source\": \"self\"",
     ITEM(1, CODE_ID_RENEW) "materials[1].source: must be applicant, government or third_party"},
    {"promised_over_legal", "\"promised\": { \"value\": 20, \"unit\": \"working_days\" }",
     "\"promised\": { \"value\": 70, \"unit\": \"working_days\" }",
     ITEM(1, CODE_ID_RENEW) "time_limit.promised.value: must not exceed time_limit.legal.value (60)"},
    {"immediate_with_days", "\"promised\": { \"value\": 0, \"unit\": \"immediate\" }, \"note\": \"\"",
     "\"promised\": { \"value\": 3, \"unit\": \"immediate\" }, \"note\": \"\"",
     ITEM(3, CODE_INSURANCE) "time_limit.promised.value: must be 0 when the unit is immediate"},
    {"limit_too_long", "{ \"value\": 60, \"unit\": \"natural_days\" }", "{ \"value\": 3651, \"unit\": \"natural_days\" }",
     ITEM(0, CODE_ID_MAIN) "time_limit.promised.value: must be an integer from 1 to 3650"},
    {"limit_unit", "{ \"value\": 60, \"unit\": \"natural_days\" }", "{ \"value\": 2, \"unit\": \"months\" }",
     ITEM(0, CODE_ID_MAIN) "time_limit.promised.unit: must be working_days, natural_days or immediate"},
    {"legal_immediate", "\"legal\": { \"value\": 10, \"unit\": \"working_days\" }, \"promised\": { \"value\": 0, \"unit\": \"immediate\" }",
     "\"legal\": { \"value\": 0, \"unit\": \"immediate\" }, \"promised\": { \"value\": 5, \"unit\": \"working_days\" }",
     ITEM(2, CODE_ID_RENEW_EXPIRED) "time_limit.promised.unit: must be immediate when time_limit.legal is immediate"},
    {"legal_not_object", "\"legal\": null, \"promised\": { \"value\": 60", "\"legal\": 30, \"promised\": { \"value\": 60",
     ITEM(0, CODE_ID_MAIN) "time_limit.legal: must be an object or null"},
    {"fee_basis", "\"basis\": \"国家发展改革委、财政部有关收费标准\"", "\"basis\": \"\"",
     ITEM(1, CODE_ID_RENEW) "fees[0].basis: must not be empty"},
    {"result_type", "{ \"name\": \"受理回执\", \"type\": \"record\" }", "{ \"name\": \"受理回执\", \"type\": \"licence\" }",
     ITEM(2, CODE_ID_RENEW_EXPIRED) "result.type: must be certificate, approval, record or other"},
    {"window_hall_unknown", "\"halls\": [\"ly-zwzx\"], \"visits\": 2", "\"halls\": [\"ly-wrong\"], \"visits\": 2",
     ITEM(1, CODE_ID_RENEW) "channels.window.halls[0]: no hall has this id"},
    {"window_halls_empty", "\"halls\": [\"ly-zwzx\"], \"visits\": 2", "\"halls\": [], \"visits\": 2",
     ITEM(1, CODE_ID_RENEW) "channels.window.halls: must have at least 1 entry"},
    {"window_visits", "\"halls\": [\"ly-zwzx\"], \"visits\": 2", "\"halls\": [\"ly-zwzx\"], \"visits\": 6",
     ITEM(1, CODE_ID_RENEW) "channels.window.visits: must be an integer from 0 to 5"},
    {"online_http", "\"url\": \"https://zwfw.linyi.gov.cn/item/1000101\"", "\"url\": \"http://zwfw.linyi.gov.cn/item/1000101\"",
     ITEM(1, CODE_ID_RENEW) "channels.online.url: must be an https:// URL"},
    {"online_depth", "\"depth\": 3", "\"depth\": 5",
     ITEM(1, CODE_ID_RENEW) "channels.online.depth: must be an integer from 1 to 4"},
    {"kiosk_filable_without_self_service", "\"online\": null, \"mobile\": true, \"self_service\": true",
     "\"online\": null, \"mobile\": true, \"self_service\": false",
     ITEM(3, CODE_INSURANCE) "kiosk_filable: true requires channels.self_service true"},
    {"theme_unknown", "\"themes\": [\"newborn\"],\n      \"keywords\": [\"身份证\", \"过期\"",
     "\"themes\": [\"oldborn\"],\n      \"keywords\": [\"身份证\", \"过期\"",
     ITEM(1, CODE_ID_RENEW) "themes[0]: no theme has this id"},
    {"theme_does_not_list_item", "\"themes\": [],\n      \"keywords\": [\"身份证\"],",
     "\"themes\": [\"newborn\"],\n      \"keywords\": [\"身份证\"],",
     ITEM(0, CODE_ID_MAIN) "themes[0]: theme newborn does not list this item"},
    {"keyword_empty", "\"keywords\": [\"身份证\", \"过期\", \"到期换证\"]", "\"keywords\": [\"身份证\", \"\", \"到期换证\"]",
     ITEM(1, CODE_ID_RENEW) "keywords[1]: must not be empty"},
    {"faq_answer_missing", ", \"a\": \"可以办理临时乘车证明。\"", "",
     ITEM(1, CODE_ID_RENEW) "faq[0].a: missing"},
    {"popularity_negative", "\"popularity\": 5,", "\"popularity\": -1,",
     ITEM(2, CODE_ID_RENEW_EXPIRED) "popularity: must be an integer from 0 to 9007199254740991"},
    {"popularity_string", "\"popularity\": 3000,", "\"popularity\": \"3000\",",
     ITEM(3, CODE_INSURANCE) "popularity: must be an integer from 0 to 9007199254740991"},
    {"popularity_twice", "\"popularity\": 5,", "\"popularity\": 5, \"popularity\": 6,",
     ITEM(2, CODE_ID_RENEW_EXPIRED) "popularity: appears twice"},
    {"updated_february_30", "\"updated\": \"2026-09-09T10:00:00+08:00\"", "\"updated\": \"2026-02-30T10:00:00+08:00\"",
     ITEM(3, CODE_INSURANCE) "updated: must be an RFC 3339 date-time with offset, e.g. 2026-11-27T08:00:00+08:00"},
    {"version_long", "\"version\": \"2.3\"", "\"version\": \"2.3.4.5.6.7.8.9.10\"",
     ITEM(1, CODE_ID_RENEW) "version: must be 1 to 16 printable ASCII characters without spaces"},
    {"quantity_limit_missing", "\"quantity_limit\": \"\",\n      \"special_procedures\": [],\n      \"channels\": { \"window\": null",
     "\"special_procedures\": [],\n      \"channels\": { \"window\": null",
     ITEM(2, CODE_ID_RENEW_EXPIRED) "quantity_limit: missing"},
};

/* One broken update: the parse rejects it whole with the exact line, nothing is stored, and
 * the catalogue on disk is the good one, as rows and as what the kiosk loads at start. */
static void test_broken_update(void **state)
{
    const struct broken_case *broken = *state;
    char *text = text_replace(small_document, broken->find, broken->replace);
    struct catalogue *update = (struct catalogue *)&update, *in_use;
    char err[512] = "", rows[4096];
    int rc = catalogue_parse(text, strlen(text), &update, err, sizeof err);
    free(text);
    /* what the platform link does with an update: store it only when it parsed */
    if (rc == 0) {
        catalogue_store(update, stored_db, err, sizeof err);
        catalogue_free(update);
        fail_msg("the broken document was accepted");
    }
    assert_null(update);
    assert_string_equal(err, broken->error);
    rows_describe(stored_db, rows, sizeof rows);
    assert_string_equal(rows, stored_rows);
    assert_int_equal(catalogue_load_stored(stored_db, &in_use, err, sizeof err), 0);
    assert_string_equal(in_use->version, "2026.11.27-1");
    assert_int_equal(in_use->item_count, 4);
    catalogue_free(in_use);
}

int main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_parse_small_document),
        cmocka_unit_test(test_parse_other_order),
        cmocka_unit_test(test_document_errors),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_error_truncated),
        cmocka_unit_test(test_credit_code),
        cmocka_unit_test(test_store_round_trip),
        cmocka_unit_test(test_store_replaces),
        cmocka_unit_test(test_store_failure_keeps_rows),
        cmocka_unit_test(test_store_errors),
        cmocka_unit_test(test_generator),
    };
    /* One named test per broken case, so a failure says which. */
    size_t count = COUNT(fixed) + COUNT(broken_cases);
    struct CMUnitTest *tests = calloc(count, sizeof *tests);
    char (*names)[64] = calloc(COUNT(broken_cases), sizeof *names);
    if (!tests || !names)
        return 1;
    memcpy(tests, fixed, sizeof fixed);
    for (size_t i = 0; i < COUNT(broken_cases); i++) {
        snprintf(names[i], sizeof names[i], "test_broken_update_%s", broken_cases[i].name);
        tests[COUNT(fixed) + i] = (struct CMUnitTest){
            .name = names[i],
            .test_func = test_broken_update,
            .initial_state = (void *)&broken_cases[i],
        };
    }
    int failed = _cmocka_run_group_tests("catalogue", tests, count, group_setup, group_teardown);
    free(tests);
    free(names);
    return failed;
}
