/* store-test-helpers.h — fixtures shared by the PdStore tests. */
#pragma once

#include "core/pd-store.h"

G_BEGIN_DECLS

/* A store on a fresh file in a fresh temporary directory (*out_dir, remove with pd_test_rm_rf). */
PdStore        *store_test_open_temp   (char **out_dir);
/* A Partner Center customer as the sync engine hands it to pd_store_apply_partner_center:
 * a complete German bill-to (so it is not "incomplete") with the given city and e-mail. */
PdOrganization *store_test_pc_org      (const char *tenant_id,
                                        const char *name,
                                        const char *domain,
                                        const char *city,
                                        const char *email,
                                        const char *etag);
/* Applies the organizations (NULL-terminated) in one batch, asserting success. */
void            store_test_apply       (PdStore        *store,
                                        gint64          run_id,
                                        PdOrganization *first,
                                        ...) G_GNUC_NULL_TERMINATED;
/* PRAGMA integrity_check on a separate connection == "ok". */
void            store_test_assert_integrity (const char *path);
/* Number of history entries of id whose "what" is what and whose by matches. */
guint           store_test_count_history (PdStore    *store,
                                          gint64      id,
                                          const char *what,
                                          PdChangeBy  by);
/* How many organizations a search lists (asserting the filter counts agree). */
guint           store_test_search_count (PdStore    *store,
                                         const char *text);

G_END_DECLS
