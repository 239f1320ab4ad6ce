/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-engine.c — full and incremental sync of Partner Center into the store.
 *
 * A run goes through three phases, each asynchronous on the caller's main context:
 *   PREPARE  indirect resellers (who owns which customer), then the audit log for an
 *            incremental run, which also reads the customers whose reseller the listings
 *            changed;
 *   FETCH    the customer list streams into the cache (each page's customers stored, and
 *            recorded as listed by the run) while customers are fetched by id (with their
 *            billing profile) oldest listed first; memory holds only a window of the listed
 *            ones (refill_queue) and a bounded number of requests (the client enforces the
 *            real concurrency limit; fetch_window only keeps it busy), so a listing far ahead
 *            of the reads costs no memory; they are stored in batches, one transaction each;
 *   RULES    country validation rules older than a week are refreshed.
 * A run with a reseller scope (the cache's "My resellers", pd_store_dup_reseller_scope)
 * covers that scope: instead of the whole customer list it lists the customers of each
 * reseller in scope in turn (Partner Center's IndirectReseller filter takes one reseller a
 * request, partner-center-api.md §9), and at its end marks removed only the unseen customers of
 * those resellers (the store keeps the run's scope). A customer of the scope that the listing
 * lacked may have moved to another reseller or become direct rather than left: it is asked for
 * by id before anything is marked (check_unseen). Customers outside the scope stay in the
 * cache as they were. A full scoped run reads every listed customer by id. The activity log
 * names customers without their reseller, so a scoped run is incremental only with the
 * scope's listing: on a base that covered every reseller of the scope (pd-sync-kind.c), it
 * reads the log first, then lists the scope and reads by id only the listed customers the log
 * (or an earlier failure) names, that the cache lacks or never read, or whose reseller the
 * listing changed (needs_read, pd-sync-fetch.c); the others are seen as they are. The unseen
 * ones are checked as in a full run. The first unscoped run after a scoped one is full: its
 * base must have covered every customer.
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
#include "pd-sync-run-private.h"

#define DEFAULT_BATCH_SIZE        500
/* Listed customers held in memory while they wait for their read; the rest wait in the cache
 * (pd_store_queue_listed): a listing runs far ahead of the reads, and 100,000 waiting items
 * and their ids held ~30 MB, a million ten times that. */
#define DEFAULT_LISTED_WINDOW     2000
#define PROGRESS_INTERVAL_US      (100 * G_TIME_SPAN_MILLISECOND)
#define COUNTRY_RULE_MAX_AGE_DAYS 7
/* Preparation steps (resellers, audit log) are whole, idempotent reads: redo them a few times
 * before giving up on the run. The client has already retried each request. */
#define MAX_STEP_ATTEMPTS         3

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

void
pd_sync_engine_set_scope_once (PdSyncEngine       *self,
                               const char * const *reseller_ids)
{
  g_return_if_fail (PD_IS_SYNC_ENGINE (self));
  g_strfreev (self->next_scope);
  self->next_scope = pd_store_normalize_scope (reseller_ids);
  self->next_scope_given = TRUE;
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

/* ---- run state ---- */

static void
sync_run_free (gpointer data)
{
  SyncRun *run = data;

  g_clear_pointer (&run->now, g_date_time_unref);
  g_clear_pointer (&run->audit_start, g_date_time_unref);
  g_clear_pointer (&run->retry_ids, g_strfreev);
  g_clear_pointer (&run->checkpoint, g_hash_table_unref);
  g_clear_pointer (&run->reseller_by_id, g_hash_table_unref);
  g_clear_pointer (&run->unproven_resellers, g_hash_table_unref);
  g_clear_pointer (&run->resellers, g_ptr_array_unref);
  g_clear_pointer (&run->scope, g_strfreev);
  g_clear_pointer (&run->scope_resellers, g_ptr_array_unref);
  g_clear_pointer (&run->named, g_hash_table_unref);
  g_clear_pointer (&run->waiting, g_hash_table_unref);
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
  run->reseller_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->unproven_resellers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->failed_ids = g_ptr_array_new_with_free_func (g_free);
  run->batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_queue_init (&run->queue);
  return run;
}

gboolean
_pd_sync_is_cancelled_error (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

gboolean
_pd_sync_stopping (SyncRun *run)
{
  return run->error != NULL || g_cancellable_is_cancelled (run->cancellable);
}

/* Refused sign-ins (401, or a token without MFA): no request of this run can succeed. */
gboolean
_pd_sync_needs_sign_in (const GError *error)
{
  return g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_UNAUTHORIZED)
         || g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_MFA_REQUIRED);
}

/* The store's words for a busy cache speak of an edit not saved: a sync says what became of
 * it, that it did not start (started FALSE) or that it stopped. Other errors as they are. */
static GError *
say_sync_busy (GError   *error,
               gboolean  started)
{
  int seconds = PD_STORE_LOCK_WAIT_MS / 1000;
  GError *said;

  if (!g_error_matches (error, PD_STORE_ERROR, PD_STORE_ERROR_LOCKED))
    return error;
  if (started)
    said = g_error_new (PD_STORE_ERROR, PD_STORE_ERROR_LOCKED,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "The cache is busy: another program using it (Partner "
                                     "Desk, partner-desk-cli or its sync timer) kept it locked "
                                     "for more than %d second, so the sync stopped; what it "
                                     "stored is kept. Sync again in a moment.",
                                     "The cache is busy: another program using it (Partner "
                                     "Desk, partner-desk-cli or its sync timer) kept it locked "
                                     "for more than %d seconds, so the sync stopped; what it "
                                     "stored is kept. Sync again in a moment.",
                                     seconds),
                        seconds);
  else
    said = g_error_new (PD_STORE_ERROR, PD_STORE_ERROR_LOCKED,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "The cache is busy: another program using it (Partner Desk, "
                                     "partner-desk-cli or its sync timer) kept it locked for more "
                                     "than %d second, so the sync did not start. Try again in a "
                                     "moment.",
                                     "The cache is busy: another program using it (Partner Desk, "
                                     "partner-desk-cli or its sync timer) kept it locked for more "
                                     "than %d seconds, so the sync did not start. Try again in a "
                                     "moment.",
                                     seconds),
                        seconds);
  g_error_free (error);
  return said;
}

/* Records why the run fails (the first reason wins). Cancellation is not a failure: the run
 * ends CANCELLED through the cancellable. A sign-in error keeps its message as it is ("Sign in
 * again…" first): which step met it does not matter to the user. */
void
_pd_sync_fail_run (SyncRun      *run,
                   const GError *error,
                   const char   *context)
{
  if (run->error != NULL || _pd_sync_is_cancelled_error (error))
    return;
  /* A copy keeps what a PD_PC_ERROR carries besides its message (code, request IDs). */
  run->error = say_sync_busy (g_error_copy (error), TRUE);
  if (context != NULL && !_pd_sync_needs_sign_in (error))
    {
      char *message = g_strdup_printf ("%s: %s", context, run->error->message);

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
emit_progress (PdSyncEngine *self)
{
  self->last_progress_us = g_get_monotonic_time ();
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, &self->progress);
}

static void
clear_wait_source (PdSyncEngine *self)
{
  if (self->wait_source == NULL)
    return;
  g_source_destroy (self->wait_source);
  g_clear_pointer (&self->wait_source, g_source_unref);
}

static void
end_wait (PdSyncEngine *self)
{
  clear_wait_source (self);
  self->wait_until_us = 0;
  self->progress.wait_seconds = 0;
}

static gboolean on_wait_tick (gpointer data);

/* The rate and ETA of before a throttling wait do not hold during it ("about 1 s left" under
 * "16 s left"): unknown until answers come again. */
static void
hide_estimates_while_waiting (PdSyncProgress *progress)
{
  if (progress->wait_seconds == 0)
    return;
  progress->rate = 0;
  progress->eta_seconds = -1;
}

/* Sets progress.wait_seconds to the whole seconds left of the wait, rounded up, and wakes up
 * when that number drops: a wait of minutes counts down instead of standing still. */
static void
update_wait (PdSyncEngine *self)
{
  gint64 left_us = self->wait_until_us - g_get_monotonic_time ();
  guint seconds;
  gint64 next_us;

  clear_wait_source (self);
  if (left_us <= 0)
    {
      end_wait (self);
      return;
    }
  seconds = (guint) ((left_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
  self->progress.wait_seconds = seconds;
  hide_estimates_while_waiting (&self->progress);
  next_us = left_us - (gint64) (seconds - 1) * G_USEC_PER_SEC;
  /* On the run's context, as the client's own retry timer is. */
  self->wait_source = g_timeout_source_new ((guint) ((next_us + 999) / 1000));
  g_source_set_callback (self->wait_source, on_wait_tick, self, NULL);
  g_source_attach (self->wait_source, g_main_context_get_thread_default ());
}

static gboolean
on_wait_tick (gpointer data)
{
  PdSyncEngine *self = data;

  update_wait (self);
  /* At the end, calls may still be on their way back: say so at once, not at the next
   * answer. */
  emit_progress (self);
  return G_SOURCE_REMOVE;
}

/* A call waits out a 429: while nothing moves, the progress says why and how long is left of
 * the longest wait pending. */
static void
on_client_throttled (PdSyncEngine *self,
                     guint         wait_seconds)
{
  gint64 until_us = g_get_monotonic_time () + wait_seconds * G_USEC_PER_SEC;

  if (!self->running || wait_seconds == 0 || until_us <= self->wait_until_us)
    return;
  self->wait_until_us = until_us;
  update_wait (self);
  emit_progress (self);
}

void
_pd_sync_report (SyncRun     *run,
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
  if (stage == PD_SYNC_STAGE_IDLE)
    end_wait (self);
  hide_estimates_while_waiting (progress);
  if (!force && now_us - self->last_progress_us < PROGRESS_INTERVAL_US)
    return;
  emit_progress (self);
}

void
_pd_sync_report_customers (SyncRun  *run,
                           gboolean  force)
{
  PdSyncStage stage = run->listed > 0 || run->listing_done ? PD_SYNC_STAGE_PROFILES
                                                           : PD_SYNC_STAGE_LISTING;

  _pd_sync_report (run, stage, run->done, run->listed, force);
}

/* ---- storing ---- */

gboolean
_pd_sync_flush_batch (SyncRun *run)
{
  g_autoptr(GError) error = NULL;
  guint n = run->batch->len;

  if (n == 0)
    return TRUE;
  if (!pd_store_apply_partner_center (run->self->store, run->run_id, run->batch, NULL, &error))
    {
      _pd_sync_fail_run (run, error, _("Could not store the customers"));
      return FALSE;
    }
  g_ptr_array_set_size (run->batch, 0);
  run->batch_started_us = 0;
  g_signal_emit (run->self, signals[SIGNAL_BATCH_STORED], 0, n);
  return TRUE;
}

/* What the store's apply takes for item (profile NULL: what the listing carries). With the
 * list of resellers refused, who resells the customer is unknown: it keeps the reseller the
 * cache has (none for a new one) instead of being made direct. */
PdOrganization *
_pd_sync_item_to_organization (SyncRun                  *run,
                               const PdSyncItem         *item,
                               const PdPcBillingProfile *profile)
{
  const PdPcReseller *reseller = NULL;
  g_autoptr(PdOrganization) cached = NULL;

  if (!run->resellers_refused)
    reseller = _pd_sync_find_reseller (run, item);
  else
    cached = pd_store_find_by_tenant (run->self->store, item->tenant_id, NULL);
  if (cached != NULL)
    return pd_sync_item_to_organization (item, profile,
                                         pd_organization_get_reseller_id (cached),
                                         pd_organization_get_reseller_name (cached), run->now);
  return pd_sync_item_to_organization (item, profile, reseller != NULL ? reseller->id : NULL,
                                       reseller != NULL ? reseller->name : NULL, run->now);
}

/* Stores the customers of orgs that the cache lacks, bill-to not readable until read
 * (design.md §3: every customer Partner Center lists is in the cache). */
gboolean
_pd_sync_store_listed (SyncRun   *run,
                       GPtrArray *orgs)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (orgs->len == 0)
    return TRUE;
  if (!pd_store_apply_listing (run->self->store, run->run_id, orgs, &n, &error))
    {
      _pd_sync_fail_run (run, error, _("Could not store the customers"));
      return FALSE;
    }
  if (n > 0)
    g_signal_emit (run->self, signals[SIGNAL_BATCH_STORED], 0, n);
  return TRUE;
}

/* A customer whose details or billing profile could not be read: it is in the cache all the
 * same (when the run knows its name), with the reason; a customer read before keeps its last
 * known bill-to. */
void
_pd_sync_keep_unreadable (SyncRun          *run,
                          const PdSyncItem *item,
                          const GError     *error)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) store_error = NULL;
  g_autofree char *reason = pd_sync_unreadable_reason (item, error);

  if (item->name != NULL)
    g_ptr_array_add (orgs, _pd_sync_item_to_organization (run, item, NULL));
  if (!_pd_sync_store_listed (run, orgs))
    return;
  if (!pd_store_set_bill_to_unreadable (run->self->store, item->tenant_id, reason, &store_error))
    _pd_sync_fail_run (run, store_error, _("Could not store the customers"));
}

void
_pd_sync_record_failure (SyncRun          *run,
                         const PdSyncItem *item,
                         const GError     *error)
{
  g_autoptr(GError) store_error = NULL;
  g_autoptr(PdOrganization) cached = NULL;
  PdRunEvent event = {
    .kind = PD_RUN_EVENT_FAILED,
    .tenant_id = item->tenant_id,
    .name = item->name,
    .error = error->message,
  };

  /* A customer named only by its tenant id (the activity log, a retry) is reported by the name
   * the cache knows, as the run that listed it did. */
  if (event.name == NULL
      && (cached = pd_store_find_by_tenant (run->self->store, item->tenant_id, NULL)) != NULL)
    event.name = (char *) pd_organization_get_name (cached);

  run->n_failed++;
  g_ptr_array_add (run->failed_ids, g_strdup (item->tenant_id));
  if (!pd_store_add_run_event (run->self->store, run->run_id, &event, &store_error))
    _pd_sync_fail_run (run, store_error, _("Could not store the sync report"));
}

/* Takes org into the batch; the batch's age (see batch_is_due) counts from its first one. */
void
_pd_sync_add_to_batch (SyncRun        *run,
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
gboolean
_pd_sync_keep_as_seen (SyncRun    *run,
                       const char *tenant_id)
{
  g_autoptr(GError) error = NULL;

  if (pd_store_mark_seen (run->self->store, run->run_id, tenant_id, &error))
    return TRUE;
  _pd_sync_fail_run (run, error, _("Could not store the customers"));
  return FALSE;
}

/* A customer the activity log says was removed, or one of the scope that the scope's listing
 * lacked and Partner Center no longer knows by id (404), is removed, not failed. */
void
_pd_sync_mark_removed (SyncRun    *run,
                       const char *tenant_id)
{
  g_autoptr(GError) error = NULL;

  if (!pd_store_mark_removed (run->self->store, run->run_id, tenant_id, &error)
      && !g_error_matches (error, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND))
    _pd_sync_fail_run (run, error, _("Could not store the customers"));
}

/* Ends a preparation step once nothing of it is outstanding: on to the next one, or the step
 * again after an error, or the end of the run. */
void
_pd_sync_after_prepare_step (SyncRun     *run,
                             void       (*step) (SyncRun *),
                             void       (*next) (SyncRun *),
                             const char  *context)
{
  g_autoptr(GError) error = g_steal_pointer (&run->step_error);

  if (_pd_sync_stopping (run))
    {
      _pd_sync_maybe_finish (run);
      return;
    }
  if (error == NULL)
    {
      run->attempts = 0;
      next (run);
      return;
    }
  if (++run->attempts < MAX_STEP_ATTEMPTS && !_pd_sync_is_cancelled_error (error)
      && !_pd_sync_needs_sign_in (error))
    {
      g_debug ("sync: %s (%s); trying again", context, error->message);
      step (run);
      return;
    }
  _pd_sync_fail_run (run, error, context);
  _pd_sync_maybe_finish (run);
}

/* ---- incremental sync: the activity log ---- */

static void
queue_changes (SyncRun    *run,
               GHashTable *changes)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, changes);
  while (g_hash_table_iter_next (&iter, &key, &value) && !_pd_sync_stopping (run))
    {
      if (GPOINTER_TO_INT (value) == PD_SYNC_CHANGE_REMOVED)
        {
          _pd_sync_mark_removed (run, key);
          continue;
        }
      _pd_sync_enqueue (run, pd_sync_item_new_for_tenant (key));
    }
}

static void start_audit (SyncRun *run);

/* Queues tenant_id for a read unless changes (the customers queued so far) has it. */
static void
queue_once (SyncRun    *run,
            GHashTable *changes,
            const char *tenant_id)
{
  if (g_hash_table_contains (changes, tenant_id))
    return;
  g_hash_table_insert (changes, g_strdup (tenant_id), GINT_TO_POINTER (PD_SYNC_CHANGE_REFETCH));
  _pd_sync_enqueue (run, pd_sync_item_new_for_tenant (tenant_id));
}

/* A customer that failed in an earlier run is not named by the activity log unless Partner
 * Center changed it again, so without this an ordinary sync would never fetch it. A retry of
 * some of them since does not fetch the others. Queued after the log's changes, which win. */
static void
queue_previous_failures (SyncRun    *run,
                         GHashTable *changes)
{
  g_autoptr(GHashTable) unfetched = pd_sync_dup_unfetched_failures (run->self->store, run->run_id);
  GHashTableIter iter;
  gpointer tenant_id;

  g_hash_table_iter_init (&iter, unfetched);
  while (g_hash_table_iter_next (&iter, &tenant_id, NULL) && !_pd_sync_stopping (run))
    queue_once (run, changes, tenant_id);
}

/* A customer moved to another indirect reseller, or made direct, may have no record in the
 * activity log, yet this run's reseller listings (the preparation) say so: each such one is
 * read again, and stored with the reseller they name, instead of the old one staying until a
 * full run. */
static void
queue_reseller_moves (SyncRun    *run,
                      GHashTable *changes)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) moved = NULL;

  /* Refused, the listings say nothing: every resold customer would look made direct. */
  if (run->resellers_refused)
    return;
  moved = pd_store_dup_reseller_moves (run->self->store, &error);
  if (moved == NULL)
    {
      _pd_sync_fail_run (run, error, _("Could not list the customers of the indirect resellers"));
      return;
    }
  g_debug ("sync: %u customers changed reseller", g_strv_length (moved));
  for (guint i = 0; moved[i] != NULL && !_pd_sync_stopping (run); i++)
    /* Made direct only by a list that may have been cut short: read again by every run while
     * Partner Center cuts it so, at two requests each; the next full run asks (every listed
     * customer is read then). Until then the cache keeps its reseller. */
    if (!_pd_sync_made_direct_unproven (run, moved[i]))
      queue_once (run, changes, moved[i]);
}

static void
fetch_queued (SyncRun *run)
{
  run->phase = PHASE_FETCH;
  _pd_sync_all_customers_queued (run, TRUE);
}

/* A scoped incremental run reads by id only the customers of the scope that it has reason to
 * (pd-sync-fetch.c, needs_read): it keeps those the activity log names, whatever their change
 * (a removal the scope's listing contradicts is read, not marked), and those an earlier run
 * failed or could not read, as the unscoped queue_previous_failures does. Which of them are in
 * the scope only its listing and the cache say: one the listing lacks is the check_unseen's. */
static void
keep_named (SyncRun    *run,
            GHashTable *changes)
{
  g_autoptr(GHashTable) unfetched = pd_sync_dup_unfetched_failures (run->self->store, run->run_id);
  GHashTable *sets[] = { changes, unfetched };

  g_clear_pointer (&run->named, g_hash_table_unref);
  run->named = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (sets); i++)
    {
      GHashTableIter iter;
      gpointer tenant_id;

      g_hash_table_iter_init (&iter, sets[i]);
      while (g_hash_table_iter_next (&iter, &tenant_id, NULL))
        g_hash_table_add (run->named, g_ascii_strdown (tenant_id, -1));
    }
  g_debug ("sync: %u customers named for the scope's listing", g_hash_table_size (run->named));
}

/* Partner Center refuses the activity log to some accounts (403: a role that may not read
 * it). Without it nothing says which customers changed, so the run reads every customer, as a
 * full run, and is recorded as one: each sync of such an account is full, and completes. */
static void
read_every_customer_instead (SyncRun *run)
{
  g_autoptr(GError) error = NULL;

  g_debug ("sync: the activity log is refused (%s); reading every customer",
           run->step_error->message);
  g_clear_error (&run->step_error);
  if (_pd_sync_stopping (run))
    {
      _pd_sync_maybe_finish (run);
      return;
    }
  if (!pd_store_set_sync_run_kind (run->self->store, run->run_id, PD_SYNC_KIND_FULL, &error))
    {
      _pd_sync_fail_run (run, error, _("Could not read the activity log"));
      _pd_sync_maybe_finish (run);
      return;
    }
  run->kind = RUN_FULL;
  _pd_sync_start_listing (run);
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
  if (g_error_matches (run->step_error, PD_PC_ERROR, PD_PC_ERROR_FORBIDDEN))
    {
      read_every_customer_instead (run);
      return;
    }
  if (records != NULL)
    {
      changes = pd_sync_changes_from_audit (records);
      g_debug ("sync: %u audit records name %u customers", records->len,
               g_hash_table_size (changes));
    }
  if (changes != NULL && run->scope != NULL)
    keep_named (run, changes);
  else if (changes != NULL)
    {
      queue_changes (run, changes);
      queue_previous_failures (run, changes);
      queue_reseller_moves (run, changes);
    }
  _pd_sync_after_prepare_step (run, start_audit,
                               run->scope != NULL ? _pd_sync_start_listing : fetch_queued,
                               _("Could not read the activity log"));
}

static void
start_audit (SyncRun *run)
{
  _pd_sync_report (run, PD_SYNC_STAGE_LISTING, 0, 0, TRUE);
  run->pending++;
  pd_pc_client_list_audit_records_async (run->self->client, run->audit_start, run->now,
                                         run->cancellable, on_audit_listed,
                                         g_object_ref (run->task));
}

static void
queue_retry_ids (SyncRun *run)
{
  for (guint i = 0; run->retry_ids[i] != NULL; i++)
    _pd_sync_enqueue (run, pd_sync_item_new_for_tenant (run->retry_ids[i]));
  fetch_queued (run);
}

void
_pd_sync_after_resellers (SyncRun *run)
{
  g_debug ("sync: %u resellers own %u customers", run->resellers->len,
           pd_store_count_resellers_of (run->self->store));
  switch (run->kind)
    {
    case RUN_FULL:
      _pd_sync_start_listing (run);
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
  _pd_sync_report (run, PD_SYNC_STAGE_COUNTRY_RULES, run->rules_done, run->rules_total, FALSE);
  _pd_sync_maybe_finish (run);
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
  _pd_sync_report (run, PD_SYNC_STAGE_COUNTRY_RULES, 0, run->rules_total, TRUE);
  _pd_sync_maybe_finish (run);
}

/* ---- finishing ---- */

/* A listed customer that could not be fetched is still a Partner Center customer: it is not
 * marked removed, and its cached copy, bill-to and local edits stay as they were. It counts
 * only as failed. */
static gboolean
keep_failed_as_seen (SyncRun *run)
{
  for (guint i = 0; i < run->failed_ids->len; i++)
    if (!_pd_sync_keep_as_seen (run, g_ptr_array_index (run->failed_ids, i)))
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
      _pd_sync_fail_run (run, error, _("Could not store the customers"));
      return FALSE;
    }
  if (run->allow_mass_removal || !pd_sync_is_mass_removal (unseen, present))
    return TRUE;
  if (run->listing_end_unproven)
    refusal = g_error_new (PD_SYNC_ERROR, PD_SYNC_ERROR_MASS_REMOVAL,
                           ngettext ("Partner Center's listing ended with an answer that may "
                                     "have cut it short, and lacks %u of the %u customer in the "
                                     "cache. None was marked removed.",
                                     "Partner Center's listing ended with an answer that may "
                                     "have cut it short, and lacks %u of the %u customers in the "
                                     "cache. None was marked removed.", present),
                           unseen, present);
  else if (run->scope != NULL)
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
  _pd_sync_fail_run (run, refusal, NULL);
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
    _pd_sync_fail_run (run, error, _("Could not store the customers"));
  else
    g_debug ("sync: %u customers no longer in Partner Center", n);
}

/* A customer of the scope that the scoped listing lacked may have moved to a reseller outside
 * the scope, or become direct, and Partner Center still has it: a scoped run asks for each one
 * by id before it marks anything. So does a run whose listing ended with an answer to a
 * next-page request (400/2000, 204) instead of a last page: 400/2000 is also Partner Center's
 * generic invalid-input error, and a list cut short by one must not remove the rest. Not found
 * (404): fetch_failed marks it removed. Found: it is stored with the reseller Partner Center
 * now names. An error: a failure, kept as it was. Within the mass-removal guard, which refuses
 * too many before any request.
 * TRUE when the run goes on without marking now: the checks are queued (finish_fetching comes
 * again once they are done), or the run fails. */
static gboolean
check_unseen (SyncRun *run)
{
  g_autoptr(GHashTable) unseen = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer tenant_id;

  if ((run->scope == NULL && !run->listing_end_unproven) || run->checking_unseen)
    return FALSE;
  run->checking_unseen = TRUE;
  if (!keep_failed_as_seen (run) || !removal_allowed (run))
    return TRUE;
  unseen = pd_store_dup_unseen_tenants (run->self->store, run->run_id, &error);
  if (unseen == NULL)
    {
      _pd_sync_fail_run (run, error, _("Could not store the customers"));
      return TRUE;
    }
  if (g_hash_table_size (unseen) == 0)
    return FALSE;
  g_debug ("sync: asking for %u customers the listing lacked",
           g_hash_table_size (unseen));
  /* Not through enqueue: a checkpoint's customer that this listing lacked is checked too. */
  g_hash_table_iter_init (&iter, unseen);
  while (g_hash_table_iter_next (&iter, &tenant_id, NULL))
    {
      run->listed++;
      g_queue_push_tail (&run->queue, pd_sync_item_new_for_tenant (tenant_id));
    }
  _pd_sync_pump (run);
  _pd_sync_report_customers (run, TRUE);
  return TRUE;
}

/* The run lists customers (all, or its scope's): a full run, or a scoped incremental one. */
static gboolean
lists_customers (SyncRun *run)
{
  return run->kind == RUN_FULL || (run->kind == RUN_INCREMENTAL && run->scope != NULL);
}

static void
finish_fetching (SyncRun *run)
{
  _pd_sync_report (run, PD_SYNC_STAGE_FINISHING, run->done, run->listed, TRUE);
  if (!_pd_sync_flush_batch (run))
    return;
  /* Only a list read to its end proves a customer is gone. */
  if (lists_customers (run) && run->listing_complete)
    {
      if (check_unseen (run))
        return;
      mark_unseen_removed (run);
    }
  if (!_pd_sync_stopping (run))
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
  /* Its end not written (the cache kept busy by another program), the run reads as interrupted
   * in the cache and the next one resumes it: it is not said to be complete. */
  if (!pd_store_finish_sync_run (self->store, run->run_id, state, message, &error)
      && state == PD_SYNC_STATE_COMPLETE)
    {
      state = PD_SYNC_STATE_INTERRUPTED;
      g_clear_error (&run->error);
      run->error = g_error_new (error->domain, error->code,
                                _("The sync read everything, but its end could not be "
                                  "recorded; the next sync completes it. %s"), error->message);
    }
  else if (error != NULL)
    g_warning ("Could not record the end of sync run %" G_GINT64_FORMAT ": %s",
               run->run_id, error->message);
  /* A resumed run lists again: it skips what was stored (its checkpoint), not what was listed. */
  g_clear_error (&error);
  if (!pd_store_clear_listed (self->store, run->run_id, &error))
    g_debug ("sync: the listing of run %" G_GINT64_FORMAT " stays in the cache: %s",
             run->run_id, error->message);
  /* Which reseller each customer belongs to was this run's to know. */
  pd_store_clear_resellers_of (self->store, NULL);
  _pd_sync_report (run, PD_SYNC_STAGE_IDLE, run->done, run->listed, TRUE);
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
    _pd_sync_flush_batch (run);
  end_run (run, run->error != NULL ? PD_SYNC_STATE_FAILED : PD_SYNC_STATE_CANCELLED);
}

/* Called after every step: moves the run on once nothing is outstanding. */
void
_pd_sync_maybe_finish (SyncRun *run)
{
  if (run->pending > 0 || run->in_flight > 0 || run->phase == PHASE_ENDED)
    return;
  if (_pd_sync_stopping (run))
    end_stopped_run (run);
  else if (run->phase == PHASE_FETCH && run->listing_done && g_queue_is_empty (&run->queue)
           && run->listed_waiting == 0)
    finish_fetching (run);
  else if (run->phase == PHASE_RULES)
    end_run (run, PD_SYNC_STATE_COMPLETE);
  /* The run may have stopped while finishing. */
  if (run->phase != PHASE_ENDED && run->pending == 0 && _pd_sync_stopping (run))
    end_stopped_run (run);
}

/* ---- starting ---- */

static gboolean
begin_run (SyncRun  *run,
           GError  **error)
{
  PdSyncEngine *self = run->self;
  g_autofree char *correlation_id = g_uuid_string_random ();
  PdSyncKind kind = run->kind == RUN_FULL ? PD_SYNC_KIND_FULL
                    : run->kind == RUN_RETRY ? PD_SYNC_KIND_RETRY : PD_SYNC_KIND_INCREMENTAL;
  gint64 resume_run_id = 0;

  run->run_id = pd_store_begin_sync_run (self->store, kind, correlation_id, &resume_run_id,
                                         error);
  if (run->run_id <= 0)
    return FALSE;
  self->last_run_id = run->run_id;
  /* Kept only now that the run holds the cache: a run refused (another account, a sync already
   * running) leaves the next syncs' scope as it was. The run's scope is recorded before
   * anything is stored: the end of the run marks removed within it. */
  if ((run->keep_scope
       && !pd_store_set_reseller_scope (self->store, (const char * const *) run->scope, error))
      || !pd_store_set_run_scope (self->store, run->run_id, (const char * const *) run->scope,
                                  error))
    {
      /* The run row and the sync lock are this run's: it ends (failed), or every later sync
       * would be refused as already running; with the words the user is told. */
      *error = say_sync_busy (*error, FALSE);
      pd_store_finish_sync_run (self->store, run->run_id, PD_SYNC_STATE_FAILED, (*error)->message,
                                NULL);
      return FALSE;
    }
  pd_pc_client_set_correlation_id (self->client, correlation_id);
  _pd_sync_resume (run, resume_run_id);
  g_debug ("sync: run %" G_GINT64_FORMAT " (%s) begins", run->run_id,
           pd_sync_kind_to_string (kind));
  return TRUE;
}

/* Ends a run refused before it began: nothing stored (a run row only when its scope could
 * not be recorded, ended as failed by begin_run). */
static void
refuse_run (SyncRun *run,
            GError  *error)
{
  run->phase = PHASE_ENDED;
  _pd_sync_report (run, PD_SYNC_STAGE_IDLE, 0, 0, TRUE);
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

const char *
pd_sync_partner_tenant (PdPcClient         *client,
                        PdPcCompanyProfile *profile,
                        const GError       *profile_error)
{
  if (profile != NULL)
    return profile->tenant_id;
  return profile_merely_unreadable (profile_error) ? pd_pc_client_get_token_tenant_id (client)
                                                   : NULL;
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
  const char *tenant = pd_sync_partner_tenant (self->client, profile, error);

  if (tenant == NULL)
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
      refuse_run (run, say_sync_busy (g_steal_pointer (&error), FALSE));
      return;
    }
  _pd_sync_report (run, PD_SYNC_STAGE_STARTING, 0, 0, TRUE);
  _pd_sync_start_resellers (run);
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
      pd_store_set_sync_busy_error (self->started_at, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->last_run_id = 0;
  g_clear_pointer (&self->unlisted_resellers, g_strfreev);
  run = sync_run_new (self, task, retry_ids != NULL ? RUN_RETRY : RUN_FULL);
  run->allow_mass_removal = self->allow_mass_removal;
  self->allow_mass_removal = FALSE;
  g_task_set_task_data (task, run, sync_run_free);
  /* A retry records the scope too (it marks nothing unseen): status says what it was. */
  run->keep_scope = self->next_scope_given;
  run->scope = run->keep_scope ? g_steal_pointer (&self->next_scope)
                               : pd_store_dup_reseller_scope (self->store);
  self->next_scope_given = FALSE;
  if (retry_ids != NULL)
    run->retry_ids = g_strdupv ((char **) retry_ids);
  else
    run->kind = _pd_sync_choose_kind (run, mode);
  memset (&self->progress, 0, sizeof self->progress);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  self->started_at = g_date_time_ref (run->now);
  set_running (self, TRUE);
  _pd_sync_report (run, PD_SYNC_STAGE_STARTING, 0, 0, TRUE);
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

char *
pd_sync_progress_dup_label (const PdSyncProgress *progress)
{
  g_return_val_if_fail (progress != NULL, NULL);
  if (progress->wait_seconds == 0 || progress->stage == PD_SYNC_STAGE_IDLE)
    return g_strdup (pd_sync_stage_label (progress->stage));
  /* Translators: shown while a sync waits out Partner Center's throttling (HTTP 429), counting
   * down; kept short to fit on a terminal's progress line ("s": seconds) */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Partner Center asked to wait (throttling), %u s left",
                                       "Partner Center asked to wait (throttling), %u s left",
                                       progress->wait_seconds),
                          progress->wait_seconds);
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
  g_signal_connect_object (client, "throttled", G_CALLBACK (on_client_throttled), self,
                           G_CONNECT_SWAPPED);
  return self;
}

gboolean
pd_sync_engine_get_running (PdSyncEngine *self)
{
  g_return_val_if_fail (PD_IS_SYNC_ENGINE (self), FALSE);
  return self->running;
}

gint64
pd_sync_engine_get_last_run_id (PdSyncEngine *self)
{
  g_return_val_if_fail (PD_IS_SYNC_ENGINE (self), 0);
  return self->last_run_id;
}

const char * const *
pd_sync_engine_get_unlisted_resellers (PdSyncEngine *self)
{
  g_return_val_if_fail (PD_IS_SYNC_ENGINE (self), NULL);
  return (const char * const *) self->unlisted_resellers;
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

  clear_wait_source (self);
  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  g_clear_pointer (&self->next_scope, g_strfreev);
  g_clear_pointer (&self->unlisted_resellers, g_strfreev);
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
