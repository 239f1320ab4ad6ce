/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-preferences-window.c — GSettings of the app, with the URLs validated before saving, and
 * the cache's reseller scope ("My Resellers", kept in the cache: see pd-reseller-scope-group.c). */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-app-util.h"
#include "pd-entry-row.h"
#include "pd-preferences-window.h"
#include "pd-reseller-scope-group.h"

struct _PdPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  AdwComboRow   *role_row;
  PdEntryRow    *client_id_row;
  AdwComboRow   *interval_row;
  GtkSpinButton *max_in_flight_spin;
  GtkSpinButton *rpm_spin;
  GtkAdjustment *max_in_flight_adjustment;
  GtkAdjustment *rpm_adjustment;
  PdEntryRow    *api_url_row;
  PdEntryRow    *login_url_row;
  PdResellerScopeGroup *reseller_group;

  PdSession     *session;
  GSettings     *settings;
};

G_DEFINE_FINAL_TYPE (PdPreferencesWindow, pd_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* Same order as the schema's PartnerRole enum. */
static const char * const role_nicks[] = { "direct-partner", "indirect-provider", "reseller" };
static const char * const role_labels[] = { N_("Direct partner"), N_("Indirect provider"),
                                            N_("Indirect reseller") };
static const guint interval_minutes[] = { 0, 60, 240, 1440, 10080 };
static const char * const interval_labels[] = {
  /* Translators: automatic sync interval: no automatic sync */
  N_("Off"),
  N_("Every hour"),
  N_("Every 4 hours"),
  /* Translators: automatic sync interval */
  N_("Daily"),
  /* Translators: automatic sync interval */
  N_("Weekly"),
};

static gboolean
role_get_mapping (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (role_nicks); i++)
    if (g_str_equal (nick, role_nicks[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
role_set_mapping (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  return i < G_N_ELEMENTS (role_nicks) ? g_variant_new_string (role_nicks[i]) : NULL;
}

/* A value set elsewhere (CLI, dconf) that is not one of the choices shows as the nearest. */
static gboolean
interval_get_mapping (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  guint minutes = g_variant_get_uint32 (variant);
  guint best = 0;

  for (guint i = 1; i < G_N_ELEMENTS (interval_minutes); i++)
    if (ABS ((gint64) interval_minutes[i] - minutes)
        < ABS ((gint64) interval_minutes[best] - minutes))
      best = i;
  g_value_set_uint (value, best);
  return TRUE;
}

static GVariant *
interval_set_mapping (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  return i < G_N_ELEMENTS (interval_minutes) ? g_variant_new_uint32 (interval_minutes[i]) : NULL;
}

static GListModel *
create_model (const char * const *labels,
              guint               n)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, _(labels[i]));
  return G_LIST_MODEL (list);
}

/* The search libadwaita's preferences window opens on Ctrl+F: its entry has no name of its own
 * (a screen reader read "GtkSearchEntry"). */
static void
name_search_entry (GtkWidget *root)
{
  if (GTK_IS_SEARCH_ENTRY (root))
    /* Translators: accessible name of the search field of the Preferences window */
    pd_app_util_set_editable_label (GTK_EDITABLE (root), _("Search preferences"));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_search_entry (child);
}

static void
on_client_id_apply (PdPreferencesWindow *self,
                    PdEntryRow          *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autofree char *default_id = NULL;

  if (*text == '\0')
    {
      /* Empty means "the default client" rather than an unusable empty ID. */
      g_settings_reset (self->settings, "client-id");
      default_id = g_settings_get_string (self->settings, "client-id");
      gtk_editable_set_text (GTK_EDITABLE (row), default_id);
    }
  /* An app registration's ID is a GUID: anything else fails only at the next sign-in. */
  else if (!g_uuid_string_is_valid (text))
    {
      const char *message = _("An application (client) ID looks like "
                              "00000000-0000-0000-0000-000000000000");

      pd_app_util_set_error (GTK_WIDGET (row), message);
      pd_app_util_add_toast_to_preferences (ADW_PREFERENCES_WINDOW (self),
                                            pd_app_util_new_toast (message));
      return;
    }
  else
    g_settings_set_string (self->settings, "client-id", text);
  pd_app_util_set_error (GTK_WIDGET (row), NULL);
  pd_app_util_add_toast_to_preferences (ADW_PREFERENCES_WINDOW (self),
                                        pd_app_util_new_toast (_("Client ID saved: it is used at the next "
                                                     "sign-in")));
}

static void
on_url_apply (PdPreferencesWindow *self,
              PdEntryRow          *row)
{
  const char *key = row == self->api_url_row ? "api-url" : "login-url";
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (*text != '\0' && !pd_pc_url_is_allowed (text))
    {
      const char *message = _("Use an https:// address; plain http:// only reaches this computer "
                              "(localhost)");

      /* Keep what was typed so that only the scheme or host has to be fixed. */
      pd_app_util_set_error (GTK_WIDGET (row), message);
      pd_app_util_add_toast_to_preferences (ADW_PREFERENCES_WINDOW (self),
                                            pd_app_util_new_toast (message));
      return;
    }
  pd_app_util_set_error (GTK_WIDGET (row), NULL);
  g_settings_set_string (self->settings, key, text);
  pd_app_util_add_toast_to_preferences (ADW_PREFERENCES_WINDOW (self),
                                        pd_app_util_new_toast (_("Address saved: it is used at the next "
                                                     "connection")));
}

static void
on_reseller_scope_error (PdPreferencesWindow *self,
                         const char          *message)
{
  /* The reason may quote Partner Center: a plain-text title (adw_toast_new's is markup). */
  pd_app_util_add_toast_to_preferences (ADW_PREFERENCES_WINDOW (self),
                                        pd_app_util_new_toast (message));
}

static void
bind_settings (PdPreferencesWindow *self)
{
  g_autofree char *client_id = g_settings_get_string (self->settings, "client-id");
  g_autofree char *api_url = g_settings_get_string (self->settings, "api-url");
  g_autofree char *login_url = g_settings_get_string (self->settings, "login-url");

  g_settings_bind_with_mapping (self->settings, "partner-role", self->role_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, role_get_mapping, role_set_mapping,
                                NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "sync-interval", self->interval_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, interval_get_mapping,
                                interval_set_mapping, NULL, NULL);
  g_settings_bind (self->settings, "max-in-flight", self->max_in_flight_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "requests-per-minute", self->rpm_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  /* Text settings are saved on Apply only: half-typed URLs must never reach the client. */
  gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), client_id);
  gtk_editable_set_text (GTK_EDITABLE (self->api_url_row), api_url);
  gtk_editable_set_text (GTK_EDITABLE (self->login_url_row), login_url);
}

static void
pd_preferences_window_dispose (GObject *object)
{
  PdPreferencesWindow *self = PD_PREFERENCES_WINDOW (object);

  /* libadwaita 1.2's preferences window never frees its pages: the group would keep the cache
   * open after the window closed (after a change of account too). */
  if (self->reseller_group != NULL)
    pd_reseller_scope_group_set_store (self->reseller_group, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (pd_preferences_window_parent_class)->dispose (object);
}

static void
pd_preferences_window_class_init (PdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_preferences_window_dispose;
  g_type_ensure (PD_TYPE_ENTRY_ROW);
  g_type_ensure (PD_TYPE_RESELLER_SCOPE_GROUP);

  pd_app_util_set_template (widget_class, "pd-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, role_row);
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, interval_row);
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, max_in_flight_spin);
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, rpm_spin);
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow,
                                        max_in_flight_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, rpm_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, api_url_row);
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, login_url_row);
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, reseller_group);
  gtk_widget_class_bind_template_callback (widget_class, on_reseller_scope_error);
  gtk_widget_class_bind_template_callback (widget_class, on_client_id_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_url_apply);
}

static void
pd_preferences_window_init (PdPreferencesWindow *self)
{
  g_autoptr(GListModel) roles = create_model (role_labels, G_N_ELEMENTS (role_labels));
  g_autoptr(GListModel) intervals = create_model (interval_labels, G_N_ELEMENTS (interval_labels));

  gtk_widget_init_template (GTK_WIDGET (self));
  pd_app_util_fix_accessible_names (GTK_WIDGET (self));
  pd_app_util_name_combo_items (self->role_row);
  pd_app_util_name_combo_items (self->interval_row);
  adw_combo_row_set_model (self->role_row, roles);
  adw_combo_row_set_model (self->interval_row, intervals);
  name_search_entry (GTK_WIDGET (self));
  pd_app_util_set_editable_label (GTK_EDITABLE (self->max_in_flight_spin),
                                  _("Most requests at once"));
  pd_app_util_set_editable_label (GTK_EDITABLE (self->rpm_spin), _("Requests per minute"));
}

GtkWidget *
pd_preferences_window_new (PdSession *session,
                           GtkWindow *parent)
{
  PdPreferencesWindow *self;

  g_return_val_if_fail (PD_IS_SESSION (session), NULL);

  self = g_object_new (PD_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  self->settings = g_object_ref (pd_session_get_settings (session));
  bind_settings (self);
  pd_reseller_scope_group_set_store (self->reseller_group, pd_session_get_store (session));
  return GTK_WIDGET (self);
}
