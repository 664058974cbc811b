#!/usr/bin/env bash
# 好差评 and 办不成事反映 end to end: the kiosk (headless script) on an enrolled sim unit against
# the platform emulator over mutual TLS, what the resident says typed on the glass in 拼音 and
# 手写 (make check runs this as tests/AREA/test-AREA.sh). What each test asserts:
#   rating-delivered        不满意 with two reasons, a call-back phone and a comment in 拼音 →
#                           谢谢您的评价 with the platform's number (E…); the emulator holds
#                           exactly one evaluation, level 2, channel self_service, both reasons
#   report-delivered        category, description 临沂市兰山区金雀山路王 (拼音 picks and a
#                           written 王), a phone, 发送 → 谢谢您，反映已收到 with the platform's
#                           report number (B…); the emulator holds exactly one report
#   report-offline-once     the platform answers 503: 您的反映已保存 with the kiosk reference;
#                           the kiosk is killed with kill -9 before it could deliver; the next
#                           start delivers it: the emulator holds exactly two reports, and its
#                           idempotency key was seen once (no duplicate)
#   feedback-not-on-disk    after all, no file the kiosk wrote (database, WAL, logs) holds the
#                           description, the comment or the phone in plain text (the outbox
#                           keeps them sealed), and none is in the kiosk's logs
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/sim}
emu=$build/platform_emu
work=$build/feedback-test
rm -rf "$work"
mkdir -p "$work/unit/platform"
ok() { echo "ok $1"; }
not_ok() { echo "not ok $1 - $2"; }
for tool in "$emu" "$build/kiosk" "$build/kioskctl"; do
    [ -x "$tool" ] || { not_ok tools "$tool is missing (make all)"; exit 1; }
done
tools/platform-keys.sh "$work/keys" >/dev/null 2>&1 || { not_ok keys "tools/platform-keys.sh failed"; exit 1; }
source tools/platform-emu.sh
trap stop_emu EXIT
start_emu || { not_ok emulator "did not start: $(tail -n 3 "$work/emu.log")"; exit 1; }
unit=$PWD/$work/unit
trust_platform "$unit"
printf '[platform]\nurl = %s\nretry_base_ms = 50\nretry_max_s = 1\nconnect_timeout_ms = 2000\n' "$url" >"$work/unit.ini"
if ! "$build/kioskctl" enroll --url "$url" --token LY-DEMO-ENROLL --config "$work/unit.ini" --data-dir "$unit" \
    >"$work/enroll.log" 2>&1; then
    not_ok enroll "$(tail -n 2 "$work/enroll.log")"
    exit 1
fi
printf '[platform]\nretry_base_ms = 50\nretry_max_s = 1\nconnect_timeout_ms = 2000\noutbox_poll_s = 1\n' >"$work/kiosk.ini"
description=临沂市兰山区金雀山路王
phone=13905391234
form=('wait-screen home' 'tap-text 好差评/办不成事反映' 'wait-screen evaluate' 'tap-text 有事没办成？点这里反映'
    'wait-screen report' 'tap-text 设备用不了'
    'tap-text 点这里输入，可用拼音或手写' 'tap-text 拼音' 'type linyishi' 'pick-candidate 1' 'type lanshanqu'
    'pick-candidate 1' 'type jinqueshanlu' 'pick-candidate 1' 'tap-text 手写' 'write tests/ui/strokes/wang.strokes'
    'pick-candidate 1' "expect-input $description" 'tap-text 完成' 'tap-text 点这里输入电话号码' "type $phone"
    'tap-text 确定' 'tap-text 发送')
kiosk() { # name script-lines...
    local name=$1
    shift
    printf '%s\n' "$@" >"$work/$name.script"
    timeout 90 "$build/kiosk" --script "$work/$name.script" --out "$work/$name" --config "$work/kiosk.ini" \
        --data-dir "$unit" --platform-url "$url" >"$work/$name.log" 2>&1
}
evaluations() { admin GET /admin/stats | tr -d ' \n' | grep -o '"evaluations":{[^}]*}' | grep -o '"received":[0-9]*' | cut -d: -f2; }
reports() { admin GET /admin/stats | tr -d ' \n' | grep -o '"problem_reports":{[^}]*}' | grep -o '"received":[0-9]*' | cut -d: -f2; }

if kiosk delivered "${form[@]}" 'wait-text 谢谢您，反映已收到' 'expect-text 反映编号：B' 'shot delivered' \
    'tap-text 返回首页' 'wait-screen home' && [ "$(reports)" = 1 ]; then
    ok report-delivered
else
    not_ok report-delivered "reports at the emulator '$(reports)': $(grep -m1 'script:' "$work/delivered.log" || tail -n 2 "$work/delivered.log")"
fi

# The platform refuses for a while: the report waits in the outbox; the kiosk dies (kill -9)
# before the platform is back; the next start delivers it once.
admin POST /admin/faults '{"kind":"status","path":"/v1/problem-reports","count":1000,"arg":503}' >/dev/null
printf '%s\n' "${form[@]}" 'wait-text 您的反映已保存' 'expect-text 本机编号：' 'shot stored' 'advance 3600' >"$work/stored.script"
"$build/kiosk" --script "$work/stored.script" --out "$work/stored" --config "$work/kiosk.ini" --data-dir "$unit" \
    --platform-url "$url" >"$work/stored.log" 2>&1 &
kiosk_pid=$!
for _ in $(seq 1 300); do [ -e "$work/stored/stored.png" ] && break; sleep 0.1; done
sleep 1 # at least one refused delivery attempt
kill -9 "$kiosk_pid" 2>/dev/null
wait "$kiosk_pid" 2>/dev/null
stored_ok=0
[ -e "$work/stored/stored.png" ] && [ "$(reports)" = 1 ] && stored_ok=1
admin DELETE /admin/faults >/dev/null
# The next start, left running (no script) until the outbox has been delivered.
"$build/kiosk" --headless --config "$work/kiosk.ini" --data-dir "$unit" --platform-url "$url" >"$work/restarted.log" 2>&1 &
restart_pid=$!
for _ in $(seq 1 300); do [ "$(reports)" = 2 ] && break; sleep 0.1; done
sleep 1 # a second delivery, were there one, would have come by now
kill "$restart_pid" 2>/dev/null
wait "$restart_pid" 2>/dev/null
dups=$(admin GET /admin/stats | tr -d ' \n' | grep -o '"problem_reports":{[^}]*}' | grep -o '"duplicates_suppressed":[0-9]*' | cut -d: -f2)
if [ "$stored_ok" = 1 ] && [ "$(reports)" = 2 ] && [ "${dups:-0}" = 0 ]; then
    ok report-offline-once
else
    not_ok report-offline-once "stored '$stored_ok', reports '$(reports)', duplicates '${dups:-}': $(grep -m1 'script:' "$work/stored.log" || tail -n 2 "$work/stored.log")"
fi

comment=排队太久了
if kiosk rated 'wait-screen home' 'tap-text 好差评/办不成事反映' 'wait-screen evaluate' 'tap-text 不满意' \
    'tap-text 等待时间长' 'tap-text 设备故障' 'tap-text 同意工作人员回访' 'tap-text 点这里输入电话号码' "type $phone" \
    'tap-text 确定' 'tap-text 点这里输入，可用拼音或手写' 'tap-text 拼音' 'type paiduitaijiule' 'pick-candidate 1' \
    "expect-input $comment" 'tap-text 完成' 'tap-text 提交评价' 'wait-text 谢谢您的评价' 'expect-text 评价编号：E' \
    'shot rated' 'tap-text 返回首页' 'wait-screen home' && [ "$(evaluations)" = 1 ] &&
    body=$(sqlite3 "$work/emu/platform.db" "SELECT body FROM submissions WHERE kind = 'evaluation'") &&
    case "$body" in *'"level":2'*'"channel":"self_service"'*'"options":["等待时间长","设备故障"]'*'"callback_phone":"'"$phone"'"'*) true ;; *) false ;; esac; then
    ok rating-delivered
else
    not_ok rating-delivered "evaluations at the emulator '$(evaluations)', body '${body:-}': $(grep -m1 'script:' "$work/rated.log" || tail -n 2 "$work/rated.log")"
fi

# Nothing the resident typed is on disk in plain text, nor in a log.
hits=$( (grep -rlaF -e "$description" -e "$phone" -e "$comment" "$unit" "$work"/*.log 2>/dev/null; \
         for f in "$unit"/*.db*; do strings "$f" | grep -qF -e "$description" -e "$phone" -e "$comment" && echo "$f"; done) | sort -u)
if [ -z "$hits" ]; then
    ok feedback-not-on-disk
else
    not_ok feedback-not-on-disk "found in: $(echo $hits)"
fi
