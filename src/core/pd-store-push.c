/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-push.c — what Partner Center answers outside a sync run: the bill-to an accepted push
 * stored (pd_store_set_pushed_bill_to), a bill-to read right before a push
 * (pd_store_set_read_bill_to), and Microsoft's account verification (pd_store_set_account_status).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-store-private.h"

gboolean
pd_store_set_account_status (PdStore          *self,
                             gint64            id,
                             PdAccountStatus   status,
                             GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  if (!_pd_store_begin_write (self, error))
    return FALSE;
  stmt = _pd_store_prepare (self, "UPDATE organizations SET account_status = ?, "
                                  "account_checked_at = ? WHERE id = ? AND source = 0", error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, status);
      sqlite3_bind_int64 (stmt, 2, _pd_store_now_seconds ());
      sqlite3_bind_int64 (stmt, 3, id);
    }
  return _pd_store_end_write (self, stmt != NULL && _pd_store_step_done (self, stmt, error),
                              error);
}

/* The answer of a bill-to push Partner Center accepted. */

/* Writes org's Partner Center bill-to, its etag and the country that follows it into its row. */
static gboolean
write_pc_bill_to (PdStore         *self,
                  PdOrganization  *org,
                  GError         **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self,
                                          "UPDATE organizations SET country = ?, "
                                          "bill_to_state = 0, bill_to_error = NULL, "
                                          "bill_to_read_at = ?, " PC_BILL_TO_SET
                                          " WHERE id = ?", error);

  /* The last sync stays what it was; only the read is new. */
  if (stmt == NULL || !_pd_store_fold_synced (self, pd_organization_get_id (org), error))
    return FALSE;
  /* Not pd_organization_get_country: that is the effective one, a local edit's. */
  _pd_store_bind_static_or_null (stmt, 1,
                                 pd_bill_to_get (pd_organization_get_bill_to_partner_center (org),
                                                 PD_BILL_TO_COUNTRY));
  sqlite3_bind_int64 (stmt, 2, _pd_store_now_seconds ());
  _pd_store_bind_pc_bill_to (stmt, 3, org);
  sqlite3_bind_int64 (stmt, 4 + PD_BILL_TO_N_FIELDS, pd_organization_get_id (org));
  return _pd_store_step_done (self, stmt, error);
}

/* After org took the answer: an override Partner Center now holds ends, as after a sync, and
 * so does the override of a pushed field that still holds the value sent, which Partner Center
 * may have stored in its own form ("muenchen" → "München"). Everything else (a field typed
 * since the push started, a pushed field typed again) is a newer local edit: it stays, based
 * on the answer's etag, so that the next sync of the same bill-to keeps it. */
static gboolean
settle_pushed_override (PdStore         *self,
                        PdOrganization  *org,
                        const PdBillTo  *sent,
                        guint32          mask,
                        GError         **error)
{
  const PdBillTo *override = pd_organization_get_bill_to_override (org);
  const char *etag = pd_organization_get_bill_to_etag (org);
  g_autoptr(PdBillTo) left = NULL;
  guint32 drop;

  if (override == NULL)
    return TRUE;
  drop = _pd_store_overrides_equal_to (override, pd_organization_get_bill_to_partner_center (org));
  if (sent != NULL)
    drop |= mask & _pd_store_overrides_equal_to (override, sent);
  left = pd_bill_to_copy (override);
  if (!_pd_store_settle_override (self, pd_organization_get_id (org), left, drop, etag, error))
    return FALSE;
  pd_organization_set_bill_to_override (org, left, etag);
  return TRUE;
}

/* Partner Center's bill-to (answer, etag) learned outside a sync run: by a push (sent, mask)
 * or by a read (sent NULL, mask 0). In the history, the pushed fields are the user's push; any
 * other that changed, someone changed in Partner Center since the cache read it. */
static gboolean
set_pc_bill_to_in_transaction (PdStore         *self,
                               gint64           id,
                               const PdBillTo  *answer,
                               const char      *etag,
                               const PdBillTo  *sent,
                               guint32          mask,
                               GError         **error)
{
  g_autoptr(PdOrganization) org = _pd_store_get_org (self, id, TRUE, error);
  g_autoptr(PdBillTo) old_pc = NULL;
  gboolean changed = FALSE;

  if (org == NULL)
    return FALSE;
  if (pd_organization_get_tenant_id (org) == NULL)
    return _pd_store_set_invalid (error, _("Organization %lld is not a Partner Center "
                                           "customer"), (long long) id);
  old_pc = pd_bill_to_copy (pd_organization_get_bill_to_partner_center (org));
  pd_organization_set_bill_to_partner_center (org, answer, etag);
  pd_organization_set_bill_to_read (org, FALSE, NULL, NULL);   /* for the derived columns */
  return settle_pushed_override (self, org, sent, mask, error) &&
         write_pc_bill_to (self, org, error) &&
         _pd_store_add_bill_to_history (self, id, old_pc, answer, mask, PD_CHANGE_BY_PUSH, 0,
                                        &changed, error) &&
         _pd_store_add_bill_to_history (self, id, old_pc, answer, ~mask, PD_CHANGE_BY_SYNC, 0,
                                        &changed, error) &&
         _pd_store_write_derived (self, org, error);
}

gboolean
pd_store_set_pushed_bill_to (PdStore         *self,
                             gint64           id,
                             const PdBillTo  *answer,
                             const char      *etag,
                             const PdBillTo  *sent,
                             guint32          mask,
                             GError         **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (answer != NULL, FALSE);
  g_return_val_if_fail (sent != NULL, FALSE);
  if (!_pd_store_begin_write (self, error))
    return FALSE;
  return _pd_store_end_write (self,
                              set_pc_bill_to_in_transaction (self, id, answer, etag, sent, mask,
                                                             error),
                              error);
}

gboolean
pd_store_set_read_bill_to (PdStore         *self,
                           gint64           id,
                           const PdBillTo  *bill_to,
                           const char      *etag,
                           GError         **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (bill_to != NULL, FALSE);
  if (!_pd_store_begin_write (self, error))
    return FALSE;
  return _pd_store_end_write (self,
                              set_pc_bill_to_in_transaction (self, id, bill_to, etag, NULL, 0,
                                                             error),
                              error);
}
