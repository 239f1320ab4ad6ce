/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sync-kill.c — `partner-desk-cli sync` killed with SIGKILL in the middle of a run, then
 * run again: the cache passes PRAGMA integrity_check, every local edit is intact, and the final
 * state equals an uninterrupted run's.
 *
 * The simulator runs in this process, on the main context that the waits below spin; the CLI
 * is a real child process. */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>

#include "pd-test-util.h"
#include "store-test-helpers.h"
#include "sync-test-helpers.h"

#define N_CUSTOMERS 1500

typedef struct {
  GPid     pid;
  gboolean exited;
  int      status;
} Child;

static void
on_child_exit (GPid     pid,
               int      status,
               gpointer user_data)
{
  Child *child = user_data;

  child->status = status;
  child->exited = TRUE;
  g_spawn_close_pid (pid);
}

/* Starts `partner-desk-cli --db DB sync [extra]` against the simulator. */
static void
spawn_cli (Child       *child,
           SyncFixture *fx,
           const char  *extra)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  const char *argv[] = { PD_CLI_PATH, "--db", fx->db_path, "sync", extra, NULL };

  memset (child, 0, sizeof *child);
  envp = g_environ_setenv (envp, "PARTNER_DESK_API_URL", pd_simulator_get_base_url (fx->sim), TRUE);
  envp = g_environ_setenv (envp, "PARTNER_DESK_ACCESS_TOKEN", SYNC_TEST_TOKEN, TRUE);
  g_assert_true (g_spawn_async (NULL, (char **) argv, envp,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                NULL, NULL, &child->pid, &error));
  g_assert_no_error (error);
  g_child_watch_add (child->pid, on_child_exit, child);
}

static int
wait_cli (Child *child)
{
  g_assert_true (pd_test_wait_for_flag (&child->exited, 240 * 1000));
  g_assert_true (WIFEXITED (child->status));
  return WEXITSTATUS (child->status);
}

typedef struct {
  PdStore *reader;       /* a second connection, as another window would have */
  guint    at_least;     /* organizations stored by the running sync */
  gint64   next_check_us;
  gboolean enough;       /* the last answer, repeated between checks */
  Child   *child;
} KillPoint;

static gboolean
enough_stored (gpointer data)
{
  KillPoint *point = data;
  g_autoptr(PdSyncRun) run = NULL;
  g_autoptr(GHashTable) checkpoint = NULL;
  gint64 now = g_get_monotonic_time ();

  g_assert_false (point->child->exited && !point->enough);   /* killed before it finished */
  /* The predicate runs on every main-loop iteration (every simulator request): look at the
   * database only every 20 ms. */
  if (point->enough || now < point->next_check_us)
    return point->enough;
  point->next_check_us = now + 20 * G_TIME_SPAN_MILLISECOND;
  run = pd_store_get_running_sync (point->reader);
  if (run == NULL)
    return FALSE;
  checkpoint = pd_store_get_checkpoint (point->reader, run->id, NULL);
  point->enough = checkpoint != NULL && g_hash_table_size (checkpoint) >= point->at_least;
  return point->enough;
}

static void
kill_when_stored (SyncFixture *fx,
                  Child       *child,
                  guint        at_least)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) reader = pd_store_open (fx->db_path, &error);
  KillPoint point = { reader, at_least, 0, FALSE, child };

  g_assert_no_error (error);
  g_assert_true (pd_test_wait_until (enough_stored, &point, 120 * 1000));
  g_assert_cmpint (kill (child->pid, SIGKILL), ==, 0);
  g_assert_true (pd_test_wait_for_flag (&child->exited, 30 * 1000));
  g_assert_true (WIFSIGNALED (child->status));
  g_assert_cmpint (WTERMSIG (child->status), ==, SIGKILL);
}

/* A few local edits of every kind the user can make, on the given tenants. */
static void
make_local_edits (PdStore            *store,
                  const char * const *tenants)
{
  for (guint i = 0; tenants[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PdOrganization) org = pd_store_find_by_tenant (store, tenants[i], &error);
      g_autofree char *erp = g_strdup_printf ("ERP-%u", i);
      gint64 id;

      g_assert_no_error (error);
      id = pd_organization_get_id (org);
      g_assert_true (pd_store_set_field (store, id, "erp-id", erp, &error));
      g_assert_true (pd_store_set_field (store, id, "notes", "kept across kill -9", &error));
      g_assert_true (pd_store_set_bill_to_field (store, id, PD_BILL_TO_PHONE_NUMBER,
                                                 "+33 1 23 45 67 89", &error));
      g_assert_no_error (error);
    }
}

static void
assert_local_edits (const char         *path,
                    const char * const *tenants)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (path, &error);

  g_assert_no_error (error);
  for (guint i = 0; tenants[i] != NULL; i++)
    {
      g_autoptr(PdOrganization) org = pd_store_find_by_tenant (store, tenants[i], &error);
      g_autofree char *erp = g_strdup_printf ("ERP-%u", i);

      g_assert_no_error (error);
      g_assert_cmpstr (pd_organization_get_erp_id (org), ==, erp);
      g_assert_cmpstr (pd_organization_get_notes (org), ==, "kept across kill -9");
      g_assert_true (pd_organization_is_field_overridden (org, PD_BILL_TO_PHONE_NUMBER));
    }
}

static char *
dump_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (path, &error);

  g_assert_no_error (error);
  return sync_test_dump (store, NULL);
}

static void
options_for_kill (PdSimulatorOptions *options)
{
  pd_simulator_options_init (options);
  options->n_customers = N_CUSTOMERS;
  options->seed = 21;
  /* Slow enough that the CLI is surely still running when a few batches are stored. */
  options->latency_ms = 4;
}

/* The run after the kill resumed the killed one: it stored only what was missing. */
static void
assert_resumed (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (path, &error);
  g_autoptr(GPtrArray) runs = NULL;
  PdSyncRun *last, *killed;

  g_assert_no_error (error);
  runs = pd_store_list_sync_runs (store, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 2);
  last = g_ptr_array_index (runs, 0);
  killed = g_ptr_array_index (runs, 1);
  g_assert_cmpint (killed->state, ==, PD_SYNC_STATE_INTERRUPTED);
  g_assert_cmpint (last->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (killed->n_new, >=, 500);
  g_assert_cmpuint (last->n_new, ==, N_CUSTOMERS - killed->n_new);
}

static char *
mutate_others (PdSimulator *sim,
               char       **tenants)
{
  g_autoptr(GString) json = g_string_new ("{\"add\": 5, \"seed\": 4, \"changeBillTo\": [");
  g_autoptr(GError) error = NULL;
  char *answer;

  for (guint i = 10; i < 50; i++)
    g_string_append_printf (json, "%s\"%s\"", i > 10 ? ", " : "", tenants[i]);
  g_string_append (json, "]}");
  answer = pd_simulator_mutate_json (sim, json->str, &error);
  g_assert_no_error (error);
  return answer;
}

/* Killed during the very first sync of an empty cache, then run again. */
static void
test_kill_first_sync (void)
{
  PdSimulatorOptions options;
  SyncFixture fx, clean;
  Child child;
  g_autofree char *dump = NULL, *clean_dump = NULL;

  options_for_kill (&options);
  sync_fixture_init (&fx, &options);
  /* The fixture's own connection would hold nothing the CLI needs: close it. */
  g_clear_object (&fx.engine);
  g_clear_object (&fx.store);

  spawn_cli (&child, &fx, NULL);
  kill_when_stored (&fx, &child, 500);
  store_test_assert_file_sound (fx.db_path);
  store_test_assert_search_index_well_formed (fx.db_path);

  spawn_cli (&child, &fx, NULL);
  g_assert_cmpint (wait_cli (&child), ==, 0);
  store_test_assert_integrity (fx.db_path);
  assert_resumed (fx.db_path);

  sync_fixture_init_peer (&clean, &fx, "clean.db");
  g_assert_cmpint (sync_test_run (clean.engine, PD_SYNC_MODE_FULL, NULL, NULL), >, 0);
  dump = dump_file (fx.db_path);
  clean_dump = sync_test_dump (clean.store, NULL);
  g_assert_cmpstr (dump, ==, clean_dump);
  sync_fixture_clear (&clean);
  sync_fixture_clear (&fx);
}

/* Killed during a full sync of a cache with local edits, while Partner Center changed other
 * customers; then run again. */
static void
test_kill_with_local_edits (void)
{
  PdSimulatorOptions options;
  SyncFixture fx, clean;
  Child child;
  g_auto(GStrv) tenants = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *dump = NULL, *clean_dump = NULL;
  const char *edited[4] = { NULL };

  options_for_kill (&options);
  sync_fixture_init (&fx, &options);
  g_assert_cmpint (sync_test_run (fx.engine, PD_SYNC_MODE_FULL, NULL, NULL), >, 0);
  tenants = pd_simulator_dup_customer_ids (fx.sim);
  edited[0] = tenants[1];
  edited[1] = tenants[N_CUSTOMERS / 2];
  edited[2] = tenants[N_CUSTOMERS - 2];
  make_local_edits (fx.store, edited);
  g_clear_object (&fx.engine);
  g_clear_object (&fx.store);
  /* Customers other than the edited ones: an edited one whose bill-to changed would rightly
   * lose its override here but keep it in the reference, which is edited after the change. */
  answer = mutate_others (fx.sim, tenants);

  spawn_cli (&child, &fx, "--full");
  kill_when_stored (&fx, &child, 300);
  store_test_assert_file_sound (fx.db_path);
  store_test_assert_search_index_well_formed (fx.db_path);
  assert_local_edits (fx.db_path, edited);

  spawn_cli (&child, &fx, NULL);
  g_assert_cmpint (wait_cli (&child), ==, 0);
  store_test_assert_integrity (fx.db_path);
  assert_local_edits (fx.db_path, edited);

  /* The reference: the same edits, then one uninterrupted full sync after the change. */
  sync_fixture_init_peer (&clean, &fx, "clean.db");
  g_assert_cmpint (sync_test_run (clean.engine, PD_SYNC_MODE_FULL, NULL, NULL), >, 0);
  make_local_edits (clean.store, edited);
  dump = dump_file (fx.db_path);
  clean_dump = sync_test_dump (clean.store, NULL);
  g_assert_cmpstr (dump, ==, clean_dump);
  sync_fixture_clear (&clean);
  sync_fixture_clear (&fx);
}

int
main (int argc, char **argv)
{
  pd_test_init (&argc, &argv);
  g_test_add_func ("/sync/kill/first-sync", test_kill_first_sync);
  g_test_add_func ("/sync/kill/with-local-edits", test_kill_with_local_edits);
  return g_test_run ();
}
