/* Pinyin input through librime: the only file that includes rime_api.h.
 *
 * ime_pinyin_start deploys the kiosk's schema (pinyin_simp with the kiosk's dictionary of
 * Linyi place names, assets/rime/) into DATA_DIR/rime on a thread of its own (0.7 s the
 * first time, a few ms after that) and posts MSG_INPUT_READY. From then on the UI thread
 * feeds letters and reads the composition and a page of candidates; every call is quick
 * (well under a millisecond a key). The user dictionary is off: a shared kiosk must not learn
 * one resident's words and offer them to the next, and nothing typed is written to disk.
 * The rime session lives for one resident session and is destroyed at its end, with this
 * module's copies of the composition wiped (session.h). */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "firmware/core/msgqueue.h"

#define IME_PINYIN_PAGE_SIZE 8
#define IME_PINYIN_INPUT_MAX 60 /* letters in one composition; more are refused, not lost */
#define IME_CANDIDATE_TEXT_MAX 64

struct ime_pinyin_options {
    const char *shared_dir;  /* librime's shared data (/usr/share/rime-data) */
    const char *config_dir;  /* the kiosk's schema patches and dictionary (assets/rime) */
    const char *data_dir;    /* the unit's data directory: rime's deployed data go in rime/ */
};

/* Starts deployment on its own thread. 0, or a negative errno (nothing posted then). */
int ime_pinyin_start(struct msgqueue *queue, const struct ime_pinyin_options *options);
void ime_pinyin_stop(void);
/* The UI thread's note of MSG_INPUT_READY for pinyin (app.c passes it on). */
void ime_pinyin_note_ready(bool ready, const char *problem);
bool ime_pinyin_ready(void);
/* Why pinyin is unavailable, in English for technicians ("" while starting or when ready). */
const char *ime_pinyin_problem(void);

/* What the keyboard shows: the letters typed so far as rime segments them ("lin yi shi"),
 * and one page of candidates. */
struct ime_pinyin_view {
    char preedit[IME_PINYIN_INPUT_MAX * 2 + 8];
    int count;
    char candidates[IME_PINYIN_PAGE_SIZE][IME_CANDIDATE_TEXT_MAX];
    int page;          /* 0-based */
    bool last_page;
};

/* UI thread. A letter a-z (or ' to split syllables). 0; -EAGAIN when pinyin is not ready;
 * -ENOSPC when the composition is full (the key is refused). */
int ime_pinyin_type(char letter);
/* Delete: the last letter of the composition. true when there was one (false: the field's
 * own text should lose a character instead). */
bool ime_pinyin_delete(void);
/* Picks candidate index (0-based, on the current page). What it commits (possibly a part of
 * the composition, the rest stays to be picked) is appended to out. 0 or -EINVAL. */
int ime_pinyin_pick(int index, char *out, size_t out_size);
/* The next or previous page of candidates (delta +1 or -1). */
void ime_pinyin_page(int delta);
bool ime_pinyin_composing(void);
void ime_pinyin_view(struct ime_pinyin_view *view);
/* Drops the composition (field left, Done without a pick). */
void ime_pinyin_clear(void);
