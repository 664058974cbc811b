/* The simulator's hands on its device models: lay a card on the reader model or lift it, set
 * a reader or printer fault. Only the sim board defines board_sim_devices(); the script
 * runner's sim commands (reader, card, printer) are its one user. The declaration is weak, so
 * a board without simulated devices adds nothing for it: the address is then NULL and those
 * commands say that this board has no simulated devices. */
#pragma once

struct board_sim_devices {
    /* Lays a fixture card on the reader model, lifts it, or sets a fault ("none" clears).
     * 0, -ENOTSUP (no reader model: [devices] idcard_reader is not sim) or a negative errno. */
    int (*card_place)(const char *fixture);
    int (*card_remove)(void);
    int (*reader_fault)(const char *fault);
    /* Waits (up to timeout_ms) until the driver has sent the reader model `commands` more
     * commands: a hand lifting a card holds it away until the reader has looked, which a
     * script's instant steps would otherwise skip. 0, -ETIMEDOUT or -ENOTSUP. */
    int (*reader_wait_commands)(unsigned long commands, int timeout_ms);
    /* A fault on the receipt printer model (escpos_model_fault_names; "none" clears every
     * fault and loads paper); rows is paper-out-after's N. 0, -ENOTSUP or a negative errno. */
    int (*receipt_fault)(const char *fault, unsigned rows);
    /* A fault on the PCL laser model (pcl_model_fault_names; "none" clears it and loads
     * paper). 0, -ENOTSUP or a negative errno. */
    int (*cert_printer_fault)(const char *fault, unsigned rows);
};

/* The sim board's devices. Test the function's address first: a real board does not define
 * it. */
const struct board_sim_devices *board_sim_devices(void) __attribute__((weak));
