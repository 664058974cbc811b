/* The catalogue worker: at start-up, off the UI thread, loads the stored catalogue (or the
 * seed when none is stored, or when the seed is newer), builds the search index, and posts
 * MSG_CATALOGUE_READY. The UI shows "loading" until then; a 100,000-item catalogue never
 * delays the first frame. */
#pragma once
#include "firmware/core/msgqueue.h"

struct catalogue_worker_options {
    const char *db_path;   /* the unit's SQLite file */
    const char *seed_path; /* JSON document used when nothing newer is stored */
};

/* Starts the worker; 0, or -1 when the thread cannot start (then nothing is posted). */
int catalogue_worker_start(struct msgqueue *queue, const struct catalogue_worker_options *options);
/* Waits for the worker to finish (shutdown). */
void catalogue_worker_join(void);
/* Frees what a MSG_CATALOGUE_READY carries, for messages nobody took (shutdown). */
void catalogue_worker_free_result(struct msg_catalogue *result);
/* Frees a catalogue and its index on a short-lived thread of its own: freeing 100,000 items
 * takes about a tenth of a second, which the UI thread must not spend when it swaps in a
 * new catalogue. Frees at once when no thread can start. Either may be NULL. */
void catalogue_worker_free_later(struct catalogue *catalogue, struct search_index *index);
