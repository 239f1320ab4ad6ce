/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store-test-helpers.h — fixtures shared by the PdStore tests. */
#pragma once

#include "core/pd-store.h"

G_BEGIN_DECLS

/* A store on a fresh file in a fresh temporary directory (*out_dir, remove with pd_test_rm_rf). */
PdStore        *store_test_open_temp   (char **out_dir);
/* A Partner Center customer as the sync engine hands it to pd_store_apply_partner_center:
 * a complete German bill-to (so it is not "incomplete") with the given city and e-mail
 * (pd_test_customer_new); a NULL city, e-mail or etag is missing. */
PdOrganization *store_test_pc_org      (const char *tenant_id,
                                        const char *name,
                                        const char *domain,
                                        const char *city,
                                        const char *email,
                                        const char *etag);
/* The customers of store_test_open_search_fixture. */
#define STORE_TEST_SEARCH_TENANT_A "0b7f5a0e-0000-4000-8000-00000000000a"
#define STORE_TEST_SEARCH_TENANT_B "0b7f5a0e-0000-4000-8000-00000000000b"
#define STORE_TEST_SEARCH_TENANT_C "0b7f5a0e-0000-4000-8000-00000000000c"
/* store_test_open_temp with three synced customers (A "Contoso Ltd." in Berlin, B "Müller
 * GmbH" in München, C "Northwind Traders" in Hamburg) and a manual "Contoso" (ERP-77). */
PdStore        *store_test_open_search_fixture (char **out_dir);
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
/* Runs sql on a separate connection to the file at path (between the store's transactions),
 * asserting success: to make a file of an older schema, or rows a test cannot make otherwise. */
void            store_test_exec_raw    (const char     *path,
                                        const char     *sql);
/* The first column of the first row sql gives on a separate connection to the file at path,
 * asserting there is one. */
gint64          store_test_query_raw_int (const char *path,
                                          const char *sql);
/* PRAGMA integrity_check on a separate connection == "ok". */
void            store_test_assert_file_sound (const char *path);
/* store_test_assert_file_sound, and the full-text index agrees with its content
 * (store_test_assert_search_index). */
void            store_test_assert_integrity (const char *path);
/* The full-text index org_search holds exactly the words of every organization's search_text:
 * FTS5's 'integrity-check' with rank 1, which compares an external-content index with its
 * content table, on a separate read-write connection inside a transaction that is rolled back.
 * Call it between the store's transactions (the store may stay open). */
void            store_test_assert_search_index (const char *path);
/* The same check without comparing with the content: the index is only well-formed (what a
 * first sync, which leaves its rows out until its end, must keep it). */
void            store_test_assert_search_index_well_formed (const char *path);
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

/* The Partner Center customer of StoreTestFixture. */
#define STORE_TEST_TENANT "1c3a0d2e-0000-4000-8000-00000000000a"

/* For g_test_add: a store on a fresh file holding one Partner Center customer. */
typedef struct {
  char    *dir;
  PdStore *store;
  gint64   id;        /* STORE_TEST_TENANT, synced with etag e1, city Berlin */
} StoreTestFixture;
void            store_test_fixture_set_up    (StoreTestFixture *f,
                                              gconstpointer     data);
/* Closes the store, checks the file's integrity and removes it. */
void            store_test_fixture_tear_down (StoreTestFixture *f,
                                              gconstpointer     data);
/* The fixture's organization as the store has it now. */
PdOrganization *store_test_fixture_get       (StoreTestFixture *f);
/* A local edit of one bill-to field of the fixture's organization, asserting success. */
void            store_test_fixture_override  (StoreTestFixture *f,
                                              PdBillToField     field,
                                              const char       *value);
/* The effective (local edit or Partner Center) value of field. */
const char     *store_test_effective         (PdOrganization   *org,
                                              PdBillToField     field);
/* A run's events, asserting success. */
GPtrArray      *store_test_run_events        (PdStore          *store,
                                              gint64            run);
/* A run, asserting success. */
PdSyncRun      *store_test_get_run           (PdStore          *store,
                                              gint64            run);

G_END_DECLS
