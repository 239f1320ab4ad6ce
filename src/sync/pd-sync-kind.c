/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-kind.c — which kind of run a sync is (full, or incremental on the activity log since
 * a complete run that covered its scope), and what a full run skips of a stopped one before
 * it (its checkpoint). */
#include "config.h"

#include "pd-sync-audit.h"
#include "pd-sync-report.h"
#include "pd-sync-run-private.h"

/* A cancelled or failed full run is resumed only when recent: what it stored is skipped, and
 * a day-old copy is as good as a fresh one for the rest of this run. */
#define RESUME_MAX_AGE G_TIME_SPAN_DAY

typedef gboolean (*CompleteRunFunc) (const PdSyncRun *previous,
                                     char           **scope,
                                     gpointer         data);

/* The start of the newest complete run among the last 50, full or incremental (a retry read
 * only its few customers again), for which found (the run, its scope, data) is TRUE; NULL
 * when none is. */
static GDateTime *
dup_complete_run_start (SyncRun         *run,
                        CompleteRunFunc  found,
                        gpointer         data)
{
  g_autoptr(GPtrArray) runs = pd_store_list_sync_runs (run->self->store, 50, NULL);

  for (guint i = 0; runs != NULL && i < runs->len; i++)
    {
      const PdSyncRun *previous = g_ptr_array_index (runs, i);
      g_auto(GStrv) scope = NULL;

      if (previous->state != PD_SYNC_STATE_COMPLETE || previous->kind == PD_SYNC_KIND_RETRY)
        continue;
      scope = pd_store_dup_run_scope (run->self->store, previous->id);
      if (found (previous, scope, data))
        return g_date_time_ref (previous->started_at);
    }
  return NULL;
}

/* Stops at a scoped or a full run, and tells (*scoped) which. */
static gboolean
is_scoped_or_full (const PdSyncRun  *previous,
                   char            **scope,
                   gpointer          scoped)
{
  *(gboolean *) scoped = scope != NULL;
  return scope != NULL || previous->kind == PD_SYNC_KIND_FULL;
}

/* An incremental run builds on the last complete one: a scoped run did not read the customers
 * outside its scope, so the activity log since one is no base for all of them until a full
 * run of every customer. */
static gboolean
last_complete_was_scoped (SyncRun *run)
{
  gboolean scoped = FALSE;
  g_autoptr(GDateTime) start = dup_complete_run_start (run, is_scoped_or_full, &scoped);

  return scoped;
}

/* TRUE when a run of scope covered every customer of resellers (sorted lower-case ids, as
 * the store keeps both): no scope, or one with all of them. */
static gboolean
scope_covers (const PdSyncRun  *previous,
              char            **scope,
              gpointer          resellers)
{
  char * const *ids = resellers;

  for (guint i = 0; scope != NULL && ids[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) scope, ids[i]))
      return FALSE;
  return TRUE;
}

/* The base of a scoped incremental run: the start of the newest complete run (full or
 * incremental, not a retry) that covered every reseller of the scope, or NULL. A complete run
 * of another scope since then only read some customers again: what the cache holds of this
 * scope is no older than at that base, and the activity log since it names every change. */
static GDateTime *
dup_scoped_base (SyncRun *run)
{
  return dup_complete_run_start (run, scope_covers, run->scope);
}

/* Whether what a continuation of previous would skip is older than RESUME_MAX_AGE: measured
 * from the first of the stopped full runs that lead to it, each of which may have continued
 * the one before (a chain of cancels kept data of days ago as fresh). */
static gboolean
stopped_too_long_ago (SyncRun         *run,
                      const PdSyncRun *previous)
{
  g_autoptr(GDateTime) first = pd_store_dup_stopped_streak_start (run->self->store, previous->id);

  return g_date_time_difference (run->now, first != NULL ? first : previous->started_at)
         > RESUME_MAX_AGE;
}

/* TRUE when the newest run is a full one of this run's scope that stopped recently (cancelled,
 * or its process killed): this run continues it, as a full run that skips what that one
 * stored (begin_run). Also when that run began incremental and read every customer instead
 * (Partner Center refused the activity log): it is recorded as full. Not one that failed: it
 * may have failed at its end (the mass-removal guard), and continuing it would skip every
 * customer and fail again, run after run, while nothing changed was read. */
static gboolean
continues_stopped_full_run (SyncRun *run)
{
  g_autoptr(GPtrArray) runs = pd_store_list_sync_runs (run->self->store, 1, NULL);
  g_auto(GStrv) scope = NULL;
  PdSyncRun *previous;

  if (runs == NULL || runs->len == 0)
    return FALSE;
  previous = g_ptr_array_index (runs, 0);
  if (previous->kind != PD_SYNC_KIND_FULL
      || (previous->state != PD_SYNC_STATE_CANCELLED
          && previous->state != PD_SYNC_STATE_INTERRUPTED
          && previous->state != PD_SYNC_STATE_RUNNING)
      || stopped_too_long_ago (run, previous))
    return FALSE;
  scope = pd_store_dup_run_scope (run->self->store, previous->id);
  return scope == NULL || run->scope == NULL
         ? scope == run->scope
         : g_strv_equal ((const char * const *) scope, (const char * const *) run->scope);
}

RunKind
_pd_sync_choose_kind (SyncRun    *run,
                      PdSyncMode  mode)
{
  g_autoptr(GDateTime) base = NULL;

  if (mode == PD_SYNC_MODE_FULL || continues_stopped_full_run (run))
    return RUN_FULL;
  if (run->scope != NULL)
    {
      base = dup_scoped_base (run);
      return pd_sync_audit_window_start (base, run->now, &run->audit_start) ? RUN_INCREMENTAL
                                                                            : RUN_FULL;
    }
  if (last_complete_was_scoped (run))
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
      || stopped_too_long_ago (run, previous))
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

/* What a full run skips: what the run it is chained to (its process died) stored, or what a
 * recent stopped run stored (resume_unchained). Only a full run skips anything: an incremental
 * run fetches a few customers, and fetching them again is cheaper than being wrong. */
void
_pd_sync_resume (SyncRun *run,
                 gint64   resume_run_id)
{
  if (run->kind != RUN_FULL)
    return;
  if (resume_run_id > 0)
    {
      run->checkpoint = pd_store_get_checkpoint (run->self->store, run->run_id, NULL);
      g_debug ("sync: resuming run %" G_GINT64_FORMAT ", %u customers stored already",
               resume_run_id, run->checkpoint != NULL ? g_hash_table_size (run->checkpoint) : 0);
    }
  else
    resume_unchained (run);
  if (run->checkpoint != NULL)
    fetch_failed_again (run);
}
