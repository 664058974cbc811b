# The USB end-to-end test (make usb-e2e; tests/usb/usb-e2e.sh) and its programs (make usb-tools):
#   usb_gadget          device side in the qemu guest: the reader and printer models behind
#                       FunctionFS / usb_f_printer gadgets on dummy_hcd
#   usb_printer_check   host side: the printer through transport_usb_printer, one JSON line
#   usb_reader_watch    host side: idcard_worker on a usb: address, one line per message
USB_TOOLS := $(BUILD)/tests/usb_gadget $(BUILD)/tests/usb_printer_check $(BUILD)/tests/usb_reader_watch

.PHONY: usb-tools usb-e2e
usb-tools: $(USB_TOOLS)

# The end-to-end test alone (make check runs it too, from tests/usb/test-usb.sh).
usb-e2e: all usb-tools
	@tests/usb/usb-e2e.sh $(BUILD)

$(BUILD)/tests/usb_%: $(BUILD)/obj/tests/usb/usb_%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

-include $(USB_TOOLS:$(BUILD)/tests/%=$(BUILD)/obj/tests/usb/%.d)
