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

/* names[index] of a table of n_names: the one check every to-string function makes. */
static const char *
name_at (const char * const *names,
         guint               n_names,
         guint               index)
{
  g_return_val_if_fail (index < n_names, NULL);
  return names[index];
}

const char *
pd_account_status_to_string (PdAccountStatus status)
{
  return name_at (account_status_names, G_N_ELEMENTS (account_status_names), status);
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
  return name_at (source_names, G_N_ELEMENTS (source_names), source);
}

const char *
pd_org_status_to_string (PdOrgStatus status)
{
  return name_at (status_names, G_N_ELEMENTS (status_names), status);
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
  return name_at (filter_names, PD_N_FILTERS, filter);
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
  const char *label = name_at (status_labels, G_N_ELEMENTS (status_labels), status);

  return label != NULL ? _(label) : NULL;
}

const char *
pd_filter_label (PdFilter filter)
{
  const char *label = name_at (filter_labels, PD_N_FILTERS, filter);

  return label != NULL ? _(label) : NULL;
}

const char *
pd_bill_to_state_to_string (PdBillToState state)
{
  return name_at (bill_to_state_names, G_N_ELEMENTS (bill_to_state_names), state);
}

gboolean
pd_bill_to_state_is_stale (PdBillToState  state,
                           const char    *read_error)
{
  return read_error != NULL
         && (state == PD_BILL_TO_STATE_COMPLETE || state == PD_BILL_TO_STATE_INCOMPLETE);
}
