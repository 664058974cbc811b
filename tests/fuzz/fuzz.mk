# Short libFuzzer runs of every parser of outside bytes (design section 7).
#   make fuzz                    build and run each target for FUZZ_SECONDS (default 20)
#   make fuzz-script             one target; also fuzz-config, fuzz-linebreak, fuzz-catalogue, fuzz-search_query,
#                                fuzz-idcard_frame, fuzz-idcard_record, fuzz-escpos_status,
#                                fuzz-escpos_device_id, fuzz-platform_json, fuzz-pcl_decode,
#                                fuzz-platform_scan
#   make fuzz-build              build only
# Built with clang straight from the few sources each target needs (no SDL, no libkiosk),
# into $(BUILD)/fuzz/. Seeds: tests/fuzz/corpus/<target>/ (read only); what the fuzzer
# learns goes to $(BUILD)/fuzz/corpus/<target>/ and is reused by the next run.
# Each run prints "ok fuzz:NAME - ..." or "not ok fuzz:NAME - ..." and fails on a crash,
# a broken invariant, a leak or a hang; the input that did it is kept in
# $(BUILD)/fuzz/artifacts/<target>/ (replay: $(BUILD)/fuzz/fuzz_NAME FILE).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 20
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_TARGETS := script config linebreak catalogue search_query idcard_frame idcard_record \
                escpos_status escpos_device_id platform_json pcl_decode
FUZZ_TARGETS += platform_scan
# The certificate printer's IPP responses and PWG raster (drivers/certprinter/certprinter_ipp.c, issue 6).
FUZZ_TARGETS += certprinter_ipp
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
FUZZ_RUNS    := $(FUZZ_TARGETS:%=fuzz-%)
FUZZ_CFLAGS  := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g -O1 -MMD -MP \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
                -I. -Itests/fuzz

# Each target lists exactly the sources it runs; none needs SDL.
FUZZ_SCRIPT_SRC    := tests/fuzz/fuzz_script.c firmware/app/script.c firmware/core/textfile.c firmware/core/msg.c firmware/gfx/linebreak.c firmware/gfx/ui.c
FUZZ_CONFIG_SRC    := tests/fuzz/fuzz_config.c firmware/storage/config.c firmware/core/msg.c drivers/transport/device_address.c drivers/transport/usb_match.c drivers/escpos/escpos_profile.c
FUZZ_LINEBREAK_SRC := tests/fuzz/fuzz_linebreak.c firmware/gfx/linebreak.c
# catalogue.c holds the store too, hence db.c and SQLite (the fuzzer never calls them).
FUZZ_CATALOGUE_SRC := tests/fuzz/fuzz_catalogue.c firmware/catalogue/catalogue.c firmware/core/textfile.c firmware/storage/db.c
FUZZ_SEARCH_QUERY_SRC := tests/fuzz/fuzz_search_query.c firmware/catalogue/search.c firmware/catalogue/pinyin.c firmware/gfx/linebreak.c
# The ID card reader's parsers of what comes off the wire (issue 4).
FUZZ_IDCARD_FRAME_SRC  := tests/fuzz/fuzz_idcard_frame.c drivers/idcard/idcard_frame.c
FUZZ_IDCARD_RECORD_SRC := tests/fuzz/fuzz_idcard_record.c drivers/idcard/idcard_record.c firmware/core/json_out.c
# The receipt printer's parsers of what it answers (issue 5).
FUZZ_ESCPOS_STATUS_SRC    := tests/fuzz/fuzz_escpos_status.c drivers/escpos/escpos_status.c
FUZZ_ESCPOS_DEVICE_ID_SRC := tests/fuzz/fuzz_escpos_device_id.c drivers/escpos/escpos_profile.c

# The platform's answers and catalogue deltas (issue 7).
FUZZ_PLATFORM_JSON_SRC := tests/fuzz/fuzz_platform_json.c firmware/platform/platform_json.c firmware/catalogue/catalogue.c \
                          firmware/core/textfile.c firmware/storage/db.c firmware/platform/trust.c
# The certificate printer model's PCL decoder and the driver's PackBits (issue 6).
FUZZ_PCL_DECODE_SRC := tests/fuzz/fuzz_pcl_decode.c board/sim/pcl_decode.c drivers/certprinter/pcl.c

FUZZ_LINK = @mkdir -p $(dir $@) && echo "  FUZZ    $@" && $(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^)

$(FUZZ_DIR)/fuzz_script: $(FUZZ_SCRIPT_SRC)
	$(FUZZ_LINK)
$(FUZZ_DIR)/fuzz_config: $(FUZZ_CONFIG_SRC)
	$(FUZZ_LINK) -linih
$(FUZZ_DIR)/fuzz_linebreak: $(FUZZ_LINEBREAK_SRC)
	$(FUZZ_LINK)
$(FUZZ_DIR)/fuzz_idcard_frame: $(FUZZ_IDCARD_FRAME_SRC)
	$(FUZZ_LINK)
$(FUZZ_DIR)/fuzz_idcard_record: $(FUZZ_IDCARD_RECORD_SRC)
	$(FUZZ_LINK)
$(FUZZ_DIR)/fuzz_escpos_status: $(FUZZ_ESCPOS_STATUS_SRC)
	$(FUZZ_LINK)
$(FUZZ_DIR)/fuzz_escpos_device_id: $(FUZZ_ESCPOS_DEVICE_ID_SRC)
	$(FUZZ_LINK)
$(FUZZ_DIR)/fuzz_pcl_decode: $(FUZZ_PCL_DECODE_SRC)
	$(FUZZ_LINK) -Iboard/sim
$(FUZZ_DIR)/fuzz_catalogue: $(FUZZ_CATALOGUE_SRC)
	$(FUZZ_LINK) -lcjson -lsqlite3
$(FUZZ_DIR)/fuzz_platform_json: $(FUZZ_PLATFORM_JSON_SRC)
	$(FUZZ_LINK) -lcjson -lsqlite3 -lmbedtls -lmbedx509 -lmbedcrypto
# pinyin.c includes the table generated at build time (assets/assets.mk, included later:
# hence its path spelled out here).
$(FUZZ_DIR)/fuzz_search_query: $(FUZZ_SEARCH_QUERY_SRC) $(BUILD)/gen/pinyin_table.h
	$(FUZZ_LINK) -I$(BUILD)/gen

.PHONY: fuzz fuzz-build $(FUZZ_RUNS)
fuzz-build: $(FUZZ_BIN)
fuzz: $(FUZZ_RUNS)

# -timeout: one input taking seconds is a hang, which is a failure like a crash.
# The log is printed only when the run fails, so CI shows why.
$(FUZZ_RUNS): fuzz-%: $(FUZZ_DIR)/fuzz_%
	@mkdir -p $(FUZZ_DIR)/corpus/$* $(FUZZ_DIR)/artifacts/$*
	@if $< -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
	        -artifact_prefix=$(FUZZ_DIR)/artifacts/$*/ $(FUZZ_DIR)/corpus/$* tests/fuzz/corpus/$* \
	        >$(FUZZ_DIR)/$*.log 2>&1; then \
	    echo "ok fuzz:$* - $$(sed -n 's/^stat::number_of_executed_units: *//p' $(FUZZ_DIR)/$*.log) inputs in $(FUZZ_SECONDS) s"; \
	else \
	    tail -n 60 $(FUZZ_DIR)/$*.log; \
	    echo "not ok fuzz:$* - failed; input kept in $(FUZZ_DIR)/artifacts/$*/, log $(FUZZ_DIR)/$*.log"; \
	    exit 1; \
	fi

# The platform emulator's document scan and Range parser (tests/platform, a test server).
$(FUZZ_DIR)/fuzz_platform_scan: tests/fuzz/fuzz_platform_scan.c tests/platform/emu_scan.c
	$(FUZZ_LINK) -Itests/platform

# The certificate printer: IPP responses and PWG raster through libcups, and what we take out.
$(FUZZ_DIR)/fuzz_certprinter_ipp: tests/fuzz/fuzz_certprinter_ipp.c drivers/certprinter/certprinter_ipp.c firmware/core/log.c
	$(FUZZ_LINK) -lcups

-include $(FUZZ_BIN:=.d)
