/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-code-row.h — a row that picks an ISO code — a currency (ISO 4217) or a country
 * (ISO 3166) — from a searchable popover, shown as AdwComboRow shows its value. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum {
  PD_CODE_KIND_CURRENCY,   /* shows the code, the name as its tooltip */
  PD_CODE_KIND_COUNTRY,    /* shows the name, the code as its tooltip */
} PdCodeKind;

#define PD_TYPE_CODE_KIND (pd_code_kind_get_type ())
GType pd_code_kind_get_type (void) G_GNUC_CONST;

#define PD_TYPE_CODE_ROW (pd_code_row_get_type ())
G_DECLARE_FINAL_TYPE (PdCodeRow, pd_code_row, PD, CODE_ROW, AdwActionRow)

/* Property "kind" (construct only; in .ui files: "currency" or "country"), property "code".
 * (transfer floating) */
GtkWidget  *pd_code_row_new      (PdCodeKind  kind);
/* The chosen code, or NULL when not set. (transfer none) (nullable) */
const char *pd_code_row_get_code (PdCodeRow  *self);
/* code NULL (or not a valid code of the kind) = not set. */
void        pd_code_row_set_code (PdCodeRow  *self,
                                  const char *code);

G_END_DECLS
