/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-new-organization-dialog.h — create a manual organization, with live duplicate matches.
 * Choosing an existing match activates "win.show-organization" (int64 id) on the parent;
 * "Send consent link" activates "win.consent-link". */
#pragma once

#include <adwaita.h>

#include "pd-session.h"

G_BEGIN_DECLS

#define PD_TYPE_NEW_ORGANIZATION_DIALOG (pd_new_organization_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PdNewOrganizationDialog, pd_new_organization_dialog, PD, NEW_ORGANIZATION_DIALOG, AdwWindow)

/* (transfer none) */
GtkWidget *pd_new_organization_dialog_new (PdSession *session, GtkWindow *parent);

G_END_DECLS
