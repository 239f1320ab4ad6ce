/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store-read.c — reading PdStore: filters with their counts, duplicate flags, meta, and
 * the country rules the missing-field filters follow. Search: test-store-search.c. */
#include "config.h"

#include <sqlite3.h>

#include "core/pd-store-private.h"
#include "pd-test-util.h"
#include "store-test-helpers.h"

/* The customers of store_test_open_search_fixture. */
#define TENANT_A STORE_TEST_SEARCH_TENANT_A
#define TENANT_B STORE_TEST_SEARCH_TENANT_B
#define TENANT_C STORE_TEST_SEARCH_TENANT_C

static void
test_filters_and_counts (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_search_fixture (&dir);
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
  GHashTable *rows;       /* id → PdStoreListRow with its strings copied (one block each) */
  guint       stop_after; /* 0: never stop */
  guint       n_seen;
} RowsRead;

static char *
copy_text (GStringChunk *chunk,
           const char   *text)
{
  return text != NULL ? g_string_chunk_insert (chunk, text) : NULL;
}

static gboolean
keep_row (const PdStoreListRow *row,
          gpointer              user_data)
{
  RowsRead *read = user_data;
  GStringChunk *chunk = g_string_chunk_new (64);
  PdStoreListRow *copy = g_memdup2 (row, sizeof *row);

  /* The strings are borrowed for the call only: copied here, checked after the read. */
  copy->name = copy_text (chunk, row->name);
  copy->domain = copy_text (chunk, row->domain);
  copy->erp_id = copy_text (chunk, row->erp_id);
  copy->country = copy_text (chunk, row->country);
  copy->currency = copy_text (chunk, row->currency);
  copy->account_manager = copy_text (chunk, row->account_manager);
  copy->reseller_id = copy_text (chunk, row->reseller_id);
  copy->reseller_name = copy_text (chunk, row->reseller_name);
  copy->segments = copy_text (chunk, row->segments);
  copy->notes = copy_text (chunk, row->notes);
  copy->email = copy_text (chunk, row->email);
  copy->city = copy_text (chunk, row->city);
  copy->bill_to_read_error = copy_text (chunk, row->bill_to_read_error);
  g_hash_table_insert (read->rows, copy, chunk);
  read->n_seen++;
  return read->stop_after == 0 || read->n_seen < read->stop_after;
}

static void
free_chunk (gpointer chunk)
{
  g_string_chunk_free (chunk);
}

static guint
row_hash (gconstpointer row)
{
  return g_int64_hash (&((const PdStoreListRow *) row)->id);
}

static gboolean
row_equal (gconstpointer a,
           gconstpointer b)
{
  return ((const PdStoreListRow *) a)->id == ((const PdStoreListRow *) b)->id;
}

static guint32
local_field_mask (PdOrganization *org)
{
  guint32 mask = 0;

  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    if (pd_organization_is_field_overridden (org, i))
      mask |= 1u << i;
  return mask;
}

static guint32
missing_field_mask (PdOrganization *org)
{
  const char * const *paths = pd_organization_get_missing_fields (org);
  guint32 mask = 0;

  for (guint i = 0; paths[i] != NULL; i++)
    {
      PdBillToField field;

      g_assert_true (pd_missing_field_from_path (paths[i], &field));
      mask |= 1u << field;
    }
  return mask;
}

/* A narrow row says what the whole organization says. */
static void
assert_row_is_org (const PdStoreListRow *row,
                   PdOrganization       *org)
{
  const PdBillTo *bill_to = pd_organization_get_bill_to (org);
  const char * const *segments = pd_organization_get_segments (org);
  g_autofree char *joined = segments != NULL && segments[0] != NULL
                            ? g_strjoinv (", ", (char **) segments) : NULL;

  g_assert_cmpstr (row->name, ==, pd_organization_get_name (org));
  g_assert_cmpstr (row->domain, ==, pd_organization_get_domain (org));
  g_assert_cmpstr (row->erp_id, ==, pd_organization_get_erp_id (org));
  g_assert_cmpstr (row->country, ==, pd_organization_get_country (org));
  g_assert_cmpstr (row->currency, ==, pd_organization_get_currency (org));
  g_assert_cmpstr (row->account_manager, ==, pd_organization_get_account_manager (org));
  g_assert_cmpstr (row->reseller_id, ==, pd_organization_get_reseller_id (org));
  g_assert_cmpstr (row->reseller_name, ==, pd_organization_get_reseller_name (org));
  g_assert_cmpstr (row->segments, ==, joined);
  g_assert_cmpstr (row->notes, ==, pd_organization_get_notes (org));
  g_assert_cmpstr (row->email, ==, pd_bill_to_get (bill_to, PD_BILL_TO_EMAIL));
  g_assert_cmpstr (row->city, ==, pd_bill_to_get (bill_to, PD_BILL_TO_CITY));
  g_assert_cmpstr (row->bill_to_read_error, ==, pd_organization_get_bill_to_read_error (org));
  g_assert_cmpuint (row->local_mask, ==, local_field_mask (org));
  g_assert_cmpint (row->bill_to_state, ==, pd_organization_get_bill_to_state (org));
  g_assert_cmpuint (row->missing_mask, ==, missing_field_mask (org));
  g_assert_cmpint (row->source, ==, pd_organization_get_source (org));
  g_assert_cmpint (row->status, ==, pd_organization_get_status (org));
  g_assert_cmpint (row->account_status, ==, pd_organization_get_account_status (org));
  g_assert_cmpint (row->removed, ==, pd_organization_get_removed (org));
  g_assert_cmpint (row->possible_duplicate, ==, pd_organization_get_possible_duplicate (org));
  g_assert_cmpint (row->has_last_synced, ==, pd_organization_get_last_synced_at (org) != NULL);
  if (row->has_last_synced)
    g_assert_cmpint (row->last_synced_at, ==,
                     g_date_time_to_unix (pd_organization_get_last_synced_at (org)));
}

/* pd_store_list_rows gives of every organization what pd_store_list's objects say (local
 * bill-to edits applied, local fields, reseller, duplicates, missing fields), honours the
 * query, and stops when asked. */
static void
test_list_rows (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_search_fixture (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) rows = g_hash_table_new_full (row_hash, row_equal, g_free, free_chunk);
  g_autoptr(PdOrganization) reseller_org = NULL;
  g_autoptr(GPtrArray) all = NULL;
  RowsRead read = { rows, 0, 0 };
  PdStoreQuery query = { .search = "cont" };
  gint64 mueller = store_test_find_id (store, TENANT_B);
  gint64 contoso = store_test_find_id (store, TENANT_A);

  reseller_org = store_test_pc_org (TENANT_B, "Müller GmbH", "mueller.de", "München",
                                    "info@mueller.de", "e2");
  pd_organization_set_reseller (reseller_org, "r-1", "Reseller One");
  store_test_apply (store, 0, g_object_ref (reseller_org), NULL);
  g_assert_true (pd_store_set_bill_to_field (store, mueller, PD_BILL_TO_CITY, "Köln", &error));
  g_assert_true (pd_store_set_bill_to_field (store, mueller, PD_BILL_TO_COUNTRY, "AT", &error));
  g_assert_true (pd_store_set_field (store, contoso, "segments", "Retail, Education", &error));
  g_assert_true (pd_store_set_field (store, contoso, "notes", "Key account", &error));
  g_assert_true (pd_store_set_field (store, contoso, "account-manager", "Anna", &error));
  g_assert_no_error (error);

  g_assert_true (pd_store_list_rows (store, NULL, keep_row, &read, &error));
  g_assert_no_error (error);
  all = pd_store_list (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (rows), ==, all->len);
  for (guint i = 0; i < all->len; i++)
    {
      PdOrganization *org = g_ptr_array_index (all, i);
      PdStoreListRow key = { .id = pd_organization_get_id (org) };
      PdStoreListRow *row = NULL;

      g_assert_true (g_hash_table_lookup_extended (rows, &key, (gpointer *) &row, NULL));
      assert_row_is_org (row, org);
    }
  /* The edits the fixture made are there (not only equal to the objects). */
  {
    PdStoreListRow key = { .id = mueller };
    PdStoreListRow *row = NULL;

    g_assert_true (g_hash_table_lookup_extended (rows, &key, (gpointer *) &row, NULL));
    g_assert_cmpstr (row->city, ==, "Köln");
    g_assert_cmpstr (row->country, ==, "AT");
    g_assert_cmpstr (row->reseller_name, ==, "Reseller One");
    g_assert_cmpuint (row->local_mask, ==, (1u << PD_BILL_TO_CITY) | (1u << PD_BILL_TO_COUNTRY));
  }

  g_hash_table_remove_all (rows);
  g_assert_true (pd_store_list_rows (store, &query, keep_row, &read, &error));
  g_assert_cmpuint (g_hash_table_size (rows), ==, 2);

  g_hash_table_remove_all (rows);
  read.n_seen = 0;
  read.stop_after = 1;
  g_assert_true (pd_store_list_rows (store, NULL, keep_row, &read, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (rows), ==, 1);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

/* pd_store_list_ids_by_name: every organization once, by name with ASCII case folding only
 * (SQLite's NOCASE: "a" and "A" tie and go by id, "Ä" after every ASCII letter), then id. */
static void
test_list_ids_by_name (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  const char *names[] = { "b", "A", "Äpfel", "a", "_", "B", "zz", "ab" };
  /* Indices into names, in the expected order. */
  const guint expected[] = { 4, 1, 3, 7, 0, 5, 6, 2 };
  gint64 created[G_N_ELEMENTS (names)];

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      created[i] = pd_store_create_manual (store, names[i], NULL, "DE", NULL, &error);
      g_assert_no_error (error);
    }
  ids = pd_store_list_ids_by_name (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (g_array_index (ids, gint64, i), ==, created[expected[i]]);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

typedef struct {
  GArray *seen;     /* the ids given, in order */
  guint   stop_at;  /* stop after this many (0: never) */
  char   *city_of_a;
} Collected;

static gboolean
collect_id (PdOrganization *org,
            gpointer        data)
{
  Collected *c = data;
  gint64 id = pd_organization_get_id (org);

  g_array_append_val (c->seen, id);
  if (g_strcmp0 (pd_organization_get_tenant_id (org), STORE_TEST_SEARCH_TENANT_A) == 0)
    {
      g_free (c->city_of_a);
      c->city_of_a = g_strdup (pd_bill_to_get (pd_organization_get_bill_to (org),
                                               PD_BILL_TO_CITY));
    }
  return c->stop_at == 0 || c->seen->len < c->stop_at;
}

/* What the app exports: the organizations of a list of ids, in that order (across the chunks
 * they are read in), with local bill-to edits applied, without the ids no longer there. */
static void
test_foreach_of_ids (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_search_fixture (&dir);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  Collected c = { g_array_new (FALSE, FALSE, sizeof (gint64)), 0, NULL };
  gint64 a = store_test_find_id (store, STORE_TEST_SEARCH_TENANT_A);
  gint64 gone = G_MAXINT32;

  g_assert_true (pd_store_set_bill_to_field (store, a, PD_BILL_TO_CITY, "Potsdam", &error));
  g_assert_no_error (error);
  /* 250 more, asked for from the last created to the first, a: in the middle, then one that
   * does not exist. */
  for (guint i = 0; i < 250; i++)
    {
      g_autofree char *name = g_strdup_printf ("Organization %03u", i);
      gint64 id = pd_store_create_manual (store, name, NULL, "DE", NULL, &error);

      g_assert_no_error (error);
      g_array_prepend_val (ids, id);
    }
  g_array_insert_val (ids, 120, a);
  g_array_append_val (ids, gone);
  g_array_append_vals (expected, ids->data, ids->len - 1);

  g_assert_true (pd_store_foreach_of_ids (store, (const gint64 *) (gpointer) ids->data, ids->len,
                                          collect_id, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (c.seen->data, c.seen->len * sizeof (gint64),
                   expected->data, expected->len * sizeof (gint64));
  g_assert_cmpstr (c.city_of_a, ==, "Potsdam");

  /* Stopped by the callback in the second chunk: nothing after. */
  g_array_set_size (c.seen, 0);
  c.stop_at = 150;
  g_assert_true (pd_store_foreach_of_ids (store, (const gint64 *) (gpointer) ids->data, ids->len,
                                          collect_id, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c.seen->len, ==, 150);
  g_assert_cmpmem (c.seen->data, 150 * sizeof (gint64), expected->data, 150 * sizeof (gint64));
  g_array_unref (c.seen);
  g_free (c.city_of_a);
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

/* Each filter's count as a fresh COUNT(*) over every row (NOT INDEXED: none of the indexes
 * pd_store_count_filters counts on), through a connection of its own. */
static void
fresh_counts (const char *path,
              guint      *counts)
{
  static const char * const sql[PD_N_FILTERS] = {
    [PD_FILTER_ALL] = "SELECT count(*) FROM organizations NOT INDEXED",
    [PD_FILTER_INCOMPLETE] = "SELECT count(*) FROM organizations NOT INDEXED "
                             "WHERE missing_mask != 0",
    [PD_FILTER_UNREADABLE] = "SELECT count(*) FROM organizations NOT INDEXED "
                             "WHERE bill_to_state != 0 AND bill_to_error IS NOT NULL",
    [PD_FILTER_LOCAL_EDITS] = "SELECT count(*) FROM organizations o NOT INDEXED WHERE EXISTS "
                              "(SELECT 1 FROM bill_to_overrides v WHERE v.org_id = o.id)",
    [PD_FILTER_DUPLICATES] = "SELECT count(*) FROM organizations NOT INDEXED WHERE dup != 0",
    [PD_FILTER_MANUAL] = "SELECT count(*) FROM organizations NOT INDEXED WHERE source = 1",
    [PD_FILTER_REMOVED] = "SELECT count(*) FROM organizations NOT INDEXED WHERE removed != 0",
    [PD_FILTER_UNDER_REVIEW] = "SELECT count(*) FROM organizations NOT INDEXED "
                               "WHERE account_status = 2",
    [PD_FILTER_NEW] = "SELECT count(*) FROM organizations o NOT INDEXED WHERE NOT EXISTS "
                      "(SELECT 1 FROM local_fields n WHERE n.org_id = o.id AND n.status != 0)",
  };
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < PD_N_FILTERS; i++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql[i], -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      counts[i] = (guint) sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
}

/* The counts of pd_store_count_filters are a fresh COUNT(*)'s; returns them. */
static guint *
assert_counts_fresh (PdStore *store,
                     guint   *counts)
{
  g_autoptr(GError) error = NULL;
  guint fresh[PD_N_FILTERS];

  g_assert_true (pd_store_count_filters (store, NULL, counts, &error));
  g_assert_no_error (error);
  fresh_counts (pd_store_get_path (store), fresh);
  for (guint i = 0; i < PD_N_FILTERS; i++)
    {
      g_test_message ("filter %u: %u counted, %u fresh", i, counts[i], fresh[i]);
      g_assert_cmpuint (counts[i], ==, fresh[i]);
    }
  return counts;
}

/* The counts of the whole cache come from indexes (schema 6), not from a pass over every row:
 * after every kind of write they are still what a fresh COUNT(*) says. */
static void
test_counts_after_each_write (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autoptr(GError) error = NULL;
  PdBillToField city = PD_BILL_TO_CITY;
  guint counts[PD_N_FILTERS];
  gint64 run, manual, a;

  assert_counts_fresh (store, counts);
  /* A sync upsert: a complete customer, an incomplete one (no city), two sharing a name. */
  run = store_test_begin_run (store, NULL);
  store_test_apply (store, run,
                    store_test_pc_org (TENANT_A, "Contoso", "contoso.com", "Berlin",
                                       "a@contoso.com", "e1"),
                    store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com", NULL,
                                       "b@fabrikam.com", "e1"),
                    store_test_pc_org (TENANT_C, "Contoso", "contoso.de", "Berlin",
                                       "c@contoso.de", "e1"), NULL);
  assert_counts_fresh (store, counts);
  store_test_finish_run (store, run);   /* the duplicate flags, settled at the run's end */
  g_assert_cmpuint (assert_counts_fresh (store, counts)[PD_FILTER_DUPLICATES], ==, 2);
  g_assert_cmpuint (counts[PD_FILTER_INCOMPLETE], ==, 1);
  g_assert_cmpuint (counts[PD_FILTER_NEW], ==, 3);
  a = store_test_find_id (store, TENANT_A);

  /* Edits: a local bill-to edit, a status, the account verification; then a revert. */
  g_assert_true (pd_store_set_bill_to_field (store, a, PD_BILL_TO_CITY, "Hamburg", &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_set_field (store, a, "status", "active", &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_set_account_status (store, a, PD_ACCOUNT_STATUS_UNDER_REVIEW, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (assert_counts_fresh (store, counts)[PD_FILTER_LOCAL_EDITS], ==, 1);
  g_assert_cmpuint (counts[PD_FILTER_NEW], ==, 2);
  g_assert_cmpuint (counts[PD_FILTER_UNDER_REVIEW], ==, 1);
  g_assert_true (pd_store_revert_bill_to (store, a, &city, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (assert_counts_fresh (store, counts)[PD_FILTER_LOCAL_EDITS], ==, 0);

  /* A manual organization with the name of two others, then linked to one of their tenants. */
  manual = pd_store_create_manual (store, "Contoso", "contoso.se", "SE", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assert_counts_fresh (store, counts)[PD_FILTER_MANUAL], ==, 1);
  g_assert_cmpuint (counts[PD_FILTER_DUPLICATES], ==, 3);
  g_assert_cmpint (pd_store_link (store, manual, TENANT_C, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (assert_counts_fresh (store, counts)[PD_FILTER_MANUAL], ==, 0);
  g_assert_cmpuint (counts[PD_FILTER_ALL], ==, 3);

  /* A renaming sync ends a duplicate pair; a run that does not see B marks it removed. */
  run = store_test_begin_run (store, NULL);
  store_test_apply (store, run,
                    store_test_pc_org (TENANT_A, "Contoso Nord", "contoso.com", "Berlin",
                                       "a@contoso.com", "e2"),
                    store_test_pc_org (TENANT_C, "Contoso", "contoso.de", "Berlin",
                                       "c@contoso.de", "e1"), NULL);
  g_assert_cmpuint (pd_store_mark_unseen_removed (store, run, &error), ==, 1);
  g_assert_no_error (error);
  store_test_finish_run (store, run);
  g_assert_cmpuint (assert_counts_fresh (store, counts)[PD_FILTER_REMOVED], ==, 1);
  g_assert_cmpuint (counts[PD_FILTER_DUPLICATES], ==, 0);

  /* A customer the listing stored, whose bill-to is not readable. */
  g_assert_true (pd_store_set_bill_to_unreadable (store, TENANT_B, "refused", &error));
  {
    g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_object_unref);
    PdOrganization *d = pd_organization_new ();

    pd_organization_set_tenant_id (d, TENANT_D);
    pd_organization_set_name (d, "Northwind");
    g_ptr_array_add (listed, d);
    g_assert_true (pd_store_apply_listing (store, 0, listed, NULL, &error));
    g_assert_no_error (error);
  }
  /* Listed and not read yet: not counted as not readable until a read fails. */
  g_assert_cmpuint (assert_counts_fresh (store, counts)[PD_FILTER_UNREADABLE], ==, 0);
  g_assert_true (pd_store_set_bill_to_unreadable (store, TENANT_D, "not found (404)", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (assert_counts_fresh (store, counts)[PD_FILTER_UNREADABLE], ==, 1);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

static void
test_meta_and_countries (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_search_fixture (&dir);
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
  g_autoptr(PdStore) store = store_test_open_search_fixture (&dir);
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

/* Another process (the timer's sync) saves Partner Center's rule while the app's store is
 * open: the app's store takes it before it writes a mask or hands out the rules. Before, an
 * edit in the app re-flagged a German customer by the old rule ("incomplete"), and the CLI's
 * show, judging live, said "orders can be placed" of it. */
static void
test_country_rule_of_other_process (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) app = store_test_open_search_fixture (&dir);
  g_autoptr(PdStore) timer = NULL;
  g_autoptr(PdCountryRule) rule = pd_country_rule_new ("DE");
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  const PdCountryRule *in_use;

  timer = pd_store_open (pd_store_get_path (app), &error);
  g_assert_no_error (error);
  rule->postal_code_required = TRUE;
  rule->postal_code_pattern = g_strdup ("^D-[0-9]{5}$");
  g_assert_true (pd_store_save_country_rule (timer, rule, &error));
  g_assert_no_error (error);

  org = pd_store_find_by_tenant (app, TENANT_A, &error);
  g_assert_true (pd_store_set_bill_to_field (app, pd_organization_get_id (org), PD_BILL_TO_CITY,
                                             "Köln", &error));
  g_assert_no_error (error);
  g_clear_object (&org);
  org = pd_store_find_by_tenant (app, TENANT_A, &error);
  g_assert_false (pd_organization_get_bill_to_complete (org));
  g_assert_cmpstr (pd_organization_get_missing_fields (org)[0], ==, "address.postalCode");
  in_use = pd_country_rules_lookup (pd_store_get_country_rules (app), "DE");
  g_assert_cmpstr (in_use->postal_code_pattern, ==, "^D-[0-9]{5}$");
  g_clear_object (&timer);
  g_clear_object (&app);
  pd_test_rm_rf (dir);
}

/* A local edit moves Contoso's bill-to to Austria; Partner Center's stays in Germany, and order
 * readiness is judged on it: a new German rule re-evaluates Contoso too, and Germany stays
 * among the countries whose rules a sync fetches. Before, only rows shown in Germany were
 * re-evaluated: Contoso stayed "complete" in the filter, the counts, CSV and JSON, while the
 * editor said Partner Center lacks the postal code. */
static void
test_country_rule_judges_partner_center_country (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_search_fixture (&dir);
  g_autoptr(PdCountryRule) rule = pd_country_rule_new ("DE");
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_auto(GStrv) countries = NULL;
  guint counts[PD_N_FILTERS];

  org = pd_store_find_by_tenant (store, TENANT_A, &error);
  g_assert_true (pd_store_set_bill_to_field (store, pd_organization_get_id (org),
                                             PD_BILL_TO_COUNTRY, "AT", &error));
  g_assert_no_error (error);
  g_clear_object (&org);
  countries = pd_store_dup_countries (store);
  g_assert_true (g_strv_contains ((const char * const *) countries, "DE"));

  rule->postal_code_required = TRUE;
  rule->postal_code_pattern = g_strdup ("^D-[0-9]{5}$");
  g_assert_true (pd_store_save_country_rule (store, rule, &error));
  g_assert_no_error (error);
  org = pd_store_find_by_tenant (store, TENANT_A, &error);
  g_assert_false (pd_organization_get_bill_to_complete (org));
  g_assert_true (g_strv_contains (pd_organization_get_missing_fields (org),
                                  "address.postalCode"));
  g_assert_true (pd_store_count_filters (store, NULL, counts, &error));
  g_assert_cmpuint (counts[PD_FILTER_INCOMPLETE], ==, 4);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

/* Saving the rule already in use (the weekly refresh) re-evaluates no organization: every mask
 * already follows it. A mask written behind the store's back shows which rows were rewritten:
 * the same rule leaves it, another rule for the country re-evaluates it. */
static void
test_country_rule_saved_again (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_search_fixture (&dir);
  g_autofree char *path = g_strdup (pd_store_get_path (store));
  g_autoptr(PdCountryRule) rule = pd_country_rule_new ("DE");
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;

  rule->postal_code_required = TRUE;
  g_assert_true (pd_store_save_country_rule (store, rule, &error));
  g_assert_no_error (error);
  store_test_exec_raw (path, "UPDATE organizations SET missing_mask = 1 WHERE tenant_id = '"
                             TENANT_A "'");

  g_assert_true (pd_store_save_country_rule (store, rule, &error));
  g_assert_no_error (error);
  org = pd_store_find_by_tenant (store, TENANT_A, &error);
  g_assert_cmpstr (pd_organization_get_missing_fields (org)[0], ==, "companyName");
  g_clear_object (&org);

  rule->city_required = TRUE;
  g_assert_true (pd_store_save_country_rule (store, rule, &error));
  g_assert_no_error (error);
  org = pd_store_find_by_tenant (store, TENANT_A, &error);
  g_assert_true (pd_organization_get_bill_to_complete (org));
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

/* ---- a read of two statements sees one state of the file ---- */

/* Another connection's commit (another process's sync) that lands in the middle of a read: at
 * the start of the first statement after the one that first names bill_to_overrides, i.e.
 * between reading the rows and their local edits, whichever comes first. */
typedef struct {
  PdStore  *other;
  gboolean  seen_overrides;
  gboolean  landed;
} Interleave;

static int
commit_in_between (unsigned  type,
                   void     *data,
                   void     *stmt,
                   void     *unused)
{
  Interleave *in = data;
  const char *sql = sqlite3_sql (stmt);

  if (in->landed || sql == NULL)
    return 0;
  if (!in->seen_overrides)
    {
      in->seen_overrides = strstr (sql, "bill_to_overrides") != NULL;
      return 0;
    }
  in->landed = TRUE;
  /* Partner Center renamed the customer and changed the city its local edit had changed: the
   * sync replaces the edit (the state after is "Contoso Renamed" in Oslo). */
  store_test_apply (in->other, 0, store_test_pc_org (STORE_TEST_TENANT, "Contoso Renamed",
                                                     "contoso.com", "Oslo", "a@contoso.com",
                                                     "e2"), NULL);
  return 0;
}

/* What a read found: the fixture's organization's name and effective city. */
typedef struct {
  char *name;
  char *city;
} Found;

/* The reads of rows with their local edits: by id, the list's rows, every organization (the
 * CLI's list and export), and chosen ones (the app's export). */
typedef enum {
  READ_BY_ID,
  READ_LIST_ROWS,
  READ_FOREACH,
  READ_FOREACH_OF_IDS,
} Read;

static gboolean
found_org (PdOrganization *org,
           gpointer        data)
{
  Found *found = data;

  found->name = g_strdup (pd_organization_get_name (org));
  found->city = g_strdup (store_test_effective (org, PD_BILL_TO_CITY));
  return TRUE;
}

static gboolean
found_row (const PdStoreListRow *row,
           gpointer              data)
{
  Found *found = data;

  found->name = g_strdup (row->name);
  found->city = g_strdup (row->city);
  return TRUE;
}

static void
read_fixture (StoreTestFixture *f,
              Read              read,
              Found            *found)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  gboolean ok = TRUE;

  switch (read)
    {
    case READ_BY_ID:
      org = store_test_fixture_get (f);
      found_org (org, found);
      break;
    case READ_LIST_ROWS:
      ok = pd_store_list_rows (f->store, NULL, found_row, found, &error);
      break;
    case READ_FOREACH:
      ok = pd_store_foreach (f->store, NULL, found_org, found, &error);
      break;
    case READ_FOREACH_OF_IDS:
      ok = pd_store_foreach_of_ids (f->store, &f->id, 1, found_org, found, &error);
      break;
    }
  g_assert_no_error (error);
  g_assert_true (ok);
}

/* Each read gives the state before the other commit (the local edit "Leipzig" on "Contoso")
 * or the one after ("Contoso Renamed" in Oslo), never Partner Center's new row with the edit
 * it replaced, nor the old row without its edit. */
static void
test_read_one_state (StoreTestFixture *f,
                     gconstpointer     data)
{
  Read read = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) after = NULL;
  Interleave in = { pd_store_open (pd_store_get_path (f->store), &error), FALSE, FALSE };
  Found found = { NULL, NULL };
  g_autofree char *state = NULL;

  g_assert_no_error (error);
  store_test_fixture_override (f, PD_BILL_TO_CITY, "Leipzig");
  sqlite3_trace_v2 (f->store->db, SQLITE_TRACE_STMT, commit_in_between, &in);
  read_fixture (f, read, &found);
  sqlite3_trace_v2 (f->store->db, 0, NULL, NULL);

  g_assert_true (in.landed);
  state = g_strdup_printf ("%s in %s", found.name, found.city);
  if (g_str_equal (found.name, "Contoso"))
    g_assert_cmpstr (state, ==, "Contoso in Leipzig");
  else
    g_assert_cmpstr (state, ==, "Contoso Renamed in Oslo");
  after = store_test_fixture_get (f);
  g_assert_cmpstr (store_test_effective (after, PD_BILL_TO_CITY), ==, "Oslo");
  g_free (found.name);
  g_free (found.city);
  g_object_unref (in.other);
}

static void
add_read_one_state (const char *path,
                    Read        read)
{
  g_test_add (path, StoreTestFixture, GINT_TO_POINTER (read), store_test_fixture_set_up,
              test_read_one_state, store_test_fixture_tear_down);
}

static gboolean
count_row (const PdStoreListRow *row,
           gpointer              user_data)
{
  (*(guint *) user_data)++;
  return TRUE;
}

/* The data version moves when another connection (another process) commits, and only then:
 * the app reloads on it, and must not reload for its own writes. */
static void
test_data_version (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autoptr(PdStore) other = NULL;
  g_autoptr(GError) error = NULL;
  gint64 first = 0, after_own = 0, after_other = 0;
  gint64 id;

  other = pd_store_open (pd_store_get_path (store), &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_get_data_version (store, &first, &error));
  g_assert_no_error (error);
  id = pd_store_create_manual (store, "Adams Trucking", "adams.example", "US", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_get_data_version (store, &after_own, &error));
  g_assert_cmpint (after_own, ==, first);

  g_assert_true (pd_store_set_field (other, id, "notes", "from elsewhere", &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_get_data_version (store, &after_other, &error));
  g_assert_no_error (error);
  g_assert_cmpint (after_other, !=, after_own);
  g_clear_object (&other);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

/* Between pd_store_begin_reading and pd_store_end_reading the counts and the organizations
 * stay as they were at the first read, while another connection (another program) creates
 * one; after, it is seen. */
static void
test_reading_one_state (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autoptr(PdStore) other = NULL;
  g_autoptr(GError) error = NULL;
  guint counts[PD_N_FILTERS] = { 0 };
  gint64 id;

  other = pd_store_open (pd_store_get_path (store), &error);
  g_assert_no_error (error);
  pd_store_create_manual (store, "Adams Trucking", "adams.example", "US", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_begin_reading (store, &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_count_filters (store, NULL, counts, &error));
  g_assert_cmpuint (counts[PD_FILTER_ALL], ==, 1);

  id = pd_store_create_manual (other, "Baker Foods", "baker.example", "DE", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_true (pd_store_count_filters (store, NULL, counts, &error));
  g_assert_cmpuint (counts[PD_FILTER_ALL], ==, 1);
  g_assert_cmpuint (pd_store_count (store), ==, 1);
  g_assert_null (pd_store_get (store, id, NULL));
  pd_store_end_reading (store);

  g_assert_true (pd_store_count_filters (store, NULL, counts, &error));
  g_assert_cmpuint (counts[PD_FILTER_ALL], ==, 2);
  g_assert_cmpuint (pd_store_count (store), ==, 2);
  /* Read again after: a second snapshot begins. */
  g_assert_true (pd_store_begin_reading (store, &error));
  g_assert_cmpuint (pd_store_count (store), ==, 2);
  pd_store_end_reading (store);
  g_clear_object (&other);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

/* After a read of every row (the list's load), the connection gives back its page cache: the
 * app keeps that connection for the next load, and at a million customers the cache held
 * 32 MB of pages read once. */
static void
test_release_memory (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  sqlite3_int64 before;
  guint n_read = 0;

  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *tenant = g_strdup_printf ("0c1d2e3f-0000-4000-8000-%012x", i);
      g_autofree char *name = g_strdup_printf ("Customer %u with a name long enough", i);

      g_ptr_array_add (orgs, store_test_pc_org (tenant, name, NULL, "Berlin",
                                                "billing@example.com", "e1"));
    }
  g_assert_true (pd_store_apply_partner_center (store, 0, orgs, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_list_rows (store, NULL, count_row, &n_read, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_read, ==, 3000);
  before = sqlite3_memory_used ();
  pd_store_release_memory (store);
  /* The pages of 3,000 rows of some 500 bytes: more than a megabyte. */
  g_assert_cmpint (before - sqlite3_memory_used (), >, 1000000);
  /* And the connection reads on as before. */
  n_read = 0;
  g_assert_true (pd_store_list_rows (store, NULL, count_row, &n_read, &error));
  g_assert_cmpuint (n_read, ==, 3000);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

int
main (int argc, char *argv[])
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/store/list/filters-and-counts", test_filters_and_counts);
  g_test_add_func ("/store/list/reading-one-state", test_reading_one_state);
  g_test_add_func ("/store/list/counts-after-each-write", test_counts_after_each_write);
  g_test_add_func ("/store/list/rows", test_list_rows);
  g_test_add_func ("/store/list/ids-by-name", test_list_ids_by_name);
  g_test_add_func ("/store/list/foreach-of-ids", test_foreach_of_ids);
  add_read_one_state ("/store/one-state/get", READ_BY_ID);
  add_read_one_state ("/store/one-state/list-rows", READ_LIST_ROWS);
  add_read_one_state ("/store/one-state/foreach", READ_FOREACH);
  add_read_one_state ("/store/one-state/foreach-of-ids", READ_FOREACH_OF_IDS);
  g_test_add_func ("/store/duplicates/within-batch", test_duplicates_within_batch);
  g_test_add_func ("/store/duplicates/settled-by-run", test_duplicates_settled_by_run);
  g_test_add_func ("/store/meta-and-countries", test_meta_and_countries);
  g_test_add_func ("/store/country-rules/saved", test_country_rule_saved);
  g_test_add_func ("/store/country-rules/judge-partner-center-country",
                   test_country_rule_judges_partner_center_country);
  g_test_add_func ("/store/country-rules/saved-again", test_country_rule_saved_again);
  g_test_add_func ("/store/country-rules/of-other-process", test_country_rule_of_other_process);
  g_test_add_func ("/store/release-memory", test_release_memory);
  g_test_add_func ("/store/data-version", test_data_version);
  return g_test_run ();
}
