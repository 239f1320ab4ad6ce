/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-window.c — the main window and its actions.
 *
 * Actions are installed per class and bound to keys (as GNOME Text Editor does); whether each
 * is enabled is decided in one place, pd_window_actions_update.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/pd-csv.h"
#include "pd-app-util.h"
#include "pd-consent-dialog.h"
#include "pd-new-organization-dialog.h"
#include "pd-organization-editor.h"
#include "pd-sync-panel.h"
#include "pd-sync-alerts.h"
#include "pd-window-private.h"

struct _PdWindow
{
  AdwApplicationWindow  parent_instance;

  PdSession            *session;
  PdOrganizationList   *list;
  GtkWidget            *editor;
  GtkWidget            *sync_panel;
  GCancellable         *export_cancellable;
  AdwToast             *export_toast;  /* "Exporting…", until the export ends */
  gint64                export_started; /* monotonic time */
  char                 *export_outcome; /* told once that toast has been shown long enough */
  guint                 export_outcome_source;
  gint64                editor_focus_org; /* the organization shown when the editor last had
                                           * the keyboard */
  char                 *sort_key;  /* the column last sorted from the menu */
  gboolean              sort_descending;

  /* template */
  AdwToastOverlay      *toast_overlay;
  GtkButton            *back_button;
  GtkButton            *new_button;
  AdwViewSwitcherTitle *switcher_title;
  GtkLabel             *demo_label;
  GtkStack             *sync_button_stack;
  GtkRevealer          *offline_revealer;
  GtkImage             *banner_icon;
  GtkLabel             *banner_label;
  GtkButton            *banner_button;
  guint                 banner_state;    /* 0 hidden, 1 offline, 2 unreachable */
  char                 *banner_reason;
  GtkStack             *main_stack;
  AdwViewStack         *view_stack;
  AdwLeaflet           *leaflet;
  AdwBin               *list_pane;
  AdwBin               *editor_pane;
  AdwBin               *sync_pane;
  AdwStatusPage        *error_page;
};

G_DEFINE_FINAL_TYPE (PdWindow, pd_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

/* The banner under the header bar: no network (the monitor says so; Sync is off), or Partner
 * Center could not be reached by the last run although there is a network (Sync stays on, and
 * the banner offers it as "Try Again"). */
static void
update_banner (PdWindow *self,
               gboolean  offline)
{
  gboolean unreachable = !offline && pd_session_get_unreachable (self->session);
  const char *reason = unreachable ? pd_session_get_unreachable_reason (self->session) : NULL;
  guint state = offline ? 1 : unreachable ? 2 : 0;

  /* Called on every action update, some of them during a size allocation: touch the banner
   * only when what it says changes. */
  if (state == self->banner_state && g_strcmp0 (reason, self->banner_reason) == 0)
    return;
  self->banner_state = state;
  g_free (self->banner_reason);
  self->banner_reason = g_strdup (reason);
  if (offline)
    gtk_label_set_text (self->banner_label,
                        _("Offline: showing the cached organizations. Sync is off until the "
                          "network is back."));
  else if (unreachable)
    {
      PdStore *store = pd_session_get_store (self->session);
      g_autoptr(GDateTime) last = pd_store_get_last_complete_sync (store);
      g_autofree char *when = last != NULL ? pd_app_util_format_when (last) : NULL;
      g_autofree char *text = NULL;

      if (when != NULL)
        /* Translators: %s is a time, e.g. "Today at 14:02" */
        text = g_strdup_printf (_("Partner Center can’t be reached. Showing the cached copy "
                                  "from the last sync: %s."), when);
      else
        text = g_strdup (_("Partner Center can’t be reached. Showing the cached "
                           "organizations."));
      gtk_label_set_text (self->banner_label, text);
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->banner_label), reason);
  gtk_image_set_from_icon_name (self->banner_icon, unreachable ? "network-error-symbolic"
                                                               : "network-offline-symbolic");
  gtk_widget_set_visible (GTK_WIDGET (self->banner_button), unreachable);
  gtk_revealer_set_reveal_child (self->offline_revealer, offline || unreachable);
}

static void
pd_window_actions_update (PdWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean ready = self->session != NULL;
  gboolean syncing = ready && pd_session_get_syncing (self->session);
  gboolean offline = ready && pd_session_get_offline (self->session);
  gboolean signed_in = ready && pd_session_get_signed_in (self->session);
  gboolean has_rows = ready && g_list_model_get_n_items (pd_organization_list_get_model (self->list)) > 0;
  gboolean can_undo = self->editor != NULL
                      && pd_organization_editor_get_can_undo (PD_ORGANIZATION_EDITOR (self->editor));

  gtk_widget_action_set_enabled (widget, "win.sync", signed_in && !syncing && !offline);
  gtk_widget_action_set_enabled (widget, "win.cancel-sync", syncing);
  gtk_widget_action_set_enabled (widget, "win.search", ready);
  gtk_widget_action_set_enabled (widget, "win.new-organization", ready);
  gtk_widget_action_set_enabled (widget, "win.consent-link", ready);
  gtk_widget_action_set_enabled (widget, "win.export-csv",
                                 has_rows && self->export_cancellable == NULL
                                 && self->export_outcome == NULL);
  gtk_widget_action_set_enabled (widget, "win.cancel-export", self->export_cancellable != NULL);
  gtk_widget_action_set_enabled (widget, "win.show-organization", ready);
  gtk_widget_action_set_enabled (widget, "win.show-view", ready);
  gtk_widget_action_set_enabled (widget, "win.cycle-focus", ready);
  gtk_widget_action_set_enabled (widget, "win.sort-by", has_rows);
  /* Also with no row shown (a search without matches): the editor may show a New one, and
   * approve_action says why when it cannot. */
  gtk_widget_action_set_enabled (widget, "win.approve", ready);
  gtk_widget_action_set_enabled (widget, "win.back", adw_leaflet_get_folded (self->leaflet));
  gtk_widget_action_set_enabled (widget, "win.undo", can_undo);

  pd_app_util_switch_buttons (self->sync_button_stack, syncing ? "cancel" : "sync");
  if (ready)
    update_banner (self, offline);
}

/* ---- navigation ---- */

static void
update_back_button (PdWindow *self)
{
  gboolean folded = adw_leaflet_get_folded (self->leaflet);
  GtkWidget *visible = adw_leaflet_get_visible_child (self->leaflet);
  gboolean on_orgs = g_strcmp0 (pd_window_get_view (self), "organizations") == 0;

  gboolean back = folded && on_orgs && visible == GTK_WIDGET (self->editor_pane);

  /* One button at the start, so that the title fits at 360 px. */
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), back);
  gtk_widget_set_visible (GTK_WIDGET (self->new_button), !back);
  if (self->list != NULL)
    pd_organization_list_set_single_click_activate (self->list, folded);
  pd_window_actions_update (self);
}

const char *
pd_window_get_view (PdWindow *self)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

void
pd_window_show_view (PdWindow   *self,
                     const char *name)
{
  g_return_if_fail (PD_IS_WINDOW (self));

  if (g_strcmp0 (name, "organizations") == 0 || g_strcmp0 (name, "sync") == 0)
    adw_view_stack_set_visible_child_name (self->view_stack, name);
}

static gboolean
focus_in_editor (PdWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  return focus != NULL && self->editor != NULL && gtk_widget_is_ancestor (focus, self->editor);
}

static void
on_focus_widget_changed (PdWindow *self)
{
  if (focus_in_editor (self))
    self->editor_focus_org = pd_organization_editor_get_organization_id (
                               PD_ORGANIZATION_EDITOR (self->editor));
}

static void
open_organization (PdWindow *self,
                   gint64    id,
                   gboolean  navigate)
{
  gint64 focus_org = self->editor_focus_org;
  gboolean focus_was_in = focus_in_editor (self);

  if (self->editor != NULL
      && pd_organization_editor_get_organization_id (PD_ORGANIZATION_EDITOR (self->editor)) != id)
    {
      pd_organization_editor_set_organization_id (PD_ORGANIZATION_EDITOR (self->editor), id);
      /* Shown from the list meanwhile: the pane starts at the top, wherever the focus was
       * (back to the first organization too, its field is out of sight). */
      if (!focus_was_in)
        self->editor_focus_org = focus_org = 0;
    }
  if (!navigate || id == 0)
    return;
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->editor_pane));
  /* The leaflet gives the pane back the focus it had: a field of the organization shown
   * then, out of sight once the pane shows another from the top, and what was typed next
   * went into that one's field unseen. Another organization starts at the top. */
  if (!focus_was_in && focus_in_editor (self) && focus_org != id)
    {
      gtk_root_set_focus (GTK_ROOT (self), NULL);
      gtk_widget_child_focus (self->editor, GTK_DIR_TAB_FORWARD);
    }
}

/* A selection cleared by a search keeps the editor on what the user was working on. */
static void
on_organization_selected (PdWindow *self,
                          gint64    id)
{
  if (id != 0)
    open_organization (self, id, FALSE);
}

static void
on_organization_activated (PdWindow *self,
                           gint64    id)
{
  open_organization (self, id, TRUE);
}

void
pd_window_add_toast (PdWindow   *self,
                     const char *title)
{
  g_return_if_fail (PD_IS_WINDOW (self));
  pd_app_util_add_toast (self->toast_overlay, pd_app_util_new_toast (title));
}

/* ---- actions ---- */

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PdWindow *self = PD_WINDOW (widget);

  pd_window_show_view (self, "organizations");
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->list_pane));
  pd_organization_list_focus_search (self->list);
}

static void
sync_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PdWindow *self = PD_WINDOW (widget);

  if (pd_session_sync (self->session, PD_SYNC_MODE_AUTO, FALSE))
    pd_window_show_view (self, "sync");
}

static void
cancel_sync_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  pd_session_cancel_sync (PD_WINDOW (widget)->session);
}

static void
new_organization_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PdWindow *self = PD_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (pd_new_organization_dialog_new (self->session,
                                                                  GTK_WINDOW (self))));
}

static void
consent_link_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PdWindow *self = PD_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (pd_consent_dialog_new (self->session, GTK_WINDOW (self))));
}

static void
show_organization_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  PdWindow *self = PD_WINDOW (widget);
  gint64 id = g_variant_get_int64 (parameter);

  pd_window_show_view (self, "organizations");
  pd_organization_list_select (self->list, id);
  open_organization (self, id, TRUE);
}

static void
show_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  pd_window_show_view (PD_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PdWindow *self = PD_WINDOW (widget);

  if (self->editor != NULL)
    pd_organization_editor_undo (PD_ORGANIZATION_EDITOR (self->editor));
}

/* F6 and Shift+F6 cycle between the regions: the table, the editor, the search entry. */
static void
focus_editor (PdWindow *self)
{
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->editor_pane));
  /* From the pane's first control: the leaflet gave back the field it had last, and the move
   * went on from there (to the field after it). */
  gtk_root_set_focus (GTK_ROOT (self), NULL);
  gtk_widget_child_focus (self->editor, GTK_DIR_TAB_FORWARD);
}

static void
focus_list (PdWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->list_pane));
  if (!pd_organization_list_focus_rows (self->list))
    pd_organization_list_focus_search (self->list);
}

/* At a narrow width, back from the editor to the list, with the keyboard on the organization
 * that was open (not on the header's menu button, where GTK left it). */
static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  focus_list (PD_WINDOW (widget));
}

static void
cycle_focus_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PdWindow *self = PD_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gboolean backward = g_variant_get_boolean (parameter);
  gboolean in_editor = focus != NULL && gtk_widget_is_ancestor (focus, self->editor);

  pd_window_show_view (self, "organizations");
  if (pd_organization_list_has_focus (self->list))
    backward ? pd_organization_list_focus_search (self->list) : focus_editor (self);
  else if (in_editor)
    backward ? focus_list (self) : pd_organization_list_focus_search (self->list);
  else
    backward ? focus_editor (self) : focus_list (self);
}

/* Whether the cache holds a New organization, whatever the list shows. */
static gboolean
any_new (PdWindow *self)
{
  guint counts[PD_N_FILTERS] = { 0 };
  PdStoreQuery query = { 0 };

  return pd_store_count_filters (pd_session_get_store (self->session), &query, counts, NULL)
         && counts[PD_FILTER_NEW] > 0;
}

static gboolean
is_new (PdWindow *self,
        gint64    id)
{
  g_autoptr(PdOrganization) org = pd_store_get (pd_session_get_store (self->session), id, NULL);

  return org != NULL && pd_organization_get_status (org) == PD_ORG_STATUS_NEW;
}

/* Triage from the keyboard: the organization the editor shows (else the selected one) becomes
 * Active (through the editor, so that Undo and the toast are the editor's) and the selection
 * moves to the next New one. What the user sees is what is approved: a filter that hides it
 * left nothing selected, and Ctrl+Enter did nothing without a word. */
static void
approve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdWindow *self = PD_WINDOW (widget);
  gint64 id = self->editor != NULL
              ? pd_organization_editor_get_organization_id (PD_ORGANIZATION_EDITOR (self->editor))
              : 0;
  gint64 next;

  if (self->editor == NULL)
    return;
  if (id == 0)
    id = pd_organization_list_get_selected_id (self->list);
  if (id == 0)
    {
      pd_window_add_toast (self, _("Open an organization to approve it"));
      return;
    }
  if (!is_new (self, id))
    {
      pd_window_add_toast (self, _("Only a new organization can be approved"));
      return;
    }
  open_organization (self, id, FALSE);
  next = pd_organization_list_find_next (self->list, id, PD_FILTER_NEW);
  if (!gtk_widget_activate_action (self->editor, "editor.approve", NULL))
    return;
  pd_organization_editor_flush (PD_ORGANIZATION_EDITOR (self->editor));
  if (next != 0)
    pd_organization_list_select (self->list, next);
  else if (any_new (self))
    /* New ones the search or the filter hides are left. */
    pd_window_add_toast (self, _("No more new organizations in this view"));
  else
    pd_window_add_toast (self, _("No more new organizations to approve"));
}

/* From the main menu's Sort submenu: the same column again reverses the order. */
static void
sort_by_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdWindow *self = PD_WINDOW (widget);
  const char *key = g_variant_get_string (parameter, NULL);

  self->sort_descending = g_strcmp0 (key, self->sort_key) == 0 && !self->sort_descending;
  g_free (self->sort_key);
  self->sort_key = g_strdup (key);
  pd_organization_list_sort_by (self->list, key,
                                self->sort_descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
}

/* ---- CSV export (written in a thread: 100,000 rows take a moment) ---- */

/* The organizations of ids, in that order and as stored now, read from a connection of the
 * worker thread's own a hundred at a time and written as they are read: an export holds a
 * hundred of them at a time, whatever the size of the list. */
static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GArray *ids = g_object_get_data (G_OBJECT (task), "ids");
  const char *path = g_object_get_data (G_OBJECT (task), "path");
  g_autoptr(PdStore) store = NULL;
  GError *error = NULL;
  PdCsvFile *csv;
  guint n_rows = 0;

  if ((store = pd_store_open (path, &error)) == NULL
      || (csv = pd_csv_file_create (task_data, cancellable, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!pd_store_foreach_of_ids (store, (const gint64 *) (gpointer) ids->data, ids->len,
                                pd_csv_file_add, csv, &error))
    pd_csv_file_abandon (csv);
  else if (pd_csv_file_commit (csv, &n_rows, &error))
    {
      g_task_return_int (task, n_rows);
      return;
    }
  g_task_return_error (task, error);
}

static void
on_export_toast_dismissed (PdWindow *self,
                           AdwToast *toast)
{
  if (toast == self->export_toast)
    g_clear_object (&self->export_toast);
}

/* The "Exporting…" toast stays until the export ends, then the outcome takes its place in a
 * toast of its own; not before it has been shown this long (a toast dismissed as it slid in
 * crashed libadwaita 1.2, and a quick export's toast would only flicker). */
#define EXPORT_TOAST_MIN_MS 1000

static gboolean
tell_export_outcome_now (gpointer data)
{
  PdWindow *self = data;
  g_autofree char *message = g_steal_pointer (&self->export_outcome);

  self->export_outcome_source = 0;
  if (self->export_toast != NULL)
    adw_toast_dismiss (self->export_toast);
  pd_window_add_toast (self, message);
  pd_window_actions_update (self);
  return G_SOURCE_REMOVE;
}

static void
tell_export_outcome (PdWindow *self,
                     char     *message)
{
  gint64 shown_ms = (g_get_monotonic_time () - self->export_started) / 1000;

  g_assert (self->export_outcome == NULL);
  self->export_outcome = message;
  if (shown_ms >= EXPORT_TOAST_MIN_MS)
    tell_export_outcome_now (self);
  else
    self->export_outcome_source = g_timeout_add ((guint) (EXPORT_TOAST_MIN_MS - shown_ms),
                                                 tell_export_outcome_now, self);
}

static void
export_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  PdWindow *self = PD_WINDOW (object);
  g_autoptr(GError) error = NULL;
  gssize n = g_task_propagate_int (G_TASK (result), &error);
  GApplication *app = g_object_get_data (G_OBJECT (result), "held");
  GFile *file = g_task_get_task_data (G_TASK (result));
  g_autofree char *name = NULL;
  char *message;

  if (app != NULL)
    g_application_release (app);
  /* The window closed (its dispose stopped the export): nothing to tell, nowhere to tell it. */
  if (self->export_cancellable == NULL)
    return;
  g_clear_object (&self->export_cancellable);
  name = g_file_get_basename (file);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    message = g_strdup_printf (_("Export cancelled: “%s” was not changed"), name);
  else if (n < 0)
    message = g_strdup_printf (_("Could not export: %s"), error->message);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %'u organization",
                                            "Exported %'u organizations", (gulong) n),
                               (guint) n);
  tell_export_outcome (self, message);
  pd_window_actions_update (self);
}

void
pd_window_export_csv (PdWindow *self,
                      GFile    *file)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *message = NULL;
  GApplication *app;
  GArray *ids;

  g_return_if_fail (PD_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->export_cancellable == NULL);

  self->export_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->export_cancellable, export_done, NULL);
  g_task_set_source_tag (task, pd_window_export_csv);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  ids = pd_organization_list_dup_visible_ids (self->list);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exporting %'u organization…",
                                          "Exporting %'u organizations…", (gulong) ids->len),
                             ids->len);
  g_object_set_data_full (G_OBJECT (task), "ids", ids, (GDestroyNotify) g_array_unref);
  g_object_set_data_full (G_OBJECT (task), "path",
                          g_strdup (pd_store_get_path (pd_session_get_store (self->session))),
                          g_free);
  /* Closing the last window must not end the process while the file is half written: the
   * window's cancellable stops the thread at its next row, and the file is left as it was. */
  if ((app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)))) != NULL)
    {
      g_application_hold (app);
      g_object_set_data (G_OBJECT (task), "held", app);
    }
  self->export_started = g_get_monotonic_time ();
  g_task_run_in_thread (task, export_thread);
  /* Said at once, until the end, with a way out: a million rows take a while (the menu item
   * stays off meanwhile). */
  g_clear_object (&self->export_toast);
  self->export_toast = g_object_ref (pd_app_util_new_toast (message));
  adw_toast_set_timeout (self->export_toast, 0);
  adw_toast_set_button_label (self->export_toast, _("_Cancel"));
  adw_toast_set_action_name (self->export_toast, "win.cancel-export");
  g_signal_connect_object (self->export_toast, "dismissed",
                           G_CALLBACK (on_export_toast_dismissed), self, G_CONNECT_SWAPPED);
  pd_app_util_add_toast (self->toast_overlay, self->export_toast);
  pd_window_actions_update (self);
}

/* The toast's Cancel: the thread stops at its next row and leaves the file as it was. */
static void
cancel_export_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  g_cancellable_cancel (PD_WINDOW (widget)->export_cancellable);
}

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    PdWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        pd_window_export_csv (self, file);
    }
  g_object_unref (chooser);
}

static void
export_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PdWindow *self = PD_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Export Organizations"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("organizations.csv"));
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- state ---- */

static void
restore_size (PdWindow *self)
{
  GSettings *settings = pd_session_get_settings (self->session);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_size (PdWindow *self)
{
  GSettings *settings = pd_session_get_settings (self->session);
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (settings);
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
    }
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (settings);
}

static gboolean
close_now (gpointer window)
{
  gtk_window_close (window);
  return G_SOURCE_REMOVE;
}

/* The window closes once the dialog is gone: it is the dialog's transient parent. */
static void
on_unsaved_response (AdwMessageDialog *dialog,
                     const char       *response,
                     PdWindow         *self)
{
  if (g_strcmp0 (response, "discard") != 0)
    return;
  pd_organization_editor_discard_unsaved (PD_ORGANIZATION_EDITOR (self->editor));
  g_idle_add_full (G_PRIORITY_DEFAULT, close_now, g_object_ref (self), g_object_unref);
}

/* Never lose an edit without asking: one the cache stayed busy for (another program held it
 * past its busy timeout) keeps the window open unless the user chooses to lose it. */
static void
ask_about_unsaved (PdWindow *self,
                   guint     n_unsaved)
{
  g_autofree char *body = g_strdup_printf (
    g_dngettext (GETTEXT_PACKAGE,
                 "%u edit could not be saved: another program (partner-desk-cli, or a "
                 "scheduled sync) is writing to the cache. It is tried again in a moment; close "
                 "again once it is saved, or close now without it.",
                 "%u edits could not be saved: another program (partner-desk-cli, or a "
                 "scheduled sync) is writing to the cache. They are tried again in a moment; "
                 "close again once they are saved, or close now without them.",
                 n_unsaved),
    n_unsaved);
  const PdAppQuestion answers = { "keep", _("_Keep Open"), "discard", _("_Discard and Close"),
                                  ADW_RESPONSE_DESTRUCTIVE, FALSE };
  GtkWidget *dialog = pd_app_util_new_question (GTK_WINDOW (self), _("Edits Not Saved"), body,
                                                &answers);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_unsaved_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
pd_window_close_request (GtkWindow *window)
{
  PdWindow *self = PD_WINDOW (window);
  guint n_unsaved;

  if (self->session != NULL)
    {
      n_unsaved = self->editor != NULL
                    ? pd_organization_editor_save_all (PD_ORGANIZATION_EDITOR (self->editor))
                    : 0;
      if (n_unsaved > 0)
        {
          ask_about_unsaved (self, n_unsaved);
          return TRUE;
        }
      save_size (self);
    }
  return GTK_WINDOW_CLASS (pd_window_parent_class)->close_request (window);
}

static void
update_demo (PdWindow *self)
{
  gboolean demo = pd_session_get_demo (self->session);

  gtk_widget_set_visible (GTK_WIDGET (self->demo_label), demo);
  /* Narrow, the pill is squeezed out and the title is shown: it says so there. */
  adw_view_switcher_title_set_subtitle (self->switcher_title, demo ? _("Demo Data") : NULL);
  gtk_window_set_title (GTK_WINDOW (self), demo ? _("Partner Desk — Demo Data") : _("Partner Desk"));
}

static void
build_views (PdWindow *self)
{
  self->list = PD_ORGANIZATION_LIST (pd_organization_list_new (self->session));
  adw_bin_set_child (self->list_pane, GTK_WIDGET (self->list));
  /* The main menu's Columns submenu (the menu is not inside the list). */
  gtk_widget_insert_action_group (GTK_WIDGET (self), "columns",
                                  pd_organization_list_get_column_actions (self->list));
  self->editor = pd_organization_editor_new (self->session);
  adw_bin_set_child (self->editor_pane, self->editor);
  self->sync_panel = pd_sync_panel_new (self->session);
  adw_bin_set_child (self->sync_pane, self->sync_panel);

  /* The list may outlive the window for a moment (a load in flight holds it). */
  g_signal_connect_object (self->list, "organization-selected",
                           G_CALLBACK (on_organization_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "organization-activated",
                           G_CALLBACK (on_organization_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pd_organization_list_get_model (self->list), "items-changed",
                           G_CALLBACK (pd_window_actions_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor, "notify::can-undo",
                           G_CALLBACK (pd_window_actions_update), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (on_focus_widget_changed), NULL);
}

/* A sync refused before it could report anything in the panel asks or tells here. */
static void
on_sync_finished (PdWindow     *self,
                  gint64        run_id,
                  const GError *error,
                  gboolean      background)
{
  if (error != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    pd_sync_alerts_show (GTK_WINDOW (self), self->session, run_id, error, background);
}

static void
connect_session (PdWindow *self)
{
  const char *names[] = { "notify::syncing", "notify::signed-in", "notify::offline",
                          "notify::unreachable", "notify::sync-engine" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_signal_connect_object (self->session, names[i], G_CALLBACK (pd_window_actions_update),
                             self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::demo", G_CALLBACK (update_demo), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "sync-finished", G_CALLBACK (on_sync_finished), self,
                           G_CONNECT_SWAPPED);
}

static void
pd_window_constructed (GObject *object)
{
  PdWindow *self = PD_WINDOW (object);

  G_OBJECT_CLASS (pd_window_parent_class)->constructed (object);

  if (self->session == NULL)
    {
      pd_window_actions_update (self);
      return;
    }
  build_views (self);
  connect_session (self);
  restore_size (self);
  g_settings_bind (pd_session_get_settings (self->session), "last-view",
                   self->view_stack, "visible-child-name", G_SETTINGS_BIND_DEFAULT);
  update_demo (self);
  update_back_button (self);
}

static void
pd_window_dispose (GObject *object)
{
  PdWindow *self = PD_WINDOW (object);

  g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->export_cancellable);
  g_clear_object (&self->export_toast);
  g_clear_handle_id (&self->export_outcome_source, g_source_remove);
  g_clear_pointer (&self->export_outcome, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_WINDOW);
  self->list = NULL;
  self->editor = NULL;
  self->sync_panel = NULL;
  g_clear_object (&self->session);
  g_clear_pointer (&self->banner_reason, g_free);
  g_clear_pointer (&self->sort_key, g_free);

  G_OBJECT_CLASS (pd_window_parent_class)->dispose (object);
}

static void
pd_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, PD_WINDOW (object)->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_SESSION:
      PD_WINDOW (object)->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.sync", NULL, sync_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-sync", NULL, cancel_sync_action);
  gtk_widget_class_install_action (widget_class, "win.new-organization", NULL,
                                   new_organization_action);
  gtk_widget_class_install_action (widget_class, "win.consent-link", NULL, consent_link_action);
  gtk_widget_class_install_action (widget_class, "win.export-csv", NULL, export_csv_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-export", NULL, cancel_export_action);
  gtk_widget_class_install_action (widget_class, "win.show-organization", "x",
                                   show_organization_action);
  gtk_widget_class_install_action (widget_class, "win.show-view", "s", show_view_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.cycle-focus", "b", cycle_focus_action);
  gtk_widget_class_install_action (widget_class, "win.sort-by", "s", sort_by_action);
  gtk_widget_class_install_action (widget_class, "win.approve", NULL, approve_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.sync", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-organization", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "win.export-csv", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "win.show-view", "s", "organizations");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "win.show-view", "s", "sync");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "win.approve", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "win.approve", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, 0, "win.cycle-focus", "b", FALSE);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, GDK_SHIFT_MASK,
                                       "win.cycle-focus", "b", TRUE);
}

static void
pd_window_class_init (PdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pd_window_constructed;
  object_class->dispose = pd_window_dispose;
  object_class->get_property = pd_window_get_property;
  object_class->set_property = pd_window_set_property;
  window_class->close_request = pd_window_close_request;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, PD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  pd_app_util_set_template (widget_class, "pd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, demo_label);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, new_button);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, sync_button_stack);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, banner_icon);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, banner_button);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, list_pane);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, editor_pane);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, sync_pane);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, error_page);
  install_actions (widget_class);
}

/* Ctrl+Z undoes the newest saved change wherever the focus is: before any focused widget
 * (an entry, the list) sees the key. With nothing to undo, the key goes on as usual. */
static void
add_undo_shortcut (PdWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_z,
                                                                                  GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("win.undo")));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
pd_window_init (PdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  pd_app_util_fix_accessible_names (GTK_WIDGET (self));
  add_undo_shortcut (self);

  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (update_back_button), self);
  g_signal_connect_swapped (self->leaflet, "notify::visible-child",
                            G_CALLBACK (update_back_button), self);
  g_signal_connect_swapped (self->view_stack, "notify::visible-child",
                            G_CALLBACK (update_back_button), self);
}

GtkWidget *
pd_window_new (GtkApplication *app,
               PdSession      *session)
{
  g_return_val_if_fail (PD_IS_SESSION (session), NULL);
  return g_object_new (PD_TYPE_WINDOW, "application", app, "session", session, NULL);
}

GtkWidget *
pd_window_new_for_error (GtkApplication *app,
                         const char     *path,
                         const GError   *error)
{
  PdWindow *self = g_object_new (PD_TYPE_WINDOW, "application", app, NULL);
  g_autofree char *description = NULL;

  description = g_markup_printf_escaped (_("Partner Desk could not open its cache at "
                                           "<b>%s</b>:\n%s\n\nThe file was left exactly as it "
                                           "was. Move it aside or restore a backup, then start "
                                           "Partner Desk again."),
                                         path, error->message);
  adw_status_page_set_description (self->error_page, description);
  gtk_stack_set_visible_child_name (self->main_stack, "error");
  gtk_widget_set_visible (GTK_WIDGET (self->sync_button_stack), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (self), 720, 480);
  return GTK_WIDGET (self);
}

PdSession *
pd_window_get_session (PdWindow *self)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), NULL);
  return self->session;
}

PdOrganizationList *
pd_window_get_list (PdWindow *self)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), NULL);
  return self->list;
}

GtkWidget *
pd_window_get_sync_panel (PdWindow *self)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), NULL);
  return self->sync_panel;
}

gboolean
pd_window_get_exporting (PdWindow *self)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), FALSE);
  return self->export_cancellable != NULL;
}
