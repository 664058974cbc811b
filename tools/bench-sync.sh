#!/usr/bin/env bash
# tools/bench-sync.sh BUILD: the platform link's figures against the emulator on loopback
# (tools/bench.sh runs it; docs/benchmarks.md has the results). Not a test.
#   1. full sync of N generated items (default 100,000) into an empty unit: wall time, bytes
#      received and sent (bodies and headers, from libcurl; TLS overhead not counted)
#   2. a 1 % change (mutate changed = N/100): the delta's wall time and bytes
#   3. another 1 % change with the sync worker on its thread and a "UI" thread holding the
#      catalogue in use: the longest the UI thread was late, and the hand-over on it
#   4. the same with the chain broken (full resync of the whole document)
set -euo pipefail
BUILD=${1:?usage: tools/bench-sync.sh BUILD}
cd "$(dirname "$0")/.."
items=${SYNC_BENCH_ITEMS:-100000}
work=$PWD/$BUILD/bench-sync # absolute: bench_sync sits one folder deeper than kioskctl
rm -rf "$work"
mkdir -p "$work/unit/platform"
make -s BUILD="$BUILD" bench-tools >/dev/null
tools/platform-keys.sh "$work/keys" >/dev/null
"$BUILD/catalogue_gen" "$items" >"$work/catalogue.json"
sed -i "0,/\"version\":\"gen-[^\"]*\"/s//\"version\":\"2027.05.01-1\"/" "$work/catalogue.json"
emu=$BUILD/platform_emu
source tools/platform-emu.sh
trap stop_emu EXIT
start_emu 0 --catalogue "$work/catalogue.json" --quiet || { echo "bench-sync: the emulator did not start" >&2; exit 1; }
config=$work/unit.ini
printf '[platform]\nurl = https://127.0.0.1:%s\ncatalogue_check_s = 86400\n' "$port" >"$config"
trust_platform "$work/unit"
"$BUILD/kioskctl" enroll --token LY-DEMO-ENROLL --config "$config" --data-dir "$work/unit" >/dev/null
bench() { "$BUILD/bench/bench_sync" "$1" --config "$config" --data-dir "$work/unit"; }
value() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

full=$(bench once)
admin POST /admin/catalogue/mutate "{\"changed\":$((items / 100))}" >/dev/null
delta=$(bench once)
admin POST /admin/catalogue/mutate "{\"changed\":$((items / 100))}" >/dev/null
stall_delta=$(bench stall)
admin POST /admin/catalogue/mutate "{\"changed\":$((items / 100)),\"delta\":false}" >/dev/null
stall_full=$(bench stall)
document=$(stat -c %s "$work/catalogue.json")
echo "platform sync, $items items ($document bytes), emulator on loopback; $(nproc) × $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
printf '| %-52s | %s |\n' "what" "figure"
printf '| %-52s | %s ms, %s B received, %s B sent |\n' "full sync from empty (manifest, shards, check, store)" \
    "$(value wall_ms "$full")" "$(value received "$full")" "$(value sent "$full")"
printf '| %-52s | %s ms, %s B received, %s B sent |\n' "1 % changed, by delta" \
    "$(value wall_ms "$delta")" "$(value received "$delta")" "$(value sent "$delta")"
printf '| %-52s | %s ms late at most |\n' "UI thread with no sync (10 ms waits, 2 s): baseline" \
    "$(value idle_late_ms "$stall_delta")"
printf '| %-52s | %s ms late at most; hand-over %s ms; sync %s ms |\n' "UI thread during a 1 % delta sync (worker thread)" \
    "$(value longest_ui_stall_ms "$stall_delta")" "$(value handover_ms "$stall_delta")" "$(value sync_ms "$stall_delta")"
printf '| %-52s | %s ms late at most; hand-over %s ms; sync %s ms |\n' "UI thread during a full resync (chain broken)" \
    "$(value longest_ui_stall_ms "$stall_full")" "$(value handover_ms "$stall_full")" "$(value sync_ms "$stall_full")"
