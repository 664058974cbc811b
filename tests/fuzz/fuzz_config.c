/* config_load_string on arbitrary bytes: unit INI files are edited by hand on site. A load
 * either succeeds with every field in range or fails with one "NAME:LINE: reason". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/storage/config.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct config config;
    config_set_defaults(&config);
    char err[512] = "";
    if (config_load_string(&config, "fuzz.ini", text, err, sizeof err) == 0) {
        int short_side = config.display_width < config.display_height ? config.display_width
                                                                       : config.display_height;
        FUZZ_CHECK(short_side >= 480);
        FUZZ_CHECK(config.display_width <= 7680 && config.display_height <= 7680);
        FUZZ_CHECK(!strcmp(config.language, "zh_CN") || !strcmp(config.language, "en"));
        FUZZ_CHECK(config.inactivity_seconds >= 5 && config.inactivity_seconds <= 3600);
        FUZZ_CHECK(config.countdown_seconds >= 3 && config.countdown_seconds <= 300);
        FUZZ_CHECK(config.window_scale >= 0 && config.window_scale <= 4);
        size_t pin = strlen(config.technician_pin);
        FUZZ_CHECK(pin >= 4 && pin <= 12 && strspn(config.technician_pin, "0123456789") == pin);
        FUZZ_CHECK(memchr(config.unit_location, '\0', sizeof config.unit_location));
        FUZZ_CHECK(memchr(config.font_regular, '\0', sizeof config.font_regular));
        FUZZ_CHECK(memchr(config.data_dir, '\0', sizeof config.data_dir));
    } else {
        FUZZ_CHECK(!strncmp(err, "fuzz.ini:", 9));
        FUZZ_CHECK(strlen(err) > 10);
    }
    free(text);
    return 0;
}
