/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sim-core-rules.c — the simulator's bill-tos judged by the app's own country rules
 * (core/pd-country-rules.h): about 10 % incomplete, the rest complete. A generator whose
 * "valid" addresses the app calls incomplete would make every demo and benchmark lie. */
#include "core/pd-country-rules.h"
#include "pd-sim-data.h"
#include "pd-test-util.h"

static PdBillTo *
to_bill_to (const PdSimCustomer *c)
{
  static const struct { PdSimBillField sim; PdBillToField core; } map[] = {
    { PD_SIM_BILL_COMPANY_NAME, PD_BILL_TO_COMPANY_NAME },
    { PD_SIM_BILL_EMAIL, PD_BILL_TO_EMAIL },
    { PD_SIM_BILL_FIRST_NAME, PD_BILL_TO_FIRST_NAME },
    { PD_SIM_BILL_LAST_NAME, PD_BILL_TO_LAST_NAME },
    { PD_SIM_BILL_CULTURE, PD_BILL_TO_CULTURE },
    { PD_SIM_BILL_LANGUAGE, PD_BILL_TO_LANGUAGE },
    { PD_SIM_BILL_LINE1, PD_BILL_TO_ADDRESS_LINE1 },
    { PD_SIM_BILL_LINE2, PD_BILL_TO_ADDRESS_LINE2 },
    { PD_SIM_BILL_CITY, PD_BILL_TO_CITY },
    { PD_SIM_BILL_STATE, PD_BILL_TO_STATE },
    { PD_SIM_BILL_REGION, PD_BILL_TO_REGION },
    { PD_SIM_BILL_POSTAL_CODE, PD_BILL_TO_POSTAL_CODE },
    { PD_SIM_BILL_COUNTRY, PD_BILL_TO_COUNTRY },
    { PD_SIM_BILL_PHONE, PD_BILL_TO_PHONE_NUMBER },
    { PD_SIM_BILL_ADDR_FIRST_NAME, PD_BILL_TO_ADDRESS_FIRST_NAME },
    { PD_SIM_BILL_ADDR_LAST_NAME, PD_BILL_TO_ADDRESS_LAST_NAME },
  };
  PdBillTo *bill_to = pd_bill_to_new ();

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    pd_bill_to_set (bill_to, map[i].core, c->bill[map[i].sim]);
  return bill_to;
}

static void
test_incomplete_share (void)
{
  const guint n = 4000;
  PdSimData *data = pd_sim_data_new (n, 5, 11, g_get_real_time ());
  g_autoptr(PdCountryRules) rules = pd_country_rules_new_bundled ();
  guint incomplete = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PdBillTo) bill_to = to_bill_to (pd_sim_data_customer (data, i));
      g_autoptr(GPtrArray) missing = pd_bill_to_missing_fields (bill_to, rules);

      if (missing->len > 0)
        incomplete++;
      /* One field at most is left out on purpose; more means the rules disagree. */
      if (missing->len > 1)
        {
          const PdMissingField *first = g_ptr_array_index (missing, 0);
          g_test_message ("%s: %u fields missing, first: %s",
                          pd_sim_data_customer (data, i)->bill[PD_SIM_BILL_COUNTRY],
                          missing->len, first->reason);
        }
      g_assert_cmpuint (missing->len, <=, 1);
    }
  g_test_message ("%u of %u bill-tos incomplete by the app's rules", incomplete, n);
  g_assert_cmpuint (incomplete, >, n * 7 / 100);
  g_assert_cmpuint (incomplete, <, n * 13 / 100);
  pd_sim_data_free (data);
}

int
main (int argc, char **argv)
{
  pd_test_init (&argc, &argv);
  g_test_add_func ("/sim-data/core-rules/incomplete-share", test_incomplete_share);
  return g_test_run ();
}
