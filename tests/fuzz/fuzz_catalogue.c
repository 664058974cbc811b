/* catalogue_parse on arbitrary bytes: catalogues come from the platform and from files a
 * technician copies. A parse either succeeds with a catalogue that keeps every promise of
 * catalogue.h (indexes in range, levels and parents consistent, codes valid, the document
 * kept byte for byte), or fails with one line naming where. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/catalogue/catalogue.h"
#include "fuzz_check.h"

static void fuzz_check_catalogue(const struct catalogue *c, const uint8_t *data, size_t size)
{
    FUZZ_CHECK(c->document_length == size && !memcmp(c->document, data, size) && c->document[size] == '\0');
    FUZZ_CHECK(c->item_count >= 1);
    FUZZ_CHECK(strlen(c->region_code) == 6);
    for (size_t t = 0; t < c->theme_count; t++) {
        FUZZ_CHECK(c->themes[t].item_count >= 1);
        for (size_t k = 0; k < c->themes[t].item_count; k++)
            FUZZ_CHECK(c->themes[t].items[k] < c->item_count);
    }
    for (size_t i = 0; i < c->item_count; i++) {
        const struct catalogue_item *item = &c->items[i];
        FUZZ_CHECK(catalogue_find_code(c, item->implementation_code) == (long)i);
        FUZZ_CHECK(catalogue_credit_code_valid(item->agency_credit_code));
        FUZZ_CHECK(!strncmp(item->implementation_code, item->agency_credit_code, 18));
        if (item->level == CATALOGUE_LEVEL_MAIN)
            FUZZ_CHECK(item->parent == -1);
        else {
            FUZZ_CHECK(item->parent >= 0 && (size_t)item->parent < c->item_count);
            enum catalogue_level parent = c->items[item->parent].level;
            FUZZ_CHECK(parent == CATALOGUE_LEVEL_MAIN ||
                       (item->level == CATALOGUE_LEVEL_HANDLING && parent == CATALOGUE_LEVEL_SUB));
        }
        FUZZ_CHECK(!item->kiosk_filable || item->self_service);
        for (size_t h = 0; h < item->window_hall_count; h++)
            FUZZ_CHECK(item->window_halls[h] < c->hall_count);
        for (size_t t = 0; t < item->theme_count; t++)
            FUZZ_CHECK(item->themes[t] < c->theme_count);
        FUZZ_CHECK(item->step_count >= 1 && item->legal_basis_count >= 1);
        FUZZ_CHECK(item->for_natural_person || item->for_legal_person);
        for (size_t m = 0; m < item->material_count; m++)
            FUZZ_CHECK(item->materials[m].copies >= 1 && item->materials[m].copies <= 20);
        FUZZ_CHECK(item->popularity >= 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct catalogue *catalogue = NULL;
    char err[512] = "";
    if (catalogue_parse((const char *)data, size, &catalogue, err, sizeof err) == 0) {
        FUZZ_CHECK(catalogue);
        fuzz_check_catalogue(catalogue, data, size);
        catalogue_free(catalogue);
    } else {
        FUZZ_CHECK(!catalogue);
        FUZZ_CHECK(strlen(err) > 10 && !strchr(err, '\n'));
        /* "where: rule": the document, a field of it, or an item */
        FUZZ_CHECK(strstr(err, ": "));
    }
    return 0;
}
