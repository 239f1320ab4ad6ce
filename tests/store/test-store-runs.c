/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store-runs.c — PdStore's sync runs: one at a time (the sync lock), interrupted runs and
 * their checkpoints, customers marked seen or removed, failed events, the list of runs. */
#include "config.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "pd-test-util.h"
#include "store-test-helpers.h"

typedef StoreTestFixture Fixture;

#define TENANT_A STORE_TEST_TENANT
#define TENANT_B "1c3a0d2e-0000-4000-8000-00000000000b"
#define TENANT_C "1c3a0d2e-0000-4000-8000-00000000000c"
#define TENANT_D "1c3a0d2e-0000-4000-8000-00000000000d"

static gboolean
has_tenant (GHashTable *set,
            const char *tenant)
{
  return g_hash_table_contains (set, tenant);
}

/* A customer missing from a complete listing is marked removed, never deleted, and keeps its
 * local data; seeing it again clears the mark. */
static void
test_removed_kept (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(PdSyncRun) sr = NULL;
  gint64 run, manual;
  guint n;

  manual = pd_store_create_manual (f->store, "Manual", NULL, NULL, NULL, &error);
  g_assert_true (pd_store_set_field (f->store, f->id, "erp-id", "E-1", &error));
  store_test_fixture_override (f, PD_BILL_TO_CITY, "Hamburg");
  run = store_test_begin_run (f->store, NULL);
  store_test_apply (f->store, run, store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com",
                                                      "Espoo", "x@fabrikam.com", "f1"), NULL);
  n = pd_store_mark_unseen_removed (f->store, run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  store_test_finish_run (f->store, run);
  sr = store_test_get_run (f->store, run);
  g_assert_cmpuint (sr->n_removed, ==, 1);

  org = store_test_fixture_get (f);
  g_assert_true (pd_organization_get_removed (org));
  g_assert_cmpstr (pd_organization_get_erp_id (org), ==, "E-1");
  g_assert_true (pd_organization_get_has_local_edits (org));
  g_clear_object (&org);
  org = pd_store_get (f->store, manual, &error);
  g_assert_false (pd_organization_get_removed (org));
  g_clear_object (&org);
  g_assert_cmpuint (pd_store_count (f->store), ==, 3);

  /* Back in Partner Center. */
  run = store_test_begin_run (f->store, NULL);
  store_test_apply (f->store, run, store_test_pc_org (TENANT_A, "Contoso", "contoso.com",
                                                      "Berlin", "a@contoso.com", "e1"), NULL);
  store_test_finish_run (f->store, run);
  org = store_test_fixture_get (f);
  g_assert_false (pd_organization_get_removed (org));
  g_assert_cmpstr (pd_organization_get_erp_id (org), ==, "E-1");
  g_clear_object (&org);

  /* Incremental: one tenant's relationship removed. */
  run = store_test_begin_run (f->store, NULL);
  g_assert_true (pd_store_mark_removed (f->store, run, TENANT_B, &error));
  g_assert_no_error (error);
  g_assert_false (pd_store_mark_removed (f->store, run, TENANT_D, &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND);
  store_test_finish_run (f->store, run);
}

/* A customer a run listed but could not fetch: pd_store_mark_seen keeps its cached copy and
 * local edit exactly as they were, counts nothing and reports nothing, puts it in the run's
 * checkpoint and keeps a complete listing from taking it for removed. */
static void
test_mark_seen (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) before = NULL;
  g_autoptr(PdOrganization) after = NULL;
  g_autoptr(GHashTable) checkpoint = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(PdSyncRun) sr = NULL;
  PdRunEvent *event;
  gint64 run;
  guint n_history;

  store_test_apply (f->store, 0,
                    store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com", "Espoo",
                                       "x@fabrikam.com", "f1"),
                    store_test_pc_org (TENANT_C, "Northwind", "northwind.com", "Oslo",
                                       "y@northwind.com", "n1"), NULL);
  store_test_fixture_override (f, PD_BILL_TO_CITY, "Hamburg");
  before = store_test_fixture_get (f);
  n_history = store_test_count_history (f->store, f->id, "billTo.address.city",
                                        PD_CHANGE_BY_SYNC);

  run = store_test_begin_run (f->store, NULL);
  store_test_apply (f->store, run, store_test_pc_org (TENANT_C, "Northwind", "northwind.com",
                                                      "Oslo", "y@northwind.com", "n1"), NULL);
  /* Tenant ids match case-insensitively, as everywhere. */
  g_assert_true (pd_store_mark_seen (f->store, run, "1C3A0D2E-0000-4000-8000-00000000000A",
                                     &error));
  g_assert_no_error (error);
  /* Unknown to the cache: nothing to keep. */
  g_assert_true (pd_store_mark_seen (f->store, run, TENANT_D, &error));
  g_assert_no_error (error);
  g_assert_false (pd_store_mark_seen (f->store, run, " ", &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_INVALID);
  g_clear_error (&error);

  checkpoint = pd_store_get_checkpoint (f->store, run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (checkpoint), ==, 2);
  g_assert_true (has_tenant (checkpoint, TENANT_A));
  g_assert_true (has_tenant (checkpoint, TENANT_C));
  /* Only TENANT_B was neither stored nor marked seen. */
  g_assert_cmpuint (pd_store_mark_unseen_removed (f->store, run, &error), ==, 1);
  g_assert_no_error (error);
  store_test_finish_run (f->store, run);

  sr = store_test_get_run (f->store, run);
  g_assert_cmpuint (sr->n_unchanged, ==, 1);
  g_assert_cmpuint (sr->n_removed, ==, 1);
  g_assert_cmpuint (sr->n_new + sr->n_updated + sr->n_failed, ==, 0);
  g_assert_cmpuint (sr->n_overrides_kept + sr->n_overrides_replaced, ==, 0);
  events = store_test_run_events (f->store, run);
  g_assert_cmpuint (events->len, ==, 1);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpint (event->kind, ==, PD_RUN_EVENT_REMOVED);
  g_assert_cmpstr (event->tenant_id, ==, TENANT_B);

  after = store_test_fixture_get (f);
  g_assert_false (pd_organization_get_removed (after));
  g_assert_cmpstr (store_test_effective (after, PD_BILL_TO_CITY), ==, "Hamburg");
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to_partner_center (after),
                                   PD_BILL_TO_CITY), ==, "Berlin");
  g_assert_true (pd_organization_is_field_overridden (after, PD_BILL_TO_CITY));
  g_assert_cmpstr (pd_organization_get_override_base_etag (after), ==,
                   pd_organization_get_override_base_etag (before));
  g_assert_true (g_date_time_equal (pd_organization_get_last_synced_at (after),
                                    pd_organization_get_last_synced_at (before)));
  g_assert_cmpuint (store_test_count_history (f->store, f->id, "billTo.address.city",
                                              PD_CHANGE_BY_SYNC), ==, n_history);
}

static void
test_second_run_busy (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) other = pd_store_open (pd_store_get_path (f->store), &error);
  g_autoptr(PdSyncRun) running = NULL;
  gint64 run, refused;

  g_assert_no_error (error);
  g_assert_null (pd_store_get_running_sync (other));
  run = store_test_begin_run (f->store, NULL);

  refused = pd_store_begin_sync_run (other, PD_SYNC_KIND_INCREMENTAL, NULL, NULL, &error);
  g_assert_cmpint (refused, ==, 0);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "since"));
  g_clear_error (&error);
  /* The same store cannot run two either. */
  g_assert_cmpint (pd_store_begin_sync_run (f->store, PD_SYNC_KIND_FULL, NULL, NULL, &error),
                   ==, 0);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_BUSY);
  g_clear_error (&error);

  running = pd_store_get_running_sync (other);
  g_assert_nonnull (running);
  g_assert_cmpint (running->id, ==, run);
  g_assert_cmpint (running->state, ==, PD_SYNC_STATE_RUNNING);
  g_clear_pointer (&running, pd_sync_run_free);

  store_test_finish_run (f->store, run);
  g_assert_null (pd_store_get_running_sync (other));
  run = store_test_begin_run (other, NULL);
  store_test_finish_run (other, run);
}

typedef struct
{
  char *path;
  gint  held;   /* atomic: the probe holds the lock */
} Probe;

/* Holds the sync lock as a reader asking "is a sync running?" does (status, the app), for a
 * few milliseconds longer than it would. */
static gpointer
probe_sync_lock (gpointer data)
{
  Probe *probe = data;
  g_autofree char *path = g_strconcat (probe->path, ".sync-lock", NULL);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX | LOCK_NB), ==, 0);
  g_atomic_int_set (&probe->held, 1);
  g_usleep (40 * 1000);
  close (fd);
  return NULL;
}

/* A reader's look at the lock is not a sync: a sync starting meanwhile waits for it. Before,
 * it failed with "A sync is already running" (4 timer runs of 12 beside a status loop); also
 * after a killed sync, whose RUNNING row the wait took for a live run. */
static void
test_probe_is_not_a_run (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) killed = pd_store_open (pd_store_get_path (f->store), &error);
  Probe probe = { (char *) pd_store_get_path (f->store), 0 };
  GThread *thread;
  gint64 run;

  g_assert_no_error (error);
  store_test_begin_run (killed, NULL);
  g_clear_object (&killed);   /* its row stays RUNNING, the lock goes */
  thread = g_thread_new ("probe", probe_sync_lock, &probe);

  while (!g_atomic_int_get (&probe.held))
    g_usleep (1000);
  run = pd_store_begin_sync_run (f->store, PD_SYNC_KIND_INCREMENTAL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run, >, 0);
  g_thread_join (thread);
  store_test_finish_run (f->store, run);
}

/* A run whose end cannot be written (another program holds the cache's write lock past the
 * busy timeout) still ends: the next sync of the same process starts, and finds the run
 * interrupted (before: every later sync of that process was refused as "already running",
 * with none running, until it restarted). */
static void
test_run_end_refused_by_busy_cache (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSyncRun) first = NULL;
  sqlite3 *other = NULL;
  gint64 run1, run2, resume = -1;

  run1 = store_test_begin_run (f->store, &resume);
  g_assert_cmpint (sqlite3_open (pd_store_get_path (f->store), &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  pd_store_set_lock_wait (f->store, 0);
  g_assert_false (pd_store_finish_sync_run (f->store, run1, PD_SYNC_STATE_COMPLETE, NULL,
                                            &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  pd_store_set_lock_wait (f->store, PD_STORE_LOCK_WAIT_MS);
  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);

  g_assert_null (pd_store_get_running_sync (f->store));
  run2 = store_test_begin_run (f->store, &resume);
  g_assert_cmpint (run2, >, run1);
  first = store_test_get_run (f->store, run1);
  g_assert_cmpint (first->state, ==, PD_SYNC_STATE_INTERRUPTED);
  store_test_finish_run (f->store, run2);
}

/* A run whose store (process) went away without finishing is found INTERRUPTED by the next
 * begin, which resumes from its checkpoint; mark_unseen_removed honours the whole chain. */
static void
test_interrupted_run_checkpoint (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (pd_store_get_path (f->store));
  g_autoptr(PdStore) dying = pd_store_open (path, &error);
  g_autoptr(GHashTable) checkpoint = NULL;
  g_autoptr(PdSyncRun) first = NULL;
  g_autoptr(GDateTime) last = NULL;
  gint64 run1, run2, resume = -1;

  run1 = store_test_begin_run (dying, &resume);
  g_assert_cmpint (resume, ==, 0);
  store_test_apply (dying, run1,
                    store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com", "Espoo",
                                       "x@fabrikam.com", "f1"),
                    store_test_pc_org (TENANT_C, "Northwind", "northwind.com", "Oslo",
                                       "y@northwind.com", "n1"), NULL);
  g_clear_object (&dying);   /* the process dies: the lock goes, the row stays RUNNING */

  g_assert_null (pd_store_get_running_sync (f->store));
  run2 = store_test_begin_run (f->store, &resume);
  g_assert_cmpint (resume, ==, run1);
  first = store_test_get_run (f->store, run1);
  g_assert_cmpint (first->state, ==, PD_SYNC_STATE_INTERRUPTED);

  checkpoint = pd_store_get_checkpoint (f->store, run2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (checkpoint), ==, 2);
  g_assert_true (has_tenant (checkpoint, TENANT_B));
  g_assert_true (has_tenant (checkpoint, TENANT_C));
  g_clear_pointer (&checkpoint, g_hash_table_unref);

  store_test_apply (f->store, run2, store_test_pc_org (TENANT_D, "Tailspin", "tailspin.com",
                                                       "Rome", "z@tailspin.com", "t1"), NULL);
  checkpoint = pd_store_get_checkpoint (f->store, run2, &error);
  g_assert_cmpuint (g_hash_table_size (checkpoint), ==, 3);
  /* TENANT_A was never listed by run1 or run2: only it is removed. */
  g_assert_cmpuint (pd_store_mark_unseen_removed (f->store, run2, &error), ==, 1);
  g_assert_no_error (error);
  store_test_finish_run (f->store, run2);
  last = pd_store_get_last_complete_sync (f->store);
  g_assert_nonnull (last);
}

/* A run that died days ago is not resumed: its copy of the customers is as old as it is, and
 * Partner Center may have changed or dropped them since. The next run reads every customer
 * again, and one the dead run stored that the new run does not see is marked removed. */
static void
test_old_interrupted_run_not_resumed (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (pd_store_get_path (f->store));
  g_autoptr(PdStore) dying = pd_store_open (path, &error);
  g_autoptr(GHashTable) checkpoint = NULL;
  g_autoptr(PdSyncRun) first = NULL;
  gint64 run1, run2, resume = -1;

  g_assert_no_error (error);
  run1 = store_test_begin_run (dying, &resume);
  store_test_apply (dying, run1,
                    store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com", "Espoo",
                                       "x@fabrikam.com", "f1"),
                    store_test_pc_org (TENANT_C, "Northwind", "northwind.com", "Oslo",
                                       "y@northwind.com", "n1"), NULL);
  g_clear_object (&dying);   /* killed: the lock goes, the row stays RUNNING */
  store_test_exec_raw (path, "UPDATE sync_runs SET started_at = started_at - 3 * 86400");

  run2 = store_test_begin_run (f->store, &resume);
  g_assert_cmpint (resume, ==, 0);
  first = store_test_get_run (f->store, run1);
  g_assert_cmpint (first->state, ==, PD_SYNC_STATE_INTERRUPTED);
  checkpoint = pd_store_get_checkpoint (f->store, run2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (checkpoint), ==, 0);

  store_test_apply (f->store, run2, store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com",
                                                       "Espoo", "x@fabrikam.com", "f2"), NULL);
  /* TENANT_A (never listed by a run) and TENANT_C (only by the dead one). */
  g_assert_cmpuint (pd_store_mark_unseen_removed (f->store, run2, &error), ==, 2);
  g_assert_no_error (error);
  store_test_finish_run (f->store, run2);
}

/* A chain of stopped full runs is as old as its first run: a third run does not continue a
 * recent second one whose chain holds what the first stored two days ago. Before, only the
 * second's age was looked at: the third skipped those customers, became the base of the next
 * incremental runs, and Partner Center's changes to them in between were never read. */
static void
test_old_chain_not_resumed (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (pd_store_get_path (f->store));
  g_autoptr(PdStore) dying = pd_store_open (path, &error);
  g_autoptr(GHashTable) checkpoint = NULL;
  gint64 run1, run3, resume = -1;

  g_assert_no_error (error);
  run1 = store_test_begin_run (dying, &resume);
  store_test_apply (dying, run1,
                    store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com", "Espoo",
                                       "x@fabrikam.com", "f1"), NULL);
  g_clear_object (&dying);
  /* The second began 20 hours after the first and continued it; 20 hours later, it is less
   * than a day old, but what the first stored is 40 hours old. */
  store_test_exec_raw (path, "UPDATE sync_runs SET started_at = started_at - 20 * 3600");
  dying = pd_store_open (path, &error);
  g_assert_no_error (error);
  store_test_begin_run (dying, &resume);
  g_assert_cmpint (resume, ==, run1);
  g_clear_object (&dying);
  store_test_exec_raw (path, "UPDATE sync_runs SET started_at = started_at - 20 * 3600");

  run3 = store_test_begin_run (f->store, &resume);
  g_assert_cmpint (resume, ==, 0);
  checkpoint = pd_store_get_checkpoint (f->store, run3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (checkpoint), ==, 0);
  store_test_finish_run (f->store, run3);
}

/* A run that began afresh after a chain too old to continue begins a chain of its own: the
 * next run continues it. (Measured from the old chain's first run, every attempt after a day
 * would have read everything again until one completed.) */
static void
test_fresh_run_after_old_chain_resumed (Fixture       *f,
                                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (pd_store_get_path (f->store));
  g_autoptr(PdStore) dying = pd_store_open (path, &error);
  g_autofree char *sql = NULL;
  gint64 run1, run2, run3, resume = -1;

  g_assert_no_error (error);
  run1 = store_test_begin_run (dying, &resume);
  g_clear_object (&dying);
  store_test_exec_raw (path, "UPDATE sync_runs SET started_at = started_at - 30 * 3600");
  dying = pd_store_open (path, &error);
  g_assert_no_error (error);
  run2 = store_test_begin_run (dying, &resume);
  g_assert_cmpint (resume, ==, 0);     /* too old: it reads everything again */
  store_test_apply (dying, run2,
                    store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com", "Espoo",
                                       "x@fabrikam.com", "f1"), NULL);
  g_clear_object (&dying);
  sql = g_strdup_printf ("UPDATE sync_runs SET started_at = started_at - 3600 "
                         "WHERE id = %" G_GINT64_FORMAT, run2);
  store_test_exec_raw (path, sql);

  run3 = store_test_begin_run (f->store, &resume);
  g_assert_cmpint (run1, <, run2);
  g_assert_cmpint (resume, ==, run2);
  store_test_finish_run (f->store, run3);
}

/* Only a full run resumes: an incremental run that died is not chained to the next one, whose
 * end (a scoped one marks unseen customers of its scope) takes nothing the dead one saw for
 * seen. */
static void
test_interrupted_incremental_not_resumed (Fixture       *f,
                                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (pd_store_get_path (f->store));
  g_autoptr(PdStore) dying = pd_store_open (path, &error);
  g_autoptr(GHashTable) unseen = NULL;
  gint64 run1, run2, resume = -1;

  g_assert_no_error (error);
  run1 = pd_store_begin_sync_run (dying, PD_SYNC_KIND_INCREMENTAL, "dies", &resume, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run1, >, 0);
  store_test_apply (dying, run1,
                    store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com", "Espoo",
                                       "x@fabrikam.com", "f1"), NULL);
  g_clear_object (&dying);   /* killed: the lock goes, the row stays RUNNING */

  run2 = pd_store_begin_sync_run (f->store, PD_SYNC_KIND_INCREMENTAL, "next", &resume, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run2, >, 0);
  g_assert_cmpint (resume, ==, 0);
  unseen = pd_store_dup_unseen_tenants (f->store, run2, &error);
  g_assert_no_error (error);
  g_assert_true (has_tenant (unseen, TENANT_B));
  store_test_finish_run (f->store, run2);
}

/* The same as an unchanged re-sync (customers found unchanged are noted apart from their rows,
 * schema 9): the run that resumes one killed midway has in its checkpoint the customers the
 * killed one found unchanged, and marks removed only the one neither run saw. */
static void
test_interrupted_unchanged_resync (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (pd_store_get_path (f->store));
  g_autoptr(PdStore) dying = NULL;
  g_autoptr(GHashTable) checkpoint = NULL;
  g_autoptr(PdSyncRun) sr = NULL;
  g_autoptr(PdOrganization) org = NULL;
  gint64 run0, run1, run2, resume = -1;

  run0 = store_test_begin_run (f->store, NULL);
  store_test_apply (f->store, run0,
                    store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com", "Espoo",
                                       "x@fabrikam.com", "f1"),
                    store_test_pc_org (TENANT_C, "Northwind", "northwind.com", "Oslo",
                                       "y@northwind.com", "n1"), NULL);
  store_test_finish_run (f->store, run0);

  dying = pd_store_open (path, &error);
  g_assert_no_error (error);
  run1 = store_test_begin_run (dying, NULL);
  store_test_apply (dying, run1,
                    store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com", "Espoo",
                                       "x@fabrikam.com", "f1"), NULL);
  g_clear_object (&dying);   /* killed: the lock goes, the row stays RUNNING */

  run2 = store_test_begin_run (f->store, &resume);
  g_assert_cmpint (resume, ==, run1);
  checkpoint = pd_store_get_checkpoint (f->store, run2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (checkpoint), ==, 1);
  g_assert_true (has_tenant (checkpoint, TENANT_B));
  store_test_apply (f->store, run2,
                    store_test_pc_org (TENANT_C, "Northwind", "northwind.com", "Oslo",
                                       "y@northwind.com", "n1"), NULL);
  g_assert_cmpuint (pd_store_mark_unseen_removed (f->store, run2, &error), ==, 1);
  g_assert_no_error (error);
  store_test_finish_run (f->store, run2);
  sr = store_test_get_run (f->store, run2);
  g_assert_cmpuint (sr->n_unchanged, ==, 1);
  g_assert_cmpuint (sr->n_removed, ==, 1);
  org = store_test_fixture_get (f);
  g_assert_true (pd_organization_get_removed (org));
  g_clear_object (&org);
  org = pd_store_find_by_tenant (f->store, TENANT_B, &error);
  g_assert_false (pd_organization_get_removed (org));
  g_clear_object (&org);
  org = pd_store_find_by_tenant (f->store, TENANT_C, &error);
  g_assert_false (pd_organization_get_removed (org));
}

static void
test_failed_event_and_runs_list (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  PdRunEvent failed = { .kind = PD_RUN_EVENT_FAILED, .tenant_id = (char *) TENANT_D,
                        .error = (char *) "HTTP 500" };
  gint64 run = store_test_begin_run (f->store, NULL);
  g_autoptr(PdSyncRun) sr = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) failures = NULL;

  store_test_apply (f->store, run,
                    store_test_pc_org (TENANT_C, "Northwind", "northwind.com", "Oslo",
                                       "n@northwind.com", "n1"), NULL);
  g_assert_true (pd_store_add_run_event (f->store, run, &failed, &error));
  g_assert_no_error (error);
  /* The failures alone: the NEW event before it is not read. */
  failures = pd_store_get_run_failures (f->store, run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (failures->len, ==, 1);
  g_assert_cmpstr (((PdRunEvent *) g_ptr_array_index (failures, 0))->tenant_id, ==, TENANT_D);
  g_assert_true (pd_store_finish_sync_run (f->store, run, PD_SYNC_STATE_FAILED, "network down",
                                           &error));
  sr = store_test_get_run (f->store, run);
  g_assert_cmpuint (sr->n_failed, ==, 1);
  g_assert_cmpint (sr->state, ==, PD_SYNC_STATE_FAILED);
  g_assert_cmpstr (sr->error, ==, "network down");
  events = store_test_run_events (f->store, run);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpint (((PdRunEvent *) g_ptr_array_index (events, 0))->kind, ==, PD_RUN_EVENT_NEW);
  g_assert_cmpstr (((PdRunEvent *) g_ptr_array_index (events, 1))->error, ==, "HTTP 500");
  g_assert_null (pd_store_get_last_complete_sync (f->store));
  run = store_test_begin_run (f->store, NULL);
  store_test_finish_run (f->store, run);
  runs = pd_store_list_sync_runs (f->store, 0, &error);
  g_assert_cmpuint (runs->len, ==, 2);
  g_assert_cmpint (((PdSyncRun *) g_ptr_array_index (runs, 0))->id, ==, run);
  g_clear_pointer (&runs, g_ptr_array_unref);
  runs = pd_store_list_sync_runs (f->store, 1, &error);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpstr (pd_sync_state_to_string (PD_SYNC_STATE_INTERRUPTED), ==, "interrupted");
  g_assert_cmpstr (pd_sync_kind_to_string (PD_SYNC_KIND_INCREMENTAL), ==, "incremental");
  g_assert_cmpstr (pd_sync_kind_to_string (PD_SYNC_KIND_RETRY), ==, "retry");
}

/* Events of some kinds, in order, at most a limit of them, and their count: what a report
 * reads instead of a NEW event per customer. */
static void
test_run_events_of_kinds (Fixture       *f,
                          gconstpointer  data)
{
  const char *tenants[] = { TENANT_A, TENANT_B, TENANT_C, TENANT_D };
  const guint kinds = PD_RUN_EVENT_KIND_BIT (PD_RUN_EVENT_FAILED)
                      | PD_RUN_EVENT_KIND_BIT (PD_RUN_EVENT_REMOVED);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) news = NULL;
  gint64 run = store_test_begin_run (f->store, NULL);

  /* NEW, FAILED, NEW, REMOVED, …: the kinds asked for are every other event. */
  for (guint i = 0; i < G_N_ELEMENTS (tenants); i++)
    {
      PdRunEvent event = { .kind = i % 2 == 0 ? PD_RUN_EVENT_NEW
                                              : i == 1 ? PD_RUN_EVENT_FAILED
                                                       : PD_RUN_EVENT_REMOVED,
                           .tenant_id = (char *) tenants[i] };

      g_assert_true (pd_store_add_run_event (f->store, run, &event, &error));
      g_assert_no_error (error);
    }
  all = pd_store_get_run_events_of (f->store, run, kinds, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpint (((PdRunEvent *) g_ptr_array_index (all, 0))->kind, ==, PD_RUN_EVENT_FAILED);
  g_assert_cmpstr (((PdRunEvent *) g_ptr_array_index (all, 0))->tenant_id, ==, TENANT_B);
  g_assert_cmpint (((PdRunEvent *) g_ptr_array_index (all, 1))->kind, ==, PD_RUN_EVENT_REMOVED);
  g_assert_cmpstr (((PdRunEvent *) g_ptr_array_index (all, 1))->tenant_id, ==, TENANT_D);
  first = pd_store_get_run_events_of (f->store, run, kinds, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 1);
  g_assert_cmpstr (((PdRunEvent *) g_ptr_array_index (first, 0))->tenant_id, ==, TENANT_B);
  g_assert_cmpint (pd_store_count_run_events_of (f->store, run, kinds, &error), ==, 2);
  g_assert_cmpint (pd_store_count_run_events_of (f->store, run,
                                                 PD_RUN_EVENT_KIND_BIT (PD_RUN_EVENT_NEW),
                                                 &error), ==, 2);
  g_assert_cmpint (pd_store_count_run_events_of (f->store, run + 1, kinds, &error), ==, 0);
  g_assert_no_error (error);
  news = pd_store_get_run_events_of (f->store, run, PD_RUN_EVENT_KIND_BIT (PD_RUN_EVENT_NEW), 0,
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpuint (news->len, ==, 2);
  g_assert_cmpstr (((PdRunEvent *) g_ptr_array_index (news, 1))->tenant_id, ==, TENANT_C);
  store_test_finish_run (f->store, run);
}

/* Which reseller a running sync's customers belong to: one listing after another (see
 * test_resellers_of_several for a customer two of them list), kept with keep_first, forgotten
 * one by one or all at once; in the connection's temporary storage, so a second connection does
 * not see it and writes beside it. */
static void
test_resellers_of (Fixture       *f,
                   gconstpointer  data)
{
  const char *two[] = { TENANT_B, TENANT_C };
  const char *one[] = { TENANT_B };
  const char *three[] = { TENANT_B, TENANT_C, TENANT_D };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) other = pd_store_open (pd_store_get_path (f->store), &error);
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *d = NULL;

  g_assert_no_error (error);
  g_assert_true (pd_store_set_resellers_of (f->store, two, 2, "r-1", FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_set_meta (other, "written-beside", "1", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pd_store_count_resellers_of (other), ==, 0);
  g_assert_true (pd_store_set_resellers_of (f->store, one, 1, "r-2", FALSE, &error));
  g_assert_true (pd_store_set_resellers_of (f->store, three, 3, "r-3", TRUE, &error));
  g_assert_no_error (error);
  b = pd_store_dup_reseller_of (f->store, TENANT_B);
  c = pd_store_dup_reseller_of (f->store, TENANT_C);
  d = pd_store_dup_reseller_of (f->store, TENANT_D);
  g_assert_cmpstr (b, ==, "r-1");
  g_assert_cmpstr (c, ==, "r-1");
  g_assert_cmpstr (d, ==, "r-3");
  g_assert_null (pd_store_dup_reseller_of (f->store, TENANT_A));
  g_assert_cmpuint (pd_store_count_resellers_of (f->store), ==, 3);
  g_assert_true (pd_store_set_resellers_of (f->store, one, 1, NULL, FALSE, &error));
  g_assert_no_error (error);
  g_assert_null (pd_store_dup_reseller_of (f->store, TENANT_B));
  g_assert_cmpuint (pd_store_count_resellers_of (f->store), ==, 2);
  g_assert_true (pd_store_clear_resellers_of (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pd_store_count_resellers_of (f->store), ==, 0);
}

/* The reseller of tenant after two listings, in this order, name it. */
static char *
attributed_after (PdStore    *store,
                  const char *tenant,
                  const char *first,
                  const char *second)
{
  const char *tenants[] = { tenant };
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_store_clear_resellers_of (store, &error));
  g_assert_true (pd_store_set_resellers_of (store, tenants, 1, first, FALSE, &error));
  g_assert_true (pd_store_set_resellers_of (store, tenants, 1, second, FALSE, &error));
  g_assert_no_error (error);
  return pd_store_dup_reseller_of (store, tenant);
}

/* A customer that several indirect resellers serve is in each one's listing, and the listings
 * come in no set order: it keeps the reseller the cache has, when that one lists it, else the
 * lowest id. Whatever the order, the same answer, so that a sync does not report a move that
 * Partner Center did not make (an incremental run reads the moved customers again). */
static void
test_resellers_of_several (Fixture       *f,
                           gconstpointer  data)
{
  PdOrganization *cached = store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com", "Berlin",
                                              "a@fabrikam.com", "e1");
  g_autofree char *a1 = NULL, *a2 = NULL, *b1 = NULL, *b2 = NULL;

  pd_organization_set_reseller (cached, "r-9", "Nine");
  store_test_apply (f->store, 0, cached, NULL);
  a1 = attributed_after (f->store, TENANT_C, "r-2", "r-1");
  a2 = attributed_after (f->store, TENANT_C, "r-1", "r-2");
  g_assert_cmpstr (a1, ==, "r-1");
  g_assert_cmpstr (a2, ==, "r-1");
  b1 = attributed_after (f->store, TENANT_B, "r-9", "r-1");
  b2 = attributed_after (f->store, TENANT_B, "r-1", "r-9");
  g_assert_cmpstr (b1, ==, "r-9");
  g_assert_cmpstr (b2, ==, "r-9");
}

#define SETTLED_MANY 250

/* A cached customer of reseller_id, read. */
static void
apply_resold (PdStore    *store,
              gint64      run,
              const char *tenant,
              const char *reseller_id)
{
  PdOrganization *org = store_test_pc_org (tenant, "Resold", NULL, "Oulu", NULL, "e1");

  pd_organization_set_reseller (org, reseller_id, "Reseller");
  store_test_apply (store, run, org, NULL);
}

/* A scoped incremental run sees without a read the listed customers that the cache holds
 * read, not removed, and attributed to the reseller the listing names (ids and reseller ids
 * in any case); it reads any other: one the cache lacks, one removed, one never read, one the
 * listing attributes to another reseller. Asked a hundred at a time. */
static void
test_settled_resold (Fixture       *f,
                     gconstpointer  data)
{
  const char *unsettled[] = { TENANT_B, TENANT_C, TENANT_D, "1c3a0d2e-0000-4000-8000-0000000000ee" };
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) settled = NULL;
  g_autoptr(GPtrArray) listed_only = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  gint64 run = store_test_begin_run (f->store, NULL);

  g_ptr_array_add (listed_only, pd_organization_new ());
  pd_organization_set_tenant_id (listed_only->pdata[0], TENANT_D);
  pd_organization_set_name (listed_only->pdata[0], "Listed Only");
  pd_organization_set_reseller (listed_only->pdata[0], "r-1", "Reseller");
  for (guint i = 0; i < SETTLED_MANY; i++)
    {
      g_ptr_array_add (listed, g_strdup_printf ("5e771ed0-0000-4000-8000-%012u", i));
      apply_resold (f->store, run, g_ptr_array_index (listed, i), "R-1");
    }
  {
    g_autofree char *lower = listed->pdata[0];

    listed->pdata[0] = g_ascii_strup (lower, -1);
  }
  apply_resold (f->store, run, TENANT_B, "r-2");
  apply_resold (f->store, run, TENANT_C, "r-1");
  g_assert_true (pd_store_apply_listing (f->store, run, listed_only, NULL, &error));
  g_assert_true (pd_store_mark_removed (f->store, run, TENANT_C, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (unsettled); i++)
    g_ptr_array_add (listed, g_strdup (unsettled[i]));
  g_assert_true (pd_store_set_resellers_of (f->store, (const char * const *) listed->pdata,
                                            listed->len, "r-1", FALSE, &error));
  g_assert_no_error (error);

  g_assert_true (pd_store_find_settled_resold (f->store, (const char * const *) listed->pdata,
                                               listed->len, &settled, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (settled), ==, SETTLED_MANY);
  g_assert_true (g_hash_table_contains (settled, g_ptr_array_index (listed, 0)));
  g_assert_true (g_hash_table_contains (settled, "5e771ed0-0000-4000-8000-000000000249"));
  for (guint i = 0; i < G_N_ELEMENTS (unsettled); i++)
    g_assert_false (g_hash_table_contains (settled, unsettled[i]));
  store_test_finish_run (f->store, run);
}

/* Customers of test_run_end_memory: their names are long, so that sorting one of the indexes
 * on names takes RUN_END_ORGS * RUN_END_NAME bytes, far more than the small cache it is built
 * on; every 100th shares its name with the one before. */
#define RUN_END_ORGS 40000
#define RUN_END_NAME 300
#define RUN_END_BATCH 2000

static void
apply_long_names (PdStore *store,
                  gint64   run,
                  guint    first)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *padding = g_strnfill (RUN_END_NAME, 'x');
  g_autoptr(GError) error = NULL;

  for (guint i = first; i < first + RUN_END_BATCH; i++)
    {
      g_autofree char *tenant = g_strdup_printf ("3d3a0d2e-0000-4000-8000-%012u", i);
      g_autofree char *name = g_strdup_printf ("%s %u", padding, i % 100 == 1 ? i - 1 : i);
      g_autofree char *domain = g_strdup_printf ("c%u.example", i);

      g_ptr_array_add (orgs, store_test_pc_org (tenant, name, domain, "Berlin", NULL, "e1"));
    }
  g_assert_true (pd_store_apply_partner_center (store, run, orgs, NULL, &error));
  g_assert_no_error (error);
}

/* The number of the indexes of a first sync's end (those on names and duplicate keys) that the
 * file at path has. */
static gint64
count_bulk_indexes (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM sqlite_schema WHERE "
                                           "type = 'index' AND name IN ('organizations_name', "
                                           "'organizations_name_key', "
                                           "'organizations_domain_key')", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* The end of a first sync builds the indexes it left out without holding their keys in memory
 * (issue 14: at a million customers the sorts took 160 MB): SQLite's own high-water mark over
 * pd_store_finish_sync_run stays well under the 12 MB that the names alone take, the page cache
 * being full already. The run still ends with the indexes and the duplicate flags. Nor does
 * the list of countries that follows sort every row. */
static void
test_run_end_memory (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autofree char *path = g_strdup (pd_store_get_path (store));
  g_autoptr(GError) error = NULL;
  guint counts[PD_N_FILTERS];
  g_auto(GStrv) countries = NULL;
  gint64 run = store_test_begin_run (store, NULL);
  sqlite3_int64 before, peak;

  /* An empty cache: the first sync's batches are stored without the indexes on names. */
  g_assert_cmpint (count_bulk_indexes (path), ==, 0);
  for (guint i = 0; i < RUN_END_ORGS; i += RUN_END_BATCH)
    apply_long_names (store, run, i);
  before = sqlite3_memory_used ();
  sqlite3_memory_highwater (TRUE);
  store_test_finish_run (store, run);
  peak = sqlite3_memory_highwater (FALSE);
  g_test_message ("SQLite memory: %" G_GINT64_FORMAT " before the run's end, %" G_GINT64_FORMAT
                  " at most during it", (gint64) before, (gint64) peak);
  g_assert_cmpint (peak - before, <, 6 * 1024 * 1024);

  g_assert_cmpint (count_bulk_indexes (path), ==, 3);
  g_assert_true (pd_store_count_filters (store, NULL, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts[PD_FILTER_DUPLICATES], ==, 2 * RUN_END_ORGS / 100);

  /* The countries whose rules the engine refreshes next: one of each kept, not every row
   * sorted. */
  before = sqlite3_memory_used ();
  sqlite3_memory_highwater (TRUE);
  countries = pd_store_dup_countries (store);
  peak = sqlite3_memory_highwater (FALSE);
  g_assert_cmpuint (g_strv_length (countries), ==, 1);
  g_assert_cmpstr (countries[0], ==, "DE");
  g_assert_cmpint (peak - before, <, 256 * 1024);
  g_clear_object (&store);
  store_test_assert_integrity (path);
  pd_test_rm_rf (dir);
}

/* An organization of a listing page: tenant id and name (NULL: no tenant id). */
static PdOrganization *
listed_org (const char *tenant_id,
            const char *name)
{
  PdOrganization *org = pd_organization_new ();

  pd_organization_set_tenant_id (org, tenant_id);
  pd_organization_set_name (org, name);
  return org;
}

/* Takes up to limit of run's listed customers and returns their tenant ids joined by ",". */
static char *
take_listed (PdStore *store,
             gint64   run,
             guint    limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) taken = pd_store_take_listed (store, run, limit, &error);
  g_autoptr(GString) ids = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (taken);
  for (guint i = 0; i < taken->len; i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? "," : "",
                            pd_organization_get_tenant_id (g_ptr_array_index (taken, i)));
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static void
queue_listed (PdStore    *store,
              gint64      run,
              const char *expect_new,
              ...)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) new = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GString) got = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  va_list args;
  const char *tenant;

  va_start (args, expect_new);
  while ((tenant = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (orgs, listed_org (*tenant != '\0' ? tenant : NULL, "Name"));
  va_end (args);
  g_assert_true (pd_store_queue_listed (store, run, orgs, new, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < new->len; i++)
    g_string_append_printf (got, "%s%u", i > 0 ? "," : "", g_array_index (new, guint, i));
  g_assert_cmpstr (got->str, ==, expect_new);
}

/* The customers a run listed wait in the cache in listing order, each once per run, until
 * taken; a listing read again skips them, taken or not; another run's are its own. */
static void
test_listed_queue (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) taken = NULL;
  gint64 run = store_test_begin_run (f->store, NULL);
  g_autofree char *first = NULL, *second = NULL, *rest = NULL, *none = NULL, *other = NULL;

  /* No tenant id: left out; "a" twice on a page: once. */
  queue_listed (f->store, run, "0,1,4", "c", "a", "", "a", "b", NULL);
  queue_listed (f->store, 99, "0", "a", NULL);
  first = take_listed (f->store, run, 2);
  g_assert_cmpstr (first, ==, "c,a");
  /* Read again (an expired continuation token): nothing new, taken or not. */
  queue_listed (f->store, run, "2", "c", "b", "d", NULL);
  second = take_listed (f->store, run, 10);
  g_assert_cmpstr (second, ==, "b,d");
  none = take_listed (f->store, run, 10);
  g_assert_cmpstr (none, ==, "");

  /* The name comes back with the tenant id. */
  queue_listed (f->store, run, "0", "e", NULL);
  taken = pd_store_take_listed (f->store, run, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (taken->len, ==, 1);
  g_assert_cmpstr (pd_organization_get_name (g_ptr_array_index (taken, 0)), ==, "Name");

  /* Cleared, the run's listing starts afresh; another run's stays until cleared too. */
  g_assert_true (pd_store_clear_listed (f->store, run, &error));
  g_assert_no_error (error);
  queue_listed (f->store, run, "0", "a", NULL);
  rest = take_listed (f->store, run, 10);
  g_assert_cmpstr (rest, ==, "a");
  g_assert_true (pd_store_clear_listed (f->store, 0, &error));
  g_assert_no_error (error);
  other = take_listed (f->store, 99, 10);
  g_assert_cmpstr (other, ==, "");
  store_test_finish_run (f->store, run);
}

/* ---- two syncs of two accounts claim a fresh cache at once ---- */

typedef struct {
  PdStore *store;
  gint     tid;        /* the claiming thread's, once it runs */
  gint     done;
  gboolean claimed;
  GError  *error;
} Claim;

static gpointer
claim_thread (gpointer data)
{
  Claim *claim = data;

  g_atomic_int_set (&claim->tid, (gint) syscall (SYS_gettid));
  claim->claimed = pd_store_claim_partner (claim->store, TENANT_C, "Partner C", NULL,
                                           &claim->error);
  g_atomic_int_set (&claim->done, TRUE);
  return NULL;
}

static gboolean
tick_again (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* The claiming thread sleeps: SQLite's busy handler waits for the write lock the other
 * process holds (it makes no other blocking call), or it is done. */
static gboolean
claim_waits (gpointer data)
{
  Claim *claim = data;
  gint tid = g_atomic_int_get (&claim->tid);
  g_autofree char *path = NULL;
  g_autofree char *stat = NULL;
  const char *end;

  if (g_atomic_int_get (&claim->done))
    return TRUE;
  if (tid == 0)
    return FALSE;
  path = g_strdup_printf ("/proc/self/task/%d/stat", tid);
  if (!g_file_get_contents (path, &stat, NULL, NULL) || (end = strrchr (stat, ')')) == NULL)
    return FALSE;
  return strncmp (end, ") S", 3) == 0;
}

/* Another process's first sync records its account (B) while this one's sync, of another
 * account (C), claims the same fresh cache: one of the two is refused, and the account the
 * cache records is the one whose sync goes on. Checked apart from the record, the claim found
 * the cache free before the other's record was committed, and replaced it after: that sync
 * stored B's customers in a cache then said to be C's. */
static void
test_claim_partner_race (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path = g_strdup (pd_store_get_path (f->store));
  g_autofree char *tenant = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) other = pd_store_open (path, &error);
  Claim claim = { NULL, 0, FALSE, FALSE, NULL };
  sqlite3 *db = NULL;
  GThread *thread;
  guint tick;

  g_assert_no_error (error);
  g_assert_null (pd_store_dup_partner_tenant_id (f->store));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE; INSERT INTO meta (key, value) VALUES "
                                     "('partner-tenant-id', '" TENANT_B "')", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  claim.store = other;
  thread = g_thread_new ("claim", claim_thread, &claim);
  /* Nothing else wakes the main loop while the thread runs: look every few milliseconds. */
  tick = g_timeout_add (5, tick_again, NULL);
  g_assert_true (pd_test_wait_until (claim_waits, &claim, 30000));
  g_source_remove (tick);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  g_thread_join (thread);
  sqlite3_close (db);

  g_assert_false (claim.claimed);
  g_assert_error (claim.error, PD_STORE_ERROR, PD_STORE_ERROR_OTHER_PARTNER);
  g_clear_error (&claim.error);
  tenant = pd_store_dup_partner_tenant_id (f->store);
  g_assert_cmpstr (tenant, ==, TENANT_B);
}

static gboolean
dup_flags_exact (PdStore *store)
{
  g_autoptr(GError) error = NULL;
  gboolean exact = FALSE;

  g_assert_true (pd_store_get_dup_flags_exact (store, &exact, &error));
  g_assert_no_error (error);
  return exact;
}

static guint
count_flagged (PdStore *store)
{
  g_autoptr(GError) error = NULL;
  guint counts[PD_N_FILTERS];

  g_assert_true (pd_store_count_filters (store, NULL, counts, &error));
  g_assert_no_error (error);
  return counts[PD_FILTER_DUPLICATES];
}

/* A first sync keeps the duplicate flags for its end: in between, the store says that they
 * are not to be trusted (partner-desk-cli duplicates then groups every organization). */
static void
test_dup_flags_exact (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  gint64 run;

  g_assert_true (dup_flags_exact (store));
  run = store_test_begin_run (store, NULL);
  store_test_apply (store, run,
                    store_test_pc_org ("5d0c0a11-0000-4000-8000-000000000001", "Contoso Ltd",
                                       "contoso.com", "Berlin", NULL, "e1"),
                    store_test_pc_org ("5d0c0a11-0000-4000-8000-000000000002", "Contoso Ltd",
                                       "contoso.de", "Bonn", NULL, "e1"),
                    NULL);
  g_assert_false (dup_flags_exact (store));
  g_assert_cmpuint (count_flagged (store), ==, 0);
  store_test_finish_run (store, run);
  g_assert_true (dup_flags_exact (store));
  g_assert_cmpuint (count_flagged (store), ==, 2);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

int
main (int argc, char *argv[])
{
  pd_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, store_test_fixture_set_up, func, store_test_fixture_tear_down)
  ADD ("/store-merge/removed-kept", test_removed_kept);
  ADD ("/store-sync/second-run-busy", test_second_run_busy);
  ADD ("/store-sync/probe-is-not-a-run", test_probe_is_not_a_run);
  ADD ("/store-sync/interrupted-run-checkpoint", test_interrupted_run_checkpoint);
  ADD ("/store-sync/run-end-refused-by-busy-cache", test_run_end_refused_by_busy_cache);
  ADD ("/store-sync/old-interrupted-run-not-resumed", test_old_interrupted_run_not_resumed);
  ADD ("/store-sync/old-chain-not-resumed", test_old_chain_not_resumed);
  ADD ("/store-sync/fresh-run-after-old-chain-resumed", test_fresh_run_after_old_chain_resumed);
  ADD ("/store-sync/interrupted-incremental-not-resumed",
       test_interrupted_incremental_not_resumed);
  ADD ("/store-sync/interrupted-unchanged-resync", test_interrupted_unchanged_resync);
  ADD ("/store-sync/mark-seen", test_mark_seen);
  ADD ("/store-sync/failed-event-and-runs", test_failed_event_and_runs_list);
  ADD ("/store-sync/run-events-of-kinds", test_run_events_of_kinds);
  ADD ("/store-sync/resellers-of", test_resellers_of);
  ADD ("/store-sync/resellers-of-several", test_resellers_of_several);
  ADD ("/store-sync/settled-resold", test_settled_resold);
  g_test_add_func ("/store-sync/run-end-memory", test_run_end_memory);
  g_test_add_func ("/store-sync/dup-flags-exact", test_dup_flags_exact);
  ADD ("/store-sync/listed-queue", test_listed_queue);
  ADD ("/store-sync/claim-partner-race", test_claim_partner_race);
#undef ADD
  return g_test_run ();
}
