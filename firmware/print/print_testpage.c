/* Test pages for the certificate printer (see print_testpage.h), from the page engine. */
#include "firmware/print/print_testpage.h"

#include <stdio.h>
#include <string.h>

#include "firmware/print/print_layout.h"
#include "firmware/print/print_page.h"

int print_testpage_kind_from_name(const char *name)
{
    if (!strcmp(name, "licence"))
        return PRINT_TESTPAGE_LICENCE;
    if (!strcmp(name, "calibration"))
        return PRINT_TESTPAGE_CALIBRATION;
    return -1;
}

static void add_box(struct print_testpage *out, const struct print_page *page, const char *name, double x_mm,
                    double y_mm, double w_mm, double h_mm)
{
    if (out->box_count >= PRINT_TESTPAGE_BOXES_MAX)
        return;
    struct print_testpage_box *box = &out->boxes[out->box_count++];
    snprintf(box->name, sizeof box->name, "%s", name);
    box->x = print_page_x_dots(page, x_mm);
    box->y = print_page_y_dots(page, y_mm);
    box->w = print_page_length_dots(page, w_mm);
    box->h = print_page_length_dots(page, h_mm);
}

int print_testpage_render(enum print_testpage_kind kind, const char *unit_id, const char *print_time, int offset_x_decimm,
                          int offset_y_decimm, struct print_testpage *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    struct print_page_setup setup = { .paper = PRINT_PAPER_A4, .dpi = PRINT_TESTPAGE_DPI,
                                      .offset_x_decimm = offset_x_decimm, .offset_y_decimm = offset_y_decimm };
    struct print_page *page;
    if (print_page_open(&setup, &page, err, errlen) < 0)
        return -1;
    int status = 0;
    if (kind == PRINT_TESTPAGE_LICENCE) {
        struct print_licence licence;
        status = print_layout_sample_licence(&licence, unit_id, print_time, err, errlen);
        if (status == 0) {
            struct print_area areas[PRINT_LAYOUT_AREAS_MAX];
            size_t count = 0;
            status = print_layout_licence(page, &licence, areas, &count, err, errlen);
            for (size_t i = 0; status == 0 && i < count; i++)
                add_box(out, page, areas[i].name, areas[i].x_mm, areas[i].y_mm, areas[i].width_mm, areas[i].height_mm);
            snprintf(out->qr_text, sizeof out->qr_text, "%s", licence.qr_text ? licence.qr_text : "");
            print_layout_sample_free(&licence);
        }
    } else {
        status = print_layout_calibration(page, PRINT_PAPER_A4, unit_id, offset_x_decimm, offset_y_decimm, err, errlen);
        /* Each crosshair's centre, 2 mm each way: where a technician measures. */
        struct print_calibration_mark marks[PRINT_TESTPAGE_BOXES_MAX];
        size_t n = print_layout_calibration_marks(PRINT_PAPER_A4, marks, PRINT_TESTPAGE_BOXES_MAX);
        for (size_t i = 0; status == 0 && i < n && i < PRINT_TESTPAGE_BOXES_MAX; i++)
            add_box(out, page, "mark", marks[i].x_mm - 2, marks[i].y_mm - 2, 4, 4);
    }
    if (status == 0 && print_page_to_bitmap(page, &out->bitmap) < 0) {
        snprintf(err, errlen, "out of memory for the page");
        status = -1;
    }
    print_page_close(page);
    return status;
}

void print_testpage_free(struct print_testpage *page)
{
    print_bitmap_free(&page->bitmap);
    memset(page, 0, sizeof *page);
}
