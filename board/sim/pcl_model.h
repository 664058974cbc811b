/* A PCL 5 A4 laser model on the far side of a pty (../shared/reference/printers.md B1; port status bits from its USB printer-class notes).
 *
 * A driver opens the slave path as it opens /dev/usb/lp0 and sends the real bytes; the
 * model decodes them with its own decoder (pcl_decode.h) and writes each page that comes out
 * as a true 1-bit PNG at its dpi (OUT/page-0001.png, ...: 2480 x 3508 for A4 at 300 dpi).
 *
 * What a pty cannot carry, the USB printer class's control requests, the model offers as
 * functions with the driver's callback signatures (pcl.h): pcl_model_port_status answers
 * GET_PORT_STATUS (0x18 ready; 0x28 paper empty; 0x10 error), pcl_model_soft_reset does
 * SOFT_RESET (input buffer and half-printed page dropped). The sim board and the tests hand
 * them to the job runner; a driver in another process (pcl_sim) has neither, as over a
 * plain serial or parallel link.
 *
 * Faults: paper-empty-after N (the Nth row finds no paper: the page in progress is lost,
 * the printer stops taking data and keeps what it has, as a laser's input buffer does),
 * paper-empty (from the start), error (jam or open door: stops, port says error).
 * pcl_model_restore loads paper / clears the error, and printing goes on with what was kept
 * unless a soft reset dropped it.
 *
 * The model runs in its own thread; every function below may be called from any thread. */
#ifndef PCL_MODEL_H
#define PCL_MODEL_H
#include <stdint.h>

struct pcl_model;

struct pcl_model_options {
    const char *out_dir;      /* where page-NNNN.png go; must exist */
    const char *fault;        /* NULL or "none" */
    unsigned fault_rows;      /* paper-empty-after's N */
};

/* Opens the pty pair and starts the thread. 0, or a negative errno (-EINVAL: unknown fault). */
int pcl_model_start(struct pcl_model **model_out, const struct pcl_model_options *options);
const char *pcl_model_slave_path(const struct pcl_model *model);
/* Sets a fault ("none" clears every fault). 0, or -EINVAL for an unknown name. */
int pcl_model_set_fault(struct pcl_model *model, const char *fault, unsigned rows);
/* Paper loaded, error cleared: the printer takes data again. */
void pcl_model_restore(struct pcl_model *model);
/* pcl_port_status_fn and pcl_soft_reset_fn (pcl.h); context is the model. */
int pcl_model_port_status(void *model, uint8_t *status);
int pcl_model_soft_reset(void *model);

struct pcl_model_stats {
    unsigned long pages;      /* PNGs written */
    unsigned long rows;       /* raster rows that reached paper */
    unsigned long errors;     /* commands not understood */
    unsigned long bytes;      /* bytes taken off the wire */
    unsigned long resets;     /* soft resets */
};
void pcl_model_get_stats(struct pcl_model *model, struct pcl_model_stats *stats);
/* Stops the thread, closes the pty and frees the model. NULL is fine. */
void pcl_model_stop(struct pcl_model *model);
/* NULL-terminated list of the fault names. */
const char *const *pcl_model_fault_names(void);

#endif
