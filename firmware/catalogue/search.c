/* Catalogue search (see search.h for what matches and how results rank).
 *
 * How it stays fast enough for every keystroke on 100,000 items:
 * - Every distinct string (item names, keywords, material names) becomes one "text": its
 *   characters as ids into a table of distinct characters, which holds each character's
 *   readings as syllable ids. Names repeat across agencies and materials across items, so
 *   a query evaluates each distinct string at most once (a per-query memo).
 * - The matcher keeps the set of query positions reachable after each character as a
 *   64-bit set and advances it with a per-query table lcp[position][syllable] (how many
 *   query letters, from that position, are a prefix of that syllable). A character costs a
 *   few table reads; most texts die at their first character.
 * - Per text, 64-bit masks (initial letters, all letters, Bloom filters of its characters,
 *   of adjacent characters and of adjacent initials) reject most texts before the matcher
 *   runs.
 * - Items are kept in rank order (popularity, then name). Each class is filled best first
 *   and the search stops as soon as max results are certain: anchored classes scan only
 *   the items whose name starts with a character the query can start with; a query with
 *   hanzi looks only at the names holding its rarest character; keywords, materials and
 *   codes start from the few distinct strings (or the code range) that match.
 */
#include "firmware/catalogue/search.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/gfx/linebreak.h"
#include "firmware/catalogue/pinyin.h"

#define SEARCH_ALPHABET 36        /* a–z, then 0–9: the letters of readings and codes */
#define SEARCH_NOT_LETTER 0xFF    /* a query unit that is a character, not a letter */
#define SEARCH_NO_CHAR UINT32_MAX /* a query character no text contains */
#define SEARCH_NO_MATCH 15        /* beyond every enum search_class */
#define SEARCH_SYLLABLE_LEN_MAX 7 /* pinyin syllables have at most 6 letters */
/* Above this many candidates for a later class, walk the ranks instead of sorting them. */
#define SEARCH_CANDIDATES_SORT_MAX 4096

struct search_char {
    uint64_t initials; /* alphabet bits of the first letters of its readings */
    uint64_t letters;  /* alphabet bits of all letters of its readings */
    uint32_t reading_start;
    uint16_t reading_count;
    bool transparent; /* punctuation and spaces: a match passes over them */
};

struct search_text {
    const char *string; /* borrowed from the catalogue */
    uint64_t initials, letters;
    uint64_t chars;   /* Bloom filter of its character ids */
    uint64_t bigrams; /* Bloom filter of the initials of adjacent characters */
    uint64_t pairs;   /* Bloom filter of adjacent characters (ids) */
    uint32_t unit_start;
    uint32_t content_start, content_end, content_count; /* without leading/trailing punctuation */
    uint32_t first_rank; /* the rank of the first item that used it: no item before has it */
};

struct search_index {
    const struct catalogue *catalogue;
    size_t item_count;

    /* Syllables: pinyin's plus every single letter and digit (Latin in names), sorted, so
     * those starting with one letter are one range. */
    size_t syllable_count;
    const char **syllable_text;
    uint8_t *syllable_len;
    uint32_t syllable_range[SEARCH_ALPHABET][2];

    /* Distinct characters, and codepoint -> id (open addressing, keys are codepoint + 1). */
    struct search_char *chars;
    size_t char_count, char_capacity;
    uint16_t *readings;
    size_t reading_count, reading_capacity;
    uint32_t *char_keys, *char_ids;
    size_t char_hash_size;

    /* Distinct strings. */
    struct search_text *texts;
    size_t text_count, text_capacity;
    uint32_t *units;
    size_t unit_count, unit_capacity;

    /* Items by rank (popularity, then name): the passes read these in order, so the arrays
     * are laid out by rank, not by catalogue index. */
    uint32_t *order; /* [rank]: the item */
    uint32_t *rank;  /* [item]: its rank */
    uint32_t *name_text;                      /* [rank] */
    uint32_t *keyword_start, *material_start; /* [rank + 1] into the two arrays below */
    uint32_t *keyword_texts, *material_texts;
    /* Per text, the ranks of the items that have it as a keyword (material), ascending; and
     * the texts that are some item's keyword (material). */
    uint32_t *keyword_post_start, *keyword_post_ranks, *keyword_distinct;
    uint32_t *material_post_start, *material_post_ranks, *material_distinct;
    size_t keyword_distinct_count, material_distinct_count;
    /* Per text, the ranks of the items with that name; per character, the names that
     * contain it (each once): a query with hanzi looks only at its rarest one's names. */
    uint32_t *name_post_start, *name_post_ranks, *name_distinct;
    size_t name_distinct_count;
    uint32_t *char_name_start, *char_name_texts;
    /* Ranks (ascending) of the items whose name starts with a character that has a reading
     * beginning with a letter, or with a character: the candidates of the anchored classes. */
    uint32_t anchor_letter_start[SEARCH_ALPHABET + 1];
    uint32_t *anchor_letter_ranks;
    uint32_t *anchor_char_start; /* [char_count + 1] */
    uint32_t *anchor_char_ranks;
    /* Items with a code, sorted by it. */
    uint32_t *code_order;
    size_t code_count;
};

/* ---- characters -------------------------------------------------------------------------- */

static int search_alphabet_index(uint32_t cp)
{
    if (cp >= 'a' && cp <= 'z')
        return (int)(cp - 'a');
    if (cp >= '0' && cp <= '9')
        return 26 + (int)(cp - '0');
    return -1;
}

/* The same character for search: full-width ASCII (ＡＢＣ１２３（）) as ASCII, upper case
 * as lower, the ideographic space as a space. */
static uint32_t search_fold(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        cp -= 0xFEE0;
    else if (cp == 0x3000)
        cp = ' ';
    if (cp >= 'A' && cp <= 'Z')
        cp += 'a' - 'A';
    return cp;
}

/* Punctuation and spaces: separators in a query, skipped inside a match in a text. Checked
 * after the pinyin table, so 〇 (ling) stays a character. */
static bool search_is_separator(uint32_t cp)
{
    if (cp < 0x80)
        return search_alphabet_index(cp) < 0;
    return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x206F) ||
           (cp >= 0x3000 && cp <= 0x303F) || cp == 0x30FB || (cp >= 0xFE10 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFF65) || cp == LINEBREAK_REPLACEMENT;
}

static uint32_t search_hash32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7FEB352Du;
    x ^= x >> 15;
    x *= 0x846CA68Bu;
    x ^= x >> 16;
    return x;
}

static uint64_t search_bloom_bit(uint32_t value)
{
    return 1ull << (search_hash32(value) & 63);
}

static uint64_t search_bigram_bit(int first, int second)
{
    return search_bloom_bit((uint32_t)(first * SEARCH_ALPHABET + second) + 0x9E3779B9u);
}

static uint64_t search_pair_bit(uint32_t first, uint32_t second)
{
    return search_bloom_bit(search_hash32(first) ^ second);
}

/* The id of a codepoint, or SEARCH_NO_CHAR. */
static uint32_t search_char_find(const struct search_index *index, uint32_t cp)
{
    size_t mask = index->char_hash_size - 1;
    for (size_t slot = search_hash32(cp) & mask;; slot = (slot + 1) & mask) {
        if (index->char_keys[slot] == 0)
            return SEARCH_NO_CHAR;
        if (index->char_keys[slot] == cp + 1)
            return index->char_ids[slot];
    }
}

static void search_char_hash_insert(uint32_t *keys, uint32_t *ids, size_t size, uint32_t cp, uint32_t id)
{
    size_t mask = size - 1, slot = search_hash32(cp) & mask;
    while (keys[slot] != 0)
        slot = (slot + 1) & mask;
    keys[slot] = cp + 1;
    ids[slot] = id;
}

static bool search_grow(void **array, size_t *capacity, size_t needed, size_t element)
{
    if (needed <= *capacity)
        return true;
    size_t capacity_new = *capacity ? *capacity : 1024;
    while (capacity_new < needed)
        capacity_new *= 2;
    void *grown = realloc(*array, capacity_new * element);
    if (!grown)
        return false;
    *array = grown;
    *capacity = capacity_new;
    return true;
}

/* Gives back what the doubling left unused, once the index is built (keeps it on failure). */
static void search_shrink(void **array, size_t *capacity, size_t count, size_t element)
{
    if (count == 0 || count == *capacity)
        return;
    void *shrunk = realloc(*array, count * element);
    if (shrunk) {
        *array = shrunk;
        *capacity = count;
    }
}

/* The id of a (folded) codepoint, adding the character with its readings on first sight. */
static uint32_t search_char_intern(struct search_index *index, uint32_t cp)
{
    uint32_t id = search_char_find(index, cp);
    if (id != SEARCH_NO_CHAR)
        return id;
    if ((index->char_count + 1) * 2 > index->char_hash_size) {
        size_t size = index->char_hash_size * 2;
        uint32_t *keys = calloc(size, sizeof *keys), *ids = malloc(size * sizeof *ids);
        if (!keys || !ids) {
            free(keys);
            free(ids);
            return SEARCH_NO_CHAR;
        }
        for (size_t i = 0; i < index->char_hash_size; i++)
            if (index->char_keys[i])
                search_char_hash_insert(keys, ids, size, index->char_keys[i] - 1, index->char_ids[i]);
        free(index->char_keys);
        free(index->char_ids);
        index->char_keys = keys;
        index->char_ids = ids;
        index->char_hash_size = size;
    }
    if (!search_grow((void **)&index->chars, &index->char_capacity, index->char_count + 1, sizeof *index->chars))
        return SEARCH_NO_CHAR;

    /* Readings: pinyin's for hanzi, the character itself for a Latin letter or digit. */
    const uint16_t *pinyin_ids = NULL;
    size_t count = pinyin_readings(cp, &pinyin_ids);
    int letter = search_alphabet_index(cp);
    size_t total = count + (letter >= 0);
    if (!search_grow((void **)&index->readings, &index->reading_capacity, index->reading_count + total,
                     sizeof *index->readings))
        return SEARCH_NO_CHAR;
    struct search_char *c = &index->chars[index->char_count];
    memset(c, 0, sizeof *c);
    c->reading_start = (uint32_t)index->reading_count;
    c->reading_count = (uint16_t)total;
    for (size_t i = 0; i < total; i++) {
        /* Our syllable ids differ from pinyin's (the table adds single letters): look the
         * text up in it. Once per distinct character, at build time. */
        uint16_t syllable = 0;
        const char *text = i < count ? pinyin_syllable_text(pinyin_ids[i]) : NULL;
        char single[2] = {(char)cp, '\0'};
        if (!text)
            text = single;
        size_t low = 0, high = index->syllable_count;
        while (low < high) {
            size_t middle = low + (high - low) / 2;
            if (strcmp(index->syllable_text[middle], text) < 0)
                low = middle + 1;
            else
                high = middle;
        }
        syllable = (uint16_t)low;
        index->readings[index->reading_count++] = syllable;
        c->initials |= 1ull << search_alphabet_index((unsigned char)text[0]);
        for (const char *p = text; *p; p++)
            c->letters |= 1ull << search_alphabet_index((unsigned char)*p);
    }
    c->transparent = total == 0 && search_is_separator(cp);
    id = (uint32_t)index->char_count++;
    search_char_hash_insert(index->char_keys, index->char_ids, index->char_hash_size, cp, id);
    return id;
}

static int search_compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The syllable table: pinyin's syllables and the 36 single letters and digits, sorted and
 * distinct (a, e, o, m, n, ... are both). */
static bool search_syllables_build(struct search_index *index)
{
    static const char singles[SEARCH_ALPHABET][2] = {
        "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r",
        "s", "t", "u", "v", "w", "x", "y", "z", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
    };
    size_t pinyin_count = pinyin_syllable_count(), count = 0;
    index->syllable_text = malloc((pinyin_count + SEARCH_ALPHABET) * sizeof *index->syllable_text);
    index->syllable_len = malloc(pinyin_count + SEARCH_ALPHABET);
    if (!index->syllable_text || !index->syllable_len)
        return false;
    for (size_t i = 0; i < pinyin_count; i++)
        index->syllable_text[count++] = pinyin_syllable_text(i);
    for (size_t i = 0; i < SEARCH_ALPHABET; i++)
        index->syllable_text[count++] = singles[i];
    qsort(index->syllable_text, count, sizeof *index->syllable_text, search_compare_strings);
    size_t distinct = 0;
    for (size_t i = 0; i < count; i++)
        if (distinct == 0 || strcmp(index->syllable_text[distinct - 1], index->syllable_text[i]))
            index->syllable_text[distinct++] = index->syllable_text[i];
    index->syllable_count = distinct;
    for (size_t i = 0; i < distinct; i++) {
        const char *text = index->syllable_text[i];
        int letter = search_alphabet_index((unsigned char)text[0]);
        index->syllable_len[i] = (uint8_t)strlen(text);
        if (index->syllable_range[letter][1] == 0)
            index->syllable_range[letter][0] = (uint32_t)i;
        index->syllable_range[letter][1] = (uint32_t)i + 1;
    }
    return true;
}

/* ---- texts ------------------------------------------------------------------------------- */

struct search_text_hash {
    uint32_t *slots; /* text id + 1, 0 = empty */
    size_t size;
};

static uint64_t search_hash_string(const char *s)
{
    uint64_t h = 0xCBF29CE484222325ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001B3ull;
    return h ^ (h >> 29);
}

/* Adds string's characters and masks as a new text. */
static bool search_text_add(struct search_index *index, const char *string, uint32_t rank)
{
    if (!search_grow((void **)&index->texts, &index->text_capacity, index->text_count + 1, sizeof *index->texts))
        return false;
    struct search_text *t = &index->texts[index->text_count];
    memset(t, 0, sizeof *t);
    t->string = string;
    t->first_rank = rank;
    t->unit_start = (uint32_t)index->unit_count;
    size_t len = strlen(string), units = 0;
    int previous_initials_known = 0;
    uint64_t previous_initials = 0;
    uint32_t previous_id = 0;
    bool content_seen = false;
    for (size_t off = 0; off < len; units++) {
        uint32_t cp;
        off += linebreak_utf8_next(string + off, len - off, &cp);
        uint32_t id = search_char_intern(index, search_fold(cp));
        if (id == SEARCH_NO_CHAR ||
            !search_grow((void **)&index->units, &index->unit_capacity, index->unit_count + 1, sizeof *index->units))
            return false;
        index->units[index->unit_count++] = id;
        const struct search_char *c = &index->chars[id];
        if (c->transparent)
            continue;
        if (!content_seen)
            t->content_start = (uint32_t)units;
        content_seen = true;
        t->content_end = (uint32_t)units + 1;
        t->content_count++;
        t->initials |= c->initials;
        t->letters |= c->letters;
        t->chars |= search_bloom_bit(id);
        if (previous_initials_known) {
            for (uint64_t a = previous_initials; a; a &= a - 1)
                for (uint64_t b = c->initials; b; b &= b - 1)
                    t->bigrams |= search_bigram_bit(__builtin_ctzll(a), __builtin_ctzll(b));
            t->pairs |= search_pair_bit(previous_id, id);
        }
        previous_initials = c->initials;
        previous_id = id;
        previous_initials_known = 1;
    }
    index->text_count++;
    return true;
}

/* The text id of a string, adding it when new; UINT32_MAX when out of memory. */
static uint32_t search_text_intern(struct search_index *index, struct search_text_hash *hash, const char *string,
                                   uint32_t rank)
{
    if (!string)
        string = "";
    if ((index->text_count + 1) * 2 > hash->size) {
        size_t size = hash->size ? hash->size * 2 : 4096;
        uint32_t *slots = calloc(size, sizeof *slots);
        if (!slots)
            return UINT32_MAX;
        for (size_t i = 0; i < hash->size; i++) {
            if (!hash->slots[i])
                continue;
            size_t slot = search_hash_string(index->texts[hash->slots[i] - 1].string) & (size - 1);
            while (slots[slot])
                slot = (slot + 1) & (size - 1);
            slots[slot] = hash->slots[i];
        }
        free(hash->slots);
        hash->slots = slots;
        hash->size = size;
    }
    size_t mask = hash->size - 1, slot = search_hash_string(string) & mask;
    for (; hash->slots[slot]; slot = (slot + 1) & mask)
        if (!strcmp(index->texts[hash->slots[slot] - 1].string, string))
            return hash->slots[slot] - 1;
    if (index->text_count >= UINT32_MAX - 1 || !search_text_add(index, string, rank))
        return UINT32_MAX;
    hash->slots[slot] = (uint32_t)index->text_count;
    return (uint32_t)index->text_count - 1;
}

/* ---- build ------------------------------------------------------------------------------- */

/* Sort keys copied out of the items, as qsort passes no context to its comparison. */
struct search_rank_key {
    int64_t popularity;
    const char *name;
    uint32_t item;
};

struct search_code_key {
    const char *code;
    uint32_t item;
};

static int search_compare_rank(const void *a, const void *b)
{
    const struct search_rank_key *x = a, *y = b;
    if (x->popularity != y->popularity)
        return x->popularity > y->popularity ? -1 : 1;
    int names = strcmp(x->name, y->name);
    if (names)
        return names;
    return (x->item > y->item) - (x->item < y->item);
}

static int search_compare_code(const void *a, const void *b)
{
    const struct search_code_key *x = a, *y = b;
    int codes = strcmp(x->code, y->code);
    return codes ? codes : (x->item > y->item) - (x->item < y->item);
}

/* Fills order (items by rank), rank (its inverse) and code_order (items with a code, by code). */
static bool search_sort_items(struct search_index *index)
{
    const struct catalogue *catalogue = index->catalogue;
    size_t n = index->item_count;
    struct search_rank_key *ranks = malloc((n + 1) * sizeof *ranks);
    struct search_code_key *codes = malloc((n + 1) * sizeof *codes);
    if (!ranks || !codes) {
        free(ranks);
        free(codes);
        return false;
    }
    size_t code_count = 0;
    for (size_t i = 0; i < n; i++) {
        const struct catalogue_item *item = &catalogue->items[i];
        ranks[i] = (struct search_rank_key){item->popularity, item->name ? item->name : "", (uint32_t)i};
        if (item->implementation_code && item->implementation_code[0])
            codes[code_count++] = (struct search_code_key){item->implementation_code, (uint32_t)i};
    }
    qsort(ranks, n, sizeof *ranks, search_compare_rank);
    qsort(codes, code_count, sizeof *codes, search_compare_code);
    for (size_t r = 0; r < n; r++) {
        index->order[r] = ranks[r].item;
        index->rank[ranks[r].item] = (uint32_t)r;
    }
    for (size_t i = 0; i < code_count; i++)
        index->code_order[i] = codes[i].item;
    index->code_count = code_count;
    free(ranks);
    free(codes);
    return true;
}

/* The first content character of a name, or SEARCH_NO_CHAR for an empty name. */
static uint32_t search_name_first_char(const struct search_index *index, uint32_t rank)
{
    const struct search_text *t = &index->texts[index->name_text[rank]];
    if (!t->content_count)
        return SEARCH_NO_CHAR;
    return index->units[t->unit_start + t->content_start];
}

static bool search_anchors_build(struct search_index *index)
{
    size_t n = index->item_count;
    index->anchor_char_start = calloc(index->char_count + 2, sizeof *index->anchor_char_start);
    if (!index->anchor_char_start)
        return false;
    size_t letter_total = 0, char_total = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = search_name_first_char(index, (uint32_t)i);
        if (c == SEARCH_NO_CHAR)
            continue;
        for (uint64_t bits = index->chars[c].initials; bits; bits &= bits - 1) {
            index->anchor_letter_start[__builtin_ctzll(bits) + 1]++;
            letter_total++;
        }
        index->anchor_char_start[c + 1]++;
        char_total++;
    }
    for (size_t l = 0; l < SEARCH_ALPHABET; l++)
        index->anchor_letter_start[l + 1] += index->anchor_letter_start[l];
    for (size_t c = 0; c < index->char_count; c++)
        index->anchor_char_start[c + 1] += index->anchor_char_start[c];
    index->anchor_letter_ranks = malloc((letter_total + 1) * sizeof *index->anchor_letter_ranks);
    index->anchor_char_ranks = malloc((char_total + 1) * sizeof *index->anchor_char_ranks);
    uint32_t *letter_fill = malloc(SEARCH_ALPHABET * sizeof *letter_fill);
    uint32_t *char_fill = malloc((index->char_count + 1) * sizeof *char_fill);
    bool ok = index->anchor_letter_ranks && index->anchor_char_ranks && letter_fill && char_fill;
    if (ok) {
        memcpy(letter_fill, index->anchor_letter_start, SEARCH_ALPHABET * sizeof *letter_fill);
        memcpy(char_fill, index->anchor_char_start, index->char_count * sizeof *char_fill);
        for (uint32_t r = 0; r < n; r++) { /* in rank order, so every list is too */
            uint32_t c = search_name_first_char(index, r);
            if (c == SEARCH_NO_CHAR)
                continue;
            for (uint64_t bits = index->chars[c].initials; bits; bits &= bits - 1)
                index->anchor_letter_ranks[letter_fill[__builtin_ctzll(bits)]++] = r;
            index->anchor_char_ranks[char_fill[c]++] = r;
        }
    }
    free(letter_fill);
    free(char_fill);
    return ok;
}

/* Inverts rank -> texts (start[rank] .. start[rank + 1] in texts) into text -> ranks. */
static bool search_postings_build(const struct search_index *index, const uint32_t *start, const uint32_t *texts,
                                  uint32_t **post_start_out, uint32_t **post_ranks_out, uint32_t **distinct_out,
                                  size_t *distinct_count)
{
    size_t n = index->item_count, total = start[n];
    uint32_t *post_start = calloc(index->text_count + 2, sizeof *post_start);
    uint32_t *post_ranks = malloc((total + 1) * sizeof *post_ranks);
    uint32_t *fill = malloc((index->text_count + 1) * sizeof *fill);
    uint32_t *distinct = malloc((index->text_count + 1) * sizeof *distinct);
    *post_start_out = post_start;
    *post_ranks_out = post_ranks;
    *distinct_out = distinct;
    if (!post_start || !post_ranks || !fill || !distinct) {
        free(fill);
        return false;
    }
    for (size_t i = 0; i < total; i++)
        post_start[texts[i] + 1]++;
    *distinct_count = 0;
    for (size_t t = 0; t < index->text_count; t++) {
        if (post_start[t + 1])
            distinct[(*distinct_count)++] = (uint32_t)t;
        post_start[t + 1] += post_start[t];
    }
    memcpy(fill, post_start, index->text_count * sizeof *fill);
    for (uint32_t r = 0; r < n; r++)
        for (uint32_t i = start[r]; i < start[r + 1]; i++)
            post_ranks[fill[texts[i]]++] = r;
    free(fill);
    return true;
}

/* Names -> ranks, and characters -> names. */
static bool search_names_build(struct search_index *index)
{
    size_t n = index->item_count;
    uint32_t *identity = malloc((n + 1) * sizeof *identity);
    if (!identity)
        return false;
    for (size_t r = 0; r <= n; r++)
        identity[r] = (uint32_t)r;
    bool ok = search_postings_build(index, identity, index->name_text, &index->name_post_start,
                                    &index->name_post_ranks, &index->name_distinct, &index->name_distinct_count);
    free(identity);
    if (!ok)
        return false;
    uint32_t *start = calloc(index->char_count + 2, sizeof *start);
    uint32_t *last = malloc((index->char_count + 1) * sizeof *last);
    index->char_name_start = start;
    if (!start || !last) {
        free(last);
        return false;
    }
    /* Two rounds over the names' characters: count, then fill; last[c] = the text that
     * last counted c, so a character repeated in a name counts once. */
    size_t total = 0;
    for (int round = 0; round < 2; round++) {
        memset(last, 0xFF, (index->char_count + 1) * sizeof *last);
        for (size_t i = 0; i < index->name_distinct_count; i++) {
            uint32_t text = index->name_distinct[i];
            const struct search_text *t = &index->texts[text];
            for (uint32_t u = t->content_start; u < t->content_end; u++) {
                uint32_t c = index->units[t->unit_start + u];
                if (last[c] == text || index->chars[c].transparent)
                    continue;
                last[c] = text;
                if (round == 0) {
                    start[c + 1]++;
                    total++;
                } else {
                    index->char_name_texts[start[c]++] = text;
                }
            }
        }
        if (round == 0) {
            for (size_t c = 0; c < index->char_count; c++)
                start[c + 1] += start[c];
            index->char_name_texts = malloc((total + 1) * sizeof *index->char_name_texts);
            if (!index->char_name_texts) {
                free(last);
                return false;
            }
        }
    }
    /* The fill moved each start to the next one's: shift back. */
    memmove(start + 1, start, index->char_count * sizeof *start);
    start[0] = 0;
    free(last);
    return true;
}

struct search_index *search_index_build(const struct catalogue *catalogue, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!catalogue || catalogue->item_count >= UINT32_MAX / 2) {
        snprintf(err, errlen, "search: %s", catalogue ? "too many items" : "no catalogue");
        return NULL;
    }
    struct search_index *index = calloc(1, sizeof *index);
    struct search_text_hash text_hash = {0};
    size_t n = catalogue->item_count;
    if (!index)
        goto out_of_memory;
    index->catalogue = catalogue;
    index->item_count = n;
    index->char_hash_size = 4096;
    index->char_keys = calloc(index->char_hash_size, sizeof *index->char_keys);
    index->char_ids = malloc(index->char_hash_size * sizeof *index->char_ids);
    index->name_text = malloc((n + 1) * sizeof *index->name_text);
    index->keyword_start = malloc((n + 1) * sizeof *index->keyword_start);
    index->material_start = malloc((n + 1) * sizeof *index->material_start);
    index->order = malloc((n + 1) * sizeof *index->order);
    index->rank = malloc((n + 1) * sizeof *index->rank);
    index->code_order = malloc((n + 1) * sizeof *index->code_order);
    if (!index->char_keys || !index->char_ids || !index->name_text || !index->keyword_start ||
        !index->material_start || !index->order || !index->rank || !index->code_order || !search_syllables_build(index))
        goto out_of_memory;

    size_t keyword_total = 0, material_total = 0;
    for (size_t i = 0; i < n; i++) {
        keyword_total += catalogue->items[i].keyword_count;
        material_total += catalogue->items[i].material_count;
    }
    if (keyword_total >= UINT32_MAX || material_total >= UINT32_MAX) {
        snprintf(err, errlen, "search: too many keywords or materials");
        search_index_free(index);
        return NULL;
    }
    index->keyword_texts = malloc((keyword_total + 1) * sizeof *index->keyword_texts);
    index->material_texts = malloc((material_total + 1) * sizeof *index->material_texts);
    if (!index->keyword_texts || !index->material_texts)
        goto out_of_memory;

    if (!search_sort_items(index))
        goto out_of_memory;
    size_t keywords = 0, materials = 0;
    for (size_t r = 0; r < n; r++) {
        const struct catalogue_item *item = &catalogue->items[index->order[r]];
        uint32_t name = search_text_intern(index, &text_hash, item->name, (uint32_t)r);
        if (name == UINT32_MAX)
            goto out_of_memory;
        index->name_text[r] = name;
        index->keyword_start[r] = (uint32_t)keywords;
        for (size_t k = 0; k < item->keyword_count; k++) {
            uint32_t text = search_text_intern(index, &text_hash, item->keywords[k], (uint32_t)r);
            if (text == UINT32_MAX)
                goto out_of_memory;
            index->keyword_texts[keywords++] = text;
        }
        index->material_start[r] = (uint32_t)materials;
        for (size_t m = 0; m < item->material_count; m++) {
            uint32_t text = search_text_intern(index, &text_hash, item->materials[m].name, (uint32_t)r);
            if (text == UINT32_MAX)
                goto out_of_memory;
            index->material_texts[materials++] = text;
        }
    }
    index->keyword_start[n] = (uint32_t)keywords;
    index->material_start[n] = (uint32_t)materials;
    free(text_hash.slots);
    text_hash.slots = NULL;

    if (!search_postings_build(index, index->keyword_start, index->keyword_texts, &index->keyword_post_start,
                               &index->keyword_post_ranks, &index->keyword_distinct,
                               &index->keyword_distinct_count) ||
        !search_postings_build(index, index->material_start, index->material_texts, &index->material_post_start,
                               &index->material_post_ranks, &index->material_distinct,
                               &index->material_distinct_count) ||
        !search_names_build(index) || !search_anchors_build(index))
        goto out_of_memory;
    search_shrink((void **)&index->texts, &index->text_capacity, index->text_count, sizeof *index->texts);
    search_shrink((void **)&index->units, &index->unit_capacity, index->unit_count, sizeof *index->units);
    search_shrink((void **)&index->chars, &index->char_capacity, index->char_count, sizeof *index->chars);
    search_shrink((void **)&index->readings, &index->reading_capacity, index->reading_count, sizeof *index->readings);
    return index;

out_of_memory:
    free(text_hash.slots);
    search_index_free(index);
    snprintf(err, errlen, "search: out of memory building the index of %zu items", n);
    return NULL;
}

void search_index_free(struct search_index *index)
{
    if (!index)
        return;
    free(index->syllable_text);
    free(index->syllable_len);
    free(index->chars);
    free(index->readings);
    free(index->char_keys);
    free(index->char_ids);
    free(index->texts);
    free(index->units);
    free(index->name_text);
    free(index->keyword_start);
    free(index->material_start);
    free(index->keyword_texts);
    free(index->material_texts);
    free(index->order);
    free(index->rank);
    free(index->name_post_start);
    free(index->name_post_ranks);
    free(index->name_distinct);
    free(index->char_name_start);
    free(index->char_name_texts);
    free(index->keyword_post_start);
    free(index->keyword_post_ranks);
    free(index->keyword_distinct);
    free(index->material_post_start);
    free(index->material_post_ranks);
    free(index->material_distinct);
    free(index->anchor_letter_ranks);
    free(index->anchor_char_start);
    free(index->anchor_char_ranks);
    free(index->code_order);
    free(index);
}

/* ---- query ------------------------------------------------------------------------------- */

struct search_query_state {
    const struct search_index *index;
    uint32_t m; /* units: letters and characters */
    uint8_t letter[SEARCH_QUERY_UNITS_MAX];    /* alphabet index, or SEARCH_NOT_LETTER */
    char letter_text[SEARCH_QUERY_UNITS_MAX];  /* the letter as typed (folded) */
    uint32_t char_id[SEARCH_QUERY_UNITS_MAX];  /* for a character unit */
    uint64_t boundary; /* bit k: a piece starts at unit k (after a space, around a hanzi) */
    /* What any matching text must have (see struct search_text). */
    uint64_t need_initials, need_letters, need_chars, need_pairs, bigram_any;
    bool impossible; /* a query character no text contains */
    char code[SEARCH_QUERY_UNITS_MAX + 1];
    size_t code_len; /* 0 when the query cannot be a code (it has hanzi) */
    uint8_t *lcp;    /* [m][syllable_count] */
    uint8_t *memo;   /* [text_count]: 0 = not evaluated yet, else class + 1 or SEARCH_NO_MATCH + 1 */
};

struct search_match {
    int rank_class;
    uint32_t start, end; /* units, relative to the text */
};

/* Splits the query into units and works out the tables of struct search_query_state. */
static void search_query_prepare(struct search_query_state *q, const char *query)
{
    const struct search_index *index = q->index;
    size_t len = strlen(query);
    bool pending_boundary = true;
    for (size_t off = 0; off < len && q->m < SEARCH_QUERY_UNITS_MAX;) {
        uint32_t cp;
        off += linebreak_utf8_next(query + off, len - off, &cp);
        cp = search_fold(cp);
        int letter = search_alphabet_index(cp);
        uint32_t k = q->m;
        if (letter >= 0) {
            q->letter[k] = (uint8_t)letter;
            q->letter_text[k] = (char)cp;
            q->char_id[k] = SEARCH_NO_CHAR;
            if (pending_boundary)
                q->boundary |= 1ull << k;
            pending_boundary = false;
            q->code[q->code_len++] = (char)(cp >= 'a' && cp <= 'z' ? cp - ('a' - 'A') : cp);
            q->m++;
            continue;
        }
        uint32_t id = search_char_find(index, cp);
        const uint16_t *unused;
        if ((id != SEARCH_NO_CHAR && index->chars[id].transparent) ||
            (id == SEARCH_NO_CHAR && pinyin_readings(cp, &unused) == 0 && search_is_separator(cp))) {
            pending_boundary = true;
            continue;
        }
        q->letter[k] = SEARCH_NOT_LETTER;
        q->letter_text[k] = '\0';
        q->char_id[k] = id;
        q->boundary |= 1ull << k;
        pending_boundary = true;
        if (id == SEARCH_NO_CHAR)
            q->impossible = true;
        else
            q->need_chars |= search_bloom_bit(id);
        /* Two hanzi in a row in the query are two adjacent characters in any match. */
        if (k > 0 && q->letter[k - 1] == SEARCH_NOT_LETTER && id != SEARCH_NO_CHAR &&
            q->char_id[k - 1] != SEARCH_NO_CHAR)
            q->need_pairs |= search_pair_bit(q->char_id[k - 1], id);
        q->m++;
    }
    for (uint32_t k = 0; k < q->m; k++)
        if (q->letter[k] == SEARCH_NOT_LETTER)
            q->code_len = 0;
    if (q->code_len && q->code_len < q->m)
        q->code_len = 0;
    q->code[q->code_len] = '\0';
}

/* lcp[k][s]: how many query letters from unit k are a prefix of syllable s, never running
 * over a piece boundary or onto a character unit. */
static void search_query_tables(struct search_query_state *q)
{
    const struct search_index *index = q->index;
    size_t syllables = index->syllable_count;
    memset(q->lcp, 0, q->m * syllables);
    for (uint32_t k = 0; k < q->m; k++) {
        if (q->letter[k] == SEARCH_NOT_LETTER)
            continue;
        q->need_letters |= 1ull << q->letter[k];
        uint32_t limit = 1;
        while (k + limit < q->m && limit < SEARCH_SYLLABLE_LEN_MAX && q->letter[k + limit] != SEARCH_NOT_LETTER &&
               !(q->boundary >> (k + limit) & 1))
            limit++;
        uint8_t *row = q->lcp + (size_t)k * syllables;
        const uint32_t *range = index->syllable_range[q->letter[k]];
        for (uint32_t s = range[0]; s < range[1]; s++) {
            const char *text = index->syllable_text[s];
            uint32_t l = 1;
            while (l < limit && text[l] == q->letter_text[k + l])
                l++;
            row[s] = (uint8_t)l;
        }
        if (q->boundary >> k & 1)
            q->need_initials |= 1ull << q->letter[k];
    }
    /* When the whole query cannot be one piece, a match has two adjacent characters whose
     * initials are the query's first letter and the letter where the second piece starts. */
    if (q->m >= 2 && q->letter[0] != SEARCH_NOT_LETTER) {
        uint32_t longest = 0;
        for (size_t s = 0; s < syllables; s++)
            if (q->lcp[s] > longest)
                longest = q->lcp[s];
        if (longest < q->m) {
            for (uint32_t l = 1; l <= longest; l++) {
                if (q->letter[l] == SEARCH_NOT_LETTER) {
                    q->bigram_any = 0;
                    break;
                }
                q->bigram_any |= search_bigram_bit(q->letter[0], q->letter[l]);
            }
        }
    }
}

static bool search_text_may_match(const struct search_query_state *q, const struct search_text *t)
{
    return t->content_count && (t->initials & q->need_initials) == q->need_initials &&
           (t->letters & q->need_letters) == q->need_letters && (t->chars & q->need_chars) == q->need_chars &&
           (t->pairs & q->need_pairs) == q->need_pairs && (!q->bigram_any || (t->bigrams & q->bigram_any));
}

static bool search_can_start(const struct search_query_state *q, uint32_t char_id)
{
    if (q->letter[0] != SEARCH_NOT_LETTER)
        return q->index->chars[char_id].initials >> q->letter[0] & 1;
    return char_id == q->char_id[0];
}

/* Matches the query against units[start ..] (start is a content character). With classify,
 * returns the best anchored class reached (exact, prefix or initials) and where it ended;
 * without, SEARCH_CLASS_INITIALS at the first end found. SEARCH_NO_MATCH when none. */
static int search_run(const struct search_query_state *q, const uint32_t *units, uint32_t start,
                      uint32_t content_end, bool classify, uint32_t *end)
{
    const struct search_index *index = q->index;
    const size_t syllables = index->syllable_count;
    const uint32_t m = q->m;
    const uint64_t goal = 1ull << m, live = goal - 1;
    uint64_t any = 1, full = 1;
    int best = SEARCH_NO_MATCH;
    for (uint32_t j = start; j < content_end; j++) {
        const uint32_t unit = units[j];
        const struct search_char *c = &index->chars[unit];
        if (c->transparent)
            continue;
        const uint16_t *readings = index->readings + c->reading_start;
        const uint32_t reading_count = c->reading_count;
        uint64_t next_any = 0, next_full = 0, next_strict = 0;
        for (uint64_t set = any; set; set &= set - 1) {
            uint32_t k = (uint32_t)__builtin_ctzll(set);
            if (q->letter[k] == SEARCH_NOT_LETTER) {
                if (unit == q->char_id[k])
                    next_any |= 2ull << k;
                continue;
            }
            const uint8_t *row = q->lcp + (size_t)k * syllables;
            for (uint32_t r = 0; r < reading_count; r++) {
                uint32_t l = row[readings[r]];
                if (l)
                    next_any |= ((1ull << l) - 1) << (k + 1);
            }
        }
        if (classify) {
            /* Full pieces only, except that the last may be a syllable still being typed. */
            for (uint64_t set = full; set; set &= set - 1) {
                uint32_t k = (uint32_t)__builtin_ctzll(set);
                if (q->letter[k] == SEARCH_NOT_LETTER) {
                    if (unit == q->char_id[k])
                        next_strict |= 2ull << k;
                    continue;
                }
                const uint8_t *row = q->lcp + (size_t)k * syllables;
                for (uint32_t r = 0; r < reading_count; r++) {
                    uint32_t l = row[readings[r]];
                    if (l == index->syllable_len[readings[r]])
                        next_strict |= 1ull << (k + l);
                    else if (l && k + l == m)
                        next_full |= goal;
                }
            }
            next_full |= next_strict;
            if ((next_strict & goal) && j + 1 == content_end) {
                *end = content_end;
                return SEARCH_CLASS_EXACT;
            }
            if ((next_full & goal) && best > SEARCH_CLASS_PREFIX) {
                best = SEARCH_CLASS_PREFIX;
                *end = j + 1;
            }
        }
        if ((next_any & goal) && best > SEARCH_CLASS_INITIALS) {
            best = SEARCH_CLASS_INITIALS;
            *end = j + 1;
            if (!classify)
                return best;
        }
        any = next_any & live;
        full = next_full & live;
        /* Nothing better can come: no state left, or only exact is left and it needs full pieces. */
        if (!any || (best != SEARCH_NO_MATCH && !full))
            break;
    }
    return best;
}

/* The class of a text for this query, and where the match is: anchored at its first
 * character if possible, else the leftmost match elsewhere. */
static int search_text_match(const struct search_query_state *q, uint32_t text_id, struct search_match *match)
{
    const struct search_index *index = q->index;
    const struct search_text *t = &index->texts[text_id];
    match->rank_class = SEARCH_NO_MATCH;
    if (!search_text_may_match(q, t))
        return SEARCH_NO_MATCH;
    const uint32_t *units = index->units + t->unit_start;
    uint32_t end = 0;
    if (search_can_start(q, units[t->content_start])) {
        int rank_class = search_run(q, units, t->content_start, t->content_end, true, &end);
        if (rank_class != SEARCH_NO_MATCH) {
            *match = (struct search_match){rank_class, t->content_start, end};
            return rank_class;
        }
    }
    for (uint32_t j = t->content_start + 1; j < t->content_end; j++) {
        uint32_t unit = units[j];
        if (index->chars[unit].transparent || !search_can_start(q, unit))
            continue;
        if (search_run(q, units, j, t->content_end, false, &end) != SEARCH_NO_MATCH) {
            *match = (struct search_match){SEARCH_CLASS_SUBSTRING, j, end};
            return SEARCH_CLASS_SUBSTRING;
        }
    }
    return SEARCH_NO_MATCH;
}

/* search_text_match's class, evaluated once per text and query. */
static int search_text_class(const struct search_query_state *q, uint32_t text_id)
{
    uint8_t known = q->memo[text_id];
    if (known)
        return known - 1;
    struct search_match match;
    int rank_class = search_text_match(q, text_id, &match);
    q->memo[text_id] = (uint8_t)(rank_class + 1);
    return rank_class;
}

/* Which of the item's keywords (materials) matches first, or -1. */
static long search_field_match(const struct search_query_state *q, const uint32_t *start, const uint32_t *texts,
                               uint32_t rank)
{
    for (uint32_t i = start[rank]; i < start[rank + 1]; i++)
        if (search_text_class(q, texts[i]) != SEARCH_NO_MATCH)
            return (long)(i - start[rank]);
    return -1;
}

struct search_output {
    struct search_result *results;
    size_t count, max;
};

static void search_output_add(const struct search_index *index, struct search_output *out, uint32_t rank,
                              enum search_class rank_class, enum search_field field, size_t field_index)
{
    if (out->count < out->max)
        out->results[out->count++] = (struct search_result){
            .item = index->order[rank], .rank_class = rank_class, .field = field, .field_index = field_index};
}

/* Exact, prefix and initials: only items whose name starts with a character the query can
 * start with, in rank order; each class keeps its first max. */
static void search_pass_anchored(struct search_query_state *q, struct search_output *out, uint32_t *buckets)
{
    const struct search_index *index = q->index;
    const uint32_t *list = NULL;
    size_t list_len = 0;
    if (q->letter[0] != SEARCH_NOT_LETTER) {
        list = index->anchor_letter_ranks + index->anchor_letter_start[q->letter[0]];
        list_len = index->anchor_letter_start[q->letter[0] + 1] - index->anchor_letter_start[q->letter[0]];
    } else if (q->char_id[0] != SEARCH_NO_CHAR) {
        list = index->anchor_char_ranks + index->anchor_char_start[q->char_id[0]];
        list_len = index->anchor_char_start[q->char_id[0] + 1] - index->anchor_char_start[q->char_id[0]];
    }
    size_t max = out->max, counts[3] = {0, 0, 0};
    for (size_t i = 0; i < list_len; i++) {
        uint32_t rank = list[i], text = index->name_text[rank];
        /* With max exact or prefix results, only an exact one could still get in, and an
         * exact match covers each character with at least one unit. */
        if (counts[SEARCH_CLASS_EXACT] + counts[SEARCH_CLASS_PREFIX] >= max &&
            index->texts[text].content_count > q->m)
            continue;
        int rank_class = search_text_class(q, text);
        if (rank_class > SEARCH_CLASS_INITIALS || counts[rank_class] >= max)
            continue;
        buckets[(size_t)rank_class * max + counts[rank_class]++] = rank;
        if (counts[SEARCH_CLASS_EXACT] >= max)
            break;
    }
    for (int rank_class = SEARCH_CLASS_EXACT; rank_class <= SEARCH_CLASS_INITIALS; rank_class++)
        for (size_t i = 0; i < counts[rank_class]; i++)
            search_output_add(index, out, buckets[(size_t)rank_class * max + i], (enum search_class)rank_class,
                              SEARCH_FIELD_NAME, 0);
}

/* Whether a better class already has the item: each class is complete in the output when
 * the next is searched (the search stops as soon as the output is full). */
static bool search_rank_taken(const struct search_query_state *q, uint32_t rank, enum search_class before)
{
    const struct search_index *index = q->index;
    if (search_text_class(q, index->name_text[rank]) != SEARCH_NO_MATCH)
        return true;
    if (before > SEARCH_CLASS_KEYWORD && search_field_match(q, index->keyword_start, index->keyword_texts, rank) >= 0)
        return true;
    if (before > SEARCH_CLASS_MATERIAL &&
        search_field_match(q, index->material_start, index->material_texts, rank) >= 0)
        return true;
    return false;
}

static int search_compare_uint32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Candidates of a later class, best rank first. When there are few (the postings of the
 * matching keywords, or the items of a code range), sort them; when there are many, walk
 * all ranks: they are dense enough that the output fills after a short walk. */
struct search_candidates {
    uint32_t *ranks;
    size_t count;
    bool all; /* walk every rank instead */
};

static void search_candidates_sort(struct search_candidates *candidates)
{
    qsort(candidates->ranks, candidates->count, sizeof *candidates->ranks, search_compare_uint32);
    size_t unique = 0;
    for (size_t i = 0; i < candidates->count; i++)
        if (unique == 0 || candidates->ranks[unique - 1] != candidates->ranks[i])
            candidates->ranks[unique++] = candidates->ranks[i];
    candidates->count = unique;
}

/* Keyword or material class: the texts used in that field that match, then their items. */
static void search_pass_field(struct search_query_state *q, struct search_output *out, enum search_class rank_class)
{
    const struct search_index *index = q->index;
    bool keyword = rank_class == SEARCH_CLASS_KEYWORD;
    const uint32_t *distinct = keyword ? index->keyword_distinct : index->material_distinct;
    size_t distinct_count = keyword ? index->keyword_distinct_count : index->material_distinct_count;
    const uint32_t *post_start = keyword ? index->keyword_post_start : index->material_post_start;
    const uint32_t *post_ranks = keyword ? index->keyword_post_ranks : index->material_post_ranks;
    const uint32_t *start = keyword ? index->keyword_start : index->material_start;
    const uint32_t *texts = keyword ? index->keyword_texts : index->material_texts;

    size_t total = 0;
    for (size_t i = 0; i < distinct_count; i++)
        if (search_text_class(q, distinct[i]) != SEARCH_NO_MATCH)
            total += post_start[distinct[i] + 1] - post_start[distinct[i]];
    if (total == 0)
        return;
    struct search_candidates candidates = {NULL, 0, total > SEARCH_CANDIDATES_SORT_MAX};
    if (!candidates.all) {
        candidates.ranks = malloc(total * sizeof *candidates.ranks);
        if (!candidates.ranks)
            return;
        for (size_t i = 0; i < distinct_count; i++) {
            uint32_t t = distinct[i];
            if (search_text_class(q, t) != SEARCH_NO_MATCH)
                for (uint32_t p = post_start[t]; p < post_start[t + 1]; p++)
                    candidates.ranks[candidates.count++] = post_ranks[p];
        }
        search_candidates_sort(&candidates);
    }
    size_t count = candidates.all ? index->item_count : candidates.count;
    for (size_t i = 0; i < count && out->count < out->max; i++) {
        uint32_t rank = candidates.all ? (uint32_t)i : candidates.ranks[i];
        long which = search_field_match(q, start, texts, rank);
        if (which >= 0 && !search_rank_taken(q, rank, rank_class))
            search_output_add(index, out, rank, rank_class,
                              keyword ? SEARCH_FIELD_KEYWORD : SEARCH_FIELD_MATERIAL, (size_t)which);
    }
    free(candidates.ranks);
}

/* Substring: with hanzi in the query, the names holding its rarest one; else every name. */
static void search_pass_substring(struct search_query_state *q, struct search_output *out)
{
    const struct search_index *index = q->index;
    uint32_t rarest = SEARCH_NO_CHAR;
    size_t rarest_count = SIZE_MAX;
    for (uint32_t k = 0; k < q->m; k++) {
        uint32_t c = q->char_id[k];
        if (q->letter[k] != SEARCH_NOT_LETTER || c == SEARCH_NO_CHAR)
            continue;
        size_t count = index->char_name_start[c + 1] - index->char_name_start[c];
        if (count < rarest_count) {
            rarest = c;
            rarest_count = count;
        }
    }
    if (rarest != SEARCH_NO_CHAR) {
        /* Text ids were given in rank order of first use (as a name, keyword or material),
         * so no name after the next one in this list is used before the next one's
         * first_rank: stop once the results needed all lie before it. */
        const uint32_t *texts = index->char_name_texts + index->char_name_start[rarest];
        size_t needed = out->max - out->count, kept = 0;
        /* The best `needed` ranks found so far, ascending; merged with each name's ranks. */
        uint32_t *best = malloc(2 * needed * sizeof *best);
        if (!best)
            return;
        uint32_t *merged = best + needed;
        for (size_t i = 0; i < rarest_count; i++) {
            uint32_t text = texts[i];
            if (kept == needed && best[needed - 1] < index->texts[text].first_rank)
                break;
            if (search_text_class(q, text) != SEARCH_CLASS_SUBSTRING)
                continue;
            const uint32_t *ranks = index->name_post_ranks + index->name_post_start[text];
            size_t rank_count = index->name_post_start[text + 1] - index->name_post_start[text], a = 0, b = 0, m = 0;
            while (m < needed && (a < kept || b < rank_count))
                merged[m++] = b == rank_count || (a < kept && best[a] < ranks[b]) ? best[a++] : ranks[b++];
            memcpy(best, merged, m * sizeof *best);
            kept = m;
        }
        for (size_t i = 0; i < kept; i++)
            search_output_add(index, out, best[i], SEARCH_CLASS_SUBSTRING, SEARCH_FIELD_NAME, 0);
        free(best);
        return;
    }
    for (uint32_t r = 0; r < index->item_count && out->count < out->max; r++)
        if (search_text_class(q, index->name_text[r]) == SEARCH_CLASS_SUBSTRING)
            search_output_add(index, out, r, SEARCH_CLASS_SUBSTRING, SEARCH_FIELD_NAME, 0);
}

static bool search_code_has_prefix(const char *code, const char *prefix, size_t len)
{
    return code && !strncmp(code, prefix, len);
}

static void search_pass_code(struct search_query_state *q, struct search_output *out)
{
    const struct search_index *index = q->index;
    const struct catalogue_item *items = index->catalogue->items;
    size_t low = 0, high = index->code_count;
    while (low < high) { /* first code >= the prefix */
        size_t middle = low + (high - low) / 2;
        if (strcmp(items[index->code_order[middle]].implementation_code, q->code) < 0)
            low = middle + 1;
        else
            high = middle;
    }
    size_t first = low;
    high = index->code_count;
    while (low < high) { /* first code past the prefix */
        size_t middle = low + (high - low) / 2;
        if (search_code_has_prefix(items[index->code_order[middle]].implementation_code, q->code, q->code_len))
            low = middle + 1;
        else
            high = middle;
    }
    size_t total = low - first;
    if (total == 0)
        return;
    struct search_candidates candidates = {NULL, 0, total > SEARCH_CANDIDATES_SORT_MAX};
    if (!candidates.all) {
        candidates.ranks = malloc(total * sizeof *candidates.ranks);
        if (!candidates.ranks)
            return;
        for (size_t i = first; i < first + total; i++)
            candidates.ranks[candidates.count++] = index->rank[index->code_order[i]];
        search_candidates_sort(&candidates);
    }
    size_t count = candidates.all ? index->item_count : candidates.count;
    for (size_t i = 0; i < count && out->count < out->max; i++) {
        uint32_t rank = candidates.all ? (uint32_t)i : candidates.ranks[i];
        if (candidates.all &&
            !search_code_has_prefix(items[index->order[rank]].implementation_code, q->code, q->code_len))
            continue;
        if (!search_rank_taken(q, rank, SEARCH_CLASS_CODE))
            search_output_add(index, out, rank, SEARCH_CLASS_CODE, SEARCH_FIELD_CODE, 0);
    }
    free(candidates.ranks);
}

/* Units [start, end) of string as a byte range. */
static void search_units_to_bytes(const char *string, uint32_t start, uint32_t end, size_t *byte_start,
                                  size_t *byte_end)
{
    size_t len = strlen(string), off = 0;
    uint32_t unit = 0;
    *byte_start = *byte_end = len;
    for (; off < len; unit++) {
        if (unit == start)
            *byte_start = off;
        if (unit == end) {
            *byte_end = off;
            return;
        }
        uint32_t cp;
        off += linebreak_utf8_next(string + off, len - off, &cp);
    }
    if (unit == start)
        *byte_start = off;
}

static void search_highlight(const struct search_query_state *q, struct search_result *result)
{
    const struct search_index *index = q->index;
    uint32_t rank = index->rank[result->item], text;
    switch (result->field) {
    case SEARCH_FIELD_CODE:
        result->highlight_start = 0;
        result->highlight_end = q->code_len;
        return;
    case SEARCH_FIELD_KEYWORD:
        text = index->keyword_texts[index->keyword_start[rank] + result->field_index];
        break;
    case SEARCH_FIELD_MATERIAL:
        text = index->material_texts[index->material_start[rank] + result->field_index];
        break;
    case SEARCH_FIELD_NAME:
    default:
        text = index->name_text[rank];
        break;
    }
    struct search_match match = {SEARCH_NO_MATCH, 0, 0};
    search_text_match(q, text, &match);
    search_units_to_bytes(index->texts[text].string, match.start, match.end, &result->highlight_start,
                          &result->highlight_end);
}

size_t search_query(const struct search_index *index, const char *query, struct search_result *results, size_t max)
{
    if (!index || !query || !results || max == 0)
        return 0;
    struct search_query_state q = {.index = index};
    search_query_prepare(&q, query);
    if (q.m == 0 || q.impossible)
        return 0;
    if (max > index->item_count)
        max = index->item_count;
    if (max == 0)
        return 0;
    size_t lcp_size = (size_t)q.m * index->syllable_count;
    uint8_t *scratch = malloc(3 * max * sizeof(uint32_t) + lcp_size + index->text_count);
    if (!scratch)
        return 0;
    uint32_t *buckets = (uint32_t *)(void *)scratch; /* first, so it is aligned */
    q.lcp = scratch + 3 * max * sizeof(uint32_t);
    q.memo = q.lcp + lcp_size;
    memset(q.memo, 0, index->text_count);
    search_query_tables(&q);

    struct search_output out = {results, 0, max};
    search_pass_anchored(&q, &out, buckets);
    if (out.count < max)
        search_pass_substring(&q, &out);
    if (out.count < max)
        search_pass_field(&q, &out, SEARCH_CLASS_KEYWORD);
    if (out.count < max)
        search_pass_field(&q, &out, SEARCH_CLASS_MATERIAL);
    if (q.code_len && out.count < max)
        search_pass_code(&q, &out);
    for (size_t i = 0; i < out.count; i++)
        search_highlight(&q, &results[i]);
    free(scratch);
    return out.count;
}

size_t search_index_bytes(const struct search_index *index)
{
    if (!index)
        return 0;
    size_t n = index->item_count, u32 = sizeof(uint32_t);
    size_t keywords = index->keyword_start[n], materials = index->material_start[n];
    size_t letter_anchors = index->anchor_letter_start[SEARCH_ALPHABET];
    size_t char_anchors = index->anchor_char_start[index->char_count];
    size_t char_names = index->char_name_start[index->char_count];
    return sizeof *index + index->syllable_count * (sizeof *index->syllable_text + 1) +
           index->char_capacity * sizeof *index->chars + index->reading_capacity * sizeof *index->readings +
           index->char_hash_size * 2 * u32 + index->text_capacity * sizeof *index->texts +
           index->unit_capacity * u32 +
           u32 * (5 * (n + 1) /* order, rank, name_text, keyword_start, material_start */ + (n + 1) /* code_order */ +
                  keywords + materials + 3 * (index->text_count + 2) /* postings' starts */ + n + keywords +
                  materials /* postings */ + index->name_distinct_count + index->keyword_distinct_count +
                  index->material_distinct_count + letter_anchors + char_anchors + char_names +
                  2 * (index->char_count + 2));
}

const char *search_class_name(enum search_class rank_class)
{
    switch (rank_class) {
    case SEARCH_CLASS_EXACT: return "exact";
    case SEARCH_CLASS_PREFIX: return "prefix";
    case SEARCH_CLASS_INITIALS: return "initials";
    case SEARCH_CLASS_SUBSTRING: return "substring";
    case SEARCH_CLASS_KEYWORD: return "keyword";
    case SEARCH_CLASS_MATERIAL: return "material";
    case SEARCH_CLASS_CODE: return "code";
    }
    return "?";
}
