/* Requests and responses of the platform emulator, apart from libmicrohttpd: handlers read
 * an emu_request and fill an emu_response; emu_main.c sends it (with the fault switches). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct emu_request {
    const char *method;
    const char *path;
    const char *body; /* NUL-terminated copy of the request body */
    size_t body_len;
    const char *unit_id; /* from the client certificate; "" on enrollment and admin calls */
    /* Header and query lookups (NULL when absent). */
    const char *(*header)(const struct emu_request *req, const char *name);
    const char *(*query)(const struct emu_request *req, const char *name);
    void *conn;
};

enum { EMU_MAX_HEADERS = 8 };

struct emu_response {
    int status;
    char *body; /* malloc'd */
    size_t len;
    const char *content_type;
    int header_count;
    struct {
        char name[40];
        char value[160];
    } headers[EMU_MAX_HEADERS];
};

void emu_response_header(struct emu_response *resp, const char *name, const char *value);
/* Takes a malloc'd body. */
void emu_response_body(struct emu_response *resp, int status, char *body, size_t len, const char *content_type);
/* The contract's error body: {"error":{"code":...,"message":...}}. */
void emu_response_error(struct emu_response *resp, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* JSON object body (cJSON, deleted here). */
struct cJSON;
void emu_response_json(struct emu_response *resp, int status, struct cJSON *json);

/* Fault switches (README: fault kinds). */
enum emu_fault_kind {
    EMU_FAULT_LATENCY,             /* arg ms before the answer */
    EMU_FAULT_STATUS,              /* answer arg (default 503) before doing anything */
    EMU_FAULT_RESET,               /* send arg bytes of the body (default half), then a TCP reset */
    EMU_FAULT_TRICKLE,             /* send the body at arg bytes per second (default 2048) */
    EMU_FAULT_CORRUPT,             /* flip one byte in the middle of the body */
    EMU_FAULT_BAD_SIGNATURE,       /* manifests and licences signed over other bytes */
    EMU_FAULT_EXPIRED_CLIENT_CERT, /* enrollment issues a certificate that expired yesterday */
    EMU_FAULT_WRONG_SERVER_CERT,   /* TLS handshakes present the unrelated CA's certificate */
    EMU_FAULT_COUNT
};
/* Takes one use of an active fault of that kind whose path prefix matches path (NULL: any);
 * true and its argument (or -1) when there is one. */
bool emu_fault_take(enum emu_fault_kind kind, const char *path, long *arg);

/* The kiosk gateway (emu_api.c). */
int emu_api_init(const char *demo_token, char *err, size_t errlen);
void emu_api_handle(const struct emu_request *req, struct emu_response *resp);
/* The test admin endpoint's requests other than faults (stats, reset, otp, tokens, catalogue). */
void emu_api_admin(const struct emu_request *req, struct emu_response *resp);
