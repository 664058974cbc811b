/* A GA 467 SAM ID card reader model on the far side of a pseudo-terminal.
 *
 * The driver opens the slave path exactly as it opens /dev/ttyUSB0 and speaks the real
 * frame protocol (docs: ../shared/reference/idcard-ga467.md); the model parses those bytes
 * and answers with bytes, paced at the configured baud rate, so drivers, tests and
 * technicians meet the same wire a real reader gives them. The model has its own frame
 * code, written from the reference independently of drivers/: two implementations that
 * meet on the wire are what makes the protocol tests worth running.
 *
 * The model runs in its own thread; every function below may be called from any thread. */
#ifndef IDCARD_MODEL_H
#define IDCARD_MODEL_H

#include <stddef.h>

struct idcard_model;

struct idcard_model_options {
    unsigned baud;        /* pace of the replies (bytes x 10 / baud); 0 = 115200 */
    unsigned delay_ms;    /* processing delay before each reply */
    unsigned slow_ms;     /* extra delay per command under the "slow" fault; 0 = 1000 */
    const char *card;     /* fixture on the reader at start, NULL for none */
    const char *fault;    /* fault mode at start, NULL or "none" for none */
};

/* Opens the pty pair and starts the model's thread. Returns 0, or a negative errno
 * (-EINVAL for an unknown fixture or fault name). */
int idcard_model_start(struct idcard_model **model_out, const struct idcard_model_options *options);

/* The slave path (e.g. /dev/pts/5) a driver opens. Valid until idcard_model_stop. */
const char *idcard_model_slave_path(const struct idcard_model *model);

/* Lays a card on the reader (replacing any). 0, or -EINVAL for an unknown fixture. */
int idcard_model_place_card(struct idcard_model *model, const char *fixture);

/* Lifts the card off the reader. */
void idcard_model_remove_card(struct idcard_model *model);

/* Sets the fault mode ("none" or NULL clears it). 0, or -EINVAL for an unknown name. */
int idcard_model_set_fault(struct idcard_model *model, const char *fault);

/* Counts since start, for tests that compare the time taken against the wire time. */
struct idcard_model_stats {
    unsigned long commands;     /* complete host frames answered (or swallowed) */
    unsigned long reply_bytes;  /* bytes written towards the host, junk included */
};
void idcard_model_get_stats(struct idcard_model *model, struct idcard_model_stats *stats);

/* Stops the thread, closes the pty and frees the model. NULL is fine. */
void idcard_model_stop(struct idcard_model *model);

/* NULL-terminated lists of the names place_card and set_fault accept. */
const char *const *idcard_model_fixture_names(void);
const char *const *idcard_model_fault_names(void);

#endif
