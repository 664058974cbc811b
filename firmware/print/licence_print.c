#include "firmware/print/licence_print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/print/print_layout.h"
#include "firmware/print/print_page.h"

#define LICENCE_SEAL_PIXELS 480 /* about 40 mm at 300 dpi */

int licence_print_render(const struct platform_licence *l, const char *purpose, const char *print_time,
                         const struct config *config, struct print_bitmap *out, enum print_paper *paper, char *err,
                         size_t errlen)
{
    memset(out, 0, sizeof *out);
    struct print_table_row rows[PLATFORM_LICENCE_FIELDS_MAX];
    for (size_t i = 0; i < l->field_count; i++)
        rows[i] = (struct print_table_row){ l->field_labels[i], l->field_values[i] };
    void *seal = NULL;
    size_t seal_len = 0;
    /* The platform names the seal; its image is drawn here, as the sample's is. */
    /* "临沂市公安局兰山分局户籍专用章": the issuer on the first line, the seal's kind under it. */
    const char *line1 = l->seal_text, *line2 = "";
    char issuer_part[256];
    size_t issuer_len = strlen(l->issuer);
    if (issuer_len && issuer_len < sizeof issuer_part && !strncmp(l->seal_text, l->issuer, issuer_len) &&
        l->seal_text[issuer_len]) {
        memcpy(issuer_part, l->seal_text, issuer_len);
        issuer_part[issuer_len] = '\0';
        line1 = issuer_part;
        line2 = l->seal_text + issuer_len;
    }
    if (l->seal_text[0] && print_layout_make_seal_png(line1, line2, LICENCE_SEAL_PIXELS, &seal, &seal_len, err, errlen) < 0)
        return -1;
    const struct print_licence page_content = {
        .title = l->title[0] ? l->title : l->name,
        .code_label = "证照编号",
        .code = l->number,
        .fields = rows,
        .field_count = l->field_count,
        .issuer = l->issuer_line[0] ? l->issuer_line : l->issuer,
        .issue_date = l->issued_on,
        .qr_text = l->qr[0] ? l->qr : l->licence_id,
        .seal_png = seal,
        .seal_png_len = seal_len,
        .purpose = purpose,
        .print_time = print_time,
        .unit_id = config->unit_id,
    };
    struct print_page_setup setup = { .dpi = LICENCE_PRINT_DPI, .offset_x_decimm = config->print_offset_x_decimm,
                                      .offset_y_decimm = config->print_offset_y_decimm };
    if (print_paper_parse(config->print_paper, &setup.paper) < 0)
        setup.paper = PRINT_PAPER_A4;
    struct print_page *page;
    if (print_page_open(&setup, &page, err, errlen) < 0) {
        free(seal);
        return -1;
    }
    struct print_bitmap bitmap = { 0 };
    int rc = print_layout_licence(page, &page_content, NULL, NULL, err, errlen);
    if (rc == 0 && print_page_to_bitmap(page, &bitmap) < 0) {
        snprintf(err, errlen, "licence page: out of memory");
        rc = -1;
    }
    print_page_close(page);
    free(seal);
    if (rc < 0)
        return -1;
    *out = bitmap;
    *paper = setup.paper;
    return 0;
}
