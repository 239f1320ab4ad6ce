/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-sync.c — `sync [--full] [--max-in-flight N] [--rpm N]
 *                  [--reseller ID…|--all-resellers]`.
 *
 * The reseller scope ("My resellers") belongs to the cache, which the app shares: --reseller
 * sets it for this run and keeps it for the next ones (the app's included), --all-resellers
 * goes back to every customer, and without either the kept scope applies.
 *
 * Ctrl+C cancels the run through its GCancellable rather than killing the process, so the
 * engine finishes its current transaction, records the run as cancelled and the next sync
 * resumes from the checkpoint.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-cli-progress.h"
#include "pd-cli-session.h"
#include "sync/pd-sync-report.h"

typedef struct {
  gboolean full;
  gboolean retry_failed;
  int      max_in_flight;   /* -1 = the setting */
  int      rpm;             /* -1 = the setting */
  gboolean allow_mass_removal;
  char   **resellers;       /* --reseller, NULL when not given */
  gboolean all_resellers;
} SyncOptions;

static void
on_progress (PdSyncEngine         *engine,
             const PdSyncProgress *progress,
             gpointer              data)
{
  pd_cli_progress_update (data, progress);
}

static void
apply_rate_limits (PdPcClient        *client,
                   const SyncOptions *options)
{
  guint max_in_flight = 0;
  guint rpm = 0;

  pd_cli_get_rate_settings (&max_in_flight, &rpm);
  if (options->max_in_flight > 0)
    max_in_flight = options->max_in_flight;
  if (options->rpm >= 0)
    rpm = options->rpm;
  if (max_in_flight > 0)
    pd_pc_client_set_max_in_flight (client, max_in_flight);
  pd_pc_client_set_requests_per_minute (client, rpm);
}

/* A reseller of the scope that Partner Center does not list found no customer; the scope is
 * kept for the next syncs (the timer's too), which would find none either. */
static void
warn_unlisted_resellers (PdSyncEngine *engine)
{
  const char * const *unlisted = pd_sync_engine_get_unlisted_resellers (engine);

  for (guint i = 0; unlisted != NULL && unlisted[i] != NULL; i++)
    g_printerr (_("Warning: Partner Center does not list %s among your indirect resellers (a "
                  "mistyped ID, or a relationship that ended): no customer of it was found. The "
                  "next syncs keep this scope until “partner-desk-cli sync --all-resellers” or "
                  "another --reseller.\n"), unlisted[i]);
}

static int
print_summary (PdStore *store,
               gint64   run_id,
               double   seconds)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *took = pd_cli_format_duration (seconds);
  g_autoptr(PdSyncRun) run = pd_store_get_sync_run (store, run_id, &error);

  if (run == NULL)
    return pd_cli_fail_error (error);
  /* Translators: the kind of sync run and its state, as the sync panel names them, and how
   * long it took: "Full sync, Complete (0:12):" */
  g_print (_("%s, %s (%s):\n"), pd_sync_kind_label (run->kind), pd_sync_state_label (run->state),
           took);
  pd_cli_print_run_scope (store, run_id);
  pd_cli_print_run_report_of (store, run);
  if (run->n_failed == 0)
    return PD_CLI_EXIT_OK;
  g_print ("%s\n", _("Some customers failed: “partner-desk-cli sync --retry-failed” fetches "
                      "them again."));
  return PD_CLI_EXIT_PARTIAL;
}


/* Starts the run (or the retry of the last run's failures); FALSE when there is nothing to
 * retry. */
static gboolean
start_run (PdCli             *cli,
           PdSyncEngine      *engine,
           const SyncOptions *options,
           GCancellable      *cancellable,
           GAsyncResult     **result)
{
  g_auto(GStrv) failed = NULL;

  if (!options->retry_failed)
    {
      pd_sync_engine_run_async (engine, options->full ? PD_SYNC_MODE_FULL : PD_SYNC_MODE_AUTO,
                                cancellable, pd_cli_store_result, result);
      return TRUE;
    }
  /* Not only the last run's: one cancelled since, or of another scope, did not fetch them. */
  failed = pd_sync_dup_latest_failures (cli->store);
  if (failed[0] == NULL)
    return FALSE;
  pd_sync_engine_retry_async (engine, (const char * const *) failed, cancellable,
                              pd_cli_store_result, result);
  return TRUE;
}

/* --reseller and --all-resellers give the run its scope; the engine keeps it in the cache for
 * the next syncs only once the run has begun, so that a refused run changes nothing. */
static void
give_scope (PdSyncEngine      *engine,
            const SyncOptions *options)
{
  if (options->all_resellers)
    pd_sync_engine_set_scope_once (engine, NULL);
  else if (options->resellers != NULL)
    pd_sync_engine_set_scope_once (engine, (const char * const *) options->resellers);
}

static int
run_sync (PdCli             *cli,
          PdPcClient        *client,
          const SyncOptions *options,
          GCancellable      *cancellable)
{
  g_autoptr(PdSyncEngine) engine = pd_sync_engine_new (cli->store, client);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  PdCliProgress progress;
  gint64 run_id;

  pd_cli_progress_init (&progress);
  if (options->allow_mass_removal)
    pd_sync_engine_allow_mass_removal_once (engine);
  give_scope (engine, options);
  g_signal_connect (engine, "progress", G_CALLBACK (on_progress), &progress);
  if (!start_run (cli, engine, options, cancellable, &result))
    {
      g_print ("%s\n", _("There are no failed customers to retry: every customer whose fetch "
                         "failed was fetched since."));
      return PD_CLI_EXIT_OK;
    }
  if (options->retry_failed)
    run_id = pd_sync_engine_retry_finish (engine, pd_cli_wait (&result), &error);
  else
    run_id = pd_sync_engine_run_finish (engine, pd_cli_wait (&result), &error);
  g_signal_handlers_disconnect_by_func (engine, on_progress, &progress);
  pd_cli_progress_finish (&progress);
  if (run_id == 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return pd_cli_fail (PD_CLI_EXIT_ERROR, _("sync cancelled: the cache is consistent and the "
                                             "next sync continues where this one stopped"));
  if (g_error_matches (error, PD_STORE_ERROR, PD_STORE_ERROR_OTHER_PARTNER))
    return pd_cli_fail (PD_CLI_EXIT_ERROR, "%s %s", error->message,
                        _("To sync this account, give it a cache of its own: "
                          "“partner-desk-cli --db PATH sync”."));
  if (g_error_matches (error, PD_SYNC_ERROR, PD_SYNC_ERROR_MASS_REMOVAL))
    return pd_cli_fail (PD_CLI_EXIT_ERROR, "%s %s", error->message,
                        _("If they really left, run “partner-desk-cli sync --full "
                          "--allow-mass-removal”."));
  if (run_id == 0)
    return pd_cli_fail (PD_CLI_EXIT_ERROR, _("sync failed: %s"), error->message);
  warn_unlisted_resellers (engine);
  return print_summary (cli->store, run_id,
                        (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
}

static int
sync_with (PdCli             *cli,
           const SyncOptions *options)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PdAuth) auth = NULL;
  g_autoptr(PdPcClient) client = NULL;
  g_autoptr(GError) error = NULL;
  PdCliSignalWatch signals;
  int status;

  if (pd_cli_refuse_demo_cache (cli, "sync", &status))
    return status;
  if (pd_cli_get_store (cli, &error) == NULL
      || (auth = pd_cli_auth_new (&error)) == NULL
      || !pd_cli_auth_restore (auth, NULL, &error)
      || (client = pd_cli_client_new (auth, &error)) == NULL)
    return pd_cli_fail_error (error);
  apply_rate_limits (client, options);
  pd_cli_signal_watch_start (&signals, cancellable);
  status = run_sync (cli, client, options, cancellable);
  pd_cli_signal_watch_stop (&signals);
  return status;
}

/* A reseller is named by its tenant ID (a GUID): letters, digits and dashes. */
static gboolean
is_tenant_id (const char *id)
{
  if (id == NULL || *id == '\0')
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

static int
check_scope_options (const SyncOptions *options)
{
  if (options->resellers != NULL && options->all_resellers)
    return pd_cli_fail (PD_CLI_EXIT_USAGE,
                        _("--reseller and --all-resellers exclude each other"));
  if (options->resellers != NULL && options->retry_failed)
    return pd_cli_fail (PD_CLI_EXIT_USAGE,
                        _("--reseller and --retry-failed exclude each other"));
  for (guint i = 0; options->resellers != NULL && options->resellers[i] != NULL; i++)
    if (!is_tenant_id (options->resellers[i]))
      return pd_cli_fail (PD_CLI_EXIT_USAGE,
                          _("“%s” is not a reseller's tenant ID (“partner-desk-cli list "
                            "--format json” shows each customer's reseller)"),
                          options->resellers[i]);
  return PD_CLI_EXIT_OK;
}

int
pd_cli_cmd_sync (PdCli  *cli,
                 char  **argv)
{
  SyncOptions options = { FALSE, FALSE, -1, -1, FALSE, NULL, FALSE };
  const GOptionEntry entries[] = {
    { "full", 0, 0, G_OPTION_ARG_NONE, &options.full,
      N_("Full sync (default: incremental when a recent complete sync exists)"), NULL },
    { "retry-failed", 0, 0, G_OPTION_ARG_NONE, &options.retry_failed,
      N_("Fetch again only the customers whose latest fetch failed"), NULL },
    { "max-in-flight", 0, 0, G_OPTION_ARG_INT, &options.max_in_flight,
      N_("At most N requests at a time (share the API quota with other tools)"), N_("N") },
    { "rpm", 0, 0, G_OPTION_ARG_INT, &options.rpm,
      N_("At most N requests per minute (0 = no cap)"), N_("N") },
    { "allow-mass-removal", 0, 0, G_OPTION_ARG_NONE, &options.allow_mass_removal,
      N_("Mark customers removed even when the listing lacks most of a cache of over 50"),
      NULL },
    { "reseller", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options.resellers,
      N_("Sync only the customers of this indirect reseller (tenant ID; repeat for several); "
         "kept for the next syncs"), N_("ID") },
    { "all-resellers", 0, 0, G_OPTION_ARG_NONE, &options.all_resellers,
      N_("Sync every customer again (forget the resellers chosen with --reseller)"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  int status = PD_CLI_EXIT_OK;

  if (!pd_cli_parse_options ("sync", entries, argv, 0, 0, &args, &status))
    return status;
  if (options.max_in_flight != -1 && (options.max_in_flight < 1 || options.max_in_flight > 64))
    return pd_cli_fail (PD_CLI_EXIT_USAGE, _("--max-in-flight must be between 1 and 64"));
  if (options.full && options.retry_failed)
    return pd_cli_fail (PD_CLI_EXIT_USAGE, _("--full and --retry-failed exclude each other"));
  if (options.rpm < -1)
    return pd_cli_fail (PD_CLI_EXIT_USAGE, _("--rpm must be 0 or more"));
  status = check_scope_options (&options);
  if (status == PD_CLI_EXIT_OK)
    status = sync_with (cli, &options);
  g_strfreev (options.resellers);
  return status;
}
