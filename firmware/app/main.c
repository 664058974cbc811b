/* kiosk: the firmware. With no arguments it runs the board's default config until stopped
 * (a window when there is a display, headless otherwise). */
#include <stdio.h>
#include <string.h>

#include "firmware/app/app.h"
#include "firmware/core/log.h"
#include "firmware/app/script.h"
#include "firmware/app/script_run.h"

static void main_usage(FILE *to)
{
    fprintf(to,
            "usage: kiosk [--config FILE] [--headless] [--verbose]\n"
            "       kiosk --script FILE --out DIR [--config FILE]\n"
            "       kiosk --bench-first-frame [--config FILE]\n"
            "  --config FILE   board/unit INI file (default: the board's own)\n"
            "  --headless      never open a window\n"
            "  --verbose       log screen changes and other detail\n"
            "  --data-dir DIR  the unit's database folder (default: [storage] data_dir)\n"
            "  --platform-url URL  the platform's gateway (default: [platform] url)\n"
            "  --script FILE   play a scripted session headless on a fake clock; exit 0 if it passes\n"
            "  --out DIR       where the script's screenshots go\n");
}

int main(int argc, char **argv)
{
    struct app_options options = { 0 };
    const char *script_path = NULL, *out_dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc) {
            options.config_path = argv[++i];
        } else if (!strcmp(argv[i], "--script") && i + 1 < argc) {
            script_path = argv[++i];
        } else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
            out_dir = argv[++i];
        } else if (!strcmp(argv[i], "--data-dir") && i + 1 < argc) {
            options.data_dir = argv[++i];
        } else if (!strcmp(argv[i], "--platform-url") && i + 1 < argc) {
            options.platform_url = argv[++i];
        } else if (!strcmp(argv[i], "--verbose")) {
            log_set_level(LOG_DEBUG);
        } else if (!strcmp(argv[i], "--headless")) {
            options.headless = true;
        } else if (!strcmp(argv[i], "--bench-first-frame")) {
            options.headless = true;
            options.bench_report = "stdout";
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            main_usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "kiosk: unknown argument '%s'\n", argv[i]);
            main_usage(stderr);
            return 2;
        }
    }
    struct script script = { 0 };
    if (script_path) {
        char err[512];
        if (!out_dir) {
            fprintf(stderr, "kiosk: --script needs --out DIR for its screenshots\n");
            return 2;
        }
        /* Parse first: a broken script is rejected before the kiosk starts. */
        if (script_load(script_path, &script, err, sizeof err) < 0) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        options.headless = true;
        options.fake_clock = true;
    }
    if (app_start(&options) < 0) {
        script_free(&script);
        return 1;
    }
    int status;
    if (script_path) {
        status = script_run(&script, out_dir) < 0 ? 1 : 0;
        script_free(&script);
    } else {
        status = app_run();
    }
    app_stop();
    return status;
}
