/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-editor-key.h — the keys the organization editor saves, undoes and marks errors by: an
 * organization field's key (pd_org_field_from_key: "erp-id", "notes", …) or "bill-to:" and a
 * bill-to field's path ("bill-to:address.city"). */
#pragma once

#include "core/pd-organization.h"

G_BEGIN_DECLS

/* The key of a bill-to field. (transfer full) */
char     *pd_editor_key_for_bill_to (PdBillToField   field);
/* Whether key is a bill-to field's, and which (out_field may be NULL). */
gboolean  pd_editor_key_is_bill_to  (const char     *key,
                                     PdBillToField  *out_field);
/* The value stored for key, as pd_store_set_field takes it: for a bill-to key the effective
 * one (a local edit's, else Partner Center's). (transfer full) (nullable) */
char     *pd_editor_key_dup_value   (const char     *key,
                                     PdOrganization *org);
/* "City", "ERP ID", … for toasts. (transfer full) */
char     *pd_editor_key_dup_label   (const char     *key);

G_END_DECLS
