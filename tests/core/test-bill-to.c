/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-bill-to.c — the bill-to struct, its paths, labels and comparisons; the enums. */
#include "config.h"

#include "pd-bill-to.h"
#include "pd-types.h"
#include "pd-test-util.h"

static void
test_set_trims_and_clears (void)
{
  g_autoptr(PdBillTo) bill_to = pd_bill_to_new ();

  pd_bill_to_set (bill_to, PD_BILL_TO_CITY, "  Helsinki \n");
  g_assert_cmpstr (pd_bill_to_get (bill_to, PD_BILL_TO_CITY), ==, "Helsinki");
  g_assert_false (pd_bill_to_is_empty (bill_to));

  pd_bill_to_set (bill_to, PD_BILL_TO_CITY, "   ");
  g_assert_null (pd_bill_to_get (bill_to, PD_BILL_TO_CITY));
  pd_bill_to_set (bill_to, PD_BILL_TO_EMAIL, "");
  g_assert_null (pd_bill_to_get (bill_to, PD_BILL_TO_EMAIL));
  pd_bill_to_set (bill_to, PD_BILL_TO_EMAIL, "a@b.fi");
  pd_bill_to_set (bill_to, PD_BILL_TO_EMAIL, NULL);
  g_assert_true (pd_bill_to_is_empty (bill_to));

  /* A country code in lower case is the same code; nothing else changes case. */
  pd_bill_to_set (bill_to, PD_BILL_TO_COUNTRY, " fi ");
  g_assert_cmpstr (pd_bill_to_get (bill_to, PD_BILL_TO_COUNTRY), ==, "FI");
  pd_bill_to_set (bill_to, PD_BILL_TO_EMAIL, "A@B.FI");
  g_assert_cmpstr (pd_bill_to_get (bill_to, PD_BILL_TO_EMAIL), ==, "A@B.FI");
}

static void
test_copy_equal_diff (void)
{
  g_autoptr(PdBillTo) a = pd_bill_to_new ();
  g_autoptr(PdBillTo) b = NULL;
  guint32 mask;

  pd_bill_to_set (a, PD_BILL_TO_COMPANY_NAME, "Contoso");
  pd_bill_to_set (a, PD_BILL_TO_POSTAL_CODE, "00100");
  b = pd_bill_to_copy (a);
  g_assert_true (pd_bill_to_equal (a, b));
  g_assert_true (pd_bill_to_get (a, PD_BILL_TO_COMPANY_NAME)
                 != pd_bill_to_get (b, PD_BILL_TO_COMPANY_NAME));
  g_assert_cmpuint (pd_bill_to_diff_mask (a, b), ==, 0);

  pd_bill_to_set (b, PD_BILL_TO_POSTAL_CODE, "00200");
  pd_bill_to_set (b, PD_BILL_TO_PHONE_NUMBER, "+358 1");
  mask = pd_bill_to_diff_mask (a, b);
  g_assert_cmpuint (mask, ==, (1u << PD_BILL_TO_POSTAL_CODE) | (1u << PD_BILL_TO_PHONE_NUMBER));
  g_assert_false (pd_bill_to_equal (a, b));

  /* NULL counts as all-unset. */
  g_assert_cmpuint (pd_bill_to_diff_mask (a, NULL), ==,
                    (1u << PD_BILL_TO_COMPANY_NAME) | (1u << PD_BILL_TO_POSTAL_CODE));
  g_assert_true (pd_bill_to_equal (NULL, NULL));
}

static void
test_paths (void)
{
  static const char * const expected[PD_BILL_TO_N_FIELDS] = {
    "companyName", "email", "firstName", "lastName", "culture", "language",
    "address.addressLine1", "address.addressLine2", "address.city", "address.state",
    "address.region", "address.postalCode", "address.country", "address.phoneNumber",
    "address.firstName", "address.lastName",
  };
  PdBillToField field;

  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    {
      g_assert_cmpstr (pd_bill_to_field_path (i), ==, expected[i]);
      g_assert_true (pd_bill_to_field_from_path (expected[i], &field));
      g_assert_cmpint (field, ==, i);
      g_assert_nonnull (pd_bill_to_field_label (i));
      g_assert_cmpstr (pd_bill_to_field_label (i), !=, "");
    }
  g_assert_cmpstr (pd_bill_to_field_label (PD_BILL_TO_POSTAL_CODE), ==, "Postal code");
  g_assert_false (pd_bill_to_field_from_path ("Email", &field));
  g_assert_false (pd_bill_to_field_from_path ("address", &field));
  g_assert_false (pd_bill_to_field_from_path (NULL, &field));
  g_assert_null (pd_bill_to_field_path (PD_BILL_TO_N_FIELDS));
}

static void
test_boxed (void)
{
  g_autoptr(PdBillTo) a = pd_bill_to_new ();
  PdBillTo *b;

  pd_bill_to_set (a, PD_BILL_TO_STATE, "WA");
  b = g_boxed_copy (PD_TYPE_BILL_TO, a);
  g_assert_true (pd_bill_to_equal (a, b));
  g_boxed_free (PD_TYPE_BILL_TO, b);
}

static void
test_enums (void)
{
  PdOrgStatus status;
  PdFilter filter;
  g_autoptr(GEnumClass) klass = g_type_class_ref (PD_TYPE_ORG_STATUS);

  g_assert_cmpstr (pd_org_source_to_string (PD_ORG_SOURCE_MANUAL), ==, "manual");
  g_assert_cmpstr (pd_org_source_to_string (PD_ORG_SOURCE_PARTNER_CENTER), ==, "partner-center");
  g_assert_cmpstr (pd_org_status_to_string (PD_ORG_STATUS_BLOCKED), ==, "blocked");
  g_assert_true (pd_org_status_from_string ("active", &status));
  g_assert_cmpint (status, ==, PD_ORG_STATUS_ACTIVE);
  g_assert_false (pd_org_status_from_string ("Active", &status));
  g_assert_false (pd_org_status_from_string (NULL, &status));

  for (guint i = 0; i < PD_N_FILTERS; i++)
    {
      g_assert_true (pd_filter_from_string (pd_filter_to_string (i), &filter));
      g_assert_cmpint (filter, ==, i);
      g_assert_nonnull (pd_filter_label (i));
    }
  g_assert_cmpstr (pd_filter_to_string (PD_FILTER_LOCAL_EDITS), ==, "local-edits");
  g_assert_cmpstr (pd_filter_label (PD_FILTER_INCOMPLETE), ==, "Bill-to incomplete");
  g_assert_cmpstr (pd_org_status_label (PD_ORG_STATUS_NEW), ==, "New");
  g_assert_false (pd_filter_from_string ("bogus", &filter));

  g_assert_cmpstr (g_enum_get_value (klass, PD_ORG_STATUS_BLOCKED)->value_nick, ==, "blocked");
  g_assert_true (G_TYPE_IS_ENUM (PD_TYPE_ORG_SOURCE));
}

int
main (int argc, char *argv[])
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/bill-to/set-trims-and-clears", test_set_trims_and_clears);
  g_test_add_func ("/bill-to/copy-equal-diff", test_copy_equal_diff);
  g_test_add_func ("/bill-to/paths", test_paths);
  g_test_add_func ("/bill-to/boxed", test_boxed);
  g_test_add_func ("/types/enums", test_enums);

  return g_test_run ();
}
