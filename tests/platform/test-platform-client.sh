#!/usr/bin/env bash
# The kiosk side of the platform link against the platform emulator (tests/platform) over real
# TLS on loopback: kioskctl enroll and sync, and tools/platform_driver, all on the firmware's
# own modules (trust, sync, outbox, catalogue, db). What each test asserts:
#   enroll                   the unit key (0600) and the certificate the platform issued; the
#                            certificate verifies against the CA and holds the unit key
#   enroll-bad-token         refused, the certificate on disk unchanged
#   first-sync               an empty unit gets the platform's catalogue, whole (read back as
#                            the kiosk does at start, rows agree)
#   delta                    a changed catalogue arrives as a delta; version and item count
#   tampered-manifest, bad-signature, tampered-shard
#                            each refused with one clear line; the catalogue in use stays
#   tampered-delta           a delta failing its hash: full resync, the result whole
#   wrong-server-cert        a server certificate from another CA: refused, nothing changes
#   resume-after-reset       a shard cut mid-body is resumed with Range (206 on the wire)
#   kiosk-search-sees-synced-catalogue  the kiosk (headless script) on a new unit: its sync
#                            worker applies the platform's catalogue, and 办事指南's search
#                            shows the platform's renamed item without a restart; the
#                            technician's 设备信息 says 平台连接：正常 and the catalogue version
#   heartbeat-brings-new-catalogue  the running kiosk (hourly catalogue check) fetches a
#                            catalogue published after its start within seconds: the
#                            heartbeat's answer names it
#   catalogue-waits-until-home  a catalogue synced while the technician is two screens deep
#                            is used only once the unit is back at home (nobody is thrown
#                            out of a service); 设备信息 shows the old, then the new version
#   outbox-offline-then-drains  applications written while the platform is down wait, then
#                            go once it is back: the platform stores each exactly once
#   outbox-503-retried       a 503 answer: the records wait with the reason, then go once
#   expired-client-cert-refused  a unit with an expired certificate: 403 from the platform,
#                            exit 3 with the reason, nothing stored
#   kill9-catalogue-apply    SIGKILL at random points of N catalogue syncs: the stored
#                            catalogue is always whole (old or new), the last sync completes
#   kill9-outbox-delivery    SIGKILL at random points of N deliveries: zero lost, zero
#                            duplicated at the platform (its admin counts)
# Usage: tests/platform/test-platform-client.sh BUILD-DIR   (KILL_POINTS=N for each kill test, default 30;
# make soak runs 300). make check prefixes the names with "platform-client:".
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/sim}
emu=${PLATFORM_EMU:-$build/platform_emu}
keys_script=${PLATFORM_KEYS_SCRIPT:-tools/platform-keys.sh}
kioskctl=$build/kioskctl
driver=$build/platform_driver
gen=$build/catalogue_gen
kill_points=${KILL_POINTS:-30}
work=$build/platform-client-test
failures=0

ok() { echo "ok $1"; }
not_ok() { echo "not ok $1 - $2"; failures=$((failures + 1)); }

for tool in openssl "$emu" "$kioskctl" "$driver" "$gen" "$keys_script"; do
    if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "$tool" ]; then
        not_ok tools "$tool is missing (make all)"
        exit 1
    fi
done
rm -rf "$work"
mkdir -p "$work/unit/platform"
"$keys_script" "$work/keys" >/dev/null 2>&1 || { not_ok keys "$keys_script failed"; exit 1; }

source tools/platform-emu.sh
background_pid=
cleanup() {
    [ -n "$background_pid" ] && kill -9 "$background_pid" 2>/dev/null
    stop_emu
}
trap cleanup EXIT
# The emulator keeps its state in $work/emu: a restart is the same platform coming back.
emu_args=(--catalogue assets/catalogue/seed.json --shard-size 65536)
# A number from the admin stats: stat OBJECT FIELD (e.g. stat applications stored).
emu_stat() {
    admin GET /admin/stats | grep -o "\"$1\":{[^}]*}" | grep -o "\"$2\":[0-9]*" | cut -d: -f2
}
platform_version() { admin GET /admin/stats | grep -o '"catalogue_version":"[^"]*"' | cut -d'"' -f4; }
fault() { admin POST /admin/faults "$1" >/dev/null; }
clear_faults() { admin DELETE /admin/faults >/dev/null; }

start_emu 0 "${emu_args[@]}" || { not_ok emulator "did not start: $(tail -n 3 "$work/emu.log")"; exit 1; }
unit=$work/unit
config=$work/unit.ini
write_config() {
    # Short retries and timeouts: the tests wait for them.
    printf '[platform]\nurl = https://127.0.0.1:%s\nretry_base_ms = 50\nretry_max_s = 1\nconnect_timeout_ms = 2000\nlow_speed_s = 5\n' \
        "$port" >"$config"
}
write_config
trust_platform "$unit"
ctl() { "$kioskctl" "$@" --config "$config" --data-dir "$unit"; }
stored() { "$driver" check --config "$config" --data-dir "$unit" 2>&1; }

# ---- enrollment -----------------------------------------------------------------------------
if ctl enroll --token LY-DEMO-ENROLL >"$work/enroll.out" 2>&1 &&
    openssl verify -CAfile "$work/keys/ca.pem" "$unit/platform/unit.crt" >/dev/null 2>&1 &&
    [ "$(stat -c %a "$unit/platform/unit.key")" = 600 ] &&
    [ "$(openssl x509 -in "$unit/platform/unit.crt" -noout -pubkey)" = \
      "$(openssl pkey -in "$unit/platform/unit.key" -pubout 2>/dev/null)" ]; then
    ok enroll
else
    not_ok enroll "$(tr '\n' ' ' <"$work/enroll.out")"
fi
cert_before=$(sha256sum <"$unit/platform/unit.crt")
if ! ctl enroll --token LY-ENROLL-NOSUCH >"$work/enroll-bad.out" 2>&1 &&
    grep -q 'token_invalid' "$work/enroll-bad.out" && [ "$(sha256sum <"$unit/platform/unit.crt")" = "$cert_before" ]; then
    ok enroll-bad-token
else
    not_ok enroll-bad-token "$(tr '\n' ' ' <"$work/enroll-bad.out")"
fi

# ---- catalogue ------------------------------------------------------------------------------
expect_stored() { # name version items
    local got
    got=$(stored)
    [ "$got" = "$2 $3" ] || { not_ok "$1" "stored catalogue is '$got', expected '$2 $3'"; return 1; }
}
if stored >/dev/null; then not_ok first-sync "a catalogue was stored before the first sync"; fi
ctl sync --catalogue >"$work/sync1.out" 2>&1
if grep -q 'applied (full, 113 items; was none)' "$work/sync1.out" && expect_stored first-sync "$(platform_version)" 113; then
    ok first-sync
elif ! grep -q 'applied' "$work/sync1.out"; then
    not_ok first-sync "$(tr '\n' ' ' <"$work/sync1.out")"
fi

admin POST /admin/catalogue/mutate '{"changed":5,"added":2,"removed":1}' >/dev/null
ctl sync --catalogue >"$work/sync2.out" 2>&1
if grep -q 'applied (delta, 114 items' "$work/sync2.out" && expect_stored delta "$(platform_version)" 114; then
    ok delta
elif ! grep -q 'applied (delta' "$work/sync2.out"; then
    not_ok delta "$(tr '\n' ' ' <"$work/sync2.out")"
fi

# A refused update: exit 4, the line, the catalogue in use unchanged.
expect_refused() { # name pattern
    local before status
    before=$(stored)
    ctl sync --catalogue >"$work/$1.out" 2>&1
    status=$?
    if [ $status = 4 ] && grep -q "$2" "$work/$1.out" && [ "$(stored)" = "$before" ]; then
        ok "$1"
    else
        not_ok "$1" "exit $status, '$(tr '\n' ' ' <"$work/$1.out")', stored $(stored) (was $before)"
    fi
}
admin POST /admin/catalogue/mutate '{"changed":3,"added":1,"removed":0}' >/dev/null
fault '{"kind":"corrupt","path":"/v1/catalogue/manifest","count":1}'
expect_refused tampered-manifest 'manifest rejected: signature'
fault '{"kind":"bad-signature","path":"/v1/catalogue/manifest","count":1}'
expect_refused bad-signature 'manifest rejected: signature does not verify'

# A new document published; its delta and then one shard corrupted on the wire: the delta is
# given up for a full download, and that is refused.
"$gen" 400 --seed 3 >"$work/gen-a.json" && sed -i 's/"version":"gen-400-s3"/"version":"2027.01.01-1"/' "$work/gen-a.json"
admin POST /admin/catalogue/publish "{\"file\":\"$PWD/$work/gen-a.json\"}" >/dev/null
fault '{"kind":"corrupt","path":"/v1/catalogue/deltas/","count":1}'
fault '{"kind":"corrupt","path":"/v1/catalogue/shards/","count":1}'
expect_refused tampered-shard 'SHA-256 .* differs from the manifest'
clear_faults
if ctl sync --catalogue >"$work/sync3.out" 2>&1 && expect_stored after-refusals 2027.01.01-1 400; then
    ok after-refusals-next-sync-applies
fi

admin POST /admin/catalogue/mutate '{"changed":4,"added":0,"removed":2}' >/dev/null
fault '{"kind":"corrupt","path":"/v1/catalogue/deltas/","count":1}'
ctl sync --catalogue >"$work/sync4.out" 2>&1
if grep -q 'applied (full, 398 items' "$work/sync4.out" && expect_stored tampered-delta "$(platform_version)" 398; then
    ok tampered-delta-full-resync
elif ! grep -q 'applied (full' "$work/sync4.out"; then
    not_ok tampered-delta-full-resync "$(tr '\n' ' ' <"$work/sync4.out")"
fi

admin POST /admin/catalogue/mutate '{"changed":1,"added":1,"removed":0}' >/dev/null
before=$(stored)
fault '{"kind":"wrong-server-cert","count":1}'
ctl sync --catalogue >"$work/mitm.out" 2>&1
status=$?
if [ $status = 3 ] && grep -qi 'certificate' "$work/mitm.out" && [ "$(stored)" = "$before" ]; then
    ok wrong-server-cert
else
    not_ok wrong-server-cert "exit $status: $(tr '\n' ' ' <"$work/mitm.out")"
fi
clear_faults

# ---- resume ----------------------------------------------------------------------------------
"$gen" 1500 --seed 4 >"$work/gen-b.json" && sed -i 's/"version":"gen-1500-s4"/"version":"2027.02.01-1"/' "$work/gen-b.json"
admin POST /admin/catalogue/publish "{\"file\":\"$PWD/$work/gen-b.json\"}" >/dev/null
# Whichever is downloaded (the delta or the shards) is cut once, 30,000 bytes in.
fault '{"kind":"reset","path":"/v1/catalogue/shards/","count":1,"arg":30000}'
fault '{"kind":"reset","path":"/v1/catalogue/deltas/","count":1,"arg":30000}'
log_lines=$(wc -l <"$work/emu.log")
ctl sync --catalogue >"$work/resume.out" 2>&1
if grep -q 'applied (.*, 1500 items' "$work/resume.out" && expect_stored resume-after-reset 2027.02.01-1 1500 &&
    tail -n +"$((log_lines + 1))" "$work/emu.log" | grep -q 'GET /v1/catalogue/[a-z]*/[0-9a-f]* 206'; then
    ok resume-after-reset
else
    not_ok resume-after-reset "no 206 resume, or not applied: $(tr '\n' ' ' <"$work/resume.out")"
fi
clear_faults

# ---- outbox ----------------------------------------------------------------------------------
code=$("$driver" filable --file "$work/gen-b.json")
holder=371302198003152035 # the reader model's "resident" fixture, a holder the platform knows
stored_before=$(emu_stat applications stored)
stop_emu
"$driver" submit --config "$config" --data-dir "$unit" --count 5 --code "$code" --holder "$holder" >"$work/keys-offline.txt"
ctl sync --outbox >"$work/offline.out" 2>&1
status=$?
ctl outbox >"$work/outbox-offline.txt" 2>&1
offline_ok=0
if [ $status = 3 ] && grep -q '^application *5 *0 *0 .*Could not connect\|^application *5 *0 *0 .*onnect' "$work/outbox-offline.txt"; then
    offline_ok=1
fi
start_emu "$port" "${emu_args[@]}" || { not_ok outbox-offline-then-drains "emulator did not come back"; exit 1; }
sleep 0.2 # the retry time (retry_base_ms 50)
ctl sync --outbox >"$work/back.out" 2>&1
stored_after=$(emu_stat applications stored)
if [ $offline_ok = 1 ] && grep -q 'outbox: 5 delivered, 0 pending' "$work/back.out" &&
    [ "$((stored_after - stored_before))" = 5 ]; then
    ok outbox-offline-then-drains
else
    not_ok outbox-offline-then-drains "offline exit $status ($(grep '^application' "$work/outbox-offline.txt")); back: $(tr '\n' ' ' <"$work/back.out"); platform stored $stored_before -> $stored_after"
fi

# A 503 is retried later with the same key; nothing lost, stored once.
stored_before=$(emu_stat applications stored)
fault '{"kind":"status","path":"/v1/applications","count":1,"arg":503}'
"$driver" submit --config "$config" --data-dir "$unit" --count 2 --code "$code" --holder "$holder" >/dev/null
ctl sync --outbox >"$work/503.out" 2>&1
status=$?
ctl outbox >"$work/outbox-503.txt" 2>&1
sleep 1.2 # retry_max_s
ctl sync --outbox >"$work/503-again.out" 2>&1
if [ $status = 3 ] && grep -q '^application *2 .*HTTP 503 unavailable' "$work/outbox-503.txt" &&
    grep -q 'outbox: 2 delivered, 0 pending' "$work/503-again.out" &&
    [ "$(( $(emu_stat applications stored) - stored_before ))" = 2 ]; then
    ok outbox-503-retried
else
    not_ok outbox-503-retried "exit $status; $(grep '^application' "$work/outbox-503.txt"); then $(tr '\n' ' ' <"$work/503-again.out")"
fi

# A unit whose certificate has expired is refused by the platform: the link says so, and
# nothing is applied or dropped (the technician enrolls it again).
expired=$work/expired-unit
mkdir -p "$expired/platform"
cp "$unit/platform/"{ca.pem,signing.pub} "$expired/platform/"
fault '{"kind":"expired-client-cert","path":"/v1/enroll","count":1}'
"$kioskctl" enroll --token LY-DEMO-ENROLL --config "$config" --data-dir "$expired" >/dev/null 2>&1
"$kioskctl" sync --catalogue --config "$config" --data-dir "$expired" >"$work/expired.out" 2>&1
status=$?
if [ $status = 3 ] && grep -q 'HTTP 403 client_certificate_invalid' "$work/expired.out" &&
    ! "$driver" check --config "$config" --data-dir "$expired" >/dev/null 2>&1; then
    ok expired-client-cert-refused
else
    not_ok expired-client-cert-refused "exit $status: $(tr '\n' ' ' <"$work/expired.out")"
fi

# ---- kill -9 -----------------------------------------------------------------------------------
# A random delay in seconds below max_ms (bash's $RANDOM, 0..32767).
random_delay() { awk -v r="$RANDOM" -v m="$1" 'BEGIN { printf "%.3f", r / 32768 * m / 1000 }'; }
ms_now() { echo $((${EPOCHREALTIME/[.,]/} / 1000)); }
# Runs kioskctl sync ARGS in the background and SIGKILLs it after a random delay below max_ms.
kill_during() { # max_ms args...
    local max=$1
    shift
    "$kioskctl" sync "$@" --config "$config" --data-dir "$unit" >/dev/null 2>&1 &
    background_pid=$!
    sleep "$(random_delay "$max")"
    kill -9 "$background_pid" 2>/dev/null
    wait "$background_pid" 2>/dev/null
    background_pid=
}

# Catalogue apply: each round publishes a new version (deltas, and every third a new
# document), then kills a sync somewhere in download, parse, store or commit.
"$gen" 3000 --seed 5 >"$work/gen-c.json"
t0=$(ms_now)
sed 's/"version":"gen-3000-s5"/"version":"2027.03.01-1"/' "$work/gen-c.json" >"$work/gen-c0.json"
admin POST /admin/catalogue/publish "{\"file\":\"$PWD/$work/gen-c0.json\"}" >/dev/null
ctl sync --catalogue >/dev/null 2>&1
span=$(( $(ms_now) - t0 + 100 ))
broken=0 killed_old=0 killed_new=0
for round in $(seq "$kill_points"); do
    before=$(stored)
    if [ $((round % 3)) = 0 ]; then
        sed "s/\"version\":\"gen-3000-s5\"/\"version\":\"2027.03.01-$((round + 1))\"/" "$work/gen-c.json" >"$work/gen-c0.json"
        admin POST /admin/catalogue/publish "{\"file\":\"$PWD/$work/gen-c0.json\"}" >/dev/null
    else
        admin POST /admin/catalogue/mutate '{"changed":20,"added":3,"removed":2}' >/dev/null
    fi
    kill_during "$span" --catalogue
    after=$(stored) || { broken=$((broken + 1)); echo "round $round: $after" >>"$work/kill-catalogue.log"; continue; }
    if [ "$after" = "$before" ]; then killed_old=$((killed_old + 1)); else killed_new=$((killed_new + 1)); fi
done
ctl sync --catalogue >"$work/kill-final.out" 2>&1
final=$(stored)
if [ $broken = 0 ] && [ "${final%% *}" = "$(platform_version)" ]; then
    ok "kill9-catalogue-apply - $kill_points kills in ${span} ms syncs: $killed_old left the old catalogue, $killed_new the new; then $final"
else
    not_ok kill9-catalogue-apply "$broken of $kill_points kills left a broken catalogue ($(head -3 "$work/kill-catalogue.log" 2>/dev/null)); final '$final' vs platform $(platform_version)"
fi

# Outbox delivery: applications written up front, each POST slowed by 15 ms, a delivery run
# killed at a random point each round; then one run to the end.
count=$(( kill_points > 30 ? 2 * kill_points : 60 )) # enough that later kills still land mid-delivery
code=$("$driver" filable --file "$work/gen-c.json") # an item of the catalogue the platform serves now
stored_before=$(emu_stat applications stored)
keys_before=$(emu_stat applications idempotency_keys)
delivered_before=$(ctl outbox | awk '/^application/ { print $3 }')
"$driver" submit --config "$config" --data-dir "$unit" --count "$count" --code "$code" --holder "$holder" >"$work/keys-kill.txt"
fault '{"kind":"latency","path":"/v1/applications","count":-1,"arg":15}'
for round in $(seq "$kill_points"); do
    kill_during 400 --outbox
done
clear_faults
sleep 1.2 # retry_max_s: every record due again
ctl sync --outbox >"$work/kill-outbox.out" 2>&1
ctl outbox >"$work/outbox-final.txt"
stored_after=$(emu_stat applications stored)
keys_after=$(emu_stat applications idempotency_keys)
suppressed=$(emu_stat applications duplicates_suppressed)
new_stored=$((stored_after - stored_before))
new_keys=$((keys_after - keys_before))
if [ "$new_stored" = "$count" ] && [ "$new_keys" = "$count" ] && grep -q 'total pending: 0' "$work/outbox-final.txt" &&
    grep -q "^application *0 *$((count + delivered_before)) *0 " "$work/outbox-final.txt"; then
    ok "kill9-outbox-delivery - $kill_points kills; $count applications stored once each ($suppressed repeats suppressed by key)"
else
    not_ok kill9-outbox-delivery "platform stored $new_stored of $count with $new_keys keys; $(tr '\n' ' ' <"$work/kill-outbox.out"); unit: $(grep '^application' "$work/outbox-final.txt")"
fi

# ---- the kiosk itself ---------------------------------------------------------------------------
# A new unit with no catalogue and no seed: the kiosk's sync worker fetches the platform's
# (one item renamed), and its search shows it without a restart.
sed -e '0,/"version": "[^"]*"/s//"version": "2099.01.01-1"/' -e 's/居民身份证换领/居民身份证换领（平台同步）/' \
    assets/catalogue/seed.json >"$work/renamed.json"
admin POST /admin/catalogue/publish "{\"file\":\"$PWD/$work/renamed.json\"}" >/dev/null
kiosk_unit=$work/kiosk-unit
mkdir -p "$kiosk_unit/platform"
cp "$unit/platform/"{ca.pem,signing.pub,unit.crt,unit.key} "$kiosk_unit/platform/"
printf '[storage]\ncatalogue_seed =\n' >"$work/kiosk.ini"
printf '%s\n' 'wait-screen home' 'tap-text 办事指南' 'wait-screen guide_search' 'type sfz' \
    'wait-text 居民身份证换领（平台同步）' 'shot search' 'tap-text 返回' 'wait-screen home' 'tap-text 工作人员' \
    'wait-screen staff_login' 'tap-text 2' 'tap-text 4' 'tap-text 6' 'tap-text 8' 'tap-text 确定' \
    'wait-screen technician' 'tap-text 设备信息' 'wait-text 平台连接：正常' 'expect-text 事项目录版本：2099.01.01-1' \
    'shot unit-information' >"$work/kiosk.script"
if timeout 60 "$build/kiosk" --script "$work/kiosk.script" --out "$work/kiosk-out" --config "$work/kiosk.ini" \
    --data-dir "$PWD/$kiosk_unit" --platform-url "https://127.0.0.1:$port" >"$work/kiosk.log" 2>&1 &&
    grep -q 'sync: catalogue 2099.01.01-1 applied (full, 113 items; was none)' "$work/kiosk.log" &&
    grep -q 'sync: platform online' "$work/kiosk.log"; then
    ok kiosk-search-sees-synced-catalogue
else
    not_ok kiosk-search-sees-synced-catalogue "$(grep -v ' info ' "$work/kiosk.log" | tail -n 3 | tr '\n' ' ')"
fi


# The kiosk running (headless) with an hourly catalogue check: a catalogue published after its
# start is fetched within seconds because the heartbeat's answer names it.
printf '[storage]\ncatalogue_seed =\n[platform]\nheartbeat_s = 1\ncatalogue_check_s = 3600\n' >"$work/kiosk-heartbeat.ini"
"$build/kiosk" --headless --config "$work/kiosk-heartbeat.ini" --data-dir "$PWD/$kiosk_unit" \
    --platform-url "https://127.0.0.1:$port" >"$work/kiosk-heartbeat.log" 2>&1 &
background_pid=$!
for _ in $(seq 100); do grep -q 'sync: platform online' "$work/kiosk-heartbeat.log" && break; sleep 0.1; done
heartbeats_before=$(admin GET /admin/stats | grep -o '"heartbeats":[0-9]*' | cut -d: -f2)
new_version=$(admin POST /admin/catalogue/mutate '{"changed":2,"added":0,"removed":0}' | grep -o '"version":"[^"]*"' | cut -d'"' -f4)
for _ in $(seq 100); do grep -q "sync: catalogue $new_version applied" "$work/kiosk-heartbeat.log" && break; sleep 0.1; done
kill "$background_pid" 2>/dev/null
wait "$background_pid" 2>/dev/null
background_pid=
heartbeats_after=$(admin GET /admin/stats | grep -o '"heartbeats":[0-9]*' | cut -d: -f2)
if grep -q "heartbeat: the platform has catalogue $new_version" "$work/kiosk-heartbeat.log" &&
    grep -q "sync: catalogue $new_version applied (delta" "$work/kiosk-heartbeat.log" &&
    [ "$heartbeats_after" -gt "$heartbeats_before" ]; then
    ok heartbeat-brings-new-catalogue
else
    not_ok heartbeat-brings-new-catalogue "version $new_version: $(grep ' sync: ' "$work/kiosk-heartbeat.log" | tail -n 3 | tr '\n' ' ')"
fi

# A catalogue that arrives while someone is in a service waits until the unit is back at home:
# the technician is on 设备信息 (two screens deep) when the delayed sync lands; the version in
# use stays until they are back at home, then the new one is in use.
old_version=$("$driver" check --config "$config" --data-dir "$kiosk_unit" | cut -d' ' -f1)
new_version=$(admin POST /admin/catalogue/mutate '{"changed":1,"added":0,"removed":0}' | grep -o '"version":"[^"]*"' | cut -d'"' -f4)
fault '{"kind":"latency","path":"/v1/catalogue/manifest","count":1,"arg":2000}'
printf '%s\n' 'wait-screen home' 'tap-text 工作人员' 'wait-screen staff_login' 'tap-text 2' 'tap-text 4' 'tap-text 6' \
    'tap-text 8' 'tap-text 确定' 'wait-screen technician' 'tap-text 设备信息' "expect-text 事项目录版本：$old_version" \
    'wait-text 平台连接：正常' "expect-text 事项目录版本：$old_version" 'shot deferred' 'key back' 'key back' \
    'wait-screen home' 'tap-text 工作人员' 'wait-screen staff_login' 'tap-text 2' 'tap-text 4' 'tap-text 6' \
    'tap-text 8' 'tap-text 确定' 'wait-screen technician' 'tap-text 设备信息' "expect-text 事项目录版本：$new_version" \
    >"$work/deferred.script"
if timeout 60 "$build/kiosk" --script "$work/deferred.script" --out "$work/deferred-out" --config "$work/kiosk.ini" \
    --data-dir "$PWD/$kiosk_unit" --platform-url "https://127.0.0.1:$port" >"$work/deferred.log" 2>&1 &&
    grep -q "app: catalogue $new_version is used once the screen is back at home" "$work/deferred.log"; then
    ok catalogue-waits-until-home
else
    not_ok catalogue-waits-until-home "$old_version -> $new_version: $(grep -v ' info ' "$work/deferred.log" | tail -n 3 | tr '\n' ' ')"
fi
clear_faults
exit $((failures > 0))
