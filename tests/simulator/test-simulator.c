/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-simulator.c — the simulator through raw HTTP: paging with every end-of-paging signal,
 * next links with and without /v1, filters, authentication, billing profile etags, the
 * activity log, mutations, the rate limit, faults and the device code flow. */
#include <string.h>

#include "pd-test-util.h"
#include "sim-test-http.h"

#define N_CUSTOMERS 1234

/* ---- Helpers -------------------------------------------------------------------------- */

static void
setup (SimFixture *f, gconstpointer data)
{
  PdSimulatorOptions options;

  pd_simulator_options_init (&options);
  options.n_customers = N_CUSTOMERS;
  options.seed = 42;
  options.approve_after_ms = 300;
  sim_fixture_setup (f, &options);
}

static void
teardown (SimFixture *f, gconstpointer data)
{
  sim_fixture_teardown (f);
}

static JsonObject *
get_object (SimFixture *f, const char *path, guint expected_status)
{
  g_autoptr(SimReply) reply = sim_get (f, path);

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, expected_status);
  return sim_reply_object (reply);
}

static gint64
error_code (SimReply *reply)
{
  g_autoptr(JsonObject) object = sim_reply_object (reply);

  return json_object_get_int_member (object, "code");
}

/* A next link's path as a careful client requests it: "/v1" added only when missing. */
static char *
normalise_next (const char *uri)
{
  return g_str_has_prefix (uri, "/v1/") ? g_strdup (uri) : g_strconcat ("/v1", uri, NULL);
}

static const char *
next_token (JsonObject *next)
{
  JsonArray *headers = json_object_get_array_member (next, "headers");
  JsonObject *header = json_array_get_object_element (headers, 0);

  g_assert_cmpstr (json_object_get_string_member (header, "key"), ==, "MS-ContinuationToken");
  return json_object_get_string_member (header, "value");
}

/* Pages through `first` as the client must (all four end signals); returns the item ids. */
static GPtrArray *
page_all (SimFixture *f, const char *first, guint *n_pages)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = g_strdup (first);
  g_autofree char *token = NULL;

  for (*n_pages = 0; *n_pages < 1000; (*n_pages)++)
    {
      const char *extra[] = { "MS-ContinuationToken", token, NULL };
      g_autoptr(SimReply) reply = sim_request (f, "GET", path, SIM_TEST_TOKEN, NULL, NULL,
                                               token ? extra : NULL);
      g_autoptr(JsonObject) page = NULL;
      JsonArray *items;
      JsonObject *links, *next;

      g_assert_no_error (reply->error);
      /* 204 comes with a Retry-After date that a client must not take for throttling. */
      if (reply->status == 204)
        g_assert_nonnull (soup_message_headers_get_one (reply->headers, "Retry-After"));
      if (reply->status == 204 || (reply->status == 400 && error_code (reply) == 2000))
        break;
      g_assert_cmpuint (reply->status, ==, 200);
      page = sim_reply_object (reply);
      items = json_object_get_array_member (page, "items");
      /* totalCount counts this page's items, not the grand total. */
      g_assert_cmpint (json_object_get_int_member (page, "totalCount"), ==,
                       json_array_get_length (items));
      for (guint i = 0; i < json_array_get_length (items); i++)
        g_ptr_array_add (ids, g_strdup (json_object_get_string_member (
                                          json_array_get_object_element (items, i), "id")));
      links = json_object_get_object_member (page, "links");
      if (!json_object_has_member (links, "next"))
        break;
      next = json_object_get_object_member (links, "next");
      if (*next_token (next) == '\0')
        {
          g_assert_cmpstr (json_object_get_string_member (page, "continuationToken"), ==, "");
          break;
        }
      g_assert_cmpstr (json_object_get_string_member (page, "continuationToken"), ==,
                       next_token (next));
      g_free (token);
      token = g_strdup (next_token (next));
      g_free (path);
      path = normalise_next (json_object_get_string_member (next, "uri"));
    }
  return ids;
}

static void
assert_each_once (SimFixture *f, GPtrArray *ids)
{
  g_auto(GStrv) expected = pd_simulator_dup_customer_ids (f->sim);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (ids->len, ==, g_strv_length (expected));
  for (guint i = 0; i < ids->len; i++)
    g_assert_true (g_hash_table_add (seen, g_ptr_array_index (ids, i)));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_true (g_hash_table_contains (seen, expected[i]));
}

/* ---- Paging --------------------------------------------------------------------------- */

static void
test_paging_each_end_signal (SimFixture *f, gconstpointer data)
{
  const PdSimEndOfPaging signals[] = {
    PD_SIM_END_BY_MISSING_NEXT, PD_SIM_END_BY_EMPTY_TOKEN, PD_SIM_END_BY_400_2000,
    PD_SIM_END_BY_204,
  };

  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      g_autoptr(GPtrArray) ids = NULL;
      guint pages;

      pd_simulator_set_end_of_paging (f->sim, signals[i]);
      pd_simulator_set_next_link_with_v1 (f->sim, i % 2 == 1);
      ids = page_all (f, "/v1/customers?size=100", &pages);
      assert_each_once (f, ids);
      /* 13 pages of data; the 400 and 204 signals cost one more request. */
      g_assert_cmpuint (pages, ==, signals[i] >= PD_SIM_END_BY_400_2000 ? 13 : 12);
    }
}

static void
test_paging_page_size_cap (SimFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  guint pages;

  pd_simulator_set_page_size_cap (f->sim, 50);
  page = get_object (f, "/v1/customers?size=500", 200);
  g_assert_cmpint (json_object_get_int_member (page, "totalCount"), ==, 50);
  ids = page_all (f, "/v1/customers?size=500", &pages);
  assert_each_once (f, ids);
}

/* emptyPages: an empty page with a next link before each next page; following every link
 * still gives each customer once. */
static void
test_paging_empty_pages (SimFixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = NULL;
  guint pages;

  pd_simulator_set_empty_pages (f->sim, TRUE);
  ids = page_all (f, "/v1/customers?size=100", &pages);
  assert_each_once (f, ids);
  g_assert_cmpuint (pages, ==, 12 + 12);
}

static void
test_paging_next_link_v1 (SimFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) page = NULL;
  JsonObject *next;
  const char *uri;
  g_autofree char *doubled = NULL;
  g_autoptr(SimReply) reply = NULL;

  pd_simulator_set_next_link_with_v1 (f->sim, TRUE);
  page = get_object (f, "/v1/customers?size=10", 200);
  next = json_object_get_object_member (json_object_get_object_member (page, "links"), "next");
  uri = json_object_get_string_member (next, "uri");
  g_assert_true (g_str_has_prefix (uri, "/v1/customers?"));
  g_assert_nonnull (strstr (uri, "seekOperation=Next"));
  /* A client that blindly prepends /v1 requests /v1//v1/…, which fails (PS #379). */
  doubled = g_strconcat ("/v1", uri, NULL);
  reply = sim_get (f, doubled);
  g_assert_cmpuint (reply->status, ==, 404);

  pd_simulator_set_next_link_with_v1 (f->sim, FALSE);
  g_clear_pointer (&page, json_object_unref);
  page = get_object (f, "/v1/customers?size=10", 200);
  next = json_object_get_object_member (json_object_get_object_member (page, "links"), "next");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (next, "uri"), "/customers?"));
}

static void
test_paging_expired_token (SimFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) page = get_object (f, "/v1/customers?size=10", 200);
  const char *token = json_object_get_string_member (page, "continuationToken");
  const char *extra[] = { "MS-ContinuationToken", token, NULL };
  const char *forged[] = { "MS-ContinuationToken", "Yy45OTkuMS5kZWFkYmVlZg==", NULL };
  g_autoptr(SimReply) ok = NULL;
  g_autoptr(SimReply) expired = NULL;
  g_autoptr(SimReply) bad = NULL;

  ok = sim_request (f, "GET", "/v1/customers?size=10&seekOperation=Next", SIM_TEST_TOKEN, NULL,
                    NULL, extra);
  g_assert_cmpuint (ok->status, ==, 200);
  pd_simulator_expire_continuation_tokens (f->sim);
  expired = sim_request (f, "GET", "/v1/customers?size=10&seekOperation=Next", SIM_TEST_TOKEN,
                         NULL, NULL, extra);
  g_assert_cmpuint (expired->status, ==, 400);
  g_assert_cmpint (error_code (expired), ==, 2001);
  bad = sim_request (f, "GET", "/v1/customers?size=10&seekOperation=Next", SIM_TEST_TOKEN, NULL,
                     NULL, forged);
  g_assert_cmpuint (bad->status, ==, 400);
  g_assert_cmpint (error_code (bad), ==, 2001);
}

static void
test_paging_expired_by_mutation (SimFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) page = get_object (f, "/v1/customers?size=10", 200);
  const char *extra[] = { "MS-ContinuationToken",
                          json_object_get_string_member (page, "continuationToken"), NULL };
  g_autofree char *answer = NULL;
  g_autoptr(SimReply) before = NULL;
  g_autoptr(SimReply) after = NULL;

  /* By default a listing survives changes (positions are stable)… */
  answer = pd_simulator_mutate_json (f->sim, "{\"add\": 1}", NULL);
  before = sim_request (f, "GET", "/v1/customers?size=10&seekOperation=Next", SIM_TEST_TOKEN,
                        NULL, NULL, extra);
  g_assert_cmpuint (before->status, ==, 200);
  /* …unless the knob says a change expires it. */
  pd_simulator_set_expire_tokens_on_mutation (f->sim, TRUE);
  g_free (answer);
  answer = pd_simulator_mutate_json (f->sim, "{\"add\": 1}", NULL);
  after = sim_request (f, "GET", "/v1/customers?size=10&seekOperation=Next", SIM_TEST_TOKEN,
                       NULL, NULL, extra);
  g_assert_cmpuint (after->status, ==, 400);
  g_assert_cmpint (error_code (after), ==, 2001);
}

/* ---- Reduced and full forms ----------------------------------------------------------- */

static void
test_customer_forms (SimFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) page = get_object (f, "/v1/customers?size=5", 200);
  JsonObject *item = json_array_get_object_element (json_object_get_array_member (page, "items"),
                                                    0);
  const char *id = json_object_get_string_member (item, "id");
  g_autofree char *path = g_strconcat ("/v1/customers/", id, NULL);
  g_autoptr(JsonObject) full = get_object (f, path, 200);
  JsonObject *billing;
  g_autoptr(SimReply) missing = NULL;

  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (page, "attributes"), "objectType"), ==,
                   "Collection");
  g_assert_false (json_object_has_member (item, "billingProfile"));
  g_assert_false (json_object_has_member (item, "allowDelegatedAccess"));
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (item, "companyProfile"), "tenantId"), ==, id);
  g_assert_true (json_object_has_member (full, "allowDelegatedAccess"));
  billing = json_object_get_object_member (full, "billingProfile");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (billing, "attributes"), "objectType"), ==,
                   "CustomerBillingProfile");
  g_assert_nonnull (json_object_get_string_member (
                      json_object_get_object_member (billing, "attributes"), "etag"));

  missing = sim_get (f, "/v1/customers/00000000-0000-4000-8000-000000000000");
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpint (error_code (missing), ==, 60003);
}

/* ---- Filters -------------------------------------------------------------------------- */

static char *
filter_path (const char *field, const char *value)
{
  g_autofree char *json = g_strdup_printf ("{\"Field\":\"%s\",\"Value\":\"%s\","
                                           "\"Operator\":\"starts_with\"}", field, value);
  g_autofree char *escaped = g_uri_escape_string (json, NULL, FALSE);

  return g_strdup_printf ("/v1/customers?size=500&filter=%s", escaped);
}

static void
test_filter_company_name (SimFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) first = get_object (f, "/v1/customers?size=1", 200);
  JsonObject *item = json_array_get_object_element (
    json_object_get_array_member (first, "items"), 0);
  const char *name = json_object_get_string_member (
    json_object_get_object_member (item, "companyProfile"), "companyName");
  g_autofree char *prefix = g_utf8_strdown (name, 4);
  g_autofree char *folded_prefix = g_utf8_casefold (prefix, -1);
  g_autofree char *path = filter_path ("CompanyName", prefix);
  g_autoptr(GPtrArray) ids = NULL;
  guint pages;

  ids = page_all (f, path, &pages);
  g_assert_cmpuint (ids->len, >=, 1);
  g_assert_cmpuint (ids->len, <, N_CUSTOMERS);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *customer = g_strconcat ("/v1/customers/", g_ptr_array_index (ids, i), NULL);
      g_autoptr(JsonObject) c = get_object (f, customer, 200);
      const char *company = json_object_get_string_member (
        json_object_get_object_member (c, "companyProfile"), "companyName");
      g_autofree char *folded = g_utf8_casefold (company, -1);
      g_assert_true (g_str_has_prefix (folded, folded_prefix));
    }
}

static void
test_filter_reseller (SimFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) relationships =
    get_object (f, "/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf", 200);
  JsonArray *items = json_object_get_array_member (relationships, "items");
  JsonObject *reseller = json_array_get_object_element (items, 0);
  const char *reseller_id = json_object_get_string_member (reseller, "id");
  g_autofree char *path = filter_path ("IndirectReseller", reseller_id);
  g_autoptr(GPtrArray) ids = NULL;
  guint pages;

  g_assert_cmpuint (json_array_get_length (items), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (reseller, "relationshipType"), ==,
                   "is_indirect_cloud_solution_provider_of");
  ids = page_all (f, path, &pages);
  /* About a third of the customers belong to one of five resellers. */
  g_assert_cmpuint (ids->len, >, N_CUSTOMERS / 30);
  g_assert_cmpuint (ids->len, <, N_CUSTOMERS / 5);
  for (guint i = 0; i < MIN (ids->len, 10); i++)
    {
      g_autofree char *rel = g_strconcat ("/v1/customers/", g_ptr_array_index (ids, i),
                                          "/relationships", NULL);
      g_autoptr(JsonObject) r = get_object (f, rel, 200);
      JsonObject *first = json_array_get_object_element (
        json_object_get_array_member (r, "items"), 0);
      g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, reseller_id);
    }
}

/* Domain prefixes match the onmicrosoft domain, whatever the case of the query. */
static void
test_filter_domain (SimFixture *f, gconstpointer data)
{
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (f->sim);
  g_autofree char *customer = g_strconcat ("/v1/customers/", ids[3], NULL);
  g_autoptr(JsonObject) c = get_object (f, customer, 200);
  const char *domain = json_object_get_string_member (
    json_object_get_object_member (c, "companyProfile"), "domain");
  g_autofree char *upper = g_ascii_strup (domain, -1);
  g_autofree char *path = filter_path ("Domain", upper);
  g_autoptr(JsonObject) page = get_object (f, path, 200);
  JsonArray *items = json_object_get_array_member (page, "items");

  /* Domains are unique: the full domain as a prefix finds exactly its customer. */
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "id"),
                   ==, ids[3]);
}

static void
test_filter_invalid (SimFixture *f, gconstpointer data)
{
  g_autofree char *path = filter_path ("Nonsense", "a");
  g_autoptr(SimReply) reply = sim_get (f, path);

  g_assert_cmpuint (reply->status, ==, 400);
}

/* A reseller filter Partner Center would not take is refused, not read as "no filter" (which
 * would list every customer as the reseller's): not JSON, no Value, an operator the customers
 * endpoint lacks, the JSON unencoded. */
static void
test_filter_reseller_malformed (SimFixture *f, gconstpointer data)
{
  static const char * const filters[] = {
    "{\"Field\":\"IndirectReseller\",\"Value\":\"abc\"",
    "{\"Field\":\"IndirectReseller\",\"Operator\":\"starts_with\"}",
    "{\"Field\":\"IndirectReseller\",\"Value\":\"abc\",\"Operator\":\"contains\"}",
    "{\"Field\":\"IndirectReseller\",\"Value\":\"abc\",\"Operator\":\"equals\"}",
    "IndirectReseller=abc",
  };

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      g_autofree char *escaped = g_uri_escape_string (filters[i], NULL, FALSE);
      g_autofree char *path = g_strdup_printf ("/v1/customers?size=500&filter=%s", escaped);
      g_autoptr(SimReply) reply = sim_get (f, path);

      g_test_message ("filter %s", filters[i]);
      g_assert_cmpuint (reply->status, ==, 400);
    }
}

/* Each reseller's filtered list holds exactly the customers the simulator gives that reseller
 * (as their relationships say), paged to its end: together, the attributed customers. */
static void
test_filter_reseller_complete (SimFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) relationships =
    get_object (f, "/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf", 200);
  JsonArray *items = json_object_get_array_member (relationships, "items");
  g_autoptr(GHashTable) attributed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            NULL);
  g_auto(GStrv) all = pd_simulator_dup_customer_ids (f->sim);
  guint with_reseller = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      const char *id = json_object_get_string_member (json_array_get_object_element (items, i),
                                                      "id");
      g_autofree char *upper = g_ascii_strup (id, -1);
      g_autofree char *path = filter_path ("IndirectReseller", upper);
      guint pages;
      g_autoptr(GPtrArray) ids = page_all (f, path, &pages);

      for (guint j = 0; j < ids->len; j++)
        g_assert_true (g_hash_table_add (attributed, g_strdup (g_ptr_array_index (ids, j))));
    }
  for (guint i = 0; all[i] != NULL; i++)
    {
      g_autofree char *rel = g_strconcat ("/v1/customers/", all[i], "/relationships", NULL);
      g_autoptr(JsonObject) r = get_object (f, rel, 200);
      gboolean has = json_array_get_length (json_object_get_array_member (r, "items")) > 0;

      with_reseller += has;
      g_assert_cmpint (has, ==, g_hash_table_contains (attributed, all[i]));
    }
  g_assert_cmpuint (with_reseller, ==, g_hash_table_size (attributed));
  g_assert_cmpuint (with_reseller, >, 0);
}

/* ---- Authentication ------------------------------------------------------------------- */

static void
test_auth_required (SimFixture *f, gconstpointer data)
{
  g_autoptr(SimReply) none = sim_request (f, "GET", "/v1/customers?size=1", NULL, NULL, NULL,
                                          NULL);
  g_autoptr(SimReply) wrong = sim_request (f, "GET", "/v1/customers?size=1", "not-a-token", NULL,
                                           NULL, NULL);

  g_assert_cmpuint (none->status, ==, 401);
  g_assert_cmpint (error_code (none), ==, 800001);
  g_assert_nonnull (soup_message_headers_get_one (none->headers, "WWW-Authenticate"));
  g_assert_cmpuint (wrong->status, ==, 401);
  /* error-codes.md says codes are strings, the samples send numbers: both occur. */
  g_autoptr(JsonObject) body = sim_reply_object (wrong);
  g_assert_cmpstr (json_object_get_string_member (body, "code"), ==, "900432");
}

/* Since April 2026 App+User calls without MFA are refused: 401 with the string code "900421",
 * for every call while the knob is set. */
static void
test_auth_mfa_missing (SimFixture *f, gconstpointer data)
{
  g_autoptr(SimReply) refused = NULL;
  g_autoptr(SimReply) again = NULL;
  g_autoptr(JsonObject) body = NULL;

  pd_simulator_set_mfa_missing (f->sim, TRUE);
  refused = sim_request (f, "GET", "/v1/customers?size=1", SIM_TEST_TOKEN, NULL, NULL, NULL);
  g_assert_cmpuint (refused->status, ==, 401);
  body = sim_reply_object (refused);
  g_assert_cmpstr (json_object_get_string_member (body, "code"), ==, "900421");
  g_assert_true (json_object_has_member (body, "description"));
  pd_simulator_set_mfa_missing (f->sim, FALSE);
  again = sim_request (f, "GET", "/v1/customers?size=1", SIM_TEST_TOKEN, NULL, NULL, NULL);
  g_assert_cmpuint (again->status, ==, 200);
}

/* ---- Billing profile ------------------------------------------------------------------ */

static char *
first_customer_id (SimFixture *f)
{
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (f->sim);

  return g_strdup (ids[0]);
}

static SimReply *
put_profile (SimFixture *f, const char *path, const char *if_match, const char *body)
{
  const char *extra[] = { "If-Match", if_match, NULL };

  return sim_request (f, "PUT", path, SIM_TEST_TOKEN, "application/json", body,
                      if_match ? extra : NULL);
}

static guint
count_audit (SimFixture *f, const char *customer_id, const char *operation)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *path = g_strdup_printf ("/v1/auditrecords?size=500&startDate=%s", today);
  g_autoptr(JsonObject) page = get_object (f, path, 200);
  JsonArray *items = json_object_get_array_member (page, "items");
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *record = json_array_get_object_element (items, i);
      count += g_strcmp0 (json_object_get_string_member (record, "customerId"), customer_id) == 0
               && g_strcmp0 (json_object_get_string_member (record, "operationType"),
                             operation) == 0;
    }
  return count;
}

static gboolean
audit_has (SimFixture *f, const char *customer_id, const char *operation)
{
  return count_audit (f, customer_id, operation) > 0;
}

static void
test_billing_etag (SimFixture *f, gconstpointer data)
{
  g_autofree char *id = first_customer_id (f);
  g_autofree char *path = g_strdup_printf ("/v1/customers/%s/profiles/billing", id);
  g_autofree char *customer_path = g_strdup_printf ("/v1/customers/%s", id);
  g_autoptr(JsonObject) profile = get_object (f, path, 200);
  g_autofree char *etag = g_strdup (json_object_get_string_member (
                                      json_object_get_object_member (profile, "attributes"),
                                      "etag"));
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", etag);
  /* PascalCase keys, as the docs' example and the .NET SDK send them. */
  g_autofree char *body = g_strdup_printf ("{\"CompanyName\":\"Renamed Test GmbH\","
                                           "\"DefaultAddress\":{\"City\":\"Testburg\","
                                           "\"Region\":null},"
                                           "\"Attributes\":{\"Etag\":\"%s\"}}", etag);
  g_autoptr(SimReply) stale = put_profile (f, path, "\"-1\"", body);
  g_autoptr(SimReply) ok = NULL;
  g_autoptr(SimReply) again = NULL;
  g_autoptr(JsonObject) updated = NULL;
  g_autoptr(JsonObject) customer = NULL;

  g_assert_cmpuint (stale->status, ==, 412);
  g_assert_true (sim_reply_is_json (stale));
  g_assert_false (audit_has (f, id, "update_customer_billing_profile"));

  ok = put_profile (f, path, quoted, body);
  g_assert_cmpuint (ok->status, ==, 200);
  updated = sim_reply_object (ok);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (updated, "defaultAddress"), "city"), ==,
                   "Testburg");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (updated, "attributes"), "etag"), !=, etag);
  /* The customer's name follows the billing profile's. */
  customer = get_object (f, customer_path, 200);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (customer, "companyProfile"), "companyName"),
                   ==, "Renamed Test GmbH");
  g_assert_true (audit_has (f, id, "update_customer_billing_profile"));

  /* The old etag is now stale, in the body as well. */
  again = put_profile (f, path, NULL, body);
  g_assert_cmpuint (again->status, ==, 412);
}

static const char *
account_status (SimFixture *f, const char *id, JsonObject **out)
{
  g_autofree char *path = g_strdup_printf ("/v1/customers/%s/validationStatus?type=account", id);

  *out = get_object (f, path, 200);
  return json_object_get_string_member (*out, "status");
}

/* A new address puts the account Under review for the knob's time, then it is Allowed. Other
 * validation types are refused. */
static void
test_account_review (SimFixture *f, gconstpointer data)
{
  g_autofree char *id = first_customer_id (f);
  g_autofree char *path = g_strdup_printf ("/v1/customers/%s/profiles/billing", id);
  g_autofree char *other_type = g_strdup_printf ("/v1/customers/%s/validationStatus?type=education",
                                                 id);
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) during = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) profile = get_object (f, path, 200);
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(SimReply) put = NULL;
  const char *etag = json_object_get_string_member (json_object_get_object_member (profile,
                                                                                    "attributes"),
                                                   "etag");
  g_autofree char *body = g_strdup_printf ("{\"defaultAddress\":{\"city\":\"Reviewton\"},"
                                           "\"attributes\":{\"etag\":\"%s\"}}", etag);

  pd_simulator_set_account_review (f->sim, 300);
  g_assert_cmpstr (account_status (f, id, &before), ==, "Allowed");
  put = put_profile (f, path, NULL, body);
  g_assert_cmpuint (put->status, ==, 200);
  g_assert_cmpstr (account_status (f, id, &during), ==, "UnderReview");
  g_assert_nonnull (json_object_get_string_member (during, "lastUpdateDateTime"));
  pd_test_spin (400);
  g_assert_cmpstr (account_status (f, id, &after), ==, "Allowed");
  refused = get_object (f, other_type, 400);
}

/* With the knob at 400, a stale etag gets 400 {code: 2055} ("Etag is no longer valid"). */
static void
test_billing_etag_2055 (SimFixture *f, gconstpointer data)
{
  g_autofree char *id = first_customer_id (f);
  g_autofree char *path = g_strdup_printf ("/v1/customers/%s/profiles/billing", id);
  g_autoptr(SimReply) stale = NULL;

  pd_simulator_set_conflict_status (f->sim, 400);
  stale = put_profile (f, path, "\"-1\"", "{\"companyName\":\"Stale Etag Ltd\"}");
  g_assert_cmpuint (stale->status, ==, 400);
  g_assert_cmpint (error_code (stale), ==, 2055);
  g_assert_false (audit_has (f, id, "update_customer_billing_profile"));
}

/* A Polish bill-to without a phone number is refused with 600051 in the newer error shape. */
static void
test_billing_phone_required (SimFixture *f, gconstpointer data)
{
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (f->sim);
  g_autoptr(SimReply) reply = NULL;
  g_autoptr(JsonObject) error = NULL;

  for (guint i = 0; ids[i] != NULL && reply == NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/v1/customers/%s/profiles/billing", ids[i]);
      g_autoptr(JsonObject) profile = get_object (f, path, 200);
      JsonObject *address = json_object_get_object_member (profile, "defaultAddress");
      const char *etag = json_object_get_string_member (
        json_object_get_object_member (profile, "attributes"), "etag");
      g_autofree char *body = NULL;

      if (g_strcmp0 (json_object_get_string_member (address, "country"), "PL") != 0)
        continue;
      body = g_strdup_printf ("{\"defaultAddress\":{\"phoneNumber\":\"\"},"
                              "\"attributes\":{\"etag\":\"%s\"}}", etag);
      reply = put_profile (f, path, NULL, body);
    }
  g_assert_nonnull (reply);
  g_assert_cmpuint (reply->status, ==, 400);
  error = sim_reply_object (reply);
  g_assert_cmpint (json_object_get_int_member (error, "code"), ==, 600051);
  g_assert_cmpstr (json_object_get_string_member (error, "errorName"), ==, "PhoneNumberRequired");
}

/* A PUT retried with the same MS-RequestId (its answer was lost) is answered, not redone. */
static void
test_billing_idempotent_retry (SimFixture *f, gconstpointer data)
{
  g_autofree char *id = first_customer_id (f);
  g_autofree char *path = g_strdup_printf ("/v1/customers/%s/profiles/billing", id);
  g_autoptr(JsonObject) profile = get_object (f, path, 200);
  const char *etag = json_object_get_string_member (
    json_object_get_object_member (profile, "attributes"), "etag");
  g_autofree char *body = g_strdup_printf ("{\"email\":\"new@example.com\","
                                           "\"attributes\":{\"etag\":\"%s\"}}", etag);
  const char *extra[] = { "MS-RequestId", "6c1f3a52-9d3e-4a40-8a6e-0c5b1c2d3e4f", NULL };
  g_autoptr(SimReply) first = sim_request (f, "PUT", path, SIM_TEST_TOKEN, "application/json",
                                           body, extra);
  g_autoptr(SimReply) retry = sim_request (f, "PUT", path, SIM_TEST_TOKEN, "application/json",
                                           body, extra);
  g_autoptr(SimReply) fresh = sim_request (f, "PUT", path, SIM_TEST_TOKEN, "application/json",
                                           body, NULL);

  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (first->headers, "MS-RequestId"), ==, extra[1]);
  g_assert_cmpuint (retry->status, ==, 200);
  g_assert_true (g_bytes_equal (first->body, retry->body));
  g_assert_cmpuint (fresh->status, ==, 412);
  g_assert_cmpuint (count_audit (f, id, "update_customer_billing_profile"), ==, 1);
}

/* ---- Activity log and mutations ------------------------------------------------------- */

static void
test_audit_retention (SimFixture *f, gconstpointer data)
{
  g_autoptr(SimReply) old = sim_get (f, "/v1/auditrecords?size=10&startDate=2000-01-01");
  g_autoptr(JsonObject) recent = get_object (f, "/v1/auditrecords?size=10", 200);

  g_assert_cmpuint (old->status, ==, 400);
  g_assert_true (sim_reply_is_json (old));
  g_assert_cmpint (json_object_get_int_member (recent, "totalCount"), >, 0);
}

static JsonArray *
member_array (JsonObject *object, const char *name)
{
  g_assert_true (json_object_has_member (object, name));
  return json_object_get_array_member (object, name);
}

static void
test_mutate (SimFixture *f, gconstpointer data)
{
  g_autoptr(SimReply) reply = sim_request (f, "POST", "/_simulator/mutate", NULL,
                                           "application/json",
                                           "{\"changeBillTo\":3,\"add\":2,\"remove\":2,"
                                           "\"rename\":1,\"seed\":7}",
                                           NULL);
  g_autoptr(JsonObject) answer = sim_reply_object (reply);
  JsonArray *changed = member_array (answer, "changedBillTo");
  JsonArray *added = member_array (answer, "added");
  JsonArray *removed = member_array (answer, "removed");
  JsonArray *renamed = member_array (answer, "renamed");

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (renamed), ==, 1);
  g_assert_true (audit_has (f, json_array_get_string_element (renamed, 0),
                            "update_customer_billing_profile"));
  g_assert_cmpuint (json_array_get_length (changed), ==, 3);
  g_assert_cmpuint (json_array_get_length (added), ==, 2);
  g_assert_cmpuint (json_array_get_length (removed), ==, 2);
  g_assert_cmpuint (pd_simulator_get_n_customers (f->sim), ==, N_CUSTOMERS);
  for (guint i = 0; i < 2; i++)
    {
      const char *gone = json_array_get_string_element (removed, i);
      const char *born = json_array_get_string_element (added, i);
      g_autofree char *gone_path = g_strconcat ("/v1/customers/", gone, NULL);
      g_autofree char *born_path = g_strconcat ("/v1/customers/", born, NULL);
      g_autoptr(SimReply) gone_reply = sim_get (f, gone_path);
      g_autoptr(SimReply) born_reply = sim_get (f, born_path);

      g_assert_cmpuint (gone_reply->status, ==, 404);
      g_assert_cmpuint (born_reply->status, ==, 200);
      g_assert_true (audit_has (f, gone, "remove_partner_customer_relationship"));
      g_assert_true (audit_has (f, born, "add_customer"));
    }
  for (guint i = 0; i < 3; i++)
    g_assert_true (audit_has (f, json_array_get_string_element (changed, i),
                              "update_customer_billing_profile"));
}

static void
test_mutate_ids (SimFixture *f, gconstpointer data)
{
  g_autofree char *id = first_customer_id (f);
  g_autofree char *path = g_strdup_printf ("/v1/customers/%s/profiles/billing", id);
  g_autoptr(JsonObject) before = get_object (f, path, 200);
  g_autofree char *body = g_strdup_printf ("{\"changeBillTo\":[\"%s\",\"nobody\"],"
                                           "\"add\":[\"11111111-2222-4333-8444-555555555555\"]}",
                                           id);
  g_autofree char *answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) added = NULL;

  answer = pd_simulator_mutate_json (f->sim, body, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (answer, "\"notFound\":[\"nobody\"]"));
  after = get_object (f, path, 200);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (before, "attributes"), "etag"), !=,
                   json_object_get_string_member (
                     json_object_get_object_member (after, "attributes"), "etag"));
  added = get_object (f, "/v1/customers/11111111-2222-4333-8444-555555555555", 200);
  g_assert_null (pd_simulator_mutate_json (f->sim, "{\"add\":\"many\"}", &error));
  g_assert_nonnull (error);
}

/* ---- Knobs ---------------------------------------------------------------------------- */

static void
test_rpm_limit (SimFixture *f, gconstpointer data)
{
  g_autoptr(SimReply) throttled = NULL;
  g_autoptr(JsonObject) body = NULL;
  const char *retry_after;
  guint64 seconds;
  g_autofree char *message = NULL;

  pd_simulator_set_rpm (f->sim, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(SimReply) reply = sim_get (f, "/v1/customers?size=1");
      g_assert_cmpuint (reply->status, ==, 200);
    }
  throttled = sim_get (f, "/v1/customers?size=1");
  g_assert_cmpuint (throttled->status, ==, 429);
  retry_after = soup_message_headers_get_one (throttled->headers, "Retry-After");
  g_assert_nonnull (retry_after);
  g_assert_true (g_ascii_string_to_unsigned (retry_after, 10, 1, 60, &seconds, NULL));
  body = sim_reply_object (throttled);
  g_assert_cmpint (json_object_get_int_member (body, "statusCode"), ==, 429);
  message = g_strdup_printf ("Rate limit is exceeded. Try again in %s seconds.", retry_after);
  g_assert_cmpstr (json_object_get_string_member (body, "message"), ==, message);
  g_assert_cmpuint (pd_simulator_get_throttled (f->sim), ==, 1);

  /* The admin endpoints are never throttled. */
  g_autoptr(SimReply) stats = sim_request (f, "GET", "/_simulator/stats", NULL, NULL, NULL, NULL);
  g_assert_cmpuint (stats->status, ==, 200);
}

/* One request throttled by count, not by time: the third of three is a 429 asking to wait as
 * long as the test said, and the next one is answered again. */
static void
test_throttle_request_after (SimFixture *f, gconstpointer data)
{
  const guint expected[] = { 200, 200, 429, 200 };

  pd_simulator_throttle_request_after (f->sim, 2, 7);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(SimReply) reply = sim_get (f, "/v1/customers?size=1");
      g_assert_cmpuint (reply->status, ==, expected[i]);
      if (reply->status == 429)
        g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Retry-After"), ==, "7");
    }
  g_assert_cmpuint (pd_simulator_get_throttled (f->sim), ==, 1);
}

/* A shorter window (the knob tests use so as not to wait out a minute): Retry-After is what
 * is left of it in whole seconds, rounded up. */
static void
test_rate_window (SimFixture *f, gconstpointer data)
{
  g_autoptr(SimReply) set = sim_request (f, "POST", "/_simulator/knobs", NULL, "application/json",
                                         "{\"rpm\":2,\"rateWindowMs\":1500}", NULL);
  g_autoptr(JsonObject) knobs = sim_reply_object (set);
  g_autoptr(SimReply) throttled = NULL;
  gint64 started = g_get_monotonic_time ();
  guint64 seconds;

  g_assert_cmpint (json_object_get_int_member (knobs, "rateWindowMs"), ==, 1500);
  g_assert_cmpint (json_object_get_int_member (knobs, "rpm"), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SimReply) reply = sim_get (f, "/v1/customers?size=1");
      g_assert_cmpuint (reply->status, ==, 200);
    }
  throttled = sim_get (f, "/v1/customers?size=1");
  g_assert_cmpuint (throttled->status, ==, 429);
  g_assert_true (g_ascii_string_to_unsigned (
    soup_message_headers_get_one (throttled->headers, "Retry-After"), 10, 1, 2, &seconds, NULL));
  /* Under half a second in, 1.5 s minus that rounds up to 2. */
  if (g_get_monotonic_time () - started < G_USEC_PER_SEC / 2)
    g_assert_cmpuint (seconds, ==, 2);
}

static gboolean
is_fault (SimReply *reply)
{
  return reply->error != NULL || reply->status == 500 || !sim_reply_is_json (reply);
}

static void
test_faults (SimFixture *f, gconstpointer data)
{
  pd_simulator_set_fault_rate (f->sim, 0.0);
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(SimReply) reply = sim_get (f, "/v1/customers?size=2");
      g_assert_no_error (reply->error);
      g_assert_cmpuint (reply->status, ==, 200);
      g_assert_true (sim_reply_is_json (reply));
    }
  g_assert_cmpuint (pd_simulator_get_faults (f->sim), ==, 0);

  pd_simulator_set_fault_rate (f->sim, 1.0);
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(SimReply) reply = sim_get (f, "/v1/customers?size=2");
      g_assert_true (is_fault (reply));
    }
  /* libsoup may resend a request whose connection dropped, so faults ≥ requests made. */
  g_assert_cmpuint (pd_simulator_get_faults (f->sim), >=, 20);
}

static void
test_latency (SimFixture *f, gconstpointer data)
{
  gint64 start;
  g_autoptr(SimReply) reply = NULL;

  pd_simulator_set_latency (f->sim, 150, 50);
  start = g_get_monotonic_time ();
  reply = sim_get (f, "/v1/customers?size=1");
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 150 * 1000);
}

static gboolean
server_has_request (gpointer data)
{
  return pd_simulator_get_requests (data) > 0;
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  gboolean *failed = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);

  *failed = error != NULL;
}

/* A simulator going away while it holds answers back (latency) closes those connections
 * cleanly: the client sees an error, nothing leaks or crashes. */
static void
test_dispose_while_delaying (SimFixture *f, gconstpointer data)
{
  g_autofree char *url = g_strconcat (f->base, "/v1/customers?size=1", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  gboolean failed = FALSE;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " SIM_TEST_TOKEN);
  pd_simulator_set_latency (f->sim, 60000, 0);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &failed);
  g_assert_true (pd_test_wait_until (server_has_request, f->sim, 10000));
  g_assert_finalize_object (f->sim);
  f->sim = NULL;
  g_assert_true (pd_test_wait_for_flag (&failed, 10000));
}

/* The same after the client gave up on the delayed answer (its connection is gone). */
static void
test_dispose_after_client_left (SimFixture *f, gconstpointer data)
{
  g_autofree char *url = g_strconcat (f->base, "/v1/customers?size=1", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean failed = FALSE;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " SIM_TEST_TOKEN);
  pd_simulator_set_latency (f->sim, 60000, 0);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, cancellable, on_sent,
                                    &failed);
  g_assert_true (pd_test_wait_until (server_has_request, f->sim, 10000));
  g_cancellable_cancel (cancellable);
  g_assert_true (pd_test_wait_for_flag (&failed, 10000));
  g_clear_object (&f->session);
  /* Let the server handle what is pending (the closed connection among it). */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->sim);
  f->sim = NULL;
}

static void
teardown_without_simulator (SimFixture *f, gconstpointer data)
{
  g_clear_object (&f->session);
}

/* ---- A simulator on a thread of its own ------------------------------------------------ */

typedef struct {
  GMainContext *context;
  GMainLoop    *loop;
  PdSimulator  *sim;
  char         *base;
  GMutex        lock;
  GCond         cond;
} SimThread;

static gpointer
sim_thread_main (gpointer data)
{
  SimThread *st = data;
  PdSimulatorOptions options;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (st->context);
  pd_simulator_options_init (&options);
  options.n_customers = 50;
  options.latency_ms = 30;
  options.token = SIM_TEST_TOKEN;
  st->sim = pd_simulator_new (&options);
  g_assert_true (pd_simulator_start (st->sim, 0, &error));
  g_mutex_lock (&st->lock);
  st->base = g_strdup (pd_simulator_get_base_url (st->sim));
  g_cond_signal (&st->cond);
  g_mutex_unlock (&st->lock);
  g_main_loop_run (st->loop);
  g_assert_finalize_object (st->sim);
  g_main_context_pop_thread_default (st->context);
  return NULL;
}

static gboolean
quit_sim_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* The benchmarks run the simulator on its own thread and main context: its latency timers
 * must run there, not on the global default context the client uses. */
static void
test_own_thread (void)
{
  SimThread st = { 0 };
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *url = NULL;
  GThread *thread;

  st.context = g_main_context_new ();
  st.loop = g_main_loop_new (st.context, FALSE);
  g_mutex_init (&st.lock);
  g_cond_init (&st.cond);
  g_mutex_lock (&st.lock);
  thread = g_thread_new ("simulator", sim_thread_main, &st);
  while (st.base == NULL)
    g_cond_wait (&st.cond, &st.lock);
  g_mutex_unlock (&st.lock);

  /* Synchronous requests: this thread iterates no main context at all, so an answer held
   * back on the wrong context would never come (the session's timeout then fails it). */
  session = soup_session_new_with_options ("timeout", 10, NULL);
  url = g_strconcat (st.base, "/v1/customers?size=5", NULL);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    "Bearer " SIM_TEST_TOKEN);
      body = soup_session_send_and_read (session, msg, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    }
  g_clear_object (&session);

  g_main_context_invoke (st.context, quit_sim_loop, st.loop);
  g_thread_join (thread);
  g_main_loop_unref (st.loop);
  g_main_context_unref (st.context);
  g_mutex_clear (&st.lock);
  g_cond_clear (&st.cond);
  g_free (st.base);
}

/* ---- Device code flow ----------------------------------------------------------------- */

static JsonObject *
post_form (SimFixture *f, const char *path, const char *form, guint *status)
{
  g_autoptr(SimReply) reply = sim_request (f, "POST", path, NULL,
                                           "application/x-www-form-urlencoded", form, NULL);

  *status = reply->status;
  return sim_reply_object (reply);
}

static JsonObject *
request_device_code (SimFixture *f, const char *client_id)
{
  g_autofree char *form = g_strdup_printf (
    "client_id=%s&scope=https%%3A%%2F%%2Fapi.partnercenter.microsoft.com%%2Fuser_impersonation"
    "+offline_access", client_id);
  guint status;
  JsonObject *code = post_form (f, "/organizations/oauth2/v2.0/devicecode", form, &status);

  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_object_has_member (code, "user_code"));
  g_assert_true (json_object_has_member (code, "verification_uri"));
  g_assert_cmpint (json_object_get_int_member (code, "interval"), >=, 1);
  return code;
}

/* Polls the token endpoint as a client does, every 100 ms, until it stops saying pending. */
static JsonObject *
poll_token (SimFixture *f, JsonObject *code, const char *client_id, guint *n_pending,
            guint *status)
{
  g_autofree char *form = g_strdup_printf (
    "grant_type=urn%%3Aietf%%3Aparams%%3Aoauth%%3Agrant-type%%3Adevice_code&client_id=%s"
    "&device_code=%s", client_id, json_object_get_string_member (code, "device_code"));

  for (*n_pending = 0; *n_pending < 100; (*n_pending)++)
    {
      JsonObject *answer = post_form (f, "/organizations/oauth2/v2.0/token", form, status);
      if (g_strcmp0 (json_object_get_string_member_with_default (answer, "error", ""),
                     "authorization_pending") != 0)
        return answer;
      json_object_unref (answer);
      pd_test_spin (100);
    }
  g_assert_not_reached ();
}

static void
test_device_code_flow (SimFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) code = request_device_code (f, "app");
  guint pending, status;
  g_autoptr(JsonObject) tokens = poll_token (f, code, "app", &pending, &status);
  const char *access_token = json_object_get_string_member (tokens, "access_token");
  g_auto(GStrv) parts = g_strsplit (access_token, ".", -1);
  g_autoptr(SimReply) api = NULL;
  g_autofree char *refresh = NULL;
  g_autoptr(JsonObject) renewed = NULL;
  g_autoptr(JsonObject) reused = NULL;

  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (pending, >=, 1);
  g_assert_cmpstr (json_object_get_string_member (tokens, "token_type"), ==, "Bearer");
  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  api = sim_request (f, "GET", "/v1/customers?size=1", access_token, NULL, NULL, NULL);
  g_assert_cmpuint (api->status, ==, 200);

  refresh = g_strdup_printf ("grant_type=refresh_token&client_id=app&refresh_token=%s",
                             json_object_get_string_member (tokens, "refresh_token"));
  renewed = post_form (f, "/organizations/oauth2/v2.0/token", refresh, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (renewed, "refresh_token"), !=,
                   json_object_get_string_member (tokens, "refresh_token"));
  /* Refresh tokens rotate: the spent one is refused. */
  reused = post_form (f, "/organizations/oauth2/v2.0/token", refresh, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (json_object_get_string_member (reused, "error"), ==, "invalid_grant");
}

/* A token whose amr claim lacks "mfa" (client_id hook "no-mfa") is refused with 900421. */
static void
test_device_code_no_mfa (SimFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) code = request_device_code (f, "no-mfa");
  guint pending, status;
  g_autoptr(JsonObject) tokens = poll_token (f, code, "no-mfa", &pending, &status);
  g_autoptr(SimReply) api = NULL;
  g_autoptr(JsonObject) body = NULL;

  g_assert_cmpuint (status, ==, 200);
  api = sim_request (f, "GET", "/v1/customers?size=1",
                     json_object_get_string_member (tokens, "access_token"), NULL, NULL, NULL);
  g_assert_cmpuint (api->status, ==, 401);
  body = sim_reply_object (api);
  g_assert_cmpstr (json_object_get_string_member (body, "code"), ==, "900421");
}

static void
test_device_code_declined (SimFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) declined_code = request_device_code (f, "decline");
  g_autoptr(JsonObject) expired_code = request_device_code (f, "expire");
  guint pending, status;
  g_autoptr(JsonObject) declined = poll_token (f, declined_code, "decline", &pending, &status);
  g_autoptr(JsonObject) expired = poll_token (f, expired_code, "expire", &pending, &status);
  g_autoptr(JsonObject) other_app_code = request_device_code (f, "app");
  g_autoptr(JsonObject) other_app = poll_token (f, other_app_code, "another-app", &pending,
                                                &status);

  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (json_object_get_string_member (declined, "error"), ==,
                   "authorization_declined");
  g_assert_cmpstr (json_object_get_string_member (expired, "error"), ==, "expired_token");
  /* A device code is redeemed by the application it was issued to only. */
  g_assert_cmpstr (json_object_get_string_member (other_app, "error"), ==, "invalid_grant");
}

/* ---- Other resources ------------------------------------------------------------------ */

static void
test_partner_resources (SimFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) request = get_object (f, "/v1/customers/relationshiprequests", 200);
  g_autoptr(JsonObject) rules = get_object (f, "/v1/countryvalidationrules/PT", 200);
  g_autofree char *partner = g_strdup_printf ("partnerId=%s&",
                                              pd_simulator_get_partner_tenant_id (f->sim));
  g_autoptr(SimReply) valid = sim_request (
    f, "POST", "/v1/validations/address", SIM_TEST_TOKEN, "application/json",
    "{\"AddressLine1\":\"Rua Augusta 12\",\"City\":\"Lisboa\",\"PostalCode\":\"1100-148\","
    "\"Country\":\"PT\"}", NULL);
  g_autoptr(SimReply) invalid = sim_request (
    f, "POST", "/v1/validations/address", SIM_TEST_TOKEN, "application/json",
    "{\"AddressLine1\":\"Rua Augusta 12\",\"City\":\"Lisboa\",\"PostalCode\":\"ABC\","
    "\"Country\":\"PT\"}", NULL);
  g_autoptr(JsonObject) valid_answer = sim_reply_object (valid);
  g_autoptr(JsonObject) invalid_answer = sim_reply_object (invalid);

  g_assert_nonnull (strstr (json_object_get_string_member (request, "url"), partner));
  g_assert_cmpstr (json_object_get_string_member (rules, "iso2Code"), ==, "PT");
  g_assert_cmpstr (json_object_get_string_member (rules, "postalCodeRegex"), ==,
                   "^\\d{4}(-\\d{3})?$");
  g_assert_true (json_object_has_member (rules, "supportedStatesList"));
  g_assert_cmpstr (json_object_get_string_member (valid_answer, "status"), ==,
                   "VerifiedShippable");
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (valid_answer, "suggestedAddresses")), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (invalid_answer, "status"), ==, "None");
}

static void
test_stats (SimFixture *f, gconstpointer data)
{
  g_autoptr(SimReply) a = sim_get (f, "/v1/customers?size=1");
  g_autoptr(SimReply) b = sim_get (f, "/v1/customers?size=1");
  g_autoptr(SimReply) stats = sim_request (f, "GET", "/_simulator/stats", NULL, NULL, NULL, NULL);
  g_autoptr(JsonObject) object = sim_reply_object (stats);

  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (object, "byEndpoint"), "GET /v1/customers"),
                   ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "customers"), ==, N_CUSTOMERS);
}

/* The knobs over HTTP, as benchmarks and outside checks change them. */
static void
test_admin_knobs (SimFixture *f, gconstpointer data)
{
  g_autoptr(SimReply) set = sim_request (f, "POST", "/_simulator/knobs", NULL, "application/json",
                                         "{\"endOfPaging\":\"204\",\"nextWithV1\":true,"
                                         "\"pageSize\":7,\"faultRate\":0.0}", NULL);
  g_autoptr(JsonObject) knobs = sim_reply_object (set);
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(SimReply) unknown = sim_request (f, "GET", "/_simulator/nothing", NULL, NULL, NULL,
                                             NULL);
  g_autoptr(SimReply) expire = sim_request (f, "POST", "/_simulator/expire-continuation-tokens",
                                            NULL, NULL, NULL, NULL);
  JsonObject *next;

  g_assert_cmpuint (set->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (knobs, "rateWindowMs"), ==, 60000);
  g_assert_cmpstr (json_object_get_string_member (knobs, "endOfPaging"), ==, "204");
  g_assert_true (json_object_get_boolean_member (knobs, "nextWithV1"));
  page = get_object (f, "/v1/customers?size=100", 200);
  g_assert_cmpint (json_object_get_int_member (page, "totalCount"), ==, 7);
  next = json_object_get_object_member (json_object_get_object_member (page, "links"), "next");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (next, "uri"), "/v1/"));
  g_assert_cmpuint (unknown->status, ==, 404);
  g_assert_cmpuint (expire->status, ==, 200);
}

int
main (int argc, char **argv)
{
  pd_test_init (&argc, &argv);
#define ADD(path, fn) g_test_add ("/simulator/" path, SimFixture, NULL, setup, fn, teardown)
  ADD ("paging/each-end-signal", test_paging_each_end_signal);
  ADD ("paging/page-size-cap", test_paging_page_size_cap);
  ADD ("paging/empty-pages", test_paging_empty_pages);
  ADD ("paging/next-link-v1", test_paging_next_link_v1);
  ADD ("paging/expired-token", test_paging_expired_token);
  ADD ("paging/expired-by-mutation", test_paging_expired_by_mutation);
  ADD ("customers/forms", test_customer_forms);
  ADD ("filter/company-name", test_filter_company_name);
  ADD ("filter/reseller", test_filter_reseller);
  ADD ("filter/domain", test_filter_domain);
  ADD ("filter/invalid", test_filter_invalid);
  ADD ("filter/reseller-malformed", test_filter_reseller_malformed);
  ADD ("filter/reseller-complete", test_filter_reseller_complete);
  ADD ("auth/required", test_auth_required);
  ADD ("auth/mfa-missing", test_auth_mfa_missing);
  ADD ("billing/etag", test_billing_etag);
  ADD ("billing/etag-2055", test_billing_etag_2055);
  ADD ("billing/account-review", test_account_review);
  ADD ("billing/idempotent-retry", test_billing_idempotent_retry);
  ADD ("billing/phone-required", test_billing_phone_required);
  ADD ("audit/retention", test_audit_retention);
  ADD ("mutate/counts", test_mutate);
  ADD ("mutate/ids", test_mutate_ids);
  ADD ("knobs/rpm", test_rpm_limit);
  ADD ("knobs/rate-window", test_rate_window);
  ADD ("knobs/throttle-request-after", test_throttle_request_after);
  ADD ("knobs/faults", test_faults);
  ADD ("knobs/latency", test_latency);
  g_test_add ("/simulator/knobs/dispose-while-delaying", SimFixture, NULL, setup,
              test_dispose_while_delaying, teardown_without_simulator);
  g_test_add ("/simulator/knobs/dispose-after-client-left", SimFixture, NULL, setup,
              test_dispose_after_client_left, teardown_without_simulator);
  ADD ("login/device-code", test_device_code_flow);
  ADD ("login/declined-expired", test_device_code_declined);
  ADD ("login/no-mfa-refused", test_device_code_no_mfa);
  ADD ("resources/partner", test_partner_resources);
  ADD ("stats", test_stats);
  ADD ("admin/knobs", test_admin_knobs);
#undef ADD
  g_test_add_func ("/simulator/own-thread", test_own_thread);
  return g_test_run ();
}
