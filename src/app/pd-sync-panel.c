/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-panel.c — live progress of the running sync and the reports of past runs. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-app-util.h"
#include "pd-sync-panel-private.h"
#include "pd-sync-run-row.h"
#include "sync/pd-sync-report.h"

/* Past runs listed, and report lines shown per kind in one run (a first sync of 100,000
 * customers has 100,000 "new" events; the list shows counts and the lines that need action). */
#define MAX_RUNS 10
#define MAX_LINES_PER_KIND 100

/* A row of runs_group and the run it stands for. */
typedef struct
{
  GtkWidget *row;     /* a PdSyncRunRow, or a plain row (a reference) */
  gint64     run_id;
  guint      quiet;   /* the quiet runs a plain row stands for (0: it is not quiet) */
} RunRow;

struct _PdSyncPanel
{
  AdwBin          parent_instance;

  PdSession      *session;
  PdSyncEngine   *engine;
  GArray         *run_rows;     /* RunRow of runs_group, newest first */
  /* The newest run when the rows were last read, as run_signature says: another process's run
   * that began or ended since changes it. */
  gint64          run_signature;
  GCancellable   *cancellable;  /* event loads */
  /* Tenant ids a retry of this session fetched → that retry's run id (gsize); and the tenants
   * of the retry in flight. */
  GHashTable     *retried;
  GPtrArray      *retrying;
  guint           clock_id;

  /* template */
  GtkStack       *button_stack;
  GtkLabel       *stage_label;
  GtkProgressBar *progress_bar;
  GtkLabel       *details_label;
  AdwActionRow   *account_row;
  GtkButton      *sign_in_button;
  AdwActionRow   *schedule_row;
  AdwPreferencesGroup *runs_group;
  AdwActionRow   *no_runs_row;
};

G_DEFINE_FINAL_TYPE (PdSyncPanel, pd_sync_panel, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

/* ---- formatting ---- */

static gboolean
same_day (GDateTime *a,
          GDateTime *b)
{
  return g_date_time_get_year (a) == g_date_time_get_year (b)
         && g_date_time_get_day_of_year (a) == g_date_time_get_day_of_year (b);
}

static char *
format_time (GDateTime *when)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (when);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);

  if (same_day (local, now))
    /* Translators: a time today, strftime format */
    /* xgettext:no-c-format */
    return g_date_time_format (local, _("Today at %H:%M"));
  if (same_day (local, tomorrow))
    /* Translators: a time tomorrow, strftime format */
    /* xgettext:no-c-format */
    return g_date_time_format (local, _("Tomorrow at %H:%M"));
  /* Translators: a date and time, strftime format (%x: the locale's date) */
  /* xgettext:no-c-format */
  return g_date_time_format (local, _("%x at %H:%M"));
}

static char *
format_duration (double seconds)
{
  guint n;

  if (seconds < 60)
    {
      n = (guint) MAX (seconds, 1);
      /* Translators: the time a sync still needs, in seconds */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u s left", "about %u s left",
                                           n), n);
    }
  if (seconds < 3600)
    {
      n = (guint) (seconds / 60 + 0.5);
      /* Translators: the time a sync still needs, in minutes */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u min left",
                                           "about %u min left", n), n);
    }
  /* Translators: the time a sync still needs, in hours with one decimal ("about 1.5 h left") */
  return g_strdup_printf (_("about %.1f h left"), seconds / 3600);
}

static char *
format_progress_details (const PdSyncProgress *progress)
{
  g_autoptr(GString) text = g_string_new (NULL);

  /* %llu, not G_GUINT64_FORMAT: xgettext cannot see through a macro inside a message. */
  if (progress->total > 0)
    /* Translators: customers synced so far and in all, "1,200 of 2,500" */
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%'llu of %'llu", "%'llu of %'llu",
                                               (gulong) MIN (progress->total, G_MAXULONG)),
                            (unsigned long long) progress->done,
                            (unsigned long long) progress->total);
  else
    /* Translators: customers synced so far, "1,200 done" */
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%'llu done", "%'llu done",
                                               (gulong) MIN (progress->done, G_MAXULONG)),
                            (unsigned long long) progress->done);
  if (progress->rate > 0)
    g_string_append_printf (text, _(" · %.0f per second"), progress->rate);
  if (progress->eta_seconds >= 0)
    {
      g_autofree char *eta = format_duration (progress->eta_seconds);

      g_string_append_printf (text, " · %s", eta);
    }
  if (progress->n_failed > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " · %u failed", " · %u failed",
                                               progress->n_failed), progress->n_failed);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ---- live progress ---- */

static void
show_progress (PdSyncPanel          *self,
               const PdSyncProgress *progress)
{
  g_autofree char *details = format_progress_details (progress);
  g_autofree char *label = pd_sync_progress_dup_label (progress);

  gtk_label_set_text (self->stage_label, label);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  if (progress->total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar,
                                   MIN (1.0, (double) progress->done / (double) progress->total));
  else
    gtk_progress_bar_pulse (self->progress_bar);
  gtk_label_set_text (self->details_label, details);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), TRUE);
}

static void
on_progress (PdSyncEngine         *engine,
             const PdSyncProgress *progress,
             PdSyncPanel          *self)
{
  if (pd_session_get_syncing (self->session))
    show_progress (self, progress);
}

/* "Only the customers of Contoso Reseller": a run scoped to some resellers (My Resellers in
 * Preferences); NULL for a run of every customer. */
static char *
dup_scope_text (PdSyncPanel *self,
                gint64       run_id)
{
  PdStore *store = pd_session_get_store (self->session);
  g_auto(GStrv) scope = pd_store_dup_run_scope (store, run_id);
  g_autofree char *names = NULL;

  if (scope == NULL)
    return NULL;
  names = pd_store_dup_scope_label (store, (const char * const *) scope);
  /* Translators: %s lists the indirect resellers (My Resellers) a sync covered, by name */
  return g_strdup_printf (_("Only the customers of %s; the others stay as last synced"), names);
}

/* "Last sync: Complete, Today at 10:20", or a retry's (pd_sync_dup_last_run_title). */
static char *
dup_idle_title (const PdSyncRun *run)
{
  g_autofree char *when = format_time (run->finished_at != NULL ? run->finished_at
                                                                : run->started_at);

  return pd_sync_dup_last_run_title (run, when);
}

/* Below a retry's title, when the cache was last synced whole. */
static char *
dup_last_complete_text (PdSyncPanel *self)
{
  PdStore *store = pd_session_get_store (self->session);
  g_autoptr(GDateTime) last = pd_store_get_last_complete_sync (store);
  g_autofree char *when = last != NULL ? format_time (last) : NULL;

  return pd_sync_dup_last_complete_text (when);
}

static void
show_last_run (PdSyncPanel     *self,
               const PdSyncRun *run)
{
  g_autofree char *title = dup_idle_title (run);
  g_autofree char *complete = run->kind == PD_SYNC_KIND_RETRY ? dup_last_complete_text (self)
                                                              : NULL;
  g_autofree char *scope = dup_scope_text (self, run->id);
  const char *parts[] = { complete, scope, run->error };
  g_autoptr(GStrvBuilder) lines = g_strv_builder_new ();
  g_auto(GStrv) details = NULL;
  g_autofree char *text = NULL;

  gtk_label_set_text (self->stage_label, title);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL)
      g_strv_builder_add (lines, parts[i]);
  details = g_strv_builder_end (lines);
  text = g_strjoinv ("\n", details);
  gtk_label_set_text (self->details_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), *text != '\0');
}

static void
show_idle (PdSyncPanel *self)
{
  g_autoptr(GPtrArray) runs = pd_store_list_sync_runs (pd_session_get_store (self->session), 1, NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  if (runs == NULL || runs->len == 0)
    {
      gtk_label_set_text (self->stage_label, _("Not synced yet"));
      gtk_label_set_text (self->details_label,
                          _("The first sync copies every customer and billing profile; the list "
                            "fills while it runs."));
      return;
    }
  show_last_run (self, g_ptr_array_index (runs, 0));
}

static void
update_state (PdSyncPanel *self)
{
  gboolean syncing = pd_session_get_syncing (self->session);

  pd_app_util_switch_buttons (self->button_stack, syncing ? "cancel" : "sync");
  if (syncing)
    {
      PdSyncProgress progress = { 0 };

      pd_sync_engine_get_progress (pd_session_get_sync_engine (self->session), &progress);
      progress.eta_seconds = progress.total > 0 ? progress.eta_seconds : -1;
      show_progress (self, &progress);
    }
  else
    show_idle (self);
}

static void
update_account (PdSyncPanel *self)
{
  PdAuth *auth = pd_session_get_auth (self->session);
  gboolean signed_in = pd_session_get_signed_in (self->session);
  const char *account = signed_in ? pd_auth_get_account (auth) : NULL;
  g_autofree char *subtitle = NULL;

  if (pd_session_get_demo (self->session))
    subtitle = g_strdup (_("Demo: the built-in Partner Center simulator"));
  else if (signed_in && account != NULL)
    subtitle = g_strdup_printf (_("Signed in as %s"), account);
  else if (signed_in && pd_auth_get_token_from_environment (auth))
    subtitle = g_strdup (_("Signed in with an access token (PARTNER_DESK_ACCESS_TOKEN)"));
  else if (signed_in)
    /* A token that names no user (no upn or e-mail claim). */
    subtitle = g_strdup (_("Signed in"));
  else
    subtitle = g_strdup (_("Not signed in: the cached organizations stay available"));
  adw_action_row_set_subtitle (self->account_row, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_button), !signed_in);
}

static void
update_schedule (PdSyncPanel *self)
{
  g_autoptr(GDateTime) next = pd_session_dup_next_sync (self->session);
  guint interval = g_settings_get_uint (pd_session_get_settings (self->session), "sync-interval");
  g_autofree char *text = NULL;

  if (interval == 0)
    text = g_strdup (_("Off: sync runs only when you start it"));
  else if (next == NULL && !pd_session_get_signed_in (self->session))
    text = g_strdup (_("After signing in and a first sync"));
  else if (next == NULL)
    text = g_strdup (_("After the first complete sync"));
  else
    text = format_time (next);
  adw_action_row_set_subtitle (self->schedule_row, text);
}

/* ---- past runs ---- */

/* One read of a row's report: the row, kept alive while the thread reads (it may leave the
 * list, older than the last MAX_RUNS, meanwhile), and which of its reads this is. */
typedef struct {
  PdSyncRunRow *row;
  guint         serial;
} ReportRead;

static void
report_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  ReportRead *read = user_data;
  g_autoptr(PdSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = pd_sync_report_load_finish (result, &error);
  if (report != NULL)
    pd_sync_run_row_show_report (read->row, read->serial, report, MAX_LINES_PER_KIND);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    pd_sync_run_row_show_error (read->row, read->serial, error);
  g_object_unref (read->row);
  g_free (read);
}

/* Reads (or reads again) the report of a run, in a thread: a large first sync has one event
 * per customer. */
static void
load_report (PdSyncPanel  *self,
             PdSyncRunRow *row)
{
  ReportRead *read = g_new0 (ReportRead, 1);

  read->row = g_object_ref (row);
  read->serial = pd_sync_run_row_begin_report (row);
  pd_sync_report_load_async (pd_session_get_store (self->session),
                             pd_sync_run_row_get_run_id (row), self->retried, MAX_LINES_PER_KIND,
                             self->cancellable, report_done, read);
}

static void
on_retried (PdSyncPanel *self,
            const char  *tenant_id)
{
  g_ptr_array_add (self->retrying, g_strdup (tenant_id));
}

static char *
run_summary (const PdSyncRun *run)
{
  /* Translators: the counts of one sync run's report. Each is "label: number", so that no
   * plural form is needed ("1 local edits kept") */
  return g_strdup_printf (_("new: %'u · updated: %'u · removed: %'u · failed: %'u · "
                            "local edits kept: %'u · local edits replaced: %'u"),
                          run->n_new, run->n_updated, run->n_removed, run->n_failed,
                          run->n_overrides_kept, run->n_overrides_replaced);
}

/* A complete run that found nothing to do: every launch makes one. The store keeps each; the
 * panel folds a streak of them into one row instead of a column of zeros. */
static gboolean
run_changed_nothing (const PdSyncRun *run)
{
  return run->state == PD_SYNC_STATE_COMPLETE && run->error == NULL
         && run->n_new + run->n_updated + run->n_removed + run->n_failed
            + run->n_overrides_kept + run->n_overrides_replaced == 0;
}

/* A quiet run folds into one row with its quiet neighbours; a scoped one keeps its own row,
 * which says whose customers it covered. */
static gboolean
run_is_quiet (PdSyncPanel     *self,
              const PdSyncRun *run)
{
  g_autofree char *scope = NULL;

  if (!run_changed_nothing (run))
    return FALSE;
  scope = dup_scope_text (self, run->id);
  return scope == NULL;
}

static char *
run_title (const PdSyncRun *run)
{
  g_autofree char *when = format_time (run->started_at);

  /* Translators: "Full sync, Complete — Today at 10:20" */
  return g_strdup_printf (_("%s, %s — %s"),
                          pd_sync_kind_label (run->kind),
                          pd_sync_state_label (run->state), when);
}

/* A run with replaced edits, failures or an error expands to its report; others are a plain
 * row with their counts. */
static RunRow
run_row (PdSyncPanel     *self,
         const PdSyncRun *run)
{
  g_autofree char *title = run_title (run);
  g_autofree char *counts = run_changed_nothing (run) ? g_strdup (_("No changes"))
                                                      : run_summary (run);
  g_autofree char *scope = dup_scope_text (self, run->id);
  g_autofree char *summary = scope != NULL ? g_strdup_printf ("%s\n%s", counts, scope)
                                           : g_strdup (counts);
  RunRow run_row = { .run_id = run->id, .quiet = run_is_quiet (self, run) };

  if (run->n_failed > 0 || run->n_overrides_replaced > 0 || run->error != NULL)
    {
      run_row.row = pd_sync_run_row_new (self->session, run->id, title, summary, run->error);
      g_signal_connect_swapped (run_row.row, "report-wanted", G_CALLBACK (load_report), self);
      g_signal_connect_swapped (run_row.row, "retried", G_CALLBACK (on_retried), self);
    }
  else
    run_row.row = pd_app_util_new_text_row (title, summary);
  g_object_ref_sink (run_row.row);
  return run_row;
}

static void
run_row_clear (gpointer data)
{
  g_clear_object (&((RunRow *) data)->row);
}

/* Sets how many quiet runs a quiet row stands for, the oldest of them starting at first. */
static void
set_quiet_count (RunRow          *run_row,
                 guint            count,
                 const PdSyncRun *first)
{
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;

  run_row->quiet = count;
  if (count <= 1)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (run_row->row), _("No changes"));
      return;
    }
  when = format_time (first->started_at);
  /* Translators: "No changes in 3 syncs since Yesterday at 09:00" */
  subtitle = g_strdup_printf (ngettext ("No changes in %u sync since %s",
                                        "No changes in %u syncs since %s", count), count, when);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (run_row->row), subtitle);
}

/* The row just added stands for quiet runs too: run joins it (runs come newest first). */
static gboolean
fold_quiet_run (PdSyncPanel     *self,
                const PdSyncRun *run)
{
  RunRow *last = self->run_rows->len > 0
                 ? &g_array_index (self->run_rows, RunRow, self->run_rows->len - 1) : NULL;

  if (last == NULL || last->quiet == 0 || !run_is_quiet (self, run))
    return FALSE;
  set_quiet_count (last, last->quiet + 1, run);
  return TRUE;
}

static RunRow *
find_run_row (GArray *rows,
              gint64  run_id)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_array_index (rows, RunRow, i).run_id == run_id)
      return &g_array_index (rows, RunRow, i);
  return NULL;
}

static GArray *
run_rows_new (void)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (RunRow));

  g_array_set_clear_func (rows, run_row_clear);
  return rows;
}

/* Adds the row of run: the one it had (found in old_rows, which gives it up), or a new one. */
static void
add_run_row (PdSyncPanel     *self,
             GArray          *old_rows,
             const PdSyncRun *run)
{
  RunRow *old = find_run_row (old_rows, run->id);
  RunRow added;

  if (old != NULL)
    {
      g_autofree char *title = run_title (run);

      added = *old;
      old->row = NULL;
      /* "Today at …" becomes a date after midnight. */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (added.row), title);
      if (run_is_quiet (self, run))
        set_quiet_count (&added, 1, run);
    }
  else
    added = run_row (self, run);
  g_array_append_val (self->run_rows, added);
  adw_preferences_group_add (self->runs_group, added.row);
}

/* The open reports are read again, for what was fixed since. */
static void
refresh_reports (PdSyncPanel *self)
{
  for (guint i = 0; i < self->run_rows->len; i++)
    {
      GtkWidget *row = g_array_index (self->run_rows, RunRow, i).row;

      if (PD_IS_SYNC_RUN_ROW (row))
        pd_sync_run_row_refresh (PD_SYNC_RUN_ROW (row));
    }
}

/* Lists the last runs, newest first. A finished run does not change: its row (open or not, with
 * the keyboard focus in it or not) is kept, and an open report is read again for what later
 * runs fixed. */
/* The newest run's id and state in one number (0: no run, or it could not be read). */
static gint64
run_signature (GPtrArray *runs)
{
  const PdSyncRun *newest = runs != NULL && runs->len > 0 ? g_ptr_array_index (runs, 0) : NULL;

  return newest != NULL ? newest->id * 16 + newest->state : 0;
}

static void
reload_runs (PdSyncPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = pd_store_list_sync_runs (pd_session_get_store (self->session),
                                                       MAX_RUNS, &error);
  g_autoptr(GArray) old_rows = g_steal_pointer (&self->run_rows);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* Removing a row takes the focus from what is inside it: given back below. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->runs_group)))
    g_object_ref (focus);
  else
    focus = NULL;
  self->run_rows = run_rows_new ();
  self->run_signature = run_signature (runs);
  for (guint i = 0; i < old_rows->len; i++)
    adw_preferences_group_remove (self->runs_group, g_array_index (old_rows, RunRow, i).row);
  if (runs == NULL)
    g_warning ("Could not list the past syncs: %s", error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->no_runs_row), runs == NULL || runs->len == 0);
  for (guint i = 0; runs != NULL && i < runs->len; i++)
    {
      PdSyncRun *run = g_ptr_array_index (runs, i);

      if (run->state != PD_SYNC_STATE_RUNNING && !fold_quiet_run (self, run))
        add_run_row (self, old_rows, run);
    }
  refresh_reports (self);
  if (focus != NULL)
    {
      if (gtk_widget_is_ancestor (focus, GTK_WIDGET (self->runs_group)))
        gtk_widget_grab_focus (focus);
      g_object_unref (focus);
    }
}

/* A retry the panel started ended: the customers it fetched are fixed for the older reports
 * that list them (a run that fetched a customer without a change leaves no event of it). */
static void
note_retry_finished (PdSyncPanel *self,
                     gint64       run_id)
{
  g_autoptr(GPtrArray) retrying = g_steal_pointer (&self->retrying);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GHashTable) failed = g_hash_table_new (g_str_hash, g_str_equal);

  self->retrying = g_ptr_array_new_with_free_func (g_free);
  if (retrying->len == 0 || run_id <= 0)
    return;
  events = pd_store_get_run_failures (pd_session_get_store (self->session), run_id, NULL);
  if (events == NULL)
    return;
  for (guint i = 0; i < events->len; i++)
    {
      PdRunEvent *event = g_ptr_array_index (events, i);

      if (event->tenant_id != NULL)
        g_hash_table_add (failed, event->tenant_id);
    }
  for (guint i = 0; i < retrying->len; i++)
    if (!g_hash_table_contains (failed, retrying->pdata[i]))
      g_hash_table_insert (self->retried, g_strdup (retrying->pdata[i]),
                           GSIZE_TO_POINTER ((gsize) run_id));
}

/* ---- wiring ---- */

static void
on_engine_changed (PdSyncPanel *self)
{
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, pd_session_get_sync_engine (self->session));
  if (self->engine != NULL)
    g_signal_connect (self->engine, "progress", G_CALLBACK (on_progress), self);
}

static void
on_sync_finished (PdSyncPanel  *self,
                  gint64        run_id,
                  const GError *error,
                  gboolean      background)
{
  note_retry_finished (self, run_id);
  reload_runs (self);
  update_state (self);
  update_schedule (self);
}

/* Many changed, and not by a run of this app (sync-finished covers those): another process
 * wrote to the cache. When that was a sync that began or ended (the timer's, the CLI's), the
 * panel shows it as it would its own; the newest run alone is read to tell. */
static void
on_other_writer (PdSyncPanel *self)
{
  g_autoptr(GPtrArray) newest = NULL;

  if (pd_session_get_syncing (self->session))
    return;
  newest = pd_store_list_sync_runs (pd_session_get_store (self->session), 1, NULL);
  if (newest == NULL || run_signature (newest) == self->run_signature)
    return;
  reload_runs (self);
  update_state (self);
  update_schedule (self);
}

/* An organization changed outside a sync (id 0 is a sync's, which sync-finished covers, or
 * another process's: on_other_writer): a bill-to push reads the customer from Partner Center,
 * which closes its failures as a sync's read does, so the open reports that list a failure of
 * that customer are read again. Any other edit (a field, an undo) reads none. */
static void
on_organizations_changed (PdSyncPanel *self,
                          gint64       id)
{
  g_autoptr(PdOrganization) org = NULL;
  const char *tenant_id;

  if (id == 0)
    {
      on_other_writer (self);
      return;
    }
  org = pd_store_get (pd_session_get_store (self->session), id, NULL);
  tenant_id = org != NULL ? pd_organization_get_tenant_id (org) : NULL;
  for (guint i = 0; tenant_id != NULL && i < self->run_rows->len; i++)
    {
      GtkWidget *row = g_array_index (self->run_rows, RunRow, i).row;

      if (PD_IS_SYNC_RUN_ROW (row)
          && pd_sync_run_row_has_failure_of (PD_SYNC_RUN_ROW (row), tenant_id))
        pd_sync_run_row_refresh (PD_SYNC_RUN_ROW (row));
    }
}

static void
on_session_changed (PdSyncPanel *self)
{
  update_state (self);
  update_account (self);
  update_schedule (self);
}

static gboolean
on_clock (gpointer user_data)
{
  update_schedule (user_data);
  return G_SOURCE_CONTINUE;
}

static void
connect_session (PdSyncPanel *self)
{
  const char *names[] = { "notify::syncing", "notify::signed-in", "notify::demo",
                          "notify::auth" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_signal_connect_object (self->session, names[i], G_CALLBACK (on_session_changed), self,
                             G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::sync-engine", G_CALLBACK (on_engine_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "sync-finished", G_CALLBACK (on_sync_finished), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "organizations-changed",
                           G_CALLBACK (on_organizations_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pd_session_get_settings (self->session), "changed::sync-interval",
                           G_CALLBACK (update_schedule), self, G_CONNECT_SWAPPED);
}

static void
pd_sync_panel_constructed (GObject *object)
{
  PdSyncPanel *self = PD_SYNC_PANEL (object);

  G_OBJECT_CLASS (pd_sync_panel_parent_class)->constructed (object);

  connect_session (self);
  on_engine_changed (self);
  on_session_changed (self);
  reload_runs (self);
  /* "Today at 14:00" must turn into a date at midnight; once a minute is plenty. */
  self->clock_id = g_timeout_add_seconds (60, on_clock, self);
}

static void
pd_sync_panel_dispose (GObject *object)
{
  PdSyncPanel *self = PD_SYNC_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->clock_id, g_source_remove);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->run_rows, g_array_unref);
  g_clear_pointer (&self->retried, g_hash_table_unref);
  g_clear_pointer (&self->retrying, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_SYNC_PANEL);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (pd_sync_panel_parent_class)->dispose (object);
}

static void
pd_sync_panel_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, PD_SYNC_PANEL (object)->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_sync_panel_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_SESSION:
      PD_SYNC_PANEL (object)->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_sync_panel_class_init (PdSyncPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pd_sync_panel_constructed;
  object_class->dispose = pd_sync_panel_dispose;
  object_class->get_property = pd_sync_panel_get_property;
  object_class->set_property = pd_sync_panel_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, PD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  pd_app_util_set_template (widget_class, "pd-sync-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PdSyncPanel, button_stack);
  gtk_widget_class_bind_template_child (widget_class, PdSyncPanel, stage_label);
  gtk_widget_class_bind_template_child (widget_class, PdSyncPanel, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PdSyncPanel, details_label);
  gtk_widget_class_bind_template_child (widget_class, PdSyncPanel, account_row);
  gtk_widget_class_bind_template_child (widget_class, PdSyncPanel, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, PdSyncPanel, schedule_row);
  gtk_widget_class_bind_template_child (widget_class, PdSyncPanel, runs_group);
  gtk_widget_class_bind_template_child (widget_class, PdSyncPanel, no_runs_row);
}

static void
pd_sync_panel_init (PdSyncPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  pd_app_util_fix_accessible_names (GTK_WIDGET (self));
  self->run_rows = run_rows_new ();
  self->retried = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->retrying = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
pd_sync_panel_new (PdSession *session)
{
  g_return_val_if_fail (PD_IS_SESSION (session), NULL);
  return g_object_new (PD_TYPE_SYNC_PANEL, "session", session, NULL);
}

GtkProgressBar *
pd_sync_panel_get_progress_bar (PdSyncPanel *self)
{
  g_return_val_if_fail (PD_IS_SYNC_PANEL (self), NULL);
  return self->progress_bar;
}

GtkLabel *
pd_sync_panel_get_stage_label (PdSyncPanel *self)
{
  g_return_val_if_fail (PD_IS_SYNC_PANEL (self), NULL);
  return self->stage_label;
}

GtkLabel *
pd_sync_panel_get_details_label (PdSyncPanel *self)
{
  g_return_val_if_fail (PD_IS_SYNC_PANEL (self), NULL);
  return self->details_label;
}

void
pd_sync_panel_expand_latest_report (PdSyncPanel *self)
{
  g_return_if_fail (PD_IS_SYNC_PANEL (self));

  for (guint i = 0; i < self->run_rows->len; i++)
    {
      GtkWidget *row = g_array_index (self->run_rows, RunRow, i).row;

      if (ADW_IS_EXPANDER_ROW (row))
        {
          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
          return;
        }
    }
}

guint
pd_sync_panel_get_n_runs (PdSyncPanel *self)
{
  g_return_val_if_fail (PD_IS_SYNC_PANEL (self), 0);
  return self->run_rows->len;
}
