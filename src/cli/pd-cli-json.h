/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-json.h — an organization as the JSON of design.md §4 (show/list --format json).
 *
 * The keys are a stable interface for scripts; the app may reuse this mapping.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "core/pd-organization.h"
#include "core/pd-store.h"

G_BEGIN_DECLS

/* {"companyName": …, "address": {…}}: every key present, null when unset. (transfer full) */
JsonNode *pd_cli_json_bill_to       (const PdBillTo *bill_to);
/* Every key of design.md §4, in that order, then currencyUntilThen. store (may be NULL) gives
 * the country rules for localMissingFields and the history for currencyUntilThen.
 * (transfer full) */
JsonNode *pd_cli_json_organization  (PdOrganization *organization,
                                     PdStore        *store);
/* A member with a string value, null when value is NULL. */
void      pd_cli_json_add_string    (JsonBuilder    *builder,
                                     const char     *key,
                                     const char     *value);
void      pd_cli_json_add_int       (JsonBuilder    *builder,
                                     const char     *key,
                                     gint64          value);
/* Appends node as an element of a pretty-printed array (the first one opens the array), with
 * the bytes pd_cli_json_to_string gives it there: the array ends with "\n]\n" after its
 * elements, and is "[]\n" without any. */
void      pd_cli_json_append_element (GString        *out,
                                      JsonNode       *node,
                                      gboolean        first);
/* Pretty-printed text with a final newline. (transfer full) */
char     *pd_cli_json_to_string     (JsonNode       *node);

G_END_DECLS
