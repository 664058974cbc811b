/* Board and unit configuration from an INI file. Errors come back as "FILE:LINE: reason". */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "firmware/core/msg.h"

#define CONFIG_TEXT_MAX 256

struct config {
    /* [unit] */
    char unit_id[64];
    char unit_location[CONFIG_TEXT_MAX];  /* shown on home, e.g. 临沂市政务服务中心 24小时自助服务区 */
    char service_phone[32];
    int utc_offset_minutes;
    /* [display]: logical canvas in pixels; orientation follows width and height */
    int display_width, display_height;
    double window_scale;                  /* sim window: 0 = fit the desktop */
    bool headless;                        /* never open a window even with a display */
    /* [session] */
    int inactivity_seconds;               /* no touch this long: ask whether more time is needed */
    int countdown_seconds;                /* then end the session after this countdown */
    /* [ui] */
    char language[16];                    /* zh_CN or en */
    bool elder_mode;                      /* 长辈模式 at the start of each session */
    char font_regular[CONFIG_TEXT_MAX];
    char font_bold[CONFIG_TEXT_MAX];
    int font_face_index;                  /* Noto Sans CJK .ttc: 2 = Simplified Chinese */
    /* [storage] */
    char data_dir[CONFIG_TEXT_MAX];       /* the unit's database; relative paths from the board's root */
    /* [input]: Chinese text entry (firmware/input) */
    char pinyin_shared_dir[CONFIG_TEXT_MAX]; /* librime's shared data (rime-data-pinyin-simp) */
    char pinyin_config_dir[CONFIG_TEXT_MAX]; /* the kiosk's rime schema patches and dictionary */
    char handwriting_model[CONFIG_TEXT_MAX]; /* zinnia model (tegaki-zinnia-simplified-chinese) */
    char catalogue_seed[CONFIG_TEXT_MAX]; /* catalogue used until the platform delivers one */
    /* [devices]: which devices must work for the unit to serve residents */
    bool required[DEVICE_COUNT];          /* indexed by enum device_id */
    /* where each device is: a tty path, usb:VID:PID (reader: a comma list; receipt printer
     * also usb:class7), /dev/usb/lpN, an ipp:// URI, or "sim" for the simulator board's
     * device model; checked by drivers/device_address at load */
    char device_address[DEVICE_COUNT][CONFIG_TEXT_MAX];
    int idcard_baud;                      /* serial readers: 115200 (GA 467 default), 57600, 38400, 19200, 9600 */
    int idcard_poll_ms;                   /* how often the reader is asked for a card: GA 467 has no card-present signal */
    char receipt_profile[32];             /* escpos_profile name: generic-80mm, generic-58mm, epson-tm-t70ii ... */
    int receipt_poll_ms;                  /* how often an idle receipt printer is asked for its status */
    int cert_poll_ms;                     /* how often an idle certificate printer is asked for its state */
    /* [technician] */
    char technician_pin[16];
    /* [platform]: the link to the platform's kiosk gateway (docs/platform-api.md). Relative
     * paths start at the board's root; "" for a file under the data dir means its default
     * name there (platform/ca.pem, platform/unit.key, platform/unit.crt, device.key). */
    char platform_url[CONFIG_TEXT_MAX];         /* https://...; "" = no platform link */
    char platform_ca_file[CONFIG_TEXT_MAX];     /* the only CA trusted for the gateway */
    char platform_signing_key[CONFIG_TEXT_MAX]; /* PEM public key that signs manifests and licences */
    char platform_cert_file[CONFIG_TEXT_MAX];   /* the unit's client certificate (enrollment writes it) */
    char platform_key_file[CONFIG_TEXT_MAX];    /* the unit's private key (enrollment makes it, 0600) */
    char platform_device_key[CONFIG_TEXT_MAX];  /* AES key sealing personal fields at rest (0600) */
    int platform_catalogue_check_s;             /* how often the manifest is fetched */
    int platform_outbox_poll_s;                 /* how often the outbox is looked at when idle */
    int platform_heartbeat_s;                   /* how often the unit reports in (and learns of a new catalogue) */
    int platform_retry_base_ms;                 /* first retry delay; doubles per attempt, with jitter */
    int platform_retry_max_s;                   /* the longest retry delay */
    int platform_connect_timeout_ms;            /* TCP + TLS connect */
    int platform_low_speed_s;                   /* a transfer below 1 KB/s this long is cut */
    int platform_telemetry_batch_max;           /* device events per telemetry record (1..100) */
    int platform_telemetry_flush_s;             /* an event waits at most this long for its batch */
    /* [print]: the certificate printer's pages (firmware/print/print_page.h) */
    char print_paper[8];                        /* A4 or A5 */
    int print_offset_x_decimm;                  /* registration: + moves the print right, 0.1 mm */
    int print_offset_y_decimm;                  /* + moves it down; measured on the calibration page */
};

/* Defaults for every field (the sim board's values). */
void config_set_defaults(struct config *config);
/* Loads path over the current values. Returns 0, or -1 with "path:line: reason" in err. */
int config_load(struct config *config, const char *path, char *err, size_t errlen);
/* Same, from text in memory (tests, fuzzing); name is used in messages. */
int config_load_string(struct config *config, const char *name, const char *text, char *err,
                       size_t errlen);
