/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-bill-to-editor.h — the bill-to part of the organization editor: one PdEntryRow per
 * field, the Partner Center value and a revert button beside each overridden field, the
 * "stays in Partner Desk" warning, and the live list of what is missing for the country
 * (pd_missing_fields_for: the bill-to and the registration number some countries require).
 *
 * A view: it never writes to the store. Typing emits "field-changed"; the revert buttons and
 * "Push to Partner Center…" activate the actions "editor.revert-bill-to-field" (int32 field)
 * and "editor.push-bill-to", and the registration number's entry in the missing list
 * "editor.focus-registration-number", which the enclosing PdOrganizationEditor installs. */
#pragma once

#include <adwaita.h>

#include "core/pd-country-rules.h"
#include "core/pd-organization.h"

G_BEGIN_DECLS

#define PD_TYPE_BILL_TO_EDITOR (pd_bill_to_editor_get_type ())
G_DECLARE_FINAL_TYPE (PdBillToEditor, pd_bill_to_editor, PD, BILL_TO_EDITOR, AdwBin)

/* (transfer floating) */
GtkWidget *pd_bill_to_editor_new              (void);
/* Resellers get the "ask your indirect provider" text and "Copy Change Request"; can_push
 * shows "Push to Partner Center…". */
void       pd_bill_to_editor_set_role         (PdBillToEditor *self,
                                               gboolean        reseller,
                                               gboolean        can_push);
/* Shows org (a new organization clears the "just edited" state). For the same organization
 * the rows whose bit is set in keep_fields (edits not saved yet) keep their text. */
void       pd_bill_to_editor_set_organization (PdBillToEditor *self,
                                               PdOrganization *org,
                                               PdCountryRules *rules,
                                               guint32         keep_fields);
/* Writes "as last read 5 minutes ago" again for now (the editor's minute clock). */
void       pd_bill_to_editor_refresh_times    (PdBillToEditor *self);
/* The registration number as typed (a local field, not shown here): the missing list includes
 * it when the typed country requires one. A new organization starts from its stored number. */
void       pd_bill_to_editor_set_registration_number (PdBillToEditor *self,
                                                      const char     *number);
/* Why the registration number is needed ("A registration number is required in Russia"), or
 * NULL when it is not missing. Valid until the next change. (transfer none) (nullable) */
const char *pd_bill_to_editor_get_registration_problem (PdBillToEditor *self);
/* The values as typed (effective bill-to with the rows' current text). (transfer full) */
PdBillTo  *pd_bill_to_editor_dup_values       (PdBillToEditor *self);
/* Plain text asking the indirect provider to change the differing fields in Partner Center.
 * (transfer full) */
char      *pd_bill_to_editor_dup_change_request (PdBillToEditor *self);

/* Signals:
 *   "field-changed" (guint field, const char *text) — the user changed a row's text.
 */

G_END_DECLS
