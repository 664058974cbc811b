#!/bin/sh
# /init of the USB end-to-end test's qemu guest (tests/usb/usb-e2e.sh builds the initramfs).
# dummy_hcd gives the guest two USB host controllers, each wired to a gadget controller:
#   dummy_udc.0  the GA 467 reader: FunctionFS + usb_gadget idcard (the reader model)
#   dummy_udc.1  the receipt printer: usb_f_printer + usb_gadget printer (the printer model)
# Then the host side runs kioskctl read-card --usb and usb_printer_check through libusb and
# the kernel's USB stack. Results go to the serial console between @@ markers; the host
# script asserts them. Ends with poweroff.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /tmp /run
mount -t devpts devpts /dev/pts
mount -t tmpfs tmp /tmp
echo "@@BOOT $(uname -r)"
step() { echo "@@STEP $*"; }
fail() { echo "@@FAIL $*"; dmesg | tail -n 30; poweroff -f; }
# usblp too: the printer transport must detach it and give the interface back.
for m in usbcore dummy_hcd libcomposite usb_f_fs usb_f_printer usblp; do
    if [ $m = dummy_hcd ]; then modprobe $m num=2 || fail "modprobe $m"; else modprobe $m || fail "modprobe $m"; fi
done
mount -t configfs none /sys/kernel/config || fail "mount configfs"
C=/sys/kernel/config/usb_gadget

gadget() { # DIR VID PID PRODUCT
    mkdir "$1" && echo "$2" > "$1/idVendor" && echo "$3" > "$1/idProduct" &&
    mkdir "$1/strings/0x409" && echo "$4" > "$1/strings/0x409/product" &&
    echo "LY-TEST" > "$1/strings/0x409/manufacturer" && mkdir "$1/configs/c.1" || fail "gadget $1"
}

wait_for() { # PATH SECONDS
    i=0
    while [ ! -e "$1" ] && [ $i -lt $(($2 * 10)) ]; do usleep 100000; i=$((i + 1)); done
    [ -e "$1" ]
}

# The reader: vendor-class interface, four bulk pipes served from user space.
gadget $C/reader 0x0400 0xc35a "GA467 reader"
mkdir $C/reader/functions/ffs.idcard && ln -s $C/reader/functions/ffs.idcard $C/reader/configs/c.1/ || fail "ffs function"
mkdir -p /dev/ffs-idcard && mount -t functionfs idcard /dev/ffs-idcard || fail "mount functionfs"
mkfifo /tmp/card.fifo
/bin/usb_gadget idcard /dev/ffs-idcard resident /tmp/card.fifo > /tmp/reader.out 2> /tmp/reader.err &
i=0; while ! grep -q ready /tmp/reader.out 2>/dev/null && [ $i -lt 50 ]; do usleep 100000; i=$((i + 1)); done
grep -q ready /tmp/reader.out || fail "reader gadget: $(cat /tmp/reader.err)"
echo dummy_udc.0 > $C/reader/UDC || fail "bind reader"

# The printer: usb_f_printer with an Epson device ID.
gadget $C/printer 0x04b8 0x0e28 "TM-T70II"
mkdir $C/printer/functions/printer.p0 || fail "printer function"
echo "MFG:EPSON;MDL:TM-T70II;CMD:ESC/POS;CLS:PRINTER;" > $C/printer/functions/printer.p0/pnp_string
ln -s $C/printer/functions/printer.p0 $C/printer/configs/c.1/
echo dummy_udc.1 > $C/printer/UDC || fail "bind printer"
wait_for /dev/g_printer0 5 || fail "no /dev/g_printer0"

# Both enumerated on the host side (and usblp bound to the printer)?
i=0
while [ $i -lt 50 ]; do
    [ -e /dev/usb/lp0 ] && ls /sys/bus/usb/devices | grep -q '^1-1$' && break
    usleep 100000; i=$((i + 1))
done
mkdir -p /tmp/receipts
/bin/usb_gadget printer /dev/g_printer0 /tmp/receipts > /tmp/printer.out 2> /tmp/printer.err &
i=0; while ! grep -q ready /tmp/printer.out 2>/dev/null && [ $i -lt 50 ]; do usleep 100000; i=$((i + 1)); done
grep -q ready /tmp/printer.out || fail "printer gadget: $(cat /tmp/printer.err)"
echo "@@USB-DEVICES $(cat /sys/bus/usb/devices/*/idVendor 2>/dev/null | tr '\n' ' ')"
echo "@@READER-ENDPOINTS $(cat /sys/bus/usb/devices/1-1:1.0/ep_*/bEndpointAddress 2>/dev/null | tr '\n' ' ')"
[ -e /dev/usb/lp0 ] && echo "@@USBLP-BEFORE bound" || echo "@@USBLP-BEFORE unbound"

step read-card
echo "@@READ-CARD-BEGIN"
/bin/kioskctl read-card --usb 0483:5652,0400:c35a --timeout 10 > /tmp/card.json 2> /tmp/card.err
rc=$?
cat /tmp/card.json
echo "@@READ-CARD-END rc=$rc"
echo "@@READ-CARD-STDERR $(cat /tmp/card.err | tr '\n' ' ')"

step printer
echo "@@PRINTER-BEGIN"
/bin/usb_printer_check usb:class7 "https://ysd.linyi.gov.cn/r/SQ-2026-0001" 2> /tmp/check.err
rc=$?
echo "@@PRINTER-END rc=$rc"
echo "@@PRINTER-STDERR $(cat /tmp/check.err | tr '\n' ' ')"
i=0; while [ ! -e /dev/usb/lp0 ] && [ $i -lt 30 ]; do usleep 100000; i=$((i + 1)); done
[ -e /dev/usb/lp0 ] && echo "@@USBLP-AFTER bound" || echo "@@USBLP-AFTER unbound"

# The same printer through usblp, as boards that keep the kernel driver use it (transport_fd).
step printer-usblp
echo "@@LP-BEGIN"
/bin/usb_printer_check /dev/usb/lp0 "https://ysd.linyi.gov.cn/r/SQ-2026-0002" epson-tm-t70ii 2> /tmp/lp.err
rc=$?
echo "@@LP-END rc=$rc"
echo "@@LP-STDERR $(cat /tmp/lp.err | tr '\n' ' ')"

# What a technician runs: kioskctl print-test receipt --usb class7 (the profile from the
# printer's device ID, Chinese rendered by the font engine, QR and Code 128).
step print-test
echo "@@PT-BEGIN"
/bin/kioskctl print-test receipt --usb class7 2> /tmp/pt.err
rc=$?
echo "@@PT-END rc=$rc"
echo "@@PT-STDERR $(cat /tmp/pt.err | tr '\n' ' ')"
for f in /tmp/receipts/*.png; do
    [ -e "$f" ] || continue
    echo "@@PNG-BEGIN $(basename "$f")"
    base64 "$f"
    echo "@@PNG-END"
done

# Unplug and replug the reader under the kiosk's reader worker (no udevd here, so libusb
# has no hotplug events: the worker's rescan must find it again). While it is unplugged,
# read-card must say "no reader" (2), naming the VID:PID.
wait_line() { # FILE TEXT COUNT SECONDS: until TEXT is on COUNT lines of FILE
    i=0
    while [ "$(grep -c "$2" "$1")" -lt "$3" ] && [ $i -lt $(($4 * 10)) ]; do usleep 100000; i=$((i + 1)); done
    [ "$(grep -c "$2" "$1")" -ge "$3" ]
}
step replug
: > /tmp/watch.txt
/bin/usb_reader_watch usb:0400:c35a 60 > /tmp/watch.txt 2> /tmp/watch.err &
watcher=$!
wait_line /tmp/watch.txt "^reader ok" 1 10 || echo "@@NOTE no first reader ok"
echo "" > $C/reader/UDC
wait_line /tmp/watch.txt "^reader missing" 1 10 || echo "@@NOTE no reader missing"
/bin/kioskctl read-card --usb 0400:c35a --timeout 2 > /dev/null 2> /tmp/unplug.err
echo "@@UNPLUGGED rc=$? $(cat /tmp/unplug.err | tr '\n' ' ')"
echo dummy_udc.0 > $C/reader/UDC || echo "@@NOTE rebind failed"
wait_line /tmp/watch.txt "^reader ok" 2 10 || echo "@@NOTE no second reader ok: $(tail -n 3 /tmp/watch.err | tr '\n' ' ') $(dmesg | tail -n 4 | tr '\n' ' ')"
# The card read by read-card is still on the reader: lift it and lay it down again.
echo remove > /tmp/card.fifo
usleep 800000
echo "place resident" > /tmp/card.fifo
wait_line /tmp/watch.txt "^card read" 1 10 || echo "@@NOTE no card read"
kill $watcher
echo "@@WATCH-BEGIN"
cat /tmp/watch.txt
echo "@@WATCH-END"
echo "@@GADGET-STDERR $(cat /tmp/reader.err /tmp/printer.err | tr '\n' ' ')"
echo "@@DONE"
poweroff -f
