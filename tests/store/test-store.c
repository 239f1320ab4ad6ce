/* test-store.c — PdStore: opening, local edits, history, manual organizations, search and
 * filters. */
#include "config.h"

#include <sys/stat.h>

#include <glib/gstdio.h>

#include "pd-test-util.h"
#include "store-test-helpers.h"

#define TENANT_A "0b7f5a0e-0000-4000-8000-00000000000a"
#define TENANT_B "0b7f5a0e-0000-4000-8000-00000000000b"
#define TENANT_C "0b7f5a0e-0000-4000-8000-00000000000c"

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

static guint
history_len (PdStore *store,
             gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = pd_store_get_history (store, id, &error);

  g_assert_no_error (error);
  return history->len;
}

static void
assert_set_fails (PdStore     *store,
                  gint64       id,
                  const char  *key,
                  const char  *value,
                  PdStoreError code)
{
  g_autoptr(GError) error = NULL;
  guint before = history_len (store, id);

  g_assert_false (pd_store_set_field (store, id, key, value, &error));
  g_assert_error (error, PD_STORE_ERROR, (int) code);
  g_assert_cmpuint (history_len (store, id), ==, before);
}

static void
test_set_field_validation (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  gint64 a, b, pc;

  a = pd_store_create_manual (store, "Contoso", "contoso.com", "DE", "ERP-1", &error);
  g_assert_no_error (error);
  b = pd_store_create_manual (store, "Fabrikam", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  store_test_apply (store, 0, store_test_pc_org (TENANT_A, "Northwind", "northwind.com",
                                                 "Berlin", "a@northwind.com", "e1"), NULL);
  pc = store_test_find_id (store, TENANT_A);

  assert_set_fails (store, b, "currency", "XYZ", PD_STORE_ERROR_INVALID);
  assert_set_fails (store, b, "country", "ZZ", PD_STORE_ERROR_INVALID);
  assert_set_fails (store, b, "status", "sleeping", PD_STORE_ERROR_INVALID);
  assert_set_fails (store, b, "colour", "blue", PD_STORE_ERROR_INVALID);
  assert_set_fails (store, b, "name", "  ", PD_STORE_ERROR_INVALID);
  assert_set_fails (store, pc, "name", "Renamed", PD_STORE_ERROR_INVALID);
  assert_set_fails (store, 999, "notes", "x", PD_STORE_ERROR_NOT_FOUND);

  /* ERP IDs are unique regardless of case; the error names the owner. */
  g_assert_false (pd_store_set_field (store, b, "erp-id", "erp-1", &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_ERP_ID_TAKEN);
  g_assert_nonnull (strstr (error->message, "Contoso"));
  g_clear_error (&error);
  g_assert_cmpint (pd_store_create_manual (store, "Other", NULL, NULL, "ERP-1", &error), ==, 0);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_ERP_ID_TAKEN);
  g_clear_error (&error);
  g_assert_cmpuint (pd_store_count (store), ==, 3);

  org = pd_store_get (store, b, &error);
  g_assert_no_error (error);
  g_assert_null (pd_organization_get_erp_id (org));
  g_assert_null (pd_organization_get_currency (org));
  g_assert_null (pd_organization_get_country (org));
  g_assert_cmpint (pd_organization_get_status (org), ==, PD_ORG_STATUS_NEW);
  g_assert_cmpint (a, >, 0);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

static void
assert_history_top (PdStore    *store,
                    gint64      id,
                    const char *what,
                    const char *old_value,
                    const char *new_value,
                    PdChangeBy  by)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = pd_store_get_history (store, id, &error);
  PdHistoryEntry *e;

  g_assert_no_error (error);
  g_assert_cmpuint (history->len, >, 0);
  e = g_ptr_array_index (history, 0);
  g_assert_cmpstr (e->what, ==, what);
  g_assert_cmpstr (e->old_value, ==, old_value);
  g_assert_cmpstr (e->new_value, ==, new_value);
  g_assert_cmpint (e->by, ==, by);
  g_assert_cmpint (e->org_id, ==, id);
  g_assert_nonnull (e->when);
}

static void
test_set_field_values_and_history (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDateTime *effective;
  const char * const *segments;
  gint64 id;

  id = pd_store_create_manual (store, "Contoso", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_history_top (store, id, "created", NULL, "Contoso", PD_CHANGE_BY_USER);

  g_assert_true (pd_store_set_field (store, id, "currency", "eur", &error));
  g_assert_true (pd_store_set_field (store, id, "segments", " Education, ,SMB ", &error));
  g_assert_true (pd_store_set_field (store, id, "status", "Blocked", &error));
  g_assert_true (pd_store_set_field (store, id, "notes", "call back", &error));
  g_assert_true (pd_store_set_field (store, id, "erp-id", "C-42", &error));
  g_assert_true (pd_store_set_field (store, id, "country", "fi", &error));
  g_assert_no_error (error);
  assert_history_top (store, id, "country", NULL, "FI", PD_CHANGE_BY_USER);

  org = pd_store_get (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_organization_get_currency (org), ==, "EUR");
  effective = pd_organization_get_currency_effective (org);
  g_assert_nonnull (effective);
  g_assert_cmpint (g_date_time_get_day_of_month (effective), ==, 1);
  g_assert_cmpint (g_date_time_get_hour (effective), ==, 0);
  g_assert_cmpint (g_date_time_compare (effective, now), >, 0);
  g_assert_cmpint (g_date_time_difference (effective, now), <=, 32 * G_TIME_SPAN_DAY);
  segments = pd_organization_get_segments (org);
  g_assert_cmpuint (g_strv_length ((char **) segments), ==, 2);
  g_assert_cmpstr (segments[0], ==, "Education");
  g_assert_cmpstr (segments[1], ==, "SMB");
  g_assert_cmpint (pd_organization_get_status (org), ==, PD_ORG_STATUS_BLOCKED);
  g_assert_cmpstr (pd_organization_get_erp_id (org), ==, "C-42");
  g_assert_cmpuint (store_test_count_history (store, id, "status", PD_CHANGE_BY_USER), ==, 1);
  g_assert_cmpuint (store_test_count_history (store, id, "currency", PD_CHANGE_BY_USER), ==, 1);

  /* Setting the same value again records nothing; clearing records the old value. */
  g_assert_true (pd_store_set_field (store, id, "notes", "call back", &error));
  g_assert_cmpuint (store_test_count_history (store, id, "notes", PD_CHANGE_BY_USER), ==, 1);
  g_assert_true (pd_store_set_field (store, id, "notes", "", &error));
  assert_history_top (store, id, "notes", "call back", NULL, PD_CHANGE_BY_USER);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

static void
test_bill_to_override_and_revert (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_auto(GStrv) local = NULL;
  PdBillToField city = PD_BILL_TO_CITY;
  gint64 id;

  store_test_apply (store, 0, store_test_pc_org (TENANT_A, "Northwind", "northwind.com",
                                                 "Berlin", "a@northwind.com", "etag-1"), NULL);
  org = pd_store_find (store, "northwind.com", &error);
  g_assert_no_error (error);
  id = pd_organization_get_id (org);
  g_clear_object (&org);

  g_assert_true (pd_store_set_bill_to_field (store, id, PD_BILL_TO_CITY, " Hamburg ", &error));
  g_assert_true (pd_store_set_bill_to_field (store, id, PD_BILL_TO_EMAIL, NULL, &error));
  g_assert_no_error (error);
  org = pd_store_get (store, id, &error);
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_CITY), ==,
                   "Hamburg");
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to_partner_center (org),
                                   PD_BILL_TO_CITY), ==, "Berlin");
  g_assert_cmpstr (pd_organization_get_override_base_etag (org), ==, "etag-1");
  g_assert_true (pd_organization_is_field_overridden (org, PD_BILL_TO_EMAIL));
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_EMAIL), ==, "");
  local = pd_organization_dup_local_bill_to_fields (org);
  g_assert_cmpuint (g_strv_length (local), ==, 2);
  /* The e-mail is required: clearing it locally makes the organization incomplete. */
  g_assert_false (pd_organization_get_bill_to_complete (org));
  g_assert_cmpuint (store_test_count_history (store, id, "billTo.address.city",
                                              PD_CHANGE_BY_USER), ==, 1);
  g_clear_object (&org);

  /* An override equal to the Partner Center value is dropped. */
  g_assert_true (pd_store_set_bill_to_field (store, id, PD_BILL_TO_EMAIL, "a@northwind.com",
                                             &error));
  org = pd_store_get (store, id, &error);
  g_assert_false (pd_organization_is_field_overridden (org, PD_BILL_TO_EMAIL));
  g_assert_true (pd_organization_get_bill_to_complete (org));
  g_clear_object (&org);

  g_assert_true (pd_store_revert_bill_to (store, id, &city, 1, &error));
  g_assert_no_error (error);
  org = pd_store_get (store, id, &error);
  g_assert_null (pd_organization_get_bill_to_override (org));
  g_assert_false (pd_organization_get_has_local_edits (org));
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_CITY), ==,
                   "Berlin");
  assert_history_top (store, id, "billTo.address.city", "Hamburg", "Berlin", PD_CHANGE_BY_USER);
  g_clear_object (&org);

  /* Revert all. */
  g_assert_true (pd_store_set_bill_to_field (store, id, PD_BILL_TO_STATE, "BE", &error));
  g_assert_true (pd_store_revert_bill_to (store, id, NULL, 0, &error));
  org = pd_store_get (store, id, &error);
  g_assert_false (pd_organization_get_has_local_edits (org));
  g_clear_object (&org);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

static void
test_manual_create_and_link (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  gint64 manual, pc, other, linked;

  store_test_apply (store, 0, store_test_pc_org (TENANT_A, "Fabrikam Oy", "fabrikam.fi",
                                                 "Espoo", "x@fabrikam.fi", "e1"), NULL);
  org = pd_store_find_by_tenant (store, TENANT_A, &error);
  pc = pd_organization_get_id (org);
  g_clear_object (&org);

  manual = pd_store_create_manual (store, "Fabrikam", "Fabrikam.COM", "fi", "F-1", &error);
  g_assert_no_error (error);
  org = pd_store_get (store, manual, &error);
  g_assert_cmpint (pd_organization_get_source (org), ==, PD_ORG_SOURCE_MANUAL);
  g_assert_null (pd_organization_get_tenant_id (org));
  g_assert_cmpstr (pd_organization_get_domain (org), ==, "fabrikam.com");
  g_assert_cmpstr (pd_organization_get_country (org), ==, "FI");
  g_clear_object (&org);
  g_assert_true (pd_store_set_field (store, manual, "notes", "met at fair", &error));

  /* Linking to a synced tenant merges the manual organization into it. */
  linked = pd_store_link (store, manual, TENANT_A, &error);
  g_assert_no_error (error);
  g_assert_cmpint (linked, ==, pc);
  org = pd_store_get (store, manual, &error);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND);
  g_assert_null (org);
  g_clear_error (&error);
  org = pd_store_get (store, pc, &error);
  g_assert_cmpstr (pd_organization_get_erp_id (org), ==, "F-1");
  g_assert_cmpstr (pd_organization_get_notes (org), ==, "met at fair");
  g_clear_object (&org);
  g_assert_cmpuint (store_test_count_history (store, pc, "notes", PD_CHANGE_BY_USER), ==, 1);
  g_assert_cmpuint (store_test_count_history (store, pc, "linked", PD_CHANGE_BY_USER), ==, 1);
  g_assert_cmpuint (pd_store_count (store), ==, 1);

  /* Linking to an unknown tenant gives the manual organization that tenant. */
  other = pd_store_create_manual (store, "Tailspin", NULL, NULL, NULL, &error);
  g_assert_cmpint (pd_store_link (store, other, TENANT_B, &error), ==, other);
  g_assert_no_error (error);
  org = pd_store_find (store, TENANT_B, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_organization_get_id (org), ==, other);
  g_clear_object (&org);
  /* A Partner Center organization cannot be linked. */
  g_assert_cmpint (pd_store_link (store, pc, TENANT_C, &error), ==, 0);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

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

  g_test_add_func ("/store/open/creates-private-file", test_open_creates_private_file);
  g_test_add_func ("/store/open/default-path", test_default_path);
  g_test_add_func ("/store/set-field/validation", test_set_field_validation);
  g_test_add_func ("/store/set-field/values-and-history", test_set_field_values_and_history);
  g_test_add_func ("/store/bill-to/override-and-revert", test_bill_to_override_and_revert);
  g_test_add_func ("/store/manual/create-and-link", test_manual_create_and_link);
  g_test_add_func ("/store/search/prefix", test_search_prefix);
  g_test_add_func ("/store/list/filters-and-counts", test_filters_and_counts);
  g_test_add_func ("/store/duplicates/within-batch", test_duplicates_within_batch);
  g_test_add_func ("/store/duplicates/settled-by-run", test_duplicates_settled_by_run);
  g_test_add_func ("/store/meta-and-countries", test_meta_and_countries);
  g_test_add_func ("/store/country-rules/saved", test_country_rule_saved);
  return g_test_run ();
}
