/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-list-loader.h — loads the whole cache for the organization list in a worker thread,
 * packed as list rows (one organization object at a time, never all of them).
 *
 * The thread opens its own PdStore on the same file (WAL lets it read beside the main
 * connection), so the main thread never waits on a query that grows with the cache. A second
 * thread reads that connection while the first packs the rows it has read.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#include "core/pd-store.h"
#include "pd-organization-row-data.h"

typedef struct {
  PdRowTable *table;     /* every row, packed */
  GPtrArray *rows;       /* PdOrganizationRowData of table (borrowed), in the default order */
  GPtrArray *resellers;  /* char* "id\tname" */
  PdStore   *reader;     /* the thread's connection, to pass to the next load */
} PdListLoad;

void        pd_list_load_free          (PdListLoad *load);

/* reader: the connection a previous load returned (opening one runs the store's integrity
 * check, which grows with the file), or NULL to open db_path. limit: only the first rows by
 * name (0 = all), for a first screenful while the rest loads. */
void        pd_list_loader_load_async  (const char          *db_path,
                                        PdStore             *reader,
                                        guint                limit,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
/* (transfer full) */
PdListLoad *pd_list_loader_load_finish (GAsyncResult        *result,
                                        GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdListLoad, pd_list_load_free)

G_END_DECLS
