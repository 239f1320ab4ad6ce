/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization-editor.c — the detail pane of one organization.
 *
 * Edits save by themselves: a field's change is written through PdStore after a pause in the
 * typing (SAVE_DELAY_MS), on Enter, or when the focus leaves it; the previous value goes on an
 * undo stack that the window's one undo action (toast button and Ctrl+Z, wherever the focus
 * is) works on. The entries' own undo is off: it would "undo" a value into a blank that then
 * got saved. A value the store refuses (ERP ID clash, …) stays typed in its row with the error
 * shown, and is not saved until it is valid. */
#include "config.h"

#include <glib/gi18n.h>

#include "core/pd-org-fields.h"
#include "core/pd-text.h"
#include "pd-account-check.h"
#include "pd-app-util.h"
#include "pd-bill-to-editor.h"
#include "pd-bill-to-push.h"
#include "pd-code-row.h"
#include "pd-editor-key.h"
#include "pd-history-list.h"
#include "pd-organization-editor-private.h"
#include "pd-tag-row.h"

#define SAVE_DELAY_MS  1500
/* How long after the cache was busy (another program kept it locked) a save is tried again. */
#define RETRY_DELAY_MS 2000
/* How long a save on the UI thread waits for another program's write (a batch of a sync takes
 * a fraction of it) before the edit is kept and tried again: the longest the window freezes. */
#define SAVE_WAIT_MS 1000


typedef struct
{
  PdOrganizationEditor *self;
  gint64                org_id;
  char                 *key;        /* a pd_store_set_field key, or "bill-to:<path>" */
  char                 *value;
  char                 *base;       /* a kept retry: what the cache held when it was refused */
  /* A new edit: the value on screen ("" for none) when its typing began (NULL: unknown). */
  char                 *typed_over;
  gint64                typed_at;   /* monotonic: its latest keystroke (Undo takes the newest) */
  guint                 source_id;
} PendingEdit;

G_DEFINE_FINAL_TYPE (PdOrganizationEditor, pd_organization_editor, ADW_TYPE_BIN)

enum { PROP_0, PROP_SESSION, PROP_CAN_UNDO, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void reload (PdOrganizationEditor *self);

static void
pending_edit_free (PendingEdit *edit)
{
  g_clear_handle_id (&edit->source_id, g_source_remove);
  g_free (edit->key);
  g_free (edit->value);
  g_free (edit->base);
  g_free (edit->typed_over);
  g_free (edit);
}

/* ---- reading values ---- */

static char *
join_for_store (const char * const *tags)
{
  return tags != NULL ? g_strjoinv (",", (char **) tags) : g_strdup ("");
}

/* The row of each field, which shows its errors. */
static const gsize field_widgets[PD_N_ORG_FIELDS] = {
  [PD_ORG_FIELD_ERP_ID] = G_STRUCT_OFFSET (PdOrganizationEditor, erp_row),
  [PD_ORG_FIELD_REGISTRATION_NUMBER] = G_STRUCT_OFFSET (PdOrganizationEditor, registration_row),
  [PD_ORG_FIELD_SEGMENTS] = G_STRUCT_OFFSET (PdOrganizationEditor, segments_row),
  [PD_ORG_FIELD_CURRENCY] = G_STRUCT_OFFSET (PdOrganizationEditor, currency_row),
  [PD_ORG_FIELD_STATUS] = G_STRUCT_OFFSET (PdOrganizationEditor, status_row),
  [PD_ORG_FIELD_LOGIN_OPTIONS] = G_STRUCT_OFFSET (PdOrganizationEditor, login_row),
  [PD_ORG_FIELD_ACCOUNT_MANAGER] = G_STRUCT_OFFSET (PdOrganizationEditor, manager_row),
  [PD_ORG_FIELD_NOTES] = G_STRUCT_OFFSET (PdOrganizationEditor, notes_view),
  [PD_ORG_FIELD_NAME] = G_STRUCT_OFFSET (PdOrganizationEditor, name_row),
  [PD_ORG_FIELD_DOMAIN] = G_STRUCT_OFFSET (PdOrganizationEditor, domain_edit_row),
  [PD_ORG_FIELD_COUNTRY] = G_STRUCT_OFFSET (PdOrganizationEditor, country_row),
};

GtkWidget *
_pd_organization_editor_key_widget (PdOrganizationEditor *self,
                                    const char           *key)
{
  PdOrgField field;

  if (!pd_org_field_from_key (key, &field))
    return NULL;
  return G_STRUCT_MEMBER (GtkWidget *, self, field_widgets[field]);
}

/* ---- actions ---- */

/* Every action's enabled state in one place (as GNOME Text Editor's _actions_update). The
 * push action is left alone: pd-bill-to-push turns it off while a push runs. */
/* The edit of the organization shown typed last and not saved yet, or NULL. */
static PendingEdit *
newest_typing (PdOrganizationEditor *self)
{
  GHashTableIter iter;
  PendingEdit *edit;
  PendingEdit *newest = NULL;

  if (self->pending == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &edit))
    if (edit->org_id == self->org_id && (newest == NULL || edit->typed_at > newest->typed_at))
      newest = edit;
  return newest;
}

char *
_pd_organization_editor_undo_typing (PdOrganizationEditor *self)
{
  PendingEdit *edit = newest_typing (self);
  char *key;

  if (edit == NULL)
    return NULL;
  key = g_strdup (edit->key);
  g_hash_table_remove (self->pending, key);
  _pd_organization_editor_clear_key_error (self, key);
  /* The field shows its saved value again (a field with no pending edit is not kept). */
  reload (self);
  _pd_organization_editor_actions_update (self);
  return key;
}

void
_pd_organization_editor_actions_update (PdOrganizationEditor *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_org = self->org != NULL;
  gboolean can_undo = !g_queue_is_empty (&self->undo) || newest_typing (self) != NULL;

  if (self->can_undo != can_undo)
    {
      self->can_undo = can_undo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
    }
  gtk_widget_action_set_enabled (widget, "editor.copy-tenant-id",
                                 has_org && pd_organization_get_tenant_id (self->org) != NULL);
  gtk_widget_action_set_enabled (widget, "editor.open-erp-owner", self->erp_owner_id != 0);
  gtk_widget_action_set_enabled (widget, "editor.approve",
                                 has_org
                                 && pd_organization_get_status (self->org) == PD_ORG_STATUS_NEW);
  gtk_widget_action_set_enabled (widget, "editor.revert-bill-to-field", has_org);
  gtk_widget_action_set_enabled (widget, "editor.check-account-status",
                                 has_org && self->account_check == NULL
                                 && pd_session_get_client (self->session) != NULL
                                 && pd_organization_get_tenant_id (self->org) != NULL);
}

/* ---- writing ---- */

static void
show_erp_clash (PdOrganizationEditor *self,
                const char           *erp_id,
                const GError         *error)
{
  PdStore *store = pd_session_get_store (self->session);
  PdStoreQuery query = { .search = erp_id, .limit = 50 };
  g_autoptr(GPtrArray) found = pd_store_list (store, &query, NULL);
  g_autofree char *message = NULL;

  self->erp_owner_id = 0;
  for (guint i = 0; found != NULL && i < found->len && self->erp_owner_id == 0; i++)
    {
      PdOrganization *other = g_ptr_array_index (found, i);

      if (pd_organization_get_id (other) != self->org_id
          && pd_organization_get_erp_id (other) != NULL
          /* The store compares ERP IDs without case. */
          && g_ascii_strcasecmp (pd_organization_get_erp_id (other), erp_id) == 0)
        {
          self->erp_owner_id = pd_organization_get_id (other);
          g_autofree char *name = pd_text_for_label (pd_organization_get_name (other));

          message = g_strdup_printf (_("ERP ID %s is already used by %s"), erp_id, name);
        }
    }
  if (message == NULL)
    message = g_strdup (error->message);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->erp_error_row), message);
  gtk_widget_set_visible (GTK_WIDGET (self->erp_error_row), TRUE);
  _pd_organization_editor_actions_update (self);
  /* The row below says it, with the organization that has that ERP ID. */
  pd_entry_row_mark_error (self->erp_row, message);
}

void
_pd_organization_editor_clear_key_error (PdOrganizationEditor *self,
                                         const char           *key)
{
  GtkWidget *widget = _pd_organization_editor_key_widget (self, key);

  if (widget != NULL)
    pd_app_util_set_error (widget, NULL);
  /* A refusal is gone, but a required number may still be missing. */
  if (g_str_equal (key, "registration-number"))
    {
      self->registration_missing = FALSE;
      _pd_organization_editor_show_registration_problem (self);
    }
  if (g_str_equal (key, "erp-id"))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->erp_error_row), FALSE);
      self->erp_owner_id = 0;
      _pd_organization_editor_actions_update (self);
    }
}

static void
show_key_error (PdOrganizationEditor *self,
                const char           *key,
                const char           *value,
                const GError         *error)
{
  GtkWidget *widget = _pd_organization_editor_key_widget (self, key);

  if (g_error_matches (error, PD_STORE_ERROR, PD_STORE_ERROR_ERP_ID_TAKEN))
    {
      show_erp_clash (self, value, error);
      return;
    }
  if (widget != NULL)
    pd_app_util_set_error (widget, error->message);
  _pd_organization_editor_show_toast (self, error->message, FALSE);
}

/* message about key of org_id, on its field when shown. A bill-to field's own marks are the
 * bill-to editor's (what Microsoft requires, recomputed as the values change): it is said in
 * a toast there, so that it is not wiped at the next change. */
static void
say_on_field (PdOrganizationEditor *self,
              gint64                org_id,
              const char           *key,
              const char           *message)
{
  GtkWidget *widget = _pd_organization_editor_key_widget (self, key);

  if (org_id != self->org_id)
    return;
  if (widget != NULL)
    pd_app_util_set_error (widget, message);
  else if (pd_editor_key_is_bill_to (key, NULL))
    _pd_organization_editor_show_toast (self, message, FALSE);
}

/* Writes one value without touching the undo stack. */
gboolean
_pd_organization_editor_write_value (PdOrganizationEditor *self,
                                     gint64                org_id,
                                     const char           *key,
                                     const char           *value,
                                     gboolean              overridden,
                                     GError              **error)
{
  PdStore *store = pd_session_get_store (self->session);
  PdBillToField field;

  if (!pd_editor_key_is_bill_to (key, &field))
    return pd_store_set_field (store, org_id, key, value != NULL ? value : "", error);
  if (!overridden)
    return pd_store_revert_bill_to (store, org_id, &field, 1, error);
  return pd_store_set_bill_to_field (store, org_id, field, value, error);
}

static void keep_for_retry (PdOrganizationEditor *self,
                            gint64                org_id,
                            const char           *key,
                            const char           *value,
                            const char           *base,
                            const char           *typed_over);

/* Whether a kept retry may still be written: the cache holds what it held when the edit was
 * refused (base). Another program wrote the field meanwhile: the user's value is not written
 * over theirs unseen, but named on the field, to type again. */
static gboolean
retry_still_applies (PdOrganizationEditor *self,
                     gint64                org_id,
                     const char           *key,
                     const char           *value,
                     const char           *base,
                     const char           *now)
{
  g_autofree char *message = NULL;

  if (g_strcmp0 (base != NULL ? base : "", now != NULL ? now : "") == 0)
    return TRUE;
  /* Translators: %s is the value the user typed, which was not saved */
  message = g_strdup_printf (_("Another program changed this field meanwhile; your value was "
                               "not saved: %s"), value != NULL ? value : "");
  say_on_field (self, org_id, key, message);
  return FALSE;
}

/* The value of key that org_id has on screen (NULL when another organization is shown). */
static char *
dup_shown_value (PdOrganizationEditor *self,
                 gint64                org_id,
                 const char           *key)
{
  if (self->org == NULL || pd_organization_get_id (self->org) != org_id)
    return NULL;
  return pd_editor_key_dup_value (key, self->org);
}

/* A save of key refused with error: kept to be written again when the cache was busy (based
 * on old_value, what the cache held; typed_over kept for its toast), said on its field when
 * that is shown, in a toast otherwise. Never dropped without a word. */
static void
refuse_save (PdOrganizationEditor *self,
             gint64                org_id,
             const char           *key,
             const char           *value,
             const char           *base,
             const char           *typed_over,
             const char           *old_value,
             gboolean              shown,
             const GError         *error)
{
  g_autofree char *label = NULL;
  g_autofree char *title = NULL;

  if (g_error_matches (error, PD_STORE_ERROR, PD_STORE_ERROR_LOCKED))
    {
      /* Said on its field (a bill-to field's, in a toast: say_on_field): it is written a
       * moment later, and that save has its toast. Never NULL: a kept retry is told from a
       * new edit by having a base. */
      keep_for_retry (self, org_id, key, value,
                      base != NULL ? base : old_value != NULL ? old_value : "", typed_over);
      /* Said once, not at each retry. */
      if (base == NULL)
        say_on_field (self, org_id, key,
                      _("The cache is busy: another program is writing to it. This change "
                        "is saved as soon as it is free."));
      return;
    }
  if (shown)
    {
      show_key_error (self, key, value, error);
      return;
    }
  label = pd_editor_key_dup_label (key);
  /* Translators: the first %s is a field's label ("Notes"), the second why it was not saved */
  title = g_strdup_printf (_("%s was not saved: %s"), label, error->message);
  _pd_organization_editor_show_toast (self, title, FALSE);
}

/* The organization an edit of *org_id is saved into: its own, or the synced one another
 * program linked it onto while the edit was typed (its fields went there: the edit follows
 * them; *org_id becomes that one's, *linked_away TRUE). NULL when it cannot be read. */
static PdOrganization *
read_edited (PdOrganizationEditor  *self,
             gint64                *org_id,
             gboolean              *linked_away,
             GError               **error)
{
  PdStore *store = pd_session_get_store (self->session);
  g_autoptr(GError) not_found = NULL;
  PdOrganization *org = pd_store_get (store, *org_id, &not_found);
  gint64 into;

  *linked_away = FALSE;
  if (org != NULL)
    return org;
  if (!g_error_matches (not_found, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&not_found));
      return NULL;
    }
  /* Unread there (a busy cache), the edit is kept: not taken for one of an organization
   * that is gone. */
  into = pd_store_get_merged_into (store, *org_id, error);
  if (into == 0)
    {
      if (error == NULL || *error == NULL)
        g_propagate_error (error, g_steal_pointer (&not_found));
      return NULL;
    }
  *org_id = into;
  *linked_away = TRUE;
  return pd_store_get (store, into, error);
}

/* The toast of a saved edit of key: it names the value it replaced when that was written
 * while the user typed (by a sync or another program: typed_over, what was on screen when the
 * typing began, is not what the cache held), so that its Undo is understood. Bill-to keys
 * keep their own rules (a sync's value and the user's local one both stay in their history). */
static char *
dup_saved_title (const char *key,
                 const char *typed_over,
                 const char *replaced)
{
  g_autofree char *label = pd_editor_key_dup_label (key);

  if (typed_over == NULL || pd_editor_key_is_bill_to (key, NULL)
      || g_strcmp0 (typed_over, replaced != NULL ? replaced : "") == 0)
    /* Translators: %s is a field's label ("Preferred currency", "Notes"); word it so that it
     * fits every field, whatever its gender (French: "Enregistré : %s") */
    return g_strdup_printf (_("%s saved"), label);
  if (replaced == NULL || *replaced == '\0')
    /* Translators: %s is a field's label ("Notes") */
    return g_strdup_printf (_("%s saved over a change made while you typed"), label);
  /* Translators: the first %s is a field's label ("Account manager"), the second the value
   * your edit replaced, which a sync or another program wrote; a toast shows about 40
   * characters (the rest in its tooltip): keep the value early */
  return g_strdup_printf (_("%s saved over “%s”, written while you typed"), label, replaced);
}

/* save_edit, once the organization is read (before). */
static void
write_edit (PdOrganizationEditor *self,
            PdOrganization       *before,
            const char           *key,
            const char           *value,
            const char           *base,
            const char           *typed_over,
            gboolean              linked_away)
{
  PdStore *store = pd_session_get_store (self->session);
  gint64 org_id = pd_organization_get_id (before);
  g_autofree char *old_value = pd_editor_key_dup_value (key, before);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  gboolean saved;

  if (base != NULL && !retry_still_applies (self, org_id, key, value, base, old_value))
    {
      /* Its value was on screen while it waited (pending_bill_to_fields): the other
       * program's is shown once the retries are done. */
      self->retry_overtaken |= org_id == self->org_id;
      return;
    }
  if (g_strcmp0 (old_value != NULL ? old_value : "", value != NULL ? value : "") == 0
      && !pd_editor_key_is_bill_to (key, NULL))
    {
      if (org_id == self->org_id)
        _pd_organization_editor_clear_key_error (self, key);
      return;
    }
  if (base == NULL)
    pd_store_set_lock_wait (store, SAVE_WAIT_MS);
  saved = _pd_organization_editor_write_value (self, org_id, key, value, TRUE, &error);
  if (base == NULL)
    pd_store_set_lock_wait (store, PD_STORE_LOCK_WAIT_MS);
  /* Followed onto a synced organization, a manual one's name, domain or country is Partner
   * Center's: said, though the pane may not show the field. */
  if (!saved)
    {
      refuse_save (self, org_id, key, value, base, typed_over, old_value,
                   org_id == self->org_id || linked_away, error);
      return;
    }
  if (org_id == self->org_id)
    _pd_organization_editor_clear_key_error (self, key);
  /* Undo acts on what is on screen: a retry that lands after the user moved on is saved, not
   * undone from another organization. */
  if (org_id == self->org_id)
    _pd_organization_editor_push_undo (self, org_id, key, before, TRUE);
  title = dup_saved_title (key, typed_over, old_value);
  _pd_organization_editor_show_toast (self, title, org_id == self->org_id);
  pd_session_notify_changed (self->session, org_id);
}

/* base: NULL for an edit just made; for a kept retry, what the cache held when it was refused
 * (retry_still_applies). typed_over: the edit's PendingEdit.typed_over (a kept retry keeps
 * it: a value another program wrote while the user typed, before the cache refused the
 * save, is still named in the toast of the save that writes over it). */
static void
save_edit (PdOrganizationEditor *self,
           const char           *key,
           const char           *value,
           gint64                org_id,
           const char           *base,
           const char           *typed_over)
{
  PdStore *store = pd_session_get_store (self->session);
  g_autoptr(PdOrganization) before = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown_value = NULL;
  gint64 edited_id = org_id;
  gboolean linked_away = FALSE;

  /* A new edit waits SAVE_WAIT_MS at most, for its read as for its write (write_edit), then
   * is kept to be tried again; a kept one waits as long as its caller set (write_retries). */
  if (base == NULL)
    pd_store_set_lock_wait (store, SAVE_WAIT_MS);
  before = read_edited (self, &org_id, &linked_away, &error);
  if (base == NULL)
    pd_store_set_lock_wait (store, PD_STORE_LOCK_WAIT_MS);
  if (before != NULL)
    {
      write_edit (self, before, key, value, base, typed_over, linked_away);
      return;
    }
  /* Unread (the cache busy, or failing): what the edit was typed over is what was shown, of
   * the organization it was typed in (a link moves the fields as they are). */
  shown_value = dup_shown_value (self, edited_id, key);
  refuse_save (self, org_id, key, value, base, typed_over, shown_value,
               org_id == self->org_id || linked_away, error);
}

void
_pd_organization_editor_drop_retry (PdOrganizationEditor *self,
                                    gint64                org_id,
                                    const char           *key)
{
  for (guint i = self->retries != NULL ? self->retries->len : 0; i > 0; i--)
    {
      PendingEdit *edit = g_ptr_array_index (self->retries, i - 1);

      if (edit->org_id == org_id && g_str_equal (edit->key, key))
        g_ptr_array_remove_index (self->retries, i - 1);
    }
}

/* Writes the kept edits again, until the cache refuses one: that one and the rest are kept
 * for later. wait_ms: how long a write waits for the cache, freezing the app meanwhile (the
 * timer's tries: not at all). */
static void
write_retries (PdOrganizationEditor *self,
               guint                 wait_ms)
{
  g_autoptr(GPtrArray) retries = g_steal_pointer (&self->retries);
  PdStore *store = pd_session_get_store (self->session);
  guint i;

  self->retries = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_edit_free);
  pd_store_set_lock_wait (store, wait_ms);
  for (i = 0; i < retries->len && self->retries->len == 0; i++)
    {
      PendingEdit *edit = g_ptr_array_index (retries, i);

      save_edit (self, edit->key, edit->value, edit->org_id, edit->base, edit->typed_over);
    }
  pd_store_set_lock_wait (store, PD_STORE_LOCK_WAIT_MS);
  for (; i < retries->len; i++)
    {
      PendingEdit *edit = g_ptr_array_index (retries, i);

      keep_for_retry (self, edit->org_id, edit->key, edit->value, edit->base, edit->typed_over);
    }
  if (self->retry_overtaken)
    {
      self->retry_overtaken = FALSE;
      reload (self);
    }
}

static void
on_retry_timeout (gpointer data)
{
  PdOrganizationEditor *self = data;

  self->retry_id = 0;
  write_retries (self, 0);
}

/* Never lose an edit: one another program kept the cache locked for (the CLI, the timer's
 * sync) is not dropped with its error, but written again a moment later, whatever organization
 * is shown by then; a newer edit of the same field replaces it. */
static void
keep_for_retry (PdOrganizationEditor *self,
                gint64                org_id,
                const char           *key,
                const char           *value,
                const char           *base,
                const char           *typed_over)
{
  PendingEdit *edit = g_new0 (PendingEdit, 1);

  _pd_organization_editor_drop_retry (self, org_id, key);
  edit->self = self;
  edit->org_id = org_id;
  edit->key = g_strdup (key);
  edit->value = g_strdup (value);
  edit->base = g_strdup (base);
  edit->typed_over = g_strdup (typed_over);
  g_ptr_array_add (self->retries, edit);
  if (self->retry_id == 0)
    self->retry_id = g_timeout_add_once (RETRY_DELAY_MS, on_retry_timeout, self);
}

/* What key shows now, as PendingEdit.typed_over. */
static char *
dup_typed_over (PdOrganizationEditor *self,
                const char           *key)
{
  g_autofree char *shown = dup_shown_value (self, self->org_id, key);

  if (self->org == NULL)
    return NULL;
  return g_strdup (shown != NULL ? shown : "");
}

static void
save_pending (PendingEdit *edit)
{
  PdOrganizationEditor *self = edit->self;
  g_autofree char *key = g_strdup (edit->key);
  g_autofree char *value = g_strdup (edit->value);
  g_autofree char *typed_over = g_strdup (edit->typed_over);
  gint64 org_id = edit->org_id;

  /* Out of the table first (that frees edit): the save reloads the editor, which must see
   * the field as saved. */
  g_hash_table_remove (self->pending, key);
  _pd_organization_editor_actions_update (self);
  save_edit (self, key, value, org_id, NULL, typed_over);
}

static gboolean
on_save_timeout (gpointer data)
{
  PendingEdit *edit = data;

  edit->source_id = 0;
  save_pending (edit);
  return G_SOURCE_REMOVE;
}

static void
queue_edit (PdOrganizationEditor *self,
            const char           *key,
            const char           *value,
            guint                 delay_ms)
{
  PendingEdit *edit;

  if (self->loading || self->org_id == 0)
    return;
  _pd_organization_editor_drop_retry (self, self->org_id, key);
  edit = g_hash_table_lookup (self->pending, key);
  if (edit == NULL)
    {
      edit = g_new0 (PendingEdit, 1);
      edit->self = self;
      edit->key = g_strdup (key);
      edit->org_id = self->org_id;
      edit->typed_over = dup_typed_over (self, key);
      g_hash_table_insert (self->pending, edit->key, edit);
      _pd_organization_editor_actions_update (self);
    }
  g_free (edit->value);
  edit->value = g_strdup (value);
  edit->typed_at = g_get_monotonic_time ();
  g_clear_handle_id (&edit->source_id, g_source_remove);
  if (delay_ms == 0)
    save_pending (edit);
  else
    edit->source_id = g_timeout_add (delay_ms, on_save_timeout, edit);
}

/* A tag typed without Enter is added as every field is saved: when the focus leaves a field,
 * another organization is opened, or the window closes. */
static void
commit_typed_tags (PdOrganizationEditor *self)
{
  PdTagRow *rows[] = { self->segments_row, self->login_row };

  if (self->org == NULL || self->loading)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (rows[i] != NULL && gtk_widget_is_sensitive (GTK_WIDGET (rows[i])))
      pd_tag_row_commit_entry (rows[i]);
}

void
pd_organization_editor_flush (PdOrganizationEditor *self)
{
  g_autoptr(GList) edits = NULL;

  g_return_if_fail (PD_IS_ORGANIZATION_EDITOR (self));

  commit_typed_tags (self);
  edits = g_hash_table_get_values (self->pending);
  for (GList *l = edits; l != NULL; l = l->next)
    save_pending (l->data);
}

guint
pd_organization_editor_save_all (PdOrganizationEditor *self)
{
  guint refused_before;

  g_return_val_if_fail (PD_IS_ORGANIZATION_EDITOR (self), 0);
  refused_before = self->retries->len;
  pd_organization_editor_flush (self);
  /* A save the flush had refused just waited for the cache: the app does not freeze twice. */
  if (self->retries->len > 0 && self->retries->len == refused_before)
    {
      g_clear_handle_id (&self->retry_id, g_source_remove);
      write_retries (self, SAVE_WAIT_MS);
    }
  return self->retries->len;
}

void
pd_organization_editor_discard_unsaved (PdOrganizationEditor *self)
{
  g_return_if_fail (PD_IS_ORGANIZATION_EDITOR (self));
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_ptr_array_set_size (self->retries, 0);
}

/* ---- widget signals ---- */

static void
on_bill_to_field_changed (PdOrganizationEditor *self,
                          guint                 field,
                          const char           *text)
{
  g_autofree char *key = pd_editor_key_for_bill_to (field);

  _pd_organization_editor_hold_focus_still (self);
  /* A typed country may require a registration number, or stop requiring one. */
  _pd_organization_editor_show_registration_problem (self);
  queue_edit (self, key, text, SAVE_DELAY_MS);
}

static void
on_entry_row_changed (PdOrganizationEditor *self,
                      GtkEditable          *row)
{
  const char *key = g_object_get_data (G_OBJECT (row), "key");

  if (!self->loading)
    _pd_organization_editor_hold_focus_still (self);
  if (g_str_equal (key, "erp-id") && !self->loading)
    _pd_organization_editor_clear_key_error (self, key);
  if (g_str_equal (key, "registration-number") && !self->loading)
    _pd_organization_editor_show_registration_problem (self);
  queue_edit (self, key, gtk_editable_get_text (row), SAVE_DELAY_MS);
}

static void
on_tags_changed (PdOrganizationEditor *self,
                 PdTagRow             *row)
{
  g_auto(GStrv) tags = pd_tag_row_dup_tags (row);
  g_autofree char *value = join_for_store ((const char * const *) tags);

  queue_edit (self, g_object_get_data (G_OBJECT (row), "key"), value, 0);
}

static void
on_code_selected (PdOrganizationEditor *self,
                  GParamSpec           *pspec,
                  PdCodeRow            *row)
{
  const char *code = pd_code_row_get_code (row);

  /* NULL is "Not set". */
  queue_edit (self, g_object_get_data (G_OBJECT (row), "key"), code != NULL ? code : "", 0);
}

static void
on_status_selected (PdOrganizationEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->status_row);

  if (selected <= PD_ORG_STATUS_BLOCKED)
    queue_edit (self, "status", pd_org_status_to_string (selected), 0);
}

static void
on_notes_changed (PdOrganizationEditor *self,
                  GtkTextBuffer        *buffer)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  queue_edit (self, "notes", text, SAVE_DELAY_MS);
}

/* Links a manual organization to its tenant: when that tenant is already synced, the local
 * fields move onto the synced organization (the store deletes the manual one) and the editor
 * follows them there. */
static void
on_link_apply (PdOrganizationEditor *self,
               PdEntryRow           *row)
{
  g_autofree char *tenant = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  gint64 survivor;

  if (*tenant == '\0' || self->org_id == 0)
    return;
  /* A typo must not become the organization's tenant: tenant ids are GUIDs. */
  if (!g_uuid_string_is_valid (tenant))
    {
      pd_app_util_set_error (GTK_WIDGET (row), _("A tenant ID looks like "
                                                 "00000000-0000-0000-0000-000000000000"));
      return;
    }
  pd_organization_editor_flush (self);
  survivor = pd_store_link (pd_session_get_store (self->session), self->org_id, tenant, &error);
  if (survivor == 0)
    {
      pd_app_util_set_error (GTK_WIDGET (row), error->message);
      _pd_organization_editor_show_toast (self, error->message, FALSE);
      return;
    }
  pd_app_util_set_error (GTK_WIDGET (row), NULL);
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  title = g_strdup_printf (_("Linked to tenant %s"), tenant);
  /* Two organizations may have changed (one deleted): every view reloads. */
  pd_session_notify_changed (self->session, 0);
  if (survivor != self->org_id
      && !gtk_widget_activate_action (GTK_WIDGET (self), "win.show-organization", "x", survivor))
    pd_organization_editor_set_organization_id (self, survivor);
  _pd_organization_editor_show_toast (self, title, FALSE);
}

/* ---- showing (what pd-organization-editor-show.c does not) ---- */

static guint32
pending_bill_to_fields (PdOrganizationEditor *self)
{
  GHashTableIter iter;
  gpointer key;
  guint32 mask = 0;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      PdBillToField field;

      if (pd_editor_key_is_bill_to (key, &field))
        mask |= 1u << field;
    }
  /* An edit the cache was busy for is on screen until it is written (or found overtaken). */
  for (guint i = 0; self->retries != NULL && i < self->retries->len; i++)
    {
      PendingEdit *edit = g_ptr_array_index (self->retries, i);
      PdBillToField field;

      if (edit->org_id == self->org_id && pd_editor_key_is_bill_to (edit->key, &field))
        mask |= 1u << field;
    }
  return mask;
}

/* The local day, as "2026-12-07": the history's "Today at 14:02" is right until it changes. */
static char *
dup_local_day (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%F");
}

static void
show_history (PdOrganizationEditor *self)
{
  g_autoptr(GPtrArray) history = pd_store_get_history (pd_session_get_store (self->session),
                                                       self->org_id, NULL);

  pd_history_list_set_entries (self->history_list, history);
  g_free (self->history_day);
  self->history_day = dup_local_day ();
}

void
_pd_organization_editor_refresh_times (PdOrganizationEditor *self)
{
  g_autofree char *today = NULL;

  if (self->org == NULL || self->loading)
    return;
  _pd_organization_editor_hold_focus_still (self);
  _pd_organization_editor_show_header (self);
  pd_bill_to_editor_refresh_times (self->bill_to_editor);
  /* Rebuilt only on a new day: a keyboard user's focus in the history stays put. */
  today = dup_local_day ();
  if (g_strcmp0 (today, self->history_day) != 0)
    show_history (self);
}

static gboolean
on_clock (gpointer data)
{
  _pd_organization_editor_refresh_times (data);
  return G_SOURCE_CONTINUE;
}

static void
on_role_changed (PdOrganizationEditor *self)
{
  pd_bill_to_editor_set_role (self->bill_to_editor,
                              pd_session_get_role (self->session) == PD_PARTNER_ROLE_RESELLER,
                              pd_session_can_push_to_partner_center (self->session));
}

/* What is typed, waiting or undoable for from belongs to into: kept on screen there, a newer
 * edit of a field replaces its older retry, and Undo acts there. */
static void
retarget_edits (PdOrganizationEditor *self,
                gint64                from,
                gint64                into)
{
  GHashTableIter iter;
  gpointer edit;

  _pd_organization_editor_retarget_undo (self, from, into);
  for (guint i = 0; i < self->retries->len; i++)
    if (((PendingEdit *) g_ptr_array_index (self->retries, i))->org_id == from)
      ((PendingEdit *) g_ptr_array_index (self->retries, i))->org_id = into;
  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, NULL, &edit))
    if (((PendingEdit *) edit)->org_id == from)
      ((PendingEdit *) edit)->org_id = into;
}

/* The organization shown was linked onto a synced one by another program (the CLI's link):
 * the pane follows it, with what is typed and not saved yet (save_edit saves it there), and
 * says so. FALSE when it was not linked away. */
static gboolean
follow_linked_away (PdOrganizationEditor *self,
                    PdOrganization       *shown)
{
  gint64 from = self->org_id;
  gint64 into = from != 0 ? pd_store_get_merged_into (pd_session_get_store (self->session),
                                                      from, NULL)
                          : 0;
  g_autofree char *title = NULL;

  if (into == 0)
    return FALSE;
  retarget_edits (self, from, into);
  self->org_id = into;
  reload (self);
  /* Named only when it was the one on screen: opening an organization that was linked away
   * before it showed has no name of its own to give. */
  if (self->org != NULL && shown != NULL && pd_organization_get_id (shown) == from)
    {
      /* Translators: the first %s is a manual organization's name, the second the synced
       * organization another program linked it to */
      title = g_strdup_printf (_("Another program linked “%s” to “%s”: its fields and your "
                                 "edits are here now"),
                               pd_organization_get_name (shown),
                               pd_organization_get_name (self->org));
      _pd_organization_editor_show_toast (self, title, FALSE);
    }
  return TRUE;
}

static void
reload (PdOrganizationEditor *self)
{
  PdStore *store = pd_session_get_store (self->session);
  g_autoptr(PdOrganization) shown = g_steal_pointer (&self->org);
  g_autoptr(GError) error = NULL;

  if (self->org_id != 0)
    self->org = pd_store_get (store, self->org_id, &error);
  if (self->org == NULL && g_error_matches (error, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND)
      && follow_linked_away (self, shown))
    return;
  if (self->org == NULL)
    {
      if (error != NULL && !g_error_matches (error, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND))
        g_warning ("Could not load organization %" G_GINT64_FORMAT ": %s", self->org_id,
                   error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      pd_bill_to_editor_set_organization (self->bill_to_editor, NULL, NULL, 0);
      _pd_organization_editor_actions_update (self);
      return;
    }
  _pd_organization_editor_hold_focus_still (self);
  self->loading = TRUE;
  _pd_organization_editor_show_header (self);
  on_role_changed (self);
  _pd_organization_editor_show_manual_fields (self);
  pd_bill_to_editor_set_organization (self->bill_to_editor, self->org,
                                      pd_store_get_country_rules (store),
                                      pending_bill_to_fields (self));
  _pd_organization_editor_show_local_fields (self);
  _pd_organization_editor_show_registration_problem (self);
  show_history (self);
  self->loading = FALSE;
  _pd_organization_editor_actions_update (self);
  gtk_stack_set_visible_child_name (self->stack, "editor");
}

static void
on_organizations_changed (PdOrganizationEditor *self,
                          gint64                id)
{
  if (self->org_id != 0 && (id == 0 || id == self->org_id))
    reload (self);
}

static void
clear_all_errors (PdOrganizationEditor *self)
{
  for (PdOrgField field = 0; field < PD_N_ORG_FIELDS; field++)
    _pd_organization_editor_clear_key_error (self, pd_org_field_get_info (field)->key);
}

void
pd_organization_editor_set_organization_id (PdOrganizationEditor *self,
                                            gint64                id)
{
  g_return_if_fail (PD_IS_ORGANIZATION_EDITOR (self));

  pd_organization_editor_flush (self);
  if (id != self->org_id)
    {
      clear_all_errors (self);
      /* Undo acts on what is on screen: an older organization's edits are not undone from
       * another one (they stay in its history). */
      _pd_organization_editor_clear_undo (self);
      pd_app_util_dismiss_toast (&self->toast);
      /* Another organization starts at its top, with its name. */
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
    }
  self->org_id = id;
  reload (self);
}

gint64
pd_organization_editor_get_organization_id (PdOrganizationEditor *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_EDITOR (self), 0);

  return self->org_id;
}

/* ---- actions ---- */

static void
show_toast_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  _pd_organization_editor_show_toast (PD_ORGANIZATION_EDITOR (widget),
                                      g_variant_get_string (parameter, NULL), FALSE);
}

static void
copy_tenant_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PdOrganizationEditor *self = PD_ORGANIZATION_EDITOR (widget);

  if (self->org == NULL || pd_organization_get_tenant_id (self->org) == NULL)
    return;
  pd_app_util_copy_text (widget, pd_organization_get_tenant_id (self->org));
  _pd_organization_editor_show_toast (self, _("Tenant ID copied"), FALSE);
}

static void
revert_field_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PdOrganizationEditor *self = PD_ORGANIZATION_EDITOR (widget);
  PdBillToField field = g_variant_get_int32 (parameter);
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) before = NULL;
  g_autofree char *title = NULL;

  if (self->org == NULL || field >= PD_BILL_TO_N_FIELDS)
    return;
  key = pd_editor_key_for_bill_to (field);
  g_hash_table_remove (self->pending, key);
  _pd_organization_editor_actions_update (self);
  _pd_organization_editor_drop_retry (self, self->org_id, key);
  before = g_object_ref (self->org);
  if (!_pd_organization_editor_write_value (self, self->org_id, key, NULL, FALSE, &error))
    {
      _pd_organization_editor_show_toast (self, error->message, FALSE);
      return;
    }
  _pd_organization_editor_push_undo (self, self->org_id, key, before, FALSE);
  /* Translators: %s is a field's label ("Preferred currency", "Notes"); word it so that it
   * fits every field, whatever its gender (French: "Enregistré : %s") */
  title = g_strdup_printf (_("%s reverted to the Partner Center value"),
                           pd_bill_to_field_label (field));
  _pd_organization_editor_show_toast (self, title, TRUE);
  pd_session_notify_changed (self->session, self->org_id);
}

static void
push_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdOrganizationEditor *self = PD_ORGANIZATION_EDITOR (widget);

  /* The push sends what is stored: save what is still being typed first. */
  pd_organization_editor_flush (self);
  if (self->org != NULL)
    pd_bill_to_push_start (self->session, self->org, widget);
}

static void
on_account_checked (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PdOrganizationEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcValidationStatus) status = pd_account_check_finish (result, &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->account_check);
  /* The check recorded the status and reloaded the editor already, while it still ran. */
  if (self->org != NULL)
    _pd_organization_editor_show_account_status (self);
  _pd_organization_editor_actions_update (self);
  if (status != NULL)
    return;
  text = g_strdup_printf (_("Account verification could not be read: %s"), error->message);
  _pd_organization_editor_show_toast (self, text, FALSE);
}

static void
check_account_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PdOrganizationEditor *self = PD_ORGANIZATION_EDITOR (widget);

  if (self->org == NULL || self->account_check != NULL)
    return;
  self->account_check = g_cancellable_new ();
  self->account_check_id = self->org_id;
  _pd_organization_editor_show_account_status (self);
  _pd_organization_editor_actions_update (self);
  pd_account_check_async (self->session, self->org, self->account_check, on_account_checked,
                          g_object_ref (self));
}

static void
approve_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PdOrganizationEditor *self = PD_ORGANIZATION_EDITOR (widget);

  queue_edit (self, "status", pd_org_status_to_string (PD_ORG_STATUS_ACTIVE), 0);
}

static void
focus_registration_number_activated (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (PD_ORGANIZATION_EDITOR (widget)->registration_row));
}

static void
open_erp_owner_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  PdOrganizationEditor *self = PD_ORGANIZATION_EDITOR (widget);

  if (self->erp_owner_id != 0)
    gtk_widget_activate_action (widget, "win.show-organization", "x", self->erp_owner_id);
}

/* ---- life cycle ---- */

static void
set_session (PdOrganizationEditor *self,
             PdSession            *session)
{
  g_return_if_fail (PD_IS_SESSION (session));

  self->session = g_object_ref (session);
  g_signal_connect_object (session, "organizations-changed",
                           G_CALLBACK (on_organizations_changed), self, G_CONNECT_SWAPPED);
  /* The warning's advice (ask the provider, or push) follows the role set in Preferences. */
  g_signal_connect_object (pd_session_get_settings (session), "changed::partner-role",
                           G_CALLBACK (on_role_changed), self, G_CONNECT_SWAPPED);
  /* Checking the account needs Partner Center: the action follows the connection. */
  g_signal_connect_object (session, "notify::client",
                           G_CALLBACK (_pd_organization_editor_actions_update), self,
                           G_CONNECT_SWAPPED);
}

static void
pd_organization_editor_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  PdOrganizationEditor *self = PD_ORGANIZATION_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_organization_editor_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  PdOrganizationEditor *self = PD_ORGANIZATION_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, self->can_undo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_organization_editor_dispose (GObject *object)
{
  PdOrganizationEditor *self = PD_ORGANIZATION_EDITOR (object);

  /* Never lose an edit: a window closing with a pending save still writes it, and tries once
   * more those the cache was busy for. */
  if (self->session != NULL && self->pending != NULL)
    {
      pd_organization_editor_flush (self);
      g_clear_handle_id (&self->retry_id, g_source_remove);
      write_retries (self, PD_STORE_LOCK_WAIT_MS);
      if (self->retries->len > 0)
        g_warning ("%u edits could not be saved: the cache stayed busy", self->retries->len);
    }
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->clock_id, g_source_remove);
  g_clear_pointer (&self->history_day, g_free);
  g_clear_pointer (&self->retries, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_cancellable_cancel (self->account_check);
  g_clear_object (&self->account_check);
  _pd_organization_editor_clear_undo (self);
  g_clear_weak_pointer (&self->toast);
  g_clear_weak_pointer (&self->anchor);
  g_clear_object (&self->org);
  /* AdwBin keeps its own pointer to the bound toast overlay: drop it before the template does. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_ORGANIZATION_EDITOR);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (pd_organization_editor_parent_class)->dispose (object);
}

static void
install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "editor.show-toast", "s", show_toast_activated);
  gtk_widget_class_install_action (widget_class, "editor.copy-tenant-id", NULL,
                                   copy_tenant_activated);
  gtk_widget_class_install_action (widget_class, "editor.revert-bill-to-field", "i",
                                   revert_field_activated);
  gtk_widget_class_install_action (widget_class, "editor.push-bill-to", NULL, push_activated);
  gtk_widget_class_install_action (widget_class, "editor.approve", NULL, approve_activated);
  gtk_widget_class_install_action (widget_class, "editor.check-account-status", NULL,
                                   check_account_activated);
  gtk_widget_class_install_action (widget_class, "editor.open-erp-owner", NULL,
                                   open_erp_owner_activated);
  gtk_widget_class_install_action (widget_class, "editor.focus-registration-number", NULL,
                                   focus_registration_number_activated);
}

static void
pd_organization_editor_class_init (PdOrganizationEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_organization_editor_dispose;
  object_class->set_property = pd_organization_editor_set_property;
  object_class->get_property = pd_organization_editor_get_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, PD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PD_TYPE_BILL_TO_EDITOR);
  g_type_ensure (PD_TYPE_CODE_ROW);
  g_type_ensure (PD_TYPE_ENTRY_ROW);
  g_type_ensure (PD_TYPE_HISTORY_LIST);
  g_type_ensure (PD_TYPE_TAG_ROW);
  pd_app_util_set_template (widget_class, "pd-organization-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, stack);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, name_label);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, removed_box);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, tenant_row);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, copy_tenant_button);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, domain_row);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, source_row);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, synced_row);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, account_row);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, account_spinner);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, manual_group);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, domain_edit_row);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, country_row);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, link_row);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, bill_to_editor);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, erp_row);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, erp_error_row);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, registration_row);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, segments_row);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, currency_row);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, status_row);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, approve_button);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, login_row);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, manager_row);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, history_list);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationEditor, scroller);
  gtk_widget_class_bind_template_callback (widget_class, on_bill_to_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_row_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_tags_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_code_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_status_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_link_apply);
  install_actions (widget_class);
}

static void
on_field_left (PdOrganizationEditor *self)
{
  /* The focus also leaves while the editor is being taken down. */
  if (self->pending != NULL && self->session != NULL)
    pd_organization_editor_flush (self);
}

/* Every entry row and the notes save at once on Enter or when the focus leaves them. Their
 * own undo is off: Ctrl+Z is the window's undo of saved changes. */
static void
connect_fields (PdOrganizationEditor *self,
                GtkWidget            *root)
{
  if (GTK_IS_TEXT (root))
    gtk_editable_set_enable_undo (GTK_EDITABLE (root), FALSE);
  if (PD_IS_ENTRY_ROW (root) || GTK_IS_TEXT_VIEW (root))
    {
      GtkEventController *focus = gtk_event_controller_focus_new ();

      g_signal_connect_swapped (focus, "leave", G_CALLBACK (on_field_left), self);
      gtk_widget_add_controller (root, focus);
    }
  if (PD_IS_ENTRY_ROW (root))
    g_signal_connect_swapped (root, "entry-activated", G_CALLBACK (on_field_left), self);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    connect_fields (self, child);
}

static void
fill_combo_models (PdOrganizationEditor *self)
{
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);

  for (PdOrgStatus s = PD_ORG_STATUS_NEW; s <= PD_ORG_STATUS_BLOCKED; s++)
    gtk_string_list_append (statuses, pd_org_status_label (s));
  pd_app_util_name_combo_items (self->status_row);
  adw_combo_row_set_model (self->status_row, G_LIST_MODEL (statuses));
}

static void
pd_organization_editor_init (PdOrganizationEditor *self)
{
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  pd_app_util_fix_accessible_names (GTK_WIDGET (self));
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) pending_edit_free);
  self->retries = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_edit_free);
  g_queue_init (&self->undo);
  /* The empty page's scroller took a Tab stop with no name and no focus ring (AT-SPI: "scroll
   * pane"): it holds only text. */
  for (GtkWidget *w = gtk_stack_get_child_by_name (self->stack, "empty"); w != NULL;
       w = gtk_widget_get_first_child (w))
    if (GTK_IS_SCROLLED_WINDOW (w))
      gtk_widget_set_can_focus (w, FALSE);
  /* "as last read 5 minutes ago" and "Today at 14:02" age while the pane stays open. */
  self->clock_id = g_timeout_add_seconds (60, on_clock, self);
  g_object_set_data (G_OBJECT (self->erp_row), "key", (gpointer) "erp-id");
  g_object_set_data (G_OBJECT (self->registration_row), "key", (gpointer) "registration-number");
  g_object_set_data (G_OBJECT (self->manager_row), "key", (gpointer) "account-manager");
  g_object_set_data (G_OBJECT (self->name_row), "key", (gpointer) "name");
  g_object_set_data (G_OBJECT (self->domain_edit_row), "key", (gpointer) "domain");
  g_object_set_data (G_OBJECT (self->segments_row), "key", (gpointer) "segments");
  g_object_set_data (G_OBJECT (self->login_row), "key", (gpointer) "login-options");
  g_object_set_data (G_OBJECT (self->country_row), "key", (gpointer) "country");
  g_object_set_data (G_OBJECT (self->currency_row), "key", (gpointer) "currency");
  fill_combo_models (self);
  connect_fields (self, GTK_WIDGET (self));
  gtk_text_buffer_set_enable_undo (gtk_text_view_get_buffer (self->notes_view), FALSE);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->notes_view), "changed",
                            G_CALLBACK (on_notes_changed), self);
  _pd_organization_editor_actions_update (self);
  self->loading = FALSE;
}

GtkWidget *
pd_organization_editor_new (PdSession *session)
{
  return g_object_new (PD_TYPE_ORGANIZATION_EDITOR, "session", session, NULL);
}
