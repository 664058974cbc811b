# The platform emulator (tests/platform) on loopback, for the tests and benches that need a
# platform. Sourced, not run: set emu (the emulator binary) and work (a folder), then
#   start_emu [PORT [ARGS...]]  starts it, its state in $work/emu (a restart on the same PORT
#                     is the same platform coming back); ARGS default to the seed catalogue;
#                     sets port, admin_port, url; 1 when it did not start (see $work/emu.log)
#   stop_emu          stops it
#   admin METHOD PATH [JSON]   the plain-HTTP admin endpoint's body on stdout (bash's
#                     /dev/tcp: no HTTP client needed)
#   trust_platform UNIT        puts the platform's CA and signing key in UNIT/platform, as a
#                     technician does before enrolling
emu_pid=
start_emu() {
    local listen=${1:-0}
    shift $(($# > 0 ? 1 : 0))
    [ $# -gt 0 ] || set -- --catalogue assets/catalogue/seed.json
    rm -f "$work/ready"
    "$emu" --port "$listen" --admin-port 0 --keys "$work/keys" --data "$work/emu" "$@" --ready-file "$work/ready" \
        >>"$work/emu.out" 2>>"$work/emu.log" &
    emu_pid=$!
    for _ in $(seq 600); do [ -s "$work/ready" ] && break; sleep 0.1; done # a large catalogue takes a while
    [ -s "$work/ready" ] || return 1
    read -r port admin_port <"$work/ready"
    url=https://127.0.0.1:$port
}
stop_emu() { if [ -n "$emu_pid" ]; then kill "$emu_pid" 2>/dev/null; wait "$emu_pid" 2>/dev/null; fi; emu_pid=; }
admin() {
    local body=${3:-}
    exec 5<>"/dev/tcp/127.0.0.1/$admin_port" || return 1
    printf '%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
        "$1" "$2" "${#body}" "$body" >&5
    sed '1,/^\r$/d' <&5
    exec 5<&-
}
trust_platform() {
    mkdir -p "$1/platform"
    cp "$work/keys/ca.pem" "$1/platform/ca.pem"
    cp "$work/keys/signing.pub.pem" "$1/platform/signing.pub"
}
