# CUPS' IPP Everywhere printer simulator (ippeveprinter, cups-ipp-utils) on loopback, for the
# tests that print through IPP (tests/ipp/test-ipp.sh, tests/licence/test-licence.sh). Sourced, not run:
#   out=DIR; source tools/ipp-printer.sh   checks the tools, starts D-Bus and avahi when they
#       do not answer, writes the printer engine DIR/engine.sh, sets port and uri; then
#   printer_start / printer_stop / printer_media PWG-NAME; sheets, spooled. With printer_conf
#   set to an ippeveprinter attributes file, printer_start starts a printer with those.
# A file DIR/fault makes the engine fail the next job the way a laser does mid-job:
# media-empty or media-jam (STATE: reasons, job aborted), or slow (4 s before the page).
# DIR/spool holds what the printer received (*.pwg), DIR/paper one file per printed sheet.
out=$(realpath -m "$out") # ippeveprinter runs the engine from elsewhere
mkdir -p "$out/spool" "$out/paper"
for tool in ippeveprinter zbarimg dbus-daemon avahi-daemon; do
    command -v "$tool" >/dev/null ||
        { echo "not ok tools - $tool missing (make deps: cups-ipp-utils, zbar-tools, dbus, avahi-daemon)"; return 1; }
done

# ippeveprinter registers over DNS-SD (even with -r off it will not start without it): it
# needs avahi on a system bus. On a fresh machine (CI, root) neither runs, and /run may still
# hold the socket and pid files of a bus that died with the machine's last session: a socket
# file proves nothing, only an answer does. Start them the way a board's init would.
system_bus_answers() {
    dbus-send --system --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.GetId >/dev/null 2>&1
}
if ! system_bus_answers; then
    rm -f /run/dbus/system_bus_socket /run/dbus/pid
    mkdir -p /run/dbus
    dbus-uuidgen --ensure >>"$out/dbus.log" 2>&1
    dbus-daemon --system --fork >>"$out/dbus.log" 2>&1
    for _ in $(seq 50); do system_bus_answers && break; sleep 0.1; done
fi
if ! avahi-daemon --check 2>/dev/null; then
    rm -f /run/avahi-daemon/pid
    # --no-rlimits: its default process limit counts all of root's processes in a container
    avahi-daemon --no-drop-root --no-chroot --no-rlimits -D >"$out/avahi.log" 2>&1
    for _ in $(seq 50); do avahi-daemon --check 2>/dev/null && break; sleep 0.1; done
fi
if ! avahi-daemon --check 2>/dev/null; then
    system_bus_answers && bus=answers || bus="does not answer"
    echo "not ok avahi - avahi-daemon could not be started (system bus $bus;" \
        "dbus: $(tail -2 "$out/dbus.log" 2>/dev/null | tr '\n' ' ') avahi: $(tail -3 "$out/avahi.log" 2>/dev/null | tr '\n' ' '))"
    return 1
fi

# The printer engine ippeveprinter runs per job ($1 = the spooled document).
cat >"$out/engine.sh" <<EOF
#!/bin/sh
fault=\$(cat "$out/fault" 2>/dev/null)
case "\$fault" in
media-empty) echo "STATE: +media-empty-error" >&2; sleep 0.2; exit 1 ;;
media-jam) echo "STATE: +media-jam-error" >&2; sleep 0.2; exit 1 ;;
slow) sleep 4 ;;
esac
echo "STATE: -media-empty,media-jam" >&2
sleep 0.2
# one file per sheet: job ids start again at 1 when the printer restarts
cp "\$1" "$out/paper/\$(date +%s%N)-\$(basename "\$1")"
echo "ATTR: job-impressions-completed=1" >&2
EOF
chmod +x "$out/engine.sh"

port=$((20000 + RANDOM % 20000))
uri=ipp://localhost:$port/ipp/print
printer_pid=
# Its own session, so that killing it takes the engine down too (power lost mid-job).
printer_start() {
    # printer_conf (optional): an attributes file instead of -f (ippeveprinter takes one or
    # the other), for a printer that offers other PWG raster types or resolutions.
    local takes=(-f image/pwg-raster)
    [ -n "${printer_conf:-}" ] && takes=(-a "$printer_conf")
    setsid ippeveprinter -d "$out/spool" -k "${takes[@]}" -n localhost -p "$port" -c "$out/engine.sh" \
        "Kiosk Test $port" >>"$out/printer.log" 2>&1 &
    printer_pid=$!
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.05
    done
    # A4 in the main tray, through the printer's own web form (it starts with Letter).
    printer_media iso_a4_210x297mm
}
printer_stop() {
    [ -n "$printer_pid" ] && kill -KILL -- "-$printer_pid" 2>/dev/null
    wait "$printer_pid" 2>/dev/null
    printer_pid=
}
printer_media() { # PWG media name for the main tray
    exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
    printf 'GET /media?size1=%s&type1=stationery&level1=250&size3=&type3=&level3=-2 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$1" >&3
    # The status line comes after the form is applied; the printer keeps the connection open.
    local status_line=
    read -r -t 5 status_line <&3
    exec 3<&-
    [[ "$status_line" == "HTTP/1.1 200"* ]]
}
sheets() { find "$out/paper" -type f | wc -l; }
spooled() { find "$out/spool" -name '*.pwg' | wc -l; }
