/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-link.c — linking a manual organization onto the synced one it turned out to be:
 * its local fields and bill-to overrides move onto the synced row, the manual row goes, and
 * schema 13's merged_organizations records where it went (pd_store_get_merged_into). The
 * other user edits: pd-store-edit.c. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-org-fields.h"
#include "pd-store-private.h"

static gboolean
delete_local_row (PdStore  *self,
                  gint64    id,
                  GError  **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self, "DELETE FROM local_fields WHERE org_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return _pd_store_step_done (self, stmt, error);
}

/* Moves the manual organization's local fields onto target (its values win where set). The
 * manual row goes first so the ERP ID's unique index never sees it twice. */
static gboolean
move_local_fields (PdStore         *self,
                   PdOrganization  *manual,
                   gint64           target,
                   GError         **error)
{
  g_autofree char *segments = pd_org_field_dup_value (PD_ORG_FIELD_SEGMENTS, manual);
  g_autofree char *login = pd_org_field_dup_value (PD_ORG_FIELD_LOGIN_OPTIONS, manual);
  GDateTime *effective = pd_organization_get_currency_effective (manual);
  PdOrgStatus status = pd_organization_get_status (manual);
  sqlite3_stmt *stmt;

  if (!delete_local_row (self, pd_organization_get_id (manual), error) ||
      !_pd_store_ensure_local_row (self, target, error))
    return FALSE;
  stmt = _pd_store_prepare (self, "UPDATE local_fields SET erp_id = coalesce (?1, erp_id), "
                                  "registration_number = coalesce (?2, registration_number), "
                                  "segments = coalesce (?3, segments), "
                                  "currency = coalesce (?4, currency), "
                                  "currency_effective = coalesce (?5, currency_effective), "
                                  "status = coalesce (?6, status), "
                                  "login_options = coalesce (?7, login_options), "
                                  "account_manager = coalesce (?8, account_manager), "
                                  "notes = coalesce (?9, notes) WHERE org_id = ?10", error);
  if (stmt == NULL)
    return FALSE;
  _pd_store_bind_text (stmt, 1, pd_organization_get_erp_id (manual));
  _pd_store_bind_text (stmt, 2, pd_organization_get_registration_number (manual));
  _pd_store_bind_text (stmt, 3, segments);
  _pd_store_bind_text (stmt, 4, pd_organization_get_currency (manual));
  if (effective != NULL)
    sqlite3_bind_int64 (stmt, 5, g_date_time_to_unix (effective));
  if (status != PD_ORG_STATUS_NEW)
    sqlite3_bind_int (stmt, 6, status);
  _pd_store_bind_text (stmt, 7, login);
  _pd_store_bind_text (stmt, 8, pd_organization_get_account_manager (manual));
  _pd_store_bind_text (stmt, 9, pd_organization_get_notes (manual));
  sqlite3_bind_int64 (stmt, 10, target);
  return _pd_store_step_done (self, stmt, error);
}

/* Bill-to fields the user typed on the manual organization become overrides of the synced one,
 * unless it already overrides them or Partner Center has the same value. */
static gboolean
move_overrides (PdStore         *self,
                PdOrganization  *manual,
                PdOrganization  *target,
                GError         **error)
{
  const PdBillTo *from = pd_organization_get_bill_to_override (manual);
  const PdBillTo *pc = pd_organization_get_bill_to_partner_center (target);
  gint64 id = pd_organization_get_id (target);

  for (guint f = 0; from != NULL && f < PD_BILL_TO_N_FIELDS; f++)
    {
      if (from->values[f] == NULL || pd_organization_is_field_overridden (target, f) ||
          _pd_store_same_value (from->values[f], pc->values[f]))
        continue;
      if (!_pd_store_write_override (self, id, f, from->values[f],
                                     pd_organization_get_bill_to_etag (target), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
delete_org (PdStore  *self,
            gint64    id,
            GError  **error)
{
  g_auto(Derived) old = { 0 };
  sqlite3_stmt *stmt;

  if (!_pd_store_read_row_keys (self, id, &old, error))
    return FALSE;
  _pd_store_fts_queue (self, id, old.search_text);
  if ((stmt = _pd_store_prepare (self, "DELETE FROM organizations WHERE id = ?", error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  _pd_store_keys_stale (self, old.name_key, old.domain_key);
  return _pd_store_step_done (self, stmt, error);
}

static gboolean
merge_into (PdStore         *self,
            PdOrganization  *manual,
            PdOrganization  *target,
            GError         **error)
{
  gint64 from = pd_organization_get_id (manual);
  gint64 to = pd_organization_get_id (target);
  sqlite3_stmt *stmt;

  if (!move_local_fields (self, manual, to, error) ||
      !move_overrides (self, manual, target, error))
    return FALSE;
  if ((stmt = _pd_store_prepare (self,
                                 "UPDATE history SET org_id = ? WHERE org_id = ?", error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, to);
  sqlite3_bind_int64 (stmt, 2, from);
  if (!_pd_store_step_done (self, stmt, error))
    return FALSE;
  if ((stmt = _pd_store_prepare (self, "INSERT OR REPLACE INTO merged_organizations (id, into_id) "
                                       "VALUES (?, ?)", error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);
  return _pd_store_step_done (self, stmt, error) &&
         delete_org (self, from, error) &&
         _pd_store_add_history (self, to, "linked", pd_organization_get_name (manual),
                                pd_organization_get_tenant_id (target), PD_CHANGE_BY_USER, 0,
                                error) &&
         _pd_store_refresh_derived (self, to, error);
}

static gint64
link_in_transaction (PdStore     *self,
                     gint64       id,
                     const char  *tenant,
                     GError     **error)
{
  g_autoptr(PdOrganization) manual = _pd_store_get_org (self, id, TRUE, error);
  g_autoptr(PdOrganization) target = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  if (manual == NULL)
    return 0;
  if (pd_organization_get_source (manual) != PD_ORG_SOURCE_MANUAL ||
      pd_organization_get_tenant_id (manual) != NULL)
    {
      _pd_store_set_invalid (error, _("%s is not a manual organization without a tenant"),
                             pd_organization_get_name (manual));
      return 0;
    }
  target = _pd_store_find_by_tenant (self, tenant, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }
  if (target != NULL)
    return merge_into (self, manual, target, error) ? pd_organization_get_id (target) : 0;
  stmt = _pd_store_prepare (self, "UPDATE organizations SET tenant_id = ? WHERE id = ?", error);
  if (stmt == NULL)
    return 0;
  _pd_store_bind_text (stmt, 1, tenant);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!_pd_store_step_done (self, stmt, error) ||
      !_pd_store_add_history (self, id, "tenantId", NULL, tenant, PD_CHANGE_BY_USER, 0, error))
    return 0;
  return id;
}

gint64
pd_store_get_merged_into (PdStore  *self,
                          gint64    id,
                          GError  **error)
{
  gint64 into = 0;

  g_return_val_if_fail (PD_IS_STORE (self), 0);
  /* One step: only a manual organization without a tenant is linked away, onto one with a
   * tenant, which no link deletes. SQLite gives a new row the largest id plus one, so a newer
   * organization may hold the id again: then it was not linked away. */
  if (!_pd_store_query_int64 (self, "SELECT into_id FROM merged_organizations WHERE id = ?1 "
                                    "AND NOT EXISTS (SELECT 1 FROM organizations WHERE id = ?1)",
                              id, 0, &into, error))
    return 0;
  return into;
}

gint64
pd_store_link (PdStore     *self,
               gint64       id,
               const char  *tenant_id,
               GError     **error)
{
  g_autofree char *tenant = _pd_store_normalize_tenant (tenant_id);
  gint64 result;

  g_return_val_if_fail (PD_IS_STORE (self), 0);
  if (tenant == NULL)
    {
      _pd_store_set_invalid_literal (error, _("A tenant id is required"));
      return 0;
    }
  if (!_pd_store_begin_write (self, error))
    return 0;
  result = link_in_transaction (self, id, tenant, error);
  return _pd_store_end_write (self, result > 0, error) ? result : 0;
}
