/* Trust: every cryptographic operation of the kiosk, on mbedTLS 2.28. The only module that
 * includes mbedTLS headers (design section 3).
 *
 *  - signatures: a detached ECDSA P-256 / SHA-256 signature (DER, as `openssl dgst -sha256
 *    -sign` writes it) over given bytes, checked with the platform's public key (PEM file
 *    named by [platform] public_key);
 *  - SHA-256 of a buffer or a file (catalogue shards);
 *  - the unit's own key (P-256, PEM, 0600) and a CSR with CN = unit id for enrollment;
 *  - AES-256-GCM seal/open of personal fields at rest (outbox), with the device key in a
 *    root-only file (0600, created if missing; a hardware key store on real boards later);
 *  - HMAC-SHA256, and from it a person tag that correlates a resident without storing the
 *    ID number.
 * Key material is wiped with mbedtls_platform_zeroize before its memory is released.
 * Thread-safe: no shared state; each call that needs randomness seeds its own DRBG.
 *
 * Errors: negative errno values (-EBADMSG: a signature, tag or hash that does not match;
 * -EINVAL: malformed input; -EIO/-errno: files), and where an err buffer is given one line
 * saying what failed. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define TRUST_SHA256_SIZE 32
#define TRUST_HMAC_SIZE 32
#define TRUST_SEAL_KEY_SIZE 32
#define TRUST_SEAL_NONCE_SIZE 12
#define TRUST_SEAL_TAG_SIZE 16
/* A sealed blob: version byte, nonce, ciphertext, tag. */
#define TRUST_SEAL_OVERHEAD (1 + TRUST_SEAL_NONCE_SIZE + TRUST_SEAL_TAG_SIZE)

/* ---- hashes and MACs ---- */
void trust_sha256(const void *data, size_t len, uint8_t out[TRUST_SHA256_SIZE]);
/* SHA-256 of a file and its size. 0, or -errno with "path: reason" in err. */
int trust_sha256_file(const char *path, uint8_t out[TRUST_SHA256_SIZE], uint64_t *size, char *err, size_t errlen);
void trust_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len, uint8_t out[TRUST_HMAC_SIZE]);
/* Lower-case hex of bytes into out (2 * len + 1 bytes). */
void trust_hex(const uint8_t *bytes, size_t len, char *out);
/* Exactly 2 * len hex digits into bytes; 0 or -EINVAL. */
int trust_hex_decode(const char *hex, uint8_t *bytes, size_t len);
/* Standard base64 (RFC 4648, padded) into out; *out_len set. 0, -EINVAL (not base64) or
 * -ENOSPC (out too small). */
int trust_base64_decode(const char *text, size_t text_len, uint8_t *out, size_t out_size, size_t *out_len);
/* Base64 of bytes into out (NUL-terminated); 0 or -ENOSPC. */
int trust_base64_encode(const uint8_t *bytes, size_t len, char *out, size_t out_size);

/* Cryptographically strong random bytes (CTR-DRBG over the platform entropy). 0 or -EIO. */
int trust_random(void *out, size_t len);
/* A random (version 4) UUID, 36 chars + NUL: idempotency keys. 0 or -EIO. */
int trust_uuid(char out[37]);

/* ---- signatures ---- */
/* Checks a DER ECDSA signature over data with the P-256 public key in PEM file key_path.
 * 0 valid; -EBADMSG does not verify; -EINVAL/-ENOENT key unusable (reason in err). */
int trust_verify_file_key(const char *key_path, const void *data, size_t len, const uint8_t *signature,
                          size_t signature_len, char *err, size_t errlen);
/* The same with the key given as PEM text. */
int trust_verify(const char *public_key_pem, const void *data, size_t len, const uint8_t *signature,
                 size_t signature_len, char *err, size_t errlen);

/* ---- the unit's identity ---- */
/* Generates a P-256 key and writes it as PEM to key_path (0600, replacing the file
 * atomically). 0 or -errno with the reason in err. */
int trust_key_generate(const char *key_path, char *err, size_t errlen);
/* A PKCS#10 CSR (PEM) for the key in key_path with subject CN=common_name, signed with it.
 * 0 or -errno; out needs about 600 bytes. */
int trust_csr_make(const char *key_path, const char *common_name, char *out, size_t out_size, char *err,
                   size_t errlen);

/* ---- personal fields at rest ---- */
struct trust_sealer {
    uint8_t key[TRUST_SEAL_KEY_SIZE];
    uint8_t tag_key[TRUST_HMAC_SIZE]; /* derived: HMAC(key, "kiosk person tag v1") */
};
/* Reads the device key from key_path, creating it (32 random bytes, 0600) if missing; a file
 * of the wrong size or readable by others is refused. 0 or -errno with the reason in err. */
int trust_sealer_open(struct trust_sealer *sealer, const char *key_path, char *err, size_t errlen);
/* Wipes the keys. */
void trust_sealer_close(struct trust_sealer *sealer);
/* Seals plain (len bytes) with AES-256-GCM under a fresh random nonce; aad (may be NULL) is
 * authenticated, not stored: the same aad must be given to open (e.g. the row's idempotency
 * key, so a sealed field cannot be moved to another row). out needs len +
 * TRUST_SEAL_OVERHEAD bytes. 0 or -EIO. */
int trust_seal(const struct trust_sealer *sealer, const void *plain, size_t len, const void *aad, size_t aad_len,
               uint8_t *out);
/* Opens a sealed blob (sealed_len bytes) into out (sealed_len - TRUST_SEAL_OVERHEAD bytes).
 * 0, -EINVAL (too short or unknown version) or -EBADMSG (tampered, other key, other aad). */
int trust_open(const struct trust_sealer *sealer, const uint8_t *sealed, size_t sealed_len, const void *aad,
               size_t aad_len, uint8_t *out);
/* Raw AES-256-GCM with a given nonce, for known-answer tests: callers seal with trust_seal. */
int trust_gcm_encrypt(const uint8_t key[32], const uint8_t *nonce, size_t nonce_len, const void *aad, size_t aad_len,
                      const void *plain, size_t len, uint8_t *cipher, uint8_t tag[TRUST_SEAL_TAG_SIZE]);
/* The person tag: hex HMAC-SHA256 of an identifier (an ID number) under the unit's derived
 * tag key. The same person gives the same tag on this unit; the number cannot be read back. */
void trust_person_tag(const struct trust_sealer *sealer, const char *identifier, char out[2 * TRUST_HMAC_SIZE + 1]);
