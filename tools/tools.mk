# Tools built beside the kiosk (make builds them into $(BUILD)/):
#   catalogue_gen [N] [--seed S] > file.json   a valid synthetic catalogue of N items
#                                               (docs/catalogue-format.md, "Size")
#   catalogue_bench FILE DB                     load and store times of a catalogue
#   make catalogue-bench                        the latter on 100,000 generated items (not a test)
CATALOGUE_GEN   := $(BUILD)/catalogue_gen
CATALOGUE_BENCH := $(BUILD)/catalogue_bench
CATALOGUE_BENCH_ITEMS ?= 100000

all: $(CATALOGUE_GEN) $(CATALOGUE_BENCH)

$(CATALOGUE_GEN): $(BUILD)/obj/tools/catalogue_gen.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(CATALOGUE_BENCH): $(BUILD)/obj/tools/catalogue_bench.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# test_catalogue runs the generator (found beside it: ../catalogue_gen).
$(BUILD)/tests/test_catalogue: $(CATALOGUE_GEN)

.PHONY: catalogue-bench
catalogue-bench: $(CATALOGUE_GEN) $(CATALOGUE_BENCH)
	$(CATALOGUE_GEN) $(CATALOGUE_BENCH_ITEMS) > $(BUILD)/catalogue-$(CATALOGUE_BENCH_ITEMS).json
	$(CATALOGUE_BENCH) $(BUILD)/catalogue-$(CATALOGUE_BENCH_ITEMS).json $(BUILD)/catalogue-bench.db

-include $(BUILD)/obj/tools/catalogue_gen.d $(BUILD)/obj/tools/catalogue_bench.d
