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

/* Reading the store and packing its rows take about as long each (a million rows: ~1.1 s and
 * ~0.8 s of CPU), so a second thread reads while the load's thread packs. Rows cross in
 * batches with their strings copied, since the store lends them only for its callback; the
 * few batches circulate, so that a slower packer holds the reader back instead of the load
 * holding a copy of the whole cache. */
#define BATCH_ROWS 2048
#define N_BATCHES  4

typedef struct {
  PdStoreListRow  rows[BATCH_ROWS];
  guint           n;
  gboolean        last;     /* the read ended after these rows */
  GStringChunk   *strings;
} Batch;

typedef struct {
  PdStore      *store;
  PdStoreQuery  query;
  GAsyncQueue  *full;       /* Batch, read, for the packer */
  GAsyncQueue  *empty;      /* Batch, packed, for the reader */
  Batch        *batch;      /* the one the reader fills */
  GArray       *name_order; /* gint64 ids by name, when reading every row (or NULL) */
  gboolean      ok;
  GError       *error;
} Pipe;

static const char *
copy_text (Batch      *batch,
           const char *text)
{
  return text != NULL ? g_string_chunk_insert (batch->strings, text) : NULL;
}

static gboolean
copy_row (const PdStoreListRow *row,
          gpointer              user_data)
{
  Pipe *pipe = user_data;
  PdStoreListRow *to;

  if (pipe->batch == NULL)
    pipe->batch = g_async_queue_pop (pipe->empty);
  to = &pipe->batch->rows[pipe->batch->n++];
  *to = *row;
  to->name = copy_text (pipe->batch, row->name);
  to->domain = copy_text (pipe->batch, row->domain);
  to->erp_id = copy_text (pipe->batch, row->erp_id);
  to->country = copy_text (pipe->batch, row->country);
  to->currency = copy_text (pipe->batch, row->currency);
  to->account_manager = copy_text (pipe->batch, row->account_manager);
  to->reseller_id = copy_text (pipe->batch, row->reseller_id);
  to->reseller_name = copy_text (pipe->batch, row->reseller_name);
  to->segments = copy_text (pipe->batch, row->segments);
  to->notes = copy_text (pipe->batch, row->notes);
  to->email = copy_text (pipe->batch, row->email);
  to->city = copy_text (pipe->batch, row->city);
  to->bill_to_read_error = copy_text (pipe->batch, row->bill_to_read_error);
  if (pipe->batch->n == BATCH_ROWS)
    g_async_queue_push (pipe->full, g_steal_pointer (&pipe->batch));
  return TRUE;
}

static gpointer
read_thread (gpointer data)
{
  Pipe *pipe = data;

  pipe->ok = pd_store_list_rows (pipe->store, &pipe->query, copy_row, pipe, &pipe->error);
  if (pipe->batch == NULL)
    pipe->batch = g_async_queue_pop (pipe->empty);
  pipe->batch->last = TRUE;
  g_async_queue_push (pipe->full, g_steal_pointer (&pipe->batch));
  /* While the load packs the last batches: the order it sorts from (a hint; none on
   * failure). */
  if (pipe->ok && pipe->query.limit == 0)
    pipe->name_order = pd_store_list_ids_by_name (pipe->store, NULL);
  return NULL;
}

static void
batch_free (gpointer data)
{
  Batch *batch = data;

  g_string_chunk_free (batch->strings);
  g_free (batch);
}

/* pd_store_list_rows into table, read by a second thread; *out_name_order: the ids by name
 * in the store's order when the read had them (else NULL). */
static gboolean
read_rows (PdStore             *store,
           const PdStoreQuery  *query,
           PdRowTable          *table,
           GArray             **out_name_order,
           GError             **error)
{
  Pipe pipe = { store, *query, g_async_queue_new_full (batch_free),
                g_async_queue_new_full (batch_free), NULL, NULL, FALSE, NULL };
  GThread *thread;
  gboolean last = FALSE;

  for (guint i = 0; i < N_BATCHES; i++)
    {
      Batch *batch = g_new0 (Batch, 1);

      batch->strings = g_string_chunk_new (64 * 1024);
      g_async_queue_push (pipe.empty, batch);
    }
  thread = g_thread_new ("pd-list-read", read_thread, &pipe);
  while (!last)
    {
      Batch *batch = g_async_queue_pop (pipe.full);

      for (guint i = 0; i < batch->n; i++)
        pd_row_table_add (table, &batch->rows[i]);
      last = batch->last;
      batch->n = 0;
      g_string_chunk_clear (batch->strings);
      g_async_queue_push (pipe.empty, batch);
    }
  g_thread_join (thread);
  g_async_queue_unref (pipe.full);
  g_async_queue_unref (pipe.empty);
  if (!pipe.ok)
    {
      g_clear_pointer (&pipe.name_order, g_array_unref);
      g_propagate_error (error, pipe.error);
      return FALSE;
    }
  *out_name_order = pipe.name_order;
  return TRUE;
}

/* The table's rows, already in the list's default order (the locale's, which the finish
 * sorted from the store's ASCII case folding). */
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
  g_autoptr(GArray) name_order = NULL;
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
  pd_row_table_reserve (table, query.limit > 0 ? query.limit : pd_store_count (store));
  if (!read_rows (store, &query, table, &name_order, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The reader is kept for the next load: its cache holds pages of every row, read once. */
  pd_store_release_memory (store);
  if (g_task_return_error_if_cancelled (task))
    return;
  /* Rows come by id; in the store's order by name, most are where the list puts them. */
  if (name_order != NULL)
    pd_row_table_finish_near (table, (const gint64 *) (gconstpointer) name_order->data, name_order->len);
  else
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
