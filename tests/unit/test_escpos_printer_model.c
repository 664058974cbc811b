/* escpos_printer against the sim board's printer model (board/sim/escpos_model, written
 * independently from the same reference): the two parsers agree on a whole job, and paper
 * out mid-receipt leaves a retryable job that, once the roll is replaced and the job sent
 * again, comes out as exactly one complete receipt.
 * Code 128 HRI on paper (GS H, GS f): the digits' rows sit below, above or on both sides of
 * the bars as asked, centred on them, one font cell high (font B smaller than A); code set
 * selectors print nothing and {C pairs print as digits; zbarimg still reads every symbol. */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/escpos/escpos.h"
#include "board/sim/escpos_model.h"
#include "drivers/escpos/escpos_printer.h"
#include "drivers/transport/transport_serial.h"

static char out_dir[] = "/tmp/test_escpos_printer_model.XXXXXX";
static struct escpos_model *model;
static struct transport *transport;
static struct escpos_printer printer;
static struct escpos_buffer job;

static void build_job(int rows)
{
    size_t size = 72 * (size_t)rows;
    uint8_t *bits = calloc(size, 1);
    assert_non_null(bits);
    for (int y = 0; y < rows; y++)
        bits[(size_t)y * 72 + (size_t)(y % 72)] = 0xF0; /* a diagonal */
    struct escpos_bitmap bitmap = {bits, 576, rows, 72};
    assert_int_equal(escpos_append_init(&job), 0);
    assert_int_equal(escpos_append_align(&job, ESCPOS_ALIGN_LEFT), 0);
    assert_int_equal(escpos_append_raster(&job, &bitmap), 0);
    assert_int_equal(escpos_append_code128(&job, "SQ-2026-0001", 80, 2, ESCPOS_HRI_NONE), 0);
    assert_int_equal(escpos_append_feed(&job, 3), 0);
    assert_int_equal(escpos_append_cut(&job, escpos_profile_cut(printer.profile), 0), 0);
    free(bits);
}

static int setup(void **state)
{
    (void)state;
    strcpy(out_dir, "/tmp/test_escpos_printer_model.XXXXXX");
    assert_non_null(mkdtemp(out_dir));
    struct escpos_model_options options = {.out_dir = out_dir, .width_dots = 576};
    assert_int_equal(escpos_model_start(&model, &options), 0);
    assert_int_equal(transport_serial_open(escpos_model_slave_path(model), 115200, &transport), 0);
    /* Over a serial-like link the model answers, as an Epson does over USB. */
    escpos_printer_init(&printer, transport, escpos_profile_find("epson-tm-t70ii"));
    printer.confirm_timeout_ms = 10000; /* the model renders the job before it answers */
    escpos_buffer_init(&job);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    transport_close(transport);
    escpos_model_stop(model);
    escpos_buffer_free(&job);
    /* The model writes only receipt PNGs there. */
    DIR *dir = opendir(out_dir);
    assert_non_null(dir);
    for (struct dirent *entry; (entry = readdir(dir));) {
        if (entry->d_name[0] == '.')
            continue;
        char path[sizeof out_dir + 256];
        snprintf(path, sizeof path, "%s/%s", out_dir, entry->d_name);
        assert_int_equal(unlink(path), 0);
    }
    closedir(dir);
    assert_int_equal(rmdir(out_dir), 0);
    return 0;
}

static void test_job_through_model(void **state)
{
    (void)state;
    build_job(600);
    struct escpos_job_result result;
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_CONFIRMED);
    assert_int_equal(result.condition, ESCPOS_CONDITION_READY);
    struct escpos_model_stats stats;
    escpos_model_get_stats(model, &stats);
    assert_int_equal(stats.errors, 0);
    assert_int_equal(stats.receipts, 1);
    assert_true(stats.rows >= 600);
}

static void test_paper_out_then_retry(void **state)
{
    (void)state;
    assert_int_equal(escpos_model_set_fault(model, "paper-out-after", 200), 0);
    build_job(600);
    struct escpos_job_result result;
    printer.confirm_timeout_ms = 1500;
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_FAILED_RETRYABLE);
    assert_int_equal(result.condition, ESCPOS_CONDITION_PAPER_END);
    struct escpos_model_stats stats;
    escpos_model_get_stats(model, &stats);
    assert_int_equal(stats.receipts, 0);
    /* Still out of paper: a retry sends nothing. */
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_FAILED_RETRYABLE);
    assert_int_equal(result.bytes_sent, 0);
    escpos_model_restore_paper(model);
    assert_int_equal(escpos_model_set_fault(model, "none", 0), 0);
    printer.confirm_timeout_ms = 10000;
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_CONFIRMED);
    escpos_model_get_stats(model, &stats);
    assert_int_equal(stats.receipts, 1);
    assert_int_equal(stats.errors, 0);
}

static void test_cover_open_refused(void **state)
{
    (void)state;
    assert_int_equal(escpos_model_set_fault(model, "cover-open", 0), 0);
    build_job(16);
    struct escpos_job_result result;
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_FAILED_RETRYABLE);
    assert_int_equal(result.condition, ESCPOS_CONDITION_COVER_OPEN);
    assert_int_equal(result.bytes_sent, 0);
}

/* ---- HRI: what a reader of the paper sees ---- */

enum { BAR_HEIGHT = 80 };

/* Sends init, centre, optionally GS f font, a Code 128 (our encoder's bytes for {B text, or
 * raw data with its own code set prefix), 3 lines and a cut; returns the receipt's number. */
static unsigned long print_code128(int hri, int font, const char *text, const unsigned char *raw, size_t raw_length)
{
    struct escpos_buffer head, tail;
    escpos_buffer_init(&head);
    escpos_buffer_init(&tail);
    assert_int_equal(escpos_append_init(&head), 0);
    assert_int_equal(escpos_append_align(&head, ESCPOS_ALIGN_CENTER), 0);
    if (text) {
        assert_int_equal(escpos_append_code128(&tail, text, BAR_HEIGHT, 2, (enum escpos_hri)hri), 0);
    }
    assert_int_equal(escpos_append_feed(&tail, 3), 0);
    assert_int_equal(escpos_append_cut(&tail, escpos_profile_cut(printer.profile), 0), 0);
    uint8_t bytes[1024];
    size_t length = 0;
    memcpy(bytes, head.bytes, head.len);
    length += head.len;
    if (font >= 0) {
        const uint8_t gs_f[] = {0x1D, 0x66, (uint8_t)font};
        memcpy(bytes + length, gs_f, sizeof gs_f);
        length += sizeof gs_f;
    }
    if (raw) {
        const uint8_t command[] = {0x1D, 0x68, BAR_HEIGHT, 0x1D, 0x77, 2, 0x1D, 0x48, (uint8_t)hri,
                                   0x1D, 0x6B, 73, (uint8_t)raw_length};
        memcpy(bytes + length, command, sizeof command);
        length += sizeof command;
        memcpy(bytes + length, raw, raw_length);
        length += raw_length;
    }
    assert_true(length + tail.len <= sizeof bytes);
    memcpy(bytes + length, tail.bytes, tail.len);
    length += tail.len;
    escpos_buffer_free(&head);
    escpos_buffer_free(&tail);

    struct escpos_job_result result;
    escpos_printer_send_job(&printer, bytes, length, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_CONFIRMED);
    struct escpos_model_stats stats;
    escpos_model_get_stats(model, &stats);
    assert_int_equal(stats.errors, 0);
    return stats.receipts;
}

struct paper {
    char path[sizeof out_dir + 32];
    int width, height;
    uint8_t *dots; /* 1 = black */
};

static void paper_load(struct paper *paper, unsigned long receipt)
{
    snprintf(paper->path, sizeof paper->path, "%s/receipt-%04lu.png", out_dir, receipt);
    SDL_Surface *loaded = IMG_Load(paper->path);
    assert_non_null(loaded);
    SDL_Surface *rgba = SDL_ConvertSurfaceFormat(loaded, SDL_PIXELFORMAT_RGBA32, 0);
    SDL_FreeSurface(loaded);
    assert_non_null(rgba);
    paper->width = rgba->w;
    paper->height = rgba->h;
    paper->dots = malloc((size_t)rgba->w * (size_t)rgba->h);
    assert_non_null(paper->dots);
    for (int y = 0; y < rgba->h; y++)
        for (int x = 0; x < rgba->w; x++)
            paper->dots[(size_t)y * (size_t)rgba->w + (size_t)x] =
                ((uint8_t *)rgba->pixels)[(size_t)y * (size_t)rgba->pitch + (size_t)x * 4] == 0;
    SDL_FreeSurface(rgba);
}

static const uint8_t *paper_row(const struct paper *paper, int y)
{
    return paper->dots + (size_t)y * (size_t)paper->width;
}

/* The ink of rows y0..y1-1: how many rows have any, the first and last such row, and the
 * leftmost and rightmost black dot. */
struct ink {
    int rows, top, bottom, left, right;
};

static struct ink paper_ink(const struct paper *paper, int y0, int y1)
{
    struct ink ink = {0, -1, -1, paper->width, -1};
    for (int y = y0; y < y1; y++) {
        int any = 0;
        for (int x = 0; x < paper->width; x++)
            if (paper_row(paper, y)[x]) {
                any = 1;
                ink.left = x < ink.left ? x : ink.left;
                ink.right = x > ink.right ? x : ink.right;
            }
        if (any) {
            ink.rows++;
            ink.top = ink.top < 0 ? y : ink.top;
            ink.bottom = y;
        }
    }
    return ink;
}

/* The bars: the run of BAR_HEIGHT identical inked rows (no text line repeats one row 80
 * times). Sets *top to its first row and returns the bars' ink. */
static struct ink paper_bars(const struct paper *paper, int *top)
{
    for (int y = 0; y + BAR_HEIGHT <= paper->height; y++) {
        int same = 1;
        for (int k = 1; k < BAR_HEIGHT && same; k++)
            same = memcmp(paper_row(paper, y), paper_row(paper, y + k), (size_t)paper->width) == 0;
        struct ink ink = paper_ink(paper, y, y + 1);
        if (same && ink.rows) {
            *top = y;
            return paper_ink(paper, y, y + BAR_HEIGHT);
        }
    }
    fail_msg("no bars in %s", paper->path);
    return (struct ink){0};
}

static void assert_zbar_reads(const char *path, const char *expected)
{
    char command[600], line[600] = "";
    snprintf(command, sizeof command, "zbarimg -q --nodbus --raw '%s' 2>&1", path);
    FILE *zbar = popen(command, "r");
    assert_non_null(zbar);
    char *got = fgets(line, sizeof line, zbar);
    assert_int_equal(pclose(zbar), 0);
    assert_non_null(got);
    line[strcspn(line, "\n")] = '\0';
    assert_string_equal(line, expected);
}

/* The HRI line's ink next to the bars: as high as a digit in its font cell (font A 24 dots,
 * font B 17), starting a few dots from the bars, as wide as the text's cells and centred on
 * the bars. */
static void assert_hri_line(const struct ink *hri, const struct ink *bars, int cell_width, int cell_height,
                            int characters)
{
    int height = hri->bottom - hri->top + 1;
    assert_true(height <= cell_height);
    assert_true(height >= cell_height * 2 / 3);
    assert_int_equal(hri->rows, height); /* one line, no gap inside */
    int width = hri->right - hri->left + 1;
    assert_true(width <= cell_width * characters);
    assert_true(width >= cell_width * (characters - 1));
    int bars_centre2 = bars->left + bars->right, hri_centre2 = hri->left + hri->right;
    assert_true(abs(bars_centre2 - hri_centre2) <= 2 * 3);
}

static void test_hri_below(void **state)
{
    (void)state;
    struct paper paper;
    paper_load(&paper, print_code128(ESCPOS_HRI_BELOW, -1, "SQ-2026-0001", NULL, 0));
    int top;
    struct ink bars = paper_bars(&paper, &top);
    struct ink above = paper_ink(&paper, 0, top);
    struct ink below = paper_ink(&paper, top + BAR_HEIGHT, paper.height);
    assert_int_equal(above.rows, 0);
    assert_true(below.top - (top + BAR_HEIGHT) >= 2 && below.top - (top + BAR_HEIGHT) <= 8);
    assert_hri_line(&below, &bars, 12, 24, 12);
    assert_zbar_reads(paper.path, "SQ-2026-0001");
    free(paper.dots);
}

static void test_hri_none(void **state)
{
    (void)state;
    struct paper paper;
    paper_load(&paper, print_code128(ESCPOS_HRI_NONE, -1, "SQ-2026-0001", NULL, 0));
    int top;
    struct ink bars = paper_bars(&paper, &top);
    struct ink all = paper_ink(&paper, 0, paper.height);
    assert_int_equal(all.rows, BAR_HEIGHT);
    assert_int_equal(all.left, bars.left);
    assert_zbar_reads(paper.path, "SQ-2026-0001");
    free(paper.dots);
}

static void test_hri_both(void **state)
{
    (void)state;
    struct paper paper;
    paper_load(&paper, print_code128(ESCPOS_HRI_BOTH, -1, "SQ-2026-0001", NULL, 0));
    int top;
    struct ink bars = paper_bars(&paper, &top);
    struct ink above = paper_ink(&paper, 0, top);
    struct ink below = paper_ink(&paper, top + BAR_HEIGHT, paper.height);
    assert_hri_line(&above, &bars, 12, 24, 12);
    assert_hri_line(&below, &bars, 12, 24, 12);
    assert_true(top - above.bottom - 1 >= 2 && top - above.bottom - 1 <= 10);
    /* The same text both times, dot for dot. */
    assert_int_equal(above.rows, below.rows);
    for (int k = 0; k < above.rows; k++)
        assert_memory_equal(paper_row(&paper, above.top + k), paper_row(&paper, below.top + k), (size_t)paper.width);
    assert_zbar_reads(paper.path, "SQ-2026-0001");
    free(paper.dots);
}

static void test_hri_font_b_smaller(void **state)
{
    (void)state;
    struct paper a, b;
    paper_load(&a, print_code128(ESCPOS_HRI_BELOW, 0, "SQ-2026-0001", NULL, 0));
    paper_load(&b, print_code128(ESCPOS_HRI_BELOW, 1, "SQ-2026-0001", NULL, 0));
    int top_a, top_b;
    struct ink bars_a = paper_bars(&a, &top_a), bars_b = paper_bars(&b, &top_b);
    struct ink hri_a = paper_ink(&a, top_a + BAR_HEIGHT, a.height);
    struct ink hri_b = paper_ink(&b, top_b + BAR_HEIGHT, b.height);
    assert_hri_line(&hri_a, &bars_a, 12, 24, 12);
    assert_hri_line(&hri_b, &bars_b, 9, 17, 12);
    assert_true(hri_b.rows < hri_a.rows);
    assert_true(hri_b.right - hri_b.left < hri_a.right - hri_a.left);
    /* The receipt is shorter by the cells' difference, no more. */
    assert_int_equal(a.height - b.height, 24 - 17);
    assert_zbar_reads(b.path, "SQ-2026-0001");
    /* ESC @ brings font A back. */
    struct paper again;
    paper_load(&again, print_code128(ESCPOS_HRI_BELOW, -1, "SQ-2026-0001", NULL, 0));
    assert_int_equal(again.height, a.height);
    assert_memory_equal(again.dots, a.dots, (size_t)a.width * (size_t)a.height);
    free(a.dots);
    free(b.dots);
    free(again.dots);
}

/* The HRI rows of one receipt (below the bars) equal another's: same text, same dots. */
static void assert_same_hri(const struct paper *one, const struct paper *other)
{
    int top_one, top_other;
    paper_bars(one, &top_one);
    paper_bars(other, &top_other);
    struct ink hri_one = paper_ink(one, top_one + BAR_HEIGHT, one->height);
    struct ink hri_other = paper_ink(other, top_other + BAR_HEIGHT, other->height);
    assert_true(hri_one.rows > 0);
    assert_int_equal(hri_one.rows, hri_other.rows);
    for (int k = 0; k < hri_one.rows; k++)
        assert_memory_equal(paper_row(one, hri_one.top + k), paper_row(other, hri_other.top + k), (size_t)one->width);
}

static void test_hri_code_sets(void **state)
{
    (void)state;
    /* "No." in set B, then 123456 in set C: the printer's own example (GS k notes). */
    static const unsigned char mixed[] = {'{', 'B', 'N', 'o', '.', '{', 'C', 12, 34, 56};
    static const unsigned char digits[] = {'{', 'C', 12, 34, 56};
    struct paper mixed_paper, digits_paper, b_mixed, b_digits;
    paper_load(&mixed_paper, print_code128(ESCPOS_HRI_BELOW, -1, NULL, mixed, sizeof mixed));
    paper_load(&digits_paper, print_code128(ESCPOS_HRI_BELOW, -1, NULL, digits, sizeof digits));
    paper_load(&b_mixed, print_code128(ESCPOS_HRI_BELOW, -1, "No.123456", NULL, 0));
    paper_load(&b_digits, print_code128(ESCPOS_HRI_BELOW, -1, "123456", NULL, 0));
    /* What a reader sees under the bars does not depend on the code sets. */
    assert_same_hri(&mixed_paper, &b_mixed);
    assert_same_hri(&digits_paper, &b_digits);
    /* The bars do: set C packs two digits a symbol. */
    int top;
    struct ink c_bars = paper_bars(&digits_paper, &top), b_bars = paper_bars(&b_digits, &top);
    assert_true(c_bars.right - c_bars.left < b_bars.right - b_bars.left);
    assert_zbar_reads(mixed_paper.path, "No.123456");
    assert_zbar_reads(digits_paper.path, "123456");
    free(mixed_paper.dots);
    free(digits_paper.dots);
    free(b_mixed.dots);
    free(b_digits.dots);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_job_through_model, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paper_out_then_retry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cover_open_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hri_below, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hri_none, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hri_both, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hri_font_b_smaller, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hri_code_sets, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
