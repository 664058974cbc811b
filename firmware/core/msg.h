/* Messages from worker threads to the UI thread. One kind per line of the X-macro list. */
#pragma once
#include <stdint.h>

/* MSG(name): a new kind is one line here; its payload goes in struct msg's union. */
#define MSG_KIND_LIST(MSG) \
    MSG(QUIT)              \
    MSG(WAKE)              \
    MSG(DEVICE_STATUS)     \
    MSG(CATALOGUE_READY)   \
    MSG(CARD_READ)         \
    MSG(CARD_REMOVED)      \
    MSG(CARD_FAILED)       \
    MSG(READER_STATUS)     \
    MSG(PLATFORM_STATUS)   \
    MSG(PRINT_JOB)         \
    MSG(HOLDER)            \
    MSG(INPUT_READY)       \
    MSG(HANDWRITING)       \
    MSG(SUBMISSION)

enum msg_kind {
#define MSG_ENUM(name) MSG_##name,
    MSG_KIND_LIST(MSG_ENUM)
#undef MSG_ENUM
    MSG_KIND_COUNT
};

enum device_id { DEVICE_IDCARD_READER, DEVICE_RECEIPT_PRINTER, DEVICE_CERT_PRINTER, DEVICE_COUNT };

struct msg_device_status {
    enum device_id device;
    int present;          /* 1 usable, 0 missing or unusable */
    char reason[160];     /* English msgid of the reason, translated at the edge */
    /* The state as a machine keyword for technicians and the platform (telemetry kinds and
     * the heartbeat, docs/platform-api.md §9): "ready", "paper_end", "not_answering" ...
     * (firmware/platform/telemetry.h maps each driver's condition). "" = "ready" or "missing" by present. */
    char state[32];
};

struct catalogue;
struct search_index;

/* The catalogue worker's result: ownership of catalogue and index passes to the UI
 * thread with the message. On failure both are NULL and error says why. */
struct msg_catalogue {
    struct catalogue *catalogue;
    struct search_index *index;
    char error[256];
};

struct idcard_record;

/* From the ID card reader worker (firmware/session/idcard_worker.h). MSG_CARD_READ passes the
 * record (heap, personal data) to the UI thread, which ends it with
 * idcard_worker_free_record() (wipes, then frees) at the latest when the session ends. */
struct msg_card_read {
    struct idcard_record *record;
    int expired;          /* valid_to before today (长期 never expires) */
};

/* MSG_CARD_FAILED: a card was there but could not be read (moved, not genuine, bad data). */
struct msg_card_failed {
    char msgid[96];       /* English msgid for the resident, translated at the edge */
    char reason[200];     /* for technicians' logs: no personal data */
};

enum reader_state { READER_OK, READER_MISSING, READER_ERROR };

/* MSG_READER_STATUS: posted when the reader's state changes. */
struct msg_reader_status {
    enum reader_state state;
    char reason[200];     /* why missing or in error, for technicians; "" when ok */
};

/* MSG_PLATFORM_STATUS: the platform link went online or offline (firmware/platform/sync.h). */
struct msg_platform_status {
    int online;           /* 1 reached the platform, 0 not */
    char reason[200];     /* why offline, for technicians; "" when online */
};

/* MSG_PRINT_JOB: a print job changed state (firmware/print/print_worker.h, for every printer). */
struct msg_print_job {
    int64_t job_id;
    int printer;          /* enum print_printer: 0 receipt (its worker leaves it 0), 1 certificate */
    int state;            /* enum print_job_state: sending, printed or failed */
    int retryable;        /* failed: a retry may print it */
    char msgid[160];      /* English msgid for the resident when failed, translated at the edge */
    char reason[200];     /* for technicians */
};

struct holder_licences;

/* MSG_HOLDER: the answer to holder_worker_fetch_licences (firmware/platform/holder_worker.h). */
/* The OTP_ ones answer holder_worker_submit_otp (or say a code is wanted, with where it went). */
enum holder_result {
    HOLDER_OK,
    HOLDER_OTP_REQUIRED, /* a code went to phone_masked; it lasts otp_expires_in_s */
    HOLDER_REFUSED,
    HOLDER_OFFLINE,
    HOLDER_OTP_INVALID, /* wrong code: attempts_left more (-1: the platform did not say) */
    HOLDER_OTP_EXPIRED, /* the code ran out: a new session sends a new one */
    HOLDER_OTP_LOCKED,  /* too many wrong codes: this session is over */
};
struct msg_holder {
    enum holder_result result;
    unsigned request;                 /* which fetch this answers (holder_worker_current_request) */
    struct holder_licences *licences; /* HOLDER_OK: owned by the receiver (holder_licences_free) */
    char msgid[200];                  /* why not, for the resident (English msgid) */
    char reason[200];                 /* for technicians: no personal data */
    char phone_masked[32];            /* HOLDER_OTP_REQUIRED: as the platform masked it (139****5678) */
    int otp_expires_in_s;             /* HOLDER_OTP_REQUIRED */
    int attempts_left;                /* HOLDER_OTP_INVALID */
};

/* The Chinese text entry's engines (firmware/input) after they started, or why they cannot. */
enum input_engine { INPUT_ENGINE_PINYIN, INPUT_ENGINE_HANDWRITING };
struct msg_input_ready {
    enum input_engine engine;
    int ready;
    char problem[200]; /* for technicians, English: which package or file is missing */
};

/* Handwriting candidates for the strokes of one request (handwriting.h). The strokes are a
 * resident's: the candidates say only which characters they look like. */
#define MSG_HANDWRITING_CANDIDATES 10
struct msg_handwriting {
    unsigned request;
    int count;
    char candidates[MSG_HANDWRITING_CANDIDATES][8]; /* one character each, UTF-8 */
};

/* A resident's submission (report, evaluation, application) on its way to the platform
 * (sync.h, sync_worker_submit): stored in the outbox with a local reference, then delivered
 * with the platform's number, or refused; waiting when the platform cannot be reached. */
enum submission_state {
    SUBMISSION_STORED,     /* in the outbox; the first delivery attempt follows at once */
    SUBMISSION_WAITING,    /* the platform could not be reached: the outbox will try again */
    SUBMISSION_DELIVERED,
    SUBMISSION_REFUSED,
    SUBMISSION_NOT_STORED,
};
struct msg_submission {
    unsigned request;
    int state;            /* enum submission_state */
    char reference[16];   /* the local reference (from the idempotency key), for the resident */
    char answer_id[80];   /* DELIVERED: the platform's number (report_number B…) */
    char reason[200];     /* REFUSED / NOT_STORED: for technicians, no personal data */
};

struct msg {
    enum msg_kind kind;
    union {
        struct msg_device_status device_status;
        struct msg_catalogue catalogue;
        struct msg_card_read card_read;
        struct msg_card_failed card_failed;
        struct msg_reader_status reader_status;
        struct msg_platform_status platform_status;
        struct msg_print_job print_job;
        struct msg_holder holder;
        struct msg_input_ready input_ready;
        struct msg_handwriting handwriting;
        struct msg_submission submission;
    } u;
};

const char *msg_kind_name(enum msg_kind kind);
/* Device names as configs and scripts spell them ("idcard_reader" ...); -1 if unknown. */
int msg_device_from_name(const char *name);
/* The device's name in configs and scripts ("receipt_printer"). */
const char *msg_device_name(enum device_id device);
/* For messages that list the names a config or script may use. */
#define MSG_DEVICE_NAMES_HINT "idcard_reader, receipt_printer, cert_printer"
