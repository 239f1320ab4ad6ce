/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-alerts.h — what a sync that ended in a refusal asks of the user: marking most of the
 * cache removed (PD_SYNC_ERROR_MASS_REMOVAL), a sync as another Partner Center account
 * (PD_STORE_ERROR_OTHER_PARTNER), a refused PARTNER_DESK_ACCESS_TOKEN (no sign-in renews
 * it), and any other refusal of a sync the user started before it recorded a run (a refused
 * sign-in offers to sign in again). None leaves a run in the sync panel to explain it. */
#pragma once

#include <adwaita.h>

#include "pd-session.h"

G_BEGIN_DECLS

/* Shows the question or message that fits the error of a sync that ended with run_id (its
 * row in the store, or 0: refused before it recorded one) over parent; TRUE when there is one
 * (the dialog is on screen, or an earlier one with its heading still is), FALSE when the
 * sync panel, the unreachable banner or nothing (a cancel) says it. */
gboolean pd_sync_alerts_show (GtkWindow    *parent,
                              PdSession    *session,
                              gint64        run_id,
                              const GError *error,
                              gboolean      background);

G_END_DECLS
