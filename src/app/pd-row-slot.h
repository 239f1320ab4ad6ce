/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-row-slot.h — one position of the organization table.
 *
 * GTK 4.8's list widgets destroy and recreate the row widgets of every item an
 * "items-changed" replaces (newer GTK rebinds them). With 10 columns that made each search
 * keystroke cost hundreds of milliseconds. The table's model is therefore a list of slots
 * that stay put: a search gives slots new rows, and only the slots that have cells on screen
 * tell them to refresh ("changed"); only a change in the number of rows is an "items-changed".
 *
 * A slot borrows its row (plain data owned by the model's tables): the list gives every slot
 * its new row, or NULL, on each of the model's "changed", before the old rows are freed.
 */
#pragma once

#include <glib-object.h>

#include "pd-organization-row-data.h"

G_BEGIN_DECLS

#define PD_TYPE_ROW_SLOT (pd_row_slot_get_type ())
G_DECLARE_FINAL_TYPE (PdRowSlot, pd_row_slot, PD, ROW_SLOT, GObject)

/* (transfer full) */
PdRowSlot             *pd_row_slot_new     (void);
/* (transfer none) */
PdOrganizationRowData *pd_row_slot_get_row (PdRowSlot             *self);
/* Emits "changed" when the row differs and cells are bound. row is borrowed. */
void                   pd_row_slot_set_row (PdRowSlot             *self,
                                            PdOrganizationRowData *row);
/* Called by the cell factory's bind / unbind. */
void                   pd_row_slot_bind    (PdRowSlot             *self);
void                   pd_row_slot_unbind  (PdRowSlot             *self);

G_END_DECLS
