#!/usr/bin/env bash
# Test keys and certificates for the platform emulator (tests/platform), made on this machine
# and never committed:
#   ca.pem, ca.key              the test platform CA: signs the server certificate and the
#                               client certificates the emulator issues at enrollment
#   server.pem, server.key      the gateway's certificate for localhost and 127.0.0.1
#   other-ca.pem, other-server.pem, other-server.key
#                               a certificate for the same names from an unrelated CA (the
#                               emulator's wrong-server-cert fault: a man in the middle)
#   signing.key, signing.pub.pem  the platform signing key, ECDSA P-256 (manifests, licences)
# All keys are ECDSA P-256. Usage: tools/platform-keys.sh [DIR] (default build/sim/platform/keys).
# Does nothing when DIR already holds every file; otherwise makes them all in a scratch
# folder and moves them in, so a half-made set is never used.
set -euo pipefail
dir=${1:-build/sim/platform/keys}
files="ca.pem ca.key server.pem server.key other-ca.pem other-server.pem other-server.key signing.key signing.pub.pem"
complete=1
for f in $files; do [ -s "$dir/$f" ] || complete=0; done
[ $complete = 1 ] && exit 0

mkdir -p "$dir"
work=$(mktemp -d "$dir/.new.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

make_ca() { # name subject
    ec_key "$1.key"
    openssl req -new -x509 -key "$1.key" -out "$1.pem" -days 3650 -subj "$2" -sha256 \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

make_server() { # name ca
    ec_key "$1.key"
    openssl req -new -key "$1.key" -out "$1.csr" -subj "/O=Kiosk test platform/CN=localhost" 2>/dev/null
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
        "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1" >"$1.ext"
    openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -out "$1.pem" \
        -days 825 -sha256 -extfile "$1.ext" 2>/dev/null
}

make_ca ca "/O=Kiosk test platform/CN=Kiosk Test Platform CA"
make_server server ca
make_ca other-ca "/O=Somebody else/CN=Unrelated Test CA"
make_server other-server other-ca
ec_key signing.key
openssl pkey -in signing.key -pubout -out signing.pub.pem 2>/dev/null
openssl verify -CAfile ca.pem server.pem >/dev/null
chmod 600 ./*.key

for f in $files; do mv -f "$f" "../$f"; done
