/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-pc-json.c — one libFuzzer target per JSON parser of src/api/pd-pc-json.h (and one
 * for the resolution of links.next, which is server input too).
 *
 * Built once per parser with -DPD_FUZZ_PARSER=<name>; LLVMFuzzerTestOneInput feeds the input
 * to that parser and checks properties that must hold for any input: no crash or leak (the
 * sanitizers), an error whenever the result is NULL, and for billing profiles, that the PUT
 * body built from a parsed profile parses back to the same bill-to. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pd-pc-client-private.h"
#include "pd-pc-json-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A broken property is a crash, so that libFuzzer keeps the input. */
static void
check (gboolean condition)
{
  if (!condition)
    abort ();
}

/* NULL result ⇔ error set. */
static void
check_result (gconstpointer result,
              GError       *error)
{
  check ((result == NULL) == (error != NULL));
  check (error == NULL || error->domain == PD_PC_ERROR);
  if (error != NULL)
    g_error_free (error);
}

static void check_fast_matches_json_glib (const char *data, gsize len);

static void
fuzz_customer_page (const char *data, gsize len)
{
  GPtrArray *customers = NULL, *headers = NULL;
  char *next = NULL, *token = NULL;
  GError *error = NULL;
  gboolean ok = pd_pc_json_parse_customer_page (data, len, &customers, &next, &headers, &token,
                                                &error);

  check (ok == (customers != NULL));
  check (headers == NULL || headers->len % 2 == 0);
  for (guint i = 0; customers && i < customers->len; i++)
    check (((PdPcCustomer *) g_ptr_array_index (customers, i))->id != NULL);
  check_result (ok ? data : NULL, error);
  g_clear_pointer (&customers, g_ptr_array_unref);
  g_clear_pointer (&headers, g_ptr_array_unref);
  g_free (next);
  g_free (token);
  check_fast_matches_json_glib (data, len);
}

static gboolean
strv_equal0 (char **a,
             char **b)
{
  return (a == NULL && b == NULL) || (a != NULL && b != NULL
                                      && g_strv_equal ((const char * const *) a,
                                                       (const char * const *) b));
}

static gboolean
customer_equal (const PdPcCustomer *a,
                const PdPcCustomer *b)
{
  return g_strcmp0 (a->id, b->id) == 0 && g_strcmp0 (a->commerce_id, b->commerce_id) == 0
         && g_strcmp0 (a->company_name, b->company_name) == 0
         && g_strcmp0 (a->domain, b->domain) == 0
         && g_strcmp0 (a->relationship, b->relationship) == 0
         && a->has_delegated_access_value == b->has_delegated_access_value
         && a->allow_delegated_access == b->allow_delegated_access
         && strv_equal0 (a->custom_domains, b->custom_domains)
         && g_strcmp0 (a->associated_partner_id, b->associated_partner_id) == 0
         && a->billing_profile == NULL && b->billing_profile == NULL;
}

/* Whenever the single-pass reader accepts a page, json-glib reads the same from it. */
static void
check_fast_matches_json_glib (const char *data, gsize len)
{
  GPtrArray *fast = NULL, *slow = NULL;
  PdPcPaging fast_paging = { 0 }, slow_paging = { 0 };

  if (!pd_pc_json_parse_customer_page_fast (data, len, &fast, &fast_paging))
    return;
  check (pd_pc_json_parse_collection (data, len, pd_pc_json_customer_from_object,
                                      (GDestroyNotify) pd_pc_customer_free, &slow,
                                      &slow_paging, NULL));
  check (fast->len == slow->len);
  for (guint i = 0; i < fast->len; i++)
    check (customer_equal (g_ptr_array_index (fast, i), g_ptr_array_index (slow, i)));
  check (g_strcmp0 (fast_paging.next_uri, slow_paging.next_uri) == 0);
  check (g_strcmp0 (fast_paging.continuation_token, slow_paging.continuation_token) == 0);
  check (fast_paging.has_continuation_token == slow_paging.has_continuation_token);
  check (fast_paging.next_headers->len == slow_paging.next_headers->len);
  for (guint i = 0; i < fast_paging.next_headers->len; i++)
    check (g_strcmp0 (g_ptr_array_index (fast_paging.next_headers, i),
                      g_ptr_array_index (slow_paging.next_headers, i)) == 0);
  g_ptr_array_unref (fast);
  g_ptr_array_unref (slow);
  pd_pc_paging_clear (&fast_paging);
  pd_pc_paging_clear (&slow_paging);
}

static void
fuzz_customer (const char *data, gsize len)
{
  GError *error = NULL;
  PdPcCustomer *customer = pd_pc_json_parse_customer (data, len, &error);

  check_result (customer, error);
  pd_pc_customer_free (customer);
}

static void
fuzz_billing_profile (const char *data, gsize len)
{
  GError *error = NULL;
  PdPcBillingProfile *profile = pd_pc_json_parse_billing_profile (data, len, &error);
  PdPcBillingProfile *again;
  char *body;

  check_result (profile, error);
  if (profile == NULL)
    return;
  body = pd_pc_json_build_billing_profile_put (profile, "\"fuzz\"");
  again = pd_pc_json_parse_billing_profile (body, strlen (body), NULL);
  check (again != NULL);
  check (pd_bill_to_equal (again->bill_to, profile->bill_to));
  check (g_strcmp0 (again->etag, "\"fuzz\"") == 0);
  pd_pc_billing_profile_free (again);
  pd_pc_billing_profile_free (profile);
  g_free (body);
}

static void
fuzz_company_profile (const char *data, gsize len)
{
  GError *error = NULL;
  PdPcCompanyProfile *profile = pd_pc_json_parse_company_profile (data, len, &error);

  check_result (profile, error);
  pd_pc_company_profile_free (profile);
}

static void
fuzz_country_rules (const char *data, gsize len)
{
  GError *error = NULL;
  PdCountryRule *rule = pd_pc_json_parse_country_rules (data, len, &error);

  check_result (rule, error);
  if (rule != NULL)
    check (rule->iso2 != NULL);
  g_clear_pointer (&rule, pd_country_rule_free);
}

static void
fuzz_address_validation (const char *data, gsize len)
{
  GError *error = NULL;
  PdPcAddressValidation *validation = pd_pc_json_parse_address_validation (data, len, &error);

  check_result (validation, error);
  if (validation != NULL)
    check (validation->status != NULL && validation->suggestions != NULL);
  pd_pc_address_validation_free (validation);
}

static void
fuzz_audit_records (const char *data, gsize len)
{
  GError *error = NULL;
  PdPcPaging paging = { 0 };
  GPtrArray *records = pd_pc_json_parse_audit_records (data, len, &paging, &error);

  check_result (records, error);
  g_clear_pointer (&records, g_ptr_array_unref);
  pd_pc_paging_clear (&paging);
}

static void
fuzz_resellers (const char *data, gsize len)
{
  GError *error = NULL;
  GPtrArray *resellers = pd_pc_json_parse_resellers (data, len, NULL, &error);

  check_result (resellers, error);
  g_clear_pointer (&resellers, g_ptr_array_unref);
}

static void
fuzz_relationship_request (const char *data, gsize len)
{
  GError *error = NULL;
  char *url = pd_pc_json_parse_relationship_request (data, len, &error);

  check_result (url, error);
  g_free (url);
}

static void
fuzz_error_body (const char *data, gsize len)
{
  char *code = NULL, *description = NULL;
  gboolean found = pd_pc_json_parse_error_body (data, len, &code, &description);
  GError *mapped = pd_pc_error_from_response (400, data, len);

  check (found == (code != NULL || description != NULL));
  check (g_strcmp0 (pd_pc_error_get_code (mapped), code) == 0);
  g_error_free (mapped);
  g_free (code);
  g_free (description);
}

static void
fuzz_tokens (const char *data, gsize len)
{
  GError *error = NULL;
  PdPcTokenResponse *tokens = pd_pc_json_parse_token_response (data, len, &error);
  PdPcDeviceCodeResponse *code;
  char *text = g_strndup (data, len);
  JsonObject *claims = pd_pc_json_parse_jwt_claims (text, NULL);

  check_result (tokens, error);
  error = NULL;
  code = pd_pc_json_parse_device_code (data, len, &error);
  check_result (code, error);
  pd_pc_token_response_free (tokens);
  pd_pc_device_code_response_free (code);
  g_clear_pointer (&claims, json_object_unref);
  g_free (text);
}

/* links.next.uri comes from the server: whatever it says, the request goes to our host,
 * under exactly one /v1/. */
static void
fuzz_next_uri (const char *data, gsize len)
{
  static const char base[] = "https://api.example.test";
  char *next = g_strndup (data ? data : "", len);
  char *url = pd_pc_resolve_next_uri (base, next);

  if (url != NULL)
    {
      const char *rest = url + strlen (base) + strlen ("/v1/");
      GUri *uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

      check (g_str_has_prefix (url, "https://api.example.test/v1/"));
      check (*rest != '/' && g_ascii_strncasecmp (rest, "v1/", 3) != 0);
      check (uri == NULL || g_strcmp0 (g_uri_get_host (uri), "api.example.test") == 0);
      g_clear_pointer (&uri, g_uri_unref);
    }
  g_free (url);
  g_free (next);
}

typedef void (*FuzzFunc) (const char *data, gsize len);

static const struct {
  const char *name;
  FuzzFunc    func;
} targets[] = {
  { "customer_page", fuzz_customer_page },
  { "customer", fuzz_customer },
  { "billing_profile", fuzz_billing_profile },
  { "company_profile", fuzz_company_profile },
  { "country_rules", fuzz_country_rules },
  { "address_validation", fuzz_address_validation },
  { "audit_records", fuzz_audit_records },
  { "resellers", fuzz_resellers },
  { "relationship_request", fuzz_relationship_request },
  { "error_body", fuzz_error_body },
  { "tokens", fuzz_tokens },
  { "next_uri", fuzz_next_uri },
};

#define PD_FUZZ_STR2(x) #x
#define PD_FUZZ_STR(x) PD_FUZZ_STR2 (x)

/* The target this binary was built for (-DPD_FUZZ_PARSER=name). */
static FuzzFunc
selected_target (void)
{
  static FuzzFunc selected;

  for (guint i = 0; selected == NULL && i < G_N_ELEMENTS (targets); i++)
    if (strcmp (targets[i].name, PD_FUZZ_STR (PD_FUZZ_PARSER)) == 0)
      selected = targets[i].func;
  check (selected != NULL);
  return selected;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  selected_target () ((const char *) data, size);
  return 0;
}
