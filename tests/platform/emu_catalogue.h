/* The catalogue as the emulator publishes it (docs/platform-api.md §3): each published
 * kiosk-catalogue/1 document is kept as a blob (DATA/blobs/SHA256) and served as shards
 * (byte ranges of it), each new version also as a delta from the previous one, and a
 * manifest listing both that handlers sign when they serve it. Blobs of other kinds (the
 * firmware image) live in the same store. Call with no lock held; each function takes the
 * database lock itself. */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* Publishes initial_path when nothing is published yet or when its version is newer than
 * the published one (NULL: keep what is published). shard_size: bytes per shard. */
int emu_catalogue_open(const char *data_dir, const char *initial_path, size_t shard_size, char *err, size_t errlen);
void emu_catalogue_close(void);

/* Publishes a whole document read from a file; its version must be newer. with_delta 0:
 * no delta from the previous version, so the manifest's chain is broken (the kiosk must
 * fall back to a full resync). */
int emu_catalogue_publish_file(const char *path, int with_delta, char *version, size_t version_size, char *err,
                               size_t errlen);
/* Publishes a new version made from the current one: `changed` items get a new item version
 * and popularity, `added` items are copies of untheme'd handling items under new codes,
 * `removed` untheme'd handling items are dropped. */
int emu_catalogue_mutate(unsigned changed, unsigned added, unsigned removed, int with_delta, char *version,
                         size_t version_size, char *err, size_t errlen);

/* The current manifest's bytes (malloc'd copy) and version. */
int emu_catalogue_manifest(char **body, size_t *len, char *version, size_t version_size);

/* A JSON copy of one item of the current catalogue (malloc'd), or NULL. */
char *emu_catalogue_item(const char *implementation_code);
/* How many items the current catalogue has. */
size_t emu_catalogue_item_count(void);

/* Blobs by kind ("shard", "delta", "firmware") and SHA-256 hex: 0 and the size, or -1. */
int emu_catalogue_blob_size(const char *kind, const char *sha256, uint64_t *size);
/* count bytes from offset first of that blob into a malloc'd buffer; 0 or -1. */
int emu_catalogue_blob_read(const char *kind, const char *sha256, uint64_t first, size_t count, char **data);
/* Stores data as a blob of kind (one piece); writes its SHA-256 hex. */
int emu_catalogue_blob_store(const char *kind, const void *data, size_t len, char sha256[65]);
