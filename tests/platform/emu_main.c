/* platform_emu: the platform's kiosk gateway for development, the sim board and tests
 * (docs/platform-api.md; tests/platform/README.md). HTTPS with client certificates on one
 * port, a plain-HTTP admin endpoint for tests on another, both on loopback by default. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cjson/cJSON.h>
#include <microhttpd.h>

#include "emu_catalogue.h"
#include "emu_crypto.h"
#include "emu_db.h"
#include "emu_http.h"

enum { EMU_BODY_MAX = 1 << 20, EMU_FAULT_MAX = 32 };

static const char *const emu_fault_names[EMU_FAULT_COUNT] = {
    "latency", "status", "reset", "trickle", "corrupt", "bad-signature", "expired-client-cert", "wrong-server-cert",
};

struct emu_fault {
    enum emu_fault_kind kind;
    char path[128]; /* prefix; "" = every path */
    long count;     /* uses left; -1 = until cleared */
    long arg;       /* -1 = the kind's default */
};

static struct {
    pthread_mutex_t lock;
    struct emu_fault faults[EMU_FAULT_MAX];
    int fault_count;
    bool quiet;
} emu = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* ---- responses ------------------------------------------------------------------------ */
void emu_response_header(struct emu_response *resp, const char *name, const char *value)
{
    if (resp->header_count == EMU_MAX_HEADERS)
        return;
    snprintf(resp->headers[resp->header_count].name, sizeof resp->headers[0].name, "%s", name);
    snprintf(resp->headers[resp->header_count].value, sizeof resp->headers[0].value, "%s", value);
    resp->header_count++;
}

void emu_response_body(struct emu_response *resp, int status, char *body, size_t len, const char *content_type)
{
    free(resp->body);
    resp->status = status;
    resp->body = body;
    resp->len = len;
    resp->content_type = content_type;
}

void emu_response_json(struct emu_response *resp, int status, cJSON *json)
{
    char *text = cJSON_PrintUnformatted(json);
    cJSON_Delete(json);
    if (!text) {
        emu_response_error(resp, 500, "internal", "cannot print the answer");
        return;
    }
    emu_response_body(resp, status, text, strlen(text), "application/json; charset=utf-8");
}

void emu_response_error(struct emu_response *resp, int status, const char *code, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    cJSON *root = cJSON_CreateObject(), *error = cJSON_AddObjectToObject(root, "error");
    cJSON_AddStringToObject(error, "code", code);
    cJSON_AddStringToObject(error, "message", message);
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    emu_response_body(resp, status, text, text ? strlen(text) : 0, "application/json; charset=utf-8");
}

/* ---- faults --------------------------------------------------------------------------- */
bool emu_fault_take(enum emu_fault_kind kind, const char *path, long *arg)
{
    bool found = false;
    pthread_mutex_lock(&emu.lock);
    for (int i = 0; i < emu.fault_count; i++) {
        struct emu_fault *f = &emu.faults[i];
        if (f->kind != kind || (path && strncmp(path, f->path, strlen(f->path)) != 0))
            continue;
        found = true;
        if (arg)
            *arg = f->arg;
        if (f->count > 0 && --f->count == 0) {
            memmove(f, f + 1, (size_t)(emu.fault_count - i - 1) * sizeof *f);
            emu.fault_count--;
        }
        break;
    }
    pthread_mutex_unlock(&emu.lock);
    return found;
}

static bool emu_wrong_server_cert(void)
{
    return emu_fault_take(EMU_FAULT_WRONG_SERVER_CERT, NULL, NULL);
}

/* "KIND[,path=P][,count=N][,arg=A]" from the command line. */
static int emu_fault_parse(const char *spec, struct emu_fault *f, char *err, size_t errlen)
{
    char copy[256];
    snprintf(copy, sizeof copy, "%s", spec);
    *f = (struct emu_fault){.count = -1, .arg = -1};
    char *save = NULL, *part = strtok_r(copy, ",", &save);
    int kind = -1;
    for (int k = 0; part && k < EMU_FAULT_COUNT; k++)
        if (strcmp(part, emu_fault_names[k]) == 0)
            kind = k;
    if (kind < 0) {
        snprintf(err, errlen, "unknown fault '%s'", part ? part : "");
        return -1;
    }
    f->kind = (enum emu_fault_kind)kind;
    while ((part = strtok_r(NULL, ",", &save))) {
        if (strncmp(part, "path=", 5) == 0)
            snprintf(f->path, sizeof f->path, "%s", part + 5);
        else if (strncmp(part, "count=", 6) == 0)
            f->count = strtol(part + 6, NULL, 10);
        else if (strncmp(part, "arg=", 4) == 0)
            f->arg = strtol(part + 4, NULL, 10);
        else {
            snprintf(err, errlen, "fault '%s': unknown option '%s'", spec, part);
            return -1;
        }
    }
    if (f->count == 0) {
        snprintf(err, errlen, "fault '%s': count must be positive or absent", spec);
        return -1;
    }
    return 0;
}

static int emu_fault_add(const struct emu_fault *f)
{
    pthread_mutex_lock(&emu.lock);
    int rc = -1;
    if (emu.fault_count < EMU_FAULT_MAX) {
        emu.faults[emu.fault_count++] = *f;
        rc = 0;
    }
    pthread_mutex_unlock(&emu.lock);
    return rc;
}

static cJSON *emu_fault_list(void)
{
    cJSON *list = cJSON_CreateArray();
    pthread_mutex_lock(&emu.lock);
    for (int i = 0; i < emu.fault_count; i++) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "kind", emu_fault_names[emu.faults[i].kind]);
        cJSON_AddStringToObject(f, "path", emu.faults[i].path);
        cJSON_AddNumberToObject(f, "count", (double)emu.faults[i].count);
        cJSON_AddNumberToObject(f, "arg", (double)emu.faults[i].arg);
        cJSON_AddItemToArray(list, f);
    }
    pthread_mutex_unlock(&emu.lock);
    return list;
}

static void emu_faults_clear(void)
{
    pthread_mutex_lock(&emu.lock);
    emu.fault_count = 0;
    pthread_mutex_unlock(&emu.lock);
}

/* /admin/faults: POST {"kind","path","count","arg"} adds, GET lists, DELETE clears. */
static void emu_admin_faults(const struct emu_request *req, struct emu_response *resp)
{
    if (strcmp(req->method, "DELETE") == 0) {
        emu_faults_clear();
        emu_response_json(resp, 200, cJSON_CreateObject());
        return;
    }
    if (strcmp(req->method, "POST") == 0) {
        cJSON *in = cJSON_Parse(req->body);
        const cJSON *kind = cJSON_GetObjectItem(in, "kind"), *path = cJSON_GetObjectItem(in, "path"),
                    *count = cJSON_GetObjectItem(in, "count"), *arg = cJSON_GetObjectItem(in, "arg");
        char spec[256], err[256];
        struct emu_fault f;
        snprintf(spec, sizeof spec, "%s", cJSON_IsString(kind) ? kind->valuestring : "");
        int rc = emu_fault_parse(spec, &f, err, sizeof err);
        if (rc == 0 && cJSON_IsString(path))
            snprintf(f.path, sizeof f.path, "%s", path->valuestring);
        if (rc == 0 && cJSON_IsNumber(count))
            f.count = (long)count->valuedouble;
        if (rc == 0 && cJSON_IsNumber(arg))
            f.arg = (long)arg->valuedouble;
        cJSON_Delete(in);
        if (rc < 0) {
            emu_response_error(resp, 400, "bad_request", "%s", err);
            return;
        }
        if (f.count == 0 || emu_fault_add(&f) < 0) {
            emu_response_error(resp, 400, "bad_request", "count must be positive or -1; at most %d faults",
                               EMU_FAULT_MAX);
            return;
        }
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "faults", emu_fault_list());
    emu_response_json(resp, 200, root);
}

/* ---- libmicrohttpd glue ------------------------------------------------------------- */
struct emu_upload {
    char *body;
    size_t len, cap;
    bool too_large;
};

struct emu_body_reader {
    char *data;
    size_t len;
    size_t cut;       /* reset after this many bytes; len = no reset */
    long trickle_bps; /* 0 = full speed */
    int fd;
};

static ssize_t emu_body_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct emu_body_reader *r = cls;
    if (pos >= r->cut && r->cut < r->len) {
        /* SO_LINGER 0: close() sends a RST instead of a FIN, a reset mid-body. */
        struct linger linger = {1, 0};
        setsockopt(r->fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
        return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    if (pos >= r->len)
        return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = (r->cut < r->len ? r->cut : r->len) - (size_t)pos;
    if (n > max)
        n = max;
    if (r->trickle_bps > 0) {
        size_t chunk = (size_t)(r->trickle_bps / 10 > 0 ? r->trickle_bps / 10 : 1);
        if (n > chunk)
            n = chunk;
        struct timespec pause = {0, 0};
        long long ns = (long long)n * 1000000000LL / r->trickle_bps;
        pause.tv_sec = (time_t)(ns / 1000000000LL);
        pause.tv_nsec = (long)(ns % 1000000000LL);
        nanosleep(&pause, NULL);
    }
    memcpy(buf, r->data + pos, n);
    return (ssize_t)n;
}

static void emu_body_free(void *cls)
{
    struct emu_body_reader *r = cls;
    free(r->data);
    free(r);
}

static const char *emu_header(const struct emu_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

static const char *emu_query(const struct emu_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result emu_send(struct MHD_Connection *conn, const struct emu_request *req, struct emu_response *resp,
                                bool faults)
{
    struct emu_body_reader *r = calloc(1, sizeof *r);
    if (!r)
        return MHD_NO;
    r->data = resp->body ? resp->body : calloc(1, 1);
    r->len = resp->body ? resp->len : 0;
    resp->body = NULL;
    r->cut = r->len;
    long arg = -1;
    if (faults && r->len > 0) {
        if (emu_fault_take(EMU_FAULT_CORRUPT, req->path, NULL))
            r->data[r->len / 2] ^= 0x20;
        if (emu_fault_take(EMU_FAULT_RESET, req->path, &arg))
            r->cut = arg >= 0 && (size_t)arg < r->len ? (size_t)arg : r->len / 2;
        if (emu_fault_take(EMU_FAULT_TRICKLE, req->path, &arg))
            r->trickle_bps = arg > 0 ? arg : 2048;
    }
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    r->fd = info ? info->connect_fd : -1;
    struct MHD_Response *response =
        MHD_create_response_from_callback(r->len, 64 * 1024, emu_body_read, r, emu_body_free);
    if (!response) {
        emu_body_free(r);
        return MHD_NO;
    }
    if (resp->content_type)
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type);
    for (int i = 0; i < resp->header_count; i++)
        MHD_add_response_header(response, resp->headers[i].name, resp->headers[i].value);
    static unsigned long request_serial;
    char request_id[32];
    snprintf(request_id, sizeof request_id, "emu-%lu", __atomic_add_fetch(&request_serial, 1, __ATOMIC_RELAXED));
    MHD_add_response_header(response, "Request-Id", request_id);
    enum MHD_Result rc = MHD_queue_response(conn, (unsigned)resp->status, response);
    MHD_destroy_response(response);
    return rc;
}

static void emu_log_request(const struct emu_request *req, int status, bool tls, double ms)
{
    if (emu.quiet)
        return;
    fprintf(stderr, "platform_emu: %s%s %s %d%s%s %.1f ms\n", tls ? "" : "admin ", req->method, req->path, status,
            req->unit_id[0] ? " unit " : "", req->unit_id, ms);
}

static double emu_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static enum MHD_Result emu_access(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    bool tls = cls != NULL;
    struct emu_upload *up = *con_cls;
    if (!up) {
        if (!(up = calloc(1, sizeof *up)))
            return MHD_NO;
        *con_cls = up;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (up->len + *upload_data_size > EMU_BODY_MAX) {
            up->too_large = true;
        } else {
            if (up->len + *upload_data_size + 1 > up->cap) {
                size_t cap = up->cap ? up->cap : 4096;
                while (cap < up->len + *upload_data_size + 1)
                    cap *= 2;
                char *grown = realloc(up->body, cap);
                if (!grown)
                    return MHD_NO;
                up->body = grown;
                up->cap = cap;
            }
            memcpy(up->body + up->len, upload_data, *upload_data_size);
            up->len += *upload_data_size;
            up->body[up->len] = '\0';
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    double start = emu_now_ms();
    char unit_id[128] = "";
    struct emu_request req = {
        .method = method, .path = url, .body = up->body ? up->body : "", .body_len = up->len,
        .unit_id = unit_id, .header = emu_header, .query = emu_query, .conn = conn,
    };
    struct emu_response resp = {.status = 500};
    long arg = -1;
    if (up->too_large) {
        emu_response_error(&resp, 413, "too_large", "request bodies are at most %d bytes", EMU_BODY_MAX);
    } else if (!tls) {
        if (strcmp(url, "/admin/faults") == 0)
            emu_admin_faults(&req, &resp);
        else if (strcmp(url, "/admin/reset") == 0 && strcmp(method, "POST") == 0) {
            emu_faults_clear();
            emu_api_admin(&req, &resp);
        }
        else
            emu_api_admin(&req, &resp);
    } else {
        if (emu_fault_take(EMU_FAULT_LATENCY, url, &arg)) {
            long ms = arg >= 0 ? arg : 1000;
            struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
            nanosleep(&pause, NULL);
        }
        if (emu_fault_take(EMU_FAULT_STATUS, url, &arg)) {
            int status = arg >= 400 && arg <= 599 ? (int)arg : 503;
            emu_response_error(&resp, status, status == 503 ? "unavailable" : "internal",
                               "fault switch: status %d", status);
            emu_response_header(&resp, "Retry-After", "1");
        } else {
            bool enrolling = strcmp(url, "/v1/enroll") == 0;
            char reason[160] = "";
            const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
            enum emu_client_check check = emu_client_check(info ? (gnutls_session_t)info->tls_session : NULL,
                                                           unit_id, sizeof unit_id, reason, sizeof reason);
            if (check != EMU_CLIENT_OK)
                unit_id[0] = '\0';
            if (enrolling || check == EMU_CLIENT_OK)
                emu_api_handle(&req, &resp);
            else if (check == EMU_CLIENT_NONE)
                emu_response_error(&resp, 401, "client_certificate_required", "%s", reason);
            else
                emu_response_error(&resp, 403, "client_certificate_invalid", "%s", reason);
        }
    }
    emu_log_request(&req, resp.status, tls, emu_now_ms() - start);
    enum MHD_Result rc = emu_send(conn, &req, &resp, tls);
    free(resp.body);
    return rc;
}

static void emu_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    struct emu_upload *up = *con_cls;
    if (up) {
        free(up->body);
        free(up);
    }
    *con_cls = NULL;
}

static void emu_usage(FILE *out)
{
    fprintf(out,
            "usage: platform_emu [--bind ADDR] [--port N] [--admin-port N] [--keys DIR] [--data DIR]\n"
            "                    [--catalogue FILE] [--shard-size BYTES] [--today YYYYMMDD]\n"
            "                    [--enroll-token TOKEN] [--fault KIND[,path=P][,count=N][,arg=A]]...\n"
            "                    [--ready-file FILE] [--quiet]\n"
            "The platform's kiosk gateway over HTTPS with client certificates (docs/platform-api.md) and a\n"
            "plain-HTTP admin endpoint for tests. Port 0 picks a free port; both are printed on stdout.\n"
            "Fault kinds: latency status reset trickle corrupt bad-signature expired-client-cert\n"
            "wrong-server-cert (tests/platform/README.md).\n");
}

static unsigned short emu_daemon_port(struct MHD_Daemon *d)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

int main(int argc, char **argv)
{
    const char *bind_addr = "127.0.0.1", *keys = "build/sim/platform/keys", *data = "build/sim/platform/data";
    const char *catalogue = NULL, *today = NULL, *ready_file = NULL, *token = "LY-DEMO-ENROLL";
    long port = 8443, admin_port = 8444, shard_size = 256 * 1024;
    char err[512];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        if (strcmp(a, "--help") == 0) {
            emu_usage(stdout);
            return 0;
        } else if (strcmp(a, "--quiet") == 0) {
            emu.quiet = true;
            takes = false;
        } else if (!v) {
            fprintf(stderr, "platform_emu: %s needs a value\n", a);
            return 2;
        } else if (strcmp(a, "--bind") == 0) {
            bind_addr = v;
        } else if (strcmp(a, "--port") == 0) {
            port = strtol(v, NULL, 10);
        } else if (strcmp(a, "--admin-port") == 0) {
            admin_port = strtol(v, NULL, 10);
        } else if (strcmp(a, "--keys") == 0) {
            keys = v;
        } else if (strcmp(a, "--data") == 0) {
            data = v;
        } else if (strcmp(a, "--catalogue") == 0) {
            catalogue = v;
        } else if (strcmp(a, "--shard-size") == 0) {
            shard_size = strtol(v, NULL, 10);
        } else if (strcmp(a, "--today") == 0) {
            today = v;
        } else if (strcmp(a, "--enroll-token") == 0) {
            token = v;
        } else if (strcmp(a, "--ready-file") == 0) {
            ready_file = v;
        } else if (strcmp(a, "--fault") == 0) {
            struct emu_fault f;
            if (emu_fault_parse(v, &f, err, sizeof err) < 0 || emu_fault_add(&f) < 0) {
                fprintf(stderr, "platform_emu: --fault %s: %s\n", v, err);
                return 2;
            }
        } else {
            fprintf(stderr, "platform_emu: unknown option %s\n", a);
            emu_usage(stderr);
            return 2;
        }
        if (takes)
            i++;
    }
    if (port < 0 || port > 65535 || admin_port < 0 || admin_port > 65535 || shard_size < 1024 ||
        shard_size > 4 * 1024 * 1024 || (today && (strlen(today) != 8 || strspn(today, "0123456789") != 8))) {
        fprintf(stderr, "platform_emu: ports 0-65535, --shard-size 1024 to 4194304, --today YYYYMMDD\n");
        return 2;
    }
    char today_buf[9];
    if (!today) {
        time_t local = time(NULL) + 8 * 3600;
        struct tm tm;
        gmtime_r(&local, &tm);
        strftime(today_buf, sizeof today_buf, "%Y%m%d", &tm);
        today = today_buf;
    }
    /* Handlers block in their own threads; a kiosk that hangs up mid-answer must not kill us. */
    signal(SIGPIPE, SIG_IGN);
    char db_path[4200];
    mkdir(data, 0755);
    snprintf(db_path, sizeof db_path, "%s/platform.db", data);
    if (emu_crypto_load(keys, err, sizeof err) < 0 || emu_db_open(db_path, today, err, sizeof err) < 0 ||
        emu_catalogue_open(data, catalogue, (size_t)shard_size, err, sizeof err) < 0 ||
        emu_api_init(token, err, sizeof err) < 0) {
        fprintf(stderr, "platform_emu: %s\n", err);
        return 1;
    }
    emu_crypto_set_wrong_cert_switch(emu_wrong_server_cert);

    /* SIGINT and SIGTERM blocked before any thread starts, so every thread inherits the mask
     * and only sigwait() below takes them: a clean stop. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    struct sockaddr_in tls_addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    struct sockaddr_in admin_addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)admin_port)};
    if (inet_pton(AF_INET, bind_addr, &tls_addr.sin_addr) != 1) {
        fprintf(stderr, "platform_emu: --bind %s: not an IPv4 address\n", bind_addr);
        return 2;
    }
    admin_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* the admin endpoint is loopback only */
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    static int tls_marker;
    struct MHD_Daemon *gateway = MHD_start_daemon(
        flags | MHD_USE_TLS, 0, NULL, NULL, emu_access, &tls_marker, MHD_OPTION_SOCK_ADDR, &tls_addr,
        MHD_OPTION_HTTPS_CERT_CALLBACK, emu_server_cert_callback, MHD_OPTION_HTTPS_MEM_TRUST,
        emu_crypto_pem("ca.pem"), MHD_OPTION_NOTIFY_COMPLETED, emu_completed, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_END);
    struct MHD_Daemon *admin =
        gateway ? MHD_start_daemon(flags, 0, NULL, NULL, emu_access, NULL, MHD_OPTION_SOCK_ADDR, &admin_addr,
                                   MHD_OPTION_NOTIFY_COMPLETED, emu_completed, NULL, MHD_OPTION_END)
                : NULL;
    if (!gateway || !admin) {
        fprintf(stderr, "platform_emu: cannot listen on %s:%ld (gateway) and 127.0.0.1:%ld (admin): %s\n", bind_addr,
                port, admin_port, strerror(errno));
        return 1;
    }
    unsigned short bound = emu_daemon_port(gateway), admin_bound = emu_daemon_port(admin);
    printf("platform_emu: gateway https://%s:%u admin http://127.0.0.1:%u catalogue items %zu\n", bind_addr, bound,
           admin_bound, emu_catalogue_item_count());
    fflush(stdout);
    if (ready_file) {
        char tmp[4200];
        snprintf(tmp, sizeof tmp, "%s.tmp", ready_file);
        FILE *f = fopen(tmp, "w");
        if (!f || fprintf(f, "%u %u\n", bound, admin_bound) < 0 || fclose(f) != 0 || rename(tmp, ready_file) != 0) {
            fprintf(stderr, "platform_emu: cannot write %s\n", ready_file);
            return 1;
        }
    }
    int sig = 0;
    sigwait(&set, &sig);
    MHD_stop_daemon(admin);
    MHD_stop_daemon(gateway);
    emu_catalogue_close();
    emu_db_close();
    emu_crypto_free();
    return 0;
}
