/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-pc-request.c — one logical Partner Center call: queueing under the adaptive in-flight
 * limit, requests-per-minute pacing, the token, headers, retries and error mapping.
 *
 * A call is a GTask whose task data is a Request. It waits in self->pending until a slot is
 * free and pacing allows, then gets a token, sends, and either finishes or goes back into
 * the queue (at the front) after a delay. Calls that are not on the wire (queued, or waiting
 * out a backoff) are finished by a sweep that a cancellation schedules on the main loop;
 * calls on the wire are cancelled by libsoup and the token fetch themselves.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pd-pc-client-private.h"

#define MAX_BACKOFF_MS       60000
#define MAX_RETRY_AFTER_S    600
#define MIN_THROTTLE_RETRIES 6

typedef struct {
  PdPcCall     call;
  char        *request_id;      /* MS-RequestId: the same on every retry of this call */
  guint        failures;        /* 5xx / transport / unreadable answers so far */
  guint        throttles;       /* 429s so far */
  gboolean     reauthed;        /* the one retry after a 401 was used */
  gint64       retry_after_s;   /* of the first 429 that gave one: the backoff seed */
  SoupMessage *message;
  GSource     *wait_source;     /* backoff timer, while in self->waiting */
  PdPcClient  *client;          /* a reference: the watch is released in request_free */
  GCancellable *cancellable;
} Request;

/* One "cancelled" handler per distinct GCancellable, shared by all its calls: a sync may
 * queue thousands of calls on one cancellable, and a source or handler per call would make
 * every main-loop iteration (or the cancellation) cost as much as the queue is long. */
typedef struct {
  PdPcClient *client;
  gulong      handler;
  guint       users;
} Watch;

static void dispatch (PdPcClient *self);
static void start (GTask *task);
static void unwatch_cancellable (PdPcClient *self, GCancellable *cancellable);

static void
request_free (Request *request)
{
  unwatch_cancellable (request->client, request->cancellable);
  g_clear_object (&request->cancellable);
  g_clear_object (&request->client);
  g_free (request->call.url);
  g_clear_pointer (&request->call.body, g_bytes_unref);
  g_free (request->call.if_match);
  g_clear_pointer (&request->call.headers, g_ptr_array_unref);
  g_free (request->request_id);
  g_clear_object (&request->message);
  if (request->wait_source)
    g_source_destroy (request->wait_source);
  g_clear_pointer (&request->wait_source, g_source_unref);
  g_free (request);
}

static Request *
task_request (GTask *task)
{
  return g_task_get_task_data (task);
}

/* --- cancellation of calls that are not on the wire ------------------------------------ */

static void
sweep_cancelled (PdPcClient *self)
{
  GQueue *queues[] = { &self->pending, &self->waiting };
  GPtrArray *cancelled = g_ptr_array_new ();

  g_atomic_int_set (&self->sweep_scheduled, FALSE);
  for (guint q = 0; q < G_N_ELEMENTS (queues); q++)
    for (GList *l = queues[q]->head, *next; l != NULL; l = next)
      {
        next = l->next;
        if (g_cancellable_is_cancelled (g_task_get_cancellable (l->data)))
          {
            g_ptr_array_add (cancelled, l->data);
            g_queue_delete_link (queues[q], l);
          }
      }
  for (guint i = 0; i < cancelled->len; i++)
    {
      GTask *task = g_ptr_array_index (cancelled, i);
      Request *request = task_request (task);

      if (request->wait_source)
        g_source_destroy (request->wait_source);
      g_clear_pointer (&request->wait_source, g_source_unref);
      g_task_return_error_if_cancelled (task);
      g_object_unref (task);
    }
  g_ptr_array_unref (cancelled);
}

/* A weak reference: a pending sweep must not keep a finished client alive. */
static gboolean
on_sweep (gpointer data)
{
  g_autoptr(PdPcClient) self = g_weak_ref_get (data);

  if (self != NULL)
    sweep_cancelled (self);
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* May run in any thread (wherever cancel was called): only schedules the sweep. */
static void
on_cancelled (GCancellable *cancellable,
              Watch        *watch)
{
  PdPcClient *self = watch->client;
  GWeakRef *ref;
  GSource *idle;

  if (!g_atomic_int_compare_and_exchange (&self->sweep_scheduled, FALSE, TRUE))
    return;
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  idle = g_idle_source_new ();
  g_source_set_callback (idle, on_sweep, ref, weak_ref_free);
  g_source_attach (idle, self->context);
  g_source_unref (idle);
}

static void
watch_cancellable (PdPcClient   *self,
                   GCancellable *cancellable)
{
  Watch *watch;

  if (cancellable == NULL)
    return;
  watch = g_hash_table_lookup (self->watches, cancellable);
  if (watch == NULL)
    {
      watch = g_new0 (Watch, 1);
      watch->client = self;
      g_hash_table_insert (self->watches, g_object_ref (cancellable), watch);
      /* Not g_cancellable_connect: that would call back at once, re-entrantly, when the
       * cancellable is already cancelled; send_async checks that case itself. */
      watch->handler = g_signal_connect (cancellable, "cancelled", G_CALLBACK (on_cancelled),
                                         watch);
    }
  watch->users++;
}

static void
unwatch_cancellable (PdPcClient   *self,
                     GCancellable *cancellable)
{
  Watch *watch = cancellable && self->watches ? g_hash_table_lookup (self->watches, cancellable)
                                              : NULL;

  if (watch == NULL || --watch->users > 0)
    return;
  g_signal_handler_disconnect (cancellable, watch->handler);
  g_hash_table_remove (self->watches, cancellable);
}

/* --- finishing ---------------------------------------------------------------------- */

static void
fail (GTask  *task,
      GError *error)
{
  PdPcClient *self = g_task_get_source_object (task);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    self->stats.failures++;
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* A request went out and failed: the error names its MS-CorrelationId and MS-RequestId, as
 * sent (Partner Center echoes them), for Microsoft support. */
static void
fail_sent (GTask  *task,
           GError *error)
{
  Request *request = task_request (task);
  SoupMessageHeaders *headers = soup_message_get_request_headers (request->message);

  if (error->domain == PD_PC_ERROR)
    pd_pc_error_set_request_ids (error, soup_message_headers_get_one (headers, "MS-CorrelationId"),
                                 soup_message_headers_get_one (headers, "MS-RequestId"));
  fail (task, error);
}

static void
succeed (GTask    *task,
         gpointer  result)
{
  Request *request = task_request (task);

  g_task_return_pointer (task, result, request->call.result_free);
  g_object_unref (task);
}

/* --- waiting: queue and backoff ---------------------------------------------------------- */

static void
enqueue (GTask    *task,
         gboolean  at_front)
{
  PdPcClient *self = g_task_get_source_object (task);

  if (at_front)
    g_queue_push_head (&self->pending, task);
  else
    g_queue_push_tail (&self->pending, task);
  dispatch (self);
}

static gboolean
on_backoff_done (gpointer data)
{
  GTask *task = data;
  PdPcClient *self = g_task_get_source_object (task);
  Request *request = task_request (task);

  g_clear_pointer (&request->wait_source, g_source_unref);
  g_queue_remove (&self->waiting, task);
  enqueue (task, TRUE);
  return G_SOURCE_REMOVE;
}

static void
retry_later (GTask *task,
             guint  delay_ms)
{
  PdPcClient *self = g_task_get_source_object (task);
  Request *request = task_request (task);

  self->stats.retries++;
  g_debug ("Retrying %s %s in %u ms", request->call.method, request->request_id, delay_ms);
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  if (delay_ms == 0)
    {
      enqueue (task, TRUE);
      return;
    }
  g_queue_push_tail (&self->waiting, task);
  request->wait_source = g_timeout_source_new (delay_ms);
  g_source_set_callback (request->wait_source, on_backoff_done, task, NULL);
  g_source_attach (request->wait_source, self->context);
}

/* base · 2^n, randomised to 50–150 % so that parallel requests do not retry in lockstep. */
static guint
jittered_backoff_ms (PdPcClient *self,
                     guint       n)
{
  double delay = (double) self->base_delay_ms * (double) (1u << MIN (n, 16u));

  delay *= g_random_double_range (0.5, 1.5);
  return (guint) MIN (delay, (double) MAX_BACKOFF_MS);
}

/* --- dispatching under the in-flight limit and the pacing -------------------------------- */

static gboolean
on_pace_timer (gpointer data)
{
  PdPcClient *self = data;

  g_clear_pointer (&self->pace_source, g_source_unref);
  dispatch (self);
  return G_SOURCE_REMOVE;
}

/* TRUE when a send may start now (and reserves the slot); else arms the pacing timer. */
static gboolean
pace_allows_send (PdPcClient *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 interval_us;

  if (self->rpm == 0)
    return TRUE;
  if (now < self->next_send_us)
    {
      if (self->pace_source == NULL)
        {
          guint wait_ms = (guint) ((self->next_send_us - now + 999) / 1000);
          self->pace_source = g_timeout_source_new (wait_ms);
          g_source_set_callback (self->pace_source, on_pace_timer, self, NULL);
          g_source_attach (self->pace_source, self->context);
        }
      return FALSE;
    }
  interval_us = G_USEC_PER_SEC * 60 / self->rpm;
  self->next_send_us = MAX (now, self->next_send_us) + interval_us;
  return TRUE;
}

static void
dispatch (PdPcClient *self)
{
  while (!g_queue_is_empty (&self->pending)
         && self->in_flight < MAX ((guint) self->limit, 1u)
         && pace_allows_send (self))
    {
      GTask *task = g_queue_pop_head (&self->pending);

      self->in_flight++;
      self->stats.max_in_flight_seen = MAX (self->stats.max_in_flight_seen, self->in_flight);
      start (task);
    }
  self->stats.in_flight_limit = MAX ((guint) self->limit, 1u);
}

static void
slot_done (PdPcClient *self)
{
  g_return_if_fail (self->in_flight > 0);
  self->in_flight--;
}

/* --- errors ------------------------------------------------------------------------- */

typedef struct {
  char *code;
  char *description;
  char *correlation_id;
  char *request_id;
} PdPcErrorPrivate;

static void
pd_pc_error_private_init (PdPcErrorPrivate *priv)
{
}

static void
pd_pc_error_private_copy (const PdPcErrorPrivate *src,
                          PdPcErrorPrivate       *dest)
{
  dest->code = g_strdup (src->code);
  dest->description = g_strdup (src->description);
  dest->correlation_id = g_strdup (src->correlation_id);
  dest->request_id = g_strdup (src->request_id);
}

static void
pd_pc_error_private_clear (PdPcErrorPrivate *priv)
{
  g_clear_pointer (&priv->code, g_free);
  g_clear_pointer (&priv->description, g_free);
  g_clear_pointer (&priv->correlation_id, g_free);
  g_clear_pointer (&priv->request_id, g_free);
}

/* GLib's macro casts a byte pointer to the private struct; clang's -Wcast-align flags it. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-align"
G_DEFINE_EXTENDED_ERROR (PdPcError, pd_pc_error)
#pragma GCC diagnostic pop

/* What Partner Center said about error, or NULL for no error or one of another domain. */
static const PdPcErrorPrivate *
error_details (const GError *error)
{
  if (error == NULL || error->domain != PD_PC_ERROR)
    return NULL;
  return pd_pc_error_get_private (error);
}

const char *
pd_pc_error_get_code (const GError *error)
{
  const PdPcErrorPrivate *priv = error_details (error);

  return priv != NULL ? priv->code : NULL;
}

const char *
pd_pc_error_get_description (const GError *error)
{
  const PdPcErrorPrivate *priv = error_details (error);

  return priv != NULL ? priv->description : NULL;
}

const char *
pd_pc_error_get_correlation_id (const GError *error)
{
  const PdPcErrorPrivate *priv = error_details (error);

  return priv != NULL ? priv->correlation_id : NULL;
}

const char *
pd_pc_error_get_request_id (const GError *error)
{
  const PdPcErrorPrivate *priv = error_details (error);

  return priv != NULL ? priv->request_id : NULL;
}

void
pd_pc_error_set_request_ids (GError     *error,
                             const char *correlation_id,
                             const char *request_id)
{
  PdPcErrorPrivate *priv;
  char *message;

  g_return_if_fail (error != NULL && error->domain == PD_PC_ERROR);
  priv = pd_pc_error_get_private (error);
  if (priv->request_id != NULL || (correlation_id == NULL && request_id == NULL))
    return;
  priv->correlation_id = g_strdup (correlation_id);
  priv->request_id = g_strdup (request_id);
  /* Translators: an error message, then the IDs Microsoft support asks for */
  message = g_strdup_printf (_("%s (correlation ID %s, request ID %s)"), error->message,
                             correlation_id ? correlation_id : "-",
                             request_id ? request_id : "-");
  g_free (error->message);
  error->message = message;
}

void
pd_pc_error_set_details (GError     *error,
                         const char *code,
                         const char *description)
{
  PdPcErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == PD_PC_ERROR);
  priv = pd_pc_error_get_private (error);
  g_free (priv->code);
  priv->code = g_strdup (code);
  g_free (priv->description);
  priv->description = g_strdup (description);
}

/* A server description is shown to the user; if it ever echoed a bearer token (a JWT starts
 * with "eyJ"), that part is cut. */
static char *
redact_tokens (const char *text)
{
  const char *jwt;

  if (text == NULL)
    return NULL;
  jwt = strstr (text, "eyJ");
  if (jwt == NULL)
    return g_strndup (text, 1024);
  return g_strdup_printf ("%.*s[redacted]", (int) MIN (jwt - text, 1024), text);
}

/* Partner Center codes that change the category of their status: an App+User token without
 * MFA (refused since April 2026, partner-center-api.md §13) and a stale etag (400/2055, "Etag
 * is no longer valid", the error-code list) are not the plain 401 and 400. */
static PdPcError
error_code_for (guint       status,
                const char *code)
{
  if (status == SOUP_STATUS_UNAUTHORIZED && g_strcmp0 (code, PD_PC_CODE_MFA_REQUIRED) == 0)
    return PD_PC_ERROR_MFA_REQUIRED;
  if (status == SOUP_STATUS_BAD_REQUEST && g_strcmp0 (code, PD_PC_CODE_ETAG_INVALID) == 0)
    return PD_PC_ERROR_CONFLICT;
  switch (status)
    {
    case 400: return PD_PC_ERROR_BAD_REQUEST;
    case 401: return PD_PC_ERROR_UNAUTHORIZED;
    case 403: return PD_PC_ERROR_FORBIDDEN;
    case 404: return PD_PC_ERROR_NOT_FOUND;
    /* An answer, however late: Partner Center can be reached, unlike a transport timeout
     * (PD_PC_ERROR_TIMEOUT). It is retried like a 5xx and ends as one. */
    case 408: return PD_PC_ERROR_SERVER;
    case 409: case 412: return PD_PC_ERROR_CONFLICT;
    case 429: return PD_PC_ERROR_THROTTLED;
    default:  return status >= 500 ? PD_PC_ERROR_SERVER : PD_PC_ERROR_FAILED;
    }
}

/* What to do about a refused token given in PARTNER_DESK_ACCESS_TOKEN: no sign-in renews
 * it. NULL for any other answer. */
static char *
env_token_summary_for (PdPcError category)
{
  if (category == PD_PC_ERROR_UNAUTHORIZED)
    return g_strdup (_("Partner Center refused the access token given in "
                       "PARTNER_DESK_ACCESS_TOKEN: it has expired or is not valid. Set a new "
                       "token, or unset the variable to use your sign-in."));
  if (category == PD_PC_ERROR_MFA_REQUIRED)
    return g_strdup (_("The access token given in PARTNER_DESK_ACCESS_TOKEN lacks "
                       "multi-factor authentication. Set a token from a sign-in with it."));
  return NULL;
}

static char *
summary_for (guint       status,
             const char *code)
{
  if (status == SOUP_STATUS_REQUEST_TIMEOUT)
    return g_strdup (_("Partner Center did not finish the request in time (HTTP 408). Try "
                       "again later."));
  switch (error_code_for (status, code))
    {
    case PD_PC_ERROR_MFA_REQUIRED:
      return g_strdup (_("Sign in again with multi-factor authentication."));
    case PD_PC_ERROR_BAD_REQUEST:
      return g_strdup (_("Partner Center rejected the request."));
    case PD_PC_ERROR_UNAUTHORIZED:
      return g_strdup (_("Partner Center refused the sign-in. Sign in again."));
    case PD_PC_ERROR_FORBIDDEN:
      return g_strdup (_("Partner Center denied access: your account may lack the Partner "
                         "Center role this needs."));
    case PD_PC_ERROR_NOT_FOUND:
      return g_strdup (_("Partner Center does not know this item."));
    case PD_PC_ERROR_CONFLICT:
      return g_strdup (_("This was changed in Partner Center in the meantime."));
    case PD_PC_ERROR_THROTTLED:
      return g_strdup (_("Partner Center is limiting the number of requests. Try again in a "
                         "few minutes."));
    case PD_PC_ERROR_SERVER:
      return g_strdup_printf (_("Partner Center had a server error (HTTP %u). Try again "
                                "later."), status);
    default:
      return g_strdup_printf (_("Partner Center answered with an unexpected status (HTTP %u)."),
                              status);
    }
}

/* env_token: the request carried PARTNER_DESK_ACCESS_TOKEN (its refusal says so). */
static GError *
error_from_answer (guint       status,
                   const char *body,
                   gsize       body_len,
                   gboolean    env_token)
{
  g_autofree char *code = NULL;
  g_autofree char *raw_description = NULL;
  g_autofree char *description = NULL;
  g_autofree char *summary = NULL;
  PdPcError category;
  GError *error;

  if (body != NULL && body_len > 0)
    pd_pc_json_parse_error_body (body, body_len, &code, &raw_description);
  category = error_code_for (status, code);
  summary = env_token ? env_token_summary_for (category) : NULL;
  if (summary == NULL)
    summary = summary_for (status, code);
  description = redact_tokens (raw_description);
  if (description != NULL && code != NULL)
    error = g_error_new (PD_PC_ERROR, category, _("%s Partner Center says: “%s” (code %s)."),
                         summary, description, code);
  else if (description != NULL)
    error = g_error_new (PD_PC_ERROR, category, _("%s Partner Center says: “%s”."), summary,
                         description);
  else if (code != NULL)
    error = g_error_new (PD_PC_ERROR, category, _("%s (code %s)"), summary, code);
  else
    error = g_error_new_literal (PD_PC_ERROR, category, summary);
  pd_pc_error_set_details (error, code, description);
  return error;
}

GError *
pd_pc_error_from_response (guint       status,
                           const char *body,
                           gsize       body_len)
{
  return error_from_answer (status, body, body_len, FALSE);
}

/* Transport failures: timeouts and dropped or refused connections may pass; TLS problems
 * will not, so they are not retried. */
static GError *
error_from_transport (const GError *cause,
                      gboolean     *retryable)
{
  *retryable = cause->domain != G_TLS_ERROR;
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new_literal (PD_PC_ERROR, PD_PC_ERROR_TIMEOUT,
                                _("Partner Center did not answer in time."));
  if (cause->domain == G_TLS_ERROR)
    return g_error_new (PD_PC_ERROR, PD_PC_ERROR_NETWORK,
                        _("The secure connection to Partner Center failed: %s"),
                        cause->message);
  return g_error_new (PD_PC_ERROR, PD_PC_ERROR_NETWORK,
                      _("Could not reach Partner Center: %s"), cause->message);
}

gint64
pd_pc_parse_retry_after (const char *value)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  char *end = NULL;
  gint64 seconds;

  if (value == NULL || *value == '\0')
    return -1;
  seconds = g_ascii_strtoll (value, &end, 10);
  if (end != value && *end == '\0')
    return CLAMP (seconds, 0, MAX_RETRY_AFTER_S);
  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  seconds = g_date_time_difference (when, now) / G_USEC_PER_SEC;
  return CLAMP (seconds, 0, MAX_RETRY_AFTER_S);
}

/* --- sending ----------------------------------------------------------------------- */

static void
add_headers (Request    *request,
             PdPcClient *self,
             const char *token)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (request->message);
  g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);

  soup_message_headers_replace (headers, "Authorization", bearer);
  pd_auth_wipe_secret (bearer);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_headers_replace (headers, "MS-RequestId", request->request_id);
  soup_message_headers_replace (headers, "MS-CorrelationId", self->correlation_id);
  soup_message_headers_replace (headers, "X-Locale", self->locale);
  soup_message_headers_replace (headers, "MS-PartnerCenter-Application", "Partner Desk");
  /* No request is sent on a kept-alive connection. When the server closes one before it
   * answers, libsoup sends an idempotent request again by itself, and its first attempt's
   * completion, run after the second attempt has begun, finishes the message under it: a NULL
   * pointer in run_until_read_done. A sync with 4 requests in flight died so every time one
   * answer in ten was dropped (/cli/http/sync-dropped-connections), with libsoup 3.2.3
   * (Debian 12's) and 3.6.5 (the GNOME runtime's) alike; master's code is the same. Our own
   * retries (pd_pc_retry) do what that resend did. Each request costs a TCP and TLS handshake;
   * Partner Center's rate limit, not that, sets a sync's pace. */
  soup_message_headers_replace (headers, "Connection", "close");
  if (request->call.if_match != NULL)
    soup_message_headers_replace (headers, "If-Match", request->call.if_match);
  for (guint i = 0; request->call.headers && i + 1 < request->call.headers->len; i += 2)
    {
      const char *key = g_ptr_array_index (request->call.headers, i);

      /* A next link may carry MS-ContinuationToken; it may not replace our own headers. */
      if (g_ascii_strcasecmp (key, "Authorization") == 0 || g_ascii_strcasecmp (key, "Host") == 0)
        continue;
      soup_message_headers_replace (headers, key, g_ptr_array_index (request->call.headers, i + 1));
    }
}

static void
append_header (const char *name,
               const char *value,
               gpointer    data)
{
  GString *line = data;

  /* The one header that must never reach a log. */
  if (g_ascii_strcasecmp (name, "Authorization") == 0)
    value = "[redacted]";
  g_string_append_printf (line, " %s: %s;", name, value);
}

/* Only built when debug output is on for this domain (G_MESSAGES_DEBUG). */
static void
log_request (Request *request)
{
  g_autoptr(GString) line = NULL;

  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN)
      || g_log_get_debug_enabled ())
    {
      line = g_string_new (NULL);
      soup_message_headers_foreach (soup_message_get_request_headers (request->message),
                                    append_header, line);
      g_debug ("> %s %s%s", request->call.method, request->call.url, line->str);
    }
}

/* A 2xx answer: parse it; an unreadable answer to an idempotent call is retried. */
static void
handle_success (GTask  *task,
                GBytes *body)
{
  PdPcClient *self = g_task_get_source_object (task);
  Request *request = task_request (task);
  g_autoptr(GError) error = NULL;
  gpointer result;

  self->limit = MIN (self->limit + 1.0 / self->limit, (double) self->max_in_flight);
  if (request->call.parse == NULL)
    {
      succeed (task, g_bytes_ref (body));
      return;
    }
  result = request->call.parse (body, request->call.parse_data, &error);
  if (result != NULL)
    {
      succeed (task, result);
      return;
    }
  if ((request->call.flags & PD_PC_REQUEST_IDEMPOTENT) && request->failures < self->max_retries)
    {
      retry_later (task, jittered_backoff_ms (self, request->failures++));
      return;
    }
  fail_sent (task, g_steal_pointer (&error));
}

static void
handle_throttled (GTask      *task,
                  const char *body,
                  gsize       body_len)
{
  PdPcClient *self = g_task_get_source_object (task);
  Request *request = task_request (task);
  const char *header = soup_message_headers_get_one (
    soup_message_get_response_headers (request->message), "Retry-After");
  gint64 retry_after = pd_pc_parse_retry_after (header);
  guint64 backoff_ms;

  self->stats.throttled++;
  self->limit = MAX (self->limit / 2.0, 1.0);
  if (request->throttles >= MAX (self->max_retries, MIN_THROTTLE_RETRIES))
    {
      fail_sent (task, pd_pc_error_from_response (429, body, body_len));
      return;
    }
  /* First wait what the server asks. When throttled again, back off exponentially from that
   * first Retry-After (bounded), and never less than what the server asks now. */
  if (request->retry_after_s == 0 && retry_after > 0)
    request->retry_after_s = retry_after;
  if (request->retry_after_s > 0)
    backoff_ms = MIN ((guint64) request->retry_after_s * 1000 << MIN (request->throttles, 6u),
                      (guint64) MAX_BACKOFF_MS);
  else
    backoff_ms = jittered_backoff_ms (self, request->throttles);
  backoff_ms = MAX (backoff_ms, (guint64) MAX (retry_after, 0) * 1000);
  backoff_ms = MIN (backoff_ms, (guint64) MAX_RETRY_AFTER_S * 1000);
  request->throttles++;
  /* A wait of seconds with nothing moving: a sync says why (whole seconds, rounded up). */
  g_signal_emit (self, pd_pc_client_throttled_signal, 0, (guint) ((backoff_ms + 999) / 1000));
  retry_later (task, (guint) backoff_ms);
}

/* The Partner Center code of an error answer, or NULL. */
static char *
answer_code (guint       status,
             const char *data,
             gsize       len)
{
  char *code = NULL;

  if (SOUP_STATUS_IS_SUCCESSFUL (status) || data == NULL)
    return NULL;
  pd_pc_json_parse_error_body (data, len, &code, NULL);
  return code;
}

static gboolean
is_end_of_paging (Request    *request,
                  guint       status,
                  const char *code)
{
  if (!(request->call.flags & PD_PC_REQUEST_NEXT_PAGE))
    return FALSE;
  return status == SOUP_STATUS_NO_CONTENT
         || (status == SOUP_STATUS_BAD_REQUEST && g_strcmp0 (code, "2000") == 0);
}

static void
handle_status (GTask  *task,
               guint   status,
               GBytes *body)
{
  PdPcClient *self = g_task_get_source_object (task);
  Request *request = task_request (task);
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;
  g_autofree char *code = answer_code (status, data, len);

  if (is_end_of_paging (request, status, code))
    succeed (task, NULL);
  else if (SOUP_STATUS_IS_SUCCESSFUL (status))
    handle_success (task, body);
  /* A refreshed token keeps the sign-in's missing MFA claim: only a new sign-in helps. */
  else if (status == SOUP_STATUS_UNAUTHORIZED && !request->reauthed && self->auth != NULL
           && g_strcmp0 (code, PD_PC_CODE_MFA_REQUIRED) != 0)
    {
      /* The token may have been revoked or expired early: refresh once, then give up. */
      request->reauthed = TRUE;
      pd_auth_invalidate_access_token (self->auth);
      retry_later (task, 0);
    }
  else if (status == 429)
    handle_throttled (task, data, len);
  else if ((status >= 500 || status == SOUP_STATUS_REQUEST_TIMEOUT)
           && request->failures < self->max_retries)
    retry_later (task, jittered_backoff_ms (self, request->failures++));
  else
    fail_sent (task, error_from_answer (status, data, len, self->auth != NULL
                                        && pd_auth_get_token_from_environment (self->auth)));
}

/* No answer at all: cancelled, or a transport failure that may be retried. */
static void
handle_transport_failure (GTask  *task,
                          GError *error)
{
  PdPcClient *self = g_task_get_source_object (task);
  Request *request = task_request (task);
  gboolean retryable = FALSE;
  GError *mapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      fail (task, g_error_copy (error));
      return;
    }
  mapped = error_from_transport (error, &retryable);
  g_debug ("< %s %s: %s", request->call.method, request->request_id, error->message);
  if (retryable && request->failures < self->max_retries)
    {
      g_error_free (mapped);
      retry_later (task, jittered_backoff_ms (self, request->failures++));
    }
  else
    fail_sent (task, mapped);
}

static void
on_response (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  GTask *task = data;
  /* Finishing the task may drop the last reference to the client; dispatch() follows. */
  g_autoptr(PdPcClient) self = g_object_ref (g_task_get_source_object (task));
  Request *request = task_request (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);

  slot_done (self);
  if (body == NULL)
    handle_transport_failure (task, error);
  else
    {
      guint status = soup_message_get_status (request->message);

      g_debug ("< %s %s: %u (%" G_GSIZE_FORMAT " bytes)", request->call.method,
               request->request_id, status, g_bytes_get_size (body));
      handle_status (task, status, body);
    }
  dispatch (self);
}

static void
send_with_token (GTask      *task,
                 const char *token)
{
  PdPcClient *self = g_task_get_source_object (task);
  Request *request = task_request (task);

  g_clear_object (&request->message);
  request->message = soup_message_new (request->call.method, request->call.url);
  if (request->message == NULL)
    {
      /* Failing may drop the task's reference to the client; dispatch() follows. */
      g_object_ref (self);
      slot_done (self);
      fail (task, g_error_new (PD_PC_ERROR, PD_PC_ERROR_FAILED,
                               _("The Partner Center address is not valid.")));
      dispatch (self);
      g_object_unref (self);
      return;
    }
  add_headers (request, self, token);
  if (request->call.body != NULL)
    soup_message_set_request_body_from_bytes (request->message, "application/json",
                                              request->call.body);
  self->stats.requests++;
  log_request (request);
  soup_session_send_and_read_async (self->session, request->message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_response, task);
}

/* Sign-in problems reach the caller as PD_PC_ERROR: "sign in again" unless the login
 * service could not be reached. */
static GError *
error_from_auth (GError *cause)
{
  GError *error;

  if (cause->domain == PD_PC_ERROR || g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (cause);
  /* Not reaching the login service is a network problem, not a reason to sign in again. */
  if (g_error_matches (cause, PD_AUTH_ERROR, PD_AUTH_ERROR_FAILED))
    error = g_error_new (PD_PC_ERROR, PD_PC_ERROR_NETWORK, "%s", cause->message);
  else
    error = g_error_new (PD_PC_ERROR, PD_PC_ERROR_UNAUTHORIZED, "%s", cause->message);
  return error;
}

static void
on_token (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  GTask *task = data;
  g_autoptr(PdPcClient) self = g_object_ref (g_task_get_source_object (task));
  g_autoptr(GError) error = NULL;
  g_autofree char *token = pd_auth_get_access_token_finish (PD_AUTH (source), result, &error);

  if (token == NULL)
    {
      slot_done (self);
      fail (task, error_from_auth (error));
      dispatch (self);
      return;
    }
  send_with_token (task, token);
  pd_auth_wipe_secret (token);
}

static void
start (GTask *task)
{
  PdPcClient *self = g_task_get_source_object (task);

  if (self->auth == NULL)
    {
      send_with_token (task, "");
      return;
    }
  pd_auth_get_access_token_async (self->auth, g_task_get_cancellable (task), on_token, task);
}

void
pd_pc_request_send_async (PdPcClient          *self,
                          PdPcCall            *call,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);

  g_task_set_source_tag (task, pd_pc_request_send_async);
  request->call = *call;
  memset (call, 0, sizeof *call);
  request->request_id = g_uuid_string_random ();
  request->client = g_object_ref (self);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  /* Not NOT_FOUND: no request was made, so Partner Center said nothing (a 404 marks a customer
   * removed, or not readable). */
  if (request->call.url == NULL)
    {
      g_task_return_new_error (task, PD_PC_ERROR, PD_PC_ERROR_FAILED, "%s",
                               _("Not an ID Partner Center can be asked about (“.” or “..”)."));
      g_object_unref (task);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  request->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  watch_cancellable (self, cancellable);
  /* The queue holds the task's own reference until it finishes. */
  enqueue (task, FALSE);
}

gpointer
pd_pc_request_send_finish (PdPcClient    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
pd_pc_request_init (PdPcClient *self)
{
  g_queue_init (&self->pending);
  g_queue_init (&self->waiting);
  self->watches = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, g_free);
  self->context = g_main_context_ref_thread_default ();
}

void
pd_pc_request_shutdown (PdPcClient *self)
{
  if (self->pace_source)
    g_source_destroy (self->pace_source);
  g_clear_pointer (&self->pace_source, g_source_unref);
  /* Every call holds a reference on the client: none is left by now. */
  g_clear_pointer (&self->watches, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
}
