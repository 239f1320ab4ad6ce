/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-status.c — `status [--format json] [--runs N]`: the cache, its counts, the reseller
 * scope and the last sync runs with their reports and scopes (the run report is shared with
 * sync's summary).
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "core/pd-text.h"
#include "pd-cli-json.h"
#include "pd-cli-table.h"
#include "pd-cli.h"
#include "sync/pd-sync-report.h"

#define DEFAULT_RUNS 5
/* Text output lists at most this many replaced/failed/removed customers per run; the JSON
 * has them all. */
#define MAX_DETAIL_LINES 20

typedef struct {
  PdStore   *store;
  guint      counts[PD_N_FILTERS];
  guint      n_not_read; /* listed, bill-to not read yet: neither complete nor incomplete */
  gboolean   dup_flags_exact;  /* FALSE while a sync keeps the duplicate flags for its end */
  char      *partner_tenant;
  char     **scope;     /* the reseller scope kept for the next sync, NULL: all */
  GDateTime *last_complete;
  PdSyncRun *running;
  GPtrArray *runs;      /* of PdSyncRun: the n_shown newest, then maybe one more */
  guint      n_shown;   /* --runs */
  GPtrArray *events;    /* of GPtrArray of PdRunEvent of STATUS_KINDS, one per run */
} Status;

/* The kinds of event a report lists one by one. */
#define DETAIL_KINDS (PD_RUN_EVENT_KIND_BIT (PD_RUN_EVENT_OVERRIDE_REPLACED) \
                      | PD_RUN_EVENT_KIND_BIT (PD_RUN_EVENT_FAILED) \
                      | PD_RUN_EVENT_KIND_BIT (PD_RUN_EVENT_REMOVED))
/* The events status reads: those, and the kept local edits its JSON names. Not NEW and
 * UPDATED, of which a first sync of a million customers has a million (~100 MB). */
#define STATUS_KINDS (DETAIL_KINDS | PD_RUN_EVENT_KIND_BIT (PD_RUN_EVENT_OVERRIDE_KEPT))

static void
status_clear (Status *status)
{
  g_free (status->partner_tenant);
  g_strfreev (status->scope);
  g_clear_pointer (&status->last_complete, g_date_time_unref);
  g_clear_pointer (&status->running, pd_sync_run_free);
  g_clear_pointer (&status->runs, g_ptr_array_unref);
  g_clear_pointer (&status->events, g_ptr_array_unref);
}

static gboolean
status_read (Status   *status,
             PdStore  *store,
             guint     n_runs,
             GError  **error)
{
  PdStoreQuery query = { 0 };

  status->store = store;
  if (!pd_store_count_filters (store, &query, status->counts, error)
      || !pd_store_count_not_read (store, &status->n_not_read, error)
      || !pd_store_get_dup_flags_exact (store, &status->dup_flags_exact, error))
    return FALSE;
  status->partner_tenant = pd_store_dup_partner_tenant_id (store);
  status->scope = pd_store_dup_reseller_scope (store);
  status->last_complete = pd_store_get_last_complete_sync (store);
  status->running = pd_store_get_running_sync (store);
  /* One more than shown with --runs 1: one runs at a time, so the newest two hold the newest
   * that is over, which "Last sync:" names. */
  status->runs = pd_store_list_sync_runs (store, MAX (n_runs, 2), error);
  if (status->runs == NULL)
    return FALSE;
  status->n_shown = MIN (n_runs, status->runs->len);
  status->events = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < status->n_shown; i++)
    {
      PdSyncRun *run = g_ptr_array_index (status->runs, i);
      GPtrArray *events = pd_store_get_run_events_of (store, run->id, STATUS_KINDS, 0, error);

      if (events == NULL)
        return FALSE;
      g_ptr_array_add (status->events, events);
    }
  return TRUE;
}

/* Every figure status shows, of one state of the cache: counts that add up, and the runs
 * they came from, though a sync writes meanwhile. */
static gboolean
status_load (Status   *status,
             PdStore  *store,
             guint     n_runs,
             GError  **error)
{
  gboolean ok;

  if (!pd_store_begin_reading (store, error))
    return FALSE;
  ok = status_read (status, store, n_runs, error);
  pd_store_end_reading (store);
  return ok;
}

static char *
format_time (GDateTime *when)
{
  g_autoptr(GDateTime) local = NULL;

  if (when == NULL)
    return g_strdup (_("never"));
  local = g_date_time_to_local (when);
  /* Translators: a g_date_time_format() date and time in the CLI's status, "2026-12-06
   * 14:02:33"; use your language's order and separators */
  /* xgettext:no-c-format */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M:%S"));
}

static char *
iso_time (GDateTime *when)
{
  return when != NULL ? g_date_time_format_iso8601 (when) : NULL;
}

/* ---- text ---- */

static void
print_counts (Status *status)
{
  g_print (_("Organizations: %'u\n"), status->counts[PD_FILTER_ALL]);
  for (int f = PD_FILTER_ALL + 1; f < PD_N_FILTERS; f++)
    {
      /* Translators: a line of status under "Organizations:", a filter's name and its count
       * ("  Bill-to incomplete: 271"); keep the two leading spaces */
      g_autofree char *line = g_strdup_printf (_("  %s: %u"), pd_filter_label (f),
                                               status->counts[f]);

      if (f == PD_FILTER_DUPLICATES && !status->dup_flags_exact)
        /* Translators: after the count of possible duplicates, while a sync keeps their
         * flags for its end */
        g_print ("%s %s\n", line,
                 _("(flagged when the current or next sync ends; “duplicates” lists them now)"));
      else
        g_print ("%s\n", line);
    }
  /* Said, or a reader takes every customer not counted incomplete for complete. */
  if (status->n_not_read > 0)
    g_print (_("  Bill-to not read yet (neither complete nor incomplete is known): %u\n"),
             status->n_not_read);
}

/* A bill-to field of a run's event as show names it: "City (address.city)", its label in the
 * user's language and the path edit-bill-to takes (before: the path alone). */
static char *
dup_field_named (const char *field)
{
  const char *path = pd_cli_bill_to_path (field);
  PdBillToField f;

  if (path == NULL || !pd_bill_to_field_from_path (path, &f))
    return pd_text_one_line (path != NULL ? path : "");
  return g_strdup_printf ("%s (%s)", pd_bill_to_field_label (f), path);
}

static void
print_event (const PdRunEvent *event)
{
  /* Partner Center's text, each on the line of ours it stands in. */
  g_autofree char *name = pd_text_one_line (event->name != NULL ? event->name : event->tenant_id);
  g_autofree char *tenant_id = pd_text_one_line (event->tenant_id);
  g_autofree char *old_value = pd_text_one_line (event->old_value != NULL ? event->old_value : "");
  g_autofree char *new_value = pd_text_one_line (event->new_value != NULL ? event->new_value : "");
  g_autofree char *message = pd_text_one_line (event->error);
  g_autofree char *field = dup_field_named (event->field);

  switch (event->kind)
    {
    case PD_RUN_EVENT_OVERRIDE_REPLACED:
      /* Translators: a customer, a bill-to field, the local value and Partner Center's */
      g_print (_("    local edit replaced: %s, %s: “%s” → “%s”\n"), name,
               field, old_value, new_value);
      break;
    case PD_RUN_EVENT_FAILED:
      g_print (_("    failed: %s (%s): %s\n"), name, tenant_id, message);
      break;
    case PD_RUN_EVENT_REMOVED:
      g_print (_("    removed from Partner Center: %s\n"), name);
      break;
    case PD_RUN_EVENT_NEW:
    case PD_RUN_EVENT_UPDATED:
    case PD_RUN_EVENT_OVERRIDE_KEPT:
    default:
      break;
    }
}

static gboolean
is_detail (const PdRunEvent *event)
{
  return (DETAIL_KINDS & PD_RUN_EVENT_KIND_BIT (event->kind)) != 0;
}

static void
print_counts_and_error (const PdSyncRun *run)
{
  g_autofree char *message = pd_text_one_line (run->error);

  g_print (_("    new %u, updated %u, unchanged %u, removed %u, local edits kept %u, "
             "local edits replaced %u, failed %u\n"),
           run->n_new, run->n_updated, run->n_unchanged, run->n_removed,
           run->n_overrides_kept, run->n_overrides_replaced, run->n_failed);
  if (message != NULL)
    g_print (_("    error: %s\n"), message);
}

/* The first MAX_DETAIL_LINES detail events of events, then how many of n_details are left. */
static void
print_details (GPtrArray *events,
               guint64    n_details)
{
  guint shown = 0;

  for (guint i = 0; events != NULL && i < events->len && shown < MAX_DETAIL_LINES; i++)
    {
      const PdRunEvent *event = g_ptr_array_index (events, i);

      if (!is_detail (event))
        continue;
      print_event (event);
      shown++;
    }
  if (n_details > shown)
    {
      guint hidden = (guint) MIN (n_details - shown, G_MAXUINT);

      g_print (g_dngettext (GETTEXT_PACKAGE,
                            "    … and %u more (“partner-desk-cli status --format json” lists "
                            "them all)\n",
                            "    … and %u more (“partner-desk-cli status --format json” lists "
                            "them all)\n", hidden), hidden);
    }
}

void
pd_cli_print_run_report (const PdSyncRun *run,
                         GPtrArray       *events)
{
  guint64 n_details = 0;

  print_counts_and_error (run);
  for (guint i = 0; events != NULL && i < events->len; i++)
    n_details += is_detail (g_ptr_array_index (events, i));
  print_details (events, n_details);
}

void
pd_cli_print_run_report_of (PdStore         *store,
                            const PdSyncRun *run)
{
  g_autoptr(GPtrArray) events = pd_store_get_run_events_of (store, run->id, DETAIL_KINDS,
                                                            MAX_DETAIL_LINES, NULL);
  gint64 n_details = pd_store_count_run_events_of (store, run->id, DETAIL_KINDS, NULL);

  print_counts_and_error (run);
  print_details (events, (guint64) MAX (n_details, 0));
}

void
pd_cli_print_run_scope (PdStore *store,
                        gint64   run_id)
{
  g_auto(GStrv) scope = pd_store_dup_run_scope (store, run_id);
  g_autofree char *names = NULL;
  g_autofree char *label = NULL;

  if (scope == NULL)
    return;
  /* The resellers' names, from Partner Center. */
  names = pd_store_dup_scope_label (store, (const char * const *) scope);
  label = pd_text_one_line (names);
  /* Translators: %s lists the indirect resellers a sync covered, by name */
  g_print (_("    only the customers of: %s (the others stay as last synced)\n"), label);
}

static void
print_run (Status          *status,
           const PdSyncRun *run,
           GPtrArray       *events)
{
  g_autofree char *started = format_time (run->started_at);

  /* The sync panel's labels (JSON keeps the identifiers). Translators: a sync run in
   * partner-desk-cli status: its number, kind and state as the sync panel says them, and when
   * it started ("#3 Full sync, Complete, started 2026-12-06 17:44") */
  g_print (_("  #%lld %s, %s, started %s\n"), (long long) run->id,
           pd_sync_kind_label (run->kind), pd_sync_state_label (run->state), started);
  pd_cli_print_run_scope (status->store, run->id);
  pd_cli_print_run_report (run, events);
}

static void
print_scope (Status *status)
{
  g_autofree char *names = pd_store_dup_scope_label (status->store,
                                                     (const char * const *) status->scope);
  g_autofree char *label = pd_text_one_line (names);

  /* Translators: %s is "all customers" or the names of the indirect resellers chosen */
  g_print (_("Reseller scope: %s\n"), label);
  if (status->scope != NULL)
    g_print ("%s\n", _("  Customers of other resellers stay in the cache as last synced; "
                        "“partner-desk-cli sync --all-resellers” syncs them all again."));
}

/* The newest run that ended, as the app's sync panel says it ("Last sync: retry of 3
 * customers, …": a retry did not sync the cache whole), then the last complete sync. */
static void
print_last_syncs (Status *status)
{
  g_autofree char *last = status->last_complete != NULL ? format_time (status->last_complete)
                                                        : NULL;
  g_autofree char *complete = pd_sync_dup_last_complete_text (last);

  for (guint i = 0; i < status->runs->len; i++)
    {
      const PdSyncRun *run = g_ptr_array_index (status->runs, i);
      g_autofree char *when = NULL;
      g_autofree char *title = NULL;

      if (run->state == PD_SYNC_STATE_RUNNING)
        continue;
      when = format_time (run->finished_at != NULL ? run->finished_at : run->started_at);
      title = pd_sync_dup_last_run_title (run, when);
      g_print ("%s\n", title);
      break;
    }
  g_print ("%s\n", complete);
}

static int
print_text (Status *status)
{
  g_print (_("Cache: %s (schema %d)\n"), pd_store_get_path (status->store),
           pd_store_get_schema_version (status->store));
  print_counts (status);
  if (status->partner_tenant != NULL)
    g_print (_("Partner tenant: %s\n"), status->partner_tenant);
  print_last_syncs (status);
  print_scope (status);
  if (status->running != NULL)
    {
      g_autofree char *since = format_time (status->running->started_at);
      g_print (_("A sync is running since %s.\n"), since);
    }
  if (status->n_shown == 0)
    {
      g_print ("%s\n", _("No sync runs yet."));
      return PD_CLI_EXIT_OK;
    }
  g_print ("%s\n", _("Last sync runs:"));
  for (guint i = 0; i < status->n_shown; i++)
    print_run (status, g_ptr_array_index (status->runs, i),
               g_ptr_array_index (status->events, i));
  return PD_CLI_EXIT_OK;
}

/* ---- json ---- */

static void
build_event (PdCliJsonWriter  *writer,
             const PdRunEvent *event)
{
  pd_cli_json_writer_begin_object (writer);
  /* null: the cache holds no organization of the tenant (never 0, which no organization has). */
  if (event->org_id > 0)
    pd_cli_json_add_int (writer, "id", event->org_id);
  else
    {
      pd_cli_json_writer_set_member_name (writer, "id");
      pd_cli_json_writer_add_null_value (writer);
    }
  pd_cli_json_add_string (writer, "tenantId", event->tenant_id);
  pd_cli_json_add_string (writer, "name", event->name);
  if (event->kind == PD_RUN_EVENT_OVERRIDE_REPLACED)
    {
      pd_cli_json_add_string (writer, "field", pd_cli_bill_to_path (event->field));
      pd_cli_json_add_string (writer, "oldValue", event->old_value);
      pd_cli_json_add_string (writer, "newValue", event->new_value);
    }
  if (event->kind == PD_RUN_EVENT_FAILED)
    pd_cli_json_add_string (writer, "error", event->error);
  pd_cli_json_writer_end_object (writer);
}

static void
build_events (PdCliJsonWriter *writer,
              const char      *key,
              GPtrArray       *events,
              PdRunEventKind   kind)
{
  pd_cli_json_writer_set_member_name (writer, key);
  pd_cli_json_writer_begin_array (writer);
  for (guint i = 0; i < events->len; i++)
    {
      const PdRunEvent *event = g_ptr_array_index (events, i);

      if (event->kind == kind)
        build_event (writer, event);
    }
  pd_cli_json_writer_end_array (writer);
}

/* key: an array of reseller tenant ids, or null for every customer. */
static void
build_scope (PdCliJsonWriter    *writer,
             const char         *key,
             const char * const *scope)
{
  pd_cli_json_writer_set_member_name (writer, key);
  if (scope == NULL)
    {
      pd_cli_json_writer_add_null_value (writer);
      return;
    }
  pd_cli_json_writer_begin_array (writer);
  for (guint i = 0; scope[i] != NULL; i++)
    pd_cli_json_writer_add_string_value (writer, scope[i]);
  pd_cli_json_writer_end_array (writer);
}

static void
build_run (PdCliJsonWriter *writer,
           PdStore         *store,
           const PdSyncRun *run,
           GPtrArray       *events)
{
  g_auto(GStrv) scope = pd_store_dup_run_scope (store, run->id);
  g_autofree char *started = iso_time (run->started_at);
  g_autofree char *finished = iso_time (run->finished_at);

  pd_cli_json_writer_begin_object (writer);
  pd_cli_json_add_int (writer, "id", run->id);
  pd_cli_json_add_string (writer, "kind", pd_sync_kind_to_string (run->kind));
  pd_cli_json_add_string (writer, "state", pd_sync_state_to_string (run->state));
  pd_cli_json_add_string (writer, "startedAt", started);
  pd_cli_json_add_string (writer, "finishedAt", finished);
  pd_cli_json_add_int (writer, "new", run->n_new);
  pd_cli_json_add_int (writer, "updated", run->n_updated);
  pd_cli_json_add_int (writer, "unchanged", run->n_unchanged);
  pd_cli_json_add_int (writer, "removed", run->n_removed);
  pd_cli_json_add_int (writer, "localEditsKept", run->n_overrides_kept);
  pd_cli_json_add_int (writer, "localEditsReplaced", run->n_overrides_replaced);
  pd_cli_json_add_int (writer, "failed", run->n_failed);
  pd_cli_json_add_string (writer, "error", run->error);
  pd_cli_json_add_string (writer, "correlationId", run->correlation_id);
  build_scope (writer, "resellerScope", (const char * const *) scope);
  build_events (writer, "replaced", events, PD_RUN_EVENT_OVERRIDE_REPLACED);
  build_events (writer, "failedCustomers", events, PD_RUN_EVENT_FAILED);
  build_events (writer, "removedCustomers", events, PD_RUN_EVENT_REMOVED);
  build_events (writer, "localEditsKeptCustomers", events, PD_RUN_EVENT_OVERRIDE_KEPT);
  pd_cli_json_writer_end_object (writer);
}

static void
build_counts (PdCliJsonWriter *writer,
              Status          *status)
{
  pd_cli_json_writer_set_member_name (writer, "counts");
  pd_cli_json_writer_begin_object (writer);
  for (int f = 0; f < PD_N_FILTERS; f++)
    pd_cli_json_add_int (writer, pd_filter_to_string (f), status->counts[f]);
  pd_cli_json_add_int (writer, "notRead", status->n_not_read);
  pd_cli_json_writer_end_object (writer);
}

static int
print_json (Status *status)
{
  g_autoptr(GString) document = g_string_new (NULL);
  g_autoptr(PdCliJsonWriter) writer = pd_cli_json_writer_new (document);
  g_autofree char *last = iso_time (status->last_complete);
  g_autofree char *running = status->running != NULL ? iso_time (status->running->started_at)
                                                     : NULL;

  pd_cli_json_writer_begin_object (writer);
  pd_cli_json_add_string (writer, "cache", pd_store_get_path (status->store));
  pd_cli_json_add_int (writer, "schemaVersion", pd_store_get_schema_version (status->store));
  pd_cli_json_add_int (writer, "organizations", status->counts[PD_FILTER_ALL]);
  build_counts (writer, status);
  pd_cli_json_writer_set_member_name (writer, "duplicateFlagsUpToDate");
  pd_cli_json_writer_add_boolean_value (writer, status->dup_flags_exact);
  pd_cli_json_add_string (writer, "partnerTenantId", status->partner_tenant);
  pd_cli_json_add_string (writer, "lastCompleteSync", last);
  pd_cli_json_add_string (writer, "syncRunningSince", running);
  build_scope (writer, "resellerScope", (const char * const *) status->scope);
  pd_cli_json_writer_set_member_name (writer, "runs");
  pd_cli_json_writer_begin_array (writer);
  for (guint i = 0; i < status->n_shown; i++)
    build_run (writer, status->store, g_ptr_array_index (status->runs, i),
               g_ptr_array_index (status->events, i));
  pd_cli_json_writer_end_array (writer);
  pd_cli_json_writer_end_object (writer);
  return pd_cli_print_json (document->str);
}

int
pd_cli_cmd_status (PdCli  *cli,
                   char  **argv)
{
  g_autofree char *format = NULL;
  int n_runs = DEFAULT_RUNS;
  const GOptionEntry entries[] = {
    PD_CLI_TEXT_JSON_FORMAT_ENTRY (&format),
    { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, N_("Show the last N sync runs (default 5)"),
      N_("N") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(GError) error = NULL;
  Status status = { 0 };
  PdStore *store;
  int exit_status = PD_CLI_EXIT_OK;
  gboolean json;

  if (!pd_cli_parse_options ("status", entries, argv, 0, 0, &args, &exit_status)
      || !pd_cli_check_text_json_format (format, &json, &exit_status))
    return exit_status;
  if (n_runs < 1)
    return pd_cli_fail (PD_CLI_EXIT_USAGE, _("--runs must be at least 1"));
  if ((store = pd_cli_open_cache (cli, &exit_status)) == NULL)
    return exit_status;
  if (!status_load (&status, store, n_runs, &error))
    exit_status = pd_cli_fail_error (error);
  else if (json)
    exit_status = print_json (&status);
  else
    exit_status = print_text (&status);
  status_clear (&status);
  return exit_status;
}
