/* The pure parts of the USB transports: VID:PID and match parsing, endpoint selection from
 * an interface descriptor's list, GET_PORT_STATUS decoding, [devices] addresses (also as
 * config_load sees them), and what kioskctl read-card --usb needs on a machine without USB:
 * usb_link answers "no USB bus" (-ENOSYS) or "not attached" (-ENODEV), never success. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "firmware/storage/config.h"
#include "drivers/transport/device_address.h"
#include "drivers/transport/transport_usb_idcard.h"
#include "drivers/transport/transport_usb_printer.h"
#include "drivers/transport/usb_link.h"

static void test_id_parse(void **state)
{
    (void)state;
    struct usb_link_id id;
    assert_int_equal(usb_link_id_parse("0400:c35a", &id), 0);
    assert_int_equal(id.vid, 0x0400);
    assert_int_equal(id.pid, 0xc35a);
    assert_int_equal(usb_link_id_parse("0483:5652", &id), 0);
    assert_int_equal(id.vid, 0x0483);
    assert_int_equal(id.pid, 0x5652);
    assert_int_equal(usb_link_id_parse("04B8:0E28", &id), 0); /* capitals too */
    assert_int_equal(id.vid, 0x04b8);
    assert_int_equal(id.pid, 0x0e28);
    const char *bad[] = { "", "0400", "0400:", ":c35a", "400:c35a", "0400:c35", "0400:c35a0", "0400-c35a",
                          "0x40:c35a", "04g0:c35a", "0400:c35a ", " 0400:c35a", "0400::c35" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(usb_link_id_parse(bad[i], &id), -EINVAL);
}

static void test_match_parse_and_format(void **state)
{
    (void)state;
    struct usb_link_match match;
    char text[128];
    assert_int_equal(usb_link_match_parse("0400:c35a,0483:5652", &match), 0);
    assert_int_equal(match.count, 2);
    assert_false(match.printer_class);
    assert_int_equal(match.ids[1].vid, 0x0483);
    assert_int_equal(match.ids[1].pid, 0x5652);
    usb_link_match_format(&match, text, sizeof text);
    assert_string_equal(text, "0400:c35a,0483:5652");
    assert_int_equal(usb_link_match_parse("class7", &match), 0);
    assert_true(match.printer_class);
    assert_int_equal(match.count, 0);
    usb_link_match_format(&match, text, sizeof text);
    assert_string_equal(text, "class7");
    /* eight ids fit, a ninth does not */
    assert_int_equal(usb_link_match_parse("0001:0001,0002:0002,0003:0003,0004:0004,0005:0005,0006:0006,"
                                          "0007:0007,0008:0008", &match), 0);
    assert_int_equal(match.count, 8);
    assert_int_equal(usb_link_match_parse("0001:0001,0002:0002,0003:0003,0004:0004,0005:0005,0006:0006,"
                                          "0007:0007,0008:0008,0009:0009", &match), -EINVAL);
    const char *bad[] = { "", ",", "0400:c35a,", ",0400:c35a", "0400:c35a,,0483:5652", "class 7", "Class7",
                          "class8", "0400:c35a;0483:5652" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(usb_link_match_parse(bad[i], &match), -EINVAL);
}

static void test_pick_reader_endpoints(void **state)
{
    (void)state;
    uint8_t outs[2], ins[2];
    /* The GA 467 layout of idcard-ga467.md, in the order a reader lists it. */
    const struct usb_link_endpoint reader[] = {
        { 0x81, USB_LINK_BULK, 64 }, { 0x02, USB_LINK_BULK, 64 }, { 0x85, USB_LINK_BULK, 64 }, { 0x06, USB_LINK_BULK, 64 },
    };
    assert_int_equal(usb_link_pick_bulk(reader, 4, 2, outs, 2, ins), 0);
    assert_int_equal(outs[0], 0x02);
    assert_int_equal(outs[1], 0x06);
    assert_int_equal(ins[0], 0x81);
    assert_int_equal(ins[1], 0x85);
    /* Another numbering (a gadget's controller assigns its own): descriptor order decides,
     * and interrupt endpoints are not pipes for frames. */
    const struct usb_link_endpoint gadget[] = {
        { 0x83, USB_LINK_INTERRUPT, 8 }, { 0x07, USB_LINK_BULK, 512 }, { 0x01, USB_LINK_BULK, 512 },
        { 0x86, USB_LINK_BULK, 512 },    { 0x82, USB_LINK_BULK, 512 },
    };
    assert_int_equal(usb_link_pick_bulk(gadget, 5, 2, outs, 2, ins), 0);
    assert_int_equal(outs[0], 0x07);
    assert_int_equal(outs[1], 0x01);
    assert_int_equal(ins[0], 0x86);
    assert_int_equal(ins[1], 0x82);
    /* Three bulk endpoints are not a GA 467 reader. */
    assert_int_equal(usb_link_pick_bulk(reader, 3, 2, outs, 2, ins), -EPROTO);
    /* A one-way printer (protocol 1): an OUT and no IN. */
    const struct usb_link_endpoint printer_uni[] = { { 0x01, USB_LINK_BULK, 64 } };
    uint8_t out = 0, in = 0;
    assert_int_equal(usb_link_pick_bulk(printer_uni, 1, 1, &out, 0, NULL), 0);
    assert_int_equal(out, 0x01);
    assert_int_equal(usb_link_pick_bulk(printer_uni, 1, 0, NULL, 1, &in), -EPROTO);
    assert_int_equal(usb_link_pick_bulk(NULL, 0, 1, &out, 0, NULL), -EPROTO);
}

static void test_port_status_decode(void **state)
{
    (void)state;
    struct usb_printer_port_status status;
    usb_printer_port_status_decode(0x18, &status); /* healthy */
    assert_true(status.selected);
    assert_true(status.no_error);
    assert_false(status.paper_empty);
    assert_true(status.ready);
    usb_printer_port_status_decode(0x38, &status); /* paper out */
    assert_true(status.paper_empty);
    assert_false(status.ready);
    usb_printer_port_status_decode(0x10, &status); /* error line asserted */
    assert_false(status.no_error);
    assert_false(status.ready);
    usb_printer_port_status_decode(0x08, &status); /* offline */
    assert_false(status.selected);
    assert_false(status.ready);
    usb_printer_port_status_decode(0xFF, &status);
    assert_int_equal(status.raw, 0xFF);
    assert_false(status.ready);
    assert_true(status.paper_empty && status.selected && status.no_error);
}

static void test_device_address(void **state)
{
    (void)state;
    struct device_address a;
    char reason[200];
    assert_int_equal(device_address_parse(DEVICE_IDCARD_READER, "sim", &a, reason, sizeof reason), 0);
    assert_int_equal(a.kind, DEVICE_ADDRESS_SIM);
    assert_int_equal(device_address_parse(DEVICE_IDCARD_READER, "/dev/ttyUSB0", &a, reason, sizeof reason), 0);
    assert_int_equal(a.kind, DEVICE_ADDRESS_PATH);
    assert_string_equal(a.path, "/dev/ttyUSB0");
    assert_int_equal(device_address_parse(DEVICE_IDCARD_READER, "usb:0400:c35a,0483:5652", &a, reason, sizeof reason), 0);
    assert_int_equal(a.kind, DEVICE_ADDRESS_USB);
    assert_int_equal(a.usb.count, 2);
    assert_int_equal(a.usb.ids[0].pid, 0xc35a);
    assert_int_equal(device_address_parse(DEVICE_RECEIPT_PRINTER, "usb:0416:5011", &a, reason, sizeof reason), 0);
    assert_int_equal(a.kind, DEVICE_ADDRESS_USB);
    assert_int_equal(a.usb.ids[0].vid, 0x0416);
    assert_int_equal(device_address_parse(DEVICE_RECEIPT_PRINTER, "usb:class7", &a, reason, sizeof reason), 0);
    assert_true(a.usb.printer_class);
    assert_int_equal(device_address_parse(DEVICE_RECEIPT_PRINTER, "/dev/usb/lp0", &a, reason, sizeof reason), 0);
    assert_int_equal(a.kind, DEVICE_ADDRESS_PATH);
    assert_int_equal(device_address_parse(DEVICE_CERT_PRINTER, "ipp://192.168.1.20/ipp/print", &a, reason, sizeof reason), 0);
    assert_int_equal(a.kind, DEVICE_ADDRESS_OTHER);
    /* The reader is never found by printer class; a printer is one device. */
    assert_int_equal(device_address_parse(DEVICE_IDCARD_READER, "usb:class7", &a, reason, sizeof reason), -EINVAL);
    assert_string_equal(reason, "idcard_reader must be sim, a tty path (/dev/ttyUSB0) or usb:VVVV:PPPP[,VVVV:PPPP...] (hex)");
    assert_int_equal(device_address_parse(DEVICE_RECEIPT_PRINTER, "usb:0416:5011,04b8:0e28", &a, reason, sizeof reason), -EINVAL);
    assert_string_equal(reason, "receipt_printer must be sim, usb:VVVV:PPPP (hex), usb:class7 or a device path (/dev/usb/lp0)");
    assert_int_equal(device_address_parse(DEVICE_IDCARD_READER, "usb:0400", &a, reason, sizeof reason), -EINVAL);
    assert_int_equal(device_address_parse(DEVICE_IDCARD_READER, "ttyUSB0", &a, reason, sizeof reason), -EINVAL);
    assert_int_equal(device_address_parse(DEVICE_RECEIPT_PRINTER, "usb:", &a, reason, sizeof reason), -EINVAL);
    assert_int_equal(device_address_parse(DEVICE_RECEIPT_PRINTER, "", &a, reason, sizeof reason), -EINVAL);
    assert_string_equal(reason, "receipt_printer needs an address (a tty path, usb:VID:PID, a URI, or sim)");
}

/* config_load: a bad address is FILE:LINE: reason, a good one is kept as written. */
static void test_config_addresses(void **state)
{
    (void)state;
    char path[] = "/tmp/test_usb_config.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("[devices]\nidcard_reader = usb:0400:c35a,0483:5652\nreceipt_printer = usb:class7\n"
          "receipt_printer = /dev/usb/lp0\nidcard_reader = usb:0400:c35a,\n", f);
    fclose(f);
    struct config config;
    char err[512];
    config_set_defaults(&config);
    assert_int_equal(config_load(&config, path, err, sizeof err), -1);
    char want[600];
    snprintf(want, sizeof want,
             "%s:5: idcard_reader must be sim, a tty path (/dev/ttyUSB0) or usb:VVVV:PPPP[,VVVV:PPPP...] (hex)", path);
    assert_string_equal(err, want);
    assert_string_equal(config.device_address[DEVICE_IDCARD_READER], "usb:0400:c35a,0483:5652");
    assert_string_equal(config.device_address[DEVICE_RECEIPT_PRINTER], "/dev/usb/lp0");
    unlink(path);
}

/* What a machine without a USB host controller (this one) or without the device gives:
 * no transport, and "no bus" or "not attached", never a half-open device. */
static void test_no_device(void **state)
{
    (void)state;
    struct usb_link_match match;
    assert_int_equal(usb_link_match_parse("0400:c35a", &match), 0);
    struct transport *transport = (struct transport *)&match; /* must be reset to NULL */
    int err = transport_usb_idcard_open(NULL, &match, &transport);
    assert_null(transport);
    bool no_bus = access("/sys/bus/usb/devices", F_OK) != 0;
    if (no_bus)
        assert_int_equal(err, -ENOSYS);
    else
        assert_true(err == -ENODEV || err == -EACCES);
    assert_true(strlen(usb_link_strerror(err)) > 10);
    assert_int_equal(usb_link_match_parse("class7", &match), 0);
    transport = (struct transport *)&match;
    err = transport_usb_printer_open(NULL, &match, &transport);
    assert_null(transport);
    assert_true(err < 0);
    if (no_bus)
        assert_int_equal(err, -ENOSYS);
    /* The class requests refuse a transport that is not a USB printer. */
    struct usb_printer_port_status status;
    assert_int_equal(transport_usb_printer_port_status(NULL, &status), -EINVAL);
    assert_false(transport_usb_printer_bidirectional(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_parse),
        cmocka_unit_test(test_match_parse_and_format),
        cmocka_unit_test(test_pick_reader_endpoints),
        cmocka_unit_test(test_port_status_decode),
        cmocka_unit_test(test_device_address),
        cmocka_unit_test(test_config_addresses),
        cmocka_unit_test(test_no_device),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
