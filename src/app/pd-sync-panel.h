/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-panel.h — the Sync view: sign-in state, next scheduled run, Sync now / Cancel, live
 * stage / progress / counts / rate / ETA, and past runs with their reports (replaced local
 * edits with old and new values, failed customers with their error and Retry).
 */
#pragma once

#include <adwaita.h>

#include "pd-session.h"

G_BEGIN_DECLS

#define PD_TYPE_SYNC_PANEL (pd_sync_panel_get_type ())
G_DECLARE_FINAL_TYPE (PdSyncPanel, pd_sync_panel, PD, SYNC_PANEL, AdwBin)

/* (transfer floating) */
GtkWidget      *pd_sync_panel_new              (PdSession *session);
/* Opens the report of the newest run that has one (replaced edits, failures, an error). */
void            pd_sync_panel_expand_latest_report (PdSyncPanel *self);

G_END_DECLS
