/* Who is at the kiosk: the record of the ID card read in this session. It is the only
 * place the UI keeps a card record; the session's end wipes it (explicit_bzero) with every
 * other personal datum. UI thread only. */
#pragma once
#include <stdbool.h>

struct idcard_record;

/* Registers the session wipe; call once at start-up. */
void identity_init(void);
/* Takes ownership of record (from MSG_CARD_READ); a previous one is wiped first. */
void identity_take(struct idcard_record *record);
/* The current record, or NULL. */
const struct idcard_record *identity_current(void);
/* Wipes and frees the record now (session end, a new card, or the resident leaving). */
void identity_forget(void);
