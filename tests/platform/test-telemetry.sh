#!/usr/bin/env bash
# Telemetry and heartbeat end to end (docs/platform-api.md §9): an enrolled sim unit runs a
# kiosk script in which each device fails and recovers in the sim's device models (the
# receipt printer's roll runs out mid-receipt, the PCL laser's tray empties, the ID card
# reader goes silent); the platform emulator is the judge of what arrived over mutual TLS.
# (make check runs this as tests/AREA/test-AREA.sh.) What each test asserts:
#   telemetry-kinds-in-order  the emulator's events for this unit, per device, are exactly
#                           ready → fault → ready (receipt.paper_end, a4.paper_end,
#                           idcard.missing), the faults in the order the script caused them
#                           and each recovery after its fault; every event names the state it
#                           left (data.was) and whether the device is usable
#   telemetry-delivered-live  events reached the platform while the kiosk ran (its own sync
#                           worker, batches of telemetry_flush_s = 1)
#   telemetry-kept-over-shutdown  events noted just before the kiosk stopped were written to
#                           the outbox at shutdown (pending there); the kiosk started again
#                           delivered them: none lost, none refused (the emulator checks
#                           kinds and RFC 3339 times), no request stored twice
#   heartbeat-device-states a heartbeat sent while the printers were out of paper says
#                           receipt and a4 paper_end; a later one (after the restart) says all
#                           three ready; every one has exactly the devices idcard, receipt, a4
#   telemetry-no-personal-data  with a resident's card read during the run, no event or
#                           heartbeat holds the name, ID number or address; events carry only
#                           at, kind and data {usable, was}
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/sim}
emu=$build/platform_emu
json=$build/tests/json_get
work=$build/telemetry-test
rm -rf "$work"
mkdir -p "$work/unit/platform"
ok() { echo "ok $1"; }
not_ok() { echo "not ok $1 - $2"; }
for tool in "$emu" "$build/kiosk" "$build/kioskctl" "$json"; do
    [ -x "$tool" ] || { not_ok tools "$tool is missing (make all)"; exit 1; }
done
tools/platform-keys.sh "$work/keys" >/dev/null 2>&1 || { not_ok keys "tools/platform-keys.sh failed"; exit 1; }
source tools/platform-emu.sh
trap stop_emu EXIT
start_emu || { not_ok emulator "did not start: $(tail -n 3 "$work/emu.log")"; exit 1; }
unit=$PWD/$work/unit
trust_platform "$unit"
# Quick polls and a heartbeat every second so a short script shows what a day would.
cat >"$work/kiosk.ini" <<EOF
[devices]
idcard_poll_ms = 200
receipt_poll_ms = 500
receipt_profile = epson-tm-t70ii
cert_poll_ms = 500
[platform]
url = $url
retry_base_ms = 50
retry_max_s = 1
connect_timeout_ms = 2000
heartbeat_s = 1
outbox_poll_s = 1
telemetry_flush_s = 2
telemetry_batch_max = 20
EOF
if ! "$build/kioskctl" enroll --url "$url" --token LY-DEMO-ENROLL --config "$work/kiosk.ini" --data-dir "$unit" \
    >"$work/enroll.log" 2>&1; then
    not_ok enroll "$(tail -n 2 "$work/enroll.log")"
    exit 1
fi
unit_id=$(grep -o 'LY-KIOSK-[0-9]*' "$work/enroll.log" | head -1)

# The faults, one after another, each awaited as the device's own worker reports it; the
# resident's card lies on the reader meanwhile (read, then wiped: nothing of it may leave).
cat >"$work/faults.script" <<'EOF'
wait-screen home
wait-device receipt_printer present
wait-device cert_printer present
wait-device idcard_reader present
card place resident
tap-text 办事指南
wait-screen guide_search
wait-text 常用事项
type sfz
wait-text 居民身份证换领
tap-text 居民身份证换领
wait-screen guide
printer receipt paper-out-after 400
tap-text 打印办事指南
wait-text 凭条打印机缺纸，请联系工作人员或明天再来。
wait-device receipt_printer missing
printer cert paper-empty
wait-device cert_printer missing
card remove
reader fault silence
wait-device idcard_reader missing
reader fault none
wait-device idcard_reader present
printer cert none
wait-device cert_printer present
printer receipt none
wait-device receipt_printer present
EOF
timeout 90 "$build/kiosk" --script "$work/faults.script" --out "$work/faults" --config "$work/kiosk.ini" \
    --data-dir "$unit" >"$work/faults.log" 2>&1
status=$?
if [ "$status" != 0 ]; then
    not_ok telemetry-script "exit $status: $(grep -m1 'script:' "$work/faults.log" || tail -n 2 "$work/faults.log")"
fi
admin GET /admin/telemetry >"$work/live.json"
live=$("$json" "$work/live.json" 'events.#' 2>/dev/null || echo 0)
"$build/kioskctl" outbox --config "$work/kiosk.ini" --data-dir "$unit" >"$work/outbox-after-stop.txt" 2>&1
pending=$(awk '$1 == "telemetry" { print $2 }' "$work/outbox-after-stop.txt")

# The heartbeats' device states: "B A" = index of the first heartbeat with both printers out
# of paper, index of the first one after it with every device ready (-1: none).
heartbeat_marks() {
    local n i devices both=-1 ready=-1
    n=$("$json" "$work/heartbeats.json" 'heartbeats.#' 2>/dev/null || echo 0)
    for ((i = 0; i < n; i++)); do
        devices=$("$json" "$work/heartbeats.json" "heartbeats.$i.body.devices")
        if [ "$both" -lt 0 ] && [[ "$devices" == *'"receipt":"paper_end"'* && "$devices" == *'"a4":"paper_end"'* ]]; then
            both=$i
        elif [ "$both" -ge 0 ] && [ "$ready" -lt 0 ] && [ "$devices" = '{"idcard":"ready","receipt":"ready","a4":"ready"}' ]; then
            ready=$i
        fi
    done
    echo "$both $ready"
}
# The unit started again, as a kiosk runs (headless, no script): its own platform link sends
# what the last stop left in the outbox, and heartbeats say the repaired devices are ready.
# Stopped with SIGTERM (a clean stop) once the emulator has both, or after 15 s.
"$build/kiosk" --headless --config "$work/kiosk.ini" --data-dir "$unit" >"$work/restart.log" 2>&1 &
kiosk_pid=$!
for _ in $(seq 150); do
    admin GET /admin/heartbeats >"$work/heartbeats.json"
    admin GET /admin/telemetry >"$work/telemetry.json"
    read -r _ after_ready <<<"$(heartbeat_marks)"
    [ "$after_ready" -ge 0 ] && [ "$("$json" "$work/telemetry.json" 'events.#')" -gt "$live" ] && break
    sleep 0.1
done
kill -TERM "$kiosk_pid" 2>/dev/null
wait "$kiosk_pid"
restart_status=$?
"$build/kioskctl" outbox --config "$work/kiosk.ini" --data-dir "$unit" >"$work/outbox-final.txt" 2>&1
admin GET /admin/telemetry >"$work/telemetry.json"
admin GET /admin/heartbeats >"$work/heartbeats.json"
admin GET /admin/stats >"$work/stats.json"

# One line per event: "kind usable was unit request".
events() {
    local file=$1 n i
    n=$("$json" "$file" 'events.#' 2>/dev/null || echo 0)
    for ((i = 0; i < n; i++)); do
        echo "$("$json" "$file" "events.$i.kind") $("$json" "$file" "events.$i.data.usable")" \
            "$("$json" "$file" "events.$i.data.was") $("$json" "$file" "events.$i.unit_id")" \
            "$("$json" "$file" "events.$i.request")"
    done
}
events "$work/telemetry.json" >"$work/events.txt"
# A device's events as "kind/usable/was "; the restart's own first report (X.ready, was
# unknown: a new boot does not know what came before) may follow, when it was delivered
# before the restarted kiosk stopped: it is not part of the faults run.
device_sequence() {
    local seq
    seq=$(awk -v d="$1." 'index($1, d) == 1 { printf "%s/%s/%s ", $1, $2, $3 }' "$work/events.txt")
    seq=${seq%"$1.ready/true/unknown "}
    echo "${seq% }"
}
idcard=$(device_sequence idcard)
receipt=$(device_sequence receipt)
a4=$(device_sequence a4)
# The faults and recoveries in the order the script made them (line numbers in events.txt).
line_of() { grep -n "^$1 " "$work/events.txt" | head -1 | cut -d: -f1; }
order=""
for kind in receipt.paper_end a4.paper_end idcard.missing; do order="$order $(line_of "$kind")"; done
read -r l_receipt l_a4 l_idcard <<<"$order"
units=$(awk '{ print $4 }' "$work/events.txt" | sort -u | tr '\n' ' ')
if [ "$idcard" = "idcard.ready/true/unknown idcard.missing/false/ready idcard.ready/true/missing" ] &&
    [ "$receipt" = "receipt.ready/true/unknown receipt.paper_end/false/ready receipt.ready/true/paper_end" ] &&
    [ "$a4" = "a4.ready/true/unknown a4.paper_end/false/ready a4.ready/true/paper_end" ] &&
    [ -n "$l_receipt" ] && [ -n "$l_a4" ] && [ -n "$l_idcard" ] && [ "$l_receipt" -lt "$l_a4" ] &&
    [ "$l_a4" -lt "$l_idcard" ] && [ "$units" = "$unit_id " ]; then
    ok telemetry-kinds-in-order
else
    not_ok telemetry-kinds-in-order "idcard '$idcard', receipt '$receipt', a4 '$a4', fault lines '$order', units '$units' (unit $unit_id)"
fi

if [ "${live:-0}" -ge 3 ]; then
    ok telemetry-delivered-live
else
    not_ok telemetry-delivered-live "the emulator had ${live:-0} events when the kiosk stopped"
fi

total=$(wc -l <"$work/events.txt")
final_failed=$(awk '$1 == "telemetry" { print $4 }' "$work/outbox-final.txt")
requests=$(awk '{ print $5 }' "$work/events.txt" | sort -u | wc -l)
stored=$("$json" "$work/stats.json" telemetry.stored 2>/dev/null)
if [ "${pending:-0}" -ge 1 ] && [ "$final_failed" = 0 ] && [ "$total" -gt "$live" ] &&
    [ "$requests" = "$stored" ] && [ "$restart_status" = 0 ]; then
    ok telemetry-kept-over-shutdown
else
    not_ok telemetry-kept-over-shutdown "pending after stop '${pending:-}', failed after the restart '$final_failed', events $live live → $total, requests $requests stored '$stored', restart exit $restart_status"
fi

n=$("$json" "$work/heartbeats.json" 'heartbeats.#' 2>/dev/null || echo 0)
bad_keys=0
for ((i = 0; i < n; i++)); do
    case "$("$json" "$work/heartbeats.json" "heartbeats.$i.body.devices")" in
    '{"idcard":"'*'","receipt":"'*'","a4":"'*'"}') ;;
    *) bad_keys=$((bad_keys + 1)) ;;
    esac
done
read -r both_out after_ready <<<"$(heartbeat_marks)"
if [ "$both_out" -ge 0 ] && [ "$after_ready" -gt "$both_out" ] && [ "$bad_keys" = 0 ]; then
    ok heartbeat-device-states
else
    not_ok heartbeat-device-states "$n heartbeats: both printers out of paper first at '$both_out', all ready after it at '$after_ready', $bad_keys malformed: $(head -c 300 "$work/heartbeats.json")"
fi

# The card's holder (board/sim/idcard_model.c "resident"): name, ID number, address.
leaks=$(grep -Eo '张三丰|371302198003152|金雀山路|19800315' "$work/telemetry.json" "$work/heartbeats.json" | head -3)
extra_keys=$(grep -o '"[a-z_]*":' "$work/telemetry.json" | sort -u | grep -vxE '"(events|at|kind|data|usable|was|request|unit_id)":')
read_card=$(grep -c 'idcard: card read: resident' "$work/faults.log")
if [ -z "$leaks" ] && [ -z "$extra_keys" ] && [ "$total" -ge 1 ] && [ "$read_card" -ge 1 ]; then
    ok telemetry-no-personal-data
else
    not_ok telemetry-no-personal-data "found '$leaks', keys '$extra_keys' in $total events (card read $read_card times)"
fi
