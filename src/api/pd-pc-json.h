/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-pc-json.h — Partner Center and Entra ID JSON ⇄ plain structs (partner-center-api.md).
 *
 * Every parser takes the raw body (not necessarily NUL-terminated), never trusts it, and fails
 * with PD_PC_ERROR_INVALID_RESPONSE and a translated message on malformed, truncated or
 * unexpected JSON. Lookups fall back to a case-insensitive match so that PascalCase bodies
 * (the docs' PUT examples) read the same as the camelCase the service answers with.
 * These are the functions the fuzz targets in tests/fuzz/ exercise.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "pd-pc-types.h"

G_BEGIN_DECLS

/* Where the next page is (partner-center-api.md §3). */
typedef struct {
  char      *next_uri;            /* links.next.uri as sent, NULL when absent */
  GPtrArray *next_headers;        /* links.next.headers flattened: key0, value0, key1, … */
  char      *continuation_token;  /* top-level continuationToken, NULL when absent */
  gboolean   has_continuation_token; /* the member was present (even empty or null) */
} PdPcPaging;

void pd_pc_paging_clear (PdPcPaging *paging);

/* One item of a collection: returns a newly allocated struct or NULL with error set. */
typedef gpointer (*PdPcItemParser) (JsonObject *object, GError **error);

/* A Collection: items[] mapped by item_parser into *items (freed with item_free), and the
 * paging links. A body with no items member is an empty page. items: (out) (transfer full) */
gboolean pd_pc_json_parse_collection (const char     *data,
                                      gsize           len,
                                      PdPcItemParser  item_parser,
                                      GDestroyNotify  item_free,
                                      GPtrArray     **items,
                                      PdPcPaging     *paging,
                                      GError        **error);


/* The one rule for tenant and customer IDs read from any body: a GUID, whatever its case and
 * with or without braces ("{1D8D…}", .NET's "B" format), becomes the bare lower-case GUID, so
 * that IDs from the list, GET by id, the activity log and the relationships compare equal;
 * anything else (older records had non-GUID customer IDs) is kept exactly as sent. Takes id
 * (may be NULL) and returns it or its replacement. (transfer full) (nullable) */
char    *pd_pc_json_normalize_id (char *id);

/* The JSON escape at p, just after its backslash: how many bytes it takes, with the character
 * it stands for in *out (when not NULL); 0 when JSON has no such escape, or for a surrogate
 * that is not half of a pair. json-glib 1.6 alone also takes octal escapes ("\205") and lone
 * surrogates, which turn into strings that are not UTF-8. */
gsize    pd_pc_json_escape_length (const char *p,
                                   const char *end,
                                   gunichar   *out);

/* The same page through a single-pass reader (pd-pc-json-fast.c): TRUE with the same result
 * as pd_pc_json_parse_collection with pd_pc_json_customer_from_object, or FALSE (no error)
 * when the body needs json-glib. pd_pc_json_parse_customer_page tries it first.
 * customers: (out) (transfer full) (element-type PdPcCustomer) */
gboolean pd_pc_json_parse_customer_page_fast (const char  *data,
                                              gsize        len,
                                              GPtrArray  **customers,
                                              PdPcPaging  *paging);
/* Fast reader, then json-glib: what the client uses for each page of customers.
 * customers: (out) (transfer full) (element-type PdPcCustomer) */
gboolean pd_pc_json_parse_customer_collection (const char  *data,
                                               gsize        len,
                                               GPtrArray  **customers,
                                               PdPcPaging  *paging,
                                               GError     **error);

/* (transfer full) */
PdPcCustomer          *pd_pc_json_parse_customer            (const char *data, gsize len,
                                                             GError **error);
/* (transfer full) */
PdPcBillingProfile    *pd_pc_json_parse_billing_profile     (const char *data, gsize len,
                                                             GError **error);
/* GET /v1/profiles/organization: the signed-in partner's own tenant ID and company name.
 * (transfer full) */
PdPcCompanyProfile    *pd_pc_json_parse_organization_profile (const char *data, gsize len,
                                                             GError **error);
/* GET /v1/customers/{id}/validationStatus?type=account. (transfer full) */
PdPcValidationStatus  *pd_pc_json_parse_validation_status (const char *data, gsize len,
                                                          GError **error);
/* (transfer full) */
PdPcCompanyProfile    *pd_pc_json_parse_company_profile     (const char *data, gsize len,
                                                             GError **error);
/* Both key styles of §7 (SDK supportedStatesList[] and docs states.value[]). A body that is
 * not valid JSON only because of bad backslash escapes or line breaks inside strings (the
 * published sample) is repaired once. (transfer full) */
PdCountryRule         *pd_pc_json_parse_country_rules       (const char *data, gsize len,
                                                             GError **error);
/* The object of 2021 onwards, or the legacy bare boolean. (transfer full) */
PdPcAddressValidation *pd_pc_json_parse_address_validation  (const char *data, gsize len,
                                                             GError **error);
/* {url: …} of GET /v1/customers/relationshiprequests. (transfer full) */
char                  *pd_pc_json_parse_relationship_request (const char *data, gsize len,
                                                              GError **error);

/* Item parsers, also used for embedded objects. (transfer full) */
gpointer pd_pc_json_customer_from_object        (JsonObject *object, GError **error);
/* (transfer full) */
gpointer pd_pc_json_billing_profile_from_object (JsonObject *object, GError **error);
/* (transfer full) */
gpointer pd_pc_json_audit_record_from_object    (JsonObject *object, GError **error);
/* (transfer full) */
gpointer pd_pc_json_reseller_from_object        (JsonObject *object, GError **error);

/* Any of the four error shapes of §2 (classic, newer, throttling gateway, Entra) plus the
 * OAuth {error, error_description} and Graph-style {error:{code,message}} shapes. code is a
 * string whether the body had a number or a string. Returns FALSE (no error) when the body
 * is not an error body at all; out parameters may be NULL.
 * code, description: (out) (transfer full) */
gboolean pd_pc_json_parse_error_body (const char  *data,
                                      gsize        len,
                                      char       **code,
                                      char       **description);

/* The PUT body: a copy of profile->raw (unknown fields kept, their casing too) with the known
 * fields set from profile->bill_to in camelCase, attributes.etag = etag. (transfer full) */
char *pd_pc_json_build_billing_profile_put (const PdPcBillingProfile *profile,
                                            const char               *etag);
/* The POST /v1/validations/address body (address fields only). (transfer full) */
char *pd_pc_json_build_address (const PdBillTo *address);

/* --- Entra ID (login authority) --- */

typedef struct {
  char  *device_code;
  char  *user_code;
  char  *verification_uri;
  char  *message;
  guint  expires_in;
  guint  interval;
} PdPcDeviceCodeResponse;

typedef struct {
  char  *access_token;
  char  *refresh_token;   /* may be NULL */
  char  *id_token;        /* may be NULL */
  gint64 expires_in;      /* seconds */
} PdPcTokenResponse;

void pd_pc_device_code_response_free (PdPcDeviceCodeResponse *response);
void pd_pc_token_response_free       (PdPcTokenResponse      *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdPcDeviceCodeResponse, pd_pc_device_code_response_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdPcTokenResponse, pd_pc_token_response_free)

/* (transfer full) */
PdPcDeviceCodeResponse *pd_pc_json_parse_device_code    (const char *data, gsize len,
                                                         GError **error);
/* (transfer full) */
PdPcTokenResponse      *pd_pc_json_parse_token_response (const char *data, gsize len,
                                                         GError **error);
/* The payload of a JWT (header.payload.signature, base64url) as a JSON object; NULL when the
 * token is not a JWT. Only claims are read; nothing is verified (the API does that).
 * (transfer full) */
JsonObject             *pd_pc_json_parse_jwt_claims     (const char *jwt, GError **error);

G_END_DECLS
