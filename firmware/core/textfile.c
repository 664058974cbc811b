#include "firmware/core/textfile.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int textfile_read(const char *path, size_t max_bytes, char **text, size_t *len, char *err, size_t errlen)
{
    *text = NULL;
    *len = 0;
    FILE *file = fopen(path, "rb");
    if (!file) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    char *buffer = NULL;
    size_t used = 0, capacity = 0;
    for (;;) {
        if (used + 1 >= capacity) { /* always room for the NUL */
            size_t bigger = capacity ? capacity * 2 : 1 << 16;
            char *grown = realloc(buffer, bigger);
            if (!grown) {
                snprintf(err, errlen, "%s: out of memory", path);
                free(buffer);
                fclose(file);
                return -1;
            }
            buffer = grown;
            capacity = bigger;
        }
        size_t n = fread(buffer + used, 1, capacity - used - 1, file);
        used += n;
        if (used > max_bytes) {
            snprintf(err, errlen, "%s: file too large (more than %zu bytes)", path, max_bytes);
            free(buffer);
            fclose(file);
            return -1;
        }
        if (n == 0)
            break;
    }
    bool read_error = ferror(file);
    int saved_errno = errno;
    fclose(file);
    if (read_error) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(saved_errno));
        free(buffer);
        return -1;
    }
    buffer[used] = '\0';
    *text = buffer;
    *len = used;
    return 0;
}
