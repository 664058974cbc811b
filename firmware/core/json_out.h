/* Writing JSON by hand for command-line output (kioskctl): strings escaped per RFC 8259.
 * cJSON stays in the catalogue module; output this small needs no tree. */
#pragma once
#include <stdio.h>

/* Writes s as a JSON string literal with its quotes: " \ and control characters escaped,
 * other UTF-8 bytes passed through as they are. */
void json_out_string(FILE *out, const char *s);
/* Writes ,"key":"value" (no comma before the first member: *first is then cleared). */
void json_out_member(FILE *out, int *first, const char *key, const char *value);
