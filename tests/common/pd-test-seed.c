/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-test-seed.c — fills a cache as a sync would, for the CLI and UI tests. */
#include "config.h"

#include <sqlite3.h>

#include "core/pd-store.h"
#include "pd-test-seed.h"
#include "pd-test-util.h"

typedef struct {
  const char *tenant;
  const char *name;
  const char *domain;
  const char *country;
  const char *city;
  const char *postal_code;
  const char *state;
} SeedCustomer;

static const SeedCustomer customers[] = {
  { SEED_CONTOSO_TENANT, "Contoso Ltd", "contoso.com", "DE", "Köln", "50667", NULL },
  { SEED_FABRIKAM_TENANT, "Fabrikam Inc", "fabrikam.com", "US", "Redmond", NULL, "WA" },
  { SEED_NORTHWIND_TENANT, "Northwind Oy", "northwind.fi", "FI", "Helsinki", "00100", NULL },
};

static PdOrganization *
make_customer (const SeedCustomer *seed)
{
  g_autofree char *etag = g_strdup_printf ("etag-%s", seed->domain);
  PdTestCustomer customer = { .tenant_id = seed->tenant, .name = seed->name,
                              .domain = seed->domain, .etag = etag, .first_name = "Alex",
                              .last_name = "Smith", .culture = "en-US", .language = "en",
                              .line1 = "1 Main Street", .city = seed->city, .state = seed->state,
                              .postal_code = seed->postal_code ? seed->postal_code : "",
                              .country = seed->country, .phone = "+1 555 0100" };
  PdOrganization *org = pd_test_customer_new (&customer);

  pd_organization_set_country (org, seed->country);
  return org;
}

static PdStore *
open_seed_store (const char *db_path)
{
  g_autoptr(GError) error = NULL;
  PdStore *store = pd_store_open (db_path, &error);

  g_assert_no_error (error);
  return store;
}

static gint64
begin_seed_run (PdStore    *store,
                PdSyncKind  kind)
{
  g_autoptr(GError) error = NULL;
  gint64 resume = 0;
  gint64 run = pd_store_begin_sync_run (store, kind, "test-seed", &resume, &error);

  g_assert_no_error (error);
  g_assert_cmpint (run, >, 0);
  return run;
}

static void
apply_seed_batch (PdStore   *store,
                  gint64     run,
                  GPtrArray *batch)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_store_apply_partner_center (store, run, batch, NULL, &error));
  g_assert_no_error (error);
}

static void
finish_seed_run (PdStore *store,
                 gint64   run)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_store_finish_sync_run (store, run, PD_SYNC_STATE_COMPLETE, NULL, &error));
  g_assert_no_error (error);
}

void
seed_synced_customers (const char *db_path)
{
  g_autoptr(PdStore) store = open_seed_store (db_path);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 run = begin_seed_run (store, PD_SYNC_KIND_FULL);

  for (guint i = 0; i < G_N_ELEMENTS (customers); i++)
    g_ptr_array_add (batch, make_customer (&customers[i]));
  apply_seed_batch (store, run, batch);
  finish_seed_run (store, run);
}

void
seed_retry_of (const char *db_path,
               const char *tenant_id)
{
  g_autoptr(PdStore) store = open_seed_store (db_path);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 run = begin_seed_run (store, PD_SYNC_KIND_RETRY);

  for (guint i = 0; i < G_N_ELEMENTS (customers); i++)
    if (g_str_equal (customers[i].tenant, tenant_id))
      g_ptr_array_add (batch, make_customer (&customers[i]));
  g_assert_cmpuint (batch->len, ==, 1);
  apply_seed_batch (store, run, batch);
  finish_seed_run (store, run);
}

static void
stop_first_sync_after (const char         *db_path,
                       const SeedCustomer *seeds,
                       guint               n_seeds)
{
  g_autoptr(PdStore) store = open_seed_store (db_path);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 run;

  g_assert_cmpuint (pd_store_count (store), ==, 0);
  run = begin_seed_run (store, PD_SYNC_KIND_FULL);
  for (guint i = 0; i < n_seeds; i++)
    g_ptr_array_add (batch, make_customer (&seeds[i]));
  apply_seed_batch (store, run, batch);
  /* Closed without finishing the run, as a process that was killed. */
}

void
seed_sync_stopped_after_one (const char *db_path,
                             const char *tenant_id,
                             const char *name)
{
  g_autoptr(PdStore) store = open_seed_store (db_path);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  SeedCustomer seed = { tenant_id, name, "example.net", "FI", "Oulu", "90100", NULL };

  g_assert_cmpuint (pd_store_count (store), >, 0);
  g_ptr_array_add (batch, make_customer (&seed));
  apply_seed_batch (store, begin_seed_run (store, PD_SYNC_KIND_FULL), batch);
  /* Closed without finishing the run, as a process that was killed. */
}

void
seed_first_sync_stopped (const char *db_path)
{
  stop_first_sync_after (db_path, customers, 1);
}

void
seed_first_sync_stopped_with_twin (const char *db_path)
{
  const SeedCustomer twins[] = {
    customers[0],
    { "55555555-5555-4555-8555-555555555555", "Contoso Ltd", "contoso.de", "DE", "Bonn",
      "53111", NULL },
  };

  stop_first_sync_after (db_path, twins, G_N_ELEMENTS (twins));
}

void
seed_many_customers (const char *db_path,
                     guint       n)
{
  g_autoptr(PdStore) store = open_seed_store (db_path);
  gint64 run = begin_seed_run (store, PD_SYNC_KIND_FULL);

  for (guint first = 0; first < n; first += 500)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = first; i < MIN (first + 500, n); i++)
        {
          g_autofree char *tenant = g_strdup_printf ("55555555-5555-4555-8555-%012u", i);
          g_autofree char *name = g_strdup_printf ("Customer %06u", i);
          SeedCustomer seed = { tenant, name, "example.org", "FI", "Oulu", "90100", NULL };

          g_ptr_array_add (batch, make_customer (&seed));
        }
      apply_seed_batch (store, run, batch);
    }
  finish_seed_run (store, run);
}

void
seed_mark_removed (const char *db_path,
                   const char *tenant_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = open_seed_store (db_path);
  gint64 run = begin_seed_run (store, PD_SYNC_KIND_INCREMENTAL);

  g_assert_true (pd_store_mark_removed (store, run, tenant_id, &error));
  g_assert_no_error (error);
  finish_seed_run (store, run);
}

static void
store_org (const char     *db_path,
           PdOrganization *org)
{
  g_autoptr(PdStore) store = open_seed_store (db_path);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (batch, org);
  apply_seed_batch (store, 0, batch);   /* outside a run */
}

static void
store_one (const char         *db_path,
           const SeedCustomer *seed)
{
  store_org (db_path, make_customer (seed));
}

void
seed_customer_in (const char *db_path,
                  const char *tenant_id,
                  const char *name,
                  const char *domain,
                  const char *country,
                  const char *postal_code)
{
  SeedCustomer seed = { tenant_id, name, domain, country, "Moskva", postal_code, NULL };

  store_one (db_path, &seed);
}

void
seed_customer_named (const char *db_path,
                     const char *tenant_id,
                     const char *name)
{
  static const SeedCustomer base = {
    NULL, NULL, "example.net", "FI", "Oulu", "90100", NULL
  };
  SeedCustomer seed = base;

  seed.tenant = tenant_id;
  seed.name = name;
  store_one (db_path, &seed);
}

void
seed_customer_of_reseller (const char *db_path,
                           const char *tenant_id,
                           const char *name,
                           const char *reseller_id,
                           const char *reseller_name)
{
  SeedCustomer seed = { tenant_id, name, "reseller.example", "FI", "Oulu", "90100", NULL };
  PdOrganization *org = make_customer (&seed);

  pd_organization_set_reseller (org, reseller_id, reseller_name);
  store_org (db_path, org);
}

void
seed_age_currency_changes (const char *db_path,
                           int         days)
{
  g_autofree char *sql =
    g_strdup_printf ("UPDATE history SET at = at - %d WHERE what = 'currency';"
                     "UPDATE local_fields SET currency_effective = currency_effective - %d "
                     "WHERE currency_effective IS NOT NULL;", days * 86400, days * 86400);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

void
seed_age_cache_a_minute (const char *db_path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db,
                                 "UPDATE sync_runs SET started_at = started_at - 60, "
                                 "  finished_at = finished_at - 60;"
                                 "UPDATE organizations SET last_synced_at = last_synced_at - 60, "
                                 "  bill_to_read_at = bill_to_read_at - 60;"
                                 "UPDATE synced_unchanged SET synced_at = synced_at - 60;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

void
seed_mark_demo (const char *db_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (db_path, &error);

  g_assert_no_error (error);
  g_assert_true (pd_store_mark_demo (store, &error));
  g_assert_no_error (error);
}

void
seed_unreadable (const char *db_path,
                 const char *tenant_id,
                 const char *name,
                 const char *domain,
                 const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (db_path, &error);
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_object_unref);
  PdOrganization *org = pd_organization_new ();

  g_assert_no_error (error);
  pd_organization_set_tenant_id (org, tenant_id);
  pd_organization_set_name (org, name);
  pd_organization_set_domain (org, domain);
  g_ptr_array_add (listed, org);
  g_assert_true (pd_store_apply_listing (store, 0, listed, NULL, &error));
  g_assert_no_error (error);
  /* No reason: listed, and no read tried yet. */
  if (reason != NULL)
    seed_read_failed (db_path, tenant_id, reason);
}

void
seed_read_failed (const char *db_path,
                  const char *tenant_id,
                  const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (db_path, &error);

  g_assert_no_error (error);
  g_assert_true (pd_store_set_bill_to_unreadable (store, tenant_id, reason, &error));
  g_assert_no_error (error);
}

void
seed_account_under_review (const char *db_path,
                           const char *tenant_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (db_path, &error);
  g_autoptr(PdOrganization) org = NULL;

  g_assert_no_error (error);
  org = pd_store_find_by_tenant (store, tenant_id, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_set_account_status (store, pd_organization_get_id (org),
                                              PD_ACCOUNT_STATUS_UNDER_REVIEW, &error));
  g_assert_no_error (error);
}

void
cli_db_fixture_setup (CliDbFixture  *f,
                      gconstpointer  data)
{
  f->dir = pd_test_make_tmpdir ();
  f->db = g_build_filename (f->dir, "cache.db", NULL);
}

void
cli_db_fixture_teardown (CliDbFixture  *f,
                         gconstpointer  data)
{
  pd_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->db);
}
