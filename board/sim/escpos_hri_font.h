/* The receipt printer model's HRI fonts: fixed-pitch 1-bit cells as a printer's ROM holds
 * them (font A 12x24 dots, font B 9x17 at 203 dpi), for printable ASCII ' ' to '~'.
 * Generated once by tools/hri_font_gen.c; see escpos_model.c for why a table. */
#ifndef ESCPOS_HRI_FONT_H
#define ESCPOS_HRI_FONT_H

struct escpos_hri_font {
    unsigned width, height;      /* the cell, in dots */
    const char *glyphs[95];      /* ' '..'~': height rows of 3 hex digits, leftmost dot = bit width-1 */
};

extern const struct escpos_hri_font escpos_hri_font_a, escpos_hri_font_b;

#endif
