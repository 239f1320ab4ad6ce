/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sync-units.c — the pure parts of the sync engine: rate/ETA, audit log → changes, the
 * 90-day window, and a queued customer → organization. */
#include "config.h"

#include "pd-sync-audit.h"
#include "pd-sync-item.h"
#include "pd-sync-rate.h"
#include "pd-test-util.h"

#define SECOND G_USEC_PER_SEC

typedef PdPcBillingProfile TestProfile;

static void
test_rate_steady (void)
{
  PdSyncRate rate;

  pd_sync_rate_reset (&rate);
  g_assert_cmpfloat (pd_sync_rate_get (&rate), ==, 0);
  for (guint i = 0; i <= 4; i++)
    pd_sync_rate_add (&rate, i * SECOND, i * 100);
  g_assert_cmpfloat_with_epsilon (pd_sync_rate_get (&rate), 100.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (pd_sync_eta (100.0, 400, 1000), 6.0, 1e-9);
}

static void
test_rate_follows_slowdown (void)
{
  PdSyncRate rate;
  guint64 done = 0;

  pd_sync_rate_reset (&rate);
  /* 100/s for 20 s, then 10/s: the window forgets the fast start. */
  for (guint i = 0; i < 20; i++)
    pd_sync_rate_add (&rate, i * SECOND, done += 100);
  for (guint i = 20; i < 40; i++)
    pd_sync_rate_add (&rate, i * SECOND, done += 10);
  g_assert_cmpfloat_with_epsilon (pd_sync_rate_get (&rate), 10.0, 1e-9);
}

static void
test_rate_ignores_close_samples (void)
{
  PdSyncRate rate;

  pd_sync_rate_reset (&rate);
  pd_sync_rate_add (&rate, 0, 0);
  /* Many samples 10 ms apart must not freeze the window on the first one. */
  for (guint i = 1; i <= 300; i++)
    pd_sync_rate_add (&rate, i * 10 * G_TIME_SPAN_MILLISECOND, i);
  g_assert_cmpfloat (pd_sync_rate_get (&rate), >, 90);
  g_assert_cmpfloat (pd_sync_rate_get (&rate), <, 110);
}

static void
test_eta_unknown (void)
{
  g_assert_cmpfloat (pd_sync_eta (0, 10, 100), <, 0);
  g_assert_cmpfloat (pd_sync_eta (5, 10, 0), <, 0);
  g_assert_cmpfloat (pd_sync_eta (5, 100, 100), ==, 0);
}

static PdPcAuditRecord *
record_new (const char *customer,
            const char *operation,
            const char *resource,
            int         day,
            const char *status)
{
  PdPcAuditRecord *record = g_new0 (PdPcAuditRecord, 1);

  record->customer_id = g_strdup (customer);
  record->operation_type = g_strdup (operation);
  record->resource_type = g_strdup (resource);
  record->operation_status = g_strdup (status);
  record->operation_date = day > 0 ? g_date_time_new_utc (2026, 11, day, 12, 0, 0) : NULL;
  return record;
}

/* Local frees: this test links only the sync helpers, not the API library. */
static void
record_free (gpointer data)
{
  PdPcAuditRecord *record = data;

  g_free (record->customer_id);
  g_free (record->operation_type);
  g_free (record->resource_type);
  g_free (record->operation_status);
  g_clear_pointer (&record->operation_date, g_date_time_unref);
  g_free (record);
}

static void
profile_free (PdPcBillingProfile *profile)
{
  pd_bill_to_free (profile->bill_to);
  g_free (profile->etag);
  g_free (profile);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestProfile, profile_free)

static int
change_of (GHashTable *changes,
           const char *tenant)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (changes, tenant));
}

static void
test_audit_changes (void)
{
  g_autoptr(GPtrArray) records =
    g_ptr_array_new_with_free_func (record_free);
  g_autoptr(GHashTable) changes = NULL;

  g_ptr_array_add (records, record_new ("a", "add_customer", "customer", 2, "succeeded"));
  g_ptr_array_add (records, record_new ("b", "update_customer_billing_profile", "customer", 3,
                                        "succeeded"));
  g_ptr_array_add (records, record_new ("c", "update_customer_partner_contract_company_name",
                                        NULL, 3, NULL));
  g_ptr_array_add (records, record_new ("d", "remove_partner_customer_relationship",
                                        "customer", 4, "succeeded"));
  /* Re-added after removal (records out of order): the later record wins. */
  g_ptr_array_add (records, record_new ("e", "add_customer", "customer", 6, "succeeded"));
  g_ptr_array_add (records, record_new ("e", "remove_partner_customer_relationship",
                                        "customer", 5, "succeeded"));
  /* Removed after an update. */
  g_ptr_array_add (records, record_new ("f", "remove_partner_customer_relationship",
                                        "customer", 7, "succeeded"));
  g_ptr_array_add (records, record_new ("f", "update_customer_billing_profile", "customer", 6,
                                        "succeeded"));
  /* A failed removal changed nothing: fetch to be sure. */
  g_ptr_array_add (records, record_new ("g", "remove_partner_customer_relationship",
                                        "customer", 7, "failed"));
  /* Not about the customer itself, or about no customer. */
  g_ptr_array_add (records, record_new ("h", "create_order", "order", 3, "succeeded"));
  g_ptr_array_add (records, record_new (NULL, "add_customer", "customer", 3, "succeeded"));

  changes = pd_sync_changes_from_audit (records);
  g_assert_cmpuint (g_hash_table_size (changes), ==, 7);
  g_assert_cmpint (change_of (changes, "a"), ==, PD_SYNC_CHANGE_REFETCH);
  g_assert_cmpint (change_of (changes, "b"), ==, PD_SYNC_CHANGE_REFETCH);
  g_assert_cmpint (change_of (changes, "c"), ==, PD_SYNC_CHANGE_REFETCH);
  g_assert_cmpint (change_of (changes, "d"), ==, PD_SYNC_CHANGE_REMOVED);
  g_assert_cmpint (change_of (changes, "e"), ==, PD_SYNC_CHANGE_REFETCH);
  g_assert_cmpint (change_of (changes, "f"), ==, PD_SYNC_CHANGE_REMOVED);
  g_assert_cmpint (change_of (changes, "g"), ==, PD_SYNC_CHANGE_REFETCH);
  g_assert_false (g_hash_table_contains (changes, "h"));
}

static void
test_audit_empty (void)
{
  g_autoptr(GHashTable) changes = pd_sync_changes_from_audit (NULL);

  g_assert_cmpuint (g_hash_table_size (changes), ==, 0);
}

static void
test_window (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 24, 6, 0, 0);
  g_autoptr(GDateTime) recent = g_date_time_add_days (now, -3);
  g_autoptr(GDateTime) edge = g_date_time_add_hours (now, -89 * 24 + 1);
  g_autoptr(GDateTime) old = g_date_time_add_days (now, -91);
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) expected = NULL;

  g_assert_false (pd_sync_audit_window_start (NULL, now, &start));
  g_assert_null (start);
  g_assert_false (pd_sync_audit_window_start (old, now, &start));
  g_assert_null (start);

  /* Recent base: one day of overlap before it. */
  g_assert_true (pd_sync_audit_window_start (recent, now, &start));
  expected = g_date_time_add_days (recent, -1);
  g_assert_true (g_date_time_equal (start, expected));
  g_clear_pointer (&start, g_date_time_unref);
  g_clear_pointer (&expected, g_date_time_unref);

  /* Near the retention edge the overlap is clipped, but the window still covers the base and
   * never reaches past 89 days. */
  g_assert_true (pd_sync_audit_window_start (edge, now, &start));
  g_assert_cmpint (g_date_time_compare (start, edge), <=, 0);
  g_assert_cmpint (g_date_time_difference (now, start), <=, 89 * G_TIME_SPAN_DAY);
}

static PdPcBillingProfile *
profile_new (void)
{
  PdPcBillingProfile *profile = g_new0 (PdPcBillingProfile, 1);

  profile->bill_to = pd_bill_to_new ();
  pd_bill_to_set (profile->bill_to, PD_BILL_TO_COMPANY_NAME, "Contoso Billing");
  pd_bill_to_set (profile->bill_to, PD_BILL_TO_EMAIL, "ap@contoso.example");
  pd_bill_to_set (profile->bill_to, PD_BILL_TO_COUNTRY, "DE");
  profile->etag = g_strdup ("\"-42\"");
  return profile;
}

static void
test_item_to_organization (void)
{
  PdPcCustomer customer = {
    .id = (char *) "11111111-2222-3333-4444-555555555555",
    .company_name = (char *) "Contoso",
    .domain = (char *) "contoso.onmicrosoft.com",
    .relationship = (char *) "reseller",
    .has_delegated_access_value = TRUE,
    .allow_delegated_access = TRUE,
  };
  g_autoptr(PdSyncItem) item = pd_sync_item_new_from_customer (&customer);
  g_autoptr(TestProfile) profile = profile_new ();
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 24, 6, 0, 0);
  g_autoptr(PdOrganization) org = NULL;

  g_assert_true (item->answered_for);
  org = pd_sync_item_to_organization (item, profile, "r-1", "Reseller One", now);
  g_assert_cmpint (pd_organization_get_source (org), ==, PD_ORG_SOURCE_PARTNER_CENTER);
  g_assert_cmpstr (pd_organization_get_tenant_id (org), ==, customer.id);
  g_assert_cmpstr (pd_organization_get_name (org), ==, "Contoso");
  g_assert_cmpstr (pd_organization_get_domain (org), ==, "contoso.onmicrosoft.com");
  g_assert_cmpstr (pd_organization_get_relationship (org), ==, "reseller");
  g_assert_true (pd_organization_get_delegated_access (org));
  g_assert_cmpstr (pd_organization_get_reseller_id (org), ==, "r-1");
  g_assert_cmpstr (pd_organization_get_reseller_name (org), ==, "Reseller One");
  g_assert_cmpstr (pd_organization_get_bill_to_etag (org), ==, "\"-42\"");
  g_assert_true (pd_bill_to_equal (pd_organization_get_bill_to_partner_center (org),
                                   profile->bill_to));
  g_assert_null (pd_organization_get_bill_to_override (org));
  g_assert_cmpstr (pd_organization_get_country (org), ==, "DE");
  g_assert_true (g_date_time_equal (pd_organization_get_last_synced_at (org), now));
}

static void
test_item_name_from_bill_to (void)
{
  g_autoptr(PdSyncItem) item = pd_sync_item_new_for_tenant ("t-1");
  g_autoptr(TestProfile) profile = profile_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(PdOrganization) org = NULL;

  g_assert_false (item->answered_for);
  org = pd_sync_item_to_organization (item, profile, NULL, NULL, now);
  /* Listed without a name: the list shows the billing profile's company name anyway. */
  g_assert_cmpstr (pd_organization_get_name (org), ==, "Contoso Billing");
  g_assert_null (pd_organization_get_reseller_id (org));
  g_assert_false (pd_organization_get_delegated_access (org));
}

/* A customer listed with a name of spaces only has none: the billing profile's company name
 * stands in, as for one listed without a name; a padded name and domain lose their spaces, as
 * the bill-to's values do. */
static void
test_item_blank_and_padded_name (void)
{
  PdPcCustomer blank = { .id = (char *) "t-1", .company_name = (char *) "   ",
                         .domain = (char *) " contoso.onmicrosoft.com " };
  PdPcCustomer padded = { .id = (char *) "t-2", .company_name = (char *) " Contoso Ltd \t" };
  g_autoptr(PdSyncItem) blank_item = pd_sync_item_new_from_customer (&blank);
  g_autoptr(PdSyncItem) padded_item = pd_sync_item_new_from_customer (&padded);
  g_autoptr(TestProfile) profile = profile_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(PdOrganization) blank_org = NULL;
  g_autoptr(PdOrganization) padded_org = NULL;

  blank_org = pd_sync_item_to_organization (blank_item, profile, NULL, NULL, now);
  g_assert_cmpstr (pd_organization_get_name (blank_org), ==, "Contoso Billing");
  g_assert_cmpstr (pd_organization_get_domain (blank_org), ==, "contoso.onmicrosoft.com");
  padded_org = pd_sync_item_to_organization (padded_item, profile, NULL, NULL, now);
  g_assert_cmpstr (pd_organization_get_name (padded_org), ==, "Contoso Ltd");
}

int
main (int argc, char **argv)
{
  pd_test_init (&argc, &argv);
  g_test_add_func ("/sync/rate/steady", test_rate_steady);
  g_test_add_func ("/sync/rate/follows-slowdown", test_rate_follows_slowdown);
  g_test_add_func ("/sync/rate/ignores-close-samples", test_rate_ignores_close_samples);
  g_test_add_func ("/sync/rate/eta-unknown", test_eta_unknown);
  g_test_add_func ("/sync/audit/changes", test_audit_changes);
  g_test_add_func ("/sync/audit/empty", test_audit_empty);
  g_test_add_func ("/sync/audit/window", test_window);
  g_test_add_func ("/sync/item/to-organization", test_item_to_organization);
  g_test_add_func ("/sync/item/name-from-bill-to", test_item_name_from_bill_to);
  g_test_add_func ("/sync/item/blank-and-padded-name", test_item_blank_and_padded_name);
  return g_test_run ();
}
