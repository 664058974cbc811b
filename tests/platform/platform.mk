# The platform emulator (tests/platform/README.md): a test server, not firmware, so it is
# built from its own sources only, against libmicrohttpd, GnuTLS, SQLite and cJSON.
#   make platform-emu            build $(BUILD)/platform_emu and the test keys
#   $(BUILD)/platform/keys/      made by tools/platform-keys.sh (never committed)
# `make all` builds both, so `make run` can start the emulator beside the sim kiosk.
PLATFORM_EMU      := $(BUILD)/platform_emu
PLATFORM_KEYS     := $(BUILD)/platform/keys/signing.pub.pem
PLATFORM_EMU_SRC  := tests/platform/emu_main.c tests/platform/emu_api.c tests/platform/emu_catalogue.c \
                     tests/platform/emu_crypto.c tests/platform/emu_db.c tests/platform/emu_scan.c
PLATFORM_EMU_OBJ  := $(PLATFORM_EMU_SRC:%.c=$(BUILD)/obj/%.o)
PLATFORM_EMU_LIBS  = $(shell pkg-config --libs libmicrohttpd gnutls sqlite3 libcjson 2>/dev/null) -lpthread

PLATFORM_JSON_GET := $(BUILD)/tests/json_get

all: $(PLATFORM_EMU) $(PLATFORM_KEYS) $(PLATFORM_JSON_GET)

# json_get reads the emulator's JSON answers in tests/platform/test-platform-emu.sh.
$(PLATFORM_JSON_GET): tests/platform/json_get.c
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(shell pkg-config --libs libcjson 2>/dev/null)

$(PLATFORM_EMU): $(PLATFORM_EMU_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(PLATFORM_EMU_LIBS)

$(BUILD)/obj/tests/platform/%.o: CFLAGS += $(shell pkg-config --cflags libmicrohttpd gnutls 2>/dev/null)

$(PLATFORM_KEYS): tools/platform-keys.sh
	@tools/platform-keys.sh $(BUILD)/platform/keys
	@touch $@

.PHONY: platform-emu
platform-emu: $(PLATFORM_EMU) $(PLATFORM_KEYS) $(PLATFORM_JSON_GET)

-include $(PLATFORM_EMU_OBJ:.o=.d) $(PLATFORM_JSON_GET).d
