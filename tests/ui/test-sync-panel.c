/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sync-panel.c — the sync panel against an in-process simulator: Sync now runs a real
 * sync, the stage / progress widgets move, the list fills while it runs, the run is listed
 * with its report, a replaced local edit shows up in the next run's report, and a customer
 * that failed is listed under its cached name with Show Organization and a Retry button that
 * fetches it again, after which its line says it was fixed. */
#include "config.h"

#include <string.h>

#include "api/pd-pc-client-private.h"
#include "pd-bill-to-editor-private.h"
#include "pd-organization-editor.h"
#include "pd-row-slot.h"
#include "pd-sign-in-dialog.h"
#include "pd-sync-panel-private.h"
#include "pd-sync-run-row.h"
#include "pd-test-seed.h"
#include "pd-test-util.h"
#include "simulator/pd-simulator.h"
#include "sync/pd-sync-engine-private.h"
#include "ui-window-fixture.h"

#define N_CUSTOMERS 200
#define TOKEN "ui-test-token"

typedef struct
{
  WindowFixture  base;
  PdSimulator   *simulator;
  gboolean       progress_seen;
  gboolean       rows_while_syncing;
  guint          max_stage_changes;
  char          *last_stage;
  gint64         last_run_id;
  gboolean       wait_shown;        /* the stage label said Partner Center asked to wait */
  gboolean       resumed_after_wait; /* … and later, while syncing, a stage again */
} SyncFixture;

static void
sync_fixture_set_up (SyncFixture   *fixture,
                     gconstpointer  data)
{
  PdSimulatorOptions options;
  g_autoptr(PdAuth) auth = pd_auth_new_with_token (TOKEN);
  g_autoptr(GError) error = NULL;

  pd_simulator_options_init (&options);
  options.n_customers = N_CUSTOMERS;
  options.latency_ms = 50;      /* a run of a second or two: progress has time to show */
  options.token = TOKEN;
  fixture->simulator = pd_simulator_new (&options);
  g_assert_true (pd_simulator_start (fixture->simulator, 0, &error));
  g_assert_no_error (error);

  window_fixture_set_up (&fixture->base, WINDOW_FIXTURE_EMPTY);
  g_assert_true (pd_session_connect (fixture->base.session, auth,
                                     pd_simulator_get_base_url (fixture->simulator), &error));
  g_assert_no_error (error);
  /* Several batches, so that the list can fill while the run goes on. */
  pd_sync_engine_set_batch_size (pd_session_get_sync_engine (fixture->base.session), 20);
}

static void
sync_fixture_tear_down (SyncFixture   *fixture,
                        gconstpointer  data)
{
  window_fixture_tear_down (&fixture->base, data);
  g_assert_finalize_object (fixture->simulator);
  g_free (fixture->last_stage);
}

static PdSyncPanel *
panel (SyncFixture *fixture)
{
  return PD_SYNC_PANEL (pd_window_get_sync_panel (PD_WINDOW (fixture->base.window)));
}

/* Whether the list shows a customer whose bill-to is not read yet. */
static gboolean
shows_row_not_read (GListModel *model)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PdRowSlot) slot = g_list_model_get_item (model, i);

      if (pd_row_slot_get_row (slot)->bill_to_state == PD_BILL_TO_STATE_NOT_READ)
        return TRUE;
    }
  return FALSE;
}

/* Called on every list change: remembers whether rows arrived before the sync ended. */
static void
on_rows_changed (SyncFixture *fixture)
{
  PdOrganizationList *list = window_fixture_list (&fixture->base);
  guint n = pd_organization_list_get_n_total (list);

  /* The customers are shown as soon as they are listed, their bill-tos read behind ("not read
   * yet", never "not readable": Partner Center refused nothing). */
  if (pd_session_get_syncing (fixture->base.session) && n > 0
      && pd_organization_list_get_count (list, PD_FILTER_UNREADABLE) == 0
      && shows_row_not_read (pd_organization_list_get_model (list))
      && !fixture->rows_while_syncing)
    {
      fixture->rows_while_syncing = TRUE;
      /* Seen: the rest of the run may go fast again. */
      pd_simulator_set_latency (fixture->simulator, 5, 0);
    }
}

/* After the first stored batch, Partner Center answers slowly until the list has shown the
 * rows: "the list fills while a first sync runs" is then checked without racing the run. */
static void
on_first_batch (SyncFixture *fixture)
{
  if (!fixture->rows_while_syncing)
    pd_simulator_set_latency (fixture->simulator, 1000, 0);
}

/* Called on every engine progress signal, after the panel's own handler. */
static void
on_progress (PdSyncEngine         *engine,
             const PdSyncProgress *progress,
             SyncFixture          *fixture)
{
  GtkProgressBar *bar = pd_sync_panel_get_progress_bar (panel (fixture));
  const char *stage = gtk_label_get_text (pd_sync_panel_get_stage_label (panel (fixture)));
  const char *details = gtk_label_get_text (pd_sync_panel_get_details_label (panel (fixture)));

  if (progress->total > 0 && progress->done > 0 && gtk_widget_get_visible (GTK_WIDGET (bar))
      && gtk_progress_bar_get_fraction (bar) > 0 && *details != '\0')
    fixture->progress_seen = TRUE;
  if (g_strcmp0 (stage, fixture->last_stage) != 0)
    {
      g_free (fixture->last_stage);
      fixture->last_stage = g_strdup (stage);
      fixture->max_stage_changes++;
    }
}

/* Called on every engine progress signal, after the panel's own handler: notes whether the
 * stage label says why a throttled run stands still, then goes back to the stage. */
static void
on_throttled_progress (PdSyncEngine         *engine,
                       const PdSyncProgress *progress,
                       SyncFixture          *fixture)
{
  const char *stage = gtk_label_get_text (pd_sync_panel_get_stage_label (panel (fixture)));

  if (g_str_has_prefix (stage, "Partner Center asked to wait (throttling), 1 s left"))
    {
      g_test_message ("waiting: %s", stage);
      fixture->wait_shown = TRUE;
    }
  else if (fixture->wait_shown && progress->stage != PD_SYNC_STAGE_IDLE
           && g_strcmp0 (stage, pd_sync_stage_label (progress->stage)) == 0)
    fixture->resumed_after_wait = TRUE;
}

static gboolean
sync_done (gpointer data)
{
  SyncFixture *fixture = data;

  return !pd_session_get_syncing (fixture->base.session);
}

/* The list shows every organization of the cache (its last reload after the run may be
 * spaced out by the reload throttle). */
static gboolean
list_complete (gpointer data)
{
  SyncFixture *fixture = data;

  return !pd_organization_list_get_loading (window_fixture_list (&fixture->base))
         && pd_organization_list_get_n_total (window_fixture_list (&fixture->base))
            == pd_store_count (fixture->base.store);
}

static void
run_sync_from_window (SyncFixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), "win.sync", NULL));
  g_assert_true (pd_session_get_syncing (fixture->base.session));
  g_assert_true (pd_test_wait_until (sync_done, fixture, 90000));
  g_assert_true (pd_test_wait_until (list_complete, fixture, 20000));
}

static void
test_first_sync (SyncFixture   *fixture,
                 gconstpointer  data)
{
  PdOrganizationList *list = window_fixture_list (&fixture->base);
  PdSyncEngine *engine = pd_session_get_sync_engine (fixture->base.session);
  g_autoptr(PdSyncRun) run = NULL;
  g_autoptr(GPtrArray) runs = NULL;

  g_assert_cmpuint (pd_sync_panel_get_n_runs (panel (fixture)), ==, 0);
  /* A token that names no user, not PARTNER_DESK_ACCESS_TOKEN's: the panel claimed it was. */
  pd_window_show_view (PD_WINDOW (fixture->base.window), "sync");
  pd_test_spin (50);
  g_assert_nonnull (ui_find_shown_label (GTK_WIDGET (panel (fixture)), "Signed in"));
  g_assert_null (ui_find_shown_label (GTK_WIDGET (panel (fixture)),
                                      "Signed in with an access token"));
  g_signal_connect_swapped (pd_organization_list_get_model (list), "items-changed",
                            G_CALLBACK (on_rows_changed), fixture);
  g_signal_connect_after (engine, "progress", G_CALLBACK (on_progress), fixture);
  g_signal_connect_swapped (engine, "batch-stored", G_CALLBACK (on_first_batch), fixture);

  run_sync_from_window (fixture);

  g_assert_cmpstr (pd_window_get_view (PD_WINDOW (fixture->base.window)), ==, "sync");
  g_assert_true (fixture->progress_seen);
  g_assert_cmpuint (fixture->max_stage_changes, >=, 2);
  g_assert_true (fixture->rows_while_syncing);
  g_assert_cmpuint (pd_organization_list_get_n_total (list), ==, N_CUSTOMERS);
  g_assert_cmpuint (pd_sync_panel_get_n_runs (panel (fixture)), ==, 1);
  runs = pd_store_list_sync_runs (fixture->base.store, 1, NULL);
  run = pd_store_get_sync_run (fixture->base.store, ((PdSyncRun *) runs->pdata[0])->id, NULL);
  g_assert_cmpint (run->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (run->n_new, ==, N_CUSTOMERS);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (pd_sync_panel_get_progress_bar (panel (fixture)))));
  g_signal_handlers_disconnect_by_data (engine, fixture);
  g_signal_handlers_disconnect_by_data (pd_organization_list_get_model (list), fixture);
}

/* The keyboard on Cancel Sync stays on the panel's button when the sync ends: Sync Now takes
 * it (before: it fell on an unnamed scrolled window, and a screen reader read nothing). */
static void
test_focus_kept_when_sync_ends (SyncFixture   *fixture,
                                gconstpointer  data)
{
  GtkWidget *root = GTK_WIDGET (fixture->base.window);
  GtkWidget *cancel;

  pd_window_show_view (PD_WINDOW (fixture->base.window), "sync");
  g_assert_true (gtk_widget_activate_action (root, "win.sync", NULL));
  cancel = ui_find_actionable (GTK_WIDGET (panel (fixture)), "win.cancel-sync");
  g_assert_true (pd_test_wait_until ((gboolean (*) (gpointer)) gtk_widget_get_mapped, cancel,
                                     5000));
  g_assert_true (gtk_widget_grab_focus (cancel));
  g_assert_true (pd_test_wait_until (sync_done, fixture, 90000));
  pd_test_spin (100);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (root))
                 == ui_find_actionable (GTK_WIDGET (panel (fixture)), "win.sync"));
}

/* Journey 4: Partner Center changes a bill-to the user edited locally → the next run reports
 * the replaced edit, listed in the panel. */
static void
test_replaced_edit_reported (SyncFixture   *fixture,
                             gconstpointer  data)
{
  PdStore *store = fixture->base.store;
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  PdSyncRun *last;
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (fixture->simulator);

  run_sync_from_window (fixture);
  org = pd_store_find_by_tenant (store, ids[0], &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_set_bill_to_field (store, pd_organization_get_id (org), PD_BILL_TO_CITY,
                                             "Local City", &error));
  json = g_strdup_printf ("{\"changeBillTo\": [\"%s\"]}", pd_organization_get_tenant_id (org));
  answer = pd_simulator_mutate_json (fixture->simulator, json, &error);
  g_assert_no_error (error);

  run_sync_from_window (fixture);
  g_assert_cmpuint (pd_sync_panel_get_n_runs (panel (fixture)), ==, 2);
  runs = pd_store_list_sync_runs (store, 1, NULL);
  last = g_ptr_array_index (runs, 0);
  g_assert_cmpint (last->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (last->n_overrides_replaced, ==, 1);
}

typedef struct
{
  SyncFixture *fixture;
  gint64       id;
  char        *stored;  /* the city the store held at the last batch stored mid-run */
  char        *shown;   /* … and the editor's city row then */
} BatchLook;

static void
look_at_batch (PdSyncEngine *engine,
               guint         n,
               BatchLook    *look)
{
  g_autoptr(PdOrganization) org = pd_store_get (look->fixture->base.store, look->id, NULL);
  GtkWidget *editor = ui_find_widget (GTK_WIDGET (look->fixture->base.window),
                                      PD_TYPE_ORGANIZATION_EDITOR);
  GtkWidget *bill_to = ui_find_widget (editor, PD_TYPE_BILL_TO_EDITOR);
  GtkWidget *city = pd_bill_to_editor_get_row (PD_BILL_TO_EDITOR (bill_to), PD_BILL_TO_CITY);

  g_free (look->stored);
  g_free (look->shown);
  look->stored = g_strdup (pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_CITY));
  look->shown = g_strdup (gtk_editable_get_text (GTK_EDITABLE (city)));
}

/* The organization open in the editor follows the app's own sync batch by batch, as the list
 * does: here Partner Center changed its bill-to, and the run's batch shows it while the run
 * goes on. Before, the editor kept the old bill-to until the run ended (the session's check of
 * other programs' writes does not see its own connection's). */
static void
test_editor_follows_own_sync (SyncFixture   *fixture,
                              gconstpointer  data)
{
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (fixture->simulator);
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(GError) error = NULL;
  const char * const change[] = { "city", "Nowhere-on-Sync", NULL };
  g_autofree char *before = NULL;
  PdSyncEngine *engine;
  BatchLook look = { fixture, 0, NULL, NULL };
  gulong handler;

  pd_simulator_set_latency (fixture->simulator, 0, 0);
  run_sync_from_window (fixture);
  org = pd_store_find_by_tenant (fixture->base.store, ids[0], &error);
  g_assert_no_error (error);
  look.id = pd_organization_get_id (org);
  before = g_strdup (pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_CITY));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->base.window),
                                             "win.show-organization", "x", look.id));
  g_assert_true (pd_simulator_update_bill_to (fixture->simulator, ids[0], change));

  engine = pd_session_get_sync_engine (fixture->base.session);
  handler = g_signal_connect (engine, "batch-stored", G_CALLBACK (look_at_batch), &look);
  g_assert_true (pd_session_sync (fixture->base.session, PD_SYNC_MODE_FULL, FALSE));
  g_assert_true (pd_test_wait_until (sync_done, fixture, 90000));
  g_signal_handler_disconnect (engine, handler);
  g_test_message ("before %s, stored %s, shown %s", before, look.stored, look.shown);
  g_assert_nonnull (look.stored);
  g_assert_cmpstr (look.stored, !=, before);
  g_assert_cmpstr (look.shown, ==, look.stored);
  g_free (look.stored);
  g_free (look.shown);
}

static GtkWidget *
row_with_subtitle (GtkWidget  *root,
                   const char *text)
{
  if (ADW_IS_ACTION_ROW (root) && adw_action_row_get_subtitle (ADW_ACTION_ROW (root)) != NULL
      && strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (root)), text) != NULL)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = row_with_subtitle (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Launches that change nothing each leave a run in the store (the history stays true), but
 * the panel folds them into one "No changes" row instead of a column of zeros. */
static void
test_quiet_runs_folded (SyncFixture   *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) runs = NULL;
  GtkWidget *quiet;

  run_sync_from_window (fixture);
  run_sync_from_window (fixture);
  run_sync_from_window (fixture);
  runs = pd_store_list_sync_runs (fixture->base.store, 10, NULL);
  g_assert_cmpuint (runs->len, ==, 3);
  g_assert_cmpuint (pd_sync_panel_get_n_runs (panel (fixture)), ==, 2);
  quiet = row_with_subtitle (GTK_WIDGET (panel (fixture)), "No changes in 2 syncs since ");
  g_assert_nonnull (quiet);
}

/* My Resellers: the app's sync covers only the chosen reseller, and the panel says so, for
 * the last run and in each scoped run's row (which is never folded with quiet runs of every
 * customer). */
static void
test_scoped_sync_shown (SyncFixture   *fixture,
                        gconstpointer  data)
{
  PdStore *store = fixture->base.store;
  g_autoptr(GPtrArray) pairs = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) pair = NULL;
  g_auto(GStrv) recorded = NULL;
  g_autofree char *expected = NULL;
  GtkLabel *details_label;
  const char *details;

  run_sync_from_window (fixture);
  pairs = pd_store_list_resellers (store, NULL);
  g_assert_cmpuint (pairs->len, >, 0);
  pair = g_strsplit (g_ptr_array_index (pairs, 0), "\t", 2);
  {
    const char * const scope[] = { pair[0], NULL };

    g_assert_true (pd_store_set_reseller_scope (store, scope, &error));
    g_assert_no_error (error);
  }
  run_sync_from_window (fixture);
  run_sync_from_window (fixture);

  runs = pd_store_list_sync_runs (store, 1, NULL);
  recorded = pd_store_dup_run_scope (store, ((PdSyncRun *) runs->pdata[0])->id);
  g_assert_nonnull (recorded);
  g_assert_cmpstr (recorded[0], ==, pair[0]);
  g_assert_cmpuint (pd_store_count (store), ==, N_CUSTOMERS);
  expected = g_strdup_printf ("Only the customers of %s", pair[1]);
  details_label = pd_sync_panel_get_details_label (panel (fixture));
  details = gtk_label_get_text (details_label);
  g_assert_nonnull (strstr (details, expected));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (details_label)));
  g_assert_cmpuint (pd_sync_panel_get_n_runs (panel (fixture)), ==, 3);
  g_assert_nonnull (row_with_subtitle (GTK_WIDGET (panel (fixture)), expected));
}

static gboolean
cancelled (gpointer data)
{
  return sync_done (data);
}

static gboolean
run_begun (gpointer data)
{
  SyncFixture *fixture = data;
  g_autoptr(PdSyncRun) running = pd_store_get_running_sync (fixture->base.store);

  return running != NULL;
}

static void
test_cancel (SyncFixture   *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) runs = NULL;

  pd_simulator_set_latency (fixture->simulator, 200, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), "win.sync", NULL));
  /* Cancelled once the run has begun (after Partner Center said who the partner is): a sync
   * cancelled before that records no run. */
  g_assert_true (pd_test_wait_until (run_begun, fixture, 20000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), "win.cancel-sync",
                                             NULL));
  g_assert_true (pd_test_wait_until (cancelled, fixture, 20000));
  runs = pd_store_list_sync_runs (fixture->base.store, 1, NULL);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpint (((PdSyncRun *) runs->pdata[0])->state, ==, PD_SYNC_STATE_CANCELLED);
  g_assert_cmpuint (pd_sync_panel_get_n_runs (panel (fixture)), ==, 1);
}

/* While connected to a run's "progress": every customer fetch fails (the simulator faults
 * each request, the client does not retry it), every other request succeeds. The profile
 * requests go out before the PROFILES report but reach the simulator only once the main loop
 * runs again, so the fault rate is in place for each of them. */
static void
fail_customer_fetches (PdSyncEngine         *engine,
                       const PdSyncProgress *progress,
                       SyncFixture          *fixture)
{
  PdPcClient *client = pd_session_get_client (fixture->base.session);
  gboolean fetching = progress->stage == PD_SYNC_STAGE_PROFILES;

  pd_simulator_set_fault_rate (fixture->simulator, fetching ? 1.0 : 0.0);
  pd_pc_client_set_retry_policy (client, fetching ? 0 : 4, fetching ? 5 : 500);
}

/* Whether a row under root has a title that starts with prefix. */
static gboolean
has_row_titled (GtkWidget  *root,
                const char *prefix)
{
  if (ADW_IS_PREFERENCES_ROW (root)
      && g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), prefix))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_row_titled (child, prefix))
      return TRUE;
  return FALSE;
}

static void
collect_retry_buttons (GtkWidget *root,
                       GPtrArray *out)
{
  if (GTK_IS_BUTTON (root) && gtk_widget_get_visible (root)
      && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), "_Retry") == 0)
    g_ptr_array_add (out, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_retry_buttons (child, out);
}

static void
assert_accessible_label (GtkWidget  *widget,
                         const char *expected)
{
  g_autofree char *mismatch =
    gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        expected);

  g_assert_null (mismatch);
}

static GPtrArray *
retry_buttons (SyncFixture *fixture)
{
  GPtrArray *buttons = g_ptr_array_new ();

  collect_retry_buttons (GTK_WIDGET (panel (fixture)), buttons);
  return buttons;
}

/* The Retry button of the report line that names the customer (by its name, or by its
 * tenant id when the run did not know the name), or NULL. */
typedef struct
{
  SyncFixture *fixture;
  const char  *tenant_id;
  const char  *name;
  gint64       org_id;      /* for listed_with_name */
} RetryLookup;

static GtkWidget *
retry_button_for (RetryLookup *lookup)
{
  g_autoptr(GPtrArray) buttons = retry_buttons (lookup->fixture);

  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *row = gtk_widget_get_ancestor (g_ptr_array_index (buttons, i),
                                                ADW_TYPE_ACTION_ROW);
      const char *title = row != NULL ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row))
                                      : NULL;

      if (g_strcmp0 (title, lookup->tenant_id) == 0 || g_strcmp0 (title, lookup->name) == 0)
        return g_ptr_array_index (buttons, i);
    }
  return NULL;
}

static gboolean
has_retry_button (gpointer data)
{
  return retry_button_for (data) != NULL;
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* The name the organization list shows for id (NULL when it is not listed). */
static const char *
listed_name (SyncFixture *fixture,
             gint64       id)
{
  GListModel *model = pd_organization_list_get_model (window_fixture_list (&fixture->base));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PdRowSlot) slot = g_list_model_get_item (model, i);
      PdOrganizationRowData *row = pd_row_slot_get_row (slot);

      if (row != NULL && pd_organization_row_data_get_id (row) == id)
        return pd_organization_row_data_get_name (row);
    }
  return NULL;
}

/* A run newer than fixture->last_run_id finished. */
static gboolean
newer_run_done (gpointer data)
{
  SyncFixture *fixture = data;
  g_autoptr(GPtrArray) runs = pd_store_list_sync_runs (fixture->base.store, 1, NULL);
  PdSyncRun *run = runs != NULL && runs->len > 0 ? runs->pdata[0] : NULL;

  return run != NULL && run->id > fixture->last_run_id && run->state != PD_SYNC_STATE_RUNNING
         && !pd_session_get_syncing (fixture->base.session);
}

/* The list shows lookup->org_id with lookup->name. */
static gboolean
listed_with_name (gpointer data)
{
  RetryLookup *lookup = data;

  return g_strcmp0 (listed_name (lookup->fixture, lookup->org_id), lookup->name) == 0;
}

static gboolean
widget_hidden (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

static gboolean
showing_organizations (gpointer data)
{
  SyncFixture *fixture = data;

  return g_strcmp0 (pd_window_get_view (PD_WINDOW (fixture->base.window)), "organizations") == 0;
}

static const char *
subtitle_of (GtkWidget *row)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

/* The line's Show Organization button: keyboard reachable, named, bound to org_id. */
static GtkWidget *
show_button_of (GtkWidget *row,
                gint64     org_id)
{
  GtkWidget *button = ui_find_actionable (row, "win.show-organization");
  GVariant *target;

  g_assert_nonnull (button);
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button));
  g_assert_nonnull (target);
  g_assert_cmpint (g_variant_get_int64 (target), ==, org_id);
  g_assert_true (gtk_widget_get_focusable (button));
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (button),
                                                   GTK_ACCESSIBLE_PROPERTY_LABEL));
  return button;
}

static PdSyncRun *
latest_run (SyncFixture *fixture)
{
  g_autoptr(GPtrArray) runs = pd_store_list_sync_runs (fixture->base.store, 1, NULL);

  g_assert_nonnull (runs);
  g_assert_cmpuint (runs->len, ==, 1);
  return pd_store_get_sync_run (fixture->base.store, ((PdSyncRun *) runs->pdata[0])->id, NULL);
}

/* Partner Center throttles the run (a 429 with Retry-After: 1, on the 11th call): the panel's
 * stage says it asked to wait and for how long, then shows the stage again once the wait is
 * over. */
static void
test_throttled_sync (SyncFixture   *fixture,
                     gconstpointer  data)
{
  PdSyncEngine *engine = pd_session_get_sync_engine (fixture->base.session);
  g_autoptr(PdSyncRun) run = NULL;

  pd_simulator_set_latency (fixture->simulator, 0, 0);
  pd_simulator_throttle_request_after (fixture->simulator, 10, 1);
  g_signal_connect_after (engine, "progress", G_CALLBACK (on_throttled_progress), fixture);
  run_sync_from_window (fixture);
  g_signal_handlers_disconnect_by_data (engine, fixture);
  g_assert_true (fixture->wait_shown);
  g_assert_true (fixture->resumed_after_wait);
  run = latest_run (fixture);
  g_assert_cmpint (run->state, ==, PD_SYNC_STATE_COMPLETE);
}

/* The panel's header after a retry of n customers: it says so, and when the cache was last
 * synced whole. */
static void
assert_retry_header (SyncFixture *fixture,
                     guint        n)
{
  const char *title = gtk_label_get_text (pd_sync_panel_get_stage_label (panel (fixture)));
  const char *details = gtk_label_get_text (pd_sync_panel_get_details_label (panel (fixture)));
  g_autofree char *prefix = g_strdup_printf ("Last sync: retry of %u customer%s, Complete, ", n,
                                             n == 1 ? "" : "s");

  g_test_message ("header: %s — %s", title, details);
  g_assert_true (g_str_has_prefix (title, prefix));
  g_assert_true (g_str_has_prefix (details, "Last complete sync: "));
  g_assert_true (gtk_widget_get_visible (
    GTK_WIDGET (pd_sync_panel_get_details_label (panel (fixture)))));
}

/* A customer Partner Center renamed fails to download in the next sync: the panel lists it
 * under the name the cache has, its tenant id below, with Show Organization and a Retry button;
 * activating Retry fetches that customer in a run of its own, after which the store and the
 * list have the new name, that run reports no failure, and the old report's line says the
 * customer was fixed, without Retry (the report stays open). Show Organization opens it. */
static void
test_retry_failed_customer (SyncFixture   *fixture,
                            gconstpointer  data)
{
  PdStore *store = fixture->base.store;
  PdSyncEngine *engine = pd_session_get_sync_engine (fixture->base.session);
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (fixture->simulator);
  g_autoptr(PdOrganization) before = NULL;
  g_autoptr(PdOrganization) after = NULL;
  g_autoptr(PdSyncRun) failed = NULL;
  g_autoptr(PdSyncRun) retried = NULL;
  g_autoptr(GPtrArray) buttons = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *old_name = NULL;
  RetryLookup lookup = { fixture, ids[0], NULL, 0 };
  GtkWidget *button, *row, *show;
  gulong handler;

  pd_simulator_set_latency (fixture->simulator, 0, 0);
  run_sync_from_window (fixture);
  before = pd_store_find_by_tenant (store, ids[0], &error);
  g_assert_no_error (error);
  old_name = g_strdup (pd_organization_get_name (before));
  lookup.name = old_name;
  json = g_strdup_printf ("{\"rename\": [\"%s\"], \"seed\": 3}", ids[0]);
  answer = pd_simulator_mutate_json (fixture->simulator, json, &error);
  g_assert_no_error (error);

  handler = g_signal_connect (engine, "progress", G_CALLBACK (fail_customer_fetches), fixture);
  run_sync_from_window (fixture);
  g_signal_handler_disconnect (engine, handler);
  pd_simulator_set_fault_rate (fixture->simulator, 0);
  failed = latest_run (fixture);
  g_assert_cmpint (failed->state, ==, PD_SYNC_STATE_COMPLETE);
  /* The renamed customer (and any other the activity log names) failed. */
  g_assert_cmpuint (failed->n_failed, >=, 1);
  g_assert_cmpuint (failed->n_updated, ==, 0);
  g_assert_cmpstr (listed_name (fixture, pd_organization_get_id (before)), ==, old_name);

  /* The report of that run names the customer, with its error and a Retry button. */
  pd_sync_panel_expand_latest_report (panel (fixture));
  g_assert_true (pd_test_wait_until (has_retry_button, &lookup, 10000));
  buttons = retry_buttons (fixture);
  g_assert_cmpuint (buttons->len, ==, failed->n_failed);
  button = retry_button_for (&lookup);
  /* One name: with its mnemonic label's too, it was read "Retry Retry". It names the
   * customer, as the button is read alone when reached by Tab. */
  g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (button),
                                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY));
  row = gtk_widget_get_ancestor (button, ADW_TYPE_ACTION_ROW);
  {
    g_autofree char *retry_name = g_strdup_printf ("Retry %s", adw_preferences_row_get_title (
                                                     ADW_PREFERENCES_ROW (row)));

    assert_accessible_label (button, retry_name);
  }
  /* The whole reason shows: it was cut after three lines. */
  g_assert_cmpint (adw_action_row_get_subtitle_lines (ADW_ACTION_ROW (row)), ==, 0);
  g_test_message ("failed line: %s — %s",
                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                  adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), !=, "");
  g_assert_true (gtk_widget_is_sensitive (button));
  /* Titled as the cache knows it, with the tenant id below, and a way to open it. */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, old_name);
  g_assert_nonnull (strstr (subtitle_of (row), ids[0]));
  g_assert_null (strstr (subtitle_of (row), "Fixed"));
  show_button_of (row, pd_organization_get_id (before));
  g_object_ref (row);

  /* As a user clicks it, once it is on screen (GtkButton's "activate" presses a realized
   * button for a moment, then emits "clicked"). */
  g_assert_true (pd_test_wait_until (widget_mapped, button, 10000));
  fixture->last_run_id = failed->id;
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (pd_test_wait_until (newer_run_done, fixture, 60000));
  g_assert_true (pd_test_wait_until (list_complete, fixture, 20000));

  retried = latest_run (fixture);
  g_assert_cmpint (retried->id, >, failed->id);
  g_assert_cmpint (retried->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (retried->n_failed, ==, 0);
  g_assert_cmpuint (retried->n_updated, ==, 1);
  after = pd_store_find_by_tenant (store, ids[0], &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_organization_get_id (after), ==, pd_organization_get_id (before));
  g_assert_cmpstr (pd_organization_get_name (after), !=, old_name);
  /* The list's reload after the run may be spaced out by its throttle (and the row count
   * does not change): wait for the row itself. */
  lookup.name = pd_organization_get_name (after);
  lookup.org_id = pd_organization_get_id (after);
  g_assert_true (pd_test_wait_until (listed_with_name, &lookup, 20000));
  g_assert_cmpuint (pd_sync_panel_get_n_runs (panel (fixture)), ==, 3);
  /* The retry's row says what it was: no incremental sync read the activity log. */
  g_assert_cmpint (retried->kind, ==, PD_SYNC_KIND_RETRY);
  g_assert_true (has_row_titled (GTK_WIDGET (panel (fixture)), "Retry of failed customers, "));
  /* So does the header: the cache was not synced whole, that was the run before. */
  assert_retry_header (fixture, 1);

  /* The old report, still open, says the customer was fixed: no Retry, the name the cache
   * has now, the tenant id, and still a way to open it. */
  g_assert_true (gtk_widget_is_ancestor (row, GTK_WIDGET (panel (fixture))));
  g_assert_true (pd_test_wait_until (widget_hidden, button, 10000));
  g_test_message ("fixed line: %s — %s", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                  subtitle_of (row));
  g_assert_nonnull (strstr (subtitle_of (row), "Read from Partner Center since"));
  g_assert_nonnull (strstr (subtitle_of (row), ids[0]));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   pd_organization_get_name (after));
  g_assert_null (retry_button_for (&lookup));
  buttons = (g_ptr_array_unref (buttons), retry_buttons (fixture));
  g_assert_cmpuint (buttons->len, ==, failed->n_failed - 1);

  /* Show Organization opens it in the list. */
  show = show_button_of (row, pd_organization_get_id (after));
  g_assert_true (pd_test_wait_until (widget_mapped, show, 10000));
  g_assert_true (gtk_widget_activate (show));
  g_assert_true (pd_test_wait_until (showing_organizations, fixture, 10000));
  g_assert_cmpint (pd_organization_list_get_selected_id (window_fixture_list (&fixture->base)),
                   ==, pd_organization_get_id (after));
  g_object_unref (row);
}

/* A customer failed in a sync whose report is open; a bill-to push then reads it from Partner
 * Center (stored and announced as pd-bill-to-push.c does): the open report's line says it was
 * read since, without Retry, and without claiming a sync. */
static void
count_signal (guint *n)
{
  (*n)++;
}

static void
test_push_closes_failure (SyncFixture   *fixture,
                          gconstpointer  data)
{
  PdSyncEngine *engine = pd_session_get_sync_engine (fixture->base.session);
  PdStore *store = fixture->base.store;
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (fixture->simulator);
  g_autoptr(PdSyncRun) failed = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(PdOrganization) other = NULL;
  RetryLookup lookup = { fixture, ids[0], NULL, 0 };
  GtkWidget *button, *row, *run_row;
  guint n_wanted = 0;
  gulong handler;

  pd_simulator_set_latency (fixture->simulator, 0, 0);
  run_sync_from_window (fixture);
  org = pd_store_find_by_tenant (store, ids[0], &error);
  g_assert_no_error (error);
  lookup.name = pd_organization_get_name (org);
  json = g_strdup_printf ("{\"changeBillTo\": [\"%s\"], \"seed\": 3}", ids[0]);
  answer = pd_simulator_mutate_json (fixture->simulator, json, &error);
  g_assert_no_error (error);
  handler = g_signal_connect (engine, "progress", G_CALLBACK (fail_customer_fetches), fixture);
  run_sync_from_window (fixture);
  g_signal_handler_disconnect (engine, handler);
  pd_simulator_set_fault_rate (fixture->simulator, 0);
  failed = latest_run (fixture);
  g_assert_cmpuint (failed->n_failed, >=, 1);

  pd_sync_panel_expand_latest_report (panel (fixture));
  g_assert_true (pd_test_wait_until (has_retry_button, &lookup, 10000));
  button = retry_button_for (&lookup);
  row = gtk_widget_get_ancestor (button, ADW_TYPE_ACTION_ROW);
  g_assert_null (strstr (subtitle_of (row), "since"));

  /* An edit of a customer the report does not list reads no report again. */
  run_row = gtk_widget_get_ancestor (row, PD_TYPE_SYNC_RUN_ROW);
  g_signal_connect_swapped (run_row, "report-wanted", G_CALLBACK (count_signal), &n_wanted);
  other = pd_store_find_by_tenant (store, ids[1], &error);
  g_assert_no_error (error);
  pd_session_notify_changed (fixture->base.session, pd_organization_get_id (other));
  g_assert_cmpuint (n_wanted, ==, 0);

  seed_age_cache_a_minute (pd_store_get_path (store));
  g_assert_true (pd_store_set_read_bill_to (store, pd_organization_get_id (org),
                                            pd_organization_get_bill_to_partner_center (org),
                                            pd_organization_get_bill_to_etag (org), &error));
  g_assert_no_error (error);
  pd_session_notify_changed (fixture->base.session, pd_organization_get_id (org));
  g_assert_cmpuint (n_wanted, ==, 1);
  g_signal_handlers_disconnect_by_data (run_row, &n_wanted);
  g_assert_true (pd_test_wait_until (widget_hidden, button, 10000));
  g_test_message ("read line: %s", subtitle_of (row));
  g_assert_nonnull (strstr (subtitle_of (row), "Read from Partner Center since"));
  g_assert_null (strstr (subtitle_of (row), "sync"));
}

/* What the list said of the possible duplicates when the run ended ("sync-finished"), before
 * its reload. */
typedef struct {
  PdOrganizationList *list;
  gboolean            ended;
  gboolean            note_shown;
  char               *no_results_text;
} DuplicatesAtEnd;

static gboolean
note_shown (PdOrganizationList *list)
{
  return gtk_widget_get_visible (GTK_WIDGET (pd_organization_list_get_duplicates_note (list)));
}

static void
on_sync_finished_note (PdSession       *session,
                       gint64           run_id,
                       const GError    *error,
                       gboolean         background,
                       DuplicatesAtEnd *at_end)
{
  at_end->ended = TRUE;
  at_end->note_shown = note_shown (at_end->list);
  at_end->no_results_text = g_strdup (pd_organization_list_get_no_results_text (at_end->list));
}

static gboolean
list_has_n (gpointer data)
{
  SyncFixture *fixture = data;

  return list_complete (fixture)
         && pd_organization_list_get_n_total (window_fixture_list (&fixture->base)) > 0;
}


/* The "Possible duplicates" count on its button and on the menu button (that filter chosen),
 * with their accessible names: no number while the flags wait for a sync's end (a 0 would say
 * there are none), the count again once they are exact. */
static void
assert_duplicates_counted (PdOrganizationList *list,
                           gboolean            counted)
{
  g_autofree char *number =
    g_strdup_printf ("%'u", pd_organization_list_get_count (list, PD_FILTER_DUPLICATES));
  g_autofree char *name =
    g_strdup_printf ("Possible duplicates, %s",
                     counted ? number : "not counted until a sync completes");
  g_autofree char *menu_name = g_strconcat ("Filter: ", name, NULL);
  const char *shown = counted ? number : "—";

  g_assert_cmpint (pd_organization_list_get_filter (list), ==, PD_FILTER_DUPLICATES);
  g_assert_cmpstr (pd_organization_list_get_filter_count_text (list, PD_FILTER_DUPLICATES), ==,
                   shown);
  g_assert_cmpstr (pd_organization_list_get_filter_menu_count_text (list), ==, shown);
  assert_accessible_label (pd_organization_list_get_filter_button (list, PD_FILTER_DUPLICATES),
                           name);
  assert_accessible_label (pd_organization_list_get_filter_menu_button (list), menu_name);
  /* The button inside, which takes the focus, is named with it (it kept the first name). */
  assert_accessible_label (gtk_widget_get_first_child (
                             pd_organization_list_get_filter_menu_button (list)), menu_name);
}

static gboolean
duplicates_count_shown (gpointer data)
{
  return g_strcmp0 (pd_organization_list_get_filter_count_text (data, PD_FILTER_DUPLICATES),
                    "—") != 0;
}

/* Starts a sync from the window; checks what the list says of the duplicates while it runs
 * and when it ends, then waits for the list's reload: no word of them once the flags are
 * exact. */
static void
sync_and_check_duplicates_note (SyncFixture *fixture,
                                const char  *no_results_text)
{
  PdOrganizationList *list = window_fixture_list (&fixture->base);
  GtkLabel *note = pd_organization_list_get_duplicates_note (list);
  DuplicatesAtEnd at_end = { list, FALSE, TRUE, NULL };
  gboolean exact = FALSE;
  gulong handler;
  const char *said;

  handler = g_signal_connect (fixture->base.session, "sync-finished",
                              G_CALLBACK (on_sync_finished_note), &at_end);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), "win.sync", NULL));
  g_assert_true (pd_session_get_syncing (fixture->base.session));
  said = g_str_equal (pd_organization_list_get_page (list), "no-results")
         ? pd_organization_list_get_no_results_text (list) : gtk_label_get_text (note);
  g_test_message ("while syncing: %s", said);
  g_assert_cmpstr (said, ==, "Possible duplicates are found when the sync completes.");
  g_assert_true (pd_test_wait_until (sync_done, fixture, 90000));
  g_signal_handler_disconnect (fixture->base.session, handler);
  g_assert_true (at_end.ended);
  g_assert_true (pd_store_get_dup_flags_exact (fixture->base.store, &exact, NULL));
  g_assert_true (exact);
  /* At the run's end, before the list's reload. */
  g_assert_false (at_end.note_shown);
  g_assert_cmpstr (at_end.no_results_text, ==, no_results_text);
  g_free (at_end.no_results_text);
  g_assert_true (pd_test_wait_until (list_complete, fixture, 20000));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (note)));
  g_assert_cmpstr (pd_organization_list_get_no_results_text (list), ==, no_results_text);
  /* The count returns with the list's reload after the run (the session asks for one at its
   * end; the reload throttle may space it out): one counted with the exact flags. */
  g_assert_true (pd_test_wait_until (duplicates_count_shown, list, 20000));
  assert_duplicates_counted (list, TRUE);
}

/* A first sync stopped with two customers of one name: "Possible duplicates" finds none yet,
 * and the list says that the next complete sync finds them, not "no results" alone; a sync
 * run from the window says it finds them when it completes, and the words go at its end. */
static void
test_duplicates_after_stopped_first_sync (SyncFixture   *fixture,
                                          gconstpointer  data)
{
  PdOrganizationList *list = window_fixture_list (&fixture->base);
  g_autofree char *no_results_text = g_strdup (pd_organization_list_get_no_results_text (list));

  seed_first_sync_stopped_with_twin (fixture->base.path);
  pd_session_notify_changed (fixture->base.session, 0);
  g_assert_true (pd_test_wait_until (list_has_n, fixture, 10000));
  pd_organization_list_set_filter (list, PD_FILTER_DUPLICATES);
  g_assert_cmpuint (pd_organization_list_get_count (list, PD_FILTER_DUPLICATES), ==, 0);
  assert_duplicates_counted (list, FALSE);
  g_assert_cmpstr (pd_organization_list_get_page (list), ==, "no-results");
  g_assert_cmpstr (pd_organization_list_get_no_results_text (list), ==,
                   "A sync stopped before it completed: the next complete sync finds the "
                   "possible duplicates.");
  /* The page says it: not twice. */
  g_assert_false (note_shown (list));
  /* Another filter: nothing to say. */
  pd_organization_list_set_filter (list, PD_FILTER_ALL);
  g_assert_cmpstr (pd_organization_list_get_page (list), ==, "list");
  g_assert_false (note_shown (list));
  pd_organization_list_set_filter (list, PD_FILTER_DUPLICATES);

  sync_and_check_duplicates_note (fixture, no_results_text);
}

/* Two possible duplicates flagged, then a sync stopped after storing a third of their name:
 * the filter shows two (too few) with a note under the filters that the next complete sync
 * finds the rest; a sync run from the window ends it. */
static void
test_duplicates_after_stopped_sync (SyncFixture   *fixture,
                                    gconstpointer  data)
{
  PdOrganizationList *list = window_fixture_list (&fixture->base);
  GtkLabel *note = pd_organization_list_get_duplicates_note (list);
  g_autofree char *no_results_text = g_strdup (pd_organization_list_get_no_results_text (list));

  seed_synced_customers (fixture->base.path);
  seed_customer_named (fixture->base.path, "66666666-6666-4666-8666-666666666661", "Contoso Ltd");
  seed_sync_stopped_after_one (fixture->base.path, "66666666-6666-4666-8666-666666666662",
                               "Contoso Ltd");
  pd_session_notify_changed (fixture->base.session, 0);
  g_assert_true (pd_test_wait_until (list_has_n, fixture, 10000));
  pd_organization_list_set_filter (list, PD_FILTER_DUPLICATES);
  g_assert_cmpuint (pd_organization_list_get_count (list, PD_FILTER_DUPLICATES), ==, 2);
  assert_duplicates_counted (list, FALSE);
  g_assert_cmpstr (pd_organization_list_get_page (list), ==, "list");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (note)));
  g_assert_cmpstr (gtk_label_get_text (note), ==,
                   "A sync stopped before it completed: the next complete sync finds the "
                   "possible duplicates.");

  sync_and_check_duplicates_note (fixture, no_results_text);
}

/* ---- a sync refused before it records a run: the panel has nothing, a dialog says why ---- */

/* Runs Sync Now to its end; no run is waited for in the list. */
static void
run_refused_sync (SyncFixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), "win.sync", NULL));
  g_assert_true (pd_test_wait_until (sync_done, fixture, 30000));
}

/* Partner Center refuses the token (revoked, expired): Sync Now says so, and offers to sign in
 * again, which opens the sign-in dialog. Before, nothing was said: the panel still read "Not
 * synced yet". */
static void
test_refused_sign_in (SyncFixture   *fixture,
                      gconstpointer  data)
{
  g_autoptr(PdAuth) revoked = pd_auth_new_with_token ("a-revoked-token");
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;

  g_assert_true (pd_session_connect (fixture->base.session, revoked,
                                     pd_simulator_get_base_url (fixture->simulator), &error));
  g_assert_no_error (error);
  run_refused_sync (fixture);

  dialog = ui_find_message_dialog (GTK_WINDOW (fixture->base.window));
  g_assert_nonnull (dialog);
  g_test_message ("%s: %s", adw_message_dialog_get_heading (dialog),
                  adw_message_dialog_get_body (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Sync");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Sign in again"));
  g_assert_cmpuint (pd_sync_panel_get_n_runs (panel (fixture)), ==, 0);
  g_assert_true (adw_message_dialog_has_response (dialog, "sign-in"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "sign-in");
  g_assert_null (ui_find_toplevel (PD_TYPE_SIGN_IN_DIALOG));
  adw_message_dialog_response (dialog, "sign-in");
  g_assert_nonnull (ui_find_toplevel (PD_TYPE_SIGN_IN_DIALOG));
  gtk_window_destroy (ui_find_toplevel (PD_TYPE_SIGN_IN_DIALOG));
}

static gboolean
sign_in_dialog_gone (gpointer data)
{
  return ui_find_toplevel (PD_TYPE_SIGN_IN_DIALOG) == NULL;
}

/* A sign-in approved where no keyring can keep it (here the Secret Service's name is held by
 * a connection that answers nothing, so no keyring is started): the window says it holds until
 * Partner Desk quits. Before, nothing was said, and the next start asked to sign in again out
 * of the blue. */
static void
test_sign_in_not_kept (SyncFixture   *fixture,
                       gconstpointer  data)
{
  g_autoptr(GDBusConnection) no_keyring = ui_session_bus_own_name ("org.freedesktop.secrets");
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *login_url = pd_simulator_dup_login_url (fixture->simulator);

  g_settings_set_string (settings, "login-url", login_url);
  g_settings_set_string (settings, "api-url", pd_simulator_get_base_url (fixture->simulator));
  gtk_window_present (GTK_WINDOW (pd_sign_in_dialog_new (fixture->base.session,
                                                         fixture->base.window)));
  g_assert_nonnull (ui_find_toplevel (PD_TYPE_SIGN_IN_DIALOG));
  g_assert_true (pd_test_wait_until (sign_in_dialog_gone, NULL, 30000));
  g_assert_true (pd_session_get_signed_in (fixture->base.session));
  g_assert_nonnull (ui_find_shown_label (GTK_WIDGET (fixture->base.window),
                                         "Signed in until Partner Desk quits"));
  g_settings_reset (settings, "login-url");
  g_settings_reset (settings, "api-url");
  g_dbus_connection_close_sync (no_keyring, NULL, NULL);
}

static guint
n_message_dialogs (GtkWindow *window)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
  guint n = 0;

  for (GList *l = toplevels; l != NULL; l = l->next)
    n += ADW_IS_MESSAGE_DIALOG (l->data) && gtk_window_get_transient_for (l->data) == window
         && gtk_widget_get_visible (l->data);
  return n;
}

/* Another process (the CLI, the timer) is syncing this cache: Sync Now says so, with the time
 * that sync began, and offers no sign-in. */
static void
test_refused_busy (SyncFixture   *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) other = pd_store_open (pd_store_get_path (fixture->base.store), &error);
  AdwMessageDialog *dialog;
  gint64 resume = 0;

  g_assert_no_error (error);
  g_assert_cmpint (pd_store_begin_sync_run (other, PD_SYNC_KIND_FULL, "other-process", &resume,
                                            &error), >, 0);
  g_assert_no_error (error);
  run_refused_sync (fixture);

  dialog = ui_find_message_dialog (GTK_WINDOW (fixture->base.window));
  g_assert_nonnull (dialog);
  g_test_message ("%s", adw_message_dialog_get_body (dialog));
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (dialog),
                                   "A sync is already running (since "));
  g_assert_false (adw_message_dialog_has_response (dialog, "sign-in"));
  /* Refused again (Sync Now again, or the timer) while it is open: still one dialog. */
  run_refused_sync (fixture);
  g_assert_cmpuint (n_message_dialogs (GTK_WINDOW (fixture->base.window)), ==, 1);
  /* Another kind of alert is not held back by it: the cache turns out to be another
   * account's, said in a dialog of its own beside the first. */
  g_clear_object (&other);
  g_assert_true (pd_store_set_meta (fixture->base.store, "partner-tenant-id",
                                    "11111111-2222-4333-8444-555555555555", &error));
  g_assert_no_error (error);
  run_refused_sync (fixture);
  g_assert_cmpuint (n_message_dialogs (GTK_WINDOW (fixture->base.window)), ==, 2);
  gtk_window_destroy (GTK_WINDOW (dialog));
  dialog = ui_find_message_dialog (GTK_WINDOW (fixture->base.window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Another Partner Center Account");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
one_run_listed (gpointer data)
{
  SyncFixture *fixture = data;

  return pd_sync_panel_get_n_runs (panel (fixture)) == 1;
}

/* A sync another process ran while the app is open (the timer's, partner-desk-cli sync) shows
 * in the panel once it ends, as the app's own do: nothing else tells the app. */
static void
test_other_process_run (SyncFixture   *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) other = pd_store_open (pd_store_get_path (fixture->base.store), &error);
  gint64 resume = 0;
  gint64 run_id;

  g_assert_no_error (error);
  g_assert_cmpuint (pd_sync_panel_get_n_runs (panel (fixture)), ==, 0);
  run_id = pd_store_begin_sync_run (other, PD_SYNC_KIND_FULL, "other-process", &resume, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_finish_sync_run (other, run_id, PD_SYNC_STATE_COMPLETE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pd_test_wait_until (one_run_listed, fixture, 10000));
}

/* While connected to a run's "progress": once the run lists customers, every request fails
 * and is not retried, so the run fails after it recorded itself. */
static void
fail_listing (PdSyncEngine         *engine,
              const PdSyncProgress *progress,
              SyncFixture          *fixture)
{
  if (progress->stage != PD_SYNC_STAGE_LISTING)
    return;
  pd_simulator_set_fault_rate (fixture->simulator, 1.0);
  pd_pc_client_set_retry_policy (pd_session_get_client (fixture->base.session), 0, 5);
}

/* A run that failed after it began is in the panel with its reason: no dialog on top. */
static void
test_failed_run_in_panel_only (SyncFixture   *fixture,
                               gconstpointer  data)
{
  PdSyncEngine *engine = pd_session_get_sync_engine (fixture->base.session);
  g_autoptr(PdSyncRun) run = NULL;

  g_signal_connect (engine, "progress", G_CALLBACK (fail_listing), fixture);
  run_refused_sync (fixture);
  g_signal_handlers_disconnect_by_func (engine, fail_listing, fixture);

  g_assert_cmpint (pd_sync_engine_get_last_run_id (engine), >, 0);
  run = pd_store_get_sync_run (fixture->base.store, pd_sync_engine_get_last_run_id (engine),
                               NULL);
  g_assert_nonnull (run);
  g_assert_cmpint (run->state, ==, PD_SYNC_STATE_FAILED);
  g_assert_cmpuint (pd_sync_panel_get_n_runs (panel (fixture)), ==, 1);
  g_assert_null (ui_find_message_dialog (GTK_WINDOW (fixture->base.window)));
}

int
main (int    argc,
      char **argv)
{
  window_fixture_init (&argc, &argv);

  g_test_add ("/sync-panel/first-sync", SyncFixture, NULL, sync_fixture_set_up, test_first_sync,
              sync_fixture_tear_down);
  g_test_add ("/sync-panel/throttled-sync", SyncFixture, NULL, sync_fixture_set_up,
              test_throttled_sync, sync_fixture_tear_down);
  g_test_add ("/sync-panel/replaced-edit", SyncFixture, NULL, sync_fixture_set_up,
              test_replaced_edit_reported, sync_fixture_tear_down);
  g_test_add ("/sync-panel/focus-kept-when-sync-ends", SyncFixture, NULL, sync_fixture_set_up,
              test_focus_kept_when_sync_ends, sync_fixture_tear_down);
  g_test_add ("/sync-panel/retry-failed-customer", SyncFixture, NULL, sync_fixture_set_up,
              test_retry_failed_customer, sync_fixture_tear_down);
  g_test_add ("/sync-panel/push-closes-failure", SyncFixture, NULL, sync_fixture_set_up,
              test_push_closes_failure, sync_fixture_tear_down);
  g_test_add ("/sync-panel/scoped-sync-shown", SyncFixture, NULL, sync_fixture_set_up,
              test_scoped_sync_shown, sync_fixture_tear_down);
  g_test_add ("/sync-panel/quiet-runs-folded", SyncFixture, NULL, sync_fixture_set_up,
              test_quiet_runs_folded, sync_fixture_tear_down);
  g_test_add ("/sync-panel/refused-sign-in", SyncFixture, NULL, sync_fixture_set_up,
              test_refused_sign_in, sync_fixture_tear_down);
  g_test_add ("/sync-panel/sign-in-not-kept", SyncFixture, NULL, sync_fixture_set_up,
              test_sign_in_not_kept, sync_fixture_tear_down);
  g_test_add ("/sync-panel/editor-follows-own-sync", SyncFixture, NULL, sync_fixture_set_up,
              test_editor_follows_own_sync, sync_fixture_tear_down);
  g_test_add ("/sync-panel/refused-busy", SyncFixture, NULL, sync_fixture_set_up,
              test_refused_busy, sync_fixture_tear_down);
  g_test_add ("/sync-panel/other-process-run", SyncFixture, NULL, sync_fixture_set_up,
              test_other_process_run, sync_fixture_tear_down);
  g_test_add ("/sync-panel/failed-run-in-panel-only", SyncFixture, NULL, sync_fixture_set_up,
              test_failed_run_in_panel_only, sync_fixture_tear_down);
  g_test_add ("/sync-panel/cancel", SyncFixture, NULL, sync_fixture_set_up, test_cancel,
              sync_fixture_tear_down);
  g_test_add ("/sync-panel/duplicates-after-stopped-first-sync", SyncFixture, NULL,
              sync_fixture_set_up, test_duplicates_after_stopped_first_sync,
              sync_fixture_tear_down);
  g_test_add ("/sync-panel/duplicates-after-stopped-sync", SyncFixture, NULL,
              sync_fixture_set_up, test_duplicates_after_stopped_sync, sync_fixture_tear_down);
  return g_test_run ();
}
