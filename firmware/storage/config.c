#include "firmware/storage/config.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/transport/device_address.h"
#include "drivers/escpos/escpos_profile.h"
#include "firmware/core/msg.h"

struct config_parse {
    struct config *config;
    char reason[200];       /* why the current entry failed */
    char first_reason[200]; /* ini_parse reports the first bad line, so keep its reason */
    int first_line;         /* ...and its number: inih also fails lines without calling us */
    /* The source, read line by line for inih (config_read_line). */
    FILE *file;
    const char *text;
    int line;               /* lines handed to inih so far, which is inih's line number */
    bool line_too_long;     /* the current line did not fit inih's buffer */
    int first_long_line;
    int max_line;
};

void config_set_defaults(struct config *config)
{
    memset(config, 0, sizeof *config);
    snprintf(config->unit_id, sizeof config->unit_id, "LY-SIM-0001");
    snprintf(config->unit_location, sizeof config->unit_location, "%s",
             "临沂市政务服务中心 24小时自助服务区");
    snprintf(config->service_phone, sizeof config->service_phone, "0539-12345");
    config->utc_offset_minutes = 8 * 60;
    config->display_width = 1080;
    config->display_height = 1920;
    config->inactivity_seconds = 60;
    config->countdown_seconds = 20;
    snprintf(config->language, sizeof config->language, "zh_CN");
    snprintf(config->font_regular, sizeof config->font_regular,
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    snprintf(config->font_bold, sizeof config->font_bold,
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc");
    config->font_face_index = 2;
    snprintf(config->data_dir, sizeof config->data_dir, "/var/lib/kiosk");
    snprintf(config->catalogue_seed, sizeof config->catalogue_seed, "assets/catalogue/seed.json");
    snprintf(config->pinyin_shared_dir, sizeof config->pinyin_shared_dir, "/usr/share/rime-data");
    snprintf(config->pinyin_config_dir, sizeof config->pinyin_config_dir, "assets/rime");
    snprintf(config->handwriting_model, sizeof config->handwriting_model,
             "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model");
    snprintf(config->technician_pin, sizeof config->technician_pin, "2468");
    for (int d = 0; d < DEVICE_COUNT; d++)
        snprintf(config->device_address[d], sizeof config->device_address[d], "sim");
    config->idcard_poll_ms = 500;
    config->idcard_baud = 115200;
    config->platform_catalogue_check_s = 3600;
    config->platform_outbox_poll_s = 30;
    config->platform_heartbeat_s = 300;
    config->platform_retry_base_ms = 1000;
    config->platform_retry_max_s = 300;
    config->platform_connect_timeout_ms = 10000;
    config->platform_low_speed_s = 30;
    config->platform_telemetry_batch_max = 20;
    config->platform_telemetry_flush_s = 10;
    snprintf(config->receipt_profile, sizeof config->receipt_profile, "generic-80mm");
    config->receipt_poll_ms = 5000;
    config->cert_poll_ms = 5000;
    snprintf(config->print_paper, sizeof config->print_paper, "A4");
}

static bool config_parse_int(const char *value, int min, int max, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno || end == value || *end != '\0' || v < min || v > max)
        return false;
    *out = (int)v;
    return true;
}

static bool config_parse_bool(const char *value, bool *out)
{
    if (!strcmp(value, "true") || !strcmp(value, "yes") || !strcmp(value, "1")) {
        *out = true;
        return true;
    }
    if (!strcmp(value, "false") || !strcmp(value, "no") || !strcmp(value, "0")) {
        *out = false;
        return true;
    }
    return false;
}

static bool config_copy_text(char *dst, size_t size, const char *value)
{
    size_t n = strlen(value);
    if (n >= size)
        return false;
    memcpy(dst, value, n + 1);
    return true;
}

/* "a, b,c" -> required[] flags; unknown names are an error. */
static bool config_parse_required(struct config_parse *parse, const char *value)
{
    char list[CONFIG_TEXT_MAX];
    if (!config_copy_text(list, sizeof list, value)) {
        snprintf(parse->reason, sizeof parse->reason, "list too long");
        return false;
    }
    memset(parse->config->required, 0, sizeof parse->config->required);
    char *save = NULL;
    for (char *tok = strtok_r(list, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
        int device = msg_device_from_name(tok);
        if (device < 0) {
            snprintf(parse->reason, sizeof parse->reason,
                     "unknown device '%.40s' (" MSG_DEVICE_NAMES_HINT ")", tok);
            return false;
        }
        parse->config->required[device] = true;
    }
    return true;
}

#define KEY(s, n) (!strcmp(section, s) && !strcmp(name, n))
#define TEXT_FIELD(s, n, field)                                                       \
    if (KEY(s, n)) {                                                                  \
        if (config_copy_text(c->field, sizeof c->field, value))                       \
            return 1;                                                                 \
        snprintf(parse->reason, sizeof parse->reason, "value of %s is too long (max %zu bytes)", \
                 n, sizeof c->field - 1);                                             \
        return 0;                                                                     \
    }
#define INT_FIELD(s, n, field, min, max)                                              \
    if (KEY(s, n)) {                                                                  \
        if (config_parse_int(value, min, max, &c->field))                             \
            return 1;                                                                 \
        snprintf(parse->reason, sizeof parse->reason, "%s must be a whole number from %d to %d", \
                 n, min, max);                                                        \
        return 0;                                                                     \
    }
#define BOOL_FIELD(s, n, field)                                                       \
    if (KEY(s, n)) {                                                                  \
        if (config_parse_bool(value, &c->field))                                      \
            return 1;                                                                 \
        snprintf(parse->reason, sizeof parse->reason, "%s must be true or false", n); \
        return 0;                                                                     \
    }

static int config_handle_entry_checked(void *user, const char *section, const char *name, const char *value)
{
    struct config_parse *parse = user;
    struct config *c = parse->config;
    if (!name) /* a section header alone */
        return 1;
    TEXT_FIELD("unit", "id", unit_id)
    TEXT_FIELD("unit", "location", unit_location)
    TEXT_FIELD("unit", "service_phone", service_phone)
    INT_FIELD("unit", "utc_offset_minutes", utc_offset_minutes, -720, 840)
    INT_FIELD("display", "width", display_width, 320, 7680)
    INT_FIELD("display", "height", display_height, 320, 7680)
    BOOL_FIELD("display", "headless", headless)
    if (KEY("display", "window_scale")) {
        char *end;
        double v = strtod(value, &end);
        if (end != value && *end == '\0' && v >= 0 && v <= 4) {
            c->window_scale = v;
            return 1;
        }
        snprintf(parse->reason, sizeof parse->reason,
                 "window_scale must be 0 (fit the desktop) or a factor up to 4");
        return 0;
    }
    INT_FIELD("session", "inactivity_seconds", inactivity_seconds, 5, 3600)
    INT_FIELD("session", "countdown_seconds", countdown_seconds, 3, 300)
    if (KEY("ui", "language")) {
        if (!strcmp(value, "zh_CN") || !strcmp(value, "en"))
            return config_copy_text(c->language, sizeof c->language, value);
        snprintf(parse->reason, sizeof parse->reason, "language must be zh_CN or en");
        return 0;
    }
    BOOL_FIELD("ui", "elder_mode", elder_mode)
    TEXT_FIELD("ui", "font_regular", font_regular)
    TEXT_FIELD("ui", "font_bold", font_bold)
    INT_FIELD("ui", "font_face_index", font_face_index, 0, 15)
    TEXT_FIELD("storage", "data_dir", data_dir)
    TEXT_FIELD("storage", "catalogue_seed", catalogue_seed)
    TEXT_FIELD("input", "pinyin_shared_dir", pinyin_shared_dir)
    TEXT_FIELD("input", "pinyin_config_dir", pinyin_config_dir)
    TEXT_FIELD("input", "handwriting_model", handwriting_model)
    INT_FIELD("devices", "idcard_poll_ms", idcard_poll_ms, 100, 5000)
    INT_FIELD("devices", "receipt_poll_ms", receipt_poll_ms, 500, 60000)
    INT_FIELD("devices", "cert_poll_ms", cert_poll_ms, 500, 60000)
    if (KEY("devices", "receipt_profile")) {
        if (!strcmp(value, "auto") || escpos_profile_find(value))
            return config_copy_text(c->receipt_profile, sizeof c->receipt_profile, value);
        int n = snprintf(parse->reason, sizeof parse->reason, "receipt_profile must be auto or one of:");
        for (size_t i = 0; escpos_profile_at(i) && n < (int)sizeof parse->reason; i++)
            n += snprintf(parse->reason + n, sizeof parse->reason - (size_t)n, " %s", escpos_profile_at(i)->name);
        return 0;
    }
    if (KEY("devices", "idcard_baud")) {
        static const int rates[] = { 115200, 57600, 38400, 19200, 9600 };
        int baud = 0;
        if (config_parse_int(value, 1, 1000000, &baud))
            for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++)
                if (baud == rates[i]) {
                    c->idcard_baud = baud;
                    return 1;
                }
        snprintf(parse->reason, sizeof parse->reason, "idcard_baud must be 115200, 57600, 38400, 19200 or 9600");
        return 0;
    }
    if (KEY("devices", "required"))
        return config_parse_required(parse, value);
    if (!strcmp(section, "devices") && msg_device_from_name(name) >= 0) {
        enum device_id device = (enum device_id)msg_device_from_name(name);
        struct device_address parsed;
        if (device_address_parse(device, value, &parsed, parse->reason, sizeof parse->reason) < 0)
            return 0;
        if (config_copy_text(c->device_address[device], CONFIG_TEXT_MAX, value))
            return 1;
        snprintf(parse->reason, sizeof parse->reason, "%s: address too long", name);
        return 0;
    }
    if (KEY("technician", "pin")) {
        size_t n = strlen(value);
        bool digits = n >= 4 && n <= 12;
        for (size_t i = 0; digits && i < n; i++)
            digits = value[i] >= '0' && value[i] <= '9';
        if (digits)
            return config_copy_text(c->technician_pin, sizeof c->technician_pin, value);
        snprintf(parse->reason, sizeof parse->reason, "pin must be 4 to 12 digits");
        return 0;
    }
    if (KEY("platform", "url")) {
        if (!value[0] || !strncmp(value, "https://", 8))
            return config_copy_text(c->platform_url, sizeof c->platform_url, value);
        snprintf(parse->reason, sizeof parse->reason, "url must start with https:// (the platform link is HTTPS only)");
        return 0;
    }
    TEXT_FIELD("platform", "ca_file", platform_ca_file)
    TEXT_FIELD("platform", "signing_key", platform_signing_key)
    TEXT_FIELD("platform", "cert_file", platform_cert_file)
    TEXT_FIELD("platform", "key_file", platform_key_file)
    TEXT_FIELD("platform", "device_key", platform_device_key)
    INT_FIELD("platform", "catalogue_check_s", platform_catalogue_check_s, 10, 86400)
    INT_FIELD("platform", "outbox_poll_s", platform_outbox_poll_s, 1, 3600)
    INT_FIELD("platform", "heartbeat_s", platform_heartbeat_s, 1, 86400)
    INT_FIELD("platform", "retry_base_ms", platform_retry_base_ms, 10, 60000)
    INT_FIELD("platform", "retry_max_s", platform_retry_max_s, 1, 86400)
    INT_FIELD("platform", "connect_timeout_ms", platform_connect_timeout_ms, 100, 120000)
    INT_FIELD("platform", "low_speed_s", platform_low_speed_s, 1, 600)
    INT_FIELD("platform", "telemetry_batch_max", platform_telemetry_batch_max, 1, 100)
    INT_FIELD("platform", "telemetry_flush_s", platform_telemetry_flush_s, 1, 3600)
    if (KEY("print", "paper")) {
        if (!strcmp(value, "A4") || !strcmp(value, "A5"))
            return config_copy_text(c->print_paper, sizeof c->print_paper, value);
        snprintf(parse->reason, sizeof parse->reason, "paper must be A4 or A5");
        return 0;
    }
    INT_FIELD("print", "offset_x", print_offset_x_decimm, -200, 200)
    INT_FIELD("print", "offset_y", print_offset_y_decimm, -200, 200)
    snprintf(parse->reason, sizeof parse->reason, "unknown key '%.40s' in section [%.40s]", name,
             section);
    return 0;
}

static int config_handle_entry(void *user, const char *section, const char *name, const char *value)
{
    struct config_parse *parse = user;
    parse->reason[0] = '\0';
    int ok;
    if (parse->line_too_long) {
        /* The value was cut at inih's buffer; never take the cut part for the real one. */
        snprintf(parse->reason, sizeof parse->reason, "line longer than %d bytes", parse->max_line);
        ok = 0;
    } else {
        ok = config_handle_entry_checked(user, section, name, value);
    }
    if (!ok && !parse->first_line) {
        snprintf(parse->first_reason, sizeof parse->first_reason, "%s", parse->reason);
        parse->first_line = parse->line;
    }
    return ok;
}

static int config_source_next_char(struct config_parse *parse)
{
    if (parse->file)
        return getc(parse->file);
    return *parse->text ? (unsigned char)*parse->text++ : EOF;
}

/* inih reads into a fixed buffer (200 bytes in Debian's build) and hands the rest of a
 * longer line back as a line of its own: the error then names the wrong line, or a cut
 * value is taken. So we feed inih whole lines, cut where they must be, and remember which
 * line was cut; one call is one line, which keeps our count equal to inih's. */
static char *config_read_line(char *str, int num, void *stream)
{
    struct config_parse *parse = stream;
    int c = config_source_next_char(parse);
    if (c == EOF)
        return NULL;
    int n = 0;
    parse->line++;
    parse->line_too_long = false;
    parse->max_line = num - 1;
    /* inih takes an indented line for the continuation of the previous value, so an
     * indented "service_phone = ..." would silently become the location. Indentation is
     * only layout to whoever edits the file: drop it. */
    while (c == ' ' || c == '\t')
        c = config_source_next_char(parse);
    for (; c != EOF && c != '\n'; c = config_source_next_char(parse)) {
        if (n < num - 1)
            str[n++] = (char)c;
        else
            parse->line_too_long = true;
    }
    str[n] = '\0';
    /* A long comment is harmless; any other long line fails, and the first is named. */
    if (parse->line_too_long && str[0] != ';' && str[0] != '#' && !parse->first_long_line)
        parse->first_long_line = parse->line;
    return str;
}

static int config_check_whole(const struct config *c, char *reason, size_t size)
{
    int short_side = c->display_width < c->display_height ? c->display_width : c->display_height;
    if (short_side < 480) {
        snprintf(reason, size, "display is too small: the short side must be at least 480 pixels");
        return -1;
    }
    return 0;
}

static int config_finish(struct config *config, const char *name, int rc, struct config_parse *parse,
                         char *err, size_t errlen)
{
    if (rc == -1) {
        snprintf(err, errlen, "%s: cannot open: %s", name, strerror(errno));
        return -1;
    }
    if (rc == -2) {
        snprintf(err, errlen, "%s: out of memory", name);
        return -1;
    }
    if (rc > 0) {
        /* inih names the first bad line; say why that line is bad, not a later one. */
        if (rc == parse->first_line)
            snprintf(err, errlen, "%s:%d: %s", name, rc, parse->first_reason);
        else if (rc == parse->first_long_line)
            snprintf(err, errlen, "%s:%d: line longer than %d bytes", name, rc, parse->max_line);
        else
            snprintf(err, errlen, "%s:%d: not a valid INI line (expected key = value or [section])", name, rc);
        return -1;
    }
    char reason[200];
    if (config_check_whole(config, reason, sizeof reason) < 0) {
        snprintf(err, errlen, "%s: %s", name, reason);
        return -1;
    }
    return 0;
}

int config_load(struct config *config, const char *path, char *err, size_t errlen)
{
    struct config_parse parse = { .config = config, .file = fopen(path, "r") };
    if (!parse.file)
        return config_finish(config, path, -1, &parse, err, errlen);
    int rc = ini_parse_stream(config_read_line, &parse, config_handle_entry, &parse);
    fclose(parse.file);
    return config_finish(config, path, rc, &parse, err, errlen);
}

int config_load_string(struct config *config, const char *name, const char *text, char *err,
                       size_t errlen)
{
    struct config_parse parse = { .config = config, .text = text };
    int rc = ini_parse_stream(config_read_line, &parse, config_handle_entry, &parse);
    return config_finish(config, name, rc, &parse, err, errlen);
}
