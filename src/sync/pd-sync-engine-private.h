/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-engine-private.h — what tests reach of the sync engine: its mass-removal rule, batch
 * size and listed window. Not part of the public contract; included by pd-sync-engine.c and
 * tests only. */
#pragma once

#include "pd-sync-engine.h"

G_BEGIN_DECLS

/* TRUE when marking unseen customers of present ones removed is too many to apply without the
 * user's word: more than half of a cache of more than 50. A listing that loses most customers
 * is more often another account, a filter or a Partner Center fault than real removals. */
gboolean pd_sync_is_mass_removal (guint unseen,
                                  guint present);
/* Organizations stored per transaction (default 500). Smaller batches make a first sync fill
 * the list sooner and a checkpoint finer, at some cost in speed. */
void          pd_sync_engine_set_batch_size (PdSyncEngine *self, guint batch_size);
/* Listed customers held in memory while they wait for their read (default 2000); the others
 * wait in the cache. Tests make it small to cross its refills. */
void          pd_sync_engine_set_listed_window (PdSyncEngine *self, guint listed_window);

G_END_DECLS
