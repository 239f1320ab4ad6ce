/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-entry-row.h — a list row that edits one line of text under its title, as AdwEntryRow
 * does, with a GtkEntry inside: libadwaita 1.2's AdwEntryRow gives a screen reader no focus
 * and no focused object (Tab moves into its text and Orca says nothing); a GtkEntry named
 * after the row's title is announced.
 *
 * The row is a GtkEditable that delegates to its entry (gtk_editable_get_text (row), the
 * "changed" signal, the "text" property). With "show-apply-button", an Apply button appears
 * once the user changes the text; it and Enter emit "apply" and hide it again. Enter emits
 * "entry-activated" in any case. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PD_TYPE_ENTRY_ROW (pd_entry_row_get_type ())
G_DECLARE_FINAL_TYPE (PdEntryRow, pd_entry_row, PD, ENTRY_ROW, AdwPreferencesRow)

/* (transfer floating) */
GtkWidget *pd_entry_row_new                   (void);
/* Puts widget after the text, before the Apply button. */
void       pd_entry_row_add_suffix            (PdEntryRow *self,
                                               GtkWidget  *widget);
void       pd_entry_row_set_show_apply_button (PdEntryRow *self,
                                               gboolean    show_apply_button);
gboolean   pd_entry_row_get_show_apply_button (PdEntryRow *self);
/* Marks the field red and says message under it, in its tooltip and in the text's accessible
 * description; NULL clears it. */
void       pd_entry_row_set_error             (PdEntryRow *self,
                                               const char *message);
/* pd_entry_row_set_error without the words under the field, for a field whose next row says
 * them (with what to do about it). */
void       pd_entry_row_mark_error            (PdEntryRow *self,
                                               const char *message);
/* What a screen reader says of the field after its name and any error (its accessible
 * description), for what the eye sees beside the text; NULL for nothing. */
void       pd_entry_row_set_note              (PdEntryRow *self,
                                               const char *note);
/* The message said under the field. (transfer none) (nullable) */
const char *pd_entry_row_get_error            (PdEntryRow *self);

G_END_DECLS
