/* The platform's answers on arbitrary bytes (firmware/platform/platform_json.c: manifest, error body,
 * enrollment, the licence list and a licence payload), and catalogue deltas
 * (catalogue_apply_delta) on the seed catalogue: the first byte picks the reader. A manifest
 * that parses keeps its promises (shards add up to the document, paths under /v1/, hashes of
 * 64 hex digits); a delta either fails with one line or yields a document. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/catalogue/catalogue.h"
#include "fuzz_check.h"
#include "firmware/platform/platform_json.h"

static struct catalogue *fuzz_seed;

static void fuzz_check_download(const struct platform_download *d)
{
    FUZZ_CHECK(!strncmp(d->path, "/v1/", 4) && !strstr(d->path, ".."));
    FUZZ_CHECK(strlen(d->sha256) == 64);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    char err[300], a[128], b[128];
    switch (data[0] % 6) {
    case 0: {
        struct platform_manifest m;
        if (platform_manifest_parse(text, len, &m, err, sizeof err) == 0) {
            uint64_t total = 0;
            FUZZ_CHECK(m.shard_count >= 1 && m.shard_count <= PLATFORM_SHARDS_MAX);
            for (size_t i = 0; i < m.shard_count; i++) {
                fuzz_check_download(&m.shards[i]);
                total += m.shards[i].size;
            }
            FUZZ_CHECK(total == m.document_size);
            for (size_t i = 0; i < m.delta_count; i++)
                fuzz_check_download(&m.deltas[i].file);
            platform_manifest_free(&m);
        } else {
            FUZZ_CHECK(err[0] && !m.shards);
        }
        break;
    }
    case 1:
        platform_error_parse(text, len, a, sizeof a, b, sizeof b);
        FUZZ_CHECK(strlen(a) < sizeof a && strlen(b) < sizeof b);
        platform_json_string(text, len, "tracking_number", a, sizeof a);
        {
            uint64_t n;
            if (platform_json_count(text, len, "otp_expires_in_s", 3600, &n) == 0)
                FUZZ_CHECK(n <= 3600);
            if (platform_error_detail_count(text, len, "attempts_left", 99, &n) == 0)
                FUZZ_CHECK(n <= 99);
        }
        break;
    case 2: {
        char *certificate, *ca;
        if (platform_enroll_parse(text, len, a, sizeof a, &certificate, &ca, err, sizeof err) == 0) {
            FUZZ_CHECK(certificate && ca && a[0]);
            free(certificate);
            free(ca);
        }
        break;
    }
    case 4: {
        struct platform_licence_entry *entries = NULL;
        size_t count = 0;
        if (platform_licences_parse(text, len, &entries, &count, err, sizeof err) == 0) {
            for (size_t i = 0; i < count; i++)
                FUZZ_CHECK(entries[i].signature_length <= sizeof entries[i].signature);
            platform_licence_entries_free(entries, count);
        } else {
            FUZZ_CHECK(err[0]);
        }
        break;
    }
    case 5: {
        struct platform_licence licence;
        if (platform_licence_parse((const uint8_t *)text, len, &licence, err, sizeof err) == 0) {
            FUZZ_CHECK(licence.field_count <= PLATFORM_LICENCE_FIELDS_MAX);
            platform_licence_free(&licence);
        } else {
            FUZZ_CHECK(err[0]);
        }
        break;
    }
    default: {
        if (!fuzz_seed) {
            char load_err[512];
            if (catalogue_load_file("assets/catalogue/seed.json", &fuzz_seed, load_err, sizeof load_err) < 0)
                abort(); /* the fuzzer runs from the checkout */
        }
        char *document;
        size_t document_len;
        if (catalogue_apply_delta(fuzz_seed, text, len, &document, &document_len, err, sizeof err) == 0) {
            FUZZ_CHECK(document && strlen(document) == document_len);
            struct catalogue *next;
            if (catalogue_parse(document, document_len, &next, err, sizeof err) == 0)
                catalogue_free(next);
            free(document);
        } else {
            FUZZ_CHECK(err[0]);
        }
        break;
    }
    }
    return 0;
}
