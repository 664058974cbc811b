/* The service item catalogue (政务服务事项 with their guides): the in-memory model, the
 * loader of the JSON format in docs/catalogue-format.md, and its SQLite store.
 *
 * A catalogue is immutable once loaded: search and screens read it from the UI thread; a
 * sync (platform/sync.h) loads a new one on its worker, stores it, and hands it over through
 * the message queue. All strings are UTF-8 and owned by the catalogue. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CATALOGUE_FORMAT "kiosk-catalogue/1"

enum catalogue_level { CATALOGUE_LEVEL_MAIN, CATALOGUE_LEVEL_SUB, CATALOGUE_LEVEL_HANDLING };
enum catalogue_limit_unit { CATALOGUE_UNIT_WORKING_DAYS, CATALOGUE_UNIT_NATURAL_DAYS, CATALOGUE_UNIT_IMMEDIATE };
enum catalogue_form { CATALOGUE_FORM_ORIGINAL, CATALOGUE_FORM_COPY, CATALOGUE_FORM_ORIGINAL_AND_COPY };
enum catalogue_media { CATALOGUE_MEDIA_PAPER, CATALOGUE_MEDIA_ELECTRONIC, CATALOGUE_MEDIA_PAPER_OR_ELECTRONIC };
enum catalogue_source { CATALOGUE_SOURCE_APPLICANT, CATALOGUE_SOURCE_GOVERNMENT, CATALOGUE_SOURCE_THIRD_PARTY };
enum catalogue_result_type { CATALOGUE_RESULT_CERTIFICATE, CATALOGUE_RESULT_APPROVAL, CATALOGUE_RESULT_RECORD,
                             CATALOGUE_RESULT_OTHER };

struct catalogue_hall {
    const char *id, *name, *address, *hours, *phone;
};

struct catalogue_theme {
    const char *id, *name, *description;
    size_t *items; /* indexes into catalogue.items */
    size_t item_count;
};

struct catalogue_step {
    const char *title, *description;
};

struct catalogue_material {
    const char *name;
    bool required;
    const char *condition; /* "" when always */
    enum catalogue_form form;
    int copies;
    enum catalogue_media media;
    enum catalogue_source source;
    bool blank_form, sample;
    const char *e_licence; /* NULL, or the electronic licence that replaces it (免提交) */
    const char *notes;
};

struct catalogue_limit {
    bool present;
    int value;
    enum catalogue_limit_unit unit;
};

struct catalogue_fee {
    const char *name, *standard, *basis;
};

struct catalogue_faq {
    const char *question, *answer;
};

struct catalogue_item {
    const char *name;
    const char *basic_code;
    const char *implementation_code;
    enum catalogue_level level;
    long parent;       /* index into catalogue.items, -1 for a main item */
    size_t child_count; /* items whose parent this is: a heading, not a service to apply for */
    const char *type;  /* 行政许可 … 公共服务 */
    const char *department;
    const char *department_category;
    const char *agency_name, *agency_credit_code;
    const char **legal_basis;
    size_t legal_basis_count;
    const char *conditions;
    bool for_natural_person, for_legal_person;
    struct catalogue_step *steps;
    size_t step_count;
    struct catalogue_material *materials;
    size_t material_count;
    const char **intermediary;
    size_t intermediary_count;
    struct catalogue_limit legal_limit, promised_limit;
    const char *limit_note;
    struct catalogue_fee *fees; /* none = 不收费 */
    size_t fee_count;
    const char *result_name;
    enum catalogue_result_type result_type;
    const char *quantity_limit;
    const char **special_procedures;
    size_t special_procedure_count;
    size_t *window_halls; /* indexes into catalogue.halls; count 0 = no window service */
    size_t window_hall_count;
    int window_visits;
    const char *online_url; /* NULL = not online */
    int online_depth;
    bool mobile, self_service, kiosk_filable;
    size_t *themes; /* indexes into catalogue.themes */
    size_t theme_count;
    const char **keywords;
    size_t keyword_count;
    struct catalogue_faq *faq;
    size_t faq_count;
    int64_t popularity;
    const char *version, *updated;
};

struct catalogue {
    char version[33];
    char published[40];
    char region_code[7];
    const char *region_name;
    struct catalogue_hall *halls;
    size_t hall_count;
    struct catalogue_theme *themes;
    size_t theme_count;
    struct catalogue_item *items;
    size_t item_count;
    /* The JSON text this catalogue was parsed from, as delivered: catalogue_store keeps it
     * so the kiosk parses exactly what was validated at its next start. */
    const char *document;
    size_t document_length;
    void *arena; /* owns every string and array above, the document and the code index */
};

/* Parses and validates a whole document (every rule of docs/catalogue-format.md); any thread
 * may call it, and the calls share nothing. 0 with
 * *out set, or -1 with *out NULL and the first problem as one line in err naming the item
 * (index and code) and the field, e.g.
 * "items[12] (11371300MB28517320…) materials[2].form: must be original, copy or original_and_copy".
 * json need not be NUL-terminated. */
int catalogue_parse(const char *json, size_t len, struct catalogue **out, char *err, size_t errlen);
/* The same from a file; errors start with "PATH: ". */
int catalogue_load_file(const char *path, struct catalogue **out, char *err, size_t errlen);
void catalogue_free(struct catalogue *catalogue);

/* The item with this implementation code, or -1. */
long catalogue_find_code(const struct catalogue *catalogue, const char *implementation_code);

/* Stores the catalogue in the unit's SQLite database (db_path) in one transaction, replacing
 * the one there; on any error the stored catalogue is unchanged. 0 or -1 (reason in err).
 * Tables: catalogue (one row: version, published, region, document, item_count, stored_at)
 * and catalogue_items (one row per item), schema in db.c. */
int catalogue_store(const struct catalogue *catalogue, const char *db_path, char *err, size_t errlen);
/* Loads the stored catalogue (what the kiosk uses at start and after a rejected update): the
 * stored document, parsed and checked again. Errors start with "PATH: "; no catalogue stored
 * yet is one of them. */
int catalogue_load_stored(const char *db_path, struct catalogue **out, char *err, size_t errlen);

/* A kiosk-catalogue-delta/1 (docs/platform-api.md §3) applied to base: the new document's
 * text (malloc'd, NUL-terminated) in *document. Only the edit is done here: the caller
 * parses and checks the result as a whole (catalogue_parse). -1 with one line in err when
 * the delta is malformed or does not fit base (from_version, a changed or removed code it
 * lacks, an added one it has: "broken chain"). */
int catalogue_apply_delta(const struct catalogue *base, const char *delta_json, size_t delta_len, char **document,
                          size_t *document_len, char *err, size_t errlen);

/* GB 32100 unified social credit code check (18 chars, check character valid). */
bool catalogue_credit_code_valid(const char *code);
/* The GB 32100 check character for the first 17 characters of code, or '\0' when code is
 * shorter or one of them is not in the code's alphabet (the synthetic generator makes codes
 * with it). */
char catalogue_credit_code_check_character(const char *code);
