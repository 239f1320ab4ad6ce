/* pd-list-loader.h — loads the whole cache for the organization list in a worker thread.
 *
 * The thread opens its own PdStore on the same file (WAL lets it read beside the main
 * connection), so the main thread never waits on a query that grows with the cache.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  GPtrArray *rows;       /* PdOrganizationRowData, sorted by name */
  GPtrArray *resellers;  /* char* "id\tname" */
} PdListLoad;

void        pd_list_load_free          (PdListLoad *load);

void        pd_list_loader_load_async  (const char          *db_path,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
PdListLoad *pd_list_loader_load_finish (GAsyncResult        *result,
                                        GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdListLoad, pd_list_load_free)

G_END_DECLS
