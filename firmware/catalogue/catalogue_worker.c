#include "firmware/catalogue/catalogue_worker.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/catalogue/catalogue.h"
#include "firmware/core/log.h"
#include "firmware/catalogue/search.h"

static struct {
    pthread_t thread;
    bool running;
    struct msgqueue *queue;
    char db_path[1024];
    char seed_path[1024];
} catalogue_worker;

/* The catalogue to use: the stored one, unless the seed is newer (a sim board's seed moves
 * on with the source; a real unit's stored catalogue comes from the platform and is newer). */
static struct catalogue *catalogue_worker_choose(char *err, size_t errlen)
{
    char stored_err[256] = "", seed_err[256] = "";
    struct catalogue *stored = NULL, *seed = NULL;
    if (catalogue_load_stored(catalogue_worker.db_path, &stored, stored_err, sizeof stored_err) < 0)
        stored = NULL;
    if (catalogue_worker.seed_path[0] &&
        catalogue_load_file(catalogue_worker.seed_path, &seed, seed_err, sizeof seed_err) < 0) {
        log_warn("catalogue", "seed not usable: %s", seed_err);
        seed = NULL;
    }
    if (seed && (!stored || strcmp(seed->version, stored->version) > 0)) {
        char store_err[256];
        if (catalogue_store(seed, catalogue_worker.db_path, store_err, sizeof store_err) < 0)
            log_warn("catalogue", "cannot store the seed catalogue: %s", store_err);
        catalogue_free(stored);
        log_info("catalogue", "using seed catalogue %s (%zu items)", seed->version, seed->item_count);
        return seed;
    }
    catalogue_free(seed);
    if (stored) {
        log_info("catalogue", "using stored catalogue %s (%zu items)", stored->version, stored->item_count);
        return stored;
    }
    snprintf(err, errlen, "no catalogue: stored: %.110s; seed: %.110s", stored_err[0] ? stored_err : "none",
             seed_err[0] ? seed_err : "none");
    return NULL;
}

static void *catalogue_worker_main(void *arg)
{
    (void)arg;
    struct msg m = { .kind = MSG_CATALOGUE_READY };
    struct msg_catalogue *result = &m.u.catalogue;
    result->catalogue = catalogue_worker_choose(result->error, sizeof result->error);
    if (result->catalogue) {
        result->index = search_index_build(result->catalogue, result->error, sizeof result->error);
        if (!result->index) {
            catalogue_free(result->catalogue);
            result->catalogue = NULL;
        }
    }
    if (!result->catalogue)
        log_error("catalogue", "%s", result->error);
    if (msgqueue_post(catalogue_worker.queue, &m) < 0) {
        log_error("catalogue", "message queue full; catalogue dropped");
        catalogue_worker_free_result(result);
    }
    return NULL;
}

int catalogue_worker_start(struct msgqueue *queue, const struct catalogue_worker_options *options)
{
    catalogue_worker.queue = queue;
    snprintf(catalogue_worker.db_path, sizeof catalogue_worker.db_path, "%s", options->db_path);
    snprintf(catalogue_worker.seed_path, sizeof catalogue_worker.seed_path, "%s",
             options->seed_path ? options->seed_path : "");
    if (pthread_create(&catalogue_worker.thread, NULL, catalogue_worker_main, NULL) != 0) {
        log_error("catalogue", "cannot start the catalogue worker");
        return -1;
    }
    catalogue_worker.running = true;
    return 0;
}

void catalogue_worker_join(void)
{
    if (catalogue_worker.running)
        pthread_join(catalogue_worker.thread, NULL);
    catalogue_worker.running = false;
}

void catalogue_worker_free_result(struct msg_catalogue *result)
{
    search_index_free(result->index);
    catalogue_free(result->catalogue);
    result->index = NULL;
    result->catalogue = NULL;
}

struct catalogue_garbage {
    struct catalogue *catalogue;
    struct search_index *index;
};

static void *catalogue_worker_free_main(void *arg)
{
    struct catalogue_garbage *garbage = arg;
    search_index_free(garbage->index);
    catalogue_free(garbage->catalogue);
    free(garbage);
    return NULL;
}

void catalogue_worker_free_later(struct catalogue *catalogue, struct search_index *index)
{
    if (!catalogue && !index)
        return;
    struct catalogue_garbage *garbage = malloc(sizeof *garbage);
    pthread_t thread;
    pthread_attr_t attr;
    bool started = false;
    if (garbage && pthread_attr_init(&attr) == 0) {
        *garbage = (struct catalogue_garbage){ catalogue, index };
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        started = pthread_create(&thread, &attr, catalogue_worker_free_main, garbage) == 0;
        pthread_attr_destroy(&attr);
    }
    if (!started) {
        free(garbage);
        search_index_free(index);
        catalogue_free(catalogue);
    }
}
