/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store-read.c — reading PdStore: search and filters with their counts, duplicate flags,
 * meta, and the country rules the missing-field filters follow. */
#include "config.h"

#include "pd-test-util.h"
#include "store-test-helpers.h"

#define TENANT_A "0b7f5a0e-0000-4000-8000-00000000000a"
#define TENANT_B "0b7f5a0e-0000-4000-8000-00000000000b"
#define TENANT_C "0b7f5a0e-0000-4000-8000-00000000000c"

static PdStore *
open_search_fixture (char **dir)
{
  PdStore *store = store_test_open_temp (dir);
  g_autoptr(GError) error = NULL;
  gint64 id;

  store_test_apply (store, 0,
                    store_test_pc_org (TENANT_A, "Contoso Ltd.", "contoso.onmicrosoft.com",
                                       "Berlin", "anna@contoso.com", "e1"),
                    store_test_pc_org (TENANT_B, "Müller GmbH", "mueller.de", "München",
                                       "info@mueller.de", "e1"),
                    store_test_pc_org (TENANT_C, "Northwind Traders", "northwind.com",
                                       "Hamburg", "sales@northwind.com", "e1"),
                    NULL);
  id = pd_store_create_manual (store, "Contoso", "contoso.com", NULL, "ERP-77", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return store;
}

static void
test_search_prefix (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = open_search_fixture (&dir);
  g_autoptr(GError) error = NULL;
  PdStoreQuery query = { .search = "cont", .limit = 1 };
  g_autoptr(GPtrArray) limited = NULL;

  g_assert_cmpuint (store_test_search_count (store, "cont"), ==, 2);       /* name */
  g_assert_cmpuint (store_test_search_count (store, "CONT"), ==, 2);
  g_assert_cmpuint (store_test_search_count (store, "northw"), ==, 1);     /* name + domain */
  g_assert_cmpuint (store_test_search_count (store, "mueller.d"), ==, 1);  /* domain */
  g_assert_cmpuint (store_test_search_count (store, "erp-7"), ==, 1);      /* ERP ID */
  g_assert_cmpuint (store_test_search_count (store, "sales@"), ==, 1);     /* e-mail */
  g_assert_cmpuint (store_test_search_count (store, "hamb"), ==, 1);       /* city */
  g_assert_cmpuint (store_test_search_count (store, "munch"), ==, 1);      /* diacritics folded */
  g_assert_cmpuint (store_test_search_count (store, "mull"), ==, 1);
  g_assert_cmpuint (store_test_search_count (store, "contoso berl"), ==, 1);  /* words ANDed */
  g_assert_cmpuint (store_test_search_count (store, "zzz"), ==, 0);
  /* FTS5 syntax typed by the user is plain text, never an error. */
  g_assert_cmpuint (store_test_search_count (store, "\""), ==, 4);
  g_assert_cmpuint (store_test_search_count (store, "AND("), ==, 0);
  g_assert_cmpuint (store_test_search_count (store, "cont*"), ==, 2);
  g_assert_cmpuint (store_test_search_count (store, "NEAR(cont"), ==, 0);
  g_assert_cmpuint (store_test_search_count (store, "OR"), ==, 0);
  g_assert_cmpuint (store_test_search_count (store, "-cont"), ==, 2);
  g_assert_cmpuint (store_test_search_count (store, ""), ==, 4);

  limited = pd_store_list (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (limited->len, ==, 1);
  /* Sorted by name: "Contoso" before "Contoso Ltd.". */
  g_assert_cmpstr (pd_organization_get_name (g_ptr_array_index (limited, 0)), ==, "Contoso");
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

static void
test_filters_and_counts (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = open_search_fixture (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) dups = NULL;
  g_autoptr(GPtrArray) resellers = NULL;
  g_autoptr(PdOrganization) reseller_org = NULL;
  PdStoreQuery query = { .filter = PD_FILTER_DUPLICATES };
  guint counts[PD_N_FILTERS];
  gint64 mueller;

  reseller_org = store_test_pc_org (TENANT_B, "Müller GmbH", "mueller.de", "München",
                                    "info@mueller.de", "e2");
  pd_organization_set_reseller (reseller_org, "r-1", "Reseller One");
  store_test_apply (store, 0, g_object_ref (reseller_org), NULL);
  mueller = store_test_find_id (store, TENANT_B);
  g_assert_true (pd_store_set_bill_to_field (store, mueller, PD_BILL_TO_CITY, "Köln", &error));
  g_assert_no_error (error);

  g_assert_true (pd_store_count_filters (store, NULL, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts[PD_FILTER_ALL], ==, 4);
  g_assert_cmpuint (counts[PD_FILTER_INCOMPLETE], ==, 1);   /* the manual one: no bill-to */
  g_assert_cmpuint (counts[PD_FILTER_LOCAL_EDITS], ==, 1);
  g_assert_cmpuint (counts[PD_FILTER_DUPLICATES], ==, 2);   /* Contoso Ltd. and Contoso */
  g_assert_cmpuint (counts[PD_FILTER_MANUAL], ==, 1);
  g_assert_cmpuint (counts[PD_FILTER_REMOVED], ==, 0);

  dups = pd_store_list (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dups->len, ==, 2);
  for (guint i = 0; i < dups->len; i++)
    g_assert_true (pd_organization_get_possible_duplicate (g_ptr_array_index (dups, i)));

  all = pd_store_list (store, NULL, &error);
  g_assert_cmpuint (all->len, ==, 4);
  for (guint i = 0; i < all->len; i++)
    {
      PdOrganization *org = g_ptr_array_index (all, i);
      gboolean manual = pd_organization_get_source (org) == PD_ORG_SOURCE_MANUAL;

      g_assert_cmpint (pd_organization_get_bill_to_complete (org), ==, !manual);
      g_assert_cmpint (pd_organization_get_has_local_edits (org), ==,
                       pd_organization_get_id (org) == mueller);
    }

  query = (PdStoreQuery) { .reseller_id = "r-1" };
  g_assert_true (pd_store_count_filters (store, &query, counts, &error));
  g_assert_cmpuint (counts[PD_FILTER_ALL], ==, 1);
  g_assert_cmpuint (counts[PD_FILTER_LOCAL_EDITS], ==, 1);
  resellers = pd_store_list_resellers (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (resellers->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (resellers, 0), ==, "r-1\tReseller One");
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

typedef struct {
  GPtrArray *names;
  guint      stop_after;  /* 0: never stop */
  gboolean   local_city;  /* some row had its local city */
} EachRead;

static gboolean
collect_name (PdOrganization *org,
              gpointer        user_data)
{
  EachRead *read = user_data;

  g_ptr_array_add (read->names, g_strdup (pd_organization_get_name (org)));
  if (g_strcmp0 (pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_CITY), "Köln") == 0)
    read->local_city = TRUE;
  return read->stop_after == 0 || read->names->len < read->stop_after;
}

/* pd_store_list_each hands out the rows pd_store_list returns (with local edits applied), one
 * at a time, honours the query, and stops when asked. */
static void
test_list_each (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = open_search_fixture (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  EachRead read = { names, 0, FALSE };
  PdStoreQuery query = { .search = "cont" };
  gint64 mueller = store_test_find_id (store, TENANT_B);

  g_assert_true (pd_store_set_bill_to_field (store, mueller, PD_BILL_TO_CITY, "Köln", &error));
  g_assert_true (pd_store_list_each (store, NULL, collect_name, &read, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (names->len, ==, 4);
  g_assert_true (read.local_city);
  g_assert_true (g_ptr_array_find_with_equal_func (names, "Müller GmbH", g_str_equal, NULL));

  g_ptr_array_set_size (names, 0);
  g_assert_true (pd_store_list_each (store, &query, collect_name, &read, &error));
  g_assert_cmpuint (names->len, ==, 2);

  g_ptr_array_set_size (names, 0);
  read.stop_after = 1;
  g_assert_true (pd_store_list_each (store, NULL, collect_name, &read, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (names->len, ==, 1);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

static gboolean
is_duplicate (PdStore    *store,
              const char *tenant)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = pd_store_find_by_tenant (store, tenant, &error);

  g_assert_no_error (error);
  return pd_organization_get_possible_duplicate (org);
}

#define TENANT_D "0b7f5a0e-0000-4000-8000-00000000000d"
#define TENANT_E "0b7f5a0e-0000-4000-8000-00000000000e"

/* New rows of a batch are flagged with the rows they share a key with, whether those came in
 * an earlier batch or the same one; a later rename clears the flags again. */
static void
test_duplicates_within_batch (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);

  store_test_apply (store, 0,
                    store_test_pc_org (TENANT_A, "Contoso Ltd", "contoso.com", "Berlin",
                                       "a@contoso.com", "e1"), NULL);
  g_assert_false (is_duplicate (store, TENANT_A));
  store_test_apply (store, 0,
                    store_test_pc_org (TENANT_B, "Contoso", "contoso-eu.com", "Berlin",
                                       "b@contoso-eu.com", "e1"),
                    store_test_pc_org (TENANT_C, "Fabrikam", "shared.com", "Berlin",
                                       "c@shared.com", "e1"),
                    store_test_pc_org (TENANT_D, "Northwind", "WWW.Shared.com", "Berlin",
                                       "d@shared.com", "e1"),
                    store_test_pc_org (TENANT_E, "Tailspin", "tailspin.com", "Berlin",
                                       "e@tailspin.com", "e1"), NULL);
  g_assert_true (is_duplicate (store, TENANT_A));    /* name, with B of the next batch */
  g_assert_true (is_duplicate (store, TENANT_B));
  g_assert_true (is_duplicate (store, TENANT_C));    /* domain, within the batch */
  g_assert_true (is_duplicate (store, TENANT_D));
  g_assert_false (is_duplicate (store, TENANT_E));

  store_test_apply (store, 0,
                    store_test_pc_org (TENANT_B, "Woodgrove", "contoso-eu.com", "Berlin",
                                       "b@contoso-eu.com", "e2"), NULL);
  g_assert_false (is_duplicate (store, TENANT_A));
  g_assert_false (is_duplicate (store, TENANT_B));
  g_assert_true (is_duplicate (store, TENANT_C));
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

/* Within a sync run the duplicate flags are settled once, when the run ends; a run that dies
 * leaves a mark that the next run settles; a local write settles them before it returns. */
static void
test_duplicates_settled_by_run (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autofree char *path = g_strdup (pd_store_get_path (store));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) manual_org = NULL;
  gint64 run = store_test_begin_run (store, NULL);
  gint64 manual;

  store_test_apply (store, run,
                    store_test_pc_org (TENANT_A, "Contoso Ltd", "contoso.com", "Berlin",
                                       "a@contoso.com", "e1"),
                    store_test_pc_org (TENANT_B, "Contoso", "contoso-eu.com", "Berlin",
                                       "b@contoso-eu.com", "e1"), NULL);
  g_assert_false (is_duplicate (store, TENANT_A));   /* deferred to the end of the run */
  store_test_finish_run (store, run);
  g_assert_true (is_duplicate (store, TENANT_A));
  g_assert_true (is_duplicate (store, TENANT_B));

  /* A run that dies: the process ends without finishing it. */
  run = store_test_begin_run (store, NULL);
  store_test_apply (store, run,
                    store_test_pc_org (TENANT_C, "Fabrikam", "shared.com", "Berlin",
                                       "c@shared.com", "e1"),
                    store_test_pc_org (TENANT_D, "Northwind", "www.shared.com", "Berlin",
                                       "d@shared.com", "e1"), NULL);
  g_clear_object (&store);
  store = pd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (is_duplicate (store, TENANT_C));
  run = store_test_begin_run (store, NULL);
  g_assert_true (is_duplicate (store, TENANT_C));
  g_assert_true (is_duplicate (store, TENANT_D));
  store_test_finish_run (store, run);

  /* Outside a run, a write that changes a key settles the flags before it returns. */
  manual = pd_store_create_manual (store, "Tailspin Toys", "shared.com", "DE", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (manual, >, 0);
  manual_org = pd_store_get (store, manual, &error);
  g_assert_true (pd_organization_get_possible_duplicate (manual_org));
  g_clear_object (&manual_org);
  g_assert_true (pd_store_set_field (store, manual, "domain", "tailspin.com", &error));
  g_assert_no_error (error);
  g_assert_true (is_duplicate (store, TENANT_C));     /* C and D still share shared.com */
  manual_org = pd_store_get (store, manual, &error);
  g_assert_false (pd_organization_get_possible_duplicate (manual_org));
  g_clear_object (&store);
  store_test_assert_integrity (path);
  pd_test_rm_rf (dir);
}

static void
test_meta_and_countries (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = open_search_fixture (&dir);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) countries = pd_store_dup_countries (store);
  g_autofree char *value = NULL;
  g_autofree char *path = g_strdup (pd_store_get_path (store));

  g_assert_cmpuint (g_strv_length (countries), ==, 1);
  g_assert_cmpstr (countries[0], ==, "DE");
  g_assert_null (pd_store_get_meta (store, "partner-tenant-id"));
  g_assert_true (pd_store_set_meta (store, "partner-tenant-id", "p-1", &error));
  g_assert_no_error (error);
  value = pd_store_get_meta (store, "partner-tenant-id");
  g_assert_cmpstr (value, ==, "p-1");
  g_clear_object (&store);
  store_test_assert_integrity (path);
  pd_test_rm_rf (dir);
}

/* A rule fetched from Partner Center replaces the bundled one, is kept in the cache, and the
 * organizations of that country are re-evaluated at once and after reopening. */
static void
test_country_rule_saved (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = open_search_fixture (&dir);
  g_autofree char *path = g_strdup (pd_store_get_path (store));
  g_autoptr(PdCountryRule) rule = pd_country_rule_new ("DE");
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(GDateTime) fetched = NULL;
  const char * const *missing;
  guint counts[PD_N_FILTERS];

  g_assert_null (pd_store_get_country_rule_fetched_at (store, "DE"));
  rule->postal_code_required = TRUE;
  rule->postal_code_pattern = g_strdup ("^D-[0-9]{5}$");
  g_assert_true (pd_store_save_country_rule (store, rule, &error));
  g_assert_no_error (error);
  fetched = pd_store_get_country_rule_fetched_at (store, "DE");
  g_assert_nonnull (fetched);

  org = pd_store_find_by_tenant (store, TENANT_A, &error);
  g_assert_false (pd_organization_get_bill_to_complete (org));
  missing = pd_organization_get_missing_fields (org);
  g_assert_cmpstr (missing[0], ==, "address.postalCode");
  g_assert_null (missing[1]);
  g_clear_object (&org);
  g_assert_true (pd_store_count_filters (store, NULL, counts, &error));
  g_assert_cmpuint (counts[PD_FILTER_INCOMPLETE], ==, 4);   /* 3 German + the manual one */

  g_clear_object (&store);
  store = pd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_count_filters (store, NULL, counts, &error));
  g_assert_cmpuint (counts[PD_FILTER_INCOMPLETE], ==, 4);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

int
main (int argc, char *argv[])
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/store/search/prefix", test_search_prefix);
  g_test_add_func ("/store/list/filters-and-counts", test_filters_and_counts);
  g_test_add_func ("/store/list/each", test_list_each);
  g_test_add_func ("/store/duplicates/within-batch", test_duplicates_within_batch);
  g_test_add_func ("/store/duplicates/settled-by-run", test_duplicates_settled_by_run);
  g_test_add_func ("/store/meta-and-countries", test_meta_and_countries);
  g_test_add_func ("/store/country-rules/saved", test_country_rule_saved);
  return g_test_run ();
}
