/* Test pages for the certificate printer (see print_testpage.h). */
#include "print_testpage.h"

#include <stdio.h>
#include <string.h>

#include "barcode.h"
#include "render.h"
#include "text.h"

/* A4 at 300 dpi: 210 mm × 297 mm. */
#define PAGE_W 2480
#define PAGE_H 3508
#define MM(x) ((int)((x) * PRINT_TESTPAGE_DPI / 25.4 + 0.5))

static const struct ui_color black = { 0, 0, 0, 255 };
static const struct ui_color white = { 255, 255, 255, 255 };

int print_testpage_kind_from_name(const char *name)
{
    if (!strcmp(name, "licence"))
        return PRINT_TESTPAGE_LICENCE;
    if (!strcmp(name, "calibration"))
        return PRINT_TESTPAGE_CALIBRATION;
    return -1;
}

static void add_box(struct print_testpage *page, const char *name, int x, int y, int w, int h)
{
    if (page->box_count < PRINT_TESTPAGE_BOXES_MAX)
        page->boxes[page->box_count++] = (struct print_testpage_box){ name, x, y, w, h };
}

/* Draws text in a box as wide as the layout gives and as tall as the text needs. */
static void draw_text(struct render *r, struct print_testpage *page, const char *name, int size, enum text_weight weight,
                      enum text_align align, int x, int y, int w, const char *text)
{
    struct text_style style = { size, weight, black, align };
    int h = text_height_du(r, &style, w, text);
    text_draw(r, &style, (struct ui_rect){ x, y, w, h }, text);
    add_box(page, name, x, y, w, h);
}

static int draw_licence(struct render *r, struct print_testpage *page, char *err, size_t errlen)
{
    const int left = MM(20), width = PAGE_W - 2 * MM(20);
    draw_text(r, page, "title", 96, TEXT_BOLD, TEXT_ALIGN_CENTER, left, MM(25), width, "电子证照打印测试页");
    /* A frame like a licence's border: 1 mm lines 15 mm in from the edge. */
    const int f = MM(15), t = MM(1);
    render_fill_rect(r, (struct ui_rect){ f, f, PAGE_W - 2 * f, t }, black);
    render_fill_rect(r, (struct ui_rect){ f, PAGE_H - f - t, PAGE_W - 2 * f, t }, black);
    render_fill_rect(r, (struct ui_rect){ f, f, t, PAGE_H - 2 * f }, black);
    render_fill_rect(r, (struct ui_rect){ PAGE_W - f - t, f, t, PAGE_H - 2 * f }, black);
    add_box(page, "frame-top", f, f, PAGE_W - 2 * f, t);
    add_box(page, "frame-bottom", f, PAGE_H - f - t, PAGE_W - 2 * f, t);
    add_box(page, "frame-left", f, f, t, PAGE_H - 2 * f);
    add_box(page, "frame-right", PAGE_W - f - t, f, t, PAGE_H - 2 * f);
    static const char *const fields[] = {
        "证照名称：营业执照（样例）", "持证主体：临沂市示例商贸有限公司", "统一社会信用代码：91371300MA000TEST0",
        "发证机关：临沂市行政审批服务局（样例）", "打印终端：LY-SIM-0001",
    };
    int y = MM(60);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        draw_text(r, page, "field", 50, TEXT_REGULAR, TEXT_ALIGN_LEFT, MM(30), y, PAGE_W - MM(60), fields[i]);
        y += MM(14);
    }
    struct barcode_matrix qr;
    if (barcode_make_qr(PRINT_TESTPAGE_QR_TEXT, BARCODE_QR_ECC_M, &qr, err, errlen) < 0)
        return -1;
    int qw, qh;
    const int qx = PAGE_W - MM(30) - 0, qy = MM(150);
    /* 8 dots a module (0.68 mm): whole dots, read by phone cameras and zbar alike. */
    print_draw_code(r, &qr, qx - (qr.width + 2 * BARCODE_QR_QUIET_MODULES) * 8, qy, 8, 0, BARCODE_QR_QUIET_MODULES,
                    &qw, &qh);
    add_box(page, "qr", qx - qw, qy, qw, qh);
    barcode_free(&qr);
    draw_text(r, page, "qr-caption", 40, TEXT_REGULAR, TEXT_ALIGN_LEFT, MM(30), MM(160), MM(100),
              "扫描右侧二维码核验本证照的真伪。");
    draw_text(r, page, "footer", 40, TEXT_REGULAR, TEXT_ALIGN_CENTER, left, PAGE_H - MM(35), width,
              "本页为打印测试页，不作任何证明用途。");
    return 0;
}

static void draw_cross(struct render *r, struct print_testpage *page, int cx, int cy)
{
    const int arm = MM(8), t = 3; /* 0.25 mm lines: fine enough to measure against */
    render_fill_rect(r, (struct ui_rect){ cx - arm, cy - t / 2, 2 * arm + 1, t }, black);
    render_fill_rect(r, (struct ui_rect){ cx - t / 2, cy - arm, t, 2 * arm + 1 }, black);
    add_box(page, "cross", cx - arm, cy - arm, 2 * arm + 1, 2 * arm + 1);
}

static void draw_calibration(struct render *r, struct print_testpage *page)
{
    /* Crosshairs 20 mm in from each corner and at the centre: a technician lays the sheet
     * on the stock and reads the offset (dx, dy) off the rulers. */
    draw_cross(r, page, MM(20), MM(20));
    draw_cross(r, page, PAGE_W - MM(20), MM(20));
    draw_cross(r, page, MM(20), PAGE_H - MM(20));
    draw_cross(r, page, PAGE_W - MM(20), PAGE_H - MM(20));
    draw_cross(r, page, PAGE_W / 2, PAGE_H / 2);
    /* Rulers along the top and the left, 40 mm in: a tick every mm, longer every 5 and 10. */
    const int ruler_y = MM(40), ruler_x = MM(40);
    for (int mm = 30; mm <= 180; mm++) {
        int len = mm % 10 == 0 ? MM(5) : mm % 5 == 0 ? MM(3) : MM(2);
        render_fill_rect(r, (struct ui_rect){ MM(mm) - 1, ruler_y, 3, len }, black);
    }
    add_box(page, "ruler-top", MM(30) - 1, ruler_y, MM(180) - MM(30) + 3, MM(5));
    for (int mm = 60; mm <= 270; mm++) {
        int len = mm % 10 == 0 ? MM(5) : mm % 5 == 0 ? MM(3) : MM(2);
        render_fill_rect(r, (struct ui_rect){ ruler_x, MM(mm) - 1, len, 3 }, black);
    }
    add_box(page, "ruler-left", ruler_x, MM(60) - 1, MM(5), MM(270) - MM(60) + 3);
    draw_text(r, page, "caption", 44, TEXT_REGULAR, TEXT_ALIGN_LEFT, MM(60), MM(60), MM(120),
              "校准页：十字线距纸边20毫米，刻度每格1毫米。请将本页叠放在证照纸上，读出横向与纵向偏移。");
}

int print_testpage_render(enum print_testpage_kind kind, struct print_testpage *page, char *err, size_t errlen)
{
    memset(page, 0, sizeof *page);
    struct render r;
    if (render_init_dots(&r, PAGE_W, PAGE_H, err, errlen) < 0)
        return -1;
    render_clear(&r, white);
    int status = 0;
    if (kind == PRINT_TESTPAGE_LICENCE)
        status = draw_licence(&r, page, err, errlen);
    else
        draw_calibration(&r, page);
    if (status == 0 && print_bitmap_from_render(&r, PAGE_H, &page->bitmap) < 0) {
        snprintf(err, errlen, "out of memory for the page");
        status = -1;
    }
    render_free(&r);
    return status;
}

void print_testpage_free(struct print_testpage *page)
{
    print_bitmap_free(&page->bitmap);
    memset(page, 0, sizeof *page);
}
