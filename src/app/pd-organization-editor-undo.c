/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization-editor-undo.c — the editor's undo: this app's saves, newest first, taken
 * back only while the cache still holds what they left. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-editor-key.h"
#include "pd-organization-editor-private.h"

#define MAX_UNDO       50
/* Saves of one field this close together are one change to undo (the history merges them). */
#define UNDO_MERGE_US  (120 * G_USEC_PER_SEC)

typedef struct
{
  gint64   org_id;
  char    *key;
  char    *old_value;
  char    *saved_value;     /* what the cache held after the save: undone only while it does */
  gboolean old_overridden;  /* bill-to keys: whether the field had an override before */
  gint64   at;              /* monotonic time of the last save it covers */
  gboolean mergeable;       /* an edit (not a revert): later saves of its field join it */
} UndoEntry;

static void
undo_entry_free (UndoEntry *entry)
{
  g_free (entry->key);
  g_free (entry->old_value);
  g_free (entry->saved_value);
  g_free (entry);
}

void
_pd_organization_editor_clear_undo (PdOrganizationEditor *self)
{
  g_queue_clear_full (&self->undo, (GDestroyNotify) undo_entry_free);
}

void
_pd_organization_editor_retarget_undo (PdOrganizationEditor *self,
                                       gint64                from,
                                       gint64                into)
{
  for (GList *l = self->undo.head; l != NULL; l = l->next)
    if (((UndoEntry *) l->data)->org_id == from)
      ((UndoEntry *) l->data)->org_id = into;
}

/* TRUE when the newest undo entry is an edit of key a moment ago: it already holds the value
 * from before this edit began. */
static gboolean
extend_undo (PdOrganizationEditor *self,
             gint64                org_id,
             const char           *key,
             const char           *before_value,
             const char           *saved_value)
{
  UndoEntry *head = g_queue_peek_head (&self->undo);
  gint64 now = g_get_monotonic_time ();

  /* Not over another program's value written between the two saves: undoing the merged
   * entry would erase it. */
  if (head == NULL || !head->mergeable || head->org_id != org_id
      || g_strcmp0 (head->key, key) != 0 || now - head->at > UNDO_MERGE_US
      || g_strcmp0 (head->saved_value != NULL ? head->saved_value : "",
                    before_value != NULL ? before_value : "") != 0)
    return FALSE;
  head->at = now;
  g_free (head->saved_value);
  head->saved_value = g_strdup (saved_value);
  return TRUE;
}

/* key's value in the cache now (NULL when the organization is gone). */
static char *
dup_stored_value (PdOrganizationEditor *self,
                  gint64                org_id,
                  const char           *key)
{
  g_autoptr(PdOrganization) org = pd_store_get (pd_session_get_store (self->session), org_id,
                                                NULL);

  return org != NULL ? pd_editor_key_dup_value (key, org) : NULL;
}

void
_pd_organization_editor_push_undo (PdOrganizationEditor *self,
                                   gint64                org_id,
                                   const char           *key,
                                   PdOrganization       *before,
                                   gboolean              mergeable)
{
  g_autofree char *saved_value = dup_stored_value (self, org_id, key);
  g_autofree char *before_value = pd_editor_key_dup_value (key, before);
  UndoEntry *entry;
  PdBillToField field;

  if (mergeable && extend_undo (self, org_id, key, before_value, saved_value))
    return;
  entry = g_new0 (UndoEntry, 1);
  entry->saved_value = g_steal_pointer (&saved_value);
  entry->at = g_get_monotonic_time ();
  entry->mergeable = mergeable;
  entry->org_id = org_id;
  entry->key = g_strdup (key);
  entry->old_value = g_steal_pointer (&before_value);
  entry->old_overridden = !pd_editor_key_is_bill_to (key, &field)
                          || pd_organization_is_field_overridden (before, field);
  g_queue_push_head (&self->undo, entry);
  while (g_queue_get_length (&self->undo) > MAX_UNDO)
    undo_entry_free (g_queue_pop_tail (&self->undo));
  _pd_organization_editor_actions_update (self);
}

gboolean
pd_organization_editor_get_can_undo (PdOrganizationEditor *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_EDITOR (self), FALSE);

  return self->can_undo;
}

/* Undo takes back this app's change, never another program's made since (the CLI's set, a
 * sync that replaced a local bill-to edit): the cache must still hold what the save left. */
static gboolean
undo_still_applies (PdOrganizationEditor *self,
                    UndoEntry            *entry,
                    const char           *label)
{
  g_autofree char *now = dup_stored_value (self, entry->org_id, entry->key);
  g_autofree char *message = NULL;

  if (g_strcmp0 (now != NULL ? now : "", entry->saved_value != NULL ? entry->saved_value : "")
      == 0)
    return TRUE;
  /* Translators: %s is a field's label ("Account manager") */
  message = g_strdup_printf (_("%s: not undone, another program changed it since"), label);
  _pd_organization_editor_show_toast (self, message, FALSE);
  return FALSE;
}

void
pd_organization_editor_undo (PdOrganizationEditor *self)
{
  UndoEntry *entry;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *label = NULL;
  g_autofree char *typed_key = NULL;

  g_return_if_fail (PD_IS_ORGANIZATION_EDITOR (self));

  /* The newest change is what is being typed, not saved yet: that is taken back, and an older
   * saved change stays (before: Undo restored another field, and the typing was saved). */
  typed_key = _pd_organization_editor_undo_typing (self);
  if (typed_key != NULL)
    {
      label = pd_editor_key_dup_label (typed_key);
      title = g_strdup_printf (_("%s restored"), label);
      _pd_organization_editor_show_toast (self, title, FALSE);
      return;
    }
  entry = g_queue_pop_head (&self->undo);
  if (entry == NULL)
    return;
  label = pd_editor_key_dup_label (entry->key);
  if (!undo_still_applies (self, entry, label))
    {
      undo_entry_free (entry);
      _pd_organization_editor_actions_update (self);
      return;
    }
  /* A pending edit of the same field would overwrite the undone value a moment later. */
  if (entry->org_id == self->org_id)
    g_hash_table_remove (self->pending, entry->key);
  _pd_organization_editor_drop_retry (self, entry->org_id, entry->key);
  if (_pd_organization_editor_write_value (self, entry->org_id, entry->key, entry->old_value,
                                           entry->old_overridden, &error))
    {
      /* Translators: %s is a field's label ("Preferred currency", "Notes"); word it so that it
       * fits every field, whatever its gender (French: "Enregistré : %s") */
      title = g_strdup_printf (_("%s restored"), label);
      if (entry->org_id == self->org_id)
        _pd_organization_editor_clear_key_error (self, entry->key);
      _pd_organization_editor_show_toast (self, title, FALSE);
      pd_session_notify_changed (self->session, entry->org_id);
    }
  else
    _pd_organization_editor_show_toast (self, error->message, FALSE);
  _pd_organization_editor_actions_update (self);
  undo_entry_free (entry);
}
