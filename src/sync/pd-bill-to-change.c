/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-bill-to-change.c — see pd-bill-to-change.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "api/pd-pc-client.h"
#include "core/pd-text.h"
#include "pd-bill-to-change.h"

guint32
pd_bill_to_change_fields (PdOrganization *org,
                          const PdBillTo *fresh)
{
  guint32 diff = pd_bill_to_diff_mask (fresh, pd_organization_get_bill_to (org));
  guint32 mask = 0;

  for (guint f = 0; f < PD_BILL_TO_N_FIELDS; f++)
    if (pd_organization_is_field_overridden (org, f) && (diff & (1u << f)) != 0)
      mask |= 1u << f;
  return mask;
}

char *
pd_bill_to_change_describe (const PdBillTo *from,
                            const PdBillTo *to,
                            guint32         mask)
{
  GString *text = g_string_new (NULL);

  for (guint f = 0; f < PD_BILL_TO_N_FIELDS; f++)
    {
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;

      if ((mask & (1u << f)) == 0)
        continue;
      /* One line a field: a line break in a value (Partner Center's, or typed) would read as
       * another field's line. */
      a = pd_text_one_line (pd_bill_to_get (from, f));
      b = pd_text_one_line (pd_bill_to_get (to, f));
      /* Translators: "Field: Partner Center value → new value". */
      g_string_append_printf (text, _("%s: %s → %s\n"), pd_bill_to_field_label (f),
                              a != NULL ? a : _("(empty)"), b != NULL ? b : _("(empty)"));
    }
  return g_string_free (text, FALSE);
}

gboolean
pd_bill_to_change_outcome_unknown (const GError *error)
{
  return g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_INVALID_RESPONSE)
         || g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_NETWORK)
         || g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_TIMEOUT)
         || g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_SERVER);
}

gboolean
pd_bill_to_change_applied (PdOrganization *org,
                           const PdBillTo *now,
                           guint32         mask)
{
  return (pd_bill_to_change_fields (org, now) & mask) == 0;
}

char *
pd_bill_to_change_unknown_text (const GError *put_error,
                                const GError *read_error)
{
  return g_strdup_printf (_("Partner Center’s answer to the change was lost (%s), and the "
                            "bill-to could not be read back (%s): whether Partner Center made "
                            "the change is not known. Your local edits are kept; the next sync "
                            "or push shows what Partner Center has."),
                          put_error->message, read_error->message);
}

gboolean
pd_bill_to_change_may_start_review (guint32 mask)
{
  static const PdBillToField verified[] = {
    PD_BILL_TO_COMPANY_NAME, PD_BILL_TO_ADDRESS_LINE1, PD_BILL_TO_ADDRESS_LINE2, PD_BILL_TO_CITY,
    PD_BILL_TO_STATE, PD_BILL_TO_REGION, PD_BILL_TO_POSTAL_CODE, PD_BILL_TO_COUNTRY,
  };

  for (guint i = 0; i < G_N_ELEMENTS (verified); i++)
    if ((mask & (1u << verified[i])) != 0)
      return TRUE;
  return FALSE;
}

const char *
pd_bill_to_change_review_warning (void)
{
  return _("Changing a verified customer's company name or address can put its account under "
           "review: Microsoft then blocks new purchases and seat increases until it finishes "
           "its check (renewals, reductions and cancellations continue).");
}

PdPcBillingProfile *
pd_bill_to_change_build_put (const PdPcBillingProfile *fresh,
                             PdOrganization           *org,
                             guint32                   mask)
{
  PdPcBillingProfile *profile = pd_pc_billing_profile_copy (fresh);
  const PdBillTo *local = pd_organization_get_bill_to (org);

  for (guint f = 0; f < PD_BILL_TO_N_FIELDS; f++)
    if ((mask & (1u << f)) != 0)
      pd_bill_to_set (profile->bill_to, f, pd_bill_to_get (local, f));
  return profile;
}

char *
pd_bill_to_change_request_text (PdOrganization *org,
                                const PdBillTo *requested)
{
  const PdBillTo *pc = pd_organization_get_bill_to_partner_center (org);
  const char *tenant = pd_organization_get_tenant_id (org);
  g_autofree char *changes = pd_bill_to_change_describe (pc, requested,
                                                         pd_bill_to_diff_mask (pc, requested));
  GString *text = g_string_new (_("Hello,\n\nPlease update this customer’s billing profile in "
                                  "Partner Center:\n\n"));

  g_string_append_printf (text, _("Customer: %s\n"), pd_organization_get_name (org));
  g_string_append_printf (text, _("Tenant ID: %s\n\n"), tenant != NULL ? tenant : _("(none)"));
  g_string_append (text, changes);
  g_string_append (text, _("\nThank you.\n"));
  return g_string_free (text, FALSE);
}
