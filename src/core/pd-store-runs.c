/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-runs.c — sync runs in the store: the runs and the sync lock, run events and counts
 * as a run writes them. Checkpoints and the seen and removed marks: pd-store-seen.c. Reading a
 * run's events for its report: pd-store-events.c. The customers a run listed, waiting for their
 * read: pd-store-listed.c. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pd-store-private.h"

void
pd_sync_run_free (PdSyncRun *run)
{
  if (run == NULL)
    return;
  g_clear_pointer (&run->started_at, g_date_time_unref);
  g_clear_pointer (&run->finished_at, g_date_time_unref);
  g_free (run->error);
  g_free (run->correlation_id);
  g_free (run);
}

const char *
pd_sync_state_to_string (PdSyncState state)
{
  static const char * const names[] = {
    "running", "complete", "failed", "cancelled", "interrupted",
  };

  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (names), NULL);
  return names[state];
}

const char *
pd_sync_kind_to_string (PdSyncKind kind)
{
  static const char * const names[] = { "full", "incremental", "retry" };

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (names), NULL);
  return names[kind];
}

#define RUN_COLUMNS \
  "id, kind, state, started_at, finished_at, n_new, n_updated, n_unchanged, n_removed, " \
  "n_overrides_kept, n_overrides_replaced, n_failed, error, correlation_id FROM sync_runs "

static PdSyncRun *
run_from_row (sqlite3_stmt *stmt)
{
  PdSyncRun *run = g_new0 (PdSyncRun, 1);

  run->id = sqlite3_column_int64 (stmt, 0);
  run->kind = (PdSyncKind) sqlite3_column_int (stmt, 1);
  run->state = (PdSyncState) sqlite3_column_int (stmt, 2);
  run->started_at = _pd_store_date_time_from_seconds (sqlite3_column_int64 (stmt, 3));
  if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
    run->finished_at = _pd_store_date_time_from_seconds (sqlite3_column_int64 (stmt, 4));
  run->n_new = sqlite3_column_int (stmt, 5);
  run->n_updated = sqlite3_column_int (stmt, 6);
  run->n_unchanged = sqlite3_column_int (stmt, 7);
  run->n_removed = sqlite3_column_int (stmt, 8);
  run->n_overrides_kept = sqlite3_column_int (stmt, 9);
  run->n_overrides_replaced = sqlite3_column_int (stmt, 10);
  run->n_failed = sqlite3_column_int (stmt, 11);
  run->error = g_strdup (_pd_store_column_text (stmt, 12));
  run->correlation_id = g_strdup (_pd_store_column_text (stmt, 13));
  return run;
}

/* Runs matching sql (one optional integer argument), in query order. */
static GPtrArray *
query_runs (PdStore     *self,
            const char  *sql,
            gint64       arg,
            GError     **error)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_sync_run_free);
  sqlite3_stmt *stmt = _pd_store_prepare_with_arg (self, sql, arg, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (runs, run_from_row (stmt));
  return _pd_store_rows_done (self, stmt, rc, error) ? g_steal_pointer (&runs) : NULL;
}

static PdSyncRun *
first_run (GPtrArray *runs)
{
  if (runs == NULL || runs->len == 0)
    return NULL;
  return g_ptr_array_steal_index (runs, 0);
}

static void settle_dead_runs (PdStore   *self,
                              GPtrArray *runs);

PdSyncRun *
pd_store_get_sync_run (PdStore  *self,
                       gint64    run_id,
                       GError  **error)
{
  g_autoptr(GPtrArray) runs = NULL;
  PdSyncRun *run;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  runs = query_runs (self, "SELECT " RUN_COLUMNS "WHERE id = ?", run_id, error);
  if (runs == NULL)
    return NULL;
  settle_dead_runs (self, runs);
  if ((run = first_run (runs)) == NULL)
    g_set_error (error, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND,
                 _("No sync run with id %lld"), (long long) run_id);
  return run;
}

GPtrArray *
pd_store_list_sync_runs (PdStore  *self,
                         guint     limit,
                         GError  **error)
{
  GPtrArray *runs;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  runs = query_runs (self, "SELECT " RUN_COLUMNS "ORDER BY id DESC LIMIT ?",
                     limit > 0 ? (gint64) limit : -1, error);
  if (runs != NULL)
    settle_dead_runs (self, runs);
  return runs;
}

GDateTime *
pd_store_get_last_complete_sync (PdStore *self)
{
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(PdSyncRun) run = NULL;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  /* A retry read neither a listing nor the activity log: the SQL names it by number. */
  G_STATIC_ASSERT (PD_SYNC_KIND_RETRY == 2);
  runs = query_runs (self, "SELECT " RUN_COLUMNS "WHERE state = ? AND kind != 2 "
                           "ORDER BY id DESC LIMIT 1",
                     PD_SYNC_STATE_COMPLETE, NULL);
  run = first_run (runs);
  return run != NULL ? g_date_time_ref (run->started_at) : NULL;
}

static PdSyncRun *
newest_running_run (PdStore *self)
{
  g_autoptr(GPtrArray) runs =
    query_runs (self, "SELECT " RUN_COLUMNS "WHERE state = ? ORDER BY id DESC LIMIT 1",
                PD_SYNC_STATE_RUNNING, NULL);

  return first_run (runs);
}

static char *
sync_lock_path (PdStore *self)
{
  return g_strconcat (self->path, ".sync-lock", NULL);
}

/* How long a sync waits for a reader's probe of the lock to end: 20 × 10 ms. */
#define PROBE_WAIT_ATTEMPTS 20
#define PROBE_WAIT_US (10 * 1000)

/* Opens the lock file and tries to take it. Returns the fd (>= 0) when taken; -1 with
 * *out_busy = TRUE when another open file description holds it (another process, or another
 * PdStore in this one). The kernel drops the lock when its owner dies, which is how a RUNNING
 * row of a dead process is told apart from a live run. */
static int
try_sync_lock (PdStore   *self,
               gboolean  *out_busy,
               GError   **error)
{
  g_autofree char *path = sync_lock_path (self);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  *out_busy = FALSE;
  if (fd < 0)
    {
      _pd_store_set_io_error (errno, _("Could not open the sync lock"), path, error);
      return -1;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) == 0)
    return fd;
  *out_busy = errno == EWOULDBLOCK;
  if (!*out_busy)
    _pd_store_set_io_error (errno, _("Could not lock"), path, error);
  close (fd);
  return -1;
}

void
pd_store_set_sync_busy_error (GDateTime  *started_at,
                              GError    **error)
{
  g_autoptr(GDateTime) local = started_at != NULL ? g_date_time_to_local (started_at) : NULL;
  /* Translators: a g_date_time_format() time of day, "14:02", in "A sync is already running
   * (since 14:02)" */
  /* xgettext:no-c-format */
  g_autofree char *since = local != NULL ? g_date_time_format (local, _("%H:%M")) : NULL;

  if (since != NULL)
    g_set_error (error, PD_STORE_ERROR, PD_STORE_ERROR_BUSY,
                 _("A sync is already running (since %s)"), since);
  else
    g_set_error_literal (error, PD_STORE_ERROR, PD_STORE_ERROR_BUSY,
                         _("A sync is already running"));
}

/* A dead run is resumed only when it started this recently: what it stored is skipped, and
 * counts as seen at the new run's end, as good as fresh for the rest of the run (the engine
 * resumes a cancelled or failed run on the same terms). An older copy is read again: skipped,
 * what Partner Center changed since would stay unread under a complete run, and a customer it
 * no longer lists would not be marked removed. */
#define RESUME_MAX_AGE_S (24 * 60 * 60)

/* When what a continuation of run_id would skip began to be stored: the start of the first
 * of the stopped full runs (failed, cancelled, interrupted or dead) that continued one another
 * up to run_id. A run continued the one before only when that one's data was recent enough as
 * it began (interrupt_dead_runs, the sync's continues_stopped_full_run): otherwise it read
 * everything again, and its own start begins the streak. */
static gboolean
stopped_streak_start (PdStore  *self,
                      gint64    run_id,
                      gint64   *out_started,
                      GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 start = 0;
  int rc;

  G_STATIC_ASSERT (PD_SYNC_KIND_FULL == 0 && PD_SYNC_STATE_COMPLETE == 1);
  stmt = _pd_store_prepare_with_arg (self, "SELECT started_at FROM sync_runs WHERE id <= ?1 "
                                           "AND id > (SELECT coalesce (max (id), 0) "
                                           "FROM sync_runs WHERE id < ?1 "
                                           "AND (kind != 0 OR state = 1)) ORDER BY id",
                                     run_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 started = sqlite3_column_int64 (stmt, 0);

      if (start == 0 || started - start > RESUME_MAX_AGE_S)
        start = started;
    }
  *out_started = start;
  return _pd_store_rows_done (self, stmt, rc, error);
}

GDateTime *
pd_store_dup_stopped_streak_start (PdStore *self,
                                   gint64   run_id)
{
  gint64 started = 0;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  if (!stopped_streak_start (self, run_id, &started, NULL) || started == 0)
    return NULL;
  return _pd_store_date_time_from_seconds (started);
}

/* With the lock held: every RUNNING row belongs to a dead process. Marks them INTERRUPTED and
 * returns the newest of the same kind, which the new run resumes when it is recent. Only a
 * full run resumes: an incremental one reads only what it has reason to, and a scoped one
 * marks removed what it has not seen; a dead run's "seen" would hide a customer that left
 * the scope, or Partner Center, since. */
static gboolean
interrupt_dead_runs (PdStore     *self,
                     PdSyncKind   kind,
                     gint64      *out_resume,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 started = 0;

  if (!_pd_store_query_int64 (self, "SELECT max (id) FROM sync_runs WHERE state = 0 AND kind = ?",
                              kind, 0, out_resume, error)
      || !stopped_streak_start (self, *out_resume, &started, error))
    return FALSE;
  if (kind != PD_SYNC_KIND_FULL
      || (*out_resume > 0 && _pd_store_now_seconds () - started > RESUME_MAX_AGE_S))
    *out_resume = 0;
  G_STATIC_ASSERT (PD_SYNC_STATE_RUNNING == 0);
  stmt = _pd_store_prepare (self, "UPDATE sync_runs SET state = ?, finished_at = ? WHERE state = 0",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, PD_SYNC_STATE_INTERRUPTED);
  sqlite3_bind_int64 (stmt, 2, _pd_store_now_seconds ());
  return _pd_store_step_done (self, stmt, error);
}

static gint64
insert_run (PdStore     *self,
            PdSyncKind   kind,
            const char  *correlation_id,
            gint64       resume,
            GError     **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self,
                                          "INSERT INTO sync_runs (kind, state, started_at, "
                                          "correlation_id, resumes_run_id) VALUES (?, ?, ?, ?, ?)",
                                          error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int (stmt, 1, kind);
  sqlite3_bind_int (stmt, 2, PD_SYNC_STATE_RUNNING);
  sqlite3_bind_int64 (stmt, 3, _pd_store_now_seconds ());
  _pd_store_bind_text (stmt, 4, correlation_id);
  if (resume > 0)
    sqlite3_bind_int64 (stmt, 5, resume);
  return _pd_store_step_done (self, stmt, error) ? _pd_store_last_insert_id (self) : 0;
}

/* A run that starts on a cache of fewer organizations than this may be a first sync: it
 * stores without the indexes on names, and builds them at its end. */
#define BULK_MAX_ORGS 10000

/* A first sync (on a cache without any organization, or resuming one) leaves its rows out of
 * the full-text index and builds it at its end: kept up batch by batch, FTS5 merged its
 * segments again and again, a third of the CPU of a million customers' first sync (12.5 s;
 * the build takes 2 s). Until then a store search does not find them, as it does not find
 * listed customers before their read; the app's list searches its own rows. The mark in meta
 * outlives a run that dies: the next run's start or end builds the index. */
static gboolean
defer_fts_of_first_sync (PdStore  *self,
                         gint64    n_organizations,
                         GError  **error)
{
  if (n_organizations > 0)
    return _pd_store_has_meta (self, PD_STORE_FTS_INCOMPLETE_KEY, &self->fts_deferred, error);
  self->fts_deferred = TRUE;
  return pd_store_set_meta (self, PD_STORE_FTS_INCOMPLETE_KEY, "1", error);
}

gboolean
_pd_store_complete_fts (PdStore  *self,
                        GError  **error)
{
  /* The mark goes in the transaction that builds the index: between the two, another
   * connection's edit would leave its entry to a build that has already happened. */
  gboolean own_transaction = sqlite3_get_autocommit (self->db);
  gboolean incomplete = FALSE;
  gboolean ok;

  self->fts_deferred = FALSE;
  if (!_pd_store_has_meta (self, PD_STORE_FTS_INCOMPLETE_KEY, &incomplete, error))
    return FALSE;
  if (!incomplete)
    return TRUE;
  if (own_transaction && !_pd_store_begin_write (self, error))
    return FALSE;
  /* Rebuilt from every row's search_text: what this or any other connection wrote in the
   * meantime is in it. The mark is read again inside: another run may have built it. */
  ok = _pd_store_has_meta (self, PD_STORE_FTS_INCOMPLETE_KEY, &incomplete, error)
       && (!incomplete
           || (_pd_store_exec_sql (self, "INSERT INTO org_search (org_search) VALUES ('rebuild')",
                                   error)
               && pd_store_set_meta (self, PD_STORE_FTS_INCOMPLETE_KEY, NULL, error)));
  return own_transaction ? _pd_store_end_write (self, ok, error) : ok;
}

static gboolean
prepare_bulk_indexes (PdStore  *self,
                      GError  **error)
{
  gint64 n = 0;

  if (!_pd_store_query_int64 (self, "SELECT count(*) FROM organizations", 0, 0, &n, error))
    return FALSE;
  if (n >= BULK_MAX_ORGS)
    return _pd_store_ensure_bulk_indexes (self, error) && _pd_store_complete_fts (self, error);
  /* What a run that died left stale is settled now. This run's end recomputes every
   * duplicate flag (marked stale at this commit): no group need be kept on the way. */
  if (!_pd_store_settle_dups (self, error))
    return FALSE;
  _pd_store_all_dups_stale (self);
  self->defer_dups = TRUE;
  return defer_fts_of_first_sync (self, n, error) && _pd_store_drop_bulk_indexes (self, error);
}

/* Whether another process holds the sync lock, taking it when not (*out_fd >= 0). A reader
 * asking whether a sync runs (status, the app) takes the lock for an instant to tell: a
 * holder is waited for a little, or a sync starting just then would be refused as "already
 * running" with none running. A RUNNING row proves nothing (a killed run leaves one); a
 * sync that runs holds the lock for all of it, and is refused after the wait. */
static gboolean
sync_lock_busy (PdStore  *self,
                int      *out_fd,
                GError  **error)
{
  gboolean busy = FALSE;

  for (guint attempt = 0; attempt < PROBE_WAIT_ATTEMPTS; attempt++)
    {
      *out_fd = try_sync_lock (self, &busy, error);
      if (!busy)
        return FALSE;
      g_usleep (PROBE_WAIT_US);
    }
  return busy;
}

gint64
pd_store_begin_sync_run (PdStore     *self,
                         PdSyncKind   kind,
                         const char  *correlation_id,
                         gint64      *resume_run_id,
                         GError     **error)
{
  gboolean busy = FALSE;
  gint64 resume = 0, run_id = 0;
  int fd = -1;

  g_return_val_if_fail (PD_IS_STORE (self), 0);
  if (resume_run_id != NULL)
    *resume_run_id = 0;
  if (self->sync_lock_fd < 0)
    busy = sync_lock_busy (self, &fd, error);
  if (self->sync_lock_fd >= 0 || busy)
    {
      g_autoptr(PdSyncRun) run = newest_running_run (self);

      pd_store_set_sync_busy_error (run != NULL ? run->started_at : NULL, error);
      return 0;
    }
  if (fd < 0)
    return 0;
  if (_pd_store_begin_write (self, error))
    {
      gboolean ok = interrupt_dead_runs (self, kind, &resume, error) &&
                    _pd_store_take_stale_mark (self, error) &&
                    prepare_bulk_indexes (self, error) &&
                    (run_id = insert_run (self, kind, correlation_id, resume, error)) > 0;
      if (!_pd_store_end_write (self, ok, error))
        run_id = 0;
      self->defer_dups = FALSE;
      /* Deferred only by a run this store owns. */
      self->fts_deferred = self->fts_deferred && run_id > 0;
    }
  if (run_id == 0)
    {
      close (fd);
      return 0;
    }
  self->sync_lock_fd = fd;
  self->sync_run_id = run_id;
  _pd_store_set_run_tuning (self, TRUE);
  if (resume_run_id != NULL)
    *resume_run_id = resume;
  return run_id;
}

/* The id of the run a live process is running (this store's, or the newest RUNNING row while
 * another holds the sync lock), 0 when none, -1 when the lock cannot tell (a folder this user
 * may not write, where the lock file cannot be opened). */
static gint64
live_run_id (PdStore *self)
{
  g_autoptr(PdSyncRun) newest = NULL;
  g_autoptr(GError) error = NULL;
  gboolean busy = FALSE;
  int fd;

  if (self->sync_lock_fd >= 0)
    return self->sync_run_id;
  fd = try_sync_lock (self, &busy, &error);
  if (fd >= 0)
    close (fd);
  if (error != NULL)
    return -1;
  if (!busy)
    return 0;
  newest = newest_running_run (self);
  return newest != NULL ? newest->id : 0;
}

/* A RUNNING row whose process died (kill -9, a crash, a power cut) stays RUNNING until the next
 * run begins and marks it: read before, it is INTERRUPTED, as it is, not running. */
static void
settle_dead_runs (PdStore   *self,
                  GPtrArray *runs)
{
  gboolean looked = FALSE;
  gint64 live = 0;

  for (guint i = 0; i < runs->len; i++)
    {
      PdSyncRun *run = g_ptr_array_index (runs, i);

      if (run->state != PD_SYNC_STATE_RUNNING)
        continue;
      if (!looked)
        {
          live = live_run_id (self);
          looked = TRUE;
        }
      if (live >= 0 && run->id != live)
        run->state = PD_SYNC_STATE_INTERRUPTED;
    }
}

PdSyncRun *
pd_store_get_running_sync (PdStore *self)
{
  gboolean busy = FALSE;
  int fd;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  if (self->sync_lock_fd >= 0)
    return pd_store_get_sync_run (self, self->sync_run_id, NULL);
  fd = try_sync_lock (self, &busy, NULL);
  if (fd >= 0)
    {
      /* Nobody holds the lock: a RUNNING row is from a dead process, not a live run. */
      close (fd);
      return NULL;
    }
  return busy ? newest_running_run (self) : NULL;
}

gboolean
pd_store_set_sync_run_kind (PdStore     *self,
                            gint64       run_id,
                            PdSyncKind   kind,
                            GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  stmt = _pd_store_prepare (self, "UPDATE sync_runs SET kind = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, kind);
  sqlite3_bind_int64 (stmt, 2, run_id);
  return _pd_store_step_done (self, stmt, error);
}

static gboolean
record_run_end (PdStore      *self,
                gint64        run_id,
                PdSyncState   state,
                const char   *error_message,
                GError      **error)
{
  sqlite3_stmt *stmt;

  /* The indexes a first sync went without are built before the run's last transaction, each
   * in a transaction of its own: in one, the end of a million customers' first sync kept the
   * app's edits waiting past their busy timeout (5 s). A run that dies in between is resumed
   * and ends here again. */
  if (state != PD_SYNC_STATE_RUNNING
      && !(_pd_store_ensure_bulk_indexes (self, error) && _pd_store_complete_fts (self, error)))
    return FALSE;
  if (!_pd_store_begin_write (self, error))
    return FALSE;
  stmt = _pd_store_prepare (self, "UPDATE sync_runs SET state = ?, finished_at = ?, error = ? "
                                  "WHERE id = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, state);
      sqlite3_bind_int64 (stmt, 2, _pd_store_now_seconds ());
      _pd_store_bind_text (stmt, 3, error_message);
      sqlite3_bind_int64 (stmt, 4, run_id);
    }
  /* A run that stays RUNNING (a checkpoint) keeps deferring its duplicate flags. */
  return _pd_store_end_write (self,
                              stmt != NULL && _pd_store_step_done (self, stmt, error) &&
                              (state == PD_SYNC_STATE_RUNNING
                               || (_pd_store_index_unread (self, NULL, error)
                                   && _pd_store_take_stale_mark (self, error))),
                              error);
}

gboolean
pd_store_finish_sync_run (PdStore      *self,
                          gint64        run_id,
                          PdSyncState   state,
                          const char   *error_message,
                          GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  ok = record_run_end (self, run_id, state, error_message, error);
  /* The run ends here even when its end could not be written (another program kept the cache
   * busy): it then reads as interrupted, and the next run resumes it. Keeping the lock would
   * have refused every later sync of this process as "already running", with none running. */
  if (run_id == self->sync_run_id && self->sync_lock_fd >= 0 && state != PD_SYNC_STATE_RUNNING)
    {
      close (self->sync_lock_fd);
      self->sync_lock_fd = -1;
      self->sync_run_id = 0;
      _pd_store_set_run_tuning (self, FALSE);
    }
  return ok;
}

gboolean
_pd_store_add_counts (PdStore          *self,
                      gint64            run_id,
                      const RunCounts  *c,
                      GError          **error)
{
  sqlite3_stmt *stmt;

  if (run_id <= 0)
    return TRUE;
  stmt = _pd_store_prepare (self,
                            "UPDATE sync_runs SET n_new = n_new + ?, n_updated = n_updated + ?, "
                            "n_unchanged = n_unchanged + ?, n_removed = n_removed + ?, "
                            "n_overrides_kept = n_overrides_kept + ?, "
                            "n_overrides_replaced = n_overrides_replaced + ?, "
                            "n_failed = n_failed + ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, c->n_new);
  sqlite3_bind_int (stmt, 2, c->n_updated);
  sqlite3_bind_int (stmt, 3, c->n_unchanged);
  sqlite3_bind_int (stmt, 4, c->n_removed);
  sqlite3_bind_int (stmt, 5, c->n_kept);
  sqlite3_bind_int (stmt, 6, c->n_replaced);
  sqlite3_bind_int (stmt, 7, c->n_failed);
  sqlite3_bind_int64 (stmt, 8, run_id);
  return _pd_store_step_done (self, stmt, error);
}

gboolean
_pd_store_insert_event (PdStore           *self,
                        gint64             run_id,
                        const PdRunEvent  *event,
                        GError           **error)
{
  sqlite3_stmt *stmt;

  if (run_id <= 0)
    return TRUE;   /* an apply outside a run (tests, imports) has no report */
  stmt = _pd_store_prepare (self, "INSERT INTO sync_run_events (run_id, kind, org_id, tenant_id, "
                                  "name, field, old_value, new_value, error) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int (stmt, 2, event->kind);
  if (event->org_id > 0)
    sqlite3_bind_int64 (stmt, 3, event->org_id);
  _pd_store_bind_static (stmt, 4, event->tenant_id);
  _pd_store_bind_static (stmt, 5, event->name);
  _pd_store_bind_static (stmt, 6, event->field);
  _pd_store_bind_static (stmt, 7, event->old_value);
  _pd_store_bind_static (stmt, 8, event->new_value);
  _pd_store_bind_static (stmt, 9, event->error);
  return _pd_store_step_done (self, stmt, error);
}

static void
count_event (RunCounts      *c,
             PdRunEventKind  kind)
{
  switch (kind)
    {
    case PD_RUN_EVENT_NEW: c->n_new++; break;
    case PD_RUN_EVENT_UPDATED: c->n_updated++; break;
    case PD_RUN_EVENT_REMOVED: c->n_removed++; break;
    case PD_RUN_EVENT_OVERRIDE_KEPT: c->n_kept++; break;
    case PD_RUN_EVENT_OVERRIDE_REPLACED: c->n_replaced++; break;
    case PD_RUN_EVENT_FAILED: c->n_failed++; break;
    default: break;
    }
}

gboolean
pd_store_add_run_event (PdStore           *self,
                        gint64             run_id,
                        const PdRunEvent  *event,
                        GError           **error)
{
  RunCounts counts = { 0 };

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);
  count_event (&counts, event->kind);
  if (!_pd_store_begin_write (self, error))
    return FALSE;
  return _pd_store_end_write (self, _pd_store_insert_event (self, run_id, event, error) &&
                                    _pd_store_add_counts (self, run_id, &counts, error), error);
}

/* A short-lived event for one organization (strings borrowed). */
gboolean
_pd_store_org_event (PdStore         *self,
                     gint64           run_id,
                     PdRunEventKind   kind,
                     PdOrganization  *org,
                     const char      *field,
                     const char      *old_value,
                     const char      *new_value,
                     GError         **error)
{
  PdRunEvent event = {
    .kind = kind,
    .org_id = pd_organization_get_id (org),
    .tenant_id = (char *) pd_organization_get_tenant_id (org),
    .name = (char *) pd_organization_get_name (org),
    .field = (char *) field,
    .old_value = (char *) old_value,
    .new_value = (char *) new_value,
  };

  return _pd_store_insert_event (self, run_id, &event, error);
}
