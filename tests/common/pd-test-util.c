/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-test-util.c — helpers shared by every test program. */
#include "config.h"

#include <errno.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

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
pointer_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

gboolean
pd_test_destroy_and_wait (gpointer       object,
                          GDestroyNotify destroy,
                          guint          timeout_ms)
{
  gpointer weak = object;

  g_object_add_weak_pointer (G_OBJECT (object), &weak);
  destroy (object);
  if (pd_test_wait_until (pointer_is_null, &weak, timeout_ms))
    return TRUE;
  g_object_remove_weak_pointer (G_OBJECT (weak), &weak);
  return FALSE;
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

/* A copy of argv with argv[0] resolved relative to the build root when not absolute. */
static char **
resolve_argv (const char * const *argv)
{
  char **args = g_strdupv ((char **) argv);

  if (!g_path_is_absolute (argv[0]))
    {
      g_free (args[0]);
      args[0] = g_build_filename (g_getenv ("MESON_BUILD_ROOT") ? g_getenv ("MESON_BUILD_ROOT")
                                                                : BUILD_ROOT,
                                  argv[0], NULL);
    }
  return args;
}

GSubprocess *
pd_test_spawn (const char * const *argv)
{
  g_auto(GStrv) args = resolve_argv (argv);
  g_autoptr(GError) error = NULL;
  GSubprocess *process = g_subprocess_newv ((const char * const *) args,
                                            G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                            | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);

  g_assert_no_error (error);
  return process;
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
  g_auto(GStrv) args = resolve_argv (argv);
  const char *program = args[0];
  int status = 0;

  for (guint i = 0; envp_extra != NULL && envp_extra[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (envp_extra[i], "=", 2);
      envp = g_environ_setenv (envp, kv[0], kv[1] != NULL ? kv[1] : "", TRUE);
    }

  if (!g_spawn_sync (NULL, args, envp, G_SPAWN_DEFAULT, NULL, NULL,
                     out_stdout, out_stderr, &status, &error))
    {
      g_test_message ("could not run %s: %s", program, error->message);
      return -1;
    }
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return -1;
}

/* Everything the pseudo-terminal's other end receives until the program closes it. */
static char *
read_terminal (int master)
{
  GString *text = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  /* Linux answers EIO once the last holder of the terminal's end has closed it. */
  while ((n = read (master, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      g_string_append_len (text, buffer, n);
  return g_string_free (text, FALSE);
}

int
pd_test_run_on_terminal (const char * const  *argv,
                         char               **out_terminal)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = resolve_argv (argv);
  struct termios raw;
  int master, slave, status = 0;
  GPid pid;

  g_assert_cmpint (openpty (&master, &slave, NULL, NULL, NULL), ==, 0);
  /* Raw: what the program writes arrives as it is (no "\n" turned into "\r\n"). */
  g_assert_cmpint (tcgetattr (slave, &raw), ==, 0);
  cfmakeraw (&raw);
  g_assert_cmpint (tcsetattr (slave, TCSANOW, &raw), ==, 0);
  if (!g_spawn_async_with_fds (NULL, args, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                               -1, slave, -1, &error))
    {
      g_test_message ("could not run %s: %s", args[0], error->message);
      close (master);
      close (slave);
      return -1;
    }
  close (slave);
  *out_terminal = read_terminal (master);
  close (master);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static const char *
or_default (const char *value,
            const char *fallback)
{
  return value != NULL ? value : fallback;
}

PdOrganization *
pd_test_customer_new (const PdTestCustomer *c)
{
  PdOrganization *org = pd_organization_new ();
  g_autoptr(PdBillTo) bill_to = pd_bill_to_new ();
  g_autofree char *email = c->domain != NULL ? g_strdup_printf ("billing@%s", c->domain) : NULL;
  g_autofree char *etag = g_strdup_printf ("etag-%s", c->tenant_id);

  pd_organization_set_tenant_id (org, c->tenant_id);
  pd_organization_set_source (org, PD_ORG_SOURCE_PARTNER_CENTER);
  pd_organization_set_name (org, c->name);
  pd_organization_set_domain (org, c->domain);
  pd_organization_set_relationship (org, "reseller");
  pd_bill_to_set (bill_to, PD_BILL_TO_COMPANY_NAME, c->name);
  pd_bill_to_set (bill_to, PD_BILL_TO_EMAIL, or_default (c->email, email));
  pd_bill_to_set (bill_to, PD_BILL_TO_FIRST_NAME, or_default (c->first_name, "Anna"));
  pd_bill_to_set (bill_to, PD_BILL_TO_LAST_NAME, or_default (c->last_name, "Berg"));
  pd_bill_to_set (bill_to, PD_BILL_TO_CULTURE, or_default (c->culture, "de-DE"));
  pd_bill_to_set (bill_to, PD_BILL_TO_LANGUAGE, or_default (c->language, "de"));
  pd_bill_to_set (bill_to, PD_BILL_TO_ADDRESS_LINE1, or_default (c->line1, "Hauptstraße 1"));
  pd_bill_to_set (bill_to, PD_BILL_TO_CITY, or_default (c->city, "Berlin"));
  pd_bill_to_set (bill_to, PD_BILL_TO_STATE, c->state);
  pd_bill_to_set (bill_to, PD_BILL_TO_POSTAL_CODE, or_default (c->postal_code, "10115"));
  pd_bill_to_set (bill_to, PD_BILL_TO_COUNTRY, or_default (c->country, "DE"));
  pd_bill_to_set (bill_to, PD_BILL_TO_PHONE_NUMBER, or_default (c->phone, "+49301234567"));
  pd_bill_to_set (bill_to, PD_BILL_TO_ADDRESS_FIRST_NAME, or_default (c->first_name, "Anna"));
  pd_bill_to_set (bill_to, PD_BILL_TO_ADDRESS_LAST_NAME, or_default (c->last_name, "Berg"));
  pd_organization_set_bill_to_partner_center (org, bill_to,
                                              g_strcmp0 (c->etag, "") == 0
                                                ? NULL : or_default (c->etag, etag));
  return org;
}

/* The folder pd_test_init made for the test program's XDG folders, and the process that made
 * it: a forked child that exits must not remove it under its parent. */
static char *test_home;
static pid_t test_home_owner;

static void
remove_test_home (void)
{
  if (getpid () == test_home_owner)
    pd_test_rm_rf (test_home);
  g_clear_pointer (&test_home, g_free);
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
  /* Removed when the program exits normally; a failed test's stays, to look at. */
  test_home = g_strdup (home);
  test_home_owner = getpid ();
  atexit (remove_test_home);
  g_unsetenv ("PARTNER_DESK_DB");
  g_unsetenv ("PARTNER_DESK_ACCESS_TOKEN");
}
