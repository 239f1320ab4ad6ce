/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-pc-client.h — the Partner Center REST client (libsoup 3 + json-glib).
 *
 * One PdPcClient owns one SoupSession. All calls are GIO-style async on the thread-default
 * main context of the caller, cancellable. Retries, 429 handling, the adaptive in-flight
 * limit and the optional requests-per-minute cap are internal. Errors are PD_PC_ERROR (or
 * G_IO_ERROR_CANCELLED), and never contain a token.
 */
#pragma once

#include <gio/gio.h>

#include "pd-auth.h"
#include "pd-pc-types.h"

G_BEGIN_DECLS

#define PD_PC_ERROR (pd_pc_error_quark ())
typedef enum {
  PD_PC_ERROR_FAILED,
  PD_PC_ERROR_NETWORK,           /* connection refused/dropped, DNS, TLS */
  PD_PC_ERROR_TIMEOUT,           /* no answer in time (transport); an HTTP 408 is SERVER */
  PD_PC_ERROR_UNAUTHORIZED,      /* 401: "sign in again" */
  PD_PC_ERROR_FORBIDDEN,         /* 403 */
  PD_PC_ERROR_NOT_FOUND,         /* 404 */
  PD_PC_ERROR_CONFLICT,          /* 409/412, 400/2055: changed in Partner Center */
  PD_PC_ERROR_THROTTLED,         /* 429 after all retries */
  PD_PC_ERROR_BAD_REQUEST,       /* 400 (other than the end-of-paging 2000) */
  PD_PC_ERROR_SERVER,            /* 5xx or 408 after all retries */
  PD_PC_ERROR_INVALID_RESPONSE,  /* malformed, truncated or unexpected JSON */
  PD_PC_ERROR_INSECURE_URL,      /* http:// to a non-loopback host */
  PD_PC_ERROR_MFA_REQUIRED,      /* 401/900421: the token lacks MFA (App+User, April 2026) */
} PdPcError;
GQuark pd_pc_error_quark (void);

/* The Partner Center code ("600051", "2000", …) and description of the last error, kept on
 * the GError through these helpers (NULL when the failure was not an API error body).
 * (transfer none) (nullable) */
const char *pd_pc_error_get_code        (const GError *error);
/* Codes with a meaning of their own (partner-center-api.md §2, §3, §13). */
#define PD_PC_CODE_MFA_REQUIRED      "900421"  /* 401: App+User token without MFA */
#define PD_PC_CODE_ETAG_INVALID      "2055"    /* 400: "Etag is no longer valid" */
#define PD_PC_CODE_TOKEN_EXPIRED     "2001"    /* 400: continuation token expired or invalid */
/* (transfer none) (nullable) */
const char *pd_pc_error_get_description (const GError *error);
/* MS-CorrelationId and MS-RequestId of the request that failed (NULL when none was sent):
 * what Microsoft support asks for. The message names them too. (transfer none) (nullable) */
const char *pd_pc_error_get_correlation_id (const GError *error);
/* (transfer none) (nullable) */
const char *pd_pc_error_get_request_id     (const GError *error);

typedef enum {
  PD_PC_FILTER_NONE,
  PD_PC_FILTER_COMPANY_NAME,
  PD_PC_FILTER_DOMAIN,
  PD_PC_FILTER_INDIRECT_RESELLER,
} PdPcCustomerFilter;

/* Called once per page of the customer list, on the caller's main context, with a GPtrArray
 * of PdPcCustomer (borrowed: steal what you keep). Return FALSE to stop early. */
typedef gboolean (*PdPcPageFunc) (GPtrArray *customers,
                                  gpointer   user_data);

typedef struct {
  guint64 requests;         /* HTTP requests sent, retries included */
  guint64 retries;
  guint64 throttled;        /* 429 responses received */
  guint64 failures;         /* calls that ended in error */
  guint   in_flight_limit;  /* current adaptive limit */
  guint   max_in_flight_seen;
} PdPcStats;

/* Signal:
 *   "throttled" (guint wait_seconds) — Partner Center answered 429 and a call waits this long
 *                                      before it is sent again (its Retry-After, or the
 *                                      backoff from it), on the caller's main context */
#define PD_TYPE_PC_CLIENT (pd_pc_client_get_type ())
G_DECLARE_FINAL_TYPE (PdPcClient, pd_pc_client, PD, PC_CLIENT, GObject)

/* base_url: "https://api.partnercenter.microsoft.com" or a loopback simulator. Fails with
 * PD_PC_ERROR_INSECURE_URL for http:// to a non-loopback host. (transfer full) */
PdPcClient *pd_pc_client_new                 (const char  *base_url,
                                              PdAuth      *auth,
                                              GError     **error);
/* (transfer none) */
const char *pd_pc_client_get_base_url        (PdPcClient  *self);
/* Upper bound for the adaptive limit (default 16; it starts at 8 or this bound if lower;
 * 1 = strictly serial). */
void        pd_pc_client_set_max_in_flight   (PdPcClient  *self, guint max_in_flight);
/* 0 = no cap. */
void        pd_pc_client_set_requests_per_minute (PdPcClient *self, guint rpm);
/* One per sync run; a fresh one is made when NULL. */
void        pd_pc_client_set_correlation_id  (PdPcClient  *self, const char *correlation_id);
void        pd_pc_client_get_stats           (PdPcClient  *self, PdPcStats *stats);

void        pd_pc_client_list_customers_async  (PdPcClient          *self,
                                                PdPcCustomerFilter   filter,
                                                const char          *value,
                                                PdPcPageFunc         page_func,
                                                gpointer             page_data,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
/* Returns the number of customers delivered; -1 with error set on failure. */
gint64      pd_pc_client_list_customers_finish (PdPcClient    *self,
                                                GAsyncResult  *result,
                                                GError       **error);
/* After a list's finish: TRUE when its end was an answer to a next-page request (204, or
 * 400 {code: 2000}) rather than a page without a next link. Microsoft's tools take both as
 * the end, but 400/2000 is also Partner Center's generic invalid-input error: such an end
 * does not prove that a customer the list lacks is gone. */
gboolean    pd_pc_client_list_ended_by_answer  (GAsyncResult  *result);

void        pd_pc_client_get_customer_async    (PdPcClient *self, const char *tenant_id,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback, gpointer user_data);
/* (transfer full) */
PdPcCustomer *pd_pc_client_get_customer_finish (PdPcClient *self, GAsyncResult *result,
                                                GError **error);

void        pd_pc_client_get_billing_profile_async (PdPcClient *self, const char *tenant_id,
                                                    GCancellable *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer user_data);
/* (transfer full) */
PdPcBillingProfile *pd_pc_client_get_billing_profile_finish (PdPcClient *self,
                                                             GAsyncResult *result,
                                                             GError **error);

/* PUT of an edited profile whose etag is the one it was read with. The profile is re-read
 * first: when Partner Center's etag is no longer profile->etag, nothing is sent (someone else
 * changed it meanwhile); otherwise that fresh etag is sent as If-Match and in
 * attributes.etag, with the unknown fields of profile->raw kept (camelCase, or the casing the
 * body had). Either way, and on a 409/412 answer, the error is PD_PC_ERROR_CONFLICT and
 * *out_fresh receives the current profile. profile->etag NULL skips the comparison. An
 * empty 2xx answer yields the profile as sent. */
void        pd_pc_client_put_billing_profile_async (PdPcClient *self, const char *tenant_id,
                                                    const PdPcBillingProfile *profile,
                                                    GCancellable *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer user_data);
/* (transfer full) out_fresh: (out) (transfer full) */
PdPcBillingProfile *pd_pc_client_put_billing_profile_finish (PdPcClient *self,
                                                             GAsyncResult *result,
                                                             PdPcBillingProfile **out_fresh,
                                                             GError **error);
/* After a put's or update's finish: whether the PUT was sent. FALSE when the read before it
 * failed (or found the edit outdated): Partner Center was asked for no change, so its
 * error is no "outcome unknown". */
gboolean    pd_pc_client_billing_put_sent  (GAsyncResult *result);
/* Convenience: re-GET for a fresh etag, copy the fields set in field_mask from desired,
 * then PUT as above. */
void        pd_pc_client_update_billing_profile_async (PdPcClient *self, const char *tenant_id,
                                                       const PdBillTo *desired,
                                                       guint32 field_mask,
                                                       GCancellable *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer user_data);
/* (transfer full) out_fresh: (out) (transfer full) */
PdPcBillingProfile *pd_pc_client_update_billing_profile_finish (PdPcClient *self,
                                                                GAsyncResult *result,
                                                                PdPcBillingProfile **out_fresh,
                                                                GError **error);

void        pd_pc_client_get_company_profile_async (PdPcClient *self, const char *tenant_id,
                                                    GCancellable *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer user_data);
/* (transfer full) */
PdPcCompanyProfile *pd_pc_client_get_company_profile_finish (PdPcClient *self,
                                                             GAsyncResult *result,
                                                             GError **error);

/* GET /v1/customers/{id}/validationStatus?type=account: the customer's account verification
 * (Under review after a change of a verified customer's company name or address). */
void        pd_pc_client_get_validation_status_async (PdPcClient *self, const char *tenant_id,
                                                      GCancellable *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer user_data);
/* (transfer full) */
PdPcValidationStatus *pd_pc_client_get_validation_status_finish (PdPcClient *self,
                                                                 GAsyncResult *result,
                                                                 GError **error);
/* The partner tenant of the client's token (its tid claim), or NULL without one.
 * (transfer none) (nullable) */
const char *pd_pc_client_get_token_tenant_id (PdPcClient *self);
/* GET /v1/profiles/organization: the signed-in partner's own profile (its tenant ID identifies
 * the partner whose customers a cache holds). */
void        pd_pc_client_get_organization_profile_async (PdPcClient *self,
                                                         GCancellable *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer user_data);
/* (transfer full) */
PdPcCompanyProfile *pd_pc_client_get_organization_profile_finish (PdPcClient *self,
                                                                  GAsyncResult *result,
                                                                  GError **error);

void        pd_pc_client_get_country_rules_async  (PdPcClient *self, const char *iso2,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer user_data);
/* (transfer full) */
PdCountryRule *pd_pc_client_get_country_rules_finish (PdPcClient *self, GAsyncResult *result,
                                                      GError **error);

/* Only the address fields of address are sent. */
void        pd_pc_client_validate_address_async   (PdPcClient *self, const PdBillTo *address,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer user_data);
/* (transfer full) */
PdPcAddressValidation *pd_pc_client_validate_address_finish (PdPcClient *self,
                                                             GAsyncResult *result,
                                                             GError **error);

/* GET /v1/customers/relationshiprequests → the URL. */
void        pd_pc_client_get_relationship_request_async (PdPcClient *self,
                                                         GCancellable *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer user_data);
/* (transfer full) */
char       *pd_pc_client_get_relationship_request_finish (PdPcClient *self,
                                                          GAsyncResult *result,
                                                          GError **error);

/* GPtrArray of PdPcReseller. */
void        pd_pc_client_list_indirect_resellers_async (PdPcClient *self,
                                                        GCancellable *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer user_data);
/* (transfer full) (element-type PdPcReseller) */
GPtrArray  *pd_pc_client_list_indirect_resellers_finish (PdPcClient *self, GAsyncResult *result,
                                                         GError **error);

/* GET /v1/customers/{id}/relationships: the indirect resellers of one customer (none for a
 * direct customer); 404 when Partner Center does not know the customer. */
void        pd_pc_client_list_customer_resellers_async (PdPcClient *self, const char *tenant_id,
                                                        GCancellable *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer user_data);
/* (transfer full) (element-type PdPcReseller) */
GPtrArray  *pd_pc_client_list_customer_resellers_finish (PdPcClient *self, GAsyncResult *result,
                                                         GError **error);

/* All pages of GET /v1/auditrecords in [start, end] (dates, UTC). GPtrArray of
 * PdPcAuditRecord. */
void        pd_pc_client_list_audit_records_async (PdPcClient *self,
                                                   GDateTime *start, GDateTime *end,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer user_data);
/* (transfer full) (element-type PdPcAuditRecord) */
GPtrArray  *pd_pc_client_list_audit_records_finish (PdPcClient *self, GAsyncResult *result,
                                                    GError **error);

/* Builds the consent link offline from a partner tenant id (partner-center-api.md §8).
 * (transfer full) */
char       *pd_pc_build_consent_link          (const char *partner_tenant_id,
                                               gboolean    delegated_admin);
/* Sets or replaces DAP=true|false in a link returned by the API. (transfer full) */
char       *pd_pc_consent_link_with_dap       (const char *url,
                                               gboolean    delegated_admin);
/* TRUE for https://, or http:// to localhost / 127.0.0.0/8 / [::1]. */
gboolean    pd_pc_url_is_allowed              (const char *url);

G_END_DECLS
