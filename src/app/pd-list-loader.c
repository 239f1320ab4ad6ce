/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-list-loader.c — threaded load of every organization, packed as list rows. */
#include "config.h"

#include "core/pd-store.h"
#include "pd-list-loader.h"

void
pd_list_load_free (PdListLoad *load)
{
  if (load == NULL)
    return;
  g_clear_pointer (&load->rows, g_ptr_array_unref);
  g_clear_pointer (&load->table, pd_row_table_free);
  g_clear_pointer (&load->resellers, g_ptr_array_unref);
  g_clear_object (&load->reader);
  g_free (load);
}

static gboolean
add_row (const PdStoreListRow *row,
         gpointer              user_data)
{
  pd_row_table_add (user_data, row);
  return TRUE;
}

/* The table's rows, already in the list's default order (the locale's; the store sorts by
 * ASCII case folding). */
static GPtrArray *
row_pointers (PdRowTable *table)
{
  guint n = pd_row_table_get_n_rows (table);
  GPtrArray *rows = g_ptr_array_sized_new (n);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (rows, pd_row_table_get_row (table, i));
  return rows;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(PdStore) store = g_object_steal_data (G_OBJECT (task), "reader");
  g_autoptr(PdRowTable) table = pd_row_table_new ();
  g_autoptr(PdListLoad) load = g_new0 (PdListLoad, 1);
  PdStoreQuery query = { 0 };
  GError *error = NULL;

  if (store == NULL)
    store = pd_store_open (task_data, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  query.limit = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "limit"));
  if (!pd_store_list_rows (store, &query, add_row, table, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  pd_row_table_finish (table);
  load->rows = row_pointers (table);
  load->table = g_steal_pointer (&table);
  load->resellers = pd_store_list_resellers (store, NULL);
  if (load->resellers == NULL)
    load->resellers = g_ptr_array_new_with_free_func (g_free);
  load->reader = g_steal_pointer (&store);
  g_task_return_pointer (task, g_steal_pointer (&load), (GDestroyNotify) pd_list_load_free);
}

void
pd_list_loader_load_async (const char          *db_path,
                           PdStore             *reader,
                           guint                limit,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (db_path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_list_loader_load_async);
  g_task_set_task_data (task, g_strdup (db_path), g_free);
  g_object_set_data (G_OBJECT (task), "limit", GUINT_TO_POINTER (limit));
  /* Used by one load at a time: the list starts a load only when the previous one ended. */
  if (reader != NULL)
    g_object_set_data_full (G_OBJECT (task), "reader", g_object_ref (reader), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

PdListLoad *
pd_list_loader_load_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
