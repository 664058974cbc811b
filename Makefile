# Kiosk firmware: the one entry point.
#   make            build build/$(BOARD)/kiosk and kioskctl
#   make run        run the kiosk (SDL window with a display, headless demo without)
#   make check      every test; ends with one line "N passed, N failed"
#   make bench      measure and print (not a test); see docs/benchmarks.md
#   make goldens    re-bless the UI screenshot goldens after a deliberate change
#   make deps       install the Debian packages of debian-packages.txt
BOARD   ?= sim
VARIANT ?=
BUILD   := build/$(BOARD)$(if $(VARIANT),-$(VARIANT))
CC      ?= gcc

PKGS    := sdl2 SDL2_ttf SDL2_image inih libcjson sqlite3 libusb-1.0 libcurl libpng rime zinnia
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g -O2 -MMD -MP \
               -I.
ifeq ($(VARIANT),asan)
CFLAGS_BASE += -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDFLAGS_SAN := -fsanitize=address,undefined
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  += $(CFLAGS_BASE) $(PKG_CFLAGS)
# zint, libcups and mbedTLS 2.28 ship no pkg-config files on Debian 12.
LDLIBS  += $(PKG_LIBS) -lzint -lcups -lmbedtls -lmbedx509 -lmbedcrypto -lpthread -lm
LDFLAGS += $(LDFLAGS_SAN)

include board/$(BOARD)/board.mk

MAINS    := firmware/app/main.c firmware/app/kioskctl.c
LIB_SRC  := $(filter-out $(MAINS),$(wildcard firmware/*/*.c drivers/*/*.c screens/*.c screens/widgets/*.c)) $(BOARD_SRC)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
LIB      := $(BUILD)/libkiosk.a
KIOSK    := $(BUILD)/kiosk
KIOSKCTL := $(BUILD)/kioskctl
MO       := $(BUILD)/locale/zh_CN/LC_MESSAGES/kiosk.mo

.PHONY: all deps run check bench goldens clean
all: $(KIOSK) $(KIOSKCTL) $(MO)

deps:
	@tools/deps.sh debian-packages.txt

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(KIOSK): $(BUILD)/obj/firmware/app/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(KIOSKCTL): $(BUILD)/obj/firmware/app/kioskctl.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(MO): assets/po/zh_CN.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

run: deps
	@$(MAKE) --no-print-directory all
	@tools/run.sh $(BUILD)

check: deps
	@tests/check.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@tools/bench.sh $(BUILD)

goldens: deps
	@$(MAKE) --no-print-directory all
	@tests/ui/ui-test.sh $(BUILD) --bless

clean:
	rm -rf build

# Test, fuzz and bench build rules live beside their sources.
-include tests/unit/unit.mk tests/fuzz/fuzz.mk tests/bench/bench.mk tests/ui/ui.mk tools/tools.mk
# The platform emulator (tests/platform), a test server beside the kiosk.
-include tests/platform/platform.mk
-include tests/usb/usb.mk
# Tables generated at build time (the pinyin table from Unihan) and catalogue tools.
-include assets/assets.mk

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/firmware/app/main.d $(BUILD)/obj/firmware/app/kioskctl.d
