/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-audit.c — turning activity-log records into the customers to re-fetch. */
#include "config.h"

#include "pd-sync-audit.h"

/* Read a day more than strictly needed: the log is queried by whole UTC dates and a record may
 * be written a little after the change it describes. */
#define OVERLAP_DAYS 1

/* Keeps one day clear of the retention edge, so that date rounding on either side can never
 * turn a valid request into a 400. */
#define USABLE_DAYS (PD_SYNC_AUDIT_RETENTION_DAYS - OVERLAP_DAYS)

/* Operations on the customer itself; records about orders, subscriptions or users of a
 * customer do not change anything the cache holds. */
static const char * const customer_operations[] = {
  "add_customer",
  "update_customer",
  "update_customer_billing_profile",
  "update_customer_partner_contract_company_name",
  "update_customer_qualification",
  "create_partner_relationship",
  "dap_admin_relationship_approved",
  "dap_admin_relationship_terminated",
  "remove_partner_customer_relationship",
  NULL
};

static gboolean
is_customer_record (const PdPcAuditRecord *record)
{
  if (record->customer_id == NULL || *record->customer_id == '\0')
    return FALSE;
  if (record->resource_type != NULL && g_ascii_strcasecmp (record->resource_type, "customer") == 0)
    return TRUE;
  return record->operation_type != NULL
         && g_strv_contains (customer_operations, record->operation_type);
}

static PdSyncChange
change_of (const PdPcAuditRecord *record)
{
  gboolean failed = record->operation_status != NULL
                    && g_ascii_strcasecmp (record->operation_status, "failed") == 0;

  /* A removal that failed changed nothing; fetching the customer again costs one call and is
   * right whatever the state. */
  if (!failed && g_strcmp0 (record->operation_type, "remove_partner_customer_relationship") == 0)
    return PD_SYNC_CHANGE_REMOVED;
  return PD_SYNC_CHANGE_REFETCH;
}

typedef struct {
  PdSyncChange change;
  GDateTime   *when;   /* borrowed from the record; NULL = unknown, older than any date */
} Latest;

static gboolean
is_newer (GDateTime *when, const Latest *latest)
{
  if (latest->when == NULL)
    return TRUE;
  return when != NULL && g_date_time_compare (when, latest->when) >= 0;
}

GHashTable *
pd_sync_changes_from_audit (GPtrArray *records)
{
  g_autoptr(GHashTable) latest = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  GHashTable *changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      const PdPcAuditRecord *record = g_ptr_array_index (records, i);
      Latest *entry;

      if (!is_customer_record (record))
        continue;
      entry = g_hash_table_lookup (latest, record->customer_id);
      if (entry == NULL)
        {
          entry = g_new0 (Latest, 1);
          g_hash_table_insert (latest, record->customer_id, entry);
        }
      else if (!is_newer (record->operation_date, entry))
        continue;
      entry->change = change_of (record);
      entry->when = record->operation_date;
    }

  g_hash_table_iter_init (&iter, latest);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (changes, g_strdup (key),
                         GINT_TO_POINTER (((Latest *) value)->change));
  return changes;
}

gboolean
pd_sync_audit_window_start (GDateTime  *base,
                            GDateTime  *now,
                            GDateTime **out_start)
{
  g_autoptr(GDateTime) oldest_usable = NULL;

  *out_start = NULL;
  if (base == NULL)
    return FALSE;
  oldest_usable = g_date_time_add_days (now, -USABLE_DAYS);
  if (g_date_time_compare (base, oldest_usable) < 0)
    return FALSE;
  *out_start = g_date_time_add_days (base, -OVERLAP_DAYS);
  if (g_date_time_compare (*out_start, oldest_usable) < 0)
    {
      g_date_time_unref (*out_start);
      *out_start = g_date_time_ref (oldest_usable);
    }
  return TRUE;
}
