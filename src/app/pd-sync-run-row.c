/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-run-row.c — see pd-sync-run-row.h. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "core/pd-text.h"
#include "pd-app-util.h"
#include "pd-sync-run-row.h"

/* One FAILED line and the widgets it changes when the failure is fixed. */
typedef struct {
  PdSyncRunRow *owner;
  GtkWidget    *row;
  GtkWidget    *icon;
  GtkWidget    *retry;      /* NULL without a tenant id */
  GtkWidget    *show;       /* NULL while the cache does not know the customer */
  char         *tenant_id;
  char         *error;
} FailedLine;

struct _PdSyncRunRow
{
  AdwExpanderRow  parent_instance;

  PdSession      *session;
  gint64          run_id;
  gboolean        report_wanted;
  gboolean        has_report;
  guint           report_serial;  /* the newest read of the report asked for */
  GPtrArray      *failed_lines;  /* FailedLine */
};

G_DEFINE_FINAL_TYPE (PdSyncRunRow, pd_sync_run_row, ADW_TYPE_EXPANDER_ROW)

enum {
  REPORT_WANTED,
  RETRIED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
failed_line_free (FailedLine *line)
{
  g_free (line->tenant_id);
  g_free (line->error);
  g_free (line);
}

/* A line's button reached by Tab is read alone: its name says which customer it acts on. */
static const char *
customer_of (GtkWidget *row)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

static void
name_show_button (GtkWidget *button,
                  GtkWidget *row)
{
  /* Translators: accessible name of a sync report line's button; %s is the customer */
  g_autofree char *name = g_strdup_printf (_("Show %s"), customer_of (row));

  pd_app_util_set_accessible_name (button, name);
}

static void
name_retry_button (GtkWidget *button,
                   GtkWidget *row)
{
  /* Translators: accessible name of a sync report line's Retry button; %s is the customer */
  g_autofree char *name = g_strdup_printf (_("Retry %s"), customer_of (row));

  pd_app_util_set_accessible_name (button, name);
}

static GtkWidget *
add_show_button (GtkWidget *row,
                 gint64     org_id)
{
  GtkWidget *button;

  if (org_id == 0)
    return NULL;
  button = gtk_button_new_from_icon_name ("go-next-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Show Organization"));
  name_show_button (button, row);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.show-organization");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", org_id);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return button;
}

static void
on_retry_clicked (GtkButton  *button,
                  FailedLine *line)
{
  const char *tenants[] = { line->tenant_id, NULL };

  if (!pd_session_retry (line->owner->session, tenants))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  g_signal_emit (line->owner, signals[RETRIED], 0, line->tenant_id);
}

static void
add_retry_button (FailedLine *line)
{
  GtkWidget *button;

  if (line->tenant_id == NULL)
    return;
  button = gtk_button_new_with_mnemonic (_("_Retry"));
  name_retry_button (button, line->row);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_bind_property (line->owner->session, "signed-in", button, "sensitive",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect (button, "clicked", G_CALLBACK (on_retry_clicked), line);
  adw_action_row_add_suffix (ADW_ACTION_ROW (line->row), button);
  line->retry = button;
}

static char *
dup_failed_subtitle (FailedLine *line,
                     gboolean    fixed)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (line->row));
  const char *error = line->error != NULL ? line->error : "";
  g_autofree char *status = NULL;

  if (fixed)
    /* Translators: a customer that failed in an older sync and that Partner Center answered a
     * read of since (a later sync, or a bill-to push: not always a sync); %s is the error it
     * had failed with */
    status = g_strdup_printf (_("Read from Partner Center since. It had failed: %s"), error);
  else
    status = g_strdup (error);
  if (line->tenant_id != NULL && g_strcmp0 (title, line->tenant_id) != 0)
    /* Translators: a failed customer's tenant id, then its state or error */
    return g_strdup_printf (_("%s — %s"), line->tenant_id, status);
  return g_steal_pointer (&status);
}

/* A failed line: titled with the cached organization's name when the cache knows the customer
 * (the tenant id goes to the subtitle), with Retry while it still needs one and Show
 * Organization when there is one to show. Once a later run or a push read the customer, the
 * line says so instead of offering Retry. */
static void
set_failed_line_fixed (FailedLine *line,
                       gboolean    fixed)
{
  g_autofree char *subtitle = dup_failed_subtitle (line, fixed);
  /* Partner Center's reason, as a label shows untrusted text. */
  g_autofree char *shown = pd_text_for_label (subtitle);
  GtkRoot *root = gtk_widget_get_root (line->row);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (line->row), shown);
  gtk_image_set_from_icon_name (GTK_IMAGE (line->icon), fixed ? "emblem-ok-symbolic"
                                                              : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (line->icon, fixed ? "warning" : "success");
  gtk_widget_add_css_class (line->icon, fixed ? "success" : "warning");
  if (line->retry == NULL)
    return;
  /* Keyboard focus on a Retry that goes away stays on the line. */
  if (fixed && root != NULL && gtk_root_get_focus (root) == line->retry)
    gtk_widget_grab_focus (line->show != NULL ? line->show : line->row);
  gtk_widget_set_visible (line->retry, !fixed);
  /* Clicking it made it insensitive until the retry ended. */
  gtk_widget_set_sensitive (line->retry, pd_session_get_signed_in (line->owner->session));
}

static GtkWidget *
add_failed_line (PdSyncRunRow     *self,
                 const PdRunEvent *event,
                 gboolean          fixed)
{
  FailedLine *line = g_new0 (FailedLine, 1);

  line->owner = self;
  line->row = pd_app_util_new_text_row (event->name != NULL ? event->name : event->tenant_id,
                                        NULL);
  /* The subtitle says the same in words. */
  line->icon = g_object_new (GTK_TYPE_IMAGE, "accessible-role",
                             GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  line->tenant_id = g_strdup (event->tenant_id);
  line->error = g_strdup (event->error);
  adw_action_row_add_prefix (ADW_ACTION_ROW (line->row), line->icon);
  add_retry_button (line);
  line->show = add_show_button (line->row, event->org_id);
  set_failed_line_fixed (line, fixed);
  g_ptr_array_add (self->failed_lines, line);
  return line->row;
}

/* A later look at the same report: the cache may know the customer now, and a later run may
 * have fetched it. */
static void
update_failed_line (FailedLine       *line,
                    const PdRunEvent *event,
                    gboolean          fixed)
{
  if (event->org_id != 0)
    {
      g_autofree char *name = pd_text_for_label (event->name);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (line->row), name);
    }
  /* Named by the title they now stand beside (a tenant id becomes the customer's name). */
  if (line->retry != NULL)
    name_retry_button (line->retry, line->row);
  if (line->show != NULL)
    name_show_button (line->show, line->row);
  if (event->org_id != 0 && line->show == NULL)
    line->show = add_show_button (line->row, event->org_id);
  set_failed_line_fixed (line, fixed);
}

/* An OVERRIDE_REPLACED line. */
static GtkWidget *
replaced_line (const PdRunEvent *event)
{
  const char *name = event->name != NULL ? event->name : event->tenant_id;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row;
  PdBillToField field;
  const char *field_label = event->field;

  /* Reports name fields "billTo.address.city"; the bill-to paths drop the prefix. */
  if (event->field != NULL && g_str_has_prefix (event->field, "billTo."))
    field_label = event->field + strlen ("billTo.");
  if (field_label != NULL && pd_bill_to_field_from_path (field_label, &field))
    field_label = pd_bill_to_field_label (field);
  /* Translators: "Contoso Ltd — Postal code" */
  title = g_strdup_printf (_("%s — %s"), name, field_label != NULL ? field_label : "");
  /* Translators: the replaced local value and the Partner Center value that won */
  subtitle = g_strdup_printf (_("Your edit “%s” was replaced by Partner Center’s “%s”"),
                              event->old_value != NULL ? event->old_value : "",
                              event->new_value != NULL ? event->new_value : "");
  row = pd_app_util_new_text_row (title, subtitle);
  add_show_button (row, event->org_id);
  return row;
}

static void
add_more_line (PdSyncRunRow *self,
               guint         hidden)
{
  g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                        "… and %u more (see "
                                                        "partner-desk-cli status)",
                                                        "… and %u more (see "
                                                        "partner-desk-cli status)",
                                                        hidden), hidden);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), pd_app_util_new_text_row (more, NULL));
}

static void
add_report_lines (PdSyncRunRow *self,
                  PdSyncReport *report,
                  guint         max_lines)
{
  guint shown[2] = { 0, 0 };
  guint hidden = 0;

  for (guint i = 0; i < report->events->len; i++)
    {
      PdRunEvent *event = g_ptr_array_index (report->events, i);
      gboolean failed = event->kind == PD_RUN_EVENT_FAILED;
      GtkWidget *line;

      if (event->kind != PD_RUN_EVENT_OVERRIDE_REPLACED && !failed)
        continue;
      if (shown[failed]++ >= max_lines)
        {
          hidden++;
          continue;
        }
      if (failed)
        line = add_failed_line (self, event,
                                g_hash_table_contains (report->fixed, event->tenant_id));
      else
        line = replaced_line (event);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), line);
    }
  if (hidden > 0)
    add_more_line (self, hidden);
}

/* The lines are there already (a later run finished): only their state changes, in place, so
 * that an open report and the keyboard focus in it stay where they are. */
static void
update_report_lines (PdSyncRunRow *self,
                     PdSyncReport *report)
{
  g_autoptr(GHashTable) by_tenant = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < report->events->len; i++)
    {
      PdRunEvent *event = g_ptr_array_index (report->events, i);

      if (event->kind == PD_RUN_EVENT_FAILED && event->tenant_id != NULL)
        g_hash_table_insert (by_tenant, event->tenant_id, event);
    }
  for (guint i = 0; i < self->failed_lines->len; i++)
    {
      FailedLine *line = g_ptr_array_index (self->failed_lines, i);
      PdRunEvent *event = line->tenant_id != NULL
                          ? g_hash_table_lookup (by_tenant, line->tenant_id) : NULL;

      if (event != NULL)
        update_failed_line (line, event, g_hash_table_contains (report->fixed, line->tenant_id));
    }
}

guint
pd_sync_run_row_begin_report (PdSyncRunRow *self)
{
  g_return_val_if_fail (PD_IS_SYNC_RUN_ROW (self), 0);
  return ++self->report_serial;
}

void
pd_sync_run_row_show_report (PdSyncRunRow *self,
                             guint         serial,
                             PdSyncReport *report,
                             guint         max_lines)
{
  g_return_if_fail (PD_IS_SYNC_RUN_ROW (self));

  if (serial != self->report_serial)
    return;
  if (self->has_report)
    update_report_lines (self, report);
  else
    add_report_lines (self, report, max_lines);
  self->has_report = TRUE;
}

void
pd_sync_run_row_show_error (PdSyncRunRow *self,
                            guint         serial,
                            const GError *error)
{
  g_return_if_fail (PD_IS_SYNC_RUN_ROW (self));
  if (serial != self->report_serial)
    return;

  if (!self->has_report)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (self),
                              pd_app_util_new_text_row (_("Could not read this report"),
                                                        error->message));
  self->has_report = TRUE;
}

gint64
pd_sync_run_row_get_run_id (PdSyncRunRow *self)
{
  g_return_val_if_fail (PD_IS_SYNC_RUN_ROW (self), 0);
  return self->run_id;
}

void
pd_sync_run_row_refresh (PdSyncRunRow *self)
{
  g_return_if_fail (PD_IS_SYNC_RUN_ROW (self));
  if (self->has_report)
    g_signal_emit (self, signals[REPORT_WANTED], 0);
}

gboolean
pd_sync_run_row_has_failure_of (PdSyncRunRow *self,
                                const char   *tenant_id)
{
  g_return_val_if_fail (PD_IS_SYNC_RUN_ROW (self), FALSE);
  for (guint i = 0; self->has_report && i < self->failed_lines->len; i++)
    {
      FailedLine *line = g_ptr_array_index (self->failed_lines, i);

      if (line->tenant_id != NULL && g_ascii_strcasecmp (line->tenant_id, tenant_id) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The report lines of a run are read when it is first expanded. */
static void
on_expanded (PdSyncRunRow *self)
{
  if (!adw_expander_row_get_expanded (ADW_EXPANDER_ROW (self)) || self->report_wanted)
    return;
  self->report_wanted = TRUE;
  g_signal_emit (self, signals[REPORT_WANTED], 0);
}

/* The lines' buttons point at their records: those outlive the lines (the parent's dispose
 * destroys them), so they are freed last. */
static void
pd_sync_run_row_finalize (GObject *object)
{
  PdSyncRunRow *self = PD_SYNC_RUN_ROW (object);

  g_ptr_array_unref (self->failed_lines);
  g_object_unref (self->session);

  G_OBJECT_CLASS (pd_sync_run_row_parent_class)->finalize (object);
}

static void
pd_sync_run_row_class_init (PdSyncRunRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pd_sync_run_row_finalize;

  signals[REPORT_WANTED] =
    g_signal_new ("report-wanted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[RETRIED] =
    g_signal_new ("retried", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  pd_app_util_set_template (widget_class, "pd-sync-run-row.ui");
}

static void
pd_sync_run_row_init (PdSyncRunRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->failed_lines = g_ptr_array_new_with_free_func ((GDestroyNotify) failed_line_free);
  g_signal_connect (self, "notify::expanded", G_CALLBACK (on_expanded), NULL);
}

GtkWidget *
pd_sync_run_row_new (PdSession  *session,
                     gint64      run_id,
                     const char *title,
                     const char *summary,
                     const char *error)
{
  PdSyncRunRow *self;

  g_return_val_if_fail (PD_IS_SESSION (session), NULL);

  self = g_object_new (PD_TYPE_SYNC_RUN_ROW, "title", title, "subtitle", summary, NULL);
  self->session = g_object_ref (session);
  self->run_id = run_id;
  if (error != NULL)
    {
      /* Translators: heading of the error a sync run failed with */
      GtkWidget *line = pd_app_util_new_text_row (_("Error"), error);

      /* Microsoft support asks for the correlation and request IDs it carries. */
      pd_app_util_add_copy_button (line, error, _("Copy Error Details"));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), line);
    }
  return GTK_WIDGET (self);
}
