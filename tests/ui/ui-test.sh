#!/usr/bin/env bash
# UI tests: plays every tests/ui/scripts/*.script headless on the fake clock and compares
# each screenshot with its golden (tests/ui/goldens/SCRIPT/SHOT.png, half resolution);
# plays tests/ui/bad/* and checks they are rejected with the expected FILE:LINE message;
# checks every translatable string has its Chinese translation.
#
#   tests/ui/ui-test.sh BUILD              run and compare (prints "ok NAME" / "not ok NAME - why")
#   tests/ui/ui-test.sh BUILD --no-compare run only (sanitizer builds)
#   tests/ui/ui-test.sh BUILD --bless      run and write the goldens (make goldens)
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:?usage: tests/ui/ui-test.sh BUILD [--bless|--no-compare]}
mode=${2:-compare}
kiosk=$build/kiosk
compare=$build/tests/png_compare
out=$build/ui-out
variant=$(basename "$build" | sed -n 's/^[^-]*-//p')
[ -x "$kiosk" ] || { echo "not ok ui:build - $kiosk missing (run make)"; exit 1; }
if [ "$mode" != "--no-compare" ] && [ ! -x "$compare" ]; then
    make -s ui-tools ${variant:+VARIANT=$variant} >/dev/null || { echo "not ok ui:build - png_compare does not build"; exit 1; }
fi
rm -rf "$out"
mkdir -p "$out"
failed=0
report() { # status name [reason]
    if [ "$1" = ok ]; then echo "ok $2"; else echo "not ok $2 - $3"; failed=$((failed + 1)); fi
}

for script in tests/ui/scripts/*.script; do
    name=$(basename "$script" .script)
    config=$(sed -n 's/^# config: *//p' "$script" | head -1)
    dir=$out/$name
    mkdir -p "$dir"
    # Each script gets its own database, so one run cannot leak into the next.
    if "$kiosk" ${config:+--config "$config"} --data-dir "$dir/data" --script "$script" --out "$dir" >"$dir/log" 2>&1; then
        report ok "ui:$name"
    else
        report fail "ui:$name" "$(grep -m1 "$script:" "$dir/log" || tail -1 "$dir/log")"
        continue
    fi
    [ "$mode" = "--no-compare" ] && continue
    goldens=tests/ui/goldens/$name
    if [ "$mode" = "--bless" ]; then
        rm -rf "$goldens"
        mkdir -p "$goldens"
    fi
    for shot in "$dir"/*.png; do
        [ -e "$shot" ] || continue
        shot_name=$(basename "$shot" .png)
        if [ "$mode" = "--bless" ]; then
            "$compare" --bless "$shot" "$goldens/$shot_name.png" && echo "blessed $goldens/$shot_name.png"
        elif why=$("$compare" "$shot" "$goldens/$shot_name.png" --diff "$dir/${shot_name}_err.png" 2>&1); then
            report ok "ui:$name/$shot_name"
        else
            report fail "ui:$name/$shot_name" "$(echo "$why" | tr '\n' ' ')(shot: $shot)"
        fi
    done
    # A golden no script produces any more is dead weight: the set stays lean.
    for golden in "$goldens"/*.png; do
        [ -e "$golden" ] || continue
        [ -e "$dir/$(basename "$golden")" ] || report fail "ui:$name/$(basename "$golden" .png)" "golden $golden is no longer produced (make goldens)"
    done
done

# Printouts: the guide receipts the printer model cut are real 1-bit PNGs whose QR code
# leads to the guide online; after paper out and a retry there is exactly one.
check_receipts() { # name expected-count
    local prints=$out/$1/data/prints count url
    count=$(find "$prints" -name 'receipt-*.png' 2>/dev/null | wc -l)
    if [ "$count" != "$2" ]; then
        report fail "print:$1:receipts" "$count receipt(s) in $prints, expected $2"
        return
    fi
    report ok "print:$1:receipts"
    url=$(zbarimg -q --nodbus --raw "$prints/receipt-0001.png" 2>&1)
    case "$url" in
    https://*) report ok "print:$1:qr-decodes" ;;
    *) report fail "print:$1:qr-decodes" "zbarimg: $url" ;;
    esac
}
[ -d "$out/guide" ] && check_receipts guide 1
[ -d "$out/print_paper_out" ] && check_receipts print_paper_out 1

# Privacy: no log of any UI run holds a full ID number (17 digits and a check character) or
# a test card's full name; only masked forms (3713**********2035, 张*丰) may appear.
if [ "$mode" != "--no-compare" ]; then
    leaks=$(grep -EnH '(^|[^0-9])[0-9]{17}[0-9X]([^0-9]|$)|张三丰' "$out"/*/log 2>/dev/null | head -3)
    if [ -z "$leaks" ]; then
        report ok "privacy:no-unmasked-personal-data-in-logs"
    else
        report fail "privacy:no-unmasked-personal-data-in-logs" "$leaks"
    fi
fi

# Bad input: each file names the message it must be rejected with ("# expect: ..." or "; expect: ...").
for bad in tests/ui/bad/*; do
    name=$(basename "$bad")
    expect=$(sed -n 's/^[#;] expect: *//p' "$bad" | head -1)
    case "$bad" in
    *.script) "$kiosk" --data-dir "$out/bad/data" --script "$bad" --out "$out/bad" >"$out/bad.log" 2>&1 ;;
    *.ini) "$kiosk" --data-dir "$out/bad/data" --config "$bad" --script /dev/null --out "$out/bad" >"$out/bad.log" 2>&1 ;;
    *) continue ;;
    esac
    status=$?
    if [ $status -eq 0 ]; then
        report fail "bad-input:$name" "accepted; expected rejection with: $expect"
    elif ! grep -qF -- "$expect" "$out/bad.log"; then
        report fail "bad-input:$name" "message was: $(tr '\n' ' ' <"$out/bad.log" | cut -c1-300)"
    elif grep -q "Sanitizer\|runtime error" "$out/bad.log"; then
        report fail "bad-input:$name" "sanitizer report"
    else
        report ok "bad-input:$name"
    fi
done

# A broken catalogue update is rejected whole, naming the item and field, and residents
# keep searching the catalogue that was in use: first a run stores the good seed, then a
# run offered a newer seed with one broken material must still find 居民身份证换领.
catalogue_dir=$out/catalogue-update
mkdir -p "$catalogue_dir"
sed -e 's/"version": "2026.11.27-1"/"version": "2099.01.01-1"/' -e '0,/"form": "original"/s//"form": "scanned"/' \
    assets/catalogue/seed.json >"$catalogue_dir/broken.json"
printf '[storage]\ncatalogue_seed = %s\n' "$catalogue_dir/broken.json" >"$catalogue_dir/broken.ini"
printf 'tap-text 办事指南\nwait-screen guide_search\ntype sfzhl\nwait-text 居民身份证换领\n' >"$catalogue_dir/find.script"
if "$kiosk" --data-dir "$catalogue_dir/data" --script "$catalogue_dir/find.script" --out "$catalogue_dir/good" \
        >"$catalogue_dir/good.log" 2>&1 &&
    "$kiosk" --config "$catalogue_dir/broken.ini" --data-dir "$catalogue_dir/data" --script "$catalogue_dir/find.script" \
        --out "$catalogue_dir/after" >"$catalogue_dir/after.log" 2>&1; then
    if grep -q 'seed not usable: .*broken.json: items\[[0-9]*\] ([0-9A-Z]*) materials\[0\]\.form: ' "$catalogue_dir/after.log"; then
        report ok "catalogue:broken-update-keeps-previous"
    else
        report fail "catalogue:broken-update-keeps-previous" "no rejection naming item and field: $(grep -m1 catalogue "$catalogue_dir/after.log")"
    fi
else
    report fail "catalogue:broken-update-keeps-previous" "search did not answer: $(tail -1 "$catalogue_dir/after.log")"
fi

# A technician checks a catalogue file before installing it, with the same message.
good=$("$build/kioskctl" check-catalogue assets/catalogue/seed.json 2>&1)
bad=$("$build/kioskctl" check-catalogue "$catalogue_dir/broken.json" 2>&1) && bad_status=0 || bad_status=$?
if [[ "$good" == "assets/catalogue/seed.json: ok, version "* ]] && [ "$bad_status" -ne 0 ] &&
    [[ "$bad" == *"broken.json: items["*"] ("*") materials[0].form: must be original, copy or original_and_copy" ]]; then
    report ok "tool:kioskctl-check-catalogue"
else
    report fail "tool:kioskctl-check-catalogue" "good: $good; bad ($bad_status): $bad"
fi

# The technician tool checks a unit's config the same way the kiosk loads it.
good=$("$build/kioskctl" check-config board/sim/kiosk.ini 2>&1)
bad=$("$build/kioskctl" check-config tests/ui/bad/bad-device.ini 2>&1) && bad_status=0 || bad_status=$?
if [ "$good" = "board/sim/kiosk.ini: ok" ] && [ "$bad_status" -ne 0 ] &&
    [[ "$bad" == "tests/ui/bad/bad-device.ini:3: unknown device 'scanner'"* ]]; then
    report ok "tool:kioskctl-check-config"
else
    report fail "tool:kioskctl-check-config" "good config not accepted or bad config not rejected with FILE:LINE"
fi

# Every translatable string has a Chinese translation (zh_CN is the default language).
if [ "$mode" != "--no-compare" ]; then
    pot=$out/kiosk.pot
    shopt -s nullglob
    sources=(firmware/*/*.c screens/*.c screens/widgets/*.c drivers/*/*.c board/*/*.c)
    shopt -u nullglob
    if xgettext --from-code=UTF-8 -k_ -kN_ -o "$pot" "${sources[@]}" 2>"$out/xgettext.log"; then
        missing=$(msgcmp -N assets/po/zh_CN.po "$pot" 2>&1 | grep -c "this message is used but not defined")
        untranslated=$(msgattrib --untranslated --no-obsolete assets/po/zh_CN.po | grep -c '^msgid "[^"]' || true)
        if [ "$missing" -eq 0 ] && [ "$untranslated" -eq 0 ]; then
            report ok "i18n:zh_CN-complete"
        else
            report fail "i18n:zh_CN-complete" "$missing msgids missing, $untranslated untranslated in assets/po/zh_CN.po: $(msgcmp -N assets/po/zh_CN.po "$pot" 2>&1 | grep -A1 'not defined' | head -4 | tr '\n' ' ')"
        fi
    else
        report fail "i18n:zh_CN-complete" "xgettext failed: $(head -2 "$out/xgettext.log")"
    fi
fi
[ $failed -eq 0 ]
