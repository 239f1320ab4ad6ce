/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization-list.h — the organization list: search, filters with live counts, a sortable
 * GtkColumnView over every cached organization, and its empty states.
 *
 * Rows are loaded off the main thread (pd-list-loader) and refreshed on the session's
 * "organizations-changed" (which also says each batch its sync engine stores).
 */
#pragma once

#include <adwaita.h>

#include "pd-session.h"

G_BEGIN_DECLS

#define PD_TYPE_ORGANIZATION_LIST (pd_organization_list_get_type ())
G_DECLARE_FINAL_TYPE (PdOrganizationList, pd_organization_list, PD, ORGANIZATION_LIST, AdwBin)

/* (transfer floating) */
GtkWidget  *pd_organization_list_new              (PdSession *session);
/* The table's model: one PdRowSlot per visible row (filtered and sorted). (transfer none) */
GListModel *pd_organization_list_get_model        (PdOrganizationList *self);
void        pd_organization_list_focus_search     (PdOrganizationList *self);
/* Selects and reveals id, clearing search and filters when they hide it; when the row is not
 * loaded yet it is selected after the next load. */
void        pd_organization_list_select           (PdOrganizationList *self, gint64 id);
gint64      pd_organization_list_get_selected_id  (PdOrganizationList *self);
/* The next visible organization after id in filter (wrapping to the top), or 0. */
gint64      pd_organization_list_find_next        (PdOrganizationList *self,
                                                   gint64              id,
                                                   PdFilter            filter);
/* The ids (gint64) of the visible organizations in their visible order (for the CSV
 * export, which reads them afresh from the store in a thread). (transfer full) */
GArray     *pd_organization_list_dup_visible_ids  (PdOrganizationList *self);
/* Focuses the table (one Tab stop; arrows move the selection), selecting the first row when
 * none is; FALSE when it is not shown. */
gboolean    pd_organization_list_focus_rows       (PdOrganizationList *self);
gboolean    pd_organization_list_has_focus        (PdOrganizationList *self);
/* Sorts by a column ("name", "domain", "country", "erp-id", "segments", "bill-to", "source",
 * "status", "currency", "account-manager", "local", "reseller", "last-synced"); FALSE for an unknown key. */
gboolean    pd_organization_list_sort_by          (PdOrganizationList *self,
                                                   const char         *key,
                                                   GtkSortType         order);
/* columns.KEY boolean actions (KEY as in pd_organization_list_sort_by, and "currency",
 * "account-manager"): show or hide a column, remembered in the visible-columns setting. The
 * window adds them for its main menu's Columns submenu. (transfer none) */
GActionGroup *pd_organization_list_get_column_actions (PdOrganizationList *self);
void        pd_organization_list_set_single_click_activate (PdOrganizationList *self,
                                                            gboolean            single_click);

/* Signals: "organization-selected" (gint64 id, 0 = none), "organization-activated" (gint64). */

G_END_DECLS
