/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-country-rules.c — bundled rules, rule serialisation and the bill-to completeness check. */
#include "config.h"
#include <locale.h>
#include <string.h>

#include "pd-country-rules.h"
#include "pd-test-util.h"

static PdCountryRules *
bundled (void)
{
  return pd_country_rules_new_bundled ();
}

/* A bill-to that satisfies every universal requirement, in the given country. */
static PdBillTo *
complete_bill_to (const char *country)
{
  PdBillTo *bill_to = pd_bill_to_new ();

  pd_bill_to_set (bill_to, PD_BILL_TO_COMPANY_NAME, "Contoso");
  pd_bill_to_set (bill_to, PD_BILL_TO_EMAIL, "billing@contoso.com");
  pd_bill_to_set (bill_to, PD_BILL_TO_CULTURE, "en-US");
  pd_bill_to_set (bill_to, PD_BILL_TO_LANGUAGE, "en");
  pd_bill_to_set (bill_to, PD_BILL_TO_ADDRESS_LINE1, "1 Main Street");
  pd_bill_to_set (bill_to, PD_BILL_TO_CITY, "Springfield");
  pd_bill_to_set (bill_to, PD_BILL_TO_COUNTRY, country);
  pd_bill_to_set (bill_to, PD_BILL_TO_ADDRESS_FIRST_NAME, "Ada");
  pd_bill_to_set (bill_to, PD_BILL_TO_ADDRESS_LAST_NAME, "Lovelace");
  return bill_to;
}

static const PdMissingField *
find_missing (GPtrArray     *missing,
              PdBillToField  field)
{
  for (guint i = 0; i < missing->len; i++)
    {
      const PdMissingField *m = g_ptr_array_index (missing, i);

      if (m->field == field)
        return m;
    }
  return NULL;
}

static void
test_bundled_coverage (void)
{
  g_autoptr(PdCountryRules) rules = bundled ();
  g_auto(GStrv) countries = pd_country_rules_dup_countries (rules);
  static const char * const required[] = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
    "GB", "CH", "US", "CA", "MX", "BR", "AR", "AU", "NZ", "JP", "KR", "IN", "SG", "ZA", "AE",
    "SA", "TR", "AM", "AZ", "BY", "KZ", "KG", "MD", "RU", "TJ", "UZ", "UA", "TH", "VN", "MM",
    "IQ", "SS", "VE",
  };

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      const PdCountryRule *rule = pd_country_rules_lookup (rules, required[i]);

      g_assert_nonnull (rule);
      g_assert_cmpstr (rule->iso2, ==, required[i]);
      g_assert_true (pd_country_code_is_valid (required[i]));
      g_assert_true (g_strv_contains ((const char * const *) countries, required[i]));
    }
  /* Sorted. */
  for (guint i = 1; countries[i] != NULL; i++)
    g_assert_cmpstr (countries[i - 1], <, countries[i]);
  g_assert_null (pd_country_rules_lookup (rules, "ZZ"));
  g_assert_null (pd_country_rules_lookup (rules, NULL));
}

static void
test_bundled_patterns_compile (void)
{
  g_autoptr(PdCountryRules) rules = bundled ();
  g_auto(GStrv) countries = pd_country_rules_dup_countries (rules);

  /* Every bundled pattern is ours: each must compile, or the check would silently vanish. */
  for (guint i = 0; countries[i] != NULL; i++)
    {
      const PdCountryRule *rule = pd_country_rules_lookup (rules, countries[i]);
      const char *patterns[] = { rule->postal_code_pattern, rule->phone_pattern };

      for (guint j = 0; j < G_N_ELEMENTS (patterns); j++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GRegex) regex = NULL;

          if (patterns[j] == NULL)
            continue;
          regex = g_regex_new (patterns[j], 0, 0, &error);
          g_assert_no_error (error);
        }
    }
}

static void
test_registration_and_phone_groups (void)
{
  g_autoptr(PdCountryRules) rules = bundled ();
  static const char * const cis[] = { "AM", "AZ", "BY", "KZ", "KG", "MD", "RU", "TJ", "UZ", "UA" };
  static const char * const phone_only[] = {
    "HU", "IN", "BR", "ZA", "PL", "AE", "SA", "TR", "TH", "VN", "MM", "IQ", "SS", "VE",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cis); i++)
    {
      const PdCountryRule *rule = pd_country_rules_lookup (rules, cis[i]);

      g_assert_true (rule->phone_required);
      g_assert_true (rule->registration_number_required);
    }
  for (guint i = 0; i < G_N_ELEMENTS (phone_only); i++)
    {
      const PdCountryRule *rule = pd_country_rules_lookup (rules, phone_only[i]);

      g_assert_true (rule->phone_required);
      g_assert_false (rule->registration_number_required);
    }
  g_assert_false (pd_country_rules_lookup (rules, "DE")->phone_required);
  g_assert_false (pd_country_rules_lookup (rules, "DE")->registration_number_required);
}

static void
test_us (void)
{
  g_autoptr(PdCountryRules) rules = bundled ();
  g_autoptr(PdBillTo) bill_to = complete_bill_to ("US");
  const PdCountryRule *us = pd_country_rules_lookup (rules, "US");
  GPtrArray *missing;
  const PdMissingField *m;

  g_assert_cmpuint (g_strv_length (us->allowed_states), ==, 51);
  g_assert_cmpstr (us->default_culture, ==, "en-US");

  missing = pd_bill_to_missing_fields (bill_to, rules);
  m = find_missing (missing, PD_BILL_TO_STATE);
  g_assert_nonnull (m);
  g_assert_cmpstr (m->reason, ==, "A state is required in United States");
  g_assert_nonnull (find_missing (missing, PD_BILL_TO_POSTAL_CODE));
  g_assert_cmpuint (missing->len, ==, 2);
  g_ptr_array_unref (missing);

  pd_bill_to_set (bill_to, PD_BILL_TO_STATE, "XX");
  pd_bill_to_set (bill_to, PD_BILL_TO_POSTAL_CODE, "9810");
  missing = pd_bill_to_missing_fields (bill_to, rules);
  g_assert_cmpuint (missing->len, ==, 2);
  /* Field order. */
  m = g_ptr_array_index (missing, 0);
  g_assert_cmpint (m->field, ==, PD_BILL_TO_STATE);
  g_assert_cmpstr (m->reason, ==, "“XX” is not a state of United States");
  m = g_ptr_array_index (missing, 1);
  g_assert_cmpint (m->field, ==, PD_BILL_TO_POSTAL_CODE);
  g_assert_cmpstr (m->reason, ==, "“9810” is not a valid postal code for United States");
  g_ptr_array_unref (missing);

  pd_bill_to_set (bill_to, PD_BILL_TO_STATE, "WA");
  pd_bill_to_set (bill_to, PD_BILL_TO_POSTAL_CODE, "98052-6399");
  missing = pd_bill_to_missing_fields (bill_to, rules);
  g_assert_cmpuint (missing->len, ==, 0);
  g_ptr_array_unref (missing);

  pd_bill_to_set (bill_to, PD_BILL_TO_POSTAL_CODE, "98052");
  pd_bill_to_set (bill_to, PD_BILL_TO_STATE, "DC");
  missing = pd_bill_to_missing_fields (bill_to, rules);
  g_assert_cmpuint (missing->len, ==, 0);
  g_ptr_array_unref (missing);
}

static void
test_de_postal (void)
{
  g_autoptr(PdCountryRules) rules = bundled ();
  g_autoptr(PdBillTo) bill_to = complete_bill_to ("DE");
  GPtrArray *missing;
  const PdMissingField *m;

  missing = pd_bill_to_missing_fields (bill_to, rules);
  g_assert_cmpuint (missing->len, ==, 1);
  m = g_ptr_array_index (missing, 0);
  g_assert_cmpint (m->field, ==, PD_BILL_TO_POSTAL_CODE);
  g_assert_cmpstr (m->reason, ==, "A postal code is required in Germany");
  g_ptr_array_unref (missing);

  pd_bill_to_set (bill_to, PD_BILL_TO_POSTAL_CODE, "1234");
  missing = pd_bill_to_missing_fields (bill_to, rules);
  g_assert_cmpuint (missing->len, ==, 1);
  g_assert_cmpstr (((PdMissingField *) g_ptr_array_index (missing, 0))->reason, ==,
                   "“1234” is not a valid postal code for Germany");
  g_ptr_array_unref (missing);

  pd_bill_to_set (bill_to, PD_BILL_TO_POSTAL_CODE, "10115");
  missing = pd_bill_to_missing_fields (bill_to, rules);
  g_assert_cmpuint (missing->len, ==, 0);
  g_ptr_array_unref (missing);

  /* No state list in Germany: any region/state text is accepted. */
  pd_bill_to_set (bill_to, PD_BILL_TO_STATE, "BE");
  missing = pd_bill_to_missing_fields (bill_to, rules);
  g_assert_cmpuint (missing->len, ==, 0);
  g_ptr_array_unref (missing);
}

static void
test_other_postal_formats (void)
{
  g_autoptr(PdCountryRules) rules = bundled ();
  static const struct { const char *country, *postal; gboolean valid; } cases[] = {
    { "NL", "1012 AB", TRUE }, { "NL", "1012AB", TRUE }, { "NL", "1012", FALSE },
    { "GB", "SW1A 1AA", TRUE }, { "GB", "M1 1AE", TRUE }, { "GB", "12345", FALSE },
    { "PT", "1000-001", TRUE }, { "PT", "1000", TRUE }, { "PT", "1000-01", FALSE },
    { "CA", "K1A 0B1", TRUE }, { "CA", "K1A0B1", TRUE }, { "CA", "D1A 0B1", FALSE },
    { "JP", "100-0001", TRUE }, { "JP", "1000001", TRUE }, { "JP", "10000", FALSE },
    { "BR", "01310-100", TRUE }, { "FI", "00100", TRUE }, { "PL", "00-950", TRUE },
    { "PL", "00950", FALSE }, { "SE", "114 55", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PdBillTo) bill_to = complete_bill_to (cases[i].country);
      g_autoptr(GPtrArray) missing = NULL;

      pd_bill_to_set (bill_to, PD_BILL_TO_POSTAL_CODE, cases[i].postal);
      missing = pd_bill_to_missing_fields (bill_to, rules);
      g_test_message ("%s %s", cases[i].country, cases[i].postal);
      g_assert_cmpint (find_missing (missing, PD_BILL_TO_POSTAL_CODE) == NULL, ==,
                       cases[i].valid);
    }
}

static void
test_ru_phone (void)
{
  g_autoptr(PdCountryRules) rules = bundled ();
  g_autoptr(PdBillTo) bill_to = complete_bill_to ("RU");
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GPtrArray) invalid = NULL;
  g_autoptr(GPtrArray) ok = NULL;
  const PdMissingField *m;

  pd_bill_to_set (bill_to, PD_BILL_TO_POSTAL_CODE, "101000");
  missing = pd_bill_to_missing_fields (bill_to, rules);
  g_assert_cmpuint (missing->len, ==, 1);
  m = find_missing (missing, PD_BILL_TO_PHONE_NUMBER);
  g_assert_nonnull (m);
  g_assert_cmpstr (m->reason, ==, "A phone number is required in Russia");
  g_assert_true (pd_country_rules_lookup (rules, "RU")->registration_number_required);

  pd_bill_to_set (bill_to, PD_BILL_TO_PHONE_NUMBER, "call me");
  invalid = pd_bill_to_missing_fields (bill_to, rules);
  m = find_missing (invalid, PD_BILL_TO_PHONE_NUMBER);
  g_assert_nonnull (m);
  g_assert_cmpstr (m->reason, ==, "“call me” is not a valid phone number for Russia");

  pd_bill_to_set (bill_to, PD_BILL_TO_PHONE_NUMBER, "+7 (495) 123-45-67");
  ok = pd_bill_to_missing_fields (bill_to, rules);
  g_assert_cmpuint (ok->len, ==, 0);
}

/* A complete Russian bill-to: only the registration number (a local field) can be missing. */
static PdBillTo *
complete_ru_bill_to (void)
{
  PdBillTo *bill_to = complete_bill_to ("RU");

  pd_bill_to_set (bill_to, PD_BILL_TO_POSTAL_CODE, "101000");
  pd_bill_to_set (bill_to, PD_BILL_TO_PHONE_NUMBER, "+7 (495) 123-45-67");
  return bill_to;
}

static void
test_registration_number_ru (void)
{
  g_autoptr(PdCountryRules) rules = bundled ();
  g_autoptr(PdBillTo) bill_to = complete_ru_bill_to ();
  static const char * const blank[] = { NULL, "", "  ", "\t \n" };
  g_autoptr(GPtrArray) with_number = NULL;
  g_autoptr(GPtrArray) bill_to_only = NULL;

  bill_to_only = pd_bill_to_missing_fields (bill_to, rules);
  g_assert_cmpuint (bill_to_only->len, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (blank); i++)
    {
      g_autoptr(GPtrArray) missing = pd_missing_fields_for (bill_to, blank[i], rules);
      const PdMissingField *m;

      g_assert_cmpuint (missing->len, ==, 1);
      m = g_ptr_array_index (missing, 0);
      g_assert_cmpint (m->field, ==, PD_MISSING_REGISTRATION_NUMBER);
      g_assert_cmpstr (m->reason, ==, "A registration number is required in Russia");
    }
  with_number = pd_missing_fields_for (bill_to, "1027700132195", rules);
  g_assert_cmpuint (with_number->len, ==, 0);
}

/* The bill-to's problems come first, in field order, the registration number last. */
static void
test_registration_number_after_bill_to (void)
{
  g_autoptr(PdCountryRules) rules = bundled ();
  g_autoptr(PdBillTo) bill_to = complete_ru_bill_to ();
  g_autoptr(GPtrArray) missing = NULL;
  const PdMissingField *first;
  const PdMissingField *last;

  pd_bill_to_set (bill_to, PD_BILL_TO_PHONE_NUMBER, NULL);
  pd_bill_to_set (bill_to, PD_BILL_TO_CITY, NULL);
  missing = pd_missing_fields_for (bill_to, NULL, rules);
  g_assert_cmpuint (missing->len, ==, 3);
  first = g_ptr_array_index (missing, 0);
  last = g_ptr_array_index (missing, 2);
  g_assert_cmpint (first->field, ==, PD_BILL_TO_CITY);
  g_assert_cmpint (last->field, ==, PD_MISSING_REGISTRATION_NUMBER);
  g_assert_nonnull (find_missing (missing, PD_BILL_TO_PHONE_NUMBER));
}

static void
test_registration_number_elsewhere (void)
{
  g_autoptr(PdCountryRules) rules = bundled ();
  g_autoptr(PdBillTo) de = complete_bill_to ("DE");
  g_autoptr(PdBillTo) no_country = complete_ru_bill_to ();
  g_autoptr(GPtrArray) de_missing = NULL;
  g_autoptr(GPtrArray) no_country_missing = NULL;
  g_autoptr(GPtrArray) no_rules = NULL;
  g_autoptr(GPtrArray) no_bill_to = NULL;
  static const char * const cis[] = { "AM", "AZ", "BY", "KZ", "KG", "MD", "RU", "TJ", "UZ", "UA" };

  pd_bill_to_set (de, PD_BILL_TO_POSTAL_CODE, "10115");
  de_missing = pd_missing_fields_for (de, NULL, rules);
  g_assert_cmpuint (de_missing->len, ==, 0);

  /* Without a country no rule applies: the country itself is what is missing. */
  pd_bill_to_set (no_country, PD_BILL_TO_COUNTRY, NULL);
  no_country_missing = pd_missing_fields_for (no_country, NULL, rules);
  g_assert_nonnull (find_missing (no_country_missing, PD_BILL_TO_COUNTRY));
  g_assert_null (find_missing (no_country_missing, PD_MISSING_REGISTRATION_NUMBER));

  no_rules = pd_missing_fields_for (de, NULL, NULL);
  g_assert_null (find_missing (no_rules, PD_MISSING_REGISTRATION_NUMBER));
  no_bill_to = pd_missing_fields_for (NULL, NULL, rules);
  g_assert_null (find_missing (no_bill_to, PD_MISSING_REGISTRATION_NUMBER));
  g_assert_nonnull (find_missing (no_bill_to, PD_BILL_TO_COUNTRY));

  for (guint i = 0; i < G_N_ELEMENTS (cis); i++)
    {
      g_autoptr(PdBillTo) bill_to = complete_bill_to (cis[i]);
      g_autoptr(GPtrArray) missing = pd_missing_fields_for (bill_to, " ", rules);
      const PdMissingField *m = find_missing (missing, PD_MISSING_REGISTRATION_NUMBER);

      g_assert_nonnull (m);
      g_assert_nonnull (strstr (m->reason, pd_country_name (cis[i])));
    }
}

/* A rule fetched from Partner Center decides as a bundled one does. */
static void
test_registration_number_fetched_rule (void)
{
  g_autoptr(PdCountryRules) rules = bundled ();
  g_autoptr(PdCountryRule) rule = pd_country_rule_copy (pd_country_rules_lookup (rules, "DE"));
  g_autoptr(PdBillTo) bill_to = complete_bill_to ("DE");
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GPtrArray) with_number = NULL;

  pd_bill_to_set (bill_to, PD_BILL_TO_POSTAL_CODE, "10115");
  rule->registration_number_required = TRUE;
  pd_country_rules_replace (rules, rule);
  missing = pd_missing_fields_for (bill_to, NULL, rules);
  g_assert_cmpuint (missing->len, ==, 1);
  g_assert_nonnull (find_missing (missing, PD_MISSING_REGISTRATION_NUMBER));
  with_number = pd_missing_fields_for (bill_to, "HRB 12345", rules);
  g_assert_cmpuint (with_number->len, ==, 0);
}

static void
test_missing_field_paths (void)
{
  PdBillToField field = PD_BILL_TO_N_FIELDS + 5;

  for (guint f = 0; f < PD_MISSING_N_FIELDS; f++)
    {
      const char *path = pd_missing_field_path (f);
      PdBillToField parsed = PD_BILL_TO_N_FIELDS + 5;

      g_assert_nonnull (path);
      g_assert_nonnull (pd_missing_field_label (f));
      g_assert_true (pd_missing_field_from_path (path, &parsed));
      g_assert_cmpint (parsed, ==, f);
      if (f < PD_BILL_TO_N_FIELDS)
        {
          g_assert_cmpstr (path, ==, pd_bill_to_field_path (f));
          g_assert_cmpstr (pd_missing_field_label (f), ==, pd_bill_to_field_label (f));
        }
    }
  g_assert_cmpstr (pd_missing_field_path (PD_MISSING_REGISTRATION_NUMBER), ==,
                   "registrationNumber");
  g_assert_cmpstr (pd_missing_field_label (PD_MISSING_REGISTRATION_NUMBER), ==,
                   "Registration number");
  g_assert_cmpstr (pd_missing_field_path (PD_BILL_TO_POSTAL_CODE), ==, "address.postalCode");
  g_assert_null (pd_missing_field_path (PD_MISSING_N_FIELDS));
  g_assert_false (pd_missing_field_from_path ("registration-number", &field));
  g_assert_false (pd_missing_field_from_path ("RegistrationNumber", &field));
  g_assert_false (pd_missing_field_from_path (NULL, &field));
  g_assert_cmpint (field, ==, PD_BILL_TO_N_FIELDS + 5);
  g_assert_true (pd_missing_field_from_path ("registrationNumber", NULL));
  /* Bill-to paths still parse as bill-to fields only. */
  g_assert_false (pd_bill_to_field_from_path ("registrationNumber", NULL));
}

static void
test_universal (void)
{
  g_autoptr(PdCountryRules) rules = bundled ();
  g_autoptr(PdBillTo) empty = pd_bill_to_new ();
  g_autoptr(PdBillTo) bill_to = complete_bill_to ("XK");
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GPtrArray) bad = NULL;
  static const PdBillToField expected[] = {
    PD_BILL_TO_COMPANY_NAME, PD_BILL_TO_EMAIL, PD_BILL_TO_CULTURE, PD_BILL_TO_LANGUAGE,
    PD_BILL_TO_ADDRESS_LINE1, PD_BILL_TO_COUNTRY, PD_BILL_TO_ADDRESS_FIRST_NAME,
    PD_BILL_TO_ADDRESS_LAST_NAME,
  };
  const char *bad_emails[] = { "billing", "@contoso.com", "a@b", "a b@c.com", "a@@b.com",
                               "a@b.", "a@.com" };

  missing = pd_bill_to_missing_fields (empty, rules);
  g_assert_cmpuint (missing->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const PdMissingField *m = g_ptr_array_index (missing, i);

      g_assert_cmpint (m->field, ==, expected[i]);
      g_assert_cmpstr (m->reason, !=, "");
    }
  g_assert_cmpstr (((PdMissingField *) g_ptr_array_index (missing, 4))->reason, ==,
                   "Address line 1 is required");

  /* An unknown country code is reported; no country rule applies. */
  bad = pd_bill_to_missing_fields (bill_to, rules);
  g_assert_cmpuint (bad->len, ==, 1);
  g_assert_cmpstr (((PdMissingField *) g_ptr_array_index (bad, 0))->reason, ==,
                   "“XK” is not a two-letter ISO country code");

  for (guint i = 0; i < G_N_ELEMENTS (bad_emails); i++)
    {
      g_autoptr(PdBillTo) b = complete_bill_to ("FI");
      g_autoptr(GPtrArray) m = NULL;

      pd_bill_to_set (b, PD_BILL_TO_POSTAL_CODE, "00100");
      pd_bill_to_set (b, PD_BILL_TO_EMAIL, bad_emails[i]);
      m = pd_bill_to_missing_fields (b, rules);
      g_test_message ("%s", bad_emails[i]);
      g_assert_cmpuint (m->len, ==, 1);
      g_assert_cmpint (((PdMissingField *) g_ptr_array_index (m, 0))->field, ==,
                       PD_BILL_TO_EMAIL);
    }

  /* NULL counts as an empty bill-to. */
  {
    g_autoptr(GPtrArray) m = pd_bill_to_missing_fields (NULL, rules);

    g_assert_cmpuint (m->len, ==, G_N_ELEMENTS (expected));
  }

  /* Without rules only the universal checks run. */
  {
    g_autoptr(PdBillTo) us = complete_bill_to ("US");
    g_autoptr(GPtrArray) m = pd_bill_to_missing_fields (us, NULL);

    g_assert_cmpuint (m->len, ==, 0);
  }
}

static void
test_bad_pattern_skipped (void)
{
  g_autoptr(PdCountryRules) rules = bundled ();
  g_autoptr(PdCountryRule) rule = pd_country_rule_new ("DE");
  g_autoptr(PdBillTo) bill_to = complete_bill_to ("DE");
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GPtrArray) empty_missing = NULL;
  g_autoptr(PdBillTo) no_postal = NULL;

  rule->postal_code_required = TRUE;
  rule->postal_code_pattern = g_strdup ("^(\\d{5}$");   /* unbalanced: does not compile */
  rule->city_required = TRUE;
  pd_country_rules_replace (rules, rule);
  g_assert_cmpstr (pd_country_rules_lookup (rules, "DE")->postal_code_pattern, ==, "^(\\d{5}$");

  pd_bill_to_set (bill_to, PD_BILL_TO_POSTAL_CODE, "anything");
  missing = pd_bill_to_missing_fields (bill_to, rules);
  g_assert_cmpuint (missing->len, ==, 0);
  /* The requirement itself still applies. */
  no_postal = complete_bill_to ("DE");
  empty_missing = pd_bill_to_missing_fields (no_postal, rules);
  g_assert_cmpuint (empty_missing->len, ==, 1);
}

/* Patterns as Partner Center writes them (.NET flavour) work through GRegex. */
static void
test_dotnet_patterns (void)
{
  g_autoptr(PdCountryRules) rules = bundled ();
  g_autoptr(PdCountryRule) rule = pd_country_rule_new ("US");
  static const struct { const char *postal; gboolean valid; } cases[] = {
    { "98052", TRUE }, { "98052-6399", TRUE }, { "98052 6399", TRUE }, { "9805", FALSE },
  };

  rule->postal_code_required = TRUE;
  rule->postal_code_pattern = g_strdup ("^(?<zip>\\d{5})(?:[-\\s]\\d{4})?$");
  pd_country_rules_replace (rules, rule);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PdBillTo) bill_to = complete_bill_to ("US");
      g_autoptr(GPtrArray) missing = NULL;

      pd_bill_to_set (bill_to, PD_BILL_TO_POSTAL_CODE, cases[i].postal);
      missing = pd_bill_to_missing_fields (bill_to, rules);
      g_assert_cmpint (find_missing (missing, PD_BILL_TO_POSTAL_CODE) == NULL, ==,
                       cases[i].valid);
      /* The replacing rule has no state requirement. */
      g_assert_null (find_missing (missing, PD_BILL_TO_STATE));
    }
}

static void
test_rule_round_trip (void)
{
  g_autoptr(PdCountryRule) rule = pd_country_rule_new ("US");
  g_autoptr(PdCountryRule) parsed = NULL;
  g_autoptr(PdCountryRule) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char * const states[] = { "WA", "NY", NULL };

  rule->state_required = TRUE;
  rule->allowed_states = g_strdupv ((char **) states);
  rule->postal_code_required = TRUE;
  rule->postal_code_pattern = g_strdup ("^\\d{5}(-\\d{4})?$");
  rule->phone_pattern = g_strdup ("^\\+?[0-9; ]+$");
  rule->registration_number_required = TRUE;
  rule->default_culture = g_strdup ("en-US");

  text = pd_country_rule_to_string (rule);
  parsed = pd_country_rule_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parsed->iso2, ==, "US");
  g_assert_true (parsed->state_required);
  g_assert_true (g_strv_equal ((const char * const *) parsed->allowed_states, states));
  g_assert_true (parsed->postal_code_required);
  g_assert_cmpstr (parsed->postal_code_pattern, ==, rule->postal_code_pattern);
  g_assert_false (parsed->city_required);
  g_assert_false (parsed->phone_required);
  g_assert_cmpstr (parsed->phone_pattern, ==, rule->phone_pattern);
  g_assert_true (parsed->registration_number_required);
  g_assert_cmpstr (parsed->default_culture, ==, "en-US");

  copy = g_boxed_copy (PD_TYPE_COUNTRY_RULE, parsed);
  g_assert_cmpstr (copy->postal_code_pattern, ==, rule->postal_code_pattern);
  g_assert_true (copy->allowed_states != parsed->allowed_states);
}

static void
test_rule_from_bad_string (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdCountryRule) none = NULL;
  g_autoptr(PdCountryRule) bad_bool = NULL;
  g_autoptr(PdCountryRule) bad_group = NULL;

  none = pd_country_rule_from_string ("# nothing\n", &error);
  g_assert_null (none);
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND);
  g_clear_error (&error);

  bad_bool = pd_country_rule_from_string ("[FI]\nCityRequired=maybe\n", &error);
  g_assert_null (bad_bool);
  g_assert_nonnull (error);
  g_clear_error (&error);

  bad_group = pd_country_rule_from_string ("[Finland]\nCityRequired=true\n", &error);
  g_assert_null (bad_group);
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
}

static void
test_codes (void)
{
  const char * const *currencies = pd_currency_codes ();
  const char * const *countries = pd_country_codes ();
  guint n = 0;

  g_assert_true (pd_country_code_is_valid ("FI"));
  g_assert_true (pd_country_code_is_valid ("AX"));
  g_assert_true (pd_country_code_is_valid ("ZW"));
  g_assert_false (pd_country_code_is_valid ("fi"));
  g_assert_false (pd_country_code_is_valid ("UK"));
  g_assert_false (pd_country_code_is_valid ("FIN"));
  g_assert_false (pd_country_code_is_valid (NULL));
  g_assert_cmpstr (pd_country_name ("DE"), ==, "Germany");
  g_assert_cmpstr (pd_country_name ("US"), ==, "United States");
  g_assert_cmpstr (pd_country_name ("QQ"), ==, "QQ");

  g_assert_true (pd_currency_code_is_valid ("EUR"));
  g_assert_true (pd_currency_code_is_valid ("USD"));
  g_assert_true (pd_currency_code_is_valid ("ZAR"));
  g_assert_true (pd_currency_code_is_valid ("AED"));
  g_assert_false (pd_currency_code_is_valid ("eur"));
  g_assert_false (pd_currency_code_is_valid ("DEM"));   /* withdrawn */
  g_assert_false (pd_currency_code_is_valid ("XXX"));   /* not a currency */
  g_assert_false (pd_currency_code_is_valid (NULL));
  for (; currencies[n] != NULL; n++)
    {
      if (n > 0)
        g_assert_cmpstr (currencies[n - 1], <, currencies[n]);
    }
  g_assert_cmpuint (n, >, 150);
  for (n = 0; countries[n] != NULL; n++)
    {
      g_assert_true (pd_country_code_is_valid (countries[n]));
      if (n > 0)
        g_assert_cmpstr (countries[n - 1], <, countries[n]);
    }
  g_assert_cmpuint (n, >, 240);
  g_assert_true (g_strv_contains (countries, "FI"));
}

/* Every active currency has a name; iso-codes' catalogue translates it (Debian's iso-codes,
 * installed by build-aux/dev, has German), and an unknown code has none. */
static void
test_currency_names (void)
{
  const char * const *codes = pd_currency_codes ();

  for (guint i = 0; codes[i] != NULL; i++)
    {
      const char *name = pd_currency_name (codes[i]);

      g_assert_nonnull (name);
      g_assert_cmpuint (strlen (name), >, 2);
    }
  g_assert_cmpstr (pd_currency_name ("EUR"), ==, "Euro");
  g_assert_cmpstr (pd_currency_name ("USD"), ==, "US Dollar");
  g_assert_cmpstr (pd_currency_name ("XCG"), ==, "Caribbean Guilder");
  g_assert_null (pd_currency_name ("XXX"));
  g_assert_null (pd_currency_name ("eur"));
  g_assert_null (pd_currency_name (NULL));

  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
  g_setenv ("LANGUAGE", "de", TRUE);
  g_assert_cmpstr (pd_currency_name ("USD"), ==, "US-Dollar");
  g_unsetenv ("LANGUAGE");
  g_assert_nonnull (setlocale (LC_ALL, "C"));
}

int
main (int argc, char *argv[])
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/country-rules/bundled-coverage", test_bundled_coverage);
  g_test_add_func ("/country-rules/currency-names", test_currency_names);
  g_test_add_func ("/country-rules/bundled-patterns-compile", test_bundled_patterns_compile);
  g_test_add_func ("/country-rules/registration-and-phone-groups",
                   test_registration_and_phone_groups);
  g_test_add_func ("/country-rules/us", test_us);
  g_test_add_func ("/country-rules/de-postal", test_de_postal);
  g_test_add_func ("/country-rules/other-postal-formats", test_other_postal_formats);
  g_test_add_func ("/country-rules/ru-phone", test_ru_phone);
  g_test_add_func ("/country-rules/registration-number-ru", test_registration_number_ru);
  g_test_add_func ("/country-rules/registration-number-after-bill-to",
                   test_registration_number_after_bill_to);
  g_test_add_func ("/country-rules/registration-number-elsewhere",
                   test_registration_number_elsewhere);
  g_test_add_func ("/country-rules/registration-number-fetched-rule",
                   test_registration_number_fetched_rule);
  g_test_add_func ("/country-rules/missing-field-paths", test_missing_field_paths);
  g_test_add_func ("/country-rules/universal", test_universal);
  g_test_add_func ("/country-rules/bad-pattern-skipped", test_bad_pattern_skipped);
  g_test_add_func ("/country-rules/dotnet-patterns", test_dotnet_patterns);
  g_test_add_func ("/country-rules/rule-round-trip", test_rule_round_trip);
  g_test_add_func ("/country-rules/rule-from-bad-string", test_rule_from_bad_string);
  g_test_add_func ("/country-rules/codes", test_codes);

  return g_test_run ();
}
