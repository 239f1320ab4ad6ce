/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-simulator.c — the SoupServer, the knobs (latency, requests-per-minute limit, faults),
 * authentication, the login authority's routes and the /_simulator/ admin endpoints. The
 * Partner Center resources themselves are in pd-sim-api.c. */
#include "pd-simulator-private.h"

#include <string.h>

#include "pd-sim-json.h"

#define DEFAULT_RATE_WINDOW_MS 60000
#define CONTINUATION_TTL_S (10 * 60)
#define ADMIN_PREFIX       "/_simulator/"

typedef enum {
  FAULT_500,
  FAULT_DROP,
  FAULT_TRUNCATED,
  FAULT_MALFORMED,
  FAULT_NONE,
} PdSimFault;

static const char * const fault_names[] = { "serverError", "dropped", "truncated", "malformed" };

struct _PdSimulatorClass
{
  GObjectClass parent_class;
};

G_DEFINE_FINAL_TYPE (PdSimulator, pd_simulator, G_TYPE_OBJECT)

void
pd_simulator_options_init (PdSimulatorOptions *options)
{
  memset (options, 0, sizeof *options);
  options->n_customers = 2500;
  options->seed = 1;
  options->end_of_paging = PD_SIM_END_BY_MISSING_NEXT;
  options->approve_after_ms = 1000;
  options->n_resellers = 5;
  options->rate_window_ms = DEFAULT_RATE_WINDOW_MS;
}

/* ---- Responses ------------------------------------------------------------------------ */

void
pd_sim_response_clear (PdSimResponse *resp)
{
  g_clear_pointer (&resp->body, g_free);
  g_clear_pointer (&resp->retry_after, g_free);
}

void
pd_sim_response_json (PdSimResponse *resp, guint status, char *body)
{
  g_free (resp->body);
  resp->status = status;
  resp->body = body;
  resp->length = body != NULL ? strlen (body) : 0;
}

void
pd_sim_response_error (PdSimResponse *resp, guint status, gint64 code, const char *description)
{
  pd_sim_response_json (resp, status, pd_sim_classic_error (code, description, "PartnerFD"));
}

/* The body cut in the middle, or broken in the middle: what a flaky proxy hands over. */
static void
corrupt_body (PdSimResponse *resp, PdSimFault fault)
{
  gsize half = resp->length / 2;

  if (resp->body == NULL)
    return;
  if (fault == FAULT_TRUNCATED)
    {
      resp->body[half] = '\0';
      resp->length = half;
      return;
    }
  char *broken = g_strdup_printf ("%.*s\"}{<%s", (int) half, resp->body, resp->body + half);
  pd_sim_response_json (resp, resp->status, broken);
}

/* ---- Delivery ------------------------------------------------------------------------- */

typedef struct {
  PdSimulator       *self;
  SoupServerMessage *msg;
  PdSimResponse      resp;
  gboolean           drop;
  GSource           *source;
} Pending;

static void
apply_response (SoupServerMessage *msg, PdSimResponse *resp)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, resp->status, NULL);
  if (resp->retry_after != NULL)
    soup_message_headers_replace (headers, "Retry-After", resp->retry_after);
  if (resp->www_authenticate)
    soup_message_headers_replace (headers, "WWW-Authenticate",
                                  "OAuth realm=urn:cpsvc:cpid:pd-simulator");
  if (resp->body != NULL)
    {
      gsize length = resp->length;
      soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                        g_steal_pointer (&resp->body), length);
    }
}

typedef struct {
  GIOStream *stream;
  GBytes    *bytes;
} ShortWrite;

static void
on_short_written (GObject *source, GAsyncResult *result, gpointer data)
{
  ShortWrite *w = data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  g_io_stream_close (w->stream, NULL, NULL);
  g_object_unref (w->stream);
  g_bytes_unref (w->bytes);
  g_free (w);
}

/* The answer written by hand on the connection taken from the server: the first half of the
 * body under a Content-Length that counts all of it, then the connection closes (a proxy that
 * cut the answer; libsoup hands such a body over without an error). */
static void
send_short_body (SoupServerMessage *msg, PdSimResponse *resp)
{
  ShortWrite *w = g_new0 (ShortWrite, 1);
  GString *raw = g_string_new (NULL);
  gsize size;
  gconstpointer bytes;

  g_string_append_printf (raw, "HTTP/1.1 %u %s\r\nContent-Type: application/json; "
                          "charset=utf-8\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n\r\n", resp->status,
                          soup_status_get_phrase (resp->status), resp->length);
  g_string_append_len (raw, resp->body, resp->length / 2);
  w->bytes = g_string_free_to_bytes (raw);
  w->stream = soup_server_message_steal_connection (msg);
  bytes = g_bytes_get_data (w->bytes, &size);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (w->stream), bytes, size,
                                   G_PRIORITY_DEFAULT, NULL, on_short_written, w);
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

/* An answer that does not go through the server: none at all, or one with a short body. */
static void
send_dropped (SoupServerMessage *msg, PdSimResponse *resp)
{
  if (resp->short_body)
    send_short_body (msg, resp);
  else
    drop_connection (msg);
}

static void
pending_free (Pending *p)
{
  pd_sim_response_clear (&p->resp);
  g_object_unref (p->msg);
  g_source_unref (p->source);
  g_free (p);
}

static gboolean
on_latency_elapsed (gpointer user_data)
{
  Pending *p = user_data;
  PdSimulator *self = p->self;

  self->pending = g_list_remove (self->pending, p);
  if (p->drop)
    send_dropped (p->msg, &p->resp);
  else
    {
      apply_response (p->msg, &p->resp);
      soup_server_unpause_message (self->server, p->msg);
    }
  pending_free (p);
  return G_SOURCE_REMOVE;
}

static guint
pick_delay_ms (PdSimulator *self)
{
  guint jitter = self->options.jitter_ms;

  return self->options.latency_ms + (jitter > 0 ? pd_sim_rng_below (&self->latency_rng,
                                                                    jitter + 1) : 0);
}

/* Sends the answer now, or after the latency knob's delay without blocking the server. */
static void
deliver (PdSimulator *self, SoupServerMessage *msg, PdSimResponse *resp, gboolean drop,
         gboolean delay)
{
  guint delay_ms = delay ? pick_delay_ms (self) : 0;
  Pending *p;

  if (delay_ms == 0)
    {
      if (drop)
        send_dropped (msg, resp);
      else
        apply_response (msg, resp);
      pd_sim_response_clear (resp);
      return;
    }
  p = g_new0 (Pending, 1);
  p->self = self;
  p->msg = g_object_ref (msg);
  p->resp = *resp;
  p->drop = drop;
  memset (resp, 0, sizeof *resp);
  soup_server_pause_message (self->server, msg);
  /* On the server's own context, which need not be the global default one (benchmarks run
   * the simulator on a thread of its own). */
  p->source = g_timeout_source_new (delay_ms);
  g_source_set_callback (p->source, on_latency_elapsed, p, NULL);
  g_source_attach (p->source, self->context);
  self->pending = g_list_prepend (self->pending, p);
}

/* ---- Knobs applied per request -------------------------------------------------------- */

/* A 429 as §10 shows it, asking to wait wait_s seconds. */
static gboolean
refuse_as_throttled (PdSimulator *self, PdSimResponse *resp, gint64 wait_s)
{
  pd_sim_response_json (resp, 429,
                        g_strdup_printf ("{\"statusCode\":429,\"message\":\"Rate limit is "
                                         "exceeded. Try again in %" G_GINT64_FORMAT
                                         " seconds.\"}", wait_s));
  resp->retry_after = g_strdup_printf ("%" G_GINT64_FORMAT, wait_s);
  self->throttled++;
  return FALSE;
}

/* A fixed window per server (60 s unless rate_window_ms says otherwise); FALSE (and a 429)
 * when over the limit, or when the request is the one pd_simulator_throttle_request_after
 * named. */
static gboolean
admit_request (PdSimulator *self, PdSimResponse *resp)
{
  gint64 now = g_get_monotonic_time ();
  gint64 window_us = (gint64) self->options.rate_window_ms * G_TIME_SPAN_MILLISECOND;

  if (self->throttle_countdown > 0 && --self->throttle_countdown == 0)
    return refuse_as_throttled (self, resp, self->throttle_retry_after_s);
  if (self->options.rpm == 0)
    return TRUE;
  if (self->window_count == 0 || now - self->window_start_us >= window_us)
    {
      self->window_start_us = now;
      self->window_count = 0;
    }
  if (self->window_count < self->options.rpm)
    {
      self->window_count++;
      return TRUE;
    }
  return refuse_as_throttled (self, resp,
                              MAX ((self->window_start_us + window_us - now + G_USEC_PER_SEC - 1)
                                   / G_USEC_PER_SEC, 1));
}

static PdSimFault
roll_fault (PdSimulator *self)
{
  PdSimFault fault;

  if (self->options.fault_rate <= 0
      || pd_sim_rng_double (&self->fault_rng) >= self->options.fault_rate)
    return FAULT_NONE;
  fault = pd_sim_rng_below (&self->fault_rng, FAULT_NONE);
  self->faults[fault]++;
  return fault;
}

static void
count_request (PdSimulator *self, const char *endpoint)
{
  gpointer count = g_hash_table_lookup (self->by_endpoint, endpoint);

  self->requests++;
  g_hash_table_insert (self->by_endpoint, g_strdup (endpoint),
                       GSIZE_TO_POINTER (GPOINTER_TO_SIZE (count) + 1));
}

/* ---- Request parsing ------------------------------------------------------------------ */

static GBytes *
request_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  return soup_message_body_flatten (body);
}

/* Segments below /v1, or NULL when the path is not one (including the doubled "/v1//v1/…"
 * that a client produces by not normalising next links: the service answers 404 there). */
static char **
api_segments (const char *path)
{
  if (!g_str_has_prefix (path, "/v1/") || path[4] == '/')
    return NULL;
  if (g_str_has_prefix (path + 3, "/v1/"))
    return NULL;
  return g_strsplit (path + 4, "/", -1);
}

/* ---- API and login -------------------------------------------------------------------- */

/* The headers the service answers with (§2): MS-RequestId and MS-CorrelationId echoed (or
 * made up when the client sent none), MS-CV, MS-ServerId. */
static void
add_service_headers (PdSimulator *self, SoupServerMessage *msg, SoupMessageHeaders *request)
{
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  const char *names[] = { "MS-RequestId", "MS-CorrelationId" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = soup_message_headers_get_one (request, names[i]);
      g_autofree char *made_up = value == NULL ? pd_sim_rng_guid (&self->ids_rng) : NULL;
      soup_message_headers_replace (response, names[i], value != NULL ? value : made_up);
    }
  g_autofree char *cv = g_strdup_printf ("%016" G_GINT64_MODIFIER "x.0",
                                         pd_sim_rng_next (&self->ids_rng));
  soup_message_headers_replace (response, "MS-CV", cv);
  soup_message_headers_replace (response, "MS-ServerId", "pd-simulator");
}

/* FALSE, with the 401 set, unless the bearer token is one this simulator accepts. */
static gboolean
authorized (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp)
{
  const char *authorization = soup_message_headers_get_one (req->headers, "Authorization");
  gboolean known = pd_sim_auth_check_bearer (self->auth, authorization, req->now_us);

  if (known && !self->mfa_missing && !pd_sim_auth_bearer_lacks_mfa (authorization))
    return TRUE;
  /* No token: the documented 800001 (a number); a bad one: a string code. Since April 2026 a
   * valid App+User token without MFA gets 900421 (partner-center-api.md §13), in the classic
   * shape with a string code, like the 401/900420 of DotNet-Samples issue #140. */
  if (authorization == NULL)
    pd_sim_response_error (resp, 401, 800001, "Partner token missing.");
  else if (known)
    pd_sim_response_json (resp, 401,
                          pd_sim_string_code_error (PD_SIM_CODE_MFA_REQUIRED,
                                                    "The access token was issued without "
                                                    "multi-factor authentication. Sign in "
                                                    "again with MFA.", "PartnerFD"));
  else
    pd_sim_response_json (resp, 401,
                          pd_sim_string_code_error ("900432", "The access token is invalid or "
                                                    "has expired.", "PartnerFD"));
  resp->www_authenticate = TRUE;
  return FALSE;
}

static void
serve_api (PdSimulator *self, SoupServerMessage *msg, char **segments, GHashTable *query)
{
  PdSimResponse resp = { 0 };
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = request_body (msg);
  PdSimRequest req = { soup_server_message_get_method (msg), segments, query, headers, body,
                       g_get_real_time () };
  PdSimFault fault;

  count_request (self, pd_sim_api_endpoint (req.method, segments));
  add_service_headers (self, msg, headers);
  if (!admit_request (self, &resp))
    {
      deliver (self, msg, &resp, FALSE, TRUE);
      return;
    }
  fault = roll_fault (self);
  if (fault == FAULT_500)
    pd_sim_response_error (&resp, 500, 500, "An unexpected error occurred. Try again later.");
  else if (fault == FAULT_DROP)
    {
      deliver (self, msg, &resp, TRUE, TRUE);
      return;
    }
  else if (authorized (self, &req, &resp))
    pd_sim_api_handle (self, &req, &resp);
  if (fault == FAULT_TRUNCATED || fault == FAULT_MALFORMED)
    corrupt_body (&resp, fault);
  resp.short_body = (self->short_bodies
                     || (self->short_put_bodies && g_strcmp0 (req.method, "PUT") == 0))
                    && resp.body != NULL;
  deliver (self, msg, &resp, resp.short_body, TRUE);
}

/* "/{tenant}/oauth2/v2.0/devicecode" or "…/token" → "devicecode" / "token", else NULL. */
static const char *
login_endpoint (const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);

  if (g_strv_length (parts) != 5 || *parts[1] == '\0' || g_strcmp0 (parts[2], "oauth2") != 0
      || g_strcmp0 (parts[3], "v2.0") != 0)
    return NULL;
  if (g_str_equal (parts[4], "devicecode"))
    return "devicecode";
  if (g_str_equal (parts[4], "token"))
    return "token";
  return NULL;
}

static void
serve_login (PdSimulator *self, SoupServerMessage *msg, const char *endpoint)
{
  g_autoptr(GBytes) body = request_body (msg);
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_autoptr(GHashTable) form = soup_form_decode (text);
  PdSimResponse resp = { 0 };
  g_autofree char *name = g_strdup_printf ("POST /{tenant}/oauth2/v2.0/%s", endpoint);
  char *answer = NULL;
  guint status;

  count_request (self, name);
  status = pd_sim_auth_handle (self->auth, endpoint, form, self->base_url, g_get_real_time (),
                               &answer);
  pd_sim_response_json (&resp, status, answer);
  deliver (self, msg, &resp, FALSE, TRUE);
}

static void
serve_device_login_page (SoupServerMessage *msg)
{
  static const char page[] =
    "<!DOCTYPE html><html><head><title>Partner Desk simulator</title></head><body>"
    "<p>This is the Partner Center simulator: device codes are approved automatically.</p>"
    "</body></html>";

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC, page,
                                    strlen (page));
}

/* ---- Admin endpoints ------------------------------------------------------------------ */

static void serve_admin (PdSimulator *self, SoupServerMessage *msg, const char *name);

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  PdSimulator *self = user_data;
  g_auto(GStrv) segments = NULL;
  const char *endpoint;
  PdSimResponse resp = { 0 };

  if (g_str_has_prefix (path, ADMIN_PREFIX))
    serve_admin (self, msg, path + strlen (ADMIN_PREFIX));
  else if ((segments = api_segments (path)) != NULL)
    serve_api (self, msg, segments, query);
  else if (strcmp (soup_server_message_get_method (msg), "POST") == 0
           && (endpoint = login_endpoint (path)) != NULL)
    serve_login (self, msg, endpoint);
  else if (strcmp (path, "/devicelogin") == 0)
    serve_device_login_page (msg);
  else
    {
      count_request (self, "other");
      pd_sim_response_error (&resp, 404, 404, "Resource not found.");
      deliver (self, msg, &resp, FALSE, TRUE);
    }
}

static void
serve_admin (PdSimulator *self, SoupServerMessage *msg, const char *name)
{
  g_autoptr(GBytes) body = request_body (msg);
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_autoptr(GError) error = NULL;
  PdSimResponse resp = { 0 };
  char *answer = pd_sim_admin_answer (self, soup_server_message_get_method (msg), name, text,
                                      &error);

  if (answer != NULL)
    pd_sim_response_json (&resp, 200, answer);
  else
    pd_sim_response_error (&resp, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                                  ? 404 : 400, 400, error->message);
  /* Admin calls are never slowed, throttled or faulted. */
  deliver (self, msg, &resp, FALSE, FALSE);
}

/* ---- Object --------------------------------------------------------------------------- */

static void
pd_simulator_dispose (GObject *object)
{
  PdSimulator *self = PD_SIMULATOR (object);

  while (self->pending != NULL)
    {
      Pending *p = self->pending->data;
      self->pending = g_list_delete_link (self->pending, self->pending);
      g_source_destroy (p->source);
      drop_connection (p->msg);
      pending_free (p);
    }
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  G_OBJECT_CLASS (pd_simulator_parent_class)->dispose (object);
}

static void
pd_simulator_finalize (GObject *object)
{
  PdSimulator *self = PD_SIMULATOR (object);

  pd_sim_data_free (self->data);
  pd_sim_auth_free (self->auth);
  g_hash_table_unref (self->by_endpoint);
  g_hash_table_unref (self->refusals);
  g_hash_table_unref (self->put_replies);
  g_hash_table_unref (self->review_until);
  g_free (self->token);
  g_free (self->base_url);
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (pd_simulator_parent_class)->finalize (object);
}

static void
pd_simulator_class_init (PdSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_simulator_dispose;
  object_class->finalize = pd_simulator_finalize;
}

static void
pd_simulator_init (PdSimulator *self)
{
  self->by_endpoint = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->refusals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->put_replies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->conflict_status = 412;
  self->account_review_ms = 60 * 1000;
  self->review_until = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->continuation_ttl_s = CONTINUATION_TTL_S;
}

PdSimulator *
pd_simulator_new (const PdSimulatorOptions *options)
{
  PdSimulator *self = g_object_new (PD_TYPE_SIMULATOR, NULL);
  guint64 seed;

  if (options != NULL)
    self->options = *options;
  else
    pd_simulator_options_init (&self->options);
  pd_simulator_set_rate_window (self, self->options.rate_window_ms);
  self->token = g_strdup (self->options.token);
  self->options.token = self->token;
  seed = self->options.seed;
  self->data = pd_sim_data_new (self->options.n_customers, self->options.n_resellers, seed,
                                g_get_real_time ());
  self->auth = pd_sim_auth_new (pd_sim_data_partner_tenant_id (self->data), self->token, seed);
  pd_sim_auth_set_approve_after (self->auth, self->options.approve_after_ms);
  pd_sim_rng_init (&self->fault_rng, seed ^ G_GUINT64_CONSTANT (0xfa17));
  pd_sim_rng_init (&self->latency_rng, seed ^ G_GUINT64_CONSTANT (0x1a7e));
  pd_sim_rng_init (&self->mutate_rng, seed ^ G_GUINT64_CONSTANT (0x3a7e));
  pd_sim_rng_init (&self->ids_rng, seed ^ G_GUINT64_CONSTANT (0x1d5));
  return self;
}

gboolean
pd_simulator_start (PdSimulator *self, guint port, GError **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  GSList *uris;

  g_return_val_if_fail (PD_IS_SIMULATOR (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);
  self->context = g_main_context_ref_thread_default ();
  self->server = soup_server_new ("server-header", "pd-simulator", NULL);
  soup_server_add_handler (self->server, NULL, on_request, self, NULL);
  if (!soup_server_listen (self->server, address, 0, error))
    {
      g_clear_object (&self->server);
      return FALSE;
    }
  uris = soup_server_get_uris (self->server);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

const char *
pd_simulator_get_base_url (PdSimulator *self)
{
  g_return_val_if_fail (PD_IS_SIMULATOR (self), NULL);
  return self->base_url;
}

char *
pd_simulator_dup_login_url (PdSimulator *self)
{
  g_return_val_if_fail (PD_IS_SIMULATOR (self), NULL);
  return g_strdup_printf ("%s/organizations", self->base_url);
}

const char *
pd_simulator_get_partner_tenant_id (PdSimulator *self)
{
  g_return_val_if_fail (PD_IS_SIMULATOR (self), NULL);
  return pd_sim_data_partner_tenant_id (self->data);
}

void
pd_simulator_set_latency (PdSimulator *self, guint latency_ms, guint jitter_ms)
{
  self->options.latency_ms = latency_ms;
  self->options.jitter_ms = jitter_ms;
}

void
pd_simulator_set_rpm (PdSimulator *self, guint rpm)
{
  self->options.rpm = rpm;
  self->window_count = 0;
}

void
pd_simulator_set_rate_window (PdSimulator *self, guint window_ms)
{
  self->options.rate_window_ms = window_ms > 0 ? window_ms : DEFAULT_RATE_WINDOW_MS;
  self->window_count = 0;
}

void
pd_simulator_throttle_request_after (PdSimulator *self, guint n_admitted, guint retry_after_s)
{
  self->throttle_countdown = n_admitted + 1;
  self->throttle_retry_after_s = MAX (retry_after_s, 1);
}

void
pd_simulator_set_fault_rate (PdSimulator *self, double fault_rate)
{
  self->options.fault_rate = CLAMP (fault_rate, 0.0, 1.0);
}

void
pd_simulator_set_end_of_paging (PdSimulator *self, PdSimEndOfPaging how)
{
  self->options.end_of_paging = how;
}

void
pd_simulator_set_next_link_with_v1 (PdSimulator *self, gboolean with_v1)
{
  self->options.next_link_with_v1 = with_v1;
}

void
pd_simulator_set_page_size_cap (PdSimulator *self, guint page_size_cap)
{
  self->options.page_size_cap = page_size_cap;
}

void
pd_simulator_set_approve_after (PdSimulator *self, guint approve_after_ms)
{
  self->options.approve_after_ms = approve_after_ms;
  pd_sim_auth_set_approve_after (self->auth, approve_after_ms);
}

void
pd_simulator_set_token_lifetime (PdSimulator *self, guint seconds)
{
  pd_sim_auth_set_token_lifetime (self->auth, seconds);
}

void
pd_simulator_set_token_failure (PdSimulator *self, guint status)
{
  pd_sim_auth_set_token_failure (self->auth, status);
}

void
pd_simulator_set_account_review (PdSimulator *self, guint review_ms)
{
  self->account_review_ms = review_ms;
}

void
pd_simulator_set_conflict_status (PdSimulator *self, guint status)
{
  self->conflict_status = status == 409 || status == 400 ? status : 412;
}

void
pd_simulator_set_next_link_style (PdSimulator *self, PdSimNextLinkStyle style)
{
  self->next_link_style = style;
}

static const char * const next_link_style_names[] = { "relative", "absolute", "bare" };

gboolean
pd_sim_next_link_style_from_string (const char *text, PdSimNextLinkStyle *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (next_link_style_names); i++)
    if (strcmp (text, next_link_style_names[i]) == 0)
      {
        *out = (PdSimNextLinkStyle) i;
        return TRUE;
      }
  return FALSE;
}

const char *
pd_sim_next_link_style_name (PdSimNextLinkStyle style)
{
  return next_link_style_names[style];
}

void
pd_simulator_set_short_bodies (PdSimulator *self, gboolean short_bodies)
{
  self->short_bodies = short_bodies;
}

void
pd_simulator_set_short_put_bodies (PdSimulator *self, gboolean short_put_bodies)
{
  self->short_put_bodies = short_put_bodies;
}

void
pd_simulator_set_empty_pages (PdSimulator *self, gboolean empty_pages)
{
  self->empty_pages = empty_pages;
}

void
pd_simulator_set_cut_listing_after (PdSimulator *self, guint n_items)
{
  self->cut_listing_after = n_items;
}

void
pd_simulator_set_cut_reseller_listings_after (PdSimulator *self, guint n_items)
{
  self->cut_reseller_listings_after = n_items;
}

void
pd_simulator_set_resellers_forbidden (PdSimulator *self, gboolean forbidden)
{
  self->resellers_forbidden = forbidden;
}

void
pd_simulator_set_audit_forbidden (PdSimulator *self, gboolean forbidden)
{
  self->audit_forbidden = forbidden;
}

void
pd_simulator_set_mfa_missing (PdSimulator *self, gboolean missing)
{
  self->mfa_missing = missing;
}

void
pd_simulator_set_refusal (PdSimulator      *self,
                          const char       *tenant_id,
                          PdSimRefuseScope  scope,
                          guint             status)
{
  g_return_if_fail (PD_IS_SIMULATOR (self));
  g_return_if_fail (tenant_id != NULL);
  if (status == 0)
    {
      g_autofree char *key = g_ascii_strdown (tenant_id, -1);
      g_hash_table_remove (self->refusals, key);
      return;
    }
  if (status != 404 && (status < 500 || status > 599))
    status = 403;
  g_hash_table_replace (self->refusals, g_ascii_strdown (tenant_id, -1),
                        GUINT_TO_POINTER (status | ((guint) scope << 16)));
}

/* The address field called key, else the contact field (firstName and lastName are both). */
static gboolean
bill_field_from_key (const char     *key,
                     PdSimBillField *out)
{
  for (guint i = 0; i < PD_SIM_BILL_N; i++)
    {
      PdSimBillField f = (PD_SIM_BILL_FIRST_ADDRESS_FIELD + i) % PD_SIM_BILL_N;

      if (g_strcmp0 (pd_sim_bill_key (f), key) == 0)
        {
          *out = f;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
pd_simulator_update_bill_to (PdSimulator        *self,
                             const char         *tenant_id,
                             const char * const *keys_values)
{
  PdSimCustomer *c;
  char *values[PD_SIM_BILL_N];
  PdSimBillField field = PD_SIM_BILL_COUNTRY;

  g_return_val_if_fail (PD_IS_SIMULATOR (self), FALSE);
  g_return_val_if_fail (keys_values != NULL, FALSE);
  c = pd_sim_data_lookup (self->data, tenant_id);
  if (c == NULL)
    return FALSE;
  for (guint i = 0; keys_values[i] != NULL; i += 2)
    if (!bill_field_from_key (keys_values[i], &field))
      return FALSE;
  for (guint f = 0; f < PD_SIM_BILL_N; f++)
    values[f] = g_strdup (c->bill[f]);
  for (guint i = 0; keys_values[i] != NULL; i += 2)
    {
      bill_field_from_key (keys_values[i], &field);
      g_free (values[field]);
      values[field] = g_strdup (keys_values[i + 1]);
    }
  pd_sim_data_set_bill_to (self->data, c, values, g_get_real_time ());
  return TRUE;
}

/* The customer tenant_id, when both it and reseller_id (NULL: none) are known. */
static PdSimCustomer *
lookup_customer_of (PdSimulator *self,
                    const char  *tenant_id,
                    const char  *reseller_id)
{
  PdSimCustomer *c = pd_sim_data_lookup (self->data, tenant_id);

  if (reseller_id != NULL && pd_sim_data_lookup_reseller (self->data, reseller_id) == NULL)
    return NULL;
  return c;
}

gboolean
pd_simulator_set_customer_reseller (PdSimulator *self,
                                    const char  *tenant_id,
                                    const char  *reseller_id)
{
  PdSimCustomer *c;

  g_return_val_if_fail (PD_IS_SIMULATOR (self), FALSE);
  if ((c = lookup_customer_of (self, tenant_id, reseller_id)) == NULL)
    return FALSE;
  pd_sim_data_set_reseller (self->data, c, reseller_id);
  return TRUE;
}

gboolean
pd_simulator_set_customer_also_resold_by (PdSimulator *self,
                                          const char  *tenant_id,
                                          const char  *reseller_id)
{
  PdSimCustomer *c;

  g_return_val_if_fail (PD_IS_SIMULATOR (self), FALSE);
  if ((c = lookup_customer_of (self, tenant_id, reseller_id)) == NULL)
    return FALSE;
  g_free (c->also_resold_by);
  c->also_resold_by = g_strdup (reseller_id);
  return TRUE;
}

gboolean
pd_simulator_rename_reseller (PdSimulator *self,
                              const char  *reseller_id,
                              const char  *name)
{
  PdSimReseller *reseller;

  g_return_val_if_fail (PD_IS_SIMULATOR (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  reseller = pd_sim_data_lookup_reseller (self->data, reseller_id);
  if (reseller == NULL)
    return FALSE;
  g_free (reseller->name);
  reseller->name = g_strdup (name);
  return TRUE;
}

void
pd_simulator_clear_refusals (PdSimulator *self)
{
  g_return_if_fail (PD_IS_SIMULATOR (self));
  g_hash_table_remove_all (self->refusals);
}

guint
pd_sim_refusal_status (PdSimulator      *self,
                       const char       *tenant_id,
                       PdSimRefuseScope  resource)
{
  g_autofree char *key = g_ascii_strdown (tenant_id, -1);
  guint value = GPOINTER_TO_UINT (g_hash_table_lookup (self->refusals, key));
  PdSimRefuseScope scope = (PdSimRefuseScope) (value >> 16);

  if (value == 0 || (scope != resource && !(scope == PD_SIM_REFUSE_CUSTOMER
                                             && resource == PD_SIM_REFUSE_BILLING_PROFILE)))
    return 0;
  return value & 0xffff;
}

void
pd_simulator_set_continuation_token_ttl (PdSimulator *self, guint seconds)
{
  self->continuation_ttl_s = seconds;
}

void
pd_simulator_set_expire_tokens_on_mutation (PdSimulator *self, gboolean expire)
{
  self->expire_tokens_on_mutation = expire;
}

void
pd_simulator_expire_continuation_tokens (PdSimulator *self)
{
  /* +1 ms so that a token issued in this very millisecond expires too. */
  self->tokens_valid_from_ms = g_get_real_time () / 1000 + 1;
}

char **
pd_simulator_dup_customer_ids (PdSimulator *self)
{
  guint n = pd_sim_data_n_customers (self->data);
  char **ids = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    ids[i] = g_strdup (pd_sim_data_customer (self->data, i)->id);
  return ids;
}

guint
pd_simulator_get_n_customers (PdSimulator *self)
{
  return pd_sim_data_n_customers (self->data);
}

char *
pd_simulator_dup_stats_json (PdSimulator *self)
{
  GHashTableIter iter;
  gpointer key, value;
  guint64 total_faults = 0;
  PdSimJson w;

  pd_sim_json_init_object (&w);
  pd_sim_json_int (&w, "requests", self->requests);
  pd_sim_json_begin_object (&w, "byEndpoint");
  g_hash_table_iter_init (&iter, self->by_endpoint);
  while (g_hash_table_iter_next (&iter, &key, &value))
    pd_sim_json_int (&w, key, GPOINTER_TO_SIZE (value));
  pd_sim_json_end_object (&w);
  pd_sim_json_int (&w, "throttled", self->throttled);
  pd_sim_json_begin_object (&w, "faults");
  for (guint i = 0; i < G_N_ELEMENTS (fault_names); i++)
    {
      pd_sim_json_int (&w, fault_names[i], self->faults[i]);
      total_faults += self->faults[i];
    }
  pd_sim_json_int (&w, "total", total_faults);
  pd_sim_json_end_object (&w);
  pd_sim_json_int (&w, "customers", pd_sim_data_n_customers (self->data));
  pd_sim_json_int (&w, "auditRecords", pd_sim_data_n_audit (self->data));
  pd_sim_json_int (&w, "generation", pd_sim_data_generation (self->data));
  pd_sim_json_int (&w, "tokensIssued", pd_sim_auth_n_tokens_issued (self->auth));
  return pd_sim_json_finish_object (&w);
}

guint64
pd_simulator_get_requests (PdSimulator *self)
{
  return self->requests;
}

guint64
pd_simulator_get_throttled (PdSimulator *self)
{
  return self->throttled;
}

guint64
pd_simulator_get_faults (PdSimulator *self)
{
  guint64 total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (self->faults); i++)
    total += self->faults[i];
  return total;
}
