/* catalogue_gen [N] [--seed S] > file.json: a valid kiosk-catalogue/1 document with N synthetic
 * items (default 100,000) for search benchmarks and load tests; the same N and seed give the
 * same bytes.
 *
 * The items look like a province's implementation lists (实施清单): the same services
 * (居民身份证换领, 住房公积金提取 …) implemented by the city, its 12 districts and counties, and
 * their towns' 便民服务中心, each agency with its own credit code, so names repeat across
 * agencies as they do in a real catalogue. Each group is a main item (…办理), sub items per
 * action, and handling items per case; popularity is heavy-tailed (a few services take most
 * visits). Nothing here is real data: agencies' codes are made up with valid check characters. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/catalogue/catalogue.h"

#define COUNT(array) (sizeof(array) / sizeof(array)[0])

/* ---- deterministic randomness (splitmix64: small, good, the same everywhere) ---- */
static uint64_t gen_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static unsigned gen_below(uint64_t *state, unsigned n)
{
    return (unsigned)(gen_next(state) % n);
}

static bool gen_chance(uint64_t *state, unsigned percent)
{
    return gen_below(state, 100) < percent;
}

/* In (0, 1]. */
static double gen_unit(uint64_t *state)
{
    return (double)((gen_next(state) >> 11) + 1) / 9007199254740992.0;
}

/* ---- the vocabulary ---- */
struct district {
    const char *code, *name, *slug;
};
static const struct district districts[] = {
    {"371300", "临沂市", "ly"},       {"371302", "兰山区", "lanshan"},  {"371311", "罗庄区", "luozhuang"},
    {"371312", "河东区", "hedong"},   {"371321", "沂南县", "yinan"},    {"371322", "郯城县", "tancheng"},
    {"371323", "沂水县", "yishui"},   {"371324", "兰陵县", "lanling"},  {"371325", "费县", "feixian"},
    {"371326", "平邑县", "pingyi"},   {"371327", "莒南县", "junan"},    {"371328", "蒙阴县", "mengyin"},
    {"371329", "临沭县", "linshu"},
};
/* Town names (乡镇、街道), given to districts in turn: plausible, not a gazetteer. */
static const char *const towns[] = {
    "兰山街道", "银雀山街道", "金雀山街道", "柳青街道", "白沙埠镇", "枣园镇",   "义堂镇",   "李官镇",
    "方城镇",   "汪沟镇",     "马厂湖镇",   "半程镇",   "盛庄街道", "傅庄街道", "罗西街道", "高都街道",
    "九曲街道", "芝麻墩街道", "郑旺镇",     "汤河镇",   "界湖街道", "岸堤镇",   "孙祖镇",   "马牧池乡",
    "郯城街道", "马头镇",     "重坊镇",     "沂城街道", "许家湖镇", "卞庄街道", "费城街道", "探沂镇",
    "平邑街道", "仲村镇",     "十字路街道", "大店镇",   "蒙阴街道", "垛庄镇",   "临沭街道", "郑山街道",
};
#define TOWNS_PER_DISTRICT 12

struct department {
    const char *name, *category;
    bool in_towns; /* towns' 便民服务中心 handle its services */
};
static const struct department departments[] = {
    {"公安局", "公安", false},           {"人力资源和社会保障局", "人社", true}, {"医疗保障局", "医保", true},
    {"市场监督管理局", "市场监管", false}, {"不动产登记中心", "不动产", false},   {"住房公积金管理中心", "公积金", false},
    {"民政局", "民政", true},             {"税务局", "税务", false},             {"卫生健康委员会", "卫健", true},
    {"教育和体育局", "教育", false},       {"残疾人联合会", "残联", true},         {"交通运输局", "交通", false},
    {"住房和城乡建设局", "住建", false},   {"司法局", "司法", false},             {"退役军人事务局", "退役军人", true},
    {"自然资源和规划局", "自然资源", false},
};

struct material {
    const char *name;
    bool required;
    const char *condition, *form;
    int copies;
    const char *media, *source;
    bool blank_form, sample;
    const char *e_licence, *notes;
};
static const struct material common_materials[] = {
    {"居民身份证", true, "", "original", 1, "paper_or_electronic", "government", false, false, "居民身份证", "核验原件后当场退还"},
    {"申请表", true, "", "original", 1, "paper", "applicant", true, true, NULL, "可在自助终端填写后打印，需本人签字"},
    {"授权委托书", false, "委托他人办理的", "original", 1, "paper", "applicant", true, true, NULL, "写明委托事项和期限"},
    {"受托人居民身份证", false, "委托他人办理的", "original", 1, "paper_or_electronic", "government", false, false, "居民身份证", ""},
    {"居民户口簿", true, "", "original_and_copy", 1, "paper_or_electronic", "government", false, false, "居民户口簿", "复印户主页和本人页"},
    {"近期免冠照片", false, "无法现场采集相片的", "original", 2, "paper", "applicant", false, false, NULL, "白色背景，小二寸"},
    {"营业执照", true, "", "copy", 1, "paper_or_electronic", "government", false, false, "营业执照", "加盖公章"},
    {"结婚证", false, "已婚的", "original", 1, "paper_or_electronic", "government", false, false, "结婚证", ""},
    {"不动产权证书", true, "", "original", 1, "paper", "government", false, false, "不动产权证书", ""},
    {"社会保障卡", false, "已办理社会保障卡的", "original", 1, "paper_or_electronic", "government", false, false, "社会保障卡", ""},
    {"医疗机构出具的诊断证明", true, "", "original", 1, "paper", "third_party", false, true, NULL, "须加盖医疗机构印章"},
    {"购房合同", true, "", "original_and_copy", 1, "paper", "applicant", false, false, NULL, "网签合同可由部门内部核验"},
    {"遗失声明", false, "证件遗失的", "original", 1, "paper_or_electronic", "applicant", false, true, NULL, "可在国家企业信用信息公示系统发布"},
};
enum {
    M_ID, M_FORM, M_PROXY, M_PROXY_ID, M_HUKOU, M_PHOTO, M_LICENSE, M_MARRIAGE, M_PROPERTY, M_SSCARD, M_DIAGNOSIS,
    M_CONTRACT, M_LOSS,
};

struct subject {
    const char *name;       /* 居民身份证 */
    int department;         /* into departments[] */
    const char *type;       /* 事项类型 */
    const char *result;     /* 审批结果名称 */
    const char *result_type;
    const char *legal_basis;
    const char *actions[6]; /* 换领, 补领 … ("" = the subject alone is the service) */
    const char *keywords[3];
    int materials[3];       /* besides 居民身份证 and 申请表; -1 = none */
    unsigned weight;        /* how often residents need it: scales popularity */
    int fee;                /* 工本费 in yuan, 0 = free */
};
static const struct subject subjects[] = {
    {"居民身份证", 0, "行政确认", "居民身份证", "certificate", "《中华人民共和国居民身份证法》", {"首次申领", "换领", "补领", "临时居民身份证申领"}, {"身份证", "丢了", "过期"}, {M_HUKOU, M_PHOTO, M_LOSS}, 40, 20},
    {"户口", 0, "行政确认", "居民户口簿", "certificate", "《中华人民共和国户口登记条例》", {"出生登记", "迁入登记", "迁出登记", "注销登记", "项目变更更正"}, {"户籍", "落户", "上户口"}, {M_HUKOU, M_MARRIAGE, -1}, 25, 0},
    {"居住证", 0, "公共服务", "居住证", "certificate", "《居住证暂行条例》", {"申领", "签注", "补领", "换领"}, {"暂住证", "外地人", "积分"}, {M_PHOTO, M_CONTRACT, -1}, 10, 0},
    {"机动车驾驶证", 0, "行政许可", "机动车驾驶证", "certificate", "《中华人民共和国道路交通安全法》", {"期满换证", "遗失补证", "审验", "注销"}, {"驾照", "驾驶证", "换本"}, {M_PHOTO, M_DIAGNOSIS, -1}, 15, 10},
    {"普通护照", 0, "行政许可", "中华人民共和国普通护照", "certificate", "《中华人民共和国护照法》", {"签发", "换发", "补发"}, {"护照", "出国", "签证"}, {M_PHOTO, M_HUKOU, -1}, 6, 120},
    {"社会保障卡", 1, "公共服务", "社会保障卡", "certificate", "《社会保险法》", {"申领", "补领", "换领", "挂失", "信息变更"}, {"社保卡", "丢了", "激活"}, {M_PHOTO, M_SSCARD, -1}, 35, 0},
    {"城乡居民基本养老保险", 1, "行政给付", "参保登记回执", "record", "《国务院关于建立统一的城乡居民基本养老保险制度的意见》", {"参保登记", "待遇申领", "关系转移接续", "注销登记"}, {"养老保险", "领养老金", "退休"}, {M_SSCARD, M_HUKOU, -1}, 20, 0},
    {"失业保险金", 1, "行政给付", "失业保险金核定通知", "approval", "《失业保险条例》", {"申领", "停发", ""}, {"失业金", "没工作", "领钱"}, {M_SSCARD, -1, -1}, 8, 0},
    {"就业创业证", 1, "公共服务", "就业创业证", "certificate", "《就业服务与就业管理规定》", {"申领", "补发", "信息变更"}, {"就业证", "失业证", "创业"}, {M_PHOTO, -1, -1}, 6, 0},
    {"基本医疗保险", 2, "公共服务", "参保登记回执", "record", "《中华人民共和国社会保险法》", {"参保登记", "关系转移接续", "异地就医备案", "个人账户查询"}, {"医保", "异地就医", "报销"}, {M_SSCARD, M_HUKOU, M_DIAGNOSIS}, 30, 0},
    {"门诊慢特病", 2, "行政给付", "门诊慢特病待遇认定结果", "approval", "《山东省医疗保障条例》", {"待遇认定", "备案变更", ""}, {"慢性病", "特殊病", "门诊报销"}, {M_DIAGNOSIS, M_SSCARD, -1}, 12, 0},
    {"医疗费用", 2, "行政给付", "医疗费用报销结算单", "other", "《中华人民共和国社会保险法》", {"手工报销", "零星报销", ""}, {"报销", "医药费", "住院"}, {M_DIAGNOSIS, M_SSCARD, -1}, 10, 0},
    {"营业执照", 3, "行政许可", "营业执照", "certificate", "《中华人民共和国市场主体登记管理条例》", {"设立登记", "变更登记", "注销登记", "遗失补领", "备案"}, {"执照", "开公司", "注册公司"}, {M_LICENSE, M_CONTRACT, M_LOSS}, 18, 0},
    {"个体工商户", 3, "行政许可", "营业执照", "certificate", "《促进个体工商户发展条例》", {"设立登记", "变更登记", "注销登记"}, {"个体户", "开店", "摆摊"}, {M_CONTRACT, -1, -1}, 14, 0},
    {"食品经营许可证", 3, "行政许可", "食品经营许可证", "certificate", "《中华人民共和国食品安全法》", {"核发", "变更", "延续", "注销"}, {"餐饮", "开饭店", "食品许可"}, {M_LICENSE, M_CONTRACT, -1}, 7, 0},
    {"不动产", 4, "行政确认", "不动产权证书", "certificate", "《不动产登记暂行条例》", {"首次登记", "转移登记", "变更登记", "抵押登记", "注销登记", "登记资料查询"}, {"房产证", "过户", "买房"}, {M_PROPERTY, M_CONTRACT, M_MARRIAGE}, 22, 80},
    {"住房公积金", 5, "公共服务", "住房公积金提取审批结果", "approval", "《住房公积金管理条例》", {"提取", "缴存登记", "个人贷款申请", "转移接续", "账户查询"}, {"公积金", "提公积金", "贷款"}, {M_CONTRACT, M_MARRIAGE, M_PROPERTY}, 28, 0},
    {"结婚登记", 6, "行政确认", "结婚证", "certificate", "《婚姻登记条例》", {"", "补领结婚证", ""}, {"领证", "结婚证", "登记结婚"}, {M_HUKOU, M_PHOTO, -1}, 9, 0},
    {"最低生活保障", 6, "行政给付", "最低生活保障审批结果", "approval", "《社会救助暂行办法》", {"申请", "变更", "停发"}, {"低保", "困难补助", "救助"}, {M_HUKOU, -1, -1}, 8, 0},
    {"高龄津贴", 6, "行政给付", "高龄津贴发放通知", "approval", "《山东省老年人权益保障条例》", {"申领", "变更", ""}, {"老人补贴", "八十岁", "津贴"}, {M_HUKOU, M_SSCARD, -1}, 6, 0},
    {"个人所得税", 7, "其他行政权力", "个人所得税纳税记录", "record", "《中华人民共和国个人所得税法》", {"综合所得年度汇算", "专项附加扣除填报", "纳税记录开具"}, {"个税", "退税", "完税证明"}, {-1, -1, -1}, 12, 0},
    {"发票", 7, "公共服务", "发票", "other", "《中华人民共和国发票管理办法》", {"领用", "代开", "核定"}, {"开发票", "代开发票", "税票"}, {M_LICENSE, -1, -1}, 5, 0},
    {"出生医学证明", 8, "行政确认", "出生医学证明", "certificate", "《中华人民共和国母婴保健法》", {"首次签发", "补发", "换发"}, {"出生证", "新生儿", "上户口"}, {M_MARRIAGE, M_DIAGNOSIS, -1}, 9, 0},
    {"生育登记", 8, "公共服务", "生育登记服务凭证", "record", "《山东省人口与计划生育条例》", {"", "变更", ""}, {"准生证", "生育", "怀孕"}, {M_MARRIAGE, M_HUKOU, -1}, 8, 0},
    {"教师资格", 9, "行政许可", "教师资格证书", "certificate", "《教师资格条例》", {"认定", "证书补发", "证书换发"}, {"教师证", "当老师", "资格证"}, {M_PHOTO, M_DIAGNOSIS, -1}, 4, 0},
    {"学生学籍", 9, "公共服务", "学籍证明", "other", "《中小学生学籍管理办法》", {"转学", "证明开具", "信息变更"}, {"转学", "学籍", "上学"}, {M_HUKOU, -1, -1}, 5, 0},
    {"残疾人证", 10, "行政确认", "中华人民共和国残疾人证", "certificate", "《中华人民共和国残疾人保障法》", {"申领", "换领", "补领", "迁移"}, {"残疾证", "残疾人", "评残"}, {M_PHOTO, M_DIAGNOSIS, M_HUKOU}, 5, 0},
    {"残疾人两项补贴", 10, "行政给付", "补贴审批结果", "approval", "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》", {"申请", "变更", "停发"}, {"残疾补贴", "护理补贴", "生活补贴"}, {M_HUKOU, -1, -1}, 4, 0},
    {"道路运输证", 11, "行政许可", "道路运输证", "certificate", "《中华人民共和国道路运输条例》", {"核发", "换发", "注销"}, {"营运证", "货车", "跑运输"}, {M_LICENSE, -1, -1}, 4, 0},
    {"出租汽车驾驶员从业资格证", 11, "行政许可", "从业资格证", "certificate", "《出租汽车驾驶员从业资格管理规定》", {"核发", "注销", "补发"}, {"出租车", "网约车", "从业资格"}, {M_PHOTO, -1, -1}, 3, 0},
    {"建筑工程施工许可", 12, "行政许可", "建筑工程施工许可证", "certificate", "《中华人民共和国建筑法》", {"核发", "变更", "延期"}, {"施工许可", "盖房", "开工"}, {M_LICENSE, M_CONTRACT, -1}, 3, 0},
    {"公共租赁住房", 12, "公共服务", "公共租赁住房资格确认", "approval", "《公共租赁住房管理办法》", {"资格申请", "资格变更", "退出"}, {"公租房", "租房", "廉租房"}, {M_HUKOU, M_MARRIAGE, -1}, 6, 0},
    {"法律援助", 13, "公共服务", "法律援助决定书", "approval", "《中华人民共和国法律援助法》", {"申请", "", ""}, {"打官司", "律师", "免费律师"}, {M_HUKOU, -1, -1}, 5, 0},
    {"公证", 13, "公共服务", "公证书", "certificate", "《中华人民共和国公证法》", {"学历公证", "亲属关系公证", "委托公证"}, {"公证书", "出国公证", "证明"}, {M_HUKOU, M_MARRIAGE, -1}, 4, 100},
    {"退役军人优待证", 14, "公共服务", "退役军人优待证", "certificate", "《中华人民共和国退役军人保障法》", {"申领", "补领", "换领"}, {"优待证", "退伍", "老兵"}, {M_PHOTO, -1, -1}, 3, 0},
    {"建设工程规划许可证", 15, "行政许可", "建设工程规划许可证", "certificate", "《中华人民共和国城乡规划法》", {"核发", "变更", "延续"}, {"规划许可", "建房", "规划证"}, {M_LICENSE, M_PROPERTY, -1}, 2, 0},
};

/* Handling-item cases (业务办理项): how the same action differs by who applies and where. */
static const char *const cases[] = {"本人办理", "委托代办", "跨省通办", "省内通办", "60周岁以上老年人", "未成年人",
                                    "首次办理", "到期办理", "遗失办理", "信息有误"};
static const char *const action_words[][2] = {
    /* an action, and words residents use for it */
    {"补", "丢了"}, {"换", "过期"}, {"变更", "修改"}, {"注销", "取消"}, {"提取", "取钱"},
    {"申领", "怎么办"}, {"登记", "办理"}, {"查询", "查"}, {"转移", "转过去"}, {"申请", "申请"},
};

struct theme {
    const char *id, *name, *description;
    const char *subjects[4];
};
static const struct theme themes[] = {
    {"newborn", "新生儿出生一件事", "出生医学证明、户口登记、医保参保、社保卡申领一次办", {"出生医学证明", "户口", "基本医疗保险", "社会保障卡"}},
    {"business-start", "企业开办一件事", "营业执照、发票、社保登记一次办", {"营业执照", "发票", "个体工商户", NULL}},
    {"retirement", "退休一件事", "养老保险待遇、医保关系、公积金提取一次办", {"城乡居民基本养老保险", "住房公积金", NULL, NULL}},
    {"marriage", "婚育一件事", "结婚登记、生育登记、户口变更一次办", {"结婚登记", "生育登记", NULL, NULL}},
    {"second-hand-home", "二手房转移登记一件事", "不动产转移登记、公积金贷款、税费缴纳一次办", {"不动产", "个人所得税", NULL, NULL}},
    {"disability", "残疾人服务一件事", "残疾人证、两项补贴一次办", {"残疾人证", "残疾人两项补贴", NULL, NULL}},
    {"veterans", "退役军人服务一件事", "优待证申领、社保接续一次办", {"退役军人优待证", NULL, NULL, NULL}},
    {"job-seeking", "就业一件事", "就业创业证、失业保险金、社保卡一次办", {"就业创业证", "失业保险金", NULL, NULL}},
};

/* ---- agencies: the city, its districts, their towns ---- */
#define AGENCY_UNITS (COUNT(districts) + (COUNT(districts) - 1) * TOWNS_PER_DISTRICT)

struct unit {
    int district;
    int town; /* -1: the city or district itself */
    char name[64];
    char hall_id[40];
};

static void unit_describe(size_t index, struct unit *unit)
{
    if (index < COUNT(districts)) {
        unit->district = (int)index;
        unit->town = -1;
        snprintf(unit->name, sizeof unit->name, "%s%s", index ? "临沂市" : "", districts[index].name);
        snprintf(unit->hall_id, sizeof unit->hall_id, "%s-zwzx", districts[index].slug);
        return;
    }
    size_t t = index - COUNT(districts);
    unit->district = 1 + (int)(t / TOWNS_PER_DISTRICT);
    unit->town = (int)((t * 7 + (size_t)unit->district) % COUNT(towns));
    snprintf(unit->name, sizeof unit->name, "%s%s", districts[unit->district].name, towns[unit->town]);
    snprintf(unit->hall_id, sizeof unit->hall_id, "%s-bmfw-%02zu", districts[unit->district].slug,
             t % TOWNS_PER_DISTRICT + 1);
}

/* A made-up credit code of a government body (registration authority 1, category 1) in the
 * unit's district: 8 digits of organisation code from the seed-independent agency number,
 * then a letter, then the check character. */
static void agency_credit_code(size_t unit, int department, char code[19])
{
    uint64_t state = 0x5DEECE66Du + unit * 131 + (uint64_t)(department + 1);
    const char *alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    snprintf(code, 19, "11%s%08u", districts[unit < COUNT(districts) ? unit : 1 + (unit - COUNT(districts)) / TOWNS_PER_DISTRICT].code,
             (unsigned)(gen_next(&state) % 100000000u));
    code[16] = alphabet[gen_next(&state) % 31];
    code[17] = catalogue_credit_code_check_character(code);
    code[18] = '\0';
}

static void agency_name(const struct unit *unit, int department, char *out, size_t size)
{
    if (unit->town >= 0) /* towns: the 便民服务中心 implements for the department */
        snprintf(out, size, "%s便民服务中心", unit->name);
    else if (!strcmp(departments[department].category, "税务"))
        snprintf(out, size, "国家税务总局%s%s", unit->name, departments[department].name);
    else
        snprintf(out, size, "%s%s", unit->name, departments[department].name);
}

/* ---- JSON writing ---- */
static void json_string(FILE *out, const char *text)
{
    putc('"', out);
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(out, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(out, "\\u%04x", *c);
        else
            putc(*c, out);
    }
    putc('"', out);
}

static void json_key(FILE *out, const char *key, bool first)
{
    fprintf(out, "%s\"%s\":", first ? "" : ",", key);
}

static void json_key_string(FILE *out, const char *key, const char *text, bool first)
{
    json_key(out, key, first);
    json_string(out, text);
}

/* ---- items ---- */
struct generator {
    uint64_t random;
    FILE *items;             /* the items array's body */
    size_t written, wanted;
    unsigned long serial;    /* makes each implementation code unique */
    char **theme_members[COUNT(themes)];
    size_t theme_count[COUNT(themes)], theme_capacity[COUNT(themes)];
};

struct item_spec {
    const struct subject *subject;
    size_t unit;
    const char *level;
    const char *parent;      /* NULL for a main item */
    const char *action;      /* "" for the main item */
    const char *case_name;   /* handling items only */
    int action_index, case_index; /* -1 for none */
    char code[40], basic_code[16];
};

static int theme_of(const struct subject *subject, size_t theme)
{
    for (size_t s = 0; s < COUNT(themes[theme].subjects); s++)
        if (themes[theme].subjects[s] && !strcmp(themes[theme].subjects[s], subject->name))
            return 1;
    return 0;
}

static int theme_add(struct generator *g, size_t theme, const char *code)
{
    if (g->theme_count[theme] == g->theme_capacity[theme]) {
        size_t capacity = g->theme_capacity[theme] ? g->theme_capacity[theme] * 2 : 16;
        char **bigger = realloc(g->theme_members[theme], capacity * sizeof *bigger);
        if (!bigger)
            return -1;
        g->theme_members[theme] = bigger;
        g->theme_capacity[theme] = capacity;
    }
    g->theme_members[theme][g->theme_count[theme]] = strdup(code);
    return g->theme_members[theme][g->theme_count[theme]++] ? 0 : -1;
}

static void write_material(FILE *out, const struct material *m, bool first)
{
    fprintf(out, "%s{", first ? "" : ",");
    json_key_string(out, "name", m->name, true);
    fprintf(out, ",\"required\":%s", m->required ? "true" : "false");
    json_key_string(out, "condition", m->condition, false);
    json_key_string(out, "form", m->form, false);
    fprintf(out, ",\"copies\":%d", m->copies);
    json_key_string(out, "media", m->media, false);
    json_key_string(out, "source", m->source, false);
    fprintf(out, ",\"blank_form\":%s,\"sample\":%s", m->blank_form ? "true" : "false", m->sample ? "true" : "false");
    json_key(out, "e_licence", false);
    if (m->e_licence)
        json_string(out, m->e_licence);
    else
        fputs("null", out);
    json_key_string(out, "notes", m->notes, false);
    putc('}', out);
}

static int write_item(struct generator *g, struct item_spec *spec)
{
    FILE *out = g->items;
    uint64_t *r = &g->random;
    const struct subject *s = spec->subject;
    int department = s->department;
    struct unit unit;
    unit_describe(spec->unit, &unit);
    char credit[19], agency[128], name[160], department_name[128], text[512];
    /* a town's 便民服务中心 is one agency for every department it serves */
    agency_credit_code(spec->unit, unit.town >= 0 ? -1 : department, credit);
    agency_name(&unit, department, agency, sizeof agency);
    /* the competent department is the district's (or the city's) */
    const char *area = unit.town >= 0 ? districts[unit.district].name : unit.name;
    snprintf(department_name, sizeof department_name, "%s%s%s",
             !strcmp(departments[department].category, "税务") ? "国家税务总局" : "",
             unit.town >= 0 && unit.district ? "临沂市" : "", area);
    snprintf(department_name + strlen(department_name), sizeof department_name - strlen(department_name), "%s",
             departments[department].name);

    if (!strcmp(spec->level, "main"))
        snprintf(name, sizeof name, "%s办理", s->name);
    else if (!strcmp(spec->level, "sub"))
        snprintf(name, sizeof name, "%s%s", s->name, spec->action);
    else
        snprintf(name, sizeof name, "%s%s（%s）", s->name, spec->action, spec->case_name);
    /* the same service has the same basic code at every agency (it is the province's) */
    size_t subject_index = (size_t)(s - subjects);
    snprintf(spec->basic_code, sizeof spec->basic_code, "%06u%03u%03u", (unsigned)(100100 + subject_index * 7) % 1000000u,
             (unsigned)(spec->action_index + 1) % 1000u, (unsigned)(spec->case_index + 1) % 1000u);
    /* credit code, the basic code, then a serial in base 36: 18 + 12 + 5 = 35 characters */
    char serial[6];
    unsigned long n = g->serial++;
    for (int i = 4; i >= 0; i--, n /= 36)
        serial[i] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[n % 36];
    serial[5] = '\0';
    snprintf(spec->code, sizeof spec->code, "%s%s%s", credit, spec->basic_code, serial);

    bool self_service = gen_chance(r, 45);
    bool kiosk_filable = self_service && gen_chance(r, 50);
    fprintf(out, "%s{", g->written ? ",\n" : "\n");
    json_key_string(out, "name", name, true);
    json_key_string(out, "basic_code", spec->basic_code, false);
    json_key_string(out, "implementation_code", spec->code, false);
    json_key_string(out, "level", spec->level, false);
    json_key(out, "parent", false);
    if (spec->parent)
        json_string(out, spec->parent);
    else
        fputs("null", out);
    json_key_string(out, "type", s->type, false);
    json_key_string(out, "department", department_name, false);
    json_key_string(out, "department_category", departments[department].category, false);
    fprintf(out, ",\"agency\":{");
    json_key_string(out, "name", agency, true);
    json_key_string(out, "credit_code", credit, false);
    fprintf(out, "},\"legal_basis\":[");
    json_string(out, s->legal_basis);
    if (gen_chance(r, 30))
        fputs(",\"《优化营商环境条例》\"", out);
    fputs("]", out);
    snprintf(text, sizeof text, "%s户籍或在本地居住的%s，材料齐全的予以受理。", area,
             departments[department].in_towns ? "居民" : "申请人");
    json_key_string(out, "conditions", text, false);
    fprintf(out, ",\"service_object\":[\"natural_person\"%s]", gen_chance(r, 25) ? ",\"legal_person\"" : "");
    fprintf(out, ",\"steps\":[{\"title\":\"提交申请\",\"description\":\"%s\"},"
                 "{\"title\":\"受理审核\",\"description\":\"核验材料，当场受理\"},"
                 "{\"title\":\"办结\",\"description\":\"%s\"}]",
            kiosk_filable ? "在自助终端刷身份证填写申请并上传材料" : "到窗口或通过爱山东App提交申请",
            !strcmp(s->result_type, "certificate") ? "制证后邮寄或到窗口领取" : "结果通过短信告知");
    fputs(",\"materials\":[", out);
    /* The ID card, the form where it is filled in at the kiosk, and often one of the
     * service's own materials: real guides list more, but a benchmark document's size
     * should come from its item count. */
    write_material(out, &common_materials[M_ID], true);
    if (kiosk_filable)
        write_material(out, &common_materials[M_FORM], false);
    int own = s->materials[gen_below(r, COUNT(s->materials))];
    if (own >= 0 && gen_chance(r, 50))
        write_material(out, &common_materials[own], false);
    if (spec->case_name && !strcmp(spec->case_name, "委托代办")) {
        write_material(out, &common_materials[M_PROXY], false);
        write_material(out, &common_materials[M_PROXY_ID], false);
    }
    fputs("]", out);
    fprintf(out, ",\"intermediary\":[]");
    /* 即办 for about a third; else a promised limit at most the legal one */
    fputs(",\"time_limit\":{\"legal\":", out);
    int legal_days = 20 * (1 + (int)gen_below(r, 3));
    bool immediate = gen_chance(r, 35);
    bool has_legal = gen_chance(r, 70);
    if (has_legal)
        fprintf(out, "{\"value\":%d,\"unit\":\"working_days\"}", legal_days);
    else
        fputs("null", out);
    if (immediate)
        fputs(",\"promised\":{\"value\":0,\"unit\":\"immediate\"}", out);
    else
        fprintf(out, ",\"promised\":{\"value\":%d,\"unit\":\"working_days\"}", 1 + (int)gen_below(r, (unsigned)legal_days / 2));
    json_key_string(out, "note", immediate ? "材料齐全当场办结" : "", false);
    fputs("}", out);
    if (s->fee && strcmp(spec->level, "main"))
        fprintf(out, ",\"fees\":[{\"name\":\"工本费\",\"standard\":\"%d元\",\"basis\":\"国家发展改革委、财政部有关收费标准\"}]", s->fee);
    else
        fputs(",\"fees\":[]", out);
    fputs(",\"result\":{", out);
    json_key_string(out, "name", s->result, true);
    json_key_string(out, "type", s->result_type, false);
    fputs("}", out);
    json_key_string(out, "quantity_limit", "", false);
    fprintf(out, ",\"special_procedures\":[%s]", gen_chance(r, 10) ? "\"公示\"" : "");
    fputs(",\"channels\":{\"window\":{\"halls\":[", out);
    json_string(out, unit.hall_id);
    fprintf(out, "],\"visits\":%u},\"online\":", kiosk_filable ? 0 : gen_below(r, 3));
    if (gen_chance(r, 70))
        fprintf(out, "{\"url\":\"https://zwfw.linyi.gov.cn/item/%s\",\"depth\":%u}", spec->code, 1 + gen_below(r, 4));
    else
        fputs("null", out);
    fprintf(out, ",\"mobile\":%s,\"self_service\":%s}", gen_chance(r, 60) ? "true" : "false",
            self_service ? "true" : "false");
    fprintf(out, ",\"kiosk_filable\":%s", kiosk_filable ? "true" : "false");

    fputs(",\"themes\":[", out);
    /* only the city's own items join a life event, so theme lists stay a size people read */
    bool first = true;
    if (spec->unit == 0)
        for (size_t t = 0; t < COUNT(themes); t++)
            if (theme_of(s, t)) {
                fprintf(out, "%s\"%s\"", first ? "" : ",", themes[t].id);
                first = false;
                if (theme_add(g, t, spec->code) < 0)
                    return -1;
            }
    fputs("],\"keywords\":[", out);
    first = true;
    for (size_t k = 0; k < COUNT(s->keywords); k++)
        if (s->keywords[k] && gen_chance(r, 70)) {
            fprintf(out, "%s", first ? "" : ",");
            json_string(out, s->keywords[k]);
            first = false;
        }
    for (size_t a = 0; a < COUNT(action_words); a++)
        if (spec->action[0] && strstr(spec->action, action_words[a][0]) && strcmp(action_words[a][1], s->keywords[0])) {
            fprintf(out, "%s", first ? "" : ",");
            json_string(out, action_words[a][1]);
            first = false;
            break;
        }
    fputs("],\"faq\":[", out);
    if (gen_chance(r, 20)) {
        snprintf(text, sizeof text, "%s可以在自助终端办理吗？", name);
        fputs("{", out);
        json_key_string(out, "q", text, true);
        json_key_string(out, "a", kiosk_filable ? "可以，刷身份证后按提示操作。" : "暂不支持，请到窗口办理或使用爱山东App。", false);
        fputs("}", out);
    }
    /* Heavy tail (Pareto, alpha 1.2) scaled by how common the subject is: most items are
     * handled a few times a year, a few thousands of times. */
    double tail = pow(gen_unit(r), -1.0 / 1.2) - 1.0;
    double scale = (double)s->weight * (spec->unit == 0 ? 20.0 : unit.town < 0 ? 6.0 : 1.0);
    double popularity = tail * scale;
    fprintf(out, "],\"popularity\":%" PRId64, (int64_t)(popularity > 5e6 ? 5e6 : popularity));
    fprintf(out, ",\"version\":\"%u.%u\"", 1 + gen_below(r, 3), gen_below(r, 10));
    fprintf(out, ",\"updated\":\"2026-%02u-%02uT%02u:00:00+08:00\"}", 1 + gen_below(r, 11), 1 + gen_below(r, 28),
            8 + gen_below(r, 10));
    g->written++;
    return ferror(out) ? -1 : 0;
}

/* A service at one unit: the main item, a sub item per action, a few handling items each. */
static int write_group(struct generator *g)
{
    uint64_t *r = &g->random;
    /* Pick the unit: a quarter the city's, a third the districts', the rest the towns'. */
    size_t unit;
    unsigned where = gen_below(r, 100);
    if (where < 25)
        unit = 0;
    else if (where < 60)
        unit = 1 + gen_below(r, COUNT(districts) - 1);
    else
        unit = COUNT(districts) + gen_below(r, (unsigned)(AGENCY_UNITS - COUNT(districts)));
    const struct subject *s;
    do
        s = &subjects[gen_below(r, COUNT(subjects))];
    while (unit >= COUNT(districts) && !departments[s->department].in_towns);

    struct item_spec main_item = {.subject = s, .unit = unit, .level = "main", .action = "", .action_index = -1,
                                  .case_index = -1};
    if (write_item(g, &main_item) < 0)
        return -1;
    for (size_t a = 0; a < COUNT(s->actions) && s->actions[a] && g->written < g->wanted; a++) {
        if (!s->actions[a][0])
            continue;
        struct item_spec sub = {.subject = s, .unit = unit, .level = "sub", .parent = main_item.code,
                                .action = s->actions[a], .action_index = (int)a, .case_index = -1};
        if (write_item(g, &sub) < 0)
            return -1;
        unsigned handling = gen_below(r, 3);
        for (unsigned h = 0; h < handling && g->written < g->wanted; h++) {
            unsigned c = gen_below(r, COUNT(cases));
            struct item_spec case_item = {.subject = s, .unit = unit, .level = "handling",
                                          .parent = gen_chance(r, 85) ? sub.code : main_item.code,
                                          .action = s->actions[a], .case_name = cases[c],
                                          .action_index = (int)a, .case_index = (int)c};
            if (write_item(g, &case_item) < 0)
                return -1;
        }
    }
    return 0;
}

static void write_halls(FILE *out)
{
    fputs("\"halls\":[", out);
    for (size_t u = 0; u < AGENCY_UNITS; u++) {
        struct unit unit;
        char text[160];
        unit_describe(u, &unit);
        fprintf(out, "%s\n{", u ? "," : "");
        json_key_string(out, "id", unit.hall_id, true);
        snprintf(text, sizeof text, "%s%s", unit.name, unit.town >= 0 ? "便民服务中心" : "政务服务中心");
        json_key_string(out, "name", text, false);
        snprintf(text, sizeof text, "%s%s", unit.town >= 0 ? districts[unit.district].name : unit.name,
                 unit.town >= 0 ? "政府驻地便民服务大厅" : "人民路政务服务大厅");
        json_key_string(out, "address", text, false);
        json_key_string(out, "hours", "周一至周五 9:00—12:00，13:30—17:00（法定节假日除外）", false);
        json_key_string(out, "phone", u == 0 ? "0539-12345" : "", false);
        fputs("}", out);
    }
    fputs("],\n", out);
}

static void write_themes(FILE *out, const struct generator *g)
{
    fputs("\"themes\":[", out);
    bool first = true;
    for (size_t t = 0; t < COUNT(themes); t++) {
        if (!g->theme_count[t])
            continue; /* a theme lists at least one item */
        fprintf(out, "%s\n{", first ? "" : ",");
        first = false;
        json_key_string(out, "id", themes[t].id, true);
        json_key_string(out, "name", themes[t].name, false);
        json_key_string(out, "description", themes[t].description, false);
        fputs(",\"items\":[", out);
        for (size_t i = 0; i < g->theme_count[t]; i++) {
            fputs(i ? "," : "", out);
            json_string(out, g->theme_members[t][i]);
        }
        fputs("]}", out);
    }
    fputs("],\n", out);
}

int main(int argc, char **argv)
{
    unsigned long long count = 100000, seed = 1;
    for (int i = 1; i < argc; i++) {
        char *end;
        if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            errno = 0;
            seed = strtoull(argv[++i], &end, 10);
            if (errno || *end || !argv[i][0])
                goto usage;
        } else if (argv[i][0] >= '1' && argv[i][0] <= '9') {
            errno = 0;
            count = strtoull(argv[i], &end, 10);
            if (errno || *end || count > 10000000)
                goto usage;
        } else
            goto usage;
    }

    struct generator g = {.random = seed * 0x9E3779B97F4A7C15u + 1, .wanted = count};
    char *items_text = NULL;
    size_t items_length = 0;
    g.items = open_memstream(&items_text, &items_length);
    if (!g.items) {
        perror("catalogue_gen: open_memstream");
        return 1;
    }
    while (g.written < g.wanted)
        if (write_group(&g) < 0) {
            fprintf(stderr, "catalogue_gen: out of memory\n");
            return 1;
        }
    if (fclose(g.items)) {
        perror("catalogue_gen");
        return 1;
    }

    /* Themes list their items, so the items are written first (to memory) and the document
     * put together after. */
    FILE *out = stdout;
    fprintf(out, "{\"format\":\"" CATALOGUE_FORMAT "\",\"version\":\"gen-%llu-s%llu\","
                 "\"published\":\"2026-11-27T08:00:00+08:00\",\n",
            count, seed);
    fputs("\"region\":{\"code\":\"371300\",\"name\":\"临沂市\"},\n", out);
    write_halls(out);
    write_themes(out, &g);
    fputs("\"items\":[", out);
    fwrite(items_text, 1, items_length, out);
    fputs("\n]}\n", out);
    free(items_text);
    for (size_t t = 0; t < COUNT(themes); t++) {
        for (size_t i = 0; i < g.theme_count[t]; i++)
            free(g.theme_members[t][i]);
        free(g.theme_members[t]);
    }
    if (fflush(out) || ferror(out)) {
        perror("catalogue_gen: writing");
        return 1;
    }
    return 0;

usage:
    fprintf(stderr, "usage: catalogue_gen [N] [--seed S] > file.json   (N items, default 100000; N up to 10000000)\n");
    return 2;
}
