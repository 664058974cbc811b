#include "firmware/platform/holder_worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/core/i18n.h"
#include "drivers/idcard/idcard_record.h"
#include "firmware/core/log.h"
#include "firmware/platform/trust.h"

/* The card fields the contract sends (section 4); copied, wiped after use. */
struct holder_card {
    char card_kind[16], id_number[64], name[96], name_en[256], birth[16], valid_from[16], valid_to[16];
};

static struct {
    pthread_t thread;
    bool running, stop;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct msgqueue *queue;
    struct sync_options options;
    bool fetch_pending, end_pending, otp_pending;
    struct holder_card card;   /* under lock until taken */
    unsigned card_request;     /* under lock: the request the card belongs to */
    char otp_code[HOLDER_OTP_DIGITS + 1]; /* under lock until taken; wiped once sent */
    unsigned otp_request;      /* under lock: the request the code belongs to */
    atomic_uint current;       /* the request whose answer is wanted */
    unsigned answering;        /* the worker's own: the request being answered */
    char session_id[96];       /* the worker's own */
    struct holder_card session_card; /* the worker's own: whose session waits for a code */
} holder = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

void holder_licences_free(struct holder_licences *licences)
{
    if (!licences)
        return;
    for (size_t i = 0; i < licences->count; i++)
        platform_licence_free(&licences->items[i].content);
    free(licences->items);
    explicit_bzero(licences, sizeof *licences);
    free(licences);
}

/* JSON string content: quotes, backslashes and control characters escaped. */
static void holder_json_escape(const char *in, char *out, size_t size)
{
    size_t o = 0;
    for (; *in && o + 7 < size; in++) {
        unsigned char c = (unsigned char)*in;
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20) {
            o += (size_t)snprintf(out + o, size - o, "\\u%04x", c);
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
}

static struct msg holder_message(enum holder_result result, const char *msgid, const char *reason)
{
    struct msg m = { .kind = MSG_HOLDER };
    m.u.holder.result = result;
    m.u.holder.request = holder.answering;
    m.u.holder.attempts_left = -1;
    snprintf(m.u.holder.msgid, sizeof m.u.holder.msgid, "%s", msgid ? msgid : "");
    snprintf(m.u.holder.reason, sizeof m.u.holder.reason, "%s", reason ? reason : "");
    return m;
}

static void holder_send(struct msg *m)
{
    if (msgqueue_post(holder.queue, m) < 0) {
        log_warn("holder", "message queue full; the licence answer is dropped");
        holder_licences_free(m->u.holder.licences);
    }
}

static void holder_post(enum holder_result result, struct holder_licences *licences, const char *msgid,
                        const char *reason)
{
    struct msg m = holder_message(result, msgid, reason);
    m.u.holder.licences = licences;
    holder_send(&m);
}

static void holder_answer_free(char *answer, size_t length)
{
    if (answer) {
        explicit_bzero(answer, length);
        free(answer);
    }
}

/* Verifies each entry (signature over the payload bytes, the licence id, the holder's number)
 * and keeps the ones that pass. */
static struct holder_licences *holder_verify(const struct platform_licence_entry *entries, size_t count,
                                             const char *id_number)
{
    struct holder_licences *list = calloc(1, sizeof *list);
    if (!list)
        return NULL;
    list->items = calloc(count ? count : 1, sizeof *list->items);
    if (!list->items) {
        free(list);
        return NULL;
    }
    for (size_t i = 0; i < count; i++) {
        char err[256];
        const struct platform_licence_entry *e = &entries[i];
        int rc = trust_verify_file_key(holder.options.paths.signing_key, e->payload, e->payload_length, e->signature,
                                       e->signature_length, err, sizeof err);
        if (rc < 0) {
            log_warn("holder", "licence %zu of %zu rejected: %s", i + 1, count,
                     rc == -EBADMSG ? "its signature does not verify with the platform key" : err);
            list->rejected++;
            continue;
        }
        struct holder_licence *l = &list->items[list->count];
        if (platform_licence_parse(e->payload, e->payload_length, &l->content, err, sizeof err) < 0) {
            log_warn("holder", "licence %zu of %zu rejected: %s", i + 1, count, err);
            list->rejected++;
            continue;
        }
        if (strcmp(l->content.licence_id, e->licence_id) || strcmp(l->content.holder_code, id_number)) {
            log_warn("holder", "licence %zu of %zu rejected: %s", i + 1, count,
                     strcmp(l->content.licence_id, e->licence_id) ? "its id differs from the list's"
                                                                  : "it is not the card holder's");
            platform_licence_free(&l->content);
            list->rejected++;
            continue;
        }
        l->printable = !strcmp(l->content.status, "valid");
        list->count++;
    }
    return list;
}

static void holder_list_licences(struct sync_client *client, const char *id_number);

static void holder_fetch(struct sync_client *client, const struct holder_card *card)
{
    char fields[7][600], body[8192], err[400];
    const char *values[7] = { card->card_kind, card->id_number, card->name, card->name_en,
                              card->birth,     card->valid_from, card->valid_to };
    for (int i = 0; i < 7; i++)
        holder_json_escape(values[i], fields[i], sizeof fields[i]);
    snprintf(body, sizeof body,
             "{\"card\":{\"card_kind\":\"%s\",\"id_number\":\"%s\",\"name\":\"%s\",\"name_en\":\"%s\","
             "\"birth\":\"%s\",\"valid_from\":\"%s\",\"valid_to\":\"%s\"},\"purpose\":\"licence_print\"}",
             fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6]);
    explicit_bzero(fields, sizeof fields);
    long status = 0;
    char *answer = NULL;
    size_t length = 0;
    int rc = sync_call(client, "POST", "/v1/sessions", body, NULL, &status, &answer, &length, err, sizeof err);
    explicit_bzero(body, sizeof body);
    if (rc < 0) {
        log_warn("holder", "session: %s", err);
        holder_post(HOLDER_OFFLINE, NULL,
                    N_("The government service platform cannot be reached just now. Please try again later, or ask "
                       "at a service window."),
                    err);
        return;
    }
    char code[64] = "";
    if (status != 201 && status != 202) {
        char message[200] = "";
        platform_error_parse(answer, length, code, sizeof code, message, sizeof message);
        holder_answer_free(answer, length);
        snprintf(err, sizeof err, "POST /v1/sessions: HTTP %ld %s", status, code);
        log_info("holder", "session refused: %s", err);
        const char *msgid = !strcmp(code, "card_expired")     ? N_("Your ID card has expired. Please renew it first.")
                            : !strcmp(code, "holder_unknown") ? N_("No licences were found for this card.")
                            : !strcmp(code, "card_mismatch")
                                ? N_("The card does not match the platform's records. Please ask at a service window.")
                                : N_("Your licences cannot be looked up just now. Please ask at a service window.");
        holder_post(HOLDER_REFUSED, NULL, msgid, err);
        return;
    }
    if (platform_json_string(answer, length, "session_id", holder.session_id, sizeof holder.session_id) < 0)
        holder.session_id[0] = '\0';
    if (status == 202) {
        /* A code went to the registered phone: the resident types it (holder_worker_submit_otp);
         * the card is kept for the licences' holder check until the session ends. */
        struct msg m = holder_message(HOLDER_OTP_REQUIRED, NULL, "session needs a one-time code");
        uint64_t seconds = 0;
        if (platform_json_string(answer, length, "phone_masked", m.u.holder.phone_masked,
                                 sizeof m.u.holder.phone_masked) < 0)
            m.u.holder.phone_masked[0] = '\0';
        if (platform_json_count(answer, length, "otp_expires_in_s", 3600, &seconds) < 0)
            seconds = 0; /* not said: the screen shows no countdown and the platform decides */
        m.u.holder.otp_expires_in_s = (int)seconds;
        holder_answer_free(answer, length);
        if (!holder.session_id[0]) {
            holder_post(HOLDER_REFUSED, NULL,
                        N_("Your licences cannot be looked up just now. Please ask at a service window."),
                        "POST /v1/sessions: 202 without a session_id");
            return;
        }
        holder.session_card = *card;
        log_info("holder", "session waits for a one-time code (valid %d s)", m.u.holder.otp_expires_in_s);
        holder_send(&m);
        return;
    }
    holder_answer_free(answer, length);
    holder_list_licences(client, card->id_number);
}

/* GET /v1/licences of the open session, each verified; one MSG_HOLDER. */
static void holder_list_licences(struct sync_client *client, const char *id_number)
{
    char err[400];
    long status = 0;
    char *answer = NULL;
    size_t length = 0;
    int rc = sync_call(client, "GET", "/v1/licences", NULL, holder.session_id, &status, &answer, &length, err, sizeof err);
    if (rc < 0 || status != 200) {
        if (rc == 0)
            snprintf(err, sizeof err, "GET /v1/licences: HTTP %ld", status);
        holder_answer_free(answer, length);
        log_warn("holder", "licences: %s", err);
        holder_post(rc < 0 ? HOLDER_OFFLINE : HOLDER_REFUSED, NULL,
                    N_("Your licences cannot be looked up just now. Please ask at a service window."), err);
        return;
    }
    struct platform_licence_entry *entries = NULL;
    size_t count = 0;
    rc = platform_licences_parse(answer, length, &entries, &count, err, sizeof err);
    holder_answer_free(answer, length);
    if (rc < 0) {
        log_warn("holder", "licences: %s", err);
        holder_post(HOLDER_REFUSED, NULL, N_("Your licences cannot be looked up just now. Please ask at a service window."),
                    err);
        return;
    }
    struct holder_licences *list = holder_verify(entries, count, id_number);
    platform_licence_entries_free(entries, count);
    if (!list) {
        holder_post(HOLDER_REFUSED, NULL, N_("Your licences cannot be looked up just now. Please ask at a service window."),
                    "out of memory");
        return;
    }
    log_info("holder", "licences: %zu verified, %zu rejected", list->count, list->rejected);
    holder_post(HOLDER_OK, list, NULL, NULL);
}

/* sync_call's reason without "METHOD PATH: " in front: a holder's path holds the session id,
 * which is the holder's bearer credential and stays out of logs. */
static const char *holder_without_path(const char *err, const char *path)
{
    const char *at = strstr(err, path);
    if (at && !strncmp(at + strlen(path), ": ", 2))
        return at + strlen(path) + 2;
    return at ? "the platform was not reached" : err;
}

static void holder_end(struct sync_client *client)
{
    if (!holder.session_id[0])
        return;
    char path[160], err[300], *answer = NULL;
    long status = 0;
    size_t length = 0;
    snprintf(path, sizeof path, "/v1/sessions/%s", holder.session_id);
    if (sync_call(client, "DELETE", path, NULL, holder.session_id, &status, &answer, &length, err, sizeof err) < 0)
        log_info("holder", "ending the session: %s (it expires on its own)", holder_without_path(err, path));
    holder_answer_free(answer, length);
    explicit_bzero(holder.session_id, sizeof holder.session_id);
    explicit_bzero(&holder.session_card, sizeof holder.session_card);
}

/* POST /v1/sessions/{id}/otp with the code the resident typed (docs/platform-api.md §4). The
 * code is never logged and is wiped by the caller. 200 goes on as a 201 session does; a
 * wrong code leaves the session waiting; an expired or locked one ends it. */
static void holder_submit_otp(struct sync_client *client, const char *code)
{
    if (!holder.session_id[0] || !holder.session_card.id_number[0]) {
        holder_post(HOLDER_OTP_EXPIRED, NULL, NULL, "no session waits for a code");
        return;
    }
    char path[160], body[64], err[400], error_code[64] = "", message[200] = "";
    snprintf(path, sizeof path, "/v1/sessions/%s/otp", holder.session_id);
    snprintf(body, sizeof body, "{\"code\":\"%s\"}", code);
    long status = 0;
    char *answer = NULL;
    size_t length = 0;
    int rc = sync_call(client, "POST", path, body, holder.session_id, &status, &answer, &length, err, sizeof err);
    explicit_bzero(body, sizeof body);
    if (rc < 0) {
        /* The session still waits: the resident may press OK again once the link is back. */
        const char *why = holder_without_path(err, path);
        log_warn("holder", "one-time code not sent: %s", why);
        holder_post(HOLDER_OFFLINE, NULL,
                    N_("The government service platform cannot be reached just now. Please press OK again in a "
                       "moment, or ask at a service window."),
                    why);
        return;
    }
    if (status == 200) {
        holder_answer_free(answer, length);
        if (holder.answering != atomic_load(&holder.current)) {
            /* The resident left while the code was checked: nobody's licences are fetched. */
            log_info("holder", "one-time code accepted after the resident left; licences not fetched");
            return;
        }
        log_info("holder", "one-time code accepted");
        holder_list_licences(client, holder.session_card.id_number);
        return;
    }
    platform_error_parse(answer, length, error_code, sizeof error_code, message, sizeof message);
    uint64_t left = 0;
    bool left_known = platform_error_detail_count(answer, length, "attempts_left", 99, &left) == 0;
    holder_answer_free(answer, length);
    snprintf(err, sizeof err, "POST /v1/sessions/…/otp: HTTP %ld %s", status, error_code);
    if (status == 401 && !strcmp(error_code, "otp_invalid")) {
        struct msg m = holder_message(HOLDER_OTP_INVALID, NULL, err);
        m.u.holder.attempts_left = left_known ? (int)left : -1;
        log_info("holder", "one-time code wrong (%d tries left)", m.u.holder.attempts_left);
        holder_send(&m);
        return;
    }
    if (status >= 500) { /* the platform's trouble, not the code's: the session still waits */
        log_warn("holder", "one-time code not checked: %s", err);
        holder_post(HOLDER_OFFLINE, NULL,
                    N_("The government service platform cannot be reached just now. Please press OK again in a "
                       "moment, or ask at a service window."),
                    err);
        return;
    }
    /* Expired, locked, or a session the platform no longer knows: this session is over; a
     * new one (a new code) is the way on, or staff for a locked one. */
    log_info("holder", "one-time code refused: %s", err);
    holder_end(client);
    if (status == 429 || !strcmp(error_code, "otp_locked"))
        holder_post(HOLDER_OTP_LOCKED, NULL, NULL, err);
    else if (status == 410 || status == 401 || status == 404)
        holder_post(HOLDER_OTP_EXPIRED, NULL, NULL, err);
    else
        holder_post(HOLDER_REFUSED, NULL,
                    N_("Your licences cannot be looked up just now. Please ask at a service window."), err);
}

static void *holder_main(void *unused)
{
    (void)unused;
    struct sync_client *client = NULL;
    for (;;) {
        pthread_mutex_lock(&holder.lock);
        while (!holder.stop && !holder.fetch_pending && !holder.end_pending && !holder.otp_pending)
            pthread_cond_wait(&holder.wake, &holder.lock);
        if (holder.stop) {
            pthread_mutex_unlock(&holder.lock);
            break;
        }
        bool end = holder.end_pending, fetch = holder.fetch_pending;
        /* A code for a session that is ending or being replaced by a new card is for nobody. */
        bool otp = holder.otp_pending && !end && !fetch && holder.otp_request == atomic_load(&holder.current);
        struct holder_card card = holder.card;
        char code[sizeof holder.otp_code];
        memcpy(code, holder.otp_code, sizeof code);
        holder.answering = otp ? holder.otp_request : holder.card_request;
        explicit_bzero(&holder.card, sizeof holder.card);
        explicit_bzero(holder.otp_code, sizeof holder.otp_code);
        holder.end_pending = holder.fetch_pending = holder.otp_pending = false;
        pthread_mutex_unlock(&holder.lock);
        char err[300];
        if (!client && sync_client_open(&holder.options, &client, err, sizeof err) < 0) {
            log_error("holder", "%s", err);
            client = NULL;
            if (fetch)
                holder_post(HOLDER_OFFLINE, NULL,
                            N_("The government service platform cannot be reached just now. Please try again later, or "
                               "ask at a service window."),
                            err);
            if (otp)
                holder_post(HOLDER_OFFLINE, NULL,
                            N_("The government service platform cannot be reached just now. Please press OK again "
                               "in a moment, or ask at a service window."),
                            err);
            explicit_bzero(&card, sizeof card);
            explicit_bzero(code, sizeof code);
            continue;
        }
        if (end)
            holder_end(client);
        if (fetch) {
            holder_end(client); /* a new card: the last holder's session is over */
            holder_fetch(client, &card);
        }
        if (otp)
            holder_submit_otp(client, code);
        explicit_bzero(&card, sizeof card);
        explicit_bzero(code, sizeof code);
    }
    if (client) {
        holder_end(client);
        sync_client_close(client);
    }
    return NULL;
}

int holder_worker_start(struct msgqueue *queue, const struct sync_options *options)
{
    if (!options->url[0])
        return -ENOTCONN;
    holder.queue = queue;
    holder.options = *options;
    holder.stop = false;
    int rc = pthread_create(&holder.thread, NULL, holder_main, NULL);
    if (rc)
        return -rc;
    holder.running = true;
    return 0;
}

void holder_worker_stop(void)
{
    if (!holder.running)
        return;
    pthread_mutex_lock(&holder.lock);
    holder.stop = true;
    pthread_cond_signal(&holder.wake);
    pthread_mutex_unlock(&holder.lock);
    pthread_join(holder.thread, NULL);
    holder.running = false;
    explicit_bzero(&holder.card, sizeof holder.card);
    explicit_bzero(holder.otp_code, sizeof holder.otp_code);
    holder.otp_pending = false;
}

bool holder_worker_running(void)
{
    return holder.running;
}

int holder_worker_fetch_licences(const struct idcard_record *card)
{
    if (!holder.running)
        return -ESRCH;
    pthread_mutex_lock(&holder.lock);
    if (holder.fetch_pending) {
        pthread_mutex_unlock(&holder.lock);
        return -EBUSY;
    }
    struct holder_card *c = &holder.card;
    snprintf(c->card_kind, sizeof c->card_kind, "%s", idcard_card_kind_name(card->card_kind));
    snprintf(c->id_number, sizeof c->id_number, "%s", card->id_number);
    snprintf(c->name, sizeof c->name, "%s", card->name);
    snprintf(c->name_en, sizeof c->name_en, "%s", card->name_en);
    snprintf(c->birth, sizeof c->birth, "%s", card->birth);
    snprintf(c->valid_from, sizeof c->valid_from, "%s", card->valid_from);
    snprintf(c->valid_to, sizeof c->valid_to, "%s", card->valid_to);
    holder.card_request = atomic_fetch_add(&holder.current, 1) + 1;
    holder.fetch_pending = true;
    pthread_cond_signal(&holder.wake);
    pthread_mutex_unlock(&holder.lock);
    return 0;
}

int holder_worker_submit_otp(unsigned request, const char *code)
{
    if (!holder.running)
        return -ESRCH;
    if (strlen(code) != HOLDER_OTP_DIGITS || strspn(code, "0123456789") != HOLDER_OTP_DIGITS)
        return -EINVAL;
    if (request != atomic_load(&holder.current))
        return -ESTALE;
    pthread_mutex_lock(&holder.lock);
    if (holder.fetch_pending || holder.otp_pending) {
        pthread_mutex_unlock(&holder.lock);
        return -EBUSY;
    }
    memcpy(holder.otp_code, code, HOLDER_OTP_DIGITS + 1);
    holder.otp_request = request;
    holder.otp_pending = true;
    pthread_cond_signal(&holder.wake);
    pthread_mutex_unlock(&holder.lock);
    return 0;
}

unsigned holder_worker_current_request(void)
{
    return atomic_load(&holder.current);
}

void holder_worker_end_session(void)
{
    atomic_fetch_add(&holder.current, 1); /* an answer still on its way is for nobody now */
    if (!holder.running)
        return;
    pthread_mutex_lock(&holder.lock);
    holder.end_pending = true;
    pthread_cond_signal(&holder.wake);
    pthread_mutex_unlock(&holder.lock);
}
