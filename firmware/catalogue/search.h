/* Search of the service item catalogue, answered on every keystroke of the on-screen
 * keyboard.
 *
 * A query is Latin letters, hanzi, digits, or a mix:
 *   full pinyin        shenfenzheng        身份证
 *   partial syllables  shenfz, shen fen    (a space or ' ends a syllable)
 *   initials           sfz, sfzhl          身份证换领
 *   hanzi              身份证, 护照
 *   code               11371300MB28517320… (prefix of the implementation code)
 * A query matches a run of consecutive characters of a text when it splits into pieces, one
 * per character, each a hanzi equal to the character or a non-empty prefix of one of the
 * character's readings (every reading of a polyphone: 行 is xing and hang). Latin letters and
 * digits in names match themselves, case-insensitively; punctuation in names is skipped.
 *
 * Ranking, best first (enum search_class): the whole name in full syllables or hanzi
 * (exact), the start of the name in full syllables with the last one possibly still being
 * typed (prefix), the start of the name with abbreviated syllables (initials: sfz, shenfz),
 * anywhere else in the name (substring), then a keyword, a material's name, and finally the
 * implementation code. Ties: higher popularity first, then name (byte order), then index.
 *
 * The index borrows the catalogue's strings: the catalogue must outlive it. Both are
 * immutable once built, so search_query may run on any thread; it allocates its scratch
 * per call and keeps no state between calls. */
#pragma once
#include <stddef.h>

#include "firmware/catalogue/catalogue.h"

/* Queries longer than this many letters and characters are searched on their first this
 * many (a resident never types that much; the matcher keeps its states in 64-bit sets). */
#define SEARCH_QUERY_UNITS_MAX 63

enum search_class {
    SEARCH_CLASS_EXACT,     /* the whole name */
    SEARCH_CLASS_PREFIX,    /* the start of the name, full syllables or hanzi */
    SEARCH_CLASS_INITIALS,  /* the start of the name, some syllables abbreviated */
    SEARCH_CLASS_SUBSTRING, /* elsewhere in the name */
    SEARCH_CLASS_KEYWORD,   /* one of the item's keywords */
    SEARCH_CLASS_MATERIAL,  /* the name of one of the item's materials */
    SEARCH_CLASS_CODE,      /* a prefix of the implementation code */
};

enum search_field {
    SEARCH_FIELD_NAME,     /* catalogue_item.name */
    SEARCH_FIELD_KEYWORD,  /* catalogue_item.keywords[field_index] */
    SEARCH_FIELD_MATERIAL, /* catalogue_item.materials[field_index].name */
    SEARCH_FIELD_CODE,     /* catalogue_item.implementation_code */
};

struct search_result {
    size_t item; /* index into catalogue.items */
    enum search_class rank_class;
    enum search_field field;          /* where the match is, to highlight */
    size_t field_index;               /* which keyword or material; 0 otherwise */
    size_t highlight_start, highlight_end; /* byte range of the matched characters in that field */
};

struct search_index;

/* Builds the index over every item's name, keywords, materials and code. NULL on failure
 * (out of memory) with the reason in err. */
struct search_index *search_index_build(const struct catalogue *catalogue, char *err, size_t errlen);
void search_index_free(struct search_index *index);

/* Writes the best min(max, matches) results into results, best first, and returns how many.
 * An empty query (or one of only spaces and punctuation) matches nothing: the caller shows
 * its default list instead. */
size_t search_query(const struct search_index *index, const char *query, struct search_result *results,
                    size_t max);

/* The memory the index holds (its own arrays; the catalogue's strings are not counted). */
size_t search_index_bytes(const struct search_index *index);

/* For tests and tools: the name of a class ("exact", "prefix", ...). */
const char *search_class_name(enum search_class rank_class);
