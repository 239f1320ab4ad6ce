/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-row-slot.c — see pd-row-slot.h. */
#include "config.h"

#include "pd-row-slot.h"

struct _PdRowSlot
{
  GObject                parent_instance;

  PdOrganizationRowData *row;      /* borrowed from the model (see pd-row-slot.h) */
  guint                  n_bound;
};

G_DEFINE_FINAL_TYPE (PdRowSlot, pd_row_slot, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
pd_row_slot_class_init (PdRowSlotClass *klass)
{
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pd_row_slot_init (PdRowSlot *self)
{
}

PdRowSlot *
pd_row_slot_new (void)
{
  return g_object_new (PD_TYPE_ROW_SLOT, NULL);
}

PdOrganizationRowData *
pd_row_slot_get_row (PdRowSlot *self)
{
  g_return_val_if_fail (PD_IS_ROW_SLOT (self), NULL);
  return self->row;
}

void
pd_row_slot_set_row (PdRowSlot             *self,
                     PdOrganizationRowData *row)
{
  /* No type check here: this runs for every visible row on every keystroke. */
  if (self->row == row)
    return;
  self->row = row;
  if (self->n_bound > 0)
    g_signal_emit (self, signals[CHANGED], 0);
}

void
pd_row_slot_bind (PdRowSlot *self)
{
  g_return_if_fail (PD_IS_ROW_SLOT (self));
  self->n_bound++;
}

void
pd_row_slot_unbind (PdRowSlot *self)
{
  g_return_if_fail (PD_IS_ROW_SLOT (self));
  g_return_if_fail (self->n_bound > 0);
  self->n_bound--;
}
