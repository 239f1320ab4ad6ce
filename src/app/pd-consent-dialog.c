/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-consent-dialog.c — the reseller-relationship link (partner-center-api.md §8).
 *
 * The API gives the link when signed in; offline (or when the call fails) it is built from
 * the partner tenant id and labelled so. The DAP switch rewrites the link's DAP parameter.
 * Partner Center makes the link for direct partners and indirect providers: a reseller is
 * told so, and gets no link to copy or send. When no e-mail program opens, the e-mail text
 * can be copied instead. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-app-util.h"
#include "pd-consent-dialog.h"

struct _PdConsentDialog
{
  AdwWindow        parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkWidget       *reseller_label;
  GtkStack        *stack;
  GtkSpinner      *spinner;
  GtkLabel        *source_label;
  GtkLabel        *link_label;
  GtkSwitch       *dap_switch;
  GtkWidget       *copy_button;
  GtkWidget       *email_failed_box;
  GtkLabel        *email_failed_label;

  PdSession       *session;
  GCancellable    *cancellable;
  char            *base_link;  /* as received or built, before the DAP switch */
  char            *link;       /* what Copy and E-mail send */
};

G_DEFINE_FINAL_TYPE (PdConsentDialog, pd_consent_dialog, ADW_TYPE_WINDOW)

static void
update_link (PdConsentDialog *self)
{
  gboolean ready = self->base_link != NULL;

  g_clear_pointer (&self->link, g_free);
  if (ready)
    self->link = pd_pc_consent_link_with_dap (self->base_link,
                                              gtk_switch_get_active (self->dap_switch));
  gtk_label_set_label (self->link_label, self->link != NULL ? self->link : "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "consent.copy", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "consent.email", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "consent.copy-email", ready);
}

static void
show_link (PdConsentDialog *self,
           const char      *link,
           const char      *source)
{
  g_free (self->base_link);
  self->base_link = g_strdup (link);
  gtk_label_set_label (self->source_label, source);
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "link");
  update_link (self);
  /* Otherwise the selectable link takes the focus and shows up all selected. */
  gtk_window_set_focus (GTK_WINDOW (self), self->copy_button);
}

static void
build_offline (PdConsentDialog *self)
{
  g_autofree char *partner_id = pd_app_util_dup_partner_tenant_id (self->session);
  g_autofree char *link = NULL;

  gtk_spinner_stop (self->spinner);
  if (partner_id == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      update_link (self);
      return;
    }
  link = pd_pc_build_consent_link (partner_id, FALSE);
  show_link (self, link, _("Built offline from your partner ID"));
}

static void
on_relationship_request (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(PdConsentDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *link = pd_pc_client_get_relationship_request_finish (PD_PC_CLIENT (source),
                                                                        result, &error);

  /* The dialog was closed meanwhile (disposed, or the request cancelled): nothing to show. */
  if (self->session == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (link == NULL)
    {
      g_debug ("Relationship request failed, building the link offline: %s", error->message);
      build_offline (self);
      return;
    }
  show_link (self, link, _("From Partner Center"));
}

static void
start (PdConsentDialog *self)
{
  PdPcClient *client = pd_session_get_client (self->session);
  gboolean reseller = pd_session_get_role (self->session) == PD_PARTNER_ROLE_RESELLER;

  gtk_widget_set_visible (self->reseller_label, reseller);
  gtk_widget_set_visible (GTK_WIDGET (self->stack), !reseller);
  if (reseller)
    return;
  if (client == NULL)
    {
      build_offline (self);
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_start (self->spinner);
  pd_pc_client_get_relationship_request_async (client, self->cancellable,
                                               on_relationship_request, g_object_ref (self));
}

static void
copy_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdConsentDialog *self = PD_CONSENT_DIALOG (widget);

  pd_app_util_copy_text (widget, self->link);
  pd_app_util_add_toast (self->toast_overlay, pd_app_util_new_toast (_("Link copied")));
}

/* The invitation e-mail, sent or copied: its subject, and its body (dup_email_body). */
static const char *
email_subject (void)
{
  return _("Microsoft partner invitation");
}

static char *
dup_email_body (PdConsentDialog *self)
{
  return g_strdup_printf (_("Hello,\n\nTo let us manage your Microsoft subscriptions as your "
                            "Cloud Solution Provider, please have a Global Administrator of your "
                            "organization open this link and accept the invitation:\n\n%s\n\n"
                            "Thank you."), self->link);
}

static void
on_email_shown (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PdConsentDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->session == NULL)
    return;
  text = g_strdup_printf (_("No e-mail program could be opened (%s). Copy the e-mail text and "
                            "paste it into a new message to the customer."), error->message);
  gtk_label_set_label (self->email_failed_label, text);
  gtk_widget_set_visible (self->email_failed_box, TRUE);
  gtk_widget_grab_focus (gtk_widget_get_last_child (self->email_failed_box));
}

static void
email_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PdConsentDialog *self = PD_CONSENT_DIALOG (widget);
  g_autofree char *body = NULL;
  g_autofree char *uri = NULL;

  if (self->link == NULL)
    return;
  body = dup_email_body (self);
  uri = pd_app_util_build_mailto (email_subject (), body);
  gtk_show_uri_full (GTK_WINDOW (self), uri, GDK_CURRENT_TIME, self->cancellable, on_email_shown,
                     g_object_ref (self));
}

static void
copy_email_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PdConsentDialog *self = PD_CONSENT_DIALOG (widget);
  g_autofree char *body = NULL;
  g_autofree char *text = NULL;

  if (self->link == NULL)
    return;
  body = dup_email_body (self);
  /* Translators: the copied e-mail: "Subject: <subject>", a blank line, then the body. */
  text = g_strdup_printf (_("Subject: %s\n\n%s"), email_subject (), body);
  pd_app_util_copy_text (widget, text);
  pd_app_util_add_toast (self->toast_overlay, pd_app_util_new_toast (_("E-mail text copied")));
}

static void
pd_consent_dialog_dispose (GObject *object)
{
  PdConsentDialog *self = PD_CONSENT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_CONSENT_DIALOG);
  g_clear_object (&self->session);
  g_clear_pointer (&self->base_link, g_free);
  g_clear_pointer (&self->link, g_free);
  G_OBJECT_CLASS (pd_consent_dialog_parent_class)->dispose (object);
}

static void
pd_consent_dialog_class_init (PdConsentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_consent_dialog_dispose;

  pd_app_util_set_template (widget_class, "pd-consent-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PdConsentDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdConsentDialog, reseller_label);
  gtk_widget_class_bind_template_child (widget_class, PdConsentDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, PdConsentDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, PdConsentDialog, source_label);
  gtk_widget_class_bind_template_child (widget_class, PdConsentDialog, link_label);
  gtk_widget_class_bind_template_child (widget_class, PdConsentDialog, dap_switch);
  /* Reachable by tests through gtk_widget_get_template_child (no field needed). */
  gtk_widget_class_bind_template_child (widget_class, PdConsentDialog, copy_button);
  gtk_widget_class_bind_template_child (widget_class, PdConsentDialog, email_failed_box);
  gtk_widget_class_bind_template_child (widget_class, PdConsentDialog, email_failed_label);
  gtk_widget_class_bind_template_child_full (widget_class, "email_button", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, update_link);

  gtk_widget_class_install_action (widget_class, "consent.copy", NULL, copy_activated);
  gtk_widget_class_install_action (widget_class, "consent.email", NULL, email_activated);
  gtk_widget_class_install_action (widget_class, "consent.copy-email", NULL,
                                   copy_email_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pd_consent_dialog_init (PdConsentDialog *self)
{
  g_autoptr(PangoAttrList) attributes = pango_attr_list_new ();

  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  pd_app_util_fix_accessible_names (GTK_WIDGET (self));
  /* Its row's title labels it too (activatable-widget): with its own label, it was read twice. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->dap_switch),
                                 GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  /* A URL wraps anywhere, but a hyphen inserted at the break would look like part of it. */
  pango_attr_list_insert (attributes, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (self->link_label, attributes);
  update_link (self);
}

GtkWidget *
pd_consent_dialog_new (PdSession *session,
                       GtkWindow *parent)
{
  PdConsentDialog *self;

  g_return_val_if_fail (PD_IS_SESSION (session), NULL);

  self = g_object_new (PD_TYPE_CONSENT_DIALOG, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  start (self);
  return GTK_WIDGET (self);
}
