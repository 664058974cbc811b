# Protocol tests (tools/protocol-test.sh): model_selftest speaks raw GA 467 frames to the
# reader model (board/sim/idcard_model) through its pty, linked against the firmware library
# that holds the model.
# json_fields checks kioskctl read-card's JSON output field by field.
#   make protocol-tools          build model_selftest, json_fields and $(BUILD)/idcard_sim
MODEL_SELFTEST := $(BUILD)/tests/model_selftest
JSON_FIELDS    := $(BUILD)/tests/json_fields

$(MODEL_SELFTEST): tests/protocol/model_selftest.c $(LIB)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(JSON_FIELDS): tests/protocol/json_fields.c
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

.PHONY: protocol-tools
protocol-tools: $(MODEL_SELFTEST) $(JSON_FIELDS) $(IDCARD_SIM)

-include $(MODEL_SELFTEST).d $(JSON_FIELDS).d
