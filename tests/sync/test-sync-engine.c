/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sync-engine.c — PdSyncEngine against the simulator: full and incremental runs, the
 * three-way merge, throttling, faults, cancel and resume, one run at a time, retry, resellers
 * and country rules. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "api/pd-pc-client-private.h"
#include "pd-test-util.h"
#include "sync-test-helpers.h"
#include "sync/pd-sync-engine-private.h"
#include "sync/pd-sync-report.h"

static void
options_small (PdSimulatorOptions *options,
               guint               n_customers)
{
  pd_simulator_options_init (options);
  options->n_customers = n_customers;
  options->seed = 7;
}

static gint64
find_org_id (PdStore    *store,
             const char *tenant_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = pd_store_find_by_tenant (store, tenant_id, &error);

  g_assert_no_error (error);
  return pd_organization_get_id (org);
}

/* ---- progress bookkeeping ---- */

typedef struct {
  guint    n_progress;
  gboolean saw_profiles;
  gboolean saw_idle;
  gboolean done_went_back;
  gboolean saw_rate;
  gboolean saw_eta;
  guint    n_profiles;   /* reports during PD_SYNC_STAGE_PROFILES */
  guint64  last_done;
  guint64  last_total;
  guint    stored;
  guint    n_batches;
} ProgressLog;

static void
on_progress (PdSyncEngine         *engine,
             const PdSyncProgress *progress,
             ProgressLog          *log)
{
  log->n_progress++;
  if (progress->stage == PD_SYNC_STAGE_PROFILES)
    {
      if (log->saw_profiles && progress->done < log->last_done)
        log->done_went_back = TRUE;
      log->saw_profiles = TRUE;
      log->last_done = progress->done;
      log->last_total = progress->total;
      log->saw_rate |= progress->rate > 0;
      log->saw_eta |= progress->eta_seconds >= 0;
      log->n_profiles++;
      g_assert_cmpuint (progress->done, <=, progress->total);
    }
  if (progress->stage == PD_SYNC_STAGE_IDLE)
    log->saw_idle = TRUE;
  g_assert_cmpstr (pd_sync_stage_label (progress->stage), !=, "");
}

static void
on_batch_stored (PdSyncEngine *engine,
                 guint         n,
                 ProgressLog  *log)
{
  g_assert_cmpuint (n, >, 0);
  log->stored += n;
  log->n_batches++;
}

/* ---- full sync ---- */

static void
test_full (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  ProgressLog log = { 0 };
  g_autoptr(PdSyncRun) run = NULL;
  g_autoptr(GPtrArray) resellers = NULL;
  PdSyncProgress progress;
  gint64 run_id;
  guint with_reseller = 0;
  PdStoreQuery query = { 0 };
  g_autoptr(GPtrArray) orgs = NULL;

  options_small (&options, 300);
  options.n_resellers = 3;
  sync_fixture_init (&fx, &options);
  pd_sync_engine_set_batch_size (fx.engine, 64);
  g_signal_connect (fx.engine, "progress", G_CALLBACK (on_progress), &log);
  g_signal_connect (fx.engine, "batch-stored", G_CALLBACK (on_batch_stored), &log);

  run_id = sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO);
  g_assert_false (pd_sync_engine_get_running (fx.engine));

  run = sync_test_get_run (fx.store, run_id);
  g_assert_cmpint (run->kind, ==, PD_SYNC_KIND_FULL);   /* no base yet */
  g_assert_cmpint (run->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (run->n_new, ==, 300);
  g_assert_cmpuint (run->n_failed, ==, 0);
  g_assert_cmpuint (run->n_removed, ==, 0);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 300);

  /* Progress: profiles counted up to the total, batches add up, a final idle report. */
  g_assert_true (log.saw_profiles);
  g_assert_false (log.done_went_back);
  g_assert_true (log.saw_idle);
  /* Each customer is stored twice: from its listing page, then with its bill-to. */
  g_assert_cmpuint (log.stored, ==, 2 * 300);
  pd_sync_engine_get_progress (fx.engine, &progress);
  g_assert_cmpint (progress.stage, ==, PD_SYNC_STAGE_IDLE);
  g_assert_cmpuint (progress.done, ==, 300);
  g_assert_cmpuint (progress.total, ==, 300);

  /* Every customer has a bill-to from Partner Center with its etag; resellers attributed. */
  orgs = pd_store_list (fx.store, &query, NULL);
  g_assert_cmpuint (orgs->len, ==, 300);
  for (guint i = 0; i < orgs->len; i++)
    {
      PdOrganization *org = g_ptr_array_index (orgs, i);

      g_assert_nonnull (pd_organization_get_tenant_id (org));
      g_assert_nonnull (pd_organization_get_name (org));
      g_assert_nonnull (pd_organization_get_bill_to_etag (org));
      g_assert_false (pd_bill_to_is_empty (pd_organization_get_bill_to_partner_center (org)));
      g_assert_cmpint (pd_organization_get_bill_to_state (org), !=, PD_BILL_TO_STATE_UNREADABLE);
      g_assert_nonnull (pd_organization_get_bill_to_read_at (org));
      if (pd_organization_get_reseller_id (org) != NULL)
        {
          g_assert_nonnull (pd_organization_get_reseller_name (org));
          with_reseller++;
        }
    }
  g_assert_cmpuint (with_reseller, >, 0);
  resellers = pd_store_list_resellers (fx.store, NULL);
  g_assert_cmpuint (resellers->len, >, 0);
  g_assert_cmpuint (resellers->len, <=, 3);
  sync_fixture_clear (&fx);
}

/* A run long enough to measure: a rate and an ETA while fetching, at most ~10 reports a
 * second. */
static void
test_progress_rate (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  ProgressLog log = { 0 };
  gint64 start, elapsed_ms;

  options_small (&options, 400);
  options.latency_ms = 10;
  sync_fixture_init (&fx, &options);
  pd_pc_client_set_max_in_flight (fx.client, 4);   /* ~1 s of fetching */
  g_signal_connect (fx.engine, "progress", G_CALLBACK (on_progress), &log);
  start = g_get_monotonic_time ();
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  g_assert_cmpint (elapsed_ms, >=, 500);
  g_assert_true (log.saw_rate);
  g_assert_true (log.saw_eta);
  g_assert_false (log.done_went_back);
  /* Throttled to one report per 100 ms, plus one per stage change. */
  g_assert_cmpuint (log.n_profiles, <=, elapsed_ms / 100 + 3);
  g_assert_cmpuint (log.n_progress, <=, elapsed_ms / 100 + 12);
  sync_fixture_clear (&fx);
}

/* Under a requests-per-minute cap batches fill slowly: what arrived is stored every couple of
 * seconds anyway, long before a full batch. */
static void
test_batches_under_rpm_cap (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  ProgressLog log = { 0 };

  options_small (&options, 45);
  sync_fixture_init (&fx, &options);
  pd_pc_client_set_requests_per_minute (fx.client, 900);   /* 15 a second: ~4 s in all */
  g_signal_connect (fx.engine, "batch-stored", G_CALLBACK (on_batch_stored), &log);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  /* The listing page (one batch), then the bill-tos in at least two. */
  g_assert_cmpuint (log.stored, ==, 2 * 45);
  g_assert_cmpuint (log.n_batches, >=, 1 + 2);
  sync_fixture_clear (&fx);
}

/* The reseller of each customer is the one whose filtered list names it. */
typedef struct {
  GHashTable *tenants;
} ResellerPage;

static gboolean
collect_page (GPtrArray *customers,
              gpointer   user_data)
{
  GHashTable *tenants = user_data;

  for (guint i = 0; i < customers->len; i++)
    g_hash_table_add (tenants, g_strdup (((PdPcCustomer *) g_ptr_array_index (customers, i))->id));
  return TRUE;
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (pd_pc_client_list_customers_finish (PD_PC_CLIENT (source), result, &error),
                   >=, 0);
  g_assert_no_error (error);
  *done = TRUE;
}

/* "batch-stored": the most customers the store had a reseller of. */
typedef struct {
  PdStore *store;
  guint    max_attributed;
} AttributedLog;

static void
count_attributed (PdSyncEngine  *engine,
                  guint          n_stored,
                  AttributedLog *log)
{
  log->max_attributed = MAX (log->max_attributed, pd_store_count_resellers_of (log->store));
}

static void
test_resellers (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(GPtrArray) resellers = NULL;
  g_autoptr(GHashTable) tenants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean done = FALSE;
  AttributedLog attributed = { NULL, 0 };
  char **pair;
  GHashTableIter iter;
  gpointer tenant;

  options_small (&options, 200);
  options.n_resellers = 2;
  sync_fixture_init (&fx, &options);
  attributed.store = fx.store;
  g_signal_connect (fx.engine, "batch-stored", G_CALLBACK (count_attributed), &attributed);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);

  resellers = pd_store_list_resellers (fx.store, NULL);
  g_assert_cmpuint (resellers->len, >, 0);
  pair = g_strsplit (g_ptr_array_index (resellers, 0), "\t", 2);
  pd_pc_client_list_customers_async (fx.client, PD_PC_FILTER_INDIRECT_RESELLER, pair[0],
                                     collect_page, tenants, NULL, on_listed, &done);
  g_assert_true (pd_test_wait_for_flag (&done, 30000));
  g_assert_cmpuint (g_hash_table_size (tenants), >, 0);

  g_hash_table_iter_init (&iter, tenants);
  while (g_hash_table_iter_next (&iter, &tenant, NULL))
    {
      g_autoptr(PdOrganization) org = pd_store_find_by_tenant (fx.store, tenant, NULL);

      g_assert_nonnull (org);
      g_assert_cmpstr (pd_organization_get_reseller_id (org), ==, pair[0]);
      g_assert_cmpstr (pd_organization_get_reseller_name (org), ==, pair[1]);
    }
  /* The listings' attribution waited in the store (not in the engine's memory) while the
   * customers were read, and is gone with the run. */
  g_assert_cmpuint (attributed.max_attributed, >=, g_hash_table_size (tenants));
  g_assert_cmpuint (pd_store_count_resellers_of (fx.store), ==, 0);
  g_strfreev (pair);
  sync_fixture_clear (&fx);
}

/* ---- incremental sync ---- */

static void
test_incremental_after_mutations (void)
{
  PdSimulatorOptions options;
  SyncFixture fx, fresh;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_auto(GStrv) changed = NULL, renamed = NULL, added = NULL, removed = NULL;
  g_autoptr(PdSyncRun) run = NULL;
  g_autoptr(GHashTable) removed_now = NULL;
  g_autofree char *dump = NULL, *fresh_dump = NULL;
  guint64 requests_before, incremental_requests;
  gint64 run_id, erp_org;

  options_small (&options, 400);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO);

  answer = pd_simulator_mutate_json (fx.sim,
                                     "{\"changeBillTo\": 5, \"rename\": 2, \"add\": 3, "
                                     "\"remove\": 2, \"seed\": 11}",
                                     &error);
  g_assert_no_error (error);
  changed = sync_test_mutated_ids (answer, "changedBillTo");
  renamed = sync_test_mutated_ids (answer, "renamed");
  added = sync_test_mutated_ids (answer, "added");
  removed = sync_test_mutated_ids (answer, "removed");
  g_assert_cmpuint (g_strv_length (changed), ==, 5);
  g_assert_cmpuint (g_strv_length (renamed), ==, 2);
  g_assert_cmpuint (g_strv_length (added), ==, 3);
  g_assert_cmpuint (g_strv_length (removed), ==, 2);

  /* Local data on a customer about to be removed must survive its removal. */
  erp_org = find_org_id (fx.store, removed[0]);
  g_assert_true (pd_store_set_field (fx.store, erp_org, "erp-id", "ERP-REMOVED-1", &error));
  g_assert_no_error (error);

  requests_before = pd_simulator_get_requests (fx.sim);
  run_id = sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO);
  incremental_requests = pd_simulator_get_requests (fx.sim) - requests_before;

  run = sync_test_get_run (fx.store, run_id);
  g_assert_cmpint (run->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  g_assert_cmpint (run->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (run->n_new, ==, 3);
  g_assert_cmpuint (run->n_updated, ==, 7);   /* 5 bill-tos changed, 2 renamed */
  g_assert_cmpuint (run->n_removed, ==, 2);
  g_assert_cmpuint (run->n_failed, ==, 0);
  /* Only what changed was fetched: nowhere near one request per customer. */
  g_assert_cmpuint (incremental_requests, <, 60);

  /* Removed customers stay, flagged, with their local data. */
  g_assert_cmpuint (pd_store_count (fx.store), ==, 403);
  removed_now = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed_now), ==, 2);
  for (guint i = 0; removed[i] != NULL; i++)
    g_assert_true (g_hash_table_contains (removed_now, removed[i]));
  {
    g_autoptr(PdOrganization) org = pd_store_get (fx.store, erp_org, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (pd_organization_get_erp_id (org), ==, "ERP-REMOVED-1");
    g_assert_true (pd_organization_get_removed (org));
  }

  /* Apart from the removed ones, the incrementally updated cache equals a fresh full sync. */
  sync_fixture_init_peer (&fresh, &fx, "fresh.db");
  sync_test_run_ok (&fresh, PD_SYNC_MODE_FULL);
  dump = sync_test_dump (fx.store, removed_now);
  fresh_dump = sync_test_dump (fresh.store, NULL);
  g_assert_cmpstr (g_strstr_len (dump, -1, "ERP-REMOVED-1"), ==, NULL);
  g_assert_cmpstr (dump, ==, fresh_dump);

  sync_fixture_clear (&fresh);
  sync_fixture_clear (&fx);
}

static void
test_full_marks_removed (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_auto(GStrv) removed = NULL;
  g_autoptr(PdSyncRun) run = NULL;
  g_autoptr(GHashTable) removed_now = NULL;
  gint64 run_id;

  options_small (&options, 150);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  answer = pd_simulator_mutate_json (fx.sim, "{\"remove\": 3, \"seed\": 5}", &error);
  g_assert_no_error (error);
  removed = sync_test_mutated_ids (answer, "removed");

  run_id = sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  run = sync_test_get_run (fx.store, run_id);
  g_assert_cmpint (run->kind, ==, PD_SYNC_KIND_FULL);
  g_assert_cmpuint (run->n_removed, ==, 3);
  g_assert_cmpuint (run->n_unchanged, ==, 147);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 150);   /* never deleted */
  removed_now = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed_now), ==, 3);
  for (guint i = 0; removed[i] != NULL; i++)
    g_assert_true (g_hash_table_contains (removed_now, removed[i]));
  sync_fixture_clear (&fx);
}

static void
test_mode_choice (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(PdSyncRun) first = NULL, second = NULL, third = NULL;

  options_small (&options, 50);
  sync_fixture_init (&fx, &options);
  first = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  second = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  third = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_FULL));
  g_assert_cmpint (first->kind, ==, PD_SYNC_KIND_FULL);
  g_assert_cmpint (second->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  g_assert_cmpint (third->kind, ==, PD_SYNC_KIND_FULL);
  sync_fixture_clear (&fx);
}

/* Moves when every customer was synced and read seconds back, straight in the file. */
static void
age_synced (const char *path,
            int         seconds)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE organizations SET last_synced_at = "
                                          "last_synced_at - %d, bill_to_read_at = "
                                          "bill_to_read_at - %d", seconds, seconds);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* The activity log keeps 90 days: a base older than that needs a full sync; a month-old one
 * is read incrementally. */
static void
test_base_age (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(PdSyncRun) old_base = NULL, month_old = NULL;

  options_small (&options, 40);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  sync_test_age_runs (fx.db_path, 91);
  old_base = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (old_base->kind, ==, PD_SYNC_KIND_FULL);

  sync_test_age_runs (fx.db_path, 30);
  month_old = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (month_old->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  g_assert_cmpint (month_old->state, ==, PD_SYNC_STATE_COMPLETE);
  sync_fixture_clear (&fx);
}

/* ---- the three-way merge ---- */

static const char *
pc_value (PdStore      *store,
          gint64        org_id,
          PdBillToField field)
{
  g_autoptr(PdOrganization) org = pd_store_get (store, org_id, NULL);
  static char value[256];

  g_strlcpy (value, pd_bill_to_get (pd_organization_get_bill_to_partner_center (org), field)
                    ? pd_bill_to_get (pd_organization_get_bill_to_partner_center (org), field)
                    : "", sizeof value);
  return value;
}

typedef struct {
  SyncFixture fx;
  char      **tenants;
  gint64      edited;      /* org with a local bill-to override */
  gint64      other;       /* org with another override, left alone by Partner Center */
} MergeFixture;

static void
merge_setup (MergeFixture *mf)
{
  PdSimulatorOptions options;
  g_autoptr(GError) error = NULL;

  options_small (&options, 60);
  sync_fixture_init (&mf->fx, &options);
  sync_test_run_ok (&mf->fx, PD_SYNC_MODE_FULL);
  mf->tenants = pd_simulator_dup_customer_ids (mf->fx.sim);
  mf->edited = find_org_id (mf->fx.store, mf->tenants[0]);
  mf->other = find_org_id (mf->fx.store, mf->tenants[1]);
  g_assert_true (pd_store_set_bill_to_field (mf->fx.store, mf->edited, PD_BILL_TO_EMAIL,
                                             "local@edit.example", &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_set_bill_to_field (mf->fx.store, mf->other, PD_BILL_TO_CITY,
                                             "Local City", &error));
  g_assert_no_error (error);
}

static void
merge_teardown (MergeFixture *mf)
{
  g_strfreev (mf->tenants);
  sync_fixture_clear (&mf->fx);
}

static void
change_in_partner_center (MergeFixture *mf,
                          const char   *tenant)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf ("{\"changeBillTo\": [\"%s\"], \"seed\": 3}", tenant);
  g_autofree char *answer = pd_simulator_mutate_json (mf->fx.sim, json, &error);

  g_assert_no_error (error);
}

static gboolean
has_override (PdStore      *store,
              gint64        org_id,
              PdBillToField field)
{
  g_autoptr(PdOrganization) org = pd_store_get (store, org_id, NULL);

  return pd_organization_is_field_overridden (org, field);
}

/* Partner Center did not change the bill-to: the override stays, in a full run too. */
static void
test_merge_kept (void)
{
  MergeFixture mf;
  g_autoptr(PdSyncRun) run = NULL;
  g_autoptr(PdOrganization) org = NULL;
  gint64 run_id;

  merge_setup (&mf);
  run_id = sync_test_run_ok (&mf.fx, PD_SYNC_MODE_FULL);
  run = sync_test_get_run (mf.fx.store, run_id);
  g_assert_cmpuint (run->n_overrides_kept, ==, 2);
  g_assert_cmpuint (run->n_overrides_replaced, ==, 0);
  org = pd_store_get (mf.fx.store, mf.edited, NULL);
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_EMAIL), ==,
                   "local@edit.example");
  g_assert_true (has_override (mf.fx.store, mf.other, PD_BILL_TO_CITY));
  merge_teardown (&mf);
}

/* Partner Center changed the edited customer's bill-to: Partner Center wins, the override goes
 * to history, the run reports the replaced field with both values; the other override stays. */
static void
check_replaced (MergeFixture *mf,
                PdSyncMode    mode,
                PdSyncKind    expected_kind)
{
  g_autoptr(PdSyncRun) run = NULL;
  g_autoptr(GPtrArray) replaced = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(PdOrganization) org = NULL;
  gboolean in_history = FALSE;
  gint64 run_id;

  change_in_partner_center (mf, mf->tenants[0]);
  run_id = sync_test_run_ok (&mf->fx, mode);
  run = sync_test_get_run (mf->fx.store, run_id);
  g_assert_cmpint (run->kind, ==, expected_kind);
  g_assert_cmpuint (run->n_overrides_replaced, ==, 1);

  g_assert_false (has_override (mf->fx.store, mf->edited, PD_BILL_TO_EMAIL));
  org = pd_store_get (mf->fx.store, mf->edited, NULL);
  g_assert_false (pd_organization_get_has_local_edits (org));
  g_assert_true (pd_bill_to_equal (pd_organization_get_bill_to (org),
                                   pd_organization_get_bill_to_partner_center (org)));
  g_assert_true (has_override (mf->fx.store, mf->other, PD_BILL_TO_CITY));

  replaced = sync_test_events (mf->fx.store, run_id, PD_RUN_EVENT_OVERRIDE_REPLACED);
  g_assert_cmpuint (replaced->len, >=, 1);
  {
    PdRunEvent *event = g_ptr_array_index (replaced, 0);

    g_assert_cmpstr (event->tenant_id, ==, mf->tenants[0]);
    g_assert_cmpstr (event->field, ==, "billTo.email");
    g_assert_cmpstr (event->old_value, ==, "local@edit.example");
    g_assert_cmpstr (event->new_value, ==, pc_value (mf->fx.store, mf->edited, PD_BILL_TO_EMAIL));
  }

  history = pd_store_get_history (mf->fx.store, mf->edited, NULL);
  for (guint i = 0; i < history->len; i++)
    {
      PdHistoryEntry *entry = g_ptr_array_index (history, i);

      in_history |= g_strcmp0 (entry->old_value, "local@edit.example") == 0
                    && entry->by == PD_CHANGE_BY_SYNC;
    }
  g_assert_true (in_history);
}

static void
test_merge_replaced_incremental (void)
{
  MergeFixture mf;

  merge_setup (&mf);
  check_replaced (&mf, PD_SYNC_MODE_AUTO, PD_SYNC_KIND_INCREMENTAL);
  merge_teardown (&mf);
}

static void
test_merge_replaced_full (void)
{
  MergeFixture mf;

  merge_setup (&mf);
  check_replaced (&mf, PD_SYNC_MODE_FULL, PD_SYNC_KIND_FULL);
  merge_teardown (&mf);
}

/* An override made after Partner Center's change (on the new base) survives the next sync. */
static void
test_merge_override_on_new_base (void)
{
  MergeFixture mf;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSyncRun) run = NULL;

  merge_setup (&mf);
  check_replaced (&mf, PD_SYNC_MODE_AUTO, PD_SYNC_KIND_INCREMENTAL);
  g_assert_true (pd_store_set_bill_to_field (mf.fx.store, mf.edited, PD_BILL_TO_EMAIL,
                                             "second@edit.example", &error));
  g_assert_no_error (error);
  run = sync_test_get_run (mf.fx.store, sync_test_run_ok (&mf.fx, PD_SYNC_MODE_FULL));
  g_assert_cmpuint (run->n_overrides_replaced, ==, 0);
  g_assert_true (has_override (mf.fx.store, mf.edited, PD_BILL_TO_EMAIL));
  merge_teardown (&mf);
}

/* ---- adverse conditions ---- */

/* What the progress said of throttling waits. */
typedef struct {
  guint    last_wait;
  gboolean counted_down;   /* a wait of n ≥ 2 s was reported again at n - 1 */
  gboolean wait_ended;     /* a report without a wait followed one with a wait, while running */
  gboolean idle_waiting;   /* the run's last report still said it waited */
} WaitLog;

static void
on_wait_progress (PdSyncEngine         *engine,
                  const PdSyncProgress *progress,
                  WaitLog              *log)
{
  if (progress->stage == PD_SYNC_STAGE_IDLE)
    log->idle_waiting = progress->wait_seconds > 0;
  else if (log->last_wait > 0 && progress->wait_seconds == 0)
    log->wait_ended = TRUE;
  if (log->last_wait >= 2 && progress->wait_seconds == log->last_wait - 1)
    log->counted_down = TRUE;
  if (progress->wait_seconds > 0)
    {
      g_autofree char *label = pd_sync_progress_dup_label (progress);

      g_assert_nonnull (strstr (label, "Partner Center asked to wait"));
      /* No estimate from before the wait contradicts it. */
      g_assert_cmpfloat (progress->eta_seconds, <, 0);
      g_assert_cmpfloat (progress->rate, ==, 0);
    }
  log->last_wait = progress->wait_seconds;
}

static void
test_throttled (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(PdSyncRun) run = NULL;
  WaitLog log = { 0 };

  options_small (&options, 60);
  sync_fixture_init (&fx, &options);
  /* The 41st request, a customer's read, is a 429 asking to wait 3 s, which the progress
   * counts down; a client that ignored Retry-After would retry after its 5 ms backoff
   * (sync_test_client_new) and nothing would be counted down. By count, not by a rate window:
   * a machine too busy to fill a window (CI under AddressSanitizer) would not be throttled. */
  pd_simulator_throttle_request_after (fx.sim, 40, 3);
  g_signal_connect (fx.engine, "progress", G_CALLBACK (on_wait_progress), &log);
  run = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_FULL));
  /* The progress said why the run stood still, counted the wait down, and went back to the
   * counts after it. */
  g_assert_true (log.counted_down);
  g_assert_true (log.wait_ended);
  g_assert_false (log.idle_waiting);
  g_assert_cmpint (run->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (run->n_failed, ==, 0);
  g_assert_cmpuint (run->n_new, ==, 60);
  g_assert_cmpuint (pd_simulator_get_throttled (fx.sim), ==, 1);
  sync_fixture_clear (&fx);
}

static GHashTable *
failed_tenants (PdStore *store,
                gint64   run_id)
{
  g_autoptr(GPtrArray) failed = sync_test_events (store, run_id, PD_RUN_EVENT_FAILED);
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < failed->len; i++)
    {
      PdRunEvent *event = g_ptr_array_index (failed, i);

      g_assert_nonnull (event->error);
      g_assert_cmpstr (event->error, !=, "");
      g_hash_table_add (set, g_strdup (event->tenant_id));
    }
  return set;
}

/* The listing (one page here) keeps the client's retries; then retries are turned off so that
 * customers really fail: with them, 5% faults almost never exhaust four retries. */
static void
no_retries_for_customers (PdSyncEngine         *engine,
                          const PdSyncProgress *progress,
                          PdPcClient           *client)
{
  if (progress->stage == PD_SYNC_STAGE_PROFILES)
    pd_pc_client_set_retry_policy (client, 0, 5);
}

/* 5% faults on a cache that was already full: the run completes, every customer reported
 * failed really was not refreshed, every other one is exactly what a clean run stores, and no
 * failed customer is taken for removed. */
static void
test_faults (void)
{
  PdSimulatorOptions options;
  SyncFixture fx, clean;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSyncRun) run = NULL;
  g_autoptr(GHashTable) failed = NULL;
  g_autoptr(GHashTable) removed = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *dump = NULL, *clean_dump = NULL;
  gint64 run_id;
  gulong handler;

  options_small (&options, 400);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  /* Change every bill-to, so that a failed customer is visibly not refreshed. */
  answer = pd_simulator_mutate_json (fx.sim, "{\"changeBillTo\": 400, \"seed\": 9}", &error);
  g_assert_no_error (error);

  pd_simulator_set_fault_rate (fx.sim, 0.05);
  handler = g_signal_connect (fx.engine, "progress", G_CALLBACK (no_retries_for_customers),
                              fx.client);
  run_id = sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  g_signal_handler_disconnect (fx.engine, handler);
  pd_simulator_set_fault_rate (fx.sim, 0);
  pd_pc_client_set_retry_policy (fx.client, 4, 5);

  run = sync_test_get_run (fx.store, run_id);
  g_assert_cmpint (run->state, ==, PD_SYNC_STATE_COMPLETE);
  failed = failed_tenants (fx.store, run_id);
  g_assert_cmpuint (run->n_failed, ==, g_hash_table_size (failed));
  g_test_message ("%u of 400 customers failed", run->n_failed);
  g_assert_cmpuint (run->n_failed, >, 0);
  g_assert_cmpuint (run->n_failed, <, 400 / 5);
  removed = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed), ==, 0);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 400);

  sync_fixture_init_peer (&clean, &fx, "clean.db");
  sync_test_run_ok (&clean, PD_SYNC_MODE_FULL);
  dump = sync_test_dump (fx.store, failed);
  clean_dump = sync_test_dump (clean.store, failed);
  g_assert_cmpstr (dump, ==, clean_dump);
  {
    GHashTableIter iter;
    gpointer tenant;

    g_hash_table_iter_init (&iter, failed);
    while (g_hash_table_iter_next (&iter, &tenant, NULL))
      {
        g_autofree char *mine = sync_test_dump_one (fx.store, tenant);
        g_autofree char *theirs = sync_test_dump_one (clean.store, tenant);

        g_assert_nonnull (mine);
        g_assert_cmpstr (mine, !=, theirs);
      }
  }

  /* Retry fetches exactly the failed ones. */
  if (g_hash_table_size (failed) > 0)
    {
      g_autofree char **ids = (char **) g_hash_table_get_keys_as_array (failed, NULL);
      g_autoptr(PdSyncRun) retry = NULL;
      g_autofree char *after = NULL;
      gint64 retry_id = sync_test_retry (fx.engine, (const char * const *) ids, &error);

      g_assert_no_error (error);
      retry = sync_test_get_run (fx.store, retry_id);
      g_assert_cmpuint (retry->n_failed, ==, 0);
      g_assert_cmpuint (retry->n_updated, ==, g_hash_table_size (failed));
      after = sync_test_dump (fx.store, NULL);
      g_free (clean_dump);
      clean_dump = sync_test_dump (clean.store, NULL);
      g_assert_cmpstr (after, ==, clean_dump);
    }
  sync_fixture_clear (&clean);
  sync_fixture_clear (&fx);
}

/* Each tenant of tenants is in the cache, its bill-to not readable, the reason naming
 * reason_part. */
static void
assert_unreadable (PdStore    *store,
                   GHashTable *tenants,
                   const char *reason_part)
{
  GHashTableIter iter;
  gpointer tenant;

  g_hash_table_iter_init (&iter, tenants);
  while (g_hash_table_iter_next (&iter, &tenant, NULL))
    {
      g_autoptr(PdOrganization) org = pd_store_find_by_tenant (store, tenant, NULL);

      g_assert_nonnull (org);
      g_assert_nonnull (pd_organization_get_name (org));
      g_assert_cmpint (pd_organization_get_bill_to_state (org), ==, PD_BILL_TO_STATE_UNREADABLE);
      g_assert_false (pd_organization_get_bill_to_complete (org));
      g_assert_nonnull (strstr (pd_organization_get_bill_to_read_error (org), reason_part));
    }
}

/* A customer that failed in a first sync is fetched by the next ordinary (incremental) sync,
 * although the activity log does not name it; once stored, it is not fetched again. */
static void
test_failed_refetched_by_next_sync (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(PdSyncRun) next = NULL;
  g_autoptr(PdSyncRun) third = NULL;
  g_autoptr(GHashTable) failed = NULL;
  gint64 faulty_id, next_id, third_id;
  gulong handler;

  options_small (&options, 200);
  sync_fixture_init (&fx, &options);
  pd_simulator_set_fault_rate (fx.sim, 0.1);
  handler = g_signal_connect (fx.engine, "progress", G_CALLBACK (no_retries_for_customers),
                              fx.client);
  faulty_id = sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  g_signal_handler_disconnect (fx.engine, handler);
  pd_simulator_set_fault_rate (fx.sim, 0);
  pd_pc_client_set_retry_policy (fx.client, 4, 5);
  failed = failed_tenants (fx.store, faulty_id);
  g_assert_cmpuint (g_hash_table_size (failed), >, 0);
  /* Every listed customer is in the cache; the failed ones not readable, with the reason. */
  g_assert_cmpuint (pd_store_count (fx.store), ==, 200);
  assert_unreadable (fx.store, failed, "Partner Center");

  next_id = sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO);
  next = sync_test_get_run (fx.store, next_id);
  g_assert_cmpint (next->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  g_assert_cmpuint (next->n_failed, ==, 0);
  g_assert_cmpuint (next->n_new, ==, g_hash_table_size (failed));
  g_assert_cmpuint (pd_store_count (fx.store), ==, 200);

  third_id = sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO);
  third = sync_test_get_run (fx.store, third_id);
  g_assert_cmpuint (third->n_new + third->n_updated + third->n_unchanged, ==, 0);
  sync_fixture_clear (&fx);
}

static guint
count_filter (PdStore  *store,
              PdFilter  filter)
{
  g_autoptr(GError) error = NULL;
  guint counts[PD_N_FILTERS] = { 0 };

  g_assert_true (pd_store_count_filters (store, NULL, counts, &error));
  g_assert_no_error (error);
  return counts[filter];
}

/* A Partner Center that refuses some billing profiles (403, as to a role or GDAP relationship
 * without billing access; 404) and one customer as a whole: a first sync stores every listed
 * customer, the refused ones not readable with the reason, and completes although most
 * customers are refused (more than the failures in a row that stop a run). The next ordinary
 * sync, Partner Center no longer refusing, reads them: new, readable. */
static void
test_refused_first_sync (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(PdSyncRun) first = NULL, next = NULL;
  g_autoptr(GHashTable) forbidden = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) missing = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) removed = NULL;
  g_auto(GStrv) tenants = NULL;
  gint64 run_id;

  options_small (&options, 40);
  sync_fixture_init (&fx, &options);
  tenants = pd_simulator_dup_customer_ids (fx.sim);
  for (guint i = 0; i < 30; i++)
    {
      pd_simulator_set_refusal (fx.sim, tenants[i], PD_SIM_REFUSE_BILLING_PROFILE, 403);
      g_hash_table_add (forbidden, tenants[i]);
    }
  pd_simulator_set_refusal (fx.sim, tenants[30], PD_SIM_REFUSE_BILLING_PROFILE, 404);
  pd_simulator_set_refusal (fx.sim, tenants[31], PD_SIM_REFUSE_CUSTOMER, 404);
  g_hash_table_add (missing, tenants[30]);
  g_hash_table_add (missing, tenants[31]);

  run_id = sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  first = sync_test_get_run (fx.store, run_id);
  g_assert_cmpint (first->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (first->n_failed, ==, 32);
  g_assert_cmpuint (first->n_new, ==, 8);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 40);
  assert_unreadable (fx.store, forbidden, "(403): your account needs the Admin agent role or a "
                                          "GDAP relationship");
  assert_unreadable (fx.store, missing, "(404)");
  g_assert_cmpuint (count_filter (fx.store, PD_FILTER_UNREADABLE), ==, 32);
  removed = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed), ==, 0);

  pd_simulator_clear_refusals (fx.sim);
  next = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (next->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  g_assert_cmpuint (next->n_failed, ==, 0);
  g_assert_cmpuint (next->n_new, ==, 32);
  g_assert_cmpuint (next->n_updated, ==, 0);
  g_assert_cmpuint (count_filter (fx.store, PD_FILTER_UNREADABLE), ==, 0);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 40);
  for (guint i = 0; i < 32; i++)
    {
      g_autoptr(PdOrganization) org = pd_store_find_by_tenant (fx.store, tenants[i], NULL);

      g_assert_false (pd_bill_to_is_empty (pd_organization_get_bill_to_partner_center (org)));
      g_assert_null (pd_organization_get_bill_to_read_error (org));
      g_assert_nonnull (pd_organization_get_bill_to_read_at (org));
    }
  sync_fixture_clear (&fx);
}

/* A customer read before whose billing profile is then refused keeps its last known bill-to,
 * its state and the time of that read, with the reason; the next sync reads it again. */
static void
test_refused_keeps_last_known (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(PdOrganization) before = NULL, refused = NULL, again = NULL;
  g_autoptr(PdSyncRun) run = NULL;
  g_autofree char *dump_before = NULL, *dump_refused = NULL;
  g_auto(GStrv) tenants = NULL;

  options_small (&options, 5);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  tenants = pd_simulator_dup_customer_ids (fx.sim);
  before = pd_store_find_by_tenant (fx.store, tenants[2], NULL);
  dump_before = sync_test_dump_one (fx.store, tenants[2]);

  pd_simulator_set_refusal (fx.sim, tenants[2], PD_SIM_REFUSE_BILLING_PROFILE, 403);
  run = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_FULL));
  g_assert_cmpuint (run->n_failed, ==, 1);
  refused = pd_store_find_by_tenant (fx.store, tenants[2], NULL);
  dump_refused = sync_test_dump_one (fx.store, tenants[2]);
  g_assert_cmpstr (dump_refused, ==, dump_before);
  g_assert_cmpint (pd_organization_get_bill_to_state (refused), ==,
                   pd_organization_get_bill_to_state (before));
  g_assert_cmpint (pd_organization_get_bill_to_state (refused), !=, PD_BILL_TO_STATE_UNREADABLE);
  g_assert_true (g_date_time_equal (pd_organization_get_bill_to_read_at (refused),
                                    pd_organization_get_bill_to_read_at (before)));
  g_assert_nonnull (strstr (pd_organization_get_bill_to_read_error (refused), "(403)"));
  g_assert_cmpuint (count_filter (fx.store, PD_FILTER_UNREADABLE), ==, 0);

  pd_simulator_clear_refusals (fx.sim);
  sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO);
  again = pd_store_find_by_tenant (fx.store, tenants[2], NULL);
  g_assert_null (pd_organization_get_bill_to_read_error (again));
  sync_fixture_clear (&fx);
}

/* Partner Center lists a customer but answers 404 when it is read by id. The full run reports
 * it failed; the next ordinary sync and a retry, which fetch it again, get the same 404: that
 * is no proof it left (only the activity log or a complete listing is), so it stays failed,
 * never "removed from Partner Center", and is fetched again by the next run. */
static void
test_refused_not_found_not_removed (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSyncRun) full = NULL, next = NULL, retry = NULL;
  g_autoptr(GHashTable) removed = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_auto(GStrv) tenants = NULL;
  const char *refused[2] = { NULL, NULL };

  options_small (&options, 5);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  tenants = pd_simulator_dup_customer_ids (fx.sim);
  refused[0] = tenants[2];
  org = pd_store_find_by_tenant (fx.store, refused[0], NULL);
  g_assert_nonnull (org);
  pd_simulator_set_refusal (fx.sim, refused[0], PD_SIM_REFUSE_CUSTOMER, 404);

  full = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_FULL));
  g_assert_cmpuint (full->n_failed, ==, 1);
  next = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (next->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  g_assert_cmpuint (next->n_removed, ==, 0);
  g_assert_cmpuint (next->n_failed, ==, 1);
  /* Named as the cache knows it, not by its tenant id. */
  failures = pd_store_get_run_failures (fx.store, next->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (failures->len, ==, 1);
  g_assert_cmpstr (((PdRunEvent *) g_ptr_array_index (failures, 0))->name, ==,
                   pd_organization_get_name (org));
  retry = sync_test_get_run (fx.store, sync_test_retry (fx.engine, refused, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (retry->n_removed, ==, 0);
  g_assert_cmpuint (retry->n_failed, ==, 1);
  removed = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed), ==, 0);
  g_assert_cmpuint (count_filter (fx.store, PD_FILTER_REMOVED), ==, 0);
  sync_fixture_clear (&fx);
}

/* Whether history (of one organization) has a change of what from old_value to new_value. */
static gboolean
history_has (GPtrArray  *history,
             const char *what,
             const char *old_value,
             const char *new_value)
{
  for (guint i = 0; i < history->len; i++)
    {
      PdHistoryEntry *entry = g_ptr_array_index (history, i);

      if (g_strcmp0 (entry->what, what) == 0 && g_strcmp0 (entry->old_value, old_value) == 0
          && g_strcmp0 (entry->new_value, new_value) == 0)
        return TRUE;
    }
  return FALSE;
}

/* A customer an earlier run took for removed, which a full run lists again but cannot read:
 * listed, so Partner Center has it; it is no longer "removed from Partner Center" (the failure
 * says its bill-to is as last read), and the history says when it came back. */
static void
test_refused_listed_not_removed (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSyncRun) full = NULL;
  g_autoptr(GHashTable) removed = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_auto(GStrv) tenants = NULL;
  gint64 org_id;

  options_small (&options, 5);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  tenants = pd_simulator_dup_customer_ids (fx.sim);
  g_assert_true (pd_store_mark_removed (fx.store, 0, tenants[2], &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_filter (fx.store, PD_FILTER_REMOVED), ==, 1);

  pd_simulator_set_refusal (fx.sim, tenants[2], PD_SIM_REFUSE_CUSTOMER, 503);
  full = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_FULL));
  g_assert_cmpuint (full->n_failed, ==, 1);
  removed = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed), ==, 0);
  g_assert_cmpuint (count_filter (fx.store, PD_FILTER_REMOVED), ==, 0);
  org_id = find_org_id (fx.store, tenants[2]);
  history = pd_store_get_history (fx.store, org_id, &error);
  g_assert_no_error (error);
  g_assert_true (history_has (history, "removedFromPartnerCenter", "true", "false"));
  sync_fixture_clear (&fx);
}

/* The activity log names a customer (its bill-to changed) that Partner Center still lists but
 * answers 404 when read by id: a failure, not a removal (no request says whether one customer
 * is listed), and its reason does not claim Partner Center lists it. The next full run lists
 * it: still failed, never removed. When the activity log names its removal, it is removed,
 * and its failure is no longer open. */
static void
test_refused_logged_not_removed (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSyncRun) next = NULL, full = NULL, gone = NULL;
  g_autoptr(GHashTable) removed = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_auto(GStrv) tenants = NULL, open = NULL;
  g_autofree char *answer = NULL, *json = NULL;

  options_small (&options, 5);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  tenants = pd_simulator_dup_customer_ids (fx.sim);
  pd_simulator_set_refusal (fx.sim, tenants[2], PD_SIM_REFUSE_CUSTOMER, 404);
  json = g_strdup_printf ("{\"changeBillTo\": [\"%s\"]}", tenants[2]);
  answer = pd_simulator_mutate_json (fx.sim, json, &error);
  g_assert_no_error (error);

  next = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (next->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  g_assert_cmpuint (next->n_removed, ==, 0);
  g_assert_cmpuint (next->n_failed, ==, 1);
  g_assert_cmpuint (count_filter (fx.store, PD_FILTER_REMOVED), ==, 0);
  org = pd_store_find_by_tenant (fx.store, tenants[2], &error);
  g_assert_no_error (error);
  g_assert_false (pd_organization_get_removed (org));
  g_assert_nonnull (pd_organization_get_bill_to_read_error (org));
  g_assert_null (strstr (pd_organization_get_bill_to_read_error (org), "although it lists"));
  g_assert_nonnull (strstr (pd_organization_get_bill_to_read_error (org), "(404)"));

  full = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_FULL));
  g_assert_cmpuint (full->n_removed, ==, 0);
  g_assert_cmpuint (full->n_failed, ==, 1);
  g_assert_cmpuint (count_filter (fx.store, PD_FILTER_REMOVED), ==, 0);

  g_free (json);
  g_free (answer);
  json = g_strdup_printf ("{\"remove\": [\"%s\"]}", tenants[2]);
  answer = pd_simulator_mutate_json (fx.sim, json, &error);
  g_assert_no_error (error);
  gone = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (gone->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  g_assert_cmpuint (gone->n_removed, ==, 1);
  g_assert_cmpuint (gone->n_failed, ==, 0);
  removed = sync_test_removed (fx.store);
  g_assert_true (g_hash_table_contains (removed, tenants[2]));
  open = pd_sync_dup_latest_failures (fx.store);
  g_assert_false (g_strv_contains ((const char * const *) open, tenants[2]));
  sync_fixture_clear (&fx);
}

/* Faults from the profiles stage on (the listing, one page here, is read by then), with no
 * client retries, so that customer fetches really fail; optionally a cancel when the run
 * reaches the country rules, after it stored everything and marked the failed customers seen. */
typedef struct {
  SyncFixture  *fx;
  double        fault_rate;
  GCancellable *cancel_at_rules;
} FetchFaults;

static void
fault_fetches (PdSyncEngine         *engine,
               const PdSyncProgress *progress,
               FetchFaults          *faults)
{
  if (progress->stage == PD_SYNC_STAGE_PROFILES)
    {
      pd_pc_client_set_retry_policy (faults->fx->client, 0, 5);
      pd_simulator_set_fault_rate (faults->fx->sim, faults->fault_rate);
    }
  else if (progress->stage == PD_SYNC_STAGE_COUNTRY_RULES && faults->cancel_at_rules != NULL)
    g_cancellable_cancel (faults->cancel_at_rules);
}

static gint64
run_with_faults (FetchFaults  *faults,
                 PdSyncMode    mode,
                 GError      **error)
{
  SyncFixture *fx = faults->fx;
  gulong handler = g_signal_connect (fx->engine, "progress", G_CALLBACK (fault_fetches), faults);
  gint64 run_id = sync_test_run (fx->engine, mode, faults->cancel_at_rules, error);

  g_signal_handler_disconnect (fx->engine, handler);
  pd_simulator_set_fault_rate (fx->sim, 0);
  pd_pc_client_set_retry_policy (fx->client, 4, 5);
  return run_id;
}

/* A customer with a local bill-to edit fails in a full run: the run counts it as failed only,
 * neither as unchanged nor its edit as kept (the run did not see it); it keeps its cached copy
 * and its edit, and is not taken for removed although the listing was complete. */
static void
test_failed_counted_only_as_failed (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  FetchFaults faults = { &fx, 1.0, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSyncRun) run = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GHashTable) removed = NULL;
  g_auto(GStrv) tenants = NULL;
  g_autofree char *before = NULL, *after = NULL;
  gint64 run_id, org_id;

  options_small (&options, 1);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  tenants = pd_simulator_dup_customer_ids (fx.sim);
  org_id = find_org_id (fx.store, tenants[0]);
  g_assert_true (pd_store_set_bill_to_field (fx.store, org_id, PD_BILL_TO_EMAIL,
                                             "local@edit.example", &error));
  g_assert_no_error (error);
  before = sync_test_dump_one (fx.store, tenants[0]);

  run_id = run_with_faults (&faults, PD_SYNC_MODE_FULL, &error);
  g_assert_no_error (error);
  run = sync_test_get_run (fx.store, run_id);
  g_assert_cmpint (run->kind, ==, PD_SYNC_KIND_FULL);
  g_assert_cmpint (run->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (run->n_failed, ==, 1);
  g_assert_cmpuint (run->n_unchanged, ==, 0);
  g_assert_cmpuint (run->n_overrides_kept, ==, 0);
  g_assert_cmpuint (run->n_new + run->n_updated + run->n_removed + run->n_overrides_replaced,
                    ==, 0);
  events = pd_store_get_run_events (fx.store, run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpint (((PdRunEvent *) g_ptr_array_index (events, 0))->kind, ==,
                   PD_RUN_EVENT_FAILED);

  removed = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed), ==, 0);
  after = sync_test_dump_one (fx.store, tenants[0]);
  g_assert_cmpstr (after, ==, before);
  g_assert_true (has_override (fx.store, org_id, PD_BILL_TO_EMAIL));
  sync_fixture_clear (&fx);
}

/* A full run that failed some customers is cancelled after it marked them seen (while it
 * refreshes the country rules). The next full run resumes it: it skips what that run stored,
 * without counting it, but fetches the failed customers again; the cache ends as a clean
 * run's. */
static void
test_resumed_run_fetches_failed (void)
{
  PdSimulatorOptions options;
  SyncFixture fx, clean;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  FetchFaults faults = { &fx, 0.3, cancellable };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(PdSyncRun) resumed = NULL;
  g_autoptr(GHashTable) failed = NULL;
  g_autoptr(GHashTable) removed = NULL;
  g_autofree char *answer = NULL, *dump = NULL, *clean_dump = NULL;
  PdSyncRun *cancelled;
  guint n_failed;

  options_small (&options, 40);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  /* Every bill-to changes: a customer fetched again shows as updated. */
  answer = pd_simulator_mutate_json (fx.sim, "{\"changeBillTo\": 40, \"seed\": 4}", &error);
  g_assert_no_error (error);

  g_assert_cmpint (run_with_faults (&faults, PD_SYNC_MODE_FULL, &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  runs = pd_store_list_sync_runs (fx.store, 1, NULL);
  cancelled = g_ptr_array_index (runs, 0);
  g_assert_cmpint (cancelled->state, ==, PD_SYNC_STATE_CANCELLED);
  failed = failed_tenants (fx.store, cancelled->id);
  n_failed = g_hash_table_size (failed);
  g_test_message ("%u of 40 customers failed", n_failed);
  g_assert_cmpuint (n_failed, >, 0);
  g_assert_cmpuint (n_failed, <, 40);
  g_assert_cmpuint (cancelled->n_updated, ==, 40 - n_failed);

  resumed = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_FULL));
  g_assert_cmpint (resumed->kind, ==, PD_SYNC_KIND_FULL);
  g_assert_cmpuint (resumed->n_failed, ==, 0);
  g_assert_cmpuint (resumed->n_updated, ==, n_failed);
  g_assert_cmpuint (resumed->n_unchanged + resumed->n_new + resumed->n_removed, ==, 0);
  removed = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed), ==, 0);

  sync_fixture_init_peer (&clean, &fx, "clean.db");
  sync_test_run_ok (&clean, PD_SYNC_MODE_FULL);
  dump = sync_test_dump (fx.store, NULL);
  clean_dump = sync_test_dump (clean.store, NULL);
  g_assert_cmpstr (dump, ==, clean_dump);
  sync_fixture_clear (&clean);
  sync_fixture_clear (&fx);
}

/* Every customer of a first full run fails; a retry then fetches one of them. The next ordinary
 * (incremental) sync fetches the others, although the run just before it (the retry) had no
 * failure; the one after fetches nothing. */
static void
test_failed_refetched_after_partial_retry (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  FetchFaults faults = { &fx, 1.0, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSyncRun) faulty = NULL, retry = NULL, next = NULL, third = NULL;
  g_auto(GStrv) tenants = NULL;
  gint64 run_id;

  options_small (&options, 6);
  sync_fixture_init (&fx, &options);
  tenants = pd_simulator_dup_customer_ids (fx.sim);
  run_id = run_with_faults (&faults, PD_SYNC_MODE_FULL, &error);
  g_assert_no_error (error);
  faulty = sync_test_get_run (fx.store, run_id);
  g_assert_cmpuint (faulty->n_failed, ==, 6);
  /* Listed, so stored all the same: not readable. */
  g_assert_cmpuint (pd_store_count (fx.store), ==, 6);

  {
    const char *one[] = { tenants[0], NULL };

    run_id = sync_test_retry (fx.engine, one, &error);
    g_assert_no_error (error);
  }
  retry = sync_test_get_run (fx.store, run_id);
  g_assert_cmpuint (retry->n_failed, ==, 0);
  g_assert_cmpuint (retry->n_new, ==, 1);

  next = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (next->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  g_assert_cmpuint (next->n_failed, ==, 0);
  g_assert_cmpuint (next->n_new, ==, 5);
  g_assert_cmpuint (next->n_updated + next->n_unchanged, ==, 0);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 6);

  third = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpuint (third->n_new + third->n_updated + third->n_unchanged + third->n_failed,
                    ==, 0);
  sync_fixture_clear (&fx);
}

typedef struct {
  GCancellable *cancellable;
  guint         cancel_after;   /* batches */
  guint         batches;
  gboolean      edited;
  PdStore      *store;
} CancelPoint;

static void
cancel_on_batch (PdSyncEngine *engine,
                 guint         n,
                 CancelPoint  *point)
{
  if (++point->batches >= point->cancel_after)
    g_cancellable_cancel (point->cancellable);
}

static void
cancel_on_progress (PdSyncEngine         *engine,
                    const PdSyncProgress *progress,
                    CancelPoint          *point)
{
  /* Cancel in the middle of fetching too, not only right after a commit. */
  if (point->cancel_after == 0 && progress->stage == PD_SYNC_STAGE_PROFILES
      && progress->done > 20)
    g_cancellable_cancel (point->cancellable);
}

static void
local_edits (PdStore    *store,
             const char *tenant)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = pd_store_find_by_tenant (store, tenant, NULL);

  if (org == NULL)
    return;
  g_assert_true (pd_store_set_field (store, pd_organization_get_id (org), "erp-id",
                                     "ERP-KEEP", &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_set_bill_to_field (store, pd_organization_get_id (org),
                                             PD_BILL_TO_PHONE_NUMBER, "+49 30 1234567", &error));
  g_assert_no_error (error);
}

/* Cancelled at random points (after a commit, or between commits) and run again until done:
 * the final cache equals an uninterrupted run's, local edits made in between included. */
static void
test_cancel_resume (void)
{
  PdSimulatorOptions options;
  SyncFixture fx, clean;
  g_autofree char *dump = NULL, *clean_dump = NULL;
  g_auto(GStrv) tenants = NULL;
  gboolean edited = FALSE;
  guint attempts = 0;
  gint64 run_id = 0;

  options_small (&options, 600);
  sync_fixture_init (&fx, &options);
  tenants = pd_simulator_dup_customer_ids (fx.sim);
  pd_sync_engine_set_batch_size (fx.engine, 50);

  while (run_id == 0)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      CancelPoint point = { cancellable, 0, 0, FALSE, fx.store };
      gulong batch_handler, progress_handler;

      g_assert_cmpuint (++attempts, <=, 12);
      point.cancel_after = attempts < 6 ? (guint) g_test_rand_int_range (0, 4) : G_MAXUINT;
      batch_handler = g_signal_connect (fx.engine, "batch-stored",
                                        G_CALLBACK (cancel_on_batch), &point);
      progress_handler = g_signal_connect (fx.engine, "progress",
                                           G_CALLBACK (cancel_on_progress), &point);
      run_id = sync_test_run (fx.engine, PD_SYNC_MODE_AUTO, cancellable, &error);
      g_signal_handler_disconnect (fx.engine, batch_handler);
      g_signal_handler_disconnect (fx.engine, progress_handler);
      if (run_id == 0)
        {
          g_autoptr(GPtrArray) runs = pd_store_list_sync_runs (fx.store, 1, NULL);

          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_assert_cmpint (((PdSyncRun *) g_ptr_array_index (runs, 0))->state, ==,
                           PD_SYNC_STATE_CANCELLED);
          if (!edited && pd_store_count (fx.store) > 0)
            {
              g_autoptr(GPtrArray) orgs = pd_store_list (fx.store, &(PdStoreQuery) { .limit = 1 },
                                                         NULL);

              local_edits (fx.store,
                           pd_organization_get_tenant_id (g_ptr_array_index (orgs, 0)));
              edited = TRUE;
            }
        }
    }
  g_test_message ("completed after %u attempts", attempts);

  sync_fixture_init_peer (&clean, &fx, "clean.db");
  sync_test_run_ok (&clean, PD_SYNC_MODE_FULL);
  for (guint i = 0; i < 1 && edited; i++)
    {
      g_autoptr(GPtrArray) orgs = pd_store_list (fx.store, &(PdStoreQuery) { 0 }, NULL);

      for (guint j = 0; j < orgs->len; j++)
        if (g_strcmp0 (pd_organization_get_erp_id (g_ptr_array_index (orgs, j)), "ERP-KEEP") == 0)
          local_edits (clean.store, pd_organization_get_tenant_id (g_ptr_array_index (orgs, j)));
    }
  dump = sync_test_dump (fx.store, NULL);
  clean_dump = sync_test_dump (clean.store, NULL);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 600);
  g_assert_cmpstr (dump, ==, clean_dump);
  sync_fixture_clear (&clean);
  sync_fixture_clear (&fx);
}

/* Customers whose bill-to the cache has read (the listing stores the others unread). */
static guint
count_read (PdStore *store)
{
  g_autoptr(GPtrArray) orgs = pd_store_list (store, NULL, NULL);
  guint n = 0;

  g_assert_nonnull (orgs);
  for (guint i = 0; i < orgs->len; i++)
    n += !pd_organization_get_bill_to_unreadable (g_ptr_array_index (orgs, i));
  return n;
}

typedef struct {
  GCancellable *cancellable;
  PdStore      *store;
} CancelAtRead;

/* Cancels at the first batch of bill-tos (after the listing pages). */
static void
cancel_at_first_read (PdSyncEngine *engine,
                      guint         n,
                      CancelAtRead *at)
{
  if (count_read (at->store) > 0)
    g_cancellable_cancel (at->cancellable);
}

/* After a cancelled full run the next one fetches only what is missing, and still marks
 * removed exactly the customers Partner Center dropped meanwhile, stored or not. */
static void
test_cancel_then_resume_fetches_rest (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSyncRun) resumed = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GHashTable) removed_now = NULL;
  g_autofree char *answer = NULL, *json = NULL;
  PdPcStats before, after;
  CancelAtRead at;
  gulong handler;
  guint n_stored;

  options_small (&options, 300);
  sync_fixture_init (&fx, &options);
  pd_sync_engine_set_batch_size (fx.engine, 50);
  at.cancellable = cancellable;
  at.store = fx.store;
  handler = g_signal_connect (fx.engine, "batch-stored", G_CALLBACK (cancel_at_first_read), &at);
  g_assert_cmpint (sync_test_run (fx.engine, PD_SYNC_MODE_AUTO, cancellable, &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_signal_handler_disconnect (fx.engine, handler);
  n_stored = count_read (fx.store);
  g_assert_cmpuint (n_stored, >=, 50);
  g_assert_cmpuint (n_stored, <, 300);

  /* Partner Center drops one stored (read) customer meanwhile. */
  stored = pd_store_list (fx.store, NULL, NULL);
  while (pd_organization_get_bill_to_unreadable (g_ptr_array_index (stored, 0)))
    g_ptr_array_remove_index (stored, 0);
  json = g_strdup_printf ("{\"remove\": [\"%s\"]}",
                          pd_organization_get_tenant_id (g_ptr_array_index (stored, 0)));
  answer = pd_simulator_mutate_json (fx.sim, json, &error);
  g_assert_no_error (error);

  pd_pc_client_get_stats (fx.client, &before);
  resumed = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  pd_pc_client_get_stats (fx.client, &after);
  g_assert_cmpint (resumed->kind, ==, PD_SYNC_KIND_FULL);
  g_assert_cmpuint (resumed->n_new, ==, 300 - n_stored);
  g_assert_cmpuint (resumed->n_removed, ==, 1);
  /* One request per missing customer, plus the lists and country rules. */
  g_assert_cmpuint (after.requests - before.requests, <=, 300 - n_stored + 40);
  removed_now = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed_now), ==, 1);
  g_assert_true (g_hash_table_contains (removed_now,
                                        pd_organization_get_tenant_id (g_ptr_array_index (stored,
                                                                                          0))));
  g_assert_cmpuint (pd_store_count (fx.store), ==, 300);
  sync_fixture_clear (&fx);
}

/* Cancels the run at its second batch of bill-tos stored. */
static void
cancel_at_second_batch (PdSyncEngine *engine,
                        guint         n,
                        GCancellable *cancellable)
{
  guint *batches = g_object_get_data (G_OBJECT (cancellable), "batches");

  if (batches == NULL)
    {
      batches = g_new0 (guint, 1);
      g_object_set_data_full (G_OBJECT (cancellable), "batches", batches, g_free);
    }
  if (++*batches >= 2)
    g_cancellable_cancel (cancellable);
}

/* A sync of mode, cancelled at its second batch of bill-tos stored; returns its run id. */
static gint64
run_cancelled_at_second_batch (SyncFixture *fx,
                               PdSyncMode   mode)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gulong handler;

  handler = g_signal_connect (fx->engine, "batch-stored", G_CALLBACK (cancel_at_second_batch),
                              cancellable);
  g_assert_cmpint (sync_test_run (fx->engine, mode, cancellable, &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_signal_handler_disconnect (fx->engine, handler);
  return pd_sync_engine_get_last_run_id (fx->engine);
}

/* A full sync of a cache already synced, stopped after 100 of 300 customers; then the
 * activity log is refused when audit_forbidden (each sync reads every customer instead). */
static void
stop_a_full_resync (SyncFixture *fx,
                    PdSyncMode   mode,
                    gboolean     audit_forbidden)
{
  sync_test_run_ok (fx, PD_SYNC_MODE_FULL);
  pd_simulator_set_audit_forbidden (fx->sim, audit_forbidden);
  pd_sync_engine_set_batch_size (fx->engine, 50);
  run_cancelled_at_second_batch (fx, mode);
}

/* The next sync continues a full one stopped recently, even when a complete sync would
 * allow an incremental one: "the next sync continues where this one stopped" (the CLI at
 * Ctrl+C). Before, a plain sync ran incremental and the next full one started again. With the
 * activity log refused, a sync that began incremental and read every customer instead is
 * continued too: before, each cancelled sync there started again from the first customer. */
static void
test_next_sync_continues_stopped_full (gconstpointer data)
{
  gboolean audit_forbidden = GPOINTER_TO_INT (data);
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(PdSyncRun) stopped = NULL;
  g_autoptr(PdSyncRun) next = NULL;
  PdPcStats before, after;

  options_small (&options, 300);
  sync_fixture_init (&fx, &options);
  stop_a_full_resync (&fx, audit_forbidden ? PD_SYNC_MODE_AUTO : PD_SYNC_MODE_FULL,
                      audit_forbidden);
  stopped = sync_test_get_run (fx.store, pd_sync_engine_get_last_run_id (fx.engine));
  g_assert_cmpint (stopped->kind, ==, PD_SYNC_KIND_FULL);
  g_assert_cmpint (stopped->state, ==, PD_SYNC_STATE_CANCELLED);

  pd_pc_client_get_stats (fx.client, &before);
  next = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  pd_pc_client_get_stats (fx.client, &after);
  g_assert_cmpint (next->kind, ==, PD_SYNC_KIND_FULL);
  g_assert_cmpint (next->state, ==, PD_SYNC_STATE_COMPLETE);
  /* The 100 the stopped run read are not read again (plus the lists and country rules). */
  g_assert_cmpuint (after.requests - before.requests, <=, 200 + 40);
  g_assert_cmpuint (next->n_removed, ==, 0);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 300);
  sync_fixture_clear (&fx);
}

/* Moves the start of the runs after_id (exclusive) and up to to_id back by hours. */
static void
age_runs_between (SyncFixture *fx,
                  gint64       after_id,
                  gint64       to_id,
                  int          hours)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE sync_runs SET started_at = started_at - %d "
                                          "WHERE id > %" G_GINT64_FORMAT " AND id <= %"
                                          G_GINT64_FORMAT, hours * 3600, after_id, to_id);

  g_assert_cmpint (sqlite3_open (pd_store_get_path (fx->store), &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A full sync cancelled, continued the next day by one cancelled too: the third does not
 * continue them, as the first stored its part two days ago (each continuation was measured
 * from the run before it only: the chain kept data of days ago as fresh, and became the base
 * of the incremental runs after it). */
static void
test_old_stopped_chain_not_continued (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(PdSyncRun) second = NULL;
  g_autoptr(PdSyncRun) third = NULL;
  gint64 first_id, second_id;

  options_small (&options, 300);
  sync_fixture_init (&fx, &options);
  stop_a_full_resync (&fx, PD_SYNC_MODE_FULL, FALSE);
  first_id = pd_sync_engine_get_last_run_id (fx.engine);
  /* The second begins 20 hours after the first and continues it; 20 hours later, it is less
   * than a day old, but what the first stored is 40 hours old. */
  age_runs_between (&fx, 0, first_id, 20);
  second_id = run_cancelled_at_second_batch (&fx, PD_SYNC_MODE_AUTO);
  second = sync_test_get_run (fx.store, second_id);
  g_assert_cmpint (second->kind, ==, PD_SYNC_KIND_FULL);   /* it continued the first */
  age_runs_between (&fx, 0, second_id, 20);

  third = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (third->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpint (third->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  sync_fixture_clear (&fx);
}

/* A full list that ends with 400 {code: 2000} (Microsoft's tools take it as the end; it is also
 * Partner Center's generic invalid-input error) after 200 of 300 customers: the 100 it lacks
 * are asked for by id before anything is marked, and only the one Partner Center really
 * dropped (404) is removed. Before, all 100 were marked removed. */
static void
test_list_cut_short_removes_nothing_listed (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_auto(GStrv) ids = NULL;
  g_autoptr(PdSyncRun) cut = NULL;
  g_autoptr(GHashTable) removed = NULL;
  g_autofree char *json = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(GError) error = NULL;

  options_small (&options, 300);
  options.page_size_cap = 50;
  options.end_of_paging = PD_SIM_END_BY_400_2000;
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 300);

  ids = pd_simulator_dup_customer_ids (fx.sim);
  json = g_strdup_printf ("{\"remove\": [\"%s\"]}", ids[0]);
  answer = pd_simulator_mutate_json (fx.sim, json, &error);
  g_assert_no_error (error);
  pd_simulator_set_cut_listing_after (fx.sim, 200);
  cut = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_FULL));
  g_assert_cmpint (cut->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (cut->n_removed, ==, 1);
  removed = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed), ==, 1);
  g_assert_true (g_hash_table_contains (removed, ids[0]));
  sync_fixture_clear (&fx);
}

/* A full list cut short after 100 of 300 lacks most of the cache: the mass-removal guard
 * refuses the run, saying the listing may have been cut short (not that a complete listing
 * lacks them). The next sync does not continue that failed run (it would skip every customer
 * and fail again, run after run): it is incremental, and reads what changed. */
static void
test_failed_full_run_not_continued (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSyncRun) next = NULL;
  g_autoptr(GHashTable) removed = NULL;

  options_small (&options, 300);
  options.page_size_cap = 50;
  options.end_of_paging = PD_SIM_END_BY_400_2000;
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  pd_simulator_set_cut_listing_after (fx.sim, 100);
  g_assert_cmpint (sync_test_run (fx.engine, PD_SYNC_MODE_FULL, NULL, &error), ==, 0);
  g_assert_error (error, PD_SYNC_ERROR, PD_SYNC_ERROR_MASS_REMOVAL);
  g_assert_nonnull (strstr (error->message, "may have cut it short"));
  g_assert_null (strstr (error->message, "complete listing"));
  removed = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed), ==, 0);

  next = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (next->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  g_assert_cmpint (next->state, ==, PD_SYNC_STATE_COMPLETE);
  sync_fixture_clear (&fx);
}

typedef struct {
  gboolean done;
  GError  *error;
} BusyWait;

static void
on_busy_run_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BusyWait *wait = user_data;

  pd_sync_engine_run_finish (PD_SYNC_ENGINE (source), result, &wait->error);
  wait->done = TRUE;
}

/* One sync at a time per cache: the same engine twice, or a second engine (another window or
 * process) on the same file. */
static void
test_busy (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  BusyWait first = { 0 }, again = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) second_store = NULL;
  g_autoptr(PdSyncEngine) second = NULL;

  options_small (&options, 200);
  options.latency_ms = 5;
  sync_fixture_init (&fx, &options);
  pd_sync_engine_run_async (fx.engine, PD_SYNC_MODE_FULL, NULL, on_busy_run_done, &first);
  g_assert_true (pd_sync_engine_get_running (fx.engine));

  pd_sync_engine_run_async (fx.engine, PD_SYNC_MODE_FULL, NULL, on_busy_run_done, &again);
  g_assert_true (pd_test_wait_for_flag (&again.done, 10000));
  g_assert_error (again.error, PD_STORE_ERROR, PD_STORE_ERROR_BUSY);
  g_assert_nonnull (strstr (again.error->message, "since"));
  g_clear_error (&again.error);

  second_store = pd_store_open (fx.db_path, &error);
  g_assert_no_error (error);
  second = pd_sync_engine_new (second_store, fx.client);
  again.done = FALSE;
  pd_sync_engine_run_async (second, PD_SYNC_MODE_FULL, NULL, on_busy_run_done, &again);
  g_assert_true (pd_test_wait_for_flag (&again.done, 10000));
  g_assert_error (again.error, PD_STORE_ERROR, PD_STORE_ERROR_BUSY);
  g_clear_error (&again.error);
  g_assert_false (pd_sync_engine_get_running (second));

  g_assert_true (pd_test_wait_for_flag (&first.done, 120000));
  g_assert_no_error (first.error);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 200);
  sync_fixture_clear (&fx);
}

/* A refused token fails the sync before anything is stored: the partner cannot even be
 * identified, so no run is recorded and the cache stays as it was. */
static void
test_listing_fails (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcClient) bad = NULL;
  g_autoptr(PdSyncEngine) engine = NULL;
  g_autoptr(GPtrArray) runs = NULL;

  options_small (&options, 30);
  sync_fixture_init (&fx, &options);
  bad = sync_test_client_new (pd_simulator_get_base_url (fx.sim), "not-the-token");
  engine = pd_sync_engine_new (fx.store, bad);
  g_assert_cmpint (sync_test_run (engine, PD_SYNC_MODE_AUTO, NULL, &error), ==, 0);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_UNAUTHORIZED);
  g_assert_false (pd_sync_engine_get_running (engine));

  runs = pd_store_list_sync_runs (fx.store, 0, NULL);
  g_assert_cmpuint (runs->len, ==, 0);
  g_assert_null (pd_store_dup_partner_tenant_id (fx.store));
  g_assert_cmpuint (pd_store_count (fx.store), ==, 0);
  g_assert_null (pd_store_get_last_complete_sync (fx.store));

  /* The cache is not locked by the failed run. */
  sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO);
  sync_fixture_clear (&fx);
}

/* Since April 2026 Partner Center refuses App+User calls whose token lacks MFA (401/900421):
 * the run stops with that error, the cache is as it was (no customer removed or failed, no
 * complete run added), and the message says to sign in again with MFA. */
static void
test_mfa_required (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) removed = NULL;
  g_autoptr(GDateTime) complete_before = NULL;
  g_autoptr(GDateTime) complete_after = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) failed = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  PdSyncRun *run;

  options_small (&options, 120);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  before = sync_test_dump (fx.store, NULL);
  complete_before = pd_store_get_last_complete_sync (fx.store);

  pd_simulator_set_mfa_missing (fx.sim, TRUE);
  g_assert_cmpint (sync_test_run (fx.engine, PD_SYNC_MODE_FULL, NULL, &error), ==, 0);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_MFA_REQUIRED);
  g_assert_true (g_str_has_prefix (error->message,
                                   "Sign in again with multi-factor authentication"));
  g_assert_false (pd_sync_engine_get_running (fx.engine));

  after = sync_test_dump (fx.store, NULL);
  g_assert_cmpstr (after, ==, before);
  removed = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed), ==, 0);
  complete_after = pd_store_get_last_complete_sync (fx.store);
  g_assert_true (g_date_time_equal (complete_before, complete_after));
  /* Refused at the first call (who the partner is), before a run begins: the newest run is
   * still the complete one, with no failure events. */
  runs = pd_store_list_sync_runs (fx.store, 0, NULL);
  g_assert_cmpuint (runs->len, ==, 1);
  run = g_ptr_array_index (runs, 0);
  g_assert_cmpint (run->state, ==, PD_SYNC_STATE_COMPLETE);
  failed = sync_test_events (fx.store, run->id, PD_RUN_EVENT_FAILED);
  g_assert_cmpuint (failed->len, ==, 0);

  /* An incremental run stops the same way, before the activity log. */
  g_clear_error (&error);
  g_assert_cmpint (sync_test_run (fx.engine, PD_SYNC_MODE_AUTO, NULL, &error), ==, 0);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_MFA_REQUIRED);
  sync_fixture_clear (&fx);
}

static guint64
endpoint_requests (PdSimulator *sim,
                   const char  *endpoint)
{
  g_autofree char *stats = pd_simulator_dup_stats_json (sim);
  g_autoptr(JsonNode) root = json_from_string (stats, NULL);
  JsonObject *by_endpoint = json_object_get_object_member (json_node_get_object (root),
                                                           "byEndpoint");

  return json_object_get_int_member_with_default (by_endpoint, endpoint, 0);
}

static guint64
customer_list_requests (PdSimulator *sim)
{
  return endpoint_requests (sim, "GET /v1/customers");
}

/* ---- a push beside a running sync ---- */

typedef struct {
  PdSimulator *sim;
  guint64      asked_before;   /* GET /v1/customers/{id} before the run */
  gboolean     done;
  GError      *error;
  PdPcBillingProfile *pushed;  /* Partner Center's answer the push stored */
} PushBeside;

static void
on_push_beside_run_done (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  PushBeside *p = user_data;

  pd_sync_engine_run_finish (PD_SYNC_ENGINE (source), result, &p->error);
  p->done = TRUE;
}

static gboolean
first_customer_asked (gpointer data)
{
  PushBeside *p = data;

  return p->done || endpoint_requests (p->sim, "GET /v1/customers/{id}") > p->asked_before;
}

static void
on_pushed_profile (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PushBeside *p = user_data;
  g_autoptr(GError) error = NULL;

  p->pushed = pd_pc_client_get_billing_profile_finish (PD_PC_CLIENT (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
profile_read (gpointer data)
{
  PushBeside *p = data;

  return p->pushed != NULL;
}

/* The app pushes a customer's bill-to while the CLI (or the timer) syncs the cache: the run
 * asked Partner Center for that customer just before the push changed it, and stores the
 * answer, in its batch, after the push stored Partner Center's new bill-to. The cache must
 * keep the push's: the run's is older, and Partner Center no longer says it. */
static void
test_merge_push_during_sync (void)
{
  static const char * const change[] = { "city", "Pushville", NULL };
  PdSimulatorOptions options;
  SyncFixture fx;
  PushBeside p = { 0 };
  g_auto(GStrv) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) app = NULL;
  g_autoptr(PdPcClient) app_client = NULL;
  g_autoptr(PdOrganization) org = NULL;
  gint64 id;

  options_small (&options, 40);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  /* That sync stored the customers a minute ago, not in the second of the push. */
  age_synced (fx.db_path, 60);
  ids = pd_simulator_dup_customer_ids (fx.sim);
  id = find_org_id (fx.store, ids[0]);

  /* One request at a time, each answered late: the first the run sends is for the first
   * customer listed, and its answer is on its way while the push happens. */
  pd_pc_client_set_max_in_flight (fx.client, 1);
  pd_simulator_set_latency (fx.sim, 200, 0);
  pd_sync_engine_set_batch_size (fx.engine, 1000);
  p.sim = fx.sim;
  p.asked_before = endpoint_requests (fx.sim, "GET /v1/customers/{id}");
  pd_sync_engine_run_async (fx.engine, PD_SYNC_MODE_FULL, NULL, on_push_beside_run_done, &p);
  g_assert_true (pd_test_wait_until (first_customer_asked, &p, 30000));
  g_assert_false (p.done);

  /* The push: Partner Center takes the change, the app reads it back and stores it. */
  g_assert_true (pd_simulator_update_bill_to (fx.sim, ids[0], change));
  app_client = sync_test_client_new (pd_simulator_get_base_url (fx.sim), SYNC_TEST_TOKEN);
  pd_pc_client_get_billing_profile_async (app_client, ids[0], NULL, on_pushed_profile, &p);
  g_assert_true (pd_test_wait_until (profile_read, &p, 30000));
  app = pd_store_open (fx.db_path, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_set_read_bill_to (app, id, p.pushed->bill_to, p.pushed->etag, &error));
  g_assert_no_error (error);

  pd_simulator_set_latency (fx.sim, 0, 0);
  pd_pc_client_set_max_in_flight (fx.client, 8);
  g_assert_true (pd_test_wait_for_flag (&p.done, 120000));
  g_assert_no_error (p.error);
  org = pd_store_get (fx.store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to_partner_center (org),
                                   PD_BILL_TO_CITY), ==, "Pushville");
  g_assert_cmpstr (pd_organization_get_bill_to_etag (org), ==, p.pushed->etag);
  g_clear_pointer (&p.pushed, pd_pc_billing_profile_free);
  sync_fixture_clear (&fx);
}

/* 300 customers in three pages of the list, no reseller listings. */
static void
init_three_pages (SyncFixture *fx)
{
  PdSimulatorOptions options;

  options_small (&options, 300);
  options.page_size_cap = 100;
  options.n_resellers = 0;
  sync_fixture_init (fx, &options);
}

typedef struct {
  PdSimulator *sim;
  gboolean     expired;
} ExpireOnce;

/* After the first page has been queued: the next page's token is expired. */
static void
expire_after_first_page (PdSyncEngine         *engine,
                         const PdSyncProgress *progress,
                         ExpireOnce           *once)
{
  if (once->expired || progress->stage != PD_SYNC_STAGE_PROFILES)
    return;
  once->expired = TRUE;
  pd_simulator_expire_continuation_tokens (once->sim);
}

/* A continuation token that expires in the middle of the list (400/2001) restarts the list from
 * its first page in the same run: every customer is stored once, none is taken for removed. */
static void
test_listing_restarts_after_expired_token (void)
{
  SyncFixture fx;
  ExpireOnce once = { 0 };
  g_autoptr(PdSyncRun) run = NULL;
  g_autoptr(GHashTable) removed = NULL;
  gint64 run_id;

  init_three_pages (&fx);
  once.sim = fx.sim;
  g_signal_connect (fx.engine, "progress", G_CALLBACK (expire_after_first_page), &once);
  run_id = sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  g_assert_true (once.expired);
  run = sync_test_get_run (fx.store, run_id);
  g_assert_cmpint (run->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (run->n_new, ==, 300);
  g_assert_cmpuint (run->n_failed, ==, 0);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 300);
  removed = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed), ==, 0);
  /* First page, the refused second, then the three pages again (at least). */
  g_assert_cmpuint (customer_list_requests (fx.sim), >=, 5);
  sync_fixture_clear (&fx);
}

/* Tokens that expire at once: the list restarts twice, then the run fails as before, with
 * what it stored kept and nothing marked removed. */
static void
test_listing_restarts_bounded (void)
{
  SyncFixture fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) removed = NULL;
  g_autoptr(GPtrArray) runs = NULL;

  init_three_pages (&fx);
  pd_simulator_set_continuation_token_ttl (fx.sim, 0);
  g_assert_cmpint (sync_test_run (fx.engine, PD_SYNC_MODE_FULL, NULL, &error), ==, 0);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_BAD_REQUEST);
  g_assert_cmpstr (pd_pc_error_get_code (error), ==, "2001");
  /* Three times the first page and the refused second one. */
  g_assert_cmpuint (customer_list_requests (fx.sim), ==, 6);
  runs = pd_store_list_sync_runs (fx.store, 1, NULL);
  g_assert_cmpint (((PdSyncRun *) g_ptr_array_index (runs, 0))->state, ==,
                   PD_SYNC_STATE_FAILED);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 100);
  removed = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed), ==, 0);
  sync_fixture_clear (&fx);
}

/* A first full run fails at its second page, having failed one customer of the first; a retry
 * of that customer completes. The retry read neither the listing nor the activity log: it is
 * no complete sync, and the next ordinary sync must be full, or the customers of the pages
 * never listed would stay missing (an incremental run reads only the activity log). */
static void
test_retry_is_no_base (void)
{
  SyncFixture fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSyncRun) retry = NULL, next = NULL;
  g_autoptr(GDateTime) last_complete = NULL;
  g_auto(GStrv) tenants = NULL;
  const char *refused[2] = { NULL, NULL };

  init_three_pages (&fx);
  tenants = pd_simulator_dup_customer_ids (fx.sim);
  refused[0] = tenants[0];
  pd_simulator_set_refusal (fx.sim, refused[0], PD_SIM_REFUSE_BILLING_PROFILE, 403);
  pd_simulator_set_continuation_token_ttl (fx.sim, 0);
  g_assert_cmpint (sync_test_run (fx.engine, PD_SYNC_MODE_FULL, NULL, &error), ==, 0);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_BAD_REQUEST);
  g_clear_error (&error);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 100);

  pd_simulator_set_continuation_token_ttl (fx.sim, 600);
  retry = sync_test_get_run (fx.store, sync_test_retry (fx.engine, refused, &error));
  g_assert_no_error (error);
  g_assert_cmpint (retry->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpint (retry->kind, ==, PD_SYNC_KIND_RETRY);
  g_assert_cmpuint (retry->n_failed, ==, 1);
  last_complete = pd_store_get_last_complete_sync (fx.store);
  g_assert_null (last_complete);

  pd_simulator_clear_refusals (fx.sim);
  next = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (next->kind, ==, PD_SYNC_KIND_FULL);
  g_assert_cmpint (next->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (next->n_failed, ==, 0);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 300);
  sync_fixture_clear (&fx);
}

/* Country rules of the countries present are fetched, then not again within a week. */
/* Far more customers than the engine holds in memory (the rest wait in the cache): each one is
 * read exactly once, in one complete run, and the run leaves no listing behind. */
static void
test_listed_window (void)
{
  SyncFixture fx;
  g_autoptr(PdSyncRun) run = NULL;
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GError) error = NULL;
  PdSyncProgress progress;
  gint64 run_id;

  init_three_pages (&fx);
  pd_sync_engine_set_listed_window (fx.engine, 7);
  pd_sync_engine_set_batch_size (fx.engine, 20);
  run_id = sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  run = sync_test_get_run (fx.store, run_id);
  g_assert_cmpint (run->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (run->n_new, ==, 300);
  g_assert_cmpuint (run->n_unchanged, ==, 0);
  g_assert_cmpuint (run->n_failed, ==, 0);
  g_assert_cmpuint (endpoint_requests (fx.sim, "GET /v1/customers/{id}"), ==, 300);
  g_assert_cmpuint (count_read (fx.store), ==, 300);
  pd_sync_engine_get_progress (fx.engine, &progress);
  g_assert_cmpuint (progress.done, ==, 300);
  g_assert_cmpuint (progress.total, ==, 300);
  left = pd_store_take_listed (fx.store, run_id, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (left->len, ==, 0);
  sync_fixture_clear (&fx);
}

/* A run cancelled while most customers wait in the cache: the next one (with what a killed
 * process left of another run's listing in the cache) reads each missing customer once and
 * completes. */
static void
test_listed_window_resumes (void)
{
  SyncFixture fx;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSyncRun) resumed = NULL;
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) left = NULL;
  PdOrganization *org = pd_organization_new ();
  CancelAtRead at = { cancellable, NULL };
  guint64 reads_before;
  gulong handler;
  guint n_read;

  init_three_pages (&fx);
  pd_sync_engine_set_listed_window (fx.engine, 7);
  pd_sync_engine_set_batch_size (fx.engine, 20);
  at.store = fx.store;
  handler = g_signal_connect (fx.engine, "batch-stored", G_CALLBACK (cancel_at_first_read), &at);
  g_assert_cmpint (sync_test_run (fx.engine, PD_SYNC_MODE_FULL, cancellable, &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_signal_handler_disconnect (fx.engine, handler);
  n_read = count_read (fx.store);
  g_assert_cmpuint (n_read, >, 0);
  g_assert_cmpuint (n_read, <, 300);

  pd_organization_set_tenant_id (org, "5e1f0000-0000-4000-8000-00000000dead");
  g_ptr_array_add (stale, org);
  g_assert_true (pd_store_queue_listed (fx.store, 12345, stale, NULL, &error));
  g_assert_no_error (error);
  reads_before = endpoint_requests (fx.sim, "GET /v1/customers/{id}");
  resumed = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (resumed->kind, ==, PD_SYNC_KIND_FULL);
  g_assert_cmpint (resumed->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (resumed->n_new, ==, 300 - n_read);
  g_assert_cmpuint (resumed->n_removed, ==, 0);
  g_assert_cmpuint (endpoint_requests (fx.sim, "GET /v1/customers/{id}") - reads_before, ==,
                    300 - n_read);
  g_assert_cmpuint (count_read (fx.store), ==, 300);
  left = pd_store_take_listed (fx.store, 12345, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (left->len, ==, 0);
  sync_fixture_clear (&fx);
}

static void
test_country_rules (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_auto(GStrv) countries = NULL;
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) second = NULL;

  options_small (&options, 80);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  countries = pd_store_dup_countries (fx.store);
  g_assert_nonnull (countries);
  g_assert_nonnull (countries[0]);
  first = pd_store_get_country_rule_fetched_at (fx.store, countries[0]);
  g_assert_nonnull (first);

  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  second = pd_store_get_country_rule_fetched_at (fx.store, countries[0]);
  g_assert_true (g_date_time_equal (first, second));
  sync_fixture_clear (&fx);
}

/* ---- odd but valid answers ---- */

/* The tenant of the first customer of the cache whose bill-to country is country. */
static char *
dup_tenant_in_country (SyncFixture *fx,
                       const char  *country)
{
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (fx->sim);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(PdOrganization) org = pd_store_find_by_tenant (fx->store, ids[i], NULL);

      if (org != NULL && g_strcmp0 (pd_organization_get_country (org), country) == 0)
        return g_strdup (ids[i]);
    }
  g_assert_not_reached ();
}

/* Partner Center sends a country code in lower case (and padded): the same country. The
 * customer is not reported incomplete ("not a two-letter ISO country code"), not changed, and
 * is still found under its country. */
static void
test_odd_country_case (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autofree char *tenant = NULL;
  g_autoptr(PdOrganization) before = NULL;
  g_autoptr(PdOrganization) after = NULL;
  g_autoptr(PdSyncRun) run = NULL;
  g_auto(GStrv) countries = NULL;
  const char *lower[] = { "country", " de ", NULL };

  options_small (&options, 40);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  tenant = dup_tenant_in_country (&fx, "DE");
  before = pd_store_find_by_tenant (fx.store, tenant, NULL);
  g_assert_true (pd_simulator_update_bill_to (fx.sim, tenant, lower));

  run = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (run->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  g_assert_cmpuint (run->n_updated, ==, 0);
  after = pd_store_find_by_tenant (fx.store, tenant, NULL);
  g_assert_cmpstr (pd_organization_get_country (after), ==, "DE");
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (after), PD_BILL_TO_COUNTRY), ==,
                   "DE");
  g_assert_cmpuint (g_strv_length ((GStrv) pd_organization_get_missing_fields (after)), ==,
                    g_strv_length ((GStrv) pd_organization_get_missing_fields (before)));
  g_assert_false (g_strv_contains (pd_organization_get_missing_fields (after), "address.country"));
  countries = pd_store_dup_countries (fx.store);
  g_assert_true (g_strv_contains ((const char * const *) countries, "DE"));
  g_assert_false (g_strv_contains ((const char * const *) countries, "de"));
  sync_fixture_clear (&fx);
}

/* Partner Center sends an empty page in the middle of the customer list, with a next link:
 * the list goes on after it (Microsoft's SDK follows links.next whatever the page held). A
 * first full sync that stopped there stored a quarter of the customers and said it was
 * complete; an incremental run read the changes of the activity log's first page only. */
static void
test_odd_empty_page (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(PdSyncRun) run = NULL;
  g_autoptr(PdSyncRun) incremental = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;

  options_small (&options, 40);
  options.page_size_cap = 10;
  sync_fixture_init (&fx, &options);
  pd_simulator_set_empty_pages (fx.sim, TRUE);
  run = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_FULL));
  g_assert_cmpint (run->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (run->n_new, ==, 40);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 40);

  answer = pd_simulator_mutate_json (fx.sim, "{\"add\": 25, \"seed\": 5}", &error);
  g_assert_no_error (error);
  incremental = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (incremental->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  g_assert_cmpuint (incremental->n_new, ==, 25);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 65);
  sync_fixture_clear (&fx);
}

/* Between two incremental runs one customer moves to another indirect reseller, one resold
 * customer becomes direct and one direct customer is taken over by a reseller, with no record
 * in the activity log: the run's reseller listings say so, and the next incremental run shows
 * the reseller Partner Center names (it kept the old one until a full run). */
static void
test_odd_reseller_moves (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_auto(GStrv) ids = NULL;
  const char *moved = NULL, *made_direct = NULL, *taken_over = NULL;
  g_autofree char *first = NULL, *second = NULL;
  g_autofree char *now_moved = NULL, *now_direct = NULL, *now_taken = NULL;
  g_autoptr(PdSyncRun) run = NULL;

  options_small (&options, 60);
  options.n_resellers = 2;
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  ids = pd_simulator_dup_customer_ids (fx.sim);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *reseller = sync_test_dup_cached_reseller (fx.store, ids[i]);

      if (reseller == NULL && taken_over == NULL)
        taken_over = ids[i];
      else if (reseller != NULL && first == NULL)
        {
          first = g_strdup (reseller);
          moved = ids[i];
        }
      else if (reseller != NULL && g_strcmp0 (reseller, first) != 0 && second == NULL)
        second = g_strdup (reseller);
      else if (reseller != NULL && g_strcmp0 (reseller, first) == 0 && made_direct == NULL)
        made_direct = ids[i];
    }
  g_assert_true (moved != NULL && made_direct != NULL && taken_over != NULL && second != NULL);
  g_assert_true (pd_simulator_set_customer_reseller (fx.sim, moved, second));
  g_assert_true (pd_simulator_set_customer_reseller (fx.sim, made_direct, NULL));
  g_assert_true (pd_simulator_set_customer_reseller (fx.sim, taken_over, first));

  run = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (run->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  now_moved = sync_test_dup_cached_reseller (fx.store, moved);
  now_direct = sync_test_dup_cached_reseller (fx.store, made_direct);
  now_taken = sync_test_dup_cached_reseller (fx.store, taken_over);
  g_assert_cmpuint (run->n_updated, ==, 3);
  g_assert_cmpstr (now_moved, ==, second);
  g_assert_null (now_direct);
  g_assert_cmpstr (now_taken, ==, first);
  sync_fixture_clear (&fx);
}

/* The first resold customer of ids at or after index from whose cached reseller is other
 * (NULL: any): its index, its reseller in *out_reseller. */
static guint
find_resold_from (PdStore     *store,
                  char       **ids,
                  guint        from,
                  const char  *other,
                  char       **out_reseller)
{
  for (guint i = from; ids[i] != NULL; i++)
    {
      g_autofree char *reseller = sync_test_dup_cached_reseller (store, ids[i]);

      if (reseller != NULL && (other == NULL || g_strcmp0 (reseller, other) == 0))
        {
          *out_reseller = g_steal_pointer (&reseller);
          return i;
        }
    }
  g_assert_not_reached ();
}

static void
assert_cached_reseller (PdStore    *store,
                        const char *tenant_id,
                        const char *expected)
{
  g_autofree char *reseller = sync_test_dup_cached_reseller (store, tenant_id);

  g_assert_cmpstr (reseller, ==, expected);
}

/* One reseller's list of customers ends with a 400/2000 answer before its end (Microsoft's
 * tools take that answer as the end of a list; it is also Partner Center's generic error). The
 * customers it did not reach are not taken as direct, a move Partner Center did not make: a
 * full run reads each and asks for its relationships, which name its reseller (kept), or none
 * (made direct); unanswered (503), the customer keeps its reseller and its read counts. An
 * incremental run does not read them again for that (they would be, run after run, while
 * Partner Center cuts the list): they keep their reseller until the next full run. */
static void
test_odd_reseller_list_cut_short (gconstpointer data)
{
  PdSyncMode mode = GPOINTER_TO_INT (data);
  PdSimulatorOptions options;
  SyncFixture fx;
  g_auto(GStrv) ids = NULL;
  g_autofree char *reseller = NULL, *same = NULL, *again = NULL;
  g_autoptr(PdSyncRun) run = NULL;
  guint kept, made_direct, unanswered;

  options_small (&options, 90);
  options.n_resellers = 2;
  options.page_size_cap = 5;
  options.end_of_paging = PD_SIM_END_BY_400_2000;
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  ids = pd_simulator_dup_customer_ids (fx.sim);
  /* Far past the cut: the lists' pages of five reach no further than that. */
  kept = find_resold_from (fx.store, ids, 50, NULL, &reseller);
  made_direct = find_resold_from (fx.store, ids, kept + 1, reseller, &same);
  unanswered = find_resold_from (fx.store, ids, made_direct + 1, reseller, &again);
  g_assert_true (pd_simulator_set_customer_reseller (fx.sim, ids[made_direct], NULL));
  pd_simulator_set_refusal (fx.sim, ids[unanswered], PD_SIM_REFUSE_RELATIONSHIPS, 503);
  pd_simulator_set_cut_reseller_listings_after (fx.sim, 20);

  run = sync_test_get_run (fx.store, sync_test_run_ok (&fx, mode));
  g_assert_cmpint (run->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (run->n_failed, ==, 0);
  assert_cached_reseller (fx.store, ids[kept], reseller);
  assert_cached_reseller (fx.store, ids[unanswered], reseller);
  if (mode != PD_SYNC_MODE_FULL)
    {
      g_assert_cmpint (run->kind, ==, PD_SYNC_KIND_INCREMENTAL);
      assert_cached_reseller (fx.store, ids[made_direct], reseller);
      g_assert_cmpuint (endpoint_requests (fx.sim, "GET /v1/customers/{id}/relationships"), ==,
                        0);
      g_clear_pointer (&run, pd_sync_run_free);
      run = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_FULL));
      g_assert_cmpuint (run->n_failed, ==, 0);
      assert_cached_reseller (fx.store, ids[kept], reseller);
      assert_cached_reseller (fx.store, ids[unanswered], reseller);
    }
  assert_cached_reseller (fx.store, ids[made_direct], NULL);
  /* The three were past the cut: asked for, not left to the list. */
  g_assert_cmpuint (endpoint_requests (fx.sim, "GET /v1/customers/{id}/relationships"), >=, 3);
  sync_fixture_clear (&fx);
}

/* An indirect reseller renamed in Partner Center: the next run, incremental and with nothing
 * else changed, names all its customers so (they kept the old name until each was read again),
 * and reports no customer changed. */
static void
test_odd_reseller_renamed (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_auto(GStrv) ids = NULL;
  g_autofree char *reseller = NULL;
  g_autoptr(PdSyncRun) run = NULL;
  guint n_of_reseller = 0, n_renamed = 0;

  options_small (&options, 40);
  options.n_resellers = 2;
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  ids = pd_simulator_dup_customer_ids (fx.sim);
  for (guint i = 0; ids[i] != NULL && reseller == NULL; i++)
    reseller = sync_test_dup_cached_reseller (fx.store, ids[i]);
  g_assert_nonnull (reseller);
  g_assert_true (pd_simulator_rename_reseller (fx.sim, reseller, "Renamed Reseller Oy"));

  run = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (run->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  g_assert_cmpuint (run->n_updated, ==, 0);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(PdOrganization) org = pd_store_find_by_tenant (fx.store, ids[i], NULL);

      if (g_strcmp0 (pd_organization_get_reseller_id (org), reseller) != 0)
        continue;
      n_of_reseller++;
      n_renamed += g_strcmp0 (pd_organization_get_reseller_name (org), "Renamed Reseller Oy") == 0;
    }
  g_assert_cmpuint (n_of_reseller, >, 0);
  g_assert_cmpuint (n_renamed, ==, n_of_reseller);
  sync_fixture_clear (&fx);
}

/* How many of the simulator's customers the cache holds as resold. */
static guint
count_resold (SyncFixture *fx)
{
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (fx->sim);
  guint n = 0;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *reseller = sync_test_dup_cached_reseller (fx->store, ids[i]);

      n += reseller != NULL;
    }
  return n;
}

/* The first customer the cache holds as resold. */
static char *
dup_first_resold (SyncFixture *fx)
{
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (fx->sim);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *reseller = sync_test_dup_cached_reseller (fx->store, ids[i]);

      if (reseller != NULL)
        return g_strdup (ids[i]);
    }
  g_assert_not_reached ();
}

/* Partner Center refuses the list of indirect resellers (403, a role that may not read it):
 * a run learns nothing about who resells which customer. An incremental run reads none again
 * for that (before: every resold customer looked made direct, was read again and stored as
 * direct), and one it reads for a change of its own keeps its reseller (before: made direct,
 * with a history entry); so does a full run. */
static void
test_odd_resellers_refused (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(PdSyncRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *changed = NULL, *json = NULL, *answer = NULL, *reseller = NULL;
  g_autofree char *now_reseller = NULL;
  guint n_resold;

  options_small (&options, 60);
  options.n_resellers = 2;
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  n_resold = count_resold (&fx);
  g_assert_cmpuint (n_resold, >, 0);
  changed = dup_first_resold (&fx);
  reseller = sync_test_dup_cached_reseller (fx.store, changed);

  pd_simulator_set_resellers_forbidden (fx.sim, TRUE);
  json = g_strdup_printf ("{\"changeBillTo\": [\"%s\"]}", changed);
  answer = pd_simulator_mutate_json (fx.sim, json, &error);
  g_assert_no_error (error);
  run = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (run->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  g_assert_cmpuint (run->n_updated, ==, 1);
  now_reseller = sync_test_dup_cached_reseller (fx.store, changed);
  g_assert_cmpstr (now_reseller, ==, reseller);
  g_assert_cmpuint (count_resold (&fx), ==, n_resold);

  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  g_assert_cmpuint (count_resold (&fx), ==, n_resold);
  sync_fixture_clear (&fx);
}

/* Partner Center refuses the activity log to a role that may not read it (403). An automatic
 * run then reads every customer instead, as a full run recorded as full, and completes with
 * the changes and the removals (before: every automatic sync of such an account failed with
 * "Could not read the activity log", and none of its changes reached the cache). */
static void
test_odd_activity_log_refused (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(PdSyncRun) run = NULL;
  g_autoptr(PdSyncRun) next = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) removed_now = NULL;
  g_autofree char *answer = NULL;
  g_auto(GStrv) changed = NULL, removed = NULL;

  options_small (&options, 40);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  answer = pd_simulator_mutate_json (fx.sim, "{\"changeBillTo\": 2, \"remove\": 1, "
                                             "\"seed\": 5}", &error);
  g_assert_no_error (error);
  changed = sync_test_mutated_ids (answer, "changedBillTo");
  removed = sync_test_mutated_ids (answer, "removed");
  pd_simulator_set_audit_forbidden (fx.sim, TRUE);

  run = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (run->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpint (run->kind, ==, PD_SYNC_KIND_FULL);
  g_assert_cmpuint (run->n_updated, ==, g_strv_length (changed));
  g_assert_cmpuint (run->n_removed, ==, 1);
  g_assert_cmpuint (run->n_failed, ==, 0);
  removed_now = sync_test_removed (fx.store);
  g_assert_true (g_hash_table_contains (removed_now, removed[0]));

  /* Allowed again, the next automatic run is incremental on that complete one. */
  pd_simulator_set_audit_forbidden (fx.sim, FALSE);
  next = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (next->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  g_assert_cmpint (next->state, ==, PD_SYNC_STATE_COMPLETE);
  sync_fixture_clear (&fx);
}

/* Holds the cache's write lock from another connection once the run reaches its country
 * rules, the step before its end; the engine's store then refuses at once. */
typedef struct {
  SyncFixture *fx;
  sqlite3     *blocker;
} EndBlocker;

static void
block_run_end (PdSyncEngine         *engine,
               const PdSyncProgress *progress,
               EndBlocker           *block)
{
  if (progress->stage != PD_SYNC_STAGE_COUNTRY_RULES || block->blocker != NULL)
    return;
  g_assert_cmpint (sqlite3_open (block->fx->db_path, &block->blocker), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (block->blocker, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  pd_store_set_lock_wait (block->fx->store, 0);
}

/* A run whose end cannot be written (another program keeps the cache busy right then) is not
 * said to be complete: it fails with that reason, reads as interrupted, and the next run
 * completes (before: the run was returned as complete while the cache kept it running, and
 * the process refused every later sync as "already running"). */
static void
test_odd_run_end_not_recorded (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  EndBlocker block = { &fx, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSyncRun) first = NULL;
  g_autoptr(PdSyncRun) next = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  gulong handler;

  options_small (&options, 30);
  sync_fixture_init (&fx, &options);
  handler = g_signal_connect (fx.engine, "progress", G_CALLBACK (block_run_end), &block);
  g_assert_cmpint (sync_test_run (fx.engine, PD_SYNC_MODE_FULL, NULL, &error), ==, 0);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "its end could not be recorded"));
  g_signal_handler_disconnect (fx.engine, handler);
  g_assert_cmpint (sqlite3_exec (block.blocker, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (block.blocker);
  pd_store_set_lock_wait (fx.store, PD_STORE_LOCK_WAIT_MS);

  runs = pd_store_list_sync_runs (fx.store, 1, NULL);
  first = sync_test_get_run (fx.store, ((PdSyncRun *) g_ptr_array_index (runs, 0))->id);
  g_assert_cmpint (first->state, ==, PD_SYNC_STATE_INTERRUPTED);
  next = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (next->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 30);
  sync_fixture_clear (&fx);
}

/* Another program keeps the cache busy as a sync begins: the sync says it did not start (before:
 * the store's words for an edit, "so the change was not saved", for a sync the user started),
 * stores nothing, and starts once the cache is free. */
static void
test_odd_cache_busy_at_start (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  sqlite3 *blocker = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;

  options_small (&options, 10);
  sync_fixture_init (&fx, &options);
  g_assert_cmpint (sqlite3_open (fx.db_path, &blocker), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (blocker, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  pd_store_set_lock_wait (fx.store, 0);

  g_assert_cmpint (sync_test_run (fx.engine, PD_SYNC_MODE_FULL, NULL, &error), ==, 0);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "so the sync did not start"));
  g_assert_null (strstr (error->message, "change"));
  g_assert_cmpint (sqlite3_exec (blocker, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (blocker);
  pd_store_set_lock_wait (fx.store, PD_STORE_LOCK_WAIT_MS);
  runs = pd_store_list_sync_runs (fx.store, 10, NULL);
  g_assert_cmpuint (runs->len, ==, 0);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 0);

  sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 10);
  sync_fixture_clear (&fx);
}

/* While a test expects them, the warnings that a run's end could not be written are counted
 * instead of ending the test. */
static gboolean expecting_unrecorded_ends;
static guint unrecorded_ends;

/* The log as it is, less those warnings while expected (set once, in main). */
static GLogWriterOutput
count_unrecorded_ends (GLogLevelFlags   level,
                       const GLogField *fields,
                       gsize            n_fields,
                       gpointer         data)
{
  for (gsize i = 0; i < n_fields && expecting_unrecorded_ends; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0
        && g_str_has_prefix (fields[i].value, "Could not record the end of sync run"))
      {
        unrecorded_ends++;
        return G_LOG_WRITER_HANDLED;
      }
  return g_log_writer_default (level, fields, n_fields, data);
}

/* Takes the cache (a write lock another program holds) at the first batch stored. */
static void
block_at_first_batch (PdSyncEngine *engine,
                      guint         n,
                      sqlite3      *blocker)
{
  if (sqlite3_get_autocommit (blocker))
    g_assert_cmpint (sqlite3_exec (blocker, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
}

/* Another program takes the cache in the middle of a sync: the sync says it stopped and that
 * what it stored is kept (before: the store's words for an edit, "so the change was not
 * saved"), keeps the customers of its first batch, and the next sync completes. */
static void
test_odd_cache_busy_mid_run (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  sqlite3 *blocker = NULL;
  g_autoptr(GError) error = NULL;
  gulong handler;
  guint stored;

  options_small (&options, 20);
  sync_fixture_init (&fx, &options);
  pd_sync_engine_set_batch_size (fx.engine, 5);
  g_assert_cmpint (sqlite3_open (fx.db_path, &blocker), ==, SQLITE_OK);
  handler = g_signal_connect (fx.engine, "batch-stored", G_CALLBACK (block_at_first_batch),
                              blocker);
  pd_store_set_lock_wait (fx.store, 0);

  /* The cache still busy, the run's end cannot be written either: logged (counted here, as
   * a warning would end the test), and the next sync takes over the run left open. */
  unrecorded_ends = 0;
  expecting_unrecorded_ends = TRUE;
  g_assert_cmpint (sync_test_run (fx.engine, PD_SYNC_MODE_FULL, NULL, &error), ==, 0);
  expecting_unrecorded_ends = FALSE;
  g_assert_cmpuint (unrecorded_ends, ==, 1);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "so the sync stopped; what it stored is kept"));
  g_assert_null (strstr (error->message, "change"));
  g_signal_handler_disconnect (fx.engine, handler);
  g_assert_cmpint (sqlite3_exec (blocker, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (blocker);
  pd_store_set_lock_wait (fx.store, PD_STORE_LOCK_WAIT_MS);
  stored = pd_store_count (fx.store);
  g_assert_cmpuint (stored, >=, 5);
  g_assert_cmpuint (stored, <=, 20);

  sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 20);
  sync_fixture_clear (&fx);
}

int
main (int argc, char **argv)
{
  pd_test_init (&argc, &argv);
  g_log_set_writer_func (count_unrecorded_ends, NULL, NULL);
  g_test_add_func ("/sync/full", test_full);
  g_test_add_func ("/sync/odd/activity-log-refused", test_odd_activity_log_refused);
  g_test_add_func ("/sync/odd/run-end-not-recorded", test_odd_run_end_not_recorded);
  g_test_add_func ("/sync/odd/cache-busy-at-start", test_odd_cache_busy_at_start);
  g_test_add_func ("/sync/odd/cache-busy-mid-run", test_odd_cache_busy_mid_run);
  g_test_add_func ("/sync/progress-rate", test_progress_rate);
  g_test_add_func ("/sync/resellers", test_resellers);
  g_test_add_func ("/sync/batches-under-rpm-cap", test_batches_under_rpm_cap);
  g_test_add_func ("/sync/incremental/after-mutations", test_incremental_after_mutations);
  g_test_add_func ("/sync/full/marks-removed", test_full_marks_removed);
  g_test_add_func ("/sync/mode-choice", test_mode_choice);
  g_test_add_func ("/sync/mode-choice/base-age", test_base_age);
  g_test_add_func ("/sync/merge/kept", test_merge_kept);
  g_test_add_func ("/sync/merge/replaced-incremental", test_merge_replaced_incremental);
  g_test_add_func ("/sync/merge/replaced-full", test_merge_replaced_full);
  g_test_add_func ("/sync/merge/override-on-new-base", test_merge_override_on_new_base);
  g_test_add_func ("/sync/merge/push-during-sync", test_merge_push_during_sync);
  g_test_add_func ("/sync/throttled", test_throttled);
  g_test_add_func ("/sync/faults", test_faults);
  g_test_add_func ("/sync/faults/refetched-by-next-sync", test_failed_refetched_by_next_sync);
  g_test_add_func ("/sync/faults/counted-only-as-failed", test_failed_counted_only_as_failed);
  g_test_add_func ("/sync/faults/resumed-run-fetches-failed", test_resumed_run_fetches_failed);
  g_test_add_func ("/sync/faults/refetched-after-partial-retry",
                   test_failed_refetched_after_partial_retry);
  g_test_add_func ("/sync/refused/first-sync", test_refused_first_sync);
  g_test_add_func ("/sync/refused/keeps-last-known", test_refused_keeps_last_known);
  g_test_add_func ("/sync/refused/not-found-not-removed", test_refused_not_found_not_removed);
  g_test_add_func ("/sync/refused/listed-not-removed", test_refused_listed_not_removed);
  g_test_add_func ("/sync/refused/logged-not-removed", test_refused_logged_not_removed);
  g_test_add_func ("/sync/cancel-resume", test_cancel_resume);
  g_test_add_func ("/sync/cancel-resume/fetches-rest", test_cancel_then_resume_fetches_rest);
  g_test_add_func ("/sync/listing/cut-short-removes-nothing-listed",
                   test_list_cut_short_removes_nothing_listed);
  g_test_add_func ("/sync/cancel-resume/failed-full-run-not-continued",
                   test_failed_full_run_not_continued);
  g_test_add_func ("/sync/cancel-resume/old-stopped-chain-not-continued",
                   test_old_stopped_chain_not_continued);
  g_test_add_data_func ("/sync/cancel-resume/next-sync-continues-full", GINT_TO_POINTER (FALSE),
                        test_next_sync_continues_stopped_full);
  g_test_add_data_func ("/sync/cancel-resume/continues-without-activity-log",
                        GINT_TO_POINTER (TRUE), test_next_sync_continues_stopped_full);
  g_test_add_func ("/sync/busy", test_busy);
  g_test_add_func ("/sync/listing-fails", test_listing_fails);
  g_test_add_func ("/sync/mfa-required", test_mfa_required);
  g_test_add_func ("/sync/listing-restarts-after-expired-token",
                   test_listing_restarts_after_expired_token);
  g_test_add_func ("/sync/listing-restarts-bounded", test_listing_restarts_bounded);
  g_test_add_func ("/sync/retry-is-no-base", test_retry_is_no_base);
  g_test_add_func ("/sync/listed-window", test_listed_window);
  g_test_add_func ("/sync/listed-window/resumes", test_listed_window_resumes);
  g_test_add_func ("/sync/country-rules", test_country_rules);
  g_test_add_func ("/sync/odd/country-case", test_odd_country_case);
  g_test_add_func ("/sync/odd/empty-page", test_odd_empty_page);
  g_test_add_func ("/sync/odd/reseller-moves", test_odd_reseller_moves);
  g_test_add_func ("/sync/odd/reseller-renamed", test_odd_reseller_renamed);
  g_test_add_data_func ("/sync/odd/reseller-list-cut-short/full",
                        GINT_TO_POINTER (PD_SYNC_MODE_FULL), test_odd_reseller_list_cut_short);
  g_test_add_data_func ("/sync/odd/reseller-list-cut-short/incremental",
                        GINT_TO_POINTER (PD_SYNC_MODE_AUTO), test_odd_reseller_list_cut_short);
  g_test_add_func ("/sync/odd/resellers-refused", test_odd_resellers_refused);
  return g_test_run ();
}
