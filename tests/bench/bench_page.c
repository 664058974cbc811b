/* bench_page: the certificate printer's licence page, A4 at 300 dpi (text, ruled table, seal
 * PNG, QR, watermark), drawn and encoded as PCL, timed run by run; and, for Ghostscript as
 * the peer (tools/bench.sh runs it), the same page as a PDF.
 *
 *   bench_page [--runs N] [--pdf FILE --cidfmap FILE] [--config FILE]
 *
 * Prints "first_ms F median_ms M p99_ms P runs N pcl_bytes B" (first: the cold run, glyphs
 * not cached yet; median and p99 over the N warm runs after it).
 *
 * The PDF is written from the page engine's own drawing calls (print_page_recorder), so it
 * holds the same content at the same places: each text line as broken by the same line
 * breaker with the same advances (TJ adjustments), the same font (Noto Sans CJK SC, not
 * embedded: the cidfmap written beside it points Ghostscript at the same .ttc face), the
 * same rules, the seal as the same pixels (Flate, alpha as an SMask), the QR's modules as
 * rectangles and the watermark as rotated light-gray text under the content. */
#include <SDL.h>
#include <SDL_image.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "firmware/storage/config.h"
#include "firmware/gfx/linebreak.h"
#include "drivers/certprinter/pcl.h"
#include "firmware/print/print_layout.h"
#include "firmware/print/print_page.h"
#include "firmware/gfx/text.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ---- the PDF writer, fed by the page's recorder ---- */
#define PT_PER_MM (72.0 / 25.4)
enum { PDF_DPI = 300 };

struct pdf {
    FILE *content, *under;          /* page content; the watermark goes under it */
    char *content_text, *under_text;
    size_t content_len, under_len;
    struct render measure;          /* a 1x1 canvas at dots, for the font engine's advances */
    double page_h_pt;
    unsigned char *image_rgb, *image_alpha;
    int image_w, image_h;
    int has_image;
    double image_x, image_y, image_wd, image_hd;   /* placed, in pt */
};

static struct text_style pdf_style(const struct print_text_style *style)
{
    const double size_pt = style->size_pt > 0 ? style->size_pt : style->size_mm * 72.0 / 25.4;
    return (struct text_style){ .size_du = (int)lround(size_pt * PDF_DPI / 72.0),
                                .weight = style->bold ? TEXT_BOLD : TEXT_REGULAR,
                                .color = { 0, 0, 0, 255 },
                                .align = style->align };
}

struct pdf_measure {
    struct pdf *pdf;
    struct text_style style;
};

static int pdf_measure_cp(uint32_t cp, void *context)
{
    struct pdf_measure *m = context;
    char utf8[5] = { 0 };
    if (cp < 0x80) {
        utf8[0] = (char)cp;
    } else if (cp < 0x800) {
        utf8[0] = (char)(0xC0 | cp >> 6);
        utf8[1] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        utf8[0] = (char)(0xE0 | cp >> 12);
        utf8[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        utf8[2] = (char)(0x80 | (cp & 0x3F));
    } else {
        utf8[0] = (char)(0xF0 | cp >> 18);
        utf8[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        utf8[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        utf8[3] = (char)(0x80 | (cp & 0x3F));
    }
    return text_measure_du(&m->pdf->measure, &m->style, utf8);
}

/* One line, each character placed at the font engine's advance. CJK through the UniGB-UTF16-H
 * CMap (F1/F2: Noto Sans CJK SC); ASCII in Nimbus Sans (F3/F4, Ghostscript's Helvetica):
 * Ghostscript does not map the GB1 CMap's half-width Latin CIDs to Noto's glyphs through a
 * cidfmap, so the Latin letters of the PDF are in another face at the same size and place. */
static void pdf_line(FILE *out, struct pdf_measure *m, const char *text, size_t start, size_t end, double x_pt,
                     double baseline_pt, double size_pt, int bold)
{
    fprintf(out, "BT\n");
    int font = 0;
    double x = x_pt;
    for (size_t off = start; off < end;) {
        uint32_t cp;
        off += linebreak_utf8_next(text + off, end - off, &cp);
        const double advance = pdf_measure_cp(cp, m) * 72.0 / PDF_DPI;
        if (cp == ' ') {
            x += advance;
            continue;
        }
        int want = (cp < 0x80 ? 3 : 1) + (bold ? 1 : 0);
        if (want != font) {
            fprintf(out, "/F%d %.2f Tf ", want, size_pt);
            font = want;
        }
        fprintf(out, "1 0 0 1 %.2f %.2f Tm ", x, baseline_pt);
        if (cp < 0x80)
            fprintf(out, cp == '(' || cp == ')' || cp == '\\' ? "(\\%c) Tj\n" : "(%c) Tj\n", (char)cp);
        else if (cp >= 0x10000)
            fprintf(out, "<%04X%04X> Tj\n", 0xD800 + ((cp - 0x10000) >> 10), 0xDC00 + ((cp - 0x10000) & 0x3FF));
        else
            fprintf(out, "<%04X> Tj\n", cp);
        x += advance;
    }
    fprintf(out, "ET\n");
}

/* A paragraph the way text_draw lays it out: same breaks, same line height, same alignment. */
static void pdf_paragraph(struct pdf *pdf, FILE *out, const struct print_text_style *style, double x_mm, double y_mm,
                          double width_mm, const char *text)
{
    struct pdf_measure m = { pdf, pdf_style(style) };
    const int width_dots = (int)lround(width_mm * PDF_DPI / 25.4);
    struct linebreak_line lines[64];
    size_t count = linebreak_layout(text, width_dots, pdf_measure_cp, &m, lines, 64);
    if (count > 64)
        count = 64;
    const double line_h = text_line_height_du(&pdf->measure, &m.style) * 72.0 / PDF_DPI;
    const double size_pt = m.style.size_du * 72.0 / PDF_DPI;
    for (size_t i = 0; i < count; i++) {
        double line_w = lines[i].width * 72.0 / PDF_DPI;
        double x = x_mm * PT_PER_MM;
        if (style->align == TEXT_ALIGN_CENTER)
            x += (width_mm * PT_PER_MM - line_w) / 2;
        else if (style->align == TEXT_ALIGN_RIGHT)
            x += width_mm * PT_PER_MM - line_w;
        double top = y_mm * PT_PER_MM + i * line_h;
        double baseline = top + (line_h - size_pt) / 2 + 0.88 * size_pt;
        pdf_line(out, &m, text, lines[i].start, lines[i].end, x, pdf->page_h_pt - baseline, size_pt, style->bold);
    }
}

static void rec_text(void *context, const struct print_text_style *style, double x_mm, double y_mm, double width_mm,
                     const char *text)
{
    struct pdf *pdf = context;
    pdf_paragraph(pdf, pdf->content, style, x_mm, y_mm, width_mm, text);
}

static void rec_fill(void *context, double x, double y, double w, double h)
{
    struct pdf *pdf = context;
    fprintf(pdf->content, "%.2f %.2f %.2f %.2f re f\n", x * PT_PER_MM, pdf->page_h_pt - (y + h) * PT_PER_MM,
            w * PT_PER_MM, h * PT_PER_MM);
}

static void rec_ring(void *context, double cx, double cy, double r, double line)
{
    struct pdf *pdf = context;
    const double k = 0.5523 * r * PT_PER_MM, x = cx * PT_PER_MM, y = pdf->page_h_pt - cy * PT_PER_MM,
                 rr = r * PT_PER_MM;
    fprintf(pdf->content,
            "%.2f w %.2f %.2f m %.2f %.2f %.2f %.2f %.2f %.2f c %.2f %.2f %.2f %.2f %.2f %.2f c "
            "%.2f %.2f %.2f %.2f %.2f %.2f c %.2f %.2f %.2f %.2f %.2f %.2f c S\n",
            line * PT_PER_MM, x + rr, y, x + rr, y + k, x + k, y + rr, x, y + rr, x - k, y + rr, x - rr, y + k, x - rr,
            y, x - rr, y - k, x - k, y - rr, x, y - rr, x + k, y - rr, x + rr, y - k, x + rr, y);
}

static void rec_image(void *context, const void *png, size_t png_len, double x, double y, double w, double h)
{
    struct pdf *pdf = context;
    SDL_Surface *loaded = IMG_Load_RW(SDL_RWFromConstMem(png, (int)png_len), 1);
    SDL_Surface *image = loaded ? SDL_ConvertSurfaceFormat(loaded, SDL_PIXELFORMAT_ARGB8888, 0) : NULL;
    SDL_FreeSurface(loaded);
    if (!image || pdf->has_image)
        return;
    pdf->image_w = image->w;
    pdf->image_h = image->h;
    pdf->image_rgb = malloc((size_t)image->w * image->h * 3);
    pdf->image_alpha = malloc((size_t)image->w * image->h);
    for (int j = 0; j < image->h; j++) {
        const uint32_t *row = (const uint32_t *)((const uint8_t *)image->pixels + (size_t)j * image->pitch);
        for (int i = 0; i < image->w; i++) {
            size_t at = (size_t)j * image->w + i;
            pdf->image_rgb[at * 3] = (uint8_t)(row[i] >> 16);
            pdf->image_rgb[at * 3 + 1] = (uint8_t)(row[i] >> 8);
            pdf->image_rgb[at * 3 + 2] = (uint8_t)row[i];
            pdf->image_alpha[at] = (uint8_t)(row[i] >> 24);
        }
    }
    /* Fitted and centred in its box as print_page_image_png does. */
    double scale = fmin(w / image->w, h / image->h);
    pdf->image_wd = image->w * scale * PT_PER_MM;
    pdf->image_hd = image->h * scale * PT_PER_MM;
    pdf->image_x = x * PT_PER_MM + (w * PT_PER_MM - pdf->image_wd) / 2;
    pdf->image_y = pdf->page_h_pt - (y * PT_PER_MM + (h * PT_PER_MM + pdf->image_hd) / 2);
    pdf->has_image = 1;
    SDL_FreeSurface(image);
    fprintf(pdf->content, "q %.2f 0 0 %.2f %.2f %.2f cm /Im1 Do Q\n", pdf->image_wd, pdf->image_hd, pdf->image_x,
            pdf->image_y);
}

static void rec_qr(void *context, const uint8_t *modules, int width, int height, double x, double y, double module,
                   int quiet)
{
    struct pdf *pdf = context;
    const double m = module * PT_PER_MM, x0 = (x + quiet * module) * PT_PER_MM,
                 top = pdf->page_h_pt - (y + quiet * module) * PT_PER_MM;
    /* The quiet zone is painted white, as on the raster (the watermark stays out of it). */
    fprintf(pdf->content, "1 g %.3f %.3f %.3f %.3f re f 0 g\n", x * PT_PER_MM, top - (height + quiet) * m,
            (width + 2 * quiet) * m, (height + 2 * quiet) * m);
    for (int j = 0; j < height; j++)
        for (int i = 0; i < width; i++)
            if (modules[(size_t)j * width + i])
                fprintf(pdf->content, "%.3f %.3f %.3f %.3f re\n", x0 + i * m, top - (j + 1) * m, m, m);
    fprintf(pdf->content, "f\n");
}

/* Rotated light-gray blocks over the page inside a 10 mm margin, the engine's pitch. */
static void rec_watermark(void *context, const char *const *lines, size_t count, double size_pt, double angle)
{
    struct pdf *pdf = context;
    struct print_text_style style = { .size_pt = size_pt, .bold = true, .align = TEXT_ALIGN_CENTER };
    struct text_style ts = pdf_style(&style);
    int width = 1;
    for (size_t i = 0; i < count; i++) {
        int w = text_measure_du(&pdf->measure, &ts, lines[i]);
        if (w > width)
            width = w;
    }
    width += 8;
    const double block_w = width * 25.4 / PDF_DPI, line_h = text_line_height_du(&pdf->measure, &ts) * 25.4 / PDF_DPI;
    const double block_h = line_h * (double)count, pu = block_w * 4.0 / 3.0, pv = block_h * 2.5;
    const double page_w = 210, page_h = 297, a = angle * M_PI / 180.0;
    FILE *out = pdf->under;
    fprintf(out, "q 28.35 28.35 %.2f %.2f re W n 0.75 g\n", (page_w - 20) * PT_PER_MM, (page_h - 20) * PT_PER_MM);
    /* Page centre as origin, rotated: blocks laid in (u, v), v down the page's rotated axis. */
    fprintf(out, "1 0 0 1 %.2f %.2f cm %.5f %.5f %.5f %.5f 0 0 cm\n", page_w / 2 * PT_PER_MM, page_h / 2 * PT_PER_MM,
            cos(a), sin(a), -sin(a), cos(a));
    /* Reuse the paragraph writer in a frame whose y runs down from the block's top: flip the
     * page height to 0 so its "page_h - y" becomes -y. */
    const double saved = pdf->page_h_pt;
    pdf->page_h_pt = 0;
    const int reach = (int)ceil(hypot(page_w, page_h) / 2 / fmin(pu, pv)) + 2;
    for (int r = -reach; r <= reach; r++)
        for (int c = -reach; c <= reach; c++) {
            double u = c * pu - r * pu / 2.0, v = r * pv;
            for (size_t i = 0; i < count; i++)
                pdf_paragraph(pdf, out, &style, u, v + i * line_h, block_w, lines[i]);
        }
    pdf->page_h_pt = saved;
    fprintf(out, "Q\n");
}

static int pdf_write(struct pdf *pdf, const char *path)
{
    fflush(pdf->content);
    fflush(pdf->under);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    long offsets[16];
    int n = 0;
#define PDF_OBJ() (offsets[n] = ftell(f), fprintf(f, "%d 0 obj\n", ++n))
    fprintf(f, "%%PDF-1.5\n%%\xE2\xE3\xCF\xD3\n");
    PDF_OBJ(); /* 1 */
    fprintf(f, "<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    PDF_OBJ(); /* 2 */
    fprintf(f, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
    PDF_OBJ(); /* 3 */
    fprintf(f, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.276 841.89] /Contents 4 0 R /Resources << /Font "
               "<< /F1 5 0 R /F2 6 0 R /F3 11 0 R /F4 12 0 R >> /XObject << /Im1 9 0 R >> >> >>\nendobj\n");
    /* Content: watermark first (under), then the page. Flate, as any PDF writer does. */
    size_t raw_len = pdf->under_len + pdf->content_len;
    unsigned char *raw = malloc(raw_len);
    memcpy(raw, pdf->under_text, pdf->under_len);
    memcpy(raw + pdf->under_len, pdf->content_text, pdf->content_len);
    uLongf packed_len = compressBound(raw_len);
    unsigned char *packed = malloc(packed_len);
    compress2(packed, &packed_len, raw, raw_len, 6);
    PDF_OBJ(); /* 4 */
    fprintf(f, "<< /Length %lu /Filter /FlateDecode >>\nstream\n", (unsigned long)packed_len);
    fwrite(packed, 1, packed_len, f);
    fprintf(f, "\nendstream\nendobj\n");
    free(raw);
    free(packed);
    const char *names[2] = { "NotoSansCJKsc-Regular", "NotoSansCJKsc-Bold" };
    for (int i = 0; i < 2; i++) { /* 5, 6: Type0 fonts; 7, 8: their CIDFonts */
        PDF_OBJ();
        fprintf(f, "<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /UniGB-UTF16-H /DescendantFonts [%d 0 R] "
                   ">>\nendobj\n", names[i], 7 + i);
    }
    for (int i = 0; i < 2; i++) {
        PDF_OBJ();
        fprintf(f, "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) "
                   "/Ordering (GB1) /Supplement 5 >> /DW 1000 /FontDescriptor << /Type /FontDescriptor /FontName /%s "
                   "/Flags 4 /FontBBox [-1000 -300 3000 1000] /ItalicAngle 0 /Ascent 880 /Descent -120 "
                   "/CapHeight 733 /StemV %d >> >>\nendobj\n", names[i], names[i], i ? 140 : 80);
    }
    /* 9: the seal, 10: its alpha. */
    const size_t pixels = (size_t)pdf->image_w * pdf->image_h;
    uLongf rgb_len = compressBound(pixels * 3), alpha_len = compressBound(pixels);
    unsigned char *rgb = malloc(rgb_len), *alpha = malloc(alpha_len);
    if (pdf->has_image) {
        compress2(rgb, &rgb_len, pdf->image_rgb, pixels * 3, 6);
        compress2(alpha, &alpha_len, pdf->image_alpha, pixels, 6);
    } else {
        rgb_len = alpha_len = 0;
    }
    PDF_OBJ();
    fprintf(f, "<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 "
               "/SMask 10 0 R /Filter /FlateDecode /Length %lu >>\nstream\n", pdf->image_w, pdf->image_h,
            (unsigned long)rgb_len);
    fwrite(rgb, 1, rgb_len, f);
    fprintf(f, "\nendstream\nendobj\n");
    PDF_OBJ();
    fprintf(f, "<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 "
               "/Filter /FlateDecode /Length %lu >>\nstream\n", pdf->image_w, pdf->image_h, (unsigned long)alpha_len);
    fwrite(alpha, 1, alpha_len, f);
    fprintf(f, "\nendstream\nendobj\n");
    free(rgb);
    free(alpha);
    PDF_OBJ(); /* 11, 12: Latin */
    fprintf(f, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>\nendobj\n");
    PDF_OBJ();
    fprintf(f, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>\nendobj\n");
    long xref = ftell(f);
    fprintf(f, "xref\n0 %d\n0000000000 65535 f \n", n + 1);
    for (int i = 0; i < n; i++)
        fprintf(f, "%010ld 00000 n \n", offsets[i]);
    fprintf(f, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", n + 1, xref);
    return fclose(f);
#undef PDF_OBJ
}

/* Ghostscript finds the non-embedded CIDFonts in the same font files the kiosk uses. */
static int cidfmap_write(const char *path, const struct config *config)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "/NotoSansCJKsc-Regular << /FileType /TrueType /Path (%s) /SubfontID %d /CSI [(GB1) 5] >> ;\n",
            config->font_regular, config->font_face_index);
    fprintf(f, "/NotoSansCJKsc-Bold << /FileType /TrueType /Path (%s) /SubfontID %d /CSI [(GB1) 5] >> ;\n",
            config->font_bold, config->font_face_index);
    return fclose(f);
}

/* One licence page: draw, to 1-bit, encode as PCL. Returns the PCL size, 0 on failure. */
static size_t bench_one(const struct print_licence *licence, const struct print_page_recorder *recorder)
{
    char err[256];
    struct print_page_setup setup = { .paper = PRINT_PAPER_A4, .dpi = 300 };
    struct print_page *page;
    if (print_page_open(&setup, &page, err, sizeof err) < 0) {
        fprintf(stderr, "bench_page: %s\n", err);
        return 0;
    }
    print_page_set_recorder(page, recorder);
    size_t size = 0;
    struct print_bitmap bitmap;
    if (print_layout_licence(page, licence, NULL, NULL, err, sizeof err) == 0 &&
        print_page_to_bitmap(page, &bitmap) == 0) {
        struct pcl_buffer job;
        pcl_buffer_init(&job);
        struct pcl_bitmap pcl = { bitmap.bits, bitmap.width, bitmap.height, bitmap.stride };
        if (pcl_encode_job(&job, &pcl, PCL_PAPER_A4, 300) == 0)
            size = job.len;
        pcl_buffer_free(&job);
        print_bitmap_free(&bitmap);
    } else {
        fprintf(stderr, "bench_page: %s\n", err);
    }
    print_page_close(page);
    return size;
}

int main(int argc, char **argv)
{
    int runs = 30;
    const char *pdf_path = NULL, *cidfmap_path = NULL, *config_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--pdf") && i + 1 < argc)
            pdf_path = argv[++i];
        else if (!strcmp(argv[i], "--cidfmap") && i + 1 < argc)
            cidfmap_path = argv[++i];
        else if (!strcmp(argv[i], "--config") && i + 1 < argc)
            config_path = argv[++i];
        else {
            fprintf(stderr, "usage: bench_page [--runs N] [--pdf FILE --cidfmap FILE] [--config FILE]\n");
            return 2;
        }
    }
    if (runs < 1 || runs > 10000)
        runs = 30;
    struct config config;
    char err[512];
    config_set_defaults(&config);
    if (config_path && config_load(&config, config_path, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    if (text_init(config.font_regular, config.font_bold, config.font_face_index, err, sizeof err) < 0) {
        fprintf(stderr, "bench_page: %s\n", err);
        return 1;
    }
    /* The licence data as it would arrive: the seal already a PNG (made once, not timed). */
    struct print_licence licence;
    if (print_layout_sample_licence(&licence, config.unit_id, "2026-11-28 09:30", err, sizeof err) < 0) {
        fprintf(stderr, "bench_page: %s\n", err);
        return 1;
    }
    double *times = calloc((size_t)runs, sizeof *times);
    double t0 = now_ms();
    size_t bytes = bench_one(&licence, NULL);
    double first = now_ms() - t0;
    for (int i = 0; i < runs && bytes; i++) {
        t0 = now_ms();
        bytes = bench_one(&licence, NULL);
        times[i] = now_ms() - t0;
    }
    if (!bytes)
        return 1;
    qsort(times, (size_t)runs, sizeof *times, compare_double);
    double median = runs % 2 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
    int p99 = (int)ceil(runs * 0.99) - 1;
    printf("first_ms %.1f median_ms %.1f p99_ms %.1f runs %d pcl_bytes %zu\n", first, median, times[p99], runs, bytes);

    int rc = 0;
    if (pdf_path) {
        struct pdf pdf = { .page_h_pt = 297 * PT_PER_MM };
        pdf.content = open_memstream(&pdf.content_text, &pdf.content_len);
        pdf.under = open_memstream(&pdf.under_text, &pdf.under_len);
        if (render_init_dots(&pdf.measure, 1, 1, err, sizeof err) < 0)
            return 1;
        struct print_page_recorder recorder = { rec_text, rec_fill, rec_ring, rec_image, rec_qr, rec_watermark, &pdf };
        bench_one(&licence, &recorder);
        fprintf(pdf.content, "0 g\n");
        rc = pdf_write(&pdf, pdf_path) < 0 || !cidfmap_path || cidfmap_write(cidfmap_path, &config) < 0;
        if (rc)
            fprintf(stderr, "bench_page: cannot write %s / %s\n", pdf_path, cidfmap_path ? cidfmap_path : "(no --cidfmap)");
        fclose(pdf.content);
        fclose(pdf.under);
        free(pdf.content_text);
        free(pdf.under_text);
        free(pdf.image_rgb);
        free(pdf.image_alpha);
        render_free(&pdf.measure);
    }
    free(times);
    print_layout_sample_free(&licence);
    text_shutdown();
    return rc;
}
