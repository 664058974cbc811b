#!/usr/bin/env bash
# USB transports, integration: tests/usb/test-usb.sh BUILD-DIR (run by make check).
# Prints "ok NAME" / "not ok NAME - why".
#   read-card-usb-no-reader  kioskctl read-card --usb on this machine exits 2 (no reader) and
#                            names the VID:PID and why (no USB bus here, or not attached)
#   read-card-usb-bad-id     a VID:PID that is not hex is a usage error (1), not "no reader"
#   usb-e2e:*                the drivers against USB devices through a real kernel USB stack
#                            (tests/usb/usb-e2e.sh: qemu, dummy_hcd, gadgets; about 20-35 s)
set -uo pipefail
build=${1:?usage: tests/usb/test-usb.sh BUILD-DIR}
kioskctl=$build/kioskctl
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

ok() { echo "ok $1"; }
not_ok() { echo "not ok $1 - $2"; }

"$kioskctl" read-card --usb 0400:c35a --timeout 1 >"$out/stdout" 2>"$out/stderr"
rc=$?
if [ -d /sys/bus/usb ]; then
    want="no reader at USB 0400:c35a: no such USB device attached"
else
    want="no reader at USB 0400:c35a: no USB bus on this machine"
fi
if [ $rc -eq 2 ] && grep -qF "$want" "$out/stderr" && [ ! -s "$out/stdout" ]; then
    ok read-card-usb-no-reader
else
    not_ok read-card-usb-no-reader "exit $rc, stderr: $(head -c 300 "$out/stderr"), wanted exit 2 and '$want'"
fi

"$kioskctl" read-card --usb 0400:c3zz >"$out/stdout" 2>"$out/stderr"
rc=$?
if [ $rc -eq 1 ] && grep -qF "give VID:PID in hex" "$out/stderr"; then
    ok read-card-usb-bad-id
else
    not_ok read-card-usb-bad-id "exit $rc, stderr: $(head -c 300 "$out/stderr")"
fi

bash "$(dirname "$0")/usb-e2e.sh" "$build"
