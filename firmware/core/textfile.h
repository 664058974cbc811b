/* Reading a whole file into memory, NUL-terminated, for the parsers of outside files
 * (scripts, catalogues). One place for the size limit and the error wording. */
#pragma once
#include <stddef.h>

/* Reads path into a malloc'd buffer (*text, NUL-terminated, *len bytes without the NUL).
 * Files over max_bytes are refused. 0, or -1 with "path: reason" in err. */
int textfile_read(const char *path, size_t max_bytes, char **text, size_t *len, char *err, size_t errlen);
