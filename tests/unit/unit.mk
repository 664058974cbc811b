# Unit tests: one cmocka executable per tests/unit/test_*.c, linked against the firmware
# library, so each test exercises exactly the objects the kiosk ships.
#   make unit                    build them into $(BUILD)/tests/
#   make unit VARIANT=asan       the same under ASan+UBSan (build/sim-asan/tests/)
# tests/check.sh runs them; each binary also runs alone (CMOCKA_MESSAGE_OUTPUT=TAP for TAP).
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_CFLAGS = $(shell pkg-config --cflags cmocka 2>/dev/null)
UNIT_LIBS   = $(shell pkg-config --libs cmocka 2>/dev/null)

.PHONY: unit
unit: $(UNIT_BIN)

# Compiled and linked in one step; -MMD writes $(BUILD)/tests/test_x.d beside the binary.
$(BUILD)/tests/test_%: tests/unit/test_%.c $(LIB)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(CFLAGS) $(UNIT_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(UNIT_LIBS) $(LDLIBS)

-include $(UNIT_BIN:=.d)
