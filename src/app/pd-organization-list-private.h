/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization-list-private.h — what tests reach of PdOrganizationList (the search entry,
 * filter buttons and reseller picker set these from inside). Not part of the public contract;
 * included by pd-organization-list.c, pd-organization-columns.c
 * (the Name cell's tooltip) and tests only. */
#pragma once

#include "pd-organization-list.h"

G_BEGIN_DECLS

/* TRUE while a load runs (property "loading"). */
gboolean    pd_organization_list_get_loading      (PdOrganizationList *self);
guint       pd_organization_list_get_n_total      (PdOrganizationList *self);
/* Rows in a filter given the current search and reseller (the counts on the buttons). */
guint       pd_organization_list_get_count        (PdOrganizationList *self, PdFilter filter);
void        pd_organization_list_set_search       (PdOrganizationList *self, const char *text);
void        pd_organization_list_set_filter       (PdOrganizationList *self, PdFilter filter);
PdFilter    pd_organization_list_get_filter       (PdOrganizationList *self);
/* NULL = every reseller. */
void        pd_organization_list_set_reseller     (PdOrganizationList *self,
                                                   const char         *reseller_id);
/* The note under the filters on the possible duplicates a sync has not flagged yet (hidden when
 * there is none, or the no-results page says it). (transfer none) */
GtkLabel   *pd_organization_list_get_duplicates_note (PdOrganizationList *self);
/* A filter's button in the filters popover, and the count it shows ("12"; "—" for the possible
 * duplicates while a sync has not completed: not counted yet). (transfer none) */
GtkWidget  *pd_organization_list_get_filter_button (PdOrganizationList *self, PdFilter filter);
/* (transfer none) */
const char *pd_organization_list_get_filter_count_text (PdOrganizationList *self,
                                                        PdFilter            filter);
/* The menu button that shows the chosen filter, and its count, as on the filter's button.
 * (transfer none) */
GtkWidget  *pd_organization_list_get_filter_menu_button (PdOrganizationList *self);
/* (transfer none) */
const char *pd_organization_list_get_filter_menu_count_text (PdOrganizationList *self);
/* The name of the page shown: "list", "no-results", "empty", … (transfer none) */
const char *pd_organization_list_get_page          (PdOrganizationList *self);
/* The no-results page's description. (transfer none) */
const char *pd_organization_list_get_no_results_text (PdOrganizationList *self);
/* Why id matches the search when not by its name ("E-mail: billing@…"; the Name cell's
 * tooltip says it), or NULL. (transfer full) (nullable) */
char       *pd_organization_list_dup_match_reason (PdOrganizationList *self,
                                                   gint64              id);

G_END_DECLS
