/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-pc-client.c — every PdPcClient call against the simulator on loopback. */
#include <string.h>

#include "pd-test-util.h"
#include "api-test-common.h"
#include "pd-pc-client-private.h"
#include "simulator/pd-simulator.h"

#define TOKEN "test-bearer-value"
#define WAIT_MS 30000

typedef struct {
  PdSimulator *sim;
  PdAuth      *auth;
  PdPcClient  *client;
  ApiWait      wait;          /* single calls */
  /* The last list's outcome. */
  gboolean     done;
  gint64       count;
  GError      *error;
  GHashTable  *seen_ids;
  guint        pages;
  guint        stop_after_pages;
  GCancellable *cancel_on_page;
  char        *expect_prefix;   /* casefolded; every listed name must start with it */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  PdSimulatorOptions options;
  g_autoptr(GError) error = NULL;

  pd_simulator_options_init (&options);
  options.n_customers = GPOINTER_TO_UINT (data) ? GPOINTER_TO_UINT (data) : 1234;
  options.token = TOKEN;
  f->sim = pd_simulator_new (&options);
  g_assert_true (pd_simulator_start (f->sim, 0, &error));
  g_assert_no_error (error);
  f->auth = pd_auth_new_with_token (TOKEN);
  f->client = pd_pc_client_new (pd_simulator_get_base_url (f->sim), f->auth, &error);
  g_assert_no_error (error);
  pd_pc_client_set_retry_policy (f->client, 3, 5);
  f->seen_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_error (&f->error);
  api_wait_clear (&f->wait);
  g_clear_object (&f->cancel_on_page);
  g_free (f->expect_prefix);
  g_hash_table_unref (f->seen_ids);
  g_assert_finalize_object (f->client);
  g_clear_object (&f->auth);
  g_clear_object (&f->sim);
}

static void
reset (Fixture *f)
{
  f->done = FALSE;
  f->count = -1;
  g_clear_error (&f->error);
  g_hash_table_remove_all (f->seen_ids);
  f->pages = 0;
}

static gboolean
on_page (GPtrArray *customers,
         gpointer   data)
{
  Fixture *f = data;

  f->pages++;
  for (guint i = 0; i < customers->len; i++)
    {
      PdPcCustomer *c = g_ptr_array_index (customers, i);
      g_assert_nonnull (c->id);
      g_assert_nonnull (c->company_name);
      if (f->expect_prefix != NULL)
        {
          g_autofree char *folded = g_utf8_casefold (c->company_name, -1);
          g_assert_true (g_str_has_prefix (folded, f->expect_prefix));
        }
      /* A repeated id would mean a page was fetched twice. */
      g_assert_false (g_hash_table_contains (f->seen_ids, c->id));
      g_hash_table_add (f->seen_ids, g_strdup (c->id));
    }
  if (f->cancel_on_page != NULL && f->pages == f->stop_after_pages)
    g_cancellable_cancel (f->cancel_on_page);
  return f->cancel_on_page != NULL || f->stop_after_pages == 0 || f->pages < f->stop_after_pages;
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Fixture *f = data;

  f->count = pd_pc_client_list_customers_finish (PD_PC_CLIENT (source), result, &f->error);
  f->done = TRUE;
}

static void
list_all (Fixture            *f,
          PdPcCustomerFilter  filter,
          const char         *value,
          GCancellable       *cancellable)
{
  reset (f);
  pd_pc_client_list_customers_async (f->client, filter, value, on_page, f, cancellable,
                                     on_listed, f);
  g_assert_true (pd_test_wait_for_flag (&f->done, WAIT_MS));
}

/* The last list read all 1234 customers in 3 pages, without a retry. */
static void
assert_listed_all (Fixture *f)
{
  PdPcStats stats;

  g_assert_no_error (f->error);
  g_assert_cmpint (f->count, ==, 1234);
  g_assert_cmpuint (g_hash_table_size (f->seen_ids), ==, 1234);
  g_assert_cmpuint (f->pages, ==, 3);
  pd_pc_client_get_stats (f->client, &stats);
  g_assert_cmpuint (stats.retries, ==, 0);
}

static void
test_list_end_signals (Fixture       *f,
                       gconstpointer  data)
{
  /* 1234 customers: pages of 500, 500, 234. */
  static const PdSimEndOfPaging ends[] = {
    PD_SIM_END_BY_MISSING_NEXT, PD_SIM_END_BY_EMPTY_TOKEN, PD_SIM_END_BY_400_2000,
    PD_SIM_END_BY_204,
  };

  for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
    for (guint with_v1 = 0; with_v1 <= 1; with_v1++)
      {
        guint64 before = pd_simulator_get_requests (f->sim);
        /* The body signals end after 3 requests; 204 and 400/2000 answer a 4th. */
        guint64 expected = ends[i] == PD_SIM_END_BY_400_2000 || ends[i] == PD_SIM_END_BY_204
                           ? 4 : 3;

        g_test_message ("end-of-paging %u, next link with /v1: %u", ends[i], with_v1);
        pd_simulator_set_end_of_paging (f->sim, ends[i]);
        pd_simulator_set_next_link_with_v1 (f->sim, with_v1);
        list_all (f, PD_PC_FILTER_NONE, NULL, NULL);
        g_assert_cmpuint (pd_simulator_get_requests (f->sim) - before, ==, expected);
        assert_listed_all (f);
      }
}

static void
test_list_stop_early (Fixture       *f,
                      gconstpointer  data)
{
  f->stop_after_pages = 1;
  list_all (f, PD_PC_FILTER_NONE, NULL, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpint (f->count, ==, 500);
  g_assert_cmpuint (f->pages, ==, 1);
}

static void
test_list_cancel_mid_page (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  f->cancel_on_page = g_object_ref (cancellable);
  f->stop_after_pages = 1;
  /* Slow pages, so that the cancellation also hits a request in flight. */
  pd_simulator_set_latency (f->sim, 50, 0);
  list_all (f, PD_PC_FILTER_NONE, NULL, cancellable);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->pages, ==, 1);

  /* Cancelled while the second page is in flight. */
  g_clear_object (&f->cancel_on_page);
  g_object_unref (cancellable);
  cancellable = g_cancellable_new ();
  f->stop_after_pages = 0;
  reset (f);
  pd_pc_client_list_customers_async (f->client, PD_PC_FILTER_NONE, NULL, on_page, f, cancellable,
                                     on_listed, f);
  g_assert_true (pd_test_wait_until ((gboolean (*) (gpointer)) g_hash_table_size, f->seen_ids,
                                     WAIT_MS));
  g_cancellable_cancel (cancellable);
  g_assert_true (pd_test_wait_for_flag (&f->done, WAIT_MS));
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->pages, ==, 1);
}

static PdPcCustomer *
get_customer (Fixture    *f,
              const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PdPcCustomer *customer;

  pd_pc_client_get_customer_async (f->client, id, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  customer = pd_pc_client_get_customer_finish (f->client, result, &error);
  g_assert_no_error (error);
  return customer;
}

static void
test_list_filter (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (f->sim);
  g_autoptr(PdPcCustomer) first = get_customer (f, ids[0]);
  g_autofree char *prefix = g_utf8_substring (first->company_name, 0, 3);

  f->expect_prefix = g_utf8_casefold (prefix, -1);
  list_all (f, PD_PC_FILTER_COMPANY_NAME, prefix, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpint (f->count, >=, 1);
  g_assert_cmpint (f->count, <, 1234);
  g_assert_true (g_hash_table_contains (f->seen_ids, ids[0]));
  g_clear_pointer (&f->expect_prefix, g_free);

  /* A value JSON would have to escape travels intact: no match, no error. */
  list_all (f, PD_PC_FILTER_DOMAIN, "\"}&x=", NULL);
  g_assert_no_error (f->error);
  g_assert_cmpint (f->count, ==, 0);
}

static void
test_get_customer (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (f->sim);
  g_autoptr(PdPcCustomer) c = get_customer (f, ids[7]);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PdPcCustomer *missing;

  g_assert_cmpstr (c->id, ==, ids[7]);
  g_assert_nonnull (c->domain);
  g_assert_nonnull (c->billing_profile);
  g_assert_nonnull (c->billing_profile->etag);
  g_assert_true (c->has_delegated_access_value);

  pd_pc_client_get_customer_async (f->client, "00000000-0000-0000-0000-000000000000", NULL,
                                   api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  missing = pd_pc_client_get_customer_finish (f->client, result, &error);
  g_assert_null (missing);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_NOT_FOUND);
  g_assert_nonnull (pd_pc_error_get_code (error));
}

static PdPcBillingProfile *
get_profile (Fixture    *f,
             const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PdPcBillingProfile *profile;

  pd_pc_client_get_billing_profile_async (f->client, id, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  profile = pd_pc_client_get_billing_profile_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (profile->bill_to);
  return profile;
}

static void
test_billing_put (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (f->sim);
  g_autoptr(PdPcBillingProfile) profile = get_profile (f, ids[3]);
  g_autoptr(PdPcBillingProfile) saved = NULL;
  g_autoptr(PdPcBillingProfile) fresh = NULL;
  g_autoptr(PdPcBillingProfile) reread = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pd_bill_to_set (profile->bill_to, PD_BILL_TO_CITY, "Springfield");
  pd_pc_client_put_billing_profile_async (f->client, ids[3], profile, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  saved = pd_pc_client_put_billing_profile_finish (f->client, result, &fresh, &error);
  g_assert_no_error (error);
  g_assert_null (fresh);
  g_assert_cmpstr (pd_bill_to_get (saved->bill_to, PD_BILL_TO_CITY), ==, "Springfield");
  g_assert_cmpstr (saved->etag, !=, profile->etag);
  reread = get_profile (f, ids[3]);
  g_assert_cmpstr (pd_bill_to_get (reread->bill_to, PD_BILL_TO_CITY), ==, "Springfield");
  g_assert_true (pd_bill_to_equal (reread->bill_to, saved->bill_to));
}

/* Partner Center changed the profile after we read it: a conflict carrying the new one. */
static void
test_billing_conflict (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (f->sim);
  g_autoptr(PdPcBillingProfile) profile = get_profile (f, ids[5]);
  g_autoptr(PdPcBillingProfile) saved = NULL;
  g_autoptr(PdPcBillingProfile) fresh = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mutation = g_strdup_printf ("{\"changeBillTo\": [\"%s\"]}", ids[5]);
  g_autofree char *answer = pd_simulator_mutate_json (f->sim, mutation, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  pd_bill_to_set (profile->bill_to, PD_BILL_TO_CITY, "Shelbyville");
  pd_pc_client_put_billing_profile_async (f->client, ids[5], profile, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  saved = pd_pc_client_put_billing_profile_finish (f->client, result, &fresh, &error);
  g_assert_null (saved);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_CONFLICT);
  g_assert_nonnull (fresh);
  g_assert_cmpstr (fresh->etag, !=, profile->etag);
  g_assert_cmpstr (pd_bill_to_get (fresh->bill_to, PD_BILL_TO_CITY), !=, "Shelbyville");
}

static void
test_billing_update (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (f->sim);
  g_autoptr(PdPcBillingProfile) before = get_profile (f, ids[9]);
  g_autoptr(PdBillTo) desired = pd_bill_to_new ();
  g_autoptr(PdPcBillingProfile) saved = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Only the masked field travels; the rest is what Partner Center holds now. */
  pd_bill_to_set (desired, PD_BILL_TO_POSTAL_CODE, "12345");
  pd_bill_to_set (desired, PD_BILL_TO_EMAIL, "ignored@example.test");
  pd_pc_client_update_billing_profile_async (f->client, ids[9], desired,
                                             1u << PD_BILL_TO_POSTAL_CODE, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  saved = pd_pc_client_update_billing_profile_finish (f->client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_bill_to_get (saved->bill_to, PD_BILL_TO_POSTAL_CODE), ==, "12345");
  g_assert_cmpstr (pd_bill_to_get (saved->bill_to, PD_BILL_TO_EMAIL), ==,
                   pd_bill_to_get (before->bill_to, PD_BILL_TO_EMAIL));
}

static void
test_company_profile (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (f->sim);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCompanyProfile) profile = NULL;

  pd_pc_client_get_company_profile_async (f->client, ids[2], NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  profile = pd_pc_client_get_company_profile_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (profile->tenant_id, ==, ids[2]);
  g_assert_nonnull (profile->company_name);
  g_assert_nonnull (profile->domain);
}

static void
test_country_rules (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const countries[] = { "US", "de", "PT", "RU" };

  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(PdCountryRule) rule = NULL;
      g_autofree char *upper = g_ascii_strup (countries[i], -1);

      pd_pc_client_get_country_rules_async (f->client, countries[i], NULL, api_wait_callback, &f->wait);
      result = api_wait_take (&f->wait);
      rule = pd_pc_client_get_country_rules_finish (f->client, result, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (rule->iso2, ==, upper);
      if (g_str_equal (upper, "US"))
        {
          g_assert_true (rule->state_required);
          g_assert_nonnull (rule->allowed_states);
          g_assert_nonnull (rule->postal_code_pattern);
        }
      if (g_str_equal (upper, "RU"))
        g_assert_true (rule->phone_required);
    }
}

static void
test_validate_address (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(PdBillTo) address = pd_bill_to_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcAddressValidation) validation = NULL;

  pd_bill_to_set (address, PD_BILL_TO_ADDRESS_LINE1, "1 Microsoft Way");
  pd_bill_to_set (address, PD_BILL_TO_CITY, "Redmond");
  pd_bill_to_set (address, PD_BILL_TO_STATE, "WA");
  pd_bill_to_set (address, PD_BILL_TO_POSTAL_CODE, "98052");
  pd_bill_to_set (address, PD_BILL_TO_COUNTRY, "US");
  pd_pc_client_validate_address_async (f->client, address, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  validation = pd_pc_client_validate_address_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (validation->status);
  g_assert_nonnull (validation->suggestions);
}

static void
test_relationship_request (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  pd_pc_client_get_relationship_request_async (f->client, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  url = pd_pc_client_get_relationship_request_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (url, pd_simulator_get_partner_tenant_id (f->sim)));
}

static void
test_resellers (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) resellers = NULL;

  pd_pc_client_list_indirect_resellers_async (f->client, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  resellers = pd_pc_client_list_indirect_resellers_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (resellers->len, ==, 5);
  for (guint i = 0; i < resellers->len; i++)
    {
      PdPcReseller *r = g_ptr_array_index (resellers, i);
      g_assert_nonnull (r->id);
      g_assert_nonnull (r->name);
    }
}

/* The resellers GET /customers/{id}/relationships names for one customer. */
static GPtrArray *
customer_resellers (Fixture     *f,
                    const char  *tenant_id,
                    GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_pc_client_list_customer_resellers_async (f->client, tenant_id, NULL, api_wait_callback,
                                              &f->wait);
  result = api_wait_take (&f->wait);
  return pd_pc_client_list_customer_resellers_finish (f->client, result, error);
}

/* One customer's reseller follows a move in Partner Center; a direct customer has none, and an
 * unknown one is 404. */
static void
test_customer_resellers (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) of_moved = NULL;
  g_autoptr(GPtrArray) of_direct = NULL;
  g_autoptr(GPtrArray) of_unknown = NULL;
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (f->sim);
  const PdPcReseller *target, *named;

  pd_pc_client_list_indirect_resellers_async (f->client, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  all = pd_pc_client_list_indirect_resellers_finish (f->client, result, &error);
  g_assert_no_error (error);
  target = g_ptr_array_index (all, all->len - 1);
  g_assert_true (pd_simulator_set_customer_reseller (f->sim, ids[0], target->id));
  g_assert_true (pd_simulator_set_customer_reseller (f->sim, ids[1], NULL));
  g_assert_false (pd_simulator_set_customer_reseller (f->sim, ids[0], "no-such-reseller"));

  of_moved = customer_resellers (f, ids[0], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (of_moved->len, ==, 1);
  named = g_ptr_array_index (of_moved, 0);
  g_assert_cmpstr (named->id, ==, target->id);
  g_assert_cmpstr (named->name, ==, target->name);
  of_direct = customer_resellers (f, ids[1], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (of_direct->len, ==, 0);
  of_unknown = customer_resellers (f, "00000000-0000-0000-0000-000000000000", &error);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_NOT_FOUND);
  g_assert_null (of_unknown);
}

static void
test_audit_records (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_days (now, -1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *answer = pd_simulator_mutate_json (f->sim, "{\"changeBillTo\": 3, \"add\": 2}",
                                                      &error);
  guint n_billing = 0, n_added = 0;

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  pd_pc_client_list_audit_records_async (f->client, start, now, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  records = pd_pc_client_list_audit_records_finish (f->client, result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < records->len; i++)
    {
      PdPcAuditRecord *r = g_ptr_array_index (records, i);

      g_assert_nonnull (r->customer_id);
      g_assert_nonnull (r->operation_date);
      n_billing += g_strcmp0 (r->operation_type, "update_customer_billing_profile") == 0;
      n_added += g_strcmp0 (r->operation_type, "add_customer") == 0;
    }
  g_assert_cmpuint (n_billing, >=, 3);
  g_assert_cmpuint (n_added, >=, 2);
}

static void
test_unauthorized (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(PdAuth) wrong = pd_auth_new_with_token ("not-a-token-the-simulator-issued");
  g_autoptr(PdPcClient) client = pd_pc_client_new (pd_simulator_get_base_url (f->sim), wrong,
                                                   NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) customer = NULL;

  pd_pc_client_get_customer_async (client, "anything", NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  customer = pd_pc_client_get_customer_finish (client, result, &error);
  g_assert_null (customer);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "Sign in again"));
  g_assert_null (strstr (error->message, "not-a-token"));
}

/* With a third of the answers broken (500s, dropped connections, truncated or malformed
 * bodies), retries still deliver every customer exactly once. */
static void
test_faults_retried (Fixture       *f,
                     gconstpointer  data)
{
  PdPcStats stats;

  pd_pc_client_set_retry_policy (f->client, 8, 1);
  pd_simulator_set_fault_rate (f->sim, 0.3);
  list_all (f, PD_PC_FILTER_NONE, NULL, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpint (f->count, ==, 1234);
  g_assert_cmpuint (g_hash_table_size (f->seen_ids), ==, 1234);
  pd_pc_client_get_stats (f->client, &stats);
  g_assert_cmpuint (stats.retries, >, 0);
  g_assert_cmpuint (stats.requests, ==, 3 + stats.retries);
}

/* All answers broken: a clear error, not a hang or a crash. */
static void
test_faults_exhausted (Fixture       *f,
                       gconstpointer  data)
{
  pd_pc_client_set_retry_policy (f->client, 2, 1);
  pd_simulator_set_fault_rate (f->sim, 1.0);
  list_all (f, PD_PC_FILTER_NONE, NULL, NULL);
  g_assert_nonnull (f->error);
  g_assert_true (f->error->domain == PD_PC_ERROR);
  g_assert_cmpint (f->count, ==, -1);
  g_assert_cmpstr (f->error->message, !=, "");
}

/* Next links as other answers wrote them: the service's absolute address (the client keeps
 * only the path: its own base is where it was pointed), and "customers?…&seek_operation=Next"
 * with no leading "/" (the docs' utilization sample, get-a-customer-s-utilization-record-for-azure.md). */
static void
test_list_next_link_styles (Fixture       *f,
                            gconstpointer  data)
{
  static const PdSimNextLinkStyle styles[] = { PD_SIM_NEXT_LINK_ABSOLUTE, PD_SIM_NEXT_LINK_BARE };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    {
      pd_simulator_set_next_link_style (f->sim, styles[i]);
      list_all (f, PD_PC_FILTER_NONE, NULL, NULL);
      assert_listed_all (f);
    }
}

/* A Content-Length longer than the body: the transport hands over less than announced. The
 * list fails as unreadable, and not one customer of the cut page reaches the caller. */
static void
test_short_bodies (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (f->sim);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) customer = NULL;

  pd_pc_client_set_retry_policy (f->client, 1, 1);
  pd_simulator_set_short_bodies (f->sim, TRUE);
  list_all (f, PD_PC_FILTER_NONE, NULL, NULL);
  g_assert_error (f->error, PD_PC_ERROR, PD_PC_ERROR_INVALID_RESPONSE);
  g_assert_cmpint (f->count, ==, -1);
  g_assert_cmpuint (f->pages, ==, 0);
  pd_pc_client_get_customer_async (f->client, ids[0], NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  customer = pd_pc_client_get_customer_finish (f->client, result, &error);
  g_assert_null (customer);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_INVALID_RESPONSE);
}

int
main (int argc, char **argv)
{
  pd_test_init (&argc, &argv);
  g_test_add ("/api/client/list-end-signals", Fixture, NULL, fixture_setup,
              test_list_end_signals, fixture_teardown);
  g_test_add ("/api/client/list-next-link-styles", Fixture, NULL, fixture_setup,
              test_list_next_link_styles, fixture_teardown);
  g_test_add ("/api/client/short-bodies", Fixture, NULL, fixture_setup,
              test_short_bodies, fixture_teardown);
  g_test_add ("/api/client/list-stop-early", Fixture, NULL, fixture_setup,
              test_list_stop_early, fixture_teardown);
  g_test_add ("/api/client/list-cancel-mid-page", Fixture, NULL, fixture_setup,
              test_list_cancel_mid_page, fixture_teardown);
  g_test_add ("/api/client/list-filter", Fixture, NULL, fixture_setup,
              test_list_filter, fixture_teardown);
  g_test_add ("/api/client/get-customer", Fixture, NULL, fixture_setup,
              test_get_customer, fixture_teardown);
  g_test_add ("/api/client/billing-put", Fixture, NULL, fixture_setup,
              test_billing_put, fixture_teardown);
  g_test_add ("/api/client/billing-conflict", Fixture, NULL, fixture_setup,
              test_billing_conflict, fixture_teardown);
  g_test_add ("/api/client/billing-update", Fixture, NULL, fixture_setup,
              test_billing_update, fixture_teardown);
  g_test_add ("/api/client/company-profile", Fixture, NULL, fixture_setup,
              test_company_profile, fixture_teardown);
  g_test_add ("/api/client/country-rules", Fixture, NULL, fixture_setup,
              test_country_rules, fixture_teardown);
  g_test_add ("/api/client/validate-address", Fixture, NULL, fixture_setup,
              test_validate_address, fixture_teardown);
  g_test_add ("/api/client/relationship-request", Fixture, NULL, fixture_setup,
              test_relationship_request, fixture_teardown);
  g_test_add ("/api/client/resellers", Fixture, NULL, fixture_setup,
              test_resellers, fixture_teardown);
  g_test_add ("/api/client/customer-resellers", Fixture, NULL, fixture_setup,
              test_customer_resellers, fixture_teardown);
  g_test_add ("/api/client/audit-records", Fixture, NULL, fixture_setup,
              test_audit_records, fixture_teardown);
  g_test_add ("/api/client/unauthorized", Fixture, NULL, fixture_setup,
              test_unauthorized, fixture_teardown);
  g_test_add ("/api/client/faults-retried", Fixture, NULL, fixture_setup,
              test_faults_retried, fixture_teardown);
  g_test_add ("/api/client/faults-exhausted", Fixture, NULL, fixture_setup,
              test_faults_exhausted, fixture_teardown);
  return g_test_run ();
}
