/* What the screens ask of the unit: its config, catalogue, platform link, the resident's
 * licences and the devices' state, and the few things a screen may change (language, 长辈模式,
 * ending the session, maintenance). The application (firmware/app/app.c), the composition
 * root, implements these on the UI thread; screens include this and nothing of firmware/app,
 * so the arrows run from the app down to the screens only. UI thread only. */
#pragma once
#include <stdbool.h>

#include "firmware/core/msg.h"
#include "firmware/gfx/render.h"
#include "firmware/session/session.h"
#include "firmware/storage/config.h"

struct catalogue;
struct search_index;
struct holder_licences;

struct render *app_render(void);
/* A resident's submission (a request body of docs/platform-api.md) for the platform link:
 * kind is an enum outbox_kind. 0 with *request, or -ESRCH when this unit has no platform
 * link, -EBUSY, -ENOMEM. Its states arrive at the top screen as MSG_SUBMISSION. */
int app_submit(int kind, const char *body, size_t len, unsigned *request);
/* The board this unit runs on ("sim"), for the technician's unit information. */
const char *app_board_name(void);
const struct config *app_config(void);

/* The catalogue and its search index; NULL while the worker is still loading or when no
 * catalogue could be loaded (then app_catalogue_problem says so in plain words). */
const struct catalogue *app_catalogue(void);
/* The platform link as the UI knows it: NULL when none is configured, else the last
 * MSG_PLATFORM_STATUS (online is -1 until the first one). */
const struct msg_platform_status *app_platform_status(void);
const struct search_index *app_search_index(void);
const char *app_catalogue_problem(void);
/* The identified resident's verified licences (holder_worker.h); NULL until they arrive, and
 * after the session ends. */
const struct holder_licences *app_holder_licences(void);

void app_set_language(const char *language);
void app_set_elder_mode(bool on);
/* Ends the resident session: pops to home and runs every wipe callback. */
void app_end_session(enum session_end_reason reason);
/* Technician: take the unit out of service (or back); reason is an English msgid. */
void app_set_maintenance(bool on);
bool app_in_maintenance(void);
bool app_device_present(enum device_id device);
/* True while a device's worker has started but not yet said how the device is (scripts wait
 * for that before they pretend a device state, or the worker's first report would undo it). */
bool app_device_awaiting_first_report(enum device_id device);
const char *app_device_reason(enum device_id device);
const char *app_device_name(enum device_id device); /* translated */
/* The first reason the unit cannot serve residents, translated; NULL when it can. */
const char *app_out_of_service_reason(void);
