/* SPDX-License-Identifier: GPL-3.0-or-later */
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
/* Meta key: the demo cache has its showcase (local fields, replaced edits) already. */
#define DEMO_SEEDED_KEY "demo-seeded"

/* Which of the simulator's seeded customers (by position) show what: fixed, so that every
 * demo shows the same. */
enum {
  DEMO_REFUSED = 1,     /* bill-to refused (403): not readable, failed in every run */
  DEMO_UKRAINE,         /* in Ukraine, which requires a registration number: missing */
  DEMO_REPLACED,        /* a local city edit that Partner Center replaces (two customers) */
  DEMO_BLOCKED = DEMO_REPLACED + 2,
  DEMO_ACTIVE,          /* the first of DEMO_N_ACTIVE approved ones; the others stay New */
  DEMO_N_ACTIVE = 6,
};

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

/* Partner Center's side of the showcase, staged on every start (the simulator forgets it):
 * a customer whose bill-to is refused, one in Ukraine. */
static void
stage_partner_center (PdSimulator *simulator)
{
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (simulator);
  const char *kyiv[] = { "country", "UA", "region", NULL, "state", NULL, "city", "Kyiv",
                         "postalCode", "01001", "addressLine1", "vul. Khreshchatyk 22",
                         "addressLine2", NULL, "phoneNumber", "+380 44 123 4567",
                         "culture", "uk-UA", "language", "uk", NULL };

  if (g_strv_length (ids) <= DEMO_ACTIVE + DEMO_N_ACTIVE)
    return;
  pd_simulator_set_refusal (simulator, ids[DEMO_REFUSED], PD_SIM_REFUSE_BILLING_PROFILE, 403);
  if (!pd_simulator_update_bill_to (simulator, ids[DEMO_UKRAINE], kyiv))
    g_warning ("Demo: could not move a customer to Ukraine");
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
  stage_partner_center (simulator);
  auth = pd_auth_new_with_token (DEMO_TOKEN);
  pd_session_set_demo (session, TRUE);
  mark_demo_cache (pd_session_get_store (session));
  if (!pd_session_connect (session, auth, pd_simulator_get_base_url (simulator), error))
    return NULL;
  return g_steal_pointer (&simulator);
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
    g_warning ("Demo: %s", error->message);
}

static void
set_status (PdStore        *store,
            PdOrganization *org,
            PdOrgStatus     status)
{
  g_autoptr(GError) error = NULL;

  if (!pd_store_set_field (store, pd_organization_get_id (org), "status",
                           pd_org_status_to_string (status), &error))
    g_warning ("Demo: %s", error->message);
}

/* A value the demo types into a missing field: the first allowed state, or a city. */
static const char *
fill_value (PdCountryRules *rules,
            PdOrganization *org,
            PdBillToField   field)
{
  const char *country = pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_COUNTRY);
  const PdCountryRule *rule = country != NULL ? pd_country_rules_lookup (rules, country) : NULL;

  if (field == PD_BILL_TO_STATE && rule != NULL && rule->allowed_states != NULL)
    return rule->allowed_states[0];
  if (field == PD_BILL_TO_CITY)
    return "Springfield";
  return NULL;
}

/* Fills org's missing bill-to fields locally when the demo knows a value for each of them. */
static gboolean
fill_locally (PdStore        *store,
              PdOrganization *org)
{
  PdCountryRules *rules = pd_store_get_country_rules (store);
  g_autoptr(GPtrArray) missing =
    pd_bill_to_missing_fields (pd_organization_get_bill_to_partner_center (org), rules);

  for (guint i = 0; i < missing->len; i++)
    if (fill_value (rules, org, ((PdMissingField *) g_ptr_array_index (missing, i))->field) == NULL)
      return FALSE;
  for (guint i = 0; i < missing->len; i++)
    {
      PdBillToField field = ((PdMissingField *) g_ptr_array_index (missing, i))->field;
      /* A copy: a write may replace the rules it points into (pd_store_follow_other_writers). */
      g_autofree char *value = g_strdup (fill_value (rules, org, field));

      if (!pd_store_set_bill_to_field (store, pd_organization_get_id (org), field, value, NULL))
        return FALSE;
    }
  return missing->len > 0;
}

/* The first incomplete customer (by name) whose gaps the demo can fill: a local fill, which
 * the list and the editor show as not yet in Partner Center. */
static void
stage_local_fill (PdStore *store)
{
  PdStoreQuery query = { .filter = PD_FILTER_INCOMPLETE, .limit = 200 };
  g_autoptr(GPtrArray) orgs = pd_store_list (store, &query, NULL);

  for (guint i = 0; orgs != NULL && i < orgs->len; i++)
    if (fill_locally (store, g_ptr_array_index (orgs, i)))
      return;
  g_warning ("Demo: no customer to fill in locally");
}

/* Local fields on fixed customers (statuses, city edits) and Partner Center changes to the
 * edited bill-tos: the sync that follows reports the edits replaced. */
static void
stage_local_fields (PdSession   *session,
                    PdSimulator *simulator,
                    char       **ids)
{
  PdStore *store = pd_session_get_store (session);
  g_autofree char *json = g_strdup_printf ("{\"changeBillTo\": [\"%s\", \"%s\"]}",
                                           ids[DEMO_REPLACED], ids[DEMO_REPLACED + 1]);
  g_autofree char *answer = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; ids[i] != NULL && i < DEMO_ACTIVE + DEMO_N_ACTIVE; i++)
    {
      g_autoptr(PdOrganization) org = pd_store_find_by_tenant (store, ids[i], NULL);

      if (org == NULL)
        continue;
      if (i == DEMO_REPLACED || i == DEMO_REPLACED + 1)
        edit_city (session, org);
      else if (i == DEMO_BLOCKED)
        set_status (store, org, PD_ORG_STATUS_BLOCKED);
      else if (i >= DEMO_ACTIVE)
        set_status (store, org, PD_ORG_STATUS_ACTIVE);
    }
  answer = pd_simulator_mutate_json (simulator, json, &error);
  if (answer == NULL)
    g_warning ("Demo: %s", error->message);
}

/* After the first sync of a new demo cache: everything the app shows, on purpose, so that a
 * first look finds every feature. Returns TRUE when it started the sync that shows the
 * replaced edits. */
static gboolean
seed_showcase (PdSession   *session,
               PdSimulator *simulator)
{
  PdStore *store = pd_session_get_store (session);
  g_autofree char *seeded = pd_store_get_meta (store, DEMO_SEEDED_KEY);
  g_auto(GStrv) ids = NULL;
  g_autoptr(GError) error = NULL;

  if (seeded != NULL || simulator == NULL || pd_store_count (store) == 0)
    return FALSE;
  ids = pd_simulator_dup_customer_ids (simulator);
  if (g_strv_length (ids) <= DEMO_ACTIVE + DEMO_N_ACTIVE)
    return FALSE;
  stage_local_fields (session, simulator, ids);
  stage_local_fill (store);
  if (!pd_store_set_meta (store, DEMO_SEEDED_KEY, "1", &error))
    g_warning ("Demo: %s", error->message);
  pd_session_notify_changed (session, 0);
  return pd_session_sync (session, PD_SYNC_MODE_AUTO, FALSE);
}

/* build-aux/screenshots waits for this line before it takes the picture. */
static void
announce_ready (void)
{
  g_print ("PARTNER_DESK_SCREENSHOT_READY\n");
  fflush (stdout);
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
          && pd_organization_get_bill_to_complete (org) && !pd_organization_get_removed (org)
          && !pd_organization_get_has_local_edits (org))
        return g_object_ref (org);
    }
  return NULL;
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

static void
show_editor_scene (PdSession *session,
                   GtkWidget *window)
{
  g_autoptr(PdOrganization) org = pick_organization (pd_session_get_store (session));

  if (org == NULL)
    return;
  edit_city (session, org);
  pd_session_notify_changed (session, pd_organization_get_id (org));
  gtk_widget_activate_action (window, "win.show-organization", "x", pd_organization_get_id (org));
}

/* PARTNER_DESK_SCREENSHOT_SCENE: the window as a README screenshot shows it. */
static void
show_scene (PdSession *session,
            GtkWidget *window)
{
  const char *scene = g_getenv ("PARTNER_DESK_SCREENSHOT_SCENE");

  if (scene == NULL)
    return;
  if (g_str_equal (scene, "editor"))
    show_editor_scene (session, window);
  else if (g_str_equal (scene, "sync"))
    {
      gtk_widget_activate_action (window, "win.show-view", "s", "sync");
      pd_sync_panel_expand_latest_report (PD_SYNC_PANEL (pd_window_get_sync_panel (PD_WINDOW (window))));
    }
  else
    show_first (session, window);
  announce_ready ();
}

/* After the panel listed the showcase's run (it handles "sync-finished" first). */
static void
on_showcase_synced (PdSession *session,
                    gint64     run_id,
                    gpointer   error,
                    gboolean   background,
                    GtkWidget *window)
{
  g_signal_handlers_disconnect_by_func (session, on_showcase_synced, window);
  show_scene (session, window);
}

void
pd_demo_apply_scene (PdSession   *session,
                     PdSimulator *simulator,
                     GtkWidget   *window)
{
  if (!pd_session_get_demo (session))
    return;
  if (seed_showcase (session, simulator))
    g_signal_connect_after (session, "sync-finished", G_CALLBACK (on_showcase_synced), window);
  else
    show_scene (session, window);
}
