/* ESC/POS encoder. Byte facts: ../shared/reference/printers.md A1-A4. */
#include "drivers/escpos/escpos.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void escpos_buffer_init(struct escpos_buffer *buffer)
{
    memset(buffer, 0, sizeof *buffer);
}

void escpos_buffer_free(struct escpos_buffer *buffer)
{
    free(buffer->bytes);
    escpos_buffer_init(buffer);
}

/* Makes room for more bytes, so that an append never fails half-way through a command. */
static int escpos_buffer_reserve(struct escpos_buffer *buffer, size_t more)
{
    if (more > SIZE_MAX / 2 - buffer->len)
        return -ENOMEM;
    size_t need = buffer->len + more;
    if (need <= buffer->capacity)
        return 0;
    size_t capacity = buffer->capacity ? buffer->capacity : 256;
    while (capacity < need)
        capacity *= 2;
    uint8_t *bytes = realloc(buffer->bytes, capacity);
    if (!bytes)
        return -ENOMEM;
    buffer->bytes = bytes;
    buffer->capacity = capacity;
    return 0;
}

static int escpos_append_bytes(struct escpos_buffer *buffer, const uint8_t *bytes, size_t len)
{
    int r = escpos_buffer_reserve(buffer, len);
    if (r < 0)
        return r;
    memcpy(buffer->bytes + buffer->len, bytes, len);
    buffer->len += len;
    return 0;
}

int escpos_append_init(struct escpos_buffer *buffer)
{
    static const uint8_t init[] = {0x1B, 0x40};
    return escpos_append_bytes(buffer, init, sizeof init);
}

int escpos_append_align(struct escpos_buffer *buffer, enum escpos_align align)
{
    if (align != ESCPOS_ALIGN_LEFT && align != ESCPOS_ALIGN_CENTER && align != ESCPOS_ALIGN_RIGHT)
        return -EINVAL;
    const uint8_t cmd[] = {0x1B, 0x61, (uint8_t)align};
    return escpos_append_bytes(buffer, cmd, sizeof cmd);
}

int escpos_band_rows(size_t row_bytes)
{
    if (row_bytes == 0 || row_bytes > ESCPOS_BAND_BYTES_MAX / 8)
        return 0;
    /* Multiples of 8 rows: fewer visible seams between bands (py-escpos#65). */
    return (int)(ESCPOS_BAND_BYTES_MAX / row_bytes / 8 * 8);
}

int escpos_append_raster(struct escpos_buffer *buffer, const struct escpos_bitmap *bitmap)
{
    if (!bitmap->bits || bitmap->width <= 0 || bitmap->height <= 0)
        return -EINVAL;
    size_t row_bytes = ((size_t)bitmap->width + 7) / 8;
    if (bitmap->stride < row_bytes)
        return -EINVAL;
    int band_rows = escpos_band_rows(row_bytes);
    if (band_rows == 0)
        return -EINVAL;
    int bands = (bitmap->height + band_rows - 1) / band_rows;
    size_t total = (size_t)bands * 8 + row_bytes * (size_t)bitmap->height;
    int r = escpos_buffer_reserve(buffer, total);
    if (r < 0)
        return r;
    /* A printer would print stray dots from padding bits, so they are masked white. */
    int spare = (int)(row_bytes * 8) - bitmap->width;
    uint8_t last_mask = (uint8_t)(0xFF << spare);
    for (int top = 0; top < bitmap->height; top += band_rows) {
        int rows = bitmap->height - top < band_rows ? bitmap->height - top : band_rows;
        uint8_t *out = buffer->bytes + buffer->len;
        out[0] = 0x1D;
        out[1] = 0x76;
        out[2] = 0x30;
        out[3] = 0; /* normal size: one bitmap dot per printer dot */
        out[4] = (uint8_t)(row_bytes & 0xFF);
        out[5] = (uint8_t)(row_bytes >> 8);
        out[6] = (uint8_t)(rows & 0xFF);
        out[7] = (uint8_t)(rows >> 8);
        out += 8;
        for (int y = top; y < top + rows; y++) {
            memcpy(out, bitmap->bits + (size_t)y * bitmap->stride, row_bytes);
            out[row_bytes - 1] &= last_mask;
            out += row_bytes;
        }
        buffer->len = (size_t)(out - buffer->bytes);
    }
    return 0;
}

int escpos_append_code128(struct escpos_buffer *buffer, const char *text, int height_dots, int module_width,
                          enum escpos_hri hri)
{
    size_t len = strlen(text);
    if (len == 0 || len > 253 || height_dots < 1 || height_dots > 255 || module_width < 2 || module_width > 6 ||
        hri < ESCPOS_HRI_NONE || hri > ESCPOS_HRI_BOTH)
        return -EINVAL;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] < 0x20 || (unsigned char)text[i] > 0x7E)
            return -EINVAL;
    /* A '{' in the data would be read as a code set switch ("{{" is a literal '{'). */
    if (strchr(text, '{'))
        return -EINVAL;
    const uint8_t head[] = {0x1D, 0x68, (uint8_t)height_dots, 0x1D, 0x77, (uint8_t)module_width,
                            0x1D, 0x48, (uint8_t)hri,         0x1D, 0x6B, 73,
                            (uint8_t)(len + 2), '{', 'B'};
    int r = escpos_buffer_reserve(buffer, sizeof head + len);
    if (r < 0)
        return r;
    escpos_append_bytes(buffer, head, sizeof head);
    escpos_append_bytes(buffer, (const uint8_t *)text, len);
    return 0;
}

int escpos_append_feed(struct escpos_buffer *buffer, int lines)
{
    if (lines < 0 || lines > 255)
        return -EINVAL;
    const uint8_t cmd[] = {0x1B, 0x64, (uint8_t)lines};
    return escpos_append_bytes(buffer, cmd, sizeof cmd);
}

int escpos_append_cut(struct escpos_buffer *buffer, enum escpos_cut cut, int feed_units)
{
    if (feed_units < 0 || feed_units > 255)
        return -EINVAL;
    uint8_t cmd[4] = {0x1D, 0x56, 0, (uint8_t)feed_units};
    size_t len = 3;
    switch (cut) {
    case ESCPOS_CUT_FULL: cmd[2] = 0x00; break;
    case ESCPOS_CUT_PARTIAL: cmd[2] = 0x01; break;
    case ESCPOS_CUT_FEED_FULL: cmd[2] = 0x41; len = 4; break;
    case ESCPOS_CUT_FEED_PARTIAL: cmd[2] = 0x42; len = 4; break;
    default: return -EINVAL;
    }
    return escpos_append_bytes(buffer, cmd, len);
}

int escpos_append_processed_query(struct escpos_buffer *buffer)
{
    static const uint8_t cmd[] = {0x1D, 0x72, 0x01};
    return escpos_append_bytes(buffer, cmd, sizeof cmd);
}
