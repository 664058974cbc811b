/* kioskctl's commands that live in their own files (firmware/app/ctl_*.c); each takes argv with
 * argv[0] = the command's name and returns the process exit status. */
#pragma once
#include "firmware/storage/config.h"
#include "firmware/platform/platform_paths.h"

/* kioskctl outbox [--config FILE] [--data-dir DIR]: counts per kind and state, the oldest
 * pending record, its next attempt and the last error (ctl_outbox.c). */
int kioskctl_outbox_command(int argc, char **argv);
/* kioskctl enroll --url URL --token T [--config FILE] [--data-dir DIR] (ctl_enroll.c). */
int kioskctl_enroll_command(int argc, char **argv);
/* kioskctl sync [--catalogue | --outbox] [--url URL] [--config FILE] [--data-dir DIR]: one
 * catalogue check and one outbox delivery now; exit 0 done or current, 3 platform not
 * reached, 4 catalogue rejected, 1 other failure (ctl_sync.c). */
int kioskctl_sync_command(int argc, char **argv);
/* A --timeout value: seconds between min and max. 0, or -1 after telling stderr
 * "kioskctl: --timeout TEXT: WHAT, MIN to MAX" (what: "seconds", "seconds per write"). */
int kioskctl_parse_seconds(const char *text, double min, double max, const char *what, double *out);
/* Loads the config (config_path, or the board's default when NULL) and resolves the unit's
 * paths (data_dir overrides [storage] data_dir when not NULL). 0, or -1 with the reason
 * printed on stderr. */
int kioskctl_platform_load(const char *config_path, const char *data_dir, struct config *config,
                           struct platform_paths *paths);
/* kioskctl print-test receipt (--port PATH | --usb VID:PID) [--profile NAME]: a test receipt
 * (Chinese, QR, Code 128), then the printer's status as JSON; exit 0 printed, 2 no printer,
 * 3 printer not ready (paper, cover ...), 4 error (ctl_print_test.c). Other kinds (licence,
 * calibration) dispatch from the same command. */
int kioskctl_print_test_command(int argc, char **argv);
/* kioskctl print-test licence|calibration --ipp URI [--timeout S] [--save-pwg FILE]: the
 * page engine's sample licence or calibration page on the certificate printer over IPP,
 * followed to the job's end state, printed as JSON; exit 0 printed, 2 printer not answering,
 * 3 not printed but retryable (paper, jam, ...), 4 this printer cannot print it
 * (ctl_print_test_ipp.c; argv[0] is the kind). */
int kioskctl_print_test_ipp(int argc, char **argv);
/* print-test licence|calibration --port PATH | --usb VID:PID: the same pages on a PCL laser
 * (ctl_print_test_pcl.c; argv[0] is the kind); the same exit codes as --ipp. */
int kioskctl_print_test_pcl(int argc, char **argv);
/* kioskctl cert-jobs --db FILE --ipp URI (--reconcile | --retry ID) [--timeout S]: the
 * certificate jobs in the job table settled with the printer as the kiosk does at start, or
 * one failed job retried (asked about first, sent again only when it did not print); each
 * job's end as JSON (ctl_print_test_ipp.c). */
int kioskctl_cert_jobs_command(int argc, char **argv);
