/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sign-in-dialog.c — the device code flow, shown: the code large, Copy, Open Browser,
 * a waiting state, and errors with Try Again. Closing the dialog cancels the sign-in. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-app-util.h"
#include "pd-application.h"
#include "pd-sign-in-dialog.h"
#include "pd-window.h"

struct _PdSignInDialog
{
  AdwWindow        parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkSpinner      *starting_spinner;
  GtkLabel        *code_label;
  GtkLabel        *uri_label;
  GtkSpinner      *waiting_spinner;
  AdwStatusPage   *error_page;

  PdSession       *session;
  PdAuth          *auth;
  GCancellable    *cancellable;
  char            *verification_uri;
};

G_DEFINE_FINAL_TYPE (PdSignInDialog, pd_sign_in_dialog, ADW_TYPE_WINDOW)

static void
show_error (PdSignInDialog *self,
            const GError   *error)
{
  const char *message = error->message;

  if (g_error_matches (error, PD_AUTH_ERROR, PD_AUTH_ERROR_DECLINED))
    message = _("The sign-in was declined in the browser.");
  else if (g_error_matches (error, PD_AUTH_ERROR, PD_AUTH_ERROR_EXPIRED))
    message = _("The code expired before the sign-in was approved.");
  else if (g_error_matches (error, PD_AUTH_ERROR, PD_AUTH_ERROR_NO_SECRET_SERVICE))
    message = _("No keyring is available to keep the sign-in. Start a Secret Service "
                "(for example GNOME Keyring) and try again.");
  adw_status_page_set_description (self->error_page, message);
  gtk_spinner_stop (self->starting_spinner);
  gtk_spinner_stop (self->waiting_spinner);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
show_code (const PdDeviceCode *code,
           gpointer            user_data)
{
  PdSignInDialog *self = user_data;

  if (self->session == NULL)
    return;
  g_free (self->verification_uri);
  self->verification_uri = g_strdup (code->verification_uri);
  gtk_label_set_label (self->code_label, code->user_code);
  gtk_label_set_label (self->uri_label, code->verification_uri);
  gtk_spinner_stop (self->starting_spinner);
  gtk_spinner_start (self->waiting_spinner);
  gtk_stack_set_visible_child_name (self->stack, "code");
}

/* The question is transient for this dialog and still unwinding its response: close after. */
static gboolean
close_when_idle (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
close_later (PdSignInDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_when_idle, g_object_ref (self), g_object_unref);
}

static void
on_other_account_response (AdwMessageDialog *dialog,
                           const char       *response,
                           PdSignInDialog   *self)
{
  g_autoptr(GError) error = NULL;
  GApplication *app = g_application_get_default ();

  if (g_strcmp0 (response, "open") != 0)
    {
      /* Forget this sign-in: the next start must not restore an account the user declined. */
      pd_auth_sign_out_async (self->auth, NULL, NULL, NULL);
      close_later (self);
      return;
    }
  if (!PD_IS_APPLICATION (app))
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                         _("Another cache can only be opened from the Partner Desk window."));
  if (error != NULL
      || !pd_application_open_account_cache (PD_APPLICATION (app), self->auth, &error))
    {
      show_error (self, error);
      return;
    }
  close_later (self);
}

/* The cache holds another account's customers: open the signed-in account's own cache, or
 * cancel. Never a mix. */
static void
offer_account_cache (PdSignInDialog *self,
                     const GError   *error)
{
  g_autofree char *body = g_strdup_printf ("%s\n\n%s", error->message,
                                           _("Partner Desk keeps one cache per account: open "
                                             "the cache of the account you signed in with, or "
                                             "cancel."));
  const PdAppQuestion answers = { "cancel", _("_Cancel"), "open", _("_Open Its Own Cache"),
                                  ADW_RESPONSE_SUGGESTED, TRUE };
  GtkWidget *dialog = pd_app_util_new_question (GTK_WINDOW (self),
                                                _("Another Partner Center Account"), body,
                                                &answers);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_other_account_response), self,
                           0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
connect_session (PdSignInDialog *self)
{
  g_autoptr(GError) error = NULL;
  PdStore *store = pd_session_get_store (self->session);
  const char *tenant = pd_auth_get_tenant_id (self->auth);

  if (tenant != NULL && !pd_store_check_partner (store, tenant, NULL, NULL, &error))
    {
      offer_account_cache (self, error);
      return;
    }
  if (!pd_session_connect_account (self->session, self->auth, &error))
    {
      show_error (self, error);
      return;
    }
  /* Without a keyring the sign-in holds until Partner Desk quits: said now, not at the next
   * start's unexpected sign-in. */
  if (pd_auth_get_keep_error (self->auth) != NULL)
    {
      GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

      g_message ("The sign-in could not be kept: %s",
                 pd_auth_get_keep_error (self->auth)->message);
      if (PD_IS_WINDOW (parent))
        pd_window_add_toast (PD_WINDOW (parent),
                             _("Signed in until Partner Desk quits: the keyring could not keep "
                               "the sign-in"));
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_signed_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PdSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pd_auth_sign_in_finish (PD_AUTH (source), result, &error))
    {
      /* Cancelled means the user closed the dialog: nothing left to show. */
      if (self->session != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }
  if (self->session != NULL)
    connect_session (self);
}

static void
start (PdSignInDialog *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->auth);
  self->auth = pd_session_new_auth (self->session, &error);
  if (self->auth == NULL)
    {
      show_error (self, error);
      return;
    }
  /* PARTNER_DESK_ACCESS_TOKEN: already signed in, nothing to approve. */
  if (pd_auth_get_signed_in (self->auth))
    {
      connect_session (self);
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "starting");
  gtk_spinner_start (self->starting_spinner);
  pd_auth_sign_in_async (self->auth, show_code, self, self->cancellable, on_signed_in,
                         g_object_ref (self));
}

static gboolean
start_idle (gpointer data)
{
  PdSignInDialog *self = data;

  /* Closed before the main loop ran: nothing to sign in for. */
  if (self->session != NULL)
    start (self);
  return G_SOURCE_REMOVE;
}

static void
copy_code_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PdSignInDialog *self = PD_SIGN_IN_DIALOG (widget);

  pd_app_util_copy_text (widget, gtk_label_get_label (self->code_label));
  pd_app_util_add_toast (self->toast_overlay, pd_app_util_new_toast (_("Code copied")));
}

static void
open_browser_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PdSignInDialog *self = PD_SIGN_IN_DIALOG (widget);

  if (self->verification_uri != NULL)
    gtk_show_uri (GTK_WINDOW (self), self->verification_uri, GDK_CURRENT_TIME);
}

static void
retry_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  start (PD_SIGN_IN_DIALOG (widget));
}

static void
pd_sign_in_dialog_dispose (GObject *object)
{
  PdSignInDialog *self = PD_SIGN_IN_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_SIGN_IN_DIALOG);
  g_clear_object (&self->auth);
  g_clear_object (&self->session);
  g_clear_pointer (&self->verification_uri, g_free);
  G_OBJECT_CLASS (pd_sign_in_dialog_parent_class)->dispose (object);
}

static void
pd_sign_in_dialog_class_init (PdSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_sign_in_dialog_dispose;

  pd_app_util_set_template (widget_class, "pd-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PdSignInDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdSignInDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, PdSignInDialog, starting_spinner);
  gtk_widget_class_bind_template_child (widget_class, PdSignInDialog, code_label);
  gtk_widget_class_bind_template_child (widget_class, PdSignInDialog, uri_label);
  gtk_widget_class_bind_template_child (widget_class, PdSignInDialog, waiting_spinner);
  gtk_widget_class_bind_template_child (widget_class, PdSignInDialog, error_page);
  /* Reachable by tests through gtk_widget_get_template_child (no field needed). */
  gtk_widget_class_bind_template_child_full (widget_class, "retry_button", FALSE, 0);

  gtk_widget_class_install_action (widget_class, "sign-in.copy-code", NULL, copy_code_activated);
  gtk_widget_class_install_action (widget_class, "sign-in.open-browser", NULL,
                                   open_browser_activated);
  gtk_widget_class_install_action (widget_class, "sign-in.retry", NULL, retry_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pd_sign_in_dialog_init (PdSignInDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  pd_app_util_fix_accessible_names (GTK_WIDGET (self));
}

GtkWidget *
pd_sign_in_dialog_new (PdSession *session,
                       GtkWindow *parent)
{
  PdSignInDialog *self;

  g_return_val_if_fail (PD_IS_SESSION (session), NULL);

  self = g_object_new (PD_TYPE_SIGN_IN_DIALOG, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  /* Not from here: with a fixed token the dialog closes at once, and the caller must get a
   * window it can still present. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, start_idle, g_object_ref (self), g_object_unref);
  return GTK_WIDGET (self);
}
