/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sync-partner.c — a cache belongs to one Partner Center account: a sync as another
 * partner is refused before anything is stored, and the partner is recorded by the first. A
 * complete listing that would mark most of a sizeable cache removed is not applied silently. */
#include "config.h"

#include <string.h>

#include "pd-test-util.h"
#include "sync-test-helpers.h"
#include "sync/pd-sync-engine-private.h"

static void
options_for_partner (PdSimulatorOptions *options,
                     guint64             seed)
{
  pd_simulator_options_init (options);
  options->n_customers = 40;
  options->seed = seed;
}

/* The first sync records the partner Partner Center names (its organization profile). */
static void
test_first_sync_records_partner (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(GError) error = NULL;
  g_autofree char *tenant = NULL;
  g_autofree char *name = NULL;

  options_for_partner (&options, 1);
  sync_fixture_init (&fx, &options);
  g_assert_null (pd_store_dup_partner_tenant_id (fx.store));
  g_assert_cmpint (sync_test_run (fx.engine, PD_SYNC_MODE_AUTO, NULL, &error), >, 0);
  g_assert_no_error (error);
  tenant = pd_store_dup_partner_tenant_id (fx.store);
  g_assert_cmpstr (tenant, ==, pd_simulator_get_partner_tenant_id (fx.sim));
  name = pd_store_dup_partner_name (fx.store);
  g_assert_nonnull (name);
  g_assert_true (g_str_has_prefix (name, "Simulated Partner"));
  sync_fixture_clear (&fx);
}

/* Partner 2 syncing partner 1's cache: refused, nothing stored, whether incremental or full;
 * partner 1's customers keep their state (none is marked removed). */
static void
test_other_partner_refused (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(PdSimulator) other = NULL;
  g_autoptr(PdPcClient) other_client = NULL;
  g_autoptr(PdSyncEngine) other_engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *tenant = NULL;
  g_autoptr(GPtrArray) runs_before = NULL;
  g_autoptr(GPtrArray) runs_after = NULL;
  PdSyncMode modes[] = { PD_SYNC_MODE_AUTO, PD_SYNC_MODE_FULL };

  options_for_partner (&options, 1);
  sync_fixture_init (&fx, &options);
  g_assert_cmpint (sync_test_run (fx.engine, PD_SYNC_MODE_FULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  before = sync_test_dump (fx.store, NULL);
  runs_before = pd_store_list_sync_runs (fx.store, 0, NULL);

  options_for_partner (&options, 2);
  options.token = SYNC_TEST_TOKEN;
  other = pd_simulator_new (&options);
  g_assert_true (pd_simulator_start (other, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pd_simulator_get_partner_tenant_id (other), !=,
                   pd_simulator_get_partner_tenant_id (fx.sim));
  other_client = sync_test_client_new (pd_simulator_get_base_url (other), SYNC_TEST_TOKEN);
  other_engine = pd_sync_engine_new (fx.store, other_client);
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_assert_cmpint (sync_test_run (other_engine, modes[i], NULL, &error), ==, 0);
      g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_OTHER_PARTNER);
      g_assert_nonnull (strstr (error->message, pd_simulator_get_partner_tenant_id (fx.sim)));
      g_assert_nonnull (strstr (error->message, pd_simulator_get_partner_tenant_id (other)));
      g_clear_error (&error);
      g_assert_false (pd_sync_engine_get_running (other_engine));
    }

  after = sync_test_dump (fx.store, NULL);
  g_assert_cmpstr (before, ==, after);
  runs_after = pd_store_list_sync_runs (fx.store, 0, NULL);
  g_assert_cmpuint (runs_after->len, ==, runs_before->len);
  tenant = pd_store_dup_partner_tenant_id (fx.store);
  g_assert_cmpstr (tenant, ==, pd_simulator_get_partner_tenant_id (fx.sim));
  /* The rightful partner still syncs. */
  g_assert_cmpint (sync_test_run (fx.engine, PD_SYNC_MODE_AUTO, NULL, &error), >, 0);
  g_assert_no_error (error);
  sync_fixture_clear (&fx);
}

/* The same partner (same seed) with n customers left, on a new port. */
static PdSimulator *
start_same_partner (guint n_customers)
{
  PdSimulatorOptions options;
  g_autoptr(GError) error = NULL;
  PdSimulator *sim;

  options_for_partner (&options, 1);
  options.n_customers = n_customers;
  options.token = SYNC_TEST_TOKEN;
  sim = pd_simulator_new (&options);
  g_assert_true (pd_simulator_start (sim, 0, &error));
  g_assert_no_error (error);
  return sim;
}

static guint
count_removed (PdStore *store)
{
  g_autoptr(GHashTable) removed = sync_test_removed (store);

  return g_hash_table_size (removed);
}

/* 60 customers, then a listing of none: refused (the run fails with the numbers, nothing is
 * marked), until the user allows it for one run. */
static void
test_mass_removal_needs_consent (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(PdSimulator) empty = NULL;
  g_autoptr(PdPcClient) client = NULL;
  g_autoptr(PdSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;

  options_for_partner (&options, 1);
  options.n_customers = 60;
  sync_fixture_init (&fx, &options);
  g_assert_cmpint (sync_test_run (fx.engine, PD_SYNC_MODE_FULL, NULL, &error), >, 0);
  g_assert_no_error (error);

  empty = start_same_partner (0);
  client = sync_test_client_new (pd_simulator_get_base_url (empty), SYNC_TEST_TOKEN);
  engine = pd_sync_engine_new (fx.store, client);
  g_assert_cmpint (sync_test_run (engine, PD_SYNC_MODE_FULL, NULL, &error), ==, 0);
  g_assert_error (error, PD_SYNC_ERROR, PD_SYNC_ERROR_MASS_REMOVAL);
  g_assert_nonnull (strstr (error->message, "60 of the 60"));
  g_clear_error (&error);
  g_assert_cmpuint (count_removed (fx.store), ==, 0);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 60);

  /* The allowance is for one run: the next one asks again. */
  pd_sync_engine_allow_mass_removal_once (engine);
  g_assert_cmpint (sync_test_run (engine, PD_SYNC_MODE_FULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (count_removed (fx.store), ==, 60);
  sync_fixture_clear (&fx);
}

/* A small cache, or a few customers gone, is applied as before. */
static void
test_ordinary_removal_applied (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(PdSimulator) fewer = NULL;
  g_autoptr(PdPcClient) client = NULL;
  g_autoptr(PdSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (pd_sync_is_mass_removal (50, 50));
  g_assert_false (pd_sync_is_mass_removal (30, 60));
  g_assert_true (pd_sync_is_mass_removal (31, 60));
  options_for_partner (&options, 1);
  options.n_customers = 40;
  sync_fixture_init (&fx, &options);
  g_assert_cmpint (sync_test_run (fx.engine, PD_SYNC_MODE_FULL, NULL, &error), >, 0);
  fewer = start_same_partner (0);
  client = sync_test_client_new (pd_simulator_get_base_url (fewer), SYNC_TEST_TOKEN);
  engine = pd_sync_engine_new (fx.store, client);
  g_assert_cmpint (sync_test_run (engine, PD_SYNC_MODE_FULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (count_removed (fx.store), ==, 40);
  sync_fixture_clear (&fx);
}

int
main (int argc, char *argv[])
{
  pd_test_init (&argc, &argv);
  g_test_add_func ("/sync/partner/first-sync-records-partner", test_first_sync_records_partner);
  g_test_add_func ("/sync/partner/other-partner-refused", test_other_partner_refused);
  g_test_add_func ("/sync/partner/mass-removal-needs-consent", test_mass_removal_needs_consent);
  g_test_add_func ("/sync/partner/ordinary-removal-applied", test_ordinary_removal_applied);
  return g_test_run ();
}
