/* test-cli-http.c — the network commands of partner-desk-cli against the simulator.
 *
 * The simulator runs in this process on the main context the waits spin; the CLI is a real
 * child process (GSubprocess), so the two talk over loopback HTTP exactly as in use. The
 * child gets a D-Bus address that does not exist: no test may reach the user's keyring. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "core/pd-store.h"
#include "pd-test-util.h"
#include "simulator/pd-simulator.h"

#define TOKEN "cli-test-token"
#define N_CUSTOMERS 200
#define CLI_TIMEOUT_MS (120 * 1000)

typedef struct {
  char        *dir;
  char        *db;
  PdSimulator *sim;
  char        *login_url;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  PdSimulatorOptions options;

  pd_simulator_options_init (&options);
  options.n_customers = N_CUSTOMERS;
  options.token = TOKEN;
  options.approve_after_ms = 200;
  f->dir = pd_test_make_tmpdir ();
  f->db = g_build_filename (f->dir, "cache.db", NULL);
  f->sim = pd_simulator_new (&options);
  g_assert_true (pd_simulator_start (f->sim, 0, &error));
  g_assert_no_error (error);
  f->login_url = pd_simulator_dup_login_url (f->sim);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->sim);
  pd_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->login_url);
}

typedef struct {
  gboolean done;
  int      status;
  char    *out;
  char    *err;
} CliRun;

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  GSubprocess *process = G_SUBPROCESS (source);
  g_autoptr(GError) error = NULL;
  CliRun *run = data;

  g_subprocess_communicate_utf8_finish (process, result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                     : -1;
  run->done = TRUE;
}

typedef enum {
  ONLINE_WITH_TOKEN,    /* API on the simulator, PARTNER_DESK_ACCESS_TOKEN set */
  ONLINE_SIGN_IN,       /* API and login on the simulator, no token */
  OFFLINE,              /* API unreachable, no token */
  WITH_KEYRING,         /* as ONLINE_SIGN_IN, with the private keyring of the session */
} Network;

static GSubprocessLauncher *
launcher_for (Fixture *f,
              Network  network)
{
  GSubprocessLauncher *launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);

  /* Only under run-with-keyring.sh is the session bus a private one with a test keyring. */
  if (network != WITH_KEYRING)
    g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                  "unix:path=/nonexistent/partner-desk-test", TRUE);
  g_subprocess_launcher_setenv (launcher, "PARTNER_DESK_LOGIN_URL", f->login_url, TRUE);
  g_subprocess_launcher_setenv (launcher, "PARTNER_DESK_API_URL",
                                network == OFFLINE ? "http://127.0.0.1:9"
                                                   : pd_simulator_get_base_url (f->sim), TRUE);
  if (network == ONLINE_WITH_TOKEN)
    g_subprocess_launcher_setenv (launcher, "PARTNER_DESK_ACCESS_TOKEN", TOKEN, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "PARTNER_DESK_ACCESS_TOKEN");
  return launcher;
}

static GSubprocess *
spawn_cli (Fixture *f,
           Network  network,
           va_list  args)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_for (f, network);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  const char *arg;

  g_ptr_array_add (argv, (gpointer) PD_CLI_PATH);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, f->db);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

/* Runs CLI --db DB args… (NULL-terminated) while the simulator answers. */
static int G_GNUC_NULL_TERMINATED
cli (Fixture  *f,
     Network   network,
     char    **out,
     char    **err,
     ...)
{
  g_autoptr(GSubprocess) process = NULL;
  CliRun run = { FALSE, -1, NULL, NULL };
  va_list args;

  va_start (args, err);
  process = spawn_cli (f, network, args);
  va_end (args);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &run);
  g_assert_true (pd_test_wait_for_flag (&run.done, CLI_TIMEOUT_MS));
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run.status, run.out, run.err);
  if (out != NULL)
    *out = g_steal_pointer (&run.out);
  if (err != NULL)
    *err = g_steal_pointer (&run.err);
  g_free (run.out);
  g_free (run.err);
  return run.status;
}

static JsonObject *
status_json (Fixture *f)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_assert_cmpint (cli (f, OFFLINE, &out, NULL, "status", "--format", "json", NULL), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
assert_one_line_error (const char *err)
{
  g_assert_true (g_str_has_prefix (err, "partner-desk-cli: "));
  g_assert_cmpint (strchr (err, '\n') - err, ==, strlen (err) - 1);
}

static void
test_sync (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) status = NULL;
  JsonObject *run;

  g_assert_cmpint (cli (f, ONLINE_WITH_TOKEN, &out, &err, "sync", "--max-in-flight", "4",
                        "--rpm", "0", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "new 200"));
  g_assert_nonnull (strstr (out, "failed 0"));
  /* Not a terminal: plain progress lines, no carriage returns or escape sequences. */
  g_assert_null (strchr (err, '\r'));
  g_assert_null (strchr (err, '\033'));

  status = status_json (f);
  g_assert_cmpint (json_object_get_int_member (status, "organizations"), ==, N_CUSTOMERS);
  run = json_array_get_object_element (json_object_get_array_member (status, "runs"), 0);
  g_assert_cmpstr (json_object_get_string_member (run, "state"), ==, "complete");
  g_assert_cmpint (json_object_get_int_member (run, "new"), ==, N_CUSTOMERS);
}

/* Journey 4 through the CLI: a local edit, Partner Center changes that bill-to, the next
 * sync reports the edit as replaced, with the field and both values. */
static void
test_sync_replaces_local_edit (Fixture       *f,
                               gconstpointer  data)
{
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (f->sim);
  g_autofree char *mutation = g_strdup_printf ("{\"changeBillTo\": [\"%s\"]}", ids[0]);
  g_autofree char *answer = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *replaced;
  JsonObject *run;

  g_assert_cmpint (cli (f, ONLINE_WITH_TOKEN, NULL, NULL, "sync", NULL), ==, 0);
  g_assert_cmpint (cli (f, OFFLINE, NULL, NULL, "edit-bill-to", ids[0],
                        "address.city=Local City", NULL), ==, 0);
  answer = pd_simulator_mutate_json (f->sim, mutation, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cli (f, ONLINE_WITH_TOKEN, &out, NULL, "sync", "--full", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Local City"));

  status = status_json (f);
  run = json_array_get_object_element (json_object_get_array_member (status, "runs"), 0);
  g_assert_cmpint (json_object_get_int_member (run, "localEditsReplaced"), ==, 1);
  replaced = json_object_get_array_member (run, "replaced");
  g_assert_cmpuint (json_array_get_length (replaced), ==, 1);
  /* Named as edit-bill-to names it (the store's history says "billTo.address.city"). */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (replaced, 0),
                                                  "field"), ==, "address.city");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (replaced, 0),
                                                  "oldValue"), ==, "Local City");
}

/* A child process started without waiting, for the Ctrl+C test. */
static GSubprocess * G_GNUC_NULL_TERMINATED
cli_start (Fixture *f,
           Network  network,
           ...)
{
  GSubprocess *process;
  va_list args;

  va_start (args, network);
  process = spawn_cli (f, network, args);
  va_end (args);
  return process;
}

/* What the waits below look at; each also ends when the CLI has exited, so that a failure
 * shows the CLI's output at once rather than after the timeout. */
typedef struct {
  PdSimulator *sim;
  PdStore     *reader;
  CliRun      *run;
} Watch;

static gboolean
sync_is_running (gpointer data)
{
  Watch *watch = data;
  g_autoptr(PdSyncRun) running = pd_store_get_running_sync (watch->reader);

  return watch->run->done || running != NULL;
}

/* Ctrl+C (or SIGTERM, data) in the middle of a sync: the CLI cancels, says so, the run is
 * recorded as cancelled, and the next sync completes the cache. */
static void
test_sync_interrupted (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) reader = pd_store_open (f->db, &error);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(JsonObject) status = NULL;
  CliRun run = { FALSE, -1, NULL, NULL };
  Watch watch = { f->sim, reader, &run };
  JsonObject *last;

  g_assert_no_error (error);
  /* Slow enough that the run is surely still listing when the signal comes. */
  pd_simulator_set_latency (f->sim, 200, 0);
  process = cli_start (f, ONLINE_WITH_TOKEN, "sync", "--max-in-flight", "2", NULL);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &run);
  g_assert_true (pd_test_wait_until (sync_is_running, &watch, CLI_TIMEOUT_MS));
  g_assert_false (run.done);
  g_subprocess_send_signal (process, GPOINTER_TO_INT (data));
  g_assert_true (pd_test_wait_for_flag (&run.done, CLI_TIMEOUT_MS));
  g_test_message ("interrupted: exit %d, stderr %s", run.status, run.err);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "cancelled"));
  g_free (run.out);
  g_free (run.err);

  status = status_json (f);
  last = json_array_get_object_element (json_object_get_array_member (status, "runs"), 0);
  g_assert_cmpstr (json_object_get_string_member (last, "state"), ==, "cancelled");

  pd_simulator_set_latency (f->sim, 0, 0);
  g_assert_cmpint (cli (f, ONLINE_WITH_TOKEN, NULL, NULL, "sync", NULL), ==, 0);
  g_assert_cmpuint (pd_store_count (reader), ==, N_CUSTOMERS);
}

/* Requests for one customer's resources ("GET /v1/customers/{id}…"): they start once the
 * customer list has been read. */
static gint64
per_customer_requests (PdSimulator *sim)
{
  g_autofree char *stats = pd_simulator_dup_stats_json (sim);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GList) endpoints = NULL;
  JsonObject *by_endpoint;
  gint64 n = 0;

  if (!json_parser_load_from_data (parser, stats, -1, NULL))
    return 0;
  by_endpoint = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                               "byEndpoint");
  endpoints = json_object_get_members (by_endpoint);
  for (GList *l = endpoints; l != NULL; l = l->next)
    if (strstr (l->data, "/customers/{id}") != NULL)
      n += json_object_get_int_member (by_endpoint, l->data);
  return n;
}

static gboolean
profiles_started (gpointer data)
{
  Watch *watch = data;

  return watch->run->done || per_customer_requests (watch->sim) > 0;
}

/* The running sync has recorded a customer as failed. */
static gboolean
one_customer_failed (gpointer data)
{
  Watch *watch = data;
  g_autoptr(PdSyncRun) running = pd_store_get_running_sync (watch->reader);
  g_autoptr(GPtrArray) events = NULL;

  if (watch->run->done)
    return TRUE;
  if (running == NULL)
    return FALSE;
  events = pd_store_get_run_events (watch->reader, running->id, NULL);
  for (guint i = 0; events != NULL && i < events->len; i++)
    if (((PdRunEvent *) g_ptr_array_index (events, i))->kind == PD_RUN_EVENT_FAILED)
      return TRUE;
  return FALSE;
}

/* A customer whose profile cannot be fetched does not fail the run: the summary names it and
 * the exit status is 3. Faults are switched on only once the list has been read (a list
 * that cannot be read fails the whole run), and off again as soon as the run has recorded a
 * failed customer (all its retries used up); the others retry after that and succeed. */
static void
test_sync_some_failed (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) reader = pd_store_open (f->db, &error);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(JsonObject) status = NULL;
  CliRun run = { FALSE, -1, NULL, NULL };
  Watch watch = { f->sim, reader, &run };
  JsonObject *last;

  g_assert_no_error (error);
  process = cli_start (f, ONLINE_WITH_TOKEN, "sync", "--max-in-flight", "1", NULL);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &run);
  g_assert_true (pd_test_wait_until (profiles_started, &watch, CLI_TIMEOUT_MS));
  pd_simulator_set_fault_rate (f->sim, 1.0);
  g_assert_true (pd_test_wait_until (one_customer_failed, &watch, CLI_TIMEOUT_MS));
  pd_simulator_set_fault_rate (f->sim, 0.0);
  g_assert_true (pd_test_wait_for_flag (&run.done, CLI_TIMEOUT_MS));
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run.status, run.out, run.err);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.out, "failed: "));

  status = status_json (f);
  last = json_array_get_object_element (json_object_get_array_member (status, "runs"), 0);
  g_assert_cmpstr (json_object_get_string_member (last, "state"), ==, "complete");
  g_assert_cmpint (json_object_get_int_member (last, "failed"), >=, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (last,
                                                                         "failedCustomers")),
                    ==, json_object_get_int_member (last, "failed"));
  /* Every listed customer is in the cache, the failed ones not readable; the retry reads
   * them. */
  g_assert_cmpint (json_object_get_int_member (status, "organizations"), ==, N_CUSTOMERS);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (status, "counts"),
                                               "unreadable"), ==,
                   json_object_get_int_member (last, "failed"));
  g_assert_nonnull (strstr (run.out, "--retry-failed"));
  g_assert_cmpint (cli (f, ONLINE_WITH_TOKEN, NULL, NULL, "sync", "--retry-failed", NULL), ==, 0);
  g_assert_cmpuint (pd_store_count (reader), ==, N_CUSTOMERS);
  g_free (run.out);
  g_free (run.err);
}

static void
test_sync_offline_fails (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *err = NULL;

  /* No token, no keyring: the sync must say how to sign in, in one line. */
  g_assert_cmpint (cli (f, OFFLINE, NULL, &err, "sync", NULL), ==, 1);
  assert_one_line_error (err);
  g_assert_nonnull (strstr (err, "sign-in"));
}

/* Partner Center refuses a token without MFA (401/900421, since April 2026): the sync fails
 * with exit 1 and says, in one line, to sign in again with MFA; the cache stays empty. */
static void
test_sync_mfa_required (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) status = NULL;
  const char *last;

  pd_simulator_set_mfa_missing (f->sim, TRUE);
  g_assert_cmpint (cli (f, ONLINE_WITH_TOKEN, NULL, &err, "sync", NULL), ==, 1);
  /* After the progress lines, the error in one line. */
  last = g_strrstr (err, "partner-desk-cli: ");
  g_assert_nonnull (last);
  assert_one_line_error (last);
  g_assert_nonnull (strstr (last, "Sign in again with multi-factor authentication"));
  pd_simulator_set_mfa_missing (f->sim, FALSE);
  status = status_json (f);
  g_assert_cmpint (json_object_get_int_member (status, "organizations"), ==, 0);
}

static void
test_consent_link_online (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *plain = NULL;
  g_autofree char *dap = NULL;
  g_autofree char *offline = NULL;
  g_autofree char *note = NULL;
  g_autofree char *partner = g_strdup_printf ("partnerId=%s",
                                              pd_simulator_get_partner_tenant_id (f->sim));

  g_assert_cmpint (cli (f, ONLINE_WITH_TOKEN, &plain, NULL, "consent-link", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (plain, "https://"));
  g_assert_nonnull (strstr (plain, partner));
  g_assert_nonnull (strstr (plain, "DAP=false"));
  g_assert_cmpint (cli (f, ONLINE_WITH_TOKEN, &dap, NULL, "consent-link", "--dap", NULL), ==, 0);
  g_assert_nonnull (strstr (dap, "DAP=true"));

  /* A token user never signs in: the partner comes from the link the API gave. */
  g_assert_cmpint (cli (f, OFFLINE, &offline, &note, "consent-link", NULL), ==, 0);
  g_assert_nonnull (strstr (offline, partner));
  g_assert_nonnull (strstr (offline, "DAP=false"));
  g_assert_nonnull (strstr (note, "built offline"));
}

/* Sign in with the device code flow, then build the consent link offline from the partner
 * tenant recorded at sign-in. */
static void
test_sign_in_then_offline_consent_link (Fixture       *f,
                                        gconstpointer  data)
{
  g_autofree char *signed_in = NULL;
  g_autofree char *link = NULL;
  g_autofree char *note = NULL;
  g_autofree char *err = NULL;
  const char *partner = pd_simulator_get_partner_tenant_id (f->sim);

  g_assert_cmpint (cli (f, OFFLINE, NULL, &err, "consent-link", NULL), ==, 1);
  assert_one_line_error (err);

  g_assert_cmpint (cli (f, ONLINE_SIGN_IN, &signed_in, NULL, "sign-in", NULL), ==, 0);
  g_assert_nonnull (strstr (signed_in, "enter the code"));
  g_assert_nonnull (strstr (signed_in, "Signed in"));

  g_assert_cmpint (cli (f, OFFLINE, &link, &note, "consent-link", "--dap", NULL), ==, 0);
  g_assert_nonnull (strstr (link, partner));
  g_assert_nonnull (strstr (link, "DAP=true"));
  g_assert_nonnull (strstr (note, "built offline"));
  g_assert_nonnull (strstr (note, partner));
}

/* Journey 1 from a terminal: sign in once, the sign-in is kept in the keyring so the next
 * commands need nothing, and sign-out forgets it. */
static void
test_keyring_sign_in_sync_sign_out (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *signed_in = NULL;
  g_autofree char *synced = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (cli (f, WITH_KEYRING, &signed_in, NULL, "sign-in", NULL), ==, 0);
  g_assert_nonnull (strstr (signed_in, "Signed in"));
  g_assert_cmpint (cli (f, WITH_KEYRING, &synced, NULL, "sync", NULL), ==, 0);
  g_assert_nonnull (strstr (synced, "new 200"));
  g_assert_cmpint (cli (f, WITH_KEYRING, NULL, NULL, "sign-out", NULL), ==, 0);
  g_assert_cmpint (cli (f, WITH_KEYRING, NULL, &err, "sync", NULL), ==, 1);
  assert_one_line_error (err);
  g_assert_nonnull (strstr (err, "sign-in"));
}

#define ADD(name, func) \
  g_test_add ("/cli/http/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int    argc,
      char **argv)
{
  gboolean with_keyring = FALSE;

  /* --with-keyring: run by run-with-keyring.sh, inside a private D-Bus session and keyring. */
  for (int i = 1; i < argc; i++)
    if (g_strcmp0 (argv[i], "--with-keyring") == 0)
      {
        with_keyring = TRUE;
        memmove (&argv[i], &argv[i + 1], sizeof (char *) * (argc - i));
        argc--;
        break;
      }
  pd_test_init (&argc, &argv);
  if (with_keyring)
    {
      ADD ("keyring-sign-in-sync-sign-out", test_keyring_sign_in_sync_sign_out);
      return g_test_run ();
    }

  ADD ("sync", test_sync);
  ADD ("sync-replaces-local-edit", test_sync_replaces_local_edit);
  g_test_add ("/cli/http/sync-interrupted", Fixture, GINT_TO_POINTER (SIGINT), fixture_setup,
              test_sync_interrupted, fixture_teardown);
  g_test_add ("/cli/http/sync-terminated", Fixture, GINT_TO_POINTER (SIGTERM), fixture_setup,
              test_sync_interrupted, fixture_teardown);
  ADD ("sync-some-failed", test_sync_some_failed);
  ADD ("sync-offline-fails", test_sync_offline_fails);
  ADD ("sync-mfa-required", test_sync_mfa_required);
  ADD ("consent-link-online", test_consent_link_online);
  ADD ("sign-in-then-offline-consent-link", test_sign_in_then_offline_consent_link);

  return g_test_run ();
}
