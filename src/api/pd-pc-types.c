/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-pc-types.c — lifetime of the plain Partner Center structs. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-pc-types.h"

void
pd_pc_billing_profile_free (PdPcBillingProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->id);
  g_clear_pointer (&profile->bill_to, pd_bill_to_free);
  g_free (profile->etag);
  g_clear_pointer (&profile->raw, json_object_unref);
  g_free (profile);
}

PdPcBillingProfile *
pd_pc_billing_profile_copy (const PdPcBillingProfile *profile)
{
  PdPcBillingProfile *copy;

  if (profile == NULL)
    return NULL;
  copy = g_new0 (PdPcBillingProfile, 1);
  copy->id = g_strdup (profile->id);
  copy->bill_to = profile->bill_to ? pd_bill_to_copy (profile->bill_to) : pd_bill_to_new ();
  copy->etag = g_strdup (profile->etag);
  /* raw is never modified after parsing (the PUT body is built from a copy), so sharing it
   * is safe and cheap. */
  copy->raw = profile->raw ? json_object_ref (profile->raw) : NULL;
  return copy;
}

void
pd_pc_customer_free (PdPcCustomer *customer)
{
  if (customer == NULL)
    return;
  g_free (customer->id);
  g_free (customer->commerce_id);
  g_free (customer->company_name);
  g_free (customer->domain);
  g_free (customer->relationship);
  g_strfreev (customer->custom_domains);
  g_free (customer->associated_partner_id);
  g_clear_pointer (&customer->billing_profile, pd_pc_billing_profile_free);
  g_free (customer);
}

void
pd_pc_company_profile_free (PdPcCompanyProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->tenant_id);
  g_free (profile->domain);
  g_free (profile->company_name);
  g_free (profile->email);
  g_free (profile->country);
  g_free (profile->city);
  g_free (profile);
}

void
pd_pc_reseller_free (PdPcReseller *reseller)
{
  if (reseller == NULL)
    return;
  g_free (reseller->id);
  g_free (reseller->name);
  g_free (reseller->mpn_id);
  g_free (reseller->state);
  g_free (reseller->location);
  g_free (reseller);
}

void
pd_pc_validation_status_free (PdPcValidationStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->status_text);
  g_clear_pointer (&status->updated_at, g_date_time_unref);
  g_free (status);
}

void
pd_pc_audit_record_free (PdPcAuditRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->customer_id);
  g_free (record->customer_name);
  g_free (record->operation_type);
  g_free (record->resource_type);
  g_free (record->operation_status);
  g_clear_pointer (&record->operation_date, g_date_time_unref);
  g_free (record);
}

void
pd_pc_address_validation_free (PdPcAddressValidation *validation)
{
  if (validation == NULL)
    return;
  g_free (validation->status);
  g_free (validation->message);
  g_clear_pointer (&validation->suggestions, g_ptr_array_unref);
  g_free (validation);
}
