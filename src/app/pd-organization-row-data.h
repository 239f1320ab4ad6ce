/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization-row-data.h — one row of the organization list: the organization plus what
 * the list needs to search, filter and sort 100,000 rows in a few milliseconds (a normalised
 * search haystack and sort key computed once, off the main thread).
 */
#pragma once

#include <glib-object.h>

#include "core/pd-organization.h"

G_BEGIN_DECLS

#define PD_TYPE_ORGANIZATION_ROW_DATA (pd_organization_row_data_get_type ())
G_DECLARE_FINAL_TYPE (PdOrganizationRowData, pd_organization_row_data, PD, ORGANIZATION_ROW_DATA,
                      GObject)

/* Safe to call from any thread. Takes a reference to org. (transfer full) */
PdOrganizationRowData *pd_organization_row_data_new          (PdOrganization *org);
/* The effective bill-to country (or the stored one), as the Country column shows it.
 * (transfer none) */
const char     *pd_organization_row_data_get_country         (PdOrganizationRowData *self);
/* Field paths of the local bill-to edits ("address.city"), NULL-terminated, maybe empty.
 * (transfer none) */
const char * const *pd_organization_row_data_get_local_fields (PdOrganizationRowData *self);
/* (transfer none) */
PdOrganization *pd_organization_row_data_get_organization    (PdOrganizationRowData *self);
gint64          pd_organization_row_data_get_id              (PdOrganizationRowData *self);
/* The normalised name (lower case, accents dropped) used to sort by name. (transfer none) */
const char     *pd_organization_row_data_get_name_key        (PdOrganizationRowData *self);
/* The name's key in the locale's collation (pd_collate_key): the list's order by name.
 * (transfer none) */
const char     *pd_organization_row_data_get_sort_key        (PdOrganizationRowData *self);
/* Two rows (not pointers to them) by sort key, then id: the list's default order. */
int             pd_organization_row_data_compare             (gconstpointer          a,
                                                              gconstpointer          b);
gboolean        pd_organization_row_data_in_filter           (PdOrganizationRowData *self,
                                                              PdFilter               filter);
/* Bit (1 << filter) set for every PdFilter the row belongs to. */
guint           pd_organization_row_data_get_filter_mask     (PdOrganizationRowData *self);
/* TRUE when every query word is a prefix of a word of the name, domain, ERP ID, e-mail, city
 * or notes: the semantics of the store's FTS5 prefix search. words from
 * pd_organization_row_data_split_query; NULL or empty matches everything. */
gboolean        pd_organization_row_data_matches_words       (PdOrganizationRowData *self,
                                                              const char * const    *words);
/* Why the row matches words when the name alone does not: "E-mail: billing@northwind.com"
 * (fields joined with "; ", values cut to a line); NULL when every word is in the name or
 * words is NULL. (transfer full) */
char           *pd_organization_row_data_dup_match_reason    (PdOrganizationRowData *self,
                                                              const char * const    *words);
/* The bill-to column's tooltip and icon label: its state (complete, incomplete with what it
 * lacks, not readable with the reason) and a failed latest read. (transfer full) */
char           *pd_organization_row_data_dup_bill_to_text    (PdOrganizationRowData *self);
/* What a screen reader says of the row: "Contoso Ltd, bill-to incomplete". (transfer full) */
char           *pd_organization_row_data_dup_accessible_name (PdOrganizationRowData *self);
/* Query text → normalised words (g_strfreev); NULL when the text has no word.
 * (transfer full) (nullable) */
char          **pd_organization_row_data_split_query         (const char *text);

G_END_DECLS
