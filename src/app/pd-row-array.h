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

/* Like pd_row_array_set_prefix, but when that would announce many new items at once (and
 * a view build a row for each it keeps around its anchor in one frame), announces only the
 * first MAX (n_first, shown now) of the n and stages the rest for
 * pd_row_array_expose_staged. Any later set or set_prefix drops what is staged. Returns
 * whether items are staged. */
gboolean    pd_row_array_set_prefix_staged (PdRowArray *self,
                                            GPtrArray  *pool,
                                            guint       n,
                                            guint       n_first);
gboolean    pd_row_array_has_staged  (PdRowArray *self);
/* Announces the staged items (one "items-changed" after those shown); nothing if none. */
void        pd_row_array_expose_staged (PdRowArray *self);

/* For a pool with NULL entries: get_item makes the missing item with factory (and keeps it
 * in the pool), so that only the items a view asks for exist. */
typedef GObject *(*PdRowArrayFactory) (guint position, gpointer user_data);
void        pd_row_array_set_factory (PdRowArray        *self,
                                      PdRowArrayFactory  factory,
                                      gpointer           user_data);

G_END_DECLS
