/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-engine.c — full and incremental sync of Partner Center into the store.
 *
 * A run goes through three phases, each asynchronous on the caller's main context:
 *   PREPARE  indirect resellers (who owns which customer), then the audit log for an
 *            incremental run;
 *   FETCH    the customer list streams into the cache (each page's customers stored, and
 *            recorded as listed by the run) while customers are fetched by id (with their
 *            billing profile) oldest listed first; memory holds only a window of the listed
 *            ones (refill_queue) and a bounded number of requests (the client enforces the
 *            real concurrency limit; fetch_window only keeps it busy), so a listing far ahead
 *            of the reads costs no memory; they are stored in batches, one transaction each;
 *   RULES    country validation rules older than a week are refreshed.
 * A run with a reseller scope (the cache's "My resellers", pd_store_dup_reseller_scope) is a
 * full run of that scope: instead of the whole customer list it lists the customers of each
 * reseller in scope in turn (Partner Center's IndirectReseller filter takes one reseller a
 * request, partner-center-api.md §9), and at its end marks removed only the unseen customers of
 * those resellers (the store keeps the run's scope). A customer of the scope that the listing
 * lacked may have moved to another reseller or become direct rather than left: it is asked for
 * by id before anything is marked (check_unseen). Customers outside the scope stay in the
 * cache as they were. An incremental run is never scoped: the activity log names customers
 * without their reseller, so a scoped auto run is a full one, and so is the first unscoped run
 * after a scoped one (its base must have covered every customer).
 * Every async step holds a reference on the GTask, and the run ends only when nothing is
 * outstanding, so no callback ever sees a finished run. A cancelled or failed run still
 * stores what it fetched: that is the checkpoint the next run resumes from.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-sync-audit.h"
#include "pd-sync-engine-private.h"
#include "pd-sync-item.h"
#include "pd-sync-rate.h"
#include "pd-sync-report.h"

#define DEFAULT_BATCH_SIZE        500
/* Listed customers held in memory while they wait for their read; the rest wait in the cache
 * (pd_store_queue_listed): a listing runs far ahead of the reads, and 100,000 waiting items
 * and their ids held ~30 MB, a million ten times that. */
#define DEFAULT_LISTED_WINDOW     2000
/* Under a requests-per-minute cap a batch can take a minute to fill: store what arrived every
 * few seconds anyway, so that the list fills and the checkpoint keeps up. */
#define MAX_BATCH_AGE_US          (2 * G_USEC_PER_SEC)
#define PROGRESS_INTERVAL_US      (100 * G_TIME_SPAN_MILLISECOND)
#define COUNTRY_RULE_MAX_AGE_DAYS 7
/* Past this many failures in a row the service is down or refusing us: carrying on would
 * only record every remaining customer as failed. */
#define MAX_CONSECUTIVE_FAILURES  25
/* Preparation steps (resellers, audit log) are whole, idempotent reads: redo them a few times
 * before giving up on the run. The client has already retried each request. */
#define MAX_STEP_ATTEMPTS         3
/* A continuation token that expires in the middle of the customer list (400/2001: a listing
 * of 100,000 customers outlives it, or a change in Partner Center invalidates it) restarts the
 * list from its first page this many times before the run fails. */
#define MAX_LISTING_RESTARTS      2
/* A cancelled or failed full run is resumed only when recent: what it stored is skipped, and
 * a day-old copy is as good as a fresh one for the rest of this run. */
#define RESUME_MAX_AGE            G_TIME_SPAN_DAY

struct _PdSyncEngine
{
  GObject         parent_instance;

  PdStore        *store;
  PdPcClient     *client;
  guint           batch_size;
  guint           listed_window;
  gboolean        running;
  GDateTime      *started_at;
  PdSyncProgress  progress;
  PdSyncRate      rate;
  gint64          last_progress_us;
  gboolean        allow_mass_removal;  /* for the next run only */
};

G_DEFINE_FINAL_TYPE (PdSyncEngine, pd_sync_engine, G_TYPE_OBJECT)
G_DEFINE_QUARK (pd-sync-error-quark, pd_sync_error)

#define MASS_REMOVAL_MIN_CACHE 50

gboolean
pd_sync_is_mass_removal (guint unseen,
                         guint present)
{
  return present > MASS_REMOVAL_MIN_CACHE && (guint64) unseen * 2 > present;
}

void
pd_sync_engine_allow_mass_removal_once (PdSyncEngine *self)
{
  g_return_if_fail (PD_IS_SYNC_ENGINE (self));
  self->allow_mass_removal = TRUE;
}

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_PROGRESS,
  SIGNAL_BATCH_STORED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

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
  GHashTable   *reseller_of;   /* tenant id → PdPcReseller (borrowed from resellers) */
  char        **scope;         /* the reseller scope (normalised ids), NULL: every customer */
  GPtrArray    *scope_resellers; /* PdPcReseller of each id of scope, in its order */
  guint         scope_index;   /* the one a scoped listing is reading */
  gboolean      checking_unseen; /* the listing is over: the fetches are check_unseen's */
  GError       *step_error;    /* first error of the current preparation step */
  guint         attempts;      /* of the current preparation step */
  guint         pending;       /* outstanding steps other than fetches */
  GQueue        queue;         /* PdSyncItem waiting for a fetch */
  guint64       listed_waiting; /* listed customers waiting in the cache, not yet in queue */
  guint         in_flight;
  gboolean      listing_done;  /* every customer to fetch has been queued */
  gboolean      listing_complete; /* … and the full list was read to its end */
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

static void start_resellers (SyncRun *run);
static void maybe_finish    (SyncRun *run);

/* ---- run state ---- */

static void
sync_run_free (gpointer data)
{
  SyncRun *run = data;

  g_clear_pointer (&run->now, g_date_time_unref);
  g_clear_pointer (&run->audit_start, g_date_time_unref);
  g_clear_pointer (&run->retry_ids, g_strfreev);
  g_clear_pointer (&run->checkpoint, g_hash_table_unref);
  g_clear_pointer (&run->reseller_of, g_hash_table_unref);
  g_clear_pointer (&run->resellers, g_ptr_array_unref);
  g_clear_pointer (&run->scope, g_strfreev);
  g_clear_pointer (&run->scope_resellers, g_ptr_array_unref);
  g_clear_error (&run->step_error);
  g_queue_clear_full (&run->queue, (GDestroyNotify) pd_sync_item_free);
  g_clear_pointer (&run->failed_ids, g_ptr_array_unref);
  g_clear_pointer (&run->batch, g_ptr_array_unref);
  g_clear_error (&run->error);
  g_free (run);
}

static SyncRun *
sync_run_new (PdSyncEngine *self,
              GTask        *task,
              RunKind       kind)
{
  SyncRun *run = g_new0 (SyncRun, 1);

  run->self = self;
  run->task = task;
  run->cancellable = g_task_get_cancellable (task);
  run->kind = kind;
  run->now = g_date_time_new_now_utc ();
  run->reseller_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->failed_ids = g_ptr_array_new_with_free_func (g_free);
  run->batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_queue_init (&run->queue);
  return run;
}

static gboolean
is_cancelled_error (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
stopping (SyncRun *run)
{
  return run->error != NULL || g_cancellable_is_cancelled (run->cancellable);
}

/* Refused sign-ins (401, or a token without MFA): no request of this run can succeed. */
static gboolean
needs_sign_in (const GError *error)
{
  return g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_UNAUTHORIZED)
         || g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_MFA_REQUIRED);
}

/* Records why the run fails (the first reason wins). Cancellation is not a failure: the run
 * ends CANCELLED through the cancellable. A sign-in error keeps its message as it is ("Sign in
 * again…" first): which step met it does not matter to the user. */
static void
fail_run (SyncRun      *run,
          const GError *error,
          const char   *context)
{
  if (run->error != NULL || is_cancelled_error (error))
    return;
  /* A copy keeps what a PD_PC_ERROR carries besides its message (code, request IDs). */
  run->error = g_error_copy (error);
  if (context != NULL && !needs_sign_in (error))
    {
      char *message = g_strdup_printf ("%s: %s", context, error->message);

      g_free (run->error->message);
      run->error->message = message;
    }
  g_debug ("sync: run %" G_GINT64_FORMAT " fails: %s", run->run_id, run->error->message);
}

/* ---- progress ---- */

static void
set_running (PdSyncEngine *self,
             gboolean      running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
report (SyncRun     *run,
        PdSyncStage  stage,
        guint64      done,
        guint64      total,
        gboolean     force)
{
  PdSyncEngine *self = run->self;
  PdSyncProgress *progress = &self->progress;
  gint64 now_us = g_get_monotonic_time ();

  if (stage != progress->stage)
    {
      pd_sync_rate_reset (&self->rate);
      force = TRUE;
    }
  pd_sync_rate_add (&self->rate, now_us, done);
  progress->stage = stage;
  progress->done = done;
  progress->total = total;
  progress->rate = pd_sync_rate_get (&self->rate);
  progress->eta_seconds = run->listing_done || stage != PD_SYNC_STAGE_PROFILES
                          ? pd_sync_eta (progress->rate, done, total) : -1;
  progress->n_failed = run->n_failed;
  if (!force && now_us - self->last_progress_us < PROGRESS_INTERVAL_US)
    return;
  self->last_progress_us = now_us;
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, progress);
}

static void
report_customers (SyncRun  *run,
                  gboolean  force)
{
  PdSyncStage stage = run->listed > 0 || run->listing_done ? PD_SYNC_STAGE_PROFILES
                                                           : PD_SYNC_STAGE_LISTING;

  report (run, stage, run->done, run->listed, force);
}

/* ---- storing ---- */

static gboolean
flush_batch (SyncRun *run)
{
  g_autoptr(GError) error = NULL;
  guint n = run->batch->len;

  if (n == 0)
    return TRUE;
  if (!pd_store_apply_partner_center (run->self->store, run->run_id, run->batch, NULL, &error))
    {
      fail_run (run, error, _("Could not store the customers"));
      return FALSE;
    }
  g_ptr_array_set_size (run->batch, 0);
  run->batch_started_us = 0;
  g_signal_emit (run->self, signals[SIGNAL_BATCH_STORED], 0, n);
  return TRUE;
}

static const PdPcReseller *find_reseller (SyncRun *run, const PdSyncItem *item);

/* What the store's apply takes for item (profile NULL: what the listing carries). */
static PdOrganization *
item_to_organization (SyncRun                  *run,
                      const PdSyncItem         *item,
                      const PdPcBillingProfile *profile)
{
  const PdPcReseller *reseller = find_reseller (run, item);

  return pd_sync_item_to_organization (item, profile, reseller != NULL ? reseller->id : NULL,
                                       reseller != NULL ? reseller->name : NULL, run->now);
}

/* Stores the customers of orgs that the cache lacks, bill-to not readable until read
 * (design.md §3: every customer Partner Center lists is in the cache). */
static gboolean
store_listed (SyncRun   *run,
              GPtrArray *orgs)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (orgs->len == 0)
    return TRUE;
  if (!pd_store_apply_listing (run->self->store, run->run_id, orgs, &n, &error))
    {
      fail_run (run, error, _("Could not store the customers"));
      return FALSE;
    }
  if (n > 0)
    g_signal_emit (run->self, signals[SIGNAL_BATCH_STORED], 0, n);
  return TRUE;
}

/* A customer whose details or billing profile could not be read: it is in the cache all the
 * same (when the run knows its name), with the reason; a customer read before keeps its last
 * known bill-to. */
static void
keep_unreadable (SyncRun          *run,
                 const PdSyncItem *item,
                 const GError     *error)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) store_error = NULL;
  g_autofree char *reason = pd_sync_unreadable_reason (error);

  if (item->name != NULL)
    g_ptr_array_add (orgs, item_to_organization (run, item, NULL));
  if (!store_listed (run, orgs))
    return;
  if (!pd_store_set_bill_to_unreadable (run->self->store, item->tenant_id, reason, &store_error))
    fail_run (run, store_error, _("Could not store the customers"));
}

static void
record_failure (SyncRun          *run,
                const PdSyncItem *item,
                const GError     *error)
{
  g_autoptr(GError) store_error = NULL;
  PdRunEvent event = {
    .kind = PD_RUN_EVENT_FAILED,
    .tenant_id = item->tenant_id,
    .name = item->name,
    .error = error->message,
  };

  run->n_failed++;
  g_ptr_array_add (run->failed_ids, g_strdup (item->tenant_id));
  if (!pd_store_add_run_event (run->self->store, run->run_id, &event, &store_error))
    fail_run (run, store_error, _("Could not store the sync report"));
}

/* Takes org into the batch; the batch's age (see batch_is_due) counts from its first one. */
static void
add_to_batch (SyncRun        *run,
              PdOrganization *org)
{
  if (run->batch->len == 0)
    run->batch_started_us = g_get_monotonic_time ();
  g_ptr_array_add (run->batch, org);
}

/* Marks a customer this run listed but did not store (it failed, or the run resumed skips it)
 * as seen, so that a complete listing does not take it for removed. Its cached copy stays as it
 * is and the run does not count it: it was neither fetched nor found unchanged. Nothing when
 * the cache does not know it. */
static gboolean
keep_as_seen (SyncRun    *run,
              const char *tenant_id)
{
  g_autoptr(GError) error = NULL;

  if (pd_store_mark_seen (run->self->store, run->run_id, tenant_id, &error))
    return TRUE;
  fail_run (run, error, _("Could not store the customers"));
  return FALSE;
}

/* Incremental sync and retry name customers that may have left: a customer Partner Center no
 * longer knows is removed, not failed. */
static void
mark_removed (SyncRun    *run,
              const char *tenant_id)
{
  g_autoptr(GError) error = NULL;

  if (!pd_store_mark_removed (run->self->store, run->run_id, tenant_id, &error)
      && !g_error_matches (error, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND))
    fail_run (run, error, _("Could not store the customers"));
}

/* ---- resellers ---- */

/* The reseller of Partner Center's list with this id, or NULL. */
static const PdPcReseller *
lookup_reseller (SyncRun    *run,
                 const char *id)
{
  for (guint i = 0; id != NULL && run->resellers != NULL && i < run->resellers->len; i++)
    {
      const PdPcReseller *candidate = g_ptr_array_index (run->resellers, i);

      if (candidate->id != NULL && g_ascii_strcasecmp (candidate->id, id) == 0)
        return candidate;
    }
  return NULL;
}

static const PdPcReseller *
find_reseller (SyncRun          *run,
               const PdSyncItem *item)
{
  const PdPcReseller *reseller = g_hash_table_lookup (run->reseller_of, item->tenant_id);

  /* The per-reseller lists are the reliable attribution (partner-center-api.md §9); the
   * customer's own associatedPartnerId is only a fallback for one they missed. */
  return reseller != NULL ? reseller : lookup_reseller (run, item->associated_partner_id);
}

typedef struct {
  GTask        *task;
  PdPcReseller *reseller;   /* borrowed from run->resellers */
} ResellerListing;

static gboolean
on_reseller_page (GPtrArray *customers,
                  gpointer   user_data)
{
  ResellerListing *listing = user_data;
  SyncRun *run = g_task_get_task_data (listing->task);

  if (stopping (run))
    return FALSE;
  for (guint i = 0; i < customers->len; i++)
    {
      const PdPcCustomer *customer = g_ptr_array_index (customers, i);

      if (customer->id != NULL)
        g_hash_table_replace (run->reseller_of, g_strdup (customer->id), listing->reseller);
    }
  return TRUE;
}

static void after_prepare_step (SyncRun *run, void (*step) (SyncRun *), void (*next) (SyncRun *),
                                const char *context);
static void after_resellers (SyncRun *run);

static void
on_reseller_customers_listed (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  ResellerListing *listing = user_data;
  g_autoptr(GTask) task = listing->task;
  SyncRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_free (listing);
  run->pending--;
  if (pd_pc_client_list_customers_finish (PD_PC_CLIENT (source), result, &error) < 0
      && run->step_error == NULL)
    run->step_error = g_steal_pointer (&error);
  if (run->pending == 0)
    after_prepare_step (run, start_resellers, after_resellers,
                        _("Could not list the customers of the indirect resellers"));
}

static void
list_reseller_customers (SyncRun      *run,
                         PdPcReseller *reseller)
{
  ResellerListing *listing = g_new0 (ResellerListing, 1);

  listing->task = g_object_ref (run->task);
  listing->reseller = reseller;
  run->pending++;
  pd_pc_client_list_customers_async (run->self->client, PD_PC_FILTER_INDIRECT_RESELLER,
                                     reseller->id, on_reseller_page, listing, run->cancellable,
                                     on_reseller_customers_listed, listing);
}

static PdPcReseller *
reseller_new (const char *id,
              const char *name)
{
  PdPcReseller *reseller = g_new0 (PdPcReseller, 1);

  reseller->id = g_strdup (id);
  reseller->name = g_strdup (name);
  return reseller;
}

/* The reseller of each id of the scope, as Partner Center lists it. An id it does not list
 * (the relationship ended, or a mistyped id) is still listed by the filter: its customers that
 * Partner Center no longer gives are then removed, within the mass-removal guard. */
static void
set_scope_resellers (SyncRun *run)
{
  g_clear_pointer (&run->scope_resellers, g_ptr_array_unref);
  run->scope_resellers = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_pc_reseller_free);
  for (guint i = 0; run->scope[i] != NULL; i++)
    {
      const PdPcReseller *known = lookup_reseller (run, run->scope[i]);

      if (known == NULL)
        g_debug ("sync: reseller %s of the scope is not among Partner Center's", run->scope[i]);
      g_ptr_array_add (run->scope_resellers,
                       known != NULL ? reseller_new (known->id, known->name)
                                     : reseller_new (run->scope[i], NULL));
    }
}

static void
on_resellers_listed (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SyncRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GPtrArray *resellers;

  run->pending--;
  resellers = pd_pc_client_list_indirect_resellers_finish (PD_PC_CLIENT (source), result, &error);
  /* Forbidden is how Partner Center says "not an indirect provider": no resellers. */
  if (g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_FORBIDDEN))
    resellers = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_pc_reseller_free);
  if (resellers == NULL)
    {
      run->step_error = g_steal_pointer (&error);
      after_prepare_step (run, start_resellers, after_resellers,
                          _("Could not list the indirect resellers"));
      return;
    }
  run->resellers = resellers;
  /* A scoped run's listing is the per-reseller lists: it attributes as it goes. */
  if (run->scope != NULL)
    set_scope_resellers (run);
  for (guint i = 0; run->scope == NULL && i < resellers->len && !stopping (run); i++)
    list_reseller_customers (run, g_ptr_array_index (resellers, i));
  if (run->pending == 0)
    after_prepare_step (run, start_resellers, after_resellers, NULL);
}

static void
start_resellers (SyncRun *run)
{
  report (run, PD_SYNC_STAGE_RESELLERS, 0, 0, TRUE);
  g_hash_table_remove_all (run->reseller_of);
  g_clear_pointer (&run->resellers, g_ptr_array_unref);
  run->pending++;
  pd_pc_client_list_indirect_resellers_async (run->self->client, run->cancellable,
                                              on_resellers_listed, g_object_ref (run->task));
}

/* Ends a preparation step once nothing of it is outstanding: on to the next one, or the step
 * again after an error, or the end of the run. */
static void
after_prepare_step (SyncRun     *run,
                    void       (*step) (SyncRun *),
                    void       (*next) (SyncRun *),
                    const char  *context)
{
  g_autoptr(GError) error = g_steal_pointer (&run->step_error);

  if (stopping (run))
    {
      maybe_finish (run);
      return;
    }
  if (error == NULL)
    {
      run->attempts = 0;
      next (run);
      return;
    }
  if (++run->attempts < MAX_STEP_ATTEMPTS && !is_cancelled_error (error)
      && !needs_sign_in (error))
    {
      g_debug ("sync: %s (%s); trying again", context, error->message);
      step (run);
      return;
    }
  fail_run (run, error, context);
  maybe_finish (run);
}

/* ---- fetching ---- */

typedef struct {
  GTask        *task;
  PdSyncItem   *item;
  PdPcCustomer *customer;  /* fetched, while check_unseen asks for its reseller */
} FetchOp;

static void start_fetch (SyncRun *run, PdSyncItem *item);

/* Twice the client's current limit keeps every slot busy while a response is being handled,
 * and bounds what waits inside the client. */
static guint
fetch_window (SyncRun *run)
{
  PdPcStats stats = { 0 };

  pd_pc_client_get_stats (run->self->client, &stats);
  return MAX (4, 2 * stats.in_flight_limit);
}

/* Moves the listed customers that waited longest in the cache into the queue, up to the
 * window, once the queue is down to half of it. One the run resumed stored already was counted
 * done when listed (on_customer_page): it is not read again. */
static void
refill_queue (SyncRun *run)
{
  guint window = run->self->listed_window;

  while (run->listed_waiting > 0 && g_queue_get_length (&run->queue) <= window / 2
         && !stopping (run))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) taken =
        pd_store_take_listed (run->self->store, run->run_id,
                              window - g_queue_get_length (&run->queue), &error);

      if (taken == NULL)
        {
          fail_run (run, error, _("Could not store the customers"));
          return;
        }
      /* Nothing left: the count can only be ahead of the cache after an error. */
      run->listed_waiting = taken->len > 0 ? run->listed_waiting - MIN (taken->len,
                                                                        run->listed_waiting)
                                           : 0;
      for (guint i = 0; i < taken->len; i++)
        {
          PdOrganization *org = g_ptr_array_index (taken, i);
          const char *tenant_id = pd_organization_get_tenant_id (org);

          if (run->checkpoint == NULL || !g_hash_table_contains (run->checkpoint, tenant_id))
            g_queue_push_tail (&run->queue,
                               pd_sync_item_new_listed (tenant_id,
                                                        pd_organization_get_name (org)));
        }
    }
}

static void
pump (SyncRun *run)
{
  guint window;
  PdSyncItem *item;

  if (stopping (run) || run->phase != PHASE_FETCH)
    return;
  window = fetch_window (run);
  while (run->in_flight < window)
    {
      refill_queue (run);
      if (stopping (run) || (item = g_queue_pop_head (&run->queue)) == NULL)
        break;
      start_fetch (run, item);
    }
}

static gboolean
batch_is_due (SyncRun *run)
{
  return run->batch->len >= run->self->batch_size
         || (run->batch->len > 0
             && g_get_monotonic_time () - run->batch_started_us >= MAX_BATCH_AGE_US);
}

static void
fetch_op_done (FetchOp *op)
{
  g_autoptr(GTask) task = op->task;
  SyncRun *run = g_task_get_task_data (task);

  pd_sync_item_free (op->item);
  g_clear_pointer (&op->customer, pd_pc_customer_free);
  g_free (op);
  run->in_flight--;
  if (batch_is_due (run) && !stopping (run))
    flush_batch (run);
  pump (run);
  report_customers (run, FALSE);
  maybe_finish (run);
}

static void
fetch_succeeded (FetchOp                  *op,
                 const PdPcBillingProfile *profile)
{
  SyncRun *run = g_task_get_task_data (op->task);

  add_to_batch (run, item_to_organization (run, op->item, profile));
  run->consecutive_failures = 0;
  run->done++;
  fetch_op_done (op);
}

static gboolean
is_refusal (const GError *error)
{
  return g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_FORBIDDEN)
         || g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_NOT_FOUND);
}

static void
fetch_failed (FetchOp      *op,
              const GError *error)
{
  SyncRun *run = g_task_get_task_data (op->task);

  if (is_cancelled_error (error))
    ;
  else if (needs_sign_in (error))
    fail_run (run, error, NULL);
  else if (!op->item->from_list && g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_NOT_FOUND))
    mark_removed (run, op->item->tenant_id);
  else
    {
      g_debug ("sync: customer %s failed: %s", op->item->tenant_id, error->message);
      keep_unreadable (run, op->item, error);
      record_failure (run, op->item, error);
      /* A refusal (403, 404) is Partner Center's answer about this customer: a partner with
       * GDAP-only access may get one for most customers, and the others are still read. */
      if (!is_refusal (error) && ++run->consecutive_failures >= MAX_CONSECUTIVE_FAILURES)
        fail_run (run, error, _("Too many customers failed in a row"));
    }
  if (!is_cancelled_error (error))
    run->done++;
  fetch_op_done (op);
}

static void
on_profile_fetched (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  FetchOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcBillingProfile) profile = NULL;

  profile = pd_pc_client_get_billing_profile_finish (PD_PC_CLIENT (source), result, &error);
  if (profile == NULL)
    fetch_failed (op, error);
  else
    fetch_succeeded (op, profile);
}

/* GET /customers/{id} carries (as Partner Center documents it) the billing profile; a
 * customer without the embedded profile costs a second request. */
static void
fetch_billing_profile (FetchOp            *op,
                       const PdPcCustomer *customer)
{
  SyncRun *run = g_task_get_task_data (op->task);

  if (customer->billing_profile != NULL)
    fetch_succeeded (op, customer->billing_profile);
  else
    pd_pc_client_get_billing_profile_async (run->self->client, op->item->tenant_id,
                                            run->cancellable, on_profile_fetched, op);
}

/* Attributes a customer check_unseen found to the reseller Partner Center names for it
 * (NULL: none, a direct customer). Its associatedPartnerId is not relied on: GET by id may
 * lack it (partner-center-api.md §4, §9). */
static void
attribute_checked (SyncRun            *run,
                   PdSyncItem         *item,
                   const PdPcReseller *reseller)
{
  const PdPcReseller *known = reseller != NULL ? lookup_reseller (run, reseller->id) : NULL;

  g_clear_pointer (&item->associated_partner_id, g_free);
  if (reseller == NULL)
    {
      g_hash_table_remove (run->reseller_of, item->tenant_id);
      return;
    }
  /* A reseller that the provider's list lacked: its own answer names it. */
  if (known == NULL)
    {
      known = reseller_new (reseller->id, reseller->name);
      g_ptr_array_add (run->resellers, (gpointer) known);
    }
  g_hash_table_replace (run->reseller_of, g_strdup (item->tenant_id), (gpointer) known);
}

static void
on_customer_resellers (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  FetchOp *op = user_data;
  SyncRun *run = g_task_get_task_data (op->task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) customer = g_steal_pointer (&op->customer);
  g_autoptr(GPtrArray) resellers = NULL;

  resellers = pd_pc_client_list_customer_resellers_finish (PD_PC_CLIENT (source), result, &error);
  if (resellers == NULL)
    {
      fetch_failed (op, error);
      return;
    }
  attribute_checked (run, op->item, resellers->len > 0 ? g_ptr_array_index (resellers, 0) : NULL);
  fetch_billing_profile (op, customer);
}

/* GET /customers/{id} carries the list's fields and delegated access. */
static void
on_customer_fetched (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  FetchOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) customer = NULL;
  SyncRun *run = g_task_get_task_data (op->task);

  customer = pd_pc_client_get_customer_finish (PD_PC_CLIENT (source), result, &error);
  if (customer == NULL)
    {
      fetch_failed (op, error);
      return;
    }
  pd_sync_item_free (op->item);
  op->item = pd_sync_item_new_from_customer (customer);
  if (!run->checking_unseen)
    {
      fetch_billing_profile (op, customer);
      return;
    }
  /* Still a customer, though no listing of the scope has it: whose is it now? */
  op->customer = g_steal_pointer (&customer);
  pd_pc_client_list_customer_resellers_async (run->self->client, op->item->tenant_id,
                                              run->cancellable, on_customer_resellers, op);
}

/* Every customer is fetched by id, listed or not: GET /customers/{id} costs the same one
 * request as GET …/profiles/billing, and only it carries allowDelegatedAccess, which the list
 * lacks (partner-center-api.md §4). Fetching the billing profile alone would store delegated
 * access as unknown in a full run and as known in an incremental one. */
static void
start_fetch (SyncRun    *run,
             PdSyncItem *item)
{
  FetchOp *op = g_new0 (FetchOp, 1);

  op->task = g_object_ref (run->task);
  op->item = item;
  run->in_flight++;
  pd_pc_client_get_customer_async (run->self->client, item->tenant_id, run->cancellable,
                                   on_customer_fetched, op);
}

static void
enqueue (SyncRun    *run,
         PdSyncItem *item)
{
  run->listed++;
  /* Stored by the run this one resumes: done already. */
  if (run->checkpoint != NULL && g_hash_table_contains (run->checkpoint, item->tenant_id))
    {
      run->done++;
      if (run->restore_seen)
        keep_as_seen (run, item->tenant_id);
      pd_sync_item_free (item);
      return;
    }
  g_queue_push_tail (&run->queue, item);
}

/* Every customer to fetch is in the queue (complete: and the full list was read to its end):
 * fetch the rest, then finish. */
static void
all_customers_queued (SyncRun  *run,
                      gboolean  complete)
{
  run->listing_done = TRUE;
  run->listing_complete = complete;
  pump (run);
  report_customers (run, TRUE);
  maybe_finish (run);
}

/* ---- full sync: the customer list ---- */

/* Counts the customers of listed that this run had not listed before (new: their indexes) and
 * leaves them waiting in the cache for refill_queue. One stored by the run this one resumes is
 * done already. */
static gboolean
queue_listed (SyncRun   *run,
              GPtrArray *listed)
{
  g_autoptr(GArray) new = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;

  if (!pd_store_queue_listed (run->self->store, run->run_id, listed, new, &error))
    {
      fail_run (run, error, _("Could not store the customers"));
      return FALSE;
    }
  for (guint i = 0; i < new->len; i++)
    {
      PdOrganization *org = g_ptr_array_index (listed, g_array_index (new, guint, i));
      const char *tenant_id = pd_organization_get_tenant_id (org);

      /* Waiting even when done: refill_queue skips it. */
      run->listed++;
      run->listed_waiting++;
      if (run->checkpoint == NULL || !g_hash_table_contains (run->checkpoint, tenant_id))
        continue;
      run->done++;
      if (run->restore_seen && !keep_as_seen (run, tenant_id))
        return FALSE;
    }
  return TRUE;
}

static gboolean
on_customer_page (GPtrArray *customers,
                  gpointer   user_data)
{
  SyncRun *run = user_data;
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_object_unref);

  if (stopping (run))
    return FALSE;
  for (guint i = 0; i < customers->len; i++)
    {
      const PdPcCustomer *customer = g_ptr_array_index (customers, i);
      g_autoptr(PdSyncItem) item = NULL;

      if (customer->id == NULL || *customer->id == '\0')
        continue;
      /* A scoped listing has attributed nothing else (the first reseller listing wins). */
      if (run->scope != NULL && !g_hash_table_contains (run->reseller_of, customer->id))
        g_hash_table_replace (run->reseller_of, g_strdup (customer->id),
                              g_ptr_array_index (run->scope_resellers, run->scope_index));
      item = pd_sync_item_new_from_customer (customer);
      g_ptr_array_add (listed, item_to_organization (run, item, NULL));
    }
  /* The page is in the cache before any of its customers is read. */
  if (!queue_listed (run, listed) || !store_listed (run, listed)
      || (batch_is_due (run) && !flush_batch (run)))
    return FALSE;
  pump (run);
  report_customers (run, FALSE);
  return TRUE;
}

static void list_customers (SyncRun *run);

/* The list's continuation token expired (400/2001): the list starts again from its first
 * page, bounded. What this run listed already is skipped (pd_store_queue_listed); a
 * customer stored twice would only be seen again, as the store's checkpoint is idempotent. */
static gboolean
restart_listing (SyncRun      *run,
                 const GError *error)
{
  if (!g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_BAD_REQUEST)
      || g_strcmp0 (pd_pc_error_get_code (error), PD_PC_CODE_TOKEN_EXPIRED) != 0
      || run->listing_restarts >= MAX_LISTING_RESTARTS || stopping (run))
    return FALSE;
  run->listing_restarts++;
  g_debug ("sync: %s; listing again from the first page (%u)", error->message,
           run->listing_restarts);
  list_customers (run);
  return TRUE;
}

static void
on_customers_listed (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SyncRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gint64 n;

  run->pending--;
  n = pd_pc_client_list_customers_finish (PD_PC_CLIENT (source), result, &error);
  if (n < 0 && restart_listing (run, error))
    return;
  if (n < 0)
    fail_run (run, error, _("Could not list the customers"));
  /* A scoped listing reads each reseller's customers in turn, each paged to its end. */
  if (n >= 0 && run->scope != NULL && !stopping (run)
      && run->scope_index + 1 < run->scope_resellers->len)
    {
      run->scope_index++;
      list_customers (run);
      return;
    }
  g_debug ("sync: listing done, %" G_GUINT64_FORMAT " customers", run->listed);
  /* A listing stopped early (cancel, failure) is not complete even without an error. */
  all_customers_queued (run, n >= 0 && !stopping (run));
}

static void
list_customers (SyncRun *run)
{
  const PdPcReseller *reseller = run->scope != NULL
                                 ? g_ptr_array_index (run->scope_resellers, run->scope_index)
                                 : NULL;

  run->pending++;
  pd_pc_client_list_customers_async (run->self->client,
                                     reseller != NULL ? PD_PC_FILTER_INDIRECT_RESELLER
                                                      : PD_PC_FILTER_NONE,
                                     reseller != NULL ? reseller->id : NULL,
                                     on_customer_page, run, run->cancellable,
                                     on_customers_listed, g_object_ref (run->task));
}

static void
start_listing (SyncRun *run)
{
  g_autoptr(GError) error = NULL;

  run->phase = PHASE_FETCH;
  run->scope_index = 0;
  /* What an earlier run's process left there when it died. */
  if (!pd_store_clear_listed (run->self->store, 0, &error))
    {
      fail_run (run, error, _("Could not store the customers"));
      maybe_finish (run);
      return;
    }
  report (run, PD_SYNC_STAGE_LISTING, 0, 0, TRUE);
  list_customers (run);
}

/* ---- incremental sync: the activity log ---- */

static void
queue_changes (SyncRun    *run,
               GHashTable *changes)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, changes);
  while (g_hash_table_iter_next (&iter, &key, &value) && !stopping (run))
    {
      if (GPOINTER_TO_INT (value) == PD_SYNC_CHANGE_REMOVED)
        {
          mark_removed (run, key);
          continue;
        }
      enqueue (run, pd_sync_item_new_for_tenant (key));
    }
}

static void start_audit (SyncRun *run);

/* A customer that failed in an earlier run is not named by the activity log unless Partner
 * Center changed it again, so without this an ordinary sync would never fetch it. A retry of
 * some of them since does not fetch the others. */
static void
add_previous_failures (SyncRun    *run,
                       GHashTable *changes)
{
  g_autoptr(GHashTable) unfetched = pd_sync_dup_unfetched_failures (run->self->store, run->run_id);
  GHashTableIter iter;
  gpointer tenant_id;

  g_hash_table_iter_init (&iter, unfetched);
  while (g_hash_table_iter_next (&iter, &tenant_id, NULL))
    if (!g_hash_table_contains (changes, tenant_id))
      g_hash_table_insert (changes, g_strdup (tenant_id),
                           GINT_TO_POINTER (PD_SYNC_CHANGE_REFETCH));
}

static void
fetch_queued (SyncRun *run)
{
  run->phase = PHASE_FETCH;
  all_customers_queued (run, TRUE);
}

static void
on_audit_listed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SyncRun *run = g_task_get_task_data (task);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GHashTable) changes = NULL;

  run->pending--;
  records = pd_pc_client_list_audit_records_finish (PD_PC_CLIENT (source), result,
                                                    &run->step_error);
  if (records != NULL)
    {
      changes = pd_sync_changes_from_audit (records);
      g_debug ("sync: %u audit records name %u customers", records->len,
               g_hash_table_size (changes));
      add_previous_failures (run, changes);
      queue_changes (run, changes);
    }
  after_prepare_step (run, start_audit, fetch_queued, _("Could not read the activity log"));
}

static void
start_audit (SyncRun *run)
{
  report (run, PD_SYNC_STAGE_LISTING, 0, 0, TRUE);
  run->pending++;
  pd_pc_client_list_audit_records_async (run->self->client, run->audit_start, run->now,
                                         run->cancellable, on_audit_listed,
                                         g_object_ref (run->task));
}

static void
queue_retry_ids (SyncRun *run)
{
  for (guint i = 0; run->retry_ids[i] != NULL; i++)
    enqueue (run, pd_sync_item_new_for_tenant (run->retry_ids[i]));
  fetch_queued (run);
}

static void
after_resellers (SyncRun *run)
{
  g_debug ("sync: %u resellers own %u customers", run->resellers->len,
           g_hash_table_size (run->reseller_of));
  switch (run->kind)
    {
    case RUN_FULL:
      start_listing (run);
      break;
    case RUN_INCREMENTAL:
      start_audit (run);
      break;
    case RUN_RETRY:
    default:
      queue_retry_ids (run);
      break;
    }
}

/* ---- country rules ---- */

static gboolean
country_rule_is_stale (SyncRun    *run,
                       const char *iso2)
{
  g_autoptr(GDateTime) fetched = pd_store_get_country_rule_fetched_at (run->self->store, iso2);

  return fetched == NULL
         || g_date_time_difference (run->now, fetched) > COUNTRY_RULE_MAX_AGE_DAYS * G_TIME_SPAN_DAY;
}

static void
on_country_rule (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SyncRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdCountryRule) rule = NULL;

  run->pending--;
  run->rules_done++;
  rule = pd_pc_client_get_country_rules_finish (PD_PC_CLIENT (source), result, &error);
  /* The bundled rules stay in use: a rule that could not be refreshed is no failure. */
  if (rule == NULL || !pd_store_save_country_rule (run->self->store, rule, &error))
    g_debug ("sync: country rule not refreshed: %s", error->message);
  report (run, PD_SYNC_STAGE_COUNTRY_RULES, run->rules_done, run->rules_total, FALSE);
  maybe_finish (run);
}

static void
start_country_rules (SyncRun *run)
{
  g_auto(GStrv) countries = pd_store_dup_countries (run->self->store);

  run->phase = PHASE_RULES;
  for (guint i = 0; countries != NULL && countries[i] != NULL; i++)
    {
      if (!country_rule_is_stale (run, countries[i]))
        continue;
      run->rules_total++;
      run->pending++;
      pd_pc_client_get_country_rules_async (run->self->client, countries[i], run->cancellable,
                                            on_country_rule, g_object_ref (run->task));
    }
  report (run, PD_SYNC_STAGE_COUNTRY_RULES, 0, run->rules_total, TRUE);
  maybe_finish (run);
}

/* ---- finishing ---- */

/* A listed customer that could not be fetched is still a Partner Center customer: it is not
 * marked removed, and its cached copy, bill-to and local edits stay as they were. It counts
 * only as failed. */
static gboolean
keep_failed_as_seen (SyncRun *run)
{
  for (guint i = 0; i < run->failed_ids->len; i++)
    if (!keep_as_seen (run, g_ptr_array_index (run->failed_ids, i)))
      return FALSE;
  return TRUE;
}

/* FALSE (the run fails with PD_SYNC_ERROR_MASS_REMOVAL, nothing marked) when the marks would
 * be a mass removal the user did not allow. */
static gboolean
removal_allowed (SyncRun *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) refusal = NULL;
  guint unseen = 0, present = 0;

  if (!pd_store_count_unseen (run->self->store, run->run_id, &unseen, &present, &error))
    {
      fail_run (run, error, _("Could not store the customers"));
      return FALSE;
    }
  if (run->allow_mass_removal || !pd_sync_is_mass_removal (unseen, present))
    return TRUE;
  if (run->scope != NULL)
    refusal = g_error_new (PD_SYNC_ERROR, PD_SYNC_ERROR_MASS_REMOVAL,
                           ngettext ("Partner Center's listing of your resellers lacks %u of "
                                     "their %u customer in the cache. None was marked removed: "
                                     "confirm that they left before marking them.",
                                     "Partner Center's listing of your resellers lacks %u of "
                                     "their %u customers in the cache. None was marked removed: "
                                     "confirm that they left before marking them.", present),
                           unseen, present);
  else
    refusal = g_error_new (PD_SYNC_ERROR, PD_SYNC_ERROR_MASS_REMOVAL,
                           ngettext ("Partner Center's complete listing lacks %u of the %u "
                                     "customer in the cache. None was marked removed: confirm "
                                     "that they left before marking them.",
                                     "Partner Center's complete listing lacks %u of the %u "
                                     "customers in the cache. None was marked removed: confirm "
                                     "that they left before marking them.", present),
                           unseen, present);
  fail_run (run, refusal, NULL);
  return FALSE;
}

static void
mark_unseen_removed (SyncRun *run)
{
  g_autoptr(GError) error = NULL;
  guint n;

  if (!keep_failed_as_seen (run) || !removal_allowed (run))
    return;
  n = pd_store_mark_unseen_removed (run->self->store, run->run_id, &error);
  if (error != NULL)
    fail_run (run, error, _("Could not store the customers"));
  else
    g_debug ("sync: %u customers no longer in Partner Center", n);
}

/* A customer of the scope that the scoped listing lacked may have moved to a reseller outside
 * the scope, or become direct, and Partner Center still has it: a scoped run asks for each one
 * by id before it marks anything. Not found (404): fetch_failed marks it removed. Found: it is
 * stored with the reseller Partner Center now names, out of the scope. An error: a failure,
 * kept as it was. Within the mass-removal guard, which refuses too many before any request.
 * TRUE when the run goes on without marking now: the checks are queued (finish_fetching comes
 * again once they are done), or the run fails. */
static gboolean
check_unseen (SyncRun *run)
{
  g_autoptr(GHashTable) unseen = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer tenant_id;

  if (run->scope == NULL || run->checking_unseen)
    return FALSE;
  run->checking_unseen = TRUE;
  if (!keep_failed_as_seen (run) || !removal_allowed (run))
    return TRUE;
  unseen = pd_store_dup_unseen_tenants (run->self->store, run->run_id, &error);
  if (unseen == NULL)
    {
      fail_run (run, error, _("Could not store the customers"));
      return TRUE;
    }
  if (g_hash_table_size (unseen) == 0)
    return FALSE;
  g_debug ("sync: asking for %u customers the scope's listing lacked",
           g_hash_table_size (unseen));
  /* Not through enqueue: a checkpoint's customer that this listing lacked is checked too. */
  g_hash_table_iter_init (&iter, unseen);
  while (g_hash_table_iter_next (&iter, &tenant_id, NULL))
    {
      run->listed++;
      g_queue_push_tail (&run->queue, pd_sync_item_new_for_tenant (tenant_id));
    }
  pump (run);
  report_customers (run, TRUE);
  return TRUE;
}

static void
finish_fetching (SyncRun *run)
{
  report (run, PD_SYNC_STAGE_FINISHING, run->done, run->listed, TRUE);
  if (!flush_batch (run))
    return;
  /* Only a list read to its end proves a customer is gone. */
  if (run->kind == RUN_FULL && run->listing_complete)
    {
      if (check_unseen (run))
        return;
      mark_unseen_removed (run);
    }
  if (!stopping (run))
    start_country_rules (run);
}

static void
end_run (SyncRun     *run,
         PdSyncState  state)
{
  PdSyncEngine *self = run->self;
  g_autoptr(GError) error = NULL;
  const char *message = run->error != NULL ? run->error->message : NULL;

  run->phase = PHASE_ENDED;
  if (!pd_store_finish_sync_run (self->store, run->run_id, state, message, &error))
    g_warning ("Could not record the end of sync run %" G_GINT64_FORMAT ": %s",
               run->run_id, error->message);
  /* A resumed run lists again: it skips what was stored (its checkpoint), not what was listed. */
  g_clear_error (&error);
  if (!pd_store_clear_listed (self->store, run->run_id, &error))
    g_debug ("sync: the listing of run %" G_GINT64_FORMAT " stays in the cache: %s",
             run->run_id, error->message);
  report (run, PD_SYNC_STAGE_IDLE, run->done, run->listed, TRUE);
  set_running (self, FALSE);
  g_debug ("sync: run %" G_GINT64_FORMAT " ended %s", run->run_id,
           pd_sync_state_to_string (state));
  if (state == PD_SYNC_STATE_COMPLETE)
    g_task_return_int (run->task, run->run_id);
  else if (run->error != NULL)
    g_task_return_error (run->task, g_steal_pointer (&run->error));
  else
    g_task_return_new_error (run->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The sync was cancelled"));
}

/* A stopped run keeps what it fetched: stored, it is the checkpoint the next run resumes
 * from, and it is as consistent as any batch. */
static void
end_stopped_run (SyncRun *run)
{
  if (run->phase == PHASE_FETCH)
    flush_batch (run);
  end_run (run, run->error != NULL ? PD_SYNC_STATE_FAILED : PD_SYNC_STATE_CANCELLED);
}

/* Called after every step: moves the run on once nothing is outstanding. */
static void
maybe_finish (SyncRun *run)
{
  if (run->pending > 0 || run->in_flight > 0 || run->phase == PHASE_ENDED)
    return;
  if (stopping (run))
    end_stopped_run (run);
  else if (run->phase == PHASE_FETCH && run->listing_done && g_queue_is_empty (&run->queue)
           && run->listed_waiting == 0)
    finish_fetching (run);
  else if (run->phase == PHASE_RULES)
    end_run (run, PD_SYNC_STATE_COMPLETE);
  /* The run may have stopped while finishing. */
  if (run->phase != PHASE_ENDED && run->pending == 0 && stopping (run))
    end_stopped_run (run);
}

/* ---- starting ---- */

/* An incremental run builds on the last complete one: a scoped run did not read the customers
 * outside its scope, so the activity log since one is no base for all of them until a full
 * run of every customer. (A retry in between, whatever its scope, read only its few.) */
static gboolean
last_complete_was_scoped (SyncRun *run)
{
  g_autoptr(GPtrArray) runs = pd_store_list_sync_runs (run->self->store, 50, NULL);

  for (guint i = 0; runs != NULL && i < runs->len; i++)
    {
      const PdSyncRun *previous = g_ptr_array_index (runs, i);
      g_auto(GStrv) scope = NULL;

      if (previous->state != PD_SYNC_STATE_COMPLETE)
        continue;
      scope = pd_store_dup_run_scope (run->self->store, previous->id);
      if (scope != NULL)
        return TRUE;
      if (previous->kind == PD_SYNC_KIND_FULL)
        return FALSE;
    }
  return FALSE;
}

static RunKind
choose_kind (SyncRun    *run,
             PdSyncMode  mode)
{
  g_autoptr(GDateTime) base = NULL;

  if (mode == PD_SYNC_MODE_FULL || run->scope != NULL || last_complete_was_scoped (run))
    return RUN_FULL;
  base = pd_store_get_last_complete_sync (run->self->store);
  if (!pd_sync_audit_window_start (base, run->now, &run->audit_start))
    return RUN_FULL;
  return RUN_INCREMENTAL;
}

/* The store chains a new run to an interrupted one (its process died), and treats what that
 * one stored as seen. A recent cancelled or failed full run is not chained: its customers are
 * skipped all the same, and each one listed again is marked seen by this run (keep_as_seen),
 * without a request and without counting it: that run counted it. */
static void
resume_unchained (SyncRun *run)
{
  g_autoptr(GPtrArray) runs = pd_store_list_sync_runs (run->self->store, 2, NULL);
  PdSyncRun *previous;

  if (runs == NULL || runs->len < 2)
    return;
  previous = g_ptr_array_index (runs, 1);
  if (previous->kind != PD_SYNC_KIND_FULL
      || (previous->state != PD_SYNC_STATE_CANCELLED && previous->state != PD_SYNC_STATE_FAILED)
      || g_date_time_difference (run->now, previous->started_at) > RESUME_MAX_AGE)
    return;
  run->checkpoint = pd_store_get_checkpoint (run->self->store, previous->id, NULL);
  run->restore_seen = TRUE;
  g_debug ("sync: resuming %s run %" G_GINT64_FORMAT ", %u customers stored already",
           pd_sync_state_to_string (previous->state), previous->id,
           run->checkpoint != NULL ? g_hash_table_size (run->checkpoint) : 0);
}

/* A run that fails a customer marks it seen at its end (keep_failed_as_seen), so the
 * checkpoint of a run resumed after that point has it: it is fetched again all the same. */
static void
fetch_failed_again (SyncRun *run)
{
  g_autoptr(GHashTable) unfetched = pd_sync_dup_unfetched_failures (run->self->store, run->run_id);
  GHashTableIter iter;
  gpointer tenant_id;

  g_hash_table_iter_init (&iter, unfetched);
  while (g_hash_table_iter_next (&iter, &tenant_id, NULL))
    g_hash_table_remove (run->checkpoint, tenant_id);
}

static gboolean
begin_run (SyncRun  *run,
           GError  **error)
{
  PdSyncEngine *self = run->self;
  g_autofree char *correlation_id = g_uuid_string_random ();
  PdSyncKind kind = run->kind == RUN_FULL ? PD_SYNC_KIND_FULL : PD_SYNC_KIND_INCREMENTAL;
  gint64 resume_run_id = 0;

  run->run_id = pd_store_begin_sync_run (self->store, kind, correlation_id, &resume_run_id,
                                         error);
  if (run->run_id <= 0)
    return FALSE;
  /* Recorded before anything is stored: the end of the run marks removed within it. */
  if (!pd_store_set_run_scope (self->store, run->run_id, (const char * const *) run->scope, error))
    return FALSE;
  pd_pc_client_set_correlation_id (self->client, correlation_id);
  /* Only a full run skips what an interrupted one stored: an incremental run fetches a few
   * customers, and fetching them again is cheaper than being wrong. */
  if (resume_run_id > 0 && run->kind == RUN_FULL)
    {
      run->checkpoint = pd_store_get_checkpoint (self->store, run->run_id, NULL);
      g_debug ("sync: resuming run %" G_GINT64_FORMAT ", %u customers stored already",
               resume_run_id, run->checkpoint != NULL ? g_hash_table_size (run->checkpoint) : 0);
    }
  else if (run->kind == RUN_FULL)
    resume_unchained (run);
  if (run->checkpoint != NULL)
    fetch_failed_again (run);
  g_debug ("sync: run %" G_GINT64_FORMAT " (%s) begins", run->run_id,
           pd_sync_kind_to_string (kind));
  return TRUE;
}

/* Ends a run refused before it began: no run row, nothing stored. */
static void
refuse_run (SyncRun *run,
            GError  *error)
{
  run->phase = PHASE_ENDED;
  report (run, PD_SYNC_STAGE_IDLE, 0, 0, TRUE);
  set_running (run->self, FALSE);
  g_debug ("sync: refused: %s", error->message);
  g_task_return_error (run->task, error);
}

/* The profile exists but this user may not read it (a role without access, an answer we cannot
 * parse): the token's tenant still says who the partner is. Any other error (sign-in, MFA,
 * network, cancel) stops the sync before it begins. */
static gboolean
profile_merely_unreadable (const GError *error)
{
  return g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_FORBIDDEN)
         || g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_NOT_FOUND)
         || g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_INVALID_RESPONSE);
}

/* Whose customers these are, before anything is stored: Partner Center's own answer, or the
 * tenant of the token when the profile cannot be read (a role without access to it). A cache
 * holds one partner's customers (pd_store_claim_partner). */
static void
on_partner_identified (GObject      *source,
                       GAsyncResult *result,
                       gpointer      data)
{
  g_autoptr(GTask) task = data;
  SyncRun *run = g_task_get_task_data (task);
  PdSyncEngine *self = run->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCompanyProfile) profile =
    pd_pc_client_get_organization_profile_finish (self->client, result, &error);
  const char *tenant = profile != NULL ? profile->tenant_id
                                       : pd_pc_client_get_token_tenant_id (self->client);

  if (profile == NULL && (tenant == NULL || !profile_merely_unreadable (error)))
    {
      refuse_run (run, g_steal_pointer (&error));
      return;
    }
  if (profile == NULL)
    g_debug ("sync: organization profile unreadable (%s); the signed-in tenant is used",
             error->message);
  g_clear_error (&error);
  if (!pd_store_claim_partner (self->store, tenant, profile != NULL ? profile->company_name
                                                                   : NULL,
                               pd_pc_client_get_base_url (self->client), &error)
      || !begin_run (run, &error))
    {
      refuse_run (run, g_steal_pointer (&error));
      return;
    }
  report (run, PD_SYNC_STAGE_STARTING, 0, 0, TRUE);
  start_resellers (run);
}

static void
start_run (PdSyncEngine        *self,
           PdSyncMode           mode,
           const char * const  *retry_ids,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  SyncRun *run;

  g_task_set_source_tag (task, source_tag);
  if (self->running)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (self->started_at);
      /* Translators: a g_date_time_format() time of day, "14:02" */
      /* xgettext:no-c-format */
      g_autofree char *since = g_date_time_format (local, _("%H:%M"));

      g_task_return_new_error (task, PD_STORE_ERROR, PD_STORE_ERROR_BUSY,
                               _("A sync is already running (since %s)"), since);
      return;
    }
  run = sync_run_new (self, task, retry_ids != NULL ? RUN_RETRY : RUN_FULL);
  run->allow_mass_removal = self->allow_mass_removal;
  self->allow_mass_removal = FALSE;
  g_task_set_task_data (task, run, sync_run_free);
  /* A retry records the scope too (it marks nothing unseen): status says what it was. */
  run->scope = pd_store_dup_reseller_scope (self->store);
  if (retry_ids != NULL)
    run->retry_ids = g_strdupv ((char **) retry_ids);
  else
    run->kind = choose_kind (run, mode);
  memset (&self->progress, 0, sizeof self->progress);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  self->started_at = g_date_time_ref (run->now);
  set_running (self, TRUE);
  report (run, PD_SYNC_STAGE_STARTING, 0, 0, TRUE);
  pd_pc_client_get_organization_profile_async (self->client, run->cancellable,
                                               on_partner_identified, g_object_ref (task));
}

/* ---- public API ---- */

static const char * const stage_labels[] = {
  [PD_SYNC_STAGE_IDLE] = N_("Idle"),
  [PD_SYNC_STAGE_STARTING] = N_("Starting"),
  [PD_SYNC_STAGE_LISTING] = N_("Listing customers"),
  [PD_SYNC_STAGE_PROFILES] = N_("Fetching billing profiles"),
  [PD_SYNC_STAGE_RESELLERS] = N_("Reading indirect resellers"),
  [PD_SYNC_STAGE_COUNTRY_RULES] = N_("Refreshing country rules"),
  [PD_SYNC_STAGE_FINISHING] = N_("Finishing"),
};

const char *
pd_sync_stage_label (PdSyncStage stage)
{
  return (guint) stage < G_N_ELEMENTS (stage_labels) ? _(stage_labels[stage]) : "";
}

PdSyncEngine *
pd_sync_engine_new (PdStore    *store,
                    PdPcClient *client)
{
  PdSyncEngine *self;

  g_return_val_if_fail (PD_IS_STORE (store), NULL);
  g_return_val_if_fail (PD_IS_PC_CLIENT (client), NULL);
  self = g_object_new (PD_TYPE_SYNC_ENGINE, NULL);
  self->store = g_object_ref (store);
  self->client = g_object_ref (client);
  return self;
}

gboolean
pd_sync_engine_get_running (PdSyncEngine *self)
{
  g_return_val_if_fail (PD_IS_SYNC_ENGINE (self), FALSE);
  return self->running;
}

void
pd_sync_engine_get_progress (PdSyncEngine   *self,
                             PdSyncProgress *progress)
{
  g_return_if_fail (PD_IS_SYNC_ENGINE (self));
  g_return_if_fail (progress != NULL);
  *progress = self->progress;
}

void
pd_sync_engine_set_batch_size (PdSyncEngine *self,
                               guint         batch_size)
{
  g_return_if_fail (PD_IS_SYNC_ENGINE (self));
  self->batch_size = MAX (batch_size, 1);
}

void
pd_sync_engine_set_listed_window (PdSyncEngine *self,
                                  guint         listed_window)
{
  g_return_if_fail (PD_IS_SYNC_ENGINE (self));
  self->listed_window = MAX (listed_window, 1);
}

void
pd_sync_engine_run_async (PdSyncEngine        *self,
                          PdSyncMode           mode,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (PD_IS_SYNC_ENGINE (self));
  start_run (self, mode, NULL, pd_sync_engine_run_async, cancellable, callback, user_data);
}

gint64
pd_sync_engine_run_finish (PdSyncEngine  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  gint64 run_id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  run_id = g_task_propagate_int (G_TASK (result), error);
  return run_id > 0 ? run_id : 0;
}

void
pd_sync_engine_retry_async (PdSyncEngine        *self,
                            const char * const  *tenant_ids,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  static const char * const none[] = { NULL };

  g_return_if_fail (PD_IS_SYNC_ENGINE (self));
  start_run (self, PD_SYNC_MODE_AUTO, tenant_ids != NULL ? tenant_ids : none,
             pd_sync_engine_retry_async, cancellable, callback, user_data);
}

gint64
pd_sync_engine_retry_finish (PdSyncEngine  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return pd_sync_engine_run_finish (self, result, error);
}

/* ---- GObject ---- */

static void
pd_sync_engine_finalize (GObject *object)
{
  PdSyncEngine *self = PD_SYNC_ENGINE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  G_OBJECT_CLASS (pd_sync_engine_parent_class)->finalize (object);
}

static void
pd_sync_engine_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PdSyncEngine *self = PD_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_sync_engine_class_init (PdSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pd_sync_engine_finalize;
  object_class->get_property = pd_sync_engine_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_BATCH_STORED] =
    g_signal_new ("batch-stored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
pd_sync_engine_init (PdSyncEngine *self)
{
  self->batch_size = DEFAULT_BATCH_SIZE;
  self->listed_window = DEFAULT_LISTED_WINDOW;
}
