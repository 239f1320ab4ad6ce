/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-simulator.h — a Partner Center on loopback (SoupServer) for the demo, tests and
 * benchmarks. It speaks the API as partner-center-api.md documents it, quirks included, plus
 * the login authority's device code and token endpoints.
 *
 * Quirks and choices that partner-center-api.md leaves open (clients must cope with them):
 * - an expired or forged continuation token gets 400 with a classic body, code 2001; a "next"
 *   request without a token gets 400 {code: 2000} (what Microsoft's raw-REST tool reads as
 *   "all records fetched");
 * - a PUT of the billing profile needs the current etag in If-Match and/or attributes.etag
 *   (each one sent must match); keys are matched case-insensitively;
 * - 401 bodies are classic: code 800001 (a number) when no token was sent, "900432" (a string)
 *   for a bad or expired one, "900421" for a token without MFA (see set_mfa_missing);
 * - PUT validation failures use the newer body {code, message, errorName, isRetryable, …}:
 *   600051 (phone required, documented), 600012 / 600013 (company name missing, country
 *   changed: made up here);
 * - a PUT repeated with the same MS-RequestId gets the first answer again (idempotency key);
 * - device code test hooks: client_id "decline", "expire", "no-mfa" (see pd-sim-auth.h);
 *   device codes and refresh tokens are bound to their client_id; the verification URI is
 *   BASE/devicelogin; the polling interval is 1 s (Entra says 5).
 * Not thread-safe: call it on the thread whose thread-default main context was current at
 * pd_simulator_start() (its server and latency timers run there).
 * Admin endpoints on the same port (never slowed, throttled or faulted):
 *   POST /_simulator/mutate, GET /_simulator/stats, GET|POST /_simulator/knobs (also
 *   {"refuseBillingProfiles": {"<id>": 403}, "refuseCustomers": {"<id>": 404}}),
 *   POST /_simulator/expire-continuation-tokens.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  PD_SIM_END_BY_MISSING_NEXT,     /* last page has no links.next (default) */
  PD_SIM_END_BY_EMPTY_TOKEN,      /* last page has a next link but an empty continuationToken */
  PD_SIM_END_BY_400_2000,         /* a next page request answered 400 {code:2000} */
  PD_SIM_END_BY_204,              /* a next page request answered 204 No Content */
} PdSimEndOfPaging;

/* How next links are written besides next_link_with_v1 (partner-center-api.md §3, §11). */
typedef enum {
  PD_SIM_NEXT_LINK_RELATIVE,      /* "/customers?…&seekOperation=Next" (default) */
  PD_SIM_NEXT_LINK_ABSOLUTE,      /* "https://api.partnercenter.microsoft.com/v1/customers?…" */
  PD_SIM_NEXT_LINK_BARE,          /* "customers?…&seek_operation=Next": no leading "/", the
                                   * snake_case parameter of the docs' utilization sample */
} PdSimNextLinkStyle;

typedef struct {
  guint            n_customers;     /* default 2500 */
  guint64          seed;            /* default 1 */
  guint            latency_ms;
  guint            jitter_ms;
  guint            rpm;             /* 0 = unlimited; above it: 429 + Retry-After */
  guint            rate_window_ms;  /* the window rpm counts in (default 60000; 0 = 60000):
                                     * tests shorten it so as not to wait out a minute */
  double           fault_rate;      /* 0..1: 500s, dropped connections, truncated/malformed */
  guint            page_size_cap;   /* 0 = honour size up to 500 */
  const char      *token;           /* extra accepted bearer token, may be NULL */
  PdSimEndOfPaging end_of_paging;
  gboolean         next_link_with_v1; /* next links carry "/v1/customers…" (else "/customers…") */
  guint            approve_after_ms;  /* device code approval delay (default 1000) */
  guint            n_resellers;       /* indirect resellers (default 5) */
} PdSimulatorOptions;

void pd_simulator_options_init (PdSimulatorOptions *options);
/* "missing-next", "empty-token", "400-2000", "204" (the --end-of-paging names). */
gboolean pd_sim_end_of_paging_from_string (const char *text, PdSimEndOfPaging *out);

#define PD_TYPE_SIMULATOR (pd_simulator_get_type ())
G_DECLARE_FINAL_TYPE (PdSimulator, pd_simulator, PD, SIMULATOR, GObject)

/* (transfer full) */
PdSimulator *pd_simulator_new            (const PdSimulatorOptions *options);
/* Listens on 127.0.0.1:port (0 = any) on the thread-default main context. */
gboolean     pd_simulator_start          (PdSimulator *self, guint port, GError **error);
/* "http://127.0.0.1:PORT" (the API base; the login authority is BASE/organizations).
 * (transfer none) */
const char  *pd_simulator_get_base_url   (PdSimulator *self);
/* (transfer full) */
char        *pd_simulator_dup_login_url  (PdSimulator *self);
/* The partner tenant id the simulator's tokens carry. (transfer none) */
const char  *pd_simulator_get_partner_tenant_id (PdSimulator *self);

/* Knobs that may change while running. */
void         pd_simulator_set_latency    (PdSimulator *self, guint latency_ms, guint jitter_ms);
void         pd_simulator_set_rpm        (PdSimulator *self, guint rpm);
/* Length of the fixed window the rpm limit counts requests in (0 = the default 60 s); the
 * Retry-After of a 429 is what is left of it, in whole seconds rounded up. */
void         pd_simulator_set_rate_window (PdSimulator *self, guint window_ms);
/* The API request after the next n_admitted ones is answered 429 with Retry-After:
 * retry_after_s (at least 1), once, however fast they come (a rate window throttles only a
 * client fast enough to fill it). */
void         pd_simulator_throttle_request_after (PdSimulator *self, guint n_admitted,
                                                  guint retry_after_s);
void         pd_simulator_set_fault_rate (PdSimulator *self, double fault_rate);
void         pd_simulator_set_end_of_paging (PdSimulator *self, PdSimEndOfPaging how);
void         pd_simulator_set_next_link_with_v1 (PdSimulator *self, gboolean with_v1);
void         pd_simulator_set_next_link_style (PdSimulator *self, PdSimNextLinkStyle style);
/* "relative", "absolute", "bare" (the knob's names). */
gboolean     pd_sim_next_link_style_from_string (const char *text, PdSimNextLinkStyle *out);
/* When TRUE, every API answer with a body sends only its first half under a Content-Length
 * that counts all of it, then closes the connection: a proxy that cut the answer. */
void         pd_simulator_set_short_bodies (PdSimulator *self, gboolean short_bodies);
/* The same for the answers to PUTs only, which are applied all the same: a change Partner
 * Center made whose answer the client never reads whole. */
void         pd_simulator_set_short_put_bodies (PdSimulator *self, gboolean short_put_bodies);
/* When TRUE, every "next" request of a listing (customers, activity log) that has more to
 * give is first answered by an empty page (items [], totalCount 0) whose next link resumes at
 * the same place, as the service sends in the middle of a listing now and then. Microsoft's
 * SDK follows a next link whatever the page held (BaseResourceCollectionEnumerator.IsLastPage
 * looks at links.next only). */
void         pd_simulator_set_empty_pages (PdSimulator *self, gboolean empty_pages);
/* A next-page request that resumes after n_items or more items of a list is answered with the
 * end-of-paging signal (400/2000 or 204, as end_of_paging selects; no effect with the others),
 * as if the list ended there: a list cut short (0: never). */
void         pd_simulator_set_cut_listing_after (PdSimulator *self, guint n_items);
/* The same for the lists of one indirect reseller's customers only (the IndirectReseller
 * filter): the whole customer list is not cut (0: as pd_simulator_set_cut_listing_after). */
void         pd_simulator_set_cut_reseller_listings_after (PdSimulator *self, guint n_items);
void         pd_simulator_set_page_size_cap (PdSimulator *self, guint page_size_cap);
void         pd_simulator_set_approve_after (PdSimulator *self, guint approve_after_ms);
/* Lifetime of issued access tokens (default 3599 s): expired ones get 401. */
void         pd_simulator_set_token_lifetime (PdSimulator *self, guint seconds);
/* Microsoft's sign-in fails every token request with status: 400 refuses the application
 * itself (unauthorized_client, AADSTS700016: its registration deleted or disabled), another
 * (503) is an outage (temporarily_unavailable). 0: none fails. */
void         pd_simulator_set_token_failure (PdSimulator *self, guint status);
/* Status of a PUT with a stale etag: 412 (default), 409, or 400 with code 2055 ("Etag is no
 * longer valid", in Partner Center's error-code list). */
void         pd_simulator_set_conflict_status (PdSimulator *self, guint status);
/* A billing profile PUT that changes the company name or the address puts the customer's
 * account Under review for review_ms (default 60 s; 0: never), as Microsoft's account
 * verification does; GET …/validationStatus?type=account answers UnderReview, then Allowed. */
void         pd_simulator_set_account_review (PdSimulator *self, guint review_ms);
/* When TRUE, the list of indirect resellers (GET /relationships) is refused with 403, as to a
 * user whose role may not read it; their per-reseller customer listings still answer. */
void         pd_simulator_set_resellers_forbidden (PdSimulator *self, gboolean forbidden);
/* When TRUE, the activity log (GET /auditrecords) is refused with 403, as to a user whose
 * role may not read it. */
void         pd_simulator_set_audit_forbidden (PdSimulator *self, gboolean forbidden);
/* When TRUE, every API call is refused as from a token without MFA: 401 {code: "900421"}
 * (App+User calls since April 2026). Tokens whose JWT amr lacks "mfa" always are. */
void         pd_simulator_set_mfa_missing (PdSimulator *self, gboolean missing);
/* Continuation tokens expire after this long (default 600 s) → 400 {code: 2001}; 0: at once,
 * so that every next-page request gets 2001 (tests). */
void         pd_simulator_set_continuation_token_ttl (PdSimulator *self, guint seconds);
/* When TRUE, every mutation expires the continuation tokens issued before it (a listing
 * running across a change must start again). Default FALSE. */
void         pd_simulator_set_expire_tokens_on_mutation (PdSimulator *self, gboolean expire);
/* Every continuation token issued so far is expired from now on. */
void         pd_simulator_expire_continuation_tokens (PdSimulator *self);

/* What a refusal covers: the billing profile only (GET …/profiles/billing answers the status,
 * GET /customers/{id} leaves billingProfile out), or the whole customer (GET /customers/{id}
 * and its billing profile answer the status). The listing still lists the customer. */
typedef enum {
  PD_SIM_REFUSE_BILLING_PROFILE,
  PD_SIM_REFUSE_CUSTOMER,        /* the customer and its billing profile */
  PD_SIM_REFUSE_RELATIONSHIPS,   /* its resellers (GET /customers/{id}/relationships) only */
} PdSimRefuseScope;
/* Refuses reads of tenant_id's resources (scope) with status: 403 {code: 20002}, as a
 * partner role or GDAP relationship without billing access gets, 404 {code: 60003}, or a 5xx
 * (a server fault that lasts, {code: status}); status 0 ends the refusal. Every other status
 * is taken as 403. */
void         pd_simulator_set_refusal    (PdSimulator      *self,
                                          const char       *tenant_id,
                                          PdSimRefuseScope  scope,
                                          guint             status);
void         pd_simulator_clear_refusals (PdSimulator *self);
/* Changes tenant_id's billing profile in Partner Center, as someone editing it there would (a
 * new etag, an audit record; no account review). keys_values: key, value, …, NULL; keys as
 * the profile names them ("country", "city", "postalCode", "addressLine1", "phoneNumber",
 * "culture", …: an address key before a contact key of the same name), a NULL value removes
 * the field. FALSE when the customer or a key is not known (nothing changes). */
gboolean     pd_simulator_update_bill_to (PdSimulator        *self,
                                          const char         *tenant_id,
                                          const char * const *keys_values);
/* Moves tenant_id to the indirect reseller reseller_id (NULL: a direct customer), as a
 * transfer in Partner Center would: the reseller's filtered listing and GET
 * /customers/{id}/relationships follow it. FALSE when the customer or the reseller is not
 * known (nothing changes). */
gboolean     pd_simulator_set_customer_reseller (PdSimulator *self,
                                                 const char  *tenant_id,
                                                 const char  *reseller_id);
/* Names tenant_id in reseller_id's list of customers too (NULL: in its own reseller's only), as
 * for a customer resold by two indirect resellers; its own reseller stays the one GET
 * /customers/{id}/relationships names. FALSE when either is not known. */
gboolean     pd_simulator_set_customer_also_resold_by (PdSimulator *self,
                                                       const char  *tenant_id,
                                                       const char  *reseller_id);
/* Renames the indirect reseller reseller_id, as its company would in Partner Center: the list
 * of resellers says the new name; its customers' own answers do not change. FALSE when the
 * reseller is not known. */
gboolean     pd_simulator_rename_reseller (PdSimulator *self,
                                           const char  *reseller_id,
                                           const char  *name);

/* The same mutation as POST /_simulator/mutate: body like
 * {"changeBillTo": 50, "rename": 3, "add": 5, "remove": 2, "seed": 7} (each may be a list of
 * ids). Returns the JSON answer {"changedBillTo": [ids], "renamed": […], "removed": […],
 * "added": […], "notFound": […], "generation": n, "customers": n} or NULL with error. Every
 * change is in the activity log. (transfer full) */
char        *pd_simulator_mutate_json    (PdSimulator *self, const char *json, GError **error);
/* Tenant ids of the current customers (for tests). (transfer full) */
char       **pd_simulator_dup_customer_ids (PdSimulator *self);
guint        pd_simulator_get_n_customers (PdSimulator *self);
/* Counters as the JSON of GET /_simulator/stats. (transfer full) */
char        *pd_simulator_dup_stats_json (PdSimulator *self);
guint64      pd_simulator_get_requests   (PdSimulator *self);
guint64      pd_simulator_get_throttled  (PdSimulator *self);
guint64      pd_simulator_get_faults     (PdSimulator *self);

G_END_DECLS
