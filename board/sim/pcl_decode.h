/* The PCL printer model's decoder: what a PCL 5 laser makes of the bytes it receives,
 * written from ../shared/reference/printers.md B1 independently of drivers/certprinter/pcl.c (the two
 * meet only on the wire). Plain C, no SDL, so a fuzzer runs it alone.
 *
 * Understood: ESC E (reset; a page with marks on it is ejected first, as PCL does), FF
 * (eject), CR/LF (no text is printed: ignored), and the parameterized commands, also in
 * combined form (ESC *r1a2480S): &l#A page size (26 A4, 25 A5), &l#O (0 portrait only),
 * &l#E top margin, *t#R resolution (75/100/150/200/300/600), *r#S width, *r#T height,
 * *p#X / *p#Y cursor in 1/300 inch, *r#A start raster (0 left edge, 1 at the cursor),
 * *b#M compression (0 none, 2 TIFF PackBits), *b#W row data, *b#Y skip rows, *rB / *rC end
 * raster. Anything else, text bytes included, is an error: reported through the hook and
 * skipped, and decoding goes on after it.
 *
 * Paper is the whole sheet at the resolution, its top-left corner the origin (a model with
 * no unprintable border). */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct pcl_decoder_page {
    const uint8_t *bits;        /* 1 = black, MSB leftmost */
    int width, height, dpi;
    size_t stride;
    int paper;                  /* 26 A4, 25 A5 */
};

struct pcl_decoder_hooks {
    /* A page came out (FF, or ESC E after marks). */
    void (*page)(void *context, const struct pcl_decoder_page *page);
    /* One command could not be understood; why names it. */
    void (*error)(void *context, const char *why);
    /* Before each row reaches the paper: 0 to print it, -1 to halt (paper ran out): the row
     * and the page in progress are lost and decoding stops until pcl_decoder_resume. */
    int (*row)(void *context);
    void *context;
};

struct pcl_decoder_stats {
    unsigned long pages, rows, errors, bytes;
};

struct pcl_decoder;

/* 0 or -ENOMEM. hooks may have NULL members. */
int pcl_decoder_new(const struct pcl_decoder_hooks *hooks, struct pcl_decoder **out);
void pcl_decoder_free(struct pcl_decoder *decoder);
/* Takes bytes (keeping a command split across calls) and decodes all it can. While halted
 * the bytes are kept, as a printer's input buffer keeps them. 0 or -ENOMEM. */
int pcl_decoder_feed(struct pcl_decoder *decoder, const uint8_t *bytes, size_t len);
int pcl_decoder_halted(const struct pcl_decoder *decoder);
/* Goes on decoding what was kept (paper loaded). */
void pcl_decoder_resume(struct pcl_decoder *decoder);
/* Drops kept bytes, the page in progress and every setting (a soft reset). */
void pcl_decoder_reset(struct pcl_decoder *decoder);
void pcl_decoder_get_stats(const struct pcl_decoder *decoder, struct pcl_decoder_stats *stats);
