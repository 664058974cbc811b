#!/usr/bin/env bash
# The platform emulator's own contract tests (tests/platform/README.md), with independent
# clients: curl's command line for HTTPS and OpenSSL's for certificates, signatures and
# handshakes. Prints "ok NAME" / "not ok NAME - why". Usage: tests/platform/test-platform-emu.sh BUILD-DIR
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/sim}
emu=$build/platform_emu
json=$build/tests/json_get
keys=$build/platform/keys
work=$build/platform-test
failures=0

ok() { echo "ok $1"; }
not_ok() { echo "not ok $1 - $2"; failures=$((failures + 1)); }
check() { # name condition-description command...
    local name=$1 why=$2
    shift 2
    if "$@"; then ok "$name"; else not_ok "$name" "$why"; fi
}

for tool in curl openssl "$emu" "$json"; do
    if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "$tool" ]; then
        not_ok "platform-emu:tools" "$tool is missing (make all; debian-packages.txt)"
        exit 1
    fi
done
tools/platform-keys.sh "$keys" || { not_ok "platform-emu:keys" "tools/platform-keys.sh failed"; exit 1; }

rm -rf "$work"
mkdir -p "$work"
emu_pid=
stop_emu() { [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null && wait "$emu_pid" 2>/dev/null; emu_pid=; }
trap stop_emu EXIT
trap "exit 1" INT TERM

# The emulator on free loopback ports, today fixed so card expiry answers do not move.
"$emu" --port 0 --admin-port 0 --keys "$keys" --data "$work/data" --catalogue assets/catalogue/seed.json \
    --today 20261128 --ready-file "$work/ready" >"$work/emu.out" 2>"$work/emu.log" &
emu_pid=$!
for _ in $(seq 100); do [ -s "$work/ready" ] && break; sleep 0.05; done
if [ ! -s "$work/ready" ]; then
    not_ok "platform-emu:starts" "no ready file after 5 s: $(tail -n 3 "$work/emu.log")"
    exit 1
fi
read -r port admin_port <"$work/ready"
ok "platform-emu:starts"
base=https://127.0.0.1:$port
admin=http://127.0.0.1:$admin_port

# call NAME METHOD PATH [curl options...]: body in $work/NAME.body, headers in NAME.hdr,
# the status in $status (000 when the transfer failed), curl's exit code in $curl_rc.
call() {
    local name=$1 method=$2 path=$3
    shift 3
    status=$(curl -sS --max-time 20 --cacert "$keys/ca.pem" -X "$method" -D "$work/$name.hdr" \
        -o "$work/$name.body" -w '%{http_code}' "$@" "$base$path" 2>"$work/$name.err")
    curl_rc=$?
}
# As the enrolled unit.
unit_call() { call "$@" --cert "$work/unit.pem" --key "$work/unit.key"; }
admin_post() { curl -sS --max-time 10 -X POST -H 'Content-Type: application/json' --data-binary "$2" "$admin$1"; }
header() { sed -n "s/^$2: *//Ip" "$work/$1.hdr" | tr -d '\r' | tail -n 1; }
field() { "$json" "$work/$1.body" "$2" 2>/dev/null; }
verify_sig() { # data-file base64-signature
    printf '%s' "$2" | base64 -d >"$work/sig.der" 2>/dev/null &&
        openssl dgst -sha256 -verify "$keys/signing.pub.pem" -signature "$work/sig.der" "$1" >/dev/null 2>&1
}
make_csr() { # name
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$1.key" 2>/dev/null &&
        openssl req -new -key "$work/$1.key" -subj "/CN=$1" -out "$work/$1.csr" 2>/dev/null
}
enroll_body() { # token csr-file
    printf '{"token":"%s","csr":"%s","firmware_version":"0.4.0","board":"sim"}' "$1" \
        "$(awk '{printf "%s\\n", $0}' "$2")"
}

# ---- enrollment -------------------------------------------------------------------------
make_csr unit
call enroll POST /v1/enroll -H 'Content-Type: application/json' --data-binary "$(enroll_body LY-DEMO-ENROLL "$work/unit.csr")"
field enroll certificate >"$work/unit.pem"
unit_id=$(field enroll unit_id)
subject=$(openssl x509 -in "$work/unit.pem" -noout -subject -nameopt RFC2253 2>/dev/null | grep -o 'CN=[^,]*')
cert_key=$(openssl x509 -in "$work/unit.pem" -noout -pubkey 2>/dev/null)
own_key=$(openssl pkey -in "$work/unit.key" -pubout 2>/dev/null)
if [ "$status" != 201 ]; then
    not_ok "enroll:issues-certificate" "status $status: $(cat "$work/enroll.body")"
elif ! openssl verify -CAfile "$keys/ca.pem" -purpose sslclient "$work/unit.pem" >/dev/null 2>&1; then
    not_ok "enroll:issues-certificate" "the certificate does not verify against the test CA as a client certificate"
elif [ "$subject" != "CN=$unit_id" ] || [ "$cert_key" != "$own_key" ]; then
    not_ok "enroll:issues-certificate" "subject '$subject' (unit $unit_id) or the key is not the CSR's"
else
    ok "enroll:issues-certificate"
fi

token=$(admin_post /admin/enrollment-tokens '{}' | "$json" - token)
make_csr second
call enroll2 POST /v1/enroll --data-binary "$(enroll_body "$token" "$work/second.csr")"
status2=$status
call enroll3 POST /v1/enroll --data-binary "$(enroll_body "$token" "$work/second.csr")"
check "enroll:one-time-token" "first $status2 then $(field enroll3 error.code)" \
    test "$(field enroll2 unit_id | cut -c1-9)/$(field enroll3 error.code)" = "LY-KIOSK-/token_used"
call enroll4 POST /v1/enroll --data-binary "$(enroll_body NO-SUCH-TOKEN "$work/second.csr")"
check "enroll:unknown-token" "status $status $(field enroll4 error.code)" test "$status/$(field enroll4 error.code)" = 403/token_invalid
call enroll5 POST /v1/enroll --data-binary '{"token":"LY-DEMO-ENROLL","csr":"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"}'
check "enroll:bad-csr" "status $status $(field enroll5 error.code)" test "$status/$(field enroll5 error.code)" = 400/csr_invalid

# ---- client certificates ----------------------------------------------------------------
call nocert GET /v1/config
check "mtls:no-client-certificate-refused" "status $status $(field nocert error.code)" \
    test "$status/$(field nocert error.code)" = 401/client_certificate_required
# A certificate for a unit from a CA of our own making (a stranger's).
openssl req -new -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/rogue-ca.key" \
    -out "$work/rogue-ca.pem" -days 30 -subj "/CN=Rogue CA" 2>/dev/null
openssl x509 -req -in "$work/second.csr" -CA "$work/rogue-ca.pem" -CAkey "$work/rogue-ca.key" -CAcreateserial \
    -out "$work/rogue.pem" -days 30 -subj "/CN=$unit_id" 2>/dev/null ||
    openssl x509 -req -in "$work/second.csr" -CA "$work/rogue-ca.pem" -CAkey "$work/rogue-ca.key" \
        -CAcreateserial -out "$work/rogue.pem" -days 30 2>/dev/null
call rogue GET /v1/config --cert "$work/rogue.pem" --key "$work/second.key"
check "mtls:unknown-issuer-refused" "status $status $(field rogue error.code)" \
    test "$status/$(field rogue error.code)" = 403/client_certificate_invalid
admin_post /admin/faults '{"kind":"expired-client-cert","count":1}' >/dev/null
make_csr expired
call enroll6 POST /v1/enroll --data-binary "$(enroll_body LY-DEMO-ENROLL "$work/expired.csr")"
field enroll6 certificate >"$work/expired.pem"
call expired GET /v1/config --cert "$work/expired.pem" --key "$work/expired.key"
if openssl x509 -in "$work/expired.pem" -noout -checkend 0 >/dev/null 2>&1; then
    not_ok "mtls:expired-refused" "the expired-client-cert fault issued a certificate that has not expired"
else
    check "mtls:expired-refused" "status $status: $(cat "$work/expired.body")" \
        test "$status/$(field expired error.code)/$(field expired error.message)" = "403/client_certificate_invalid/client certificate expired"
fi
unit_call config GET /v1/config
check "mtls:enrolled-unit-served" "status $status" test "$status/$(field config unit_id)" = "200/$unit_id"
# OpenSSL's client: the server's certificate verifies against the test CA, and the server
# asks for a client certificate naming that CA.
echo | openssl s_client -connect "127.0.0.1:$port" -CAfile "$keys/ca.pem" -verify_return_error -servername localhost \
    >"$work/s_client.out" 2>&1
if ! grep -q "Verify return code: 0 (ok)" "$work/s_client.out"; then
    not_ok "tls:server-certificate-verifies" "$(grep -m1 -i 'verify' "$work/s_client.out")"
elif ! grep -A2 "Acceptable client certificate CA names" "$work/s_client.out" | grep -q "Kiosk Test Platform CA"; then
    not_ok "tls:server-certificate-verifies" "the server does not ask for a client certificate of the test CA"
else
    ok "tls:server-certificate-verifies"
fi

# ---- catalogue ----------------------------------------------------------------------------
unit_call manifest GET /v1/catalogue/manifest
cp "$work/manifest.body" "$work/manifest.json"
check "catalogue:manifest-signature" "Kiosk-Signature does not verify over the body" \
    verify_sig "$work/manifest.json" "$(header manifest Kiosk-Signature)"
: >"$work/document"
shards=$("$json" "$work/manifest.json" shards.#)
for i in $(seq 0 $((shards - 1))); do
    unit_call shard GET "$("$json" "$work/manifest.json" "shards.$i.path")"
    cat "$work/shard.body" >>"$work/document"
done
doc_sha=$(sha256sum "$work/document" | cut -d' ' -f1)
if ! cmp -s "$work/document" assets/catalogue/seed.json; then
    not_ok "catalogue:shards-are-the-document" "$shards shards joined differ from seed.json"
else
    check "catalogue:shards-are-the-document" "document.sha256 differs" test "$doc_sha" = "$("$json" "$work/manifest.json" document.sha256)"
fi

shard0=$("$json" "$work/manifest.json" shards.0.path)
shard0_sha=$("$json" "$work/manifest.json" shards.0.sha256)
admin_post /admin/faults "{\"kind\":\"reset\",\"path\":\"$shard0\",\"count\":1,\"arg\":100000}" >/dev/null
unit_call cut GET "$shard0"
cut_size=$(stat -c %s "$work/cut.body")
cp "$work/cut.body" "$work/resumed"
status=$(curl -sS --max-time 20 --cacert "$keys/ca.pem" --cert "$work/unit.pem" --key "$work/unit.key" \
    -C - -o "$work/resumed" -w '%{http_code}' "$base$shard0" 2>"$work/resume.err")
if [ "$curl_rc" = 0 ] || [ "$cut_size" -ne 100000 ]; then
    not_ok "range:resume-after-reset" "the reset fault did not cut the body at 100000 bytes (curl $curl_rc, $cut_size bytes)"
elif [ "$status" != 206 ] || [ "$(sha256sum "$work/resumed" | cut -d' ' -f1)" != "$shard0_sha" ]; then
    not_ok "range:resume-after-reset" "resume gave $status and a shard whose SHA-256 is not the manifest's"
else
    ok "range:resume-after-reset"
fi
unit_call beyond GET "$shard0" -H 'Range: bytes=99999999-'
check "range:beyond-the-end" "status $status, Content-Range $(header beyond Content-Range)" \
    test "$status/$(header beyond Content-Range)" = "416/bytes */$("$json" "$work/manifest.json" shards.0.size)"

old_version=$("$json" "$work/manifest.json" version)
new_version=$(admin_post /admin/catalogue/mutate '{"changed":5,"added":2,"removed":1}' | "$json" - version)
unit_call manifest2 GET /v1/catalogue/manifest
delta_path=$(field manifest2 deltas.0.path)
unit_call delta GET "$delta_path"
if ! verify_sig "$work/manifest2.body" "$(header manifest2 Kiosk-Signature)"; then
    not_ok "catalogue:delta-chain" "the new manifest's signature does not verify"
elif [ "$(field manifest2 previous_version)/$(field manifest2 deltas.0.from_version)/$(field manifest2 deltas.0.to_version)" != "$old_version/$old_version/$new_version" ]; then
    not_ok "catalogue:delta-chain" "manifest $(field manifest2 deltas) does not lead $old_version to $new_version"
elif [ "$(sha256sum "$work/delta.body" | cut -d' ' -f1)" != "$(field manifest2 deltas.0.sha256)" ]; then
    not_ok "catalogue:delta-chain" "the delta's SHA-256 is not the manifest's"
elif [ "$(field delta added.#)/$(field delta changed.#)/$(field delta removed.#)" != 2/5/1 ]; then
    not_ok "catalogue:delta-chain" "delta has $(field delta added.#) added, $(field delta changed.#) changed, $(field delta removed.#) removed; asked 2/5/1"
else
    ok "catalogue:delta-chain"
fi
# The new version, joined from its shards, passes the kiosk's own catalogue checks.
: >"$work/document2"
for i in $(seq 0 $(($(field manifest2 shards.#) - 1))); do
    unit_call shard GET "$(field manifest2 "shards.$i.path")"
    cat "$work/shard.body" >>"$work/document2"
done
if [ -x "$build/kioskctl" ]; then
    check "catalogue:new-version-valid" "$("$build/kioskctl" check-catalogue "$work/document2" 2>&1 | tail -n 1)" \
        "$build/kioskctl" check-catalogue "$work/document2" >/dev/null
else
    not_ok "catalogue:new-version-valid" "$build/kioskctl is not built"
fi

# A version published without a delta: the manifest's chain no longer reaches it.
third_version=$(admin_post /admin/catalogue/mutate '{"changed":1,"delta":false}' | "$json" - version)
unit_call manifest3 GET /v1/catalogue/manifest
check "catalogue:broken-chain" "manifest $third_version after $new_version lists deltas $(field manifest3 deltas)" \
    test "$(field manifest3 version)/$(field manifest3 previous_version)/$(field manifest3 deltas.#)" = "$third_version/$new_version/0"

# ---- applications and idempotency --------------------------------------------------------
app='{"implementation_code":"1137130200452176XR200100400002","form_version":"1","fields":{"phone":"13905391234","reason":"首次申请"},"holder":{"card_kind":"resident","id_number":"371302198003152035","name":"张三丰","name_en":""},"session_id":null,"filed_at":"2026-11-28T09:40:00+08:00"}'
key=test-key-0000000000000001
unit_call app1 POST /v1/applications -H "Idempotency-Key: $key" --data-binary "$app"
first_status=$status
unit_call app2 POST /v1/applications -H "Idempotency-Key: $key" --data-binary "$app"
stats=$(curl -sS "$admin/admin/stats")
counts=$(printf '%s' "$stats" | "$json" - applications_received)/$(printf '%s' "$stats" | "$json" - idempotency_keys)/$(printf '%s' "$stats" | "$json" - duplicates_suppressed)/$(printf '%s' "$stats" | "$json" - applications.stored)
if [ "$first_status" != 201 ] || [ -z "$(field app1 tracking_number)" ]; then
    not_ok "idempotency:repeat-gets-first-response" "first submit: $first_status $(cat "$work/app1.body")"
elif [ "$status" != 201 ] || ! cmp -s "$work/app1.body" "$work/app2.body" || [ "$(header app2 Idempotent-Replayed)" != true ]; then
    not_ok "idempotency:repeat-gets-first-response" "repeat: $status $(cat "$work/app2.body")"
elif [ "$counts" != 2/1/1/1 ]; then
    not_ok "idempotency:repeat-gets-first-response" "received/keys/duplicates/stored = $counts, want 2/1/1/1"
else
    ok "idempotency:repeat-gets-first-response"
fi
unit_call app3 POST /v1/applications -H "Idempotency-Key: $key" --data-binary "${app/首次申请/补办}"
check "idempotency:same-key-other-body" "status $status $(field app3 error.code)" test "$status/$(field app3 error.code)" = 409/idempotency_conflict
# Applied, then the answer lost to a reset: the retry gets the same tracking number.
admin_post /admin/faults '{"kind":"reset","path":"/v1/applications","count":1,"arg":10}' >/dev/null
unit_call app4 POST /v1/applications -H "Idempotency-Key: test-key-0000000000000002" --data-binary "$app"
lost_rc=$curl_rc
unit_call app5 POST /v1/applications -H "Idempotency-Key: test-key-0000000000000002" --data-binary "$app"
stored=$(curl -sS "$admin/admin/stats" | "$json" - applications.stored)
tracking=$(field app5 tracking_number)
unit_call status GET "/v1/applications/$tracking"
if [ "$lost_rc" = 0 ]; then
    not_ok "idempotency:answer-lost-then-retry" "the reset fault did not cut the answer"
elif [ "$(header app5 Idempotent-Replayed)" != true ] || [ "$stored" != 2 ] || [ "$(field status status)" != received ]; then
    not_ok "idempotency:answer-lost-then-retry" "retry replayed '$(header app5 Idempotent-Replayed)', stored $stored, status of $tracking '$(field status status)'"
else
    ok "idempotency:answer-lost-then-retry"
fi
# Eight copies of one request at once (a kiosk retrying while its first try is still in
# flight): one application, seven duplicates, eight identical answers.
copies=
for i in 1 2 3 4 5 6 7 8; do
    curl -sS --max-time 20 --cacert "$keys/ca.pem" --cert "$work/unit.pem" --key "$work/unit.key" \
        -H "Idempotency-Key: test-key-0000000000000009" --data-binary "$app" -o "$work/par.$i" "$base/v1/applications" &
    copies="$copies $!"
done
# shellcheck disable=SC2086 # the list of process ids
wait $copies # (not a bare wait: the emulator is a child too)
distinct=$(sha256sum "$work"/par.* | cut -d' ' -f1 | sort -u | wc -l)
par_tracking=$("$json" "$work/par.1" tracking_number)
par_rows=$(curl -sS "$admin/admin/applications" | grep -o "\"idempotency_key\":\"test-key-0000000000000009\"" | wc -l)
check "idempotency:concurrent-copies-create-once" "$distinct different answers, $par_rows stored rows for the key ($par_tracking)" \
    test "$distinct/$par_rows/${par_tracking:0:10}" = "1/1/LY20261128"
unit_call app6 POST /v1/applications --data-binary "$app"
check "idempotency:key-required" "status $status" test "$status/$(field app6 error.code)" = 400/bad_request
unit_call app7 POST /v1/applications -H "Idempotency-Key: test-key-0000000000000003" --data-binary "${app/13905391234/12345}"
check "applications:form-checked" "status $status $(field app7 error.details)" \
    test "$status/$(field app7 error.code)/$(field app7 error.details.0.field)" = 422/form_invalid/fields.phone
unit_call demo GET /v1/applications/LY20261125000002
check "applications:status-by-tracking-number" "$(cat "$work/demo.body")" \
    test "$status/$(field demo status)/$(field demo status_text)" = "200/in_review/审核中"

# ---- ratings and problem reports ---------------------------------------------------------
# Numbered for the day (E/B + date + six digits), stored once per key; a body outside the
# contract is refused with the field list.
rating='{"level":2,"channel":"self_service","subject":{"implementation_code":"371300-000-XK-001","tracking_number":null},"options":["服务效率"],"comment":"等太久","callback_phone":"13905391234","rated_at":"2026-11-28T23:10:00+08:00"}'
unit_call rate1 POST /v1/evaluations -H "Idempotency-Key: test-key-rating-000000001" --data-binary "$rating"
check "evaluations:numbered" "status $status $(cat "$work/rate1.body")" \
    test "$status/$(field rate1 evaluation_id | sed 's/^E20261128[0-9]\{6\}$/E+date+6/')" = "201/E+date+6"
unit_call rate2 POST /v1/evaluations -H "Idempotency-Key: test-key-rating-000000002" --data-binary "${rating/\"level\":2/\"level\":6}"
check "evaluations:level-checked" "status $status" test "$status/$(field rate2 error.code)" = 422/evaluation_invalid
report='{"category":"cannot_finish_here","implementation_code":null,"description":"自助机不能办理户口迁移","contact_phone":null,"reported_at":"2026-11-28T23:12:00+08:00"}'
unit_call report1 POST /v1/problem-reports -H "Idempotency-Key: test-key-report-000000001" --data-binary "$report"
check "problem-reports:numbered" "status $status $(cat "$work/report1.body")" \
    test "$status/$(field report1 report_number | sed 's/^B20261128[0-9]\{6\}$/B+date+6/')" = "201/B+date+6"
unit_call report2 POST /v1/problem-reports -H "Idempotency-Key: test-key-report-000000002" --data-binary "${report/cannot_finish_here/elsewhere}"
check "problem-reports:category-checked" "status $status" test "$status/$(field report2 error.code)" = 422/report_invalid

# ---- sessions and licences ---------------------------------------------------------------
card() { # kind id name name_en birth from to
    printf '{"card":{"card_kind":"%s","id_number":"%s","name":"%s","name_en":"%s","birth":"%s","valid_from":"%s","valid_to":"%s"},"purpose":"licence_print"}' "$@"
}
unit_call s1 POST /v1/sessions --data-binary "$(card resident 371302198003152035 张三丰 "" 19800315 20150601 20350601)"
session=$(field s1 session_id)
unit_call lic GET /v1/licences -H "Authorization: Session $session"
count=$(field lic licences.#)
good=0
for i in $(seq 0 $((count - 1))); do
    field lic "licences.$i.payload" | base64 -d >"$work/payload.$i" 2>/dev/null
    verify_sig "$work/payload.$i" "$(field lic "licences.$i.signature")" &&
        [ "$("$json" "$work/payload.$i" metadata.holder_code)" = 371302198003152035 ] && good=$((good + 1))
done
check "licences:signed-payloads" "$good of $count licences verify and name the card's holder (session $(cat "$work/s1.body"))" \
    test "$status/$count/$good" = 200/3/3
unit_call s2 POST /v1/sessions --data-binary "$(card resident 371311196507204027 李秀英 "" 19650720 20050101 20250101)"
check "sessions:expired-card" "status $status $(field s2 error.code)" test "$status/$(field s2 error.code)" = 422/card_expired
unit_call s3 POST /v1/sessions --data-binary "$(card foreign-2023 933700198805051231 玛丽亚 "RODRIGUEZ GARCIA MARIA DE LOS ANGELES" 19880505 20230601 20330601)"
otp_session=$(field s3 session_id)
code=$(curl -sS "$admin/admin/otp?session_id=$otp_session" | "$json" - code)
wrong=$(printf '%06d' $(((10#$code + 1) % 1000000)))
unit_call otp1 POST "/v1/sessions/$otp_session/otp" --data-binary "{\"code\":\"$wrong\"}"
wrong_answer=$status/$(field otp1 error.code)/$(field otp1 error.details.0.reason)
unit_call otp2 POST "/v1/sessions/$otp_session/otp" --data-binary "{\"code\":\"$code\"}"
check "sessions:one-time-code" "202 $(field s3 phone_masked), wrong code $wrong_answer, right code $status" \
    test "$(field s3 otp_required)/$(field s3 phone_masked)/$wrong_answer/$status/$(field otp2 holder.name_masked)" = "true/133****7890/401/otp_invalid/4/200/玛*亚"
unit_call s4 POST /v1/sessions --data-binary "$(card resident 110101199003078888 某人 "" 19900307 20200101 20400101)"
check "sessions:unknown-holder" "status $status" test "$status/$(field s4 error.code)" = 404/holder_unknown

# ---- fault switches -----------------------------------------------------------------------
admin_post /admin/faults '{"kind":"latency","path":"/v1/config","count":1,"arg":800}' >/dev/null
start=$(date +%s%N)
unit_call slow GET /v1/config
ms=$((($(date +%s%N) - start) / 1000000))
check "fault:latency" "status $status after $ms ms" test "$status" = 200 -a "$ms" -ge 800
admin_post /admin/faults '{"kind":"status","path":"/v1/catalogue/manifest","count":1,"arg":503}' >/dev/null
unit_call down GET /v1/catalogue/manifest
down=$status/$(field down error.code)/$(header down Retry-After)
unit_call up GET /v1/catalogue/manifest
check "fault:5xx-then-recovers" "first $down then $status" test "$down/$status" = "503/unavailable/1/200"
admin_post /admin/faults '{"kind":"trickle","path":"/v1/catalogue/manifest","count":1,"arg":2000}' >/dev/null
start=$(date +%s%N)
unit_call trickle GET /v1/catalogue/manifest
ms=$((($(date +%s%N) - start) / 1000000))
size=$(stat -c %s "$work/trickle.body")
check "fault:trickle" "$size bytes in $ms ms (want at least $((size / 2)) ms at 2000 B/s) and intact" \
    test "$ms" -ge $((size / 2)) -a "$(sha256sum <"$work/trickle.body")" = "$(sha256sum <"$work/up.body")"
admin_post /admin/faults "{\"kind\":\"corrupt\",\"path\":\"$shard0\",\"count\":1}" >/dev/null
unit_call corrupt GET "$shard0"
check "fault:corrupt-shard" "a corrupted shard still matches the manifest's SHA-256" \
    test "$status" = 200 -a "$(sha256sum "$work/corrupt.body" | cut -d' ' -f1)" != "$shard0_sha"
admin_post /admin/faults '{"kind":"bad-signature","path":"/v1/catalogue/manifest","count":1}' >/dev/null
unit_call badsig GET /v1/catalogue/manifest
if verify_sig "$work/badsig.body" "$(header badsig Kiosk-Signature)"; then
    not_ok "fault:bad-manifest-signature" "the signature still verifies"
else
    check "fault:bad-manifest-signature" "the signature after the fault does not verify" \
        verify_sig "$work/up.body" "$(header up Kiosk-Signature)"
fi
admin_post /admin/faults '{"kind":"bad-signature","path":"/v1/licences","count":1}' >/dev/null
unit_call badlic GET /v1/licences -H "Authorization: Session $session"
field badlic licences.0.payload | base64 -d >"$work/badlic.payload"
if verify_sig "$work/badlic.payload" "$(field badlic licences.0.signature)"; then
    not_ok "fault:bad-licence-signature" "the licence signature still verifies"
else
    ok "fault:bad-licence-signature"
fi
admin_post /admin/faults '{"kind":"wrong-server-cert","count":2}' >/dev/null
unit_call mitm GET /v1/config
mitm_rc=$curl_rc
echo | openssl s_client -connect "127.0.0.1:$port" -CAfile "$keys/ca.pem" -servername localhost >"$work/mitm.out" 2>&1
if [ "$mitm_rc" != 60 ]; then
    not_ok "fault:wrong-server-certificate" "curl pinned to the test CA exited $mitm_rc (want 60, certificate problem)"
elif ! grep -q "issuer=.*Unrelated Test CA" "$work/mitm.out" || grep -q "Verify return code: 0 (ok)" "$work/mitm.out"; then
    not_ok "fault:wrong-server-certificate" "s_client did not see the unrelated CA's certificate fail: $(grep -m1 'Verify return' "$work/mitm.out")"
else
    ok "fault:wrong-server-certificate"
fi
unit_call after GET /v1/config
check "fault:switches-end" "after the counted faults /v1/config answered $status" test "$status" = 200

# ---- admin ---------------------------------------------------------------------------------
admin_post /admin/reset '{}' >/dev/null
stats=$(curl -sS "$admin/admin/stats")
check "admin:reset" "after reset: $stats" test "$(printf '%s' "$stats" | "$json" - applications_received)/$(printf '%s' "$stats" | "$json" - idempotency_keys)/$(printf '%s' "$stats" | "$json" - applications.stored)" = 0/0/0

stop_emu
if grep -q "371302198003152035\|张三丰" "$work/emu.log"; then
    not_ok "platform-emu:log-has-no-personal-data" "the emulator's log holds a card number or a name"
else
    ok "platform-emu:log-has-no-personal-data"
fi
[ "$failures" -eq 0 ]
