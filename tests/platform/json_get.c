/* json_get FILE PATH: prints the value at PATH in the JSON document FILE ("-" = stdin) and
 * exits 0, or exits 1 when the path is absent or the file is not JSON. PATH is dot
 * separated; a number selects an array element ("shards.0.sha256"); "" is the whole
 * document. Strings print raw, everything else as compact JSON; `#` as the last part prints
 * an array's length. The platform emulator's tests read answers with it (no jq: not a
 * package this project installs). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: json_get FILE PATH\n");
        return 2;
    }
    FILE *f = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "rb");
    if (!f) {
        fprintf(stderr, "json_get: %s: cannot open\n", argv[1]);
        return 1;
    }
    size_t len = 0, cap = 65536;
    char *text = malloc(cap);
    size_t n;
    while (text && (n = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap) {
            char *grown = realloc(text, cap *= 2);
            if (!grown) {
                free(text);
                text = NULL;
            }
            text = grown;
        }
    }
    if (f != stdin)
        fclose(f);
    if (!text)
        return 1;
    text[len] = '\0';
    cJSON *root = cJSON_Parse(text), *node = root;
    free(text);
    if (!root) {
        fprintf(stderr, "json_get: %s: not JSON\n", argv[1]);
        return 1;
    }
    char *path = strdup(argv[2]), *save = NULL;
    for (char *part = strtok_r(path, ".", &save); part && node; part = strtok_r(NULL, ".", &save)) {
        if (strcmp(part, "#") == 0 && cJSON_IsArray(node)) {
            printf("%d\n", cJSON_GetArraySize(node));
            free(path);
            cJSON_Delete(root);
            return 0;
        }
        char *end;
        long index = strtol(part, &end, 10);
        node = cJSON_IsArray(node) && *end == '\0' ? cJSON_GetArrayItem(node, (int)index)
                                                   : cJSON_GetObjectItemCaseSensitive(node, part);
    }
    free(path);
    int rc = 1;
    if (node) {
        if (cJSON_IsString(node)) {
            printf("%s\n", node->valuestring);
        } else {
            char *printed = cJSON_PrintUnformatted(node);
            printf("%s\n", printed ? printed : "");
            free(printed);
        }
        rc = 0;
    }
    cJSON_Delete(root);
    return rc;
}
