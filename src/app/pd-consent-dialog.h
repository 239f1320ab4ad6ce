/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-consent-dialog.h — the reseller-relationship ("consent") link: generate (API, or built
 * from the partner tenant id when offline, labelled so), delegated-admin switch, Copy, E-mail. */
#pragma once

#include <adwaita.h>

#include "pd-session.h"

G_BEGIN_DECLS

#define PD_TYPE_CONSENT_DIALOG (pd_consent_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PdConsentDialog, pd_consent_dialog, PD, CONSENT_DIALOG, AdwWindow)

/* (transfer none) */
GtkWidget *pd_consent_dialog_new (PdSession *session, GtkWindow *parent);

G_END_DECLS
