/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-history-list.h — the history of one organization (newest first): what changed, old → new,
 * by whom (you, a sync, or you through a push to Partner Center) and when. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PD_TYPE_HISTORY_LIST (pd_history_list_get_type ())
G_DECLARE_FINAL_TYPE (PdHistoryList, pd_history_list, PD, HISTORY_LIST, AdwBin)

/* (transfer floating) */
GtkWidget *pd_history_list_new         (void);
/* entries: GPtrArray of PdHistoryEntry (borrowed), or NULL for none. */
void       pd_history_list_set_entries (PdHistoryList *self,
                                        GPtrArray     *entries);
/* A translated label for a history field path ("billTo.address.city" → "City"). (transfer full) */
char      *pd_history_list_dup_field_label (const char *what);

G_END_DECLS
