/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-window-private.h — what tests reach of PdWindow. Not part of the public contract;
 * included by pd-window.c and tests only. */
#pragma once

#include "pd-window.h"

G_BEGIN_DECLS

/* (transfer none) */
PdSession          *pd_window_get_session    (PdWindow *self);
/* (transfer none) */
PdOrganizationList *pd_window_get_list       (PdWindow *self);
/* "organizations" or "sync". (transfer none) */
const char         *pd_window_get_view       (PdWindow *self);
/* What win.export-csv does after its file chooser: writes the visible organizations, in
 * their visible order, in a thread; a toast tells the outcome. */
void                pd_window_export_csv     (PdWindow *self, GFile *file);
gboolean            pd_window_get_exporting  (PdWindow *self);

G_END_DECLS
