/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-events.c — reading a sync run's events (pd-store-runs.c writes them as the run goes):
 * all of them, some kinds, their count, and the run's failures, for its report. */
#include "config.h"

#include "pd-store-private.h"

void
pd_run_event_free (PdRunEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->tenant_id);
  g_free (event->name);
  g_free (event->field);
  g_free (event->old_value);
  g_free (event->new_value);
  g_free (event->error);
  g_free (event);
}

/* The events stmt selects (kind, org_id, tenant_id, name, field, old_value, new_value, error),
 * as a GPtrArray of PdRunEvent; NULL with error set. */
static GPtrArray *
read_run_events (PdStore       *self,
                 sqlite3_stmt  *stmt,
                 GError       **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_run_event_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdRunEvent *e = g_new0 (PdRunEvent, 1);

      e->kind = (PdRunEventKind) sqlite3_column_int (stmt, 0);
      e->org_id = sqlite3_column_int64 (stmt, 1);
      e->tenant_id = g_strdup (_pd_store_column_text (stmt, 2));
      e->name = g_strdup (_pd_store_column_text (stmt, 3));
      e->field = g_strdup (_pd_store_column_text (stmt, 4));
      e->old_value = g_strdup (_pd_store_column_text (stmt, 5));
      e->new_value = g_strdup (_pd_store_column_text (stmt, 6));
      e->error = g_strdup (_pd_store_column_text (stmt, 7));
      g_ptr_array_add (events, e);
    }
  return _pd_store_rows_done (self, stmt, rc, error) ? g_steal_pointer (&events) : NULL;
}

/* A failed customer's event has no organization id (the sync failed before it stored one, or
 * before it knew it): its tenant's row gives it when the cache has one (the listing stored it),
 * so that the report can name it (status --format json said "id": 0). The event keeps the
 * tenant id as Partner Center sent it; rows hold it lower-case (_pd_store_normalize_tenant). */
#define RUN_EVENT_COLUMNS \
  "kind, coalesce (org_id, (SELECT o.id FROM organizations o " \
  "                         WHERE o.tenant_id = lower (trim (sync_run_events.tenant_id)))), " \
  "tenant_id, name, field, old_value, new_value, error"

GPtrArray *
pd_store_get_run_events_of (PdStore  *self,
                            gint64    run_id,
                            guint     kinds,
                            guint     limit,
                            GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  /* kinds is a bound mask: one statement for every set of kinds. -1: no limit. */
  stmt = _pd_store_prepare (self, "SELECT " RUN_EVENT_COLUMNS " FROM sync_run_events "
                                  "WHERE run_id = ? AND (? >> kind) & 1 ORDER BY id LIMIT ?",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int64 (stmt, 2, kinds);
  sqlite3_bind_int64 (stmt, 3, limit > 0 ? (gint64) limit : -1);
  return read_run_events (self, stmt, error);
}

gint64
pd_store_count_run_events_of (PdStore  *self,
                              gint64    run_id,
                              guint     kinds,
                              GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 n = -1;
  int rc;

  g_return_val_if_fail (PD_IS_STORE (self), -1);
  stmt = _pd_store_prepare (self, "SELECT count(*) FROM sync_run_events "
                                  "WHERE run_id = ? AND (? >> kind) & 1", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int64 (stmt, 2, kinds);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _pd_store_set_sqlite_error (self->db, rc, error);
      return -1;
    }
  return n;
}

GPtrArray *
pd_store_get_run_events (PdStore  *self,
                         gint64    run_id,
                         GError  **error)
{
  /* Every bit set: every kind. */
  return pd_store_get_run_events_of (self, run_id, G_MAXUINT, 0, error);
}

GPtrArray *
pd_store_get_run_failures (PdStore  *self,
                           gint64    run_id,
                           GError  **error)
{
  return pd_store_get_run_events_of (self, run_id, PD_RUN_EVENT_KIND_BIT (PD_RUN_EVENT_FAILED), 0,
                                     error);
}
