/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-alerts.h — what a sync that ended in a refusal asks of the user: marking most of the
 * cache removed (PD_SYNC_ERROR_MASS_REMOVAL), a sync as another Partner Center account
 * (PD_STORE_ERROR_OTHER_PARTNER), and a refused PARTNER_DESK_ACCESS_TOKEN (no sign-in renews
 * it). None leaves a run in the sync panel to explain it. */
#pragma once

#include <adwaita.h>

#include "pd-session.h"

G_BEGIN_DECLS

/* Shows the question or message that fits error over parent; TRUE when error was one of them
 * (the dialog is on screen), FALSE for any other error. */
gboolean pd_sync_alerts_show (GtkWindow    *parent,
                              PdSession    *session,
                              const GError *error);

G_END_DECLS
