/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-currency-row.h — a list row choosing the preferred currency: it looks like an AdwComboRow,
 * and its popover has a search entry (AdwComboRow gained "enable-search" only in libadwaita
 * 1.4). Typing filters the codes (and "Not set"), Enter picks the first match, Escape closes. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PD_TYPE_CURRENCY_ROW (pd_currency_row_get_type ())
G_DECLARE_FINAL_TYPE (PdCurrencyRow, pd_currency_row, PD, CURRENCY_ROW, AdwActionRow)

GtkWidget  *pd_currency_row_new          (void);
/* The chosen ISO 4217 code, or NULL for "Not set". */
const char *pd_currency_row_get_currency (PdCurrencyRow *self);
/* Chooses code (NULL, "" or a code not in pd_currency_codes() mean "Not set"); notifies
 * "currency" when it changes. */
void        pd_currency_row_set_currency (PdCurrencyRow *self,
                                          const char    *code);

G_END_DECLS
