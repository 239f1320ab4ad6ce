/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-application.h — the GApplication: one instance per user (a second launch activates the
 * first), opens the cache, restores sign-in without blocking, the app.* actions, `--demo`,
 * and the desktop notification after a background sync that needs attention.
 */
#pragma once

#include <adwaita.h>

#include "pd-session.h"

G_BEGIN_DECLS

#define PD_TYPE_APPLICATION (pd_application_get_type ())
G_DECLARE_FINAL_TYPE (PdApplication, pd_application, PD, APPLICATION, AdwApplication)

/* (transfer full) */
PdApplication *pd_application_new         (void);
/* Opens the cache of auth's account (pd_store_path_for_partner, beside the current one),
 * connects it to auth, and replaces the windows by one on it: what signing in with another
 * Partner Center account leads to. FALSE with error when that cache cannot be opened or
 * belongs to yet another account. */
gboolean       pd_application_open_account_cache (PdApplication  *self,
                                                  PdAuth         *auth,
                                                  GError        **error);

G_END_DECLS
