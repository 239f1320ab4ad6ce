/* pd-demo.c — the built-in demo: simulator, cache file, sign-in, screenshot scenes. */
#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gi18n.h>

#include "pd-demo.h"
#include "pd-sync-panel.h"
#include "pd-window.h"

#define DEMO_CUSTOMERS 2500
/* Enough latency that the first sync's progress is visible (a few seconds), not tedious. */
#define DEMO_LATENCY_MS 20
#define DEMO_TOKEN "partner-desk-demo-token"

char *
pd_demo_dup_db_path (void)
{
  const char *env = g_getenv ("PARTNER_DESK_DB");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "partner-desk", "demo.db", NULL);
}

GSettings *
pd_demo_new_settings (void)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  GSettings *settings = g_settings_new_with_backend (APP_ID, backend);

  g_settings_set_enum (settings, "partner-role", PD_PARTNER_ROLE_INDIRECT_PROVIDER);
  return settings;
}

/* Marks the cache as the demo's, so that partner-desk-cli can say why it cannot sync it. Not
 * a cache that PARTNER_DESK_DB points at and that holds customers already: that may be real. */
static void
mark_demo_cache (PdStore *store)
{
  g_autofree char *default_path = g_build_filename (g_get_user_data_dir (), "partner-desk",
                                                    "demo.db", NULL);
  g_autoptr(GError) error = NULL;

  if ((g_str_equal (pd_store_get_path (store), default_path) || pd_store_count (store) == 0)
      && !pd_store_mark_demo (store, &error))
    g_warning ("Could not mark the demo cache: %s", error->message);
}

PdSimulator *
pd_demo_start (PdSession  *session,
               GError    **error)
{
  PdSimulatorOptions options;
  g_autoptr(PdSimulator) simulator = NULL;
  g_autoptr(PdAuth) auth = NULL;

  g_return_val_if_fail (PD_IS_SESSION (session), NULL);

  pd_simulator_options_init (&options);
  options.n_customers = DEMO_CUSTOMERS;
  options.latency_ms = DEMO_LATENCY_MS;
  options.token = DEMO_TOKEN;
  simulator = pd_simulator_new (&options);
  if (!pd_simulator_start (simulator, 0, error))
    return NULL;
  auth = pd_auth_new_with_token (DEMO_TOKEN);
  pd_session_set_demo (session, TRUE);
  mark_demo_cache (pd_session_get_store (session));
  if (!pd_session_connect (session, auth, pd_simulator_get_base_url (simulator), error))
    return NULL;
  return g_steal_pointer (&simulator);
}

/* The first organization by name that came from Partner Center with a complete bill-to:
 * a local edit on it shows the editor's warning without other noise. */
static PdOrganization *
pick_organization (PdStore *store)
{
  PdStoreQuery query = { .filter = PD_FILTER_ALL, .limit = 50 };
  g_autoptr(GPtrArray) orgs = pd_store_list (store, &query, NULL);

  for (guint i = 0; orgs != NULL && i < orgs->len; i++)
    {
      PdOrganization *org = g_ptr_array_index (orgs, i);

      if (pd_organization_get_source (org) == PD_ORG_SOURCE_PARTNER_CENTER
          && pd_organization_get_bill_to_complete (org) && !pd_organization_get_removed (org))
        return g_object_ref (org);
    }
  return NULL;
}

static void
edit_city (PdSession      *session,
           PdOrganization *org)
{
  const char *city = pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_CITY);
  g_autofree char *edited = g_strdup_printf ("%s Centre", city != NULL ? city : "");
  g_autoptr(GError) error = NULL;

  if (!pd_store_set_bill_to_field (pd_session_get_store (session), pd_organization_get_id (org),
                                   PD_BILL_TO_CITY, edited, &error))
    g_warning ("Demo scene: %s", error->message);
  pd_session_notify_changed (session, pd_organization_get_id (org));
}

/* Local edits on three customers whose bill-to Partner Center then changes: the next sync
 * reports "local edits replaced" with both values (journey 4 of the design). */
static void
stage_replaced_edits (PdSession   *session,
                      PdSimulator *simulator)
{
  PdStoreQuery query = { .filter = PD_FILTER_ALL, .limit = 3 };
  g_autoptr(GPtrArray) orgs = pd_store_list (pd_session_get_store (session), &query, NULL);
  g_autoptr(GString) json = g_string_new ("{\"changeBillTo\": [");
  g_autofree char *answer = NULL;

  for (guint i = 0; orgs != NULL && i < orgs->len; i++)
    {
      PdOrganization *org = g_ptr_array_index (orgs, i);

      edit_city (session, org);
      g_string_append_printf (json, "%s\"%s\"", i > 0 ? ", " : "",
                              pd_organization_get_tenant_id (org));
    }
  g_string_append (json, "]}");
  answer = pd_simulator_mutate_json (simulator, json->str, NULL);
  pd_session_sync (session, PD_SYNC_MODE_AUTO, FALSE);
}

/* build-aux/screenshots waits for this line before it takes the picture. */
static void
announce_ready (void)
{
  g_print ("PARTNER_DESK_SCREENSHOT_READY\n");
  fflush (stdout);
}

/* After the panel listed the run (it handles "sync-finished" first): open its report. */
static void
on_scene_sync_finished (PdSession *session,
                        gint64     run_id,
                        gpointer   error,
                        gboolean   background,
                        GtkWidget *window)
{
  g_signal_handlers_disconnect_by_func (session, on_scene_sync_finished, window);
  pd_sync_panel_expand_latest_report (PD_SYNC_PANEL (pd_window_get_sync_panel (PD_WINDOW (window))));
  announce_ready ();
}

/* The main view shows the first customer whose bill-to is incomplete: the editor then lists
 * what is missing for its country (journey 2 of the design). */
static void
show_first (PdSession *session,
            GtkWidget *window)
{
  PdStoreQuery query = { .filter = PD_FILTER_INCOMPLETE, .limit = 1 };
  g_autoptr(GPtrArray) orgs = pd_store_list (pd_session_get_store (session), &query, NULL);

  if (orgs != NULL && orgs->len > 0)
    gtk_widget_activate_action (window, "win.show-organization", "x",
                                pd_organization_get_id (g_ptr_array_index (orgs, 0)));
}

void
pd_demo_apply_scene (PdSession   *session,
                     PdSimulator *simulator,
                     GtkWidget   *window)
{
  const char *scene = g_getenv ("PARTNER_DESK_SCREENSHOT_SCENE");
  g_autoptr(PdOrganization) org = NULL;

  if (scene == NULL || !pd_session_get_demo (session))
    return;
  if (g_str_equal (scene, "editor"))
    {
      org = pick_organization (pd_session_get_store (session));
      if (org != NULL)
        {
          edit_city (session, org);
          gtk_widget_activate_action (window, "win.show-organization", "x",
                                      pd_organization_get_id (org));
        }
      announce_ready ();
    }
  else if (g_str_equal (scene, "sync"))
    {
      gtk_widget_activate_action (window, "win.show-view", "s", "sync");
      g_signal_connect_after (session, "sync-finished", G_CALLBACK (on_scene_sync_finished), window);
      stage_replaced_edits (session, simulator);
    }
  else
    {
      show_first (session, window);
      announce_ready ();
    }
}
