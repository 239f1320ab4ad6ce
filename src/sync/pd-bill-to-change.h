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
/* TRUE when error leaves open whether Partner Center applied a PUT: an answer that could not be
 * read (cut, malformed), a connection dropped or timed out after the request left, a server
 * error (a gateway may time out on a change it passed on). Only reading the profile back
 * tells; a refusal (400, 403, 404, conflict, sign-in) is not such an error. */
gboolean            pd_bill_to_change_outcome_unknown (const GError *error);
/* TRUE when now (Partner Center's bill-to as read back after a PUT of mask) holds the local
 * value of every field in mask: the change was applied. */
gboolean            pd_bill_to_change_applied     (PdOrganization  *org,
                                                   const PdBillTo  *now,
                                                   guint32          mask);
/* What to say when a PUT's outcome was unknown (put_error) and reading the bill-to back failed
 * too (read_error), translated. (transfer full) */
char               *pd_bill_to_change_unknown_text (const GError *put_error,
                                                    const GError *read_error);
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
