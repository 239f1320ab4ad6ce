/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-new-organization-dialog.c — a manual organization, steered away from duplicates.
 *
 * While the user types, the duplicate index is asked (debounced) for organizations that look
 * like the same customer. A strong match (same domain, ERP ID or tenant, or a very similar
 * name) disables Create until the user says it is a different customer. The index is built
 * in a thread when the dialog opens (not at startup: it is large); until it is in, the
 * dialog says it is still checking. The guard fails closed: Create stays disabled until the
 * check has run on what is typed, and an index that cannot be built is shown with Retry. */
#include "config.h"

#include <glib/gi18n.h>

#include "core/pd-text.h"
#include "pd-app-util.h"
#include "pd-code-row.h"
#include "pd-entry-row.h"
#include "pd-new-organization-dialog.h"

#define MATCH_DELAY_MS   150
#define MIN_SCORE        0.5
#define STRONG_SCORE     0.85
#define MAX_MATCHES      5

struct _PdNewOrganizationDialog
{
  AdwWindow       parent_instance;

  GtkWidget      *create_button;
  PdEntryRow     *name_row;
  PdEntryRow     *domain_row;
  PdCodeRow   *country_row;
  PdEntryRow     *erp_row;
  GtkLabel       *error_label;
  GtkWidget      *checking_box;
  GtkWidget      *failed_box;
  GtkLabel       *failed_label;
  GtkWidget      *matches_group;
  GtkListBox     *matches_list;
  GtkCheckButton *different_check;

  PdSession      *session;
  guint           match_source_id;
  gboolean        strong_match;
  gboolean        checked;        /* the matches shown are for what is typed now */
  gint64          checked_since;  /* the newest organization that check knew of */
  gboolean        index_failed;   /* the last build failed; Retry builds again */
};

G_DEFINE_FINAL_TYPE (PdNewOrganizationDialog, pd_new_organization_dialog, ADW_TYPE_WINDOW)

static char *
dup_trimmed (PdEntryRow  *row)
{
  char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static void
update_create_sensitive (PdNewOrganizationDialog *self)
{
  g_autofree char *name = dup_trimmed (self->name_row);
  gboolean allowed = name != NULL && self->checked
                     && (!self->strong_match
                         || gtk_check_button_get_active (self->different_check));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "new-organization.create", allowed);
}

static void
activate_on_parent (PdNewOrganizationDialog *self,
                    const char              *action,
                    GVariant                *parameter)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autoptr(GVariant) param = parameter != NULL ? g_variant_ref_sink (parameter) : NULL;

  if (parent != NULL
      && !gtk_widget_activate_action_variant (GTK_WIDGET (parent), action, param))
    g_debug ("%s is not available on the parent window", action);
}

static void
on_open_existing (GtkButton               *button,
                  PdNewOrganizationDialog *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "org-id"));

  activate_on_parent (self, "win.show-organization", g_variant_new_int64 (id));
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_send_consent (GtkButton               *button,
                 PdNewOrganizationDialog *self)
{
  /* The dialog's job is done: the customer joins through the link, not as a manual copy. */
  activate_on_parent (self, "win.consent-link", NULL);
  gtk_window_close (GTK_WINDOW (self));
}

static GtkWidget *
create_match_button (PdNewOrganizationDialog *self,
                     const char              *label,
                     const char              *accessible,
                     GCallback                callback)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  /* Not its mnemonic label too: "Open existing organization Contoso Open Existing". */
  pd_app_util_set_accessible_name (button, accessible);
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

static gboolean
match_is_strong (const PdDuplicateMatch *match)
{
  PdMatchReason exact = PD_MATCH_SAME_TENANT | PD_MATCH_SAME_DOMAIN | PD_MATCH_SAME_ERP_ID;

  return (match->reasons & exact) != 0 || match->score >= STRONG_SCORE;
}

static GtkWidget *
create_match_row (PdNewOrganizationDialog *self,
                  const PdDuplicateMatch  *match)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *reasons = pd_match_reasons_to_string (match->reasons);
  g_autofree char *subtitle = NULL;
  g_autofree char *name = pd_text_for_label (match->name);
  g_autofree char *open_label = g_strdup_printf (_("Open existing organization %s"), name);
  g_autofree char *consent_label =
    g_strdup_printf (_("Send the consent link instead of creating %s"), name);
  GtkWidget *open;
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  subtitle = match->tenant_id != NULL
             /* Translators: "same domain, similar name · Tenant ID 1234…". */
             ? g_strdup_printf (_("%s · Tenant ID %s"), reasons, match->tenant_id)
             : g_strdup_printf (_("%s · created in Partner Desk"), reasons);
  pd_app_util_set_row_text (ADW_ACTION_ROW (row), match->name, subtitle);
  open = create_match_button (self, _("_Open Existing"), open_label, G_CALLBACK (on_open_existing));
  g_object_set_data (G_OBJECT (open), "org-id", GSIZE_TO_POINTER ((gsize) match->org_id));
  /* One above the other: side by side they left the name a letter's width at 360 px, and
   * the dialog grew past the screen. */
  gtk_widget_set_valign (buttons, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (buttons, 6);
  gtk_widget_set_margin_bottom (buttons, 6);
  gtk_box_append (GTK_BOX (buttons), open);
  gtk_box_append (GTK_BOX (buttons),
                  create_match_button (self, _("Send _Consent Link"), consent_label,
                                       G_CALLBACK (on_send_consent)));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), buttons);
  return row;
}

static void
show_matches (PdNewOrganizationDialog *self,
              GPtrArray               *matches)
{
  pd_app_util_list_box_clear (self->matches_list);
  self->strong_match = FALSE;
  for (guint i = 0; matches != NULL && i < matches->len; i++)
    {
      PdDuplicateMatch *match = g_ptr_array_index (matches, i);

      self->strong_match |= match_is_strong (match);
      gtk_list_box_append (self->matches_list, create_match_row (self, match));
    }
  gtk_widget_set_visible (self->matches_group, matches != NULL && matches->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->different_check), self->strong_match);
  update_create_sensitive (self);
}

/* The index, or NULL while it is first built (started here if needed) or after a failure.
 * refresh: whether one that another program's commits made stale is built again meanwhile
 * (on typing, not when a build arrives: that would rebuild for as long as a sync commits). */
static PdDuplicates *
ensure_index (PdNewOrganizationDialog *self,
              gboolean                 refresh)
{
  PdDuplicates *index = pd_session_peek_duplicates (self->session);

  if ((index == NULL || refresh) && !self->index_failed)
    pd_session_warm_duplicates (self->session, NULL);
  gtk_widget_set_visible (self->checking_box, index == NULL && !self->index_failed);
  gtk_widget_set_visible (self->failed_box, index == NULL && self->index_failed);
  return index;
}

static void
check_typed (PdNewOrganizationDialog *self,
             gboolean                 refresh)
{
  g_autofree char *name = dup_trimmed (self->name_row);
  g_autofree char *domain = dup_trimmed (self->domain_row);
  g_autofree char *erp = dup_trimmed (self->erp_row);
  g_autoptr(GPtrArray) matches = NULL;
  gboolean typed = name != NULL || domain != NULL || erp != NULL;
  PdDuplicates *index = ensure_index (self, refresh);

  self->checked = index != NULL;
  self->checked_since = index != NULL ? pd_duplicates_get_built_up_to (index) : 0;
  if (typed && index != NULL)
    matches = pd_duplicates_find (index, name, domain, NULL, erp, 0, MIN_SCORE, MAX_MATCHES);
  show_matches (self, matches);
}

static gboolean
on_match_timeout (gpointer data)
{
  PdNewOrganizationDialog *self = data;

  self->match_source_id = 0;
  check_typed (self, TRUE);
  return G_SOURCE_REMOVE;
}

static void
on_duplicates_ready (PdNewOrganizationDialog *self)
{
  g_clear_handle_id (&self->match_source_id, g_source_remove);
  check_typed (self, FALSE);
}

static void
on_duplicates_failed (PdNewOrganizationDialog *self,
                      const char              *message)
{
  g_autofree char *text =
    g_strdup_printf (_("Could not check for existing organizations: %s"), message);

  self->index_failed = TRUE;
  gtk_label_set_label (self->failed_label, text);
  on_duplicates_ready (self);
}

static void
retry_check_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PdNewOrganizationDialog *self = PD_NEW_ORGANIZATION_DIALOG (widget);

  self->index_failed = FALSE;
  on_duplicates_ready (self);
}

static void
on_input_changed (PdNewOrganizationDialog *self)
{
  self->checked = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  /* A field's mark goes once it is typed in; the next Create checks again. */
  pd_app_util_set_error (GTK_WIDGET (self->name_row), NULL);
  pd_app_util_set_error (GTK_WIDGET (self->domain_row), NULL);
  pd_app_util_set_error (GTK_WIDGET (self->erp_row), NULL);
  g_clear_handle_id (&self->match_source_id, g_source_remove);
  self->match_source_id = g_timeout_add (MATCH_DELAY_MS, on_match_timeout, self);
  update_create_sensitive (self);
}

/* Marks the first field whose value cannot be saved (under it, and to a screen reader, as
 * every field says what is wrong with it) and takes the keyboard there; FALSE then. The other
 * fields' marks go. */
static gboolean
check_fields (PdNewOrganizationDialog *self,
              const char              *name,
              const char              *domain,
              const char              *erp)
{
  struct { PdEntryRow *row; PdOrgField field; const char *value; } fields[] = {
    { self->name_row, PD_ORG_FIELD_NAME, name },
    { self->domain_row, PD_ORG_FIELD_DOMAIN, domain },
    { self->erp_row, PD_ORG_FIELD_ERP_ID, erp },
  };
  gboolean ok = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr(GError) error = NULL;

      if (ok && !pd_store_check_value (fields[i].field, fields[i].value, &error))
        {
          ok = FALSE;
          pd_app_util_set_error (GTK_WIDGET (fields[i].row), error->message);
          gtk_widget_grab_focus (GTK_WIDGET (fields[i].row));
        }
      else
        pd_app_util_set_error (GTK_WIDGET (fields[i].row), NULL);
    }
  return ok;
}

static void
create_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PdNewOrganizationDialog *self = PD_NEW_ORGANIZATION_DIALOG (widget);
  g_autofree char *name = dup_trimmed (self->name_row);
  g_autofree char *domain = dup_trimmed (self->domain_row);
  g_autofree char *erp = dup_trimmed (self->erp_row);
  g_autoptr(GError) error = NULL;
  PdDuplicatesCreate create = { name, domain, erp, MIN_SCORE, MAX_MATCHES, NULL };
  PdStoreCreateGuard added_since = { self->checked_since, pd_duplicates_check_added, &create };
  gint64 id;

  if (name == NULL || !self->checked || !check_fields (self, name, domain, erp))
    return;
  id = pd_store_create_manual_guarded (pd_session_get_store (self->session), name, domain,
                                       pd_code_row_get_code (self->country_row), erp,
                                       &added_since, &error);
  /* Refused for what another program just added: it is shown, and the next Create is the
   * user's decision about it (a strong match asks them to confirm first). */
  if (create.matches != NULL && create.matches->len > 0)
    {
      for (guint i = 0; i < create.matches->len; i++)
        self->checked_since = MAX (self->checked_since,
                                   ((PdDuplicateMatch *) create.matches->pdata[i])->org_id);
      show_matches (self, create.matches);
    }
  g_clear_pointer (&create.matches, g_ptr_array_unref);
  if (id == 0 && g_error_matches (error, PD_STORE_ERROR, PD_STORE_ERROR_ERP_ID_TAKEN))
    {
      pd_app_util_set_error (GTK_WIDGET (self->erp_row), error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->erp_row));
      return;
    }
  if (id == 0)
    {
      /* Keep everything typed: the user fixes the one field and tries again. */
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }
  pd_session_notify_changed (self->session, id);
  activate_on_parent (self, "win.show-organization", g_variant_new_int64 (id));
  gtk_window_close (GTK_WINDOW (self));
}

/* Enter pressed before the typing pause ends: the check runs now and Create follows if it is
 * then allowed, so the press is not lost. (The window's default would still see Create as
 * disabled within this emission.) */
static void
on_text_activate (GtkText                 *text,
                  PdNewOrganizationDialog *self)
{
  if (self->match_source_id == 0)
    return;   /* checked: Create is the default widget */
  on_duplicates_ready (self);
  g_signal_stop_emission_by_name (text, "activate");
  gtk_widget_activate_action (GTK_WIDGET (self), "new-organization.create", NULL);
}

/* Enter in any text field creates, as in other GNOME dialogs (when Create is allowed). */
static void
activate_default_on_enter (PdNewOrganizationDialog *self)
{
  PdEntryRow  *rows[] = { self->name_row, self->domain_row, self->erp_row };

  gtk_window_set_default_widget (GTK_WINDOW (self), self->create_button);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (rows[i]));

      if (!GTK_IS_TEXT (text))
        continue;
      g_signal_connect (text, "activate", G_CALLBACK (on_text_activate), self);
      gtk_text_set_activates_default (GTK_TEXT (text), TRUE);
    }
}

static void
pd_new_organization_dialog_dispose (GObject *object)
{
  PdNewOrganizationDialog *self = PD_NEW_ORGANIZATION_DIALOG (object);

  g_clear_handle_id (&self->match_source_id, g_source_remove);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_NEW_ORGANIZATION_DIALOG);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (pd_new_organization_dialog_parent_class)->dispose (object);
}

static void
pd_new_organization_dialog_class_init (PdNewOrganizationDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_new_organization_dialog_dispose;

  g_type_ensure (PD_TYPE_CODE_ROW);
  g_type_ensure (PD_TYPE_ENTRY_ROW);

  pd_app_util_set_template (widget_class, "pd-new-organization-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PdNewOrganizationDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, PdNewOrganizationDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, PdNewOrganizationDialog, domain_row);
  gtk_widget_class_bind_template_child (widget_class, PdNewOrganizationDialog, country_row);
  gtk_widget_class_bind_template_child (widget_class, PdNewOrganizationDialog, erp_row);
  gtk_widget_class_bind_template_child (widget_class, PdNewOrganizationDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, PdNewOrganizationDialog, checking_box);
  gtk_widget_class_bind_template_child (widget_class, PdNewOrganizationDialog, failed_box);
  gtk_widget_class_bind_template_child (widget_class, PdNewOrganizationDialog, failed_label);
  gtk_widget_class_bind_template_child (widget_class, PdNewOrganizationDialog, matches_group);
  gtk_widget_class_bind_template_child (widget_class, PdNewOrganizationDialog, matches_list);
  gtk_widget_class_bind_template_child (widget_class, PdNewOrganizationDialog, different_check);
  gtk_widget_class_bind_template_callback (widget_class, on_input_changed);
  gtk_widget_class_bind_template_callback (widget_class, update_create_sensitive);

  gtk_widget_class_install_action (widget_class, "new-organization.create", NULL, create_activated);
  gtk_widget_class_install_action (widget_class, "new-organization.retry-check", NULL,
                                   retry_check_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pd_new_organization_dialog_init (PdNewOrganizationDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  pd_app_util_fix_accessible_names (GTK_WIDGET (self));
  activate_default_on_enter (self);
  update_create_sensitive (self);
  /* The first thing to do is type the name (the header bar's Cancel would come first). */
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

GtkWidget *
pd_new_organization_dialog_new (PdSession *session,
                                GtkWindow *parent)
{
  PdNewOrganizationDialog *self;

  g_return_val_if_fail (PD_IS_SESSION (session), NULL);

  self = g_object_new (PD_TYPE_NEW_ORGANIZATION_DIALOG, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_object (session, "duplicates-ready", G_CALLBACK (on_duplicates_ready), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "duplicates-failed", G_CALLBACK (on_duplicates_failed), self,
                           G_CONNECT_SWAPPED);
  /* Start now, so the index is usually ready by the time the first name is typed. */
  ensure_index (self, TRUE);
  return GTK_WIDGET (self);
}
