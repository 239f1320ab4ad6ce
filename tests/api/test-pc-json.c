/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-pc-json.c — the JSON mapping on fixture bodies (tests/data/pc-*.json). */
#include <string.h>

#include "pd-test-util.h"
#include "pd-pc-client-private.h"
#include "pd-pc-json-private.h"

static char *
load (const char *name,
      gsize      *len)
{
  g_autofree char *path = pd_test_data_path (name);
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_file_get_contents (path, &data, len, &error);
  g_assert_no_error (error);
  return data;
}

static void
test_customer_page (void)
{
  gsize len;
  g_autofree char *data = load ("pc-customers-page.json", &len);
  g_autoptr(GPtrArray) customers = NULL;
  g_autoptr(GPtrArray) headers = NULL;
  g_autofree char *next = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GError) error = NULL;
  PdPcCustomer *c;

  g_assert_true (pd_pc_json_parse_customer_page (data, len, &customers, &next, &headers, &token,
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpuint (customers->len, ==, 3);
  c = g_ptr_array_index (customers, 0);
  g_assert_cmpstr (c->id, ==, "1d8d7a6c-0001-4c5e-9f1b-000000000001");
  g_assert_cmpstr (c->commerce_id, ==, "8f7c1e2a-1111-4c5e-9f1b-000000000001");
  g_assert_cmpstr (c->company_name, ==, "Contoso Ltd");
  g_assert_cmpstr (c->domain, ==, "contoso.onmicrosoft.com");
  g_assert_cmpstr (c->relationship, ==, "reseller");
  g_assert_false (c->has_delegated_access_value);
  g_assert_null (c->billing_profile);
  c = g_ptr_array_index (customers, 1);
  g_assert_cmpstr (c->company_name, ==, "Fabrikam Électrique SA");
  /* No "id": the tenant id comes from the company profile. */
  c = g_ptr_array_index (customers, 2);
  g_assert_cmpstr (c->id, ==, "1d8d7a6c-0003-4c5e-9f1b-000000000003");
  g_assert_cmpstr (next, ==, "/v1/customers?size=3&seekOperation=Next");
  g_assert_cmpuint (headers->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (headers, 0), ==, "MS-ContinuationToken");
  g_assert_cmpstr (g_ptr_array_index (headers, 1), ==, "W3sidG9rZW4iOiIrUklEOn4xIn1d");
  g_assert_cmpstr (token, ==, "W3sidG9rZW4iOiIrUklEOn4xIn1d");
}

/* The single-pass reader takes the usual pages and hands unusual ones back. */
static void
test_customer_page_fast (void)
{
  static const char * const fast_files[] = { "pc-customers-page.json", "pc-customers-last.json" };
  static const char * const slow_bodies[] = {
    "{\"Items\":[]}",                                  /* PascalCase */
    "{\"items\":[{\"id\":5}]}",                        /* a number as an id */
    "{\"items\":[{\"id\":\"a\",\"billingProfile\":{}}]}", /* needs the raw profile */
    "{\"items\":[{\"id\":\"a\\d\"}]}",                /* lenient escape */
    "{\"items\":[],}",                                 /* trailing comma */
    "{\"items\":[]} x",
  };

  for (guint i = 0; i < G_N_ELEMENTS (fast_files); i++)
    {
      gsize len;
      g_autofree char *data = load (fast_files[i], &len);
      g_autoptr(GPtrArray) customers = NULL;
      PdPcPaging paging = { 0 };

      g_assert_true (pd_pc_json_parse_customer_page_fast (data, len, &customers, &paging));
      g_assert_cmpuint (customers->len, >, 0);
      pd_pc_paging_clear (&paging);
    }
  for (guint i = 0; i < G_N_ELEMENTS (slow_bodies); i++)
    {
      g_autoptr(GPtrArray) customers = NULL;

      g_assert_false (pd_pc_json_parse_customer_page_fast (slow_bodies[i], strlen (slow_bodies[i]),
                                                           &customers, NULL));
      g_assert_null (customers);
    }
}

static void
test_customer_last_page (void)
{
  gsize len;
  g_autofree char *data = load ("pc-customers-last.json", &len);
  g_autoptr(GPtrArray) customers = NULL;
  g_autofree char *next = NULL;
  PdPcPaging paging = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_pc_json_parse_customer_page (data, len, &customers, &next, NULL, NULL,
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpuint (customers->len, ==, 1);
  g_assert_null (next);
  g_assert_true (pd_pc_json_parse_collection (data, len, pd_pc_json_customer_from_object,
                                              (GDestroyNotify) pd_pc_customer_free, NULL,
                                              &paging, &error));
  g_assert_false (paging.has_continuation_token);
  pd_pc_paging_clear (&paging);
}

/* A UTF-8 byte order mark before the JSON, as other Microsoft services behind the same
 * front doors have sent (Microsoft Graph error bodies: microsoftgraph/microsoft-graph-docs
 * issue #679; Azure Commerce RateCard: Azure/azure-sdk-for-js issue #6780; Azure Peering:
 * Azure/azure-rest-api-specs issue #42472): the body reads as without it. */
static void
test_customer_page_bom (void)
{
  gsize len;
  g_autofree char *data = load ("pc-customers-page-bom.json", &len);
  g_autoptr(GPtrArray) customers = NULL;
  g_autofree char *code = NULL;
  PdPcPaging paging = { 0 };
  g_autoptr(GError) error = NULL;
  static const char error_body[] = "\xEF\xBB\xBF{\"code\":2001,\"description\":\"expired\"}";

  g_assert_true (g_str_has_prefix (data, "\xEF\xBB\xBF"));
  g_assert_true (pd_pc_json_parse_customer_collection (data, len, &customers, &paging, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (customers->len, ==, 3);
  g_assert_cmpstr (((PdPcCustomer *) g_ptr_array_index (customers, 0))->id, ==,
                   "1d8d7a6c-0001-4c5e-9f1b-000000000001");
  g_assert_nonnull (paging.next_uri);
  pd_pc_paging_clear (&paging);
  g_assert_true (pd_pc_json_parse_error_body (error_body, strlen (error_body), &code, NULL));
  g_assert_cmpstr (code, ==, "2001");
}

static void
test_customer_full (void)
{
  gsize len;
  g_autofree char *data = load ("pc-customer.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) c = pd_pc_json_parse_customer (data, len, &error);
  PdBillTo *b;

  g_assert_no_error (error);
  g_assert_nonnull (c);
  g_assert_true (c->has_delegated_access_value);
  g_assert_true (c->allow_delegated_access);
  g_assert_cmpuint (g_strv_length (c->custom_domains), ==, 2);
  g_assert_cmpstr (c->custom_domains[1], ==, "contoso.eu");
  g_assert_nonnull (c->billing_profile);
  g_assert_cmpstr (c->billing_profile->etag, ==, "\"-4242348048554929329\"");
  b = c->billing_profile->bill_to;
  g_assert_cmpstr (pd_bill_to_get (b, PD_BILL_TO_EMAIL), ==, "jane@contoso.com");
  g_assert_cmpstr (pd_bill_to_get (b, PD_BILL_TO_STATE), ==, "WA");
  g_assert_cmpstr (pd_bill_to_get (b, PD_BILL_TO_PHONE_NUMBER), ==, "4255550100");
  g_assert_null (pd_bill_to_get (b, PD_BILL_TO_REGION));
  g_assert_null (pd_bill_to_get (b, PD_BILL_TO_ADDRESS_LINE2));
}

static void
test_billing_profile (void)
{
  gsize len;
  g_autofree char *data = load ("pc-billing-profile.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcBillingProfile) p = pd_pc_json_parse_billing_profile (data, len, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (p->id, ==, "e5a9b3b4-2cbb-4a83-9a1c-2b7f7b1b1a11");
  g_assert_cmpstr (pd_bill_to_get (p->bill_to, PD_BILL_TO_CITY), ==, "München");
  g_assert_cmpstr (pd_bill_to_get (p->bill_to, PD_BILL_TO_ADDRESS_LINE2), ==, "3. OG");
  g_assert_cmpstr (pd_bill_to_get (p->bill_to, PD_BILL_TO_CULTURE), ==, "de-DE");
  g_assert_cmpstr (pd_bill_to_get (p->bill_to, PD_BILL_TO_ADDRESS_FIRST_NAME), ==, "Jane");
  /* "" is unset. */
  g_assert_null (pd_bill_to_get (p->bill_to, PD_BILL_TO_STATE));
  g_assert_nonnull (p->raw);
}

static void
test_billing_profile_pascal (void)
{
  gsize len;
  g_autofree char *data = load ("pc-billing-profile-pascal.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcBillingProfile) p = pd_pc_json_parse_billing_profile (data, len, &error);
  g_autofree char *body = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (p->id, ==, "e5a9b3b4-2cbb-4a83-9a1c-2b7f7b1b1a11");
  g_assert_cmpstr (p->etag, ==, "-1");
  g_assert_cmpstr (pd_bill_to_get (p->bill_to, PD_BILL_TO_POSTAL_CODE), ==, "98052");
  /* The PUT keeps the body's casing rather than adding a second, camelCase key. */
  pd_bill_to_set (p->bill_to, PD_BILL_TO_CITY, "Bellevue");
  body = pd_pc_json_build_billing_profile_put (p, "-2");
  g_assert_nonnull (strstr (body, "\"City\":\"Bellevue\""));
  g_assert_null (strstr (body, "\"city\""));
  g_assert_nonnull (strstr (body, "\"Etag\":\"-2\""));
}

/* The PUT body: known fields replaced, unknown fields (AddressLine3, District, taxId, links)
 * kept, the etag in attributes, a cleared field written as null. */
static void
test_build_put (void)
{
  gsize len;
  g_autofree char *data = load ("pc-billing-profile.json", &len);
  g_autoptr(PdPcBillingProfile) p = pd_pc_json_parse_billing_profile (data, len, NULL);
  g_autoptr(PdPcBillingProfile) again = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  JsonObject *root, *address;

  pd_bill_to_set (p->bill_to, PD_BILL_TO_POSTAL_CODE, "80333");
  pd_bill_to_set (p->bill_to, PD_BILL_TO_ADDRESS_LINE2, NULL);
  pd_bill_to_set (p->bill_to, PD_BILL_TO_REGION, "Bayern");
  body = pd_pc_json_build_billing_profile_put (p, "\"777\"");
  json_parser_load_from_data (parser, body, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  address = json_object_get_object_member (root, "defaultAddress");
  g_assert_cmpstr (json_object_get_string_member (address, "postalCode"), ==, "80333");
  g_assert_cmpstr (json_object_get_string_member (address, "region"), ==, "Bayern");
  g_assert_true (json_object_get_null_member (address, "addressLine2"));
  g_assert_cmpstr (json_object_get_string_member (address, "AddressLine3"), ==, "Empfang");
  g_assert_cmpstr (json_object_get_string_member (address, "District"), ==, "Schwabing");
  g_assert_cmpstr (json_object_get_string_member (root, "taxId"), ==, "DE123456789");
  g_assert_true (json_object_has_member (root, "links"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "attributes"),
                                                  "etag"), ==, "\"777\"");
  /* The raw object of the profile itself is untouched by building. */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (p->raw, "defaultAddress"),
                                                  "postalCode"), ==, "80807");
  /* And the body reads back as the edited profile. */
  again = pd_pc_json_parse_billing_profile (body, strlen (body), &error);
  g_assert_no_error (error);
  g_assert_true (pd_bill_to_equal (again->bill_to, p->bill_to));
}

static void
test_build_put_without_raw (void)
{
  g_autoptr(PdPcBillingProfile) p = g_new0 (PdPcBillingProfile, 1);
  g_autofree char *body = NULL;

  p->bill_to = pd_bill_to_new ();
  pd_bill_to_set (p->bill_to, PD_BILL_TO_EMAIL, "a@b.example");
  body = pd_pc_json_build_billing_profile_put (p, "1");
  g_assert_nonnull (strstr (body, "\"email\":\"a@b.example\""));
  g_assert_nonnull (strstr (body, "\"objectType\":\"CustomerBillingProfile\""));
  /* Absent and unset: not sent at all. */
  g_assert_null (strstr (body, "lastName"));
}

/* An unknown member holding a number json-glib would write as something that is not JSON
 * (infinity as "inf.0", 6e66 as "6e+66.0") goes back as null; other numbers as they were. */
static void
test_build_put_huge_number (void)
{
  const char *data = "{\"id\": \"p\", \"extra\": [1, 6e6666, 2.5, 6e66, 1.5e300], \"email\": \"a@b.example\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcBillingProfile) p = pd_pc_json_parse_billing_profile (data, strlen (data), &error);
  g_autoptr(PdPcBillingProfile) again = NULL;
  g_autofree char *body = NULL;

  g_assert_no_error (error);
  body = pd_pc_json_build_billing_profile_put (p, "\"e\"");
  g_assert_nonnull (strstr (body, "\"extra\":[1,null,2.5,null,1.5"));
  again = pd_pc_json_parse_billing_profile (body, strlen (body), &error);
  g_assert_no_error (error);
  g_assert_true (pd_bill_to_equal (again->bill_to, p->bill_to));
}

static void
test_company_profile (void)
{
  gsize len;
  g_autofree char *data = load ("pc-company-profile.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCompanyProfile) p = pd_pc_json_parse_company_profile (data, len, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (p->tenant_id, ==, "1d8d7a6c-0001-4c5e-9f1b-000000000001");
  g_assert_cmpstr (p->email, ==, "admin@contoso.com");
  g_assert_cmpstr (p->country, ==, "US");
  g_assert_cmpstr (p->city, ==, "Redmond");
}

/* GET …/validationStatus?type=account (learn: retrieve-validation-status): Type, Status,
 * LastUpdateDateTime; keys in either case; a status we do not know is kept as text. */
static void
test_validation_status (void)
{
  static const struct { const char *body; PdAccountStatus status; } cases[] = {
    { "{\"type\":\"account\",\"status\":\"UnderReview\","
      "\"lastUpdateDateTime\":\"2026-04-02T10:20:30Z\"}", PD_ACCOUNT_STATUS_UNDER_REVIEW },
    { "{\"Type\":\"Account\",\"Status\":\"Allowed\"}", PD_ACCOUNT_STATUS_ALLOWED },
    { "{\"status\":\"NotAllowed\"}", PD_ACCOUNT_STATUS_NOT_ALLOWED },
    { "{\"status\":\"Pending\"}", PD_ACCOUNT_STATUS_UNKNOWN },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcValidationStatus) none = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PdPcValidationStatus) s =
        pd_pc_json_parse_validation_status (cases[i].body, strlen (cases[i].body), &error);

      g_assert_no_error (error);
      g_assert_cmpint (s->status, ==, cases[i].status);
      g_assert_nonnull (s->status_text);
      g_assert_nonnull (pd_account_status_describe (s->status));
    }
  {
    const char *dated = cases[0].body;
    g_autoptr(PdPcValidationStatus) s = pd_pc_json_parse_validation_status (dated, strlen (dated),
                                                                             NULL);

    g_assert_nonnull (s->updated_at);
    g_assert_cmpint (g_date_time_get_year (s->updated_at), ==, 2026);
  }
  none = pd_pc_json_parse_validation_status ("{\"type\":\"account\"}", 18, &error);
  g_assert_null (none);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_INVALID_RESPONSE);
}

static void
test_country_rules_sdk (void)
{
  gsize len;
  g_autofree char *data = load ("pc-country-rules-us.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdCountryRule) rule = pd_pc_json_parse_country_rules (data, len, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (rule->iso2, ==, "US");
  g_assert_true (rule->state_required);
  g_assert_cmpuint (g_strv_length (rule->allowed_states), ==, 6);
  g_assert_true (g_strv_contains ((const char * const *) rule->allowed_states, "WA"));
  g_assert_true (rule->postal_code_required);
  g_assert_cmpstr (rule->postal_code_pattern, ==, "^\\d{5}(-\\d{4})?$");
  g_assert_true (rule->city_required);
  g_assert_cmpstr (rule->phone_pattern, ==, "^\\d{10}$");
  g_assert_false (rule->phone_required);
  g_assert_false (rule->registration_number_required);
  g_assert_cmpstr (rule->default_culture, ==, "en-US");
}

/* The docs' sample: invalid JSON repaired, {value: […]} lists. */
static void
test_country_rules_docs (void)
{
  gsize len;
  g_autofree char *data = load ("pc-country-rules-docs.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdCountryRule) rule = pd_pc_json_parse_country_rules (data, len, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (rule->iso2, ==, "PT");
  g_assert_false (rule->state_required);
  g_assert_null (rule->allowed_states);
  g_assert_cmpstr (rule->postal_code_pattern, ==, "^\\d{4}(-\\d{3})?$");
  g_assert_cmpstr (rule->phone_pattern, ==, "^\\(?\\d{9}$");
}

static void
test_country_rules_objects (void)
{
  gsize len;
  g_autofree char *data = load ("pc-country-rules-ru.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdCountryRule) rule = pd_pc_json_parse_country_rules (data, len, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (rule->iso2, ==, "RU");
  g_assert_cmpstr (rule->allowed_states[0], ==, "MOW");
  /* RU is in the phone and registration-number group of §2/§5. */
  g_assert_true (rule->phone_required);
  g_assert_true (rule->registration_number_required);
}

static void
test_address_validation (void)
{
  gsize len;
  g_autofree char *data = load ("pc-address-validation.json", &len);
  g_autofree char *legacy = load ("pc-address-validation-legacy.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcAddressValidation) v = NULL;
  g_autoptr(PdPcAddressValidation) old = NULL;

  v = pd_pc_json_parse_address_validation (data, strlen (data), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (v->status, ==, "StreetPartial");
  g_assert_cmpstr (v->message, ==, "Address field invalid for property: 'Street'");
  g_assert_cmpuint (v->suggestions->len, ==, 2);
  g_assert_cmpstr (pd_bill_to_get (g_ptr_array_index (v->suggestions, 0), PD_BILL_TO_POSTAL_CODE),
                   ==, "98052-6399");
  old = pd_pc_json_parse_address_validation (legacy, strlen (legacy), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (old->status, ==, "Verified");
  g_assert_cmpuint (old->suggestions->len, ==, 0);
}

static void
test_audit_records (void)
{
  gsize len;
  g_autofree char *data = load ("pc-audit-records.json", &len);
  g_autoptr(GError) error = NULL;
  PdPcPaging paging = { 0 };
  g_autoptr(GPtrArray) records = pd_pc_json_parse_audit_records (data, len, &paging, &error);
  PdPcAuditRecord *r;

  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 2);
  r = g_ptr_array_index (records, 0);
  g_assert_cmpstr (r->customer_id, ==, "1d8d7a6c-0001-4c5e-9f1b-000000000001");
  g_assert_cmpstr (r->operation_type, ==, "update_customer_billing_profile");
  g_assert_cmpstr (r->resource_type, ==, "customer");
  g_assert_cmpstr (r->operation_status, ==, "succeeded");
  g_assert_nonnull (r->operation_date);
  g_assert_cmpint (g_date_time_get_year (r->operation_date), ==, 2026);
  g_assert_cmpint (g_date_time_get_hour (r->operation_date), ==, 18);
  g_assert_null (paging.next_uri);
  pd_pc_paging_clear (&paging);
}

static void
test_resellers (void)
{
  gsize len;
  g_autofree char *data = load ("pc-resellers.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) resellers = pd_pc_json_parse_resellers (data, len, NULL, &error);
  PdPcReseller *r;

  g_assert_no_error (error);
  g_assert_cmpuint (resellers->len, ==, 2);
  r = g_ptr_array_index (resellers, 0);
  g_assert_cmpstr (r->name, ==, "Reseller One");
  g_assert_cmpstr (r->mpn_id, ==, "4847383");   /* a number on the wire */
  g_assert_cmpstr (r->state, ==, "Active");
  g_assert_cmpstr (((PdPcReseller *) g_ptr_array_index (resellers, 1))->location, ==, "DE");
}

static void
test_relationship_request (void)
{
  gsize len;
  g_autofree char *data = load ("pc-relationship-request.json", &len);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = pd_pc_json_parse_relationship_request (data, len, &error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, "https://admin.microsoft.com/Adminportal/Home?"));
}

typedef struct {
  const char *file;
  const char *code;
  const char *description_start;
} ErrorCase;

static void
test_error_bodies (void)
{
  static const ErrorCase cases[] = {
    { "pc-error-classic.json", "600051", "billingProfile.defaultAddress.phoneNumber" },
    { "pc-error-newer.json", "600061", "The partner confirmed" },
    { "pc-error-throttle.json", "429", "Rate limit is exceeded" },
    { "pc-error-entra.json", "900420", "The audience" },
    { "pc-error-oauth.json", "authorization_pending", "AADSTS70016" },
    { "pc-error-2000.json", "2000", "Continuation token" },
    /* validate-an-address.md of 2017 (MicrosoftDocs/partner-center-sdk): the description is
     * JSON text whose reason carries HTML entities. */
    { "pc-error-address-2007.json", "2007",
      "ZipCityInvalid - Details: Field - 'City' is corrected from OldValue: 'Redmond'" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len;
      g_autofree char *data = load (cases[i].file, &len);
      g_autofree char *code = NULL;
      g_autofree char *description = NULL;

      g_assert_true (pd_pc_json_parse_error_body (data, len, &code, &description));
      g_assert_cmpstr (code, ==, cases[i].code);
      g_assert_true (g_str_has_prefix (description, cases[i].description_start));
    }
}

static void
test_error_from_response (void)
{
  gsize len;
  g_autofree char *data = load ("pc-error-classic.json", &len);
  g_autoptr(GError) error = pd_pc_error_from_response (400, data, len);
  g_autoptr(GError) copy = NULL;
  g_autoptr(GError) bare = pd_pc_error_from_response (503, "<html>busy</html>", 17);
  g_autoptr(GError) unauthorized = pd_pc_error_from_response (401, NULL, 0);
  g_autoptr(GError) graph = NULL;
  const char *graph_body = "{\"error\":{\"code\":\"Forbidden\",\"message\":\"No role\"}}";

  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_BAD_REQUEST);
  g_assert_cmpstr (pd_pc_error_get_code (error), ==, "600051");
  g_assert_true (g_str_has_prefix (pd_pc_error_get_description (error), "billingProfile."));
  g_assert_nonnull (strstr (error->message, "600051"));
  /* The details survive a copy (extended error domain). */
  copy = g_error_copy (error);
  g_assert_cmpstr (pd_pc_error_get_code (copy), ==, "600051");
  g_assert_error (bare, PD_PC_ERROR, PD_PC_ERROR_SERVER);
  g_assert_null (pd_pc_error_get_code (bare));
  g_assert_error (unauthorized, PD_PC_ERROR, PD_PC_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (unauthorized->message, "Sign in again"));
  graph = pd_pc_error_from_response (403, graph_body, strlen (graph_body));
  g_assert_error (graph, PD_PC_ERROR, PD_PC_ERROR_FORBIDDEN);
  g_assert_cmpstr (pd_pc_error_get_code (graph), ==, "Forbidden");
  g_assert_cmpstr (pd_pc_error_get_description (graph), ==, "No role");
  g_assert_null (pd_pc_error_get_code (NULL));
}

static void
test_error_redacts_jwt (void)
{
  const char *body = "{\"code\":1,\"description\":\"bad token eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4In0.x\"}";
  g_autoptr(GError) error = pd_pc_error_from_response (401, body, strlen (body));

  g_assert_null (strstr (error->message, "eyJ"));
  g_assert_null (strstr (pd_pc_error_get_description (error), "eyJ"));
}

static void
test_malformed (void)
{
  static const char * const bodies[] = {
    "", "{", "{\"items\": [", "[1,2]", "null", "{\"items\": 5}", "\"text\"", "{\"items\": [1,}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) customers = NULL;

      g_assert_false (pd_pc_json_parse_customer_page (bodies[i], strlen (bodies[i]), &customers,
                                                      NULL, NULL, NULL, &error));
      g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_INVALID_RESPONSE);
      g_assert_null (customers);
    }
}

static void
test_truncated_and_deep (void)
{
  gsize len;
  g_autofree char *data = load ("pc-customers-page.json", &len);
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) c = NULL;

  for (gsize cut = 1; cut < len - 2; cut += 97)
    {
      g_autoptr(GError) cut_error = NULL;
      g_autoptr(GPtrArray) customers = NULL;

      g_assert_false (pd_pc_json_parse_customer_page (data, cut, &customers, NULL, NULL, NULL,
                                                      &cut_error));
      g_assert_error (cut_error, PD_PC_ERROR, PD_PC_ERROR_INVALID_RESPONSE);
    }
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  c = pd_pc_json_parse_customer (deep->str, deep->len, &error);
  g_assert_null (c);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_INVALID_RESPONSE);
}

/* json-glib 1.6 alone would read "\205" as the byte 0x85 and "\ud800" as a lone surrogate:
 * strings that are not UTF-8, which a PUT built from the profile could not carry. */
static void
test_escapes (void)
{
  static const char * const refused[] = {
    "{\"attributes\": {\"etag\": \"\\205x\"}}",
    "{\"companyName\": \"a\\ud800\"}",
    "{\"companyName\": \"a\\udc00b\"}",
    "{\"companyName\": \"a\\ud800\\u0041\"}",
    "{\"companyName\": \"a\\u12\"}",
    "{\"companyName\": \"a\\x41\"}",
    "{\"companyName\": \"a\\",
  };
  const char *good = "{\"companyName\": \"\\\"A\\u00e9\\ud83d\\ude00\\/\\\\\\tx\"}";
  g_autoptr(PdPcBillingProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) refused_error = NULL;
      PdPcBillingProfile *bad = pd_pc_json_parse_billing_profile (refused[i], strlen (refused[i]),
                                                                 &refused_error);

      g_assert_null (bad);
      g_assert_error (refused_error, PD_PC_ERROR, PD_PC_ERROR_INVALID_RESPONSE);
    }
  profile = pd_pc_json_parse_billing_profile (good, strlen (good), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_bill_to_get (profile->bill_to, PD_BILL_TO_COMPANY_NAME), ==,
                   "\"A\u00e9\U0001F600/\\\tx");
}

static void
test_tokens (void)
{
  gsize len;
  g_autofree char *token_data = load ("pc-token.json", &len);
  g_autofree char *code_data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcTokenResponse) tokens = pd_pc_json_parse_token_response (token_data, len, &error);
  g_autoptr(PdPcDeviceCodeResponse) code = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (tokens->access_token, ==, "fixture-access-value");
  g_assert_cmpstr (tokens->refresh_token, ==, "fixture-refresh-value");
  g_assert_cmpint (tokens->expires_in, ==, 3599);   /* a string on the wire */
  code_data = load ("pc-device-code.json", &len);
  code = pd_pc_json_parse_device_code (code_data, len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code->user_code, ==, "FGH7KLMN2");
  g_assert_cmpstr (code->verification_uri, ==, "https://microsoft.com/devicelogin");
  g_assert_cmpuint (code->interval, ==, 5);
  g_assert_cmpuint (code->expires_in, ==, 900);
}

static void
test_jwt_claims (void)
{
  /* {"alg":"none"} . {"tid":"t-1","upn":"a@b.example"} with base64url and no padding. */
  g_autofree char *header = g_base64_encode ((const guchar *) "{\"alg\":\"none\"}", 14);
  const char *payload_json = "{\"tid\":\"t-1\",\"upn\":\"a@b.example\",\"n\":\"?>>?\"}";
  g_autofree char *payload = g_base64_encode ((const guchar *) payload_json, strlen (payload_json));
  g_autofree char *jwt = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(GError) error = NULL;

  g_strdelimit (payload, "+", '-');
  g_strdelimit (payload, "/", '_');
  g_strdelimit (payload, "=", '\0');
  jwt = g_strdup_printf ("%s.%s.sig", header, payload);
  claims = pd_pc_json_parse_jwt_claims (jwt, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (claims, "tid"), ==, "t-1");
  g_assert_cmpstr (json_object_get_string_member (claims, "upn"), ==, "a@b.example");
  g_assert_null (pd_pc_json_parse_jwt_claims ("opaque-token", NULL));
}

static void
test_resolve_next_uri (void)
{
  static const char * const cases[][2] = {
    { "/customers?size=500&seekOperation=Next", "https://x.test/v1/customers?size=500&seekOperation=Next" },
    { "customers?size=500", "https://x.test/v1/customers?size=500" },
    { "/v1/customers?size=500", "https://x.test/v1/customers?size=500" },
    { "/v1//v1/customers?size=500&seekOperation=Next", "https://x.test/v1/customers?size=500&seekOperation=Next" },
    { "v1/customers", "https://x.test/v1/customers" },
    { "https://evil.test/v1/customers?a=b", "https://x.test/v1/customers?a=b" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = pd_pc_resolve_next_uri ("https://x.test", cases[i][0]);
      g_assert_cmpstr (url, ==, cases[i][1]);
    }
}

static void
test_url_allowed (void)
{
  g_assert_true (pd_pc_url_is_allowed ("https://api.partnercenter.microsoft.com"));
  g_assert_true (pd_pc_url_is_allowed ("http://127.0.0.1:8080"));
  g_assert_true (pd_pc_url_is_allowed ("http://127.3.0.1:8080/organizations"));
  g_assert_true (pd_pc_url_is_allowed ("http://localhost:1"));
  g_assert_true (pd_pc_url_is_allowed ("http://[::1]:8080"));
  g_assert_false (pd_pc_url_is_allowed ("http://api.partnercenter.microsoft.com"));
  g_assert_false (pd_pc_url_is_allowed ("http://10.0.0.1"));
  g_assert_false (pd_pc_url_is_allowed ("ftp://127.0.0.1"));
  g_assert_false (pd_pc_url_is_allowed ("not a url"));
  g_assert_false (pd_pc_url_is_allowed (NULL));
}

static void
test_retry_after (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 30);
  g_autofree char *http_date = g_date_time_format (later, "%a, %d %b %Y %H:%M:%S GMT");
  gint64 from_date;

  g_assert_cmpint (pd_pc_parse_retry_after ("57"), ==, 57);
  g_assert_cmpint (pd_pc_parse_retry_after ("0"), ==, 0);
  g_assert_cmpint (pd_pc_parse_retry_after (NULL), ==, -1);
  g_assert_cmpint (pd_pc_parse_retry_after ("soon"), ==, -1);
  g_assert_cmpint (pd_pc_parse_retry_after ("99999"), ==, 600);
  from_date = pd_pc_parse_retry_after (http_date);
  g_assert_cmpint (from_date, >=, 28);
  g_assert_cmpint (from_date, <=, 30);
}

static void
test_consent_links (void)
{
  g_autofree char *link = pd_pc_build_consent_link ("3b33e682-00c3-41ee-9dd2-a548adf56438", TRUE);
  g_autofree char *off = pd_pc_consent_link_with_dap (link, FALSE);
  g_autofree char *added = pd_pc_consent_link_with_dap ("https://a.test/x?p=1#/frag", TRUE);
  g_autofree char *bare = pd_pc_consent_link_with_dap ("https://a.test/x", FALSE);

  g_assert_cmpstr (link, ==, "https://admin.microsoft.com/Adminportal/Home?invType="
                   "ResellerRelationship&partnerId=3b33e682-00c3-41ee-9dd2-a548adf56438"
                   "&msppId=0&DAP=true#/BillingAccounts/partner-invitation");
  g_assert_cmpstr (off, ==, "https://admin.microsoft.com/Adminportal/Home?invType="
                   "ResellerRelationship&partnerId=3b33e682-00c3-41ee-9dd2-a548adf56438"
                   "&msppId=0&DAP=false#/BillingAccounts/partner-invitation");
  g_assert_cmpstr (added, ==, "https://a.test/x?p=1&DAP=true#/frag");
  g_assert_cmpstr (bare, ==, "https://a.test/x?DAP=false");
}

/* --- answers Partner Center really gave (README "What the client accepts") ------------ */

/* The 2017 link, HTML-escaped: request-reseller-relationship.md of May 2017 and
 * Partner-Center-PowerShell test/PowerShell.Tests/SessionRecords/GetResellerRelationshipLink.json. */
static void
test_relationship_request_2017 (void)
{
  gsize len;
  g_autofree char *data = load ("pc-relationship-request-2017.json", &len);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = pd_pc_json_parse_relationship_request (data, len, &error);
  g_autofree char *with_dap = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "https://portal.office.com/partner/partnersignup.aspx?type="
                   "ResellerRelationship&id=3b33e682-00c3-41ee-9dd2-a548adf56438&csp=1&msppid=0");
  with_dap = pd_pc_consent_link_with_dap (url, TRUE);
  g_assert_true (g_str_has_suffix (with_dap, "&msppid=0&DAP=true"));
}

/* validate-an-address.md of March 2017: a valid address got 200 with Content-Length 0. */
static void
test_address_validation_2017 (void)
{
  gsize len;
  g_autofree char *data = load ("pc-address-validation-2017-valid.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcAddressValidation) v = pd_pc_json_parse_address_validation (data, len, &error);

  g_assert_cmpuint (len, ==, 0);
  g_assert_no_error (error);
  g_assert_cmpstr (v->status, ==, "Verified");
  g_assert_cmpuint (v->suggestions->len, ==, 0);
}

static void
test_normalize_id (void)
{
  static const char * const cases[][2] = {
    { "C5757D70-06F3-4F23-8367-5A9E55019F94", "c5757d70-06f3-4f23-8367-5a9e55019f94" },
    { "{7b26b357-9CA3-48b8-a58e-4febe2662a5d}", "7b26b357-9ca3-48b8-a58e-4febe2662a5d" },
    { "c5757d70-06f3-4f23-8367-5a9e55019f94", "c5757d70-06f3-4f23-8367-5a9e55019f94" },
    { "LEGACY-CUSTOMER-0042", "LEGACY-CUSTOMER-0042" },
    { "{not-a-guid}", "{not-a-guid}" },
    { "{C5757D70-06F3-4F23-8367-5A9E55019F94", "{C5757D70-06F3-4F23-8367-5A9E55019F94" },
    { "C5757D7006F34F2383675A9E55019F94", "C5757D7006F34F2383675A9E55019F94" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = pd_pc_json_normalize_id (g_strdup (cases[i][0]));
      g_assert_cmpstr (id, ==, cases[i][1]);
    }
  g_assert_null (pd_pc_json_normalize_id (NULL));
}

static void
check_id_page (GPtrArray *customers)
{
  PdPcCustomer *c;

  /* totalCount says 250: it counts nothing the client relies on. */
  g_assert_cmpuint (customers->len, ==, 4);
  c = g_ptr_array_index (customers, 0);
  g_assert_cmpstr (c->id, ==, "c5757d70-06f3-4f23-8367-5a9e55019f94");
  g_assert_cmpstr (c->associated_partner_id, ==, "484e548c-f5f3-4528-93a9-c16c6373cb59");
  g_assert_cmpstr (c->domain, ==, "ContosoCorpCo.onmicrosoft.com");
  c = g_ptr_array_index (customers, 1);
  g_assert_cmpstr (c->id, ==, "7b26b357-9ca3-48b8-a58e-4febe2662a5d");
  g_assert_cmpstr (((PdPcCustomer *) g_ptr_array_index (customers, 2))->id, ==,
                   "LEGACY-CUSTOMER-0042");
  g_assert_cmpstr (((PdPcCustomer *) g_ptr_array_index (customers, 3))->id, ==, "{not-a-guid}");
}

/* Upper-case and braced GUIDs read as the lower-case bare GUID by both page readers; other
 * IDs stay as sent. */
static void
test_customer_page_ids (void)
{
  gsize len;
  g_autofree char *data = load ("pc-customers-page-ids.json", &len);
  g_autoptr(GPtrArray) fast = NULL;
  g_autoptr(GPtrArray) slow = NULL;
  g_autoptr(GError) error = NULL;
  PdPcPaging paging = { 0 };

  g_assert_true (pd_pc_json_parse_customer_page_fast (data, len, &fast, &paging));
  pd_pc_paging_clear (&paging);
  check_id_page (fast);
  g_assert_true (pd_pc_json_parse_collection (data, len, pd_pc_json_customer_from_object,
                                              (GDestroyNotify) pd_pc_customer_free, &slow,
                                              NULL, &error));
  g_assert_no_error (error);
  check_id_page (slow);
}

/* The same rule for the activity log, the resellers and the company profile. */
static void
test_other_ids (void)
{
  static const char audit[] = "{\"items\":[{\"customerId\":\"C5757D70-06F3-4F23-8367-"
                              "5A9E55019F94\"}]}";
  static const char resellers[] = "{\"items\":[{\"id\":\"{484E548C-F5F3-4528-93A9-"
                                  "C16C6373CB59}\"}]}";
  static const char company[] = "{\"tenantId\":\"4D3CF487-70F4-4E1E-9FF1-B2BFCE8D9F04\"}";
  g_autoptr(GPtrArray) records = pd_pc_json_parse_audit_records (audit, strlen (audit), NULL,
                                                                  NULL);
  g_autoptr(GPtrArray) partners = pd_pc_json_parse_resellers (resellers, strlen (resellers),
                                                              NULL, NULL);
  g_autoptr(PdPcCompanyProfile) profile = pd_pc_json_parse_company_profile (company,
                                                                            strlen (company),
                                                                            NULL);

  g_assert_cmpstr (((PdPcAuditRecord *) g_ptr_array_index (records, 0))->customer_id, ==,
                   "c5757d70-06f3-4f23-8367-5a9e55019f94");
  g_assert_cmpstr (((PdPcReseller *) g_ptr_array_index (partners, 0))->id, ==,
                   "484e548c-f5f3-4528-93a9-c16c6373cb59");
  g_assert_cmpstr (profile->tenant_id, ==, "4d3cf487-70f4-4e1e-9ff1-b2bfce8d9f04");
}

/* get-customers-of-an-indirect-reseller.md publishes its page with a comma before "]".
 * Newtonsoft, which writes the service's answers, never does: refused as unreadable. */
static void
test_customer_page_trailing_comma (void)
{
  gsize len;
  g_autofree char *data = load ("pc-customers-reseller-docs-comma.json", &len);
  g_autoptr(GPtrArray) customers = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (pd_pc_json_parse_customer_page (data, len, &customers, NULL, NULL, NULL,
                                                  &error));
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_INVALID_RESPONSE);
  g_assert_null (customers);
}

/* A whole Customer as the service wrote it in PascalCase (resourceNewValue of the activity log
 * example in api-throttling-guidance.md). */
static void
test_customer_pascal (void)
{
  gsize len;
  g_autofree char *data = load ("pc-customer-pascal-audit.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) c = pd_pc_json_parse_customer (data, len, &error);
  PdBillTo *bill_to;

  g_assert_no_error (error);
  g_assert_cmpstr (c->id, ==, "86bddccf-9a53-40c6-907c-08067a3f8da7");
  g_assert_cmpstr (c->company_name, ==, "CustomMetersStagingTest");
  g_assert_cmpstr (c->domain, ==, "CustomMetersStagingTest.onmicrosoft.com");
  g_assert_true (c->has_delegated_access_value && c->allow_delegated_access);
  g_assert_null (c->custom_domains);
  g_assert_cmpstr (c->billing_profile->etag, ==, "-2279334701316321663");
  bill_to = c->billing_profile->bill_to;
  g_assert_cmpstr (pd_bill_to_get (bill_to, PD_BILL_TO_CITY), ==, "Seattle");
  g_assert_cmpstr (pd_bill_to_get (bill_to, PD_BILL_TO_POSTAL_CODE), ==, "98122");
  g_assert_null (pd_bill_to_get (bill_to, PD_BILL_TO_PHONE_NUMBER));
}

/* get-a-record-of-partner-center-activity-by-user.md (2017): 7 fractional digits, an
 * applicationId that is a name, customizedData values that are null. */
static void
test_audit_records_docs (void)
{
  gsize len;
  g_autofree char *data = load ("pc-audit-records-docs-2017.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = pd_pc_json_parse_audit_records (data, len, NULL, &error);
  PdPcAuditRecord *r;

  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 2);
  r = g_ptr_array_index (records, 0);
  g_assert_cmpstr (r->operation_type, ==, "create_order");
  g_assert_cmpint (g_date_time_get_microsecond (r->operation_date), ==, 58930);
  r = g_ptr_array_index (records, 1);
  g_assert_cmpint (g_date_time_get_day_of_month (r->operation_date), ==, 1);
  g_assert_cmpint (g_date_time_get_second (r->operation_date), ==, 7);
}

int
main (int argc, char **argv)
{
  pd_test_init (&argc, &argv);
  g_test_add_func ("/api/json/customer-page", test_customer_page);
  g_test_add_func ("/api/json/customer-last-page", test_customer_last_page);
  g_test_add_func ("/api/json/customer-page-fast", test_customer_page_fast);
  g_test_add_func ("/api/json/customer-page-bom", test_customer_page_bom);
  g_test_add_func ("/api/json/customer-full", test_customer_full);
  g_test_add_func ("/api/json/billing-profile", test_billing_profile);
  g_test_add_func ("/api/json/billing-profile-pascal", test_billing_profile_pascal);
  g_test_add_func ("/api/json/build-put", test_build_put);
  g_test_add_func ("/api/json/build-put-without-raw", test_build_put_without_raw);
  g_test_add_func ("/api/json/build-put-huge-number", test_build_put_huge_number);
  g_test_add_func ("/api/json/company-profile", test_company_profile);
  g_test_add_func ("/api/json/validation-status", test_validation_status);
  g_test_add_func ("/api/json/country-rules-sdk", test_country_rules_sdk);
  g_test_add_func ("/api/json/country-rules-docs", test_country_rules_docs);
  g_test_add_func ("/api/json/country-rules-objects", test_country_rules_objects);
  g_test_add_func ("/api/json/address-validation", test_address_validation);
  g_test_add_func ("/api/json/audit-records", test_audit_records);
  g_test_add_func ("/api/json/resellers", test_resellers);
  g_test_add_func ("/api/json/relationship-request", test_relationship_request);
  g_test_add_func ("/api/json/error-bodies", test_error_bodies);
  g_test_add_func ("/api/json/error-from-response", test_error_from_response);
  g_test_add_func ("/api/json/error-redacts-jwt", test_error_redacts_jwt);
  g_test_add_func ("/api/json/malformed", test_malformed);
  g_test_add_func ("/api/json/truncated-and-deep", test_truncated_and_deep);
  g_test_add_func ("/api/json/escapes", test_escapes);
  g_test_add_func ("/api/json/tokens", test_tokens);
  g_test_add_func ("/api/json/jwt-claims", test_jwt_claims);
  g_test_add_func ("/api/url/resolve-next", test_resolve_next_uri);
  g_test_add_func ("/api/url/allowed", test_url_allowed);
  g_test_add_func ("/api/url/retry-after", test_retry_after);
  g_test_add_func ("/api/url/consent-links", test_consent_links);
  g_test_add_func ("/api/real/relationship-request-2017", test_relationship_request_2017);
  g_test_add_func ("/api/real/address-validation-2017", test_address_validation_2017);
  g_test_add_func ("/api/real/normalize-id", test_normalize_id);
  g_test_add_func ("/api/real/customer-page-ids", test_customer_page_ids);
  g_test_add_func ("/api/real/other-ids", test_other_ids);
  g_test_add_func ("/api/real/customer-page-trailing-comma", test_customer_page_trailing_comma);
  g_test_add_func ("/api/real/customer-pascal", test_customer_pascal);
  g_test_add_func ("/api/real/audit-records-docs", test_audit_records_docs);
  return g_test_run ();
}
