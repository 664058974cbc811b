#!/usr/bin/env bash
# Receipt printer, end to end through kioskctl (make check runs this as tests/AREA/test-AREA.sh):
# `kioskctl print-test receipt --port` against escpos_sim (the printer model on a pty): the
# receipt it cuts is a 1-bit PNG whose QR code and both Code 128 symbols (ours, drawn at
# whole dots, and the printer's own GS k) decode with zbarimg; the JSON says printed; a
# cover left open gives exit 3 and the reason; a port that is not there gives exit 2.
set -uo pipefail
build=${1:?usage: tests/protocol/test-receipt.sh BUILD}
kioskctl=$build/kioskctl
sim=$build/escpos_sim
out=$build/test-receipt
rm -rf "$out"
mkdir -p "$out/prints"
report() { if [ "$1" = ok ]; then echo "ok $2"; else echo "not ok $2 - $3"; fi; }
if ! make -s "$sim" >/dev/null 2>&1 && [ ! -x "$sim" ]; then
    report fail receipt:build "$sim was not built"
    exit 1
fi

coproc SIM { exec "$sim" --out "$out/prints" 2>"$out/sim.log"; }
sim_pid=$SIM_PID
sim_in=${SIM[1]}
sim_out=${SIM[0]}
read -r -t 5 path <&"$sim_out" || path=
if [ ! -c "$path" ]; then
    report fail receipt:print-test "escpos_sim gave no pty"
    exit 1
fi

"$kioskctl" print-test receipt --port "$path" --profile epson-tm-t70ii >"$out/ok.json" 2>"$out/ok.err"
status=$?
if [ $status = 0 ] && grep -q '"result":"printed"' "$out/ok.json" && grep -q '"paper_end":false' "$out/ok.json"; then
    report ok receipt:print-test:printed
else
    report fail receipt:print-test:printed "exit $status: $(cat "$out/ok.json" "$out/ok.err" | head -3 | tr '\n' ' ')"
fi
png=$out/prints/receipt-0001.png
codes=$(zbarimg -q --nodbus "$png" 2>&1 | sort)
expected=$(printf 'CODE-128:KIOSK-PRINTER-128\nCODE-128:KIOSK-RASTER-128\nQR-Code:https://zwfw.linyi.example/print-test')
if [ "$codes" = "$expected" ]; then
    report ok receipt:print-test:codes-decode
else
    report fail receipt:print-test:codes-decode "zbarimg read: $(echo "$codes" | tr '\n' ' ')"
fi
# IHDR: bit depth 1, colour type 0 (grey): the file cannot hold a grey dot.
ihdr=$(od -An -tu1 -j24 -N2 "$png" 2>/dev/null | tr -s ' ')
if [ "$ihdr" = " 1 0" ]; then report ok receipt:print-test:1-bit; else report fail receipt:print-test:1-bit "IHDR depth/type '$ihdr'"; fi

echo "fault cover-open" >&"$sim_in"
read -r -t 5 answer <&"$sim_out" || answer=
"$kioskctl" print-test receipt --port "$path" --profile epson-tm-t70ii >"$out/cover.json" 2>"$out/cover.err"
status=$?
if [ $status = 3 ] && grep -q '"result":"failed-retryable"' "$out/cover.json" && grep -q 'cover open' "$out/cover.err" &&
    [ ! -e "$out/prints/receipt-0002.png" ]; then
    report ok receipt:print-test:cover-open-exit-3
else
    report fail receipt:print-test:cover-open-exit-3 "answer '$answer', exit $status: $(cat "$out/cover.json" "$out/cover.err" | tr '\n' ' ')"
fi
eval "exec ${sim_in}>&-"
wait "$sim_pid" 2>/dev/null

"$kioskctl" print-test receipt --port "$out/no-such-printer" >"$out/none.json" 2>"$out/none.err"
status=$?
if [ $status = 2 ] && grep -q 'no-such-printer' "$out/none.err" && [ ! -s "$out/none.json" ]; then
    report ok receipt:print-test:no-printer-exit-2
else
    report fail receipt:print-test:no-printer-exit-2 "exit $status: $(cat "$out/none.err")"
fi
