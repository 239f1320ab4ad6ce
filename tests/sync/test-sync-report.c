/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sync-report.c — whether a failure is still open, and a run's report read in a thread:
 * the one rule the engine, the sync panel and `sync --retry-failed` share. No network, no
 * display. */
#include "config.h"

#include "pd-sync-report-private.h"
#include "pd-test-util.h"

#define CACHED "11111111-1111-4111-8111-111111111111"
#define NEVER_READ "22222222-2222-4222-8222-222222222222"

typedef struct {
  char    *dir;
  char    *path;
  PdStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  PdOrganization *org = pd_organization_new ();
  gint64 run_id;

  fixture->dir = pd_test_make_tmpdir ();
  fixture->path = g_build_filename (fixture->dir, "partner-desk.db", NULL);
  fixture->store = pd_store_open (fixture->path, &error);
  g_assert_no_error (error);
  /* One customer stored (fetched) now. */
  pd_organization_set_tenant_id (org, CACHED);
  pd_organization_set_source (org, PD_ORG_SOURCE_PARTNER_CENTER);
  pd_organization_set_name (org, "Contoso Ltd");
  pd_organization_set_domain (org, "contoso.com");
  g_ptr_array_add (orgs, org);
  run_id = pd_store_begin_sync_run (fixture->store, PD_SYNC_KIND_FULL, "setup", NULL, &error);
  g_assert_true (pd_store_apply_partner_center (fixture->store, run_id, orgs, NULL, &error));
  g_assert_true (pd_store_finish_sync_run (fixture->store, run_id, PD_SYNC_STATE_COMPLETE, NULL,
                                           &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  pd_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* A finished incremental run in which each of tenants failed; returns its id. */
static gint64
failing_run (Fixture            *fixture,
             const char * const *tenants)
{
  g_autoptr(GError) error = NULL;
  gint64 run_id = pd_store_begin_sync_run (fixture->store, PD_SYNC_KIND_INCREMENTAL, "t", NULL,
                                           &error);

  g_assert_no_error (error);
  for (guint i = 0; tenants[i] != NULL; i++)
    {
      PdRunEvent event = { .kind = PD_RUN_EVENT_FAILED, .tenant_id = (char *) tenants[i],
                           .error = (char *) "HTTP 500" };

      g_assert_true (pd_store_add_run_event (fixture->store, run_id, &event, &error));
    }
  g_assert_true (pd_store_finish_sync_run (fixture->store, run_id, PD_SYNC_STATE_COMPLETE, NULL,
                                           &error));
  g_assert_no_error (error);
  return run_id;
}

/* Open until the customer is stored after the failing run ended (or started, when it never
 * ended); a customer never stored stays open. */
static void
test_failure_is_open (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) hour_ago = g_date_time_add_hours (now, -1);
  g_autoptr(GDateTime) in_an_hour = g_date_time_add_hours (now, 1);
  PdSyncRun ended_hour_ago = { .id = 1, .started_at = hour_ago, .finished_at = hour_ago };
  PdSyncRun ends_in_an_hour = { .id = 1, .started_at = now, .finished_at = in_an_hour };
  PdSyncRun stopped = { .id = 1, .started_at = hour_ago };
  PdSyncRun stopped_later = { .id = 1, .started_at = in_an_hour };

  g_assert_false (pd_sync_failure_is_open (fixture->store, CACHED, &ended_hour_ago));
  g_assert_true (pd_sync_failure_is_open (fixture->store, CACHED, &ends_in_an_hour));
  g_assert_false (pd_sync_failure_is_open (fixture->store, CACHED, &stopped));
  g_assert_true (pd_sync_failure_is_open (fixture->store, CACHED, &stopped_later));
  g_assert_true (pd_sync_failure_is_open (fixture->store, NEVER_READ, &ended_hour_ago));
}

/* Stores tenant as a full run's listing does, its bill-to never read; returns its id. */
static gint64
store_listed_only (Fixture    *fixture,
                   const char *tenant)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(GError) error = NULL;
  PdOrganization *listed = pd_organization_new ();
  gint64 run_id;

  pd_organization_set_tenant_id (listed, tenant);
  pd_organization_set_source (listed, PD_ORG_SOURCE_PARTNER_CENTER);
  pd_organization_set_name (listed, tenant);
  g_ptr_array_add (orgs, listed);
  run_id = pd_store_begin_sync_run (fixture->store, PD_SYNC_KIND_FULL, "t", NULL, &error);
  g_assert_true (pd_store_apply_listing (fixture->store, run_id, orgs, NULL, &error));
  g_assert_true (pd_store_finish_sync_run (fixture->store, run_id, PD_SYNC_STATE_COMPLETE, NULL,
                                           &error));
  g_assert_no_error (error);
  org = pd_store_find_by_tenant (fixture->store, tenant, &error);
  g_assert_no_error (error);
  return pd_organization_get_id (org);
}

/* A bill-to push's answer (or the bill-to read before it) is Partner Center answering a read
 * of the customer: its failure in a run that ended before is no longer open, as after a sync
 * that fetched it; the last sync stays unknown (the push is no sync). */
static void
test_failure_closed_by_push (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) hour_ago = g_date_time_add_hours (now, -1);
  PdSyncRun failed_in = { .id = 1, .started_at = hour_ago, .finished_at = hour_ago };
  const char *other = "33333333-3333-4333-8333-333333333333";
  gint64 pushed_id = store_listed_only (fixture, NEVER_READ);
  gint64 read_id = store_listed_only (fixture, other);
  g_autoptr(PdBillTo) answer = pd_bill_to_new ();
  g_autoptr(PdOrganization) pushed = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_sync_failure_is_open (fixture->store, NEVER_READ, &failed_in));
  g_assert_true (pd_sync_failure_is_open (fixture->store, other, &failed_in));
  pd_bill_to_set (answer, PD_BILL_TO_CITY, "Espoo");
  pd_bill_to_set (answer, PD_BILL_TO_COUNTRY, "FI");
  g_assert_true (pd_store_set_pushed_bill_to (fixture->store, pushed_id, answer, "\"1\"", answer,
                                              1u << PD_BILL_TO_CITY, &error));
  g_assert_no_error (error);
  g_assert_false (pd_sync_failure_is_open (fixture->store, NEVER_READ, &failed_in));
  g_assert_true (pd_sync_failure_is_open (fixture->store, other, &failed_in));
  g_assert_true (pd_store_set_read_bill_to (fixture->store, read_id, answer, "\"2\"", &error));
  g_assert_no_error (error);
  g_assert_false (pd_sync_failure_is_open (fixture->store, other, &failed_in));

  pushed = pd_store_find_by_tenant (fixture->store, NEVER_READ, &error);
  g_assert_no_error (error);
  g_assert_null (pd_organization_get_last_synced_at (pushed));
  g_assert_nonnull (pd_organization_get_bill_to_read_at (pushed));
}

/* A run's failures stay open until a later read of the customer (what `sync --retry-failed`
 * and the panel ask, through pd_sync_failure_is_open). */
static void
test_open_failures_of_run (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *tenants[] = { CACHED, NEVER_READ, NULL };
  g_autoptr(PdSyncRun) run = pd_store_get_sync_run (fixture->store,
                                                    failing_run (fixture, tenants), NULL);

  /* Within the second the run ended nothing counts as fetched since. */
  g_assert_true (pd_sync_failure_is_open (fixture->store, CACHED, run));
  g_assert_true (pd_sync_failure_is_open (fixture->store, NEVER_READ, run));
  /* Had it ended an hour ago, the customer stored since would be fixed. */
  g_date_time_unref (run->finished_at);
  run->finished_at = g_date_time_add_hours (run->started_at, -1);
  g_assert_false (pd_sync_failure_is_open (fixture->store, CACHED, run));
  g_assert_true (pd_sync_failure_is_open (fixture->store, NEVER_READ, run));
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static PdSyncReport *
load_report (Fixture    *fixture,
             gint64      run_id,
             GHashTable *retried)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PdSyncReport *report;

  pd_sync_report_load_async (fixture->store, run_id, retried, 100, NULL, store_result,
                             &result);
  g_assert_true (pd_test_wait_until (has_result, &result, 10000));
  report = pd_sync_report_load_finish (result, &error);
  g_assert_no_error (error);
  return report;
}

/* The report names the cached customer, and a retry this process saw fixes a failure only when
 * it came after the customer's newest failure. */
static void
test_report (Fixture       *fixture,
             gconstpointer  data)
{
  const char *both[] = { CACHED, NEVER_READ, NULL };
  const char *cached[] = { CACHED, NULL };
  gint64 first = failing_run (fixture, both);
  gint64 second = failing_run (fixture, cached);
  g_autoptr(GHashTable) retried = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(PdSyncReport) report = NULL;
  g_autoptr(PdSyncReport) after_retry = NULL;
  PdRunEvent *event;

  report = load_report (fixture, first, NULL);
  g_assert_cmpuint (report->events->len, ==, 2);
  event = g_ptr_array_index (report->events, 0);
  g_assert_cmpstr (event->name, ==, "Contoso Ltd");
  g_assert_cmpint (event->org_id, >, 0);
  g_assert_cmpuint (g_hash_table_size (report->fixed), ==, 0);
  /* The second run as the retry that fetched both: NEVER_READ is fixed; CACHED is not, since
   * its newest failure is in that run and not before it. */
  g_hash_table_insert (retried, (gpointer) CACHED, GSIZE_TO_POINTER ((gsize) second));
  g_hash_table_insert (retried, (gpointer) NEVER_READ, GSIZE_TO_POINTER ((gsize) second));
  after_retry = load_report (fixture, first, retried);
  g_assert_true (g_hash_table_contains (after_retry->fixed, NEVER_READ));
  g_assert_cmpuint (g_hash_table_size (after_retry->fixed), ==, 1);
}

/* The report holds the events it shows, replaced local edits and failures, in order: not the
 * NEW event a first sync has for every customer, nor the others. */
static void
test_report_kinds (Fixture       *fixture,
                   gconstpointer  data)
{
  static const PdRunEventKind kinds[] = {
    PD_RUN_EVENT_NEW, PD_RUN_EVENT_OVERRIDE_REPLACED, PD_RUN_EVENT_UPDATED,
    PD_RUN_EVENT_OVERRIDE_KEPT, PD_RUN_EVENT_FAILED, PD_RUN_EVENT_REMOVED, PD_RUN_EVENT_NEW,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSyncReport) report = NULL;
  gint64 run_id = pd_store_begin_sync_run (fixture->store, PD_SYNC_KIND_INCREMENTAL, "t", NULL,
                                           &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      PdRunEvent event = { .kind = kinds[i], .tenant_id = (char *) CACHED,
                           .field = (char *) "companyName", .error = (char *) "HTTP 500" };

      g_assert_true (pd_store_add_run_event (fixture->store, run_id, &event, &error));
    }
  g_assert_true (pd_store_finish_sync_run (fixture->store, run_id, PD_SYNC_STATE_COMPLETE, NULL,
                                           &error));
  report = load_report (fixture, run_id, NULL);
  g_assert_cmpuint (report->events->len, ==, 2);
  g_assert_cmpint (((PdRunEvent *) g_ptr_array_index (report->events, 0))->kind, ==,
                   PD_RUN_EVENT_OVERRIDE_REPLACED);
  g_assert_cmpint (((PdRunEvent *) g_ptr_array_index (report->events, 1))->kind, ==,
                   PD_RUN_EVENT_FAILED);
}

int
main (int   argc,
      char *argv[])
{
  pd_test_init (&argc, &argv);
  g_test_add ("/sync-report/failure-is-open", Fixture, NULL, fixture_set_up,
              test_failure_is_open, fixture_tear_down);
  g_test_add ("/sync-report/failure-closed-by-push", Fixture, NULL, fixture_set_up,
              test_failure_closed_by_push, fixture_tear_down);
  g_test_add ("/sync-report/open-failures-of-run", Fixture, NULL, fixture_set_up,
              test_open_failures_of_run, fixture_tear_down);
  g_test_add ("/sync-report/report", Fixture, NULL, fixture_set_up, test_report,
              fixture_tear_down);
  g_test_add ("/sync-report/report-kinds", Fixture, NULL, fixture_set_up, test_report_kinds,
              fixture_tear_down);
  return g_test_run ();
}
