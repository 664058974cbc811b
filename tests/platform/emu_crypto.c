#include "emu_crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

/* Loaded once at start, read-only afterwards (handlers on many threads read them). */
static struct {
    struct { const char *name; char *pem; } files[9];
    gnutls_x509_crt_t ca_cert;
    gnutls_privkey_t ca_key;
    gnutls_privkey_t signing_key;
    char signing_key_id[EMU_SHA256_HEX];
    gnutls_x509_trust_list_t trust;
    gnutls_pcert_st server_pcert, other_pcert;
    gnutls_privkey_t server_key, other_key;
    emu_wrong_server_cert_fn wrong_cert;
} crypto = {
    .files = {{"ca.pem", NULL}, {"ca.key", NULL}, {"server.pem", NULL}, {"server.key", NULL},
              {"other-ca.pem", NULL}, {"other-server.pem", NULL}, {"other-server.key", NULL},
              {"signing.key", NULL}, {"signing.pub.pem", NULL}},
};

static char *crypto_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t len = 0, cap = 0;
    int c;
    while ((c = fgetc(f)) != EOF) {
        if (len + 2 > cap) {
            cap = cap ? cap * 2 : 4096;
            char *grown = realloc(text, cap);
            if (!grown) {
                free(text);
                fclose(f);
                return NULL;
            }
            text = grown;
        }
        text[len++] = (char)c;
    }
    fclose(f);
    if (!text)
        return NULL;
    text[len] = '\0';
    return text;
}

const char *emu_crypto_pem(const char *name)
{
    for (size_t i = 0; i < sizeof crypto.files / sizeof crypto.files[0]; i++)
        if (strcmp(crypto.files[i].name, name) == 0)
            return crypto.files[i].pem;
    return NULL;
}

static gnutls_datum_t crypto_datum(const char *name)
{
    const char *pem = emu_crypto_pem(name);
    gnutls_datum_t d = {(unsigned char *)pem, pem ? (unsigned)strlen(pem) : 0};
    return d;
}

static int crypto_private_key(const char *name, gnutls_privkey_t *key)
{
    gnutls_datum_t d = crypto_datum(name);
    if (gnutls_privkey_init(key) < 0)
        return -1;
    return gnutls_privkey_import_x509_raw(*key, &d, GNUTLS_X509_FMT_PEM, NULL, 0) < 0 ? -1 : 0;
}

int emu_crypto_load(const char *keys_dir, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof crypto.files / sizeof crypto.files[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", keys_dir, crypto.files[i].name);
        if (!(crypto.files[i].pem = crypto_read_file(path))) {
            snprintf(err, errlen, "%s: cannot read (make it with tools/platform-keys.sh %s)", path, keys_dir);
            return -1;
        }
    }
    gnutls_datum_t ca = crypto_datum("ca.pem");
    if (gnutls_x509_crt_init(&crypto.ca_cert) < 0 || gnutls_x509_crt_import(crypto.ca_cert, &ca, GNUTLS_X509_FMT_PEM) < 0) {
        snprintf(err, errlen, "%s/ca.pem: not a PEM certificate", keys_dir);
        return -1;
    }
    if (crypto_private_key("ca.key", &crypto.ca_key) < 0 || crypto_private_key("signing.key", &crypto.signing_key) < 0 ||
        crypto_private_key("server.key", &crypto.server_key) < 0 ||
        crypto_private_key("other-server.key", &crypto.other_key) < 0) {
        snprintf(err, errlen, "%s: a private key is not a PEM key", keys_dir);
        return -1;
    }
    if (gnutls_x509_trust_list_init(&crypto.trust, 0) < 0 ||
        gnutls_x509_trust_list_add_trust_mem(crypto.trust, &ca, NULL, GNUTLS_X509_FMT_PEM, 0, 0) < 1) {
        snprintf(err, errlen, "%s/ca.pem: cannot make a trust list of it", keys_dir);
        return -1;
    }
    gnutls_datum_t server = crypto_datum("server.pem"), other = crypto_datum("other-server.pem");
    if (gnutls_pcert_import_x509_raw(&crypto.server_pcert, &server, GNUTLS_X509_FMT_PEM, 0) < 0 ||
        gnutls_pcert_import_x509_raw(&crypto.other_pcert, &other, GNUTLS_X509_FMT_PEM, 0) < 0) {
        snprintf(err, errlen, "%s: server.pem or other-server.pem is not a PEM certificate", keys_dir);
        return -1;
    }
    /* The key id: SHA-256 of the public key's DER SubjectPublicKeyInfo. */
    gnutls_pubkey_t pub;
    gnutls_datum_t pub_pem = crypto_datum("signing.pub.pem");
    unsigned char der[512];
    size_t der_len = sizeof der;
    if (gnutls_pubkey_init(&pub) < 0 || gnutls_pubkey_import(pub, &pub_pem, GNUTLS_X509_FMT_PEM) < 0 ||
        gnutls_pubkey_export(pub, GNUTLS_X509_FMT_DER, der, &der_len) < 0) {
        snprintf(err, errlen, "%s/signing.pub.pem: not a PEM public key", keys_dir);
        return -1;
    }
    gnutls_pubkey_deinit(pub);
    emu_sha256_hex(der, der_len, crypto.signing_key_id);
    return 0;
}

void emu_crypto_free(void)
{
    for (size_t i = 0; i < sizeof crypto.files / sizeof crypto.files[0]; i++) {
        free(crypto.files[i].pem);
        crypto.files[i].pem = NULL;
    }
    if (crypto.ca_cert)
        gnutls_x509_crt_deinit(crypto.ca_cert);
    gnutls_privkey_t keys[] = {crypto.ca_key, crypto.signing_key, crypto.server_key, crypto.other_key};
    for (size_t i = 0; i < 4; i++)
        if (keys[i])
            gnutls_privkey_deinit(keys[i]);
    if (crypto.trust)
        gnutls_x509_trust_list_deinit(crypto.trust, 1);
    gnutls_pcert_deinit(&crypto.server_pcert);
    gnutls_pcert_deinit(&crypto.other_pcert);
}

void emu_hex(const uint8_t *bytes, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * len] = '\0';
}

void emu_sha256(const void *data, size_t len, uint8_t out[32])
{
    gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, out);
}

void emu_sha256_hex(const void *data, size_t len, char out[EMU_SHA256_HEX])
{
    uint8_t digest[32];
    emu_sha256(data, len, digest);
    emu_hex(digest, 32, out);
}

char *emu_base64(const void *data, size_t len)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const uint8_t *in = data;
    char *out = malloc((len + 2) / 3 * 4 + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < len ? (uint32_t)in[i + 1] << 8 : 0) | (i + 2 < len ? in[i + 2] : 0);
        *o++ = alphabet[v >> 18 & 63];
        *o++ = alphabet[v >> 12 & 63];
        *o++ = i + 1 < len ? alphabet[v >> 6 & 63] : '=';
        *o++ = i + 2 < len ? alphabet[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

char *emu_sign_base64(const void *data, size_t len)
{
    gnutls_datum_t in = {(unsigned char *)data, (unsigned)len}, sig = {NULL, 0};
    if (gnutls_privkey_sign_data(crypto.signing_key, GNUTLS_DIG_SHA256, 0, &in, &sig) < 0)
        return NULL;
    char *b64 = emu_base64(sig.data, sig.size);
    gnutls_free(sig.data);
    return b64;
}

const char *emu_signing_key_id(void)
{
    return crypto.signing_key_id;
}

int emu_issue_client_cert(const char *csr_pem, const char *unit_id, int64_t not_before, int64_t not_after,
                          uint64_t serial, char **cert_pem, char *err, size_t errlen)
{
    gnutls_x509_crq_t crq = NULL;
    gnutls_x509_crt_t crt = NULL;
    gnutls_pubkey_t pub = NULL;
    int rc = -1;
    gnutls_datum_t csr = {(unsigned char *)csr_pem, (unsigned)strlen(csr_pem)}, out = {NULL, 0};
    *cert_pem = NULL;
    if (gnutls_x509_crq_init(&crq) < 0 || gnutls_x509_crq_import(crq, &csr, GNUTLS_X509_FMT_PEM) < 0) {
        snprintf(err, errlen, "csr is not a PEM PKCS#10 certificate request");
        goto done;
    }
    if (gnutls_x509_crq_verify(crq, 0) < 0) {
        snprintf(err, errlen, "csr self-signature does not verify");
        goto done;
    }
    gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
    if (gnutls_pubkey_init(&pub) < 0 || gnutls_pubkey_import_x509_crq(pub, crq, 0) < 0 ||
        gnutls_pubkey_get_pk_algorithm(pub, NULL) != GNUTLS_PK_ECDSA ||
        gnutls_pubkey_export_ecc_raw(pub, &curve, NULL, NULL) < 0 || curve != GNUTLS_ECC_CURVE_SECP256R1) {
        snprintf(err, errlen, "csr key must be ECDSA P-256");
        goto done;
    }
    unsigned char serial_bytes[9] = {0};
    for (int i = 0; i < 8; i++)
        serial_bytes[1 + i] = (unsigned char)(serial >> (56 - 8 * i));
    char dn[160];
    snprintf(dn, sizeof dn, "O=Kiosk test platform,CN=%s", unit_id);
    const char *dn_err = NULL;
    if (gnutls_x509_crt_init(&crt) < 0 || gnutls_x509_crt_set_version(crt, 3) < 0 ||
        gnutls_x509_crt_set_pubkey(crt, pub) < 0 || gnutls_x509_crt_set_dn(crt, dn, &dn_err) < 0 ||
        gnutls_x509_crt_set_serial(crt, serial_bytes, sizeof serial_bytes) < 0 ||
        gnutls_x509_crt_set_activation_time(crt, (time_t)not_before) < 0 ||
        gnutls_x509_crt_set_expiration_time(crt, (time_t)not_after) < 0 ||
        gnutls_x509_crt_set_basic_constraints(crt, 0, -1) < 0 ||
        gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE) < 0 ||
        gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_CLIENT, 0) < 0 ||
        gnutls_x509_crt_privkey_sign(crt, crypto.ca_cert, crypto.ca_key, GNUTLS_DIG_SHA256, 0) < 0 ||
        gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &out) < 0) {
        snprintf(err, errlen, "cannot issue the certificate");
        goto done;
    }
    if ((*cert_pem = malloc(out.size + 1))) {
        memcpy(*cert_pem, out.data, out.size);
        (*cert_pem)[out.size] = '\0';
        rc = 0;
    }
done:
    gnutls_free(out.data);
    if (crt)
        gnutls_x509_crt_deinit(crt);
    if (pub)
        gnutls_pubkey_deinit(pub);
    if (crq)
        gnutls_x509_crq_deinit(crq);
    return rc;
}

enum emu_client_check emu_client_check(gnutls_session_t session, char *unit_id, size_t unit_id_size,
                                       char *reason, size_t reasonlen)
{
    unsigned int count = 0;
    const gnutls_datum_t *chain = session ? gnutls_certificate_get_peers(session, &count) : NULL;
    if (!chain || count == 0) {
        snprintf(reason, reasonlen, "no client certificate presented");
        return EMU_CLIENT_NONE;
    }
    unsigned int status = 0;
    gnutls_x509_crt_t *certs = calloc(count, sizeof *certs);
    enum emu_client_check result = EMU_CLIENT_INVALID;
    unsigned int imported = 0;
    if (!certs) {
        snprintf(reason, reasonlen, "out of memory");
        return EMU_CLIENT_INVALID;
    }
    for (; imported < count; imported++) {
        if (gnutls_x509_crt_init(&certs[imported]) < 0)
            break;
        if (gnutls_x509_crt_import(certs[imported], &chain[imported], GNUTLS_X509_FMT_DER) < 0) {
            gnutls_x509_crt_deinit(certs[imported]);
            break;
        }
    }
    if (imported != count) {
        snprintf(reason, reasonlen, "client certificate unreadable");
        goto done;
    }
    status = 0;
    if (gnutls_x509_trust_list_verify_crt(crypto.trust, certs, count, 0, &status, NULL) < 0) {
        snprintf(reason, reasonlen, "client certificate cannot be verified");
        goto done;
    }
    if (status & (GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_SIGNER_NOT_CA | GNUTLS_CERT_SIGNATURE_FAILURE |
                  GNUTLS_CERT_INSECURE_ALGORITHM | GNUTLS_CERT_REVOKED)) {
        snprintf(reason, reasonlen, "client certificate not issued by the platform CA");
        goto done;
    }
    if (status & GNUTLS_CERT_EXPIRED) {
        snprintf(reason, reasonlen, "client certificate expired");
        result = EMU_CLIENT_EXPIRED;
        goto done;
    }
    if (status) {
        snprintf(reason, reasonlen, "client certificate invalid (%s)",
                 status & GNUTLS_CERT_NOT_ACTIVATED ? "not yet valid" : "verification failed");
        goto done;
    }
    size_t size = unit_id_size;
    if (gnutls_x509_crt_get_dn_by_oid(certs[0], GNUTLS_OID_X520_COMMON_NAME, 0, 0, unit_id, &size) < 0) {
        snprintf(reason, reasonlen, "client certificate has no common name");
        goto done;
    }
    result = EMU_CLIENT_OK;
done:
    for (unsigned int i = 0; i < imported; i++)
        gnutls_x509_crt_deinit(certs[i]);
    free(certs);
    return result;
}

void emu_crypto_set_wrong_cert_switch(emu_wrong_server_cert_fn fn)
{
    crypto.wrong_cert = fn;
}

int emu_server_cert_callback(gnutls_session_t session, const gnutls_datum_t *req_ca_dn, int nreqs,
                             const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length, gnutls_pcert_st **pcert,
                             unsigned int *pcert_length, gnutls_privkey_t *pkey)
{
    (void)session, (void)req_ca_dn, (void)nreqs, (void)pk_algos, (void)pk_algos_length;
    bool wrong = crypto.wrong_cert && crypto.wrong_cert();
    *pcert = wrong ? &crypto.other_pcert : &crypto.server_pcert;
    *pcert_length = 1;
    *pkey = wrong ? crypto.other_key : crypto.server_key;
    return 0;
}
