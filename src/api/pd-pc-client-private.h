/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-pc-client-private.h — what pd-pc-client.c (endpoints, paging) and pd-pc-request.c
 * (queue, pacing, retries, error mapping) share. Not part of the public contract. */
#pragma once

#include <libsoup/soup.h>

#include "pd-pc-client.h"
#include "pd-pc-json.h"

G_BEGIN_DECLS

/* libsoup queues requests beyond max-conns-per-host itself; the session is built with room
 * for the largest in-flight limit so that PdPcClient's own queue is the only one. */
#define PD_PC_MAX_IN_FLIGHT_CAP 64

struct _PdPcClient
{
  GObject      parent_instance;

  char        *base_url;        /* without a trailing slash */
  PdAuth      *auth;
  SoupSession *session;
  char        *correlation_id;
  char        *locale;

  /* Adaptive in-flight limit (AIMD): halved on 429, +1/limit per success. */
  guint        max_in_flight;
  double       limit;
  guint        in_flight;
  GQueue       pending;         /* GTask* waiting for a slot or for pacing */
  GQueue       waiting;         /* GTask* waiting out a backoff before a retry */
  GHashTable  *watches;         /* GCancellable* → its "cancelled" handler, shared */
  gint         sweep_scheduled; /* atomic: a sweep of cancelled calls is queued */
  GMainContext *context;        /* thread-default context at construction: timers go there */

  /* Requests-per-minute pacing: one send every 60 s / rpm, no bursts. */
  guint        rpm;
  gint64       next_send_us;    /* monotonic time the next send may start */
  GSource     *pace_source;

  guint        max_retries;
  guint        base_delay_ms;

  PdPcStats    stats;
};

typedef enum {
  PD_PC_REQUEST_DEFAULT     = 0,
  /* A links.next request: 204 and 400/code 2000 mean "no more pages" (result NULL). */
  PD_PC_REQUEST_NEXT_PAGE   = 1 << 0,
  /* Safe to repeat after a response that could not be parsed. */
  PD_PC_REQUEST_IDEMPOTENT  = 1 << 1,
} PdPcRequestFlags;

/* The id of the "throttled" signal (pd-pc-client.h), emitted by pd-pc-request.c. */
extern guint pd_pc_client_throttled_signal;

/* Turns a 2xx body into the call's result (NULL + error when it cannot). */
typedef gpointer (*PdPcParseFunc) (GBytes   *body,
                                   gpointer  parse_data,
                                   GError  **error);

typedef struct {
  const char       *method;      /* static string */
  char             *url;         /* absolute */
  GBytes           *body;        /* JSON or NULL */
  char             *if_match;    /* already quoted, or NULL */
  GPtrArray        *headers;     /* extra headers, flattened key, value, … (or NULL) */
  PdPcRequestFlags  flags;
  PdPcParseFunc     parse;       /* NULL: the result is the body GBytes itself */
  gpointer          parse_data;
  GDestroyNotify    result_free;
} PdPcCall;

/* Takes ownership of call's url, body, if_match and headers. The result is what parse
 * returned (NULL for an end-of-paging answer to a NEXT_PAGE call). */
void     pd_pc_request_send_async  (PdPcClient          *self,
                                    PdPcCall            *call,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gpointer pd_pc_request_send_finish (PdPcClient    *self,
                                    GAsyncResult  *result,
                                    GError       **error);

/* Queue set-up (from init) and tear-down (from dispose). */
void     pd_pc_request_init        (PdPcClient *self);
void     pd_pc_request_shutdown    (PdPcClient *self);

/* A PD_PC_ERROR for an HTTP answer: the category from the status, the Partner Center code
 * and description from the body (any shape of §2). Exposed for the tests. */
GError  *pd_pc_error_from_response (guint        status,
                                    const char  *body,
                                    gsize        body_len);
/* Sets the code and description carried by a PD_PC_ERROR. */
void     pd_pc_error_set_details   (GError      *error,
                                    const char  *code,
                                    const char  *description);
/* Records the IDs of the failed request on a PD_PC_ERROR and appends them to its message
 * (once: an error that has them keeps them). */
void     pd_pc_error_set_request_ids (GError     *error,
                                      const char *correlation_id,
                                      const char *request_id);

/* base + the path of a links.next uri, with any number of leading "/v1/" collapsed into one
 * (the /v1//v1/ pitfall). Absolute URIs keep only their path and query: the token is never
 * sent to a host other than base's. Exposed for the tests. */
/* The URL of a customer's resource: <base>/v1/customers/<tenant_id, escaped><below> (below
 * "" for the customer itself, else "/profiles/billing" and the like). */
char    *pd_pc_customer_url        (PdPcClient *self,
                                    const char *tenant_id,
                                    const char *below);
char    *pd_pc_resolve_next_uri    (const char *base_url,
                                    const char *next_uri);

/* Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or -1. */
gint64   pd_pc_parse_retry_after   (const char *value);

/* For the tests: the X-Locale header sent (default "en-US"), and retry tuning (defaults: 4
 * retries, 500 ms base backoff). */
void     pd_pc_client_set_locale       (PdPcClient *self, const char *locale);
void     pd_pc_client_set_retry_policy (PdPcClient *self, guint max_retries, guint base_delay_ms);

G_END_DECLS
