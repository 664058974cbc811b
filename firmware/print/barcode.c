/* zint wrapper: encodes, renders at one pixel per module (scale 0.5 in zint's units, no
 * whitespace, no border, no human-readable text) and copies the modules out. */
#include "firmware/print/barcode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zint.h>

static int barcode_make(int symbology, int option_1, const char *text, int rows_wanted,
                        struct barcode_matrix *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    struct zint_symbol *symbol = ZBarcode_Create();
    if (!symbol) {
        snprintf(err, errlen, "barcode: out of memory");
        return -1;
    }
    symbol->symbology = symbology;
    symbol->input_mode = UNICODE_MODE;
    symbol->option_1 = option_1;
    symbol->scale = 0.5f; /* zint's X dimension is 2 pixels at scale 1 */
    symbol->show_hrt = 0;
    symbol->whitespace_width = 0;
    symbol->whitespace_height = 0;
    symbol->border_width = 0;
    int status = ZBarcode_Encode(symbol, (const unsigned char *)text, (int)strlen(text));
    if (status < ZINT_ERROR)
        status = ZBarcode_Buffer(symbol, 0);
    if (status >= ZINT_ERROR || !symbol->bitmap || symbol->bitmap_width != symbol->width) {
        snprintf(err, errlen, "barcode: %s", status >= ZINT_ERROR ? symbol->errtxt : "unexpected bitmap size");
        ZBarcode_Delete(symbol);
        return -1;
    }
    int height = rows_wanted ? rows_wanted : symbol->rows;
    if (symbol->bitmap_height < height) {
        snprintf(err, errlen, "barcode: unexpected bitmap height");
        ZBarcode_Delete(symbol);
        return -1;
    }
    out->width = symbol->width;
    out->height = height;
    out->modules = malloc((size_t)out->width * (size_t)out->height);
    if (!out->modules) {
        ZBarcode_Delete(symbol);
        snprintf(err, errlen, "barcode: out of memory");
        return -1;
    }
    for (int y = 0; y < height; y++)
        for (int x = 0; x < out->width; x++) {
            const unsigned char *rgb = symbol->bitmap + ((size_t)y * (size_t)symbol->bitmap_width + (size_t)x) * 3;
            out->modules[(size_t)y * (size_t)out->width + (size_t)x] = rgb[0] < 128;
        }
    ZBarcode_Delete(symbol);
    return 0;
}

int barcode_make_qr(const char *text, enum barcode_qr_ecc ecc, struct barcode_matrix *out, char *err,
                    size_t errlen)
{
    return barcode_make(BARCODE_QRCODE, (int)ecc, text, 0, out, err, errlen);
}

int barcode_make_code128(const char *text, struct barcode_matrix *out, char *err, size_t errlen)
{
    return barcode_make(BARCODE_CODE128, 0, text, 1, out, err, errlen);
}

void barcode_free(struct barcode_matrix *matrix)
{
    free(matrix->modules);
    memset(matrix, 0, sizeof *matrix);
}
