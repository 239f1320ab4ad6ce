/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-pc-json-private.h — whole-body parsers the tests and fuzzers call (the client pages through
 * pd_pc_json_parse_collection and the item parsers). Not part of the public contract; included by
 * pd-pc-json.c and tests only. */
#pragma once

#include "pd-pc-json.h"

G_BEGIN_DECLS

/* GET /v1/customers page; next_headers is flattened as key0, value0, …; out parameters may
 * be NULL. customers: (out) (transfer full) (element-type PdPcCustomer), next_uri,
 * next_headers, continuation_token: (out) (transfer full) */
gboolean pd_pc_json_parse_customer_page (const char  *data,
                                         gsize        len,
                                         GPtrArray  **customers,
                                         char       **next_uri,
                                         GPtrArray  **next_headers,
                                         char       **continuation_token,
                                         GError     **error);
/* One page; paging as in the collection parser. (transfer full) (element-type PdPcAuditRecord) */
GPtrArray             *pd_pc_json_parse_audit_records       (const char *data, gsize len,
                                                             PdPcPaging *paging,
                                                             GError **error);
/* (transfer full) (element-type PdPcReseller) */
GPtrArray             *pd_pc_json_parse_resellers           (const char *data, gsize len,
                                                             PdPcPaging *paging,
                                                             GError **error);

G_END_DECLS
