#!/usr/bin/env bash
# tools/bench.sh BUILD: measure the kiosk and a browser peer in the same run, and print.
# Not a test: slow figures never fail it; it fails only when a tool is broken (a program
# that does not start, a figure that cannot be read) or the kiosk ignores SIGTERM.
# What each figure means and the targets: docs/benchmarks.md.
#
#   a. process start -> first home frame (kiosk --bench-first-frame, 10 runs; also wall time)
#   b. peak RSS of the kiosk running headless home (VmHWM), and of --bench-first-frame
#   c. full-screen redraw of home at the display size, software renderer (bench_redraw)
#   d. CPU and wake-ups over 30 s idle on home, then SIGTERM must end it within 2 s
#   e. the peer: headless Chromium loading tests/bench/home.html (the same home screen)
#   h. guide receipt render + encode (bench_receipt)
#   f. catalogue search on 100,000 synthetic items, keystroke by keystroke (bench_search), with
#      SQLite FTS5 (trigram tokenizer) on the same names as the peer for the hanzi queries
#   i. the certificate printer's licence page, A4 at 300 dpi: draw + PCL encode (bench_page),
#      and the peer: Ghostscript rendering the same page from a PDF to PWG raster at 300 dpi
#   j. UI-thread lateness while a licence prints, before/after (bench_print_ui)
#   k. Chinese text entry (bench_input): pinyin key → candidates drawn, rime's memory;
#      handwriting stroke → ten candidates and accuracy on 100 characters written from
#      hanzi-writer-data's stroke medians (fetched with npm into BUILD/bench/, not committed)
#   g. the table, with the machine
#
# Bench-only Debian packages (not in debian-packages.txt): chromium, time, procps, libsqlite3-dev
# (FTS5 for the search peer).
set -euo pipefail

BUILD=${1:?usage: tools/bench.sh BUILD (e.g. build/sim)}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

KIOSK_RUNS=10
CHROMIUM_RUNS=5
REDRAW_FRAMES=500
IDLE_SECONDS=30
SAMPLE_SECONDS=0.05

die() { echo "bench: $*" >&2; exit 1; }
# Wall clock in microseconds since the epoch, without a fork: t=${EPOCHREALTIME/[.,]/}
# Milliseconds between two such readings.
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f\n", (b - a) / 1e3 }'; }
# "median max" of the numbers on stdin, one a line.
median_max() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "n/a n/a"; exit }
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.1f %.1f\n", m, v[NR] }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b != "n/a") printf "%.1fx", b / a; else print "n/a" }'; }
kib_to_mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

TMP=$(mktemp -d /tmp/kiosk-bench.XXXXXX)
STARTED_PIDS=()
cleanup() {
    for pid in "${STARTED_PIDS[@]}"; do
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    done
    rm -rf "$TMP"
}
trap cleanup EXIT

# --- tools -----------------------------------------------------------------------------------
# Installs what the bench alone needs, the same way tools/deps.sh does (sudo only when not root);
# apt-get update once, only when the first try fails.
bench_install() {
    local missing=() p
    for p in "$@"; do
        [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "bench: installing ${missing[*]} (bench-only packages)"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$TMP/apt.log" 2>&1 && return 0
    $sudo apt-get update -qq >>"$TMP/apt.log" 2>&1 || true
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$TMP/apt.log" 2>&1 || {
        tail -5 "$TMP/apt.log" >&2
        return 1
    }
}
bench_install time procps || die "cannot install the packages time and procps"
CHROMIUM_OK=1
bench_install libsqlite3-dev || die "cannot install libsqlite3-dev (the search bench's FTS5 peer)"
bench_install chromium || { CHROMIUM_OK=0; echo "bench: chromium unavailable; the peer column will say n/a" >&2; }

# Build the kiosk and the bench programs for this BUILD (build/BOARD or build/BOARD-VARIANT).
name=${BUILD#build/}
board=${name%%-*}
variant=${name#"$board"}
variant=${variant#-}
# Called from make's recipe without its jobserver: a clean sub-make of our own.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -j"$(nproc)" BOARD="$board" \
    ${variant:+VARIANT="$variant"} all bench-tools >"$TMP/make.log" 2>&1 || { cat "$TMP/make.log" >&2; die "build failed"; }
KIOSK="$BUILD/kiosk"
REDRAW="$BUILD/bench/bench_redraw"
if [ ! -x "$KIOSK" ] || [ ! -x "$REDRAW" ]; then die "missing $KIOSK or $REDRAW after the build"; fi

CPU_MODEL=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
MEM_TOTAL=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
echo "== kiosk bench, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "machine: $(nproc) CPUs, ${CPU_MODEL:-unknown CPU}, $MEM_TOTAL RAM, Linux $(uname -r), $(awk -F= '$1 == "PRETTY_NAME" { gsub(/"/, "", $2); print $2 }' /etc/os-release)"
echo "build: $BUILD ($(git rev-parse --short HEAD 2>/dev/null || echo 'no git')$(git diff --quiet HEAD 2>/dev/null || echo '+changes')), SDL2 $(pkg-config --modversion sdl2 2>/dev/null || echo '?')"

# --- a. start -> first home frame ------------------------------------------------------------
echo
echo "-- a. process start -> first home frame (kiosk --bench-first-frame, $KIOSK_RUNS runs after 1 warm-up)"
"$KIOSK" --bench-first-frame >/dev/null 2>&1 || die "$KIOSK --bench-first-frame failed"
: >"$TMP/ff.txt"
: >"$TMP/ff-wall.txt"
: >"$TMP/ff-spawn.txt"
for i in $(seq "$KIOSK_RUNS"); do
    # The line arrives as the frame is done: its arrival, seen from here, is spawn -> first frame
    # on the same clock as Chromium's spawn -> first paint below.
    t0=${EPOCHREALTIME/[.,]/}
    out=$("$KIOSK" --bench-first-frame 2>/dev/null | {
        IFS= read -r line || true
        echo "$line ${EPOCHREALTIME/[.,]/}"
        cat >/dev/null
    }) || die "$KIOSK --bench-first-frame failed"
    t1=${EPOCHREALTIME/[.,]/}
    read -r key ff arrived <<<"$out"
    if [ "$key" != first-frame-ms ] || [ -z "$arrived" ]; then die "no first-frame-ms line from $KIOSK --bench-first-frame"; fi
    echo "$ff" >>"$TMP/ff.txt"
    ms_between "$t0" "$arrived" >>"$TMP/ff-spawn.txt"
    ms_between "$t0" "$t1" >>"$TMP/ff-wall.txt"
done
read -r FF_MED FF_MAX < <(median_max <"$TMP/ff.txt")
read -r FFW_MED FFW_MAX < <(median_max <"$TMP/ff-wall.txt")
read -r FFS_MED FFS_MAX < <(median_max <"$TMP/ff-spawn.txt")
echo "first-frame-ms (its own: kernel start time -> frame drawn): median $FF_MED max $FF_MAX   [$(paste -sd' ' "$TMP/ff.txt")]"
echo "  (the kernel keeps the start time in 1/$(getconf CLK_TCK) s ticks: this figure can read up to a tick high)"
echo "spawn -> first-frame line seen here (wall clock):            median $FFS_MED max $FFS_MAX"
echo "spawn -> exit (wall clock, includes shutdown):               median $FFW_MED max $FFW_MAX"

# --- b. peak RSS of one short run ------------------------------------------------------------
echo
echo "-- b. peak RSS"
/usr/bin/time -v "$KIOSK" --bench-first-frame >/dev/null 2>"$TMP/time.txt" || die "/usr/bin/time -v $KIOSK failed"
FF_RSS_KIB=$(awk -F': *' '/Maximum resident set size/ { print $2 }' "$TMP/time.txt")
[ -n "$FF_RSS_KIB" ] || die "no RSS from /usr/bin/time -v"
echo "kiosk --bench-first-frame, /usr/bin/time -v max RSS: $(kib_to_mib "$FF_RSS_KIB") MiB"
echo "(headless home for ${IDLE_SECONDS}+ s: VmHWM after the idle run, under d.)"

# --- c. redraw -------------------------------------------------------------------------------
echo
echo "-- c. full redraw of home, software renderer ($REDRAW_FRAMES frames each)"
"$REDRAW" --frames "$REDRAW_FRAMES" >"$TMP/redraw.txt" 2>"$TMP/redraw.err" || { cat "$TMP/redraw.err" >&2; die "$REDRAW failed"; }
cat "$TMP/redraw.txt"
field() { awk -v mode="$1" -v key="$2" -v kind="$3" '$1 == kind && $2 == mode { for (i = 3; i < NF; i++) if ($i == key) print $(i + 1) }' "$TMP/redraw.txt"; }
RD_MED=$(field home median-ms redraw)
RD_P99=$(field home p99-ms redraw)
RD_MAX=$(field home max-ms redraw)
RDE_MED=$(field home-elder median-ms redraw)
RDE_P99=$(field home-elder p99-ms redraw)
RD_SIZE=$(awk '$1 == "redraw" && $2 == "home" { print $3 }' "$TMP/redraw.txt")
if [ -z "$RD_MED" ] || [ -z "$RD_P99" ] || [ -z "$RDE_P99" ]; then die "cannot read the figures of $REDRAW"; fi

# --- d. idle CPU and wake-ups ----------------------------------------------------------------
echo
echo "-- d. idle on home: CPU and wake-ups over ${IDLE_SECONDS} s (kiosk --headless, after 2 s start-up)"
# utime+stime of the whole process (all threads), in clock ticks.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
# Voluntary and involuntary context switches summed over every thread.
ctx_switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt/ { v += $2 } /^nonvoluntary_ctxt/ { n += $2 } END { print v + 0, n + 0 }'; }
"$KIOSK" --headless >"$TMP/idle.out" 2>&1 &
KPID=$!
STARTED_PIDS+=("$KPID")
sleep 2
kill -0 "$KPID" 2>/dev/null || { cat "$TMP/idle.out" >&2; die "$KIOSK --headless exited during start-up"; }
THREADS=$(find /proc/"$KPID"/task -mindepth 1 -maxdepth 1 | wc -l)
c0=$(cpu_ticks "$KPID")
read -r v0 n0 < <(ctx_switches "$KPID")
t0=${EPOCHREALTIME/[.,]/}
sleep "$IDLE_SECONDS"
c1=$(cpu_ticks "$KPID")
read -r v1 n1 < <(ctx_switches "$KPID")
t1=${EPOCHREALTIME/[.,]/}
IDLE_RSS_KIB=$(awk '/^VmHWM/ { print $2 }' /proc/"$KPID"/status)
IDLE_PSS_KIB=$(awk '/^Pss:/ { print $2 }' /proc/"$KPID"/smaps_rollup)
CLK_TCK=$(getconf CLK_TCK)
IDLE_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e6 }')
IDLE_TICKS=$((c1 - c0))
IDLE_CPU=$(awk -v t="$IDLE_TICKS" -v hz="$CLK_TCK" -v s="$IDLE_S" 'BEGIN { printf "%.3f", t / (hz * s) * 100 }')
WAKEUPS=$((v1 - v0))
INVOL=$((n1 - n0))
echo "cpu: $IDLE_TICKS ticks of 1/$CLK_TCK s in $IDLE_S s = $IDLE_CPU %  (resolution $(awk -v hz="$CLK_TCK" -v s="$IDLE_S" 'BEGIN { printf "%.3f", 100 / (hz * s) }') %)"
echo "wake-ups: $WAKEUPS voluntary context switches over $THREADS threads ($INVOL involuntary)"
echo "peak RSS (VmHWM) headless home: $(kib_to_mib "$IDLE_RSS_KIB") MiB; PSS now: $(kib_to_mib "$IDLE_PSS_KIB") MiB"
t0=${EPOCHREALTIME/[.,]/}
kill -TERM "$KPID"
SIGTERM_OK=0
for _ in $(seq 200); do
    kill -0 "$KPID" 2>/dev/null || { SIGTERM_OK=1; break; }
    sleep 0.01
done
if [ "$SIGTERM_OK" -eq 1 ]; then
    KSTATUS=0
    wait "$KPID" || KSTATUS=$?
    SIGTERM_MS=$(ms_between "$t0" "${EPOCHREALTIME/[.,]/}")
    echo "SIGTERM: exited in <= $SIGTERM_MS ms with status $KSTATUS"
    [ "$KSTATUS" -eq 0 ] || SIGTERM_OK=0
else
    kill -KILL "$KPID" 2>/dev/null || true
    wait "$KPID" 2>/dev/null || true
    SIGTERM_MS="> 2000"
    echo "SIGTERM: STILL RUNNING after 2 s; killed"
fi
STARTED_PIDS=()

# --- e. the peer: headless Chromium ----------------------------------------------------------
echo
CR_FCP_NAV=n/a CR_FCP_SPAWN=n/a CR_PNG=n/a CR_EXIT=n/a CR_RSS=n/a CR_HWM=n/a CR_PSS=n/a CR_VERSION=n/a
if [ "$CHROMIUM_OK" -eq 1 ]; then
    CR_VERSION=$(chromium --version 2>/dev/null | awk '{ print $2 }')
    echo "-- e. peer: headless Chromium $CR_VERSION loading tests/bench/home.html ($CHROMIUM_RUNS runs after 1 warm-up)"
    PAGE="file://$ROOT/tests/bench/home.html"
    chromium_flags() {
        echo --headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run \
            --disable-background-networking --disable-component-update --disable-sync \
            --user-data-dir="$1" --window-size=1080,1920 --hide-scrollbars \
            --enable-logging=stderr --v=0 --screenshot="$2"
    }
    # One run: spawn, wait for the screenshot; prints "fcp-nav fcp-spawn png-spawn exit-spawn" in ms.
    chromium_run() {
        local udd="$TMP/chromium-profile-$1" png="$TMP/chromium-$1.png" log="$TMP/chromium-$1.log"
        mkdir -p "$udd"
        local t0 t1
        t0=${EPOCHREALTIME/[.,]/}
        # shellcheck disable=SC2046
        timeout 60 chromium $(chromium_flags "$udd" "$png") "$PAGE" >"$log" 2>&1 || true
        t1=${EPOCHREALTIME/[.,]/}
        [ -s "$png" ] || { tail -5 "$log" >&2; die "chromium wrote no screenshot (log: above)"; }
        local line
        line=$(grep -o 'kiosk-bench fcp-ms [0-9.]* time-origin-ms [0-9.]*' "$log" | head -1) ||
            { tail -5 "$log" >&2; die "the page reported no first-contentful-paint"; }
        awk -v l="$line" -v t0="$t0" -v t1="$t1" -v png="$(stat -c %.9Y "$png")" 'BEGIN {
            split(l, f, " "); fcp = f[3]; origin = f[5]
            printf "%.1f %.1f %.1f %.1f\n", fcp, origin + fcp - t0 / 1e3, png * 1000 - t0 / 1e3, (t1 - t0) / 1e3 }'
        rm -rf "$udd"
    }
    chromium_run warmup >/dev/null
    : >"$TMP/cr-times.txt"
    for i in $(seq "$CHROMIUM_RUNS"); do
        chromium_run "t$i" >>"$TMP/cr-times.txt"
    done
    col() { awk -v c="$1" '{ print $c }' "$TMP/cr-times.txt" | median_max; }
    read -r CR_FCP_NAV _ < <(col 1)
    read -r CR_FCP_SPAWN CR_FCP_SPAWN_MAX < <(col 2)
    read -r CR_PNG CR_PNG_MAX < <(col 3)
    read -r CR_EXIT _ < <(col 4)
    echo "first-contentful-paint after navigation start (page only): median $CR_FCP_NAV ms"
    echo "spawn -> first-contentful-paint (timeOrigin + FCP):         median $CR_FCP_SPAWN ms, max $CR_FCP_SPAWN_MAX ms   <- comparable to the kiosk's first frame"
    echo "spawn -> screenshot PNG written (mtime):                    median $CR_PNG ms, max $CR_PNG_MAX ms (adds capture and PNG encoding)"
    echo "spawn -> exit:                                              median $CR_EXIT ms"

    # Memory runs, separate so the sampler does not slow the timed ones: every 50 ms, the
    # processes of chromium's session plus its crashpad handlers (which leave the session).
    # RSS sum: peak over samples of the sum of VmRSS (shared pages counted in each process).
    # HWM sum: each process's own VmHWM, last seen, summed (peaks need not coincide: an upper figure).
    # PSS sum: peak of the sum of Pss (shared pages split between their users: the fairest total).
    : >"$TMP/cr-mem.txt"
    for i in $(seq "$CHROMIUM_RUNS"); do
        udd="$TMP/chromium-profile-m$i"
        mkdir -p "$udd"
        # shellcheck disable=SC2046
        setsid chromium $(chromium_flags "$udd" "$TMP/chromium-m$i.png") "$PAGE" >"$TMP/chromium-m$i.log" 2>&1 &
        CPID=$!
        STARTED_PIDS=("$CPID")
        declare -A hwm=()
        peak_rss=0 peak_pss=0
        deadline=$(($(date +%s) + 60))
        while kill -0 "$CPID" 2>/dev/null; do
            rss=0 pss=0
            while read -r pid sid comm; do
                [ "$sid" = "$CPID" ] || [[ "$comm" == chrome_crashpad* ]] || continue
                while read -r key value _; do
                    case $key in
                    VmRSS:) rss=$((rss + value)) ;;
                    VmHWM:) [ "${hwm[$pid]:-0}" -ge "$value" ] || hwm[$pid]=$value ;;
                    esac
                done < <(cat /proc/"$pid"/status 2>/dev/null)
                value=$(awk '/^Pss:/ { print $2 }' /proc/"$pid"/smaps_rollup 2>/dev/null || true)
                pss=$((pss + ${value:-0}))
            done < <(ps -eo pid=,sid=,comm=)
            [ "$rss" -le "$peak_rss" ] || peak_rss=$rss
            [ "$pss" -le "$peak_pss" ] || peak_pss=$pss
            if [ "$(date +%s)" -gt "$deadline" ]; then
                kill -KILL -- "-$CPID" 2>/dev/null || true
                die "chromium did not finish within 60 s"
            fi
            sleep "$SAMPLE_SECONDS"
        done
        wait "$CPID" 2>/dev/null || true
        STARTED_PIDS=()
        sum_hwm=0
        for pid in "${!hwm[@]}"; do sum_hwm=$((sum_hwm + hwm[$pid])); done
        unset hwm
        [ -s "$TMP/chromium-m$i.png" ] || die "chromium (memory run $i) wrote no screenshot"
        echo "$peak_rss $sum_hwm $peak_pss" >>"$TMP/cr-mem.txt"
        rm -rf "$udd"
    done
    memcol() { awk -v c="$1" '{ print $c / 1024 }' "$TMP/cr-mem.txt" | median_max; }
    read -r CR_RSS _ < <(memcol 1)
    read -r CR_HWM _ < <(memcol 2)
    read -r CR_PSS _ < <(memcol 3)
    echo "per run, MiB (RSS sum, VmHWM sum, PSS sum): $(awk '{ printf "%s%.0f/%.0f/%.0f", (NR > 1 ? "  " : ""), $1 / 1024, $2 / 1024, $3 / 1024 }' "$TMP/cr-mem.txt")"
    echo "peak RSS, sum over all its processes sampled every 50 ms: median $CR_RSS MiB   <- in the table"
    echo "sum of each process's VmHWM:                               median $CR_HWM MiB"
    echo "peak PSS, sum sampled every 50 ms:                         median $CR_PSS MiB"
else
    echo "-- e. peer: Chromium not available; skipped"
fi

# --- f. catalogue search ---------------------------------------------------------------------
SEARCH="$BUILD/bench/bench_search"
[ -x "$SEARCH" ] || die "missing $SEARCH after the build"
# The catalogue: catalogue_gen's 100,000 items loaded through the real loader when it is built;
# bench_search's own in-process items otherwise. The in-process items (more distinct names: a
# harder index) also run once more, for the second search row of the table.
SEARCH_ARGS=()
SEARCH_SOURCE="100,000 synthetic items made in-process"
if [ -x "$BUILD/catalogue_gen" ]; then
    "$BUILD/catalogue_gen" 100000 >"$TMP/catalogue.json" || die "$BUILD/catalogue_gen failed"
    SEARCH_ARGS=(--catalogue "$TMP/catalogue.json")
    SEARCH_SOURCE="catalogue_gen's 100,000 items, loaded with catalogue_load_file"
fi
echo
echo "-- f. catalogue search: $SEARCH_SOURCE; each query typed keystroke by keystroke (bench_search);"
echo "   peer: SQLite FTS5, trigram tokenizer, on the same names, for the hanzi queries"
"$SEARCH" "${SEARCH_ARGS[@]}" >"$TMP/search.txt" || die "$SEARCH failed"
grep -v '^query ' "$TMP/search.txt"
SEARCH_INPROCESS_BUILD_MS="" SEARCH_INPROCESS_P99=""
if [ ${#SEARCH_ARGS[@]} -gt 0 ]; then
    echo "   the same on bench_search's in-process items:"
    "$SEARCH" >"$TMP/search-inprocess.txt" || die "$SEARCH failed"
    grep -v '^query ' "$TMP/search-inprocess.txt" | sed 's/^/   /'
    SEARCH_INPROCESS_BUILD_MS=$(awk '$1 == "search-build" { for (i = 2; i < NF; i++) if ($i == "ms") { print $(i + 1); exit } }' "$TMP/search-inprocess.txt")
    SEARCH_INPROCESS_P99=$(awk '$1 == "search-keystrokes" && $2 == "all" { for (i = 3; i < NF; i++) if ($i == "p99-ms") { print $(i + 1); exit } }' "$TMP/search-inprocess.txt")
    SEARCH_INPROCESS_DISTINCT=$(awk '$1 == "search-build" { print $5; exit }' "$TMP/search-inprocess.txt")
fi
# The value after NAME on the line whose first two words are KEY LABEL.
search_figure() {
    awk -v key="$1" -v label="$2" -v name="$3" '$1 == key && $2 == label {
        for (i = 3; i < NF; i++) if ($i == name) { print $(i + 1); exit } }' "$TMP/search.txt"
}
SEARCH_BUILD_MS=$(search_figure search-build items ms)
SEARCH_MED=$(search_figure search-keystrokes all median-ms)
SEARCH_P99=$(search_figure search-keystrokes all p99-ms)
SEARCH_HANZI_P99=$(search_figure search-vs-fts5 hanzi-all ours-p99-ms)
FTS_HANZI_P99=$(search_figure search-vs-fts5 hanzi-all fts5-p99-ms)
SEARCH_HANZI3_P99=$(search_figure search-vs-fts5 hanzi-3plus ours-p99-ms)
FTS_HANZI3_P99=$(search_figure search-vs-fts5 hanzi-3plus fts5-p99-ms)
SEARCH_LATIN=$(awk '$1 == "search-latin" { print $5 "/" $3 " vs FTS5 " $7 "/" $3 }' "$TMP/search.txt")
if [ -z "$SEARCH_BUILD_MS" ] || [ -z "$SEARCH_P99" ] || [ -z "$FTS_HANZI_P99" ]; then
    die "cannot read the figures of $SEARCH"
fi

# --- h. guide receipt: render + encode -------------------------------------------------------
RECEIPT_BENCH="$BUILD/bench/bench_receipt"
[ -x "$RECEIPT_BENCH" ] || die "missing $RECEIPT_BENCH after the build"
echo
echo "-- h. guide receipt: layout + font engine at 576 dots + 1-bit + ESC/POS (bench_receipt, 300 runs)"
"$RECEIPT_BENCH" >"$TMP/receipt.txt" || die "$RECEIPT_BENCH failed"
cat "$TMP/receipt.txt"
receipt_figure() { awk -v name="$1" '$1 == "receipt-guide" { for (i = 2; i < NF; i++) if ($i == name) { print $(i + 1); exit } }' "$TMP/receipt.txt"; }
RECEIPT_MED=$(receipt_figure median-ms)
RECEIPT_P99=$(receipt_figure p99-ms)
RECEIPT_BYTES=$(receipt_figure bytes)

# --- i. certificate page --------------------------------------------------------------------
PAGE="$BUILD/bench/bench_page"
[ -x "$PAGE" ] || die "missing $PAGE after the build"
GS_RUNS=10
echo
echo "-- i. certificate page: the sample licence (text, ruled table, seal PNG, QR, watermark), A4 300 dpi;"
echo "   ours: draw + 1-bit + PCL encode in one process, 30 warm runs after a cold one (bench_page);"
echo "   peer: gs -sDEVICE=pwgraster -r300 on the same page as a PDF written from the same drawing calls,"
echo "   one process per page as a CUPS filter runs ($GS_RUNS runs; Noto Sans CJK SC through a cidfmap)"
"$PAGE" --runs 30 --pdf "$TMP/licence.pdf" --cidfmap "$TMP/cidfmap" >"$TMP/page.txt" || die "$PAGE failed"
cat "$TMP/page.txt"
page_figure() { awk -v name="$1" '{ for (i = 1; i < NF; i++) if ($i == name) { print $(i + 1); exit } }' "$TMP/page.txt"; }
PAGE_MED=$(page_figure median_ms)
PAGE_P99=$(page_figure p99_ms)
PAGE_FIRST=$(page_figure first_ms)
[ -n "$PAGE_MED" ] || die "cannot read the figures of $PAGE"
GS_MED=n/a GS_MAX=n/a
if command -v gs >/dev/null; then
    : >"$TMP/gs-times.txt"
    for _ in $(seq "$GS_RUNS"); do
        a=${EPOCHREALTIME/[.,]/}
        gs -q -dNOPAUSE -dBATCH -dSAFER -sCIDFMAP="$TMP/cidfmap" -sDEVICE=pwgraster -r300 \
            -sOutputFile="$TMP/licence.pwg" "$TMP/licence.pdf" >"$TMP/gs.log" 2>&1 || die "gs failed: $(head -3 "$TMP/gs.log")"
        b=${EPOCHREALTIME/[.,]/}
        ms_between "$a" "$b" >>"$TMP/gs-times.txt"
    done
    read -r GS_MED GS_MAX < <(median_max <"$TMP/gs-times.txt")
    [ -s "$TMP/licence.pwg" ] || die "gs wrote no PWG raster"
    echo "gs pwgraster: median $GS_MED ms, max $GS_MAX ms over $GS_RUNS runs ($(stat -c %s "$TMP/licence.pwg") bytes of PWG; PDF $(stat -c %s "$TMP/licence.pdf") bytes)"
else
    echo "gs not installed: peer skipped"
fi

# --- j. UI lateness while a licence prints --------------------------------------------------
PRINT_UI="$BUILD/bench/bench_print_ui"
[ -x "$PRINT_UI" ] || die "missing $PRINT_UI after the build"
echo
echo "-- j. UI lateness while a licence prints: 60 Hz loop, page made on the loop (before) or on the printer's worker (after)"
"$PRINT_UI" 5 2>/dev/null >"$TMP/print-ui.txt" || die "$PRINT_UI failed"
cat "$TMP/print-ui.txt"
grep -q '^print-ui after ' "$TMP/print-ui.txt" || die "cannot read the figures of $PRINT_UI"

# --- k. Chinese text entry ------------------------------------------------------------------
INPUT="$BUILD/bench/bench_input"
[ -x "$INPUT" ] || die "missing $INPUT after the build"
HANZI_DATA="$BUILD/bench/hanzi-writer-data/package"
if [ ! -f "$HANZI_DATA/王.json" ]; then
    command -v npm >/dev/null || die "npm is needed for hanzi-writer-data (apt-get install npm)"
    mkdir -p "$BUILD/bench/hanzi-writer-data"
    (cd "$BUILD/bench/hanzi-writer-data" && npm pack --silent hanzi-writer-data@2.0.1 >/dev/null &&
        tar xzf hanzi-writer-data-2.0.1.tgz) || die "cannot fetch hanzi-writer-data with npm"
fi
echo
echo "-- k. Chinese text entry: pinyin (30 phrases, key by key) and handwriting (100 characters)"
# Twice on one data directory: the first deploys rime (a unit's first start), the second
# only loads it (every later start; its memory figure is the one that counts).
rm -rf "$TMP/input-data" && mkdir -p "$TMP/input-data"
"$INPUT" /usr/share/rime-data "$TMP/input-data" "$HANZI_DATA" 2>/dev/null >"$TMP/input.txt" || die "$INPUT failed"
"$INPUT" /usr/share/rime-data "$TMP/input-data" "$HANZI_DATA" 2>/dev/null | grep '^pinyin' >>"$TMP/input.txt" ||
    die "$INPUT failed"
cat "$TMP/input.txt"
grep -q '^handwriting characters ' "$TMP/input.txt" || die "cannot read the figures of $INPUT"

# --- g. the table ----------------------------------------------------------------------------
IDLE_RSS_MIB=$(kib_to_mib "$IDLE_RSS_KIB")
IDLE_PSS_MIB=$(kib_to_mib "$IDLE_PSS_KIB")
two() { awk -v v="$1" 'BEGIN { printf "%.2f", v }'; }
row() { printf '%-46s %20s %12s %8s\n' "$1" "$2" "${3:-}" "${4:-}" | sed 's/ *$//'; }
echo
echo "== summary ($(nproc) x ${CPU_MODEL:-unknown CPU}, Linux $(uname -r), $(date -u '+%Y-%m-%d %H:%M UTC'))"
row "figure" "kiosk" "chromium" "ratio"
row "start -> first home frame, ms (median)" "$FF_MED" "$CR_FCP_SPAWN" "$(ratio "$FF_MED" "$CR_FCP_SPAWN")"
row "  same, both on this script's clock" "$FFS_MED" "$CR_FCP_SPAWN" "$(ratio "$FFS_MED" "$CR_FCP_SPAWN")"
row "peak RSS, MiB (kiosk VmHWM; chromium sum)" "$IDLE_RSS_MIB" "$CR_RSS" "$(ratio "$IDLE_RSS_MIB" "$CR_RSS")"
row "PSS, MiB (kiosk idle; chromium peak sum)" "$IDLE_PSS_MIB" "$CR_PSS" "$(ratio "$IDLE_PSS_MIB" "$CR_PSS")"
row "redraw $RD_SIZE median / p99 / max, ms" "$(two "$RD_MED") / $(two "$RD_P99") / $(two "$RD_MAX")"
row "redraw elder mode median / p99, ms" "$(two "$RDE_MED") / $(two "$RDE_P99")"
row "idle CPU on home over ${IDLE_SECONDS} s, %" "$IDLE_CPU"
row "wake-ups in ${IDLE_SECONDS} s (voluntary ctx switches)" "$WAKEUPS"
row "SIGTERM -> exit, ms" "$SIGTERM_MS"
row "search: index build, 100k items, ms" "$SEARCH_BUILD_MS"
row "search: keystroke median / p99, ms" "$SEARCH_MED / $SEARCH_P99"
row "search: hanzi keystroke p99, ms (peer: FTS5)" "$SEARCH_HANZI_P99" "$FTS_HANZI_P99" "$(ratio "$SEARCH_HANZI_P99" "$FTS_HANZI_P99")"
row "  same, 3+ hanzi (FTS5 uses its index)" "$SEARCH_HANZI3_P99" "$FTS_HANZI3_P99" "$(ratio "$SEARCH_HANZI3_P99" "$FTS_HANZI3_P99")"
row "search: Latin queries answered (kiosk vs FTS5)" "$SEARCH_LATIN"
if [ -n "$SEARCH_INPROCESS_P99" ]; then
    row "search, ${SEARCH_INPROCESS_DISTINCT} distinct names: build / p99, ms" "$SEARCH_INPROCESS_BUILD_MS / $SEARCH_INPROCESS_P99"
fi
row "guide receipt render+encode median / p99, ms" "$RECEIPT_MED / $RECEIPT_P99"
row "guide receipt bytes to the printer" "$RECEIPT_BYTES"
row "licence page A4 300 dpi draw+PCL median / p99, ms (peer: gs PDF->PWG)" "$PAGE_MED / $PAGE_P99" "$GS_MED" "$(ratio "$PAGE_MED" "$GS_MED")"
row "  same, first (cold glyph cache), ms" "$PAGE_FIRST"
echo "targets: idle CPU < 1 %; first home frame < 200 ms; redraw p99 < 10 ms at 1080x1920;"
echo "         search index < 1 s, keystroke p99 < 5 ms, hanzi not slower than FTS5 (peer column: FTS5 for search rows);"
echo "         guide receipt render + encode < 20 ms median;"
echo "         licence page draw + encode < 150 ms median and faster than Ghostscript (peer column: gs for that row)"
# h. the platform link against the emulator: full sync of 100,000 items, a 1 % delta, the
#    longest UI-thread stall during a sync (tools/bench-sync.sh)
echo
bash tools/bench-sync.sh "$BUILD" || echo "bench: platform sync figures failed (see $BUILD/bench-sync/)"
if [ "$SIGTERM_OK" -ne 1 ]; then
    die "the kiosk did not exit cleanly within 2 s of SIGTERM"
fi
