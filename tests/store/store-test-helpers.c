/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store-test-helpers.c — fixtures shared by the PdStore tests. */
#include "config.h"

#include <sqlite3.h>

#include "pd-test-util.h"
#include "store-test-helpers.h"

PdStore *
store_test_open_temp (char **out_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  PdStore *store;

  *out_dir = pd_test_make_tmpdir ();
  path = g_build_filename (*out_dir, "cache", "partner-desk.db", NULL);
  store = pd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

PdOrganization *
store_test_pc_org (const char *tenant_id,
                   const char *name,
                   const char *domain,
                   const char *city,
                   const char *email,
                   const char *etag)
{
  /* Here NULL leaves the value missing. */
  PdTestCustomer customer = { .tenant_id = tenant_id, .name = name, .domain = domain,
                              .city = city != NULL ? city : "",
                              .email = email != NULL ? email : "",
                              .etag = etag != NULL ? etag : "" };

  return pd_test_customer_new (&customer);
}

PdStore *
store_test_open_search_fixture (char **out_dir)
{
  PdStore *store = store_test_open_temp (out_dir);
  g_autoptr(GError) error = NULL;
  gint64 id;

  store_test_apply (store, 0,
                    store_test_pc_org (STORE_TEST_SEARCH_TENANT_A, "Contoso Ltd.",
                                       "contoso.onmicrosoft.com", "Berlin", "anna@contoso.com",
                                       "e1"),
                    store_test_pc_org (STORE_TEST_SEARCH_TENANT_B, "Müller GmbH", "mueller.de",
                                       "München", "info@mueller.de", "e1"),
                    store_test_pc_org (STORE_TEST_SEARCH_TENANT_C, "Northwind Traders",
                                       "northwind.com", "Hamburg", "sales@northwind.com", "e1"),
                    NULL);
  id = pd_store_create_manual (store, "Contoso", "contoso.com", NULL, "ERP-77", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return store;
}

gint64
store_test_find_id (PdStore    *store,
                    const char *tenant)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = pd_store_find_by_tenant (store, tenant, &error);

  g_assert_no_error (error);
  g_assert_nonnull (org);
  return pd_organization_get_id (org);
}

gint64
store_test_begin_run (PdStore *store,
                      gint64  *resume)
{
  g_autoptr(GError) error = NULL;
  gint64 run = pd_store_begin_sync_run (store, PD_SYNC_KIND_FULL, "corr-1", resume, &error);

  g_assert_no_error (error);
  g_assert_cmpint (run, >, 0);
  return run;
}

void
store_test_finish_run (PdStore *store,
                       gint64   run)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_store_finish_sync_run (store, run, PD_SYNC_STATE_COMPLETE, NULL, &error));
  g_assert_no_error (error);
}

void
store_test_apply (PdStore        *store,
                  gint64          run_id,
                  PdOrganization *first,
                  ...)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  PdOrganization *org;
  va_list args;

  va_start (args, first);
  for (org = first; org != NULL; org = va_arg (args, PdOrganization *))
    g_ptr_array_add (orgs, org);
  va_end (args);
  g_assert_true (pd_store_apply_partner_center (store, run_id, orgs, NULL, &error));
  g_assert_no_error (error);
}

void
store_test_exec_raw (const char *path,
                     const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s", message);
  sqlite3_close (db);
}

gint64
store_test_query_raw_int (const char *path,
                          const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

void
store_test_assert_file_sound (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

void
store_test_assert_integrity (const char *path)
{
  store_test_assert_file_sound (path);
  store_test_assert_search_index (path);
}

/* FTS5's integrity check of org_search, as a write on a connection of its own (a read-only one
 * refuses the command) rolled back at once: it writes nothing. with_content (rank 1): also
 * that the index matches organizations.search_text; without, only that it is well-formed. */
static void
check_search_index (const char *path,
                    gboolean    with_content)
{
  sqlite3 *db = NULL;
  char *message = NULL;
  g_autofree char *failure = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  if (sqlite3_exec (db, with_content
                        ? "INSERT INTO org_search (org_search, rank) VALUES ('integrity-check', 1)"
                        : "INSERT INTO org_search (org_search) VALUES ('integrity-check')",
                    NULL, NULL, &message) != SQLITE_OK)
    failure = g_strdup_printf ("org_search %s: %s",
                               with_content ? "does not match organizations.search_text"
                                            : "is damaged", message);
  sqlite3_free (message);
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (db);
  g_assert_cmpstr (failure, ==, NULL);
}

void
store_test_assert_search_index (const char *path)
{
  check_search_index (path, TRUE);
}

void
store_test_assert_search_index_well_formed (const char *path)
{
  check_search_index (path, FALSE);
}

guint
store_test_count_history (PdStore    *store,
                          gint64      id,
                          const char *what,
                          PdChangeBy  by)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = pd_store_get_history (store, id, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < history->len; i++)
    {
      PdHistoryEntry *e = g_ptr_array_index (history, i);
      if (g_strcmp0 (e->what, what) == 0 && e->by == by)
        n++;
    }
  return n;
}

guint
store_test_search_count (PdStore    *store,
                         const char *text)
{
  g_autoptr(GError) error = NULL;
  PdStoreQuery query = { .search = text };
  g_autoptr(GPtrArray) orgs = pd_store_list (store, &query, &error);
  guint counts[PD_N_FILTERS];

  g_assert_no_error (error);
  g_assert_nonnull (orgs);
  g_assert_true (pd_store_count_filters (store, &query, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts[PD_FILTER_ALL], ==, orgs->len);
  return orgs->len;
}

gboolean
store_test_search_finds (PdStore    *store,
                         const char *text,
                         gint64      id)
{
  g_autoptr(GError) error = NULL;
  PdStoreQuery query = { .search = text };
  g_autoptr(GPtrArray) orgs = pd_store_list (store, &query, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < orgs->len; i++)
    if (pd_organization_get_id (g_ptr_array_index (orgs, i)) == id)
      return TRUE;
  return FALSE;
}

void
store_test_assert_search (PdStore    *store,
                          const char *text,
                          gint64      id,
                          gboolean    expected)
{
  gboolean found = store_test_search_finds (store, text, id);
  g_autofree char *got = g_strdup_printf ("'%s' finds %" G_GINT64_FORMAT ": %s", text, id,
                                          found ? "yes" : "no");
  g_autofree char *want = g_strdup_printf ("'%s' finds %" G_GINT64_FORMAT ": %s", text, id,
                                           expected ? "yes" : "no");

  g_assert_cmpstr (got, ==, want);
}

void
store_test_fixture_set_up (StoreTestFixture *f,
                           gconstpointer     data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;

  f->store = store_test_open_temp (&f->dir);
  store_test_apply (f->store, 0, store_test_pc_org (STORE_TEST_TENANT, "Contoso", "contoso.com",
                                                    "Berlin", "a@contoso.com", "e1"), NULL);
  org = pd_store_find_by_tenant (f->store, STORE_TEST_TENANT, &error);
  g_assert_no_error (error);
  f->id = pd_organization_get_id (org);
}

void
store_test_fixture_tear_down (StoreTestFixture *f,
                              gconstpointer     data)
{
  g_autofree char *path = g_strdup (pd_store_get_path (f->store));

  g_clear_object (&f->store);
  store_test_assert_integrity (path);
  pd_test_rm_rf (f->dir);
  g_free (f->dir);
}

PdOrganization *
store_test_fixture_get (StoreTestFixture *f)
{
  g_autoptr(GError) error = NULL;
  PdOrganization *org = pd_store_get (f->store, f->id, &error);

  g_assert_no_error (error);
  return org;
}

void
store_test_fixture_override (StoreTestFixture *f,
                             PdBillToField     field,
                             const char       *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_store_set_bill_to_field (f->store, f->id, field, value, &error));
  g_assert_no_error (error);
}

const char *
store_test_effective (PdOrganization *org,
                      PdBillToField   field)
{
  return pd_bill_to_get (pd_organization_get_bill_to (org), field);
}

GPtrArray *
store_test_run_events (PdStore *store,
                       gint64   run)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *events = pd_store_get_run_events (store, run, &error);

  g_assert_no_error (error);
  return events;
}

PdSyncRun *
store_test_get_run (PdStore *store,
                    gint64   run)
{
  g_autoptr(GError) error = NULL;
  PdSyncRun *r = pd_store_get_sync_run (store, run, &error);

  g_assert_no_error (error);
  return r;
}
