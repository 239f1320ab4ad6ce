/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sync-test-helpers.h — fixtures shared by the sync engine tests: a simulator, a client and a
 * store in a temporary folder, runs waited for with a bound, and a canonical dump of a cache
 * so that two caches can be compared. */
#pragma once

#include "api/pd-pc-client.h"
#include "core/pd-store.h"
#include "pd-sync-engine.h"
#include "simulator/pd-simulator.h"

G_BEGIN_DECLS

#define SYNC_TEST_TOKEN "sync-test-token"

typedef struct {
  char         *dir;
  gboolean      owns_dir;   /* a peer shares its fixture's folder: only the fixture removes it */
  char         *db_path;
  PdSimulator  *sim;
  PdPcClient   *client;
  PdStore      *store;
  PdSyncEngine *engine;
} SyncFixture;

/* Starts a simulator with options (token set for you) and opens a store "cache.db". */
void          sync_fixture_init     (SyncFixture              *fixture,
                                     const PdSimulatorOptions *options);
void          sync_fixture_clear    (SyncFixture              *fixture);
/* A second store + client + engine on another file, against the same simulator. */
void          sync_fixture_init_peer (SyncFixture             *peer,
                                      SyncFixture             *fixture,
                                      const char              *name);
PdPcClient   *sync_test_client_new  (const char *base_url,
                                     const char *token);

/* Runs one sync and waits (bounded); returns the run id or 0 with error. */
gint64        sync_test_run         (PdSyncEngine *engine,
                                     PdSyncMode    mode,
                                     GCancellable *cancellable,
                                     GError      **error);
/* sync_test_run that must succeed: the run id. */
gint64        sync_test_run_ok      (SyncFixture  *fixture,
                                     PdSyncMode    mode);
/* The run, which must exist. (transfer full) */
PdSyncRun    *sync_test_get_run     (PdStore      *store,
                                     gint64        run_id);
gint64        sync_test_retry       (PdSyncEngine       *engine,
                                     const char * const *tenant_ids,
                                     GError            **error);

/* One line per organization, sorted by tenant id: everything Partner Center and the user own
 * (not sync times). Organizations whose tenant is in skip (may be NULL) are left out. */
char         *sync_test_dump        (PdStore    *store,
                                     GHashTable *skip);
/* The dump line of one tenant, or NULL. */
char         *sync_test_dump_one    (PdStore    *store,
                                     const char *tenant_id);
/* Events of a kind in a run. */
GPtrArray    *sync_test_events      (PdStore        *store,
                                     gint64          run_id,
                                     PdRunEventKind  kind);
/* Tenant ids of the Partner Center organizations flagged removed. */
GHashTable   *sync_test_removed     (PdStore *store);
/* The reseller a cached customer (it must be there) is attributed to (NULL: direct).
 * (transfer full) */
char         *sync_test_dup_cached_reseller (PdStore *store, const char *tenant_id);
/* The tenant ids in a JSON array member ("changedBillTo", "renamed", "added", "removed")
 * of the simulator's mutate answer. */
char        **sync_test_mutated_ids (const char *answer,
                                     const char *member);
/* Ages every recorded run by days, straight in the file (the store has no such setter). */
void          sync_test_age_runs    (const char *path,
                                     int         days);

G_END_DECLS
