# Bench programs (make bench-tools; tools/bench.sh builds and runs them). Not tests:
# they print figures, see docs/benchmarks.md.
BENCH_REDRAW := $(BUILD)/bench/bench_redraw

.PHONY: bench-tools
bench-tools: $(BENCH_REDRAW)

$(BENCH_REDRAW): $(BUILD)/obj/tests/bench/bench_redraw.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

-include $(BUILD)/obj/tests/bench/bench_redraw.d
