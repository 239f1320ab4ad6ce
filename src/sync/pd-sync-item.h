/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-item.h — one customer waiting in the sync queue, and its conversion to an
 * organization.
 *
 * Internal to src/sync. A full sync holds a window of items of listed customers until their
 * billing profile arrives (the others wait in the cache), an incremental one an item per
 * changed customer, so the item keeps only what the organization needs, not the whole
 * PdPcCustomer.
 */
#pragma once

#include "api/pd-pc-types.h"
#include "core/pd-organization.h"

G_BEGIN_DECLS

typedef struct {
  char     *tenant_id;
  char     *name;
  char     *domain;
  char     *relationship;
  char     *associated_partner_id;
  guint     has_delegated_access : 1;
  guint     delegated_access     : 1;
  /* Partner Center gave this customer in this run (listed it, or answered for it by id); else
   * it is only named, by the activity log or a retry. */
  guint     answered_for         : 1;
} PdSyncItem;

/* (transfer full) */
PdSyncItem     *pd_sync_item_new_from_customer (const PdPcCustomer *customer);
/* A listed customer as the store kept it while it waited (pd_store_take_listed): its tenant id
 * and name. (transfer full) */
PdSyncItem     *pd_sync_item_new_listed        (const char *tenant_id,
                                                const char *name);
/* Only a tenant id (incremental sync, retry). (transfer full) */
PdSyncItem     *pd_sync_item_new_for_tenant    (const char *tenant_id);
void            pd_sync_item_free              (PdSyncItem *item);

/* Partner Center's view of the customer as the store's apply takes it. reseller_id/name may be
 * NULL (direct customer); now is the sync time. (transfer full) */
PdOrganization *pd_sync_item_to_organization   (const PdSyncItem         *item,
                                                const PdPcBillingProfile *profile,
                                                const char               *reseller_id,
                                                const char               *reseller_name,
                                                GDateTime                *now);

/* Why item's bill-to could not be read, in words for the list, the editor and the JSON
 * (error: of GET /customers/{id} or of its billing profile); a 404 says Partner Center lists
 * the customer only when it answered for it in this run (answered_for). (transfer full) */
char           *pd_sync_unreadable_reason      (const PdSyncItem *item,
                                                const GError     *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdSyncItem, pd_sync_item_free)

G_END_DECLS
