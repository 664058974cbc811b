/* json_fields: checks one JSON object on stdin against KEY=VALUE (the key holds exactly
 * that string) and !KEY (the key is absent) arguments. The protocol tests use it on
 * kioskctl read-card's output: exact values, not a grep that a reordering or a changed
 * spacing would fool, and no jq (not a Debian package this project installs).
 * Prints nothing and exits 0 when all hold; else one line per mismatch, exit 1. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    static char input[1 << 16];
    size_t length = fread(input, 1, sizeof input - 1, stdin);
    input[length] = 0;
    cJSON *root = cJSON_Parse(input);
    if (!cJSON_IsObject(root)) {
        printf("stdout is not one JSON object: %.80s\n", input);
        cJSON_Delete(root);
        return 1;
    }
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '!') {
            if (cJSON_GetObjectItemCaseSensitive(root, argv[i] + 1)) {
                printf("key %s should be absent\n", argv[i] + 1);
                bad = 1;
            }
            continue;
        }
        char *equals = strchr(argv[i], '=');
        if (!equals) {
            printf("bad argument %s\n", argv[i]);
            bad = 1;
            continue;
        }
        *equals = 0;
        const cJSON *item = cJSON_GetObjectItemCaseSensitive(root, argv[i]);
        if (!cJSON_IsString(item)) {
            printf("key %s: missing or not a string (want \"%s\")\n", argv[i], equals + 1);
            bad = 1;
        } else if (strcmp(item->valuestring, equals + 1) != 0) {
            printf("key %s: \"%s\", want \"%s\"\n", argv[i], item->valuestring, equals + 1);
            bad = 1;
        }
    }
    cJSON_Delete(root);
    return bad;
}
