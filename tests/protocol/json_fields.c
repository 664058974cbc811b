/* json_fields: checks one JSON object on stdin against KEY=VALUE (the key holds exactly
 * that string) and !KEY (the key is absent) arguments; with --exact first, any other key
 * is a mismatch too (read-card leaves out the keys a card kind does not have). The protocol tests use it on
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
    int exact = argc > 1 && strcmp(argv[1], "--exact") == 0;
    if (exact) {
        for (const cJSON *item = root->child; item; item = item->next) {
            int named = 0;
            size_t key_length = strlen(item->string);
            for (int i = 2; i < argc && !named; i++)
                named = strncmp(argv[i], item->string, key_length) == 0 && argv[i][key_length] == '=';
            if (!named) {
                printf("unexpected key %s\n", item->string);
                bad = 1;
            }
        }
    }
    for (int i = 1 + exact; i < argc; i++) {
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
