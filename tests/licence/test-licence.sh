#!/usr/bin/env bash
# 证照打印 end to end: the kiosk (headless script) on an enrolled sim unit against the
# platform emulator over mutual TLS, the reader model and the certificate printer model
# (make check runs this as tests/AREA/test-AREA.sh). What each test asserts:
#   licence-printed         card placed → the holder's licences listed (verified against the
#                           platform key) → one chosen, purpose 办理政务服务事项 → 打印完成; the
#                           PCL model's page is A4 at 300 dpi, its QR reads as the licence's
#                           verification address; the platform session was opened and ended;
#                           好差评 of 证照打印 is offered after the print and 跳过 leads back
#   tampered-licences-refused  the emulator signs other bytes: nothing is listed or printed, the
#                           resident reads that some licences could not be verified, the log
#                           names the signature
#   left-resident's-answer-dropped  resident A leaves while the platform is slow to answer;
#                           resident B (foreign-2017) never sees A's licences: A's late answer
#                           is wiped, B sees B's own one licence
#   platform-down           the emulator stopped: the resident reads that the platform cannot
#                           be reached; nothing printed
#   licence-printed-ipp     the same through an IPP Everywhere printer (ippeveprinter): 打印完成
#                           only once the printer says the job completed; it got one A4 300 dpi
#                           PWG page whose QR reads as the licence's address; the row is printed
#                           with the printer's job-id
#   licence-ipp-paper-out-retry  paper out mid-job: 证照打印机缺纸 and 重试; the waiting job is
#                           sealed at rest (not PWG raster in the database); paper loaded, the
#                           worker reports the printer ready, 重试 prints it once (attempt 2)
#   licence-ipp-kiosk-restart-reconciled  the kiosk killed mid-job: at the next start the job
#                           is settled by its IPP job-id (completed: printed), never sent again
#   licence-ipp-fitted-to-printer  a printer that takes only sgray_8 at 600 dpi gets the page
#                           as sgray_8 at 600 dpi (A4: 4960 x 7015), its QR still reads
#   licence-ipp-a5          a unit on A5 stock: one A5 page (1748 x 2480 at 300 dpi), QR reads
#   otp-code-licence-printed  resident-moved gets a code by SMS: 验证码已发送至 …，请输入 6 位验证码,
#                           the time left counts on the kiosk's clock (5:00 → 4:50 after 10 s),
#                           the emulator's code typed on the pad shows in the boxes, 确定 → the
#                           licence listed and printed (one A4 page, QR reads); session ended
#   otp-wrong-code-then-locked  (长辈模式) wrong codes: 还可以再试 4…1 次 from the platform and
#                           nothing listed; the fifth: 错误次数太多, ask staff, no new code offered
#   otp-expired-new-code    the platform's code expired (410): 验证码已过期, 重新获取验证码 opens a
#                           new session whose code lists the licence
#   otp-platform-fails-code-kept  the code's check fails at the platform (503): 暂时连不上… 请稍后
#                           再按“确定”; the typed code stays and 确定 again lists the licence
#   otp-left-resident's-code-dropped  A leaves while the platform is slow to check A's code;
#                           B (foreign-2017) sees only B's licence; A's are never fetched, A's
#                           session is ended at the platform
#   otp-countdown-runs-out  (长辈模式) the kiosk's clock runs the 5 minutes out: 验证码已过期
#                           without asking the platform; a new code gives 5:00 again
#   otp-code-not-logged     none of the codes the emulator sent is in the kiosk's logs
#   no-personal-data-in-logs  no full ID number or full name in the kiosk's or emulator's logs
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/sim}
emu=$build/platform_emu
work=$build/licence-test
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
# The kiosk's own config: the sim's devices, the platform link, a quick certificate printer poll.
printf '[devices]\ncert_poll_ms = 500\n[platform]\nretry_base_ms = 50\nretry_max_s = 1\nconnect_timeout_ms = 2000\n' \
    >"$work/kiosk.ini"
kiosk() { # name script-lines...
    local name=$1
    shift
    printf '%s\n' "$@" >"$work/$name.script"
    timeout 90 "$build/kiosk" --script "$work/$name.script" --out "$work/$name" --config "${kiosk_ini:-$work/kiosk.ini}" \
        --data-dir "$unit" --platform-url "$url" >"$work/$name.log" 2>&1
}
pages() { find "$unit/prints" -name 'page-*.png' 2>/dev/null | wc -l; }

if kiosk printed 'wait-screen home' 'tap-text 证照打印' 'wait-screen id_card' 'card place resident' \
    'wait-screen licences' 'wait-text 请选择要打印的证照' 'expect-text 机动车驾驶证电子证照' 'shot list' \
    'tap-text 居民户口簿（个人页）电子证照' 'wait-text 打印件用于什么' 'shot purpose' 'tap-text 办理政务服务事项' \
    'wait-text 请从屏幕下方的出纸口取走证照' 'shot printed' 'tap-text 确定' 'tap-text 评价本次服务' \
    'wait-screen evaluate' 'expect-text 您对“证照打印”的办理满意吗？' 'tap-text 跳过' 'wait-screen licences' \
    'tap-text 办完了，清除我的信息' \
    'wait-screen home'; then
    png=$(find "$unit/prints" -name 'page-*.png' | sort | tail -n 1)
    qr=$(zbarimg -q --nodbus --raw "$png" 2>&1)
    size=$(od -An -tu4 --endian=big -j16 -N8 "$png" 2>/dev/null | tr -s ' ')
    sessions=$(admin GET /admin/stats | grep -o '"sessions":[0-9]*' | cut -d: -f2)
    if [ "$(pages)" = 1 ] && [ "$size" = " 2480 3508" ] && case "$qr" in https://*verify/*) true ;; *) false ;; esac &&
        [ "${sessions:-0}" -ge 1 ] && grep -q 'holder: licences: 3 verified, 0 rejected' "$work/printed.log"; then
        ok licence-printed
    else
        not_ok licence-printed "pages $(pages), size '$size', QR '$qr', sessions '${sessions:-}'"
    fi
else
    not_ok licence-printed "$(grep -m1 'script:' "$work/printed.log" || tail -n 2 "$work/printed.log")"
fi

admin POST /admin/faults '{"kind":"bad-signature","path":"/v1/licences"}' >/dev/null
if kiosk tampered 'wait-screen home' 'tap-text 证照打印' 'wait-screen id_card' 'card place resident' \
    'wait-screen licences' 'wait-text 有的证照没有通过核验' 'expect-no-text 居民户口簿（个人页）电子证照' 'shot tampered' &&
    grep -q 'rejected: its signature does not verify with the platform key' "$work/tampered.log" && [ "$(pages)" = 1 ]; then
    ok tampered-licences-refused
else
    not_ok tampered-licences-refused "$(grep -m1 'script:' "$work/tampered.log" || grep -m1 rejected "$work/tampered.log")"
fi
admin DELETE /admin/faults >/dev/null

admin POST /admin/faults '{"kind":"latency","path":"/v1/licences","count":1,"arg":1500}' >/dev/null
if kiosk stale 'wait-screen home' 'tap-text 证照打印' 'wait-screen id_card' 'card place resident' \
    'wait-screen licences' 'tap-text 办完了，清除我的信息' 'wait-screen home' 'card remove' 'tap-text 证照打印' \
    'wait-screen id_card' 'card place foreign-2017' 'wait-screen licences' 'wait-text 请选择要打印的证照' \
    'expect-no-text 居民户口簿（个人页）电子证照' 'expect-no-text 机动车驾驶证电子证照' 'shot second-resident'; then
    ok "left-resident's-answer-dropped"
else
    not_ok "left-resident's-answer-dropped" "$(grep -m1 'script:' "$work/stale.log" || tail -n 2 "$work/stale.log")"
fi
admin DELETE /admin/faults >/dev/null

# 证照打印 through an IPP Everywhere printer, what real boards have by default (ipp-usb at
# localhost:60000): CUPS' ippeveprinter (tools/ipp-printer.sh), the kiosk's IPP worker.
out=$work/ipp
if source tools/ipp-printer.sh; then
    trap 'printer_stop; stop_emu' EXIT
    printer_start
    kiosk_ini=$work/kiosk-ipp.ini
    sed "s|^\[devices\]|[devices]\ncert_printer = $uri|" "$work/kiosk.ini" >"$kiosk_ini"
    db=$unit/kiosk.db
    newest_pwg() { ls -t "$out"/spool/*.pwg 2>/dev/null | head -1; }
    to_printer=('wait-screen home' 'tap-text 证照打印' 'wait-screen id_card' 'card place resident' 'wait-screen licences'
        'wait-text 请选择要打印的证照' 'tap-text 居民户口簿（个人页）电子证照' 'wait-text 打印件用于什么'
        'tap-text 办理政务服务事项')
    if kiosk ipp-printed "${to_printer[@]}" 'wait-text 请从屏幕下方的出纸口取走证照' 'shot ipp-printed' 'tap-text 确定' \
        'tap-text 办完了，清除我的信息' 'wait-screen home'; then
        "$build/tests/pwg_check" "$(newest_pwg)" --page none --pgm "$work/ipp-printed.pgm" >"$work/ipp-printed.check" 2>&1
        facts=$(grep -E '^(width|height|xdpi|ydpi|media)=' "$work/ipp-printed.check" | tr '\n' ' ')
        qr=$(zbarimg -q --nodbus --raw "$work/ipp-printed.pgm" 2>&1)
        row=$(sqlite3 "$db" "SELECT state || ' ' || printer_job_id FROM print_jobs WHERE printer = 'certificate' ORDER BY id DESC LIMIT 1")
        if [ "$(sheets)" = 1 ] && [ "$facts" = "width=2480 height=3507 xdpi=300 ydpi=300 media=iso_a4_210x297mm " ] &&
            case "$qr" in https://*verify/*) true ;; *) false ;; esac && [[ "$row" == "printed "[0-9]* ]] &&
            grep -q 'certprinter: job [0-9]* printed (printer job' "$work/ipp-printed.log"; then
            ok licence-printed-ipp
        else
            not_ok licence-printed-ipp "sheets $(sheets), page '$facts', QR '$qr', row '$row'"
        fi
    else
        not_ok licence-printed-ipp "$(grep -m1 'script:' "$work/ipp-printed.log" || tail -n 2 "$work/ipp-printed.log")"
    fi

    # Paper runs out mid-job: the resident reads why and may retry; the job waits sealed (no
    # PWG raster in the database). The tray stays without A4 (ippeveprinter forgets a paper
    # out when the job ends, a laser does not: Letter in the tray stands for it) until the
    # technician loads paper; the worker reports the printer unusable, then ready, and only
    # then does the resident's 重试 go out: one sheet more, the row printed, attempt 2.
    echo media-empty >"$out/fault"
    last_id=$(sqlite3 "$db" "SELECT coalesce(max(id), 0) FROM print_jobs")
    before=$(sheets)
    spooled_before=$(spooled)
    kiosk ipp-paper-out "${to_printer[@]}" 'wait-text 证照打印机缺纸' 'expect-text 重试' 'shot ipp-paper-out' \
        'wait-device cert_printer missing' 'wait-device cert_printer present' 'tap-text 重试' \
        'wait-text 请从屏幕下方的出纸口取走证照' 'tap-text 确定' 'tap-text 办完了，清除我的信息' 'wait-screen home' &
    kiosk_pid=$!
    failed_row= sealed=
    for _ in $(seq 100); do
        failed_row=$(sqlite3 "$db" "SELECT id || ' ' || retryable FROM print_jobs WHERE id > ${last_id:-0} AND state = 'failed'" 2>/dev/null)
        [ -n "$failed_row" ] && break
        sleep 0.1
    done
    # A sealed page starts with the seal's version byte, never PWG raster's "RaS2".
    sealed=$(sqlite3 "$db" "SELECT hex(substr(payload, 1, 4)) || ' ' || length(payload) FROM print_jobs WHERE id = ${failed_row%% *}" 2>/dev/null)
    for _ in $(seq 100); do [ -s "$work/ipp-paper-out/ipp-paper-out.png" ] && break; sleep 0.1; done
    printer_media na_letter_8.5x11in
    for _ in $(seq 100); do grep -q 'printer unusable' "$work/ipp-paper-out.log" && break; sleep 0.1; done
    rm -f "$out/fault"
    printer_media iso_a4_210x297mm # the technician loads paper
    wait "$kiosk_pid"
    status=$?
    row=$(sqlite3 "$db" "SELECT state || ' ' || attempts FROM print_jobs WHERE id = ${failed_row%% *}" 2>/dev/null)
    if [ "$status" = 0 ] && [[ "$failed_row" == *" 1" ]] && [ -n "$sealed" ] && [[ "$sealed" != 52615332* ]] &&
        [ "$row" = "printed 2" ] && [ "$(sheets)" = $((before + 1)) ] && [ "$(spooled)" = $((spooled_before + 2)) ]; then
        ok licence-ipp-paper-out-retry
    else
        not_ok licence-ipp-paper-out-retry "exit $status ($(grep -m1 'script:' "$work/ipp-paper-out.log")), failed row '$failed_row', stored '$sealed', row now '$row', sheets $before → $(sheets), spooled $spooled_before → $(spooled)"
    fi

    # The kiosk killed (power cut) while the printer prints on: at the next start the worker
    # asks the printer about the job by its IPP job-id before anything else, learns it
    # completed, and marks it printed: one sheet, nothing sent again.
    echo slow >"$out/fault"
    last_id=$(sqlite3 "$db" "SELECT coalesce(max(id), 0) FROM print_jobs")
    before=$(sheets)
    spooled_before=$(spooled)
    kiosk ipp-killed "${to_printer[@]}" 'wait-text 请从屏幕下方的出纸口取走证照' 2>/dev/null &
    kiosk_pid=$!
    for _ in $(seq 100); do [ "$(find "$out/spool" -name '*.prn' | wc -l)" -gt "$spooled_before" ] && break; sleep 0.05; done
    pkill -KILL -f "kiosk --script $work/ipp-killed.script" # the kiosk itself, not its timeout
    wait "$kiosk_pid" 2>/dev/null
    survived=$(pgrep -f "kiosk --script $work/ipp-killed.script")
    rm -f "$out/fault"
    left=$(sqlite3 "$db" "SELECT state || ' ' || (printer_job_id != '') FROM print_jobs WHERE id > ${last_id:-0}" 2>/dev/null)
    kiosk ipp-restarted 'wait-screen home' 'wait-device cert_printer present'
    status=$?
    row=$(sqlite3 "$db" "SELECT state || ' ' || attempts FROM print_jobs WHERE id > ${last_id:-0}" 2>/dev/null)
    if [ -z "$survived" ] && [ "$status" = 0 ] && [ "$left" = "sending 1" ] && [ "$row" = "printed 1" ] &&
        [ "$(sheets)" = $((before + 1)) ] &&
        [ "$(spooled)" = $((spooled_before + 1)) ] && grep -q 'left sending by the last run: printed' "$work/ipp-restarted.log"; then
        ok licence-ipp-kiosk-restart-reconciled
    else
        not_ok licence-ipp-kiosk-restart-reconciled "${survived:+the kiosk outlived kill -9, }exit $status, row left '$left', now '$row', sheets $before → $(sheets), spooled $spooled_before → $(spooled)"
    fi
    printer_stop

    # A printer that takes only sgray_8 at 600 dpi (IPP Everywhere requires sgray_8; black_1
    # is optional): the stored black_1 300 dpi page goes out as the printer takes it.
    printf 'ATTR %s\n' 'keyword pwg-raster-document-type-supported sgray_8' \
        'resolution pwg-raster-document-resolution-supported 600dpi' 'keyword media-supported iso_a4_210x297mm' \
        'keyword media-ready iso_a4_210x297mm' 'keyword media-default iso_a4_210x297mm' >"$out/gray.conf"
    printer_conf=$out/gray.conf printer_start
    before=$(sheets)
    if kiosk ipp-gray "${to_printer[@]}" 'wait-text 请从屏幕下方的出纸口取走证照' 'tap-text 确定' \
        'tap-text 办完了，清除我的信息' 'wait-screen home'; then
        "$build/tests/pwg_check" "$(newest_pwg)" --page none --pgm "$work/ipp-gray.pgm" >"$work/ipp-gray.check" 2>&1
        facts=$(grep -E '^(width|height|xdpi|bits)=' "$work/ipp-gray.check" | tr '\n' ' ')
        qr=$(zbarimg -q --nodbus --raw "$work/ipp-gray.pgm" 2>&1)
        if [ "$(sheets)" = $((before + 1)) ] && [ "$facts" = "width=4960 height=7015 xdpi=600 bits=8 " ] &&
            case "$qr" in https://*verify/*) true ;; *) false ;; esac &&
            grep -q 'pages sent as 600 dpi sgray_8' "$work/ipp-gray.log"; then
            ok licence-ipp-fitted-to-printer
        else
            not_ok licence-ipp-fitted-to-printer "sheets $before → $(sheets), page '$facts', QR '$qr'"
        fi
    else
        not_ok licence-ipp-fitted-to-printer "$(grep -m1 'script:' "$work/ipp-gray.log" || tail -n 2 "$work/ipp-gray.log")"
    fi
    printer_stop

    # A unit on A5 stock: the page goes out as A5 and the tray is checked for A5 (a printer
    # that lists A5; ippeveprinter's own list has none).
    printf 'ATTR %s\n' 'keyword pwg-raster-document-type-supported black_1,sgray_8' \
        'resolution pwg-raster-document-resolution-supported 300dpi' \
        'keyword media-supported iso_a4_210x297mm,iso_a5_148x210mm' 'keyword media-ready iso_a5_148x210mm' \
        'keyword media-default iso_a5_148x210mm' >"$out/a5.conf"
    printer_conf=$out/a5.conf printer_start
    { cat "$work/kiosk-ipp.ini"; printf '[print]\npaper = A5\n'; } >"$work/kiosk-ipp-a5.ini"
    before=$(sheets)
    if kiosk_ini=$work/kiosk-ipp-a5.ini kiosk ipp-a5 "${to_printer[@]}" 'wait-text 请从屏幕下方的出纸口取走证照' \
        'tap-text 确定' 'tap-text 办完了，清除我的信息' 'wait-screen home'; then
        "$build/tests/pwg_check" "$(newest_pwg)" --page none --pgm "$work/ipp-a5.pgm" >"$work/ipp-a5.check" 2>&1
        facts=$(grep -E '^(width|height|xdpi|media)=' "$work/ipp-a5.check" | tr '\n' ' ')
        qr=$(zbarimg -q --nodbus --raw "$work/ipp-a5.pgm" 2>&1)
        if [ "$(sheets)" = $((before + 1)) ] && [ "$facts" = "width=1748 height=2480 xdpi=300 media=iso_a5_148x210mm " ] &&
            case "$qr" in https://*verify/*) true ;; *) false ;; esac; then
            ok licence-ipp-a5
        else
            not_ok licence-ipp-a5 "sheets $before → $(sheets), page '$facts', QR '$qr'"
        fi
    else
        not_ok licence-ipp-a5 "$(grep -m1 'script:' "$work/ipp-a5.log" || tail -n 2 "$work/ipp-a5.log")"
    fi
    printer_stop
    kiosk_ini=
fi

# 证照打印 for holders the platform sends a one-time code to (resident-moved, foreign-2023,
# whose one licence has expired: listed, not printable). A script is
# written before it runs and cannot know the code, so the kiosk runs in the background and
# its `type-from FILE` waits for FILE: this test finds the session waiting for a code in the
# emulator's database, asks the emulator's admin port for the code it "sent by SMS" (what a
# resident reads on the phone) and writes it there, as the resident would type it.
emu_db=$work/emu/platform.db
emu_sql() { sqlite3 -cmd '.timeout 3000' "$emu_db" "$1" 2>/dev/null; }
session_rows() { emu_sql "SELECT coalesce(max(rowid), 0) FROM sessions"; }
otp_session_after() { # ROWID: the id of the first session opened after it that waits for a code
    local sid=
    for _ in $(seq 150); do
        sid=$(emu_sql "SELECT session_id FROM sessions WHERE rowid > $1 AND state = 'otp' ORDER BY rowid LIMIT 1")
        [ -n "$sid" ] && break
        sleep 0.1
    done
    echo "$sid"
}
sms_code() { admin GET "/admin/otp?session_id=$1" | grep -o '"code":"[0-9]*"' | cut -d'"' -f4; }
type_later() { printf '%s\n' "$2" >"$1.tmp" && mv "$1.tmp" "$1"; } # whole, never half-written
wrong_code() { echo "$1" | tr 0123456789 1234567890; }                # every digit differs
to_otp() { # FIXTURE: the steps from home to the code step
    otp_steps=('wait-screen home' 'tap-text 证照打印' 'wait-screen id_card' "card place $1" 'wait-screen licences'
        'wait-text 验证码已发送至')
}
codes=()

# Right code: listed after the code, one printed on the PCL model; the time left counts on
# the kiosk's clock; neither the code nor the session id reaches the kiosk's log.
rows=$(session_rows)
rm -f "$work/code-right"
touch "$work/otp-printed.mark" # the PCL model numbers pages per run: count the ones written after this
to_otp resident-moved
kiosk otp-printed "${otp_steps[@]}" 'expect-text 请输入 6 位验证码' 'expect-text 验证码 5 分 00 秒后失效' 'shot otp' \
    'advance 10' 'expect-text 验证码 4 分 50 秒后失效' "type-from $work/code-right" 'shot otp-typed' 'tap-text 确定' \
    'wait-text 请选择要打印的证照' 'shot otp-list' 'tap-text 居民户口簿（个人页）电子证照' 'wait-text 打印件用于什么' \
    'tap-text 办理政务服务事项' 'wait-text 请从屏幕下方的出纸口取走证照' 'tap-text 确定' 'tap-text 办完了，清除我的信息' \
    'wait-screen home' &
kiosk_pid=$!
sid=$(otp_session_after "$rows")
code=$([ -n "$sid" ] && sms_code "$sid")
codes+=("$code")
[ -n "$code" ] && type_later "$work/code-right" "$code"
wait "$kiosk_pid"
status=$?
printed=$(find "$unit/prints" -name 'page-*.png' -newer "$work/otp-printed.mark" | wc -l)
png=$(find "$unit/prints" -name 'page-*.png' -newer "$work/otp-printed.mark" | head -n 1)
qr=$(zbarimg -q --nodbus --raw "$png" 2>&1)
size=$(od -An -tu4 --endian=big -j16 -N8 "$png" 2>/dev/null | tr -s ' ')
typed=$(grep -c "^input .* $code\$" "$work/otp-printed/otp-typed.txt" 2>/dev/null)
if [ "$status" = 0 ] && [ -n "$code" ] && [ "$printed" = 1 ] && [ "$size" = " 2480 3508" ] &&
    case "$qr" in https://*verify/*) true ;; *) false ;; esac && [ "$typed" = 1 ] &&
    grep -q 'holder: one-time code accepted' "$work/otp-printed.log" &&
    grep -q 'holder: licences: 1 verified, 0 rejected' "$work/otp-printed.log" &&
    [ "$(emu_sql "SELECT state FROM sessions WHERE session_id = '$sid'")" = ended ] &&
    ! grep -qF "$sid" "$work/otp-printed.log"; then
    ok otp-code-licence-printed
else
    not_ok otp-code-licence-printed "exit $status ($(grep -m1 'script:' "$work/otp-printed.log")), session '$sid', code ${code:+fetched}, pages printed $printed, size '$size', QR '$qr', digits shown $typed"
fi

to_otp foreign-2023
# Wrong codes: 验证码不正确，还可以再试 N 次 from the platform's count, nothing listed; the
# fifth locks the session: the resident reads what to do (staff, or later), no new code. In
# 长辈模式: the notice and the large keys must fit together.
rows=$(session_rows)
rm -f "$work/code-wrong"
wrong=()
for left in 4 3 2 1; do
    wrong+=("type-from $work/code-wrong" 'tap-text 确定' "wait-text 验证码不正确，还可以再试 $left 次"
        'expect-no-text 请选择要打印的证照' 'expect-no-text 外国人工作许可证电子证照')
    [ "$left" = 4 ] && wrong+=('shot otp-wrong')
done
kiosk otp-wrong 'wait-screen home' 'tap-text 长辈模式：关' "${otp_steps[@]:1}" "${wrong[@]}" "type-from $work/code-wrong" 'tap-text 确定' 'wait-text 验证码错误次数太多' \
    'expect-text 请找工作人员帮忙' 'expect-no-text 重新获取验证码' 'expect-no-text 外国人工作许可证电子证照' 'shot otp-locked' \
    'tap-text 办完了，清除我的信息' 'wait-screen home' &
kiosk_pid=$!
sid=$(otp_session_after "$rows")
code=$([ -n "$sid" ] && sms_code "$sid")
codes+=("$code")
[ -n "$code" ] && type_later "$work/code-wrong" "$(wrong_code "$code")"
wait "$kiosk_pid"
status=$?
if [ "$status" = 0 ] && [ -n "$code" ] && [ "$(grep -c 'one-time code wrong' "$work/otp-wrong.log")" = 4 ] &&
    grep -q 'one-time code refused: .*HTTP 429 otp_locked' "$work/otp-wrong.log" &&
    ! grep -q 'holder: licences:' "$work/otp-wrong.log"; then
    ok otp-wrong-code-then-locked
else
    not_ok otp-wrong-code-then-locked "exit $status ($(grep -m1 'script:' "$work/otp-wrong.log")), session '$sid'"
fi

# Expired at the platform (its own clock: the test moves the code's expiry into the past in
# the emulator's database): 410 → 验证码已过期 and 重新获取验证码 opens a new session with the
# card already read; its new code lists the licences.
rows=$(session_rows)
rm -f "$work/code-expired-1" "$work/code-expired-2"
kiosk otp-expired "${otp_steps[@]}" "type-from $work/code-expired-1" 'tap-text 确定' 'wait-text 验证码已过期' \
    'expect-text 重新获取验证码' 'shot otp-expired' 'tap-text 重新获取验证码' 'wait-text 验证码已发送至' \
    "type-from $work/code-expired-2" 'tap-text 确定' 'wait-text 请选择要打印的证照' 'expect-text 外国人工作许可证电子证照' \
    'tap-text 办完了，清除我的信息' 'wait-screen home' &
kiosk_pid=$!
sid=$(otp_session_after "$rows")
code=$([ -n "$sid" ] && sms_code "$sid")
codes+=("$code")
emu_sql "UPDATE sessions SET otp_expires = 0 WHERE session_id = '$sid'"
[ -n "$code" ] && type_later "$work/code-expired-1" "$code"
sid_first=$sid
sid=$(otp_session_after "$(emu_sql "SELECT rowid FROM sessions WHERE session_id = '$sid_first'")")
code=$([ -n "$sid" ] && sms_code "$sid")
codes+=("$code")
[ -n "$code" ] && type_later "$work/code-expired-2" "$code"
wait "$kiosk_pid"
status=$?
if [ "$status" = 0 ] && [ -n "$code" ] && [ "$sid" != "$sid_first" ] &&
    grep -q 'one-time code refused: .*HTTP 410 otp_expired' "$work/otp-expired.log" &&
    grep -q 'holder: licences: 1 verified, 0 rejected' "$work/otp-expired.log"; then
    ok otp-expired-new-code
else
    not_ok otp-expired-new-code "exit $status ($(grep -m1 'script:' "$work/otp-expired.log")), sessions '$sid_first' '$sid'"
fi

# The platform fails the code's check once (503): the resident reads that it cannot be
# reached, the typed code stays, and 确定 again lists the licence.
rows=$(session_rows)
rm -f "$work/code-busy"
admin POST /admin/faults '{"kind":"status","path":"/v1/sessions/","count":1,"arg":503}' >/dev/null
kiosk otp-busy "${otp_steps[@]}" "type-from $work/code-busy" 'tap-text 确定' 'wait-text 暂时连不上政务服务平台' \
    'expect-text 请稍后再按“确定”' 'shot otp-busy' 'tap-text 确定' 'wait-text 请选择要打印的证照' \
    'expect-text 外国人工作许可证电子证照' 'tap-text 办完了，清除我的信息' 'wait-screen home' &
kiosk_pid=$!
sid=$(otp_session_after "$rows")
code=$([ -n "$sid" ] && sms_code "$sid")
codes+=("$code")
[ -n "$code" ] && type_later "$work/code-busy" "$code"
wait "$kiosk_pid"
status=$?
admin DELETE /admin/faults >/dev/null
if [ "$status" = 0 ] && [ -n "$code" ] && grep -q 'one-time code not checked: .*HTTP 503' "$work/otp-busy.log" &&
    grep -q 'holder: one-time code accepted' "$work/otp-busy.log"; then
    ok otp-platform-fails-code-kept
else
    not_ok otp-platform-fails-code-kept "exit $status ($(grep -m1 'script:' "$work/otp-busy.log")), session '$sid'"
fi

# Resident A leaves while the platform is slow to check A's code; resident B (foreign-2017, no
# code) never sees A's licences: A's licences are not even fetched, A's session is ended.
rows=$(session_rows)
rm -f "$work/code-left"
admin POST /admin/faults '{"kind":"latency","path":"/v1/sessions/","count":1,"arg":1500}' >/dev/null
to_otp resident-moved
kiosk otp-left "${otp_steps[@]}" "type-from $work/code-left" 'tap-text 确定' 'tap-text 办完了，清除我的信息' \
    'wait-screen home' 'card remove' 'tap-text 证照打印' 'wait-screen id_card' 'card place foreign-2017' \
    'wait-screen licences' 'wait-text 请选择要打印的证照' 'expect-no-text 居民户口簿（个人页）电子证照' 'shot otp-second-resident' &
kiosk_pid=$!
sid=$(otp_session_after "$rows")
code=$([ -n "$sid" ] && sms_code "$sid")
codes+=("$code")
[ -n "$code" ] && type_later "$work/code-left" "$code"
wait "$kiosk_pid"
status=$?
admin DELETE /admin/faults >/dev/null
if [ "$status" = 0 ] && [ -n "$code" ] &&
    grep -q 'one-time code accepted after the resident left; licences not fetched' "$work/otp-left.log" &&
    [ "$(grep -c 'holder: licences: ' "$work/otp-left.log")" = 1 ] &&
    [ "$(emu_sql "SELECT state FROM sessions WHERE session_id = '$sid'")" = ended ]; then
    ok "otp-left-resident's-code-dropped"
else
    not_ok "otp-left-resident's-code-dropped" "exit $status ($(grep -m1 'script:' "$work/otp-left.log")), session '$sid' $(emu_sql "SELECT state FROM sessions WHERE session_id = '$sid'")"
fi
to_otp foreign-2023

# Expired on the kiosk's own clock (no answer needed from the platform): the time left runs
# out, 验证码已过期, and a new code may be asked for; in 长辈模式, whose sizes must still fit.
# Inactivity set long enough to wait.
rows=$(session_rows)
printf '[session]\ninactivity_seconds = 900\n' | cat "$work/kiosk.ini" - >"$work/kiosk-patient.ini"
if kiosk_ini=$work/kiosk-patient.ini kiosk otp-countdown 'wait-screen home' 'tap-text 长辈模式：关' "${otp_steps[@]:1}" 'shot otp-elder' 'advance 299' 'expect-text 验证码 0 分 01 秒后失效' \
    'advance 1' 'expect-text 验证码已过期' 'expect-no-text 请输入 6 位验证码' 'shot otp-elder-expired' 'tap-text 重新获取验证码' \
    'wait-text 验证码已发送至' 'expect-text 验证码 5 分 00 秒后失效' 'tap-text 办完了，清除我的信息' 'wait-screen home' &&
    [ "$(emu_sql "SELECT count(*) FROM sessions WHERE rowid > $rows")" = 2 ]; then
    ok otp-countdown-runs-out
else
    not_ok otp-countdown-runs-out "$(grep -m1 'script:' "$work/otp-countdown.log" || tail -n 2 "$work/otp-countdown.log")"
fi

# No code the emulator sent is in any of the kiosk's logs.
leaked=
for c in "${codes[@]}"; do [ -n "$c" ] && grep -lF "$c" "$work"/otp-*.log && leaked+=" $c"; done >/dev/null
if [ "${#codes[@]}" = 6 ] && [ -z "$leaked" ]; then ok otp-code-not-logged; else not_ok otp-code-not-logged "${#codes[@]} codes, in the log:${leaked:+ yes}"; fi

stop_emu
if kiosk offline 'wait-screen home' 'tap-text 证照打印' 'wait-screen id_card' 'card place resident' \
    'wait-screen licences' 'wait-text 暂时连不上政务服务平台' 'shot offline' && [ "$(pages)" = 1 ]; then
    ok platform-down
else
    not_ok platform-down "$(grep -m1 'script:' "$work/offline.log" || tail -n 2 "$work/offline.log")"
fi

leaks=$(grep -EnH '(^|[^0-9])[0-9]{17}[0-9X]([^0-9]|$)|张三丰' "$work"/*.log 2>/dev/null | head -3)
if [ -z "$leaks" ]; then ok no-personal-data-in-logs; else not_ok no-personal-data-in-logs "$leaks"; fi
