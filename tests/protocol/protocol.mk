# Protocol tests (tests/protocol/protocol-test.sh): model_selftest speaks raw GA 467 frames to the
# reader model (board/sim/idcard_model) through its pty, linked against the firmware library
# that holds the model.
# escpos_selftest speaks raw ESC/POS to the receipt printer model (board/sim/escpos_model)
# and reads its PNGs back.
# json_fields checks kioskctl read-card's JSON output field by field.
#   make protocol-tools          build model_selftest, escpos_selftest, json_fields,
#                                $(BUILD)/idcard_sim and $(BUILD)/escpos_sim
MODEL_SELFTEST := $(BUILD)/tests/model_selftest
JSON_FIELDS    := $(BUILD)/tests/json_fields
ESCPOS_SELFTEST := $(BUILD)/tests/escpos_selftest

$(MODEL_SELFTEST): tests/protocol/model_selftest.c $(LIB)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(ESCPOS_SELFTEST): tests/protocol/escpos_selftest.c $(LIB)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(JSON_FIELDS): tests/protocol/json_fields.c
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

.PHONY: protocol-tools
protocol-tools: $(MODEL_SELFTEST) $(ESCPOS_SELFTEST) $(JSON_FIELDS) $(IDCARD_SIM) $(ESCPOS_SIM)

-include $(MODEL_SELFTEST).d $(ESCPOS_SELFTEST).d $(JSON_FIELDS).d
