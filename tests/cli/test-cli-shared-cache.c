/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-cli-shared-cache.c — several processes on one cache, as on a user's desktop: the app
 * keeps its connections open (and opens the cache again from other threads) while
 * partner-desk-cli, or the systemd timer, opens and closes it beside it. Nothing the app
 * saves may be lost. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "pd-test-seed.h"
#include "core/pd-store.h"
#include "pd-test-util.h"

#define CLI "src/cli/partner-desk-cli"

/* The writer: a child process that behaves as the app does. Commands come one byte at a time
 * on a pipe; each is acknowledged with one byte. */
enum { CMD_OPEN_AGAIN = 'o', CMD_WRITE = 'w', CMD_QUIT = 'q' };

typedef struct {
  GPid pid;
  int  to_child;
  int  from_child;
} Writer;

static void
writer_main (const char *db,
             int         in,
             int         out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (db, &error);
  g_autoptr(PdOrganization) org = NULL;
  guint n_writes = 0;
  char cmd;

  if (store == NULL || (org = pd_store_find (store, SEED_CONTOSO_TENANT, &error)) == NULL)
    _exit (10);
  while (read (in, &cmd, 1) == 1)
    {
      if (cmd == CMD_OPEN_AGAIN)
        {
          /* The list loader, the sync panel and the duplicate index each open the cache
           * again in a thread of their own, and close it when done. */
          g_autoptr(PdStore) again = pd_store_open (db, &error);

          if (again == NULL || pd_store_count (again) == 0)
            _exit (11);
        }
      else if (cmd == CMD_WRITE)
        {
          g_autofree char *notes = g_strdup_printf ("saved by the app, #%u", ++n_writes);

          if (!pd_store_set_field (store, pd_organization_get_id (org), "notes", notes, &error))
            _exit (12);
        }
      else if (cmd == CMD_QUIT)
        _exit (0);
      if (write (out, &cmd, 1) != 1)
        _exit (13);
    }
  _exit (14);
}

static void
writer_start (Writer     *w,
              const char *db)
{
  int to_child[2], from_child[2];
  pid_t pid;

  g_assert_cmpint (pipe (to_child), ==, 0);
  g_assert_cmpint (pipe (from_child), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (to_child[1]);
      close (from_child[0]);
      writer_main (db, to_child[0], from_child[1]);
    }
  close (to_child[0]);
  close (from_child[1]);
  w->pid = pid;
  w->to_child = to_child[1];
  w->from_child = from_child[0];
}

static void
writer_do (Writer *w,
           char    cmd)
{
  char ack = 0;

  g_assert_cmpint (write (w->to_child, &cmd, 1), ==, 1);
  g_assert_cmpint (read (w->from_child, &ack, 1), ==, 1);
  g_assert_cmpint (ack, ==, cmd);
}

static void
writer_kill (Writer *w)
{
  int status = 0;

  kill (w->pid, SIGKILL);
  g_assert_cmpint (waitpid (w->pid, &status, 0), ==, w->pid);
  g_assert_true (WIFSIGNALED (status));
  close (w->to_child);
  close (w->from_child);
}

static char *
cli_notes (const char *db)
{
  const char *argv[] = { CLI, "--db", db, "show", SEED_CONTOSO_TENANT, "--format", "json",
                         NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonObject *object;

  g_assert_cmpint (pd_test_run (argv, NULL, &out, &err), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  return g_strdup (json_object_get_string_member_with_default (object, "notes", ""));
}

static void
run_cli (const char *db,
         const char *command)
{
  const char *argv[] = { CLI, "--db", db, command, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (pd_test_run (argv, NULL, &out, &err), ==, 0);
}

/* The app opens the cache again while its first connection is open; `status` and `list` run
 * and exit beside it. The app's write-ahead log must stay where the others find it: its later
 * writes are seen by a third process, and survive the app's kill -9. */
static void
test_cli_beside_the_app (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "cache.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *notes = NULL;
  Writer w;

  seed_synced_customers (db);
  writer_start (&w, db);
  writer_do (&w, CMD_WRITE);
  writer_do (&w, CMD_OPEN_AGAIN);
  writer_do (&w, CMD_OPEN_AGAIN);
  run_cli (db, "status");
  run_cli (db, "list");
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  writer_do (&w, CMD_WRITE);
  notes = cli_notes (db);
  g_assert_cmpstr (notes, ==, "saved by the app, #2");
  writer_do (&w, CMD_OPEN_AGAIN);
  writer_do (&w, CMD_WRITE);
  writer_kill (&w);

  g_clear_pointer (&notes, g_free);
  notes = cli_notes (db);
  g_assert_cmpstr (notes, ==, "saved by the app, #3");
  pd_test_rm_rf (dir);
}

/* Without the app, the last process to close the cache still folds the log into the file. */
static void
test_last_one_out_checkpoints (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "cache.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);

  seed_synced_customers (db);
  run_cli (db, "status");
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  pd_test_rm_rf (dir);
}

int
main (int argc, char *argv[])
{
  pd_test_init (&argc, &argv);
  g_test_add_func ("/cli/shared-cache/cli-beside-the-app", test_cli_beside_the_app);
  g_test_add_func ("/cli/shared-cache/last-one-out-checkpoints", test_last_one_out_checkpoints);
  return g_test_run ();
}
