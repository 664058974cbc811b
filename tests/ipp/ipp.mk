# The IPP tests' reader of spooled PWG raster (tests/ipp/test-ipp.sh builds it: make ipp-tools).
PWG_CHECK := $(BUILD)/tests/pwg_check

.PHONY: ipp-tools
ipp-tools: $(PWG_CHECK)

$(PWG_CHECK): $(BUILD)/obj/tests/ipp/pwg_check.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

-include $(BUILD)/obj/tests/ipp/pwg_check.d
