/* Trust (firmware/platform/trust.c): known-answer vectors for SHA-256 (FIPS 180-2 examples), HMAC-SHA256
 * (RFC 4231 cases 1 and 2) and AES-256-GCM (McGrew-Viega / NIST GCM spec test cases 14 and 16);
 * ECDSA P-256 signatures made by the OpenSSL command line at test time verify, and a flipped
 * byte of data or signature, or another key, does not; the unit key and CSR are checked by
 * OpenSSL (`openssl req -verify`, subject CN); the device key file is created 0600, reused,
 * and refused when others can read it; sealed fields open only with the same key and aad. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "firmware/platform/trust.h"

static char tmp_dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/test_trust.XXXXXX");
    return mkdtemp(tmp_dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char command[512];
    snprintf(command, sizeof command, "rm -rf '%s'", tmp_dir);
    return system(command) == 0 ? 0 : -1;
}

static void path_in_tmp(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", tmp_dir, name);
}

static void assert_hex(const uint8_t *bytes, size_t len, const char *expected)
{
    char hex[256];
    trust_hex(bytes, len, hex);
    assert_string_equal(hex, expected);
}

/* Runs a shell command; fails the test with its output when it does not exit 0. */
static void run_ok(const char *command)
{
    char line[1200];
    snprintf(line, sizeof line, "(%s) >%s/cmd.log 2>&1", command, tmp_dir);
    if (system(line) != 0) {
        snprintf(line, sizeof line, "cat %s/cmd.log", tmp_dir);
        (void)system(line);
        fail_msg("command failed: %s", command);
    }
}

static size_t read_file(const char *path, uint8_t *buf, size_t size)
{
    FILE *file = fopen(path, "rb");
    assert_non_null(file);
    size_t n = fread(buf, 1, size, file);
    fclose(file);
    return n;
}

static void test_sha256_vectors(void **state)
{
    (void)state;
    uint8_t digest[TRUST_SHA256_SIZE];
    trust_sha256("abc", 3, digest);
    assert_hex(digest, sizeof digest, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    trust_sha256(two_blocks, strlen(two_blocks), digest);
    assert_hex(digest, sizeof digest, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    trust_sha256("", 0, digest);
    assert_hex(digest, sizeof digest, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    /* A file larger than the read buffer hashes as the same bytes in memory; the size counts. */
    static uint8_t big[200000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7 + 3);
    char path[300], err[256];
    path_in_tmp(path, sizeof path, "big.bin");
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    assert_int_equal(fwrite(big, 1, sizeof big, file), sizeof big);
    fclose(file);
    uint8_t from_file[TRUST_SHA256_SIZE];
    uint64_t size = 0;
    assert_int_equal(trust_sha256_file(path, from_file, &size, err, sizeof err), 0);
    trust_sha256(big, sizeof big, digest);
    assert_memory_equal(from_file, digest, sizeof digest);
    assert_int_equal(size, sizeof big);
    path_in_tmp(path, sizeof path, "missing.bin");
    assert_int_equal(trust_sha256_file(path, from_file, &size, err, sizeof err), -ENOENT);
    assert_non_null(strstr(err, "missing.bin: cannot open"));
}

static void test_hmac_vectors(void **state)
{
    (void)state;
    uint8_t mac[TRUST_HMAC_SIZE], key[20];
    memset(key, 0x0b, sizeof key);
    trust_hmac_sha256(key, sizeof key, "Hi There", 8, mac);
    assert_hex(mac, sizeof mac, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    const char *data = "what do ya want for nothing?";
    trust_hmac_sha256("Jefe", 4, data, strlen(data), mac);
    assert_hex(mac, sizeof mac, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void test_gcm_vectors(void **state)
{
    (void)state;
    /* Test case 14: zero key, zero nonce, one zero block. */
    uint8_t key[32] = { 0 }, nonce[12] = { 0 }, plain[64] = { 0 }, cipher[64], tag[16];
    assert_int_equal(trust_gcm_encrypt(key, nonce, 12, NULL, 0, plain, 16, cipher, tag), 0);
    assert_hex(cipher, 16, "cea7403d4d606b6e074ec5d3baf39d18");
    assert_hex(tag, 16, "d0d1c8a799996bf0265b98b5d48ab919");
    /* Test case 16: 60 bytes with 20 bytes of additional data. */
    assert_int_equal(trust_hex_decode("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", key, 32), 0);
    assert_int_equal(trust_hex_decode("cafebabefacedbaddecaf888", nonce, 12), 0);
    assert_int_equal(trust_hex_decode("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                                      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
                                      plain, 60),
                     0);
    uint8_t aad[20];
    assert_int_equal(trust_hex_decode("feedfacedeadbeeffeedfacedeadbeefabaddad2", aad, 20), 0);
    assert_int_equal(trust_gcm_encrypt(key, nonce, 12, aad, 20, plain, 60, cipher, tag), 0);
    assert_hex(cipher, 60,
               "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
               "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662");
    assert_hex(tag, 16, "76fc6ece0f4e1768cddf8853bb2d551b");
}

static void test_encodings(void **state)
{
    (void)state;
    uint8_t bytes[64];
    size_t len;
    assert_int_equal(trust_base64_decode("aGVsbG8gd29ybGQ=", 16, bytes, sizeof bytes, &len), 0);
    assert_int_equal(len, 11);
    assert_memory_equal(bytes, "hello world", 11);
    assert_int_equal(trust_base64_decode("a*==", 4, bytes, sizeof bytes, &len), -EINVAL);
    assert_int_equal(trust_base64_decode("aGVsbG8gd29ybGQ=", 16, bytes, 4, &len), -ENOSPC);
    char text[32];
    assert_int_equal(trust_base64_encode((const uint8_t *)"hello world", 11, text, sizeof text), 0);
    assert_string_equal(text, "aGVsbG8gd29ybGQ=");
    assert_int_equal(trust_hex_decode("0g", bytes, 1), -EINVAL);
    assert_int_equal(trust_hex_decode("abc", bytes, 1), -EINVAL);

    char a[37], b[37];
    assert_int_equal(trust_uuid(a), 0);
    assert_int_equal(trust_uuid(b), 0);
    assert_int_equal(strlen(a), 36);
    assert_true(a[8] == '-' && a[13] == '-' && a[14] == '4' && a[18] == '-' && a[23] == '-');
    assert_non_null(strchr("89ab", a[19]));
    assert_string_not_equal(a, b);
}

/* OpenSSL signs; trust verifies. */
static void test_signature_from_openssl(void **state)
{
    (void)state;
    char command[1024], err[256];
    snprintf(command, sizeof command,
             "cd %s && openssl ecparam -name prime256v1 -genkey -noout -out platform.key && "
             "openssl ec -in platform.key -pubout -out platform.pub && "
             "printf 'manifest: version 2026.11.28-1\\n' > data.txt && "
             "openssl dgst -sha256 -sign platform.key -out data.sig data.txt && "
             "openssl ecparam -name prime256v1 -genkey -noout -out other.key && "
             "openssl ec -in other.key -pubout -out other.pub && "
             "openssl ecparam -name secp384r1 -genkey -noout -out p384.key && "
             "openssl ec -in p384.key -pubout -out p384.pub",
             tmp_dir);
    run_ok(command);
    char path[300];
    uint8_t data[256], signature[128];
    path_in_tmp(path, sizeof path, "data.txt");
    size_t data_len = read_file(path, data, sizeof data);
    path_in_tmp(path, sizeof path, "data.sig");
    size_t signature_len = read_file(path, signature, sizeof signature);
    char key[300];
    path_in_tmp(key, sizeof key, "platform.pub");
    assert_int_equal(trust_verify_file_key(key, data, data_len, signature, signature_len, err, sizeof err), 0);

    data[3] ^= 1;
    assert_int_equal(trust_verify_file_key(key, data, data_len, signature, signature_len, err, sizeof err), -EBADMSG);
    assert_non_null(strstr(err, "does not verify"));
    data[3] ^= 1;
    signature[signature_len - 5] ^= 0x10;
    assert_int_equal(trust_verify_file_key(key, data, data_len, signature, signature_len, err, sizeof err), -EBADMSG);
    signature[signature_len - 5] ^= 0x10;
    /* Cut short, or from another key: refused. */
    assert_int_equal(trust_verify_file_key(key, data, data_len, signature, signature_len - 1, err, sizeof err),
                     -EBADMSG);
    path_in_tmp(key, sizeof key, "other.pub");
    assert_int_equal(trust_verify_file_key(key, data, data_len, signature, signature_len, err, sizeof err), -EBADMSG);
    /* Only P-256 is the platform's curve. */
    path_in_tmp(key, sizeof key, "p384.pub");
    assert_int_equal(trust_verify_file_key(key, data, data_len, signature, signature_len, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "P-256"));
    path_in_tmp(key, sizeof key, "absent.pub");
    assert_int_equal(trust_verify_file_key(key, data, data_len, signature, signature_len, err, sizeof err), -ENOENT);
    path_in_tmp(key, sizeof key, "data.txt");
    assert_int_equal(trust_verify_file_key(key, data, data_len, signature, signature_len, err, sizeof err), -EINVAL);
}

/* trust makes the key and CSR; OpenSSL judges them. */
static void test_key_and_csr(void **state)
{
    (void)state;
    char key[300], err[256], csr[2048], path[300], command[1024];
    path_in_tmp(key, sizeof key, "unit.key");
    assert_int_equal(trust_key_generate(key, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(stat(key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(trust_csr_make(key, "LY-SIM-0001", csr, sizeof csr, err, sizeof err), 0);
    assert_non_null(strstr(csr, "-----BEGIN CERTIFICATE REQUEST-----"));
    path_in_tmp(path, sizeof path, "unit.csr");
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs(csr, file);
    fclose(file);
    snprintf(command, sizeof command,
             "cd %s && openssl ec -in unit.key -check -noout && openssl req -in unit.csr -verify -noout && "
             "openssl req -in unit.csr -noout -subject -nameopt RFC2253 | grep -qx 'subject=CN=LY-SIM-0001' && "
             "openssl req -in unit.csr -noout -text | grep -q 'NIST CURVE: P-256' && "
             /* the CSR's public key is the key file's */
             "test \"$(openssl req -in unit.csr -noout -pubkey)\" = \"$(openssl ec -in unit.key -pubout 2>/dev/null)\"",
             tmp_dir);
    run_ok(command);
    /* A signature by the unit key (openssl) verifies with trust. */
    snprintf(command, sizeof command,
             "cd %s && printf 'x' > one.txt && openssl dgst -sha256 -sign unit.key -out one.sig one.txt && "
             "openssl ec -in unit.key -pubout -out unit.pub",
             tmp_dir);
    run_ok(command);
    uint8_t signature[128];
    path_in_tmp(path, sizeof path, "one.sig");
    size_t signature_len = read_file(path, signature, sizeof signature);
    path_in_tmp(path, sizeof path, "unit.pub");
    assert_int_equal(trust_verify_file_key(path, "x", 1, signature, signature_len, err, sizeof err), 0);

    assert_int_equal(trust_csr_make(key, "LY,O=evil", csr, sizeof csr, err, sizeof err), -EINVAL);
    path_in_tmp(path, sizeof path, "absent.key");
    assert_true(trust_csr_make(path, "LY-SIM-0001", csr, sizeof csr, err, sizeof err) < 0);
    assert_non_null(strstr(err, "absent.key"));
}

static void test_sealer(void **state)
{
    (void)state;
    char key_path[300], err[256];
    path_in_tmp(key_path, sizeof key_path, "device.key");
    struct trust_sealer first, second;
    assert_int_equal(trust_sealer_open(&first, key_path, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(stat(key_path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, TRUST_SEAL_KEY_SIZE);

    const char *name = "张三";
    const char *aad = "3f1c7a52-0000-4000-8000-000000000001";
    uint8_t sealed[64], opened[64], sealed_again[64];
    size_t len = strlen(name);
    assert_int_equal(trust_seal(&first, name, len, aad, strlen(aad), sealed), 0);
    assert_int_equal(trust_seal(&first, name, len, aad, strlen(aad), sealed_again), 0);
    /* Fresh nonce each time; the plain text is nowhere in the blob. */
    assert_memory_not_equal(sealed, sealed_again, len + TRUST_SEAL_OVERHEAD);
    assert_null(memmem(sealed, len + TRUST_SEAL_OVERHEAD, name, len));

    /* The key file is reused: another sealer on the same file opens it. */
    assert_int_equal(trust_sealer_open(&second, key_path, err, sizeof err), 0);
    assert_int_equal(trust_open(&second, sealed, len + TRUST_SEAL_OVERHEAD, aad, strlen(aad), opened), 0);
    assert_memory_equal(opened, name, len);
    /* Another aad (another row), a flipped bit, a short blob: refused. */
    assert_int_equal(trust_open(&second, sealed, len + TRUST_SEAL_OVERHEAD, "other", 5, opened), -EBADMSG);
    sealed[TRUST_SEAL_OVERHEAD] ^= 0x01;
    assert_int_equal(trust_open(&second, sealed, len + TRUST_SEAL_OVERHEAD, aad, strlen(aad), opened), -EBADMSG);
    assert_int_equal(trust_open(&second, sealed, 5, aad, strlen(aad), opened), -EINVAL);

    /* Person tags: stable on this unit, distinct per person, not the number. */
    char tag_a[65], tag_b[65], tag_c[65];
    trust_person_tag(&first, "37130219900101123X", tag_a);
    trust_person_tag(&second, "37130219900101123X", tag_b);
    trust_person_tag(&first, "371302199001011248", tag_c);
    assert_string_equal(tag_a, tag_b);
    assert_string_not_equal(tag_a, tag_c);
    assert_null(strstr(tag_a, "3713"));

    /* A different device key opens nothing. */
    char other_path[300];
    path_in_tmp(other_path, sizeof other_path, "device-other.key");
    struct trust_sealer other;
    assert_int_equal(trust_sealer_open(&other, other_path, err, sizeof err), 0);
    sealed[TRUST_SEAL_OVERHEAD] ^= 0x01;
    assert_int_equal(trust_open(&other, sealed, len + TRUST_SEAL_OVERHEAD, aad, strlen(aad), opened), -EBADMSG);
    trust_sealer_close(&other);

    /* Wiped on close. */
    trust_sealer_close(&first);
    static const struct trust_sealer zero;
    assert_memory_equal(&first, &zero, sizeof zero);
    trust_sealer_close(&second);

    /* Readable by others, or of the wrong size: refused with the reason. */
    assert_int_equal(chmod(key_path, 0644), 0);
    assert_int_equal(trust_sealer_open(&first, key_path, err, sizeof err), -EPERM);
    assert_non_null(strstr(err, "0600"));
    assert_int_equal(chmod(key_path, 0600), 0);
    assert_int_equal(truncate(key_path, 16), 0);
    assert_int_equal(trust_sealer_open(&first, key_path, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "32 bytes"));
}

/* Workers of a new unit open the device key at the same moment: each must get the whole
 * key, and the same one (it failed with "must be exactly 32 bytes" when one thread read the
 * file another had just created empty). */
#define RACE_THREADS 8
struct race {
    const char *path;
    struct trust_sealer sealer;
    int rc;
};

static void *race_open(void *arg)
{
    struct race *r = arg;
    char err[256];
    r->rc = trust_sealer_open(&r->sealer, r->path, err, sizeof err);
    return NULL;
}

static void test_sealer_opened_together(void **state)
{
    (void)state;
    char key_path[300];
    for (int round = 0; round < 40; round++) {
        path_in_tmp(key_path, sizeof key_path, "device-race.key");
        unlink(key_path);
        struct race races[RACE_THREADS];
        pthread_t threads[RACE_THREADS];
        for (int i = 0; i < RACE_THREADS; i++) {
            races[i] = (struct race){ .path = key_path };
            assert_int_equal(pthread_create(&threads[i], NULL, race_open, &races[i]), 0);
        }
        for (int i = 0; i < RACE_THREADS; i++)
            pthread_join(threads[i], NULL);
        const char *text = "临沂";
        uint8_t sealed[64], opened[64];
        assert_int_equal(races[0].rc, 0);
        assert_int_equal(trust_seal(&races[0].sealer, text, strlen(text), "a", 1, sealed), 0);
        for (int i = 0; i < RACE_THREADS; i++) {
            assert_int_equal(races[i].rc, 0);
            assert_int_equal(trust_open(&races[i].sealer, sealed, strlen(text) + TRUST_SEAL_OVERHEAD, "a", 1, opened), 0);
            trust_sealer_close(&races[i].sealer);
        }
        struct stat st;
        assert_int_equal(stat(key_path, &st), 0);
        assert_int_equal(st.st_size, TRUST_SEAL_KEY_SIZE);
        assert_int_equal(st.st_mode & 0777, 0600);
    }
    unlink(key_path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_hmac_vectors),
        cmocka_unit_test(test_gcm_vectors),
        cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_signature_from_openssl),
        cmocka_unit_test(test_key_and_csr),
        cmocka_unit_test(test_sealer_opened_together),
        cmocka_unit_test(test_sealer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
