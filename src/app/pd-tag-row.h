/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-tag-row.h — a list row editing a short list of tags (segments, login options): removable
 * pills plus an entry to add one. Emits "changed" after each addition or removal. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PD_TYPE_TAG_ROW (pd_tag_row_get_type ())
G_DECLARE_FINAL_TYPE (PdTagRow, pd_tag_row, PD, TAG_ROW, AdwPreferencesRow)

/* (transfer floating) */
GtkWidget *pd_tag_row_new      (void);
/* Replaces the tags without emitting "changed". */
void       pd_tag_row_set_tags (PdTagRow           *self,
                                const char * const *tags);
/* NULL-terminated. (transfer full) */
char     **pd_tag_row_dup_tags (PdTagRow           *self);
/* Adds what is typed in the entry, as Enter would, and empties it. TRUE when that added a
 * tag (and "changed" was emitted). */
gboolean   pd_tag_row_commit_entry (PdTagRow       *self);

G_END_DECLS
