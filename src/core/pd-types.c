/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-types.c — enum GTypes, stable machine names and translated labels. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-types.h"

G_DEFINE_ENUM_TYPE (PdOrgSource, pd_org_source,
                    G_DEFINE_ENUM_VALUE (PD_ORG_SOURCE_PARTNER_CENTER, "partner-center"),
                    G_DEFINE_ENUM_VALUE (PD_ORG_SOURCE_MANUAL, "manual"))

G_DEFINE_ENUM_TYPE (PdOrgStatus, pd_org_status,
                    G_DEFINE_ENUM_VALUE (PD_ORG_STATUS_NEW, "new"),
                    G_DEFINE_ENUM_VALUE (PD_ORG_STATUS_ACTIVE, "active"),
                    G_DEFINE_ENUM_VALUE (PD_ORG_STATUS_BLOCKED, "blocked"))

/* The machine names are part of the CLI and JSON interface (design.md §4): never translate or
 * rename them. */
static const char * const source_names[] = { "partner-center", "manual" };
static const char * const status_names[] = { "new", "active", "blocked" };
static const char * const status_labels[] = {
  /* Translators: an organization's status, as the partner tracks it: a new customer */
  N_("New"),
  /* Translators: an organization's status: a customer the partner serves */
  N_("Active"),
  /* Translators: an organization's status: a customer the partner no longer takes orders from */
  N_("Blocked"),
};
static const char * const filter_names[PD_N_FILTERS] = {
  "all", "incomplete", "unreadable", "local-edits", "duplicates", "manual", "removed",
  "under-review", "new",
};
static const char * const filter_labels[PD_N_FILTERS] = {
  N_("All organizations"),
  N_("Bill-to incomplete"),
  N_("Bill-to not readable"),
  N_("Local bill-to edits"),
  N_("Possible duplicates"),
  /* Translators: a list filter: organizations created in Partner Desk by hand */
  N_("Manual organizations"),
  /* Translators: a list filter: customers missing from the last complete sync */
  N_("Removed from Partner Center"),
  /* Translators: a list filter: customers whose account Microsoft is verifying (new
   * purchases blocked meanwhile) */
  N_("Account under review"),
  /* Translators: a list filter: organizations with the status New, to approve one by one */
  N_("New — awaiting approval"),
};

static const char * const account_status_names[] = {
  "unknown", "allowed", "under-review", "not-allowed",
};

const char *
pd_account_status_to_string (PdAccountStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (account_status_names), NULL);
  return account_status_names[status];
}

const char *
pd_account_status_describe (PdAccountStatus status)
{
  switch (status)
    {
    case PD_ACCOUNT_STATUS_ALLOWED:
      return _("Allowed: Microsoft accepts new purchases for this customer");
    case PD_ACCOUNT_STATUS_UNDER_REVIEW:
      return _("Under review: new purchases and seat increases are blocked until Microsoft "
               "finishes its check (renewals, reductions and cancellations continue)");
    case PD_ACCOUNT_STATUS_NOT_ALLOWED:
      return _("Not allowed: Microsoft refuses new purchases for this customer; see the "
               "customer's account page in Partner Center");
    case PD_ACCOUNT_STATUS_UNKNOWN:
    default:
      return _("Not known: Partner Center has not been asked, or gave a status Partner Desk "
               "does not know");
    }
}

static const char * const bill_to_state_names[] = { "complete", "incomplete", "unreadable",
                                                     "notRead" };

static gboolean
lookup_name (const char * const *names,
             guint               n_names,
             const char         *text,
             guint              *out_index)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < n_names; i++)
    {
      if (g_str_equal (names[i], text))
        {
          if (out_index != NULL)
            *out_index = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
pd_org_source_to_string (PdOrgSource source)
{
  g_return_val_if_fail ((guint) source < G_N_ELEMENTS (source_names), NULL);
  return source_names[source];
}

const char *
pd_org_status_to_string (PdOrgStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), NULL);
  return status_names[status];
}

gboolean
pd_org_status_from_string (const char  *text,
                           PdOrgStatus *out_status)
{
  guint index;

  if (!lookup_name (status_names, G_N_ELEMENTS (status_names), text, &index))
    return FALSE;
  if (out_status != NULL)
    *out_status = (PdOrgStatus) index;
  return TRUE;
}

const char *
pd_filter_to_string (PdFilter filter)
{
  g_return_val_if_fail ((guint) filter < PD_N_FILTERS, NULL);
  return filter_names[filter];
}

gboolean
pd_filter_from_string (const char *text,
                       PdFilter   *out_filter)
{
  guint index;

  if (!lookup_name (filter_names, PD_N_FILTERS, text, &index))
    return FALSE;
  if (out_filter != NULL)
    *out_filter = (PdFilter) index;
  return TRUE;
}

const char *
pd_org_status_label (PdOrgStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_labels), NULL);
  return _(status_labels[status]);
}

const char *
pd_filter_label (PdFilter filter)
{
  g_return_val_if_fail ((guint) filter < PD_N_FILTERS, NULL);
  return _(filter_labels[filter]);
}

const char *
pd_bill_to_state_to_string (PdBillToState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (bill_to_state_names), NULL);
  return bill_to_state_names[state];
}

gboolean
pd_bill_to_state_is_stale (PdBillToState  state,
                           const char    *read_error)
{
  return read_error != NULL
         && (state == PD_BILL_TO_STATE_COMPLETE || state == PD_BILL_TO_STATE_INCOMPLETE);
}
