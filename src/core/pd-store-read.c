/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-read.c — reading organizations from the store: get, find, list and count with
 * filters and search (which rows: pd-store-search.c), history, resellers. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-store-private.h"

void
pd_history_entry_free (PdHistoryEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->what);
  g_free (entry->old_value);
  g_free (entry->new_value);
  g_clear_pointer (&entry->when, g_date_time_unref);
  g_free (entry);
}

static void
override_free (gpointer data)
{
  PdStoreOverride *o = data;

  pd_bill_to_free (o->bill_to);
  g_free (o->base_etag);
  g_free (o);
}

/* Adds the overrides stmt selects (org_id, field, value, base_etag) to table (gint64* →
 * PdStoreOverride), and resets stmt. */
static gboolean
read_overrides (PdStore       *self,
                sqlite3_stmt  *stmt,
                GHashTable    *table,
                GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 org_id = sqlite3_column_int64 (stmt, 0);
      int field = sqlite3_column_int (stmt, 1);
      PdStoreOverride *o = g_hash_table_lookup (table, &org_id);

      if (field < 0 || field >= PD_BILL_TO_N_FIELDS)
        continue;
      if (o == NULL)
        {
          o = g_new0 (PdStoreOverride, 1);
          o->bill_to = pd_bill_to_new ();
          o->base_etag = g_strdup (_pd_store_column_text (stmt, 3));
          g_hash_table_insert (table, g_memdup2 (&org_id, sizeof org_id), o);
        }
      /* Set directly: an override may be the empty string ("cleared locally"), which
       * pd_bill_to_set would turn into "not overridden". */
      g_free (o->bill_to->values[field]);
      o->bill_to->values[field] = g_strdup (_pd_store_column_text (stmt, 2));
    }
  return _pd_store_rows_done (self, stmt, rc, error);
}

static GHashTable *
new_override_table (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, override_free);
}

GHashTable *
_pd_store_load_overrides (PdStore  *self,
                          gint64    id,
                          GError  **error)
{
  g_autoptr(GHashTable) table = new_override_table ();
  sqlite3_stmt *stmt;

  stmt = _pd_store_prepare (self, id > 0
                            ? "SELECT org_id, field, value, base_etag FROM bill_to_overrides "
                              "WHERE org_id = ?"
                            : "SELECT org_id, field, value, base_etag FROM bill_to_overrides",
                            error);
  if (stmt == NULL)
    return NULL;
  if (id > 0)
    sqlite3_bind_int64 (stmt, 1, id);
  if (!read_overrides (self, stmt, table, error))
    return NULL;
  return g_steal_pointer (&table);
}

#define ORG_COLUMNS \
  "o.id, o.tenant_id, o.source, o.name, o.domain, o.country, o.relationship, " \
  "o.delegated_access, o.reseller_id, o.reseller_name, o.removed, " \
  _PD_STORE_LAST_SYNCED_AT ", o.missing_mask, l.erp_id, l.registration_number, l.segments, " \
  "l.currency, l.currency_effective, l.status, l.login_options, l.account_manager, l.notes, " \
  "o.bill_to_state, o.bill_to_error, " _PD_STORE_BILL_TO_READ_AT ", o.account_status, " \
  "o.account_checked_at, o.pc_etag, " \
  PC_BILL_TO_COLUMNS

enum {
  COL_ID, COL_TENANT, COL_SOURCE, COL_NAME, COL_DOMAIN, COL_COUNTRY, COL_RELATIONSHIP,
  COL_DELEGATED, COL_RESELLER_ID, COL_RESELLER_NAME, COL_REMOVED, COL_LAST_SYNCED,
  COL_MISSING, COL_ERP, COL_REGNO, COL_SEGMENTS, COL_CURRENCY, COL_CURRENCY_EFFECTIVE,
  COL_STATUS, COL_LOGIN, COL_MANAGER, COL_NOTES, COL_READ_STATE, COL_READ_ERROR, COL_READ_AT,
  COL_ACCOUNT_STATUS, COL_ACCOUNT_CHECKED_AT, COL_ETAG, COL_BILL_TO,
  COL_DUPLICATE = COL_BILL_TO + PD_BILL_TO_N_FIELDS,
  COL_HAS_OVERRIDE,   /* only in ORG_GET_SQL */
};

char **
_pd_store_split_list (const char *text)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (_pd_store_str_empty (text))
    return g_strv_builder_end (builder);
  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

static void
set_missing_from_mask (PdOrganization *org,
                       guint32         mask)
{
  const char *paths[PD_MISSING_N_FIELDS + 1];
  guint n = 0;

  for (guint i = 0; i < PD_MISSING_N_FIELDS; i++)
    if (mask & (1u << i))
      paths[n++] = pd_missing_field_path ((PdBillToField) i);
  paths[n] = NULL;
  pd_organization_set_missing_fields (org, paths);
}

static void
org_set_local_fields (PdOrganization *org,
                      sqlite3_stmt   *stmt)
{
  const char *segments_text = _pd_store_column_text (stmt, COL_SEGMENTS);
  const char *login_text = _pd_store_column_text (stmt, COL_LOGIN);
  g_auto(GStrv) segments = segments_text != NULL ? _pd_store_split_list (segments_text) : NULL;
  g_auto(GStrv) login = login_text != NULL ? _pd_store_split_list (login_text) : NULL;

  pd_organization_set_erp_id (org, _pd_store_column_text (stmt, COL_ERP));
  pd_organization_set_registration_number (org, _pd_store_column_text (stmt, COL_REGNO));
  pd_organization_set_segments (org, (const char * const *) segments);
  pd_organization_set_currency (org, _pd_store_column_text (stmt, COL_CURRENCY));
  if (sqlite3_column_type (stmt, COL_CURRENCY_EFFECTIVE) != SQLITE_NULL)
    {
      g_autoptr(GDateTime) when =
        _pd_store_date_time_from_seconds (sqlite3_column_int64 (stmt, COL_CURRENCY_EFFECTIVE));
      pd_organization_set_currency_effective (org, when);
    }
  pd_organization_set_status (org, (PdOrgStatus) sqlite3_column_int (stmt, COL_STATUS));
  pd_organization_set_login_options (org, (const char * const *) login);
  pd_organization_set_account_manager (org, _pd_store_column_text (stmt, COL_MANAGER));
  pd_organization_set_notes (org, _pd_store_column_text (stmt, COL_NOTES));
}

static void
org_set_bill_to (PdOrganization *org,
                 sqlite3_stmt   *stmt,
                 GHashTable     *overrides)
{
  /* Borrows the row's text: the organization copies what it keeps, and a list of 100,000
   * should not copy every value twice. */
  PdBillTo pc = { { NULL } };
  gint64 id = pd_organization_get_id (org);
  PdStoreOverride *o = overrides != NULL ? g_hash_table_lookup (overrides, &id) : NULL;

  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    pc.values[i] = (char *) _pd_store_column_text (stmt, COL_BILL_TO + i);
  pd_organization_set_bill_to_partner_center (org, &pc, _pd_store_column_text (stmt, COL_ETAG));
  if (o != NULL)
    pd_organization_set_bill_to_override (org, o->bill_to, o->base_etag);
}

/* Whether and when the bill-to was read, and why the latest read failed (schema 4). */
static void
org_set_bill_to_read (PdOrganization *org,
                      sqlite3_stmt   *stmt)
{
  g_autoptr(GDateTime) read_at = NULL;

  if (sqlite3_column_type (stmt, COL_READ_AT) != SQLITE_NULL)
    read_at = _pd_store_date_time_from_seconds (sqlite3_column_int64 (stmt, COL_READ_AT));
  if (read_at != NULL || sqlite3_column_int (stmt, COL_READ_STATE) != 0
      || sqlite3_column_type (stmt, COL_READ_ERROR) != SQLITE_NULL)
    pd_organization_set_bill_to_read (org, sqlite3_column_int (stmt, COL_READ_STATE) != 0,
                                      read_at, _pd_store_column_text (stmt, COL_READ_ERROR));
}

/* Microsoft's account verification as last asked (schema 5). */
static void
org_set_account_status (PdOrganization *org,
                        sqlite3_stmt   *stmt)
{
  g_autoptr(GDateTime) checked_at = NULL;

  if (sqlite3_column_type (stmt, COL_ACCOUNT_CHECKED_AT) == SQLITE_NULL)
    return;
  checked_at = _pd_store_date_time_from_seconds (sqlite3_column_int64 (stmt,
                                                                       COL_ACCOUNT_CHECKED_AT));
  pd_organization_set_account_status (org, sqlite3_column_int (stmt, COL_ACCOUNT_STATUS),
                                      checked_at);
}

/* An organization from a row of ORG_COLUMNS (+ the duplicate flag when has_dup). */
static PdOrganization *
org_from_row (sqlite3_stmt *stmt,
              GHashTable   *overrides,
              gboolean      has_dup)
{
  PdOrganization *org = pd_organization_new ();

  pd_organization_set_id (org, sqlite3_column_int64 (stmt, COL_ID));
  pd_organization_set_tenant_id (org, _pd_store_column_text (stmt, COL_TENANT));
  pd_organization_set_source (org, (PdOrgSource) sqlite3_column_int (stmt, COL_SOURCE));
  pd_organization_set_name (org, _pd_store_column_text (stmt, COL_NAME));
  pd_organization_set_domain (org, _pd_store_column_text (stmt, COL_DOMAIN));
  pd_organization_set_country (org, _pd_store_column_text (stmt, COL_COUNTRY));
  pd_organization_set_relationship (org, _pd_store_column_text (stmt, COL_RELATIONSHIP));
  pd_organization_set_delegated_access (org, sqlite3_column_int (stmt, COL_DELEGATED) != 0);
  /* A new organization has the defaults of an empty row: setting only what is there keeps a
   * list of 100,000 cheap. */
  if (sqlite3_column_type (stmt, COL_RESELLER_ID) != SQLITE_NULL)
    pd_organization_set_reseller (org, _pd_store_column_text (stmt, COL_RESELLER_ID),
                                  _pd_store_column_text (stmt, COL_RESELLER_NAME));
  if (sqlite3_column_int (stmt, COL_REMOVED) != 0)
    pd_organization_set_removed (org, TRUE);
  if (sqlite3_column_type (stmt, COL_LAST_SYNCED) != SQLITE_NULL)
    {
      g_autoptr(GDateTime) when =
        _pd_store_date_time_from_seconds (sqlite3_column_int64 (stmt, COL_LAST_SYNCED));
      pd_organization_set_last_synced_at (org, when);
    }
  /* status is NOT NULL in local_fields: NULL here means the organization has no local row. */
  if (sqlite3_column_type (stmt, COL_STATUS) != SQLITE_NULL)
    org_set_local_fields (org, stmt);
  org_set_bill_to (org, stmt, overrides);
  org_set_bill_to_read (org, stmt);
  org_set_account_status (org, stmt);
  if (sqlite3_column_int64 (stmt, COL_MISSING) != 0)
    set_missing_from_mask (org, (guint32) sqlite3_column_int64 (stmt, COL_MISSING));
  if (has_dup && sqlite3_column_int (stmt, COL_DUPLICATE) != 0)
    pd_organization_set_possible_duplicate (org, TRUE);
  return org;
}

static PdOrganization *
load_org_where (PdStore     *self,
                const char  *sql,
                const char  *text_arg,
                gint64       int_arg,
                GError     **error)
{
  g_autoptr(GHashTable) overrides = NULL;
  g_auto(PdStoreSnapshot) snapshot = { self, FALSE };
  sqlite3_stmt *stmt;
  PdOrganization *org = NULL;
  int rc;

  if (!_pd_store_begin_read (self, &snapshot.began, error)
      || (stmt = _pd_store_prepare (self, sql, error)) == NULL)
    return NULL;
  if (text_arg != NULL)
    _pd_store_bind_text (stmt, 1, text_arg);
  else
    sqlite3_bind_int64 (stmt, 1, int_arg);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      /* Overrides use their own statement: read them before this row's text is reset. */
      gint64 id = sqlite3_column_int64 (stmt, COL_ID);
      gboolean has_override = sqlite3_column_int (stmt, COL_HAS_OVERRIDE) != 0;

      org = org_from_row (stmt, NULL, TRUE);
      sqlite3_reset (stmt);
      if (!has_override)
        return org;
      overrides = _pd_store_load_overrides (self, id, error);
      if (overrides == NULL)
        g_clear_object (&org);
      else if (g_hash_table_size (overrides) > 0)
        {
          PdStoreOverride *o = g_hash_table_lookup (overrides, &id);
          pd_organization_set_bill_to_override (org, o->bill_to, o->base_etag);
        }
      return org;
    }
  /* No row: none has it (no error), or the read failed. */
  _pd_store_rows_done (self, stmt, rc, error);
  return NULL;
}

#define ORG_GET_SQL(where) \
  "SELECT " ORG_COLUMNS ", o.dup, " \
  "EXISTS (SELECT 1 FROM bill_to_overrides v WHERE v.org_id = o.id)" _PD_STORE_ORG_FROM where

PdOrganization *
_pd_store_get_org (PdStore  *self,
                   gint64    id,
                   gboolean  missing_is_error,
                   GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  PdOrganization *org = load_org_where (self, ORG_GET_SQL ("WHERE o.id = ?"), NULL, id,
                                        &local_error);

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (org == NULL && missing_is_error)
    g_set_error (error, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND,
                 _("No organization with id %lld"), (long long) id);
  return org;
}

PdOrganization *
pd_store_get (PdStore  *self,
              gint64    id,
              GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  return _pd_store_get_org (self, id, TRUE, error);
}

/* Tenant ids are GUIDs; they are stored lower case so lookups can use the unique index. */
char *
_pd_store_normalize_tenant (const char *tenant_id)
{
  char *tenant = g_strstrip (g_ascii_strdown (tenant_id != NULL ? tenant_id : "", -1));

  if (*tenant == '\0')
    g_clear_pointer (&tenant, g_free);
  return tenant;
}

PdOrganization *
_pd_store_find_by_tenant (PdStore     *self,
                          const char  *tenant_id,
                          GError     **error)
{
  g_autofree char *tenant = _pd_store_normalize_tenant (tenant_id);

  if (tenant == NULL)
    return NULL;
  return load_org_where (self, ORG_GET_SQL ("WHERE o.tenant_id = ?"), tenant, 0, error);
}

/* What a pd_store_find* answers: found, or the failure of the lookup (local_error, taken), or
 * NOT_FOUND naming what was looked for when nothing failed and nothing matched. */
static PdOrganization *
found_or_error (PdOrganization  *found,
                GError          *local_error,
                const char      *what,
                GError         **error)
{
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else if (found == NULL)
    g_set_error (error, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND,
                 _("No organization matches “%s” (give a local id, a tenant id or a domain)"),
                 what);
  return found;
}

PdOrganization *
pd_store_find_by_tenant (PdStore     *self,
                         const char  *tenant_id,
                         GError     **error)
{
  GError *local_error = NULL;
  PdOrganization *org;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  org = _pd_store_find_by_tenant (self, tenant_id, &local_error);
  return found_or_error (org, local_error, tenant_id != NULL ? tenant_id : "", error);
}

static gboolean
is_all_digits (const char *text)
{
  if (_pd_store_str_empty (text))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

PdOrganization *
pd_store_find (PdStore     *self,
               const char  *org,
               GError     **error)
{
  GError *local_error = NULL;
  PdOrganization *found = NULL;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  g_return_val_if_fail (org != NULL, NULL);

  if (is_all_digits (org))
    found = _pd_store_get_org (self, g_ascii_strtoll (org, NULL, 10), FALSE, &local_error);
  if (found == NULL && local_error == NULL)
    found = _pd_store_find_by_tenant (self, org, &local_error);
  if (found == NULL && local_error == NULL)
    found = load_org_where (self,
                            ORG_GET_SQL ("WHERE o.domain = ? COLLATE NOCASE ORDER BY o.id"),
                            org, 0, &local_error);
  return found_or_error (found, local_error, org, error);
}

/* The order of ORDER BY name COLLATE NOCASE, id: ASCII case folding, then bytes. Sorting the
 * pointers here is cheaper than sending every full row through SQLite's sorter. */
static int
compare_by_name (gconstpointer a,
                 gconstpointer b)
{
  PdOrganization *x = *(PdOrganization **) a;
  PdOrganization *y = *(PdOrganization **) b;
  const char *nx = pd_organization_get_name (x);
  const char *ny = pd_organization_get_name (y);
  int c = g_ascii_strcasecmp (nx != NULL ? nx : "", ny != NULL ? ny : "");
  gint64 ix = pd_organization_get_id (x), iy = pd_organization_get_id (y);

  if (c != 0)
    return c;
  return ix < iy ? -1 : ix > iy;
}

#define ROWS_CHUNK 100

/* "… IN (?, ?, …)" with ROWS_CHUNK parameters. */
static char *
in_chunk_sql (const char *head)
{
  GString *sql = g_string_new (head);

  g_string_append (sql, " IN (");
  _pd_store_append_params (sql, ROWS_CHUNK);
  g_string_append_c (sql, ')');
  return g_string_free (sql, FALSE);
}

/* Binds ids[first …] (of n_ids) to stmt's ROWS_CHUNK parameters (NULL past the end). */
static void
bind_chunk (sqlite3_stmt *stmt,
            const gint64 *ids,
            guint         n_ids,
            guint         first)
{
  for (guint j = 0; j < ROWS_CHUNK; j++)
    if (first + j < n_ids)
      sqlite3_bind_int64 (stmt, (int) j + 1, ids[first + j]);
    else
      sqlite3_bind_null (stmt, (int) j + 1);
}

/* The statements that read ROWS_CHUNK organizations by ids, and their overrides: written once
 * for the process, and so prepared once for a store (found by address). */
static const char *
rows_of_ids_sql (void)
{
  static const char *sql;

  if (g_once_init_enter (&sql))
    g_once_init_leave (&sql, in_chunk_sql ("SELECT " ORG_COLUMNS ", o.dup" _PD_STORE_ORG_FROM
                                           "WHERE o.id"));
  return sql;
}

static const char *
overrides_of_ids_sql (void)
{
  static const char *sql;

  if (g_once_init_enter (&sql))
    g_once_init_leave (&sql, in_chunk_sql ("SELECT org_id, field, value, base_etag "
                                           "FROM bill_to_overrides WHERE org_id"));
  return sql;
}

/* Adds the organizations among ids[first …] (ROWS_CHUNK of them at most) to orgs, in full, in
 * the table's order, with their overrides. */
static gboolean
read_chunk (PdStore       *self,
            const gint64  *ids,
            guint          n_ids,
            guint          first,
            GPtrArray     *orgs,
            GError       **error)
{
  g_autoptr(GHashTable) overrides = new_override_table ();
  g_auto(PdStoreSnapshot) snapshot = { self, FALSE };
  sqlite3_stmt *stmt;
  int rc;

  if (!_pd_store_begin_read (self, &snapshot.began, error)
      || (stmt = _pd_store_prepare (self, overrides_of_ids_sql (), error)) == NULL)
    return FALSE;
  bind_chunk (stmt, ids, n_ids, first);
  if (!read_overrides (self, stmt, overrides, error))
    return FALSE;
  if ((stmt = _pd_store_prepare (self, rows_of_ids_sql (), error)) == NULL)
    return FALSE;
  bind_chunk (stmt, ids, n_ids, first);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (orgs, org_from_row (stmt, overrides, TRUE));
  return _pd_store_rows_done (self, stmt, rc, error);
}

/* The organizations ids names, in full, sorted by name; only their overrides are read. */
static GPtrArray *
load_orgs_of (PdStore  *self,
              GArray   *ids,
              GError  **error)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint first = 0; first < ids->len; first += ROWS_CHUNK)
    if (!read_chunk (self, (const gint64 *) (gpointer) ids->data, ids->len, first, orgs, error))
      return NULL;
  g_ptr_array_sort (orgs, compare_by_name);
  return g_steal_pointer (&orgs);
}

/* The first query->limit organizations: their ids first (_pd_store_page_ids), then only those
 * rows in full. */
static GPtrArray *
list_page (PdStore             *self,
           const PdStoreQuery  *query,
           GError             **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!_pd_store_page_ids (self, query, ids, error))
    return NULL;
  return load_orgs_of (self, ids, error);
}

/* Reads every organization of an unlimited query, in name order when ordered (by the name
 * index, schema 7: a row at a time, nothing held) and else in the table's order, which is
 * cheaper when the caller sorts anyway. FALSE with error set on failure, not when func
 * stopped the read. */
static gboolean
foreach_org (PdStore             *self,
             const PdStoreQuery  *query,
             gboolean             ordered,
             PdStoreForeachFunc   func,
             gpointer             user_data,
             GError             **error)
{
  g_autofree char *match = _pd_store_build_match (query->search);
  g_autoptr(GString) sql = g_string_new ("SELECT " ORG_COLUMNS ", o.dup" _PD_STORE_ORG_FROM);
  g_autoptr(GHashTable) overrides = NULL;
  g_auto(PdStoreSnapshot) snapshot = { self, FALSE };
  sqlite3_stmt *stmt;
  int rc;

  _pd_store_append_where (sql, query, match, TRUE);
  if (ordered)
    g_string_append (sql, " ORDER BY o.name COLLATE NOCASE, o.id");
  if (!_pd_store_begin_read (self, &snapshot.began, error)
      || (overrides = _pd_store_load_overrides (self, 0, error)) == NULL)
    return FALSE;
  if ((stmt = _pd_store_prepare_dynamic (self, sql->str, error)) == NULL)
    return FALSE;
  _pd_store_bind_query (stmt, query, match);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(PdOrganization) org = org_from_row (stmt, overrides, TRUE);

      if (!func (org, user_data))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  return _pd_store_rows_done (self, stmt, rc, error);
}

gboolean
_pd_store_add_org (PdOrganization *org,
                   gpointer        orgs)
{
  g_ptr_array_add (orgs, g_object_ref (org));
  return TRUE;
}

GPtrArray *
pd_store_list (PdStore             *self,
               const PdStoreQuery  *query,
               GError             **error)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  query = _pd_store_query_or_all (query);
  if (query->limit > 0)
    return list_page (self, query, error);
  if (!foreach_org (self, query, FALSE, _pd_store_add_org, orgs, error))
    return NULL;
  g_ptr_array_sort (orgs, compare_by_name);
  return g_steal_pointer (&orgs);
}

gboolean
pd_store_foreach (PdStore             *self,
                  const PdStoreQuery  *query,
                  PdStoreForeachFunc   func,
                  gpointer             user_data,
                  GError             **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (query == NULL || query->limit == 0, FALSE);
  return foreach_org (self, _pd_store_query_or_all (query), TRUE, func, user_data, error);
}

/* Gives func the organizations of one chunk in the order of ids (n of them). */
static gboolean
give_in_order (GPtrArray          *chunk,
               const gint64       *ids,
               guint               n,
               PdStoreForeachFunc  func,
               gpointer            user_data)
{
  g_autoptr(GHashTable) position_of = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) in_order = g_ptr_array_new ();

  g_ptr_array_set_size (in_order, n);
  for (guint i = 0; i < n; i++)
    g_hash_table_insert (position_of, (gpointer) &ids[i], GUINT_TO_POINTER (i + 1));
  for (guint i = 0; i < chunk->len; i++)
    {
      PdOrganization *org = g_ptr_array_index (chunk, i);
      gint64 id = pd_organization_get_id (org);
      guint position = GPOINTER_TO_UINT (g_hash_table_lookup (position_of, &id));

      if (position > 0)
        in_order->pdata[position - 1] = org;
    }
  for (guint i = 0; i < n; i++)
    if (in_order->pdata[i] != NULL && !func (in_order->pdata[i], user_data))
      return FALSE;
  return TRUE;
}

gboolean
pd_store_foreach_of_ids (PdStore             *self,
                         const gint64        *ids,
                         guint                n_ids,
                         PdStoreForeachFunc   func,
                         gpointer             user_data,
                         GError             **error)
{

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  for (guint first = 0; first < n_ids; first += ROWS_CHUNK)
    {
      g_autoptr(GPtrArray) chunk = g_ptr_array_new_with_free_func (g_object_unref);

      if (!read_chunk (self, ids, n_ids, first, chunk, error))
        return FALSE;
      if (!give_in_order (chunk, ids + first, MIN (ROWS_CHUNK, n_ids - first), func, user_data))
        return TRUE;
    }
  return TRUE;
}

/* Every count of the whole cache, each from its own index (schema 7): the partial index of a
 * filter holds only its rows, so counting grows with them, not with the cache (not readable:
 * the rows never read, of which those whose read failed; all of them only during a first
 * sync). The order is PdFilter's. */
#define COUNT_ALL_SQL \
  "SELECT (SELECT count(*) FROM organizations), " \
  "(SELECT count(*) FROM organizations WHERE missing_mask != 0), " \
  "(SELECT count(*) FROM organizations WHERE bill_to_state != 0 AND bill_to_error IS NOT NULL), " \
  "(SELECT count(DISTINCT org_id) FROM bill_to_overrides), " \
  "(SELECT count(*) FROM organizations WHERE dup != 0), " \
  "(SELECT count(*) FROM organizations WHERE source = 1), " \
  "(SELECT count(*) FROM organizations WHERE removed != 0), " \
  "(SELECT count(*) FROM organizations WHERE account_status = 2), " \
  "(SELECT count(*) FROM organizations) - (SELECT count(*) FROM local_fields WHERE status != 0)"

/* The counts of the organizations a search or a reseller selects: one pass over those. */
#define COUNT_SELECTED_SQL \
  "SELECT count(*), " \
  "total (o.missing_mask != 0), total (o.bill_to_state != 0 AND o.bill_to_error IS NOT NULL), " \
  "total (EXISTS (SELECT 1 FROM bill_to_overrides v WHERE v.org_id = o.id)), " \
  "total (o.dup != 0), total (o.source = 1), total (o.removed != 0), " \
  "total (o.account_status = 2), total (" _PD_STORE_NEW_CONDITION ") " \
  "FROM organizations o"

gboolean
pd_store_begin_reading (PdStore  *self,
                        GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (!self->reading, FALSE);

  if (!_pd_store_begin_read (self, &self->reading_began, error))
    return FALSE;
  self->reading = TRUE;
  return TRUE;
}

void
pd_store_end_reading (PdStore *self)
{
  g_return_if_fail (PD_IS_STORE (self));
  g_return_if_fail (self->reading);

  _pd_store_end_read (self, self->reading_began);
  self->reading = FALSE;
}

gboolean
pd_store_count_not_read (PdStore  *self,
                         guint    *out_count,
                         GError  **error)
{
  gint64 n = 0;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  /* From the partial index of the never-read rows (organizations_unreadable). */
  if (!_pd_store_query_int64 (self, "SELECT count(*) FROM organizations "
                                    "WHERE bill_to_state != 0 AND bill_to_error IS NULL",
                              0, 0, &n, error))
    return FALSE;
  *out_count = (guint) n;
  return TRUE;
}

gboolean
pd_store_count_filters (PdStore             *self,
                        const PdStoreQuery  *query,
                        guint               *counts,
                        GError             **error)
{
  g_autofree char *match = NULL;
  g_autoptr(GString) sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);
  query = _pd_store_query_or_all (query);
  match = _pd_store_build_match (query->search);
  if (pd_store_search_is_blank (query->search) && _pd_store_str_empty (query->reseller_id))
    stmt = _pd_store_prepare (self, COUNT_ALL_SQL, error);
  else
    {
      sql = g_string_new (COUNT_SELECTED_SQL);
      _pd_store_append_where (sql, query, match, FALSE);
      stmt = _pd_store_prepare_dynamic (self, sql->str, error);
    }
  if (stmt == NULL)
    return FALSE;
  _pd_store_bind_query (stmt, query, match);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      G_STATIC_ASSERT (PD_N_FILTERS == 9);
      G_STATIC_ASSERT (PD_ACCOUNT_STATUS_UNDER_REVIEW == 2);
      G_STATIC_ASSERT (PD_ORG_STATUS_NEW == 0);
      for (guint i = 0; i < PD_N_FILTERS; i++)
        counts[i] = (guint) sqlite3_column_int64 (stmt, (int) i);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _pd_store_set_sqlite_error (self->db, rc, error);
  return TRUE;
}

guint
pd_store_count (PdStore *self)
{
  gint64 n = 0;

  g_return_val_if_fail (PD_IS_STORE (self), 0);
  _pd_store_query_int64 (self, "SELECT count(*) FROM organizations", 0, 0, &n, NULL);
  return (guint) n;
}

gboolean
pd_store_count_unsearchable (PdStore  *self,
                             guint    *out_n,
                             GError  **error)
{
  gint64 n = 0;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  /* One statement: the mark and the count from one snapshot. */
  if (!_pd_store_query_int64 (self, "SELECT CASE WHEN EXISTS (SELECT 1 FROM meta WHERE key = '"
                                    PD_STORE_FTS_INCOMPLETE_KEY "') "
                                    "THEN (SELECT count(*) FROM organizations) "
                                    "ELSE (SELECT count(*) FROM organizations "
                                    "WHERE search_text IS NULL) END", 0, 0, &n, error))
    return FALSE;
  *out_n = (guint) n;
  return TRUE;
}

gboolean
pd_store_get_dup_flags_exact (PdStore   *self,
                              gboolean  *out_exact,
                              GError   **error)
{
  gint64 stale = 0;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  if (!_pd_store_query_int64 (self, "SELECT EXISTS (SELECT 1 FROM meta WHERE key = '"
                                    PD_STORE_DUPS_STALE_KEY "') "
                                    "OR EXISTS (SELECT 1 FROM dup_stale_keys)", 0, 0, &stale,
                              error))
    return FALSE;
  *out_exact = !stale;
  return TRUE;
}

GPtrArray *
pd_store_get_history (PdStore  *self,
                      gint64    id,
                      GError  **error)
{
  g_autoptr(GPtrArray) entries =
    g_ptr_array_new_with_free_func ((GDestroyNotify) pd_history_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  stmt = _pd_store_prepare (self, "SELECT org_id, what, old_value, new_value, by, at, sync_run_id "
                                  "FROM history WHERE org_id = ? ORDER BY at DESC, id DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdHistoryEntry *e = g_new0 (PdHistoryEntry, 1);

      e->org_id = sqlite3_column_int64 (stmt, 0);
      e->what = g_strdup (_pd_store_column_text (stmt, 1));
      e->old_value = g_strdup (_pd_store_column_text (stmt, 2));
      e->new_value = g_strdup (_pd_store_column_text (stmt, 3));
      e->by = (PdChangeBy) sqlite3_column_int (stmt, 4);
      e->when = _pd_store_date_time_from_seconds (sqlite3_column_int64 (stmt, 5));
      e->sync_run_id = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (entries, e);
    }
  if (!_pd_store_rows_done (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&entries);
}

GPtrArray *
pd_store_list_resellers (PdStore  *self,
                         GError  **error)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  stmt = _pd_store_prepare (self,
                            "SELECT reseller_id, max (coalesce (reseller_name, '')) AS n "
                            "FROM organizations WHERE reseller_id IS NOT NULL "
                            "GROUP BY reseller_id ORDER BY n COLLATE NOCASE, reseller_id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (pairs, g_strdup_printf ("%s\t%s", _pd_store_column_text (stmt, 0),
                                             _pd_store_column_text (stmt, 1)));
  if (!_pd_store_rows_done (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&pairs);
}
