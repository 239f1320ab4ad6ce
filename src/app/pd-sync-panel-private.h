/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-panel-private.h — what tests reach of PdSyncPanel: its live widgets and the number of
 * past runs listed. Not part of the public contract; included by pd-sync-panel.c and tests only. */
#pragma once

#include "pd-sync-panel.h"

G_BEGIN_DECLS

/* (transfer none) */
GtkProgressBar *pd_sync_panel_get_progress_bar (PdSyncPanel *self);
/* (transfer none) */
GtkLabel       *pd_sync_panel_get_stage_label  (PdSyncPanel *self);
/* (transfer none) */
GtkLabel       *pd_sync_panel_get_details_label (PdSyncPanel *self);
guint           pd_sync_panel_get_n_runs       (PdSyncPanel *self);

G_END_DECLS
