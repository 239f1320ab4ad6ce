/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-item.c — a queued customer and its conversion to an organization. */
#include "config.h"

#include <glib/gi18n.h>

#include "api/pd-pc-client.h"
#include "pd-sync-item.h"

/* text without the white space around it, NULL when nothing is left: Partner Center's names
 * and domains are stored as its bill-to values are (pd_bill_to_set). A name of spaces only is
 * no name (the billing profile's stands in), and a padded one sorts, and is found by its exact
 * name, as it reads. */
static char *
dup_nonempty (const char *text)
{
  char *copy = text != NULL ? g_strstrip (g_strdup (text)) : NULL;

  if (copy != NULL && *copy == '\0')
    g_clear_pointer (&copy, g_free);
  return copy;
}

PdSyncItem *
pd_sync_item_new_from_customer (const PdPcCustomer *customer)
{
  PdSyncItem *item = g_new0 (PdSyncItem, 1);

  item->tenant_id = g_strdup (customer->id);
  item->name = dup_nonempty (customer->company_name);
  item->domain = dup_nonempty (customer->domain);
  item->relationship = dup_nonempty (customer->relationship);
  item->associated_partner_id = dup_nonempty (customer->associated_partner_id);
  item->has_delegated_access = customer->has_delegated_access_value;
  item->delegated_access = customer->allow_delegated_access;
  item->answered_for = TRUE;
  return item;
}

PdSyncItem *
pd_sync_item_new_for_tenant (const char *tenant_id)
{
  PdSyncItem *item = g_new0 (PdSyncItem, 1);

  item->tenant_id = g_strdup (tenant_id);
  return item;
}

PdSyncItem *
pd_sync_item_new_listed (const char *tenant_id,
                         const char *name)
{
  PdSyncItem *item = pd_sync_item_new_for_tenant (tenant_id);

  item->name = dup_nonempty (name);
  item->answered_for = TRUE;
  return item;
}

void
pd_sync_item_free (PdSyncItem *item)
{
  if (item == NULL)
    return;
  g_free (item->tenant_id);
  g_free (item->name);
  g_free (item->domain);
  g_free (item->relationship);
  g_free (item->associated_partner_id);
  g_free (item);
}

PdOrganization *
pd_sync_item_to_organization (const PdSyncItem         *item,
                              const PdPcBillingProfile *profile,
                              const char               *reseller_id,
                              const char               *reseller_name,
                              GDateTime                *now)
{
  PdOrganization *org = pd_organization_new ();
  const PdBillTo *bill_to = profile != NULL ? profile->bill_to : NULL;
  const char *name = item->name;

  /* Partner Center's list shows the billing profile's company name (partner-center-api.md
   * §4), so it is the right fallback for a customer listed without one; this spares a
   * company-profile call per customer. */
  if (name == NULL && bill_to != NULL)
    name = pd_bill_to_get (bill_to, PD_BILL_TO_COMPANY_NAME);

  pd_organization_set_source (org, PD_ORG_SOURCE_PARTNER_CENTER);
  pd_organization_set_tenant_id (org, item->tenant_id);
  pd_organization_set_name (org, name);
  pd_organization_set_domain (org, item->domain);
  pd_organization_set_relationship (org, item->relationship);
  pd_organization_set_delegated_access (org, item->has_delegated_access && item->delegated_access);
  pd_organization_set_reseller (org, reseller_id, reseller_name);
  if (bill_to != NULL)
    {
      pd_organization_set_bill_to_partner_center (org, bill_to, profile->etag);
      pd_organization_set_country (org, pd_bill_to_get (bill_to, PD_BILL_TO_COUNTRY));
    }
  pd_organization_set_last_synced_at (org, now);
  return org;
}

char *
pd_sync_unreadable_reason (const PdSyncItem *item,
                           const GError     *error)
{
  if (g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_FORBIDDEN))
    return g_strdup (_("Partner Center refused access to this customer’s billing profile (403): "
                       "your account needs the Admin agent role or a GDAP relationship with this "
                       "customer that includes billing access"));
  if (g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_NOT_FOUND) && item->answered_for)
    return g_strdup (_("Partner Center did not find this customer or its billing profile (404), "
                       "although it lists the customer"));
  /* Named only (the activity log, a retry): whether Partner Center still lists it is unknown
   * until a listing says. */
  if (g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_NOT_FOUND))
    return g_strdup (_("Partner Center did not find this customer or its billing profile (404); "
                       "a full sync shows whether Partner Center still lists it"));
  if (g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_INVALID_RESPONSE))
    return g_strdup_printf (_("Partner Center’s answer could not be read: %s"), error->message);
  return g_strdup_printf (_("Partner Center error: %s"), error->message);
}
