/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-application.c — PdApplication as the desktop starts it: the cache from PARTNER_DESK_DB,
 * the app actions and their state while signed out, the keyboard shortcuts window, and an
 * unreadable cache: an error page naming the file, which is left byte for byte as it was; an
 * older cache: upgraded in a thread behind a window that says so, then the real window; a
 * refused PARTNER_DESK_ACCESS_TOKEN: said as the CLI says it, with no useless sign-in. */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "pd-application-private.h"
#include "pd-test-util.h"
#include "pd-window-private.h"
#include "simulator/pd-simulator.h"
#include "ui-window-fixture.h"

static gboolean
action_enabled (AppFixture *fixture,
                const char *name)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), name);
}

static void
test_starts_on_cache (AppFixture    *fixture,
                      gconstpointer  data)
{
  GtkWindow *window = app_fixture_start (fixture);
  const char *actions[] = { "preferences", "about", "sign-in", "sign-out", "quit", "show-view" };

  g_assert_true (PD_IS_WINDOW (window));
  g_assert_nonnull (pd_application_get_session (fixture->app));
  g_assert_cmpstr (pd_store_get_path (pd_session_get_store (pd_application_get_session (fixture->app))),
                   ==, fixture->path);
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->app), actions[i]));
  /* Not signed in: Sign In is offered, Sign Out is not. */
  g_assert_true (action_enabled (fixture, "sign-in"));
  g_assert_false (action_enabled (fixture, "sign-out"));
  /* gtk/help-overlay.ui from the resource base path gives every window the shortcuts window. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  /* A second activation presents the same window. */
  g_application_activate (G_APPLICATION (fixture->app));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (fixture->app))),
                    ==, 1);
}

static void
test_unreadable_cache (AppFixture    *fixture,
                       gconstpointer  data)
{
  const char garbage[] = "this is not an SQLite database, but somebody's data all the same\n";
  g_autofree char *after = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  AdwStatusPage *page;

  g_assert_true (g_file_set_contents (fixture->path, garbage, -1, &error));
  window = app_fixture_start (fixture);
  g_assert_true (PD_IS_WINDOW (window));
  g_assert_null (pd_application_get_session (fixture->app));
  g_assert_null (pd_window_get_session (PD_WINDOW (window)));
  page = ADW_STATUS_PAGE (ui_find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE));
  g_assert_nonnull (page);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (page)));
  g_assert_nonnull (strstr (adw_status_page_get_description (page), fixture->path));
  g_assert_false (action_enabled (fixture, "preferences"));

  g_assert_true (g_file_get_contents (fixture->path, &after, &length, &error));
  g_assert_cmpmem (after, length, garbage, strlen (garbage));
}

static gboolean
main_window_shown (gpointer data)
{
  AppFixture *fixture = data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (fixture->app));

  return windows != NULL && windows->next == NULL && PD_IS_WINDOW (windows->data);
}

static void
test_upgrades_older_cache (AppFixture    *fixture,
                           gconstpointer  data)
{
  g_autofree char *fixture_sql = pd_test_data_path ("store-v2.sql");
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  GtkWindow *window;
  AdwStatusPage *page;
  PdSession *session;

  g_assert_true (g_file_get_contents (fixture_sql, &sql, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (pd_store_needs_upgrade (fixture->path));

  /* Activation comes before the thread can finish: the window says what is happening. */
  window = app_fixture_start (fixture);
  g_assert_nonnull (window);
  g_assert_false (PD_IS_WINDOW (window));
  page = ADW_STATUS_PAGE (ui_find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE));
  g_assert_nonnull (page);
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "Updating the Cache");
  g_assert_nonnull (ui_find_widget (GTK_WIDGET (window), GTK_TYPE_SPINNER));
  g_assert_null (pd_application_get_session (fixture->app));
  g_assert_false (action_enabled (fixture, "preferences"));

  /* Then the upgraded cache in the real window, which replaces it. */
  g_assert_true (pd_test_wait_until (main_window_shown, fixture, 20000));
  session = pd_application_get_session (fixture->app);
  g_assert_nonnull (session);
  g_assert_cmpint (pd_store_get_schema_version (pd_session_get_store (session)), ==,
                   PD_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (pd_store_count (pd_session_get_store (session)), >, 0);
  g_assert_true (action_enabled (fixture, "preferences"));
}

static gboolean
upgrade_finished (gpointer data)
{
  AppFixture *fixture = data;

  return action_enabled (fixture, "preferences");   /* a session exists */
}

/* Closing the window while the cache is updated quits: the update still completes, and no
 * window comes back. */
static void
test_upgrade_window_closed (AppFixture    *fixture,
                            gconstpointer  data)
{
  g_autofree char *fixture_sql = pd_test_data_path ("store-v2.sql");
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;
  GtkWindow *window;

  g_assert_true (g_file_get_contents (fixture_sql, &sql, NULL, NULL));
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  window = app_fixture_start (fixture);
  g_assert_false (PD_IS_WINDOW (window));
  gtk_window_close (window);
  g_assert_true (pd_test_wait_until (upgrade_finished, fixture, 20000));
  pd_test_spin (50);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (fixture->app)));
  g_assert_cmpint (pd_store_get_schema_version (
                     pd_session_get_store (pd_application_get_session (fixture->app))), ==,
                   PD_STORE_SCHEMA_VERSION);
}

static gboolean
app_list_loaded (gpointer data)
{
  AppFixture *fixture = data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (fixture->app));
  GtkWidget *list = window != NULL ? ui_find_widget (GTK_WIDGET (window),
                                                     PD_TYPE_ORGANIZATION_LIST) : NULL;

  return list != NULL && !pd_organization_list_get_loading (PD_ORGANIZATION_LIST (list));
}

static char *
cli_output (AppFixture *fixture,
            const char *command,
            const char *org)
{
  const char *argv[] = { "src/cli/partner-desk-cli", "--db", fixture->path, command, org,
                         NULL };
  char *out = NULL;

  g_assert_cmpint (pd_test_run (argv, NULL, &out, NULL), ==, 0);
  return out;
}

/* The CLI (or the sync timer) runs against the running app's cache: the app's write-ahead log
 * stays, and what the app saves afterwards is seen by the next CLI run. */
static void
test_cli_beside_running_app (AppFixture    *fixture,
                             gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *status = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) seed = pd_store_open (fixture->path, &error);
  PdStore *store;
  gint64 id;

  g_assert_no_error (error);
  id = pd_store_create_manual (seed, "Adams Trucking", "adams.example", "US", NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&seed);

  app_fixture_start (fixture);
  g_assert_true (pd_test_wait_until (app_list_loaded, fixture, 10000));
  store = pd_session_get_store (pd_application_get_session (fixture->app));
  g_assert_true (pd_store_set_field (store, id, "notes", "before the CLI", &error));
  g_assert_no_error (error);

  status = cli_output (fixture, "status", NULL);
  g_assert_nonnull (strstr (status, fixture->path));
  g_free (cli_output (fixture, "list", NULL));
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  g_assert_true (pd_store_set_field (store, id, "notes", "saved after the CLI ran", &error));
  g_assert_no_error (error);
  shown = cli_output (fixture, "show", "adams.example");
  g_assert_nonnull (strstr (shown, "saved after the CLI ran"));
}

static PdOrganizationList *
app_list (AppFixture *fixture)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (fixture->app));

  return PD_ORGANIZATION_LIST (ui_find_widget (GTK_WIDGET (window), PD_TYPE_ORGANIZATION_LIST));
}

static gboolean
one_row_visible (gpointer data)
{
  g_autoptr(GArray) ids = pd_organization_list_dup_visible_ids (app_list (data));

  return ids->len == 1;
}

/* What the CLI writes while the app is open reaches the app's list by itself: nobody tells the
 * app, and an app showing the old value would have the user edit (and save over) it. */
static void
test_shows_cli_edits (AppFixture    *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) seed = pd_store_open (fixture->path, &error);
  const char *argv[] = { "src/cli/partner-desk-cli", "--db", fixture->path, "set",
                         "adams.example", "notes=renewal call booked", NULL };
  g_autoptr(GArray) before = NULL;

  g_assert_no_error (error);
  pd_store_create_manual (seed, "Adams Trucking", "adams.example", "US", NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&seed);

  app_fixture_start (fixture);
  g_assert_true (pd_test_wait_until (app_list_loaded, fixture, 10000));
  pd_organization_list_set_search (app_list (fixture), "renewal");
  g_assert_true (pd_test_wait_until (app_list_loaded, fixture, 10000));
  before = pd_organization_list_dup_visible_ids (app_list (fixture));
  g_assert_cmpuint (before->len, ==, 0);

  g_assert_cmpint (pd_test_run (argv, NULL, NULL, NULL), ==, 0);
  g_assert_true (pd_test_wait_until (one_row_visible, fixture, 10000));
}

#define TENANT_A "aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa"
#define TENANT_B "bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb"

/* A token whose claims name tenant (nothing verifies it here; Partner Center would). */
static char *
token_for_tenant (const char *tenant)
{
  g_autofree char *claims = g_strdup_printf ("{\"tid\":\"%s\",\"upn\":\"admin@b.example\"}",
                                             tenant);
  g_autofree char *payload = g_base64_encode ((const guchar *) claims, strlen (claims));

  g_strdelimit (payload, "+", '-');
  g_strdelimit (payload, "/", '_');
  g_strdelimit (payload, "=", '\0');
  return g_strdup_printf ("eyJhbGciOiJub25lIn0.%s.sig", payload);
}

/* A sign-in of another account than the cache's (restored while PARTNER_DESK_DB names the
 * cache) is not connected: the app stays signed out of it. Before, it connected, the claim
 * failed in a log line only, and push and the account check went to the other partner. */
static void
test_other_account_not_connected (AppFixture    *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) seed = pd_store_open (fixture->path, &error);
  g_autofree char *token = token_for_tenant (TENANT_B);
  g_autoptr(PdAuth) auth = pd_auth_new_with_token (token);
  PdSession *session;

  g_assert_no_error (error);
  g_assert_true (pd_store_claim_partner (seed, TENANT_A, "Partner A", NULL, &error));
  g_clear_object (&seed);
  app_fixture_start (fixture);
  session = pd_application_get_session (fixture->app);
  g_assert_false (pd_session_connect_account (session, auth, &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_OTHER_PARTNER);
  g_assert_false (pd_session_get_signed_in (session));
  g_assert_false (pd_session_can_push_to_partner_center (session));
}

/* Signing in with another account opens that account's own cache beside this one; the first
 * cache keeps its partner and its customers. */
static void
test_open_account_cache (AppFixture    *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) seed = pd_store_open (fixture->path, &error);
  g_autofree char *token = token_for_tenant (TENANT_B);
  g_autoptr(PdAuth) auth = pd_auth_new_with_token (token);
  g_autofree char *expected = g_build_filename (fixture->dir, "partner-desk-" TENANT_B ".db",
                                                NULL);
  g_autofree char *partner_a = NULL;
  g_autofree char *partner_b = NULL;
  PdStore *store;
  GtkWindow *window;

  g_assert_no_error (error);
  g_assert_true (pd_store_claim_partner (seed, TENANT_A, "Partner A", NULL, &error));
  g_assert_cmpint (pd_store_create_manual (seed, "Kept In A", NULL, "FI", NULL, &error), >, 0);
  g_clear_object (&seed);
  g_assert_cmpstr (pd_auth_get_tenant_id (auth), ==, TENANT_B);

  app_fixture_start (fixture);
  g_assert_true (pd_application_open_account_cache (fixture->app, auth, &error));
  g_assert_no_error (error);
  store = pd_session_get_store (pd_application_get_session (fixture->app));
  g_assert_cmpstr (pd_store_get_path (store), ==, expected);
  partner_b = pd_store_dup_partner_tenant_id (store);
  g_assert_cmpstr (partner_b, ==, TENANT_B);
  g_assert_cmpuint (pd_store_count (store), ==, 0);
  window = gtk_application_get_active_window (GTK_APPLICATION (fixture->app));
  g_assert_true (PD_IS_WINDOW (window));
  g_assert_true (pd_window_get_session (PD_WINDOW (window))
                 == pd_application_get_session (fixture->app));

  seed = pd_store_open (fixture->path, &error);
  g_assert_no_error (error);
  partner_a = pd_store_dup_partner_tenant_id (seed);
  g_assert_cmpstr (partner_a, ==, TENANT_A);
  g_assert_cmpuint (pd_store_count (seed), ==, 1);
}

/* About (and the window) show the icon of the running app id, .Devel included, without an
 * installed icon theme entry: it comes from the app's resources. */
static void
test_app_icon (AppFixture    *fixture,
               gconstpointer  data)
{
  GtkWindow *window = app_fixture_start (fixture);
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (window)));

  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID));
  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID "-symbolic"));
}

/* Starts the app as `partner-desk --demo` does (its options first, then register, activate). */
static GtkWindow *
start_demo (AppFixture *fixture)
{
  g_autoptr(GVariantDict) options = g_variant_dict_new (NULL);
  int status = 0;

  g_variant_dict_insert (options, "demo", "b", TRUE);
  g_signal_emit_by_name (fixture->app, "handle-local-options", options, &status);
  g_assert_cmpint (status, ==, -1);
  return app_fixture_start (fixture);
}

/* The demo has seeded its showcase and the sync after it finished. */
static gboolean
demo_ready (gpointer data)
{
  PdSession *session = data;
  g_autofree char *seeded = pd_store_get_meta (pd_session_get_store (session), "demo-seeded");

  return seeded != NULL && !pd_session_get_syncing (session);
}

static gboolean
report_has_replaced_edit (PdStore   *store,
                          PdSyncRun *run)
{
  g_autoptr(GPtrArray) events = pd_store_get_run_events (store, run->id, NULL);

  for (guint i = 0; events != NULL && i < events->len; i++)
    if (((PdRunEvent *) g_ptr_array_index (events, i))->kind == PD_RUN_EVENT_OVERRIDE_REPLACED)
      return TRUE;
  return FALSE;
}

typedef struct
{
  guint n_new, n_blocked, n_unreadable, n_missing_registration, n_local_fills;
} Showcase;

/* A field filled in locally where Partner Center's bill-to has nothing. */
static gboolean
has_local_fill (PdOrganization *org)
{
  for (PdBillToField f = 0; f < PD_BILL_TO_N_FIELDS; f++)
    if (pd_organization_is_field_overridden (org, f)
        && pd_bill_to_get (pd_organization_get_bill_to_partner_center (org), f) == NULL)
      return TRUE;
  return FALSE;
}

static gboolean
misses_registration_number (PdStore        *store,
                            PdOrganization *org)
{
  const char *country = pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_COUNTRY);
  g_autoptr(GPtrArray) missing = NULL;

  if (g_strcmp0 (country, "UA") != 0 && g_strcmp0 (country, "RU") != 0)
    return FALSE;
  missing = pd_missing_fields_for (pd_organization_get_bill_to (org),
                                   pd_organization_get_registration_number (org),
                                   pd_store_get_country_rules (store));
  for (guint i = 0; i < missing->len; i++)
    if (((PdMissingField *) g_ptr_array_index (missing, i))->field
        == PD_MISSING_REGISTRATION_NUMBER)
      return TRUE;
  return FALSE;
}

static void
count_showcase (PdStore  *store,
                Showcase *seen)
{
  PdStoreQuery query = { .filter = PD_FILTER_ALL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orgs = pd_store_list (store, &query, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < orgs->len; i++)
    {
      PdOrganization *org = g_ptr_array_index (orgs, i);

      seen->n_new += pd_organization_get_status (org) == PD_ORG_STATUS_NEW;
      seen->n_blocked += pd_organization_get_status (org) == PD_ORG_STATUS_BLOCKED;
      seen->n_unreadable += pd_organization_get_bill_to_state (org) == PD_BILL_TO_STATE_UNREADABLE;
      seen->n_missing_registration += misses_registration_number (store, org);
      seen->n_local_fills += has_local_fill (org);
    }
}

/* `partner-desk --demo` on a new cache: after its first sync, every feature has something to
 * show without any environment variable — the last run's report has a replaced local edit and
 * a failed customer; a bill-to is not readable; a Ukrainian customer lacks its registration
 * number; statuses New and Blocked; a local bill-to fill. */
static void
test_demo_shows_everything (AppFixture    *fixture,
                            gconstpointer  data)
{
  GtkWindow *window = start_demo (fixture);
  PdSession *session = pd_application_get_session (fixture->app);
  g_autoptr(GPtrArray) runs = NULL;
  PdSyncRun *last;
  Showcase seen = { 0 };

  g_assert_true (PD_IS_WINDOW (window));
  g_assert_true (pd_session_get_demo (session));
  g_assert_true (pd_test_wait_until (demo_ready, session, 90000));
  runs = pd_store_list_sync_runs (pd_session_get_store (session), 0, NULL);
  g_assert_nonnull (runs);
  g_assert_cmpuint (runs->len, ==, 2);
  last = g_ptr_array_index (runs, 0);
  g_assert_cmpint (last->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (last->n_overrides_replaced, >=, 1);
  g_assert_true (report_has_replaced_edit (pd_session_get_store (session), last));
  g_assert_cmpuint (last->n_failed, >=, 1);
  count_showcase (pd_session_get_store (session), &seen);
  g_assert_cmpuint (seen.n_new, >=, 1);
  g_assert_cmpuint (seen.n_blocked, >=, 1);
  g_assert_cmpuint (seen.n_unreadable, >=, 1);
  g_assert_cmpuint (seen.n_missing_registration, >=, 1);
  g_assert_cmpuint (seen.n_local_fills, >=, 1);
}

static void
count_finished (guint *n)
{
  (*n)++;
}

static gboolean
n_positive (gpointer data)
{
  return *(guint *) data > 0;
}

/* Whether a widget bound to action_name is on screen under root. */
static gboolean
shows_actionable (GtkWidget  *root,
                  const char *action_name)
{
  if (GTK_IS_ACTIONABLE (root) && gtk_widget_get_mapped (root)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_actionable (child, action_name))
      return TRUE;
  return FALSE;
}

/* Started with a PARTNER_DESK_ACCESS_TOKEN that Partner Center refuses: Sync says so in the
 * CLI's words (the token expired or is not valid: set a new one, or unset the variable), and
 * offers no sign-in, which would not help while the variable is set. */
static void
test_env_token_refused (AppFixture    *fixture,
                        gconstpointer  data)
{
  PdSimulatorOptions options;
  g_autoptr(PdSimulator) sim = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_url = g_strdup (g_getenv ("PARTNER_DESK_API_URL"));
  AdwMessageDialog *dialog;
  GtkWindow *window;
  PdSession *session;
  const char *body;
  guint n_finished = 0;

  pd_simulator_options_init (&options);
  options.n_customers = 5;
  options.token = "a-valid-token";
  sim = pd_simulator_new (&options);
  g_assert_true (pd_simulator_start (sim, 0, &error));
  g_assert_no_error (error);
  g_setenv ("PARTNER_DESK_API_URL", pd_simulator_get_base_url (sim), TRUE);
  g_setenv ("PARTNER_DESK_ACCESS_TOKEN", "an-expired-token", TRUE);
  window = app_fixture_start (fixture);
  session = pd_application_get_session (fixture->app);
  g_assert_true (pd_session_get_signed_in (session));
  g_assert_false (action_enabled (fixture, "sign-in"));

  g_signal_connect_swapped (session, "sync-finished", G_CALLBACK (count_finished), &n_finished);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  g_assert_true (pd_test_wait_until (n_positive, &n_finished, 30000));
  g_signal_handlers_disconnect_by_data (session, &n_finished);

  dialog = ui_find_message_dialog (window);
  g_assert_nonnull (dialog);
  body = adw_message_dialog_get_body (dialog);
  g_test_message ("%s: %s", adw_message_dialog_get_heading (dialog), body);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Access Token Refused");
  g_assert_nonnull (strstr (body, "refused the access token given in PARTNER_DESK_ACCESS_TOKEN"));
  g_assert_nonnull (strstr (body, "unset the variable"));
  g_assert_null (strstr (body, "Sign in again"));
  /* Close, and no sign-in anywhere: the variable's token would be used again. */
  g_assert_true (adw_message_dialog_has_response (dialog, "close"));
  g_assert_null (ui_find_actionable (GTK_WIDGET (dialog), "app.sign-in"));
  g_assert_false (shows_actionable (GTK_WIDGET (window), "app.sign-in"));
  g_assert_false (action_enabled (fixture, "sign-in"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  g_unsetenv ("PARTNER_DESK_ACCESS_TOKEN");
  if (old_url != NULL)
    g_setenv ("PARTNER_DESK_API_URL", old_url, TRUE);
  else
    g_unsetenv ("PARTNER_DESK_API_URL");
}

int
main (int    argc,
      char **argv)
{
  window_fixture_init (&argc, &argv);

  g_test_add ("/application/starts-on-cache", AppFixture, NULL, app_fixture_set_up,
              test_starts_on_cache, app_fixture_tear_down);
  g_test_add ("/application/unreadable-cache", AppFixture, NULL, app_fixture_set_up,
              test_unreadable_cache, app_fixture_tear_down);
  g_test_add ("/application/upgrades-older-cache", AppFixture, NULL, app_fixture_set_up,
              test_upgrades_older_cache, app_fixture_tear_down);
  g_test_add ("/application/upgrade-window-closed", AppFixture, NULL, app_fixture_set_up,
              test_upgrade_window_closed, app_fixture_tear_down);
  g_test_add ("/application/cli-beside-running-app", AppFixture, NULL, app_fixture_set_up,
              test_cli_beside_running_app, app_fixture_tear_down);
  g_test_add ("/application/shows-cli-edits", AppFixture, NULL, app_fixture_set_up,
              test_shows_cli_edits, app_fixture_tear_down);
  g_test_add ("/application/other-account-not-connected", AppFixture, NULL, app_fixture_set_up,
              test_other_account_not_connected, app_fixture_tear_down);
  g_test_add ("/application/open-account-cache", AppFixture, NULL, app_fixture_set_up,
              test_open_account_cache, app_fixture_tear_down);
  g_test_add ("/application/demo-shows-everything", AppFixture, NULL, app_fixture_set_up,
              test_demo_shows_everything, app_fixture_tear_down);
  g_test_add ("/application/env-token-refused", AppFixture, NULL, app_fixture_set_up,
              test_env_token_refused, app_fixture_tear_down);
  g_test_add ("/application/app-icon", AppFixture, NULL, app_fixture_set_up,
              test_app_icon, app_fixture_tear_down);
  return g_test_run ();
}
