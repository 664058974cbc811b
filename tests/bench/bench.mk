# Bench programs (make bench-tools; tools/bench.sh builds and runs them). Not tests:
# they print figures, see docs/benchmarks.md.
BENCH_REDRAW := $(BUILD)/bench/bench_redraw

.PHONY: bench-tools
bench-tools: $(BENCH_REDRAW)

$(BENCH_REDRAW): $(BUILD)/obj/tests/bench/bench_redraw.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

-include $(BUILD)/obj/tests/bench/bench_redraw.d

# Catalogue search on 100,000 synthetic items, keystroke by keystroke, against SQLite FTS5
# (trigram) in the same run. Only this bench links SQLite for FTS5 (libsqlite3-dev: bench.sh
# installs it when missing).
BENCH_SEARCH := $(BUILD)/bench/bench_search

bench-tools: $(BENCH_SEARCH)

$(BENCH_SEARCH): $(BUILD)/obj/tests/bench/bench_search.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lsqlite3

-include $(BUILD)/obj/tests/bench/bench_search.d

# Guide receipt: render + encode (issue 5).
BENCH_RECEIPT := $(BUILD)/bench/bench_receipt

bench-tools: $(BENCH_RECEIPT)

$(BENCH_RECEIPT): $(BUILD)/obj/tests/bench/bench_receipt.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

-include $(BUILD)/obj/tests/bench/bench_receipt.d

# The certificate printer's licence page: draw + PCL encode, and the same page as a PDF for
# Ghostscript (tools/bench.sh section i). zlib (zlib1g-dev, pulled in by libpng-dev) for the
# PDF's Flate streams.
BENCH_PAGE := $(BUILD)/bench/bench_page

bench-tools: $(BENCH_PAGE)

$(BENCH_PAGE): $(BUILD)/obj/tests/bench/bench_page.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lz

-include $(BUILD)/obj/tests/bench/bench_page.d

# Certificate printer over IPP: PWG raster encode and read back of the sample licence (issue 6).
BENCH_PWG := $(BUILD)/bench/bench_pwg

bench-tools: $(BENCH_PWG)

$(BENCH_PWG): $(BUILD)/obj/tests/bench/bench_pwg.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

-include $(BUILD)/obj/tests/bench/bench_pwg.d

# The platform link against the emulator (tools/bench-sync.sh): full sync of 100,000 items,
# a 1 % delta, the longest UI-thread stall while the sync worker runs.
BENCH_SYNC := $(BUILD)/bench/bench_sync

bench-tools: $(BENCH_SYNC)

$(BENCH_SYNC): $(BUILD)/obj/tests/bench/bench_sync.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

-include $(BUILD)/obj/tests/bench/bench_sync.d

# Telemetry: noting a device change on the UI thread vs one outbox insert of a batch
# (why the sync worker writes them; docs/benchmarks.md). By hand: bench_telemetry DIR.
BENCH_TELEMETRY := $(BUILD)/bench/bench_telemetry

bench-tools: $(BENCH_TELEMETRY)

$(BENCH_TELEMETRY): $(BUILD)/obj/tests/bench/bench_telemetry.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

-include $(BUILD)/obj/tests/bench/bench_telemetry.d

# UI-thread lateness while a licence prints: a 60 Hz loop, the page made on the loop's
# thread (before) or handed as content to the certificate printer's worker (after).
BENCH_PRINT_UI := $(BUILD)/bench/bench_print_ui

bench-tools: $(BENCH_PRINT_UI)

$(BENCH_PRINT_UI): $(BUILD)/obj/tests/bench/bench_print_ui.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

-include $(BUILD)/obj/tests/bench/bench_print_ui.d

# Chinese text entry: pinyin keystroke → candidates drawn, rime's memory, handwriting stroke →
# candidates and accuracy on hanzi-writer-data (tools/bench.sh section k fetches it with npm).
BENCH_INPUT := $(BUILD)/bench/bench_input

bench-tools: $(BENCH_INPUT)

$(BENCH_INPUT): $(BUILD)/obj/tests/bench/bench_input.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

-include $(BUILD)/obj/tests/bench/bench_input.d
