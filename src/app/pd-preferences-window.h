/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-preferences-window.h — partner role, client ID, sync interval and caps, the resellers whose
 * customers are synced, advanced URLs. */
#pragma once

#include <adwaita.h>

#include "pd-session.h"

G_BEGIN_DECLS

#define PD_TYPE_PREFERENCES_WINDOW (pd_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (PdPreferencesWindow, pd_preferences_window, PD, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* (transfer none) */
GtkWidget *pd_preferences_window_new (PdSession *session, GtkWindow *parent);

G_END_DECLS
