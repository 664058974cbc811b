#!/usr/bin/env bash
# make check: every test on this machine, no network, no hardware (design section 7).
#   1. build the kiosk and the unit tests; run the unit tests (cmocka, TAP)
#   2. the UI tests (tests/ui/ui-test.sh), when present; the protocol tests against the device
#      models (tests/protocol/protocol-test.sh)
#   3. the same under ASan+UBSan (VARIANT=asan): unit tests, and the UI scripts without
#      screenshot comparison
#   4. short libFuzzer runs of every parser of outside bytes (make fuzz)
# Prints one line per test or per group of passing tests ("ok NAME", "not ok NAME - why",
# then the failing output indented), and ends with exactly one line "N passed, N failed".
# Exits non-zero when anything failed or nothing ran. A build that fails is a failed test,
# so the run goes on and the summary still counts everything else.
#
#   BOARD=sim (default)   FUZZ_SECONDS=10 (default here)   CHECK_JOBS=2 (default)
set -uo pipefail
cd "$(dirname "$0")/.."

# Called from make's recipe: our makes are our own, not sub-makes of that one (a stale
# jobserver in MAKEFLAGS would only produce warnings).
unset MAKEFLAGS MFLAGS MAKELEVEL
# Each step below picks its variant itself (make check VARIANT=asan would leak into all).
unset VARIANT
board=${BOARD:-sim}
jobs=${CHECK_JOBS:-2}
fuzz_seconds=${FUZZ_SECONDS:-10}
logs=build/check-$board
rm -rf "$logs"
mkdir -p "$logs"
# Sanitizers: stop at the first report, with a stack, so the log says where.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1}
# librime keeps its registries until exit (tests/lsan.supp says which); nothing of ours is
# suppressed.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

passed=0
failed=0
start_seconds=$SECONDS

check_pass() { # name [detail] [count]
    echo "ok $1${2:+ - $2}"
    passed=$((passed + ${3:-1}))
}

check_fail() { # name reason [log] [count]
    echo "not ok $1 - $2"
    if [ -n "${3:-}" ] && [ -s "$3" ]; then
        tail -n 60 "$3" | sed 's/^/    /'
    fi
    failed=$((failed + ${4:-1}))
}

# make with its output in a log; a failure is one failed test named NAME.
check_make() { # name log make-args...
    local name=$1 log=$2
    shift 2
    if make -j"$jobs" BOARD="$board" "$@" >"$log" 2>&1; then
        check_pass "$name"
        return 0
    fi
    check_fail "$name" "make $* failed" "$log"
    return 1
}

# One cmocka binary: a group line when all pass, each failing test with its reason otherwise.
check_unit_binary() { # prefix binary variant built
    local prefix=$1 binary=$2 variant=$3 built=$4 group log status planned ok not_ok missing sanitizer
    group=${prefix}unit:$(basename "$binary" | sed 's/^test_//')
    log=$logs/${prefix//:/-}$(basename "$binary").log
    # After a failed build a binary left from an earlier one would test old code.
    if [ ! -x "$binary" ] ||
        { [ "$built" = 0 ] && ! make -q BOARD="$board" VARIANT="$variant" "$binary" 2>/dev/null; }; then
        check_fail "$group" "$binary was not built (see ${prefix}build:unit)"
        return
    fi
    CMOCKA_MESSAGE_OUTPUT=TAP timeout 300 "$binary" >"$log" 2>&1
    status=$?
    planned=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$log" | head -1)
    ok=$(grep -c '^ok ' "$log")
    not_ok=$(grep -c '^not ok ' "$log")
    missing=$(( ${planned:-0} - ok - not_ok ))
    if [ "$status" -eq 0 ] && [ "$not_ok" -eq 0 ] && [ "$missing" -le 0 ] && [ "$ok" -gt 0 ]; then
        check_pass "$group" "$ok tests" "$ok"
        return
    fi
    passed=$((passed + ok))
    # Each failing test by name, with cmocka's "# reason" lines under it.
    while IFS= read -r line; do
        echo "not ok $group/${line#not ok * - }"
        failed=$((failed + 1))
    done < <(grep '^not ok ' "$log")
    # Crashed, hung, or a sanitizer report (leaks come at exit, after every "ok").
    sanitizer=$(grep -m1 -o 'ERROR: [A-Za-z]*Sanitizer: .*\|runtime error: .*' "$log")
    if [ "$status" -ne 0 ] && { [ "$not_ok" -eq 0 ] || [ "$missing" -gt 0 ] || [ -n "$sanitizer" ]; }; then
        local why="exited with status $status"
        [ "$status" -eq 124 ] && why="timed out"
        [ -n "$sanitizer" ] && why="$sanitizer"
        check_fail "$group" "$why after $((ok + not_ok)) of ${planned:-?} tests" "" $(( missing > 0 ? missing : 1 ))
    fi
    tail -n 60 "$log" | sed 's/^/    /'
}

check_unit_tests() { # prefix build-dir variant built
    local test_source
    for test_source in tests/unit/test_*.c; do
        [ -e "$test_source" ] || continue
        check_unit_binary "$1" "$2/tests/$(basename "$test_source" .c)" "$3" "$4"
    done
}

# Lines "ok NAME" / "not ok NAME - why" from a test script, passed on one per line.
check_tap_lines() { # prefix log status group-name
    local prefix=$1 log=$2 status=$3 name=$4 line ok=0 not_ok=0
    while IFS= read -r line; do
        case "$line" in
        "ok "*) echo "ok $prefix${line#ok }"; passed=$((passed + 1)); ok=$((ok + 1)) ;;
        "not ok "*) echo "not ok $prefix${line#not ok }"; failed=$((failed + 1)); not_ok=$((not_ok + 1)) ;;
        esac
    done <"$log"
    if [ "$status" -ne 0 ] && [ "$not_ok" -eq 0 ]; then
        check_fail "$prefix$name" "exited with status $status without naming a failed test" "$log"
    elif [ "$not_ok" -gt 0 ]; then
        # The script's own diagnostics, for the CI log.
        grep -v '^ok \|^not ok ' "$log" | tail -n 40 | sed 's/^/    /'
    fi
    [ $((ok + not_ok)) -gt 0 ] || [ "$status" -ne 0 ] || check_fail "$prefix$name" "ran no tests" "$log"
}

check_ui_tests() { # prefix build-dir [--no-compare]
    local prefix=$1 build=$2 log status
    shift 2
    [ -f tests/ui/ui-test.sh ] || return 0
    log=$logs/${prefix//:/-}ui.log
    timeout 900 bash tests/ui/ui-test.sh "$build" "$@" >"$log" 2>&1
    status=$?
    check_tap_lines "$prefix" "$log" "$status" ui
}

# After a failed build the kiosk on disk is stale: running the UI tests on it would test
# old code, so they are skipped (the build already counts as a failure). Unit tests are
# built with -k: one broken test file does not hide the others' results.
echo "== build ($board)"
check_make build "$logs/build.log" all && built=1 || built=0
check_make build:unit "$logs/build-unit.log" -k unit && unit_built=1 || unit_built=0
echo "== unit tests"
check_unit_tests "" "build/$board" "" $unit_built
if [ -f tests/ui/ui-test.sh ] && [ $built = 1 ]; then
    echo "== UI tests"
    check_ui_tests "" "build/$board"
fi
if [ -f tests/protocol/protocol-test.sh ] && [ $built = 1 ]; then
    echo "== protocol tests"
    timeout 600 bash tests/protocol/protocol-test.sh "build/$board" >"$logs/protocol.log" 2>&1
    check_tap_lines "" "$logs/protocol.log" $? protocol
fi

# Each area's own test script (tests/AREA/test-AREA.sh BUILD-DIR): prints "ok NAME" / "not ok NAME -
# why" lines; a script may skip nothing silently (a missing tool is a "not ok").
for area_script in tests/*/test-*.sh; do
    [ -f "$area_script" ] && [ $built = 1 ] || continue
    area=$(basename "$area_script" .sh)
    area=${area#test-}
    echo "== $area tests"
    timeout 600 bash "$area_script" "build/$board" >"$logs/$area.log" 2>&1
    check_tap_lines "$area:" "$logs/$area.log" $? "$area"
done

echo "== ASan+UBSan"
check_make asan:build "$logs/asan-build.log" VARIANT=asan all && built=1 || built=0
check_make asan:build:unit "$logs/asan-build-unit.log" VARIANT=asan -k unit && unit_built=1 || unit_built=0
check_unit_tests "asan:" "build/$board-asan" asan $unit_built
[ $built = 1 ] && check_ui_tests "asan:" "build/$board-asan" --no-compare

echo "== fuzz (${fuzz_seconds} s each)"
fuzz_log=$logs/fuzz.log
make -j"$jobs" --output-sync=target BOARD="$board" fuzz FUZZ_SECONDS="$fuzz_seconds" >"$fuzz_log" 2>&1
check_tap_lines "" "$fuzz_log" $? fuzz

echo "== took $((SECONDS - start_seconds)) s; logs in $logs/"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
