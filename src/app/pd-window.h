/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-window.h — the main window: header bar with the view switcher, the organization list
 * beside the editor (folding to one column with back navigation below ~720 px), the sync
 * panel, the offline banner and the window actions (win.*).
 */
#pragma once

#include <adwaita.h>

#include "pd-organization-list.h"
#include "pd-session.h"

G_BEGIN_DECLS

#define PD_TYPE_WINDOW (pd_window_get_type ())
G_DECLARE_FINAL_TYPE (PdWindow, pd_window, PD, WINDOW, AdwApplicationWindow)

/* app may be NULL (tests). (transfer none) */
GtkWidget          *pd_window_new            (GtkApplication *app,
                                              PdSession      *session);
/* The window of a cache that could not be opened: an error page with the path and the
 * reason; the file is left untouched. (transfer none) */
GtkWidget          *pd_window_new_for_error  (GtkApplication *app,
                                              const char     *path,
                                              const GError   *error);
/* (transfer none) */
GtkWidget          *pd_window_get_sync_panel (PdWindow *self);
/* "organizations" or "sync". */
void                pd_window_show_view      (PdWindow *self, const char *name);
void                pd_window_add_toast      (PdWindow *self, const char *title);

G_END_DECLS
