/* The catalogue loader: checks every rule of docs/catalogue-format.md and copies what the
 * kiosk keeps into one arena. cJSON parses the document value by value (see "reading the
 * document" for why not in one piece). Only this file includes cJSON; only db.c includes
 * SQLite.
 *
 * Checks run in three rounds and the first problem found is reported:
 *   1. the document's own fields, halls and themes (their ids), then each item on its own,
 *      in order (including that its code is not used by an earlier item);
 *   2. each theme's item list (the items exist and list the theme back);
 *   3. each item's references to other items: its parent, and that its themes list it. */
#include "firmware/catalogue/catalogue.h"
#include "firmware/core/textfile.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/storage/db.h"

/* ---- arena ---------------------------------------------------------------------------------
 * Every string and small array of a catalogue lives in a few large blocks: 100,000 items hold
 * a few million strings, and one malloc each would cost more than the parse. The arena also
 * owns the three big pieces that grow or arrive whole: the items, the code index and the
 * document. */
struct arena_block {
    struct arena_block *next;
    size_t size, used;
    max_align_t data[]; /* max_align_t: the blocks' memory is aligned for anything */
};

/* An open-addressing hash index from a string key (owned by the catalogue) to an index. */
struct string_slot {
    const char *key;
    size_t value;
};
struct string_index {
    struct string_slot *slots; /* malloc'd */
    size_t mask;               /* slot count - 1; a power of two, kept above twice the keys */
    size_t count;
};

struct catalogue_arena {
    struct arena_block *blocks;
    size_t next_block_size;
    struct string_index codes;     /* implementation code -> item, for catalogue_find_code */
    struct catalogue_item *items;  /* malloc'd: it grows while the items are read */
    char *document;                /* malloc'd */
};

#define ARENA_FIRST_BLOCK (64u * 1024)
#define ARENA_MAX_BLOCK (16u * 1024 * 1024)

static void *arena_alloc(struct catalogue_arena *arena, size_t size, size_t align)
{
    struct arena_block *block = arena->blocks;
    if (block) {
        size_t start = (block->used + align - 1) & ~(align - 1);
        if (start <= block->size && size <= block->size - start) {
            block->used = start + size;
            return (unsigned char *)block->data + start;
        }
    }
    size_t block_size = arena->next_block_size;
    if (block_size < size)
        block_size = size;
    if (arena->next_block_size < ARENA_MAX_BLOCK)
        arena->next_block_size *= 2;
    block = malloc(sizeof *block + block_size);
    if (!block)
        return NULL;
    block->size = block_size;
    block->used = size;
    block->next = arena->blocks;
    arena->blocks = block;
    return block->data;
}

static void arena_free(struct catalogue_arena *arena)
{
    free(arena->codes.slots);
    free(arena->items);
    free(arena->document);
    struct arena_block *block = arena->blocks;
    while (block) {
        struct arena_block *next = block->next;
        free(block);
        block = next;
    }
}

/* ---- string index --------------------------------------------------------------------------- */
static uint64_t string_hash(const char *key)
{
    uint64_t hash = 1469598103934665603u; /* FNV-1a: short keys, no attacker worth a keyed hash */
    for (const unsigned char *c = (const unsigned char *)key; *c; c++)
        hash = (hash ^ *c) * 1099511628211u;
    /* A multiply only carries low bits upwards, and the slot is taken from the low bits: mix
     * the high ones down, or codes that differ in their last characters crowd together. */
    hash ^= hash >> 29;
    hash *= 0xBF58476D1CE4E5B9u;
    return hash ^ (hash >> 32);
}

/* The value stored for key, or -1. */
static long string_index_find(const struct string_index *index, const char *key)
{
    if (!index->slots)
        return -1;
    for (size_t at = string_hash(key) & index->mask;; at = (at + 1) & index->mask) {
        const struct string_slot *slot = &index->slots[at];
        if (!slot->key)
            return -1;
        if (!strcmp(slot->key, key))
            return (long)slot->value;
    }
}

static void string_index_put(struct string_slot *slots, size_t mask, const char *key, size_t value)
{
    size_t at = string_hash(key) & mask;
    while (slots[at].key)
        at = (at + 1) & mask;
    slots[at].key = key;
    slots[at].value = value;
}

/* An empty index with room for keys keys before it grows. */
static bool string_index_presize(struct string_index *index, size_t keys)
{
    size_t slots = 64;
    while (slots / 2 < keys)
        slots *= 2;
    index->slots = calloc(slots, sizeof *index->slots);
    if (!index->slots)
        return false;
    index->mask = slots - 1;
    index->count = 0;
    return true;
}

/* Doubles the slots when they are half full, so lookups stay short. */
static bool string_index_reserve(struct string_index *index)
{
    size_t slots = index->slots ? index->mask + 1 : 0;
    if (index->count + 1 <= slots / 2)
        return true;
    size_t grown = slots ? slots * 2 : 64;
    struct string_slot *bigger = calloc(grown, sizeof *bigger);
    if (!bigger)
        return false;
    for (size_t i = 0; i < slots; i++)
        if (index->slots[i].key)
            string_index_put(bigger, grown - 1, index->slots[i].key, index->slots[i].value);
    free(index->slots);
    index->slots = bigger;
    index->mask = grown - 1;
    return true;
}

/* Adds key -> value: -1 when added, or the value already stored for key (nothing added),
 * or -2 when out of memory. */
static long string_index_add(struct string_index *index, const char *key, size_t value)
{
    if (!string_index_reserve(index))
        return -2;
    for (size_t at = string_hash(key) & index->mask;; at = (at + 1) & index->mask) {
        struct string_slot *slot = &index->slots[at];
        if (!slot->key) {
            slot->key = key;
            slot->value = value;
            index->count++;
            return -1;
        }
        if (!strcmp(slot->key, key))
            return (long)slot->value;
    }
}

/* ---- credit codes (GB 32100) --------------------------------------------------------------- */
static const char credit_code_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int credit_code_weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

/* The value of a code character (its place in the alphabet), or -1. */
static int credit_code_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c < 'A' || c > 'Y' || c == 'I' || c == 'O' || c == 'S' || c == 'V')
        return -1;
    /* letters count from 10, skipping I, O, S and V (Z is past Y) */
    return 10 + (c - 'A') - (c > 'I') - (c > 'O') - (c > 'S') - (c > 'V');
}

char catalogue_credit_code_check_character(const char *code)
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int value = credit_code_value(code[i]);
        if (value < 0)
            return '\0';
        sum += value * credit_code_weights[i];
    }
    int check = 31 - sum % 31;
    return credit_code_alphabet[check == 31 ? 0 : check];
}

/* NULL when code is a valid credit code, else why not (in reason). */
static const char *credit_code_problem(const char *code, char *reason, size_t reason_len)
{
    if (strlen(code) != 18)
        return "must be 18 characters (a unified social credit code)";
    for (int i = 0; i < 18; i++)
        if (credit_code_value(code[i]) < 0) {
            snprintf(reason, reason_len, "character %d must be one of %s", i + 1, credit_code_alphabet);
            return reason;
        }
    char check = catalogue_credit_code_check_character(code);
    if (code[17] != check) {
        snprintf(reason, reason_len, "check character must be %c, not %c", check, code[17]);
        return reason;
    }
    return NULL;
}

bool catalogue_credit_code_valid(const char *code)
{
    char reason[80];
    return code && !credit_code_problem(code, reason, sizeof reason);
}

/* ---- text rules ----------------------------------------------------------------------------- */
/* Code points in valid UTF-8 (the whole document was checked before). */
static size_t utf8_length(const char *text)
{
    size_t count = 0;
    for (const unsigned char *c = (const unsigned char *)text; *c; c++)
        count += (*c & 0xC0) != 0x80;
    return count;
}

/* Nothing but spaces: ASCII white space and the ideographic space U+3000 that Chinese text
 * uses for indentation. */
static bool text_blank(const char *text)
{
    for (const unsigned char *c = (const unsigned char *)text; *c;) {
        if (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r')
            c++;
        else if (c[0] == 0xE3 && c[1] == 0x80 && c[2] == 0x80)
            c += 3;
        else
            return false;
    }
    return true;
}

static bool code_characters(const char *text, size_t min, size_t max)
{
    size_t length = strspn(text, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    return text[length] == '\0' && length >= min && length <= max;
}

/* Printable ASCII without spaces: versions are compared and shown on technician screens. */
static bool version_text(const char *text, size_t max)
{
    size_t length = 0;
    for (; text[length]; length++)
        if (text[length] <= ' ' || text[length] > '~')
            return false;
    return length >= 1 && length <= max;
}

static bool digits(const char *text, int count)
{
    for (int i = 0; i < count; i++)
        if (text[i] < '0' || text[i] > '9')
            return false;
    return true;
}

static int two_digits(const char *text)
{
    return (text[0] - '0') * 10 + (text[1] - '0');
}

/* RFC 3339 date-time with an offset: 2026-11-27T08:00:00+08:00, fraction optional, Z allowed. */
static bool rfc3339_valid(const char *text)
{
    static const int month_days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!digits(text, 4) || text[4] != '-' || !digits(text + 5, 2) || text[7] != '-' ||
        !digits(text + 8, 2) || text[10] != 'T' || !digits(text + 11, 2) || text[13] != ':' ||
        !digits(text + 14, 2) || text[16] != ':' || !digits(text + 17, 2))
        return false;
    int year = atoi(text), month = two_digits(text + 5), day = two_digits(text + 8);
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month < 1 || month > 12 || day < 1 || day > month_days[month - 1] ||
        (month == 2 && day == 29 && !leap))
        return false;
    if (two_digits(text + 11) > 23 || two_digits(text + 14) > 59 || two_digits(text + 17) > 60)
        return false;
    const char *rest = text + 19;
    if (*rest == '.') {
        size_t fraction = strspn(rest + 1, "0123456789");
        if (fraction < 1 || fraction > 9)
            return false;
        rest += 1 + fraction;
    }
    if (rest[0] == 'Z')
        return rest[1] == '\0';
    return (rest[0] == '+' || rest[0] == '-') && digits(rest + 1, 2) && rest[3] == ':' &&
           digits(rest + 4, 2) && rest[6] == '\0' && two_digits(rest + 1) <= 23 && two_digits(rest + 4) <= 59;
}

/* An https URL with a host, without spaces or control characters. */
static bool https_url_valid(const char *text)
{
    if (strncmp(text, "https://", 8))
        return false;
    size_t host = strspn(text + 8, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]");
    if (host == 0 || (text[8 + host] != '\0' && text[8 + host] != '/' && text[8 + host] != '?' &&
                      text[8 + host] != '#'))
        return false;
    for (const unsigned char *c = (const unsigned char *)text; *c; c++)
        if (*c <= ' ' || *c == 0x7F)
            return false;
    return true;
}

/* The first byte where text is not UTF-8, or len when it all is. Runs over the whole document
 * before anything else, so it takes the common cases first: eight ASCII bytes at a time, then
 * the three-byte sequences of Chinese text. */
static size_t utf8_first_bad_byte(const unsigned char *text, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (len - i >= 8) {
            uint64_t word;
            memcpy(&word, text + i, 8);
            if (!(word & 0x8080808080808080u)) {
                i += 8;
                continue;
            }
        }
        unsigned char c = text[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        /* E1-EC and EE-EF lead three bytes with no special case: most Chinese text */
        if (len - i >= 3 && c >= 0xE1 && c != 0xED && c <= 0xEF && (text[i + 1] & 0xC0) == 0x80 &&
            (text[i + 2] & 0xC0) == 0x80) {
            i += 3;
            continue;
        }
        size_t need;
        unsigned char second_min = 0x80, second_max = 0xBF;
        if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                second_min = 0xA0; /* overlong */
            else if (c == 0xED)
                second_max = 0x9F; /* UTF-16 surrogates */
        } else if (c >= 0xC2 && c <= 0xDF)
            need = 1;
        else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                second_min = 0x90; /* overlong */
            else if (c == 0xF4)
                second_max = 0x8F; /* above U+10FFFF */
        } else
            return i;
        if (len - i <= need || text[i + 1] < second_min || text[i + 1] > second_max)
            return i;
        if (need >= 2 && (text[i + 2] & 0xC0) != 0x80)
            return i;
        if (need == 3 && (text[i + 3] & 0xC0) != 0x80)
            return i;
        i += need + 1;
    }
    return len;
}

/* The first byte that makes text unusable as a document, or len: not UTF-8, a NUL (which
 * would cut a C string short), or a "\u0000" escape, which cJSON turns into a NUL and so
 * silently cuts the string it is in. */
static size_t document_first_bad_byte(const unsigned char *text, size_t len)
{
    size_t bad = utf8_first_bad_byte(text, len);
    const unsigned char *nul = memchr(text, '\0', bad);
    if (nul)
        bad = (size_t)(nul - text);
    /* Backslashes are rare in catalogue text: find each, skip the character it escapes. */
    for (const unsigned char *at = text; (at = memchr(at, '\\', bad - (size_t)(at - text))); at += 2) {
        size_t left = bad - (size_t)(at - text);
        if (left >= 6 && !memcmp(at, "\\u0000", 6))
            return (size_t)(at - text);
        if (left < 2)
            break;
    }
    return bad;
}

/* ---- the parse ----------------------------------------------------------------------------- */
/* Where in the document the check is: "materials[2].form" is {materials, 2}, {form, -1}. */
struct path_segment {
    const char *key;
    long index;
};
#define PATH_DEPTH 8

/* What round 3 needs of an item that the catalogue does not keep. */
struct item_scratch {
    const char *parent_code;    /* in the item's tree, then a copy in the arena if needed */
    long parent;                /* the parent's index once known, else -1 */
    size_t theme_listed_offset; /* into parse.theme_listed */
};

struct parse {
    struct catalogue *catalogue;
    struct catalogue_arena *arena;
    char *err;
    size_t errlen;
    long item;             /* the item being checked, or -1 */
    const char *item_code; /* its implementation code once it looks like one, for messages */
    struct path_segment path[PATH_DEPTH];
    int depth;
    struct string_index halls, themes;
    const cJSON **theme_item_lists;
    struct item_scratch *scratch;
    bool *theme_listed; /* per item theme: the theme lists the item (round 2) */
    size_t items_expected;
};

static void path_push(struct parse *p, const char *key)
{
    /* The format's nesting is fixed and shallow; PATH_DEPTH covers the deepest field. */
    p->path[p->depth].key = key;
    p->path[p->depth].index = -1;
    p->depth++;
}

static void path_index(struct parse *p, size_t index)
{
    p->path[p->depth - 1].index = (long)index;
}

static void path_pop(struct parse *p)
{
    p->depth--;
}

static int append(char *buffer, size_t size, int at, const char *fmt, ...)
{
    if (at < 0 || (size_t)at >= size)
        return at;
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(buffer + at, size - (size_t)at, fmt, args);
    va_end(args);
    return n < 0 ? at : at + n;
}

static int append_segment(char *buffer, size_t size, int at, bool first, const char *key, long index)
{
    if (key)
        at = append(buffer, size, at, "%s%s", first ? "" : ".", key);
    if (index >= 0)
        at = append(buffer, size, at, "[%ld]", index);
    return at;
}

/* Writes the one-line error: the item (index and code), the field path ending in key (may
 * be NULL: the path's own end), and the rule. Returns false for "return parse_fail(...)". */
static bool parse_fail(struct parse *p, const char *key, const char *fmt, ...)
{
    char *buffer = p->err;
    size_t size = p->errlen;
    if (!size)
        return false;
    int at = 0;
    bool first = true;
    if (p->item >= 0) {
        at = append(buffer, size, at, "items[%ld]", p->item);
        if (p->item_code)
            at = append(buffer, size, at, " (%s)", p->item_code);
        if (p->depth > 0 || key)
            at = append(buffer, size, at, " ");
    }
    for (int i = 0; i < p->depth; i++, first = false)
        at = append_segment(buffer, size, at, first, p->path[i].key, p->path[i].index);
    if (key)
        at = append_segment(buffer, size, at, first, key, -1);
    at = append(buffer, size, at, ": ");
    if (at >= 0 && (size_t)at < size) {
        va_list args;
        va_start(args, fmt);
        vsnprintf(buffer + at, size - (size_t)at, fmt, args);
        va_end(args);
    }
    return false;
}

static bool parse_out_of_memory(struct parse *p)
{
    return parse_fail(p, NULL, "out of memory");
}

/* Picks the named fields of an object into values[] (NULL when missing). Fields the format
 * does not name are ignored; a named field given twice is an error, because JSON readers
 * disagree about which one counts. Documents list fields in the format's order, so the search
 * starts after the last match: one comparison per field. */
static bool take_fields(struct parse *p, const cJSON *object, const char *const *names, size_t count,
                        const cJSON **values)
{
    memset(values, 0, count * sizeof *values);
    size_t next = 0;
    for (const cJSON *child = object->child; child; child = child->next) {
        size_t i = next, tries = 0;
        for (; tries < count; tries++, i = i + 1 == count ? 0 : i + 1)
            if (!strcmp(names[i], child->string))
                break;
        if (tries == count)
            continue;
        if (values[i])
            return parse_fail(p, names[i], "appears twice");
        values[i] = child;
        next = i + 1 == count ? 0 : i + 1;
    }
    return true;
}

static bool take_object(struct parse *p, const cJSON *value, const char *key, bool null_allowed)
{
    if (!value)
        return parse_fail(p, key, "missing");
    if (cJSON_IsObject(value))
        return true;
    return parse_fail(p, key, null_allowed ? "must be an object or null" : "must be an object");
}

/* An array: its length in *count. */
static bool take_array(struct parse *p, const cJSON *value, const char *key, size_t min, size_t *count)
{
    if (!value)
        return parse_fail(p, key, "missing");
    if (!cJSON_IsArray(value))
        return parse_fail(p, key, "must be an array");
    size_t n = 0;
    for (const cJSON *child = value->child; child; child = child->next)
        n++;
    if (n < min)
        return parse_fail(p, key, "must have at least %zu %s", min, min == 1 ? "entry" : "entries");
    *count = n;
    return true;
}

static char *arena_copy_text(struct parse *p, const char *text)
{
    size_t length = strlen(text);
    char *copy = arena_alloc(p->arena, length + 1, 1);
    if (copy)
        memcpy(copy, text, length + 1);
    return copy;
}

enum text_rule { TEXT_ANY, TEXT_NOT_BLANK };

/* A string copied into the arena; TEXT_NOT_BLANK: with something besides spaces. */
static bool take_text(struct parse *p, const cJSON *value, const char *key, enum text_rule rule, const char **out)
{
    if (!value)
        return parse_fail(p, key, "missing");
    if (!cJSON_IsString(value))
        return parse_fail(p, key, "must be a string");
    if (rule == TEXT_NOT_BLANK && text_blank(value->valuestring))
        return parse_fail(p, key, "must not be empty");
    *out = arena_copy_text(p, value->valuestring);
    return *out ? true : parse_out_of_memory(p);
}

/* The same, or NULL for JSON null. */
static bool take_text_or_null(struct parse *p, const cJSON *value, const char *key, enum text_rule rule,
                              const char **out)
{
    if (value && cJSON_IsNull(value)) {
        *out = NULL;
        return true;
    }
    if (value && !cJSON_IsString(value))
        return parse_fail(p, key, "must be a string or null");
    return take_text(p, value, key, rule, out);
}

static bool take_bool(struct parse *p, const cJSON *value, const char *key, bool *out)
{
    if (!value)
        return parse_fail(p, key, "missing");
    if (!cJSON_IsBool(value))
        return parse_fail(p, key, "must be true or false");
    *out = cJSON_IsTrue(value);
    return true;
}

static bool take_integer(struct parse *p, const cJSON *value, const char *key, int64_t min, int64_t max,
                         int64_t *out)
{
    if (!value)
        return parse_fail(p, key, "missing");
    /* JSON has one number type: 3 and 3.0 are the same integer; 3.5 is not one. The range
     * check comes first so the cast below is defined. */
    double number = cJSON_IsNumber(value) ? value->valuedouble : 0.5;
    if (!cJSON_IsNumber(value) || !(number >= (double)min && number <= (double)max) ||
        number != (double)(int64_t)number)
        return parse_fail(p, key, "must be an integer from %lld to %lld", (long long)min, (long long)max);
    *out = (int64_t)number;
    return true;
}

/* One of names[], as its index. rule names them for the message. */
static bool take_enum(struct parse *p, const cJSON *value, const char *key, const char *const *names,
                      size_t count, const char *rule, int *out)
{
    if (!value)
        return parse_fail(p, key, "missing");
    if (cJSON_IsString(value))
        for (size_t i = 0; i < count; i++)
            if (!strcmp(names[i], value->valuestring)) {
                *out = (int)i;
                return true;
            }
    return parse_fail(p, key, "must be %s", rule);
}

/* An array of non-blank strings, at least min of them. */
static bool take_text_list(struct parse *p, const cJSON *value, const char *key, size_t min, const char ***out,
                           size_t *count)
{
    if (!take_array(p, value, key, min, count))
        return false;
    *out = NULL;
    if (!*count)
        return true;
    const char **list = arena_alloc(p->arena, *count * sizeof *list, _Alignof(const char *));
    if (!list)
        return parse_out_of_memory(p);
    path_push(p, key);
    size_t i = 0;
    for (const cJSON *child = value->child; child; child = child->next, i++) {
        path_index(p, i);
        if (!take_text(p, child, NULL, TEXT_NOT_BLANK, &list[i]))
            return false;
    }
    path_pop(p);
    *out = list;
    return true;
}

/* An array of objects: the arena array of count elements of size each, in *out. */
static bool take_object_list(struct parse *p, const cJSON *value, const char *key, size_t min, size_t size,
                             void **out, size_t *count)
{
    if (!take_array(p, value, key, min, count))
        return false;
    *out = NULL;
    if (!*count)
        return true;
    *out = arena_alloc(p->arena, *count * size, _Alignof(max_align_t));
    if (!*out)
        return parse_out_of_memory(p);
    memset(*out, 0, *count * size);
    path_push(p, key);
    size_t i = 0;
    for (const cJSON *child = value->child; child; child = child->next, i++) {
        path_index(p, i);
        if (!cJSON_IsObject(child))
            return parse_fail(p, NULL, "must be an object");
    }
    path_pop(p);
    return true;
}

/* ---- vocabularies --------------------------------------------------------------------------- */
static const char *const level_names[] = {"main", "sub", "handling"};
static const char *const unit_names[] = {"working_days", "natural_days", "immediate"};
static const char *const form_names[] = {"original", "copy", "original_and_copy"};
static const char *const media_names[] = {"paper", "electronic", "paper_or_electronic"};
static const char *const source_names[] = {"applicant", "government", "third_party"};
static const char *const result_type_names[] = {"certificate", "approval", "record", "other"};
static const char *const service_object_names[] = {"natural_person", "legal_person"};
static const char *const item_types[] = {"行政许可", "行政确认", "行政给付", "行政裁决", "行政奖励",
                                         "行政备案", "行政征收", "其他行政权力", "公共服务"};
static const char *const department_categories[] = {"公安", "人社", "医保", "市场监管", "不动产", "公积金",
                                                    "民政", "税务", "卫健", "教育", "残联", "交通",
                                                    "住建", "司法", "退役军人", "自然资源", "其他"};
#define COUNT(array) (sizeof(array) / sizeof(array)[0])

/* The fields of each object, in the format's order (see take_fields). */
#define FIELDS(name, ...)                                                       \
    enum { __VA_ARGS__, name##_FIELD_COUNT };                                   \
    static const char *const name##_field_names[name##_FIELD_COUNT]

FIELDS(DOCUMENT, DOCUMENT_FORMAT, DOCUMENT_VERSION, DOCUMENT_PUBLISHED, DOCUMENT_REGION, DOCUMENT_HALLS,
       DOCUMENT_THEMES, DOCUMENT_ITEMS) = {"format", "version", "published", "region", "halls", "themes", "items"};
FIELDS(REGION, REGION_CODE, REGION_NAME) = {"code", "name"};
FIELDS(HALL, HALL_ID, HALL_NAME, HALL_ADDRESS, HALL_HOURS, HALL_PHONE) = {"id", "name", "address", "hours", "phone"};
FIELDS(THEME, THEME_ID, THEME_NAME, THEME_DESCRIPTION, THEME_ITEMS) = {"id", "name", "description", "items"};
FIELDS(ITEM, ITEM_NAME, ITEM_BASIC_CODE, ITEM_IMPLEMENTATION_CODE, ITEM_LEVEL, ITEM_PARENT, ITEM_TYPE,
       ITEM_DEPARTMENT, ITEM_DEPARTMENT_CATEGORY, ITEM_AGENCY, ITEM_LEGAL_BASIS, ITEM_CONDITIONS,
       ITEM_SERVICE_OBJECT, ITEM_STEPS, ITEM_MATERIALS, ITEM_INTERMEDIARY, ITEM_TIME_LIMIT, ITEM_FEES,
       ITEM_RESULT, ITEM_QUANTITY_LIMIT, ITEM_SPECIAL_PROCEDURES, ITEM_CHANNELS, ITEM_KIOSK_FILABLE,
       ITEM_THEMES, ITEM_KEYWORDS, ITEM_FAQ, ITEM_POPULARITY, ITEM_VERSION, ITEM_UPDATED) = {
    "name", "basic_code", "implementation_code", "level", "parent", "type", "department",
    "department_category", "agency", "legal_basis", "conditions", "service_object", "steps", "materials",
    "intermediary", "time_limit", "fees", "result", "quantity_limit", "special_procedures", "channels",
    "kiosk_filable", "themes", "keywords", "faq", "popularity", "version", "updated"};
FIELDS(AGENCY, AGENCY_NAME, AGENCY_CREDIT_CODE) = {"name", "credit_code"};
FIELDS(STEP, STEP_TITLE, STEP_DESCRIPTION) = {"title", "description"};
FIELDS(MATERIAL, MATERIAL_NAME, MATERIAL_REQUIRED, MATERIAL_CONDITION, MATERIAL_FORM, MATERIAL_COPIES,
       MATERIAL_MEDIA, MATERIAL_SOURCE, MATERIAL_BLANK_FORM, MATERIAL_SAMPLE, MATERIAL_E_LICENCE,
       MATERIAL_NOTES) = {"name", "required", "condition", "form", "copies", "media", "source",
                          "blank_form", "sample", "e_licence", "notes"};
FIELDS(TIME_LIMIT, TIME_LIMIT_LEGAL, TIME_LIMIT_PROMISED, TIME_LIMIT_NOTE) = {"legal", "promised", "note"};
FIELDS(LIMIT, LIMIT_VALUE, LIMIT_UNIT) = {"value", "unit"};
FIELDS(FEE, FEE_NAME, FEE_STANDARD, FEE_BASIS) = {"name", "standard", "basis"};
FIELDS(RESULT, RESULT_NAME, RESULT_TYPE) = {"name", "type"};
FIELDS(CHANNELS, CHANNELS_WINDOW, CHANNELS_ONLINE, CHANNELS_MOBILE, CHANNELS_SELF_SERVICE) = {
    "window", "online", "mobile", "self_service"};
FIELDS(WINDOW, WINDOW_HALLS, WINDOW_VISITS) = {"halls", "visits"};
FIELDS(ONLINE, ONLINE_URL, ONLINE_DEPTH) = {"url", "depth"};
FIELDS(FAQ, FAQ_Q, FAQ_A) = {"q", "a"};

/* Enters a nested object field: checks it, picks its fields and pushes its key on the path. */
#define ENTER(p, value, key, names, count, fields)                                       \
    (take_object((p), (value), (key), false) && take_fields_at((p), (value), (key), (names), (count), (fields)))

static bool take_fields_at(struct parse *p, const cJSON *object, const char *key, const char *const *names,
                           size_t count, const cJSON **values)
{
    path_push(p, key);
    return take_fields(p, object, names, count, values);
}

/* ---- items ------------------------------------------------------------------------------- */
static bool parse_id(struct parse *p, const cJSON *value, const char **out)
{
    if (!take_text(p, value, "id", TEXT_ANY, out))
        return false;
    size_t length = strspn(*out, "abcdefghijklmnopqrstuvwxyz0123456789-");
    if ((*out)[length] || length < 1 || length > 32)
        return parse_fail(p, "id", "must be 1 to 32 of a-z, 0-9 and -");
    return true;
}

static bool parse_limit(struct parse *p, const cJSON *value, const char *key, struct catalogue_limit *limit)
{
    const cJSON *f[LIMIT_FIELD_COUNT];
    if (!ENTER(p, value, key, LIMIT_field_names, LIMIT_FIELD_COUNT, f))
        return false;
    int unit = 0;
    int64_t number;
    if (!take_enum(p, f[LIMIT_UNIT], "unit", unit_names, COUNT(unit_names),
                   "working_days, natural_days or immediate", &unit))
        return false;
    if (unit == CATALOGUE_UNIT_IMMEDIATE) {
        if (!f[LIMIT_VALUE])
            return parse_fail(p, "value", "missing");
        if (!take_integer(p, f[LIMIT_VALUE], "value", 0, 0, &number))
            return parse_fail(p, "value", "must be 0 when the unit is immediate");
    } else if (!take_integer(p, f[LIMIT_VALUE], "value", 1, 3650, &number))
        return false;
    limit->present = true;
    limit->value = (int)number;
    limit->unit = (enum catalogue_limit_unit)unit;
    path_pop(p);
    return true;
}

static bool parse_time_limit(struct parse *p, const cJSON *value, struct catalogue_item *item)
{
    const cJSON *f[TIME_LIMIT_FIELD_COUNT];
    if (!ENTER(p, value, "time_limit", TIME_LIMIT_field_names, TIME_LIMIT_FIELD_COUNT, f))
        return false;
    if (!f[TIME_LIMIT_LEGAL])
        return parse_fail(p, "legal", "missing");
    if (!cJSON_IsNull(f[TIME_LIMIT_LEGAL])) {
        if (!cJSON_IsObject(f[TIME_LIMIT_LEGAL]))
            return parse_fail(p, "legal", "must be an object or null");
        if (!parse_limit(p, f[TIME_LIMIT_LEGAL], "legal", &item->legal_limit))
            return false;
    }
    if (!parse_limit(p, f[TIME_LIMIT_PROMISED], "promised", &item->promised_limit))
        return false;
    const struct catalogue_limit *legal = &item->legal_limit, *promised = &item->promised_limit;
    if (legal->present) {
        /* 即办 is shorter than any number of days; working and natural days are not
         * comparable without a calendar, so only the same unit is checked. */
        path_push(p, "promised");
        if (legal->unit == CATALOGUE_UNIT_IMMEDIATE && promised->unit != CATALOGUE_UNIT_IMMEDIATE)
            return parse_fail(p, "unit", "must be immediate when time_limit.legal is immediate");
        if (legal->unit == promised->unit && promised->value > legal->value)
            return parse_fail(p, "value", "must not exceed time_limit.legal.value (%d)", legal->value);
        path_pop(p);
    }
    if (!take_text(p, f[TIME_LIMIT_NOTE], "note", TEXT_ANY, &item->limit_note))
        return false;
    path_pop(p);
    return true;
}

static bool parse_materials(struct parse *p, const cJSON *value, struct catalogue_item *item)
{
    void *list;
    if (!take_object_list(p, value, "materials", 0, sizeof *item->materials, &list, &item->material_count))
        return false;
    item->materials = list;
    path_push(p, "materials");
    size_t i = 0;
    for (const cJSON *child = value->child; child; child = child->next, i++) {
        struct catalogue_material *m = &item->materials[i];
        const cJSON *f[MATERIAL_FIELD_COUNT];
        int form = 0, media = 0, source = 0;
        int64_t copies;
        path_index(p, i);
        if (!take_fields(p, child, MATERIAL_field_names, MATERIAL_FIELD_COUNT, f) ||
            !take_text(p, f[MATERIAL_NAME], "name", TEXT_NOT_BLANK, &m->name) ||
            !take_bool(p, f[MATERIAL_REQUIRED], "required", &m->required) ||
            !take_text(p, f[MATERIAL_CONDITION], "condition", TEXT_ANY, &m->condition) ||
            !take_enum(p, f[MATERIAL_FORM], "form", form_names, COUNT(form_names),
                       "original, copy or original_and_copy", &form) ||
            !take_integer(p, f[MATERIAL_COPIES], "copies", 1, 20, &copies) ||
            !take_enum(p, f[MATERIAL_MEDIA], "media", media_names, COUNT(media_names),
                       "paper, electronic or paper_or_electronic", &media) ||
            !take_enum(p, f[MATERIAL_SOURCE], "source", source_names, COUNT(source_names),
                       "applicant, government or third_party", &source) ||
            !take_bool(p, f[MATERIAL_BLANK_FORM], "blank_form", &m->blank_form) ||
            !take_bool(p, f[MATERIAL_SAMPLE], "sample", &m->sample) ||
            !take_text_or_null(p, f[MATERIAL_E_LICENCE], "e_licence", TEXT_NOT_BLANK, &m->e_licence) ||
            !take_text(p, f[MATERIAL_NOTES], "notes", TEXT_ANY, &m->notes))
            return false;
        m->form = (enum catalogue_form)form;
        m->copies = (int)copies;
        m->media = (enum catalogue_media)media;
        m->source = (enum catalogue_source)source;
    }
    path_pop(p);
    return true;
}

/* A list of objects whose fields are all non-blank text (steps, fees, FAQ): each field's
 * name and where its text goes in the element. */
static bool parse_text_objects(struct parse *p, const cJSON *value, const char *key, size_t min,
                               size_t element_size, const char *const *names, const size_t *offsets,
                               size_t field_count, void **list_out, size_t *count_out)
{
    void *list;
    *list_out = NULL;
    if (!take_object_list(p, value, key, min, element_size, &list, count_out))
        return false;
    *list_out = list;
    path_push(p, key);
    size_t i = 0;
    for (const cJSON *child = value->child; child; child = child->next, i++) {
        const cJSON *f[4]; /* the widest of these objects has 3 fields */
        path_index(p, i);
        if (!take_fields(p, child, names, field_count, f))
            return false;
        char *element = (char *)list + i * element_size;
        for (size_t k = 0; k < field_count; k++)
            if (!take_text(p, f[k], names[k], TEXT_NOT_BLANK, (const char **)(element + offsets[k])))
                return false;
    }
    path_pop(p);
    return true;
}

static bool parse_steps(struct parse *p, const cJSON *value, struct catalogue_item *item)
{
    static const size_t offsets[STEP_FIELD_COUNT] = { offsetof(struct catalogue_step, title),
                                                      offsetof(struct catalogue_step, description) };
    void *list = NULL;
    bool ok = parse_text_objects(p, value, "steps", 1, sizeof *item->steps, STEP_field_names, offsets,
                                 STEP_FIELD_COUNT, &list, &item->step_count);
    item->steps = list;
    return ok;
}

static bool parse_fees(struct parse *p, const cJSON *value, struct catalogue_item *item)
{
    static const size_t offsets[FEE_FIELD_COUNT] = { offsetof(struct catalogue_fee, name),
                                                     offsetof(struct catalogue_fee, standard),
                                                     offsetof(struct catalogue_fee, basis) };
    void *list = NULL;
    bool ok = parse_text_objects(p, value, "fees", 0, sizeof *item->fees, FEE_field_names, offsets, FEE_FIELD_COUNT,
                                 &list, &item->fee_count);
    item->fees = list;
    return ok;
}

static bool parse_faq(struct parse *p, const cJSON *value, struct catalogue_item *item)
{
    static const size_t offsets[FAQ_FIELD_COUNT] = { offsetof(struct catalogue_faq, question),
                                                     offsetof(struct catalogue_faq, answer) };
    void *list = NULL;
    bool ok = parse_text_objects(p, value, "faq", 0, sizeof *item->faq, FAQ_field_names, offsets, FAQ_FIELD_COUNT,
                                 &list, &item->faq_count);
    item->faq = list;
    return ok;
}

/* Ids (of halls or themes) that must exist in index, each once: their indexes in *out. */
static bool take_id_references(struct parse *p, const cJSON *value, const char *key, size_t min,
                               const struct string_index *index, const char *missing_rule, size_t **out,
                               size_t *count)
{
    if (!take_array(p, value, key, min, count))
        return false;
    *out = NULL;
    if (!*count)
        return true;
    size_t *list = arena_alloc(p->arena, *count * sizeof *list, _Alignof(size_t));
    if (!list)
        return parse_out_of_memory(p);
    path_push(p, key);
    size_t i = 0;
    for (const cJSON *child = value->child; child; child = child->next, i++) {
        path_index(p, i);
        if (!cJSON_IsString(child))
            return parse_fail(p, NULL, "must be a string");
        long found = string_index_find(index, child->valuestring);
        if (found < 0)
            return parse_fail(p, NULL, "%s", missing_rule);
        for (size_t k = 0; k < i; k++)
            if (list[k] == (size_t)found)
                return parse_fail(p, NULL, "listed twice");
        list[i] = (size_t)found;
    }
    path_pop(p);
    *out = list;
    return true;
}

static bool parse_channels(struct parse *p, const cJSON *value, struct catalogue_item *item)
{
    const cJSON *f[CHANNELS_FIELD_COUNT];
    if (!ENTER(p, value, "channels", CHANNELS_field_names, CHANNELS_FIELD_COUNT, f))
        return false;
    const cJSON *window = f[CHANNELS_WINDOW], *online = f[CHANNELS_ONLINE];
    if (!(window && cJSON_IsNull(window)) && !take_object(p, window, "window", true))
        return false;
    if (cJSON_IsObject(window)) {
        const cJSON *w[WINDOW_FIELD_COUNT];
        int64_t visits;
        if (!take_fields_at(p, window, "window", WINDOW_field_names, WINDOW_FIELD_COUNT, w) ||
            !take_id_references(p, w[WINDOW_HALLS], "halls", 1, &p->halls, "no hall has this id",
                                &item->window_halls, &item->window_hall_count) ||
            !take_integer(p, w[WINDOW_VISITS], "visits", 0, 5, &visits))
            return false;
        item->window_visits = (int)visits;
        path_pop(p);
    }
    if (!(online && cJSON_IsNull(online)) && !take_object(p, online, "online", true))
        return false;
    if (cJSON_IsObject(online)) {
        const cJSON *o[ONLINE_FIELD_COUNT];
        int64_t depth;
        if (!take_fields_at(p, online, "online", ONLINE_field_names, ONLINE_FIELD_COUNT, o) ||
            !take_text(p, o[ONLINE_URL], "url", TEXT_ANY, &item->online_url))
            return false;
        if (!https_url_valid(item->online_url))
            return parse_fail(p, "url", "must be an https:// URL");
        if (!take_integer(p, o[ONLINE_DEPTH], "depth", 1, 4, &depth))
            return false;
        item->online_depth = (int)depth;
        path_pop(p);
    }
    if (!take_bool(p, f[CHANNELS_MOBILE], "mobile", &item->mobile) ||
        !take_bool(p, f[CHANNELS_SELF_SERVICE], "self_service", &item->self_service))
        return false;
    path_pop(p);
    return true;
}

/* Round 1: one item on its own. */
static bool parse_item(struct parse *p, const cJSON *json, struct catalogue_item *item, struct item_scratch *scratch)
{
    const cJSON *f[ITEM_FIELD_COUNT];
    if (!cJSON_IsObject(json))
        return parse_fail(p, NULL, "must be an object");
    /* Name the item by its code in every message once the code looks like one, even when
     * the code itself is what is wrong: that is how people find an item. Looked up first
     * (it is the third field) so that even a field given twice is reported with it. */
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(json, "implementation_code");
    if (cJSON_IsString(code) && code_characters(code->valuestring, 1, 36))
        p->item_code = code->valuestring;
    if (!take_fields(p, json, ITEM_field_names, ITEM_FIELD_COUNT, f))
        return false;
    code = f[ITEM_IMPLEMENTATION_CODE];

    if (!take_text(p, f[ITEM_NAME], "name", TEXT_NOT_BLANK, &item->name))
        return false;
    size_t name_length = utf8_length(item->name);
    if (name_length < 2 || name_length > 100)
        return parse_fail(p, "name", "must be 2 to 100 characters");
    if (!take_text(p, f[ITEM_BASIC_CODE], "basic_code", TEXT_ANY, &item->basic_code))
        return false;
    if (!code_characters(item->basic_code, 12, 12))
        return parse_fail(p, "basic_code", "must be 12 of 0-9 and A-Z");
    if (!take_text(p, code, "implementation_code", TEXT_ANY, &item->implementation_code))
        return false;
    if (!code_characters(item->implementation_code, 19, 36))
        return parse_fail(p, "implementation_code", "must be 19 to 36 of 0-9 and A-Z");
    long earlier = string_index_add(&p->arena->codes, item->implementation_code, (size_t)p->item);
    if (earlier == -2)
        return parse_out_of_memory(p);
    if (earlier >= 0)
        return parse_fail(p, "implementation_code", "same as items[%ld]", earlier);

    int level = 0, type = 0, category = 0;
    if (!take_enum(p, f[ITEM_LEVEL], "level", level_names, COUNT(level_names), "main, sub or handling", &level))
        return false;
    item->level = (enum catalogue_level)level;
    const cJSON *parent = f[ITEM_PARENT];
    if (!parent)
        return parse_fail(p, "parent", "missing");
    if (level == CATALOGUE_LEVEL_MAIN && !cJSON_IsNull(parent))
        return parse_fail(p, "parent", "must be null for a main item");
    if (level != CATALOGUE_LEVEL_MAIN && !cJSON_IsString(parent))
        return parse_fail(p, "parent", "must be the implementation code of the parent item");
    scratch->parent_code = level == CATALOGUE_LEVEL_MAIN ? NULL : parent->valuestring;
    item->parent = -1;

    if (!take_enum(p, f[ITEM_TYPE], "type", item_types, COUNT(item_types),
                   "one of 行政许可, 行政确认, 行政给付, 行政裁决, 行政奖励, 行政备案, 行政征收, 其他行政权力, 公共服务",
                   &type))
        return false;
    item->type = item_types[type];
    if (!take_text(p, f[ITEM_DEPARTMENT], "department", TEXT_NOT_BLANK, &item->department) ||
        !take_enum(p, f[ITEM_DEPARTMENT_CATEGORY], "department_category", department_categories,
                   COUNT(department_categories),
                   "one of 公安, 人社, 医保, 市场监管, 不动产, 公积金, 民政, 税务, 卫健, 教育, 残联, 交通, 住建, "
                   "司法, 退役军人, 自然资源, 其他",
                   &category))
        return false;
    item->department_category = department_categories[category];

    const cJSON *a[AGENCY_FIELD_COUNT];
    if (!ENTER(p, f[ITEM_AGENCY], "agency", AGENCY_field_names, AGENCY_FIELD_COUNT, a) ||
        !take_text(p, a[AGENCY_NAME], "name", TEXT_NOT_BLANK, &item->agency_name) ||
        !take_text(p, a[AGENCY_CREDIT_CODE], "credit_code", TEXT_ANY, &item->agency_credit_code))
        return false;
    char reason[96];
    const char *problem = credit_code_problem(item->agency_credit_code, reason, sizeof reason);
    if (problem)
        return parse_fail(p, "credit_code", "%s", problem);
    path_pop(p);
    if (strncmp(item->implementation_code, item->agency_credit_code, 18))
        return parse_fail(p, "implementation_code", "must start with agency.credit_code %s",
                          item->agency_credit_code);

    if (!take_text_list(p, f[ITEM_LEGAL_BASIS], "legal_basis", 1, &item->legal_basis, &item->legal_basis_count) ||
        !take_text(p, f[ITEM_CONDITIONS], "conditions", TEXT_NOT_BLANK, &item->conditions))
        return false;

    size_t objects;
    if (!take_array(p, f[ITEM_SERVICE_OBJECT], "service_object", 1, &objects))
        return false;
    path_push(p, "service_object");
    size_t i = 0;
    for (const cJSON *child = f[ITEM_SERVICE_OBJECT]->child; child; child = child->next, i++) {
        int object = 0;
        path_index(p, i);
        if (!take_enum(p, child, NULL, service_object_names, COUNT(service_object_names),
                       "natural_person or legal_person", &object))
            return false;
        bool *flag = object == 0 ? &item->for_natural_person : &item->for_legal_person;
        if (*flag)
            return parse_fail(p, NULL, "listed twice");
        *flag = true;
    }
    path_pop(p);

    if (!parse_steps(p, f[ITEM_STEPS], item) || !parse_materials(p, f[ITEM_MATERIALS], item) ||
        !take_text_list(p, f[ITEM_INTERMEDIARY], "intermediary", 0, &item->intermediary,
                        &item->intermediary_count) ||
        !parse_time_limit(p, f[ITEM_TIME_LIMIT], item) || !parse_fees(p, f[ITEM_FEES], item))
        return false;

    const cJSON *r[RESULT_FIELD_COUNT];
    int result_type = 0;
    if (!ENTER(p, f[ITEM_RESULT], "result", RESULT_field_names, RESULT_FIELD_COUNT, r) ||
        !take_text(p, r[RESULT_NAME], "name", TEXT_NOT_BLANK, &item->result_name) ||
        !take_enum(p, r[RESULT_TYPE], "type", result_type_names, COUNT(result_type_names),
                   "certificate, approval, record or other", &result_type))
        return false;
    item->result_type = (enum catalogue_result_type)result_type;
    path_pop(p);

    if (!take_text(p, f[ITEM_QUANTITY_LIMIT], "quantity_limit", TEXT_ANY, &item->quantity_limit) ||
        !take_text_list(p, f[ITEM_SPECIAL_PROCEDURES], "special_procedures", 0, &item->special_procedures,
                        &item->special_procedure_count) ||
        !parse_channels(p, f[ITEM_CHANNELS], item) ||
        !take_bool(p, f[ITEM_KIOSK_FILABLE], "kiosk_filable", &item->kiosk_filable))
        return false;
    if (item->kiosk_filable && !item->self_service)
        return parse_fail(p, "kiosk_filable", "true requires channels.self_service true");

    if (!take_id_references(p, f[ITEM_THEMES], "themes", 0, &p->themes, "no theme has this id", &item->themes,
                            &item->theme_count) ||
        !take_text_list(p, f[ITEM_KEYWORDS], "keywords", 0, &item->keywords, &item->keyword_count) ||
        !parse_faq(p, f[ITEM_FAQ], item) ||
        /* 2^53 - 1: the largest integer every JSON reader holds exactly */
        !take_integer(p, f[ITEM_POPULARITY], "popularity", 0, 9007199254740991LL, &item->popularity) ||
        !take_text(p, f[ITEM_VERSION], "version", TEXT_ANY, &item->version))
        return false;
    if (!version_text(item->version, 16))
        return parse_fail(p, "version", "must be 1 to 16 printable ASCII characters without spaces");
    if (!take_text(p, f[ITEM_UPDATED], "updated", TEXT_ANY, &item->updated))
        return false;
    if (!rfc3339_valid(item->updated))
        return parse_fail(p, "updated", "must be an RFC 3339 date-time with offset, e.g. 2026-11-27T08:00:00+08:00");
    return true;
}

/* Round 3: an item's parent and its themes' lists. */
static bool link_item(struct parse *p, size_t index)
{
    struct catalogue *c = p->catalogue;
    struct catalogue_item *item = &c->items[index];
    const struct item_scratch *scratch = &p->scratch[index];
    if (scratch->parent >= 0 || scratch->parent_code) {
        long parent = scratch->parent >= 0 ? scratch->parent : string_index_find(&p->arena->codes, scratch->parent_code);
        if (parent < 0)
            return parse_fail(p, "parent", "no item has this implementation code");
        enum catalogue_level parent_level = c->items[parent].level;
        if (item->level == CATALOGUE_LEVEL_SUB && parent_level != CATALOGUE_LEVEL_MAIN)
            return parse_fail(p, "parent", "must be a main item (items[%ld] is %s)", parent,
                              level_names[parent_level]);
        if (item->level == CATALOGUE_LEVEL_HANDLING && parent_level == CATALOGUE_LEVEL_HANDLING)
            return parse_fail(p, "parent", "must be a main or sub item (items[%ld] is handling)", parent);
        item->parent = parent;
        c->items[parent].child_count++;
    }
    for (size_t j = 0; j < item->theme_count; j++)
        if (!p->theme_listed[scratch->theme_listed_offset + j]) {
            path_push(p, "themes");
            path_index(p, j);
            return parse_fail(p, NULL, "theme %s does not list this item", c->themes[item->themes[j]].id);
        }
    return true;
}

/* Round 2: a theme's items exist and list the theme back. */
static bool link_theme(struct parse *p, size_t index)
{
    struct catalogue *c = p->catalogue;
    struct catalogue_theme *theme = &c->themes[index];
    path_push(p, "themes");
    path_index(p, index);
    path_push(p, "items");
    size_t i = 0;
    for (const cJSON *child = p->theme_item_lists[index]->child; child; child = child->next, i++) {
        path_index(p, i);
        if (!cJSON_IsString(child))
            return parse_fail(p, NULL, "must be an implementation code");
        long found = string_index_find(&p->arena->codes, child->valuestring);
        if (found < 0)
            return parse_fail(p, NULL, "no item has this implementation code");
        const struct catalogue_item *item = &c->items[found];
        size_t j = 0;
        while (j < item->theme_count && item->themes[j] != index)
            j++;
        if (j == item->theme_count)
            return parse_fail(p, NULL, "items[%ld] does not list theme %s", found, theme->id);
        bool *listed = &p->theme_listed[p->scratch[found].theme_listed_offset + j];
        if (*listed)
            return parse_fail(p, NULL, "listed twice");
        *listed = true;
        theme->items[i] = (size_t)found;
    }
    path_pop(p);
    path_pop(p);
    return true;
}

static bool parse_halls(struct parse *p, const cJSON *value)
{
    struct catalogue *c = p->catalogue;
    void *list;
    if (!take_object_list(p, value, "halls", 0, sizeof *c->halls, &list, &c->hall_count))
        return false;
    c->halls = list;
    path_push(p, "halls");
    size_t i = 0;
    for (const cJSON *child = value->child; child; child = child->next, i++) {
        struct catalogue_hall *hall = &c->halls[i];
        const cJSON *f[HALL_FIELD_COUNT];
        path_index(p, i);
        if (!take_fields(p, child, HALL_field_names, HALL_FIELD_COUNT, f) || !parse_id(p, f[HALL_ID], &hall->id))
            return false;
        long earlier = string_index_add(&p->halls, hall->id, i);
        if (earlier == -2)
            return parse_out_of_memory(p);
        if (earlier >= 0)
            return parse_fail(p, "id", "same as halls[%ld].id", earlier);
        if (!take_text(p, f[HALL_NAME], "name", TEXT_NOT_BLANK, &hall->name) ||
            !take_text(p, f[HALL_ADDRESS], "address", TEXT_NOT_BLANK, &hall->address) ||
            !take_text(p, f[HALL_HOURS], "hours", TEXT_NOT_BLANK, &hall->hours) ||
            !take_text(p, f[HALL_PHONE], "phone", TEXT_ANY, &hall->phone))
            return false;
    }
    path_pop(p);
    return true;
}

/* Themes' own fields; their item lists wait for the items (round 2). */
static bool parse_themes(struct parse *p, const cJSON *value)
{
    struct catalogue *c = p->catalogue;
    void *list;
    if (!take_object_list(p, value, "themes", 0, sizeof *c->themes, &list, &c->theme_count))
        return false;
    c->themes = list;
    p->theme_item_lists = calloc(c->theme_count ? c->theme_count : 1, sizeof *p->theme_item_lists);
    if (!p->theme_item_lists)
        return parse_out_of_memory(p);
    path_push(p, "themes");
    size_t i = 0;
    for (const cJSON *child = value->child; child; child = child->next, i++) {
        struct catalogue_theme *theme = &c->themes[i];
        const cJSON *f[THEME_FIELD_COUNT];
        path_index(p, i);
        if (!take_fields(p, child, THEME_field_names, THEME_FIELD_COUNT, f) || !parse_id(p, f[THEME_ID], &theme->id))
            return false;
        long earlier = string_index_add(&p->themes, theme->id, i);
        if (earlier == -2)
            return parse_out_of_memory(p);
        if (earlier >= 0)
            return parse_fail(p, "id", "same as themes[%ld].id", earlier);
        if (!take_text(p, f[THEME_NAME], "name", TEXT_NOT_BLANK, &theme->name) ||
            !take_text(p, f[THEME_DESCRIPTION], "description", TEXT_ANY, &theme->description) ||
            !take_array(p, f[THEME_ITEMS], "items", 1, &theme->item_count))
            return false;
        theme->items = arena_alloc(p->arena, theme->item_count * sizeof *theme->items, _Alignof(size_t));
        if (!theme->items)
            return parse_out_of_memory(p);
        p->theme_item_lists[i] = f[THEME_ITEMS];
    }
    path_pop(p);
    return true;
}

/* ---- reading the document -------------------------------------------------------------------
 * cJSON builds a tree of whatever it is given, and a tree of 100,000 items is about ten
 * million nodes: building and freeing it would cost more than everything else together. So
 * the document's top level and its items array are walked here, and cJSON parses one value at
 * a time: each top-level field, then each item, whose tree lives in a scratch buffer reset
 * after the item has been checked. */
struct reader {
    const char *text;
    size_t len, at;
};

static void reader_skip_space(struct reader *r)
{
    while (r->at < r->len && (r->text[r->at] == ' ' || r->text[r->at] == '\t' || r->text[r->at] == '\n' ||
                              r->text[r->at] == '\r'))
        r->at++;
}

/* Skips a space and then c; false when the next character is something else. */
static bool reader_take(struct reader *r, char c)
{
    reader_skip_space(r);
    if (r->at < r->len && r->text[r->at] == c) {
        r->at++;
        return true;
    }
    return false;
}

static bool reader_next_is(struct reader *r, char c)
{
    reader_skip_space(r);
    return r->at < r->len && r->text[r->at] == c;
}

/* Line and column (in characters, from 1) of a byte offset, for syntax errors. */
static void text_position(const char *text, size_t offset, size_t *line, size_t *column)
{
    *line = 1;
    *column = 1;
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *column = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80)
            (*column)++;
    }
}

static bool reader_syntax_error(struct parse *p, const struct reader *r, size_t offset)
{
    size_t line, column;
    text_position(r->text, offset < r->len ? offset : r->len, &line, &column);
    snprintf(p->err, p->errlen, "document: not valid JSON at line %zu, column %zu", line, column);
    return false;
}

/* Scratch memory for cJSON while it parses one item: a fixed buffer, and blocks from malloc
 * for an item that does not fit, all dropped at once by json_scratch_reset. cJSON's allocator
 * hooks are process-wide, so they look at a thread-local pointer and use plain malloc and free
 * whenever no scratch is active on the calling thread: other threads (and this one outside an
 * item) are unaffected. Nothing else in the firmware may call cJSON_InitHooks. */
struct json_overflow {
    struct json_overflow *next;
    max_align_t data[];
};
struct json_scratch {
    unsigned char *base;
    size_t size, used;
    struct json_overflow *overflow;
};

#if defined(__SANITIZE_ADDRESS__)
#define JSON_SCRATCH_BYTES 0 /* every node from malloc, so AddressSanitizer sees each one */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JSON_SCRATCH_BYTES 0
#endif
#endif
#ifndef JSON_SCRATCH_BYTES
#define JSON_SCRATCH_BYTES (256u * 1024) /* a large item's tree is about 30 KiB */
#endif

static _Thread_local struct json_scratch *json_scratch_active;
static pthread_once_t json_hooks_once = PTHREAD_ONCE_INIT;

static void *json_allocate(size_t size)
{
    struct json_scratch *scratch = json_scratch_active;
    if (!scratch)
        return malloc(size);
    size_t rounded = (size + _Alignof(max_align_t) - 1) & ~(_Alignof(max_align_t) - 1);
    if (scratch->base && rounded >= size && rounded <= scratch->size - scratch->used) {
        void *memory = scratch->base + scratch->used;
        scratch->used += rounded;
        return memory;
    }
    struct json_overflow *block = malloc(sizeof *block + size);
    if (!block)
        return NULL;
    block->next = scratch->overflow;
    scratch->overflow = block;
    return block->data;
}

/* While a scratch is active everything cJSON allocated on this thread came from it (the kept
 * top-level trees are made and deleted with none active), so freeing waits for the reset. */
static void json_release(void *memory)
{
    if (!json_scratch_active)
        free(memory);
}

static void json_install_hooks(void)
{
    cJSON_Hooks hooks = {.malloc_fn = json_allocate, .free_fn = json_release};
    cJSON_InitHooks(&hooks);
}

static void json_scratch_reset(struct json_scratch *scratch)
{
    scratch->used = 0;
    while (scratch->overflow) {
        struct json_overflow *next = scratch->overflow->next;
        free(scratch->overflow);
        scratch->overflow = next;
    }
}

/* One JSON value at the reader, parsed by cJSON (into the active scratch, if any). NULL with
 * the syntax error reported when it is not JSON. */
static cJSON *reader_value(struct parse *p, struct reader *r)
{
    reader_skip_space(r);
    /* cJSON skips a byte order mark at the start of what it is given: only values here. */
    if (r->at >= r->len || !strchr("{[\"-0123456789tfn", r->text[r->at])) {
        reader_syntax_error(p, r, r->at);
        return NULL;
    }
    const char *end = NULL;
    cJSON *value = cJSON_ParseWithLengthOpts(r->text + r->at, r->len - r->at, &end, false);
    if (!value) {
        reader_syntax_error(p, r, end ? (size_t)(end - r->text) : r->at);
        return NULL;
    }
    r->at = (size_t)(end - r->text);
    return value;
}

/* Skips an array without parsing it, to come back to it after the fields it refers to. Only
 * brackets and strings matter here; cJSON checks the syntax when the array is read. */
static bool reader_skip_array(struct parse *p, struct reader *r)
{
    size_t start = r->at, depth = 0;
    for (size_t i = r->at; i < r->len; i++) {
        char c = r->text[i];
        if (c == '"') {
            /* Most of the document is inside strings: jump to each quote (memchr is fast)
             * and keep it when it is not escaped (an even run of backslashes before it). */
            for (;;) {
                const char *quote = memchr(r->text + i + 1, '"', r->len - i - 1);
                if (!quote)
                    return reader_syntax_error(p, r, start);
                i = (size_t)(quote - r->text);
                size_t run = 0;
                while (r->text[i - run - 1] == '\\')
                    run++;
                if (run % 2 == 0)
                    break;
            }
        } else if (c == '[' || c == '{')
            depth++;
        else if ((c == ']' || c == '}') && --depth == 0) {
            r->at = i + 1;
            return true;
        }
    }
    return reader_syntax_error(p, r, start);
}

/* ---- the document ------------------------------------------------------------------------- */
/* Room for one more item (the array doubles; the count is not known before the end). */
static bool items_reserve(struct parse *p, size_t *capacity)
{
    struct catalogue *c = p->catalogue;
    if (c->item_count < *capacity)
        return true;
    size_t grown = *capacity ? *capacity * 2 : p->items_expected;
    struct catalogue_item *items = realloc(p->arena->items, grown * sizeof *items);
    if (items)
        p->arena->items = c->items = items;
    struct item_scratch *scratch = items ? realloc(p->scratch, grown * sizeof *scratch) : NULL;
    if (!scratch)
        return false;
    p->scratch = scratch;
    *capacity = grown;
    return true;
}

/* The items array at the reader (its '['), each item read and checked in turn, then rounds
 * 2 and 3. */
static bool parse_items(struct parse *p, struct reader *r)
{
    struct catalogue *c = p->catalogue;
    struct json_scratch scratch = {.base = JSON_SCRATCH_BYTES ? malloc(JSON_SCRATCH_BYTES) : NULL,
                                   .size = JSON_SCRATCH_BYTES};
    if (JSON_SCRATCH_BYTES && !scratch.base)
        return parse_out_of_memory(p);
    bool ok = true;
    size_t theme_refs = 0, capacity = 0;
    /* A guess from the document's size (an item is rarely under 1 KiB) saves growing the
     * items and rehashing the codes; memory the guess does not use is never touched. */
    p->items_expected = r->len / 1024 < 256 ? 256 : r->len / 1024;
    if (!string_index_presize(&p->arena->codes, p->items_expected)) {
        free(scratch.base);
        return parse_out_of_memory(p);
    }
    r->at++; /* the '[' */
    if (!reader_take(r, ']'))
        for (;;) {
            if (!items_reserve(p, &capacity)) {
                ok = parse_out_of_memory(p);
                break;
            }
            size_t i = c->item_count;
            struct catalogue_item *item = &c->items[i];
            struct item_scratch *s = &p->scratch[i];
            memset(item, 0, sizeof *item);
            memset(s, 0, sizeof *s);
            json_scratch_active = &scratch;
            cJSON *json = reader_value(p, r);
            if (json) {
                c->item_count++;
                p->item = (long)i;
                p->item_code = NULL;
                ok = parse_item(p, json, item, s);
                p->depth = 0;
                s->theme_listed_offset = theme_refs;
                theme_refs += item->theme_count;
                /* Parents usually come first; a later one is looked up by its code in round
                 * 3, so the code must outlive the item's tree. */
                s->parent = s->parent_code ? string_index_find(&p->arena->codes, s->parent_code) : -1;
                if (s->parent >= 0)
                    s->parent_code = NULL;
                else if (ok && s->parent_code && !(s->parent_code = arena_copy_text(p, s->parent_code)))
                    ok = parse_out_of_memory(p);
            } else
                ok = false;
            json_scratch_active = NULL;
            json_scratch_reset(&scratch);
            p->item = -1;
            p->item_code = NULL;
            if (!ok || reader_take(r, ']'))
                break;
            if (!reader_take(r, ',')) {
                ok = reader_syntax_error(p, r, r->at);
                break;
            }
        }
    free(scratch.base);
    if (!ok)
        return false;
    if (c->item_count < 1)
        return parse_fail(p, "items", "must have at least 1 entry");
    /* give back what the last doubling did not use */
    struct catalogue_item *fitted = realloc(c->items, c->item_count * sizeof *c->items);
    if (fitted)
        p->arena->items = c->items = fitted;

    p->theme_listed = calloc(theme_refs ? theme_refs : 1, sizeof *p->theme_listed);
    if (!p->theme_listed)
        return parse_out_of_memory(p);
    for (size_t t = 0; t < c->theme_count; t++)
        if (!link_theme(p, t))
            return false;
    for (size_t i = 0; i < c->item_count; i++) {
        p->item = (long)i;
        p->item_code = c->items[i].implementation_code;
        if (!link_item(p, i))
            return false;
    }
    p->item = -1;
    p->item_code = NULL;
    return true;
}

/* The document's own fields, halls and themes, from their trees. */
static bool parse_head(struct parse *p, cJSON *const *f)
{
    struct catalogue *c = p->catalogue;
    const char *text;
    const cJSON *format = f[DOCUMENT_FORMAT];
    if (!format)
        return parse_fail(p, "format", "missing");
    if (!cJSON_IsString(format) || strcmp(format->valuestring, CATALOGUE_FORMAT))
        return parse_fail(p, "format", "must be " CATALOGUE_FORMAT);
    if (!take_text(p, f[DOCUMENT_VERSION], "version", TEXT_ANY, &text))
        return false;
    if (!version_text(text, sizeof c->version - 1))
        return parse_fail(p, "version", "must be 1 to 32 printable ASCII characters without spaces");
    snprintf(c->version, sizeof c->version, "%s", text);
    if (!take_text(p, f[DOCUMENT_PUBLISHED], "published", TEXT_ANY, &text))
        return false;
    if (!rfc3339_valid(text))
        return parse_fail(p, "published", "must be an RFC 3339 date-time with offset, e.g. 2026-11-27T08:00:00+08:00");
    snprintf(c->published, sizeof c->published, "%s", text);

    const cJSON *r[REGION_FIELD_COUNT];
    if (!ENTER(p, f[DOCUMENT_REGION], "region", REGION_field_names, REGION_FIELD_COUNT, r) ||
        !take_text(p, r[REGION_CODE], "code", TEXT_ANY, &text))
        return false;
    if (strlen(text) != 6 || !digits(text, 6))
        return parse_fail(p, "code", "must be 6 digits (an administrative division code)");
    snprintf(c->region_code, sizeof c->region_code, "%s", text);
    if (!take_text(p, r[REGION_NAME], "name", TEXT_NOT_BLANK, &c->region_name))
        return false;
    path_pop(p);
    return parse_halls(p, f[DOCUMENT_HALLS]) && parse_themes(p, f[DOCUMENT_THEMES]);
}

/* Walks the top-level object. Every field but items is parsed into a tree (kept in f[] when
 * the format names it). The items are read where they stand when the fields before them
 * include everything an item refers to (the usual order, as in the format's example);
 * otherwise the array is skipped and read after the end of the object. */
static bool parse_document(struct parse *p, struct reader *r, cJSON **f)
{
    size_t items_at = 0;
    bool items_seen = false, items_done = false, head_done = false;
    if (!reader_next_is(r, '{')) {
        cJSON *value = reader_value(p, r);
        if (!value)
            return false;
        cJSON_Delete(value);
        return parse_fail(p, "document", "must be a JSON object");
    }
    r->at++;
    if (!reader_take(r, '}'))
        for (;;) {
            if (!reader_next_is(r, '"'))
                return reader_syntax_error(p, r, r->at);
            cJSON *key = reader_value(p, r);
            if (!key)
                return false;
            int field = -1;
            for (int i = 0; i < DOCUMENT_FIELD_COUNT; i++)
                if (!strcmp(DOCUMENT_field_names[i], key->valuestring))
                    field = i;
            cJSON_Delete(key);
            if (!reader_take(r, ':'))
                return reader_syntax_error(p, r, r->at);
            if (field >= 0 && (f[field] || (field == DOCUMENT_ITEMS && items_seen)))
                return parse_fail(p, DOCUMENT_field_names[field], "appears twice");
            if (field == DOCUMENT_ITEMS && reader_next_is(r, '[')) {
                items_seen = true;
                bool head_seen = true;
                for (int i = 0; i < DOCUMENT_ITEMS; i++)
                    head_seen = head_seen && f[i];
                if (head_seen) {
                    if (!parse_head(p, f) || !parse_items(p, r))
                        return false;
                    head_done = items_done = true;
                } else {
                    items_at = r->at;
                    if (!reader_skip_array(p, r))
                        return false;
                }
            } else {
                cJSON *value = reader_value(p, r);
                if (!value)
                    return false;
                if (field >= 0)
                    f[field] = value;
                else
                    cJSON_Delete(value);
            }
            if (reader_take(r, '}'))
                break;
            if (!reader_take(r, ','))
                return reader_syntax_error(p, r, r->at);
        }
    reader_skip_space(r);
    if (r->at < r->len)
        return reader_syntax_error(p, r, r->at);
    if (!head_done && !parse_head(p, f))
        return false;
    if (!items_seen)
        return parse_fail(p, "items", f[DOCUMENT_ITEMS] ? "must be an array" : "missing");
    if (items_done)
        return true;
    struct reader items = {.text = r->text, .len = r->len, .at = items_at};
    return parse_items(p, &items);
}

/* catalogue_parse, keeping document (malloc'd, len bytes and a NUL) as the catalogue's on
 * success; frees it on failure. */
static int catalogue_parse_document(char *document, size_t len, struct catalogue **out, char *err, size_t errlen)
{
    const char *json = document;
    *out = NULL;
    if (errlen)
        err[0] = '\0';
    pthread_once(&json_hooks_once, json_install_hooks);
    size_t bad = document_first_bad_byte((const unsigned char *)json, len);
    if (bad < len) {
        size_t line, column;
        text_position(json, bad, &line, &column);
        snprintf(err, errlen, "document: not UTF-8 text, or a NUL character, at line %zu, column %zu", line, column);
        free(document);
        return -1;
    }

    /* The catalogue and its arena live in the arena's first block. */
    struct catalogue_arena arena_on_stack = {.next_block_size = ARENA_FIRST_BLOCK};
    struct catalogue_arena *arena = arena_alloc(&arena_on_stack, sizeof *arena, _Alignof(struct catalogue_arena));
    struct catalogue *catalogue =
        arena ? arena_alloc(&arena_on_stack, sizeof *catalogue, _Alignof(struct catalogue)) : NULL;
    if (!catalogue) {
        arena_free(&arena_on_stack);
        free(document);
        snprintf(err, errlen, "document: out of memory");
        return -1;
    }
    memset(catalogue, 0, sizeof *catalogue);
    arena_on_stack.document = document;
    *arena = arena_on_stack;
    catalogue->arena = arena;
    catalogue->document = document;
    catalogue->document_length = len;

    struct parse p = {.catalogue = catalogue, .arena = arena, .err = err, .errlen = errlen, .item = -1};
    struct reader reader = {.text = json, .len = len};
    /* A byte order mark (Windows editors write one) is not part of the JSON. */
    if (len >= 3 && !memcmp(json, "\xEF\xBB\xBF", 3))
        reader.at = 3;
    cJSON *fields[DOCUMENT_FIELD_COUNT] = {0};
    bool ok = parse_document(&p, &reader, fields);
    for (int i = 0; i < DOCUMENT_FIELD_COUNT; i++)
        cJSON_Delete(fields[i]);
    free(p.scratch);
    free(p.theme_item_lists);
    free(p.theme_listed);
    free(p.halls.slots);
    free(p.themes.slots);
    if (!ok) {
        catalogue_free(catalogue);
        return -1;
    }
    *out = catalogue;
    return 0;
}

int catalogue_parse(const char *json, size_t len, struct catalogue **out, char *err, size_t errlen)
{
    /* The catalogue keeps the text as delivered for catalogue_store, not a re-encoding. */
    char *document = malloc(len + 1);
    if (!document) {
        *out = NULL;
        snprintf(err, errlen, "document: out of memory");
        return -1;
    }
    if (len)
        memcpy(document, json, len);
    document[len] = '\0';
    return catalogue_parse_document(document, len, out, err, errlen);
}

void catalogue_free(struct catalogue *catalogue)
{
    if (!catalogue)
        return;
    /* The arena holds the catalogue and itself: copy it out before freeing the blocks. */
    struct catalogue_arena arena = *(struct catalogue_arena *)catalogue->arena;
    arena_free(&arena);
}

long catalogue_find_code(const struct catalogue *catalogue, const char *implementation_code)
{
    if (!catalogue || !implementation_code)
        return -1;
    return string_index_find(&((const struct catalogue_arena *)catalogue->arena)->codes, implementation_code);
}

/* The longest document we read: far above any city's catalogue, below what a unit can hold
 * twice (the text and the model) in memory. */
#define CATALOGUE_FILE_MAX ((size_t)1 << 30)

int catalogue_load_file(const char *path, struct catalogue **out, char *err, size_t errlen)
{
    *out = NULL;
    char *text;
    size_t len;
    if (textfile_read(path, CATALOGUE_FILE_MAX, &text, &len, err, errlen) < 0)
        return -1;
    char reason[512];
    int rc = catalogue_parse_document(text, len, out, reason, sizeof reason); /* takes text */
    if (rc < 0)
        snprintf(err, errlen, "%s: %s", path, reason);
    return rc;
}

/* ---- the store ---------------------------------------------------------------------------- */
static int catalogue_store_rows(const struct catalogue *catalogue, struct db *db)
{
    struct db_statement *insert = NULL;
    if (db_exec(db, "DELETE FROM catalogue_items; DELETE FROM catalogue") < 0 ||
        db_prepare(db,
                   "INSERT INTO catalogue (id, version, published, region, document, item_count) "
                   "VALUES (1, ?, ?, ?, ?, ?)",
                   &insert) < 0)
        return -1;
    int rc = db_bind_text(insert, 1, catalogue->version) < 0 || db_bind_text(insert, 2, catalogue->published) < 0 ||
                     db_bind_text(insert, 3, catalogue->region_code) < 0 ||
                     db_bind_text_length(insert, 4, catalogue->document, catalogue->document_length) < 0 ||
                     db_bind_int64(insert, 5, (int64_t)catalogue->item_count) < 0 || db_step(insert) < 0
                 ? -1
                 : 0;
    db_finalize(insert);
    if (rc < 0 || db_prepare(db,
                             "INSERT INTO catalogue_items (implementation_code, name, basic_code, level, "
                             "parent_code, department_category, kiosk_filable, popularity) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             &insert) < 0)
        return -1;
    for (size_t i = 0; i < catalogue->item_count && rc == 0; i++) {
        const struct catalogue_item *item = &catalogue->items[i];
        const char *parent_code = item->parent >= 0 && (size_t)item->parent < catalogue->item_count
                                      ? catalogue->items[item->parent].implementation_code
                                      : NULL;
        if (db_bind_text(insert, 1, item->implementation_code) < 0 || db_bind_text(insert, 2, item->name) < 0 ||
            db_bind_text(insert, 3, item->basic_code) < 0 ||
            db_bind_text(insert, 4, level_names[item->level]) < 0 || db_bind_text(insert, 5, parent_code) < 0 ||
            db_bind_text(insert, 6, item->department_category) < 0 ||
            db_bind_int64(insert, 7, item->kiosk_filable) < 0 || db_bind_int64(insert, 8, item->popularity) < 0 ||
            db_step(insert) < 0 || db_reset(insert) < 0)
            rc = -1;
    }
    db_finalize(insert);
    return rc;
}

int catalogue_store(const struct catalogue *catalogue, const char *db_path, char *err, size_t errlen)
{
    if (!catalogue->document) {
        snprintf(err, errlen, "%s: the catalogue has no document to store", db_path);
        return -1;
    }
    struct db *db;
    if (db_open(db_path, &db, err, errlen) < 0)
        return -1;
    int rc = 0;
    if (db_begin(db) < 0 || catalogue_store_rows(catalogue, db) < 0 || db_commit(db) < 0) {
        snprintf(err, errlen, "%s", db_error(db));
        db_rollback(db);
        rc = -1;
    }
    db_close(db);
    return rc;
}

int catalogue_load_stored(const char *db_path, struct catalogue **out, char *err, size_t errlen)
{
    *out = NULL;
    struct db *db;
    struct db_statement *select;
    if (db_open(db_path, &db, err, errlen) < 0)
        return -1;
    if (db_prepare(db, "SELECT document FROM catalogue WHERE id = 1", &select) < 0) {
        snprintf(err, errlen, "%s", db_error(db));
        db_close(db);
        return -1;
    }
    int rc = db_step(select);
    if (rc < 0)
        snprintf(err, errlen, "%s", db_error(db));
    else if (rc == DB_DONE) {
        snprintf(err, errlen, "%s: no catalogue stored yet", db_path);
        rc = -1;
    } else {
        char reason[512];
        rc = catalogue_parse(db_column_text(select, 0), db_column_bytes(select, 0), out, reason, sizeof reason);
        if (rc < 0)
            snprintf(err, errlen, "%s: stored catalogue: %s", db_path, reason);
    }
    db_finalize(select);
    db_close(db);
    return rc < 0 ? -1 : 0;
}

/* ---- deltas (docs/platform-api.md §3) ---------------------------------------------------
 * The new document is written from the old one's text: each kept item's bytes are copied as
 * delivered (found by skipping over the items array: the model's items are in document
 * order), changed items are the delta's, added ones go at the end. The result is then
 * parsed and checked as a whole by the caller like any document. */
struct text_buffer {
    char *data;
    size_t len, cap;
    bool failed;
};

static void text_buffer_add(struct text_buffer *b, const char *text, size_t len)
{
    if (b->failed)
        return;
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + len + 1)
            cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown) {
            b->failed = true;
            return;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, text, len);
    b->len += len;
    b->data[b->len] = '\0';
}

static void text_buffer_add_json(struct text_buffer *b, const cJSON *value)
{
    char *text = cJSON_PrintUnformatted(value);
    if (!text) {
        b->failed = true;
        return;
    }
    text_buffer_add(b, text, strlen(text));
    free(text);
}

/* Finds the items array of a document: *start at its '[', *end after its ']'. */
static bool delta_find_items(struct parse *p, struct reader *r, size_t *start)
{
    if (!reader_take(r, '{'))
        return reader_syntax_error(p, r, r->at);
    for (;;) {
        if (!reader_next_is(r, '"'))
            return reader_syntax_error(p, r, r->at);
        cJSON *key = reader_value(p, r);
        if (!key)
            return false;
        bool items = !strcmp(key->valuestring, "items");
        cJSON_Delete(key);
        if (!reader_take(r, ':'))
            return reader_syntax_error(p, r, r->at);
        if (items && reader_next_is(r, '[')) {
            *start = r->at;
            return true;
        }
        if (reader_next_is(r, '[') || reader_next_is(r, '{')) {
            if (!reader_skip_array(p, r))
                return false;
        } else {
            cJSON *value = reader_value(p, r);
            if (!value)
                return false;
            cJSON_Delete(value);
        }
        if (!reader_take(r, ','))
            return parse_fail(p, "items", "missing");
    }
}

static const char *delta_code(const cJSON *item)
{
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(item, "implementation_code");
    return cJSON_IsString(code) ? code->valuestring : NULL;
}

static bool delta_write(struct parse *p, const struct catalogue *base, const cJSON *delta, struct text_buffer *out)
{
    static const char *const head[] = { "version", "published", "region", "halls", "themes" };
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(delta, "to_version");
    const cJSON *added = cJSON_GetObjectItemCaseSensitive(delta, "added");
    const cJSON *changed = cJSON_GetObjectItemCaseSensitive(delta, "changed");
    const cJSON *removed = cJSON_GetObjectItemCaseSensitive(delta, "removed");
    if (!cJSON_IsString(to) || !cJSON_IsArray(added) || !cJSON_IsArray(changed) || !cJSON_IsArray(removed))
        return parse_fail(p, "delta", "to_version, added, changed and removed are required");
    /* What happens to each item of the base: 0 kept, -1 removed, k + 1 replaced by changed[k]. */
    long *action = calloc(base->item_count + 1, sizeof *action);
    if (!action)
        return parse_fail(p, "delta", "out of memory");
    bool ok = true;
    const cJSON *entry;
    long k = 0;
    cJSON_ArrayForEach(entry, changed)
    {
        const char *code = delta_code(entry);
        long at = code ? catalogue_find_code(base, code) : -1;
        if (at < 0 || action[at]) {
            ok = parse_fail(p, "delta changed", "an item the catalogue in use does not have (broken chain)");
            break;
        }
        action[at] = ++k;
    }
    cJSON_ArrayForEach(entry, removed)
    {
        long at = ok && cJSON_IsString(entry) ? catalogue_find_code(base, entry->valuestring) : -1;
        if (!ok || at < 0 || action[at]) {
            ok = ok && parse_fail(p, "delta removed", "an item the catalogue in use does not have (broken chain)");
            break;
        }
        action[at] = -1;
    }
    cJSON_ArrayForEach(entry, added)
    {
        const char *code = delta_code(entry);
        if (!ok || !code || catalogue_find_code(base, code) >= 0) {
            ok = ok && parse_fail(p, "delta added", "an item the catalogue in use already has (broken chain)");
            break;
        }
    }
    struct reader r = { .text = base->document, .len = base->document_length };
    size_t items_at = 0;
    if (ok)
        ok = delta_find_items(p, &r, &items_at);
    if (ok) {
        text_buffer_add(out, "{\"format\":\"kiosk-catalogue/1\"", 29);
        for (size_t i = 0; i < sizeof head / sizeof head[0]; i++) {
            const cJSON *value = cJSON_GetObjectItemCaseSensitive(delta, i == 0 ? "to_version" : head[i]);
            if (!value) {
                ok = parse_fail(p, head[i], "missing in the delta");
                break;
            }
            text_buffer_add(out, ",\"", 2);
            text_buffer_add(out, head[i], strlen(head[i]));
            text_buffer_add(out, "\":", 2);
            text_buffer_add_json(out, value);
        }
        text_buffer_add(out, ",\"items\":[", 10);
    }
    /* The base's items in order, each as its bytes, replaced or dropped as the delta says. */
    r.at = items_at + 1;
    bool first = true;
    for (size_t i = 0; ok && i < base->item_count; i++) {
        if (i > 0 && !reader_take(&r, ','))
            ok = reader_syntax_error(p, &r, r.at);
        else if (!reader_next_is(&r, '{'))
            ok = reader_syntax_error(p, &r, r.at);
        size_t start = r.at;
        if (ok && !reader_skip_array(p, &r))
            ok = false;
        if (!ok || action[i] < 0)
            continue;
        if (!first)
            text_buffer_add(out, ",", 1);
        first = false;
        if (action[i] > 0)
            text_buffer_add_json(out, cJSON_GetArrayItem(changed, (int)(action[i] - 1)));
        else
            text_buffer_add(out, base->document + start, r.at - start);
    }
    cJSON_ArrayForEach(entry, added)
    {
        if (!ok)
            break;
        if (!first)
            text_buffer_add(out, ",", 1);
        first = false;
        text_buffer_add_json(out, entry);
    }
    text_buffer_add(out, "]}", 2);
    free(action);
    if (ok && out->failed)
        ok = parse_fail(p, "delta", "out of memory");
    return ok;
}

int catalogue_apply_delta(const struct catalogue *base, const char *delta_json, size_t delta_len, char **document,
                          size_t *document_len, char *err, size_t errlen)
{
    *document = NULL;
    *document_len = 0;
    pthread_once(&json_hooks_once, json_install_hooks);
    struct parse p = {.err = err, .errlen = errlen, .item = -1};
    if (!base->document) {
        snprintf(err, errlen, "delta: the catalogue in use has no document");
        return -1;
    }
    cJSON *delta = cJSON_ParseWithLength(delta_json, delta_len);
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(delta, "format");
    const cJSON *from = cJSON_GetObjectItemCaseSensitive(delta, "from_version");
    if (!delta) {
        snprintf(err, errlen, "delta: not valid JSON");
        return -1;
    }
    if (!cJSON_IsString(format) || strcmp(format->valuestring, "kiosk-catalogue-delta/1")) {
        snprintf(err, errlen, "delta format: must be kiosk-catalogue-delta/1");
        cJSON_Delete(delta);
        return -1;
    }
    if (!cJSON_IsString(from) || strcmp(from->valuestring, base->version)) {
        snprintf(err, errlen, "delta from_version: not the version in use %s (broken chain)", base->version);
        cJSON_Delete(delta);
        return -1;
    }
    struct text_buffer out = {0};
    bool ok = delta_write(&p, base, delta, &out);
    cJSON_Delete(delta);
    if (!ok) {
        free(out.data);
        return -1;
    }
    *document = out.data;
    *document_len = out.len;
    return 0;
}
