/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-simulator-private.h — what pd-simulator.c (server, knobs, admin) and pd-sim-api.c (the
 * Partner Center resources) share. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pd-sim-auth.h"
#include "pd-sim-data.h"
#include "pd-simulator.h"

G_BEGIN_DECLS

/* Error codes of classic bodies that partner-center-api.md does not name. */
#define PD_SIM_CODE_END_OF_PAGING   2000   /* documented: "all records fetched" */
#define PD_SIM_CODE_BAD_TOKEN       2001   /* continuation token expired or invalid */
#define PD_SIM_CODE_TENANT_NOT_FOUND 60003 /* documented */
#define PD_SIM_CODE_PHONE_REQUIRED  600051 /* documented */
#define PD_SIM_CODE_ETAG_INVALID    2055   /* documented: "Etag is no longer valid" (400) */
#define PD_SIM_CODE_MFA_REQUIRED    "900421" /* 401: App+User token without MFA (2026) */
#define PD_SIM_CODE_NO_RELATIONSHIP 20002  /* documented 403: no relationship / access */

struct _PdSimulator
{
  GObject             parent_instance;

  PdSimulatorOptions  options;
  char               *token;           /* options.token points here */
  PdSimData          *data;
  PdSimAuth          *auth;
  SoupServer         *server;
  GMainContext       *context;         /* thread-default at start: the server's and timers' */
  char               *base_url;

  PdSimRng            fault_rng;
  PdSimRng            latency_rng;
  PdSimRng            mutate_rng;

  gint64              window_start_us; /* rpm: fixed window (rate_window_ms), monotonic */
  guint               window_count;
  guint               throttle_countdown; /* >0: the request it counts down to gets a 429 */
  guint               throttle_retry_after_s; /* asking to wait this long */

  guint               conflict_status; /* 412 (default), 409, or 400 (code 2055) */
  guint               account_review_ms; /* how long a changed account stays Under review */
  GHashTable         *review_until;    /* tenant id → gint64* real time (µs) review ends */
  gboolean            mfa_missing;     /* every API call: 401 {code: "900421"} */
  PdSimNextLinkStyle  next_link_style;
  gboolean            short_bodies;    /* Content-Length longer than the body sent */
  gboolean            short_put_bodies; /* the same for the answers to PUTs only */
  gboolean            empty_pages;     /* an empty page with a next link before each next one */
  guint               cut_listing_after; /* a next request past this many items ends the list */
  guint               cut_reseller_listings_after; /* the same for one reseller's list only */
  gboolean            resellers_forbidden; /* GET /relationships: 403 */
  gboolean            audit_forbidden;     /* GET /auditrecords: 403 */
  guint               continuation_ttl_s;
  gint64              tokens_valid_from_ms; /* continuation tokens issued before: expired */
  gboolean            expire_tokens_on_mutation;

  GHashTable         *refusals;        /* tenant id (lower case) → Refusal (pd_sim_refusal) */
  GHashTable         *by_endpoint;     /* "GET /v1/customers" → count */
  GHashTable         *put_replies;     /* "MS-RequestId|customer" → answer of a done PUT */
  PdSimRng            ids_rng;         /* MS-CorrelationId, MS-CV when the client sent none */
  guint64             requests;
  guint64             throttled;
  guint64             faults[4];       /* by PdSimFault */
  GList              *pending;         /* Pending deliveries (latency) */
};

typedef struct {
  guint   status;
  char   *body;                        /* NULL = no body */
  gsize   length;
  char   *retry_after;
  gboolean www_authenticate;
  gboolean short_body;                 /* sent by hand with a longer Content-Length */
} PdSimResponse;

typedef struct {
  const char         *method;
  char              **segments;        /* path below /v1, split at '/' */
  GHashTable         *query;           /* may be NULL */
  SoupMessageHeaders *headers;
  GBytes             *body;
  gint64              now_us;
} PdSimRequest;

/* The status that refuses a read of tenant_id's resource (pd_simulator_set_refusal), or 0:
 * a refusal of the whole customer refuses its billing profile too. */
guint       pd_sim_refusal_status (PdSimulator *self, const char *tenant_id,
                                   PdSimRefuseScope resource);
void        pd_sim_response_clear (PdSimResponse *resp);
const char *pd_sim_next_link_style_name (PdSimNextLinkStyle style);
/* Takes `body`. */
void        pd_sim_response_json  (PdSimResponse *resp, guint status, char *body);
void        pd_sim_response_error (PdSimResponse *resp, guint status, gint64 code,
                                   const char *description);

/* The answer (JSON) to GET|POST /_simulator/<name>; NULL with G_IO_ERROR_NOT_FOUND for an
 * unknown endpoint, another error for a bad body. */
char       *pd_sim_admin_answer   (PdSimulator *self, const char *method, const char *name,
                                   const char *body, GError **error);

/* Serves one authenticated /v1 request. */
void        pd_sim_api_handle     (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp);
/* "GET /v1/customers/{id}" etc., for the statistics. */
const char *pd_sim_api_endpoint   (const char *method, char **segments);
/* Parses a JSON object body; NULL (and error) when it is not one. */
JsonObject *pd_sim_parse_object   (const char *text, gsize length, GError **error);
/* Member of `object` whose name matches case-insensitively, or NULL. */
JsonNode   *pd_sim_member         (JsonObject *object, const char *name);

G_END_DECLS
