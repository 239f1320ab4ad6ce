/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-report.c — see pd-sync-report.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-sync-report-private.h"

static const char * const state_labels[] = {
  /* Translators: the state of a sync run */
  [PD_SYNC_STATE_RUNNING] = N_("Running"),
  /* Translators: the state of a sync run: it finished */
  [PD_SYNC_STATE_COMPLETE] = N_("Complete"),
  /* Translators: the state of a sync run */
  [PD_SYNC_STATE_FAILED] = N_("Failed"),
  /* Translators: the state of a sync run */
  [PD_SYNC_STATE_CANCELLED] = N_("Cancelled"),
  /* Translators: the state of a sync run: the app or computer stopped during it */
  [PD_SYNC_STATE_INTERRUPTED] = N_("Interrupted"),
};

static const char * const kind_labels[] = {
  [PD_SYNC_KIND_FULL] = N_("Full sync"),
  [PD_SYNC_KIND_INCREMENTAL] = N_("Incremental sync"),
  /* Translators: a sync run that fetched again only the customers that had failed */
  [PD_SYNC_KIND_RETRY] = N_("Retry of failed customers"),
};

const char *
pd_sync_kind_label (PdSyncKind kind)
{
  return (guint) kind < G_N_ELEMENTS (kind_labels) ? _(kind_labels[kind]) : "";
}

const char *
pd_sync_state_label (PdSyncState state)
{
  return (guint) state < G_N_ELEMENTS (state_labels) ? _(state_labels[state]) : "";
}

char *
pd_sync_dup_last_run_title (const PdSyncRun *run,
                            const char      *when)
{
  guint n;

  g_return_val_if_fail (run != NULL && when != NULL, NULL);
  if (run->kind != PD_SYNC_KIND_RETRY)
    /* Translators: "Last sync: Complete, Today at 10:20" */
    return g_strdup_printf (_("Last sync: %s, %s"), pd_sync_state_label (run->state), when);
  n = run->n_new + run->n_updated + run->n_unchanged + run->n_removed + run->n_failed;
  /* Translators: "Last sync: retry of 3 customers, Complete, Today at 10:20" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Last sync: retry of %'u customer, %s, %s",
                                       "Last sync: retry of %'u customers, %s, %s", n),
                          n, pd_sync_state_label (run->state), when);
}

char *
pd_sync_dup_last_complete_text (const char *when)
{
  if (when == NULL)
    return g_strdup (_("No complete sync yet"));
  /* Translators: "Last complete sync: Today at 09:00" (a full or incremental sync) */
  return g_strdup_printf (_("Last complete sync: %s"), when);
}

/* When Partner Center last answered a read of org's customer: a sync's fetch (last synced), or
 * a bill-to read outside a sync, a push's answer or read-back (bill-to read, which a sync's
 * fetch sets too). NULL: never. */
static GDateTime *
last_read_at (PdOrganization *org)
{
  GDateTime *synced = org != NULL ? pd_organization_get_last_synced_at (org) : NULL;
  GDateTime *read = org != NULL ? pd_organization_get_bill_to_read_at (org) : NULL;

  if (synced == NULL || (read != NULL && g_date_time_compare (read, synced) > 0))
    return read;
  return synced;
}

/* A sync stores each customer it fetches with the time it stored it, and a push its bill-to
 * read: read after the failing run ended, the customer was fetched since. The cache keeps
 * seconds, so within the second the run ended the failure counts as open (one more request at
 * worst). A run that never ended (the process was stopped) counts from its start: nothing says
 * when it stopped, and counting it open for ever would fetch its customers again at every
 * sync. */
gboolean
pd_sync_failure_is_open (PdStore         *store,
                         const char      *tenant_id,
                         const PdSyncRun *failed_in)
{
  g_autoptr(PdOrganization) org = NULL;
  GDateTime *ended;
  GDateTime *synced;

  g_return_val_if_fail (PD_IS_STORE (store), TRUE);
  g_return_val_if_fail (failed_in != NULL, TRUE);

  ended = failed_in->finished_at != NULL ? failed_in->finished_at : failed_in->started_at;
  if (tenant_id == NULL || ended == NULL)
    return TRUE;
  org = pd_store_find_by_tenant (store, tenant_id, NULL);
  synced = last_read_at (org);
  return synced == NULL || g_date_time_to_unix (synced) <= g_date_time_to_unix (ended);
}

void
pd_sync_report_free (PdSyncReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->events, g_ptr_array_unref);
  g_clear_pointer (&report->fixed, g_hash_table_unref);
  g_free (report);
}

/* The run of run_id, and the finished runs after it that had failures, newest first (runs are
 * listed newest first). */
static PdSyncRun *
find_runs (PdStore   *store,
           gint64     run_id,
           GPtrArray *later_failing)
{
  g_autoptr(GPtrArray) runs = pd_store_list_sync_runs (store, 0, NULL);

  for (guint i = 0; runs != NULL && i < runs->len; i++)
    {
      PdSyncRun *run = g_ptr_array_index (runs, i);

      if (run->id == run_id)
        return g_ptr_array_steal_index (runs, i);
      if (run->n_failed > 0 && run->state != PD_SYNC_STATE_RUNNING)
        g_ptr_array_add (later_failing, g_ptr_array_steal_index (runs, i--));
    }
  return NULL;
}

/* tenant id → the newest of later_failing (PdSyncRun *) in which it failed again. */
static GHashTable *
later_failures (PdStore   *store,
                GPtrArray *later_failing)
{
  GHashTable *last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < later_failing->len; i++)
    {
      PdSyncRun *later = g_ptr_array_index (later_failing, i);
      g_autoptr(GPtrArray) events = pd_store_get_run_failures (store, later->id, NULL);

      for (guint j = 0; events != NULL && j < events->len; j++)
        {
          PdRunEvent *event = g_ptr_array_index (events, j);

          if (event->tenant_id != NULL && !g_hash_table_contains (last, event->tenant_id))
            g_hash_table_insert (last, g_strdup (event->tenant_id), later);
        }
    }
  return last;
}

/* Fixed: a retry this process saw fetched it after its last failure, or it is not open. */
static gboolean
is_fixed (PdStore         *store,
          GHashTable      *retried,
          const char      *tenant_id,
          const PdSyncRun *failed_in)
{
  gpointer retry_run = NULL;

  if (g_hash_table_lookup_extended (retried, tenant_id, NULL, &retry_run)
      && (gint64) GPOINTER_TO_SIZE (retry_run) > failed_in->id)
    return TRUE;
  return !pd_sync_failure_is_open (store, tenant_id, failed_in);
}

/* The FAILED events shown take the cached organization's id and name. */
static void
resolve_failures (PdStore      *store,
                  GTask        *task,
                  PdSyncRun    *run,
                  GPtrArray    *later_failing,
                  PdSyncReport *report)
{
  g_autoptr(GHashTable) last = later_failures (store, later_failing);
  GHashTable *retried = g_object_get_data (G_OBJECT (task), "retried");
  guint max_failed = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "max-failed"));
  guint n = 0;

  for (guint i = 0; i < report->events->len && n < max_failed; i++)
    {
      PdRunEvent *event = g_ptr_array_index (report->events, i);
      g_autoptr(PdOrganization) org = NULL;
      const PdSyncRun *failed_in;

      if (event->kind != PD_RUN_EVENT_FAILED || event->tenant_id == NULL)
        continue;
      n++;
      org = pd_store_find_by_tenant (store, event->tenant_id, NULL);
      if (org != NULL)
        {
          event->org_id = pd_organization_get_id (org);
          g_free (event->name);
          event->name = g_strdup (pd_organization_get_name (org));
        }
      failed_in = g_hash_table_lookup (last, event->tenant_id);
      if (is_fixed (store, retried, event->tenant_id, failed_in != NULL ? failed_in : run))
        g_hash_table_add (report->fixed, g_strdup (event->tenant_id));
    }
}

static void
report_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  gint64 run_id = *(gint64 *) g_object_get_data (G_OBJECT (task), "run-id");
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdSyncRun) run = NULL;
  g_autoptr(GPtrArray) later_failing = g_ptr_array_new_with_free_func (
    (GDestroyNotify) pd_sync_run_free);
  g_autoptr(PdSyncReport) report = g_new0 (PdSyncReport, 1);
  GError *error = NULL;

  store = pd_store_open (task_data, &error);
  if (store != NULL)
    report->events = pd_store_get_run_events_of (store, run_id, PD_SYNC_REPORT_KINDS, 0, &error);
  if (report->events == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  report->fixed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run = find_runs (store, run_id, later_failing);
  if (run != NULL)
    resolve_failures (store, task, run, later_failing, report);
  g_task_return_pointer (task, g_steal_pointer (&report), (GDestroyNotify) pd_sync_report_free);
}

static GHashTable *
copy_retried (GHashTable *retried)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;

  if (retried == NULL)
    return copy;
  g_hash_table_iter_init (&iter, retried);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), value);
  return copy;
}

void
pd_sync_report_load_async (PdStore             *store,
                           gint64               run_id,
                           GHashTable          *retried,
                           guint                max_failed,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PD_IS_STORE (store));

  /* As pd-list-loader does: the path is the task's data, the rest rides along with it. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_sync_report_load_async);
  g_task_set_task_data (task, g_strdup (pd_store_get_path (store)), g_free);
  g_object_set_data_full (G_OBJECT (task), "run-id", g_memdup2 (&run_id, sizeof run_id),
                          g_free);
  g_object_set_data_full (G_OBJECT (task), "retried", copy_retried (retried),
                          (GDestroyNotify) g_hash_table_unref);
  g_object_set_data (G_OBJECT (task), "max-failed", GUINT_TO_POINTER (max_failed));
  g_task_run_in_thread (task, report_thread);
}

PdSyncReport *
pd_sync_report_load_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the failures an ordinary sync fetches again ---- */

/* Notes the outcome of every customer an earlier run reported that no newer run reported:
 * tenant id → that run if it failed there, NULL if it was fetched or removed. In the oldest run
 * that matters only failures count (a customer it fetched is not in the result either way),
 * and only they are read: that run is often a first sync, with an event per customer. */
static void
note_outcomes (PdStore    *store,
               PdSyncRun  *earlier,
               gboolean    oldest,
               GHashTable *latest)
{
  g_autoptr(GPtrArray) events = oldest ? pd_store_get_run_failures (store, earlier->id, NULL)
                                       : pd_store_get_run_events (store, earlier->id, NULL);

  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      PdRunEvent *event = g_ptr_array_index (events, i);

      if (event->tenant_id != NULL && !g_hash_table_contains (latest, event->tenant_id))
        g_hash_table_insert (latest, g_strdup (event->tenant_id),
                             event->kind == PD_RUN_EVENT_FAILED ? earlier : NULL);
    }
}

static gboolean
has_events (const PdSyncRun *run)
{
  return run->n_new + run->n_updated + run->n_removed + run->n_overrides_kept
         + run->n_overrides_replaced + run->n_failed > 0;
}

/* Customers whose bill-to the cache could not read, whatever run left them so (a refused
 * billing profile, a run stopped before it read a listed customer): read again, like any
 * failure, without the user asking. */
static void
add_unread (PdStore    *store,
            GHashTable *unfetched)
{
  g_autoptr(GHashTable) unread = pd_store_dup_unread_tenants (store, NULL);
  GHashTableIter iter;
  gpointer tenant_id;

  if (unread == NULL)
    return;
  g_hash_table_iter_init (&iter, unread);
  while (g_hash_table_iter_next (&iter, &tenant_id, NULL))
    g_hash_table_add (unfetched, g_strdup (tenant_id));
}

/* The customers (a set of tenant ids) whose latest outcome in an earlier run is a failure that
 * no later run fetched. Runs before the last complete full run do not matter: it fetched every
 * customer Partner Center still has, or reported it failed, and marked the others removed. Nor
 * do runs before the oldest one with failures: most often there is none, and no report is
 * read. */
static GHashTable *
dup_open_failures_of_runs (PdStore *store,
                           gint64   current_run_id)
{
  g_autoptr(GPtrArray) runs = pd_store_list_sync_runs (store, 0, NULL);
  g_autoptr(GHashTable) latest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *unfetched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer tenant_id, failed_in;
  guint n_relevant = 0;

  for (guint i = 0; runs != NULL && i < runs->len; i++)
    {
      PdSyncRun *earlier = g_ptr_array_index (runs, i);

      if (earlier->id != current_run_id && earlier->n_failed > 0)
        n_relevant = i + 1;
      if (earlier->kind == PD_SYNC_KIND_FULL && earlier->state == PD_SYNC_STATE_COMPLETE)
        break;
    }
  for (guint i = 0; i < n_relevant; i++)
    {
      PdSyncRun *earlier = g_ptr_array_index (runs, i);

      if (earlier->id != current_run_id && has_events (earlier))
        note_outcomes (store, earlier, i == n_relevant - 1, latest);
    }
  g_hash_table_iter_init (&iter, latest);
  while (g_hash_table_iter_next (&iter, &tenant_id, &failed_in))
    if (failed_in != NULL && pd_sync_failure_is_open (store, tenant_id, failed_in))
      g_hash_table_add (unfetched, g_strdup (tenant_id));
  return unfetched;
}

GHashTable *
pd_sync_dup_unfetched_failures (PdStore *store,
                                gint64   current_run_id)
{
  GHashTable *unfetched = dup_open_failures_of_runs (store, current_run_id);

  add_unread (store, unfetched);
  return unfetched;
}

char **
pd_sync_dup_latest_failures (PdStore *store)
{
  g_autoptr(GHashTable) open = dup_open_failures_of_runs (store, 0);
  g_autofree char **ids = (char **) g_hash_table_get_keys_as_array (open, NULL);

  return g_strdupv (ids);
}
