# UI tests: the screenshot comparer (tests/ui/ui-test.sh plays the scripts).
PNG_COMPARE := $(BUILD)/tests/png_compare

$(PNG_COMPARE): tests/ui/png_compare.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

.PHONY: ui-tools
ui-tools: $(PNG_COMPARE)
