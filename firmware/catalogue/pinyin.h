/* Mandarin readings of Chinese characters, from the table generated at build time out of
 * Unicode's Unihan data (tools/pinyin_gen, assets/assets.mk). Readings are plain a–z
 * syllables without tones, ü written v (lv for 绿), as pinyin keyboards type them. A
 * polyphone has every reading the Unihan fields give it (行: xing, hang, heng), the most
 * common first. The table is const: any thread may read it. */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* Number of distinct syllables; ids are 0 .. count-1, in strcmp order of their text. */
size_t pinyin_syllable_count(void);

/* The text of syllable id ("zhong"), or NULL when id is out of range. */
const char *pinyin_syllable_text(size_t id);

/* The syllable ids of a codepoint's readings: sets *ids and returns how many (0 when the
 * codepoint has no Mandarin reading: Latin letters, punctuation, most non-Han characters). */
size_t pinyin_readings(uint32_t codepoint, const uint16_t **ids);

/* The readings as text, space-separated ("xing hang heng"), for logs, tools and tests.
 * Returns the length it needed (as snprintf does); out is always terminated when size > 0. */
size_t pinyin_readings_text(uint32_t codepoint, char *out, size_t size);

/* The Unicode version of the Unihan data the table was generated from ("15.0.0"). */
const char *pinyin_unicode_version(void);
