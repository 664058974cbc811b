# Tools built beside the kiosk (make builds them into $(BUILD)/):
#   catalogue_gen [N] [--seed S] > file.json   a valid synthetic catalogue of N items
#                                               (docs/catalogue-format.md, "Size")
#   catalogue_bench FILE DB                     load and store times of a catalogue
#   make catalogue-bench                        the latter on 100,000 generated items (not a test)
#   idcard_sim [--card F] [--fault N] ...       the simulated ID card reader behind a pty
#                                               (board/sim/README.md); prints the port path
#   escpos_sim --out DIR [--fault N [ROWS]] ... the simulated receipt printer behind a pty;
#                                               prints the port path, cuts PNGs into DIR
#   pcl_sim --out DIR [--fault N [ROWS]] ...    the simulated PCL laser behind a pty;
#                                               prints the port path, pages as PNGs into DIR
CATALOGUE_GEN   := $(BUILD)/catalogue_gen
CATALOGUE_BENCH := $(BUILD)/catalogue_bench
CATALOGUE_BENCH_ITEMS ?= 100000
IDCARD_SIM      := $(BUILD)/idcard_sim
ESCPOS_SIM      := $(BUILD)/escpos_sim
PCL_SIM         := $(BUILD)/pcl_sim

all: $(CATALOGUE_GEN) $(CATALOGUE_BENCH) $(IDCARD_SIM) $(ESCPOS_SIM)

$(IDCARD_SIM): $(BUILD)/obj/tools/idcard_sim.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(ESCPOS_SIM): $(BUILD)/obj/tools/escpos_sim.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

all: $(PCL_SIM)
$(PCL_SIM): $(BUILD)/obj/tools/pcl_sim.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
-include $(BUILD)/obj/tools/pcl_sim.d

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

-include $(BUILD)/obj/tools/catalogue_gen.d $(BUILD)/obj/tools/catalogue_bench.d $(BUILD)/obj/tools/idcard_sim.d \
    $(BUILD)/obj/tools/escpos_sim.d
# The protocol tests' own client of the reader model (tests/protocol/protocol-test.sh builds it).
-include tests/protocol/protocol.mk
-include tests/ipp/ipp.mk

# The platform link's test driver (tests/platform/test-platform-client.sh): fills the outbox and checks
# the stored catalogue with the kiosk's own modules; the crash tests kill it.
PLATFORM_DRIVER := $(BUILD)/platform_driver
all: $(PLATFORM_DRIVER)
$(PLATFORM_DRIVER): $(BUILD)/obj/tools/platform_driver.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
-include $(BUILD)/obj/tools/platform_driver.d

# make soak: the platform link's kill -9 tests with more points (KILL_POINTS, default 300
# each for catalogue apply and outbox delivery; about 4 minutes).
.PHONY: soak
soak: all
	KILL_POINTS=$${KILL_POINTS:-300} bash tests/platform/test-platform-client.sh $(BUILD)
