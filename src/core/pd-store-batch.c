/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-batch.c — what a sync batch learns of the cache before merging (pd-store-merge.c):
 * the customers it already has, found 100 at a time, and those whose row already holds what
 * Partner Center sends (the unchanged-row comparison); and folding what synced_unchanged notes
 * of an unchanged row back into it before another write (schema 9). A batch's write begins with
 * that prefetch (_pd_store_begin_batch) and ends with _pd_store_end_batch. */
#include "config.h"

#include "pd-store-private.h"

#define PREFETCH_CHUNK 100

/* What a re-sync compares with what Partner Center sends (row_holds): columns 2 …, the third
 * between PREFETCH_ROW_PLAIN and PREFETCH_ROW_VALUES. */
#define PREFETCH_ROW_PLAIN \
  ", id, source = 0 AND removed = 0 AND bill_to_state = 0 AND bill_to_error IS NULL"
#define PREFETCH_ROW_NO_OVERRIDE \
  " AND NOT EXISTS (SELECT 1 FROM bill_to_overrides v WHERE v.org_id = o.id)"
#define PREFETCH_ROW_VALUES \
  ", name, domain, country, relationship, delegated_access, reseller_id, reseller_name, " \
  "pc_etag, " PC_BILL_TO_COLUMNS
enum { ROW_ID = 2, ROW_PLAIN, ROW_NAME, ROW_DOMAIN, ROW_DELEGATED = ROW_DOMAIN + 3, ROW_ETAG = 11,
       ROW_BILL_TO };

static gboolean
same_optional (sqlite3_stmt *stmt,
               int           column,
               const char   *value)
{
  return g_strcmp0 (_pd_store_column_text (stmt, column),
                    _pd_store_str_empty (value) ? NULL : value) == 0;
}

/* Whether the row (PREFETCH_ROW_COLUMNS) is a plain Partner Center row (no local bill-to edit,
 * read, not removed) holding exactly what apply_existing would write of in: then a sync changes
 * nothing of it but when it was seen (apply_unchanged, pd-store-merge.c). */
static gboolean
row_holds (sqlite3_stmt   *stmt,
           PdOrganization *in)
{
  const PdBillTo *pc;
  const char *name;

  if (in == NULL || sqlite3_column_int (stmt, ROW_PLAIN) == 0)
    return FALSE;
  name = pd_organization_get_name (in);
  if (g_strcmp0 (_pd_store_column_text (stmt, ROW_NAME), name != NULL ? name : "") != 0 ||
      !same_optional (stmt, ROW_DOMAIN, pd_organization_get_domain (in)) ||
      !same_optional (stmt, ROW_DOMAIN + 1, pd_organization_get_country (in)) ||
      !same_optional (stmt, ROW_DOMAIN + 2, pd_organization_get_relationship (in)) ||
      sqlite3_column_int (stmt, ROW_DELEGATED) != (pd_organization_get_delegated_access (in) ? 1
                                                                                            : 0) ||
      !same_optional (stmt, ROW_DELEGATED + 1, pd_organization_get_reseller_id (in)) ||
      !same_optional (stmt, ROW_DELEGATED + 2, pd_organization_get_reseller_name (in)) ||
      g_strcmp0 (_pd_store_column_text (stmt, ROW_ETAG),
                 pd_organization_get_bill_to_etag (in)) != 0)
    return FALSE;
  pc = pd_organization_get_bill_to_partner_center (in);
  for (guint f = 0; f < PD_BILL_TO_N_FIELDS; f++)
    if (g_strcmp0 (_pd_store_column_text (stmt, ROW_BILL_TO + (int) f), pc->values[f]) != 0)
      return FALSE;
  return TRUE;
}

/* tenant → the organization of orgs with it, NULL for a tenant given twice (the second one
 * must find what the first one wrote). */
static GHashTable *
orgs_by_tenant (GPtrArray *orgs,
                GPtrArray *tenants)
{
  GHashTable *by_tenant = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < tenants->len; i++)
    {
      const char *tenant = g_ptr_array_index (tenants, i);

      if (tenant != NULL)
        g_hash_table_insert (by_tenant, (gpointer) tenant,
                             g_hash_table_contains (by_tenant, tenant)
                             ? NULL : g_ptr_array_index (orgs, i));
    }
  return by_tenant;
}

/* The normalised tenants of orgs, each held once; compare_rows: the prefetch is also to tell
 * which rows hold what orgs say (unread and unchanged). */
static PdStoreBatchKnown *
batch_known_new (GPtrArray *orgs,
                 gboolean   compare_rows)
{
  PdStoreBatchKnown *known = g_new0 (PdStoreBatchKnown, 1);

  known->strings = g_string_chunk_new (64 * MAX (orgs->len, 1));
  known->tenants = g_ptr_array_sized_new (orgs->len);
  for (guint i = 0; i < orgs->len; i++)
    {
      g_autofree char *tenant = _pd_store_normalize_tenant (
        pd_organization_get_tenant_id (g_ptr_array_index (orgs, i)));

      g_ptr_array_add (known->tenants, tenant != NULL
                                       ? g_string_chunk_insert_const (known->strings, tenant)
                                       : NULL);
    }
  known->known = g_hash_table_new (NULL, NULL);
  if (compare_rows)
    {
      known->unread = g_hash_table_new (NULL, NULL);
      known->unchanged = g_hash_table_new (NULL, NULL);
      known->ids = g_new (gint64, MAX (orgs->len, 1));
    }
  return known;
}

void
_pd_store_batch_known_free (PdStoreBatchKnown *known)
{
  g_clear_pointer (&known->known, g_hash_table_unref);
  g_clear_pointer (&known->unread, g_hash_table_unref);
  g_clear_pointer (&known->unchanged, g_hash_table_unref);
  g_clear_pointer (&known->ids, g_free);
  g_ptr_array_unref (known->tenants);
  g_string_chunk_free (known->strings);
  g_free (known);
}

/* The prefetch query for chunks of PREFETCH_CHUNK tenants; with_rows: with what row_holds
 * compares. The check for a local bill-to edit is left out when the cache has none: a lookup
 * per row, a twentieth of a re-sync of a million. */
static char *
prefetch_sql (PdStore   *self,
              gboolean   with_rows,
              GError   **error)
{
  GString *sql = g_string_new ("SELECT tenant_id, bill_to_state");
  gint64 any_override = 1;

  if (with_rows && !_pd_store_query_int64 (self, "SELECT EXISTS (SELECT 1 FROM bill_to_overrides)",
                                           0, 0, &any_override, error))
    return (g_string_free (sql, TRUE), NULL);
  if (with_rows)
    g_string_append_printf (sql, PREFETCH_ROW_PLAIN "%s" PREFETCH_ROW_VALUES,
                            any_override != 0 ? PREFETCH_ROW_NO_OVERRIDE : "");
  g_string_append (sql, " FROM organizations o WHERE tenant_id IN (");
  _pd_store_append_params (sql, PREFETCH_CHUNK);
  g_string_append_c (sql, ')');
  return g_string_free (sql, FALSE);
}

/* Binds tenants[first …] (at most PREFETCH_CHUNK; NULL past the end). */
static void
bind_tenants (sqlite3_stmt *stmt,
              GPtrArray    *tenants,
              guint         first)
{
  for (guint j = 0; j < PREFETCH_CHUNK && first + j < tenants->len; j++)
    _pd_store_bind_static (stmt, (int) j + 1, g_ptr_array_index (tenants, first + j));
}

/* The tenants of orgs (known->tenants) that the cache already has, found with one query per
 * 100: a first sync then skips a lookup per new customer. known->unread and known->unchanged,
 * when asked, receive those whose bill-to was never read, and those whose row already holds
 * what orgs say (row_holds) with their ids: a re-sync of 100,000 unchanged customers then reads
 * none of them in full. */
static gboolean
prefetch_known (PdStore            *self,
                GPtrArray          *orgs,
                PdStoreBatchKnown  *known,
                GError            **error)
{
  /* Only what row_holds compares with needs the organization of a tenant. */
  g_autoptr(GHashTable) by_tenant = known->unchanged != NULL ? orgs_by_tenant (orgs,
                                                                              known->tenants)
                                                             : NULL;
  g_autofree char *sql = prefetch_sql (self, known->unchanged != NULL, error);
  guint n_unchanged = 0;
  int rc = SQLITE_DONE;

  if (sql == NULL)
    return FALSE;
  for (guint first = 0; first < orgs->len && rc == SQLITE_DONE; first += PREFETCH_CHUNK)
    {
      sqlite3_stmt *stmt = _pd_store_prepare_dynamic (self, sql, error);

      if (stmt == NULL)
        return FALSE;
      bind_tenants (stmt, known->tenants, first);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          /* Text compares as bytes: the row's tenant is one of those bound, held already. */
          const char *tenant = g_string_chunk_insert_const (known->strings,
                                                            _pd_store_column_text (stmt, 0));

          g_hash_table_add (known->known, (gpointer) tenant);
          if (known->unread != NULL && sqlite3_column_int (stmt, 1) != 0)
            g_hash_table_add (known->unread, (gpointer) tenant);
          if (known->unchanged != NULL && row_holds (stmt, g_hash_table_lookup (by_tenant, tenant)))
            {
              known->ids[n_unchanged] = sqlite3_column_int64 (stmt, ROW_ID);
              g_hash_table_insert (known->unchanged, (gpointer) tenant,
                                   &known->ids[n_unchanged++]);
            }
        }
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);   /* bound without copies */
    }
  if (rc != SQLITE_DONE)
    return _pd_store_set_sqlite_error (self->db, rc, error);
  return TRUE;
}

PdStoreBatchKnown *
_pd_store_begin_batch (PdStore    *self,
                       GPtrArray  *orgs,
                       gboolean    compare_rows,
                       GError    **error)
{
  g_autoptr(PdStoreBatchKnown) known = NULL;

  if (!_pd_store_begin_write (self, error))
    return NULL;
  known = batch_known_new (orgs, compare_rows);
  if (!prefetch_known (self, orgs, known, error))
    {
      _pd_store_end_write (self, FALSE, NULL);
      return NULL;
    }
  return g_steal_pointer (&known);
}

gboolean
_pd_store_end_batch (PdStore   *self,
                     gint64     run_id,
                     gboolean   ok,
                     GError   **error)
{
  /* Within a run, the duplicate flags are settled once, when it finishes. */
  self->defer_dups = run_id > 0;
  ok = _pd_store_end_write (self, ok, error);
  self->defer_dups = FALSE;
  return ok;
}

gboolean
_pd_store_fold_synced (PdStore  *self,
                       gint64    id,
                       GError  **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self, "SELECT seen_run, synced_at FROM synced_unchanged "
                                                "WHERE org_id = ?", error);
  gint64 synced_at;
  gboolean has_run;
  gint64 seen_run;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  has_run = rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL;
  seen_run = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  synced_at = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 1) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _pd_store_rows_done (self, stmt, rc, error);
  stmt = _pd_store_prepare (self, "UPDATE organizations SET last_synced_at = ?, "
                                  "bill_to_read_at = ?, seen_run = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, synced_at);
  sqlite3_bind_int64 (stmt, 2, synced_at);
  if (has_run)
    sqlite3_bind_int64 (stmt, 3, seen_run);
  sqlite3_bind_int64 (stmt, 4, id);
  return _pd_store_step_done (self, stmt, error) && _pd_store_drop_synced (self, id, error);
}

gboolean
_pd_store_drop_synced (PdStore  *self,
                       gint64    id,
                       GError  **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self, "DELETE FROM synced_unchanged WHERE org_id = ?",
                                          error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return _pd_store_step_done (self, stmt, error);
}
