/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-country-row.h — a list row choosing a country, as PdCurrencyRow chooses a currency: it
 * looks like an AdwComboRow, and its popover has a search entry. Typing filters the codes and
 * names (and "Not set"), Enter picks the first match, Escape closes. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PD_TYPE_COUNTRY_ROW (pd_country_row_get_type ())
G_DECLARE_FINAL_TYPE (PdCountryRow, pd_country_row, PD, COUNTRY_ROW, AdwActionRow)

GtkWidget  *pd_country_row_new         (void);
/* The chosen ISO 3166-1 alpha-2 code, or NULL for "Not set". */
const char *pd_country_row_get_country (PdCountryRow *self);
/* Chooses code (NULL, "" or a code not in pd_country_codes() mean "Not set"); notifies
 * "country" when it changes. */
void        pd_country_row_set_country (PdCountryRow *self,
                                        const char   *code);

G_END_DECLS
