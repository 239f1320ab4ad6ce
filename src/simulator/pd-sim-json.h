/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sim-json.h — a small, fast JSON writer and the simulator's resource serialisers.
 *
 * Listing 100,000 customers means writing ~50 MB of JSON; a GString writer is an order of
 * magnitude faster than building JsonNode trees, and keeps key order as the samples show it.
 */
#pragma once

#include "pd-sim-data.h"

G_BEGIN_DECLS

typedef struct {
  GString  *s;
  guint     depth;
  gboolean  first[32];
} PdSimJson;

void  pd_sim_json_init         (PdSimJson *w);
/* pd_sim_json_init, then begins the top-level object (what most bodies are). */
void  pd_sim_json_init_object  (PdSimJson *w);
/* Returns the text and resets the writer. (transfer full) */
char *pd_sim_json_steal        (PdSimJson *w, gsize *length);
/* Ends the top-level object of pd_sim_json_init_object and returns the text (steal).
 * (transfer full) */
char *pd_sim_json_finish_object (PdSimJson *w);
void  pd_sim_json_clear        (PdSimJson *w);

/* `key` is NULL inside arrays and for the top-level value. */
void  pd_sim_json_begin_object (PdSimJson *w, const char *key);
void  pd_sim_json_end_object   (PdSimJson *w);
void  pd_sim_json_begin_array  (PdSimJson *w, const char *key);
void  pd_sim_json_end_array    (PdSimJson *w);
/* A NULL value writes nothing (the key is omitted, as the service omits unset fields). */
void  pd_sim_json_string       (PdSimJson *w, const char *key, const char *value);
void  pd_sim_json_null         (PdSimJson *w, const char *key);
void  pd_sim_json_int          (PdSimJson *w, const char *key, gint64 value);
void  pd_sim_json_bool         (PdSimJson *w, const char *key, gboolean value);
/* Appends already-serialised JSON. */
void  pd_sim_json_raw          (PdSimJson *w, const char *key, const char *json);

/* "attributes": {etag, objectType}, as every resource carries it; etag NULL → none. */
void  pd_sim_json_attributes   (PdSimJson *w, const char *object_type, const char *etag);
/* {uri, method, headers:[{key, value}]}; header_value NULL → no headers. */
void  pd_sim_json_link         (PdSimJson *w, const char *key, const char *uri,
                                const char *header_key, const char *header_value);
/* The Customer resource; `full` adds billingProfile, allowDelegatedAccess, customDomains. */
void  pd_sim_json_customer     (PdSimJson *w, const PdSimCustomer *customer, gboolean full);
/* The full customer resource without its embedded billing profile (a refused one). */
void  pd_sim_json_customer_without_billing (PdSimJson *w, const PdSimCustomer *customer);
void  pd_sim_json_billing_profile (PdSimJson *w, const char *key, const PdSimCustomer *customer);
void  pd_sim_json_company_profile (PdSimJson *w, const PdSimCustomer *customer);
void  pd_sim_json_audit        (PdSimJson *w, const PdSimAudit *audit, const char *partner_id);
void  pd_sim_json_reseller     (PdSimJson *w, const PdSimReseller *reseller);

/* Billing profile as JSON text (audit record old/new values). (transfer full) */
char *pd_sim_billing_profile_to_string (const PdSimCustomer *customer);
/* "2026-11-24T06:20:00.123456Z" (transfer full) */
char *pd_sim_format_date       (gint64 unix_us);
/* Classic error body {code, description, data:[], source}. (transfer full) */
char *pd_sim_classic_error     (gint64 code, const char *description, const char *source);

/* The newer body (§2 shape 2): {code, message, description, errorName, isRetryable,
 * parameters, errorMessageExtended}. (transfer full) */
char *pd_sim_newer_error       (gint64 code, const char *error_name, const char *message);
/* A classic body whose code is a string, as error-codes.md says it is. (transfer full) */
char *pd_sim_string_code_error (const char *code, const char *description, const char *source);

G_END_DECLS
