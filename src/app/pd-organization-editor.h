/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization-editor.h — the detail pane: header, bill-to with its local-edit warning,
 * platform details and history of one organization. Edits save by themselves (debounced). */
#pragma once

#include <adwaita.h>

#include "pd-session.h"

G_BEGIN_DECLS

#define PD_TYPE_ORGANIZATION_EDITOR (pd_organization_editor_get_type ())
G_DECLARE_FINAL_TYPE (PdOrganizationEditor, pd_organization_editor, PD, ORGANIZATION_EDITOR, AdwBin)

/* (transfer floating) */
GtkWidget *pd_organization_editor_new             (PdSession *session);
/* 0 shows an empty state. Pending edits of the previous organization are saved first. */
void       pd_organization_editor_set_organization_id (PdOrganizationEditor *self, gint64 id);
gint64     pd_organization_editor_get_organization_id (PdOrganizationEditor *self);
/* Saves pending (debounced) edits now; used before closing the window. */
void       pd_organization_editor_flush           (PdOrganizationEditor *self);
/* Saves pending edits, and writes again those the cache was busy for (another program held
 * it), waiting for it up to its busy timeout; returns how many edits are still not saved. */
guint      pd_organization_editor_save_all        (PdOrganizationEditor *self);
/* Forgets the edits the cache was busy for (the user chose to close without them). */
void       pd_organization_editor_discard_unsaved (PdOrganizationEditor *self);
/* Undoes the newest saved change of the organization shown (the window's win.undo). */
void       pd_organization_editor_undo            (PdOrganizationEditor *self);
gboolean   pd_organization_editor_get_can_undo    (PdOrganizationEditor *self);

G_END_DECLS
