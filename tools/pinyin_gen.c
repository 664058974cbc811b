/* pinyin_gen: builds the pinyin table the search uses from Unicode's Unihan readings.
 *
 *   bzcat /usr/share/unicode/Unihan_Readings.txt.bz2 | pinyin_gen > pinyin_table.h
 *
 * Run at build time (assets/assets.mk), so the table follows the Unihan data Debian ships
 * (package unicode-data) instead of a hand-typed list. It takes every Mandarin reading a
 * character has in kMandarin, kHanyuPinlu, kTGHZ2013, kXHC1983 and kHanyuPinyin — all the
 * readings of polyphones (行 xing hang), because a resident may type any of them — strips
 * tone marks to plain a–z (ü → v, as pinyin keyboards type it), and writes:
 *   - the syllables, sorted, as one string pool with offsets (ids are their sort order);
 *   - the codepoints that have readings, sorted, and per codepoint a slice of syllable ids,
 *     the most common reading first (kMandarin, then the frequency-ordered kHanyuPinlu).
 * A reading it cannot fold to a–z stops the build with the line number: a silent skip would
 * make characters unsearchable without anyone noticing.
 *
 * Host tool, built without the firmware's flags; C11, no dependencies. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEN_SYLLABLE_MAX 8 /* longest pinyin syllable is 6 letters (zhuang, shuang) */
#define GEN_LINE_MAX 4096

struct gen_reading {
    uint32_t codepoint;
    int priority; /* which field: lower = more common reading */
    size_t sequence;
    char syllable[GEN_SYLLABLE_MAX];
    int syllable_id;
};

struct gen_state {
    struct gen_reading *readings;
    size_t count, capacity;
    char unicode_version[32];
};

static const struct {
    const char *name;
    int priority;
} gen_fields[] = {
    {"kMandarin", 0}, {"kHanyuPinlu", 1}, {"kTGHZ2013", 2}, {"kXHC1983", 3}, {"kHanyuPinyin", 4},
};

static void gen_die(unsigned long line, const char *what, const char *detail)
{
    fprintf(stderr, "pinyin_gen: line %lu: %s%s%s\n", line, what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

/* One UTF-8 sequence at *s; returns its codepoint and advances, or 0xFFFFFFFF when broken. */
static uint32_t gen_utf8_next(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    uint32_t cp;
    int extra;
    if (p[0] < 0x80) {
        cp = p[0];
        extra = 0;
    } else if ((p[0] & 0xE0) == 0xC0) {
        cp = p[0] & 0x1F;
        extra = 1;
    } else if ((p[0] & 0xF0) == 0xE0) {
        cp = p[0] & 0x0F;
        extra = 2;
    } else if ((p[0] & 0xF8) == 0xF0) {
        cp = p[0] & 0x07;
        extra = 3;
    } else {
        return 0xFFFFFFFF;
    }
    for (int i = 1; i <= extra; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0xFFFFFFFF;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    *s += 1 + extra;
    return cp;
}

/* The plain letter a toned pinyin letter stands for; 0 to drop it (combining tone marks);
 * -1 when it is not pinyin at all. */
static int gen_fold_letter(uint32_t cp)
{
    if (cp >= 'a' && cp <= 'z')
        return (int)cp;
    if (cp >= 0x0300 && cp <= 0x036F) /* combining marks: m̄ m̀ n̄ carry their tone this way */
        return 0;
    switch (cp) {
    case 0x0101: case 0x00E1: case 0x01CE: case 0x00E0: return 'a'; /* ā á ǎ à */
    case 0x0113: case 0x00E9: case 0x011B: case 0x00E8: /* ē é ě è */
    case 0x00EA: case 0x1EBF: case 0x1EC1: case 0x1EC7: return 'e'; /* ê ế ề: the interjection 欸 */
    case 0x012B: case 0x00ED: case 0x01D0: case 0x00EC: return 'i'; /* ī í ǐ ì */
    case 0x014D: case 0x00F3: case 0x01D2: case 0x00F2: return 'o'; /* ō ó ǒ ò */
    case 0x016B: case 0x00FA: case 0x01D4: case 0x00F9: return 'u'; /* ū ú ǔ ù */
    case 0x00FC: case 0x01D6: case 0x01D8: case 0x01DA: case 0x01DC: return 'v'; /* ü ǖ ǘ ǚ ǜ */
    case 0x0144: case 0x0148: case 0x01F9: return 'n'; /* ń ň ǹ */
    case 0x1E3F: return 'm'; /* ḿ */
    default: return -1;
    }
}

static void gen_fold_reading(const char *reading, char out[GEN_SYLLABLE_MAX], unsigned long line)
{
    size_t len = 0;
    const char *s = reading;
    while (*s) {
        uint32_t cp = gen_utf8_next(&s);
        if (cp == 0xFFFFFFFF)
            gen_die(line, "broken UTF-8 in reading", reading);
        int letter = gen_fold_letter(cp);
        if (letter < 0)
            gen_die(line, "reading is not pinyin", reading);
        if (letter == 0)
            continue;
        if (len + 1 >= GEN_SYLLABLE_MAX)
            gen_die(line, "reading longer than any pinyin syllable", reading);
        out[len++] = (char)letter;
    }
    if (len == 0)
        gen_die(line, "empty reading", reading);
    out[len] = '\0';
}

static void gen_add(struct gen_state *state, uint32_t codepoint, int priority, const char *reading,
                    unsigned long line)
{
    if (state->count == state->capacity) {
        state->capacity = state->capacity ? state->capacity * 2 : 65536;
        state->readings = realloc(state->readings, state->capacity * sizeof *state->readings);
        if (!state->readings)
            gen_die(line, "out of memory", NULL);
    }
    struct gen_reading *r = &state->readings[state->count];
    r->codepoint = codepoint;
    r->priority = priority;
    r->sequence = state->count;
    gen_fold_reading(reading, r->syllable, line);
    state->count++;
}

/* Field values are space-separated entries; dictionary fields prefix theirs with locations
 * ("0442.080:háng", "20811.060:háng,xìng") and kHanyuPinlu suffixes a count ("xíng(2943)"). */
static void gen_parse_value(struct gen_state *state, uint32_t codepoint, int priority, char *value,
                            unsigned long line)
{
    char *save = NULL;
    for (char *entry = strtok_r(value, " ", &save); entry; entry = strtok_r(NULL, " ", &save)) {
        char *colon = strrchr(entry, ':');
        char *readings = colon ? colon + 1 : entry;
        char *paren = strchr(readings, '(');
        if (paren)
            *paren = '\0';
        char *save_reading = NULL;
        for (char *reading = strtok_r(readings, ",", &save_reading); reading;
             reading = strtok_r(NULL, ",", &save_reading))
            gen_add(state, codepoint, priority, reading, line);
    }
}

static int gen_compare_by_syllable(const void *a, const void *b)
{
    const struct gen_reading *x = *(const struct gen_reading *const *)a;
    const struct gen_reading *y = *(const struct gen_reading *const *)b;
    return strcmp(x->syllable, y->syllable);
}

static int gen_compare_by_codepoint(const void *a, const void *b)
{
    const struct gen_reading *x = a, *y = b;
    if (x->codepoint != y->codepoint)
        return x->codepoint < y->codepoint ? -1 : 1;
    if (x->priority != y->priority)
        return x->priority < y->priority ? -1 : 1;
    return (x->sequence > y->sequence) - (x->sequence < y->sequence);
}

int main(void)
{
    struct gen_state state = {0};
    char line[GEN_LINE_MAX];
    unsigned long line_number = 0;
    int saw_end = 0; /* the file ends with "# EOF": without it, bzcat died half way */
    while (fgets(line, sizeof line, stdin)) {
        line_number++;
        size_t len = strlen(line);
        if (len && line[len - 1] != '\n' && !feof(stdin))
            gen_die(line_number, "line too long", NULL);
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (line[0] == '#') {
            if (!strcmp(line, "# EOF"))
                saw_end = 1;
            const char *version = strstr(line, "Unicode version: ");
            if (version)
                snprintf(state.unicode_version, sizeof state.unicode_version, "%s", version + 17);
            continue;
        }
        if (strncmp(line, "U+", 2) != 0)
            continue;
        char *tab1 = strchr(line, '\t');
        char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (!tab2)
            gen_die(line_number, "expected CODEPOINT<TAB>FIELD<TAB>VALUE", NULL);
        *tab1 = *tab2 = '\0';
        int priority = -1;
        for (size_t i = 0; i < sizeof gen_fields / sizeof gen_fields[0]; i++)
            if (!strcmp(tab1 + 1, gen_fields[i].name))
                priority = gen_fields[i].priority;
        if (priority < 0)
            continue;
        char *end = NULL;
        unsigned long codepoint = strtoul(line + 2, &end, 16);
        if (*end || codepoint > 0x10FFFF)
            gen_die(line_number, "bad codepoint", line);
        gen_parse_value(&state, (uint32_t)codepoint, priority, tab2 + 1, line_number);
    }
    if (ferror(stdin) || state.count == 0 || !saw_end) {
        fprintf(stderr, "pinyin_gen: no readings, or no \"# EOF\" line, on stdin (expected the whole Unihan_Readings.txt)\n");
        return 1;
    }

    /* Syllable ids: the sorted distinct syllables. */
    struct gen_reading **by_syllable = malloc(state.count * sizeof *by_syllable);
    if (!by_syllable)
        gen_die(line_number, "out of memory", NULL);
    for (size_t i = 0; i < state.count; i++)
        by_syllable[i] = &state.readings[i];
    qsort(by_syllable, state.count, sizeof *by_syllable, gen_compare_by_syllable);
    int syllable_count = 0;
    printf("/* Generated by tools/pinyin_gen from Unihan_Readings.txt (Unicode %s); do not edit.\n"
           " * Fields kMandarin, kHanyuPinlu, kTGHZ2013, kXHC1983, kHanyuPinyin; tones stripped, u-umlaut = v. */\n"
           "#include <stdint.h>\n\n",
           state.unicode_version[0] ? state.unicode_version : "unknown");
    printf("#define PINYIN_TABLE_UNICODE_VERSION \"%s\"\n\n", state.unicode_version);
    printf("static const char pinyin_syllable_pool[] =");
    size_t pool_offset = 0;
    size_t *offsets = malloc((state.count + 1) * sizeof *offsets);
    if (!offsets)
        gen_die(line_number, "out of memory", NULL);
    for (size_t i = 0; i < state.count; i++) {
        if (i == 0 || strcmp(by_syllable[i]->syllable, by_syllable[i - 1]->syllable)) {
            offsets[syllable_count++] = pool_offset;
            pool_offset += strlen(by_syllable[i]->syllable) + 1;
            printf("%s\"%s\\0\"", syllable_count % 10 == 1 ? "\n    " : " ", by_syllable[i]->syllable);
        }
        by_syllable[i]->syllable_id = syllable_count - 1;
    }
    printf(";\n\n#define PINYIN_SYLLABLE_COUNT %d\n", syllable_count);
    printf("static const uint16_t pinyin_syllable_offset[PINYIN_SYLLABLE_COUNT] = {");
    for (int i = 0; i < syllable_count; i++)
        printf("%s%zu,", i % 16 ? " " : "\n    ", offsets[i]);
    printf("\n};\n\n");
    free(offsets);
    free(by_syllable);

    /* Per codepoint: readings in priority order, each syllable once. */
    qsort(state.readings, state.count, sizeof *state.readings, gen_compare_by_codepoint);
    size_t kept = 0, codepoints = 0;
    for (size_t i = 0; i < state.count; i++) {
        struct gen_reading *r = &state.readings[i];
        size_t first = kept;
        while (first > 0 && state.readings[first - 1].codepoint == r->codepoint)
            first--;
        int duplicate = 0;
        for (size_t j = first; j < kept; j++)
            duplicate |= state.readings[j].syllable_id == r->syllable_id;
        if (duplicate)
            continue;
        if (first == kept)
            codepoints++;
        state.readings[kept++] = *r;
    }
    printf("#define PINYIN_CODEPOINT_COUNT %zu\n", codepoints);
    printf("static const uint32_t pinyin_codepoint[PINYIN_CODEPOINT_COUNT] = {");
    size_t n = 0;
    for (size_t i = 0; i < kept; i++)
        if (i == 0 || state.readings[i].codepoint != state.readings[i - 1].codepoint)
            printf("%s0x%X,", n++ % 10 ? " " : "\n    ", (unsigned)state.readings[i].codepoint);
    printf("\n};\n\n/* Readings of pinyin_codepoint[i]: pinyin_reading[pinyin_reading_start[i] .. [i + 1]). */\n");
    printf("static const uint32_t pinyin_reading_start[PINYIN_CODEPOINT_COUNT + 1] = {");
    n = 0;
    for (size_t i = 0; i < kept; i++)
        if (i == 0 || state.readings[i].codepoint != state.readings[i - 1].codepoint)
            printf("%s%zu,", n++ % 12 ? " " : "\n    ", i);
    printf(" %zu,\n};\n\n", kept);
    printf("#define PINYIN_READING_COUNT %zu\n", kept);
    printf("static const uint16_t pinyin_reading[PINYIN_READING_COUNT] = {");
    for (size_t i = 0; i < kept; i++)
        printf("%s%d,", i % 16 ? " " : "\n    ", state.readings[i].syllable_id);
    printf("\n};\n");
    free(state.readings);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "pinyin_gen: cannot write the table\n");
        return 1;
    }
    return 0;
}
