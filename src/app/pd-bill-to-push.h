/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-bill-to-push.h — "Push to Partner Center…" for direct partners and indirect providers.
 *
 * Re-reads the billing profile for a fresh etag, shows the difference between Partner Center
 * and the local override in a dialog, and on confirmation PUTs the local values with that
 * etag. On success the PUT's answer becomes the cached Partner Center bill-to at once, the
 * pushed overrides it settled go, fields typed since the push started stay overridden, and
 * the customer is re-read in the background (a refresh that fails changes nothing); when the
 * answer cannot be stored the overrides stay and the user is told. A conflict shows the
 * fresh values. Results are reported through the "editor.show-toast" action of widget and
 * the session's "organizations-changed". "editor.push-bill-to" is disabled on widget while
 * a push runs.
 * Not a type: one function. */
#pragma once

#include <adwaita.h>

#include "pd-session.h"

G_BEGIN_DECLS

/* widget: the organization editor (its root is the dialogs' parent). */
void pd_bill_to_push_start (PdSession      *session,
                            PdOrganization *org,
                            GtkWidget      *widget);

G_END_DECLS
