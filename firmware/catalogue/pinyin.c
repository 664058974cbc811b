/* Lookups in the generated pinyin table (see pinyin.h). The table is a sorted codepoint
 * array with slices into one array of syllable ids: about 430 KB of const data, and a
 * binary search (16 steps) per lookup, which the search index does once per distinct
 * character when it is built, never per keystroke. */
#include "firmware/catalogue/pinyin.h"

#include <stdio.h>
#include <string.h>

#include "pinyin_table.h"

size_t pinyin_syllable_count(void)
{
    return PINYIN_SYLLABLE_COUNT;
}

const char *pinyin_syllable_text(size_t id)
{
    if (id >= PINYIN_SYLLABLE_COUNT)
        return NULL;
    return pinyin_syllable_pool + pinyin_syllable_offset[id];
}

size_t pinyin_readings(uint32_t codepoint, const uint16_t **ids)
{
    size_t low = 0, high = PINYIN_CODEPOINT_COUNT;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (pinyin_codepoint[middle] < codepoint)
            low = middle + 1;
        else
            high = middle;
    }
    if (low == PINYIN_CODEPOINT_COUNT || pinyin_codepoint[low] != codepoint) {
        *ids = NULL;
        return 0;
    }
    *ids = pinyin_reading + pinyin_reading_start[low];
    return pinyin_reading_start[low + 1] - pinyin_reading_start[low];
}

size_t pinyin_readings_text(uint32_t codepoint, char *out, size_t size)
{
    const uint16_t *ids;
    size_t count = pinyin_readings(codepoint, &ids), needed = 0;
    if (size > 0)
        out[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        const char *text = pinyin_syllable_text(ids[i]);
        int n = snprintf(size > needed ? out + needed : NULL, size > needed ? size - needed : 0,
                         "%s%s", i ? " " : "", text);
        if (n > 0)
            needed += (size_t)n;
    }
    return needed;
}

const char *pinyin_unicode_version(void)
{
    return PINYIN_TABLE_UNICODE_VERSION;
}
