/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-rows.c — the list's narrow read: each organization as the app's list shows, sorts,
 * filters and searches it (pd_store_list_rows), and all ids in name order. */
#include "config.h"

#include "pd-store-private.h"

#define LIST_ROW_COLUMNS \
  "o.id, o.source, o.name, o.domain, o.country, o.reseller_id, o.reseller_name, o.removed, " \
  _PD_STORE_LAST_SYNCED_AT ", o.missing_mask, l.erp_id, l.segments, l.currency, l.status, " \
  "l.account_manager, l.notes, o.bill_to_state, o.bill_to_error, " _PD_STORE_BILL_TO_READ_AT \
  ", o.account_status, o.account_checked_at, o.dup, o.pc_email, o.pc_city, o.pc_country"

enum {
  ROW_ID, ROW_SOURCE, ROW_NAME, ROW_DOMAIN, ROW_COUNTRY, ROW_RESELLER_ID, ROW_RESELLER_NAME,
  ROW_REMOVED, ROW_LAST_SYNCED, ROW_MISSING, ROW_ERP, ROW_SEGMENTS, ROW_CURRENCY, ROW_STATUS,
  ROW_MANAGER, ROW_NOTES, ROW_READ_STATE, ROW_READ_ERROR, ROW_READ_AT, ROW_ACCOUNT_STATUS,
  ROW_ACCOUNT_CHECKED_AT, ROW_DUPLICATE, ROW_PC_EMAIL, ROW_PC_CITY, ROW_PC_COUNTRY,
};

/* The effective value of a bill-to field: the local edit when there is one (even empty). */
static const char *
effective_field (PdStoreOverride *o,
                 PdBillToField    field,
                 const char      *partner_center)
{
  if (o != NULL && o->bill_to->values[field] != NULL)
    return o->bill_to->values[field];
  return partner_center;
}

static guint32
override_mask (PdStoreOverride *o)
{
  guint32 mask = 0;

  G_STATIC_ASSERT (PD_BILL_TO_N_FIELDS <= 32);
  for (guint i = 0; o != NULL && i < PD_BILL_TO_N_FIELDS; i++)
    if (o->bill_to->values[i] != NULL)
      mask |= 1u << i;
  return mask;
}

static gint64
column_time (sqlite3_stmt *stmt,
             int           column,
             gboolean     *out_has)
{
  *out_has = sqlite3_column_type (stmt, column) != SQLITE_NULL;
  return *out_has ? sqlite3_column_int64 (stmt, column) : 0;
}

/* The stored segment list ("a,b") as the list shows it ("a, b"), like _pd_store_split_list. */
static const char *
join_segments (const char *text,
               GString    *out)
{
  g_auto(GStrv) parts = text != NULL ? _pd_store_split_list (text) : NULL;

  if (parts == NULL || parts[0] == NULL)
    return NULL;
  g_string_truncate (out, 0);
  for (guint i = 0; parts[i] != NULL; i++)
    g_string_append_printf (out, i == 0 ? "%s" : ", %s", parts[i]);
  return out->str;
}

static void
list_row_from_stmt (sqlite3_stmt   *stmt,
                    GHashTable     *overrides,
                    GString        *scratch,
                    PdStoreListRow *row)
{
  gint64 id = sqlite3_column_int64 (stmt, ROW_ID);
  PdStoreOverride *o = g_hash_table_lookup (overrides, &id);
  const char *country = effective_field (o, PD_BILL_TO_COUNTRY,
                                         _pd_store_column_text (stmt, ROW_PC_COUNTRY));
  gboolean checked = sqlite3_column_type (stmt, ROW_ACCOUNT_CHECKED_AT) != SQLITE_NULL;
  gboolean has_local = sqlite3_column_type (stmt, ROW_STATUS) != SQLITE_NULL;

  *row = (PdStoreListRow) {
    .id = id,
    .name = _pd_store_column_text (stmt, ROW_NAME),
    .domain = _pd_store_column_text (stmt, ROW_DOMAIN),
    .erp_id = _pd_store_column_text (stmt, ROW_ERP),
    .country = country != NULL ? country : _pd_store_column_text (stmt, ROW_COUNTRY),
    .currency = _pd_store_column_text (stmt, ROW_CURRENCY),
    .account_manager = _pd_store_column_text (stmt, ROW_MANAGER),
    .reseller_id = _pd_store_column_text (stmt, ROW_RESELLER_ID),
    .reseller_name = _pd_store_column_text (stmt, ROW_RESELLER_NAME),
    .segments = join_segments (_pd_store_column_text (stmt, ROW_SEGMENTS), scratch),
    .notes = _pd_store_column_text (stmt, ROW_NOTES),
    .email = effective_field (o, PD_BILL_TO_EMAIL, _pd_store_column_text (stmt, ROW_PC_EMAIL)),
    .city = effective_field (o, PD_BILL_TO_CITY, _pd_store_column_text (stmt, ROW_PC_CITY)),
    .bill_to_read_error = _pd_store_column_text (stmt, ROW_READ_ERROR),
    .missing_mask = (guint32) sqlite3_column_int64 (stmt, ROW_MISSING),
    .local_mask = override_mask (o),
    .source = (PdOrgSource) sqlite3_column_int (stmt, ROW_SOURCE),
    /* status is NOT NULL in local_fields: NULL means no local row, a new organization. */
    .status = has_local ? (PdOrgStatus) sqlite3_column_int (stmt, ROW_STATUS)
                        : PD_ORG_STATUS_NEW,
    .account_status = checked ? (PdAccountStatus) sqlite3_column_int (stmt, ROW_ACCOUNT_STATUS)
                              : PD_ACCOUNT_STATUS_UNKNOWN,
    .removed = sqlite3_column_int (stmt, ROW_REMOVED) != 0,
    .possible_duplicate = sqlite3_column_int (stmt, ROW_DUPLICATE) != 0,
  };
  row->last_synced_at = column_time (stmt, ROW_LAST_SYNCED, &row->has_last_synced);
  row->bill_to_read_at = column_time (stmt, ROW_READ_AT, &row->has_bill_to_read_at);
  if (sqlite3_column_int (stmt, ROW_READ_STATE) != 0)
    row->bill_to_state = row->bill_to_read_error != NULL ? PD_BILL_TO_STATE_UNREADABLE
                                                         : PD_BILL_TO_STATE_NOT_READ;
  else
    row->bill_to_state = row->missing_mask != 0 ? PD_BILL_TO_STATE_INCOMPLETE
                                                : PD_BILL_TO_STATE_COMPLETE;
}

gboolean
pd_store_list_rows (PdStore             *self,
                    const PdStoreQuery  *query,
                    PdStoreListRowFunc   func,
                    gpointer             user_data,
                    GError             **error)
{
  g_autofree char *match = NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT " LIST_ROW_COLUMNS _PD_STORE_ORG_FROM);
  g_autoptr(GString) scratch = g_string_new (NULL);
  g_autoptr(GHashTable) overrides = NULL;
  g_auto(PdStoreSnapshot) snapshot = { self, FALSE };
  sqlite3_stmt *stmt;
  int rc, index;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  query = _pd_store_query_or_all (query);
  match = _pd_store_build_match (query->search);
  if (query->limit > 0)
    {
      g_string_append (sql, "WHERE o.id IN (SELECT o.id FROM organizations o");
      _pd_store_append_where (sql, query, match, TRUE);
      g_string_append (sql, " ORDER BY o.name COLLATE NOCASE, o.id LIMIT ?)");
    }
  else
    _pd_store_append_where (sql, query, match, TRUE);
  if (!_pd_store_begin_read (self, &snapshot.began, error)
      || (overrides = _pd_store_load_overrides (self, 0, error)) == NULL)
    return FALSE;
  if ((stmt = _pd_store_prepare_dynamic (self, sql->str, error)) == NULL)
    return FALSE;
  index = _pd_store_bind_query (stmt, query, match);
  if (query->limit > 0)
    sqlite3_bind_int64 (stmt, index, query->limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdStoreListRow row;

      list_row_from_stmt (stmt, overrides, scratch, &row);
      if (!func (&row, user_data))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  return _pd_store_rows_done (self, stmt, rc, error);
}

GArray *
pd_store_list_ids_by_name (PdStore  *self,
                           GError  **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  /* The order of the organizations_name index (name COLLATE NOCASE, then the rowid). */
  stmt = _pd_store_prepare (self, "SELECT id FROM organizations ORDER BY name COLLATE NOCASE, id",
                            error);
  if (stmt == NULL || !_pd_store_collect_ids (self, stmt, ids, error))
    return NULL;
  return g_steal_pointer (&ids);
}
