#!/usr/bin/env bash
# The USB end-to-end test: tests/usb/usb-e2e.sh BUILD-DIR   (make usb-e2e; also run by
# tests/usb/test-usb.sh). Prints "ok NAME" / "not ok NAME - why".
#
# This machine has no USB, so the test boots Debian's own kernel in qemu with a tiny
# initramfs (busybox, the needed modules, our binaries and their shared libraries). Inside,
# dummy_hcd wires USB host controllers to gadget controllers: a GA 467 reader on FunctionFS
# and a printer-class gadget (usb_f_printer), each served by the sim's device model
# (tests/usb/usb_gadget.c). kioskctl read-card --usb and usb_printer_check then go through
# libusb and the kernel's real USB stack (enumeration, usbfs, usblp detach). The guest
# (tests/usb/guest-init.sh) reports on the serial console; the assertions are made here:
#   usb-e2e:read-card        exit 0 and the JSON equals what read-card --port gives for the
#                            same fixture through a pty on this machine
#   usb-e2e:printer          GET_DEVICE_ID parsed (EPSON / TM-T70II → profile epson-tm-t70ii),
#                            GET_PORT_STATUS 0x18, SOFT_RESET accepted, the job confirmed by
#                            GS r 1 with every byte sent
#   usb-e2e:receipt-png      the model's PNG of that receipt: zbarimg decodes the QR text and
#                            the Code 128, and nothing else
#   usb-e2e:usblp-fd         the same printer through usblp (/dev/usb/lp0, transport_fd): a
#                            second job confirmed, its QR read from the second PNG
#   usb-e2e:print-test       kioskctl print-test receipt --usb class7: exit 0, JSON "printed"
#                            with the profile from the device ID and status "ready"; zbarimg
#                            reads its QR and both Code 128s from the third PNG
#   usb-e2e:usblp            usblp held the printer before and has it back after the run
#   usb-e2e:unplug           with the reader unbound, read-card --usb exits 2 "not attached"
#   usb-e2e:replug           the reader worker (idcard_worker on usb:0400:c35a) posts, in this
#                            order: reader ok, reader missing (unplugged), reader ok (found
#                            again by its rescan), card read: resident (lifted and laid again)
# Needs qemu-system-x86 and busybox-static (debian-packages.txt) and the kernel package,
# fetched once with apt-get download into BUILD-DIR/usb-e2e/ (Debian's registry).
set -uo pipefail
build=${1:?usage: tests/usb/usb-e2e.sh BUILD-DIR}
work=$build/usb-e2e
mkdir -p "$work"
ok() { echo "ok $1${2:+ - $2}"; }
not_ok() { echo "not ok $1 - $2"; }
names="usb-e2e:read-card usb-e2e:printer usb-e2e:receipt-png usb-e2e:usblp-fd usb-e2e:print-test usb-e2e:usblp usb-e2e:unplug usb-e2e:replug"
all_fail() { for n in $names; do not_ok "$n" "$1"; done; exit 1; }

for tool in qemu-system-x86_64 busybox zbarimg apt-get dpkg-deb; do
    command -v $tool >/dev/null || all_fail "$tool not installed (debian-packages.txt)"
done
make --no-print-directory -s BUILD="$build" usb-tools >"$work/make.log" 2>&1 ||
    all_fail "make usb-tools failed: $(tail -n 3 "$work/make.log" | tr '\n' ' ')"

# The kernel: Debian's current linux-image for amd64, extracted (never installed).
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$pkg" ] || all_fail "apt-cache knows no linux-image-amd64 (apt-get update?)"
kver=${pkg#linux-image-}
kdir=$work/kernel-$kver
if [ ! -f "$kdir/vmlinuz" ]; then
    rm -rf "$work/dl" && mkdir -p "$work/dl"
    # Stale package lists name a build the mirror has replaced: refresh them once (as root).
    (cd "$work/dl" && apt-get download "$pkg" >download.log 2>&1) ||
        { [ "$(id -u)" = 0 ] && apt-get update -qq >/dev/null 2>&1 &&
            pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}') &&
            kver=${pkg#linux-image-} && kdir=$work/kernel-$kver &&
            (cd "$work/dl" && apt-get download "$pkg" >download.log 2>&1); } ||
        all_fail "apt-get download $pkg failed: $(tail -n 2 "$work/dl/download.log" | tr '\n' ' ')"
    rm -rf "$kdir.tmp" && mkdir -p "$kdir.tmp"
    dpkg-deb --fsys-tarfile "$work"/dl/"$pkg"_*.deb |
        tar -x -C "$kdir.tmp" "./boot/vmlinuz-$kver" "./boot/config-$kver" "./lib/modules/$kver/kernel/drivers/usb" \
            "./lib/modules/$kver/kernel/fs/configfs" ||
        all_fail "cannot extract $pkg"
    for option in USB_DUMMY_HCD USB_FUNCTIONFS USB_F_PRINTER USB_PRINTER; do
        grep -q "^CONFIG_$option=[my]" "$kdir.tmp/boot/config-$kver" ||
            all_fail "$pkg lacks CONFIG_$option: the test cannot build its virtual USB devices"
    done
    mv "$kdir.tmp/boot/vmlinuz-$kver" "$kdir.tmp/vmlinuz"
    rm -rf "$work/dl" "$kdir" && mv "$kdir.tmp" "$kdir"
    # One kernel kept: drop those of earlier runs.
    for old in "$work"/kernel-*; do [ "$old" = "$kdir" ] || rm -rf "$old"; done
fi

# The initramfs.
root=$work/root
rm -rf "$root" && mkdir -p "$root/bin" "$root/lib/modules" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
cp "$(command -v busybox)" "$root/bin/busybox"
for applet in $(busybox --list); do [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"; done
cp -a "$kdir/lib/modules/$kver" "$root/lib/modules/"
busybox depmod -b "$root" "$kver" || all_fail "depmod failed"
cp tests/usb/guest-init.sh "$root/init"
# print-test renders its Chinese with the kiosk's typeface (the path is kioskctl's default).
fonts=/usr/share/fonts/opentype/noto
mkdir -p "$root$fonts" && cp "$fonts/NotoSansCJK-Regular.ttc" "$fonts/NotoSansCJK-Bold.ttc" "$root$fonts/" ||
    all_fail "fonts-noto-cjk not installed"
for bin in "$build/kioskctl" "$build/tests/usb_gadget" "$build/tests/usb_printer_check" "$build/tests/usb_reader_watch"; do
    cp "$bin" "$root/bin/"
    for lib in $(ldd "$bin" | awk '/=> \// {print $3} /^\t\/lib/ {print $1}'); do
        [ -e "$root$lib" ] || { mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib"; }
    done
done
(cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null) | gzip -1 >"$work/initramfs.gz" ||
    all_fail "cannot pack the initramfs"

# Boot with qemu's emulator (TCG): KVM inside a VM may be there and still hang (nested
# virtualisation off); USB_E2E_ACCEL=kvm where it is known to work.
console=$work/console.txt
rm -f "$console"
start=$SECONDS
timeout 120 qemu-system-x86_64 -accel "${USB_E2E_ACCEL:-tcg}" -m 1024 -smp 1 -no-reboot -display none -monitor none \
    -no-user-config -nodefaults -serial "file:$console" \
    -kernel "$kdir/vmlinuz" -initrd "$work/initramfs.gz" \
    -append "console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init" >"$work/qemu.log" 2>&1
echo "# guest ran $((SECONDS - start)) s ($kver); console in $console"
tr -d '\r' <"$console" >"$console.txt" && mv "$console.txt" "$console"
grep -q '^@@DONE' "$console" ||
    all_fail "the guest did not finish: $(grep -E '^@@(FAIL|STEP)' "$console" | tail -n 2 | tr '\n' ' ') $(tail -c 300 "$work/qemu.log")"

# read-card: the same JSON as through the pty for the same fixture.
sed -n '/^@@READ-CARD-BEGIN/,/^@@READ-CARD-END/p' "$console" | sed '1d;$d' >"$work/card-usb.json"
# (the model in the background ends by itself after --seconds)
sim_port=$("$build/idcard_sim" --background --seconds 8 --card resident 2>"$work/idcard_sim.err")
"$build/kioskctl" read-card --port "$sim_port" --timeout 5 >"$work/card-pty.json" 2>/dev/null
if grep -q '^@@READ-CARD-END rc=0' "$console" && [ -s "$work/card-usb.json" ] &&
    grep -q '"card_kind"' "$work/card-usb.json" && cmp -s "$work/card-usb.json" "$work/card-pty.json"; then
    ok usb-e2e:read-card
else
    not_ok usb-e2e:read-card "$(grep -E '^@@READ-CARD-(END|STDERR)' "$console" | tr '\n' ' ') usb: $(head -c 200 "$work/card-usb.json") pty: $(head -c 200 "$work/card-pty.json")"
fi

printer=$(sed -n '/^@@PRINTER-BEGIN/,/^@@PRINTER-END/p' "$console" | sed '1d;$d')
want='"transport":"usb-printer","bidirectional":"yes","mfg":"EPSON","mdl":"TM-T70II","cmd":"ESC/POS","profile":"epson-tm-t70ii","port_status":"0x18","port_ready":"yes","soft_reset":"ok","outcome":"confirmed"'
sent=$(sed -n 's/.*"bytes_sent":"\([0-9]*\)".*/\1/p' <<<"$printer")
total=$(sed -n 's/.*"job_bytes":"\([0-9]*\)".*/\1/p' <<<"$printer")
if grep -q '^@@PRINTER-END rc=0' "$console" && grep -qF "$want" <<<"$printer" && [ -n "$sent" ] && [ "$sent" = "$total" ]; then
    ok usb-e2e:printer "$sent bytes"
else
    not_ok usb-e2e:printer "got $printer $(grep -E '^@@PRINTER-(END|STDERR)' "$console" | tr '\n' ' ')"
fi

sed -n '/^@@PNG-BEGIN receipt-0001.png/,/^@@PNG-END/p' "$console" | sed '1d;$d' | base64 -d >"$work/receipt-0001.png" 2>/dev/null
qr=$(zbarimg -q --nodbus "$work/receipt-0001.png" 2>/dev/null)
if [ "$qr" = "QR-Code:https://ysd.linyi.gov.cn/r/SQ-2026-0001"$'\n'"CODE-128:SQ-2026-0001" ]; then
    ok usb-e2e:receipt-png "$work/receipt-0001.png"
else
    not_ok usb-e2e:receipt-png "zbarimg read '$qr' from $work/receipt-0001.png ($(stat -c %s "$work/receipt-0001.png" 2>/dev/null) bytes)"
fi

lp=$(sed -n '/^@@LP-BEGIN/,/^@@LP-END/p' "$console" | sed '1d;$d')
qr2=$(sed -n '/^@@PNG-BEGIN receipt-0002.png/,/^@@PNG-END/p' "$console" | sed '1d;$d' | base64 -d 2>/dev/null |
    zbarimg -q --nodbus - 2>/dev/null | head -n 1)
if grep -q '^@@LP-END rc=0' "$console" && grep -qF '"transport":"fd","profile":"epson-tm-t70ii","outcome":"confirmed"' <<<"$lp" &&
    [ "$qr2" = "QR-Code:https://ysd.linyi.gov.cn/r/SQ-2026-0002" ]; then
    ok usb-e2e:usblp-fd
else
    not_ok usb-e2e:usblp-fd "got $lp, QR '$qr2' $(grep -E '^@@LP-(END|STDERR)' "$console" | tr '\n' ' ')"
fi

pt=$(sed -n '/^@@PT-BEGIN/,/^@@PT-END/p' "$console" | sed '1d;$d')
sed -n '/^@@PNG-BEGIN receipt-0003.png/,/^@@PNG-END/p' "$console" | sed '1d;$d' | base64 -d >"$work/print-test.png" 2>/dev/null
codes=$(zbarimg -q --nodbus "$work/print-test.png" 2>/dev/null | sort | tr '\n' '|')
want_codes="CODE-128:KIOSK-PRINTER-128|CODE-128:KIOSK-RASTER-128|QR-Code:https://zwfw.linyi.example/print-test|"
if grep -q '^@@PT-END rc=0' "$console" &&
    grep -qF '{"printer":"receipt","profile":"epson-tm-t70ii","result":"printed",' <<<"$pt" &&
    grep -qF '"status":{"condition":"receipt printer ready",' <<<"$pt" && [ "$codes" = "$want_codes" ]; then
    ok usb-e2e:print-test "$work/print-test.png"
else
    not_ok usb-e2e:print-test "got $pt; codes '$codes' $(grep -E '^@@PT-(END|STDERR)' "$console" | tr '\n' ' ')"
fi

if grep -q '^@@USBLP-BEFORE bound' "$console" && grep -q '^@@USBLP-AFTER bound' "$console"; then
    ok usb-e2e:usblp
else
    not_ok usb-e2e:usblp "$(grep -E '^@@USBLP' "$console" | tr '\n' ' ')"
fi

if grep -q '^@@UNPLUGGED rc=2 kioskctl: no reader at USB 0400:c35a: no such USB device attached' "$console"; then
    ok usb-e2e:unplug
else
    not_ok usb-e2e:unplug "$(grep -E '^@@UNPLUGGED' "$console")"
fi

sed -n '/^@@WATCH-BEGIN/,/^@@WATCH-END/p' "$console" | sed '1d;$d' >"$work/watch.txt"
got=$(sed 's/: .*//' "$work/watch.txt" | tr '\n' '|')
if [ "$got" = "reader ok|reader missing|reader ok|card read|" ] && grep -q '^card read: resident$' "$work/watch.txt"; then
    ok usb-e2e:replug
else
    not_ok usb-e2e:replug "worker said: $(tr '\n' '|' <"$work/watch.txt") $(grep '^@@NOTE' "$console" | tr '\n' ' ')"
fi
