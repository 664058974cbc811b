/* An 80 mm (or 58 mm) ESC/POS thermal receipt printer model on the far side of a pty.
 *
 * A driver opens the slave path as it opens /dev/usb/lp0 or a serial port and sends the
 * real bytes (../shared/reference/printers.md part A); the model parses them with its own
 * parser, written from the reference independently of drivers/, renders what would come
 * out of the head into a 1-bit page, and writes each cut receipt as a PNG
 * (OUT/receipt-0001.png, ...) at the profile's width. Status requests (DLE EOT 1-4,
 * GS r 1) are answered with one byte on the wire, as a printer's IN endpoint would.
 *
 * Simplification, on purpose: while stopped (paper end, cover open, offline, cutter jam)
 * the model drops print data instead of holding it, so a host that restores the printer
 * and resends its job gets exactly one complete receipt, and GS r is never answered for
 * dropped data. Real-time commands (DLE EOT, DLE ENQ) are always answered.
 *
 * The model runs in its own thread; every function below may be called from any thread. */
#ifndef ESCPOS_MODEL_H
#define ESCPOS_MODEL_H

struct escpos_model;

struct escpos_model_options {
    const char *out_dir;     /* where receipt-NNNN.png go; must exist */
    unsigned width_dots;     /* 0 = 576 (80 mm at 203 dpi); 384 for 58 mm */
    const char *fault;       /* NULL or "none" for none */
    unsigned fault_rows;     /* N of paper-out-after */
};

/* Opens the pty pair and starts the thread. 0, or a negative errno (-EINVAL for an
 * unknown fault or a width that is not a multiple of 8). */
int escpos_model_start(struct escpos_model **model_out, const struct escpos_model_options *options);

/* The slave path (e.g. /dev/pts/5) a driver opens. Valid until escpos_model_stop. */
const char *escpos_model_slave_path(const struct escpos_model *model);

/* Sets the fault mode; rows is paper-out-after's N (ignored by the others). "none" clears
 * every fault and error. 0, or -EINVAL for an unknown name. */
int escpos_model_set_fault(struct escpos_model *model, const char *fault, unsigned rows);

/* A new roll: clears paper end and near end, and printing resumes. */
void escpos_model_restore_paper(struct escpos_model *model);

struct escpos_model_stats {
    unsigned long receipts;        /* PNGs written */
    unsigned long rows;            /* dot rows that reached the paper */
    unsigned long errors;          /* unknown or malformed commands */
    unsigned long overflows;       /* small-buffer bands garbled */
    unsigned long overflow_bytes;  /* bytes those bands lost */
    unsigned long dropped;         /* commands dropped while stopped */
    unsigned long replies;         /* status bytes sent */
};
void escpos_model_get_stats(struct escpos_model *model, struct escpos_model_stats *stats);

/* Stops the thread, closes the pty and frees the model. NULL is fine. */
void escpos_model_stop(struct escpos_model *model);

/* NULL-terminated list of the names set_fault accepts. */
const char *const *escpos_model_fault_names(void);

#endif
