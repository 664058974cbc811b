/* QR codes and Code 128 as module matrices, from zint (the only file that includes zint.h).
 * Printers draw each module as a whole number of dots and add the quiet zone themselves, so
 * a code is never resampled and stays readable on a thermal head or a laser at any dpi. */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct barcode_matrix {
    int width, height; /* in modules, quiet zone not included */
    uint8_t *modules;  /* width * height bytes, row-major, 1 = dark */
};

enum barcode_qr_ecc { BARCODE_QR_ECC_L = 1, BARCODE_QR_ECC_M = 2, BARCODE_QR_ECC_Q = 3, BARCODE_QR_ECC_H = 4 };

/* QR of UTF-8 text (zint adds ECI 26 when the text is not Latin-1). 0, or -1 with zint's
 * reason in err. */
int barcode_make_qr(const char *text, enum barcode_qr_ecc ecc, struct barcode_matrix *out, char *err,
                    size_t errlen);
/* Code 128 of printable ASCII, one row of modules (height 1); quiet zone of 10 modules is
 * the caller's. 0, or -1 with zint's reason in err. */
int barcode_make_code128(const char *text, struct barcode_matrix *out, char *err, size_t errlen);
static inline int barcode_module_dark(const struct barcode_matrix *m, int x, int y)
{
    return m->modules[(size_t)y * (size_t)m->width + (size_t)x];
}
void barcode_free(struct barcode_matrix *matrix);

/* Modules of quiet zone the standards ask for: QR 4, Code 128 10. */
#define BARCODE_QR_QUIET_MODULES 4
#define BARCODE_CODE128_QUIET_MODULES 10
