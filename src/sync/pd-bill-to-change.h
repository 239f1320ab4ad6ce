/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-bill-to-change.h — the rules of sending a local bill-to edit to Partner Center, shared by
 * the app's "Push to Partner Center…" and `partner-desk-cli push-bill-to`: which fields go, how
 * the difference reads, what the PUT carries, and the change request a reseller sends its
 * indirect provider instead (a reseller cannot change a customer's billing profile). */
#pragma once

#include "api/pd-pc-types.h"
#include "core/pd-organization.h"

G_BEGIN_DECLS

/* Bit per PdBillToField: the fields the user edited locally whose value differs from fresh,
 * Partner Center's bill-to as just re-read. 0: Partner Center already holds every edit. */
guint32             pd_bill_to_change_fields      (PdOrganization  *org,
                                                   const PdBillTo  *fresh);
/* "City: Berlin → München" lines (translated) for the fields in mask. (transfer full) */
char               *pd_bill_to_change_describe    (const PdBillTo  *from,
                                                   const PdBillTo  *to,
                                                   guint32          mask);
/* TRUE when mask changes the company name or the address: for a verified customer that can
 * start Microsoft's account verification (the account goes Under review, blocking new
 * purchases and seat increases until Microsoft finishes). */
gboolean            pd_bill_to_change_may_start_review (guint32 mask);
/* The warning to show before such a push (translated). (transfer none) */
const char         *pd_bill_to_change_review_warning   (void);
/* The profile to PUT: fresh (its etag and every member Partner Desk does not know, kept) with
 * the local values of the fields in mask. (transfer full) */
PdPcBillingProfile *pd_bill_to_change_build_put   (const PdPcBillingProfile *fresh,
                                                   PdOrganization           *org,
                                                   guint32                   mask);
/* The e-mail a reseller sends its indirect provider: the customer, its tenant and each field
 * of requested that differs from the Partner Center bill-to. (transfer full) */
char               *pd_bill_to_change_request_text (PdOrganization *org,
                                                    const PdBillTo *requested);

G_END_DECLS
