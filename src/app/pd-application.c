/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-application.c — startup, app actions, demo mode and notifications. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-app-util.h"
#include "pd-application-private.h"
#include "pd-demo.h"
#include "pd-preferences-window.h"
#include "pd-sign-in-dialog.h"
#include "pd-window.h"

struct _PdApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  PdSession      *session;
  PdSimulator    *simulator;     /* demo only */
  GError         *store_error;   /* why the cache could not be opened */
  char           *store_path;
  GCancellable   *cancellable;
  gboolean        demo;
  gboolean        demo_started;
  /* An older cache is being upgraded in a thread; upgrade_window says so meanwhile, and
   * activation waits for the upgrade. */
  gboolean        upgrading;
  gboolean        activate_after_upgrade;
  GtkWindow      *upgrade_window;
};

G_DEFINE_FINAL_TYPE (PdApplication, pd_application, ADW_TYPE_APPLICATION)

static GtkWindow *
get_window (PdApplication *self)
{
  return gtk_application_get_active_window (GTK_APPLICATION (self));
}

static void
actions_update (PdApplication *self)
{
  gboolean signed_in = self->session != NULL && pd_session_get_signed_in (self->session);
  gboolean can_auth = self->session != NULL && !pd_session_get_demo (self->session);
  GActionMap *map = G_ACTION_MAP (self);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (map, "sign-in")),
                               can_auth && !signed_in);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (map, "sign-out")),
                               can_auth && signed_in);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (map, "preferences")),
                               self->session != NULL);
}

/* ---- actions ---- */

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  PdApplication *self = user_data;

  gtk_window_present (GTK_WINDOW (pd_preferences_window_new (self->session, get_window (self))));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  PdApplication *self = user_data;
  const char *developers[] = { _("Partner Desk contributors"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", get_window (self),
                        "application-name", _("Partner Desk"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("Partner Desk contributors"),
                        "developers", developers,
                        "comments", _("Review, search and annotate your Microsoft Partner Center "
                                      "customers offline."),
                        "website", "https://github.com/partnerdesk/partner-desk",
                        "issue-url", "https://github.com/partnerdesk/partner-desk/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
sign_in_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  PdApplication *self = user_data;

  gtk_window_present (GTK_WINDOW (pd_sign_in_dialog_new (self->session, get_window (self))));
}

static void
toast (PdApplication *self,
       const char    *text)
{
  GtkWindow *window = get_window (self);

  if (PD_IS_WINDOW (window))
    pd_window_add_toast (PD_WINDOW (window), text);
}

static void
sign_out_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PdApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pd_auth_sign_out_finish (PD_AUTH (object), result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not sign out: %s"), error->message);

      toast (self, text);
      return;
    }
  pd_session_disconnect (self->session);
  toast (self, _("Signed out. The cached organizations stay on this computer."));
}

static void
sign_out_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  PdApplication *self = user_data;
  PdAuth *auth = pd_session_get_auth (self->session);

  if (auth != NULL)
    pd_auth_sign_out_async (auth, NULL, sign_out_done, g_object_ref (self));
}

/* Closing (rather than destroying) lets each window save pending edits and its size. */
static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
show_view_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  PdApplication *self = user_data;

  g_application_activate (G_APPLICATION (self));
  if (PD_IS_WINDOW (get_window (self)))
    pd_window_show_view (PD_WINDOW (get_window (self)), g_variant_get_string (parameter, NULL));
}

static const GActionEntry app_actions[] = {
  { "preferences", preferences_action },
  { "about", about_action },
  { "sign-in", sign_in_action },
  { "sign-out", sign_out_action },
  { "quit", quit_action },
  { "show-view", show_view_action, "s" },
};

/* ---- notifications ---- */

static char *
dup_report_text (const PdSyncRun *run)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (run->n_overrides_replaced > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               "Partner Center replaced %u local bill-to edit.",
                                               "Partner Center replaced %u local bill-to edits.",
                                               run->n_overrides_replaced),
                            run->n_overrides_replaced);
  if (run->n_failed > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s%u customer failed to sync.",
                                               "%s%u customers failed to sync.", run->n_failed),
                            text->len > 0 ? " " : "", run->n_failed);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
send_notification (PdApplication *self,
                   const char    *title,
                   const char    *body)
{
  g_autoptr(GNotification) notification = g_notification_new (title);

  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.show-view", "s", "sync");
  g_application_send_notification (G_APPLICATION (self), "sync-report", notification);
}

/* Only background runs notify: a run the user started is on screen already. */
static void
on_sync_finished (PdApplication *self,
                  gint64         run_id,
                  const GError  *error,
                  gboolean       background)
{
  g_autoptr(PdSyncRun) run = NULL;
  g_autofree char *body = NULL;

  if (!background)
    return;
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        send_notification (self, _("Background sync failed"), error->message);
      return;
    }
  run = pd_store_get_sync_run (pd_session_get_store (self->session), run_id, NULL);
  if (run == NULL || (run->n_overrides_replaced == 0 && run->n_failed == 0))
    return;
  body = dup_report_text (run);
  send_notification (self, _("Sync finished with changes to review"), body);
}

/* ---- startup ---- */

static void start_session (PdApplication *self, PdStore *store);

gboolean
pd_application_open_account_cache (PdApplication  *self,
                                   PdAuth         *auth,
                                   GError        **error)
{
  const char *tenant = pd_auth_get_tenant_id (auth);
  g_autofree char *path = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdSession) old = NULL;
  g_autoptr(GList) windows = NULL;
  g_autoptr(GError) connect_error = NULL;

  g_return_val_if_fail (PD_IS_APPLICATION (self) && tenant != NULL, FALSE);
  path = pd_store_path_for_partner (self->store_path, tenant);
  if ((store = pd_store_open (path, error)) == NULL
      || !pd_store_check_partner (store, tenant, NULL, NULL, error))
    return FALSE;
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  old = g_steal_pointer (&self->session);
  pd_session_cancel_sync (old);
  g_free (self->store_path);
  self->store_path = g_steal_pointer (&path);
  start_session (self, store);
  if (!pd_session_connect_account (self->session, auth, &connect_error))
    g_warning ("Could not connect to Partner Center: %s", connect_error->message);
  /* The new window first: the application ends with its last window. */
  gtk_window_present (GTK_WINDOW (pd_window_new (GTK_APPLICATION (self), self->session)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  actions_update (self);
  return TRUE;
}

/* A restored sign-in whose account is not the cache's: that account's own cache is opened
 * (the user signed in with it last), never a mix. */
static void
connect_restored (PdApplication *self,
                  PdAuth        *auth)
{
  g_autoptr(GError) error = NULL;
  const char *tenant = pd_auth_get_tenant_id (auth);

  if (tenant != NULL && g_getenv ("PARTNER_DESK_DB") == NULL
      && !pd_store_check_partner (pd_session_get_store (self->session), tenant, NULL, NULL, NULL))
    {
      if (!pd_application_open_account_cache (self, auth, &error))
        g_warning ("Could not open the cache of the signed-in account: %s", error->message);
      return;
    }
  if (!pd_session_connect_account (self->session, auth, &error))
    g_warning ("Could not connect to Partner Center: %s", error->message);
}

static void
restore_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PdApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  PdAuth *auth = PD_AUTH (object);

  if (!pd_auth_restore_finish (auth, result, &error))
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Sign-in not restored: %s", error->message);
      return;
    }
  connect_restored (self, auth);
}

/* Never waits for the network: a stored sign-in is redeemed in the background while the
 * window shows the cache. */
static void
restore_sign_in (PdApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAuth) auth = pd_session_new_auth (self->session, &error);

  if (auth == NULL)
    {
      g_warning ("Sign-in is not available: %s", error->message);
      return;
    }
  if (pd_auth_get_signed_in (auth))
    {
      connect_restored (self, auth);
      return;
    }
  pd_auth_restore_async (auth, self->cancellable, restore_done, g_object_ref (self));
}

static void
start_session (PdApplication *self,
               PdStore       *store)
{
  self->session = pd_session_new (store, self->settings);
  g_signal_connect_object (self->session, "sync-finished", G_CALLBACK (on_sync_finished), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::signed-in", G_CALLBACK (actions_update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::demo", G_CALLBACK (actions_update), self,
                           G_CONNECT_SWAPPED);
}

static void pd_application_activate (GApplication *application);

static void
session_ready (PdApplication *self)
{
  if (self->session != NULL && !self->demo)
    restore_sign_in (self);
  actions_update (self);
}

static void
open_store_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;
  PdStore *store = pd_store_open (task_data, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

static void
upgrade_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  PdApplication *self = PD_APPLICATION (object);
  g_autoptr(PdStore) store = g_task_propagate_pointer (G_TASK (result), &self->store_error);
  GtkWindow *upgrade_window = self->upgrade_window;

  if (upgrade_window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (upgrade_window), (gpointer *) &self->upgrade_window);
  self->upgrade_window = NULL;
  self->upgrading = FALSE;
  if (store != NULL)
    start_session (self, store);
  session_ready (self);
  /* The application is held until here: closing this window does not quit it. */
  if (upgrade_window != NULL)
    gtk_window_destroy (upgrade_window);
  if (self->activate_after_upgrade)
    pd_application_activate (G_APPLICATION (self));
  g_application_release (G_APPLICATION (self));
}

/* Opening an older cache upgrades it first, which takes seconds for 100,000 organizations:
 * that runs in a thread, and a window says what is happening instead of nothing showing. */
static void
open_session (PdApplication *self)
{
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GTask) task = NULL;

  self->store_path = self->demo ? pd_demo_dup_db_path () : pd_store_default_path ();
  if (!pd_store_needs_upgrade (self->store_path))
    {
      store = pd_store_open (self->store_path, &self->store_error);
      if (store != NULL)
        start_session (self, store);
      session_ready (self);
      return;
    }
  self->upgrading = TRUE;
  g_application_hold (G_APPLICATION (self));
  task = g_task_new (self, NULL, upgrade_done, NULL);
  g_task_set_task_data (task, g_strdup (self->store_path), g_free);
  g_task_run_in_thread (task, open_store_thread);
  actions_update (self);
}

/* Closing the window while the cache is updated means quitting: the update still finishes
 * (it is one transaction either way), then the application ends with no window. */
static gboolean
on_upgrade_window_close (PdApplication *self)
{
  self->activate_after_upgrade = FALSE;
  return FALSE;
}

static GtkWindow *
new_upgrade_window (PdApplication *self)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (self));
  GtkWidget *page = adw_status_page_new ();
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  gtk_window_set_title (GTK_WINDOW (window), _("Partner Desk"));
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 360);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _("Updating the Cache"));
  adw_status_page_set_description (ADW_STATUS_PAGE (page),
                                   _("This version of Partner Desk stores your organizations "
                                     "differently. Your cache is being updated; for a large "
                                     "cache this takes a few seconds, once."));
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Updating the cache"), -1);
  adw_status_page_set_child (ADW_STATUS_PAGE (page), spinner);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), page);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  g_signal_connect_swapped (window, "close-request", G_CALLBACK (on_upgrade_window_close), self);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->upgrade_window);
  return GTK_WINDOW (window);
}

static void
pd_application_startup (GApplication *application)
{
  PdApplication *self = PD_APPLICATION (application);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (pd_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  self->settings = self->demo ? pd_demo_new_settings () : g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();
  open_session (self);
}

static gboolean
apply_scene (gpointer user_data)
{
  PdApplication *self = user_data;

  if (get_window (self) != NULL)
    pd_demo_apply_scene (self->session, self->simulator, GTK_WIDGET (get_window (self)));
  return G_SOURCE_REMOVE;
}

/* From an idle: the scene may start another sync, which must not happen inside the
 * "sync-finished" emission of the first. */
static void
on_first_demo_sync (PdApplication *self)
{
  g_signal_handlers_disconnect_by_func (self->session, on_first_demo_sync, self);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, apply_scene, g_object_ref (self), g_object_unref);
}

static void
start_demo (PdApplication *self)
{
  g_autoptr(GError) error = NULL;

  self->demo_started = TRUE;
  self->simulator = pd_demo_start (self->session, &error);
  if (self->simulator == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The demo could not start: %s"), error->message);

      toast (self, text);
      return;
    }
  g_signal_connect_swapped (self->session, "sync-finished", G_CALLBACK (on_first_demo_sync), self);
  pd_session_sync (self->session, PD_SYNC_MODE_AUTO, FALSE);
}

static void
pd_application_activate (GApplication *application)
{
  PdApplication *self = PD_APPLICATION (application);
  GtkWindow *window = get_window (self);

  if (self->upgrading)
    {
      self->activate_after_upgrade = TRUE;
      if (self->upgrade_window == NULL)
        self->upgrade_window = new_upgrade_window (self);
      gtk_window_present (self->upgrade_window);
      return;
    }
  if (window == NULL && self->session != NULL)
    window = GTK_WINDOW (pd_window_new (GTK_APPLICATION (self), self->session));
  else if (window == NULL)
    window = GTK_WINDOW (pd_window_new_for_error (GTK_APPLICATION (self), self->store_path,
                                                  self->store_error));
  gtk_window_present (window);
  if (self->demo && self->session != NULL && !self->demo_started)
    start_demo (self);
}

static int
pd_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  PdApplication *self = PD_APPLICATION (application);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("partner-desk %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_contains (options, "demo"))
    {
      /* The demo has its own cache and simulator: it runs beside a normal instance instead
       * of activating it. */
      self->demo = TRUE;
      g_application_set_flags (application,
                               g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);
    }
  return -1;
}

static void
pd_application_shutdown (GApplication *application)
{
  PdApplication *self = PD_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  if (self->session != NULL)
    pd_session_cancel_sync (self->session);

  G_APPLICATION_CLASS (pd_application_parent_class)->shutdown (application);
}

static void
pd_application_finalize (GObject *object)
{
  PdApplication *self = PD_APPLICATION (object);

  g_clear_object (&self->session);
  g_clear_object (&self->simulator);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->store_error);
  g_free (self->store_path);

  G_OBJECT_CLASS (pd_application_parent_class)->finalize (object);
}

static void
pd_application_class_init (PdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = pd_application_finalize;
  app_class->startup = pd_application_startup;
  app_class->activate = pd_application_activate;
  app_class->handle_local_options = pd_application_handle_local_options;
  app_class->shutdown = pd_application_shutdown;
}

static void
pd_application_init (PdApplication *self)
{
  const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Start with a built-in Partner Center simulator and 2,500 sample customers "
         "(cache demo.db, unless PARTNER_DESK_DB names another; no account or network "
         "needed)"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
    _("Environment: PARTNER_DESK_DB (cache file), PARTNER_DESK_API_URL, "
      "PARTNER_DESK_LOGIN_URL, PARTNER_DESK_ACCESS_TOKEN (use this token, skip sign-in)."));
}

PdApplication *
pd_application_new (void)
{
  return g_object_new (PD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", PD_APP_RESOURCE_PATH,
                       NULL);
}

PdSession *
pd_application_get_session (PdApplication *self)
{
  g_return_val_if_fail (PD_IS_APPLICATION (self), NULL);
  return self->session;
}
