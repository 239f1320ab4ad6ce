/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-account-check.h — where a customer's account verification stands, asked of Partner
 * Center (GET /v1/customers/{id}/validationStatus?type=account) and recorded in the cache.
 *
 * The answer is stored with pd_store_set_account_status (the list's "Account under review"
 * filter, the editor's status row) and the session's "organizations-changed" is emitted for
 * the organization, before callback runs. Used after a bill-to push and by the editor's
 * "Check Account Status". Not a type: two functions. */
#pragma once

#include <gio/gio.h>

#include "pd-session.h"

G_BEGIN_DECLS

/* org: a Partner Center customer (it has a tenant id); the session must be connected. */
void                  pd_account_check_async  (PdSession           *session,
                                               PdOrganization      *org,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* The status Partner Center gave (recorded already), or NULL with error. (transfer full) */
PdPcValidationStatus *pd_account_check_finish (GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
