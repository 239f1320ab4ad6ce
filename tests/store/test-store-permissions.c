/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store-permissions.c — a cache the user may read but not write: reads work, a write
 * fails with a message that names the path, and the file is left as it was. */
#include "config.h"

#include <string.h>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "core/pd-store-private.h"
#include "pd-test-util.h"
#include "store-test-helpers.h"

#define NOBODY 65534
#define TENANT "5e1f0000-0000-4000-8000-0000000000aa"

/* Runs check (path) as a user without write permission: root writes every file, so as root
 * it runs in a child process that has dropped to nobody (the test fails if it cannot). */
static void
run_unprivileged (void        (*check) (const char *path),
                  const char   *path)
{
  pid_t pid;
  int status = 0;

  if (geteuid () != 0)
    {
      check (path);
      return;
    }
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      if (setgroups (0, NULL) != 0 || setgid (NOBODY) != 0 || setuid (NOBODY) != 0)
        _exit (20);
      check (path);
      _exit (0);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

static char *
make_store (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "partner-desk.db", NULL);
  g_autoptr(PdStore) store = pd_store_open (path, &error);

  g_assert_no_error (error);
  store_test_apply (store, 0, store_test_pc_org (TENANT, "Contoso Oy", "contoso.fi", "Espoo",
                                                 "billing@contoso.fi", "e1"), NULL);
  return g_steal_pointer (&path);
}

static void
check_reads_work_writes_refused (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (path, &error);
  g_autoptr(PdOrganization) org = NULL;

  g_assert_no_error (error);
  g_assert_true (pd_store_is_read_only (store));
  g_assert_cmpuint (pd_store_count (store), ==, 1);
  org = pd_store_find (store, TENANT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_organization_get_name (org), ==, "Contoso Oy");

  g_assert_false (pd_store_set_field (store, pd_organization_get_id (org), "notes", "x",
                                      &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_null (strstr (error->message, "attempt to write"));
}

static void
test_read_only_file (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = make_store (dir);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len = 0, after_len = 0;

  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));
  g_assert_cmpint (g_chmod (dir, 0777), ==, 0);
  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  run_unprivileged (check_reads_work_writes_refused, path);
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  g_chmod (path, 0600);
  pd_test_rm_rf (dir);
}

/* SQLite cannot create the -wal and -shm files beside the cache. */
static void
test_read_only_folder (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = make_store (dir);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  g_assert_cmpint (g_chmod (path, 0666), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
  run_unprivileged (check_reads_work_writes_refused, path);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_chmod (dir, 0700);
  pd_test_rm_rf (dir);
}

static void
check_run_still_running (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (path, &error);
  g_autoptr(GPtrArray) runs = NULL;

  g_assert_no_error (error);
  runs = pd_store_list_sync_runs (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpint (((PdSyncRun *) g_ptr_array_index (runs, 0))->state, ==,
                   PD_SYNC_STATE_RUNNING);
}

/* The owner's sync, seen by a user who may not open the cache's sync lock: nothing says its
 * process died, and its run is not shown as interrupted. */
static void
test_owner_run_seen_read_only (void)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = make_store (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) owner = pd_store_open (path, &error);
  gint64 run;

  g_assert_no_error (error);
  run = store_test_begin_run (owner, NULL);
  /* The cache's files as a shared cache has them; the lock, the owner's own (0600). */
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_assert_cmpint (g_chmod (file, 0666), ==, 0);
    }
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  run_unprivileged (check_run_still_running, path);
  store_test_finish_run (owner, run);
  g_chmod (dir, 0700);
  pd_test_rm_rf (dir);
}

static void
check_unreadable_refused (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (path, &error);

  g_assert_null (store);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, path));
}

/* A cache the user cannot read is an error of the store's domain, and stays as it is. */
static void
test_unreadable_file (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = make_store (dir);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len = 0, after_len = 0;

  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (path, 0), ==, 0);
  run_unprivileged (check_unreadable_refused, path);
  g_chmod (path, 0600);
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  pd_test_rm_rf (dir);
}

int
main (int argc, char *argv[])
{
  pd_test_init (&argc, &argv);
  g_test_add_func ("/store-permissions/read-only-file", test_read_only_file);
  g_test_add_func ("/store-permissions/read-only-folder", test_read_only_folder);
  g_test_add_func ("/store-permissions/unreadable-file", test_unreadable_file);
  g_test_add_func ("/store-permissions/owner-run-seen-read-only", test_owner_run_seen_read_only);
  return g_test_run ();
}
