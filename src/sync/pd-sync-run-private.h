/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-run-private.h — a sync run's shared state (SyncRun, FetchOp) and the functions the
 * parts of the engine call across files. Included only by src/sync/pd-sync-*.c. */
#pragma once

#include "pd-sync-engine.h"
#include "pd-sync-item.h"
#include "pd-sync-rate.h"

G_BEGIN_DECLS

struct _PdSyncEngine
{
  GObject         parent_instance;

  PdStore        *store;
  PdPcClient     *client;
  guint           batch_size;
  guint           listed_window;
  gboolean        running;
  GDateTime      *started_at;
  gint64          last_run_id;         /* the last run's stored row; 0: refused before one */
  PdSyncProgress  progress;
  PdSyncRate      rate;
  gint64          last_progress_us;
  gint64          wait_until_us;       /* monotonic end of the longest throttling wait */
  GSource        *wait_source;         /* ends progress.wait_seconds at wait_until_us */
  gboolean        allow_mass_removal;  /* for the next run only */
  gboolean        next_scope_given;    /* next_scope is the next run's, and kept after it */
  char          **next_scope;
  /* Ids of the last run's scope that Partner Center did not list among the partner's indirect
   * resellers (a mistyped id, a relationship that ended), or NULL. */
  char          **unlisted_resellers;
};

typedef enum {
  RUN_FULL,
  RUN_INCREMENTAL,
  RUN_RETRY,
} RunKind;

typedef enum {
  PHASE_PREPARE,
  PHASE_FETCH,
  PHASE_RULES,
  PHASE_ENDED,
} RunPhase;

typedef struct {
  PdSyncEngine *self;          /* the task's source object */
  GTask        *task;          /* borrowed: this struct is the task's data */
  GCancellable *cancellable;   /* the task's */
  RunKind       kind;
  RunPhase      phase;
  gint64        run_id;
  GDateTime    *now;
  GDateTime    *audit_start;   /* incremental */
  char        **retry_ids;     /* retry */
  GHashTable   *checkpoint;    /* tenants stored by the run resumed, or NULL */
  gboolean      restore_seen;  /* the store did not chain that run: see resume_unchained () */
  GPtrArray    *resellers;     /* PdPcReseller */
  gboolean      resellers_refused; /* Partner Center refused their list (403): who resells
                                    * which customer is unknown this run, not "none" */
  GHashTable   *reseller_by_id; /* lower-case id → PdPcReseller of resellers (borrowed); which
                                * customer a reseller owns is in the store (a million of them):
                                * pd_store_set_resellers_of */
  GHashTable   *unproven_resellers; /* lower-case ids of the resellers whose customer list
                                     * ended with a 204 or 400/2000 answer: maybe cut short
                                     * (see _pd_sync_reseller_unproven) */
  char        **scope;         /* the reseller scope (normalised ids), NULL: every customer */
  gboolean      keep_scope;    /* scope is to be kept for the next runs once this one begins */
  GPtrArray    *scope_resellers; /* PdPcReseller of each id of scope, in its order */
  guint         scope_index;   /* the one a scoped listing is reading */
  GHashTable   *waiting;       /* lower-case tenant id → PdPcCustomer: listed by one reseller of the
                                * scope, held by the cache under one whose list comes later
                                * (see wait_for_cached_reseller) */
  gboolean      checking_unseen; /* the listing is over: the fetches are check_unseen's */
  GHashTable   *named;         /* scoped incremental: lower-case tenant ids the activity log
                                * names, or that failed before: read again when listed */
  GError       *step_error;    /* first error of the current preparation step */
  guint         attempts;      /* of the current preparation step */
  guint         pending;       /* outstanding steps other than fetches */
  GQueue        queue;         /* PdSyncItem waiting for a fetch */
  guint64       listed_waiting; /* listed customers waiting in the cache, not yet in queue */
  guint         in_flight;
  gboolean      listing_done;  /* every customer to fetch has been queued */
  gboolean      listing_complete; /* … and the full list was read to its end */
  gboolean      listing_end_unproven; /* … an end that was a 204 or 400/2000 answer */
  guint         listing_restarts; /* after an expired continuation token */
  guint64       listed;
  guint64       done;
  guint         n_failed;
  guint         consecutive_failures;
  GPtrArray    *failed_ids;    /* tenant ids that failed */
  GPtrArray    *batch;         /* PdOrganization waiting to be stored */
  gint64        batch_started_us;  /* when its first organization arrived */
  guint         rules_total;
  guint         rules_done;
  GError       *error;         /* why the run fails; NULL while it goes well */
  gboolean      allow_mass_removal;
} SyncRun;

typedef struct {
  GTask        *task;
  PdSyncItem   *item;
  PdPcCustomer *customer;  /* fetched, while check_unseen asks for its reseller */
  gint64        asked_at;  /* when it was asked for (Unix seconds): the answer is no older */
} FetchOp;

/* pd-sync-engine.c: run state, progress, storing, preparation steps, finishing */
gboolean        _pd_sync_is_cancelled_error   (const GError *error);
gboolean        _pd_sync_stopping             (SyncRun *run);
gboolean        _pd_sync_needs_sign_in        (const GError *error);
void            _pd_sync_fail_run             (SyncRun      *run,
                                               const GError *error,
                                               const char   *context);
void            _pd_sync_report               (SyncRun     *run,
                                               PdSyncStage  stage,
                                               guint64      done,
                                               guint64      total,
                                               gboolean     force);
void            _pd_sync_report_customers     (SyncRun  *run,
                                               gboolean  force);
gboolean        _pd_sync_flush_batch          (SyncRun *run);
PdOrganization *_pd_sync_item_to_organization (SyncRun                  *run,
                                               const PdSyncItem         *item,
                                               const PdPcBillingProfile *profile);
gboolean        _pd_sync_store_listed         (SyncRun   *run,
                                               GPtrArray *orgs);
void            _pd_sync_keep_unreadable      (SyncRun          *run,
                                               const PdSyncItem *item,
                                               const GError     *error);
void            _pd_sync_record_failure       (SyncRun          *run,
                                               const PdSyncItem *item,
                                               const GError     *error);
void            _pd_sync_add_to_batch         (SyncRun        *run,
                                               PdOrganization *org);
gboolean        _pd_sync_keep_as_seen         (SyncRun    *run,
                                               const char *tenant_id);
void            _pd_sync_mark_removed         (SyncRun    *run,
                                               const char *tenant_id);
void            _pd_sync_after_prepare_step   (SyncRun     *run,
                                               void       (*step) (SyncRun *),
                                               void       (*next) (SyncRun *),
                                               const char  *context);
void            _pd_sync_after_resellers      (SyncRun *run);
/* pd-sync-kind.c: the kind of an AUTO or FULL run, and what a full run skips of the one it
 * continues (resume_run_id: the dead run the store chained it to, or 0). */
RunKind         _pd_sync_choose_kind          (SyncRun *run, PdSyncMode mode);
void            _pd_sync_resume               (SyncRun *run, gint64 resume_run_id);
void            _pd_sync_maybe_finish         (SyncRun *run);

/* pd-sync-resellers.c: who owns which customer */
const PdPcReseller *_pd_sync_find_reseller     (SyncRun          *run,
                                                const PdSyncItem *item);
void                _pd_sync_start_resellers   (SyncRun *run);
/* The tenant ids of a listing page's customers (PdPcCustomer), those without one left out:
 * borrowed from the page. (transfer container) */
GPtrArray          *_pd_sync_page_ids          (GPtrArray          *customers);
/* Attributes customers (PdPcCustomer) to reseller, in the store; with keep_first, one that a
 * listing attributed already keeps its reseller. FALSE: the run fails. */
gboolean            _pd_sync_attribute         (SyncRun            *run,
                                                GPtrArray          *customers,
                                                const PdPcReseller *reseller,
                                                gboolean            keep_first);
/* Attributes item, read by id, to the reseller of resellers (PdPcReseller, Partner Center's
 * answer for it) that the cache holds it under, else the first; none: a direct customer. */
void                _pd_sync_attribute_checked (SyncRun            *run,
                                                PdSyncItem         *item,
                                                GPtrArray          *resellers);
/* Whether the cache holds tenant_id under a reseller whose list may have been cut short and
 * no listing of the run gave it to that one (none did, or another did): its reseller is asked
 * for by id. */
gboolean            _pd_sync_reseller_unproven (SyncRun            *run,
                                                const char         *tenant_id);
/* The same, when no listing gave it to any reseller: it looks made direct, which only the
 * cut may say. */
gboolean            _pd_sync_made_direct_unproven (SyncRun         *run,
                                                   const char      *tenant_id);
/* Its relationships unanswered, item stays with the reseller the cache holds it under. */
void                _pd_sync_keep_cached_reseller (SyncRun         *run,
                                                   PdSyncItem      *item);

/* pd-sync-fetch.c: the listed window, the fetch queue and the full customer list */
void _pd_sync_pump                 (SyncRun *run);
void _pd_sync_start_fetch          (SyncRun    *run,
                                    PdSyncItem *item);
void _pd_sync_enqueue              (SyncRun    *run,
                                    PdSyncItem *item);
void _pd_sync_all_customers_queued (SyncRun  *run,
                                    gboolean  complete);
void _pd_sync_start_listing        (SyncRun *run);

G_END_DECLS
