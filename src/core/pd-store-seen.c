/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-seen.c — what a sync run has seen: its checkpoint (the customers it and the runs it
 * resumes have read), the customers whose read is owed, the seen marks of the customers a run
 * listed, and the removed marks of the ones no run of its chain listed. The runs themselves and
 * their counts: pd-store-runs.c. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-store-private.h"

/* run_id and the runs it resumes, transitively. */
static GArray *
run_chain (PdStore  *self,
           gint64    run_id,
           GError  **error)
{
  g_autoptr(GArray) chain = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 id = run_id;

  /* The bound guards against a cycle in a damaged table. */
  while (id > 0 && chain->len < 10000)
    {
      g_array_append_val (chain, id);
      if (!_pd_store_query_int64 (self,
                                  "SELECT resumes_run_id FROM sync_runs WHERE id = ?", id, 0, &id,
                                  error))
        return NULL;
    }
  return g_steal_pointer (&chain);
}

/* head, a parameter for each run of run_id's chain, then tail, prepared with the runs bound:
 * the queries about what a run and the runs it resumes have seen. */
static sqlite3_stmt *
prepare_for_chain (PdStore     *self,
                   gint64       run_id,
                   const char  *head,
                   const char  *tail,
                   GError     **error)
{
  g_autoptr(GArray) chain = run_chain (self, run_id, error);
  g_autoptr(GString) sql = NULL;
  sqlite3_stmt *stmt;

  if (chain == NULL)
    return NULL;
  sql = g_string_new (head);
  _pd_store_append_params (sql, chain->len);
  g_string_append (sql, tail);
  if ((stmt = _pd_store_prepare_dynamic (self, sql->str, error)) == NULL)
    return NULL;
  for (guint i = 0; i < chain->len; i++)
    sqlite3_bind_int64 (stmt, (int) i + 1, g_array_index (chain, gint64, i));
  return stmt;
}

/* The tenant ids (column 0) of the rows stmt returns, as a set; NULL when stmt is NULL (error
 * set by its preparation) or its step fails. */
static GHashTable *
dup_tenants (PdStore       *self,
             sqlite3_stmt  *stmt,
             GError       **error)
{
  g_autoptr(GHashTable) tenants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (tenants, g_strdup (_pd_store_column_text (stmt, 0)));
  if (!_pd_store_rows_done (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&tenants);
}

GHashTable *
pd_store_get_checkpoint (PdStore  *self,
                         gint64    run_id,
                         GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  return dup_tenants (self,
                      prepare_for_chain (self, run_id,
                                         "SELECT o.tenant_id FROM organizations o"
                                         _PD_STORE_SYNCED_JOIN " WHERE o.tenant_id IS NOT NULL "
                                         "AND " _PD_STORE_SEEN_RUN " IN (", ")", error),
                      error);
}

GHashTable *
pd_store_dup_unread_tenants (PdStore  *self,
                             GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  return dup_tenants (self,
                      _pd_store_prepare (self, "SELECT tenant_id FROM organizations WHERE "
                                               "source = 0 AND removed = 0 AND tenant_id IS NOT "
                                               "NULL AND (bill_to_state != 0 OR bill_to_error IS "
                                               "NOT NULL)", error),
                      error);
}

static gboolean
set_removed (PdStore         *self,
             gint64           run_id,
             PdOrganization  *org,
             GError         **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self, "UPDATE organizations SET removed = 1 WHERE id = ?",
                                          error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, pd_organization_get_id (org));
  return _pd_store_step_done (self, stmt, error) &&
         _pd_store_add_history (self, pd_organization_get_id (org), "removedFromPartnerCenter",
                                "false", "true", PD_CHANGE_BY_SYNC, run_id, error) &&
         _pd_store_org_event (self, run_id, PD_RUN_EVENT_REMOVED, org, NULL, NULL, NULL, error);
}

gboolean
pd_store_mark_removed (PdStore     *self,
                       gint64       run_id,
                       const char  *tenant_id,
                       GError     **error)
{
  g_autoptr(PdOrganization) org = NULL;
  RunCounts counts = { .n_removed = 1 };
  gboolean ok;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  if (!_pd_store_begin_write (self, error))
    return FALSE;
  org = pd_store_find_by_tenant (self, tenant_id, error);
  ok = org != NULL;
  if (ok && !pd_organization_get_removed (org))
    ok = set_removed (self, run_id, org, error)
         && _pd_store_add_counts (self, run_id, &counts, error);
  return _pd_store_end_write (self, ok, error);
}

/* Steps stmt (?1: run_id, ?2: tenant) of pd_store_mark_seen. */
static gboolean
mark_seen_step (PdStore       *self,
                sqlite3_stmt  *stmt,
                gint64         run_id,
                const char    *tenant,
                GError       **error)
{
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  _pd_store_bind_text (stmt, 2, tenant);
  return _pd_store_step_done (self, stmt, error);
}

/* A customer the run listed is one Partner Center has, whatever an earlier run concluded (a
 * 404 on its read, an activity-log removal before it came back): not "removed" any more, even
 * when its read failed. The history says so, as when a read brings a removed customer back. */
static gboolean
clear_removed (PdStore     *self,
               gint64       run_id,
               const char  *tenant,
               GError     **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self, "UPDATE organizations SET removed = 0 "
                                                "WHERE tenant_id = ? AND removed != 0 "
                                                "RETURNING id", error);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (stmt == NULL)
    return FALSE;
  _pd_store_bind_text (stmt, 1, tenant);
  if (!_pd_store_collect_ids (self, stmt, ids, error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    if (!_pd_store_add_history (self, g_array_index (ids, gint64, i), "removedFromPartnerCenter",
                                "true", "false", PD_CHANGE_BY_SYNC, run_id, error))
      return FALSE;
  return TRUE;
}

/* pd_store_mark_seen of one tenant, inside the caller's transaction. */
static gboolean
mark_seen_in_transaction (PdStore     *self,
                          gint64       run_id,
                          const char  *tenant_id,
                          GError     **error)
{
  g_autofree char *tenant = _pd_store_normalize_tenant (tenant_id);
  sqlite3_stmt *stmt;
  gboolean ok;

  if (tenant == NULL)
    return _pd_store_set_invalid_literal (error,
                                          _("A Partner Center customer without a tenant id"));
  /* The row's seen_run, and the one synced_unchanged holds for it, if any (schema 9). */
  stmt = _pd_store_prepare (self,
                            "UPDATE organizations SET seen_run = ?1 WHERE tenant_id = ?2", error);
  ok = mark_seen_step (self, stmt, run_id, tenant, error);
  if (ok)
    {
      stmt = _pd_store_prepare (self, "UPDATE synced_unchanged SET seen_run = ?1 WHERE org_id = "
                                      "(SELECT id FROM organizations WHERE tenant_id = ?2)", error);
      ok = mark_seen_step (self, stmt, run_id, tenant, error);
    }
  return ok && clear_removed (self, run_id, tenant, error);
}

gboolean
pd_store_mark_seen (PdStore     *self,
                    gint64       run_id,
                    const char  *tenant_id,
                    GError     **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  return pd_store_mark_seen_many (self, run_id, &tenant_id, 1, error);
}

gboolean
pd_store_mark_seen_many (PdStore             *self,
                         gint64               run_id,
                         const char * const  *tenant_ids,
                         guint                n_tenants,
                         GError             **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  if (n_tenants == 0)
    return TRUE;
  if (!_pd_store_begin_write (self, error))
    return FALSE;
  for (guint i = 0; ok && i < n_tenants; i++)
    ok = mark_seen_in_transaction (self, run_id, tenant_ids[i], error);
  return _pd_store_end_write (self, ok, error);
}

/* SELECT column FROM the Partner Center organizations no run of run_id's chain has seen
 * (bound). */
static sqlite3_stmt *
prepare_unseen (PdStore     *self,
                const char  *column,
                gint64       run_id,
                GError     **error)
{
  g_autofree char *head = g_strdup_printf ("SELECT o.%s FROM organizations o"
                                           _PD_STORE_SYNCED_JOIN " WHERE o.source = 0 AND "
                                           "o.removed = 0 AND o.tenant_id IS NOT NULL AND ("
                                           _PD_STORE_SEEN_RUN " IS NULL OR "
                                           _PD_STORE_SEEN_RUN " NOT IN (", column);
  sqlite3_stmt *stmt = prepare_for_chain (self, run_id, head, "))" _PD_STORE_RUN_SCOPE_SQL,
                                          error);

  /* A scoped run proves nothing about the customers of other resellers. */
  if (stmt != NULL)
    _pd_store_bind_scope_run (stmt, run_id);
  return stmt;
}

/* Fills ids with the Partner Center organizations no run of run_id's chain has seen. */
static gboolean
select_unseen (PdStore  *self,
               gint64    run_id,
               GArray   *ids,
               GError  **error)
{
  sqlite3_stmt *stmt = prepare_unseen (self, "id", run_id, error);

  return stmt != NULL && _pd_store_collect_ids (self, stmt, ids, error);
}

GHashTable *
pd_store_dup_unseen_tenants (PdStore  *self,
                             gint64    run_id,
                             GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  return dup_tenants (self, prepare_unseen (self, "tenant_id", run_id, error), error);
}

gboolean
pd_store_count_unseen (PdStore  *self,
                       gint64    run_id,
                       guint    *out_unseen,
                       guint    *out_present,
                       GError  **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 present = 0;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  if (!select_unseen (self, run_id, ids, error)
      || !_pd_store_query_int64 (self, "SELECT count(*) FROM organizations WHERE source = 0 AND "
                                       "removed = 0 AND tenant_id IS NOT NULL"
                                       _PD_STORE_RUN_SCOPE_SQL, run_id, 0, &present, error))
    return FALSE;
  *out_unseen = ids->len;
  *out_present = (guint) present;
  return TRUE;
}

/* How many were marked, or MARK_FAILED. */
#define MARK_FAILED G_MAXUINT

static guint
mark_unseen_in_transaction (PdStore  *self,
                            gint64    run_id,
                            GError  **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  RunCounts counts = { 0 };

  if (!select_unseen (self, run_id, ids, error))
    return MARK_FAILED;
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(PdOrganization) org = _pd_store_get_org (self, g_array_index (ids, gint64, i),
                                                         TRUE, error);

      if (org == NULL || !set_removed (self, run_id, org, error))
        return MARK_FAILED;
      counts.n_removed++;
    }
  return _pd_store_add_counts (self, run_id, &counts, error) ? counts.n_removed : MARK_FAILED;
}

guint
pd_store_mark_unseen_removed (PdStore  *self,
                              gint64    run_id,
                              GError  **error)
{
  guint n;

  g_return_val_if_fail (PD_IS_STORE (self), 0);
  if (!_pd_store_begin_write (self, error))
    return 0;
  n = mark_unseen_in_transaction (self, run_id, error);
  if (!_pd_store_end_write (self, n != MARK_FAILED, error))
    return 0;
  return n;
}
