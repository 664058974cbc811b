/* The platform emulator's cryptography, all through GnuTLS (the TLS library libmicrohttpd
 * already uses): SHA-256, the platform's ECDSA P-256 signatures (DER, base64), the test CA
 * that issues client certificates at enrollment, and the check of a connection's client
 * certificate. Keys come from tools/platform-keys.sh. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>

#define EMU_SHA256_HEX 65 /* 64 hex digits and a NUL */

/* Loads every key and certificate of the keys folder; 0 or -1 with a reason in err. */
int emu_crypto_load(const char *keys_dir, char *err, size_t errlen);
void emu_crypto_free(void);

/* PEM text of a key-folder file read at load time ("ca.pem", "server.pem", ...). */
const char *emu_crypto_pem(const char *name);

void emu_sha256(const void *data, size_t len, uint8_t out[32]);
void emu_sha256_hex(const void *data, size_t len, char out[EMU_SHA256_HEX]);
void emu_hex(const uint8_t *bytes, size_t len, char *out); /* 2*len+1 bytes */

/* Standard base64 with padding; returns a malloc'd string or NULL. */
char *emu_base64(const void *data, size_t len);

/* ECDSA P-256 over SHA-256 of data with the platform signing key: base64 of the DER
 * signature (malloc'd), or NULL. */
char *emu_sign_base64(const void *data, size_t len);
/* hex SHA-256 of the signing key's DER SubjectPublicKeyInfo (the contract's key id). */
const char *emu_signing_key_id(void);

/* Issues a client certificate for a PEM PKCS#10 CSR: subject CN=unit_id, the CSR's key
 * (must be ECDSA P-256, self-signature valid), clientAuth, valid from not_before for
 * days (negative start offsets make an already expired certificate for the fault).
 * Writes malloc'd PEM to *cert_pem; 0, or -1 with a reason (the contract's csr_invalid). */
int emu_issue_client_cert(const char *csr_pem, const char *unit_id, int64_t not_before, int64_t not_after,
                          uint64_t serial, char **cert_pem, char *err, size_t errlen);

enum emu_client_check {
    EMU_CLIENT_OK,
    EMU_CLIENT_NONE,     /* no certificate presented */
    EMU_CLIENT_EXPIRED,  /* chains to the CA but out of its validity period */
    EMU_CLIENT_INVALID,  /* unknown issuer, bad signature, not yet valid, unreadable */
};
/* Checks the peer certificate of a TLS session against the test CA; on OK writes the
 * subject CN (the unit id). reason: a short English text for the error message. */
enum emu_client_check emu_client_check(gnutls_session_t session, char *unit_id, size_t unit_id_size,
                                       char *reason, size_t reasonlen);

/* The server certificate callback: the test CA's server certificate, or the unrelated
 * CA's one while the wrong-server-cert fault is on (asked per handshake). */
typedef bool (*emu_wrong_server_cert_fn)(void);
void emu_crypto_set_wrong_cert_switch(emu_wrong_server_cert_fn fn);
int emu_server_cert_callback(gnutls_session_t session, const gnutls_datum_t *req_ca_dn, int nreqs,
                             const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length, gnutls_pcert_st **pcert,
                             unsigned int *pcert_length, gnutls_privkey_t *pkey);
