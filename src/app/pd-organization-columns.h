/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization-columns.h — the columns of the organization list: cells, sorters, and which
 * are shown (the visible-columns setting, the columns.KEY actions). Not a type: plain functions
 * used by PdOrganizationList. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* How many columns the list has; the arrays below hold one per column, in display order. */
#define PD_ORGANIZATION_N_COLUMNS 13

/* Appends every column to view, with its cells and its sorter, and stores them in columns
 * (PD_ORGANIZATION_N_COLUMNS of them, owned by view). */
void                pd_organization_columns_add           (GtkColumnView        *view,
                                                           GtkColumnViewColumn **columns);
/* The key of a column ("name", "domain"…): win.sort-by, the columns.KEY actions, the
 * visible-columns setting. (transfer none) */
const char         *pd_organization_columns_get_key       (guint                 column);
/* columns.KEY: a boolean action per column but the name that shows or hides it in settings'
 * visible-columns. (transfer full) */
GSimpleActionGroup *pd_organization_columns_new_actions   (GSettings            *settings);
/* Shows the columns of the visible-columns setting (the Reseller column only when
 * has_resellers) and gives each action of actions its state. */
void                pd_organization_columns_apply_visible (GtkColumnViewColumn **columns,
                                                           GSimpleActionGroup   *actions,
                                                           GSettings            *settings,
                                                           gboolean              has_resellers);

G_END_DECLS
