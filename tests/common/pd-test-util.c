/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-test-util.c — helpers shared by every test program. */
#include "config.h"

#include <glib/gstdio.h>

#include "pd-test-util.h"

char *
pd_test_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("partner-desk-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
pd_test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;
  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_remove (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      pd_test_rm_rf (child);
    }
  g_rmdir (path);
}

char *
pd_test_data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static gboolean
on_timeout (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
pd_test_wait_until (gboolean (*predicate) (gpointer data),
                    gpointer data,
                    guint    timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout, &timed_out);

  while (!predicate (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return predicate (data);
}

static gboolean
flag_is_set (gpointer data)
{
  return *(const gboolean *) data;
}

gboolean
pd_test_wait_for_flag (const gboolean *flag,
                       guint           timeout_ms)
{
  return pd_test_wait_until (flag_is_set, (gpointer) flag, timeout_ms);
}

void
pd_test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

double
pd_test_status_mb (const char *field)
{
  g_autofree char *status = NULL;
  g_autofree char *prefix = g_strdup_printf ("\n%s:", field);
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (line = strstr (status, prefix)) == NULL)
    return -1;
  return g_ascii_strtod (line + strlen (prefix), NULL) / 1024.0;
}

int
pd_test_run (const char * const *argv,
             const char * const *envp_extra,
             char              **out_stdout,
             char              **out_stderr)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *program = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  int status = 0;

  if (g_path_is_absolute (argv[0]))
    program = g_strdup (argv[0]);
  else
    program = g_build_filename (g_getenv ("MESON_BUILD_ROOT") ? g_getenv ("MESON_BUILD_ROOT")
                                                              : BUILD_ROOT,
                                argv[0], NULL);
  g_ptr_array_add (args, program);
  for (guint i = 1; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  for (guint i = 0; envp_extra != NULL && envp_extra[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (envp_extra[i], "=", 2);
      envp = g_environ_setenv (envp, kv[0], kv[1] != NULL ? kv[1] : "", TRUE);
    }

  if (!g_spawn_sync (NULL, (char **) args->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                     out_stdout, out_stderr, &status, &error))
    {
      g_test_message ("could not run %s: %s", program, error->message);
      return -1;
    }
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return -1;
}

void
pd_test_init (int    *argc,
              char ***argv)
{
  g_autofree char *home = NULL;
  g_autofree char *data = NULL;
  g_autofree char *config = NULL;
  g_autofree char *cache = NULL;

  g_test_init (argc, argv, NULL);
  home = pd_test_make_tmpdir ();
  data = g_build_filename (home, "data", NULL);
  config = g_build_filename (home, "config", NULL);
  cache = g_build_filename (home, "cache", NULL);
  g_mkdir_with_parents (data, 0700);
  g_mkdir_with_parents (config, 0700);
  g_mkdir_with_parents (cache, 0700);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_unsetenv ("PARTNER_DESK_DB");
  g_unsetenv ("PARTNER_DESK_ACCESS_TOKEN");
}
