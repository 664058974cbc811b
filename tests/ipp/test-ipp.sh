#!/usr/bin/env bash
# The certificate printer's IPP back end against CUPS' own IPP Everywhere printer,
# ippeveprinter (cups-ipp-utils), on loopback with a spool directory. Its print command
# (-c) is our printer engine: it takes a spooled job's time to print, then puts the
# document in paper/ (the sheet in the output tray) and reports the page through an ATTR:
# line (job-impressions-completed); a fault file makes it report paper out
# or a jam through STATE: lines and abort the job, as a laser does mid-job.
#   tests/ipp/test-ipp.sh BUILD        prints "ok NAME" / "not ok NAME - why"
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:?usage: tests/ipp/test-ipp.sh BUILD}
out=$(realpath -m "$build")/ipp-out
rm -rf "$out"
mkdir -p "$out/spool" "$out/paper"
kioskctl=$build/kioskctl
pwg_check=$build/tests/pwg_check
failed=0
report() { # status name [reason]
    if [ "$1" = ok ]; then echo "ok $2"; else echo "not ok $2 - $3"; failed=$((failed + 1)); fi
}

variant=$(basename "$build" | sed -n 's/^[^-]*-//p')
make -s ipp-tools ${variant:+VARIANT=$variant} >"$out/build.log" 2>&1 ||
    { echo "not ok build - make ipp-tools failed"; tail -20 "$out/build.log"; exit 1; }
source tools/ipp-printer.sh || exit 1

trap printer_stop EXIT
json_field() { # json key: the string or number value
    sed -n "s/.*\"$2\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" <<<"$1"
}

printer_start
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    report ok printer-up
else
    report fail printer-up "ippeveprinter did not listen on $port: $(tail -3 "$out/printer.log" | tr '\n' ' ')"
    exit 1
fi

# 1. A licence, to completion, then the spooled document as the printer got it.
print_test() { # kind name: runs kioskctl, sets json and status
    json=$("$kioskctl" print-test "$1" --ipp "$uri" --timeout 20 2>"$out/$2.err")
    status=$?
    echo "$json" >"$out/$2.json"
}
check_page() { # kind name: the newest spooled PWG against the layout
    local pwg
    pwg=$(ls -t "$out"/spool/*.pwg 2>/dev/null | head -1)
    "$pwg_check" "$pwg" --page "$1" --unit "$(json_field "$json" unit)" --print-time "$(json_field "$json" print_time)" \
        --pgm "$out/$2.pgm" >"$out/$2.check" 2>&1
}
value() { sed -n "s/^$1=//p" "$out/$2.check"; }

before=$(sheets)
print_test licence licence
if [ "$status" = 0 ] && [ "$(json_field "$json" state)" = printed ] && [ "$(json_field "$json" job_state)" = completed ] &&
    [ "$(json_field "$json" pages)" = 1 ] && [ "$(sheets)" = $((before + 1)) ]; then
    report ok licence-completes
else
    report fail licence-completes "exit $status, $json, sheets $before → $(sheets)"
fi
check_page licence licence
if [ "$(value decode licence)" = ok ] && [ "$(value width licence)" = 2480 ] && [ "$(value height licence)" = 3507 ] &&
    [ "$(value xdpi licence)" = 300 ] && [ "$(value ydpi licence)" = 300 ] && [ "$(value bits licence)" = 1 ] &&
    [ "$(value media licence)" = iso_a4_210x297mm ] && [ "$(value page_pt licence)" = 595x841 ] &&
    [ "$(value pages licence)" = 1 ]; then
    report ok spooled-pwg-is-a4-300dpi
else
    report fail spooled-pwg-is-a4-300dpi "$(tr '\n' ' ' <"$out/licence.check" | cut -c1-300)"
fi
if [ "$(value diff_dots licence)" = 0 ]; then
    report ok spooled-page-equals-layout
else
    report fail spooled-page-equals-layout "$(value diff_dots licence) dots differ from the page engine's render"
fi
boxes_inked() { # name: every layout box at least twice as inked as the paper outside all boxes
    local outside bad=
    outside=$(value outside_ink_permille "$1")
    while read -r name _ _ _ _ ink; do
        ink=${ink#ink_permille=}
        [ "$ink" -gt 0 ] && [ "$ink" -ge $((2 * outside)) ] || bad="$bad $name($ink‰)"
    done < <(value box "$1")
    [ -n "$(value box "$1")" ] && [ -z "$bad" ] || { echo "not inked:${bad:- no boxes} (outside $outside‰)"; return 1; }
}
if why=$(boxes_inked licence); then
    report ok licence-areas-inked
else
    report fail licence-areas-inked "$why"
fi
qr=$(zbarimg -q --nodbus "$out/licence.pgm" 2>&1)
if [ "$qr" = "QR-Code:$(value qr_text licence)" ]; then
    report ok licence-qr-decodes
else
    report fail licence-qr-decodes "zbarimg read '${qr}', the layout says '$(value qr_text licence)'"
fi

# 2. The calibration page: completes, equals its layout, crosshairs where the marks are.
before=$(sheets)
print_test calibration calibration
check_page calibration calibration
if [ "$status" = 0 ] && [ "$(sheets)" = $((before + 1)) ] && [ "$(value diff_dots calibration)" = 0 ] &&
    why=$(boxes_inked calibration); then
    report ok calibration-completes
else
    report fail calibration-completes "exit $status, diff $(value diff_dots calibration), ${why:-}"
fi

# 3. Paper out and a jam mid-job: the printer aborts the job; failed, retryable, the reason in
#    the resident's words; then, paper loaded, one page and only one.
for fault in media-empty:缺纸 media-jam:卡纸; do
    name=${fault%%:*}
    words=${fault#*:}
    echo "$name" >"$out/fault"
    before=$(sheets)
    print_test licence "fault-$name"
    message=$(json_field "$json" message)
    if [ "$status" = 3 ] && [ "$(json_field "$json" state)" = failed ] && [ "$(json_field "$json" retryable)" = true ] &&
        [ "$(json_field "$json" job_state)" = aborted ] && [ "$(json_field "$json" condition)" = "$name" ] &&
        [[ "$message" == *"$words"* ]] && [ "$(sheets)" = "$before" ]; then
        report ok "$name-mid-job-is-retryable"
    else
        report fail "$name-mid-job-is-retryable" "exit $status, $json, sheets $before → $(sheets)"
    fi
    rm -f "$out/fault"
    printer_media iso_a4_210x297mm # the technician loads paper (clears media-empty)
    print_test licence "fault-$name-retry"
    if [ "$status" = 0 ] && [ "$(sheets)" = $((before + 1)) ]; then
        report ok "$name-then-one-page"
    else
        report fail "$name-then-one-page" "exit $status, sheets $before → $(sheets): $json"
    fi
done

# 4. Letter in the tray: nothing is sent; the message says the paper is wrong.
printer_media na_letter_8.5x11in
before=$(spooled)
print_test licence wrong-media
if [ "$status" = 3 ] && [ "$(json_field "$json" condition)" = wrong-media ] && [ "$(spooled)" = "$before" ] &&
    [[ "$(json_field "$json" message)" == *纸张* ]]; then
    report ok wrong-media-not-sent
else
    report fail wrong-media-not-sent "exit $status, $json, spooled $before → $(spooled)"
fi
printer_media iso_a4_210x297mm

# 5. Through the job table (as the kiosk prints a licence), the printer killed mid-job (the
#    engine with it): the row is failed and retryable within seconds, the printer's job-id
#    kept; after the restart a retry asks the printer about that id first (it does not know
#    it any more), sends again, and the licence comes out once.
db=$out/jobs.db
wait_engine() { # engines-before: until the printer's engine starts on a new job
    for _ in $(seq 100); do [ "$(find "$out/spool" -name '*.prn' | wc -l)" -gt "$1" ] && break; sleep 0.05; done
}
echo slow >"$out/fault"
before=$(sheets)
engines=$(find "$out/spool" -name '*.prn' | wc -l)
"$kioskctl" print-test licence --ipp "$uri" --db "$db" --timeout 30 >"$out/killed.json" 2>"$out/killed.err" &
client=$!
wait_engine "$engines"
sleep 0.3
printer_stop
start=$SECONDS
wait "$client"
status=$?
json=$(cat "$out/killed.json")
job=$(json_field "$json" job)
rm -f "$out/fault"
if [ "$status" = 2 ] && [ "$(json_field "$json" row_state)" = failed ] && [ "$(json_field "$json" row_retryable)" = true ] &&
    [ "$(json_field "$json" condition)" = not-answering ] && [ -n "$(json_field "$json" printer_job_id)" ] &&
    [ $((SECONDS - start)) -le 6 ] && [ "$(sheets)" = "$before" ]; then
    report ok killed-mid-job-is-retryable
else
    report fail killed-mid-job-is-retryable "exit $status after $((SECONDS - start)) s, $json, sheets $before → $(sheets)"
fi
printer_start
json=$("$kioskctl" cert-jobs --db "$db" --ipp "$uri" --retry "${job:-0}" --timeout 20 2>"$out/retry.err")
status=$?
if [ "$status" = 0 ] && [ "$(json_field "$json" row_state)" = printed ] && [ "$(json_field "$json" attempts)" = 2 ] &&
    [ "$(json_field "$json" resent)" = 1 ] && [ "$(sheets)" = $((before + 1)) ]; then
    report ok retry-after-restart-prints-once
else
    report fail retry-after-restart-prints-once "exit $status, sheets $before → $(sheets): $json $(cat "$out/retry.err")"
fi
json=$("$kioskctl" cert-jobs --db "$db" --ipp "$uri" --retry "${job:-0}" 2>"$out/retry-again.err")
status=$?
if [ "$status" = 4 ] && [ "$(sheets)" = $((before + 1)) ]; then
    report ok printed-job-is-not-retried
else
    report fail printed-job-is-not-retried "exit $status, sheets $before → $(sheets): $json"
fi

# 6. The kiosk killed mid-job while the printer prints on: the row stays sending with the
#    printer's job-id; at the next start the job is settled by asking the printer, which
#    says completed: printed, nothing sent again, one sheet.
echo slow >"$out/fault"
before=$(sheets)
spool_before=$(spooled)
engines=$(find "$out/spool" -name '*.prn' | wc -l)
"$kioskctl" print-test licence --ipp "$uri" --db "$db" --timeout 30 >"$out/kiosk-killed.json" 2>&1 &
client=$!
wait_engine "$engines"
kill -KILL "$client"
wait "$client" 2>/dev/null
rm -f "$out/fault"
spool_sent=$(spooled)
json=$("$kioskctl" cert-jobs --db "$db" --ipp "$uri" --reconcile --timeout 20 2>"$out/reconcile.err")
status=$?
if [ "$status" = 0 ] && [ "$(json_field "$json" row_state)" = printed ] && [ "$(json_field "$json" resent)" = 0 ] &&
    [ "$(json_field "$json" job_state)" = completed ] && [ "$(sheets)" = $((before + 1)) ] &&
    [ "$(spooled)" = "$spool_sent" ] && [ "$spool_sent" = $((spool_before + 1)) ]; then
    report ok kiosk-restart-reconciles-by-job-id
else
    report fail kiosk-restart-reconciles-by-job-id "exit $status, sheets $before → $(sheets), spooled $spool_before → $spool_sent → $(spooled): $json $(cat "$out/reconcile.err")"
fi

# 7. No printer at all: not answering, said quickly, in the resident's words.
printer_stop
start=$SECONDS
print_test licence gone
if [ "$status" = 2 ] && [ "$(json_field "$json" condition)" = not-answering ] && [ $((SECONDS - start)) -le 5 ] &&
    [[ "$(json_field "$json" message)" == *没有响应* ]]; then
    report ok no-printer-not-answering
else
    report fail no-printer-not-answering "exit $status after $((SECONDS - start)) s: $json"
fi
[ $failed -eq 0 ]
