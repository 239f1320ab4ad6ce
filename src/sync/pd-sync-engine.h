/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-engine.h — full and incremental sync of Partner Center into the store.
 *
 * Runs on the caller's main context (libsoup async); writes to the store in batches, one
 * transaction per batch. Progress is reported through the "progress" signal; the "batch-stored"
 * signal lets a list refresh while a first sync fills the cache.
 */
#pragma once

#include <gio/gio.h>

#include "api/pd-pc-client.h"
#include "core/pd-store.h"

G_BEGIN_DECLS

#define PD_SYNC_ERROR (pd_sync_error_quark ())
typedef enum {
  /* A complete listing lacks most of a sizeable cache (pd_sync_is_mass_removal): nothing was
   * marked removed. The message gives the numbers. */
  PD_SYNC_ERROR_MASS_REMOVAL,
} PdSyncError;
GQuark pd_sync_error_quark (void);


typedef enum {
  PD_SYNC_STAGE_IDLE,
  PD_SYNC_STAGE_STARTING,
  PD_SYNC_STAGE_LISTING,          /* reading the customer list / activity log */
  PD_SYNC_STAGE_PROFILES,         /* fetching billing (and company) profiles */
  PD_SYNC_STAGE_RESELLERS,        /* indirect providers: attributing customers to resellers */
  PD_SYNC_STAGE_COUNTRY_RULES,
  PD_SYNC_STAGE_FINISHING,
} PdSyncStage;

/* Translated label of a stage ("Fetching billing profiles"). (transfer none) */
const char *pd_sync_stage_label (PdSyncStage stage);

/* Whose customers a client reaches, from its organization profile read (profile, or NULL with
 * profile_error): the profile's tenant, or the token's when this user may not read the profile.
 * NULL when the failed read must stop what asked (sign-in, network, cancel). (transfer none) */
const char *pd_sync_partner_tenant (PdPcClient          *client,
                                    PdPcCompanyProfile  *profile,
                                    const GError        *profile_error);

typedef enum {
  PD_SYNC_MODE_AUTO,              /* incremental when a recent complete base exists */
  PD_SYNC_MODE_FULL,
} PdSyncMode;

typedef struct {
  PdSyncStage stage;
  guint64     done;
  guint64     total;              /* 0 when not known yet */
  double      rate;               /* items per second over the last few seconds */
  double      eta_seconds;        /* < 0 when unknown */
  guint       n_failed;
  guint       wait_seconds;       /* > 0 while Partner Center's throttling (429) holds calls
                                   * back: the seconds left of the longest wait (a progress
                                   * is reported each time it drops, and when it ends) */
} PdSyncProgress;

/* What a run is doing, to show above its counts: the stage's label, or that Partner Center
 * asked to wait. (transfer full) */
char *pd_sync_progress_dup_label (const PdSyncProgress *progress);

#define PD_TYPE_SYNC_ENGINE (pd_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (PdSyncEngine, pd_sync_engine, PD, SYNC_ENGINE, GObject)

/* (transfer full) */
PdSyncEngine *pd_sync_engine_new          (PdStore    *store,
                                           PdPcClient *client);
gboolean      pd_sync_engine_get_running  (PdSyncEngine *self);
/* The sync run the last run or retry recorded in the store (its row, which the sync panel
 * shows, failed or not), or 0 when it was refused before it recorded one (sign-in refused,
 * another account's cache, another process's sync): then only its error says why. A call
 * refused because this engine is running leaves the running run's. */
gint64        pd_sync_engine_get_last_run_id (PdSyncEngine *self);
/* The ids of the last run's reseller scope that Partner Center did not list among the
 * partner's indirect resellers (a mistyped id, or a relationship that ended): the run found
 * no customer of theirs. NULL when there are none, or Partner Center refused the list.
 * (transfer none) (nullable) */
const char * const *pd_sync_engine_get_unlisted_resellers (PdSyncEngine *self);
/* The last progress reported (valid while running, and after). */
void          pd_sync_engine_get_progress (PdSyncEngine *self, PdSyncProgress *progress);

/* The next run marks unseen customers removed even when they are most of the cache (the user
 * confirmed it, or `sync --allow-mass-removal`). Applies to one run only. */
void          pd_sync_engine_allow_mass_removal_once (PdSyncEngine *self);
/* The next run (or retry) syncs the customers of these indirect resellers (NULL: every
 * customer) instead of the cache's reseller scope, and keeps them as that scope for the runs
 * after it (`sync --reseller`, `--all-resellers`) once it has begun: a run refused before it
 * begins (another Partner Center account, a sync already running) leaves the scope as it
 * was. Applies to one run only. */
void          pd_sync_engine_set_scope_once (PdSyncEngine       *self,
                                             const char * const *reseller_ids);

/* Starts one run. Fails at once with PD_STORE_ERROR_BUSY when a sync already runs on this
 * cache (another process or window). Finishes with the run id (its report is in the store),
 * or 0 and an error when the run could not complete: G_IO_ERROR_CANCELLED (run CANCELLED) or
 * the reason (run FAILED). Either way the cache stays consistent, local edits intact, and what
 * was fetched is stored. The next full run resumes an interrupted one (its process died: kill
 * -9, crash) or a cancelled or failed one of the last 24 hours: it fetches only the customers
 * that run did not store. Customers that failed individually do not fail the run: they are
 * FAILED events of a COMPLETE run, and a full run does not take them for removed. A cache with
 * a reseller scope (pd_store_dup_reseller_scope) gets a full run of those resellers' customers
 * only, which marks no other customer removed; the scope is read when the run starts. */
void          pd_sync_engine_run_async    (PdSyncEngine        *self,
                                           PdSyncMode           mode,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gint64        pd_sync_engine_run_finish   (PdSyncEngine  *self,
                                           GAsyncResult  *result,
                                           GError       **error);

/* Re-fetches the given customers only (the sync panel's Retry), in a new small run of kind
 * PD_SYNC_KIND_RETRY (no base for the next incremental run). One Partner Center answers 404 is
 * a failure again, not removed: Partner Center may still list it (the activity log or the next
 * complete listing says when it is gone). */
void          pd_sync_engine_retry_async  (PdSyncEngine        *self,
                                           const char * const  *tenant_ids,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gint64        pd_sync_engine_retry_finish (PdSyncEngine  *self,
                                           GAsyncResult  *result,
                                           GError       **error);

/* Signals:
 *   "progress"      (const PdSyncProgress *progress)   — at most ~10 times a second, and at
 *                                                        every stage change; the last one of a
 *                                                        run has stage PD_SYNC_STAGE_IDLE
 *   "batch-stored"  (guint n_organizations)            — after each committed batch
 * Property:
 *   "running"       (gboolean, read-only, notifies)
 *
 * A full run lists the indirect resellers first (403 = not an indirect provider: none), so
 * that each customer is stored with its reseller. Each customer is then fetched with
 * GET /customers/{id}, which embeds the billing profile and is the only source of
 * allowDelegatedAccess (the list lacks it), for the same one request per customer as
 * GET …/profiles/billing (used only when a customer comes without an embedded profile). The
 * company profile is not fetched: it costs one more call per customer of the 500/minute
 * budget and holds nothing the customer lacks. An incremental run re-fetches the customers the
 * activity log names since the start of the last complete run; it falls back to a full run when
 * there is none, or when it started more than 89 days ago (the log keeps 90 days and is
 * queried by whole dates, minus a day of overlap).
 */

G_END_DECLS
