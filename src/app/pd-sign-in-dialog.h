/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sign-in-dialog.h — device code sign-in: the code shown large with a copy button, Open
 * browser, waiting state, Cancel. On success the session is connected and the dialog closes. */
#pragma once

#include <adwaita.h>

#include "pd-session.h"

G_BEGIN_DECLS

#define PD_TYPE_SIGN_IN_DIALOG (pd_sign_in_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PdSignInDialog, pd_sign_in_dialog, PD, SIGN_IN_DIALOG, AdwWindow)

/* (transfer none) */
GtkWidget *pd_sign_in_dialog_new (PdSession *session, GtkWindow *parent);

G_END_DECLS
