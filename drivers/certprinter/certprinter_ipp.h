/* The certificate printer's IPP back end (IPP Everywhere): printer status, PWG raster pages,
 * one job from Validate-Job to its end state. The only code that includes cups/ipp.h and
 * cups/raster.h. A page is a 1-bit bitmap (the page engine's dots; drivers do not include
 * the page engine); the document sent is PWG raster
 * (black_1, or sgray_8 when the printer takes no 1-bit) at 300 dpi or the resolution the
 * printer offers nearest to it.
 *
 * A job is printed only when the printer says job-state completed. Everything that talks to
 * the printer has a deadline (connect, each request, the whole job). Printer-state-reasons
 * become one condition with a message for residents (an English msgid, translated with _())
 * and the exact keywords for technicians. Errors come back as negative errno values. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>


/* A 1-bit page: rows top to bottom, MSB = leftmost dot, 1 = black (struct print_bitmap's
 * layout). */
struct certprinter_bitmap {
    const uint8_t *bits;
    int width, height;
    size_t stride;
};

#define CERTPRINTER_IPP_KEYWORD_MAX 64
#define CERTPRINTER_IPP_REASONS_MAX 16
#define CERTPRINTER_IPP_LIST_MAX 16
#define CERTPRINTER_IPP_TEXT_MAX 256

/* IPP printer-state and job-state values (RFC 8011 5.4.11, 5.3.7). */
enum { CERTPRINTER_IPP_PRINTER_IDLE = 3, CERTPRINTER_IPP_PRINTER_PROCESSING = 4, CERTPRINTER_IPP_PRINTER_STOPPED = 5 };
enum {
    CERTPRINTER_IPP_JOB_PENDING = 3,
    CERTPRINTER_IPP_JOB_PENDING_HELD = 4,
    CERTPRINTER_IPP_JOB_PROCESSING = 5,
    CERTPRINTER_IPP_JOB_PROCESSING_STOPPED = 6,
    CERTPRINTER_IPP_JOB_CANCELED = 7,
    CERTPRINTER_IPP_JOB_ABORTED = 8,
    CERTPRINTER_IPP_JOB_COMPLETED = 9,
};

/* What Get-Printer-Attributes told us. Keywords are kept as sent (severity suffixes too). */
struct certprinter_ipp_printer {
    int state;                                  /* printer-state; 0 when not sent */
    char state_message[CERTPRINTER_IPP_TEXT_MAX];
    int reason_count;                           /* "none" is not counted */
    char reasons[CERTPRINTER_IPP_REASONS_MAX][CERTPRINTER_IPP_KEYWORD_MAX];
    bool takes_pwg_raster;                      /* document-format-supported */
    int resolution_count;                       /* pwg-raster-document-resolution-supported, else */
    int resolutions[CERTPRINTER_IPP_LIST_MAX];  /* printer-resolution-supported: square dpi only */
    bool black_1, sgray_8;                      /* pwg-raster-document-type-supported */
    int media_ready_count;
    char media_ready[CERTPRINTER_IPP_LIST_MAX][CERTPRINTER_IPP_KEYWORD_MAX];
    int media_supported_count;
    char media_supported[CERTPRINTER_IPP_LIST_MAX][CERTPRINTER_IPP_KEYWORD_MAX];
    char make_and_model[CERTPRINTER_IPP_TEXT_MAX];
};

/* What Get-Job-Attributes told us about one job. */
struct certprinter_ipp_job {
    int id;                                     /* job-id */
    int state;                                  /* job-state; 0 when not sent */
    int reason_count;
    char reasons[CERTPRINTER_IPP_REASONS_MAX][CERTPRINTER_IPP_KEYWORD_MAX];
    char name[CERTPRINTER_IPP_TEXT_MAX];        /* job-name: ours carries the kiosk's job key */
    char state_message[CERTPRINTER_IPP_TEXT_MAX];
    int impressions_completed;                  /* job-impressions-completed; -1 when not sent */
};

/* The one thing that matters most about a printer, worst first in check order. */
enum certprinter_condition {
    CERTPRINTER_READY,
    CERTPRINTER_TONER_LOW,     /* still prints */
    CERTPRINTER_MEDIA_LOW,     /* still prints */
    CERTPRINTER_OTHER_ERROR,   /* an error reason we have no words for */
    CERTPRINTER_PAUSED,
    CERTPRINTER_OFFLINE,
    CERTPRINTER_OUTPUT_FULL,
    CERTPRINTER_TRAY_MISSING,
    CERTPRINTER_WRONG_MEDIA,   /* no A4 (or the page's size) in media-ready */
    CERTPRINTER_TONER_EMPTY,
    CERTPRINTER_MEDIA_EMPTY,
    CERTPRINTER_DOOR_OPEN,
    CERTPRINTER_MEDIA_JAM,
    CERTPRINTER_CANNOT_PRINT,  /* takes no PWG raster, or rejects the job's attributes */
    CERTPRINTER_NOT_ANSWERING, /* no connection or no reply in time */
    CERTPRINTER_JOB_STOPPED,   /* the printer aborted or canceled the job without a reason we know */
};

/* A printer-state-reasons keyword (suffix -report/-warning/-error or none) → its condition;
 * CERTPRINTER_READY for "none" and for keywords that do not stop printing. *blocking (may be
 * NULL) is set when the reason stops printing: an error severity (no suffix or -error, RFC
 * 8011 5.4.12) of a condition worse than "low". */
enum certprinter_condition certprinter_ipp_reason_condition(const char *keyword, bool *blocking);
/* The worst condition among a printer's state and reasons; *blocking as above (stopped
 * printers block too). */
enum certprinter_condition certprinter_ipp_printer_condition(const struct certprinter_ipp_printer *printer,
                                                              bool *blocking);
/* English msgid for residents (translate with _()), NULL when there is nothing to tell. */
const char *certprinter_condition_resident_msgid(enum certprinter_condition condition);
/* What a technician reads: what is wrong and what to do. */
const char *certprinter_condition_technician_text(enum certprinter_condition condition);
/* "media-empty", ... for JSON and logs. */
const char *certprinter_condition_name(enum certprinter_condition condition);

/* Decoders of IPP responses (the bytes after the HTTP header): 0, or -EBADMSG when the bytes
 * are not a whole IPP message. Used by the client below and by the fuzz target. */
int certprinter_ipp_parse_printer(const uint8_t *data, size_t size, struct certprinter_ipp_printer *out);
int certprinter_ipp_parse_job(const uint8_t *data, size_t size, struct certprinter_ipp_job *out);

/* The PWG raster settings a printer gets for a page. */
struct certprinter_ipp_format {
    int dpi;              /* 300, or the nearest the printer offers */
    bool gray8;           /* sgray_8 instead of black_1 */
    char media[CERTPRINTER_IPP_KEYWORD_MAX]; /* PWG media name, e.g. iso_a4_210x297mm */
};
/* Picks resolution and type for a page of media (PWG name). 0, or -ENOTSUP with the reason. */
int certprinter_ipp_choose_format(const struct certprinter_ipp_printer *printer, const char *media,
                                  struct certprinter_ipp_format *out, char *err, size_t errlen);
/* True when media-ready lists the media (or says nothing about what is loaded). */
bool certprinter_ipp_media_ready(const struct certprinter_ipp_printer *printer, const char *media);

/* Encodes pages (1-bit, at page_dpi) as one PWG raster document in a malloc'd buffer.
 * Each page is scaled to format->dpi by whole dots (nearest neighbour; exact for multiples)
 * and placed at the top left of the media, cropped or padded white. 0 or negative errno. */
int certprinter_ipp_encode_pwg(const struct certprinter_bitmap *pages, int page_count, int page_dpi,
                               const struct certprinter_ipp_format *format, uint8_t **document, size_t *size);

/* A connection to one printer URI (ipp:// or ipps://, or http:// as ipp-usb offers). */
struct certprinter_ipp;
/* Parses the URI and sets the deadline of each step (connect, one request) in ms. No I/O.
 * 0, or -EINVAL with the reason in err. */
int certprinter_ipp_open(const char *uri, int timeout_ms, struct certprinter_ipp **out, char *err, size_t errlen);
void certprinter_ipp_close(struct certprinter_ipp *ipp);
/* The last failure's text for technicians (connection, HTTP or IPP status). */
const char *certprinter_ipp_last_error(const struct certprinter_ipp *ipp);

/* Get-Printer-Attributes. 0; -ECONNREFUSED/-ETIMEDOUT/-EIO when the printer does not answer;
 * -EPROTO for an IPP error status. */
int certprinter_ipp_get_printer(struct certprinter_ipp *ipp, struct certprinter_ipp_printer *out);
/* Job attributes sent with Validate-Job and Print-Job. */
struct certprinter_ipp_job_request {
    const char *job_name;       /* the kiosk's job key: how a job is found again by name */
    const char *user_name;      /* requesting-user-name: the unit id */
    const char *media;          /* PWG media name */
};
/* Validate-Job: 0, -EPROTO when the printer refuses (reason in last_error), or as above. */
int certprinter_ipp_validate_job(struct certprinter_ipp *ipp, const struct certprinter_ipp_job_request *request);
/* Print-Job with a PWG raster document: 0 and *job_id, or as above. */
int certprinter_ipp_print_job(struct certprinter_ipp *ipp, const struct certprinter_ipp_job_request *request,
                              const uint8_t *document, size_t size, int *job_id);
/* Get-Job-Attributes: 0; -ENOENT when the printer does not know the job (client-error-not-found). */
int certprinter_ipp_get_job(struct certprinter_ipp *ipp, int job_id, struct certprinter_ipp_job *out);
/* Get-Jobs (which-jobs all), the newest job whose job-name is name: 0 and *out, -ENOENT when none. */
int certprinter_ipp_find_job(struct certprinter_ipp *ipp, const char *name, struct certprinter_ipp_job *out);
/* Cancel-Job: 0; -ENOENT unknown job; -EPROTO when it can no longer be canceled. */
int certprinter_ipp_cancel_job(struct certprinter_ipp *ipp, int job_id);

/* How a job ended, for the job table and the resident. */
enum certprinter_outcome {
    CERTPRINTER_PRINTED,          /* job-state completed */
    CERTPRINTER_FAILED_RETRYABLE, /* not printed (or not known to be): a retry may print it */
    CERTPRINTER_FAILED_FINAL,     /* this printer cannot print this document */
};
struct certprinter_result {
    enum certprinter_outcome outcome;
    int job_id;                   /* the printer's job-id; 0 when no job was created */
    int job_state;                /* last job-state seen; 0 when none */
    int pages;                    /* job-impressions-completed, -1 when not reported */
    enum certprinter_condition condition;
    char reasons[CERTPRINTER_IPP_TEXT_MAX];    /* exact keywords: job's, then printer's */
    char technician[CERTPRINTER_IPP_TEXT_MAX]; /* one line: what happened */
};

/* Called once the printer has given the job an id, before any waiting: the caller records
 * it (job table) so that a restart can ask the printer about the job. */
typedef void (*certprinter_job_id_cb)(void *context, int job_id);

/* Waits for a job the printer has accepted until it ends or deadline_ms (CLOCK_MONOTONIC ms)
 * passes; a job still pending or stopped then is canceled (unless it completes meanwhile).
 * The printer going away mid-job is FAILED_RETRYABLE, the job id kept for reconciling. */
void certprinter_ipp_wait_job(struct certprinter_ipp *ipp, int job_id, long long deadline_ms,
                              struct certprinter_result *result);
/* Asks the printer what it takes (Get-Printer-Attributes), picks the format for media and
 * encodes the pages: 0 with a malloc'd *document, or -1 with result filled (not answering,
 * cannot print). The document is what print_document sends, now or on a retry. */
int certprinter_ipp_prepare_document(struct certprinter_ipp *ipp, const struct certprinter_bitmap *pages, int page_count,
                                     int page_dpi, const char *media, uint8_t **document, size_t *size,
                                     struct certprinter_ipp_format *format, struct certprinter_result *result);
/* One job: printer status (nothing is sent to a printer that cannot print it now: a blocking
 * reason, no PWG raster, media not ready), the document in the format the printer takes
 * (encoded again when its pages are in another resolution or type: black_1 or sgray_8),
 * Validate-Job, Print-Job, on_job_id, then certprinter_ipp_wait_job until timeout_ms after
 * the start. */
void certprinter_ipp_print_document(struct certprinter_ipp *ipp, const struct certprinter_ipp_job_request *request,
                                    const uint8_t *document, size_t size, int timeout_ms, certprinter_job_id_cb on_job_id,
                                    void *context, struct certprinter_result *result);

long long certprinter_now_ms(void); /* CLOCK_MONOTONIC */

/* One page of a PWG raster document as a printer reads it (tests, the sim's printer view),
 * read by our own decoder: the header is checked before anything is allocated. */
struct certprinter_pwg_page {
    int width, height;         /* dots */
    int xdpi, ydpi;
    int bits_per_pixel;        /* 1 (black_1) or 8 (sgray_8) */
    char media[CERTPRINTER_IPP_KEYWORD_MAX]; /* PageSizeName, e.g. iso_a4_210x297mm */
    int page_width_pt, page_height_pt;       /* PageSize in points */
    int total_pages;           /* TotalPageCount (0 = not given) */
    size_t stride;
    uint8_t *bits;             /* 1 = black, MSB = leftmost; sgray_8 below half is black */
};
/* The first page header of a PWG raster document, read without decoding pages. */
struct certprinter_pwg_first {
    int xdpi, ydpi;
    int bits_per_pixel;
    char media[CERTPRINTER_IPP_KEYWORD_MAX]; /* PageSizeName; empty when not given */
};
/* 0, or -EBADMSG when the bytes do not start a PWG raster document. */
int certprinter_pwg_peek(const uint8_t *data, size_t size, struct certprinter_pwg_first *out);
/* Decodes up to max_pages pages of a PWG raster document. 0 with *page_count, -EBADMSG when
 * the bytes are not PWG raster (or a page is cut short), -ENOMEM. Free with _free_pages. */
int certprinter_pwg_decode(const uint8_t *data, size_t size, struct certprinter_pwg_page *pages, int max_pages,
                           int *page_count);
/* Frees (and wipes) decoded pages. */
void certprinter_pwg_free_pages(struct certprinter_pwg_page *pages, int count);
