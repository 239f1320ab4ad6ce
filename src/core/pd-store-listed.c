/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-listed.c — the customers a full run listed, waiting in the cache for their read
 * (sync_run_listed, schema 8): queued as listing pages arrive, taken a window at a time, and
 * dropped when the run ends; and what a read that failed leaves
 * (pd_store_set_bill_to_unreadable). */
#include "config.h"

#include "pd-store-private.h"

static gboolean
queue_one_listed (PdStore         *self,
                  gint64           run_id,
                  PdOrganization  *org,
                  gboolean        *out_new,
                  GError         **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self, "INSERT OR IGNORE INTO sync_run_listed "
                                                "(run_id, tenant_id, name) VALUES (?, ?, ?)",
                                          error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  _pd_store_bind_static (stmt, 2, pd_organization_get_tenant_id (org));
  _pd_store_bind_static_or_null (stmt, 3, pd_organization_get_name (org));
  if (!_pd_store_step_done (self, stmt, error))
    return FALSE;
  *out_new = sqlite3_changes (self->db) > 0;
  return TRUE;
}

gboolean
pd_store_queue_listed (PdStore    *self,
                       gint64      run_id,
                       GPtrArray  *organizations,
                       GArray     *out_new,
                       GError    **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (organizations != NULL, FALSE);
  if (organizations->len == 0)
    return TRUE;
  if (!_pd_store_begin_write (self, error))
    return FALSE;
  for (guint i = 0; ok && i < organizations->len; i++)
    {
      PdOrganization *org = g_ptr_array_index (organizations, i);
      gboolean is_new = FALSE;

      if (pd_organization_get_tenant_id (org) == NULL)
        continue;
      ok = queue_one_listed (self, run_id, org, &is_new, error);
      if (ok && is_new && out_new != NULL)
        g_array_append_val (out_new, i);
    }
  if (!ok && out_new != NULL)
    g_array_set_size (out_new, 0);
  return _pd_store_end_write (self, ok, error);
}

/* Reads up to limit untaken rows of run_id in listing order into taken (PdOrganization) and
 * their row ids into rowids. */
static gboolean
select_untaken (PdStore    *self,
                gint64      run_id,
                guint       limit,
                GPtrArray  *taken,
                GArray     *rowids,
                GError    **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self, "SELECT rowid, tenant_id, name "
                                                "FROM sync_run_listed "
                                                "WHERE run_id = ? AND taken = 0 "
                                                "ORDER BY rowid LIMIT ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdOrganization *org = pd_organization_new ();
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      pd_organization_set_tenant_id (org, _pd_store_column_text (stmt, 1));
      pd_organization_set_name (org, _pd_store_column_text (stmt, 2));
      g_ptr_array_add (taken, org);
      g_array_append_val (rowids, rowid);
    }
  return _pd_store_rows_done (self, stmt, rc, error);
}

GPtrArray *
pd_store_take_listed (PdStore  *self,
                      gint64    run_id,
                      guint     limit,
                      GError  **error)
{
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  if (!_pd_store_begin_write (self, error))
    return NULL;
  ok = select_untaken (self, run_id, limit, taken, rowids, error);
  for (guint i = 0; ok && i < rowids->len; i++)
    {
      ok = (stmt = _pd_store_prepare (self, "UPDATE sync_run_listed SET taken = 1 "
                                            "WHERE rowid = ?", error)) != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, g_array_index (rowids, gint64, i));
          ok = _pd_store_step_done (self, stmt, error);
        }
    }
  if (!_pd_store_end_write (self, ok, error))
    return NULL;
  return g_steal_pointer (&taken);
}

gboolean
pd_store_clear_listed (PdStore  *self,
                       gint64    run_id,
                       GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  if (!_pd_store_begin_write (self, error))
    return FALSE;
  stmt = _pd_store_prepare (self, run_id > 0 ? "DELETE FROM sync_run_listed WHERE run_id = ?"
                                             : "DELETE FROM sync_run_listed", error);
  if (stmt != NULL && run_id > 0)
    sqlite3_bind_int64 (stmt, 1, run_id);
  return _pd_store_end_write (self, stmt != NULL && _pd_store_step_done (self, stmt, error),
                              error);
}

gboolean
pd_store_set_bill_to_unreadable (PdStore     *self,
                                 const char  *tenant_id,
                                 const char  *reason,
                                 GError     **error)
{
  g_autofree char *tenant = _pd_store_normalize_tenant (tenant_id);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);
  if (tenant == NULL)
    return TRUE;
  if (!_pd_store_begin_write (self, error))
    return FALSE;
  stmt = _pd_store_prepare (self, "UPDATE organizations SET bill_to_error = ? "
                                  "WHERE tenant_id = ? AND source = 0", error);
  if (stmt != NULL)
    {
      _pd_store_bind_text (stmt, 1, reason);
      _pd_store_bind_text (stmt, 2, tenant);
    }
  return _pd_store_end_write (self, stmt != NULL && _pd_store_step_done (self, stmt, error)
                                    && _pd_store_index_unread (self, tenant, error),
                              error);
}
