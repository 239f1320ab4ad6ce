/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-reseller-scope-group.h — Preferences' "My Resellers": which indirect resellers' customers
 * the syncs cover (the cache's reseller scope, pd_store_dup_reseller_scope). */
#pragma once

#include <adwaita.h>

#include "core/pd-store.h"

G_BEGIN_DECLS

#define PD_TYPE_RESELLER_SCOPE_GROUP (pd_reseller_scope_group_get_type ())
G_DECLARE_FINAL_TYPE (PdResellerScopeGroup, pd_reseller_scope_group, PD, RESELLER_SCOPE_GROUP,
                      AdwPreferencesGroup)

/* (transfer floating) */
GtkWidget *pd_reseller_scope_group_new       (void);
/* Lists the resellers store knows (and those of its scope it does not), checked as its scope
 * says; a change is saved in store at once. NULL lets the store go (the rows stay). */
void       pd_reseller_scope_group_set_store (PdResellerScopeGroup *self,
                                              PdStore              *store);

/* Signal "error" (const char *message): the scope could not be saved (a read-only cache). */

G_END_DECLS
