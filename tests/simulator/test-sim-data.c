/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sim-data.c — the seeded generator: determinism, bill-tos valid for their country,
 * the share of incomplete bill-tos and near-duplicate names, resellers, speed; and the
 * partner-desk-simulator executable's first line. */
#include <signal.h>
#include <string.h>
#include <time.h>

#include "pd-sim-countries.h"
#include "pd-sim-data.h"
#include "pd-sim-json.h"
#include "pd-test-util.h"

static gboolean
is_incomplete (const PdSimCustomer *c)
{
  const PdSimCountryInfo *info = pd_sim_country_info (c->bill[PD_SIM_BILL_COUNTRY]);
  const PdSimBillField required[] = {
    PD_SIM_BILL_EMAIL, PD_SIM_BILL_CITY, PD_SIM_BILL_LINE1, PD_SIM_BILL_POSTAL_CODE,
    PD_SIM_BILL_ADDR_FIRST_NAME, PD_SIM_BILL_ADDR_LAST_NAME, PD_SIM_BILL_COMPANY_NAME,
  };

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (c->bill[required[i]] == NULL)
      return TRUE;
  return (info->state_required && c->bill[PD_SIM_BILL_STATE] == NULL)
         || (info->phone_required && c->bill[PD_SIM_BILL_PHONE] == NULL);
}

static void
test_deterministic (void)
{
  gint64 now = g_get_real_time ();
  PdSimData *a = pd_sim_data_new (500, 5, 7, now);
  PdSimData *b = pd_sim_data_new (500, 5, 7, now);
  PdSimData *c = pd_sim_data_new (500, 5, 8, now);

  g_assert_cmpuint (pd_sim_data_n_customers (a), ==, 500);
  g_assert_cmpstr (pd_sim_data_partner_tenant_id (a), ==, pd_sim_data_partner_tenant_id (b));
  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *ja = pd_sim_billing_profile_to_string (pd_sim_data_customer (a, i));
      g_autofree char *jb = pd_sim_billing_profile_to_string (pd_sim_data_customer (b, i));
      g_assert_cmpstr (pd_sim_data_customer (a, i)->id, ==, pd_sim_data_customer (b, i)->id);
      g_assert_cmpstr (ja, ==, jb);
    }
  g_assert_cmpstr (pd_sim_data_customer (a, 0)->id, !=, pd_sim_data_customer (c, 0)->id);
  pd_sim_data_free (a);
  pd_sim_data_free (b);
  pd_sim_data_free (c);
}

static void
assert_valid_address (const PdSimCustomer *c)
{
  const PdSimCountryInfo *info = pd_sim_country_info (c->bill[PD_SIM_BILL_COUNTRY]);

  g_assert_nonnull (info);
  g_assert_true (g_utf8_validate (c->bill[PD_SIM_BILL_COMPANY_NAME], -1, NULL));
  g_assert_true (g_str_has_suffix (c->domain, ".onmicrosoft.com"));
  if (c->bill[PD_SIM_BILL_POSTAL_CODE] != NULL)
    g_assert_true (g_regex_match_simple (info->postal_code_regex,
                                         c->bill[PD_SIM_BILL_POSTAL_CODE], 0, 0));
  if (c->bill[PD_SIM_BILL_STATE] != NULL)
    {
      g_auto(GStrv) states = g_strsplit (info->states, " ", -1);
      g_assert_true (g_strv_contains ((const char * const *) states, c->bill[PD_SIM_BILL_STATE]));
    }
  if (c->bill[PD_SIM_BILL_EMAIL] != NULL)
    g_assert_nonnull (strchr (c->bill[PD_SIM_BILL_EMAIL], '@'));
  g_assert_cmpstr (c->bill[PD_SIM_BILL_CULTURE], ==, info->culture);
}

static void
test_realistic (void)
{
  const guint n = 5000;
  PdSimData *data = pd_sim_data_new (n, 5, 1, g_get_real_time ());
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) countries = g_hash_table_new (g_str_hash, g_str_equal);
  guint incomplete = 0, similar = 0, with_reseller = 0;

  for (guint i = 0; i < n; i++)
    {
      const PdSimCustomer *c = pd_sim_data_customer (data, i);
      assert_valid_address (c);
      incomplete += is_incomplete (c);
      with_reseller += c->reseller_id != NULL;
      g_hash_table_add (countries, c->bill[PD_SIM_BILL_COUNTRY]);
      if (!g_hash_table_add (keys, pd_sim_name_key (c->bill[PD_SIM_BILL_COMPANY_NAME],
                                                    c->bill[PD_SIM_BILL_COUNTRY])))
        similar++;
    }
  /* About 10 % incomplete, about 2 % near-duplicates (the key finds most of them), about a
   * third attributed to a reseller, and every country of the generator represented. */
  g_assert_cmpuint (incomplete, >, n * 7 / 100);
  g_assert_cmpuint (incomplete, <, n * 13 / 100);
  g_assert_cmpuint (similar, >, n * 1 / 100);
  g_assert_cmpuint (similar, <, n * 4 / 100);
  g_assert_cmpuint (with_reseller, >, n / 4);
  g_assert_cmpuint (with_reseller, <, n / 2);
  g_assert_cmpuint (g_hash_table_size (countries), ==, pd_sim_countries_count ());
  g_assert_cmpuint (pd_sim_data_n_resellers (data), ==, 5);
  g_assert_cmpuint (pd_sim_data_n_audit (data), >, 0);
  pd_sim_data_free (data);
}

static void
test_mutations_audited (void)
{
  PdSimData *data = pd_sim_data_new (100, 2, 3, g_get_real_time ());
  guint audit = pd_sim_data_n_audit (data);
  PdSimRng rng;
  PdSimCustomer *c = pd_sim_data_customer (data, 10);
  gint64 etag = c->etag;
  g_autofree char *removed = g_strdup (pd_sim_data_customer (data, 20)->id);
  PdSimCustomer *added;

  pd_sim_rng_init (&rng, 99);
  pd_sim_data_change_bill_to (data, c, &rng, g_get_real_time ());
  g_assert_cmpint (c->etag, !=, etag);
  g_assert_true (pd_sim_data_remove_customer (data, removed, g_get_real_time ()));
  g_assert_null (pd_sim_data_lookup (data, removed));
  added = pd_sim_data_add_customer (data, &rng, NULL, g_get_real_time ());
  g_assert_true (pd_sim_data_lookup (data, added->id) == added);
  g_assert_cmpuint (pd_sim_data_n_customers (data), ==, 100);
  g_assert_cmpuint (pd_sim_data_n_audit (data), ==, audit + 3);
  g_assert_cmpstr (pd_sim_data_audit (data, audit)->operation_type, ==,
                   "update_customer_billing_profile");
  g_assert_cmpstr (pd_sim_data_audit (data, audit + 1)->operation_type, ==,
                   "remove_partner_customer_relationship");
  g_assert_cmpstr (pd_sim_data_audit (data, audit + 2)->operation_type, ==, "add_customer");
  /* Listing order stays by seq: the new customer comes last. */
  g_assert_true (pd_sim_data_customer (data, 99) == added);
  g_assert_cmpuint (pd_sim_data_index_after (data, added->seq), ==, 100);
  pd_sim_data_free (data);
}

static void
test_fast (void)
{
  /* CPU time, not wall time: the machine running the tests is often shared. */
  clock_t start = clock ();
  PdSimData *data = pd_sim_data_new (100000, 10, 1, g_get_real_time ());
  gint64 elapsed_ms = (gint64) (clock () - start) * 1000 / CLOCKS_PER_SEC;

  g_test_message ("100,000 customers generated in %" G_GINT64_FORMAT " ms of CPU time",
                  elapsed_ms);
  g_assert_cmpuint (pd_sim_data_n_customers (data), ==, 100000);
  /* Generous bound: the machine is shared and sanitizer builds are slower. */
  g_assert_cmpint (elapsed_ms, <, 20000);
  pd_sim_data_free (data);
}

/* partner-desk-simulator prints its base URL as the first line, then serves until SIGTERM. */
static void
test_executable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                                     SIMULATOR_PATH, "--port", "0",
                                                     "--customers", "50", "--seed", "3", NULL);
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:"));
  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static void
test_executable_rejects_bad_options (void)
{
  const char *argv[] = { SIMULATOR_PATH, "--end-of-paging", "sometimes", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (pd_test_run (argv, NULL, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "end-of-paging"));
}

int
main (int argc, char **argv)
{
  pd_test_init (&argc, &argv);
  g_test_add_func ("/sim-data/deterministic", test_deterministic);
  g_test_add_func ("/sim-data/realistic", test_realistic);
  g_test_add_func ("/sim-data/mutations-audited", test_mutations_audited);
  g_test_add_func ("/sim-data/fast", test_fast);
  g_test_add_func ("/sim-data/executable", test_executable);
  g_test_add_func ("/sim-data/executable-bad-options", test_executable_rejects_bad_options);
  return g_test_run ();
}
