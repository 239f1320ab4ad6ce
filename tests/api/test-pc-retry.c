/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-pc-retry.c — PdPcClient against a scripted loopback server: headers, retries,
 * Retry-After, 401 handling, paging details, conflicts, pacing, concurrency, cancellation,
 * and that no token reaches a log line or an error. */
#include <string.h>
#include <libsoup/soup.h>

#include "pd-test-util.h"
#include "api-test-common.h"
#include "pd-pc-client-private.h"

#define TOKEN "scripted-bearer-Zq81"
#define WAIT_MS 20000
#define CUSTOMER "{\"id\":\"c-1\",\"companyProfile\":{\"companyName\":\"Contoso\"}}"
#define PROFILE_1 "{\"id\":\"p\",\"email\":\"a@b.test\",\"defaultAddress\":{\"city\":\"Old\"," \
                  "\"AddressLine3\":\"x\"},\"attributes\":{\"etag\":\"1\"}}"
#define PROFILE_2 "{\"id\":\"p\",\"email\":\"new@b.test\",\"defaultAddress\":{\"city\":\"Other\"}," \
                  "\"attributes\":{\"etag\":\"2\"}}"

typedef struct {
  guint  status;
  char  *body;
  char  *retry_after;
  guint  delay_ms;
} Scripted;

typedef struct {
  char   *method;
  char   *path;
  char   *query;
  char   *authorization;
  char   *request_id;
  char   *correlation_id;
  char   *locale;
  char   *user_agent;
  char   *accept;
  char   *if_match;
  char   *continuation;
  char   *body;
  gint64  at_us;
} Recorded;

typedef struct {
  SoupServer   *server;
  char         *base_url;
  GQueue        script;
  Scripted      fallback;
  GPtrArray    *requests;
  guint         in_flight;
  guint         max_in_flight;
  PdAuth       *auth;
  PdPcClient   *client;
  ApiWait       wait;
} Fixture;

static void
scripted_free (Scripted *s)
{
  g_free (s->body);
  g_free (s->retry_after);
  g_free (s);
}

static void
recorded_free (Recorded *r)
{
  g_free (r->method);
  g_free (r->path);
  g_free (r->query);
  g_free (r->authorization);
  g_free (r->request_id);
  g_free (r->correlation_id);
  g_free (r->locale);
  g_free (r->user_agent);
  g_free (r->accept);
  g_free (r->if_match);
  g_free (r->continuation);
  g_free (r->body);
  g_free (r);
}

static void
script (Fixture    *f,
        guint       status,
        const char *body,
        const char *retry_after)
{
  Scripted *s = g_new0 (Scripted, 1);

  s->status = status;
  s->body = g_strdup (body);
  s->retry_after = g_strdup (retry_after);
  g_queue_push_tail (&f->script, s);
}

static Recorded *
record (SoupServerMessage *msg)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  Recorded *r = g_new0 (Recorded, 1);

  r->method = g_strdup (soup_server_message_get_method (msg));
  r->path = g_strdup (g_uri_get_path (uri));
  r->query = g_strdup (g_uri_get_query (uri));
  r->authorization = g_strdup (soup_message_headers_get_one (h, "Authorization"));
  r->request_id = g_strdup (soup_message_headers_get_one (h, "MS-RequestId"));
  r->correlation_id = g_strdup (soup_message_headers_get_one (h, "MS-CorrelationId"));
  r->locale = g_strdup (soup_message_headers_get_one (h, "X-Locale"));
  r->user_agent = g_strdup (soup_message_headers_get_one (h, "User-Agent"));
  r->accept = g_strdup (soup_message_headers_get_one (h, "Accept"));
  r->if_match = g_strdup (soup_message_headers_get_one (h, "If-Match"));
  r->continuation = g_strdup (soup_message_headers_get_one (h, "MS-ContinuationToken"));
  r->body = body->length > 0 ? g_strndup (body->data, body->length) : NULL;
  r->at_us = g_get_monotonic_time ();
  return r;
}

typedef struct {
  Fixture           *f;
  SoupServerMessage *msg;
} Delayed;

static gboolean
on_delay_done (gpointer data)
{
  Delayed *d = data;

  d->f->in_flight--;
  soup_server_unpause_message (d->f->server, d->msg);
  g_object_unref (d->msg);
  g_free (d);
  return G_SOURCE_REMOVE;
}

static void
respond (Fixture           *f,
         SoupServerMessage *msg,
         const Scripted    *s)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, s->status, NULL);
  if (s->retry_after != NULL)
    soup_message_headers_replace (headers, "Retry-After", s->retry_after);
  if (s->body != NULL)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, s->body,
                                      strlen (s->body));
  if (s->delay_ms > 0)
    {
      Delayed *d = g_new0 (Delayed, 1);

      /* Held without blocking the others: concurrency is what is measured. */
      d->f = f;
      d->msg = g_object_ref (msg);
      f->in_flight++;
      f->max_in_flight = MAX (f->max_in_flight, f->in_flight);
      soup_server_pause_message (f->server, msg);
      g_timeout_add (s->delay_ms, on_delay_done, d);
    }
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           data)
{
  Fixture *f = data;
  Scripted *s = g_queue_pop_head (&f->script);

  g_ptr_array_add (f->requests, record (msg));
  respond (f, msg, s ? s : &f->fallback);
  if (s != NULL)
    scripted_free (s);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = api_loopback_server_new (on_request, f, &f->base_url);
  g_queue_init (&f->script);
  f->fallback.status = 200;
  f->fallback.body = g_strdup (CUSTOMER);
  f->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) recorded_free);
  f->auth = pd_auth_new_with_token (TOKEN);
  f->client = pd_pc_client_new (f->base_url, f->auth, &error);
  g_assert_no_error (error);
  pd_pc_client_set_retry_policy (f->client, 3, 5);
}

static gboolean
nothing_held (gpointer data)
{
  return ((Fixture *) data)->in_flight == 0;
}

static gboolean
has_requests (gpointer data)
{
  return ((Fixture *) data)->requests->len > 0;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->client);
  g_clear_object (&f->auth);
  /* Held responses finish before the server goes. */
  g_assert_true (pd_test_wait_until (nothing_held, f, WAIT_MS));
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_queue_clear_full (&f->script, (GDestroyNotify) scripted_free);
  g_free (f->fallback.body);
  g_ptr_array_unref (f->requests);
  g_free (f->base_url);
  api_wait_clear (&f->wait);
}

static PdPcCustomer *
get_customer (Fixture  *f,
              GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_pc_client_get_customer_async (f->client, "c-1", NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  return pd_pc_client_get_customer_finish (f->client, result, error);
}

static Recorded *
request_at (Fixture *f,
            guint    i)
{
  g_assert_cmpuint (i, <, f->requests->len);
  return g_ptr_array_index (f->requests, i);
}

/* Ids are untrusted text: an id "." or ".." is never sent, since URI resolution takes it as
 * "this folder" or "the parent" even escaped: "/customers/../profiles/billing" would be the
 * partner's own billing profile. The call fails, asking nothing, and not as a 404 (which
 * would mark a customer removed, or say Partner Center did not find it). Before, the request
 * went to /v1/profiles/billing. */
static void
test_dot_ids_never_sent (Fixture       *f,
                         gconstpointer  data)
{
  const char *ids[] = { "..", "." };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(PdPcBillingProfile) profile = NULL;
      g_autoptr(GError) error = NULL;

      pd_pc_client_get_billing_profile_async (f->client, ids[i], NULL, api_wait_callback,
                                              &f->wait);
      result = api_wait_take (&f->wait);
      profile = pd_pc_client_get_billing_profile_finish (f->client, result, &error);
      g_assert_null (profile);
      g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_FAILED);
    }
  g_assert_cmpuint (f->requests->len, ==, 0);
}

static void
test_headers (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) first = NULL;
  g_autoptr(PdPcCustomer) second = NULL;
  Recorded *r;

  pd_pc_client_set_correlation_id (f->client, "corr-1");
  pd_pc_client_set_locale (f->client, "de-DE");
  first = get_customer (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first->company_name, ==, "Contoso");
  second = get_customer (f, &error);
  g_assert_no_error (error);
  r = request_at (f, 0);
  g_assert_cmpstr (r->method, ==, "GET");
  g_assert_cmpstr (r->path, ==, "/v1/customers/c-1");
  g_assert_cmpstr (r->authorization, ==, "Bearer " TOKEN);
  g_assert_cmpstr (r->accept, ==, "application/json");
  g_assert_cmpstr (r->correlation_id, ==, "corr-1");
  g_assert_cmpstr (r->locale, ==, "de-DE");
  g_assert_true (g_str_has_prefix (r->user_agent, "PartnerDesk/"));
  g_assert_true (g_uuid_string_is_valid (r->request_id));
  /* A new call, a new request id; the same correlation id for the run. */
  g_assert_cmpstr (request_at (f, 1)->request_id, !=, r->request_id);
  g_assert_cmpstr (request_at (f, 1)->correlation_id, ==, "corr-1");
}

static void
test_5xx_retried (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) customer = NULL;
  PdPcStats stats;

  script (f, 500, "{\"code\":500,\"description\":\"boom\"}", NULL);
  script (f, 503, NULL, NULL);
  script (f, 502, "<html>", NULL);
  customer = get_customer (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->requests->len, ==, 4);
  /* One logical call: one MS-RequestId on every retry. */
  for (guint i = 1; i < 4; i++)
    g_assert_cmpstr (request_at (f, i)->request_id, ==, request_at (f, 0)->request_id);
  pd_pc_client_get_stats (f->client, &stats);
  g_assert_cmpuint (stats.requests, ==, 4);
  g_assert_cmpuint (stats.retries, ==, 3);
  g_assert_cmpuint (stats.failures, ==, 0);
}

static void
test_5xx_exhausted (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) customer = NULL;

  for (guint i = 0; i < 4; i++)
    script (f, 503, "{\"code\":\"503\",\"description\":\"Service unavailable\"}", NULL);
  customer = get_customer (f, &error);
  g_assert_null (customer);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_SERVER);
  g_assert_cmpstr (pd_pc_error_get_code (error), ==, "503");
  g_assert_cmpuint (f->requests->len, ==, 4);
}

/* A 408 is retried like a 5xx (the retry succeeds here). */
static void
test_408_retried (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) customer = NULL;

  script (f, 408, NULL, NULL);
  customer = get_customer (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (customer);
  g_assert_cmpuint (f->requests->len, ==, 2);
  g_assert_cmpstr (request_at (f, 1)->request_id, ==, request_at (f, 0)->request_id);
}

/* A 408 that outlasts the retries is an answer from Partner Center, like a 5xx: not
 * PD_PC_ERROR_TIMEOUT, which says Partner Center could not be reached (no answer in time). */
static void
test_408_exhausted (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) customer = NULL;
  PdPcStats stats;

  for (guint i = 0; i < 4; i++)
    script (f, 408, "{\"code\":\"408\",\"description\":\"Request timed out\"}", NULL);
  customer = get_customer (f, &error);
  g_assert_null (customer);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_SERVER);
  g_assert_cmpstr (pd_pc_error_get_code (error), ==, "408");
  g_assert_nonnull (strstr (error->message, "408"));
  g_assert_cmpuint (f->requests->len, ==, 4);
  pd_pc_client_get_stats (f->client, &stats);
  g_assert_cmpuint (stats.retries, ==, 3);
  g_assert_cmpuint (stats.failures, ==, 1);
}

static void
test_no_retry_on_4xx (Fixture       *f,
                      gconstpointer  data)
{
  static const struct { guint status; PdPcError code; } cases[] = {
    { 400, PD_PC_ERROR_BAD_REQUEST }, { 403, PD_PC_ERROR_FORBIDDEN },
    { 404, PD_PC_ERROR_NOT_FOUND }, { 409, PD_PC_ERROR_CONFLICT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PdPcCustomer) customer = NULL;
      guint before = f->requests->len;

      script (f, cases[i].status, "{\"code\":600051,\"description\":\"phone missing\"}", NULL);
      customer = get_customer (f, &error);
      g_assert_error (error, PD_PC_ERROR, (gint) cases[i].code);
      g_assert_cmpuint (f->requests->len, ==, before + 1);
      g_assert_cmpstr (pd_pc_error_get_code (error), ==, "600051");
      g_assert_cmpstr (pd_pc_error_get_description (error), ==, "phone missing");
    }
}

static void
on_throttled (PdPcClient *client,
              guint       wait_seconds,
              GArray     *waits)
{
  g_array_append_val (waits, wait_seconds);
}

static void
test_429_waits_retry_after (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) customer = NULL;
  g_autoptr(GArray) waits = g_array_new (FALSE, FALSE, sizeof (guint));
  gint64 waited_us;
  PdPcStats stats;

  /* Starts at 8; a cap of 8 shows that the limit grows back exactly to the cap. */
  pd_pc_client_set_max_in_flight (f->client, 8);
  script (f, 429, "{\"statusCode\":429,\"message\":\"Rate limit is exceeded. Try again in 1 "
          "seconds.\"}", "1");
  g_signal_connect (f->client, "throttled", G_CALLBACK (on_throttled), waits);
  customer = get_customer (f, &error);
  g_signal_handlers_disconnect_by_data (f->client, waits);
  g_assert_no_error (error);
  g_assert_cmpuint (f->requests->len, ==, 2);
  /* Whoever shows the call's progress is told how long it waits, before it waits. */
  g_assert_cmpuint (waits->len, ==, 1);
  g_assert_cmpuint (g_array_index (waits, guint, 0), ==, 1);
  waited_us = request_at (f, 1)->at_us - request_at (f, 0)->at_us;
  g_assert_cmpint (waited_us, >=, 950 * 1000);
  g_assert_cmpint (waited_us, <, 5 * G_USEC_PER_SEC);
  pd_pc_client_get_stats (f->client, &stats);
  g_assert_cmpuint (stats.throttled, ==, 1);
  /* The adaptive limit halved on the 429 and grows back slowly. */
  g_assert_cmpuint (stats.in_flight_limit, ==, 4);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(PdPcCustomer) again = get_customer (f, &error);
      g_assert_no_error (error);
      g_assert_nonnull (again);
    }
  pd_pc_client_get_stats (f->client, &stats);
  g_assert_cmpuint (stats.in_flight_limit, >, 4);
  g_assert_cmpuint (stats.in_flight_limit, <, 8);
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(PdPcCustomer) again = get_customer (f, &error);
      g_assert_no_error (error);
      g_assert_nonnull (again);
    }
  pd_pc_client_get_stats (f->client, &stats);
  g_assert_cmpuint (stats.in_flight_limit, ==, 8);
}

static void
test_429_exhausted (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) customer = NULL;

  for (guint i = 0; i < 10; i++)
    script (f, 429, "{\"statusCode\":429,\"message\":\"Rate limit is exceeded.\"}", "0");
  customer = get_customer (f, &error);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_THROTTLED);
  g_assert_cmpuint (f->requests->len, ==, 7);   /* 1 + MAX (3, 6) throttle retries */
  /* The gateway's own words are kept. */
  g_assert_cmpstr (pd_pc_error_get_code (error), ==, "429");
  g_assert_cmpstr (pd_pc_error_get_description (error), ==, "Rate limit is exceeded.");
}

/* Throttled again: twice the first Retry-After, even when the server now says 0. */
static void
test_429_backs_off (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) customer = NULL;
  gint64 first, second;

  script (f, 429, "{\"statusCode\":429,\"message\":\"Rate limit is exceeded.\"}", "1");
  script (f, 429, "{\"statusCode\":429,\"message\":\"Rate limit is exceeded.\"}", "0");
  customer = get_customer (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->requests->len, ==, 3);
  first = request_at (f, 1)->at_us - request_at (f, 0)->at_us;
  second = request_at (f, 2)->at_us - request_at (f, 1)->at_us;
  g_assert_cmpint (first, >=, 950 * 1000);
  g_assert_cmpint (second, >=, 1950 * 1000);
  g_assert_cmpint (second, <, 6 * G_USEC_PER_SEC);
}

static void
test_401_refreshes_once (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) ok = NULL;
  g_autoptr(PdPcCustomer) refused = NULL;

  script (f, 401, "{\"code\":900432,\"description\":\"expired\"}", NULL);
  ok = get_customer (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->requests->len, ==, 2);

  script (f, 401, "{\"code\":900432,\"description\":\"expired\"}", NULL);
  script (f, 401, "{\"code\":900432,\"description\":\"expired\"}", NULL);
  refused = get_customer (f, &error);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "Sign in again"));
  g_assert_cmpuint (f->requests->len, ==, 4);
}

static void
test_malformed_and_truncated (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(PdPcCustomer) customer = NULL;
  g_autoptr(PdPcCustomer) fixed = NULL;

  for (guint i = 0; i < 4; i++)
    script (f, 200, "{\"id\":\"c-1\",\"companyProfile\":{\"companyName\":\"Cont", NULL);
  customer = get_customer (f, &error);
  g_assert_null (customer);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "could not be read"));
  g_assert_cmpuint (f->requests->len, ==, 4);

  /* One unreadable answer among good ones is retried away. */
  script (f, 200, "<html>gateway</html>", NULL);
  fixed = get_customer (f, &error2);
  g_assert_no_error (error2);
  g_assert_cmpstr (fixed->id, ==, "c-1");
}

typedef struct {
  Fixture *f;
  guint    n_pages;
  gint64   count;
  GError  *error;
  gboolean done;
} ListRun;

static gboolean
count_page (GPtrArray *customers,
            gpointer   data)
{
  ((ListRun *) data)->n_pages++;
  return TRUE;
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  ListRun *run = data;

  run->count = pd_pc_client_list_customers_finish (PD_PC_CLIENT (source), result, &run->error);
  run->done = TRUE;
}

static void
list (Fixture *f,
      ListRun *run)
{
  run->f = f;
  pd_pc_client_list_customers_async (f->client, PD_PC_FILTER_NONE, NULL, count_page, run, NULL,
                                     on_listed, run);
  g_assert_true (pd_test_wait_for_flag (&run->done, WAIT_MS));
}

/* links.next as given (doubled /v1 normalised, query kept, its headers sent), then the
 * body's continuationToken when the link carries no header. */
static void
test_paging_requests (Fixture       *f,
                      gconstpointer  data)
{
  ListRun run = { 0 };
  Recorded *r;

  script (f, 200, "{\"items\":[" CUSTOMER "],\"links\":{\"next\":{\"uri\":\"/v1//v1/customers?"
          "size=500&seekOperation=Next\",\"headers\":[{\"key\":\"MS-ContinuationToken\","
          "\"value\":\"tok-1\"}]}}}", NULL);
  script (f, 200, "{\"items\":[" CUSTOMER "],\"continuationToken\":\"tok-2\",\"links\":{\"next\":"
          "{\"uri\":\"customers?size=500&seekOperation=Next\"}}}", NULL);
  script (f, 200, "{\"items\":[" CUSTOMER "]}", NULL);
  list (f, &run);
  g_assert_no_error (run.error);
  g_assert_cmpint (run.count, ==, 3);
  g_assert_cmpuint (run.n_pages, ==, 3);
  r = request_at (f, 0);
  g_assert_cmpstr (r->path, ==, "/v1/customers");
  g_assert_cmpstr (r->query, ==, "size=500");
  g_assert_null (r->continuation);
  r = request_at (f, 1);
  g_assert_cmpstr (r->path, ==, "/v1/customers");
  g_assert_cmpstr (r->query, ==, "size=500&seekOperation=Next");
  g_assert_cmpstr (r->continuation, ==, "tok-1");
  g_assert_cmpstr (r->authorization, ==, "Bearer " TOKEN);
  g_assert_cmpstr (request_at (f, 2)->continuation, ==, "tok-2");
}

/* The customers of one indirect reseller: the filter goes as Partner Center documents it
 * (get-customers-of-an-indirect-reseller: the JSON {"Field":"IndirectReseller","Value":…,
 * "Operator":"starts_with"}, every reserved character percent-encoded, after size with "&"),
 * and its pages are followed like the whole list's. */
static void
test_paging_reseller_filter (Fixture       *f,
                             gconstpointer  data)
{
  ListRun run = { 0 };
  Recorded *r;

  script (f, 200, "{\"items\":[" CUSTOMER "],\"links\":{\"next\":{\"uri\":\"/customers?"
          "size=500&seekOperation=Next\",\"headers\":[{\"key\":\"MS-ContinuationToken\","
          "\"value\":\"tok-r\"}]}}}", NULL);
  script (f, 200, "{\"items\":[" CUSTOMER "]}", NULL);
  run.f = f;
  pd_pc_client_list_customers_async (f->client, PD_PC_FILTER_INDIRECT_RESELLER,
                                     "484e548c-f5f3-4528-93a9-c16c6373cb59", count_page, &run,
                                     NULL, on_listed, &run);
  g_assert_true (pd_test_wait_for_flag (&run.done, WAIT_MS));
  g_assert_no_error (run.error);
  g_assert_cmpint (run.count, ==, 2);
  r = request_at (f, 0);
  g_assert_cmpstr (r->path, ==, "/v1/customers");
  g_assert_cmpstr (r->query, ==, "size=500&filter=%7B%22Field%22%3A%22IndirectReseller%22%2C"
                                 "%22Value%22%3A%22484e548c-f5f3-4528-93a9-c16c6373cb59%22%2C"
                                 "%22Operator%22%3A%22starts_with%22%7D");
  r = request_at (f, 1);
  g_assert_cmpstr (r->query, ==, "size=500&seekOperation=Next");
  g_assert_cmpstr (r->continuation, ==, "tok-r");
}

static void
test_paging_loop_refused (Fixture       *f,
                          gconstpointer  data)
{
  ListRun run = { 0 };
  const char *page = "{\"items\":[" CUSTOMER "],\"links\":{\"next\":{\"uri\":\"/customers?"
                     "seek=1\",\"headers\":[{\"key\":\"MS-ContinuationToken\",\"value\":\"same\"}]}}}";

  for (guint i = 0; i < 3; i++)
    script (f, 200, page, NULL);
  list (f, &run);
  g_assert_error (run.error, PD_PC_ERROR, PD_PC_ERROR_INVALID_RESPONSE);
  g_assert_cmpuint (f->requests->len, ==, 2);
  g_clear_error (&run.error);
}

/* An empty page with a next link is a page in the middle of the list: what comes after it is
 * listed (it was taken for the end, and the rest of the customers for absent). */
static void
test_paging_empty_page_followed (Fixture       *f,
                                 gconstpointer  data)
{
  ListRun run = { 0 };

  script (f, 200, "{\"items\":[" CUSTOMER "],\"continuationToken\":\"t1\",\"links\":{\"next\":"
          "{\"uri\":\"/customers?seekOperation=Next\"}}}", NULL);
  script (f, 200, "{\"items\":[],\"totalCount\":0,\"continuationToken\":\"t2\",\"links\":"
          "{\"next\":{\"uri\":\"/customers?seekOperation=Next\"}}}", NULL);
  script (f, 200, "{\"items\":[" CUSTOMER "],\"totalCount\":1}", NULL);
  list (f, &run);
  g_assert_no_error (run.error);
  g_assert_cmpint (run.count, ==, 2);
  g_assert_cmpuint (f->requests->len, ==, 3);
  g_assert_cmpstr (request_at (f, 2)->continuation, ==, "t2");
}

/* An empty page whose next link is the one that fetched it has nothing more to give: the
 * list ends there, whole (a page with items doing so is a loop: paging-loop-refused). */
static void
test_paging_empty_page_linking_itself (Fixture       *f,
                                       gconstpointer  data)
{
  ListRun run = { 0 };
  const char *empty = "{\"items\":[],\"continuationToken\":\"t2\",\"links\":{\"next\":"
                      "{\"uri\":\"/customers?seekOperation=Next\"}}}";

  script (f, 200, "{\"items\":[" CUSTOMER "],\"continuationToken\":\"t2\",\"links\":{\"next\":"
          "{\"uri\":\"/customers?seekOperation=Next\"}}}", NULL);
  script (f, 200, empty, NULL);
  script (f, 200, empty, NULL);
  list (f, &run);
  g_assert_no_error (run.error);
  g_assert_cmpint (run.count, ==, 1);
  g_assert_cmpuint (f->requests->len, ==, 2);
}

/* Empty pages without end, each with a new link (a loop the same-link check cannot see): the
 * list fails after 20 in a row instead of asking for ever. */
static void
test_paging_empty_pages_without_end (Fixture       *f,
                                     gconstpointer  data)
{
  ListRun run = { 0 };

  script (f, 200, "{\"items\":[" CUSTOMER "],\"continuationToken\":\"t0\",\"links\":{\"next\":"
          "{\"uri\":\"/customers?seekOperation=Next\"}}}", NULL);
  for (guint i = 1; i <= 25; i++)
    {
      g_autofree char *empty = g_strdup_printf ("{\"items\":[],\"continuationToken\":\"t%u\","
                                                "\"links\":{\"next\":{\"uri\":"
                                                "\"/customers?seekOperation=Next\"}}}", i);

      script (f, 200, empty, NULL);
    }
  list (f, &run);
  g_assert_error (run.error, PD_PC_ERROR, PD_PC_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (run.error->message, "21 empty pages in a row"));
  g_assert_cmpuint (f->requests->len, ==, 22);
  g_clear_error (&run.error);
}

/* An error on a later page fails the list (it is not mistaken for the end). */
static void
test_paging_error_midway (Fixture       *f,
                          gconstpointer  data)
{
  ListRun run = { 0 };

  script (f, 200, "{\"items\":[" CUSTOMER "],\"continuationToken\":\"t\",\"links\":{\"next\":"
          "{\"uri\":\"/customers?seekOperation=Next\"}}}", NULL);
  script (f, 400, "{\"code\":2001,\"description\":\"Continuation token expired\"}", NULL);
  list (f, &run);
  g_assert_error (run.error, PD_PC_ERROR, PD_PC_ERROR_BAD_REQUEST);
  g_assert_cmpstr (pd_pc_error_get_code (run.error), ==, "2001");
  g_assert_cmpuint (run.n_pages, ==, 1);
  g_clear_error (&run.error);

  /* 400/2000 on the first request is an error too: only a next page may end that way. */
  run = (ListRun) { 0 };
  script (f, 400, "{\"code\":2000,\"description\":\"bad\"}", NULL);
  list (f, &run);
  g_assert_error (run.error, PD_PC_ERROR, PD_PC_ERROR_BAD_REQUEST);
  g_clear_error (&run.error);
}

static PdPcBillingProfile *
profile_from (const char *json)
{
  return pd_pc_json_parse_billing_profile (json, strlen (json), NULL);
}

static void
test_put_sends_etag_twice (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(PdPcBillingProfile) edited = profile_from (PROFILE_1);
  g_autoptr(PdPcBillingProfile) saved = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Recorded *put;

  pd_bill_to_set (edited->bill_to, PD_BILL_TO_CITY, "New");
  script (f, 200, PROFILE_1, NULL);      /* the re-read */
  script (f, 200, "", NULL);             /* an empty 200: the profile is what was sent */
  pd_pc_client_put_billing_profile_async (f->client, "c-1", edited, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  saved = pd_pc_client_put_billing_profile_finish (f->client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_bill_to_get (saved->bill_to, PD_BILL_TO_CITY), ==, "New");
  g_assert_cmpuint (f->requests->len, ==, 2);
  g_assert_cmpstr (request_at (f, 0)->method, ==, "GET");
  put = request_at (f, 1);
  g_assert_cmpstr (put->method, ==, "PUT");
  g_assert_cmpstr (put->path, ==, "/v1/customers/c-1/profiles/billing");
  g_assert_cmpstr (put->if_match, ==, "\"1\"");
  g_assert_nonnull (strstr (put->body, "\"etag\":\"1\""));
  g_assert_nonnull (strstr (put->body, "\"AddressLine3\":\"x\""));
  g_assert_nonnull (strstr (put->body, "\"city\":\"New\""));
}

/* A conflict answer to the PUT: 409/412, or 400 with code 2055 ("Etag is no longer valid",
 * Partner Center's error-code list), which is the same conflict. */
typedef struct {
  guint       status;
  const char *body;
  const char *code;
} ConflictAnswer;

static const ConflictAnswer conflict_412 = {
  412, "{\"code\":\"412\",\"description\":\"etag mismatch\"}", "412"
};
static const ConflictAnswer conflict_2055 = {
  400, "{\"code\":2055,\"description\":\"Etag is no longer valid\"}", "2055"
};

/* The profile is read again for the push dialog, and the conflict names the failed PUT's
 * request IDs. */
static void
test_put_server_conflict (Fixture       *f,
                          gconstpointer  data)
{
  const ConflictAnswer *answer = data;
  g_autoptr(PdPcBillingProfile) edited = profile_from (PROFILE_1);
  g_autoptr(PdPcBillingProfile) saved = NULL;
  g_autoptr(PdPcBillingProfile) fresh = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pd_pc_client_set_correlation_id (f->client, "corr-conflict");
  script (f, 200, PROFILE_1, NULL);
  script (f, answer->status, answer->body, NULL);
  script (f, 200, PROFILE_2, NULL);
  pd_pc_client_put_billing_profile_async (f->client, "c-1", edited, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  saved = pd_pc_client_put_billing_profile_finish (f->client, result, &fresh, &error);
  g_assert_null (saved);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_CONFLICT);
  g_assert_nonnull (fresh);
  g_assert_cmpstr (fresh->etag, ==, "2");
  g_assert_cmpstr (pd_bill_to_get (fresh->bill_to, PD_BILL_TO_EMAIL), ==, "new@b.test");
  g_assert_cmpuint (f->requests->len, ==, 3);   /* a conflict is not retried */
  g_assert_cmpstr (pd_pc_error_get_code (error), ==, answer->code);
  g_assert_cmpstr (pd_pc_error_get_request_id (error), ==, request_at (f, 1)->request_id);
  g_assert_cmpstr (pd_pc_error_get_correlation_id (error), ==, "corr-conflict");
  g_assert_nonnull (strstr (error->message, request_at (f, 1)->request_id));
}

#define PROFILE_NEW "{\"id\":\"p\",\"email\":\"a@b.test\",\"defaultAddress\":{\"city\":\"New\"," \
                    "\"AddressLine3\":\"x\"},\"attributes\":{\"etag\":\"3\"}}"

/* The PUT is applied but its answer lost (503); the retry, with the same If-Match, meets the
 * etag its first try made (412); the re-read holds exactly the values sent: the change is
 * made, and said so. Before, it was reported as someone else's change ("nothing was sent"). */
static void
test_put_retry_meets_own_change (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(PdPcBillingProfile) edited = profile_from (PROFILE_1);
  g_autoptr(PdPcBillingProfile) saved = NULL;
  g_autoptr(PdPcBillingProfile) fresh = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pd_bill_to_set (edited->bill_to, PD_BILL_TO_CITY, "New");
  script (f, 200, PROFILE_1, NULL);
  script (f, 503, NULL, NULL);
  script (f, 412, "{\"code\":\"412\",\"description\":\"Precondition failed\"}", NULL);
  script (f, 200, PROFILE_NEW, NULL);
  pd_pc_client_put_billing_profile_async (f->client, "c-1", edited, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  saved = pd_pc_client_put_billing_profile_finish (f->client, result, &fresh, &error);
  g_assert_no_error (error);
  g_assert_nonnull (saved);
  g_assert_cmpstr (saved->etag, ==, "3");
  g_assert_cmpstr (pd_bill_to_get (saved->bill_to, PD_BILL_TO_CITY), ==, "New");
  g_assert_cmpuint (f->requests->len, ==, 4);
  g_assert_cmpstr (request_at (f, 2)->method, ==, "PUT");
}

/* Since April 2026 an App+User token without MFA gets 401 with code 900421: a token refresh
 * keeps the missing claim, so the call is not repeated, and the error says what helps. */
static void
test_401_mfa_required (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) refused = NULL;

  script (f, 401, "{\"code\":\"900421\",\"description\":\"MFA is required\",\"data\":[],"
          "\"source\":\"PartnerFD\"}", NULL);
  refused = get_customer (f, &error);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_MFA_REQUIRED);
  g_assert_true (g_str_has_prefix (error->message,
                                   "Sign in again with multi-factor authentication"));
  g_assert_cmpstr (pd_pc_error_get_code (error), ==, "900421");
  g_assert_cmpuint (f->requests->len, ==, 1);
}

/* Every failed request's error names the MS-CorrelationId and MS-RequestId it was sent with
 * (what Microsoft support asks for): an error answer, retries exhausted, an unreadable body;
 * never the token. */
static void
test_error_names_request_ids (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) answered = NULL;
  g_autoptr(GError) exhausted = NULL;
  g_autoptr(GError) unreadable = NULL;
  g_autoptr(PdPcCustomer) c1 = NULL;
  g_autoptr(PdPcCustomer) c2 = NULL;
  g_autoptr(PdPcCustomer) c3 = NULL;
  GError *errors[3];
  guint last_request[3];

  pd_pc_client_set_correlation_id (f->client, "corr-support");
  script (f, 404, "{\"code\":60003,\"description\":\"Tenant not found\"}", NULL);
  c1 = get_customer (f, &answered);
  last_request[0] = f->requests->len - 1;
  for (guint i = 0; i < 4; i++)
    script (f, 503, NULL, NULL);
  c2 = get_customer (f, &exhausted);
  last_request[1] = f->requests->len - 1;
  for (guint i = 0; i < 4; i++)
    script (f, 200, "{\"id\":\"c-1\",\"companyProfile\":", NULL);
  c3 = get_customer (f, &unreadable);
  last_request[2] = f->requests->len - 1;
  errors[0] = answered;
  errors[1] = exhausted;
  errors[2] = unreadable;
  g_assert_error (answered, PD_PC_ERROR, PD_PC_ERROR_NOT_FOUND);
  g_assert_error (exhausted, PD_PC_ERROR, PD_PC_ERROR_SERVER);
  g_assert_error (unreadable, PD_PC_ERROR, PD_PC_ERROR_INVALID_RESPONSE);
  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    {
      const char *request_id = request_at (f, last_request[i])->request_id;
      g_autofree char *ids = g_strdup_printf ("(correlation ID corr-support, request ID %s)",
                                              request_id);

      g_assert_true (g_str_has_suffix (errors[i]->message, ids));
      g_assert_cmpstr (pd_pc_error_get_request_id (errors[i]), ==, request_id);
      g_assert_cmpstr (pd_pc_error_get_correlation_id (errors[i]), ==, "corr-support");
      g_assert_null (strstr (errors[i]->message, TOKEN));
    }
  /* Retries keep the call's request ID: the one named is the one every attempt sent. */
  g_assert_cmpstr (request_at (f, last_request[0] + 1)->request_id, ==,
                   request_at (f, last_request[1])->request_id);
}

/* The edit was based on etag 1, Partner Center is at 2: refused before any PUT. */
static void
test_put_stale_edit (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(PdPcBillingProfile) edited = profile_from (PROFILE_1);
  g_autoptr(PdPcBillingProfile) saved = NULL;
  g_autoptr(PdPcBillingProfile) fresh = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  script (f, 200, PROFILE_2, NULL);
  pd_pc_client_put_billing_profile_async (f->client, "c-1", edited, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  saved = pd_pc_client_put_billing_profile_finish (f->client, result, &fresh, &error);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_CONFLICT);
  g_assert_cmpstr (fresh->etag, ==, "2");
  g_assert_cmpuint (f->requests->len, ==, 1);
}

static void
test_cancel_during_backoff (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) customer = NULL;
  gint64 started;

  pd_pc_client_set_retry_policy (f->client, 3, 60000);
  script (f, 500, NULL, NULL);
  pd_pc_client_get_customer_async (f->client, "c-1", cancellable, api_wait_callback, &f->wait);
  g_assert_true (pd_test_wait_until (has_requests, f, WAIT_MS));
  /* The 500 is answered and the retry is waiting its (60 s) backoff. */
  pd_test_spin (50);
  started = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  result = api_wait_take (&f->wait);
  customer = pd_pc_client_get_customer_finish (f->client, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - started, <, G_USEC_PER_SEC);
  g_assert_cmpuint (f->requests->len, ==, 1);
}

typedef struct {
  Fixture *f;
  guint    n_done;
  guint    n_failed;
} Burst;

static void
on_burst_done (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  Burst *burst = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) c = pd_pc_client_get_customer_finish (PD_PC_CLIENT (source), result,
                                                                &error);

  burst->n_failed += c == NULL;
  burst->n_done++;
}

static gboolean
burst_finished (gpointer data)
{
  Burst *burst = data;

  return burst->n_done == 12;
}

static void
run_burst (Fixture *f,
           Burst   *burst)
{
  burst->f = f;
  for (guint i = 0; i < 12; i++)
    pd_pc_client_get_customer_async (f->client, "c-1", NULL, on_burst_done, burst);
  g_assert_true (pd_test_wait_until (burst_finished, burst, WAIT_MS));
  g_assert_cmpuint (burst->n_failed, ==, 0);
}

/* Above libsoup's default of 2 per host, and never above the limit. */
static void
test_concurrency_limit (Fixture       *f,
                        gconstpointer  data)
{
  Burst burst = { 0 };
  PdPcStats stats;

  f->fallback.delay_ms = 100;
  pd_pc_client_set_max_in_flight (f->client, 5);
  run_burst (f, &burst);
  g_assert_cmpuint (f->max_in_flight, ==, 5);
  pd_pc_client_get_stats (f->client, &stats);
  g_assert_cmpuint (stats.max_in_flight_seen, ==, 5);
}

/* 600 a minute: one request every 100 ms, evenly, not in a burst. Times are taken where the
 * server receives the requests, so one request may arrive late by its transit time (under a
 * sanitizer on a loaded machine, tens of ms): any j - i + 1 requests must span at least
 * (j - i - 1) intervals, which a burst would break and transit jitter cannot. */
static void
test_requests_per_minute (Fixture       *f,
                          gconstpointer  data)
{
  const gint64 interval_us = 100 * 1000;
  Burst burst = { 0 };

  pd_pc_client_set_requests_per_minute (f->client, 600);
  run_burst (f, &burst);
  g_assert_cmpuint (f->requests->len, ==, 12);
  for (guint i = 0; i < 12; i++)
    for (guint j = i + 2; j < 12; j++)
      {
        gint64 span = request_at (f, j)->at_us - request_at (f, i)->at_us;
        g_assert_cmpint (span, >=, (gint64) (j - i - 1) * interval_us);
      }
  g_assert_cmpint (request_at (f, 11)->at_us - request_at (f, 0)->at_us, >=, 10 * interval_us);
}

typedef struct {
  guint n_done;
  guint n_cancelled;
} CancelTally;

static void
on_cancel_tallied (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  CancelTally *tally = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) c = pd_pc_client_get_customer_finish (PD_PC_CLIENT (source), result,
                                                                &error);

  tally->n_cancelled += c == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  tally->n_done++;
}

static gboolean
all_twenty_done (gpointer data)
{
  return ((CancelTally *) data)->n_done == 20;
}

/* Twenty calls on one cancellable, one in flight, nineteen queued: all end cancelled at once,
 * and the queued ones never reach the server. */
static void
test_cancel_queued (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CancelTally tally = { 0 };
  gint64 started;

  f->fallback.delay_ms = 2000;
  pd_pc_client_set_max_in_flight (f->client, 1);
  for (guint i = 0; i < 20; i++)
    pd_pc_client_get_customer_async (f->client, "c-1", cancellable, on_cancel_tallied, &tally);
  g_assert_true (pd_test_wait_until (has_requests, f, WAIT_MS));
  started = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  g_assert_true (pd_test_wait_until (all_twenty_done, &tally, WAIT_MS));
  g_assert_cmpint (g_get_monotonic_time () - started, <, G_USEC_PER_SEC);
  g_assert_cmpuint (tally.n_cancelled, ==, 20);
  g_assert_cmpuint (f->requests->len, ==, 1);
}

static void
test_network_error (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(PdPcClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) customer = NULL;
  g_autofree char *url = NULL;
  PdPcStats stats;

  /* A port that was just free: nothing listens there. */
  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);
  client = pd_pc_client_new (url, f->auth, NULL);
  pd_pc_client_set_retry_policy (client, 2, 1);
  pd_pc_client_get_customer_async (client, "c-1", NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  customer = pd_pc_client_get_customer_finish (client, result, &error);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_NETWORK);
  pd_pc_client_get_stats (client, &stats);
  g_assert_cmpuint (stats.retries, ==, 2);
  g_assert_cmpuint (stats.failures, ==, 1);
}

static void
test_insecure_url (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcClient) client = pd_pc_client_new ("http://partner.example.com", f->auth, &error);

  g_assert_null (client);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_INSECURE_URL);
}

static GString *captured_log;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
      {
        g_string_append (captured_log, fields[i].length < 0 ? fields[i].value
                                                            : "(binary)");
        g_string_append_c (captured_log, '\n');
      }
  return G_LOG_WRITER_HANDLED;
}

/* Debug logging on, every kind of outcome: the token is in no line and no error. */
static void
test_no_token_in_logs (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autoptr(PdPcCustomer) c1 = NULL;
  g_autoptr(PdPcCustomer) c2 = NULL;
  g_autoptr(PdPcCustomer) c3 = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_log_set_debug_enabled (TRUE);
  script (f, 500, NULL, NULL);
  c1 = get_customer (f, &e1);
  script (f, 401, "{\"code\":1,\"description\":\"Bearer " TOKEN " refused\"}", NULL);
  script (f, 401, "{\"code\":1,\"description\":\"Bearer " TOKEN " refused\"}", NULL);
  c2 = get_customer (f, &e2);
  script (f, 400, "{\"code\":1,\"description\":\"bad\"}", NULL);
  c3 = get_customer (f, &e3);
  g_assert_cmpuint (captured_log->len, >, 0);
  g_assert_null (strstr (captured_log->str, TOKEN));
  g_assert_null (strstr (captured_log->str, "Bearer"));
  /* The request lines were written, with the header redacted. */
  g_assert_nonnull (strstr (captured_log->str, "Authorization: [redacted]"));
  g_assert_error (e2, PD_PC_ERROR, PD_PC_ERROR_UNAUTHORIZED);
  g_assert_nonnull (e3);
  g_string_free (captured_log, TRUE);
}

int
main (int argc, char **argv)
{
  pd_test_init (&argc, &argv);
#define ADD(path, fn) g_test_add ("/api/retry/" path, Fixture, NULL, fixture_setup, fn, \
                                  fixture_teardown)
  ADD ("headers", test_headers);
  ADD ("dot-ids-never-sent", test_dot_ids_never_sent);
  ADD ("put-retry-meets-own-change", test_put_retry_meets_own_change);
  ADD ("5xx-retried", test_5xx_retried);
  ADD ("5xx-exhausted", test_5xx_exhausted);
  ADD ("408-retried", test_408_retried);
  ADD ("408-exhausted", test_408_exhausted);
  ADD ("no-retry-on-4xx", test_no_retry_on_4xx);
  ADD ("429-waits-retry-after", test_429_waits_retry_after);
  ADD ("429-exhausted", test_429_exhausted);
  ADD ("429-backs-off", test_429_backs_off);
  ADD ("401-refreshes-once", test_401_refreshes_once);
  ADD ("malformed-and-truncated", test_malformed_and_truncated);
  ADD ("paging-requests", test_paging_requests);
  ADD ("paging-reseller-filter", test_paging_reseller_filter);
  ADD ("paging-loop-refused", test_paging_loop_refused);
  ADD ("paging-empty-page-followed", test_paging_empty_page_followed);
  ADD ("paging-empty-page-linking-itself", test_paging_empty_page_linking_itself);
  ADD ("paging-empty-pages-without-end", test_paging_empty_pages_without_end);
  ADD ("paging-error-midway", test_paging_error_midway);
  ADD ("put-sends-etag-twice", test_put_sends_etag_twice);
  g_test_add ("/api/retry/put-server-conflict", Fixture, &conflict_412, fixture_setup,
              test_put_server_conflict, fixture_teardown);
  g_test_add ("/api/retry/put-conflict-2055", Fixture, &conflict_2055, fixture_setup,
              test_put_server_conflict, fixture_teardown);
  ADD ("401-mfa-required", test_401_mfa_required);
  ADD ("error-names-request-ids", test_error_names_request_ids);
  ADD ("put-stale-edit", test_put_stale_edit);
  ADD ("cancel-during-backoff", test_cancel_during_backoff);
  ADD ("cancel-queued", test_cancel_queued);
  ADD ("concurrency-limit", test_concurrency_limit);
  ADD ("requests-per-minute", test_requests_per_minute);
  ADD ("network-error", test_network_error);
  ADD ("insecure-url", test_insecure_url);
  ADD ("no-token-in-logs", test_no_token_in_logs);
#undef ADD
  return g_test_run ();
}
