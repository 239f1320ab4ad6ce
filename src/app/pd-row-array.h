/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-row-array.h — a GListModel over a GPtrArray: O(1) get_item, and replacing the contents
 * emits one "items-changed" covering only the span that differs (so that a one-row change
 * keeps the list's scroll position and selection, and a search keystroke is one update). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PD_TYPE_ROW_ARRAY (pd_row_array_get_type ())
G_DECLARE_FINAL_TYPE (PdRowArray, pd_row_array, PD, ROW_ARRAY, GObject)

/* (transfer full) */
PdRowArray *pd_row_array_new       (GType       item_type);
/* Takes a reference on items (GObjects of item_type); NULL empties the model. */
void        pd_row_array_set       (PdRowArray *self,
                                    GPtrArray  *items);
/* Shows the first n items of pool (which it references): when pool is the array shown
 * already, only the change in length is an "items-changed" — no copy of 100,000 pointers. */
void        pd_row_array_set_prefix (PdRowArray *self,
                                     GPtrArray  *pool,
                                     guint       n);

/* For a pool with NULL entries: get_item makes the missing item with factory (and keeps it
 * in the pool), so that only the items a view asks for exist. */
typedef GObject *(*PdRowArrayFactory) (guint position, gpointer user_data);
void        pd_row_array_set_factory (PdRowArray        *self,
                                      PdRowArrayFactory  factory,
                                      gpointer           user_data);

G_END_DECLS
