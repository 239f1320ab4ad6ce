/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sync-scope.c — "My resellers" (issue 14): a sync scoped to some indirect resellers lists
 * only their customers, marks removed only theirs, and changing the scope marks nothing. The
 * store's side first (the kept scope, a run's scope, migrations keep the cache), then runs
 * against the simulator. */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "pd-test-util.h"
#include "sync-test-helpers.h"
#include "sync/pd-sync-engine-private.h"

static void
options_scope (PdSimulatorOptions *options,
               guint               n_customers,
               guint               n_resellers)
{
  pd_simulator_options_init (options);
  options->n_customers = n_customers;
  options->n_resellers = n_resellers;
  options->seed = 11;
}

static void
set_scope (SyncFixture        *fx,
           const char * const *ids)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_store_set_reseller_scope (fx->store, ids, &error));
  g_assert_no_error (error);
}

/* Tenant ids of the cache's Partner Center customers of reseller_id (NULL: of none), read
 * straight from the file. */
static GPtrArray *
tenants_of (SyncFixture *fx,
            const char  *reseller_id)
{
  GPtrArray *tenants = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fx->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, reseller_id != NULL
                                       ? "SELECT tenant_id FROM organizations WHERE source = 0 "
                                         "AND reseller_id = ? ORDER BY tenant_id"
                                       : "SELECT tenant_id FROM organizations WHERE source = 0 "
                                         "AND reseller_id IS NULL ORDER BY tenant_id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  if (reseller_id != NULL)
    sqlite3_bind_text (stmt, 1, reseller_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tenants, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return tenants;
}

/* The resellers the cache knows, by id, after a first full run. */
static char **
cached_reseller_ids (SyncFixture *fx)
{
  g_autoptr(GPtrArray) pairs = pd_store_list_resellers (fx->store, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_assert_nonnull (pairs);
  for (guint i = 0; i < pairs->len; i++)
    {
      g_auto(GStrv) pair = g_strsplit (g_ptr_array_index (pairs, i), "\t", 2);

      g_strv_builder_add (builder, pair[0]);
    }
  return g_strv_builder_end (builder);
}

static void
remove_in_simulator (SyncFixture        *fx,
                     const char * const *ids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) json = g_string_new ("{\"remove\": [");
  g_autofree char *answer = NULL;

  for (guint i = 0; ids[i] != NULL; i++)
    g_string_append_printf (json, "%s\"%s\"", i > 0 ? ", " : "", ids[i]);
  g_string_append (json, "]}");
  answer = pd_simulator_mutate_json (fx->sim, json->str, &error);
  g_assert_no_error (error);
}

/* The cached organization of tenant_id (it must be there). */
static PdOrganization *
cached (SyncFixture *fx,
        const char  *tenant_id)
{
  g_autoptr(GError) error = NULL;
  PdOrganization *org = pd_store_find_by_tenant (fx->store, tenant_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (org);
  return org;
}

/* The name the cache knows for reseller_id, from its (id, name) pairs. */
static char *
cached_reseller_name (SyncFixture *fx,
                      const char  *reseller_id)
{
  g_autoptr(GPtrArray) pairs = pd_store_list_resellers (fx->store, NULL);

  g_assert_nonnull (pairs);
  for (guint i = 0; i < pairs->len; i++)
    {
      g_auto(GStrv) pair = g_strsplit (g_ptr_array_index (pairs, i), "\t", 2);

      if (g_strcmp0 (pair[0], reseller_id) == 0)
        return g_strdup (pair[1]);
    }
  g_assert_not_reached ();
}

/* ---- the store ---- */

static void
test_store_scope (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_autoptr(GError) error = NULL;
  const char * const messy[] = { " B-2 ", "a-1", "", "b-2", "A-1", NULL };
  const char * const none[] = { "  ", NULL };
  g_auto(GStrv) kept = NULL;
  g_auto(GStrv) run_scope = NULL;
  g_auto(GStrv) cleared = NULL;
  g_auto(GStrv) blank = NULL;

  options_scope (&options, 5, 1);
  sync_fixture_init (&fx, &options);
  g_assert_null (pd_store_dup_reseller_scope (fx.store));

  /* Ids are kept lower-case, sorted, once each. */
  set_scope (&fx, messy);
  kept = pd_store_dup_reseller_scope (fx.store);
  g_assert_nonnull (kept);
  g_assert_cmpuint (g_strv_length (kept), ==, 2);
  g_assert_cmpstr (kept[0], ==, "a-1");
  g_assert_cmpstr (kept[1], ==, "b-2");

  g_assert_true (pd_store_set_run_scope (fx.store, 42, messy, &error));
  g_assert_no_error (error);
  run_scope = pd_store_dup_run_scope (fx.store, 42);
  g_assert_true (g_strv_equal ((const char * const *) run_scope, (const char * const *) kept));
  g_assert_null (pd_store_dup_run_scope (fx.store, 41));

  /* Nothing but blanks is "all", like no scope. */
  set_scope (&fx, none);
  cleared = pd_store_dup_reseller_scope (fx.store);
  g_assert_null (cleared);
  blank = pd_store_normalize_scope (none);
  g_assert_null (blank);
  sync_fixture_clear (&fx);
}

/* ---- runs ---- */

/* A full scoped sync lists only the scope's customers and marks removed only those of its
 * resellers that Partner Center no longer lists: a removed customer of another reseller, or a
 * direct one, stays as it was until a sync covers it. */
static void
test_scoped_run_lists_and_removes_only_scope (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_auto(GStrv) resellers = NULL;
  g_autoptr(GPtrArray) of_a = NULL;
  g_autoptr(GPtrArray) of_b = NULL;
  g_autoptr(GPtrArray) direct = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GHashTable) removed = NULL;
  g_autoptr(PdSyncRun) scoped = NULL;
  g_autoptr(PdSyncRun) all = NULL;
  g_auto(GStrv) recorded = NULL;
  guint64 before;
  gint64 run_id;

  options_scope (&options, 240, 2);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  resellers = cached_reseller_ids (&fx);
  g_assert_cmpuint (g_strv_length (resellers), ==, 2);
  of_a = tenants_of (&fx, resellers[0]);
  of_b = tenants_of (&fx, resellers[1]);
  direct = tenants_of (&fx, NULL);
  g_assert_cmpuint (of_a->len, >, 2);
  g_assert_cmpuint (of_b->len, >, 0);
  g_assert_cmpuint (direct->len, >, 0);

  {
    const char * const gone[] = {
      g_ptr_array_index (of_a, 0), g_ptr_array_index (of_b, 0), g_ptr_array_index (direct, 0),
      NULL,
    };
    const char * const scope[] = { resellers[0], NULL };

    remove_in_simulator (&fx, gone);
    set_scope (&fx, scope);
    before = pd_simulator_get_requests (fx.sim);
    run_id = sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
    scoped = sync_test_get_run (fx.store, run_id);
    recorded = pd_store_dup_run_scope (fx.store, run_id);

    /* It read only the scope: A's customers (less the removed one) each by id, plus the
     * profile, the reseller list and A's listing page. */
    g_assert_cmpint (scoped->kind, ==, PD_SYNC_KIND_FULL);
    g_assert_true (g_strv_equal ((const char * const *) recorded, scope));
    g_assert_cmpuint (scoped->n_unchanged, ==, of_a->len - 1);
    g_assert_cmpuint (scoped->n_removed, ==, 1);
    g_assert_cmpuint (pd_simulator_get_requests (fx.sim) - before, <, of_a->len + 10);
    removed = sync_test_removed (fx.store);
    g_assert_cmpuint (g_hash_table_size (removed), ==, 1);
    g_assert_true (g_hash_table_contains (removed, gone[0]));
    g_assert_false (g_hash_table_contains (removed, gone[1]));
    g_assert_false (g_hash_table_contains (removed, gone[2]));
    /* Outside the scope, the cache keeps its customers. */
    g_assert_cmpuint (pd_store_count (fx.store), ==, 240);

    /* Back to all: a full run (the last complete one was scoped), which removes the others. */
    set_scope (&fx, NULL);
    run_id = sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO);
    all = sync_test_get_run (fx.store, run_id);
    g_assert_cmpint (all->kind, ==, PD_SYNC_KIND_FULL);
    g_assert_null (pd_store_dup_run_scope (fx.store, run_id));
    g_assert_cmpuint (all->n_removed, ==, 2);
    g_clear_pointer (&removed, g_hash_table_unref);
    removed = sync_test_removed (fx.store);
    g_assert_cmpuint (g_hash_table_size (removed), ==, 3);
    events = sync_test_events (fx.store, run_id, PD_RUN_EVENT_NEW);
    g_assert_cmpuint (events->len, ==, 0);
  }
  sync_fixture_clear (&fx);
}

/* Narrowing, widening and dropping the scope is no removal: every run marks nothing while
 * Partner Center is unchanged. Each scoped run builds on the first full run, which covered
 * every reseller: incremental, it reads none of the customers it lists. The first unscoped run
 * after them is full, and the one after that incremental again. */
static void
test_changing_scope_marks_nothing (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_auto(GStrv) resellers = NULL;
  g_autoptr(GHashTable) removed = NULL;
  g_autoptr(PdSyncRun) last = NULL;
  g_autoptr(GPtrArray) of_c = NULL;

  options_scope (&options, 150, 3);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  resellers = cached_reseller_ids (&fx);
  g_assert_cmpuint (g_strv_length (resellers), ==, 3);
  of_c = tenants_of (&fx, resellers[2]);

  {
    const char * const both[] = { resellers[0], resellers[1], NULL };
    const char * const one[] = { resellers[1], NULL };
    const char * const other[] = { resellers[2], NULL };
    const char * const *steps[] = { both, one, other, both };

    for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
      {
        g_autoptr(PdSyncRun) run = NULL;

        set_scope (&fx, steps[i]);
        run = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
        g_assert_cmpint (run->kind, ==, PD_SYNC_KIND_INCREMENTAL);
        g_assert_cmpuint (run->n_removed, ==, 0);
        g_assert_cmpuint (run->n_new, ==, 0);
        g_assert_cmpuint (run->n_updated, ==, 0);
        g_assert_cmpuint (run->n_unchanged, ==, 0);
      }
  }
  removed = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed), ==, 0);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 150);

  /* Back to all: full once (the last complete run was scoped, and a retry of a few customers
   * since changes nothing to that), then incremental again. */
  set_scope (&fx, NULL);
  {
    g_autoptr(GError) error = NULL;
    const char * const one[] = { g_ptr_array_index (of_c, 0), NULL };

    g_assert_cmpint (sync_test_retry (fx.engine, one, &error), >, 0);
    g_assert_no_error (error);
  }
  {
    g_autoptr(PdSyncRun) widened =
      sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));

    g_assert_cmpint (widened->kind, ==, PD_SYNC_KIND_FULL);
    g_assert_cmpuint (widened->n_removed, ==, 0);
    g_assert_cmpuint (widened->n_unchanged, ==, 150);
  }
  last = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (last->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  sync_fixture_clear (&fx);
}

/* The mass-removal guard counts within the scope: most of one reseller's customers gone is
 * refused even though they are few of the whole cache, and allowed once on the user's word. */
static void
test_mass_removal_per_scope (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_auto(GStrv) resellers = NULL;
  g_autoptr(GPtrArray) of_a = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) gone = NULL;
  g_autoptr(GHashTable) removed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSyncRun) allowed = NULL;
  guint64 before;
  guint n_gone;

  options_scope (&options, 400, 1);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  resellers = cached_reseller_ids (&fx);
  of_a = tenants_of (&fx, resellers[0]);
  /* About 35 % of the customers belong to the one reseller. */
  g_assert_cmpuint (of_a->len, >, 60);
  n_gone = of_a->len / 2 + 1;
  for (guint i = 0; i < n_gone; i++)
    g_strv_builder_add (builder, g_ptr_array_index (of_a, i));
  gone = g_strv_builder_end (builder);
  remove_in_simulator (&fx, (const char * const *) gone);
  g_assert_false (pd_sync_is_mass_removal (n_gone, 400));

  {
    const char * const scope[] = { resellers[0], NULL };

    set_scope (&fx, scope);
  }
  before = pd_simulator_get_requests (fx.sim);
  g_assert_cmpint (sync_test_run (fx.engine, PD_SYNC_MODE_AUTO, NULL, &error), ==, 0);
  g_assert_error (error, PD_SYNC_ERROR, PD_SYNC_ERROR_MASS_REMOVAL);
  /* Refused before any customer it lacks is asked for: the requests are those of the others
   * (fetched by id) and a few of the run's own, not one more per customer gone. */
  g_assert_cmpuint (pd_simulator_get_requests (fx.sim) - before, <, of_a->len - n_gone + 10);
  g_assert_nonnull (strstr (error->message, "resellers"));
  removed = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed), ==, 0);

  pd_sync_engine_allow_mass_removal_once (fx.engine);
  allowed = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpuint (allowed->n_removed, ==, n_gone);
  g_clear_pointer (&removed, g_hash_table_unref);
  removed = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed), ==, n_gone);
  sync_fixture_clear (&fx);
}

/* A customer that moved from a reseller of the scope to another one, or became direct, is not
 * in the scope's listing, yet Partner Center still has it: the scoped run asks for it by id and
 * stores its new reseller instead of marking it removed. One really gone (404) is removed. */
static void
test_moved_customer_is_not_removed (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_auto(GStrv) resellers = NULL;
  g_autoptr(GPtrArray) of_a = NULL;
  g_autoptr(GHashTable) removed = NULL;
  g_autoptr(PdSyncRun) scoped = NULL;
  g_autoptr(PdSyncRun) again = NULL;
  g_autoptr(PdOrganization) moved = NULL;
  g_autoptr(PdOrganization) direct = NULL;
  g_autofree char *name_b = NULL;
  const char *moved_id, *direct_id, *gone_id;

  options_scope (&options, 240, 3);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  resellers = cached_reseller_ids (&fx);
  g_assert_cmpuint (g_strv_length (resellers), ==, 3);
  of_a = tenants_of (&fx, resellers[0]);
  g_assert_cmpuint (of_a->len, >, 3);
  moved_id = g_ptr_array_index (of_a, 0);
  direct_id = g_ptr_array_index (of_a, 1);
  gone_id = g_ptr_array_index (of_a, 2);
  name_b = cached_reseller_name (&fx, resellers[1]);

  g_assert_true (pd_simulator_set_customer_reseller (fx.sim, moved_id, resellers[1]));
  g_assert_true (pd_simulator_set_customer_reseller (fx.sim, direct_id, NULL));
  {
    const char * const gone[] = { gone_id, NULL };
    const char * const scope[] = { resellers[0], NULL };

    remove_in_simulator (&fx, gone);
    set_scope (&fx, scope);
  }
  scoped = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_FULL));
  g_assert_cmpuint (scoped->n_removed, ==, 1);
  g_assert_cmpuint (scoped->n_failed, ==, 0);
  g_assert_cmpuint (scoped->n_updated, ==, 2);
  removed = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed), ==, 1);
  g_assert_true (g_hash_table_contains (removed, gone_id));

  /* What Partner Center says now: another reseller, or none. */
  moved = cached (&fx, moved_id);
  g_assert_false (pd_organization_get_removed (moved));
  g_assert_cmpstr (pd_organization_get_reseller_id (moved), ==, resellers[1]);
  g_assert_cmpstr (pd_organization_get_reseller_name (moved), ==, name_b);
  direct = cached (&fx, direct_id);
  g_assert_false (pd_organization_get_removed (direct));
  g_assert_null (pd_organization_get_reseller_id (direct));

  /* Out of the scope now: the next scoped run neither asks for them nor removes them (nor,
   * incremental on that full one, the others: nothing changed). */
  again = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (again->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  g_assert_cmpuint (again->n_removed, ==, 0);
  g_assert_cmpuint (again->n_updated, ==, 0);
  g_assert_cmpuint (again->n_unchanged, ==, 0);
  g_assert_cmpuint (pd_store_count (fx.store), ==, 240);
  sync_fixture_clear (&fx);
}

/* A by-id check that fails for a reason other than 404 proves nothing: the customer stays as
 * it was, not removed, and the run reports it as failed; the next run asks again. */
static void
test_failed_check_is_not_removal (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_auto(GStrv) resellers = NULL;
  g_autoptr(GPtrArray) of_a = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  g_autoptr(GHashTable) removed = NULL;
  g_autoptr(PdSyncRun) scoped = NULL;
  g_autoptr(PdSyncRun) later = NULL;
  g_autoptr(GError) error = NULL;
  const PdRunEvent *failure;
  gint64 run_id;

  options_scope (&options, 120, 2);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  resellers = cached_reseller_ids (&fx);
  of_a = tenants_of (&fx, resellers[0]);
  g_assert_cmpuint (of_a->len, >, 1);
  {
    const char * const gone[] = { g_ptr_array_index (of_a, 0), NULL };
    const char * const scope[] = { resellers[0], NULL };

    remove_in_simulator (&fx, gone);
    set_scope (&fx, scope);
  }
  /* Partner Center fails that one read (503 on every retry). */
  pd_simulator_set_refusal (fx.sim, g_ptr_array_index (of_a, 0), PD_SIM_REFUSE_CUSTOMER, 503);
  run_id = sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO);
  scoped = sync_test_get_run (fx.store, run_id);
  g_assert_cmpuint (scoped->n_removed, ==, 0);
  g_assert_cmpuint (scoped->n_failed, ==, 1);
  removed = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed), ==, 0);
  failures = pd_store_get_run_failures (fx.store, run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (failures->len, ==, 1);
  failure = g_ptr_array_index (failures, 0);
  g_assert_cmpstr (failure->tenant_id, ==, g_ptr_array_index (of_a, 0));
  g_assert_nonnull (strstr (failure->error, "503"));

  /* Once Partner Center answers, its 404 removes it. */
  pd_simulator_clear_refusals (fx.sim);
  later = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpuint (later->n_removed, ==, 1);
  g_assert_cmpuint (later->n_failed, ==, 0);
  g_clear_pointer (&removed, g_hash_table_unref);
  removed = sync_test_removed (fx.store);
  g_assert_true (g_hash_table_contains (removed, g_ptr_array_index (of_a, 0)));
  sync_fixture_clear (&fx);
}

/* The dump line of tenant_id, which the cache must have. */
static char *
dump_one (SyncFixture *fx,
          const char  *tenant_id)
{
  char *line = sync_test_dump_one (fx->store, tenant_id);

  g_assert_nonnull (line);
  return line;
}

/* A scoped auto run on a base that covered its scope is incremental: it still lists the scope's
 * customers, but reads by id only those the activity log names, the new ones, and those whose
 * reseller changed, and asks for the cached ones the listing lacks before it marks anything
 * removed. The cache it leaves is the one a full run of the scope leaves. */
static void
test_scoped_incremental_reads_only_changes (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_auto(GStrv) resellers = NULL;
  g_autoptr(GPtrArray) of_a = NULL;
  g_autoptr(GPtrArray) of_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *mutation = NULL;
  g_autofree char *outside_before = NULL;
  g_autofree char *changed_before = NULL;
  g_autofree char *changed_after = NULL;
  g_autofree char *outside_after = NULL;
  g_autofree char *incremental_dump = NULL;
  g_autofree char *full_dump = NULL;
  g_auto(GStrv) added = NULL;
  g_autoptr(GHashTable) removed = NULL;
  g_autoptr(PdSyncRun) quiet = NULL;
  g_autoptr(PdSyncRun) run = NULL;
  g_autoptr(PdSyncRun) full = NULL;
  g_autoptr(PdOrganization) new_org = NULL;
  g_autoptr(PdOrganization) moved_out = NULL;
  g_autoptr(PdOrganization) moved_in = NULL;
  g_auto(GStrv) recorded = NULL;
  const char *changed_id, *moved_out_id, *gone_id, *outside_id, *moved_in_id;
  guint64 before, incremental_requests, full_requests;
  gint64 run_id;

  options_scope (&options, 300, 3);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  resellers = cached_reseller_ids (&fx);
  of_a = tenants_of (&fx, resellers[0]);
  of_b = tenants_of (&fx, resellers[1]);
  g_assert_cmpuint (of_a->len, >, 20);
  g_assert_cmpuint (of_b->len, >, 2);
  changed_id = g_ptr_array_index (of_a, 0);
  moved_out_id = g_ptr_array_index (of_a, 1);
  gone_id = g_ptr_array_index (of_a, 2);
  outside_id = g_ptr_array_index (of_b, 0);
  moved_in_id = g_ptr_array_index (of_b, 1);
  {
    const char * const scope[] = { resellers[0], NULL };

    set_scope (&fx, scope);
  }

  /* Nothing changed since the full run: the scope's listing, and not one read by id. */
  before = pd_simulator_get_requests (fx.sim);
  quiet = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
  g_assert_cmpint (quiet->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  g_assert_cmpuint (quiet->n_new + quiet->n_updated + quiet->n_unchanged + quiet->n_removed, ==,
                    0);
  g_assert_cmpuint (pd_simulator_get_requests (fx.sim) - before, <, 8);

  changed_before = dump_one (&fx, changed_id);
  outside_before = dump_one (&fx, outside_id);
  mutation = g_strdup_printf ("{\"changeBillTo\": [\"%s\", \"%s\"], \"add\": 1, "
                              "\"remove\": [\"%s\"], \"seed\": 5}",
                              changed_id, outside_id, gone_id);
  answer = pd_simulator_mutate_json (fx.sim, mutation, &error);
  g_assert_no_error (error);
  added = sync_test_mutated_ids (answer, "added");
  g_assert_cmpuint (g_strv_length (added), ==, 1);
  g_assert_true (pd_simulator_set_customer_reseller (fx.sim, added[0], resellers[0]));
  g_assert_true (pd_simulator_set_customer_reseller (fx.sim, moved_out_id, resellers[1]));
  g_assert_true (pd_simulator_set_customer_reseller (fx.sim, moved_in_id, resellers[0]));

  before = pd_simulator_get_requests (fx.sim);
  run_id = sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO);
  incremental_requests = pd_simulator_get_requests (fx.sim) - before;
  run = sync_test_get_run (fx.store, run_id);
  recorded = pd_store_dup_run_scope (fx.store, run_id);
  g_assert_cmpint (run->kind, ==, PD_SYNC_KIND_INCREMENTAL);
  g_assert_cmpstr (recorded[0], ==, resellers[0]);
  g_assert_null (recorded[1]);
  /* Read by id: the changed bill-to, the new customer, the one moved in, the one moved out
   * (and its reseller), the one gone (404); nothing else of the scope. */
  g_assert_cmpuint (incremental_requests, <, 16);
  g_assert_cmpuint (run->n_new, ==, 1);
  g_assert_cmpuint (run->n_updated, ==, 3);
  g_assert_cmpuint (run->n_unchanged, ==, 0);
  g_assert_cmpuint (run->n_removed, ==, 1);
  g_assert_cmpuint (run->n_failed, ==, 0);

  changed_after = dump_one (&fx, changed_id);
  g_assert_cmpstr (changed_after, !=, changed_before);
  new_org = cached (&fx, added[0]);
  g_assert_cmpstr (pd_organization_get_reseller_id (new_org), ==, resellers[0]);
  g_assert_false (pd_organization_get_bill_to_unreadable (new_org));
  moved_out = cached (&fx, moved_out_id);
  g_assert_false (pd_organization_get_removed (moved_out));
  g_assert_cmpstr (pd_organization_get_reseller_id (moved_out), ==, resellers[1]);
  moved_in = cached (&fx, moved_in_id);
  g_assert_cmpstr (pd_organization_get_reseller_id (moved_in), ==, resellers[0]);
  removed = sync_test_removed (fx.store);
  g_assert_cmpuint (g_hash_table_size (removed), ==, 1);
  g_assert_true (g_hash_table_contains (removed, gone_id));
  /* Outside the scope, a change waits for a run that covers it. */
  outside_after = dump_one (&fx, outside_id);
  g_assert_cmpstr (outside_after, ==, outside_before);

  /* A full run of the scope now finds the cache as it would have left it. */
  incremental_dump = sync_test_dump (fx.store, NULL);
  before = pd_simulator_get_requests (fx.sim);
  full = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_FULL));
  full_requests = pd_simulator_get_requests (fx.sim) - before;
  g_assert_cmpuint (full->n_new + full->n_updated + full->n_removed, ==, 0);
  full_dump = sync_test_dump (fx.store, NULL);
  g_assert_cmpstr (full_dump, ==, incremental_dump);
  g_assert_cmpuint (full_requests, >, of_a->len);
  g_test_message ("scoped re-sync of %u customers: %" G_GUINT64_FORMAT " requests full, "
                  "%" G_GUINT64_FORMAT " incremental", of_a->len, full_requests,
                  incremental_requests);
  sync_fixture_clear (&fx);
}

/* A scoped auto run is incremental only on a base that covered all of its resellers, within
 * the activity log's window: a base too old, or a scope wider than the recent complete runs',
 * is full. The first unscoped run after scoped ones is full too. */
static void
test_scoped_auto_needs_covering_base (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_auto(GStrv) resellers = NULL;

  options_scope (&options, 150, 3);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  resellers = cached_reseller_ids (&fx);
  g_assert_cmpuint (g_strv_length (resellers), ==, 3);
  sync_test_age_runs (fx.db_path, 91);
  {
    const char * const ab[] = { resellers[0], resellers[1], NULL };
    const char * const a[] = { resellers[0], NULL };
    const char * const ac[] = { resellers[0], resellers[2], NULL };
    const char * const c[] = { resellers[2], NULL };
    const char * const b[] = { resellers[1], NULL };
    struct {
      const char * const *scope;
      PdSyncKind          kind;
    } steps[] = {
      { ab, PD_SYNC_KIND_FULL },         /* the only base is past the log's window */
      { a, PD_SYNC_KIND_INCREMENTAL },   /* covered by the last run */
      { ac, PD_SYNC_KIND_FULL },         /* no recent run covered the third reseller */
      { c, PD_SYNC_KIND_INCREMENTAL },
      { NULL, PD_SYNC_KIND_FULL },       /* the last complete runs were scoped */
      { NULL, PD_SYNC_KIND_INCREMENTAL },
      { b, PD_SYNC_KIND_INCREMENTAL },   /* an unscoped run covers every scope */
    };

    for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
      {
        g_autoptr(PdSyncRun) run = NULL;

        set_scope (&fx, steps[i].scope);
        run = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));
        g_assert_cmpint (run->kind, ==, steps[i].kind);
        g_assert_cmpuint (run->n_removed, ==, 0);
      }

    /* Past the activity log's window, the last run is no base. */
    sync_test_age_runs (fx.db_path, 91);
    {
      g_autoptr(PdSyncRun) old = sync_test_get_run (fx.store,
                                                    sync_test_run_ok (&fx, PD_SYNC_MODE_AUTO));

      g_assert_cmpint (old->kind, ==, PD_SYNC_KIND_FULL);
    }
  }
  g_assert_cmpuint (pd_store_count (fx.store), ==, 150);
  sync_fixture_clear (&fx);
}

/* Runs sql on a connection of its own, as another program would. */
static void
exec_beside (SyncFixture *fx,
             const char  *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fx->db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A run whose scope the cache does not take (full, busy, damaged: here a trigger refuses it)
 * ends as failed, and the next run begins. Before, the run kept the sync lock: every later
 * sync of the process said "A sync is already running", and the CLI and the timer too. */
static void
test_scope_not_recorded_ends_run (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_auto(GStrv) resellers = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSyncRun) running = NULL;
  g_autoptr(PdSyncRun) next = NULL;
  gint64 run_id;

  options_scope (&options, 40, 2);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  resellers = cached_reseller_ids (&fx);
  {
    const char * const scope[] = { resellers[0], NULL };

    set_scope (&fx, scope);
  }
  exec_beside (&fx, "CREATE TRIGGER refuse_scope BEFORE INSERT ON sync_run_resellers "
                    "BEGIN SELECT RAISE (ABORT, 'refused by the test'); END;");
  run_id = sync_test_run (fx.engine, PD_SYNC_MODE_FULL, NULL, &error);
  g_assert_nonnull (error);
  g_assert_cmpint (run_id, <=, 0);
  running = pd_store_get_running_sync (fx.store);
  g_assert_null (running);

  exec_beside (&fx, "DROP TRIGGER refuse_scope;");
  next = sync_test_get_run (fx.store, sync_test_run_ok (&fx, PD_SYNC_MODE_FULL));
  g_assert_cmpint (next->state, ==, PD_SYNC_STATE_COMPLETE);
  sync_fixture_clear (&fx);
}

/* A customer resold by two resellers of the scope, cached under the one whose list comes
 * second, stays there: Partner Center lists it there too (before: attributed to the first
 * list, read again, and a move recorded in its history). One that the second list no longer
 * names moved: it goes to the first, in full and incremental runs. */
static void
test_customer_of_two_resellers (void)
{
  PdSimulatorOptions options;
  SyncFixture fx;
  g_auto(GStrv) resellers = NULL;
  g_autoptr(GPtrArray) of_b = NULL;
  const char *shared, *moved;
  PdSyncMode modes[] = { PD_SYNC_MODE_FULL, PD_SYNC_MODE_AUTO };

  options_scope (&options, 120, 2);
  sync_fixture_init (&fx, &options);
  sync_test_run_ok (&fx, PD_SYNC_MODE_FULL);
  resellers = cached_reseller_ids (&fx);
  of_b = tenants_of (&fx, resellers[1]);
  g_assert_cmpuint (of_b->len, >=, 2);
  shared = g_ptr_array_index (of_b, 0);
  moved = g_ptr_array_index (of_b, 1);
  g_assert_true (pd_simulator_set_customer_also_resold_by (fx.sim, shared, resellers[0]));
  g_assert_true (pd_simulator_set_customer_reseller (fx.sim, moved, resellers[0]));
  {
    const char * const scope[] = { resellers[0], resellers[1], NULL };

    set_scope (&fx, scope);
  }

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(PdSyncRun) run = sync_test_get_run (fx.store, sync_test_run_ok (&fx, modes[i]));
      g_autofree char *shared_reseller = sync_test_dup_cached_reseller (fx.store, shared);
      g_autofree char *moved_reseller = sync_test_dup_cached_reseller (fx.store, moved);

      g_assert_cmpint (run->state, ==, PD_SYNC_STATE_COMPLETE);
      g_assert_cmpstr (shared_reseller, ==, resellers[1]);
      g_assert_cmpstr (moved_reseller, ==, resellers[0]);
      g_assert_cmpuint (pd_store_count (fx.store), ==, 120);
    }
  sync_fixture_clear (&fx);
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);
  g_test_add_func ("/sync/scope/store", test_store_scope);
  g_test_add_func ("/sync/scope/customer-of-two-resellers", test_customer_of_two_resellers);
  g_test_add_func ("/sync/scope/lists-and-removes-only-scope",
                   test_scoped_run_lists_and_removes_only_scope);
  g_test_add_func ("/sync/scope/changing-scope-marks-nothing", test_changing_scope_marks_nothing);
  g_test_add_func ("/sync/scope/mass-removal-per-scope", test_mass_removal_per_scope);
  g_test_add_func ("/sync/scope/moved-customer-is-not-removed",
                   test_moved_customer_is_not_removed);
  g_test_add_func ("/sync/scope/failed-check-is-not-removal", test_failed_check_is_not_removal);
  g_test_add_func ("/sync/scope/incremental-reads-only-changes",
                   test_scoped_incremental_reads_only_changes);
  g_test_add_func ("/sync/scope/auto-needs-covering-base", test_scoped_auto_needs_covering_base);
  g_test_add_func ("/sync/scope/not-recorded-ends-run", test_scope_not_recorded_ends_run);
  return g_test_run ();
}
