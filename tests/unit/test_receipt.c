/* Receipts as paper: the guide receipt of a seed catalogue item laid out, encoded, sent over
 * a pty to the receipt printer model (board/sim/escpos_model), and read back from the PNG the
 * model cut — pixel for pixel what the layout drew, 1-bit, the QR readable by zbarimg; paper
 * out in the middle of the receipt, then one complete receipt after the paper is restored.
 * RECEIPT_KEEP=DIR keeps the PNGs for a person to look at. */
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "firmware/catalogue/catalogue.h"
#include "board/sim/escpos_model.h"
#include "drivers/escpos/escpos_printer.h"
#include "firmware/core/i18n.h"
#include "firmware/print/receipt.h"
#include "firmware/print/receipt_guide.h"
#include "firmware/gfx/text.h"
#include "drivers/transport/transport_serial.h"

static struct catalogue *catalogue;
static char out_dir[256];

static int group_setup(void **state)
{
    (void)state;
    char err[512];
    if (text_init("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                  "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2, err, sizeof err) < 0 ||
        catalogue_load_file("assets/catalogue/seed.json", &catalogue, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    i18n_init("build/sim/locale", "zh_CN");
    const char *keep = getenv("RECEIPT_KEEP");
    if (keep)
        snprintf(out_dir, sizeof out_dir, "%s", keep);
    else
        snprintf(out_dir, sizeof out_dir, "/tmp/test_receipt_%d", (int)getpid());
    mkdir(out_dir, 0755);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    catalogue_free(catalogue);
    text_shutdown();
    if (!getenv("RECEIPT_KEEP")) {
        char command[300];
        snprintf(command, sizeof command, "rm -rf %s", out_dir);
        if (system(command) != 0)
            return -1;
    }
    return 0;
}

static const struct catalogue_item *item_with_url(void)
{
    for (size_t i = 0; i < catalogue->item_count; i++)
        if (catalogue->items[i].online_url && catalogue->items[i].material_count >= 3)
            return &catalogue->items[i];
    fail_msg("the seed catalogue has no item with an online address and materials");
    return NULL;
}

static void guide_receipt(const struct catalogue_item *item, struct print_bitmap *image, struct escpos_buffer *job)
{
    struct receipt *receipt = receipt_create(escpos_profile_find("epson-tm-t70ii"));
    assert_non_null(receipt);
    assert_int_equal(receipt_guide_build(receipt, catalogue, item, "LY-SIM-0001", "2026-11-27 23:05"), 0);
    char err[256];
    escpos_buffer_init(job);
    assert_int_equal(receipt_finish(receipt, image, job, err, sizeof err), 0);
    receipt_free(receipt);
}

/* The model's PNG as one byte per dot (1 = black); asserts the file is 1-bit grey. */
static uint8_t *png_dots(const char *path, int *width, int *height)
{
    unsigned char header[26] = { 0 };
    FILE *file = fopen(path, "rb");
    assert_non_null(file);
    assert_int_equal(fread(header, 1, sizeof header, file), sizeof header);
    fclose(file);
    assert_int_equal(header[24], 1); /* bit depth */
    assert_int_equal(header[25], 0); /* grey */
    SDL_Surface *loaded = IMG_Load(path);
    assert_non_null(loaded);
    SDL_Surface *rgba = SDL_ConvertSurfaceFormat(loaded, SDL_PIXELFORMAT_RGBA32, 0);
    SDL_FreeSurface(loaded);
    assert_non_null(rgba);
    *width = rgba->w;
    *height = rgba->h;
    uint8_t *dots = malloc((size_t)rgba->w * (size_t)rgba->h);
    for (int y = 0; y < rgba->h; y++)
        for (int x = 0; x < rgba->w; x++)
            dots[(size_t)y * (size_t)rgba->w + (size_t)x] =
                ((uint8_t *)rgba->pixels)[(size_t)y * (size_t)rgba->pitch + (size_t)x * 4] == 0;
    SDL_FreeSurface(rgba);
    return dots;
}

static void assert_png_is_image(const char *path, const struct print_bitmap *image)
{
    int width, height;
    uint8_t *dots = png_dots(path, &width, &height);
    assert_int_equal(width, image->width);
    assert_int_equal(height, image->height);
    long differ = 0;
    for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
            differ += dots[(size_t)y * (size_t)width + (size_t)x] != print_bitmap_dot(image, x, y);
    free(dots);
    assert_int_equal(differ, 0);
}

static void assert_qr_reads(const char *path, const char *expected)
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

static long ink_in(const struct print_bitmap *image, int y0, int y1)
{
    long ink = 0;
    for (int y = y0; y < y1 && y < image->height; y++)
        for (int x = 0; x < image->width; x++)
            ink += print_bitmap_dot(image, x, y);
    return ink;
}

static void test_guide_receipt_on_paper(void **state)
{
    (void)state;
    const struct catalogue_item *item = item_with_url();
    struct print_bitmap image;
    struct escpos_buffer job;
    guide_receipt(item, &image, &job);
    assert_int_equal(image.width, 576);

    /* layout: ink in the title band, white margins left and right of every row */
    assert_true(ink_in(&image, RECEIPT_MARGIN_DOTS, RECEIPT_MARGIN_DOTS + RECEIPT_TITLE_DOTS) > 500);
    for (int y = 0; y < image.height; y++)
        for (int x = 0; x < RECEIPT_MARGIN_DOTS; x++) {
            assert_int_equal(print_bitmap_dot(&image, x, y), 0);
            assert_int_equal(print_bitmap_dot(&image, image.width - 1 - x, y), 0);
        }

    struct escpos_model *model;
    struct escpos_model_options options = { .out_dir = out_dir, .width_dots = 576 };
    assert_int_equal(escpos_model_start(&model, &options), 0);
    struct transport *transport;
    assert_int_equal(transport_serial_open(escpos_model_slave_path(model), 115200, &transport), 0);
    struct escpos_printer printer;
    escpos_printer_init(&printer, transport, escpos_profile_find("epson-tm-t70ii"));
    struct escpos_job_result result;
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_CONFIRMED);
    struct escpos_model_stats stats;
    escpos_model_get_stats(model, &stats);
    assert_int_equal(stats.receipts, 1);
    assert_int_equal(stats.errors, 0);

    char path[400];
    snprintf(path, sizeof path, "%s/receipt-0001.png", out_dir);
    assert_png_is_image(path, &image);
    assert_qr_reads(path, item->online_url);

    transport_close(transport);
    escpos_model_stop(model);
    escpos_buffer_free(&job);
    print_bitmap_free(&image);
}

static void test_paper_out_mid_receipt_then_one_receipt(void **state)
{
    (void)state;
    const struct catalogue_item *item = item_with_url();
    struct print_bitmap image;
    struct escpos_buffer job;
    guide_receipt(item, &image, &job);

    char dir[300];
    snprintf(dir, sizeof dir, "%s/paper-out", out_dir);
    mkdir(dir, 0755);
    struct escpos_model *model;
    /* the roll runs out a third of the way down the receipt */
    struct escpos_model_options options = { .out_dir = dir, .width_dots = 576, .fault = "paper-out-after",
                                            .fault_rows = (unsigned)image.height / 3 };
    assert_int_equal(escpos_model_start(&model, &options), 0);
    struct transport *transport;
    assert_int_equal(transport_serial_open(escpos_model_slave_path(model), 115200, &transport), 0);
    struct escpos_printer printer;
    escpos_printer_init(&printer, transport, escpos_profile_find("epson-tm-t70ii"));
    printer.confirm_timeout_ms = 3000;
    struct escpos_job_result result;
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_FAILED_RETRYABLE);
    assert_int_equal(result.condition, ESCPOS_CONDITION_PAPER_END);
    struct escpos_model_stats stats;
    escpos_model_get_stats(model, &stats);
    assert_int_equal(stats.receipts, 0);

    escpos_model_restore_paper(model);
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_CONFIRMED);
    escpos_model_get_stats(model, &stats);
    assert_int_equal(stats.receipts, 1);
    char path[400];
    snprintf(path, sizeof path, "%s/receipt-0001.png", dir);
    assert_png_is_image(path, &image);
    snprintf(path, sizeof path, "%s/receipt-0002.png", dir);
    assert_int_equal(access(path, F_OK), -1);

    transport_close(transport);
    escpos_model_stop(model);
    escpos_buffer_free(&job);
    print_bitmap_free(&image);
}

static void test_code_too_wide_is_refused(void **state)
{
    (void)state;
    struct receipt *receipt = receipt_create(escpos_profile_find("generic-58mm"));
    assert_non_null(receipt);
    char text[2000];
    memset(text, 'A', sizeof text - 1); /* ~2,000 characters: a version-30 code, 137 modules */
    text[sizeof text - 1] = '\0';
    receipt_add_qr(receipt, text, NULL);
    struct escpos_buffer job;
    escpos_buffer_init(&job);
    char err[256] = "";
    assert_int_equal(receipt_finish(receipt, NULL, &job, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "does not fit"));
    assert_int_equal(job.len, 0);
    escpos_buffer_free(&job);
    receipt_free(receipt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guide_receipt_on_paper),
        cmocka_unit_test(test_paper_out_mid_receipt_then_one_receipt),
        cmocka_unit_test(test_code_too_wide_is_refused),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
