/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-editor-key.c — the keys the organization editor saves by (see pd-editor-key.h). */
#include "config.h"

#include <string.h>

#include "core/pd-org-fields.h"
#include "pd-editor-key.h"
#include "pd-history-list.h"

#define BILL_TO_PREFIX "bill-to:"

char *
pd_editor_key_for_bill_to (PdBillToField field)
{
  return g_strconcat (BILL_TO_PREFIX, pd_bill_to_field_path (field), NULL);
}

gboolean
pd_editor_key_is_bill_to (const char    *key,
                          PdBillToField *out_field)
{
  PdBillToField field;

  if (!g_str_has_prefix (key, BILL_TO_PREFIX)
      || !pd_bill_to_field_from_path (key + strlen (BILL_TO_PREFIX), &field))
    return FALSE;
  if (out_field != NULL)
    *out_field = field;
  return TRUE;
}

char *
pd_editor_key_dup_value (const char     *key,
                         PdOrganization *org)
{
  PdBillToField field;
  PdOrgField org_field;

  if (pd_editor_key_is_bill_to (key, &field))
    return g_strdup (pd_bill_to_get (pd_organization_get_bill_to (org), field));
  if (pd_org_field_from_key (key, &org_field))
    return pd_org_field_dup_value (org_field, org);
  return NULL;
}

char *
pd_editor_key_dup_label (const char *key)
{
  PdBillToField field;
  PdOrgField org_field;

  if (pd_editor_key_is_bill_to (key, &field))
    return g_strdup (pd_bill_to_field_label (field));
  if (pd_org_field_from_key (key, &org_field))
    return g_strdup (pd_org_field_label (org_field));
  return pd_history_list_dup_field_label (key);
}
