/* A verified licence (platform_json.h) as the certificate printer's page: the page engine's
 * licence layout (print_layout.h) with the holder's stated purpose, the print time and the
 * unit in the watermark, at the unit's paper and registration offset, as a 1-bit page for
 * either back end (certprinter.h). */
#pragma once
#include <stddef.h>

#include "firmware/storage/config.h"
#include "firmware/platform/platform_json.h"
#include "firmware/print/print_page.h"
#include "firmware/print/print_raster.h"

#define LICENCE_PRINT_DPI 300

/* 0 with *page (LICENCE_PRINT_DPI) and *paper, or -1 with the reason in err. The page shows
 * the holder's data: the caller wipes it (explicit_bzero) before print_bitmap_free. */
int licence_print_render(const struct platform_licence *licence, const char *purpose, const char *print_time,
                         const struct config *config, struct print_bitmap *page, enum print_paper *paper, char *err,
                         size_t errlen);
