/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-partner-center.c — the editor and sign-in against the Partner Center simulator on
 * loopback: "Push to Partner Center…" (fresh etag, difference, PUT, refresh, conflict) and
 * the device code sign-in. */
#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include <sqlite3.h>

#include "api/pd-pc-client-private.h"
#include "simulator/pd-simulator.h"
#include "pd-bill-to-editor-private.h"
#include "pd-consent-dialog.h"
#include "pd-organization-editor.h"
#include "pd-organization-list-private.h"
#include "pd-sign-in-dialog.h"
#include "pd-window-private.h"
#include "pd-test-util.h"
#include "ui-fixture.h"

#define SIM_TOKEN "ui-test-token"
#define WAIT_MS   15000

typedef struct
{
  char        *dir;
  PdSimulator *sim;
  PdStore     *store;
  GSettings   *settings;
  PdSession   *session;
} SimFixture;

static void
sim_set_up (SimFixture   *fixture,
            gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autofree char *path = NULL;
  PdSimulatorOptions options;

  pd_simulator_options_init (&options);
  options.n_customers = 4;
  options.token = SIM_TOKEN;
  options.approve_after_ms = 300;
  fixture->sim = pd_simulator_new (&options);
  g_assert_true (pd_simulator_start (fixture->sim, 0, &error));
  g_assert_no_error (error);

  fixture->dir = pd_test_make_tmpdir ();
  path = g_build_filename (fixture->dir, "partner-desk.db", NULL);
  fixture->store = pd_store_open (path, &error);
  g_assert_no_error (error);
  fixture->settings = g_settings_new_with_backend (APP_ID, backend);
  /* No background sync may race the test's own requests. */
  g_settings_set_uint (fixture->settings, "sync-interval", 0);
  g_settings_set_string (fixture->settings, "partner-role", "direct-partner");
  fixture->session = pd_session_new (fixture->store, fixture->settings);
}

static void
sim_tear_down (SimFixture   *fixture,
               gconstpointer data)
{
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->sim);
  pd_test_rm_rf (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} AsyncWait;

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

/* Connects with a fixed token and runs one full sync: the cache mirrors the simulator. */
static void
connect_and_sync (SimFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAuth) auth = pd_auth_new_with_token (SIM_TOKEN);
  AsyncWait wait = { FALSE, NULL };
  PdSyncEngine *engine;

  g_assert_true (pd_session_connect (fixture->session, auth,
                                     pd_simulator_get_base_url (fixture->sim), &error));
  g_assert_no_error (error);
  engine = pd_session_get_sync_engine (fixture->session);
  pd_sync_engine_run_async (engine, PD_SYNC_MODE_FULL, NULL, on_async_done, &wait);
  g_assert_true (pd_test_wait_for_flag (&wait.done, WAIT_MS));
  g_assert_cmpint (pd_sync_engine_run_finish (engine, wait.result, &error), >, 0);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
}

static PdOrganization *
first_customer (SimFixture *fixture)
{
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (fixture->sim);
  g_autoptr(GError) error = NULL;
  PdOrganization *org;

  g_assert_nonnull (ids);
  g_assert_nonnull (ids[0]);
  org = pd_store_find_by_tenant (fixture->store, ids[0], &error);
  g_assert_no_error (error);
  return org;
}

static AdwMessageDialog *
find_message_dialog (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window))
          && g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)), heading) == 0)
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

typedef struct
{
  const char       *heading;
  AdwMessageDialog *dialog;
} DialogWait;

static gboolean
dialog_shown (gpointer data)
{
  DialogWait *wait = data;

  wait->dialog = find_message_dialog (wait->heading);
  return wait->dialog != NULL;
}

typedef struct
{
  SimFixture *fixture;
  gint64      id;
} OrgWait;

static gboolean
override_gone (gpointer data)
{
  OrgWait *wait = data;
  g_autoptr(PdOrganization) org = pd_store_get (wait->fixture->store, wait->id, NULL);

  return org != NULL && !pd_organization_get_has_local_edits (org);
}

static PdPcBillingProfile *
fetch_profile (SimFixture *fixture,
               const char *tenant_id)
{
  PdPcClient *client = pd_session_get_client (fixture->session);
  AsyncWait wait = { FALSE, NULL };
  g_autoptr(GError) error = NULL;
  PdPcBillingProfile *profile;

  pd_pc_client_get_billing_profile_async (client, tenant_id, NULL, on_async_done, &wait);
  g_assert_true (pd_test_wait_for_flag (&wait.done, WAIT_MS));
  profile = pd_pc_client_get_billing_profile_finish (client, wait.result, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  return profile;
}

static char *
fetch_city (SimFixture *fixture,
            const char *tenant_id)
{
  g_autoptr(PdPcBillingProfile) profile = fetch_profile (fixture, tenant_id);

  return g_strdup (pd_bill_to_get (profile->bill_to, PD_BILL_TO_CITY));
}

static PdBillToEditor *
bill_to_editor (GtkWindow *window)
{
  return ui_fixture_child (gtk_window_get_child (window), PD_TYPE_ORGANIZATION_EDITOR,
                           "bill_to_editor");
}

static GtkWidget *
push_button (GtkWindow *window)
{
  return ui_fixture_child (bill_to_editor (window), PD_TYPE_BILL_TO_EDITOR, "push_button");
}

/* The cache holds what Partner Center holds after the push (values and etag), the pushed
 * city is no local edit any more, and the editor shows it without the local-edit warning
 * (unless other_override: a field typed meanwhile, still a local edit). */
static void
assert_pushed (SimFixture *fixture,
               gint64      id,
               GtkWindow  *window,
               gboolean    other_override)
{
  g_autoptr(PdOrganization) after = pd_store_get (fixture->store, id, NULL);
  g_autoptr(PdPcBillingProfile) profile = NULL;
  PdBillToEditor *editor = bill_to_editor (window);

  g_assert_nonnull (after);
  profile = fetch_profile (fixture, pd_organization_get_tenant_id (after));
  g_assert_cmpstr (pd_bill_to_get (profile->bill_to, PD_BILL_TO_CITY), ==, "Pushville");
  g_assert_true (pd_bill_to_equal (pd_organization_get_bill_to_partner_center (after),
                                   profile->bill_to));
  g_assert_cmpstr (pd_organization_get_bill_to_etag (after), ==, profile->etag);
  g_assert_false (pd_organization_is_field_overridden (after, PD_BILL_TO_CITY));
  g_assert_cmpint (pd_organization_get_has_local_edits (after), ==, other_override);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (
                     pd_bill_to_editor_get_row (editor, PD_BILL_TO_CITY))), ==, "Pushville");
  g_assert_cmpint (pd_bill_to_editor_get_warning_visible (editor), ==, other_override);
  g_assert_true (gtk_widget_is_sensitive (push_button (window)));
}

/* Starts a push of a local city override from a real editor; returns the confirm dialog. */
static AdwMessageDialog *
start_push (SimFixture      *fixture,
            PdOrganization  *org,
            GtkWindow      **out_window)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *editor = pd_organization_editor_new (fixture->session);
  DialogWait wait = { "Push to Partner Center?", NULL };

  g_assert_true (pd_store_set_bill_to_field (fixture->store, pd_organization_get_id (org),
                                             PD_BILL_TO_CITY, "Pushville", &error));
  g_assert_no_error (error);
  *out_window = ui_fixture_present (editor);
  pd_organization_editor_set_organization_id (PD_ORGANIZATION_EDITOR (editor),
                                              pd_organization_get_id (org));
  g_assert_true (gtk_widget_activate_action (editor, "editor.push-bill-to", NULL));
  g_assert_true (pd_test_wait_until (dialog_shown, &wait, WAIT_MS));
  /* The difference is shown before anything is sent. */
  g_assert_nonnull (strstr (adw_message_dialog_get_body (wait.dialog), "Pushville"));
  return wait.dialog;
}

typedef struct
{
  SimFixture *fixture;
  gint64      id;
  guint       n_runs;
} RefreshWait;

/* The refresh after the push has finished: n_runs runs, the newest one ended. */
static gboolean
refresh_done (gpointer data)
{
  RefreshWait *wait = data;
  g_autoptr(GPtrArray) runs = pd_store_list_sync_runs (wait->fixture->store, 0, NULL);

  return runs != NULL && runs->len == wait->n_runs
         && ((PdSyncRun *) g_ptr_array_index (runs, 0))->finished_at != NULL;
}

static gboolean
history_shows_push (gpointer data)
{
  return ui_fixture_find_text (GTK_WIDGET (data), GTK_TYPE_LABEL,
                               "Pushville · sent to Partner Center by you") != NULL;
}

static void
test_push_updates_partner_center (SimFixture   *fixture,
                                  gconstpointer data)
{
  g_autoptr(PdOrganization) org = NULL;
  AdwMessageDialog *confirm;
  GtkWindow *window = NULL;
  OrgWait wait = { fixture, 0 };
  RefreshWait refresh = { fixture, 0, 2 };
  DialogWait review = { "Account Under Review", NULL };

  connect_and_sync (fixture);
  org = first_customer (fixture);
  wait.id = pd_organization_get_id (org);
  confirm = start_push (fixture, org, &window);
  /* A new city can start Microsoft's account verification: said before sending. */
  g_assert_nonnull (strstr (adw_message_dialog_get_body (confirm), "under review"));
  /* A second push cannot start while this one waits for the user. */
  g_assert_false (gtk_widget_is_sensitive (push_button (window)));
  adw_message_dialog_response (confirm, "push");
  /* … and after it, where the account stands (the simulator reviews changed addresses). */
  g_assert_true (pd_test_wait_until (dialog_shown, &review, WAIT_MS));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (review.dialog), "blocked"));
  gtk_window_destroy (GTK_WINDOW (review.dialog));

  g_assert_true (pd_test_wait_until (override_gone, &wait, WAIT_MS));
  /* The cached Partner Center bill-to is the pushed one, so the effective value stays. */
  assert_pushed (fixture, wait.id, window, FALSE);
  /* The history tells the push from the local edit it sent. */
  g_assert_true (pd_test_wait_until (history_shows_push, window, WAIT_MS));
  /* So it does after the refresh in the background. */
  g_assert_true (pd_test_wait_until (refresh_done, &refresh, WAIT_MS));
  assert_pushed (fixture, wait.id, window, FALSE);
  ui_fixture_destroy (window);
}

/* Partner Center makes the change but its answer is cut short, on every retry: the editor
 * reads the bill-to back, finds the change made, and finishes the push as if the answer had
 * come (the account check, the cache updated, the override settled); no "Could Not Update". */
static void
test_push_answer_lost (SimFixture   *fixture,
                       gconstpointer data)
{
  g_autoptr(PdOrganization) org = NULL;
  AdwMessageDialog *confirm;
  GtkWindow *window = NULL;
  OrgWait wait = { fixture, 0 };
  DialogWait review = { "Account Under Review", NULL };

  connect_and_sync (fixture);
  org = first_customer (fixture);
  wait.id = pd_organization_get_id (org);
  confirm = start_push (fixture, org, &window);
  pd_simulator_set_short_put_bodies (fixture->sim, TRUE);
  adw_message_dialog_response (confirm, "push");
  g_assert_true (pd_test_wait_until (dialog_shown, &review, WAIT_MS));
  gtk_window_destroy (GTK_WINDOW (review.dialog));
  g_assert_true (pd_test_wait_until (override_gone, &wait, WAIT_MS));
  assert_pushed (fixture, wait.id, window, FALSE);
  ui_fixture_destroy (window);
}

/* The connection fails between the review and the push (here Partner Center answers 503 to
 * every read of the bill-to): the read before the PUT fails, no PUT is sent, and the dialog
 * says nothing was sent. Before, it said the answer to the change was lost and whether the
 * change was made is not known. */
static void
test_push_read_fails_before_put (SimFixture   *fixture,
                                 gconstpointer data)
{
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(PdOrganization) after = NULL;
  AdwMessageDialog *confirm;
  GtkWindow *window = NULL;
  DialogWait failed = { "Could Not Update Partner Center", NULL };

  connect_and_sync (fixture);
  org = first_customer (fixture);
  confirm = start_push (fixture, org, &window);
  pd_pc_client_set_retry_policy (pd_session_get_client (fixture->session), 1, 10);
  pd_simulator_set_refusal (fixture->sim, pd_organization_get_tenant_id (org),
                            PD_SIM_REFUSE_BILLING_PROFILE, 503);
  adw_message_dialog_response (confirm, "push");
  g_assert_true (pd_test_wait_until (dialog_shown, &failed, WAIT_MS));
  g_test_message ("%s", adw_message_dialog_get_body (failed.dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (failed.dialog), "Nothing was sent"));
  g_assert_null (find_message_dialog ("Change Not Confirmed"));
  /* The local edit stays. */
  after = pd_store_get (fixture->store, pd_organization_get_id (org), NULL);
  g_assert_true (pd_organization_get_has_local_edits (after));
  gtk_window_destroy (GTK_WINDOW (failed.dialog));
  ui_fixture_destroy (window);
}

/* A second PdStore on the same file holding a running sync: any refresh is refused (BUSY). */
static PdStore *
block_sync (SimFixture *fixture,
            gint64     *out_run)
{
  g_autoptr(GError) error = NULL;
  PdStore *other = pd_store_open (pd_store_get_path (fixture->store), &error);
  gint64 resume = 0;

  g_assert_no_error (error);
  *out_run = pd_store_begin_sync_run (other, PD_SYNC_KIND_INCREMENTAL, "test-blocker", &resume,
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpint (*out_run, >, 0);
  return other;
}

static void
unblock_sync (PdStore *other,
              gint64   run)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_store_finish_sync_run (other, run, PD_SYNC_STATE_CANCELLED, NULL, &error));
  g_assert_no_error (error);
  g_object_unref (other);
}

/* Partner Center took the push but the refresh cannot run (a sync is running): the PUT's
 * answer alone updates the cache; the pushed edit never looks lost. */
static void
test_push_refresh_fails (SimFixture   *fixture,
                         gconstpointer data)
{
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  AdwMessageDialog *confirm;
  GtkWindow *window = NULL;
  OrgWait wait = { fixture, 0 };
  PdStore *blocker;
  gint64 blocker_run = 0;

  connect_and_sync (fixture);
  org = first_customer (fixture);
  wait.id = pd_organization_get_id (org);
  confirm = start_push (fixture, org, &window);
  blocker = block_sync (fixture, &blocker_run);
  adw_message_dialog_response (confirm, "push");

  g_assert_true (pd_test_wait_until (override_gone, &wait, WAIT_MS));
  assert_pushed (fixture, wait.id, window, FALSE);
  /* No refresh ran: the first sync and the blocker are the only runs. */
  runs = pd_store_list_sync_runs (fixture->store, 0, NULL);
  g_assert_nonnull (runs);
  g_assert_cmpuint (runs->len, ==, 2);
  unblock_sync (blocker, blocker_run);
  ui_fixture_destroy (window);
}

static gboolean
postal_code_stored (gpointer data)
{
  OrgWait *wait = data;
  g_autoptr(PdOrganization) org = pd_store_get (wait->fixture->store, wait->id, NULL);

  return org != NULL && pd_organization_is_field_overridden (org, PD_BILL_TO_POSTAL_CODE);
}

/* A field typed in the editor while the push waits for confirmation was not pushed: it stays
 * a local edit, through the push and through the refresh after it. */
static void
test_push_keeps_later_edit (SimFixture   *fixture,
                            gconstpointer data)
{
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(PdOrganization) after = NULL;
  g_autoptr(PdPcBillingProfile) profile = NULL;
  AdwMessageDialog *confirm;
  GtkWindow *window = NULL;
  OrgWait wait = { fixture, 0 };
  RefreshWait refresh = { fixture, 0, 2 };
  GtkWidget *postal;

  connect_and_sync (fixture);
  org = first_customer (fixture);
  wait.id = refresh.id = pd_organization_get_id (org);
  confirm = start_push (fixture, org, &window);
  postal = pd_bill_to_editor_get_row (bill_to_editor (window), PD_BILL_TO_POSTAL_CODE);
  gtk_editable_set_text (GTK_EDITABLE (postal), "PD-4711");
  g_assert_true (pd_test_wait_until (postal_code_stored, &wait, WAIT_MS));
  adw_message_dialog_response (confirm, "push");

  g_assert_true (pd_test_wait_until (refresh_done, &refresh, WAIT_MS));
  assert_pushed (fixture, wait.id, window, TRUE);
  after = pd_store_get (fixture->store, wait.id, NULL);
  g_assert_true (pd_organization_is_field_overridden (after, PD_BILL_TO_POSTAL_CODE));
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (after), PD_BILL_TO_POSTAL_CODE),
                   ==, "PD-4711");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (postal)), ==, "PD-4711");
  /* It was not sent. */
  profile = fetch_profile (fixture, pd_organization_get_tenant_id (org));
  g_assert_cmpstr (pd_bill_to_get (profile->bill_to, PD_BILL_TO_POSTAL_CODE), !=, "PD-4711");
  ui_fixture_destroy (window);
}

/* Partner Center took the push but the cache cannot store its answer (another connection
 * holds the write lock): the local edit stays and the user is told. */
static void
test_push_store_fails (SimFixture   *fixture,
                       gconstpointer data)
{
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(PdOrganization) after = NULL;
  g_autofree char *city = NULL;
  AdwMessageDialog *confirm;
  GtkWindow *window = NULL;
  DialogWait told = { "Updated in Partner Center Only", NULL };
  sqlite3 *db = NULL;
  PdStore *blocker;
  gint64 blocker_run = 0;

  connect_and_sync (fixture);
  org = first_customer (fixture);
  confirm = start_push (fixture, org, &window);
  blocker = block_sync (fixture, &blocker_run);
  g_assert_cmpint (sqlite3_open (pd_store_get_path (fixture->store), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  adw_message_dialog_response (confirm, "push");

  g_assert_true (pd_test_wait_until (dialog_shown, &told, WAIT_MS));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (told.dialog), "local edits are kept"));
  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  city = fetch_city (fixture, pd_organization_get_tenant_id (org));
  g_assert_cmpstr (city, ==, "Pushville");
  after = pd_store_get (fixture->store, pd_organization_get_id (org), NULL);
  g_assert_true (pd_organization_is_field_overridden (after, PD_BILL_TO_CITY));
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (after), PD_BILL_TO_CITY),
                   ==, "Pushville");
  g_assert_true (gtk_widget_is_sensitive (push_button (window)));
  unblock_sync (blocker, blocker_run);
  gtk_window_destroy (GTK_WINDOW (told.dialog));
  ui_fixture_destroy (window);
}

/* Partner Center changes between the re-read and the PUT: nothing is overwritten, the fresh
 * values are shown and the local edit stays. */
static void
test_push_conflict_shows_fresh_values (SimFixture   *fixture,
                                       gconstpointer data)
{
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(PdOrganization) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *mutation = NULL;
  g_autofree char *city = NULL;
  AdwMessageDialog *confirm;
  GtkWindow *window = NULL;
  DialogWait conflict = { "Changed in Partner Center", NULL };

  connect_and_sync (fixture);
  org = first_customer (fixture);
  confirm = start_push (fixture, org, &window);
  mutation = g_strdup_printf ("{\"changeBillTo\": [\"%s\"]}", pd_organization_get_tenant_id (org));
  answer = pd_simulator_mutate_json (fixture->sim, mutation, &error);
  g_assert_no_error (error);
  adw_message_dialog_response (confirm, "push");

  g_assert_true (pd_test_wait_until (dialog_shown, &conflict, WAIT_MS));
  city = fetch_city (fixture, pd_organization_get_tenant_id (org));
  g_assert_cmpstr (city, !=, "Pushville");
  after = pd_store_get (fixture->store, pd_organization_get_id (org), NULL);
  g_assert_true (pd_organization_is_field_overridden (after, PD_BILL_TO_CITY));
  gtk_window_destroy (GTK_WINDOW (conflict.dialog));
  ui_fixture_destroy (window);
}

/* The first field whose value differs between a and b (there must be one). */
static PdBillToField
first_difference (const PdBillTo *a,
                  const PdBillTo *b)
{
  guint32 mask = pd_bill_to_diff_mask (a, b);

  g_assert_cmpuint (mask, !=, 0);
  return (PdBillToField) g_bit_nth_lsf (mask, -1);
}

/* Someone already put the typed value into Partner Center, unknown to the cache: the push sends
 * nothing, and the fresh Partner Center bill-to is stored, so the field keeps the typed value
 * (not the cache's older Partner Center value) without being a local edit any more. */
static void
test_push_already_in_partner_center (SimFixture   *fixture,
                                     gconstpointer data)
{
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(PdOrganization) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcBillingProfile) fresh = NULL;
  g_autofree char *mutation = NULL;
  g_autofree char *answer = NULL;
  PdBillToField field;
  const char *value;
  GtkWidget *editor;
  GtkWindow *window;
  OrgWait wait = { fixture, 0 };

  connect_and_sync (fixture);
  org = first_customer (fixture);
  wait.id = pd_organization_get_id (org);
  mutation = g_strdup_printf ("{\"changeBillTo\": [\"%s\"]}", pd_organization_get_tenant_id (org));
  answer = pd_simulator_mutate_json (fixture->sim, mutation, &error);
  g_assert_no_error (error);
  fresh = fetch_profile (fixture, pd_organization_get_tenant_id (org));
  field = first_difference (pd_organization_get_bill_to_partner_center (org), fresh->bill_to);
  value = pd_bill_to_get (fresh->bill_to, field);
  g_assert_true (pd_store_set_bill_to_field (fixture->store, wait.id, field, value, &error));
  g_assert_no_error (error);

  editor = pd_organization_editor_new (fixture->session);
  window = ui_fixture_present (editor);
  pd_organization_editor_set_organization_id (PD_ORGANIZATION_EDITOR (editor), wait.id);
  g_assert_true (gtk_widget_activate_action (editor, "editor.push-bill-to", NULL));
  g_assert_true (pd_test_wait_until (override_gone, &wait, WAIT_MS));

  after = pd_store_get (fixture->store, wait.id, NULL);
  g_assert_true (pd_bill_to_equal (pd_organization_get_bill_to_partner_center (after),
                                   fresh->bill_to));
  g_assert_cmpstr (pd_organization_get_bill_to_etag (after), ==, fresh->etag);
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (after), field), ==, value);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (
                     pd_bill_to_editor_get_row (bill_to_editor (window), field))), ==, value);
  g_assert_false (pd_bill_to_editor_get_warning_visible (bill_to_editor (window)));
  ui_fixture_destroy (window);
}

/* Journey 6 online: the link comes from Partner Center and is labelled so. */
static void
test_consent_from_partner_center (SimFixture   *fixture,
                                  gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAuth) auth = pd_auth_new_with_token (SIM_TOKEN);
  GtkWidget *dialog;
  GtkLabel *link;

  g_assert_true (pd_session_connect (fixture->session, auth,
                                     pd_simulator_get_base_url (fixture->sim), &error));
  g_assert_no_error (error);
  dialog = pd_consent_dialog_new (fixture->session, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (ui_fixture_wait_stack_page (ui_fixture_child (dialog, PD_TYPE_CONSENT_DIALOG,
                                                               "stack"), "link", WAIT_MS));
  link = ui_fixture_child (dialog, PD_TYPE_CONSENT_DIALOG, "link_label");
  g_assert_nonnull (strstr (gtk_label_get_label (link),
                            pd_simulator_get_partner_tenant_id (fixture->sim)));
  g_assert_cmpstr (gtk_label_get_label (ui_fixture_child (dialog, PD_TYPE_CONSENT_DIALOG,
                                                          "source_label")),
                   ==, "From Partner Center");
  gtk_switch_set_active (ui_fixture_child (dialog, PD_TYPE_CONSENT_DIALOG, "dap_switch"), TRUE);
  g_assert_nonnull (strstr (gtk_label_get_label (link), "DAP=true"));
  ui_fixture_destroy (GTK_WINDOW (dialog));
}

static gboolean
session_connected (gpointer data)
{
  SimFixture *fixture = data;

  return pd_session_get_client (fixture->session) != NULL;
}

static gboolean
session_idle (gpointer data)
{
  SimFixture *fixture = data;

  return !pd_session_get_syncing (fixture->session);
}

static gboolean
code_shown (gpointer data)
{
  return *gtk_label_get_label (data) != '\0';
}

static void
use_simulator_login (SimFixture *fixture)
{
  g_autofree char *login = pd_simulator_dup_login_url (fixture->sim);

  g_settings_set_string (fixture->settings, "login-url", login);
  g_settings_set_string (fixture->settings, "api-url", pd_simulator_get_base_url (fixture->sim));
}

/* Journey 1, first half: the code is shown, the user approves (the simulator does after a
 * moment), the session connects and the dialog closes. */
static void
test_sign_in_device_code (SimFixture   *fixture,
                          gconstpointer data)
{
  GtkWidget *dialog;
  GtkLabel *code;
  GtkWidget *weak;
  g_autofree char *partner = NULL;

  use_simulator_login (fixture);
  dialog = pd_sign_in_dialog_new (fixture->session, NULL);
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  gtk_window_present (GTK_WINDOW (dialog));
  code = ui_fixture_child (dialog, PD_TYPE_SIGN_IN_DIALOG, "code_label");
  g_assert_true (pd_test_wait_until (code_shown, code, WAIT_MS));
  ui_fixture_assert_all_named (dialog);

  g_assert_true (pd_test_wait_until (session_connected, fixture, WAIT_MS));
  g_assert_true (pd_auth_get_signed_in (pd_session_get_auth (fixture->session)));
  /* Remembered for the offline consent link. */
  partner = pd_store_get_meta (fixture->store, "partner-tenant-id");
  g_assert_cmpstr (partner, ==, pd_simulator_get_partner_tenant_id (fixture->sim));
  /* The dialog closed itself on success. */
  g_assert_true (weak == NULL || !gtk_widget_get_visible (weak));
  if (weak != NULL)
    ui_fixture_destroy (GTK_WINDOW (weak));
}

static void
test_sign_in_declined (SimFixture   *fixture,
                       gconstpointer data)
{
  GtkWidget *dialog;
  GtkStack *stack;
  AdwStatusPage *page;

  use_simulator_login (fixture);
  /* The simulator's test hook: this client id gets "declined". */
  g_settings_set_string (fixture->settings, "client-id", "decline");
  dialog = pd_sign_in_dialog_new (fixture->session, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  stack = ui_fixture_child (dialog, PD_TYPE_SIGN_IN_DIALOG, "stack");
  page = ui_fixture_child (dialog, PD_TYPE_SIGN_IN_DIALOG, "error_page");
  g_assert_true (ui_fixture_wait_stack_page (stack, "error", WAIT_MS));
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "declined"));
  g_assert_null (pd_session_get_client (fixture->session));
  ui_fixture_destroy (GTK_WINDOW (dialog));
}

/* Partner Center refuses the re-read (a sign-in without MFA): the error dialog carries the
 * request's correlation and request IDs, and Copy Details puts them on the clipboard for
 * Microsoft support. */
static void
test_push_error_copyable (SimFixture   *fixture,
                          gconstpointer data)
{
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *copied = NULL;
  DialogWait wait = { "Could Not Read Partner Center", NULL };
  GtkWidget *editor;
  GtkWindow *window;

  connect_and_sync (fixture);
  org = first_customer (fixture);
  g_assert_true (pd_store_set_bill_to_field (fixture->store, pd_organization_get_id (org),
                                             PD_BILL_TO_CITY, "Pushville", &error));
  editor = pd_organization_editor_new (fixture->session);
  window = ui_fixture_present (editor);
  pd_organization_editor_set_organization_id (PD_ORGANIZATION_EDITOR (editor),
                                              pd_organization_get_id (org));
  pd_simulator_set_mfa_missing (fixture->sim, TRUE);
  g_assert_true (gtk_widget_activate_action (editor, "editor.push-bill-to", NULL));
  g_assert_true (pd_test_wait_until (dialog_shown, &wait, WAIT_MS));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (wait.dialog), "correlation ID"));
  adw_message_dialog_response (wait.dialog, "copy");
  copied = ui_fixture_read_clipboard (GTK_WIDGET (window));
  g_assert_nonnull (strstr (copied, "Could Not Read Partner Center"));
  g_assert_nonnull (strstr (copied, "request ID"));
  g_assert_null (strstr (copied, SIM_TOKEN));
  ui_fixture_destroy (window);
}

#define OTHER_PARTNER "0e0e0e0e-0000-4000-8000-0000000000ff"

/* The cache holds another partner's customers: after the sign-in the dialog offers that
 * account's own cache or Cancel; Cancel connects nothing and leaves the cache's partner. */
static void
test_sign_in_other_account (SimFixture   *fixture,
                            gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *partner = NULL;
  DialogWait wait = { "Another Partner Center Account", NULL };
  GtkWidget *dialog;
  GtkWidget *weak;

  g_assert_true (pd_store_claim_partner (fixture->store, OTHER_PARTNER, "Other Partner Oy",
                                         NULL, &error));
  use_simulator_login (fixture);
  dialog = pd_sign_in_dialog_new (fixture->session, NULL);
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (pd_test_wait_until (dialog_shown, &wait, WAIT_MS));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (wait.dialog), "Other Partner Oy"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (wait.dialog),
                            pd_simulator_get_partner_tenant_id (fixture->sim)));
  g_assert_null (pd_session_get_client (fixture->session));
  adw_message_dialog_response (wait.dialog, "cancel");
  g_assert_null (pd_session_get_client (fixture->session));
  partner = pd_store_dup_partner_tenant_id (fixture->store);
  g_assert_cmpstr (partner, ==, OTHER_PARTNER);
  /* Cancel closes the sign-in too. */
  g_assert_true (weak == NULL || !gtk_widget_get_visible (weak));
  if (weak != NULL)
    ui_fixture_destroy (GTK_WINDOW (weak));
}

/* A sync refused as a mass removal asks; "Mark Removed" runs a full sync that is allowed to. */
static void
test_mass_removal_asks (SimFixture   *fixture,
                        gconstpointer data)
{
  g_autoptr(GError) refusal = g_error_new_literal (PD_SYNC_ERROR, PD_SYNC_ERROR_MASS_REMOVAL,
                                                   "Partner Center's complete listing lacks "
                                                   "4 of the 4 customers in the cache.");
  DialogWait wait = { "Mark Most Customers Removed?", NULL };
  GtkWidget *window;

  connect_and_sync (fixture);
  window = pd_window_new (NULL, fixture->session);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ui_fixture_wait_visible (window, WAIT_MS));
  g_signal_emit_by_name (fixture->session, "sync-finished", (gint64) 0, refusal, FALSE);
  g_assert_true (pd_test_wait_until (dialog_shown, &wait, WAIT_MS));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (wait.dialog), "4 of the 4"));
  g_assert_false (pd_session_get_syncing (fixture->session));
  adw_message_dialog_response (wait.dialog, "mark");
  g_assert_true (pd_session_get_syncing (fixture->session));
  g_assert_true (pd_test_wait_until (session_idle, fixture, WAIT_MS));
  ui_fixture_destroy (GTK_WINDOW (window));
}

/* Changes the customer's city in Partner Center (a PUT, as another tool would): the simulator
 * puts the account under review, as Microsoft's verification does. */
static void
change_city_in_partner_center (SimFixture *fixture,
                               const char *tenant_id)
{
  PdPcClient *client = pd_session_get_client (fixture->session);
  g_autoptr(PdPcBillingProfile) profile = fetch_profile (fixture, tenant_id);
  g_autoptr(PdPcBillingProfile) updated = NULL;
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { FALSE, NULL };

  pd_bill_to_set (profile->bill_to, PD_BILL_TO_CITY, "Reviewville");
  pd_pc_client_put_billing_profile_async (client, tenant_id, profile, NULL, on_async_done, &wait);
  g_assert_true (pd_test_wait_for_flag (&wait.done, WAIT_MS));
  updated = pd_pc_client_put_billing_profile_finish (client, wait.result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (updated);
  g_clear_object (&wait.result);
}

typedef struct
{
  gint64 id;
  guint  n_changed;
} ChangedCount;

static void
on_organizations_changed (PdSession    *session,
                          gint64        id,
                          ChangedCount *count)
{
  if (id == count->id || id == 0)
    count->n_changed++;
}

static gboolean
account_status_shown (gpointer data)
{
  const char *subtitle = adw_action_row_get_subtitle (data);

  return subtitle != NULL && strstr (subtitle, "Under review") != NULL
         && strstr (subtitle, "Checked ") != NULL;
}

static gboolean
widget_sensitive (gpointer data)
{
  return gtk_widget_is_sensitive (data);
}

/* "Check Account Status" in the editor asks Partner Center, records the answer in the cache
 * (the list is told), and shows it in words with when it was checked. */
static void
test_check_account_status (SimFixture   *fixture,
                           gconstpointer data)
{
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(PdOrganization) after = NULL;
  ChangedCount count = { 0, 0 };
  GtkWidget *editor;
  GtkWindow *window;
  AdwActionRow *row;
  GtkWidget *button;

  connect_and_sync (fixture);
  org = first_customer (fixture);
  count.id = pd_organization_get_id (org);
  change_city_in_partner_center (fixture, pd_organization_get_tenant_id (org));
  editor = pd_organization_editor_new (fixture->session);
  window = ui_fixture_present (editor);
  pd_organization_editor_set_organization_id (PD_ORGANIZATION_EDITOR (editor), count.id);
  row = ui_fixture_child (editor, PD_TYPE_ORGANIZATION_EDITOR, "account_row");
  button = ui_fixture_find_text (GTK_WIDGET (row), GTK_TYPE_BUTTON, "Check");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Not checked yet");
  g_assert_true (gtk_widget_is_sensitive (button));
  ui_fixture_assert_all_named (GTK_WIDGET (row));
  g_signal_connect (fixture->session, "organizations-changed",
                    G_CALLBACK (on_organizations_changed), &count);

  g_assert_true (gtk_widget_activate_action (editor, "editor.check-account-status", NULL));
  /* One check at a time. */
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_true (pd_test_wait_until (account_status_shown, row, WAIT_MS));
  g_assert_true (pd_test_wait_until (widget_sensitive, button, WAIT_MS));
  after = pd_store_get (fixture->store, count.id, NULL);
  g_assert_cmpint (pd_organization_get_account_status (after), ==, PD_ACCOUNT_STATUS_UNDER_REVIEW);
  g_assert_nonnull (pd_organization_get_account_checked_at (after));
  g_assert_cmpuint (count.n_changed, >=, 1);
  g_signal_handlers_disconnect_by_func (fixture->session, on_organizations_changed, &count);

  /* Offline from Partner Center: nothing to ask. */
  pd_session_disconnect (fixture->session);
  g_assert_false (gtk_widget_is_sensitive (button));
  ui_fixture_destroy (window);
}

static gboolean
list_page_shown (gpointer data)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (data), "list") == 0;
}

/* First start: while the first sync runs on an empty cache the list says so, with a spinner,
 * instead of "No Organizations Yet" and a disabled Sync Now; the customers replace it. */
static void
test_first_sync_shows_progress (SimFixture   *fixture,
                                gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAuth) auth = pd_auth_new_with_token (SIM_TOKEN);
  PdOrganizationList *list;
  GtkStack *stack;
  GtkWidget *page;
  GtkWidget *window;

  window = pd_window_new (NULL, fixture->session);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ui_fixture_wait_visible (window, WAIT_MS));
  list = pd_window_get_list (PD_WINDOW (window));
  stack = ui_fixture_child (list, PD_TYPE_ORGANIZATION_LIST, "stack");
  g_assert_true (ui_fixture_wait_stack_page (stack, "signed-out", WAIT_MS));
  g_assert_true (pd_session_connect (fixture->session, auth,
                                     pd_simulator_get_base_url (fixture->sim), &error));
  g_assert_no_error (error);
  g_assert_true (pd_session_sync (fixture->session, PD_SYNC_MODE_FULL, FALSE));

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "syncing");
  page = gtk_stack_get_visible_child (stack);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (page)), ==,
                   "Syncing with Partner Center…");
  g_assert_true (gtk_spinner_get_spinning (ui_fixture_child (list, PD_TYPE_ORGANIZATION_LIST,
                                                             "sync_spinner")));
  g_assert_null (ui_fixture_find_text (page, GTK_TYPE_BUTTON, "Sync Now"));
  /* The sync panel has the rate and the customers so far. */
  g_assert_nonnull (ui_fixture_find_text (page, GTK_TYPE_BUTTON, "Show _Progress"));
  ui_fixture_assert_all_named (page);

  g_assert_true (pd_test_wait_until (session_idle, fixture, WAIT_MS));
  g_assert_true (pd_test_wait_until (list_page_shown, stack, WAIT_MS));
  g_assert_cmpuint (pd_organization_list_get_n_total (list), ==, 4);
  ui_fixture_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  ui_fixture_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, SimFixture, NULL, sim_set_up, func, sim_tear_down)
  ADD ("/partner-center/push", test_push_updates_partner_center);
  ADD ("/partner-center/push-refresh-fails", test_push_refresh_fails);
  ADD ("/partner-center/push-answer-lost", test_push_answer_lost);
  ADD ("/partner-center/push-read-fails-before-put", test_push_read_fails_before_put);
  ADD ("/partner-center/push-keeps-later-edit", test_push_keeps_later_edit);
  ADD ("/partner-center/push-store-fails", test_push_store_fails);
  ADD ("/partner-center/push-conflict", test_push_conflict_shows_fresh_values);
  ADD ("/partner-center/push-already-there", test_push_already_in_partner_center);
  ADD ("/partner-center/consent-link", test_consent_from_partner_center);
  ADD ("/partner-center/sign-in", test_sign_in_device_code);
  ADD ("/partner-center/sign-in-declined", test_sign_in_declined);
  ADD ("/partner-center/sign-in-other-account", test_sign_in_other_account);
  ADD ("/partner-center/mass-removal-asks", test_mass_removal_asks);
  ADD ("/partner-center/push-error-copyable", test_push_error_copyable);
  ADD ("/partner-center/check-account-status", test_check_account_status);
  ADD ("/partner-center/first-sync-shows-progress", test_first_sync_shows_progress);
#undef ADD
  return g_test_run ();
}
