#include "firmware/platform/trust.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/base64.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/gcm.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_csr.h>

#define TRUST_SEAL_VERSION 1
#define TRUST_KEY_PEM_MAX 1024

static void trust_mbedtls_reason(int rc, char *out, size_t size)
{
    char text[160];
    mbedtls_strerror(rc, text, sizeof text);
    snprintf(out, size, "%s (-0x%04x)", text, (unsigned)-rc);
}

/* ---- hashes, MACs, encodings --------------------------------------------------------- */
void trust_sha256(const void *data, size_t len, uint8_t out[TRUST_SHA256_SIZE])
{
    /* Cannot fail with the software implementation Debian builds. */
    (void)mbedtls_sha256_ret(data, len, out, 0);
}

int trust_sha256_file(const char *path, uint8_t out[TRUST_SHA256_SIZE], uint64_t *size, char *err, size_t errlen)
{
    FILE *file = fopen(path, "rb");
    if (!file) {
        int e = errno;
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(e));
        return -e;
    }
    mbedtls_sha256_context context;
    mbedtls_sha256_init(&context);
    mbedtls_sha256_starts_ret(&context, 0);
    uint8_t buffer[65536];
    uint64_t total = 0;
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, file)) > 0) {
        mbedtls_sha256_update_ret(&context, buffer, n);
        total += n;
    }
    int rc = 0;
    if (ferror(file)) {
        snprintf(err, errlen, "%s: read error", path);
        rc = -EIO;
    }
    fclose(file);
    mbedtls_sha256_finish_ret(&context, out);
    mbedtls_sha256_free(&context);
    if (size)
        *size = total;
    return rc;
}

void trust_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len, uint8_t out[TRUST_HMAC_SIZE])
{
    (void)mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), key, key_len, data, len, out);
}

void trust_hex(const uint8_t *bytes, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * len] = '\0';
}

static int trust_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int trust_hex_decode(const char *hex, uint8_t *bytes, size_t len)
{
    if (strlen(hex) != 2 * len)
        return -EINVAL;
    for (size_t i = 0; i < len; i++) {
        int high = trust_hex_digit(hex[2 * i]), low = trust_hex_digit(hex[2 * i + 1]);
        if (high < 0 || low < 0)
            return -EINVAL;
        bytes[i] = (uint8_t)(high << 4 | low);
    }
    return 0;
}

int trust_base64_decode(const char *text, size_t text_len, uint8_t *out, size_t out_size, size_t *out_len)
{
    int rc = mbedtls_base64_decode(out, out_size, out_len, (const unsigned char *)text, text_len);
    if (rc == MBEDTLS_ERR_BASE64_BUFFER_TOO_SMALL)
        return -ENOSPC;
    return rc ? -EINVAL : 0;
}

int trust_base64_encode(const uint8_t *bytes, size_t len, char *out, size_t out_size)
{
    size_t written;
    return mbedtls_base64_encode((unsigned char *)out, out_size, &written, bytes, len) ? -ENOSPC : 0;
}

/* ---- randomness ---------------------------------------------------------------------- */
struct trust_rng {
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
};

static int trust_rng_start(struct trust_rng *rng)
{
    static const char personalisation[] = "kiosk trust";
    mbedtls_entropy_init(&rng->entropy);
    mbedtls_ctr_drbg_init(&rng->drbg);
    if (mbedtls_ctr_drbg_seed(&rng->drbg, mbedtls_entropy_func, &rng->entropy,
                              (const unsigned char *)personalisation, sizeof personalisation - 1) != 0) {
        mbedtls_ctr_drbg_free(&rng->drbg);
        mbedtls_entropy_free(&rng->entropy);
        return -EIO;
    }
    return 0;
}

static void trust_rng_end(struct trust_rng *rng)
{
    mbedtls_ctr_drbg_free(&rng->drbg); /* both free functions zeroize their state */
    mbedtls_entropy_free(&rng->entropy);
}

int trust_random(void *out, size_t len)
{
    struct trust_rng rng;
    if (trust_rng_start(&rng) < 0)
        return -EIO;
    int rc = 0;
    /* The DRBG hands out at most MBEDTLS_CTR_DRBG_MAX_REQUEST bytes a call. */
    for (size_t done = 0; done < len && rc == 0;) {
        size_t n = len - done > MBEDTLS_CTR_DRBG_MAX_REQUEST ? MBEDTLS_CTR_DRBG_MAX_REQUEST : len - done;
        rc = mbedtls_ctr_drbg_random(&rng.drbg, (unsigned char *)out + done, n) ? -EIO : 0;
        done += n;
    }
    trust_rng_end(&rng);
    return rc;
}

int trust_uuid(char out[37])
{
    uint8_t b[16];
    if (trust_random(b, sizeof b) < 0)
        return -EIO;
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
             b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    return 0;
}

/* ---- signatures ---------------------------------------------------------------------- */
int trust_verify(const char *public_key_pem, const void *data, size_t len, const uint8_t *signature,
                 size_t signature_len, char *err, size_t errlen)
{
    mbedtls_pk_context key;
    mbedtls_pk_init(&key);
    /* PEM input must include its NUL in the length. */
    int rc = mbedtls_pk_parse_public_key(&key, (const unsigned char *)public_key_pem, strlen(public_key_pem) + 1);
    if (rc != 0) {
        char reason[200];
        trust_mbedtls_reason(rc, reason, sizeof reason);
        snprintf(err, errlen, "platform public key: %s", reason);
        mbedtls_pk_free(&key);
        return -EINVAL;
    }
    if (!mbedtls_pk_can_do(&key, MBEDTLS_PK_ECDSA) ||
        mbedtls_pk_ec(key)->grp.id != MBEDTLS_ECP_DP_SECP256R1) {
        snprintf(err, errlen, "platform public key: not an ECDSA P-256 key");
        mbedtls_pk_free(&key);
        return -EINVAL;
    }
    uint8_t hash[TRUST_SHA256_SIZE];
    trust_sha256(data, len, hash);
    rc = mbedtls_pk_verify(&key, MBEDTLS_MD_SHA256, hash, sizeof hash, signature, signature_len);
    mbedtls_pk_free(&key);
    if (rc != 0) {
        snprintf(err, errlen, "signature does not verify with the platform key");
        return -EBADMSG;
    }
    return 0;
}

/* Reads a small text file (a PEM key) into buf, NUL-terminated. */
static int trust_read_small_file(const char *path, char *buf, size_t size, char *err, size_t errlen)
{
    FILE *file = fopen(path, "r");
    if (!file) {
        int e = errno;
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(e));
        return -e;
    }
    size_t n = fread(buf, 1, size - 1, file);
    bool more = n == size - 1 && fgetc(file) != EOF;
    fclose(file);
    buf[n] = '\0';
    if (more) {
        snprintf(err, errlen, "%s: too long for a key", path);
        return -EINVAL;
    }
    return 0;
}

int trust_verify_file_key(const char *key_path, const void *data, size_t len, const uint8_t *signature,
                          size_t signature_len, char *err, size_t errlen)
{
    char pem[TRUST_KEY_PEM_MAX * 4];
    int rc = trust_read_small_file(key_path, pem, sizeof pem, err, errlen);
    if (rc < 0)
        return rc;
    char reason[256];
    rc = trust_verify(pem, data, len, signature, signature_len, reason, sizeof reason);
    if (rc == -EBADMSG)
        snprintf(err, errlen, "%s", reason);
    else if (rc < 0)
        snprintf(err, errlen, "%s: %s", key_path, reason);
    return rc;
}

/* ---- the unit's identity ------------------------------------------------------------- */
/* Writes data to path through a temporary file: a power cut leaves the old file or the new
 * one, never half a key. mode applies from creation, so the key is never world-readable. */
static int trust_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode, char *err,
                                   size_t errlen)
{
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        int e = errno;
        snprintf(err, errlen, "%s: cannot create: %s", tmp, strerror(e));
        return -e;
    }
    ssize_t written = write(fd, data, len);
    int e = written == (ssize_t)len ? 0 : (written < 0 ? errno : EIO);
    if (!e && fsync(fd) < 0)
        e = errno;
    close(fd);
    if (!e && rename(tmp, path) < 0)
        e = errno;
    if (e) {
        unlink(tmp);
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(e));
        return -e;
    }
    /* The rename itself must reach the disk too. */
    char dir[1100];
    snprintf(dir, sizeof dir, "%s", path);
    int dir_fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
        fsync(dir_fd);
        close(dir_fd);
    }
    return 0;
}

int trust_key_generate(const char *key_path, char *err, size_t errlen)
{
    struct trust_rng rng;
    if (trust_rng_start(&rng) < 0) {
        snprintf(err, errlen, "no entropy to generate the unit key");
        return -EIO;
    }
    mbedtls_pk_context key;
    mbedtls_pk_init(&key);
    unsigned char pem[TRUST_KEY_PEM_MAX];
    int rc = mbedtls_pk_setup(&key, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
    if (rc == 0)
        rc = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(key), mbedtls_ctr_drbg_random, &rng.drbg);
    if (rc == 0)
        rc = mbedtls_pk_write_key_pem(&key, pem, sizeof pem);
    mbedtls_pk_free(&key);
    trust_rng_end(&rng);
    if (rc != 0) {
        char reason[200];
        trust_mbedtls_reason(rc, reason, sizeof reason);
        snprintf(err, errlen, "generating the unit key: %s", reason);
        mbedtls_platform_zeroize(pem, sizeof pem);
        return -EIO;
    }
    int written = trust_write_file_atomic(key_path, pem, strlen((char *)pem), 0600, err, errlen);
    mbedtls_platform_zeroize(pem, sizeof pem);
    return written;
}

int trust_csr_make(const char *key_path, const char *common_name, char *out, size_t out_size, char *err,
                   size_t errlen)
{
    /* The subject is written as "CN=..."; a comma, equals sign or backslash would start
     * another attribute. Unit ids never have them. */
    if (!common_name[0] || strpbrk(common_name, ",=\\+\"<>;") || strlen(common_name) > 64) {
        snprintf(err, errlen, "unit id '%.64s' cannot be a certificate CN", common_name);
        return -EINVAL;
    }
    struct trust_rng rng;
    if (trust_rng_start(&rng) < 0) {
        snprintf(err, errlen, "no entropy to sign the CSR");
        return -EIO;
    }
    mbedtls_pk_context key;
    mbedtls_pk_init(&key);
    mbedtls_x509write_csr csr;
    mbedtls_x509write_csr_init(&csr);
    char subject[80];
    snprintf(subject, sizeof subject, "CN=%s", common_name);
    int rc = mbedtls_pk_parse_keyfile(&key, key_path, NULL);
    const char *step = "reading the unit key";
    if (rc == 0) {
        step = "writing the CSR";
        mbedtls_x509write_csr_set_md_alg(&csr, MBEDTLS_MD_SHA256);
        mbedtls_x509write_csr_set_key(&csr, &key);
        rc = mbedtls_x509write_csr_set_subject_name(&csr, subject);
    }
    if (rc == 0)
        rc = mbedtls_x509write_csr_pem(&csr, (unsigned char *)out, out_size, mbedtls_ctr_drbg_random, &rng.drbg);
    mbedtls_x509write_csr_free(&csr);
    mbedtls_pk_free(&key); /* zeroizes the private key */
    trust_rng_end(&rng);
    if (rc != 0) {
        char reason[200];
        trust_mbedtls_reason(rc, reason, sizeof reason);
        snprintf(err, errlen, "%s: %s: %s", key_path, step, reason);
        return rc == MBEDTLS_ERR_PK_FILE_IO_ERROR ? -ENOENT : -EINVAL;
    }
    return 0;
}

/* ---- personal fields at rest --------------------------------------------------------- */
static void trust_sealer_derive(struct trust_sealer *sealer)
{
    static const char label[] = "kiosk person tag v1";
    trust_hmac_sha256(sealer->key, sizeof sealer->key, label, sizeof label - 1, sealer->tag_key);
}

int trust_sealer_open(struct trust_sealer *sealer, const char *key_path, char *err, size_t errlen)
{
    memset(sealer, 0, sizeof *sealer);
    int fd = open(key_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT) {
        /* First start: a fresh key. Data sealed under a lost key is lost with it, which is
         * why the file is only ever created, never replaced. */
        uint8_t key[TRUST_SEAL_KEY_SIZE];
        if (trust_random(key, sizeof key) < 0) {
            snprintf(err, errlen, "no entropy for the device key");
            return -EIO;
        }
        /* Written whole under a temporary name, then linked into place: another thread or
         * process opening the key at the same moment sees no file or the whole key, never
         * an empty one (the kiosk's workers open it together on a new unit). link() fails
         * with EEXIST when someone else won: their key is the one. */
        char temporary[PATH_MAX];
        int written = snprintf(temporary, sizeof temporary, "%s.XXXXXX", key_path);
        int created = written > 0 && (size_t)written < sizeof temporary ? mkstemp(temporary) : -1;
        if (created < 0) {
            int e = written > 0 && (size_t)written < sizeof temporary ? errno : ENAMETOOLONG;
            mbedtls_platform_zeroize(key, sizeof key);
            snprintf(err, errlen, "%s: cannot create the device key: %s", key_path, strerror(e));
            return -e;
        }
        bool ok = fchmod(created, 0600) == 0 && write(created, key, sizeof key) == (ssize_t)sizeof key &&
                  fsync(created) == 0;
        close(created);
        mbedtls_platform_zeroize(key, sizeof key);
        int linked = ok ? link(temporary, key_path) : -1;
        int e = errno;
        unlink(temporary);
        if (!ok || (linked < 0 && e != EEXIST)) {
            snprintf(err, errlen, "%s: cannot write the device key: %s", key_path, ok ? strerror(e) : "write failed");
            return -EIO;
        }
        fd = open(key_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    }
    if (fd < 0) {
        int e = errno;
        snprintf(err, errlen, "%s: cannot open the device key: %s", key_path, strerror(e));
        return -e;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077)) {
        close(fd);
        snprintf(err, errlen, "%s: the device key must be a regular file readable by its owner only (0600)",
                 key_path);
        return -EPERM;
    }
    ssize_t n = read(fd, sealer->key, sizeof sealer->key);
    uint8_t extra;
    bool longer = n == (ssize_t)sizeof sealer->key && read(fd, &extra, 1) == 1;
    close(fd);
    if (n != (ssize_t)sizeof sealer->key || longer) {
        trust_sealer_close(sealer);
        snprintf(err, errlen, "%s: the device key must be exactly %d bytes", key_path, TRUST_SEAL_KEY_SIZE);
        return -EINVAL;
    }
    trust_sealer_derive(sealer);
    return 0;
}

void trust_sealer_close(struct trust_sealer *sealer)
{
    mbedtls_platform_zeroize(sealer, sizeof *sealer);
}

int trust_gcm_encrypt(const uint8_t key[32], const uint8_t *nonce, size_t nonce_len, const void *aad, size_t aad_len,
                      const void *plain, size_t len, uint8_t *cipher, uint8_t tag[TRUST_SEAL_TAG_SIZE])
{
    mbedtls_gcm_context gcm;
    mbedtls_gcm_init(&gcm);
    int rc = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 256);
    if (rc == 0)
        rc = mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, len, nonce, nonce_len, aad, aad_len, plain, cipher,
                                       TRUST_SEAL_TAG_SIZE, tag);
    mbedtls_gcm_free(&gcm); /* zeroizes the key schedule */
    return rc ? -EIO : 0;
}

int trust_seal(const struct trust_sealer *sealer, const void *plain, size_t len, const void *aad, size_t aad_len,
               uint8_t *out)
{
    out[0] = TRUST_SEAL_VERSION;
    uint8_t *nonce = out + 1, *cipher = nonce + TRUST_SEAL_NONCE_SIZE, *tag = cipher + len;
    if (trust_random(nonce, TRUST_SEAL_NONCE_SIZE) < 0)
        return -EIO;
    return trust_gcm_encrypt(sealer->key, nonce, TRUST_SEAL_NONCE_SIZE, aad, aad_len, plain, len, cipher, tag);
}

int trust_open(const struct trust_sealer *sealer, const uint8_t *sealed, size_t sealed_len, const void *aad,
               size_t aad_len, uint8_t *out)
{
    if (sealed_len < TRUST_SEAL_OVERHEAD || sealed[0] != TRUST_SEAL_VERSION)
        return -EINVAL;
    size_t len = sealed_len - TRUST_SEAL_OVERHEAD;
    const uint8_t *nonce = sealed + 1, *cipher = nonce + TRUST_SEAL_NONCE_SIZE, *tag = cipher + len;
    mbedtls_gcm_context gcm;
    mbedtls_gcm_init(&gcm);
    int rc = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, sealer->key, 256);
    if (rc == 0)
        rc = mbedtls_gcm_auth_decrypt(&gcm, len, nonce, TRUST_SEAL_NONCE_SIZE, aad, aad_len, tag,
                                      TRUST_SEAL_TAG_SIZE, cipher, out);
    mbedtls_gcm_free(&gcm);
    if (rc == MBEDTLS_ERR_GCM_AUTH_FAILED)
        return -EBADMSG; /* mbedTLS has already wiped out */
    return rc ? -EINVAL : 0;
}

void trust_person_tag(const struct trust_sealer *sealer, const char *identifier, char out[2 * TRUST_HMAC_SIZE + 1])
{
    uint8_t mac[TRUST_HMAC_SIZE];
    trust_hmac_sha256(sealer->tag_key, sizeof sealer->tag_key, identifier, strlen(identifier), mac);
    trust_hex(mac, sizeof mac, out);
    mbedtls_platform_zeroize(mac, sizeof mac);
}
