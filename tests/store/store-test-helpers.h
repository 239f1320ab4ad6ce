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
/* The id of the organization with this tenant, asserting it exists. */
gint64          store_test_find_id     (PdStore        *store,
                                        const char     *tenant);
/* A full sync run (resume as pd_store_begin_sync_run), asserting success. */
gint64          store_test_begin_run   (PdStore        *store,
                                        gint64         *resume);
/* Finishes run as COMPLETE, asserting success. */
void            store_test_finish_run  (PdStore        *store,
                                        gint64          run);
/* Applies the organizations (NULL-terminated) in one batch, asserting success. */
void            store_test_apply       (PdStore        *store,
                                        gint64          run_id,
                                        PdOrganization *first,
                                        ...) G_GNUC_NULL_TERMINATED;
/* PRAGMA integrity_check on a separate connection == "ok", and the full-text index agrees with
 * its content (store_test_assert_search_index). */
void            store_test_assert_integrity (const char *path);
/* The full-text index org_search holds exactly the words of every organization's search_text:
 * FTS5's 'integrity-check' with rank 1, which compares an external-content index with its
 * content table, on a separate read-write connection inside a transaction that is rolled back.
 * Call it between the store's transactions (the store may stay open). */
void            store_test_assert_search_index (const char *path);
/* Number of history entries of id whose "what" is what and whose by matches. */
guint           store_test_count_history (PdStore    *store,
                                          gint64      id,
                                          const char *what,
                                          PdChangeBy  by);
/* How many organizations a search lists (asserting the filter counts agree). */
guint           store_test_search_count (PdStore    *store,
                                         const char *text);
/* Whether a search for text lists organization id. */
gboolean        store_test_search_finds (PdStore    *store,
                                         const char *text,
                                         gint64      id);
/* Asserts that a search for text lists organization id (expected) or not; a failure names
 * both. */
void            store_test_assert_search (PdStore    *store,
                                          const char *text,
                                          gint64      id,
                                          gboolean    expected);

G_END_DECLS
