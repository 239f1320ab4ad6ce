/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sync-test-helpers.c — fixtures shared by the sync engine tests. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "api/pd-pc-client-private.h"
#include "pd-test-util.h"
#include "sync-test-helpers.h"

/* Generous: a full run of a few hundred customers takes well under a second unthrottled, but
 * sanitizer builds on a shared machine are slow. */
#define RUN_TIMEOUT_MS (120 * 1000)

PdPcClient *
sync_test_client_new (const char *base_url,
                      const char *token)
{
  g_autoptr(PdAuth) auth = pd_auth_new_with_token (token);
  g_autoptr(GError) error = NULL;
  PdPcClient *client = pd_pc_client_new (base_url, auth, &error);

  g_assert_no_error (error);
  /* Fast retries: the tests inject faults, they do not need real back-off. */
  pd_pc_client_set_retry_policy (client, 4, 5);
  return client;
}

static void
open_side (SyncFixture *fixture,
           const char  *name)
{
  g_autoptr(GError) error = NULL;

  fixture->db_path = g_build_filename (fixture->dir, name, NULL);
  fixture->store = pd_store_open (fixture->db_path, &error);
  g_assert_no_error (error);
  fixture->client = sync_test_client_new (pd_simulator_get_base_url (fixture->sim),
                                          SYNC_TEST_TOKEN);
  fixture->engine = pd_sync_engine_new (fixture->store, fixture->client);
}

void
sync_fixture_init (SyncFixture              *fixture,
                   const PdSimulatorOptions *options)
{
  PdSimulatorOptions opts = *options;
  g_autoptr(GError) error = NULL;

  memset (fixture, 0, sizeof *fixture);
  opts.token = SYNC_TEST_TOKEN;
  fixture->dir = pd_test_make_tmpdir ();
  fixture->owns_dir = TRUE;
  fixture->sim = pd_simulator_new (&opts);
  pd_simulator_start (fixture->sim, 0, &error);
  g_assert_no_error (error);
  open_side (fixture, "cache.db");
}

void
sync_fixture_init_peer (SyncFixture *peer,
                        SyncFixture *fixture,
                        const char  *name)
{
  memset (peer, 0, sizeof *peer);
  peer->sim = g_object_ref (fixture->sim);
  peer->dir = g_strdup (fixture->dir);
  open_side (peer, name);
}

void
sync_fixture_clear (SyncFixture *fixture)
{
  g_clear_object (&fixture->engine);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->sim);
  g_clear_pointer (&fixture->db_path, g_free);
  if (fixture->owns_dir)
    pd_test_rm_rf (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

typedef struct {
  gboolean  done;
  gint64    run_id;
  GError   *error;
} RunWait;

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RunWait *wait = user_data;

  wait->run_id = pd_sync_engine_run_finish (PD_SYNC_ENGINE (source), result, &wait->error);
  wait->done = TRUE;
}

static gint64
wait_run (RunWait  *wait,
          GError  **error)
{
  g_assert_true (pd_test_wait_for_flag (&wait->done, RUN_TIMEOUT_MS));
  if (wait->error != NULL)
    g_propagate_error (error, wait->error);
  return wait->run_id;
}

gint64
sync_test_run (PdSyncEngine *engine,
               PdSyncMode    mode,
               GCancellable *cancellable,
               GError      **error)
{
  RunWait wait = { 0 };

  pd_sync_engine_run_async (engine, mode, cancellable, on_run_done, &wait);
  return wait_run (&wait, error);
}

gint64
sync_test_run_ok (SyncFixture *fixture,
                  PdSyncMode   mode)
{
  g_autoptr(GError) error = NULL;
  gint64 run_id = sync_test_run (fixture->engine, mode, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (run_id, >, 0);
  return run_id;
}

PdSyncRun *
sync_test_get_run (PdStore *store,
                   gint64   run_id)
{
  g_autoptr(GError) error = NULL;
  PdSyncRun *run = pd_store_get_sync_run (store, run_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (run);
  return run;
}

gint64
sync_test_retry (PdSyncEngine       *engine,
                 const char * const *tenant_ids,
                 GError            **error)
{
  RunWait wait = { 0 };

  pd_sync_engine_retry_async (engine, tenant_ids, NULL, on_run_done, &wait);
  return wait_run (&wait, error);
}

static void
append_bill_to (GString        *line,
                const PdBillTo *bill_to)
{
  for (guint f = 0; f < PD_BILL_TO_N_FIELDS; f++)
    g_string_append_printf (line, "|%s",
                            bill_to != NULL && pd_bill_to_get (bill_to, f) != NULL
                            ? pd_bill_to_get (bill_to, f) : "-");
}

static char *
dump_org (PdOrganization *org)
{
  GString *line = g_string_new (NULL);

  g_string_append_printf (line, "%s|%s|%s|%s|dap=%d|%s|%s|erp=%s|removed=%d",
                          pd_organization_get_tenant_id (org),
                          pd_organization_get_name (org),
                          pd_organization_get_domain (org),
                          pd_organization_get_relationship (org),
                          pd_organization_get_delegated_access (org),
                          pd_organization_get_reseller_id (org),
                          pd_organization_get_reseller_name (org),
                          pd_organization_get_erp_id (org),
                          pd_organization_get_removed (org));
  g_string_append (line, "|pc");
  append_bill_to (line, pd_organization_get_bill_to_partner_center (org));
  g_string_append_printf (line, "|etag=%s|local", pd_organization_get_bill_to_etag (org));
  append_bill_to (line, pd_organization_get_bill_to_override (org));
  g_string_append_printf (line, "|base=%s", pd_organization_get_override_base_etag (org));
  return g_string_free (line, FALSE);
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

char *
sync_test_dump (PdStore    *store,
                GHashTable *skip)
{
  PdStoreQuery query = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orgs = pd_store_list (store, &query, &error);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *dump = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < orgs->len; i++)
    {
      PdOrganization *org = g_ptr_array_index (orgs, i);

      if (skip != NULL && g_hash_table_contains (skip, pd_organization_get_tenant_id (org)))
        continue;
      g_ptr_array_add (lines, dump_org (org));
    }
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (dump, "%s\n", (char *) g_ptr_array_index (lines, i));
  return g_string_free (dump, FALSE);
}

char *
sync_test_dump_one (PdStore    *store,
                    const char *tenant_id)
{
  g_autoptr(PdOrganization) org = pd_store_find_by_tenant (store, tenant_id, NULL);

  return org != NULL ? dump_org (org) : NULL;
}

GPtrArray *
sync_test_events (PdStore        *store,
                  gint64          run_id,
                  PdRunEventKind  kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = pd_store_get_run_events (store, run_id, &error);
  GPtrArray *matching = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_run_event_free);

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      PdRunEvent *event = g_ptr_array_index (events, i);

      if (event->kind == kind)
        g_ptr_array_add (matching, g_ptr_array_steal_index (events, i--));
    }
  return matching;
}

GHashTable *
sync_test_removed (PdStore *store)
{
  PdStoreQuery query = { .filter = PD_FILTER_REMOVED };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orgs = pd_store_list (store, &query, &error);
  GHashTable *removed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < orgs->len; i++)
    g_hash_table_add (removed,
                      g_strdup (pd_organization_get_tenant_id (g_ptr_array_index (orgs, i))));
  return removed;
}

char **
sync_test_mutated_ids (const char *answer,
                       const char *member)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  JsonObject *object;
  JsonArray *array;

  json_parser_load_from_data (parser, answer, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  array = json_object_has_member (object, member)
          ? json_object_get_array_member (object, member) : NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    g_ptr_array_add (ids, g_strdup (json_array_get_string_element (array, i)));
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
}

void
sync_test_age_runs (const char *path,
                    int         days)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE sync_runs SET started_at = started_at - %d",
                                          days * 86400);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

char *
sync_test_dup_cached_reseller (PdStore    *store,
                               const char *tenant_id)
{
  g_autoptr(PdOrganization) org = pd_store_find_by_tenant (store, tenant_id, NULL);

  g_assert_nonnull (org);
  return g_strdup (pd_organization_get_reseller_id (org));
}
