/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-json.h — an organization as the JSON of design.md §4 (show/list --format json).
 *
 * The keys are a stable interface for scripts; the app may reuse this mapping.
 */
#pragma once

#include "core/pd-organization.h"
#include "core/pd-store.h"
#include "pd-cli-json-writer.h"

G_BEGIN_DECLS

/* Writes organization as the value writer expects next: every key of design.md §4, in that
 * order, then currencyUntilThen. store (may be NULL) gives the country rules for
 * localMissingFields and the history for currencyUntilThen. */
void  pd_cli_json_write_organization (PdCliJsonWriter *writer,
                                      PdOrganization  *organization,
                                      PdStore         *store);
/* The same as a document of its own (no final newline). (transfer full) */
char *pd_cli_json_dup_organization   (PdOrganization  *organization,
                                      PdStore         *store);
/* A member with a string value, null when value is NULL. */
void  pd_cli_json_add_string         (PdCliJsonWriter *writer,
                                      const char      *key,
                                      const char      *value);
void  pd_cli_json_add_int            (PdCliJsonWriter *writer,
                                      const char      *key,
                                      gint64           value);

G_END_DECLS
