/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization-model.h — what the organization list shows, without a widget: every cached
 * organization as a row, the rows that pass search, reseller and filter (sorted when asked),
 * the count of each filter, and loading the cache in a thread with reloads spaced out while a
 * sync fills it.
 *
 * Like GNOME Text Editor's EditorSearchModel it is a plain GObject the view drives and
 * listens to, so that search, filters and counts are tested without a display.
 */
#pragma once

#include <glib-object.h>

#include "core/pd-store.h"
#include "pd-organization-row-data.h"

G_BEGIN_DECLS

#define PD_TYPE_ORGANIZATION_MODEL (pd_organization_model_get_type ())
G_DECLARE_FINAL_TYPE (PdOrganizationModel, pd_organization_model, PD, ORGANIZATION_MODEL, GObject)

/* Reads store (the main-thread connection) for single rows; loads open their own on its path.
 * Nothing is loaded until pd_organization_model_reload. (transfer full) */
PdOrganizationModel *pd_organization_model_new         (PdStore *store);

/* Loads every row now (after the load running, if any). */
void        pd_organization_model_reload               (PdOrganizationModel *self);
/* Loads every row soon: requests coalesce, and follow each other no faster than the last
 * load's duration allows (a first sync fills the cache batch by batch). */
void        pd_organization_model_request_reload       (PdOrganizationModel *self);
/* The organization id changed in the store (0: possibly many): reads that one row again, or
 * requests a reload. */
void        pd_organization_model_organization_changed (PdOrganizationModel *self,
                                                        gint64               id);
typedef enum {
  PD_ORGANIZATION_MODEL_LOADING     = 1 << 0,  /* a load runs ("loading-changed") */
  PD_ORGANIZATION_MODEL_LOADED_ONCE = 1 << 1,  /* a load has been applied */
  PD_ORGANIZATION_MODEL_PARTIAL     = 1 << 2,  /* only the first page is in; the rest loads */
} PdOrganizationModelLoad;

PdOrganizationModelLoad pd_organization_model_get_load (PdOrganizationModel *self);

guint       pd_organization_model_get_n_total          (PdOrganizationModel *self);
gboolean    pd_organization_model_contains             (PdOrganizationModel *self,
                                                        gint64               id);
/* The rows that pass search, reseller and filter, in order (PdOrganizationRowData,
 * borrowed; valid until the next "changed"). (transfer none) */
GPtrArray  *pd_organization_model_get_visible          (PdOrganizationModel *self);
/* Position of id among the visible rows, or G_MAXUINT. */
guint       pd_organization_model_find_visible         (PdOrganizationModel *self,
                                                        gint64               id);
/* The first visible row after id (then from the top, wrapping) that is in filter and is not
 * id: its id, or 0 when there is none. */
gint64      pd_organization_model_find_next            (PdOrganizationModel *self,
                                                        gint64               id,
                                                        PdFilter             filter);
/* Why id matches the current search when its name does not (see
 * pd_organization_row_data_dup_match_reason); NULL without a search. (transfer full) (nullable) */
char       *pd_organization_model_dup_match_reason     (PdOrganizationModel *self,
                                                        gint64               id);
/* The ids (gint64) of the visible rows in their order. (transfer full) */
GArray     *pd_organization_model_dup_visible_ids      (PdOrganizationModel *self);
/* Rows in a filter given the current search and reseller. */
guint       pd_organization_model_get_count            (PdOrganizationModel *self,
                                                        PdFilter             filter);

void        pd_organization_model_set_search           (PdOrganizationModel *self,
                                                        const char          *text);
void        pd_organization_model_set_filter           (PdOrganizationModel *self,
                                                        PdFilter             filter);
PdFilter    pd_organization_model_get_filter           (PdOrganizationModel *self);
/* NULL = every reseller. An id the cache no longer lists is dropped at the next load. */
void        pd_organization_model_set_reseller         (PdOrganizationModel *self,
                                                        const char          *reseller_id);
/* (transfer none) */
const char *pd_organization_model_get_reseller         (PdOrganizationModel *self);
/* The resellers of the last load, by name: their ids, and in names (optional) their names (the
 * id when it has none). (transfer none) names: (out) (transfer none) */
const char * const *pd_organization_model_get_resellers (PdOrganizationModel  *self,
                                                         const char * const  **names);

/* compare: two PdOrganizationRowData; NULL keeps the store's order (by name). Sorts again
 * at once (call it again when the sort column changes). */
void        pd_organization_model_set_sort_func        (PdOrganizationModel *self,
                                                        GCompareDataFunc     compare,
                                                        gpointer             user_data);

/* Signals:
 * "changed": the visible rows or the counts changed.
 * "loading-changed": a load started or ended.
 * "load-applying", "load-applied": around replacing every row with a finished load (a view
 *   keeps its scroll position and selection across them). */

G_END_DECLS
