#!/usr/bin/env bash
# Certificate printer over PCL, integration: tests/protocol/test-pcl.sh BUILD-DIR (run by make check).
# The technician's tool against the PCL laser model in another process (tools/pcl_sim), as on
# site against /dev/usb/lp0. Prints "ok NAME" / "not ok NAME - why".
#   pcl:licence-printed        print-test licence --port PTY exits 0 with state "printed"; the
#                              model writes one 1-bit 2480x3508 PNG at 300 dpi, and zbarimg
#                              reads the licence identifier off its QR code
#   pcl:calibration-printed    print-test calibration: one page, exit 0
#   pcl:paper-empty-then-one   the tray runs empty on row 1500: exit 3, "failed", retryable,
#                              no page; the printer reset (its cancel key: a pty has no
#                              SOFT_RESET) and paper in, the job again: exit 0 and exactly one
#                              complete page (its QR reads)
#   pcl:usage                  an unknown page kind or no printer named is a usage error (1);
#                              a USB printer that is not attached is "not answering" (2)
#   pcl:sim-list               pcl_sim --list names its faults; a bad fault is refused (exit 1)
set -uo pipefail
build=${1:?usage: tests/protocol/test-pcl.sh BUILD-DIR}
kioskctl=$build/kioskctl
sim=$build/pcl_sim
out=$(mktemp -d)
sim_pid=
cleanup() {
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
    rm -rf "$out"
}
trap cleanup EXIT

ok() { echo "ok $1"; }
not_ok() { echo "not ok $1 - $2"; }

# The PNG's width, height, bit depth and pixels per metre, from its IHDR and pHYs chunks.
png_facts() {
    python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
w, h, depth = struct.unpack('>IIB', d[16:25])
i, ppm = 8, 0
while i < len(d):
    n, t = struct.unpack('>I4s', d[i:i + 8])
    if t == b'pHYs':
        ppm = struct.unpack('>I', d[i + 8:i + 12])[0]
    i += 12 + n
print(w, h, depth, ppm)
PY
}

# Starts pcl_sim in the foreground as a coprocess (stdin takes its commands); sets pty.
start_sim() { # pages-dir [fault args...]
    local pages=$1
    shift
    mkdir -p "$pages"
    coproc SIM { exec "$sim" --out "$pages" "$@" 2>>"$out/sim.log"; }
    sim_pid=$SIM_PID
    pty=
    read -r -t 10 pty <&"${SIM[0]}"
}

sim_command() { # line; waits for its "ok"
    local reply=
    echo "$1" >&"${SIM[1]}"
    read -r -t 10 reply <&"${SIM[0]}"
    [ "$reply" = ok ]
}

stop_sim() {
    [ -n "$sim_pid" ] || return
    eval "exec ${SIM[1]}>&-"
    wait "$sim_pid" 2>/dev/null
    sim_pid=
}

wait_pages() { # dir count
    for _ in $(seq 100); do
        [ "$(ls "$1" | grep -c '\.png$')" -ge "$2" ] && return 0
        sleep 0.1
    done
    return 1
}

licence_id=1.2.156.3005.2.11100000000013338W011.92371302MA3C8K5L7Y.2430599.001.K

# --- licence ---
start_sim "$out/licence"
if [ -z "$pty" ]; then
    not_ok pcl:licence-printed "pcl_sim did not announce its pty: $(tail -3 "$out/sim.log")"
else
    "$kioskctl" print-test licence --port "$pty" >"$out/licence.json" 2>"$out/licence.err"
    rc=$?
    wait_pages "$out/licence" 1
    sleep 0.3
    pages=$(ls "$out/licence" | grep -c '\.png$')
    facts=$( [ -f "$out/licence/page-0001.png" ] && png_facts "$out/licence/page-0001.png")
    qr=$( [ -f "$out/licence/page-0001.png" ] && zbarimg -q --nodbus --raw "$out/licence/page-0001.png" 2>/dev/null)
    if [ $rc -eq 0 ] && grep -q '"state":"printed"' "$out/licence.json" && [ "$pages" -eq 1 ] &&
        [ "$facts" = "2480 3508 1 11811" ] && [ "$qr" = "$licence_id" ]; then
        ok pcl:licence-printed
    else
        not_ok pcl:licence-printed "exit $rc, $pages pages, png '$facts', qr '$qr', json $(head -c 300 "$out/licence.json"), stderr $(head -c 200 "$out/licence.err")"
    fi
fi
stop_sim

# --- calibration ---
start_sim "$out/calibration"
"$kioskctl" print-test calibration --port "$pty" >"$out/cal.json" 2>"$out/cal.err"
rc=$?
wait_pages "$out/calibration" 1
pages=$(ls "$out/calibration" | grep -c '\.png$')
if [ $rc -eq 0 ] && [ "$pages" -eq 1 ] && grep -q '"kind":"calibration"' "$out/cal.json"; then
    ok pcl:calibration-printed
else
    not_ok pcl:calibration-printed "exit $rc, $pages pages, json $(head -c 300 "$out/cal.json")"
fi
stop_sim

# --- paper empty mid-page, then exactly one page ---
start_sim "$out/paper" --fault paper-empty-after 1500
"$kioskctl" print-test licence --port "$pty" --timeout 1 >"$out/paper1.json" 2>"$out/paper1.err"
rc1=$?
pages1=$(ls "$out/paper" | grep -c '\.png$')
# The printer's cancel key first (a pty carries no SOFT_RESET), then paper: loaded first,
# the printer would finish the half job it holds, a partial page.
sim_command soft-reset && sim_command paper-in
sleep 0.3
pages_mid=$(ls "$out/paper" | grep -c '\.png$')
"$kioskctl" print-test licence --port "$pty" >"$out/paper2.json" 2>"$out/paper2.err"
rc2=$?
wait_pages "$out/paper" 1
sleep 0.5
pages2=$(ls "$out/paper" | grep -c '\.png$')
qr=$( [ -f "$out/paper/page-0001.png" ] && zbarimg -q --nodbus --raw "$out/paper/page-0001.png" 2>/dev/null)
if [ $rc1 -eq 3 ] && grep -q '"state":"failed","retryable":true' "$out/paper1.json" && [ "$pages1" -eq 0 ] &&
    [ "$pages_mid" -eq 0 ] && [ $rc2 -eq 0 ] && [ "$pages2" -eq 1 ] && [ "$qr" = "$licence_id" ]; then
    ok pcl:paper-empty-then-one
else
    not_ok pcl:paper-empty-then-one "first exit $rc1 ($pages1 pages) $(head -c 300 "$out/paper1.json"); $pages_mid pages after paper-in; retry exit $rc2, $pages2 pages, qr '$qr'"
fi
stop_sim

# --- usage and a missing USB printer ---
"$kioskctl" print-test passport --port /dev/null >/dev/null 2>&1
rc_kind=$?
"$kioskctl" print-test licence >/dev/null 2>&1
rc_none=$?
"$kioskctl" print-test licence --usb 1234:5678 >"$out/usb.json" 2>"$out/usb.err"
rc_usb=$?
if [ $rc_kind -eq 1 ] && [ $rc_none -eq 1 ] && [ $rc_usb -eq 2 ] && grep -q "1234:5678" "$out/usb.err"; then
    ok pcl:usage
else
    not_ok pcl:usage "unknown kind exit $rc_kind, no printer exit $rc_none, absent USB exit $rc_usb: $(head -c 200 "$out/usb.err")"
fi

# --- pcl_sim's own interface ---
list=$("$sim" --list 2>&1)
"$sim" --out "$out" --fault melted </dev/null >/dev/null 2>&1
rc_bad=$?
if [ "$list" = "faults: none paper-empty-after paper-empty error" ] && [ $rc_bad -eq 1 ]; then
    ok pcl:sim-list
else
    not_ok pcl:sim-list "list '$list', bad fault exit $rc_bad"
fi
