/* print_layout: the licence copy and the calibration page (see print_layout.h). */
#include "firmware/print/print_layout.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/gfx/render.h"
#include "firmware/gfx/text.h"

enum { LAYOUT_LINE_MAX = 256 };

static void layout_area(struct print_area *areas, size_t *count, const char *name, double x, double y, double w,
                        double h)
{
    if (!areas || *count >= PRINT_LAYOUT_AREAS_MAX)
        return;
    areas[(*count)++] = (struct print_area){ name, x, y, w, h };
}

int print_layout_licence(struct print_page *page, const struct print_licence *licence, struct print_area *areas,
                         size_t *area_count, char *err, size_t errlen)
{
    size_t count = 0;
    const double page_w = print_page_width_dots(page) * 25.4 / print_page_dpi(page);
    const double page_h = print_page_height_dots(page) * 25.4 / print_page_dpi(page);
    /* A5 is A4 at 0.707: the same layout in smaller type keeps the same look. */
    const double k = page_w / 210.0;
    const double margin = 18 * k, inner_w = page_w - 2 * margin;

    /* The certificate's border: a heavy rule and a hairline inside it. */
    print_page_frame(page, 10 * k, 10 * k, page_w - 20 * k, page_h - 20 * k, 1.0 * k);
    print_page_frame(page, 12 * k, 12 * k, page_w - 24 * k, page_h - 24 * k, 0.25);

    /* QR top right, 0.5 mm modules (6 dots at 300 dpi): a phone reads it off paper easily. */
    double qr_size = 0;
    const double qr_x = page_w - margin - 26 * k, qr_y = 18 * k;
    if (licence->qr_text &&
        print_page_qr(page, licence->qr_text, qr_x, qr_y, 0.5 * k, &qr_size, err, errlen) < 0)
        return -1;
    if (licence->qr_text)
        layout_area(areas, &count, "qr", qr_x, qr_y, qr_size, qr_size);

    struct print_text_style title = { .size_pt = 40 * k, .bold = true, .align = TEXT_ALIGN_CENTER };
    double y = 30 * k;
    double h = print_page_text(page, &title, margin, y, inner_w, licence->title);
    layout_area(areas, &count, "title", margin, y, inner_w, h);
    y += h;
    if (licence->subtitle) {
        struct print_text_style sub = { .size_pt = 16 * k, .align = TEXT_ALIGN_CENTER };
        y += print_page_text(page, &sub, margin, y, inner_w, licence->subtitle);
    }
    y = fmax(y, qr_y + qr_size) + 4 * k;

    struct print_text_style body = { .size_pt = 12 * k, .align = TEXT_ALIGN_LEFT };
    char line[LAYOUT_LINE_MAX];
    if (licence->code) {
        snprintf(line, sizeof line, "%s  %s", licence->code_label ? licence->code_label : "", licence->code);
        h = print_page_text(page, &body, margin, y, inner_w, line);
        layout_area(areas, &count, "code", margin, y, inner_w, h);
        y += h + 3 * k;
    }

    h = print_page_table(page, &body, margin, y, inner_w, 38 * k, licence->fields, licence->field_count);
    layout_area(areas, &count, "table", margin, y, inner_w, h);
    y += h;

    /* Issuer and date bottom right, the seal beside them (not over them: on a mono laser a
     * red seal prints black and would hide the words). */
    const double seal_d = 40 * k;
    const double issuer_w = 80 * k, issuer_x = page_w - margin - issuer_w;
    double issuer_y = fmax(y + 14 * k, page_h - 75 * k);
    struct print_text_style issuer_style = { .size_pt = 13 * k, .align = TEXT_ALIGN_CENTER };
    /* 登记机关 on a line of its own: an issuer's name is never split. */
    h = print_page_text(page, &issuer_style, issuer_x, issuer_y, issuer_w, "登记机关");
    h += print_page_text(page, &issuer_style, issuer_x, issuer_y + h, issuer_w, licence->issuer ? licence->issuer : "");
    h += print_page_text(page, &issuer_style, issuer_x, issuer_y + h, issuer_w,
                         licence->issue_date ? licence->issue_date : "");
    layout_area(areas, &count, "issuer", issuer_x, issuer_y, issuer_w, h);
    if (licence->seal_png) {
        const double seal_x = issuer_x - seal_d - 4 * k, seal_y = issuer_y + h / 2 - seal_d / 2;
        if (print_page_image_png(page, licence->seal_png, licence->seal_png_len, seal_x, seal_y, seal_d, seal_d, err,
                                 errlen) < 0)
            return -1;
        layout_area(areas, &count, "seal", seal_x, seal_y, seal_d, seal_d);
    }

    struct print_text_style small = { .size_pt = 9 * k, .align = TEXT_ALIGN_CENTER };
    const double footer_y = page_h - 24 * k;
    snprintf(line, sizeof line, "本打印件由自助终端 %s 于 %s 打印，与电子证照内容一致，仅限%s使用。",
             licence->unit_id ? licence->unit_id : "", licence->print_time ? licence->print_time : "",
             licence->purpose ? licence->purpose : "");
    h = print_page_text(page, &small, margin, footer_y, inner_w, line);
    layout_area(areas, &count, "footer", margin, footer_y, inner_w, h);

    if (licence->purpose) {
        char purpose[LAYOUT_LINE_MAX], when[LAYOUT_LINE_MAX], unit[LAYOUT_LINE_MAX];
        snprintf(purpose, sizeof purpose, "用途：%s", licence->purpose);
        snprintf(when, sizeof when, "打印时间：%s", licence->print_time ? licence->print_time : "");
        snprintf(unit, sizeof unit, "终端：%s", licence->unit_id ? licence->unit_id : "");
        const char *lines[] = { purpose, when, unit };
        if (print_page_watermark(page, lines, 3, 22 * k, 30, err, errlen) < 0)
            return -1;
    }
    if (area_count)
        *area_count = count;
    return 0;
}

size_t print_layout_calibration_marks(enum print_paper paper, struct print_calibration_mark *marks, size_t max)
{
    double w, h;
    print_paper_size_mm(paper, &w, &h);
    const struct print_calibration_mark all[] = {
        { 20, 20 }, { w - 20, 20 }, { w / 2, h / 2 }, { 20, h - 20 }, { w - 20, h - 20 },
    };
    const size_t n = sizeof all / sizeof all[0];
    for (size_t i = 0; i < n && i < max; i++)
        marks[i] = all[i];
    return n;
}

int print_layout_calibration(struct print_page *page, enum print_paper paper, const char *unit_id,
                             int offset_x_decimm, int offset_y_decimm, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    double w, h;
    print_paper_size_mm(paper, &w, &h);
    const double line = 0.2;
    struct print_text_style label = { .size_pt = 7, .align = TEXT_ALIGN_LEFT };
    char text[LAYOUT_LINE_MAX];

    /* Rulers 8 mm in from the top and left edges: a tick every millimetre, longer every 5,
     * numbered every 10, each tick centred on its millimetre. */
    const double ruler = 8;
    print_page_fill(page, ruler, ruler - line / 2, w - 2 * ruler, line);
    print_page_fill(page, ruler - line / 2, ruler, line, h - 2 * ruler);
    for (int mm = (int)ruler + 2; mm <= (int)(w - ruler); mm++) {
        double len = mm % 10 == 0 ? 5 : mm % 5 == 0 ? 3.5 : 2;
        print_page_fill(page, mm - line / 2, ruler, line, len);
        if (mm % 10 == 0 && mm + 6 < w - ruler) {
            snprintf(text, sizeof text, "%d", mm);
            print_page_text(page, &label, mm + 0.6, ruler + 2.6, 10, text);
        }
    }
    for (int mm = (int)ruler + 2; mm <= (int)(h - ruler); mm++) {
        double len = mm % 10 == 0 ? 5 : mm % 5 == 0 ? 3.5 : 2;
        print_page_fill(page, ruler, mm - line / 2, len, line);
        if (mm % 10 == 0 && mm + 4 < h - ruler) {
            snprintf(text, sizeof text, "%d", mm);
            print_page_text(page, &label, ruler + 2.6, mm + 0.4, 10, text);
        }
    }

    /* Crosshairs: 20 mm arms, a 3 mm ring, the position written beside. */
    struct print_calibration_mark marks[8];
    size_t n = print_layout_calibration_marks(paper, marks, 8);
    for (size_t i = 0; i < n; i++) {
        const double x = marks[i].x_mm, y = marks[i].y_mm;
        print_page_fill(page, x - 10, y - line / 2, 20, line);
        print_page_fill(page, x - line / 2, y - 10, line, 20);
        print_page_ring(page, x, y, 3, line);
        snprintf(text, sizeof text, "(%g, %g) mm", x, y);
        struct print_text_style mark_label = { .size_pt = 8,
                                               .align = x > w / 2 + 1 ? TEXT_ALIGN_RIGHT : TEXT_ALIGN_LEFT };
        print_page_text(page, &mark_label, x > w / 2 + 1 ? x - 32 : x + 2, y + 2, 30, text);
    }

    struct print_text_style heading = { .size_pt = 16, .bold = true, .align = TEXT_ALIGN_CENTER };
    struct print_text_style body = { .size_pt = 10, .align = TEXT_ALIGN_CENTER };
    double y = h / 2 + 18;
    y += print_page_text(page, &heading, 30, y, w - 60, "证照打印机校准页  Calibration page");
    snprintf(text, sizeof text, "终端 Unit %s   纸张 Paper %s   偏移 Offset dx = %+.1f mm, dy = %+.1f mm",
             unit_id ? unit_id : "", print_paper_name(paper), offset_x_decimm / 10.0, offset_y_decimm / 10.0);
    y += print_page_text(page, &body, 30, y, w - 60, text);
    print_page_text(page, &body, 30, y + 2, w - 60,
                    "十字中心应在所标位置（从纸张左边、上边量起，单位毫米）。实测每偏右或偏下 1 毫米，"
                    "就把 [print] offset_x 或 offset_y 减 10（单位 0.1 毫米）。"
                    " Each cross belongs at the millimetres beside it, measured from the paper's left and top edges;"
                    " for each 1 mm it lands right or low, lower offset_x or offset_y by 10.");
    return 0;
}

/* A five-pointed star, filled (the even-odd rule), centred on cx, cy. */
static void layout_fill_star(struct render *render, double cx, double cy, double r_outer, struct ui_color colour)
{
    double px[10], py[10];
    for (int i = 0; i < 10; i++) {
        double r = i % 2 ? r_outer * 0.382 : r_outer;
        double a = -M_PI / 2 + i * M_PI / 5;
        px[i] = cx + r * cos(a);
        py[i] = cy + r * sin(a);
    }
    render_fill_polygon(render, px, py, 10, colour);
}

int print_layout_make_seal_png(const char *line1, const char *line2, int diameter, void **png, size_t *png_len,
                               char *err, size_t errlen)
{
    struct render seal;
    if (render_init_dots(&seal, diameter, diameter, err, errlen) < 0)
        return -1;
    const struct ui_color red = { 220, 20, 30, 255 };
    render_clear(&seal, (struct ui_color){ 255, 255, 255, 0 });
    const int r = diameter / 2;
    render_fill_ring(&seal, r, r, r - 1, r - diameter / 22, 1.0, red, red);
    layout_fill_star(&seal, r, r * 0.78, diameter * 0.14, red);
    struct text_style style = { .size_du = diameter / 12, .weight = TEXT_BOLD, .color = red,
                                .align = TEXT_ALIGN_CENTER };
    /* A long issuer name is set smaller rather than cut: a seal must name its issuer whole. */
    struct text_style style2 = style;
    style.size_du = text_fit_size_du(&seal, &style, diameter * 3 / 4, line1, diameter / 20);
    style2.size_du = text_fit_size_du(&seal, &style2, diameter * 3 / 4, line2, diameter / 20);
    const int line_h = text_line_height_du(&seal, &style);
    text_draw(&seal, &style, (struct ui_rect){ diameter / 8, r + diameter / 20, diameter * 3 / 4, line_h }, line1);
    text_draw(&seal, &style2,
              (struct ui_rect){ diameter / 8, r + diameter / 20 + line_h, diameter * 3 / 4,
                                text_line_height_du(&seal, &style2) },
              line2);
    /* Encoded to PNG in memory: the page takes seals as PNG bytes, as licences deliver them. */
    int rc = render_encode_png(&seal, png, png_len, err, errlen);
    render_free(&seal);
    return rc;
}

/* Invented data throughout: the operator is the reader model's `resident` card holder. */
static const struct print_table_row layout_sample_fields[] = {
    { "名称", "临沂市兰山区三丰便民超市" },
    { "类型", "个体工商户" },
    { "经营者", "张三丰" },
    { "组成形式", "个人经营" },
    { "注册日期", "2020年06月18日" },
    { "经营场所", "山东省临沂市兰山区金雀山路18号" },
    { "经营范围",
      "许可项目：食品销售；烟草制品零售。一般项目：日用百货销售；文具用品零售；家用电器销售；"
      "五金产品零售。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）" },
};

int print_layout_sample_licence(struct print_licence *out, const char *unit_id, const char *print_time, char *err,
                                size_t errlen)
{
    memset(out, 0, sizeof *out);
    void *seal;
    size_t seal_len;
    if (print_layout_make_seal_png("临沂市兰山区", "市场监督管理局", 480, &seal, &seal_len, err, errlen) < 0)
        return -1;
    *out = (struct print_licence){
        .title = "营业执照",
        .subtitle = "（副本）",
        .code_label = "统一社会信用代码",
        .code = "92371302MA3C8K5L7Y",
        .fields = layout_sample_fields,
        .field_count = sizeof layout_sample_fields / sizeof layout_sample_fields[0],
        .issuer = "临沂市兰山区市场监督管理局",
        .issue_date = "2024年03月12日",
        .qr_text = "1.2.156.3005.2.11100000000013338W011.92371302MA3C8K5L7Y.2430599.001.K",
        .seal_png = seal,
        .seal_png_len = seal_len,
        .purpose = "银行开户",
        .print_time = print_time,
        .unit_id = unit_id,
    };
    return 0;
}

void print_layout_sample_free(struct print_licence *licence)
{
    free((void *)licence->seal_png);
    memset(licence, 0, sizeof *licence);
}

int print_layout_draw(const char *kind, const struct print_page_setup *setup, const char *unit_id,
                      const char *print_time, struct print_page **out, char *err, size_t errlen)
{
    if (strcmp(kind, "licence") != 0 && strcmp(kind, "calibration") != 0) {
        snprintf(err, errlen, "unknown page '%s' (licence or calibration)", kind);
        return -1;
    }
    struct print_page *page;
    if (print_page_open(setup, &page, err, errlen) < 0)
        return -1;
    int rc;
    if (strcmp(kind, "calibration") == 0) {
        rc = print_layout_calibration(page, setup->paper, unit_id, setup->offset_x_decimm, setup->offset_y_decimm, err,
                                      errlen);
    } else {
        struct print_licence licence;
        rc = print_layout_sample_licence(&licence, unit_id, print_time ? print_time : "2026-11-28 09:30", err,
                                         errlen);
        if (rc == 0) {
            rc = print_layout_licence(page, &licence, NULL, NULL, err, errlen);
            print_layout_sample_free(&licence);
        }
    }
    if (rc < 0) {
        print_page_close(page);
        return -1;
    }
    *out = page;
    return 0;
}

int print_layout_render_bitmap(const char *kind, const struct print_page_setup *setup, const char *unit_id,
                               struct print_bitmap *out, char *err, size_t errlen)
{
    struct print_page *page;
    if (print_layout_draw(kind, setup, unit_id, NULL, &page, err, errlen) < 0)
        return -1;
    int rc = print_page_to_bitmap(page, out);
    print_page_close(page);
    if (rc < 0)
        snprintf(err, errlen, "out of memory");
    return rc < 0 ? -1 : 0;
}

int print_layout_render_gray(const char *kind, const struct print_page_setup *setup, const char *unit_id,
                             struct print_gray *out, char *err, size_t errlen)
{
    struct print_page *page;
    if (print_layout_draw(kind, setup, unit_id, NULL, &page, err, errlen) < 0)
        return -1;
    int rc = print_page_to_gray(page, out);
    print_page_close(page);
    if (rc < 0)
        snprintf(err, errlen, "out of memory");
    return rc < 0 ? -1 : 0;
}
