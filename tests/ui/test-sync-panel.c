/* test-sync-panel.c — the sync panel against an in-process simulator: Sync now runs a real
 * sync, the stage / progress widgets move, the list fills while it runs, the run is listed
 * with its report, and a replaced local edit shows up in the next run's report. */
#include "config.h"

#include "pd-sync-panel.h"
#include "pd-test-util.h"
#include "simulator/pd-simulator.h"
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

  window_fixture_set_up (&fixture->base, GINT_TO_POINTER (1));
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

/* Called on every list change: remembers whether rows arrived before the sync ended. */
static void
on_rows_changed (SyncFixture *fixture)
{
  PdOrganizationList *list = window_fixture_list (&fixture->base);
  guint n = pd_organization_list_get_n_total (list);

  if (pd_session_get_syncing (fixture->base.session) && n > 0 && n < N_CUSTOMERS
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

static gboolean
cancelled (gpointer data)
{
  return sync_done (data);
}

static void
test_cancel (SyncFixture   *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) runs = NULL;

  pd_simulator_set_latency (fixture->simulator, 200, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), "win.sync", NULL));
  pd_test_spin (100);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), "win.cancel-sync",
                                             NULL));
  g_assert_true (pd_test_wait_until (cancelled, fixture, 20000));
  runs = pd_store_list_sync_runs (fixture->base.store, 1, NULL);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpint (((PdSyncRun *) runs->pdata[0])->state, ==, PD_SYNC_STATE_CANCELLED);
  g_assert_cmpuint (pd_sync_panel_get_n_runs (panel (fixture)), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  window_fixture_init (&argc, &argv);

  g_test_add ("/sync-panel/first-sync", SyncFixture, NULL, sync_fixture_set_up, test_first_sync,
              sync_fixture_tear_down);
  g_test_add ("/sync-panel/replaced-edit", SyncFixture, NULL, sync_fixture_set_up,
              test_replaced_edit_reported, sync_fixture_tear_down);
  g_test_add ("/sync-panel/cancel", SyncFixture, NULL, sync_fixture_set_up, test_cancel,
              sync_fixture_tear_down);
  return g_test_run ();
}
