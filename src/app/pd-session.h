/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-session.h — the non-widget object every view of the app shares (as in Sysprof).
 *
 * It owns the store (main-thread connection), settings, auth, Partner Center client and sync
 * engine, and tells views when organizations change so that the list and the editor refresh.
 */
#pragma once

#include <gio/gio.h>

#include "api/pd-auth.h"
#include "api/pd-pc-client.h"
#include "core/pd-duplicates.h"
#include "core/pd-store.h"
#include "sync/pd-sync-engine.h"

G_BEGIN_DECLS

typedef enum {
  PD_PARTNER_ROLE_DIRECT_PARTNER,
  PD_PARTNER_ROLE_INDIRECT_PROVIDER,
  PD_PARTNER_ROLE_RESELLER,
} PdPartnerRole;

#define PD_TYPE_SESSION (pd_session_get_type ())
G_DECLARE_FINAL_TYPE (PdSession, pd_session, PD, SESSION, GObject)

/* settings: a GSettings of schema APP_ID (tests may pass one on the memory backend).
 * (transfer full) */
PdSession    *pd_session_new                  (PdStore   *store,
                                               GSettings *settings);
/* (transfer none) */
PdStore      *pd_session_get_store            (PdSession *self);
/* (transfer none) */
GSettings    *pd_session_get_settings         (PdSession *self);
/* NULL until configured (signed in, PARTNER_DESK_ACCESS_TOKEN, or demo).
 * (transfer none) (nullable) */
PdAuth       *pd_session_get_auth             (PdSession *self);
/* (transfer none) */
PdPcClient   *pd_session_get_client           (PdSession *self);
/* (transfer none) */
PdSyncEngine *pd_session_get_sync_engine      (PdSession *self);
/* Connects auth + client + engine to an API (the demo passes its simulator's URLs; NULL =
 * pd_session_dup_api_url). */
gboolean      pd_session_connect              (PdSession  *self,
                                               PdAuth     *auth,
                                               const char *api_url,
                                               GError    **error);
gboolean      pd_session_get_demo             (PdSession *self);
void          pd_session_set_demo             (PdSession *self, gboolean demo);
PdPartnerRole pd_session_get_role             (PdSession *self);
/* Direct partners and indirect providers may push a bill-to to Partner Center. */
gboolean      pd_session_can_push_to_partner_center (PdSession *self);
/* Tells every view that an organization changed (id), or that many did (id 0). Emits
 * "organizations-changed" (gint64 id). */
void          pd_session_notify_changed       (PdSession *self, gint64 id);

/* ---- added while implementing the app (compatible additions) ----
 * Properties (all notify): "auth", "client", "sync-engine", "signed-in", "syncing",
 * "offline", "unreachable", "demo". Signal "sync-finished" (gint64 run_id, gpointer GError-or-NULL,
 * gboolean background) after every run started through pd_session_sync; run_id is the run's
 * row in the store, failed or not, and 0 when the run was refused before it recorded one
 * (pd_sync_engine_get_last_run_id). */

/* The API and login URLs in use: setting, else environment, else the default. (transfer full) */
char         *pd_session_dup_api_url          (PdSession *self);
/* (transfer full) */
char         *pd_session_dup_login_url        (PdSession *self);
/* The PdAuth the settings describe (client-id, pd_session_dup_login_url), not signed in yet;
 * with PARTNER_DESK_ACCESS_TOKEN set, one that uses that token. (transfer full) */
PdAuth       *pd_session_new_auth             (PdSession *self,
                                               GError   **error);
/* Connects to the account auth signed in to (pd_session_connect with api_url NULL) and
 * records it as the cache's partner (the offline consent link is built from it). */
gboolean      pd_session_connect_account      (PdSession  *self,
                                               PdAuth     *auth,
                                               GError    **error);
/* pd_session_connect with api_url NULL uses pd_session_dup_api_url. Drops auth, client and
 * engine (after signing out). */
void          pd_session_disconnect           (PdSession *self);
/* Signed in: an auth is configured and says so. */
gboolean      pd_session_get_signed_in        (PdSession *self);
/* No network, unless the API is on loopback (demo, simulator). */
gboolean      pd_session_get_offline          (PdSession *self);
/* The last run failed because Partner Center could not be reached although the network
 * monitor may say there is a network (connection refused, DNS, TLS, timeout). Set when a run
 * fails so, cleared by the next run that gets an answer, by connecting again, and when the
 * network comes back (non-loopback API). The reason is the run's error message. */
gboolean      pd_session_get_unreachable      (PdSession *self);
/* (transfer none) */
const char   *pd_session_get_unreachable_reason (PdSession *self);
/* Starts a run unless one is running or the session is not connected (returns FALSE). A
 * background run may send a notification when it replaced local edits or had failures. */
gboolean      pd_session_sync                 (PdSession *self, PdSyncMode mode, gboolean background);
/* A full sync that marks unseen customers removed even when they are most of the cache: what
 * the user confirmed after a sync refused it (PD_SYNC_ERROR_MASS_REMOVAL). */
gboolean      pd_session_sync_allowing_mass_removal (PdSession *self);
gboolean      pd_session_retry                (PdSession *self, const char * const *tenant_ids);
void          pd_session_cancel_sync          (PdSession *self);
gboolean      pd_session_get_syncing          (PdSession *self);
/* When the background timer fires next, or NULL when it is off. (transfer full) (nullable) */
GDateTime    *pd_session_dup_next_sync        (PdSession *self);
/* Builds the duplicate index in a thread (pd_session_peek_duplicates gives it once built), so
 * that nothing blocks on it. organizations: every cached PdOrganization (not modified afterwards), or NULL
 * to read them in the thread. Only called by what needs the index (the New Organization
 * dialog), not at startup: the index over a large cache costs tens of megabytes. Emits
 * "duplicates-ready" once the index is in place, or "duplicates-failed" (the message) when
 * the first could not be built; calling it again then tries again. After another program's
 * commits it builds the index again, and the one in place answers meanwhile. */
void          pd_session_warm_duplicates      (PdSession *self, GPtrArray *organizations);
/* The index if it is built, else NULL (never blocks, never starts a build).
 * (transfer none) (nullable) */
PdDuplicates *pd_session_peek_duplicates      (PdSession *self);

G_END_DECLS
