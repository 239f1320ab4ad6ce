/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-bill-to-editor-private.h — what tests reach of PdBillToEditor. Not part of the public
 * contract; included by pd-bill-to-editor.c and tests only. */
#pragma once

#include "pd-bill-to-editor.h"

G_BEGIN_DECLS

gboolean   pd_bill_to_editor_get_warning_visible (PdBillToEditor *self);
/* Paths (pd_missing_field_path) currently listed as missing or invalid. (transfer full) */
char     **pd_bill_to_editor_dup_problem_fields (PdBillToEditor *self);
/* The widgets of one field. (transfer none) */
GtkWidget *pd_bill_to_editor_get_row          (PdBillToEditor *self,
                                               PdBillToField   field);
/* (transfer none) */
GtkWidget *pd_bill_to_editor_get_revert_button (PdBillToEditor *self,
                                               PdBillToField   field);

G_END_DECLS
