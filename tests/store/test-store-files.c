/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store-files.c — PdStore and the file on disk: creating it private, its default path,
 * migration from versions 1 and 2, corrupt and newer files left untouched, and a reader on its
 * own connection beside a bulk upsert. */
#include "config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include <glib/gstdio.h>

#include "pd-test-util.h"
#include "store-test-helpers.h"

/* ---- helpers ---- */

/* dir/name, a database made from the SQL text of tests/data/fixture. */
static char *
file_from_fixture (const char *dir,
                   const char *name,
                   const char *fixture)
{
  g_autofree char *fixture_path = pd_test_data_path (fixture);
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_get_contents (fixture_path, &sql, NULL, &error));
  g_assert_no_error (error);
  store_test_exec_raw (path, sql);
  return path;
}

typedef struct {
  GBytes *bytes;
  gint64  mtime_ns;
} FileState;

static FileState
file_state (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  GStatBuf st;
  FileState state;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  state.bytes = g_bytes_new (contents, length);
  state.mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) +
                   st.st_mtim.tv_nsec;
  return state;
}

static void
assert_sidecars_absent (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);

  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
}

/* Opening path fails with code and a message naming the file, and the file (bytes and
 * modification time) and its folder stay exactly as they were. */
static void
assert_open_refused (const char   *path,
                     PdStoreError  code)
{
  FileState before = file_state (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  FileState after;

  store = pd_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, PD_STORE_ERROR, (int) code);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "untouched"));
  after = file_state (path);
  g_assert_true (g_bytes_equal (before.bytes, after.bytes));
  g_assert_cmpint (before.mtime_ns, ==, after.mtime_ns);
  assert_sidecars_absent (path);
  g_bytes_unref (before.bytes);
  g_bytes_unref (after.bytes);
}

static char *
make_closed_store (const char *dir)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "partner-desk.db", NULL);
  g_autoptr(PdStore) store = pd_store_open (path, &error);

  g_assert_no_error (error);
  store_test_apply (store, 0, store_test_pc_org ("5e1f0000-0000-4000-8000-000000000001",
                                                 "Contoso", "contoso.com", "Berlin",
                                                 "a@contoso.com", "e1"), NULL);
  return path;
}

/* Every search in words lists organization id. */
static void
assert_search_finds (PdStore     *store,
                     gint64       id,
                     const char **words)
{
  for (guint i = 0; words[i] != NULL; i++)
    store_test_assert_search (store, words[i], id, TRUE);
}

/* ---- tests ---- */

static void
test_migration_v1 (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = file_from_fixture (dir, "v1.db", "store-v1.sql");
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdOrganization) contoso = NULL;
  g_autoptr(PdOrganization) vinter = NULL;
  g_autoptr(PdOrganization) manual = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) found = NULL;
  PdStoreQuery query = { .search = "espo" };

  g_assert_true (pd_store_needs_upgrade (path));
  store = pd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_store_get_schema_version (store), ==, PD_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (pd_store_count (store), ==, 3);

  contoso = pd_store_find (store, "7D8C8A56-0000-4000-8000-000000000001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_organization_get_name (contoso), ==, "Contoso Ltd");
  g_assert_cmpstr (pd_organization_get_erp_id (contoso), ==, "ERP-1001");
  g_assert_cmpstr (pd_organization_get_currency (contoso), ==, "GBP");
  g_assert_cmpint (pd_organization_get_status (contoso), ==, PD_ORG_STATUS_ACTIVE);
  g_assert_cmpstr (pd_organization_get_notes (contoso), ==, "Key account");
  g_assert_cmpuint (g_strv_length ((char **) pd_organization_get_segments (contoso)), ==, 2);
  g_assert_true (pd_organization_get_delegated_access (contoso));
  g_assert_cmpstr (pd_organization_get_bill_to_etag (contoso), ==, "W/\"etag-1\"");
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (contoso),
                                   PD_BILL_TO_POSTAL_CODE), ==, "SW1A 1AA");
  history = pd_store_get_history (store, pd_organization_get_id (contoso), &error);
  g_assert_cmpuint (history->len, ==, 2);

  vinter = pd_store_find (store, "vinter.fi", &error);
  g_assert_no_error (error);
  g_assert_true (pd_organization_is_field_overridden (vinter, PD_BILL_TO_CITY));
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (vinter), PD_BILL_TO_CITY), ==,
                   "Espoo");
  g_assert_cmpstr (pd_organization_get_override_base_etag (vinter), ==, "W/\"etag-2\"");

  manual = pd_store_find (store, "handmade.se", &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_organization_get_source (manual), ==, PD_ORG_SOURCE_MANUAL);
  g_assert_cmpstr (pd_organization_get_erp_id (manual), ==, "ERP-3003");
  /* The derived data of version 2 was computed during the migration. */
  g_assert_false (pd_organization_get_bill_to_complete (manual));
  found = pd_store_list (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  /* The full-text index was rebuilt from the migrated rows: name, domain, ERP ID, e-mail and
   * the effective city (the override, not the Partner Center city). */
  store_test_assert_search_index (path);
  assert_search_finds (store, pd_organization_get_id (contoso),
                       (const char *[]) { "contoso", "ltd", "contoso.com", "1001", "erp-1001",
                                          "billing", "london", NULL });
  assert_search_finds (store, pd_organization_get_id (vinter),
                       (const char *[]) { "vinter", "vinter.fi", "laskut", "espoo", NULL });
  assert_search_finds (store, pd_organization_get_id (manual),
                       (const char *[]) { "hand made", "handmade.se", "3003", NULL });
  g_assert_cmpuint (store_test_search_count (store, "helsinki"), ==, 0);
  runs = pd_store_list_sync_runs (store, 0, &error);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpstr (((PdSyncRun *) g_ptr_array_index (runs, 0))->correlation_id, ==, "v1-run");

  /* Version 2 tables work. */
  g_assert_true (pd_store_set_meta (store, "k", "v", &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  store_test_assert_integrity (path);   /* checkpoints: the header has the new version */
  g_assert_false (pd_store_needs_upgrade (path));
  pd_test_rm_rf (dir);
}

/* The shared helper, by a name short enough for the assertions below. */
static gint64
query_raw_int (const char *path,
               const char *sql)
{
  return store_test_query_raw_int (path, sql);
}

#define V2_CONTOSO  "2c0a0000-0000-4000-8000-000000000001"
#define V2_VINTER   "2c0a0000-0000-4000-8000-000000000002"
#define V2_ROMASHKA "2c0a0000-0000-4000-8000-000000000003"
#define V2_FABRIKAM "2c0a0000-0000-4000-8000-000000000004"

static PdOrganization *
find_org (PdStore    *store,
          const char *org)
{
  g_autoptr(GError) error = NULL;
  PdOrganization *found = pd_store_find (store, org, &error);

  g_assert_no_error (error);
  g_assert_nonnull (found);
  return found;
}

static const char *
pc_value (PdOrganization *org,
          PdBillToField   field)
{
  return pd_bill_to_get (pd_organization_get_bill_to_partner_center (org), field);
}

/* tests/data/store-v2.sql is what the store of version 2 wrote: the Partner Center bill-to in
 * pc_bill_to, a full-text table with its own copy of the text. */
static void
test_migration_v2 (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = file_from_fixture (dir, "v2.db", "store-v2.sql");
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdOrganization) contoso = NULL;
  g_autoptr(PdOrganization) vinter = NULL;
  g_autoptr(PdOrganization) romashka = NULL;
  g_autoptr(PdOrganization) fabrikam = NULL;
  g_autoptr(PdOrganization) manual = NULL;
  g_autoptr(PdOrganization) again = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *partner = NULL;
  PdStoreQuery all = { 0 };
  guint counts[PD_N_FILTERS];

  g_assert_cmpint (query_raw_int (path, "PRAGMA user_version"), ==, 2);

  store = pd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_store_get_schema_version (store), ==, PD_STORE_SCHEMA_VERSION);
  g_assert_cmpint (PD_STORE_SCHEMA_VERSION, ==, 13);
  g_assert_cmpuint (pd_store_count (store), ==, 5);

  /* Partner Center values and etag moved into the row; local fields and history stay. */
  contoso = find_org (store, V2_CONTOSO);
  g_assert_cmpstr (pd_organization_get_name (contoso), ==, "Contoso Ltd");
  g_assert_cmpstr (pd_organization_get_domain (contoso), ==, "contoso.co.uk");
  g_assert_cmpstr (pd_organization_get_bill_to_etag (contoso), ==, "W/\"c-2\"");
  g_assert_cmpstr (pc_value (contoso, PD_BILL_TO_COMPANY_NAME), ==, "Contoso Ltd");
  g_assert_cmpstr (pc_value (contoso, PD_BILL_TO_EMAIL), ==, "billing@contoso.co.uk");
  g_assert_cmpstr (pc_value (contoso, PD_BILL_TO_FIRST_NAME), ==, "Jane");
  g_assert_cmpstr (pc_value (contoso, PD_BILL_TO_LAST_NAME), ==, "Doe");
  g_assert_cmpstr (pc_value (contoso, PD_BILL_TO_CULTURE), ==, "en-GB");
  g_assert_cmpstr (pc_value (contoso, PD_BILL_TO_LANGUAGE), ==, "en");
  g_assert_cmpstr (pc_value (contoso, PD_BILL_TO_ADDRESS_LINE1), ==, "1 High Street");
  g_assert_null (pc_value (contoso, PD_BILL_TO_ADDRESS_LINE2));
  g_assert_cmpstr (pc_value (contoso, PD_BILL_TO_CITY), ==, "London");
  g_assert_cmpstr (pc_value (contoso, PD_BILL_TO_POSTAL_CODE), ==, "SW1A 1AA");
  g_assert_cmpstr (pc_value (contoso, PD_BILL_TO_COUNTRY), ==, "GB");
  g_assert_cmpstr (pc_value (contoso, PD_BILL_TO_PHONE_NUMBER), ==, "+442071234567");
  g_assert_cmpstr (pc_value (contoso, PD_BILL_TO_ADDRESS_FIRST_NAME), ==, "Jane");
  g_assert_cmpstr (pc_value (contoso, PD_BILL_TO_ADDRESS_LAST_NAME), ==, "Doe");
  g_assert_cmpstr (pd_organization_get_erp_id (contoso), ==, "ERP-2001");
  g_assert_cmpstr (pd_organization_get_notes (contoso), ==, "Key account");
  g_assert_cmpstr (pd_organization_get_account_manager (contoso), ==, "Sam Lee");
  g_assert_cmpuint (g_strv_length ((char **) pd_organization_get_segments (contoso)), ==, 2);
  g_assert_true (pd_organization_get_bill_to_complete (contoso));
  g_assert_false (pd_organization_get_possible_duplicate (contoso));
  g_assert_cmpuint (store_test_count_history (store, pd_organization_get_id (contoso),
                                              "billTo.address.city", PD_CHANGE_BY_SYNC), ==, 1);
  g_assert_cmpuint (store_test_count_history (store, pd_organization_get_id (contoso),
                                              "erpId", PD_CHANGE_BY_USER), ==, 1);

  vinter = find_org (store, V2_VINTER);
  g_assert_cmpstr (pd_organization_get_bill_to_etag (vinter), ==, "W/\"v-1\"");
  g_assert_cmpstr (pc_value (vinter, PD_BILL_TO_CITY), ==, "Helsinki");
  g_assert_true (pd_organization_is_field_overridden (vinter, PD_BILL_TO_CITY));
  g_assert_false (pd_organization_is_field_overridden (vinter, PD_BILL_TO_EMAIL));
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (vinter), PD_BILL_TO_CITY), ==,
                   "Espoo");
  g_assert_cmpstr (pd_organization_get_override_base_etag (vinter), ==, "W/\"v-1\"");
  g_assert_true (pd_organization_get_bill_to_complete (vinter));

  /* Complete at version 2; version 3 counts the registration number Russia requires. */
  romashka = find_org (store, V2_ROMASHKA);
  g_assert_cmpstr (pd_organization_get_bill_to_etag (romashka), ==, "W/\"r-1\"");
  g_assert_cmpstr (pc_value (romashka, PD_BILL_TO_CITY), ==, "Kazan");
  g_assert_cmpstr (pc_value (romashka, PD_BILL_TO_POSTAL_CODE), ==, "420111");
  g_assert_cmpstr (pc_value (romashka, PD_BILL_TO_COUNTRY), ==, "RU");
  g_assert_false (pd_organization_get_bill_to_complete (romashka));
  g_assert_true (g_strv_contains (pd_organization_get_missing_fields (romashka),
                                  "registrationNumber"));
  g_assert_cmpuint (g_strv_length ((char **) pd_organization_get_missing_fields (romashka)), ==, 1);

  fabrikam = find_org (store, V2_FABRIKAM);
  g_assert_true (pd_organization_get_removed (fabrikam));
  g_assert_cmpstr (pd_organization_get_reseller_name (fabrikam), ==, "Adatum Reseller");
  g_assert_cmpstr (pd_organization_get_reseller_id (fabrikam), ==,
                   "9d1e0000-0000-4000-8000-0000000000aa");
  g_assert_cmpstr (pd_organization_get_bill_to_etag (fabrikam), ==, "W/\"f-1\"");
  g_assert_cmpstr (pc_value (fabrikam, PD_BILL_TO_EMAIL), ==, "rechnung@fabrikam.de");

  manual = find_org (store, "handmade.se");
  g_assert_cmpint (pd_organization_get_source (manual), ==, PD_ORG_SOURCE_MANUAL);
  g_assert_null (pd_organization_get_tenant_id (manual));
  g_assert_cmpstr (pd_organization_get_erp_id (manual), ==, "ERP-3003");
  g_assert_cmpint (pd_organization_get_status (manual), ==, PD_ORG_STATUS_ACTIVE);
  g_assert_null (pd_organization_get_bill_to_etag (manual));
  g_assert_false (pd_organization_get_bill_to_complete (manual));
  g_assert_cmpuint (store_test_count_history (store, pd_organization_get_id (manual), "created",
                                              PD_CHANGE_BY_USER), ==, 1);

  g_assert_true (pd_store_count_filters (store, &all, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts[PD_FILTER_INCOMPLETE], ==, 2);
  g_assert_cmpuint (counts[PD_FILTER_LOCAL_EDITS], ==, 1);
  g_assert_cmpuint (counts[PD_FILTER_MANUAL], ==, 1);
  g_assert_cmpuint (counts[PD_FILTER_REMOVED], ==, 1);
  g_assert_cmpuint (counts[PD_FILTER_DUPLICATES], ==, 0);

  /* The new index: every searched field of every organization, the effective city. */
  store_test_assert_search_index (path);
  assert_search_finds (store, pd_organization_get_id (contoso),
                       (const char *[]) { "contoso", "ltd", "contoso.co.uk", "erp-2001", "2001",
                                          "billing", "london", NULL });
  assert_search_finds (store, pd_organization_get_id (vinter),
                       (const char *[]) { "vinter oy", "vinter.fi", "laskut", "espoo", NULL });
  assert_search_finds (store, pd_organization_get_id (romashka),
                       (const char *[]) { "romashka", "ooo", "romashka.ru", "schet", "kazan",
                                          NULL });
  assert_search_finds (store, pd_organization_get_id (fabrikam),
                       (const char *[]) { "fabrikam gmbh", "fabrikam.de", "rechnung", "bremen",
                                          NULL });
  assert_search_finds (store, pd_organization_get_id (manual),
                       (const char *[]) { "handmade", "handmade.se", "erp 3003", NULL });
  g_assert_cmpuint (store_test_search_count (store, "helsinki"), ==, 0);
  g_assert_cmpuint (store_test_search_count (store, "manchester"), ==, 0);
  g_assert_cmpuint (store_test_search_count (store, "erp"), ==, 2);

  runs = pd_store_list_sync_runs (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 2);
  g_assert_cmpstr (((PdSyncRun *) g_ptr_array_index (runs, 0))->correlation_id, ==, "v2-run-2");
  g_assert_cmpuint (((PdSyncRun *) g_ptr_array_index (runs, 0))->n_removed, ==, 1);
  events = pd_store_get_run_events (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 4);
  partner = pd_store_get_meta (store, "partner-tenant-id");
  g_assert_cmpstr (partner, ==, "0000aaaa-0000-4000-8000-000000000000");

  /* The migrated cache takes writes: a registration number typed for Romashka (the partner's
   * record: Partner Center's is not read, so Romashka is no more complete), a sync renames
   * it; the index follows. */
  g_assert_true (pd_store_set_field (store, pd_organization_get_id (romashka),
                                     "registration-number", "1655012345", &error));
  g_assert_no_error (error);
  again = find_org (store, V2_ROMASHKA);
  g_assert_cmpstr (pd_organization_get_registration_number (again), ==, "1655012345");
  g_assert_false (pd_organization_get_bill_to_complete (again));
  g_clear_object (&again);
  store_test_apply (store, 0,
                    store_test_pc_org (V2_ROMASHKA, "Romashka Trade", "romashka.ru", "Berlin",
                                       "schet@romashka.ru", "W/\"r-2\""), NULL);
  store_test_assert_search_index (path);
  again = find_org (store, V2_ROMASHKA);
  assert_search_finds (store, pd_organization_get_id (again),
                       (const char *[]) { "romashka trade", "berlin", NULL });
  g_assert_cmpuint (store_test_search_count (store, "kazan"), ==, 0);
  g_assert_cmpuint (store_test_search_count (store, "ooo"), ==, 0);

  g_clear_object (&store);
  store_test_assert_integrity (path);
  g_assert_cmpint (query_raw_int (path, "PRAGMA user_version"), ==, PD_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_raw_int (path, "SELECT count(*) FROM sqlite_schema "
                                        "WHERE name = 'pc_bill_to'"), ==, 0);
  pd_test_rm_rf (dir);
}

/* What version 7 added (and the columns it indexes need gone first). */
/* Back to version 11: no digests of the Partner Center values (nor version 13's table). */
#define DOWN_TO_V11 \
  "DROP TABLE merged_organizations;" \
  "DROP TRIGGER organizations_pc_digest_stale; ALTER TABLE organizations DROP COLUMN pc_digest;"
#define DOWN_TO_V6 DOWN_TO_V11 \
  "DROP INDEX organizations_name; DROP INDEX organizations_name_key;" \
  "DROP INDEX organizations_domain_key; DROP INDEX organizations_manual;" \
  "DROP INDEX organizations_incomplete; DROP INDEX organizations_unreadable;" \
  "DROP INDEX organizations_under_review; DROP INDEX organizations_dup;" \
  "DROP INDEX organizations_removed; DROP INDEX organizations_unindexed;" \
  "DROP TABLE dup_stale_keys;"

/* A cache whose masks counted a local registration number for order readiness (written
 * before it stopped counting: Partner Desk never sends it to Partner Center) is settled once,
 * when opened: the Russian customer with one typed locally is incomplete again. */
static void
test_local_registration_mask_settled (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autoptr(PdOrganization) again = NULL;
  PdTestCustomer russian = { .tenant_id = "44444444-4444-4444-8444-444444444444",
                             .name = "Romashka", .domain = "romashka.ru", .city = "Kazan",
                             .postal_code = "420111", .country = "RU", .phone = "+78432000000" };
  gint64 id;

  store_test_apply (store, 0, pd_test_customer_new (&russian), NULL);
  id = store_test_find_id (store, russian.tenant_id);
  g_assert_true (pd_store_set_field (store, id, "registration-number", "1655012345", &error));
  g_assert_no_error (error);
  path = g_strdup (pd_store_get_path (store));
  g_clear_object (&store);
  /* As the earlier version left it: complete, and the cache not yet settled. */
  sql = g_strdup_printf ("UPDATE organizations SET missing_mask = 0 WHERE id = %" G_GINT64_FORMAT
                         "; DELETE FROM meta WHERE key = 'mask-without-local-registration-number';",
                         id);
  store_test_exec_raw (path, sql);

  store = pd_store_open (path, &error);
  g_assert_no_error (error);
  again = pd_store_get (store, id, &error);
  g_assert_no_error (error);
  g_assert_false (pd_organization_get_bill_to_complete (again));
  g_assert_cmpuint (g_strv_length ((GStrv) pd_organization_get_missing_fields (again)), ==, 1);
  g_assert_cmpstr (pd_organization_get_missing_fields (again)[0], ==, "registrationNumber");
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

/* Version 5 → 6: the table of sync runs' reseller scopes; a v5 cache's runs had none (they
 * covered every customer), and a scope can be recorded after the upgrade. */
static void
test_migration_v5 (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = make_closed_store (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_auto(GStrv) scope = NULL;
  const char * const ids[] = { "R-1", NULL };

  store_test_exec_raw (path, DOWN_TO_V11 "DROP TABLE sync_run_resellers; PRAGMA user_version = 5;");
  g_assert_true (pd_store_needs_upgrade (path));
  store = pd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_raw_int (path, "PRAGMA user_version"), ==, PD_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (pd_store_count (store), ==, 1);
  g_assert_null (pd_store_dup_run_scope (store, 1));
  g_assert_true (pd_store_set_run_scope (store, 1, ids, &error));
  g_assert_no_error (error);
  scope = pd_store_dup_run_scope (store, 1);
  g_assert_cmpstr (scope[0], ==, "r-1");
  g_clear_object (&store);
  store_test_assert_integrity (path);
  pd_test_rm_rf (dir);
}

/* Version 6 → 7: the indexes a million customers need and the table of the duplicate groups a
 * run left stale. The cache keeps its rows, flags and counts; the upgraded one lists by name,
 * counts and settles duplicates as before. */
static void
test_migration_v6 (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = make_closed_store (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GPtrArray) page = NULL;
  PdStoreQuery first = { .limit = 2 };
  guint counts[PD_N_FILTERS];
  gint64 run;

  store = pd_store_open (path, &error);
  g_assert_no_error (error);
  store_test_apply (store, 0,
                    store_test_pc_org ("5e1f0000-0000-4000-8000-000000000002", "Contoso",
                                       "kontor.de", "Berlin", "b@kontor.de", "e1"),
                    store_test_pc_org ("5e1f0000-0000-4000-8000-000000000003", "Alpine",
                                       "alpine.de", "Berlin", "c@alpine.de", "e1"), NULL);
  g_clear_object (&store);
  store_test_exec_raw (path, DOWN_TO_V6 "PRAGMA user_version = 6;");
  g_assert_true (pd_store_needs_upgrade (path));

  store = pd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_raw_int (path, "PRAGMA user_version"), ==, PD_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_raw_int (path, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                                        "AND name LIKE 'organizations\\_%' ESCAPE '\\' "
                                        "AND sql IS NOT NULL"), ==, 11);
  g_assert_true (pd_store_count_filters (store, NULL, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts[PD_FILTER_ALL], ==, 3);
  g_assert_cmpuint (counts[PD_FILTER_DUPLICATES], ==, 2);
  page = pd_store_list (store, &first, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_cmpstr (pd_organization_get_name (g_ptr_array_index (page, 0)), ==, "Alpine");

  /* A run that renames one of the two settles both flags at its end. */
  run = store_test_begin_run (store, NULL);
  store_test_apply (store, run,
                    store_test_pc_org ("5e1f0000-0000-4000-8000-000000000002", "Contoso Nord",
                                       "kontor.de", "Berlin", "b@kontor.de", "e2"), NULL);
  store_test_finish_run (store, run);
  g_assert_true (pd_store_count_filters (store, NULL, counts, &error));
  g_assert_cmpuint (counts[PD_FILTER_DUPLICATES], ==, 0);
  g_clear_object (&store);
  store_test_assert_integrity (path);
  pd_test_rm_rf (dir);
}

/* Version 4 → 5: the account verification columns, never asked for any customer. Then a
 * recorded status reads back, and counts under its filter. */
static void
test_migration_v4 (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = make_closed_store (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdOrganization) before = NULL;
  g_autoptr(PdOrganization) after = NULL;
  PdStoreQuery all = { 0 };
  guint counts[PD_N_FILTERS];

  store_test_exec_raw (path, DOWN_TO_V6
                             "ALTER TABLE organizations DROP COLUMN account_status;"
                             "ALTER TABLE organizations DROP COLUMN account_checked_at;"
                             "DROP TABLE sync_run_resellers;"
                             "PRAGMA user_version = 4;");
  g_assert_true (pd_store_needs_upgrade (path));
  store = pd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_raw_int (path, "PRAGMA user_version"), ==, PD_STORE_SCHEMA_VERSION);
  before = find_org (store, "contoso.com");
  g_assert_cmpint (pd_organization_get_account_status (before), ==, PD_ACCOUNT_STATUS_UNKNOWN);
  g_assert_null (pd_organization_get_account_checked_at (before));

  g_assert_true (pd_store_set_account_status (store, pd_organization_get_id (before),
                                              PD_ACCOUNT_STATUS_UNDER_REVIEW, &error));
  g_assert_no_error (error);
  after = find_org (store, "contoso.com");
  g_assert_cmpint (pd_organization_get_account_status (after), ==,
                   PD_ACCOUNT_STATUS_UNDER_REVIEW);
  g_assert_nonnull (pd_organization_get_account_checked_at (after));
  g_assert_true (pd_store_count_filters (store, &all, counts, &error));
  g_assert_cmpuint (counts[PD_FILTER_UNDER_REVIEW], ==, 1);
  pd_test_rm_rf (dir);
}

/* Version 8 → 9: the table where a re-sync notes the customers it found unchanged. An upgraded
 * cache keeps each customer's last sync; a re-sync that finds it unchanged then advances it and
 * counts it seen, so the run's end does not take it for removed. */
static void
test_migration_v8 (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = make_closed_store (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdOrganization) before = NULL;
  g_autoptr(PdOrganization) after = NULL;
  g_autoptr(PdSyncRun) sr = NULL;
  gint64 run;

  store_test_exec_raw (path, DOWN_TO_V11 "DROP TABLE synced_unchanged;"
                             "UPDATE organizations SET last_synced_at = 1000, "
                             "bill_to_read_at = 1000;"
                             "PRAGMA user_version = 8;");
  g_assert_true (pd_store_needs_upgrade (path));
  store = pd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_raw_int (path, "PRAGMA user_version"), ==, PD_STORE_SCHEMA_VERSION);
  before = find_org (store, "contoso.com");
  g_assert_cmpint (g_date_time_to_unix (pd_organization_get_last_synced_at (before)), ==, 1000);
  g_assert_cmpint (g_date_time_to_unix (pd_organization_get_bill_to_read_at (before)), ==, 1000);

  run = store_test_begin_run (store, NULL);
  store_test_apply (store, run, store_test_pc_org ("5e1f0000-0000-4000-8000-000000000001",
                                                   "Contoso", "contoso.com", "Berlin",
                                                   "a@contoso.com", "e1"), NULL);
  g_assert_cmpuint (pd_store_mark_unseen_removed (store, run, &error), ==, 0);
  g_assert_no_error (error);
  store_test_finish_run (store, run);
  sr = store_test_get_run (store, run);
  g_assert_cmpuint (sr->n_unchanged, ==, 1);
  after = find_org (store, "contoso.com");
  g_assert_false (pd_organization_get_removed (after));
  g_assert_cmpint (g_date_time_to_unix (pd_organization_get_last_synced_at (after)), >, 1000);
  g_assert_cmpint (g_date_time_to_unix (pd_organization_get_bill_to_read_at (after)), >, 1000);
  g_clear_object (&store);
  store_test_assert_integrity (path);
  pd_test_rm_rf (dir);
}

/* Version 9 → 10: synced_unchanged loses its foreign key (SQLite checked every note a re-sync
 * wrote against the organizations table) and keeps its notes; a trigger deletes an
 * organization's note with it, as the cascade did. */
static void
test_migration_v9 (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = make_closed_store (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdOrganization) contoso = NULL;
  g_autofree char *note_manual = NULL;
  gint64 manual;

  /* A new cache has the trigger too. */
  g_assert_cmpint (query_raw_int (path, "SELECT count(*) FROM sqlite_schema WHERE type = "
                                        "'trigger' AND name = 'synced_unchanged_of_deleted'"),
                   ==, 1);
  store_test_exec_raw (path, DOWN_TO_V11 "DROP TRIGGER synced_unchanged_of_deleted;"
                             "DROP TABLE synced_unchanged;"
                             "CREATE TABLE synced_unchanged ("
                             "  org_id INTEGER PRIMARY KEY REFERENCES organizations(id)"
                             "  ON DELETE CASCADE, seen_run INTEGER, synced_at INTEGER NOT NULL);"
                             "INSERT INTO synced_unchanged SELECT id, NULL, 5000 "
                             "FROM organizations WHERE domain = 'contoso.com';"
                             "PRAGMA user_version = 9;");
  g_assert_true (pd_store_needs_upgrade (path));
  store = pd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_raw_int (path, "PRAGMA user_version"), ==, PD_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_raw_int (path, "SELECT count(*) FROM "
                                        "pragma_foreign_key_list ('synced_unchanged')"), ==, 0);
  contoso = find_org (store, "contoso.com");
  g_assert_cmpint (g_date_time_to_unix (pd_organization_get_last_synced_at (contoso)), ==, 5000);

  /* A manual organization linked to Contoso's tenant is merged into it and deleted. */
  manual = pd_store_create_manual (store, "Contoso by hand", NULL, "DE", NULL, &error);
  g_assert_no_error (error);
  note_manual = g_strdup_printf ("INSERT INTO synced_unchanged VALUES (%" G_GINT64_FORMAT
                                 ", NULL, 6000)", manual);
  store_test_exec_raw (path, note_manual);
  g_assert_cmpint (pd_store_link (store, manual, pd_organization_get_tenant_id (contoso), &error),
                   ==, pd_organization_get_id (contoso));
  g_assert_no_error (error);
  g_assert_cmpint (query_raw_int (path, "SELECT count(*) FROM synced_unchanged"), ==, 1);
  g_assert_cmpint (query_raw_int (path, "SELECT synced_at FROM synced_unchanged"), ==, 5000);
  g_clear_object (&store);
  store_test_assert_integrity (path);
  pd_test_rm_rf (dir);
}

/* Version 11 → 12: the digest of each row's Partner Center values, and the trigger that drops
 * a digest its row no longer matches. Rows of version 11 have none until a sync reads them
 * (/store-merge/digest-dropped-by-other-writes). */
static void
test_migration_v11 (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = make_closed_store (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdOrganization) contoso = NULL;

  g_assert_cmpint (query_raw_int (path, "SELECT count(*) FROM organizations "
                                        "WHERE source = 0 AND pc_digest IS NULL"), ==, 0);
  store_test_exec_raw (path, DOWN_TO_V11 "PRAGMA user_version = 11;");
  g_assert_true (pd_store_needs_upgrade (path));
  store = pd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_raw_int (path, "PRAGMA user_version"), ==, PD_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_raw_int (path, "SELECT count(*) FROM organizations "
                                        "WHERE pc_digest IS NOT NULL"), ==, 0);
  g_assert_cmpint (query_raw_int (path, "SELECT count(*) FROM sqlite_schema WHERE type = "
                                        "'trigger' AND name = 'organizations_pc_digest_stale'"),
                   ==, 1);
  contoso = find_org (store, "contoso.com");
  g_assert_cmpstr (pd_organization_get_name (contoso), !=, NULL);
  g_clear_object (&store);
  store_test_assert_integrity (path);
  pd_test_rm_rf (dir);
}

/* Version 3 → 4: the customers of a version 3 cache were all read (it stored only what it
 * read): each keeps its state, read when it was last synced; a manual one was never read. */
static void
test_migration_v3 (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = make_closed_store (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdOrganization) contoso = NULL;
  g_autoptr(PdOrganization) manual = NULL;
  guint counts[PD_N_FILTERS];

  store = pd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_store_create_manual (store, "Handmade", "handmade.se", "SE", NULL, &error), >, 0);
  g_clear_object (&store);
  /* Back to version 3: the columns versions 4 and 5 add are dropped. */
  store_test_exec_raw (path, DOWN_TO_V6
                             "ALTER TABLE organizations DROP COLUMN account_status;"
                             "ALTER TABLE organizations DROP COLUMN account_checked_at;"
                             "ALTER TABLE organizations DROP COLUMN bill_to_state;"
                             "ALTER TABLE organizations DROP COLUMN bill_to_error;"
                             "ALTER TABLE organizations DROP COLUMN bill_to_read_at;"
                             "PRAGMA user_version = 3;");
  g_assert_true (pd_store_needs_upgrade (path));

  store = pd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_raw_int (path, "PRAGMA user_version"), ==, PD_STORE_SCHEMA_VERSION);
  contoso = find_org (store, "contoso.com");
  g_assert_cmpint (pd_organization_get_bill_to_state (contoso), ==, PD_BILL_TO_STATE_COMPLETE);
  g_assert_nonnull (pd_organization_get_bill_to_read_at (contoso));
  g_assert_true (g_date_time_equal (pd_organization_get_bill_to_read_at (contoso),
                                    pd_organization_get_last_synced_at (contoso)));
  g_assert_null (pd_organization_get_bill_to_read_error (contoso));
  manual = find_org (store, "handmade.se");
  g_assert_null (pd_organization_get_bill_to_read_at (manual));
  g_assert_cmpint (pd_organization_get_bill_to_state (manual), ==, PD_BILL_TO_STATE_INCOMPLETE);
  g_assert_true (pd_store_count_filters (store, NULL, counts, &error));
  g_assert_cmpuint (counts[PD_FILTER_UNREADABLE], ==, 0);
  g_assert_cmpuint (counts[PD_FILTER_INCOMPLETE], ==, 1);
  g_clear_object (&store);
  store_test_assert_integrity (path);
  pd_test_rm_rf (dir);
}

/* A customer as the store before version 11 kept it when Partner Center sent its country in
 * lower case: stored as it came (pd_bill_to_set upper-cases it now). */
static PdOrganization *
customer_with_raw_country (const char *tenant_id,
                           const char *name,
                           const char *domain,
                           const char *country)
{
  PdTestCustomer customer = { .tenant_id = tenant_id, .name = name, .domain = domain };
  PdOrganization *org = pd_test_customer_new (&customer);
  g_autoptr(PdBillTo) bill_to = pd_bill_to_copy (pd_organization_get_bill_to_partner_center (org));

  g_free (bill_to->values[PD_BILL_TO_COUNTRY]);
  bill_to->values[PD_BILL_TO_COUNTRY] = g_strdup (country);
  pd_organization_set_bill_to_partner_center (org, bill_to,
                                              pd_organization_get_bill_to_etag (org));
  pd_organization_set_country (org, country);
  return org;
}

#define V10_LOWER  "a1000000-0000-4000-8000-000000000001"
#define V10_MIXED  "a1000000-0000-4000-8000-000000000002"
#define V10_UPPER  "a1000000-0000-4000-8000-000000000003"
#define V10_OTHER  "a1000000-0000-4000-8000-000000000004"

/* Version 10 → 11: "de" and "De" that Partner Center sent before pd_bill_to_set upper-cased
 * them are Germany: complete, not incomplete ("not a two-letter ISO code"), counted under DE
 * and never as countries of their own; a country the user typed in lower case as a local edit
 * is upper-cased too and stays a local edit. Other rows keep their derived columns. */
static void
test_migration_v10 (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autofree char *path = g_strdup (pd_store_get_path (store));
  g_autoptr(PdOrganization) lower = NULL, mixed = NULL, upper = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) countries = NULL;
  guint counts[PD_N_FILTERS];
  gint64 upper_id;

  store_test_apply (store, 0, customer_with_raw_country (V10_LOWER, "Lower GmbH", "lower.de", "de"),
                    customer_with_raw_country (V10_MIXED, "Mixed GmbH", "mixed.de", "De"),
                    customer_with_raw_country (V10_UPPER, "Upper SARL", "upper.fr", "FR"),
                    customer_with_raw_country (V10_OTHER, "Other AG", "other.de", "DE"), NULL);
  upper_id = store_test_find_id (store, V10_UPPER);
  g_assert_true (pd_store_set_bill_to_field (store, upper_id, PD_BILL_TO_COUNTRY, "BE", &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  /* What version 10 wrote: the codes as they came, flagged, each a country of its own. Other
   * AG's mask is marked by hand (a wrong one): a row the migration has no reason to touch keeps
   * it. */
  store_test_exec_raw (path, "UPDATE bill_to_overrides SET value = 'be';"
                             "UPDATE organizations SET eff_country = 'be' "
                             "WHERE domain = 'upper.fr';"
                             "UPDATE organizations SET missing_mask = 1 WHERE domain = 'other.de';"
                             DOWN_TO_V11 "PRAGMA user_version = 10;");
  g_assert_cmpint (query_raw_int (path, "SELECT count(*) FROM organizations "
                                        "WHERE missing_mask != 0 AND domain LIKE '%.de'"), ==, 3);
  g_assert_cmpint (query_raw_int (path, "SELECT count(DISTINCT eff_country) FROM organizations"),
                   ==, 4);
  g_assert_true (pd_store_needs_upgrade (path));

  store = pd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_raw_int (path, "PRAGMA user_version"), ==, PD_STORE_SCHEMA_VERSION);
  lower = find_org (store, V10_LOWER);
  mixed = find_org (store, V10_MIXED);
  upper = find_org (store, V10_UPPER);
  g_assert_cmpstr (pd_organization_get_country (lower), ==, "DE");
  g_assert_cmpstr (pc_value (lower, PD_BILL_TO_COUNTRY), ==, "DE");
  g_assert_cmpstr (pc_value (mixed, PD_BILL_TO_COUNTRY), ==, "DE");
  g_assert_cmpint (pd_organization_get_bill_to_state (lower), ==, PD_BILL_TO_STATE_COMPLETE);
  g_assert_cmpint (pd_organization_get_bill_to_state (mixed), ==, PD_BILL_TO_STATE_COMPLETE);
  g_assert_true (pd_organization_is_field_overridden (upper, PD_BILL_TO_COUNTRY));
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (upper), PD_BILL_TO_COUNTRY), ==,
                   "BE");
  g_assert_cmpstr (pc_value (upper, PD_BILL_TO_COUNTRY), ==, "FR");
  /* FR too: Partner Center's bill-to of "upper", on which its order readiness is judged. */
  countries = pd_store_dup_countries (store);
  g_assert_cmpstrv (countries, ((const char * const []) { "BE", "DE", "FR", NULL }));
  g_assert_true (pd_store_count_filters (store, NULL, counts, &error));
  g_assert_no_error (error);
  /* Other AG, by its mask set by hand: only the rows changed were recomputed. */
  g_assert_cmpuint (counts[PD_FILTER_INCOMPLETE], ==, 1);
  g_assert_cmpint (query_raw_int (path, "SELECT missing_mask FROM organizations "
                                        "WHERE domain = 'other.de'"), ==, 1);
  g_clear_object (&store);
  store_test_assert_integrity (path);
  pd_test_rm_rf (dir);
}

/* A migration that fails half way (here: an object in the way of version 2) rolls back as a
 * whole: the file stays at version 1 with its rows, and the error says why. */
static void
test_failed_migration_rolls_back (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = file_from_fixture (dir, "v1.db", "store-v1.sql");
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;

  store_test_exec_raw (path, "CREATE TABLE meta (something_else TEXT);");

  store = pd_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "meta"));
  g_assert_cmpint (query_raw_int (path, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (query_raw_int (path, "SELECT count(*) FROM organizations"), ==, 3);
  g_assert_cmpint (query_raw_int (path, "SELECT count(*) FROM pragma_table_info('organizations') "
                                        "WHERE name = 'reseller_id'"), ==, 0);
  g_assert_cmpint (query_raw_int (path, "SELECT count(*) FROM sqlite_schema "
                                        "WHERE name = 'org_search'"), ==, 0);
  pd_test_rm_rf (dir);
}

static void
test_not_a_database (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "partner-desk.db", NULL);
  g_autofree char *short_path = g_build_filename (dir, "short.db", NULL);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < 200; i++)
    g_string_append (text, "name,domain\nContoso,contoso.com\n");
  g_assert_true (g_file_set_contents (path, text->str, (gssize) text->len, NULL));
  g_assert_false (pd_store_needs_upgrade (path));
  assert_open_refused (path, PD_STORE_ERROR_CORRUPT);
  g_assert_true (g_file_set_contents (short_path, "SQLite", -1, NULL));
  assert_open_refused (short_path, PD_STORE_ERROR_CORRUPT);
  pd_test_rm_rf (dir);
}

static void
test_corrupt_pages (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = make_closed_store (dir);
  g_autofree char *contents = NULL;
  gsize length = 0;

  /* Keep the header, scribble over every page after the first. */
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 8192);
  memset (contents + 4096, 0x5a, length - 4096);
  g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));
  assert_open_refused (path, PD_STORE_ERROR_CORRUPT);
  pd_test_rm_rf (dir);
}

static gint64
root_page (const char *path,
           const char *table)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 page;

  g_autofree char *uri = g_strdup_printf ("file:%s?immutable=1", path);

  /* Immutable: a plain read-only connection would leave -wal/-shm files behind. */
  g_assert_cmpint (sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT rootpage FROM sqlite_schema WHERE name = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  page = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return page;
}

/* quick_check lists a line per damaged cell of a page: the message stays one sentence with
 * the path (SQLite's list goes to the debug log). */
static void
test_damage_message_is_short (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = make_closed_store (dir);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  gsize length = 0;
  gsize page = (gsize) root_page (path, "organizations");

  /* The cell pointers of the organizations table's page point past its end. */
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >=, page * 4096);
  memset (contents + (page - 1) * 4096 + 8, 0xff, 16);
  g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));
  store = pd_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_null (strchr (error->message, '\n'));
  g_assert_null (strstr (error->message, "out of range"));
  g_assert_cmpuint (strlen (error->message), <, 300 + strlen (path));
  pd_test_rm_rf (dir);
}

/* A large cache is checked by reading the root page of every table (a full quick_check would
 * cost every start a second): a damaged root page is still refused, untouched. */
static void
test_corrupt_large_file (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = make_closed_store (dir);
  g_autofree char *big = g_malloc (40 * 1024 * 1024 + 1);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (path, &error);
  gsize length = 0;
  gint64 page;

  memset (big, 'x', 40 * 1024 * 1024);
  big[40 * 1024 * 1024] = '\0';
  g_assert_true (pd_store_set_meta (store, "padding", big, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  page = root_page (path, "organizations");
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 40 * 1024 * 1024);
  memset (contents + (page - 1) * 4096, 0x5a, 4096);
  g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));
  assert_open_refused (path, PD_STORE_ERROR_CORRUPT);
  pd_test_rm_rf (dir);
}

static void
test_foreign_database (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "other.db", NULL);

  store_test_exec_raw (path, "CREATE TABLE photos (id INTEGER PRIMARY KEY, file TEXT);"
                             "INSERT INTO photos (file) VALUES ('a.jpg');");
  assert_open_refused (path, PD_STORE_ERROR_CORRUPT);
  pd_test_rm_rf (dir);
}

static void
test_newer_schema (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = make_closed_store (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;

  g_assert_false (pd_store_needs_upgrade (path));   /* current */
  store_test_exec_raw (path, "PRAGMA user_version = 99;");
  assert_sidecars_absent (path);
  g_assert_false (pd_store_needs_upgrade (path));   /* newer: refused, not upgraded */
  assert_open_refused (path, PD_STORE_ERROR_TOO_NEW);

  /* The refusal names both versions. */
  store = pd_store_open (path, &error);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "99"));
  pd_test_rm_rf (dir);
}

/* ---- a reader beside a bulk upsert ---- */

#define BATCH 500
#define N_BATCHES 8

typedef struct {
  char     *path;
  GMutex    mutex;
  GCond     cond;
  gboolean  ready;
  gint      writer_done;  /* atomic */
  guint     n_reads;
  guint     last_count;
  char     *failure;      /* first problem seen by the reader, or NULL */
} Shared;

static void G_GNUC_PRINTF (2, 3)
reader_fail (Shared     *shared,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  if (shared->failure == NULL)
    shared->failure = g_strdup_vprintf (format, args);
  va_end (args);
}

/* One read: the count must be a whole number of batches (each batch is one transaction) and
 * never go down. */
static void
reader_read (Shared  *shared,
             PdStore *store)
{
  g_autoptr(GError) error = NULL;
  PdStoreQuery query = { .search = "fab", .limit = 20 };
  g_autoptr(GPtrArray) some = NULL;
  guint counts[PD_N_FILTERS];

  if (!pd_store_count_filters (store, NULL, counts, &error))
    {
      reader_fail (shared, "count failed (%u)", (guint) error->code);
      return;
    }
  if (counts[PD_FILTER_ALL] % BATCH != 0)
    reader_fail (shared, "saw a partial batch: %u rows", counts[PD_FILTER_ALL]);
  if (counts[PD_FILTER_ALL] < shared->last_count)
    reader_fail (shared, "count went down to %u", counts[PD_FILTER_ALL]);
  shared->last_count = counts[PD_FILTER_ALL];
  some = pd_store_list (store, &query, &error);
  if (some == NULL)
    reader_fail (shared, "search failed (%u)", (guint) error->code);
  shared->n_reads++;
}

static gpointer
reader_thread (gpointer data)
{
  Shared *shared = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (shared->path, &error);

  if (store != NULL)
    reader_read (shared, store);
  else
    reader_fail (shared, "open failed (%u)", (guint) error->code);
  g_mutex_lock (&shared->mutex);
  shared->ready = TRUE;
  g_cond_signal (&shared->cond);
  g_mutex_unlock (&shared->mutex);
  while (store != NULL && !g_atomic_int_get (&shared->writer_done))
    reader_read (shared, store);
  if (store != NULL)
    reader_read (shared, store);   /* after the writer: everything is visible */
  return NULL;
}

static void
wait_ready (Shared *shared)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  g_mutex_lock (&shared->mutex);
  while (!shared->ready)
    if (!g_cond_wait_until (&shared->cond, &shared->mutex, deadline))
      break;
  g_mutex_unlock (&shared->mutex);
  g_assert_true (shared->ready);
}

static void
write_batches (PdStore *store)
{
  for (guint b = 0; b < N_BATCHES; b++)
    {
      g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GError) error = NULL;

      for (guint i = 0; i < BATCH; i++)
        {
          g_autofree char *tenant = g_strdup_printf ("9a9a0000-0000-4000-8000-%012u",
                                                     b * BATCH + i);
          g_autofree char *name = g_strdup_printf ("Fabrikam %u", b * BATCH + i);
          g_ptr_array_add (orgs, store_test_pc_org (tenant, name, "fabrikam.com", "Espoo",
                                                    "x@fabrikam.com", "e1"));
        }
      g_assert_true (pd_store_apply_partner_center (store, 0, orgs, NULL, &error));
      g_assert_no_error (error);
    }
}

static void
test_reader_during_bulk_upsert (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  Shared shared = { .path = g_strdup (pd_store_get_path (store)) };
  GThread *thread;

  g_mutex_init (&shared.mutex);
  g_cond_init (&shared.cond);
  thread = g_thread_new ("store-reader", reader_thread, &shared);
  wait_ready (&shared);
  write_batches (store);
  g_atomic_int_set (&shared.writer_done, TRUE);
  g_thread_join (thread);

  g_assert_cmpstr (shared.failure, ==, NULL);
  g_assert_cmpuint (shared.n_reads, >=, 2);
  g_assert_cmpuint (shared.last_count, ==, BATCH * N_BATCHES);
  g_assert_cmpuint (pd_store_count (store), ==, BATCH * N_BATCHES);
  g_clear_object (&store);
  store_test_assert_integrity (shared.path);
  g_mutex_clear (&shared.mutex);
  g_cond_clear (&shared.cond);
  g_free (shared.path);
  pd_test_rm_rf (dir);
}

static void
test_open_creates_private_file (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *folder = g_build_filename (dir, "partner-desk", NULL);
  g_autofree char *path = g_build_filename (folder, "partner-desk.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (path, &error);
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_cmpstr (pd_store_get_path (store), ==, path);
  g_assert_cmpint (pd_store_get_schema_version (store), ==, PD_STORE_SCHEMA_VERSION);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpuint (pd_store_count (store), ==, 0);
  g_assert_nonnull (pd_store_get_country_rules (store));

  /* Reopening an existing cache keeps it. */
  g_assert_cmpint (pd_store_create_manual (store, "Contoso", NULL, NULL, NULL, &error), >, 0);
  g_clear_object (&store);
  store = pd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pd_store_count (store), ==, 1);
  g_clear_object (&store);
  store_test_assert_integrity (path);
  pd_test_rm_rf (dir);
}

static void
test_default_path (void)
{
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "partner-desk",
                                                "partner-desk.db", NULL);
  g_autofree char *path = pd_store_default_path ();
  g_autofree char *overridden = NULL;

  g_assert_cmpstr (path, ==, expected);
  g_setenv ("PARTNER_DESK_DB", "/tmp/elsewhere.db", TRUE);
  overridden = pd_store_default_path ();
  g_unsetenv ("PARTNER_DESK_DB");
  g_assert_cmpstr (overridden, ==, "/tmp/elsewhere.db");
}

int
main (int argc, char *argv[])
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/store/open/creates-private-file", test_open_creates_private_file);
  g_test_add_func ("/store/open/default-path", test_default_path);
  g_test_add_func ("/store-files/migration-v1", test_migration_v1);
  g_test_add_func ("/store-files/migration-v2", test_migration_v2);
  g_test_add_func ("/store-files/migration-v3", test_migration_v3);
  g_test_add_func ("/store-files/migration-v4", test_migration_v4);
  g_test_add_func ("/store-files/migration-v5", test_migration_v5);
  g_test_add_func ("/store-files/migration-v6", test_migration_v6);
  g_test_add_func ("/store-files/migration-v8", test_migration_v8);
  g_test_add_func ("/store-files/migration-v9", test_migration_v9);
  g_test_add_func ("/store-files/migration-v10", test_migration_v10);
  g_test_add_func ("/store-files/migration-v11", test_migration_v11);
  g_test_add_func ("/store-files/failed-migration-rolls-back", test_failed_migration_rolls_back);
  g_test_add_func ("/store-files/not-a-database", test_not_a_database);
  g_test_add_func ("/store-files/corrupt-pages", test_corrupt_pages);
  g_test_add_func ("/store-files/damage-message-is-short", test_damage_message_is_short);
  g_test_add_func ("/store-files/corrupt-large-file", test_corrupt_large_file);
  g_test_add_func ("/store-files/foreign-database", test_foreign_database);
  g_test_add_func ("/store-files/newer-schema", test_newer_schema);
  g_test_add_func ("/store-files/local-registration-mask-settled",
                   test_local_registration_mask_settled);
  g_test_add_func ("/store-files/reader-during-bulk-upsert", test_reader_during_bulk_upsert);
  return g_test_run ();
}
