#!/usr/bin/env bash
# make run: the kiosk in a window when there is a display; otherwise a headless demo
# that writes screenshots of what a resident would see.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/sim}

# The platform emulator (tests/platform) on loopback before the kiosk, stopped when this
# script ends; only when it is built. Without it (or with its ports taken) the kiosk runs
# offline, as it would with the branch's network down.
emu_pid=
stop_platform() { if [ -n "$emu_pid" ]; then kill "$emu_pid" 2>/dev/null; wait "$emu_pid" 2>/dev/null; fi; }
trap stop_platform EXIT
if [ -x "$build/platform_emu" ] && tools/platform-keys.sh "$build/platform/keys"; then
    rm -f "$build/platform/ready"
    "$build/platform_emu" --keys "$build/platform/keys" --data "$build/platform/data" \
        --catalogue assets/catalogue/seed.json --ready-file "$build/platform/ready" \
        >"$build/platform/emu.out" 2>"$build/platform/emu.log" &
    emu_pid=$!
    for _ in $(seq 50); do [ -s "$build/platform/ready" ] || ! kill -0 "$emu_pid" 2>/dev/null && break; sleep 0.1; done
    if [ -s "$build/platform/ready" ]; then
        echo "kiosk: platform emulator on https://127.0.0.1:$(cut -d' ' -f1 "$build/platform/ready") (log $build/platform/emu.log)"
    else
        echo "kiosk: platform emulator did not start (see $build/platform/emu.log); running offline"
        stop_platform
        emu_pid=
    fi
fi

# The sim unit joins the emulator as a new unit would: the platform CA and signing key
# installed, enrolled once (again when the emulator's CA changed), then the kiosk syncs.
platform_args=()
if [ -n "$emu_pid" ]; then
    platform_url=https://127.0.0.1:$(cut -d' ' -f1 "$build/platform/ready")
    data_dir=$("$build/kioskctl" show-config board/sim/kiosk.ini | sed -n 's/^storage.data_dir = //p')
    mkdir -p "$data_dir/platform"
    cp "$build/platform/keys/ca.pem" "$data_dir/platform/ca.pem"
    cp "$build/platform/keys/signing.pub.pem" "$data_dir/platform/signing.pub"
    if ! openssl verify -CAfile "$data_dir/platform/ca.pem" "$data_dir/platform/unit.crt" >/dev/null 2>&1; then
        "$build/kioskctl" enroll --url "$platform_url" --token LY-DEMO-ENROLL >/dev/null ||
            echo "kiosk: enrollment with the platform emulator failed; running offline"
    fi
    platform_args=(--platform-url "$platform_url")
fi

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "kiosk: opening the simulator window (mouse = touch, Esc = back, close the window to stop)"
    "$build/kiosk" "${platform_args[@]}"
    exit
fi
out=$build/demo
rm -rf "$out"
echo "kiosk: no display; playing the demo script headless (board/sim/demo.script)"
"$build/kiosk" --script board/sim/demo.script --out "$out" "${platform_args[@]}"
if [ ${#platform_args[@]} -gt 0 ]; then
    echo "kiosk: the platform emulator is up; playing the licence demo (board/sim/demo-licence.script)"
    "$build/kiosk" --script board/sim/demo-licence.script --out "$out" "${platform_args[@]}" ||
        echo "kiosk: the licence demo stopped early (see above)"
    echo "kiosk: playing the feedback demo (board/sim/demo-feedback.script): 好差评 and 办不成事反映"
    "$build/kiosk" --script board/sim/demo-feedback.script --out "$out" "${platform_args[@]}" ||
        echo "kiosk: the feedback demo stopped early (see above)"
fi
echo "kiosk: screenshots of the demo are in $out/:"
for shot in "$out"/*.png; do echo "  $shot"; done
echo "kiosk: to run the kiosk itself headless until Ctrl-C: $build/kiosk --headless"
