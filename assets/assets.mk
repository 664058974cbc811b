# Tables generated at build time (included at the end of the Makefile, after LIB_OBJ).
#
# The pinyin table: tools/pinyin_gen reads Unicode's Unihan readings as Debian ships them
# (package unicode-data, bz2-compressed; bzcat from package bzip2) and writes
# $(BUILD)/gen/pinyin_table.h, which only firmware/catalogue/pinyin.c includes. The generator is a
# host tool: built with HOST_CC and its own flags (no sanitizers, no cross compiler).
HOST_CC         ?= cc
UNIHAN_READINGS ?= /usr/share/unicode/Unihan_Readings.txt.bz2
GEN_DIR         := $(BUILD)/gen
PINYIN_GEN      := $(GEN_DIR)/pinyin_gen
PINYIN_TABLE    := $(GEN_DIR)/pinyin_table.h

CFLAGS += -I$(GEN_DIR)

$(PINYIN_GEN): tools/pinyin_gen.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(HOST_CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o $@ $<

# Written to a temporary name first: an interrupted or failed run leaves no half table
# that make would take as up to date.
$(PINYIN_TABLE): $(PINYIN_GEN) $(UNIHAN_READINGS)
	@echo "  GEN     $@"
	@bzcat $(UNIHAN_READINGS) | $(PINYIN_GEN) >$@.tmp && mv $@.tmp $@ || { rm -f $@.tmp; exit 1; }

$(UNIHAN_READINGS):
	@echo "missing $@: install the Debian package unicode-data (make deps)" >&2; exit 1

# Every object that includes the table, directly or through a fuzz target's sources.
$(BUILD)/obj/firmware/catalogue/pinyin.o: $(PINYIN_TABLE)

.PHONY: gen
gen: $(PINYIN_TABLE)
