/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-row-array.c — see pd-row-array.h. */
#include "config.h"

#include "pd-row-array.h"

struct _PdRowArray
{
  GObject    parent_instance;

  GType      item_type;
  GPtrArray *items;
  guint      n_items;   /* shown: the first n_items of items */
  guint      n_staged;  /* to show: n_items grows to it at pd_row_array_expose_staged */
  PdRowArrayFactory factory;
  gpointer   factory_data;
};

static void pd_row_array_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdRowArray, pd_row_array, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      pd_row_array_list_model_init))

static GType
pd_row_array_get_item_type (GListModel *model)
{
  return PD_ROW_ARRAY (model)->item_type;
}

static guint
pd_row_array_get_n_items (GListModel *model)
{
  return PD_ROW_ARRAY (model)->n_items;
}

static gpointer
pd_row_array_get_item (GListModel *model,
                       guint       position)
{
  PdRowArray *self = PD_ROW_ARRAY (model);

  if (position >= self->n_items)
    return NULL;
  if (self->items->pdata[position] == NULL && self->factory != NULL)
    self->items->pdata[position] = self->factory (position, self->factory_data);
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
pd_row_array_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = pd_row_array_get_item_type;
  iface->get_n_items = pd_row_array_get_n_items;
  iface->get_item = pd_row_array_get_item;
}

static void
pd_row_array_finalize (GObject *object)
{
  g_ptr_array_unref (PD_ROW_ARRAY (object)->items);

  G_OBJECT_CLASS (pd_row_array_parent_class)->finalize (object);
}

static void
pd_row_array_class_init (PdRowArrayClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_row_array_finalize;
}

static void
pd_row_array_init (PdRowArray *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

PdRowArray *
pd_row_array_new (GType item_type)
{
  PdRowArray *self = g_object_new (PD_TYPE_ROW_ARRAY, NULL);

  self->item_type = item_type;
  return self;
}

void
pd_row_array_set (PdRowArray *self,
                  GPtrArray  *items)
{
  g_autoptr(GPtrArray) old = NULL;
  guint n_old, n_new, prefix = 0, suffix = 0;

  g_return_if_fail (PD_IS_ROW_ARRAY (self));

  old = self->items;
  n_old = self->n_items;
  self->n_staged = 0;
  self->items = items != NULL ? g_ptr_array_ref (items)
                              : g_ptr_array_new_with_free_func (g_object_unref);
  self->n_items = n_new = self->items->len;
  while (prefix < n_old && prefix < n_new && old->pdata[prefix] == self->items->pdata[prefix])
    prefix++;
  while (suffix < n_old - prefix && suffix < n_new - prefix
         && old->pdata[n_old - 1 - suffix] == self->items->pdata[n_new - 1 - suffix])
    suffix++;
  if (n_old - prefix - suffix > 0 || n_new - prefix - suffix > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, n_old - prefix - suffix,
                                n_new - prefix - suffix);
}

void
pd_row_array_set_prefix (PdRowArray *self,
                         GPtrArray  *pool,
                         guint       n)
{
  guint n_old;

  g_return_if_fail (PD_IS_ROW_ARRAY (self));
  g_return_if_fail (n <= pool->len);

  self->n_staged = 0;
  if (pool != self->items)
    {
      n_old = self->n_items;
      g_ptr_array_unref (self->items);
      self->items = g_ptr_array_ref (pool);
      self->n_items = n;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, n_old, n);
      return;
    }
  n_old = self->n_items;
  self->n_items = n;
  if (n > n_old)
    g_list_model_items_changed (G_LIST_MODEL (self), n_old, 0, n - n_old);
  else if (n < n_old)
    g_list_model_items_changed (G_LIST_MODEL (self), n, n_old - n, 0);
}

void
pd_row_array_set_factory (PdRowArray        *self,
                          PdRowArrayFactory  factory,
                          gpointer           user_data)
{
  g_return_if_fail (PD_IS_ROW_ARRAY (self));
  self->factory = factory;
  self->factory_data = user_data;
}

gboolean
pd_row_array_set_prefix_staged (PdRowArray *self,
                                GPtrArray  *pool,
                                guint       n,
                                guint       n_first)
{
  guint n_now;

  g_return_val_if_fail (PD_IS_ROW_ARRAY (self), FALSE);
  g_return_val_if_fail (n <= pool->len, FALSE);

  /* Rows already shown stay: a view has built them, and dropping them costs as much. */
  n_now = pool == self->items ? MAX (self->n_items, n_first) : n_first;
  if (n_now >= n)
    {
      pd_row_array_set_prefix (self, pool, n);
      return FALSE;
    }
  pd_row_array_set_prefix (self, pool, n_now);
  self->n_staged = n;
  return TRUE;
}

gboolean
pd_row_array_has_staged (PdRowArray *self)
{
  g_return_val_if_fail (PD_IS_ROW_ARRAY (self), FALSE);
  return self->n_staged > self->n_items;
}

void
pd_row_array_expose_staged (PdRowArray *self)
{
  guint n_old;

  g_return_if_fail (PD_IS_ROW_ARRAY (self));

  n_old = self->n_items;
  if (self->n_staged <= n_old)
    {
      self->n_staged = 0;
      return;
    }
  self->n_items = self->n_staged;
  self->n_staged = 0;
  g_list_model_items_changed (G_LIST_MODEL (self), n_old, 0, self->n_items - n_old);
}
