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
  PdOrganization *org = pd_organization_new ();
  g_autoptr(PdBillTo) bill_to = pd_bill_to_new ();

  pd_organization_set_tenant_id (org, tenant_id);
  pd_organization_set_source (org, PD_ORG_SOURCE_PARTNER_CENTER);
  pd_organization_set_name (org, name);
  pd_organization_set_domain (org, domain);
  pd_organization_set_relationship (org, "reseller");
  pd_bill_to_set (bill_to, PD_BILL_TO_COMPANY_NAME, name);
  pd_bill_to_set (bill_to, PD_BILL_TO_EMAIL, email);
  pd_bill_to_set (bill_to, PD_BILL_TO_FIRST_NAME, "Anna");
  pd_bill_to_set (bill_to, PD_BILL_TO_LAST_NAME, "Berg");
  pd_bill_to_set (bill_to, PD_BILL_TO_CULTURE, "de-DE");
  pd_bill_to_set (bill_to, PD_BILL_TO_LANGUAGE, "de");
  pd_bill_to_set (bill_to, PD_BILL_TO_ADDRESS_LINE1, "Hauptstraße 1");
  pd_bill_to_set (bill_to, PD_BILL_TO_CITY, city);
  pd_bill_to_set (bill_to, PD_BILL_TO_POSTAL_CODE, "10115");
  pd_bill_to_set (bill_to, PD_BILL_TO_COUNTRY, "DE");
  pd_bill_to_set (bill_to, PD_BILL_TO_PHONE_NUMBER, "+49301234567");
  pd_bill_to_set (bill_to, PD_BILL_TO_ADDRESS_FIRST_NAME, "Anna");
  pd_bill_to_set (bill_to, PD_BILL_TO_ADDRESS_LAST_NAME, "Berg");
  pd_organization_set_bill_to_partner_center (org, bill_to, etag);
  return org;
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
store_test_assert_integrity (const char *path)
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
