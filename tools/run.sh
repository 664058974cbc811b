#!/usr/bin/env bash
# make run: the kiosk in a window when there is a display; otherwise a headless demo
# that writes screenshots of what a resident would see.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/sim}
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "kiosk: opening the simulator window (mouse = touch, Esc = back, close the window to stop)"
    exec "$build/kiosk"
fi
out=$build/demo
rm -rf "$out"
echo "kiosk: no display; playing the demo script headless (board/sim/demo.script)"
"$build/kiosk" --script board/sim/demo.script --out "$out"
echo "kiosk: screenshots of the demo are in $out/:"
for shot in "$out"/*.png; do echo "  $shot"; done
echo "kiosk: to run the kiosk itself headless until Ctrl-C: $build/kiosk --headless"
