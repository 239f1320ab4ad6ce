/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-organization.c — PdOrganization: notifications, bill-to views, copies. */
#include "config.h"

#include "pd-organization.h"
#include "pd-test-util.h"

/* Counts "notify" emissions per property name. */
typedef struct {
  GHashTable *counts;
} NotifyLog;

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           NotifyLog  *log)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, pspec->name));

  g_hash_table_insert (log->counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static void
notify_log_init (NotifyLog      *log,
                 PdOrganization *org)
{
  log->counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_signal_connect (org, "notify", G_CALLBACK (on_notify), log);
}

static guint
notify_count (NotifyLog  *log,
              const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, name));
}

static void
notify_log_reset (NotifyLog *log)
{
  g_hash_table_remove_all (log->counts);
}

static PdBillTo *
make_bill_to (const char *city,
              const char *country)
{
  PdBillTo *bill_to = pd_bill_to_new ();

  pd_bill_to_set (bill_to, PD_BILL_TO_COMPANY_NAME, "Contoso");
  pd_bill_to_set (bill_to, PD_BILL_TO_CITY, city);
  pd_bill_to_set (bill_to, PD_BILL_TO_COUNTRY, country);
  return bill_to;
}

static void
test_notify_once (void)
{
  g_autoptr(PdOrganization) org = pd_organization_new ();
  const char * const segments[] = { "smb", "edu", NULL };
  const char * const same_segments[] = { "smb", "edu", NULL };
  NotifyLog log;

  notify_log_init (&log, org);

  pd_organization_set_name (org, "Contoso");
  pd_organization_set_name (org, "Contoso");
  g_assert_cmpuint (notify_count (&log, "name"), ==, 1);
  g_assert_cmpstr (pd_organization_get_name (org), ==, "Contoso");

  pd_organization_set_status (org, PD_ORG_STATUS_ACTIVE);
  pd_organization_set_status (org, PD_ORG_STATUS_ACTIVE);
  g_assert_cmpuint (notify_count (&log, "status"), ==, 1);

  pd_organization_set_segments (org, segments);
  pd_organization_set_segments (org, same_segments);
  g_assert_cmpuint (notify_count (&log, "segments"), ==, 1);
  g_assert_cmpstr (pd_organization_get_segments (org)[1], ==, "edu");
  pd_organization_set_segments (org, NULL);
  g_assert_cmpuint (notify_count (&log, "segments"), ==, 2);
  g_assert_null (pd_organization_get_segments (org)[0]);

  pd_organization_set_removed (org, TRUE);
  pd_organization_set_removed (org, TRUE);
  g_assert_cmpuint (notify_count (&log, "removed"), ==, 1);

  /* Through g_object_set too (G_PARAM_EXPLICIT_NOTIFY: no notification for same value). */
  g_object_set (org, "erp-id", "E-1", NULL);
  g_object_set (org, "erp-id", "E-1", NULL);
  g_assert_cmpuint (notify_count (&log, "erp-id"), ==, 1);
  g_assert_cmpstr (pd_organization_get_erp_id (org), ==, "E-1");

  pd_organization_set_reseller (org, "r-1", "Fabrikam");
  pd_organization_set_reseller (org, "r-1", "Fabrikam");
  g_assert_cmpuint (notify_count (&log, "reseller-id"), ==, 1);
  g_assert_cmpuint (notify_count (&log, "reseller-name"), ==, 1);

  g_hash_table_unref (log.counts);
}

static void
test_date_times (void)
{
  g_autoptr(PdOrganization) org = pd_organization_new ();
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 12, 1, 0, 0, 0);
  g_autoptr(GDateTime) same = g_date_time_new_utc (2026, 12, 1, 0, 0, 0);
  NotifyLog log;

  notify_log_init (&log, org);
  pd_organization_set_currency_effective (org, when);
  pd_organization_set_currency_effective (org, same);
  g_assert_cmpuint (notify_count (&log, "currency-effective"), ==, 1);
  g_assert_true (g_date_time_equal (pd_organization_get_currency_effective (org), when));
  pd_organization_set_last_synced_at (org, when);
  pd_organization_set_last_synced_at (org, NULL);
  g_assert_cmpuint (notify_count (&log, "last-synced-at"), ==, 2);
  g_assert_null (pd_organization_get_last_synced_at (org));
  g_hash_table_unref (log.counts);
}

static void
test_bill_to_views (void)
{
  g_autoptr(PdOrganization) org = pd_organization_new ();
  g_autoptr(PdBillTo) pc = make_bill_to ("Espoo", "FI");
  g_autoptr(PdBillTo) override = pd_bill_to_new ();
  g_auto(GStrv) local = NULL;
  NotifyLog log;

  /* Never NULL, even before the first sync. */
  g_assert_nonnull (pd_organization_get_bill_to (org));
  g_assert_true (pd_bill_to_is_empty (pd_organization_get_bill_to_partner_center (org)));

  notify_log_init (&log, org);
  pd_organization_set_bill_to_partner_center (org, pc, "etag-1");
  g_assert_cmpuint (notify_count (&log, "bill-to"), ==, 1);
  g_assert_cmpuint (notify_count (&log, "bill-to-partner-center"), ==, 1);
  g_assert_cmpuint (notify_count (&log, "bill-to-etag"), ==, 1);
  g_assert_cmpuint (notify_count (&log, "has-local-edits"), ==, 0);
  g_assert_cmpstr (pd_organization_get_bill_to_etag (org), ==, "etag-1");
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_CITY), ==,
                   "Espoo");

  notify_log_reset (&log);
  pd_organization_set_bill_to_partner_center (org, pc, "etag-1");
  g_assert_cmpuint (g_hash_table_size (log.counts), ==, 0);

  pd_bill_to_set (override, PD_BILL_TO_CITY, "Helsinki");
  pd_organization_set_bill_to_override (org, override, "etag-1");
  g_assert_cmpuint (notify_count (&log, "bill-to"), ==, 1);
  g_assert_cmpuint (notify_count (&log, "has-local-edits"), ==, 1);
  g_assert_cmpuint (notify_count (&log, "bill-to-override"), ==, 1);
  g_assert_true (pd_organization_get_has_local_edits (org));
  g_assert_cmpstr (pd_organization_get_override_base_etag (org), ==, "etag-1");
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_CITY), ==,
                   "Helsinki");
  /* Not overridden: falls through to the Partner Center value. */
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_COMPANY_NAME),
                   ==, "Contoso");
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to_partner_center (org),
                                   PD_BILL_TO_CITY), ==, "Espoo");
  g_assert_true (pd_organization_is_field_overridden (org, PD_BILL_TO_CITY));
  g_assert_false (pd_organization_is_field_overridden (org, PD_BILL_TO_COMPANY_NAME));
  local = pd_organization_dup_local_bill_to_fields (org);
  g_assert_cmpuint (g_strv_length (local), ==, 1);
  g_assert_cmpstr (local[0], ==, "address.city");

  /* A PC change under an overridden field leaves the effective value alone. */
  notify_log_reset (&log);
  pd_bill_to_set (pc, PD_BILL_TO_CITY, "Vantaa");
  pd_organization_set_bill_to_partner_center (org, pc, "etag-2");
  g_assert_cmpuint (notify_count (&log, "bill-to-partner-center"), ==, 1);
  g_assert_cmpuint (notify_count (&log, "bill-to"), ==, 0);

  /* An empty override is no override. */
  notify_log_reset (&log);
  pd_bill_to_set (override, PD_BILL_TO_CITY, NULL);
  pd_organization_set_bill_to_override (org, override, "etag-2");
  g_assert_false (pd_organization_get_has_local_edits (org));
  g_assert_null (pd_organization_get_bill_to_override (org));
  g_assert_null (pd_organization_get_override_base_etag (org));
  g_assert_cmpuint (notify_count (&log, "has-local-edits"), ==, 1);
  g_assert_cmpuint (notify_count (&log, "bill-to"), ==, 1);
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_CITY), ==,
                   "Vantaa");
  g_hash_table_unref (log.counts);
}

static void
test_country (void)
{
  g_autoptr(PdOrganization) org = pd_organization_new ();
  g_autoptr(PdBillTo) pc = make_bill_to ("Oslo", "NO");
  g_autoptr(PdBillTo) override = pd_bill_to_new ();
  NotifyLog log;

  notify_log_init (&log, org);
  pd_organization_set_country (org, "SE");
  g_assert_cmpstr (pd_organization_get_country (org), ==, "SE");
  g_assert_cmpuint (notify_count (&log, "country"), ==, 1);

  pd_organization_set_bill_to_partner_center (org, pc, NULL);
  g_assert_cmpstr (pd_organization_get_country (org), ==, "NO");
  g_assert_cmpuint (notify_count (&log, "country"), ==, 2);

  pd_bill_to_set (override, PD_BILL_TO_COUNTRY, "DK");
  pd_organization_set_bill_to_override (org, override, NULL);
  g_assert_cmpstr (pd_organization_get_country (org), ==, "DK");
  g_assert_cmpuint (notify_count (&log, "country"), ==, 3);

  /* The stored country is hidden by the bill-to: no change visible, no notification. */
  pd_organization_set_country (org, "FI");
  g_assert_cmpstr (pd_organization_get_country (org), ==, "DK");
  g_assert_cmpuint (notify_count (&log, "country"), ==, 3);
  g_hash_table_unref (log.counts);
}

static void
test_missing_fields (void)
{
  g_autoptr(PdOrganization) org = pd_organization_new ();
  const char * const missing[] = { "address.postalCode", NULL };
  gboolean complete = FALSE;
  NotifyLog log;

  notify_log_init (&log, org);
  g_assert_true (pd_organization_get_bill_to_complete (org));
  pd_organization_set_missing_fields (org, missing);
  g_assert_false (pd_organization_get_bill_to_complete (org));
  g_assert_cmpstr (pd_organization_get_missing_fields (org)[0], ==, "address.postalCode");
  g_assert_cmpuint (notify_count (&log, "bill-to-complete"), ==, 1);
  g_assert_cmpuint (notify_count (&log, "missing-fields"), ==, 1);
  pd_organization_set_missing_fields (org, missing);
  g_assert_cmpuint (notify_count (&log, "missing-fields"), ==, 1);

  pd_organization_set_missing_fields (org, NULL);
  g_object_get (org, "bill-to-complete", &complete, NULL);
  g_assert_true (complete);
  g_assert_cmpuint (notify_count (&log, "bill-to-complete"), ==, 2);
  g_hash_table_unref (log.counts);
}

static void
test_copy (void)
{
  g_autoptr(PdOrganization) org = pd_organization_new ();
  g_autoptr(PdOrganization) copy = NULL;
  g_autoptr(PdBillTo) pc = make_bill_to ("Turku", "FI");
  g_autoptr(PdBillTo) override = pd_bill_to_new ();
  const char * const options[] = { "mfa", NULL };

  pd_organization_set_id (org, 42);
  pd_organization_set_tenant_id (org, "t-1");
  pd_organization_set_source (org, PD_ORG_SOURCE_MANUAL);
  pd_organization_set_name (org, "Contoso Oy");
  pd_organization_set_currency (org, "EUR");
  pd_organization_set_login_options (org, options);
  pd_organization_set_delegated_access (org, TRUE);
  pd_bill_to_set (override, PD_BILL_TO_EMAIL, "billing@contoso.fi");
  pd_organization_set_bill_to_partner_center (org, pc, "e1");
  pd_organization_set_bill_to_override (org, override, "e1");

  copy = pd_organization_copy (org);
  g_assert_cmpint (pd_organization_get_id (copy), ==, 42);
  g_assert_cmpstr (pd_organization_get_tenant_id (copy), ==, "t-1");
  g_assert_cmpint (pd_organization_get_source (copy), ==, PD_ORG_SOURCE_MANUAL);
  g_assert_cmpstr (pd_organization_get_currency (copy), ==, "EUR");
  g_assert_cmpstr (pd_organization_get_login_options (copy)[0], ==, "mfa");
  g_assert_true (pd_organization_get_delegated_access (copy));
  g_assert_true (pd_bill_to_equal (pd_organization_get_bill_to (copy),
                                   pd_organization_get_bill_to (org)));
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (copy), PD_BILL_TO_EMAIL), ==,
                   "billing@contoso.fi");

  /* Independent: editing the copy leaves the original alone. */
  pd_organization_set_name (copy, "Other");
  pd_organization_set_bill_to_override (copy, NULL, NULL);
  g_assert_cmpstr (pd_organization_get_name (org), ==, "Contoso Oy");
  g_assert_true (pd_organization_get_has_local_edits (org));
}

static void
test_properties (void)
{
  g_autoptr(PdOrganization) org = pd_organization_new ();
  g_autoptr(PdBillTo) pc = make_bill_to ("Bergen", "NO");
  g_autoptr(PdBillTo) got = NULL;
  g_auto(GStrv) segments = NULL;
  const char * const in_segments[] = { "a", NULL };
  gboolean local = TRUE;

  g_object_set (org, "bill-to-partner-center", pc, "segments", in_segments,
                "status", PD_ORG_STATUS_BLOCKED, NULL);
  g_object_get (org, "bill-to", &got, "segments", &segments, "has-local-edits", &local, NULL);
  g_assert_true (pd_bill_to_equal (got, pc));
  g_assert_cmpstr (segments[0], ==, "a");
  g_assert_false (local);
  g_assert_cmpint (pd_organization_get_status (org), ==, PD_ORG_STATUS_BLOCKED);
}

/* Passing the organization's own (borrowed) views back in must not read freed memory. */
static void
test_aliasing (void)
{
  g_autoptr(PdOrganization) org = pd_organization_new ();
  g_autoptr(PdBillTo) pc = make_bill_to ("Oulu", "FI");
  g_autoptr(PdBillTo) override = pd_bill_to_new ();

  pd_organization_set_bill_to_partner_center (org, pc, "e1");
  pd_bill_to_set (override, PD_BILL_TO_CITY, "Tampere");
  pd_organization_set_bill_to_override (org, override, "e1");

  /* "Accept my edits as the new Partner Center value". */
  pd_organization_set_bill_to_partner_center (org, pd_organization_get_bill_to (org),
                                              pd_organization_get_bill_to_etag (org));
  pd_organization_set_bill_to_override (org, pd_organization_get_bill_to_override (org),
                                        pd_organization_get_override_base_etag (org));
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to_partner_center (org),
                                   PD_BILL_TO_CITY), ==, "Tampere");
  g_assert_cmpstr (pd_organization_get_bill_to_etag (org), ==, "e1");
  g_assert_cmpstr (pd_organization_get_override_base_etag (org), ==, "e1");
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_COMPANY_NAME),
                   ==, "Contoso");
}

int
main (int argc, char *argv[])
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/organization/notify-once", test_notify_once);
  g_test_add_func ("/organization/date-times", test_date_times);
  g_test_add_func ("/organization/bill-to-views", test_bill_to_views);
  g_test_add_func ("/organization/country", test_country);
  g_test_add_func ("/organization/missing-fields", test_missing_fields);
  g_test_add_func ("/organization/copy", test_copy);
  g_test_add_func ("/organization/properties", test_properties);
  g_test_add_func ("/organization/aliasing", test_aliasing);

  return g_test_run ();
}
