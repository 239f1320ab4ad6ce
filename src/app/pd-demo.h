/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-demo.h — `partner-desk --demo`: a Partner Center simulator in-process on loopback with
 * about 2,500 seeded customers, its own cache file, signed in by itself.
 */
#pragma once

#include <gtk/gtk.h>

#include "pd-session.h"
#include "simulator/pd-simulator.h"

G_BEGIN_DECLS

/* $PARTNER_DESK_DB, else $XDG_DATA_HOME/partner-desk/demo.db: never the real cache.
 * (transfer full) */
char        *pd_demo_dup_db_path (void);
/* The demo's settings: in memory, so that trying the demo never changes the real app's, and
 * with the role its data shows best — an indirect provider, whose customers have resellers.
 * (transfer full) */
GSettings   *pd_demo_new_settings (void);
/* Starts the simulator on the thread-default main context, connects the session to it and
 * marks it as a demo. The caller keeps the simulator alive as long as the session.
 * (transfer full) */
PdSimulator *pd_demo_start       (PdSession  *session,
                                  GError    **error);
/* After the first demo sync. On a new demo cache, seeds the showcase so that a first look
 * finds every feature: local statuses (New, Active, Blocked), a local bill-to fill, local edits
 * that Partner Center then changes (the sync it starts reports them replaced), beside what
 * pd_demo_start staged (a bill-to refused: unreadable and failed; a customer in Ukraine without
 * its registration number); then sets the meta "demo-seeded". With
 * PARTNER_DESK_SCREENSHOT_SCENE=main|editor|sync (build-aux/screenshots), it then puts the
 * window in the state a README screenshot shows and prints PARTNER_DESK_SCREENSHOT_READY on
 * stdout. */
void         pd_demo_apply_scene (PdSession   *session,
                                  PdSimulator *simulator,
                                  GtkWidget   *window);

G_END_DECLS
