/* ESC/POS status decoding. Sources: ../shared/reference/printers.md A5 (Epson TM-U220,
 * Bixolon SRP-350, Citizen CT-S2000 appendix for the reply patterns). */
#include "drivers/escpos/escpos_status.h"

#include <errno.h>
#include <stddef.h>

#include "firmware/core/i18n.h"

bool escpos_status_is_realtime_reply(uint8_t b)
{
    /* Any other byte is a late GS r reply, an ASB byte or line noise, not a status. */
    return (b & 0x93) == 0x12;
}

int escpos_status_decode_realtime(struct escpos_status *status, int n, uint8_t b)
{
    if (n < 1 || n > 4)
        return -EINVAL;
    if (!escpos_status_is_realtime_reply(b))
        return -EBADMSG;
    bool bit2 = b & 0x04, bit3 = b & 0x08, bit5 = b & 0x20, bit6 = b & 0x40;
    switch (n) {
    case 1: status->offline = bit3; break;
    case 2:
        status->cover_open = bit2;
        status->feed_button = bit3;
        status->stopped_paper_end = bit5;
        status->error = bit6;
        break;
    case 3:
        status->mechanical_error = bit2;
        status->cutter_error = bit3;
        status->unrecoverable_error = bit5;
        status->recoverable_error = bit6;
        break;
    case 4:
        /* Printers set both bits of a pair; either one is taken as the sensor's word. */
        status->paper_near_end = bit2 || bit3;
        status->paper_end = bit5 || bit6;
        break;
    }
    status->answered |= 1u << n;
    return 0;
}

int escpos_status_decode_paper_sensor(struct escpos_status *status, uint8_t b)
{
    if ((b & 0x90) != 0)
        return -EBADMSG;
    status->paper_near_end = b & 0x03;
    status->paper_end = b & 0x0C;
    status->answered |= 1u;
    return 0;
}

enum escpos_condition escpos_status_condition(const struct escpos_status *status)
{
    if (status->unrecoverable_error || status->mechanical_error)
        return ESCPOS_CONDITION_UNRECOVERABLE_ERROR;
    if (status->cutter_error)
        return ESCPOS_CONDITION_CUTTER_ERROR;
    if (status->cover_open)
        return ESCPOS_CONDITION_COVER_OPEN;
    if (status->paper_end || status->stopped_paper_end)
        return ESCPOS_CONDITION_PAPER_END;
    if (status->recoverable_error)
        return ESCPOS_CONDITION_RECOVERABLE_ERROR;
    /* Offline or "an error occurred" with no cause reported: still not usable. */
    if (status->offline || status->error || status->feed_button)
        return ESCPOS_CONDITION_OFFLINE;
    if (status->paper_near_end)
        return ESCPOS_CONDITION_PAPER_NEAR_END;
    return ESCPOS_CONDITION_READY;
}

bool escpos_condition_blocks_printing(enum escpos_condition condition)
{
    return condition != ESCPOS_CONDITION_READY && condition != ESCPOS_CONDITION_PAPER_NEAR_END;
}

const char *escpos_condition_resident_msgid(enum escpos_condition condition)
{
    switch (condition) {
    case ESCPOS_CONDITION_READY:
    case ESCPOS_CONDITION_PAPER_NEAR_END: return NULL;
    case ESCPOS_CONDITION_RECOVERABLE_ERROR:
        return N_("The receipt printer needs a moment to cool down. Please wait a minute and try again.");
    case ESCPOS_CONDITION_OFFLINE:
        return N_("The receipt printer is not ready. Please ask staff for help, or come back tomorrow.");
    case ESCPOS_CONDITION_PAPER_END:
        return N_("The receipt printer is out of paper. Please ask staff for help, or come back tomorrow.");
    case ESCPOS_CONDITION_COVER_OPEN:
        return N_("The receipt printer's cover is open. Please ask staff for help, or come back tomorrow.");
    case ESCPOS_CONDITION_CUTTER_ERROR:
        return N_("The receipt printer is jammed. Please ask staff for help, or come back tomorrow.");
    case ESCPOS_CONDITION_UNRECOVERABLE_ERROR:
        return N_("The receipt printer is broken. Please ask staff for help, or come back tomorrow.");
    case ESCPOS_CONDITION_NOT_ANSWERING:
        return N_("The receipt printer is not answering. Please ask staff for help, or come back tomorrow.");
    }
    return N_("The receipt printer is not ready. Please ask staff for help, or come back tomorrow.");
}

const char *escpos_condition_technician_text(enum escpos_condition condition)
{
    switch (condition) {
    case ESCPOS_CONDITION_READY: return "receipt printer ready";
    case ESCPOS_CONDITION_PAPER_NEAR_END: return "receipt printer: paper near end; replace the roll soon";
    case ESCPOS_CONDITION_RECOVERABLE_ERROR:
        return "receipt printer: auto-recoverable error (print head too hot?); it clears by itself";
    case ESCPOS_CONDITION_OFFLINE: return "receipt printer offline (feed button held or error without a cause)";
    case ESCPOS_CONDITION_PAPER_END: return "receipt printer: paper end; load a new roll";
    case ESCPOS_CONDITION_COVER_OPEN: return "receipt printer: cover open; close it";
    case ESCPOS_CONDITION_CUTTER_ERROR: return "receipt printer: autocutter error; clear the jam, then power-cycle";
    case ESCPOS_CONDITION_UNRECOVERABLE_ERROR:
        return "receipt printer: unrecoverable or mechanical error; power-cycle, then replace if it persists";
    case ESCPOS_CONDITION_NOT_ANSWERING:
        return "receipt printer: no valid status reply; check the cable, power and the profile's status setting";
    }
    return "receipt printer: unknown condition";
}
